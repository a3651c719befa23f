"""Rendered datasets of procedural rooms: the built-in models' training data.

Format written by :func:`render_dataset` (also saved as ``README.md`` in the folder)::

    out_dir/
      index.json              {"version", "size", "seed", "labels", "rooms": [...],
                               "maps", "surface_labels", "look"}
      room_0000/
        scene.json            room (floor polygon, height, openings) and objects
                              (id, label, box: center / size / yaw, front, attrs)
        cameras.json          one Camera dict per view (K, width, height,
                              T_world_camera camera→world in OpenCV axes, near, far)
        lighting.json         one Lighting dict per view (style, sun, lamps,
                              white balance, exposure); [] for look "flat"
        view_00_rgb.png       (H, W, 3) uint8 colour (lit: textures × light)
        view_00_albedo.png    (H, W, 3) uint8 lighting-free colour (the textures)
        view_00_depth.png     (H, W) uint16 camera z in millimetres; 0 = nothing hit
        view_00_normals.png   (H, W, 3) uint8 world normals as (n + 1) / 2 * 255
        view_00_semantic.png  (H, W) uint8 index into index.json "labels"
                              (0 = room shell / background, k = labels[k])
        view_00_instance.png  (H, W) uint16 object id (SceneObject.id); 0 = none
        view_00_surface.png   (H, W) uint8 index into index.json "surface_labels"
                              (none, floor, wall, ceiling, door, window, object)

Rooms are written into a hidden ``.<name>.partial`` folder next to ``out_dir``, each
room into a temporary folder renamed into place when complete, and then listed in its
``manifest.jsonl`` (one line per finished room: dir, kind, seed, views, seconds,
worker); the whole folder is renamed to ``out_dir`` at the end (without ``args.json``
and the manifest). An interrupted run leaves no ``out_dir``, and the same call again
resumes from the finished rooms. With ``executor="ray"`` each room is one Ray task
that returns its files as bytes (the cluster needs no shared filesystem) and the
files are byte for byte those of ``executor="local"``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import time
from pathlib import Path

import numpy as np
from PIL import Image

from ..catalog import ROOM_KINDS, categories, entry, room_mesh
from ..errors import InputError
from ..parallel import check_executor, imap_unordered
from ..scene import Camera, Scene
from ..scene.validate import as_int
from .lighting import LIGHTING_STYLES, SURFACE_LABELS

__all__ = ["DATASET_FORMAT", "render_dataset", "room_cameras"]

DATASET_FORMAT = __doc__[__doc__.index("out_dir/") :]
# furniture first, in the order datasets have always had; clutter appended after it
LABELS = [
    "none",
    *[c for c in categories() if not entry(c).clutter],
    *[c for c in categories() if entry(c).clutter and c != "potted plant"],  # labelled "plant"
]
#: the per-view maps written (file ``view_XX_<map>.png``)
MAPS = ("rgb", "albedo", "depth", "normals", "semantic", "instance", "surface")


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


def _png(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")  # uint16 → 16-bit greyscale PNG
    return buf.getvalue()


def _u8(rgb: np.ndarray) -> np.ndarray:
    return (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)


#: planner budget per attempt (s) for dataset rooms: far above the ~0.2–2 s a room
#: needs (its polishing gets a tenth), so the search and the polishing end by their own
#: rules, not the clock, and a seed gives the same files on a busy machine or a Ray
#: worker (sample_room's default, 1 s, is cut short under load)
PLAN_TIME_LIMIT = 60.0
#: meta entries that measure this run, not the room (they would make the same seed's
#: files differ from run to run and between executors)
RUN_META = ("solve_time_s",)


def _scene_json(scene: Scene) -> dict:
    return {
        "room": scene.room.to_dict() if scene.room is not None else None,
        "objects": [o.to_dict() for o in scene.objects],
        "meta": {k: v for k, v in scene.meta.items() if k not in RUN_META},
    }


def _render_room(i, kind, seed, size, cameras_per_room, look, styles, device, label_index):
    """Sample room ``i`` and render its views; returns ``(views, {file name: bytes})``,
    the files of its folder (the same bytes wherever it runs)."""
    from ..rendering import render
    from .lighting import render_room
    from .rooms import sample_room

    scene = sample_room(kind, seed + i, time_limit=PLAN_TIME_LIMIT, textures=look == "lit")
    rng = np.random.default_rng([seed, i, 7])
    cams = room_cameras(scene, cameras_per_room, size, rng)
    if look == "lit":
        shot = render_room(scene, cams, seed=seed + i, styles=styles, device=device)
        res, lit, surface = shot.maps, shot.rgb, shot.surface
        lighting = [L.to_dict() for L in shot.lighting]
    else:  # the flat look of the first worlds: vertex colours, no light
        from .lighting import surface_map

        shown = scene.copy()
        shown.layers["room"] = room_mesh(
            scene.room, scene.meta.get("floor_material", "oak"), ceiling=True
        )
        res = render(shown, cams, background=(1.0, 1.0, 1.0), device=device)
        lit, lighting = res.rgb, []
        surface = np.stack([surface_map(res.depth[v], res.normals[v], res.instance[v], c,
                                        scene.room) for v, c in enumerate(cams)])  # fmt: skip
    files = {}
    files["scene.json"] = json.dumps(_scene_json(scene), indent=1).encode()
    files["cameras.json"] = json.dumps([c.to_dict() for c in cams], indent=1).encode()
    files["lighting.json"] = json.dumps(lighting, indent=1).encode()
    sem_of_id = {o.id: label_index.get(o.label, 0) for o in scene.objects}
    for v in range(len(cams)):
        o = res[v]
        depth = np.where(np.isfinite(o.depth), np.round(o.depth * 1000), 0)
        depth = np.clip(depth, 0, 65535).astype(np.uint16)
        normals = ((np.clip(o.normals, -1, 1) + 1) / 2 * 255 + 0.5).astype(np.uint8)
        inst = np.where(o.instance >= 0, o.instance, 0).astype(np.uint16)
        lut = np.zeros(int(inst.max()) + 1, np.uint8)
        for oid, k in sem_of_id.items():
            if oid < len(lut):
                lut[oid] = k
        stem = f"view_{v:02d}"
        files[f"{stem}_rgb.png"] = _png(_u8(lit[v]))
        files[f"{stem}_albedo.png"] = _png(_u8(o.rgb))
        files[f"{stem}_depth.png"] = _png(depth)
        files[f"{stem}_normals.png"] = _png(normals)
        files[f"{stem}_semantic.png"] = _png(lut[inst])
        files[f"{stem}_instance.png"] = _png(inst)
        files[f"{stem}_surface.png"] = _png(surface[v].astype(np.uint8))
    return len(cams), files


def _room_task(i, *args):
    """One room, as a task: ``(i, views, files, seconds, worker)``.

    On one thread (torch, BLAS and OpenMP): the planner's choices hang on the last bits
    of sums whose order the thread count sets, so this makes a room's files the same on
    any machine and in any executor (``executor="ray"`` uses the other cores)."""
    import torch
    from threadpoolctl import threadpool_limits

    t0 = time.perf_counter()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            views, files = _render_room(i, *args)
    finally:
        torch.set_num_threads(threads)
    return i, views, files, time.perf_counter() - t0, f"{socket.gethostname()}:{os.getpid()}"


def _store_room(tmp: Path, i: int, files: dict[str, bytes]) -> Path:
    """Write a room's files into a temporary folder and rename it into place."""
    part = tmp / f".room_{i:04d}.tmp"
    shutil.rmtree(part, ignore_errors=True)
    try:
        part.mkdir()
        for name, data in files.items():
            (part / name).write_bytes(data)
        return part.rename(tmp / f"room_{i:04d}")
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise


def render_dataset(
    n: int,
    out_dir: str | Path,
    size: int = 128,
    seed: int = 0,
    cameras_per_room: int = 4,
    kinds=ROOM_KINDS,
    device: str = "auto",
    progress: bool = True,
    *,
    look: str = "lit",
    lighting_styles=LIGHTING_STYLES,
    resume: bool = True,
    executor: str = "local",
    address: str | None = None,
    num_workers: int | None = None,
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
        look: ``"lit"`` (textured materials and lighting) or ``"flat"`` (flat colours,
            no light: the look of the first worlds).
        lighting_styles: lighting styles drawn per room (hold one out to test on it).
        resume: continue an interrupted run with the same arguments from the rooms it
            finished (False starts over).
        executor: ``"local"`` (rooms one after another in this process) or ``"ray"``
            (one Ray task per room; the same files, byte for byte).
        address: Ray cluster address (default: the Ray running in this process, else a
            new local one on 127.0.0.1); only with ``executor="ray"``.
        num_workers: local Ray workers to start, or at most this many rooms rendering at
            once (default: two per CPU of the cluster are kept in flight).

    Returns:
        The dataset folder.
    """
    n = as_int("n", n)
    size = as_int("size", size, minimum=8)
    cameras_per_room = as_int("cameras_per_room", cameras_per_room)
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in ROOM_KINDS]
    if bad or not kinds:
        raise InputError(f"kinds: expected some of {', '.join(ROOM_KINDS)}, got {list(kinds)}")
    if look not in ("lit", "flat"):
        raise InputError(f"look: expected 'lit' or 'flat', got {look!r}")
    styles = tuple(lighting_styles)
    if not styles or set(styles) - set(LIGHTING_STYLES):
        raise InputError(
            f"lighting_styles: expected some of {', '.join(LIGHTING_STYLES)}, got {list(styles)}"
        )
    check_executor(executor, address, num_workers)
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"out_dir: {out} exists and is not an empty folder; choose a new one")
    out.parent.mkdir(parents=True, exist_ok=True)
    args = {"n": n, "size": size, "seed": seed, "cameras_per_room": cameras_per_room,
            "kinds": list(kinds), "look": look, "lighting_styles": list(styles)}  # fmt: skip
    tmp = out.parent / f".{out.name}.partial"
    args_file = tmp / "args.json"
    if tmp.exists() and not (resume and args_file.exists()
                             and json.loads(args_file.read_text()) == args):  # fmt: skip
        shutil.rmtree(tmp)  # our own leftovers of a run with other arguments
    tmp.mkdir(exist_ok=True)
    args_file.write_text(json.dumps(args))
    label_index = {name: i for i, name in enumerate(LABELS)}
    for stale in tmp.glob(".room_*.tmp"):  # a room cut short by a kill
        shutil.rmtree(stale)
    todo = [i for i in range(n) if not (tmp / f"room_{i:04d}").exists()]
    tasks = (
        (i, kinds[i % len(kinds)], seed, size, cameras_per_room, look, styles, device, label_index)
        for i in todo
    )
    manifest = tmp / "manifest.jsonl"
    with open(manifest, "a") as log:
        for _, (i, views, files, seconds, worker) in imap_unordered(
            _room_task, tasks, executor=executor, address=address, num_workers=num_workers,
            progress=progress, desc="rendering rooms", total=len(todo),
        ):  # fmt: skip
            rdir = _store_room(tmp, i, files)
            line = {"dir": rdir.name, "kind": kinds[i % len(kinds)], "seed": seed + i,
                    "views": views, "seconds": round(seconds, 4), "worker": worker}  # fmt: skip
            log.write(json.dumps(line) + "\n")
            log.flush()
    rooms = [
        {"dir": f"room_{i:04d}", "kind": kinds[i % len(kinds)], "seed": seed + i,
         "views": len(json.loads((tmp / f"room_{i:04d}" / "cameras.json").read_text()))}
        for i in range(n)
    ]  # fmt: skip
    index = {
        "version": 1,
        "size": size,
        "seed": seed,
        "labels": LABELS,
        "rooms": rooms,
        "maps": list(MAPS),
        "surface_labels": SURFACE_LABELS,
        "look": look,
        "lighting_styles": list(styles),
    }
    (tmp / "index.json").write_text(json.dumps(index, indent=1))
    (tmp / "README.md").write_text(
        "# worldnb procedural room dataset\n\n```\n" + DATASET_FORMAT + "```\n"
    )
    args_file.unlink()
    manifest.unlink()
    if out.exists():
        out.rmdir()
    tmp.rename(out)
    return out
