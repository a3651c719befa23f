"""Layout planning: a constraint vocabulary, a fast planner and a critic.

``plan(room, items, constraints=None, seed=0, time_limit=5.0)`` arranges furniture so
the hard constraints (inside the room, no overlap, doors and windows clear, access
spaces clear, a connected walkway) always hold and the soft ones (against a wall,
near, facing, centered, …) score as well as possible; it explains each placement in
plain sentences. An impossible request raises
:class:`~worldnb.errors.InfeasibleLayoutError` naming a small conflicting set.
``critique(scene)`` lists what is wrong with any layout, with numbers.

Example:
    >>> from worldnb.scene import Opening, Room
    >>> from worldnb.layout import AgainstWall, plan
    >>> room = Room.rectangle(4, 3.5, openings=[Opening("door", "wall_0", 0.8, 0.9)])
    >>> res = plan(room, ["desk", "office chair"], seed=1)
    >>> res.scene.labels()
    ['desk', 'office chair']
"""

from ..errors import InfeasibleLayoutError
from .constraints import (
    AccessClear,
    AgainstWall,
    AlignedWith,
    Around,
    AwayFromWindow,
    Beside,
    Centered,
    Centred,
    Constraint,
    Distance,
    Facing,
    Far,
    InCorner,
    InFrontOf,
    InsideRoom,
    LeftOf,
    Near,
    NearWindow,
    NoOverlap,
    OnTopOf,
    OpeningsClear,
    RightOf,
    RotationSnap,
    Walkway,
)
from .critique import Issue, critique, layout_from_scene
from .draw import floor_plan
from .result import LayoutResult, layout_to_scene
from .solver import plan
from .state import Item, Layout, Placement

__all__ = [
    "AccessClear",
    "AgainstWall",
    "AlignedWith",
    "Around",
    "AwayFromWindow",
    "Beside",
    "Centered",
    "Centred",
    "Constraint",
    "Distance",
    "Facing",
    "Far",
    "InCorner",
    "InFrontOf",
    "InfeasibleLayoutError",
    "InsideRoom",
    "Issue",
    "Item",
    "Layout",
    "LayoutResult",
    "LeftOf",
    "Near",
    "NearWindow",
    "NoOverlap",
    "OnTopOf",
    "OpeningsClear",
    "Placement",
    "RightOf",
    "RotationSnap",
    "Walkway",
    "critique",
    "floor_plan",
    "layout_from_scene",
    "layout_to_scene",
    "plan",
]
