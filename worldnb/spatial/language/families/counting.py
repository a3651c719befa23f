"""Counting and existence: "how many chairs", "is there a lamp"."""

# ruff: noqa: E501  (regular expressions read best on one line)
from __future__ import annotations

from collections import Counter

from ...answer import Answer
from ..context import Context
from ..lexicon import RELATIONS, UNITS, plural, singular
from ..noun_phrase import NP
from ..resolve import holds, resolve
from ._registry import Slots, family
from ._shared import REL_ALT, from_ref, many, noun_phrase, the


@family(
    "count",
    (
        60,
        r"(?:how many|count(?: the| all the| all)?|number of|what is the number of|tell me the number of|what number of) (?P<a>.+?)(?: (?:are|is) (?:there|present|visible|here|in (?:the|this) (?:room|scene))| do (?:you|i|we) see| can (?:you|i|we) see| does (?:the|this) (?:room|scene) (?:have|contain)| (?:are|is) (?P<rel2>"
        + REL_ALT
        + r") (?P<b>.+?))?(?: in (?:the|this) (?:room|scene))?(?: (?:in )?total)?(?: are there)?$",
    ),
    examples=[
        "How many chair(s) are in this room?",
        "How many things are on the desk?",
    ],
)
def ask_count(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """How many objects of a kind (every kind of it, unless ``exact_labels``), optionally in a relation."""
    a = m["a"]
    if a.split()[0] in UNITS or a.startswith("square "):
        return None  # "how many feet is ...": a distance, not a count
    np_ = noun_phrase(a, ctx)
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
        rel = RELATIONS[m["rel2"]]
        others, _, fail = many(m["b"], ctx)
        if fail is not None:
            return fail
        if others is None:
            return None
        objs = [o for o in objs if any(o is not b and holds(rel, o, b, ctx) for b in others)]
    n = len(objs)
    what = _plural_text(np_) if n != 1 else np_.head
    tail = f" {m['rel2']} {m['b']}" if m["rel2"] else ""
    verb = "is" if n == 1 else "are"
    counted = dict(Counter(o.label for o in objs).most_common())
    parts = ""
    if len(counted) > 1 and np_.labels is not None:  # say what was counted: kinds of a category
        words = [f"{k} {lab if k == 1 else plural(lab)}" for lab, k in counted.items()]
        parts = ": " + (", ".join(words[:-1]) + " and " + words[-1])
    return Answer(
        n,
        f"There {verb} {n} {what}{tail}{parts}.",
        {"objects": [o.id for o in objs], "counted": counted},
        [o.id for o in objs],
    )


def _plural_text(np_: NP) -> str:

    base = np_.head if np_.labels is None or len(np_.labels) != 1 else next(iter(np_.labels))
    if np_.labels is None:
        return "objects"
    words = " ".join([*np_.attrs, plural(base)])
    return words


@family(
    "exists",
    (
        70,
        r"(?:is there|are there|is there any|are there any|do you see|can you see|does (?:the|this) (?:room|scene) (?:have|contain|include)|do we have|have you got) (?P<a>.+?)(?: (?:in|inside) (?:the|this|here) ?(?:room|scene)?| here| at all)?$",
    ),
    examples=[
        "Is there a bed?",
    ],
)
def ask_exists(ctx: Context, m: Slots, text: str, unit: str | None) -> Answer | None:
    """Whether the scene has an object of a kind."""
    np_ = noun_phrase(m["a"], ctx)
    if np_ is None or np_.wall is not None:
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
