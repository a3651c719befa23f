"""The embedded world: a furniture catalog with real dimension ranges, part-built
furniture meshes, seeded procedural rooms arranged by the layout planner, and
rendered datasets for training the built-in models.

Example:
    >>> from worldnb import worlds
    >>> scene = worlds.sample_room("bedroom", seed=0)
    >>> "bed" in scene.labels()
    True
"""

from . import catalog
from .catalog import CatalogEntry
from .dataset import DATASET_FORMAT, render_dataset, room_cameras
from .meshes import add_meshes, furniture_mesh, room_mesh
from .rooms import sample_room
from .scannet import compare_with_scannet, scannet_scene, scannet_scenes

__all__ = [
    "DATASET_FORMAT",
    "ROOM_KINDS",
    "CatalogEntry",
    "add_meshes",
    "catalog",
    "compare_with_scannet",
    "furniture_mesh",
    "render_dataset",
    "room_cameras",
    "room_mesh",
    "sample_room",
    "scannet_scene",
    "scannet_scenes",
]
ROOM_KINDS = catalog.ROOM_KINDS
