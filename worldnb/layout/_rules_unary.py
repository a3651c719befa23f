"""Rules about one item: against a wall, in a corner, centered, near / away from windows."""

from __future__ import annotations

import math
import warnings

import numpy as np
import shapely

from ._base import Constraint, _the
from ._geometry import convex_corners
from .state import Layout

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
        """The constraint in words, with the side that touches the wall.

        Example:
            >>> AgainstWall("bed").describe()
            'the bed stands with its back against a wall'
        """
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
        """The constraint in words.

        Example:
            >>> InCorner("plant").describe()
            'the plant stands in a corner'
        """
        return f"{self.what} stands in a corner"


class Centered(_Unary):
    """The item's center is within ``max_offset`` m of the room's centre (the centroid
    of the floor polygon). Measured: the offset (m)."""

    def __init__(self, item, max_offset: float = 0.4, **kw):
        super().__init__(item, **kw)
        self.max_offset = float(max_offset)

    def _one(self, layout, name):
        c = layout.room.polygon.centroid
        d = float(np.hypot(*(layout.center(name) - [c.x, c.y])))
        return d <= self.max_offset, d, d

    def describe(self):
        """The constraint in words.

        Example:
            >>> Centered("rug").describe()
            'the rug stands in the middle of the room'
        """
        return f"{self.what} stands in the middle of the room"


class Centred(Centered):
    """Deprecated British spelling of :class:`Centered` (warns; will be removed)."""

    def __init__(self, item, max_offset: float = 0.4, **kw):
        warnings.warn(
            "worldnb.layout.Centred is deprecated; use Centered",
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(item, max_offset=max_offset, **kw)


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
        """The constraint in words.

        Example:
            >>> NearWindow("desk").describe()
            'the desk stands near a window'
        """
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
        """The constraint in words.

        Example:
            >>> AwayFromWindow("bed").describe()
            'the bed keeps away from the windows'
        """
        return f"{self.what} keeps away from the windows"
