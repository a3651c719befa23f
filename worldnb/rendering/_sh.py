"""Real spherical harmonics up to degree 3 (the 3D Gaussian Splatting convention)."""

from __future__ import annotations

import torch

C1 = 0.4886025119029199
C2 = (1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792,
      0.5462742152960396)  # fmt: skip
C3 = (-0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154,
      -0.4570457994644658, 1.445305721320277, -0.5900435899266435)  # fmt: skip

#: number of higher-order coefficients for SH degree 1, 2, 3
REST_COUNT = {0: 0, 1: 3, 2: 8, 3: 15}


def sh_rest_basis(dirs: torch.Tensor, degree: int) -> torch.Tensor:
    """Basis values of the higher-order (l ≥ 1) terms.

    Args:
        dirs: (N, 3) unit view directions (Gaussian centre minus camera centre).
        degree: 1, 2 or 3.

    Returns:
        (N, K) with K = (degree + 1)² − 1, in the reference ``f_rest`` order.
    """
    x, y, z = dirs.unbind(-1)
    out = [-C1 * y, C1 * z, -C1 * x]
    if degree > 1:
        xx, yy, zz = x * x, y * y, z * z
        out += [
            C2[0] * x * y,
            C2[1] * y * z,
            C2[2] * (2 * zz - xx - yy),
            C2[3] * x * z,
            C2[4] * (xx - yy),
        ]
        if degree > 2:
            out += [
                C3[0] * y * (3 * xx - yy),
                C3[1] * x * y * z,
                C3[2] * y * (4 * zz - xx - yy),
                C3[3] * z * (2 * zz - 3 * xx - 3 * yy),
                C3[4] * x * (4 * zz - xx - yy),
                C3[5] * z * (xx - yy),
                C3[6] * x * (xx - 3 * yy),
            ]
    return torch.stack(out, -1)


def view_dependent_colors(
    colors: torch.Tensor, sh_rest: torch.Tensor, means: torch.Tensor, camera_center: torch.Tensor
) -> torch.Tensor:
    """Colour seen from ``camera_center``: ``colors + Σ Y_lm(dir) · sh_rest``, clamped at 0.

    Args:
        colors: (N, 3) zeroth-order colours (``0.5 + SH_C0 · f_dc``).
        sh_rest: (N, K, 3) higher-order coefficients, K ∈ {3, 8, 15}.
        means: (N, 3) Gaussian centres (world).
        camera_center: (3,) camera centre (world).

    Returns:
        (N, 3) colours ≥ 0 (as the reference renderer: no upper clamp).
    """
    degree = {3: 1, 8: 2, 15: 3}[sh_rest.shape[1]]
    d = means - camera_center
    d = d / d.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    basis = sh_rest_basis(d, degree)  # (N, K)
    return (colors + (basis[..., None] * sh_rest).sum(1)).clamp_min(0.0)
