"""Relations: yes/no and "what is <relation> X" questions, what an object faces,
nearest objects, walls and corners, where an object is, its attributes."""

# ruff: noqa: E501  (answer sentences and regular expressions read best unbroken)
from __future__ import annotations

import re

import numpy as np

from .. import predicates as R
from .._np import Context, resolve
from ..answer import Answer
from ..frames import RoomFrame
from ..measures import distance, wall_clearance
from .common import (
    COMPASS_REL,
    REL_NAME,
    REL_NAME_KEYS,
    cap,
    many,
    noun_phrase,
    one_object,
    the,
    unsupported,
)


def holds(rel: str, a, b, ctx: Context, c=None) -> bool:
    if rel in COMPASS_REL:
        return getattr(R, COMPASS_REL[rel])(a, b, frame=RoomFrame(ctx.scene.room))
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
    if rel in COMPASS_REL:
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
        b, c, early = _between_anchors(m["b"], ctx)
        if b is None:
            return early
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
        hits = [any(o is not s and holds(rel, s, o, ctx) for o in objs) for s in subj]
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
        b, c, early = _between_anchors(m["b"], ctx)
        if b is None:
            return early
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
            if all(o is not a for a in objs) and any(holds(rel, o, a, ctx) for a in objs)
        ]
        desc = f"{_REL_WORDS[rel]} {the(b, ctx) if len(objs) == 1 else 'the ' + onp.head + 's'}"
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


def do_what_faces(ctx: Context, m, text, unit):
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
    hits = R.front_ray_hits(b, [o for o in ctx.entities if o is not b])
    if not hits:
        cone = [o for o in ctx.entities if o is not b and R.facing_angle(b, o) <= 30]
        hits = sorted(cone, key=lambda o: R.facing_angle(b, o))
    names = [the(o, ctx) for o in hits]
    txt = f"{cap(the(b, ctx))} faces " + (", then ".join(names) or "nothing in particular") + "."
    ids = [o.id for o in hits]
    return Answer([o.name for o in hits], txt, {"objects": [b.id, *ids]}, [b.id, *ids])


def do_nearest(ctx: Context, m, text, unit):
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    if m.groupdict().get("b"):
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


def do_direction_wall(ctx: Context, m, text, unit):
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
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
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
        value, cap(txt), {"objects": [o.id for o in objs]}, [o.id for o in objs], unit="m"
    )


def do_attr(ctx: Context, m, text, unit):
    a, fa = one_object(m["a"], ctx)
    if a is None:
        return fa
    what = (m.groupdict().get("what") or "material").replace("colour", "color")
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
