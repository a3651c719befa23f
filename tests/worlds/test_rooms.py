"""sample_room: kinds, shapes, openings, determinism, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from worldnb.errors import InputError
from worldnb.worlds import ROOM_KINDS, sample_room

ESSENTIAL = {
    "bedroom": {"bed", "wardrobe"},
    "living_room": {"sofa", "tv", "tv stand", "coffee table"},
    "dining_room": {"dining table", "chair"},
    "office": {"desk", "office chair"},
    "kitchen": {"counter", "sink", "stove", "fridge"},
}


@pytest.mark.parametrize("kind", ROOM_KINDS)
def test_kind_has_its_furniture_doors_and_windows(kind):
    scene = sample_room(kind, seed=4)
    assert ESSENTIAL[kind] <= set(scene.labels())
    assert len(scene.room.doors) == 1 and 1 <= len(scene.room.windows) <= 2
    assert scene.meta["kind"] == kind and scene.meta["seed"] == 4
    assert {"objects", "room"} <= set(scene.layers)
    assert [o.id for o in scene.objects] == list(range(1, len(scene.objects) + 1))


def test_same_seed_same_scene_and_different_seeds_differ():
    a, b = sample_room("bedroom", seed=3), sample_room("bedroom", seed=3)
    assert [o.to_dict() for o in a.objects] == [o.to_dict() for o in b.objects]
    assert np.array_equal(a.layers["objects"].vertices, b.layers["objects"].vertices)
    assert a.room == b.room
    c = sample_room("bedroom", seed=4)
    assert [o.to_dict() for o in a.objects] != [o.to_dict() for o in c.objects]


def test_some_rooms_are_l_shaped_and_size_is_respected():
    shapes = {len(sample_room("office", seed=s).room.floor_xz) for s in range(8)}
    assert shapes == {4, 6}
    scene = sample_room("office", seed=0, size=(3.5, 3.0))
    lo, hi = scene.room.floor_xz.min(0), scene.room.floor_xz.max(0)
    assert np.allclose(hi - lo, (3.5, 3.0))


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"kind": "garage"}, "kind"),
        ({"kind": ["bedroom"]}, "kind"),
        ({"seed": "x"}, "seed"),
        ({"seed": -1}, "seed"),  # was numpy's ValueError
        ({"size": (0.5, 3)}, "size"),
        ({"size": (1.5, 1.5)}, "size"),  # no wall for the door (was numpy's ValueError)
        ({"size": "x"}, "size"),  # was ValueError: could not convert string to float
        ({"size": [[3, 4], [5]]}, "size"),
        ({"time_limit": "x"}, "time_limit"),
        ({"time_limit": -1}, "time_limit"),  # was "could not furnish a bedroom"
        ({"time_limit": float("nan")}, "time_limit"),
        ({"time_limit": None}, "time_limit"),
        ({"clutter": "lots"}, "clutter"),  # was taken as True
        ({"textures": None}, "textures"),
    ],
)
def test_bad_input(kw, match):
    with pytest.raises(InputError, match=match):
        sample_room(**kw)


def test_sample_shell_takes_a_seed_like_sample_room():
    from worldnb.worlds import ROOM_SIZES, sample_shell

    a, b = sample_shell("office", 3), sample_shell("office", 3)
    assert a == b
    assert not np.array_equal(a.floor_xz, sample_shell("office", 4).floor_xz)
    r = sample_shell("bedroom", 0, size=(3.5, 3.0))
    assert np.allclose(r.floor_xz.max(0) - r.floor_xz.min(0), (3.5, 3.0))
    (w0, w1), (d0, d1) = ROOM_SIZES["kitchen"]
    k = sample_shell("kitchen", np.random.default_rng(1))
    w, d = k.floor_xz.max(0) - k.floor_xz.min(0)
    assert w0 - 0.05 <= w <= w1 + 0.05 and d0 - 0.05 <= d <= d1 + 0.05
    with pytest.raises(InputError, match="kind"):
        sample_shell("garage", 0)
    with pytest.raises(InputError, match="rng"):
        sample_shell("office", "seven")
    # found by tests/robustness: a room with no wall long enough for its door was
    # numpy's "high <= 0"
    with pytest.raises(InputError, match=r"1\.7 m"):
        sample_shell("office", 0, size=(1.5, 1.5))


def test_a_seed_gives_the_same_room_in_every_process():
    """Python randomises str hashes per process: the planner once iterated a set of item
    names and let the rng pick by position, so dining_room seed 13 came out with four
    pieces dropped under some PYTHONHASHSEEDs (and Ray workers disagreed with the driver)."""
    import os
    import subprocess
    import sys

    code = (
        "import json; from worldnb.worlds.rooms import sample_room\n"
        "s = sample_room('dining_room', 13, time_limit=60.0, textures=False)\n"
        "print(json.dumps([(o.label, o.box.to_dict()) for o in s.objects]))"
    )
    outs = set()
    for hash_seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
        assert run.returncode == 0, run.stderr[-2000:]
        outs.add(run.stdout.strip().splitlines()[-1])
    assert len(outs) == 1
