"""The executor switch: its validation, the message without Ray, and a local Ray
that listens on and talks to 127.0.0.1 only."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from worldnb.batch import generate_many
from worldnb.errors import InputError
from worldnb.parallel import check_executor, imap_unordered
from worldnb.spatial.vsibench import evaluate
from worldnb.worlds import render_dataset

from .conftest import ray_processes


@pytest.fixture
def no_ray(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError


def test_without_ray_each_entry_point_says_how_to_install_it(no_ray, tmp_path):
    hint = r"pip install 'worldnb\[scale\]'"
    with pytest.raises(InputError, match=hint):
        render_dataset(1, tmp_path / "ds", executor="ray", progress=False)
    with pytest.raises(InputError, match=hint):
        generate_many([np.zeros((8, 8, 3), np.float32)], tmp_path / "g", executor="ray")
    with pytest.raises(InputError, match=hint):
        evaluate([], [], executor="ray")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing started, nothing written


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"executor": "dask"}, "executor: expected one of local, ray"),
        ({"executor": "local", "address": "auto"}, "only used with executor='ray'"),
        ({"executor": "local", "num_workers": 0}, "num_workers"),
        ({"executor": "local", "num_workers": 1.5}, "num_workers"),
        ({"executor": "ray", "address": " "}, "address"),
    ],
)
def test_bad_executor_arguments_are_input_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        check_executor(**kwargs)


@pytest.mark.parametrize(
    ("fn", "items", "kwargs", "match"),
    [
        (None, [(1,)], {}, "fn: expected a function"),
        (abs, None, {}, "items: expected an iterable of argument tuples"),
        (abs, "abc", {}, "items: expected an iterable"),
        (abs, [(1,)], {"max_in_flight": 0}, "max_in_flight"),
        (abs, [(1,)], {"max_in_flight": 1.5}, "max_in_flight"),
        (abs, [(1,)], {"total": -1}, "total"),
        (abs, [(1,)], {"executor": "ray", "num_workers": 0}, "num_workers"),
    ],
)
def test_bad_imap_arguments_are_input_errors_raised_when_called(fn, items, kwargs, match):
    with pytest.raises(InputError, match=match):
        imap_unordered(fn, items, progress=False, **kwargs)  # before the first next()


def test_an_item_that_is_not_an_argument_tuple_is_an_input_error():
    calls = []
    it = imap_unordered(calls.append, [(1,), 2, (3,)], progress=False)
    assert next(it) == (0, None)
    with pytest.raises(InputError, match=r"items\[1\]: expected a tuple of arguments, got int"):
        next(it)
    assert calls == [1]  # nothing after the bad item ran


@pytest.fixture
def here_by_value(ray_cluster):
    """Ship this module's functions to the workers by value (they cannot import a test
    module by name)."""
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield
    ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def _square_plus(x, y):
    return x * x + y


def test_imap_local_and_ray_give_the_same_results(here_by_value):
    items = [(i, 1) for i in range(7)]
    local = dict(imap_unordered(_square_plus, items, executor="local", progress=False))
    on_ray = dict(imap_unordered(_square_plus, iter(items), executor="ray", max_in_flight=2,
                                 total=len(items), progress=False))  # fmt: skip
    assert local == on_ray == {i: i * i + 1 for i in range(7)}


def _fail_on_three(x):
    if x == 3:
        raise InputError("three is not allowed")
    return x


def test_a_bad_item_on_ray_is_an_input_error_and_the_rest_are_cancelled(here_by_value):
    with pytest.raises(InputError, match=r"items\[2\]: expected a tuple"):
        list(imap_unordered(_square_plus, [(1, 1), (2, 1), 3, (4, 1)], executor="ray",
                            max_in_flight=1, progress=False))  # fmt: skip


def test_an_error_in_a_task_reaches_the_caller_as_its_own_type(here_by_value):
    with pytest.raises(InputError, match="three is not allowed"):
        list(imap_unordered(_fail_on_three, [(i,) for i in range(6)], executor="ray",
                            progress=False))  # fmt: skip


def test_the_local_cluster_listens_on_and_talks_to_loopback_only(ray_cluster):
    loopback = ("127.0.0.1", "::1", "::ffff:127.0.0.1")
    procs = []  # Ray's servers and workers among this process's children
    for p in ray_processes():
        try:
            cmd = " ".join(p.cmdline())
        except Exception:  # the process ended meanwhile
            continue
        if cmd.startswith("ray::") or "/ray/" in cmd or "site-packages/ray" in cmd:
            procs.append(p)
    assert any("raylet" in " ".join(p.cmdline()) for p in procs)  # the cluster is ours
    listening, remote = [], []
    for p in procs:
        try:
            conns = p.net_connections(kind="inet")
        except Exception:  # the process ended meanwhile
            continue
        for c in conns:
            if c.status == "LISTEN":
                listening.append(c.laddr.ip)
            elif c.raddr:
                remote.append(c.raddr.ip)
    assert listening, "found no listening Ray sockets to check"
    assert set(listening) <= set(loopback), listening
    assert set(remote) <= set(loopback), remote


def test_the_local_raylet_is_given_its_agents_ports(ray_cluster):
    """Left at 0 the raylet waits a fixed 15 s for its agents to report their ports and
    aborts when their imports are slower (a loaded machine): ray_session gives them."""
    import re

    from worldnb.parallel import _agent_ports_given

    cmds = []
    for p in ray_processes():
        try:
            cmds.append(" ".join(p.cmdline()))
        except Exception:  # the process ended meanwhile
            continue
    raylet = [c for c in cmds if c.split(" ")[0].endswith("raylet/raylet")]
    assert len(raylet) == 1, raylet
    wanted = {"metrics_agent_port", "metrics_export_port", "runtime_env_agent_port",
              "dashboard_agent_listen_port"}  # fmt: skip
    flags = re.findall(r"--([a-z_-]+)=(\d+)", raylet[0])
    ports = {n.replace("-", "_"): int(v) for n, v in flags if n.replace("-", "_") in wanted}
    assert set(ports) == wanted, raylet[0]
    assert all(ports.values()) and len(set(ports.values())) == len(ports), ports

    from ray._private import parameter, services

    base, start = parameter.RayParams, services.start_ray_process
    with _agent_ports_given(ray_cluster):
        given = parameter.RayParams(metrics_export_port=12345)
    assert (parameter.RayParams, services.start_ray_process) == (base, start)  # put back
    assert given.metrics_export_port == 12345  # a port the caller chose is kept
    chosen = [given.metrics_agent_port, given.dashboard_agent_listen_port,
              given.runtime_env_agent_port]  # fmt: skip
    assert all(chosen) and len({*chosen, 12345}) == 4, chosen
