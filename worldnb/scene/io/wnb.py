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
      "meta": {...},                   # the scene's JSON-serialisable provenance
      "precision": "compact" | "full", # version 2: how float arrays were stored
      "encodings": {"<array key>": "float16" | "unorm8" | "delta"},  # version 2: arrays not
                                       # stored in their dtype at rest (float32)
      "aliases": {"<array key>": "<array key>"}  # version 2: an array stored once
    }

``arrays.safetensors`` (deflated), one safetensors file holding every array under
``layers/<layer name>/<array name>`` (the layer's own attribute names, e.g.
``layers/room/vertices``) and ``images/<image name>``. Nothing is ever pickled, and a
``.wnb`` with any other member (a pickle, say) is refused.

Precision. ``precision="full"`` (the default for scenes that do not ask otherwise)
stores every array in its dtype at rest (float32, int32, uint8, bool): the loaded scene
equals the saved one. ``"compact"`` (what generated scenes ask for) stores arrays
smaller where precision allows, and records how in ``encodings``: colours in [0, 1]
that are exact multiples of 1/255 (an 8-bit photo) as ``unorm8`` (lossless), colour
images (generated views) as ``unorm8`` too (within 1/510); mesh faces as ``delta``
(differences of consecutive indices: lossless, and they deflate well); other colours,
normals, rotations, log scales, opacity logits and depth images as ``float16``
(relative error ≤ 2⁻¹¹); positions as ``float16`` only when that moves no coordinate
by more than :data:`POSITION_TOLERANCE` metres (else float32). An array identical to
one already stored (points that are the Gaussians' centres, say) is stored once and
named in ``aliases``. Loading is exact for what was stored: each array comes back in
its dtype at rest holding exactly the stored values.

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
VERSION = 2
#: Largest coordinate change (m) float16 storage may make to a position array.
POSITION_TOLERANCE = 2e-3
PRECISIONS = ("compact", "full")
_POSITIONS = {"xyz", "vertices", "means"}
_COLOURS = {"rgb", "vertex_colors", "colors", "texture"}
_HALF_OK = {"normals", "quats", "scales", "opacities", "sh_rest"}
MANIFEST = "manifest.json"
ARRAYS = "arrays.safetensors"
_MAX_MANIFEST = 64 << 20
#: deflate cannot compress by more than ~1032:1; a larger declared ratio is a lie (a bomb).
_MAX_DEFLATE_RATIO = 1100
#: the arrays member may unpack to at most this many times the file's size
_MAX_ARRAYS_RATIO = 64


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


def _half(arr: np.ndarray) -> np.ndarray | None:
    """float16 copy, or None when a finite value would overflow (or nan/inf change)."""
    with np.errstate(over="ignore"):
        h = arr.astype(np.float16)
    if not np.array_equal(np.isfinite(h), np.isfinite(arr)):
        return None
    return h


def _encode(key: str, arr: np.ndarray) -> tuple[np.ndarray, str | None]:
    """How ``compact`` stores one array: ``(stored, encoding)`` (encoding None: as is)."""
    field = key.rsplit("/", 1)[-1]
    if field == "faces" and arr.dtype == np.int32 and arr.size:
        # neighbouring faces of a lifted pixel grid differ by small repeating steps
        return np.diff(arr.ravel(), prepend=0).astype(np.int32).reshape(arr.shape), "delta"
    if arr.dtype != np.float32 or arr.size == 0:
        return arr, None
    is_image = key.startswith("images/")
    colour_image = is_image and arr.ndim == 3 and arr.shape[-1] in (3, 4)
    colour = field in _COLOURS or colour_image
    if colour and float(arr.min()) >= 0 and float(arr.max()) <= 1:
        q = np.round(arr * 255)
        # 8 bits, as the photo and the screen: lossless for an 8-bit photo's colours;
        # any colour image (a generated view) is stored so
        if colour_image or np.array_equal((q / 255).astype(np.float32), arr):
            return q.astype(np.uint8), "unorm8"
    if colour or field in _HALF_OK or (is_image and not key.endswith("_mask")):
        h = _half(arr)
        return (arr, None) if h is None else (h, "float16")
    if field in _POSITIONS and not is_image:
        h = _half(arr)
        if h is not None and float(np.nanmax(np.abs(h - arr))) <= POSITION_TOLERANCE:
            return h, "float16"
    return arr, None


def _decode(arr: np.ndarray, encoding: str, key: str, path: Path) -> np.ndarray:
    if encoding == "float16":
        expect(arr.dtype == np.float16, path, f"array {key!r} should be float16")
        return arr.astype(np.float32)
    if encoding == "delta":
        expect(arr.dtype == np.int32, path, f"array {key!r} should be int32 (delta)")
        out = np.cumsum(arr.ravel(), dtype=np.int64)
        expect(
            out.size == 0 or (out.min() >= 0 and out.max() <= np.iinfo(np.int32).max),
            path,
            f"array {key!r} decodes to indices out of range",
        )
        return out.astype(np.int32).reshape(arr.shape)
    expect(encoding == "unorm8", path, f"array {key!r} has unknown encoding {encoding!r}")
    expect(arr.dtype == np.uint8, path, f"array {key!r} should be uint8 (unorm8)")
    return (arr / np.float32(255)).astype(np.float32)


def _pack(arrays: dict[str, np.ndarray], precision: str):
    """Encode (compact) and de-duplicate: ``(stored, encodings, aliases)``."""
    stored, encodings, aliases, seen = {}, {}, {}, {}
    for key, arr in arrays.items():
        enc = None
        if precision == "compact":
            arr, enc = _encode(key, arr)
        sig = (arr.dtype.str, arr.shape, enc, hash(arr.tobytes()))
        twin = seen.get(sig)
        if twin is not None and np.array_equal(stored[twin], arr):
            aliases[key] = twin
            continue
        seen[sig] = key
        stored[key] = np.ascontiguousarray(arr)
        if enc is not None:
            encodings[key] = enc
    return stored, encodings, aliases


def save_wnb(scene: Scene, path, precision: str | None = None) -> Path:
    """Save a scene to a ``.wnb`` file, atomically.

    Args:
        scene: the scene to save.
        path: file path ending in ``.wnb``; its folder must exist.
        precision: ``"compact"`` (float16 / 8-bit where precision allows, see the
            module docstring) or ``"full"`` (every array as it is: lossless). None:
            what ``scene.meta["save_precision"]`` asks for (:func:`worldnb.generate`
            asks for ``"compact"``: its geometry comes from an 8-bit photo and estimated
            depth, far coarser than float16), else ``"full"``.

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
    if precision is None:
        precision = scene.meta.get("save_precision", "full")
    if precision not in PRECISIONS:
        raise InputError(f"precision: expected one of {PRECISIONS}, got {precision!r}")
    record = _manifest(scene)
    stored, encodings, aliases = _pack(_arrays(scene), precision)
    record.update(precision=precision, encodings=encodings, aliases=aliases)
    manifest = json.dumps(record, allow_nan=False).encode()

    def write(f) -> None:
        blob = st_save(stored)
        with zipfile.ZipFile(f, "w") as zf:
            zf.writestr(MANIFEST, manifest, compress_type=zipfile.ZIP_DEFLATED)
            zf.writestr(ARRAYS, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)

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
                info = by_name[ARRAYS]
                # stored (version 1): no larger than the file; deflated (version 2): a
                # scene's arrays deflate far less than 64:1 (the ratio check still applies)
                factor = 1 if info.compress_type == zipfile.ZIP_STORED else _MAX_ARRAYS_RATIO
                blob = _read_member(zf, info, path, max(size, 1) * factor)
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
    for key in ("encodings", "aliases"):
        m.setdefault(key, {})
        expect(
            isinstance(m[key], dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in m[key].items()),
            path,
            f"manifest '{key}' must map array names to names",
        )
    return m


def _take(arrays: dict, key: str, path: Path) -> np.ndarray:
    expect(key in arrays, path, f"array {key!r} named in the manifest is missing")
    return arrays.pop(key)


def _unpack(m: dict, arrays: dict, path: Path) -> dict:
    """Undo :func:`_pack`: aliases point at stored arrays; encoded arrays become float32."""
    arrays = dict(arrays)
    for key, enc in m["encodings"].items():
        expect(key in arrays, path, f"encoded array {key!r} is missing")
        arrays[key] = _decode(arrays[key], enc, key, path)
    for key, twin in m["aliases"].items():
        expect(key not in arrays, path, f"array {key!r} is both stored and an alias")
        expect(twin in arrays, path, f"alias {key!r} names a missing array {twin!r}")
        arrays[key] = arrays[twin].copy()
    return arrays


def _build(m: dict, arrays: dict, path: Path) -> Scene:
    arrays = _unpack(m, arrays, path)
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
