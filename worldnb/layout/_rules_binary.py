"""Rules between items: distance, near / far, facing, in front of, left / right of,
beside, aligned with, on top of, around."""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ._base import Constraint, _the
from .state import Layout

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
        """The allowed distance range in words.

        Example:
            >>> Near("chair", "desk", max=0.5).describe()
            'the chair is within 0.50 m from the desk'
        """
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
        """The constraint in words.

        Example:
            >>> Facing("sofa", "tv stand").describe()
            'the sofa faces the tv stand'
        """
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
        """The constraint in words, with the allowed gap.

        Example:
            >>> InFrontOf("coffee table", "sofa", max=0.6).describe()
            'the coffee table stands 0.00–0.60 m in front of the sofa'
        """
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
    """A is on B's left in B's own frame (B's local +X, as seen by someone using B
    facing its front), within ``max_gap`` m."""

    sign, word = 1.0, "left"


class RightOf(_Side):
    """A is on B's right in B's own frame (B's local −X, as seen by someone using B
    facing its front), within ``max_gap`` m."""

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
        """The constraint in words.

        Example:
            >>> Beside("nightstand", "bed").describe()
            'the nightstand stands beside the bed'
        """
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
        """The constraint in words.

        Example:
            >>> AlignedWith("nightstand", "bed").describe()
            'the nightstand is aligned with the bed'
        """
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
        """The constraint in words.

        Example:
            >>> OnTopOf("lamp", "desk").describe()
            'the lamp stands on the desk'
        """
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
        """The constraint in words.

        Example:
            >>> Around("chair", "table").describe()
            'the chair is drawn up to the table'
        """
        return f"{self.a} is drawn up to {self.b}"


#: rule ``type`` in catalog.json → constructor(item, rule) of a soft constraint.
