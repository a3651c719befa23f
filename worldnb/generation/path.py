"""The camera path that expansion follows: an orbit about the scene's centre, with dolly."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..scene import Camera
from ..transforms import yaw_rotation

__all__ = ["PathView", "ViewContext", "expansion_path"]


@dataclass
class PathView:
    """One camera of the path: its camera, orbit angle (degrees, + turns left) and dolly (m)."""

    camera: Camera
    angle_deg: float
    dolly: float


@dataclass
class ViewContext:
    """Where an image handed to a backend was taken.

    Attributes:
        name: ``"input"`` or ``"view_01"``, ….
        camera: its camera in the generated scene's world frame (None for the input,
            whose intrinsics are not known before its depth is).
        T_input_view: (4, 4) maps this view's camera coordinates into the input
            camera's (identity for the input); independent of the world frame.
    """

    name: str
    camera: Camera | None
    T_input_view: np.ndarray


def expansion_path(
    camera: Camera, pivot, n_views: int, orbit_deg: float, dolly: float = 0.0
) -> list[PathView]:
    """``n_views`` cameras orbiting ``pivot`` about the world's vertical (+Y) axis.

    Angles are spread evenly over ``[−orbit_deg, +orbit_deg]`` and visited nearest
    first, alternating sides (so each view mostly extends what the previous ones made).
    Each camera also moves ``dolly × |angle| / orbit_deg`` metres along its own view
    direction. The cameras keep the input's intrinsics and size.

    Args:
        camera: the input camera (world frame, +Y up).
        pivot: (3,) world point the path turns about (e.g. the median visible point).
        n_views: number of cameras (0: empty path).
        orbit_deg: half the angular range.
        dolly: forward move at the ends of the path (m).
    """
    if n_views <= 0:
        return []
    pivot = np.asarray(pivot, np.float64)
    if n_views == 1:
        angles = np.array([orbit_deg])
    else:
        angles = np.linspace(-orbit_deg, orbit_deg, n_views)
    order = np.lexsort((-angles, np.round(np.abs(angles), 6)))
    out = []
    T0 = camera.T_world_camera.astype(np.float64)
    for a in angles[order]:
        R = yaw_rotation(math.radians(a))
        T = np.eye(4)
        T[:3, :3] = R @ T0[:3, :3]
        T[:3, 3] = pivot + R @ (T0[:3, 3] - pivot)
        frac = abs(a) / orbit_deg if orbit_deg > 0 else 0.0
        T[:3, 3] += dolly * frac * T[:3, 2]
        out.append(PathView(camera.with_pose(T), float(a), float(dolly * frac)))
    return out
