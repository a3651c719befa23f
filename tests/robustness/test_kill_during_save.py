"""A save killed at a random moment never damages the file it replaces (issue 15).

A subprocess builds a large scene and saves it over an existing ``.wnb``; the test
kills it with SIGKILL at a random moment (before the temporary file exists, or once
the temporary file holds a random fraction of the final size) 20 times. After every
kill the old file loads and equals the old scene, and the next save removes the
temporary file the killed one left behind.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

import worldnb

REPO = Path(__file__).resolve().parents[2]
KILLS = 20
N_POINTS = 1_500_000  # ~36 MB of arrays: a save takes long enough to be hit mid-write

CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    import worldnb

    def big_scene():
        rng = np.random.default_rng(1)
        xyz = rng.uniform(-3, 3, ({n}, 3)).astype(np.float32)
        scene = worldnb.Scene(
            room=worldnb.Room.rectangle(6, 5),
            layers={{"points": worldnb.PointCloud(xyz, np.abs(xyz) / 3)}},
            meta={{"version": "new"}},
        )
        for i in range(200):
            scene.add_object("box", worldnb.OrientedBox((i % 5 - 2, 0.5, i // 50), (0.4,) * 3))
        return scene

    scene = big_scene()
    print("ready", flush=True)
    scene.save(sys.argv[1])
    print("done", flush=True)
    """
).format(n=N_POINTS)


def _old_scene() -> worldnb.Scene:
    rng = np.random.default_rng(0)
    scene = worldnb.Scene(
        room=worldnb.Room.rectangle(4, 3),
        layers={"points": worldnb.PointCloud(rng.uniform(-1, 1, (500, 3)))},
        meta={"version": "old"},
    )
    scene.add_object("bed", worldnb.OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)))
    return scene


def _temporaries(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*.tmp"))


def _start(path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    assert child.stdout.readline() == b"ready\n", child.stderr.read().decode()[-2000:]
    return child


def _kill_when(child: subprocess.Popen, reached, deadline_s: float = 60.0) -> bool:
    """SIGKILL ``child`` as soon as ``reached()`` holds; False if it finished first."""
    end = time.monotonic() + deadline_s
    while not reached():
        # wait (at most 2 ms at a time) for the child to report "done" or exit
        ready, _, _ = select.select([child.stdout], [], [], 0.002)
        if ready or child.poll() is not None:
            child.wait(timeout=deadline_s)
            return False
        assert time.monotonic() < end, "the save neither progressed nor finished"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=deadline_s)
    return child.returncode == -signal.SIGKILL


def test_a_killed_save_leaves_the_old_file_intact(tmp_path, artifacts_dir):
    rng = np.random.default_rng(2026)
    path = tmp_path / "scene.wnb"
    old = _old_scene()
    # the size the new file reaches, from one save run to completion
    full = _start(tmp_path / "full.wnb")
    assert full.wait(timeout=120) == 0 and full.stdout.read() == b"done\n"
    final_size = (tmp_path / "full.wnb").stat().st_size
    assert final_size > 30e6
    (tmp_path / "full.wnb").unlink()

    old.save(path)
    # when to kill: before the temporary file exists (< 0), as soon as it exists (0), or
    # when it holds a random fraction of the final size
    moments = [-1.0, 0.0, *rng.uniform(0.0, 0.9, KILLS - 2).tolist()]
    kills, finished = 0, 0
    while kills < KILLS:
        assert finished <= KILLS, "the saves kept finishing before the kill"
        u = moments[kills]
        child = _start(path)

        def reached(u=u) -> bool:
            if u < 0:
                return True
            for tmp in _temporaries(tmp_path, path.name):
                try:
                    if tmp.stat().st_size >= u * final_size:
                        return True
                except FileNotFoundError:  # the killed save's, removed by this one
                    pass
            return False

        if _kill_when(child, reached):
            kills += 1
            assert worldnb.load(path) == old, f"kill {kills} at {u:.2f} damaged the old file"
            # at most the killed save's own temporary file: earlier ones were removed
            assert len(_temporaries(tmp_path, path.name)) <= 1
        else:
            finished += 1  # it won the race: the new file must be whole, then start over
            assert worldnb.load(path).meta == {"version": "new"}
            old.save(path)
    assert kills == KILLS
    # the counts for tests/robustness/README.md
    record = {"kills": kills, "old_file_intact": kills, "saves_that_finished_first": finished}
    (artifacts_dir / "counts.json").write_text(json.dumps(record))
    old.save(path)  # the next save cleans what the last kill left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scene.wnb"]
    assert worldnb.load(path) == old
