"""A small glTF 2.0 binary (GLB) builder: one buffer, 4-byte aligned views, accessors."""

from __future__ import annotations

import json
import struct

import numpy as np

_MAGIC, _VERSION = 0x46546C67, 2  # b"glTF"
_CHUNK_JSON, _CHUNK_BIN = 0x4E4F534A, 0x004E4942
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
POINTS, LINES, TRIANGLES = 0, 1, 4

_COMPONENT = {
    np.dtype(np.int8): 5120,
    np.dtype(np.uint8): 5121,
    np.dtype(np.int16): 5122,
    np.dtype(np.uint16): 5123,
    np.dtype(np.uint32): 5125,
    np.dtype(np.float32): 5126,
}
_TYPE = {1: "SCALAR", 2: "VEC2", 3: "VEC3", 4: "VEC4", 16: "MAT4"}


def _pad(data: bytes, fill: bytes = b"\x00") -> bytes:
    return data + fill * (-len(data) % 4)


class GlbBuilder:
    """Accumulates glTF JSON and one binary buffer, then serialises a GLB.

    Example:
        >>> b = GlbBuilder()
        >>> acc = b.accessor(np.zeros((3, 3), np.float32), target=ARRAY_BUFFER, bounds=True)
        >>> b.to_bytes()[:4]
        b'glTF'
    """

    def __init__(self, generator: str = "worldnb"):
        self.gltf: dict = {"asset": {"version": "2.0", "generator": generator}}
        self._bin = bytearray()

    def _add(self, key: str, item: dict) -> int:
        self.gltf.setdefault(key, []).append(item)
        return len(self.gltf[key]) - 1

    def view(self, data: bytes, target: int | None = None) -> int:
        """Append bytes at a 4-byte aligned offset; return the bufferView index."""
        self._bin.extend(b"\x00" * (-len(self._bin) % 4))
        item = {"buffer": 0, "byteOffset": len(self._bin), "byteLength": len(data)}
        if target is not None:
            item["target"] = target
        self._bin.extend(data)
        return self._add("bufferViews", item)

    def accessor(
        self,
        array: np.ndarray,
        *,
        target: int | None = None,
        bounds: bool = False,
        normalized: bool = False,
    ) -> int:
        """Add a (count,) or (count, k) array as an accessor; return its index."""
        arr = np.ascontiguousarray(array)
        comp = _COMPONENT[arr.dtype]
        k = 1 if arr.ndim == 1 else arr.shape[1]
        item = {
            "bufferView": self.view(arr.astype(arr.dtype.newbyteorder("<")).tobytes(), target),
            "componentType": comp,
            "count": int(arr.shape[0]),
            "type": _TYPE[k],
        }
        if normalized:
            item["normalized"] = True
        if bounds:
            flat = arr.reshape(len(arr), k)
            cast = float if arr.dtype.kind == "f" else int
            item["min"] = [cast(x) for x in flat.min(0)]
            item["max"] = [cast(x) for x in flat.max(0)]
        return self._add("accessors", item)

    def add(self, key: str, item: dict) -> int:
        """Append a JSON object to a top-level array (meshes, nodes, …); return its index."""
        return self._add(key, item)

    def to_bytes(self) -> bytes:
        """The GLB file: 12-byte header, JSON chunk (space-padded), BIN chunk (zero-padded)."""
        gltf = dict(self.gltf)
        if self._bin:
            gltf["buffers"] = [{"byteLength": len(self._bin)}]
        js = _pad(json.dumps(gltf, separators=(",", ":"), allow_nan=False).encode(), b" ")
        out = struct.pack("<II", len(js), _CHUNK_JSON) + js
        if self._bin:
            b = _pad(bytes(self._bin))
            out += struct.pack("<II", len(b), _CHUNK_BIN) + b
        return struct.pack("<III", _MAGIC, _VERSION, 12 + len(out)) + out
