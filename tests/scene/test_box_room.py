import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldnb import Opening, OrientedBox, Room
from worldnb.errors import InputError
from worldnb.scene import yaw_rotation


def test_yaw_convention():
    R = yaw_rotation(0.3)
    np.testing.assert_allclose(R @ [1, 0, 0], [math.cos(0.3), 0, -math.sin(0.3)])
    np.testing.assert_allclose(R @ [0, 1, 0], [0, 1, 0])
    assert np.linalg.det(R) == pytest.approx(1)


def test_box_corners_volume_contains():
    box = OrientedBox((1, 0.5, -1), (2, 1, 0.5), yaw=math.pi / 2)
    c = box.corners()
    assert c.shape == (8, 3)
    np.testing.assert_allclose(c.min(0), [0.75, 0, -2], atol=1e-6)
    np.testing.assert_allclose(c.max(0), [1.25, 1, 0], atol=1e-6)
    assert box.volume == pytest.approx(1.0)
    inside = box.contains([[1, 0.5, -1.9], [1.3, 0.5, -1], [1, 1.01, -1]])
    assert inside.tolist() == [True, False, False]
    np.testing.assert_allclose(box.front, [1, 0, 0], atol=1e-6)  # local +Z after yaw 90°


@settings(max_examples=50, deadline=None)
@given(yaw=st.floats(-7, 7), w=st.floats(0.1, 3), d=st.floats(0.1, 3))
def test_footprint_area_and_corners(yaw, w, d):
    box = OrientedBox((0.3, 1, 0.2), (w, 0.7, d), yaw)
    fp = box.footprint()
    assert fp.is_valid
    assert fp.area == pytest.approx(w * d, rel=1e-4)
    assert np.all(box.contains(box.corners(), tol=1e-4))


def test_box_bad_input():
    with pytest.raises(InputError, match="size"):
        OrientedBox((0, 0, 0), (1, 0, 1))
    with pytest.raises(InputError, match="center"):
        OrientedBox((0, np.nan, 0), (1, 1, 1))
    with pytest.raises(InputError, match="yaw"):
        OrientedBox((0, 0, 0), (1, 1, 1), yaw=float("inf"))
    with pytest.raises(InputError, match="center"):
        OrientedBox((0, 0), (1, 1, 1))


def test_room_rectangle_walls_and_normals():
    room = Room.rectangle(4, 3, height=2.5)
    assert room.area == pytest.approx(12)
    assert [w.compass for w in room.walls] == ["south", "east", "north", "west"]
    for w in room.walls:
        # the inward normal points towards the centre
        assert np.dot(w.normal, -w.midpoint) > 0
        assert np.linalg.norm(w.normal) == pytest.approx(1)
    assert room.wall("north").id == "wall_2"
    np.testing.assert_allclose(room.bounds, [[-2, 0, -1.5], [2, 2.5, 1.5]])


def test_room_orientation_normalised_ccw_from_above():
    cw = [(-1, -1), (1, -1), (1, 1), (-1, 1)]  # positive shoelace in (x, z): clockwise from above
    room = Room(cw)
    xz = room.floor_xz
    signed = 0.5 * np.sum(xz[:, 0] * np.roll(xz[:, 1], -1) - np.roll(xz[:, 0], -1) * xz[:, 1])
    assert signed < 0
    assert Room(cw) == Room(cw[::-1])


def test_l_shaped_room():
    room = Room([(0, 0), (4, 0), (4, -2), (2, -2), (2, -4), (0, -4)])
    assert room.area == pytest.approx(12)
    assert len(room.walls) == 6
    assert room.contains_xz([[1, -3], [3, -3]]).tolist() == [True, False]


def test_openings_positions_and_errors():
    door = Opening("door", "wall_0", offset=1.0, width=0.9, height=2.0)
    win = Opening("window", 2, offset=2.0, width=1.2, height=1.0, sill=0.9)
    room = Room.rectangle(4, 3, openings=[door, win])
    assert room.doors == (door,) and win.wall == "wall_2"
    a, b = room.opening_endpoints(door)
    np.testing.assert_allclose(a, [-2 + 0.55, 1.5], atol=1e-6)
    np.testing.assert_allclose(b, [-2 + 1.45, 1.5], atol=1e-6)
    np.testing.assert_allclose(room.opening_center(win), [0, 1.4, -1.5], atol=1e-6)
    with pytest.raises(InputError, match="does not fit"):
        Room.rectangle(4, 3, openings=[Opening("door", "wall_1", 2.9, 0.9)])
    with pytest.raises(InputError, match="ceiling"):
        Room.rectangle(4, 3, height=2.0, openings=[Opening("window", 0, 1, 1, 1.5, 1.0)])
    with pytest.raises(InputError, match="no wall"):
        Room.rectangle(4, 3, openings=[Opening("door", "wall_9", 1, 0.9)])
    with pytest.raises(InputError, match="kind"):
        Opening("hatch", 0, 1, 1)
    with pytest.raises(InputError, match="openings"):
        Room.rectangle(4, 3, openings=door)
    assert Room.rectangle(4, 3, openings=None).openings == ()


def test_bad_floor():
    with pytest.raises(InputError, match="at least 3"):
        Room([(0, 0), (1, 0)])
    with pytest.raises(InputError, match="simple"):
        Room([(0, 0), (1, 1), (1, 0), (0, 1)])  # bow tie
    with pytest.raises(InputError, match="height"):
        Room.rectangle(2, 2, height=-1)
    with pytest.raises(InputError, match="width"):
        Room.rectangle(True, 2)  # a flag, not 1 m


def test_opening_dicts_with_unknown_or_missing_fields_are_input_errors():
    door = {"kind": "door", "wall": "wall_0", "offset": 1.0, "width": 0.9}
    assert Room.rectangle(4, 3, openings=[door]).doors[0].width == 0.9
    with pytest.raises(InputError, match=r"unknown field.*color"):  # was TypeError
        Room.rectangle(4, 3, openings=[{**door, "color": "red"}])
    with pytest.raises(InputError, match=r"missing.*offset"):
        Room.rectangle(4, 3, openings=[{"kind": "door", "wall": 0, "width": 1}])
    with pytest.raises(InputError, match="unknown field"):
        Room.from_dict({"floor_xz": [[0, 0], [4, 0], [0, 4]], "openings": [{**door, 1: 2}]})


@pytest.mark.parametrize(
    "make",
    [
        lambda: Room([(0, 0), (1e39, 0), (0, 1e39)]),  # was inf in floor_xz: GEOSException in ask
        lambda: Room.rectangle(1e39, 3),
        lambda: Room([(1e6, 0), (1e6 + 3, 0), (1e6, 3)]),  # float32 keeps 6 cm there
        lambda: Room.rectangle(4, 3, height=1e300),
    ],
)
def test_rooms_beyond_float32_metres_are_refused(make):
    with pytest.raises(InputError, match=r"floor_xz|height"):
        make()


def test_repeated_vertices_make_no_zero_length_wall():
    doubled = Room([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1)])
    closed = Room([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
    assert len(doubled.walls) == len(closed.walls) == 4
    assert all(w.length > 0 and np.all(np.isfinite(w.normal)) for w in doubled.walls)
    assert doubled == closed


def test_wall_distance_to_points_and_bad_points():
    wall = Room.rectangle(4, 3).wall("south")  # z = +1.5, from x = −2 to x = 2
    np.testing.assert_allclose(wall.distance_to([0, 0]), [1.5])
    np.testing.assert_allclose(wall.distance_to([[0, 0], [3, 1.5]]), [1.5, 1.0])
    for bad in ("abc", [[1, 2], [3]], [1, 2, 3]):
        with pytest.raises(InputError, match="xz"):
            wall.distance_to(bad)


def test_box_triangles_are_closed_and_face_out():
    import trimesh

    box = OrientedBox((1.0, 2.0, 3.0), (1.0, 2.0, 3.0), yaw=0.7)
    v, f = box.triangles()
    assert v.shape == (8, 3) and f.shape == (12, 3) and f.dtype == np.int32
    mesh = trimesh.Trimesh(v, f, process=False)
    assert mesh.is_watertight and mesh.is_winding_consistent
    assert np.isclose(mesh.volume, 6.0, rtol=1e-5)  # positive: normals point out
    n = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    assert (np.einsum("ij,ij->i", n, v[f].mean(1) - box.center) > 0).all()
