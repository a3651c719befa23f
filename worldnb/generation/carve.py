"""Free-space carving: what a view saw through is empty.

Each accepted view (the input first) is a *witness*: its camera and its depth map.
Along every pixel ray, the space between the camera and the surface it saw is free. A
new surface point that would appear in front of such a surface (by more than a
relative tolerance) contradicts the evidence and is rejected before lifting. Points
that fall outside every witness's image, or behind what it saw, are kept: no view has
evidence against them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..scene import Camera

__all__ = ["Witness", "in_free_space"]


@dataclass
class Witness:
    """A view whose depth is evidence of empty space: its camera and (H, W) depth (m,
    camera z; nan or ≤ 0 where it saw nothing)."""

    camera: Camera
    depth: np.ndarray

    def __post_init__(self):
        d = np.asarray(self.depth, np.float32)
        d = np.where(np.isfinite(d) & (d > 0), d, np.nan)
        # the nearest surface in each 3×3 neighbourhood: a point just beside an object's
        # silhouette (the object's side, seen from another view) is judged against the
        # object, not the background behind it, so a sub-pixel misalignment does not
        # carve real surfaces away
        filled = np.where(np.isfinite(d), d, np.inf)
        near = ndimage.minimum_filter(filled, size=3, mode="nearest")
        # but a pixel that saw nothing stays "no evidence"
        self._near = np.where(np.isfinite(d), near, np.nan).astype(np.float32)


def in_free_space(points: np.ndarray, witnesses: list[Witness], tol: float = 0.05) -> np.ndarray:
    """(N,) bool: which world points lie in space some witness saw as empty.

    A point is in free space for a witness when it projects inside the witness's image,
    in front of the camera, and nearer than the surface seen there by more than
    ``tol`` × that surface's depth.

    Args:
        points: (N, 3) world points (nan rows are never in free space).
        witnesses: the views that carve.
        tol: relative depth tolerance.

    Example:
        >>> cam = Camera.look_at([0, 0, 0], [0, 0, -1], width=8, height=8)
        >>> wall = Witness(cam, np.full((8, 8), 2.0, np.float32))  # a wall 2 m ahead
        >>> in_free_space(np.array([[0, 0, -1.0], [0, 0, -2.0], [0, 0, 1.0]]), [wall]).tolist()
        [True, False, False]
    """
    pts = np.asarray(points, np.float64).reshape(-1, 3)
    ok = np.all(np.isfinite(pts), axis=1)
    safe = np.where(ok[:, None], pts, 0.0)
    out = np.zeros(len(pts), bool)
    for w in witnesses:
        cam = w.camera
        uv, z = cam.project(safe)
        col, row = np.floor(uv[:, 0]), np.floor(uv[:, 1])
        inside = ok & (z > 0) & (col >= 0) & (col < cam.width) & (row >= 0) & (row < cam.height)
        idx = np.flatnonzero(inside)
        seen = w._near[row[idx].astype(np.int64), col[idx].astype(np.int64)]
        with np.errstate(invalid="ignore"):
            out[idx[z[idx] < seen * (1 - tol)]] = True
    return out
