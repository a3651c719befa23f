"""Explaining an impossible request: a small set of items and rules that conflict.

Deletion filter: drop items one at a time while the rest stays impossible (a short
solve each), then relax each remaining hard rule to see which ones take part. The
result is a minimal conflicting set as far as the time budget allows.
"""

from __future__ import annotations

import time

from ..errors import InfeasibleLayoutError
from . import constraints
from .state import Layout


def _feasible(layout: Layout, names: list[str], cons, seed: int, budget: float) -> bool:
    """True when a layout of ``names`` exists (or the check ran out of time before it
    could say no: an item is only blamed when it is shown to matter)."""
    from .solver import solve

    if budget <= 0:
        return True  # no time to show anything
    sub = Layout(layout.room, [layout.items[n] for n in names])
    keep, names_set = [], set(names)
    for c in cons:
        if c.is_global:
            keep.append(c)
        elif c.hard and c.involves <= names_set and c.involves:
            keep.append(c.bind(sub))
    if any(layout.items[n].placement == "on_top" for n in names):
        # an on-top item is only placeable with its support
        sups = {b for c in cons if isinstance(c, constraints.OnTopOf) for b in c.bound[1]}
        if not any(s in names for s in sups):
            return False
    stats: dict = {}
    res = solve(sub, keep, seed=seed, time_limit=budget, max_attempts=3, improve=False, stats=stats)
    for c in keep:  # restore bindings against the full item list
        if not c.is_global:
            c.bind(layout)
    return res is not None or (stats["timed_out"] and stats["attempts"] == 0)


def _without(layout: Layout, names: list[str], cons, drop) -> list[str]:
    """``names`` minus the names in ``drop`` and minus on-top items left with nothing
    to stand on (one pass, however many are dropped)."""
    drop = set(drop)
    rest = [m for m in names if m not in drop]
    sups: dict[str, set[str]] = {}
    for c in cons:
        if isinstance(c, constraints.OnTopOf):
            for a in c.bound[0]:
                sups.setdefault(a, set()).update(c.bound[1])
    return [
        m for m in rest if layout.items[m].placement != "on_top" or sups.get(m, set()) & set(rest)
    ]


def _room_words(layout: Layout) -> str:
    room = layout.room
    lo, hi = room.floor_xz.min(0), room.floor_xz.max(0)
    shape = "" if room.is_rectangular else "L-shaped "
    return f"this {hi[0] - lo[0]:.1f} × {hi[1] - lo[1]:.1f} m {shape}room ({room.area:.1f} m²)"


_WHILE = {
    constraints.OpeningsClear: "the doors stay clear",
    constraints.Walkway: "a walkway reaches every piece",
    constraints.AccessClear: "each piece keeps its access space",
    constraints.InsideRoom: "everything stays inside the walls",
    constraints.NoOverlap: "nothing overlaps",
}


def diagnose(layout: Layout, cons: list, seed: int = 0, budget: float = 2.0):
    """An :class:`InfeasibleLayoutError` naming a small conflicting set (not raised)."""
    t_end = time.perf_counter() + budget
    names = list(layout.items)

    def step() -> float:  # one check's budget, never past the end
        return min(max(0.3, budget / 8), max(0.0, t_end - time.perf_counter()))

    # 1. deletion filter over items, in blocks (halves, quarters, … then one by one),
    #    smallest pieces first: a few big pieces usually carry the conflict
    def size(n):
        it = layout.items[n]
        return it.size[0] * it.size[2]

    block = max(1, len(names) // 2)
    while block >= 1 and time.perf_counter() < t_end and len(names) > 1:
        order = sorted(names, key=size)
        for i in range(0, len(order), block):
            if time.perf_counter() > t_end or len(names) == 1:
                break
            rest = _without(layout, names, cons, order[i : i + block])
            if rest and len(rest) < len(names) and not _feasible(layout, rest, cons, seed, step()):
                names = rest
        block //= 2
    # 2. deletion filter over the hard rules that can be relaxed: drop each one that
    #    the set stays impossible without; what remains takes part in the conflict
    fixed = (
        constraints.InsideRoom,
        constraints.NoOverlap,
        constraints.RotationSnap,
        constraints.OnTopOf,
    )
    relaxable = [
        c
        for c in cons
        if c.hard and not isinstance(c, fixed) and (c.is_global or c.involves & set(names))
    ]
    involved = list(relaxable)
    base = [c for c in cons if c not in relaxable]
    for c in list(relaxable):
        if time.perf_counter() > t_end:
            break
        trial = [d for d in involved if d is not c]
        if not _feasible(layout, names, base + trial, seed, step()):
            involved = trial
    items = [layout.items[n] for n in names]
    if len(items) == len(layout.items) and len(items) > 3:
        # the search ran out of time without narrowing the request: say so plainly
        # rather than claim a conflict that was never shown
        listed = ", ".join(i.name for i in items)
        msg = (
            f"no layout was found within the time limit for all {len(items)} pieces "
            f"({listed}) in {_room_words(layout)} while the doors stay clear, each piece "
            "keeps its access space and a walkway reaches every piece. Try fewer or "
            "smaller pieces, a larger room, or a longer time_limit."
        )
        return InfeasibleLayoutError(msg, tuple(i.describe() for i in items))
    if len(items) == 1:
        what = f"{items[0].describe()} cannot stand in {_room_words(layout)}"
    else:
        listed = ", ".join(i.describe() for i in items[:-1]) + " and " + items[-1].describe()
        all_word = "both" if len(items) == 2 else "all"
        what = f"{listed} cannot {all_word} stand in {_room_words(layout)}"
    conds = []
    for c in involved:
        if c.is_global:
            word = _WHILE.get(type(c), c.describe())
            if isinstance(c, constraints.Walkway):
                word = f"a {c.width:.2f} m walkway reaches every piece"
            conds.append(word)
        else:
            conds.append(c.describe())
    msg = what + (" while " + " and ".join(conds) if conds else "")
    fix = "Shrink it" if len(items) == 1 else "Remove or shrink one of them"
    msg += f". {fix}, choose a larger room" + (", or relax those rules." if conds else ".")
    conflicts = tuple(i.describe() for i in items) + tuple(c.describe() for c in involved)
    return InfeasibleLayoutError(msg, conflicts)
