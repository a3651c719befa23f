"""Scene JSON: room + objects (+ cameras) for the spatial engine, read back exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest

import worldnb
from worldnb.errors import FormatError
from worldnb.scene import OrientedBox, Scene


def test_json_roundtrip_is_exact(scene, tmp_path):
    path = scene.export(tmp_path / "s.json")
    back = worldnb.load(path)
    assert back.room == scene.room and back.room.openings == scene.room.openings
    assert back.cameras == scene.cameras
    assert back.layers == {} and back.images == {}
    for a, b in zip(scene.objects, back.objects, strict=True):
        assert a.to_dict() == b.to_dict()  # bit-exact floats, attrs, geometry, front
        np.testing.assert_array_equal(a.box.center, b.box.center)
    np.testing.assert_array_equal(back.room.floor_xz, scene.room.floor_xz)
    # and a scene with only these parts is equal after the round trip
    part = Scene(room=scene.room, objects=scene.objects, cameras=scene.cameras)
    assert back == part


def test_json_schema_fields(scene, tmp_path):
    d = json.loads(scene.export(tmp_path / "s.json").read_text())
    assert d["format"] == "worldnb.scene" and d["version"] == 1
    assert set(d) == {"format", "version", "room", "objects", "cameras"}
    assert d["room"]["openings"][1] == {
        "kind": "window", "wall": "wall_2", "offset": 2.0, "width": 1.2, "height": 1.1, "sill": 0.9
    }  # fmt: skip
    bed = d["objects"][0]
    assert bed["label"] == "bed" and bed["front"] is True and bed["attrs"]["color"] == "white"
    assert set(bed["box"]) == {"center", "size", "yaw"}
    assert d["cameras"][0]["name"] == "main"
    no_cams = json.loads(scene.export(tmp_path / "n.json", cameras=False).read_text())
    assert "cameras" not in no_cams


def test_scene_without_room(tmp_path):
    s = Scene()
    s.add_object("box", OrientedBox((0, 0.5, 0), (1, 1, 1)), weight=np.float32(2.5))
    back = worldnb.load(s.export(tmp_path / "s.json"))
    assert back.room is None and back == s and back.object(1).attrs == {"weight": 2.5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"asset": {"version": "2.0"}}', "not a worldnb scene JSON"),
        ('{"format": "worldnb.scene"}', "integer 'version'"),
        ('{"format": "worldnb.scene", "version": 7}', "newer than this worldnb"),
        ('{"format": "worldnb.scene", "version": 1, "objects": 3}', "'objects' must be a list"),
        (
            '{"format": "worldnb.scene", "version": 1, "objects": [{"id": 1, "label": "x", '
            '"box": {"center": [0, 0, NaN], "size": [1, 1, 1]}}]}',
            "invalid data",
        ),
        (
            '{"format": "worldnb.scene", "version": 1, "room": {"floor_xz": [[0, 0], [1, 1]], '
            '"height": 2}}',
            "at least 3 vertices",
        ),
        ('{"format": "worldnb.scene", "version": 1, "cameras": [{"name": "c"}]}', "invalid data"),
        (
            '{"format": "worldnb.scene", "version": 1, "objects": [{"id": 1, "label": "x", '
            '"box": {"center": [0, 0, 1e308], "size": [1, 1, 1]}}]}',
            "overflow float32",
        ),
        ("[" * 100000 + "]" * 100000, "RecursionError|not valid"),
    ],
)
def test_bad_json_files(text, message, tmp_path):
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(FormatError, match=message) as err:
        worldnb.load(tmp_path / "bad.json")
    assert "bad.json" in str(err.value)
