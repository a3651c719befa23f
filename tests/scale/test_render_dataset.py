"""render_dataset on Ray: the local executor's files byte for byte, a killed worker
does not stop the run, and a killed driver's run resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from worldnb.worlds import render_dataset

from .conftest import running, wait_for

ARGS = {"n": 4, "size": 24, "seed": 11, "cameras_per_room": 2, "progress": False}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """The dataset from the local executor (the reference)."""
    return tree(render_dataset(out_dir=tmp_path_factory.mktemp("local") / "ds", **ARGS))


def finished(partial: Path) -> list[dict]:
    m = partial / "manifest.jsonl"
    if not m.exists():
        return []
    return [json.loads(line) for line in m.read_text().splitlines() if line.endswith("}")]


def test_ray_writes_the_local_files_byte_for_byte(ray_cluster, local, tmp_path):
    out = render_dataset(out_dir=tmp_path / "ds", executor="ray", **ARGS)
    got = tree(out)
    assert sorted(got) == sorted(local)  # no manifest or args left behind
    assert [k for k in local if got[k] != local[k]] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]


def test_a_worker_killed_mid_run_is_replaced_and_the_run_completes(ray_cluster, local, tmp_path):
    out = tmp_path / "ds"
    result: dict = {}

    def run():
        try:
            result["out"] = render_dataset(out_dir=out, executor="ray", num_workers=2, **ARGS)
        except BaseException as exc:
            result["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    victim = wait_for(lambda: running("ray::_room_task"), what="a worker rendering a room")[0]
    victim.send_signal(signal.SIGKILL)
    t.join(timeout=300)
    assert "error" not in result, result.get("error")
    assert not victim.is_running() or victim.status() == "zombie"
    assert tree(result["out"]) == local


def test_a_killed_driver_leaves_no_dataset_and_the_same_call_resumes(ray_cluster, local, tmp_path):
    out, partial = tmp_path / "ds", tmp_path / ".ds.partial"
    address = ray_cluster.get_runtime_context().gcs_address
    script = (
        "import sys, worldnb.worlds as w\n"
        f"w.render_dataset(out_dir=sys.argv[1], executor='ray', address={address!r}, "
        f"num_workers=1, **{ARGS!r})\n"
    )
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    driver = subprocess.Popen([sys.executable, "-c", script, str(out)], env=env)
    try:
        wait_for(lambda: finished(partial) or driver.poll() is not None,
                 timeout=180, what="the driver's first finished room")  # fmt: skip
        driver.send_signal(signal.SIGKILL)
    finally:
        driver.wait()
    assert driver.returncode == -signal.SIGKILL, "the driver finished before it was killed"
    assert not out.exists()
    kept = {r["dir"]: (partial / r["dir"] / "scene.json").stat().st_mtime_ns
            for r in finished(partial)}  # fmt: skip
    assert 1 <= len(kept) < ARGS["n"]
    render_dataset(out_dir=out, executor="ray", **ARGS)
    assert tree(out) == local
    for d, mtime in kept.items():  # finished rooms were kept, not rendered again
        assert (out / d / "scene.json").stat().st_mtime_ns == mtime
