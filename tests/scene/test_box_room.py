import math

import numpy as np
import pytest
import shapely
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


# ---- rooms: exact limits, names in messages, dtypes (values worked out by hand) ---------


def test_room_defaults_dtypes_and_repr():
    room = Room([(0, 0), (4, 0), (0, 3)])
    assert room.height == 2.7 and Room.rectangle(4, 3).height == 2.7
    assert room.floor_xz.dtype == np.float32
    w = room.walls[0]
    assert w.start.dtype == w.end.dtype == w.normal.dtype == np.float32
    assert w.point_at(1.0).dtype == np.float32 and w.midpoint.dtype == np.float32
    door = Opening("door", "south", 1.0, 0.9)
    rect = Room.rectangle(4, 3, openings=[door, Opening("window", 1, 1.5, 1.0, 1.0, 1.0)])
    assert rect.opening_center(door).dtype == np.float32
    assert repr(rect) == "Room(4.00 × 3.00 m, 12.0 m², height 2.70 m, 1 door(s), 1 window(s))"


def test_room_walls_by_index_compass_and_unknown_id():
    room = Room.rectangle(4, 3)
    assert room.wall(2).id == "wall_2" and room.wall(np.int64(1)).id == "wall_1"
    assert room.wall("east").id == "wall_1" and room.wall("wall_3").id == "wall_3"
    with pytest.raises(InputError) as err:
        room.wall("wall_7")
    assert str(err.value) == (
        "no wall 'wall_7' in this room; walls are wall_0, wall_1, wall_2, wall_3 "
        "(or a compass name)"
    )


def test_room_equality_compares_every_field():
    room = Room.rectangle(4, 3)
    assert room == Room.rectangle(4, 3)
    assert room != Room.rectangle(4, 3, height=3.0)  # only the height differs
    assert room != Room.rectangle(4, 3.5)  # only the floor differs (same vertex count)
    assert room != Room([(-2, 1.5), (2, 1.5), (2.5, -1.5), (-2, -1.5)])  # one vertex 0.5 m off
    door = Opening("door", 0, 1.0, 0.9)
    assert room != Room.rectangle(4, 3, openings=[door])  # only the openings differ
    # coordinates within 1e-6 m are the same floor, also next to the origin
    tri = [(0.0, 0.0), (4.0, 0.0), (0.0, 3.0)]
    assert Room(tri) == Room([(5e-7, 0.0), (4.0, 0.0), (0.0, 3.0)])
    assert Room(tri) != Room([(5e-6, 0.0), (4.0, 0.0), (0.0, 3.0)])
    assert room.__eq__("room") is NotImplemented


def _ccw_from_above(xz) -> bool:
    # counter-clockwise seen from above (looking down −Y) is clockwise in the (x, z) plane
    return not shapely.LinearRing(np.asarray(xz, np.float64)).is_ccw


@pytest.mark.parametrize(
    "floor",
    [
        [(1, 2), (5, 3), (2, 7)],  # off the origin
        [(0, 0), (0.5, 0), (0.5, 1)],  # half a square metre
        [(0, 0), (4, 0), (4, -2), (2, -2), (2, -4), (0, -4)],  # L
        [(3, 1), (6, 1), (6, 4), (3, 4)],
    ],
)
def test_room_floor_runs_ccw_from_above_whichever_way_given(floor):
    for pts in (floor, floor[::-1]):
        room = Room(pts)
        assert _ccw_from_above(room.floor_xz)
        assert {tuple(p) for p in room.floor_xz.tolist()} == {tuple(map(float, p)) for p in floor}
        for w in room.walls:  # inward normals
            inner = w.midpoint + 0.01 * w.normal
            assert room.contains_xz([inner])[0]


def test_room_floor_limits_and_messages():
    corner = 1e5  # exactly MAX_EXTENT is allowed
    assert Room([(0, 0), (corner, 0), (0, corner)]).area == pytest.approx(corner**2 / 2)
    assert Room.rectangle(4, 3, height=1e5).height == 1e5
    for pts, n in (([(0, 0)], 1), ([(0, 0), (0, 0)], 0), ([(0, 0), (1, 0)], 2)):
        with pytest.raises(InputError) as err:
            Room(pts)
        assert str(err.value) == f"floor_xz: a floor needs at least 3 vertices, got {n}"
    with pytest.raises(InputError, match=r"^floor_xz: expected shape"):
        Room([(0, 0, 1), (1, 0, 1), (0, 1, 1)])
    # a self-intersecting floor with a positive area is refused, naming the reason
    with pytest.raises(InputError) as err:
        Room([(0, 0), (2, 0), (2, 2), (1, -1), (0, 2)])
    assert str(err.value).startswith(
        "floor_xz: the floor polygon must be simple (no self-intersections) and have "
        "positive area (Self-intersection["
    )
    with pytest.raises(InputError, match=r"^floor_xz: the floor polygon must be simple"):
        Room([(0, 0), (1, 0), (0.5, 2e-9)])  # 1e-9 m²: no floor at all
    with pytest.raises(InputError, match=r"^height: expected a finite positive number"):
        Room.rectangle(2, 2, height=-1)
    with pytest.raises(InputError, match=r"^width: expected"):
        Room.rectangle(-1, 2)
    with pytest.raises(InputError, match=r"^depth: expected"):
        Room.rectangle(2, -1)


def test_room_openings_argument_must_be_a_list_of_openings():
    for bad, kind in ((5, "int"), ("door", "str")):
        with pytest.raises(InputError) as err:
            Room.rectangle(4, 3, openings=bad)
        assert str(err.value) == f"openings: expected a list of Opening objects, got {kind}"
    with pytest.raises(InputError) as err:
        Room.rectangle(4, 3, openings=[5])
    assert str(err.value) == "openings: expected Opening objects, got int"
    door = {"kind": "door", "wall": "wall_0", "offset": 1.0, "width": 0.9}
    with pytest.raises(InputError) as err:
        Room.rectangle(4, 3, openings=[{**door, "color": "red"}])
    assert str(err.value).startswith("openings: unknown field(s) ['color'] in {")
    assert str(err.value).endswith(
        "an opening has kind, wall, offset, width, height, sill (the first four required)"
    )


def test_openings_fit_their_wall_exactly_and_name_bad_fields():
    # the south wall of a 4 × 3 room is 4 m long, the ceiling 2.5 m high
    fits = [
        Opening("door", 0, 0.5, 1.0),  # flush with the wall's start
        Opening("door", 0, 3.5, 1.0),  # flush with its end
        Opening("window", 2, 2.0, 1.0, height=2.0, sill=0.5),  # up to the ceiling
    ]
    assert len(Room.rectangle(4, 3, height=2.5, openings=fits).openings) == 3
    for off in (0.4, 3.6):  # 0.1 m past the start / the end
        with pytest.raises(InputError, match="does not fit"):
            Room.rectangle(4, 3, openings=[Opening("door", 0, off, 1.0)])
    with pytest.raises(InputError, match="ceiling"):
        Room.rectangle(4, 3, height=2.5, openings=[Opening("window", 0, 2, 1, 2.0, 0.625)])
    with pytest.raises(InputError, match=r"^Opening.wall: expected a wall id like 'wall_0'"):
        Opening("door", 1.5, 1.0, 0.9)
    with pytest.raises(InputError, match=r"^Opening.width: expected"):
        Opening("door", 0, 1.0, -0.9)
    with pytest.raises(InputError, match=r"^Opening.height: expected"):
        Opening("door", 0, 1.0, 0.9, height=0)
    with pytest.raises(InputError, match=r"^Opening.offset: expected"):
        Opening("door", 0, -1.0, 0.9)
    with pytest.raises(InputError, match=r"^Opening.sill: expected"):
        Opening("window", 0, 1.0, 0.9, sill=-0.5)


def test_room_and_opening_dicts_and_with_openings():
    win = Opening("window", "wall_2", 2.0, 1.2, 1.0, 0.9)
    assert win.to_dict() == {
        "kind": "window",
        "wall": "wall_2",
        "offset": 2.0,
        "width": 1.2,
        "height": 1.0,
        "sill": 0.9,
    }
    room = Room.rectangle(4, 3, height=2.5, openings=[win])
    assert room.to_dict() == {
        "floor_xz": [[-2.0, 1.5], [2.0, 1.5], [2.0, -1.5], [-2.0, -1.5]],
        "height": 2.5,
        "openings": [win.to_dict()],
    }
    assert Room.from_dict(room.to_dict()) == room
    assert Room.from_dict({"floor_xz": [[0, 0], [4, 0], [0, 3]], "openings": []}).height == 2.7
    with pytest.raises(InputError, match=r"^room dict is missing or has a bad field: 'openings'"):
        Room.from_dict({"floor_xz": [[0, 0], [4, 0], [0, 3]]})
    door = Opening("door", 0, 1.0, 0.9)
    moved = room.with_openings([door])
    assert moved.openings == (door,) and moved.height == 2.5
    np.testing.assert_array_equal(moved.floor_xz, room.floor_xz)


def test_wall_distance_clamps_to_the_segment_ends():
    wall = Room.rectangle(4, 3).wall("south")  # z = 1.5, from x = −2 to x = 2
    np.testing.assert_allclose(wall.distance_to([[-3, 1.5], [3, 1.5], [-3, 2.5]]), [1, 1, 2**0.5])
    short = Room.rectangle(0.5, 0.5).wall("south")  # z = 0.25, x from −0.25 to 0.25
    np.testing.assert_allclose(short.distance_to([[0.0, 1.25], [1.25, 0.25]]), [1.0, 1.0])
    with pytest.raises(InputError, match=r"^xz: expected shape"):
        wall.distance_to([1, 2, 3])


# ---- boxes: exact limits, equality tolerances, messages ---------------------------------


def test_box_faces_are_a_closed_outward_surface_without_trimesh():
    box = OrientedBox((0.5, 1.0, -0.25), (2.0, 1.0, 0.5), yaw=0.0)
    v, f = box.triangles()
    assert f.shape == (12, 3) and f.dtype == np.int32 and sorted(set(f.ravel())) == list(range(8))
    # closed and consistently wound: every directed edge once, its reverse once
    edges = [(int(t[i]), int(t[(i + 1) % 3])) for t in f for i in range(3)]
    assert len(set(edges)) == 36 and all((b, a) in set(edges) for a, b in edges)
    # divergence theorem: the signed volume is +2 × 1 × 0.5 m³ when normals point out
    p = v.astype(np.float64)[f]
    assert np.einsum("ij,ij->i", p[:, 0], np.cross(p[:, 1], p[:, 2])).sum() / 6 == pytest.approx(1)
    # each face lies on one side of the box: its three corners share that side's coordinate
    local = box.to_local(v)
    for tri in local[f]:
        assert any(np.ptp(tri[:, k]) == 0 for k in range(3))


def test_box_equality_tolerances_per_field():
    box = OrientedBox((1.0, 0.5, 2.0), (1.0, 1.0, 2.0), yaw=0.0)
    assert box == OrientedBox((1.0, 0.5, 2.0), (1.0, 1.0, 2.0), 5e-8)  # within 1e-7 rad
    assert box != OrientedBox((1.0, 0.5, 2.0), (1.0, 1.0, 2.0), 0.5)  # only the yaw differs
    assert box != OrientedBox((1.5, 0.5, 2.0), (1.0, 1.0, 2.0))  # only the centre differs
    assert box != OrientedBox((1.0, 0.5, 2.0), (1.5, 1.0, 2.0))  # only the size differs
    # within 1e-6 m is the same box, also next to zero
    at0 = OrientedBox((0.0, 0.5, 0.0), (1.0, 1.0, 1.0))
    assert at0 == OrientedBox((5e-7, 0.5, 0.0), (1.0, 1.0, 1.0))
    assert at0 != OrientedBox((5e-6, 0.5, 0.0), (1.0, 1.0, 1.0))
    small = OrientedBox((0.0, 0.5, 0.0), (1e-3, 1.0, 1.0))
    assert small == OrientedBox((0.0, 0.5, 0.0), (1e-3 + 5e-7, 1.0, 1.0))
    assert small != OrientedBox((0.0, 0.5, 0.0), (1e-3 + 5e-6, 1.0, 1.0))
    assert box.__eq__("box") is NotImplemented


def test_box_contains_on_the_faces_and_to_local_in_float64():
    box = OrientedBox((0.0, 0.5, 0.0), (1.0, 1.0, 1.0))
    on_faces = [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.0, 0.5, -0.5]]
    assert box.contains(on_faces, tol=0.0).tolist() == [True, True, True]
    assert box.contains([[0.5 + 2e-6, 0.5, 0.0]]).tolist() == [False]
    assert box.contains([[0.5 + 5e-7, 0.5, 0.0]]).tolist() == [True]  # within 1e-6
    # float32 points are subtracted in float64: 2^24 − 0.1 is not a float32
    far = OrientedBox((0.1, 0.0, 0.0), (1.0, 1.0, 1.0))
    local = far.to_local(np.array([[2.0**24, 0.0, 0.0]], np.float32))
    assert local.dtype == np.float64 and local[0, 0] == 2.0**24 - float(np.float32(0.1))
    with pytest.raises(InputError, match=r"^xyz: expected shape"):
        box.to_local([1.0, 2.0])


def test_box_dicts_and_repr():
    box = OrientedBox((1.0, 0.5, -2.0), (2.0, 1.0, 0.5), yaw=math.pi / 2)
    assert OrientedBox.from_dict({"center": [1, 0.5, -2], "size": [2, 1, 0.5]}).yaw == 0.0
    assert OrientedBox.from_dict(box.to_dict()) == box
    with pytest.raises(InputError, match=r"^box dict is missing or has a bad field: 'size'"):
        OrientedBox.from_dict({"center": [0, 0, 0]})
    assert repr(box) == "OrientedBox(center=(1, 0.5, -2), size=2 × 1 × 0.5 m, yaw=90.0°)"


def test_box_copies_its_inputs_and_names_bad_ones_exactly():
    center = np.array([0.0, 0.5, 0.0], np.float32)  # already float32: no cast, no copy
    size = np.array([1.0, 1.0, 2.0], np.float32)
    b = OrientedBox(center, size)
    center[0], size[0] = 5.0, 9.0  # later edits to the caller's arrays do not leak in
    assert b.center.tolist() == [0.0, 0.5, 0.0] and b.size.tolist() == [1.0, 1.0, 2.0]
    assert b.corners().dtype == np.float32
    with pytest.raises(InputError, match=r"^center: expected shape \(3\), got \(2,\)"):
        OrientedBox((0, 0), (1, 1, 1))
    with pytest.raises(InputError, match=r"^size: expected shape \(3\), got \(2,\)"):
        OrientedBox((0, 0, 0), (1, 1))
    with pytest.raises(InputError) as err:
        OrientedBox((0, 0, 0), (1, 1, 1), yaw="north")
    assert str(err.value) == "yaw: expected radians as a number, got 'north'"


def test_contains_xz_names_its_argument_in_shape_errors():
    room = Room.rectangle(4, 4)
    with pytest.raises(InputError, match=r"^xz: expected shape \(N, 2\), got \(3,\)$"):
        room.contains_xz([1.0, 2.0, 3.0])
    assert room.contains_xz(np.zeros((0, 2))).tolist() == []


def test_floor_queries_keep_points_in_float64_far_from_the_origin():
    # a 4 × 4 m room 65.5 km out (x0 = 2¹⁶: its corners are exact in float32, whose steps
    # are 4 mm just below x0): a point 1 mm beyond the west wall is outside, 1 mm from it
    x0 = 65536.0
    room = Room([(x0, 0), (x0 + 4, 0), (x0 + 4, 4), (x0, 4)])
    assert room.contains_xz([[x0 - 0.001, 2.0], [x0 + 0.001, 2.0]]).tolist() == [False, True]
    west = min(room.walls, key=lambda w: abs(float(w.start[0]) - x0) + abs(float(w.end[0]) - x0))
    assert west.start[0] == west.end[0] == x0
    np.testing.assert_allclose(west.distance_to([[x0 - 0.001, 2.0]]), [0.001], rtol=1e-6)
