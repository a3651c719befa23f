"""The scene model: cameras, geometry layers, boxes, rooms, objects, scenes, and their I/O.

At import it depends only on the bottom layer (:mod:`worldnb.errors`,
:mod:`worldnb.transforms`, :mod:`worldnb.version`). Four conveniences on
:class:`Scene` reach engines above it and import them when called, never at module
level: :meth:`Scene.show` and :meth:`Scene.to_html` (:mod:`worldnb.widgets`),
:meth:`Scene.ask` and :meth:`Scene.find` (:mod:`worldnb.spatial`).
``tests/test_layers.py`` checks that nothing else points up.
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
    ``.glb`` / ``.gltf``, ``.json``, or a SpatialLM layout (``format="spatiallm"``)."""
    from .io import load as _load

    return _load(path, **options)
