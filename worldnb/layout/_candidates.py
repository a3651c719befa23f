"""Candidate positions for one item, and a vectorised first filter of the hard rules.

Candidates are rows ``(x, z, yaw, y)`` of an (N, 4) float64 array: wall-snapped
positions (corners included, as the two ends of each wall run), positions the
item's own rules suggest (beside the bed, in front of the sofa, around the table,
on top of the desk, the middle of the room) and a jittered grid of free spots.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from . import constraints
from .state import Layout

_HALF_PI = math.pi / 2


def _yaw_of(n) -> float:
    return math.atan2(float(n[0]), float(n[1]))


def _local_to_world(layout: Layout, host: str, lx, lz):
    p = layout.placements[host]
    c, s = math.cos(p.yaw), math.sin(p.yaw)
    lx, lz = np.asarray(lx, np.float64), np.asarray(lz, np.float64)
    return p.x + lx * c + lz * s, p.z - lx * s + lz * c


def wall_candidates(layout: Layout, name: str, rng, step: float = 0.1) -> np.ndarray:
    it = layout.items[name]
    w, _, d = it.size
    rows = []
    turns = [0.0] if it.entry.front else [0.0, _HALF_PI]
    if "back" in it.entry.access and it.placement == "floor":
        # a chair needs its back free: side to the wall instead
        turns = [_HALF_PI, -_HALF_PI]
    y = 0.0
    if it.placement == "wall" and it.entry.mount:
        y = float(np.round(rng.uniform(*it.entry.mount), 2))
    for wall in layout.room.walls:
        L = wall.length
        n = wall.normal.astype(np.float64)
        for turn in turns:
            along, across = (w, d) if turn == 0.0 else (d, w)  # extents along / off the wall
            if L < along + 1e-6:
                continue
            t = np.arange(along / 2, L - along / 2 + 1e-9, step)
            t = np.unique(np.concatenate([t, [along / 2, L - along / 2, L / 2]]))
            pts = wall.start.astype(np.float64) + np.outer(t, wall.direction.astype(np.float64))
            pts = pts + n * (across / 2 + 0.002)
            yaw = _yaw_of(n) + turn
            rows.append(np.column_stack([pts, np.full(len(t), yaw), np.full(len(t), y)]))
    return np.concatenate(rows) if rows else np.zeros((0, 4))


def free_candidates(layout: Layout, name: str, rng, n: int = 120, free_yaw=False) -> np.ndarray:
    lo, hi = layout.room.floor_xz.min(0), layout.room.floor_xz.max(0)
    xz = rng.uniform(lo, hi, size=(n, 2))
    if free_yaw:
        yaw = rng.uniform(-math.pi, math.pi, n)
    else:
        yaw = rng.integers(0, 4, n) * _HALF_PI
    return np.column_stack([xz, yaw, np.zeros(n)])


def grid_candidates(layout: Layout, name: str, step: float = 0.3) -> np.ndarray:
    """A regular grid of floor positions × the four snapped rotations."""
    lo, hi = layout.room.floor_xz.min(0), layout.room.floor_xz.max(0)
    xs = np.arange(lo[0] + step / 2, hi[0], step)
    zs = np.arange(lo[1] + step / 2, hi[1], step)
    gx, gz = np.meshgrid(xs, zs)
    pts = np.column_stack([gx.ravel(), gz.ravel()])
    rows = [
        np.column_stack([pts, np.full(len(pts), k * _HALF_PI), np.zeros(len(pts))])
        for k in range(2)
    ]
    return np.concatenate(rows)


def rule_candidates(layout: Layout, name: str, cons: list, rng) -> np.ndarray:
    """Positions suggested by the soft/hard rules of ``name`` whose targets are placed."""
    it = layout.items[name]
    w, _, d = it.size
    rows = []
    for c in cons:
        if not c.bound or name not in c.bound[0]:
            continue
        targets = [b for b in (c.bound[1] if len(c.bound) > 1 else ()) if layout.is_placed(b)]
        for b in targets:
            pb = layout.placements[b]
            wb, _, db = layout.items[b].size
            if isinstance(c, constraints.Beside):
                for sgn in (1.0, -1.0):
                    for gap in (0.02, 0.06):
                        lx = sgn * (wb / 2 + w / 2 + gap)
                        lz = -db / 2 + d / 2
                        x, z = _local_to_world(layout, b, lx, lz)
                        rows.append([x, z, pb.yaw, 0.0])
            elif isinstance(c, constraints.InFrontOf):
                for gap in np.linspace(c.min, c.max, 3):
                    for off in (0.0, -wb / 4, wb / 4):
                        x, z = _local_to_world(
                            layout, b, off, db / 2 + max(gap, 0.0) + d / 2 + 0.01
                        )
                        yaw = pb.yaw + math.pi if it.entry.front else pb.yaw
                        rows.append([x, z, yaw, 0.0])
            elif isinstance(c, constraints.Around):
                # slots along each side of the target, facing it
                for side, (length, depth) in enumerate(((wb, db), (db, wb), (wb, db), (db, wb))):
                    k = max(1, int(length // 0.6))
                    ts = (np.arange(k) + 0.5) / k * length - length / 2
                    ang = pb.yaw + side * _HALF_PI
                    for t in ts:
                        r = depth / 2 + d / 2 + 0.03
                        lx, lz = (
                            math.sin(side * _HALF_PI) * r + math.cos(side * _HALF_PI) * t,
                            (math.cos(side * _HALF_PI) * r - math.sin(side * _HALF_PI) * t),
                        )
                        x, z = _local_to_world(layout, b, lx, lz)
                        rows.append([x, z, ang + math.pi, 0.0])
            elif isinstance(c, constraints.OnTopOf):
                top = layout.yrange(b)[1]
                for lx in (0.0, -(wb - w) / 3, (wb - w) / 3):
                    for lz in (-(db - d) / 2 + 0.02, 0.0):
                        if abs(lx) + w / 2 > wb / 2 + 1e-6 or abs(lz) + d / 2 > db / 2 + 1e-6:
                            continue
                        x, z = _local_to_world(layout, b, lx, lz)
                        rows.append([x, z, pb.yaw, top])
            elif isinstance(c, constraints.Distance | constraints.Facing):
                # just outside each side of the target, at three offsets along it
                r = max(w, d) / 2 + 0.05
                for side in range(4):
                    length, depth = (wb, db) if side % 2 == 0 else (db, wb)
                    for t in (-length / 3, 0.0, length / 3):
                        a = side * _HALF_PI
                        lx = math.sin(a) * (depth / 2 + r) + math.cos(a) * t
                        lz = math.cos(a) * (depth / 2 + r) - math.sin(a) * t
                        x, z = _local_to_world(layout, b, lx, lz)
                        for k in range(4):
                            rows.append([x, z, pb.yaw + k * _HALF_PI, 0.0])
        if isinstance(c, constraints.Centered):
            cen = layout.room.polygon.centroid
            for k in range(4):
                for dx, dz in ((0, 0), (0.2, 0), (-0.2, 0), (0, 0.2), (0, -0.2)):
                    rows.append([cen.x + dx, cen.y + dz, k * _HALF_PI, 0.0])
    return np.asarray(rows, np.float64).reshape(-1, 4)


def face_targets(layout: Layout, name: str, cons: list, cands: np.ndarray, snap) -> np.ndarray:
    """Extra copies of free candidates turned to face the item's Facing targets."""
    extra = []
    for c in cons:
        if isinstance(c, constraints.Facing) and name in c.bound[0]:
            for b in c.bound[1]:
                if layout.is_placed(b):
                    cb = layout.center(b)
                    yaw = np.arctan2(cb[0] - cands[:, 0], cb[1] - cands[:, 1])
                    if snap:
                        yaw = np.round(yaw / math.radians(snap)) * math.radians(snap)
                    extra.append(np.column_stack([cands[:, :2], yaw, cands[:, 3]]))
    return np.concatenate(extra) if extra else np.zeros((0, 4))


def footprints(layout: Layout, name: str, cands: np.ndarray) -> np.ndarray:
    """(N,) shapely polygons of the item's footprint at each candidate."""
    w, _, d = layout.items[name].size
    c, s = np.cos(cands[:, 2]), np.sin(cands[:, 2])
    lx = np.array([w / 2, -w / 2, -w / 2, w / 2])
    lz = np.array([-d / 2, -d / 2, d / 2, d / 2])
    xs = cands[:, :1] + lx * c[:, None] + lz * s[:, None]
    zs = cands[:, 1:2] - lx * s[:, None] + lz * c[:, None]
    return shapely.polygons(np.stack([xs, zs], axis=2))


def access_polys(layout: Layout, name: str, cands: np.ndarray) -> list[np.ndarray]:
    """Per access side of the item: (N,) polygons of that zone at each candidate."""
    it = layout.items[name]
    w, _, d = it.size
    c, s = np.cos(cands[:, 2]), np.sin(cands[:, 2])
    out = []
    for side, depth in it.entry.access.items():
        a = float(depth)
        x0, x1, z0, z1 = {
            "front": (-w / 2, w / 2, d / 2, d / 2 + a),
            "back": (-w / 2, w / 2, -d / 2 - a, -d / 2),
            "left": (w / 2, w / 2 + a, -d / 2, d / 2),
            "right": (-w / 2 - a, -w / 2, -d / 2, d / 2),
        }[side]
        lx = np.array([x0, x1, x1, x0])
        lz = np.array([z0, z0, z1, z1])
        xs = cands[:, :1] + lx * c[:, None] + lz * s[:, None]
        zs = cands[:, 1:2] - lx * s[:, None] + lz * c[:, None]
        out.append(shapely.polygons(np.stack([xs, zs], axis=2)))
    return out


def prefilter(layout: Layout, name: str, cands: np.ndarray, hard_globals: list) -> np.ndarray:
    """(N,) bool: candidates that pass the vectorisable hard rules (room, overlaps,
    openings, access zones). The solver re-checks its pick exactly."""
    it = layout.items[name]
    polys = footprints(layout, name, cands)
    h = it.size[1]
    ok = np.ones(len(cands), bool)
    y0 = cands[:, 3]
    y1 = y0 + h
    kinds = {type(g) for g in hard_globals}
    if constraints.InsideRoom in kinds:
        floor = layout.room.polygon.buffer(1e-3, join_style="mitre")
        ok &= shapely.covers(floor, polys) & (y1 <= layout.room.height + 1e-3)
    if constraints.NoOverlap in kinds:
        for other in layout.placed:
            io = layout.items[other]
            if io.entry.flat != it.entry.flat:
                continue
            oy0, oy1 = layout.yrange(other)
            vert = (np.minimum(y1, oy1) - np.maximum(y0, oy0)) > 1e-3
            m = ok & vert & shapely.intersects(polys, layout.footprint(other))
            if m.any():
                area = shapely.area(shapely.intersection(polys[m], layout.footprint(other)))
                bad = np.zeros(len(cands), bool)
                bad[np.flatnonzero(m)[area > 1e-4]] = True
                ok &= ~bad
    oc = next((g for g in hard_globals if isinstance(g, constraints.OpeningsClear)), None)
    if oc is not None and not it.entry.flat and it.placement != "on_top":
        for _, zone, lo, hi in oc.zones(layout.room):
            vert = (np.minimum(y1, hi) - np.maximum(y0, lo)) > 1e-3
            m = ok & vert & shapely.intersects(polys, zone)
            if m.any():
                area = shapely.area(shapely.intersection(polys[m], zone))
                bad = np.zeros(len(cands), bool)
                bad[np.flatnonzero(m)[area > 1e-4]] = True
                ok &= ~bad
    if (
        constraints.AccessClear in kinds
        and it.blocks_floor
        and it.entry.access
        and not it.entry.access_any
    ):
        # the piece's own access zones must lie in the room and be free
        others = [
            layout.footprint(n)
            for n in layout.placed
            if layout.items[n].blocks_floor and not constraints._exempt(layout, n, name)
        ]
        blocked = shapely.union_all(others) if others else None
        floor = layout.room.polygon.buffer(0.02, join_style="mitre")
        for zones in access_polys(layout, name, cands):
            m = ok & shapely.covers(floor, zones)
            if blocked is not None:
                hit = m & shapely.intersects(zones, blocked)
                if hit.any():
                    area = shapely.area(shapely.intersection(zones[hit], blocked))
                    m[np.flatnonzero(hit)[area > 0.02]] = False
            ok &= m
    if constraints.AccessClear in kinds and it.blocks_floor:
        for host in layout.placed:
            if not layout.items[host].blocks_floor or constraints._exempt(layout, name, host):
                continue
            for z in layout.access_zones(host):
                m = ok & shapely.intersects(polys, z)
                if m.any():
                    area = shapely.area(shapely.intersection(polys[m], z))
                    bad = np.zeros(len(cands), bool)
                    bad[np.flatnonzero(m)[area > 0.02]] = True
                    ok &= ~bad
    return ok
