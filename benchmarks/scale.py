"""Scale-out on Ray: throughput with 1 and 2 workers, per-task overhead against the
local executor, and a paper estimate for a 16-node cluster. Prints one JSON document.

Measured in one run on this machine (a local Ray with 2 CPUs on 127.0.0.1):

- rooms: ``worlds.render_dataset`` with ``executor="local"`` (the reference), then
  ``executor="ray"`` with ``num_workers`` 1 and 2 (one task per room); the Ray files
  are checked to be byte for byte the local ones.
- images: ``batch.generate_many`` with a tiny depth model (built from a config, no
  download) locally and on 1 and 2 Ray actors; worker seconds per image come from the
  manifest, the rest of the wall time is actor start-up and model loading.
- every run is timed after a warm-up (imports, caches, Ray's worker processes), and
  the local run uses one torch thread (``--threads``), as a 1-CPU Ray worker does.
- overhead: empty tasks through ``worldnb.parallel.imap_unordered`` (Ray round trip
  per task) and per room (Ray with 1 worker minus local, per room).

The 16-node estimate multiplies the measured single-worker cost per item by the
cluster's workers and caps it by what the driver can take in and send out: every room /
scene comes back to the driver as bytes (measured size) over its network link (assumed,
see ``--nic-gbit``) and is written to its disk (measured here), every input image goes
out over the same link (measured size), and each task costs the driver the measured
per-task overhead. The smallest of those is the estimate; its ``from`` block lists each
number it used. Actor start-up and model loading (measured, ``startup_and_load_s``) are
paid once per actor, all actors at once: a fixed delay, not a rate.

Usage: ``python benchmarks/scale.py [--rooms N] [--images N] [--size S] [--nodes 16]
[--cores-per-node 32] [--nic-gbit 10]``. Timings on a shared CPU are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import worldnb
from worldnb.batch import generate_many
from worldnb.parallel import imap_unordered, ray_session
from worldnb.testing import build_tiny_depth_model
from worldnb.worlds import render_dataset


def _noop(i):
    return i


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def _disk_write_bytes_per_s(folder: Path, mb: int = 64) -> float:
    data = os.urandom(mb << 20)
    t0 = time.perf_counter()
    with open(folder / "write_probe.bin", "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    dt = time.perf_counter() - t0
    (folder / "write_probe.bin").unlink()
    return len(data) / dt


def _estimate(per_item_s, bytes_out, bytes_in, task_overhead_s, disk_bps, args) -> dict:
    """Items/s of ``args.nodes`` × ``args.cores_per_node`` workers: the least of what
    the workers compute and what the driver can take in and send out. Every input is a
    number measured in this run except the cluster's size and the driver's link."""
    workers = args.nodes * args.cores_per_node
    nic_bps = args.nic_gbit * 1.25e8
    limits = {
        "compute (workers / seconds per item)": workers / per_item_s,
        "driver network in (NIC / result bytes per item)": nic_bps / bytes_out,
        "driver disk (write rate / result bytes per item)": disk_bps / bytes_out,
        "driver per-task overhead (1 / overhead)": 1.0 / task_overhead_s,
    }
    if bytes_in:  # what the driver sends each task (a link is full duplex: its own limit)
        limits["driver network out (NIC / input bytes per item)"] = nic_bps / bytes_in
    name = min(limits, key=limits.get)
    return {
        "from": {  # measured here (seconds, bytes) and assumed (workers, link)
            "seconds_per_item_one_worker": per_item_s,
            "result_bytes_per_item": bytes_out,
            "input_bytes_per_item": bytes_in,
            "driver_seconds_per_task": task_overhead_s,
            "driver_disk_write_bytes_per_s": disk_bps,
            "workers (assumed)": workers,
            "driver_nic_bytes_per_s (assumed)": nic_bps,
        },
        "workers": workers,
        "items_per_s": limits[name],
        "bottleneck": name,
        "limits_items_per_s": limits,
        "speedup_vs_one_worker_here": limits[name] * per_item_s,
    }


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rooms", type=int, default=6, help="rooms per run")
    ap.add_argument("--size", type=int, default=64, help="room image size (pixels)")
    ap.add_argument("--views", type=int, default=2, help="views per room")
    ap.add_argument("--images", type=int, default=8, help="images per generate_many run")
    ap.add_argument("--noop", type=int, default=200, help="empty tasks for the overhead")
    ap.add_argument("--nodes", type=int, default=16, help="nodes in the paper estimate")
    ap.add_argument("--cores-per-node", type=int, default=32, help="workers per node (estimate)")
    ap.add_argument("--nic-gbit", type=float, default=10.0, help="driver link, Gbit/s (estimate)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads of the local run")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)  # a Ray worker with 1 CPU runs 1 thread too
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    tmp = Path(tempfile.mkdtemp(prefix="worldnb-scale-"))
    ds = {"n": args.rooms, "size": args.size, "cameras_per_room": args.views, "seed": 0,
          "progress": False}  # fmt: skip
    cfg = worldnb.GenerationConfig(n_views=0, refine_iters=0, max_side=128)
    model = str(build_tiny_depth_model(tmp / "tiny-dpt", "dpt"))
    rng = np.random.default_rng(0)
    images = []
    for i in range(args.images):
        p = tmp / f"in_{i}.png"
        Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(p)
        images.append(p)
    image_bytes = statistics.mean(p.stat().st_size for p in images)  # sent to a worker each

    def gen(out, **kw):
        res, wall = _timed(generate_many, images, tmp / out, cfg, depth=model, progress=False,
                           **kw)  # fmt: skip
        assert res.counts["failed"] == 0, res.failed
        worker_s = [it.seconds for it in res.items]
        return {
            "wall_s": wall,
            "images_per_s": len(images) / wall,
            "worker_s_per_image": statistics.median(worker_s),
            "startup_and_load_s": max(0.0, wall - sum(worker_s) / kw.get("num_workers", 1)),
            "wnb_bytes_per_image": statistics.mean(p.stat().st_size for p in res.paths),
        }

    warm = {**ds, "n": 2}  # imports, caches and (on Ray) both workers' first task
    render_dataset(out_dir=tmp / "warm_local", **warm)
    local_out, local_s = _timed(render_dataset, out_dir=tmp / "local", **ds)
    local_tree = _tree(local_out)
    room_bytes = sum(map(len, local_tree.values())) / args.rooms
    list(imap_unordered(_noop, [(i,) for i in range(args.noop)], progress=False))
    _, noop_local = _timed(lambda: list(imap_unordered(_noop, [(i,) for i in range(args.noop)],
                                                       progress=False)))  # fmt: skip
    gen_local = gen("gen_local")
    t0 = time.perf_counter()
    with ray_session(num_workers=2):
        ray_start_s = time.perf_counter() - t0
        render_dataset(out_dir=tmp / "warm_ray", executor="ray", num_workers=2, **warm)
        rooms, identical = {}, True
        for w in (1, 2):
            out, wall = _timed(render_dataset, out_dir=tmp / f"ray{w}", executor="ray",
                               num_workers=w, **ds)  # fmt: skip
            identical &= _tree(out) == local_tree
            rooms[w] = {"wall_s": wall, "rooms_per_s": args.rooms / wall}
        noop = {}
        for w in (1, 2):
            _, wall = _timed(lambda w=w: list(imap_unordered(
                _noop, [(i,) for i in range(args.noop)], executor="ray", num_workers=w,
                progress=False)))  # fmt: skip
            noop[w] = wall / args.noop
        gens = {w: gen(f"gen_ray{w}", executor="ray", num_workers=w) for w in (1, 2)}
    disk_bps = _disk_write_bytes_per_s(tmp)
    per_room_1 = rooms[1]["wall_s"] / args.rooms
    per_image_1 = gens[1]["worker_s_per_image"]
    driver_task_s = noop[2]
    result = {
        "benchmark": "scale",
        "worldnb": worldnb.__version__,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "ray_start_s": ray_start_s,
        "rooms": {
            "n": args.rooms,
            "size": args.size,
            "views": args.views,
            "local": {"wall_s": local_s, "rooms_per_s": args.rooms / local_s},
            "ray_1_worker": rooms[1],
            "ray_2_workers": rooms[2],
            "ray_identical_to_local": identical,
            "bytes_per_room": room_bytes,
            "ratio_ray1_vs_local": rooms[1]["rooms_per_s"] / (args.rooms / local_s),
            "speedup_2_vs_1_workers": rooms[2]["rooms_per_s"] / rooms[1]["rooms_per_s"],
        },
        "images": {
            "n": args.images,
            "local": gen_local,
            "ray_1_worker": gens[1],
            "ray_2_workers": gens[2],
            "ratio_ray1_vs_local": gens[1]["images_per_s"] / gen_local["images_per_s"],
            "speedup_2_vs_1_workers": gens[2]["images_per_s"] / gens[1]["images_per_s"],
        },
        "overhead": {
            "empty_task_local_s": noop_local / args.noop,
            "empty_task_ray_1_worker_s": noop[1],
            "empty_task_ray_2_workers_s": noop[2],
            "ratio_ray_vs_local_empty_task": noop[1] / (noop_local / args.noop),
            "per_room_s_ray1_minus_local": per_room_1 - local_s / args.rooms,
            "per_room_fraction": (per_room_1 - local_s / args.rooms) / per_room_1,
        },
        "driver_disk_write_bytes_per_s": disk_bps,
        "estimate_16_nodes": {
            "assumptions": {
                "nodes": args.nodes,
                "workers_per_node": args.cores_per_node,
                "driver_nic_gbit_s": args.nic_gbit,
                "per_item_cost": "this machine's single Ray worker (1 thread) per item",
            },
            # a room task gets (kind, seed, options): its input bytes are negligible
            "rooms": _estimate(per_room_1, room_bytes, 0, driver_task_s, disk_bps, args),
            "images": _estimate(
                per_image_1,
                gens[1]["wnb_bytes_per_image"],
                image_bytes,
                driver_task_s,
                disk_bps,
                args,
            ),
        },
        "notes": "2 CPUs shared with other jobs: speed-ups below 2 are the machine, not Ray. "
        "The estimate ignores model loading (once per actor) and Ray start-up.",
    }
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
