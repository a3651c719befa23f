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

    if faces.shape[0] == 0:
        faces = torch.zeros(1, 3, dtype=torch.long, device=device)  # one degenerate face
        vertices = torch.zeros(1, 3, dtype=vertices.dtype, device=device)
        vertex_colors = (
            None if vertex_colors is None else vertex_colors.new_zeros(1, vertex_colors.shape[1])
        )
        uv = None if uv is None else uv.new_zeros(1, 2)
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


_EDGE_MARGIN_PX = 1e-3
_EDGE_TOL = 1e-5


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
    """Pixel bounding boxes ``(face ids, x0, y0, w, h)`` of the faces that may be seen.

    Only the part of a face in front of the near plane can be drawn, so each face is
    clipped to ``z >= near`` first (its in-front corners plus the points where its edges
    cross the plane) and the box bounds that part's projection. A face crossing the
    camera plane (beside the camera) then gets the box of what can be seen of it, not
    the whole image.
    """
    tri = vc[faces]  # (F, 3, 3) camera frame
    z = tri[..., 2]
    zc = max(float(near), 1e-9)
    a, b = tri, tri.roll(-1, 1)  # edges 0→1, 1→2, 2→0
    za, zb = a[..., 2], b[..., 2]
    crosses = (za - zc) * (zb - zc) < 0
    t = (zc - za) / torch.where(crosses, zb - za, torch.ones_like(za))
    cut = a + t[..., None] * (b - a)
    pts = torch.cat([tri, cut], 1)  # (F, 6, 3)
    valid = torch.cat([z >= zc, crosses], 1)
    zs = torch.where(valid, pts[..., 2], torch.ones_like(pts[..., 2])).clamp_min(zc)
    v = K[1, 1] * pts[..., 1] / zs + K[1, 2]
    u = (K[0, 0] * pts[..., 0] + K[0, 1] * pts[..., 1]) / zs + K[0, 2]
    inf = torch.tensor(float("inf"), dtype=u.dtype, device=u.device)
    # A small margin keeps pixel centres that sit exactly on a vertex (meshes lifted
    # from depth maps put every vertex on one) despite rounding in the projection.
    m = _EDGE_MARGIN_PX
    x0 = torch.ceil(torch.where(valid, u, inf).amin(1) - 0.5 - m).clamp(-1, width)
    x1 = torch.floor(torch.where(valid, u, -inf).amax(1) - 0.5 + m).clamp(-1, width)
    y0 = torch.ceil(torch.where(valid, v, inf).amin(1) - 0.5 - m).clamp(-1, height)
    y1 = torch.floor(torch.where(valid, v, -inf).amax(1) - 0.5 + m).clamp(-1, height)
    x0, x1 = x0.clamp_min(0).long(), x1.clamp_max(width - 1).long()
    y0, y1 = y0.clamp_min(0).long(), y1.clamp_max(height - 1).long()
    keep = ok & valid.any(1) & (x0 <= x1) & (y0 <= y1)
    ids = keep.nonzero().squeeze(1)
    if ids.numel() == 0:
        return None
    return ids, x0[ids], y0[ids], (x1 - x0 + 1)[ids], (y1 - y0 + 1)[ids]


def _zbuffer(key, E, K, ids, x0, y0, w, h, width, near, far, max_candidates):
    """Write min ``(depth bits << 32) | face`` keys of all covered pixels into ``key``."""
    counts = w * h
    # (9, F') rows of the candidate faces' edge matrices: contiguous gathers per chunk
    rows = E.index_select(0, ids).reshape(-1, 9).T.contiguous()
    # chunks of faces holding about max_candidates pixel candidates each
    chunk = torch.div(torch.cumsum(counts, 0) - 1, max_candidates, rounding_mode="floor")
    _, per_chunk = torch.unique_consecutive(chunk, return_counts=True)
    start = 0
    for n in per_chunk.tolist():  # loop over chunks of faces, not faces
        c = counts[start : start + n]
        rep = torch.repeat_interleave(torch.arange(start, start + n, device=key.device), c)
        first = (torch.cumsum(c, 0) - c).index_select(0, rep - start)
        local = torch.arange(int(c.sum()), device=key.device) - first
        wr = w.index_select(0, rep)
        row = torch.div(local, wr, rounding_mode="floor")
        px = x0.index_select(0, rep) + (local - row * wr)
        py = y0.index_select(0, rep) + row
        del first, local, wr, row
        x, y = pixel_rays(px.float() + 0.5, py.float() + 0.5, K)
        e = rows.index_select(1, rep)  # (9, P)
        l0 = e[0] * x + e[1] * y + e[2]
        l1 = e[3] * x + e[4] * y + e[5]
        l2 = e[6] * x + e[7] * y + e[8]
        total = l0 + l1 + l2
        depth = 1.0 / total
        # Edges are closed with a relative tolerance, so a pixel centre on a shared
        # edge or vertex is never lost to float32 rounding (the z-test picks one face).
        tol = -_EDGE_TOL * total
        inside = (l0 >= tol) & (l1 >= tol) & (l2 >= tol) & (depth >= near) & (depth < far)
        bits = depth.view(torch.int32).to(torch.int64)  # positive floats sort as ints
        k = torch.where(inside, (bits << 32) | ids.index_select(0, rep), _EMPTY)
        key.scatter_reduce_(0, torch.where(inside, py * width + px, 0), k, "amin")
        start += n


def _shade(face, E, K, vertices, faces, T, vertex_colors, uv, texture, width, height):
    """Exact depth, barycentrics, normals and colours from the winning faces."""
    device, dtype = face.device, vertices.dtype
    hit = (face >= 0).reshape(-1)
    fc = face.reshape(-1).clamp_min(0)
    u, v = torch.meshgrid(
        torch.arange(width, device=device, dtype=dtype) + 0.5,
        torch.arange(height, device=device, dtype=dtype) + 0.5,
        indexing="xy",
    )
    x, y = pixel_rays(u.reshape(-1), v.reshape(-1), K.to(dtype))
    e = E.to(dtype).reshape(-1, 9).T.contiguous().index_select(1, fc)  # (9, H·W)
    lam = torch.stack([e[0] * x + e[1] * y + e[2], e[3] * x + e[4] * y + e[5],
                       e[6] * x + e[7] * y + e[8]], 1)  # fmt: skip
    s = lam.sum(1)
    s = torch.where(hit, s, 1.0)
    b = torch.where(hit[:, None], lam / s[:, None], 0.0)
    depth = torch.where(hit, 1.0 / s, float("inf")).reshape(height, width)

    tri = vertices.detach()[faces]  # (F, 3, 3)
    n = torch.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0], -1)
    n = (n / n.norm(dim=-1, keepdim=True).clamp_min(1e-20)).index_select(0, fc)
    ray_world = torch.stack([x, y, torch.ones_like(x)], -1) @ T[:3, :3].to(dtype)
    n = torch.where(((n * ray_world).sum(-1) > 0)[:, None], -n, n)
    normals = torch.where(hit[:, None], n, 0.0).reshape(height, width, 3)

    rgb = None
    corners = faces.index_select(0, fc)  # (H·W, 3)
    if uv is not None:
        uvp = (uv[corners] * b[..., None].to(uv.dtype)).sum(1)
        rgb = _sample_texture(texture, uvp, hit).reshape(height, width, -1)
    elif vertex_colors is not None:
        vals = (vertex_colors[corners] * b[..., None].to(vertex_colors.dtype)).sum(1)
        rgb = torch.where(hit[:, None], vals, 0.0).reshape(height, width, -1)
    return MeshFragments(face, depth, b.reshape(height, width, 3), normals, rgb)


def _sample_texture(texture, uvp, hit):
    """Bilinear texture lookup (border clamped) at (P, 2) uv; u right, v = 0 at the top."""
    tex = texture.permute(2, 0, 1)[None].to(uvp.dtype)
    grid = (uvp * 2 - 1)[None, None]  # (1, 1, P, 2), x = u, y = v (top row is v = 0)
    vals = F.grid_sample(tex, grid, mode="bilinear", padding_mode="border", align_corners=False)
    return torch.where(hit[:, None], vals[0, :, 0].T, 0.0)  # (P, C)
