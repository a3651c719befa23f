"""Relations: yes/no and "what is <relation> X" questions, what an object faces,
nearest objects, walls and corners, where an object is, its attributes."""

# ruff: noqa: E501  (answer sentences and regular expressions read best unbroken)
from __future__ import annotations

import re

import numpy as np

from ... import predicates
from ...answer import Answer
from ...frames import RoomFrame
from ...measures import distance, wall_clearance
from ..context import Context
from ..lexicon import (
    COMPASS,
    COMPASS_RELATIONS,
    RELATION_PHRASE,
    RELATION_VERBS,
    RELATIONS,
    WALL_CONTACT,
    alternation,
)
from ..resolve import holds, resolve
from ._registry import Slots, family
from ._shared import (
    BE,
    REL,
    cap,
    many,
    noun_phrase,
    one_object,
    the,
    unsupported,
)


def _frame_note(rel: str, ctx: Context) -> dict:
    if rel in ("left_of", "right_of", "in_front_of", "behind"):
        return {"frame": ctx.frame.describe()}
    if rel in COMPASS_RELATIONS:
        return {"frame": RoomFrame.name}
    return {}


#: relation phrases and the facing verbs: where "A <relation> B" may split
_SPLIT_WORDS = {**RELATIONS, **{k: v for k, v in RELATION_VERBS.items() if v == "facing"}}
_REL_SPLIT = re.compile(r"\b(" + alternation(_SPLIT_WORDS) + r")\b")


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
        na, nb = (
            noun_phrase(a, ctx),
            noun_phrase(b if rel != "between" else re.split(r"\s+and\s+", b)[0], ctx),
        )
        if na is None or nb is None:
            continue
        score = (na.clean and nb.clean, na.clean, len(rel))
        if best is None or score > best[0]:
            best = (score, a, rel, b)
    if best is None:
        return None
    return best[1], best[2], best[3]


def _between_anchors(text: str, ctx: Context):
    """ "B and C" → (b, c, None); (None, None, failing Answer) when one of them fails to
    resolve; (None, None, None) when the text is not two objects."""
    parts = re.split(r"\s+and\s+", text, maxsplit=1)
    if len(parts) != 2:
        return None, None, None
    b, fb = one_object(parts[0], ctx)
    c, fc = one_object(parts[1], ctx)
    if fb is not None or fc is not None:
        return None, None, fb or fc
    if b is None or c is None:
        return None, None, None
    return b, c, None


@family(
    "rel_yn",
    (
        520,
        BE
        + r" (?P<a>.+) (?:located |placed |positioned |standing |sitting |lying |situated )?"
        + REL
        + r" (?P<b>.+)$",
    ),
    (530, r"(?:does|do) (?P<a>.+?) (?P<rel>" + alternation(RELATION_VERBS) + r") (?P<b>.+)$"),
    examples=[
        "Is the bed to the left of the desk?",
    ],
)
def ask_rel_yn(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Yes/no: whether A is in a relation to B ('is the lamp on the nightstand?')."""
    body = re.sub(rf"^{BE} ", "", text)
    body = re.sub(
        r"\b(?:located|placed|positioned|standing|sitting|lying|situated) (?=\w)", "", body
    )
    sp = best_split(body, ctx) if m["rel"] in _SPLIT_WORDS else None
    if sp is not None:
        m = _Split(a=sp[0], rel=sp[1], b=sp[2])
    rel = _SPLIT_WORDS.get(m["rel"]) or RELATION_VERBS.get(m["rel"], m["rel"])
    subj, snp, fail = many(m["a"], ctx)
    if snp is None:
        return None
    if fail is not None:
        return fail
    if rel == "between":
        b, c, early = _between_anchors(m["b"], ctx)
        if b is None:
            return early
        results = [predicates.between(s, b, c) for s in subj]
        val = all(results)
        names = " and ".join(the(x, ctx) for x in subj)
        return Answer(
            val,
            f"{'Yes' if val else 'No'}, {names} {'is' if val else 'is not'} between {the(b, ctx)} and {the(c, ctx)}.",
            {"objects": [*[s.id for s in subj], b.id, c.id]},
            [*[s.id for s in subj], b.id, c.id],
        )
    if re.fullmatch(r"(?:the |a |any )?(?:(?:north|south|east|west) )?walls?", m["b"].strip()):
        return ask_against_wall(ctx, {"a": m["a"], "w": m["b"]}, text, unit)
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
    hits = [any(o is not s and holds(rel, s, o, ctx) for o in objs) for s in subj]
    word = RELATION_PHRASE[rel]
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


@family(
    "what_rel",
    (370, r"(?:what|which [a-z ]+?) (?P<rel>faces|face) (?P<b>.+)$"),
    (
        450,
        r"(?:what|which (?:objects?|things?|items?)|which [a-z]+|who|anything)(?: is| are| sits| stands| lies)? "
        + REL
        + r" (?P<b>.+)$",
    ),
    (
        480,
        r"(?:what|which (?:objects?|things?|items?)) (?:is|are) (?:there )?" + REL + r" (?P<b>.+)$",
    ),
    (
        490,
        r"(?:list|name|show(?: me)?) (?:the |all )?(?:objects?|things?|items?)(?: that are)? "
        + REL
        + r" (?P<b>.+)$",
    ),
    examples=[
        "What is under the lamp?",
    ],
)
def ask_what_rel(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The objects in a relation to an anchor ('what is on the desk?')."""
    if m.get("rel") in _SPLIT_WORDS and " ".join(m["b"].split()[:1]) in ("of",):
        return None
    rel = _SPLIT_WORDS.get(m["rel"]) or RELATION_VERBS.get(m["rel"], m["rel"])
    if rel == "between":
        b, c, early = _between_anchors(m["b"], ctx)
        if b is None:
            return early
        hits = [
            o for o in ctx.entities if o is not b and o is not c and predicates.between(o, b, c)
        ]
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
            if all(o is not a for a in objs) and any(holds(rel, o, a, ctx) for a in objs)
        ]
        desc = (
            f"{RELATION_PHRASE[rel]} {the(b, ctx) if len(objs) == 1 else 'the ' + onp.head + 's'}"
        )
    # "which chairs are near the table": restrict to the asked label
    lead = re.match(r"which ([a-z ]+?) (?:is|are|faces|face|sits|stands|lies) ", text)
    if lead and lead.group(1) not in ("object", "objects", "thing", "things", "item", "items"):
        lnp = noun_phrase(lead.group(1), ctx)
        if lnp is not None and lnp.labels is not None:
            hits = [o for o in hits if o.label in lnp.labels]
    hits.sort(key=lambda o: min(distance(o, a) for a in anchors))
    names = [the(o, ctx) for o in hits]
    txt = (
        f"{cap(', '.join(names))} {'is' if len(names) == 1 else 'are'} {desc}."
        if names
        else f"Nothing is {desc}."
    )
    ev = {"objects": [o.id for o in hits] + [a.id for a in anchors], **_frame_note(rel, ctx)}
    return Answer([o.name for o in hits], txt, ev, [o.id for o in hits] + [a.id for a in anchors])


@family(
    "what_faces",
    (460, r"what (?:is|are) (?P<b>.+?) (?:facing|pointed at|looking at|turned towards?)$"),
    (470, r"what does (?P<b>.+?) (?:face|point at|look at)$"),
    examples=[
        "What does chair 5 face?",
    ],
)
def ask_what_faces(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """What an object faces (along its front)."""
    b, fb = one_object(m["b"], ctx)
    if b is None:
        return fb
    if not b.front:
        return Answer(
            [],
            f"{cap(the(b, ctx))} has no front, so it faces nothing.",
            {"objects": [b.id]},
            [b.id],
        )
    hits = predicates.front_ray_hits(b, [o for o in ctx.entities if o is not b])
    if not hits:
        cone = [o for o in ctx.entities if o is not b and predicates.facing_angle(b, o) <= 30]
        hits = sorted(cone, key=lambda o: predicates.facing_angle(b, o))
    names = [the(o, ctx) for o in hits]
    txt = f"{cap(the(b, ctx))} faces " + (", then ".join(names) or "nothing in particular") + "."
    ids = [o.id for o in hits]
    return Answer([o.name for o in hits], txt, {"objects": [b.id, *ids]}, [b.id, *ids])


@family(
    "nearest",
    (
        380,
        r"(?:what|which)(?: object| thing| item| piece of furniture)? (?:is|are|'s)? ?(?:the )?(?P<sup>closest|nearest|farthest|furthest)(?: object| thing| item| one)? (?:to|from) (?P<a>.+)$",
    ),
    (
        390,
        r"(?:which|what) (?P<b>.+?) (?:is|are) (?:the )?(?P<sup>closest|nearest|farthest|furthest)(?: one)? (?:to|from) (?P<a>.+)$",
    ),
    (
        400,
        r"(?:what|which) (?:object|thing) (?:is|lies) (?P<sup>closest|nearest|farthest|furthest) (?:to|from) (?P<a>.+)$",
    ),
    examples=[
        "What is the closest object to the sofa?",
    ],
)
def ask_nearest(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The object closest to (farthest from) another."""
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    if m.get("b"):
        cands, bnp, fail = many(m["b"], ctx)
        if bnp is None:
            return None
        if fail is not None and fail.status == "absent":
            return fail
        if cands is None:
            cands = resolve(bnp, ctx, one=False).objects
    else:
        cands = ctx.entities
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
        f"{cap(the(o, ctx))} is {'farthest from' if far else 'closest to'} {the(a, ctx)} ({d[k]:.2f} m).",
        {"objects": [a.id, o.id], "measures": {"distance_m": round(d[k], 4)}},
        [a.id, o.id],
    )


@family(
    "direction_wall",
    (
        410,
        r"(?:which|what) wall is (?P<a>.+?) (?:against|next to|by|near|closest to|nearest to|on)$",
    ),
    examples=[
        "Which wall is the bed against?",
    ],
)
def ask_direction_wall(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The wall an object stands nearest to."""
    if ctx.scene.room is None:
        return unsupported("this scene has no room outline, so it has no walls I can name")
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    d, wid = wall_clearance(a, ctx.scene.room)
    w = ctx.scene.room.wall(wid)
    return Answer(
        w.compass,
        f"{cap(the(a, ctx))} is {d:.2f} m from the {w.compass} wall ({wid}), its nearest.",
        {"objects": [a.id], "wall": wid, "measures": {"distance_m": round(d, 4)}},
        [a.id],
    )


@family(
    "against_wall",
    (
        430,
        rf"(?:is|are) (?P<a>.+?) (?:{alternation(WALL_CONTACT)}) (?:a|the|any) (?P<w>(?:(?:{alternation(COMPASS)}) )?wall)$",
    ),
    examples=[
        "Is the bed against the wall?",
    ],
)
def ask_against_wall(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether an object stands against a wall."""
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
        walls = predicates.walls_near(s, room)
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


@family(
    "corner",
    (440, r"(?:is|are) (?P<a>.+?) in (?:a|the) corner(?: of the room)?$"),
    examples=[
        "Is the plant in a corner?",
    ],
)
def ask_corner(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether an object stands in a corner."""
    room = ctx.scene.room
    if room is None:
        return unsupported("this scene has no room outline, so it has no corners")
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    val = predicates.in_corner(a, room)
    walls = predicates.walls_near(a, room, 0.3)
    return Answer(
        val,
        f"{'Yes' if val else 'No'}, {the(a, ctx)} is {'' if val else 'not '}in a corner"
        f" (walls within 0.3 m: {', '.join(room.wall(w).compass for w in walls) or 'none'}).",
        {"objects": [a.id], "walls": walls},
        [a.id],
    )


@family(
    "where",
    (
        500,
        r"where (?:is|are|can i find|do i find|would i find|is located) (?P<a>.+?)(?: located)?$",
    ),
    (510, r"(?:find|locate|show me|point to|highlight) (?P<a>.+)$"),
    examples=[
        "Where is the lamp?",
    ],
)
def ask_where(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Where an object is: on what, by which wall, its centre."""
    objs, np_, fail = many(m["a"], ctx)
    if np_ is None:
        return None
    if fail is not None:
        return fail
    parts = []
    for o in objs[:4]:
        bits = []
        others = [e for e in ctx.entities if e is not o]
        sup = [e for e in others if predicates.on(o, e)]
        if sup:
            bits.append(f"on {the(sup[0], ctx)}")
        rf = RoomFrame(ctx.scene.room)
        if ctx.scene.room is not None:
            walls = predicates.walls_near(o, ctx.scene.room)
            if predicates.in_corner(o, ctx.scene.room):
                cw = sorted(
                    {
                        ctx.scene.room.wall(w).compass
                        for w in predicates.walls_near(o, ctx.scene.room, 0.3)
                    }
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
        value, cap(txt), {"objects": [o.id for o in objs]}, [o.id for o in objs], unit="m"
    )


@family(
    "attr",
    (270, r"what (?P<what>colou?r|material) (?:is|are) (?P<a>.+)$"),
    (280, r"what is (?P<a>.+?) made of$"),
    (290, r"what is the (?P<what>colou?r|material) of (?P<a>.+)$"),
    examples=[
        "What colour is the bed?",
    ],
)
def ask_attr(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """An object's recorded colour or material."""
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    what = (m.get("what") or "material").replace("colour", "color")
    keys = ("color", "colour") if what == "color" else ("material",)
    for k in keys:
        if k in a.attrs:
            v = str(a.attrs[k])
            return Answer(
                v,
                f"{cap(the(a, ctx))} is {v}."
                if what == "color"
                else f"{cap(the(a, ctx))} is made of {v}.",
                {"objects": [a.id], "attribute": k},
                [a.id],
            )
    return unsupported(f"the scene does not record the {what} of {the(a, ctx)}")
