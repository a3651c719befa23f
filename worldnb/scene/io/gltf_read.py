"""glTF 2.0 import (``.glb`` and ``.gltf``): see :mod:`.glb` for what a worldnb GLB holds.

The structure is checked before anything is decoded: GLB header and chunks, buffer and
buffer-view bounds, accessor sizes, mesh and node references, and (for ``.gltf``)
external files, which must sit in the file's own folder. Then trimesh reads the
triangle meshes and point clouds (node transforms applied) into ``mesh`` / ``points``
layers named after their nodes, in node order; room, objects and cameras come from
``scenes[*].extras.worldnb`` when present, else cameras come from the file's
perspective camera nodes (OpenGL axes → OpenCV, 512 px high, the file's aspect ratio).

Refused before decoding: files that require a glTF extension (Draco-compressed meshes,
say: worldnb reads none), external files outside the ``.gltf``'s folder (symlinks are
resolved first), and textures over :data:`MAX_TEXTURE_PIXELS` unless
``allow_large=True``. URIs are percent-decoded as the glTF specification says.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import struct
from pathlib import Path
from urllib.parse import unquote

import numpy as np

from ...errors import FormatError
from ..camera import Camera, opencv_to_opengl
from ..geometry import Mesh, PointCloud
from ..scene import Scene
from ._files import as_path, check_readable, read_bytes, reading
from ._glb_builder import _CHUNK_BIN, _CHUNK_JSON, _MAGIC
from ._records import expect
from .scene_json import scene_from_json_dict

__all__ = ["MAX_TEXTURE_PIXELS", "load_gltf"]

#: Textures with more pixels than this are refused unless ``allow_large=True``.
MAX_TEXTURE_PIXELS = 8192 * 8192
#: What some glTF extensions are, for the message that refuses them.
_EXTENSION_NAMES = {
    "KHR_draco_mesh_compression": "Draco-compressed meshes",
    "EXT_meshopt_compression": "meshoptimizer-compressed buffers",
    "KHR_mesh_quantization": "quantized vertex attributes",
    "KHR_texture_basisu": "Basis Universal (KTX2) textures",
    "EXT_texture_webp": "WebP-only textures",
}

_COMPONENT_SIZE = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
_TYPE_SIZE = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
_MAX_COUNT = 1 << 31


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _index(v, n: int) -> bool:
    return _is_int(v) and 0 <= v < n


def _split_glb(data: bytes, path: Path) -> tuple[dict, bytes | None]:
    expect(len(data) >= 20, path, f"too short to be a GLB ({len(data)} bytes)")
    magic, version, length = struct.unpack_from("<III", data)
    expect(magic == _MAGIC, path, "not a GLB file (no 'glTF' magic at the start)")
    expect(version == 2, path, f"GLB version {version}; only glTF 2.0 is supported")
    expect(
        length <= len(data),
        path,
        f"the header says {length:,} bytes, the file has {len(data):,} (truncated)",
    )
    jlen, jtype = struct.unpack_from("<II", data, 12)
    expect(jtype == _CHUNK_JSON, path, "the first GLB chunk is not JSON")
    expect(20 + jlen <= length, path, "the JSON chunk runs past the end of the file (truncated)")
    gltf = _json(data[20 : 20 + jlen], path)
    off, binary = 20 + jlen, None
    while off + 8 <= length:
        clen, ctype = struct.unpack_from("<II", data, off)
        expect(
            off + 8 + clen <= length, path, "a GLB chunk runs past the end of the file (truncated)"
        )
        if ctype == _CHUNK_BIN:
            expect(binary is None, path, "the GLB has two BIN chunks")
            binary = data[off + 8 : off + 8 + clen]
        off += 8 + clen + (-clen % 4)
    return gltf, binary


def _json(raw: bytes, path: Path) -> dict:
    try:
        gltf = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"{path}: the glTF JSON is not valid ({exc})") from None
    expect(isinstance(gltf, dict), path, "the glTF JSON is not an object")
    asset = gltf.get("asset")
    expect(
        isinstance(asset, dict) and str(asset.get("version", "")).startswith("2."),
        path,
        "not a glTF 2.0 asset (asset.version must be '2.x')",
    )
    for key in ("buffers", "bufferViews", "accessors", "meshes", "nodes", "cameras", "scenes"):
        v = gltf.get(key, [])
        expect(
            isinstance(v, list) and all(isinstance(x, dict) for x in v),
            path,
            f"'{key}' must be a list of objects",
        )
    return gltf


def _check_layout(gltf: dict, buffer_sizes: list[int], path: Path) -> None:
    """Bounds of every buffer view and accessor, so no reader allocates from a lie."""
    views = gltf.get("bufferViews", [])
    for i, v in enumerate(views):
        ok = _index(v.get("buffer"), len(buffer_sizes)) and _is_int(v.get("byteLength"))
        expect(ok, path, f"bufferViews[{i}] has a bad buffer or byteLength")
        start, length = v.get("byteOffset", 0), v["byteLength"]
        expect(
            _is_int(start) and start >= 0 and length >= 0,
            path,
            f"bufferViews[{i}] has a bad offset",
        )
        expect(
            start + length <= buffer_sizes[v["buffer"]],
            path,
            f"bufferViews[{i}] ends at byte {start + length:,}, past its buffer "
            f"({buffer_sizes[v['buffer']]:,} bytes; truncated?)",
        )
        stride = v.get("byteStride")
        expect(
            stride is None or (_is_int(stride) and 4 <= stride <= 252),
            path,
            f"bufferViews[{i}] has a bad byteStride",
        )
    for i, a in enumerate(gltf.get("accessors", [])):
        comp, typ, count = a.get("componentType"), a.get("type"), a.get("count")
        expect(
            comp in _COMPONENT_SIZE and typ in _TYPE_SIZE, path, f"accessors[{i}] has a bad type"
        )
        expect(_is_int(count) and 0 < count < _MAX_COUNT, path, f"accessors[{i}] has a bad count")
        expect(
            "sparse" not in a, path, f"accessors[{i}] is sparse; sparse accessors are not supported"
        )
        expect("bufferView" in a, path, f"accessors[{i}] has no bufferView; not supported")
        expect(
            _index(a["bufferView"], len(views)), path, f"accessors[{i}] names a missing bufferView"
        )
        view = views[a["bufferView"]]
        elem = _COMPONENT_SIZE[comp] * _TYPE_SIZE[typ]
        stride = view.get("byteStride") or elem
        offset = a.get("byteOffset", 0)
        expect(_is_int(offset) and offset >= 0, path, f"accessors[{i}] has a bad byteOffset")
        expect(
            offset + (count - 1) * stride + elem <= view["byteLength"],
            path,
            f"accessors[{i}] needs more bytes than its bufferView holds",
        )
    n_acc, n_nodes = len(gltf.get("accessors", [])), len(gltf.get("nodes", []))
    for i, m in enumerate(gltf.get("meshes", [])):
        prims = m.get("primitives")
        expect(isinstance(prims, list) and prims, path, f"meshes[{i}] has no primitives")
        for p in prims:
            expect(
                isinstance(p, dict) and isinstance(p.get("attributes"), dict),
                path,
                f"meshes[{i}] has a bad primitive",
            )
            refs = list(p["attributes"].values()) + ([p["indices"]] if "indices" in p else [])
            expect(
                all(_index(r, n_acc) for r in refs), path, f"meshes[{i}] names a missing accessor"
            )
    for i, n in enumerate(gltf.get("nodes", [])):
        kids = n.get("children", [])
        expect(
            isinstance(kids, list) and all(_index(k, n_nodes) for k in kids),
            path,
            f"nodes[{i}] has bad children",
        )
        if "mesh" in n:
            expect(
                _index(n["mesh"], len(gltf.get("meshes", []))),
                path,
                f"nodes[{i}] names a missing mesh",
            )


def _node_matrix(node: dict) -> np.ndarray:
    if "matrix" in node:
        return np.asarray(node["matrix"], np.float64).reshape(4, 4).T
    T = np.eye(4)
    if "rotation" in node:
        x, y, z, w = np.asarray(node["rotation"], np.float64).reshape(4) / np.linalg.norm(
            node["rotation"]
        )
        T[:3, :3] = [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    if "scale" in node:
        T[:3, :3] = T[:3, :3] @ np.diag(np.asarray(node["scale"], np.float64).reshape(3))
    if "translation" in node:
        T[:3, 3] = np.asarray(node["translation"], np.float64).reshape(3)
    return T


def _world_matrices(gltf: dict) -> dict[int, np.ndarray]:
    nodes, scenes = gltf.get("nodes", []), gltf.get("scenes", [])
    si = gltf.get("scene", 0)
    roots = scenes[si].get("nodes", []) if _index(si, len(scenes)) else list(range(len(nodes)))
    out: dict[int, np.ndarray] = {}
    stack = [(r, np.eye(4)) for r in roots if _index(r, len(nodes))]
    while stack:
        i, parent = stack.pop()
        if i in out:
            continue  # a node reached twice (or a cycle): keep the first
        out[i] = parent @ _node_matrix(nodes[i])
        stack.extend((k, out[i]) for k in nodes[i].get("children", []))
    return out


def _cameras_from_nodes(gltf: dict) -> dict:
    cams, out = gltf.get("cameras", []), {}
    for i, T in _world_matrices(gltf).items():
        node = gltf["nodes"][i]
        ci = node.get("camera")
        if not _index(ci, len(cams)) or cams[ci].get("type") != "perspective":
            continue
        p = cams[ci].get("perspective", {})
        u, _, vt = np.linalg.svd(T[:3, :3])  # drop any scale: keep the nearest rotation
        T = T.copy()
        T[:3, :3] = u @ vt
        height = 512
        width = max(1, round(height * float(p.get("aspectRatio", 1.0))))
        cam = Camera.from_fov(
            math.degrees(float(p["yfov"])), width, height, opencv_to_opengl(T),
            near=float(p.get("znear", 0.01)), far=float(p.get("zfar", 100.0)),
        )  # fmt: skip
        name = node.get("name") or cams[ci].get("name") or f"camera_{ci}"
        out[name if name not in out else f"{name}_{i}"] = cam
    return out


def _unit_colors(c: np.ndarray) -> np.ndarray:
    """(N, 3|4) colours of any glTF component type → (N, 3) float32 in [0, 1]."""
    c = c[:, :3]
    if c.dtype.kind in "ui":
        return (c.astype(np.float64) / np.iinfo(c.dtype).max).astype(np.float32)
    return np.clip(c, 0, 1).astype(np.float32)


def _layers_from_trimesh(tscene) -> dict:
    import trimesh

    layers = {}
    for node_name in tscene.graph.nodes_geometry:
        T, geom_name = tscene.graph[node_name]
        geom = tscene.geometry[geom_name]
        T = np.asarray(T, np.float64)
        if isinstance(geom, trimesh.Trimesh):
            v = np.asarray(geom.vertices, np.float64) @ T[:3, :3].T + T[:3, 3]
            vis, colors, uv, tex = geom.visual, None, None, None
            if vis.kind == "vertex":
                colors = np.asarray(vis.vertex_colors)[:, :3]
            elif vis.kind == "texture":  # a material: colours ride along as an attribute
                attr = vis.vertex_attributes.get("color")
                if attr is not None and len(attr) == len(v):
                    colors = _unit_colors(np.asarray(attr))
                image = getattr(vis.material, "baseColorTexture", None)
                if image is None:
                    image = getattr(vis.material, "image", None)
                if image is not None and getattr(vis, "uv", None) is not None:
                    uv = np.asarray(vis.uv, np.float32).copy()
                    uv[:, 1] = 1.0 - uv[:, 1]  # trimesh flips v on import; undo it
                    tex = np.asarray(image.convert("RGB"))
            lay = Mesh(v.astype(np.float32), np.asarray(geom.faces), colors, uv, tex)
        elif isinstance(geom, trimesh.PointCloud):
            v = np.asarray(geom.vertices, np.float64) @ T[:3, :3].T + T[:3, 3]
            c = np.asarray(geom.colors)
            lay = PointCloud(v.astype(np.float32), c[:, :3] if len(c) == len(v) else None)
        else:
            continue  # line sets (boxes, room outline) come back through extras
        name, k = str(node_name), 1
        while name in layers:
            name, k = f"{node_name}_{k}", k + 1
        layers[name] = lay
    return layers


def _check_extensions(gltf: dict, path: Path) -> None:
    """The glTF spec: a loader must refuse a file that requires an extension it lacks."""
    required = gltf.get("extensionsRequired", [])
    expect(
        isinstance(required, list) and all(isinstance(e, str) for e in required),
        path,
        "'extensionsRequired' must be a list of names",
    )
    if required:
        named = ", ".join(
            f"{e} ({_EXTENSION_NAMES[e]})" if e in _EXTENSION_NAMES else e for e in required
        )
        raise FormatError(
            f"{path}: requires the glTF extension(s) {named}, which worldnb cannot read; "
            "convert it to plain glTF first (for example `npx @gltf-transform/cli copy "
            "in.glb out.glb` decodes Draco and meshopt)"
        )


def _resources(gltf: dict, folder: Path, path: Path) -> dict[str, bytes]:
    """External files a .gltf names (percent-decoded URIs), read from its own folder only.

    Symlinks are resolved first: a link in the folder that leads out of it is refused.
    """
    out = {}
    root = os.path.realpath(folder)
    for key in ("buffers", "images"):
        for item in gltf.get(key, []):
            uri = item.get("uri")
            if not isinstance(uri, str) or uri.startswith("data:"):
                continue
            rel = Path(unquote(uri))
            outside = f"refusing resource {uri!r} outside the file's folder"
            expect(not rel.is_absolute() and ".." not in rel.parts, path, outside)
            target = Path(os.path.realpath(folder / rel))
            expect(os.path.commonpath([root, target]) == root, path, outside)
            expect(target.is_file(), path, f"the file {uri!r} it names is missing next to it")
            out[uri] = read_bytes(target)
    return out


def _image_bytes(img: dict, gltf: dict, binary, resources: dict) -> bytes | None:
    uri = img.get("uri")
    if isinstance(uri, str):
        if uri.startswith("data:"):
            return base64.b64decode(uri.split(",", 1)[-1])
        return resources.get(uri)
    view = img.get("bufferView")
    views, buffers = gltf.get("bufferViews", []), gltf.get("buffers", [])
    if not _index(view, len(views)):
        return None
    v = views[view]
    buf = v.get("buffer")
    if not _index(buf, len(buffers)):
        return None
    uri = buffers[buf].get("uri")
    data = binary if uri is None else _image_bytes({"uri": uri}, gltf, binary, resources)
    start = v.get("byteOffset", 0)
    return None if data is None else data[start : start + v.get("byteLength", 0)]


def _check_textures(gltf: dict, binary, resources: dict, path: Path, allow_large: bool) -> None:
    """Read each image's header (never its pixels) and refuse huge ones."""
    from PIL import Image

    for i, img in enumerate(gltf.get("images", [])):
        data = _image_bytes(img, gltf, binary, resources)
        if not data:
            continue
        try:
            with Image.open(io.BytesIO(data)) as im:  # parses the header only
                w, h = im.size
        except Image.DecompressionBombError:
            w = h = None
        except Exception:
            continue  # not an image PIL knows: trimesh skips it too
        if w is None or (w * h > MAX_TEXTURE_PIXELS and not allow_large):
            size = "more than PIL's own limit of" if w is None else f"{w}×{h} ="
            pixels = 2 * Image.MAX_IMAGE_PIXELS if w is None else w * h
            raise FormatError(
                f"{path}: texture images[{i}] is {size} {pixels / 1e6:.1f} megapixels "
                f"(limit {MAX_TEXTURE_PIXELS / 1e6:.1f}); pass allow_large=True to load it "
                "anyway, or shrink the texture"
                + (" (PIL's limit is PIL.Image.MAX_IMAGE_PIXELS)" if w is None else "")
            )


def _buffer_sizes(gltf: dict, binary: bytes | None, resources: dict, path: Path) -> list[int]:
    sizes = []
    for i, buf in enumerate(gltf.get("buffers", [])):
        uri = buf.get("uri")
        if uri is None:
            expect(i == 0 and binary is not None, path, f"buffers[{i}] has no data (no BIN chunk)")
            size = len(binary)
        elif isinstance(uri, str) and uri.startswith("data:"):
            size = len(base64.b64decode(uri.split(",", 1)[1], validate=True))
        else:
            size = len(resources.get(uri, b""))
        declared = buf.get("byteLength")
        expect(
            _is_int(declared) and 0 <= declared <= size,
            path,
            f"buffers[{i}] is shorter than declared (truncated?)",
        )
        sizes.append(declared)
    return sizes


def load_gltf(path, *, allow_large: bool = False) -> Scene:
    """Read a ``.glb`` or ``.gltf`` into a Scene (see the module docstring).

    Args:
        path: the file.
        allow_large: accept textures over :data:`MAX_TEXTURE_PIXELS` (they take
            4 bytes a pixel, and seconds, to decode).

    Raises:
        InputError: the file does not exist or is not a regular file.
        FormatError: not a readable glTF 2.0 file (names the problem), a required
            extension, a resource outside the folder, or a texture over the limit.
    """
    import trimesh

    path = check_readable(as_path(path))
    data = read_bytes(path)
    with reading(path, "glTF"):
        if data[:4] == b"glTF":
            gltf, binary = _split_glb(data, path)
            resources, file_type = {}, "glb"
        else:
            expect(
                path.suffix.lower() == ".gltf",
                path,
                "not a GLB file (no 'glTF' magic at the start)",
            )
            gltf, binary = _json(data, path), None
            resources, file_type = _resources(gltf, path.parent, path), "gltf"
        _check_extensions(gltf, path)
        _check_layout(gltf, _buffer_sizes(gltf, binary, resources, path), path)
        _check_textures(gltf, binary, resources, path, bool(allow_large))
        tscene = trimesh.load_scene(
            io.BytesIO(data), file_type=file_type, resolver=resources, process=False
        )
        layers = _layers_from_trimesh(tscene)
        order = {n.get("name"): i for i, n in reversed(list(enumerate(gltf.get("nodes", []))))}
        layers = dict(sorted(layers.items(), key=lambda kv: order.get(kv[0], len(order))))
        scene = Scene(layers=layers)
        record = None
        for sc in gltf.get("scenes", []):
            extras = sc.get("extras")
            if isinstance(extras, dict) and isinstance(extras.get("worldnb"), dict):
                record = extras["worldnb"]
        if record is not None:
            base = scene_from_json_dict(record, path)
            cameras = base.cameras
        else:
            base, cameras = Scene(), _cameras_from_nodes(gltf)
        return Scene(base.room, base.objects, scene.layers, cameras)
