"""Real room layouts: the ScanNet validation scenes published with VSI-Bench, as
:class:`Scene` s, and a check of the catalog's dimensions against their boxes.

ScanNet is z-up; worldnb is y-up: (x, y, z) → (x, z, −y). ScanNet boxes are general
oriented boxes; each becomes a yaw-only :class:`OrientedBox` by fitting the smallest
rectangle around its corners projected to the floor and taking the vertical extent
from the corners (so boxes of tilted scans grow a little — numbers below depend on
that fit). The floor is put at the lowest box bottom of each scene.

Example:
    >>> scenes = scannet_scenes()  # doctest: +SKIP
    >>> scene = scannet_scene("scene0011_00")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from ..errors import FormatError, InputError
from ..scene import OrientedBox, Scene
from .catalog import _load

__all__ = ["DEFAULT_PATH", "compare_with_scannet", "scannet_scene", "scannet_scenes"]

#: where the shared checkout keeps the VSI-Bench meta info (override with ``path=``)
DEFAULT_PATH = (
    Path(__file__).resolve().parents[3] / "shared/data/vsibench-meta/scannet_meta_info_val.json"
)


@lru_cache(maxsize=4)
def _read(path: str) -> dict:
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"path: no ScanNet meta file at {p}; pass path= to scannet_meta_info_val.json"
        )
    try:
        return json.loads(p.read_text())
    except json.JSONDecodeError as exc:
        raise FormatError(f"{p}: not valid JSON ({exc})") from None


def _box_from_scannet(b: dict) -> OrientedBox:
    c = np.asarray(b["centroid"], np.float64)
    axes = np.asarray(b["normalizedAxes"], np.float64).reshape(3, 3)  # rows = box axes
    half = np.asarray(b["axesLengths"], np.float64) / 2
    signs = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)]) * 2 - 1
    corners = c + (signs * half) @ axes  # ScanNet z-up
    yup = np.stack([corners[:, 0], corners[:, 2], -corners[:, 1]], 1)
    rect = shapely.MultiPoint(yup[:, [0, 2]]).minimum_rotated_rectangle
    xz = np.asarray(rect.exterior.coords)[:4]
    e0, e1 = xz[1] - xz[0], xz[2] - xz[1]
    w, d = float(np.linalg.norm(e0)), float(np.linalg.norm(e1))
    # local +X along the first edge: +X maps to (cos yaw, −sin yaw)
    yaw = float(np.arctan2(-e0[1], e0[0])) if w > 1e-9 else 0.0
    centre_xz = xz.mean(0)
    y0, y1 = float(yup[:, 1].min()), float(yup[:, 1].max())
    return OrientedBox(
        (centre_xz[0], (y0 + y1) / 2, centre_xz[1]),
        (max(w, 0.01), max(y1 - y0, 0.01), max(d, 0.01)),
        yaw,
    )


def scannet_scenes(path: str | Path | None = None) -> list[str]:
    """The scene ids in the meta file, sorted."""
    return sorted(_read(str(path or DEFAULT_PATH)))


def scannet_scene(scene_id: str | None = None, path: str | Path | None = None) -> Scene:
    """One real ScanNet layout as a :class:`Scene` (objects only; ``room`` is None, the
    floor area and centre are in ``meta``). Doors and windows are objects too.

    Args:
        scene_id: e.g. ``"scene0011_00"``; the first scene if None.
        path: the meta JSON (default: :data:`DEFAULT_PATH`).
    """
    data = _read(str(path or DEFAULT_PATH))
    if scene_id is None:
        scene_id = sorted(data)[0]
    if scene_id not in data:
        raise InputError(f"scene_id: no {scene_id!r} in the meta file ({len(data)} scenes)")
    rec = data[scene_id]
    boxes = [(label, _box_from_scannet(b)) for label, bs in rec["object_bbox"].items() for b in bs]
    floor = min((b.bottom for _, b in boxes), default=0.0)
    scene = Scene(
        meta={
            "source": "ScanNet (VSI-Bench meta info)",
            "scene_id": scene_id,
            "room_size_m2": rec.get("room_size"),
            "floor_offset_m": floor,
        }
    )
    for label, b in boxes:
        scene.add_object(label, OrientedBox(b.center - [0, floor, 0], b.size, b.yaw))
    return scene


def compare_with_scannet(path: str | Path | None = None) -> list[dict]:
    """Catalog medians against the medians of matching real ScanNet boxes.

    Labels match by the catalog's ``scannet`` names. ScanNet boxes have no front, so
    the horizontal sizes are compared as (longer, shorter) side; the catalog's
    (width, depth) are sorted the same way. One dict per category with matches:
    ``category``, ``scannet_labels``, ``n``, ``catalog`` and ``scannet`` medians
    (long, short, height in m), and ``ratio`` (ScanNet / catalog per dimension).
    """
    data = _read(str(path or DEFAULT_PATH))
    out = []
    for name, e in sorted(_load().items()):
        dims = []
        for rec in data.values():
            for label in e.scannet:
                for b in rec["object_bbox"].get(label, []):
                    ob = _box_from_scannet(b)
                    s = ob.size
                    dims.append((max(s[0], s[2]), min(s[0], s[2]), s[1]))
        if not dims:
            continue
        med = np.median(np.asarray(dims), 0)
        w, d, h = (sum(r) / 2 for r in (e.width, e.depth, e.height))
        cat = np.array([max(w, d), min(w, d), h])
        out.append(
            {
                "category": name,
                "scannet_labels": list(e.scannet),
                "n": len(dims),
                "catalog": [round(float(v), 3) for v in cat],
                "scannet": [round(float(v), 3) for v in med],
                "ratio": [round(float(v), 2) for v in med / cat],
            }
        )
    return out
