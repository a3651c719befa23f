"""GLB export checked by the Khronos glTF validator and by trimesh; GLB import round trips."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import trimesh

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import Camera, Gaussians, OrientedBox, PointCloud, Scene
from worldnb.scene.io.glb import glb_bytes

JS = Path(__file__).resolve().parents[1] / "js"
VALIDATE = JS / "validate_gltf.mjs"


def _validate(paths: list[Path]) -> list[dict]:
    node = shutil.which("node")
    assert node, "node is missing: install Node.js (the Makefile runs `npm ci` in tests/js)"
    assert (JS / "node_modules" / "gltf-validator").is_dir(), "run `npm ci` in tests/js"
    out = subprocess.run(
        [node, str(VALIDATE), *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode in (0, 1), out.stderr
    reports = json.loads(out.stdout)
    assert len(reports) == len(paths)
    return reports


def _gltf_json(path: Path) -> dict:
    data = path.read_bytes()
    (n,) = struct.unpack_from("<I", data, 12)
    return json.loads(data[20 : 20 + n])


def _scenes(parts, rng) -> dict[str, Scene]:
    full = parts.scene(rng)
    boxes = Scene()
    boxes.add_object("table", OrientedBox((0, 0.4, 0), (1.2, 0.8, 0.7), 0.5))
    boxes.add_object("chair", OrientedBox((1, 0.45, 0), (0.5, 0.9, 0.5)), front=True)
    return {
        "full": full,
        "meshes": Scene(layers={"a": parts.mesh(rng), "b": parts.mesh(rng, colors=False)}),
        "points": Scene(layers={"p": parts.points(rng, n=100)}),
        "boxes": boxes,
        "room": Scene(room=parts.room()),
        "cameras": Scene(cameras=dict(full.cameras)),
        "textured": Scene(layers={"t": parts.mesh(rng, colors=False, textured=True)}),
        "gaussians": Scene(layers={"g": parts.gaussians(rng)}),
        "empty": Scene(),
        "empty_layers": Scene(layers={"none": PointCloud(np.zeros((0, 3)))}),
    }


def test_every_exported_glb_passes_the_khronos_validator(parts, rng, tmp_path):
    paths = [s.export(tmp_path / f"{name}.glb") for name, s in _scenes(parts, rng).items()]
    reports = _validate(paths)
    for path, rep in zip(paths, reports, strict=True):
        issues = rep["issues"]
        errors = [m for m in issues["messages"] if m["severity"] == 0]
        assert issues["numErrors"] == 0, f"{path.name}: {errors}"
        warnings = [m["code"] for m in issues["messages"] if m["severity"] == 1]
        assert warnings == [], f"{path.name}: {warnings}"
        assert rep["info"]["version"] == "2.0"
    full = next(r for r in reports if r["uri"] == "full.glb")["info"]
    assert full["hasTextures"] is True and full["totalVertexCount"] > 0


def test_the_validator_does_report_errors(tmp_path):
    # guard against a validator call that can never fail: a GLB with a broken accessor
    data = bytearray(glb_bytes(Scene(layers={"p": PointCloud(np.ones((3, 3)))})))
    gltf = json.loads(bytes(data[20 : 20 + struct.unpack_from("<I", data, 12)[0]]))
    gltf["accessors"][0]["max"] = [0.0, 0.0, 0.0]  # wrong POSITION bounds
    js = json.dumps(gltf).encode()
    js += b" " * (-len(js) % 4)
    old_len = struct.unpack_from("<I", data, 12)[0]
    rest = bytes(data[20 + old_len :])
    out = struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(js) + len(rest))
    out += struct.pack("<II", len(js), 0x4E4F534A) + js + rest
    (tmp_path / "bad.glb").write_bytes(out)
    (rep,) = _validate([tmp_path / "bad.glb"])
    assert rep["issues"]["numErrors"] > 0


def test_glb_structure(parts, rng, tmp_path):
    scene = parts.scene(rng)
    path = scene.export(tmp_path / "s.glb")
    g = _gltf_json(path)
    nodes = {n["name"]: n for n in g["nodes"]}
    assert {"points", "objects", "textured", "splats", "room", "main", "side"} <= set(nodes)
    assert {"bed 1", "chair 2", "lamp 3"} <= set(nodes)
    modes = {m["name"]: m["primitives"][0]["mode"] for m in g["meshes"]}
    assert modes["points"] == 0 and modes["splats"] == 0 and modes["objects"] == 4
    assert modes["bed"] == 1 and modes["room"] == 1
    pos = g["accessors"][g["meshes"][0]["primitives"][0]["attributes"]["POSITION"]]
    assert pos["componentType"] == 5126 and "min" in pos and "max" in pos
    col = g["accessors"][g["meshes"][0]["primitives"][0]["attributes"]["COLOR_0"]]
    assert col["componentType"] == 5121 and col["normalized"] is True
    assert all(v["byteOffset"] % 4 == 0 for v in g["bufferViews"])
    assert g["scenes"][0]["extras"]["worldnb"]["format"] == "worldnb.scene"


def test_cameras_use_the_gltf_convention(tmp_path):
    # hand-worked: a camera at (0, 0, 5) looking at the origin with +Y up is the glTF
    # default orientation (looking down -Z, +Y up): identity rotation
    cam = Camera.look_at((0, 0, 5), (0, 0, 0), width=40, height=30, fov_y_deg=50)
    g = _gltf_json(Scene(cameras={"c": cam}).export(tmp_path / "c.glb"))
    (node,) = g["nodes"]
    np.testing.assert_allclose(node["rotation"], [0, 0, 0, 1], atol=1e-7)
    np.testing.assert_allclose(node["translation"], [0, 0, 5])
    p = g["cameras"][node["camera"]]["perspective"]
    assert p["yfov"] == pytest.approx(np.radians(50)) and p["aspectRatio"] == pytest.approx(4 / 3)

    # general pose: the node's -Z is the camera's forward and +Y its image-up
    cam = Camera.look_at((1, 2, 3), (-1, 0.5, 0.2), width=40, height=30)
    g = _gltf_json(Scene(cameras={"c": cam}).export(tmp_path / "d.glb"))
    x, y, z, w = g["nodes"][0]["rotation"]
    R = trimesh.transformations.quaternion_matrix([w, x, y, z])[:3, :3]
    np.testing.assert_allclose(-R[:, 2], cam.forward, atol=1e-6)
    np.testing.assert_allclose(R[:, 1], -cam.T_world_camera[:3, 1], atol=1e-6)


def test_trimesh_reads_what_we_write(parts, rng, tmp_path):
    pc, mesh = parts.points(rng, n=30), parts.mesh(rng)
    path = Scene(layers={"p": pc, "m": mesh}).export(tmp_path / "s.glb")
    t = trimesh.load_scene(path, process=False)
    geoms = {type(g).__name__: g for g in t.geometry.values()}
    np.testing.assert_allclose(geoms["PointCloud"].vertices, pc.xyz, atol=1e-7)
    np.testing.assert_array_equal(
        geoms["PointCloud"].colors[:, :3], np.round(pc.rgb * 255).astype(np.uint8)
    )
    np.testing.assert_array_equal(geoms["Trimesh"].faces, mesh.faces)


def test_glb_roundtrip(parts, rng, tmp_path):
    scene = parts.scene(rng)
    back = worldnb.load(scene.export(tmp_path / "s.glb"))
    assert back.room == scene.room
    assert back.objects == scene.objects
    assert back.cameras == scene.cameras
    assert list(back.layers) == list(scene.layers)  # in node order
    tol = 0.5 / 255 + 1e-6
    p, q = scene.layers["points"], back.layers["points"]
    np.testing.assert_array_equal(q.xyz, p.xyz)
    np.testing.assert_allclose(q.rgb, p.rgb, atol=tol)
    for name in ("objects", "textured"):
        m, n = scene.layers[name], back.layers[name]
        np.testing.assert_array_equal(n.vertices, m.vertices)
        np.testing.assert_array_equal(n.faces, m.faces)
    np.testing.assert_allclose(
        back.layers["objects"].vertex_colors, scene.layers["objects"].vertex_colors, atol=tol
    )
    t, u = scene.layers["textured"], back.layers["textured"]
    np.testing.assert_allclose(u.uv, t.uv, atol=1e-6)
    np.testing.assert_allclose(u.texture, t.texture, atol=tol)
    g = scene.layers["splats"]
    assert isinstance(g, Gaussians) and isinstance(back.layers["splats"], PointCloud)
    np.testing.assert_array_equal(back.layers["splats"].xyz, g.means)


def test_foreign_glb_from_trimesh_with_a_camera_node(tmp_path):
    box = trimesh.creation.box((1, 2, 3))
    box.visual.vertex_colors = [255, 0, 0, 255]
    ts = trimesh.Scene()
    ts.add_geometry(
        box, node_name="crate", transform=trimesh.transformations.translation_matrix([1, 0, 0])
    )
    (tmp_path / "t.glb").write_bytes(ts.export(file_type="glb"))
    scene = worldnb.load(tmp_path / "t.glb")
    (mesh,) = scene.layers.values()
    np.testing.assert_allclose(mesh.bounds, [[0.5, -1, -1.5], [1.5, 1, 1.5]], atol=1e-6)
    np.testing.assert_allclose(mesh.vertex_colors, [[1, 0, 0]] * len(mesh.vertices))

    # a camera without worldnb extras is read from its node (OpenGL → OpenCV axes)
    gltf = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"name": "cam", "camera": 0, "translation": [0, 1, 4]}],
        "cameras": [
            {"type": "perspective", "perspective": {"yfov": 1.0, "aspectRatio": 2.0, "znear": 0.1}}
        ],
    }
    (tmp_path / "c.gltf").write_text(json.dumps(gltf))
    cam = worldnb.load(tmp_path / "c.gltf").cameras["cam"]
    np.testing.assert_allclose(cam.position, [0, 1, 4])
    np.testing.assert_allclose(cam.forward, [0, 0, -1], atol=1e-6)
    assert cam.width == 2 * cam.height and cam.fov_y_deg == pytest.approx(np.degrees(1.0))


def test_layer_selection_and_options(parts, rng, tmp_path):
    s = parts.scene(rng)
    g = _gltf_json(
        s.export(tmp_path / "a.glb", layers=["points"], boxes=False, room=False, cameras=False)
    )
    assert [n["name"] for n in g["nodes"]] == ["points"]
    g = _gltf_json(s.export(tmp_path / "a.glb", layers="splats", boxes=False, room=False))
    assert [n["name"] for n in g["nodes"]] == ["splats", "main", "side"]
    with pytest.raises(InputError, match="no layer 'nope'"):
        s.export(tmp_path / "b.glb", layers=["nope"])
    with pytest.raises(InputError, match="unknown option"):
        s.export(tmp_path / "c.glb", layer="points")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.glb"]


def test_gltf_with_external_buffers(tmp_path):
    files = trimesh.Scene(trimesh.creation.box((1, 2, 3))).export(file_type="gltf")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (mesh,) = worldnb.load(tmp_path / "model.gltf").layers.values()
    np.testing.assert_allclose(mesh.bounds, [[-0.5, -1, -1.5], [0.5, 1, 1.5]])
    gltf = json.loads(files["model.gltf"])
    for uri, message in (
        ("../../etc/passwd", "outside the file's folder"),
        ("gone.bin", "missing"),
    ):
        gltf["buffers"][0]["uri"] = uri
        (tmp_path / "bad.gltf").write_text(json.dumps(gltf))
        with pytest.raises(FormatError, match=message):
            worldnb.load(tmp_path / "bad.gltf")
