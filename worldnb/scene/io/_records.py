"""Plain-JSON records of the scene parts every format shares: room, objects, cameras.

``to_jsonable`` is strict (what cannot be written is an InputError naming where it
sits); ``normalised`` is its lenient twin used for comparing scenes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...errors import FormatError, InputError
from ..camera import Camera
from ..room import Room
from ..scene import SceneObject


def to_jsonable(value: Any, where: str) -> Any:
    """``value`` as plain JSON types: numpy scalars → Python, arrays and tuples → lists.

    Raises:
        InputError: naming ``where`` for values JSON cannot hold (objects, non-string
            keys, NaN / inf).
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        if not math.isfinite(float(value)):
            raise InputError(f"{where}: {value} cannot be stored in JSON; use None or a string")
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise InputError(f"{where}: numpy array of dtype {value.dtype} is not JSON-storable")
        if value.ndim == 0:  # a 0-d array is one number (tolist() gives a scalar)
            return to_jsonable(value.item(), where)
        return [to_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value.tolist())]
    if isinstance(value, list | tuple):
        return [to_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InputError(f"{where}: keys must be strings, got {k!r}; convert it with str()")
            out[k] = to_jsonable(v, f"{where}[{k!r}]")
        return out
    raise InputError(
        f"{where}: a {type(value).__name__} is not JSON-serialisable; store numbers, strings, "
        "lists, dicts or numpy arrays"
    )


def normalised(value: Any) -> Any:
    """Lenient :func:`to_jsonable` for comparisons: unknown objects are kept as they are."""
    try:
        return to_jsonable(value, "value")
    except InputError:
        if isinstance(value, dict):
            return {k: normalised(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [normalised(v) for v in value]
        return value


def object_record(obj: SceneObject, where: str = "objects") -> dict:
    return to_jsonable(obj.to_dict(), f"{where}[id={obj.id}]")


def room_record(room: Room | None) -> dict | None:
    return None if room is None else to_jsonable(room.to_dict(), "room")


def cameras_record(cameras: dict[str, Camera]) -> list[dict]:
    return [
        {"name": name, **to_jsonable(c.to_dict(), f"cameras[{name!r}]")}
        for name, c in cameras.items()
    ]


# ---- reading ----------------------------------------------------------------------------
def expect(cond: bool, path, problem: str) -> None:
    if not cond:
        raise FormatError(f"{path}: {problem}")


def parse_room(rec, path) -> Room | None:
    if rec is None:
        return None
    expect(
        isinstance(rec, dict), path, f"'room' must be an object or null, got {type(rec).__name__}"
    )
    expect(isinstance(rec.get("openings", []), list), path, "'room.openings' must be a list")
    return Room.from_dict({"openings": [], **rec})


def parse_objects(recs, path) -> list[SceneObject]:
    expect(isinstance(recs, list), path, f"'objects' must be a list, got {type(recs).__name__}")
    out = []
    for i, rec in enumerate(recs):
        expect(isinstance(rec, dict), path, f"objects[{i}] must be an object")
        expect(isinstance(rec.get("box"), dict), path, f"objects[{i}].box must be an object")
        expect(
            isinstance(rec.get("attrs", {}), dict), path, f"objects[{i}].attrs must be an object"
        )
        out.append(SceneObject.from_dict(rec))
    return out


def parse_cameras(recs, path) -> dict[str, Camera]:
    expect(isinstance(recs, list), path, f"'cameras' must be a list, got {type(recs).__name__}")
    out = {}
    for i, rec in enumerate(recs):
        expect(isinstance(rec, dict), path, f"cameras[{i}] must be an object")
        name = rec.get("name")
        expect(isinstance(name, str) and name != "", path, f"cameras[{i}] needs a non-empty name")
        expect(name not in out, path, f"camera name {name!r} appears twice")
        out[name] = Camera.from_dict(rec)
    return out
