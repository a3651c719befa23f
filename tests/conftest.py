"""Shared test settings: offline hubs, seeded randomness, a place for artifacts."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

# Nothing may download weights or data at test time: forced, not defaulted, so a shell
# that exports HF_HUB_OFFLINE=0 cannot send the tests (or the hub reachability probe in
# worldnb/generation/_hf.py) to the network.
for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ[_var] = "1"

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "test-artifacts"
# VSI-Bench's ScanNet meta info lives in the shared data folder beside the repository
# (worldnb does not ship it); the tests that use it require it.
VSIBENCH_META = SHARED / "data" / "vsibench-meta" / "scannet_meta_info_val.json"


def pytest_ignore_collect(collection_path, config):
    """Only test files are collected here. ``--doctest-modules`` (on for the docstring
    examples in worldnb) would otherwise import every .py under tests/, and some are
    scripts that write notebooks when imported."""
    name = collection_path.name
    if collection_path.suffix == ".py" and name != "conftest.py":
        if not (name.startswith("test_") or name.endswith("_test.py")):
            return True
    return None


# `make test` runs the suite on pytest-xdist workers (PYTEST_WORKERS, 2 by default): each
# worker gets its share of the cores for torch (and so for the numba tile kernels, which
# follow torch's thread count), rather than every worker starting a thread per core.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 1) // _WORKERS))

# Tests that must not run beside their own kind, each group on one worker in turn: the
# real-browser tests (a JupyterLab or Voilà server and Chromium each), the local Ray
# clusters, and the Binder venv (its build and the notebooks, the longest single piece:
# it is collected first so that a worker starts it at once). Every other test file is
# a unit of its own, so its module fixtures are built once. (xdist's own xdist_group
# markers do nothing with pytest 9.2, whose node ids xdist 3.8 can no longer rename.)
_GROUPS = {"tests/test_binder.py": "binder", "tests/browser/": "browser", "tests/scale/": "ray"}


def _unit(nodeid: str) -> str:
    """The scheduling unit of a test: its group, or else its file."""
    path = nodeid.split("::", 1)[0]
    return next((g for prefix, g in _GROUPS.items() if path.startswith(prefix)), path)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: _unit(item.nodeid) != "binder")  # stable otherwise
    # the built docs site's browser test needs the site: `make test` runs it after
    # `make docs` with WORLDNB_SITE set; before that it is deselected, not skipped
    if not os.environ.get("WORLDNB_SITE"):
        later = [item for item in items if "site_url" in getattr(item, "fixturenames", ())]
        if later:
            config.hook.pytest_deselected(items=later)
            items[:] = [item for item in items if item not in later]


def pytest_xdist_make_scheduler(config, log):
    """``make test``'s ``--dist loadgroup``: the units above, on the workers as they free."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class _Units(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    return _Units(config, log)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def vsibench_meta() -> Path:
    """The path of VSI-Bench's ``scannet_meta_info_val.json`` (required, never skipped)."""
    assert VSIBENCH_META.is_file(), f"missing shared data: {VSIBENCH_META}"
    return VSIBENCH_META


@pytest.fixture
def artifacts_dir(request) -> Path:
    """A folder under test-artifacts/ for screenshots and diff images of this test."""
    d = ARTIFACTS / request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
    d.mkdir(parents=True, exist_ok=True)
    return d
