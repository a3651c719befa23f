"""Oracle backends: depth and inpainting that *render the true scene*.

For tests, benchmarks and teaching: given the scene an input image was rendered from
and the camera that rendered it, :class:`OracleDepth` returns the exact depth and
:class:`OracleInpaint` fills holes with what the true scene shows there. They take
the optional ``view`` keyword (a :class:`ViewContext`), which tells them where a
generated view's camera sits relative to the input camera.
"""

from __future__ import annotations

import numpy as np

from ..scene import Camera, Scene
from .depth import DepthPrediction
from .path import ViewContext

__all__ = ["OracleDepth", "OracleInpaint"]


class _Oracle:
    def __init__(self, scene: Scene, camera: Camera, layers=None, device: str = "auto"):
        self.scene, self.camera, self.layers, self.device = scene, camera, layers, device

    def _render(self, view: ViewContext | None, shape):
        from ..rendering import render

        cam = self.camera
        if view is not None and view.camera is not None:
            T = self.camera.T_world_camera.astype(np.float64) @ view.T_input_view
            cam = Camera(
                view.camera.K,
                view.camera.width,
                view.camera.height,
                T,
                self.camera.near,
                self.camera.far,
            )
        if (cam.height, cam.width) != tuple(shape):
            cam = cam.resized(shape[1], shape[0])
        return render(self.scene, cam, layers=self.layers, device=self.device), cam


class OracleDepth(_Oracle):
    """Exact metric depth (and field of view) of the true scene at each view.

    Pixels that see nothing get depth 0 ("unknown").
    """

    name = "oracle-depth"

    def __call__(self, rgb: np.ndarray, view: ViewContext | None = None) -> DepthPrediction:
        out, cam = self._render(view, rgb.shape[:2])
        depth = np.where(np.isfinite(out.depth), out.depth, 0.0).astype(np.float32)
        return DepthPrediction(depth, "metric", fov_deg=cam.fov_y_deg)


class OracleInpaint(_Oracle):
    """Fills the masked pixels with a render of the true scene (what a perfect
    inpainting model would paint); the prompt and diffusion settings are ignored."""

    name = "oracle-inpaint"

    def __call__(
        self,
        image,
        mask,
        prompt=None,
        steps=20,
        guidance_scale=7.5,
        strength=1.0,
        generator=None,
        view: ViewContext | None = None,
    ) -> np.ndarray:
        out, _ = self._render(view, image.shape[:2])
        return np.where(mask[..., None], out.rgb, image).astype(np.float32)
