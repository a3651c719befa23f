"""Measures: closest-point distance against a slow convex-QP reference, invariances,
sizes, counts and areas on the hand-built room (numbers worked out by hand)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.optimize import minimize

from worldnb.errors import QueryError
from worldnb.scene import OrientedBox, Room, Scene
from worldnb.spatial import (
    clearance,
    count,
    distance,
    floor_area,
    free_floor_area,
    size,
    wall_clearance,
)


def reference_distance(a: OrientedBox, b: OrientedBox) -> float:
    """Slow, obviously right: min |Σλ·corners(a) − Σμ·corners(b)| over two simplices."""
    ca, cb = a.corners().astype(np.float64), b.corners().astype(np.float64)

    def f(x):
        d = x[:8] @ ca - x[8:] @ cb
        return d @ d

    cons = [
        {"type": "eq", "fun": lambda x: x[:8].sum() - 1},
        {"type": "eq", "fun": lambda x: x[8:].sum() - 1},
    ]
    r = minimize(
        f,
        np.full(16, 1 / 8),
        bounds=[(0, 1)] * 16,
        constraints=cons,
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 500},
    )
    return math.sqrt(max(r.fun, 0.0))


def random_box(rng) -> OrientedBox:
    return OrientedBox(rng.uniform(-3, 3, 3), rng.uniform(0.1, 2, 3), rng.uniform(-np.pi, np.pi))


def test_distance_matches_convex_reference(rng):
    for _ in range(25):
        a, b = random_box(rng), random_box(rng)
        assert distance(a, b) == pytest.approx(reference_distance(a, b), abs=1e-4)


def test_distance_is_symmetric_and_rigid_motion_invariant(rng):
    for _ in range(20):
        a, b = random_box(rng), random_box(rng)
        t, yaw = rng.uniform(-5, 5, 3), rng.uniform(-np.pi, np.pi)
        c, s = math.cos(yaw), math.sin(yaw)
        R = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])

        def moved(bx, R=R, t=t, yaw=yaw):
            return OrientedBox(R @ bx.center + t, bx.size, bx.yaw + yaw)

        d = distance(a, b)
        assert distance(b, a) == pytest.approx(d, abs=1e-6)
        assert distance(moved(a), moved(b)) == pytest.approx(d, abs=1e-4)


def test_distance_zero_when_touching_or_overlapping():
    a = OrientedBox((0, 0.5, 0), (1, 1, 1))
    assert distance(a, OrientedBox((1, 0.5, 0), (1, 1, 1))) == pytest.approx(0, abs=1e-6)
    assert distance(a, OrientedBox((0.2, 0.5, 0), (1, 1, 1))) == 0
    # stacked: a gap of 0.5 m straight up
    assert distance(a, OrientedBox((0, 2.0, 0), (1, 1, 1))) == pytest.approx(0.5, abs=1e-6)


def test_hand_room_measures(room_scene):
    s = room_scene
    o = {x.id: x for x in s.objects}
    assert distance(o[7], o[8]) == pytest.approx(0.4, abs=1e-5)  # sofa ↔ table
    assert distance(o[1], o[4]) == pytest.approx(2.6, abs=1e-5)  # bed ↔ desk
    assert distance(o[3], o[1]) == pytest.approx(0.2, abs=1e-5)  # lamp ↔ bed
    assert clearance(o[5], o[6]) == pytest.approx(1.3, abs=1e-5)
    assert size(o[1]).longest == pytest.approx(2.0)
    assert size(o[4]).width == pytest.approx(1.2) and size(o[4]).depth == pytest.approx(0.6)
    assert count(s, "chair") == 3 and count(s) == 15
    assert floor_area(s) == pytest.approx(30.0)
    assert free_floor_area(s) == pytest.approx(21.6, abs=1e-4)
    gap, wall = wall_clearance(o[1], s.room)
    assert gap == pytest.approx(0.05, abs=1e-5) and s.room.wall(wall).compass == "north"


def test_bad_inputs_raise_query_error():
    with pytest.raises(QueryError, match="SceneObject or an OrientedBox"):
        distance("bed", OrientedBox((0, 0, 0), (1, 1, 1)))
    with pytest.raises(QueryError, match="no room outline"):
        floor_area(Scene())
    box = OrientedBox((0, 0.5, 0), (1, 1, 1))
    with pytest.raises(QueryError, match="room"):
        wall_clearance(box, None)
    with pytest.raises(QueryError, match="floor_area"):
        floor_area(Scene(meta={"floor_area": "large"}))
    with pytest.raises(QueryError, match="label"):
        count(Scene(), 3)


# ---- exact values worked out by hand (binary-exact sizes, so ties are exact) ----------


def _unit_box(x, z, y=0.5, size=(1.0, 1.0, 1.0), yaw=0.0):
    return OrientedBox((x, y, z), size, yaw)


def test_distance_adds_the_height_gap_by_pythagoras():
    a = _unit_box(0, 0)  # x in [-0.5, 0.5], y in [0, 1]
    b = _unit_box(4.0, 0, y=5.5)  # 3 m away on the floor, 4 m gap above (y in [5, 6])
    assert distance(a, b) == pytest.approx(5.0, abs=1e-6)
    assert distance(b, a) == pytest.approx(5.0, abs=1e-6)
    # clearance ignores heights: only the 3 m floor gap
    assert clearance(a, b) == pytest.approx(3.0, abs=1e-6)
    assert clearance(b, a) == pytest.approx(3.0, abs=1e-6)


def test_measures_name_the_bad_argument():
    box = _unit_box(0, 0)
    for fn in (distance, clearance):
        with pytest.raises(QueryError, match=r"^a: expected a SceneObject"):
            fn("bed", box)
        with pytest.raises(QueryError, match=r"^b: expected a SceneObject"):
            fn(box, "bed")
    with pytest.raises(QueryError, match=r"^room: expected a Room, got NoneType"):
        wall_clearance(box, None)
    with pytest.raises(QueryError, match=r"^object: expected a SceneObject"):
        wall_clearance("bed", Room.rectangle(4, 4))
    with pytest.raises(QueryError, match=r"^object: expected a SceneObject"):
        size("bed")


def test_wall_clearance_nearest_wall_and_first_of_a_tie():
    room = Room.rectangle(4, 4)  # walls at x, z = ±2: wall_0 south, 1 east, 2 north, 3 west
    # 0.25 m from the east wall (x = 2), 1.5 m from the others
    assert wall_clearance(_unit_box(1.25, 0), room) == (pytest.approx(0.25), "wall_1")
    assert wall_clearance(_unit_box(0, -1.0), room) == (pytest.approx(0.5), "wall_2")
    # the centre box is 1.5 m from all four walls: the first wall wins the tie
    assert wall_clearance(_unit_box(0, 0), room) == (1.5, "wall_0")


def test_size_fields_and_footprint_length():
    s = size(OrientedBox((0, 1, 0), (0.5, 2.0, 1.5), yaw=0.3))
    assert (s.width, s.height, s.depth) == (0.5, 2.0, 1.5)
    assert s.longest == 2.0 and s.footprint_length == 1.5
    assert size(_unit_box(0, 0, size=(1.5, 0.25, 0.5))).footprint_length == 1.5
    assert size(_unit_box(0, 0, size=(0.25, 0.5, 1.5))).longest == 1.5
    assert size(_unit_box(0, 0, size=(1.5, 0.25, 0.5))).longest == 1.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.width = 1.0


def test_count_normalises_the_label():
    s = Scene()
    for label in ("chair", "chair", "table"):
        s.add_object(label, _unit_box(0, 0))
    assert count(s, "  CHAIR  ") == 2 and count(s, "table") == 1 and count(s, "sofa") == 0
    assert count(s) == 3 and count(s, None) == 3
    with pytest.raises(QueryError, match=r"label: expected a string like 'chair' or None, got 3"):
        count(s, 3)


@pytest.mark.parametrize(("stored", "area"), [(12.5, 12.5), ("7.25", 7.25), (0, 0.0)])
def test_floor_area_from_stored_meta(stored, area):
    got = floor_area(Scene(meta={"floor_area": stored}))
    assert got == area and isinstance(got, float)


@pytest.mark.parametrize("stored", [-1.0, float("nan"), float("inf"), None, "large"])
def test_floor_area_refuses_bad_stored_meta(stored):
    with pytest.raises(QueryError, match=r"scene.meta\['floor_area'\] must be a number of m²"):
        floor_area(Scene(meta={"floor_area": stored}))


def test_floor_area_prefers_the_room_and_names_what_is_missing():
    assert floor_area(Scene(room=Room.rectangle(4, 3), meta={"floor_area": 99})) == 12.0
    with pytest.raises(QueryError, match=r"^this scene has no room outline and no stored floor"):
        floor_area(Scene())


def test_free_floor_area_counts_only_objects_on_the_floor():
    s = Scene(room=Room.rectangle(4, 4))
    assert free_floor_area(s) == 16.0  # nothing placed
    s.add_object("rug", _unit_box(-1, -1, y=0.125, size=(1.0, 0.25, 1.0)))  # bottom 0
    # bottom 0.25 ≤ 0.3: stands on the floor; two boxes overlap by 0.5 m², counted once
    s.add_object("box", _unit_box(-0.5, -1, y=0.75, size=(1.0, 1.0, 1.0)))
    s.add_object("shelf", _unit_box(1, 1, y=0.875, size=(1.0, 1.0, 1.0)))  # bottom 0.375 > 0.3
    assert free_floor_area(s) == pytest.approx(16 - 1.5, abs=1e-9)
    # with a higher contact limit the shelf counts too; exactly at the limit counts
    assert free_floor_area(s, floor_contact=0.375) == pytest.approx(16 - 2.5, abs=1e-9)
    assert free_floor_area(s, floor_contact=0.0) == pytest.approx(16 - 1.0, abs=1e-9)
    with pytest.raises(QueryError) as err:
        free_floor_area(Scene())
    assert str(err.value) == "free floor area needs a room outline (scene.room is None)"


def test_wall_clearance_error_names_the_type_given():
    with pytest.raises(QueryError, match=r"^room: expected a Room, got str$"):
        wall_clearance(_unit_box(0, 0), "kitchen")
