"""The result of :func:`worldnb.render`: aligned image-space maps as numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from .visualize import colorize_depth, colorize_instance, colorize_normals, side_by_side, to_pil

__all__ = ["RenderOutput"]

_MAPS = ("rgb", "depth", "normals", "instance", "semantic", "alpha")


@dataclass(eq=False)
class RenderOutput:
    """Maps rendered from one camera (or a batch of cameras with a leading ``B`` axis).

    Attributes:
        rgb: (H, W, 3) float32 colour in [0, 1], background blended in.
        depth: (H, W) float32 camera z in metres (``inf`` where nothing was hit).
        alpha: (H, W) float32 coverage in [0, 1] (0 = background only).
        normals: (H, W, 3) float32 world-frame unit normals facing the camera (0 where empty).
        instance: (H, W) int32 object id (``SceneObject.id``), −1 where none.
        semantic: (H, W) int32 index into :attr:`labels`, −1 where none.
        labels: the scene's distinct object labels (``Scene.labels()``, sorted).
        cameras: the camera(s) rendered.
    """

    rgb: np.ndarray
    depth: np.ndarray
    alpha: np.ndarray
    normals: np.ndarray
    instance: np.ndarray
    semantic: np.ndarray
    labels: list[str] = field(default_factory=list)
    cameras: list = field(default_factory=list)

    @property
    def is_batch(self) -> bool:
        """True when the maps carry a leading camera axis."""
        return self.rgb.ndim == 4

    def __len__(self) -> int:
        return self.rgb.shape[0] if self.is_batch else 1

    def __getitem__(self, key: int | str):
        """``output["rgb"]``: a map by name; ``output[i]``: camera ``i`` of a batch."""
        if isinstance(key, str):
            if key not in _MAPS:
                raise KeyError(f"{key!r}: a RenderOutput has the maps {list(_MAPS)}")
            return getattr(self, key)
        if not self.is_batch:
            raise IndexError(
                "this RenderOutput holds a single camera; it has no batch axis "
                "(use output['rgb'] or output.rgb for a map)"
            )
        i = key
        return RenderOutput(
            self.rgb[i], self.depth[i], self.alpha[i], self.normals[i], self.instance[i],
            self.semantic[i], list(self.labels), [self.cameras[i]],
        )  # fmt: skip

    def keys(self) -> tuple[str, ...]:
        """The names of the maps: ``rgb``, ``depth``, ``normals``, ``instance``, ``semantic``,
        ``alpha``."""
        return _MAPS

    def __contains__(self, name: object) -> bool:
        return name in _MAPS

    def image(self):
        """The RGB map as a PIL image."""
        return to_pil(self.rgb)

    def panel(self, maps=("rgb", "depth", "normals", "instance")):
        """A PIL image with the named maps side by side (depth, normals and ids colourised)."""
        if self.is_batch:
            raise InputError("panel() shows one camera; for a batch use output[i].panel()")
        unknown = [m for m in maps if m not in _MAPS]
        if unknown:
            raise InputError(f"maps: unknown {unknown}; choose from {list(_MAPS)}")
        painters = {
            "rgb": lambda: self.rgb,
            "depth": lambda: colorize_depth(self.depth),
            "normals": lambda: colorize_normals(self.normals),
            "instance": lambda: colorize_instance(self.instance),
            "semantic": lambda: colorize_instance(self.semantic),
            "alpha": lambda: np.repeat(self.alpha[..., None], 3, -1),
        }
        return side_by_side([to_pil(painters[m]()) for m in maps])

    def __repr__(self) -> str:
        shape = "×".join(str(s) for s in self.rgb.shape[:-1])
        return f"RenderOutput({shape}, covered={float((self.alpha > 0).mean()):.0%})"
