"""Pinhole cameras: intrinsics in pixels, pose camera→world, OpenCV camera frame.

Camera frame is OpenCV (x right, y down, z forward); world is +Y up, metres.
:func:`opencv_to_opengl` is the one place that converts to the OpenGL/three.js
camera frame (x right, y up, z back).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from ..transforms import matrix_to_quat, wxyz_to_xyzw
from .validate import as_array, as_int, as_positive

__all__ = ["Camera", "opencv_to_opengl"]

#: T_cv_gl: maps OpenGL-camera coordinates into OpenCV-camera coordinates (and back: it is
#: its own inverse). A 180° turn about the camera's x axis.
_FLIP_YZ = np.diag([1.0, -1.0, -1.0, 1.0]).astype(np.float32)


def opencv_to_opengl(T_world_cv: np.ndarray) -> np.ndarray:
    """Pose of an OpenCV camera (x right, y down, z forward) → pose of the same camera in
    the OpenGL / three.js convention (x right, y up, z back).

    Args:
        T_world_cv: (4, 4) camera→world pose, OpenCV camera axes.

    Returns:
        (4, 4) float32 camera→world pose, OpenGL camera axes. Applying it twice
        returns the input (the flip is an involution).
    """
    T = as_array("T_world_cv", T_world_cv, (4, 4), np.float64)
    return (T @ _FLIP_YZ.astype(np.float64)).astype(np.float32)


def _check_pose(name: str, T) -> np.ndarray:
    T = as_array(name, T, (4, 4), np.float64)
    R = T[:3, :3]
    if not np.allclose(T[3], [0, 0, 0, 1], atol=1e-5):
        raise InputError(f"{name}: last row must be [0, 0, 0, 1], got {T[3].tolist()}")
    if not np.allclose(R @ R.T, np.eye(3), atol=1e-4) or np.linalg.det(R) < 0:
        raise InputError(f"{name}: the 3×3 block must be a rotation (orthonormal, det +1)")
    return T.astype(np.float32)


class Camera:
    """A pinhole camera.

    Args:
        K: (3, 3) intrinsics in pixels ``[[fx, 0, cx], [0, fy, cy], [0, 0, 1]]``;
            pixel centres sit at ``+0.5`` (pixel (row 0, col 0) has centre u=0.5, v=0.5).
        width: image width in pixels.
        height: image height in pixels.
        T_world_camera: (4, 4) camera→world pose, OpenCV camera axes. Identity if None.
        near: near clip distance (m), used by renderers and the three.js view.
        far: far clip distance (m).

    Example:
        >>> cam = Camera.look_at(eye=(0, 1.6, 3), target=(0, 1, 0), width=64, height=48)
        >>> uv, depth = cam.project([[0, 1, 0]])
        >>> bool(abs(uv[0, 0] - 32) < 1e-3)
        True
    """

    def __init__(
        self,
        K: ArrayLike,
        width: int,
        height: int,
        T_world_camera: ArrayLike | None = None,
        near: float = 0.01,
        far: float = 100.0,
    ):
        self.width = as_int("width", width)
        self.height = as_int("height", height)
        K = as_array("K", K, (3, 3))
        if K[0, 0] <= 0 or K[1, 1] <= 0:
            raise InputError(f"K: focal lengths must be positive, got fx={K[0, 0]}, fy={K[1, 1]}")
        if not np.allclose(K[2], [0, 0, 1]) or K[1, 0] != 0:
            raise InputError(f"K: expected [[fx, s, cx], [0, fy, cy], [0, 0, 1]], got {K.tolist()}")
        self.K = K
        self.T_world_camera = _check_pose(
            "T_world_camera", np.eye(4) if T_world_camera is None else T_world_camera
        )
        self.near = as_positive("near", near)
        self.far = as_positive("far", far)
        if self.far <= self.near:
            raise InputError(f"far ({far}) must be greater than near ({near})")

    # ---- constructors -------------------------------------------------------------
    @classmethod
    def from_fov(
        cls, fov_y_deg: float, width: int, height: int, T_world_camera=None, **kw
    ) -> Camera:
        """A centred camera with square pixels and the given vertical field of view."""
        fov = as_positive("fov_y_deg", fov_y_deg)
        if fov >= 180:
            raise InputError(f"fov_y_deg: expected a value in (0, 180), got {fov_y_deg}")
        width, height = as_int("width", width), as_int("height", height)
        f = 0.5 * height / math.tan(math.radians(fov) / 2)
        K = [[f, 0, width / 2], [0, f, height / 2], [0, 0, 1]]
        return cls(K, width, height, T_world_camera, **kw)

    @classmethod
    def look_at(
        cls,
        eye: Sequence[float],
        target: Sequence[float],
        up: Sequence[float] = (0, 1, 0),
        fov_y_deg: float = 60.0,
        width: int = 512,
        height: int = 512,
        **kw,
    ) -> Camera:
        """A camera at ``eye`` looking at ``target`` with ``up`` pointing up in the image."""
        eye = as_array("eye", eye, (3,), np.float64)
        target = as_array("target", target, (3,), np.float64)
        up = as_array("up", up, (3,), np.float64)
        fwd = target - eye
        if np.linalg.norm(fwd) < 1e-9:
            raise InputError("look_at: eye and target coincide; give a target away from the eye")
        fwd /= np.linalg.norm(fwd)
        right = np.cross(fwd, up)
        if np.linalg.norm(right) < 1e-9:
            raise InputError("look_at: the view direction is parallel to `up`; pass another up")
        right /= np.linalg.norm(right)
        down = np.cross(fwd, right)
        T = np.eye(4)
        T[:3, 0], T[:3, 1], T[:3, 2], T[:3, 3] = right, down, fwd, eye
        return cls.from_fov(fov_y_deg, width, height, T, **kw)

    # ---- derived ------------------------------------------------------------------
    @property
    def fx(self) -> float:
        """Horizontal focal length in pixels (``K[0, 0]``)."""
        return float(self.K[0, 0])

    @property
    def fy(self) -> float:
        """Vertical focal length in pixels (``K[1, 1]``)."""
        return float(self.K[1, 1])

    @property
    def cx(self) -> float:
        """Principal point column in pixels (``K[0, 2]``; pixel centres at +0.5)."""
        return float(self.K[0, 2])

    @property
    def cy(self) -> float:
        """Principal point row in pixels (``K[1, 2]``)."""
        return float(self.K[1, 2])

    @property
    def fov_y_deg(self) -> float:
        """Vertical field of view in degrees."""
        return math.degrees(2 * math.atan(0.5 * self.height / self.fy))

    @property
    def fov_x_deg(self) -> float:
        """Horizontal field of view in degrees."""
        return math.degrees(2 * math.atan(0.5 * self.width / self.fx))

    @property
    def position(self) -> np.ndarray:
        """(3,) camera centre in world coordinates."""
        return self.T_world_camera[:3, 3].copy()

    @property
    def forward(self) -> np.ndarray:
        """(3,) viewing direction (camera +z) in world coordinates."""
        return self.T_world_camera[:3, 2].copy()

    @property
    def T_camera_world(self) -> np.ndarray:
        """(4, 4) world→camera transform."""
        return np.linalg.inv(self.T_world_camera.astype(np.float64)).astype(np.float32)

    def with_pose(self, T_world_camera) -> Camera:
        """The same intrinsics at another pose."""
        return Camera(self.K, self.width, self.height, T_world_camera, self.near, self.far)

    def resized(self, width: int, height: int) -> Camera:
        """The same camera for an image resized to ``width`` × ``height`` (K scaled)."""
        width, height = as_int("width", width), as_int("height", height)
        S = np.diag([width / self.width, height / self.height, 1.0])
        return Camera(S @ self.K, width, height, self.T_world_camera, self.near, self.far)

    # ---- geometry -----------------------------------------------------------------
    def project(self, xyz) -> tuple[np.ndarray, np.ndarray]:
        """World points → pixel coordinates.

        Args:
            xyz: (N, 3) world points.

        Returns:
            ``uv`` (N, 2) float32 pixel coordinates (u = column, v = row; pixel
            centres at +0.5) and ``depth`` (N,) float32 camera z in metres (≤ 0 means
            behind the camera; its uv is then meaningless).
        """
        xyz = as_array("xyz", xyz, (None, 3), np.float64)
        T = self.T_camera_world.astype(np.float64)
        pc = xyz @ T[:3, :3].T + T[:3, 3]
        z = pc[:, 2]
        safe = np.where(np.abs(z) < 1e-12, 1e-12, z)
        K = self.K.astype(np.float64)
        u = (K[0, 0] * pc[:, 0] + K[0, 1] * pc[:, 1]) / safe + K[0, 2]
        v = K[1, 1] * pc[:, 1] / safe + K[1, 2]
        return np.stack([u, v], -1).astype(np.float32), z.astype(np.float32)

    def pixel_rays(self) -> np.ndarray:
        """(H, W, 3) float32 camera-frame ray directions with z = 1 through pixel centres."""
        K = self.K.astype(np.float64)
        v, u = np.meshgrid(np.arange(self.height) + 0.5, np.arange(self.width) + 0.5, indexing="ij")
        y = (v - K[1, 2]) / K[1, 1]
        x = (u - K[0, 2] - K[0, 1] * y) / K[0, 0]
        return np.stack([x, y, np.ones_like(x)], -1).astype(np.float32)

    def unproject(self, depth) -> np.ndarray:
        """Depth map (camera z, metres) → (H, W, 3) float32 world points at pixel centres.

        Non-finite depth (e.g. ``inf`` for empty pixels) gives non-finite points.
        """
        depth = as_array("depth", depth, (self.height, self.width), np.float64, finite=False)
        with np.errstate(invalid="ignore"):
            pc = self.pixel_rays().astype(np.float64) * depth[..., None]
            T = self.T_world_camera.astype(np.float64)
            return (pc @ T[:3, :3].T + T[:3, 3]).astype(np.float32)

    # ---- conversions --------------------------------------------------------------
    def to_threejs(self) -> dict:
        """The matching three.js PerspectiveCamera settings.

        Returns:
            dict with ``position`` [x, y, z], ``quaternion`` [x, y, z, w] (OpenGL camera
            axes), ``up`` (the camera's up axis in world coordinates), ``fov`` (vertical,
            degrees), ``aspect``, ``near``, ``far``. three.js has no principal-point
            offset: an off-centre ``cx, cy`` is not represented.
        """
        T_gl = opencv_to_opengl(self.T_world_camera).astype(np.float64)
        q = wxyz_to_xyzw(matrix_to_quat(T_gl[:3, :3]))
        return {
            "position": [float(x) for x in T_gl[:3, 3]],
            "quaternion": [float(x) for x in q],
            "up": [float(x) for x in T_gl[:3, 1]],
            "fov": self.fov_y_deg,
            "aspect": self.width / self.height,
            "near": self.near,
            "far": self.far,
        }

    def to_dict(self) -> dict:
        """Plain-JSON record: ``K``, ``width``, ``height``, ``T_world_camera``, near, far."""
        return {
            "K": self.K.tolist(),
            "width": self.width,
            "height": self.height,
            "T_world_camera": self.T_world_camera.tolist(),
            "near": self.near,
            "far": self.far,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Camera:
        """The camera :meth:`to_dict` describes (InputError if a field is missing or bad)."""
        try:
            return cls(
                d["K"],
                d["width"],
                d["height"],
                d["T_world_camera"],
                d.get("near", 0.01),
                d.get("far", 100.0),
            )
        except (KeyError, TypeError) as exc:
            raise InputError(f"camera dict is missing or has a bad field: {exc}") from None

    def __eq__(self, other) -> bool:
        if not isinstance(other, Camera):
            return NotImplemented
        return (
            self.width == other.width
            and self.height == other.height
            and np.allclose(self.K, other.K, atol=1e-5)
            and np.allclose(self.T_world_camera, other.T_world_camera, atol=1e-5)
            and math.isclose(self.near, other.near)
            and math.isclose(self.far, other.far)
        )

    __hash__ = None  # mutable arrays inside

    def __repr__(self) -> str:
        p = ", ".join(f"{x:.3g}" for x in self.position)
        return f"Camera({self.width}×{self.height}, fov_y={self.fov_y_deg:.1f}°, position=({p}))"
