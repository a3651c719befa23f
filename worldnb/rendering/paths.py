"""Camera paths: orbits, dollies and walks, as lists of :class:`~worldnb.Camera`."""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ..scene import Camera
from ..scene.validate import as_array, as_int, as_positive

__all__ = ["dolly", "orbit", "walk"]


def orbit(
    center,
    radius: float,
    elevation_deg: float,
    n: int,
    start_deg: float = 0.0,
    end_deg: float = 360.0,
    **camera_kw,
) -> list[Camera]:
    """Cameras on a circle around ``center``, all looking at it.

    Azimuth 0 is the +Z side of the centre, growing counter-clockwise seen from above
    (towards +X). A full turn (``end − start = 360``) leaves out the end point, so the
    path loops without a repeated frame.

    Args:
        center: (3,) point looked at (m).
        radius: distance from the centre (m, > 0).
        elevation_deg: angle above the horizontal plane, in (−90, 90).
        n: number of cameras.
        start_deg: first azimuth (degrees).
        end_deg: last azimuth (degrees).
        **camera_kw: passed to :meth:`Camera.look_at` (``width``, ``height``,
            ``fov_y_deg``, ``near``, ``far``).

    Example:
        >>> cams = orbit((0, 1, 0), 3.0, 20, n=8, width=64, height=48)
        >>> len(cams), round(float(np.linalg.norm(cams[0].position - [0, 1, 0])), 3)
        (8, 3.0)
    """
    c = as_array("center", center, (3,), np.float64)
    radius = as_positive("radius", radius)
    n = as_int("n", n)
    el = float(elevation_deg)
    if not -90 < el < 90:
        raise InputError(f"elevation_deg: expected a value in (-90, 90), got {elevation_deg}")
    full = math.isclose(abs(float(end_deg) - float(start_deg)), 360.0)
    az = np.radians(np.linspace(float(start_deg), float(end_deg), n, endpoint=not full or n == 1))
    e = math.radians(el)
    cams = []
    for a in az:  # one camera per frame
        eye = c + radius * np.array(
            [math.cos(e) * math.sin(a), math.sin(e), math.cos(e) * math.cos(a)]
        )
        cams.append(Camera.look_at(eye, c, **camera_kw))
    return cams


def dolly(camera: Camera, distances) -> list[Camera]:
    """The camera moved along its viewing direction by each distance (m; + is forward)."""
    if not isinstance(camera, Camera):
        raise InputError(f"camera: expected a worldnb.Camera, got {type(camera).__name__}")
    d = as_array("distances", np.atleast_1d(np.asarray(distances, dtype=np.float64)), (None,),
                 np.float64)  # fmt: skip
    out = []
    for s in d:
        T = camera.T_world_camera.astype(np.float64).copy()
        T[:3, 3] += s * T[:3, 2]
        out.append(camera.with_pose(T))
    return out


def walk(
    points_xz,
    eye_height: float = 1.6,
    look_ahead: float = 1.0,
    *,
    step: float | None = None,
    **camera_kw,
) -> list[Camera]:
    """Cameras walking along a floor path at eye height, looking ahead along it.

    Args:
        points_xz: (K, 2) path vertices on the floor (x, z), K ≥ 2.
        eye_height: camera height above the floor (m).
        look_ahead: each camera looks at the path point this far ahead (m), at eye height.
        step: resample the path every ``step`` metres; by default one camera per vertex.
        **camera_kw: passed to :meth:`Camera.look_at`.

    Example:
        >>> cams = walk([[0, 0], [2, 0]], step=0.5, width=32, height=32)
        >>> len(cams), [round(float(v), 2) for v in cams[0].forward]
        (5, [1.0, 0.0, 0.0])
    """
    p = as_array("points_xz", points_xz, (None, 2), np.float64)
    if len(p) < 2:
        raise InputError(f"points_xz: a walk needs at least 2 points, got {len(p)}")
    eye_height = as_positive("eye_height", eye_height)
    look_ahead = as_positive("look_ahead", look_ahead)
    seg = np.linalg.norm(np.diff(p, axis=0), axis=1)
    if np.any(seg < 1e-9):
        raise InputError("points_xz: consecutive points coincide; remove repeated points")
    s = np.concatenate([[0.0], np.cumsum(seg)])
    stations = (
        s if step is None else np.append(np.arange(0, s[-1], as_positive("step", step)), s[-1])
    )
    if step is not None and stations[-1] - stations[-2] < 1e-9:
        stations = stations[:-1]
    last_dir = (p[-1] - p[-2]) / seg[-1]

    def at(t):  # point at arc length t, extended straight past the end
        t = np.asarray(t)
        inside = np.stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])], -1)
        beyond = p[-1] + np.maximum(t - s[-1], 0)[..., None] * last_dir
        return np.where((t > s[-1])[..., None], beyond, inside)

    eyes, targets = at(stations), at(stations + look_ahead)
    return [
        Camera.look_at((e[0], eye_height, e[1]), (g[0], eye_height, g[1]), **camera_kw)
        for e, g in zip(eyes, targets, strict=True)
    ]
