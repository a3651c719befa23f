"""The embedded world: part-built furniture meshes with procedural materials (wood,
fabric, tiles, parquet, plaster, wallpaper), seeded procedural rooms furnished from
:mod:`worldnb.catalog` and arranged by the layout planner, lighting (ambient, sun and
sky through the windows, lamps, contact darkening), and rendered datasets for training
the built-in models. (``worlds.catalog`` is :mod:`worldnb.catalog`; ``worlds.materials``
and ``worlds.textures`` are its material and pattern modules.)

Example:
    >>> from worldnb import worlds
    >>> scene = worlds.sample_room("bedroom", seed=0)
    >>> "bed" in scene.labels()
    True
"""

from .. import catalog
from ..catalog import (
    ROOM_KINDS,
    CatalogEntry,
    add_meshes,
    furniture_mesh,
    materials,
    room_mesh,
    textures,
)
from ..catalog.materials import Surface, bake_atlas
from ._deprecated import compare_with_scannet, scannet_scene, scannet_scenes
from .clutter import add_clutter
from .dataset import DATASET_FORMAT, render_dataset, room_cameras
from .lighting import (
    LIGHTING_STYLES,
    SURFACE_LABELS,
    Lighting,
    RoomRender,
    render_room,
    sample_lighting,
    shade,
    surface_map,
)
from .rooms import ROOM_SIZES, STYLES, sample_room, sample_shell

__all__ = [
    "DATASET_FORMAT",
    "LIGHTING_STYLES",
    "ROOM_KINDS",
    "ROOM_SIZES",
    "STYLES",
    "SURFACE_LABELS",
    "CatalogEntry",
    "Lighting",
    "RoomRender",
    "Surface",
    "add_clutter",
    "add_meshes",
    "bake_atlas",
    "catalog",
    "compare_with_scannet",
    "furniture_mesh",
    "materials",
    "render_dataset",
    "render_room",
    "room_cameras",
    "room_mesh",
    "sample_lighting",
    "sample_room",
    "sample_shell",
    "scannet_scene",
    "scannet_scenes",
    "shade",
    "surface_map",
    "textures",
]
