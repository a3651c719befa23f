"""Instance segmentation of the input image, behind the third small protocol.

A :class:`Segmenter` is called as ``segmenter(rgb) -> ids`` with ``rgb`` (H, W, 3)
float32 in [0, 1]; it returns (H, W) integer instance ids (any integers; the lifted
points take them as their ``instance``). Like the other backends it is given the
optional ``view`` keyword only when its signature takes it (the contract in
:mod:`worldnb.generation._callables`). :func:`as_segmenter` turns what a user passes
into one.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import BackendError, InputError
from ._callables import backend_name, call_backend

__all__ = ["CallableSegment", "Segmenter", "as_segmenter", "check_segmentation"]


@runtime_checkable
class Segmenter(Protocol):
    """``segmenter(rgb, view=None) -> (H, W) integer instance ids``.

    ``view`` (a :class:`~worldnb.generation.ViewContext`) is given only to a backend
    whose signature names it, as for :class:`~worldnb.generation.DepthEstimator`.
    """

    def __call__(self, rgb: np.ndarray, view=None) -> np.ndarray: ...


def check_segmentation(ids, shape: tuple[int, int], name: str) -> np.ndarray:
    """Validate a segmenter's output → (H, W) int32; anything else → BackendError."""
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

    def __call__(self, rgb: np.ndarray, view=None) -> np.ndarray:
        out = call_backend(self.fn, rgb, view=view)
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
            "later release; pass a callable rgb -> (H, W) int ids, or None"
        )
    return CallableSegment(spec)
