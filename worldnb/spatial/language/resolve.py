"""Resolve a parsed noun phrase to scene objects: one small filter per modifier, applied
in order (id, attributes, relation modifiers, corner, size word, side, ordinal), each
narrowing the candidates or saying precisely why none or several fit."""

# ruff: noqa: E501  (reasons read best unbroken)
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely

from .. import predicates
from ..frames import RoomFrame
from ..measures import distance
from .context import Context
from .lexicon import COMPASS_RELATIONS, label_set
from .noun_phrase import NP

__all__ = ["Ref", "holds", "resolve"]


@dataclass
class Ref:
    """What a noun phrase resolved to."""

    objects: list = field(default_factory=list)
    status: str = "ok"  # ok / absent / ambiguous
    reason: str = ""
    note: str = ""  # how it was narrowed down, for evidence


def holds(rel: str, a, b, ctx: Context, c=None) -> bool:
    """Whether relation ``rel`` (a name from the lexicon) holds from ``a`` to ``b``."""
    if rel in COMPASS_RELATIONS:
        return getattr(predicates, COMPASS_RELATIONS[rel])(a, b, frame=RoomFrame(ctx.scene.room))
    if rel in ("left_of", "right_of", "in_front_of", "behind"):
        return getattr(predicates, rel)(a, b, frame=ctx.frame)
    if rel == "near":
        return distance(a, b) <= ctx.near
    if rel == "facing":
        return bool(a.front) and predicates.facing(a, b)
    if rel == "between":
        return predicates.between(a, b, c)
    if rel == "touch":
        return distance(a, b) <= 0.03
    if rel == "inside" and getattr(b, "label", "") == "room":
        return True
    return getattr(predicates, rel)(a, b)


def _clear_extreme(vals: list[float], sign: int, rel: float = 0.2, abs_: float = 0.0):
    """Index of the clear max (sign +1) / min (−1), or None if the top two are close."""
    order = np.argsort([-sign * v for v in vals])
    if len(vals) == 1:
        return int(order[0])
    a, b = vals[order[0]], vals[order[1]]
    if abs(a - b) > max(rel * max(abs(a), abs(b)), abs_):
        return int(order[0])
    return None


def _measure(o, what: str) -> float:
    s = o.box.size
    if what == "volume":
        return float(np.prod(s))
    if what == "height":
        return float(s[1])
    if what == "top":
        return o.box.top
    return float(max(s[0], s[2]))


def walls_named(room, which: str) -> list:
    """The walls ``which`` names: a compass side, a wall id (``"wall_2"``), or any wall
    (``"any"``, ``"nearest"``); empty when the room has no such wall."""
    if which in ("north", "south", "east", "west"):
        return [w for w in room.walls if w.compass == which]
    if which.startswith("wall_"):
        return [w for w in room.walls if w.id == which]
    return list(room.walls)


def _by_wall(o, room, which: str) -> bool:
    near = predicates.walls_near(o, room, 0.3)
    return any(w.id in near for w in walls_named(room, which))


def _wall_gap(o, walls) -> float:
    fp = o.box.footprint()
    return min(float(fp.distance(shapely.LineString([w.start, w.end]))) for w in walls)


# ---- one filter per modifier: (candidates, np, ctx, notes) → candidates or a failing Ref
Filter = Callable[[list, NP, Context, list], "list | Ref"]


def by_ident(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "chair 2", "chair #2"."""
    if np_.ident is None:
        return cands
    hit = [c for c in cands if c.id == np_.ident]
    if not hit:
        names = ", ".join(c.name for c in cands[:8])
        return Ref(
            [], "absent", f"there is no {np_.head} {np_.ident} in this scene; there is {names}"
        )
    return hit


def by_attributes(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "the red chair", "the wooden table": words matched against ``attrs``."""
    kind = np_.head
    for a in np_.attrs:
        hit = [
            c
            for c in cands
            if any(a in str(v).lower() for v in c.attrs.values())
            or (a in ("wood", "wooden") and "wood" in str(c.attrs).lower())
        ]
        if not hit:
            recorded = [
                c for c in cands if any(k in c.attrs for k in ("color", "colour", "material"))
            ]
            if not recorded:
                return Ref(
                    [],
                    "absent",
                    f"there is no {a} {kind} that I can tell: the scene records no colour or material for its {kind}s",
                )
            return Ref([], "absent", f"there is no {a} {kind} in this scene")
        cands = hit
        notes.append(a)
    return cands


def by_relations(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "the chair by the window", "the cup on the desk", "the chair by the north wall"."""
    kind = np_.head
    for prep, sub in np_.mods:
        word = prep.replace("_", " ")
        if sub.wall is not None:
            if ctx.scene.room is None:
                return Ref([], "absent", "this scene has no walls recorded")
            hit = [c for c in cands if _by_wall(c, ctx.scene.room, sub.wall)]
            if not hit:  # never drop the words: "the chair by the north wall" must be by it
                where = "a wall" if sub.wall in ("any", "nearest", "closest") else sub.text
                return Ref([], "absent", f"there is no {kind} {word} {where}")
            cands = hit
            notes.append(f"{word} {sub.text}")
            continue
        sref = resolve(sub, ctx, one=False)
        if sref.status != "ok":
            return sref
        anchors = sref.objects
        pool = [c for c in cands if all(c is not s for s in anchors)]
        if not pool:
            return Ref([], "absent", f"there is no other {kind} {word} the {sub.head}")
        if prep in ("near", "next_to", "nearest", "farthest"):
            # as a modifier these pick: "the chair by the window" is the one clearly closest
            d = [min(distance(c, s) for s in anchors) for c in pool]
            if prep == "farthest":
                k = _clear_extreme(d, +1, 0.05, 0.05)
            elif prep == "nearest":
                k = _clear_extreme(d, -1, 0.05, 0.05)
            else:
                within = [c for c, dd in zip(pool, d, strict=True) if dd <= ctx.near]
                k = _clear_extreme(d, -1, 0.3, 0.3)
                if k is None and within and np_.plural:
                    cands = within
                    continue
            if k is None:
                return Ref(pool, "ambiguous", ctx.ambiguity(np_, pool))
            if np_.plural and prep in ("near", "next_to"):
                cands = [c for c, dd in zip(pool, d, strict=True) if dd <= ctx.near] or [pool[k]]
            else:
                cands = [pool[k]]
        else:
            hit = [c for c in pool if any(holds(prep, c, s, ctx) for s in anchors)]
            if not hit:
                return Ref([], "absent", f"there is no {kind} {word} the {sub.head} in this scene")
            cands = hit
        notes.append(f"{word} the {sub.head}")
    return cands


def by_corner(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "the chair in the corner"."""
    if not np_.corner:
        return cands
    if ctx.scene.room is None:
        return Ref([], "absent", "this scene has no walls recorded, so it has no corners")
    hit = [c for c in cands if predicates.in_corner(c, ctx.scene.room)]
    if not hit:
        return Ref([], "absent", f"there is no {np_.head} in a corner of this room")
    notes.append("in a corner")
    return hit


def by_size(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "the big table", "the tallest lamp": the clear extreme."""
    if np_.size is None or len(cands) < 2:
        return cands
    what, sign, sup = np_.size
    vals = [_measure(c, what) for c in cands]
    k = _clear_extreme(vals, sign, 0.0 if sup else 0.2, 1e-6)
    if k is None:
        return Ref(cands, "ambiguous", ctx.ambiguity(np_, cands))
    return [cands[k]]


def by_side(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "the chair on the left", "the leftmost chair", in the question's frame."""
    if np_.side is None or len(cands) < 2:
        return cands
    key = [
        ctx.frame.lateral(c) if np_.side in ("left", "right") else ctx.frame.depth(c) for c in cands
    ]
    sign = -1 if np_.side in ("left", "front") else 1
    k = _clear_extreme(key, sign, 0.0, 0.05)
    if k is None:
        return Ref(cands, "ambiguous", ctx.ambiguity(np_, cands))
    notes.append(f"on the {np_.side} in {ctx.frame.describe()}")
    return [cands[k]]


def by_ordinal(cands, np_: NP, ctx: Context, notes) -> list | Ref:
    """ "the second chair from the left / from the door / from the north wall"."""
    if np_.ordinal is None:
        return cands
    anchor = np_.order_anchor
    if anchor is not None and anchor.wall is not None:
        room = ctx.scene.room
        walls = [] if room is None else walls_named(room, anchor.wall)
        if not walls:
            return Ref([], "absent", f"this scene has no {anchor.text} recorded")
        key = [_wall_gap(c, walls) for c in cands]
        how = f"counted from {anchor.text}"
    elif anchor is not None:
        aref = resolve(anchor, ctx)
        if aref.status != "ok":
            return aref
        key = [distance(c, aref.objects[0]) for c in cands]
        how = f"counted from the {anchor.head}"
    elif np_.order_from is not None:
        f = ctx.frame
        key = {
            "left": [f.lateral(c) for c in cands],
            "right": [-f.lateral(c) for c in cands],
            "front": [f.depth(c) for c in cands],
            "back": [-f.depth(c) for c in cands],
        }[np_.order_from]
        how = f"counted from the {np_.order_from} in {f.describe()}"
    elif len(cands) == 1 and np_.ordinal in (1, -1):
        key, how = [0.0], ""
    else:
        return Ref(
            cands,
            "ambiguous",
            f"the {re.sub(r'^(?:the|a|an) ', '', np_.text)}: counted from where? say 'from the left', 'from the right' or 'from the door'",
        )
    n = np_.ordinal
    if n > len(cands) or n == 0:
        return Ref(
            [], "absent", f"there are only {len(cands)} {np_.head}s, so there is no {np_.text}"
        )
    order = np.argsort(key, kind="stable")
    idx = order[n - 1] if n > 0 else order[-1]
    ks = sorted(key)
    pos = n - 1 if n > 0 else len(ks) - 1
    if len(ks) > 1 and any(abs(ks[pos] - ks[j]) < 0.02 for j in range(len(ks)) if j != pos):
        return Ref(cands, "ambiguous", ctx.ambiguity(np_, cands))
    notes.append(how)
    return [cands[int(idx)]]


#: the filters, in the order they apply
FILTERS: tuple[Filter, ...] = (
    by_ident,
    by_attributes,
    by_relations,
    by_corner,
    by_size,
    by_side,
    by_ordinal,
)


def resolve(np_: NP, ctx: Context, one: bool = True) -> Ref:
    """Objects a noun phrase names. ``one``: the question needs a single object."""
    if np_.wall is not None:
        return Ref([], "ok", note="wall")
    labels = np_.labels
    if labels is not None and np_.noun:
        labels = label_set(
            np_.noun,
            ctx.vocab.labels,
            plural=np_.plural or np_.every,
            exact=ctx.exact_labels,
            loose=np_.loose,
        )
    cands = ctx.by_labels(labels)
    if not cands:
        return Ref([], "absent", f"there is no {np_.head} in this scene")
    if np_.corrected is not None:
        note = f"I read '{np_.corrected[0]}' as '{np_.corrected[1]}'"
        if note not in ctx.notes:
            ctx.notes.append(note)
    notes: list[str] = []
    for f in FILTERS:
        got = f(cands, np_, ctx, notes)
        if isinstance(got, Ref):
            return got
        cands = got
    if one and len(cands) > 1 and not (np_.plural or np_.every):
        return Ref(cands, "ambiguous", ctx.ambiguity(np_, cands))
    return Ref(cands, "ok", note="; ".join(notes))
