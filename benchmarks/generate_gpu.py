"""Generation on a CUDA GPU: end-to-end time and refinement speed, gsplat vs torch.

On a CUDA device it generates a scene from a 512² render of the demo room
(``worldnb.generation.demo``) with 8 views — oracle depth, and the inpainter named by
``--inpaint`` (default: the oracle; pass a diffusers inpainting folder or Hugging Face
id for an SD-class model) — and reports the end-to-end seconds, per-stage seconds, and
refinement steps per second through ``gsplat.rasterization`` (when installed) and
through worldnb's torch rasterizer, with the render parity of the two on the
generated Gaussians. Without CUDA it prints a ``skipped`` record and exits 0.

Goals (issue 14, one H100): end to end ≤ 5 s at 512² with an SD-class inpainter and 8
views; refinement ≥ 50 steps/s. Record measured figures in benchmarks/README.md with
the card named.

Usage: ``python benchmarks/generate_gpu.py [--size 512] [--views 8] [--steps 100]
[--inpaint ID_OR_FOLDER]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch


def _sync():
    torch.cuda.synchronize()


def refine_speed(gaussians, targets, steps: int, rasterizer: str) -> dict:
    from worldnb.generation import refine_gaussians

    refine_gaussians(gaussians, targets, 3, device="cuda", rasterizer=rasterizer)  # warm up
    _sync()
    t0 = time.perf_counter()
    res = refine_gaussians(
        gaussians, targets, steps, patience=10 * steps, device="cuda", rasterizer=rasterizer
    )
    _sync()
    dt = time.perf_counter() - t0
    return {
        "rasterizer": res.rasterizer,
        "steps": len(res.losses),
        "seconds": dt,
        "steps_per_second": len(res.losses) / dt,
        "last_loss": res.losses[-1],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--views", type=int, default=8)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--inpaint", default=None, help="diffusers inpainting folder or hub id")
    args = ap.parse_args(argv)
    if not torch.cuda.is_available():
        print(json.dumps({"benchmark": "generate_gpu", "skipped": "no CUDA device"}))
        return 0
    import worldnb
    from worldnb.generation import GenerationConfig, RefineTarget
    from worldnb.generation.demo import textured_room, textured_room_camera
    from worldnb.generation.evaluate import psnr
    from worldnb.generation.refine import _gsplat_or_none, _render_rgb
    from worldnb.testing import OracleDepth, OracleInpaint

    room, cam = textured_room(0), textured_room_camera(args.size)
    gt = worldnb.render(room, cam, device="cuda")
    photo = np.round(gt.rgb * 255).astype(np.uint8)
    depth = OracleDepth(room, cam, device="cuda")
    inpaint = args.inpaint or OracleInpaint(room, cam, device="cuda")
    cfg = GenerationConfig(n_views=args.views, refine_iters=args.steps)
    worldnb.generate(photo, cfg.replace(n_views=1, refine_iters=2), depth=depth,
                     inpaint=inpaint, device="cuda", progress=False)  # fmt: skip
    _sync()
    t0 = time.perf_counter()
    scene = worldnb.generate(
        photo, cfg, depth=depth, inpaint=inpaint, device="cuda", progress=False
    )
    _sync()
    total = time.perf_counter() - t0
    g = scene.layers["gaussians"]
    targets = [RefineTarget(scene.cameras["input"], scene.images["input"].astype(np.float32))]
    targets += [
        RefineTarget(scene.cameras[v["name"]], scene.images[v["name"]])
        for v in scene.meta["views"]
        if v.get("refused") is None
    ]
    result = {
        "benchmark": "generate_gpu",
        "device": torch.cuda.get_device_name(),
        "size": args.size,
        "views": args.views,
        "inpainter": args.inpaint or "oracle (renders of the true scene)",
        "end_to_end_seconds": total,
        "stage_seconds": scene.meta["timings"],
        "refine": scene.meta["refine"],
        "input_rerender_psnr_db": psnr(
            worldnb.render(scene, scene.cameras["input"], device="cuda").rgb, gt.rgb
        ),
        "gaussians": len(g),
        "refine_speed": {"torch": refine_speed(g, targets, args.steps, "torch")},
    }
    dev = torch.device("cuda")
    gs = _gsplat_or_none(dev, "auto")
    if gs is None:
        result["gsplat"] = "not installed: the torch path ran"
    else:
        import gsplat

        result["gsplat"] = gsplat.__version__
        result["refine_speed"]["gsplat"] = refine_speed(g, targets, args.steps, "gsplat")
        params = [
            torch.as_tensor(a, dtype=torch.float32, device=dev)
            for a in (g.means, g.quats, np.exp(g.scales), 1 / (1 + np.exp(-g.opacities)),
                      g.colors)
        ]  # fmt: skip
        bg = torch.ones(3, device=dev)
        diff = (_render_rgb(None, params, targets[0].camera, bg)
                - _render_rgb(gs, params, targets[0].camera, bg)).abs().max()  # fmt: skip
        result["render_parity_max_abs_diff"] = float(diff)
        result["parity_within_1e-3"] = float(diff) <= 1e-3
    best = max(v["steps_per_second"] for v in result["refine_speed"].values())
    result["targets"] = {"end_to_end<=5s": total <= 5.0, "refine>=50_steps_per_s": best >= 50}
    print(json.dumps(result, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
