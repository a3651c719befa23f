"""SpatialLM layout text: round trip, a hand-written file, bad files."""

from __future__ import annotations

import math

import numpy as np
import pytest

import worldnb
from worldnb import OrientedBox, Room, Scene
from worldnb.errors import FormatError, InputError
from worldnb.scene.io import load_spatiallm

# written by hand from the format's description (z up; walls as bottom corners)
HAND = """\
wall_0=Wall(-2,1.5,0,2,1.5,0,2.8,0)
wall_1=Wall(2,1.5,0,2,-1.5,0,2.8,0)
wall_2=Wall(2,-1.5,0,-2,-1.5,0,2.8,0)
wall_3=Wall(-2,-1.5,0,-2,1.5,0,2.8,0)
door_0=Door(wall_2,0.5,-1.5,1.0,0.9,2.0)
window_0=Window(wall_1,2,0,1.5,1.2,1.0)
bbox_4=Bbox(sofa,0.5,1.0,0.4,1.5707963,2.0,0.9,0.8)
bbox_7=Bbox(dining_table,-1,-0.5,0.375,0,1.2,0.8,0.75)
"""


def test_a_hand_written_file(tmp_path):
    path = tmp_path / "room.txt"
    path.write_text(HAND)
    scene = worldnb.load(path, format="spatiallm")
    room = scene.room
    assert room.area == pytest.approx(12.0) and room.height == pytest.approx(2.8)
    # SpatialLM's y = 1.5 is worldnb's z = −1.5
    assert sorted(map(tuple, np.round(room.floor_xz, 3).tolist())) == [
        (-2.0, -1.5), (-2.0, 1.5), (2.0, -1.5), (2.0, 1.5),
    ]  # fmt: skip
    (door,) = room.doors
    c = room.opening_center(door)
    assert np.allclose(c[[0, -1]], (0.5, 1.5)) and door.width == pytest.approx(0.9)
    assert door.height == pytest.approx(2.0) and door.sill == 0
    (window,) = room.windows
    assert np.allclose(room.opening_center(window)[[0, -1]], (2.0, 0.0))
    assert window.sill == pytest.approx(1.0) and window.height == pytest.approx(1.0)
    sofa, table = scene.object(4), scene.object(7)
    assert sofa.label == "sofa" and table.label == "dining table"
    assert np.allclose(sofa.box.center, (0.5, 0.4, -1.0))
    assert np.allclose(sofa.box.size, (2.0, 0.8, 0.9))  # width, height, depth
    assert sofa.box.yaw == pytest.approx(math.pi / 2)
    # its local +x (2 m long) runs along SpatialLM's +y, i.e. worldnb's −z
    corners = sofa.box.corners()
    assert np.ptp(corners[:, 2]) == pytest.approx(2.0, abs=1e-5)


def test_round_trip_keeps_room_openings_and_turned_boxes(tmp_path):
    room = Room(
        [(0, 0), (4, 0), (4, 2), (2, 2), (2, 3), (0, 3)], 2.6,
        [dict(kind="door", wall="wall_0", offset=1.0, width=0.8, height=2.0),
         dict(kind="window", wall="wall_3", offset=0.5, width=0.6, height=1.0, sill=0.9)],
    )  # fmt: skip
    scene = Scene(room=room)
    scene.add_object("bed", OrientedBox((1.0, 0.3, 1.0), (1.6, 0.6, 2.0), yaw=0.7))
    scene.add_object("office chair", OrientedBox((3.0, 0.5, 1.0), (0.6, 1.0, 0.6), yaw=-2.5))
    path = scene.export(tmp_path / "room.txt", format="spatiallm")
    back = load_spatiallm(path)
    assert back.meta["spatiallm"] == {"walls_closed": True, "skipped": []}
    assert back.room.polygon.symmetric_difference(room.polygon).area < 1e-6
    assert back.room.height == pytest.approx(2.6)
    for a, b in zip(sorted(room.openings, key=lambda o: o.kind),
                    sorted(back.room.openings, key=lambda o: o.kind), strict=True):  # fmt: skip
        assert np.allclose(room.opening_center(a), back.room.opening_center(b), atol=1e-5)
        assert (a.kind, a.width, a.height, a.sill) == pytest.approx(
            (b.kind, b.width, b.height, b.sill)
        )
    for o in scene.objects:
        p = back.object(o.id)
        assert p.label == o.label
        assert np.allclose(p.box.corners(), o.box.corners(), atol=1e-5)


def test_an_understood_style_scene_without_room_exports_boxes_only(tmp_path):
    scene = Scene()
    scene.add_object("chair", OrientedBox((0, 0.4, 0), (0.5, 0.8, 0.5)))
    text = scene.export(tmp_path / "a.txt", format="spatiallm").read_text()
    assert text.startswith("bbox_1=Bbox(chair,") and "Wall" not in text
    assert worldnb.load(tmp_path / "a.txt", format="spatiallm").room is None


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("wall_0=Wall(0,0,0,1,0,0,2.5)\n", "7 parameters, expected 8"),
        ("bbox_1=Bbox(chair,0,0,0,0,1,1)\n", "parameters"),
        ("this is not a layout\n", "line 1 is not SpatialLM"),
        ("bbox_1=Bbox(chair,0,0,0,0,1,1,x)\n", "expected numbers"),
        ("bbox_1=Bbox(chair,0,0,0,0,1,1,nan)\n", "finite"),
        ("bbox_1=Bbox(chair,0,0,0,0,1,1,1)\nbbox_1=Bbox(sofa,0,0,0,0,1,1,1)\n", "twice"),
        ("bbox_1=Bbox(chair,0,0,0,0,0,1,1)\n", "invalid data"),
        ("door_0=Door(wall_9,0,0,1,0.8,2)\n", "no line defines"),
        ("wall_0=Wall(0,0,0,1,0,0,2.5,0)\nwall_1=Wall(1,0,0,2,0,0,2.5,0)\n", "collinear"),
        ("chair_1=Chair(0,0,0)\n", "unknown entity"),
        ("\xff\xfe", "UTF-8"),
    ],
)
def test_bad_files_are_format_errors(tmp_path, text, match):
    path = tmp_path / "bad.txt"
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    with pytest.raises(FormatError, match=match):
        worldnb.load(path, format="spatiallm")


def test_format_names_are_checked(tmp_path):
    (tmp_path / "a.txt").write_text(HAND)
    with pytest.raises(InputError, match="format='spatiallm'"):
        worldnb.load(tmp_path / "a.txt")
    with pytest.raises(InputError, match="format: expected one of"):
        worldnb.load(tmp_path / "a.txt", format="spatial")
    with pytest.raises(InputError, match=r"does not exist|no such|not found|missing"):
        worldnb.load(tmp_path / "missing.txt", format="spatiallm")
