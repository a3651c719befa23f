"""The scene model: cameras, geometry layers, boxes, rooms, objects, scenes, and their I/O.

Depends on nothing else in worldnb.
"""

from .box import OrientedBox, yaw_rotation
from .camera import Camera, opencv_to_opengl
from .geometry import SH_C0, Gaussians, Mesh, PointCloud
from .room import Opening, Room, Wall
from .scene import Scene, SceneObject

__all__ = [
    "SH_C0",
    "Camera",
    "Gaussians",
    "Mesh",
    "Opening",
    "OrientedBox",
    "PointCloud",
    "Room",
    "Scene",
    "SceneObject",
    "Wall",
    "load",
    "opencv_to_opengl",
    "yaw_rotation",
]


def load(path, **options) -> Scene:
    """Load a scene: ``.wnb`` (saved by :meth:`Scene.save`), or import ``.ply``,
    ``.glb`` / ``.gltf`` or ``.json``."""
    from .io import load as _load

    return _load(path, **options)
