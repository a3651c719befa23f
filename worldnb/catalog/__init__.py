"""The furniture catalog: real-world dimension ranges, placement kinds, access zones,
materials and default design rules per category, read from the shipped
``catalog.json``; and what the pieces look like: part-built meshes with material
colours (:mod:`.meshes`), and the room shell.

It sits below its users: the layout planner and the procedural worlds both read it,
and it imports nothing above :mod:`worldnb.scene`.

Example:
    >>> from worldnb import catalog
    >>> bed = catalog.entry("bed")
    >>> bed.placement, bed.front
    ('floor', True)
    >>> len(catalog.categories()) >= 25
    True
"""

from .compare import compare_sizes
from .entries import ROOM_KINDS, CatalogEntry, categories, entries, entry, rooms_for
from .meshes import MATERIALS, add_meshes, furniture_mesh, room_mesh

__all__ = [
    "MATERIALS",
    "ROOM_KINDS",
    "CatalogEntry",
    "add_meshes",
    "categories",
    "compare_sizes",
    "entries",
    "entry",
    "furniture_mesh",
    "room_mesh",
    "rooms_for",
]
