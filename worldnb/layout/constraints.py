"""The constraint vocabulary: each constraint can be hard (never violated) or soft
(weighted in the score), says in plain words what it asks, and measures itself.

Every constraint has ``evaluate(layout) -> (satisfied, measured_value)``, ``cost``
(0 when satisfied, growing with the violation; the solver minimises it) and
``describe()``. Item references are names (``"chair 2"``) or categories
(``"chair"`` = every chair); a binary constraint holds when *each* item on the left
satisfies it with *some* item on the right.

Example:
    >>> c = AgainstWall("bed", weight=3.0)
    >>> c.describe()
    'the bed stands with its back against a wall'
"""

from ._base import Constraint
from ._rules_binary import (
    AlignedWith,
    Around,
    Beside,
    Distance,
    Facing,
    Far,
    InFrontOf,
    LeftOf,
    Near,
    OnTopOf,
    RightOf,
)

# helpers the solver, the critic and the tests measure with (re-exported on purpose)
from ._rules_binary import box_distance as box_distance
from ._rules_binary import facing_angle as facing_angle
from ._rules_global import (
    AccessClear,
    InsideRoom,
    NoOverlap,
    OpeningsClear,
    RotationSnap,
    Walkway,
)
from ._rules_global import GlobalConstraint as GlobalConstraint
from ._rules_global import _exempt as _exempt
from ._rules_global import access_violation as access_violation
from ._rules_global import walkway_analysis as walkway_analysis
from ._rules_unary import AgainstWall, AwayFromWindow, Centered, Centred, InCorner, NearWindow
from ._rules_unary import wall_gap as wall_gap

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
    "InsideRoom",
    "LeftOf",
    "Near",
    "NearWindow",
    "NoOverlap",
    "OnTopOf",
    "OpeningsClear",
    "RightOf",
    "RotationSnap",
    "Walkway",
]

RULES = {
    "against_wall": lambda n, r: AgainstWall(n, weight=r.get("weight", 1.0)),
    "in_corner": lambda n, r: InCorner(n, weight=r.get("weight", 1.0)),
    "centered": lambda n, r: Centered(n, weight=r.get("weight", 1.0)),
    "near_window": lambda n, r: NearWindow(n, weight=r.get("weight", 1.0)),
    "away_from_window": lambda n, r: AwayFromWindow(n, weight=r.get("weight", 1.0)),
    "beside": lambda n, r: Beside(n, r["target"], weight=r.get("weight", 1.0)),
    "near": lambda n, r: Near(n, r["target"], max=r.get("max", 1.0), weight=r.get("weight", 1.0)),
    "facing": lambda n, r: Facing(n, r["target"], weight=r.get("weight", 1.0)),
    "in_front_of": lambda n, r: InFrontOf(
        n, r["target"], min=r.get("min", 0.0), max=r.get("max", 1.0), weight=r.get("weight", 1.0)
    ),
    "around": lambda n, r: Around(n, r["target"], weight=r.get("weight", 1.0)),
    "on_top_of": lambda n, r: OnTopOf(n, r["target"], weight=r.get("weight", 1.0)),
}
