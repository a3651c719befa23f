"""The 88 real ScanNet layouts of VSI-Bench (worldnb.scene.io.load_vsibench): conversion
z-up → y-up, yaw-only boxes, and questions on them. Needs the shared data folder beside
the repository (the ``vsibench_meta`` fixture)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from worldnb import spatial, worlds
from worldnb.errors import FormatError, InputError
from worldnb.scene.io import load_vsibench
from worldnb.scene.io.vsibench import box_from_scannet, read_vsibench_meta


def test_all_88_layouts_load_with_their_counts(vsibench_meta):
    scenes = load_vsibench(vsibench_meta)
    assert len(scenes) == 88
    raw = json.loads(vsibench_meta.read_text())
    assert [s.meta["scene"] for s in scenes] == list(raw)  # file order
    for s in scenes:
        # one object per published box (the published object_counts disagree with the
        # boxes for 12 labels in 10 scenes, e.g. scene0378_01 lists 1 printer, has 2 boxes)
        boxes = {lab: len(v) for lab, v in raw[s.meta["scene"]]["object_bbox"].items()}
        assert {lab: sum(o.label == lab for o in s.objects) for lab in boxes} == boxes
        assert min(o.box.bottom for o in s.objects) == pytest.approx(0.0, abs=1e-5)
        assert s.ask("How big is the room?").value == pytest.approx(
            raw[s.meta["scene"]]["room_size"], rel=1e-2
        )


def test_upright_box_keeps_its_extents_and_maps_z_up_to_y_up():
    yaw = 0.3
    c, s = math.cos(yaw), math.sin(yaw)
    axes = [c, s, 0, -s, c, 0, 0, 0, 1]  # rows: x axis, y axis, z (up) axis, in z-up world
    b = box_from_scannet(
        {"centroid": [1, 2, 3], "axesLengths": [2.0, 0.5, 0.8], "normalizedAxes": axes}
    )
    assert np.allclose(b.center, [1, 3, -2], atol=1e-6)  # (x, y, z) → (x, z, −y)
    assert b.size[1] == pytest.approx(0.8)
    assert sorted(b.size[[0, 2]]) == pytest.approx([0.5, 2.0])
    # the long side follows the box's x axis (cos, sin) in z-up → (cos, −sin) in (x, z)
    long_axis = b.rotation[:, 0] if b.size[0] > b.size[2] else b.rotation[:, 2]
    assert abs(abs(long_axis[[0, 2]] @ [c, -s]) - 1) < 1e-6


def test_tilted_box_is_enclosed(rng):
    R, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    L = np.array([1.0, 0.4, 0.7])
    src = {"centroid": [0, 0, 1], "axesLengths": L.tolist(), "normalizedAxes": R.ravel().tolist()}
    b = box_from_scannet(src)
    signs = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)]) * 2 - 1
    corners = np.array([0, 0, 1]) + (signs * L / 2) @ R
    yup = corners[:, [0, 2, 1]] * [1, 1, -1]
    assert b.contains(yup, tol=1e-5).all()


def test_folder_names_and_object_order(vsibench_meta):
    [a] = load_vsibench(vsibench_meta.parent, names=["scene0353_00"])  # the folder works too
    [b] = load_vsibench(vsibench_meta, names="scene0353_00")
    assert a == b and a.meta["scene"] == "scene0353_00"
    # labels in sorted order, ids from 1; the floor at the lowest bottom
    assert a.labels() == sorted(a.labels())
    assert [o.id for o in a.objects] == list(range(1, len(a.objects) + 1))
    assert a.meta["floor_area"] == read_vsibench_meta(vsibench_meta)["scene0353_00"]["room_size"]
    with pytest.raises(InputError, match="scene9999_00"):
        load_vsibench(vsibench_meta, names=["scene0353_00", "scene9999_00"])


def test_missing_or_garbled_file(tmp_path):
    with pytest.raises(InputError, match="no VSI-Bench meta file"):
        load_vsibench(tmp_path / "nope.json")
    with pytest.raises(InputError, match="no VSI-Bench meta file"):
        load_vsibench(tmp_path)  # a folder without the file
    with pytest.raises(InputError, match="expected the path"):
        load_vsibench(None)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(FormatError):
        load_vsibench(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(FormatError, match="scene name"):
        load_vsibench(bad)
    nan_box = {"centroid": [0, 0, float("nan")], "axesLengths": [1, 1, 1]}
    nan_box["normalizedAxes"] = np.eye(3).ravel().tolist()
    for info in (
        {"room_size": 10, "object_bbox": [{"centroid": [0, 0, 0]}]},  # a list, not a dict
        {"room_size": 10, "object_bbox": {"bed": [nan_box]}},
    ):
        bad.write_text(json.dumps({"scene0000_00": info}))
        with pytest.raises(FormatError, match="scene0000_00"):
            load_vsibench(bad)


def test_deprecated_aliases_warn_and_need_a_path(vsibench_meta):
    with pytest.warns(DeprecationWarning, match="load_vsibench"):
        old = spatial.load_vsibench_scenes(vsibench_meta, names=["scene0353_00"])
    assert old == load_vsibench(vsibench_meta, names=["scene0353_00"])
    with pytest.warns(DeprecationWarning), pytest.raises(InputError, match="pass its path"):
        spatial.load_vsibench_scenes()
    info = read_vsibench_meta(vsibench_meta)["scene0353_00"]
    with pytest.warns(DeprecationWarning):
        assert spatial.scannet_scene("scene0353_00", info) == old[0]
    with pytest.warns(DeprecationWarning):
        ids = worlds.scannet_scenes(vsibench_meta)
    assert len(ids) == 88 and ids == sorted(ids)
    with pytest.warns(DeprecationWarning):
        assert worlds.scannet_scene("scene0353_00", vsibench_meta) == old[0]
    with pytest.warns(DeprecationWarning):
        first = worlds.scannet_scene(path=vsibench_meta)
    assert first.meta["scene"] == ids[0]
    with pytest.warns(DeprecationWarning), pytest.raises(InputError, match="pass its path"):
        worlds.scannet_scene("scene0353_00")
    with pytest.warns(DeprecationWarning):
        rows = worlds.compare_with_scannet(vsibench_meta)
    assert rows and rows[0].keys() >= {"category", "n", "ratio"}
