"""GLB export, exactly: buffer-view targets, textures and samplers, read back from the
file's own JSON and BIN chunks (struct + PIL), not with worldnb."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest
from PIL import Image

from worldnb.errors import InputError
from worldnb.scene import Camera, Gaussians, Mesh, OrientedBox, PointCloud, Room, Scene
from worldnb.scene.io.glb import glb_bytes

ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
TRI = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], np.float32)


def _chunks(data: bytes) -> tuple[dict, bytes]:
    magic, version, total = struct.unpack_from("<III", data, 0)
    assert (magic, version, total) == (0x46546C67, 2, len(data))
    n, kind = struct.unpack_from("<II", data, 12)
    assert kind == 0x4E4F534A
    gltf = json.loads(data[20 : 20 + n])
    rest = data[20 + n :]
    binary = b""
    if rest:
        m, kind = struct.unpack_from("<II", rest, 0)
        assert kind == 0x004E4942
        binary = rest[8 : 8 + m]
    return gltf, binary


def _view_bytes(gltf, binary, view: int) -> bytes:
    v = gltf["bufferViews"][view]
    return binary[v["byteOffset"] : v["byteOffset"] + v["byteLength"]]


def test_vertex_attributes_and_indices_name_their_buffer_targets():
    mesh = Mesh(TRI, [[0, 1, 2]], vertex_colors=np.eye(3), uv=TRI[:, :2],
                texture=np.ones((2, 2, 3), np.float32))  # fmt: skip
    gltf, _ = _chunks(glb_bytes(Scene(layers={"m": mesh})))
    (prim,) = gltf["meshes"][0]["primitives"]

    def target(acc):
        return gltf["bufferViews"][gltf["accessors"][acc]["bufferView"]].get("target")

    assert {k: target(a) for k, a in prim["attributes"].items()} == {
        "POSITION": ARRAY_BUFFER, "COLOR_0": ARRAY_BUFFER, "TEXCOORD_0": ARRAY_BUFFER
    }  # fmt: skip
    assert target(prim["indices"]) == ELEMENT_ARRAY_BUFFER


def test_uv_without_a_texture_exports_no_texture_coordinates():
    gltf, _ = _chunks(glb_bytes(Scene(layers={"m": Mesh(TRI, [[0, 1, 2]], uv=TRI[:, :2])})))
    (prim,) = gltf["meshes"][0]["primitives"]
    assert sorted(prim["attributes"]) == ["POSITION"]
    assert "textures" not in gltf and "images" not in gltf and "samplers" not in gltf


def test_texture_pixels_and_one_shared_sampler():
    levels = np.array([0, 1, 127, 128, 254, 255], np.float32) / np.float32(255)
    tex = np.stack([levels.reshape(2, 3)] * 3, axis=-1)  # grey 2 x 3 image, 8-bit levels
    m1 = Mesh(TRI, [[0, 1, 2]], uv=TRI[:, :2], texture=tex)
    m2 = Mesh(TRI + 1, [[0, 1, 2]], uv=TRI[:, :2], texture=tex[::-1].copy())
    gltf, binary = _chunks(glb_bytes(Scene(layers={"a": m1, "b": m2})))
    assert gltf["samplers"] == [{"magFilter": 9729, "minFilter": 9729}]
    assert [t["sampler"] for t in gltf["textures"]] == [0, 0]
    assert [i["mimeType"] for i in gltf["images"]] == ["image/png", "image/png"]
    png = Image.open(io.BytesIO(_view_bytes(gltf, binary, gltf["images"][0]["bufferView"])))
    assert png.format == "PNG"
    np.testing.assert_array_equal(np.asarray(png)[..., 0], [[0, 1, 127], [128, 254, 255]])


def _accessor(gltf, binary, index: int) -> np.ndarray:
    acc = gltf["accessors"][index]
    dtype = {5121: "<u1", 5123: "<u2", 5125: "<u4", 5126: "<f4"}[acc["componentType"]]
    width = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[acc["type"]]
    raw = np.frombuffer(_view_bytes(gltf, binary, acc["bufferView"]), dtype)
    return raw.reshape(acc["count"], width) if width > 1 else raw


def _full_scene() -> Scene:
    room = Room([[0, 0], [4, 0], [4, 3], [1, 3]], height=2.5)
    scene = Scene(room=room)
    scene.add_object("desk", OrientedBox((1, 0.4, 1), (1.2, 0.8, 0.6)))
    scene.layers["nothing"] = PointCloud(np.zeros((0, 3), np.float32))  # skipped: no accessors
    scene.layers["pts"] = PointCloud(
        TRI, np.array([[0, 0.5, 1]] * 3), normals=[[0, 2, 0], [3, 0, 4], [0, 0, -1]]
    )
    scene.layers["g"] = Gaussians(
        TRI, np.full((3, 3), -3.0), np.tile([1.0, 0, 0, 0], (3, 1)), np.zeros(3),
        np.array([[-0.2, 0.5, 1.3], [0, 1, 0.25], [0.02, 0.2, 0.35]]),
    )  # fmt: skip
    scene.layers["tex"] = Mesh(TRI, [[0, 1, 2]], uv=TRI[:, :2], texture=np.ones((2, 2, 3)))
    scene.cameras["main"] = Camera.look_at((0, 1.6, 3), (0, 1, 0), width=64, height=48)
    return scene


def test_a_full_export_node_by_node():
    scene = _full_scene()
    gltf, _ = _chunks(glb_bytes(scene))  # boxes, room and cameras are on by default
    nodes = {n["name"]: n for n in gltf["nodes"]}
    assert list(nodes) == ["pts", "g", "tex", f"desk {scene.objects[0].id}", "room", "main"]
    assert gltf["scenes"][gltf["scene"]]["name"] == "worldnb scene"
    assert gltf["scenes"][0]["nodes"] == list(range(6))
    assert nodes["pts"]["extras"] == {"worldnb_kind": "points"}
    assert nodes["g"]["extras"] == {"worldnb_kind": "gaussians"}
    assert nodes["desk 1"]["extras"] == {"worldnb_object_id": 1}
    assert "camera" in nodes["main"]
    pbr = [m["pbrMetallicRoughness"] for m in gltf["materials"]]
    names = [m["name"] for m in gltf["materials"]]
    assert [(n, p["baseColorFactor"]) for n, p in zip(names, pbr, strict=True)] == [
        ("surface", [1.0, 1.0, 1.0, 1.0]),
        ("tex texture", [1.0, 1.0, 1.0, 1.0]),
        ("object boxes", [1.0, 0.55, 0.1, 1.0]),
        ("room outline", [0.6, 0.6, 0.6, 1.0]),
    ]  # fmt: skip
    assert all(m["doubleSided"] is True for m in gltf["materials"])
    assert {(p["metallicFactor"], p["roughnessFactor"]) for p in pbr} == {(0.0, 1.0)}
    # every vertex attribute is an ARRAY_BUFFER view, every index list an ELEMENT_ARRAY_BUFFER
    for mesh in gltf["meshes"]:
        (prim,) = mesh["primitives"]
        for acc in prim["attributes"].values():
            assert (
                gltf["bufferViews"][gltf["accessors"][acc]["bufferView"]]["target"] == ARRAY_BUFFER
            )
        colour = prim["attributes"].get("COLOR_0")
        if colour is not None:  # 8-bit colours read as 0..1
            assert gltf["accessors"][colour]["normalized"] is True
        if "indices" in prim:
            view = gltf["accessors"][prim["indices"]]["bufferView"]
            assert gltf["bufferViews"][view]["target"] == ELEMENT_ARRAY_BUFFER


def test_point_normals_are_unit_and_colours_clip_to_8_bits():
    gltf, binary = _chunks(glb_bytes(_full_scene()))
    meshes = {m["name"]: m["primitives"][0] for m in gltf["meshes"]}
    pts = meshes["pts"]["attributes"]
    np.testing.assert_allclose(
        _accessor(gltf, binary, pts["NORMAL"]), [[0, 1, 0], [0.6, 0, 0.8], [0, 0, -1]], atol=1e-7
    )
    np.testing.assert_array_equal(_accessor(gltf, binary, pts["COLOR_0"]), [[0, 128, 255, 255]] * 3)
    g = meshes["g"]["attributes"]
    assert "NORMAL" not in g
    # base colours outside [0, 1] clip: round(c * 255) limited to 0..255
    np.testing.assert_array_equal(
        _accessor(gltf, binary, g["COLOR_0"]),
        [[0, 128, 255, 255], [0, 255, 64, 255], [5, 51, 89, 255]],
    )


def test_a_zero_normal_drops_the_normal_attribute():
    p = PointCloud(TRI, normals=[[0, 1, 0], [0, 0, 0], [1, 0, 0]])
    gltf, _ = _chunks(glb_bytes(Scene(layers={"p": p})))
    assert sorted(gltf["meshes"][0]["primitives"][0]["attributes"]) == ["COLOR_0", "POSITION"]


def test_room_outline_vertices_and_edges():
    scene = _full_scene()
    gltf, binary = _chunks(glb_bytes(scene, layers=[], boxes=False, cameras=False))
    (mesh,) = gltf["meshes"]
    prim = mesh["primitives"][0]
    xz = scene.room.floor_xz
    k = len(xz)
    expected = [[x, 0, z] for x, z in xz] + [[x, 2.5, z] for x, z in xz]
    np.testing.assert_allclose(_accessor(gltf, binary, prim["attributes"]["POSITION"]), expected)
    edges = _accessor(gltf, binary, prim["indices"]).reshape(-1, 2)
    ring = {frozenset((i, (i + 1) % k)) for i in range(k)}
    expected_edges = (
        ring
        | {frozenset((i + k, j + k)) for i, j in ring}
        | {frozenset((i, i + k)) for i in range(k)}
    )
    assert len(edges) == 3 * k and {frozenset(map(int, e)) for e in edges} == expected_edges
    assert [m["name"] for m in gltf["materials"]] == ["room outline"]  # no layers: no "surface"


def test_glb_options_and_messages():
    scene = _full_scene()
    gltf, _ = _chunks(glb_bytes(scene, cameras=False))
    assert "cameras" not in gltf and "cameras" not in gltf["scenes"][0]["extras"]["worldnb"]
    gltf, _ = _chunks(glb_bytes(scene))
    assert "cameras" in gltf["scenes"][0]["extras"]["worldnb"]
    with pytest.raises(InputError) as err:
        glb_bytes(scene, layers=["pts", "nope"])
    assert str(err.value) == "layers: no layer 'nope'; layers are nothing, pts, g, tex"


def test_a_texture_set_out_of_range_after_construction_clips_not_wraps():
    mesh = Mesh(TRI, [[0, 1, 2]], uv=TRI[:, :2], texture=np.zeros((1, 2, 3), np.float32))
    mesh.texture = np.array([[[-0.5, 0, 1], [2.0, 0.5, 1.01]]], np.float32)  # bypasses checks
    gltf, binary = _chunks(glb_bytes(Scene(layers={"m": mesh})))
    png = Image.open(io.BytesIO(_view_bytes(gltf, binary, gltf["images"][0]["bufferView"])))
    np.testing.assert_array_equal(np.asarray(png), [[[0, 0, 255], [255, 128, 255]]])
