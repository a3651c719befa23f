"""Catalog entries: one :class:`CatalogEntry` per furniture category, read once from
the shipped ``catalog.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import InputError

__all__ = ["ROOM_KINDS", "CatalogEntry", "categories", "entries", "entry", "rooms_for"]

_PATH = Path(__file__).with_name("catalog.json")
#: The room kinds that catalog entries name in ``rooms``.
ROOM_KINDS = ("bedroom", "living_room", "dining_room", "office", "kitchen")


@dataclass(frozen=True)
class CatalogEntry:
    """One furniture category.

    Attributes:
        name: category name (lower case, as used for ``SceneObject.label``).
        width, depth, height: ``(min, max)`` metres; width = local x, depth = local z.
        placement: ``"floor"``, ``"wall"`` (hung at ``mount`` height) or ``"on_top"``.
        front: whether the object faces its local +Z.
        shape: which part-built mesh builder draws it.
        access: side → clearance depth (m); sides are front/back/left/right.
        access_any: True when reaching any one access side is enough (a bed).
        flat: lies flat on the floor (a rug): others may stand on it.
        clutter: a small thing (books, a cup, a cushion, a picture) that the
            procedural worlds scatter on supports and walls after planning; the
            planner never picks it by itself.
        reached_from: a category it is used from (a nightstand from the bed): when
            one is present, the walkway need not reach this piece itself.
        mount: ``(min, max)`` height of the bottom edge for wall items.
        rooms: room kinds it belongs to.
        materials: material names the worlds pick from.
        scannet: ScanNet labels that name the same kind of object.
        rules: default design rules (dicts with ``type``, ``weight``, ``target``…).
        sources: where the typical dimensions come from.
    """

    name: str
    width: tuple[float, float]
    depth: tuple[float, float]
    height: tuple[float, float]
    placement: str = "floor"
    front: bool = True
    shape: str = "box"
    access: dict = field(default_factory=dict)
    access_any: bool = False
    flat: bool = False
    clutter: bool = False
    reached_from: str | None = None
    mount: tuple[float, float] | None = None
    rooms: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    scannet: tuple[str, ...] = ()
    rules: tuple[dict, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def median_size(self) -> np.ndarray:
        """(3,) float32 mid-range (width, height, depth) in metres."""
        return np.array(
            [sum(self.width) / 2, sum(self.height) / 2, sum(self.depth) / 2], np.float32
        )

    def sample_size(self, rng: np.random.Generator) -> np.ndarray:
        """(3,) float32 (width, height, depth) drawn uniformly within the ranges, 1 cm steps."""
        w, h, d = (rng.uniform(*r) for r in (self.width, self.height, self.depth))
        return np.round(np.array([w, h, d]), 2).astype(np.float32)

    @property
    def is_tall(self) -> bool:
        """Taller than a typical window sill (blocks a window when in front of it)."""
        return self.height[1] > 0.95


def _entry_from_json(name: str, d: dict) -> CatalogEntry:
    def rng(key):
        lo, hi = d[key]
        if not 0 < lo <= hi:
            raise ValueError(f"catalog: {name}.{key} must be 0 < min <= max, got {d[key]}")
        return (float(lo), float(hi))

    return CatalogEntry(
        name=name,
        width=rng("width"),
        depth=rng("depth"),
        height=rng("height"),
        placement=d.get("placement", "floor"),
        front=bool(d.get("front", True)),
        shape=d.get("shape", "box"),
        access=dict(d.get("access", {})),
        access_any=bool(d.get("access_any", False)),
        flat=bool(d.get("flat", False)),
        clutter=bool(d.get("clutter", False)),
        reached_from=d.get("reached_from"),
        mount=tuple(d["mount"]) if "mount" in d else None,
        rooms=tuple(d.get("rooms", ())),
        materials=tuple(d.get("materials", ())),
        scannet=tuple(d.get("scannet", ())),
        rules=tuple(d.get("rules", ())),
        sources=tuple(d.get("sources", ())),
    )


@lru_cache(maxsize=1)
def _load() -> dict[str, CatalogEntry]:
    data = json.loads(_PATH.read_text(encoding="utf-8"))
    return {k: _entry_from_json(k, v) for k, v in data["categories"].items()}


def entries() -> dict[str, CatalogEntry]:
    """Every category: name → :class:`CatalogEntry` (a new dict; the entries are frozen)."""
    return dict(_load())


def categories() -> list[str]:
    """All category names, sorted."""
    return sorted(_load())


def entry(name: str) -> CatalogEntry:
    """The catalog entry of a category (``"bed"``, ``"office chair"``; ``_`` = space)."""
    if isinstance(name, CatalogEntry):
        return name
    if not isinstance(name, str):
        raise InputError(f"category: expected a name like 'bed', got {name!r}")
    key = name.strip().lower().replace("_", " ")
    cat = _load()
    if key not in cat:
        close = [c for c in cat if key in c or c in key]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InputError(
            f"category: no {name!r} in the catalog{hint}; known: {', '.join(sorted(cat))}"
        )
    return cat[key]


def rooms_for(kind: str) -> list[str]:
    """Categories that belong in a room kind."""
    return [c for c, e in _load().items() if kind in e.rooms]
