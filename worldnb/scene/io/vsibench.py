"""Import VSI-Bench's ScanNet layouts (``scannet_meta_info_val.json``) as scenes.

VSI-Bench publishes, for each of its 88 ScanNet validation scenes, the floor area,
object counts and one oriented box per object. worldnb does not ship that file: pass
its path (or its folder) explicitly.

ScanNet is z-up; worldnb is y-up: (x, y, z) → (x, z, −y). Boxes there are general
oriented boxes; an :class:`~worldnb.scene.OrientedBox` turns only about +Y, so each
box becomes the smallest floor rectangle around its corners' floor projection, with
the vertical extent of its corners. Distances and sizes measured on these scenes
depend on that fit (an upright box is unchanged; a tilted one grows a little).

The floor is put at y = 0 at the lowest object bottom (ScanNet's meta has no floor
height), recorded as ``scene.meta["floor_shift_m"]``. The scenes have no room
outline; the published floor area is kept as ``scene.meta["floor_area"]``. There is
one object per published box, labels in sorted order (object ids count from 1 in
that order); the published ``object_counts`` (kept in ``scene.meta["object_counts"]``)
disagree with the boxes for 12 labels in 10 scenes. Doors and windows are objects.

Example:
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> box = {"centroid": [1, 2, 0.5], "axesLengths": [2, 1, 1],
    ...        "normalizedAxes": [1, 0, 0, 0, 1, 0, 0, 0, 1]}
    >>> meta = {"scene0000_00": {"room_size": 12.0, "object_bbox": {"bed": [box]}}}
    >>> path = Path(tempfile.mkdtemp()) / "scannet_meta_info_val.json"
    >>> _ = path.write_text(json.dumps(meta))
    >>> [scene] = load_vsibench(path)
    >>> scene.meta["scene"], scene.labels()
    ('scene0000_00', ['bed'])
    >>> scene.objects[0].box.center.tolist()  # z-up (1, 2, 0.5) → y-up, floor at 0
    [1.0, 0.5, -2.0]
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import shapely

from ...errors import FormatError, InputError
from ..box import OrientedBox
from ..scene import Scene
from ._files import as_path, check_readable, is_folder, read_bytes

__all__ = [
    "FILENAME",
    "box_from_scannet",
    "check_vsibench_entry",
    "load_vsibench",
    "read_vsibench_meta",
    "scannet_corners",
    "scene_from_vsibench",
]

#: The file name VSI-Bench publishes the ScanNet meta info under.
FILENAME = "scannet_meta_info_val.json"

# z-up (x, y, z) → y-up (x, z, −y)
_ZUP_TO_YUP = np.array([[1.0, 0, 0], [0, 0, 1.0], [0, -1.0, 0]])
# the 8 corners of a unit box, as ±1 signs per axis
_SIGNS = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)]) * 2 - 1


def scannet_corners(b: dict) -> np.ndarray:
    """The 8 corners (y-up, metres) of one VSI-Bench box.

    Args:
        b: ``{"centroid": (3,), "axesLengths": (3,), "normalizedAxes": (9,)}`` in
            ScanNet's z-up frame, metres; ``normalizedAxes`` holds the box axes as rows.

    Raises:
        FormatError: a field is missing, malformed or not finite.
    """
    try:
        c = np.asarray(b["centroid"], np.float64).reshape(3)
        lengths = np.asarray(b["axesLengths"], np.float64).reshape(3)
        axes = np.asarray(b["normalizedAxes"], np.float64).reshape(3, 3)  # rows = axes
    except (KeyError, ValueError, TypeError) as exc:
        raise FormatError(f"ScanNet box is missing or has a bad field: {exc}") from None
    if not (np.isfinite(c).all() and np.isfinite(lengths).all() and np.isfinite(axes).all()):
        raise FormatError(f"ScanNet box holds non-finite numbers: {b!r}")
    return (c + (_SIGNS * (lengths / 2)) @ axes) @ _ZUP_TO_YUP.T


def box_from_scannet(b: dict) -> OrientedBox:
    """One VSI-Bench box → a y-up, yaw-only :class:`~worldnb.scene.OrientedBox`.

    Args:
        b: ``{"centroid": (3,), "axesLengths": (3,), "normalizedAxes": (9,)}`` in
            ScanNet's z-up frame, metres; ``normalizedAxes`` holds the box axes as rows.

    Returns:
        The minimum floor rectangle around the corners (:func:`scannet_corners`),
        spanning their heights.

    Raises:
        FormatError: a field is missing, malformed or not finite.
    """
    pts = scannet_corners(b)
    lo, hi = float(pts[:, 1].min()), float(pts[:, 1].max())
    rect = shapely.MultiPoint(pts[:, [0, 2]]).minimum_rotated_rectangle
    if rect.geom_type != "Polygon":  # degenerate (a flat or needle box): pad it
        rect = rect.buffer(0.005, cap_style="square").minimum_rotated_rectangle
    ring = np.asarray(rect.exterior.coords)[:4]
    e0, e1 = ring[1] - ring[0], ring[2] - ring[1]
    w, d = float(np.linalg.norm(e0)), float(np.linalg.norm(e1))
    # local +X along e0: (cos yaw, −sin yaw) in (x, z)
    yaw = math.atan2(-e0[1], e0[0])
    cxz = ring.mean(0)
    return OrientedBox(
        (cxz[0], (lo + hi) / 2, cxz[1]),
        (max(w, 1e-3), max(hi - lo, 1e-3), max(d, 1e-3)),
        yaw,
    )


def check_vsibench_entry(name: str, info) -> tuple[dict, float]:
    """``(object_bbox, room_size)`` of one meta-info entry (``name`` is its scene).

    Raises:
        FormatError: a field is missing or malformed (the message names the scene).
    """
    try:
        bboxes = info["object_bbox"]
        area = float(info["room_size"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{name}: meta info is missing or has a bad field: {exc}") from None
    if not isinstance(bboxes, dict) or not all(isinstance(v, list) for v in bboxes.values()):
        raise FormatError(f"{name}: 'object_bbox' must map each label to a list of boxes")
    if not isinstance(info.get("object_counts") or {}, dict):
        raise FormatError(f"{name}: 'object_counts' must map each label to a count")
    return bboxes, area


def scene_from_vsibench(name: str, info: dict) -> Scene:
    """One meta-info entry → a :class:`~worldnb.scene.Scene` (objects only; see the
    module docstring for the conventions).

    Args:
        name: the scene name (``"scene0011_00"``), kept as ``scene.meta["scene"]``.
        info: ``{"room_size": m², "object_bbox": {label: [box, ...]}, ...}``.

    Raises:
        FormatError: a field is missing or malformed (the message names the scene).
    """
    bboxes, area = check_vsibench_entry(name, info)
    objs = []
    for label in sorted(bboxes):
        for b in bboxes[label]:
            try:
                objs.append((label, box_from_scannet(b)))
            except (FormatError, InputError) as exc:
                raise FormatError(f"{name}: a {label} box is unusable ({exc})") from None
    floor = min((bx.bottom for _, bx in objs), default=0.0)
    scene = Scene(
        meta={
            "source": f"VSI-Bench {FILENAME}",
            "scene": name,
            "floor_area": area,
            "floor_shift_m": -floor,
            "object_counts": dict(info.get("object_counts") or {}),
        }
    )
    for label, bx in objs:
        c = bx.center.copy()
        c[1] -= floor
        scene.add_object(label, OrientedBox(c, bx.size, bx.yaw))
    return scene


def read_vsibench_meta(path: str | Path) -> dict:
    """The raw meta info: scene name → entry, as published (z-up boxes).

    Args:
        path: ``scannet_meta_info_val.json`` or the folder holding it.

    Raises:
        InputError: no such file.
        FormatError: not readable JSON, or not an object of scene name → entry.
    """
    if path is None or not isinstance(path, str | Path):
        raise InputError(f"path: expected the path of {FILENAME} (or its folder), got {path!r}")
    p = as_path(path)
    if is_folder(p):
        p = p / FILENAME
    try:
        check_readable(p)  # a FIFO or device is refused, a name too long says so
    except InputError as exc:
        raise InputError(
            f"path: no VSI-Bench meta file: {exc}; pass the path of {FILENAME}"
        ) from None
    try:
        data = json.loads(read_bytes(p, 1 << 30).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"{p}: not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise FormatError(f"{p}: expected an object of scene name → meta info")
    return data


def load_vsibench(path: str | Path, names: Iterable[str] | None = None) -> list[Scene]:
    """Load VSI-Bench's ScanNet layouts as scenes.

    Args:
        path: ``scannet_meta_info_val.json`` or the folder holding it.
        names: scene names to keep (e.g. ``["scene0251_00"]``); all when None.

    Returns:
        Scenes in file order; ``scene.meta["scene"]`` holds each name.

    Raises:
        InputError: no such file, or a requested name is not in it.
        FormatError: the file or an entry in it is malformed.
    """
    data = read_vsibench_meta(path)
    if names is None:
        keep = None
    else:
        if isinstance(names, str):
            names = [names]
        keep = set(names)
        missing = sorted(keep - set(data))
        if missing:
            raise InputError(
                f"names: {', '.join(map(repr, missing))} not in the meta file "
                f"({len(data)} scenes, e.g. {next(iter(data), 'none')!r})"
            )
    return [scene_from_vsibench(k, v) for k, v in data.items() if keep is None or k in keep]
