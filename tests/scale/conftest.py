"""One local Ray cluster for all the tests here (Ray takes seconds to start): 2 CPUs
and one logical GPU (so the GPU-actor path is scheduled as on a GPU cluster; torch finds
no CUDA here), bound to 127.0.0.1, no dashboard, no usage stats; plus helpers to find
and kill its worker processes."""

from __future__ import annotations

import os
import time

import psutil
import pytest


@pytest.fixture(scope="package")
def ray_cluster():
    """The ``ray`` module with a local cluster shared by the tests in this folder (and
    shut down after them, so the rest of ``make test`` runs without it)."""
    try:
        import ray
    except ImportError:  # the [test] extra installs it: never skipped in CI
        msg = "Ray is missing: pip install -e '.[test]' (or '.[scale]')"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg)
        pytest.skip(msg)
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    from worldnb.parallel import ray_session

    with ray_session(num_workers=2, num_gpus=1) as ray:
        yield ray


def ray_processes() -> list[psutil.Process]:
    """This test process's descendants: Ray's servers and workers."""
    return psutil.Process().children(recursive=True)


def running(title: str) -> list[psutil.Process]:
    """Ray workers whose process title (``ray::<task>``) starts with ``title``."""
    out = []
    for p in ray_processes():
        try:
            cmd = p.cmdline()
        except psutil.Error:
            continue
        if cmd and cmd[0].startswith(title):
            out.append(p)
    return out


def wait_for(condition, timeout: float = 120.0, what: str = "condition"):
    """Poll ``condition()`` until it returns something truthy (returned) or time out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
