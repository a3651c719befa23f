"""Clutter: the small things that make a room lived in, scattered after planning.

Books, cups and small potted plants stand on the tops of tables, desks, nightstands,
dressers, sideboards, counters and shelves; cushions lean against the backs of sofas,
armchairs and beds; pictures hang on free stretches of wall; a room without a
rug may get one under its table, sofa group or bed. Every piece is a labelled
:class:`~worldnb.SceneObject` (a small potted plant is labelled ``"plant"`` like a large
one; ``attrs``: ``category``, ``material``, ``on`` = the
support's name or the wall id, ``clutter=True``) whose box rests exactly on its
support (or against its wall) and overlaps nothing but what it rests on.

Example:
    >>> from worldnb import worlds
    >>> scene = worlds.sample_room("living_room", seed=0, textures=False)
    >>> items = [o for o in scene.objects if o.attrs.get("clutter")]
    >>> len(items) > 0 and all("on" in o.attrs for o in items)
    True
"""

from __future__ import annotations

import numpy as np
import shapely

from ..catalog import entry
from ..errors import InputError
from ..scene import OrientedBox, Scene

__all__ = ["CLUTTER_ON", "add_clutter"]

#: support category → the clutter that may stand on its top
CLUTTER_ON = {
    "desk": ["book", "cup", "potted plant"],
    "dining table": ["cup", "potted plant", "cup"],
    "coffee table": ["book", "cup", "potted plant"],
    "side table": ["book", "cup", "potted plant"],
    "nightstand": ["book", "cup"],
    "dresser": ["book", "potted plant"],
    "sideboard": ["book", "potted plant", "cup"],
    "tv stand": ["book", "potted plant"],
    "counter": ["cup", "potted plant"],
    "cabinet": ["book", "potted plant"],
    "shelf": ["book", "potted plant", "cup"],
}
#: seats that get cushions against their backs (seat height, back depth from the rear, m)
_SEATS = {"sofa": (0.44, 0.2), "armchair": (0.44, 0.2)}
_TOUCH = 1e-4  # m: boxes that only touch do not overlap


def _box_local(support: OrientedBox, x: float, z: float, y0: float, size, yaw: float = 0.0):
    """A box of ``size`` standing at local (x, z) of ``support`` with its bottom at world y0."""
    R = support.rotation.astype(np.float64)
    c = R @ np.array([x, 0.0, z]) + support.center.astype(np.float64)
    c[1] = y0 + size[1] / 2
    return OrientedBox(c, size, float(support.yaw) + yaw)


def _overlaps(box: OrientedBox, others: list[OrientedBox]) -> bool:
    fp = box.footprint()
    for o in others:
        dy = min(box.top, o.top) - max(box.bottom, o.bottom)
        if dy > _TOUCH and fp.intersection(o.footprint()).area > 1e-6:
            return True
    return False


def _top_y(support) -> float:
    """Height things stand at on a support (a wall shelf's board is at its bottom)."""
    if support.label == "shelf":
        return float(support.box.bottom) + 0.02
    return float(support.box.top)


def _on_supports(scene: Scene, rng: np.random.Generator, new: list) -> None:
    for s in list(scene.objects):
        what = CLUTTER_ON.get(s.label)
        if not what or rng.random() < 0.25:
            continue
        w, _, d = (float(v) for v in s.box.size)
        n = int(rng.integers(1, 2 + int(w * d > 0.5) + int(w * d > 1.0)))
        y0 = _top_y(s)
        for _ in range(n):
            cat = what[int(rng.integers(len(what)))]
            e = entry(cat)
            size = e.sample_size(rng).astype(np.float64)
            room_above = (s.box.top - y0 - 0.02) if s.label == "shelf" else 1.0
            size[1] = min(size[1], max(room_above, e.height[0]))
            if size[0] > w - 0.06 or size[2] > d - 0.04:
                continue
            placed = False
            for _try in range(12):
                x = rng.uniform(-(w - size[0]) / 2 + 0.03, (w - size[0]) / 2 - 0.03)
                z = rng.uniform(-(d - size[2]) / 2 + 0.02, (d - size[2]) / 2 - 0.02)
                yaw = float(rng.normal(0, 0.25)) if cat in ("cup", "book") else 0.0
                box = _box_local(s.box, x, z, y0, size, yaw)
                # the turned box must stay on the top and clear of everything but its support
                if not s.box.footprint().buffer(1e-6).contains(box.footprint()):
                    continue
                others = [o.box for o in scene.objects if o is not s and not _flat(o)]
                if _overlaps(box, others):
                    continue
                placed = True
                break
            if placed:
                _add(scene, cat, box, s, rng, new)


def _flat(o) -> bool:
    try:
        return entry(o.attrs.get("category", o.label)).flat
    except InputError:  # labels the catalog does not know are not flat
        return False


#: category → the label a person (and ScanNet) gives it
_LABEL = {"potted plant": "plant"}


def _add(scene: Scene, cat: str, box: OrientedBox, on, rng, new: list) -> None:
    mats = entry(cat).materials or ("grey",)
    label = _LABEL.get(cat, cat)
    k = sum(1 for o in scene.objects if o.label == label) + 1
    attrs = {
        "name": f"{label} {k}",
        "category": cat,
        "material": mats[int(rng.integers(len(mats)))],
        "on": on if isinstance(on, str) else on.attrs.get("name", on.label),
        "clutter": True,
    }
    new.append(scene.add_object(label, box, front=entry(cat).front, **attrs))


def _cushions(scene: Scene, rng: np.random.Generator, new: list) -> None:
    for s in list(scene.objects):
        if s.label not in _SEATS and s.label != "bed":
            continue
        if rng.random() < 0.3:
            continue
        w, h, d = (float(v) for v in s.box.size)
        e = entry("cushion")
        size = e.sample_size(rng).astype(np.float64)
        if s.label == "bed":  # in front of the pillows, on the duvet
            y0, z = s.box.bottom + 0.51, -d / 2 + 0.52 + size[2] / 2
            span = w - 0.3
        else:
            seat, back = _SEATS[s.label]
            y0, z = s.box.bottom + seat, -d / 2 + back + size[2] / 2
            arm = 0.15 if w > 1.2 else 0.1
            span = w - 2 * arm - 0.04
        size[1] = min(size[1], h - (y0 - s.box.bottom) + 0.25)
        n = int(np.clip(span // (size[0] + 0.05), 0, 3))
        n = int(rng.integers(1, n + 1)) if n else 0
        xs = (np.arange(n) - (n - 1) / 2) * (size[0] + 0.05)
        for x in xs:
            box = _box_local(s.box, float(x), z, y0, size, float(rng.normal(0, 0.06)))
            others = [o.box for o in scene.objects if o is not s and not _flat(o)]
            if not _overlaps(box, others):
                _add(scene, "cushion", box, s, rng, new)


def _frames(scene: Scene, rng: np.random.Generator, new: list) -> None:
    room = scene.room
    e = entry("painting")
    want = int(rng.integers(0, 3))
    walls = [w for w in room.walls if w.length >= 1.2]
    rng.shuffle(walls)
    for w in walls:
        if want <= 0:
            break
        size = e.sample_size(rng).astype(np.float64)
        L = w.length
        if size[0] > L - 0.6:
            continue
        ops = [(o.offset - o.width / 2 - 0.15, o.offset + o.width / 2 + 0.15)
               for o in room.openings if o.wall == w.id]  # fmt: skip
        n = np.array([w.normal[0], 0.0, w.normal[1]], np.float64)
        yaw = float(np.arctan2(n[0], n[2]))  # local +Z (the picture) faces into the room
        for _try in range(8):
            off = rng.uniform(0.3 + size[0] / 2, L - 0.3 - size[0] / 2)
            if any(a < off + size[0] / 2 and off - size[0] / 2 < b for a, b in ops):
                continue
            cy = rng.uniform(1.4, 1.65)
            if cy + size[1] / 2 > room.height - 0.15:
                continue
            x, z = w.point_at(off)
            c = np.array([x, cy, z], np.float64) + n * (size[2] / 2 + 1e-3)
            box = OrientedBox(c, size, yaw)
            # nothing in front of it: keep 15 cm of air between the picture and furniture
            probe = OrientedBox(c + n * 0.08, size + np.array([0.1, 0.1, 0.16]), yaw)
            if _overlaps(probe, [o.box for o in scene.objects if not _flat(o)]):
                continue
            _add(scene, "painting", box, w.id, rng, new)
            want -= 1
            break


_RUG_UNDER = {"living_room": "coffee table", "dining_room": "dining table", "bedroom": "bed"}


def _rug(scene: Scene, kind: str, rng: np.random.Generator, new: list) -> None:
    if any(o.label == "rug" for o in scene.objects) or rng.random() < 0.4:
        return
    target = next((o for o in scene.objects if o.label == _RUG_UNDER.get(kind)), None)
    if target is None:
        return
    e = entry("rug")
    w, _, d = (float(v) for v in target.box.size)
    size = np.array([w + rng.uniform(0.6, 1.2), rng.uniform(*e.height), d + rng.uniform(0.6, 1.2)])
    z = 0.0
    if target.label == "bed":  # under the foot half of the bed, reaching out in front
        size[2] = rng.uniform(1.2, 1.6)
        z = d / 2 - size[2] / 2 + 0.5
    box = _box_local(target.box, 0.0, z, 0.0, size)
    inner = scene.room.polygon.buffer(-0.05)
    if not inner.contains(box.footprint()):
        return
    # a rug lies under furniture, but not under the door's swing
    for door in scene.room.doors:
        a, b = (np.asarray(p, float) for p in scene.room.opening_endpoints(door))
        nrm = np.asarray(scene.room.wall(door.wall).normal, float)
        zone = shapely.Polygon([a, b, b + nrm * door.width, a + nrm * door.width])
        if zone.intersects(box.footprint()):
            return
    _add(scene, "rug", box, "floor", rng, new)


def add_clutter(scene: Scene, kind: str, rng: np.random.Generator) -> list:
    """Scatter clutter over a furnished room (in place); returns the new objects.

    Args:
        scene: a planned room (objects with ``attrs["name"]``).
        kind: its room kind (decides where a rug goes).
        rng: the random stream.

    Returns:
        The added :class:`~worldnb.SceneObject` list.
    """
    new: list = []
    if scene.room is None:
        return new
    _rug(scene, kind, rng, new)
    _cushions(scene, rng, new)
    _on_supports(scene, rng, new)
    _frames(scene, rng, new)
    return new
