"""Point splatting: screen-space discs with a depth test."""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from ._common import as_tensor, camera_tensors, check_radius, check_size

__all__ = ["PointFragments", "splat_points"]

_EMPTY = torch.iinfo(torch.int64).max


class PointFragments(NamedTuple):
    """What :func:`splat_points` returns (torch tensors).

    Attributes:
        point: (H, W) int64 index of the visible point, −1 where empty.
        depth: (H, W) camera z of that point (m), ``inf`` where empty.
        rgb: (H, W, C) its colour (0 where empty), or None without colours.
    """

    point: torch.Tensor
    depth: torch.Tensor
    rgb: torch.Tensor | None


def splat_points(
    xyz,
    K,
    T_camera_world,
    width: int,
    height: int,
    *,
    colors=None,
    radius: float = 0.5,
    near: float = 0.01,
    far: float = 1e10,
    max_candidates: int = 1 << 23,
    allow_large: bool = False,
) -> PointFragments:
    """Splat points as flat screen-space discs; the nearest point wins each pixel.

    A point covers the pixel it falls in, and every pixel whose centre lies within
    ``radius`` pixels of its projection. Any other pixel's centre is at least 0.5 px
    away, so ``radius <= 0.5`` (the default) is a one-pixel dot and is splatted as such
    (one candidate per point instead of four; only exact ties at 0.5 px differ).

    Args:
        xyz: (N, 3) world positions (m).
        K: (3, 3) intrinsics (pixels).
        T_camera_world: (4, 4) world→camera transform (OpenCV camera axes).
        width: image width (pixels).
        height: image height (pixels).
        colors: optional (N, C) per-point features.
        radius: disc radius in pixels, from 0 (one pixel per point) to the image's
            larger side.
        near: points closer than this camera z are dropped.
        far: points at or beyond this camera z are dropped.
        max_candidates: (point, pixel) candidates handled at once (bounds memory).
        allow_large: allow images over 4096².

    Returns:
        :class:`PointFragments`.

    Example:
        >>> frags = splat_points([[0.0, 0, 2]], [[8.0, 0, 4], [0, 8, 4], [0, 0, 1]],
        ...                      torch.eye(4), 8, 8, radius=1.0)
        >>> int((frags.point == 0).sum())  # a point at a pixel corner covers 4 pixels
        4
    """
    width, height = check_size(width, height, allow_large=allow_large)
    xyz = as_tensor("xyz", xyz, (None, 3))
    device = xyz.device
    n = xyz.shape[0]
    if colors is not None:
        colors = as_tensor("colors", colors, (n, None), device=device)
    radius = check_radius(radius, width, height)
    K, T = camera_tensors(K, T_camera_world, dtype=xyz.dtype, device=device)
    if n == 0:
        point = torch.full((height, width), -1, dtype=torch.int64, device=device)
        depth = torch.full((height, width), float("inf"), dtype=xyz.dtype, device=device)
        rgb = None
        if colors is not None:
            rgb = torch.zeros(height, width, colors.shape[1], dtype=colors.dtype, device=device)
        return PointFragments(point, depth, rgb)

    with torch.no_grad():
        pc = xyz.detach() @ T[:3, :3].T + T[:3, 3]
        z = pc[:, 2]
        u = (K[0, 0] * pc[:, 0] + K[0, 1] * pc[:, 1]) / z + K[0, 2]
        v = K[1, 1] * pc[:, 1] / z + K[1, 2]
        margin = radius + 1
        ok = (z >= near) & (z < far) & (u > -margin) & (u < width + margin)
        ok &= (v > -margin) & (v < height + margin)
        # points out of view stay in the arrays (masked), which is cheaper than compacting
        u, v = torch.where(ok, u, -2 * margin), torch.where(ok, v, -2 * margin)
        ids = torch.arange(n, device=device)
        zf = z.float().clamp_min(0)
        key = torch.full((height * width,), _EMPTY, dtype=torch.int64, device=device)
        # a disc reaches at most S pixel centres per axis, from ceil(u - 0.5 - r); only
        # those inside the image matter, so the window is at most the image's size
        S = max(1, math.floor(2 * radius) + 1) if radius > 0.5 else 1
        oy, ox = torch.meshgrid(
            torch.arange(min(S, height), device=device),
            torch.arange(min(S, width), device=device),
            indexing="ij",
        )
        ox, oy = ox.reshape(-1), oy.reshape(-1)
        step = max(1, max_candidates // len(ox))
        for s in range(0, len(ids), step):  # loop over chunks of points
            sl = slice(s, s + step)
            _splat_chunk(key, ids[sl], u[sl], v[sl], zf[sl], ox, oy, radius, width, height)
        hit = key != _EMPTY
        point = torch.where(hit, key & 0xFFFFFFFF, -1)
        safe = point.clamp_min(0)
        depth = torch.where(hit, pc[:, 2].index_select(0, safe), float("inf"))
    rgb = None
    if colors is not None:
        rgb = torch.where(hit[:, None], colors.index_select(0, safe), 0.0)
        rgb = rgb.reshape(height, width, -1)
    return PointFragments(point.reshape(height, width), depth.reshape(height, width), rgb)


def _splat_chunk(key, ids, u, v, z, ox, oy, radius, width, height):
    if radius > 0.5:
        # the window starts at the disc's first pixel, or at the image's edge
        x0 = torch.ceil(u - (0.5 + radius)).long().clamp_min(0)[:, None]
        y0 = torch.ceil(v - (0.5 + radius)).long().clamp_min(0)[:, None]
    else:  # only the pixel holding the point
        x0, y0 = torch.floor(u).long()[:, None], torch.floor(v).long()[:, None]
    px, py = x0 + ox, y0 + oy  # (P, S²)
    du = px.to(u.dtype) + (0.5 - u[:, None])
    dv = py.to(v.dtype) + (0.5 - v[:, None])
    holds = (px == torch.floor(u).long()[:, None]) & (py == torch.floor(v).long()[:, None])
    inside = (du * du + dv * dv <= radius * radius) | holds
    inside &= (px >= 0) & (px < width) & (py >= 0) & (py < height)
    k = (z.view(torch.int32).to(torch.int64) << 32) | ids  # positive floats sort as ints
    k = torch.where(inside, k[:, None], _EMPTY)
    pix = torch.where(inside, py * width + px, 0)
    key.scatter_reduce_(0, pix.reshape(-1), k.reshape(-1), "amin")
