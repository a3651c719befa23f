"""SceneView kernel-side: widget state, camera sync, highlight, updates, bad input, export.

What the browser shows is tested in tests/browser; here we check the Python half.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from ipywidgets.embed import dependency_state

import worldnb as wn
from worldnb.errors import InputError
from worldnb.widgets import SceneView, available_panels, studio, to_html
from worldnb.widgets._orbit import Orbit


def make_scene(rng, n_points=500) -> wn.Scene:
    scene = wn.Scene(
        room=wn.Room.rectangle(
            4, 3, openings=[wn.Opening("door", wall=0, offset=1.0, width=0.9, height=2.0)]
        )
    )
    a = scene.add_object("bed", wn.OrientedBox((0.5, 0.3, 0), (1.6, 0.6, 2.0)), geometry="objects")
    b = scene.add_object("chair", wn.OrientedBox((-1.2, 0.45, 0.8), (0.5, 0.9, 0.5)))
    # two quads of two objects sharing vertices 1 and 2
    v = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [2, 0, 0]], np.float32)
    scene.layers["objects"] = wn.Mesh(
        v, [[0, 1, 2], [0, 2, 3], [1, 4, 2]], instance=[a.id, a.id, b.id]
    )
    scene.layers["cloud"] = wn.PointCloud(
        rng.random((n_points, 3)), rng.random((n_points, 3)), instance=np.full(n_points, b.id)
    )
    n = 50
    scene.layers["splats"] = wn.Gaussians(
        rng.random((n, 3)),
        np.full((n, 3), -3.0),
        rng.normal(size=(n, 4)),
        np.zeros(n),
        rng.random((n, 3)),
    )
    scene.cameras["photo"] = wn.Camera.look_at((2, 1.5, 2.5), (0, 0.5, 0), width=64, height=48)
    scene.images["photo"] = (rng.random((48, 64, 3)) * 255).astype(np.uint8)
    return scene


@pytest.fixture
def scene(rng):
    return make_scene(rng)


def _states(view) -> dict:
    return dependency_state([view])


def test_arrays_go_as_binary_buffers_never_json_lists(scene):
    view = SceneView(scene)
    state = _states(view)
    n_buffers = 0
    long_lists = []

    def walk(x, where):
        if isinstance(x, list):
            if len(x) > 16 and all(isinstance(e, int | float) for e in x):
                long_lists.append((where, len(x)))
            for e in x:
                walk(e, where)
        elif isinstance(x, dict):
            for e in x.values():
                walk(e, where)

    for model in state.values():
        n_buffers += len(model.get("buffers", []))
        walk(model["state"], model["model_name"])
    assert long_lists == []  # no numeric arrays as JSON lists anywhere
    assert n_buffers >= 8
    # dtypes of every array that crosses
    from worldnb.widgets.html import _widget_tree

    arrays = [
        w.array if type(w).__name__ == "BufferAttribute" else w.data
        for w in _widget_tree(view)
        if type(w).__name__ in ("BufferAttribute", "DataTexture")
    ]
    assert len(arrays) >= 8
    assert {a.dtype for a in arrays} <= {
        np.dtype(np.float32),
        np.dtype(np.uint8),
        np.dtype(np.uint32),
    }


def test_view_is_one_widget_with_renderer_and_controls(scene):
    view = SceneView(scene, width=320, height=200)
    assert view.renderer in view.children
    assert set(view.toggles) == {
        "objects",
        "cloud",
        "splats",
        "boxes",
        "labels",
        "room",
        "ceiling",
        "cameras",
    }
    assert view.toggles["ceiling"].value is False  # ceiling hidden by default
    assert SceneView(scene, show_ceiling=True).toggles["ceiling"].value is True
    assert view.camera.width == 320 and view.camera.height == 200
    assert scene.show(width=100, height=80).camera.width == 100


def test_sliders_move_the_camera_and_camera_moves_sliders(scene):
    view = SceneView(scene)
    target = np.array(view.orbit.target)
    view.azimuth.value = 90.0
    assert view.orbit.azimuth == pytest.approx(90.0, abs=1e-6)
    pos = view.camera.position
    assert pos[0] - target[0] > 0 and abs(pos[2] - target[2]) < 1e-4  # on the +X side
    view.fov.value = 70
    assert view.camera.fov_y_deg == pytest.approx(70, abs=1e-4)
    # the browser's OrbitControls move the camera (as a synced trait update would)
    cam = wn.Camera.look_at(target + np.array([0.0, 3.0, -3.0]), target)
    from worldnb.widgets._orbit import three_pose

    p, q = three_pose(cam)
    # three.js coordinates: OrbitControls orbit the origin, the content is shifted by -target
    assert view._controls.target == (0.0, 0.0, 0.0)
    view._cam.position, view._cam.quaternion = tuple(np.asarray(p) - target), tuple(q)
    assert view.azimuth.value == pytest.approx(180.0, abs=1e-4) or view.azimuth.value == (
        pytest.approx(-180.0, abs=1e-4)
    )
    assert view.elevation.value == pytest.approx(45.0, abs=1e-4)
    assert view.distance.value == pytest.approx(math.sqrt(18), rel=1e-5)


@pytest.mark.parametrize("camera_first", [True, False])
def test_a_pan_in_the_browser_is_recentred_on_the_three_origin(scene, camera_first):
    """OrbitControls report a pan as a new camera position and target (two messages, in
    either order); the view shifts its content instead, so the target stays at the
    three.js origin (where a reloaded page aims first) and the picture does not move."""
    view = SceneView(scene)
    view.look_at(1)
    before = view.camera
    shift = np.array([0.4, -0.1, 0.25])
    moved = tuple(np.asarray(view._cam.position) + shift)
    if camera_first:
        view._cam.position = moved
        assert view.camera.position == pytest.approx(before.position + shift)
        view._controls.target = tuple(shift)
    else:
        view._controls.target = tuple(shift)
        view._cam.position = moved
    assert view._controls.target == (0.0, 0.0, 0.0)
    assert np.allclose(view.camera.position, before.position + shift, atol=1e-9)
    assert np.allclose(view.camera.T_world_camera[:3, :3], before.T_world_camera[:3, :3])
    target = np.asarray(scene.object(1).box.center) + shift
    assert np.allclose(view.orbit.target, target) and np.allclose(view._sync.origin, target)
    assert np.allclose(view._content.position, -target)
    assert view.azimuth.value == pytest.approx(view.orbit.azimuth, abs=1e-4)


def test_browser_slider_echoes_do_not_move_the_camera(scene):
    """The browser snaps kernel-set slider values to the step and sends them back, maybe
    after the kernel has moved on: such echoes leave the camera alone."""
    view = SceneView(scene)
    view.look_at(2)  # an off-step azimuth/distance
    az_look, d_look = view.azimuth.value, view.distance.value
    view.azimuth.value = -60.0
    view.elevation.value = 40.0
    cam = view.camera

    def from_browser(slider, value):  # what ipywidgets does with a front-end update
        slider.set_state({"value": value})

    from_browser(view.distance, round(d_look / view.distance.step) * view.distance.step)
    from_browser(view.azimuth, round(az_look * 2) / 2)  # stale: the look_at azimuth
    assert view.camera == cam
    assert view.azimuth.value == -60.0  # the last value sent is shown again
    from_browser(view.azimuth, -45.0)  # a real move
    assert view.orbit.azimuth == pytest.approx(-45.0, abs=1e-4)
    assert view.orbit.elevation == pytest.approx(40.0, abs=1e-4)
    # the other parameters keep the camera's values, not the sliders' snapped ones
    assert view.orbit.distance == pytest.approx(d_look, rel=1e-6)


def test_set_camera_shows_that_camera(scene):
    view = SceneView(scene, width=320, height=240)
    cam = wn.Camera.look_at((2.5, 1.6, 2.5), (0, 0.5, 0), fov_y_deg=55, width=320, height=240)
    view.set_camera(cam)
    assert view.camera == wn.Camera(
        cam.K, 320, 240, cam.T_world_camera, view.camera.near, view.camera.far
    )
    view.set_camera("photo")
    assert np.allclose(view.camera.position, scene.cameras["photo"].position, atol=1e-5)
    assert view.camera.fov_y_deg == pytest.approx(scene.cameras["photo"].fov_y_deg, abs=1e-3)
    with pytest.raises(InputError, match="no scene camera named 'nope'"):
        view.set_camera("nope")
    assert SceneView(scene, camera="photo").camera.position == pytest.approx(
        scene.cameras["photo"].position, abs=1e-5
    )


def test_look_at_centres_the_object(scene):
    view = SceneView(scene)
    view.look_at(2)
    uv, depth = view.camera.project([scene.object(2).box.center])
    assert depth[0] > 0 and np.allclose(uv[0], [320, 200], atol=0.5)
    with pytest.raises(InputError, match="no object with id 42"):
        view.look_at(42)


def test_highlight_recolours_only_that_objects_vertices(scene):
    view = SceneView(scene)
    mesh = view._layers["objects"]
    before = mesh.obj.geometry.attributes["color"].array.copy()
    view.highlight([1], color="#ff00ff")
    after = mesh.obj.geometry.attributes["color"].array
    changed = np.any(after != before, axis=1)
    assert changed.any()
    assert np.array_equal(changed, mesh.vertex_instance == 1)
    # object 2's points change too; object 2 stays as it was until asked
    cloud = view._layers["cloud"].obj.geometry.attributes["color"].array
    assert np.array_equal(cloud, view._layers["cloud"].base_colors)
    assert view._objects[1].edges.material.color == "#ff00ff"
    assert view._objects[2].edges.material.color != "#ff00ff"
    view.highlight(2)
    assert view.highlighted == {1: "#ff00ff", 2: "#ffcc00"}
    view.clear_highlight()
    assert np.array_equal(mesh.obj.geometry.attributes["color"].array, before)
    assert view.highlighted == {}


def test_highlight_without_geometry_colours_its_solid_box(rng):
    scene = wn.Scene()
    scene.add_object("lamp", wn.OrientedBox((0, 1, 0), (0.3, 0.5, 0.3)))
    view = SceneView(scene)
    solid = view._objects[1].solid
    assert solid is not None and solid.material.color == "#b3b3b3"
    view.highlight([1], color="#ff00ff")
    assert solid.material.color == "#ff00ff"
    assert not view._objects[1].fill.visible  # the solid box itself shows the highlight
    view.clear_highlight()
    assert solid.material.color == "#b3b3b3"


def test_highlight_bad_input_leaves_view_unchanged(scene):
    view = SceneView(scene)
    view.highlight([1])
    with pytest.raises(InputError, match=r"unknown object id\(s\) \[99\]"):
        view.highlight([1, 99])
    with pytest.raises(InputError, match="#rrggbb"):
        view.highlight([2], color="red")
    assert view.highlighted == {1: "#ffcc00"}


def test_update_layer_in_place_keeps_renderer_and_camera(scene, rng):
    view = SceneView(scene)
    view.azimuth.value = 12.0
    renderer, cam_state = view.renderer, (view._cam.position, view._cam.quaternion)
    points = view._layers["cloud"].obj
    view.update_layer("cloud", wn.PointCloud(rng.random((77, 3))))
    assert view.renderer is renderer and view._layers["cloud"].obj is points
    assert (view._cam.position, view._cam.quaternion) == cam_state
    assert len(points.geometry.attributes["position"].array) == 77
    # a new layer appears with a toggle; a kind change swaps the object
    view.update_layer("extra", wn.PointCloud(rng.random((5, 3))))
    assert "extra" in view.toggles
    view.update_layer("extra", scene.layers["objects"])
    assert view._layers["extra"].kind == "mesh"
    view.remove_layer("extra")
    assert "extra" not in view.toggles and "extra" not in view.scene.layers


def test_bad_layers_raise_and_view_keeps_working(scene, rng):
    view = SceneView(scene)
    bad = wn.PointCloud(rng.random((10, 3)))
    bad.xyz[3, 1] = np.nan  # edited after construction
    with pytest.raises(InputError, match=r"layer 'cloud': xyz: 1 non-finite"):
        view.update_layer("cloud", bad)
    mismatched = wn.PointCloud(rng.random((10, 3)))
    mismatched.rgb = mismatched.rgb[:4]
    with pytest.raises(InputError, match=r"layer 'cloud': rgb: expected shape \(10, 3\)"):
        view.update_layer("cloud", mismatched)
    with pytest.raises(InputError, match="expected a PointCloud, Mesh or Gaussians"):
        view.update_layer("cloud", np.zeros((3, 3)))
    assert len(view._layers["cloud"].obj.geometry.attributes["position"].array) == 500
    view.azimuth.value = 45.0
    assert view.orbit.azimuth == pytest.approx(45.0)
    with pytest.raises(InputError, match=r"scene: expected a worldnb\.Scene"):
        SceneView("not a scene")


def test_set_scene_keeps_renderer_and_camera(scene, rng):
    view = SceneView(scene)
    view.azimuth.value = -30.0
    pose = view.camera.T_world_camera.copy()
    other = make_scene(rng, n_points=100)
    del other.layers["splats"]
    other.add_object("table", wn.OrientedBox((1, 0.4, 1), (1, 0.8, 1)))
    view.set_scene(other)
    assert np.allclose(view.camera.T_world_camera, pose)
    assert "splats" not in view.toggles and set(view._objects) == {1, 2, 3}
    assert view.scene is other


def test_decimation_is_visible(rng):
    scene = wn.Scene(layers={"cloud": wn.PointCloud(rng.random((5000, 3)))})
    view = SceneView(scene, max_points=1000)
    assert view.notes == ["showing 1,000 of 5,000 points in 'cloud'"]
    assert "showing 1,000 of 5,000 points" in view._note.value
    assert view._note.layout.display is None
    assert len(view._layers["cloud"].obj.geometry.attributes["position"].array) == 1000
    assert SceneView(scene).notes == []


def test_gaussians_are_sorted_back_to_front_and_resorted_on_turns(scene):
    view = SceneView(scene)
    g = view._layers["splats"]
    idx = g.obj.geometry.index.array
    eye = np.asarray(view.camera.position)  # world (three.js + target)
    d = np.linalg.norm(g.means[idx[::6] // 4] - eye, axis=1)
    assert np.all(np.diff(d) <= 1e-6)
    view.azimuth.value = view.azimuth.value + 90
    idx2 = g.obj.geometry.index.array
    eye2 = np.asarray(view.camera.position)
    d2 = np.linalg.norm(g.means[idx2[::6] // 4] - eye2, axis=1)
    assert np.all(np.diff(d2) <= 1e-6) and not np.array_equal(idx, idx2)


def test_to_html_is_self_contained(scene, tmp_path):
    path = to_html(scene, tmp_path / "scene.html", width=200, height=150)
    text = path.read_text()
    assert "application/vnd.jupyter.widget-state+json" in text
    assert "<script src" not in text and "cdn.jsdelivr" not in text and "unpkg.com" not in text
    state = json.loads(
        text.split('<script type="application/vnd.jupyter.widget-state+json">')[1].split(
            "</script>"
        )[0]
    )
    assert any(m["model_name"] == "RendererModel" for m in state["state"].values())
    assert scene.to_html(tmp_path / "b.html").exists()
    with pytest.raises(InputError, match=r"expected a \.html file"):
        to_html(scene, tmp_path / "x.png")
    with pytest.raises(InputError, match="does not exist"):
        to_html(scene, tmp_path / "missing" / "x.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.html", "scene.html"]


def test_studio_composes_available_panels(scene):
    box = studio(scene)
    assert isinstance(box.view, SceneView) and box.view in box.children
    assert set(box.panels) == set(available_panels())
    with pytest.raises(InputError, match="not available"):
        studio(scene, panels=["Nope"])
    assert studio(panels=[]).panels == {}


def test_textured_mesh_and_camera_thumbnail_go_as_rgba_textures(scene, rng):
    tex = rng.random((5, 7, 3)).astype(np.float32)  # odd width: RGBA keeps rows aligned
    quad = wn.Mesh(
        [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]],
        [[0, 1, 2], [0, 2, 3]],
        uv=[[0, 1], [1, 1], [1, 0], [0, 0]],
        texture=tex,
    )
    scene.layers["poster"] = quad
    view = SceneView(scene)
    mesh = view._layers["poster"].obj
    assert mesh.geometry.attributes["uv"].array.dtype == np.float32
    data = mesh.material.map.data
    assert data.dtype == np.uint8 and data.shape == (5, 7, 4)
    assert np.array_equal(data[0, 0, :3], np.rint(tex[0, 0] * 255).astype(np.uint8))
    # the photo camera's frustum carries a thumbnail of scene.images["photo"]
    frustum = view._cameras_group.children[0]
    thumb = frustum.children[1].material.map.data
    assert thumb.dtype == np.uint8 and thumb.shape[2] == 4 and max(thumb.shape[:2]) <= 64


def _page_arrays(path) -> tuple[dict, dict]:
    """The widget models of a to_html page and their decoded array buffers."""
    import base64

    text = path.read_text()
    state = json.loads(
        text.split('<script type="application/vnd.jupyter.widget-state+json">')[1].split(
            "</script>"
        )[0]
    )["state"]
    arrays = {}
    for mid, m in state.items():
        for b in m.get("buffers", []):
            if b["path"] == ["array", "buffer"]:
                spec = m["state"]["array"]
                raw = base64.b64decode(b["data"])
                arrays[mid] = np.frombuffer(raw, spec["dtype"]).reshape(spec["shape"])
    return state, arrays


def test_to_html_sorts_gaussians_for_the_exported_camera(scene, tmp_path):
    """The page has no kernel to re-sort Gaussians as its camera moves, so they are
    sorted for exactly the exported camera, even one close to the default view (which
    a live view would not re-sort for)."""
    o = SceneView(scene).orbit
    near = Orbit(o.target, o.azimuth + 5.0, o.elevation, o.distance, o.fov)
    cam = near.camera(320, 200)
    state, arrays = _page_arrays(to_html(scene, tmp_path / "g.html", camera=cam))
    geo = next(m["state"] for m in state.values() if "cov_a" in m["state"].get("attributes", {}))
    index = arrays[geo["index"].removeprefix("IPY_MODEL_")]
    centres = arrays[geo["attributes"]["position"].removeprefix("IPY_MODEL_")][::4]
    eye = SceneView(scene, camera=cam).camera.position
    d = np.linalg.norm(centres[index[::6] // 4] - eye, axis=1)
    assert np.all(np.diff(d) <= 1e-6)  # back to front from the exported camera
