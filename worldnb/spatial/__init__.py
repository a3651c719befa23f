"""Spatial understanding: relations, measures, navigation and questions in English.

Functional core over objects and boxes (:mod:`.measures`, :mod:`.predicates`,
:mod:`.navigation`, :mod:`.frames`), a scene graph (:func:`relations`), structured
queries (:func:`find`) and :func:`ask`, which answers English questions with an
:class:`Answer` that carries its evidence.

Example:
    >>> from worldnb.scene import OrientedBox, Room, Scene
    >>> s = Scene(room=Room.rectangle(4, 3))
    >>> bed = s.add_object("bed", OrientedBox((-1, 0.3, 0), (1.6, 0.6, 2.0)))
    >>> lamp = s.add_object("lamp", OrientedBox((1.5, 0.8, 0), (0.3, 1.6, 0.3)))
    >>> round(distance(bed, lamp), 2)
    1.55
    >>> s.ask("is the lamp to the right of the bed?").value
    True
"""

from ._deprecated import load_vsibench_scenes, scannet_scene
from .answer import Answer
from .frames import EgoFrame, Frame, ObjectFrame, RoomFrame, ViewerFrame, turn_direction
from .graph import SceneGraph, relation, relations
from .index import SpatialIndex
from .language import opening_objects
from .measures import (
    Size,
    clearance,
    count,
    distance,
    floor_area,
    free_floor_area,
    size,
    wall_clearance,
)
from .navigation import Route, WalkableGrid, free_space, route, walkable_grid
from .predicates import (
    above,
    against_wall,
    behind,
    below,
    between,
    facing,
    facing_angle,
    farthest,
    front_ray_hits,
    in_corner,
    in_front_of,
    inside,
    left_of,
    near,
    nearest,
    next_to,
    on,
    right_of,
    walls_near,
)
from .query import find
from .questions import ask

__all__ = [
    "Answer",
    "EgoFrame",
    "Frame",
    "ObjectFrame",
    "RoomFrame",
    "Route",
    "SceneGraph",
    "Size",
    "SpatialIndex",
    "ViewerFrame",
    "WalkableGrid",
    "above",
    "against_wall",
    "ask",
    "behind",
    "below",
    "between",
    "clearance",
    "count",
    "distance",
    "facing",
    "facing_angle",
    "farthest",
    "find",
    "floor_area",
    "free_floor_area",
    "free_space",
    "front_ray_hits",
    "in_corner",
    "in_front_of",
    "inside",
    "left_of",
    "load_vsibench_scenes",
    "near",
    "nearest",
    "next_to",
    "on",
    "opening_objects",
    "relation",
    "relations",
    "right_of",
    "route",
    "scannet_scene",
    "size",
    "turn_direction",
    "walkable_grid",
    "wall_clearance",
    "walls_near",
]
