"""glTF 2.0 binary (``.glb``) export.

Export (y-up, metres: the world frame is glTF's, so no axis change):

- :class:`Mesh` layers → triangle meshes with ``POSITION``, ``COLOR_0`` (RGBA uint8,
  normalised) and, when the mesh has a texture, ``TEXCOORD_0`` + an embedded PNG as
  the base-colour texture. Materials are rough, non-metallic and double-sided.
- :class:`PointCloud` layers → ``POINTS`` primitives with ``COLOR_0`` (and ``NORMAL``
  when every normal is non-zero); :class:`Gaussians` layers → ``POINTS`` at their
  means with their base colours (a GLB has no splats).
- objects → one ``LINES`` box (12 edges) each, node named ``"<label> <id>"``, mesh
  named after the label; the room → a ``LINES`` outline (floor, ceiling, corners).
- cameras → glTF perspective cameras on nodes. glTF cameras look down −Z with +Y up
  (the OpenGL convention), so each node's pose is
  :func:`worldnb.scene.camera.opencv_to_opengl` of ``T_world_camera``.
- ``scenes[0].extras.worldnb`` holds the room, objects and cameras as the
  :mod:`.scene_json` record, so a worldnb GLB reads back its boxes and exact
  intrinsics. Layer nodes are named after their layer.

Every exported file passes the Khronos glTF validator with zero errors (tested).

Import: :mod:`.gltf_read`.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np

from ...errors import InputError
from ...transforms import matrix_to_quat, wxyz_to_xyzw
from ...version import __version__
from ..camera import opencv_to_opengl
from ..geometry import Gaussians, Mesh, PointCloud
from ..scene import Scene
from ._files import as_path, atomic_write, check_scene
from ._glb_builder import (
    ARRAY_BUFFER,
    ELEMENT_ARRAY_BUFFER,
    LINES,
    POINTS,
    TRIANGLES,
    GlbBuilder,
)
from .scene_json import scene_to_json_dict

__all__ = ["glb_bytes", "save_glb"]

_BOX_EDGES = np.array(
    [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
        [0, 2],
        [1, 3],
        [4, 6],
        [5, 7],
        [0, 4],
        [1, 5],
        [2, 6],
        [3, 7],
    ],
    np.uint16,
)


# ---- writing ----------------------------------------------------------------------------
def _rgba_u8(colors: np.ndarray) -> np.ndarray:
    rgb = np.clip(np.round(colors.astype(np.float64) * 255.0), 0, 255).astype(np.uint8)
    return np.concatenate([rgb, np.full((len(rgb), 1), 255, np.uint8)], axis=1)


def _material(b: GlbBuilder, name: str, color=(1.0, 1.0, 1.0, 1.0), texture: int | None = None):
    pbr = {"baseColorFactor": list(color), "metallicFactor": 0.0, "roughnessFactor": 1.0}
    if texture is not None:
        pbr["baseColorTexture"] = {"index": texture}
    return b.add("materials", {"name": name, "pbrMetallicRoughness": pbr, "doubleSided": True})


def _texture(b: GlbBuilder, image: np.ndarray) -> int:
    from PIL import Image

    png = io.BytesIO()
    Image.fromarray(np.clip(np.round(image * 255.0), 0, 255).astype(np.uint8)).save(png, "PNG")
    img = b.add("images", {"bufferView": b.view(png.getvalue()), "mimeType": "image/png"})
    if "samplers" not in b.gltf:
        b.add("samplers", {"magFilter": 9729, "minFilter": 9729})
    return b.add("textures", {"source": img, "sampler": 0})


def _mesh_primitive(b: GlbBuilder, m: Mesh, name: str, default_material: int) -> dict | None:
    if len(m.faces) == 0:
        return None
    attrs = {"POSITION": b.accessor(m.vertices, target=ARRAY_BUFFER, bounds=True)}
    if m.vertex_colors is not None:
        attrs["COLOR_0"] = b.accessor(
            _rgba_u8(m.vertex_colors), target=ARRAY_BUFFER, normalized=True
        )
    material = default_material
    if m.texture is not None and m.uv is not None:
        attrs["TEXCOORD_0"] = b.accessor(m.uv, target=ARRAY_BUFFER)
        material = _material(b, f"{name} texture", texture=_texture(b, m.texture))
    indices = b.accessor(m.faces.astype(np.uint32).reshape(-1), target=ELEMENT_ARRAY_BUFFER)
    return {"attributes": attrs, "indices": indices, "mode": TRIANGLES, "material": material}


def _points_primitive(b: GlbBuilder, xyz, rgb, normals, material: int) -> dict | None:
    if len(xyz) == 0:
        return None
    attrs = {"POSITION": b.accessor(xyz, target=ARRAY_BUFFER, bounds=True)}
    # _rgba_u8 clips: Gaussians' base colours may leave [0, 1]
    attrs["COLOR_0"] = b.accessor(_rgba_u8(rgb), target=ARRAY_BUFFER, normalized=True)
    if normals is not None:
        norm = np.linalg.norm(normals.astype(np.float64), axis=1, keepdims=True)
        if np.all(norm > 1e-12):
            attrs["NORMAL"] = b.accessor((normals / norm).astype(np.float32), target=ARRAY_BUFFER)
    return {"attributes": attrs, "mode": POINTS, "material": material}


def _lines_primitive(b: GlbBuilder, xyz: np.ndarray, edges: np.ndarray, material: int) -> dict:
    return {
        "attributes": {
            "POSITION": b.accessor(xyz.astype(np.float32), target=ARRAY_BUFFER, bounds=True)
        },
        "indices": b.accessor(edges.astype(np.uint16).reshape(-1), target=ELEMENT_ARRAY_BUFFER),
        "mode": LINES,
        "material": material,
    }


def _room_outline(room) -> tuple[np.ndarray, np.ndarray]:
    xz = room.floor_xz.astype(np.float32)
    k = len(xz)
    floor = np.stack([xz[:, 0], np.zeros(k, np.float32), xz[:, 1]], 1)
    ceil = floor + np.array([0, room.height, 0], np.float32)
    ring = np.stack([np.arange(k), (np.arange(k) + 1) % k], 1)
    edges = np.concatenate([ring, ring + k, np.stack([np.arange(k), np.arange(k) + k], 1)])
    return np.concatenate([floor, ceil]), edges


def glb_bytes(
    scene: Scene,
    *,
    layers: list[str] | None = None,
    boxes: bool = True,
    room: bool = True,
    cameras: bool = True,
) -> bytes:
    """A scene as GLB bytes (see the module docstring for what goes where).

    Args:
        scene: the scene.
        layers: names of the layers to include (default: all).
        boxes: include object boxes as line sets.
        room: include the room outline as a line set.
        cameras: include the cameras.
    """
    check_scene(scene)
    b = GlbBuilder(f"worldnb {__version__}")
    roots: list[int] = []
    if isinstance(layers, str):
        layers = [layers]
    names = list(scene.layers) if layers is None else list(layers)
    for name in names:
        if name not in scene.layers:
            raise InputError(f"layers: no layer {name!r}; layers are {', '.join(scene.layers)}")
    surface = _material(b, "surface") if names else None
    for name in names:
        lay = scene.layers[name]
        if isinstance(lay, Mesh):
            prim = _mesh_primitive(b, lay, name, surface)
        elif isinstance(lay, PointCloud):
            prim = _points_primitive(b, lay.xyz, lay.rgb, lay.normals, surface)
        else:
            assert isinstance(lay, Gaussians)
            prim = _points_primitive(b, lay.means, lay.colors, None, surface)
        if prim is None:
            continue  # glTF has no empty accessors
        mesh = b.add("meshes", {"name": name, "primitives": [prim]})
        roots.append(
            b.add("nodes", {"name": name, "mesh": mesh, "extras": {"worldnb_kind": lay.kind}})
        )
    if boxes and scene.objects:
        mat = _material(b, "object boxes", (1.0, 0.55, 0.1, 1.0))
        for obj in scene.objects:
            prim = _lines_primitive(b, obj.box.corners(), _BOX_EDGES, mat)
            mesh = b.add("meshes", {"name": obj.label, "primitives": [prim]})
            node = {
                "name": f"{obj.label} {obj.id}",
                "mesh": mesh,
                "extras": {"worldnb_object_id": obj.id},
            }
            roots.append(b.add("nodes", node))
    if room and scene.room is not None:
        xyz, edges = _room_outline(scene.room)
        prim = _lines_primitive(b, xyz, edges, _material(b, "room outline", (0.6, 0.6, 0.6, 1.0)))
        roots.append(
            b.add(
                "nodes",
                {"name": "room", "mesh": b.add("meshes", {"name": "room", "primitives": [prim]})},
            )
        )
    if cameras:
        for name, cam in scene.cameras.items():
            T = opencv_to_opengl(cam.T_world_camera).astype(np.float64)
            persp = {
                "yfov": math.radians(cam.fov_y_deg),
                "aspectRatio": cam.width / cam.height,
                "znear": cam.near,
                "zfar": cam.far,
            }
            ci = b.add("cameras", {"name": name, "type": "perspective", "perspective": persp})
            node = {
                "name": name,
                "camera": ci,
                "translation": [float(x) for x in T[:3, 3]],
                "rotation": [float(x) for x in wxyz_to_xyzw(matrix_to_quat(T[:3, :3]))],
            }
            roots.append(b.add("nodes", node))
    record = scene_to_json_dict(scene, cameras=cameras)
    sc: dict = {"name": "worldnb scene", "extras": {"worldnb": record}}
    if roots:
        sc["nodes"] = roots
    b.gltf["scene"] = b.add("scenes", sc)
    return b.to_bytes()


def save_glb(
    scene: Scene,
    path,
    *,
    layers: list[str] | None = None,
    boxes: bool = True,
    room: bool = True,
    cameras: bool = True,
) -> Path:
    """Export a scene to ``.glb`` (atomically); options as for :func:`glb_bytes`."""
    path = as_path(path)
    data = glb_bytes(scene, layers=layers, boxes=boxes, room=room, cameras=cameras)
    return atomic_write(path, lambda f: f.write(data))
