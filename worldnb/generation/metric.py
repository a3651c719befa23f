"""Stage 3: intrinsics, metric scale and the camera's pose above the floor.

**Intrinsics** come from the depth model when it predicts a field of view, else from
the EXIF focal length, else from ``config.fov_deg`` (vertical).

**Metric scale rule** (for "relative" and "disparity" depth):

1. disparity ``d`` becomes relative depth ``1 / d`` (``d`` clamped below at 1 % of its
   99th percentile, so the far end stays finite);
2. if the user gave ``depth_scale`` (metres per unit), multiply by it;
3. else find the floor: the lowest large plane among the points of the lower half of
   the image whose normal is within 35° of the camera's "down" axis (RANSAC), and scale
   so the camera stands ``camera_height`` (default 1.6 m, a person holding a camera)
   above it;
4. with no floor in view, scale so the median depth is :data:`FALLBACK_MEDIAN_DEPTH`.

**World frame**: +Y up, floor at y = 0 when a floor was found, the camera above the
origin looking along −Z (tilted as it was).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .depth import DepthPrediction
from .lift import unproject_depth

__all__ = [
    "FALLBACK_MEDIAN_DEPTH",
    "Floor",
    "camera_pose",
    "choose_intrinsics",
    "fit_floor",
    "to_metric",
]

#: Median depth (m) given to relative depth when no floor and no scale are known.
FALLBACK_MEDIAN_DEPTH = 3.0
_MAX_TILT_DEG = 35.0


def choose_intrinsics(
    width: int,
    height: int,
    model_fov_deg: float | None,
    exif_focal_px: float | None,
    fov_deg: float,
) -> tuple[np.ndarray, str]:
    """(3, 3) K and where it came from: ``"model"``, ``"exif"`` or ``"config"``."""
    if model_fov_deg is not None:
        f, src = 0.5 * height / math.tan(math.radians(model_fov_deg) / 2), "model"
    elif exif_focal_px is not None:
        f, src = float(exif_focal_px), "exif"
    else:
        f, src = 0.5 * height / math.tan(math.radians(fov_deg) / 2), "config"
    K = np.array([[f, 0, width / 2], [0, f, height / 2], [0, 0, 1]], np.float32)
    return K, src


@dataclass
class Floor:
    """A plane ``n · p = -h`` in camera coordinates: ``normal`` (3,) points up (towards
    the camera side), ``height`` is the camera's distance to it, ``inliers`` a count."""

    normal: np.ndarray
    height: float
    inliers: int


def fit_floor(points: np.ndarray, seed: int = 0, iters: int = 200) -> Floor | None:
    """Find the floor among camera-frame points (H, W, 3) (RANSAC over the lower half).

    The floor is the plane with the most inliers among planes whose upward normal is
    within 35° of the camera's up (−y) axis and below which almost no point lies.
    Returns None when no such plane holds 5 % of the lower half.
    """
    h = points.shape[0]
    p = points[h // 2 :].reshape(-1, 3).astype(np.float64)
    p = p[np.all(np.isfinite(p), axis=1) & (p[:, 2] > 0)]
    allp = points.reshape(-1, 3).astype(np.float64)
    allp = allp[np.all(np.isfinite(allp), axis=1) & (allp[:, 2] > 0)]
    if len(p) < 50:
        return None
    rng = np.random.default_rng(seed)
    sub = p[rng.choice(len(p), size=min(len(p), 4000), replace=False)]
    chk = allp[rng.choice(len(allp), size=min(len(allp), 4000), replace=False)]
    tol = 0.01 * float(np.median(sub[:, 2]))
    tri = sub[rng.integers(0, len(sub), size=(iters, 3))]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    norm = np.linalg.norm(n, axis=1)
    good = norm > 1e-12
    n = n[good] / norm[good, None]
    n *= np.where(n[:, 1] > 0, -1.0, 1.0)[:, None]  # up in the camera frame is −y
    ok = -n[:, 1] >= math.cos(math.radians(_MAX_TILT_DEG))
    n, tri = n[ok], tri[good][ok]
    if not len(n):
        return None
    off = -np.sum(n * tri[:, 0], axis=1)  # n·p + off = 0; camera (origin) side: off > 0
    dist = sub @ n.T + off  # (M, C) signed distance, positive above
    inl = (np.abs(dist) < tol).sum(0)
    below = ((chk @ n.T + off) < -3 * tol).mean(0)
    inl = np.where((below < 0.02) & (off > 0), inl, 0)
    best = int(np.argmax(inl))
    if inl[best] < 0.05 * len(sub):
        return None
    # least-squares refit on the inliers of the best plane
    q = p[np.abs(p @ n[best] + off[best]) < tol]
    c = q.mean(0)
    _, _, vt = np.linalg.svd(q - c, full_matrices=False)
    nn = vt[2] * (-1.0 if vt[2][1] > 0 else 1.0)
    hh = float(-nn @ c)
    if hh <= 0:
        return None
    return Floor(nn.astype(np.float32), hh, len(q))


def to_metric(
    pred: DepthPrediction,
    K: np.ndarray,
    camera_height: float = 1.6,
    depth_scale: float | None = None,
    seed: int = 0,
) -> tuple[np.ndarray, Floor | None, str]:
    """Bring a prediction to metres by the rule in the module docstring.

    Returns:
        ``(depth (H, W) float32 metres, floor or None, rule)`` where ``rule`` is
        ``"metric"``, ``"depth_scale"``, ``"floor"`` or ``"median"``.
    """
    d = pred.depth.astype(np.float64)
    if pred.kind == "disparity":
        lo = max(1e-6, 0.01 * float(np.percentile(d, 99)))
        d = 1.0 / np.maximum(d, lo)
    elif pred.kind == "relative":
        pos = d[d > 0]
        d = np.maximum(d, 0.01 * float(np.percentile(pos, 1)) if len(pos) else 1e-3)
    if pred.kind == "metric":
        d = np.where(d > 0, d, np.nan)
        floor = fit_floor(unproject_depth(d.astype(np.float32), K), seed)
        return d.astype(np.float32), floor, "metric"
    if depth_scale is not None:
        d = d * depth_scale
        return (
            d.astype(np.float32),
            fit_floor(unproject_depth(d.astype(np.float32), K), seed),
            ("depth_scale"),
        )
    floor = fit_floor(unproject_depth(d.astype(np.float32), K), seed)
    if floor is not None:
        s = camera_height / floor.height
        return (
            (d * s).astype(np.float32),
            Floor(floor.normal, camera_height, floor.inliers),
            ("floor"),
        )
    d = d * (FALLBACK_MEDIAN_DEPTH / float(np.median(d)))
    return d.astype(np.float32), None, "median"


def camera_pose(floor: Floor | None, camera_height: float = 1.6) -> np.ndarray:
    """(4, 4) T_world_camera: world +Y along the floor normal, floor at y = 0, camera
    above the origin, its view direction projected on the floor along −Z.

    Without a floor the camera is taken as level at ``camera_height``.
    """
    up = np.array([0.0, -1.0, 0.0]) if floor is None else floor.normal.astype(np.float64)
    h = camera_height if floor is None else floor.height
    fwd = np.array([0.0, 0.0, 1.0])
    horiz = fwd - (fwd @ up) * up
    if np.linalg.norm(horiz) < 1e-6:  # looking straight down: keep image-up as −Z
        horiz = np.array([0.0, -1.0, 0.0]) - up * (-up[1])
    z_w = -horiz / np.linalg.norm(horiz)  # world +Z in camera coordinates (points back)
    y_w = up
    x_w = np.cross(y_w, z_w)
    R_camera_world = np.stack([x_w, y_w, z_w], axis=1)  # columns: world axes in camera frame
    T = np.eye(4)
    T[:3, :3] = R_camera_world.T
    T[:3, 3] = [0.0, h, 0.0]
    return T.astype(np.float32)
