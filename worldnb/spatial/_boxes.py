"""Private helpers: turn objects, boxes and points into the geometry the engine uses."""

from __future__ import annotations

import numpy as np
import shapely

from ..errors import QueryError
from ..scene import OrientedBox, SceneObject


def box_of(x, name: str = "object") -> OrientedBox:
    """The :class:`OrientedBox` of a SceneObject or box; a clear error otherwise."""
    if isinstance(x, SceneObject):
        return x.box
    if isinstance(x, OrientedBox):
        return x
    raise QueryError(
        f"{name}: expected a SceneObject or an OrientedBox, got {type(x).__name__}; "
        "pick objects with scene.find(...) or scene.object(id)"
    )


def _point(x) -> np.ndarray:
    try:
        p = np.asarray(x, np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise QueryError(
            f"expected an object, a box, an (x, z) or an (x, y, z) point, got {x!r}"
        ) from None
    if not np.all(np.isfinite(p)):
        raise QueryError(f"expected a finite point, got {x!r}")
    return p


def center_xz(x) -> np.ndarray:
    """(2,) float64 floor position of an object, box, (x, z) or (x, y, z) point."""
    if isinstance(x, SceneObject | OrientedBox):
        c = box_of(x).center
        return np.array([c[0], c[2]], np.float64)
    p = _point(x)
    if p.shape == (2,):
        return p
    if p.shape == (3,):
        return p[[0, 2]]
    raise QueryError(f"expected an object, a box, an (x, z) or an (x, y, z) point, got {x!r}")


def center_xyz(x) -> np.ndarray:
    """(3,) float64 centre of an object or box, or an (x, y, z) / (x, z) point (y = 0)."""
    if isinstance(x, SceneObject | OrientedBox):
        return box_of(x).center.astype(np.float64)
    p = _point(x)
    if p.shape == (3,):
        return p
    if p.shape == (2,):
        return np.array([p[0], 0.0, p[1]])
    raise QueryError(f"expected an object, a box or a point, got {x!r}")


def footprint(x) -> shapely.Polygon:
    return box_of(x).footprint()


def vertical_gap(a: OrientedBox, b: OrientedBox) -> float:
    """Gap between the boxes' height intervals (0 when they overlap), metres."""
    return max(0.0, a.bottom - b.top, b.bottom - a.top)


def vertical_overlap(a: OrientedBox, b: OrientedBox) -> float:
    """Length of the overlap of the boxes' height intervals (0 when apart), metres."""
    return max(0.0, min(a.top, b.top) - max(a.bottom, b.bottom))


def unit(v) -> np.ndarray:
    v = np.asarray(v, np.float64)
    n = float(np.linalg.norm(v))
    if n < 1e-12:
        raise QueryError("two positions coincide, so the direction between them is undefined")
    return v / n
