"""A layout in progress: the items to place and where each one stands.

The functional core of the planner works on plain numbers: each placed item is
``(x, z, yaw, y)`` — footprint centre on the floor (m), rotation about +Y (radians,
front = local +Z turned by yaw) and the height of its bottom. Everything else
(boxes, footprints, access zones) is derived and cached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from ..catalog import CatalogEntry, entry
from ..errors import InputError
from ..scene import OrientedBox, Room

__all__ = ["Item", "Layout", "Placement", "make_items"]


@dataclass(frozen=True)
class Item:
    """A piece of furniture to place.

    Attributes:
        name: unique name in the request (``"chair 2"``).
        category: catalog category (``"chair"``).
        size: (3,) float64 (width, height, depth) in metres.
        entry: its :class:`CatalogEntry` (placement kind, access zones, rules).
    """

    name: str
    category: str
    size: tuple[float, float, float]
    entry: CatalogEntry = field(repr=False)

    @property
    def placement(self) -> str:
        """Where it stands, from its catalog entry: ``"floor"``, ``"wall"`` (hung) or
        ``"on_top"`` (on another piece)."""
        return self.entry.placement

    @property
    def blocks_floor(self) -> bool:
        """Stands on the floor and takes walking space (not flat, not hung, not on top)."""
        return self.entry.placement == "floor" and not self.entry.flat

    def describe(self) -> str:
        """``"the 2.00 m bed"`` — the longest floor dimension, for messages."""
        return f"the {max(self.size[0], self.size[2]):.2f} m {self.name}"


@dataclass(frozen=True)
class Placement:
    """Where one item stands: floor centre ``(x, z)``, ``yaw`` (rad), bottom height ``y``,
    and the item it rests on (``support``) for on-top items."""

    x: float
    z: float
    yaw: float
    y: float = 0.0
    support: str | None = None


def _one_item(spec) -> tuple[str, tuple[float, float, float], CatalogEntry]:
    if isinstance(spec, CatalogEntry):
        return spec.name, tuple(float(v) for v in spec.median_size), spec
    if isinstance(spec, str):
        e = entry(spec)
        return e.name, tuple(float(v) for v in e.median_size), e
    if isinstance(spec, tuple | list) and len(spec) == 2:
        cat, size = spec
        e = entry(cat)
        try:
            s = np.asarray(size, np.float64).reshape(-1)
        except (TypeError, ValueError):
            s = np.zeros(0)  # refused just below, with the value given
        if s.shape != (3,) or not np.all(np.isfinite(s)) or np.any(s <= 0):
            raise InputError(
                f"items: size of {cat!r} must be (width, height, depth) in metres, all > 0; "
                f"got {size!r}"
            )
        return e.name, (float(s[0]), float(s[1]), float(s[2])), e
    raise InputError(
        "items: each item must be a category name ('bed'), a (category, (w, h, d)) pair "
        f"or a CatalogEntry; got {spec!r}"
    )


def make_items(items) -> list[Item]:
    """Parse an items list into :class:`Item` s with unique names (``"chair 1"``, …)."""
    given = items
    if isinstance(items, np.ndarray):  # a 0-d array is iterable in name only
        items = items.tolist() if items.ndim == 1 else None
    if isinstance(items, str | bytes | dict) or not hasattr(items, "__iter__"):
        raise InputError(f"items: expected a list of furniture, got {given!r}")
    items = list(items)
    parsed = [_one_item(s) for s in items]
    if not parsed:
        raise InputError("items: the list is empty; name at least one piece of furniture")
    counts: dict[str, int] = {}
    for cat, _, _ in parsed:
        counts[cat] = counts.get(cat, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for cat, size, e in parsed:
        seen[cat] = seen.get(cat, 0) + 1
        name = cat if counts[cat] == 1 else f"{cat} {seen[cat]}"
        out.append(Item(name, cat, size, e))
    return out


def rect_corners(x: float, z: float, yaw: float, w: float, d: float) -> np.ndarray:
    """(4, 2) float64 corners (x, z) of a w × d rectangle centred at (x, z), turned by yaw.

    Order: back-left, back-right, front-right, front-left in local terms
    (local +X → (cos, −sin), local +Z → (sin, cos)).
    """
    c, s = math.cos(yaw), math.sin(yaw)
    lx = np.array([w / 2, -w / 2, -w / 2, w / 2])
    lz = np.array([-d / 2, -d / 2, d / 2, d / 2])
    return np.stack([x + lx * c + lz * s, z - lx * s + lz * c], axis=1)


def local_rect(p: Placement, x0: float, x1: float, z0: float, z1: float) -> shapely.Polygon:
    """A rectangle given in an item's local floor coordinates, in world (x, z)."""
    c, s = math.cos(p.yaw), math.sin(p.yaw)
    lx = np.array([x0, x1, x1, x0])
    lz = np.array([z0, z0, z1, z1])
    return shapely.Polygon(np.stack([p.x + lx * c + lz * s, p.z - lx * s + lz * c], axis=1))


def access_rects(item: Item, p: Placement) -> list[shapely.Polygon]:
    """The item's access zones (clear floor it needs on its sides), world (x, z)."""
    w, _, d = item.size
    out = []
    for side, depth in item.entry.access.items():
        a = float(depth)
        if side == "front":
            out.append(local_rect(p, -w / 2, w / 2, d / 2, d / 2 + a))
        elif side == "back":
            out.append(local_rect(p, -w / 2, w / 2, -d / 2 - a, -d / 2))
        elif side in ("left", "right"):
            # beside a bed the zone starts past the head, where nightstands stand
            z0 = -d / 2 + min(0.5, d / 3) if item.entry.access_any else -d / 2
            sgn = 1.0 if side == "left" else -1.0
            xa, xb = sgn * w / 2, sgn * (w / 2 + a)
            out.append(local_rect(p, min(xa, xb), max(xa, xb), z0, d / 2))
    return out


class Layout:
    """Items in a room and the placements found so far.

    Args:
        room: the :class:`Room`.
        items: the :class:`Item` s (unique names).
        placements: name → :class:`Placement` for the items already placed.
    """

    def __init__(self, room: Room, items: list[Item], placements: dict | None = None):
        self.room = room
        self.items = {it.name: it for it in items}
        self.placements: dict[str, Placement] = dict(placements or {})
        self._cache: dict[tuple, object] = {}

    # ---- editing ------------------------------------------------------------------
    def copy(self) -> Layout:
        """A new layout with the same room and items and a copy of the placements (the
        geometry cache is shared: its keys include the placement)."""
        out = Layout.__new__(Layout)
        out.room, out.items = self.room, self.items
        out.placements = dict(self.placements)
        out._cache = self._cache  # keyed by placement values, so safe to share
        return out

    def place(self, name: str, p: Placement) -> None:
        """Set (or replace) the placement of item ``name``."""
        self.placements[name] = p

    def remove(self, name: str) -> None:
        """Take item ``name`` out of the room (nothing happens if it is not placed)."""
        self.placements.pop(name, None)

    @property
    def placed(self) -> list[str]:
        """Names of the placed items, in the order they were placed."""
        return list(self.placements)

    def is_placed(self, name: str) -> bool:
        """Whether item ``name`` has a placement."""
        return name in self.placements

    # ---- derived geometry ---------------------------------------------------------
    def _cached(self, kind: str, name: str, fn):
        key = (kind, name, self.placements[name])
        v = self._cache.get(key)
        if v is None:
            v = fn()
            if len(self._cache) > 20000:
                self._cache.clear()
            self._cache[key] = v
        return v

    def box(self, name: str) -> OrientedBox:
        """The placed item's 3D :class:`OrientedBox` (its bottom at the placement's height)."""
        it, p = self.items[name], self.placements[name]
        return self._cached(
            "box",
            name,
            lambda: OrientedBox((p.x, p.y + it.size[1] / 2, p.z), it.size, p.yaw),
        )

    def footprint(self, name: str) -> shapely.Polygon:
        """The placed item's floor footprint: a rotated rectangle in (x, z), metres."""
        it, p = self.items[name], self.placements[name]
        return self._cached(
            "fp",
            name,
            lambda: shapely.Polygon(rect_corners(p.x, p.z, p.yaw, it.size[0], it.size[2])),
        )

    def access_zones(self, name: str) -> list[shapely.Polygon]:
        """The floor rectangles the placed item needs kept clear to be used (in front of a
        wardrobe, beside a bed), from its catalog entry."""
        it, p = self.items[name], self.placements[name]
        return self._cached("acc", name, lambda: access_rects(it, p))

    def yrange(self, name: str) -> tuple[float, float]:
        """``(bottom, top)`` height of the placed item in metres."""
        p = self.placements[name]
        return (p.y, p.y + self.items[name].size[1])

    def front(self, name: str) -> np.ndarray:
        """(2,) unit (x, z) direction the item faces."""
        yaw = self.placements[name].yaw
        return np.array([math.sin(yaw), math.cos(yaw)])

    def center(self, name: str) -> np.ndarray:
        """(2,) (x, z) floor position of the placed item's centre."""
        p = self.placements[name]
        return np.array([p.x, p.z])

    def to_local(self, name: str, xz) -> np.ndarray:
        """(N, 2) world floor points → the item's local (x, z)."""
        p = self.placements[name]
        q = np.atleast_2d(np.asarray(xz, np.float64)) - [p.x, p.z]
        c, s = math.cos(p.yaw), math.sin(p.yaw)
        return np.stack([q[:, 0] * c - q[:, 1] * s, q[:, 0] * s + q[:, 1] * c], axis=1)

    def __repr__(self) -> str:
        return f"Layout({len(self.placements)}/{len(self.items)} placed in {self.room!r})"
