"""Seeded procedural rooms: shape, doors and windows, materials, and furniture chosen
from the catalog and arranged by the layout planner.

Example:
    >>> scene = sample_room("office", seed=3)
    >>> scene.meta["kind"], {"desk", "office chair"} <= set(scene.labels())
    ('office', True)
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from ..catalog import ROOM_KINDS, add_meshes, entry
from ..errors import InfeasibleLayoutError, InputError
from ..layout import layout_to_scene, plan
from ..scene import Opening, Room, Scene
from .clutter import add_clutter

__all__ = ["ROOM_SIZES", "STYLES", "sample_room", "sample_shell"]

#: room kind → ((min, max) width, (min, max) depth) of its floor, metres
ROOM_SIZES = {
    "bedroom": ((3.2, 4.6), (3.0, 4.4)),
    "living_room": ((4.0, 6.0), (3.6, 5.2)),
    "dining_room": ((3.6, 5.0), (3.4, 4.6)),
    "office": ((2.8, 4.2), (2.8, 4.0)),
    "kitchen": ((3.0, 4.6), (2.8, 4.2)),
}
# kind → required items, then (item or items, probability) optional extras in priority order
_FURNITURE = {
    "bedroom": (
        ["bed", "nightstand", "wardrobe"],
        [("nightstand", 0.7), ("table lamp", 0.6), ("rug", 0.4), ("dresser", 0.4),
         ("mirror", 0.4), ("plant", 0.4), ("floor lamp", 0.3), (("desk", "office chair"), 0.25),
         ("bench", 0.2)],
    ),
    "living_room": (
        ["sofa", "tv stand", "tv", "coffee table"],
        [("armchair", 0.6), ("rug", 0.5), ("side table", 0.5), ("bookshelf", 0.5),
         ("plant", 0.6), ("floor lamp", 0.5), ("shelf", 0.3), ("cabinet", 0.2)],
    ),
    "dining_room": (
        ["dining table", "chair", "chair"],
        [(("chair", "chair"), 0.9), ("sideboard", 0.6), (("chair", "chair"), 0.4),
         ("plant", 0.5), ("rug", 0.3), ("cabinet", 0.3), ("shelf", 0.2)],
    ),
    "office": (
        ["desk", "office chair"],
        [("monitor", 0.8), ("bookshelf", 0.7), ("trash bin", 0.6), ("cabinet", 0.5),
         ("plant", 0.5), ("table lamp", 0.4), ("shelf", 0.3), ("armchair", 0.3),
         ("floor lamp", 0.3)],
    ),
    "kitchen": (
        ["counter", "sink", "stove", "fridge"],
        [("microwave", 0.6), ("trash bin", 0.5), (("dining table", "chair", "chair"), 0.35),
         ("plant", 0.3), ("cabinet", 0.3), ("shelf", 0.3)],
    ),
}  # fmt: skip
_FLOORS = {
    "bedroom": ["oak", "beige wool", "walnut"],
    "living_room": ["oak", "walnut", "grey ceramic"],
    "dining_room": ["oak", "walnut", "grey ceramic"],
    "office": ["grey wool", "oak", "grey laminate"],
    "kitchen": ["grey ceramic", "white ceramic", "terracotta"],
}
_WALLS = {
    "warm white": (0.93, 0.91, 0.86),
    "light grey": (0.82, 0.83, 0.84),
    "sage": (0.72, 0.78, 0.68),
    "pale blue": (0.74, 0.8, 0.86),
    "sand": (0.86, 0.8, 0.68),
}

#: decor style → wall colours, chance of wallpaper, preferred floors and furniture materials
STYLES = {
    "scandinavian": {
        "walls": ["warm white", "light grey"], "wallpaper": 0.1,
        "floors": ["oak", "beige wool", "white ceramic", "grey laminate"],
        "materials": ["oak", "white lacquer", "grey fabric", "beige wool", "white plastic",
                      "white ceramic", "white enamel"],
    },
    "classic": {
        "walls": ["sand", "sage", "pale blue", "warm white"], "wallpaper": 0.6,
        "floors": ["walnut", "oak", "beige wool", "terracotta"],
        "materials": ["walnut", "brown leather", "green fabric", "brass", "red wool",
                      "terracotta"],
    },
    "modern": {
        "walls": ["light grey", "warm white"], "wallpaper": 0.05,
        "floors": ["grey laminate", "grey ceramic", "grey wool", "white ceramic"],
        "materials": ["white lacquer", "black metal", "grey fabric", "black fabric",
                      "stainless steel", "grey wool", "black plastic", "grey metal"],
    },
    "cosy": {
        "walls": ["sage", "sand", "pale blue", "warm white"], "wallpaper": 0.4,
        "floors": ["oak", "walnut", "beige wool", "terracotta"],
        "materials": ["oak", "walnut", "blue fabric", "green fabric", "beige wool", "blue wool",
                      "terracotta"],
    },
}  # fmt: skip

#: below this soft score sample_room drops an optional piece and plans again
_GOOD_SCORE = 0.85


def _rng_for(kind: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([zlib.crc32(kind.encode()), int(seed)])


def _r(x: float, step: float = 0.05) -> float:
    return round(round(x / step) * step, 4)


def sample_shell(kind: str, rng: np.random.Generator | int, size=None) -> Room:
    """A room shape with one door and one or two windows (rectangular or L-shaped).

    Args:
        kind: a room kind (:data:`ROOM_SIZES` gives its size ranges).
        rng: a generator, or a seed: the shell :func:`sample_room` draws for that seed.
        size: ``(width, depth)`` in metres for a rectangle; drawn (maybe L-shaped) if None.
    """
    if kind not in ROOM_SIZES:
        raise InputError(f"kind: expected one of {', '.join(ROOM_SIZES)}, got {kind!r}")
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        rng = _rng_for(kind, int(rng))
    elif not isinstance(rng, np.random.Generator):
        raise InputError(f"rng: expected a numpy Generator or an integer seed, got {rng!r}")
    (w0, w1), (d0, d1) = ROOM_SIZES[kind]
    if size is None:
        W, D = _r(rng.uniform(w0, w1)), _r(rng.uniform(d0, d1))
    else:
        W, D = (float(v) for v in size)
    H = _r(rng.uniform(2.5, 2.9))
    lshape = size is None and rng.random() < 0.3
    if lshape:
        cw, cd = _r(W * rng.uniform(0.28, 0.4)), _r(D * rng.uniform(0.28, 0.4))
        # grow the room so the usable area stays about the same
        W, D = _r(W * 1.15), _r(D * 1.15)
        x0, z0 = -W / 2, -D / 2
        floor = [(x0, z0 + D), (x0 + W, z0 + D), (x0 + W, z0 + cd), (x0 + W - cw, z0 + cd),
                 (x0 + W - cw, z0), (x0, z0)]  # fmt: skip
        base = Room(floor, H)
    else:
        base = Room.rectangle(W, D, H)
    walls = [w for w in base.walls if w.length >= 1.7]
    if not walls:
        raise InputError(
            f"size: a {W:g} × {D:g} m room has no wall of 1.7 m for its door; use at least 1.7 m"
        )
    door_wall = walls[int(rng.integers(len(walls)))]
    dw = _r(rng.uniform(0.8, 0.92), 0.01)
    margin = 0.15 + dw / 2
    door = Opening("door", door_wall.id, _r(rng.uniform(margin, door_wall.length - margin), 0.01),
                   dw, _r(rng.uniform(2.0, 2.1), 0.01))  # fmt: skip
    openings = [door]
    others = [w for w in base.walls if w.id != door_wall.id and w.length >= 1.4]
    rng.shuffle(others)
    n_win = 1 if len(others) < 2 or rng.random() < 0.5 else 2
    for w in others[:n_win]:
        ww = min(_r(rng.uniform(0.8, 1.6)), round(w.length - 0.6, 4))
        sill = _r(rng.uniform(1.0, 1.1) if kind == "kitchen" else rng.uniform(0.85, 1.0))
        wh = _r(min(rng.uniform(1.0, 1.4), H - 0.25 - sill))
        lo = 0.3 + ww / 2
        off = _r(rng.uniform(lo, max(lo, w.length - 0.3 - ww / 2)), 0.01)
        openings.append(Opening("window", w.id, off, ww, wh, sill))
    return base.with_openings(openings)


def _need(name: str, size) -> float:
    """Floor a piece needs: its footprint grown by its access zones (m²)."""
    e = entry(name)
    if e.placement != "floor" or e.flat:
        return 0.0
    a = e.access
    if e.access_any:  # one free side is enough (a bed)
        return float((size[0] + max(a.values(), default=0)) * size[2])
    w = size[0] + a.get("left", 0) + a.get("right", 0)
    d = size[2] + a.get("front", 0) + a.get("back", 0)
    return float(w * d)


def _fit_on_supports(sized: list) -> list:
    """Shrink on-top pieces (TV, lamp, monitor, microwave) to fit the smallest of the
    supports their rules name that are present."""
    out = []
    for n, size in sized:
        e = entry(n)
        if e.placement == "on_top":
            targets = []
            for r in e.rules:
                if r["type"] == "on_top_of":
                    t = r["target"]
                    targets += t if isinstance(t, list) else [t]
            sups = [s for m, s in sized if m in targets]
            if sups:
                size = size.copy()
                size[0] = min(size[0], min(s[0] for s in sups) - 0.04)
                size[2] = min(size[2], min(s[2] for s in sups) - 0.02)
        out.append((n, size))
    return out


def _choose_items(kind: str, rng: np.random.Generator, area: float = np.inf) -> tuple[list, int]:
    """Required pieces, then optional extras while their floor needs (footprint plus
    access zones) stay under 65 % of the room's ``area``: rooms keep space to walk."""
    required, optional = _FURNITURE[kind]
    names = list(required)
    sizes = {}

    def size_of(n, k):
        key = (n, k)
        if key not in sizes:
            sizes[key] = entry(n).sample_size(rng)
        return sizes[key]

    sized = [(n, size_of(n, i)) for i, n in enumerate(names)]
    used = sum(_need(n, s) for n, s in sized)
    for what, p in optional:
        if rng.random() >= p:
            continue
        group = list(what) if isinstance(what, tuple) else [what]
        extra = [(n, entry(n).sample_size(rng)) for n in group]
        need = sum(_need(n, s) for n, s in extra)
        if used + need > 0.65 * area:
            continue
        used += need
        sized += extra
    # a lamp needs something to stand on
    present = {n for n, _ in sized}
    sized = [
        (n, s) for n, s in sized if n != "table lamp" or {"nightstand", "desk", "dresser"} & present
    ]
    # what stands on top fits on its support (a 1.45 m TV needs a stand at least as wide)
    sized = _fit_on_supports(sized)
    # chairs of one room match each other
    chairs = [s for n, s in sized if n == "chair"]
    if chairs:
        sized = [(n, chairs[0] if n == "chair" else s) for n, s in sized]
    return sized, len(required)


def sample_room(
    kind: str = "bedroom",
    seed: int = 0,
    style: str | None = None,
    size=None,
    time_limit: float = 1.0,
    *,
    textures: bool = True,
    clutter: bool = True,
) -> Scene:
    """A furnished procedural room.

    Args:
        kind: ``"bedroom"``, ``"living_room"``, ``"dining_room"``, ``"office"`` or
            ``"kitchen"``.
        seed: the same seed gives the same scene.
        style: decor style, one of :data:`STYLES` (wall colour and finish, floor,
            furniture materials); drawn from the seed when None.
        size: optional ``(width, depth)`` of a rectangular room in metres.
        time_limit: planner budget per attempt (s).
        textures: give the mesh layers procedural material textures (wood grain,
            fabric, tiles, parquet, plaster, wallpaper…); False keeps flat colours.
        clutter: scatter small labelled things (books, cups, potted plants, cushions,
            pictures, a rug) on supports, seats and walls
            (:func:`~worldnb.worlds.clutter.add_clutter`).

    Returns:
        A :class:`Scene` with the room, one object per piece (``attrs``: ``category``,
        ``material``, ``color``, ``name``), mesh layers ``"objects"`` (per-face object
        id in ``instance``) and ``"room"``, and ``meta`` (kind, seed, style, materials,
        the planner's score and time).
    """
    if kind not in ROOM_KINDS:
        raise InputError(f"kind: expected one of {', '.join(ROOM_KINDS)}, got {kind!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed: expected an integer >= 0, got {seed!r}")
    if size is not None:
        try:
            s = np.asarray(size, np.float64).reshape(-1)
        except (TypeError, ValueError):
            s = np.zeros(0)  # refused just below, with the value given
        # the door needs a wall of 1.7 m (0.8-0.92 m wide, 0.15 m from each corner)
        if s.shape != (2,) or not np.all(np.isfinite(s)) or np.any(s < 1.7) or np.any(s > 30):
            raise InputError(f"size: expected (width, depth) in metres, each 1.7–30, got {size!r}")
    # checked here, before any work, so a bad value is never reported as "could not furnish"
    real = int | float | np.integer | np.floating
    if isinstance(time_limit, bool) or not isinstance(time_limit, real):
        raise InputError(f"time_limit: expected seconds per planning attempt, got {time_limit!r}")
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise InputError(f"time_limit: expected a positive number of seconds, got {time_limit!r}")
    for name, flag in (("textures", textures), ("clutter", clutter)):
        if not isinstance(flag, bool | np.bool_):
            raise InputError(f"{name}: expected True or False, got {flag!r}")
    if style is not None and style not in STYLES:
        raise InputError(f"style: expected one of {', '.join(STYLES)} or None, got {style!r}")
    rng = _rng_for(kind, seed)
    room = sample_shell(kind, rng, size)
    items, n_required = _choose_items(kind, rng, room.area)
    floor = _FLOORS[kind][int(rng.integers(len(_FLOORS[kind])))]
    wall_name = list(_WALLS)[int(rng.integers(len(_WALLS)))]
    result, best, dropped = None, None, []
    for attempt in range(12):
        result = _plan_quietly(room, items, int(seed) * 31 + attempt, time_limit)
        if result is not None and (best is None or result.score > best.score):
            best = result
        # a layout that breaks many design rules (chairs far from their table) is worse
        # than one with fewer pieces: drop an optional piece and try again
        if result is not None and (result.score >= _GOOD_SCORE or len(items) <= n_required):
            break
        if len(items) > n_required:
            dropped.append(items[-1][0])
            items = _drop_last(items)
        else:
            # even the essentials do not fit: a slightly larger room, more search time
            W, D = room.floor_xz.max(0) - room.floor_xz.min(0)
            room = sample_shell(kind, rng, (_r(W * 1.1), _r(D * 1.1)))
            time_limit *= 1.5
    result = best
    if result is None:
        raise InfeasibleLayoutError(
            f"could not furnish a {kind} for seed {seed}", (f"{kind} seed {seed}",)
        )
    scene = layout_to_scene(result.layout, meshes=False, seed=int(seed))
    # decor comes from its own stream, so the furniture and layout of a seed stay put
    srng = np.random.default_rng([zlib.crc32(kind.encode()), int(seed), 11])
    style, floor, wall_name, wall_pattern = _decorate(scene, kind, style, floor, srng)
    small = []
    if clutter:
        small = add_clutter(
            scene, kind, np.random.default_rng([zlib.crc32(kind.encode()), seed, 13])
        )
    add_meshes(scene, seed=int(seed), floor=floor, wall=_WALLS[wall_name], textures=textures,
               wall_pattern=wall_pattern)  # fmt: skip
    scene.meta = {
        "source": "worldnb.worlds.sample_room",
        "kind": kind,
        "seed": int(seed),
        "style": style,
        "floor_material": floor,
        "wall_color": wall_name,
        "wall_pattern": wall_pattern,
        "clutter": len(small),
        "layout_score": round(result.score, 4),
        "solve_time_s": round(result.solve_time, 3),
        "dropped": dropped,
    }
    return scene


def _decorate(scene: Scene, kind: str, style, floor: str, rng: np.random.Generator):
    """Pick the style (when None), floor, wall colour and finish, and furniture materials
    the style prefers among those each piece's catalog entry allows."""
    if style is None:
        style = list(STYLES)[int(rng.integers(len(STYLES)))]
    st = STYLES[style]
    floors = [f for f in st["floors"] if f in _FLOORS[kind]] or [floor]
    floor = floors[int(rng.integers(len(floors)))]
    wall_name = st["walls"][int(rng.integers(len(st["walls"])))]
    wall_pattern = "wallpaper" if rng.random() < st["wallpaper"] else "plaster"
    chosen: dict[str, str] = {}  # pieces of one category match (dining chairs)
    for o in scene.objects:
        cat = o.attrs.get("category", o.label)
        liked = [m for m in entry(cat).materials if m in st["materials"]]
        if cat not in chosen and liked and rng.random() < 0.8:
            chosen[cat] = liked[int(rng.integers(len(liked)))]
        if cat in chosen:
            o.attrs["material"] = chosen[cat]
            o.attrs.pop("color", None)
    return style, floor, wall_name, wall_pattern


def _plan_quietly(room, items, seed, time_limit):
    """The planner without the failure report: a LayoutResult or None."""
    try:
        return plan(room, items, seed=seed, time_limit=time_limit, explain=False)
    except InfeasibleLayoutError:
        return None


def _drop_last(items):
    """Drop the last optional piece together with whatever stands on it."""
    name = items[-1][0]
    rest = items[:-1]
    if name in ("nightstand", "desk", "dresser", "counter", "tv stand"):
        supports = {"nightstand", "desk", "dresser", "counter", "tv stand"}
        on_top = {"table lamp", "monitor", "microwave", "tv"}
        if not any(n in supports for n, _ in rest):
            rest = [(n, s) for n, s in rest if n not in on_top]
    return rest
