"""Measures: distances between objects and to walls, object sizes, the room's size,
dimensions, free floor and height."""

# ruff: noqa: E501  (regular expressions read best on one line)
from __future__ import annotations

import re

import numpy as np
import shapely

from ....errors import QueryError
from ...answer import Answer
from ...measures import distance, floor_area, free_floor_area, size, wall_clearance
from ..context import Context
from ..lexicon import AREA_UNITS, SIZE_QUESTION_WORDS
from ..noun_phrase import NP
from ..resolve import resolve
from ._registry import Slots, family
from ._shared import (
    cap,
    fmt,
    from_ref,
    length_value,
    noun_phrase,
    one,
    one_object,
    the,
    unsupported,
)


def _as_wall_dist(ans: Answer | None) -> Answer | None:
    """A distance question that named a wall is answered (and reported) as wall_dist."""
    if ans is not None:
        ans.evidence.setdefault("family", "wall_dist")
    return ans


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


@family(
    "distance",
    (
        200,
        r"(?:measuring from the closest point of each object , )?(?:what is |what 's |tell me |give me |measure |compute |find )?(?:the )?(?:(?:direct|straight-line|straight line|euclidean|shortest|closest|minimum) )?(?:distance|gap|space|separation|clearance) (?:between|from) (?P<a>.+?) (?:and|to) (?P<b>.+)$",
    ),
    (
        210,
        r"how (?:far|close|distant)(?: away)? (?:apart )?(?:is|are) (?P<a>.+?) (?:from|to) (?P<b>.+)$",
    ),
    (220, r"how (?:far|close) apart (?:is|are) (?P<a>.+?) and (?P<b>.+)$"),
    (230, r"how (?:far|close) (?:is|are) (?P<a>.+?) and (?P<b>.+?)(?: from each other| apart)?$"),
    (
        240,
        r"how much (?:space|room|distance|clearance|gap) is there between (?P<a>.+?) and (?P<b>.+)$",
    ),
    (
        250,
        r"how many [a-z]+ (?:is|are|separate|lie between|between) (?P<a>.+?) (?:from|and|to) (?P<b>.+?)(?: apart| away)?$",
    ),
    (260, r"how many [a-z]+ (?:apart|away) (?:is|are) (?P<a>.+?) (?:from|and) (?P<b>.+)$"),
    (360, r"how far (?P<a>.+?) (?:is|are) (?:from|to) (?P<b>.+)$"),
    examples=[
        "Measuring from the closest point of each object, what is the direct distance between the sofa and the table (in meters)?",
        "How far is the sofa from the table?",
    ],
)
def ask_distance(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Distance between two objects' closest points (or an object and a wall)."""
    a, fa = one(m["a"], ctx)
    if fa is not None:
        return fa
    if a is None:
        return None
    if isinstance(a, NP):
        return _as_wall_dist(ask_wall_dist(ctx, {"a": m["b"], "w": m["a"]}, text, unit))
    b, fb = _pick_nearest_to(m["b"], a, ctx)
    if fb is not None:
        return fb
    if b is None:
        return None
    if isinstance(b, NP):
        return _as_wall_dist(ask_wall_dist(ctx, {"a": m["a"], "w": m["b"]}, text, unit))
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


@family(
    "wall_dist",
    (
        420,
        r"how far is (?P<a>.+?) from (?P<w>(?:the )?(?:(?:north|south|east|west|nearest|closest) )?wall(?: \d+)?)$",
    ),
    examples=[
        "How far is the bed from the north wall?",
    ],
)
def ask_wall_dist(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Distance from an object to a wall."""
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


@family(
    "size",
    (
        190,
        r"what is the length of the longest dimension \( length , width , or height \) of (?P<a>.+?)(?: , measured(?: in [a-z]+)?)?$",
    ),
    (300, r"how (?P<adj>tall|high|wide|long|deep|big|large|thick) (?:is|are) (?P<a>.+)$"),
    (
        310,
        r"what (?:is|are) (?:the )?(?P<adj>height|width|length|depth|size|dimensions?|measurements?|longest dimension|extent) of (?P<a>.+)$",
    ),
    (320, r"(?P<adj>size|dimensions|height|width|length|measurements) of (?P<a>.+)$"),
    (330, r"what size is (?P<a>.+)$"),
    (340, r"how (?P<adj>big|large|tall|long|wide) is (?P<a>.+)$"),
    (350, r"how (?P<adj>tall|high|wide|long|deep|big|large|thick) (?P<a>.+?) (?:is|are)$"),
    examples=[
        "What is the length of the longest dimension (length, width, or height) of the bed, measured in centimeters?",
        "How tall is the closet?",
    ],
)
def ask_size(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """An object's size: its longest side (VSI-Bench), or its height, width, length, depth."""
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    adj = (m.get("adj") or "size").strip()
    s = size(a)
    what = SIZE_QUESTION_WORDS.get(adj, "longest")
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


@family(
    "room_size",
    (
        50,
        r".*\b(?:room size|size of (?:the|this) room|floor area|area of (?:the|this) (?:room|floor)|how (?:big|large) is (?:the|this) room|how much floor|floor space|room area|square (?:meters|metres|feet|footage)|footprint of (?:the|this) room|how large is the floor$|what area does the room|room'?s? (?:area|size)|area (?:does|of) (?:the|this) room|how big is the floor$|the room 's (?:area|size)|(?:the|this) room (?:measure|cover))\b.*",
    ),
    examples=[
        "What is the size of this room (in square meters)? If multiple rooms are shown, estimate the size of the combined space.",
        "How big is the room?",
    ],
)
def ask_room_size(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The room's floor area."""
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


@family(
    "room_dims",
    (
        40,
        r"(?:how (?P<adj>wide|long|deep) is (?:the|this) room|what (?:is|are) the (?P<adj2>width|length|depth|dimensions) of (?:the|this) room|(?:the|this) room 's (?P<adj3>width|length|depth|dimensions))$",
    ),
    examples=[
        "How wide is the room?",
    ],
)
def ask_room_dims(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The room's width, length or both (sides of the smallest rectangle around the floor)."""
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


@family(
    "room_free",
    (20, r".*\b(?:free|empty|open|unoccupied|walkable|clear) (?:floor )?(?:space|area|floor)\b.*"),
    examples=[
        "How much free floor space is there?",
    ],
)
def ask_room_free(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Floor area not covered by furniture that stands on the floor."""
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


@family(
    "room_height",
    (
        30,
        r".*\b(?:how (?:high|tall) is the ceiling|ceiling height|height of the (?:room|ceiling)|how (?:tall|high) is (?:the|this) room)\b.*",
    ),
    examples=[
        "How high is the ceiling?",
    ],
)
def ask_room_height(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Ceiling height."""
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
