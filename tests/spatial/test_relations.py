"""Frames and relations: explicit frames agree with geometry and with the camera image;
the scene graph agrees with the plain predicates; bad input is named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from worldnb.errors import QueryError
from worldnb.scene import Camera, OrientedBox, Room, Scene
from worldnb.spatial import (
    EgoFrame,
    ObjectFrame,
    RoomFrame,
    SpatialIndex,
    ViewerFrame,
    above,
    against_wall,
    behind,
    below,
    between,
    clearance,
    facing,
    facing_angle,
    farthest,
    front_ray_hits,
    in_corner,
    in_front_of,
    inside,
    left_of,
    near,
    nearest,
    next_to,
    on,
    relation,
    relations,
    right_of,
    turn_direction,
    walls_near,
)
from worldnb.spatial import predicates as R
from worldnb.spatial.frames import Frame


def test_room_frame_compass(room_scene):
    o = {x.id: x for x in room_scene.objects}
    f = RoomFrame(room_scene.room)
    assert left_of(o[1], o[4], f) and right_of(o[4], o[1], f)  # bed west of desk
    assert in_front_of(o[7], o[1], f) and behind(o[1], o[7], f)  # sofa south of bed
    assert f.compass(o[4]) == "north-east" and f.compass(o[10]) == "south-east"


def test_object_frame_front_and_right_hand():
    s = Scene()
    chair = s.add_object("chair", OrientedBox((0, 0.45, 0), (0.5, 0.9, 0.5), 0.0), front=True)
    east = s.add_object("box", OrientedBox((2, 0.5, 0), (0.5, 1, 0.5)))
    ahead = s.add_object("box", OrientedBox((0, 0.5, 2), (0.5, 1, 0.5)))
    f = ObjectFrame(chair)  # faces +Z, so its right hand points to −X
    assert left_of(east, chair, f) and not right_of(east, chair, f)
    assert in_front_of(ahead, chair, f) and not behind(ahead, chair, f)
    assert facing(chair, ahead) and not facing(chair, east)


def test_viewer_frame_agrees_with_the_image():
    cam = Camera.look_at(eye=(0, 1.6, 4), target=(0, 0.5, 0), fov_y_deg=60, width=320, height=240)
    s = Scene(cameras={"main": cam})
    rng = np.random.default_rng(1)
    boxes = [
        s.add_object(
            "box",
            OrientedBox((*rng.uniform(-2, 2, 1), 0.3, *rng.uniform(-2, 1, 1)), (0.3, 0.6, 0.3)),
        )
        for _ in range(12)
    ]
    f = ViewerFrame(cam)
    uv, _ = cam.project(np.stack([b.box.center for b in boxes]))
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes):
            if abs(uv[i, 0] - uv[j, 0]) > 8:  # clearly apart in the picture
                assert left_of(a, b, f) == (uv[i, 0] < uv[j, 0])
    near_box = min(boxes, key=lambda b: np.linalg.norm(b.box.center - cam.position))
    far_box = max(boxes, key=lambda b: np.linalg.norm(b.box.center - cam.position))
    assert in_front_of(near_box, far_box, f)


def test_ego_frame_135_degree_rule():
    s = Scene()
    me = s.add_object("a", OrientedBox((0, 0.5, 0), (0.2, 1, 0.2)))
    ahead = s.add_object("b", OrientedBox((0, 0.5, -2), (0.2, 1, 0.2)))  # facing north
    f = EgoFrame(me, ahead)
    at = lambda deg: (2 * math.sin(math.radians(deg)), 2 * -math.cos(math.radians(deg)))  # noqa: E731
    assert f.direction(at(90)) == "right" and f.direction(at(-90)) == "left"  # east is right
    assert f.direction(at(130)) == "right" and f.direction(at(140)) == "back"
    assert f.direction(at(-140)) == "back" and f.direction(at(140), "left-right") == "right"
    assert f.direction(at(100), "quadrant") == "back-right"
    assert turn_direction((0, -1), (1, 0))[0] == "right"
    assert turn_direction((0, -1), (0, 1))[0] == "back"


def test_support_and_neighbour_predicates(room_scene):
    o = {x.id: x for x in room_scene.objects}
    assert on(o[3], o[2]) and above(o[3], o[2]) and below(o[2], o[3]) and not on(o[2], o[3])
    assert on(o[14], o[4]) and not on(o[15], o[1])
    assert next_to(o[2], o[1]) and not next_to(o[3], o[2])  # the lamp is on it, not beside
    assert near(o[8], o[1]) and not near(o[1], o[7])
    assert near(o[1], o[7], threshold=2.0)
    assert between(o[8], o[7], o[1]) and not between(o[4], o[1], o[7])
    assert facing(o[12], o[8]) and facing(o[7], o[8]) and not facing(o[8], o[7])
    assert inside(OrientedBox((2.2, 0.3, -2.1), (0.2, 0.2, 0.2)), o[4])
    assert against_wall(o[1], room_scene.room) and not against_wall(o[8], room_scene.room)
    assert in_corner(o[4], room_scene.room) and not in_corner(o[1], room_scene.room)
    chairs = [x for x in room_scene.objects if x.label == "chair"]
    assert nearest(o[8], chairs).id == 12 and farthest(o[8], chairs).id == 5


def test_relation_lists_what_holds(room_scene):
    o = {x.id: x for x in room_scene.objects}
    r = relation(o[3], o[2])
    assert r["on"] and r["above"] and r["near"] and "on" in r["holds"]
    assert r["distance"] == pytest.approx(0.0, abs=1e-6)
    assert "north = −Z" in r["frame"]


def _graph_from_predicates(scene, near_m=1.0):
    f = RoomFrame(scene.room)
    edges = set()
    objs = list(scene.objects)
    for a in objs:
        for b in objs:
            if a is b or R.distance(a, b) > near_m:
                continue
            edges.add((a.id, "near", b.id))
            for name in ("on", "above", "below", "inside", "next_to"):
                if getattr(R, name)(a, b):
                    edges.add((a.id, name, b.id))
            if a.front and R.facing(a, b):
                edges.add((a.id, "facing", b.id))
            for name in ("left_of", "right_of", "in_front_of", "behind"):
                if getattr(R, name)(a, b, frame=f):
                    edges.add((a.id, name, b.id))
        if scene.room is not None:
            if R.against_wall(a, scene.room):
                edges.add((a.id, "against_wall", -1))
            if R.in_corner(a, scene.room):
                edges.add((a.id, "in_corner", -1))
    return edges


def test_scene_graph_matches_the_predicates(room_scene):
    g = relations(room_scene)
    got = {(e["subject"], e["predicate"], e["object"]) for e in g.edges}
    assert got == _graph_from_predicates(room_scene)
    assert (3, "on", 2) in got and (1, "against_wall", -1) in got
    assert g.to_networkx().number_of_edges() == len(g.edges)


def test_index_pairs_match_brute_force(rng):
    s = Scene()
    for _ in range(150):
        s.add_object(
            "box",
            OrientedBox(
                (*rng.uniform(0, 12, 1), 0.4, *rng.uniform(0, 12, 1)),
                rng.uniform(0.2, 1.0, 3),
                rng.uniform(0, 3),
            ),
        )
    objs = list(s.objects)
    brute = {
        (a.id, b.id)
        for i, a in enumerate(objs)
        for b in objs[i + 1 :]
        if a.box.footprint().distance(b.box.footprint()) <= 0.7
    }
    assert set(SpatialIndex(objs).pairs_within(0.7)) == brute
    assert set(SpatialIndex(s).pairs_within(0.7)) == brute  # a Scene works too
    with pytest.raises(QueryError, match="objects"):
        SpatialIndex(3)


def test_bad_frames_and_objects_are_named():
    box = OrientedBox((0, 0, 0), (1, 1, 1))
    with pytest.raises(QueryError, match="frame"):
        left_of(box, box, frame="north")
    with pytest.raises(QueryError, match="Camera"):
        ViewerFrame("cam")
    s = Scene()
    table = s.add_object("table", OrientedBox((0, 0.4, 0), (1, 0.8, 1)))
    with pytest.raises(QueryError, match="no front"):
        R.facing_angle(table, box)
    with pytest.raises(QueryError, match="Room"):
        against_wall(table, "room")


def test_footprints_at_once_equal_each_boxs_footprint(rng):
    from worldnb.spatial.index import footprints

    boxes = [
        OrientedBox(rng.uniform(-5, 5, 3), rng.uniform(0.01, 3, 3), float(rng.uniform(-7, 7)))
        for _ in range(200)
    ]
    for fp, b in zip(footprints(boxes), boxes, strict=True):
        assert np.array_equal(
            np.asarray(fp.exterior.coords), np.asarray(b.footprint().exterior.coords)
        )
    assert len(footprints([])) == 0


# ---- exact values worked out by hand ---------------------------------------------------
# Sizes and positions are binary fractions, so the float32 boxes hold them exactly and a
# value "exactly at the limit" really is at the limit.


def _box(x, z, y=0.5, size=(1.0, 1.0, 1.0), yaw=0.0):
    return OrientedBox((x, y, z), size, yaw)


def _at(deg, r=2.0, origin=(0.0, 0.0)):
    """The floor point ``r`` m from ``origin`` at ``deg`` degrees clockwise from north (−Z)."""
    a = math.radians(deg)
    return (origin[0] + r * math.sin(a), origin[1] - r * math.cos(a))


def test_frame_axes_coords_and_bearing():
    f = Frame((1.0, 2.0), (0.0, -3.0))  # at (1, 2), looking north; forward need not be unit
    assert f.origin.tolist() == [1.0, 2.0]
    assert f.forward.tolist() == [0.0, -1.0] and f.right.tolist() == [1.0, 0.0]
    np.testing.assert_array_equal(f.coords([[3.0, 2.0], [1.0, -1.0]]), [[2.0, 0.0], [0.0, 3.0]])
    assert f.lateral((3.0, 7.0, 2.0)) == 2.0 and f.depth((3.0, 7.0, 2.0)) == 0.0
    assert f.lateral((1.0, -1.0)) == 0.0 and f.depth((1.0, -1.0)) == 3.0
    assert f.bearing((3.0, 2.0)) == 90.0 and f.bearing((-1.0, 2.0)) == -90.0
    assert f.bearing((2.0, 1.0)) == 45.0 and f.bearing((1.0, 4.0)) == 180.0
    assert f.describe() == "frame" and repr(f) == "Frame(frame)"


def test_room_frame_origin_axes_and_name():
    f = RoomFrame()
    assert f.origin.tolist() == [0.0, 0.0] and f.room is None
    assert f.forward.tolist() == [0.0, -1.0] and f.right.tolist() == [1.0, 0.0]
    assert repr(f) == "RoomFrame(the room's frame (north = −Z, east = +X))"
    room = Room([(2, 0), (6, 0), (6, -2), (2, -2)])  # centred on (4, -1)
    g = RoomFrame(room)
    assert g.origin.tolist() == [4.0, -1.0] and g.room is room
    assert g.lateral((5.0, -1.0)) == 1.0 and g.depth((4.0, -3.0)) == 2.0
    with pytest.raises(QueryError, match=r"^RoomFrame: expected a Room or None, got str"):
        RoomFrame("kitchen")


@pytest.mark.parametrize(
    ("deg", "name"),
    [
        (0, "north"),
        (22, "north"),
        (23, "north-east"),
        (90, "east"),
        (135, "south-east"),
        (180, "south"),
        (225, "south-west"),
        (270, "west"),
        (292, "west"),
        (293, "north-west"),
        (295, "north-west"),
        (315, "north-west"),
        (350, "north"),
    ],
)
def test_room_frame_compass_points(deg, name):
    room = Room([(2, 0), (6, 0), (6, -2), (2, -2)])  # centred on (4, -1)
    assert RoomFrame(room).compass(_at(deg, 0.75, (4.0, -1.0))) == name
    # relative to another point instead of the room centre
    assert RoomFrame().compass(_at(deg, 3.0, (10.0, 5.0)), relative_to=(10.0, 5.0)) == name


def test_viewer_frame_axes_name_and_things_behind_the_camera():
    cam = Camera.look_at(eye=(1, 1.5, 2), target=(1, 1.5, 0))  # level, looking north
    f = ViewerFrame(cam, "cam0")
    assert f.camera is cam and repr(f) == "ViewerFrame(the viewer's frame (cam0))"
    np.testing.assert_allclose(f.origin, [1.0, 2.0])
    np.testing.assert_allclose(f.forward, [0.0, -1.0], atol=1e-7)
    np.testing.assert_allclose(f.right, [1.0, 0.0], atol=1e-7)
    assert f.lateral((2.0, 0.0)) == pytest.approx(0.5)  # 1 m right, 2 m ahead: x / z
    assert f.depth((1.0, -1.0)) == pytest.approx(3.0)
    assert f.lateral((2.0, 4.0)) == pytest.approx(1000.0)  # behind: counted 1 mm ahead
    assert ViewerFrame(cam).describe() == "the viewer's frame (the camera)"
    # looking straight down with north up in the image: forward is north
    down = ViewerFrame(Camera.look_at(eye=(0, 5, 0), target=(0, 0, 0), up=(0, 0, -1)))
    np.testing.assert_allclose(down.forward, [0.0, -1.0], atol=1e-6)
    np.testing.assert_allclose(down.right, [1.0, 0.0], atol=1e-6)
    # looking straight down with east up in the image: forward is east
    east = ViewerFrame(Camera.look_at(eye=(0, 5, 0), target=(0, 0, 0), up=(1, 0, 0)))
    np.testing.assert_allclose(east.forward, [1.0, 0.0], atol=1e-6)
    with pytest.raises(QueryError) as err:
        ViewerFrame("cam")
    assert str(err.value) == "ViewerFrame: expected a Camera, got str"


def test_object_frame_axes_follow_the_front():
    s = Scene()
    tv = s.add_object("tv", _box(1.0, 2.0, yaw=math.pi / 2), front=True)  # faces +X (east)
    f = ObjectFrame(tv)
    assert f.object is tv and f.observer is False
    np.testing.assert_allclose(f.origin, [1.0, 2.0])
    np.testing.assert_allclose(f.forward, [1.0, 0.0], atol=1e-7)
    np.testing.assert_allclose(f.right, [0.0, 1.0], atol=1e-7)  # facing east, right is south
    assert f.describe() == f"{tv.name}'s own frame (its front)"
    with pytest.raises(QueryError, match=r"^ObjectFrame: expected a SceneObject, got OrientedBox"):
        ObjectFrame(_box(0, 0))


def test_ego_frame_names_and_direction_mode():
    f = EgoFrame((1.0, 1.0), (1.0, 0.0), direction=True)  # at (1, 1) facing +X
    assert f.origin.tolist() == [1.0, 1.0] and f.forward.tolist() == [1.0, 0.0]
    assert f.describe() == "standing by the given point, facing the given point"
    assert f.direction((1.0, 3.0)) == "right"  # facing east, +Z is on the right
    g = EgoFrame((1.0, 1.0), (1.0, 0.0))  # facing the point (1, 0): north
    assert g.forward.tolist() == [0.0, -1.0]
    s = Scene()
    sofa = s.add_object("sofa", _box(0, 2))
    tv = s.add_object("tv", _box(0, -2))
    e = EgoFrame(sofa, tv)
    assert e.standing_at is sofa and e.facing is tv
    assert e.describe() == f"standing by {sofa.name}, facing {tv.name}"


def test_a_direction_from_where_two_objects_stand_together_is_no_answer():
    # a cup on a table: standing by one and facing the other has no facing direction
    from worldnb.spatial import ask

    s = Scene()
    s.add_object("table", OrientedBox((0, 0.37, 0), (1.2, 0.74, 0.8)))
    s.add_object("cup", OrientedBox((0, 0.79, 0), (0.1, 0.1, 0.1)))
    s.add_object("bed", _box(2, 0))
    ans = ask(s, "If I am standing by the cup and facing the table, is the bed to the "
              "left or the right of the table?")  # fmt: skip
    assert ans.value is None and ans.status == "impossible"
    assert "coincide" in ans.text and sorted(ans.highlight) == [1, 2, 3]


def test_ego_direction_levels_and_exact_limits():
    f = EgoFrame((0.0, 0.0), (0.0, -2.0))  # facing north: east is on the right
    assert f.direction((2.0, 2.0)) == "back"  # exactly 135°: a turn of at least back_deg
    assert f.direction(_at(135.5)) == "back" and f.direction(_at(-135.5)) == "back"
    assert f.direction(_at(134.5)) == "right" and f.direction(_at(-134.5)) == "left"
    assert f.direction(_at(150), back_deg=160) == "right"
    assert f.direction(_at(150), "left-right") == "right"
    assert f.direction(_at(0.5)) == "right" and f.direction(_at(-0.5)) == "left"
    assert f.direction(_at(-150), "left-right") == "left"
    # quadrants: exactly ahead or exactly beside counts as front and as right
    assert f.direction((0.0, -2.0), "quadrant") == "front-right"
    assert f.direction((2.0, 0.0), "quadrant") == "front-right"
    assert f.direction((-2.0, 0.0), "quadrant") == "front-left"
    assert f.direction((-1.0, 1.0), "quadrant") == "back-left"
    assert f.direction((0.0, 2.0), "quadrant") == "back-right"
    with pytest.raises(QueryError, match=r"^levels: expected 'left-right', 'left-right-back' or"):
        f.direction((1.0, 0.0), "compass")


def test_turn_direction_signed_angles_and_limits():
    north = (0.0, -1.0)
    assert turn_direction(north, (1.0, 0.0)) == ("right", 90.0)
    assert turn_direction((0.0, -2.0), (-3.0, 0.0)) == ("left", -90.0)
    assert turn_direction(north, (1.0, 1.0)) == ("back", 135.0)  # exactly back_deg
    assert turn_direction(north, (-1.0, 1.0)) == ("back", -135.0)
    assert turn_direction(north, (0.0, -5.0)) == ("straight", 0.0)
    assert turn_direction(north, _at(135.5))[0] == "back"
    assert turn_direction(north, _at(134.5))[0] == "right"
    assert turn_direction(north, _at(20.5))[0] == "right"
    assert turn_direction(north, _at(-20.5))[0] == "left"
    assert turn_direction(north, _at(19.5))[0] == "straight"
    assert turn_direction(north, _at(-19.5))[0] == "straight"
    assert turn_direction(north, (1.0, -1.0), straight_deg=45.0) == ("right", 45.0)  # not less
    assert turn_direction(north, (1.0, 0.0), back_deg=90.0) == ("back", 90.0)
    assert turn_direction(north, _at(30), straight_deg=31)[0] == "straight"
    assert turn_direction(north, _at(0.5), straight_deg=0.0)[0] == "right"
    assert turn_direction(north, _at(-0.5), straight_deg=0.0)[0] == "left"
    ang = turn_direction(north, _at(60))[1]
    assert ang == pytest.approx(60.0)


def test_left_right_margins_per_frame():
    a, b = _box(0, 0), _box(0.25, 0)  # a is 0.25 m west of b
    assert left_of(a, b) and right_of(b, a) and not left_of(b, a) and not right_of(a, b)
    # more than the margin: exactly the margin is not enough
    assert not left_of(a, b, margin=0.25) and not right_of(b, a, margin=0.25)
    assert left_of(a, b, margin=0.125) and right_of(b, a, margin=0.125)
    # default margins: 5 cm in the room frame, 0.02 (x / z) in a viewer frame
    c = _box(0.03125, 0)
    assert not left_of(a, c) and not right_of(c, a)
    cam = Camera.look_at(eye=(0, 0.5, 2), target=(0, 0.5, 0))  # 2 m south, looking north
    view = ViewerFrame(cam)
    d = _box(0.0625, 0)  # 0.03 to the right in the image (0.0625 / 2)
    assert left_of(a, d, view) and right_of(d, a, view)
    assert not left_of(a, d, view, margin=0.0625) and not right_of(d, a, view, margin=0.0625)


def test_front_behind_in_observer_and_object_frames():
    south, north = _box(0, 1.0), _box(0, 0.0)
    # room frame: in front = south (closer to a reader at the south wall)
    assert in_front_of(south, north) and behind(north, south)
    assert not in_front_of(north, south) and not behind(south, north)
    assert not in_front_of(south, north, margin=1.0) and not behind(north, south, margin=1.0)
    assert in_front_of(south, north, margin=0.5) and behind(north, south, margin=0.5)
    s = Scene()
    chair = s.add_object("chair", _box(0, 0), front=True)  # faces +Z (south)
    f = ObjectFrame(chair)
    ahead, back = _box(0, 1.0), _box(0, -1.0)
    assert in_front_of(ahead, chair, f) and not behind(ahead, chair, f)
    assert behind(back, chair, f) and not in_front_of(back, chair, f)
    assert not in_front_of(ahead, chair, f, margin=1.0) and not behind(back, chair, f, margin=1.0)
    assert in_front_of(ahead, chair, f, margin=0.5) and behind(back, chair, f, margin=0.5)
    # a SceneObject given as the frame means its own frame
    assert in_front_of(ahead, chair, chair) and behind(back, chair, chair)
    with pytest.raises(QueryError, match=r"^frame: expected a Frame"):
        in_front_of(ahead, chair, "north")


def test_above_below_on_tolerances():
    table = _box(0, 0)  # top at 1.0
    cup = _box(0, 0, y=1.125, size=(0.25, 0.25, 0.25))  # bottom 1.0
    hover = _box(0, 0, y=1.625, size=(0.25, 0.25, 0.25))  # bottom 1.5
    sunk = _box(0, 0, y=0.875, size=(0.25, 0.25, 0.25))  # bottom 0.75
    aside = _box(2.0, 0, y=1.125, size=(0.25, 0.25, 0.25))
    edge = _box(1.0, 0, y=1.5)  # shares only the x = 0.5 edge with the table
    assert on(cup, table) and above(cup, table) and below(table, cup)
    assert above(hover, table) and not on(hover, table) and not on(hover, table, tol=0.25)
    assert on(hover, table, tol=0.5)  # exactly the tolerance
    assert not above(sunk, table) and not on(sunk, table) and not below(table, sunk)
    assert above(sunk, table, tol=0.25) and below(table, sunk, tol=0.25)  # exactly
    assert not above(sunk, table, tol=0.125) and not below(table, sunk, tol=0.125)
    assert not above(aside, table) and not on(aside, table) and not below(table, aside)
    assert not above(edge, table) and not on(edge, table, tol=0.5)
    with pytest.raises(QueryError, match=r"^a: expected"):
        above("cup", table)
    with pytest.raises(QueryError, match=r"^b: expected"):
        on(cup, "table")


@pytest.mark.parametrize("pred", [above, below, on, next_to])
def test_two_box_predicates_name_the_bad_argument(pred):
    box = _box(0, 0)
    # below(a, b) is above(b, a): its 'a' is above's 'b'
    first, second = ("b", "a") if pred is below else ("a", "b")
    msg = "expected a SceneObject or an OrientedBox, got"
    with pytest.raises(QueryError, match=rf"^{first}: {msg} str"):
        pred("sofa", box)
    with pytest.raises(QueryError, match=rf"^{second}: {msg} int"):
        pred(box, 3)


def test_near_and_next_to_limits():
    a = _box(0, 0)
    assert near(a, _box(2.0, 0))  # exactly 1 m apart
    assert not near(a, _box(2.5, 0)) and near(a, _box(2.5, 0), threshold=1.5)
    # next_to: gap up to max_gap (0.5 m), heights overlapping, neither mostly on the other
    assert next_to(a, _box(1.5, 0)) and not next_to(a, _box(1.75, 0))  # gap 0.5 / 0.75
    assert next_to(a, _box(1.75, 0), max_gap=0.75)
    assert not next_to(a, _box(1.25, 0, y=1.5))  # height ranges only touch
    assert not next_to(a, _box(1.25, 0, y=2.5))  # one floats above the other
    assert next_to(a, _box(1.25, 0, y=1.25))  # heights overlap by 0.25 m
    half = (1.0, 1.0, 0.5)  # a 0.5 m² footprint
    assert not next_to(a, _box(0.5, 0, size=half))  # overlap 0.25 m²: half the smaller
    assert next_to(a, _box(0.75, 0, size=half))  # overlap 0.125 m²


def test_between_limits():
    b, c = _box(0, 0), _box(4.0, 0)
    assert between(_box(2.0, 1.0), b, c)  # touches the hull's edge z = 0.5
    assert not between(_box(2.0, 1.5), b, c)  # 0.5 m clear of the hull
    assert not between(_box(0.0, 0.0, y=3.0), b, c)  # projects onto b's centre: t = 0
    assert not between(_box(4.0, 0.0, y=3.0), b, c)  # onto c's centre: t = 1
    assert between(_box(0.25, 0.0), b, c) and not between(_box(-0.25, 0.0), b, c)
    # close neighbours (b and c 0.5 m apart): t is measured in units of |bc|
    assert not between(_box(1.0, 0.0), b, _box(0.5, 0.0))  # t = 2
    assert not between(_box(1.0, 0.0), b, _box(0.0, 0.0))  # b and c coincide
    # points work for the centres, but the footprints need objects or boxes
    for args, name in (((2.0, 0.0), b, c), "a"), ((_box(2.0, 0), (0.0, 0.0), c), "b"):
        with pytest.raises(QueryError, match=rf"^{name}: expected a SceneObject"):
            between(*args)
    with pytest.raises(QueryError, match=r"^c: expected a SceneObject"):
        between(_box(2.0, 0), b, (4.0, 0.0))


def test_facing_angle_and_facing_by_hand():
    s = Scene()
    me = s.add_object("chair", _box(0, 0, size=(0.5, 1.0, 0.5)), front=True)  # faces +Z
    assert facing_angle(me, (0.0, 2.0)) == 0.0
    assert facing_angle(me, (0.5, 0.0)) == 90.0
    assert facing_angle(me, (-0.5, 0.0)) == 90.0
    assert facing_angle(me, (0.0, -0.5)) == 180.0
    assert facing_angle(me, (0.0, 0.0)) == 0.0  # its own centre
    assert facing_angle(me, (3.0, 3.0)) == pytest.approx(45.0)
    assert facing_angle(_box(0, 0), _at(135.0)) == pytest.approx(45.0)  # a box's front is +Z
    small = lambda xz: _box(xz[0], xz[1], size=(0.25, 1.0, 0.25))  # noqa: E731
    assert facing(me, small((1.0, 0.0)), max_angle=90.0)  # exactly the limit
    assert not facing(me, small((1.0, 0.0)), max_angle=89.0)
    assert facing(me, small(_at(180 - 44.5, 4.0))) and not facing(me, small(_at(180 - 45.5, 4.0)))
    # off to the side, but its long footprint crosses the front ray
    wide = _box(4.0, 1.0, size=(10.0, 1.0, 0.5))  # x ∈ [−1, 9]; centre 76° off the front
    assert facing_angle(me, wide) > 45 and facing(me, wide)
    far = _box(25.0, 20.5, size=(52.0, 1.0, 0.5))  # crosses the ray 20.25 m out
    assert not facing(me, far) and facing(me, far, reach=21.0)
    assert not facing(s.add_object("table", _box(0, 0)), small((0.0, 1.0)))  # no front
    assert facing(_box(0, 0), small((0.0, 2.0)))  # a bare box faces along +Z
    # turned 90°: the front is +X, and the front ray (not the centre) hits a long box
    east = _box(0, 0, yaw=math.pi / 2)
    long = _box(1.0, 4.0, size=(0.5, 1.0, 10.0))  # x ∈ [0.75, 1.25], z ∈ [−1, 9]; 76° off
    assert facing_angle(east, long) == pytest.approx(math.degrees(math.atan2(4, 1)))
    assert facing(east, long) and not facing(east, long, reach=0.7)
    # a point can be faced by angle, but the front-ray test needs a footprint
    with pytest.raises(
        QueryError, match=r"^b: expected a SceneObject or an OrientedBox, got tuple"
    ):
        facing(east, (0.0, 5.0))


def test_facing_angle_off_the_origin_and_at_float32_rounding():
    # yaw 232°: the float32 front (sin, 0, cos) is 3.4e-8 longer than 1, so a target
    # straight ahead (or behind) gives a cosine just past ±1, which must read as 0° (180°)
    a = _box(1.0, 2.0, yaw=math.radians(232.0))
    f = a.front.astype(np.float64)[[0, 2]]
    assert np.linalg.norm(f) > 1.0
    assert facing_angle(a, (1.0 + 2 * f[0], 2.0 + 2 * f[1])) == 0.0
    assert facing_angle(a, (1.0 - 2 * f[0], 2.0 - 2 * f[1])) == 180.0
    side = (1.0 - 3 * f[1], 2.0 + 3 * f[0])  # 3 m to one side of a at (1, 2)
    assert facing_angle(a, side) == pytest.approx(90.0)
    with pytest.raises(QueryError, match=r"^a: expected a SceneObject or an OrientedBox, got str"):
        facing_angle("sofa", (0.0, 0.0))


def test_front_ray_hits_nearest_first():
    s = Scene()
    me = s.add_object("tv", _box(0, 0, size=(1.0, 1.0, 0.25)), front=True)  # faces +Z
    far = _box(0, 5.0)
    close = _box(0.25, 2.0)
    side = _box(3.0, 3.0)
    back = _box(0, -3.0)
    wide = _box(4.0, 3.5, size=(10.0, 1.0, 1.0))  # crossed 3 m out
    beyond = _box(0, 25.0)
    got = front_ray_hits(me, [far, side, back, wide, close, beyond])
    assert [id(x) for x in got] == [id(close), id(wide), id(far)]
    assert [id(x) for x in front_ray_hits(me, [beyond, close], reach=30.0)] == [
        id(close),
        id(beyond),
    ]
    # equally far: kept in the order given
    left, right = _box(-0.25, 2.0), _box(0.25, 2.0)
    assert [id(x) for x in front_ray_hits(me, [right, left])] == [id(right), id(left)]
    assert front_ray_hits(me, []) == []
    assert front_ray_hits(me, [_box(0, 20.75)]) == []  # beyond the default 20 m reach
    east = s.add_object("tv", _box(0, 0, yaw=math.pi / 2), front=True)  # faces +X
    ahead = _box(3.0, 0.0)
    assert [id(x) for x in front_ray_hits(east, [far, side, wide, ahead])] == [id(ahead)]
    with pytest.raises(QueryError, match=r"^a: expected a SceneObject"):
        front_ray_hits((0.0, 0.0), [far])


def test_inside_boxes_and_rooms_by_volume_fraction():
    big = _box(0, 0, y=1.0, size=(2.0, 2.0, 2.0))  # x, z ∈ [−1, 1], y ∈ [0, 2]
    assert inside(_box(0, 0), big)
    assert not inside(_box(0.75, 0), big)  # 3/4 in: below 0.9
    assert inside(_box(0.75, 0), big, fraction=0.75)  # exactly the fraction
    assert not inside(_box(0.75, 0), big, fraction=0.875)
    assert inside(_box(0, 0, y=2.0), big, fraction=0.5) and not inside(_box(0, 0, y=2.0), big)
    room = Room.rectangle(4, 4, height=2.5)  # floor at y = 0
    assert inside(_box(0, 0), room)
    assert inside(_box(1.5, 0), room, fraction=1.0)  # against the wall, all in
    assert not inside(_box(2.0, 0), room) and inside(_box(2.0, 0), room, fraction=0.5)
    through_ceiling = _box(0, 0, y=2.5)  # y ∈ [2, 3]: half above the 2.5 m ceiling
    assert not inside(through_ceiling, room) and inside(through_ceiling, room, fraction=0.5)
    assert not inside(through_ceiling, room, fraction=0.625)
    below_floor = _box(0, 0, y=0.0)  # y ∈ [−0.5, 0.5]
    assert not inside(below_floor, room) and inside(below_floor, room, fraction=0.5)
    assert not inside(below_floor, room, fraction=0.625)
    msg = "expected a SceneObject or an OrientedBox, got str"
    with pytest.raises(QueryError, match=rf"^a: {msg}"):
        inside("cup", big)
    with pytest.raises(QueryError, match=rf"^b: {msg}"):
        inside(_box(0, 0), "drawer")


def test_walls_near_against_wall_and_in_corner_limits():
    room = Room.rectangle(4, 4)  # wall_0 south (z = 2), 1 east (x = 2), 2 north, 3 west
    assert walls_near(_box(0, 1.25), room) == []  # 0.25 m from the south wall
    assert walls_near(_box(0, 1.25), room, tol=0.25) == ["wall_0"]  # exactly the limit
    assert walls_near(_box(1.375, 1.375), room) == ["wall_0", "wall_1"]  # 0.125 m from both
    assert walls_near(_box(0, 1.375), room) == ["wall_0"]
    assert against_wall(_box(0, 1.375), room) and not against_wall(_box(0, 1.25), room)
    assert against_wall(_box(0, 1.25), room, tol=0.25)
    assert not against_wall(_box(0, 0.5), room) and against_wall(_box(0, 0.5), room, 1.0)
    # corners: two walls that meet, including the last and the first
    assert in_corner(_box(1.25, 1.25), room)  # south-east, 0.25 m from both
    assert in_corner(_box(-1.25, 1.25), room)  # south-west: wall_3 and wall_0
    assert not in_corner(_box(1.0, 1.0), room)  # 0.5 m from both
    assert in_corner(_box(1.0, 1.0), room, tol=0.5)
    assert not in_corner(_box(0, 1.25), room)  # one wall only
    corridor = Room.rectangle(8, 1.5)  # walls 0.25 m from a 1 m box on both long sides
    assert walls_near(_box(0, 0), corridor) == [] and not in_corner(_box(0, 0), corridor)
    assert walls_near(_box(0, 0), corridor, tol=0.25) == ["wall_0", "wall_2"]
    assert not in_corner(_box(0, 0), corridor, tol=0.25)  # opposite walls do not meet
    for fn in (walls_near, against_wall):
        with pytest.raises(QueryError, match=r"^room: expected a Room, got str"):
            fn(_box(0, 0), "room")
    with pytest.raises(QueryError, match=r"^a: expected a SceneObject or an OrientedBox, got str"):
        walls_near("sofa", room)
    # an L-shaped room: wall_1 (x = 4) meets wall_2 (z = −2) at (4, −2); a box 0.25 m
    # from both is in that corner (walls are numbered round the floor, 6 of them)
    ell = Room([(0, 0), (4, 0), (4, -2), (2, -2), (2, -4), (0, -4)])
    assert walls_near(_box(3.375, -1.375), ell) == ["wall_1", "wall_2"]  # 0.125 m from both
    assert in_corner(_box(3.25, -1.25), ell)
    assert in_corner(_box(0.75, -0.75), ell)  # wall_5 and wall_0, the last and the first
    assert not in_corner(_box(3.0, -1.0), ell, tol=0.45)  # 0.5 m from both


def test_nearest_and_farthest_skip_the_target_and_take_a_key():
    a, b, c = _box(0, 0), _box(3.0, 0), _box(0, 0, y=3.0)  # c stacked 1 m above a
    assert nearest(a, [a, b, c]) is c and farthest(a, [a, b, c]) is b
    # by floor clearance c is on top of a (0 m) and b still 2 m away
    assert nearest(b, [a, b, c], key=clearance) is a
    assert farthest(a, [a, b, c], key=clearance) is b
    assert nearest(a, [b]) is b and farthest(a, [b]) is b
    with pytest.raises(QueryError, match=r"^nearest: no candidates to choose from$"):
        nearest(a, [a])
    with pytest.raises(QueryError, match=r"^farthest: no candidates to choose from$"):
        farthest(a, [])


def test_viewer_frame_default_depth_margin_is_2_cm():
    # seen from 2 m south, looking north: the far box is 0.03125 m deeper (binary exact),
    # more than the viewer frame's 0.02 default, less than the room frame's 0.05
    near, far = _box(0, 0.0), _box(0, -0.03125)
    view = ViewerFrame(Camera.look_at(eye=(0, 0.5, 2), target=(0, 0.5, 0)))
    assert view.depth(far) - view.depth(near) == 0.03125
    assert in_front_of(near, far, view) and behind(far, near, view)
    assert not in_front_of(near, far) and not behind(far, near)  # room frame: 5 cm
    assert not in_front_of(near, far, view, margin=0.04)


def test_bad_frame_error_names_the_type_given():
    a, b = _box(0, 0), _box(0, 1)
    with pytest.raises(QueryError) as err:
        in_front_of(a, b, "north")
    assert str(err.value) == (
        "frame: expected a Frame (ViewerFrame, RoomFrame, ObjectFrame, EgoFrame), got str"
    )


def test_frame_takes_any_two_numbers_as_a_float_origin_and_forward():
    # a (1, 2) row (as a slice of an (N, 2) array gives) and integers are read as (2,)
    # float vectors: the same frame as test_frame_axes_coords_and_bearing's
    f = Frame(np.array([[1, 2]]), np.array([[0, -3]]))
    assert f.origin.shape == (2,) and f.origin.dtype == np.float64
    assert f.origin.tolist() == [1.0, 2.0]
    assert f.forward.tolist() == [0.0, -1.0] and f.right.tolist() == [1.0, 0.0]
    np.testing.assert_array_equal(f.coords([[3.0, 2.0], [1.0, -1.0]]), [[2.0, 0.0], [0.0, 3.0]])
