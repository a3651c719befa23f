"""Shared helpers of the rendering core: tensor checks, devices, camera tensors."""

from __future__ import annotations

import math

import torch

from ..errors import InputError

#: Images larger than this many pixels need ``allow_large=True``.
MAX_PIXELS = 4096 * 4096


def resolve_device(device) -> torch.device:
    """``"auto"`` → CUDA when available, else CPU; ``"cpu"``, ``"cuda[:N]"`` (or a
    ``torch.device``) only where that device exists, so a bad choice fails here, clearly."""
    # the type first, so that == below never meets a numpy array
    if isinstance(device, bool) or not isinstance(device, str | int | torch.device | None):
        raise InputError(
            f"device: expected 'auto', 'cpu', 'cuda' or a torch.device, got {device!r}"
        )
    if device is None or device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError, ValueError) as exc:
        raise InputError(
            f"device: expected 'auto', 'cpu', 'cuda' or a torch.device ({exc})"
        ) from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise InputError(
                f"device: {str(device)!r} asks for CUDA, but this torch has no usable CUDA "
                "GPU; use 'cpu', or 'auto' (CUDA only where it is there)"
            )
        n = torch.cuda.device_count()
        if dev.index is not None and not 0 <= dev.index < n:
            raise InputError(
                f"device: {str(device)!r} does not exist; this machine has {n} CUDA "
                f"device(s): 'cuda:0'…'cuda:{n - 1}'"
            )
    elif dev.type == "mps":
        if not torch.backends.mps.is_available():
            raise InputError(f"device: {str(device)!r} is not available here; use device='cpu'")
    elif dev.type != "cpu":
        raise InputError(f"device: worldnb runs on 'cpu' or 'cuda' (or 'mps'), got {str(device)!r}")
    return dev


def check_radius(radius, width: int, height: int, name: str = "radius") -> float:
    """A disc radius in pixels: finite, ≥ 0 and at most the image's larger side (a disc
    that size already covers the whole image from any point on it)."""
    if isinstance(radius, bool):
        raise InputError(f"{name}: expected a number of pixels, got {radius!r}")
    try:
        r = float(radius)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a number of pixels, got {radius!r}") from None
    if not math.isfinite(r) or r < 0:
        raise InputError(f"{name}: expected a finite number of pixels >= 0, got {radius!r}")
    limit = max(int(width), int(height))
    if r > limit:
        raise InputError(
            f"{name}: {r:g} px is larger than the {width}×{height} image; a disc of "
            f"{limit} px already covers it, so use at most that"
        )
    return r


def as_tensor(
    name: str,
    value,
    shape: tuple,
    *,
    dtype: torch.dtype | None = None,
    device: torch.device | None = None,
    finite: bool = True,
) -> torch.Tensor:
    """``value`` as a tensor with ``shape`` (``None`` = any size); keeps autograd history.

    Floating tensors keep their dtype unless ``dtype`` is given; other input becomes
    float32. Raises :class:`InputError` naming ``name`` on a bad shape or NaN / inf.
    """
    if value is None:
        raise InputError(f"{name}: expected a tensor of shape {_fmt(shape)}, got None")
    if not isinstance(value, torch.Tensor):
        try:
            value = torch.as_tensor(value)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise InputError(f"{name}: could not read as a tensor ({exc})") from None
    if dtype is None and not value.is_floating_point():
        dtype = torch.float32
    if dtype is not None or device is not None:
        value = value.to(dtype=dtype or value.dtype, device=device or value.device)
    if value.ndim != len(shape) or any(
        s is not None and s != a for s, a in zip(shape, value.shape, strict=True)
    ):
        raise InputError(f"{name}: expected shape {_fmt(shape)}, got {tuple(value.shape)}")
    if finite and value.is_floating_point() and value.numel():
        if not bool(torch.isfinite(value.detach()).all()):
            bad = int((~torch.isfinite(value.detach())).sum())
            raise InputError(
                f"{name}: {bad} non-finite value(s) (NaN or inf); clean the data first"
            )
    return value


def _fmt(shape) -> str:
    return "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"


def check_size(width, height, *, allow_large: bool = False) -> tuple[int, int]:
    """Validated ``(width, height)``; images over 4096² need ``allow_large=True``."""
    out = []
    for name, v in (("width", width), ("height", height)):
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            try:
                ok = not isinstance(v, bool) and float(v).is_integer() and int(v) > 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise InputError(f"{name}: expected a positive integer number of pixels, got {v!r}")
        out.append(int(v))
    w, h = out
    if w * h > MAX_PIXELS and not allow_large:
        raise InputError(
            f"image size {w}×{h} is over 4096² pixels; pass allow_large=True if you mean it"
        )
    return w, h


def camera_tensors(
    K, T_camera_world, *, dtype=torch.float32, device=None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Checked ``K (3, 3)`` and ``T_camera_world (4, 4)`` tensors (focal lengths > 0)."""
    K = as_tensor("K", K, (3, 3), dtype=dtype, device=device)
    if float(K[0, 0]) <= 0 or float(K[1, 1]) <= 0:
        raise InputError(
            f"K: focal lengths must be positive, got fx={float(K[0, 0])}, fy={float(K[1, 1])}"
        )
    T = as_tensor("T_camera_world", T_camera_world, (4, 4), dtype=dtype, device=device)
    return K, T


def pixel_centers(width: int, height: int, *, dtype=torch.float32, device=None):
    """(H, W) column and row coordinates of pixel centres (``+0.5``)."""
    v, u = torch.meshgrid(
        torch.arange(height, dtype=dtype, device=device) + 0.5,
        torch.arange(width, dtype=dtype, device=device) + 0.5,
        indexing="ij",
    )
    return u, v


def to_camera(points: torch.Tensor, T_camera_world: torch.Tensor) -> torch.Tensor:
    """(N, 3) world points → (N, 3) camera-frame points (OpenCV axes)."""
    return points @ T_camera_world[:3, :3].T + T_camera_world[:3, 3]


def pixel_rays(u: torch.Tensor, v: torch.Tensor, K: torch.Tensor) -> tuple:
    """Camera-frame ray direction ``(x, y, 1)`` through pixel coordinates ``u, v``."""
    y = (v - K[1, 2]) / K[1, 1]
    x = (u - K[0, 2] - K[0, 1] * y) / K[0, 0]
    return x, y
