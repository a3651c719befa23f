"""Built-in models trained on procedural rooms: depth, segmentation, inpainting.

:func:`load` reads a model shipped inside the package (safetensors + ``config.json``
+ a model card ``README.md``), offline:

- ``load("depth")`` → :class:`BuiltinDepth`, ``rgb -> DepthPrediction`` (metric);
- ``load("segment")`` → :class:`BuiltinSegmenter`, ``rgb -> Segmentation``;
- ``load("inpaint")`` → :class:`PixelInpaintPipeline`, an
  :class:`~worldnb.generation.Inpainter` and a ``diffusers.DiffusionPipeline``.

``python -m worldnb.models.train`` retrains them from scratch (see
:mod:`worldnb.models.train`).

Example:
    >>> import numpy as np
    >>> from worldnb import models
    >>> pred = models.load("depth")(np.full((48, 64, 3), 0.5, np.float32))
    >>> pred.kind, pred.depth.shape
    ('metric', (48, 64))
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .dense import BuiltinDepth, BuiltinSegmenter
from .outputs import DepthPrediction, Segmentation

__all__ = [
    "MODELS",
    "BuiltinDepth",
    "BuiltinSegmenter",
    "DepthPrediction",
    "PixelInpaintPipeline",
    "Segmentation",
    "builtin_name",
    "load",
    "model_folder",
]

#: names of the shipped models
MODELS = ("depth", "segment", "inpaint")
WEIGHTS = Path(__file__).parent / "weights"


def model_folder(name: str) -> Path:
    """The package folder holding shipped model ``name``."""
    if name not in MODELS:
        raise InputError(f"model: expected one of {', '.join(MODELS)}, got {name!r}")
    return WEIGHTS / name


def builtin_name(spec, kind: str) -> bool:
    """Whether ``spec`` names the built-in ``kind`` model: ``"builtin"`` or
    ``"builtin:<kind>"`` (InputError for ``"builtin:<another kind>"``)."""
    if not isinstance(spec, str):
        return False
    s = spec.strip().lower()
    if s == "builtin" or s == f"builtin:{kind}":
        return True
    if s.startswith("builtin:"):
        raise InputError(
            f"{kind}: {spec!r} names another built-in model; use 'builtin' or 'builtin:{kind}'"
        )
    return False


def load(name: str, device: str = "cpu"):
    """Load shipped model ``name`` (``"depth"``, ``"segment"`` or ``"inpaint"``) or a
    folder written by ``python -m worldnb.models.train``.

    Args:
        name: a shipped model's name, or a model folder.
        device: ``"cpu"``, ``"cuda"`` or ``"auto"``.
    """
    import torch

    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    folder = Path(name) if name not in MODELS else model_folder(name)
    if not folder.is_dir():
        raise InputError(f"model: {name!r} is neither {', '.join(MODELS)} nor a model folder")
    if (folder / "model_index.json").exists():
        from diffusers.utils import logging as diffusers_logging

        from .inpaint import PixelInpaintPipeline

        # Quiet, as the other models load: low_cpu_mem_usage=False says what happens anyway
        # without `accelerate` (diffusers warns when it has to fall back), and two small
        # components read from the package need no "Loading pipeline components" bar.
        bar = diffusers_logging.is_progress_bar_enabled()
        diffusers_logging.disable_progress_bar()
        try:
            pipe = PixelInpaintPipeline.from_pretrained(folder, low_cpu_mem_usage=False)
        finally:
            if bar:
                diffusers_logging.enable_progress_bar()
        pipe = pipe.to(device)
        pipe.set_progress_bar_config(disable=True)
        return pipe
    import json

    kind = (
        json.loads((folder / "config.json").read_text()).get("model")
        if (folder / "config.json").exists()
        else None
    )
    if kind == "depth":
        return BuiltinDepth.from_pretrained(folder, device)
    if kind == "segment":
        return BuiltinSegmenter.from_pretrained(folder, device)
    raise InputError(f"model: {folder} is not a worldnb model folder (config.json 'model' missing)")


def __getattr__(name):
    if name == "PixelInpaintPipeline":  # imports diffusers: only when asked for
        from .inpaint import PixelInpaintPipeline

        return PixelInpaintPipeline
    raise AttributeError(f"module 'worldnb.models' has no attribute {name!r}")
