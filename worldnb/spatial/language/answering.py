"""From a question in English to an :class:`Answer`: split off benchmark options and
answer-format lines, normalise, read the unit and frame asked for, try every
registered template in order, and match the answer to the options."""

from __future__ import annotations

import re

from ...errors import InputError, QueryError
from ...scene import Scene
from ..answer import Answer
from .context import Context, default_frame, frame_from_text
from .families import templates
from .families._shared import unsupported, why_unsupported
from .lexicon import POLITE_ENDINGS, POLITE_OPENINGS, alternation
from .options import choose, split_prompt
from .text import normalize, requested_unit

__all__ = ["answer", "mark_estimate"]

#: what an answer about an estimated scene adds to its sentence
ESTIMATE_NOTE = "estimated from the image"

_LEAD = re.compile(rf"^(?:(?:{alternation(POLITE_OPENINGS)})\s*,?\s+)+")
_TAIL = re.compile(rf"\s*,?\s*(?:{alternation(POLITE_ENDINGS)})$")


def answer(
    scene: Scene, question: str, *, frame=None, near: float = 1.0, exact_labels: bool = False
) -> Answer:
    """Answer one (already validated) question; see :func:`worldnb.spatial.ask`."""
    prompt = split_prompt(question)
    ctx = Context(scene, default_frame(scene, frame), near=near, exact_labels=exact_labels)
    text = normalize(prompt.body)
    text = _LEAD.sub("", text)
    text = _TAIL.sub("", text).strip(" ,")
    if not text:
        raise QueryError(
            "question: no words in it; ask something like 'how many chairs are there?'"
        )
    unit = None
    if (ru := requested_unit(text)) is not None:
        unit, text = ru
        text = text.strip(" ,")
    text = re.sub(r"\(\s*\)", " ", text)
    text = " ".join(text.split()).strip(" ,")
    text, fail = frame_from_text(text, ctx)
    if fail is not None:
        status, reason, *objs = fail
        ids = [o.id for o in objs[0]] if objs else []
        return Answer(None, reason, {"question": question.strip()}, ids, status)
    if not re.match(r"(?:how big|how large|what is the size|what 's the size)\b", text):
        # "... in the room" adds nothing to a question about objects
        text = re.sub(r"\s+(?:(?:are|is)\s+)?(?:in|inside) (?:the|this) (?:room|scene)$", "", text)
        text = re.sub(r"\s+(?:in here|around here|over there)$", "", text)
    text = re.sub(r"\s*,?\s*measured$", "", text)
    for fam, rx in templates():
        m = rx.fullmatch(text)
        if not m:
            continue
        ctx.notes.clear()
        ans = fam.handler(ctx, m.groupdict(), text, unit)
        if ans is None:
            continue  # the template matched but its slots did not parse: try the next
        ans.evidence.setdefault("family", fam.name)
        ans.evidence.setdefault("question", question.strip())
        if ctx.notes:
            ans.evidence["notes"] = list(ctx.notes)
            ans.text = f"{ans.text} ({'; '.join(ctx.notes)}.)"
        if prompt.options:
            ans = choose(ans, prompt.options)
        return mark_estimate(ans, scene)
    return unsupported(why_unsupported(text, ctx), question=question.strip())


def is_estimated(scene: Scene) -> bool:
    """Whether the scene's room or objects were estimated (by :func:`worldnb.understand`)
    rather than known."""
    if "understand" in scene.meta:
        return True
    return any(o.attrs.get("source") == "image" for o in scene.objects)


def mark_estimate(ans: Answer, scene: Scene) -> Answer:
    """Say that an answer about an estimated scene is an estimate: the sentence ends with
    "(estimated from the image)" and the evidence holds ``estimated`` and each object's
    ``confidence``."""
    if ans.status != "ok" or not is_estimated(scene):
        return ans
    conf = {}
    for i in ans.evidence.get("objects", []) or []:
        try:
            c = scene.object(i).attrs.get("confidence")
        except InputError:  # an id the evidence names that is not an object
            continue
        if isinstance(c, int | float):
            conf[i] = float(c)
    ans.evidence["estimated"] = True
    if conf:
        ans.evidence["confidence"] = conf
    text = ans.text.rstrip()
    if text.endswith(")."):
        ans.text = f"{text[:-2]}; {ESTIMATE_NOTE})."
    elif text.endswith("."):
        ans.text = f"{text[:-1]} ({ESTIMATE_NOTE})."
    else:
        ans.text = f"{text} ({ESTIMATE_NOTE})"
    return ans
