"""What is wrong with an existing layout, with numbers.

Works on any :class:`Scene`: planned rooms, hand-built ones and real scans. Labels
are matched to catalog categories (also by their ScanNet names) for access zones;
unknown labels count as floor obstacles when they stand on the floor. Without a room,
the floor is estimated as the smallest rectangle around all objects (and issues say
so). Door and window *objects* (as in ScanNet) count as openings.

Example:
    >>> from worldnb.scene import Opening, OrientedBox, Room, Scene
    >>> room = Room.rectangle(3, 3, openings=[Opening("door", "wall_0", 1.5, 0.9)])
    >>> scene = Scene(room=room)
    >>> box = OrientedBox((0, 1, 1.2), (1.2, 2, 0.6), yaw=3.1416)  # back to the south wall
    >>> _ = scene.add_object("wardrobe", box, front=True)
    >>> [i.kind for i in critique(scene)]
    ['blocked_door']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely

from ..catalog import CatalogEntry, entries
from ..errors import InputError
from ..scene import Room, Scene
from . import constraints
from ._geometry import opening_zone
from .state import Item, Layout, Placement

__all__ = ["SCAN_TOLERANCE", "Issue", "critique", "layout_from_scene"]

#: default ``tolerance`` (m of penetration) of :func:`critique` in scan mode
SCAN_TOLERANCE = 0.05
_TOUCH = 1e-4  # m: touching (up to float32 and rounded angles) is not penetrating

_OPENING_LABELS = {"door": "door", "doorframe": "door", "window": "window"}
_SEATS = ("chair", "stool", "office chair", "sofa", "armchair", "bench")
_TABLES = ("table", "desk", "counter", "dining table", "coffee table", "side table")


@dataclass
class Issue:
    """One problem found by :func:`critique`.

    Attributes:
        kind: ``blocked_door``, ``blocked_window``, ``narrow_walkway``, ``outside_room``,
            ``collision`` or ``facing_wall``.
        message: one plain sentence with the numbers.
        objects: ids of the objects involved.
        value: the measured number (see ``unit``): for a collision the penetration
            depth (m), with the shared floor area and volume in ``extra``.
        unit: unit of ``value``.
        limit: the threshold it was compared against (the tolerance for collisions,
            pieces outside the room and blocked windows).
        extra: further numbers (``area_m2``, ``volume_m3`` for collisions).
    """

    kind: str
    message: str
    objects: tuple[int, ...] = ()
    value: float = 0.0
    unit: str = "m"
    limit: float | None = None
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def _category(label: str) -> CatalogEntry | None:
    cat = entries()
    key = label.strip().lower().replace("_", " ")
    if key in cat:
        return cat[key]
    for e in cat.values():
        if key in e.scannet:
            return e
    return None


def _generic(label: str) -> CatalogEntry:
    return CatalogEntry(label, (0.1, 10), (0.1, 10), (0.1, 10), front=False, shape="box")


def layout_from_scene(scene: Scene, room: Room | None = None) -> tuple[Layout, dict[str, int]]:
    """(Layout of the scene's objects as placed items, item name → object id).

    Door and window objects are left out (they are openings, not furniture). Objects
    hanging above 0.3 m count as wall or top items, not floor obstacles.
    """
    room = room or scene.room
    items, placements, ids = [], {}, {}
    for o in scene.objects:
        if o.label in _OPENING_LABELS:
            continue
        e = _category(o.label) or _generic(o.label)
        bottom = o.box.bottom
        placement = e.placement
        if placement == "floor" and bottom > 0.3:
            placement = "on_top"
        if placement != e.placement:
            e = CatalogEntry(**{**e.__dict__, "placement": placement})
        if not o.front and e.front:
            e = CatalogEntry(**{**e.__dict__, "front": False, "access": {}})
        name = f"{o.label} {o.id}"
        size = tuple(float(v) for v in o.box.size)
        items.append(Item(name, e.name, size, e))
        placements[name] = Placement(
            float(o.box.center[0]), float(o.box.center[2]), o.box.yaw, bottom
        )
        ids[name] = o.id
    return Layout(room, items, placements), ids


def _estimated_room(scene: Scene) -> Room:
    fps = [o.box.footprint() for o in scene.objects]
    if not fps:
        raise InputError("critique: the scene has neither a room nor objects")
    rect = shapely.union_all(fps).buffer(0.05).minimum_rotated_rectangle
    xz = np.asarray(rect.exterior.coords)[:-1]
    top = max(o.box.top for o in scene.objects)
    return Room(xz, height=max(top + 0.05, 2.0))


def _door_zones(scene: Scene, room: Room, depth: float) -> list[tuple[str, shapely.Polygon, tuple]]:
    """(label, zone, object ids) for the room's doors and for door objects."""
    out = [
        (
            f"door on the {room.wall(o.wall).compass} wall",
            opening_zone(room, o, max(depth, o.width)),
            (),
        )
        for o in room.doors
    ]
    centre = np.asarray(room.polygon.centroid.coords[0])
    for o in scene.objects:
        if _OPENING_LABELS.get(o.label) != "door":
            continue
        b = o.box
        w, d = (b.size[0], b.size[2])
        axis = b.rotation[:, 0][[0, 2]] if w >= d else b.rotation[:, 2][[0, 2]]
        normal = np.array([-axis[1], axis[0]])
        c = np.asarray(b.center[[0, 2]], np.float64)
        if normal @ (centre - c) < 0:
            normal = -normal
        half = axis * max(w, d) / 2
        thick = min(w, d) / 2
        a0, a1 = c - half + normal * thick, c + half + normal * thick
        zone = shapely.Polygon([a0, a1, a1 + normal * depth, a0 + normal * depth])
        out.append((o.name, zone, (o.id,)))
    return out


def critique(
    scene: Scene,
    walkway: float = 0.9,
    door_depth: float = 1.0,
    wall_gap: float = 0.3,
    tolerance: float | None = None,
    scan: bool | None = None,
) -> list[Issue]:
    """List what is wrong with a scene's layout, each with its numbers.

    ``tolerance`` is the one knob for messy boxes, in metres of penetration: two pieces
    collide when one reaches more than ``tolerance`` m into the other (the smallest
    move that separates them, sideways or up), a piece is outside the room when a
    corner lies more than ``tolerance`` m beyond the walls, and a door's or window's
    clear zone is blocked when a piece reaches more than ``tolerance`` m into it.
    Touching (to within 0.1 mm) is not penetrating.

    Args:
        scene: any scene with objects (a room is used when present).
        walkway: the walkway width people need (m).
        door_depth: depth of the clear zone in front of doors (m).
        wall_gap: a piece whose front is closer than this to a wall it faces
            "faces the wall".
        tolerance: penetration (m) that is still ignored. Default: 0 for exact
            layouts (planned, hand-built), :data:`SCAN_TOLERANCE` (0.05 m) in scan mode.
        scan: scan mode, for boxes fitted to real scans (ScanNet) or understood from
            images, which bleed a few centimetres into their neighbours. Default: on
            when the scene has no room (it is estimated from the objects) or its
            ``meta["source"]`` names ScanNet or VSI-Bench. Issues found with a non-zero tolerance
            say so in their message.

    Returns:
        :class:`Issue` s, most serious first (blocked doors, collisions, outside the
        room, narrow walkways, blocked windows, facing a wall).
    """
    if not isinstance(scene, Scene):
        raise InputError(f"scene: expected a worldnb Scene, got {type(scene).__name__}")
    estimated = scene.room is None
    if scan is None:
        source = str(scene.meta.get("source", "")).lower()
        scan = estimated or "scannet" in source or "vsi-bench" in source
    if tolerance is None:
        tolerance = SCAN_TOLERANCE if scan else 0.0
    tolerance = float(tolerance)
    if not math.isfinite(tolerance) or tolerance < 0:
        raise InputError(f"tolerance: expected a finite number of metres >= 0, got {tolerance!r}")
    note = ""
    if tolerance > 0:
        mode = "scan mode, " if scan else ""
        note = f" [{mode}tolerance {tolerance:g} m]"
    room = _estimated_room(scene) if estimated else scene.room
    lay, ids = layout_from_scene(scene, room)
    issues: list[Issue] = []
    floor_items = [n for n in lay.placed if lay.items[n].blocks_floor]

    # blocked doors
    doors = _door_zones(scene, room, door_depth)
    for label, zone, dids in doors:
        for n in floor_items:
            fp = lay.footprint(n)
            if _penetration(fp, zone) <= tolerance + _TOUCH:
                continue
            area = fp.intersection(zone).area
            depth = _depth_clear(zone, fp)
            issues.append(
                Issue(
                    "blocked_door",
                    f"the {n} stands {depth:.2f} m in front of the {label}, inside its "
                    f"{door_depth:.1f} m clear zone ({area:.2f} m² blocked){note}",
                    (ids[n], *dids),
                    depth,
                    "m clear",
                    door_depth,
                )
            )

    # collisions
    names = lay.placed
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            depth, area, vol = _overlap(lay, a, b)
            if depth <= tolerance + _TOUCH or _tolerated(lay, a, b):
                continue
            issues.append(
                Issue(
                    "collision",
                    f"the {a} and the {b} overlap {depth:.2f} m deep: {area:.2f} m² of "
                    f"floor, {vol * 1000:.0f} litres{note}",
                    (ids[a], ids[b]),
                    depth,
                    "m deep",
                    tolerance,
                    {"area_m2": area, "volume_m3": vol},
                )
            )

    # outside the room
    if not estimated:
        floor = room.polygon
        for n in names:
            fp = lay.footprint(n)
            out_d = max(
                (
                    floor.exterior.distance(shapely.Point(p))
                    for p in np.asarray(fp.exterior.coords)
                    if not floor.covers(shapely.Point(p))
                ),
                default=0.0,
            )
            if out_d > tolerance + _TOUCH:
                issues.append(
                    Issue(
                        "outside_room",
                        f"the {n} reaches {out_d:.2f} m outside the walls{note}",
                        (ids[n],),
                        out_d,
                        "m",
                        tolerance,
                    )
                )

    # narrow walkways
    if doors:
        res = constraints.walkway_analysis(
            lay, walkway, measure=True, doors=[(label, z) for label, z, _ in doors]
        )
        for n, w in sorted(res["widths"].items(), key=lambda kv: kv[1]):
            if w + 1e-6 < walkway:
                issues.append(
                    Issue(
                        "narrow_walkway",
                        f"the widest path from a door to the {n} is only {w:.2f} m "
                        f"(needs {walkway:.2f} m)"
                        + (" — room estimated from the objects" if estimated else ""),
                        (ids[n],),
                        w,
                        "m wide",
                        walkway,
                    )
                )

    # blocked windows
    wins = [
        (f"window on the {room.wall(o.wall).compass} wall", opening_zone(room, o), o.sill, ())
        for o in room.windows
    ]
    for o in scene.objects:
        if _OPENING_LABELS.get(o.label) == "window":
            wins.append((o.name, o.box.footprint().buffer(0.3), o.box.bottom, (o.id,)))
    for label, zone, sill, wid in wins:
        for n in floor_items:
            over = lay.yrange(n)[1] - sill
            if over <= tolerance + _TOUCH:
                continue
            if _penetration(lay.footprint(n), zone) > tolerance + _TOUCH:
                issues.append(
                    Issue(
                        "blocked_window",
                        f"the {n} stands in front of the {label} and rises {over:.2f} m "
                        f"above its sill{note}",
                        (ids[n], *wid),
                        over,
                        "m",
                        tolerance,
                    )
                )

    # facing a wall
    for n in names:
        it = lay.items[n]
        if not it.entry.front or it.placement != "floor":
            continue
        gap, wid = constraints.wall_gap(lay, n, "front")
        if gap < wall_gap:
            issues.append(
                Issue(
                    "facing_wall",
                    f"the {n} faces the {room.wall(wid).compass} wall only {gap:.2f} m away",
                    (ids[n],),
                    gap,
                    "m",
                    wall_gap,
                )
            )
    return issues


def _depth_clear(zone: shapely.Polygon, fp: shapely.Polygon) -> float:
    """Distance from the door line (the zone's first edge) to the object."""
    xy = np.asarray(zone.exterior.coords)
    door_line = shapely.LineString(xy[:2])
    return float(door_line.distance(fp))


def _penetration(a: shapely.Polygon, b: shapely.Polygon) -> float:
    """How far (m) one convex polygon reaches into another: the shortest move that
    separates them (separating-axis test over both polygons' edge normals); 0 when
    they are apart or only touch."""
    pa = np.asarray(a.exterior.coords, np.float64)[:-1]
    pb = np.asarray(b.exterior.coords, np.float64)[:-1]
    best = math.inf
    for p in (pa, pb):
        edges = np.roll(p, -1, axis=0) - p
        length = np.hypot(edges[:, 0], edges[:, 1])
        for (ex, ez), n in zip(edges, length, strict=True):
            if n < 1e-12:
                continue
            axis = np.array([-ez, ex]) / n
            qa, qb = pa @ axis, pb @ axis
            overlap = min(qa.max(), qb.max()) - max(qa.min(), qb.min())
            if overlap <= 0:
                return 0.0
            best = min(best, overlap)
    return 0.0 if best == math.inf else float(best)


def _overlap(lay: Layout, a: str, b: str) -> tuple[float, float, float]:
    """(penetration depth m, shared floor area m², shared volume m³) of two pieces."""
    ya, yb = lay.yrange(a), lay.yrange(b)
    dy = min(ya[1], yb[1]) - max(ya[0], yb[0])
    if dy <= 0:
        return 0.0, 0.0, 0.0
    fa, fb = lay.footprint(a), lay.footprint(b)
    depth = min(_penetration(fa, fb), dy)
    if depth <= 0:
        return 0.0, 0.0, 0.0
    area = fa.intersection(fb).area
    return depth, area, area * dy


def _tolerated(lay: Layout, a: str, b: str) -> bool:
    """Overlaps that real rooms have on purpose: a chair tucked under a table, a rug
    under furniture, a small thing resting on or in a larger one."""
    ia, ib = lay.items[a], lay.items[b]
    if ia.entry.flat or ib.entry.flat:
        return True
    ca, cb = ia.category, ib.category
    if (ca in _SEATS and cb in _TABLES) or (cb in _SEATS and ca in _TABLES):
        return True
    va, vb = math.prod(ia.size), math.prod(ib.size)
    small, big = (a, b) if va < vb else (b, a)
    return lay.yrange(small)[0] >= lay.yrange(big)[0] + 0.1
