"""Lighting of the procedural rooms, applied per pixel to rendered albedo (deferred
shading).

:func:`worldnb.render` draws the textured room lighting-free: its ``rgb`` is the
albedo, and its ``depth`` and ``normals`` place every pixel in the world. :func:`shade`
then lights each pixel with

- an ambient term, darkened near the floor, walls, ceiling and furniture (a
  distance-based ambient-occlusion approximation: soft contact shadows);
- sunlight through the windows: a pixel is sunlit when the ray towards the sun leaves
  the room through a window and no piece of furniture (its box) is in the way;
- skylight from each window (a small area light, Lambert on both sides);
- ceiling lamps and, in the evening, the room's table and floor lamps (point lights
  with box shadows);

with Lambert's cosine from the per-pixel normal. White balance and exposure vary per
image; the window glass shows the sky.

:func:`render_room` puts it together: albedo, lit colour and exact geometry maps for
a list of cameras.

Example:
    >>> from worldnb import worlds
    >>> scene = worlds.sample_room("office", seed=1)
    >>> cams = worlds.room_cameras(scene, 1, 32, np.random.default_rng(0))
    >>> shot = render_room(scene, cams, seed=0)
    >>> shot.rgb.shape, shot.albedo.shape, shot.lighting[0].style in LIGHTING_STYLES
    ((1, 32, 32, 3), (1, 32, 32, 3), True)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np

from ..errors import InputError
from ..scene import Camera, Scene

__all__ = [
    "LIGHTING_STYLES",
    "SURFACE_LABELS",
    "Lighting",
    "RoomRender",
    "render_room",
    "sample_lighting",
    "shade",
    "surface_map",
]

#: the kinds of light :func:`sample_lighting` draws from
LIGHTING_STYLES = ("day", "overcast", "evening", "night")
#: values of :func:`surface_map` (and the dataset's ``surface`` PNGs)
SURFACE_LABELS = ["none", "floor", "wall", "ceiling", "door", "window", "object"]

_EPS = 0.012  # m: a pixel this close to a room plane lies on it


@dataclass
class Lighting:
    """The light of one image (all colours linear RGB, strengths relative).

    Attributes:
        style: one of :data:`LIGHTING_STYLES`.
        ambient: ambient light strength.
        ambient_color: (3,) ambient tint.
        sun: (3,) unit direction the sunlight travels (downwards), or None.
        sun_strength: sunlight strength where it falls.
        sun_color: (3,) sunlight tint.
        sky: skylight strength through each window.
        sky_color: (3,) skylight tint (also the colour the window glass shows).
        lamps: positions (x, y, z) of point lights (m).
        lamp_strength: point light strength.
        lamp_color: (3,) lamp tint.
        ao: strength of the contact darkening (0 = none).
        white_balance: (3,) per-channel gains of the camera.
        exposure: exposure relative to auto exposure (1 = auto).
    """

    style: str = "day"
    ambient: float = 0.45
    ambient_color: tuple = (1.0, 1.0, 1.0)
    sun: tuple | None = None
    sun_strength: float = 0.0
    sun_color: tuple = (1.0, 0.95, 0.85)
    sky: float = 1.0
    sky_color: tuple = (0.85, 0.92, 1.0)
    lamps: list = field(default_factory=list)
    lamp_strength: float = 0.0
    lamp_color: tuple = (1.0, 0.85, 0.65)
    ao: float = 0.6
    white_balance: tuple = (1.0, 1.0, 1.0)
    exposure: float = 1.0

    def to_dict(self) -> dict:
        """JSON-serialisable fields."""
        d = asdict(self)
        return {
            k: (
                [list(map(float, p)) for p in v]
                if k == "lamps"
                else (list(map(float, v)) if isinstance(v, tuple | list | np.ndarray) else v)
            )
            for k, v in d.items()
        }


def _ceiling_lamps(room) -> list:
    """One lamp per ~12 m² along the room's long axis, 25 cm under the ceiling."""
    import shapely

    poly = room.polygon
    n = int(np.clip(round(room.area / 12), 1, 3))
    lo, hi = np.asarray(poly.bounds[:2]), np.asarray(poly.bounds[2:])
    ax = int(np.argmax(hi - lo))
    out = []
    for i in range(n):
        p = (lo + hi) / 2
        p[ax] = lo[ax] + (i + 0.5) * (hi[ax] - lo[ax]) / n
        if not poly.contains(shapely.Point(p)):
            c = poly.representative_point()
            p = np.array([c.x, c.y])
        out.append((float(p[0]), float(room.height - 0.25), float(p[1])))
    return out


def _kelvin_gains(shift: float) -> tuple:
    """White-balance gains for a colour-temperature shift in [-1, 1] (warm .. cool)."""
    g = np.array([1.0 - 0.12 * shift, 1.0, 1.0 + 0.12 * shift])
    return tuple(float(x) for x in g / g.mean())


def sample_lighting(scene: Scene, rng: np.random.Generator, style: str | None = None) -> Lighting:
    """A random :class:`Lighting` for a room (style drawn from :data:`LIGHTING_STYLES`
    unless given)."""
    if not isinstance(scene, Scene):
        raise InputError(f"scene: expected a worldnb.Scene, got {type(scene).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise InputError(
            f"rng: expected a numpy Generator (np.random.default_rng(seed)), got {rng!r}"
        )
    if style is None:
        style = LIGHTING_STYLES[int(rng.choice(len(LIGHTING_STYLES), p=[0.4, 0.25, 0.2, 0.15]))]
    if style not in LIGHTING_STYLES:
        raise InputError(f"style: expected one of {', '.join(LIGHTING_STYLES)}, got {style!r}")
    room = scene.room
    lamps = _ceiling_lamps(room) if room is not None else []
    az = rng.uniform(0, 2 * np.pi)
    el = np.radians(rng.uniform(20, 55))
    sun = (float(np.cos(el) * np.cos(az)), float(-np.sin(el)), float(np.cos(el) * np.sin(az)))
    L = Lighting(style=style, white_balance=_kelvin_gains(rng.uniform(-1, 1)))
    L.exposure = float(np.exp(rng.normal(0, 0.18)))
    L.ao = float(rng.uniform(0.45, 0.8))
    if style == "day":
        L.ambient, L.sun, L.sun_strength = rng.uniform(0.35, 0.55), sun, rng.uniform(1.8, 3.0)
        L.sky, L.ambient_color = rng.uniform(1.0, 2.0), (0.95, 0.98, 1.05)
    elif style == "overcast":
        L.ambient, L.sky = rng.uniform(0.5, 0.7), rng.uniform(1.5, 2.5)
        L.sky_color, L.ambient_color = (0.9, 0.93, 0.97), (0.97, 0.99, 1.02)
    elif style == "evening":
        L.ambient, L.sky = rng.uniform(0.2, 0.3), rng.uniform(0.3, 0.7)
        L.sky_color, L.ambient_color = (1.0, 0.7, 0.5), (1.05, 0.95, 0.85)
        L.sun, L.sun_strength = (sun[0], -0.2, sun[2]), rng.uniform(0.8, 1.6)
        L.sun_color = (1.0, 0.6, 0.35)
        L.lamps, L.lamp_strength = lamps + _object_lamps(scene), rng.uniform(0.6, 1.1)
    else:  # night
        L.ambient, L.sky = rng.uniform(0.1, 0.2), 0.05
        L.sky_color, L.ambient_color = (0.25, 0.3, 0.45), (1.0, 0.92, 0.8)
        L.lamps, L.lamp_strength = lamps + _object_lamps(scene), rng.uniform(0.9, 1.5)
    L.ambient, L.sky, L.sun_strength = float(L.ambient), float(L.sky), float(L.sun_strength)
    L.lamp_strength = float(L.lamp_strength)
    if L.sun is not None:
        s = np.asarray(L.sun, np.float64)
        L.sun = tuple(float(x) for x in s / np.linalg.norm(s))
    return L


def _object_lamps(scene: Scene) -> list:
    """Table and floor lamps of the scene glow from inside their shades."""
    out = []
    for o in scene.objects:
        if o.label in ("table lamp", "floor lamp"):
            c = o.box.center.astype(np.float64)
            out.append((float(c[0]), float(o.box.top - 0.12), float(c[2])))
    return out


def surface_map(depth, normals, instance, camera: Camera, room) -> np.ndarray:
    """(H, W) int8 :data:`SURFACE_LABELS` index per pixel, from exact geometry.

    Room-shell pixels (``instance`` < 0 with finite depth) are classified by where they
    lie: on the floor plane, the ceiling plane, or a wall, and there inside a door or
    window opening. Object pixels are ``"object"``.
    """
    depth = np.asarray(depth, np.float32)
    hit = np.isfinite(depth)
    out = np.zeros(depth.shape, np.int8)
    out[hit & (np.asarray(instance) >= 0)] = 6
    shell = hit & (np.asarray(instance) < 0)
    if room is None or not shell.any():
        return out
    P = camera.unproject(np.where(hit, depth, 1.0))[shell].astype(np.float64)
    n = np.asarray(normals, np.float64)[shell]
    kind = np.full(len(P), 2, np.int8)
    kind[(np.abs(P[:, 1]) < _EPS) & (n[:, 1] > 0.5)] = 1
    kind[(np.abs(P[:, 1] - room.height) < _EPS) & (n[:, 1] < -0.5)] = 3
    for o in room.openings:
        w = room.wall(o.wall)
        a = w.start.astype(np.float64)
        d = w.direction.astype(np.float64)
        rel = P[:, [0, 2]] - a
        along = rel @ d
        off = np.abs(rel @ w.normal.astype(np.float64))
        inside = (
            (kind == 2) & (off < _EPS) & (np.abs(along - o.offset) <= o.width / 2 + 1e-4)
            & (P[:, 1] >= o.sill - 1e-4) & (P[:, 1] <= o.sill + o.height + 1e-4)
        )  # fmt: skip
        kind[inside] = 4 if o.kind == "door" else 5
    out[shell] = kind
    return out


def _boxes(scene: Scene):
    """Object boxes as arrays: ids (M,), centres (M, 3), rotations (M, 3, 3), halves (M, 3)."""
    objs = scene.objects
    if not objs:
        z = np.zeros((0, 3))
        return np.zeros(0, np.int64), z, np.zeros((0, 3, 3)), z
    ids = np.array([o.id for o in objs])
    c = np.stack([o.box.center for o in objs]).astype(np.float64)
    R = np.stack([o.box.rotation for o in objs]).astype(np.float64)
    h = np.stack([o.box.size for o in objs]).astype(np.float64) / 2
    return ids, c, R, h


def _in_box_frame(P, k, boxes):
    """Components (x, y, z) of (N, 3) points in box ``k``'s frame (three (N,) arrays)."""
    _, C, R, _ = boxes
    d = [P[:, i] - C[k, i] for i in range(3)]
    return [d[0] * R[k, 0, j] + d[1] * R[k, 1, j] + d[2] * R[k, 2, j] for j in range(3)]


def _blocked(P, D, t_max, boxes, own, skip=None) -> np.ndarray:
    """(N,) True where the segment ``P + s·D`` (0 < s < t_max) passes through a box other
    than the pixel's own object (slab test in each box's frame)."""
    ids, _, R, Hh = boxes
    out = np.zeros(len(P), bool)
    for k in range(len(ids)):
        if (skip is not None and ids[k] in skip) or Hh[k].max() < 0.12:
            continue  # small things (a cup, a book) cast no shadow worth a test
        q = _in_box_frame(P, k, boxes)
        tn = np.full(len(P), -np.inf, P.dtype)
        tf = np.full(len(P), np.inf, P.dtype)
        for j in range(3):  # one slab per axis (component-wise: no small-axis reductions)
            dq = D[..., 0] * R[k, 0, j] + D[..., 1] * R[k, 1, j] + D[..., 2] * R[k, 2, j]
            inv = 1.0 / np.where(np.abs(dq) < 1e-12, 1e-12, dq)
            t0 = (-Hh[k, j] - q[j]) * inv
            t1 = (Hh[k, j] - q[j]) * inv
            tn = np.maximum(tn, np.minimum(t0, t1))
            tf = np.minimum(tf, np.maximum(t0, t1))
        out |= (tn <= tf) & (tf > 1e-3) & (tn < t_max) & (own != ids[k])
    return out


def _occlusion(P, N, own, room, boxes) -> np.ndarray:
    """(N,) ambient visibility in (0, 1]: darker close to other surfaces."""
    vis = np.ones(len(P), P.dtype)
    if room is not None:
        planes = [(P[:, 1], (0.0, 1.0, 0.0)), (room.height - P[:, 1], (0.0, -1.0, 0.0))]
        for w in room.walls:
            d = w.distance_to(P[:, [0, 2]]).astype(P.dtype)
            planes.append((d, (float(w.normal[0]), 0.0, float(w.normal[1]))))
        for d, (a, b, c) in planes:
            facing = np.clip(1.0 - (N[:, 0] * a + N[:, 1] * b + N[:, 2] * c), 0.0, 1.0)
            vis *= 1.0 - 0.55 * facing * np.exp(-np.maximum(d, 0) / 0.22)
    ids, _, R, Hh = boxes
    for k in range(len(ids)):
        r = 0.06 + 0.15 * min(1.0, float(Hh[k].max()))
        q = _in_box_frame(P, k, boxes)
        diff = [np.clip(q[j], -Hh[k, j], Hh[k, j]) - q[j] for j in range(3)]
        d = np.sqrt(diff[0] ** 2 + diff[1] ** 2 + diff[2] ** 2)
        near = d < 6 * r  # farther than this the darkening is below 0.25 %
        if not near.any():
            continue
        # the normal in the box frame, dotted with the direction to the box's nearest point
        nq = [N[:, 0] * R[k, 0, j] + N[:, 1] * R[k, 1, j] + N[:, 2] * R[k, 2, j] for j in range(3)]
        toward = (nq[0] * diff[0] + nq[1] * diff[1] + nq[2] * diff[2]) / np.maximum(d, 1e-9)
        # as for the planes: 0 facing away from the box, 1 beside or facing it
        facing = np.where(d < 1e-3, 1.0, np.clip(1.0 + toward, 0.0, 1.0))
        occ = 0.5 * facing * np.exp(-d / r)
        vis *= np.where((own == ids[k]) | ~near, 1.0, 1.0 - occ)
    return np.clip(vis, 0.2, 1.0)


def shade(
    albedo,
    depth,
    normals,
    instance,
    camera: Camera,
    scene: Scene,
    lighting: Lighting,
    surface=None,
) -> np.ndarray:
    """Light a rendered albedo image (deferred shading).

    Args:
        albedo: (H, W, 3) lighting-free colours (``render(...).rgb`` of a textured room).
        depth: (H, W) camera z (m), ``inf`` where nothing was hit.
        normals: (H, W, 3) world unit normals facing the camera.
        instance: (H, W) object id per pixel (−1 = room shell or nothing).
        camera: the camera the maps were rendered from.
        scene: the room and its objects (boxes cast shadows and darken their surroundings).
        lighting: the :class:`Lighting`.
        surface: optional (H, W) :func:`surface_map` (computed when None).

    Returns:
        (H, W, 3) float32 lit colours in [0, 1].
    """
    if not isinstance(lighting, Lighting):
        raise InputError(f"lighting: expected a worlds.Lighting, got {type(lighting).__name__}")
    H, W = camera.height, camera.width
    albedo = np.asarray(albedo, np.float32)
    depth = np.asarray(depth, np.float32)
    instance = np.asarray(instance)
    for name, arr, shape in (("albedo", albedo, (H, W, 3)), ("depth", depth, (H, W)),
                             ("normals", np.asarray(normals), (H, W, 3)),
                             ("instance", instance, (H, W))):  # fmt: skip
        if arr.shape != shape:
            raise InputError(f"{name}: expected shape {shape} for this camera, got {arr.shape}")
    room = scene.room
    if surface is None:
        surface = surface_map(depth, normals, instance, camera, room)
    hit = np.isfinite(depth)
    # columns contiguous: the lighting works on x, y, z components of many pixels
    P = np.asfortranarray(camera.unproject(np.where(hit, depth, 1.0))[hit], np.float32)
    N = np.asfortranarray(np.asarray(normals, np.float32)[hit])
    own = instance[hit].astype(np.int64)
    A = albedo[hit].astype(np.float64)
    boxes = _boxes(scene)
    L = lighting
    E = (L.ambient * _occlusion(P, N, own, room, boxes) * L.ao + L.ambient * (1 - L.ao))[:, None]
    E = E * np.asarray(L.ambient_color)
    windows = room.windows if room is not None else ()
    Pn = P + N * 0.01  # shadow rays start just off the surface
    for o in windows:
        w = room.wall(o.wall)
        nw = np.array([w.normal[0], 0.0, w.normal[1]], np.float64)
        cx, cy, cz = room.opening_center(o).astype(np.float64)
        area = o.width * o.height
        V = np.asfortranarray(np.array([cx, cy, cz], np.float32) + 0.05 * nw - P, np.float32)
        r2 = _dot(V, V)
        Vn = V / np.sqrt(r2)[:, None]
        cos_p = np.clip(_dot(N, Vn), 0, 1)
        cos_w = np.clip(-_dot(Vn, nw), 0, 1)
        E += (L.sky * area * cos_p * cos_w / (np.pi * r2 + area))[:, None] * np.asarray(L.sky_color)
        if L.sun is not None and L.sun_strength > 0:
            D = np.asarray(L.sun, np.float64)
            cos_in = float(D @ nw)
            if cos_in > 0.05:
                a = np.array([w.start[0], 0.0, w.start[1]], np.float64)
                t = _dot(Pn - a, nw) / cos_in  # distance back along the ray to the wall
                X = Pn - t[:, None] * D
                along = (X[:, [0, 2]] - a[[0, 2]]) @ w.direction.astype(np.float64)
                soft = 0.03
                inside = (
                    np.clip((o.width / 2 - np.abs(along - o.offset)) / soft + 0.5, 0, 1)
                    * np.clip((X[:, 1] - o.sill) / soft + 0.5, 0, 1)
                    * np.clip((o.sill + o.height - X[:, 1]) / soft + 0.5, 0, 1)
                    * (t > 0)
                )
                lit = np.clip(-_dot(N, D), 0, 1) * inside
                go = lit > 0
                if go.any():
                    blocked = _blocked(Pn[go], -D, t[go], boxes, own[go])
                    lit[np.flatnonzero(go)[blocked]] = 0
                E += (L.sun_strength * lit)[:, None] * np.asarray(L.sun_color)
    lamp_objects = {o.id for o in scene.objects if o.label in ("table lamp", "floor lamp")}
    for lp in L.lamps:
        V = np.asfortranarray(np.asarray(lp, np.float32) - Pn)
        r2 = _dot(V, V)
        Vn = V / np.sqrt(r2)[:, None]
        lit = np.clip(_dot(N, Vn), 0, 1) / (r2 + 0.3)
        go = lit > 0
        if go.any():
            blocked = _blocked(Pn[go], Vn[go], np.sqrt(r2[go]), boxes, own[go], lamp_objects)
            lit[np.flatnonzero(go)[blocked]] *= 0.15
        E += (L.lamp_strength * 2.0 * lit)[:, None] * np.asarray(L.lamp_color)
    radiance = A * E
    surf = np.asarray(surface)[hit]
    glass = surf == 5
    sky = np.asarray(L.sky_color) * (0.6 + 0.5 * L.sky)
    if glass.any():
        tint = A[glass] / max(float(A[glass].mean()), 1e-6)
        radiance[glass] = np.minimum(sky, 4.0) * (0.85 + 0.15 * tint)
    # auto exposure on the room (not the windows), then the image's own variation
    lum = radiance[~glass].mean(1) if (~glass).any() else radiance.mean(1)
    gain = 0.5 / max(float(np.percentile(lum, 60)), 1e-4) * L.exposure
    radiance *= gain * np.asarray(L.white_balance)
    out = np.array(albedo, np.float32)
    out[hit] = _tonemap(radiance).astype(np.float32)
    return out


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot product of (N, 3) arrays, or of (N, 3) rows with one (3,) vector
    (component by component: numpy's reductions over a 3-long axis are slow)."""
    if b.ndim == 1:
        return a[:, 0] * b[0] + a[:, 1] * b[1] + a[:, 2] * b[2]
    return a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1] + a[:, 2] * b[:, 2]


def _tonemap(x: np.ndarray) -> np.ndarray:
    """Linear up to 0.8, then a soft shoulder towards 1."""
    x = np.maximum(x, 0.0)
    return np.where(x < 0.8, x, 0.8 + 0.2 * (1.0 - np.exp(-(x - 0.8) / 0.2)))


@dataclass(eq=False)
class RoomRender:
    """What :func:`render_room` returns for B cameras.

    Attributes:
        rgb: (B, H, W, 3) float32 lit colour in [0, 1].
        albedo: (B, H, W, 3) float32 lighting-free colour (the textures).
        surface: (B, H, W) int8 :data:`SURFACE_LABELS` index.
        maps: the :class:`~worldnb.rendering.RenderOutput` of the geometry (exact
            ``depth``, ``normals``, ``instance``, ``semantic``; its ``rgb`` is the albedo).
        lighting: one :class:`Lighting` per camera.
    """

    rgb: np.ndarray
    albedo: np.ndarray
    surface: np.ndarray
    maps: object
    lighting: list


def render_room(
    scene: Scene,
    cameras: list[Camera],
    *,
    lighting: Lighting | str | None = None,
    seed: int = 0,
    styles=LIGHTING_STYLES,
    device="auto",
) -> RoomRender:
    """Render a procedural room lit: albedo, lit colour and geometry maps per camera.

    Args:
        scene: a scene from :func:`~worldnb.worlds.sample_room` (textured layers; a
            ceiling is added for the render).
        cameras: cameras of one size.
        lighting: a :class:`Lighting` for every camera, a style name, or None to draw
            one; a drawn setting is shared by the cameras, each with its own white
            balance and exposure.
        seed: seed of the drawn lighting.
        styles: styles to draw from when ``lighting`` is None.
        device: rendering device.

    Returns:
        :class:`RoomRender`.
    """
    from ..catalog.meshes import ceiling_mesh
    from ..rendering import render

    if not isinstance(scene, Scene):
        raise InputError(f"scene: expected a worldnb.Scene, got {type(scene).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed: expected an integer >= 0, got {seed!r}")
    cams = list(cameras) if isinstance(cameras, list | tuple) else [cameras]
    if lighting is not None and not isinstance(lighting, Lighting | str):
        raise InputError(
            f"lighting: expected a Lighting, a style name or None, got {type(lighting).__name__}"
        )
    if isinstance(lighting, str) and lighting not in LIGHTING_STYLES:
        raise InputError(
            f"lighting: expected one of {', '.join(LIGHTING_STYLES)}, got {lighting!r}"
        )
    styles = tuple(styles)
    if not styles or set(styles) - set(LIGHTING_STYLES):
        raise InputError(f"styles: expected some of {', '.join(LIGHTING_STYLES)}, got {styles}")
    shown = scene.copy()
    if scene.room is not None and "ceiling" not in shown.layers:
        textured = any(getattr(m, "texture", None) is not None for m in scene.layers.values())
        shown.layers["ceiling"] = ceiling_mesh(scene.room, textures=textured)
    maps = render(shown, cams, background=(1.0, 1.0, 1.0), device=device)
    rng = np.random.default_rng([int(seed), 23])
    if not isinstance(lighting, Lighting):
        style = lighting if isinstance(lighting, str) else styles[int(rng.integers(len(styles)))]
        room_light = sample_lighting(scene, rng, style)
    rgb, surfaces, lights = [], [], []
    for i, cam in enumerate(cams):
        o = maps[i]
        if isinstance(lighting, Lighting):
            L = lighting
        else:  # one light setting per room; each photo has its own white balance and exposure
            L = replace(room_light, white_balance=_kelvin_gains(rng.uniform(-1, 1)),
                        exposure=float(np.exp(rng.normal(0, 0.18))))  # fmt: skip
        s = surface_map(o.depth, o.normals, o.instance, cam, scene.room)
        rgb.append(shade(o.rgb, o.depth, o.normals, o.instance, cam, scene, L, s))
        surfaces.append(s)
        lights.append(L)
    return RoomRender(np.stack(rgb), maps.rgb, np.stack(surfaces), maps, lights)
