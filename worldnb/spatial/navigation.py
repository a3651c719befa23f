"""Navigation on the floor: a walkable grid, shortest routes with turn-by-turn
directions, and where an object of a given footprint could stand."""

from __future__ import annotations

import heapq
import math
import numbers
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike

from ..errors import QueryError
from ..scene import OrientedBox, Scene, SceneObject
from ._boxes import box_of, center_xz
from .frames import turn_direction

__all__ = ["Route", "WalkableGrid", "free_space", "route", "walkable_grid"]

#: Objects whose bottom is lower than this block a walking person.
HEADROOM_M = 1.2


@dataclass
class WalkableGrid:
    """Floor cells a body can stand in.

    Attributes:
        mask: (H, W) bool, True = walkable; row i ↔ z, column j ↔ x.
        origin: (2,) (x, z) of the centre of cell (0, 0).
        cell: cell size (m).
        body_width: the body width it was built for (m).
    """

    mask: np.ndarray
    origin: np.ndarray
    cell: float
    body_width: float

    def to_cell(self, xz) -> tuple[int, int]:
        """(row, col) of the cell nearest an (x, z) point, object or box (maybe off the grid)."""
        p = (center_xz(xz) - self.origin) / self.cell
        return round(float(p[1])), round(float(p[0]))

    def to_xz(self, rc: ArrayLike) -> np.ndarray:
        """(..., 2) float64 (x, z) centres of (..., 2) (row, col) cells."""
        rc = np.asarray(rc, np.float64)
        return self.origin + rc[..., ::-1] * self.cell

    @property
    def walkable_area(self) -> float:
        """Area (m²) of the walkable cells."""
        return float(self.mask.sum()) * self.cell**2


def _obstacles(scene: Scene, ignore=()) -> list[shapely.Polygon]:
    skip = {o.id for o in ignore}
    return [
        o.box.footprint() for o in scene.objects if o.id not in skip and o.box.bottom < HEADROOM_M
    ]


def _grid_axes(floor, cell) -> tuple[np.ndarray, np.ndarray]:
    """Cell-centre x and z coordinates covering ``floor``'s bounds; checks ``cell``."""
    if isinstance(cell, bool) or not isinstance(cell, numbers.Real) or not 0 < cell < math.inf:
        raise QueryError(f"cell: expected a positive cell size in metres, got {cell!r}")
    x0, z0, x1, z1 = floor.bounds
    xs, zs = np.arange(x0 + cell / 2, x1, cell), np.arange(z0 + cell / 2, z1, cell)
    if len(xs) == 0 or len(zs) == 0:
        raise QueryError(
            f"cell: {cell} m is too coarse for a {x1 - x0:.2f} × {z1 - z0:.2f} m floor; "
            "use a smaller cell"
        )
    return xs, zs


def _floor(scene: Scene):
    if scene.room is not None:
        return scene.room.polygon
    b = scene.bounds
    if b is None:
        raise QueryError("this scene has no room and no objects, so it has no floor to walk on")
    return shapely.box(b[0, 0] - 0.5, b[0, 2] - 0.5, b[1, 0] + 0.5, b[1, 2] + 0.5)


def walkable_grid(
    scene: Scene, body_width: float = 0.5, cell: float = 0.1, ignore=()
) -> WalkableGrid:
    """Cells where a body ``body_width`` wide can stand: inside the room, at least
    ``body_width / 2`` from every wall and from every object lower than 1.2 m.

    A scene without a room walks on its objects' bounding rectangle plus 0.5 m.
    """
    if isinstance(body_width, bool) or not (
        isinstance(body_width, numbers.Real) and 0 < body_width < math.inf
    ):
        raise QueryError(f"body_width: expected a positive width in metres, got {body_width!r}")
    r = body_width / 2
    floor = _floor(scene)
    xs, zs = _grid_axes(floor, cell)
    free = floor.buffer(-r, join_style="mitre")
    obs = _obstacles(scene, ignore)
    if obs:
        free = free.difference(shapely.union_all(obs).buffer(r, quad_segs=4))
    X, Z = np.meshgrid(xs, zs)
    mask = shapely.contains_xy(free, X, Z) if not free.is_empty else np.zeros(X.shape, bool)
    return WalkableGrid(mask, np.array([xs[0], zs[0]]), cell, float(body_width))


@dataclass
class Route:
    """A walk from start to goal.

    Attributes:
        points: (K, 2) (x, z) corners of the path, start first.
        length: total length (m).
        steps: turn-by-turn phrases ("go forward 2.1 m", "turn left", ...).
    """

    points: np.ndarray
    length: float
    steps: list[str]

    @property
    def text(self) -> str:
        """The steps as one sentence."""
        return ", ".join(self.steps)


_NEIGH = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]


def _astar(mask: np.ndarray, s: tuple[int, int], g: tuple[int, int]) -> list[tuple[int, int]]:
    H, W = mask.shape
    best = {s: 0.0}
    prev: dict = {}
    heap = [(0.0, s)]
    while heap:
        _, u = heapq.heappop(heap)
        if u == g:
            path = [u]
            while u in prev:
                u = prev[u]
                path.append(u)
            return path[::-1]
        for dr, dc in _NEIGH:
            v = (u[0] + dr, u[1] + dc)
            if not (0 <= v[0] < H and 0 <= v[1] < W) or not mask[v]:
                continue
            if dr and dc and not (mask[u[0] + dr, u[1]] and mask[u[0], u[1] + dc]):
                continue  # no cutting corners past an obstacle
            nd = best[u] + (math.sqrt(2) if dr and dc else 1.0)
            if nd < best.get(v, math.inf):
                best[v], prev[v] = nd, u
                heapq.heappush(heap, (nd + math.hypot(v[0] - g[0], v[1] - g[1]), v))
    return []


def _line_free(mask, a, b) -> bool:
    n = int(max(abs(b[0] - a[0]), abs(b[1] - a[1])) * 2) + 1
    rr = np.rint(np.linspace(a[0], b[0], n)).astype(int)
    cc = np.rint(np.linspace(a[1], b[1], n)).astype(int)
    return bool(mask[rr, cc].all())


def _simplify(mask, path):
    out = [path[0]]
    i = 0
    while i < len(path) - 1:
        j = len(path) - 1
        while j > i + 1 and not _line_free(mask, path[i], path[j]):
            j -= 1
        out.append(path[j])
        i = j
    return out


def _nearest_free(grid: WalkableGrid, target) -> tuple[int, int]:
    rows, cols = np.nonzero(grid.mask)
    if len(rows) == 0:
        raise QueryError("no floor is walkable for this body width; try a smaller body_width")
    xz = grid.to_xz(np.stack([rows, cols], 1))
    if isinstance(target, SceneObject | OrientedBox):
        d = shapely.distance(box_of(target).footprint(), shapely.points(xz))
    else:
        d = np.linalg.norm(xz - center_xz(target), axis=1)
    k = int(np.argmin(d))
    return int(rows[k]), int(cols[k])


def route(
    scene: Scene, start, goal, facing=None, body_width: float = 0.5, cell: float = 0.1
) -> Route:
    """Shortest walk from ``start`` to ``goal`` around the furniture.

    Args:
        start: an object (the walk begins at the nearest walkable spot beside it) or an
            (x, z) point.
        goal: an object (the walk ends at the nearest walkable spot beside it) or an
            (x, z) point.
        facing: where the walker looks at the start (object, point); default the first leg.
        body_width: the walker's width (m).

    Returns:
        :class:`Route` with the path's corners and turn-by-turn steps.
    """
    grid = walkable_grid(scene, body_width, cell)
    s, g = _nearest_free(grid, start), _nearest_free(grid, goal)
    cells = _astar(grid.mask, s, g)
    if not cells:
        raise QueryError(
            f"no walkable path from {getattr(start, 'name', start)} to "
            f"{getattr(goal, 'name', goal)} for a {body_width} m wide body"
        )
    corners = _simplify(grid.mask, cells)
    pts = grid.to_xz(np.array(corners, np.float64))
    legs = np.diff(pts, axis=0)
    steps: list[str] = []
    heading = None if facing is None else center_xz(facing) - pts[0]
    for leg in legs:
        n = float(np.linalg.norm(leg))
        if n < 1e-9:
            continue
        if heading is not None and np.linalg.norm(heading) > 1e-9:
            turn, ang = turn_direction(heading, leg)
            if turn == "back":
                steps.append("turn around")
            elif turn != "straight":
                slight = "slightly " if abs(ang) < 60 else ""
                steps.append(f"turn {slight}{turn}")
        if steps and steps[-1].startswith("go forward") and heading is not None:
            prev = float(steps[-1].split()[2])
            steps[-1] = f"go forward {prev + n:.1f} m"
        else:
            steps.append(f"go forward {n:.1f} m")
        heading = leg
    length = float(np.linalg.norm(legs, axis=1).sum()) if len(legs) else 0.0
    steps.append("you have arrived")
    return Route(pts, length, steps)


def free_space(
    scene: Scene, footprint, clearance: float = 0.0, cell: float = 0.1, yaw: float = 0.0
) -> np.ndarray:
    """Where an object of ``footprint`` (width, depth) metres, turned by ``yaw``,
    could stand without overlapping objects or leaving the room.

    Returns:
        (N, 2) float64 (x, z) centres on a ``cell`` grid, possibly empty.
    """
    try:
        w, d = (float(v) for v in footprint)
    except (TypeError, ValueError):
        raise QueryError(
            f"footprint: expected (width, depth) in metres, got {footprint!r}"
        ) from None
    if w <= 0 or d <= 0:
        raise QueryError(f"footprint: width and depth must be > 0 m, got {(w, d)}")
    floor = _floor(scene)
    xs, zs = _grid_axes(floor, cell)
    probe = OrientedBox((0, 0.5, 0), (w, 1.0, d), yaw).footprint()
    # Minkowski-style test on a grid: translate the probe to each cell centre.
    X, Z = np.meshgrid(xs, zs)
    centres = np.stack([X.ravel(), Z.ravel()], 1)
    cand = centres[shapely.contains_xy(floor.buffer(-min(w, d) / 2 + 1e-9), *centres.T)]
    if len(cand) == 0:
        return np.zeros((0, 2))
    coords = np.asarray(probe.exterior.coords)
    polys = shapely.polygons(coords[None] + cand[:, None, :])
    ok = shapely.covers(floor, polys)
    obs = _obstacles(scene)
    if obs:
        blocked = shapely.union_all(obs).buffer(clearance) if clearance else shapely.union_all(obs)
        shapely.prepare(blocked)
        ok &= ~shapely.intersects(blocked, polys)
    return cand[ok]
