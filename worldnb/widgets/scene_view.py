"""SceneView: the live 3D view of a :class:`~worldnb.Scene` (pythreejs + ipywidgets)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import ipywidgets
import numpy as np
import pythreejs as three

from ..errors import InputError
from ..scene.camera import Camera
from ..scene.geometry import LAYER_TYPES
from ..scene.scene import Scene
from . import _three
from ._camera_sync import SLIDERS, CameraSync, Update
from ._orbit import Orbit, default_orbit, orbit_from_position

__all__ = ["SceneView"]

HIGHLIGHT_COLOR = "#ffcc00"
#: Page style the view brings along (a <style> in a hidden HTML child): a row that holds
#: a view wraps its other children below it when they do not fit beside it, so
#: ``HBox([view, panel])`` never squashes the canvas nor the panel's controls.
VIEW_CSS = """<style>
.widget-hbox:has(> .worldnb-sceneview) { flex-wrap: wrap; align-items: flex-start; }
</style>"""
#: A Gaussian layer is re-sorted back to front when the eye has turned this far (degrees)
#: about the scene centre, or moved this fraction of the viewing distance, since the last sort.
RESORT_ANGLE_DEG = 8.0
RESORT_MOVE = 0.15


def _hex_to_rgb01(color: str) -> np.ndarray:
    c = str(color).strip()
    if not (c.startswith("#") and len(c) == 7):
        raise InputError(f"color: expected a '#rrggbb' string, got {color!r}")
    try:
        return np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)], np.float32) / 255.0
    except ValueError:
        raise InputError(f"color: expected a '#rrggbb' string, got {color!r}") from None


def _checked_layer(name: str, layer):
    """Re-validate a layer's arrays (they may have been edited after construction)."""
    if not isinstance(layer, tuple(LAYER_TYPES.values())):
        raise InputError(
            f"layer {name!r}: expected a PointCloud, Mesh or Gaussians, got {type(layer).__name__}"
        )
    try:
        return type(layer)(**layer.arrays())
    except InputError as exc:
        raise InputError(f"layer {name!r}: {exc}") from None


class _Slider(ipywidgets.FloatSlider):
    """A FloatSlider that knows when a value comes from the browser.

    ipywidgets applies every update the front end sends through :meth:`set_state`
    (public API), so overriding it tells browser moves from values set in Python.
    """

    from_browser = False

    def set_state(self, sync_data):
        self.from_browser = True
        try:
            super().set_state(sync_data)
        finally:
            self.from_browser = False


class SceneView(ipywidgets.VBox):
    """A live 3D view of a scene: a pythreejs renderer plus camera sliders and toggles.

    Layers are drawn as the scene holds them: meshes (vertex colours or texture), point
    clouds (``point_size`` pixels), 3D Gaussians (oriented sprites sorted back to front),
    object boxes with labels, the room (floor and walls; ceiling hidden), and cameras as
    frusta with a thumbnail of their image. Dragging the canvas moves the sliders and
    moving a slider moves the camera. Large layers are subsampled for display with a
    visible note.

    Args:
        scene: the :class:`~worldnb.Scene` to show.
        width: canvas width in pixels.
        height: canvas height in pixels.
        camera: initial view: a :class:`~worldnb.Camera`, the name of one of
            ``scene.cameras``, or None to frame the whole scene.
        background: canvas colour ``"#rrggbb"``.
        point_size: point size in screen pixels.
        max_points: at most this many points per point layer are sent (None: all).
        max_faces: at most this many faces per mesh layer.
        max_gaussians: at most this many Gaussians per Gaussian layer.
        show_ceiling: draw the room's ceiling (hidden by default so one sees in).
        controls: show the sliders and toggles under the canvas.

    Example:
        >>> import worldnb as wn
        >>> scene = wn.Scene(room=wn.Room.rectangle(4, 3))
        >>> view = SceneView(scene, width=320, height=200)
        >>> round(view.camera.fov_y_deg)
        50
    """

    #: camera sliders, kept in sync both ways with the 3D camera
    azimuth: ipywidgets.FloatSlider
    elevation: ipywidgets.FloatSlider
    distance: ipywidgets.FloatSlider
    fov: ipywidgets.FloatSlider

    def __init__(
        self,
        scene: Scene,
        *,
        width: int = 640,
        height: int = 400,
        camera: Camera | str | None = None,
        background: str = "#f7f7f7",
        point_size: float = 2.0,
        max_points: int | None = 1_000_000,
        max_faces: int | None = 1_000_000,
        max_gaussians: int | None = 100_000,
        show_ceiling: bool = False,
        controls: bool = True,
    ):
        if not isinstance(scene, Scene):
            raise InputError(f"scene: expected a worldnb.Scene, got {type(scene).__name__}")
        self._size = (int(width), int(height))
        if min(self._size) < 16:
            raise InputError(f"width, height: expected at least 16 pixels, got {self._size}")
        _hex_to_rgb01(background)
        self._opts = {
            "max_points": max_points,
            "max_faces": max_faces,
            "max_gaussians": max_gaussians,
            "point_size": float(point_size),
        }
        self._show_ceiling = bool(show_ceiling)
        #: True while the view itself sets widget traits (their observers ignore that)
        self._applying = False
        self._links: list[ipywidgets.Widget] = []
        self._highlighted: dict[int, str] = {}
        self._openings: dict = {}  # door/window id → its highlight panel
        self._layers: dict[str, _three.LayerView] = {}
        self._objects: dict[int, _three.ObjectView] = {}

        self._scene = scene
        orbit = default_orbit(scene.bounds, 50.0, width / height)
        self._scale = max(orbit.distance / 3, 1e-3)
        near, far = self._scale / 500, self._scale * 300
        #: camera / slider state and the echo rules (worldnb.widgets._camera_sync)
        self._sync = CameraSync(width, height, near, far)
        self._cam = three.PerspectiveCamera(
            fov=orbit.fov, aspect=width / height, near=near, far=far, up=(0, 1, 0)
        )
        self._cam.children = (three.PointLight(color="#ffffff", intensity=0.55),)
        # OrbitControls orbit the three.js origin; the content sits in a group shifted by
        # -target (why: worldnb.widgets._camera_sync).
        self._controls = three.OrbitControls(controlling=self._cam, target=(0, 0, 0))
        self._content = three.Group(name="worldnb")
        # the three.js scene's own background (white by default) covers the renderer's
        # clear colour: both get the requested colour
        self._three_scene = three.Scene(
            children=(self._cam, three.AmbientLight(color="#ffffff", intensity=0.6), self._content),
            background=background,
        )
        self.renderer = three.Renderer(
            scene=self._three_scene,
            camera=self._cam,
            controls=[self._controls],
            width=width,
            height=height,
            antialias=True,
            background=background,
        )

        slider = {"continuous_update": True, "readout_format": ".1f"}
        style = {"description_width": "64px"}
        lay = ipywidgets.Layout(width="300px", max_width="100%")
        for name in SLIDERS:
            rng = self._sync.ranges[name]
            s = _Slider(
                description=name,
                min=rng.min,
                max=rng.max,
                step=rng.step,
                style=style,
                layout=lay,
                **slider,
            )
            setattr(self, name, s)
        self.background = ipywidgets.ColorPicker(
            value=background,
            description="background",
            concise=True,
            style={"description_width": "initial"},
        )
        #: browser-side links (they work without a kernel, e.g. in to_html pages)
        self._links.append(
            ipywidgets.jslink((self.background, "value"), (self.renderer, "background"))
        )
        self._links.append(
            ipywidgets.jslink((self.background, "value"), (self._three_scene, "background"))
        )
        self._toggles = ipywidgets.HBox(
            layout=ipywidgets.Layout(flex_flow="row wrap", max_width="100%")
        )
        self._note = ipywidgets.HTML(layout=ipywidgets.Layout(display="none"))
        self._apply_orbit(orbit)
        for s in (self.azimuth, self.elevation, self.distance, self.fov):
            s.observe(self._on_slider, names="value")
        self._cam.observe(self._on_three_camera, names=["position", "quaternion"])
        self._controls.observe(self._on_three_camera, names=["target"])

        self._build_content(scene)
        if camera is not None:
            self.set_camera(camera)

        # The view keeps its canvas size wherever it is put (an HBox next to a wide panel
        # must not squash it); the controls under the canvas wrap to its width.
        wrap = {"flex_flow": "row wrap", "max_width": "100%"}
        sliders = ipywidgets.HBox(
            [
                ipywidgets.VBox([self.azimuth, self.elevation]),
                ipywidgets.VBox([self.distance, self.fov]),
            ],
            layout=ipywidgets.Layout(**wrap),
        )
        panel = [
            sliders,
            ipywidgets.HBox([self._toggles, self.background], layout=ipywidgets.Layout(**wrap)),
        ]
        super().__init__(
            children=[
                self.renderer,
                *(panel if controls else []),
                self._note,
                ipywidgets.HTML(VIEW_CSS, layout=ipywidgets.Layout(display="none")),
            ],
            layout=ipywidgets.Layout(
                flex="0 0 auto", width=f"{self._size[0]}px", min_width=f"{self._size[0]}px"
            ),
        )
        self.add_class("worldnb-sceneview")

    # ---- public API ---------------------------------------------------------------
    @property
    def scene(self) -> Scene:
        """The scene shown."""
        return self._scene

    @property
    def camera(self) -> Camera:
        """The camera the browser shows now, as a :class:`~worldnb.Camera` (canvas size)."""
        return self._sync.camera()

    @property
    def orbit(self) -> Orbit:
        """The orbit parameters (target, azimuth, elevation, distance, fov) shown now."""
        return self._sync.orbit

    @property
    def notes(self) -> list[str]:
        """Display notes (e.g. decimation: "showing 1,000 of 5,000 points in 'cloud'")."""
        return [v.note for v in self._layers.values() if v.note]

    def set_camera(self, camera: Camera | str) -> None:
        """Show the scene from ``camera`` (a :class:`~worldnb.Camera` or a scene camera name).

        The orbit target is put on the camera's viewing axis, level with the scene centre
        (or 3 m ahead when the scene is empty). Roll is dropped (the view keeps +Y up);
        the canvas keeps its own size, so only the vertical field of view carries over.
        """
        if isinstance(camera, str):
            if camera not in self._scene.cameras:
                names = ", ".join(self._scene.cameras) or "none"
                raise InputError(f"camera: no scene camera named {camera!r}; cameras: {names}")
            camera = self._scene.cameras[camera]
        if not isinstance(camera, Camera):
            raise InputError(f"camera: expected a worldnb.Camera, got {type(camera).__name__}")
        pos, fwd = camera.position.astype(np.float64), camera.forward.astype(np.float64)
        bounds = self._scene.bounds
        depth = 3.0
        if bounds is not None:
            depth = float(np.dot(bounds.mean(0) - pos, fwd))
            if depth <= 1e-3:
                depth = float(np.linalg.norm(bounds[1] - bounds[0])) / 2 or 3.0
        target = pos + depth * fwd
        orbit = orbit_from_position(pos, target, camera.fov_y_deg)
        self._apply_orbit(orbit)

    def look_at(self, object_id: int) -> None:
        """Turn the camera to an object (same direction, distance that frames its box)."""
        obj = self._scene.object(object_id)
        o = self.orbit
        radius = float(np.linalg.norm(obj.box.size)) / 2
        dist = 1.4 * radius / math.sin(math.radians(o.fov) / 2)
        self._apply_orbit(
            Orbit(tuple(float(x) for x in obj.box.center), o.azimuth, o.elevation, dist, o.fov)
        )

    def highlight(self, object_ids: int | Iterable[int], color: str = HIGHLIGHT_COLOR) -> None:
        """Colour objects (their geometry and box); others keep their look.

        Args:
            object_ids: an id or ids of ``scene.objects``, or of the room's doors and
                windows as :func:`worldnb.spatial.opening_objects` numbers them (the ids
                ``scene.ask`` answers cite).
            color: ``"#rrggbb"``.

        Raises:
            InputError: an unknown id (the view is left as it was).
        """
        ids = [object_ids] if isinstance(object_ids, int | np.integer) else list(object_ids)
        known = self.highlightable_ids
        unknown = [i for i in ids if not isinstance(i, int | np.integer) or int(i) not in known]
        if unknown:
            have = ", ".join(str(i) for i in sorted(known)) or "none"
            raise InputError(f"highlight: unknown object id(s) {unknown}; the scene has ids {have}")
        _hex_to_rgb01(color)
        for i in ids:
            self._highlighted[int(i)] = color
        self._apply_highlight()

    def clear_highlight(self) -> None:
        """Remove every highlight."""
        self._highlighted.clear()
        self._apply_highlight()

    @property
    def highlightable_ids(self) -> set[int]:
        """Ids :meth:`highlight` accepts: the objects', then the doors' and windows'."""
        return {o.id for o in self._scene.objects} | set(self._openings)

    @property
    def highlighted(self) -> dict[int, str]:
        """Object id → highlight colour."""
        return dict(self._highlighted)

    def update_layer(self, name: str, layer) -> None:
        """Replace (or add) one layer's data in place: new buffers, same renderer and camera."""
        layer = _checked_layer(name, layer)
        self._scene.layers[name] = layer
        view = self._make_layer_view(name, layer)
        old = self._layers.get(name)
        if old is not None and old.kind == view.kind:
            # keep the three.js object (and its toggle); swap its geometry buffers only
            old.obj.geometry = view.obj.geometry
            if view.kind == "points":
                old.obj.material.size = self._opts["point_size"]
            view.obj = old.obj
        elif old is not None:
            self._layer_group.children = tuple(
                view.obj if c is old.obj else c for c in self._layer_group.children
            )
            view.obj.visible = old.obj.visible
        else:
            self._layer_group.children = (*self._layer_group.children, view.obj)
        self._layers[name] = view
        self._refresh_toggles()
        self._refresh_note()
        self._apply_highlight()

    def remove_layer(self, name: str) -> None:
        """Stop showing a layer and remove it from the scene."""
        if name not in self._layers:
            raise InputError(f"remove_layer: no layer {name!r}; layers: {', '.join(self._layers)}")
        view = self._layers.pop(name)
        self._scene.layers.pop(name, None)
        self._layer_group.children = tuple(
            c for c in self._layer_group.children if c is not view.obj
        )
        self._refresh_toggles()
        self._refresh_note()

    def set_scene(self, scene: Scene) -> None:
        """Show another scene in this view, keeping the renderer, the camera and the toggles.

        Highlights are dropped when ``scene`` is another scene object (its ids name other
        things); the same scene, edited in place, keeps those whose ids remain.
        """
        if not isinstance(scene, Scene):
            raise InputError(f"scene: expected a worldnb.Scene, got {type(scene).__name__}")
        checked = {name: _checked_layer(name, lay) for name, lay in scene.layers.items()}
        if scene is not self._scene:
            # ids name other things in another scene: no highlight carries over
            self._highlighted.clear()
        self._scene = scene
        for name in [n for n in self._layers if n not in checked]:
            self.remove_layer(name)
        for name, layer in checked.items():
            self.update_layer(name, layer)
        self._build_decor(scene)
        self._highlighted = {
            i: c for i, c in self._highlighted.items() if i in self.highlightable_ids
        }
        self._refresh_toggles()
        self._apply_highlight()

    def __repr__(self) -> str:
        o = self.orbit
        return (
            f"SceneView({self._scene!r}; {self._size[0]}×{self._size[1]} px, "
            f"azimuth {o.azimuth:.1f}°, elevation {o.elevation:.1f}°, "
            f"distance {o.distance:.2f} m, fov {o.fov:.1f}°)"
        )

    # ---- building -----------------------------------------------------------------
    def _make_layer_view(self, name: str, layer) -> _three.LayerView:
        return _three.build_layer(
            name,
            layer,
            viewport=self._size,
            eye=self._sync.eye,
            **self._opts,
        )

    def _build_content(self, scene: Scene) -> None:
        self._layers: dict[str, _three.LayerView] = {}
        checked = {name: _checked_layer(name, lay) for name, lay in scene.layers.items()}
        for name, layer in checked.items():
            self._layers[name] = self._make_layer_view(name, layer)
        self._layer_group = three.Group(
            children=tuple(v.obj for v in self._layers.values()), name="layers"
        )
        self._objects_group = three.Group(name="objects")
        self._labels_group = three.Group(name="labels")
        self._room_group = three.Group(name="room")
        self._ceiling_group = three.Group(name="ceiling", visible=self._show_ceiling)
        self._cameras_group = three.Group(name="cameras")
        self._openings_group = three.Group(name="highlighted doors and windows")
        self._content.children = (
            self._layer_group,
            self._objects_group,
            self._labels_group,
            self._room_group,
            self._openings_group,
            self._ceiling_group,
            self._cameras_group,
        )
        self._build_decor(scene)
        self._refresh_toggles()
        self._refresh_note()

    def _build_decor(self, scene: Scene) -> None:
        """Objects, labels, room and camera frusta (small; rebuilt on set_scene)."""
        label_h = 0.06 * self._scale
        # as worldnb.render(objects="boxes"): an object no layer carries (no face or point
        # with its id) is drawn as a solid box in its colour
        carried = {
            int(i)
            for lay in scene.layers.values()
            if getattr(lay, "instance", None) is not None
            for i in np.unique(lay.instance)
        }
        self._objects = {
            o.id: _three.build_object(o, label_h, solid=o.id not in carried) for o in scene.objects
        }
        for ov in self._objects.values():
            ov.group.children = (ov.edges, ov.fill, *([ov.solid] if ov.solid else []))
        self._objects_group.children = tuple(ov.group for ov in self._objects.values())
        self._labels_group.children = tuple(ov.label for ov in self._objects.values())
        # doors and windows answers cite (ids from max object id + 1000, as spatial.ask
        # gives them): a panel each, shown only while highlighted
        from ..spatial import opening_objects

        self._openings = {}
        for o in opening_objects(scene):
            panel = _three.box_mesh(o.box, HIGHLIGHT_COLOR, 0.6)
            panel.visible = False
            self._openings[o.id] = panel
        self._openings_group.children = tuple(self._openings.values())
        if scene.room is not None:
            room, ceiling = _three.build_room(
                scene.room, shell=_three.ROOM_LAYER not in scene.layers
            )
            self._room_group.children = (room,)
            ceiling.visible = True
            self._ceiling_group.children = (ceiling,)
        else:
            self._room_group.children = ()
            self._ceiling_group.children = ()
        frusta = []
        for name, cam in scene.cameras.items():
            frusta.append(_three.build_frustum(cam, scene.images.get(name), 0.08 * self._scale * 3))
        self._cameras_group.children = tuple(frusta)

    def _refresh_toggles(self) -> None:
        groups = {name: view.obj for name, view in self._layers.items()}
        if self._scene.objects:
            groups["boxes"] = self._objects_group
            groups["labels"] = self._labels_group
        if self._scene.room is not None:
            own_shell = _three.ROOM_LAYER in self._scene.layers
            groups["doors & windows" if own_shell else "room"] = self._room_group
            groups["ceiling"] = self._ceiling_group
        if self._scene.cameras:
            groups["cameras"] = self._cameras_group
        old = {c.description: c for c in self._toggles.children}
        boxes = []
        for name, obj in groups.items():
            box = old.get(name)
            if box is None or box._worldnb_target is not obj:
                box = ipywidgets.Checkbox(
                    value=bool(obj.visible),
                    description=name,
                    indent=False,
                    layout=ipywidgets.Layout(width="auto", margin="0 12px 0 0"),
                )
                box._worldnb_target = obj
                self._links.append(ipywidgets.jslink((box, "value"), (obj, "visible")))
            boxes.append(box)
        self._toggles.children = tuple(boxes)

    def _refresh_note(self) -> None:
        notes = self.notes
        self._note.value = "<i>" + "; ".join(notes) + "</i>" if notes else ""
        self._note.layout.display = None if notes else "none"

    @property
    def toggles(self) -> dict[str, ipywidgets.Checkbox]:
        """Visibility check boxes by layer / group name."""
        return {c.description: c for c in self._toggles.children}

    # ---- highlight ----------------------------------------------------------------
    def _apply_highlight(self) -> None:
        hl = self._highlighted
        drawn: set[int] = set()
        for view in self._layers.values():
            if view.vertex_instance is None or view.base_colors is None:
                continue
            colors = view.base_colors.copy()
            for oid, color in hl.items():
                mask = view.vertex_instance == oid
                if mask.any():
                    drawn.add(oid)
                    rgb = _hex_to_rgb01(color) * 255.0
                    colors[mask] = np.rint(0.25 * colors[mask] + 0.75 * rgb).astype(np.uint8)
            attr = view.obj.geometry.attributes["color"]
            if not np.array_equal(attr.array, colors):
                attr.array = colors
                attr.needsUpdate = True
        for oid, ov in self._objects.items():
            color = hl.get(oid)
            ov.edges.material.color = color or ov.edge_color
            ov.fill.material.color = color or HIGHLIGHT_COLOR
            ov.fill.visible = color is not None and oid not in drawn and ov.solid is None
            if ov.solid is not None:
                ov.solid.material.color = color or ov.solid_color
        for oid, panel in self._openings.items():
            panel.visible = oid in hl
            panel.material.color = hl.get(oid, HIGHLIGHT_COLOR)

    # ---- camera sync (the rules live in _camera_sync; this only moves widgets) ----
    def _apply_orbit(self, orbit: Orbit) -> None:
        """Move the three.js camera and the sliders to ``orbit`` (one message each)."""
        self._apply(self._sync.show(orbit))

    def _apply(self, update: Update) -> None:
        """Send one :class:`~worldnb.widgets._camera_sync.Update` to the widgets."""
        self._applying = True
        try:
            with self._cam.hold_sync(), self._controls.hold_sync(), self._content.hold_sync():
                if update.origin is not None:
                    self._content.position = tuple(float(v) for v in -update.origin)
                    self._controls.target = (0.0, 0.0, 0.0)
                if update.pose is not None:
                    self._cam.position = update.pose.position
                    self._cam.quaternion = update.pose.quaternion
                    self._cam.rotation = update.pose.rotation
                    self._cam.fov = update.pose.fov
            rng = update.distance_range
            if rng is not None:
                self.distance.min, self.distance.max = 0.0, rng.max
                self.distance.min, self.distance.step = rng.min, rng.step
            for name, value in update.sliders.items():
                getattr(self, name).value = value
        finally:
            self._applying = False
        if update.moved:
            self._maybe_resort()

    def _on_slider(self, change) -> None:
        if self._applying:
            return
        slider = change["owner"]
        name, value = slider.description, float(slider.value)
        if slider.from_browser:
            self._apply(self._sync.browser_slider(name, value))
        else:  # set in Python
            self._apply(self._sync.kernel_slider(name, value))

    def _on_three_camera(self, change) -> None:
        """The browser moved the camera or the controls' target (OrbitControls)."""
        if self._applying:
            return
        if change["owner"] is self._controls:
            self._apply(self._sync.browser_target(self._controls.target))
        else:
            self._apply(self._sync.browser_camera(self._cam.position, self._cam.quaternion))

    def _maybe_resort(self, force: bool = False) -> None:
        """Re-sort Gaussian layers back to front for the current eye, when it has turned
        or moved enough since the last sort (or always, with ``force``)."""
        eye = self._sync.eye
        center = self._sync.world(self._sync.target)
        for view in self._layers.values():
            if view.kind != "gaussians" or view.sorted_from is None:
                continue
            a, b = view.sorted_from - center, eye - center
            na, nb = np.linalg.norm(a), np.linalg.norm(b)
            if not force and na > 0 and nb > 0:
                angle = math.degrees(math.acos(np.clip(np.dot(a, b) / (na * nb), -1, 1)))
                moved = np.linalg.norm(eye - view.sorted_from) / max(nb, 1e-9)
                if angle < RESORT_ANGLE_DEG and moved < RESORT_MOVE:
                    continue
            from ._buffers import quad_order

            index = view.obj.geometry.index
            index.array = quad_order(view.means, eye)
            index.needsUpdate = True
            view.sorted_from = eye
