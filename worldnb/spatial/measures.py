"""Measures with VSI-Bench's definitions: distances, sizes, counts, areas, clearances.

Every box here turns only about +Y, so a box is a vertical prism: the distance between
two of them is exact, ``sqrt(d_floor² + d_height²)`` where ``d_floor`` is the distance
between their footprints and ``d_height`` the gap between their height ranges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely

from ..errors import QueryError
from ..scene import Room, Scene
from ._boxes import box_of, vertical_gap

__all__ = [
    "Size",
    "clearance",
    "count",
    "distance",
    "floor_area",
    "free_floor_area",
    "size",
    "wall_clearance",
]

#: Objects whose bottom is this close to the floor stand on it and take floor space.
FLOOR_CONTACT_M = 0.3


def distance(a, b) -> float:
    """Distance between the closest points of two objects (or boxes), metres.

    0 when they touch or overlap. VSI-Bench's "absolute distance".

    Example:
        >>> from worldnb.scene import OrientedBox
        >>> distance(OrientedBox((0, 0.5, 0), (1, 1, 1)), OrientedBox((3, 0.5, 0), (1, 1, 1)))
        2.0
    """
    ba, bb = box_of(a, "a"), box_of(b, "b")
    d_floor = float(ba.footprint().distance(bb.footprint()))
    return math.hypot(d_floor, vertical_gap(ba, bb))


def clearance(a, b) -> float:
    """Horizontal gap between two objects' footprints (m): the room to pass between them.

    Heights are ignored (a lamp over a table still blocks the floor beside it).
    """
    return float(box_of(a, "a").footprint().distance(box_of(b, "b").footprint()))


def wall_clearance(obj, room) -> tuple[float, str]:
    """(gap in m, wall id) from an object's footprint to the nearest wall of ``room``."""
    if not isinstance(room, Room):
        raise QueryError(f"room: expected a Room, got {type(room).__name__}")
    fp = box_of(obj).footprint()
    best = (math.inf, "")
    for w in room.walls:
        d = float(fp.distance(shapely.LineString([w.start.tolist(), w.end.tolist()])))
        if d < best[0]:
            best = (d, w.id)
    return best


@dataclass(frozen=True)
class Size:
    """An object's extents in metres: ``width`` (local x), ``height`` (y), ``depth`` (z),
    and ``longest`` (VSI-Bench's object size, reported in cm by questions)."""

    width: float
    height: float
    depth: float

    @property
    def longest(self) -> float:
        """The largest of width, height and depth (m)."""
        return max(self.width, self.height, self.depth)

    @property
    def footprint_length(self) -> float:
        """The longer of the two horizontal extents ("how long is the bed")."""
        return max(self.width, self.depth)


def size(obj) -> Size:
    """The object's :class:`Size` (metres)."""
    w, h, d = (float(v) for v in box_of(obj).size)
    return Size(w, h, d)


def count(scene: Scene, label: str | None = None) -> int:
    """How many objects carry ``label`` (all objects when None)."""
    if label is None:
        return len(scene.objects)
    if not isinstance(label, str):
        raise QueryError(f"label: expected a string like 'chair' or None, got {label!r}")
    label = label.strip().lower()
    return sum(1 for o in scene.objects if o.label == label)


def floor_area(scene: Scene) -> float:
    """Floor area in m² (VSI-Bench's "room size").

    From the room polygon; a scene without one may carry ``meta["floor_area"]`` (the
    ScanNet loader stores the published floor area there). Raises QueryError if neither.
    """
    if scene.room is not None:
        return scene.room.area
    if "floor_area" in scene.meta:
        try:
            area = float(scene.meta["floor_area"])
        except (TypeError, ValueError):
            area = math.nan
        if not (math.isfinite(area) and area >= 0):
            raise QueryError(
                f"scene.meta['floor_area'] must be a number of m², got {scene.meta['floor_area']!r}"
            )
        return area
    raise QueryError("this scene has no room outline and no stored floor area")


def free_floor_area(scene: Scene, floor_contact: float = FLOOR_CONTACT_M) -> float:
    """Floor area (m²) not covered by the footprints of objects standing on the floor
    (bottom within ``floor_contact`` m of it). Needs a room outline."""
    if scene.room is None:
        raise QueryError("free floor area needs a room outline (scene.room is None)")
    fps = [o.box.footprint() for o in scene.objects if o.box.bottom <= floor_contact]
    covered = shapely.union_all(fps) if fps else shapely.Polygon()
    return float(scene.room.polygon.difference(covered).area)
