"""GPU parity: worldnb's rasterize_gaussians on CUDA vs ``gsplat.rasterization``.

Prints one JSON document: max |Δ| of RGB, alpha and expected depth (target ≤ 1e-3),
gradient agreement, and timings of both on the same GPU. Without CUDA it prints a
``skipped`` record and exits 0 (``make bench`` runs every benchmark).

Needs ``gsplat`` (1.5.3 was used; its CUDA kernels are compiled on first use, which
needs nvcc and can take minutes: that time is not counted).

Usage: ``python benchmarks/render_gpu_parity.py [--n 100000] [--size 256]``
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time

import torch


def gaussians(n: int, device, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    means = torch.rand(n, 3, generator=g) * torch.tensor([4.0, 2.5, 4.0]) - torch.tensor(
        [2.0, 0, 2.0]
    )
    scales = torch.exp(torch.randn(n, 3, generator=g) * 0.3 + math.log(0.02))
    quats = torch.randn(n, 4, generator=g)
    opac = torch.sigmoid(torch.randn(n, generator=g))
    colors = torch.rand(n, 3, generator=g)
    return [t.to(device) for t in (means, quats, scales, opac, colors)]


def camera(size: int, device):
    from worldnb import Camera

    cam = Camera.look_at((0, 1.5, 4.0), (0, 1.0, 0), width=size, height=size, fov_y_deg=60)
    K = torch.as_tensor(cam.K, device=device)
    T = torch.as_tensor(cam.T_camera_world, device=device)
    return K, T


def timed(fn, repeats=10):
    fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        ts.append(time.perf_counter() - t)
    ts.sort()
    return {"median_ms": 1000 * ts[len(ts) // 2], "min_ms": 1000 * ts[0]}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--size", type=int, default=256)
    args = ap.parse_args(argv)
    if not torch.cuda.is_available():
        print(json.dumps({"benchmark": "render_gpu_parity", "skipped": "no CUDA device"}))
        return 0
    import gsplat

    from worldnb.rendering import rasterize_gaussians

    dev = torch.device("cuda")
    W = H = args.size
    params = gaussians(args.n, dev)
    K, T = camera(args.size, dev)
    bg = torch.tensor([0.1, 0.2, 0.3], device=dev)

    def ours(ps):
        o = rasterize_gaussians(*ps, K, T, W, H, background=bg)
        return o.rgb, o.alpha, o.depth

    def theirs(ps):
        means, quats, scales, opac, colors = ps
        img, alpha, _ = gsplat.rasterization(
            means, quats, scales, opac, colors, T[None], K[None], W, H,
            near_plane=0.01, eps2d=0.3, render_mode="RGB+ED", rasterize_mode="classic",
            backgrounds=bg[None],
        )  # fmt: skip
        return img[0, ..., :3], alpha[0, ..., 0], img[0, ..., 3]

    t0 = time.perf_counter()
    theirs(params)  # compiles gsplat's kernels on first use
    torch.cuda.synchronize()
    first_call_s = time.perf_counter() - t0

    ps_a = [p.clone().requires_grad_() for p in params]
    ps_b = [p.clone().requires_grad_() for p in params]
    a, b = ours(ps_a), theirs(ps_b)
    w = torch.rand_like(a[0])
    (a[0] * w).sum().add(a[1].sum()).backward()
    (b[0] * w).sum().add(b[1].sum()).backward()
    dense = a[1] > 0.5
    res = {
        "benchmark": "render_gpu_parity",
        "device": torch.cuda.get_device_name(),
        "gaussians": args.n,
        "size": [W, H],
        "gsplat_version": gsplat.__version__,
        "max_abs_diff": {
            "rgb": float((a[0] - b[0]).abs().max()),
            "alpha": float((a[1] - b[1]).abs().max()),
            # gsplat's "ED" is already Σ w z / Σ w, as ours
            "expected_depth_where_alpha_gt_0.5": float((a[2][dense] - b[2][dense]).abs().max())
            if bool(dense.any())
            else None,
        },
        "gradients": {},
        "timing": {
            "ours_forward": timed(lambda: ours(params)),
            "gsplat_forward": timed(lambda: theirs(params)),
            "ours_forward_backward": timed(lambda: _fb(ours, params)),
            "gsplat_forward_backward": timed(lambda: _fb(theirs, params)),
            "gsplat_first_call_s": first_call_s,
        },
    }
    for name, pa, pb in zip(["means", "quats", "scales", "opacities", "colors"], ps_a, ps_b,
                            strict=True):  # fmt: skip
        ga, gb = pa.grad, pb.grad
        res["gradients"][name] = {
            "max_abs_diff": float((ga - gb).abs().max()),
            "max_abs": float(gb.abs().max()),
            "cosine": float(torch.nn.functional.cosine_similarity(ga.flatten(), gb.flatten(), 0)),
        }
    res["parity_within_1e-3"] = bool(
        res["max_abs_diff"]["rgb"] <= 1e-3 and res["max_abs_diff"]["alpha"] <= 1e-3
    )
    print(json.dumps(res, indent=2))
    return 0


def _fb(fn, params):
    ps = [p.detach().requires_grad_() for p in params]
    rgb, alpha, _ = fn(ps)
    (rgb.sum() + alpha.sum()).backward()


if __name__ == "__main__":
    sys.exit(main())
