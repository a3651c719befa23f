"""Scoring the built-in models on held-out rooms (seeds from 1,000,000), used by
``benchmarks/models.py`` and the metric-floor tests.

Example:
    >>> from worldnb import models
    >>> views = heldout_views(1, size=64, views=1)
    >>> res = evaluate_depth(models.load("depth"), views)
    >>> sorted(res)
    ['abs_rel', 'delta1', 'fov_err_deg', 'images', 'si_log']
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from . import data
from .metrics import (
    confusion,
    depth_metrics,
    gradient_energy,
    instance_ap50,
    mean_iou,
    psnr,
)

__all__ = [
    "evaluate_depth",
    "evaluate_inpaint",
    "evaluate_segment",
    "heldout_views",
    "inpaint_masks",
]


def heldout_views(
    rooms: int,
    size: int = 256,
    views: int = 2,
    seed: int = data.HELD_OUT_SEED,
    folder: Path | None = None,
    **render_kw,
) -> list[dict]:
    """Render ``rooms`` held-out rooms (seeds ``seed …``, never below 1,000,000) and
    read them back as views (see :func:`worldnb.models.data.load_room`).

    ``folder`` keeps the rendering (reused when it exists); ``render_kw`` go to
    :func:`worldnb.worlds.render_dataset`. The lighting styles are the training ones
    unless ``lighting_styles`` says otherwise (``(data.HELD_OUT_STYLE,)``: the style
    training never sees).
    """
    from ..worlds import render_dataset

    if seed < data.HELD_OUT_SEED:
        raise ValueError(f"held-out seeds start at {data.HELD_OUT_SEED}, got {seed}")
    names = data.classes()
    render_kw.setdefault("lighting_styles", data.train_styles())
    if folder is not None and (Path(folder) / "index.json").exists():
        return data.load_dataset(folder, names)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(folder) if folder is not None else Path(tmp) / "heldout"
        render_dataset(
            rooms,
            out,
            size=size,
            seed=seed,
            cameras_per_room=views,
            progress=False,
            device="cpu",
            **render_kw,
        )
        return data.load_dataset(out, names)


def evaluate_depth(model, views: list[dict]) -> dict[str, float]:
    """Mean per-image AbsRel, δ1, scale-invariant log error (×100) and field-of-view
    error (degrees) of a depth model (``rgb -> DepthPrediction``)."""
    rows, fov_err = [], []
    for v in views:
        pred = model(v["rgb"].astype(np.float32) / 255)
        rows.append(depth_metrics(np.asarray(pred.depth), v["depth"]))
        if pred.fov_deg is not None:
            fov_err.append(abs(pred.fov_deg - v["fov_deg"]))
    out = {k: round(float(np.mean([r[k] for r in rows])), 4) for k in rows[0]}
    out["fov_err_deg"] = round(float(np.mean(fov_err)), 3) if fov_err else float("nan")
    out["images"] = len(views)
    return out


def evaluate_segment(model, views: list[dict]) -> dict:
    """Semantic mIoU (classes present in the ground truth), pixel accuracy, per-class
    IoU and instance AP50 over object classes (furniture and clutter) of a segmenter
    (``rgb -> Segmentation``)."""
    names = data.classes()
    conf = np.zeros((len(names), len(names)), np.int64)
    objects = set(range(len(data.SHELL), len(names)))
    preds, gts = [], []
    for v in views:
        seg = model(v["rgb"].astype(np.float32) / 255)
        remap = np.array([names.index(n) if n in names else -1 for n in seg.labels])
        sem = remap[seg.semantic]
        conf += confusion(np.maximum(sem, 0), v["semantic"], len(names))
        ids = [i for i in np.unique(seg.instance) if i > 0]
        pm = [seg.instance == i for i in ids]
        pc = [int(np.bincount(np.maximum(sem[m], 0)).argmax()) for m in pm]
        keep = [k for k, c in enumerate(pc) if c in objects]
        pm = np.array([pm[k] for k in keep]).reshape(-1, *sem.shape)
        ps = np.array([float(seg.scores[pm[j]].mean()) for j in range(len(keep))])
        gids = [i for i in np.unique(v["instance"]) if i > 0]
        gm = [v["instance"] == i for i in gids]
        gc = [int(np.bincount(np.maximum(v["semantic"][m], 0)).argmax()) for m in gm]
        gm = np.array(gm, bool).reshape(-1, *sem.shape)
        preds.append((pm, np.array([pc[k] for k in keep], int), ps))
        gts.append((gm, np.array(gc, int)))
    miou, per = mean_iou(conf)
    return {
        "miou": round(miou, 4),
        "pixel_acc": round(float(np.trace(conf) / max(conf.sum(), 1)), 4),
        "instance_ap50": round(instance_ap50(preds, gts), 4),
        "per_class_iou": {
            n: round(float(x), 3) for n, x in zip(names, per, strict=True) if np.isfinite(x)
        },
        "images": len(views),
    }


def inpaint_masks(views: list[dict], seed: int = 0) -> list[np.ndarray]:
    """One fixed hole mask per view (camera-motion-like bands, blobs and strokes)."""
    rng = np.random.default_rng(seed)
    out = []
    for v in views:
        h, w = v["depth"].shape
        m = data.random_masks(1, max(h, w), rng)[0][:h, :w]
        out.append(m)
    return out


def evaluate_inpaint(inpainters: dict, views: list[dict], steps: int = 20, seed: int = 0):
    """PSNR over the hole and the gradient-energy ratio (fill / ground truth) of each
    inpainter ``name -> fn(image, mask) -> image`` on :func:`inpaint_masks` holes.

    ``"mean"`` (fill with the mean known colour) and ``"telea"`` (OpenCV, when
    installed) are added as references.
    """
    import torch

    fills = dict(inpainters)
    fills["mean"] = lambda img, m: np.where(m[..., None], img[~m].mean(0), img)
    try:
        import cv2

        def telea(img, m):
            u8 = (img * 255 + 0.5).astype(np.uint8)
            out = cv2.inpaint(u8, m.astype(np.uint8) * 255, 3, cv2.INPAINT_TELEA)
            return out.astype(np.float32) / 255

        fills["telea"] = telea
    except ImportError:
        pass
    masks = inpaint_masks(views, seed)
    res = {k: {"psnr": [], "grad_ratio": []} for k in fills}
    for i, (v, m) in enumerate(zip(views, masks, strict=True)):
        gt = v["rgb"].astype(np.float32) / 255
        for name, fn in fills.items():
            if name in inpainters:
                g = torch.Generator().manual_seed(seed + i)
                out = fn(gt, m, steps=steps, generator=g)
            else:
                out = fn(gt, m)
            res[name]["psnr"].append(psnr(out, gt, m))
            ge = gradient_energy(gt, m)
            res[name]["grad_ratio"].append(gradient_energy(out, m) / ge if ge > 0 else np.nan)
    return {
        k: {
            "psnr_db": round(float(np.mean(r["psnr"])), 3),
            "grad_energy_ratio": round(float(np.nanmean(r["grad_ratio"])), 3),
        }
        for k, r in res.items()
    } | {"images": len(views), "hole_fraction": round(float(np.mean([m.mean() for m in masks])), 3)}
