"""One function per question family: slots → measurements → :class:`Answer`.

Each ``do_<family>(ctx, match, text, unit)`` returns an Answer, or None when the
template matched but its slots are not noun phrases (the next template is tried).
"""

# ruff: noqa: E501  (answer sentences and regular expressions read best unbroken)
from __future__ import annotations

import re

import numpy as np

from ..errors import QueryError
from . import predicates as R
from ._lexicon import AREA_UNITS, UNITS, singular
from ._np import NP, Context, Ref, parse_np, resolve
from ._text import parse_length
from .answer import Answer
from .frames import EgoFrame, RoomFrame, turn_direction
from .measures import distance, floor_area, free_floor_area, size, wall_clearance

REL_NAME: dict[str, str] = {}  # phrase → relation name
REL_NAME.update(
    {
        "to the left of": "left_of",
        "on the left of": "left_of",
        "left of": "left_of",
        "to the right of": "right_of",
        "on the right of": "right_of",
        "right of": "right_of",
        "in front of": "in_front_of",
        "ahead of": "in_front_of",
        "behind": "behind",
        "in back of": "behind",
        "at the back of": "behind",
        "on top of": "on",
        "resting on": "on",
        "sitting on": "on",
        "standing on": "on",
        "lying on": "on",
        "placed on": "on",
        "on": "on",
        "above": "above",
        "over": "above",
        "under": "below",
        "underneath": "below",
        "beneath": "below",
        "below": "below",
        "next to": "next_to",
        "beside": "next_to",
        "adjacent to": "next_to",
        "alongside": "next_to",
        "near to": "near",
        "near": "near",
        "close to": "near",
        "by": "near",
        "facing": "facing",
        "pointed at": "facing",
        "turned towards": "facing",
        "turned toward": "facing",
        "inside of": "inside",
        "inside": "inside",
        "within": "inside",
        "in": "inside",
        "between": "between",
    }
)
for _d, _rel in (
    ("west", "west_of"),
    ("east", "east_of"),
    ("north", "north_of"),
    ("south", "south_of"),
):
    REL_NAME[f"{_d} of"] = REL_NAME[f"to the {_d} of"] = _rel
REL_NAME["faces"] = REL_NAME["face"] = "facing"
REL_NAME_KEYS = tuple(REL_NAME)
#: compass relations: the room-frame predicate each one is
_COMPASS_REL = {
    "west_of": "left_of",
    "east_of": "right_of",
    "north_of": "behind",
    "south_of": "in_front_of",
}

# ---- small helpers --------------------------------------------------------------------


def unsupported(reason: str, **evidence) -> Answer:
    return Answer(None, reason, dict(evidence), [], "unsupported")


def from_ref(ref: Ref) -> Answer:
    if ref.status == "ambiguous":
        return Answer(
            None,
            ref.reason,
            {"candidates": [o.name for o in ref.objects]},
            [o.id for o in ref.objects],
            "ambiguous",
        )
    return Answer(None, ref.reason, {}, [], "absent")


def _np(text: str, ctx: Context) -> NP | None:
    return parse_np(text, ctx.vocab)


def _unknown_noun(text: str):
    """An Answer for "the dog" (a determiner and a noun this scene has no word for)."""
    m = re.fullmatch(r"(?:the|a|an|any|my|that|this) ([a-z]+(?: [a-z]+)?)", text.strip())
    if m and not re.search(r"\b(of|in|on|at|to|from|with|by|wall|room|floor)\b", m.group(1)):
        return Answer(None, f"there is no {singular(m.group(1))} in this scene", {}, [], "absent")
    return None


def one(text: str, ctx: Context):
    """(object, None) or (None, failing Answer); (None, None) if not a noun phrase."""
    np_ = _np(text, ctx)
    if np_ is None:
        return None, _unknown_noun(text)
    ref = resolve(np_, ctx, one=True)
    if ref.status != "ok":
        return None, from_ref(ref)
    if np_.wall is not None:
        return np_, None
    return ref.objects[0], None


def many(text: str, ctx: Context):
    """(objects, NP, None) or (None, NP, failing Answer); (None, None, None) if no NP."""
    np_ = _np(text, ctx)
    if np_ is None:
        fail = _unknown_noun(text)
        return None, (NP(text, text, set()) if fail else None), fail
    ref = resolve(np_, ctx, one=not (np_.plural or np_.every or np_.labels is None))
    if ref.status != "ok":
        return None, np_, from_ref(ref)
    return ref.objects, np_, None


def the(o, ctx: Context | None = None) -> str:
    """ "the chair" when it is the only one of its label, else its name ("chair 2")."""
    if ctx is not None and o.id in ctx.openings:
        return o.attrs["name"]
    if ctx is not None and sum(1 for e in ctx.entities if e.label == o.label) == 1:
        return f"the {o.label}"
    return o.name


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def length_value(metres: float, unit: str | None, default: str = "m") -> tuple[float, str]:
    u = unit or default
    per = {v[0]: v[1] for v in UNITS.values()}[u]
    v = metres / per
    # three significant figures: a 5 cm gap stays 0.05, not 0.1 (MRA scores relative error)
    return (float(f"{v:.3g}") if abs(v) < 100 else round(v, 1)), u


def _fmt(v: float, u: str) -> str:
    return f"{v:g} {u}"


def _split_options(s: str) -> list[str]:
    s = re.sub(r"\b(?:or|and)\b", ",", s)
    s = re.sub(r"(?:^|,)\s*(?:\(?[a-d][.)]|\([a-d]\))\s+", ",", s)
    return [p.strip(" ,.()") for p in s.split(",") if p.strip(" ,.()")]


# ---- counting and existence -----------------------------------------------------------


def do_count(ctx: Context, m, text, unit):
    a = m["a"]
    if a.split()[0] in UNITS or a.startswith("square "):
        return None  # "how many feet is ...": a distance, not a count
    np_ = _np(a, ctx)
    if np_ is None:
        word = singular(a.split()[-1]) if a.split() else a
        labels = ", ".join(sorted({e.label for e in ctx.entities})) or "nothing"
        return Answer(
            None, f"I don't know what a '{word}' is; this scene has: {labels}", {}, [], "absent"
        )
    np_.plural = True
    ref = resolve(np_, ctx, one=False)
    if ref.status == "absent":
        if "records no colour" in ref.reason or "no walls" in ref.reason:
            return Answer(None, ref.reason, {}, [], "absent")
        return Answer(0, f"There are no {_plural_text(np_)} in this scene.", {"objects": []}, [])
    if ref.status == "ambiguous":
        return from_ref(ref)
    objs = ref.objects
    if m["rel2"]:
        rel = REL_NAME[m["rel2"]]
        others, _, fail = many(m["b"], ctx)
        if fail is not None:
            return fail
        if others is None:
            return None
        objs = [o for o in objs if any(o is not b and _holds(rel, o, b, ctx) for b in others)]
    n = len(objs)
    what = _plural_text(np_) if n != 1 else np_.head
    tail = f" {m['rel2']} {m['b']}" if m["rel2"] else ""
    verb = "is" if n == 1 else "are"
    return Answer(
        n,
        f"There {verb} {n} {what}{tail}.",
        {"objects": [o.id for o in objs]},
        [o.id for o in objs],
    )


def _plural_text(np_: NP) -> str:
    from ._lexicon import plural

    base = np_.head if np_.labels is None or len(np_.labels) != 1 else next(iter(np_.labels))
    if np_.labels is None:
        return "objects"
    words = " ".join([*np_.attrs, plural(base)])
    return words


def do_exists(ctx: Context, m, text, unit):
    np_ = _np(m["a"], ctx)
    if np_ is None:
        return None
    ref = resolve(np_, ctx, one=False)
    if ref.status == "absent":
        if "records no colour" in ref.reason:
            return Answer(None, ref.reason, {}, [], "absent")
        return Answer(False, f"No, {ref.reason}.", {"objects": []}, [])
    objs = ref.objects
    n = len(objs)
    names = ", ".join(the(o, ctx) for o in objs[:6])
    return Answer(
        True,
        f"Yes, there {'is' if n == 1 else 'are'} {n}: {names}.",
        {"objects": [o.id for o in objs]},
        [o.id for o in objs],
    )


# ---- measures ---------------------------------------------------------------------------


def _pick_nearest_to(objs_text: str, other, ctx: Context):
    """'the nearest window' next to another object: the instance closest to it."""
    np_ = _np(objs_text, ctx)
    if np_ is None or np_.wall is not None:
        return one(objs_text, ctx)
    if re.search(r"\b(nearest|closest)\b", objs_text) and not np_.mods:
        ref = resolve(np_, ctx, one=False)
        if ref.status != "ok":
            return None, from_ref(ref)
        cands = [o for o in ref.objects if o is not other]
        return min(cands, key=lambda o: distance(o, other)), None
    return one(objs_text, ctx)


def do_distance(ctx: Context, m, text, unit):
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None:
        return None
    if isinstance(a, NP):
        return do_wall_dist(ctx, {"a": m["b"], "w": m["a"]}, text, unit)
    b, fb = _pick_nearest_to(m["b"], a, ctx)
    if fb is not None:
        return fb
    if b is None:
        return None
    if isinstance(b, NP):
        return do_wall_dist(ctx, {"a": m["a"], "w": m["b"]}, text, unit)
    if a is b:
        return unsupported(f"both names refer to the same object ({a.name})")
    d = distance(a, b)
    v, u = length_value(d, unit)
    return Answer(
        v,
        f"{_cap(the(a, ctx))} is {_fmt(v, u)} from {the(b, ctx)} (closest points).",
        {"objects": [a.id, b.id], "measures": {"distance_m": round(d, 4)}},
        [a.id, b.id],
        unit=u,
    )


def do_wall_dist(ctx: Context, m, text, unit):
    room = ctx.scene.room
    if room is None:
        return unsupported("this scene has no room outline, so I cannot measure to its walls")
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    w = re.sub(r"^the ", "", m["w"]).replace(" wall", "").strip()
    if w in ("wall", "nearest", "closest", "any"):
        d, wid = wall_clearance(a, room)
    else:
        wall = room.wall(w.replace(" ", "_") if w.startswith("wall") else w)
        import shapely

        d = float(
            a.box.footprint().distance(shapely.LineString([wall.start.tolist(), wall.end.tolist()]))
        )
        wid = wall.id
    wall = room.wall(wid)
    v, u = length_value(d, unit)
    return Answer(
        v,
        f"{_cap(the(a, ctx))} is {_fmt(v, u)} from the {wall.compass} wall ({wid}).",
        {"objects": [a.id], "wall": wid, "measures": {"distance_m": round(d, 4)}},
        [a.id],
        unit=u,
    )


_SIZE_ADJ = {
    "tall": "height",
    "high": "height",
    "height": "height",
    "wide": "width",
    "width": "width",
    "long": "length",
    "length": "length",
    "deep": "depth",
    "depth": "depth",
    "thick": "thickness",
}


def do_size(ctx: Context, m, text, unit):
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    adj = (m.groupdict().get("adj") or "size").strip()
    s = size(a)
    what = _SIZE_ADJ.get(adj, "longest")
    val = {
        "height": s.height,
        "width": s.width,
        "length": s.footprint_length,
        "depth": s.depth,
        "thickness": min(s.width, s.height, s.depth),
        "longest": s.longest,
    }[what]
    v, u = length_value(val, unit, "cm" if what == "longest" else "m")
    dims = f"{s.width:.2f} m wide, {s.depth:.2f} m deep, {s.height:.2f} m tall"
    if what == "longest":
        txt = f"{_cap(the(a, ctx))} measures {_fmt(v, u)} along its longest side ({dims})."
    else:
        word = {
            "length": "long",
            "height": "tall",
            "width": "wide",
            "depth": "deep",
            "thickness": "thick",
        }[what]
        txt = f"{_cap(the(a, ctx))} is {_fmt(v, u)} {word} ({dims})."
    return Answer(
        v,
        txt,
        {
            "objects": [a.id],
            "measure": what,
            "measures": {
                "width_m": round(s.width, 4),
                "height_m": round(s.height, 4),
                "depth_m": round(s.depth, 4),
            },
        },
        [a.id],
        unit=u,
    )


def _area_value(m2: float, unit: str | None) -> tuple[float, str]:
    key = {"m": "m", "ft": "ft", "cm": "cm"}.get(unit or "m", "m")
    u, per = AREA_UNITS[key]
    return round(m2 / per, 2), u


def do_room_size(ctx: Context, m, text, unit):
    try:
        a = floor_area(ctx.scene)
    except QueryError as exc:
        return unsupported(str(exc))
    v, u = _area_value(a, unit)
    src = "room outline" if ctx.scene.room is not None else "stored floor area (scene.meta)"
    return Answer(
        v,
        f"The room's floor area is {_fmt(v, u)}.",
        {"measures": {"floor_area_m2": round(a, 4)}, "source": src},
        [],
        unit=u,
    )


def do_room_dims(ctx: Context, m, text, unit):
    room = ctx.scene.room
    if room is None:
        return unsupported("this scene has no room outline, so its width and length are unknown")
    rect = room.polygon.minimum_rotated_rectangle
    xy = np.asarray(rect.exterior.coords)[:3]
    a, b = sorted([float(np.linalg.norm(xy[1] - xy[0])), float(np.linalg.norm(xy[2] - xy[1]))])
    adj = m["adj"] or m["adj2"] or m["adj3"]
    exact = "" if room.is_rectangular else " (of the smallest rectangle around the floor)"
    if adj in ("dimensions",):
        (va, u), (vb, _) = length_value(b, unit), length_value(a, unit)
        return Answer(
            [va, vb],
            f"The room is {_fmt(va, u)} by {_fmt(vb, u)}{exact}.",
            {"measures": {"length_m": round(b, 4), "width_m": round(a, 4)}},
            [],
            unit=u,
        )
    val = b if adj in ("long", "length") else a
    v, u = length_value(val, unit)
    word = "long" if adj in ("long", "length") else "wide"
    return Answer(
        v,
        f"The room is {_fmt(v, u)} {word}{exact}; the longer side counts as its length.",
        {"measures": {"length_m": round(b, 4), "width_m": round(a, 4)}},
        [],
        unit=u,
    )


def do_room_free(ctx: Context, m, text, unit):
    try:
        a = free_floor_area(ctx.scene)
    except QueryError as exc:
        return unsupported(str(exc))
    v, u = _area_value(a, unit)
    return Answer(
        v,
        f"{_fmt(v, u)} of floor is free of furniture.",
        {
            "measures": {
                "free_floor_m2": round(a, 4),
                "floor_area_m2": round(ctx.scene.room.area, 4),
            }
        },
        [],
        unit=u,
    )


def do_room_height(ctx: Context, m, text, unit):
    if ctx.scene.room is None:
        return unsupported("this scene has no room outline, so its ceiling height is unknown")
    v, u = length_value(ctx.scene.room.height, unit)
    return Answer(
        v,
        f"The ceiling is {_fmt(v, u)} high.",
        {"measures": {"ceiling_m": ctx.scene.room.height}},
        [],
        unit=u,
    )


# ---- comparisons ------------------------------------------------------------------------


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


def do_rel_dist(ctx: Context, m, text, unit):
    opts = m.groupdict().get("opts") or m.groupdict().get("opts3") or m.groupdict().get("opts2")
    if not opts:
        return None
    x, fx = one(m["x"], ctx)
    if fx is not None:
        return fx
    if x is None or isinstance(x, NP):
        return None
    names = _split_options(opts)
    far = m["sup"] in ("farthest", "furthest", "farther", "further")
    rows = []
    for nm in names:
        np_ = _np(nm, ctx)
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
        f"{_cap(best[0])} is {word} {the(x, ctx)} ({best[2]:.2f} m).",
        {
            "objects": [x.id, *[r[3].id for r in rows]],
            "measures": {f"{r[0]}_m": round(r[2], 4) for r in rows},
        },
        [x.id, best[3].id],
    )


def do_rel_dist_yn(ctx: Context, m, text, unit):
    x, fx = one(m["x"], ctx)
    if fx is not None:
        return fx
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    b, fb = one(m["b"], ctx)
    if fb is not None:
        return fb
    if x is None or a is None or b is None:
        return None
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
    s = o.box.size
    if adj in (
        "taller",
        "shorter",
        "higher",
        "lower",
        "tallest",
        "shortest",
        "highest",
        "lowest",
        "tall",
        "high",
        "in height",
    ):
        return float(o.box.top if adj in ("higher", "lower", "highest", "lowest") else s[1])
    if adj in ("longer", "longest", "long", "in length"):
        return float(max(s[0], s[2]))
    if adj in ("wider", "narrower", "widest", "wide", "in width"):
        return float(s[0])
    if adj in ("deep",):
        return float(s[2])
    if adj in ("in size",):
        return float(max(s))
    return float(np.prod(s))


_SMALLER = {"smaller", "shorter", "narrower", "lower", "smallest", "shortest", "lowest"}
#: adjectives :func:`_size_measure` answers with a volume (m³)
_VOLUME_ADJ = {"bigger", "larger", "smaller", "biggest", "largest", "smallest"}


def do_size_cmp_yn(ctx: Context, m, text, unit):
    adj = m["adj"]
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    lim = parse_length(m["b"])
    va = _size_measure(adj, a)
    if lim is not None:
        metres, u = lim
        # "bigger than 1 m" measures a length, not the volume: the longest side (VSI-Bench's size)
        subject = f"{the(a, ctx)} is"
        if adj in _VOLUME_ADJ:
            subject, va = f"{the(a, ctx)}'s longest side is", _size_measure("in size", a)
        val = va < metres if adj in _SMALLER else va > metres
        return Answer(
            val,
            f"{'Yes' if val else 'No'}: {subject} {va:.2f} m ({va / UNITS[u][1]:.3g} {u}).",
            {"objects": [a.id], "measures": {"value_m": round(va, 4), "limit_m": metres}},
            [a.id],
        )
    b, fb = one(m["b"], ctx)
    if fb is not None:
        return fb
    if b is None or isinstance(b, NP):
        return None
    vb = _size_measure(adj, b)
    val = va < vb if adj in _SMALLER else va > vb
    return Answer(
        val,
        f"{'Yes' if val else 'No'}: {the(a, ctx)} {va:.2f} vs {the(b, ctx)} {vb:.2f} "
        f"({'m³' if adj in _VOLUME_ADJ else 'm'}).",
        {"objects": [a.id, b.id], "measures": {"a": round(va, 4), "b": round(vb, 4)}},
        [a.id, b.id],
    )


def do_size_thr(ctx: Context, m, text, unit):
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
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


def do_size_cmp_which(ctx: Context, m, text, unit):
    names = _split_options(m["opts"])
    objs = []
    for nm in names:
        o, f = one(nm, ctx)
        if f is not None:
            return f
        if o is None or isinstance(o, NP):
            return None
        objs.append((nm, o))
    if len(objs) < 2:
        return None
    adj = m["adj"]
    vals = [_size_measure(adj, o) for _, o in objs]
    k = int(np.argmin(vals) if adj in _SMALLER else np.argmax(vals))
    nm, o = objs[k]
    return Answer(
        o.label,
        f"{_cap(the(o, ctx))} is {adj}.",
        {
            "objects": [x.id for _, x in objs],
            "measures": {the(x, ctx): round(v, 4) for (_, x), v in zip(objs, vals, strict=True)},
        },
        [o.id],
    )


def do_superlative(ctx: Context, m, text, unit):
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
    k = int(order[0] if adj in _SMALLER else order[-1])
    if len(vals) > 1:
        other = vals[int(order[1] if adj in _SMALLER else order[-2])]
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


def do_threshold(ctx: Context, m, text, unit):
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    b, fb = one(m["b"], ctx)
    if fb is not None:
        return fb
    if a is None or b is None or isinstance(a, NP) or isinstance(b, NP):
        return None
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


# ---- directions and routes -----------------------------------------------------------------

_EGO = re.compile(
    r".*?\b(?:standing|stand|i am|positioned|located|i was|i'm)\s+(?:right )?(?:by|at|next to|beside|near|in front of)\s+"
    r"(?P<a>.+?)(?:\s*,)?(?:\s+and)?\s+(?:i am\s+|am\s+)?(?:facing|face|looking at|look at|looking towards?|"
    r"turned towards?|toward)\s+(?P<b>.+?)(?:\s*,)?(?:\s+(?:then|so))?\s+"
    r"(?:is|are|where is|where are|where would|which side is|on which side is|in which direction is|"
    r"what direction is|would|will)\s+(?P<c>.+?)"
    r"(?:\s+(?:be\s+)?(?:to|on|at|in|behind)\s+(?:my|the|me)\b.*|\s+be\b.*|\s+located.*|\s+relative to me.*|"
    r"\s+from me.*|\s+for me.*|\s+:.*|\s+,.*|\s+(?:front|back|left|right)\b.*)?$"
)
_EGO_REV = re.compile(
    r"(?:is|are|where is|where would) (?P<c>.+?) (?:be )?(?:to|on|at|in|behind) (?:my|me)\b.*?"
    r"\b(?:if|when|while|assuming)\b.*?(?:standing|stand|am)\s+(?:by|at|next to|beside|near)\s+(?P<a>.+?)"
    r"(?:\s*,)?(?:\s+and)?\s+(?:facing|face|looking at|look at|looking towards?)\s+(?P<b>.+)$"
)


def do_direction(ctx: Context, m, text, unit):
    mm = _EGO.fullmatch(text) or _EGO_REV.fullmatch(text)
    if mm is None:
        return None
    objs = []
    for key in ("a", "b", "c"):
        o, f = one(mm[key], ctx)
        if f is not None:
            return f
        if o is None or isinstance(o, NP):
            return None
        objs.append(o)
    a, b, c = objs
    if a is b:
        return unsupported("you cannot stand by and face the same object")
    if re.search(r"front[- ]left|front[- ]right|back[- ]left|back[- ]right", text):
        levels = "quadrant"
    elif re.search(r"\b(back|behind)\b", text):
        levels = "left-right-back"
    else:
        levels = "left-right"
    f = EgoFrame(a, b)
    f.name = f"standing by {the(a, ctx)}, facing {the(b, ctx)}"
    v = f.direction(c, levels)
    ang = f.bearing(c)
    where = {"left": "to your left", "right": "to your right", "back": "behind you"}.get(
        v, f"to your {v}"
    )
    return Answer(
        v,
        f"Standing by {the(a, ctx)} and facing {the(b, ctx)}, {the(c, ctx)} is {where} "
        f"({abs(ang):.0f}° to the {'right' if ang > 0 else 'left'}).",
        {
            "objects": [a.id, b.id, c.id],
            "frame": f.describe(),
            "measures": {"bearing_deg": round(ang, 2)},
        },
        [a.id, b.id, c.id],
    )


def do_route_plan(ctx: Context, m, text, unit):
    st = re.search(
        r"(?:beginning|starting|start|standing) (?:at|by|from|next to) (?P<a>.+?) (?:and )?facing (?P<b>.+?)(?: ,)? (?:you|i|and|,)\b",
        text,
    )
    if st is None:
        return None
    pos_obj, f = one(st["a"], ctx)
    if f is not None:
        return f
    face, f = one(st["b"], ctx)
    if f is not None:
        return f
    if pos_obj is None or face is None:
        return None
    body = text[text.index(":", st.end()) + 1 :] if ":" in text[st.end() :] else text[st.end() :]
    steps = re.findall(
        r"(?:^|\s)\d+\s*(?:\.|\))?\s*(go forward until (?P<t>.+?)|\[ ?please fill in ?\])(?=\s+\d+\s*(?:\.|\))?\s+|\s+you have|\s*$)",
        body,
    )
    if not steps:
        return None
    pos = np.array([pos_obj.box.center[0], pos_obj.box.center[2]], np.float64)
    heading = np.array([face.box.center[0], face.box.center[2]]) - pos
    turns, pending, ids = [], 0, [pos_obj.id, face.id]
    for step, target in steps:
        if step.startswith("["):
            pending += 1
            continue
        t, f = one(target, ctx)
        if f is not None:
            return f
        if t is None or isinstance(t, NP):
            return None
        ids.append(t.id)
        goal = np.array([t.box.center[0], t.box.center[2]], np.float64)
        leg = goal - pos
        if pending:
            turn, _ = turn_direction(heading, leg, straight_deg=0.0)
            turns.append(f"turn {turn}")
            pending = 0
        heading, pos = leg, goal
    tail = text.split("destination", 1)[1] if "destination" in text else text
    opts = re.findall(
        r"\b([a-d])\s*[.)]?\s+((?:turn (?:left|right|back)\s*,?\s*(?:and\s*)?)+)", tail
    )
    value: object = turns
    txt = f"The turns are: {', '.join(turns)}."
    if opts:
        for letter, seq in opts:
            got = re.findall(r"turn (?:left|right|back)", seq)
            if got == turns:
                value = letter.upper()
                txt = f"Option {letter.upper()}: {', '.join(turns)}."
                break
        else:
            return Answer(
                None,
                f"none of the options matches the turns I measure ({', '.join(turns)})",
                {"turns": turns},
                ids,
                "ambiguous",
            )
    return Answer(
        value,
        txt,
        {
            "objects": ids,
            "turns": turns,
            "frame": f"starting by {the(pos_obj, ctx)} facing {the(face, ctx)}",
        },
        ids,
    )


def _route_ends(rest: str):
    rest = rest.strip()
    m = re.fullmatch(
        r"(?:from (?P<a>.+?) to (?P<b>.+?)|to (?P<b2>.+?) from (?P<a2>.+?))(?: (?:facing|looking at) (?P<f>.+))?",
        rest,
    )
    if m is None:
        return None
    return (m["a"] or m["a2"], m["b"] or m["b2"], m["f"])


def do_route(ctx: Context, m, text, unit, length_only=False):
    from .navigation import route

    ends = _route_ends(m["rest"])
    if ends is None:
        tgt = re.fullmatch(r"(?:to )?(?P<b>.+)", m["rest"].strip())
        if tgt and _np(tgt["b"], ctx) is not None:
            return Answer(
                None,
                "from where? say e.g. 'how do I get from the bed to the door'",
                {},
                [],
                "ambiguous",
            )
        return None
    objs = []
    for s in ends[:2]:
        o, f = one(s, ctx)
        if f is not None:
            return f
        if o is None or isinstance(o, NP):
            return None
        objs.append(o)
    facing = None
    if ends[2]:
        facing, f = one(ends[2], ctx)
        if f is not None:
            return f
    try:
        r = route(ctx.scene, objs[0], objs[1], facing=facing)
    except QueryError as exc:
        return Answer(
            None, str(exc), {"objects": [o.id for o in objs]}, [o.id for o in objs], "impossible"
        )
    ids = [o.id for o in objs]
    ev = {
        "objects": ids,
        "path_xz": np.round(r.points, 3).tolist(),
        "measures": {"route_length_m": round(r.length, 3)},
    }
    if length_only:
        v, u = length_value(r.length, unit)
        return Answer(
            v,
            f"The walk from {the(objs[0], ctx)} to {the(objs[1], ctx)} is {_fmt(v, u)}.",
            ev,
            ids,
            unit=u,
        )
    return Answer(r.steps, f"From {the(objs[0], ctx)}: {r.text} ({r.length:.1f} m).", ev, ids)


def do_walk_dist(ctx: Context, m, text, unit):
    return do_route(ctx, m, text, unit, length_only=True)


# ---- relations ---------------------------------------------------------------------------


def _holds(rel: str, a, b, ctx: Context, c=None) -> bool:
    if rel in _COMPASS_REL:
        return getattr(R, _COMPASS_REL[rel])(a, b, frame=RoomFrame(ctx.scene.room))
    if rel in ("left_of", "right_of", "in_front_of", "behind"):
        return getattr(R, rel)(a, b, frame=ctx.frame)
    if rel == "near":
        return distance(a, b) <= getattr(ctx, "near", 1.0)
    if rel == "facing":
        return bool(a.front) and R.facing(a, b)
    if rel == "between":
        return R.between(a, b, c)
    if rel == "inside" and getattr(b, "label", "") in ("room",):
        return True
    return getattr(R, rel)(a, b)


_REL_WORDS = {
    "left_of": "to the left of",
    "right_of": "to the right of",
    "in_front_of": "in front of",
    "behind": "behind",
    "on": "on",
    "above": "above",
    "below": "below",
    "near": "near",
    "next_to": "next to",
    "west_of": "west of",
    "east_of": "east of",
    "north_of": "north of",
    "south_of": "south of",
    "facing": "facing",
    "inside": "inside",
    "between": "between",
}


def _frame_note(rel: str, ctx: Context) -> dict:
    if rel in ("left_of", "right_of", "in_front_of", "behind"):
        return {"frame": ctx.frame.describe()}
    if rel in _COMPASS_REL:
        return {"frame": RoomFrame.name}
    return {}


_REL_SPLIT = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in REL_NAME_KEYS), key=len, reverse=True)) + r")\b"
)


class _Split(dict):
    """A match-like dict for a split found by :func:`best_split`."""

    re = None


def best_split(text: str, ctx: Context):
    """Split "A <relation> B" at the relation word that leaves two clean noun phrases
    (rightmost first): "the lamp to the left of the bed" → (the lamp, left of, the bed)."""
    best = None
    for mm in _REL_SPLIT.finditer(text):
        a, rel, b = text[: mm.start()].strip(), mm.group(1), text[mm.end() :].strip()
        if rel == "to the" or not a or not b:
            continue
        na, nb = _np(a, ctx), _np(b if rel != "between" else re.split(r"\s+and\s+", b)[0], ctx)
        if na is None or nb is None:
            continue
        score = (na.clean and nb.clean, na.clean, len(rel))
        if best is None or score > best[0]:
            best = (score, a, rel, b)
    if best is None:
        return None
    return best[1], best[2], best[3]


def do_rel_yn(ctx: Context, m, text, unit):
    body = re.sub(r"^(?:is|are|was|were|does|do|can|could|would|will|should) ", "", text)
    body = re.sub(
        r"\b(?:located|placed|positioned|standing|sitting|lying|situated) (?=\w)", "", body
    )
    sp = best_split(body, ctx) if m["rel"] in REL_NAME else None
    if sp is not None:
        m = _Split(a=sp[0], rel=sp[1], b=sp[2])
    rel = REL_NAME.get(m["rel"], m["rel"])
    rel = {
        "face": "facing",
        "touch": "near",
        "stand on": "on",
        "sit on": "on",
        "rest on": "on",
    }.get(rel, rel)
    if m["rel"] == "touch":
        rel = "touch"
    subj, snp, fail = many(m["a"], ctx)
    if snp is None:
        return None
    if fail is not None:
        return fail
    if rel == "between":
        parts = re.split(r"\s+and\s+", m["b"], maxsplit=1)
        if len(parts) != 2:
            return None
        b, fb = one(parts[0], ctx)
        c, fc = one(parts[1], ctx)
        if fb is not None or fc is not None:
            return fb or fc
        if b is None or c is None:
            return None
        results = [R.between(s, b, c) for s in subj]
        val = all(results)
        names = " and ".join(the(x, ctx) for x in subj)
        return Answer(
            val,
            f"{'Yes' if val else 'No'}, {names} {'is' if val else 'is not'} between {the(b, ctx)} and {the(c, ctx)}.",
            {"objects": [*[s.id for s in subj], b.id, c.id]},
            [*[s.id for s in subj], b.id, c.id],
        )
    if re.fullmatch(r"(?:the |a |any )?(?:(?:north|south|east|west) )?walls?", m["b"].strip()):
        return do_against_wall(ctx, {"a": m["a"], "w": m["b"]}, text, unit)
    objs, onp, fail = many(m["b"], ctx)
    if onp is None:
        return None
    if fail is not None:
        return fail
    if rel == "facing" and not all(s.front for s in subj):
        s = next(s for s in subj if not s.front)
        return Answer(
            False,
            f"No: {the(s, ctx)} has no front, so it does not face anything.",
            {"objects": [s.id]},
            [s.id],
        )
    if rel == "touch":
        hits = [any(distance(s, o) <= 0.03 for o in objs if o is not s) for s in subj]
        word = "touching"
    else:
        hits = [any(o is not s and _holds(rel, s, o, ctx) for o in objs) for s in subj]
        word = _REL_WORDS[rel]
    val = all(hits)
    target = the(objs[0], ctx) if len(objs) == 1 else f"any {onp.head}"
    ds = {
        f"{the(s, ctx)}": round(min(distance(s, o) for o in objs if o is not s), 4)
        for s in subj
        if any(o is not s for o in objs)
    }
    if len(subj) == 1:
        txt = f"{'Yes' if val else 'No'}, {the(subj[0], ctx)} is {'' if val else 'not '}{word} {target}"
    else:
        txt = f"{'Yes' if val else 'No'}: {sum(hits)} of the {len(subj)} {snp.head}s are {word} {target}"
    if rel in ("left_of", "right_of", "in_front_of", "behind"):
        txt += f" (in {ctx.frame.describe()})"
    ev = {
        "objects": [*[s.id for s in subj], *[o.id for o in objs]],
        "measures": {"distance_m": ds},
        **_frame_note(rel, ctx),
    }
    return Answer(val, txt + ".", ev, [*[s.id for s in subj], *[o.id for o in objs]])


def do_what_rel(ctx: Context, m, text, unit):
    if m.groupdict().get("rel") in REL_NAME and " ".join(m["b"].split()[:1]) in ("of",):
        return None
    rel = REL_NAME.get(m["rel"], {"face": "facing"}.get(m["rel"], m["rel"]))
    if rel == "between":
        parts = re.split(r"\s+and\s+", m["b"], maxsplit=1)
        if len(parts) != 2:
            return None
        b, fb = one(parts[0], ctx)
        c, fc = one(parts[1], ctx)
        if fb is not None or fc is not None:
            return fb or fc
        if b is None or c is None:
            return None
        hits = [o for o in ctx.entities if o is not b and o is not c and R.between(o, b, c)]
        anchors = [b, c]
        desc = f"between {the(b, ctx)} and {the(c, ctx)}"
    else:
        objs, onp, fail = many(m["b"], ctx)
        if onp is None:
            return None
        if fail is not None:
            return fail
        b = objs[0]
        anchors = objs
        hits = [
            o
            for o in ctx.entities
            if all(o is not a for a in objs) and any(_holds(rel, o, a, ctx) for a in objs)
        ]
        desc = f"{_REL_WORDS[rel]} {the(b, ctx) if len(objs) == 1 else 'the ' + onp.head + 's'}"
    # "which chairs are near the table": restrict to the asked label
    lead = re.match(r"which ([a-z ]+?) (?:is|are|faces|face|sits|stands|lies) ", text)
    if lead and lead.group(1) not in ("object", "objects", "thing", "things", "item", "items"):
        lnp = _np(lead.group(1), ctx)
        if lnp is not None and lnp.labels is not None:
            hits = [o for o in hits if o.label in lnp.labels]
    hits.sort(key=lambda o: min(distance(o, a) for a in anchors))
    names = [the(o, ctx) for o in hits]
    txt = (
        f"{_cap(', '.join(names))} {'is' if len(names) == 1 else 'are'} {desc}."
        if names
        else f"Nothing is {desc}."
    )
    ev = {"objects": [o.id for o in hits] + [a.id for a in anchors], **_frame_note(rel, ctx)}
    return Answer([o.name for o in hits], txt, ev, [o.id for o in hits] + [a.id for a in anchors])


def do_what_faces(ctx: Context, m, text, unit):
    b, fb = one(m["b"], ctx)
    if fb is not None:
        return fb
    if b is None or isinstance(b, NP):
        return None
    if not b.front:
        return Answer(
            [],
            f"{_cap(the(b, ctx))} has no front, so it faces nothing.",
            {"objects": [b.id]},
            [b.id],
        )
    hits = R.front_ray_hits(b, [o for o in ctx.entities if o is not b])
    if not hits:
        cone = [o for o in ctx.entities if o is not b and R.facing_angle(b, o) <= 30]
        hits = sorted(cone, key=lambda o: R.facing_angle(b, o))
    names = [the(o, ctx) for o in hits]
    txt = f"{_cap(the(b, ctx))} faces " + (", then ".join(names) or "nothing in particular") + "."
    ids = [o.id for o in hits]
    return Answer([o.name for o in hits], txt, {"objects": [b.id, *ids]}, [b.id, *ids])


def do_nearest(ctx: Context, m, text, unit):
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    if m.groupdict().get("b"):
        cands, bnp, fail = many(m["b"], ctx)
        if bnp is None:
            return None
        if fail is not None and fail.status == "absent":
            return fail
        if cands is None:
            cands = resolve(bnp, ctx, one=False).objects
    else:
        cands = [o for o in ctx.entities if o.label != a.label or o is not a]
    cands = [o for o in cands if o is not a]
    if not cands:
        return Answer(
            None, f"there is nothing else to compare with {the(a, ctx)}", {}, [a.id], "absent"
        )
    far = m["sup"] in ("farthest", "furthest")
    d = [distance(o, a) for o in cands]
    order = np.argsort(d)
    k = int(order[-1] if far else order[0])
    if len(d) > 1:
        k2 = int(order[-2] if far else order[1])
        if abs(d[k] - d[k2]) < 0.01:
            return Answer(
                None,
                f"{the(cands[k], ctx)} and {the(cands[k2], ctx)} are equally {'far from' if far else 'close to'} "
                f"{the(a, ctx)} ({d[k]:.2f} m)",
                {},
                [cands[k].id, cands[k2].id],
                "ambiguous",
            )
    o = cands[k]
    return Answer(
        o.name,
        f"{_cap(the(o, ctx))} is {'farthest from' if far else 'closest to'} {the(a, ctx)} ({d[k]:.2f} m).",
        {"objects": [a.id, o.id], "measures": {"distance_m": round(d[k], 4)}},
        [a.id, o.id],
    )


def do_direction_wall(ctx: Context, m, text, unit):
    if ctx.scene.room is None:
        return unsupported("this scene has no room outline, so it has no walls I can name")
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    d, wid = wall_clearance(a, ctx.scene.room)
    w = ctx.scene.room.wall(wid)
    return Answer(
        w.compass,
        f"{_cap(the(a, ctx))} is {d:.2f} m from the {w.compass} wall ({wid}), its nearest.",
        {"objects": [a.id], "wall": wid, "measures": {"distance_m": round(d, 4)}},
        [a.id],
    )


def do_against_wall(ctx: Context, m, text, unit):
    room = ctx.scene.room
    if room is None:
        return unsupported(
            "this scene has no room outline, so I cannot tell what stands against a wall"
        )
    subj, snp, fail = many(m["a"], ctx)
    if snp is None:
        return None
    if fail is not None:
        return fail
    which = re.search(r"(north|south|east|west)", m["w"])
    res = []
    for s in subj:
        walls = R.walls_near(s, room)
        if which:
            walls = [w for w in walls if room.wall(w).compass == which.group(1)]
        res.append(bool(walls))
    val = all(res)
    d, wid = wall_clearance(subj[0], room)
    txt = f"{'Yes' if val else 'No'}, {the(subj[0], ctx) if len(subj) == 1 else str(sum(res)) + ' of the ' + snp.head + 's'} "
    txt += f"{'is' if val else 'is not'} against {'the ' + which.group(1) if which else 'a'} wall (nearest: {room.wall(wid).compass}, {d:.2f} m)."
    return Answer(
        val,
        txt,
        {"objects": [s.id for s in subj], "wall": wid, "measures": {"wall_gap_m": round(d, 4)}},
        [s.id for s in subj],
    )


def do_corner(ctx: Context, m, text, unit):
    room = ctx.scene.room
    if room is None:
        return unsupported("this scene has no room outline, so it has no corners")
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    val = R.in_corner(a, room)
    walls = R.walls_near(a, room, 0.3)
    return Answer(
        val,
        f"{'Yes' if val else 'No'}, {the(a, ctx)} is {'' if val else 'not '}in a corner"
        f" (walls within 0.3 m: {', '.join(room.wall(w).compass for w in walls) or 'none'}).",
        {"objects": [a.id], "walls": walls},
        [a.id],
    )


def do_where(ctx: Context, m, text, unit):
    objs, np_, fail = many(m["a"], ctx)
    if np_ is None:
        return None
    if fail is not None:
        return fail
    parts = []
    for o in objs[:4]:
        bits = []
        others = [e for e in ctx.entities if e is not o]
        sup = [e for e in others if R.on(o, e)]
        if sup:
            bits.append(f"on {the(sup[0], ctx)}")
        rf = RoomFrame(ctx.scene.room)
        if ctx.scene.room is not None:
            walls = R.walls_near(o, ctx.scene.room)
            if R.in_corner(o, ctx.scene.room):
                cw = sorted(
                    {ctx.scene.room.wall(w).compass for w in R.walls_near(o, ctx.scene.room, 0.3)}
                )
                bits.append(f"in the {'-'.join(cw)} corner")
            elif walls:
                bits.append(f"against the {ctx.scene.room.wall(walls[0]).compass} wall")
            else:
                bits.append(f"in the {rf.compass(o)} part of the room")
        near = [e for e in others if e not in sup]
        if near:
            n = min(near, key=lambda e: distance(o, e))
            bits.append(f"{distance(o, n):.2f} m from {the(n, ctx)}")
        c = o.box.center
        parts.append(
            f"{the(o, ctx)} is " + ", ".join(bits) + f" (centre x={c[0]:.2f}, z={c[2]:.2f} m)"
        )
    txt = "; ".join(parts) + "."
    value = (
        [float(v) for v in objs[0].box.center]
        if len(objs) == 1
        else [[float(v) for v in o.box.center] for o in objs]
    )
    return Answer(
        value, _cap(txt), {"objects": [o.id for o in objs]}, [o.id for o in objs], unit="m"
    )


def do_attr(ctx: Context, m, text, unit):
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None or isinstance(a, NP):
        return None
    what = (m.groupdict().get("what") or "material").replace("colour", "color")
    keys = ("color", "colour") if what == "color" else ("material",)
    for k in keys:
        if k in a.attrs:
            v = str(a.attrs[k])
            return Answer(
                v,
                f"{_cap(the(a, ctx))} is {v}."
                if what == "color"
                else f"{_cap(the(a, ctx))} is made of {v}.",
                {"objects": [a.id], "attribute": k},
                [a.id],
            )
    return unsupported(f"the scene does not record the {what} of {the(a, ctx)}")


def why_unsupported(text: str, ctx: Context) -> str:
    if re.match(
        r"(why|who|when|what time|should|would you|can you|do you like|how do you)\b", text
    ):
        return (
            f"I answer questions about what is where, how big, how far and how to walk there; "
            f"'{text}' is not one of those"
        )
    m = ctx.vocab.regex.search(text)
    if m:
        return (
            f"I could not understand this question about the {m.group(1)}; try e.g. "
            f"'how far is the {m.group(1)} from ...?' or 'what is next to the {m.group(1)}?'"
        )
    return (
        "I could not understand the question; I answer counts, distances, sizes, room size, "
        "relative distance and direction, relations (left of, on, near, ...) and routes"
    )
