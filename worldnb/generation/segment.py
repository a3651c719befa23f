"""Instance segmentation of the input image, behind the third small protocol.

A :class:`Segmenter` is called as ``segmenter(rgb) -> ids`` with ``rgb`` (H, W, 3)
float32 in [0, 1]; it returns (H, W) integer instance ids (any integers; the lifted
points take them as their ``instance``) or a :class:`Segmentation` (classes with
names, and instances; 0 = no instance), which is what :func:`~worldnb.understand`
needs to name objects and to tell the floor, walls and ceiling apart. Like the other
backends it is given the optional ``view`` keyword only when its signature takes it
(the contract in :mod:`worldnb.generation._callables`). :func:`as_segmenter` turns what
a user passes into one.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import BackendError, InputError
from ..models.outputs import Segmentation
from ._callables import backend_name, call_user_backend

__all__ = ["CallableSegment", "Segmentation", "Segmenter", "as_segmenter", "check_segmentation"]

#: class names that :func:`~worldnb.understand` reads as the room's shell, not objects
STRUCTURE_LABELS = ("floor", "wall", "ceiling", "door", "window")


def _is_segmentation(x) -> bool:
    # duck-typed, so a Segmentation made by another module (the built-in models) is one too
    return all(hasattr(x, a) for a in ("semantic", "instance", "labels", "scores"))


@runtime_checkable
class Segmenter(Protocol):
    """``segmenter(rgb, view=None) -> (H, W) integer instance ids``.

    ``view`` (a :class:`~worldnb.generation.ViewContext`) is given only to a backend
    whose signature names it, as for :class:`~worldnb.generation.DepthEstimator`.
    """

    def __call__(self, rgb: np.ndarray, view=None) -> np.ndarray | Segmentation: ...


def check_segmentation(ids, shape: tuple[int, int], name: str) -> np.ndarray | Segmentation:
    """Validate a segmenter's output → (H, W) int32 ids or a checked
    :class:`Segmentation`; anything else → BackendError."""
    if _is_segmentation(ids):
        sem = check_segmentation(ids.semantic, shape, name)
        inst = check_segmentation(ids.instance, shape, name)
        labels = list(ids.labels)
        if not all(isinstance(x, str) and x.strip() for x in labels):
            raise BackendError(f"segmenter {name} returned labels that are not all names")
        if sem.size and (sem.min() < 0 or sem.max() >= len(labels)):
            raise BackendError(
                f"segmenter {name} returned class indices outside its {len(labels)} labels"
            )
        scores = np.asarray(ids.scores, np.float32)
        if scores.shape != tuple(shape) or not np.isfinite(scores).all():
            raise BackendError(
                f"segmenter {name} returned scores of shape {scores.shape} (or with NaNs); "
                f"expected finite ({shape[0]}, {shape[1]})"
            )
        return Segmentation(sem, inst, [x.strip().lower() for x in labels], scores)
    ids = np.asarray(ids.detach().cpu() if hasattr(ids, "detach") else ids)
    if ids.shape != tuple(shape) or ids.dtype.kind not in "iu":
        raise BackendError(
            f"segmenter {name} returned {ids.dtype} {ids.shape}; expected (H, W) integer ids "
            f"for a {shape[0]}×{shape[1]} image"
        )
    return ids.astype(np.int32)


class CallableSegment:
    """Wrap any callable ``fn(rgb[, view]) -> (H, W) ints`` and validate what it returns."""

    def __init__(self, fn, name: str | None = None):
        if not callable(fn):
            raise InputError(f"segment: expected a callable or None, got {type(fn).__name__}")
        self.fn = fn
        self.name = backend_name(fn, name)

    def __call__(self, rgb: np.ndarray, view=None) -> np.ndarray | Segmentation:
        out = call_user_backend("segmentation", repr(self.name), self.fn, rgb, view=view)
        return check_segmentation(out, rgb.shape[:2], repr(self.name))


def as_segmenter(spec, device: str = "cpu") -> CallableSegment | None:
    """Turn ``spec`` into a segmentation backend: ``"builtin"`` / ``"builtin:segment"``
    (the built-in model), a callable, or None (no segmentation).

    Raises:
        BackendError: any other model name (only the built-in one is supported).
        InputError: anything else that is not callable.
    """
    from .. import models

    if spec is None or isinstance(spec, CallableSegment):
        return spec
    if models.builtin_name(spec, "segment"):
        return CallableSegment(models.load("segment", device), name="builtin:segment")
    if isinstance(spec, str):
        raise BackendError(
            f"segment={spec!r}: only the built-in segmentation model is supported; pass "
            "'builtin', a callable rgb -> (H, W) int ids or a Segmentation (for tests: "
            "worldnb.testing.OracleSegmenter), or None"
        )
    return CallableSegment(spec)
