"""Robust geometric fits behind :func:`~worldnb.understand`: planes and yaw boxes.

Plain functions over point arrays, in a gravity-aligned frame (+Y up) where it matters:

- :func:`fit_plane`: RANSAC plane with a least-squares refit on its inliers, optionally
  restricted to normals near a direction and to the lowest plane (a floor);
- :func:`fit_box`: a yaw-only :class:`~worldnb.OrientedBox` around an object's points
  (outlier-gated extents, yaw from the hull edge that gives the smallest footprint,
  with a preference for the room's axes);
- :func:`box_iou`: 3D intersection over union of two yaw boxes;
- :func:`complete_box`: grow a box that was cut off (occluded, at the image border,
  or seen from one side) toward a typical size, on the side hidden from the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..scene import OrientedBox

__all__ = ["Plane", "box_iou", "complete_box", "fit_box", "fit_plane"]


@dataclass
class Plane:
    """A plane ``normal · p + offset = 0``; ``normal`` (3,) is a unit vector,
    ``inliers`` (N,) bool marks the points within the tolerance."""

    normal: np.ndarray
    offset: float
    inliers: np.ndarray

    def distance(self, points: np.ndarray) -> np.ndarray:
        """(N,) signed distances of (N, 3) points (positive on the normal's side)."""
        return np.asarray(points, np.float64) @ self.normal + self.offset


def _points(name: str, points, min_rows: int = 0) -> np.ndarray:
    try:
        p = np.asarray(points, np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected an (N, 3) array of numbers") from None
    if p.ndim != 2 or p.shape[1] != 3:
        raise InputError(f"{name}: expected shape (N, 3), got {p.shape}")
    if not np.isfinite(p).all():
        raise InputError(f"{name}: points must be finite (drop NaN/inf rows first)")
    if len(p) < min_rows:
        raise InputError(f"{name}: need at least {min_rows} points, got {len(p)}")
    return p


def fit_plane(
    points,
    *,
    tol: float = 0.02,
    direction=None,
    max_angle_deg: float = 35.0,
    lowest: bool = False,
    iters: int = 256,
    min_inliers: int = 30,
    seed: int = 0,
) -> Plane | None:
    """RANSAC plane through (N, 3) points, refitted by least squares on its inliers.

    Args:
        points: (N, 3) finite points.
        tol: inlier distance (m).
        direction: optional (3,) direction; only planes whose normal lies within
            ``max_angle_deg`` of it are tried, and the normal returned points along it.
        max_angle_deg: see ``direction``.
        lowest: prefer a plane with almost no points below it (a floor seen from above):
            a candidate with more than 2 % of the points below it scores nothing.
        iters: RANSAC hypotheses.
        min_inliers: fewer inliers than this → None.
        seed: random seed (the same seed gives the same plane).

    Returns:
        :class:`Plane`, or None when no plane holds ``min_inliers`` points.

    Example:
        >>> import numpy as np
        >>> xz = np.random.default_rng(0).uniform(-1, 1, (500, 2))
        >>> floor = np.c_[xz[:, 0], np.full(500, 0.3), xz[:, 1]]
        >>> plane = fit_plane(floor, direction=(0, 1, 0))
        >>> (np.round(plane.normal, 3) + 0.0).tolist(), round(plane.offset, 3)
        ([0.0, 1.0, 0.0], -0.3)
    """
    p = _points("points", points)
    if len(p) < max(3, min_inliers):
        return None
    rng = np.random.default_rng(seed)
    sub = p[rng.choice(len(p), size=min(len(p), 3000), replace=False)]
    tri = sub[rng.integers(0, len(sub), size=(iters, 3))]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    norm = np.linalg.norm(n, axis=1)
    good = norm > 1e-9
    n, tri = n[good] / norm[good, None], tri[good]
    if direction is not None:
        d = np.asarray(direction, np.float64)
        d = d / np.linalg.norm(d)
        n *= np.where(n @ d < 0, -1.0, 1.0)[:, None]
        ok = n @ d >= math.cos(math.radians(max_angle_deg))
        n, tri = n[ok], tri[ok]
    if not len(n):
        return None
    off = -np.sum(n * tri[:, 0], axis=1)
    dist = sub @ n.T + off  # (M, C)
    score = (np.abs(dist) < tol).sum(0).astype(np.float64)
    if lowest:
        score = np.where((dist < -3 * tol).mean(0) < 0.02, score, 0.0)
    best = int(np.argmax(score))
    if score[best] * len(p) / len(sub) < min_inliers:
        return None
    nn, oo = n[best], off[best]
    for _ in range(2):  # least squares on the inliers, twice (the refit moves the set)
        q = p[np.abs(p @ nn + oo) < tol]
        if len(q) < 3:
            break
        c = q.mean(0)
        _, _, vt = np.linalg.svd(q - c, full_matrices=False)
        m = vt[2] * (1.0 if vt[2] @ nn >= 0 else -1.0)
        nn, oo = m, float(-m @ c)
    inl = np.abs(p @ nn + oo) < tol
    if inl.sum() < min_inliers:
        return None
    return Plane(nn.astype(np.float64), float(oo), inl)


def _hull_angles(xz: np.ndarray) -> np.ndarray:
    """Edge directions (radians, mod π/2) of the 2D convex hull of ``xz``."""
    import shapely

    hull = shapely.MultiPoint(xz).convex_hull
    if hull.geom_type != "Polygon":
        return np.zeros(0)
    ring = np.asarray(hull.exterior.coords)
    e = np.diff(ring, axis=0)
    e = e[np.linalg.norm(e, axis=1) > 1e-6]
    return np.mod(np.arctan2(e[:, 1], e[:, 0]), np.pi / 2)


def _gated_extent(u: np.ndarray, lo_q: float, hi_q: float) -> tuple[float, float]:
    """Min / max of ``u`` after dropping points far outside its [lo_q, hi_q] percentiles
    (flying pixels at depth edges): exact on clean data, robust to a few outliers."""
    a, b = np.percentile(u, [lo_q, hi_q])
    m = 0.05 * (b - a) + 0.02
    k = u[(u >= a - m) & (u <= b + m)]
    return float(k.min()), float(k.max())


def _yaw_of(alpha: float) -> float:
    """Yaw whose local +X runs along the xz direction ``(cos alpha, sin alpha)``."""
    return -alpha  # local +X = (cos yaw, −sin yaw) in (x, z)


def fit_box(
    points,
    *,
    yaw_hint: float | None = 0.0,
    hint_preference: float = 0.9,
    percentiles: tuple[float, float] = (1.0, 99.0),
    floor_snap: float = 0.06,
) -> OrientedBox:
    """A yaw-only box around an object's (N, 3) points in a frame with +Y up.

    The yaw is the one, among the convex hull's edge directions, the principal axis and
    ``yaw_hint`` (the room's axes), whose footprint is smallest; the hint's area is
    scaled by ``hint_preference`` first, so furniture aligned with the walls stays so.
    Extents are the points' min / max after dropping outliers beyond the
    ``percentiles`` (plus 5 % and 2 cm). A bottom within ``floor_snap`` of y = 0 is
    put on the floor.

    Returns:
        :class:`~worldnb.OrientedBox` with size ``(x, y, z)`` along its own axes.

    Example:
        >>> import numpy as np
        >>> from worldnb import OrientedBox
        >>> box = OrientedBox((1.0, 0.4, 2.0), (1.2, 0.8, 0.6), yaw=0.3)
        >>> c = box.corners()
        >>> round(box_iou(fit_box(c, yaw_hint=None), box), 6)
        1.0
    """
    p = _points("points", points, 1)
    keep = np.ones(len(p), bool)
    for k in range(3):  # outliers first, so they do not make hull edges of their own
        lo, hi = _gated_extent(p[:, k], *percentiles)
        keep &= (p[:, k] >= lo) & (p[:, k] <= hi)
    p = p[keep]
    xz = p[:, [0, 2]]
    cand = [(0.0, 1.0)] if yaw_hint is None else [(float(-yaw_hint) % (np.pi / 2), hint_preference)]
    if len(p) >= 3:
        # hull edges a fraction of a degree apart give the same footprint: try each once
        for a in np.unique(np.round(_hull_angles(xz) / 0.004) * 0.004):
            cand.append((float(a), 1.0))
        c = xz - xz.mean(0)
        _, v = np.linalg.eigh(c.T @ c)
        cand.append((float(np.arctan2(v[1, 1], v[0, 1]) % (np.pi / 2)), 1.0))
    best = None
    for a, pref in cand:
        ax = np.array([math.cos(a), math.sin(a)])
        az = np.array([-math.sin(a), math.cos(a)])
        ulo, uhi = _gated_extent(xz @ ax, *percentiles)
        vlo, vhi = _gated_extent(xz @ az, *percentiles)
        area = max(uhi - ulo, 1e-3) * max(vhi - vlo, 1e-3) * pref
        if best is None or area < best[0] - 1e-9:
            best = (area, a, ulo, uhi, vlo, vhi)
    _, a, ulo, uhi, vlo, vhi = best
    ylo, yhi = _gated_extent(p[:, 1], *percentiles)
    if abs(ylo) <= floor_snap:
        ylo = 0.0
    ax = np.array([math.cos(a), math.sin(a)])
    az = np.array([-math.sin(a), math.cos(a)])
    cxz = ax * (ulo + uhi) / 2 + az * (vlo + vhi) / 2
    # local +Z must be (sin yaw, cos yaw) in (x, z): with yaw = −a that is az
    size = (max(uhi - ulo, 1e-3), max(yhi - ylo, 1e-3), max(vhi - vlo, 1e-3))
    return OrientedBox((cxz[0], (ylo + yhi) / 2, cxz[1]), size, _yaw_of(a))


def complete_box(
    box: OrientedBox,
    typical,
    *,
    camera_xz,
    cut: bool,
    minimum=None,
    on_floor: bool = False,
    cut_xz=None,
) -> tuple[OrientedBox, float]:
    """Grow a box seen in part toward a typical size, on the side hidden from the camera.

    Horizontal axes are matched to the typical width / depth the way that needs the
    least change (seen extents are lower bounds, and the far side along the line of
    sight is the hidden one). An axis shorter than ``minimum`` always grows to it
    (nothing real of this kind is that small: part of it is hidden); when the object is
    ``cut`` off (at the image border or behind something nearer) it grows to the
    typical size. Growth goes toward the cut (the points ``cut_xz`` next to an occluder
    or the border) when they lie at one end of the axis, else away from the camera (the
    far side is the one never seen). With ``on_floor`` the bottom moves to y = 0; the
    top grows like a horizontal axis.

    Args:
        box: the fitted box.
        typical: (3,) typical (width, height, depth) of its kind.
        camera_xz: (2,) camera position on the floor plane.
        cut: whether the object is known to be cut off.
        minimum: optional (3,) smallest (width, height, depth) of its kind.
        on_floor: the kind stands on the floor.
        cut_xz: optional (M, 2) floor positions of the object's points that border an
            occluder or the image edge.

    Returns:
        ``(box, visible_fraction)``: the completed box and the fitted box's volume over
        the completed one's.
    """
    typ = np.asarray(typical, np.float64)
    mn = np.zeros(3) if minimum is None else np.asarray(minimum, np.float64)
    size = box.size.astype(np.float64).copy()
    center = box.center.astype(np.float64).copy()
    yaw = float(box.yaw)
    R = box.rotation.astype(np.float64)

    view = center[[0, 2]] - np.asarray(camera_xz, np.float64)
    view = view / max(float(np.linalg.norm(view)), 1e-9)

    def cost(tw, td):
        # seen extents are lower bounds: being larger than typical costs much, being
        # smaller costs little along the line of sight (its far side is hidden) and
        # more across it (the sides are seen unless cut off)
        c = 0.0
        for k, t in ((0, tw), (2, td)):
            r = math.log(max(size[k], 1e-6) / max(t, 1e-6))
            across = 1.0 - 0.8 * abs(float(R[[0, 2], k] @ view))
            c += 3.0 * r if r > 0 else -r * across
        return c

    # the typical footprint on the box's x / z axes: as is, or turned by 90°
    if cost(typ[2], typ[0]) < cost(typ[0], typ[2]):
        t_h, m_h = typ[[2, 1, 0]], mn[[2, 1, 0]]
    else:
        t_h, m_h = typ, mn
    cam = np.array([camera_xz[0], 0.0, camera_xz[1]])
    new = size.copy()
    for k in (0, 2):
        goal = max(size[k], m_h[k], t_h[k] if cut else 0.0)
        if goal > size[k] + 1e-6:
            axis = R[:, k]
            away = 1.0 if axis @ (center - cam) >= 0 else -1.0
            if cut_xz is not None and len(cut_xz):
                u = float(np.mean((np.asarray(cut_xz, np.float64) - center[[0, 2]]) @ axis[[0, 2]]))
                if abs(u) > 0.15 * size[k]:
                    away = 1.0 if u > 0 else -1.0
            center += axis * away * (goal - size[k]) / 2
            new[k] = goal
    if on_floor and box.bottom > 0:
        top = box.top
        new[1] = top
        center[1] = top / 2
    goal_h = max(new[1], m_h[1], t_h[1] if cut else 0.0)
    if goal_h > new[1] + 1e-6:
        bottom = center[1] - new[1] / 2
        new[1] = goal_h
        center[1] = bottom + goal_h / 2
    out = OrientedBox(center, new, yaw)
    frac = float(np.prod(size) / max(np.prod(new), 1e-12))
    return out, min(1.0, frac)


def box_iou(a: OrientedBox, b: OrientedBox) -> float:
    """3D intersection over union of two yaw-only boxes (footprint overlap × height
    overlap).

    Example:
        >>> from worldnb import OrientedBox
        >>> box_iou(OrientedBox((0, 0.5, 0), (1, 1, 1)), OrientedBox((0.5, 0.5, 0), (1, 1, 1)))
        0.3333333333333333
    """
    inter_h = max(0.0, min(a.top, b.top) - max(a.bottom, b.bottom))
    if inter_h <= 0:
        return 0.0
    inter = a.footprint().intersection(b.footprint()).area * inter_h
    union = a.volume + b.volume - inter
    return float(inter / union) if union > 0 else 0.0
