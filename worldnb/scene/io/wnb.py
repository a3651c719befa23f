"""The ``.wnb`` scene file: everything in a :class:`Scene`, lossless.

A ``.wnb`` file is a zip archive with exactly two members:

``manifest.json`` (deflated), a JSON object::

    {
      "format": "worldnb.scene.wnb",   # identifies the file
      "version": 1,                    # format version; newer versions are refused
      "room": null | {"floor_xz": [[x, z], ...], "height": h,
                      "openings": [{"kind", "wall", "offset", "width", "height", "sill"}]},
      "objects": [{"id", "label", "box": {"center", "size", "yaw"}, "front",
                   "geometry"?, "attrs"?}, ...],          # in scene order
      "next_object_id": 7,             # ids are never handed out twice
      "layers": [{"name": "points", "kind": "points" | "mesh" | "gaussians",
                  "arrays": ["xyz", "rgb", ...]}, ...],   # in scene order
      "cameras": [{"name", "K", "width", "height", "T_world_camera", "near", "far"}],
      "images": ["rgb", ...],
      "meta": {...}                    # the scene's JSON-serialisable provenance
    }

``arrays.safetensors`` (stored), one safetensors file holding every array under
``layers/<layer name>/<array name>`` (the layer's own attribute names, e.g.
``layers/room/vertices``) and ``images/<image name>``, with their dtypes at rest
(float32, int32, uint8, bool). Nothing is ever pickled, and a ``.wnb`` with any
other member (a pickle, say) is refused.

Writes are atomic: a temporary file in the same folder, fsync, :func:`os.replace`.
"""

from __future__ import annotations

import inspect
import json
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

from ...errors import FormatError, InputError
from ..geometry import LAYER_TYPES
from ..scene import Scene
from ._files import as_path, atomic_write, check_readable, check_scene, reading
from ._records import (
    cameras_record,
    expect,
    object_record,
    parse_cameras,
    parse_objects,
    parse_room,
    room_record,
    to_jsonable,
)

__all__ = ["FORMAT", "VERSION", "load_wnb", "save_wnb"]

FORMAT = "worldnb.scene.wnb"
VERSION = 1
MANIFEST = "manifest.json"
ARRAYS = "arrays.safetensors"
_MAX_MANIFEST = 64 << 20
#: deflate cannot compress by more than ~1032:1; a larger declared ratio is a lie (a bomb).
_MAX_DEFLATE_RATIO = 1100


def _manifest(scene: Scene) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "room": room_record(scene.room),
        "objects": [object_record(o) for o in scene.objects],
        "next_object_id": int(scene._next_id),
        "layers": [
            {"name": name, "kind": layer.kind, "arrays": list(layer.arrays())}
            for name, layer in scene.layers.items()
        ],
        "cameras": cameras_record(scene.cameras),
        "images": list(scene.images),
        "meta": to_jsonable(scene.meta, "meta"),
    }


def _arrays(scene: Scene) -> dict[str, np.ndarray]:
    out = {}
    for name, layer in scene.layers.items():
        for key, arr in layer.arrays().items():
            out[f"layers/{name}/{key}"] = np.ascontiguousarray(arr)
    for name, img in scene.images.items():
        out[f"images/{name}"] = np.ascontiguousarray(img)
    return out


def save_wnb(scene: Scene, path) -> Path:
    """Save a scene to a ``.wnb`` file, atomically.

    Args:
        scene: the scene to save.
        path: file path ending in ``.wnb``; its folder must exist.

    Returns:
        The path written.

    Raises:
        InputError: ``scene`` is not a Scene, the path is unusable, or ``meta`` /
            object ``attrs`` hold values JSON cannot store.

    Example:
        >>> import tempfile, worldnb
        >>> scene = worldnb.Scene(room=worldnb.Room.rectangle(4, 3))
        >>> path = save_wnb(scene, tempfile.mkdtemp() + "/room.wnb")
        >>> worldnb.load(path) == scene
        True
    """
    check_scene(scene)
    path = as_path(path)
    if path.suffix.lower() != ".wnb":
        raise InputError(
            f"{path}: a saved scene needs the .wnb extension (use scene.export() for "
            ".glb, .ply or .json)"
        )
    manifest = json.dumps(_manifest(scene), allow_nan=False).encode()

    def write(f) -> None:
        blob = st_save(_arrays(scene))
        with zipfile.ZipFile(f, "w") as zf:
            zf.writestr(MANIFEST, manifest, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr(ARRAYS, blob, compress_type=zipfile.ZIP_STORED)

    return atomic_write(path, write)


# ---- reading ----------------------------------------------------------------------------
def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limit: int) -> bytes:
    size, packed = info.file_size, info.compress_size
    expect(size <= limit, path, f"member {info.filename} declares {size:,} bytes (limit {limit:,})")
    if info.compress_type == zipfile.ZIP_STORED:
        expect(size == packed, path, f"member {info.filename} has inconsistent sizes")
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        expect(
            size <= max(packed, 1) * _MAX_DEFLATE_RATIO,
            path,
            f"member {info.filename} declares {size:,} bytes from {packed:,} compressed "
            "(a zip bomb?)",
        )
    else:
        raise FormatError(f"{path}: member {info.filename} uses an unsupported compression")
    with zf.open(info) as f:
        data = f.read(size + 1)
    expect(len(data) == size, path, f"member {info.filename} is truncated")
    return data


def _looks_pickled(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in ("pkl", "pickle", "pt", "pth", "bin", "npy", "joblib")


def load_wnb(path) -> Scene:
    """Load a scene saved by :func:`save_wnb`.

    Raises:
        InputError: the file does not exist.
        FormatError: the file is not a readable ``.wnb`` (names the problem).
    """
    path = check_readable(as_path(path))
    with reading(path, ".wnb"):
        size = path.stat().st_size
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FormatError(
                f"{path}: not a .wnb file (not a zip archive, or truncated)"
            ) from None
        with zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            expect(len(set(names)) == len(names), path, "the archive lists a member twice")
            for name in names:
                if name not in (MANIFEST, ARRAYS):
                    hint = " (worldnb never loads pickles)" if _looks_pickled(name) else ""
                    raise FormatError(f"{path}: unexpected member {name!r} in a .wnb archive{hint}")
            expect(MANIFEST in names, path, f"not a .wnb file: it has no {MANIFEST}")
            by_name = dict(zip(names, infos, strict=True))
            manifest = _parse_manifest(
                _read_member(zf, by_name[MANIFEST], path, _MAX_MANIFEST), path
            )
            arrays: dict[str, np.ndarray] = {}
            if ARRAYS in by_name:
                blob = _read_member(zf, by_name[ARRAYS], path, max(size, 1))
                arrays = st_load(blob) if blob else {}
            elif manifest["layers"] or manifest["images"]:
                raise FormatError(f"{path}: {ARRAYS} is missing")
        return _build(manifest, arrays, path)


def _parse_manifest(raw: bytes, path: Path) -> dict:
    try:
        m = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"{path}: {MANIFEST} is not valid JSON ({exc})") from None
    expect(isinstance(m, dict), path, f"{MANIFEST} must hold a JSON object")
    expect(m.get("format") == FORMAT, path, f"{MANIFEST} is not a worldnb scene manifest")
    version = m.get("version")
    expect(isinstance(version, int), path, f"{MANIFEST} has no integer format version")
    expect(
        version <= VERSION,
        path,
        f"format version {version} is newer than this worldnb reads ({VERSION}); upgrade worldnb",
    )
    for key, kind in (("objects", list), ("layers", list), ("cameras", list), ("images", list)):
        m.setdefault(key, [])
        expect(isinstance(m[key], kind), path, f"manifest '{key}' must be a list")
    m.setdefault("meta", {})
    expect(isinstance(m["meta"], dict), path, "manifest 'meta' must be an object")
    return m


def _take(arrays: dict, key: str, path: Path) -> np.ndarray:
    expect(key in arrays, path, f"array {key!r} named in the manifest is missing")
    return arrays.pop(key)


def _build(m: dict, arrays: dict, path: Path) -> Scene:
    arrays = dict(arrays)
    layers = {}
    for i, rec in enumerate(m["layers"]):
        expect(isinstance(rec, dict), path, f"layers[{i}] must be an object")
        name, kind, keys = rec.get("name"), rec.get("kind"), rec.get("arrays")
        expect(isinstance(name, str) and name != "", path, f"layers[{i}] needs a non-empty name")
        expect(name not in layers, path, f"layer name {name!r} appears twice")
        expect(kind in LAYER_TYPES, path, f"layer {name!r} has unknown kind {kind!r}")
        expect(
            isinstance(keys, list) and all(isinstance(k, str) for k in keys),
            path,
            f"layer {name!r} must list its arrays",
        )
        cls = LAYER_TYPES[kind]
        allowed = set(inspect.signature(cls).parameters)
        unknown = set(keys) - allowed
        expect(not unknown, path, f"layer {name!r} lists unknown arrays {sorted(unknown)}")
        layers[name] = cls(**{k: _take(arrays, f"layers/{name}/{k}", path) for k in keys})
    images = {}
    for i, name in enumerate(m["images"]):
        expect(isinstance(name, str) and name != "", path, f"images[{i}] must be a name")
        images[name] = _take(arrays, f"images/{name}", path)
    expect(not arrays, path, f"arrays not named in the manifest: {sorted(arrays)[:5]}")
    scene = Scene(
        room=parse_room(m.get("room"), path),
        objects=parse_objects(m["objects"], path),
        layers=layers,
        cameras=parse_cameras(m["cameras"], path),
        images=images,
        meta=m["meta"],
    )
    nxt = m.get("next_object_id")
    if isinstance(nxt, int) and not isinstance(nxt, bool):
        # ids are int64, so the next one is at most 2**63 (every id handed out)
        expect(0 <= nxt <= 2**63, path, f"next_object_id {nxt} is outside [0, 2**63]")
        scene._next_id = max(scene._next_id, nxt)
    return scene
