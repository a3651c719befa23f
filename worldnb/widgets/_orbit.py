"""Orbit-camera maths: (target, azimuth, elevation, distance) ↔ poses ↔ three.js state.

Plain functions over numbers and arrays; :class:`~worldnb.widgets.SceneView` only calls them.

Orbit convention (world +Y up): the camera sits at
``target + distance * (cos(el) sin(az), sin(el), cos(el) cos(az))`` and looks at
``target``; azimuth 0 puts the camera on the +Z side of the target, elevation 90° above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..scene.camera import Camera, opencv_to_opengl
from ..transforms import euler_xyz_from_matrix, quat_to_matrix, xyzw_to_wxyz

__all__ = [
    "Orbit",
    "camera_from_three",
    "default_orbit",
    "euler_xyz",
    "orbit_from_position",
    "three_pose",
]

#: Elevation is kept inside ±89° so the view direction never becomes parallel to +Y.
MAX_ELEVATION = 89.0


@dataclass(frozen=True)
class Orbit:
    """Where an orbiting camera is.

    Attributes:
        target: (3,) point looked at (world, metres).
        azimuth: degrees about +Y; 0 = camera on the +Z side of the target.
        elevation: degrees above the horizontal plane through the target.
        distance: metres from the target.
        fov: vertical field of view in degrees.
    """

    target: tuple[float, float, float]
    azimuth: float
    elevation: float
    distance: float
    fov: float = 50.0

    @property
    def position(self) -> np.ndarray:
        """(3,) float64 camera centre in world coordinates."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        offset = np.array([math.cos(el) * math.sin(az), math.sin(el), math.cos(el) * math.cos(az)])
        return np.asarray(self.target, np.float64) + self.distance * offset

    def camera(self, width: int, height: int, near: float = 0.01, far: float = 1000.0) -> Camera:
        """The :class:`~worldnb.Camera` at this orbit position (up = +Y, no roll)."""
        el = max(-MAX_ELEVATION, min(MAX_ELEVATION, self.elevation))
        orbit = Orbit(self.target, self.azimuth, el, self.distance, self.fov)
        return Camera.look_at(
            orbit.position,
            self.target,
            fov_y_deg=self.fov,
            width=width,
            height=height,
            near=near,
            far=far,
        )


def orbit_from_position(position, target, fov: float = 50.0) -> Orbit:
    """The orbit parameters of a camera at ``position`` looking at ``target``."""
    p, t = np.asarray(position, np.float64), np.asarray(target, np.float64)
    offset = p - t
    d = float(np.linalg.norm(offset))
    if d < 1e-9:
        return Orbit(tuple(float(x) for x in t), 0.0, 0.0, 1e-9, fov)
    el = math.degrees(math.asin(max(-1.0, min(1.0, offset[1] / d))))
    az = math.degrees(math.atan2(offset[0], offset[2]))
    return Orbit(tuple(float(x) for x in t), az, el, d, fov)


def default_orbit(bounds: np.ndarray | None, fov: float = 50.0, aspect: float = 1.6) -> Orbit:
    """An orbit that frames ``bounds`` ((2, 3) min/max corners) from the front-right, above.

    The closest distance (bisection between 0 and the bounding sphere's) at which all
    eight corners project inside 90 % of the image.
    """
    if bounds is None:
        return Orbit((0.0, 0.0, 0.0), 30.0, 25.0, 5.0, fov)
    b = np.asarray(bounds, np.float64)
    center = tuple(float(x) for x in b.mean(0))
    radius = max(float(np.linalg.norm(b[1] - b[0])) / 2, 1e-3)
    half = math.radians(fov) / 2
    half_x = math.atan(math.tan(half) * aspect)
    far = 1.1 * radius / math.sin(min(half, half_x))
    corners = np.array([[x, y, z] for x in b[:, 0] for y in b[:, 1] for z in b[:, 2]])
    w, h = 160, max(round(160 / aspect), 1)

    def fits(d: float) -> bool:
        uv, depth = Orbit(center, 30.0, 25.0, d, fov).camera(w, h).project(corners)
        inside = np.abs(uv - [w / 2, h / 2]) <= 0.45 * np.array([w, h])
        return bool(np.all(depth > 0) and np.all(inside))

    lo, hi = 0.0, far
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if fits(mid) else (mid, hi)
    return Orbit(center, 30.0, 25.0, hi, fov)


def three_pose(camera: Camera) -> tuple[list[float], list[float]]:
    """three.js ``position`` [x, y, z] and ``quaternion`` [x, y, z, w] of a camera."""
    d = camera.to_threejs()
    return d["position"], d["quaternion"]


def euler_xyz(quaternion) -> tuple[float, float, float, str]:
    """three.js ``Euler`` (order XYZ) of a rotation given as a quaternion x, y, z, w.

    Sent together with the quaternion: pythreejs syncs both, and a stale ``rotation``
    left in the kernel would be saved with the widget state.
    """
    return (*euler_xyz_from_matrix(quat_to_matrix(xyzw_to_wxyz(quaternion))), "XYZ")


def looks_at(position, quaternion, target) -> bool:
    """Whether a three.js camera (position, quaternion x, y, z, w) looks at ``target``."""
    d = np.asarray(target, np.float64) - np.asarray(position, np.float64)
    n = float(np.linalg.norm(d))
    if n < 1e-12:
        return True
    forward = -quat_to_matrix(xyzw_to_wxyz(quaternion))[:, 2]
    return float(np.dot(forward, d)) / n > 1.0 - 1e-9


def camera_from_three(
    position, quaternion, fov: float, width: int, height: int, near: float, far: float
) -> Camera:
    """A :class:`~worldnb.Camera` from a three.js PerspectiveCamera's state.

    Args:
        position: (3,) camera centre.
        quaternion: (4,) rotation x, y, z, w (OpenGL camera axes: x right, y up, z back).
        fov: vertical field of view in degrees.
        width, height: the canvas size in pixels (three.js aspect = width / height).
        near, far: clip distances.
    """
    T_gl = np.eye(4)
    T_gl[:3, :3] = quat_to_matrix(xyzw_to_wxyz(quaternion))
    T_gl[:3, 3] = np.asarray(position, np.float64)
    T_cv = opencv_to_opengl(T_gl)  # the flip is its own inverse
    return Camera.from_fov(fov, width, height, T_cv, near=near, far=far)
