"""Global hard rules: inside the room, no overlap, openings clear, access zones clear,
walkway, rotation snapping."""

from __future__ import annotations

import math

from ..errors import InputError
from ._base import _ACCESS_TOL, _AREA_EPS, Constraint
from ._geometry import GRID_RES, clearance_map, door_zones, floor_grid, opening_zone, reachable_from
from .state import Layout

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
        """One ``(problem, size)`` per piece that reaches outside the floor (size: the area
        outside, m²) or above the ceiling (size: the overshoot, m); with ``only``, that
        piece alone."""
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
        """The constraint in plain words."""
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
        """One ``(problem, size)`` per overlapping pair (size: the overlap, m²); with
        ``only``, the pairs that include that piece."""
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
        """The constraint in plain words."""
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
        """The clear zone of each opening of ``room``: ``(opening, floor polygon, y0, y1)``
        tuples, y0–y1 the height band it keeps free (cached for the last room)."""
        if self._zones[0] is not room:
            zs = []
            for o in room.openings:
                depth = max(self.door_depth, o.width) if o.kind == "door" else self.window_depth
                lo, hi = (0.0, o.height) if o.kind == "door" else (o.sill, o.sill + o.height)
                zs.append((o, opening_zone(room, o, depth), lo, hi))
            self._zones = (room, zs)
        return self._zones[1]

    def violations(self, layout, only=None):
        """One ``(problem, size)`` per piece standing in a door's or window's clear zone (size:
        the area inside it, m²); flat pieces and pieces on top of others are exempt."""
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
        """The constraint in plain words, with the door depth."""
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
        """One ``(problem, size)`` per piece whose access space (in front of a wardrobe,
        behind a chair) is blocked by other pieces or the walls (size: the blocked area,
        m²); with ``only``, just that piece's intrusions into the others' access spaces."""
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
        """The constraint in plain words."""
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
        try:
            self.width = float(width)
        except (TypeError, ValueError):
            self.width = math.nan  # refused just below, with the value given
        if isinstance(width, bool) or not 0.2 <= self.width <= 3.0:
            raise InputError(f"walkway width: expected 0.2–3.0 m, got {width!r}")

    def violations(self, layout, only=None):
        """One ``(problem, 1.0)`` per door cut off from the room and per piece that no
        walkway of :attr:`width` reaches from a door; none in a room without doors."""
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
        """The constraint in plain words, with the walkway width."""
        return f"a walkway at least {self.width:.2f} m wide links each door to every piece"


class RotationSnap(GlobalConstraint):
    """Every rotation is a multiple of ``step_deg`` (90 by default). Measured: the
    largest deviation (degrees)."""

    unit = "°"

    def __init__(self, step_deg: float = 90.0, **kw):
        super().__init__(**kw)
        try:
            self.step = float(step_deg)
        except (TypeError, ValueError):
            self.step = math.nan  # refused just below, with the value given
        if isinstance(step_deg, bool) or not 0 < self.step <= 360:
            raise InputError(
                "rotation step: expected degrees in (0, 360] (90 = quarter turns; "
                f"plan(rotations=None) turns freely), got {step_deg!r}"
            )

    def violations(self, layout, only=None):
        """One ``(problem, degrees off the grid)`` per piece turned more than 0.5° off a
        multiple of the step."""
        out = []
        for n in [only] if only else layout.placed:
            deg = math.degrees(layout.placements[n].yaw) % self.step
            dev = min(deg, self.step - deg)
            if dev > 0.5:
                out.append((f"the {n} is turned {dev:.0f}° off the {self.step:g}° grid", dev))
        return out

    def describe(self):
        """The constraint in plain words, with the step."""
        return f"rotations snap to multiples of {self.step:g}°"
