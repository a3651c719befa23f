"""A tiny kit of mesh parts: boxes and cylinders with one colour each.

Parts are collected in a :class:`Parts` builder in an object's local frame (centred
on its bounding box, front = +Z) and merged into plain arrays.
"""

from __future__ import annotations

import math

import numpy as np

# cube corners (bit 2 = x, bit 1 = y, bit 0 = z), faces counter-clockwise from outside
_CUBE_V = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)], np.float64) - 0.5
_CUBE_F = np.array(
    [
        [0, 1, 3], [0, 3, 2],  # -x
        [4, 6, 7], [4, 7, 5],  # +x
        [0, 4, 5], [0, 5, 1],  # -y
        [2, 3, 7], [2, 7, 6],  # +y
        [0, 2, 6], [0, 6, 4],  # -z
        [1, 5, 7], [1, 7, 3],  # +z
    ],
    np.int32,
)  # fmt: skip


class Parts:
    """Collects coloured parts; :meth:`arrays` returns (vertices, faces, colors, part)."""

    def __init__(self):
        self.v: list[np.ndarray] = []
        self.f: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.names: list[str] = []
        self.colors: list[tuple] = []
        self._n = 0

    def _add(self, v, f, color, name):
        self.v.append(v)
        self.f.append(f + self._n)
        self.c.append(np.tile(np.asarray(color, np.float64), (len(v), 1)))
        self.names.append(name)
        self.colors.append(tuple(float(x) for x in color))
        self._n += len(v)

    def box(self, lo, hi, color, name="part"):
        """An axis-aligned box between corners ``lo`` and ``hi`` (local metres)."""
        lo, hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
        size = np.maximum(hi - lo, 1e-4)
        self._add(_CUBE_V * size + (lo + hi) / 2, _CUBE_F, color, name)

    def cylinder(self, center_xz, y0, y1, radius, color, name="part", segments=12):
        """A vertical cylinder (closed) from height ``y0`` to ``y1``."""
        a = np.linspace(0, 2 * math.pi, segments, endpoint=False)
        ring = np.stack([np.cos(a) * radius + center_xz[0], np.sin(a) * radius + center_xz[1]], 1)
        bottom = np.column_stack([ring[:, 0], np.full(segments, y0), ring[:, 1]])
        top = np.column_stack([ring[:, 0], np.full(segments, y1), ring[:, 1]])
        v = np.concatenate(
            [bottom, top, [[center_xz[0], y0, center_xz[1]]], [[center_xz[0], y1, center_xz[1]]]]
        )
        i = np.arange(segments)
        j = (i + 1) % segments
        cb, ct = 2 * segments, 2 * segments + 1
        side = np.concatenate(
            [np.stack([i, segments + j, j], 1), np.stack([i, segments + i, segments + j], 1)]
        )
        caps = np.concatenate(
            [
                np.stack([np.full(segments, cb), i, j], 1),
                np.stack([np.full(segments, ct), segments + j, segments + i], 1),
            ]
        )
        self._add(v, np.concatenate([side, caps]).astype(np.int32), color, name)

    def cone(self, center_xz, y0, y1, r0, r1, color, name="part", segments=12):
        """A vertical truncated cone (lamp shade, pot) from radius r0 at y0 to r1 at y1."""
        a = np.linspace(0, 2 * math.pi, segments, endpoint=False)
        cx, cz = center_xz
        bottom = np.column_stack([np.cos(a) * r0 + cx, np.full(segments, y0), np.sin(a) * r0 + cz])
        top = np.column_stack([np.cos(a) * r1 + cx, np.full(segments, y1), np.sin(a) * r1 + cz])
        v = np.concatenate([bottom, top, [[cx, y0, cz]], [[cx, y1, cz]]])
        i = np.arange(segments)
        j = (i + 1) % segments
        cb, ct = 2 * segments, 2 * segments + 1
        f = np.concatenate([
            np.stack([i, segments + j, j], 1), np.stack([i, segments + i, segments + j], 1),
            np.stack([np.full(segments, cb), i, j], 1),
            np.stack([np.full(segments, ct), segments + j, segments + i], 1),
        ])  # fmt: skip
        self._add(v, f.astype(np.int32), color, name)

    def sphere(self, center, radius, color, name="part", scale=(1.0, 1.0, 1.0)):
        """A low-poly ellipsoid (an octahedron subdivided once)."""
        v = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], float)
        f = np.array(
            [[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]]
        )
        verts = list(v)
        faces = []
        mid = {}

        def m(a, b):
            k = (min(a, b), max(a, b))
            if k not in mid:
                p = verts[a] + verts[b]
                verts.append(p / np.linalg.norm(p))
                mid[k] = len(verts) - 1
            return mid[k]

        for a, b, c in f:
            ab, bc, ca = m(a, b), m(b, c), m(c, a)
            faces += [[a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]]
        vv = np.asarray(verts) * radius * np.asarray(scale) + np.asarray(center, float)
        self._add(vv, np.asarray(faces, np.int32), color, name)

    def face_part(self) -> np.ndarray:
        """(F,) int index of the part each face of :meth:`arrays` belongs to."""
        return np.repeat(np.arange(len(self.f)), [len(f) for f in self.f]).astype(np.int64)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        if not self.v:
            return np.zeros((0, 3)), np.zeros((0, 3), np.int32), np.zeros((0, 3)), []
        return (
            np.concatenate(self.v),
            np.concatenate(self.f).astype(np.int32),
            np.clip(np.concatenate(self.c), 0, 1),
            list(self.names),
        )
