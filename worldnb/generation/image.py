"""Stage 1: read and normalise the input image.

Accepts a path, a PIL image, a numpy array (uint8 / uint16 / float in [0, 1];
H×W, H×W×1, H×W×3 or H×W×4) or a torch tensor (C×H×W, 1×C×H×W or H×W×C).
EXIF orientation is applied, alpha is composited over white with the mask kept,
and the image is shrunk so its longer side is at most ``max_side``.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import FormatError, InputError

__all__ = ["MAX_MEGAPIXELS", "InputImage", "load_image"]

#: Images above this many megapixels are refused unless ``allow_large=True``.
MAX_MEGAPIXELS = 50.0

_EXIF_FOCAL_35MM = 0xA405  # FocalLengthIn35mmFilm
_EXIF_IFD = 0x8769
_DIAGONAL_35MM = math.hypot(36.0, 24.0)  # mm


@dataclass
class InputImage:
    """A normalised input image.

    Attributes:
        rgb: (H, W, 3) float32 in [0, 1], alpha already composited over white.
        mask: (H, W) bool, True where the image was opaque (alpha ≥ 0.5); None when the
            input had no alpha channel.
        focal_px: focal length in pixels at this size from EXIF, or None.
        original_size: (width, height) before resizing.
        source: a short description of where the image came from.
    """

    rgb: np.ndarray
    mask: np.ndarray | None
    focal_px: float | None
    original_size: tuple[int, int]
    source: str

    @property
    def height(self) -> int:
        """Height of :attr:`rgb` in pixels."""
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        """Width of :attr:`rgb` in pixels."""
        return int(self.rgb.shape[1])

    @property
    def scale(self) -> float:
        """Output width / original width (≤ 1)."""
        return self.width / self.original_size[0]


def _check_size(w: int, h: int, allow_large: bool, what: str) -> None:
    if w <= 0 or h <= 0:
        raise InputError(f"image: {what} is empty ({w}×{h} pixels); pass an image with pixels")
    mp = w * h / 1e6
    if mp > MAX_MEGAPIXELS and not allow_large:
        raise InputError(
            f"image: {what} has {mp:.1f} megapixels (limit {MAX_MEGAPIXELS:.0f}); "
            "shrink it first or pass allow_large=True (GenerationConfig.allow_large)"
        )


def _focal_from_exif(img) -> float | None:
    """35 mm-equivalent focal length → pixels (diagonal convention), or None."""
    try:
        exif = img.getexif()
        f35 = exif.get(_EXIF_FOCAL_35MM) or exif.get_ifd(_EXIF_IFD).get(_EXIF_FOCAL_35MM)
    except Exception:
        return None
    try:
        f35 = float(f35)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(f35) or f35 <= 0:
        return None
    w, h = img.size
    return f35 * math.hypot(w, h) / _DIAGONAL_35MM


def _check_regular_file(path: Path) -> None:
    if "\x00" in str(path):  # os.stat would raise a bare ValueError
        raise InputError(f"image: a path cannot hold a NUL character, got {str(path)!r}")
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"image: no file at '{path}'; check the path") from None
    except OSError as exc:
        raise InputError(f"image: cannot read '{path}' ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"image: '{path}' is a folder; pass an image file")
    if not stat.S_ISREG(st.st_mode):  # opening a FIFO would block until someone writes
        raise InputError(f"image: '{path}' is not a regular file (a pipe or device?)")


def _from_path(path: Path, allow_large: bool):
    """Decode a file. The size is checked from the header before any pixel is decoded;
    PIL's own decompression-bomb limit (a process-wide setting) is left as it is."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    _check_regular_file(path)
    try:
        with Image.open(path) as img:  # reads the header only
            _check_size(*img.size, allow_large, f"'{path.name}'")
            focal = _focal_from_exif(img)
            img = ImageOps.exif_transpose(img)
            img.load()
            arr = _pil_to_array(img)
    except Image.DecompressionBombError:
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0) / 1e6
        if not allow_large:
            raise InputError(
                f"image: '{path.name}' has more than {limit:.0f} megapixels (limit "
                f"{MAX_MEGAPIXELS:.0f}); shrink it first or pass allow_large=True "
                "(GenerationConfig.allow_large)"
            ) from None
        raise InputError(
            f"image: '{path.name}' has more than {limit:.0f} megapixels, over PIL's "
            "decompression-bomb limit (PIL.Image.MAX_IMAGE_PIXELS), which worldnb never "
            "changes; shrink the image, or raise that limit yourself if you trust the file"
        ) from None
    except UnidentifiedImageError:
        raise FormatError(
            f"image: '{path}' is not an image PIL can read; pass a PNG, JPEG, WebP, … file"
        ) from None
    except (OSError, SyntaxError) as exc:
        raise FormatError(
            f"image: '{path}' could not be decoded ({exc}); is it truncated?"
        ) from None
    return arr, focal


def _pil_to_array(img) -> np.ndarray:
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        return np.asarray(img, dtype=np.float64) / (65535.0 if img.mode != "I" else 2**31 - 1)
    if img.mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")
    return np.asarray(img)


def _from_tensor(t) -> np.ndarray:
    a = t.detach().cpu()
    if a.dtype.is_floating_point:
        a = a.float()
    a = a.numpy()
    if a.ndim == 4:
        if a.shape[0] != 1:
            raise InputError(f"image: expected one image, got a batch of {a.shape[0]}; index it")
        a = a[0]
    if a.ndim == 3 and a.shape[0] in (1, 3, 4) and a.shape[-1] not in (1, 3, 4):
        a = np.moveaxis(a, 0, -1)  # C×H×W → H×W×C
    return a


def _to_float_rgb(a: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    if a.dtype == np.bool_ or a.dtype.kind not in "uif":
        raise InputError(f"image: expected uint8, uint16 or float pixels, got dtype {a.dtype}")
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (2, 3, 4)):
        raise InputError(
            f"image: expected shape (H, W), (H, W, 3) or (H, W, 4), got {tuple(a.shape)}"
        )
    if a.dtype == np.uint8:
        f = a.astype(np.float32) / 255.0
    elif a.dtype == np.uint16:
        f = a.astype(np.float32) / 65535.0
    elif a.dtype.kind in "iu":
        raise InputError(f"image: integer pixels must be uint8 or uint16, got {a.dtype}")
    else:
        f = a.astype(np.float32)
        if not np.all(np.isfinite(f)):
            raise InputError("image: has NaN or inf pixels; clean it first")
        lo, hi = float(f.min()), float(f.max())
        if lo < 0.0 or hi > 1.0:
            raise InputError(
                f"image: float pixels must lie in [0, 1], got [{lo:.3g}, {hi:.3g}]; "
                "divide by 255 if it holds 0..255 values"
            )
    if f.ndim == 2:
        return np.repeat(f[..., None], 3, axis=2), None
    if f.shape[2] == 2:  # gray + alpha
        f = np.concatenate([np.repeat(f[..., :1], 3, axis=2), f[..., 1:]], axis=2)
    if f.shape[2] == 4:
        alpha = f[..., 3:4]
        rgb = f[..., :3] * alpha + (1.0 - alpha)  # over white
        return rgb.astype(np.float32), alpha[..., 0] >= 0.5
    return np.ascontiguousarray(f), None


def _resize(rgb: np.ndarray, mask: np.ndarray | None, w: int, h: int):
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(rgb).permute(2, 0, 1)[None]
    y = F.interpolate(x, size=(h, w), mode="bilinear", antialias=True, align_corners=False)
    out = y[0].permute(1, 2, 0).clamp(0, 1).numpy().astype(np.float32)
    if mask is not None:
        m = torch.from_numpy(mask.astype(np.float32))[None, None]
        mask = F.interpolate(m, size=(h, w), mode="area")[0, 0].numpy() >= 0.5
    return np.ascontiguousarray(out), mask


def load_image(image, max_side: int = 512, allow_large: bool = False) -> InputImage:
    """Read and normalise an image.

    Args:
        image: path, PIL image, numpy array or torch tensor (see the module docstring).
        max_side: the longer side is shrunk to at most this many pixels (aspect kept,
            never enlarged); the EXIF focal length is scaled with it.
        allow_large: accept images above :data:`MAX_MEGAPIXELS`.

    Returns:
        :class:`InputImage` with ``rgb`` (H, W, 3) float32 in [0, 1].

    Raises:
        InputError: empty, too large, wrong shape / dtype / range, missing file.
        FormatError: a file that is not a readable image.

    Example:
        >>> img = load_image(np.zeros((40, 80, 3), np.uint8), max_side=40)
        >>> img.rgb.shape
        (20, 40, 3)
    """
    focal = None
    if isinstance(image, str | Path):
        path = Path(image).expanduser()
        source = str(path)
        arr, focal = _from_path(path, allow_large)
    elif type(image).__module__.startswith("PIL."):
        from PIL import ImageOps

        source = f"PIL {image.mode} image"
        _check_size(*image.size, allow_large, "the PIL image")
        focal = _focal_from_exif(image)
        arr = _pil_to_array(ImageOps.exif_transpose(image))
    elif hasattr(image, "detach") and hasattr(image, "cpu"):
        source = "torch tensor"
        arr = _from_tensor(image)
    elif isinstance(image, np.ndarray):
        source = "numpy array"
        arr = image
    else:
        raise InputError(
            f"image: expected a path, PIL image, numpy array or torch tensor, "
            f"got {type(image).__name__}"
        )
    if arr.ndim < 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(f"image: is empty (shape {tuple(arr.shape)}); pass an image with pixels")
    _check_size(int(arr.shape[1]), int(arr.shape[0]), allow_large, "the image")
    rgb, mask = _to_float_rgb(np.asarray(arr))
    h0, w0 = rgb.shape[:2]
    if isinstance(max_side, bool) or not isinstance(max_side, int | np.integer) or max_side < 1:
        raise InputError(f"max_side: expected a positive integer, got {max_side!r}")
    s = min(1.0, max_side / max(h0, w0))
    if s < 1.0:
        w, h = max(1, round(w0 * s)), max(1, round(h0 * s))
        rgb, mask = _resize(rgb, mask, w, h)
        if focal is not None:
            focal *= w / w0
    return InputImage(rgb, mask, focal, (int(w0), int(h0)), source)
