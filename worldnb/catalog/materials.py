"""Materials of the procedural worlds: which pattern a catalog material is drawn
with, per-object variation, and the texture atlas that carries them through
:func:`worldnb.render`.

A :class:`Surface` is one look (pattern, colour, scale, seed). :func:`bake_atlas`
gives a mesh's faces texture coordinates and one atlas image: faces are grouped into
charts (one per part side, box-projected along its dominant axis in the part's own
frame, so patterns move with the object), the charts are packed into shelves, and
each chart's texels are filled by evaluating its surface's pattern at the texel's
position in metres. The result is an ordinary ``Mesh(uv=..., texture=...)``, drawn by
the renderer, exported to glTF and shown in the widget like any textured mesh.

Example:
    >>> import numpy as np
    >>> quad = np.array([[0, 0, 0], [2, 0, 0], [2, 0, 1], [0, 0, 1]], float)
    >>> faces = np.array([[0, 2, 1], [0, 3, 2]])
    >>> atlas = bake_atlas(quad, faces, np.zeros(2, int), np.zeros(2, int),
    ...                    [Surface("parquet", (0.7, 0.55, 0.36))], texel=0.05)
    >>> atlas.texture.shape[2], atlas.uv.shape, bool(atlas.uv.min() > 0 and atlas.uv.max() < 1)
    (3, (4, 2), True)
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..errors import InputError
from .textures import PATTERNS, pattern

__all__ = [
    "FLOOR_PATTERNS",
    "MATERIAL_PATTERNS",
    "PART_PATTERNS",
    "Atlas",
    "Surface",
    "bake_atlas",
    "material_surface",
    "vary",
]

#: catalog material name → the pattern it is drawn with (on furniture)
MATERIAL_PATTERNS = {
    "oak": "wood",
    "walnut": "wood",
    "white lacquer": "plain",
    "grey fabric": "fabric",
    "blue fabric": "fabric",
    "green fabric": "fabric",
    "black fabric": "fabric",
    "brown leather": "leather",
    "black metal": "metal",
    "grey metal": "metal",
    "brass": "metal",
    "white plastic": "plain",
    "black plastic": "plain",
    "terracotta": "plaster",
    "white ceramic": "plain",
    "grey ceramic": "plain",
    "red wool": "carpet",
    "beige wool": "carpet",
    "blue wool": "carpet",
    "grey wool": "carpet",
    "grey laminate": "wood",
    "stainless steel": "metal",
    "white enamel": "plain",
    "black enamel": "plain",
    "grey": "plain",
    "paper": "plain",
}
#: the same material laid as a floor: planks, tiles or carpet
FLOOR_PATTERNS = {
    "oak": "parquet",
    "walnut": "parquet",
    "grey laminate": "parquet",
    "grey ceramic": "tiles",
    "white ceramic": "tiles",
    "terracotta": "tiles",
    "beige wool": "carpet",
    "grey wool": "carpet",
    "red wool": "carpet",
    "blue wool": "carpet",
}
#: part name → pattern, for parts not made of the object's own material
PART_PATTERNS = {
    "mattress": "fabric",
    "pillow": "fabric",
    "duvet": "fabric",
    "shade": "fabric",
    "foliage": "leaves",
    "soil": "carpet",
    "handle": "metal",
    "tap": "metal",
    "column": "metal",
    "bracket": "metal",
    "basin": "metal",
    "burner": "metal",
    "picture": "leaves",  # blotches of colour: an abstract painting
    "pages": "fabric",  # fine lines of paper edges
}


@dataclass(frozen=True)
class Surface:
    """One look of a surface.

    Attributes:
        pattern: a :data:`~worldnb.catalog.textures.PATTERNS` name.
        color: (3,) base colour in [0, 1].
        scale: pattern scale (1 = typical real size).
        seed: variation seed (phase, plank and tile tones).
        upright: on vertical faces run ``s`` horizontally and ``t`` up (walls, wallpaper);
            otherwise ``s`` follows the chart's longer side (wood grain along a part).
    """

    pattern: str
    color: tuple[float, float, float]
    scale: float = 1.0
    seed: int = 0
    upright: bool = False


class Atlas(NamedTuple):
    """What :func:`bake_atlas` returns.

    Attributes:
        vertex: (V',) index of the input vertex each output vertex copies.
        faces: (F, 3) int32 faces over the output vertices (same order as the input).
        uv: (V', 2) float32 texture coordinates (glTF convention, v = 0 at the top row).
        texture: (H, W, 3) float32 atlas image in [0, 1].
        texel: texel size used (m); larger than asked when the atlas had to shrink.
    """

    vertex: np.ndarray
    faces: np.ndarray
    uv: np.ndarray
    texture: np.ndarray
    texel: float


def _seed(*parts) -> int:
    return zlib.crc32(repr(parts).encode())


def vary(surface: Surface, rng: np.random.Generator, amount: float = 1.0) -> Surface:
    """The same material made a little different: tone and tint, pattern scale, phase."""
    color = np.asarray(surface.color, np.float64)
    tone = 1.0 + amount * rng.normal(0.0, 0.07)
    tint = 1.0 + amount * rng.normal(0.0, 0.025, 3)
    color = np.clip(color * tone * tint, 0.0, 1.0)
    scale = surface.scale * float(np.exp(amount * rng.uniform(-0.3, 0.3)))
    return Surface(
        surface.pattern, tuple(float(c) for c in color), scale, int(rng.integers(1 << 30)),
        surface.upright,
    )  # fmt: skip


def material_surface(material: str, color, *, floor: bool = False) -> Surface:
    """The :class:`Surface` of a catalog material name (``"oak"``) with base ``color``."""
    table = FLOOR_PATTERNS if floor else MATERIAL_PATTERNS
    kind = table.get(material) or MATERIAL_PATTERNS.get(material, "plain")
    return Surface(kind, tuple(float(c) for c in np.asarray(color, np.float64)[:3]))


# dominant axis → the two local axes a chart is projected onto
_PLANE = np.array([[2, 1], [0, 2], [0, 1]])


def bake_atlas(
    local,
    faces,
    face_group,
    face_surface,
    surfaces: list[Surface],
    texel: float = 0.015,
    max_side: int = 2048,
) -> Atlas:
    """Texture coordinates and an atlas image for a mesh whose faces carry surfaces.

    Args:
        local: (V, 3) vertex positions in the frame the pattern sticks to (an object's
            own frame, or the world for the room), metres.
        faces: (F, 3) vertex indices.
        face_group: (F,) int part id; faces of one part facing one way share a chart.
        face_surface: (F,) int index into ``surfaces``.
        surfaces: the looks.
        texel: texel size in metres.
        max_side: largest atlas side in texels; the texel grows to fit.

    Returns:
        :class:`Atlas`.
    """
    local = np.asarray(local, np.float64)
    faces = np.asarray(faces, np.int64)
    face_group = np.asarray(face_group, np.int64)
    face_surface = np.asarray(face_surface, np.int64)
    if len(faces) == 0:
        empty = np.zeros((0, 2), np.float32)
        return Atlas(np.zeros(0, np.int64), np.zeros((0, 3), np.int32), empty,
                     np.ones((1, 1, 3), np.float32), float(texel))  # fmt: skip
    if face_surface.min() < 0 or face_surface.max() >= len(surfaces):
        raise InputError(f"face_surface: indices must lie in [0, {len(surfaces) - 1}]")
    bad = {s.pattern for s in surfaces} - set(PATTERNS)
    if bad:
        raise InputError(f"surfaces: unknown patterns {sorted(bad)}; known: {', '.join(PATTERNS)}")
    tri = local[faces]  # (F, 3, 3)
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    axis = np.argmax(np.abs(n), 1)
    sign = n[np.arange(len(n)), axis] > 0
    key = np.stack([face_surface, face_group, axis, sign], 1)
    ckeys, chart = np.unique(key, axis=0, return_inverse=True)
    chart = chart.reshape(-1)
    C = len(ckeys)
    # per-corner 2D chart coordinates (m)
    plane = _PLANE[axis]  # (F, 2)
    corner2 = np.take_along_axis(tri, np.repeat(plane[:, None, :], 3, 1), 2)  # (F, 3, 2)
    lo = np.full((C, 2), np.inf)
    hi = np.full((C, 2), -np.inf)
    np.minimum.at(lo, chart, corner2.min(1))
    np.maximum.at(hi, chart, corner2.max(1))
    c_surface = ckeys[:, 0]
    c_axis = ckeys[:, 2]
    for _ in range(8):
        n_tex = np.maximum(np.ceil((hi - lo) / texel - 1e-6), 1).astype(np.int64)
        size = n_tex + 2  # one gutter texel on each side, filled with the pattern too
        placed = _pack(size, max_side)
        if placed is not None:
            break
        texel *= 1.5
    else:  # pragma: no cover - eight growths cover any room
        raise InputError("bake_atlas: the surfaces do not fit an atlas; pass a larger texel")
    x0, y0, W, H = placed
    # output vertices: one per (input vertex, chart)
    pair = chart[:, None] * len(local) + faces  # (F, 3)
    uniq, inv = np.unique(pair.reshape(-1), return_inverse=True)
    vertex = uniq % len(local)
    vchart = uniq // len(local)
    p2 = local[vertex[:, None], _PLANE[c_axis[vchart]]]  # (V', 2)
    px = x0[vchart] + 1 + (p2[:, 0] - lo[vchart, 0]) / texel
    py = y0[vchart] + 1 + (p2[:, 1] - lo[vchart, 1]) / texel
    uv = np.stack([px / W, py / H], 1).astype(np.float32)
    texture = _fill(surfaces, c_surface, c_axis, lo, size, x0, y0, W, H, texel)
    return Atlas(vertex, inv.reshape(-1, 3).astype(np.int32), uv, texture, float(texel))


def _pack(size: np.ndarray, max_side: int):
    """Shelf packing of (C, 2) rectangle sizes (w, h): ``(x0, y0, W, H)`` or None."""
    w, h = size[:, 0], size[:, 1]
    area = float((w * h).sum())
    W = int(max(w.max(), np.ceil(np.sqrt(area * 1.15) / 16) * 16))
    if W > max_side:
        return None
    order = np.argsort(-h, kind="stable")
    x0 = np.zeros(len(size), np.int64)
    y0 = np.zeros(len(size), np.int64)
    x = y = shelf = 0
    for i in order.tolist():
        if x + w[i] > W:
            y += shelf
            x = shelf = 0
        x0[i], y0[i] = x, y
        x += int(w[i])
        shelf = max(shelf, int(h[i]))
    H = y + shelf
    if H > max_side:
        return None
    return x0, y0, W, H


def _fill(surfaces, c_surface, c_axis, lo, size, x0, y0, W, H, texel) -> np.ndarray:
    """Evaluate every chart's pattern at its texel centres (gutter included)."""
    tex = np.zeros((H, W, 3), np.float32)
    order = np.argsort(c_surface, kind="stable")  # charts of one surface together
    cw = size[order, 0].astype(np.int32)
    counts = cw * size[order, 1].astype(np.int32)
    chart = np.repeat(np.arange(len(order), dtype=np.int32), counts)  # position in `order`
    local = np.arange(int(counts.sum()), dtype=np.int32)
    local -= np.repeat((np.cumsum(counts) - counts).astype(np.int32), counts)
    w = cw[chart]
    row = local // w
    col = local - row * w
    # texel centres in metres (col 0 is the gutter), along the chart's two axes
    half = np.float32(0.5)
    c0 = lo[order, 0].astype(np.float32)[chart] + (col - half) * np.float32(texel)
    c1 = lo[order, 1].astype(np.float32)[chart] + (row - half) * np.float32(texel)
    flat = (y0[order].astype(np.int64)[chart] + row) * W + (x0[order].astype(np.int64)[chart] + col)
    # wood grain and the like run along a chart's longer side
    along_first = (size[order, 0] >= size[order, 1])[chart]
    bounds = np.searchsorted(c_surface[order], np.arange(len(surfaces) + 1))
    starts = np.concatenate([[0], np.cumsum(counts)])
    out = tex.reshape(-1, 3)
    for k, s in enumerate(surfaces):
        a, b = starts[bounds[k]], starts[bounds[k + 1]]
        if a == b:
            continue
        u, v = c0[a:b], c1[a:b]
        if s.upright:  # charts of vertical faces are (z, y) or (x, y): t runs up
            st_s, st_t = u, v
        else:
            f = along_first[a:b]
            st_s, st_t = np.where(f, u, v), np.where(f, v, u)
        off = np.random.default_rng(s.seed).uniform(0, 50, 2).astype(np.float32)
        out[flat[a:b]] = pattern(
            s.pattern, st_s + off[0], st_t + off[1], s.color, s.scale, s.seed, texel
        )
    return tex
