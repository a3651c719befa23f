"""The built-in inpainting model: a pixel-space diffusion pipeline.

:class:`PixelInpaintPipeline` is a ``diffusers.DiffusionPipeline`` over a
``UNet2DModel`` and a ``DDIMScheduler``. The U-Net sees ``[x_t, image · (1 − mask),
mask]`` after a 2× pixel-unshuffle (so a 256² image costs what a 128² one would, and
the output keeps full-resolution detail) and predicts the clean image (DDIM then
gives coherent fills early in training, where noise predictions still paint noise).
Known pixels are kept exactly.

Coarse to fine: the U-Net learns on small crops (``sample_size · 2`` pixels, most of
a room view), so an image larger than ``coarse_size`` is first filled at that size,
where rooms look as they did in training (20 DDIM steps from noise); the fill is
upsampled into the hole, and with ``detail_strength > 0`` re-noised to that level
and denoised at full size (SDEdit) to add detail. Without it a 256² hole is filled
at 4× the scale the model knows. It satisfies the :class:`~worldnb.generation.Inpainter`
protocol and saves and loads with ``save_pretrained`` / ``from_pretrained``.

Example:
    >>> import numpy as np, torch
    >>> pipe = PixelInpaintPipeline(build_unet(widths=(8, 16)), make_scheduler())
    >>> img = np.full((32, 32, 3), 0.5, np.float32); hole = np.zeros((32, 32), bool)
    >>> hole[8:16, 8:16] = True
    >>> out = pipe(img, hole, steps=2, generator=torch.Generator().manual_seed(0))
    >>> out.shape, bool((out[~hole] == img[~hole]).all())
    ((32, 32, 3), True)
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from diffusers import DDIMScheduler, DiffusionPipeline, UNet2DModel
from diffusers.utils.torch_utils import randn_tensor

from ..errors import InputError

__all__ = [
    "PixelInpaintPipeline",
    "build_unet",
    "inpaint_loss",
    "make_scheduler",
    "sample",
    "sample_coarse_to_fine",
]

PATCH = 2  # pixel-unshuffle factor


def build_unet(widths=(32, 64, 96), attention: bool = True, sample_size: int = 64) -> UNet2DModel:
    """A ``UNet2DModel`` taking 7 × PATCH² channels and returning 3 × PATCH²."""
    n = len(widths)
    down, up = ["DownBlock2D"] * n, ["UpBlock2D"] * n
    if attention:
        down[-1], up[0] = "AttnDownBlock2D", "AttnUpBlock2D"
    return UNet2DModel(
        sample_size=sample_size,
        in_channels=7 * PATCH**2,
        out_channels=3 * PATCH**2,
        layers_per_block=1,
        block_out_channels=tuple(widths),
        down_block_types=tuple(down),
        up_block_types=tuple(up),
        norm_num_groups=8,
        attention_head_dim=16,
    )


def make_scheduler() -> DDIMScheduler:
    return DDIMScheduler(
        num_train_timesteps=1000,
        beta_schedule="squaredcos_cap_v2",
        clip_sample=True,
        prediction_type="sample",
        steps_offset=1,
    )


def _unet_in(x_t, image, mask):
    """(B, 3, H, W) ×2 in [−1, 1] and (B, 1, H, W) mask → unshuffled U-Net input."""
    return F.pixel_unshuffle(torch.cat([x_t, image * (1 - mask), mask], 1), PATCH)


def _predict(unet, x_t, image, mask, t):
    return F.pixel_shuffle(unet(_unet_in(x_t, image, mask), t).sample, PATCH)


def inpaint_loss(unet, scheduler, image, mask, generator=None) -> torch.Tensor:
    """Denoising loss for the scheduler's prediction type (the shipped model predicts
    the clean image, ``"sample"``), weighted to the hole (known pixels count 10 %).

    Args:
        image: (B, 3, H, W) in [−1, 1], H and W even; mask: (B, 1, H, W), 1 = hole.
    """
    noise = torch.randn(image.shape, generator=generator, device=image.device)
    t = torch.randint(
        0,
        scheduler.config.num_train_timesteps,
        (image.shape[0],),
        generator=generator,
        device=image.device,
    )
    noisy = scheduler.add_noise(image, noise, t)
    kind = scheduler.config.prediction_type
    if kind == "sample":
        target = image
    elif kind == "v_prediction":
        target = scheduler.get_velocity(image, noise, t)
    else:
        target = noise
    err = (_predict(unet, noisy, image, mask, t) - target) ** 2
    w = mask + 0.1 * (1 - mask)
    return (err * w).sum() / (w.sum() * 3)


@torch.no_grad()
def sample(
    unet, scheduler, image, mask, steps=20, strength=1.0, generator=None, progress=None, init=None
):
    """Fill ``mask`` (B, 1, H, W) of ``image`` (B, 3, H, W) in [−1, 1] with DDIM.

    ``strength < 1`` starts from the noised ``init`` (default: the input, whose masked
    pixels then seed the fill) instead of pure noise, and runs that fraction of the
    steps. Returns (B, 3, H, W) in [−1, 1] with the known pixels kept.
    """
    scheduler.set_timesteps(int(steps), device=image.device)
    timesteps = scheduler.timesteps
    x = randn_tensor(image.shape, generator=generator, device=image.device, dtype=image.dtype)
    if strength < 1.0:
        keep = max(1, round(len(timesteps) * strength))
        timesteps = timesteps[len(timesteps) - keep :]
        start = image if init is None else init
        x = scheduler.add_noise(start, x, timesteps[:1].repeat(image.shape[0]))
    for t in progress(timesteps) if progress else timesteps:
        v = _predict(unet, x, image, mask, t)
        x = scheduler.step(v, t, x, eta=0.0, generator=generator).prev_sample
    return image * (1 - mask) + x.clamp(-1, 1) * mask


def _shrink(image, mask, size):
    """Area-average the known pixels to ``size`` (h, w); a coarse pixel is a hole when
    any pixel it covers is."""
    known = 1 - mask
    num = F.adaptive_avg_pool2d(image * known, size)
    den = F.adaptive_avg_pool2d(known, size)
    hole = F.adaptive_max_pool2d(mask, size)
    return (num / den.clamp_min(1e-6)) * (1 - hole), hole


@torch.no_grad()
def sample_coarse_to_fine(
    unet,
    scheduler,
    image,
    mask,
    steps=20,
    strength=1.0,
    generator=None,
    progress=None,
    coarse_size=64,
    detail_strength=0.0,
):
    """:func:`sample` at ``coarse_size`` (the longer side, the scale the model learned),
    upsampled into the hole, then (``detail_strength > 0``) re-noised to that level and
    denoised at full size. Images no larger than ``coarse_size`` are filled directly."""
    h, w = image.shape[-2:]
    if max(h, w) <= coarse_size:
        return sample(unet, scheduler, image, mask, steps, strength, generator, progress)
    unit = 8 * PATCH
    ch = max(unit, round(h * coarse_size / max(h, w) / unit) * unit)
    cw = max(unit, round(w * coarse_size / max(h, w) / unit) * unit)
    small, hole = _shrink(image, mask, (ch, cw))
    fill = sample(unet, scheduler, small, hole, steps, strength, generator, progress)
    up = F.interpolate(fill, size=(h, w), mode="bilinear", align_corners=False)
    init = image * (1 - mask) + up * mask
    if detail_strength <= 0:
        return init
    return sample(unet, scheduler, image, mask, steps, detail_strength, generator, init=init)


class PixelInpaintPipeline(DiffusionPipeline):
    """Pixel-space diffusion inpainting; an :class:`~worldnb.generation.Inpainter`.

    Args:
        unet: from :func:`build_unet`.
        scheduler: a ``DDIMScheduler`` (see :func:`make_scheduler`).
        coarse_size: larger images are filled at this size first (see the module
            docstring); default: the U-Net's training crop, ``sample_size · 2``.
        detail_strength: how far the upsampled coarse fill is re-noised before the
            full-size pass (0: no full-size pass).
    """

    model_cpu_offload_seq = "unet"

    def __init__(
        self,
        unet: UNet2DModel,
        scheduler: DDIMScheduler,
        coarse_size: int | None = None,
        detail_strength: float = 0.0,
    ):
        super().__init__()
        self.register_modules(unet=unet, scheduler=scheduler)
        if coarse_size is None:
            coarse_size = int(unet.config.sample_size) * PATCH
        if int(coarse_size) < 8 * PATCH or not 0 <= float(detail_strength) <= 1:
            raise InputError(
                f"inpaint pipeline: expected coarse_size >= {8 * PATCH} and detail_strength "
                f"in [0, 1], got {coarse_size} and {detail_strength}"
            )
        self.register_to_config(
            coarse_size=int(coarse_size), detail_strength=float(detail_strength)
        )

    def __call__(
        self,
        image: np.ndarray,
        mask: np.ndarray,
        prompt: str | None = None,
        steps: int = 20,
        guidance_scale: float = 7.5,
        strength: float = 1.0,
        generator: torch.Generator | None = None,
    ) -> np.ndarray:
        """Fill the ``mask`` pixels of ``image``.

        Args:
            image: (H, W, 3) float in [0, 1].
            mask: (H, W) bool, True = fill.
            prompt: ignored (the model has no text conditioning).
            steps: DDIM steps.
            guidance_scale: ignored (no classifier-free guidance).
            strength: 1 = fill from noise; lower keeps more of the input's masked pixels.
            generator: ``torch.Generator`` for a reproducible fill.

        Returns:
            (H, W, 3) float32 in [0, 1]; unmasked pixels equal ``image``.
        """
        image = np.asarray(image, np.float32)
        mask = np.asarray(mask, bool)
        if image.ndim != 3 or image.shape[2] != 3 or mask.shape != image.shape[:2]:
            raise InputError(
                f"inpaint: expected image (H, W, 3) and mask (H, W), got {image.shape} and "
                f"{mask.shape}"
            )
        if not 0 < float(strength) <= 1:
            raise InputError(f"strength: expected a value in (0, 1], got {strength}")
        h, w = mask.shape
        ph, pw = -h % (8 * PATCH), -w % (8 * PATCH)  # pad to what the U-Net can halve
        dev, dt = self.unet.device, self.unet.dtype
        img = torch.from_numpy(image).permute(2, 0, 1)[None].to(dev, dt) * 2 - 1
        m = torch.from_numpy(mask)[None, None].to(dev, dt)
        img = F.pad(img, (0, pw, 0, ph), mode="replicate")
        m = F.pad(m, (0, pw, 0, ph))
        out = sample_coarse_to_fine(
            self.unet,
            self.scheduler,
            img,
            m,
            steps,
            float(strength),
            generator,
            progress=self.progress_bar,
            coarse_size=self.config.coarse_size,
            detail_strength=self.config.detail_strength,
        )
        out = ((out[0, :, :h, :w].float().permute(1, 2, 0).cpu().numpy() + 1) / 2).clip(0, 1)
        return np.where(mask[..., None], out, image).astype(np.float32)
