"""Robust scale + shift alignment of a new depth map to the depth already known."""

from __future__ import annotations

import numpy as np

__all__ = ["align_depth"]


def align_depth(
    depth: np.ndarray,
    target: np.ndarray,
    known: np.ndarray,
    iters: int = 5,
    keep: float = 0.8,
    min_pixels: int = 50,
) -> tuple[float, float, float]:
    """Fit ``target ≈ s · depth + t`` on the ``known`` pixels, robustly.

    Trimmed least squares: fit, keep the ``keep`` fraction with the smallest residuals,
    refit, ``iters`` times. A fit that is not usable (too few pixels, ``s ≤ 0``, or a
    scale more than 4× away from the median ratio ``target / depth``, as when the
    target is flat and the scale cannot be told from it) falls back to the best pure
    scale (median ratio), then to identity.

    Args:
        depth: (H, W) new depth (m).
        target: (H, W) rendered depth of the existing geometry (m).
        known: (H, W) bool, pixels where ``target`` is trusted.

    Returns:
        ``(s, t, rmse)`` with ``rmse`` (m) over the kept pixels (nan if none).
    """
    m = known & np.isfinite(depth) & np.isfinite(target) & (depth > 0) & (target > 0)
    x = depth[m].astype(np.float64)
    y = target[m].astype(np.float64)
    if len(x) < min_pixels:
        return 1.0, 0.0, float("nan")
    sel = np.ones(len(x), bool)
    s, t = 1.0, 0.0
    for _ in range(iters):
        A = np.stack([x[sel], np.ones(sel.sum())], 1)
        (s, t), *_ = np.linalg.lstsq(A, y[sel], rcond=None)
        r = np.abs(s * x + t - y)
        sel = r <= np.quantile(r, keep)
        if sel.sum() < min_pixels:
            break
    ratio = float(np.median(y / x))
    if not np.isfinite(s) or s <= 0 or not ratio / 4 <= s <= ratio * 4:
        s, t = ratio, 0.0
        r = np.abs(s * x - y)
        sel = r <= np.quantile(r, keep)
    rmse = float(np.sqrt(np.mean((s * x[sel] + t - y[sel]) ** 2))) if sel.any() else float("nan")
    return float(s), float(t), rmse
