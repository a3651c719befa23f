"""Measures: distances between objects and to walls, object sizes, the room's size,
dimensions, free floor and height."""

from __future__ import annotations

import re

import numpy as np
import shapely

from ...errors import QueryError
from .._lexicon import AREA_UNITS
from .._np import NP, Context, resolve
from ..answer import Answer
from ..measures import distance, floor_area, free_floor_area, size, wall_clearance
from .common import cap, fmt, from_ref, length_value, noun_phrase, one, one_object, the, unsupported


def _pick_nearest_to(objs_text: str, other, ctx: Context):
    """'the nearest window' next to another object: the instance closest to it."""
    np_ = noun_phrase(objs_text, ctx)
    if np_ is None or np_.wall is not None:
        return one(objs_text, ctx)
    if re.search(r"\b(nearest|closest)\b", objs_text) and not np_.mods:
        ref = resolve(np_, ctx, one=False)
        if ref.status != "ok":
            return None, from_ref(ref)
        cands = [o for o in ref.objects if o is not other]
        if not cands:
            return None, Answer(
                None, f"there is no other {np_.head} in this scene", {}, [other.id], "absent"
            )
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
        f"{cap(the(a, ctx))} is {fmt(v, u)} from {the(b, ctx)} (closest points).",
        {"objects": [a.id, b.id], "measures": {"distance_m": round(d, 4)}},
        [a.id, b.id],
        unit=u,
    )


def do_wall_dist(ctx: Context, m, text, unit):
    room = ctx.scene.room
    if room is None:
        return unsupported("this scene has no room outline, so I cannot measure to its walls")
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    w = re.sub(r"^the ", "", m["w"]).replace(" wall", "").strip()
    if w in ("wall", "nearest", "closest", "any"):
        d, wid = wall_clearance(a, room)
    else:
        wall = room.wall(w.replace(" ", "_") if w.startswith("wall") else w)
        d = float(
            a.box.footprint().distance(shapely.LineString([wall.start.tolist(), wall.end.tolist()]))
        )
        wid = wall.id
    wall = room.wall(wid)
    v, u = length_value(d, unit)
    return Answer(
        v,
        f"{cap(the(a, ctx))} is {fmt(v, u)} from the {wall.compass} wall ({wid}).",
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
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
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
        txt = f"{cap(the(a, ctx))} measures {fmt(v, u)} along its longest side ({dims})."
    else:
        word = {
            "length": "long",
            "height": "tall",
            "width": "wide",
            "depth": "deep",
            "thickness": "thick",
        }[what]
        txt = f"{cap(the(a, ctx))} is {fmt(v, u)} {word} ({dims})."
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
        f"The room's floor area is {fmt(v, u)}.",
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
            f"The room is {fmt(va, u)} by {fmt(vb, u)}{exact}.",
            {"measures": {"length_m": round(b, 4), "width_m": round(a, 4)}},
            [],
            unit=u,
        )
    val = b if adj in ("long", "length") else a
    v, u = length_value(val, unit)
    word = "long" if adj in ("long", "length") else "wide"
    return Answer(
        v,
        f"The room is {fmt(v, u)} {word}{exact}; the longer side counts as its length.",
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
        f"{fmt(v, u)} of floor is free of furniture.",
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
        f"The ceiling is {fmt(v, u)} high.",
        {"measures": {"ceiling_m": ctx.scene.room.height}},
        [],
        unit=u,
    )
