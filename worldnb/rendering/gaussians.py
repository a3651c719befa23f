"""Differentiable 3D Gaussian splatting: EWA projection and front-to-back compositing.

The math follows the reference 3D Gaussian Splatting renderer (and gsplat's
"classic" mode): a pixel takes ``α = min(0.999, o · exp(−σ))`` from each Gaussian
in depth order, skips ``α < 1/255``, and stops before the transmittance would fall
to ``1e-4`` or below.

The compositing is vectorised over (Gaussian, pixel) pairs: each Gaussian's
3.33-sigma pixel box is enumerated, pairs below the alpha threshold are dropped,
the rest are sorted by pixel (stable, so depth order is kept inside a pixel), and
transmittance is an exclusive segmented cumulative sum of ``log(1 − α)`` in
float64. Image bands bound the number of pairs held at once; with gradients on,
big frames recompute each band in the backward pass (activation checkpointing),
so peak memory stays bounded.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch.utils.checkpoint import checkpoint

from ..errors import InputError
from ..scene.geometry import MAX_LOG_SCALE
from ..transforms import gaussian_covariances
from . import _tiles
from ._common import as_tensor, camera_tensors, check_size
from ._sh import view_dependent_colors

__all__ = [
    "ALPHA_MAX",
    "ALPHA_MIN",
    "T_MIN",
    "GaussianImage",
    "ProjectedGaussians",
    "gaussian_covariances",
    "project_gaussians",
    "rasterize_gaussians",
]

ALPHA_MIN = 1.0 / 255.0  #: a Gaussian with α below this at a pixel is skipped there
ALPHA_MAX = 0.999  #: α is clamped to this
T_MIN = 1e-4  #: compositing stops before transmittance drops to this
MAX_SIGMA = math.exp(MAX_LOG_SCALE)  #: largest standard deviation (m) rasterized


class ProjectedGaussians(NamedTuple):
    """Gaussians in screen space (one camera).

    Attributes:
        means2d: (N, 2) pixel coordinates (u = column, v = row; centres at +0.5).
        conics: (N, 3) upper triangle ``(a, b, c)`` of the inverse 2D covariance.
        depths: (N,) camera z (m).
        radii: (N, 2) int32 pixel radii (x, y) of the 3.33-sigma box; 0 = culled.
        cov2d: (N, 2, 2) 2D covariance after the ``eps2d`` blur.
    """

    means2d: torch.Tensor
    conics: torch.Tensor
    depths: torch.Tensor
    radii: torch.Tensor
    cov2d: torch.Tensor


class GaussianImage(NamedTuple):
    """What :func:`rasterize_gaussians` returns (torch tensors, differentiable).

    Attributes:
        rgb: (H, W, C) composited colours (features), background blended in.
        alpha: (H, W) accumulated opacity.
        depth: (H, W) expected depth ``Σ w·z / Σ w`` (``inf`` where alpha is 0).
        n_pairs: number of (Gaussian, pixel) pairs composited (for diagnostics).
    """

    rgb: torch.Tensor
    alpha: torch.Tensor
    depth: torch.Tensor
    n_pairs: int


def project_gaussians(
    means: torch.Tensor,
    covars: torch.Tensor,
    K: torch.Tensor,
    T_camera_world: torch.Tensor,
    width: int,
    height: int,
    *,
    eps2d: float = 0.3,
    near: float = 0.01,
    far: float = 1e10,
) -> ProjectedGaussians:
    """EWA projection of 3D Gaussians to the image (the local affine approximation).

    Args:
        means: (N, 3) centres, world frame.
        covars: (N, 3, 3) world covariances.
        K: (3, 3) intrinsics (pixels).
        T_camera_world: (4, 4) world→camera transform (OpenCV camera axes).
        width: image width (pixels).
        height: image height (pixels).
        eps2d: added to the 2D covariance's diagonal (a pixel-size blur).
        near: Gaussians with camera z ≤ near are culled (radius 0).
        far: Gaussians with camera z ≥ far are culled.

    Returns:
        :class:`ProjectedGaussians`.
    """
    R, t = T_camera_world[:3, :3], T_camera_world[:3, 3]
    mc = means @ R.T + t
    cc = R @ covars @ R.T
    tx, ty, tz = mc.unbind(-1)
    fx, fy, cx, cy, skew = K[0, 0], K[1, 1], K[0, 2], K[1, 2], K[0, 1]
    # Clamp the linearisation point to a band around the frustum (as the reference does),
    # so Gaussians far off-screen do not blow up.
    lim_xp = (width - cx) / fx + 0.3 * (0.5 * width / fx)
    lim_xn = cx / fx + 0.3 * (0.5 * width / fx)
    lim_yp = (height - cy) / fy + 0.3 * (0.5 * height / fy)
    lim_yn = cy / fy + 0.3 * (0.5 * height / fy)
    ctx = tz * torch.clamp(tx / tz, -lim_xn, lim_xp)
    cty = tz * torch.clamp(ty / tz, -lim_yn, lim_yp)
    zero = torch.zeros_like(tz)
    J = torch.stack(
        [fx / tz, skew / tz, -(fx * ctx + skew * cty) / tz**2, zero, fy / tz, -fy * cty / tz**2],
        -1,
    ).reshape(-1, 2, 3)
    cov2d = J @ cc @ J.transpose(-1, -2)
    cov2d = cov2d + eps2d * torch.eye(2, dtype=cov2d.dtype, device=cov2d.device)
    u = (fx * tx + skew * ty) / tz + cx
    v = fy * ty / tz + cy
    means2d = torch.stack([u, v], -1)
    det = (cov2d[:, 0, 0] * cov2d[:, 1, 1] - cov2d[:, 0, 1] * cov2d[:, 1, 0]).clamp_min(1e-10)
    conics = torch.stack(
        [
            cov2d[:, 1, 1] / det,
            -0.5 * (cov2d[:, 0, 1] + cov2d[:, 1, 0]) / det,
            cov2d[:, 0, 0] / det,
        ],
        -1,
    )
    with torch.no_grad():
        radius = torch.stack(
            [
                torch.ceil(3.33 * cov2d[:, 0, 0].clamp_min(0).sqrt()),
                torch.ceil(3.33 * cov2d[:, 1, 1].clamp_min(0).sqrt()),
            ],
            -1,
        )
        valid = (det > 0) & (tz > near) & (tz < far)
        inside = (
            (means2d[:, 0] + radius[:, 0] > 0)
            & (means2d[:, 0] - radius[:, 0] < width)
            & (means2d[:, 1] + radius[:, 1] > 0)
            & (means2d[:, 1] - radius[:, 1] < height)
        )
        radius = torch.where((valid & inside)[:, None], radius, torch.zeros_like(radius))
        radius = torch.nan_to_num(radius, nan=0.0, posinf=0.0).to(torch.int32)
    return ProjectedGaussians(means2d, conics, tz, radius, cov2d)


def resolve_compositor(compositor: str, device: torch.device) -> str:
    """The compositor ``rasterize_gaussians`` will use: ``"tiles"`` or ``"pairs"``.

    ``"auto"`` picks the numba tile kernels on a CPU when numba is importable and
    the vectorised pair path otherwise; ``"tiles"`` off a CPU or without numba is
    an :class:`InputError`.
    """
    if compositor not in ("auto", "tiles", "pairs"):
        raise InputError(f"compositor: expected auto, tiles or pairs, got {compositor!r}")
    tiles_ok = torch.device(device).type == "cpu" and _tiles.available()
    if compositor == "tiles" and not tiles_ok:
        raise InputError("compositor='tiles' needs a CPU tensor and numba (pip install numba)")
    if compositor == "auto":
        return "tiles" if tiles_ok else "pairs"
    return compositor


def rasterize_gaussians(
    means: torch.Tensor,
    quats: torch.Tensor,
    scales: torch.Tensor,
    opacities: torch.Tensor,
    colors: torch.Tensor,
    K,
    T_camera_world,
    width: int,
    height: int,
    *,
    sh_rest: torch.Tensor | None = None,
    background=None,
    depth_limit: torch.Tensor | None = None,
    eps2d: float = 0.3,
    near: float = 0.01,
    far: float = 1e10,
    max_pairs: int = 1 << 22,
    checkpointing: bool | None = None,
    allow_large: bool = False,
    compositor: str = "auto",
) -> GaussianImage:
    """Render 3D Gaussians: EWA projection, then front-to-back alpha compositing.

    Differentiable (torch autograd) with respect to ``means``, ``quats``, ``scales``,
    ``opacities``, ``colors`` and ``sh_rest``. Runs on the device of ``means``.

    Args:
        means: (N, 3) centres (world, metres).
        quats: (N, 4) rotations, wxyz, any non-zero norm.
        scales: (N, 3) standard deviations in metres (**activated**, i.e. ``exp`` of
            the stored log scales of :class:`worldnb.Gaussians`).
        opacities: (N,) opacities in [0, 1] (**activated**: ``sigmoid`` of the logits).
        colors: (N, C) features to composite; with ``sh_rest`` they are the (N, 3)
            zeroth-order colours.
        K: (3, 3) intrinsics (pixels).
        T_camera_world: (4, 4) world→camera transform (OpenCV camera axes).
        width: image width (pixels).
        height: image height (pixels).
        sh_rest: optional (N, K, 3) higher-order SH coefficients (K = 3, 8 or 15 for
            degree 1–3); the colour becomes view dependent.
        background: optional (C,) colour blended behind: ``rgb + (1 − alpha) · bg``.
        depth_limit: optional (H, W) camera z of an opaque surface; Gaussians at or
            behind it are not composited at that pixel.
        eps2d: 2D blur added to projected covariances (pixels²).
        near: near clip (m).
        far: far clip (m).
        max_pairs: (Gaussian, pixel) pairs per band (bounds memory).
        checkpointing: recompute each band in backward instead of storing it;
            ``None`` = when gradients are on and the frame needs more than one band.
        allow_large: allow images over 4096².
        compositor: ``"tiles"`` (tile-binned numba kernels with a hand-written
            backward; CPU), ``"pairs"`` (vectorised torch over sorted
            (Gaussian, pixel) pairs; any device, the reference the tiles are tested
            against) or ``"auto"`` (tiles on a CPU when numba is installed, else pairs).

    Returns:
        :class:`GaussianImage` with ``rgb (H, W, C)``, ``alpha (H, W)``, ``depth (H, W)``.

    Example:
        >>> import torch
        >>> means = torch.tensor([[0.0, 0.0, 2.0]], requires_grad=True)
        >>> out = rasterize_gaussians(
        ...     means, torch.tensor([[1.0, 0, 0, 0]]), torch.full((1, 3), 0.1),
        ...     torch.tensor([0.9]), torch.tensor([[1.0, 0, 0]]),
        ...     [[32.0, 0, 16], [0, 32, 16], [0, 0, 1]], torch.eye(4), 32, 32)
        >>> tuple(out.rgb.shape), round(float(out.alpha.detach().max()), 2)
        ((32, 32, 3), 0.82)
        >>> out.rgb.sum().backward()  # gradients reach the means
        >>> bool(means.grad.abs().sum() > 0)
        True
    """
    width, height = check_size(width, height, allow_large=allow_large)
    means = as_tensor("means", means, (None, 3))
    n = means.shape[0]
    dtype, device = means.dtype, means.device
    compositor = resolve_compositor(compositor, device)
    quats = as_tensor("quats", quats, (n, 4), dtype=dtype, device=device)
    scales = as_tensor("scales", scales, (n, 3), dtype=dtype, device=device)
    opacities = as_tensor("opacities", opacities, (n,), dtype=dtype, device=device)
    colors = as_tensor("colors", colors, (n, None), dtype=dtype, device=device)
    K, T = camera_tensors(K, T_camera_world, dtype=dtype, device=device)
    if n and bool((quats.detach().norm(dim=-1) < 1e-12).any()):
        raise InputError("quats: every quaternion must be non-zero (wxyz)")
    if n and bool((scales.detach() <= 0).any()):
        raise InputError("scales: standard deviations must be > 0 (pass exp(log_scales))")
    if n and bool((scales.detach() > MAX_SIGMA).any()):  # σ² would overflow: NaN pixels
        raise InputError(
            f"scales: standard deviations must be <= {MAX_SIGMA:.1e} m (exp of the largest "
            f"log-scale a Gaussians layer takes), got {float(scales.detach().max()):.3g}"
        )
    if n and bool(((opacities.detach() < 0) | (opacities.detach() > 1)).any()):
        raise InputError("opacities: expected values in [0, 1] (pass sigmoid(logits))")
    if sh_rest is not None:
        sh_rest = as_tensor("sh_rest", sh_rest, (n, None, 3), dtype=dtype, device=device)
        if sh_rest.shape[1] not in (3, 8, 15) or colors.shape[1] != 3:
            raise InputError(
                "sh_rest: expected (N, K, 3) with K in 3, 8, 15 and colors of shape (N, 3); "
                f"got sh_rest {tuple(sh_rest.shape)}, colors {tuple(colors.shape)}"
            )
        center = -T[:3, :3].T @ T[:3, 3]
        colors = view_dependent_colors(colors, sh_rest, means, center)
    channels = colors.shape[1]
    if background is not None:
        background = as_tensor("background", background, (channels,), dtype=dtype, device=device)
    if depth_limit is not None:
        depth_limit = as_tensor(
            "depth_limit", depth_limit, (height, width), dtype=dtype, device=device, finite=False
        )

    if compositor == "tiles":
        if K.requires_grad or T.requires_grad:  # the fused projection has no camera gradient
            proj = project_gaussians(
                means, gaussian_covariances(quats, scales), K, T, width, height,
                eps2d=eps2d, near=near, far=far,
            )  # fmt: skip
        else:
            m2d, conics, depths, radii = _tiles.project(
                means, quats, scales, K, T, width, height, eps2d, near, far
            )
            proj = ProjectedGaussians(m2d, conics, depths, radii, None)
        acc, n_pairs = _tiles.tile_composite(proj, opacities, colors, width, height, depth_limit)
    else:
        proj = project_gaussians(
            means, gaussian_covariances(quats, scales), K, T, width, height,
            eps2d=eps2d, near=near, far=far,
        )  # fmt: skip
        acc, n_pairs = composite(
            proj, opacities, colors, width, height,
            depth_limit=depth_limit, max_pairs=max_pairs, checkpointing=checkpointing,
        )  # fmt: skip
    acc = acc.reshape(height, width, channels + 2)
    rgb, alpha, wz = acc[..., :channels], acc[..., channels], acc[..., channels + 1]
    if background is not None:
        rgb = rgb + (1 - alpha)[..., None] * background
    has = alpha > 0
    depth = torch.where(has, wz / torch.where(has, alpha, torch.ones_like(alpha)), float("inf"))
    return GaussianImage(rgb, alpha, depth, n_pairs)


# ---- compositing ------------------------------------------------------------------------


def composite(
    proj: ProjectedGaussians,
    opacities: torch.Tensor,
    features: torch.Tensor,
    width: int,
    height: int,
    *,
    depth_limit: torch.Tensor | None = None,
    max_pairs: int = 1 << 22,
    checkpointing: bool | None = None,
) -> tuple[torch.Tensor, int]:
    """Front-to-back compositing of projected Gaussians.

    Returns:
        ``(acc, n_pairs)``: acc is (H·W, C + 2) holding ``Σ w·feature``, ``Σ w`` (alpha)
        and ``Σ w·z`` per pixel, with ``w = α · T``.
    """
    C = features.shape[1]
    dtype, device = features.dtype, features.device
    acc = torch.zeros(height * width, C + 2, dtype=dtype, device=device)
    # one row per Gaussian: mean (2), conic (3), opacity, depth, features (C)
    table = torch.cat(
        [proj.means2d, proj.conics, opacities[:, None], proj.depths[:, None], features], 1
    )
    need_grad = torch.is_grad_enabled() and table.requires_grad
    pairs = _visible_pairs(proj, table.detach(), width, height, depth_limit, max_pairs)
    if not pairs:
        # keep the graph connected so backward gives zero gradients, not None
        return acc + 0 * table.sum(), 0
    if checkpointing is None:
        checkpointing = need_grad and len(pairs) > 1
    total = 0
    for g, pix, start, alpha in pairs:
        if not need_grad:
            part = _accumulate(table, g, pix, start, alpha, height * width)
        elif checkpointing:
            part = checkpoint(_band, table, g, pix, start, width, height, use_reentrant=False)
        else:
            part = _band(table, g, pix, start, width, height)
        acc = acc + part
        total += len(g)
    return acc, total


def _pair_alpha(cols, px, py):
    """α (clamped, before thresholding) and σ at pixel centres ``px, py``, from ``cols``:
    (≥ 6, P) rows mean x, mean y, conic a, b, c, opacity of each pair's Gaussian."""
    dx, dy = px - cols[0], py - cols[1]
    sigma = 0.5 * (cols[2] * dx * dx + cols[4] * dy * dy) + cols[3] * dx * dy
    return torch.clamp_max(cols[5] * torch.exp(-sigma), ALPHA_MAX), sigma


def _band(table, g, pix, start, width, height):
    """Composite one band's sorted pairs (differentiable) into an (H·W, C + 2) buffer."""
    py = torch.div(pix, width, rounding_mode="floor")
    px = (pix - py * width).to(table.dtype) + 0.5
    alpha, _ = _pair_alpha(table.index_select(0, g).T, px, py.to(table.dtype) + 0.5)
    return _accumulate(table, g, pix, start, alpha, height * width)


def _accumulate(table, g, pix, start, alpha, n_pixels):
    la = torch.log1p(-alpha.double())
    excl = torch.cumsum(la, 0) - la
    T = torch.exp(excl - excl.index_select(0, start)).to(alpha.dtype)
    w = alpha * T
    rows = table[:, 6:].index_select(0, g)  # depth, features
    vals = torch.cat([w[:, None] * rows[:, 1:], w[:, None], w[:, None] * rows[:, :1]], 1)
    out = torch.zeros(n_pixels, vals.shape[1], dtype=vals.dtype, device=vals.device)
    return out.index_add(0, pix, vals)


def _take(mask: torch.Tensor, *tensors):
    idx = mask.nonzero().squeeze(1)
    return [t.index_select(0, idx) for t in tensors]


@torch.no_grad()
def _visible_pairs(proj, table, width, height, depth_limit, max_pairs):
    """Per band: the (Gaussian, pixel) pairs that contribute, sorted by pixel then depth.

    Candidates are enumerated row by row over the exact span where a Gaussian's α can
    reach 1/255 (an ellipse that shrinks with opacity), not over its whole box.
    Each band is ``(g, pix, start, alpha)``: Gaussian ids, flat pixel ids, the index of
    the first pair of each pair's pixel, and α. Pairs after a pixel's termination are gone.
    """
    device = table.device
    cols = table[:, :7].T.contiguous()  # (7, N): mean x, y, conic a, b, c, opacity, depth
    level = torch.log(255.0 * cols[5].clamp_min(1e-30))  # α ≥ 1/255  ⇔  σ ≤ level
    ok = (proj.radii > 0).all(-1) & (level > 0)
    idx = ok.nonzero().squeeze(1)
    if idx.numel() == 0:
        return []
    idx = idx[torch.argsort(proj.depths[idx], stable=True)]
    my, ry = proj.means2d[idx, 1], proj.radii[idx, 1].to(cols.dtype)
    y0 = torch.ceil(my - ry - 0.5).long().clamp_min(0)
    y1 = torch.floor(my + ry - 0.5).long().clamp_max(height - 1)
    idx, y0, y1 = _take(y0 <= y1, idx, y0, y1)
    if idx.numel() == 0:
        return []
    # one entry per (Gaussian, image row) in depth order, with the row's pixel span
    nrows = y1 - y0 + 1
    rep = torch.repeat_interleave(torch.arange(len(idx), device=device), nrows)
    g = idx.index_select(0, rep)
    py = y0.index_select(0, rep) + (
        torch.arange(len(rep), device=device)
        - (torch.cumsum(nrows, 0) - nrows).index_select(0, rep)
    )
    c = cols.index_select(1, g)
    dy = py.to(c.dtype) + 0.5 - c[1]
    # 0.5 a dx² + b dy dx + 0.5 c dy² − level ≤ 0, solved for dx (a small margin for rounding)
    qa, qb = 0.5 * c[2], c[3] * dy
    qc = 0.5 * c[4] * dy * dy - level.index_select(0, g) - 1e-3
    disc = qb * qb - 4 * qa * qc
    root = torch.sqrt(disc.clamp_min(0))
    xa = torch.ceil(c[0] + (-qb - root) / (2 * qa) - 0.5).clamp(0, width).long()
    xb = torch.floor(c[0] + (-qb + root) / (2 * qa) - 0.5).clamp(-1, width - 1).long()
    span = torch.where(disc >= 0, (xb - xa + 1).clamp_min(0), 0)
    g, py, xa, span = _take(span > 0, g, py, xa, span)
    if g.numel() == 0:
        return []
    # bands of rows holding about max_pairs candidates each
    load = torch.zeros(height, dtype=torch.long, device=device).index_add_(0, py, span)
    band_of_row = torch.div(torch.cumsum(load, 0) - 1, max(1, max_pairs), rounding_mode="floor")
    _, rows_per_band = torch.unique_consecutive(band_of_row.clamp_min(0), return_counts=True)
    limit = None if depth_limit is None else depth_limit.reshape(-1)
    out = []
    r0 = 0
    for r1 in torch.cumsum(rows_per_band, 0).tolist():  # loop over image bands
        sel = (py >= r0) & (py < r1)
        if len(rows_per_band) == 1:
            band = _band_pairs(cols, g, py, xa, span, width, limit)
        elif bool(sel.any()):
            band = _band_pairs(cols, *_take(sel, g, py, xa, span), width, limit)
        else:
            band = None
        if band is not None:
            out.append(band)
        r0 = r1
    return out


def _band_pairs(cols, gr, py, xa, span, width, limit):
    rep = torch.repeat_interleave(torch.arange(len(gr), device=gr.device), span)
    first = (torch.cumsum(span, 0) - span).index_select(0, rep)
    px = xa.index_select(0, rep) + (torch.arange(len(rep), device=gr.device) - first)
    pix = py.index_select(0, rep) * width + px
    g = gr.index_select(0, rep)
    del rep, first
    c = cols.index_select(1, g)  # (7, P)
    pyf = torch.div(pix, width, rounding_mode="floor").to(c.dtype) + 0.5
    alpha, sigma = _pair_alpha(c, px.to(c.dtype) + 0.5, pyf)
    keep = (alpha >= ALPHA_MIN) & (sigma >= 0)
    if limit is not None:
        keep &= c[6] < limit.index_select(0, pix)
    del c, sigma, px, pyf
    if not bool(keep.all()):
        g, pix, alpha = _take(keep, g, pix, alpha)
    if g.numel() == 0:
        return None
    pix, order = torch.sort(pix, stable=True)  # pairs were generated in depth order
    g, alpha = g.index_select(0, order), alpha.index_select(0, order)
    start = _segment_starts(pix)
    la = torch.log1p(-alpha.double())
    incl = torch.cumsum(la, 0)
    alive = torch.exp(incl - (incl - la).index_select(0, start)) > T_MIN
    if not bool(alive.all()):
        g, pix, alpha = _take(alive, g, pix, alpha)
        start = _segment_starts(pix)
    if g.numel() == 0:
        return None
    return g, pix, start, alpha


def _segment_starts(keys: torch.Tensor) -> torch.Tensor:
    """For sorted ``keys``, the index of the first element of each element's run."""
    n = keys.numel()
    pos = torch.arange(n, device=keys.device)
    is_start = torch.ones(n, dtype=torch.bool, device=keys.device)
    is_start[1:] = keys[1:] != keys[:-1]
    return torch.cummax(torch.where(is_start, pos, torch.zeros_like(pos)), 0).values
