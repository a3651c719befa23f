"""Deprecated names kept so old code keeps working (each warns once per call site)."""

from __future__ import annotations

import warnings

from ..errors import InputError
from ..scene import Scene
from ..scene.io.vsibench import FILENAME, load_vsibench, scene_from_vsibench


def _need_path(path, old: str):
    if path is None:
        raise InputError(
            f"path: {old} no longer guesses where {FILENAME} is; pass its path "
            "(and use worldnb.scene.io.load_vsibench(path) instead)"
        )
    return path


def load_vsibench_scenes(path=None, names=None) -> list[Scene]:
    """Deprecated: use :func:`worldnb.scene.io.load_vsibench` (``path`` is required)."""
    warnings.warn(
        "worldnb.spatial.load_vsibench_scenes is deprecated; use "
        "worldnb.scene.io.load_vsibench(path, names)",
        DeprecationWarning,
        stacklevel=2,
    )
    return load_vsibench(_need_path(path, "load_vsibench_scenes"), names)


def scannet_scene(name: str, info: dict) -> Scene:
    """Deprecated: use :func:`worldnb.scene.io.vsibench.scene_from_vsibench`, or
    :func:`worldnb.scene.io.load_vsibench` with ``names=``."""
    warnings.warn(
        "worldnb.spatial.scannet_scene is deprecated; use "
        "worldnb.scene.io.load_vsibench(path, names=[name])",
        DeprecationWarning,
        stacklevel=2,
    )
    return scene_from_vsibench(name, info)


__all__ = ["load_vsibench_scenes", "scannet_scene"]
