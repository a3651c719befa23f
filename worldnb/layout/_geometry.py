"""Room geometry the constraints share: opening zones, wall distances, a floor grid."""

from __future__ import annotations

import math

import numpy as np
import shapely
from scipy import ndimage

from ..scene import Room

#: Depth of the clear zone in front of a door (m): the swing plus room to step in.
DOOR_ZONE_DEPTH = 1.0
#: Depth of the zone in front of a window that tall furniture must keep out of (m).
WINDOW_ZONE_DEPTH = 0.35
#: Floor grid resolution for walkway checks (m).
GRID_RES = 0.05


def opening_zone(room: Room, opening, depth: float | None = None) -> shapely.Polygon:
    """The floor rectangle in front of an opening, ``depth`` m into the room."""
    if depth is None:
        depth = max(DOOR_ZONE_DEPTH, opening.width) if opening.kind == "door" else WINDOW_ZONE_DEPTH
    a, b = room.opening_endpoints(opening)
    n = room.wall(opening.wall).normal.astype(np.float64)
    a, b = a.astype(np.float64), b.astype(np.float64)
    return shapely.Polygon([a, b, b + n * depth, a + n * depth])


def door_zones(room: Room) -> list[tuple[object, shapely.Polygon]]:
    return [(o, opening_zone(room, o)) for o in room.doors]


def window_zones(room: Room) -> list[tuple[object, shapely.Polygon]]:
    return [(o, opening_zone(room, o)) for o in room.windows]


def wall_segments(room: Room) -> list[shapely.LineString]:
    return [shapely.LineString([w.start, w.end]) for w in room.walls]


def convex_corners(room: Room) -> list[tuple[np.ndarray, int, int]]:
    """(corner (x, z), index of the wall ending there, index of the wall starting there)
    for the room's convex (inside-facing) corners."""
    out = []
    walls = room.walls
    for i in range(len(walls)):
        w0, w1 = walls[i - 1], walls[i]
        d0, d1 = w0.direction.astype(np.float64), w1.direction.astype(np.float64)
        if d0[0] * d1[1] - d0[1] * d1[0] < 0:  # left turn seen from above in (x, z)
            out.append((w1.start.astype(np.float64), i - 1 if i > 0 else len(walls) - 1, i))
    return out


def yaw_facing(normal_xz) -> float:
    """Yaw that turns local +Z to the given (x, z) direction."""
    return math.atan2(float(normal_xz[0]), float(normal_xz[1]))


class FloorGrid:
    """A raster of the room's floor (cell centres at ``origin + (i + 0.5) * res``).

    Attributes:
        mask: (H, W) bool, True inside the room; rows follow z, columns follow x.
    """

    def __init__(self, room: Room, res: float = GRID_RES):
        lo = room.floor_xz.min(0).astype(np.float64)
        hi = room.floor_xz.max(0).astype(np.float64)
        self.res = res
        self.origin = lo
        self.shape = (
            max(1, math.ceil((hi[1] - lo[1]) / res)),
            max(1, math.ceil((hi[0] - lo[0]) / res)),
        )
        xs = lo[0] + (np.arange(self.shape[1]) + 0.5) * res
        zs = lo[1] + (np.arange(self.shape[0]) + 0.5) * res
        self.xs, self.zs = xs, zs
        gx, gz = np.meshgrid(xs, zs)
        self.mask = shapely.contains_xy(room.polygon, gx, gz)

    def window(self, poly: shapely.Polygon):
        """(row slice, col slice, gx, gz) of the cells under a polygon's bounding box."""
        x0, z0, x1, z1 = poly.bounds
        c0 = max(0, math.floor((x0 - self.origin[0]) / self.res))
        c1 = min(self.shape[1], math.ceil((x1 - self.origin[0]) / self.res) + 1)
        r0 = max(0, math.floor((z0 - self.origin[1]) / self.res))
        r1 = min(self.shape[0], math.ceil((z1 - self.origin[1]) / self.res) + 1)
        gx, gz = np.meshgrid(self.xs[c0:c1], self.zs[r0:r1])
        return slice(r0, r1), slice(c0, c1), gx, gz

    def rasterize(self, polys, out: np.ndarray | None = None, grow: float = 0.0) -> np.ndarray:
        """(H, W) bool: cells whose centre lies in any of the polygons.

        Convex quadrilaterals (boxes, zones) take a fast half-plane test; ``grow`` pushes
        each of their edges out by that many metres (a square-cornered buffer).
        """
        out = np.zeros(self.shape, bool) if out is None else out
        for poly in polys:
            if poly.is_empty:
                continue
            xy = np.asarray(poly.exterior.coords)[:-1]
            if len(xy) == 4:
                _quad_into(self, xy, grow, out)
                continue
            if grow:
                poly = poly.buffer(grow, join_style="mitre")
            rs, cs, gx, gz = self.window(poly)
            if gx.size:
                out[rs, cs] |= shapely.contains_xy(poly, gx, gz)
        return out

    def cell_of(self, xz) -> tuple[int, int]:
        c = int((xz[0] - self.origin[0]) / self.res)
        r = int((xz[1] - self.origin[1]) / self.res)
        return min(max(r, 0), self.shape[0] - 1), min(max(c, 0), self.shape[1] - 1)


def _quad_into(grid: FloorGrid, xy: np.ndarray, grow: float, out: np.ndarray) -> None:
    """Mark the cells inside a convex quad (4, 2), each edge pushed out by ``grow``."""
    if _signed_area(xy) < 0:
        xy = xy[::-1]
    lo, hi = xy.min(0) - grow, xy.max(0) + grow
    c0 = max(0, math.floor((lo[0] - grid.origin[0]) / grid.res))
    c1 = min(grid.shape[1], math.ceil((hi[0] - grid.origin[0]) / grid.res) + 1)
    r0 = max(0, math.floor((lo[1] - grid.origin[1]) / grid.res))
    r1 = min(grid.shape[0], math.ceil((hi[1] - grid.origin[1]) / grid.res) + 1)
    if c0 >= c1 or r0 >= r1:
        return
    gx = grid.xs[c0:c1][None, :]
    gz = grid.zs[r0:r1][:, None]
    inside = np.ones((r1 - r0, c1 - c0), bool)
    for i in range(4):
        a, b = xy[i], xy[(i + 1) % 4]
        e = b - a
        n = math.hypot(e[0], e[1])
        if n < 1e-12:
            continue
        # counter-clockwise in (x, z): inside is to the left of each edge
        inside &= (e[0] * (gz - a[1]) - e[1] * (gx - a[0])) / n >= -grow
    out[r0:r1, c0:c1] |= inside


def _signed_area(xy: np.ndarray) -> float:
    x, z = xy[:, 0], xy[:, 1]
    return 0.5 * float(x[:-1] @ z[1:] - x[1:] @ z[:-1] + x[-1] * z[0] - x[0] * z[-1])


_GRIDS: dict[int, tuple[Room, FloorGrid]] = {}


def floor_grid(room: Room, res: float = GRID_RES) -> FloorGrid:
    """The (cached) floor grid of a room."""
    key = id(room)
    hit = _GRIDS.get(key)
    if hit is not None and hit[0] is room and hit[1].res == res:
        return hit[1]
    if len(_GRIDS) > 64:
        _GRIDS.clear()
    g = FloorGrid(room, res)
    _GRIDS[key] = (room, g)
    return g


def clearance_map(grid: FloorGrid, obstacles) -> tuple[np.ndarray, np.ndarray]:
    """(free (H, W) bool, dist (H, W) float: metres from each free cell to the nearest
    obstacle or wall)."""
    free = grid.mask & ~grid.rasterize(obstacles)
    # pad with a blocked border so the room's outside counts as a wall
    dist = ndimage.distance_transform_edt(np.pad(free, 1))[1:-1, 1:-1] * grid.res
    return free, dist


def reachable_from(walk: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """(H, W) bool: cells of ``walk`` connected (4-neighbour) to any seed cell."""
    if not seeds.any():
        return np.zeros_like(walk)
    labels, _ = ndimage.label(walk)
    ids = np.unique(labels[seeds & walk])
    ids = ids[ids > 0]
    return np.isin(labels, ids)
