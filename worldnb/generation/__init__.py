"""Generation: one image → an explorable 3D scene.

Users call :func:`worldnb.generate` with a :class:`GenerationConfig`. Every stage is a
public function here too: :func:`load_image`, :func:`estimate_geometry`,
:func:`lift_mesh` / :func:`lift_surfels` / :func:`lift_points`, :func:`expand`,
:func:`refine_gaussians`. Models sit behind three small protocols,
:class:`DepthEstimator` (returns a :class:`DepthPrediction`), :class:`Inpainter` and
:class:`Segmenter`: a Hugging Face id or folder, or any callable.
:func:`understand` finds the room and its objects in the input view (on the plain fits
:func:`fit_plane`, :func:`fit_box`, :func:`complete_box`). One rule says what a
backend is given: the keywords its signature takes, including the optional ``view``
(a :class:`ViewContext`).
"""

from .align import align_depth
from .config import ConfigField, GenerationConfig, config_fields
from .depth import (
    CallableDepth,
    DepthEstimator,
    DepthPrediction,
    TransformersDepth,
    as_depth_estimator,
)
from .expand import ExpandedView, Geometry, expand, find_holes
from .fit import Plane, box_iou, complete_box, fit_box, fit_plane
from .image import MAX_MEGAPIXELS, InputImage, load_image
from .inpaint import CallableInpaint, DiffusersInpaint, Inpainter, as_inpainter
from .lift import depth_normals, lift_mesh, lift_points, lift_surfels, unproject_depth
from .metric import camera_pose, choose_intrinsics, fit_floor, to_metric
from .path import PathView, ViewContext, expansion_path
from .pipeline import (
    GenerationEvent,
    InputGeometry,
    estimate_geometry,
    generate,
    merge_layers,
    refinement_targets,
)
from .refine import RefineResult, RefineTarget, refine_gaussians, ssim
from .segment import CallableSegment, Segmentation, Segmenter, as_segmenter
from .understanding import understand, understand_scene

__all__ = [
    "MAX_MEGAPIXELS",
    "CallableDepth",
    "CallableInpaint",
    "CallableSegment",
    "ConfigField",
    "DepthEstimator",
    "DepthPrediction",
    "DiffusersInpaint",
    "ExpandedView",
    "GenerationConfig",
    "GenerationEvent",
    "Geometry",
    "Inpainter",
    "InputGeometry",
    "InputImage",
    "PathView",
    "Plane",
    "RefineResult",
    "RefineTarget",
    "Segmentation",
    "Segmenter",
    "TransformersDepth",
    "ViewContext",
    "align_depth",
    "as_depth_estimator",
    "as_inpainter",
    "as_segmenter",
    "box_iou",
    "camera_pose",
    "choose_intrinsics",
    "complete_box",
    "config_fields",
    "depth_normals",
    "estimate_geometry",
    "expand",
    "expansion_path",
    "find_holes",
    "fit_box",
    "fit_floor",
    "fit_plane",
    "generate",
    "lift_mesh",
    "lift_points",
    "lift_surfels",
    "load_image",
    "merge_layers",
    "refine_gaussians",
    "refinement_targets",
    "ssim",
    "to_metric",
    "understand",
    "understand_scene",
    "unproject_depth",
]
