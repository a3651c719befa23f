"""Noun phrases: parse "the second red chair from the left by the window" and resolve
it to scene objects, or to a precise reason why it names none or several."""

# ruff: noqa: E501  (regular expressions read best on one line)
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import shapely

from ..scene import OrientedBox, Scene, SceneObject
from . import predicates as R
from ._lexicon import (
    COLOURS,
    GREY,
    MATERIALS,
    ORDINALS,
    SIZE_WORDS,
    label_set,
    noun_forms,
    singular,
)
from .frames import Frame
from .measures import distance

#: Post-modifier prepositions → how they filter ("the chair by the window").
PREPS = {
    "closest to": "nearest",
    "nearest to": "nearest",
    "nearest": "nearest",
    "closest": "nearest",
    "farthest from": "farthest",
    "furthest from": "farthest",
    "next to": "near",
    "close to": "near",
    "near to": "near",
    "near": "near",
    "by": "near",
    "beside": "near",
    "at": "near",
    "in front of": "in_front_of",
    "behind": "behind",
    "on top of": "on",
    "on": "on",
    "under": "below",
    "underneath": "below",
    "below": "below",
    "above": "above",
    "over": "above",
    "inside": "inside",
    "in": "inside",
    "left of": "left_of",
    "to the left of": "left_of",
    "right of": "right_of",
    "to the right of": "right_of",
    "facing": "facing",
    "with": "with",
}
_PREP_RE = "|".join(sorted((re.escape(p) for p in PREPS), key=len, reverse=True))
_DETS = {
    "the",
    "a",
    "an",
    "any",
    "this",
    "that",
    "these",
    "those",
    "my",
    "each",
    "every",
    "all",
    "some",
    "of",
    "one",
}


@dataclass
class NP:
    """A parsed noun phrase."""

    text: str
    head: str  # the noun as written, singular
    labels: set[str] | None  # None: any object ("thing", "object")
    plural: bool = False
    every: bool = False
    attrs: list[str] = field(default_factory=list)
    size: tuple[str, int, bool] | None = None
    ordinal: int | None = None
    order_from: str | None = None  # "left", "right", "front", "back", or None
    order_anchor: NP | None = None  # "the second chair from the door"
    side: str | None = None  # "left"/"right" ("the chair on the left", "leftmost")
    ident: int | None = None
    mods: list[tuple[str, NP]] = field(default_factory=list)
    wall: str | None = None  # "the north wall" → "north"; "the wall" → "any"
    corner: bool = False  # "the chair in the corner"
    junk: list[str] = field(default_factory=list)  # words not understood

    @property
    def clean(self) -> bool:
        return not self.junk and all(sub.clean for _, sub in self.mods)


class Vocab:
    """Noun forms for one scene (labels + synonyms + plurals), longest first."""

    def __init__(self, scene_labels):
        self.labels = set(scene_labels)
        self.forms = noun_forms(self.labels)
        words = sorted(self.forms, key=len, reverse=True)
        self.regex = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")


@functools.lru_cache(maxsize=64)
def vocab_for(labels: frozenset) -> Vocab:
    """The (cached) vocabulary for a set of scene labels."""
    return Vocab(labels)


def parse_np(text: str, vocab: Vocab) -> NP | None:
    """Parse a noun-phrase string; None if it names no object, wall or generic noun."""
    t = " ".join(text.strip(" ,.?").split())
    if not t:
        return None
    wall = re.fullmatch(
        r"(?:the |a |any )?(?:(north|south|east|west|nearest|closest)(?:ern)? )?wall(?: (\d+))?"
        r"|(?:the )?wall_(\d+)",
        t,
    )
    if wall:
        which = wall.group(1) or (
            f"wall_{wall.group(2) or wall.group(3)}" if (wall.group(2) or wall.group(3)) else "any"
        )
        return NP(t, "wall", None, wall=which)
    # split off the first post-modifier that follows the head noun
    m = vocab.regex.search(t)
    generic = re.search(
        r"\b(objects?|things?|items?|furniture|pieces? of furniture|anything|something)\b", t
    )
    if m is None and generic is None:
        return None
    if m is None or (generic is not None and generic.start() < m.start()):
        head_start, head_end, head = generic.start(), generic.end(), generic.group(1)
        labels, plural = None, head.endswith("s") or head == "furniture"
    else:
        head_start, head_end, head = m.start(), m.end(), m.group(1)
        canon, plural = vocab.forms[head]
        labels = label_set(canon, vocab.labels) if canon not in vocab.labels else {canon}
    pre = t[:head_start].split()
    post = t[head_end:].strip()
    np_ = NP(t, singular(head) if plural else head, labels, plural=plural)
    if labels is not None:
        np_.head = next(iter(labels)) if len(labels) == 1 else head
    pending = None
    for w in pre:
        w = w.strip(",")
        if w in ("nearest", "closest"):
            pending = "nearest"
        elif w in ("farthest", "furthest"):
            pending = "farthest"
        elif w in ("all", "every", "each"):
            np_.every = True
        elif w in ORDINALS:
            np_.ordinal = ORDINALS[w]
        elif w in COLOURS:
            np_.attrs.append(GREY.get(w, w))
        elif w in MATERIALS:
            np_.attrs.append(MATERIALS[w])
        elif w in SIZE_WORDS:
            np_.size = SIZE_WORDS[w]
        elif w in ("leftmost", "left"):
            np_.side = "left"
        elif w in ("rightmost", "right"):
            np_.side = "right"
        elif w in ("frontmost",):
            np_.side = "front"
        elif w in _DETS or w in ("other", "same", "only", "single", "piece", "pieces", "kind"):
            continue
        elif re.fullmatch(r"\d+(st|nd|rd|th)", w):
            np_.ordinal = int(w[:-2])
        elif w not in ("most", "very", "one"):
            # an unknown adjective ("the comfy chair"): keep it as an attribute to match
            np_.attrs.append(w)
            np_.junk.append(w)
    # "chair 2", "chair #2", "chair number 2", "chair with id 2"
    idm = re.match(r"(?:#|number |no\. |with id |id )?(\d+)\b(.*)$", post)
    if idm:
        np_.ident = int(idm.group(1))
        post = idm.group(2).strip()
    while post:
        post = post.strip(" ,")
        if pending is not None:
            tm = re.match(r"(?:to|from) (.+)$", post)
            if tm and (sub := parse_np(tm.group(1), vocab)) is not None:
                np_.mods.append((pending, sub))
                pending, post = None, ""
                continue
        cm = re.match(
            r"(?:that is |which is |standing |sitting )?in (?:the |a )?corner\b(.*)$", post
        )
        if cm:
            np_.corner = True
            post = cm.group(1)
            continue
        om = re.match(r"(?:counting |counted )?from (?:the )?(left|right|front|back)\b(.*)$", post)
        if om:
            np_.order_from = om.group(1)
            post = om.group(2)
            continue
        om = re.match(r"(?:counting |counted )?from (.+?)$", post)
        if om and np_.ordinal is not None:
            anchor = parse_np(om.group(1), vocab)
            if anchor is not None:
                np_.order_anchor = anchor
                post = ""
                continue
        sm = re.match(r"(?:on|to) the (left|right)(?: side)?(?: of the room)?\b(.*)$", post)
        if sm:
            np_.side = sm.group(1)
            post = sm.group(2)
            continue
        pm = re.match(
            rf"(?:that is |which is |that's |standing |sitting |placed |located )?({_PREP_RE}) (.+)$",
            post,
        )
        if pm:
            prep, rest = PREPS[pm.group(1)], pm.group(2)
            if prep == "with":
                # "the chair with the red cushion" → attribute words
                np_.attrs += [w for w in rest.split() if w in COLOURS or w in MATERIALS]
                post = ""
                continue
            sub = parse_np(rest, vocab)
            if sub is None:
                np_.attrs.append(rest)
                np_.junk.append(rest)
                post = ""
                continue
            np_.mods.append((prep, sub))
            post = ""
            continue
        # trailing words we do not read ("in the room", "here", "there"): ignore
        if re.fullmatch(
            r"(in (this|the) (room|scene)|here|there|in here|in the picture|"
            r"(that )?(we|you|i) (can )?see|visible)",
            post,
        ):
            post = ""
            continue
        np_.attrs.append(post)
        np_.junk.append(post)
        post = ""
    return np_


@dataclass
class Ref:
    """What a noun phrase resolved to."""

    objects: list = field(default_factory=list)
    status: str = "ok"  # ok / absent / ambiguous
    reason: str = ""
    note: str = ""  # how it was narrowed down, for evidence


class Context:
    """Everything resolution needs about one scene: entities (objects, plus the room's
    doors and windows as thin boxes when no object carries those labels) and a frame."""

    def __init__(self, scene: Scene, frame: Frame):
        self.scene = scene
        self.frame = frame
        objs = list(scene.objects)
        labels = {o.label for o in objs}
        self.openings: dict[int, str] = {}
        room = scene.room
        if room is not None:
            next_id = max((o.id for o in objs), default=0) + 1000
            for op in room.openings:
                if op.kind in labels:
                    continue
                w = room.wall(op.wall)
                x, z = w.point_at(op.offset)
                # a 1 cm slab on the room side of the wall plane, across the opening
                yaw = float(np.arctan2(-w.direction[1], w.direction[0]))
                x, z = np.array([x, z]) + w.normal * 0.005
                box = OrientedBox((x, op.sill + op.height / 2, z), (op.width, op.height, 0.01), yaw)
                o = SceneObject(
                    next_id,
                    op.kind,
                    box,
                    attrs={"name": f"the {op.kind} in the {w.compass} wall", "wall": w.compass},
                )
                self.openings[next_id] = f"{op.kind} on {w.id} ({w.compass})"
                objs.append(o)
                next_id += 1
        self.entities = objs
        self.vocab = vocab_for(frozenset(o.label for o in objs))

    def by_labels(self, labels) -> list:
        if labels is None:
            return [o for o in self.entities if o.id not in self.openings]
        return [o for o in self.entities if o.label in labels]


def describe(o, ctx: Context) -> str:
    """ "chair 2 by the window": the object's name and its nearest different-label thing."""
    others = [e for e in ctx.entities if e.label != o.label]
    if not others:
        return o.name
    d = [distance(o, e) for e in others]
    k = int(np.argmin(d))
    near = others[k]
    if R.on(o, near):
        prep = "on"
    elif near.label in (
        "desk",
        "table",
        "counter",
        "dining table",
        "coffee table",
        "kitchen island",
    ):
        prep = "at"
    else:
        prep = "by"
    nm = near.attrs.get("name") if near.id in ctx.openings else f"the {near.label}"
    return f"{o.name} {prep} {nm}"


def ambiguity_text(np_: NP, cands, ctx: Context) -> str:
    descs = [describe(c, ctx) for c in cands[:6]]
    if len(set(descs)) < len(descs):
        from .frames import RoomFrame

        rf = RoomFrame(ctx.scene.room)
        descs = [f"{d} ({rf.compass(c)} side)" for d, c in zip(descs, cands[:6], strict=False)]
    more = f" and {len(cands) - 6} more" if len(cands) > 6 else ""
    return f"which {np_.head}? there are {len(cands)}: " + ", ".join(descs) + more


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


def _walls_named(room, which: str) -> list:
    """The walls ``which`` names: a compass side, a wall id (``"wall_2"``), or any wall
    (``"any"``, ``"nearest"``); empty when the room has no such wall."""
    if which in ("north", "south", "east", "west"):
        return [w for w in room.walls if w.compass == which]
    if which.startswith("wall_"):
        return [w for w in room.walls if w.id == which]
    return list(room.walls)


def _by_wall(o, room, which: str) -> bool:
    """Whether ``o`` stands within 0.3 m of a wall ``which`` names."""
    near = R.walls_near(o, room, 0.3)
    return any(w.id in near for w in _walls_named(room, which))


def _wall_gap(o, walls) -> float:
    """Floor gap (m) from ``o``'s footprint to the nearest of ``walls``."""
    fp = o.box.footprint()
    return min(float(fp.distance(shapely.LineString([w.start, w.end]))) for w in walls)


def resolve(np_: NP, ctx: Context, one: bool = True) -> Ref:
    """Objects a noun phrase names. ``one``: the question needs a single object."""
    if np_.wall is not None:
        return Ref([], "ok", note="wall")
    cands = ctx.by_labels(np_.labels)
    kind = np_.head
    if not cands:
        return Ref([], "absent", f"there is no {kind} in this scene")
    notes = []
    if np_.ident is not None:
        hit = [c for c in cands if c.id == np_.ident]
        if not hit:
            names = ", ".join(c.name for c in cands[:8])
            return Ref(
                [], "absent", f"there is no {kind} {np_.ident} in this scene; there is {names}"
            )
        cands = hit
    for a in np_.attrs:
        hit = [
            c
            for c in cands
            if any(a in str(v).lower() for v in c.attrs.values())
            or (a in ("wood", "wooden") and "wood" in str(c.attrs).lower())
        ]
        if not hit:
            recorded = [
                c
                for c in cands
                if c.attrs and any(k in c.attrs for k in ("color", "colour", "material"))
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
    for prep, sub in np_.mods:
        if sub.wall is not None:
            if ctx.scene.room is None:
                return Ref([], "absent", "this scene has no walls recorded")
            room = ctx.scene.room
            hit = [c for c in cands if _by_wall(c, room, sub.wall)]
            if not hit:  # never drop the words: "the chair by the north wall" must be by it
                where = "a wall" if sub.wall in ("any", "nearest", "closest") else sub.text
                return Ref([], "absent", f"there is no {kind} {prep.replace('_', ' ')} {where}")
            cands = hit
            notes.append(f"{prep.replace('_', ' ')} {sub.text}")
            continue
        sref = resolve(sub, ctx, one=False)
        if sref.status != "ok":
            return sref
        anchors = [s for s in sref.objects]
        pool = [c for c in cands if all(c is not s for s in anchors)]
        if not pool:
            return Ref(
                [], "absent", f"there is no other {kind} {prep.replace('_', ' ')} the {sub.head}"
            )
        if prep in ("near", "nearest", "farthest"):
            d = [min(distance(c, s) for s in anchors) for c in pool]
            if prep == "farthest":
                k = _clear_extreme(d, +1, 0.05, 0.05)
            elif prep == "nearest":
                k = _clear_extreme(d, -1, 0.05, 0.05)
            else:
                within = [c for c, dd in zip(pool, d, strict=True) if dd <= 1.0]
                k = _clear_extreme(d, -1, 0.3, 0.3)
                if k is None and len(within) >= 1 and np_.plural:
                    cands = within
                    continue
            if k is None:
                return Ref(pool, "ambiguous", ambiguity_text(np_, pool, ctx))
            cands = (
                [pool[k]]
                if not np_.plural or prep != "near"
                else [c for c, dd in zip(pool, d, strict=True) if dd <= 1.0] or [pool[k]]
            )
        else:
            fn = getattr(R, prep)
            if prep in ("left_of", "right_of", "in_front_of", "behind"):
                hit = [c for c in pool if any(fn(c, s, frame=ctx.frame) for s in anchors)]
            elif prep == "facing":
                hit = [c for c in pool if any(R.facing(c, s) for s in anchors)]
            else:
                hit = [c for c in pool if any(fn(c, s) for s in anchors)]
            if not hit:
                return Ref(
                    [],
                    "absent",
                    f"there is no {kind} {prep.replace('_', ' ')} the {sub.head} in this scene",
                )
            cands = hit
        notes.append(f"{prep.replace('_', ' ')} the {sub.head}")
    if np_.corner:
        if ctx.scene.room is None:
            return Ref([], "absent", "this scene has no walls recorded, so it has no corners")
        hit = [c for c in cands if R.in_corner(c, ctx.scene.room)]
        if not hit:
            return Ref([], "absent", f"there is no {kind} in a corner of this room")
        cands = hit
        notes.append("in a corner")
    if np_.size is not None:
        what, sign, sup = np_.size
        vals = [_measure(c, what) for c in cands]
        if len(cands) > 1:
            k = _clear_extreme(vals, sign, 0.0 if sup else 0.2, 1e-6)
            if k is None:
                return Ref(cands, "ambiguous", ambiguity_text(np_, cands, ctx))
            cands = [cands[k]]
    if np_.side is not None and len(cands) > 1:
        key = [
            ctx.frame.lateral(c) if np_.side in ("left", "right") else ctx.frame.depth(c)
            for c in cands
        ]
        sign = -1 if np_.side in ("left", "front") else 1
        k = _clear_extreme(key, sign, 0.0, 0.05)
        if k is None:
            return Ref(cands, "ambiguous", ambiguity_text(np_, cands, ctx))
        cands = [cands[k]]
        notes.append(f"on the {np_.side} in {ctx.frame.describe()}")
    if np_.ordinal is not None:
        if np_.order_anchor is not None and np_.order_anchor.wall is not None:
            room = ctx.scene.room
            walls = [] if room is None else _walls_named(room, np_.order_anchor.wall)
            if not walls:
                return Ref([], "absent", f"this scene has no {np_.order_anchor.text} recorded")
            key = [_wall_gap(c, walls) for c in cands]
            how = f"counted from {np_.order_anchor.text}"
        elif np_.order_anchor is not None:
            aref = resolve(np_.order_anchor, ctx)
            if aref.status != "ok":
                return aref
            key = [distance(c, aref.objects[0]) for c in cands]
            how = f"counted from the {np_.order_anchor.head}"
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
        order = np.argsort(key, kind="stable")
        n = np_.ordinal
        if n > len(cands) or n == 0:
            return Ref(
                [], "absent", f"there are only {len(cands)} {kind}s, so there is no {np_.text}"
            )
        idx = order[n - 1] if n > 0 else order[-1]
        ks = sorted(key)
        pos = n - 1 if n > 0 else len(ks) - 1
        if len(ks) > 1 and any(abs(ks[pos] - ks[j]) < 0.02 for j in range(len(ks)) if j != pos):
            return Ref(cands, "ambiguous", ambiguity_text(np_, cands, ctx))
        cands = [cands[int(idx)]]
        notes.append(how)
    if one and len(cands) > 1 and not (np_.plural or np_.every):
        return Ref(cands, "ambiguous", ambiguity_text(np_, cands, ctx))
    return Ref(cands, "ok", note="; ".join(notes))
