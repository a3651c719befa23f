"""Independent checks of a planned scene, written from the Scene alone (not the
planner's own constraint code), so the tests can catch the planner lying."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import shapely
from scipy import ndimage

FLAT = {"rug"}
ON_TOP = {"tv", "table lamp", "monitor", "microwave"}


def floor_objects(scene):
    return [o for o in scene.objects if o.label not in FLAT and o.box.bottom < 0.05]


def collisions(scene) -> list[tuple[str, str, float]]:
    out = []
    objs = [o for o in scene.objects if o.label not in FLAT]
    for i, a in enumerate(objs):
        for b in objs[i + 1 :]:
            if a.attrs.get("on") == b.attrs.get("name") or b.attrs.get("on") == a.attrs.get("name"):
                continue
            dy = min(a.box.top, b.box.top) - max(a.box.bottom, b.box.bottom)
            area = a.box.footprint().intersection(b.box.footprint()).area
            if dy > 1e-3 and area > 1e-4:
                out.append((a.name, b.name, area))
    return out


def outside(scene) -> list[tuple[str, float]]:
    floor = scene.room.polygon.buffer(2e-3, join_style="mitre")
    out = []
    for o in scene.objects:
        fp = o.box.footprint()
        d = fp.area - fp.intersection(floor).area
        if d > 1e-4 or o.box.top > scene.room.height + 1e-3:
            out.append((o.name, d))
    return out


def door_zone(room, door, depth=1.0):
    a, b = (np.asarray(p, float) for p in room.opening_endpoints(door))
    n = np.asarray(room.wall(door.wall).normal, float)
    return shapely.Polygon([a, b, b + n * depth, a + n * depth])


def blocked_doors(scene) -> list[str]:
    out = []
    for door in scene.room.doors:
        zone = door_zone(scene.room, door, max(1.0, door.width))
        for o in floor_objects(scene):
            if o.box.footprint().intersection(zone).area > 1e-4:
                out.append(o.name)
    return out


def walkway_ok(scene, width=0.9, res=0.05) -> bool:
    """Every door reaches (within 0.35 m) every floor piece with an access zone: BFS over
    the floor cells at least width/2 from any obstacle or wall."""
    room = scene.room
    lo, hi = room.floor_xz.min(0), room.floor_xz.max(0)
    xs = np.arange(lo[0] + res / 2, hi[0], res)
    zs = np.arange(lo[1] + res / 2, hi[1], res)
    gx, gz = np.meshgrid(xs, zs)
    pts = shapely.points(gx.ravel(), gz.ravel())
    free = shapely.contains(room.polygon, pts)
    for o in floor_objects(scene):
        free &= ~shapely.contains(o.box.footprint(), pts)
    free = free.reshape(gx.shape)
    dist = ndimage.distance_transform_edt(np.pad(free, 1))[1:-1, 1:-1] * res
    walk = dist - res / 2 >= width / 2 - 1e-9
    labels, _ = ndimage.label(walk)
    cells = np.stack([gx, gz], -1)
    for door in room.doors:
        zone = door_zone(room, door).buffer(0.2)
        seed = walk & shapely.contains(zone, shapely.points(cells[..., 0], cells[..., 1]))
        if not seed.any():
            return False
        reach = np.isin(labels, np.unique(labels[seed]))
        rx, rz = gx[reach], gz[reach]
        for o in floor_objects(scene):
            if o.label in {
                "nightstand",
                "plant",
                "floor lamp",
                "side table",
                "coffee table",
                "dining table",
                "trash bin",
            }:
                continue  # no access zone of their own in the catalog (or reached from the bed)
            fp = o.box.footprint()
            d = shapely.distance(fp, shapely.points(rx, rz))
            if not len(d) or d.min() > width / 2 + 0.7:
                return False
    return True


@pytest.fixture
def checks():
    """The independent checks above, as a namespace."""
    return SimpleNamespace(
        collisions=collisions, outside=outside, blocked_doors=blocked_doors, walkway_ok=walkway_ok
    )
