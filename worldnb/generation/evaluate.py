"""Measuring a generated scene against the true scene it was rendered from.

The generated world frame is metric but its own (+Y along the fitted floor normal,
the input camera above the origin); the true frame is the source scene's.
:func:`generated_to_true` maps one into the other through the input camera.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ..scene import Camera, Mesh, Scene

__all__ = [
    "generated_to_true",
    "hole_fraction",
    "psnr",
    "seen_by",
    "surface_distance",
    "to_true_camera",
]


def psnr(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Peak signal-to-noise ratio (dB) of two images in [0, 1], over ``mask`` if given."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise InputError(f"psnr: images differ in shape: {a.shape} vs {b.shape}")
    err = (a - b) ** 2
    if mask is not None:
        err = err[np.asarray(mask, bool)]
    if err.size == 0:
        raise InputError("psnr: the mask selects no pixels")
    mse = float(err.mean())
    return math.inf if mse == 0 else 10 * math.log10(1.0 / mse)


def generated_to_true(scene: Scene, true_camera: Camera) -> np.ndarray:
    """(4, 4) T_true_generated: maps generated-world points into the true world, given
    the true pose of the input camera."""
    T_gen = scene.cameras["input"].T_world_camera.astype(np.float64)
    return true_camera.T_world_camera.astype(np.float64) @ np.linalg.inv(T_gen)


def to_true_camera(camera: Camera, T_true_generated: np.ndarray) -> Camera:
    """A generated-world camera expressed in the true world."""
    T = T_true_generated @ camera.T_world_camera.astype(np.float64)
    return Camera(camera.K, camera.width, camera.height, T, camera.near, camera.far)


def surface_distance(
    points: np.ndarray, true_scene: Scene, n: int = 5000, seed: int = 0
) -> np.ndarray:
    """Distances (m) from (a seeded sample of ``n``) true-frame points to the nearest
    point on the true scene's mesh layers (exact point-to-triangle distance)."""
    import trimesh

    meshes = [lay for lay in true_scene.layers.values() if isinstance(lay, Mesh) and len(lay)]
    if not meshes:
        raise InputError("true_scene: has no mesh layer to measure against")
    tm = trimesh.util.concatenate(
        [trimesh.Trimesh(m.vertices, m.faces, process=False) for m in meshes]
    )
    pts = np.asarray(points, np.float64)
    if len(pts) > n:
        pts = pts[np.random.default_rng(seed).choice(len(pts), n, replace=False)]
    _, dist, _ = trimesh.proximity.closest_point(tm, pts)
    return dist


def seen_by(
    camera: Camera, depth: np.ndarray, other: Camera, other_depth: np.ndarray, tol: float = 0.02
) -> np.ndarray:
    """(H, W) bool of ``camera``'s pixels whose surface point is also visible to ``other``
    (inside its image, and not hidden: depth agrees within ``tol`` relative).

    Both cameras and depth maps are in one world frame (true depth renders).
    """
    pts = camera.unproject(np.where(np.isfinite(depth), depth, np.nan)).reshape(-1, 3)
    ok = np.all(np.isfinite(pts), axis=1)
    uv, z = other.project(np.where(ok[:, None], pts, 0.0))
    col = np.floor(uv[:, 0]).astype(np.int64)
    row = np.floor(uv[:, 1]).astype(np.int64)
    inside = ok & (z > 0) & (col >= 0) & (col < other.width) & (row >= 0) & (row < other.height)
    seen = np.zeros(len(pts), bool)
    d_other = other_depth[row[inside], col[inside]]
    seen[inside] = np.abs(d_other - z[inside]) <= tol * z[inside]
    return seen.reshape(depth.shape)


def hole_fraction(alpha: np.ndarray, threshold: float = 0.5) -> float:
    """Fraction of pixels whose rendered alpha is below ``threshold``."""
    return float((np.asarray(alpha) < threshold).mean())
