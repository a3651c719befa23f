"""The benchmark's question families end to end on a few scenes (the full run is
benchmarks/spatial_qa.py): every family scores 1.0 against the independent reference."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from worldnb.scene.io import load_vsibench

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import spatial_qa as B


def test_every_family_on_random_rooms_and_scannet(vsibench_meta):
    rng = np.random.default_rng(0)
    scores: dict = defaultdict(lambda: defaultdict(list))
    failures: list = []
    for seed in range(2):
        s = B.random_room(seed)
        B.score_scene(s, "procedural", rng, B.shoelace(s.room.floor_xz), scores, failures)
    from worldnb.worlds import sample_room

    s = sample_room("living_room", seed=3)
    B.score_scene(s, "procedural", rng, B.shoelace(s.room.floor_xz), scores, failures)
    for s in load_vsibench(vsibench_meta)[:4]:
        B.score_scene(s, "scannet", rng, float(s.meta["floor_area"]), scores, failures)
    fams = {f for src in scores.values() for f in src}
    assert {
        "object_counting",
        "object_abs_distance",
        "object_size_estimation",
        "room_size_estimation",
        "object_rel_distance",
        "object_rel_direction",
        "route_plan",
    } <= fams
    assert failures == []


def test_mra_matches_vsibench_definition():
    assert B.mra(1.0, 1.0) == 1.0
    assert B.mra(1.04, 1.0) == 1.0  # within 5 %
    assert B.mra(1.3, 1.0) == np.mean(0.3 <= 1 - np.linspace(0.5, 0.95, 11))
    assert B.mra(None, 1.0) == 0.0
