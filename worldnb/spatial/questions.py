"""``ask(scene, question)``: questions in English → :class:`Answer`, by rule.

The work is done by :mod:`worldnb.spatial.language`: benchmark prompts are split from
their options, the text is normalised, matched against the registered question
families' templates, the slots parsed as noun phrases and resolved to objects, and
measured. Anything it cannot resolve becomes an Answer with ``value=None`` and the
reason — never a guess.
"""

from __future__ import annotations

import math

from ..errors import QueryError
from ..scene import Scene
from .answer import Answer
from .frames import Frame

__all__ = ["MAX_QUESTION_CHARS", "ask"]

MAX_QUESTION_CHARS = 2000


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


def _check_near(near) -> float:
    try:
        value = float(near)
    except (TypeError, ValueError):
        value = math.nan  # refused just below, with the value given
    if isinstance(near, bool) or not 0 < value <= 1e5:
        raise QueryError(f"near: expected a distance in metres (> 0), got {near!r}")
    return value


def ask(scene: Scene, question: str, *, frame=None, near: float = 1.0, **options) -> Answer:
    """Answer a spatial question about ``scene`` in English.

    Args:
        scene: the scene (room and labelled objects).
        question: one question, e.g. ``"how far is the bed from the door?"``, or a
            benchmark prompt verbatim (VSI-Bench's templates, with or without an
            ``Options:`` block and answer-format line; then ``Answer.choice`` is the
            letter and ``Answer.value`` the option's text).
        frame: frame for left/right/front/behind: ``None`` (the first camera if the
            scene has one, else the room's), ``"room"``, ``"viewer"``, a camera name,
            or a :class:`~worldnb.spatial.frames.Frame`. A phrase in the question
            ("from the camera's view", "from the sofa's point of view") overrides it.
        near: distance (m) that counts as "near".

    Other Parameters:
        exact_labels: count and name objects by their exact label only, as benchmarks
            with fixed label sets do (VSI-Bench); by default a category covers its
            kinds ("chairs" counts armchairs too, and the answer says so).

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
    exact_labels = options.pop("exact_labels", False)
    if options:
        known = "frame, near, exact_labels"
        raise QueryError(f"ask: unknown options {sorted(options)}; known: {known}")
    if not isinstance(exact_labels, bool):
        raise QueryError(f"exact_labels: expected True or False, got {exact_labels!r}")
    near = _check_near(near)
    if frame is not None and not isinstance(frame, str | Frame):
        raise QueryError(
            f"frame: expected None, 'room', 'viewer', a camera name or a Frame, got {frame!r}"
        )
    from .language import answer

    return answer(scene, q, frame=frame, near=near, exact_labels=exact_labels)
