"""render_dataset writes the documented files (with the real renderer)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import worldnb.worlds.dataset as dataset_module
from worldnb.errors import InputError
from worldnb.worlds import render_dataset


def test_writes_the_documented_files(tmp_path):
    out = render_dataset(1, tmp_path / "ds", size=24, seed=3, cameras_per_room=2, progress=False)
    index = json.loads((out / "index.json").read_text())
    assert index["size"] == 24 and len(index["rooms"]) == 1 and index["labels"][0] == "none"
    assert (out / "README.md").read_text().count("view_00_depth.png") == 1
    for room in index["rooms"]:
        rdir = out / room["dir"]
        scene = json.loads((rdir / "scene.json").read_text())
        cams = json.loads((rdir / "cameras.json").read_text())
        assert len(cams) == room["views"] == 2 and cams[0]["width"] == 24
        ids = {o["id"] for o in scene["objects"]}
        labels = {o["id"]: o["label"] for o in scene["objects"]}
        for v in range(2):
            rgb = np.array(Image.open(rdir / f"view_{v:02d}_rgb.png"))
            depth = np.array(Image.open(rdir / f"view_{v:02d}_depth.png"))
            normals = np.array(Image.open(rdir / f"view_{v:02d}_normals.png"))
            sem = np.array(Image.open(rdir / f"view_{v:02d}_semantic.png"))
            inst = np.array(Image.open(rdir / f"view_{v:02d}_instance.png"))
            assert rgb.shape == (24, 24, 3) and rgb.dtype == np.uint8
            assert normals.shape == (24, 24, 3)
            assert depth.shape == (24, 24) and depth.max() > 0  # inside a closed room
            assert set(np.unique(inst)) - {0} <= ids
            for oid in set(np.unique(inst)) - {0}:
                k = int(np.unique(sem[inst == oid])[0])
                assert index["labels"][k] == labels[int(oid)]
            assert np.all(sem[inst == 0] == 0)
            albedo = np.array(Image.open(rdir / f"view_{v:02d}_albedo.png"))
            surface = np.array(Image.open(rdir / f"view_{v:02d}_surface.png"))
            assert albedo.shape == (24, 24, 3) and albedo.dtype == np.uint8
            assert not np.array_equal(albedo, rgb)  # lit colour is not the albedo
            assert np.array_equal(surface == 6, inst > 0)  # "object" where an object is
            assert set(np.unique(surface)) <= set(range(len(index["surface_labels"])))
        lighting = json.loads((rdir / "lighting.json").read_text())
        assert len(lighting) == 2 and lighting[0]["style"] in index["lighting_styles"]
    assert {"rgb", "albedo", "surface"} <= set(index["maps"])


def test_refuses_a_used_folder_and_leaves_nothing_on_bad_input(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(InputError, match="out_dir"):
        render_dataset(1, tmp_path / "used", progress=False)
    with pytest.raises(InputError, match="kinds"):
        render_dataset(1, tmp_path / "new", kinds=["garage"], progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["used"]


def test_an_interrupted_run_leaves_no_dataset_and_resumes(tmp_path, monkeypatch):
    calls = []
    real = dataset_module._render_room

    def flaky(i, *args):
        calls.append(i)
        if i == 1 and calls.count(1) == 1:
            raise KeyboardInterrupt  # killed while rendering the second room
        return real(i, *args)

    monkeypatch.setattr(dataset_module, "_render_room", flaky)
    kw = {"size": 16, "seed": 5, "cameras_per_room": 1, "progress": False}
    with pytest.raises(KeyboardInterrupt):
        render_dataset(3, tmp_path / "ds", **kw)
    assert not (tmp_path / "ds").exists()  # nothing half-written where the data goes
    out = render_dataset(3, tmp_path / "ds", **kw)
    assert calls == [0, 1, 1, 2]  # room 0 was kept, not rendered again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]
    index = json.loads((out / "index.json").read_text())
    assert [r["seed"] for r in index["rooms"]] == [5, 6, 7]
    for r in index["rooms"]:
        assert (out / r["dir"] / "view_00_albedo.png").exists()


def test_the_flat_look_and_held_out_lighting(tmp_path):
    out = render_dataset(1, tmp_path / "flat", size=16, cameras_per_room=1, look="flat",
                         progress=False)  # fmt: skip
    rdir = out / "room_0000"
    rgb = np.array(Image.open(rdir / "view_00_rgb.png"))
    assert np.array_equal(rgb, np.array(Image.open(rdir / "view_00_albedo.png")))
    out = render_dataset(2, tmp_path / "night", size=16, cameras_per_room=1,
                         lighting_styles=("night",), progress=False)  # fmt: skip
    for r in ("room_0000", "room_0001"):
        assert json.loads((out / r / "lighting.json").read_text())[0]["style"] == "night"
    with pytest.raises(InputError, match="look"):
        render_dataset(1, tmp_path / "x", look="toon", progress=False)
    with pytest.raises(InputError, match="lighting_styles"):
        render_dataset(1, tmp_path / "x", lighting_styles=("noon",), progress=False)
    assert not (tmp_path / "x").exists()
