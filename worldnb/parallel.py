"""Executors for independent tasks: in this process (``"local"``) or on Ray (``"ray"``).

The engines that fan out (:func:`worldnb.worlds.render_dataset`,
:func:`worldnb.spatial.vsibench.evaluate`, :func:`worldnb.batch.generate_many`) share
this plumbing, so Ray stays an optional extra (``pip install 'worldnb[scale]'``) that
is imported only when ``executor="ray"`` is asked for.

- :func:`ray_session` uses the Ray already running in this process, connects to a
  cluster by ``address``, or starts a local one that listens on 127.0.0.1 only.
- :func:`imap_unordered` runs ``fn(*args)`` for every item with a bounded number in
  flight (backpressure) and yields ``(index, result)`` as tasks finish. On Ray a task
  whose worker dies is run again (``max_retries``); an exception raised by ``fn``
  itself is not retried and propagates (as its own type) after the other tasks are
  cancelled.

Tasks travel to Ray workers with Ray's own serialisation (cloudpickle, between the
processes of one trusted cluster); worldnb sends plain values (numbers, strings,
bytes) and never stores a pickle on disk.

Example:
    >>> from worldnb.parallel import imap_unordered
    >>> sorted(imap_unordered(pow, [(2, 3), (3, 2)], executor="local", progress=False))
    [(0, 8), (1, 9)]
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .errors import InputError

__all__ = [
    "EXECUTORS",
    "INSTALL_HINT",
    "check_executor",
    "imap_unordered",
    "import_ray",
    "ray_session",
    "ray_workers",
]

EXECUTORS = ("local", "ray")
INSTALL_HINT = "pip install 'worldnb[scale]' (or: pip install ray)"
#: attempts after the first when a Ray worker dies under a task (not for errors it raises)
MAX_RETRIES = 3


def import_ray():
    """The ``ray`` module, or an :class:`InputError` that says how to install it."""
    try:
        import ray
    except ImportError:
        raise InputError(
            f"executor='ray' needs Ray, which is not installed here; {INSTALL_HINT}"
        ) from None
    return ray


def check_executor(
    executor: str, address: str | None = None, num_workers: int | None = None
) -> str:
    """Validate ``executor`` / ``address`` / ``num_workers``; returns the executor.

    Raises:
        InputError: an unknown executor, a bad worker count, an address with the local
            executor, or ``"ray"`` without Ray installed.
    """
    if executor not in EXECUTORS:
        raise InputError(f"executor: expected one of {', '.join(EXECUTORS)}, got {executor!r}")
    if num_workers is not None and (
        isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 1
    ):
        raise InputError(f"num_workers: expected a whole number >= 1, got {num_workers!r}")
    if address is not None:
        if not isinstance(address, str) or not address.strip():
            raise InputError(f"address: expected a Ray address such as 'ray://host:10001' "
                             f"or 'auto', got {address!r}")  # fmt: skip
        if executor != "ray":
            raise InputError("address: only used with executor='ray'")
    if executor == "ray":
        import_ray()
    return executor


@contextlib.contextmanager
def _loopback_only(ray):
    """Make a Ray started here advertise and bind 127.0.0.1, as Ray does on macOS and
    Windows; on Linux it would otherwise listen on every interface of the machine."""
    from ray._private import ray_constants  # the switch is read when Ray picks its address

    key = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
    old_env, old_flag = os.environ.get(key), ray_constants.ENABLE_RAY_CLUSTER
    os.environ[key] = "0"  # the processes Ray starts read it too
    ray_constants.ENABLE_RAY_CLUSTER = False
    try:
        yield
    finally:
        ray_constants.ENABLE_RAY_CLUSTER = old_flag
        if old_env is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old_env


def _ray_children(ray) -> set[int]:
    """Process ids of this process's descendants that are Ray's (servers, agents, workers)."""
    import psutil  # Ray ships it (ray/thirdparty_files) and puts it on sys.path

    out = set()
    for p in psutil.Process().children(recursive=True):
        try:
            if "ray" in " ".join(p.cmdline()):
                out.add(p.pid)
        except psutil.Error:  # it ended meanwhile
            pass
    return out


def _stop_processes(pids: set[int]) -> None:
    """Terminate these processes (then kill those that linger)."""
    import psutil

    procs = []
    for pid in pids:
        try:
            procs.append(psutil.Process(pid))
        except psutil.Error:
            continue
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(procs, timeout=5)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()


def _free_loopback_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports free on 127.0.0.1 now (the OS picks them)."""
    import socket

    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@contextlib.contextmanager
def _agent_ports_given(ray):
    """Give a local Ray's node agents their ports up front. Left at 0, the raylet waits
    a fixed 15 s for the dashboard and runtime-env agents (Python processes) to write
    the ports they picked, and aborts when they are slower: on a loaded machine their
    imports alone take longer, so ``ray.init`` failed ("timed out during startup").
    With the ports given (``RayParams``; the dashboard agent's HTTP port also on the
    raylet's command line, which Ray does not pass itself), the raylet starts without
    waiting for them."""
    from ray._private import parameter, ray_constants, services

    base, start = parameter.RayParams, services.start_ray_process
    given: list = []

    class _Params(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            names = ("metrics_agent_port", "dashboard_agent_listen_port",
                     "runtime_env_agent_port", "metrics_export_port")  # fmt: skip
            # Ray's fixed default HTTP port clashes between two Rays on one machine
            default = ray_constants.DEFAULT_DASHBOARD_AGENT_LISTEN_PORT
            unset = [n for n in names if getattr(self, n, None) in (None, 0, default)]
            for name, port in zip(unset, _free_loopback_ports(len(unset)), strict=True):
                setattr(self, name, port)
            given.append(self)

    def _start(command, process_type, *args, **kwargs):
        if process_type == ray_constants.PROCESS_TYPE_RAYLET and given:
            flag = "--dashboard_agent_listen_port"
            if not any(str(c).startswith(flag) for c in command):
                port = given[-1].dashboard_agent_listen_port
                command = [command[0], f"{flag}={port}", *command[1:]]
        return start(command, process_type, *args, **kwargs)

    parameter.RayParams, services.start_ray_process = _Params, _start
    try:
        yield
    finally:
        parameter.RayParams, services.start_ray_process = base, start


def _start_local(ray, num_cpus: int, opts: dict, tries: int = 3) -> None:
    """``ray.init`` for a local Ray (its agents' ports given, see
    :func:`_agent_ports_given`), tried again when its processes miss Ray's fixed 30 s
    start-up window (it happens on an overloaded machine). A start that failed leaves
    its servers running (``ray.shutdown`` does not know them): they are stopped before
    the next try, so each try does not add to the load that made the last one fail."""
    for attempt in range(tries):
        before = _ray_children(ray)
        try:
            with _agent_ports_given(ray):
                ray.init(num_cpus=num_cpus, **opts)
            return
        except Exception as exc:
            ray.shutdown()
            _stop_processes(_ray_children(ray) - before)
            if "timed out during startup" not in str(exc) or attempt == tries - 1:
                raise


@contextlib.contextmanager
def ray_session(
    address: str | None = None, num_workers: int | None = None, *, num_gpus: int | None = None
):
    """Yield the ``ray`` module with a Ray connection for the block.

    A Ray already initialised in this process is used as it is (and left running).
    Otherwise ``address`` connects to a cluster (``"auto"``, ``"ray://host:10001"``,
    ``"host:6379"``), and with no address a local Ray is started with ``num_workers``
    CPUs (default: all cores) and ``num_gpus`` GPUs (default: those Ray finds), on
    127.0.0.1 only, without dashboard or usage stats; what was started or connected
    here is shut down at the end.

    Raises:
        InputError: bad ``address`` / ``num_workers`` / ``num_gpus`` (``num_gpus`` with
            an address: a cluster's GPUs are its nodes'), or Ray not installed.
    """
    check_executor("ray", address, num_workers)
    if num_gpus is not None:
        if isinstance(num_gpus, bool) or not isinstance(num_gpus, int) or num_gpus < 0:
            raise InputError(f"num_gpus: expected a whole number >= 0, got {num_gpus!r}")
        if address is not None:
            raise InputError("num_gpus: only for a local Ray (a cluster declares its own GPUs)")
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    opts: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
    host = None if address is None else address.split("://")[-1].rsplit(":", 1)[0]
    if address is None:
        with _loopback_only(ray):
            if num_gpus is not None:
                opts["num_gpus"] = num_gpus
            _start_local(ray, num_workers or os.cpu_count() or 1, opts)
    elif host in ("127.0.0.1", "localhost"):  # a cluster on this machine, on loopback
        with _loopback_only(ray):
            ray.init(address=address, **opts)
    else:
        ray.init(address=address, **opts)
    try:
        yield ray
    finally:
        ray.shutdown()


def ray_workers(ray, num_workers: int | None = None) -> int:
    """How many tasks run at once: ``num_workers``, else the cluster's CPUs."""
    if num_workers is not None:
        return num_workers
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def imap_unordered(
    fn: Callable,
    items: Sequence[tuple] | Iterable[tuple],
    *,
    executor: str = "local",
    address: str | None = None,
    num_workers: int | None = None,
    max_in_flight: int | None = None,
    progress: bool = True,
    desc: str = "tasks",
    total: int | None = None,
) -> Iterator[tuple[int, Any]]:
    """Run ``fn(*args)`` for each ``args`` in ``items``; yield ``(index, result)``.

    Args:
        fn: a module-level function (Ray ships it by reference to the workers).
        items: argument tuples, consumed lazily (so at most ``max_in_flight`` are held).
        executor: ``"local"`` (in order, in this process) or ``"ray"``.
        address: Ray cluster address (see :func:`ray_session`).
        num_workers: local Ray CPUs to start; on any cluster at most this many tasks
            are in flight at once.
        max_in_flight: tasks submitted but not yet collected (default: ``num_workers``,
            else 2 per CPU of the cluster).
        progress: show a tqdm bar of finished tasks.
        desc: the bar's label.
        total: the bar's length when ``items`` has no ``len``.

    Raises:
        Exception: the first exception a task raises (the rest are cancelled).
        InputError: bad arguments (checked when called, before anything runs), and an
            item that is not a tuple (or list) of arguments, when it is reached.
    """
    check_executor(executor, address, num_workers)
    if not callable(fn):
        raise InputError(f"fn: expected a function to call on each item's arguments, "
                         f"got {type(fn).__name__}")  # fmt: skip
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InputError(f"items: expected an iterable of argument tuples such as "
                         f"[(1, 2), (3, 4)], got {type(items).__name__}")  # fmt: skip
    for name, value, low in (("max_in_flight", max_in_flight, 1), ("total", total, 0)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < low
        ):
            raise InputError(f"{name}: expected a whole number >= {low} or None, got {value!r}")
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    return _imap(fn, items, executor, address, num_workers, max_in_flight, progress, desc,
                 total)  # fmt: skip


def _arguments(i: int, args) -> tuple:
    if not isinstance(args, tuple | list):
        raise InputError(f"items[{i}]: expected a tuple of arguments, got "
                         f"{type(args).__name__} (one argument x is written (x,))")  # fmt: skip
    return tuple(args)


def _imap(fn, items, executor, address, num_workers, max_in_flight, progress, desc, total):
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=desc, disable=not progress) as bar:
        if executor == "local":
            for i, args in enumerate(items):
                out = fn(*_arguments(i, args))
                bar.update(1)
                yield i, out
            return
        with ray_session(address, num_workers) as ray:
            # num_workers caps what runs at once; else keep each CPU fed with a spare task
            limit = max_in_flight or num_workers or 2 * ray_workers(ray)
            remote = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(fn)
            pending: dict[Any, int] = {}
            it = enumerate(items)
            try:
                for i, args in it:
                    pending[remote.remote(*_arguments(i, args))] = i
                    if len(pending) >= limit:
                        break
                while pending:
                    done, _ = ray.wait(list(pending), num_returns=1)
                    i = pending.pop(done[0])
                    out = ray.get(done[0])
                    bar.update(1)
                    yield i, out
                    for j, args in it:
                        pending[remote.remote(*_arguments(j, args))] = j
                        break
            finally:
                for ref in pending:
                    ray.cancel(ref, force=True)
