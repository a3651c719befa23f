"""Benchmark prompts: split a question from its multiple-choice options and its
answer-format lines, and match an answer to the options.

VSI-Bench writes a question, then (for multiple choice) ``Options:`` and lines
``A. sofa``, ``B. bed``, then "Answer with the option's letter from the given choices
directly." — or, for numbers, "Please answer the question using a single word or
phrase." The lines are in :data:`~.lexicon.ANSWER_FORMAT_LINES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..answer import Answer
from .lexicon import ANSWER_FORMAT_LINES, PROMPT_ASIDES, alternation

__all__ = ["Prompt", "choose", "split_prompt"]

_FORMAT_RE = re.compile(r"\s*(?:" + alternation(ANSWER_FORMAT_LINES) + r")\s*", re.IGNORECASE)
_ASIDE_RE = re.compile(r"\s*(?:" + alternation(PROMPT_ASIDES) + r")\s*", re.IGNORECASE)
# an option: "A. sofa", "A) sofa", "(A) sofa", at the start or after white space
_ITEM_RE = re.compile(r"(?:^|(?<=\s))\(?([A-H])[.)]\)?\s+")


@dataclass
class Prompt:
    """A question split from what surrounds it in a benchmark prompt."""

    body: str
    #: letter → option text, in order; None when the prompt offers no options
    options: dict[str, str] | None = None
    #: "letter", "word" or None: the answer-format line the prompt ended with
    answer_format: str | None = None
    removed: list[str] = field(default_factory=list)


def _items(block: str) -> dict[str, str] | None:
    """ "A. sofa B. bed" → {"A": "sofa", "B": "bed"}; None unless the whole block is
    options lettered A, B, C, ... in order."""
    hits = list(_ITEM_RE.finditer(block))
    if len(hits) < 2 or block[: hits[0].start()].strip():
        return None
    letters = [h.group(1) for h in hits]
    if letters != [chr(ord("A") + i) for i in range(len(letters))]:
        return None
    out = {}
    for h, nxt in zip(hits, [*hits[1:], None], strict=True):
        text = block[h.end() : nxt.start() if nxt else len(block)].strip().rstrip(".")
        if not text:
            return None
        out[h.group(1)] = " ".join(text.split())
    return out


def split_prompt(question: str) -> Prompt:
    """Split ``question`` (as written, before lower-casing) into its body, options and
    answer format.

    Example:
        >>> p = split_prompt("Which is closest to the bed?\\nOptions:\\nA. sofa\\nB. desk\\n"
        ...                  "Answer with the option's letter from the given choices directly.")
        >>> p.body, p.options, p.answer_format
        ('Which is closest to the bed?', {'A': 'sofa', 'B': 'desk'}, 'letter')
    """
    text = question.replace("’", "'")
    fmt = None
    for m in _FORMAT_RE.finditer(text):
        fmt = ANSWER_FORMAT_LINES[" ".join(m.group(0).lower().split())]
    text = _FORMAT_RE.sub(" ", text)
    text = _ASIDE_RE.sub(" ", text)
    options = None
    marker = re.search(r"\boptions?\s*:", text, re.IGNORECASE)
    if marker:
        options = _items(text[marker.end() :].strip())
        if options is not None:
            text = text[: marker.start()]
    else:
        # options without a marker, after the question: "... destination. A. Turn Left B. ..."
        for m in re.finditer(r"(?:^|(?<=[\s.?]))\(?A[.)]\)?\s+", text):
            got = _items(text[m.start() :].strip())
            if got is not None:
                options, text = got, text[: m.start()]
                break
    return Prompt(" ".join(text.split()), options, fmt)


def _norm(s: str) -> str:
    s = re.sub(r"[^a-z0-9.\- ]", " ", str(s).lower().replace(",", " "))
    s = re.sub(r"\b(?:the|a|an)\b", " ", s)
    return " ".join(s.split()).strip(" .")


def _number(s: str) -> float | None:
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[a-z²2 ]*", s.lower())
    return float(m.group(1)) if m else None


def choose(ans: Answer, options: dict[str, str]) -> Answer:
    """Match an answer to multiple-choice ``options``: ``choice`` becomes the letter,
    ``value`` the option's text and ``text`` starts with both ("B. sofa — ...").
    An answer no option matches becomes ambiguous (value None), never a guess."""
    if not ans.ok:
        return ans
    v = ans.value
    letter = None
    if isinstance(v, bool):
        want = "yes" if v else "no"
        letter = next((k for k, o in options.items() if _norm(o) in (want, str(v).lower())), None)
    elif isinstance(v, int | float):
        nums = {k: _number(o) for k, o in options.items()}
        if all(x is not None for x in nums.values()):
            # the option nearest in relative terms (how benchmarks score numbers)
            letter = min(nums, key=lambda k: abs(nums[k] - v) / max(abs(v), 1e-9))
    elif isinstance(v, list) and all(isinstance(x, str) for x in v):
        want = [_norm(x) for x in v]
        for k, o in options.items():
            if [_norm(p) for p in re.split(r",|\band\b", o) if _norm(p)] == want:
                letter = k
                break
    elif isinstance(v, str):
        want = _norm(v)
        letter = next((k for k, o in options.items() if _norm(o) == want), None)
        if letter is None:  # "chair 12" against the option "chair"
            base = _norm(re.sub(r"\s+\d+$", "", v))
            letter = next((k for k, o in options.items() if _norm(o) == base), None)
    listed = "; ".join(f"{k}. {o}" for k, o in options.items())
    ans.evidence["options"] = dict(options)
    if letter is None:
        return Answer(
            None,
            f"none of the options ({listed}) matches what I measure: {ans.text}",
            ans.evidence,
            ans.highlight,
            "ambiguous",
        )
    ans.evidence["answer"] = v
    ans.choice = letter
    ans.value = options[letter]
    ans.text = f"{letter}. {options[letter]} — {ans.text}"
    return ans
