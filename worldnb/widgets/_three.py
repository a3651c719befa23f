"""Builders: scene parts → pythreejs objects. One function per kind of thing shown.

Every array goes into a ``BufferAttribute`` / ``DataTexture`` as float32, uint8 or
uint32 numpy data, which ipywidgets sends as binary buffers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pythreejs as three

from ..scene.geometry import Gaussians, Mesh, PointCloud
from ..scene.room import Room
from ..transforms import triangulate_polygon
from . import _buffers
from ._shaders import GAUSSIAN_FRAGMENT, GAUSSIAN_VERTEX

__all__ = [
    "LayerView",
    "ObjectView",
    "build_frustum",
    "build_layer",
    "build_object",
    "build_room",
    "object_color",
]

#: Scene convention: a mesh layer of this name is the room shell, faces turned inwards.
ROOM_LAYER = "room"
DEFAULT_MESH_COLOR = (0.75, 0.75, 0.75)
EDGE_COLOR = "#555555"
LABEL_COLOR = "#222222"
FLOOR_COLOR = "#d8ccb4"
WALL_COLOR = "#e4e4e4"
#: Solid boxes of objects without a colour: the grey :func:`worldnb.render` draws them in.
OBJECT_GREY = "#b3b3b3"
OPENING_COLORS = {"door": "#8b5a2b", "window": "#3a7bd5"}


def attr(array: np.ndarray, normalized: bool = False) -> three.BufferAttribute:
    """A BufferAttribute over a contiguous float32 / uint8 / uint32 array (sent as binary)."""
    arr = np.ascontiguousarray(array)
    if arr.dtype not in (np.float32, np.uint8, np.uint32):
        raise TypeError(f"internal: browser arrays must be float32/uint8/uint32, got {arr.dtype}")
    return three.BufferAttribute(array=arr, normalized=normalized)


@dataclass
class LayerView:
    """A scene layer as shown: its three.js object and what highlighting needs.

    Attributes:
        name: layer name in the scene.
        kind: ``"points"``, ``"mesh"`` or ``"gaussians"``.
        obj: the pythreejs object (Points / Mesh).
        shown: number of items drawn (points, faces or Gaussians).
        total: number of items in the layer.
        vertex_instance: (V,) int32 object id per drawn vertex, or None.
        base_colors: (V, 3) uint8 colours without highlight, or None.
        means: (N, 3) float32 Gaussian centres shown (for back-to-front sorting).
    """

    name: str
    kind: str
    obj: three.Object3D
    shown: int
    total: int
    unit: str
    vertex_instance: np.ndarray | None = None
    base_colors: np.ndarray | None = None
    means: np.ndarray | None = None
    sorted_from: np.ndarray | None = field(default=None, repr=False)

    @property
    def note(self) -> str | None:
        """ "showing 1,000,000 of 3,400,000 points in 'cloud'" when decimated, else None."""
        if self.shown == self.total:
            return None
        return f"showing {self.shown:,} of {self.total:,} {self.unit} in {self.name!r}"


def _points(name: str, layer: PointCloud, max_points: int | None, point_size: float) -> LayerView:
    keep = _buffers.decimate(len(layer), max_points)
    xyz, rgb, inst = layer.xyz, layer.rgb, layer.instance
    if keep is not None:
        xyz, rgb = xyz[keep], rgb[keep]
        inst = None if inst is None else inst[keep]
    colors = _buffers.colors_u8(rgb)
    geometry = three.BufferGeometry(
        attributes={"position": attr(xyz.astype(np.float32)), "color": attr(colors, True)}
    )
    material = three.PointsMaterial(
        size=float(point_size), sizeAttenuation=False, vertexColors="VertexColors"
    )
    obj = three.Points(geometry=geometry, material=material, name=name)
    return LayerView(name, "points", obj, len(xyz), len(layer), "points", inst, colors)


def _mesh(name: str, layer: Mesh, max_faces: int | None) -> LayerView:
    faces, inst = layer.faces, layer.instance
    keep = _buffers.decimate(len(faces), max_faces)
    if keep is not None:
        faces = faces[keep]
        inst = None if inst is None else inst[keep]
    if inst is not None:
        vidx, vinst, faces_u32 = _buffers.split_by_instance(faces, inst)
    else:
        vidx = np.unique(faces) if keep is not None else np.arange(len(layer.vertices))
        remap = np.zeros(len(layer.vertices), np.int64)
        remap[vidx] = np.arange(len(vidx))
        faces_u32, vinst = remap[faces].astype(np.uint32), None
    vertices = layer.vertices[vidx].astype(np.float32)
    if layer.vertex_colors is not None:
        colors = _buffers.colors_u8(layer.vertex_colors[vidx])
    else:
        colors = np.tile(_buffers.colors_u8(np.array([DEFAULT_MESH_COLOR])), (len(vidx), 1))
    attributes = {"position": attr(vertices), "color": attr(colors, True)}
    material_kw: dict = {}
    if layer.texture is not None and layer.uv is not None:
        attributes["uv"] = attr(layer.uv[vidx].astype(np.float32))
        material_kw["map"] = three.DataTexture(
            data=_buffers.texture_rgba(layer.texture),
            format="RGBAFormat",
            type="UnsignedByteType",
            minFilter="LinearFilter",
            magFilter="LinearFilter",
        )
        colors[:] = 255  # the texture gives the colour; vertex colours multiply it
        attributes["color"] = attr(colors, True)
    geometry = three.BufferGeometry(attributes=attributes, index=attr(faces_u32.ravel()))
    material = three.MeshPhongMaterial(
        vertexColors="VertexColors",
        flatShading=True,
        specular="#000000",
        shininess=0,
        # The room shell (layer "room", faces turned inwards) is drawn one-sided, so
        # walls between the viewer and the room vanish; other meshes from both sides.
        side="FrontSide" if name == ROOM_LAYER else "DoubleSide",
        **material_kw,
    )
    obj = three.Mesh(geometry=geometry, material=material, name=name)
    return LayerView(name, "mesh", obj, len(faces), len(layer.faces), "faces", vinst, colors)


def _gaussians(
    name: str, layer: Gaussians, max_gaussians: int | None, viewport: tuple[int, int], eye
) -> LayerView:
    keep = _buffers.decimate(len(layer), max_gaussians)
    sel = slice(None) if keep is None else keep
    means = layer.means[sel]
    cov6 = _buffers.covariance_upper(layer.quats[sel], layer.scales[sel])
    quads = _buffers.gaussian_quads(
        means, cov6, np.clip(layer.colors[sel], 0, 1), layer.alphas[sel]
    )
    attributes = {k: attr(v, normalized=(k == "rgba")) for k, v in quads.items()}
    geometry = three.BufferGeometry(
        attributes=attributes, index=attr(_buffers.quad_order(means, eye))
    )
    material = three.ShaderMaterial(
        uniforms={"viewport": {"value": [float(viewport[0]), float(viewport[1])]}},
        vertexShader=GAUSSIAN_VERTEX,
        fragmentShader=GAUSSIAN_FRAGMENT,
        transparent=True,
        depthWrite=False,
        depthTest=True,
        blending="NormalBlending",
    )
    obj = three.Mesh(geometry=geometry, material=material, name=name, frustumCulled=False)
    view = LayerView(name, "gaussians", obj, len(means), len(layer), "Gaussians", means=means)
    view.sorted_from = np.asarray(eye, np.float64)
    return view


def build_layer(
    name: str,
    layer,
    *,
    max_points: int | None,
    max_faces: int | None,
    max_gaussians: int | None,
    point_size: float,
    viewport: tuple[int, int],
    eye,
) -> LayerView:
    """The three.js view of one scene layer (decimated to the given budgets)."""
    if isinstance(layer, PointCloud):
        return _points(name, layer, max_points, point_size)
    if isinstance(layer, Mesh):
        return _mesh(name, layer, max_faces)
    return _gaussians(name, layer, max_gaussians, viewport, eye)


def line_segments(points: np.ndarray, color: str) -> three.LineSegments:
    geometry = three.BufferGeometry(attributes={"position": attr(points.astype(np.float32))})
    return three.LineSegments(geometry=geometry, material=three.LineBasicMaterial(color=color))


def box_mesh(box, color: str, opacity: float) -> three.Mesh:
    """A translucent solid :class:`~worldnb.OrientedBox` (its 12 triangles)."""
    vertices, faces = box.triangles()
    geometry = three.BufferGeometry(
        attributes={"position": attr(vertices.astype(np.float32))},
        index=attr(faces.astype(np.uint32).ravel()),
    )
    material = three.MeshBasicMaterial(
        color=color, transparent=True, opacity=opacity, side="DoubleSide", depthWrite=False
    )
    return three.Mesh(geometry=geometry, material=material)


def label_sprite(text: str, position, height: float) -> three.Sprite:
    """A text label that always faces the camera, ``height`` metres tall."""
    texture = three.TextTexture(string=text, color=LABEL_COLOR, size=48, squareTexture=False)
    material = three.SpriteMaterial(map=texture, transparent=True, depthTest=False)
    width = height * (0.6 * len(text) + 0.4)
    return three.Sprite(
        material=material, position=tuple(float(x) for x in position), scale=(width, height, 1)
    )


@dataclass
class ObjectView:
    """An object as shown: box edges, label, a (hidden) fill used by highlighting and,
    for an object no layer draws, a solid box in its colour.

    Attributes:
        color: the object's ``attrs["color"]`` as ``"#rrggbb"`` (None: it has none).
        solid: the opaque box of an object that has no geometry in any layer, else None.
    """

    id: int
    group: three.Group
    edges: three.LineSegments
    label: three.Sprite
    fill: three.Mesh
    color: str | None = None
    solid: three.Mesh | None = None

    @property
    def edge_color(self) -> str:
        """Box edges: the object's colour, or dark grey."""
        return self.color or EDGE_COLOR

    @property
    def solid_color(self) -> str:
        """The solid box: the object's colour, or the offscreen renderer's grey."""
        return self.color or OBJECT_GREY


def object_color(obj) -> str | None:
    """``"#rrggbb"`` of a :class:`~worldnb.SceneObject`'s ``attrs["color"]`` (a CSS name,
    ``"#rgb"``/``"#rrggbb"`` or an RGB triple in [0, 1]); None when absent or unreadable,
    as :func:`worldnb.render` treats it (grey)."""
    color = obj.attrs.get("color")
    if color is None:
        return None
    if isinstance(color, str):
        from PIL import ImageColor

        try:
            rgb = ImageColor.getrgb(color)[:3]
        except ValueError:
            return None
    else:
        try:
            v = np.asarray(color, np.float64)
        except (TypeError, ValueError):
            return None
        if v.shape != (3,) or not np.all(np.isfinite(v)) or v.min() < 0 or v.max() > 1:
            return None
        rgb = tuple(int(np.rint(x * 255)) for x in v)
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def build_object(obj, label_height: float, solid: bool = False) -> ObjectView:
    """Box edges + a text label above the box for a :class:`~worldnb.SceneObject`; with
    ``solid``, also an opaque box in its colour (for an object that no layer draws)."""
    corners = obj.box.corners()
    color = object_color(obj)
    edges = line_segments(_buffers.box_edges(corners), color or EDGE_COLOR)
    top = np.array([obj.box.center[0], obj.box.top + 1.2 * label_height, obj.box.center[2]])
    label = label_sprite(obj.name, top, label_height)
    fill = box_mesh(obj.box, "#ffcc00", 0.35)
    fill.visible = False
    view = ObjectView(obj.id, three.Group(name=f"object {obj.id}"), edges, label, fill, color)
    if solid:
        v, f = obj.box.triangles()
        view.solid = _flat_mesh(v[f].reshape(-1, 3), view.solid_color, f"box {obj.id}")
    return view


def _quad(corners: np.ndarray, inward: np.ndarray) -> np.ndarray:
    """Two triangles (6, 3) over a planar quad (4, 3), front side facing ``inward``."""
    a, b, c, d = corners
    n = np.cross(b - a, c - a)
    tris = np.array([a, b, c, a, c, d]) if np.dot(n, inward) >= 0 else np.array([a, c, b, a, d, c])
    return tris.astype(np.float32)


def _flat_mesh(triangles: np.ndarray, color: str, name: str) -> three.Mesh:
    geometry = three.BufferGeometry(attributes={"position": attr(triangles.astype(np.float32))})
    material = three.MeshPhongMaterial(
        color=color, flatShading=True, specular="#000000", shininess=0, side="FrontSide"
    )
    return three.Mesh(geometry=geometry, material=material, name=name)


def build_room(room: Room, shell: bool = True) -> tuple[three.Group, three.Mesh]:
    """Floor, walls (visible from inside; walls facing away from the viewer vanish),
    door / window outlines, and the ceiling, returned separately (hidden by default).

    With ``shell=False`` (the scene has its own room mesh) only the outlines are drawn.
    """
    xz = np.asarray(room.floor_xz, np.float64)
    tri = triangulate_polygon(xz)
    floor_pts = np.stack([xz[:, 0], np.zeros(len(xz)), xz[:, 1]], -1)

    def oriented(y: float, up: bool) -> np.ndarray:
        pts = floor_pts + np.array([0.0, y, 0.0])
        out = []
        for i, j, k in tri:
            a, b, c = pts[i], pts[j], pts[k]
            n = np.cross(b - a, c - a)[1]
            out += [a, b, c] if (n > 0) == up else [a, c, b]
        return np.array(out, np.float32)

    floor = _flat_mesh(oriented(0.0, True), FLOOR_COLOR, "floor")
    ceiling = _flat_mesh(oriented(room.height, False), WALL_COLOR, "ceiling")
    ceiling.visible = False
    walls = []
    for w in room.walls:
        s, e = np.asarray(w.start, np.float64), np.asarray(w.end, np.float64)
        quad = np.array(
            [[s[0], 0, s[1]], [e[0], 0, e[1]], [e[0], room.height, e[1]], [s[0], room.height, s[1]]]
        )
        inward = np.array([w.normal[0], 0.0, w.normal[1]])
        walls.append(_quad(quad, inward))
    wall_mesh = _flat_mesh(np.concatenate(walls), WALL_COLOR, "walls")
    children = [floor, wall_mesh] if shell else []
    for kind, color in OPENING_COLORS.items():
        segs = []
        for o in room.openings:
            if o.kind != kind:
                continue
            p0, p1 = (np.asarray(p, np.float64) for p in room.opening_endpoints(o))
            n = room.wall(o.wall).normal
            off = 0.01 * np.array([n[0], 0.0, n[1]])
            y0, y1 = o.sill, o.sill + o.height
            r = [
                np.array([p0[0], y0, p0[1]]) + off,
                np.array([p1[0], y0, p1[1]]) + off,
                np.array([p1[0], y1, p1[1]]) + off,
                np.array([p0[0], y1, p0[1]]) + off,
            ]
            segs += [r[0], r[1], r[1], r[2], r[2], r[3], r[3], r[0]]
        if segs:
            children.append(line_segments(np.array(segs), color))
    return three.Group(children=tuple(children), name="room"), ceiling


def build_frustum(camera, image: np.ndarray | None, depth: float, thumb_side: int = 64):
    """A camera as a wire pyramid ``depth`` metres deep, with its image as a thumbnail
    on the pyramid's base (when the scene has an image of the same name)."""
    K = camera.K.astype(np.float64)
    w, h = camera.width, camera.height
    px = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    rays = np.stack(
        [(px[:, 0] - K[0, 2]) / K[0, 0], (px[:, 1] - K[1, 2]) / K[1, 1], np.ones(4)], -1
    )
    T = camera.T_world_camera.astype(np.float64)
    base = (rays * depth) @ T[:3, :3].T + T[:3, 3]
    c = T[:3, 3]
    segs = [c, base[0], c, base[1], c, base[2], c, base[3]]
    segs += [base[0], base[1], base[1], base[2], base[2], base[3], base[3], base[0]]
    children = [line_segments(np.array(segs), "#cc3399")]
    if image is not None:
        tex = three.DataTexture(
            data=_buffers.texture_rgba(image, thumb_side),
            format="RGBAFormat",
            type="UnsignedByteType",
            minFilter="LinearFilter",
            magFilter="LinearFilter",
        )
        # pixel (0, 0) is the image's top-left: uv (0, 0) there (DataTexture rows are not flipped)
        uv = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
        geometry = three.BufferGeometry(
            attributes={"position": attr(base.astype(np.float32)), "uv": attr(uv)},
            index=attr(np.array([0, 1, 2, 0, 2, 3], np.uint32)),
        )
        material = three.MeshBasicMaterial(map=tex, side="DoubleSide")
        children.append(three.Mesh(geometry=geometry, material=material))
    return three.Group(children=tuple(children))
