"""Refinement benchmark: the cost of a ``refine_gaussians`` step and what the steps buy.

The scene is the one ``worldnb.generate`` builds at ``--size``² with ``--views``
generated views (oracle depth and inpainting: renders of the hand-built textured
room), so refinement fits the input photo and the views (9 targets by default) as the
pipeline does (``refinement_targets``: the photo in every step, each view changing only
the Gaussians lifted from generated views, over the opaque layers; centres kept). Every
variant starts from the same Gaussians and the same seeded
order of targets:

- ``reference``: ``rasterizer="torch"``, the vectorised (Gaussian, pixel) pair path
  (what refinement ran on before the tile kernels; kept as their reference);
- ``tiles``: ``rasterizer="tiles"``, tile-binned numba kernels (same math);
- ``tiles_coarse``: tiles, the first half of the steps at half resolution.

Per variant: seconds per step (wall clock, median over the steps) and CPU seconds per
step (robust to other work on the machine), and the quality after ``--steps`` steps:
the input view's PSNR (Gaussians alone, and the whole scene), the whole scene's mean
PSNR over all targets, the ±15° views' PSNR on the pixels the photo saw, and their sharpness (mean
gradient magnitude relative to the truth's over the same pixels). Ratios are against
the reference measured in the same process.

``--ablation`` adds a table of steps × variant × quality × time: the tile variants
run to each of ``--ablation-steps``.

Prints one JSON object. Usage: ``python benchmarks/refine.py [--size 256] [--views 8]
[--steps 30] [--threads 2] [--ablation]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import torch

import worldnb
from worldnb.generation import (
    GenerationConfig,
    expansion_path,
    refine_gaussians,
    refinement_targets,
)
from worldnb.generation.evaluate import generated_to_true, psnr, seen_by, to_true_camera
from worldnb.testing import OracleDepth, OracleInpaint

VARIANTS = {
    "reference": {"rasterizer": "torch"},
    "tiles": {"rasterizer": "tiles"},
    "tiles_coarse": {"rasterizer": "tiles", "coarse_fraction": 0.5},
}


def build(size: int, views: int):
    from generate import true_scene

    room, cam = true_scene(size)
    gt = worldnb.render(room, cam, device="cpu")

    def scene_of(n_views):
        return worldnb.generate(
            gt.rgb,
            GenerationConfig(n_views=n_views, orbit_deg=20.0, refine_iters=0),
            depth=OracleDepth(room, cam, device="cpu"),
            inpaint=OracleInpaint(room, cam, device="cpu"),
            segment=None,
            device="cpu",
            progress=False,
        )

    scene = scene_of(views)
    n_photo = len(scene_of(0).layers["gaussians"])
    names = [n for n in scene.cameras if n.startswith("view_")]
    # as generate builds them: the photo in every step, each view changing only the
    # Gaussians lifted from generated views, over the opaque layers
    targets = refinement_targets(
        scene.cameras["input"],
        scene.images["input"],
        [(scene.cameras[n], scene.images[n]) for n in names],
        scene.layers,
        n_photo,
    )
    return room, cam, gt, scene, targets


def quality(room, cam, gt, scene, gaussians, targets) -> dict:
    from generate import gradient_energy

    layers = {**scene.layers, "gaussians": gaussians}
    full = worldnb.Scene(layers=layers, cameras=scene.cameras, images=scene.images)
    inp = scene.cameras["input"]
    out = {
        "input_psnr_gaussians_db": psnr(worldnb.render(gaussians, inp, device="cpu").rgb, gt.rgb),
        "input_psnr_scene_db": psnr(worldnb.render(full, inp, device="cpu").rgb, gt.rgb),
        "targets_mean_psnr_db": float(
            np.mean(
                [psnr(worldnb.render(full, t.camera, device="cpu").rgb, t.rgb) for t in targets]
            )
        ),
    }
    T = generated_to_true(full, cam)
    pivot = inp.position + inp.forward * float(np.nanmedian(scene.images["depth"]))
    for pv in expansion_path(inp, pivot, 2, 15.0):
        true_cam = to_true_camera(pv.camera, T)
        truth = worldnb.render(room, true_cam, device="cpu")
        seen = seen_by(true_cam, truth.depth, cam, gt.depth)
        r = worldnb.render(full, pv.camera, device="cpu").rgb
        key = f"{pv.angle_deg:+.0f}deg"
        out[f"novel_{key}_psnr_seen_db"] = psnr(r, truth.rgb, seen)
        out[f"novel_{key}_sharpness"] = gradient_energy(r, seen) / gradient_energy(truth.rgb, seen)
    return out


def run(gaussians, targets, steps: int, **kw) -> tuple:
    wall, cpu = [], []
    t = [time.perf_counter(), time.process_time()]

    def tick(step, loss):
        now = [time.perf_counter(), time.process_time()]
        wall.append(now[0] - t[0])
        cpu.append(now[1] - t[1])
        t[:] = now

    res = refine_gaussians(
        gaussians, targets, iters=steps, patience=10 * steps, callback=tick, fit_means=False, **kw
    )  # as generate does
    # the first step compiles / warms caches: left out of the per-step figures
    body = slice(1, None) if steps > 2 else slice(None)
    return res, {
        "seconds_per_step": float(np.median(wall[body])),
        "cpu_seconds_total": float(np.sum(cpu)),
        "cpu_seconds_per_step": float(np.median(cpu[body])),
        "seconds_total": float(np.sum(wall)),
        "first_loss": res.losses[0],
        "last_loss": res.losses[-1],
        "rasterizer": res.rasterizer,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--views", type=int, default=8)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--ablation-steps", default="0,5,10,20,40")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    t0 = time.perf_counter()
    room, cam, gt, scene, targets = build(args.size, args.views)
    g0 = scene.layers["gaussians"]
    result = {
        "benchmark": "refine",
        "torch_threads": torch.get_num_threads(),
        "size": args.size,
        "targets": len(targets),
        "gaussians": len(g0),
        "steps": args.steps,
        "build_seconds": time.perf_counter() - t0,
        "start": quality(room, cam, gt, scene, g0, targets),
        "variants": {},
    }
    for name, kw in VARIANTS.items():
        res, cost = run(g0, targets, args.steps, **kw)
        cost["quality"] = quality(room, cam, gt, scene, res.gaussians, targets)
        result["variants"][name] = cost
    ref = result["variants"]["reference"]
    for v in result["variants"].values():
        v["step_cost_ratio_reference_over_this"] = ref["seconds_per_step"] / v["seconds_per_step"]
        v["cpu_cost_ratio_reference_over_this"] = (
            ref["cpu_seconds_per_step"] / v["cpu_seconds_per_step"]
        )
        v["quality_minus_reference_db"] = {
            k: v["quality"][k] - ref["quality"][k] for k in v["quality"] if k.endswith("_db")
        }
    if args.ablation:
        rows = []
        for steps in [int(s) for s in args.ablation_steps.split(",")]:
            for name in ("tiles", "tiles_coarse"):
                if steps == 0:
                    q, secs, cpu = result["start"], 0.0, 0.0
                else:
                    res, cost = run(g0, targets, steps, **VARIANTS[name])
                    q, secs, cpu = (
                        quality(room, cam, gt, scene, res.gaussians, targets),
                        cost["seconds_total"],
                        cost["cpu_seconds_total"],
                    )
                rows.append(
                    {"variant": name, "steps": steps, "seconds": secs, "cpu_seconds": cpu, **q}
                )
        result["ablation"] = rows
    print(json.dumps(result, indent=2, default=float))


if __name__ == "__main__":
    main()
