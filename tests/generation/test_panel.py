import numpy as np
import pytest
from PIL import Image

from worldnb.errors import InputError
from worldnb.generation import GenerationConfig, config_fields
from worldnb.testing import OracleDepth, OracleInpaint
from worldnb.widgets import SceneView
from worldnb.widgets.generate_panel import GeneratePanel


def test_sliders_come_from_the_config():
    panel = GeneratePanel(config=GenerationConfig(steps=7, depth_scale=None))
    for f in config_fields():
        assert f.name in panel.controls
        w = panel.controls[f.name]
        if f.range is not None and f.type in (int, float) and hasattr(w, "min"):
            assert (w.min, w.max) == tuple(f.range)
    assert panel.controls["steps"].value == 7
    assert panel.config.depth_scale is None
    panel.controls["depth_scale"].auto.value = False
    panel.controls["depth_scale"].slider.value = 2.0
    panel.controls["guidance_scale"].value = 3.5
    cfg = panel.config
    assert cfg.depth_scale == 2.0 and cfg.guidance_scale == 3.5 and cfg.steps == 7


def test_run_previews_views_and_updates_the_view(room, room_camera, room_render, tmp_path):
    view = SceneView(__import__("worldnb").Scene())
    panel = GeneratePanel(
        view,
        depth=OracleDepth(room, room_camera, device="cpu"),
        inpaint=OracleInpaint(room, room_camera, device="cpu"),
        device="cpu",
    )
    p = tmp_path / "room.png"
    Image.fromarray((room_render.rgb * 255).astype(np.uint8)).save(p)
    panel.path.value = str(p)  # typing a path loads it
    assert panel.thumbnail.value[:4] == b"\x89PNG"
    panel.controls["n_views"].value = 1
    scene = panel.run(block=True)
    assert scene is not None and panel.error is None
    assert len(panel.previews.children) == 1  # the generated view, shown as it arrived
    assert panel.progress.value == panel.progress.max
    assert view.scene is scene
    assert "Done" in panel.status.value


def test_background_run_cancel_and_errors(flat_image):
    panel = GeneratePanel()
    assert panel.run() is None and isinstance(panel.error, InputError)  # no image yet
    assert "no image" in panel.status.value
    panel.set_image("/no/such/file.png")
    assert "no file" in panel.status.value
    slow = {"n": 0}

    def depth(rgb):
        slow["n"] += 1
        return np.full(rgb.shape[:2], 2.0)

    panel = GeneratePanel(depth=depth, image=flat_image)
    panel.controls["n_views"].value = 0
    panel.cancel()  # a cancel before the run is forgotten when it starts
    panel.run(block=False)
    scene = panel.wait(60)
    assert scene is not None and slow["n"] == 1 and panel.view is not None
    panel._cancel.set()  # as the Cancel button does mid-run
    assert panel._on_event(type("E", (), {"total": 3, "step": 1, "status": "x"})()) is False


def test_upload_of_a_non_image_shows_an_error():
    panel = GeneratePanel()
    panel._on_upload({"new": ({"name": "x.png", "content": memoryview(b"hello")},)})
    assert isinstance(panel.error, InputError)
    with pytest.raises(InputError):
        GeneratePanel(config={"steps": 3})


def _spy(panel, on_geometry):
    """Wrap the panel's event handler: ``on_geometry(panel)`` after each geometry event."""
    handle = panel._on_event

    def wrapped(event):
        out = handle(event)
        if event.status == "geometry":
            on_geometry(panel)
        return out

    panel._on_event = wrapped


def _oracle_panel(view, room, room_camera, room_render):
    panel = GeneratePanel(
        view,
        depth=OracleDepth(room, room_camera, device="cpu"),
        inpaint=OracleInpaint(room, room_camera, device="cpu"),
        device="cpu",
        image=room_render.rgb,
    )
    panel.controls["n_views"].value = 2
    panel.controls["refine_iters"].value = 0
    return panel


def test_the_view_grows_as_views_arrive(room, room_camera, room_render):
    view = SceneView(__import__("worldnb").Scene(), width=64, height=48)
    panel = _oracle_panel(view, room, room_camera, room_render)
    shown = []
    _spy(panel, lambda p: shown.append(len(p.view.scene.layers["points"])))
    scene = panel.run(block=True)
    assert panel.error is None and view.scene is scene and panel.live is None
    # the lifted photo, then each view's new surfaces, in the view as they arrived
    assert len(shown) == 3 and shown[0] == 64 * 64 and shown[0] < shown[1] < shown[2]
    assert shown[2] == len(scene.layers["points"])


def test_cancel_puts_back_the_scene_shown_before(room, room_camera, room_render):
    import worldnb
    from worldnb.errors import CancelledError

    before = worldnb.Scene(room=worldnb.Room.rectangle(4, 3))
    bed = before.add_object("bed", worldnb.OrientedBox((1, 0.3, 1), (2, 0.6, 1.6)))
    view = SceneView(before, width=64, height=48)
    view.highlight(bed.id, "#00ff00")
    panel = _oracle_panel(view, room, room_camera, room_render)
    during = []

    def cancel_after_first_view(p):
        during.append((p.view.scene is p.live, "points" in p.view.scene.layers))
        if len(during) == 2:
            p.cancel()

    _spy(panel, cancel_after_first_view)
    assert panel.run(block=True) is None
    assert isinstance(panel.error, CancelledError) and panel.scene is None
    assert during == [(True, True), (True, True)]  # the growing scene was shown
    assert view.scene is before and "points" not in view._layers
    assert view.highlighted == {bed.id: "#00ff00"}
    # a panel that made its own view during the run takes it away again
    panel = _oracle_panel(None, room, room_camera, room_render)
    _spy(panel, lambda p: p.cancel())
    assert panel.run(block=True) is None and isinstance(panel.error, CancelledError)
    assert panel.view is None and not any(isinstance(c, SceneView) for c in panel.children)
