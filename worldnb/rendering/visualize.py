"""Turn render maps into pictures (PIL only; no plotting library needed)."""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["colorize_depth", "colorize_instance", "colorize_normals", "side_by_side", "to_pil"]


def to_pil(image: np.ndarray) -> Image.Image:
    """(H, W, 3) float in [0, 1] (or uint8) → PIL RGB image."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = (np.clip(np.nan_to_num(arr), 0, 1) * 255 + 0.5).astype(np.uint8)
    return Image.fromarray(arr)


def colorize_depth(depth: np.ndarray, near: float | None = None, far: float | None = None):
    """(H, W) depth → (H, W, 3) float image: near bright, far dark, empty black."""
    d = np.asarray(depth, dtype=np.float32)
    finite = np.isfinite(d)
    if not finite.any():
        return np.zeros((*d.shape, 3), np.float32)
    lo = float(d[finite].min()) if near is None else near
    hi = float(d[finite].max()) if far is None else far
    t = np.clip((d - lo) / max(hi - lo, 1e-9), 0, 1)
    # a short blue→yellow ramp reads better than grey
    ramp = np.stack([0.2 + 0.8 * (1 - t), 0.2 + 0.7 * (1 - t) ** 2, 0.3 + 0.5 * t], -1)
    return np.where(finite[..., None], ramp, 0.0).astype(np.float32)


def colorize_normals(normals: np.ndarray) -> np.ndarray:
    """(H, W, 3) unit normals → colours ``0.5 + 0.5 n`` (empty pixels black)."""
    n = np.asarray(normals, dtype=np.float32)
    empty = ~np.any(n != 0, axis=-1, keepdims=True)
    return np.where(empty, 0.0, 0.5 + 0.5 * n).astype(np.float32)


def colorize_instance(ids: np.ndarray) -> np.ndarray:
    """(H, W) integer ids → a stable distinct colour per id (−1 black)."""
    ids = np.asarray(ids).astype(np.int64)
    h = (ids * 2654435761) & 0xFFFFFF  # Knuth's multiplicative hash spreads small ids
    rgb = np.stack([(h >> 16) & 255, (h >> 8) & 255, h & 255], -1).astype(np.float32) / 255
    rgb = 0.25 + 0.75 * rgb
    return np.where((ids < 0)[..., None], 0.0, rgb).astype(np.float32)


def side_by_side(images: list[Image.Image], gap: int = 4) -> Image.Image:
    """Paste images left to right on a white strip."""
    h = max(im.height for im in images)
    w = sum(im.width for im in images) + gap * (len(images) - 1)
    out = Image.new("RGB", (w, h), (255, 255, 255))
    x = 0
    for im in images:
        out.paste(im, (x, 0))
        x += im.width + gap
    return out
