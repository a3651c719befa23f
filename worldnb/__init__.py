"""worldnb: a Jupyter-native toolkit for world models.

One image becomes an interactive, queryable 3D scene: depth, lifting to 3D,
diffusion that fills what the camera never saw, 3D Gaussians that render in real
time, spatial questions answered with evidence, and room layouts planned with the
reasoning shown.

The verbs users call most live here: :func:`render`, :func:`generate`,
:func:`load`, ``scene.show()``, ``scene.ask(...)``, :func:`layout.plan`.
Engines are imported on first use, so ``import worldnb`` stays fast.
"""

from __future__ import annotations

import importlib

from . import errors
from .errors import WorldnbError
from .scene import (
    Camera,
    Gaussians,
    Mesh,
    Opening,
    OrientedBox,
    PointCloud,
    Room,
    Scene,
    SceneObject,
    load,
)
from .version import __version__

# name → (module, attribute or None for the module itself), resolved on first access.
_LAZY = {
    "render": ("worldnb.rendering", "render"),
    "RenderOutput": ("worldnb.rendering", "RenderOutput"),
    "generate": ("worldnb.generation", "generate"),
    "GenerationConfig": ("worldnb.generation", "GenerationConfig"),
    "understand": ("worldnb.generation", "understand"),
    "studio": ("worldnb.widgets", "studio"),
    "catalog": ("worldnb.catalog", None),
    "rendering": ("worldnb.rendering", None),
    "spatial": ("worldnb.spatial", None),
    "layout": ("worldnb.layout", None),
    "worlds": ("worldnb.worlds", None),
    "models": ("worldnb.models", None),
    "generation": ("worldnb.generation", None),
    "widgets": ("worldnb.widgets", None),
}

__all__ = [
    "Camera",
    "Gaussians",
    "Mesh",
    "Opening",
    "OrientedBox",
    "PointCloud",
    "Room",
    "Scene",
    "SceneObject",
    "WorldnbError",
    "__version__",
    "errors",
    "load",
    *sorted(_LAZY),
]


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'worldnb' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
