"""The planner: ordered greedy placement over sampled candidates, then local search.

1. Items are ordered: the targets of other items' rules first (the bed before its
   nightstands, the table before its chairs), larger before smaller, things on top
   after their support, wall-hung things last.
2. Each item tries its candidates (:mod:`._candidates`): a vectorised filter drops
   those that break the room / overlap / openings / access rules; the rest are
   ranked by the weighted cost of the soft constraints they make measurable; the
   best few are checked exactly, walkway included, and the first that passes wins.
3. Local search moves items that break soft constraints while the score improves.
4. If greedy placement fails it restarts with another order; when the time budget
   is spent, :func:`._infeasible.diagnose` names a small conflicting set.

Everything random comes from ``numpy.random.default_rng(seed)``, so the same request
and seed give the same layout (unless ``time_limit`` cuts the search short).
"""

from __future__ import annotations

import math
import time

import numpy as np
import shapely

from ..errors import InfeasibleLayoutError, InputError
from ..scene import Room
from . import _candidates
from .constraints import (
    RULES,
    AccessClear,
    AgainstWall,
    Around,
    Beside,
    Constraint,
    InsideRoom,
    NoOverlap,
    OnTopOf,
    OpeningsClear,
    RotationSnap,
    Walkway,
)
from .state import Layout, Placement, make_items

__all__ = ["plan", "solve"]

_TOP_K = 6  # walkway checks per item before giving up on it
_MAX_EXACT = 30  # exact checks (cheap rules first) per item
_MAX_SCORED = 90  # candidates whose soft cost is measured per item
_PACKING = 0.05  # weight of the tidy-packing tie-breaker (per metre of side gap)
_MAX_BACKTRACK = 5  # chronological backtracks per attempt


def default_constraints(layout: Layout) -> list[Constraint]:
    """The catalog's design rules for the items present (targets that are absent are
    dropped; a rule whose target is a list uses whichever of them is present)."""
    out = []
    for name, it in layout.items.items():
        for rule in it.entry.rules:
            target = rule.get("target")
            if target is not None:
                ts = target if isinstance(target, list) else [target]
                present = [t for t in ts if any(i.category == t for i in layout.items.values())]
                if not present or all(
                    t == it.category and sum(i.category == t for i in layout.items.values()) < 2
                    for t in present
                ):
                    continue
                rule = {**rule, "target": present if len(present) > 1 else present[0]}
            c = RULES[rule["type"]](name, rule)
            c.source = "rule"
            out.append(c.bind(layout))
    return out


def base_constraints(walkway: float, rotations) -> list[Constraint]:
    out = [InsideRoom(), NoOverlap(), OpeningsClear(), AccessClear(), Walkway(walkway)]
    if rotations is not None:
        out.append(RotationSnap(rotations))
    for c in out:
        c.source = "base"
    return out


def _supports(layout: Layout, cons) -> dict[str, list[str]]:
    """on-top item → names it may stand on (from OnTopOf constraints)."""
    out: dict[str, list[str]] = {}
    for c in cons:
        if isinstance(c, OnTopOf):
            for a in c.bound[0]:
                out.setdefault(a, []).extend(b for b in c.bound[1] if b != a)
    return out


def _order(layout: Layout, cons, rng, shuffle: bool, walls_first: bool = False) -> list[str]:
    """Anchors (targets of other items' rules) first, each followed at once by the
    items that depend on it; larger before smaller; on-top after floor; wall last."""
    deps: dict[str, set[str]] = {n: set() for n in layout.items}
    for c in cons:
        if len(c.bound) == 2:
            for a in c.bound[0]:
                deps[a] |= {b for b in c.bound[1] if b != a}
    kind_rank = {"floor": 0, "on_top": 1, "wall": 2}

    walled = {a for c in cons if isinstance(c, AgainstWall) and c.weight >= 3 for a in c.bound[0]}

    def key(n):
        it = layout.items[n]
        area = it.size[0] * it.size[2]
        jitter = rng.uniform(0, 0.8) if shuffle else 0.0
        # big wall pieces (counters, wardrobes, beds) claim the walls first
        wall_first = 0 if walls_first and n in walled else 1
        return (kind_rank[it.placement], it.entry.flat, wall_first, -area * (1 + jitter))

    dependants: dict[str, list[str]] = {n: [] for n in layout.items}
    for a, bs in deps.items():
        for b in bs:
            dependants[b].append(a)
    out: list[str] = []
    done: set[str] = set()

    def visit(n):
        if n in done:
            return
        done.add(n)
        out.append(n)
        for d in sorted(dependants[n], key=key):
            if deps[d] <= done | {d}:
                visit(d)

    for n in sorted(layout.items, key=key):
        if not deps[n] - {n} or all(b in done for b in deps[n]):
            visit(n)
    for n in sorted(layout.items, key=key):  # cycles: whatever is left
        visit(n)
    # keep the placement kinds in order (floor, on top, wall)
    return sorted(out, key=lambda n: kind_rank[layout.items[n].placement])


class _Search:
    def __init__(self, layout, cons, hard_globals, supports, rng, deadline, free_yaw, snap):
        self.layout = layout
        self.cons = cons
        self.hard_globals = hard_globals
        self.supports = supports
        self.rng = rng
        self.deadline = deadline
        self.free_yaw = free_yaw
        self.snap = snap
        # target → (kind, width, depth) of each piece that will stand beside / around it
        self._side_needs: dict[str, list] = {}
        for c in cons:
            if isinstance(c, Beside | Around) and not c.hard:
                for b in c.bound[1]:
                    for a in c.bound[0]:
                        w, _, d = layout.items[a].size
                        kind = "beside" if isinstance(c, Beside) else "around"
                        self._side_needs.setdefault(b, []).append((kind, w, d))
        self.pending: list[str] = []
        self._probe: dict[str, np.ndarray] = {}
        self.by_item: dict[str, list] = {n: [] for n in layout.items}
        for c in cons:
            if c.is_global:
                continue
            for n in sorted(c.involves):
                self.by_item[n].append(c)

    def late(self) -> bool:
        """Whether the deadline has passed (every loop of the search asks)."""
        return time.perf_counter() > self.deadline

    # ---- candidate generation -------------------------------------------------------
    def candidates(self, name: str) -> np.ndarray:
        lay, it = self.layout, self.layout.items[name]
        own = self.by_item[name]
        self._n_rule = 0
        if it.placement == "on_top":
            out = _candidates.rule_candidates(lay, name, own, self.rng)
            self._n_rule = len(out)
            return out
        walls = _candidates.wall_candidates(lay, name, self.rng)
        if it.placement == "wall":
            return walls
        free = _candidates.free_candidates(lay, name, self.rng, free_yaw=self.free_yaw)
        rules = _candidates.rule_candidates(lay, name, own, self.rng)
        faced = _candidates.face_targets(lay, name, own, free, self.snap)
        self._n_rule = len(rules)
        return np.concatenate([rules, walls, free, faced])

    def soft_cost(self, name: str) -> float:
        total = 0.0
        for c in self.by_item[name]:
            if c.ready(self.layout):
                total += c.weight * c.cost(self.layout) * (100.0 if c.hard else 1.0)
        return total

    def exact_ok(self, name: str) -> tuple[bool, int]:
        """(all hard rules hold with ``name`` placed, walkway checks spent)."""
        lay = self.layout
        for g in self.hard_globals:
            if isinstance(g, Walkway):
                continue
            if g.violations(lay, only=name):
                return False, 0
        for c in self.by_item[name]:
            if c.hard and c.ready(lay) and not c.evaluate(lay)[0]:
                return False, 0
        if lay.items[name].blocks_floor:
            for g in self.hard_globals:
                if isinstance(g, Walkway) and g.violations(lay):
                    return False, 1
            return True, 1
        return True, 0

    def place_best(self, name: str, skip: int = 0) -> bool:
        """Place ``name`` at its best feasible candidate (after ``skip`` feasible ones)."""
        lay = self.layout
        cands = self.candidates(name)
        if not len(cands) or self.late():
            return False
        sup = None
        if lay.items[name].placement == "on_top":
            # the support is the placed target whose top the candidate sits on
            sup = self._support_for(name, cands)
        ok = self._prefilter(name, cands)
        if ok is None:  # out of time
            return False
        idx = np.flatnonzero(ok)
        if not len(idx):
            return False
        n_rule = self._n_rule
        if len(idx) > _MAX_SCORED:
            # keep every rule-suggested candidate, subsample the rest
            head, tail = idx[idx < n_rule], idx[idx >= n_rule]
            k = max(0, _MAX_SCORED - len(head))
            tail = np.sort(self.rng.choice(tail, size=min(k, len(tail)), replace=False))
            idx = np.concatenate([head, tail])
        costs = self._packing(name, cands[idx])
        for j, i in enumerate(idx):
            if self.late():
                lay.remove(name)
                return False
            lay.place(name, self._placement(cands[i], sup[i] if sup else None))
            costs[j] += self.soft_cost(name)
        costs += self.rng.uniform(0, 1e-3, len(costs))
        walk_checks = 0
        for j in np.argsort(costs, kind="stable")[:_MAX_EXACT]:
            if self.late():
                break
            i = idx[j]
            lay.place(name, self._placement(cands[i], sup[i] if sup else None))
            ok, walked = self.exact_ok(name)
            if ok and walked:
                ok = self._future_ok(name)
            walk_checks += walked
            if ok:
                if skip == 0:
                    return True
                skip -= 1
            if walk_checks >= _TOP_K + skip:
                break
        lay.remove(name)
        return False

    def _future_ok(self, name: str) -> bool:
        """Forward check: every larger piece still to be placed keeps at least one spot
        that passes the cheap hard rules (so a sofa does not take the only wall the
        wardrobe could stand against)."""
        lay = self.layout
        for other in self.pending:
            if self.late():
                return False
            it = lay.items[other]
            if other == name or lay.is_placed(other) or not it.blocks_floor:
                continue
            if it.size[0] * it.size[2] < 0.3:
                continue
            cands = self._probe.get(other)
            if cands is None:
                cands = np.concatenate(
                    [
                        _candidates.wall_candidates(lay, other, self.rng, step=0.2),
                        _candidates.grid_candidates(lay, other, step=0.3),
                    ]
                )
                self._probe[other] = cands
            if not self._any_passes(other, cands):
                return False
        return True

    def _prefilter(self, name: str, cands: np.ndarray, chunk: int = 1024) -> np.ndarray | None:
        """The candidates' prefilter in chunks, checking the deadline between them
        (None: out of time)."""
        out = []
        for s in range(0, len(cands), chunk):
            if self.late():
                return None
            part = cands[s : s + chunk]
            out.append(_candidates.prefilter(self.layout, name, part, self.hard_globals))
        return np.concatenate(out) if out else np.zeros(0, bool)

    def _any_passes(self, name: str, cands: np.ndarray, chunk: int = 1024) -> bool:
        """Whether any candidate passes the prefilter: in chunks, stopping at the first
        hit or at the deadline (a large room has tens of thousands of probes)."""
        for s in range(0, len(cands), chunk):
            if self.late():
                return False
            if _candidates.prefilter(
                self.layout, name, cands[s : s + chunk], self.hard_globals
            ).any():
                return True
        return False

    def _packing(self, name: str, cands: np.ndarray) -> np.ndarray:
        """A small preference for tidy packing: pieces whose sides touch a wall or a
        placed piece leave the floor in one piece (tie-breaker below any rule)."""
        it = self.layout.items[name]
        if name in self._side_needs:
            return self._lookahead(name, cands)
        if not it.blocks_floor:
            return np.zeros(len(cands))
        lay = self.layout
        parts = [shapely.LinearRing(lay.room.floor_xz)]
        parts += [lay.footprint(n) for n in lay.placed if lay.items[n].blocks_floor]
        others = shapely.union_all(parts)
        w, _, d = it.size
        c, s = np.cos(cands[:, 2]), np.sin(cands[:, 2])
        out = np.zeros(len(cands))
        best = np.full(len(cands), np.inf)
        for sx in (1.0, -1.0):
            # the side edge at local x = sx * w / 2
            ax = cands[:, 0] + sx * w / 2 * c - d / 2 * s
            az = cands[:, 1] - sx * w / 2 * s - d / 2 * c
            bx = cands[:, 0] + sx * w / 2 * c + d / 2 * s
            bz = cands[:, 1] - sx * w / 2 * s + d / 2 * c
            lines = shapely.linestrings(np.stack([np.stack([ax, az], 1), np.stack([bx, bz], 1)], 1))
            best = np.minimum(best, shapely.distance(lines, others))
        out += _PACKING * np.minimum(best, 2.0)
        return out

    def _lookahead(self, name: str, cands: np.ndarray) -> np.ndarray:
        """Cost of candidates that leave no room for the pieces that will stand beside
        (nightstands by a bed) or around (chairs at a table) this one."""
        lay = self.layout
        w, _, d = lay.items[name].size
        needs = self._side_needs[name]
        floor = lay.room.polygon
        placed = [lay.footprint(n) for n in lay.placed if lay.items[n].blocks_floor]
        for g in self.hard_globals:
            if isinstance(g, OpeningsClear):
                placed += [z for o, z, _, _ in g.zones(lay.room) if o.kind == "door"]
        blocked = shapely.union_all(placed) if placed else None
        n_beside = sum(k == "beside" for k, _, _ in needs)
        n_around = sum(k == "around" for k, _, _ in needs)
        sw = max((nw for k, nw, _ in needs), default=0.5) + 0.05
        sd = max((nd for k, _, nd in needs), default=0.5)
        strips = []
        if n_beside:
            # left / right of the back end
            strips += [
                (w / 2, w / 2 + sw, -d / 2, -d / 2 + sd),
                (-w / 2 - sw, -w / 2, -d / 2, -d / 2 + sd),
            ]
        if n_around:
            reach = sd + 0.55
            strips += [
                (-w / 2, w / 2, d / 2, d / 2 + reach),
                (-w / 2, w / 2, -d / 2 - reach, -d / 2),
                (w / 2, w / 2 + reach, -d / 2, d / 2),
                (-w / 2 - reach, -w / 2, -d / 2, d / 2),
            ]
        c, s = np.cos(cands[:, 2]), np.sin(cands[:, 2])
        free = np.zeros((len(cands), len(strips)), bool)
        for j, (x0, x1, z0, z1) in enumerate(strips):
            lx = np.array([x0, x1, x1, x0])
            lz = np.array([z0, z0, z1, z1])
            xs = cands[:, :1] + lx * c[:, None] + lz * s[:, None]
            zs = cands[:, 1:2] - lx * s[:, None] + lz * c[:, None]
            polys = shapely.polygons(np.stack([xs, zs], axis=2))
            ok = shapely.covers(floor, polys)
            if blocked is not None:
                ok &= ~shapely.intersects(polys, blocked)
            free[:, j] = ok
        cost = np.zeros(len(cands))
        if n_beside:
            cost += 2.0 * np.maximum(0, min(n_beside, 2) - free[:, :2].sum(1))
        if n_around:
            sides = free[:, -4:].sum(1)
            cost += 1.5 * np.maximum(0, min(4, (n_around + 1) // 2 + 1) - sides)
        return cost

    def _placement(self, row, support) -> Placement:
        return Placement(float(row[0]), float(row[1]), float(row[2]), float(row[3]), support)

    def _support_for(self, name, cands):
        """Per candidate: the placed support whose top it sits on (or None)."""
        lay = self.layout
        sups = [s for s in self.supports.get(name, []) if lay.is_placed(s)]
        out = []
        for row in cands:
            best = None
            for s in sups:
                if abs(lay.yrange(s)[1] - row[3]) < 1e-6 and lay.footprint(s).contains(_point(row)):
                    best = s
                    break
            out.append(best)
        return out

    # ---- greedy and local search ---------------------------------------------------
    def greedy(self, order) -> str | None:
        """Place items in order, backtracking a little; the name that failed, or None."""
        i, skips, backtracks = 0, dict.fromkeys(order, 0), 0
        self.pending = list(order)
        while i < len(order):
            name = order[i]
            if time.perf_counter() > self.deadline:
                return name
            if self.place_best(name, skip=skips[name]):
                i += 1
                continue
            if i == 0 or backtracks >= _MAX_BACKTRACK:
                return name
            skips[name] = 0
            i -= 1
            self.layout.remove(order[i])
            skips[order[i]] += 1
            backtracks += 1
        return None

    def total_soft(self) -> float:
        return sum(
            c.weight * c.cost(self.layout) for c in self.cons if not c.hard and c.ready(self.layout)
        )

    def improve(self, budget_s: float, max_rounds: int) -> None:
        end = min(self.deadline, time.perf_counter() + budget_s)
        lay = self.layout
        for _ in range(max_rounds):
            if time.perf_counter() > end:
                return
            bad = []
            for c in self.cons:
                if time.perf_counter() > end:
                    return
                if not c.hard and not c.is_global and not c.evaluate(lay)[0]:
                    bad.append(c)
            if not bad:
                return
            c = bad[int(self.rng.integers(len(bad)))]
            # sorted: a set of str iterates in an order that changes with PYTHONHASHSEED,
            # and the rng picks by position (the same seed gave other rooms per process)
            movable = [n for n in sorted(c.involves) if not self._has_children(n)]
            if not movable:
                continue
            name = movable[int(self.rng.integers(len(movable)))]
            before, old = self.total_soft(), lay.placements[name]
            lay.remove(name)
            if not self.place_best(name) or self.total_soft() >= before - 1e-9:
                lay.place(name, old)

    def _has_children(self, name) -> bool:
        return any(p.support == name for p in self.layout.placements.values())


def _point(row):
    return shapely.Point(float(row[0]), float(row[1]))


def solve(
    layout: Layout,
    constraints: list[Constraint],
    seed: int = 0,
    time_limit: float = 5.0,
    free_yaw: bool = False,
    max_attempts: int = 12,
    improve: bool = True,
    stats: dict | None = None,
) -> Layout | None:
    """Place every item of ``layout`` so all hard constraints hold; None if no layout
    was found within ``time_limit`` seconds / ``max_attempts`` restarts.

    The functional core of :func:`plan`: constraints must already be bound. ``stats``
    (a dict) receives ``attempts`` (finished greedy passes) and ``timed_out``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed: expected an integer >= 0, got {seed!r}")
    stats = {} if stats is None else stats
    stats.update(attempts=0, timed_out=False)
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    hard_globals = [c for c in constraints if c.is_global and c.hard]
    snap = next((c.step for c in constraints if isinstance(c, RotationSnap)), None)
    supports = _supports(layout, constraints)
    for attempt in range(max_attempts):
        if time.perf_counter() > deadline:
            stats["timed_out"] = True
            break
        rng = np.random.default_rng([seed, attempt])
        lay = Layout(layout.room, list(layout.items.values()))
        s = _Search(lay, constraints, hard_globals, supports, rng, deadline, free_yaw, snap)
        # attempt 0: dependency order by size; 1: big wall pieces first; then shuffled
        order = _order(lay, constraints, rng, shuffle=attempt > 1, walls_first=attempt == 1)
        failed = s.greedy(order)
        if time.perf_counter() > deadline and failed is not None:
            stats["timed_out"] = True
            break
        stats["attempts"] += 1
        if failed is not None:
            continue
        if improve:
            # a tenth of the budget, no fixed cap: with a generous time_limit the rounds
            # bound the polishing, so the layout is the seed's on a busy machine too
            s.improve(budget_s=max(0.0, time_limit * 0.1), max_rounds=3 * len(order))
        if all(c.evaluate(lay)[0] for c in constraints if c.hard):
            return lay
    return None


def plan(
    room: Room,
    items,
    constraints=None,
    seed: int = 0,
    time_limit: float = 5.0,
    walkway: float = 0.9,
    rotations: float | None = 90.0,
    explain: bool = True,
):
    """Arrange furniture in a room.

    Args:
        room: the :class:`~worldnb.scene.Room` (doors and windows are kept clear).
        items: category names (``"bed"``), ``(category, (w, h, d))`` pairs or
            :class:`~worldnb.catalog.CatalogEntry` s; repeated categories get
            numbered names (``"chair 1"``, ``"chair 2"``).
        constraints: extra :class:`~worldnb.layout.constraints.Constraint` s. ``None``
            uses the catalog's design rules (bed head against a wall with nightstands
            beside it, sofa facing the TV, chairs around the table, …). The base
            rules (inside the room, no overlap, openings clear, access clear, walkway,
            rotation snapping) are always added unless you pass your own of that type.
        seed: random seed; the same request and seed give the same layout.
        time_limit: seconds for the whole call: the search uses up to 70 % of it, and
            explaining a failure the rest (at most 3 s). The call returns within
            about 1.2 × ``time_limit`` + 0.2 s.
        walkway: minimum walkway width (m) from each door to every piece.
        rotations: rotation step in degrees, in (0, 360] (90 = 0/90/180/270);
            ``None`` = free.
        explain: when no layout is found, name a small conflicting set (this takes
            the last 30 % of ``time_limit``). ``False`` gives the search the whole
            budget and raises at once with a short message: for callers that retry
            with other items, as :func:`worldnb.worlds.sample_room` does.

    Returns:
        :class:`~worldnb.layout.LayoutResult`.

    Raises:
        InfeasibleLayoutError: no layout satisfies the hard constraints; the message
            names a small conflicting set in plain words.

    Example:
        >>> from worldnb.scene import Opening, Room
        >>> room = Room.rectangle(4, 3.5, openings=[Opening("door", "wall_0", 0.8, 0.9)])
        >>> res = plan(room, ["bed", "nightstand", "wardrobe"], seed=0)
        >>> all(c["satisfied"] for c in res.constraints if c["hard"])
        True
    """
    from ._infeasible import diagnose
    from .result import LayoutResult

    if not isinstance(room, Room):
        raise InputError(f"room: expected a worldnb Room, got {type(room).__name__}")
    try:
        time_limit = float(time_limit)
    except (TypeError, ValueError):
        raise InputError(f"time_limit: expected seconds, got {time_limit!r}") from None
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise InputError(f"time_limit: expected a positive number of seconds, got {time_limit}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed: expected an integer >= 0, got {seed!r}")
    t0 = time.perf_counter()
    layout = Layout(room, make_items(items))
    cons = build_constraints(layout, constraints, walkway, rotations)
    # the search gets most of the budget (less what setting up took); explaining a
    # failure gets the rest
    search = (0.7 if explain else 1.0) * time_limit - (time.perf_counter() - t0)
    found = solve(layout, cons, seed=int(seed), time_limit=search, free_yaw=rotations is None)
    if found is None:
        if not explain:
            raise InfeasibleLayoutError(
                f"no layout found for {len(layout.items)} items in {time_limit:g} s "
                "(plan with explain=True to name the conflicting constraints)",
                (),
            )
        left = time_limit - (time.perf_counter() - t0)
        # at least a short look (0.3 s, or 30 % of the limit when that is less), so
        # the whole call keeps to time_limit (plus the last check's overrun)
        budget = max(min(0.3, 0.3 * time_limit), min(3.0, left))
        raise diagnose(layout, cons, seed=int(seed), budget=budget)
    return LayoutResult(found, cons, seed=int(seed), solve_time=time.perf_counter() - t0)


def build_constraints(layout: Layout, constraints, walkway, rotations) -> list[Constraint]:
    """Base rules + the request's constraints (or the catalog defaults), bound."""
    if constraints is None:
        user = default_constraints(layout)
    else:
        if isinstance(constraints, Constraint):
            constraints = [constraints]
        user = []
        for c in constraints:
            if not isinstance(c, Constraint):
                raise InputError(
                    f"constraints: expected Constraint objects (worldnb.layout.AgainstWall…), "
                    f"got {type(c).__name__}"
                )
            user.append(c.bind(layout))
    given = {type(c) for c in user if c.is_global}
    base = [c for c in base_constraints(walkway, rotations) if type(c) not in given]
    cons = base + user
    # an on-top item needs a support: keep the catalog's on_top_of rule as a hard rule
    have_support = {a for c in cons if isinstance(c, OnTopOf) for a in c.bound[0]}
    defaults = None  # the catalog's on_top_of rules, computed once (O(n²) for n items)
    for name, it in layout.items.items():
        if it.placement != "on_top" or name in have_support:
            continue
        if defaults is None:
            defaults = [c for c in default_constraints(layout) if isinstance(c, OnTopOf)]
        for c in defaults:
            if name in c.bound[0] and not set(c.bound[0]) <= have_support:
                cons.append(c)
                have_support.update(c.bound[0])
        if name not in have_support:
            targets = [r.get("target") for r in it.entry.rules if r["type"] == "on_top_of"]
            raise InfeasibleLayoutError(
                f"the {name} stands on top of other furniture ({targets or 'a support'}), "
                "and none is in the request; add one",
                (f"the {name} needs a support",),
            )
    for c in cons:
        if isinstance(c, OnTopOf):
            c.hard = True
            for a in c.bound[0]:
                ia = layout.items[a]
                fits = [
                    b
                    for b in c.bound[1]
                    if min(ia.size[0], ia.size[2])
                    <= min(layout.items[b].size[0], layout.items[b].size[2])
                    and max(ia.size[0], ia.size[2])
                    <= max(layout.items[b].size[0], layout.items[b].size[2])
                ]
                if not fits:
                    sups = " or ".join(layout.items[b].describe() for b in c.bound[1])
                    raise InfeasibleLayoutError(
                        f"{ia.describe()} is larger than {sups} it should stand on; "
                        "choose a smaller one or a larger support",
                        (ia.describe(), *(layout.items[b].describe() for b in c.bound[1])),
                    )
    return cons
