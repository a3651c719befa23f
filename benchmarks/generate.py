"""Generation benchmark: accuracy against ground truth, and cost.

Ground truth is a rendered scene (``worldnb.worlds.sample_room`` when available, else
the hand-built textured room in ``worldnb.generation.demo``). Depth comes from an
oracle that renders the true depth; the expansion's inpainter is an oracle too: it
fills each hole with a render of the true scene (so the numbers measure the geometry
pipeline — lifting, alignment, fusion, refinement — not a diffusion model).
Tiny random-weight transformers / diffusers models built from configs give the
per-stage timings of the real model code path.

``--perturb`` measures what the photo keeps when the new views' depth is realistically
wrong (``worldnb.testing.PerturbedDepth``: scale ×0.9 and ×1.1, 3 % relative noise, a
smooth 5 % warp): the input view's re-render PSNR before and after expansion, and per
view the alignment fit, the points carved, refusals and the seam PSNR (the band of
pixels around each view's filled hole, against the truth).

Prints one JSON object. Usage: ``python benchmarks/generate.py [--size 256] [--quick]
[--perturb [--executor ray [--num-workers N] [--address A]]]`` (ray: the perturbed cases
run as one task each, with the same numbers; the other parts are timings of one scene
and run here).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import _executor
import numpy as np
import torch

import worldnb
from worldnb.generation import (
    GenerationConfig,
    estimate_geometry,
    expansion_path,
    lift_mesh,
    lift_points,
    lift_surfels,
    load_image,
)
from worldnb.generation.demo import textured_room, textured_room_camera
from worldnb.generation.evaluate import (
    generated_to_true,
    hole_fraction,
    psnr,
    seen_by,
    surface_distance,
    to_true_camera,
)
from worldnb.testing import (
    OracleDepth,
    OracleInpaint,
    PerturbedDepth,
    build_tiny_depth_model,
    build_tiny_inpaint_pipeline,
)


def true_scene(size: int, source: str = "demo"):
    """The ground-truth scene and its input camera: ``"demo"`` (hand-built textured
    room) or ``"worlds"`` (a furnished procedural living room, flat colours)."""
    if source == "worlds":
        from worldnb.worlds import room_cameras, sample_room

        scene = sample_room("living_room", seed=1)
        cam = room_cameras(scene, 3, size, np.random.default_rng(0))[1]
        return scene, cam
    return textured_room(seed=0), textured_room_camera(size)


def gradient_energy(rgb: np.ndarray, mask: np.ndarray) -> float:
    """Mean gradient magnitude (grey levels per pixel) over ``mask``."""
    grey = np.asarray(rgb, np.float64).mean(-1)
    gy, gx = np.gradient(grey)
    return float(np.hypot(gx, gy)[mask].mean())


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def lift_all(depth, rgb, K, T, cfg):
    lift_mesh(depth, rgb, K, T, cfg.depth_edge_threshold)
    lift_surfels(depth, rgb, K, T, cfg.surfel_stride)
    lift_points(depth, rgb, K, T, cfg.point_stride)


def accuracy(size: int, n_views: int, refine_iters: int, source: str = "demo") -> dict:
    room, cam = true_scene(size, source)
    gt = worldnb.render(room, cam, device="cpu")
    depth, inpaint = OracleDepth(room, cam, device="cpu"), OracleInpaint(room, cam, device="cpu")
    cfg = GenerationConfig(
        n_views=n_views,
        orbit_deg=20.0,
        refine_iters=refine_iters,
        refine_patience=max(20, refine_iters),
    )

    # lifted geometry of the input alone vs the true surface
    img = load_image(gt.rgb, cfg.max_side)
    geo = estimate_geometry(img, depth, cfg)
    mesh = lift_mesh(
        geo.depth, img.rgb, geo.camera.K, geo.camera.T_world_camera, cfg.depth_edge_threshold
    )
    T_true_gen = cam.T_world_camera.astype(np.float64) @ np.linalg.inv(
        geo.camera.T_world_camera.astype(np.float64)
    )
    v = mesh.vertices.astype(np.float64) @ T_true_gen[:3, :3].T + T_true_gen[:3, 3]
    dist = surface_distance(v, room)

    t0 = time.perf_counter()
    scene = worldnb.generate(
        gt.rgb, cfg, depth=depth, inpaint=inpaint, device="cpu", progress=False
    )
    t_generate = time.perf_counter() - t0
    T = generated_to_true(scene, cam)
    rerender = {
        name: psnr(
            worldnb.render(scene, scene.cameras["input"], layers=layers, device="cpu").rgb, gt.rgb
        )
        for name, layers in [
            ("all", None),
            ("gaussians", ["gaussians"]),
            ("mesh", ["mesh"]),
            ("points", ["points"]),
        ]
    }
    novel = {}
    gen_input = scene.cameras["input"]
    pivot = gen_input.position + gen_input.forward * float(np.nanmedian(scene.images["depth"]))
    for pv in expansion_path(gen_input, pivot, 2, 15.0):
        true_cam = to_true_camera(pv.camera, T)
        truth = worldnb.render(room, true_cam, device="cpu")
        seen = seen_by(true_cam, truth.depth, cam, gt.depth)
        out = worldnb.render(scene, pv.camera, device="cpu")
        novel[f"{pv.angle_deg:+.0f}deg"] = {
            "psnr_seen_pixels": psnr(out.rgb, truth.rgb, seen),
            # high-frequency energy kept: the render's mean gradient magnitude over the
            # surfaces the photo saw, relative to the truth's over the same pixels
            "sharpness_ratio": gradient_energy(out.rgb, seen) / gradient_energy(truth.rgb, seen),
            "seen_fraction": float(seen.mean()),
            "psnr_all_pixels": psnr(out.rgb, truth.rgb),
        }
    holes, holes_mesh = {}, {}
    for name, c in scene.cameras.items():
        if name.startswith("view_"):
            holes[name] = hole_fraction(worldnb.render(scene, c, device="cpu").alpha)
            holes_mesh[name] = hole_fraction(
                worldnb.render(scene, c, layers=["mesh"], device="cpu").alpha
            )
    return {
        "truth": source,
        "size": size,
        "n_views": n_views,
        "refine_iters": refine_iters,
        "geometry_median_cm": float(np.median(dist) * 100),
        "geometry_p90_cm": float(np.percentile(dist, 90) * 100),
        "input_rerender_psnr_db": rerender,
        "novel_views_psnr": novel,
        "holes_after_expansion_max": max(holes.values()) if holes else None,
        "holes_before_fill": [v["hole_fraction"] for v in scene.meta["views"]],
        "holes_after_expansion": holes,
        "holes_after_expansion_mesh_layer_only": holes_mesh,
        "refine": scene.meta["refine"],
        "generate_seconds_oracle": t_generate,
        "stage_seconds_oracle": scene.meta["timings"],
    }


PERTURBATIONS = [
    ("exact", "none", 0.0),
    ("scale_x0.9", "scale", 0.9),
    ("scale_x1.1", "scale", 1.1),
    ("noise_3pct", "noise", 0.03),
    ("warp_5pct", "warp", 0.05),
]


def seam_psnr(scene, room, cam, view: dict, band: int = 3) -> float | None:
    """PSNR against the truth over the pixels within ``band`` of a view's hole rim."""
    from scipy import ndimage

    c = scene.cameras[view["name"]]
    mask = scene.images[f"{view['name']}_mask"].astype(bool)
    if not mask.any() or mask.all():
        return None
    rim = ndimage.binary_dilation(mask, iterations=band) & ~ndimage.binary_erosion(
        mask, iterations=band
    )
    truth = worldnb.render(room, to_true_camera(c, generated_to_true(scene, cam)), device="cpu")
    rim &= truth.alpha > 0.5
    if not rim.any():
        return None
    return psnr(worldnb.render(scene, c, device="cpu").rgb, truth.rgb, rim)


def _perturb_case(room, cam, gt_rgb, kind: str, amount: float, views: int) -> dict:
    """One perturbed-depth generation and its numbers (one task of ``--executor ray``)."""
    t0 = time.perf_counter()
    depth = PerturbedDepth(
        OracleDepth(room, cam, device="cpu"),
        scale=amount if kind == "scale" else 1.0,
        noise=amount if kind == "noise" else 0.0,
        warp=amount if kind == "warp" else 0.0,
        generated_only=True,
    )
    cfg = GenerationConfig(n_views=views, orbit_deg=20.0)
    events = []
    scene = worldnb.generate(
        gt_rgb,
        cfg,
        depth=depth,
        inpaint=OracleInpaint(room, cam, device="cpu"),
        device="cpu",
        progress=False,
        callback=events.append,
    )
    return {
        "input_rerender_psnr_db": psnr(
            worldnb.render(scene, scene.cameras["input"], device="cpu").rgb, gt_rgb
        ),
        "views": [
            {
                "name": v["name"],
                "align_scale": v["align_scale"],
                "align_rmse_m": v["align_rmse"],
                "carved_pixels": v["carved"],
                "new_pixels": v["new_pixels"],
                "refused": v["refused"],
                "seam_psnr_db": seam_psnr(scene, room, cam, v),
            }
            for v in scene.meta["views"]
        ],
        "refusal_events": [e.message for e in events if "refused" in e.message],
        "seconds": time.perf_counter() - t0,
    }


def perturbed(size: int, n_views: int, args=None) -> dict:
    """The exact run without expansion, then every case of PERTURBATIONS (on
    ``args.executor``, one task each; see ``_executor``)."""
    room, cam = true_scene(size)
    gt = worldnb.render(room, cam, device="cpu")
    tasks = [(room, cam, gt.rgb, "none", 0.0, 0)]
    tasks += [(room, cam, gt.rgb, kind, amount, n_views) for _, kind, amount in PERTURBATIONS]
    first, *rest = _executor.map_ordered(_perturb_case, tasks, args, "perturb")
    before = first["input_rerender_psnr_db"]
    cases = {name: case for (name, _, _), case in zip(PERTURBATIONS, rest, strict=True)}
    return {
        "size": size,
        "n_views": n_views,
        "input_rerender_psnr_before_expansion_db": before,
        "cases": cases,
        "targets": {
            "before_expansion>=30": before >= 30,
            "after_every_case>=29": all(c["input_rerender_psnr_db"] >= 29 for c in cases.values()),
        },
    }


def wnb_size(size: int, n_views: int) -> dict:
    """MB of the .wnb of a generated scene from an 8-bit ``size``² photo, compact and full."""
    room, cam = true_scene(size)
    photo = np.round(worldnb.render(room, cam, device="cpu").rgb * 255).astype(np.uint8)
    scene = worldnb.generate(
        photo,
        GenerationConfig(n_views=n_views),
        depth=OracleDepth(room, cam, device="cpu"),
        inpaint=OracleInpaint(room, cam, device="cpu"),
        device="cpu",
        progress=False,
    )
    out = {"size": size, "n_views": n_views}
    with tempfile.TemporaryDirectory() as tmp:
        for precision in ("compact", "full"):
            path = scene.save(Path(tmp) / f"{precision}.wnb", precision=precision)
            out[f"{precision}_mb"] = path.stat().st_size / 1e6
    out["layers"] = {name: repr(layer) for name, layer in scene.layers.items()}
    out["ratio_compact_to_full"] = out["compact_mb"] / out["full_mb"]
    return out


def lift_cost(sizes) -> dict:
    room, _ = true_scene(64)
    cfg = GenerationConfig()
    out = {}
    for s in sizes:
        cam = textured_room_camera(s)
        gt = worldnb.render(room, cam, device="cpu")
        out[s] = best_of(
            lambda gt=gt, cam=cam: lift_all(gt.depth, gt.rgb, cam.K, cam.T_world_camera, cfg), 3
        )
    base = out[sizes[0]]
    return {
        "seconds": {str(k): v for k, v in out.items()},
        "ratio_to_smallest": {str(k): v / base for k, v in out.items()},
        "pixels_ratio": {str(k): (k / sizes[0]) ** 2 for k in out},
    }


def tiny_backends(sizes, n_views: int) -> dict:
    room, _ = true_scene(64)
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        dpt = build_tiny_depth_model(Path(tmp) / "dpt")
        sd = build_tiny_inpaint_pipeline(Path(tmp) / "sd")
        build = time.perf_counter() - t0
        for s in sizes:
            gt = worldnb.render(room, textured_room_camera(s), device="cpu")
            cfg = GenerationConfig(n_views=n_views, steps=10)
            t0 = time.perf_counter()
            scene = worldnb.generate(
                gt.rgb, cfg, depth=str(dpt), inpaint=str(sd), device="cpu", progress=False
            )
            res[str(s)] = {"total": time.perf_counter() - t0, "stages": scene.meta["timings"]}
    base = res[str(sizes[0])]["total"]
    return {
        "build_models_seconds": build,
        "per_size": res,
        "total_ratio_to_smallest": {k: v["total"] / base for k, v in res.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--views", type=int, default=8)
    ap.add_argument("--refine", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument(
        "--perturb",
        action="store_true",
        help="also run the perturbed-depth consistency study (the 'perturb' part)",
    )
    ap.add_argument(
        "--parts",
        default="accuracy,lift,tiny",
        help="comma-separated subset of: accuracy, lift, tiny, perturb, size",
    )
    ap.add_argument(
        "--truth",
        default="demo",
        choices=["demo", "worlds"],
        help="ground truth: the hand-built textured room or a procedural world",
    )
    _executor.add_arguments(ap, "perturbed-depth cases (--perturb) run")
    args = ap.parse_args()
    torch.manual_seed(0)
    # keep stdout pure JSON: the model libraries log notices while loading
    import diffusers
    import transformers

    transformers.logging.set_verbosity_error()
    diffusers.logging.set_verbosity_error()
    diffusers.utils.logging.disable_progress_bar()
    size = 96 if args.quick else args.size
    parts = set(args.parts.split(","))
    if args.perturb:
        parts.add("perturb")
    result = {
        "benchmark": "generate",
        "torch_threads": torch.get_num_threads(),
        "ground_truth": {
            "demo": "hand-built textured room (worldnb.generation.demo)",
            "worlds": "procedural living room (worldnb.worlds.sample_room, seed 1)",
        }[args.truth]
        + "; oracle depth and oracle inpainting (renders of the true scene)",
    }
    targets = {}
    if "accuracy" in parts:
        acc = accuracy(
            size, 2 if args.quick else args.views, 5 if args.quick else args.refine, args.truth
        )
        result["accuracy"] = acc
        targets.update(
            {
                "geometry_median_cm<2": acc["geometry_median_cm"] < 2,
                "input_rerender_psnr>=30": acc["input_rerender_psnr_db"]["all"] >= 30,
                "novel_views_psnr>=22": all(
                    v["psnr_seen_pixels"] >= 22 for v in acc["novel_views_psnr"].values()
                ),
                "holes<2%_each_view": (acc["holes_after_expansion_max"] or 0) < 0.02,
                "sharpness_ratio>=0.8": all(
                    v["sharpness_ratio"] >= 0.8 for v in acc["novel_views_psnr"].values()
                ),
            }
        )
        sys.stderr.write(json.dumps(acc, default=float) + "\n")
    if "lift" in parts:
        lift = lift_cost([64, 128] if args.quick else [128, 256, 512])
        result["lift_and_gaussian_init"] = lift
        if "256" in lift["seconds"]:
            targets["lift_256<0.3s"] = lift["seconds"]["256"] < 0.3
    if "tiny" in parts:
        result["tiny_backends"] = tiny_backends(
            [64] if args.quick else [128, 256], 1 if args.quick else 4
        )
    if "size" in parts:
        sz = wnb_size(128 if args.quick else 512, 1 if args.quick else 4)
        result["wnb_size"] = sz
        targets["wnb_512_compact<=10MB"] = sz["size"] == 512 and sz["compact_mb"] <= 10
    if "perturb" in parts:
        with _executor.session(args):
            pert = perturbed(size, 2 if args.quick else args.views, args)
        result["perturb_executor"] = _executor.describe(args)
        result["perturb"] = pert
        targets.update({f"perturb_{k}": v for k, v in pert["targets"].items()})
    result["targets"] = targets
    print(json.dumps(result, indent=2, default=float))


if __name__ == "__main__":
    main()
