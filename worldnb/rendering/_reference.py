"""Slow, obviously-right references for the fast paths (tests and benchmarks use them).

Each works densely — every primitive against every pixel — and shares no
screen-space culling, binning, sorting tricks or packed keys with the fast code.
"""

from __future__ import annotations

import torch

from ._common import pixel_centers, pixel_rays
from .gaussians import ALPHA_MAX, ALPHA_MIN, T_MIN, gaussian_covariances, project_gaussians


def reference_gaussians(
    means, quats, scales, opacities, colors, K, T_camera_world, width, height,
    *, background=None, eps2d=0.3, near=0.01, far=1e10, pixels=None,
):  # fmt: skip
    """Dense Gaussian compositing: every Gaussian at every pixel, in depth order.

    Args:
        means, quats, scales, opacities, colors, K, T_camera_world, width, height:
            as :func:`worldnb.rendering.rasterize_gaussians` (tensors).
        pixels: optional (P,) flat pixel indices to render (for timing a subset).

    Returns:
        ``(rgb (P, C), alpha (P,), depth (P,))`` for the requested pixels (all by default).
    """
    proj = project_gaussians(
        means, gaussian_covariances(quats, scales), K, T_camera_world, width, height,
        eps2d=eps2d, near=near, far=far,
    )  # fmt: skip
    valid = (proj.depths > near) & (proj.depths < far)
    order = torch.argsort(torch.where(valid, proj.depths, float("inf")), stable=True)
    order = order[valid[order]]
    u, v = pixel_centers(width, height, dtype=means.dtype, device=means.device)
    u, v = u.reshape(-1), v.reshape(-1)
    if pixels is not None:
        u, v = u[pixels], v[pixels]
    m, c = proj.means2d[order], proj.conics[order]
    dx = u[None, :] - m[:, :1]  # (N, P)
    dy = v[None, :] - m[:, 1:]
    sigma = 0.5 * (c[:, :1] * dx * dx + c[:, 2:] * dy * dy) + c[:, 1:2] * dx * dy
    alpha = torch.clamp_max(opacities[order, None] * torch.exp(-sigma), ALPHA_MAX)
    alpha = torch.where((alpha >= ALPHA_MIN) & (sigma >= 0), alpha, torch.zeros_like(alpha))
    T_incl = torch.cumprod(1 - alpha, 0)
    T = torch.cat([torch.ones_like(T_incl[:1]), T_incl[:-1]], 0)
    w = alpha * T * (T_incl > T_MIN).to(alpha.dtype).detach()  # stop before T ≤ 1e-4
    rgb = w.T @ colors[order]
    acc = w.sum(0)
    wz = (w * proj.depths[order, None]).sum(0)
    if background is not None:
        rgb = rgb + (1 - acc)[:, None] * torch.as_tensor(background, dtype=rgb.dtype)
    depth = torch.where(acc > 0, wz / torch.where(acc > 0, acc, 1), float("inf"))
    return rgb, acc, depth


def reference_mesh(vertices, faces, K, T_camera_world, width, height, *, near=0.01, chunk=4096):
    """Ray-cast every pixel against every triangle (Möller–Trumbore), nearest hit wins.

    Returns:
        ``(depth (H, W) float64 camera z, inf where empty; face (H, W) int64, −1 empty)``.
    """
    V = torch.as_tensor(vertices, dtype=torch.float64)
    Fa = torch.as_tensor(faces, dtype=torch.long)
    K = torch.as_tensor(K, dtype=torch.float64)
    T = torch.as_tensor(T_camera_world, dtype=torch.float64)
    tri = (V @ T[:3, :3].T + T[:3, 3])[Fa]  # camera frame, (F, 3, 3)
    u, v = pixel_centers(width, height, dtype=torch.float64)
    x, y = pixel_rays(u.reshape(-1), v.reshape(-1), K)
    dirs = torch.stack([x, y, torch.ones_like(x)], -1)  # ray origin is the camera centre
    depth = torch.full((height * width,), float("inf"), dtype=torch.float64)
    face = torch.full((height * width,), -1, dtype=torch.long)
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    for s in range(0, len(dirs), chunk):
        d = dirs[s : s + chunk, None, :]  # (P, 1, 3)
        p = torch.cross(d.expand(-1, len(tri), -1), e2[None].expand(len(d), -1, -1), -1)
        det = (e1[None] * p).sum(-1)
        inv = 1.0 / torch.where(det.abs() > 1e-15, det, torch.ones_like(det))
        tvec = -tri[None, :, 0]  # origin − v0
        b1 = (tvec * p).sum(-1) * inv
        q = torch.cross(tvec.expand(len(d), -1, -1), e1[None].expand(len(d), -1, -1), -1)
        b2 = (d * q).sum(-1) * inv
        t = (e2[None] * q).sum(-1) * inv  # ray parameter = camera z (direction has z = 1)
        hit = (det.abs() > 1e-15) & (b1 >= 0) & (b2 >= 0) & (b1 + b2 <= 1) & (t >= near)
        t = torch.where(hit, t, float("inf"))
        best, idx = t.min(1)
        depth[s : s + chunk] = best
        face[s : s + chunk] = torch.where(torch.isfinite(best), idx, -1)
    return depth.reshape(height, width), face.reshape(height, width)


def reference_points(xyz, K, T_camera_world, width, height, *, radius=1.0, near=0.01):
    """Every point against every pixel: covered if the pixel holds it or its centre is
    within ``radius``; nearest wins (ties → lower index).

    Returns:
        ``(point (H, W) int64, −1 empty; depth (H, W), inf empty)``.
    """
    xyz = torch.as_tensor(xyz, dtype=torch.float64)
    K = torch.as_tensor(K, dtype=torch.float64)
    T = torch.as_tensor(T_camera_world, dtype=torch.float64)
    pc = xyz @ T[:3, :3].T + T[:3, 3]
    z = pc[:, 2]
    pu = (K[0, 0] * pc[:, 0] + K[0, 1] * pc[:, 1]) / z + K[0, 2]
    pv = K[1, 1] * pc[:, 1] / z + K[1, 2]
    u, v = pixel_centers(width, height, dtype=torch.float64)
    u, v = u.reshape(-1, 1), v.reshape(-1, 1)
    near_enough = (u - pu) ** 2 + (v - pv) ** 2 <= radius**2
    holds = (torch.floor(u) == torch.floor(pu)) & (torch.floor(v) == torch.floor(pv))
    cover = (near_enough | holds) & (z >= near)
    zz = torch.where(cover, z.float().double(), float("inf"))
    best, idx = zz.min(1)
    point = torch.where(torch.isfinite(best), idx, -1)
    depth = torch.where(point >= 0, z[point.clamp_min(0)], float("inf"))
    return point.reshape(height, width), depth.reshape(height, width)
