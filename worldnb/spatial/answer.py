"""What :func:`worldnb.spatial.ask` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Answer"]

#: ``Answer.status`` values.
STATUSES = ("ok", "absent", "ambiguous", "unsupported", "impossible")


@dataclass
class Answer:
    """The answer to a spatial question.

    Attributes:
        value: the answer (number in ``unit``, bool, label, object id list, choice
            letter, ...) or None when the question could not be answered.
        text: one sentence saying the answer (or why there is none).
        evidence: what it rests on: ``objects`` (ids), ``measures`` (name → number,
            metres unless named), ``frame`` (the frame a direction was judged in), and
            the question ``family``.
        highlight: ids of the objects the answer speaks of.
        status: ``"ok"``, ``"absent"`` (something named is not in the scene),
            ``"ambiguous"`` (a reference fits several objects), ``"unsupported"`` (a
            question this engine does not handle) or ``"impossible"`` (e.g. no route).
        unit: unit of a numeric ``value`` ("m", "cm", "m²", "ft", …) or None.
        choice: for a multiple-choice question, the letter of the chosen option (then
            ``value`` is that option's text), else None.
    """

    value: object
    text: str
    evidence: dict = field(default_factory=dict)
    highlight: list[int] = field(default_factory=list)
    status: str = "ok"
    unit: str | None = None
    choice: str | None = None

    @property
    def ok(self) -> bool:
        """True when the question was answered."""
        return self.status == "ok"

    def __str__(self) -> str:
        return self.text

    def to_html(self) -> str:
        """A small HTML table: the answer, its status and the evidence (for notebooks
        and widgets)."""
        from ._html import answer_html

        return answer_html(self)

    def _repr_html_(self) -> str:
        return self.to_html()
