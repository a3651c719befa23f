"""The ``.json`` scene file: room, objects and (optionally) cameras, for the spatial engine.

No geometry layers or images: those go to ``.wnb`` (lossless) or ``.glb`` / ``.ply``.
Floats are written so that float32 values read back bit for bit. Schema::

    {
      "format": "worldnb.scene",       # identifies the file
      "version": 1,                    # format version; newer versions are refused
      "room": null | {
        "floor_xz": [[x, z], ...],     # metres, counter-clockwise seen from above
        "height": 2.7,                 # ceiling height (m)
        "openings": [{"kind": "door" | "window", "wall": "wall_0",
                      "offset": 1.0,   # along the wall from its start to the centre (m)
                      "width": 0.9, "height": 2.0, "sill": 0.0}]
      },
      "objects": [{
        "id": 1, "label": "bed",
        "box": {"center": [x, y, z], "size": [w, h, d], "yaw": 0.0},  # yaw about +Y (rad)
        "front": true,                 # the object faces its local +Z
        "geometry": "objects",         # optional: the layer holding its geometry
        "attrs": {"color": "white"}    # optional, free JSON
      }],
      "cameras": [{"name": "main", "K": [[fx, 0, cx], [0, fy, cy], [0, 0, 1]],
                   "width": 640, "height": 480,
                   "T_world_camera": [[...4 rows...]],   # camera→world, OpenCV axes
                   "near": 0.01, "far": 100.0}]          # optional
    }
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import FormatError
from ..scene import Scene
from ._files import (
    MAX_FILE_BYTES,
    as_path,
    atomic_write,
    check_readable,
    check_scene,
    read_bytes,
    reading,
)
from ._records import (
    cameras_record,
    expect,
    object_record,
    parse_cameras,
    parse_objects,
    parse_room,
    room_record,
)

__all__ = ["FORMAT", "VERSION", "load_json", "save_json", "scene_to_json_dict"]

FORMAT = "worldnb.scene"
VERSION = 1


def scene_to_json_dict(scene: Scene, cameras: bool = True) -> dict:
    """The JSON record of a scene's room, objects and cameras (see the module docstring)."""
    out = {
        "format": FORMAT,
        "version": VERSION,
        "room": room_record(scene.room),
        "objects": [object_record(o) for o in scene.objects],
    }
    if cameras and scene.cameras:
        out["cameras"] = cameras_record(scene.cameras)
    return out


def save_json(scene: Scene, path, *, cameras: bool = True, indent: int | None = 1) -> Path:
    """Write room, objects and cameras to a ``.json`` file (atomically).

    Args:
        scene: the scene.
        path: the file to write; its folder must exist.
        cameras: include the scene's cameras.
        indent: JSON indent (None for one line).
    """
    check_scene(scene)
    path = as_path(path)
    text = json.dumps(scene_to_json_dict(scene, cameras), indent=indent, allow_nan=False)
    return atomic_write(path, lambda f: f.write(text.encode() + b"\n"))


def scene_from_json_dict(d, path) -> Scene:
    """A Scene from the record :func:`scene_to_json_dict` makes (FormatError if malformed)."""
    expect(isinstance(d, dict), path, "expected a JSON object at the top level")
    expect(
        d.get("format") == FORMAT,
        path,
        f"not a worldnb scene JSON (its 'format' is {d.get('format')!r}, expected {FORMAT!r})",
    )
    version = d.get("version")
    expect(isinstance(version, int), path, "missing the integer 'version' field")
    expect(
        version <= VERSION,
        path,
        f"format version {version} is newer than this worldnb reads ({VERSION}); upgrade worldnb",
    )
    return Scene(
        room=parse_room(d.get("room"), path),
        objects=parse_objects(d.get("objects", []), path),
        cameras=parse_cameras(d.get("cameras", []), path),
    )


def load_json(path) -> Scene:
    """Read a scene ``.json`` (room, objects, cameras).

    Raises:
        InputError: the file does not exist.
        FormatError: not JSON, not this schema, or invalid values (names the problem).
    """
    path = check_readable(as_path(path))
    raw = read_bytes(path, min(MAX_FILE_BYTES, 1 << 30))
    with reading(path, "scene .json"):
        try:
            d = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FormatError(f"{path}: not valid JSON ({exc})") from None
        return scene_from_json_dict(d, path)
