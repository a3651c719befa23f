"""Normalising question text: case, contractions, "chair(s)", number words, units."""

from __future__ import annotations

import re

from .lexicon import NUMBERS, UNITS, alternation

_CONTRACTIONS = {
    "what's": "what is",
    "where's": "where is",
    "how's": "how is",
    "who's": "who is",
    "isn't": "is not",
    "aren't": "are not",
    "doesn't": "does not",
    "don't": "do not",
    "i'm": "i am",
    "it's": "it is",
    "there's": "there is",
    "that's": "that is",
    "can't": "cannot",
    "won't": "will not",
    "let's": "let us",
    "you're": "you are",
}


def normalize(q: str) -> str:
    """Lower-case, one space between words, punctuation reduced to ``, ( ) :``."""
    t = q.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = t.replace("²", "2").replace("×", "x")
    t = re.sub(r"([a-z])\((e?s)\)", r"\1\2", t)  # VSI-Bench's "chair(s)" → "chairs"
    t = re.sub(r"\bsq\.? ?(ft|feet|foot|m|meters?|metres?)\b", r"square \1", t)
    for k, v in _CONTRACTIONS.items():
        t = re.sub(rf"\b{re.escape(k)}\b", v, t)
    t = re.sub(r"(\w)'s\b", r"\1 's", t)  # possessive: "the bed's" → "the bed 's"
    t = re.sub(r"(\d)\s*(cm|mm|m|ft|in|yd)\b", r"\1 \2", t)
    t = re.sub(r"(\d)'(\d+)\"?", r"\1 ft \2 in", t)  # 6'2"
    t = re.sub(r"(\d)'", r"\1 ft", t)
    t = re.sub(r"(\d)\"", r"\1 in", t)
    t = re.sub(r"[?!;\"]", " ", t)
    t = re.sub(r"\.(?!\d)", " ", t)
    t = re.sub(r"([,():])", r" \1 ", t)
    t = re.sub(
        r"\b(an?|one) (half|quarter)\b", lambda m: "0.5" if m.group(2) == "half" else "0.25", t
    )
    words = []
    for w in t.split():
        if w in NUMBERS and w not in ("one",):
            words.append(str(NUMBERS[w]))
        else:
            words.append(w)
    t = " ".join(words)
    t = re.sub(r"\b(\d+) and 0\.5\b", lambda m: str(int(m.group(1)) + 0.5), t)
    return t.strip()


_UNIT_RE = alternation(UNITS)


def parse_length(text: str) -> tuple[float, str] | None:
    """First length in ``text`` → (metres, unit as written); "6 ft 2 in" works."""
    m = re.search(
        rf"(\d+(?:\.\d+)?) ({_UNIT_RE})\b(?: (?:and )?(\d+(?:\.\d+)?) (in|inch|inches|cm))?", text
    )
    if not m:
        return None
    unit, per = UNITS[m.group(2)]
    metres = float(m.group(1)) * per
    if m.group(3):
        metres += float(m.group(3)) * UNITS[m.group(4)][1]
    return metres, unit


def requested_unit(text: str) -> tuple[str, str] | None:
    """(unit, remaining text) when the question asks for a unit ("in feet",
    "how many centimeters"), else None."""
    m = re.search(
        rf"\b(?:in|using|measured in|expressed in|answer in|give it in|as) ({_UNIT_RE})\b", text
    )
    if m and not re.search(rf"\d\s+{re.escape(m.group(0))}", text):
        return UNITS[m.group(1)][0], (text[: m.start()] + text[m.end() :]).strip()
    m = re.search(rf"\bhow many ({_UNIT_RE})\b", text)
    if m:
        return UNITS[m.group(1)][0], text
    m = re.search(rf"\b(?:in )?square ({_UNIT_RE})\b", text)
    if m:
        rest = text if text.startswith("how many") else text[: m.start()] + text[m.end() :]
        return UNITS[m.group(1)][0], rest.strip()
    m = re.search(rf"\bin ({_UNIT_RE}) ?2\b", text)
    if m:
        return UNITS[m.group(1)][0], (text[: m.start()] + text[m.end() :]).strip()
    return None
