"""A pytest plugin for the notebooks' nbval run (``tests/test_binder.py``).

nbval runs each notebook's code cells as test items in one kernel and keeps each
cell's outputs (``item.test_outputs``). When a notebook's last cell has run, this
plugin writes

- the executed copy, outputs and all, to ``$WORLDNB_EXECUTED_DIR/<path under
  $WORLDNB_NOTEBOOKS_ROOT>``, where ``make docs`` takes it from, but only when every
  cell passed (a failed notebook leaves no copy, so the site never shows stale
  outputs);
- a line of JSON to ``$WORLDNB_NBVAL_REPORT``: the notebook, its wall time from the
  kernel's start, its cells and, per failed cell, nbval's report.

It is loaded with ``-p nbval_copies`` and does nothing in other pytest runs.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

_started: dict[str, float] = {}
_failures: dict[str, list[str]] = {}


def _notebook_of(item) -> str | None:
    if not hasattr(item, "test_outputs") or not hasattr(item.parent, "nb"):
        return None  # not an nbval cell
    return str(item.parent.path)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    nb = _notebook_of(item)
    if nb is None:
        return
    report = outcome.get_result()
    if report.failed:
        _failures.setdefault(nb, []).append(f"{item.name} ({call.when}):\n{report.longreprtext}")
    if call.when == "call":
        item.cell.outputs = list(item.test_outputs or [])
        item.cell.execution_count = item.cell_num + 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    nb = _notebook_of(item)
    if nb is not None:
        _started.setdefault(nb, time.perf_counter())  # before the kernel starts
    yield
    if nb is None or (nextitem is not None and _notebook_of(nextitem) == nb):
        return
    _finish(item.parent, nb)


def _finish(notebook_file, nb: str) -> None:
    import nbformat

    failures = _failures.get(nb, [])
    root = Path(os.environ["WORLDNB_NOTEBOOKS_ROOT"])
    rel = Path(nb).relative_to(root)
    if not failures:
        target = Path(os.environ["WORLDNB_EXECUTED_DIR"]) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".ipynb.part")
        nbformat.write(notebook_file.nb, str(tmp))
        os.replace(tmp, target)
    cells = sum(1 for c in notebook_file.nb.cells if c.cell_type == "code")
    line = {
        "notebook": rel.as_posix(),
        "seconds": round(time.perf_counter() - _started[nb], 1),
        "cells": cells,
        "failures": failures,
    }
    with open(os.environ["WORLDNB_NBVAL_REPORT"], "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
