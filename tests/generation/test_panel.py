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
