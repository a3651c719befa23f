"""Scene equality: what :meth:`Scene.__eq__` means."""

from __future__ import annotations

import numpy as np

from ..scene import Scene
from ._records import normalised

__all__ = ["arrays_equal", "scenes_equal"]


def arrays_equal(a: np.ndarray, b: np.ndarray, atol: float = 0.0) -> bool:
    """Same shape, same dtype kind, and values equal (within ``atol`` for floats)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if atol and a.dtype.kind == "f":
        return bool(np.allclose(a, b, rtol=0.0, atol=atol, equal_nan=True))
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def _layers_equal(a, b, atol: float) -> bool:
    if a.kind != b.kind:
        return False
    xa, xb = a.arrays(), b.arrays()
    return list(xa) == list(xb) and all(arrays_equal(xa[k], xb[k], atol) for k in xa)


def scenes_equal(a: Scene, b: Scene, *, atol: float = 0.0) -> bool:
    """Whether two scenes hold the same content.

    Compares the room (with openings), the objects by id (label, box, front,
    geometry, attrs), the layers by name (kind, every array: shape, dtype kind and
    values), the cameras, the images (dtype too) and ``meta``. Like dicts, the order
    things were added in does not matter. ``attrs`` and ``meta``
    are compared as JSON would store them (a tuple equals a list, ``np.float32(1)``
    equals ``1.0``). Arrays must match exactly unless ``atol`` is given.

    Example:
        >>> from worldnb import Room, Scene
        >>> scenes_equal(Scene(room=Room.rectangle(4, 3)), Scene(room=Room.rectangle(4, 3)))
        True
    """
    if not isinstance(a, Scene) or not isinstance(b, Scene):
        return False
    a._check_metadata()  # a cycle or deep nesting is an InputError, not a RecursionError
    b._check_metadata()
    if (a.room is None) != (b.room is None) or (a.room is not None and a.room != b.room):
        return False
    oa, ob = {o.id: o for o in a.objects}, {o.id: o for o in b.objects}
    if oa.keys() != ob.keys():
        return False
    for x, y in ((oa[k], ob[k]) for k in oa):
        if (x.id, x.label, x.front, x.geometry) != (y.id, y.label, y.front, y.geometry):
            return False
        if x.box != y.box or normalised(x.attrs) != normalised(y.attrs):
            return False
    if a.layers.keys() != b.layers.keys():
        return False
    if not all(_layers_equal(a.layers[k], b.layers[k], atol) for k in a.layers):
        return False
    if a.cameras.keys() != b.cameras.keys() or any(a.cameras[k] != b.cameras[k] for k in a.cameras):
        return False
    if a.images.keys() != b.images.keys():
        return False
    if not all(
        a.images[k].dtype == b.images[k].dtype and arrays_equal(a.images[k], b.images[k], atol)
        for k in a.images
    ):
        return False
    return normalised(a.meta) == normalised(b.meta)
