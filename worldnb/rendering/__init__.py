"""Offscreen rendering in torch: meshes, points and differentiable 3D Gaussians.

The function users call is :func:`render` (also ``worldnb.render``). Under it sits a
functional core of plain functions over tensors — :func:`rasterize_mesh`,
:func:`splat_points`, :func:`rasterize_gaussians` — that runs on CPU or CUDA. Camera
paths (:func:`orbit`, :func:`dolly`, :func:`walk`) and :func:`render_video` build on it.
"""

from ._common import resolve_device
from .gaussians import (
    GaussianImage,
    ProjectedGaussians,
    gaussian_covariances,
    project_gaussians,
    rasterize_gaussians,
    resolve_compositor,
)
from .mesh import MeshFragments, rasterize_mesh
from .output import RenderOutput
from .paths import dolly, orbit, walk
from .points import PointFragments, splat_points
from .render import render
from .video import render_video
from .visualize import colorize_depth, colorize_instance, colorize_normals

__all__ = [
    "GaussianImage",
    "MeshFragments",
    "PointFragments",
    "ProjectedGaussians",
    "RenderOutput",
    "colorize_depth",
    "colorize_instance",
    "colorize_normals",
    "dolly",
    "gaussian_covariances",
    "orbit",
    "project_gaussians",
    "rasterize_gaussians",
    "rasterize_mesh",
    "render",
    "render_video",
    "resolve_compositor",
    "resolve_device",
    "splat_points",
    "walk",
]
