"""``--executor ray`` for the benchmarks whose items are independent (shared helper, not a
benchmark: ``make bench`` runs ``benchmarks/[!_]*.py``).

A benchmark adds the options with :func:`add_arguments`, opens one Ray for its whole
run with :func:`session` (Ray starts once, not per section), and maps a module-level
function over its items with :func:`map_ordered`, which returns the results in item
order whatever the executor, so the JSON a benchmark prints is built the same way.
Timings a task measures are taken inside the task (on its worker).

Example (in a benchmark's ``main``)::

    ap = argparse.ArgumentParser(); _executor.add_arguments(ap); args = ap.parse_args()
    with _executor.session(args):
        rows = _executor.map_ordered(score_room, [(seed,) for seed in seeds], args)
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence

from worldnb.parallel import EXECUTORS, check_executor, imap_unordered, ray_session


def add_arguments(ap: argparse.ArgumentParser, what: str = "items") -> None:
    """``--executor``, ``--num-workers`` and ``--address``."""
    ap.add_argument("--executor", choices=EXECUTORS, default="local",
                    help=f"where the {what} run (ray: one task each)")  # fmt: skip
    ap.add_argument("--num-workers", type=int, default=None,
                    help="Ray workers (default: every CPU of the cluster)")  # fmt: skip
    ap.add_argument("--address", default=None,
                    help="Ray cluster address (default: a local Ray on 127.0.0.1)")  # fmt: skip


def _options(args) -> dict:
    return {"executor": getattr(args, "executor", "local"),
            "address": getattr(args, "address", None),
            "num_workers": getattr(args, "num_workers", None)}  # fmt: skip


@contextlib.contextmanager
def session(args):
    """One Ray connection for the block when ``args.executor == "ray"`` (else nothing)."""
    opts = _options(args)
    check_executor(**opts)
    if opts["executor"] != "ray":
        yield
        return
    with ray_session(opts["address"], opts["num_workers"]):
        yield


def describe(args) -> dict:
    """What the JSON records about where the items ran."""
    opts = _options(args)
    return {k: v for k, v in opts.items() if v is not None}


def map_ordered(
    fn: Callable, items: Sequence[tuple], args, desc: str = "tasks", progress: bool = False
) -> list:
    """``[fn(*a) for a in items]``, on the executor ``args`` names, in item order.

    On Ray a function defined in a benchmark is sent by value: the workers cannot import
    ``benchmarks/`` scripts by name (run as ``__main__`` they are sent by value anyway).
    """
    opts = _options(args)
    module = sys.modules.get(getattr(fn, "__module__", ""), None)
    by_value = (
        opts["executor"] == "ray"
        and module is not None
        and module.__name__ not in ("__main__", "builtins")
        and not module.__name__.startswith("worldnb")
    )
    if by_value:
        import ray.cloudpickle

        ray.cloudpickle.register_pickle_by_value(module)
    try:
        out: list = [None] * len(items)
        for i, res in imap_unordered(fn, items, progress=progress, desc=desc, **opts):
            out[i] = res
        return out
    finally:
        if by_value:
            ray.cloudpickle.unregister_pickle_by_value(module)
