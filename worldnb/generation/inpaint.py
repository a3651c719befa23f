"""Stage 5b: fill holes with an inpainting model, behind one small protocol.

An :class:`Inpainter` is called as::

    inpainter(image, mask, prompt=None, steps=20, guidance_scale=7.5, strength=1.0,
              generator=None) -> image

with ``image`` (H, W, 3) float32 in [0, 1], ``mask`` (H, W) bool (True = fill) and a
``torch.Generator`` for reproducibility; it returns (H, W, 3) float32 in [0, 1].
Known pixels are kept exactly: only masked pixels change. It is given a keyword only
when its signature takes it (including the optional ``view``; the contract in
:mod:`worldnb.generation._callables`).

:func:`as_inpainter` turns a Hugging Face id or folder into :class:`DiffusersInpaint`
(``AutoPipelineForInpainting``: Stable Diffusion / SDXL / Kandinsky inpainting, …) and
any callable into :class:`CallableInpaint`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import torch

from ..errors import BackendError, InputError
from ._callables import backend_name, call_user_backend
from ._hf import load_pretrained, pick_device
from .quiet import quiet_known_warnings

__all__ = ["CallableInpaint", "DiffusersInpaint", "Inpainter", "as_inpainter", "check_inpainted"]


@runtime_checkable
class Inpainter(Protocol):
    """``inpainter(image, mask, prompt=None, steps, guidance_scale, strength, generator,
    view=None) -> image``.

    Every keyword is optional for a backend: it is given the keywords its signature
    names (all of them with ``**kwargs``) and no others, so ``fn(image, mask)`` is a
    valid inpainter too. ``view`` (a :class:`~worldnb.generation.ViewContext`: the
    generated view's name, camera and pose relative to the input camera) works the
    same way: a backend that wants it names it. worldnb reads the signature; there is
    no flag or method to set.
    """

    def __call__(
        self,
        image: np.ndarray,
        mask: np.ndarray,
        prompt: str | None = None,
        steps: int = 20,
        guidance_scale: float = 7.5,
        strength: float = 1.0,
        generator: torch.Generator | None = None,
        view=None,
    ) -> np.ndarray: ...


def check_inpainted(out, image: np.ndarray, mask: np.ndarray, name: str) -> np.ndarray:
    """Validate an inpainter's output and keep the known pixels of ``image``."""
    if hasattr(out, "detach"):
        out = out.detach().float().cpu().numpy()
    if type(out).__module__.startswith("PIL."):
        out = np.asarray(out.convert("RGB"))
    if not isinstance(out, np.ndarray):
        raise BackendError(
            f"inpainter {name} returned {type(out).__name__}; expected an (H, W, 3) image"
        )
    if out.dtype == np.uint8:
        out = out.astype(np.float32) / 255.0
    if out.shape != image.shape:
        raise BackendError(
            f"inpainter {name} returned shape {out.shape} for an image of {image.shape}; it must "
            "return an image of the input's size"
        )
    out = out.astype(np.float32)
    if not np.all(np.isfinite(out)):
        raise BackendError(f"inpainter {name} returned NaN/inf pixels")
    if out.min() < -1e-3 or out.max() > 1 + 1e-3:
        raise BackendError(
            f"inpainter {name} returned values in [{out.min():.3g}, {out.max():.3g}]; expected "
            "[0, 1] floats or uint8"
        )
    return np.where(mask[..., None], np.clip(out, 0, 1), image).astype(np.float32)


def _check_args(image, mask):
    image = np.asarray(image, np.float32)
    mask = np.asarray(mask, bool)
    if image.ndim != 3 or image.shape[2] != 3 or mask.shape != image.shape[:2]:
        raise InputError(
            f"inpaint: expected image (H, W, 3) and mask (H, W), got {image.shape} and {mask.shape}"
        )
    return image, mask


class CallableInpaint:
    """Wrap any callable with the :class:`Inpainter` signature (keywords its signature
    does not take are not passed) and validate what it returns."""

    def __init__(self, fn, name: str | None = None):
        if not callable(fn):
            raise InputError(f"inpaint: expected a callable, got {type(fn).__name__}")
        self.fn = fn
        self.name = backend_name(fn, name)

    def __call__(
        self,
        image,
        mask,
        prompt=None,
        steps=20,
        guidance_scale=7.5,
        strength=1.0,
        generator=None,
        view=None,
    ) -> np.ndarray:
        image, mask = _check_args(image, mask)
        out = call_user_backend(
            "inpainting",
            repr(self.name),
            self.fn,
            image,
            mask,
            prompt=prompt,
            steps=steps,
            guidance_scale=guidance_scale,
            strength=strength,
            generator=generator,
            view=view,
        )
        return check_inpainted(out, image, mask, repr(self.name))


def _load_pipeline(source: str, **options):
    from diffusers import AutoPipelineForInpainting

    try:
        return AutoPipelineForInpainting.from_pretrained(
            source, safety_checker=None, requires_safety_checker=False, **options
        )
    except TypeError:  # pipelines without a safety checker
        return AutoPipelineForInpainting.from_pretrained(source, **options)


class DiffusersInpaint:
    """A diffusers inpainting pipeline, by hub id or local folder.

    The image is resized to a multiple of 8 (what latent-diffusion models need), run
    through the pipeline, resized back, and only the masked pixels are taken.

    Safety: the model's own code is never run (``trust_remote_code=False``: a folder
    whose ``auto_map`` names a type transformers / diffusers do not ship is refused with
    a BackendError, never a prompt) and only safetensors weights are loaded (a folder of
    pickles is refused with how to convert it). There is no opt-in; for a model that
    needs its own code, load it yourself and pass a callable backend. Offline, an
    uncached hub id fails at once with the ``hf download`` command to run.

    Args:
        spec: hub id (``"stabilityai/stable-diffusion-2-inpainting"``) or folder.
        device: ``"auto"``, ``"cpu"``, ``"cuda"``.
    """

    def __init__(self, spec: str | Path, device: str = "auto"):
        self.name = str(spec)
        self.device = pick_device(device)
        # load_pretrained adds trust_remote_code=False and use_safetensors=True
        self.pipe = load_pretrained(
            spec, _load_pipeline, "diffusers inpainting pipeline", "model_index.json"
        )
        self.pipe.to(self.device)
        self.pipe.set_progress_bar_config(disable=True)

    @quiet_known_warnings()
    def __call__(
        self, image, mask, prompt=None, steps=20, guidance_scale=7.5, strength=1.0, generator=None
    ) -> np.ndarray:
        from PIL import Image

        image, mask = _check_args(image, mask)
        h, w = mask.shape
        ph, pw = max(8, h // 8 * 8), max(8, w // 8 * 8)
        pil = Image.fromarray((image * 255 + 0.5).astype(np.uint8)).resize((pw, ph), Image.BICUBIC)
        pm = Image.fromarray(mask.astype(np.uint8) * 255).resize((pw, ph), Image.NEAREST)
        out = self.pipe(
            prompt=prompt or "",
            image=pil,
            mask_image=pm,
            height=ph,
            width=pw,
            num_inference_steps=int(steps),
            guidance_scale=float(guidance_scale),
            strength=float(strength),
            generator=generator,
            output_type="np",
        ).images[0]
        out = np.asarray(out, np.float32)
        if out.shape[:2] != (h, w):
            t = torch.from_numpy(np.ascontiguousarray(out)).permute(2, 0, 1)[None]
            t = torch.nn.functional.interpolate(t, size=(h, w), mode="bilinear", antialias=True)
            out = t[0].permute(1, 2, 0).numpy()
        return check_inpainted(np.clip(out, 0, 1), image, mask, repr(self.name))


def as_inpainter(spec, device: str = "auto"):
    """Turn ``spec`` (hub id, folder, callable) into an inpainting backend; ``None``,
    ``"builtin"`` or ``"builtin:inpaint"`` give the built-in model, offline.

    Raises:
        BackendError: a folder that is not a pipeline, a hub id with no local copy
            while offline.
    """
    from .. import models

    if spec is None or models.builtin_name(spec, "inpaint"):
        return CallableInpaint(models.load("inpaint", pick_device(device)), name="builtin:inpaint")
    if isinstance(spec, CallableInpaint | DiffusersInpaint):
        return spec
    if isinstance(spec, str | Path):
        return DiffusersInpaint(spec, device=device)
    if callable(spec):
        return CallableInpaint(spec)
    raise InputError(
        f"inpaint: expected a model id, a folder, or a callable, got {type(spec).__name__}"
    )
