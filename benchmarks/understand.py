"""How well ``worldnb.understand`` recovers a room and its objects from one image.

Held-out procedural rooms: the built-in models' held-out set
(``worlds.render_dataset``, seeds >= 1,000,000, kinds in turn, lit and textured in the
training lighting styles, 3 cameras per room at eye height 1.2-1.7 m looking at a piece
of furniture, vertical field of view 55-75 degrees), rendered once into ``--data``
(the same files on any machine: the planner runs to its rules, not the clock). Every
view is understood under each condition below and compared with the true scene, in the
true frame (one image cannot know where the world's origin was: the estimate is moved
by the rigid motion between its input camera and the true camera).

Conditions, the error budget (same views, same protocol):
- ``oracle``: true depth and true segmentation: what the fitting itself costs;
- ``oracle_segmentation``: the built-in depth model, true segmentation: what depth costs;
- ``oracle_depth``: true depth, the built-in segmentation model: what segmenting costs;
- ``builtin``: both built-in models, end to end (the issue's headline row);
- ``perturbed_depth``: true segmentation, depth x0.95 with 2 % per-pixel noise.
The built-in models are the shipped weights, or the ``depth`` and ``segment`` folders
under ``--models`` (e.g. a training run's exports). The segmentation model names the
catalog's small things ``clutter``: those objects count as missed in its rows (the
``furniture`` detection numbers leave them out).

Numbers:
- 3D detection F1 at IoU 0.25 / 0.50 (yaw boxes, same label, greedy by IoU) over the
  objects >= 30 % in view (share of points of the true box inside the view frustum,
  and at least 20 pixels seen); predictions matched to less visible objects are
  ignored, others are false positives;
- floor IoU inside the view frustum's footprint (the visible part) and of the whole
  room; ceiling-height error; wall-count accuracy (walls detected == true walls with
  >= 0.5 % of the image's pixels);
- questions (VSI-Bench templates) about the visible objects, answered from the estimate
  and scored against the same question asked of the true scene (MRA for numbers,
  accuracy for choices): count, abs distance, object size, room size, rel distance,
  rel direction (easy / medium / hard pooled);
- speed: ``understand_scene`` on a 256² generated scene, without the model calls,
  against ``generate(n_views=0)`` with the same oracles in the same run.

Prints one JSON object. Usage: ``python benchmarks/understand.py [--rooms N]
[--size PX] [--data DIR] [--models DIR] [--conditions a,b] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import defaultdict
from itertools import permutations
from pathlib import Path

import numpy as np
import shapely

import worldnb
from worldnb import Camera, OrientedBox, Room, Scene, SceneObject, catalog, worlds
from worldnb.errors import WorldnbError
from worldnb.generation import (
    DepthPrediction,
    GenerationConfig,
    Segmentation,
    box_iou,
    generate,
    understand_scene,
)
from worldnb.spatial import ask
from worldnb.spatial.vsibench import LETTER, TEMPLATES, WORD, _choice_prompt, mra
from worldnb.testing import OracleDepth, OracleSegmenter, PerturbedDepth

KINDS = ("bedroom", "living_room", "dining_room", "office", "kitchen")
SEED0 = 1_000_000
CACHE = Path(__file__).parent / ".cache"


def _true_to(est: Scene, cam) -> tuple[np.ndarray, float]:
    T = cam.T_world_camera.astype(np.float64) @ np.linalg.inv(
        est.cameras["input"].T_world_camera.astype(np.float64)
    )
    return T, math.atan2(T[0, 2], T[0, 0])


def _moved(box: OrientedBox, T, dyaw) -> OrientedBox:
    return OrientedBox(T[:3, :3] @ box.center + T[:3, 3], box.size, box.yaw + dyaw)


def _in_view(box: OrientedBox, cam, instance, oid) -> float:
    g = (np.stack(np.meshgrid(*[np.linspace(-0.5, 0.5, 6)] * 3), -1).reshape(-1, 3)) * box.size
    pts = g @ box.rotation.T + box.center
    uv, z = cam.project(pts)
    inside = (z > 0) & (uv[:, 0] >= 0) & (uv[:, 0] < cam.width) & (uv[:, 1] >= 0)
    inside &= uv[:, 1] < cam.height
    if (instance == oid).sum() < 20:
        return 0.0
    return float(inside.mean())


def _frustum_floor(cam, room_poly, step=0.05) -> np.ndarray:
    """Floor grid points (x, z) that the camera sees (inside the frustum, in front)."""
    minx, miny, maxx, maxy = room_poly.buffer(1.0).bounds
    xs, zs = np.meshgrid(np.arange(minx, maxx, step), np.arange(miny, maxy, step))
    pts = np.c_[xs.ravel(), np.zeros(xs.size), zs.ravel()]
    uv, z = cam.project(pts)
    ok = (z > 0.05) & (uv[:, 0] >= 0) & (uv[:, 0] < cam.width) & (uv[:, 1] >= 0)
    ok &= uv[:, 1] < cam.height
    return pts[ok][:, [0, 2]]


def _floor_ious(est_poly, true_poly, grid) -> tuple[float, float]:
    full = est_poly.intersection(true_poly).area / max(est_poly.union(true_poly).area, 1e-9)
    if not len(grid):
        return float("nan"), full
    a = shapely.contains_xy(est_poly, grid[:, 0], grid[:, 1])
    b = shapely.contains_xy(true_poly, grid[:, 0], grid[:, 1])
    vis = float((a & b).sum() / max((a | b).sum(), 1))
    return vis, full


def _visible_walls(true: Scene, cam, seg, depth) -> int:
    wall = seg.semantic == seg.labels.index("wall")
    if not wall.any():
        return 0
    P = cam.unproject(np.where(depth > 0, depth, 0))[wall][:, [0, 2]]
    d = np.stack([w.distance_to(P) for w in true.room.walls], 1)
    counts = np.bincount(d.argmin(1), minlength=len(true.room.walls))
    return int((counts >= 0.005 * wall.size).sum())


def _detection(pred, visible, hidden):
    """(TP, FP, FN) at IoU 0.25 and 0.5."""
    out = {}
    for thr in (0.25, 0.5):
        pairs = sorted(
            ((box_iou(p.box, t.box), i, j) for i, p in enumerate(pred)
             for j, t in enumerate(visible + hidden) if p.label == t.label),
            reverse=True,
        )  # fmt: skip
        used_p, used_t = set(), set()
        tp = ignored = 0
        for iou, i, j in pairs:
            if iou < thr or i in used_p or j in used_t:
                continue
            used_p.add(i)
            used_t.add(j)
            if j < len(visible):
                tp += 1
            else:
                ignored += 1
        out[thr] = (tp, len(pred) - tp - ignored, len(visible) - tp)
    return out


def _questions(true: Scene, visible, rng) -> list[tuple[str, str, object]]:
    """(family, prompt, true answer value or letter) about the visible objects."""
    qs = []
    labels = defaultdict(list)
    for o in visible:
        labels[o.label].append(o)
    for lab in sorted(labels):
        qs.append(("count", f"{TEMPLATES['object_counting'].format(category=lab)}\n{WORD}",
                   len(labels[lab])))  # fmt: skip
    uniq = sorted(lab for lab, v in labels.items() if len(v) == 1)
    for lab in uniq[:5]:
        text = TEMPLATES["object_size_estimation"].format(category=lab)
        qs.append(("object_size", f"{text}\n{WORD}", None))
    pairs = [p for p in permutations(uniq, 2) if p[0] < p[1]]
    rng.shuffle(pairs)
    for a, b in pairs[:5]:
        text = TEMPLATES["object_abs_distance"].format(a=a, b=b)
        qs.append(("abs_distance", f"{text}\n{WORD}", None))
    qs.append(("room_size", f"{TEMPLATES['room_size_estimation']}\n{WORD}", None))
    if len(uniq) >= 4:
        for _ in range(3):
            pick = list(rng.choice(uniq, 4, replace=False))
            target, choices = pick[0], pick[1:]
            text = TEMPLATES["object_rel_distance"].format(choices=", ".join(choices),
                                                           target=target)  # fmt: skip
            qs.append(("rel_distance", _choice_prompt(text, choices), None))
    if len(uniq) >= 3:
        opts = {"easy": ["left", "right"], "medium": ["left", "right", "back"],
                "hard": ["front-left", "front-right", "back-left", "back-right"]}  # fmt: skip
        for lvl, options in opts.items():
            a, b, c = rng.choice(uniq, 3, replace=False)
            text = TEMPLATES[f"object_rel_direction_{lvl}"].format(a=a, b=b, c=c)
            qs.append(("rel_direction", _choice_prompt(text, options), None))
    out = []
    for fam, prompt, value in qs:
        if value is None:
            ans = ask(true, prompt, exact_labels=True)
            if not ans.ok:
                continue
            value = ans.choice if LETTER in prompt else ans.value
        out.append((fam, prompt, value))
    return out


def _score_questions(est: Scene, qs) -> dict[str, list[float]]:
    scores = defaultdict(list)
    for fam, prompt, truth in qs:
        ans = ask(est, prompt, exact_labels=True)
        if isinstance(truth, str):
            scores[fam].append(float(ans.choice == truth))
        else:
            scores[fam].append(mra(ans.value, float(truth)) if truth else float(ans.value == 0))
    return scores


def _visible_scene(true: Scene, visible) -> Scene:
    s = Scene(room=true.room)
    for o in visible:
        s.add_object(o.label, o.box, front=o.front, id=o.id)
    return s


CONDITIONS = ("oracle", "oracle_segmentation", "oracle_depth", "builtin", "perturbed_depth")


def heldout(rooms: int, size: int, folder: Path | None, views: int = 3) -> Path:
    """The held-out rooms rendered into ``folder`` (reused when it holds them)."""
    from worldnb.models.data import train_styles

    if folder is None:
        folder = CACHE / f"heldout-{rooms}x{views}-{size}px"
    folder = Path(folder)
    if (folder / "index.json").exists():
        return folder
    return worlds.render_dataset(rooms, folder, size=size, seed=SEED0, cameras_per_room=views,
                                 device="cpu", progress=False,
                                 lighting_styles=train_styles())  # fmt: skip


def _room_views(room_dir: Path):
    """(true scene, [(camera, rgb float, depth, instance)]) of one rendered room."""
    from PIL import Image

    meta = json.loads((room_dir / "scene.json").read_text())
    true = Scene(room=Room.from_dict(meta["room"]))
    for d in meta["objects"]:
        o = SceneObject.from_dict(d)
        true.add_object(o.label, o.box, front=o.front, id=o.id)
    cams = [Camera.from_dict(c) for c in json.loads((room_dir / "cameras.json").read_text())]
    out = []
    for v, cam in enumerate(cams):
        stem = room_dir / f"view_{v:02d}"
        rgb = np.asarray(Image.open(f"{stem}_rgb.png").convert("RGB"), np.float32) / 255.0
        depth = np.asarray(Image.open(f"{stem}_depth.png"), np.float32) / 1000.0
        inst = np.asarray(Image.open(f"{stem}_instance.png"), np.int32)
        out.append((cam, rgb, depth, inst))
    return true, out


def _true_segmentation(true: Scene, cam, depth, inst) -> Segmentation:
    """The true classes and instances (a perfect segmenter), from the rendered maps."""
    from worldnb.models.data import shell_labels
    from worldnb.testing import _openings_seen

    labels = ["none", "floor", "wall", "ceiling", "door", "window", *sorted(true.labels())]
    world = cam.unproject(np.where(depth > 0, depth, np.inf))
    sem = (shell_labels(world, true.room).astype(np.int32) + 1).astype(np.int32)
    sem = np.where(depth > 0, sem, _openings_seen(cam, true.room))
    lut = {o.id: labels.index(o.label) for o in true.objects}
    ids = np.where(inst > 0, inst, 0).astype(np.int32)
    for oid, k in lut.items():
        sem[ids == oid] = k
    ids = np.where(np.isin(ids, list(lut)), ids, 0).astype(np.int32)
    return Segmentation(sem.astype(np.int32), ids, labels, np.ones(sem.shape, np.float32))


def _builtin(models_dir: Path | None):
    from worldnb import models

    if models_dir is None:
        return models.load("depth"), models.load("segment"), "shipped weights"
    d, s = Path(models_dir) / "depth", Path(models_dir) / "segment"
    steps = json.loads((d / "config.json").read_text()).get("training", {}).get("steps")
    return models.load(str(d)), models.load(str(s)), f"{models_dir} (step {steps})"


def run(rooms: int, size: int, data: Path | None = None, models_dir: Path | None = None,
        conds=CONDITIONS) -> dict:  # fmt: skip
    folder = heldout(rooms, size, data)
    index = json.loads((folder / "index.json").read_text())
    need_models = any(c in ("oracle_segmentation", "oracle_depth", "builtin") for c in conds)
    m_depth, m_seg, m_name = _builtin(models_dir) if need_models else (None, None, None)
    det = {c: {k: {0.25: [0, 0, 0], 0.5: [0, 0, 0]} for k in ("all", "furniture")} for c in conds}
    floor_vis = defaultdict(list)
    floor_full = defaultdict(list)
    height_err = defaultdict(list)
    height_seen = defaultdict(list)
    walls_ok = defaultdict(list)
    found = defaultdict(list)
    times = defaultdict(list)
    qa = {c: defaultdict(list) for c in conds}
    n_views = n_visible = 0
    for r, entry in enumerate(index["rooms"][:rooms]):
        print(f"room {r + 1}/{rooms}", file=sys.stderr, flush=True)
        true, views = _room_views(folder / entry["dir"])
        rng = np.random.default_rng(SEED0 + r)
        for cam, rgb, depth, inst in views:
            n_views += 1
            share = {o.id: _in_view(o.box, cam, inst, o.id) for o in true.objects}
            visible = [o for o in true.objects if share[o.id] >= 0.3]
            hidden = [o for o in true.objects if 0 < share[o.id] < 0.3]
            n_visible += len(visible)
            qs = _questions(_visible_scene(true, visible), visible, rng)
            seg = _true_segmentation(true, cam, depth, inst)
            n_true_walls = _visible_walls(true, cam, seg, depth)
            grid = _frustum_floor(cam, true.room.polygon)
            oracle_d = DepthPrediction(depth, "metric", fov_deg=cam.fov_y_deg)
            backends = {
                "oracle": (lambda rgb, d=oracle_d: d, lambda rgb, s=seg: s),
                "oracle_segmentation": (m_depth, lambda rgb, s=seg: s),
                "oracle_depth": (lambda rgb, d=oracle_d: d, m_seg),
                "builtin": (m_depth, m_seg),
                "perturbed_depth": (
                    PerturbedDepth(lambda rgb, d=oracle_d: d, 0.95, 0.02, SEED0 + r),
                    lambda rgb, s=seg: s,
                ),
            }
            for c in conds:
                d_b, s_b = backends[c]
                t0 = time.perf_counter()
                est = generate(rgb, GenerationConfig(n_views=0), depth=d_b, segment=s_b,
                               progress=False)  # fmt: skip
                times[c].append(time.perf_counter() - t0)
                T, dyaw = _true_to(est, cam)
                u = est.meta["understand"]
                found[c].append(est.room is not None)
                pred = [o for o in est.objects]
                for o in pred:
                    o.box = _moved(o.box, T, dyaw)
                for k, keep in (("all", lambda o: True), ("furniture", _furniture)):
                    counts = _detection([o for o in pred if keep(o)],
                                        [o for o in visible if keep(o)],
                                        [o for o in hidden if keep(o)])  # fmt: skip
                    for thr, (tp, fp, fn) in counts.items():
                        for i, v in enumerate((tp, fp, fn)):
                            det[c][k][thr][i] += v
                if est.room is not None:
                    xz = est.room.floor_xz.astype(np.float64)
                    p3 = np.c_[xz[:, 0], np.zeros(len(xz)), xz[:, 1]] @ T[:3, :3].T + T[:3, 3]
                    vis, full = _floor_ious(shapely.Polygon(p3[:, [0, 2]]), true.room.polygon, grid)
                    floor_vis[c].append(vis)
                    floor_full[c].append(full)
                    err = abs(est.room.height - true.room.height)
                    height_err[c].append(err)
                    if u.get("height_source") == "ceiling":
                        height_seen[c].append(err)
                    walls_ok[c].append(float(u.get("walls_seen", 0) == n_true_walls))
                else:
                    floor_vis[c].append(0.0)
                    floor_full[c].append(0.0)
                    walls_ok[c].append(0.0)
                for fam, vals in _score_questions(est, qs).items():
                    qa[c][fam].extend(vals)

    def f1(tp, fp, fn):
        p = tp / max(tp + fp, 1)
        rc = tp / max(tp + fn, 1)
        return {"f1": 2 * p * rc / max(p + rc, 1e-9), "precision": p, "recall": rc,
                "tp": tp, "fp": fp, "fn": fn}  # fmt: skip

    def mean(v):
        return float(np.mean(v)) if len(v) else None

    results = {}
    for c in conds:
        fams = {f: {"n": len(v), "score": mean(v)} for f, v in sorted(qa[c].items())}
        results[c] = {
            "detection_iou25": f1(*det[c]["all"][0.25]),
            "detection_iou50": f1(*det[c]["all"][0.5]),
            "detection_furniture_iou25": f1(*det[c]["furniture"][0.25]),
            "detection_furniture_iou50": f1(*det[c]["furniture"][0.5]),
            "room_found": mean(found[c]),
            "floor_iou_visible": mean(floor_vis[c]),
            "floor_iou_full_room": mean(floor_full[c]),
            "height_abs_error_m": mean(height_err[c]),
            "height_abs_error_m_ceiling_seen": mean(height_seen[c]),
            "height_ceiling_seen_share": len(height_seen[c]) / max(len(height_err[c]), 1),
            "wall_count_accuracy": mean(walls_ok[c]),
            "qa": fams,
            "qa_mean": mean([v["score"] for v in fams.values()]),
            "seconds_per_view": mean(times[c]),
        }
    return {"rooms": rooms, "views": n_views, "visible_objects": n_visible, "size": size,
            "seeds": [SEED0, SEED0 + rooms - 1], "data": str(folder), "models": m_name,
            "conditions": results}  # fmt: skip


def _furniture(o) -> bool:
    try:
        return not catalog.entry(o.label).clutter
    except WorldnbError:
        return o.label != "clutter"


def speed(size: int = 256, repeats: int = 3) -> dict:
    true = worlds.sample_room("living_room", seed=SEED0 + 99, textures=False)
    shown = true.copy()
    shown.layers["room"] = catalog.room_mesh(true.room, ceiling=True)
    cam = worlds.room_cameras(true, 1, size, np.random.default_rng(0))[0]
    rgb = worldnb.render(shown, cam).rgb
    depth, seg = OracleDepth(shown, cam)(rgb), OracleSegmenter(shown, cam)(rgb)
    t_gen, t_und, cpu_und = [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        gen = generate(rgb, GenerationConfig(n_views=0, understand=False),
                       depth=lambda rgb: depth, segment=lambda rgb: seg,
                       progress=False)  # fmt: skip
        t1, c1 = time.perf_counter(), time.process_time()
        understand_scene(gen, seg)
        t2, c2 = time.perf_counter(), time.process_time()
        t_gen.append(t1 - t0)
        t_und.append(t2 - t1)
        cpu_und.append(c2 - c1)
    und, ref = float(np.median(t_und)), float(np.median(t_gen))
    # CPU seconds too: on a busy machine the wall time is mostly waiting for a core
    return {"image": f"{size}x{size}", "understand_s": und,
            "understand_cpu_s": float(np.median(cpu_und)),
            "reference_generate_n_views_0_s": ref, "ratio_to_reference": und / ref,
            "load_average_1min": os.getloadavg()[0], "cores": os.cpu_count(),
            "target_s": 1.0}  # fmt: skip


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rooms", type=int, default=10)
    ap.add_argument("--size", type=int, default=160)
    ap.add_argument("--data", type=Path, default=None,
                    help="held-out rendering folder (made if missing; default under "
                    "benchmarks/.cache)")  # fmt: skip
    ap.add_argument(
        "--models",
        type=Path,
        default=None,
        help="folder with depth/ and segment/ model folders (default: shipped)",
    )
    ap.add_argument("--conditions", default=",".join(CONDITIONS))
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--quick", action="store_true", help="2 rooms, 96 px, speed at 128 px")
    args = ap.parse_args(argv)
    conds = tuple(c.strip() for c in args.conditions.split(",") if c.strip())
    bad = [c for c in conds if c not in CONDITIONS]
    if bad:
        ap.error(f"--conditions: unknown {bad}; choose from {', '.join(CONDITIONS)}")
    t0 = time.perf_counter()
    if args.quick:
        out = run(2, 96, args.data, args.models, conds)
        if not args.no_speed:
            out["speed"] = speed(128, 1)
    else:
        out = run(args.rooms, args.size, args.data, args.models, conds)
        if not args.no_speed:
            out["speed"] = speed(256, 3)
    out["seconds"] = time.perf_counter() - t0
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
