"""Fuzz one public entry point in this process and write what happened, one JSON line
per event, to a results file.

Run by test_fuzz.py in a subprocess whose address space is capped (``RLIMIT_AS``):

    python tests/robustness/_worker.py TARGET RESULTS.jsonl --examples N --seed S
        [--call-limit SECONDS] [--memory-gb 4]

Each case writes ``{"event": "start", "case": i, "input": repr}`` before the call (so a
hang or a crash killed from outside still names its input) and ``{"event": "end",
"outcome": "ok" | "<WorldnbError subclass>" | "RAW <type>", ...}`` after it. A call
that runs past ``--call-limit`` is stopped by SIGALRM and reported as ``RAW
CallTimeout``. The last line is a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings


class CallTimeout(BaseException):
    """A call ran past the per-call time limit (BaseException: no `except Exception`
    in the library can swallow it)."""


def _alarm(signum, frame):
    raise CallTimeout("the call ran past its time limit")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("results")
    ap.add_argument("--examples", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--call-limit", type=float, default=30.0)
    ap.add_argument("--memory-gb", type=float, default=4.0)
    a = ap.parse_args(argv)

    limit = int(a.memory_gb * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # also set by the parent
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    warnings.simplefilter("ignore")
    sys.path.insert(0, str(Path(__file__).parent))
    from _targets import TARGETS, Context, Outcome

    import worldnb  # noqa: F401  (import cost is not any case's)
    from worldnb.errors import WorldnbError

    target = TARGETS[a.target]
    out = open(a.results, "a", buffering=1)

    def emit(**rec):
        out.write(json.dumps(rec, default=str) + "\n")

    tmp = tempfile.mkdtemp(prefix=f"fuzz-{a.target}-")
    ctx = Context(Path(tmp))
    t0 = time.perf_counter()
    if target.setup is not None:
        target.setup(ctx)
    setup_s = time.perf_counter() - t0
    counts: Counter = Counter()
    files = Counter()
    slowest = [0.0, ""]
    signal.signal(signal.SIGALRM, _alarm)

    @settings(
        max_examples=a.examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: every case counts once
        suppress_health_check=list(HealthCheck),
    )
    @seed(a.seed)
    @given(target.strategy(ctx))
    def run(value):
        i = sum(counts.values())
        shown = _short(value)
        emit(event="start", case=i, input=shown)
        t = time.perf_counter()
        detail = None
        ctx.outcome = Outcome()
        signal.setitimer(signal.ITIMER_REAL, a.call_limit)
        try:
            target.call(ctx, value)
            outcome = "ok"
        except WorldnbError as exc:
            outcome = type(exc).__name__
            detail = str(exc)[:300]
            if not str(exc).strip():
                outcome, detail = "RAW empty-message " + outcome, repr(exc)
        except (Exception, CallTimeout) as exc:  # anything else escaping is a defect
            outcome = f"RAW {type(exc).__name__}"
            detail = "".join(traceback.format_exception(exc)[-6:])[-3000:]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - t
        if took > slowest[0]:
            slowest[:] = [took, shown[:200]]
        result = ctx.outcome
        if outcome == "ok" and result.label:
            outcome, detail = result.label, result.note
        files["checked"] += result.files_checked
        files["intact"] += result.files_intact
        counts[outcome] += 1
        emit(event="end", case=i, outcome=outcome, seconds=round(took, 3), detail=detail,
             input=shown if outcome.startswith("RAW") else None)  # fmt: skip

    run()
    emit(
        event="summary",
        target=a.target,
        cases=sum(counts.values()),
        outcomes=dict(counts),
        files_checked=files["checked"],
        files_intact=files["intact"],
        setup_s=round(setup_s, 2),
        total_s=round(time.perf_counter() - t0, 2),
        slowest_s=round(slowest[0], 2),
        slowest_input=slowest[1],
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    return 0


def _short(value, n: int = 600) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a value whose repr fails is still a case
        text = f"<unrepresentable {type(value).__name__}: {exc!r}>"
    return text if len(text) <= n else text[:n] + f"… ({len(text)} chars)"


if __name__ == "__main__":
    sys.exit(main())
