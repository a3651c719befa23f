"""Rendered datasets of procedural rooms: the built-in models' training data.

Format written by :func:`render_dataset` (also saved as ``README.md`` in the folder)::

    out_dir/
      index.json              {"version", "size", "seed", "labels", "rooms": [...]}
      room_0000/
        scene.json            room (floor polygon, height, openings) and objects
                              (id, label, box: center / size / yaw, front, attrs)
        cameras.json          one Camera dict per view (K, width, height,
                              T_world_camera camera→world in OpenCV axes, near, far)
        view_00_rgb.png       (H, W, 3) uint8 colour
        view_00_depth.png     (H, W) uint16 camera z in millimetres; 0 = nothing hit
        view_00_normals.png   (H, W, 3) uint8 world normals as (n + 1) / 2 * 255
        view_00_semantic.png  (H, W) uint8 index into index.json "labels"
                              (0 = room shell / background, k = labels[k])
        view_00_instance.png  (H, W) uint16 object id (SceneObject.id); 0 = none

Everything is written into a temporary folder that is renamed into place at the end,
so an interrupted run leaves nothing half-written.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from ..catalog import ROOM_KINDS, categories, room_mesh
from ..errors import InputError
from ..scene import Camera, Scene
from ..scene.validate import as_int

__all__ = ["DATASET_FORMAT", "render_dataset", "room_cameras"]

DATASET_FORMAT = __doc__[__doc__.index("out_dir/") :]
LABELS = ["none", *categories()]


def room_cameras(scene: Scene, n: int, size: int, rng: np.random.Generator) -> list[Camera]:
    """``n`` cameras standing in free floor at eye height, each looking at a random
    object (or the room's middle), vertical field of view 55–75°."""
    room = scene.room
    if room is None:
        raise InputError("scene: room_cameras needs a scene with a room")
    import shapely

    inner = room.polygon.buffer(-0.35)
    blocked = shapely.union_all([o.box.footprint().buffer(0.15) for o in scene.objects])
    free = inner.difference(blocked) if not blocked.is_empty else inner
    if free.is_empty:
        free = inner
    lo, hi = np.asarray(free.bounds[:2]), np.asarray(free.bounds[2:])
    cams = []
    tries = 0
    while len(cams) < n and tries < 200 * n:
        tries += 1
        xz = rng.uniform(lo, hi)
        if not free.contains(shapely.Point(xz)):
            continue
        eye = np.array([xz[0], rng.uniform(1.2, 1.7), xz[1]])
        if scene.objects and rng.random() < 0.8:
            o = scene.objects[int(rng.integers(len(scene.objects)))]
            target = o.box.center.astype(np.float64)
        else:
            c = room.polygon.centroid
            target = np.array([c.x, 0.8, c.y])
        if np.linalg.norm((target - eye)[[0, 2]]) < 0.8:
            continue
        cams.append(
            Camera.look_at(
                eye, target, fov_y_deg=float(rng.uniform(55, 75)), width=size, height=size
            )
        )
    return cams


def _write_png(path: Path, arr: np.ndarray) -> None:
    if arr.dtype == np.uint16:
        Image.fromarray(arr).save(path)  # uint16 → 16-bit greyscale PNG
    else:
        Image.fromarray(arr).save(path)


def _scene_json(scene: Scene) -> dict:
    return {
        "room": scene.room.to_dict() if scene.room is not None else None,
        "objects": [o.to_dict() for o in scene.objects],
        "meta": scene.meta,
    }


def render_dataset(
    n: int,
    out_dir: str | Path,
    size: int = 128,
    seed: int = 0,
    cameras_per_room: int = 4,
    kinds=ROOM_KINDS,
    device: str = "auto",
    progress: bool = True,
) -> Path:
    """Render ``n`` procedural rooms from several cameras each (format: module docstring).

    Args:
        n: number of rooms (kinds cycle through ``kinds``; room ``i`` uses seed
            ``seed + i``).
        out_dir: folder to create; it must not exist or be empty.
        size: image width and height in pixels.
        seed: base seed; the same arguments give the same dataset.
        cameras_per_room: views per room.
        kinds: room kinds to cycle through.
        device: rendering device (``"auto"``, ``"cpu"``, ``"cuda"``).
        progress: show a tqdm progress bar.

    Returns:
        The dataset folder.
    """
    from tqdm.auto import tqdm

    from ..rendering import render
    from .rooms import sample_room

    n = as_int("n", n)
    size = as_int("size", size, minimum=8)
    cameras_per_room = as_int("cameras_per_room", cameras_per_room)
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in ROOM_KINDS]
    if bad or not kinds:
        raise InputError(f"kinds: expected some of {', '.join(ROOM_KINDS)}, got {list(kinds)}")
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"out_dir: {out} exists and is not an empty folder; choose a new one")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    label_index = {name: i for i, name in enumerate(LABELS)}
    rooms = []
    try:
        for i in tqdm(range(n), desc="rendering rooms", disable=not progress):
            kind = kinds[i % len(kinds)]
            scene = sample_room(kind, seed=seed + i)
            rng = np.random.default_rng([seed, i, 7])
            cams = room_cameras(scene, cameras_per_room, size, rng)
            shown = scene.copy()
            shown.layers["room"] = room_mesh(
                scene.room, scene.meta.get("floor_material", "oak"), ceiling=True
            )
            res = render(shown, cams, background=(1.0, 1.0, 1.0), device=device)
            rdir = tmp / f"room_{i:04d}"
            rdir.mkdir()
            (rdir / "scene.json").write_text(json.dumps(_scene_json(scene), indent=1))
            (rdir / "cameras.json").write_text(json.dumps([c.to_dict() for c in cams], indent=1))
            sem_of_id = {o.id: label_index.get(o.label, 0) for o in scene.objects}
            for v in range(len(cams)):
                o = res[v] if res.is_batch else res
                rgb = (np.clip(o.rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
                depth = np.where(np.isfinite(o.depth), np.round(o.depth * 1000), 0)
                depth = np.clip(depth, 0, 65535).astype(np.uint16)
                normals = ((np.clip(o.normals, -1, 1) + 1) / 2 * 255 + 0.5).astype(np.uint8)
                inst = np.where(o.instance >= 0, o.instance, 0).astype(np.uint16)
                lut = np.zeros(int(inst.max()) + 1, np.uint8)
                for oid, k in sem_of_id.items():
                    if oid < len(lut):
                        lut[oid] = k
                sem = lut[inst]
                stem = f"view_{v:02d}"
                _write_png(rdir / f"{stem}_rgb.png", rgb)
                _write_png(rdir / f"{stem}_depth.png", depth)
                _write_png(rdir / f"{stem}_normals.png", normals)
                _write_png(rdir / f"{stem}_semantic.png", sem)
                _write_png(rdir / f"{stem}_instance.png", inst)
            rooms.append({"dir": rdir.name, "kind": kind, "seed": seed + i, "views": len(cams)})
        index = {
            "version": 1,
            "size": size,
            "seed": seed,
            "labels": LABELS,
            "rooms": rooms,
        }
        (tmp / "index.json").write_text(json.dumps(index, indent=1))
        (tmp / "README.md").write_text(
            "# worldnb procedural room dataset\n\n```\n" + DATASET_FORMAT + "```\n"
        )
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
