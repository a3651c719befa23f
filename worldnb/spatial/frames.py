"""Reference frames: whose left and whose front a relation speaks of.

Every frame maps world points to ``(right, up, forward)`` coordinates on the floor
plan. Two kinds:

- *observer* frames (:class:`ViewerFrame`, :class:`RoomFrame`, :class:`EgoFrame`):
  someone looks along ``forward``; "A in front of B" means A is closer to them.
- *intrinsic* frames (:class:`ObjectFrame`): "in front of the sofa" means along the
  sofa's own front (its local +Z).

Right is ``forward × up``: an observer facing −Z has +X on their right.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ..errors import QueryError
from ..scene import Camera, Room, SceneObject
from ._boxes import center_xz, unit

__all__ = [
    "EgoFrame",
    "Frame",
    "ObjectFrame",
    "RoomFrame",
    "ViewerFrame",
    "turn_direction",
]


def _right_of(forward_xz: np.ndarray) -> np.ndarray:
    return np.array([-forward_xz[1], forward_xz[0]])


class Frame:
    """Base class: an origin and two floor axes (``right``, ``forward``), unit (x, z)."""

    observer = True
    name = "frame"

    def __init__(self, origin_xz, forward_xz):
        self.origin = np.asarray(origin_xz, np.float64).reshape(2)
        self.forward = unit(np.asarray(forward_xz, np.float64).reshape(2))
        self.right = _right_of(self.forward)

    def coords(self, xz) -> np.ndarray:
        """(N, 2) (right, forward) coordinates of (N, 2) floor points, metres."""
        p = np.atleast_2d(np.asarray(xz, np.float64)) - self.origin
        return np.stack([p @ self.right, p @ self.forward], axis=1)

    def lateral(self, x) -> float:
        """How far right (+) or left (−) a thing is; the quantity left/right compare."""
        return float(self.coords(center_xz(x))[0, 0])

    def depth(self, x) -> float:
        """How far along ``forward`` a thing is; the quantity front/behind compare."""
        return float(self.coords(center_xz(x))[0, 1])

    def bearing(self, x) -> float:
        """Signed angle (degrees) from ``forward`` to the thing, right positive, in (−180, 180]."""
        r, f = self.coords(center_xz(x))[0]
        return math.degrees(math.atan2(r, f))

    def describe(self) -> str:
        """How answers name this frame ("the room's frame (north = −Z, east = +X)")."""
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()})"


class ViewerFrame(Frame):
    """Left/right and front/behind as seen from a camera.

    Left/right compare the horizontal image direction (``x / z`` in camera axes), so
    they agree with what the picture shows; front/behind compare distance along the
    view direction (in front = closer to the viewer).

    Args:
        camera: the :class:`~worldnb.scene.Camera` looking at the scene.
        name: how answers name the viewer (e.g. the camera's key in ``scene.cameras``).
    """

    observer = True

    def __init__(self, camera: Camera, name: str = "the camera"):
        if not isinstance(camera, Camera):
            raise QueryError(f"ViewerFrame: expected a Camera, got {type(camera).__name__}")
        T = camera.T_world_camera.astype(np.float64)
        fwd = T[:3, 2][[0, 2]]
        if np.linalg.norm(fwd) < 1e-6:  # looking straight down: image "up" is forward
            fwd = -T[:3, 1][[0, 2]]
        super().__init__(T[:3, 3][[0, 2]], fwd)
        self.camera = camera
        self.name = f"the viewer's frame ({name})"

    def lateral(self, x) -> float:
        """Horizontal image direction ``right / forward`` (the camera's ``x / z``), so
        left/right agree with the picture; things behind the camera count as 1 mm ahead."""
        r, f = self.coords(center_xz(x))[0]
        return r / max(f, 1e-3)


class RoomFrame(Frame):
    """The room's fixed frame: compass walls (north = −Z, east = +X).

    As a plan read from the south wall looking north: right = east, left = west,
    in front = south (closer to the reader), behind = north.

    Args:
        room: the :class:`~worldnb.scene.Room` (optional; only its centre is used).
    """

    observer = True
    name = "the room's frame (north = −Z, east = +X)"

    def __init__(self, room: Room | None = None):
        if room is not None and not isinstance(room, Room):
            raise QueryError(f"RoomFrame: expected a Room or None, got {type(room).__name__}")
        origin = (0.0, 0.0) if room is None else np.asarray(room.polygon.centroid.coords[0])
        super().__init__(origin, (0.0, -1.0))
        self.room = room

    def compass(self, x, relative_to=None) -> str:
        """Compass direction ("north", "south-east", ...) of a thing from ``relative_to``
        (default the room centre)."""
        d = center_xz(x) - (self.origin if relative_to is None else center_xz(relative_to))
        ang = math.degrees(math.atan2(d[0], -d[1])) % 360  # 0 = north, 90 = east
        names = ["north", "north-east", "east", "south-east"]
        names += ["south", "south-west", "west", "north-west"]
        return names[round(ang / 45) % 8]


class ObjectFrame(Frame):
    """An object's own frame: forward is its front (local +Z), right is its right hand.

    "In front of the sofa" in this frame means along the sofa's front.
    """

    observer = False

    def __init__(self, obj: SceneObject):
        if not isinstance(obj, SceneObject):
            raise QueryError(f"ObjectFrame: expected a SceneObject, got {type(obj).__name__}")
        f = obj.box.front.astype(np.float64)[[0, 2]]
        super().__init__(center_xz(obj), f)
        self.object = obj
        self.name = f"{obj.name}'s own frame (its front)"


class EgoFrame(Frame):
    """Egocentric: "standing by A, facing B" (VSI-Bench's relative direction).

    Args:
        standing_at: an object or an (x, z) / (x, y, z) point.
        facing: an object or point to face, or a (x, z) direction via ``direction=True``.
    """

    observer = True

    def __init__(self, standing_at, facing, direction: bool = False):
        origin = center_xz(standing_at)
        fwd = center_xz(facing) if direction else center_xz(facing) - origin
        super().__init__(origin, fwd)
        self.standing_at, self.facing = standing_at, facing
        a = getattr(standing_at, "name", "the given point")
        b = getattr(facing, "name", "the given point")
        self.name = f"standing by {a}, facing {b}"

    def direction(self, x, levels: str = "left-right-back", back_deg: float = 135.0) -> str:
        """Where a thing is for this observer.

        Args:
            levels: ``"left-right"``, ``"left-right-back"`` (back = a turn of at least
                ``back_deg``), or ``"quadrant"`` (front-left, front-right, back-left,
                back-right).
        """
        ang = self.bearing(x)
        if levels == "quadrant":
            r, f = self.coords(center_xz(x))[0]
            return ("front" if f >= 0 else "back") + "-" + ("right" if r >= 0 else "left")
        if levels == "left-right-back" and abs(ang) >= back_deg:
            return "back"
        if levels not in ("left-right", "left-right-back"):
            raise QueryError(
                f"levels: expected 'left-right', 'left-right-back' or 'quadrant', got {levels!r}"
            )
        return "right" if ang > 0 else "left"


def turn_direction(
    heading_in: ArrayLike,
    heading_out: ArrayLike,
    back_deg: float = 135.0,
    straight_deg: float = 20.0,
) -> tuple[str, float]:
    """'left', 'right', 'back' or 'straight' for a change of heading on the floor.

    Args:
        heading_in: (2,) (x, z) direction before the turn (need not be unit).
        heading_out: (2,) (x, z) direction after the turn (need not be unit).
        back_deg: turns of at least this many degrees are 'back'.
        straight_deg: turns of less than this many degrees are 'straight'.

    Returns:
        (turn, signed angle in degrees, right positive).
    """
    f, g = unit(heading_in), unit(heading_out)
    r = _right_of(f)
    ang = math.degrees(math.atan2(float(g @ r), float(g @ f)))
    if abs(ang) >= back_deg:
        return "back", ang
    if abs(ang) < straight_deg:
        return "straight", ang
    return ("right" if ang > 0 else "left"), ang
