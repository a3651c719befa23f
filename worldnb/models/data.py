"""Training data for the built-in models, streamed from :mod:`worldnb.worlds`.

Rooms are rendered in chunks with :func:`worldnb.worlds.render_dataset` (room ``i``
of a chunk starting at seed ``s`` uses seed ``s + i``) and read back as plain arrays.
Training uses seeds below :data:`HELD_OUT_SEED`; evaluation uses seeds from it up.

The room shell has no object id, so its pixels are labelled from geometry: each
pixel is lifted to the world with its camera and depth, and is floor (y near 0),
ceiling (y near the room height), or wall, door or window (by the opening it falls in).

Example:
    >>> names = classes()
    >>> names[:6], names[-1]
    (['floor', 'wall', 'ceiling', 'door', 'window', 'armchair'], 'clutter')
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from ..scene import Camera, Room

__all__ = [
    "HELD_OUT_SEED",
    "HELD_OUT_STYLE",
    "SHELL",
    "classes",
    "load_dataset",
    "load_room",
    "shell_labels",
    "train_styles",
]


def train_styles() -> tuple[str, ...]:
    """The lighting styles training draws from: all but :data:`HELD_OUT_STYLE`."""
    from ..worlds.lighting import LIGHTING_STYLES

    return tuple(s for s in LIGHTING_STYLES if s != HELD_OUT_STYLE)


#: seeds from here up are never used for training (benchmarks and tests use them)
HELD_OUT_SEED = 1_000_000
#: the room-shell classes, first in the class list
SHELL = ("floor", "wall", "ceiling", "door", "window")
#: lighting style never used in training (benchmarks score it separately)
HELD_OUT_STYLE = "night"


def classes() -> list[str]:
    """Segmentation classes: the room shell, the catalog's furniture categories, then
    ``"clutter"`` (the catalog's small things: books, cups, cushions, pictures…, and
    any other labelled object)."""
    from ..catalog import categories, entry

    return [*SHELL, *(c for c in categories() if not entry(c).clutter), "clutter"]


def shell_labels(world: np.ndarray, room: Room, tol: float = 0.03) -> np.ndarray:
    """Label room-shell points as floor 0, wall 1, ceiling 2, door 3 or window 4.

    Args:
        world: (H, W, 3) world points (non-finite where nothing was hit).
        room: the room the points lie on.
        tol: height tolerance (m) for floor and ceiling.

    Returns:
        (H, W) int16 class index; −1 where the point is not finite.
    """
    out = np.full(world.shape[:2], 1, np.int16)
    y = world[..., 1]
    out[y < tol] = 0
    out[y > room.height - tol] = 2
    # each wall point: the nearest wall line, then its openings
    xz = world[..., [0, 2]].astype(np.float64)
    walls = out == 1
    pts = xz[walls]
    if len(pts) and room.walls:
        dist, along, which = [], [], []
        for w in room.walls:
            a, d = w.start.astype(np.float64), w.direction.astype(np.float64)
            t = (pts - a) @ d
            tc = np.clip(t, 0, w.length)
            dist.append(np.linalg.norm(pts - (a + tc[:, None] * d), axis=1))
            along.append(t)
        dist, along = np.stack(dist), np.stack(along)
        which = dist.argmin(0)
        t = along[which, np.arange(len(pts))]
        ys = y[walls]
        lab = np.ones(len(pts), np.int16)
        ids = [w.id for w in room.walls]
        for o in room.openings:
            if o.wall not in ids:
                continue
            inside = (
                (which == ids.index(o.wall))
                & (np.abs(t - o.offset) <= o.width / 2 + 1e-3)
                & (ys >= o.sill - 1e-3)
                & (ys <= o.sill + o.height + 1e-3)
            )
            lab[inside] = 3 if o.kind == "door" else 4
        out[walls] = lab
    out[~np.isfinite(world).all(-1)] = -1
    return out


def load_room(room_dir: Path, names: list[str]) -> list[dict]:
    """Read one room of a :func:`~worldnb.worlds.render_dataset` folder.

    Returns:
        One dict per view: ``rgb`` (H, W, 3) uint8, ``depth`` (H, W) float32 metres
        (0 = nothing hit), ``semantic`` (H, W) int16 index into ``names`` (−1 = none),
        ``instance`` (H, W) int32 object id (0 = room shell), ``fov_deg`` (vertical).
    """
    room_dir = Path(room_dir)
    meta = json.loads((room_dir / "scene.json").read_text())
    room = Room.from_dict(meta["room"])
    index = {n: i for i, n in enumerate(names)}
    clutter = index["clutter"]
    label_of = {o["id"]: index.get(o["label"], clutter) for o in meta["objects"]}
    cams = [Camera.from_dict(c) for c in json.loads((room_dir / "cameras.json").read_text())]
    views = []
    for v, cam in enumerate(cams):
        stem = room_dir / f"view_{v:02d}"
        rgb = np.asarray(Image.open(f"{stem}_rgb.png").convert("RGB"))
        depth = np.asarray(Image.open(f"{stem}_depth.png"), np.float32) / 1000.0
        inst = np.asarray(Image.open(f"{stem}_instance.png"), np.int32)
        world = cam.unproject(np.where(depth > 0, depth, np.inf))
        sem = shell_labels(world, room)
        lut = np.full(int(inst.max()) + 1, -1, np.int16)
        for oid, k in label_of.items():
            if oid < len(lut):
                lut[oid] = k
        obj = inst > 0
        sem[obj] = lut[inst[obj]]
        sem[depth <= 0] = -1
        views.append(
            {
                "rgb": rgb,
                "depth": depth,
                "semantic": sem,
                "instance": inst,
                "fov_deg": cam.fov_y_deg,
            }
        )
    return views


def load_dataset(folder: Path, names: list[str]) -> list[dict]:
    """All views of a rendered dataset folder (see :func:`load_room`)."""
    folder = Path(folder)
    index = json.loads((folder / "index.json").read_text())
    return [v for r in index["rooms"] for v in load_room(folder / r["dir"], names)]


def render_chunk(folder: Path, seed: int, rooms: int, size: int, views: int = 4) -> Path:
    """Render ``rooms`` lit rooms with seeds ``seed …`` into ``folder`` (skipped if it
    exists), in the training lighting styles."""
    from ..worlds import render_dataset

    folder = Path(folder)
    if (folder / "index.json").exists():
        return folder
    return render_dataset(
        rooms,
        folder,
        size=size,
        seed=seed,
        cameras_per_room=views,
        device="cpu",
        progress=False,
        lighting_styles=train_styles(),
    )


def instance_edges(instance: np.ndarray) -> np.ndarray:
    """(H, W) bool: object pixels whose right or lower neighbour is another object or
    the room shell (the instance-boundary target), thickened by one pixel."""
    e = np.zeros(instance.shape, bool)
    dx = instance[:, 1:] != instance[:, :-1]
    dy = instance[1:] != instance[:-1]
    e[:, 1:] |= dx
    e[:, :-1] |= dx
    e[1:] |= dy
    e[:-1] |= dy
    return e & (instance > 0)


def make_batch(views: list[dict], size: int, rng: np.random.Generator, augment: bool = True):
    """Stack views into training tensors at ``size``², with random square crops
    (75–100 % of the side; the field of view follows), flips and colour jitter.

    Returns:
        dict of torch tensors: ``rgb`` (B, 3, S, S) float in [0, 1], ``depth`` (B, S, S)
        metres (0 = none), ``semantic`` (B, S, S) long (−1 = none), ``edges`` (B, S, S)
        float, ``fov`` (B,) radians.
    """
    import torch
    import torch.nn.functional as F

    rgbs, depths, sems, edges, fovs = [], [], [], [], []
    for v in views:
        h, w = v["depth"].shape
        side = min(h, w)
        c = int(side * rng.uniform(0.75, 1.0)) if augment else side
        r0 = int(rng.integers(0, h - c + 1)) if augment else (h - c) // 2
        c0 = int(rng.integers(0, w - c + 1)) if augment else (w - c) // 2
        sl = (slice(r0, r0 + c), slice(c0, c0 + c))
        half = np.tan(np.radians(v["fov_deg"]) / 2) * c / h
        fovs.append(2 * np.arctan(half))
        rgb = torch.from_numpy(np.array(v["rgb"][sl])).permute(2, 0, 1).float() / 255
        rgbs.append(F.interpolate(rgb[None], size=(size, size), mode="bilinear", antialias=True)[0])
        depths.append(_nearest(v["depth"][sl], size).astype(np.float32))
        sems.append(_nearest(v["semantic"][sl], size).astype(np.int64))
        edges.append(instance_edges(_nearest(v["instance"][sl], size)).astype(np.float32))
    rgb = torch.stack(rgbs)
    depth, sem, edge = (torch.from_numpy(np.stack(a)) for a in (depths, sems, edges))
    if augment:
        flip = torch.from_numpy(rng.random(len(views)) < 0.5)
        rgb[flip], depth[flip] = rgb[flip].flip(-1), depth[flip].flip(-1)
        sem[flip], edge[flip] = sem[flip].flip(-1), edge[flip].flip(-1)
        b = len(views)
        gain = torch.from_numpy(rng.uniform(0.7, 1.3, (b, 1, 1, 1))).float()
        white = torch.from_numpy(rng.uniform(0.9, 1.1, (b, 3, 1, 1))).float()
        gamma = torch.from_numpy(rng.uniform(0.8, 1.25, (b, 1, 1, 1))).float()
        grey = rgb.mean(1, keepdim=True)
        sat = torch.from_numpy(rng.uniform(0.6, 1.3, (b, 1, 1, 1))).float()
        rgb = grey + (rgb - grey) * sat
        rgb = (rgb.clamp(0, 1) ** gamma * gain * white).clamp(0, 1)
        rgb = (rgb + torch.randn_like(rgb) * float(rng.uniform(0, 0.02))).clamp(0, 1)
    fov = torch.tensor(np.asarray(fovs), dtype=torch.float32)
    return {"rgb": rgb, "depth": depth, "semantic": sem, "edges": edge, "fov": fov}


def _nearest(a: np.ndarray, size: int) -> np.ndarray:
    h, w = a.shape
    rows = ((np.arange(size) + 0.5) * h / size).astype(int)
    cols = ((np.arange(size) + 0.5) * w / size).astype(int)
    return a[rows][:, cols]


def random_masks(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """(n, size, size) bool hole masks like those a moving camera leaves: a band along
    one or two image edges, blobs behind objects, and thick strokes; 5–50 % coverage."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    out = np.zeros((n, size, size), bool)
    for k in range(n):
        m = np.zeros((size, size), bool)
        target = rng.uniform(0.05, 0.5)
        while m.mean() < target:
            kind = rng.integers(3)
            if kind == 0:  # band along an edge, with a wavy inner border
                wave = np.sin(rng.uniform(2, 12) * yy + rng.uniform(0, 6))
                w = rng.uniform(0.05, 0.3) + 0.05 * wave
                side = rng.integers(4)
                coord = (xx, 1 - xx, yy, 1 - yy)[side]
                if side >= 2:
                    w = 0.05 * np.sin(rng.uniform(2, 12) * xx + rng.uniform(0, 6)) + w.mean()
                m |= coord < w
            elif kind == 1:  # blob
                c, r = rng.uniform(0, 1, 2), rng.uniform(0.05, 0.25, 2)
                m |= ((yy - c[0]) / r[0]) ** 2 + ((xx - c[1]) / r[1]) ** 2 < 1
            else:  # stroke
                p, q = rng.uniform(0, 1, 2), rng.uniform(0, 1, 2)
                d = q - p
                t = np.clip(((yy - p[0]) * d[0] + (xx - p[1]) * d[1]) / max(d @ d, 1e-6), 0, 1)
                dist = np.hypot(yy - p[0] - t * d[0], xx - p[1] - t * d[1])
                m |= dist < rng.uniform(0.02, 0.08)
        out[k] = m
    return out
