"""The embedded world: part-built furniture meshes, seeded procedural rooms furnished
from :mod:`worldnb.catalog` and arranged by the layout planner, and rendered datasets
for training the built-in models. (``worlds.catalog`` is :mod:`worldnb.catalog`.)

Example:
    >>> from worldnb import worlds
    >>> scene = worlds.sample_room("bedroom", seed=0)
    >>> "bed" in scene.labels()
    True
"""

from .. import catalog
from ..catalog import ROOM_KINDS, CatalogEntry, add_meshes, furniture_mesh, room_mesh
from ._deprecated import compare_with_scannet, scannet_scene, scannet_scenes
from .dataset import DATASET_FORMAT, render_dataset, room_cameras
from .rooms import ROOM_SIZES, sample_room, sample_shell

__all__ = [
    "DATASET_FORMAT",
    "ROOM_KINDS",
    "ROOM_SIZES",
    "CatalogEntry",
    "add_meshes",
    "catalog",
    "compare_with_scannet",
    "furniture_mesh",
    "render_dataset",
    "room_cameras",
    "room_mesh",
    "sample_room",
    "sample_shell",
    "scannet_scene",
    "scannet_scenes",
]
