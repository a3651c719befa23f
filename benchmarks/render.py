"""Rendering benchmark: prints one JSON document.

Measured in one process against the named references:

- mesh, 512², ~100k triangles vs Embree ray casting of the same depth map (trimesh
  with embreex, the ``bench`` extra; without it trimesh's pure-Python rays, and the
  JSON names the backend);
- points, 1M at 512²;
- Gaussians, 100k at 256²: forward, forward + backward, peak memory, vs the dense
  every-Gaussian-every-pixel reference;
- how cost grows with pixels and with primitives.

The ray caster and the dense Gaussian reference are too slow to run on a whole
frame here, so each runs on a random subset of pixels and is extrapolated linearly to
the frame (both cost the same per pixel, up to noise); the JSON says so.

Usage: ``python benchmarks/render.py [--quick] [--threads N]`` (``--quick``: small sizes,
a smoke run). The CPU may be shared with other work: times are medians of repeats, each
with the process CPU time it used, and a fixed matmul before and after shows the load.
On an oversubscribed machine ``--threads 1`` measures the work itself more faithfully.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import resource
import statistics
import sys
import time

import numpy as np
import torch
import trimesh

from worldnb import Camera
from worldnb.rendering import rasterize_gaussians, rasterize_mesh, splat_points
from worldnb.rendering._reference import reference_gaussians


def timed(fn, repeats=5, warmup=1):
    """Wall-clock median / min, and the process CPU time (all threads) per call."""
    for _ in range(warmup):
        fn()
    ts, cpu = [], []
    for _ in range(repeats):
        c, t = time.process_time(), time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {
        "median_s": statistics.median(ts),
        "min_s": min(ts),
        "cpu_s_per_call": statistics.median(cpu),
        "repeats": repeats,
    }


def current_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def calibration() -> dict:
    """A fixed workload, to judge how busy the shared CPU was."""
    a = torch.randn(1024, 1024)
    return {"matmul_1024_s": timed(lambda: a @ a, repeats=5)["median_s"]}


def terrain(n: int, size: float = 8.0, seed: int = 0):
    """A bumpy height field with 2 (n − 1)² triangles."""
    rng = np.random.default_rng(seed)
    x, z = np.meshgrid(np.linspace(-size / 2, size / 2, n), np.linspace(-size / 2, size / 2, n))
    y = 0.4 * np.sin(2 * x) * np.cos(1.5 * z) + 0.05 * rng.standard_normal(x.shape)
    V = np.stack([x, y, z], -1).reshape(-1, 3).astype(np.float32)
    i = np.arange(n * n).reshape(n, n)
    a, b, c, d = i[:-1, :-1], i[:-1, 1:], i[1:, :-1], i[1:, 1:]
    F = np.concatenate(
        [np.stack([a, c, b], -1).reshape(-1, 3), np.stack([b, c, d], -1).reshape(-1, 3)]
    )
    return V, F.astype(np.int32)


def wall_cpu(t: dict) -> dict:
    return {"wall_s": t["median_s"], "cpu_s": t["cpu_s_per_call"]}


def tris_to_grid(n_tris: int) -> int:
    return round((n_tris / 2) ** 0.5) + 1


def mesh_camera(size: int) -> Camera:
    return Camera.look_at((0, 3.0, 5.0), (0, 0, 0), width=size, height=size, fov_y_deg=60)


def scene_points(n: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    xyz = torch.rand(n, 3, generator=g) * torch.tensor([4.0, 2.5, 4.0]) - torch.tensor(
        [2.0, 0, 2.0]
    )
    return xyz, torch.rand(n, 3, generator=g)


def scene_gaussians(n: int, seed: int = 0):
    """Gaussians filling a room-sized box, a few centimetres each (activated parameters)."""
    g = torch.Generator().manual_seed(seed)
    means = torch.rand(n, 3, generator=g) * torch.tensor([4.0, 2.5, 4.0]) - torch.tensor(
        [2.0, 0, 2.0]
    )
    scales = torch.exp(torch.randn(n, 3, generator=g) * 0.3 + np.log(0.02))
    quats = torch.randn(n, 4, generator=g)
    opac = torch.sigmoid(torch.randn(n, generator=g))
    colors = torch.rand(n, 3, generator=g)
    return [means, quats, scales, opac, colors]


def gauss_camera(size: int) -> Camera:
    return Camera.look_at((0, 1.5, 4.0), (0, 1.0, 0), width=size, height=size, fov_y_deg=60)


# ---- mesh -----------------------------------------------------------------------------


def bench_mesh(size, n_tris, ray_subset, repeats):
    V, F = terrain(tris_to_grid(n_tris))
    cam = mesh_camera(size)
    K, T = cam.K, cam.T_camera_world
    Vt, Ft = torch.from_numpy(V), torch.from_numpy(F).long()
    ours = timed(lambda: rasterize_mesh(Vt, Ft, K, T, size, size), repeats)
    frags = rasterize_mesh(Vt, Ft, K, T, size, size)

    mesh = trimesh.Trimesh(V, F, process=False)
    rays = cam.pixel_rays().reshape(-1, 3).astype(np.float64) @ cam.T_world_camera[:3, :3].T
    embree = "embree" in type(mesh.ray).__module__
    if embree:  # fast enough for the whole frame; the scene (BVH) is built once, first
        sel = np.arange(len(rays))
    else:
        rng = np.random.default_rng(0)
        sel = rng.choice(len(rays), min(ray_subset, len(rays)), replace=False)
    origins = np.repeat(cam.position[None].astype(np.float64), len(sel), 0)
    t = time.perf_counter()
    mesh.ray.intersects_location(origins[:1], rays[sel[:1]], multiple_hits=False)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    loc, ri, _ = mesh.ray.intersects_location(origins, rays[sel], multiple_hits=False)
    t_sub = time.perf_counter() - t
    ref_full = t_sub * len(rays) / len(sel)
    # agreement on the subset
    ref = np.full(len(sel), np.inf)
    ref[ri] = (loc - cam.position) @ cam.T_world_camera[:3, :3][:, 2].astype(np.float64)
    mine = frags.depth.reshape(-1).numpy()[sel]
    both = np.isfinite(ref) & np.isfinite(mine)
    return {
        "size": [size, size],
        "triangles": len(F),
        "coverage": float((frags.face >= 0).float().mean()),
        "ours": ours,
        "trimesh_ray": {
            "backend": type(mesh.ray).__module__ + "." + type(mesh.ray).__name__,
            "rays_timed": len(sel),
            "seconds_for_subset": t_sub,
            "scene_build_s": t_build,
            "extrapolated_full_frame_s": ref_full,
            "note": "every ray of the frame, timed after the scene is built"
            if embree
            else "timed on a random subset of the frame's rays, extrapolated linearly",
        },
        "speedup_vs_trimesh": ref_full / ours["median_s"],
        "subset_agreement": {
            "coverage_equal": float((np.isfinite(ref) == np.isfinite(mine)).mean()),
            "median_abs_depth_diff_m": float(np.median(np.abs(ref[both] - mine[both]))),
        },
    }


# ---- points ---------------------------------------------------------------------------


def bench_points(size, n, repeats, radius=0.5):
    xyz, rgb = scene_points(n)
    cam = gauss_camera(size)
    out = timed(
        lambda: splat_points(xyz, cam.K, cam.T_camera_world, size, size, colors=rgb, radius=radius),
        repeats,
    )
    return {"size": [size, size], "points": n, "radius_px": radius, "ours": out}


# ---- Gaussians ------------------------------------------------------------------------


def _gauss_fwd(params, cam, size):
    with torch.no_grad():
        return rasterize_gaussians(*params, cam.K, cam.T_camera_world, size, size)


def _gauss_fwd_bwd(params, cam, size):
    ps = [p.detach().requires_grad_() for p in params]
    out = rasterize_gaussians(*ps, cam.K, cam.T_camera_world, size, size)
    (out.rgb.sum() + out.alpha.sum()).backward()
    return out


def _peak_worker(n, size, queue):
    """In a fresh process: peak resident memory of one forward + backward, over the
    resident memory just before it (inputs and libraries already loaded)."""
    params = scene_gaussians(n)
    cam = gauss_camera(size)
    before = current_rss_mb()
    out = _gauss_fwd_bwd(params, cam, size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        {
            "rss_before_mb": before,
            "peak_rss_mb": peak,
            "peak_extra_rss_mb": peak - before,
            "method": "getrusage maxrss minus VmRSS before, in a fresh process",
            "pairs": out.n_pairs,
        }
    )


def peak_memory(n, size):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_peak_worker, args=(n, size, q))
    p.start()
    res = q.get(timeout=600)
    p.join()
    return res


def bench_gaussians(size, n, ref_pixels, repeats):
    params = scene_gaussians(n)
    cam = gauss_camera(size)
    fwd = timed(lambda: _gauss_fwd(params, cam, size), repeats)
    fb = timed(lambda: _gauss_fwd_bwd(params, cam, size), repeats)
    pairs = _gauss_fwd(params, cam, size).n_pairs

    # dense reference on a subset of pixels (chunks of 128), extrapolated to the frame
    K = torch.as_tensor(cam.K)
    T = torch.as_tensor(cam.T_camera_world)
    pix = torch.randperm(size * size, generator=torch.Generator().manual_seed(0))[:ref_pixels]

    def ref_fwd():
        with torch.no_grad():
            for s in range(0, len(pix), 128):
                reference_gaussians(*params, K, T, size, size, pixels=pix[s : s + 128])

    def ref_fb():
        ps = [p.detach().requires_grad_() for p in params]
        for s in range(0, len(pix), 128):
            rgb, alpha, _ = reference_gaussians(*ps, K, T, size, size, pixels=pix[s : s + 128])
            (rgb.sum() + alpha.sum()).backward()

    scale = size * size / len(pix)
    r_fwd = timed(ref_fwd, repeats=1, warmup=0)["median_s"] * scale
    r_fb = timed(ref_fb, repeats=1, warmup=0)["median_s"] * scale
    # check the subset agrees with the fast image
    fast = _gauss_fwd(params, cam, size)
    with torch.no_grad():
        rgb, _, _ = reference_gaussians(*params, K, T, size, size, pixels=pix[:128])
    err = float((fast.rgb.reshape(-1, 3)[pix[:128]] - rgb).abs().max())
    return {
        "size": [size, size],
        "gaussians": n,
        "pairs_composited": pairs,
        "forward": fwd,
        "forward_backward": fb,
        "dense_reference": {
            "pixels_timed": len(pix),
            "extrapolated_forward_s": r_fwd,
            "extrapolated_forward_backward_s": r_fb,
            "note": "every Gaussian at every pixel, timed on a random pixel subset in "
            "chunks of 128 and extrapolated linearly to the frame",
            "max_abs_rgb_diff_on_128_pixels": err,
        },
        "speedup_forward_vs_dense": r_fwd / fwd["median_s"],
        "speedup_forward_backward_vs_dense": r_fb / fb["median_s"],
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    q = args.quick
    torch.manual_seed(0)
    R = 2 if q else 5
    res = {
        "benchmark": "rendering",
        "machine": {
            "cpu_threads": torch.get_num_threads(),
            "platform": platform.platform(),
            "torch": torch.__version__,
            "note": "CPU shared with other work while measuring: medians and minima of "
            "repeats are given; pass flags use the minimum (the least-disturbed run); "
            "speedups use medians",
        },
        "calibration_before": calibration(),
    }
    mesh_size, mesh_tris = (128, 10_000) if q else (512, 100_000)
    res["mesh"] = bench_mesh(mesh_size, mesh_tris, ray_subset=50 if q else 400, repeats=R)
    embree = "embree" in res["mesh"]["trimesh_ray"]["backend"]
    # 10x was the target against trimesh's pure-Python rays; against Embree (C++, a BVH,
    # SIMD packets) the ratio is reported, not targeted
    res["mesh"]["targets"] = {"max_s": 0.150, "min_speedup": None if embree else 10}
    res["mesh"]["pass"] = bool(
        res["mesh"]["ours"]["min_s"] < 0.150 and (embree or res["mesh"]["speedup_vs_trimesh"] >= 10)
    )
    n_pts, pts_size = (100_000, 128) if q else (1_000_000, 512)
    res["points"] = bench_points(pts_size, n_pts, R)
    res["points"]["radius_1px"] = bench_points(pts_size, n_pts, R, radius=1.0)["ours"]
    res["points"]["targets"] = {"max_s": 0.150}
    res["points"]["pass"] = bool(res["points"]["ours"]["min_s"] < 0.150)
    n_g, g_size = (10_000, 64) if q else (100_000, 256)
    gs = bench_gaussians(g_size, n_g, ref_pixels=128 if q else 512, repeats=2 if q else 3)
    gs["memory"] = peak_memory(n_g, g_size)
    gs["targets"] = {"forward_max_s": 1.0, "forward_backward_max_s": 3.0, "min_speedup": 20,
                     "peak_memory_max_mb": 4096}  # fmt: skip
    gs["pass"] = bool(
        gs["forward"]["min_s"] < 1.0
        and gs["forward_backward"]["min_s"] < 3.0
        and gs["speedup_forward_vs_dense"] >= 20
        and gs["memory"]["peak_extra_rss_mb"] < 4096
    )
    res["gaussians"] = gs

    # how cost grows (median seconds)
    sizes = [64, 128] if q else [128, 256, 512]
    res["scaling"] = {
        "mesh_vs_pixels": {
            f"{s}x{s}": wall_cpu(timed(lambda s=s: rasterize_mesh(*_mesh_args(mesh_tris, s)), R))
            for s in sizes
        },
        "mesh_vs_triangles_512": {
            str(n): wall_cpu(timed(lambda n=n: rasterize_mesh(*_mesh_args(n, mesh_size)), R))
            for n in ([2_500, 10_000] if q else [25_000, 50_000, 100_000, 200_000])
        },
        "points_vs_count": {
            str(n): wall_cpu(bench_points(pts_size, n, R)["ours"])
            for n in ([25_000, 100_000] if q else [250_000, 500_000, 1_000_000, 2_000_000])
        },
        "gaussians_forward_vs_pixels": {f"{s}x{s}": _gauss_scaling(n_g, s) for s in sizes},
        "gaussians_forward_vs_count_256": {
            str(n): _gauss_scaling(n, g_size)
            for n in ([2_500, 10_000] if q else [25_000, 50_000, 100_000, 200_000])
        },
    }
    res["calibration_after"] = calibration()
    json.dump(res, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _gauss_scaling(n, size):
    params, cam = scene_gaussians(n), gauss_camera(size)
    return wall_cpu(timed(lambda: _gauss_fwd(params, cam, size), 2))


_MESH_CACHE: dict = {}


def _mesh_args(n_tris, size):
    if n_tris not in _MESH_CACHE:
        V, F = terrain(tris_to_grid(n_tris))
        _MESH_CACHE[n_tris] = (torch.from_numpy(V), torch.from_numpy(F).long())
    cam = mesh_camera(size)
    return (*_MESH_CACHE[n_tris], cam.K, cam.T_camera_world, size, size)


if __name__ == "__main__":
    main()
