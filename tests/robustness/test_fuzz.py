"""Fuzz every public entry point: only WorldnbError may escape, within 4 GB and a time
limit per call, and a failed save or command leaves the file that was there.

Each target runs in its own worker process (tests/robustness/_worker.py) with its
address space capped at 4 GB (``RLIMIT_AS``), so a call that tries to allocate a huge
table fails there (as MemoryError: a defect) instead of swapping this machine. Each
call has a time limit (SIGALRM in the worker); the worker as a whole is killed if it
stops answering, and the case it was running is named.

Bounded for ``make test`` (fixed seed, a few dozen cases per target); ``make fuzz``
sets ``WORLDNB_FUZZ_SCALE`` for many more cases and ``WORLDNB_FUZZ_REPORT`` to collect
the counts for README.md (tests/robustness/report.py prints the table).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
MEMORY = 4 << 30  # bytes of address space per worker
SCALE = float(os.environ.get("WORLDNB_FUZZ_SCALE", "1"))
SEED = int(os.environ.get("WORLDNB_FUZZ_SEED", "0"))

#: target → (cases in make test, seconds a single call may take)
BUDGET = {
    "load": (60, 20),
    "save": (40, 20),
    "render": (40, 30),
    "ask": (60, 20),
    "plan": (30, 20),
    "sample_room": (5, 60),
    "generate": (10, 60),
    "cli": (8, 60),
    "understand": (12, 60),
}


def _limit_memory():  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """Shared by the workers: the tiny depth model is built once."""
    return tmp_path_factory.mktemp("fuzz-cache")


def _run(target: str, tmp_path: Path, cache: Path) -> tuple[dict, list[dict]]:
    n, call_limit = BUDGET[target]
    n = max(1, round(n * SCALE))
    results = tmp_path / "results.jsonl"
    cmd = [sys.executable, str(HERE / "_worker.py"), target, str(results),
           "--examples", str(n), "--seed", str(SEED), "--call-limit", str(call_limit)]  # fmt: skip
    env = {**os.environ, "WORLDNB_FUZZ_CACHE": str(cache), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}  # fmt: skip
    # a generous wall-clock bound for the whole worker: only a real hang reaches it
    # (a call stuck in C code, where SIGALRM cannot interrupt it)
    wall = 60 + 5 * n + 2 * call_limit
    try:
        proc = subprocess.run(cmd, env=env, preexec_fn=_limit_memory, timeout=wall,
                              capture_output=True, text=True)  # fmt: skip
    except subprocess.TimeoutExpired:
        proc = None
    records = (
        [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    )
    summary = next((r for r in records if r["event"] == "summary"), None)
    if summary is None:
        started = [r for r in records if r["event"] == "start"]
        ended = {r["case"] for r in records if r["event"] == "end"}
        hung = [r for r in started if r["case"] not in ended]
        why = "timed out" if proc is None else f"exited {proc.returncode}"
        tail = "" if proc is None else proc.stderr[-3000:]
        where = f"; it was running {hung[-1]['input']}" if hung else ""
        pytest.fail(f"the {target} worker {why} after {len(ended)} cases{where}\n{tail}")
    return summary, [r for r in records if r["event"] == "end"]


@pytest.mark.parametrize("target", list(BUDGET))
def test_only_worldnb_errors_escape(target, tmp_path, cache):
    summary, ends = _run(target, tmp_path, cache)
    report = os.environ.get("WORLDNB_FUZZ_REPORT")
    if report:
        Path(report).mkdir(parents=True, exist_ok=True)
        (Path(report) / f"{target}.json").write_text(json.dumps(summary, indent=1))
    raw = [r for r in ends if r["outcome"].startswith("RAW")]
    shown = "\n\n".join(f"{r['outcome']} on {r['input']}\n{r['detail']}" for r in raw[:5])
    assert not raw, f"{len(raw)} of {summary['cases']} {target} cases raised:\n{shown}"
    assert summary["cases"] >= 1
    assert summary["files_intact"] == summary["files_checked"]
