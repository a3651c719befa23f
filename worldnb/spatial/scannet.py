"""Real room layouts: the 88 ScanNet validation scenes in VSI-Bench's meta info.

ScanNet is z-up; worldnb is y-up: (x, y, z) → (x, z, −y). Boxes there are general
oriented boxes; an :class:`OrientedBox` turns only about +Y, so each box becomes the
smallest floor rectangle around its corners' floor projection, with the vertical
extent of its corners. Distances and sizes measured on these scenes depend on that
fit (an upright box is unchanged; a tilted one grows a little).

The floor is put at y = 0 at the lowest object bottom (ScanNet's meta has no floor
height), recorded as ``scene.meta["floor_shift_m"]``. The scenes have no room
outline; the published floor area is kept as ``scene.meta["floor_area"]``. There is
one object per published box; the published ``object_counts`` (kept in
``scene.meta["object_counts"]``) disagree with the boxes for 12 labels in 10 scenes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import shapely

from ..errors import FormatError, InputError
from ..scene import OrientedBox, Scene

__all__ = ["DEFAULT_PATH", "box_from_scannet", "load_vsibench_scenes", "scannet_scene"]

#: Where the shared data folder keeps the file, next to the repository.
DEFAULT_PATH = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "vsibench-meta"
    / "scannet_meta_info_val.json"
)

# z-up (x, y, z) → y-up (x, z, −y)
_ZUP_TO_YUP = np.array([[1.0, 0, 0], [0, 0, 1.0], [0, -1.0, 0]])


def box_from_scannet(b: dict) -> OrientedBox:
    """One VSI-Bench box (``centroid``, ``axesLengths``, ``normalizedAxes``) → a y-up,
    yaw-only :class:`OrientedBox` (minimum floor rectangle around the corners)."""
    try:
        c = np.asarray(b["centroid"], np.float64)
        L = np.asarray(b["axesLengths"], np.float64)
        A = np.asarray(b["normalizedAxes"], np.float64).reshape(3, 3)  # rows = axes
    except (KeyError, ValueError, TypeError) as exc:
        raise FormatError(f"ScanNet box is missing or has a bad field: {exc}") from None
    if not (np.all(np.isfinite(c)) and np.all(np.isfinite(L)) and np.all(np.isfinite(A))):
        raise FormatError(f"ScanNet box holds non-finite numbers: {b!r}")
    signs = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)]) * 2 - 1
    corners = c + (signs * (L / 2)) @ A
    pts = corners @ _ZUP_TO_YUP.T
    lo, hi = float(pts[:, 1].min()), float(pts[:, 1].max())
    rect = shapely.MultiPoint(pts[:, [0, 2]]).minimum_rotated_rectangle
    if rect.geom_type != "Polygon":  # degenerate (a flat or needle box): pad it
        rect = rect.buffer(0.005, cap_style="square")
        rect = rect.minimum_rotated_rectangle
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


def scannet_scene(name: str, info: dict) -> Scene:
    """One VSI-Bench meta-info entry → :class:`Scene` (objects only; see module doc)."""
    try:
        bboxes = info["object_bbox"]
        area = float(info["room_size"])
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{name}: meta info is missing or has a bad field: {exc}") from None
    if not isinstance(bboxes, dict) or not all(isinstance(v, list) for v in bboxes.values()):
        raise FormatError(f"{name}: 'object_bbox' must map each label to a list of boxes")
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
            "source": "VSI-Bench scannet_meta_info_val.json",
            "scene": name,
            "floor_area": area,
            "floor_shift_m": -floor,
            "object_counts": dict(info.get("object_counts", {})),
        }
    )
    for label, bx in objs:
        c = bx.center.copy()
        c[1] -= floor
        scene.add_object(label, OrientedBox(c, bx.size, bx.yaw))
    return scene


def load_vsibench_scenes(path: str | Path | None = None, names=None) -> list[Scene]:
    """Load VSI-Bench's ScanNet layouts as scenes.

    Args:
        path: the ``scannet_meta_info_val.json`` file or its folder; default
            :data:`DEFAULT_PATH` (``../shared/data/vsibench-meta`` beside the repository).
        names: optional scene names to keep (e.g. ``["scene0251_00"]``).

    Returns:
        Scenes in file order; ``scene.meta["scene"]`` holds each name.
    """
    p = Path(path) if path is not None else DEFAULT_PATH
    if p.is_dir():
        p = p / "scannet_meta_info_val.json"
    if not p.is_file():
        raise InputError(
            f"path: no VSI-Bench meta file at {p}; pass the path of scannet_meta_info_val.json"
        )
    try:
        data = json.loads(p.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise FormatError(f"{p}: not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise FormatError(f"{p}: expected an object of scene name → meta info")
    keep = None if names is None else set(names)
    return [scannet_scene(k, v) for k, v in data.items() if keep is None or k in keep]
