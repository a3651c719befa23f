"""Procedural surface patterns: wood grain, parquet, tiles, fabric weave, painted
plaster, wallpaper, carpet, brushed metal, leather, leaves and plain paint.

Every pattern is a plain function of surface coordinates in metres: ``s`` runs along
the grain (a part's long side, or along a wall), ``t`` across it (up a wall). It
returns albedo colours, so the same call fills a texture atlas texel by texel
(:mod:`worldnb.catalog.materials`) at any resolution. ``texel`` is the footprint of one
sample in metres: lines thinner than a texel (grout, plank seams) are drawn with
their area coverage instead of aliasing.

Example:
    >>> import numpy as np
    >>> s, t = np.meshgrid(np.arange(64) * 0.01, np.arange(64) * 0.01)
    >>> rgb = pattern("parquet", s, t, (0.7, 0.55, 0.36), seed=3, texel=0.01)
    >>> rgb.shape, bool(0 <= rgb.min() and rgb.max() <= 1), bool(rgb.std() > 0.01)
    ((64, 64, 3), True, True)
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["PATTERNS", "fbm", "pattern", "value_noise"]

_M1, _M2, _M3 = np.uint32(0x27D4EB2D), np.uint32(0x165667B1), np.uint32(0x9E3779B9)


def _hash(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """Uniform [0, 1) float32 per integer lattice point (a stateless integer hash)."""
    with np.errstate(over="ignore"):
        h = ix.astype(np.uint32) * _M1 ^ iy.astype(np.uint32) * _M2
        h = h ^ np.uint32(seed & 0xFFFFFFFF) * _M3
        h ^= h >> np.uint32(15)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return (h >> np.uint32(8)).astype(np.float32) / np.float32(1 << 24)


def value_noise(x, y, seed: int = 0) -> np.ndarray:
    """Smooth value noise in [0, 1) with unit lattice spacing (same shape as ``x``)."""
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    x0, y0 = np.floor(x), np.floor(y)
    fx, fy = x - x0, y - y0
    fx, fy = fx * fx * (3 - 2 * fx), fy * fy * (3 - 2 * fy)
    ix, iy = x0.astype(np.int64), y0.astype(np.int64)
    a, b = _hash(ix, iy, seed), _hash(ix + 1, iy, seed)
    c, d = _hash(ix, iy + 1, seed), _hash(ix + 1, iy + 1, seed)
    return (a + (b - a) * fx) + ((c + (d - c) * fx) - (a + (b - a) * fx)) * fy


def fbm(x, y, seed: int = 0, octaves: int = 3) -> np.ndarray:
    """Fractal sum of :func:`value_noise` octaves, normalised to [0, 1)."""
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    total = np.zeros_like(x)
    amp, norm = 1.0, 0.0
    for k in range(octaves):
        total += amp * value_noise(x * 2**k, y * 2**k, seed + 101 * k)
        norm += amp
        amp *= 0.5
    return total / norm


def _line(d, width, texel):
    """Coverage of a line of ``width`` at distance ``d`` from its centre (area filtered)."""
    return np.clip((width / 2 - np.abs(d)) / max(texel, 1e-6) + 0.5, 0.0, 1.0)


def _tone(color, k):
    return np.asarray(color, np.float32) * k[..., None]


def _grain(s, t, seed, scale):
    """Wood grain tone around 1: ring lines along ``s`` warped by noise, fine streaks."""
    warp = fbm(s * 1.2 / scale, t * 5.0 / scale, seed, 3)
    rings = np.sin(2 * np.pi * (t / (0.018 * scale) + 4.0 * warp))
    streak = value_noise(s * 2.0 / scale, t * 90.0 / scale, seed + 7)
    return 1.0 + 0.09 * rings + 0.10 * (streak - 0.5) + 0.12 * (warp - 0.5)


def wood(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Solid wood: warped ring lines and fine streaks along ``s``."""
    return _tone(color, _grain(s, t, seed, scale))


def parquet(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Wooden planks (about 12 × 90 cm) in staggered rows, each a little different in tone,
    with dark seams."""
    pw, pl = 0.12 * scale, 0.9 * scale
    row = np.floor(t / pw)
    shift = _hash(row.astype(np.int64), np.zeros_like(row, np.int64), seed) * pl
    col = np.floor((s + shift) / pl)
    plank = _hash(row.astype(np.int64), col.astype(np.int64), seed + 1)
    k = _grain(s + plank * 7.0, t + plank * 3.0, seed, scale) * (0.86 + 0.28 * plank)
    ds = (s + shift) - (col + 0.5) * pl  # distance to the plank's centre along s
    dt = t - (row + 0.5) * pw
    seam = np.maximum(
        _line(pl / 2 - np.abs(ds), 0.004, texel), _line(pw / 2 - np.abs(dt), 0.004, texel)
    )
    return _tone(color, k * (1 - 0.45 * seam))


def tiles(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Square ceramic tiles (about 30 cm) with grout lines and per-tile variation."""
    ts = 0.3 * scale
    i, j = np.floor(s / ts), np.floor(t / ts)
    tile = _hash(i.astype(np.int64), j.astype(np.int64), seed)
    k = 0.94 + 0.1 * tile + 0.05 * (fbm(s * 4 / scale, t * 4 / scale, seed + 3, 2) - 0.5)
    ds, dt = s - (i + 0.5) * ts, t - (j + 0.5) * ts
    grout = np.maximum(
        _line(ts / 2 - np.abs(ds), 0.006, texel), _line(ts / 2 - np.abs(dt), 0.006, texel)
    )
    base = _tone(color, k)
    g = np.asarray(color, np.float32).mean() * 0.8 + 0.12  # grout: a mid grey
    return base * (1 - grout[..., None]) + g * grout[..., None]


def fabric(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Woven fabric: a basket weave of alternating thread bundles and soft mottling."""
    c = 0.012 * scale
    i, j = np.floor(s / c), np.floor(t / c)
    across = ((i + j) % 2).astype(np.float32)
    u = np.where(across > 0, s, t) / c * 3.0  # three threads per bundle
    thread = 0.5 + 0.5 * np.cos(2 * np.pi * u)
    # threads finer than a texel average out to their mean
    amp = np.clip(1.5 - texel / (c / 3.0), 0.0, 1.0)
    mott = fbm(s * 6 / scale, t * 6 / scale, seed, 3)
    k = 1.0 + 0.10 * amp * (thread - 0.5) + 0.06 * (across - 0.5) + 0.10 * (mott - 0.5)
    return _tone(color, k)


def carpet(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Wool carpet: fine tufts and low-frequency tone changes."""
    tuft = _hash(np.floor(s / max(texel, 0.004)).astype(np.int64),
                 np.floor(t / max(texel, 0.004)).astype(np.int64), seed)  # fmt: skip
    k = 1.0 + 0.12 * (tuft - 0.5) + 0.12 * (fbm(s * 2 / scale, t * 2 / scale, seed + 5, 3) - 0.5)
    return _tone(color, k)


def plaster(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Painted plaster: a soft trowelled mottle and fine speckle."""
    k = 1.0 + 0.07 * (fbm(s * 2.5 / scale, t * 2.5 / scale, seed, 4) - 0.5)
    k += 0.025 * (value_noise(s * 60 / scale, t * 60 / scale, seed + 9) - 0.5)
    return _tone(color, k)


def wallpaper(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Wallpaper: stripes, diamonds or dots in a second tone (chosen by ``seed``)."""
    base = np.asarray(color, np.float32)
    second = np.clip(base * (0.78 + 0.1 * _hash(np.array(1), np.array(2), seed)), 0, 1)
    variant = int(_hash(np.array(3), np.array(4), seed) * 3)
    if variant == 0:  # vertical stripes
        p = 0.16 * scale
        d = s - (np.floor(s / p) + 0.5) * p
        m = _line(d, 0.4 * p, texel)
    else:
        p = 0.18 * scale
        ds = s - (np.floor(s / p) + 0.5) * p
        row = np.floor(t / p)
        ds = np.where(row % 2 > 0, s + p / 2 - (np.floor((s + p / 2) / p) + 0.5) * p, ds)
        dt = t - (row + 0.5) * p
        if variant == 1:  # diamonds
            m = _line(np.abs(ds) + np.abs(dt), 0.6 * p, texel)
        else:  # dots
            m = _line(np.hypot(ds, dt), 0.3 * p, texel)
    k = 1.0 + 0.03 * (fbm(s * 3, t * 3, seed + 2, 2) - 0.5)
    out = base * (1 - m[..., None]) + second * m[..., None]
    return out * k[..., None]


def metal(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Brushed metal: streaks along ``s``."""
    k = 1.0 + 0.08 * (value_noise(s * 3 / scale, t * 250 / scale, seed) - 0.5)
    k += 0.05 * (fbm(s * 2 / scale, t * 2 / scale, seed + 1, 2) - 0.5)
    return _tone(color, k)


def leather(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Leather: a pebbled grain and worn patches."""
    k = 1.0 + 0.08 * (value_noise(s * 150 / scale, t * 150 / scale, seed) - 0.5)
    k += 0.12 * (fbm(s * 3 / scale, t * 3 / scale, seed + 4, 3) - 0.5)
    return _tone(color, k)


def leaves(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Foliage: blotches of lighter and darker green."""
    k = 0.75 + 0.5 * fbm(s * 25 / scale, t * 25 / scale, seed, 3)
    return _tone(color, k)


def plain(s, t, color, scale=1.0, seed=0, texel=0.01):
    """Paint, lacquer, plastic, glass: nearly uniform with a faint unevenness."""
    k = 1.0 + 0.03 * (fbm(s * 3 / scale, t * 3 / scale, seed, 2) - 0.5)
    return _tone(color, k)


#: pattern name → function ``(s, t, color, scale, seed, texel) -> (..., 3)``
PATTERNS = {
    "wood": wood,
    "parquet": parquet,
    "tiles": tiles,
    "fabric": fabric,
    "carpet": carpet,
    "plaster": plaster,
    "wallpaper": wallpaper,
    "metal": metal,
    "leather": leather,
    "leaves": leaves,
    "plain": plain,
}


def pattern(kind: str, s, t, color, scale: float = 1.0, seed: int = 0, texel: float = 0.01):
    """Albedo of pattern ``kind`` at surface coordinates ``s, t`` (metres).

    Args:
        kind: a :data:`PATTERNS` name.
        s: (...) coordinate along the grain (m).
        t: (...) coordinate across the grain (m), same shape.
        color: (3,) base colour in [0, 1].
        scale: pattern scale (1 = typical real-world size; 2 = twice as large).
        seed: variation seed (phase, tone of planks and tiles, wallpaper motif).
        texel: sample footprint in metres (thin lines are drawn with their coverage).

    Returns:
        (..., 3) float32 colours in [0, 1].
    """
    if kind not in PATTERNS:
        raise InputError(f"kind: expected one of {', '.join(PATTERNS)}, got {kind!r}")
    s, t = np.asarray(s, np.float32), np.asarray(t, np.float32)
    out = PATTERNS[kind](s, t, color, float(scale), int(seed), float(texel))
    return np.clip(out, 0.0, 1.0).astype(np.float32)
