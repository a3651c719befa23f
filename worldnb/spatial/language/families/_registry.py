"""The family registry: each question family registers its templates, examples and
handler with :func:`family`; :func:`templates` lists every template in try order."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...answer import Answer
from ..context import Context

__all__ = ["FAMILIES", "Family", "Handler", "Slots", "family", "templates"]

#: a template's named groups → the text they matched (None when a group did not take part)
Slots = dict[str, "str | None"]
#: ``handler(ctx, slots, text, unit)`` → an Answer, or None when the template matched
#: but its slots are not what the family needs (the next template is tried)
Handler = Callable[[Context, Slots, str, "str | None"], "Answer | None"]


@dataclass(frozen=True)
class Family:
    """One kind of question: its name, handler, templates (try order, pattern) and
    example questions (each answered by this family on the hand-built test room)."""

    name: str
    handler: Handler
    templates: tuple[tuple[int, str], ...]
    examples: tuple[str, ...]

    @property
    def doc(self) -> str:
        """The handler's docstring: what the family answers and how (empty if it has none)."""
        return self.handler.__doc__ or ""


#: family name → Family, in registration order
FAMILIES: dict[str, Family] = {}
_COMPILED: list[tuple[int, str, re.Pattern]] = []


def family(name: str, *patterns: tuple[int, str], examples: Sequence[str]):
    """Register the decorated handler as question family ``name``.

    Args:
        name: the family's name (``Answer.evidence["family"]``).
        *patterns: ``(order, regex)`` pairs; a regex is matched in full against the
            normalised question, its named groups are the slots. Templates of all
            families are tried by ascending ``order`` (first answer wins), so a specific
            phrasing of one family can come before a loose one of another.
        examples: questions this family answers (documentation and tests).

    Example:
        >>> @family("hello", (9999, r"hello (?P<a>.+)"), examples=["hello bed"])
        ... def hello(ctx, m, text, unit):
        ...     '''Greets.'''
        >>> FAMILIES.pop("hello").templates
        ((9999, 'hello (?P<a>.+)'),)
    """

    def register(handler: Handler) -> Handler:
        if name in FAMILIES:
            raise ValueError(f"question family {name!r} is registered twice")
        if not (handler.__doc__ or "").strip():
            raise TypeError(f"family {name!r}: its handler needs a docstring")
        if not examples or not patterns:
            raise TypeError(f"family {name!r}: needs at least one template and one example")
        FAMILIES[name] = Family(name, handler, tuple(patterns), tuple(examples))
        for order, pat in patterns:
            _COMPILED.append((order, name, re.compile(pat)))
        _COMPILED.sort(key=lambda t: t[0])
        return handler

    return register


def templates() -> list[tuple[Family, re.Pattern]]:
    """Every registered template as (family, compiled regex), in try order."""
    return [(FAMILIES[fam], rx) for _, fam, rx in _COMPILED if fam in FAMILIES]
