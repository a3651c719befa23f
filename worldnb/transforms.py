"""Rotations, quaternions, Gaussian covariances and polygon triangulation, written once.

The bottom layer (it imports nothing from worldnb). Every engine that turns a
rotation from one form into another calls these functions.

Conventions:

- **Quaternions are (w, x, y, z)**, scalar first, as :class:`~worldnb.scene.Gaussians`
  stores them and the 3D Gaussian Splatting ``rot_0..3`` layout writes them. Functions
  that produce one return it unit-length with ``w >= 0``. three.js and scipy use
  (x, y, z, w): convert at that boundary with :func:`wxyz_to_xyzw` /
  :func:`xyzw_to_wxyz`, never inside an engine.
- Rotation matrices act on column vectors (``p_world = R @ p_local``), right-handed.
- Yaw is the rotation about world +Y (up) by the right-hand rule: local +X maps to
  ``(cos yaw, 0, −sin yaw)``, local +Z to ``(sin yaw, 0, cos yaw)``.
- Functions taking quaternions accept numpy arrays (computed in float64) or torch
  tensors (computed in the tensor's dtype and device, differentiable), with any
  leading batch shape.

Example:
    >>> import numpy as np
    >>> q = matrix_to_quat(yaw_rotation(np.pi / 2))
    >>> np.round(q, 4).tolist()
    [0.7071, 0.0, 0.7071, 0.0]
    >>> bool(np.allclose(quat_to_matrix(q), yaw_rotation(np.pi / 2)))
    True
"""

from __future__ import annotations

import math

import numpy as np

from .errors import InputError

__all__ = [
    "euler_xyz_from_matrix",
    "gaussian_covariances",
    "matrix_to_quat",
    "quat_to_matrix",
    "triangulate_polygon",
    "wxyz_to_xyzw",
    "xyzw_to_wxyz",
    "yaw_rotation",
]


def _is_torch(x) -> bool:
    # No torch import here: numpy callers must not pay for it.
    return type(x).__module__.startswith("torch")


def _check_shape(a, tail: tuple[int, ...], what: str, expected: str) -> None:
    """InputError unless ``a``'s last dimensions are ``tail`` (cheap: shape only)."""
    shape = tuple(a.shape)
    if len(shape) < len(tail) or shape[len(shape) - len(tail) :] != tail:
        raise InputError(f"{what}: expected shape {expected}, got {shape}")


def _stack(xs: list, axis: int = -1):
    if _is_torch(xs[0]):
        import torch

        return torch.stack(xs, axis)
    return np.stack(xs, axis)


def wxyz_to_xyzw(q):
    """(..., 4) quaternions (w, x, y, z) → (x, y, z, w) (three.js, scipy)."""
    return (q if _is_torch(q) else np.asarray(q))[..., [1, 2, 3, 0]]


def xyzw_to_wxyz(q):
    """(..., 4) quaternions (x, y, z, w) (three.js, scipy) → (w, x, y, z)."""
    return (q if _is_torch(q) else np.asarray(q))[..., [3, 0, 1, 2]]


def quat_to_matrix(quats):
    """(..., 4) quaternions (w, x, y, z), any non-zero norm → (..., 3, 3) rotation matrices.

    Args:
        quats: numpy array or torch tensor; normalised here.

    Returns:
        float64 numpy array for numpy (or list) input; a tensor of the input's dtype and
        device for a torch tensor (differentiable).
    """
    q = quats if _is_torch(quats) else np.asarray(quats, np.float64)
    _check_shape(q, (4,), "quats", "(..., 4) (w, x, y, z)")
    q = q / ((q * q).sum(-1) ** 0.5)[..., None]
    w, x, y, z = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    R = _stack(
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ],
    )  # fmt: skip
    return R.reshape(*q.shape[:-1], 3, 3)


def matrix_to_quat(R) -> np.ndarray:
    """(..., 3, 3) rotation matrices → (..., 4) unit quaternions (w, x, y, z), ``w >= 0``.

    Shepperd's method, vectorised: each quaternion is computed from its largest
    component, so it is accurate for every rotation (including 180° turns).

    Returns:
        float64 array.
    """
    m = np.asarray(R, np.float64)
    _check_shape(m, (3, 3), "R", "(..., 3, 3)")
    shape = m.shape[:-2]
    m = m.reshape(-1, 3, 3)
    n = len(m)
    d0, d1, d2 = m[:, 0, 0], m[:, 1, 1], m[:, 2, 2]
    # 4 q_k² − 1 for k = w, x, y, z
    t = np.stack([d0 + d1 + d2, d0 - d1 - d2, -d0 + d1 - d2, -d0 - d1 + d2], -1)
    best = np.argmax(t, axis=1)
    s = 2.0 * np.sqrt(np.maximum(1.0 + t[np.arange(n), best], 1e-12))  # 4 |q_best|
    # 4 q_a q_b for the pairs that the off-diagonal entries give
    wx, wy, wz = m[:, 2, 1] - m[:, 1, 2], m[:, 0, 2] - m[:, 2, 0], m[:, 1, 0] - m[:, 0, 1]
    xy, xz, yz = m[:, 0, 1] + m[:, 1, 0], m[:, 0, 2] + m[:, 2, 0], m[:, 1, 2] + m[:, 2, 1]
    # row k: 4 q_k q_j for j = w, x, y, z (the diagonal 4 q_k² is s² / 4); / s gives q_j
    d = s * s / 4
    four_qq = np.stack(
        [
            np.stack([d, wx, wy, wz], -1),
            np.stack([wx, d, xy, xz], -1),
            np.stack([wy, xy, d, yz], -1),
            np.stack([wz, xz, yz, d], -1),
        ],
        1,
    )
    q = four_qq[np.arange(n), best] / s[:, None]
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    q = np.where(q[:, :1] < 0, -q, q)
    return q.reshape(*shape, 4)


def yaw_rotation(yaw) -> np.ndarray:
    """Rotation about +Y by ``yaw`` radians (right-hand rule): (3, 3), or (..., 3, 3)
    for an array of angles. float64.

    Local +X maps to ``(cos yaw, 0, −sin yaw)``; local +Z to ``(sin yaw, 0, cos yaw)``.
    """
    if np.ndim(yaw) == 0:
        c, s = math.cos(float(yaw)), math.sin(float(yaw))
        return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    a = np.asarray(yaw, np.float64)
    c, s = np.cos(a), np.sin(a)
    zero, one = np.zeros_like(a), np.ones_like(a)
    rows = [np.stack(r, -1) for r in ([c, zero, s], [zero, one, zero], [-s, zero, c])]
    return np.stack(rows, -2)


def euler_xyz_from_matrix(R) -> tuple[float, float, float]:
    """Intrinsic x-y-z Euler angles (radians) of a (3, 3) rotation, three.js's
    ``Euler`` order ``"XYZ"``: ``R = Rx(x) @ Ry(y) @ Rz(z)``.

    At gimbal lock (``|y| = 90°``) ``z`` is 0 and ``x`` takes the whole turn.
    """
    m = np.asarray(R, np.float64)
    if m.shape != (3, 3):
        raise InputError(f"R: expected shape (3, 3), got {m.shape}")
    y = math.asin(max(-1.0, min(1.0, m[0, 2])))
    if abs(m[0, 2]) < 0.9999999:
        return math.atan2(-m[1, 2], m[2, 2]), y, math.atan2(-m[0, 1], m[0, 0])
    return math.atan2(m[2, 1], m[1, 1]), y, 0.0


def gaussian_covariances(quats, scales):
    """3D Gaussian covariances ``Σ = R S Sᵀ Rᵀ`` (the 3D Gaussian Splatting form).

    Args:
        quats: (..., 4) rotations (w, x, y, z), normalised here.
        scales: (..., 3) standard deviations along the local axes, in metres (linear,
            not the log scales :class:`~worldnb.scene.Gaussians` stores: pass
            ``np.exp(g.scales)``).

    Returns:
        (..., 3, 3) symmetric covariances; numpy float64 or a torch tensor
        (differentiable), as :func:`quat_to_matrix`.
    """
    if not _is_torch(scales):
        scales = np.asarray(scales, np.float64)
    M = quat_to_matrix(quats) * scales[..., None, :]
    return M @ M.swapaxes(-1, -2)


def triangulate_polygon(xz) -> np.ndarray:
    """Ear-clipping triangulation of a simple polygon (either orientation).

    The triangles keep the polygon's winding. A floor polygon given counter-clockwise
    seen from above (+Y), as :class:`~worldnb.scene.Room` stores it, gives triangles
    that are counter-clockwise seen from above too, so ``(b − a) × (c − a)`` points
    +Y once the vertices are placed at ``(x, y, z)``. Reverse each triangle
    (``tri[:, ::-1]``) for faces seen from below (a ceiling).

    Args:
        xz: (K, 2) vertices, K >= 3, no repeated closing vertex.

    Returns:
        (K − 2, 3) int32 vertex indices. A degenerate polygon (collinear vertices)
        still gets K − 2 (possibly zero-area) triangles.
    """
    pts = np.asarray(xz, np.float64)
    if pts.ndim != 2:
        raise InputError(f"xz: expected shape (K, 2), got {pts.shape}")
    _check_shape(pts, (2,), "xz", "(K, 2)")
    k = len(pts)
    if k < 3:
        return np.zeros((0, 3), np.int32)
    # Work on a positive-area (x, z) orientation; restore the caller's at the end.
    area2 = float(np.sum(pts[:, 0] * np.roll(pts[:, 1], -1) - np.roll(pts[:, 0], -1) * pts[:, 1]))
    idx = list(range(k)) if area2 >= 0 else list(range(k))[::-1]
    eps = 1e-12 * max(1.0, float(np.ptp(pts, axis=0).max()) ** 2)

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    tris: list[tuple[int, int, int]] = []
    while len(idx) > 3:
        for j in range(len(idx)):
            i0, i1, i2 = idx[j - 1], idx[j], idx[(j + 1) % len(idx)]
            a, b, c = pts[i0], pts[i1], pts[i2]
            if cross(a, b, c) <= eps:  # reflex or flat corner: not an ear
                continue
            if any(
                cross(a, b, pts[m]) >= 0 and cross(b, c, pts[m]) >= 0 and cross(c, a, pts[m]) >= 0
                for m in idx
                if m not in (i0, i1, i2)
            ):
                continue
            tris.append((i0, i1, i2))
            idx.pop(j)
            break
        else:  # no ear (degenerate or self-touching polygon): fan the rest
            break
    tris += [(idx[0], idx[j], idx[j + 1]) for j in range(1, len(idx) - 1)]
    out = np.array(tris, np.int32).reshape(-1, 3)
    if area2 < 0:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)
