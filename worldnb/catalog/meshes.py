"""Part-built furniture meshes (legs, seats, backs, headboards, shelves, doors,
cushions, …) with material colours, and the room shell.

Every builder draws inside the object's bounding box in its local frame: centred
on the box, +Y up, front = +Z. :func:`furniture_mesh` returns plain arrays;
:func:`add_meshes` puts all objects of a scene in one ``"objects"`` :class:`Mesh`
whose ``instance`` holds each face's object id, and the room in ``"room"``.

Example:
    >>> v, f, c, parts = furniture_mesh("chair", (0.45, 0.9, 0.5))
    >>> sorted(set(parts)) == ["back", "leg", "seat"]
    True
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..scene import Mesh, Scene
from ..transforms import triangulate_polygon
from ._parts import Parts
from .entries import entry
from .materials import PART_PATTERNS, Surface, bake_atlas, material_surface, vary

__all__ = ["MATERIALS", "add_meshes", "furniture_mesh", "room_mesh"]

#: material name → RGB in [0, 1]
MATERIALS = {
    "oak": (0.72, 0.55, 0.36),
    "walnut": (0.42, 0.28, 0.18),
    "white lacquer": (0.92, 0.91, 0.88),
    "grey fabric": (0.55, 0.56, 0.58),
    "blue fabric": (0.25, 0.36, 0.58),
    "green fabric": (0.33, 0.47, 0.34),
    "black fabric": (0.15, 0.15, 0.16),
    "brown leather": (0.45, 0.27, 0.16),
    "black metal": (0.12, 0.12, 0.13),
    "grey metal": (0.55, 0.57, 0.6),
    "brass": (0.78, 0.64, 0.3),
    "white plastic": (0.94, 0.94, 0.94),
    "black plastic": (0.08, 0.08, 0.09),
    "terracotta": (0.7, 0.38, 0.24),
    "white ceramic": (0.93, 0.93, 0.9),
    "grey ceramic": (0.5, 0.5, 0.52),
    "red wool": (0.62, 0.2, 0.2),
    "beige wool": (0.82, 0.74, 0.6),
    "blue wool": (0.3, 0.38, 0.55),
    "grey wool": (0.6, 0.6, 0.6),
    "grey laminate": (0.62, 0.62, 0.6),
    "stainless steel": (0.75, 0.76, 0.78),
    "white enamel": (0.95, 0.95, 0.95),
    "black enamel": (0.1, 0.1, 0.1),
    "grey": (0.5, 0.5, 0.5),
    "paper": (0.86, 0.83, 0.76),
}
#: material name → the colour word a person would use
COLOR_WORDS = {
    "oak": "light brown",
    "walnut": "dark brown",
    "white lacquer": "white",
    "grey fabric": "grey",
    "blue fabric": "blue",
    "green fabric": "green",
    "black fabric": "black",
    "brown leather": "brown",
    "black metal": "black",
    "grey metal": "grey",
    "brass": "gold",
    "white plastic": "white",
    "black plastic": "black",
    "terracotta": "orange",
    "white ceramic": "white",
    "grey ceramic": "grey",
    "red wool": "red",
    "beige wool": "beige",
    "blue wool": "blue",
    "grey wool": "grey",
    "grey laminate": "grey",
    "stainless steel": "silver",
    "white enamel": "white",
    "black enamel": "black",
    "grey": "grey",
    "paper": "white",
}
_DARK = (0.1, 0.1, 0.1)
_METAL = (0.6, 0.6, 0.62)
_BEDDING = (0.93, 0.93, 0.95)
_LEAF = (0.22, 0.5, 0.22)
_GLASS = (0.7, 0.82, 0.9)
_SHADE = (0.97, 0.94, 0.86)
_DOOR = (0.55, 0.4, 0.28)
_COVERS = [(0.55, 0.12, 0.1), (0.12, 0.25, 0.45), (0.15, 0.35, 0.2), (0.85, 0.75, 0.45),
           (0.2, 0.2, 0.22), (0.75, 0.45, 0.15), (0.5, 0.15, 0.35), (0.9, 0.9, 0.85)]  # fmt: skip
_CEILING = (0.96, 0.96, 0.96)


def _shade(c, k):
    return tuple(min(1.0, max(0.0, v * k)) for v in c)


def _legs(p, w, d, y0, y1, inset, t, color):
    for sx in (-1, 1):
        for sz in (-1, 1):
            x, z = sx * (w / 2 - inset - t / 2), sz * (d / 2 - inset - t / 2)
            p.box((x - t / 2, y0, z - t / 2), (x + t / 2, y1, z + t / 2), color, "leg")


def _bed(p, w, h, d, col):
    y = -h / 2
    frame_h, matt = 0.25, 0.22
    _legs(p, w, d, y, y + 0.1, 0.02, 0.06, _shade(col, 0.8))
    p.box((-w / 2, y + 0.1, -d / 2 + 0.06), (w / 2, y + frame_h, d / 2), col, "frame")
    p.box(
        (-w / 2 + 0.03, y + frame_h, -d / 2 + 0.08),
        (w / 2 - 0.03, y + frame_h + matt, d / 2 - 0.03),
        _BEDDING,
        "mattress",
    )
    p.box(
        (-w / 2 + 0.02, y + frame_h + matt, -d / 2 + 0.7),
        (w / 2 - 0.02, y + frame_h + matt + 0.04, d / 2 - 0.02),
        _shade(col, 1.15) if sum(col) > 1.5 else (0.45, 0.55, 0.7),
        "duvet",
    )
    p.box((-w / 2, y, -d / 2), (w / 2, h / 2, -d / 2 + 0.06), col, "headboard")
    n = 2 if w > 1.2 else 1
    pw = min(0.6, (w - 0.2) / n - 0.05)
    for i in range(n):
        cx = (i - (n - 1) / 2) * (w - 0.2) / n
        p.box(
            (cx - pw / 2, y + frame_h + matt, -d / 2 + 0.12),
            (cx + pw / 2, y + frame_h + matt + 0.12, -d / 2 + 0.5),
            (0.98, 0.98, 0.98),
            "pillow",
        )


def _storage(p, w, h, d, col, drawers: int, doors: int, plinth=0.08, top=None, top_inset=0.0):
    y = -h / 2
    p.box(
        (-w / 2 + 0.02, y, -d / 2 + 0.02),
        (w / 2 - 0.02, y + plinth, d / 2 - 0.04),
        _shade(col, 0.6),
        "plinth",
    )
    p.box(
        (-w / 2, y + plinth, -d / 2),
        (w / 2, h / 2 - (0.03 if top else 0), d / 2 - 0.02),
        col,
        "body",
    )
    if top:
        # top_inset leaves room above the top for a basin or burners (no coplanar faces)
        p.box((-w / 2, h / 2 - 0.03, -d / 2), (w / 2, h / 2 - top_inset, d / 2), top, "top")
    front_h = h - plinth - (0.03 if top else 0) - 0.02
    z0, z1 = d / 2 - 0.02, d / 2
    fc = _shade(col, 1.06)
    if drawers:
        dh = front_h / drawers
        for i in range(drawers):
            y0 = y + plinth + i * dh + 0.01
            p.box((-w / 2 + 0.01, y0, z0), (w / 2 - 0.01, y0 + dh - 0.015, z1), fc, "drawer")
            p.box(
                (-0.06, y0 + dh / 2 - 0.01, z1),
                (0.06, y0 + dh / 2 + 0.01, z1 - 0.0),
                _METAL,
                "handle",
            )
    if doors:
        dw = w / doors
        for i in range(doors):
            x0 = -w / 2 + i * dw + 0.005
            p.box(
                (x0, y + plinth + 0.01, z0), (x0 + dw - 0.01, y + plinth + front_h, z1), fc, "door"
            )
            hx = x0 + (dw - 0.06 if i % 2 == 0 else 0.04)
            ym = y + plinth + front_h / 2
            p.box((hx, ym - 0.08, z1 - 0.001), (hx + 0.015, ym + 0.08, z1), _METAL, "handle")


def _table(p, w, h, d, col, desk=False):
    t = 0.035
    _legs(p, w, d, -h / 2, h / 2 - t, 0.03, 0.05, _shade(col, 0.85))
    p.box((-w / 2, h / 2 - t, -d / 2), (w / 2, h / 2, d / 2), col, "top")
    if desk:
        p.box(
            (-w / 2 + 0.05, h / 2 - t - 0.25, -d / 2 + 0.04),
            (-w / 2 + 0.45, h / 2 - t, d / 2 - 0.04),
            _shade(col, 0.95),
            "drawer",
        )


def _chair(p, w, h, d, col):
    seat = -h / 2 + 0.45
    _legs(p, w, d, -h / 2, seat, 0.02, 0.04, _shade(col, 0.85))
    p.box((-w / 2, seat, -d / 2), (w / 2, seat + 0.04, d / 2), col, "seat")
    p.box((-w / 2, seat + 0.04, -d / 2), (w / 2, h / 2, -d / 2 + 0.04), col, "back")


def _office_chair(p, w, h, d, col):
    y = -h / 2
    for a in np.linspace(0, 2 * np.pi, 5, endpoint=False):
        x1, z1 = np.cos(a) * w / 2 * 0.9, np.sin(a) * d / 2 * 0.9
        lo = (min(0, x1) - 0.02, y + 0.04, min(0, z1) - 0.02)
        hi = (max(0, x1) + 0.02, y + 0.08, max(0, z1) + 0.02)
        p.box(lo, hi, _DARK, "base")
        p.cylinder((x1 * 0.95, z1 * 0.95), y, y + 0.04, 0.025, _DARK, "wheel", 6)
    seat = y + 0.48
    p.cylinder((0, 0), y + 0.08, seat, 0.03, _METAL, "column", 8)
    p.box(
        (-w / 2 + 0.05, seat, -d / 2 + 0.08), (w / 2 - 0.05, seat + 0.08, d / 2 - 0.02), col, "seat"
    )
    p.box((-w / 2 + 0.08, seat + 0.12, -d / 2), (w / 2 - 0.08, h / 2, -d / 2 + 0.08), col, "back")
    p.box((-0.03, seat, -d / 2 + 0.02), (0.03, seat + 0.14, -d / 2 + 0.08), _DARK, "back")


def _sofa(p, w, h, d, col, seats=None):
    y = -h / 2
    arm = 0.15 if w > 1.2 else 0.1
    _legs(p, w, d, y, y + 0.08, 0.04, 0.05, _DARK)
    p.box((-w / 2, y + 0.08, -d / 2), (w / 2, y + 0.3, d / 2), _shade(col, 0.9), "base")
    p.box((-w / 2, y + 0.08, -d / 2), (w / 2, h / 2, -d / 2 + 0.2), col, "back")
    for sx in (-1, 1):
        x0 = sx * w / 2
        p.box(
            (min(x0, x0 - sx * arm), y + 0.08, -d / 2),
            (max(x0, x0 - sx * arm), y + 0.6, d / 2),
            col,
            "arm",
        )
    n = seats or max(1, round((w - 2 * arm) / 0.65))
    cw = (w - 2 * arm) / n
    for i in range(n):
        x0 = -w / 2 + arm + i * cw
        p.box(
            (x0 + 0.01, y + 0.3, -d / 2 + 0.2),
            (x0 + cw - 0.01, y + 0.44, d / 2 - 0.02),
            _shade(col, 1.1),
            "cushion",
        )
        p.box(
            (x0 + 0.02, y + 0.44, -d / 2 + 0.2),
            (x0 + cw - 0.02, min(h / 2, y + 0.8), -d / 2 + 0.35),
            _shade(col, 1.1),
            "cushion",
        )


def _shelves(p, w, h, d, col, wall=False):
    t = 0.02
    y = -h / 2
    if wall:
        p.box((-w / 2, y, -d / 2), (w / 2, y + t, d / 2), col, "shelf")
        for sx in (-1, 1):
            x = sx * (w / 2 - 0.1)
            p.box(
                (x - 0.01, y - 0.0 + t, -d / 2), (x + 0.01, h / 2, -d / 2 + 0.04), _METAL, "bracket"
            )
        return
    p.box((-w / 2, y, -d / 2), (w / 2, h / 2, -d / 2 + 0.01), _shade(col, 0.9), "back")
    for sx in (-1, 1):
        p.box(
            (sx * w / 2 - (t if sx > 0 else 0), y, -d / 2),
            (sx * w / 2 + (0 if sx > 0 else t), h / 2, d / 2),
            col,
            "side",
        )
    n = max(2, int(h / 0.35))
    for i in range(n + 1):
        yy = y + i * (h - t) / n
        p.box((-w / 2 + t, yy, -d / 2), (w / 2 - t, yy + t, d / 2), col, "shelf")
    rng = np.random.default_rng(int(w * 1000) + int(h * 100))
    for i in range(n):
        yy = y + i * (h - t) / n + t
        x = -w / 2 + t + 0.02
        while x < w / 2 - 0.1:
            bw = rng.uniform(0.02, 0.05)
            bh = min(rng.uniform(0.15, 0.28), (h - t) / n - t - 0.02)
            c = tuple(rng.uniform(0.15, 0.8, 3))
            p.box((x, yy, -d / 2 + 0.03), (x + bw, yy + bh, d / 2 - 0.04), c, "book")
            x += bw + 0.003


def _screen(p, w, h, d, col):
    y = -h / 2
    p.box((-w * 0.15, y, -d / 2), (w * 0.15, y + 0.02, d / 2), col, "stand")
    p.box((-0.03, y + 0.02, -0.03), (0.03, y + 0.1, 0.0), col, "stand")
    p.box((-w / 2, y + 0.08, -0.03), (w / 2, h / 2, 0.0), col, "frame")
    p.box(
        (-w / 2 + 0.01, y + 0.09, 0.0),
        (w / 2 - 0.01, h / 2 - 0.01, 0.004),
        (0.03, 0.04, 0.06),
        "panel",
    )


def _lamp(p, w, h, d, col, floor=True):
    y = -h / 2
    r = min(w, d) / 2
    p.cylinder((0, 0), y, y + 0.03, r * 0.7, col, "base")
    shade_h = min(0.35, h * 0.35)
    p.cylinder((0, 0), y + 0.03, h / 2 - shade_h * 0.5, 0.012 if floor else 0.015, col, "pole", 8)
    p.cone((0, 0), h / 2 - shade_h, h / 2, r, r * 0.7, _SHADE, "shade")


def _plant(p, w, h, d, col):
    y = -h / 2
    r = min(w, d) / 2
    pot_h = min(0.35, h * 0.3)
    p.cone((0, 0), y, y + pot_h, r * 0.55, r * 0.7, col, "pot")
    p.cylinder((0, 0), y + pot_h - 0.02, y + pot_h, r * 0.65, (0.3, 0.2, 0.12), "soil")
    p.cylinder(
        (0, 0), y + pot_h, y + pot_h + (h - pot_h) * 0.4, 0.015, (0.35, 0.25, 0.15), "stem", 6
    )
    fh = (h - pot_h) * 0.8
    p.sphere((0, h / 2 - fh / 2, 0), 1.0, _LEAF, "foliage", scale=(r, fh / 2, r))


def _rug(p, w, h, d, col):
    # the border sits a few millimetres below the pattern so they never z-fight
    p.box((-w / 2, -h / 2, -d / 2), (w / 2, h / 2 - min(0.004, h / 3), d / 2), col, "rug")
    p.box(
        (-w / 2 + 0.1, -h / 2, -d / 2 + 0.1),
        (w / 2 - 0.1, h / 2, d / 2 - 0.1),
        _shade(col, 0.8),
        "pattern",
    )


def _counter(p, w, h, d, col, kind="counter"):
    top = (0.35, 0.35, 0.36) if kind != "stove" else _DARK
    doors = max(1, round(w / 0.5))
    _storage(
        p,
        w,
        h,
        d,
        col,
        drawers=1 if kind == "counter" else 0,
        # the oven door is the stove's front: no cupboard doors in the same plane
        doors=doors if kind == "sink" else 0,
        top=top,
        top_inset=0.0 if kind == "counter" else 0.004,
    )
    if kind == "sink":
        p.box(
            (-w / 2 + 0.1, h / 2 - 0.004, -d / 2 + 0.1),
            (w / 2 - 0.1, h / 2, d / 2 - 0.1),
            (0.7, 0.72, 0.75),
            "basin",
        )
        p.cylinder((0, -d / 2 + 0.06), h / 2, h / 2 + 0.25, 0.015, _METAL, "tap", 8)
    if kind == "stove":
        for sx in (-1, 1):
            for sz in (-1, 1):
                p.cylinder(
                    (sx * w / 4, sz * d / 5),
                    h / 2 - 0.004,
                    h / 2,
                    min(w, d) / 8,
                    (0.25, 0.25, 0.25),
                    "burner",
                    10,
                )
        p.box(
            (-w / 2 + 0.04, -h / 2 + 0.15, d / 2 - 0.01),
            (w / 2 - 0.04, h / 2 - 0.15, d / 2 + 0.0),
            (0.15, 0.15, 0.17),
            "oven door",
        )


def _fridge(p, w, h, d, col):
    p.box((-w / 2, -h / 2, -d / 2), (w / 2, h / 2, d / 2 - 0.03), col, "body")
    split = -h / 2 + h * 0.38
    p.box(
        (-w / 2, -h / 2 + 0.02, d / 2 - 0.03),
        (w / 2, split - 0.01, d / 2),
        _shade(col, 1.03),
        "door",
    )
    p.box(
        (-w / 2, split + 0.01, d / 2 - 0.03),
        (w / 2, h / 2 - 0.01, d / 2),
        _shade(col, 1.03),
        "door",
    )
    for y0, y1 in ((split - 0.35, split - 0.05), (split + 0.05, split + 0.45)):
        p.box((w / 2 - 0.07, y0, d / 2 - 0.0), (w / 2 - 0.05, y1, d / 2), _METAL, "handle")


def _microwave(p, w, h, d, col):
    p.box((-w / 2, -h / 2, -d / 2), (w / 2, h / 2, d / 2 - 0.01), col, "body")
    p.box(
        (-w / 2 + 0.02, -h / 2 + 0.03, d / 2 - 0.01),
        (w / 2 - 0.14, h / 2 - 0.03, d / 2),
        (0.1, 0.1, 0.12),
        "door",
    )
    p.box(
        (w / 2 - 0.12, -h / 2 + 0.03, d / 2 - 0.01),
        (w / 2 - 0.02, h / 2 - 0.03, d / 2),
        _DARK,
        "panel",
    )


def _mirror(p, w, h, d, col):
    p.box((-w / 2, -h / 2, -d / 2), (w / 2, h / 2, d / 2 - 0.005), col, "frame")
    p.box(
        (-w / 2 + 0.03, -h / 2 + 0.03, d / 2 - 0.005),
        (w / 2 - 0.03, h / 2 - 0.03, d / 2),
        _GLASS,
        "glass",
    )


def _bin(p, w, h, d, col):
    r = min(w, d) / 2
    p.cone((0, 0), -h / 2, h / 2 - 0.02, r * 0.85, r, col, "bin")
    p.cylinder((0, 0), h / 2 - 0.02, h / 2, r, _shade(col, 0.8), "lid")


def _bench(p, w, h, d, col):
    _legs(p, w, d, -h / 2, h / 2 - 0.05, 0.05, 0.05, _shade(col, 0.8))
    p.box((-w / 2, h / 2 - 0.05, -d / 2), (w / 2, h / 2, d / 2), col, "seat")
    p.box(
        (-w / 2 + 0.05, -h / 2 + 0.12, -d / 2 + 0.05),
        (w / 2 - 0.05, -h / 2 + 0.14, d / 2 - 0.05),
        _shade(col, 0.9),
        "shelf",
    )


def _palette(w, h, d, n):
    """``n`` book-cover colours, a deterministic function of the size."""
    rng = np.random.default_rng(int(w * 1e4) + 7 * int(h * 1e4) + 13 * int(d * 1e4))
    base = rng.choice(np.array(_COVERS), n)
    return [tuple(np.clip(c * rng.uniform(0.8, 1.15), 0, 1)) for c in base]


def _books(p, w, h, d, col):
    """A row of standing books (tall boxes) or a stack of lying ones (low boxes); pages
    show as a paper strip on each book's front edge."""
    y = -h / 2
    if h > 0.12:  # a row
        rng = np.random.default_rng(int(w * 1e4) + int(h * 1e3))
        widths = []
        while sum(widths) < w - 0.02:
            widths.append(min(rng.uniform(0.02, 0.05), w - sum(widths)))
        colors = _palette(w, h, d, len(widths))
        x = -w / 2
        for bw, c in zip(widths, colors, strict=True):
            bh, bd = h * rng.uniform(0.75, 1.0), d * rng.uniform(0.8, 1.0)
            z0 = -d / 2
            p.box((x, y, z0), (x + bw, y + bh, z0 + bd - 0.006), c, "book")
            lo, hi = (
                (x + 0.003, y + 0.004, z0 + bd - 0.006),
                (x + bw - 0.003, y + bh - 0.004, z0 + bd),
            )
            p.box(lo, hi, col, "pages")
            x += bw
        return
    n = max(2, round(h / 0.035))
    t = h / n
    colors = _palette(w, h, d, n)
    for i, c in enumerate(colors):
        k = 1.0 - 0.08 * (i % 3)
        bw, bd = w * k, d * (1.0 - 0.06 * ((i + 1) % 3))
        y0 = y + i * t
        p.box((-bw / 2, y0, -bd / 2), (bw / 2, y0 + t, bd / 2 - 0.006), c, "book")
        lo, hi = (
            (-bw / 2 + 0.004, y0 + 0.004, bd / 2 - 0.006),
            (bw / 2 - 0.004, y0 + t - 0.004, bd / 2),
        )
        p.box(lo, hi, col, "pages")


def _cup(p, w, h, d, col):
    r = min(d / 2, (w - 0.025) / 2)
    cx = -w / 2 + r
    p.cylinder((cx, 0), -h / 2, h / 2, r, col, "body", 14)
    p.cylinder((cx, 0), h / 2 - 0.012, h / 2, r * 0.85, (0.25, 0.15, 0.08), "coffee", 14)
    p.box((cx + r, -h / 4, -0.006), (w / 2, h / 4, 0.006), col, "handle")


def _cushion(p, w, h, d, col):
    p.box(
        (-w / 2, -h / 2 + 0.02, -d / 2 + 0.01), (w / 2, h / 2 - 0.02, d / 2 - 0.01), col, "cushion"
    )
    p.box(
        (-w / 2 + 0.02, -h / 2, -d / 2 + 0.02), (w / 2 - 0.02, h / 2, d / 2 - 0.02), col, "cushion"
    )
    p.cylinder((0, 0), -0.01, 0.01, 0.012, _shade(col, 0.7), "button", 8)
    # the button sits on the front face: turn the vertical cylinder to face +Z
    v = p.v[-1]
    p.v[-1] = np.column_stack([v[:, 0], -v[:, 2], v[:, 1] + d / 2 - 0.01])


def _frame(p, w, h, d, col):
    p.box((-w / 2, -h / 2, -d / 2), (w / 2, h / 2, d / 2 - 0.004), col, "frame")
    m = min(0.05, 0.12 * min(w, h))
    art = _palette(w, h, d, 1)[0]
    p.box((-w / 2 + m, -h / 2 + m, d / 2 - 0.004), (w / 2 - m, h / 2 - m, d / 2), art, "picture")


def _box(p, w, h, d, col):
    p.box((-w / 2, -h / 2, -d / 2), (w / 2, h / 2, d / 2), col, "body")


def _armchair(p, w, h, d, col):
    _sofa(p, w, h, d, col, seats=1)


_BUILDERS = {
    "bed": _bed,
    "drawers": lambda p, w, h, d, c: _storage(
        p, w, h, d, c, drawers=max(2, round(h / 0.25)), doors=0
    ),
    "wardrobe": lambda p, w, h, d, c: _storage(
        p, w, h, d, c, drawers=0, doors=max(2, round(w / 0.5))
    ),
    "cabinet": lambda p, w, h, d, c: _storage(
        p, w, h, d, c, drawers=0, doors=max(1, round(w / 0.45))
    ),
    "low_cabinet": lambda p, w, h, d, c: _storage(
        p, w, h, d, c, drawers=0, doors=max(2, round(w / 0.6))
    ),
    "table": _table,
    "desk": lambda p, w, h, d, c: _table(p, w, h, d, c, desk=True),
    "chair": _chair,
    "office_chair": _office_chair,
    "sofa": _sofa,
    "armchair": _armchair,
    "shelves": _shelves,
    "wall_shelf": lambda p, w, h, d, c: _shelves(p, w, h, d, c, wall=True),
    "screen": _screen,
    "floor_lamp": _lamp,
    "table_lamp": lambda p, w, h, d, c: _lamp(p, w, h, d, c, floor=False),
    "plant": _plant,
    "rug": _rug,
    "counter": lambda p, w, h, d, c: _counter(p, w, h, d, c, "counter"),
    "sink": lambda p, w, h, d, c: _counter(p, w, h, d, c, "sink"),
    "stove": lambda p, w, h, d, c: _counter(p, w, h, d, c, "stove"),
    "fridge": _fridge,
    "microwave": _microwave,
    "mirror": _mirror,
    "bin": _bin,
    "bench": _bench,
    "box": _box,
    "books": _books,
    "cup": _cup,
    "cushion": _cushion,
    "frame": _frame,
}


def _build(category: str, size, material: str | None):
    """The :class:`Parts` of one piece, its material name and base colour."""
    try:
        w, h, d = (float(v) for v in np.asarray(size, np.float64).reshape(3))
    except (TypeError, ValueError):
        raise InputError(f"size: expected (width, height, depth) in metres, got {size!r}") from None
    if not min(w, h, d) > 0 or not np.isfinite((w, h, d)).all():
        raise InputError(f"size: every extent must be a finite number > 0 m, got {(w, h, d)}")
    try:
        e = entry(category)
        shape = e.shape
        material = material or (e.materials[0] if e.materials else "grey")
    except InputError:
        shape, material = "box", material or "grey"
    col = MATERIALS.get(material, MATERIALS["grey"])
    p = Parts()
    _BUILDERS.get(shape, _box)(p, w, h, d, col)
    return p, material, col, (w, h, d)


def furniture_mesh(category: str, size, material: str | None = None):
    """Part-built mesh of one piece, in its local frame (centred, front = +Z).

    Args:
        category: catalog category (``"bed"``) or an unknown label (drawn as a box).
        size: (width, height, depth) in metres.
        material: a :data:`MATERIALS` name; the category's first material if None.

    Returns:
        ``(vertices (V, 3) float32, faces (F, 3) int32, colors (V, 3) float32,
        parts: list of part names, one per part, in order)``.

    Raises:
        InputError: a size that is not three finite extents > 0, or an unknown material.
    """
    if material is not None and (not isinstance(material, str) or material not in MATERIALS):
        raise InputError(f"material: expected one of {', '.join(MATERIALS)}, got {material!r}")
    p, _, _, (w, h, d) = _build(category, size, material)
    v, f, c, names = p.arrays()
    # keep every part inside the bounding box (thin details may poke a millimetre out)
    v = np.clip(v, [-w / 2, -h / 2, -d / 2], [w / 2, h / 2, d / 2])
    return v.astype(np.float32), f, c.astype(np.float32), names


def _part_surfaces(p: Parts, material: str, col, rng: np.random.Generator) -> list[Surface]:
    """One :class:`Surface` per part: the object's material (varied once per object, so
    all its wooden parts match) or the part's own pattern (bedding, leaves, handles)."""
    own = vary(material_surface(material, col), rng)
    ratio = np.asarray(own.color) / np.maximum(np.asarray(col, np.float64), 1e-3)
    out = []
    for name, pc in zip(p.names, p.colors, strict=True):
        pc = np.asarray(pc, np.float64)
        k = pc.mean() / max(float(np.mean(col)), 1e-3)
        if name in PART_PATTERNS:
            out.append(Surface(PART_PATTERNS[name], tuple(pc), own.scale, own.seed + 1))
        elif np.allclose(pc, np.clip(np.asarray(col) * k, 0, 1), atol=0.02):
            c = tuple(float(x) for x in np.clip(pc * ratio, 0, 1))
            out.append(Surface(own.pattern, c, own.scale, own.seed))
        else:
            out.append(Surface("plain", tuple(pc), 1.0, own.seed + 2))
    return out


def objects_mesh(
    scene: Scene, *, textures: bool = False, seed: int = 0, texel: float = 0.015
) -> Mesh:
    """One :class:`Mesh` of every object's part-built geometry (world frame), with
    ``instance`` = each face's object id. With ``textures``, faces also get texture
    coordinates into one atlas of their materials' patterns, varied per object by
    ``seed`` and the object id."""
    vs, local, fs, cs, inst, group, fsurf = [], [], [], [], [], [], []
    surfaces: dict[Surface, int] = {}
    n = n_parts = 0
    for o in scene.objects:
        p, material, col, (w, h, d) = _build(
            o.attrs.get("category", o.label), o.box.size, o.attrs.get("material")
        )
        v, f, c, _ = p.arrays()
        v = np.clip(v, [-w / 2, -h / 2, -d / 2], [w / 2, h / 2, d / 2])
        vs.append(v @ o.box.rotation.T + o.box.center)
        local.append(v)
        fs.append(f + n)
        cs.append(c)
        inst.append(np.full(len(f), o.id, np.int32))
        if textures:
            rng = np.random.default_rng([int(seed), int(o.id), 5])
            ids = [
                surfaces.setdefault(s, len(surfaces)) for s in _part_surfaces(p, material, col, rng)
            ]
            part = p.face_part()
            group.append(part + n_parts)
            fsurf.append(np.asarray(ids, np.int64)[part])
            n_parts += len(p.names)
        n += len(v)
    if not vs:
        return Mesh(np.zeros((0, 3)), np.zeros((0, 3), np.int32), instance=np.zeros(0, np.int32))
    cat = np.concatenate
    V, F, C, ids = cat(vs), cat(fs), cat(cs), cat(inst)
    if not textures:
        return Mesh(V, F, C, instance=ids)
    a = bake_atlas(cat(local), F, cat(group), cat(fsurf), list(surfaces), texel=texel)
    return Mesh(V[a.vertex], a.faces, C[a.vertex], a.uv, a.texture, instance=ids)


def add_meshes(
    scene: Scene,
    seed: int = 0,
    floor="oak",
    wall=(0.9, 0.88, 0.84),
    *,
    textures: bool = False,
    wall_pattern: str = "plaster",
    texel: float = 0.015,
) -> Scene:
    """Put the ``"objects"`` and ``"room"`` mesh layers into a scene (in place).

    With ``textures``, both layers carry an atlas of procedural material patterns
    (:mod:`worldnb.catalog.materials`); ``wall_pattern`` is ``"plaster"`` or
    ``"wallpaper"``; ``seed`` varies colours, scales and phases. ``texel`` is the
    furniture's texel size in metres; the room's large, plain surfaces use 1.5 times it
    (they hold most texels, and nothing on them is finer).
    """
    for o in scene.objects:
        o.geometry = "objects"
        if "material" in o.attrs and "color" not in o.attrs:
            o.attrs["color"] = COLOR_WORDS.get(o.attrs["material"], "grey")
    scene.layers["objects"] = objects_mesh(scene, textures=textures, seed=seed, texel=texel)
    if scene.room is not None:
        scene.layers["room"] = room_mesh(
            scene.room, floor, wall, textures=textures, wall_pattern=wall_pattern, seed=seed,
            texel=1.5 * texel,
        )  # fmt: skip
    return scene


def room_mesh(
    room,
    floor="oak",
    wall=(0.9, 0.88, 0.84),
    ceiling: bool = False,
    *,
    textures: bool = False,
    wall_pattern: str = "plaster",
    seed: int = 0,
    texel: float = 0.015,
) -> Mesh:
    """The room shell: floor, walls with holes for doors and windows (a door leaf and
    window glass drawn as coloured quads in the holes), optional ceiling. Faces point
    into the room. ``instance`` is −1 everywhere.

    With ``textures`` the shell carries an atlas: the floor material's planks, tiles or
    carpet, walls in ``wall_pattern`` (``"plaster"`` or ``"wallpaper"``), a wooden door
    and a plaster ceiling, varied by ``seed``.
    """
    fc = MATERIALS.get(floor, floor) if isinstance(floor, str) else floor
    wc = MATERIALS.get(wall, wall) if isinstance(wall, str) else wall
    vs, fs, cs, groups = [], [], [], []

    def add(v, f, color, group):
        n = sum(len(x) for x in vs)
        vs.append(np.asarray(v, np.float64))
        fs.append(np.asarray(f) + n)
        cs.append(np.tile(np.asarray(color, np.float64), (len(v), 1)))
        groups.append(np.full(len(f), group))

    def quad(p0, p1, p2, p3, color, group):
        # p0..p3 counter-clockwise seen from the side the face points to
        add([p0, p1, p2, p3], [[0, 1, 2], [0, 2, 3]], color, group)

    xz = room.floor_xz.astype(np.float64)
    tri = triangulate_polygon(xz)
    fv = np.column_stack([xz[:, 0], np.zeros(len(xz)), xz[:, 1]])
    # counter-clockwise seen from above, like the floor polygon: +Y normals
    add(fv, tri, fc, 0)
    if ceiling:
        add(fv + np.array([0.0, room.height, 0.0]), tri[:, [0, 2, 1]], _CEILING, 1)
    H = room.height
    for wi, w in enumerate(room.walls):
        a, b = w.start.astype(np.float64), w.end.astype(np.float64)
        L = w.length
        d = (b - a) / L
        ops = sorted((o for o in room.openings if o.wall == w.id), key=lambda o: o.offset)

        def rect(t0, t1, y0, y1, color, group, a=a, d=d):
            def pt(u, y):
                q = a + d * u
                return (q[0], y, q[1])

            if t1 - t0 > 1e-6 and y1 - y0 > 1e-6:
                # seen from inside (normal side), the wall runs start → end to the left
                quad(pt(t1, y0), pt(t0, y0), pt(t0, y1), pt(t1, y1), color, group)

        t = 0.0
        for oi, o in enumerate(ops):
            t0, t1 = o.offset - o.width / 2, o.offset + o.width / 2
            g = 2 + wi
            rect(t, t0, 0, H, wc, g)
            rect(t0, t1, 0, o.sill, wc, g)
            rect(t0, t1, o.sill + o.height, H, wc, g)
            if o.kind == "door":
                rect(t0, t1, 0, o.height, _DOOR, 1000 + 10 * wi + oi)
            else:
                rect(t0, t1, o.sill, o.sill + o.height, _GLASS, 2000 + 10 * wi + oi)
            t = t1
        rect(t, L, 0, H, wc, 2 + wi)
    v = np.concatenate(vs)
    f = np.concatenate(fs).astype(np.int32)
    c = np.clip(np.concatenate(cs), 0, 1)
    inst = np.full(len(f), -1, np.int32)
    if not textures:
        return Mesh(v, f, c, instance=inst)
    group = np.concatenate(groups)
    rng = np.random.default_rng([int(seed), 17])
    name = floor if isinstance(floor, str) else ""
    looks = [
        vary(material_surface(name, fc, floor=True), rng, 0.6),
        Surface("plaster", _CEILING, 1.0, 1, True),
        vary(Surface(wall_pattern, tuple(wc), 1.0, 0, True), rng, 0.5),
        vary(Surface("wood", _DOOR), rng),
        Surface("plain", _GLASS),
    ]
    kind = np.select([group == 0, group == 1, group < 1000, group < 2000], [0, 1, 2, 3], 4)
    atlas = bake_atlas(v, f, group, kind, looks, texel=texel)
    return Mesh(
        v[atlas.vertex], atlas.faces, c[atlas.vertex], atlas.uv, atlas.texture, instance=inst
    )


def ceiling_mesh(room, *, textures: bool = True, seed: int = 0, texel: float = 0.03) -> Mesh:
    """The ceiling alone (faces pointing down), painted plaster when ``textures``."""
    xz = room.floor_xz.astype(np.float64)
    tri = triangulate_polygon(xz)[:, [0, 2, 1]]
    v = np.column_stack([xz[:, 0], np.full(len(xz), room.height), xz[:, 1]])
    c = np.tile(np.asarray(_CEILING, np.float64), (len(v), 1))
    inst = np.full(len(tri), -1, np.int32)
    if not textures:
        return Mesh(v, tri, c, instance=inst)
    look = Surface("plaster", _CEILING, 1.0, int(seed), True)
    zero = np.zeros(len(tri), np.int64)
    a = bake_atlas(v, tri, zero, zero, [look], texel=texel)
    return Mesh(v[a.vertex], a.faces, c[a.vertex], a.uv, a.texture, instance=inst)
