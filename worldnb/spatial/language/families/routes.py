"""Directions and routes: egocentric direction (standing by A facing B), route plans,
turn-by-turn routes and walking distances."""

# ruff: noqa: E501  (answer sentences and regular expressions read best unbroken)
from __future__ import annotations

import re

import numpy as np

from ....errors import QueryError
from ...answer import Answer
from ...frames import EgoFrame, turn_direction
from ...navigation import route
from ..context import Context
from ..lexicon import FACE_WORDS, STAND_PREPS, STAND_WORDS, alternation
from ._registry import Slots, family
from ._shared import fmt, length_value, noun_phrase, objects, one_object, the, unsupported

_STAND, _AT, _FACE = (alternation(w) for w in (STAND_WORDS, STAND_PREPS, FACE_WORDS))
_EGO = re.compile(
    rf".*?\b(?:{_STAND})\s+(?:right )?(?:{_AT})\s+"
    rf"(?P<a>.+?)(?:\s*,)?(?:\s+and)?\s+(?:i am\s+|am\s+)?(?:{_FACE})\s+(?P<b>.+?)(?:\s*,)?(?:\s+(?:then|so))?\s+"
    r"(?:is|are|where is|where are|where would|which side is|on which side is|in which direction is|"
    r"what direction is|would|will)\s+(?P<c>.+?)"
    r"(?:\s+(?:be\s+)?(?:to|on|at|in|behind)\s+(?:my|the|me)\b.*|\s+be\b.*|\s+located.*|\s+relative to me.*|"
    r"\s+from me.*|\s+for me.*|\s+:.*|\s+,.*|\s+(?:front|back|left|right)\b.*)?$"
)
_EGO_REV = re.compile(
    r"(?:is|are|where is|where would) (?P<c>.+?) (?:be )?(?:to|on|at|in|behind) (?:my|me)\b.*?"
    rf"\b(?:if|when|while|assuming)\b.*?(?:{_STAND}|am)\s+(?:{_AT})\s+(?P<a>.+?)"
    rf"(?:\s*,)?(?:\s+and)?\s+(?:{_FACE})\s+(?P<b>.+)$"
)


@family(
    "direction",
    (
        10,
        rf".*\b(?:{_STAND})\s+(?:right )?(?:{_AT})\b.*\b(?:{_FACE}|with my back to)\b.*",
    ),
    examples=[
        "If I am standing by the sofa and facing the bed, is the desk to the left or the right of the bed?",
        "Standing by the table facing the sofa, is the desk front-left, front-right, back-left or back-right?",
    ],
)
def ask_direction(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Egocentric direction: standing by A and facing B, where is C (left/right, back, quadrant)."""
    mm = _EGO.fullmatch(text) or _EGO_REV.fullmatch(text)
    if mm is None:
        return None
    objs = []
    for key in ("a", "b", "c"):
        o, f = one_object(mm[key], ctx)
        if o is None:
            return f
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
    try:
        f = EgoFrame(a, b)
        f.name = f"standing by {the(a, ctx)}, facing {the(b, ctx)}"
        v = f.direction(c, levels)
        ang = f.bearing(c)
    except QueryError as exc:  # two of them stand at one place (a cup on a table)
        return Answer(None, f"No direction: {exc}.", {"objects": [a.id, b.id, c.id]},
                      [a.id, b.id, c.id], "impossible")  # fmt: skip
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


@family(
    "route_plan",
    (0, r".*\bnavigate to\b.*\bfill in\b.*"),
    examples=[
        "You are a robot beginning at the bed facing the sofa. You want to navigate to the plant. You will perform the following actions (Note: for each [please fill in], choose either 'turn back,' 'turn left,' or 'turn right.'): 1. Go forward until the table 2. [please fill in] 3. Go forward until the plant. You have reached the final destination.",
    ],
)
def ask_route_plan(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """VSI-Bench route plans: fill each [please fill in] with the turn between legs."""
    st = re.search(
        r"(?:beginning|starting|start|standing) (?:at|by|from|next to) (?P<a>.+?) (?:and )?facing (?P<b>.+?)(?: ,)? (?:you|i|and|,)\b",
        text,
    )
    if st is None:
        return None
    got, early = objects(ctx, st["a"], st["b"])
    if got is None:
        return early
    pos_obj, face = got
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
        t, f = one_object(target, ctx)
        if t is None:
            return f
        ids.append(t.id)
        goal = np.array([t.box.center[0], t.box.center[2]], np.float64)
        leg = goal - pos
        if pending:
            turn, _ = turn_direction(heading, leg, straight_deg=0.0)
            turns.append(f"turn {turn}")
            pending = 0
        heading, pos = leg, goal
    # the options ("A. Turn Left, Turn Right") are matched by the caller (see .options)
    value: object = turns
    txt = f"The turns are: {', '.join(turns)}."
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


@family(
    "route",
    (
        110,
        r"(?:how (?:do|can|would|should) (?:i|we|you|one) (?:get|go|walk|move|navigate|reach)|give me directions|directions|what is the (?:best |shortest )?(?:way|route|path)|find (?:a|the) (?:route|path|way)|route|path|plan a route|show me the way)\b(?P<rest>.*)$",
    ),
    examples=[
        "How do I get from the bed to the door?",
    ],
)
def ask_route(
    ctx: Context, m: Slots, text: str, unit: str | None, length_only: bool = False
) -> Answer | None:
    """A walkable route between two objects, turn by turn."""
    ends = _route_ends(m["rest"])
    if ends is None:
        tgt = re.fullmatch(r"(?:to )?(?P<b>.+)", m["rest"].strip())
        if tgt and noun_phrase(tgt["b"], ctx) is not None:
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
        o, f = one_object(s, ctx)
        if o is None:
            return f
        objs.append(o)
    facing = None
    if ends[2]:
        facing, f = one_object(ends[2], ctx)
        if facing is None:
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
            f"The walk from {the(objs[0], ctx)} to {the(objs[1], ctx)} is {fmt(v, u)}.",
            ev,
            ids,
            unit=u,
        )
    return Answer(r.steps, f"From {the(objs[0], ctx)}: {r.text} ({r.length:.1f} m).", ev, ids)


@family(
    "walk_dist",
    (
        120,
        r"(?:how far (?:do|would|must) (?:i|we|you) (?:have to )?walk|what is the walking distance|walking distance|how long is the walk)\b(?P<rest>.*)$",
    ),
    examples=[
        "How far do I have to walk from the bed to the desk?",
    ],
)
def ask_walk_dist(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """The length of the walkable route between two objects."""
    return ask_route(ctx, m, text, unit, length_only=True)
