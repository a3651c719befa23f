"""Counting and existence: "how many chairs", "is there a lamp"."""

from __future__ import annotations

from .._lexicon import UNITS, plural, singular
from .._np import NP, Context, resolve
from ..answer import Answer
from .common import REL_NAME, from_ref, many, noun_phrase, the
from .relations import holds


def do_count(ctx: Context, m, text, unit):
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
        rel = REL_NAME[m["rel2"]]
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
    return Answer(
        n,
        f"There {verb} {n} {what}{tail}.",
        {"objects": [o.id for o in objs]},
        [o.id for o in objs],
    )


def _plural_text(np_: NP) -> str:

    base = np_.head if np_.labels is None or len(np_.labels) != 1 else next(iter(np_.labels))
    if np_.labels is None:
        return "objects"
    words = " ".join([*np_.attrs, plural(base)])
    return words


def do_exists(ctx: Context, m, text, unit):
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
