"""Triangle-mesh rasterisation: a z-buffer over exact triangle bounding boxes.

Every triangle's pixel box is enumerated (vectorised, in chunks); a pixel is inside
when its ray lies in the cone of the triangle's three camera-frame vertices
(homogeneous rasterisation, so triangles that cross the camera plane need no
clipping). The nearest hit wins through one ``scatter_reduce(amin)`` of a packed
``(depth bits << 32) | face`` key. Barycentrics and depth are then recomputed per
pixel from the winning face, which makes them exact ray-triangle intersections
(perspective correct).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F

from ..errors import InputError
from ._common import as_tensor, camera_tensors, check_size, pixel_rays

__all__ = ["MeshFragments", "rasterize_mesh"]

_EMPTY = torch.iinfo(torch.int64).max


class MeshFragments(NamedTuple):
    """What :func:`rasterize_mesh` returns (torch tensors on the input's device).

    Attributes:
        face: (H, W) int64 index of the visible face, −1 where empty.
        depth: (H, W) camera z (m), ``inf`` where empty.
        bary: (H, W, 3) perspective-correct barycentrics of the visible face (0 where empty).
        normals: (H, W, 3) world-frame unit face normals, turned to face the camera
            (0 where empty).
        rgb: (H, W, 3) colour from ``texture`` (if given) else ``vertex_colors``, else None.
    """

    face: torch.Tensor
    depth: torch.Tensor
    bary: torch.Tensor
    normals: torch.Tensor
    rgb: torch.Tensor | None


def rasterize_mesh(
    vertices,
    faces,
    K,
    T_camera_world,
    width: int,
    height: int,
    *,
    vertex_colors=None,
    uv=None,
    texture=None,
    near: float = 0.01,
    far: float = 1e10,
    max_candidates: int = 1 << 21,
    allow_large: bool = False,
) -> MeshFragments:
    """Rasterise a triangle mesh (both sides) with a z-buffer.

    Args:
        vertices: (V, 3) world positions (m).
        faces: (F, 3) vertex indices.
        K: (3, 3) intrinsics (pixels).
        T_camera_world: (4, 4) world→camera transform (OpenCV camera axes).
        width: image width (pixels).
        height: image height (pixels).
        vertex_colors: optional (V, C) per-vertex features, interpolated.
        uv: optional (V, 2) texture coordinates (v = 0 is the texture's top row).
        texture: optional (Ht, Wt, C) image sampled bilinearly at the interpolated uv.
        near: hits closer than this camera z are clipped.
        far: hits at or beyond this camera z are clipped.
        max_candidates: (triangle, pixel) candidates tested at once (bounds memory).
        allow_large: allow images over 4096².

    Returns:
        :class:`MeshFragments`. Colours are differentiable with respect to
        ``vertex_colors`` / ``texture``; visibility is not.

    Example:
        >>> frags = rasterize_mesh(
        ...     [[-1.0, -1, 3], [1, -1, 3], [0, 1, 3]], [[0, 1, 2]],
        ...     [[16.0, 0, 8], [0, 16, 8], [0, 0, 1]], torch.eye(4), 16, 16)
        >>> float(frags.depth[8, 8]), int(frags.face[0, 0])
        (3.0, -1)
    """
    width, height = check_size(width, height, allow_large=allow_large)
    vertices = as_tensor("vertices", vertices, (None, 3))
    device = vertices.device
    faces = as_tensor("faces", faces, (None, 3), dtype=torch.long, device=device)
    nv = vertices.shape[0]
    if faces.numel() and (int(faces.min()) < 0 or int(faces.max()) >= nv):
        raise InputError(f"faces: indices must lie in [0, {nv - 1}] for {nv} vertices")
    K, T = camera_tensors(K, T_camera_world, dtype=torch.float64, device=device)
    if vertex_colors is not None:
        vertex_colors = as_tensor("vertex_colors", vertex_colors, (nv, None), device=device)
    if (uv is None) != (texture is None):
        raise InputError("uv and texture: pass both (uv (V, 2) with a texture (Ht, Wt, C))")
    if uv is not None:
        uv = as_tensor("uv", uv, (nv, 2), device=device)
        texture = as_tensor("texture", texture, (None, None, None), device=device)

    # Per-face edge matrices in float64: λ = E · (x, y, 1) are unnormalised barycentrics.
    vc = vertices.detach().double() @ T[:3, :3].T + T[:3, 3]
    E, ok = _edge_matrices(vc[faces], near)
    key = torch.full((height * width,), _EMPTY, dtype=torch.int64, device=device)
    boxes = _pixel_boxes(vc, faces, K, width, height, near, ok)
    if boxes is not None:
        _zbuffer(key, E.float(), K.float(), *boxes, width, near, far, max_candidates)

    hit = key != _EMPTY
    face = torch.where(hit, key & 0xFFFFFFFF, -1).reshape(height, width)
    return _shade(face, E, K, vertices, faces, T, vertex_colors, uv, texture, width, height)


def _edge_matrices(tri: torch.Tensor, near: float):
    """(F, 3, 3) rows ``(v_j × v_k) / det`` and the faces worth testing."""
    v0, v1, v2 = tri.unbind(1)
    E = torch.stack([torch.cross(v1, v2, -1), torch.cross(v2, v0, -1), torch.cross(v0, v1, -1)], 1)
    det = (v0 * E[:, 0]).sum(-1)
    scale = tri.abs().amax((1, 2)).clamp_min(1e-30) ** 3
    ok = (det.abs() > 1e-12 * scale) & (tri[..., 2].amax(1) > near)  # not edge-on, not behind
    E = E / torch.where(ok, det, torch.ones_like(det))[:, None, None]
    return E, ok


def _pixel_boxes(vc, faces, K, width, height, near, ok):
    """Pixel bounding boxes ``(face ids, x0, y0, w, h)`` of the faces that may be seen."""
    tri = vc[faces]
    z = tri[..., 2]
    in_front = (z > 1e-9).all(1)
    zs = torch.where(in_front[:, None], z, torch.ones_like(z))
    v = K[1, 1] * tri[..., 1] / zs + K[1, 2]
    u = (K[0, 0] * tri[..., 0] + K[0, 1] * tri[..., 1]) / zs + K[0, 2]
    # A face crossing the camera plane projects to an unbounded region: test every pixel.
    big = torch.tensor(1e9, dtype=u.dtype, device=u.device)
    x0 = torch.where(in_front, torch.ceil(u.amin(1) - 0.5), -big).clamp(-1, width)
    x1 = torch.where(in_front, torch.floor(u.amax(1) - 0.5), big).clamp(-1, width)
    y0 = torch.where(in_front, torch.ceil(v.amin(1) - 0.5), -big).clamp(-1, height)
    y1 = torch.where(in_front, torch.floor(v.amax(1) - 0.5), big).clamp(-1, height)
    x0, x1 = x0.clamp_min(0).long(), x1.clamp_max(width - 1).long()
    y0, y1 = y0.clamp_min(0).long(), y1.clamp_max(height - 1).long()
    keep = ok & (x0 <= x1) & (y0 <= y1)
    ids = keep.nonzero().squeeze(1)
    if ids.numel() == 0:
        return None
    return ids, x0[ids], y0[ids], (x1 - x0 + 1)[ids], (y1 - y0 + 1)[ids]


def _zbuffer(key, E, K, ids, x0, y0, w, h, width, near, far, max_candidates):
    """Write min ``(depth bits << 32) | face`` keys of all covered pixels into ``key``."""
    counts = w * h
    # chunks of faces holding about max_candidates pixel candidates each
    chunk = torch.div(torch.cumsum(counts, 0) - 1, max_candidates, rounding_mode="floor")
    _, per_chunk = torch.unique_consecutive(chunk, return_counts=True)
    start = 0
    for n in per_chunk.tolist():  # loop over chunks of faces, not faces
        s = slice(start, start + n)
        start += n
        c = counts[s]
        rep = torch.repeat_interleave(torch.arange(n, device=key.device), c)
        local = torch.arange(int(c.sum()), device=key.device) - (torch.cumsum(c, 0) - c)[rep]
        wr = w[s][rep]
        px = x0[s][rep] + local % wr
        py = y0[s][rep] + torch.div(local, wr, rounding_mode="floor")
        del local, wr
        x, y = pixel_rays(px.float() + 0.5, py.float() + 0.5, K)
        e = E[ids[s]][rep]  # (P, 3, 3)
        lam = e[..., 0] * x[:, None] + e[..., 1] * y[:, None] + e[..., 2]
        inside = (lam >= 0).all(1)
        depth = 1.0 / lam.sum(1)
        inside &= (depth >= near) & (depth < far)
        face = ids[s][rep][inside]
        bits = depth[inside].view(torch.int32).to(torch.int64)  # positive floats sort as ints
        key.scatter_reduce_(0, (py * width + px)[inside], (bits << 32) | face, "amin")


def _shade(face, E, K, vertices, faces, T, vertex_colors, uv, texture, width, height):
    """Exact depth, barycentrics, normals and colours from the winning faces."""
    device = face.device
    hit = face >= 0
    f = face[hit]
    u, v = torch.meshgrid(
        torch.arange(width, device=device, dtype=torch.float64) + 0.5,
        torch.arange(height, device=device, dtype=torch.float64) + 0.5,
        indexing="xy",
    )
    x, y = pixel_rays(u[hit], v[hit], K)
    e = E[f]
    lam = e[..., 0] * x[:, None] + e[..., 1] * y[:, None] + e[..., 2]
    s = lam.sum(1)
    b = (lam / s[:, None]).to(vertices.dtype)
    depth = torch.full((height, width), float("inf"), dtype=vertices.dtype, device=device)
    depth[hit] = (1.0 / s).to(vertices.dtype)
    bary = torch.zeros(height, width, 3, dtype=vertices.dtype, device=device)
    bary[hit] = b

    tri = vertices.detach()[faces[f]]
    n = torch.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0], -1)
    n = n / n.norm(dim=-1, keepdim=True).clamp_min(1e-20)
    ray_world = torch.stack([x, y, torch.ones_like(x)], -1).to(n.dtype) @ T[:3, :3].to(n.dtype)
    n = torch.where(((n * ray_world).sum(-1) > 0)[:, None], -n, n)
    normals = torch.zeros(height, width, 3, dtype=vertices.dtype, device=device)
    normals[hit] = n

    rgb = None
    if uv is not None:
        uvp = (uv[faces[f]] * b[..., None]).sum(1)
        rgb = _sample_texture(texture, uvp, height, width, hit)
    elif vertex_colors is not None:
        vals = (vertex_colors[faces[f]] * b[..., None].to(vertex_colors.dtype)).sum(1)
        rgb = torch.zeros(height, width, vals.shape[1], dtype=vals.dtype, device=device)
        rgb = rgb.index_put((hit,), vals)
    return MeshFragments(face, depth, bary, normals, rgb)


def _sample_texture(texture, uvp, height, width, hit):
    """Bilinear texture lookup (border clamped) at (P, 2) uv; u right, v = 0 at the top."""
    tex = texture.permute(2, 0, 1)[None].to(uvp.dtype)
    grid = (uvp * 2 - 1)[None, None]  # (1, 1, P, 2), x = u, y = v (top row is v = 0)
    vals = F.grid_sample(tex, grid, mode="bilinear", padding_mode="border", align_corners=False)
    vals = vals[0, :, 0].T  # (P, C)
    out = torch.zeros(height, width, vals.shape[1], dtype=vals.dtype, device=vals.device)
    return out.index_put((hit,), vals)
