""".wnb precision: compact storage (float16 / 8-bit where precision allows, each array
stored once), recorded in the manifest, and loading exact for what was stored."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from safetensors.numpy import load as st_load

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import Gaussians, Mesh, PointCloud, Scene
from worldnb.scene.io import wnb


def _scene(rng, n=500, offset=0.0):
    xyz = (rng.uniform(-3, 3, (n, 3)) + offset).astype(np.float32)
    rgb = rng.random((n, 3)).astype(np.float32)
    normals = rng.normal(size=(n, 3)).astype(np.float32)
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    q = rng.normal(size=(n, 4)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    g = Gaussians(xyz, rng.normal(-4, 1, (n, 3)), q, rng.normal(0, 2, n), rgb)
    photo = (rng.integers(0, 256, (16, 16, 3)) / 255).astype(np.float32)
    s = Scene(
        layers={
            "gaussians": g,
            "points": PointCloud(xyz, rgb, normals),  # the Gaussians' own centres: an alias
            "mesh": Mesh(xyz[:30], rng.integers(0, 30, (20, 3)), vertex_colors=rgb[:30]),
        },
        images={"input": photo, "depth": rng.uniform(1, 6, (16, 16)).astype(np.float32)},
    )
    return s


def _save(scene, tmp_path, precision, name="s.wnb"):
    path = scene.save(tmp_path / name, precision=precision)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        stored = st_load(zf.read("arrays.safetensors"))
    return path, manifest, stored


def test_compact_stores_half_and_8bit_and_records_it(rng, tmp_path):
    scene = _scene(rng)
    _, m, stored = _save(scene, tmp_path, "compact")
    assert m["precision"] == "compact"
    enc = m["encodings"]
    assert enc["images/input"] == "unorm8" and stored["images/input"].dtype == np.uint8
    for key in ("layers/gaussians/colors", "layers/gaussians/quats", "layers/gaussians/scales",
                "layers/gaussians/opacities", "layers/points/normals", "images/depth",
                "layers/gaussians/means"):  # fmt: skip
        assert enc[key] == "float16" and stored[key].dtype == np.float16, key
    assert enc["layers/mesh/faces"] == "delta"
    np.testing.assert_array_equal(
        np.cumsum(stored["layers/mesh/faces"].ravel()), scene.layers["mesh"].faces.ravel()
    )
    # the points are the Gaussians' centres and colours: stored once
    assert m["aliases"] == {
        "layers/points/xyz": "layers/gaussians/means",
        "layers/points/rgb": "layers/gaussians/colors",
    }
    assert "layers/points/xyz" not in stored


def test_compact_loading_is_exact_for_what_was_stored(rng, tmp_path):
    scene = _scene(rng)
    path, m, stored = _save(scene, tmp_path, "compact")
    back = worldnb.load(path)
    for name, layer in back.layers.items():
        for key, arr in layer.arrays().items():
            full = f"layers/{name}/{key}"
            src = stored[m["aliases"].get(full, full)]
            if m["encodings"].get(full) == "delta":
                src = np.cumsum(src.ravel()).reshape(src.shape)
            want = (src / np.float32(255)) if src.dtype == np.uint8 else src.astype(arr.dtype)
            assert arr.dtype == scene.layers[name].arrays()[key].dtype
            np.testing.assert_array_equal(arr, want.astype(arr.dtype))
    np.testing.assert_array_equal(back.images["input"], scene.images["input"])  # lossless
    np.testing.assert_array_equal(back.layers["mesh"].faces, scene.layers["mesh"].faces)
    # error bounds of what was not lossless
    g0, g1 = scene.layers["gaussians"], back.layers["gaussians"]
    assert np.abs(g1.means - g0.means).max() <= wnb.POSITION_TOLERANCE
    assert np.abs(g1.colors - g0.colors).max() <= 2**-11
    assert np.abs(back.images["depth"] / scene.images["depth"] - 1).max() <= 2**-11
    # saving what was loaded changes nothing more
    again = worldnb.load(back.save(tmp_path / "again.wnb", precision="compact"))
    assert again == back


def test_positions_that_float16_would_move_stay_float32(rng, tmp_path):
    scene = _scene(rng, offset=40.0)  # 40 m away: float16 steps are 3 cm there
    _, m, stored = _save(scene, tmp_path, "compact")
    assert "layers/gaussians/means" not in m["encodings"]
    assert stored["layers/gaussians/means"].dtype == np.float32
    back = worldnb.load(tmp_path / "s.wnb")
    np.testing.assert_array_equal(back.layers["gaussians"].means, scene.layers["gaussians"].means)


def test_full_precision_is_lossless_and_the_default_for_plain_scenes(rng, tmp_path):
    scene = _scene(rng)
    _, m, stored = _save(scene, tmp_path, None)
    assert m["precision"] == "full" and m["encodings"] == {}
    assert all(a.dtype != np.float16 for a in stored.values())
    assert worldnb.load(tmp_path / "s.wnb") == scene


def test_a_scene_can_ask_for_compact_and_bad_precision_is_refused(rng, tmp_path):
    scene = _scene(rng)
    scene.meta["save_precision"] = "compact"
    _, m, _ = _save(scene, tmp_path, None)
    assert m["precision"] == "compact"
    with pytest.raises(InputError, match="precision"):
        scene.save(tmp_path / "x.wnb", precision="tiny")
    assert not (tmp_path / "x.wnb").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["encodings"].update({"images/depth": "float8"}), "unknown encoding"),
        (lambda m: m["encodings"].update({"images/nope": "float16"}), "is missing"),
        (lambda m: m["encodings"].update({"images/input": "float16"}), "should be float16"),
        (lambda m: m["aliases"].update({"layers/points/xyz": "nope"}), "missing array"),
        (lambda m: m.update(aliases=[1]), "'aliases' must map"),
        (lambda m: m["encodings"].update({"layers/mesh/faces": "float16"}), "should be float16"),
    ],
)
def test_bad_encodings_and_aliases_are_format_errors(rng, tmp_path, edit, message):
    path, m, _ = _save(_scene(rng), tmp_path, "compact")
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    edit(m)
    members["manifest.json"] = json.dumps(m).encode()
    bad = tmp_path / "bad.wnb"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(FormatError, match=message):
        worldnb.load(bad)


def test_a_generated_scene_saves_compact_and_small(tmp_path):
    """The 10 MB budget of a 512² photo, per pixel, on a 128² photo (one view)."""
    from worldnb.generation import GenerationConfig
    from worldnb.generation.demo import textured_room, textured_room_camera
    from worldnb.testing import OracleDepth, OracleInpaint

    room, cam = textured_room(0), textured_room_camera(128)
    photo = np.round(worldnb.render(room, cam, device="cpu").rgb * 255).astype(np.uint8)
    scene = worldnb.generate(
        photo,
        GenerationConfig(n_views=1),
        depth=OracleDepth(room, cam, device="cpu"),
        inpaint=OracleInpaint(room, cam, device="cpu"),
        device="cpu",
        progress=False,
    )
    compact = scene.save(tmp_path / "c.wnb")
    full = scene.save(tmp_path / "f.wnb", precision="full")
    assert compact.stat().st_size <= 10e6 * (128 / 512) ** 2
    assert compact.stat().st_size < 0.5 * full.stat().st_size
    back = worldnb.load(compact)
    np.testing.assert_array_equal(back.images["input"], scene.images["input"])  # 8-bit photo
    np.testing.assert_array_equal(back.layers["mesh"].faces, scene.layers["mesh"].faces)
    g0, g1 = scene.layers["gaussians"], back.layers["gaussians"]
    assert np.abs(g1.means - g0.means).max() <= wnb.POSITION_TOLERANCE
    assert worldnb.load(full) == scene
