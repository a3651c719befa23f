"""Stage 6: refine Gaussians against images through the differentiable renderer.

Adam on means, log scales, quaternions, opacity logits and colours; the loss is
``(1 − λ) · L1 + λ · (1 − SSIM)`` as in 3D Gaussian Splatting, over the pixels each
target marks valid; it stops early when the loss stops improving.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import CancelledError, InputError
from ..scene import Camera, Gaussians

__all__ = ["RefineResult", "RefineTarget", "refine_gaussians", "ssim"]


def _window(size: int = 11, sigma: float = 1.5, dtype=torch.float32, device=None):
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    g = torch.exp(-(x**2) / (2 * sigma**2))
    g = g / g.sum()
    return g


def ssim(a: torch.Tensor, b: torch.Tensor, reduce: bool = True) -> torch.Tensor:
    """Structural similarity of two (H, W, C) images in [0, 1] (11×11 Gaussian window,
    σ = 1.5, the usual constants); the mean, or the (H, W) map when ``reduce=False``.

    Example:
        >>> x = torch.rand(32, 32, 3)
        >>> round(float(ssim(x, x)), 4)
        1.0
    """
    if a.shape != b.shape or a.ndim != 3:
        raise InputError(f"ssim: expected two (H, W, C) images, got {a.shape} and {b.shape}")
    c = a.shape[2]
    g = _window(dtype=a.dtype, device=a.device)
    kx = g.view(1, 1, 1, -1).repeat(c, 1, 1, 1)
    ky = g.view(1, 1, -1, 1).repeat(c, 1, 1, 1)
    pad = g.numel() // 2

    def blur(x):
        x = F.conv2d(F.pad(x, (pad, pad, 0, 0), mode="replicate"), kx, groups=c)
        return F.conv2d(F.pad(x, (0, 0, pad, pad), mode="replicate"), ky, groups=c)

    x = a.permute(2, 0, 1)[None]
    y = b.permute(2, 0, 1)[None]
    mx, my = blur(x), blur(y)
    sxx = blur(x * x) - mx * mx
    syy = blur(y * y) - my * my
    sxy = blur(x * y) - mx * my
    c1, c2 = 0.01**2, 0.03**2
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    s = s[0].mean(0)
    return s.mean() if reduce else s


@dataclass
class RefineTarget:
    """An image to fit: its camera, (H, W, 3) float32 colours, an optional (H, W) bool
    mask of the pixels that count (all when None), and how often it is drawn (weight).

    ``behind`` and ``depth_limit`` fit the Gaussians as :func:`worldnb.render` shows
    them over a scene's opaque layers (meshes, points): ``behind`` (H, W, 3) is those
    layers' render from this camera (composited behind the Gaussians instead of the
    uniform background), ``depth_limit`` (H, W) their camera depth (``inf`` where
    none): Gaussians at or behind it are hidden at that pixel (not on gsplat's CUDA
    kernels, which take no depth limit). Both None: the Gaussians alone over the
    background.

    ``every_step``: the target's loss is added to every step's (besides the target
    drawn from the others; its ``weight`` is unused): the photo, whose view must not
    fit worse because generated views were added. ``adjusts`` (N,) bool: the Gaussians
    this target's loss may change (None: all); the others are held as they are for it,
    so a generated view never changes what the photo's Gaussians show.
    """

    camera: Camera
    rgb: np.ndarray
    mask: np.ndarray | None = None
    weight: float = 1.0
    behind: np.ndarray | None = None
    depth_limit: np.ndarray | None = None
    every_step: bool = False
    adjusts: np.ndarray | None = None


@dataclass
class RefineResult:
    """The refined Gaussians, the loss history (one value per step), and which
    rasterizer ran (``"tiles"``: :func:`worldnb.rendering.rasterize_gaussians` with its
    tile kernels; ``"torch"``: with its vectorised pair path; ``"gsplat"``:
    ``gsplat.rasterization``'s CUDA kernels)."""

    gaussians: Gaussians
    losses: list[float]
    stopped_early: bool
    rasterizer: str = "torch"


def _gsplat_or_none(dev: torch.device, rasterizer: str):
    """``gsplat.rasterization`` when asked for (or ``"auto"``) on a CUDA device with
    gsplat installed; None means a torch path. Never imported on a CPU."""
    if rasterizer in ("torch", "tiles") or dev.type != "cuda":
        if rasterizer == "gsplat":
            raise InputError("rasterizer='gsplat' needs a CUDA device (device='cuda')")
        return None
    try:
        from gsplat import rasterization
    except ImportError:
        if rasterizer == "gsplat":
            raise InputError(
                "rasterizer='gsplat': gsplat is not installed (pip install gsplat)"
            ) from None
        return None
    return rasterization


def _compositor(dev: torch.device, rasterizer: str) -> str:
    """The torch-side compositor: ``"tiles"`` (numba, CPU) or ``"pairs"`` (the old path)."""
    from ..rendering import resolve_compositor

    if rasterizer == "tiles":
        return resolve_compositor("tiles", dev)
    return resolve_compositor("auto", dev) if rasterizer == "auto" else "pairs"


def _render_rgb(
    gs, params, cam: Camera, bg: torch.Tensor, compositor: str = "auto", behind=None, limit=None
):
    """(H, W, 3) render of the Gaussians at ``cam``, by gsplat's kernels or in torch,
    over ``bg`` or, when given, the (H, W, 3) image ``behind`` (with the (H, W)
    ``limit`` hiding Gaussians behind it; gsplat's kernels take no depth limit)."""
    from ..rendering import rasterize_gaussians

    means, quats, scales, opacities, colors = params
    if gs is None:
        out = rasterize_gaussians(
            means, quats, scales, opacities, colors, cam.K, cam.T_camera_world,
            cam.width, cam.height, background=bg if behind is None else None,
            depth_limit=limit, near=cam.near, far=cam.far, compositor=compositor,
        )  # fmt: skip
        if behind is None:
            return out.rgb
        return out.rgb + (1 - out.alpha)[..., None] * behind
    dev, dt = means.device, means.dtype
    K = torch.as_tensor(np.asarray(cam.K, np.float32), device=dev, dtype=dt)
    T = torch.as_tensor(np.asarray(cam.T_camera_world, np.float32), device=dev, dtype=dt)
    img, alpha, _ = gs(
        means, quats, scales, opacities, colors, T[None], K[None], cam.width, cam.height,
        near_plane=cam.near, far_plane=cam.far, eps2d=0.3, render_mode="RGB",
        rasterize_mode="classic", backgrounds=None if behind is not None else bg[None],
    )  # fmt: skip
    if behind is None:
        return img[0]
    return img[0] + (1 - alpha[0]) * behind


def _half(cam: Camera, rgb: torch.Tensor, mask: torch.Tensor | None, behind=None, limit=None):
    """The target at half resolution: camera resized, colours 2×2-averaged, a pixel
    counted where all four of its fine pixels count (odd last rows/columns dropped);
    the opaque layers behind averaged too, their depth the nearest of the four."""
    h, w = rgb.shape[0] // 2, rgb.shape[1] // 2
    c = Camera(
        np.diag([0.5, 0.5, 1.0]) @ cam.K, w, h, cam.T_world_camera, cam.near, cam.far
    )  # exact halving even for odd sizes (the dropped row/column is outside)

    def shrink(img):
        return F.avg_pool2d(img[: 2 * h, : 2 * w].permute(2, 0, 1)[None], 2)[0].permute(1, 2, 0)

    m = None
    if mask is not None:
        m = F.avg_pool2d(mask[: 2 * h, : 2 * w].float()[None, None], 2)[0, 0] > 0.999
    if behind is not None:
        behind = shrink(behind).contiguous()
    if limit is not None:
        limit = -F.max_pool2d(-limit[: 2 * h, : 2 * w][None, None], 2)[0, 0]
    return c, shrink(rgb).contiguous(), m, behind, limit


def _adjusts(a, n: int, i: int, dev) -> torch.Tensor | None:
    """A target's ``adjusts`` as an (N, 1) bool tensor (None: all Gaussians)."""
    if a is None:
        return None
    a = np.asarray(a)
    if a.dtype != np.bool_ or a.shape != (n,):
        raise InputError(
            f"targets[{i}].adjusts: expected an ({n},) bool array (one flag per Gaussian), "
            f"got {a.dtype} {a.shape}"
        )
    return torch.as_tensor(a, device=dev)[:, None]


def _held(params, adjusts: torch.Tensor | None):
    """The parameters with the Gaussians outside ``adjusts`` detached: a loss through
    them changes only the others."""
    if adjusts is None:
        return params
    out = []
    for p in params:
        m = adjusts if p.ndim == 2 else adjusts[:, 0]
        out.append(torch.where(m, p, p.detach()))
    return tuple(out)


def _image_loss(rendered, rgb, mask, ssim_weight: float) -> torch.Tensor:
    """``(1 − λ) L1 + λ (1 − SSIM)`` over the pixels ``mask`` marks (all when None)."""
    diff = (rendered - rgb).abs()
    s_map = ssim(rendered, rgb, reduce=False)
    if mask is None:
        l1, d_ssim = diff.mean(), (1 - s_map).mean()
    else:
        w = mask.float()
        n = w.sum().clamp_min(1)
        l1 = (diff.mean(-1) * w).sum() / n
        d_ssim = ((1 - s_map) * w).sum() / n
    return (1 - ssim_weight) * l1 + ssim_weight * d_ssim


def refine_gaussians(
    gaussians: Gaussians,
    targets: Sequence[RefineTarget],
    iters: int = 100,
    lr: float = 0.01,
    ssim_weight: float = 0.2,
    patience: int = 20,
    background=(1.0, 1.0, 1.0),
    device: str | torch.device = "cpu",
    seed: int = 0,
    callback: Callable[[int, float], bool | None] | None = None,
    rasterizer: str = "auto",
    coarse_fraction: float = 0.0,
    fit_means: bool = True,
) -> RefineResult:
    """Fit Gaussians to images with Adam through :func:`worldnb.rendering.rasterize_gaussians`.

    Args:
        gaussians: the starting Gaussians (not modified).
        targets: images with their cameras; each step draws one (seeded), with
            probability proportional to its ``weight``.
        iters: maximum Adam steps.
        lr: base learning rate (colours, opacities); means use ``lr × 0.01 × scene
            size``, scales and rotations ``lr / 2``.
        ssim_weight: λ in ``(1 − λ) L1 + λ (1 − SSIM)``.
        patience: stop after this many steps without a 0.1 % improvement of the
            running (per-epoch) loss.
        background: colour behind the Gaussians (as in the targets).
        device: torch device.
        seed: seeds the order of the targets.
        callback: ``callback(step, loss)``; returning False cancels.
        rasterizer: ``"auto"`` (gsplat's CUDA kernels on a CUDA device when gsplat is
            installed; on a CPU the tile kernels when numba is installed; else the torch
            pair path), ``"tiles"`` (tile-binned numba kernels, CPU), ``"torch"`` (the
            vectorised pair path: the slow reference, any device) or ``"gsplat"``.
        coarse_fraction: the first ``coarse_fraction × iters`` steps fit the targets at
            half resolution (a coarse-to-fine pyramid: about 3x cheaper steps).
        fit_means: False keeps the centres where they are and fits only the shapes,
            opacities and colours (:func:`worldnb.generate` does: its centres come from
            the depth, and its points layer shares them).

    Returns:
        :class:`RefineResult`.

    Raises:
        CancelledError: when the callback returns False.
    """
    if rasterizer not in ("auto", "tiles", "torch", "gsplat"):
        raise InputError(f"rasterizer: expected auto, tiles, torch or gsplat, got {rasterizer!r}")
    if not 0.0 <= coarse_fraction <= 1.0:
        raise InputError(f"coarse_fraction: expected a value in [0, 1], got {coarse_fraction!r}")
    if not targets:
        raise InputError("targets: expected at least one image to refine against")
    dev = torch.device(device)
    gs = _gsplat_or_none(dev, rasterizer)
    compositor = "pairs" if gs is not None else _compositor(dev, rasterizer)
    g = gaussians

    def p(a):
        # a copy: Adam steps in place, and the caller's Gaussians must stay as they were
        return torch.nn.Parameter(torch.tensor(np.asarray(a), dtype=torch.float32, device=dev))

    means, log_s, quats = p(g.means), p(g.scales), p(g.quats)
    means.requires_grad_(fit_means)
    logit_o, colors = p(g.opacities), p(np.clip(g.colors, 1e-3, 1 - 1e-3))
    extent = float(np.linalg.norm(np.ptp(g.means, axis=0))) if len(g) else 1.0
    opt = torch.optim.Adam(
        [
            *([{"params": [means], "lr": lr * 0.01 * max(extent, 1e-3)}] if fit_means else []),
            {"params": [log_s, quats], "lr": lr * 0.5},
            {"params": [logit_o, colors], "lr": lr},
        ],
        eps=1e-15,
    )
    bg = torch.as_tensor(background, dtype=torch.float32, device=dev)

    def image(a, cam: Camera, channels: int | None, name: str, i: int):
        if a is None:
            return None
        a = np.asarray(a, np.float32)
        shape = (cam.height, cam.width) + (() if channels is None else (channels,))
        if a.shape != shape:
            raise InputError(f"targets[{i}].{name}: expected shape {shape}, got {a.shape}")
        return torch.as_tensor(a, device=dev)

    tgt, adjusts = [], []
    for i, t in enumerate(targets):
        tgt.append(
            (
                t.camera,
                torch.as_tensor(t.rgb, dtype=torch.float32, device=dev),
                None if t.mask is None else torch.as_tensor(t.mask, device=dev).bool(),
                image(t.behind, t.camera, 3, "behind", i),
                image(t.depth_limit, t.camera, None, "depth_limit", i),
            )
        )
        adjusts.append(_adjusts(t.adjusts, len(g), i, dev))
    always = [i for i, t in enumerate(targets) if t.every_step]
    drawn = [i for i, t in enumerate(targets) if not t.every_step]
    rng = np.random.default_rng(seed)
    w = np.array([max(float(targets[i].weight), 0.0) for i in drawn])
    if drawn and not w.sum() > 0:
        raise InputError("targets: at least one weight must be > 0")
    draws = [[]] * iters
    if drawn:
        draws = [[drawn[k]] for k in rng.choice(len(drawn), size=iters, p=w / w.sum())]
    n_coarse = round(coarse_fraction * iters)
    coarse = [_half(*t) for t in tgt] if n_coarse else []
    per_pass = max(1, len(drawn))
    losses: list[float] = []
    best, since, epoch_losses, stopped = float("inf"), 0, [], False
    for step in range(iters):
        if n_coarse and step == n_coarse:  # a finer loss: early stopping starts afresh
            best, since, epoch_losses = float("inf"), 0, []
        params = (means, quats, torch.exp(log_s), torch.sigmoid(logit_o), colors.clamp(0, 1))
        loss = 0.0
        for i in always + draws[step]:
            cam, rgb, mask, behind, limit = (coarse if step < n_coarse else tgt)[i]
            held = _held(params, adjusts[i])
            rendered = _render_rgb(gs, held, cam, bg, compositor, behind, limit)
            loss = loss + _image_loss(rendered, rgb, mask, ssim_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        value = float(loss.detach())
        losses.append(value)
        epoch_losses.append(value)
        if callback is not None and callback(step, value) is False:
            raise CancelledError("refinement cancelled; nothing was returned")
        if len(epoch_losses) >= per_pass:  # compare whole passes over the drawn targets
            mean = float(np.mean(epoch_losses))
            epoch_losses = []
            if mean < best * (1 - 1e-3):
                best, since = mean, 0
            else:
                since += per_pass
            if since >= patience:
                stopped = True
                break
    with torch.no_grad():
        q = quats / quats.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        out_g = Gaussians(
            means.detach().cpu().numpy(),
            log_s.detach().cpu().numpy(),
            q.cpu().numpy(),
            logit_o.detach().cpu().numpy(),
            colors.detach().clamp(0, 1).cpu().numpy(),
        )
    used = "gsplat" if gs is not None else ("tiles" if compositor == "tiles" else "torch")
    return RefineResult(out_g, losses, stopped, used)
