"""Procedural rooms never break a hard constraint (checked independently of the
planner's own code) over seeds × room kinds."""

from __future__ import annotations

import pytest

from worldnb.worlds import ROOM_KINDS, sample_room

SEEDS = range(8)


@pytest.mark.parametrize("kind", ROOM_KINDS)
def test_sample_rooms_keep_hard_constraints(kind, checks):
    for seed in SEEDS:
        scene = sample_room(kind, seed=seed)
        where = f"{kind} seed {seed}"
        assert checks.collisions(scene) == [], where
        assert checks.outside(scene) == [], where
        assert checks.blocked_doors(scene) == [], where
        assert checks.walkway_ok(scene), where
