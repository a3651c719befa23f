"""``worldnb.generate``: one image → an explorable :class:`~worldnb.Scene`.

Stages (each a public function of its own): load the image → depth and intrinsics →
metric scale and pose → lift (mesh, surfel Gaussians, points) → expand along a camera
path (render, inpaint, depth, align, lift) → refine the Gaussians → the scene.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import BackendError, CancelledError, InputError
from ..scene import Camera, Gaussians, Mesh, PointCloud, Scene
from ._callables import call_backend
from ._hf import pick_device
from .config import GenerationConfig
from .depth import as_depth_estimator
from .expand import ExpandedView, Geometry, expand
from .image import InputImage, load_image
from .inpaint import as_inpainter
from .lift import lift_mesh, lift_points, lift_surfels
from .metric import camera_pose, choose_intrinsics, to_metric
from .path import ViewContext, expansion_path
from .refine import RefineTarget, refine_gaussians
from .segment import Segmentation, _is_segmentation, as_segmenter

__all__ = [
    "GenerationEvent",
    "InputGeometry",
    "estimate_geometry",
    "generate",
    "merge_layers",
    "refinement_targets",
]

STAGES = ("image", "backends", "depth", "lift", "expand", "refine", "scene", "understand")


@dataclass
class GenerationEvent:
    """What a progress callback receives.

    Attributes:
        stage: one of ``"image"``, ``"backends"``, ``"depth"``, ``"lift"``,
            ``"expand"``, ``"refine"``, ``"scene"``, ``"understand"``.
        status: ``"start"``, ``"end"``, ``"view"`` (a generated view is ready),
            ``"geometry"`` (the scene grew: after the input is lifted and after each
            view that added surfaces; ``layers`` holds the geometry so far),
            ``"step"`` (a refinement step) or ``"poll"``: no news, sent between the
            model calls inside a stage (before each generated view and between its
            inpainting and its depth) so that a callback can cancel there.
        step: steps done so far; ``total``: steps in all.
        message: a short description.
        view: the generated view (for ``status == "view"``), with ``rgb``, ``mask``,
            ``camera``.
        seconds: time the stage took (for ``status == "end"``).
        layers: for ``status == "geometry"``, the geometry lifted so far as the scene's
            layers (``mesh``, ``gaussians``, ``points``; before refinement): what a
            live view shows while the scene grows.
    """

    stage: str
    status: str
    step: int
    total: int
    message: str = ""
    view: ExpandedView | None = None
    seconds: float | None = None
    layers: dict | None = None


@dataclass
class InputGeometry:
    """The input view in metres: depth (H, W), its camera, and how they were obtained."""

    depth: np.ndarray
    camera: Camera
    kind: str
    intrinsics_source: str
    scale_rule: str
    floor_found: bool


def estimate_geometry(image: InputImage, depth_backend, config: GenerationConfig) -> InputGeometry:
    """Depth, intrinsics, metric scale and pose of the input image (stages 2–3).

    Raises:
        BackendError: the backend returned something unusable.
    """
    ctx = ViewContext("input", None, np.eye(4))
    pred = call_backend(depth_backend, image.rgb, view=ctx)
    h, w = image.height, image.width
    K, src = choose_intrinsics(w, h, pred.fov_deg, image.focal_px, config.fov_deg)
    depth, floor, rule = to_metric(pred, K, config.camera_height, config.depth_scale, config.seed)
    if not np.isfinite(depth).any():
        raise BackendError("the depth backend gave no usable depth for the input image")
    T = camera_pose(floor, config.camera_height)
    far = float(np.nanmax(depth)) * 4 + 1.0
    cam = Camera(K, w, h, T, near=0.01, far=max(100.0, far))
    return InputGeometry(depth, cam, pred.kind, src, rule, floor is not None)


def merge_layers(geometry: Geometry) -> dict:
    """Concatenate the lifted pieces into one ``mesh``, ``gaussians`` and ``points`` layer."""
    cat = np.concatenate
    ms = [m for m in geometry.meshes if len(m.vertices)]
    out = {}
    if ms:
        offs = np.cumsum([0] + [len(m.vertices) for m in ms[:-1]])
        out["mesh"] = Mesh(
            cat([m.vertices for m in ms]),
            cat([m.faces + o for m, o in zip(ms, offs, strict=True)]),
            vertex_colors=cat([m.vertex_colors for m in ms]),
        )
    gs = [g for g in geometry.gaussians if len(g)]
    if gs:
        out["gaussians"] = Gaussians(
            *(
                cat([getattr(g, k) for g in gs])
                for k in ("means", "scales", "quats", "opacities", "colors")
            )
        )
    ps = [p for p in geometry.points if len(p)]
    if ps:
        inst = None
        if any(p.instance is not None for p in ps):
            inst = cat(
                [
                    p.instance if p.instance is not None else np.full(len(p), -1, np.int32)
                    for p in ps
                ]
            )
        out["points"] = PointCloud(
            cat([p.xyz for p in ps]), cat([p.rgb for p in ps]), cat([p.normals for p in ps]), inst
        )
    return out


class _Run:
    """Progress bar, timings, callbacks and cancellation for one generate() call."""

    def __init__(self, total: int, progress: bool, callback):
        from tqdm.auto import tqdm

        self.total, self.step, self.callback = total, 0, callback
        self.timings: dict[str, float] = {}
        self.current = STAGES[0]
        self.bar = tqdm(total=total, desc="generate", disable=not progress, leave=False)

    def emit(self, event: GenerationEvent) -> None:
        if self.callback is not None and self.callback(event) is False:
            raise CancelledError(
                f"generation cancelled during '{event.stage}'; nothing was returned"
            )

    def grew(self, pieces: Geometry, view: ExpandedView | None = None) -> None:
        """Tell the callback the geometry so far (merged only when someone listens)."""
        if self.callback is not None:
            self.emit(
                GenerationEvent(
                    self.current, "geometry", self.step, self.total,
                    "input" if view is None else view.name, view=view,
                    layers=merge_layers(pieces),
                )
            )  # fmt: skip

    def poll(self) -> None:
        """Give the callback a chance to cancel inside a long stage."""
        self.emit(GenerationEvent(self.current, "poll", self.step, self.total))

    @contextlib.contextmanager
    def stage(self, name: str, message: str = "", steps: int = 1):
        self.current = name
        self.bar.set_description(f"generate: {name}")
        self.emit(GenerationEvent(name, "start", self.step, self.total, message))
        t0 = time.perf_counter()
        yield
        dt = time.perf_counter() - t0
        self.timings[name] = self.timings.get(name, 0.0) + dt
        self.advance(steps)
        self.emit(GenerationEvent(name, "end", self.step, self.total, message, seconds=dt))

    def advance(self, n: int = 1) -> None:
        self.step += n
        self.bar.update(n)


def generate(
    image,
    config: GenerationConfig | None = None,
    depth=None,
    inpaint=None,
    segment="builtin",
    device: str = "auto",
    progress: bool = True,
    callback: Callable[[GenerationEvent], bool | None] | None = None,
) -> Scene:
    """Turn one image into an explorable 3D scene.

    Args:
        image: a path, PIL image, numpy array or torch tensor (see
            :func:`~worldnb.generation.load_image`).
        config: :class:`GenerationConfig` (defaults when None).
        depth: depth backend: None or ``"builtin"`` (the built-in model, offline),
            Hugging Face id, model folder, or callable
            ``rgb -> DepthPrediction | (H, W) metric depth``.
        inpaint: inpainting backend: None or ``"builtin"`` (the built-in model,
            offline), Hugging Face id, pipeline folder, or callable (see
            :class:`~worldnb.generation.Inpainter`); unused when ``n_views == 0``.
        segment: segmenter: ``"builtin"`` (the default, the built-in model), None, or
            a callable ``rgb -> (H, W) int`` instance ids or a
            :class:`~worldnb.generation.Segmentation` (see
            :class:`~worldnb.generation.Segmenter`; stored as the points' ``instance``,
            the image ``"segments"`` (−1 = none) and, with classes, the image
            ``"semantic"`` and ``meta["segments"]``). With a segmenter and
            ``config.understand`` (the default) the scene is then understood
            (:func:`~worldnb.understand`): room and objects.
        device: ``"auto"``, ``"cpu"``, ``"cuda"`` (models and rendering).
        progress: show a progress bar (``tqdm.auto``).
        callback: called with a :class:`GenerationEvent` at each stage start / end, each
            generated view, each refinement step and each ``"poll"`` inside the
            expansion; returning False cancels.

    Returns:
        :class:`~worldnb.Scene` with layers ``mesh``, ``gaussians``, ``points``;
        cameras ``input`` and ``view_01``…; images ``input``, ``depth``, each view and
        its mask; ``meta`` with the config, backend names, seeds and per-stage timings.

    Raises:
        InputError, FormatError: bad image or config.
        BackendError: a backend that cannot be loaded or returns something unusable.
        CancelledError: cancelled by the callback or Ctrl-C; nothing is returned.

    Example:
        >>> import numpy as np, worldnb
        >>> flat = lambda rgb: np.full(rgb.shape[:2], 2.0, np.float32)  # a wall 2 m away
        >>> scene = worldnb.generate(np.full((32, 32, 3), 0.5, np.float32),
        ...                          worldnb.GenerationConfig(n_views=0), depth=flat,
        ...                          progress=False)
        >>> sorted(scene.layers)
        ['gaussians', 'mesh', 'points']
    """
    cfg = GenerationConfig() if config is None else config
    if not isinstance(cfg, GenerationConfig):
        raise InputError(f"config: expected a GenerationConfig, got {type(cfg).__name__}")
    device = pick_device(device)  # a missing GPU fails now, not halfway through
    total = len(STAGES) - 1 + cfg.n_views
    run = _Run(total, progress, callback)
    try:
        return _generate(run, image, cfg, depth, inpaint, segment, device)
    except KeyboardInterrupt:
        raise CancelledError("generation interrupted; nothing was returned") from None
    finally:
        run.bar.close()


def _check_liftable(img: InputImage, cfg: GenerationConfig) -> None:
    """Lifting needs a 2×2 block of pixels; say so about the image, not about depth."""
    if min(img.height, img.width) >= 2:
        return
    w0, h0 = img.original_size
    resized = (
        f", {img.width}×{img.height} after shrinking to max_side={cfg.max_side}"
        if (img.width, img.height) != (w0, h0)
        else ""
    )
    raise InputError(
        f"image: {img.source} is {w0}×{h0} pixels{resized}; generate needs at least 2×2 "
        "pixels; pass a larger image (or a larger max_side)"
    )


def _generate(run: _Run, image, cfg, depth, inpaint, segment, device) -> Scene:
    with run.stage("image"):
        img = load_image(image, cfg.max_side, cfg.allow_large)
        _check_liftable(img, cfg)
    with run.stage("backends"):
        depth_b = as_depth_estimator(depth, device)
        inpaint_b = as_inpainter(inpaint, device) if cfg.n_views > 0 else None
        segment_b = as_segmenter(segment, pick_device(device))
    with run.stage("depth"):
        geo = estimate_geometry(img, depth_b, cfg)
        seg = labelled = None
        if segment_b is not None:
            seg = call_backend(segment_b, img.rgb, view=ViewContext("input", geo.camera, np.eye(4)))
            if _is_segmentation(seg):  # classes and instances; 0 = no instance
                labelled, seg = seg, np.where(seg.instance > 0, seg.instance, -1).astype(np.int32)
    cam = geo.camera
    with run.stage("lift"):
        valid = img.mask
        pieces = Geometry()
        points = lift_points(geo.depth, img.rgb, cam.K, cam.T_world_camera, cfg.point_stride, valid)
        if seg is not None:
            k = cfg.point_stride
            ok = np.isfinite(geo.depth) & (geo.depth > 0) & (True if valid is None else valid)
            sl = (
                slice(k // 2, geo.depth.shape[0] // k * k, k),
                slice(k // 2, geo.depth.shape[1] // k * k, k),
            )
            points.instance = seg[sl][ok[sl]]
        pieces.add(
            lift_mesh(
                geo.depth, img.rgb, cam.K, cam.T_world_camera, cfg.depth_edge_threshold, valid
            ),
            lift_surfels(geo.depth, img.rgb, cam.K, cam.T_world_camera, cfg.surfel_stride, valid),
            points,
        )
    run.grew(pieces)
    views: list[ExpandedView] = []
    with run.stage("expand", steps=0):
        if cfg.n_views > 0:
            zc = float(np.nanmedian(geo.depth))
            pivot = cam.position + cam.forward * zc
            path = expansion_path(cam, pivot, cfg.n_views, cfg.orbit_deg, cfg.dolly)

            def on_view(v: ExpandedView) -> None:
                run.advance()
                msg = v.name if v.refused is None else f"{v.name} refused: {v.refused}"
                run.emit(GenerationEvent("expand", "view", run.step, run.total, msg, view=v))
                if v.new_pixels:
                    run.grew(pieces, v)

            views = expand(
                pieces, cam, path, depth_b, inpaint_b, cfg, device, on_view, run.poll, geo.depth
            )
    layers = merge_layers(pieces)
    refine_info = None
    with run.stage("refine"):
        if cfg.refine_iters > 0 and "gaussians" in layers:
            targets = refinement_targets(
                cam,
                img.rgb,
                [(v.camera, v.rgb) for v in views if v.refused is None],
                layers,
                len(pieces.gaussians[0]),
                valid,
                pick_device(device),
            )

            def on_step(i: int, loss: float):
                run.emit(GenerationEvent("refine", "step", run.step, run.total, f"{i}: {loss:.4f}"))

            res = refine_gaussians(
                layers["gaussians"],
                targets,
                cfg.refine_iters,
                cfg.refine_lr,
                cfg.ssim_weight,
                cfg.refine_patience,
                device=pick_device(device),
                seed=cfg.seed,
                callback=on_step,
                fit_means=False,  # the depth placed them; the points layer shares them
            )
            layers["gaussians"] = res.gaussians
            refine_info = {
                "steps": len(res.losses),
                "stopped_early": res.stopped_early,
                "first_loss": res.losses[0],
                "last_loss": res.losses[-1],
                "rasterizer": res.rasterizer,
            }
    with run.stage("scene"):
        scene = _assemble(
            img,
            geo,
            cfg,
            layers,
            views,
            depth_b,
            inpaint_b,
            segment_b,
            seg,
            labelled,
            run.timings,
            refine_info,
        )
    with run.stage("understand"):
        if segment_b is not None and cfg.understand:
            from .understanding import understand_scene

            scene = understand_scene(
                scene,
                labelled if labelled is not None else seg,
                min_confidence=cfg.understand_min_confidence,
                seed=cfg.seed,
            )
    scene.meta["timings"] = dict(run.timings)
    return scene


def refinement_targets(
    camera: Camera,
    photo: np.ndarray,
    views: Sequence[tuple[Camera, np.ndarray]],
    layers: dict,
    n_photo_gaussians: int,
    mask: np.ndarray | None = None,
    device: str = "cpu",
) -> list[RefineTarget]:
    """The images :func:`generate` refines the Gaussians against, photo first.

    The photo is evidence: its view is in every step's loss (``every_step``), and a
    generated view may change only the Gaussians lifted from generated views (those
    after the photo's first ``n_photo_gaussians``), so adding views never makes the
    photo's view fit worse. Each target carries the render of the scene's opaque layers
    (meshes, points) behind the Gaussians, as :func:`worldnb.render` shows them.

    Args:
        camera: the photo's camera; ``photo``: its (H, W, 3) float32 colours; ``mask``:
            its (H, W) bool valid pixels (None: all).
        views: ``(camera, rgb)`` of each accepted generated view.
        layers: the scene's layers (``gaussians`` and the opaque ones).
        n_photo_gaussians: how many of ``layers["gaussians"]`` (the first) the photo's
            lifting made.
        device: where to render the opaque layers.

    Example:
        >>> import numpy as np
        >>> from worldnb import Camera
        >>> from worldnb.generation import lift_surfels
        >>> cam = Camera.look_at([0, 0, 0], [0, 0, -1], width=8, height=8)
        >>> rgb = np.full((8, 8, 3), 0.5, np.float32)
        >>> g = lift_surfels(np.full((8, 8), 2.0, np.float32), rgb, cam.K, cam.T_world_camera)
        >>> t = refinement_targets(cam, rgb, [(cam, rgb)], {"gaussians": g}, 32)
        >>> t[0].every_step, int(t[1].adjusts.sum())
        (True, 32)
    """
    targets = [RefineTarget(camera, photo, mask, every_step=True)]
    new = np.arange(len(layers["gaussians"])) >= n_photo_gaussians
    if new.any():
        targets += [RefineTarget(c, rgb, adjusts=new) for c, rgb in views]
    _put_opaque_layers_behind(targets, layers, device)
    return targets


def _put_opaque_layers_behind(targets: list[RefineTarget], layers: dict, device: str) -> None:
    """Refine the Gaussians as the scene is rendered: over its meshes and points, which
    hide the Gaussians behind them (a fit over a blank background leaves the half-
    transparent Gaussians showing the mesh through them wrongly)."""
    from ..rendering import render

    opaque = {k: v for k, v in layers.items() if k != "gaussians"}
    if not opaque:
        return
    for t in targets:
        out = render(opaque, t.camera, device=device, objects=None)
        t.behind, t.depth_limit = out.rgb, out.depth


def _assemble(
    img, geo, cfg, layers, views, depth_b, inpaint_b, segment_b, seg, labelled, timings, refine_info
) -> Scene:
    cameras = {"input": geo.camera}
    images = {"input": img.rgb, "depth": np.nan_to_num(geo.depth, nan=0.0).astype(np.float32)}
    if img.mask is not None:
        images["input_mask"] = img.mask
    if seg is not None:
        images["segments"] = seg
    if labelled is not None:
        images["semantic"] = labelled.semantic
    for v in views:
        cameras[v.name] = v.camera
        images[v.name] = v.rgb
        images[f"{v.name}_mask"] = v.mask
    meta = {
        "generator": "worldnb.generate",
        "config": cfg.to_dict(),
        "backends": {
            "depth": str(getattr(depth_b, "name", type(depth_b).__name__)),
            "inpaint": None if inpaint_b is None else str(getattr(inpaint_b, "name", "?")),
            "segment": None if segment_b is None else str(segment_b.name),
        },
        "seeds": {"config": cfg.seed, "views": [v.seed for v in views], "floor_ransac": cfg.seed},
        "image": {
            "source": img.source,
            "original_size": list(img.original_size),
            "size": [img.width, img.height],
        },
        "depth": {
            "kind": geo.kind,
            "intrinsics": geo.intrinsics_source,
            "scale_rule": geo.scale_rule,
            "floor_found": geo.floor_found,
        },
        "views": [v.meta() for v in views],
        "refine": refine_info,
        "segments": None
        if labelled is None
        else {"labels": labelled.labels, "instances": Segmentation.instances(labelled)},
        "timings": dict(timings),
        # float16 / 8-bit storage is far finer than an 8-bit photo and estimated depth
        "save_precision": "compact",
    }
    return Scene(layers=layers, cameras=cameras, images=images, meta=meta)
