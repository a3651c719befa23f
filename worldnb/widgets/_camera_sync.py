"""Camera ↔ slider synchronisation of the live view, as plain state (no widgets).

The kernel and the browser both move the view. The browser's camera is a three.js
``PerspectiveCamera`` driven by ``OrbitControls`` about the three.js origin; the
kernel's controls are four sliders (azimuth, elevation, distance, fov). Messages
cross in both directions and the browser echoes what the kernel sends:

- a browser slider snaps every value the kernel sets to its step and sends the
  snapped value back, possibly after the kernel has moved on (a *stale* echo);
- the browser sends back the camera poses the kernel sets, again possibly stale;
- at the end of a drag, ``OrbitControls`` send the camera pose and their target as two
  messages that may arrive in either order.

:class:`CameraSync` holds what each side shows and decides, for every message, what
the kernel must send (an :class:`Update`); :class:`~worldnb.widgets.SceneView` only
forwards widget changes here and applies the updates. So every echo sequence can be
tested without a browser (``tests/widgets/test_camera_sync.py``).

Frames: world = three.js + ``origin``. The orbit target is kept at the three.js origin
(the content is shifted by ``-origin``) because a page rebuilt from saved widget state
(a reloaded notebook, a ``to_html`` page) aims its ``OrbitControls`` at the origin
before anything else (pythreejs 2.4.2); with the target there, that aim is right.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass, field

import numpy as np

from ..scene.camera import Camera
from ._orbit import (
    MAX_ELEVATION,
    Orbit,
    camera_from_three,
    euler_xyz,
    looks_at,
    orbit_from_position,
    three_pose,
)

__all__ = ["SLIDERS", "CameraSync", "SliderRange", "ThreePose", "Update"]

#: The slider names, in the order the view lays them out.
SLIDERS = ("azimuth", "elevation", "distance", "fov")
#: How many recent values / poses sent are remembered to recognise their echoes.
HISTORY = 16

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@dataclass(frozen=True)
class SliderRange:
    """A slider's bounds and step (its value is clamped into the bounds)."""

    min: float
    max: float
    step: float

    def clamp(self, value: float) -> float:
        return min(self.max, max(self.min, float(value)))


#: The sliders' ranges when a view opens (distance grows to fit the scene).
DEFAULT_RANGES = {
    "azimuth": SliderRange(-180.0, 180.0, 0.5),
    "elevation": SliderRange(-MAX_ELEVATION, MAX_ELEVATION, 0.5),
    "distance": SliderRange(0.01, 1.0, 0.01),
    "fov": SliderRange(10.0, 120.0, 0.5),
}


@dataclass(frozen=True)
class ThreePose:
    """A three.js camera state: ``position`` (three.js frame), ``quaternion`` (x, y, z, w,
    three.js order), the matching ``rotation`` (Euler XYZ) and ``fov`` (degrees)."""

    position: Vec3
    quaternion: Quat
    rotation: tuple[float, float, float, str]
    fov: float


@dataclass
class Update:
    """What the kernel must send to the browser after one message (all optional).

    Attributes:
        pose: a new camera pose to show.
        origin: a new world position of the three.js origin: shift the content to
            ``-origin`` and put the orbit target back at the three.js origin.
        sliders: slider values to set, by name.
        distance_range: new bounds and step of the distance slider (set before values).
        moved: the eye moved (Gaussians may need re-sorting).
    """

    pose: ThreePose | None = None
    origin: np.ndarray | None = None
    sliders: dict[str, float] = field(default_factory=dict)
    distance_range: SliderRange | None = None
    moved: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to send."""
        return (
            self.pose is None
            and self.origin is None
            and not self.sliders
            and self.distance_range is None
        )


class CameraSync:
    """The camera and slider state of one live view, and the echo rules.

    Kernel side: :meth:`show` (go to an orbit), :meth:`kernel_slider` (Python code set a
    slider). Browser side: :meth:`browser_slider`, :meth:`browser_camera`,
    :meth:`browser_target`. Each returns the :class:`Update` to send and keeps the state
    (what both sides show now) current; :attr:`orbit` and :meth:`camera` read it.

    Args:
        width, height: canvas size in pixels (the camera's aspect).
        near, far: clip distances of the three.js camera.
    """

    def __init__(self, width: int, height: int, near: float, far: float):
        self.size = (int(width), int(height))
        self.near, self.far = float(near), float(far)
        #: world position of the three.js origin (= the orbit target)
        self.origin = np.zeros(3)
        #: the three.js camera and controls target as both sides last agreed (three.js frame)
        self.pose: ThreePose | None = None
        self.target: Vec3 = (0.0, 0.0, 0.0)
        self.ranges = dict(DEFAULT_RANGES)
        self.sliders = {name: self.ranges[name].clamp(0.0) for name in SLIDERS}
        self._poses_sent: collections.deque = collections.deque(maxlen=HISTORY)
        self._slider_sent = {name: collections.deque(maxlen=HISTORY) for name in SLIDERS}

    # ---- reading ------------------------------------------------------------------
    def world(self, p) -> np.ndarray:
        """(3,) float64 world point of the three.js point ``p``."""
        return np.asarray(p, np.float64) + self.origin

    @property
    def eye(self) -> np.ndarray:
        """(3,) world position of the camera."""
        return self.world(self.pose.position)

    @property
    def orbit(self) -> Orbit:
        """The orbit the browser's camera and target show now (world frame)."""
        return orbit_from_position(self.eye, self.world(self.target), self.pose.fov)

    def camera(self) -> Camera:
        """The browser's camera as a :class:`~worldnb.Camera` at the canvas size."""
        p = self.pose
        return camera_from_three(self.eye, p.quaternion, p.fov, *self.size, self.near, self.far)

    # ---- kernel side ----------------------------------------------------------------
    def show(self, orbit: Orbit) -> Update:
        """Go to ``orbit``: the camera pose, the content shift and the slider values."""
        el = max(-MAX_ELEVATION, min(MAX_ELEVATION, orbit.elevation))
        orbit = Orbit(orbit.target, orbit.azimuth, el, orbit.distance, orbit.fov)
        position, quaternion = three_pose(orbit.camera(*self.size, self.near, self.far))
        target = np.asarray(orbit.target, np.float64)
        pose = ThreePose(
            tuple(float(v) for v in np.asarray(position) - target),
            tuple(float(v) for v in quaternion),
            euler_xyz(quaternion),
            float(orbit.fov),
        )
        self.pose, self.origin, self.target = pose, target, (0.0, 0.0, 0.0)
        self._poses_sent.append((pose.position, pose.quaternion))
        update = Update(pose=pose, origin=target, moved=True)
        self._slider_update(orbit, update)
        return update

    def kernel_slider(self, name: str, value: float) -> Update:
        """Python code set slider ``name`` to ``value``: move the camera there (the
        browser will echo the value, so it is remembered)."""
        self.sliders[name] = float(value)
        self._slider_sent[name].append(float(value))
        return self._show_with(name, value)

    # ---- browser side -------------------------------------------------------------
    def browser_slider(self, name: str, value: float) -> Update:
        """The browser moved slider ``name`` to ``value``.

        An echo of a value the kernel set (snapped to the slider's step) is not a move:
        nothing happens, except that a stale echo (older than the last value sent) is
        answered with the last value again. A real move forgets the history and moves
        the camera.
        """
        self.sliders[name] = float(value)
        sent = self._slider_sent[name]
        tol = 0.5 * self.ranges[name].step + 1e-9 * (1.0 + abs(value))
        echo = [i for i, v in enumerate(sent) if abs(value - v) <= tol]
        if echo:
            if echo[-1] == len(sent) - 1:
                return Update()
            self.sliders[name] = sent[-1]
            return Update(sliders={name: sent[-1]})
        sent.clear()
        return self._show_with(name, value)

    def browser_camera(self, position, quaternion) -> Update:
        """The browser's camera moved (OrbitControls, or an echo of a kernel pose)."""
        pose = (tuple(float(v) for v in position), tuple(float(v) for v in quaternion))
        if pose in self._poses_sent and pose != self._poses_sent[-1]:
            # a stale echo: show the last pose sent again
            self.pose = self._pose(*self._poses_sent[-1], self.pose.fov)
            return Update(pose=self.pose)
        self.pose = self._pose(*pose, self.pose.fov)
        return self._browser_moved()

    def browser_target(self, target) -> Update:
        """The browser's OrbitControls target moved (a pan)."""
        self.target = tuple(float(v) for v in target)
        return self._browser_moved()

    # ---- internals ----------------------------------------------------------------
    @staticmethod
    def _pose(position: Vec3, quaternion: Quat, fov: float) -> ThreePose:
        return ThreePose(position, quaternion, euler_xyz(quaternion), float(fov))

    def _browser_moved(self) -> Update:
        # The camera always looks at the target; when it does not, the other half of a
        # drag's two messages is still on its way.
        if not looks_at(self.pose.position, self.pose.quaternion, self.target):
            return Update()
        if any(v != 0 for v in self.target):
            # a pan: re-centre (content shifted, target back at the origin; same picture)
            return self.show(self.orbit)
        update = Update(moved=True)
        self._slider_update(self.orbit, update)
        return update

    def _show_with(self, name: str, value: float) -> Update:
        o = self.orbit
        values = {"azimuth": o.azimuth, "elevation": o.elevation, "distance": o.distance}
        values["fov"] = o.fov
        values[name] = float(value)
        return self.show(Orbit(o.target, **values))

    def _slider_update(self, orbit: Orbit, update: Update) -> None:
        """Slider values (and the distance range) for ``orbit``; values that differ from
        the sliders' only by float noise are not sent."""
        d = orbit.distance
        rng = self.ranges["distance"]
        if not (rng.min <= d <= rng.max):
            lo, hi = min(rng.min, d / 4), max(rng.max, d * 4)
            step = 10 ** math.floor(math.log10(max(hi / 500, 1e-4)))
            self.ranges["distance"] = update.distance_range = SliderRange(max(lo, 1e-3), hi, step)
        wanted = {
            "azimuth": (orbit.azimuth + 180.0) % 360.0 - 180.0,
            "elevation": orbit.elevation,
            "distance": d,
            "fov": orbit.fov,
        }
        for name in SLIDERS:
            value = self.ranges[name].clamp(wanted[name])
            if abs(self.sliders[name] - value) <= 1e-6 * (1.0 + abs(value)):
                continue  # float32 noise of the camera pose only: nothing to send
            self.sliders[name] = value
            self._slider_sent[name].append(value)
            update.sliders[name] = value
