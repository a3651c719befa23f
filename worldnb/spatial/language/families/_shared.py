"""What every question family shares: relation regexes (built from the lexicon), slot →
object resolution, how objects are named in answers, numbers with units."""

from __future__ import annotations

import re

from ...answer import Answer
from ..context import Context
from ..lexicon import BE_WORDS, OFF_TOPIC_OPENINGS, RELATIONS, UNITS, alternation, singular
from ..noun_phrase import NP, parse_np
from ..resolve import Ref, resolve

#: regex alternation of every relation phrase, a named group of it, and the verbs that
#: open a yes/no question — all built from the lexicon
REL_ALT = alternation(RELATIONS)
REL = f"(?P<rel>{REL_ALT})"
BE = f"(?:{alternation(BE_WORDS)})"

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


def noun_phrase(text: str, ctx: Context) -> NP | None:
    return parse_np(text, ctx.vocab)


def _unknown_noun(text: str):
    """An Answer for "the dog" (a determiner and a noun this scene has no word for)."""
    m = re.fullmatch(r"(?:the|a|an|any|my|that|this) ([a-z]+(?: [a-z]+)?)", text.strip())
    if m and not re.search(
        r"\b(of|in|on|at|to|from|with|by|walls?|rooms?|floors?|ceilings?|corners?)\b", m.group(1)
    ):
        return Answer(None, f"there is no {singular(m.group(1))} in this scene", {}, [], "absent")
    return None


def one(text: str, ctx: Context):
    """(object, None) or (None, failing Answer); (None, None) if not a noun phrase."""
    np_ = noun_phrase(text, ctx)
    if np_ is None:
        return None, _unknown_noun(text)
    ref = resolve(np_, ctx, one=True)
    if ref.status != "ok":
        return None, from_ref(ref)
    if np_.wall is not None:
        return np_, None
    return ref.objects[0], None


def one_object(text: str, ctx: Context):
    """Like :func:`one` for slots that must name one object (not a wall): (object,
    None), (None, failing Answer), or (None, None) when the template does not fit."""
    o, fail = one(text, ctx)
    if fail is not None or o is None or isinstance(o, NP):
        return None, fail
    return o, None


def objects(ctx: Context, *texts: str):
    """Resolve each slot to one object, in order: (objects, None); (None, the first
    failing Answer); (None, None) when some slot is not one object (a wall, no NP)."""
    got = []
    for text in texts:
        o, fail = one(text, ctx)
        if fail is not None:
            return None, fail
        got.append(o)
    if any(o is None or isinstance(o, NP) for o in got):
        return None, None
    return got, None


def many(text: str, ctx: Context):
    """(objects, NP, None) or (None, NP, failing Answer); (None, None, None) if the
    text names no objects (not a noun phrase, or a wall)."""
    np_ = noun_phrase(text, ctx)
    if np_ is not None and np_.wall is not None:
        return None, None, None
    if np_ is None:
        fail = _unknown_noun(text)
        return None, (NP(text, text, set()) if fail else None), fail
    ref = resolve(np_, ctx, one=not (np_.plural or np_.every or np_.labels is None))
    if ref.status != "ok":
        return None, np_, from_ref(ref)
    return ref.objects, np_, None


def the(o, ctx: Context) -> str:
    """ "the chair" when it is the only one of its label, else its name ("chair 2")."""
    return ctx.name(o)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def length_value(metres: float, unit: str | None, default: str = "m") -> tuple[float, str]:
    u = unit or default
    per = {v[0]: v[1] for v in UNITS.values()}[u]
    v = metres / per
    # three significant figures: a 5 cm gap stays 0.05, not 0.1 (MRA scores relative error)
    return (float(f"{v:.3g}") if abs(v) < 100 else round(v, 1)), u


def fmt(v: float, u: str) -> str:
    return f"{v:g} {u}"


def split_options(s: str) -> list[str]:
    s = re.sub(r"\b(?:or|and)\b", ",", s)
    s = re.sub(r"(?:^|,)\s*(?:\(?[a-d][.)]|\([a-d]\))\s+", ",", s)
    return [p.strip(" ,.()") for p in s.split(",") if p.strip(" ,.()")]


def why_unsupported(text: str, ctx: Context) -> str:
    if re.match(rf"(?:{alternation(OFF_TOPIC_OPENINGS)})\b", text):
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
