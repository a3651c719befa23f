"""Validation at the public boundary: shape, dtype, finiteness. Clear errors, no silent fixes.

Every engine checks its arguments with these, so the messages read the same everywhere.

Example:
    >>> as_array("xyz", [[0, 1, 2]], (None, 3)).dtype
    dtype('float32')
    >>> as_positive("radius", 0)
    Traceback (most recent call last):
    ...
    worldnb.errors.InputError: radius: expected a finite positive number, got 0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import InputError

__all__ = ["MAX_NESTING", "as_array", "as_colors", "as_int", "as_positive", "check_nesting"]

Shape = Sequence[int | None]


def _shape_str(shape: Shape) -> str:
    return "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"


def as_array(
    name: str,
    value,
    shape: Shape,
    dtype=np.float32,
    *,
    finite: bool = True,
    copy: bool = False,
) -> np.ndarray:
    """Return ``value`` as a C-contiguous array of ``dtype`` and check it.

    Args:
        name: argument name used in the error message.
        value: array-like (numpy, list, torch tensor).
        shape: expected shape; ``None`` entries match any size.
        dtype: the dtype at rest (float32 or int32).
        finite: reject NaN / inf for float arrays.
        copy: always copy (so later edits to the caller's array do not leak in).

    Raises:
        InputError: naming the argument, the expected and the actual.
    """
    if value is None:
        raise InputError(f"{name}: expected an array of shape {_shape_str(shape)}, got None")
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # torch tensor
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: could not read as an array ({exc})") from None
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise InputError(f"{name}: expected numbers, got dtype {arr.dtype}")
    if np.dtype(dtype).kind in "iu" and arr.dtype.kind == "f":
        if arr.size and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
            raise InputError(f"{name}: expected integers, got non-integer floats")
    if np.dtype(dtype).kind in "iu" and arr.dtype.kind in "iuf" and arr.size:
        info = np.iinfo(dtype)  # a cast would wrap out-of-range values silently
        if arr.min() < info.min or arr.max() > info.max:
            raise InputError(
                f"{name}: values must fit {np.dtype(dtype).name} "
                f"([{info.min}, {info.max}]), got [{arr.min()}, {arr.max()}]"
            )
    if arr.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)
    ):
        raise InputError(f"{name}: expected shape {_shape_str(shape)}, got {tuple(arr.shape)}")
    if finite and arr.dtype.kind == "f" and arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise InputError(f"{name}: {bad} non-finite value(s) (NaN or inf); clean the data first")
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(arr, dtype=dtype)
    narrowed = out.dtype.kind == "f" and arr.dtype.itemsize > out.dtype.itemsize
    if finite and narrowed and out.size and not np.all(np.isfinite(out)):
        raise InputError(f"{name}: values overflow {np.dtype(dtype).name}; rescale the data")
    if copy and out is value:
        out = out.copy()
    return out


def as_colors(name: str, value, n: int) -> np.ndarray:
    """Colours as float32 in [0, 1], shape (n, 3). uint8 input is scaled by 1/255."""
    try:
        arr = np.asarray(value.detach().cpu().numpy() if hasattr(value, "detach") else value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: could not read as an array ({exc})") from None
    if arr.dtype == np.uint8:
        arr = arr.astype(np.float32) / 255.0
    out = as_array(name, arr, (n, 3))
    if out.size and (out.min() < 0.0 or out.max() > 1.0):
        raise InputError(
            f"{name}: colours must lie in [0, 1] (or be uint8 0..255); "
            f"got range [{out.min():.3g}, {out.max():.3g}]"
        )
    return out


def as_positive(name: str, value, *, allow_zero: bool = False) -> float:
    """A finite positive scalar (bools rejected)."""
    if isinstance(value, bool | np.bool_):
        raise InputError(f"{name}: expected a number, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a number, got {value!r}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise InputError(f"{name}: expected a finite {kind} number, got {value!r}")
    return v


def as_int(name: str, value, *, minimum: int = 1) -> int:
    """An integer >= minimum (bools rejected)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        else:
            raise InputError(f"{name}: expected an integer, got {value!r}")
    if value < minimum:
        raise InputError(f"{name}: expected an integer >= {minimum}, got {value}")
    return int(value)


#: How deep ``meta`` and ``attrs`` may nest (dicts and lists inside each other).
MAX_NESTING = 100

_CONTAINERS = (dict, list, tuple, set, frozenset)


def check_nesting(value, where: str, limit: int = MAX_NESTING) -> None:
    """Refuse a value that JSON, copying and ``==`` cannot walk: one that contains
    itself, or dicts / lists nested more than ``limit`` levels deep.

    Shared (non-cyclic) references are fine and each is walked once.

    Raises:
        InputError: naming ``where`` and the problem.
    """
    heights: dict[int, int] = {}
    active: set[int] = set()

    def too_deep():
        return InputError(
            f"{where}: nested deeper than {limit} levels of dicts and lists; flatten it "
            "(store a path string or a numpy array instead)"
        )

    def height(v, depth: int) -> int:
        if not isinstance(v, _CONTAINERS):
            return 0
        key = id(v)
        if key in active:
            raise InputError(
                f"{where}: contains itself (a reference cycle), which cannot be saved, "
                "copied or compared; store a copy of the values instead"
            )
        h = heights.get(key)
        if h is None:
            if depth > limit:
                raise too_deep()
            active.add(key)
            items = v.values() if isinstance(v, dict) else v
            h = 1 + max((height(x, depth + 1) for x in items), default=0)
            active.discard(key)
            heights[key] = h
        if depth - 1 + h > limit:
            raise too_deep()
        return h

    height(value, 1)
