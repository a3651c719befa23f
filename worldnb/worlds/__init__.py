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
from .meshes import add_meshes, furniture_mesh, room_mesh
from .rooms import sample_room

__all__ = [
    "ROOM_KINDS",
    "CatalogEntry",
    "add_meshes",
    "catalog",
    "furniture_mesh",
    "room_mesh",
    "sample_room",
]
ROOM_KINDS = catalog.ROOM_KINDS
