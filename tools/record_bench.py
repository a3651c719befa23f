"""Runs benchmark scripts and keeps what they print, with the machine they ran on.

Each ``benchmarks/NAME.py`` prints one JSON document. This runs it and writes
``benchmarks/results/NAME.json``: the script's JSON under ``"result"``, the exact
command, the date, the wall time, and the machine (CPU model, cores, load average
before and after, OS, Python, torch). The docs site's Benchmarks page is built from
these files (``docs/hooks.py``), so the numbers it shows are the ones a run printed.

Usage::

    python tools/record_bench.py spatial_qa layout -- [ARGS for every script]
    python tools/record_bench.py render --args "--threads 1"

Commit the JSON files after a run; a run that fails writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def torch_version() -> str:
    out = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "unknown"


def machine() -> dict:
    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gib": memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": torch_version(),
    }


def record(name: str, args: list[str]) -> Path:
    script = REPO / "benchmarks" / f"{name}.py"
    if not script.is_file():
        raise SystemExit(f"no benchmark {script.relative_to(REPO)}")
    cmd = ["python", f"benchmarks/{name}.py", *args]
    load_before = os.getloadavg()
    start = dt.datetime.now(dt.timezone.utc)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(script), *args], cwd=REPO, capture_output=True, text=True
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"{name}: exit status {proc.returncode}; nothing written")
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise SystemExit(f"{name}: not one JSON document ({e}); nothing written") from e
    doc = {
        "benchmark": name,
        "command": shlex.join(cmd),
        "date": start.strftime("%Y-%m-%d %H:%M UTC"),
        "wall_s": round(wall, 1),
        "machine": {
            **machine(),
            "load_avg_1min_before": round(load_before[0], 2),
            "load_avg_1min_after": round(os.getloadavg()[0], 2),
        },
        "result": result,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="+", help="benchmark script names (benchmarks/NAME.py)")
    ap.add_argument("--args", default="", help="arguments passed to every script")
    ns = ap.parse_args(argv)
    for name in ns.names:
        out = record(name, shlex.split(ns.args))
        print(f"{name}: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
