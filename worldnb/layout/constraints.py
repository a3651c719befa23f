"""The constraint vocabulary: each constraint can be hard (never violated) or soft
(weighted in the score), says in plain words what it asks, and measures itself.

Every constraint has ``evaluate(layout) -> (satisfied, measured_value)``, ``cost``
(0 when satisfied, growing with the violation; the solver minimises it) and
``describe()``. Item references are names (``"chair 2"``) or categories
(``"chair"`` = every chair); a binary constraint holds when *each* item on the left
satisfies it with *some* item on the right.

Example:
    >>> c = AgainstWall("bed", weight=3.0)
    >>> c.describe()
    'the bed stands with its back against a wall'
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from ..errors import InputError
from ._geometry import (
    GRID_RES,
    clearance_map,
    convex_corners,
    door_zones,
    floor_grid,
    opening_zone,
    reachable_from,
)
from .state import Layout

__all__ = [
    "AccessClear",
    "AgainstWall",
    "AlignedWith",
    "Around",
    "AwayFromWindow",
    "Beside",
    "Centred",
    "Constraint",
    "Distance",
    "Facing",
    "Far",
    "InCorner",
    "InFrontOf",
    "InsideRoom",
    "LeftOf",
    "Near",
    "NearWindow",
    "NoOverlap",
    "OnTopOf",
    "OpeningsClear",
    "RightOf",
    "RotationSnap",
    "Walkway",
]

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


# ---- global hard rules ---------------------------------------------------------------


class GlobalConstraint(Constraint):
    """A rule over every placed item (no references)."""

    is_global = True

    def __init__(self, *, hard: bool = True, weight: float = 10.0):
        super().__init__(hard=hard, weight=weight)

    def bind(self, layout):
        return self

    @property
    def involves(self):
        return set()

    def ready(self, layout):
        return True

    def violations(self, layout: Layout, only: str | None = None) -> list[tuple[str, float]]:
        """(plain-words problem, size) pairs; with ``only``, just those involving that item."""
        raise NotImplementedError

    def _measure(self, layout):
        v = self.violations(layout)
        total = float(sum(x for _, x in v))
        return not v, total, total


class InsideRoom(GlobalConstraint):
    """Every footprint lies inside the floor polygon and every top under the ceiling.
    Measured: area outside (m²) plus height above the ceiling (m)."""

    unit = "m² outside"

    def violations(self, layout, only=None):
        room = layout.room
        floor = room.polygon.buffer(1e-3, join_style="mitre")
        out = []
        for n in [only] if only else layout.placed:
            fp = layout.footprint(n)
            outside = fp.area - fp.intersection(floor).area if not floor.covers(fp) else 0.0
            over = layout.yrange(n)[1] - room.height
            if outside > _AREA_EPS:
                out.append((f"the {n} sticks {outside:.2f} m² out of the room", outside))
            if over > 1e-3:
                out.append((f"the {n} is {over:.2f} m taller than the ceiling", over))
        return out

    def describe(self):
        return "every piece stands inside the room, under the ceiling"


def _collides(layout: Layout, a: str, b: str) -> float:
    pa, pb = layout.placements[a], layout.placements[b]
    if pa.support == b or pb.support == a:
        return 0.0
    ia, ib = layout.items[a], layout.items[b]
    if ia.entry.flat != ib.entry.flat:
        return 0.0
    ya, yb = layout.yrange(a), layout.yrange(b)
    if min(ya[1], yb[1]) - max(ya[0], yb[0]) <= 1e-3:
        return 0.0
    fa, fb = layout.footprint(a), layout.footprint(b)
    if not fa.intersects(fb):
        return 0.0
    area = fa.intersection(fb).area
    return area if area > _AREA_EPS else 0.0


class NoOverlap(GlobalConstraint):
    """No two pieces share space (rugs lie under furniture; items rest on supports).
    Measured: total overlapping floor area (m²)."""

    unit = "m² overlap"

    def violations(self, layout, only=None):
        names = layout.placed
        out = []
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if only and only not in (a, b):
                    continue
                area = _collides(layout, a, b)
                if area:
                    out.append((f"the {a} and the {b} overlap by {area:.2f} m²", area))
        return out

    def describe(self):
        return "no two pieces overlap"


class OpeningsClear(GlobalConstraint):
    """Doors keep a clear zone (the swing plus ``door_depth`` m into the room); windows
    are not blocked by anything reaching above their sill within ``window_depth`` m.
    Measured: blocked floor area (m²)."""

    unit = "m² blocked"

    def __init__(self, door_depth: float = 1.0, window_depth: float = 0.35, **kw):
        super().__init__(**kw)
        self.door_depth = float(door_depth)
        self.window_depth = float(window_depth)
        self._zones: tuple = (None, [])

    def zones(self, room):
        if self._zones[0] is not room:
            zs = []
            for o in room.openings:
                depth = max(self.door_depth, o.width) if o.kind == "door" else self.window_depth
                lo, hi = (0.0, o.height) if o.kind == "door" else (o.sill, o.sill + o.height)
                zs.append((o, opening_zone(room, o, depth), lo, hi))
            self._zones = (room, zs)
        return self._zones[1]

    def violations(self, layout, only=None):
        out = []
        for n in [only] if only else layout.placed:
            it = layout.items[n]
            if it.entry.flat or (it.placement == "on_top"):
                continue
            fp, (y0, y1) = layout.footprint(n), layout.yrange(n)
            for o, zone, lo, hi in self.zones(layout.room):
                if min(y1, hi) - max(y0, lo) <= 1e-3 or not fp.intersects(zone):
                    continue
                area = fp.intersection(zone).area
                if area > _AREA_EPS:
                    what = "door" if o.kind == "door" else "window"
                    out.append((f"the {n} blocks the {what} on {o.wall} ({area:.2f} m²)", area))
        return out

    def describe(self):
        return (
            f"doors keep a {self.door_depth:.1f} m deep clear zone and no tall piece stands "
            "in front of a window"
        )


def _exempt(layout: Layout, guest: str, host: str) -> bool:
    """Whether ``guest`` may stand in ``host``'s access zone (a chair at its table)."""
    host_cat = layout.items[host].category
    for r in layout.items[guest].entry.rules:
        t = r.get("target")
        targets = t if isinstance(t, list) else [t]
        if host_cat in targets and r["type"] in ("in_front_of", "around", "beside"):
            return True
    return False


def access_violation(layout: Layout, host: str, others=None) -> float:
    """Area (m²) of ``host``'s access zones taken by other pieces or lying outside the
    room (for access-any items, the least-blocked side)."""
    zones = layout.access_zones(host)
    if not zones:
        return 0.0
    floor = layout.room.polygon
    sizes = []
    others = layout.placed if others is None else others
    for z in zones:
        bad = z.area - z.intersection(floor).area
        for g in others:
            if g == host or not layout.items[g].blocks_floor or _exempt(layout, g, host):
                continue
            fg = layout.footprint(g)
            if fg.intersects(z):
                bad += fg.intersection(z).area
        sizes.append(bad)
    v = min(sizes) if layout.items[host].entry.access_any else sum(sizes)
    return v if v > _ACCESS_TOL else 0.0


class AccessClear(GlobalConstraint):
    """Each piece keeps its access space (e.g. 0.7 m in front of a wardrobe, 0.55 m
    behind a chair to pull it out) free of other pieces and inside the room.
    Measured: blocked access area (m²)."""

    unit = "m² blocked"

    def violations(self, layout, only=None):
        out = []
        names = layout.placed
        for h in names:
            if not layout.items[h].blocks_floor:
                continue
            if only is not None and h != only:
                # only the new piece's intrusion into h's zones matters
                v = access_violation(layout, h, [only]) if layout.items[only].blocks_floor else 0
                if v:
                    out.append((f"the {only} stands in the access space of the {h}", v))
                continue
            v = access_violation(layout, h)
            if v:
                out.append((f"the access space of the {h} is blocked ({v:.2f} m²)", v))
        return out

    def describe(self):
        return "every piece keeps its access space clear"


def walkway_analysis(layout: Layout, width: float, measure: bool = False, doors=None) -> dict:
    """Which doors and access zones a walker ``width`` m wide can reach.

    Args:
        doors: (label, zone polygon) pairs to start from; default: the room's doors.

    Returns a dict with ``blocked_doors`` (door labels), ``unreachable`` (item names)
    and, when ``measure`` is set, ``widths`` (item → widest path width from a door, m).
    """
    room = layout.room
    grid = floor_grid(room)
    obstacles = [layout.footprint(n) for n in layout.placed if layout.items[n].blocks_floor]
    _, dist = clearance_map(grid, obstacles)
    present = {layout.items[n].category for n in layout.placed}
    targets = {
        n: layout.access_zones(n)
        for n in layout.placed
        if layout.items[n].blocks_floor
        and layout.access_zones(n)
        and layout.items[n].entry.reached_from not in present
    }
    if doors is None:
        doors = [(o.wall, z) for o, z in door_zones(room)]

    def reach_sets(r):
        walk = dist - grid.res / 2 >= r - 1e-9
        sets = []
        for o, zone in doors:
            seeds = grid.rasterize([zone], grow=0.2) & walk
            sets.append((o, reachable_from(walk, seeds) if seeds.any() else None))
        return sets

    def reached(reach, zones, r, any_side):
        hits = [bool((grid.rasterize([z], grow=max(r - 0.1, 0.05)) & reach).any()) for z in zones]
        return any(hits) if any_side else all(hits)

    r0 = width / 2
    sets = reach_sets(r0)
    out = {"blocked_doors": [o for o, s in sets if s is None], "unreachable": []}
    for n, zones in targets.items():
        any_side = layout.items[n].entry.access_any
        if not all(s is not None and reached(s, zones, r0, any_side) for _, s in sets):
            out["unreachable"].append(n)
    if measure:
        widths = {}
        cache = {}
        for n, zones in targets.items():
            any_side = layout.items[n].entry.access_any
            lo, hi = 0.0, 1.5
            for _ in range(6):
                mid = round((lo + hi) / 2 / GRID_RES) * GRID_RES or GRID_RES
                if mid not in cache:
                    cache[mid] = reach_sets(mid)
                ok = doors and all(
                    s is not None and reached(s, zones, mid, any_side) for _, s in cache[mid]
                )
                lo, hi = (mid, hi) if ok else (lo, mid)
                if hi - lo <= GRID_RES:
                    break
            widths[n] = round(2 * lo, 2)
        out["widths"] = widths
    return out


class Walkway(GlobalConstraint):
    """A connected path at least ``width`` m wide runs from each door to every piece's
    access zone. Measured: the narrowest of those paths' widths (m), when evaluated."""

    unit = "m wide"

    def __init__(self, width: float = 0.9, **kw):
        super().__init__(**kw)
        self.width = float(width)
        if not 0.2 <= self.width <= 3.0:
            raise InputError(f"walkway width: expected 0.2–3.0 m, got {width!r}")

    def violations(self, layout, only=None):
        if not layout.room.doors:
            return []
        res = walkway_analysis(layout, self.width)
        out = [(f"the door on {w} is cut off from the room", 1.0) for w in res["blocked_doors"]]
        out += [(f"no {self.width:.2f} m walkway reaches the {n}", 1.0) for n in res["unreachable"]]
        return out

    def _measure(self, layout):
        if not layout.room.doors:
            return True, math.inf, 0.0
        res = walkway_analysis(layout, self.width, measure=True)
        narrow = min(res["widths"].values(), default=math.inf)
        bad = len(res["blocked_doors"]) + len(res["unreachable"])
        return bad == 0, narrow, float(bad)

    def describe(self):
        return f"a walkway at least {self.width:.2f} m wide links each door to every piece"


class RotationSnap(GlobalConstraint):
    """Every rotation is a multiple of ``step_deg`` (90 by default). Measured: the
    largest deviation (degrees)."""

    unit = "°"

    def __init__(self, step_deg: float = 90.0, **kw):
        super().__init__(**kw)
        self.step = float(step_deg)

    def violations(self, layout, only=None):
        out = []
        for n in [only] if only else layout.placed:
            deg = math.degrees(layout.placements[n].yaw) % self.step
            dev = min(deg, self.step - deg)
            if dev > 0.5:
                out.append((f"the {n} is turned {dev:.0f}° off the {self.step:g}° grid", dev))
        return out

    def describe(self):
        return f"rotations snap to multiples of {self.step:g}°"


# ---- unary rules ---------------------------------------------------------------------


class _Unary(Constraint):
    def __init__(self, item, **kw):
        super().__init__(**kw)
        self.refs = (item,)

    def ready(self, layout):
        return all(layout.is_placed(n) for n in self.bound[0])

    def _measure(self, layout):
        worst_ok, worst_val, cost = True, -math.inf, 0.0
        for n in self.bound[0]:
            ok, val, c = self._one(layout, n)
            worst_ok &= ok
            worst_val = max(worst_val, val)
            cost += 0.0 if ok else c
        return worst_ok, worst_val, cost

    def _one(self, layout, name) -> tuple[bool, float, float]:
        raise NotImplementedError

    @property
    def what(self) -> str:
        return _the([self.refs[0]] if isinstance(self.refs[0], str) else self.refs[0])


def wall_gap(layout: Layout, name: str, side: str = "back") -> tuple[float, str]:
    """(gap in m, wall id) between the item's ``side`` edge and the best parallel wall."""
    it, p = layout.items[name], layout.placements[name]
    w, _, d = it.size
    loc = {
        "back": ((-w / 2, -d / 2), (w / 2, -d / 2), (0, -1)),
        "front": ((-w / 2, d / 2), (w / 2, d / 2), (0, 1)),
        "left": ((w / 2, -d / 2), (w / 2, d / 2), (1, 0)),
        "right": ((-w / 2, -d / 2), (-w / 2, d / 2), (-1, 0)),
    }[side]
    c, s = math.cos(p.yaw), math.sin(p.yaw)

    def world(v):
        return np.array([p.x + v[0] * c + v[1] * s, p.z - v[0] * s + v[1] * c])

    a, b = world(loc[0]), world(loc[1])
    out_dir = world(loc[2]) - np.array([p.x, p.z])
    best = (math.inf, "")
    for wall in layout.room.walls:
        if float(out_dir @ -wall.normal) < math.cos(math.radians(5)):
            continue
        gap = float(max(wall.distance_to(a)[0], wall.distance_to(b)[0]))
        if gap < best[0]:
            best = (gap, wall.id)
    return best


class AgainstWall(_Unary):
    """The item's back (or, with ``side``, another side; any side for items without a
    front) is within ``max_gap`` m of a wall, parallel to it. Measured: the gap (m)."""

    def __init__(self, item, side: str | None = None, max_gap: float = 0.05, **kw):
        super().__init__(item, **kw)
        self.side, self.max_gap = side, float(max_gap)

    def _one(self, layout, name):
        it = layout.items[name]
        sides = (
            [self.side]
            if self.side
            else (["back"] if it.entry.front else ["back", "front", "left", "right"])
        )
        gap = min(wall_gap(layout, name, s)[0] for s in sides)
        return gap <= self.max_gap, gap, gap

    def describe(self):
        return f"{self.what} stands with its {self.side or 'back'} against a wall"


class InCorner(_Unary):
    """The item stands in a corner: its footprint within ``max_gap`` m of a convex corner
    of the room. Measured: distance to the nearest corner (m)."""

    def __init__(self, item, max_gap: float = 0.15, **kw):
        super().__init__(item, **kw)
        self.max_gap = float(max_gap)

    def _one(self, layout, name):
        fp = layout.footprint(name)
        d = min(
            (fp.distance(shapely.Point(c)) for c, _, _ in convex_corners(layout.room)),
            default=math.inf,
        )
        return d <= self.max_gap, d, d

    def describe(self):
        return f"{self.what} stands in a corner"


class Centred(_Unary):
    """The item's centre is within ``max_offset`` m of the room's centre (the centroid
    of the floor polygon). Measured: the offset (m)."""

    def __init__(self, item, max_offset: float = 0.4, **kw):
        super().__init__(item, **kw)
        self.max_offset = float(max_offset)

    def _one(self, layout, name):
        c = layout.room.polygon.centroid
        d = float(np.hypot(*(layout.center(name) - [c.x, c.y])))
        return d <= self.max_offset, d, d

    def describe(self):
        return f"{self.what} stands in the middle of the room"


def _window_distance(layout, name) -> float:
    fp = layout.footprint(name)
    return min(
        (
            fp.distance(shapely.LineString(layout.room.opening_endpoints(o)))
            for o in layout.room.windows
        ),
        default=math.inf,
    )


class NearWindow(_Unary):
    """Within ``max`` m of a window (a desk in daylight). Measured: distance (m)."""

    def __init__(self, item, max: float = 1.0, **kw):
        super().__init__(item, **kw)
        self.max = float(max)

    def _one(self, layout, name):
        if not layout.room.windows:
            return True, math.inf, 0.0
        d = _window_distance(layout, name)
        return d <= self.max, d, d - self.max

    def describe(self):
        return f"{self.what} stands near a window"


class AwayFromWindow(_Unary):
    """At least ``min`` m from every window (a bed head not under a window).
    Measured: distance (m)."""

    def __init__(self, item, min: float = 0.3, **kw):
        super().__init__(item, **kw)
        self.min = float(min)

    def _one(self, layout, name):
        d = _window_distance(layout, name)
        return d >= self.min, d, self.min - d

    def describe(self):
        return f"{self.what} keeps away from the windows"


# ---- binary rules --------------------------------------------------------------------


class _Binary(Constraint):
    def __init__(self, a, b, **kw):
        super().__init__(**kw)
        self.refs = (a, b)

    def ready(self, layout):
        return all(layout.is_placed(n) for n in self.bound[0]) and any(
            layout.is_placed(n) for n in self.bound[1]
        )

    def _measure(self, layout):
        all_ok, worst, total = True, -math.inf, 0.0
        for a in self.bound[0]:
            best = None
            for b in self.bound[1]:
                if b == a or not layout.is_placed(b):
                    continue
                r = self._pair(layout, a, b)
                if best is None or (r[0], -r[2]) > (best[0], -best[2]):
                    best = r
            if best is None:
                continue
            all_ok &= best[0]
            worst = max(worst, best[1])
            total += 0.0 if best[0] else best[2]
        return all_ok, worst, total

    def _pair(self, layout, a, b) -> tuple[bool, float, float]:
        raise NotImplementedError

    @property
    def a(self):
        return _the([self.refs[0]] if isinstance(self.refs[0], str) else self.refs[0])

    @property
    def b(self):
        return _the([self.refs[1]] if isinstance(self.refs[1], str) else self.refs[1])


def box_distance(layout: Layout, a: str, b: str) -> float:
    """Distance between closest points of two placed items (m), 0 when touching —
    :func:`worldnb.spatial.distance` on their boxes."""
    from ..spatial import distance

    return float(distance(layout.box(a), layout.box(b)))


class Distance(_Binary):
    """Closest-point distance between A and B lies in ``[min, max]`` m. Measured: it."""

    def __init__(self, a, b, min: float = 0.0, max: float = math.inf, **kw):
        super().__init__(a, b, **kw)
        self.min, self.max = float(min), float(max)
        if self.min > self.max:
            raise InputError(f"Distance: min {min} is larger than max {max}")

    def _pair(self, layout, a, b):
        d = box_distance(layout, a, b)
        viol = max(self.min - d, d - self.max, 0.0)
        return viol == 0.0, d, viol

    def describe(self):
        hi = "" if math.isinf(self.max) else f" and {self.max:.2f} m"
        lo = f"between {self.min:.2f} m{hi}" if hi else f"at least {self.min:.2f} m"
        if self.min == 0 and hi:
            lo = f"within {self.max:.2f} m"
        return f"{self.a} is {lo} from {self.b}"


class Near(Distance):
    """A is within ``max`` m (default 1 m) of B."""

    def __init__(self, a, b, max: float = 1.0, **kw):
        super().__init__(a, b, 0.0, max, **kw)


class Far(Distance):
    """A is at least ``min`` m (default 2 m) from B."""

    def __init__(self, a, b, min: float = 2.0, **kw):
        super().__init__(a, b, min, math.inf, **kw)


def facing_angle(layout: Layout, a: str, b: str) -> float:
    """Angle (degrees) between A's front and the direction from A's centre to B's —
    :func:`worldnb.spatial.facing_angle` on their boxes."""
    from ..spatial import facing_angle as spatial_facing_angle

    return float(spatial_facing_angle(layout.box(a), layout.box(b)))


class Facing(_Binary):
    """A's front points at B within ``max_angle`` degrees. Measured: the angle (°)."""

    unit = "°"

    def __init__(self, a, b, max_angle: float = 30.0, **kw):
        super().__init__(a, b, **kw)
        self.max_angle = float(max_angle)

    def _pair(self, layout, a, b):
        ang = facing_angle(layout, a, b)
        return ang <= self.max_angle, ang, (ang - self.max_angle) / 45.0

    def describe(self):
        return f"{self.a} faces {self.b}"


class InFrontOf(_Binary):
    """A stands in front of B (along B's own front), its near edge ``min``–``max`` m from
    B's front, and overlapping B's width. Measured: the gap (m)."""

    def __init__(self, a, b, min: float = 0.0, max: float = 1.0, **kw):
        super().__init__(a, b, **kw)
        self.min, self.max = float(min), float(max)

    def _pair(self, layout, a, b):
        wb, _, db = layout.items[b].size
        loc = layout.to_local(b, np.asarray(layout.footprint(a).exterior.coords)[:4])
        gap = float(loc[:, 1].min() - db / 2)
        lateral = max(0.0, float(np.abs(layout.to_local(b, layout.center(a))[0, 0])) - wb / 2)
        viol = max(self.min - gap, gap - self.max, 0.0) + lateral
        return viol == 0.0, gap, viol

    def describe(self):
        return f"{self.a} stands {self.min:.2f}–{self.max:.2f} m in front of {self.b}"


class _Side(_Binary):
    """A is on one side of B in B's own frame (B's left = its local +X, as seen by
    someone using B facing its front). ``max_gap`` limits how far."""

    sign = 1.0
    word = "left"

    def __init__(self, a, b, max_gap: float = 0.5, **kw):
        super().__init__(a, b, **kw)
        self.max_gap = float(max_gap)

    def _pair(self, layout, a, b):
        wb = layout.items[b].size[0]
        loc = layout.to_local(b, np.asarray(layout.footprint(a).exterior.coords)[:4])
        gap = float((self.sign * loc[:, 0]).min() - wb / 2)
        viol = max(-gap, gap - self.max_gap, 0.0)
        return viol == 0.0, gap, viol

    def describe(self):
        return f"{self.a} stands to the {self.word} of {self.b}"


class LeftOf(_Side):
    sign, word = 1.0, "left"


class RightOf(_Side):
    sign, word = -1.0, "right"


class Beside(_Binary):
    """A stands right beside B (either side, gap ≤ ``max_gap`` m), with the backs of
    both lined up within ``max_offset`` m (nightstands by a bed head, a sink in a
    counter run). Measured: the side gap (m)."""

    def __init__(self, a, b, max_gap: float = 0.1, max_offset: float = 0.25, **kw):
        super().__init__(a, b, **kw)
        self.max_gap, self.max_offset = float(max_gap), float(max_offset)

    def _pair(self, layout, a, b):
        wb, _, db = layout.items[b].size
        loc = layout.to_local(b, np.asarray(layout.footprint(a).exterior.coords)[:4])
        gap = float(max(loc[:, 0].min() - wb / 2, (-loc[:, 0]).min() - wb / 2))
        back_off = abs(float(loc[:, 1].min()) + db / 2)
        if layout.items[a].entry.front and layout.items[b].entry.front:
            ang = facing_angle_between(layout, a, b)
            back_off += 0.0 if ang < 5 else 1.0
        viol = max(-gap, gap - self.max_gap, 0.0) + max(back_off - self.max_offset, 0.0)
        return viol == 0.0, gap, viol

    def describe(self):
        return f"{self.a} stands beside {self.b}"


def facing_angle_between(layout, a, b) -> float:
    """Angle (degrees) between two items' fronts."""
    return math.degrees(math.acos(float(np.clip(layout.front(a) @ layout.front(b), -1, 1))))


class AlignedWith(_Binary):
    """A is turned like B (rotation difference a multiple of 90° within ``tol_deg``).
    Measured: the difference (°)."""

    unit = "°"

    def __init__(self, a, b, tol_deg: float = 5.0, **kw):
        super().__init__(a, b, **kw)
        self.tol = float(tol_deg)

    def _pair(self, layout, a, b):
        diff = math.degrees(layout.placements[a].yaw - layout.placements[b].yaw) % 90.0
        diff = min(diff, 90.0 - diff)
        return diff <= self.tol, diff, diff / 45

    def describe(self):
        return f"{self.a} is aligned with {self.b}"


class OnTopOf(_Binary):
    """A rests on B's top with its footprint inside B's. Measured: vertical gap (m)
    plus footprint area hanging over (m²)."""

    def _pair(self, layout, a, b):
        gap = abs(layout.yrange(a)[0] - layout.yrange(b)[1])
        fa = layout.footprint(a)
        over = fa.area - fa.intersection(layout.footprint(b)).area
        v = gap + over
        return v <= 0.01, v, v

    def describe(self):
        return f"{self.a} stands on {self.b}"


class Around(_Binary):
    """A is at B's edge (≤ ``max_gap`` m) and faces it: a chair at a table.
    Measured: the gap (m)."""

    def __init__(self, a, b, max_gap: float = 0.15, **kw):
        super().__init__(a, b, **kw)
        self.max_gap = float(max_gap)

    def _pair(self, layout, a, b):
        d = box_distance(layout, a, b)
        ang = facing_angle(layout, a, b) if layout.items[a].entry.front else 0.0
        viol = max(d - self.max_gap, 0.0) + max(ang - 30.0, 0.0) / 45.0
        return viol == 0.0, d, viol

    def describe(self):
        return f"{self.a} is drawn up to {self.b}"


#: rule ``type`` in catalog.json → constructor(item, rule) of a soft constraint.
RULES = {
    "against_wall": lambda n, r: AgainstWall(n, weight=r.get("weight", 1.0)),
    "in_corner": lambda n, r: InCorner(n, weight=r.get("weight", 1.0)),
    "centred": lambda n, r: Centred(n, weight=r.get("weight", 1.0)),
    "near_window": lambda n, r: NearWindow(n, weight=r.get("weight", 1.0)),
    "away_from_window": lambda n, r: AwayFromWindow(n, weight=r.get("weight", 1.0)),
    "beside": lambda n, r: Beside(n, r["target"], weight=r.get("weight", 1.0)),
    "near": lambda n, r: Near(n, r["target"], max=r.get("max", 1.0), weight=r.get("weight", 1.0)),
    "facing": lambda n, r: Facing(n, r["target"], weight=r.get("weight", 1.0)),
    "in_front_of": lambda n, r: InFrontOf(
        n, r["target"], min=r.get("min", 0.0), max=r.get("max", 1.0), weight=r.get("weight", 1.0)
    ),
    "around": lambda n, r: Around(n, r["target"], weight=r.get("weight", 1.0)),
    "on_top_of": lambda n, r: OnTopOf(n, r["target"], weight=r.get("weight", 1.0)),
}
