"""Layout planner and procedural worlds: correctness rates and solve times (prints JSON).

Usage:
    .venv/bin/python benchmarks/layout.py [--seeds 200] [--requests 50] [--baseline 20]

Sections:
- ``worlds``: ``sample_room`` over seeds × the 5 room kinds. Every scene is re-checked
  from its objects alone (the layout is rebuilt from the scene's boxes, not taken from
  the solver): collision-free, in bounds, openings clear, walkway connected (0.9 m);
  soft-constraint satisfaction (weighted and plain share); time per room.
- ``plan``: ``worldnb.layout.plan`` on a fixed set of requests (rooms and furniture
  lists drawn with fixed seeds, 8–10 pieces where the room kind allows; rooms grown
  when the pieces need more than 65 % of the floor); the same checks plus solve-time
  median / p95 (all requests, and solved ones) and which were infeasible.
- ``baseline``: a plain rejection sampler (uniform positions, 4 rotations, the same
  hard checks, restart on a dead end) on the first requests, same process: its
  success rate and time, and the planner's speed-up over it.
- ``catalog_vs_scannet``: catalog medians against real ScanNet boxes.

Timings are wall-clock on a shared CPU; rerun for stable figures. ``--executor ray
[--num-workers N] [--address A]`` solves the rooms and requests as Ray tasks (one each);
every time is still taken around the one room or request, on the worker that ran it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import _executor

from worldnb import catalog
from worldnb.catalog import ROOM_KINDS
from worldnb.errors import InfeasibleLayoutError, InputError
from worldnb.layout import constraints as C
from worldnb.layout import layout_from_scene, plan
from worldnb.layout.state import Layout, Placement, make_items
from worldnb.scene.io import load_vsibench
from worldnb.worlds import rooms as R
from worldnb.worlds import sample_room

CHECKS = {
    "collision_free": C.NoOverlap,
    "in_bounds": C.InsideRoom,
    "openings_clear": C.OpeningsClear,
    "walkway_connected": C.Walkway,
}


def recheck(scene) -> dict[str, bool]:
    """Hard rules re-measured on a layout rebuilt from the scene's object boxes."""
    lay, _ = layout_from_scene(scene)
    out = {}
    for key, cls in CHECKS.items():
        c = cls() if cls is not C.Walkway else C.Walkway(0.9)
        out[key] = not c.violations(lay)
    return out


def pct(xs) -> float:
    return round(100.0 * float(np.mean(xs)), 2) if len(xs) else float("nan")


def summary(times) -> dict:
    t = np.asarray(times)
    return {
        "median_s": round(float(np.median(t)), 3),
        "p95_s": round(float(np.percentile(t, 95)), 3),
        "max_s": round(float(t.max()), 3),
    }


def soft_shares(constraints: list[dict]) -> tuple[float, float, int, int]:
    soft = [c for c in constraints if not c["hard"]]
    w = sum(c["weight"] for c in soft)
    ws = sum(c["weight"] for c in soft if c["satisfied"])
    return ws, w, sum(c["satisfied"] for c in soft), len(soft)


def _world_row(kind: str, seed: int) -> dict | None:
    """One room of the worlds section (None: it could not be furnished)."""
    t0 = time.perf_counter()
    try:
        scene = sample_room(kind, seed=seed)
    except InfeasibleLayoutError:
        return None
    dt = time.perf_counter() - t0
    return {
        **recheck(scene),
        "time": dt,
        "score": scene.meta["layout_score"],
        "objects": len(scene.objects),
        "dropped": len(scene.meta["dropped"]),
        "l_shaped": len(scene.room.floor_xz) > 4,
    }


def bench_worlds(seeds: int, kinds=ROOM_KINDS, args=None) -> dict:
    rows = {k: [] for k in kinds}
    failures = []
    for kind in kinds:
        got = _executor.map_ordered(_world_row, [(kind, seed) for seed in range(seeds)], args,
                                    desc=kind, progress=True)  # fmt: skip
        for seed, row in enumerate(got):
            if row is None:
                failures.append(f"{kind} {seed}")
            else:
                rows[kind].append(row)
        # partial results survive an interrupted run
        print(json.dumps({kind: _world_summary(rows[kind])}), file=sys.stderr, flush=True)
    out = {"could_not_furnish": failures}
    allrows = [r for v in rows.values() for r in v]
    for name, rs in [*rows.items(), ("all", allrows)]:
        out[name] = _world_summary(rs)
    return out


def _world_summary(rs: list[dict]) -> dict:
    return {
        "rooms": len(rs),
        **{f"{k}_pct": pct([r[k] for r in rs]) for k in CHECKS},
        "soft_score_mean_pct": pct([r["score"] for r in rs]),
        "objects_mean": round(float(np.mean([r["objects"] for r in rs])), 2),
        "rooms_with_dropped_items_pct": pct([r["dropped"] > 0 for r in rs]),
        "l_shaped_pct": pct([r["l_shaped"] for r in rs]),
        "time_per_room": summary([r["time"] for r in rs]),
    }


def requests(n: int) -> list[tuple[str, object, list]]:
    """A fixed set of plan requests: (kind, room, items) with 8–10 pieces when the kind's
    furniture list allows (extras drawn from the kind's optional pieces), in rooms large
    enough by sample_room's floor budget."""
    out = []
    for i in range(n):
        kind = ROOM_KINDS[i % len(ROOM_KINDS)]
        rng = np.random.default_rng([4242, i])
        room = R.sample_shell(kind, rng)
        required, optional = R._FURNITURE[kind]
        names = list(required)
        pool = [w for w, _ in optional]
        target = int(rng.integers(8, 11))
        for j in rng.permutation(len(pool)):
            if len(names) >= target:
                break
            w = pool[j]
            names += list(w) if isinstance(w, tuple) else [w]
        stands = {"nightstand", "desk", "dresser"} & set(names)
        names = [m for m in names if m != "table lamp" or stands]
        if "monitor" in names and "desk" not in names:
            names.remove("monitor")
        # the room is grown (as a rectangle) when the pieces' floor needs (footprint plus
        # access zones, catalog mid sizes) exceed 65 % of it: the rule sample_room uses
        need = sum(R._need(m, catalog.entry(m).median_size) for m in names)
        if need > 0.65 * room.area:
            lo, hi = room.floor_xz.min(0), room.floor_xz.max(0)
            f = math.sqrt(need / (0.65 * room.area))
            room = R.sample_shell(kind, rng, tuple(np.round((hi - lo) * f, 2)))
        out.append((kind, room, names))
    return out


def _plan_row(i: int, room, names: list) -> dict:
    """One plan request: its solve time, and its checks or why it was infeasible."""
    t0 = time.perf_counter()
    try:
        res = plan(room, names, seed=i, time_limit=5.0)
    except InfeasibleLayoutError as err:
        return {"time": time.perf_counter() - t0, "infeasible": str(err)}
    dt = time.perf_counter() - t0
    return {"time": dt, "checks": recheck(res.scene), "soft": soft_shares(res.constraints)}


def bench_plan(reqs, args=None) -> dict:
    times, solved_times, rows, infeasible, sizes = [], [], [], [], []
    w_sat = w_all = n_sat = n_all = 0.0
    got = _executor.map_ordered(_plan_row, [(i, room, names) for i, (_k, room, names)
                                            in enumerate(reqs)], args, "plan", True)  # fmt: skip
    for i, ((_kind, _room, names), r) in enumerate(zip(reqs, got, strict=True)):
        sizes.append(len(names))
        times.append(r["time"])
        if "infeasible" in r:
            infeasible.append({"request": i, "items": names, "reason": r["infeasible"]})
            continue
        solved_times.append(r["time"])
        rows.append(r["checks"])
        a, b, c, d = r["soft"]
        w_sat, w_all, n_sat, n_all = w_sat + a, w_all + b, n_sat + c, n_all + d
    return {
        "requests": len(reqs),
        "pieces_per_request_mean": round(float(np.mean(sizes)), 2),
        "solved": len(rows),
        "infeasible": infeasible,
        **{f"{k}_pct": pct([r[k] for r in rows]) for k in CHECKS},
        "soft_satisfied_weighted_pct": round(100 * w_sat / max(w_all, 1e-9), 2),
        "soft_satisfied_count_pct": round(100 * n_sat / max(n_all, 1), 2),
        "solve_time": summary(times),
        "solve_time_solved_only": summary(solved_times) if solved_times else None,
        "_times": times,
    }


def rejection_sample(room, names, seed: int, time_limit: float) -> tuple[bool, float]:
    """Baseline: each piece at uniform random spots (4 rotations) until the hard rules
    hold; on a dead end (200 tries) start over. On-top pieces go on a random support."""
    rng = np.random.default_rng(seed)
    items = make_items(names)
    t0 = time.perf_counter()
    hard = [C.InsideRoom(), C.NoOverlap(), C.OpeningsClear(), C.AccessClear(), C.Walkway(0.9)]
    lo, hi = room.floor_xz.min(0), room.floor_xz.max(0)
    order = sorted(items, key=lambda it: {"floor": 0, "on_top": 1, "wall": 2}[it.placement])
    supports = {"tv": ["tv stand"], "table lamp": ["nightstand", "desk", "dresser"],
                "monitor": ["desk"], "microwave": ["counter"]}  # fmt: skip
    while time.perf_counter() - t0 < time_limit:
        lay = Layout(room, items)
        ok_all = True
        for it in order:
            placed = False
            for _ in range(200):
                if it.placement == "on_top":
                    cands = [
                        n for n in lay.placed if lay.items[n].category in supports[it.category]
                    ]
                    if not cands:
                        break
                    s = cands[int(rng.integers(len(cands)))]
                    p = lay.placements[s]
                    lay.place(it.name, Placement(p.x, p.z, p.yaw, lay.yrange(s)[1], s))
                else:
                    x, z = rng.uniform(lo, hi)
                    yaw = int(rng.integers(4)) * math.pi / 2
                    y = it.entry.mount[0] if it.placement == "wall" else 0.0
                    lay.place(it.name, Placement(float(x), float(z), yaw, y))
                if all(not c.violations(lay, only=it.name) for c in hard[:4]) and (
                    not it.blocks_floor or not hard[4].violations(lay)
                ):
                    placed = True
                    break
                lay.remove(it.name)
            if not placed:
                ok_all = False
                break
        if ok_all:
            return True, time.perf_counter() - t0
    return False, time.perf_counter() - t0


def bench_baseline(reqs, planner_times, limit: float, args=None) -> dict:
    tasks = [(room, names, i, limit) for i, (_kind, room, names) in enumerate(reqs)]
    got = _executor.map_ordered(rejection_sample, tasks, args, "baseline", True)
    ok, times = [s for s, _ in got], [t for _, t in got]
    pt = planner_times[: len(reqs)]
    return {
        "requests": len(reqs),
        "time_limit_s": limit,
        "success_pct": pct(ok),
        "time": summary(times),
        "planner_time_same_requests": summary(pt),
        "planner_speedup_median": round(float(np.median(times) / max(np.median(pt), 1e-9)), 2),
    }


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--baseline", type=int, default=20)
    ap.add_argument("--baseline-limit", type=float, default=3.0)
    ap.add_argument("--kinds", nargs="*", default=list(ROOM_KINDS), help="room kinds for worlds")
    ap.add_argument("--no-plan", action="store_true", help="skip the plan and baseline sections")
    ap.add_argument(
        "--vsibench",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "vsibench-meta",
        help="VSI-Bench's scannet_meta_info_val.json or its folder (default: shared data)",
    )
    _executor.add_arguments(ap, "rooms, plan requests and baseline requests are solved")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    out = {"benchmark": "layout", **_executor.describe(args)}
    reqs = requests(args.requests)
    with _executor.session(args):  # one Ray for every section
        _sections(out, reqs, args)
    out["wall_time_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=1))
    return out


def _sections(out: dict, reqs, args) -> None:
    if not args.no_plan:
        out["plan"] = bench_plan(reqs, args)
        times = out["plan"].pop("_times")
    if args.baseline and not args.no_plan:
        out["baseline"] = bench_baseline(reqs[: args.baseline], times, args.baseline_limit, args)
    try:
        out["catalog_vs_scannet"] = catalog.compare_sizes(load_vsibench(args.vsibench))
    except InputError as exc:  # the shared data may be absent outside this checkout
        out["catalog_vs_scannet"] = f"not run: {exc}"
    if args.seeds:
        out["worlds"] = bench_worlds(args.seeds, args.kinds, args)


if __name__ == "__main__":
    main()
