"""GLB export, exactly: buffer-view targets, textures and samplers, read back from the
file's own JSON and BIN chunks (struct + PIL), not with worldnb."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
from PIL import Image

from worldnb.scene import Mesh, Scene
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
