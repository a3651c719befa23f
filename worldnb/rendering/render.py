"""``worldnb.render``: every layer of a scene, composited, from one or many cameras."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from ..errors import InputError
from ..scene import Camera, Gaussians, Mesh, PointCloud, Scene
from ..transforms import quat_to_matrix
from ._common import check_radius, check_size, resolve_device
from ._sh import view_dependent_colors
from .gaussians import rasterize_gaussians
from .mesh import rasterize_mesh
from .output import RenderOutput
from .points import splat_points

__all__ = ["render"]

#: colour of meshes and points that carry none
DEFAULT_GREY = 0.7
INT32_MAX = 2**31 - 1


def render(
    scene,
    camera,
    layers: Sequence[str] | None = None,
    background=(1.0, 1.0, 1.0),
    device="auto",
    *,
    point_radius: float = 0.5,
    objects: str | None = "boxes",
    allow_large: bool = False,
) -> RenderOutput:
    """Render a scene's layers: meshes and points z-buffered, Gaussians composited in front.

    Args:
        scene: a :class:`~worldnb.Scene`, or a single layer (``Mesh``, ``PointCloud``,
            ``Gaussians``), or a dict name → layer.
        camera: a :class:`~worldnb.Camera`, or a list of cameras of one size: the maps then
            get a leading camera axis ``B`` (``rgb (B, H, W, 3)``), and
            ``output[i]`` is camera ``i``'s :class:`RenderOutput`.
        layers: name or names of the layers to draw (all by default).
        background: (3,) RGB in [0, 1] behind everything, or a colour name or hex
            string (``"white"``, ``"#336699"``).
        device: ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda"``, or a torch device.
        point_radius: disc radius of point-cloud points, in pixels (0 to the image's
            larger side).
        objects: ``"boxes"`` draws each of the scene's objects that no layer carries
            (no mesh face or point with its id) as a solid box in its colour
            (``attrs["color"]``, grey when it has none), with its id in ``instance``
            and its label in ``semantic`` (ids beyond int32 are drawn with −1); ``None``
            draws layers only.
        allow_large: allow images over 4096².

    Returns:
        :class:`RenderOutput` (numpy arrays). Meshes and points are opaque; Gaussians
        composite front to back over them. Where the Gaussians in front of a pixel reach
        alpha ≥ 0.5, ``depth`` is their expected depth, ``normals`` their blended shortest
        axes, and ``instance`` / ``semantic`` are −1; elsewhere those maps come from the
        nearest mesh or point (``inf`` / 0 / −1 when there is none).

    Example:
        >>> import worldnb
        >>> from worldnb import Camera, Mesh
        >>> quad = Mesh([[-1, 0, -1], [1, 0, -1], [1, 0, 1], [-1, 0, 1]], [[0, 2, 1], [0, 3, 2]])
        >>> cam = Camera.look_at(eye=(0, 2, 0.01), target=(0, 0, 0), width=32, height=32)
        >>> out = worldnb.render(quad, cam)
        >>> out.rgb.shape, round(float(out.depth[16, 16]), 3)
        ((32, 32, 3), 2.0)
    """
    if objects not in ("boxes", None):
        raise InputError(f"objects: expected 'boxes' or None, got {objects!r}")
    prepared = _prepare(scene, layers, resolve_device(device), objects)
    bg = _background(background)
    cams = list(camera) if isinstance(camera, list | tuple) else [camera]
    if not cams:
        raise InputError("camera: the list of cameras is empty")
    for i, c in enumerate(cams):
        if not isinstance(c, Camera):
            raise InputError(f"camera[{i}]: expected a worldnb.Camera, got {type(c).__name__}")
        check_size(c.width, c.height, allow_large=allow_large)
    if len({(c.width, c.height) for c in cams}) > 1:
        raise InputError(
            "camera: a batch of cameras must share one image size; "
            "render cameras of different sizes one at a time"
        )
    point_radius = check_radius(point_radius, cams[0].width, cams[0].height, "point_radius")
    try:
        with torch.no_grad():
            maps = [_render_one(prepared, c, bg, point_radius) for c in cams]
        if isinstance(camera, list | tuple):
            stacked = {k: np.stack([m[k] for m in maps]) for k in maps[0]}
    except (MemoryError, RuntimeError) as exc:
        if not _out_of_memory(exc):
            raise
        w, h = cams[0].width, cams[0].height
        raise InputError(
            f"render: {len(cams)} camera(s) of {w}×{h} pixels need more memory than this "
            f"{prepared.device.type} device has; render smaller images or fewer cameras at once"
        ) from None
    if isinstance(camera, list | tuple):
        return RenderOutput(**stacked, labels=prepared.labels, cameras=cams)
    return RenderOutput(**maps[0], labels=prepared.labels, cameras=cams)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is an allocation failure (numpy's MemoryError, torch's CPU or
    CUDA allocator), as opposed to a bug."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc)
    return "can't allocate memory" in text or "out of memory" in text


def _background(value) -> np.ndarray:
    """(3,) float32 RGB in [0, 1] from a triple, a colour name or a ``#rrggbb`` string."""
    if isinstance(value, str):
        from PIL import ImageColor

        try:
            rgb = ImageColor.getrgb(value)
        except ValueError:
            raise InputError(
                f"background: unknown colour {value!r}; use a name such as 'white' or "
                "'black', a hex string such as '#336699', or an RGB triple in [0, 1]"
            ) from None
        return np.asarray(rgb[:3], np.float32) / 255.0
    try:
        bg = np.asarray(value, dtype=np.float32)
        ok = bg.shape == (3,) and bool(np.all(np.isfinite(bg))) and 0 <= bg.min() <= bg.max() <= 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputError(
            f"background: expected an RGB triple in [0, 1] or a colour name, got {value!r}"
        )
    return bg


@dataclass
class _Prepared:
    """Scene layers as tensors on the render device (built once per call)."""

    device: torch.device
    meshes: list[dict]
    points: list[dict]
    gaussians: dict | None
    labels: list[str]
    object_ids: np.ndarray  # (M,) int64 sorted object ids
    object_labels: np.ndarray  # (M,) int32 label index of each id


def _prepare(scene, layers, device, object_mode: str | None = "boxes") -> _Prepared:
    if isinstance(scene, Mesh | PointCloud | Gaussians):
        items, objects = [("layer", scene)], ()
    elif isinstance(scene, dict):
        items, objects = list(scene.items()), ()
    elif isinstance(scene, Scene):
        items, objects = list(scene.layers.items()), scene.objects
    else:
        raise InputError(
            "scene: expected a worldnb.Scene, a layer or a dict of layers, "
            f"got {type(scene).__name__}"
        )
    if layers is not None:
        if isinstance(layers, str):
            layers = [layers]
        names = [n for n, _ in items]
        if not isinstance(layers, list | tuple | set | frozenset) or not all(
            isinstance(n, str) for n in layers
        ):
            raise InputError(
                f"layers: expected a layer name or a list of names (the scene has {names}), "
                f"got {layers!r}"
            )
        missing = [n for n in layers if n not in names]
        if missing:
            raise InputError(f"layers: no layer named {missing}; the scene has {names}")
        items = [(n, lay) for n, lay in items if n in set(layers)]
    labels = sorted({o.label for o in objects})
    # a compact id → label table: ids may be as large as int64 allows
    objs = sorted(objects, key=lambda o: o.id)
    ids = np.array([o.id for o in objs], np.int64)
    label_of = np.array([labels.index(o.label) for o in objs], np.int32)

    def t(a, dtype=torch.float32):
        return None if a is None else torch.as_tensor(np.asarray(a), dtype=dtype, device=device)

    meshes, points, gs = [], [], []
    for _, lay in items:
        if isinstance(lay, Mesh) and len(lay):
            meshes.append(
                {
                    "vertices": t(lay.vertices),
                    "faces": t(lay.faces, torch.long),
                    "vertex_colors": t(lay.vertex_colors),
                    "uv": t(lay.uv) if lay.texture is not None else None,  # uv alone: unused
                    "texture": t(lay.texture),
                    "instance": t(lay.instance, torch.int32),
                }
            )
        elif isinstance(lay, PointCloud) and len(lay):
            points.append(
                {
                    "xyz": t(lay.xyz),
                    "rgb": t(lay.rgb),
                    "normals": t(lay.normals),
                    "instance": t(lay.instance, torch.int32),
                }
            )
        elif isinstance(lay, Gaussians) and len(lay):
            gs.append(lay)
    if object_mode == "boxes" and objects:
        # any layer of the scene (drawn or not) that carries an id stands for that object
        carried = {
            int(i)
            for _, lay in (scene.layers.items() if isinstance(scene, Scene) else items)
            if getattr(lay, "instance", None) is not None
            for i in np.unique(lay.instance)
        }
        b = _object_boxes([o for o in objects if o.id not in carried])
        if b is not None:
            meshes.append(
                {
                    "vertices": t(b["vertices"]),
                    "faces": t(b["faces"], torch.long),
                    "vertex_colors": t(b["vertex_colors"]),
                    "uv": None,
                    "texture": None,
                    "instance": t(b["instance"], torch.int32),
                }
            )
    return _Prepared(device, meshes, points, _gaussian_tensors(gs, t), labels, ids, label_of)


def _object_boxes(objects) -> dict | None:
    """One mesh of solid boxes (arrays) for ``objects``, coloured, with per-face ids."""
    if not objects:
        return None
    verts, faces, colors, ids = [], [], [], []
    for k, o in enumerate(objects):
        v, f = o.box.triangles()
        verts.append(v)
        faces.append(f + 8 * k)
        colors.append(np.tile(_object_color(o), (8, 1)))
        # instance maps are int32: an id beyond it is drawn but not named (−1)
        ids.append(np.full(len(f), o.id if o.id <= INT32_MAX else -1, np.int32))
    return {
        "vertices": np.concatenate(verts),
        "faces": np.concatenate(faces),
        "vertex_colors": np.concatenate(colors).astype(np.float32),
        "instance": np.concatenate(ids),
    }


def _object_color(obj) -> np.ndarray:
    """(3,) RGB in [0, 1] of an object's ``attrs["color"]`` (grey when absent or unknown)."""
    color = obj.attrs.get("color")
    if color is None:
        return np.full(3, DEFAULT_GREY, np.float32)
    try:
        return _background(color)
    except InputError:
        return np.full(3, DEFAULT_GREY, np.float32)


def _gaussian_tensors(layers: list[Gaussians], t) -> dict | None:
    if not layers:
        return None
    cat = np.concatenate
    degree = max(g.sh_degree for g in layers)
    out = {
        "means": t(cat([g.means for g in layers])),
        "quats": t(cat([g.quats for g in layers])),
        "scales": torch.exp(t(cat([g.scales for g in layers]))),
        "opacities": torch.sigmoid(t(cat([g.opacities for g in layers]))),
        "colors": t(cat([g.colors for g in layers])),
        "sh_rest": None,
    }
    if degree:
        k = {1: 3, 2: 8, 3: 15}[degree]
        rest = [
            np.pad(g.sh_rest, ((0, 0), (0, k - g.sh_rest.shape[1]), (0, 0)))
            if g.sh_rest is not None
            else np.zeros((len(g), k, 3), np.float32)
            for g in layers
        ]
        out["sh_rest"] = t(cat(rest))
    # the shortest axis is the normal of a flat Gaussian
    R = quat_to_matrix(out["quats"])
    shortest = torch.argmin(out["scales"], dim=1)
    out["axis"] = R[torch.arange(len(R)), :, shortest]
    return out


def _render_one(p: _Prepared, cam: Camera, bg: np.ndarray, point_radius: float) -> dict:
    W, H, dev = cam.width, cam.height, p.device
    K = torch.as_tensor(cam.K, device=dev)
    T = torch.as_tensor(cam.T_camera_world, device=dev)
    center = torch.as_tensor(cam.position, device=dev)
    kw = {"near": cam.near, "far": cam.far, "allow_large": True}

    # opaque layers: (depth, rgb, normals, instance) each, merged by nearest depth
    depth = [torch.full((H, W), float("inf"), device=dev)]
    rgb = [torch.zeros(H, W, 3, device=dev)]
    nrm = [torch.zeros(H, W, 3, device=dev)]
    inst = [torch.full((H, W), -1, dtype=torch.int32, device=dev)]
    for m in p.meshes:
        f = rasterize_mesh(m["vertices"], m["faces"], K, T, W, H, vertex_colors=m["vertex_colors"],
                           uv=m["uv"], texture=m["texture"], **kw)  # fmt: skip
        hit = f.face >= 0
        depth.append(f.depth)
        col = f.rgb if f.rgb is not None else torch.full((H, W, 3), DEFAULT_GREY, device=dev)
        rgb.append(col[..., :3])
        nrm.append(f.normals)
        inst.append(_lookup(m["instance"], f.face, hit))
    for pc in p.points:
        f = splat_points(pc["xyz"], K, T, W, H, colors=pc["rgb"], radius=point_radius, **kw)
        hit = f.point >= 0
        depth.append(f.depth)
        rgb.append(f.rgb)
        n = torch.zeros(H, W, 3, device=dev)
        if pc["normals"] is not None:
            n[hit] = pc["normals"][f.point[hit]]
            facing = (n[hit] * (pc["xyz"][f.point[hit]] - center)).sum(-1, keepdim=True)
            n[hit] = torch.where(facing > 0, -n[hit], n[hit])
        else:  # no normals stored: say "facing the camera"
            d = pc["xyz"][f.point[hit]] - center
            n[hit] = -d / d.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        nrm.append(n)
        inst.append(_lookup(pc["instance"], f.point, hit))
    D = torch.stack(depth)
    best = torch.argmin(D, 0, keepdim=True)  # ties → the earlier layer
    o_depth = D.gather(0, best)[0]
    o_hit = torch.isfinite(o_depth)
    o_rgb = torch.stack(rgb).gather(0, best[..., None].expand(1, H, W, 3))[0]
    o_nrm = torch.stack(nrm).gather(0, best[..., None].expand(1, H, W, 3))[0]
    o_inst = torch.stack(inst).gather(0, best)[0]

    bg_t = torch.as_tensor(bg, device=dev)
    out_rgb = torch.where(o_hit[..., None], o_rgb, bg_t)
    alpha, out_depth, out_nrm, out_inst = o_hit.float(), o_depth, o_nrm, o_inst
    g = p.gaussians
    if g is not None:
        colors = g["colors"]
        if g["sh_rest"] is not None:
            colors = view_dependent_colors(colors, g["sh_rest"], g["means"], center)
        axis = g["axis"]
        axis = torch.where(((axis * (g["means"] - center)).sum(-1) > 0)[:, None], -axis, axis)
        gi = rasterize_gaussians(g["means"], g["quats"], g["scales"], g["opacities"],
                                 torch.cat([colors, axis], 1), K, T, W, H,
                                 depth_limit=o_depth, **kw)  # fmt: skip
        ga = gi.alpha
        out_rgb = gi.rgb[..., :3] + (1 - ga)[..., None] * out_rgb
        alpha = ga + (1 - ga) * alpha
        front = ga >= 0.5
        gn = gi.rgb[..., 3:]
        gn = gn / gn.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        out_depth = torch.where(front, gi.depth, out_depth)
        out_nrm = torch.where(front[..., None], gn, out_nrm)
        out_inst = torch.where(front, -1, out_inst)
    inst_np = out_inst.cpu().numpy().astype(np.int32)
    semantic = _semantic(inst_np, p.object_ids, p.object_labels)
    return {
        "rgb": out_rgb.clamp(0, 1).cpu().numpy().astype(np.float32),
        "depth": out_depth.cpu().numpy().astype(np.float32),
        "alpha": alpha.cpu().numpy().astype(np.float32),
        "normals": out_nrm.cpu().numpy().astype(np.float32),
        "instance": inst_np,
        "semantic": semantic,
    }


def _semantic(instance: np.ndarray, ids: np.ndarray, label_of: np.ndarray) -> np.ndarray:
    """Per-pixel label index of each instance id (−1 for no object or an unknown id)."""
    if not len(ids):
        return np.full(instance.shape, -1, np.int32)
    pos = np.clip(np.searchsorted(ids, instance), 0, len(ids) - 1)
    known = ids[pos] == instance
    return np.where(known, label_of[pos], -1).astype(np.int32)


def _lookup(values, index, hit):
    """Per-pixel ``values[index]`` where hit, −1 elsewhere (int32)."""
    out = torch.full(index.shape, -1, dtype=torch.int32, device=index.device)
    if values is not None:
        out[hit] = values[index[hit]]
    return out
