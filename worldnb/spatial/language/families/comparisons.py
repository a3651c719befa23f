"""Comparisons: which is closer or farther, bigger or smaller, distance and size
thresholds, superlatives."""

# ruff: noqa: E501  (answer sentences and regular expressions read best unbroken)
from __future__ import annotations

import re

import numpy as np

from ...answer import Answer
from ...measures import distance
from ..context import Context
from ..lexicon import SIZE_MEASURE, SMALLER, UNITS
from ..noun_phrase import NP
from ..resolve import resolve
from ..text import parse_length
from ._registry import Slots, family
from ._shared import (
    cap,
    from_ref,
    many,
    noun_phrase,
    objects,
    one_object,
    split_options,
    the,
    unsupported,
)


def _category_distance(np_: NP, x, ctx: Context):
    ref = resolve(np_, ctx, one=False)
    if ref.status == "absent":
        return None, from_ref(ref)
    objs = [o for o in ref.objects if o is not x]
    if not objs:
        return None, Answer(None, f"there is no other {np_.head} in this scene", {}, [], "absent")
    d = [distance(o, x) for o in objs]
    k = int(np.argmin(d))
    return (d[k], objs[k]), None


@family(
    "rel_dist",
    (
        90,
        r"(?:measuring from the closest point of each object , )?(?:which|what)(?: one)?(?: of these| of the following| among)?(?: objects| things| items)?(?: \( (?P<opts>.+?) \))?(?: is| are)? (?:the )?(?P<sup>closest|nearest|closer|nearer|farthest|furthest|farther|further)(?: one)? (?:to|from) (?P<x>.+?)(?: \( (?P<opts3>.+?) \))?(?:(?: , | : | - )(?P<opts2>.+))?$",
    ),
    (
        100,
        r"(?:of|among|between) (?P<opts>.+?) , (?:which|what)(?: one)? is (?:the )?(?P<sup>closest|nearest|closer|nearer|farthest|furthest|farther|further) (?:to|from) (?P<x>.+)$",
    ),
    examples=[
        "Measuring from the closest point of each object, which of these objects (chair, sofa, bookshelf) is the closest to the table?",
        "Which is closer to the table, the sofa or the bed?",
    ],
)
def ask_rel_dist(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Which of several categories is closest to (farthest from) an object (VSI-Bench relative distance)."""
    opts = m.get("opts") or m.get("opts3") or m.get("opts2")
    if not opts:
        return None
    x, fx = one_object(m["x"], ctx)
    if x is None:
        return fx
    names = split_options(opts)
    far = m["sup"] in ("farthest", "furthest", "farther", "further")
    rows = []
    for nm in names:
        np_ = noun_phrase(nm, ctx)
        if np_ is None:
            return unsupported(f"I don't know what '{nm}' is in this scene")
        r, fail = _category_distance(np_, x, ctx)
        if fail is not None:
            return fail
        rows.append((nm, np_, r[0], r[1]))
    if len(rows) < 2:
        return None
    rows.sort(key=lambda r: -r[2] if far else r[2])
    if abs(rows[0][2] - rows[1][2]) < 0.01:
        return Answer(
            None,
            f"{rows[0][0]} and {rows[1][0]} are equally far from {the(x, ctx)} "
            f"({rows[0][2]:.2f} m); I cannot pick one",
            {},
            [r[3].id for r in rows[:2]],
            "ambiguous",
        )
    best = rows[0]
    label = re.sub(r"^(?:the|a|an) ", "", best[0])
    best = (label, *best[1:])
    word = "farthest from" if far else "closest to"
    return Answer(
        best[0],
        f"{cap(best[0])} is {word} {the(x, ctx)} ({best[2]:.2f} m).",
        {
            "objects": [x.id, *[r[3].id for r in rows]],
            "measures": {f"{r[0]}_m": round(r[2], 4) for r in rows},
        },
        [x.id, best[3].id],
    )


@family(
    "rel_dist_yn",
    (
        80,
        r"is (?P<a>.+?) (?P<cmp>closer|nearer|farther|further) (?:to|from) (?P<x>.+?) than (?P<b>.+?)(?: is)?$",
    ),
    examples=[
        "Is the sofa closer to the table than the bed?",
    ],
)
def ask_rel_dist_yn(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether A is closer to (or farther from) X than B is."""
    got, early = objects(ctx, m["x"], m["a"], m["b"])
    if got is None:
        return early  # None when not three objects (a wall, say): another template may fit
    x, a, b = got
    da, db = distance(a, x), distance(b, x)
    closer = m["cmp"] in ("closer", "nearer")
    val = da < db if closer else da > db
    yes = "Yes" if val else "No"
    verdict = (
        "so they are equally far"
        if da == db
        else f"so {the(a if val == closer else b, ctx)} is closer"
    )
    return Answer(
        val,
        f"{yes}: {the(a, ctx)} is {da:.2f} m and {the(b, ctx)} {db:.2f} m from {the(x, ctx)}, "
        f"{verdict}.",
        {"objects": [a.id, b.id, x.id], "measures": {"a_m": round(da, 4), "b_m": round(db, 4)}},
        [a.id, b.id, x.id],
    )


def _size_measure(adj: str, o) -> float:
    """The number a size word compares (:data:`~..lexicon.SIZE_MEASURE`), metres or m³."""
    s = o.box.size
    what = SIZE_MEASURE.get(adj, "volume")
    if what == "height":
        return float(s[1])
    if what == "top":
        return float(o.box.top)
    if what == "length":
        return float(max(s[0], s[2]))
    if what == "width":
        return float(s[0])
    if what == "depth":
        return float(s[2])
    if what == "longest":
        return float(max(s))
    return float(np.prod(s))


@family(
    "size_cmp_yn",
    (
        140,
        r"(?:is|are) (?P<a>.+?) (?P<adj>bigger|larger|smaller|taller|shorter|longer|wider|narrower|higher|lower) than (?P<b>.+)$",
    ),
    examples=[
        "Is the sofa bigger than the bed?",
    ],
)
def ask_size_cmp_yn(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether A is bigger/taller/... than B or than a length."""
    adj = m["adj"]
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    lim = parse_length(m["b"])
    va = _size_measure(adj, a)
    if lim is not None:
        metres, u = lim
        # "bigger than 1 m" measures a length, not the volume: the longest side (VSI-Bench's size)
        subject = f"{the(a, ctx)} is"
        if SIZE_MEASURE.get(adj) == "volume":
            subject, va = f"{the(a, ctx)}'s longest side is", _size_measure("in size", a)
        val = va < metres if adj in SMALLER else va > metres
        return Answer(
            val,
            f"{'Yes' if val else 'No'}: {subject} {va:.2f} m ({va / UNITS[u][1]:.3g} {u}).",
            {"objects": [a.id], "measures": {"value_m": round(va, 4), "limit_m": metres}},
            [a.id],
        )
    b, fb = one_object(m["b"], ctx)
    if b is None:
        return fb
    vb = _size_measure(adj, b)
    val = va < vb if adj in SMALLER else va > vb
    return Answer(
        val,
        f"{'Yes' if val else 'No'}: {the(a, ctx)} {va:.2f} vs {the(b, ctx)} {vb:.2f} "
        f"({'m³' if SIZE_MEASURE.get(adj) == 'volume' else 'm'}).",
        {"objects": [a.id, b.id], "measures": {"a": round(va, 4), "b": round(vb, 4)}},
        [a.id, b.id],
    )


@family(
    "size_thr",
    (
        150,
        r"(?:is|are) (?P<a>.+?) (?P<cmp>more than|less than|at least|at most|over|under) (?P<len>\d+(?:\.\d+)? [a-z]+(?: \d+(?:\.\d+)? [a-z]+)?) (?P<adj>tall|high|long|wide|deep|in size|in length|in height|in width)$",
    ),
    examples=[
        "Is the desk more than 1 m wide?",
    ],
)
def ask_size_thr(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether an object is more or less than a length tall/long/wide."""
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    lim = parse_length(m["len"])
    if lim is None:
        return None
    metres, u = lim
    va = _size_measure(m["adj"], a)
    more = m["cmp"] in ("more than", "at least", "over")
    val = (
        (va >= metres if m["cmp"] == "at least" else va > metres)
        if more
        else (va <= metres if m["cmp"] == "at most" else va < metres)
    )
    return Answer(
        val,
        f"{'Yes' if val else 'No'}: {the(a, ctx)} is {va:.2f} m {m['adj']} ({va / UNITS[u][1]:.3g} {u}).",
        {"objects": [a.id], "measures": {"value_m": round(va, 4), "limit_m": metres}},
        [a.id],
    )


@family(
    "size_cmp_which",
    (
        160,
        r"(?:which|what) is (?P<adj>bigger|larger|smaller|taller|shorter|longer|wider|higher|lower) , (?P<opts>.+)$",
    ),
    (
        170,
        r"(?:which|what) is (?P<adj>bigger|larger|smaller|taller|shorter|longer|wider|higher|lower) (?:: )?(?P<opts>.+ or .+)$",
    ),
    examples=[
        "Which is taller, the lamp or the plant?",
    ],
)
def ask_size_cmp_which(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Which of several objects is bigger/taller/..."""
    names = split_options(m["opts"])
    objs = []
    for nm in names:
        o, f = one_object(nm, ctx)
        if o is None:
            return f
        objs.append((nm, o))
    if len(objs) < 2:
        return None
    adj = m["adj"]
    vals = [_size_measure(adj, o) for _, o in objs]
    k = int(np.argmin(vals) if adj in SMALLER else np.argmax(vals))
    nm, o = objs[k]
    return Answer(
        o.label,
        f"{cap(the(o, ctx))} is {adj}.",
        {
            "objects": [x.id for _, x in objs],
            "measures": {the(x, ctx): round(v, 4) for (_, x), v in zip(objs, vals, strict=True)},
        },
        [o.id],
    )


@family(
    "superlative",
    (
        180,
        r"(?:which|what) (?:is|are) (?:the )?(?P<adj>biggest|largest|smallest|tallest|shortest|longest|highest|lowest|widest) (?P<a>.+?)(?: in (?:the|this) (?:room|scene))?$",
    ),
    examples=[
        "What is the smallest object?",
    ],
)
def ask_superlative(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The biggest/tallest/... object of a kind."""
    objs, np_, fail = many(m["a"], ctx)
    if fail is not None and fail.status == "absent":
        return fail
    if np_ is None:
        return None
    if objs is None:
        ref = resolve(np_, ctx, one=False)
        objs = ref.objects
    adj = m["adj"]
    vals = [_size_measure(adj, o) for o in objs]
    order = np.argsort(vals)
    k = int(order[0] if adj in SMALLER else order[-1])
    if len(vals) > 1:
        other = vals[int(order[1] if adj in SMALLER else order[-2])]
        if abs(other - vals[k]) <= 0.01 * max(abs(other), abs(vals[k])):
            return Answer(
                None,
                f"there is no single {adj} {np_.head}: several measure the same",
                {},
                [o.id for o in objs],
                "ambiguous",
            )
    o = objs[k]
    return Answer(
        o.name,
        f"The {adj} {np_.head if np_.labels else 'object'} is {o.name}.",
        {
            "objects": [x.id for x in objs],
            "measures": {x.name: round(v, 4) for x, v in zip(objs, vals, strict=True)},
        },
        [o.id],
    )


@family(
    "threshold",
    (
        130,
        r"(?:is|are) (?P<a>.+?) (?P<cmp>more than|less than|at least|at most|within|over|under|farther than|further than|closer than|no more than|no less than) (?P<len>\d+(?:\.\d+)? [a-z]+(?: \d+(?:\.\d+)? [a-z]+)?) (?:away )?(?:from|of|to) (?P<b>.+)$",
    ),
    examples=[
        "Is the bed more than 2 m from the sofa?",
    ],
)
def ask_threshold(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether two objects are more or less than a distance apart."""
    got, early = objects(ctx, m["a"], m["b"])
    if got is None:
        return early
    a, b = got
    lim = parse_length(m["len"])
    if lim is None:
        return None
    metres, u = lim
    d = distance(a, b)
    cmp = m["cmp"]
    if cmp in ("more than", "over", "farther than", "further than"):
        val = d > metres
    elif cmp in ("at least", "no less than"):
        val = d >= metres
    elif cmp in ("at most", "no more than", "within"):
        val = d <= metres
    else:
        val = d < metres
    return Answer(
        val,
        f"{'Yes' if val else 'No'}: {the(a, ctx)} is {d:.2f} m ({d / UNITS[u][1]:.3g} {u}) from {the(b, ctx)}.",
        {"objects": [a.id, b.id], "measures": {"distance_m": round(d, 4), "limit_m": metres}},
        [a.id, b.id],
    )
