"""Rooms: a floor polygon, a ceiling height, walls and their openings.

The floor polygon lies in the (x, z) plane at y = 0 and runs counter-clockwise seen
from above (looking down −Y): +X turns towards −Z. In plain (x, z) coordinates that
is a *negative* shoelace area. Compass: north = −Z, east = +X, south = +Z, west = −X.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import ArrayLike

from ..errors import InputError
from .validate import as_array, as_positive

__all__ = ["Opening", "Room", "Wall"]

#: Floor coordinates and ceiling heights stay within this many metres: float32 (the
#: arrays at rest) keeps about a millimetre there, and geometry never overflows.
MAX_EXTENT = 1e5

_OPENING_FIELDS = ("kind", "wall", "offset", "width", "height", "sill")

_COMPASS = {"north": (0.0, -1.0), "east": (1.0, 0.0), "south": (0.0, 1.0), "west": (-1.0, 0.0)}


@dataclass(frozen=True, eq=False)
class Wall:
    """One straight wall: from ``start`` to ``end`` (x, z), with the room on its left
    seen from above, and ``normal`` the unit (x, z) vector pointing into the room."""

    id: str
    start: np.ndarray
    end: np.ndarray
    normal: np.ndarray

    @property
    def length(self) -> float:
        """Wall length in metres."""
        return float(np.linalg.norm(self.end - self.start))

    @property
    def direction(self) -> np.ndarray:
        """Unit (x, z) vector from start to end."""
        return ((self.end - self.start) / max(self.length, 1e-12)).astype(np.float32)

    @property
    def midpoint(self) -> np.ndarray:
        """(2,) float32 (x, z) middle of the wall."""
        return ((self.start + self.end) / 2).astype(np.float32)

    @property
    def compass(self) -> str:
        """Which side of the room the wall is on (north/east/south/west), from the
        direction its outward normal points most."""
        out = -self.normal
        return max(_COMPASS, key=lambda k: float(np.dot(out, _COMPASS[k])))

    def point_at(self, offset: float) -> np.ndarray:
        """(x, z) point ``offset`` metres along the wall from its start."""
        return (self.start + self.direction * offset).astype(np.float32)

    def distance_to(self, xz: ArrayLike) -> np.ndarray:
        """(N,) distance from (N, 2) floor points to this wall segment."""
        try:
            p = np.atleast_2d(np.asarray(xz, np.float64))
        except (TypeError, ValueError):
            raise InputError(f"xz: expected (N, 2) floor points, got {xz!r}") from None
        p = as_array("xz", p, (None, 2), np.float64)
        a, b = self.start.astype(np.float64), self.end.astype(np.float64)
        t = np.clip(((p - a) @ (b - a)) / max(float((b - a) @ (b - a)), 1e-12), 0, 1)
        return np.linalg.norm(p - (a + t[:, None] * (b - a)), axis=1)


@dataclass(frozen=True)
class Opening:
    """A door or window in a wall.

    Args:
        kind: ``"door"`` or ``"window"``.
        wall: id of the wall it is in (e.g. ``"wall_0"``) or the wall's index.
        offset: distance along the wall from its start to the opening's centre (m).
        width: opening width (m).
        height: opening height (m).
        sill: height of the bottom edge above the floor (m); 0 for doors.
    """

    kind: str
    wall: str
    offset: float
    width: float
    height: float = field(default=2.0)
    sill: float = 0.0

    def __post_init__(self):
        if self.kind not in ("door", "window"):
            raise InputError(f"Opening.kind: expected 'door' or 'window', got {self.kind!r}")
        wall = self.wall
        if isinstance(wall, int | np.integer) and not isinstance(wall, bool):
            object.__setattr__(self, "wall", f"wall_{int(wall)}")
        elif not isinstance(wall, str):
            raise InputError(f"Opening.wall: expected a wall id like 'wall_0', got {wall!r}")
        for name in ("width", "height"):
            object.__setattr__(self, name, as_positive(f"Opening.{name}", getattr(self, name)))
        for name in ("offset", "sill"):
            object.__setattr__(
                self, name, as_positive(f"Opening.{name}", getattr(self, name), allow_zero=True)
            )

    def to_dict(self) -> dict:
        """Plain-JSON record of the opening (its constructor's arguments)."""
        return {
            "kind": self.kind,
            "wall": self.wall,
            "offset": self.offset,
            "width": self.width,
            "height": self.height,
            "sill": self.sill,
        }


class Room:
    """A room with a polygonal floor, flat ceiling, straight walls and openings.

    Args:
        floor_xz: (K, 2) floor polygon vertices (x, z) in metres, K >= 3, simple.
            Given clockwise, it is reversed so it runs counter-clockwise seen from above.
        height: ceiling height (m).
        openings: doors and windows (:class:`Opening`); each must fit in its wall.

    Example:
        >>> room = Room.rectangle(4, 3, openings=[Opening("door", "wall_0", 1.0, 0.9)])
        >>> room.area
        12.0
    """

    def __init__(
        self, floor_xz: ArrayLike, height: float = 2.7, openings: Iterable[Opening | dict] = ()
    ):
        xz = as_array("floor_xz", floor_xz, (None, 2), np.float64)
        if xz.size and np.abs(xz).max() > MAX_EXTENT:
            raise InputError(
                f"floor_xz: coordinates must lie within ±{MAX_EXTENT:g} m of the origin, got "
                f"{np.abs(xz).max():.3g}; floors are in metres: rescale or move the room"
            )
        # a repeated vertex (a closed ring's last = first, or a doubled corner) would make
        # a zero-length wall with no direction: keep each vertex once
        xz = xz[~np.all(np.isclose(xz, np.roll(xz, -1, axis=0)), axis=1)] if len(xz) > 1 else xz
        if len(xz) < 3:
            raise InputError(f"floor_xz: a floor needs at least 3 vertices, got {len(xz)}")
        poly = shapely.Polygon(xz)
        if not poly.is_valid or poly.area <= 1e-9:
            raise InputError(
                "floor_xz: the floor polygon must be simple (no self-intersections) and have "
                f"positive area ({shapely.is_valid_reason(poly)})"
            )
        x, z = xz[:, 0], xz[:, 1]
        signed = 0.5 * float(np.sum(x * np.roll(z, -1) - np.roll(x, -1) * z))
        if signed > 0:  # clockwise seen from above → reverse
            xz = xz[::-1].copy()
        self.floor_xz = xz.astype(np.float32)
        self.height = as_positive("height", height)
        if self.height > MAX_EXTENT:
            raise InputError(f"height: expected at most {MAX_EXTENT:g} m, got {height!r}")
        self.polygon = shapely.Polygon(self.floor_xz.astype(np.float64))
        self.walls = tuple(self._make_walls())
        if openings is None:
            openings = ()
        if isinstance(openings, str | dict | Opening) or not hasattr(openings, "__iter__"):
            raise InputError(
                f"openings: expected a list of Opening objects, got {type(openings).__name__}"
            )
        self.openings = tuple(self._check_opening(o) for o in openings)

    @classmethod
    def rectangle(cls, width: float, depth: float, height: float = 2.7, openings=()) -> Room:
        """A ``width`` (x) × ``depth`` (z) room centred on the origin.

        Walls: ``wall_0`` south (z = +depth/2, runs −x → +x), ``wall_1`` east,
        ``wall_2`` north, ``wall_3`` west.
        """
        w, d = as_positive("width", width) / 2, as_positive("depth", depth) / 2
        return cls([(-w, d), (w, d), (w, -d), (-w, -d)], height, openings)

    def _make_walls(self):
        xz = self.floor_xz.astype(np.float64)
        for i in range(len(xz)):
            a, b = xz[i], xz[(i + 1) % len(xz)]
            d = (b - a) / np.linalg.norm(b - a)
            yield Wall(
                f"wall_{i}",
                a.astype(np.float32),
                b.astype(np.float32),
                np.array([d[1], -d[0]], np.float32),
            )

    def _check_opening(self, o) -> Opening:
        if isinstance(o, dict):
            unknown = sorted(str(k) for k in o if k not in _OPENING_FIELDS)
            missing = [k for k in _OPENING_FIELDS[:4] if k not in o]
            if unknown or missing:
                what = f"unknown field(s) {unknown}" if unknown else f"missing {missing}"
                raise InputError(
                    f"openings: {what} in {o!r}; an opening has "
                    f"{', '.join(_OPENING_FIELDS)} (the first four required)"
                )
            o = Opening(**o)
        if not isinstance(o, Opening):
            raise InputError(f"openings: expected Opening objects, got {type(o).__name__}")
        wall = self.wall(o.wall)
        if o.offset - o.width / 2 < -1e-6 or o.offset + o.width / 2 > wall.length + 1e-6:
            raise InputError(
                f"{o.kind} on {o.wall}: centre at {o.offset:.2f} m with width {o.width:.2f} m "
                f"does not fit in the {wall.length:.2f} m wall"
            )
        if o.sill + o.height > self.height + 1e-6:
            raise InputError(
                f"{o.kind} on {o.wall}: sill {o.sill:.2f} m + height {o.height:.2f} m is above "
                f"the {self.height:.2f} m ceiling"
            )
        return o

    # ---- queries ------------------------------------------------------------------
    def wall(self, wall_id: str | int) -> Wall:
        """The wall with this id (``"wall_2"``), index (2) or compass name (``"north"``)."""
        if isinstance(wall_id, int | np.integer):
            wall_id = f"wall_{int(wall_id)}"
        for w in self.walls:
            if w.id == wall_id:
                return w
        if wall_id in _COMPASS:
            dirs = np.array(_COMPASS[wall_id])
            return max(self.walls, key=lambda w: (float(np.dot(-w.normal, dirs)), w.length))
        ids = ", ".join(w.id for w in self.walls)
        raise InputError(f"no wall {wall_id!r} in this room; walls are {ids} (or a compass name)")

    @property
    def area(self) -> float:
        """Floor area in m²."""
        return float(self.polygon.area)

    @property
    def bounds(self) -> np.ndarray:
        """(2, 3) float32 min / max corner of the room volume."""
        lo, hi = self.floor_xz.min(0), self.floor_xz.max(0)
        return np.array([[lo[0], 0, lo[1]], [hi[0], self.height, hi[1]]], np.float32)

    @property
    def is_rectangular(self) -> bool:
        """Whether the floor is a rectangle (four corners filling their bounding rectangle)."""
        return len(self.floor_xz) == 4 and math.isclose(
            self.polygon.area, self.polygon.minimum_rotated_rectangle.area, rel_tol=1e-6
        )

    def opening_endpoints(self, opening: Opening) -> tuple[np.ndarray, np.ndarray]:
        """The (x, z) points where an opening starts and ends along its wall."""
        w = self.wall(opening.wall)
        return (
            w.point_at(opening.offset - opening.width / 2),
            w.point_at(opening.offset + opening.width / 2),
        )

    def opening_center(self, opening: Opening) -> np.ndarray:
        """(3,) world centre of the opening (on the wall plane)."""
        w = self.wall(opening.wall)
        x, z = w.point_at(opening.offset)
        return np.array([x, opening.sill + opening.height / 2, z], np.float32)

    @property
    def doors(self) -> tuple[Opening, ...]:
        """The openings that are doors."""
        return tuple(o for o in self.openings if o.kind == "door")

    @property
    def windows(self) -> tuple[Opening, ...]:
        """The openings that are windows."""
        return tuple(o for o in self.openings if o.kind == "window")

    def contains_xz(self, xz: ArrayLike) -> np.ndarray:
        """(N,) bool: which (x, z) floor points lie inside (or on) the floor polygon."""
        xz = as_array("xz", xz, (None, 2), np.float64)
        return shapely.covers(self.polygon, shapely.points(xz))

    def with_openings(self, openings: Iterable[Opening | dict]) -> Room:
        """The same floor and height with other openings."""
        return Room(self.floor_xz, self.height, openings)

    def to_dict(self) -> dict:
        """Plain-JSON record: ``floor_xz``, ``height``, ``openings``."""
        return {
            "floor_xz": self.floor_xz.tolist(),
            "height": self.height,
            "openings": [o.to_dict() for o in self.openings],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Room:
        """The room :meth:`to_dict` describes (InputError if a field is missing or bad)."""
        try:
            return cls(d["floor_xz"], d.get("height", 2.7), d["openings"])
        except (KeyError, TypeError) as exc:
            raise InputError(f"room dict is missing or has a bad field: {exc}") from None

    def __eq__(self, other) -> bool:
        if not isinstance(other, Room):
            return NotImplemented
        return (
            self.floor_xz.shape == other.floor_xz.shape
            and np.allclose(self.floor_xz, other.floor_xz, atol=1e-6)
            and math.isclose(self.height, other.height)
            and self.openings == other.openings
        )

    __hash__ = None

    def __repr__(self) -> str:
        lo, hi = self.bounds
        return (
            f"Room({hi[0] - lo[0]:.2f} × {hi[2] - lo[2]:.2f} m, {self.area:.1f} m², "
            f"height {self.height:.2f} m, {len(self.doors)} door(s), "
            f"{len(self.windows)} window(s))"
        )
