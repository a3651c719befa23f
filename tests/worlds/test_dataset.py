"""render_dataset writes the documented files (with the real renderer)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

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


def test_refuses_a_used_folder_and_leaves_nothing_on_bad_input(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(InputError, match="out_dir"):
        render_dataset(1, tmp_path / "used", progress=False)
    with pytest.raises(InputError, match="kinds"):
        render_dataset(1, tmp_path / "new", kinds=["garage"], progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["used"]
