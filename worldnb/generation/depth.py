"""Stage 2: monocular depth behind one small protocol.

A :class:`DepthEstimator` is anything called as ``estimator(rgb) -> DepthPrediction``
with ``rgb`` (H, W, 3) float32 in [0, 1], and given the optional ``view`` keyword when
its signature takes it (the contract in :mod:`worldnb.generation._callables`).
:func:`as_depth_estimator` turns what a user passes into one:

- a Hugging Face model id or a local folder → :class:`TransformersDepth`
  (``AutoModelForDepthEstimation``: DPT, Depth Anything (V2), ZoeDepth, …);
- a callable returning a :class:`DepthPrediction` or an (H, W) array (read as metric
  depth) → :class:`CallableDepth`;
- ``None``, ``"builtin"`` or ``"builtin:depth"`` → the built-in model
  (:func:`worldnb.models.load` ``("depth")``), offline.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import torch

from ..errors import BackendError, InputError
from ..models.outputs import DepthPrediction
from ._callables import backend_name, call_user_backend
from ._hf import load_pretrained, pick_device
from .quiet import quiet_known_warnings

__all__ = [
    "CallableDepth",
    "DepthEstimator",
    "DepthPrediction",
    "TransformersDepth",
    "as_depth_estimator",
    "check_prediction",
]

DEPTH_KINDS = ("metric", "relative", "disparity")


@runtime_checkable
class DepthEstimator(Protocol):
    """``estimator(rgb, view=None) -> DepthPrediction | (H, W) metric depth``.

    ``rgb`` is (H, W, 3) float32 in [0, 1]. ``view`` is optional: a backend that wants
    to know which camera took the image (a :class:`~worldnb.generation.ViewContext`:
    ``"input"``, or a generated view with its camera and its pose relative to the
    input) names ``view`` in its signature, and is then always given it. A backend
    without it is called as ``estimator(rgb)``. worldnb reads the signature; there is
    no flag to set.
    """

    def __call__(self, rgb: np.ndarray, view=None) -> DepthPrediction: ...


def check_prediction(pred, shape: tuple[int, int], name: str) -> DepthPrediction:
    """Validate a backend's output; wrong shape, NaNs or bad kinds → BackendError.

    Plain arrays / tensors are read as metric depth.
    """
    if not isinstance(pred, DepthPrediction):
        if hasattr(pred, "detach") or isinstance(pred, np.ndarray):
            pred = DepthPrediction(pred, "metric")
        else:
            raise BackendError(
                f"depth backend {name} returned {type(pred).__name__}; it must return a "
                "DepthPrediction or an (H, W) array"
            )
    d = pred.depth
    if hasattr(d, "detach"):
        d = d.detach().float().cpu().numpy()
    d = np.asarray(d)
    if d.ndim == 3 and d.shape[0] == 1:
        d = d[0]
    if d.shape != tuple(shape):
        raise BackendError(
            f"depth backend {name} returned depth of shape {tuple(d.shape)} for an image of "
            f"{shape[0]}×{shape[1]}; it must return (H, W) at the input's size"
        )
    if d.dtype.kind not in "fiu":
        raise BackendError(f"depth backend {name} returned dtype {d.dtype}; expected floats")
    d = d.astype(np.float32)
    bad = ~np.isfinite(d)
    if bad.any():
        raise BackendError(
            f"depth backend {name} returned {int(bad.sum())} NaN/inf value(s); check the model "
            "and its input"
        )
    if pred.kind not in DEPTH_KINDS:
        raise BackendError(
            f"depth backend {name} returned kind {pred.kind!r}; expected one of {DEPTH_KINDS}"
        )
    if pred.kind == "metric" and (d <= 0).all():
        raise BackendError(f"depth backend {name} returned no positive metric depth")
    fov = pred.fov_deg
    if fov is not None and (not math.isfinite(float(fov)) or not 0 < float(fov) < 180):
        raise BackendError(f"depth backend {name} returned fov_deg={fov}; expected (0, 180)")
    conf = pred.confidence
    if conf is not None:
        conf = np.asarray(conf.detach().cpu() if hasattr(conf, "detach") else conf, np.float32)
        if conf.shape != tuple(shape) or not np.all(np.isfinite(conf)):
            raise BackendError(
                f"depth backend {name} returned a confidence map of shape {conf.shape} "
                "(or with NaNs); expected finite (H, W)"
            )
    return DepthPrediction(d, pred.kind, None if fov is None else float(fov), conf)


class CallableDepth:
    """Wrap any callable ``fn(rgb[, view]) -> DepthPrediction | (H, W) array`` (metric)
    and validate what it returns."""

    def __init__(self, fn, name: str | None = None):
        if not callable(fn):
            raise InputError(f"depth: expected a callable, got {type(fn).__name__}")
        self.fn = fn
        self.name = backend_name(fn, name)

    def __call__(self, rgb: np.ndarray, view=None) -> DepthPrediction:
        """Estimate depth; ``view`` (a :class:`~worldnb.generation.ViewContext`) is passed
        on only if ``fn``'s signature takes it."""
        out = call_user_backend("depth", repr(self.name), self.fn, rgb, view=view)
        return check_prediction(out, rgb.shape[:2], repr(self.name))


def _load_depth_model(source: str, **options):
    from transformers import AutoModelForDepthEstimation

    return AutoModelForDepthEstimation.from_pretrained(source, **options)


def _load_processor(source: str, **options):
    from transformers import AutoImageProcessor

    return AutoImageProcessor.from_pretrained(source, **options)


class TransformersDepth:
    """A transformers depth-estimation model, by hub id or local folder.

    The model's kind is read from its config: ZoeDepth and Depth Anything with
    ``depth_estimation_type="metric"`` give metres; DPT and relative Depth Anything
    give relative inverse depth ("disparity"). A model that predicts its field of view
    (``outputs.field_of_view``, horizontal) gives the intrinsics too.

    Safety: the model's own code is never run (``trust_remote_code=False``: a folder
    whose ``auto_map`` names a type transformers / diffusers do not ship is refused with
    a BackendError, never a prompt) and only safetensors weights are loaded (a folder of
    pickles is refused with how to convert it). There is no opt-in; for a model that
    needs its own code, load it yourself and pass a callable backend. Offline, an
    uncached hub id fails at once with the ``hf download`` command to run.

    Args:
        spec: hub id (``"depth-anything/Depth-Anything-V2-Small-hf"``) or folder.
        device: ``"auto"``, ``"cpu"``, ``"cuda"``.
    """

    def __init__(self, spec: str | Path, device: str = "auto"):
        self.name = str(spec)
        self.device = pick_device(device)
        kind = "transformers depth-estimation model"
        # load_pretrained adds trust_remote_code=False and use_safetensors=True
        self.model = load_pretrained(spec, _load_depth_model, kind, "config.json")
        self.processor = load_pretrained(
            spec, _load_processor, kind, "preprocessor_config.json", weights=False
        )
        self.model.to(self.device).eval()
        cfg = self.model.config
        if cfg.model_type == "zoedepth" or getattr(cfg, "depth_estimation_type", "") == "metric":
            self.kind = "metric"
        else:
            self.kind = "disparity"

    @torch.no_grad()
    @quiet_known_warnings()
    def __call__(self, rgb: np.ndarray) -> DepthPrediction:
        h, w = rgb.shape[:2]
        u8 = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
        inputs = self.processor(images=u8, return_tensors="pt").to(self.device)
        out = self.model(**inputs)
        pd = out.predicted_depth
        if pd.ndim == 3:
            pd = pd[:, None]
        pd = torch.nn.functional.interpolate(pd.float(), size=(h, w), mode="bilinear")[0, 0]
        fov = None
        if getattr(out, "field_of_view", None) is not None:  # horizontal, degrees
            fx = 0.5 * w / math.tan(math.radians(float(out.field_of_view.flatten()[0])) / 2)
            fov = math.degrees(2 * math.atan(0.5 * h / fx))
        depth = pd.cpu().numpy()
        if self.kind == "metric":
            depth = np.maximum(depth, 1e-3)
        return check_prediction(DepthPrediction(depth, self.kind, fov), (h, w), repr(self.name))


def as_depth_estimator(spec, device: str = "auto"):
    """Turn ``spec`` (hub id, folder, callable, DepthEstimator) into a depth backend.

    Raises:
        BackendError: a folder that is not a model, a hub id with no local copy while
            offline.
    """
    from .. import models

    if spec is None or models.builtin_name(spec, "depth"):
        return CallableDepth(models.load("depth", pick_device(device)), name="builtin:depth")
    if isinstance(spec, CallableDepth | TransformersDepth):
        return spec
    if isinstance(spec, str | Path):
        return TransformersDepth(spec, device=device)
    if callable(spec):
        return CallableDepth(spec)
    raise InputError(
        f"depth: expected a model id, a folder, or a callable, got {type(spec).__name__}"
    )
