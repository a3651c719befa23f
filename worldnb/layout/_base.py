"""Constraint base class and item references (see :mod:`worldnb.layout.constraints`)."""

from __future__ import annotations

import math

from ..errors import InputError
from .state import Layout

_AREA_EPS = 1e-4  # m²: touching is not overlapping
_ACCESS_TOL = 0.02  # m² of another piece allowed inside an access zone


class Constraint:
    """Base class. Subclasses set ``refs`` (item references) and implement ``_measure``.

    Args:
        hard: a hard constraint is never violated in a returned layout.
        weight: importance of a soft constraint in the score.
    """

    unit = "m"
    is_global = False

    def __init__(self, *, hard: bool = False, weight: float = 1.0):
        w = float(weight)
        if not math.isfinite(w) or w < 0:
            raise InputError(f"weight: expected a finite number >= 0, got {weight!r}")
        self.hard = bool(hard)
        self.weight = w
        self.refs: tuple = ()
        self.bound: tuple[tuple[str, ...], ...] = ()
        self.source = "request"  # "rule" when it came from the catalog's design rules

    # ---- binding item references ----------------------------------------------
    def bind(self, layout: Layout) -> Constraint:
        """Resolve item references against a layout's items (names or categories)."""
        self.bound = tuple(_resolve(layout, r) for r in self.refs)
        return self

    @property
    def involves(self) -> set[str]:
        """Names of the items it speaks of (empty until :meth:`bind`; a global constraint
        involves every item and returns the empty set)."""
        return {n for group in self.bound for n in group}

    def ready(self, layout: Layout) -> bool:
        """Whether every item it speaks of is placed."""
        return all(layout.is_placed(n) for g in self.bound for n in g)

    # ---- measuring ------------------------------------------------------------
    def evaluate(self, layout: Layout) -> tuple[bool, float]:
        """(satisfied, measured value in :attr:`unit`)."""
        ok, value, _ = self._measure(layout)
        return ok, value

    def cost(self, layout: Layout) -> float:
        """0 when satisfied, otherwise a positive violation size."""
        ok, _, c = self._measure(layout)
        return 0.0 if ok else max(c, 1e-3)

    def _measure(self, layout: Layout) -> tuple[bool, float, float]:
        raise NotImplementedError

    def describe(self) -> str:
        """The constraint in plain words, as reports and :func:`repr` show it."""
        raise NotImplementedError

    def __repr__(self) -> str:
        tag = "hard" if self.hard else f"soft w={self.weight:g}"
        return f"{type(self).__name__}({self.describe()!r}, {tag})"


def _resolve(layout: Layout, ref) -> tuple[str, ...]:
    if isinstance(ref, list | tuple):
        names = tuple(n for r in ref for n in _resolve_opt(layout, r))
        if not names:
            raise InputError(f"constraint: none of {list(ref)} is among the items")
        return names
    names = _resolve_opt(layout, ref)
    if not names:
        known = ", ".join(layout.items)
        raise InputError(f"constraint: no item {ref!r} in this request; items are {known}")
    return names


def _resolve_opt(layout: Layout, ref) -> tuple[str, ...]:
    if not isinstance(ref, str):
        raise InputError(f"constraint: items are named by strings, got {ref!r}")
    key = ref.strip().lower().replace("_", " ")
    if key in layout.items:
        return (key,)
    return tuple(n for n, it in layout.items.items() if it.category == key)


def _the(names) -> str:
    names = list(names)
    if len(names) == 1:
        return f"the {names[0]}"
    return "the " + " or the ".join(names)
