"""``ask(scene, question)``: questions in English → :class:`Answer`, by rule.

The parser normalises the text, matches it against question templates (one list per
family, several phrasings each), parses the slots as noun phrases
(:mod:`._np`), resolves them to objects, and measures. Anything it cannot resolve
becomes an Answer with ``value=None`` and the reason — never a guess.
"""

# ruff: noqa: E501  (regular expressions read best on one line)
from __future__ import annotations

import re

from ..errors import QueryError
from ..scene import Scene
from . import _handlers as H
from ._np import Context
from ._templates import TEMPLATES
from ._text import normalize, requested_unit
from .answer import Answer
from .frames import Frame, ObjectFrame, RoomFrame, ViewerFrame

__all__ = ["MAX_QUESTION_CHARS", "ask"]

MAX_QUESTION_CHARS = 2000

_COMPILED = [(fam, re.compile(p)) for fam, p in TEMPLATES]

_FRAME_PATTERNS = [
    (
        r"\b(?:from|as seen from|seen from|according to|in|relative to) (?:the |my )?(?:camera|viewer|photo|picture|image)(?: 's)?(?: (?:view|perspective|point of view|viewpoint|frame))?\b",
        "viewer",
    ),
    (
        r"\b(?:from|in|as seen from) (?:my|your|our) (?:view|perspective|point of view|viewpoint)\b",
        "viewer",
    ),
    (r"\b(?:as seen|seen) by (?:the )?(?:camera|viewer)\b", "viewer"),
    (
        r"\b(?:on|in) the (?:floor )?plan\b|\bin the room 's frame\b|\bin room coordinates\b|\bby compass\b|\bin the room frame\b",
        "room",
    ),
    (r"\bfrom the (?P<obj>[a-z ]+?) 's (?:point of view|perspective|viewpoint|side)\b", "object"),
    (
        r"\b(?:relative to|from the perspective of|from the point of view of|in the frame of) (?:the )?(?P<obj>[a-z ]+?) 's (?:front|orientation)\b",
        "object",
    ),
    (r"\bfrom the (?:point of view|perspective) of (?P<obj>the [a-z ]+?)(?= ,|$)", "object"),
]


def _check_question(question) -> str:
    if not isinstance(question, str):
        raise QueryError(f"question: expected a string in English, got {type(question).__name__}")
    if len(question) > MAX_QUESTION_CHARS:
        raise QueryError(
            f"question: {len(question)} characters is far too long for one question (at most "
            f"{MAX_QUESTION_CHARS}); ask one question at a time"
        )
    if not question.strip():
        raise QueryError("question: empty; ask something like 'how far is the bed from the door?'")
    return question


def _default_frame(scene: Scene, frame) -> Frame:
    if isinstance(frame, Frame):
        return frame
    if frame in (None, "auto"):
        if scene.cameras:
            name = next(iter(scene.cameras))
            return ViewerFrame(scene.cameras[name], f"camera '{name}'")
        return RoomFrame(scene.room)
    if frame == "room":
        return RoomFrame(scene.room)
    if isinstance(frame, str) and (frame == "viewer" or frame in scene.cameras):
        if not scene.cameras:
            raise QueryError("frame='viewer' needs a camera in scene.cameras; this scene has none")
        name = frame if frame in scene.cameras else next(iter(scene.cameras))
        return ViewerFrame(scene.cameras[name], f"camera '{name}'")
    raise QueryError(
        f"frame: expected None, 'room', 'viewer', a camera name or a Frame, got {frame!r}"
    )


def _frame_from_text(text: str, ctx: Context) -> tuple[str, Answer | None]:
    """Strip a frame phrase from ``text`` and set ``ctx.frame``; an Answer if it fails."""
    for pat, kind in _FRAME_PATTERNS:
        m = re.search(pat, text)
        if not m:
            continue
        rest = (text[: m.start()] + text[m.end() :]).replace(" , ", " ").strip(" ,")
        if kind == "viewer":
            if not ctx.scene.cameras:
                return rest, H.unsupported(
                    "this scene has no camera, so 'from the camera's view' has no meaning here; "
                    "ask in the room's frame (north/east/south/west) instead"
                )
            ctx.frame = _default_frame(ctx.scene, "viewer")
        elif kind == "room":
            ctx.frame = RoomFrame(ctx.scene.room)
        else:
            from ._np import parse_np, resolve

            np_ = parse_np(m.group("obj"), ctx.vocab)
            if np_ is None:
                continue
            ref = resolve(np_, ctx)
            if ref.status != "ok":
                return rest, H.from_ref(ref)
            obj = ref.objects[0]
            if not obj.front:
                return rest, H.unsupported(
                    f"{obj.name} has no front, so it has no left or right of its own"
                )
            ctx.frame = ObjectFrame(obj)
        return rest, None
    return text, None


def ask(scene: Scene, question: str, *, frame=None, near: float = 1.0, **options) -> Answer:
    """Answer a spatial question about ``scene`` in English.

    Args:
        scene: the scene (room and labelled objects).
        question: one question, e.g. ``"how far is the bed from the door?"``.
        frame: frame for left/right/front/behind: ``None`` (the first camera if the
            scene has one, else the room's), ``"room"``, ``"viewer"``, a camera name,
            or a :class:`~worldnb.spatial.frames.Frame`. A phrase in the question
            ("from the camera's view", "from the sofa's point of view") overrides it.
        near: distance (m) that counts as "near".

    Returns:
        :class:`Answer`; ``value`` is None (with the reason in ``text``) when something
        named is absent, a reference is ambiguous, or the question is not supported.

    Raises:
        QueryError: the question is not a string, is empty, or is far too long.

    Example:
        >>> from worldnb.scene import OrientedBox, Room, Scene
        >>> s = Scene(room=Room.rectangle(4, 3))
        >>> _ = s.add_object("bed", OrientedBox((-1, 0.3, 0), (1.6, 0.6, 2.0)))
        >>> _ = s.add_object("chair", OrientedBox((1.5, 0.45, 0), (0.5, 0.9, 0.5)))
        >>> ask(s, "How far is the chair from the bed?").value
        1.45
    """
    if not isinstance(scene, Scene):
        raise QueryError(f"scene: expected a Scene, got {type(scene).__name__}")
    q = _check_question(question)
    if options:
        raise QueryError(f"ask: unknown options {sorted(options)}; known: frame, near")
    ctx = Context(scene, _default_frame(scene, frame))
    ctx.near = float(near)
    text = normalize(q)
    text = re.sub(
        r"^(?:(?:please|hey|ok|so|and|now|also|tell me|can you tell me|could you tell me|"
        r"do you know|i want to know|i wonder|i would like to know)\s*,?\s+)+",
        "",
        text,
    )
    text = re.sub(r"\s*,?\s*(?:please|thanks|thank you)$", "", text).strip(" ,")
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
    text, fail = _frame_from_text(text, ctx)
    if fail is not None:
        return fail
    if not re.match(r"(?:how big|how large|what is the size|what 's the size)\b", text):
        # "... in the room" adds nothing to a question about objects
        text = re.sub(r"\s+(?:(?:are|is)\s+)?(?:in|inside) (?:the|this) (?:room|scene)$", "", text)
        text = re.sub(r"\s+(?:in here|around here|over there)$", "", text)
    text = re.sub(r"\s*,?\s*measured$", "", text)
    for fam, rx in _COMPILED:
        m = rx.fullmatch(text)
        if not m:
            continue
        ans = getattr(H, f"do_{fam}")(ctx, m, text, unit)
        if ans is None:
            continue  # the template matched but its slots did not parse: try the next
        ans.evidence.setdefault("family", fam)
        ans.evidence.setdefault("question", q.strip())
        # doors/windows that are room openings are evidence, not highlightable objects
        ans.highlight = [i for i in ans.highlight if i not in ctx.openings]
        return ans
    return H.unsupported(H.why_unsupported(text, ctx), question=q.strip())
