"""`GenerationConfig`: every parameter of image → scene, in one dataclass.

It is the single source for Python, the CLI and the widget: each field carries a
one-line ``doc``, a default, and (for numbers) a ``range`` and ``step`` in its
metadata, from which :class:`worldnb.widgets.GeneratePanel` builds its sliders.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError

__all__ = ["ConfigField", "GenerationConfig", "config_fields"]


def _f(default, doc: str, range=None, step=None, group: str = "general"):
    meta = {"doc": doc, "group": group}
    if range is not None:
        meta["range"] = range
    if step is not None:
        meta["step"] = step
    return field(default=default, metadata=meta)


@dataclass
class GenerationConfig:
    """Parameters of :func:`worldnb.generate`.

    Every field has a default that works on a CPU; ``config_fields()`` lists them
    with their documented ranges (the widget's sliders).

    Example:
        >>> cfg = GenerationConfig(n_views=4, seed=3)
        >>> cfg.replace(steps=10).steps
        10
    """

    # ---- image in ----------------------------------------------------------------
    max_side: int = _f(
        512, "longest image side after resizing (pixels; never upscaled)", (64, 2048), 32, "image"
    )
    allow_large: bool = _f(False, "accept images above 50 megapixels", group="image")
    # ---- depth and intrinsics ----------------------------------------------------
    fov_deg: float = _f(
        60.0,
        "vertical field of view (degrees) when neither the depth model nor EXIF gives one",
        (10.0, 150.0),
        1.0,
        "depth",
    )
    depth_scale: float | None = _f(
        None,
        "metres per unit of relative depth; None: scale by the floor and camera_height",
        (0.01, 100.0),
        0.01,
        "depth",
    )
    camera_height: float = _f(
        1.6,
        "assumed camera height above the floor (m) for scaling relative depth",
        (0.3, 3.0),
        0.05,
        "depth",
    )
    # ---- lifting -----------------------------------------------------------------
    depth_edge_threshold: float = _f(
        0.04, "relative depth jump that cuts mesh faces (|Δz| / z)", (0.005, 0.5), 0.005, "lift"
    )
    surfel_stride: int = _f(1, "one Gaussian per k×k pixel block", (1, 8), 1, "lift")
    point_stride: int = _f(1, "one point per k×k pixel block", (1, 8), 1, "lift")
    # ---- expansion: camera path ----------------------------------------------------
    n_views: int = _f(
        4, "number of generated views along the camera path (0: no expansion)", (0, 32), 1, "expand"
    )
    orbit_deg: float = _f(
        20.0, "the path orbits ±orbit_deg about the scene's centre", (0.0, 90.0), 1.0, "expand"
    )
    dolly: float = _f(
        0.0,
        "forward move (m) at the path's ends (negative: backwards)",
        (-2.0, 2.0),
        0.05,
        "expand",
    )
    hole_alpha: float = _f(
        0.5, "rendered alpha below this is a hole to fill", (0.01, 0.99), 0.01, "expand"
    )
    hole_dilate: int = _f(
        2, "grow holes by this many pixels before inpainting", (0, 16), 1, "expand"
    )
    align_max_rmse: float = _f(
        0.1,
        "refuse a view whose depth fits the known geometry worse than this (RMSE / median depth)",
        (0.005, 1.0),
        0.005,
        "expand",
    )
    carve_tolerance: float = _f(
        0.05,
        "new points nearer than a surface an earlier view saw, by more than this "
        "fraction of its depth, are rejected (free-space carving)",
        (0.0, 0.5),
        0.005,
        "expand",
    )
    # ---- diffusion ---------------------------------------------------------------
    prompt: str = _f("", "text prompt for the inpainting model", group="diffusion")
    steps: int = _f(20, "diffusion denoising steps", (1, 100), 1, "diffusion")
    guidance_scale: float = _f(7.5, "classifier-free guidance scale", (1.0, 20.0), 0.5, "diffusion")
    strength: float = _f(
        1.0, "how much the holes are re-noised (1: fully)", (0.05, 1.0), 0.05, "diffusion"
    )
    seed: int = _f(
        0, "random seed; the same seed gives the same scene on CPU", (0, 2**31 - 1), 1, "diffusion"
    )
    # ---- refinement --------------------------------------------------------------
    refine_iters: int = _f(
        10,
        "Adam steps refining the Gaussians against the photo and the views (0: off)",
        (0, 2000),
        5,
        "refine",
    )
    refine_lr: float = _f(
        0.01, "Adam learning rate for the refinement", (1e-4, 0.1), 1e-4, "refine"
    )
    ssim_weight: float = _f(
        0.2, "weight of the D-SSIM term in the loss (rest is L1)", (0.0, 1.0), 0.05, "refine"
    )
    refine_patience: int = _f(
        20, "stop when the loss has not improved for this many steps", (1, 500), 1, "refine"
    )

    # ---- understanding ----------------------------------------------------------
    understand: bool = _f(
        True,
        "find the room and objects (worldnb.understand) when a segmenter is given",
        group="understand",
    )
    understand_min_confidence: float = _f(
        0.3,
        "objects found with a lower confidence are left out",
        (0.0, 1.0),
        0.05,
        "understand",
    )

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and f.default is None:
                continue
            kind = type(f.default) if f.default is not None else float
            if kind is bool:
                if not isinstance(value, bool):
                    raise InputError(
                        f"GenerationConfig.{f.name}: expected True/False, got {value!r}"
                    )
                continue
            if kind is str:
                if not isinstance(value, str):
                    raise InputError(f"GenerationConfig.{f.name}: expected text, got {value!r}")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"GenerationConfig.{f.name}: expected a number, got {value!r}")
            if kind is int:
                if not math.isfinite(value) or float(value) != int(value):
                    raise InputError(
                        f"GenerationConfig.{f.name}: expected an integer, got {value!r}"
                    )
                value = int(value)
            else:
                value = float(value)
            lo, hi = f.metadata["range"]
            if not lo <= value <= hi:
                raise InputError(
                    f"GenerationConfig.{f.name}: expected a value in [{lo}, {hi}] "
                    f"({f.metadata['doc']}), got {value!r}"
                )
            setattr(self, f.name, value)

    def replace(self, **changes) -> GenerationConfig:
        """A copy with some fields changed (checked again)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise InputError(
                f"GenerationConfig has no field(s) {sorted(unknown)}; "
                f"fields are {[f.name for f in dataclasses.fields(self)]}"
            )
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (what ``scene.meta['config']`` holds)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> GenerationConfig:
        """The inverse of :meth:`to_dict` (unknown keys are an error)."""
        if not isinstance(d, dict):
            raise InputError(f"GenerationConfig.from_dict: expected a dict, got {type(d).__name__}")
        return cls().replace(**d)


@dataclass(frozen=True)
class ConfigField:
    """One field of :class:`GenerationConfig` as a widget sees it."""

    name: str
    type: type
    default: Any
    doc: str
    group: str
    range: tuple[float, float] | None
    step: float | None


def config_fields(config_cls: type = GenerationConfig) -> list[ConfigField]:
    """Describe every field: name, type, default, doc, group, range and step."""
    out = []
    for f in dataclasses.fields(config_cls):
        kind = type(f.default) if f.default is not None else float
        out.append(
            ConfigField(
                f.name,
                kind,
                f.default,
                f.metadata["doc"],
                f.metadata.get("group", "general"),
                f.metadata.get("range"),
                f.metadata.get("step"),
            )
        )
    return out
