"""Stage 5: grow the scene along a camera path.

For each camera: render the geometry so far, take the holes (low alpha, dilated),
inpaint them, estimate the new view's depth, align it to the rendered depth on the
known pixels (robust scale + shift), and lift only the new pixels.
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
        self.meshes.append(mesh)
        self.gaussians.append(gaussians)
        self.points.append(points)

    def mesh_layers(self) -> dict[str, Mesh]:
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

    def meta(self) -> dict:
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


def _seen_in(
    depth: np.ndarray, cam: Camera, other: Camera, other_depth: np.ndarray, tol: float = 0.03
) -> np.ndarray:
    """(H, W) bool: pixels of ``cam`` whose surface point ``other`` sees (in its image,
    depth within ``tol`` relative of ``other_depth``)."""
    pts = cam.unproject(np.where(np.isfinite(depth), depth, np.nan)).reshape(-1, 3)
    ok = np.all(np.isfinite(pts), axis=1)
    uv, z = other.project(np.where(ok[:, None], pts, 0.0))
    col, row = np.floor(uv[:, 0]).astype(np.int64), np.floor(uv[:, 1]).astype(np.int64)
    inside = ok & (z > 0) & (col >= 0) & (col < other.width) & (row >= 0) & (row < other.height)
    seen = np.zeros(len(pts), bool)
    with np.errstate(invalid="ignore"):
        seen[inside] = np.abs(other_depth[row[inside], col[inside]] - z[inside]) <= tol * z[inside]
    return seen.reshape(depth.shape)


def depth_in_metres(pred: DepthPrediction) -> np.ndarray:
    """Up to scale and shift: metric as is, disparity inverted, relative as is (≤ 0 → nan)."""
    d = pred.depth.astype(np.float64)
    if pred.kind == "disparity":
        lo = max(1e-6, 0.01 * float(np.percentile(d, 99)))
        d = 1.0 / np.maximum(d, lo)
    return np.where(d > 0, d, np.nan).astype(np.float32)


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
        input_depth: (H, W) metric depth of the input view; new surfels and points are
            not added where the input camera already saw the surface (its own surfels
            are sharper there, and footprints sized for another view would overhang
            object edges in it).

    Returns:
        The generated views in path order.
    """
    from ..rendering import render

    views = []
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
        s, t, rmse, n_new = 1.0, 0.0, float("nan"), 0
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
            d = s * d + t
            valid = grown & np.isfinite(d) & (d > 0)
            n_new = int(valid.sum())
            if n_new:
                # The mesh takes the whole grown hole, so new and old pieces overlap and no
                # crack opens between them; surfels and points take only the hole itself
                # (plus one pixel): on the ring they would duplicate the surface that is
                # already there and blur it.
                core = valid & ndimage.binary_dilation(holes, iterations=1)
                if input_depth is not None:
                    core &= ~_seen_in(d, cam, input_camera, input_depth)
                K, T = cam.K, cam.T_world_camera
                geometry.add(
                    lift_mesh(d, rgb, K, T, config.depth_edge_threshold, valid),
                    lift_surfels(d, rgb, K, T, config.surfel_stride, core),
                    lift_points(d, rgb, K, T, config.point_stride, core),
                )
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
        )
        views.append(view)
        if on_view is not None:
            on_view(view)
    return views
