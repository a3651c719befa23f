"""A VSI-Bench harness: build the benchmark's questions from its meta info, ask them,
score them with its metrics.

VSI-Bench ("Thinking in Space", Yang et al. 2024) asks questions about indoor scenes
built from 3D annotations. :func:`questions` builds them for any ``meta_info`` JSON
(scene → ``object_counts``, ``object_bbox``, ``room_size``), word for word in the
benchmark's templates, with its answer-format lines and, for choices, an ``Options:``
block. :func:`evaluate` asks them (``ask(..., exact_labels=True)``: the benchmark
counts exact labels) and scores numbers by mean relative accuracy (MRA over
θ = 0.50, 0.55, ..., 0.95) and choices by accuracy, per task.

Generation rules (the paper's: objects named in distance, size and direction
questions occur once in the scene; counts, sizes and distances as its definitions;
the thresholds that keep a question unambiguous are ours where the paper gives none,
and are listed here):

- ``object_counting``: every category with at least 2 instances; a category whose
  published count disagrees with its number of boxes is skipped (no single answer).
- ``object_abs_distance``: pairs of unique objects at least 0.1 m apart (closest
  points; relative error means little below that); up to 5 per scene.
- ``object_size_estimation``: unique objects, longest side in cm; up to 5 per scene.
- ``room_size_estimation``: the published floor area, once per scene.
- ``object_rel_distance``: a unique target and 4 other categories (3 when the scene
  has fewer); a category's distance is its nearest instance's; the closest must be
  clearly closest (next one ≥ 0.15 m and ≥ 15 % farther); up to 3 per scene.
- ``object_rel_direction_easy`` / ``_medium`` / ``_hard``: unique objects A, B, C with
  A–B and A–C at least 0.5 m apart on the floor; the bearing of C stays 15° away from
  every boundary of the answer (ahead/behind for left/right, ±135° for back, the axes
  for quadrants); up to 3 per level and scene.
- ``route_plan``: unique start, facing, waypoint and goal objects, legs at least 0.5 m,
  every turn 20° away from straight ahead, from ±135° and from straight back; 1 or 2
  turns to fill in, 4 options (fewer when fewer exist); up to 2 per scene.
  VSI-Bench's own route plans were written by people walking the videos; these are
  generated from the boxes with the benchmark's wording.

Appearance order (it needs the video) is not generated.

Geometry: ``boxes="fit"`` (default) takes sizes and distances from the boxes
:func:`worldnb.scene.io.load_vsibench` builds (yaw-only boxes fit around the published
ones, the boxes a loaded scene holds); ``boxes="published"`` from the published
oriented boxes themselves (closest points by a convex program), which measures what
the yaw-only fit costs. Directions use the published centroids on the floor.

Example:
    >>> from worldnb.scene.io import load_vsibench
    >>> meta = read_vsibench_meta(PATH)  # doctest: +SKIP
    >>> qs = questions(meta, families=["object_counting"])  # doctest: +SKIP
    >>> evaluate(load_vsibench(PATH), qs).families["object_counting"]["score"]  # doctest: +SKIP
    1.0
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..parallel import EXECUTORS, check_executor, imap_unordered
from ..scene import Scene
from ..scene.io.vsibench import (
    box_from_scannet,
    check_vsibench_entry,
    read_vsibench_meta,
    scannet_corners,
)
from .measures import distance
from .questions import ask

__all__ = [
    "FAMILIES",
    "THRESHOLDS",
    "Evaluation",
    "Question",
    "evaluate",
    "mra",
    "questions",
]

#: the tasks generated, in the benchmark's order
FAMILIES = (
    "object_counting",
    "object_abs_distance",
    "object_size_estimation",
    "room_size_estimation",
    "object_rel_distance",
    "object_rel_direction_easy",
    "object_rel_direction_medium",
    "object_rel_direction_hard",
    "route_plan",
)
NUMERIC = FAMILIES[:4]
#: MRA's confidence thresholds (VSI-Bench: ``np.linspace(0.5, 0.95, 11)``)
THRESHOLDS = np.linspace(0.5, 0.95, 11)

WORD = "Please answer the question using a single word or phrase."
LETTER = "Answer with the option's letter from the given choices directly."
TEMPLATES = {
    "object_counting": "How many {category}(s) are in this room?",
    "object_abs_distance": "Measuring from the closest point of each object, what is the direct "
    "distance between the {a} and the {b} (in meters)?",
    "object_size_estimation": "What is the length of the longest dimension (length, width, or "
    "height) of the {category}, measured in centimeters?",
    "room_size_estimation": "What is the size of this room (in square meters)? If multiple rooms "
    "are shown, estimate the size of the combined space.",
    "object_rel_distance": "Measuring from the closest point of each object, which of these "
    "objects ({choices}) is the closest to the {target}?",
    "object_rel_direction_easy": "If I am standing by the {a} and facing the {b}, is the {c} to "
    "the left or the right of the {b}?",
    "object_rel_direction_medium": "If I am standing by the {a} and facing the {b}, is the {c} to "
    "my left, right, or back? An object is to my back if I would have to turn at least 135 "
    "degrees in order to face it directly.",
    "object_rel_direction_hard": "If I am standing by the {a} and facing the {b}, is the {c} to "
    "my front-left, front-right, back-left, or back-right? The directions refer to the "
    "quadrants of a Cartesian plane (if I am standing at the origin and facing along the "
    "positive y-axis).",
    "route_plan": "You are a robot beginning at the {start} facing the {facing}. You want to "
    "navigate to the {goal}. You will perform the following actions (Note: for each [please "
    "fill in], choose either 'turn back,' 'turn left,' or 'turn right.'): {steps} You have "
    "reached the final destination.",
}
_LIMITS = {
    "object_abs_distance": 5,
    "object_size_estimation": 5,
    "object_rel_distance": 3,
    "object_rel_direction_easy": 3,
    "object_rel_direction_medium": 3,
    "object_rel_direction_hard": 3,
    "route_plan": 2,
}


@dataclass(frozen=True)
class Question:
    """One benchmark question with its answer.

    Attributes:
        id: ``"<scene>/<family>/<n>"``.
        scene: the scene name (``scene.meta["scene"]`` of a loaded scene).
        family: the task (one of :data:`FAMILIES`).
        question: the prompt, verbatim: question, options block, answer-format line.
        answer: the number (numeric tasks) or the option letter.
        options: the options' texts, in letter order (choice tasks), else empty.
    """

    id: str
    scene: str
    family: str
    question: str
    answer: float | str
    options: tuple[str, ...] = ()

    @property
    def is_numeric(self) -> bool:
        """Whether the answer is a number (scored by mean relative accuracy) rather than a
        choice (scored by exact match)."""
        return self.family in NUMERIC

    def to_dict(self) -> dict:
        """This question as a plain dict (a line of the benchmark's JSONL)."""
        return asdict(self)


def mra(pred, gt: float) -> float:
    """Mean relative accuracy: the share of θ in :data:`THRESHOLDS` with
    ``|pred − gt| / |gt| ≤ 1 − θ``; 0 for a missing or non-numeric prediction.

    Example:
        >>> mra(1.04, 1.0), mra(1.2, 1.0), mra(None, 1.0)
        (1.0, 0.6363636363636364, 0.0)
    """
    if pred is None or isinstance(pred, bool) or not isinstance(pred, int | float):
        return 0.0
    rel = abs(float(pred) - gt) / abs(gt)
    return float(np.mean(rel <= 1 - THRESHOLDS))


# ---- geometry of the published boxes ------------------------------------------------------
class _Obj:
    """One published object: label, fitted box, published corners (y-up), floor centroid."""

    def __init__(self, label: str, b: dict):
        self.label = label
        self.box = box_from_scannet(b)
        self.corners = scannet_corners(b)
        self.longest = float(np.max(b["axesLengths"]))
        self.xz = self.corners[:, [0, 2]].mean(0)  # the centroid on the floor, y-up (x, z)


def _convex_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Closest-point distance of the convex hulls of two corner sets (a small QP)."""
    from scipy.optimize import minimize

    n, m = len(a), len(b)

    def f(x):
        d = x[:n] @ a - x[n:] @ b
        return d @ d, np.concatenate([2 * a @ d, -2 * b @ d])

    cons = [
        {"type": "eq", "fun": lambda x: x[:n].sum() - 1},
        {"type": "eq", "fun": lambda x: x[n:].sum() - 1},
    ]
    x0 = np.concatenate([np.full(n, 1 / n), np.full(m, 1 / m)])
    r = minimize(f, x0, jac=True, bounds=[(0, 1)] * (n + m), constraints=cons, method="SLSQP")
    return float(math.sqrt(max(r.fun, 0.0)))


def _bearing(a: _Obj, b: _Obj, c: _Obj) -> float:
    """Degrees from the a→b heading to a→c on the floor, right positive (y up)."""
    f, v = b.xz - a.xz, c.xz - a.xz
    right = np.array([-f[1], f[0]])
    return math.degrees(math.atan2(float(v @ right), float(v @ f)))


def _turn(h_in: np.ndarray, h_out: np.ndarray) -> tuple[str, float]:
    right = np.array([-h_in[1], h_in[0]])
    ang = math.degrees(math.atan2(float(h_out @ right), float(h_out @ h_in)))
    if abs(ang) >= 135:
        return "turn back", ang
    return ("turn right" if ang > 0 else "turn left"), ang


def _choice_prompt(text: str, options: Sequence[str]) -> str:
    lines = [f"{'ABCDEFGH'[i]}. {o}" for i, o in enumerate(options)]
    return text + "\nOptions:\n" + "\n".join(lines) + "\n" + LETTER


# ---- question generation -------------------------------------------------------------------
def _scene_questions(name: str, info: dict, fams: set, rng, boxes: str) -> list[Question]:
    bboxes, _ = check_vsibench_entry(name, info)
    objs = [_Obj(lab, b) for lab in sorted(bboxes) for b in bboxes[lab]]
    by_label: dict[str, list[_Obj]] = defaultdict(list)
    for o in objs:
        by_label[o.label].append(o)
    uniq = [v[0] for v in by_label.values() if len(v) == 1]
    dcache: dict = {}

    def dist(a: _Obj, b: _Obj) -> float:
        k = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        if k not in dcache:
            dcache[k] = (
                _convex_distance(a.corners, b.corners)
                if boxes == "published"
                else distance(a.box, b.box)
            )
        return dcache[k]

    def size(o: _Obj) -> float:
        return o.longest if boxes == "published" else float(max(o.box.size))

    out: list[Question] = []

    def add(fam: str, text: str, answer, options=()) -> None:
        n = sum(q.family == fam for q in out)
        out.append(Question(f"{name}/{fam}/{n}", name, fam, text, answer, tuple(options)))

    if "object_counting" in fams:
        counts = info.get("object_counts", {})
        for lab, inst in sorted(by_label.items()):
            n = int(counts.get(lab, len(inst)))
            if n >= 2 and n == len(inst):
                add("object_counting", TEMPLATES["object_counting"].format(category=lab), n)
    order = list(rng.permutation(len(uniq)))
    shuffled = [uniq[i] for i in order]
    if "object_abs_distance" in fams:
        pairs = [(a, b) for i, a in enumerate(shuffled) for b in shuffled[i + 1 :]]
        for a, b in pairs:
            if (
                sum(q.family == "object_abs_distance" for q in out)
                >= _LIMITS["object_abs_distance"]
            ):
                break
            d = dist(a, b)
            if d >= 0.1:
                text = TEMPLATES["object_abs_distance"].format(a=a.label, b=b.label)
                add("object_abs_distance", f"{text}\n{WORD}", round(d, 4))
    if "object_size_estimation" in fams:
        for o in shuffled[: _LIMITS["object_size_estimation"]]:
            text = TEMPLATES["object_size_estimation"].format(category=o.label)
            add("object_size_estimation", f"{text}\n{WORD}", round(size(o) * 100, 2))
    if "room_size_estimation" in fams:
        area = float(info["room_size"])
        add("room_size_estimation", f"{TEMPLATES['room_size_estimation']}\n{WORD}", round(area, 3))
    if "object_rel_distance" in fams:
        for x in shuffled:
            if (
                sum(q.family == "object_rel_distance" for q in out)
                >= _LIMITS["object_rel_distance"]
            ):
                break
            others = sorted(lab for lab in by_label if lab != x.label)
            if len(others) < 3:
                break
            pick = list(rng.choice(others, size=min(4, len(others)), replace=False))
            dmin = {lab: min(dist(x, o) for o in by_label[lab]) for lab in pick}
            ranked = sorted(pick, key=dmin.get)
            d0, d1 = dmin[ranked[0]], dmin[ranked[1]]
            if d1 - d0 < 0.15 or d1 < 1.15 * d0:
                continue
            text = TEMPLATES["object_rel_distance"].format(choices=", ".join(pick), target=x.label)
            add("object_rel_distance", _choice_prompt(text, pick), "ABCD"[pick.index(ranked[0])])
    levels = {
        "object_rel_direction_easy": ["left", "right"],
        "object_rel_direction_medium": ["left", "right", "back"],
        "object_rel_direction_hard": ["front-left", "front-right", "back-left", "back-right"],
    }
    if any(f in fams for f in levels):
        trips = [
            (a, b, c)
            for a in shuffled
            for b in shuffled
            for c in shuffled
            if len({id(a), id(b), id(c)}) == 3
        ]
        for k in rng.permutation(len(trips)):
            a, b, c = trips[int(k)]
            if np.linalg.norm(b.xz - a.xz) < 0.5 or np.linalg.norm(c.xz - a.xz) < 0.5:
                continue
            ang = _bearing(a, b, c)
            for fam, opts in levels.items():
                if fam not in fams or sum(q.family == fam for q in out) >= _LIMITS[fam]:
                    continue
                side = "right" if ang > 0 else "left"
                if fam.endswith("easy"):
                    if min(abs(ang), 180 - abs(ang)) < 15:
                        continue
                    gt = side
                elif fam.endswith("medium"):
                    if min(abs(ang), 180 - abs(ang), abs(abs(ang) - 135)) < 15:
                        continue
                    gt = "back" if abs(ang) >= 135 else side
                else:
                    if min(abs(ang), abs(abs(ang) - 90), 180 - abs(ang)) < 15:
                        continue
                    gt = ("front" if abs(ang) < 90 else "back") + "-" + side
                text = TEMPLATES[fam].format(a=a.label, b=b.label, c=c.label)
                add(fam, _choice_prompt(text, opts), "ABCD"[opts.index(gt)])
                break
            if all(f not in fams or sum(q.family == f for q in out) >= _LIMITS[f] for f in levels):
                break
    if "route_plan" in fams and len(shuffled) >= 4:
        for _ in range(40):
            if sum(q.family == "route_plan" for q in out) >= _LIMITS["route_plan"]:
                break
            a, b, w, g = (shuffled[int(i)] for i in rng.choice(len(shuffled), 4, replace=False))
            first_turn = bool(rng.integers(2))
            legs = []
            if first_turn:
                legs.append(_turn(b.xz - a.xz, w.xz - a.xz))
            legs.append(_turn(w.xz - a.xz, g.xz - w.xz))
            if any(abs(t) < 20 or abs(abs(t) - 135) < 20 or abs(t) > 160 for _, t in legs):
                continue
            if min(np.linalg.norm(w.xz - a.xz), np.linalg.norm(g.xz - w.xz)) < 0.5:
                continue
            if first_turn and np.linalg.norm(b.xz - a.xz) < 0.5:
                continue
            turns = tuple(t for t, _ in legs)
            if first_turn:
                steps = (
                    f"1. [please fill in] 2. Go forward until the {w.label} "
                    f"3. [please fill in] 4. Go forward until the {g.label}."
                )
            else:
                steps = (
                    f"1. Go forward until the {w.label} 2. [please fill in] "
                    f"3. Go forward until the {g.label}."
                )
            pool = {turns}
            while len(pool) < min(4, 3 ** len(turns)):
                pool.add(tuple(rng.choice(["turn left", "turn right", "turn back"], len(turns))))
            options = sorted(pool)
            rng.shuffle(options)
            texts = [", ".join(t.title() for t in o) for o in options]
            text = TEMPLATES["route_plan"].format(
                start=a.label, facing=b.label, goal=g.label, steps=steps
            )
            add("route_plan", _choice_prompt(text, texts), "ABCD"[options.index(turns)])
    return out


def questions(
    meta: dict | str | Path,
    families: Iterable[str] | None = None,
    seed: int = 0,
    *,
    boxes: str = "fit",
) -> list[Question]:
    """Build VSI-Bench questions for every scene of a meta-info file.

    Args:
        meta: the meta info (scene name → entry) or the path of its JSON file (or folder).
        families: tasks to build (default: all of :data:`FAMILIES`).
        seed: seeds the choice of objects, options and their order.
        boxes: ``"fit"`` (answers on the boxes a loaded scene holds) or ``"published"``
            (sizes and distances on the published oriented boxes).

    Returns:
        The questions, scene by scene (see the module docstring for the rules).

    Raises:
        InputError: an unknown family or ``boxes`` value, a seed that is not a whole
            number, or a meta that is not a dict.
        FormatError: a malformed entry (the message names the scene).
    """
    fams = list(FAMILIES if families is None else families)
    unknown = [f for f in fams if f not in FAMILIES]
    if unknown:
        raise InputError(f"families: unknown {unknown}; known: {', '.join(FAMILIES)}")
    if boxes not in ("fit", "published"):
        raise InputError(f"boxes: expected 'fit' or 'published', got {boxes!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise InputError(f"seed: expected a whole number, got {seed!r}")
    if isinstance(meta, str | Path):
        meta = read_vsibench_meta(meta)
    if not isinstance(meta, dict):
        raise InputError(
            f"meta: expected a dict of scene name → meta info, got {type(meta).__name__}"
        )
    rng = np.random.default_rng(seed)
    out: list[Question] = []
    for name in meta:
        out += _scene_questions(name, meta[name], set(fams), rng, boxes)
    return out


# ---- evaluation --------------------------------------------------------------------------
@dataclass
class Evaluation:
    """Scores per task: ``families[name] = {"n", "score", "metric"}``; ``rows`` holds
    every question with the prediction and its score."""

    families: dict[str, dict] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)

    @property
    def overall(self) -> float:
        """The mean of the task scores (VSI-Bench's overall number)."""
        vals = [v["score"] for v in self.families.values()]
        return float(np.mean(vals)) if vals else float("nan")

    def table(self) -> str:
        """The scores as a plain-text table."""
        lines = [f"{'task':<30} {'n':>6} {'metric':>8} {'score':>7}"]
        for fam, v in self.families.items():
            lines.append(f"{fam:<30} {v['n']:>6} {v['metric']:>8} {v['score']:>7.4f}")
        lines.append(
            f"{'overall':<30} {sum(v['n'] for v in self.families.values()):>6} "
            f"{'mean':>8} {self.overall:>7.4f}"
        )
        return "\n".join(lines)

    def to_dict(self, rows: bool = False) -> dict:
        """``{"families": ..., "overall": ...}`` as JSON-ready data; ``rows=True`` adds every
        question's row."""
        out = {"families": self.families, "overall": self.overall}
        if rows:
            out["rows"] = self.rows
        return out


def _score(scene: Scene, qs: Sequence[Question]) -> list[tuple[str, float, dict]]:
    """Ask ``qs`` of one scene: ``(family, score, row)`` per question, in order."""
    out = []
    for q in qs:
        ans = ask(scene, q.question, exact_labels=True)
        if q.is_numeric:
            pred, s = ans.value, mra(ans.value, float(q.answer))
        else:
            pred, s = ans.choice, float(ans.choice == q.answer)
        row = {"id": q.id, "answer": q.answer, "prediction": pred, "score": s, "text": ans.text}
        out.append((q.family, s, row))
    return out


def _list_of(items, cls: type, what: str) -> list:
    """``items`` (one ``cls`` or an iterable of them) as a list, else an InputError."""
    if isinstance(items, cls):
        return [items]
    out = list(items) if isinstance(items, Iterable) and not isinstance(items, str) else [items]
    bad = next((x for x in out if not isinstance(x, cls)), None)
    if bad is not None:
        raise InputError(f"{what}: expected {cls.__name__} objects, got {type(bad).__name__}")
    return out


def evaluate(
    scene_or_scenes: Scene | Sequence[Scene],
    qs: Sequence[Question],
    *,
    executor: str = "local",
    address: str | None = None,
    num_workers: int | None = None,
    progress: bool = False,
) -> Evaluation:
    """Ask every question of its scene and score it: MRA for numbers, accuracy (the
    option letter) for choices.

    Args:
        scene_or_scenes: a scene or scenes; a question goes to the scene whose
            ``meta["scene"]`` is its scene name (a single scene takes all questions).
        qs: questions from :func:`questions`.
        executor: ``"local"`` or ``"ray"`` (one task per scene; the same rows and
            scores, in question order).
        address: Ray cluster address (default: the Ray running in this process, else a
            new local one on 127.0.0.1).
        num_workers: local Ray workers to start, or at most this many scenes at once.
        progress: show a progress bar of scenes.

    Raises:
        InputError: a question names a scene not given; a bad executor; scenes or
            questions of the wrong type.
    """
    check_executor(executor, address, num_workers)
    scenes = _list_of(scene_or_scenes, Scene, "scene_or_scenes")
    qs = _list_of(qs, Question, "qs")
    by_name = {s.meta.get("scene"): k for k, s in enumerate(scenes)}
    groups: dict[int, list[int]] = defaultdict(list)  # scene → its questions, in order
    for j, q in enumerate(qs):
        k = by_name.get(q.scene)
        if k is None and len(scenes) == 1 and scenes[0].meta.get("scene") is None:
            k = 0  # one unnamed scene takes every question
        if k is None:
            raise InputError(f"evaluate: question {q.id} is about scene {q.scene!r}, not given")
        groups[k].append(j)
    order = sorted(groups)
    tasks = [(scenes[k], [qs[j] for j in groups[k]]) for k in order]
    scored: list = [None] * len(qs)
    for t, results in imap_unordered(_score, tasks, executor=executor, address=address,
                                     num_workers=num_workers, progress=progress,
                                     desc="scenes"):  # fmt: skip
        for j, res in zip(groups[order[t]], results, strict=True):
            scored[j] = res
    scores: dict[str, list[float]] = defaultdict(list)
    for fam, s, _ in scored:
        scores[fam].append(s)
    fams = {
        f: {
            "n": len(scores[f]),
            "score": float(np.mean(scores[f])),
            "metric": "MRA" if f in NUMERIC else "accuracy",
        }
        for f in FAMILIES
        if scores.get(f)
    }
    return Evaluation(fams, [row for _, _, row in scored])


# ---- command line ---------------------------------------------------------------------------
def add_parser(sub) -> None:
    """Add ``worldnb vsibench`` to an argparse subparsers object."""
    p = sub.add_parser(
        "vsibench",
        help="VSI-Bench questions on the ground-truth boxes of a meta-info file, scored",
        description="Build VSI-Bench's questions from a meta-info JSON (ScanNet layouts), "
        "answer them with worldnb.spatial.ask on the ground-truth boxes, and print the "
        "per-task scores as a table and as JSON.",
    )
    p.add_argument("meta", help="scannet_meta_info_val.json (or its folder)")
    p.add_argument(
        "--families", nargs="+", choices=FAMILIES, metavar="TASK", help="tasks (default: all)"
    )
    p.add_argument("--seed", type=int, default=0, help="seed for objects and options (default: 0)")
    p.add_argument(
        "--boxes",
        choices=("fit", "published"),
        default="fit",
        help="ground truth on the loaded yaw-only boxes or the published ones",
    )
    p.add_argument("--scenes", type=int, default=None, help="only the first N scenes")
    p.add_argument(
        "--executor", choices=EXECUTORS, default="local", help="where to ask (default: local)"
    )
    p.add_argument("--address", default=None, help="Ray cluster address (with --executor ray)")
    p.add_argument("--num-workers", type=int, default=None, help="Ray workers (default: all)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    import sys

    from ..scene.io import load_vsibench

    meta = read_vsibench_meta(args.meta)
    if args.scenes is not None:
        meta = dict(list(meta.items())[: args.scenes])
    qs = questions(meta, args.families, args.seed, boxes=args.boxes)
    scenes = load_vsibench(args.meta, names=list(meta))
    ev = evaluate(scenes, qs, executor=args.executor, address=args.address,
                  num_workers=args.num_workers)  # fmt: skip
    sys.stdout.write(ev.table() + "\n")
    sys.stdout.write(json.dumps({"scenes": len(scenes), **ev.to_dict()}, indent=1) + "\n")
    return 0
