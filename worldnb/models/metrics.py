"""Metrics for the built-in models (plain numpy; used by training logs, tests and
``benchmarks/models.py``).

Example:
    >>> import numpy as np
    >>> gt = np.full((4, 4), 2.0)
    >>> depth_metrics(gt * 1.1, gt)["abs_rel"]
    0.1
"""

from __future__ import annotations

import numpy as np

__all__ = ["depth_metrics", "gradient_energy", "instance_ap50", "mean_iou", "psnr"]


def depth_metrics(pred: np.ndarray, gt: np.ndarray) -> dict[str, float]:
    """AbsRel, δ1 (max ratio < 1.25) and scale-invariant log error (×100, as in
    Eigen et al. 2014: the RMS of log differences after removing their mean) over
    pixels with ``gt > 0``."""
    m = (gt > 0) & np.isfinite(pred) & (pred > 0)
    p, g = pred[m].astype(np.float64), gt[m].astype(np.float64)
    d = np.log(p) - np.log(g)
    return {
        "abs_rel": round(float(np.mean(np.abs(p - g) / g)), 6),
        "delta1": round(float(np.mean(np.maximum(p / g, g / p) < 1.25)), 6),
        "si_log": round(float(np.sqrt(max(np.mean(d**2) - np.mean(d) ** 2, 0)) * 100), 6),
    }


def confusion(pred: np.ndarray, gt: np.ndarray, n: int) -> np.ndarray:
    """(n, n) int64 counts of (gt, pred) over pixels with ``gt >= 0``."""
    m = gt >= 0
    return np.bincount(gt[m].astype(np.int64) * n + pred[m], minlength=n * n).reshape(n, n)


def mean_iou(conf: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean IoU over the classes present in the ground truth, and per-class IoU (NaN
    for absent classes) from a :func:`confusion` matrix."""
    tp = np.diag(conf).astype(np.float64)
    gt, pr = conf.sum(1), conf.sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = tp / (gt + pr - tp)
    iou[gt == 0] = np.nan
    return float(np.nanmean(iou)), iou


def instance_ap50(preds: list[tuple], gts: list[tuple]) -> float:
    """Class-agnostic-count AP at IoU 0.5 over a set of images, averaged over classes.

    Args:
        preds: per image ``(masks (K, H, W) bool, classes (K,), scores (K,))``.
        gts: per image ``(masks (M, H, W) bool, classes (M,))``.
    """
    by_class: dict[int, list] = {}
    n_gt: dict[int, int] = {}
    for (pm, pc, ps), (gm, gc) in zip(preds, gts, strict=True):
        for c in np.unique(gc):
            n_gt[int(c)] = n_gt.get(int(c), 0) + int((gc == c).sum())
        used = np.zeros(len(gm), bool)
        for k in np.argsort(-np.asarray(ps)):
            same = np.flatnonzero((gc == pc[k]) & ~used)
            best, j = 0.0, -1
            for i in same:
                inter = np.logical_and(pm[k], gm[i]).sum()
                iou = inter / max(np.logical_or(pm[k], gm[i]).sum(), 1)
                if iou > best:
                    best, j = iou, i
            hit = best >= 0.5
            if hit:
                used[j] = True
            by_class.setdefault(int(pc[k]), []).append((float(ps[k]), hit))
    aps = []
    for c, total in n_gt.items():
        dets = sorted(by_class.get(c, []), key=lambda d: -d[0])
        hits = np.array([h for _, h in dets], bool)
        if not len(hits):
            aps.append(0.0)
            continue
        tp = np.cumsum(hits)
        prec, rec = tp / np.arange(1, len(hits) + 1), tp / total
        # area under the interpolated precision-recall curve
        prec = np.maximum.accumulate(prec[::-1])[::-1]
        aps.append(float(np.sum(np.diff(np.concatenate([[0.0], rec])) * prec)))
    return float(np.mean(aps)) if aps else float("nan")


def psnr(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None = None) -> float:
    """PSNR (dB) of images in [0, 1], over ``mask`` pixels if given."""
    d = (a.astype(np.float64) - b.astype(np.float64)) ** 2
    mse = d[mask].mean() if mask is not None else d.mean()
    return float(10 * np.log10(1.0 / max(mse, 1e-12)))


def gradient_energy(img: np.ndarray, mask: np.ndarray) -> float:
    """Mean squared finite difference of ``img`` over pixel pairs inside ``mask``."""
    g = img.astype(np.float64)
    dx = ((g[:, 1:] - g[:, :-1]) ** 2).sum(-1)[mask[:, 1:] & mask[:, :-1]]
    dy = ((g[1:] - g[:-1]) ** 2).sum(-1)[mask[1:] & mask[:-1]]
    both = np.concatenate([dx, dy])
    return float(both.mean()) if len(both) else 0.0
