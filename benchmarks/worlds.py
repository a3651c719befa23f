"""Procedural-world rendering cost per dataset image: prints one JSON document.

Measured in one process, room by room, alternating the two looks so both see the same
machine load:

- reference ("flat"): ``sample_room(textures=False)`` and one ``worldnb.render`` of
  flat vertex colours, as ``render_dataset`` produced its images before materials and
  lighting (``look="flat"``);
- "lit": ``sample_room`` with procedural material textures, then ``render_room``
  (textured render + per-pixel lighting, albedo and surface maps).

Per image = (room sampling + rendering of all its views) / views, the cost a training
set pays. Room sampling (the layout planner) is shared by both and reported apart; the
"texturing" line is the extra time ``sample_room`` spends baking texture atlases.

Usage: ``python benchmarks/worlds.py [--rooms N] [--size S] [--views V] [--threads T]``.
The machine may be shared: ``--threads 1`` (default) measures the work itself.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np
import torch

from worldnb import render
from worldnb.worlds import ROOM_KINDS, render_room, room_cameras, room_mesh, sample_room


def _flat(kind, seed, size, views):
    t0 = time.perf_counter()
    scene = sample_room(kind, seed=seed, textures=False)
    t1 = time.perf_counter()
    cams = room_cameras(scene, views, size, np.random.default_rng([seed, 7]))
    shown = scene.copy()
    shown.layers["room"] = room_mesh(scene.room, scene.meta["floor_material"], ceiling=True)
    render(shown, cams, device="cpu")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def _lit(kind, seed, size, views):
    t0 = time.perf_counter()
    scene = sample_room(kind, seed=seed)
    t1 = time.perf_counter()
    cams = room_cameras(scene, views, size, np.random.default_rng([seed, 7]))
    render_room(scene, cams, seed=seed, device="cpu")
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rooms", type=int, default=5)
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--views", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    _flat("office", 999, 16, 1), _lit("office", 999, 16, 1)  # warm up imports and caches
    rows = {"flat": [], "lit": []}
    for i in range(args.rooms):
        kind = ROOM_KINDS[i % len(ROOM_KINDS)]
        for look, fn in (
            (("flat", _flat), ("lit", _lit)) if i % 2 == 0 else (("lit", _lit), ("flat", _flat))
        ):
            rows[look].append(fn(kind, 1000 + i, args.size, args.views))

    def per_image(look):
        return [(s + r) / args.views for s, r in rows[look]]

    flat, lit = per_image("flat"), per_image("lit")
    med = statistics.median
    out = {
        "benchmark": "worlds_render_per_image",
        "size": args.size,
        "views_per_room": args.views,
        "rooms": args.rooms,
        "threads": args.threads,
        "machine": platform.processor() or platform.machine(),
        "flat_s_per_image": round(med(flat), 4),
        "lit_s_per_image": round(med(lit), 4),
        "ratio_lit_to_flat": round(med(lit) / med(flat), 3),
        "sample_room_flat_s": round(med([s for s, _ in rows["flat"]]), 4),
        "sample_room_textured_s": round(med([s for s, _ in rows["lit"]]), 4),
        "texturing_s": round(
            med([a[0] - b[0] for a, b in zip(rows["lit"], rows["flat"], strict=True)]), 4
        ),
        "render_flat_s_per_view": round(med([r / args.views for _, r in rows["flat"]]), 4),
        "render_lit_s_per_view": round(med([r / args.views for _, r in rows["lit"]]), 4),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
