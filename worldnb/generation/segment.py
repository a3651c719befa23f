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

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import BackendError, InputError
from ._callables import backend_name, call_user_backend

__all__ = ["CallableSegment", "Segmentation", "Segmenter", "as_segmenter", "check_segmentation"]

#: class names that :func:`~worldnb.understand` reads as the room's shell, not objects
STRUCTURE_LABELS = ("floor", "wall", "ceiling", "door", "window")


@dataclass
class Segmentation:
    """What a segmenter that knows classes returns.

    Attributes:
        semantic: (H, W) int32 class index into ``labels``.
        instance: (H, W) int32 instance id; 0 (or below) for pixels of no instance
            (floor, wall, ceiling, doors, windows, nothing).
        labels: class names; ``labels[semantic[r, c]]`` names a pixel's class. The
            names ``"floor"``, ``"wall"``, ``"ceiling"``, ``"door"`` and ``"window"``
            mark the room's shell.
        scores: (H, W) float32 in [0, 1], the probability of each pixel's class.
    """

    semantic: np.ndarray
    instance: np.ndarray
    labels: list[str]
    scores: np.ndarray

    def instances(self) -> list[dict]:
        """One dict per instance: ``id``, ``label`` (majority class), ``score`` (mean
        pixel score) and ``pixels``, largest first."""
        out = []
        for i in np.unique(self.instance):
            if i <= 0:
                continue
            m = self.instance == i
            c = int(np.bincount(self.semantic[m]).argmax())
            out.append(
                {
                    "id": int(i),
                    "label": self.labels[c],
                    "score": float(self.scores[m].mean()),
                    "pixels": int(m.sum()),
                }
            )
        return sorted(out, key=lambda d: -d["pixels"])


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


def as_segmenter(spec) -> CallableSegment | None:
    """Turn ``spec`` (None, or a callable) into a segmentation backend (None: no
    segmentation).

    Raises:
        BackendError: a model name: segmentation models are not shipped yet.
        InputError: anything else that is not callable.
    """
    if spec is None or isinstance(spec, CallableSegment):
        return spec
    if isinstance(spec, str):
        raise BackendError(
            f"segment={spec!r}: segmentation models arrive with the 'builtin' backends in a "
            "later release; pass a callable rgb -> (H, W) int ids or a Segmentation (for "
            "tests: worldnb.testing.OracleSegmenter), or None"
        )
    return CallableSegment(spec)
