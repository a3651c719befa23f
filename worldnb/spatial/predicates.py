"""Spatial relations between objects, as plain predicates.

Each predicate takes SceneObjects (or OrientedBoxes where no front is needed) and
keyword thresholds, and returns a bool. Directional predicates take a ``frame``
(:mod:`worldnb.spatial.frames`); without one they use :class:`RoomFrame` (a plan
read from the south: left = west, right = east, in front = south, behind = north).

Definitions (thresholds are keyword arguments):

- ``left_of / right_of``: A's centre is left/right of B's by more than ``margin``
  (metres; in the viewer frame, image-plane units ``x/z``).
- ``in_front_of / behind``: observer frames: A is closer to / farther from the observer
  than B by more than ``margin`` m; object frames: along / against B's front.
- ``above / below``: A's bottom is at or above B's top (within ``tol``) and their
  footprints overlap.
- ``on``: A rests on B: A's bottom within ``tol`` (3 cm) of B's top, footprints overlap.
- ``near``: closest-point distance ≤ ``threshold`` (1 m). ``next_to``: footprints
  within ``max_gap`` (0.5 m), heights overlapping, neither on the other.
- ``between(a, b, c)``: A's footprint meets the convex hull of B's and C's, and A's
  centre projects strictly between their centres.
- ``facing(a, b)``: A has a front and B is within ``max_angle`` (45°) of it, or A's
  front ray hits B's footprint.
- ``inside(a, b)``: at least ``fraction`` (0.9) of A's volume is in B.
- ``against_wall(a, room)``: A's footprint within ``tol`` (0.15 m) of a wall.
- ``in_corner(a, room)``: within ``tol`` (0.3 m) of two walls that meet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
import shapely

from ..errors import QueryError
from ..scene import OrientedBox, Room, SceneObject
from ._boxes import box_of, center_xz, vertical_gap, vertical_overlap
from .frames import Frame, ObjectFrame, RoomFrame, ViewerFrame
from .measures import distance, wall_clearance

__all__ = [
    "above",
    "against_wall",
    "behind",
    "below",
    "between",
    "facing",
    "facing_angle",
    "farthest",
    "front_ray_hits",
    "in_corner",
    "in_front_of",
    "inside",
    "left_of",
    "near",
    "nearest",
    "next_to",
    "on",
    "right_of",
    "walls_near",
]

_DEFAULT_MARGIN = 0.05
_VIEW_MARGIN = 0.02


def _frame(frame) -> Frame:
    if frame is None:
        return RoomFrame()
    if isinstance(frame, Frame):
        return frame
    if isinstance(frame, SceneObject):
        return ObjectFrame(frame)
    raise QueryError(
        f"frame: expected a Frame (ViewerFrame, RoomFrame, ObjectFrame, EgoFrame), "
        f"got {type(frame).__name__}"
    )


def frame_margin(frame: Frame, margin: float | None) -> float:
    """``margin`` if given, else the default for ``frame``: image-plane units (x/z) in a
    :class:`ViewerFrame`, metres in every other frame."""
    if margin is not None:
        return margin
    return _VIEW_MARGIN if isinstance(frame, ViewerFrame) else _DEFAULT_MARGIN


def left_of(a, b, frame=None, margin: float | None = None) -> bool:
    """A is left of B in ``frame``."""
    f = _frame(frame)
    return f.lateral(a) < f.lateral(b) - frame_margin(f, margin)


def right_of(a, b, frame=None, margin: float | None = None) -> bool:
    """A is right of B in ``frame``."""
    f = _frame(frame)
    return f.lateral(a) > f.lateral(b) + frame_margin(f, margin)


def in_front_of(a, b, frame=None, margin: float | None = None) -> bool:
    """A is in front of B: closer to the observer, or along B's front in an object frame."""
    f = _frame(frame)
    m = frame_margin(f, margin)
    if f.observer:
        return f.depth(a) < f.depth(b) - m
    return f.depth(a) > f.depth(b) + m


def behind(a, b, frame=None, margin: float | None = None) -> bool:
    """A is behind B: farther from the observer, or against B's front in an object frame."""
    f = _frame(frame)
    m = frame_margin(f, margin)
    if f.observer:
        return f.depth(a) > f.depth(b) + m
    return f.depth(a) < f.depth(b) - m


def _overlap_area(a: OrientedBox, b: OrientedBox) -> float:
    return float(a.footprint().intersection(b.footprint()).area)


def above(a, b, tol: float = 0.03) -> bool:
    """A is above B: A's bottom ≥ B's top − ``tol`` and their footprints overlap."""
    ba, bb = box_of(a, "a"), box_of(b, "b")
    return ba.bottom >= bb.top - tol and _overlap_area(ba, bb) > 1e-6


def below(a, b, tol: float = 0.03) -> bool:
    """A is below B (B is above A)."""
    return above(b, a, tol)


def on(a, b, tol: float = 0.03) -> bool:
    """A rests on B: A's bottom within ``tol`` of B's top and footprints overlap."""
    ba, bb = box_of(a, "a"), box_of(b, "b")
    return abs(ba.bottom - bb.top) <= tol and _overlap_area(ba, bb) > 1e-6


def near(a, b, threshold: float = 1.0) -> bool:
    """Closest points within ``threshold`` metres."""
    return distance(a, b) <= threshold


def next_to(a, b, max_gap: float = 0.5) -> bool:
    """Side by side: footprints within ``max_gap`` m, height ranges overlapping, and
    neither footprint mostly covering the other."""
    ba, bb = box_of(a, "a"), box_of(b, "b")
    fa, fb = ba.footprint(), bb.footprint()
    if vertical_overlap(ba, bb) <= 0 or vertical_gap(ba, bb) > 0:
        return False
    if float(fa.distance(fb)) > max_gap:
        return False
    inter = float(fa.intersection(fb).area)
    return inter < 0.5 * min(fa.area, fb.area)


def between(a, b, c) -> bool:
    """A is between B and C on the floor plan."""
    pa, pb, pc = center_xz(a), center_xz(b), center_xz(c)
    bc = pc - pb
    t = float((pa - pb) @ bc / max(float(bc @ bc), 1e-12))
    if not 0.0 < t < 1.0:
        return False
    hull = shapely.union_all([box_of(b, "b").footprint(), box_of(c, "c").footprint()]).convex_hull
    return bool(box_of(a, "a").footprint().intersects(hull))


def facing_angle(a, b) -> float:
    """Angle (degrees) between A's front and the direction from A to B."""
    if isinstance(a, SceneObject) and not a.front:
        raise QueryError(f"{a.name} has no front, so it cannot face anything")
    fa = box_of(a, "a").front.astype(np.float64)[[0, 2]]
    d = center_xz(b) - center_xz(a)
    n = float(np.linalg.norm(d))
    if n < 1e-9:
        return 0.0
    return math.degrees(math.acos(max(-1.0, min(1.0, float(fa @ d) / n))))


def facing(a, b, max_angle: float = 45.0, reach: float = 20.0) -> bool:
    """A faces B: A has a front and B lies within ``max_angle`` of it, or A's front ray
    (up to ``reach`` m) hits B's footprint. False when A has no front."""
    if isinstance(a, SceneObject) and not a.front:
        return False
    if facing_angle(a, b) <= max_angle:
        return True
    ba = box_of(a, "a")
    c = center_xz(a)
    f = ba.front.astype(np.float64)[[0, 2]]
    ray = shapely.LineString([c.tolist(), (c + reach * f).tolist()])
    return bool(ray.intersects(box_of(b, "b").footprint()))


def front_ray_hits(a, candidates, reach: float = 20.0) -> list:
    """Candidates whose footprint A's front ray (from A's centre, on the floor plan)
    meets, nearest first."""
    c = center_xz(a)
    f = box_of(a, "a").front.astype(np.float64)[[0, 2]]
    ray = shapely.LineString([c.tolist(), (c + reach * f).tolist()])
    start = shapely.Point(c.tolist())
    hits = []
    for o in candidates:
        inter = ray.intersection(box_of(o).footprint())
        if not inter.is_empty:
            hits.append((float(start.distance(inter)), o))
    return [o for _, o in sorted(hits, key=lambda t: t[0])]


def inside(a, b, fraction: float = 0.9) -> bool:
    """At least ``fraction`` of A's volume lies in B (a Room counts as a tall box)."""
    ba = box_of(a, "a")
    if isinstance(b, Room):
        inter = float(ba.footprint().intersection(b.polygon).area)
        vert = max(0.0, min(ba.top, b.height) - max(ba.bottom, 0.0))
    else:
        bb = box_of(b, "b")
        inter, vert = _overlap_area(ba, bb), vertical_overlap(ba, bb)
    return inter * vert >= fraction * ba.volume - 1e-9


def walls_near(a, room: Room, tol: float = 0.15) -> list[str]:
    """Ids of the walls whose segment lies within ``tol`` m of A's footprint."""
    if not isinstance(room, Room):
        raise QueryError(f"room: expected a Room, got {type(room).__name__}")
    fp = box_of(a, "a").footprint()
    return [
        w.id
        for w in room.walls
        if float(fp.distance(shapely.LineString([w.start.tolist(), w.end.tolist()]))) <= tol
    ]


def against_wall(a, room: Room, tol: float = 0.15) -> bool:
    """A's footprint is within ``tol`` m of some wall."""
    if not isinstance(room, Room):
        raise QueryError(f"room: expected a Room, got {type(room).__name__}")
    return wall_clearance(a, room)[0] <= tol


def in_corner(a, room: Room, tol: float = 0.3) -> bool:
    """A sits in a corner: within ``tol`` m of two walls that meet."""
    ids = walls_near(a, room, tol)
    n = len(room.walls)
    idx = sorted(int(i.split("_")[1]) for i in ids)
    return any((j - i) % n in (1, n - 1) for k, i in enumerate(idx) for j in idx[k + 1 :])


def nearest(target, candidates: Iterable, key: Callable[..., float] = distance):
    """The candidate closest to ``target`` (closest points; ``target`` itself skipped)."""
    cands = [c for c in candidates if c is not target]
    if not cands:
        raise QueryError("nearest: no candidates to choose from")
    return min(cands, key=lambda c: key(target, c))


def farthest(target, candidates: Iterable, key: Callable[..., float] = distance):
    """The candidate farthest from ``target`` (closest points; ``target`` itself skipped)."""
    cands = [c for c in candidates if c is not target]
    if not cands:
        raise QueryError("farthest: no candidates to choose from")
    return max(cands, key=lambda c: key(target, c))
