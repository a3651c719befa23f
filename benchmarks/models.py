"""Built-in model benchmark: accuracy on held-out procedural rooms, and CPU cost.

Held-out rooms use seeds from 1,000,000 (never used in training), rendered at
``--size``² with cameras at eye height looking at furniture (as a person holds a
phone). Prints one JSON object:

- depth: AbsRel, δ1, scale-invariant log error (×100), field-of-view error; the same
  (and segmentation) on rooms lit in the style training never saw (``night``);
- segment: semantic mIoU over the classes present, pixel accuracy, instance AP50;
- inpaint: PSNR (dB) over the hole and gradient-energy ratio (fill / truth) of the
  built-in model, mean-fill and OpenCV Telea (``opencv-python-headless``), same holes;
- timing: CPU milliseconds at 256² (``torch`` threads = ``--threads``) for depth +
  segmentation and a 20-step inpaint, and the same as ratios to a reference
  workload (a fixed 3×3 convolution) timed in the same run;
- generate (``--e2e``): ``worldnb.generate`` at 256² with the built-ins, 4 views,
  offline, with per-stage seconds.

Usage: ``python benchmarks/models.py [--rooms 12] [--size 256] [--models DIR] [--e2e]
[--executor ray [--num-workers N] [--address A]]`` (ray: the held-out rooms render as
one task each, byte for byte the local files; scoring and timings run here).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import _executor
import numpy as np
import torch

from worldnb import models
from worldnb.models.data import HELD_OUT_STYLE
from worldnb.models.evaluate import (
    evaluate_depth,
    evaluate_inpaint,
    evaluate_segment,
    heldout_views,
)


def _ms(fn, repeat: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(float(np.median(times)) * 1000, 2)


def reference_ms() -> float:
    """A fixed conv workload: the yardstick the model timings are divided by."""
    x, w = torch.rand(1, 32, 128, 128), torch.rand(32, 32, 3, 3)
    return _ms(lambda: torch.nn.functional.conv2d(x, w, padding=1), repeat=9)


def timings(depth, segment, inpaint, threads: int) -> dict:
    torch.set_num_threads(threads)
    rgb = np.random.default_rng(0).random((256, 256, 3), dtype=np.float32)
    hole = np.zeros((256, 256), bool)
    hole[64:192, 96:224] = True
    ref = reference_ms()
    d = _ms(lambda: depth(rgb))
    s = _ms(lambda: segment(rgb))
    g = torch.Generator()
    i = _ms(lambda: inpaint(rgb, hole, steps=20, generator=g.manual_seed(0)), repeat=1)
    return {
        "threads": threads,
        "reference_conv_ms": ref,
        "depth_ms": d,
        "segment_ms": s,
        "depth_plus_segment_ms": round(d + s, 2),
        "inpaint_20_steps_ms": i,
        "ratio_to_reference": {
            "depth_plus_segment": round((d + s) / ref, 2),
            "inpaint_20_steps": round(i / ref, 2),
        },
    }


def end_to_end(size: int = 256) -> dict:
    import worldnb

    views = heldout_views(1, size=size, views=1, seed=1_900_000)
    t0 = time.perf_counter()
    scene = worldnb.generate(views[0]["rgb"], worldnb.GenerationConfig(n_views=4), progress=False)
    return {
        "seconds": round(time.perf_counter() - t0, 2),
        "stages_s": {k: round(v, 3) for k, v in scene.meta["timings"].items()},
        "backends": scene.meta["backends"],
    }


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rooms", type=int, default=12, help="held-out rooms (2 views each)")
    p.add_argument("--size", type=int, default=256, help="image side in pixels")
    p.add_argument("--models", default=None, help="folder with depth/ segment/ inpaint/")
    p.add_argument("--inpaint-images", type=int, default=12, help="views scored for inpainting")
    p.add_argument("--threads", type=int, default=2, help="torch threads for the timings")
    p.add_argument("--e2e", action="store_true", help="also time worldnb.generate")
    p.add_argument("--data", default=None, help="keep / reuse the held-out rendering here")
    _executor.add_arguments(p, "held-out rooms are rendered")
    args = p.parse_args(argv)
    # the held-out rooms render on args.executor (render_dataset: one task per room, the
    # same files as a local run); the models are scored and timed here
    on = _executor.describe(args)
    argv = sys.argv[1:] if argv is None else list(argv)

    def load(name):
        return models.load(os.path.join(args.models, name) if args.models else name)

    depth, segment, inpaint = load("depth"), load("segment"), load("inpaint")
    torch.set_num_threads(args.threads)
    keep = (lambda name: os.path.join(args.data, name)) if args.data else (lambda name: None)
    n_night = max(2, args.rooms // 3)
    with _executor.session(args):  # one Ray for both renderings
        t0 = time.perf_counter()
        views = heldout_views(args.rooms, size=args.size, folder=keep("heldout"), **on)
        render_s = round(time.perf_counter() - t0, 1)
        night = heldout_views(n_night, size=args.size, seed=1_500_000,
                              folder=keep(HELD_OUT_STYLE), lighting_styles=(HELD_OUT_STYLE,),
                              **on)  # fmt: skip
    views, night = views[: 2 * args.rooms], night[: 2 * n_night]
    out = {
        "command": " ".join(["python benchmarks/models.py", *argv]),
        "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": round(os.getloadavg()[0], 1),  # timings depend on what else runs
        "heldout": {"seeds_from": 1_000_000, "rooms": args.rooms, "images": len(views),
                    "size": args.size, "render_s": render_s, **on},
        "depth": evaluate_depth(depth, views),
        "segment": evaluate_segment(segment, views),
        "inpaint": evaluate_inpaint({"builtin": inpaint}, views[: args.inpaint_images]),
        "timing": timings(depth, segment, inpaint, args.threads),
    }  # fmt: skip
    out["depth_lighting_heldout"] = evaluate_depth(depth, night) | {"style": HELD_OUT_STYLE}
    out["segment_lighting_heldout"] = {
        k: v for k, v in evaluate_segment(segment, night).items() if k != "per_class_iou"
    } | {"style": HELD_OUT_STYLE}
    ip = out["inpaint"]
    ip["builtin_minus_mean_db"] = round(ip["builtin"]["psnr_db"] - ip["mean"]["psnr_db"], 3)
    if "telea" in ip:
        ip["builtin_minus_telea_db"] = round(ip["builtin"]["psnr_db"] - ip["telea"]["psnr_db"], 3)
    if args.e2e:
        out["generate"] = end_to_end()
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
