"""Frames and relations: explicit frames agree with geometry and with the camera image;
the scene graph agrees with the plain predicates; bad input is named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from worldnb.errors import QueryError
from worldnb.scene import Camera, OrientedBox, Scene
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
    facing,
    farthest,
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
)
from worldnb.spatial import predicates as R


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
