"""A small hand-built textured room with exact ground truth, for demos, tests and benchmarks.

Walls, floor, ceiling and a few boxes are tiled with flat-coloured quads (each tile has
its own four vertices, so colours change sharply at tile edges, as texture does).
Rendering it gives an image whose true depth is known at every pixel.
"""

from __future__ import annotations

import numpy as np

from ..scene import Camera, Mesh, OrientedBox, Room, Scene

__all__ = ["textured_room", "textured_room_camera"]


def _tiled_quad(origin, u, v, nu, nv, base, rng, jitter=0.18):
    """A rectangle origin + [0,1]u + [0,1]v split into nu × nv flat-coloured tiles.

    Faces are wound so their normal is u × v.
    """
    origin, u, v = (np.asarray(a, np.float64) for a in (origin, u, v))
    i, j = np.meshgrid(np.arange(nu), np.arange(nv), indexing="ij")
    i, j = i.ravel(), j.ravel()
    corners = [(0, 0), (1, 0), (1, 1), (0, 1)]
    verts = np.stack(
        [origin + np.outer((i + a) / nu, u) + np.outer((j + b) / nv, v) for a, b in corners], 1
    )  # (T, 4, 3)
    checker = ((i + j) % 2)[:, None] * 0.12 - 0.06
    noise = rng.uniform(-jitter, jitter, size=(len(i), 3))
    col = np.clip(np.asarray(base)[None] + checker + noise * 0.5, 0, 1)
    n = len(i)
    faces = np.arange(n)[:, None, None] * 4 + np.array([[0, 1, 2], [0, 2, 3]]).reshape(1, 2, 3)
    return verts.reshape(-1, 3), faces.reshape(-1, 3), np.repeat(col, 4, axis=0)


def _box_quads(center, size, base, rng, tile=0.15):
    """The five visible faces of a box (no bottom), outward normals."""
    c, s = np.asarray(center, np.float64), np.asarray(size, np.float64)
    lo, hi = c - s / 2, c + s / 2
    out = []
    x, y, z = s
    faces = [
        ((lo[0], hi[1], lo[2]), (0, 0, z), (x, 0, 0)),  # +y
        ((lo[0], lo[1], hi[2]), (x, 0, 0), (0, y, 0)),  # +z
        ((hi[0], lo[1], hi[2]), (0, 0, -z), (0, y, 0)),  # +x
        ((hi[0], lo[1], lo[2]), (-x, 0, 0), (0, y, 0)),  # −z
        ((lo[0], lo[1], lo[2]), (0, 0, z), (0, y, 0)),  # −x
    ]
    for o, u, v in faces:
        nu = max(1, round(np.linalg.norm(u) / tile))
        nv = max(1, round(np.linalg.norm(v) / tile))
        out.append(_tiled_quad(o, u, v, nu, nv, base, rng, 0.25))
    return out


def _merge(parts):
    verts, faces, cols, off = [], [], [], 0
    for v, f, c in parts:
        verts.append(v)
        faces.append(f + off)
        cols.append(c)
        off += len(v)
    return np.concatenate(verts), np.concatenate(faces), np.concatenate(cols)


def textured_room(
    seed: int = 0, width: float = 5.0, depth: float = 6.0, height: float = 2.8, tile: float = 0.25
) -> Scene:
    """A closed rectangular room (x ∈ ±width/2, z ∈ ±depth/2, floor y = 0) with tiled
    walls and three coloured boxes, as mesh layers ``"room"`` and ``"objects"``.

    Example:
        >>> scene = textured_room()
        >>> sorted(scene.layers), [o.label for o in scene.objects]
        (['objects', 'room'], ['table', 'cabinet', 'crate'])
    """
    rng = np.random.default_rng(seed)
    w, d, h = width / 2, depth / 2, height
    nx, nz, ny = round(width / tile), round(depth / tile), round(height / tile)
    room = [
        _tiled_quad((-w, 0, -d), (0, 0, depth), (width, 0, 0), nz, nx, (0.62, 0.5, 0.38), rng),
        _tiled_quad((-w, h, -d), (width, 0, 0), (0, 0, depth), nx, nz, (0.9, 0.9, 0.86), rng),
        _tiled_quad((-w, 0, -d), (width, 0, 0), (0, h, 0), nx, ny, (0.75, 0.8, 0.9), rng),
        _tiled_quad((w, 0, d), (-width, 0, 0), (0, h, 0), nx, ny, (0.85, 0.78, 0.65), rng),
        _tiled_quad((-w, 0, d), (0, 0, -depth), (0, h, 0), nz, ny, (0.7, 0.85, 0.7), rng),
        _tiled_quad((w, 0, -d), (0, 0, depth), (0, h, 0), nz, ny, (0.88, 0.72, 0.72), rng),
    ]
    scene = Scene(room=Room.rectangle(width, depth, height=height))
    objs = [
        ("table", (-0.8, 0.375, -1.2), (1.2, 0.75, 0.8), (0.55, 0.3, 0.15)),
        ("cabinet", (1.6, 0.6, -2.5), (0.9, 1.2, 0.45), (0.2, 0.35, 0.7)),
        ("crate", (0.9, 0.25, 0.3), (0.5, 0.5, 0.5), (0.8, 0.7, 0.1)),
    ]
    parts, inst = [], []
    for k, (label, c, s, col) in enumerate(objs, start=1):
        quads = _box_quads(c, s, col, rng)
        parts += quads
        inst += [np.full(len(f), k, np.int32) for _, f, _ in quads]
        scene.add_object(label, OrientedBox(c, s), geometry="objects")
    v, f, c = _merge(room)
    scene.layers["room"] = Mesh(v, f, vertex_colors=c, instance=np.full(len(f), -1, np.int32))
    v, f, c = _merge(parts)
    scene.layers["objects"] = Mesh(v, f, vertex_colors=c, instance=np.concatenate(inst))
    return scene


def textured_room_camera(size: int = 256, yaw_deg: float = 0.0, fov_deg: float = 60.0) -> Camera:
    """The default input camera: 1.6 m high near the back wall, looking across the room
    and slightly down; ``yaw_deg`` turns it about the room's vertical axis through the
    point it looks at (positive: to the left)."""
    target = np.array([0.0, 0.9, -1.5])
    eye = np.array([0.0, 1.6, 2.4])
    a = np.radians(yaw_deg)
    off = eye - target
    rot = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    return Camera.look_at(target + rot @ off, target, fov_y_deg=fov_deg, width=size, height=size)
