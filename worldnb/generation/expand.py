"""Stage 5: grow the scene along a camera path.

For each camera: render the geometry so far, take the holes (low alpha, dilated),
inpaint them, estimate the new view's depth, align it to the rendered depth on the
known pixels (robust scale + shift; a view whose fit stays bad is refused, not lifted),
carry the remaining smooth misfit from the hole's rim into the hole, reject new points
that lie in space an accepted view saw as empty (see :mod:`.carve`), and lift the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from scipy import ndimage

from ..scene import Camera, Gaussians, Mesh, PointCloud
from ._callables import call_backend
from .align import align_depth
from .carve import Witness, in_free_space
from .config import GenerationConfig
from .depth import DepthPrediction
from .lift import lift_mesh, lift_points, lift_surfels
from .path import PathView, ViewContext

__all__ = ["ExpandedView", "Geometry", "depth_in_metres", "expand", "find_holes"]


@dataclass
class Geometry:
    """The lifted pieces so far (concatenated into one layer each at the end)."""

    meshes: list[Mesh] = field(default_factory=list)
    gaussians: list[Gaussians] = field(default_factory=list)
    points: list[PointCloud] = field(default_factory=list)

    def add(self, mesh: Mesh, gaussians: Gaussians, points: PointCloud) -> None:
        """Append the mesh, Gaussians and points lifted from one view."""
        self.meshes.append(mesh)
        self.gaussians.append(gaussians)
        self.points.append(points)

    def mesh_layers(self) -> dict[str, Mesh]:
        """The non-empty meshes as layers ``{"part0": mesh, ...}``, in the order added."""
        return {f"part{i}": m for i, m in enumerate(self.meshes) if len(m)}


@dataclass
class ExpandedView:
    """One generated view: its camera, the inpainted image, the filled mask, and numbers."""

    name: str
    camera: Camera
    rgb: np.ndarray
    mask: np.ndarray
    angle_deg: float
    dolly: float
    seed: int
    hole_fraction: float
    new_pixels: int
    align_scale: float
    align_shift: float
    align_rmse: float
    seconds: float
    carved: int = 0
    refused: str | None = None

    def meta(self) -> dict:
        """The view's numbers as a JSON-ready dict (for ``scene.meta``): angle, dolly, seed,
        hole and new-pixel shares, depth alignment; no images."""
        return {
            "name": self.name,
            "angle_deg": self.angle_deg,
            "dolly": self.dolly,
            "seed": self.seed,
            "hole_fraction": self.hole_fraction,
            "new_pixels": self.new_pixels,
            "align_scale": self.align_scale,
            "align_shift": self.align_shift,
            "align_rmse": None if np.isnan(self.align_rmse) else self.align_rmse,
            "seconds": self.seconds,
            "carved": self.carved,
            "refused": self.refused,
        }


def find_holes(alpha: np.ndarray, threshold: float, dilate: int) -> tuple[np.ndarray, np.ndarray]:
    """``(holes, grown)``: pixels with alpha below ``threshold``, and those grown by
    ``dilate`` pixels (a square neighbourhood)."""
    holes = alpha < threshold
    if dilate > 0 and holes.any():
        grown = ndimage.binary_dilation(holes, structure=np.ones((3, 3), bool), iterations=dilate)
    else:
        grown = holes.copy()
    return holes, grown


def _visible_in(
    depth: np.ndarray,
    cam: Camera,
    other: Camera,
    other_depth: np.ndarray,
    tol: float = 0.03,
    front: float = np.inf,
) -> np.ndarray:
    """(H, W) bool: pixels of ``cam`` whose surface point ``other`` would show: inside its
    image and not behind the surface it saw there (nearer than ``other_depth`` plus
    ``tol`` relative) — the surface it saw itself, or something in front of it (by at
    most ``front`` relative: ``front=tol`` keeps to the surface it saw)."""
    pts = cam.unproject(np.where(np.isfinite(depth), depth, np.nan)).reshape(-1, 3)
    ok = np.all(np.isfinite(pts), axis=1)
    uv, z = other.project(np.where(ok[:, None], pts, 0.0))
    col, row = np.floor(uv[:, 0]).astype(np.int64), np.floor(uv[:, 1]).astype(np.int64)
    inside = ok & (z > 0) & (col >= 0) & (col < other.width) & (row >= 0) & (row < other.height)
    shown = np.zeros(len(pts), bool)
    with np.errstate(invalid="ignore"):
        seen = other_depth[row[inside], col[inside]]
        shown[inside] = (z[inside] <= (1 + tol) * seen) & (z[inside] >= (1 - front) * seen)
    return shown.reshape(depth.shape)


def _carry_misfit(d: np.ndarray, target: np.ndarray, known: np.ndarray, rmse: float):
    """``d`` plus the misfit ``target − d`` measured on the ``known`` pixels, carried into
    the rest by nearest neighbour and smoothed: a smooth warp the affine fit could not
    take out is bent back at the hole's rim, so new and old surfaces meet without a step.
    Misfits above 3 × ``rmse`` (depth edges, outliers) are not carried."""
    r = target - d
    use = known & np.isfinite(r)
    if np.isfinite(rmse) and rmse > 0:
        use &= np.abs(r) <= 3 * rmse
    if not use.any():
        return d
    _, (ri, ci) = ndimage.distance_transform_edt(~use, return_indices=True)
    carried = ndimage.gaussian_filter(np.where(use, r, 0.0)[ri, ci], sigma=2.0)
    return d + carried.astype(d.dtype)


def depth_in_metres(pred: DepthPrediction) -> np.ndarray:
    """Up to scale and shift: metric as is, disparity inverted, relative as is (≤ 0 → nan)."""
    d = pred.depth.astype(np.float64)
    if pred.kind == "disparity":
        lo = max(1e-6, 0.01 * float(np.percentile(d, 99)))
        d = 1.0 / np.maximum(d, lo)
    return np.where(d > 0, d, np.nan).astype(np.float32)


def _refusal(rmse: float, scale: float, max_rel: float) -> str | None:
    """Why a view's depth fit is too poor to lift (None: it is fine)."""
    if not np.isfinite(rmse) or not np.isfinite(scale) or scale <= 0:
        return None  # nothing known to fit against: the depth is taken as it is
    rel = rmse / scale
    if rel > max_rel:
        return (
            f"depth does not fit the known geometry: alignment RMSE {rmse:.3f} m is "
            f"{100 * rel:.1f} % of the median depth {scale:.2f} m (limit "
            f"{100 * max_rel:.1f} %, align_max_rmse); the view was not lifted"
        )
    return None


def expand(
    geometry: Geometry,
    input_camera: Camera,
    path: list[PathView],
    depth_backend,
    inpainter,
    config: GenerationConfig,
    device: str = "auto",
    on_view: Callable[[ExpandedView], None] | None = None,
    check: Callable[[], None] | None = None,
    input_depth: np.ndarray | None = None,
) -> list[ExpandedView]:
    """Run the expansion loop; ``geometry`` grows in place.

    Args:
        geometry: the lifted input (meshes / Gaussians / points), extended in place.
        input_camera: the input camera (world frame).
        path: cameras to visit (see :func:`~worldnb.generation.expansion_path`).
        depth_backend: a depth estimator (given ``view=`` if its signature takes it).
        inpainter: an inpainter (given ``view=`` and the diffusion settings its
            signature takes).
        config: thresholds, diffusion settings and the seed.
        device: render device.
        on_view: called with each finished view (previews, progress).
        check: called between steps; raises to cancel.
        input_depth: (H, W) metric depth of the input view; new mesh faces, surfels and
            points are not added where the input camera already saw the surface (the
            photo's own geometry draws it; a duplicate would hide or blur it, and
            footprints sized for another view would overhang object edges in it). With
            it the input view carves free space first.

    Returns:
        The generated views in path order.
    """
    from ..rendering import render

    views = []
    witnesses = [] if input_depth is None else [Witness(input_camera, input_depth)]
    T_input_world = np.linalg.inv(input_camera.T_world_camera.astype(np.float64))
    for i, pv in enumerate(path, start=1):
        if check is not None:
            check()
        t0 = time.perf_counter()
        name = f"view_{i:02d}"
        cam = pv.camera
        out = render(geometry.mesh_layers(), cam, device=device)
        holes, grown = find_holes(out.alpha, config.hole_alpha, config.hole_dilate)
        seed = config.seed + i
        ctx = ViewContext(name, cam, T_input_world @ cam.T_world_camera.astype(np.float64))
        rgb = out.rgb.astype(np.float32)
        s, t, rmse, n_new, carved, refused = 1.0, 0.0, float("nan"), 0, 0, None
        if grown.any():
            gen = torch.Generator("cpu").manual_seed(seed)
            rgb = call_backend(
                inpainter,
                rgb,
                grown,
                prompt=config.prompt or None,
                steps=config.steps,
                guidance_scale=config.guidance_scale,
                strength=config.strength,
                generator=gen,
                view=ctx,
            )
            if check is not None:
                check()
            pred = call_backend(depth_backend, rgb, view=ctx)
            d = depth_in_metres(pred)
            known = ~ndimage.binary_dilation(grown, iterations=1) & np.isfinite(out.depth)
            s, t, rmse = align_depth(d, out.depth, known)
            d = (s * d + t).astype(np.float32)
            scale = float(np.nanmedian(out.depth[known])) if known.any() else float("nan")
            refused = _refusal(rmse, scale, config.align_max_rmse)
            valid = grown & np.isfinite(d) & (d > 0)
            if refused is None and valid.any():
                d = _carry_misfit(d, out.depth.astype(np.float32), known, rmse)
                valid &= np.isfinite(d) & (d > 0)
                pts = cam.unproject(np.where(valid, d, np.nan)).reshape(-1, 3)
                free = in_free_space(pts, witnesses, config.carve_tolerance).reshape(d.shape)
                carved = int((free & valid).sum())
                valid &= ~free
            n_new = int(valid.sum()) if refused is None else 0
            if n_new:
                # The mesh takes the whole grown hole, so new and old pieces overlap and no
                # crack opens between them; surfels and points take only the hole itself
                # (plus one pixel): on the ring they would duplicate the surface that is
                # already there and blur it.
                core = valid & ndimage.binary_dilation(holes, iterations=1)
                joined = valid
                if input_depth is not None:
                    # The photo's view shows what the photo saw. A new mesh keeps its
                    # ring only off the surfaces the photo saw (a duplicate there hides
                    # the photo's own, nearly coplanar, faces); anything further in front
                    # is the carving's to reject. No new surfel goes where the input camera
                    # would show it, nor next to such a pixel (its footprint reaches one
                    # pixel further).
                    joined = valid & ~_visible_in(d, cam, input_camera, input_depth, front=0.03)
                    shown = _visible_in(d, cam, input_camera, input_depth)
                    core &= ~ndimage.binary_dilation(shown, iterations=1)
                K, T = cam.K, cam.T_world_camera
                geometry.add(
                    lift_mesh(d, rgb, K, T, config.depth_edge_threshold, joined),
                    lift_surfels(d, rgb, K, T, config.surfel_stride, core),
                    lift_points(d, rgb, K, T, config.point_stride, core),
                )
        if refused is None:
            # what this view saw (old surfaces and the new ones it added) carves from now on
            seen = np.where(valid, d, out.depth) if n_new else out.depth
            witnesses.append(Witness(cam, seen))
        view = ExpandedView(
            name,
            cam,
            rgb,
            grown,
            pv.angle_deg,
            pv.dolly,
            seed,
            float(holes.mean()),
            n_new,
            float(s),
            float(t),
            float(rmse),
            time.perf_counter() - t0,
            carved,
            refused,
        )
        views.append(view)
        if on_view is not None:
            on_view(view)
    return views
