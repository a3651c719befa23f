"""Deprecated names kept so old code keeps working (each call warns)."""

from __future__ import annotations

import warnings
from pathlib import Path

from ..catalog import compare_sizes
from ..errors import InputError
from ..scene import Scene
from ..scene.io.vsibench import FILENAME, load_vsibench, read_vsibench_meta

__all__ = ["compare_with_scannet", "scannet_scene", "scannet_scenes"]


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"worldnb.worlds.{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3
    )


def _need_path(path: str | Path | None, old: str) -> str | Path:
    if path is None:
        raise InputError(
            f"path: {old} no longer guesses where {FILENAME} is; pass its path "
            "(and use worldnb.scene.io.load_vsibench(path) instead)"
        )
    return path


def scannet_scenes(path: str | Path | None = None) -> list[str]:
    """Deprecated: the scene names of :func:`worldnb.scene.io.load_vsibench`, sorted."""
    _warn("scannet_scenes", "worldnb.scene.io.vsibench.read_vsibench_meta(path)")
    return sorted(read_vsibench_meta(_need_path(path, "scannet_scenes")))


def scannet_scene(scene_id: str | None = None, path: str | Path | None = None) -> Scene:
    """Deprecated: use ``worldnb.scene.io.load_vsibench(path, names=[scene_id])[0]``."""
    _warn("scannet_scene", "worldnb.scene.io.load_vsibench(path, names=[scene_id])")
    path = _need_path(path, "scannet_scene")
    if scene_id is None:
        scene_id = sorted(read_vsibench_meta(path))[0]
    return load_vsibench(path, names=[scene_id])[0]


def compare_with_scannet(path: str | Path | None = None) -> list[dict]:
    """Deprecated: use ``worldnb.catalog.compare_sizes(load_vsibench(path))``."""
    _warn("compare_with_scannet", "worldnb.catalog.compare_sizes(load_vsibench(path))")
    return compare_sizes(load_vsibench(_need_path(path, "compare_with_scannet")))
