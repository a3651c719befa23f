"""SpatialLM's layout text: walls, doors, windows and boxes, one per line.

SpatialLM (manycore-research/SpatialLM) writes ``<kind>_<id>=<Kind>(<parameters>)``:

- ``wall_3=Wall(ax,ay,az,bx,by,bz,height,thickness)``: the wall's bottom corners;
- ``door_0=Door(wall_3,x,y,z,width,height)`` and ``window_0=Window(...)``: the wall it
  sits in, the opening's centre, its width and height;
- ``bbox_5=Bbox(class,x,y,z,angle_z,scale_x,scale_y,scale_z)``: a box's class, centre,
  rotation about +z and full extents along its own axes.

Metres, right-handed, **z up**. A point ``(x, y, z)`` is worldnb's ``(x, z, −y)``;
``angle_z`` is worldnb's yaw; the extents ``(scale_x, scale_y, scale_z)`` are worldnb's
width, depth and height. Class names use ``_`` for spaces (``dining_table``).

Reading: walls are chained into the floor polygon (their convex hull when they do not
close); doors and windows go on the room wall that runs along their SpatialLM wall.
A line that does not parse is a :class:`~worldnb.errors.FormatError` naming it (where
SpatialLM's own reader skips it silently); an opening that does not fit its wall is
left out and listed in ``scene.meta["spatiallm"]["skipped"]``.

Example:
    >>> import tempfile, worldnb
    >>> scene = worldnb.Scene(room=worldnb.Room.rectangle(4, 3))
    >>> _ = scene.add_object("bed", worldnb.OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0), yaw=0.3))
    >>> path = scene.export(tempfile.mkdtemp() + "/room.txt", format="spatiallm")
    >>> print(path.read_text().splitlines()[-1])
    bbox_1=Bbox(bed,0,0,0.3,0.3,1.6,2,0.6)
    >>> round(float(worldnb.load(path, format="spatiallm").objects[0].box.yaw), 6)
    0.3
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from ...errors import FormatError, WorldnbError
from ..box import OrientedBox
from ..room import Opening, Room
from ..scene import Scene
from ._files import as_path, atomic_write, check_readable, check_scene, read_bytes, reading

__all__ = ["load_spatiallm", "save_spatiallm"]

_LINE = re.compile(r"^\s*([A-Za-z]+)_(\d+)\s*=\s*([A-Za-z]+)\s*\((.*)\)\s*$")
_ARITY = {"wall": 8, "door": 6, "window": 6, "bbox": 8}
#: endpoints closer than this (m) are the same corner when walls are chained
CORNER_TOL = 0.05


def _num(v: float) -> str:
    s = format(float(v), ".6g")
    return "0" if s in ("-0", "0") else s


def _to_slm(p) -> tuple[float, float, float]:
    """worldnb (x, y, z), +Y up → SpatialLM (x, y, z), +Z up."""
    return float(p[0]), -float(p[2]), float(p[1])


def save_spatiallm(scene: Scene, path) -> Path:
    """Write the room's walls, doors, windows and the objects' boxes as SpatialLM text."""
    check_scene(scene)
    path = as_path(path)
    lines = []
    room = scene.room
    if room is not None:
        for i, w in enumerate(room.walls):
            a = _to_slm((w.start[0], 0.0, w.start[1]))
            b = _to_slm((w.end[0], 0.0, w.end[1]))
            lines.append(f"wall_{i}=Wall({','.join(_num(v) for v in (*a, *b, room.height, 0.0))})")
        counts = {"door": 0, "window": 0}
        for o in room.openings:
            w = room.wall(o.wall)
            xz = w.point_at(o.offset)
            c = _to_slm((xz[0], o.sill + o.height / 2, xz[1]))
            k = counts[o.kind]
            counts[o.kind] += 1
            params = ",".join(_num(v) for v in (*c, o.width, o.height))
            lines.append(f"{o.kind}_{k}={o.kind.title()}({w.id},{params})")
    for obj in scene.objects:
        b = obj.box
        c = _to_slm(b.center)
        name = obj.label.replace(" ", "_").replace(",", "_")
        params = ",".join(_num(v) for v in (*c, b.yaw, b.size[0], b.size[2], b.size[1]))
        lines.append(f"bbox_{obj.id}=Bbox({name},{params})")
    text = "\n".join(lines) + ("\n" if lines else "")
    return atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def _parse(text: str, path: Path) -> list[tuple[int, str, int, list[str]]]:
    out, seen = [], set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            raise FormatError(
                f"{path}: line {n} is not SpatialLM layout text "
                f"('<kind>_<id>=<Kind>(a,b,...)'): {line.strip()[:80]!r}"
            )
        kind, ident, cls, body = m.group(1).lower(), int(m.group(2)), m.group(3).lower(), m.group(4)
        if kind not in _ARITY or cls != kind:
            raise FormatError(
                f"{path}: line {n}: unknown entity {m.group(1)}_{ident}={m.group(3)}(...); "
                "expected wall_N=Wall, door_N=Door, window_N=Window or bbox_N=Bbox"
            )
        args = [a.strip() for a in body.split(",")]
        if len(args) != _ARITY[kind]:
            raise FormatError(
                f"{path}: line {n}: {kind}_{ident} has {len(args)} parameters, "
                f"expected {_ARITY[kind]}"
            )
        if (kind, ident) in seen:
            raise FormatError(f"{path}: line {n}: {kind}_{ident} is defined twice")
        seen.add((kind, ident))
        out.append((n, kind, ident, args))
    return out


def _floats(args: list[str], path: Path, n: int, where: str) -> list[float]:
    try:
        vals = [float(a) for a in args]
    except ValueError:
        raise FormatError(f"{path}: line {n}: {where}: expected numbers, got {args}") from None
    if not all(math.isfinite(v) for v in vals):
        raise FormatError(f"{path}: line {n}: {where}: numbers must be finite, got {args}")
    return vals


def _chain(segments: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray | None:
    """The walls' corners in order when the walls close into one loop, else None."""
    left = list(range(1, len(segments)))
    ring = [segments[0][0], segments[0][1]]
    while left:
        end = ring[-1]
        for j in left:
            a, b = segments[j]
            if np.linalg.norm(a - end) < CORNER_TOL:
                ring.append(b)
                break
            if np.linalg.norm(b - end) < CORNER_TOL:
                ring.append(a)
                break
        else:
            return None
        left.remove(j)
    if np.linalg.norm(ring[-1] - ring[0]) >= CORNER_TOL:
        return None
    return np.array(ring[:-1])


def load_spatiallm(path) -> Scene:
    """Read SpatialLM layout text into a scene (room from the walls, objects from boxes).

    Raises:
        InputError: the file does not exist.
        FormatError: a line that does not parse, a wrong parameter count, a repeated id,
            a door naming no wall, or values no room / box can hold.
    """
    path = check_readable(as_path(path))
    raw = read_bytes(path, 1 << 28)
    with reading(path, "SpatialLM layout"):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(f"{path}: not UTF-8 text ({exc})") from None
        entries = _parse(text, path)
        walls: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        for n, kind, ident, args in entries:
            if kind == "wall":
                ax, ay, _, bx, by, _, h, _ = _floats(args, path, n, f"wall_{ident}")
                a, b = np.array([ax, -ay]), np.array([bx, -by])  # worldnb (x, z)
                if np.linalg.norm(a - b) < 1e-6 or h <= 0:
                    raise FormatError(f"{path}: line {n}: wall_{ident} has no length or height")
                walls[f"wall_{ident}"] = (a, b, h)
        for n, kind, ident, args in entries:
            if kind in ("door", "window") and args[0] not in walls:
                raise FormatError(
                    f"{path}: line {n}: {kind}_{ident} is on {args[0]!r}, which no line defines"
                )
        scene = Scene()
        skipped = []
        if walls:
            segs = [(a, b) for a, b, _ in walls.values()]
            ring = _chain(segs) if len(segs) >= 3 else None
            closed = ring is not None
            if ring is None:
                import shapely

                pts = np.concatenate([np.array(s) for s in segs])
                hull = shapely.MultiPoint(pts).convex_hull
                if hull.geom_type != "Polygon":
                    raise FormatError(f"{path}: the walls enclose no floor (they are collinear)")
                ring = np.asarray(hull.exterior.coords)[:-1]
            height = float(max(h for _, _, h in walls.values()))
            room = Room(ring, height)
            openings = []
            for n, kind, ident, args in entries:
                if kind not in ("door", "window"):
                    continue
                x, y, z, width, h = _floats(args[1:], path, n, f"{kind}_{ident}")
                a, b, _ = walls[args[0]]
                mid = (a + b) / 2
                w = min(room.walls, key=lambda w: float(w.distance_to(mid)[0]))
                c = np.array([x, -y])
                offset = float((c - w.start) @ w.direction)
                sill = max(0.0, z - abs(h) / 2) if kind == "window" else 0.0
                top = z + abs(h) / 2
                try:
                    o = Opening(kind, w.id, offset, abs(width), top - sill, sill)
                    room.with_openings([*openings, o])
                    openings.append(o)
                except WorldnbError as exc:  # an opening the room refuses
                    skipped.append(f"{kind}_{ident}: {exc}")
            scene.room = room.with_openings(openings)
            scene.meta["spatiallm"] = {"walls_closed": closed, "skipped": skipped}
        for n, kind, ident, args in entries:
            if kind != "bbox":
                continue
            label = args[0].replace("_", " ").strip()
            if not label:
                raise FormatError(f"{path}: line {n}: bbox_{ident} has no class")
            x, y, z, angle, sx, sy, sz = _floats(args[1:], path, n, f"bbox_{ident}")
            box = OrientedBox((x, z, -y), (abs(sx), abs(sz), abs(sy)), angle)
            scene.add_object(label, box, id=ident)
        return scene
