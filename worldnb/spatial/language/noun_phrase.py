"""Noun phrases: parse "the second red chair from the left by the window" into an
:class:`NP` (head noun, attributes, ordinal, side, modifiers); :mod:`.resolve` finds
the objects it names. Misspelt nouns ("chiars") are read as the one noun they are a
letter away from, and the answer says so."""

# ruff: noqa: E501  (regular expressions read best on one line)
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .lexicon import (
    COLOURS,
    DETERMINERS,
    FILLER_WORDS,
    GENERIC,
    GREY,
    LOOSELY,
    MATERIALS,
    NOUN_MODIFIERS,
    NP_TAILS,
    ORDINALS,
    PICK_FARTHEST,
    PICK_NEAREST,
    SIDE_WORDS,
    SIZE_WORDS,
    alternation,
    known_words,
    label_set,
    noun_forms,
    singular,
)

__all__ = ["NP", "Vocab", "parse_np", "vocab_for"]

_MOD_RE = alternation(NOUN_MODIFIERS)
_GENERIC_RE = re.compile(r"\b(" + alternation(GENERIC) + r")\b")
_LOOSE_RE = re.compile(r"\b(?:" + alternation(LOOSELY) + r")\b")


@dataclass
class NP:
    """A parsed noun phrase."""

    text: str
    head: str  # the noun as written, singular
    labels: set[str] | None  # None: any object ("thing", "object")
    plural: bool = False
    noun: str = ""  # the canonical noun the labels come from
    loose: bool = False  # "tables of any kind": loose kinds count too
    corrected: tuple[str, str] | None = None  # ("chiars", "chairs"): a misspelling read
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
        self.regex = re.compile(r"\b(" + alternation(self.forms) + r")\b")
        self.known = known_words() | {w for f in self.forms for w in f.split()}
        self._single = sorted(f for f in self.forms if " " not in f and len(f) >= 4)

    def correct(self, word: str) -> str | None:
        """The one noun ``word`` is a typo of (one edit: a letter wrong, missing, extra
        or two swapped; two for words of 8+ letters), or None."""
        if len(word) < 4 or word in self.known or not word.isalpha():
            return None
        limit = 2 if len(word) >= 8 else 1
        best, hits = limit + 1, []
        for f in self._single:
            if abs(len(f) - len(word)) > limit:
                continue
            d = _edits(word, f, limit)
            if d < best:
                best, hits = d, [f]
            elif d == best:
                hits.append(f)
        cands = {self.forms[h][0] for h in hits}
        return hits[0] if best <= limit and len(cands) == 1 else None


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b`` (limit + 1 when larger)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@functools.lru_cache(maxsize=64)
def vocab_for(labels: frozenset) -> Vocab:
    """The (cached) vocabulary for a set of scene labels."""
    return Vocab(labels)


def parse_np(text: str, vocab: Vocab) -> NP | None:
    """Parse a noun-phrase string; None if it names no object, wall or generic noun."""
    t = " ".join(text.strip(" ,.?").split())
    if not t:
        return None
    loose = _LOOSE_RE.search(t)
    if loose:
        t = " ".join((t[: loose.start()] + t[loose.end() :]).split())
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
    generic = _GENERIC_RE.search(t)
    corrected = None
    if m is None and generic is None:
        for w in t.split():
            fix = vocab.correct(w)
            if fix is not None:
                corrected = (w, fix)
                t = re.sub(rf"\b{re.escape(w)}\b", fix, t, count=1)
                m = vocab.regex.search(t)
                break
    if m is None and generic is None:
        return None
    if m is None or (generic is not None and generic.start() < m.start()):
        head_start, head_end, head = generic.start(), generic.end(), generic.group(1)
        labels, plural = None, head.endswith("s") or head == "furniture"
    else:
        head_start, head_end, head = m.start(), m.end(), m.group(1)
        canon, plural = vocab.forms[head]
        labels = label_set(canon, vocab.labels, plural=plural, loose=bool(loose))
    pre = t[:head_start].split()
    post = t[head_end:].strip()
    np_ = NP(t, singular(head) if plural else head, labels, plural=plural)
    np_.loose, np_.corrected = bool(loose), corrected
    if labels is not None:
        np_.noun = canon
    if labels is not None:
        np_.head = next(iter(labels)) if len(labels) == 1 else canon
    pending = None
    for w in pre:
        w = w.strip(",")
        if w in PICK_NEAREST:
            pending = "nearest"
        elif w in PICK_FARTHEST:
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
        elif w in SIDE_WORDS:
            np_.side = SIDE_WORDS[w]
        elif w in DETERMINERS or w in FILLER_WORDS:
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
            rf"(?:that is |which is |that's |standing |sitting |placed |located )?({_MOD_RE}) (.+)$",
            post,
        )
        if pm:
            prep, rest = NOUN_MODIFIERS[pm.group(1)], pm.group(2)
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
        if post in NP_TAILS:
            post = ""
            continue
        np_.attrs.append(post)
        np_.junk.append(post)
        post = ""
    return np_
