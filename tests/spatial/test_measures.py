"""Measures: closest-point distance against a slow convex-QP reference, invariances,
sizes, counts and areas on the hand-built room (numbers worked out by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from worldnb.errors import QueryError
from worldnb.scene import OrientedBox, Scene
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
