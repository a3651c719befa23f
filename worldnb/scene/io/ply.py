"""PLY files: point clouds, meshes, and 3D Gaussians in the reference 3DGS layout.

Writing (binary little endian, via plyfile) — one layer per file:

- :class:`PointCloud`: element ``vertex`` with ``x y z`` (float), optional
  ``nx ny nz`` (float), ``red green blue`` (uchar) and, when set, ``instance`` (int).
- :class:`Gaussians`: element ``vertex`` with exactly the float properties the
  reference 3D Gaussian Splatting code writes, in its order::

      x y z nx ny nz f_dc_0 f_dc_1 f_dc_2 f_rest_0 … f_rest_{3K-1}
      opacity scale_0 scale_1 scale_2 rot_0 rot_1 rot_2 rot_3

  ``f_dc = (colors − 0.5) / SH_C0``; ``f_rest`` channel-major (all K red
  coefficients, then green, then blue: ``sh_rest`` (N, K, 3) transposed to (N, 3, K)
  and flattened); ``opacity`` is the logit, ``scale_*`` the log scales, ``rot_*``
  the quaternion w, x, y, z; normals are zero.
- :class:`Mesh` (only when asked for by name): ``vertex`` ``x y z`` [+ ``red green
  blue``] and ``face`` ``vertex_indices`` (uchar count, int indices).

Reading: a PLY with ``f_dc_0 … rot_3`` becomes a ``gaussians`` layer; one with a
``face`` element a ``mesh`` layer (polygons fan-triangulated, vertex colours kept);
anything else with ``x y z`` a ``points`` layer (colours as uchar/ushort or floats
in [0, 1], normals, ``instance``). ASCII and both binary byte orders are read.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from plyfile import PlyData, PlyElement

from ...errors import FormatError, InputError
from ..geometry import SH_C0, Gaussians, Mesh, PointCloud
from ..scene import Scene
from ._files import as_path, atomic_write, check_readable, check_scene, reading
from ._records import expect

__all__ = ["gaussians_ply_properties", "load_ply", "save_ply"]


def gaussians_ply_properties(sh_coeffs_rest: int = 0) -> list[str]:
    """The reference 3DGS vertex property names, in order, for K = ``sh_coeffs_rest``."""
    names = ["x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"]
    names += [f"f_rest_{i}" for i in range(3 * sh_coeffs_rest)]
    names += ["opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"]
    return names


# ---- writing ----------------------------------------------------------------------------
def _structured(columns: list[tuple[str, np.ndarray, str]], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=[(name, dt) for name, _, dt in columns])
    for name, values, _ in columns:
        out[name] = values
    return out


def _to_u8(colors: np.ndarray) -> np.ndarray:
    return np.clip(np.round(colors.astype(np.float64) * 255.0), 0, 255).astype(np.uint8)


def _gaussians_vertex(g: Gaussians) -> np.ndarray:
    n = len(g)
    k = 0 if g.sh_rest is None else g.sh_rest.shape[1]
    f_dc = (g.colors.astype(np.float64) - 0.5) / SH_C0
    f_rest = (
        np.zeros((n, 0), np.float32)
        if g.sh_rest is None
        else g.sh_rest.transpose(0, 2, 1).reshape(n, 3 * k)
    )
    cols = np.concatenate(
        [
            g.means,
            np.zeros((n, 3), np.float32),
            f_dc.astype(np.float32),
            f_rest,
            g.opacities[:, None],
            g.scales,
            g.quats,
        ],
        axis=1,
    ).astype("<f4")
    names = gaussians_ply_properties(k)
    # every property is float32: the (N, P) matrix *is* the record array, viewed
    return np.ascontiguousarray(cols).view([(nm, "<f4") for nm in names]).reshape(n)


def _points_vertex(p: PointCloud) -> np.ndarray:
    cols = [(c, p.xyz[:, i], "<f4") for i, c in enumerate("xyz")]
    if p.normals is not None:
        cols += [(c, p.normals[:, i], "<f4") for i, c in enumerate(("nx", "ny", "nz"))]
    rgb = _to_u8(p.rgb)
    cols += [(c, rgb[:, i], "u1") for i, c in enumerate(("red", "green", "blue"))]
    if p.instance is not None:
        cols.append(("instance", p.instance, "<i4"))
    return _structured(cols, len(p))


def _mesh_elements(m: Mesh) -> list[PlyElement]:
    cols = [(c, m.vertices[:, i], "<f4") for i, c in enumerate("xyz")]
    if m.vertex_colors is not None:
        rgb = _to_u8(m.vertex_colors)
        cols += [(c, rgb[:, i], "u1") for i, c in enumerate(("red", "green", "blue"))]
    vertex = PlyElement.describe(_structured(cols, len(m.vertices)), "vertex")
    faces = np.zeros(len(m.faces), dtype=[("vertex_indices", "<i4", (3,))])
    faces["vertex_indices"] = m.faces
    face = PlyElement.describe(faces, "face", len_types={"vertex_indices": "u1"})
    return [vertex, face]


def _pick_layer(scene: Scene, layer: str | None):
    if layer is not None:
        if layer not in scene.layers:
            names = ", ".join(scene.layers) or "none"
            raise InputError(f"layer: no layer {layer!r} in this scene; layers are {names}")
        return layer, scene.layers[layer]
    for name, lay in scene.layers.items():
        if lay.kind in ("gaussians", "points"):
            return name, lay
    meshes = [n for n, lay in scene.layers.items() if lay.kind == "mesh"]
    hint = f"; to write a mesh pass layer={meshes[0]!r}" if meshes else ""
    raise InputError(f"export .ply: the scene has no Gaussians or point-cloud layer{hint}")


def save_ply(scene: Scene, path, *, layer: str | None = None, text: bool = False) -> Path:
    """Write one layer of a scene to a ``.ply`` file (atomically).

    Args:
        scene: the scene.
        path: the file to write; its folder must exist.
        layer: name of the layer to write; by default the first Gaussians or
            point-cloud layer. A mesh layer is written only when named here.
        text: write ASCII PLY instead of binary little endian.

    Raises:
        InputError: no such layer, or no Gaussians / points layer to pick.
    """
    check_scene(scene)
    path = as_path(path)
    _, lay = _pick_layer(scene, layer)
    if lay.kind == "gaussians":
        elements = [PlyElement.describe(_gaussians_vertex(lay), "vertex")]
    elif lay.kind == "points":
        elements = [PlyElement.describe(_points_vertex(lay), "vertex")]
    else:
        elements = _mesh_elements(lay)
    ply = PlyData(elements, text=text, byte_order="<", comments=["written by worldnb"])
    return atomic_write(path, ply.write)


# ---- reading ----------------------------------------------------------------------------
_TYPE_SIZES = {
    "char": 1, "uchar": 1, "int8": 1, "uint8": 1,
    "short": 2, "ushort": 2, "int16": 2, "uint16": 2,
    "int": 4, "uint": 4, "int32": 4, "uint32": 4, "float": 4, "float32": 4,
    "double": 8, "float64": 8,
}  # fmt: skip


def _check_header(path: Path) -> None:
    """Check the header's declared counts against the file size before plyfile allocates."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(1 << 20)
    expect(head[:3] == b"ply", path, "not a PLY file (it does not start with 'ply')")
    end = re.search(rb"end_header\r?\n", head)
    expect(end is not None, path, "PLY header has no end_header line within the first MiB")
    try:
        lines = head[: end.start()].decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise FormatError(f"{path}: PLY header is not ASCII text") from None
    body = size - end.end()
    fmt, elements = None, []
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] == "format" and len(words) >= 2:
            fmt = words[1]
        elif words[0] == "element":
            expect(len(words) == 3 and words[2].isdigit(), path, f"bad header line {line!r}")
            elements.append([words[1], int(words[2]), 0])
        elif words[0] == "property" and elements:
            # minimum bytes per row: a list counts only its length field
            t = words[2] if words[1] == "list" and len(words) > 2 else words[1]
            elements[-1][2] += _TYPE_SIZES.get(t, 1)
    expect(
        fmt in ("ascii", "binary_little_endian", "binary_big_endian"),
        path,
        f"unknown PLY format {fmt!r}",
    )
    per_row_min = (lambda nbytes: 2) if fmt == "ascii" else (lambda nbytes: max(nbytes, 1))
    need = sum(count * per_row_min(nb) for _, count, nb in elements if count)
    expect(
        need <= body,
        path,
        f"the header declares {', '.join(f'{c:,} {n}' for n, c, _ in elements)} "
        f"but only {body:,} bytes follow it (truncated?)",
    )


def _read_plydata(path: Path) -> PlyData:
    _check_header(path)
    try:  # triangles are memory-mapped: fast; any other polygon falls back below
        return PlyData.read(str(path), known_list_len={"face": {"vertex_indices": 3}})
    except Exception:  # the generic reader is slower but takes any list length
        return PlyData.read(str(path), mmap=False)


def _column(el, name: str) -> np.ndarray:
    return np.asarray(el[name])


def _colors(el, names, path) -> np.ndarray | None:
    if not all(n in el.data.dtype.names for n in names):
        return None
    raw = np.stack([_column(el, n) for n in names], axis=1)
    if raw.dtype.kind in "ui":
        top = 255 if raw.dtype.itemsize == 1 else np.iinfo(raw.dtype).max
        return np.clip(raw.astype(np.float64), 0, top).astype(np.float32) / np.float32(top)
    raw = raw.astype(np.float32)
    expect(
        raw.size == 0 or (np.nanmin(raw) >= 0 and np.nanmax(raw) <= 1),
        path,
        "float vertex colours must lie in [0, 1]",
    )
    return raw


def _gaussians_from(el, path) -> Gaussians:
    names = el.data.dtype.names
    rest = sorted((n for n in names if n.startswith("f_rest_")), key=lambda n: int(n[7:]))
    expect(
        len(rest) in (0, 9, 24, 45),
        path,
        f"3DGS PLY has {len(rest)} f_rest properties; expected 0, 9, 24 or 45 (SH degree 0–3)",
    )
    for k in ("opacity", *(f"scale_{i}" for i in range(3)), *(f"rot_{i}" for i in range(4))):
        expect(k in names, path, f"3DGS PLY is missing the {k!r} property")

    def cols(keys):  # in the file's dtype: Gaussians casts to float32 and reports overflow
        return np.stack([_column(el, k) for k in keys], axis=1)

    n = el.count
    f_dc = cols(["f_dc_0", "f_dc_1", "f_dc_2"])
    sh_rest = None
    if rest:
        k = len(rest) // 3
        sh_rest = cols(rest).reshape(n, 3, k).transpose(0, 2, 1)
    return Gaussians(
        means=cols("xyz"),
        scales=cols(["scale_0", "scale_1", "scale_2"]),
        quats=cols(["rot_0", "rot_1", "rot_2", "rot_3"]),
        opacities=_column(el, "opacity"),
        colors=f_dc.astype(np.float64) * SH_C0 + 0.5,
        sh_rest=sh_rest,
    )


def _faces_from(face_el, path) -> np.ndarray:
    key = next(
        (k for k in ("vertex_indices", "vertex_index") if k in face_el.data.dtype.names), None
    )
    expect(key is not None, path, "face element has no vertex_indices list")
    col = face_el[key]
    if col.dtype != object and col.ndim == 2:  # fixed-length (memory-mapped) triangles
        return np.asarray(col, np.int64).reshape(-1, 3)
    expect(col.dtype == object, path, f"face property {key!r} is not a list of vertex indices")
    tris = []
    for poly in col:
        poly = np.asarray(poly, np.int64)
        expect(len(poly) >= 3, path, f"a face has {len(poly)} vertices (needs >= 3)")
        fan = np.stack([np.full(len(poly) - 2, poly[0]), poly[1:-1], poly[2:]], axis=1)
        tris.append(fan)
    return np.concatenate(tris)  # load_ply reads faces only when there is at least one


def load_ply(path, *, layer: str | None = None) -> Scene:
    """Read a ``.ply`` into a Scene with one layer.

    Args:
        path: the file.
        layer: name for the layer; by default ``"gaussians"``, ``"mesh"`` or ``"points"``.

    Raises:
        InputError: the file does not exist.
        FormatError: not a readable PLY, or no ``vertex`` element with ``x y z``.
    """
    path = check_readable(as_path(path))
    with reading(path, ".ply"):
        ply = _read_plydata(path)
        names = [e.name for e in ply.elements]
        expect("vertex" in names, path, "PLY has no 'vertex' element")
        v = ply["vertex"]
        props = v.data.dtype.names or ()
        expect(all(c in props for c in "xyz"), path, "PLY vertices have no x, y, z properties")
        # in the file's dtype: the layer casts to float32 and reports values beyond its range
        xyz = np.stack([_column(v, c) for c in "xyz"], axis=1)
        rgb = _colors(v, ("red", "green", "blue"), path)
        if "f_dc_0" in props:
            lay, default = _gaussians_from(v, path), "gaussians"
        elif "face" in names and ply["face"].count > 0:
            faces = _faces_from(ply["face"], path)
            lay, default = Mesh(xyz, faces, vertex_colors=rgb), "mesh"
        else:
            normals = None
            if all(c in props for c in ("nx", "ny", "nz")):
                normals = np.stack([_column(v, c) for c in ("nx", "ny", "nz")], 1)
            instance = _column(v, "instance") if "instance" in props else None
            lay, default = PointCloud(xyz, rgb, normals, instance), "points"
        return Scene(layers={layer or default: lay})
