"""``worldnb.understand``: the room and its objects, estimated from one image.

From the input view of a generated scene (its image, metric depth, camera and
segmentation) it finds:

1. **the floor**, by RANSAC on the floor pixels (or, without classes, the lowest large
   plane whose normal is within 35° of up), and turns the whole scene so that +Y is
   the floor's normal and the floor is at y = 0 (gravity fixed);
2. **the walls**, as vertical planes: the dominant wall direction (from the wall
   pixels' normals, modulo 90°) turns the scene about +Y so the walls run along x and
   z, and each side of the room is the strongest wall plane seen there, else the
   visible floor's extent ("closed sensibly"); doors and windows become
   :class:`~worldnb.Opening`\\ s on the nearest wall; the height is the ceiling's, when
   it is seen;
3. **the objects**, one per instance: a yaw box fitted robustly
   (:func:`~worldnb.generation.fit_box`), then completed toward the catalog's typical
   size when the object is cut off by the image border or by something nearer, or is
   smaller than anything of its kind (:func:`~worldnb.generation.complete_box`).

Everything it estimated says so: objects carry ``attrs`` ``confidence``,
``visible_fraction`` and ``source="image"``, and ``scene.meta["understand"]`` records
what was found and how (``room`` is ``"found"`` or the reason it was not).
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..errors import InputError
from ..scene import Opening, Room, Scene, SceneObject
from ..transforms import yaw_rotation
from .fit import complete_box, fit_box, fit_plane
from .lift import _rotate, depth_normals, unproject_depth
from .segment import Segmentation, _is_segmentation, as_segmenter

__all__ = ["understand", "understand_scene"]

#: pixel classes used inside this module
NONE, FLOOR, WALL, CEILING, DOOR, WINDOW, OBJECT = range(7)
_CODE = {"floor": FLOOR, "wall": WALL, "ceiling": CEILING, "door": DOOR, "window": WINDOW}
#: ceiling height (m) assumed when the ceiling is not in view
ASSUMED_HEIGHT = 2.6
#: length (m) of a room's side where its walls are not seen and its kind is unknown
#: (rooms in homes are mostly 3–5 m a side): the floor polygon is closed at this
#: length, or at what was seen
TYPICAL_SIDE = 4.0
#: typical floor area (m²) of a room of each kind, from what is commonly quoted for
#: homes (a bedroom 11–16 m², a living room 18–28 m², a dining room 12–18 m², a study
#: 9–12 m², a kitchen 10–15 m²): where walls are not seen, the floor polygon is closed
#: so that the room has this area (or what was seen, if more). The kind is the one the
#: objects found point to (a bed: a bedroom; see ``_room_kinds``)
TYPICAL_AREA = {
    "bedroom": 14.0,
    "living_room": 22.0,
    "dining_room": 16.0,
    "office": 11.0,
    "kitchen": 13.0,
}


def understand(
    scene_or_image,
    *,
    segment="builtin",
    depth="builtin",
    min_confidence: float = 0.3,
) -> Scene:
    """Estimate the room and its objects from one image (or a generated scene).

    Args:
        scene_or_image: an image (anything :func:`~worldnb.generate` takes): it is
            generated first with ``n_views=0``; or a :class:`~worldnb.Scene` made by
            :func:`~worldnb.generate`, whose input image, depth and segments are reused.
        segment: the segmenter (see :class:`~worldnb.generation.Segmenter`): one that
            returns a :class:`~worldnb.generation.Segmentation` names the objects and
            finds the floor, walls, ceiling, doors and windows; plain instance ids give
            objects labelled ``"object"``; None finds the room only. Unused for a scene
            that holds segments already.
        depth: the depth backend for an image (unused for a scene).
        min_confidence: objects below this confidence (in [0, 1]) are left out.

    Returns:
        A new :class:`~worldnb.Scene`: the input's layers and cameras turned so +Y is up
        and the floor is at y = 0, with ``room`` (None when no floor was found: then
        ``meta["understand"]["room"]`` says why), ``objects`` (``attrs``:
        ``confidence``, ``visible_fraction``, ``source="image"``), and the points'
        ``instance`` equal to the object ids (−1 elsewhere).

    Raises:
        InputError: a bad argument, or a scene without the input view's depth.
        BackendError: a backend that cannot be loaded (``"builtin"`` until the built-in
            models ship) or returns something unusable.

    Example:
        >>> import worldnb
        >>> from worldnb.testing import OracleDepth, OracleSegmenter
        >>> true = worldnb.Scene(room=worldnb.Room.rectangle(4, 4, 2.5))
        >>> _ = true.add_object("bed", worldnb.OrientedBox((0, 0.3, -0.8), (1.6, 0.6, 2.0)))
        >>> true.layers["room"] = worldnb.catalog.room_mesh(true.room, ceiling=True)
        >>> cam = worldnb.Camera.look_at((0.3, 1.5, 1.9), (0, 0.4, -0.8), width=80, height=64)
        >>> rgb = worldnb.render(true, cam).rgb
        >>> est = worldnb.understand(rgb, depth=OracleDepth(true, cam),
        ...                          segment=OracleSegmenter(true, cam))
        >>> [o.label for o in est.objects], est.meta["understand"]["room"]
        (['bed'], 'found')
    """
    _check_confidence(min_confidence)
    if isinstance(scene_or_image, Scene):
        scene = scene_or_image
        _check_generated(scene)
        seg = _stored_segmentation(scene)
        if seg is None and segment is not None:
            from ._callables import call_backend
            from .path import ViewContext

            backend = as_segmenter(segment)
            cam = scene.cameras["input"]
            seg = call_backend(
                backend, scene.images["input"], view=ViewContext("input", cam, np.eye(4))
            )
        return understand_scene(scene, seg, min_confidence=min_confidence)
    from .config import GenerationConfig
    from .pipeline import generate

    cfg = GenerationConfig(n_views=0, understand=True, understand_min_confidence=min_confidence)
    scene = generate(scene_or_image, cfg, depth=depth, segment=segment, progress=False)
    if segment is None:  # generate understands only with a segmenter: the room alone here
        scene = understand_scene(scene, None, min_confidence=min_confidence, seed=cfg.seed)
    return scene


def _check_confidence(value) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InputError(f"min_confidence: expected a number in [0, 1], got {value!r}")


def _check_generated(scene: Scene) -> None:
    if "input" not in scene.cameras or "depth" not in scene.images or "input" not in scene.images:
        raise InputError(
            "understand: the scene has no input view (camera 'input', images 'input' and "
            "'depth'); pass the scene worldnb.generate made, or the image itself"
        )
    cam, d = scene.cameras["input"], scene.images["depth"]
    if d.shape != (cam.height, cam.width):
        raise InputError(
            f"understand: the scene's depth image is {d.shape}, its input camera "
            f"{cam.height}×{cam.width}; they must match"
        )


def _stored_segmentation(scene: Scene):
    """What generate stored: ``segments`` (ids, −1 none) and with classes ``semantic``
    plus ``meta["segments"]`` (labels, instances with scores)."""
    ids = scene.images.get("segments")
    if ids is None:
        return None
    ids = np.asarray(ids)
    info = scene.meta.get("segments") or {}
    sem = scene.images.get("semantic")
    if sem is None or not info.get("labels"):
        return ids.astype(np.int32)
    scores = np.ones(ids.shape, np.float32)
    for d in info.get("instances", []):
        scores[ids == d["id"]] = float(d.get("score", 1.0))
    inst = np.where(ids > 0, ids, 0).astype(np.int32)
    return Segmentation(np.asarray(sem, np.int32), inst, list(info["labels"]), scores)


# ---- the scene's frame -----------------------------------------------------------------
def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation taking unit vector ``a`` to unit vector ``b``."""
    v = np.cross(a, b)
    c = float(a @ b)
    if c < -1 + 1e-9:  # opposite: half a turn about any perpendicular axis
        p = np.cross(a, [1.0, 0, 0]) if abs(a[0]) < 0.9 else np.cross(a, [0, 1.0, 0])
        p /= np.linalg.norm(p)
        return 2 * np.outer(p, p) - np.eye(3)
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx / (1 + c)


def apply_rigid(scene: Scene, T: np.ndarray) -> None:
    """Move every layer and camera of ``scene`` (in place) by the rigid (4, 4) ``T``.

    Gaussians' higher-order SH coefficients are not rotated (a generated scene has
    none)."""
    from ..scene import Gaussians, Mesh, PointCloud
    from ..transforms import matrix_to_quat, quat_to_matrix

    R, t = T[:3, :3], T[:3, 3]

    def move(p):
        return _rotate(p, R) + t.astype(np.float32)

    def turn(n):
        return None if n is None else _rotate(n, R)

    for lay in scene.layers.values():
        if isinstance(lay, PointCloud):
            lay.xyz, lay.normals = move(lay.xyz), turn(lay.normals)
        elif isinstance(lay, Mesh):
            lay.vertices = move(lay.vertices)
            if getattr(lay, "normals", None) is not None:
                lay.normals = turn(lay.normals)
        elif isinstance(lay, Gaussians):
            lay.means = move(lay.means)
            lay.quats = matrix_to_quat(R @ quat_to_matrix(lay.quats)).astype(np.float32)
    for name, cam in list(scene.cameras.items()):
        scene.cameras[name] = cam.with_pose(T @ cam.T_world_camera.astype(np.float64))


# ---- the core --------------------------------------------------------------------------
def _pixel_classes(seg, shape):
    """(classes (H, W) int8, instance ids (H, W) int64, scores (H, W), labels per id)."""
    cls = np.zeros(shape, np.int8)
    inst = np.full(shape, -1, np.int64)
    scores = np.ones(shape, np.float32)
    label_of: dict[int, str] = {}
    if seg is None:
        return cls, inst, scores, label_of, False
    if _is_segmentation(seg):
        labels = [str(x).strip().lower() for x in seg.labels]
        lut = np.array([_CODE.get(x, NONE) for x in labels], np.int8)
        sem = np.asarray(seg.semantic, np.int64)
        cls = lut[sem]
        ids = np.asarray(seg.instance, np.int64)
        is_obj = (ids > 0) & (cls == NONE)
        cls = np.where(is_obj, OBJECT, cls).astype(np.int8)
        inst = np.where(is_obj, ids, -1)
        scores = np.asarray(seg.scores, np.float32)
        for i in np.unique(inst[is_obj]):
            m = inst == i
            label_of[int(i)] = labels[int(np.bincount(sem[m]).argmax())]
        return cls, inst, scores, label_of, True
    ids = np.asarray(seg, np.int64)
    cls = np.where(ids >= 0, OBJECT, NONE).astype(np.int8)
    inst = np.where(ids >= 0, ids, -1)
    for i in np.unique(inst[inst >= 0]):
        label_of[int(i)] = "object"
    return cls, inst, scores, label_of, False


def understand_scene(scene: Scene, seg=None, *, min_confidence: float = 0.3, seed: int = 0):
    """The core of :func:`understand` on a generated scene and its input view's
    segmentation (a :class:`~worldnb.generation.Segmentation`, (H, W) ids, or None).

    Returns a new scene; the input is not changed.
    """
    _check_confidence(min_confidence)
    _check_generated(scene)
    t0 = time.perf_counter()
    out = scene.copy()
    cam = out.cameras["input"]
    H, W = cam.height, cam.width
    depth = np.asarray(out.images["depth"], np.float64)
    valid = np.isfinite(depth) & (depth > 0)
    if "input_mask" in out.images:
        valid &= np.asarray(out.images["input_mask"]).astype(bool)
    if seg is not None and not _is_segmentation(seg):
        seg = np.asarray(seg)
    if seg is not None:
        shape = np.asarray(seg.instance if _is_segmentation(seg) else seg).shape
        if shape != (H, W):
            raise InputError(f"segmentation of shape {shape} for a {H}×{W} input view")
    cls, inst, scores, label_of, has_classes = _pixel_classes(seg, (H, W))
    Pc = unproject_depth(np.where(valid, depth, 0).astype(np.float32), cam.K).astype(np.float64)
    # normals from a 5×5 box-smoothed point map: per-pixel depth noise of a few percent
    # would otherwise turn the walls' normals every way (they pick wall pixels and sides)
    from scipy import ndimage

    w = ndimage.uniform_filter(valid.astype(np.float64), 5)
    Ps = ndimage.uniform_filter(np.where(valid[..., None], Pc, 0.0), (5, 5, 0))
    Ps = np.where(
        (w > 0.5)[..., None] & valid[..., None], Ps / np.maximum(w, 1e-9)[..., None], np.nan
    )
    Nc = depth_normals(Ps.astype(np.float32)).astype(np.float64)
    T = cam.T_world_camera.astype(np.float64)
    P = Pc @ T[:3, :3].T + T[:3, 3]
    N = Nc @ T[:3, :3].T
    info: dict = {"estimated": True, "segment_classes": has_classes}
    med = float(np.median(depth[valid])) if valid.any() else 1.0
    tol = max(0.02, 0.008 * med)

    # 1. the floor and gravity
    floor_px = valid & (cls == FLOOR)
    if has_classes:
        cand, lowest = P[floor_px], False
    else:
        cand, lowest = P[valid], True
    plane = None
    # floor pixels named by the segmenter need less support than a guess among all
    need = max(20, int(0.3 * len(cand))) if has_classes else max(50, int(0.01 * valid.sum()))
    if len(cand) >= 20:
        # pixels named floor may lie on a plane far from generate's guess of up: it takes
        # a camera pitched down past 35° (looking at a low piece from near it) as level
        plane = fit_plane(
            cand, tol=tol, direction=(0, 1, 0), max_angle_deg=80.0 if has_classes else 35.0,
            lowest=lowest, min_inliers=need, seed=seed,
        )  # fmt: skip
        if plane is not None and plane.distance(T[None, :3, 3])[0] < 0:
            plane = None  # the camera is below it: not a floor seen from above
    info["floor_from"] = "floor pixels" if has_classes else "lowest plane"
    if plane is None and has_classes:
        plane = _floor_from_objects(P, valid, inst, label_of, tol, seed)
        info["floor_from"] = "objects standing on it"
    if plane is not None and has_classes and plane.inliers.sum() < 0.03 * H * W:
        plane = _level_by_walls(plane, cand if info["floor_from"] == "floor pixels" else None,
                                P[valid & (cls == WALL)], tol, seed, info)  # fmt: skip
    Tfix = np.eye(4)
    if plane is not None:
        R1 = _rotation_between(plane.normal, np.array([0.0, 1.0, 0.0]))
        Tfix[:3, :3] = R1
        Tfix[1, 3] = plane.offset  # n·p + off = 0  →  y' = n·p = −off; lift by off
        info["tilt_deg"] = math.degrees(math.acos(min(1.0, float(plane.normal[1]))))
        info["room"] = "found"
    else:
        reason = (
            "no floor pixels were segmented" if has_classes and not floor_px.any()
            else "no floor plane is visible in the image"
        )  # fmt: skip
        info["room"] = (
            f"the room could not be found: {reason}; objects are placed in the frame generate chose (its floor guess)"  # noqa: E501
        )
    P = P @ Tfix[:3, :3].T + Tfix[:3, 3]
    N = N @ Tfix[:3, :3].T
    if not has_classes and plane is not None:
        near_floor = valid & (np.abs(P[..., 1]) < tol) & (N[..., 1] > 0.8)
        cls = np.where((cls == NONE) & near_floor, FLOOR, cls).astype(np.int8)

    # 2. the walls' direction: turn about +Y so they run along x and z
    wall_px = valid & np.isin(cls, (WALL, DOOR, WINDOW)) & (np.abs(N[..., 1]) < 0.3)
    if not has_classes:
        wall_px = valid & (cls == NONE) & (np.abs(N[..., 1]) < 0.2) & (P[..., 1] > 0.3)
    beta = 0.0
    if wall_px.sum() >= 50:
        a = np.arctan2(N[..., 2][wall_px], N[..., 0][wall_px])
        beta = float(np.arctan2(np.sin(4 * a).mean(), np.cos(4 * a).mean()) / 4)
    R2 = yaw_rotation(beta)  # the xz direction at angle α = atan2(z, x) goes to α − β
    T2 = np.eye(4)
    T2[:3, :3] = R2
    P, N = P @ R2.T, N @ R2.T
    Tfix = T2 @ Tfix
    info["yaw_deg"] = math.degrees(beta)
    apply_rigid(out, Tfix)
    info["T_fix"] = Tfix.tolist()
    cam = out.cameras["input"]
    cam_xz = cam.position[[0, 2]].astype(np.float64)

    # 3. objects
    objects, dropped = _fit_objects(
        P, valid, cls, inst, scores, label_of, depth, cam_xz, min_confidence
    )
    # segments without classes that lie on the floor or walls are the room, not objects
    if not has_classes and plane is not None:
        objects = [o for o in objects if not _is_shell(o)]

    # 4. the room
    room = None
    if plane is not None:
        T_cam = cam.T_world_camera.astype(np.float64)
        rays = (cam.pixel_rays().astype(np.float64) @ T_cam[:3, :3].T, T_cam[:3, 3])
        view_xz = T_cam[[0, 2], 2] / max(1e-9, float(np.linalg.norm(T_cam[[0, 2], 2])))
        room, rinfo = _fit_room(
            P, N, valid, cls, wall_px, cam_xz, view_xz, objects, has_classes, rays
        )
        info.update(rinfo)
    info["objects"] = len(objects)
    info["dropped"] = dropped
    out.room = room
    for o in list(out.objects):
        out.remove_object(o.id)
    for o in objects:
        out.add_object(o.label, o.box, front=o.front, id=o.id, **o.attrs)
    keep = np.array(sorted(o.id for o in objects), np.int64)
    for lay in out.layers.values():
        if getattr(lay, "instance", None) is not None and hasattr(lay, "xyz"):
            lay.instance = np.where(np.isin(lay.instance, keep), lay.instance, -1).astype(np.int32)
    info["seconds"] = time.perf_counter() - t0
    out.meta["understand"] = info
    return out


def _level_by_walls(plane, floor_pts, wall_pts, tol, seed, info):
    """Correct a floor seen on few pixels with the walls, which stand upright: up is
    turned (by at most 10°) to be perpendicular to the normals of the wall planes
    (RANSAC on the wall pixels' points, so depth noise averages out), then the floor's
    height is taken again along it. Two wall directions fix up; one fixes the floor's
    tilt toward that wall."""
    n0 = plane.normal.astype(np.float64)
    pts = wall_pts[np.isfinite(wall_pts).all(1)]
    normals = []
    for _ in range(3):
        if len(pts) < 200:
            break
        w = fit_plane(pts, tol=tol, min_inliers=max(150, len(pts) // 6), seed=seed)
        if w is None:
            break
        pts = pts[~w.inliers]
        if abs(w.normal @ n0) < 0.3 and all(abs(w.normal @ m) < 0.9 for m in normals):
            normals.append(w.normal)
    if not normals:
        return plane
    if len(normals) >= 2:
        up = np.cross(normals[0], normals[1])
    else:  # keep the floor's tilt along the wall, drop its tilt toward it
        up = n0 - (n0 @ normals[0]) * normals[0]
    up = up / np.linalg.norm(up) * (1.0 if up @ n0 >= 0 else -1.0)
    turn = math.degrees(math.acos(min(1.0, float(up @ n0))))
    if turn > 10.0 or turn < 0.2:
        return plane
    if floor_pts is not None and len(floor_pts):
        off = -float(np.median(floor_pts @ up))  # all of them: the old inliers lean
    else:  # the plane's height under the origin (the camera's foot) stays
        off = plane.offset
    info["levelled_by_walls_deg"] = round(turn, 2)
    return type(plane)(up, off, plane.inliers)


def _floor_from_objects(P, valid, inst, label_of, tol, seed):
    """The floor when too little of it is seen: the points of rugs and the lowest pixel
    of each column of pieces that stand on it (not cut by the image's bottom edge) lie
    on one plane."""
    support = []
    H = valid.shape[0]
    for i, lab in label_of.items():
        e = _catalog_entry(lab)
        if e is None or e.placement != "floor":
            continue
        m = valid & (inst == i)
        rows, cols = np.nonzero(m)
        if len(rows) < 20 or (not e.flat and rows.max() >= H - 2):
            continue
        if e.flat:
            support.append(P[m])
            continue
        # the lowest pixel of each column is where the piece meets the floor in the image
        bottom = np.full(m.shape[1], -1)
        np.maximum.at(bottom, cols, rows)
        c = np.nonzero(bottom >= 0)[0]
        support.append(P[bottom[c], c])
    if not support:
        return None
    pts = np.concatenate(support)
    if len(pts) < 20:
        return None
    xz = pts[:, [0, 2]] - pts[:, [0, 2]].mean(0)
    if np.linalg.svd(xz, compute_uv=False)[-1] / math.sqrt(len(xz)) < 0.1:
        return None  # all on one line: it tilts the floor any way it likes
    return fit_plane(
        pts, tol=tol, direction=(0, 1, 0), max_angle_deg=35.0,
        min_inliers=max(20, int(0.3 * len(pts))), seed=seed,
    )  # fmt: skip


def _is_shell(o: SceneObject) -> bool:
    s = o.box.size
    return bool(s[1] < 0.03 or s[1] > 2.2 or max(s[0], s[2]) > 4.0)


def _catalog_entry(label: str):
    from .. import catalog
    from ..errors import WorldnbError

    try:
        return catalog.entry(label)
    except WorldnbError:
        return None


def _fit_objects(P, valid, cls, inst, scores, label_of, depth, cam_xz, min_confidence):
    from scipy import ndimage

    H, W = valid.shape
    objects, dropped = [], []
    obj_px = cls == OBJECT
    ids = np.unique(inst[obj_px])
    for i in ids:
        i = int(i)
        full = obj_px & (inst == i)
        # pixels on the outline may mix the object with what is behind it: fit_box's
        # gated extents drop such far-off points (eroding the mask would cut thin faces)
        m = full & valid
        label = label_of.get(i, "object")
        if m.sum() < 8:
            dropped.append({"id": i, "label": label, "why": "too few pixels with depth"})
            continue
        pts = P[m]
        entry = _catalog_entry(label)
        box = fit_box(pts, yaw_hint=0.0)
        rows, cols = np.nonzero(full)
        border = {
            "top": bool(rows.min() <= 1), "bottom": bool(rows.max() >= H - 2),
            "left": bool(cols.min() <= 1), "right": bool(cols.max() >= W - 2),
        }  # fmt: skip
        # occlusion: nearer pixels right around the object (worked on its crop only)
        # that rise above its points next to them: a nearer surface no higher than the
        # object there is the floor or the top it stands on, seen in front of its foot
        r0, r1 = max(0, rows.min() - 6), min(H, rows.max() + 7)
        c0, c1 = max(0, cols.min() - 6), min(W, cols.max() + 7)
        fc, vc, dc = full[r0:r1, c0:c1], valid[r0:r1, c0:c1], depth[r0:r1, c0:c1]
        yc = P[r0:r1, c0:c1, 1]
        ring = ndimage.binary_dilation(fc, iterations=2) & ~fc & vc
        near = ndimage.minimum_filter(np.where(fc & vc, dc, np.inf), size=5)
        low = ndimage.minimum_filter(np.where(fc & vc, yc, np.inf), size=5)
        occl = ring & (dc < near - 0.08) & np.isfinite(near) & (yc > low + 0.03)
        occluded = float(occl.sum()) / max(1, ring.sum())
        cut = any(border.values()) or occluded > 0.1
        edge = np.zeros_like(full)
        edge[:2], edge[-2:], edge[:, :2], edge[:, -2:] = True, True, True, True
        cut_px = m[r0:r1, c0:c1] & (
            ndimage.binary_dilation(occl, iterations=3) | edge[r0:r1, c0:c1]
        )
        cut_xz = P[r0:r1, c0:c1][cut_px][:, [0, 2]]
        frac = 1.0
        front = False
        if entry is not None:
            lo = (entry.width[0], entry.height[0], entry.depth[0])
            on_floor = entry.placement == "floor" and not entry.flat
            # its foot seen well above the floor, or too high for one of its kind to
            # reach down to it: it stands on something (a plant on a shelf), so neither
            # the floor nor the floor piece's smallest sizes hold
            if (
                on_floor
                and box.bottom > 0.2
                and (box.top > 1.15 * entry.height[1] or _stands_raised(pts[:, 1], fc, occl))
            ):
                on_floor, lo = False, None
            box, frac = complete_box(
                box, entry.median_size, camera_xz=cam_xz, cut=cut, minimum=lo,
                on_floor=on_floor, cut_xz=cut_xz,
            )  # fmt: skip
            front = entry.front
        if front or entry is not None:
            box = _orient(box, entry, cam_xz)
        score = float(scores[full].mean())
        support = min(1.0, math.sqrt(m.sum() / 150.0))
        conf = score * support * (0.6 + 0.4 * frac)
        attrs = {
            "confidence": round(conf, 4),
            "visible_fraction": round(frac, 4),
            "source": "image",
            "pixels": int(full.sum()),
            "cut_off": bool(cut),
        }
        if conf < min_confidence:
            dropped.append({"id": i, "label": label, "why": f"confidence {conf:.2f}"})
            continue
        objects.append(SceneObject(i, label, box, front, attrs=attrs))
    return objects, dropped


def _stands_raised(y, mask, occluder, lift: float = 0.2) -> bool:
    """Whether an object's foot is seen above the floor: its lowest points (the 1st
    percentile of its points' heights ``y``) more than ``lift`` m up, and under most of
    its columns the two pixels below its lowest one neither off the image nor an
    ``occluder`` (``mask`` and ``occluder``: one crop, with a margin below the object)."""
    if float(np.percentile(y, 1)) <= lift:
        return False
    rows, cols = np.nonzero(mask)
    bottom = np.full(mask.shape[1], -1)
    np.maximum.at(bottom, cols, rows)
    c = np.nonzero(bottom >= 0)[0]
    last = mask.shape[0] - 1
    hidden = bottom[c] + 1 > last  # the crop's margin is cut only at the image's edge
    for d in (1, 2):
        hidden |= occluder[np.minimum(bottom[c] + d, last), c]
    return bool(hidden.mean() < 0.5)


def _orient(box, entry, cam_xz):
    """Put the catalog's width on the box's local x and turn its front (+Z) toward the
    camera's side of the object (things are seen from where one uses them)."""
    from ..scene import OrientedBox

    size = box.size.astype(np.float64)
    yaw = float(box.yaw)
    tw, td = (sum(entry.width) / 2, sum(entry.depth) / 2)

    def cost(a, b):
        return abs(math.log(max(a, 1e-3) / tw)) + abs(math.log(max(b, 1e-3) / td))

    if cost(size[2], size[0]) < cost(size[0], size[2]) - 1e-9:
        size = size[[2, 1, 0]]
        yaw += math.pi / 2
    z = np.array([math.sin(yaw), math.cos(yaw)])
    to_cam = cam_xz - box.center[[0, 2]].astype(np.float64)
    if z @ to_cam < 0:
        yaw += math.pi
    yaw = (yaw + math.pi) % (2 * math.pi) - math.pi
    return OrientedBox(box.center, size, yaw)


def _wall_planes(coord, other, min_support):
    """Wall planes among the points of one side: peaks of ``coord`` (5 cm bins, at least
    30 cm apart) holding ``min_support`` points, strongest first, each as
    ``(position, points, other_lo, other_hi)`` (the span of ``other`` it covers)."""
    if len(coord) < min_support:
        return []
    edges = np.arange(coord.min() - 0.05, coord.max() + 0.1, 0.05)
    if len(edges) < 2:
        return [(float(np.median(coord)), len(coord), *np.percentile(other, [2, 98]))]
    hist, edges = np.histogram(coord, edges)
    out = []
    for k in np.argsort(-hist, kind="stable"):
        if hist[k] < min_support:
            break
        c = 0.5 * (edges[k] + edges[k + 1])
        if any(abs(c - q[0]) < 0.3 for q in out):
            continue
        near = np.abs(coord - c) < 0.08
        lo, hi = np.percentile(other[near], [2, 98])
        out.append((float(np.median(coord[near])), int(near.sum()), float(lo), float(hi)))
    return out


def _notches(planes, bounds):
    """Rectangles to cut from the room's bounding rectangle where both walls of a
    recess (an L-shaped room's inner corner) were seen: an inner plane on an x side and
    one on a z side that meet at a corner, each lying on the other's outer side.

    ``planes[k]``: the inner planes of side k (−x, +x, −z, +z) as from
    :func:`_wall_planes`; ``bounds``: xmin, xmax, zmin, zmax. Returns shapely boxes."""
    import shapely

    out = []
    for kx, kz in ((0, 2), (0, 3), (1, 2), (1, 3)):
        sx, sz = (1, -1)[kx], (1, -1)[kz - 2]  # +1 on the min side
        for a, _, zlo, zhi in planes[kx]:
            for c, _, xlo, xhi in planes[kz]:
                # the x-side plane runs from the z bound to c, the z-side one from a to
                # the x bound: they meet at (a, c)
                z_ok = (zhi <= c + 0.2) if sz == 1 else (zlo >= c - 0.2)
                x_ok = (xhi <= a + 0.2) if sx == 1 else (xlo >= a - 0.2)
                if not (z_ok and x_ok):
                    continue
                if min(abs(bounds[kx] - a), abs(bounds[kz] - c)) < 0.3:
                    continue
                # past the room's outline by 5 cm, so that no sliver is left along it
                x0, x1 = sorted((bounds[kx] - 0.05 * sx, a))
                z0, z1 = sorted((bounds[kz] - 0.05 * sz, c))
                out.append(shapely.box(x0, z0, x1, z1))
    return out


def _ray_wall_hits(dirs: np.ndarray, origin: np.ndarray, room: Room) -> np.ndarray:
    """(M, 3) first points where rays ``origin + t·dirs`` meet the room's walls (NaN
    where none): openings seen without depth (through a window) lie on the wall."""
    best = np.full(len(dirs), np.inf)
    out = np.full((len(dirs), 3), np.nan)
    for w in room.walls:
        n, a, d = (np.asarray(v, np.float64) for v in (w.normal, w.start, w.direction))
        denom = dirs[:, [0, 2]] @ n
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((a - origin[[0, 2]]) @ n) / denom
            hit = origin + t[:, None] * dirs
            along = (hit[:, [0, 2]] - a) @ d
        ok = (t > 0) & (t < best) & (along >= 0) & (along <= w.length)
        best[ok] = t[ok]
        out[ok] = hit[ok]
    return out


def _room_kinds(objects) -> dict[str, float]:
    """How likely each room kind (``TYPICAL_AREA``'s keys) is, given the objects found:
    each object of a catalog kind that is not clutter is taken to be in a room of one
    of its ``CatalogEntry.rooms`` (likelihood 1) far more often than elsewhere (0.2,
    softened by a low confidence), independently (naive Bayes, a flat prior). A bed
    makes a bedroom; a dining table and chairs leave dining room and kitchen even.
    Empty when no object says anything."""
    logp = dict.fromkeys(TYPICAL_AREA, 0.0)
    seen = False
    for o in objects:
        e = _catalog_entry(o.label)
        if e is None or e.clutter or not e.rooms:
            continue
        seen = True
        conf = float(np.clip(o.attrs.get("confidence", 1.0), 0.0, 1.0))
        for k in logp:
            if k not in e.rooms:
                logp[k] += conf * math.log(0.1)
    if not seen:
        return {}
    top = max(logp.values())
    p = {k: math.exp(v - top) for k, v in logp.items()}
    total = sum(p.values())
    return {k: v / total for k, v in p.items()}


def _typical_area(kinds: dict[str, float]) -> float:
    """The typical floor area (m²) over the room kinds' probabilities (a geometric
    mean); ``TYPICAL_SIDE``² when nothing is known."""
    if not kinds:
        return TYPICAL_SIDE**2
    return math.exp(sum(p * math.log(TYPICAL_AREA[k]) for k, p in kinds.items()))


def _side_lengths(lx, lz, x_known, z_known, area):
    """Lengths (x, z) of a room whose seen extents are ``lx``, ``lz`` (exact on an axis
    whose two walls were seen, lower bounds elsewhere) and whose typical area is
    ``area``: unknown sides grow so the room has that area, each at least what was
    seen, and no side longer than twice nor shorter than half the typical side."""
    s = math.sqrt(area)

    def fill(seen, other):
        return max(seen, min(max(area / max(other, 1e-6), 0.5 * s), 2.0 * s))

    if x_known and z_known:
        return lx, lz
    if x_known:
        return lx, fill(lz, lx)
    if z_known:
        return fill(lx, lz), lz
    if max(lx, lz) <= s:
        return s, s
    if lx >= lz:
        return lx, fill(lz, lx)
    return fill(lx, lz), lz


def _close_axis(lo, hi, lo_wall, hi_wall, behind, info, names, length=TYPICAL_SIDE):
    """Close one axis of the room where its walls were not seen: the room is as long as
    ``length`` (or what was seen, if longer), grown on the unseen side(s); ``behind``
    (the view direction's component, negated) says which side is behind the camera: it
    takes the growth when both are unseen and the view runs along the axis."""
    if lo_wall and hi_wall:
        return lo, hi
    grow = max(0.0, length - (hi - lo))
    if lo_wall:
        share_lo = 0.0
    elif hi_wall:
        share_lo = 1.0
    else:  # behind > 0: +axis is behind the camera
        share_lo = float(np.clip(0.5 - behind, 0.0, 1.0))
    if grow > 0:
        for name, share in zip(names, (share_lo, 1.0 - share_lo), strict=True):
            if share > 0:
                info.setdefault("closed", {})[name] = round(grow * share, 3)
    return lo - grow * share_lo, hi + grow * (1.0 - share_lo)


def _fit_room(P, N, valid, cls, wall_px, cam_xz, view_xz, objects, has_classes, rays):
    """Rectangle from the wall planes on each side, else the visible floor's extent."""
    from scipy import ndimage

    info: dict = {}
    floor = P[valid & (cls == FLOOR)][:, [0, 2]]
    extent = [floor] if len(floor) else []
    for o in objects:
        extent.append(np.asarray(o.box.footprint().exterior.coords)[:, :2])
    ext = np.concatenate(extent) if extent else cam_xz[None]
    ext = np.concatenate([ext, cam_xz[None]])
    lo_e = np.percentile(ext, 0.5, axis=0)
    hi_e = np.percentile(ext, 99.5, axis=0)
    Wp, Wn = P[wall_px], N[wall_px]
    support = max(40, int(0.02 * len(Wp)))
    sides = {}
    bounds = [lo_e[0], hi_e[0], lo_e[1], hi_e[1]]  # xmin, xmax, zmin, zmax
    inner: list[list] = [[], [], [], []]
    for k, (axis, sign) in enumerate(((0, 1), (0, -1), (2, 1), (2, -1))):
        sel = Wn[:, axis] * sign > 0.8  # inward normal: +x on the xmin side, ...
        cam_c = cam_xz[0 if axis == 0 else 1]
        # planes on the far side of the camera; the side is the outermost strong one
        # (an L-shaped room shows a nearer, inner wall on the same side too)
        planes = [
            q for q in _wall_planes(Wp[sel, axis], Wp[sel, 2 - axis], support)
            if (q[0] - cam_c) * sign < -0.2
        ]  # fmt: skip
        strong = [q for q in planes if q[1] >= 0.25 * planes[0][1]] if planes else []
        if strong:
            outer = min(strong, key=lambda q: q[0] * sign)
            bounds[k] = outer[0]
            inner[k] = [q for q in planes if (q[0] - outer[0]) * sign >= 0.3]
            sides[("-x", "+x", "-z", "+z")[k]] = "wall"
        else:
            sides[("-x", "+x", "-z", "+z")[k]] = "floor extent"
    xmin, xmax, zmin, zmax = bounds
    xmin, xmax = min(xmin, cam_xz[0] - 0.3), max(xmax, cam_xz[0] + 0.3)
    zmin, zmax = min(zmin, cam_xz[1] - 0.3), max(zmax, cam_xz[1] + 0.3)
    info["seen_bounds"] = [round(float(v), 3) for v in (xmin, xmax, zmin, zmax)]
    known = [sides[k] == "wall" for k in ("-x", "+x", "-z", "+z")]
    kinds = _room_kinds(objects)
    best = max(kinds, key=kinds.get) if kinds else None
    info["kind"] = best if best is not None and kinds[best] >= 0.5 else None
    area = _typical_area(kinds)
    info["typical_area"] = round(area, 2)
    lx, lz = _side_lengths(
        xmax - xmin, zmax - zmin, known[0] and known[1], known[2] and known[3], area
    )
    xmin, xmax = _close_axis(
        xmin, xmax, known[0], known[1], -view_xz[0], info, ("-x", "+x"), length=lx
    )
    zmin, zmax = _close_axis(
        zmin, zmax, known[2], known[3], -view_xz[1], info, ("-z", "+z"), length=lz
    )
    info["walls_seen"] = sum(v == "wall" for v in sides.values())
    info["sides"] = sides
    ceil = P[valid & (cls == CEILING)][:, 1]
    if not has_classes:
        ceil = P[valid & (N[..., 1] < -0.8) & (P[..., 1] > 1.8)][:, 1]
    top = float(np.percentile(P[valid][:, 1], 99.5)) if valid.any() else 0.0
    if len(ceil) >= 30:
        height, info["height_source"] = float(np.median(ceil)), "ceiling"
    else:
        height, info["height_source"] = max(ASSUMED_HEIGHT, top + 0.05), "assumed"
    room = Room([(xmin, zmax), (xmax, zmax), (xmax, zmin), (xmin, zmin)], height)
    cuts = _notches(inner, [xmin, xmax, zmin, zmax])
    if cuts:
        room = _cut(room, cuts, floor, cam_xz, info)
    openings = []
    for kind, code in (("door", DOOR), ("window", WINDOW)):
        lab, n = ndimage.label(cls == code)
        for j in range(1, n + 1):
            comp = lab == j
            seen_through = comp & ~valid
            pts = P[comp & valid]
            if seen_through.any():
                hits = _ray_wall_hits(rays[0][seen_through], rays[1], room)
                pts = np.concatenate([pts, hits[np.isfinite(hits).all(1)]])
            if len(pts) < 30:
                continue
            o = _opening(kind, pts, room)
            if o is not None:
                openings.append(o)
    if openings:
        room = room.with_openings(openings)
    info["openings"] = len(openings)
    return room, info


def _cut(room: Room, cuts, floor_xz, cam_xz, info) -> Room:
    """The room without the recesses ``cuts`` (shapely boxes), unless that leaves more
    than one piece, cuts off the camera or more than 2 % of the floor seen."""
    import shapely

    poly = room.polygon
    for c in cuts:
        if c.contains(shapely.Point(cam_xz)):
            continue
        if len(floor_xz) and shapely.contains_xy(c.buffer(-0.1), *floor_xz.T).mean() > 0.02:
            continue
        poly = poly.difference(c)
    poly = shapely.simplify(poly, 1e-3)
    if poly.geom_type != "Polygon" or poly.equals(room.polygon) or poly.area < 1.0:
        return room
    info["shape"] = f"{len(poly.exterior.coords) - 1} corners (recess seen)"
    return Room(np.asarray(poly.exterior.coords)[:-1], room.height)


def _opening(kind, pts, room):
    xz = pts[:, [0, 2]]
    dist = [float(np.median(np.abs(w.distance_to(xz)))) for w in room.walls]
    k = int(np.argmin(dist))
    if dist[k] > 0.3:
        return None
    w = room.walls[k]
    along = (xz - w.start.astype(np.float64)) @ w.direction.astype(np.float64)
    a, b = np.percentile(along, [2, 98])
    a, b = max(0.0, a), min(float(w.length), b)
    y0, y1 = np.percentile(pts[:, 1], [2, 98])
    sill = 0.0 if kind == "door" or y0 < 0.1 else float(y0)
    y1 = min(float(y1), room.height)
    if b - a < 0.2 or y1 - sill < 0.2:
        return None
    try:
        return Opening(kind, w.id, (a + b) / 2, b - a, y1 - sill, sill)
    except InputError:
        return None
