"""Many images → many scenes, in this process or on a Ray cluster.

:func:`generate_many` runs :func:`worldnb.generate` on every input and writes one
``.wnb`` per input plus a manifest::

    out_dir/
      0000_kitchen.wnb        the scene of input 0 (``<index>_<file stem>``; arrays and
      0001_image.wnb          PIL images are called ``image``)
      manifest.jsonl          one JSON line per finished item: index, input, output,
                              status ("ok" | "failed"), seconds, error, worker

With ``executor="ray"`` every worker is a Ray actor that loads the depth, inpainting
and segmentation models **once** and then takes images one after another (on a GPU
when the cluster has GPUs: one actor per GPU). Input files are read by the driver and
the ``.wnb`` comes back as bytes, so the cluster needs no shared filesystem. A bad
image fails its own item (its error is recorded) and the others go on; a worker that
dies is restarted and its item run again. Each ``.wnb`` is written to a temporary
file and renamed, so an interrupted run leaves only whole files, and running the same
call again skips the items already done (``resume=True``).

Example:
    >>> import numpy as np, tempfile, worldnb
    >>> from worldnb.batch import generate_many
    >>> flat = lambda rgb: np.full(rgb.shape[:2], 2.0, np.float32)
    >>> images = [np.full((16, 16, 3), v, np.float32) for v in (0.2, 0.8)]
    >>> res = generate_many(images, tempfile.mkdtemp() + "/out",
    ...                     worldnb.GenerationConfig(n_views=0, refine_iters=0),
    ...                     depth=flat, progress=False)
    >>> res.counts
    {'ok': 2, 'failed': 0}
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError, WorldnbError
from .generation import GenerationConfig, as_depth_estimator, as_inpainter, generate
from .parallel import MAX_RETRIES, check_executor, ray_session

__all__ = ["BatchItem", "BatchResult", "generate_many"]

MANIFEST = "manifest.jsonl"
#: the config and backends of the run that wrote ``out_dir`` (resume reuses only its items)
RUN_FILE = "run.json"


@dataclass
class BatchItem:
    """One input's outcome (a line of ``manifest.jsonl``)."""

    index: int
    """position in ``images``"""
    input: str
    """the input path, or ``<array>`` / ``<PIL image>``"""
    output: str | None
    """the ``.wnb`` file name in ``out_dir`` (None when it failed)"""
    status: str
    """``"ok"`` or ``"failed"``"""
    seconds: float
    """time the worker spent on it (model loading excluded)"""
    error: str | None = None
    """``ErrorType: message`` when it failed"""
    worker: str | None = None
    """``host:pid`` of the process that ran it"""
    device: str | None = None
    """the torch device it ran on (``"cpu"``, ``"cuda"``)"""
    gpu_ids: list[str] | None = None
    """the GPUs Ray gave its worker (``[]``: none; None: not on Ray)"""

    def to_dict(self) -> dict:
        """This item as a plain dict (one line of ``manifest.jsonl``)."""
        return dict(vars(self))


@dataclass
class BatchResult:
    """What :func:`generate_many` did: every item in input order."""

    out_dir: Path
    items: list[BatchItem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """``{"ok": n, "failed": m}``."""
        return {s: sum(it.status == s for it in self.items) for s in ("ok", "failed")}

    @property
    def failed(self) -> list[BatchItem]:
        """The items that failed, in input order (their ``error`` says why)."""
        return [it for it in self.items if it.status == "failed"]

    @property
    def paths(self) -> list[Path]:
        """The ``.wnb`` files written, in input order."""
        return [self.out_dir / it.output for it in self.items if it.output]


def _describe(image) -> tuple[str, str]:
    """(manifest input text, file stem) of an input."""
    if isinstance(image, str | Path):
        return str(image), Path(image).stem or "image"
    if type(image).__module__.startswith("PIL"):
        image = np.asarray(image)
        kind = "PIL image"
    else:
        kind = type(image).__name__
    try:  # in-memory images are told apart by their pixels
        digest = hashlib.sha1(np.ascontiguousarray(image).tobytes()).hexdigest()[:12]
    except (TypeError, ValueError):
        return f"<{kind}>", "image"
    return f"<{kind} {digest}>", "image"


def _payload(image):
    """What travels to a worker: ``("file", suffix, bytes)`` for a path (the driver reads
    it, so workers need no shared filesystem) or the image itself."""
    if isinstance(image, str | Path):
        p = Path(image).expanduser()
        return ("file", p.suffix, p.read_bytes())
    return ("value", image)


class _Worker:
    """The models of one worker, loaded once; :meth:`run` turns one input into ``.wnb``
    bytes or an error record."""

    def __init__(self, config, depth, inpaint, segment, device, on_ray: bool = False):
        from .rendering import resolve_device

        self.config = config
        # on Ray, an actor given GPUs sees only those (Ray sets CUDA_VISIBLE_DEVICES), so
        # "auto" / "cuda" mean its own GPU; "auto" falls back to the CPU where torch finds
        # no usable CUDA, "cuda" is then an InputError (the models do not load)
        self.gpu_ids = None
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.device = self.load_error = None
        if on_ray:
            import ray

            self.gpu_ids = [str(g) for g in ray.get_gpu_ids()]
        try:
            self.device = resolve_device(device)
            self.depth = as_depth_estimator(depth, self.device)
            self.inpaint = as_inpainter(inpaint, self.device) if config.n_views > 0 else None
        except Exception as exc:
            if not on_ray:
                raise
            # an actor whose __init__ raises dies, and Ray reports that (ActorDiedError)
            # without the error itself; :meth:`ready` raises it as a task error instead
            self.load_error = exc
        self.segment = segment

    def ready(self) -> dict:
        if self.load_error is not None:
            raise self.load_error
        return {"worker": self.name, "device": str(self.device), "gpu_ids": self.gpu_ids}

    def run(self, index: int, payload) -> dict:
        t0 = time.perf_counter()
        out: dict[str, Any] = {"index": index, **self.ready()}
        with tempfile.TemporaryDirectory(prefix="worldnb-batch-") as tmp:
            try:
                if payload[0] == "file":
                    image = Path(tmp) / f"input{payload[1]}"
                    image.write_bytes(payload[2])
                else:
                    image = payload[1]
                scene = generate(
                    image,
                    self.config,
                    depth=self.depth,
                    inpaint=self.inpaint,
                    segment=self.segment,
                    device=self.device,
                    progress=False,
                )
                out["data"] = scene.save(Path(tmp) / "scene.wnb").read_bytes()
            except (WorldnbError, OSError, ValueError) as exc:  # this item only
                out["error"] = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # a bug or backend failure: still this item only
                last = traceback.format_exception_only(type(exc), exc)[-1].strip()
                out["error"] = f"{type(exc).__name__} (unexpected): {last}"
        out["seconds"] = time.perf_counter() - t0
        return out


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read_manifest(path: Path) -> dict[int, dict]:
    """Last line per index; a line cut short by a kill, or one that is not a record of
    ours, is ignored (its input simply runs again)."""
    done: dict[int, dict] = {}
    fields = set(BatchItem.__dataclass_fields__)
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if (
                isinstance(rec, dict)
                and set(rec) <= fields
                and isinstance(rec.get("index"), int)
                and isinstance(rec.get("output"), str | None)
            ):
                done[rec["index"]] = rec
    return done


def _run_record(config: GenerationConfig, backends: dict) -> dict:
    """What an earlier run must share for its items to be reused: the config and which
    backends it named (a callable by its qualified name)."""

    def name(b):
        if b is None or isinstance(b, str | Path):
            return None if b is None else str(b)
        return f"{type(b).__module__}.{getattr(b, '__qualname__', type(b).__qualname__)}"

    return {"config": config.to_dict(), "backends": {k: name(v) for k, v in backends.items()}}


def generate_many(
    images: Sequence,
    out_dir: str | Path,
    config: GenerationConfig | None = None,
    depth=None,
    inpaint=None,
    segment=None,
    *,
    executor: str = "local",
    address: str | None = None,
    num_workers: int | None = None,
    device: str = "auto",
    resume: bool = True,
    progress: bool = True,
) -> BatchResult:
    """Generate a scene from each image and save it as ``.wnb`` (layout: module docstring).

    Args:
        images: paths, PIL images, numpy arrays or tensors (as :func:`worldnb.generate`).
        out_dir: output folder (created; may already hold an earlier run's results).
        config: :class:`~worldnb.GenerationConfig` for every image (defaults when None).
        depth: the depth backend, as :func:`worldnb.generate` takes it; each worker
            loads the backends once. On a cluster a model folder must exist on every
            node (or be a Hugging Face id cached there).
        inpaint: the inpainting backend, as ``depth``.
        segment: the segmentation backend, as ``depth``.
        executor: ``"local"`` (this process) or ``"ray"``.
        address: Ray cluster address (default: the Ray running in this process, else a
            new local one on 127.0.0.1).
        num_workers: workers (actors) to start (default: one per GPU when the cluster
            has GPUs and ``device`` is not ``"cpu"``, else one per CPU). More workers
            than GPUs share them (each asks Ray for a fraction of one).
        device: ``"auto"``, ``"cpu"`` or ``"cuda"`` for the models and rendering. On
            Ray, ``"auto"`` asks for GPUs where the cluster has them and runs on the
            CPU where a worker finds no usable CUDA (a warning says so); ``"cuda"``
            needs GPUs in the cluster; ``"cpu"`` asks for none.
        resume: skip inputs whose ``.wnb`` an earlier run wrote (failed ones run again).
        progress: show a progress bar.

    Returns:
        :class:`BatchResult` with one :class:`BatchItem` per input, in input order.

    Raises:
        InputError: no images, a bad ``config`` or executor, ``device="cuda"`` on a Ray
            cluster without GPUs.
        BackendError: a backend that cannot be loaded (raised before any item runs).
    """
    from tqdm.auto import tqdm

    check_executor(executor, address, num_workers)
    cfg = GenerationConfig() if config is None else config
    if not isinstance(cfg, GenerationConfig):
        raise InputError(f"config: expected a GenerationConfig, got {type(cfg).__name__}")
    if isinstance(images, str | Path) or not hasattr(images, "__len__"):
        raise InputError("images: expected a list of paths or images, e.g. [path1, path2]")
    if len(images) == 0:
        raise InputError("images: the list is empty; give at least one image")
    if not isinstance(out_dir, str | Path):
        raise InputError(f"out_dir: expected a folder path, got {type(out_dir).__name__}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"out_dir: {out} is a file; give a folder")
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    run = _run_record(cfg, {"depth": depth, "inpaint": inpaint, "segment": segment})
    run_file = out / RUN_FILE
    try:
        same_run = json.loads(run_file.read_text()) == json.loads(json.dumps(run))
    except (OSError, ValueError):
        same_run = False
    if not (resume and same_run) and manifest.exists():
        manifest.unlink()  # another config or backends: nothing earlier is reused
    _write_atomic(run_file, json.dumps(run, indent=1).encode())
    earlier = _read_manifest(manifest)
    names = []
    result = BatchResult(out, [None] * len(images))  # type: ignore[list-item]
    todo = []
    for i, image in enumerate(images):
        text, stem = _describe(image)
        names.append((text, f"{i:04d}_{stem}.wnb"))
        rec = earlier.get(i)
        # reused only for the same input at the same place (a reordered list runs again)
        if (
            rec
            and rec.get("status") == "ok"
            and rec.get("input") == text
            and (rec.get("output") and (out / rec["output"]).exists())
        ):
            result.items[i] = BatchItem(**rec)
        else:
            todo.append(i)

    def finish(i: int, rec: dict, log) -> None:
        text, name = names[i]
        if "data" in rec:
            _write_atomic(out / name, rec["data"])
        item = BatchItem(
            index=i,
            input=text,
            output=name if "data" in rec else None,
            status="ok" if "data" in rec else "failed",
            seconds=round(rec["seconds"], 4),
            error=rec.get("error"),
            worker=rec.get("worker"),
            device=rec.get("device"),
            gpu_ids=rec.get("gpu_ids"),
        )
        result.items[i] = item
        log.write(json.dumps(item.to_dict()) + "\n")
        log.flush()

    def payload_or_error(i: int):
        try:
            return _payload(images[i]), None
        except OSError as exc:  # unreadable input file: this item only
            return None, {"error": f"InputError: cannot read {names[i][0]}: {exc}", "seconds": 0.0}

    bar = tqdm(total=len(images), initial=len(images) - len(todo), desc="generating",
               disable=not progress)  # fmt: skip
    with bar, open(manifest, "a") as log:
        if executor == "local":
            if todo:
                worker = _Worker(cfg, depth, inpaint, segment, device)
            for i in todo:
                payload, err = payload_or_error(i)
                finish(i, err or worker.run(i, payload), log)
                bar.update(1)
        elif todo:
            with ray_session(address, num_workers) as ray:
                _run_on_ray(ray, cfg, depth, inpaint, segment, device, num_workers, todo,
                            payload_or_error, lambda i, rec: (finish(i, rec, log),
                                                              bar.update(1)))  # fmt: skip
    return result


def _actor_plan(
    resources: dict, device: str, num_workers: int | None, n_items: int
) -> tuple[int, dict]:
    """How many actors to start and what each asks Ray for, from the cluster's total
    ``resources`` (``ray.cluster_resources()``): one per GPU when there are GPUs and
    ``device`` is not ``"cpu"``, else one per CPU; never more than items; more actors
    than GPUs (CPUs) ask for a share of one, so none waits forever for a whole one."""
    dev = str(device)
    gpus = float(resources.get("GPU", 0)) if dev != "cpu" else 0.0
    if dev.startswith("cuda") and gpus == 0:
        raise InputError(f"device={dev!r}: the Ray cluster has no GPUs "
                         f"(resources: {dict(resources)}); use device='auto' or 'cpu'")  # fmt: skip
    cpus = max(1.0, float(resources.get("CPU", 1)))
    n = max(1, min(n_items, num_workers or int(gpus) or int(cpus)))
    opts: dict[str, float] = {"num_cpus": min(1.0, cpus / n)}
    if gpus:
        opts["num_gpus"] = min(1.0, gpus / n)
    return n, opts


def _run_on_ray(ray, cfg, depth, inpaint, segment, device, num_workers, todo, payload_of, done):
    """Start the actors, feed each at most two items at a time, collect as they finish."""
    import warnings

    from .errors import BackendError

    n, opts = _actor_plan(ray.cluster_resources(), device, num_workers, len(todo))
    actor_cls = ray.remote(max_restarts=MAX_RETRIES, max_task_retries=MAX_RETRIES)(_Worker)
    actors = [actor_cls.options(**opts).remote(cfg, depth, inpaint, segment, device, True)
              for _ in range(n)]  # fmt: skip
    try:
        try:
            infos = ray.get([a.ready.remote() for a in actors])
        except Exception as exc:  # the models did not load: nothing can run
            cause = getattr(exc, "cause", None) or exc
            raise BackendError(f"generate_many: the workers could not load the models: "
                               f"{type(cause).__name__}: {cause}") from None  # fmt: skip
        for info in infos:
            if info["gpu_ids"] and info["device"] == "cpu":
                gpu = ", ".join(info["gpu_ids"])
                msg = (f"generate_many: Ray gave worker {info['worker']} GPU {gpu}, but torch "
                       f"finds no usable CUDA there; it runs on the CPU")  # fmt: skip
                warnings.warn(msg, RuntimeWarning, stacklevel=3)
        queue = list(todo)
        load = {k: 0 for k in range(n)}
        pending: dict[Any, tuple[int, int]] = {}

        def submit(k: int) -> None:
            while queue and load[k] < 2:
                i = queue.pop(0)
                payload, err = payload_of(i)
                if err is not None:
                    done(i, err)
                    continue
                pending[actors[k].run.remote(i, payload)] = (i, k)
                load[k] += 1

        for k in range(n):
            submit(k)
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            i, k = pending.pop(ready[0])
            load[k] -= 1
            try:
                rec = ray.get(ready[0])
            except ray.exceptions.RayError as exc:  # the worker died more often than retried
                rec = {"error": f"{type(exc).__name__}: worker lost: {exc}"[:2000], "seconds": 0.0}
            done(i, rec)
            submit(k)
    finally:
        for a in actors:
            ray.kill(a)
