"""Widget defects of issue 16, kernel side: the view's colours, size and highlight after a
scene change; the panels' defaults and their state after actions. (What the browser shows
is checked in tests/browser/test_visual.py.)"""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

import worldnb as wn
from worldnb.errors import InputError
from worldnb.widgets import SceneView, studio
from worldnb.widgets.ask_panel import AskPanel
from worldnb.widgets.generate_panel import GeneratePanel
from worldnb.widgets.layout_panel import LayoutPanel


def _boxes() -> wn.Scene:
    s = wn.Scene(room=wn.Room.rectangle(4, 3))
    s.add_object("bed", wn.OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)), color="red")
    s.add_object("lamp", wn.OrientedBox((1.5, 0.4, 1.0), (0.3, 0.8, 0.3)))
    s.add_object("rug", wn.OrientedBox((-1, 0.01, 0), (1, 0.02, 1)), color=(0.0, 0.5, 1.0))
    return s


@pytest.mark.parametrize("bg", ["#202020", "#f7f7f7"])
def test_background_is_the_three_scene_background_too(bg):
    # pythreejs' Scene is white by default and covers the renderer's clear colour
    view = SceneView(_boxes(), background=bg)
    assert view.renderer.background == bg
    assert view.renderer.scene.background == bg
    assert view.renderer.background_opacity == 1.0
    links = {(lk.source[0], lk.target[0], lk.target[1]) for lk in view._links[:2]}
    assert links == {
        (view.background, view.renderer, "background"),
        (view.background, view.renderer.scene, "background"),
    }


def test_object_colours_show_in_the_live_view():
    view = SceneView(_boxes())
    bed, lamp, rug = (view._objects[i] for i in (1, 2, 3))
    assert bed.solid.material.color == "#ff0000" and bed.edges.material.color == "#ff0000"
    assert rug.solid.material.color == "#0080ff"
    assert lamp.solid.material.color == "#b3b3b3"  # render's grey for colourless boxes
    assert bed.solid in bed.group.children


def test_objects_a_layer_draws_get_no_solid_box():
    s = _boxes()
    v, f = s.object(1).box.triangles()
    s.layers["bed"] = wn.Mesh(v, f, instance=np.full(len(f), 1, np.int32))
    view = SceneView(s)
    assert view._objects[1].solid is None
    assert view._objects[1].edges.material.color == "#ff0000"
    assert view._objects[2].solid is not None


def test_bad_colours_fall_back_to_grey_like_render():
    s = wn.Scene()
    s.add_object("a", wn.OrientedBox((0, 0.5, 0), (1, 1, 1)), color="not a colour")
    s.add_object("b", wn.OrientedBox((2, 0.5, 0), (1, 1, 1)), color=(2.0, 0.0, 0.0))
    view = SceneView(s)
    assert {view._objects[i].solid.material.color for i in (1, 2)} == {"#b3b3b3"}


def test_view_keeps_its_size_in_a_row():
    view = SceneView(_boxes(), width=480, height=300)
    assert view.layout.flex == "0 0 auto"
    assert view.layout.width == view.layout.min_width == "480px"
    # the slider and toggle rows wrap to the canvas width instead of widening the view
    rows = [c for c in view.children if isinstance(c, ipywidgets.HBox)]
    assert rows and all(r.layout.flex_flow == "row wrap" for r in rows)
    # a row holding the view wraps what does not fit beside it (page style it brings)
    style = [c for c in view.children if isinstance(c, ipywidgets.HTML) and "<style>" in c.value]
    assert len(style) == 1 and ":has(> .worldnb-sceneview)" in style[0].value
    assert style[0].layout.display == "none"


def test_another_scene_drops_the_highlight():
    view = SceneView(_boxes())
    view.highlight([1])
    other = _boxes()  # same ids, other objects
    view.set_scene(other)
    assert view.highlighted == {}
    assert view._objects[1].solid.material.color == "#ff0000"
    view.highlight([2])
    view.set_scene(other)  # the same scene edited in place keeps its highlight
    assert view.highlighted == {2: "#ffcc00"}


def test_layout_panel_starts_from_the_scene_shown():
    scene = wn.worlds.sample_room("living_room", seed=3)
    panel = LayoutPanel(SceneView(scene))
    assert panel.kind.value == "living_room"
    lo, hi = scene.room.floor_xz.min(0), scene.room.floor_xz.max(0)
    assert (panel.width.value, panel.depth.value) == pytest.approx(tuple(hi - lo), abs=0.01)
    assert sorted(panel.furniture()) == sorted(
        o.label for o in scene.objects if not o.attrs.get("clutter")
    )
    assert panel.seed.value == 3
    # a scene without meta: the kind whose usual furniture it has
    s = wn.Scene(room=wn.Room.rectangle(4, 4))
    for label in ("desk", "office chair", "monitor"):
        s.add_object(label, wn.OrientedBox((0, 0.4, 0), (0.5, 0.8, 0.5)))
    assert LayoutPanel(s).kind.value == "office"
    assert LayoutPanel(wn.Scene()).kind.value == "bedroom"
    assert LayoutPanel(s, kind="kitchen").kind.value == "kitchen"
    with pytest.raises(InputError, match="kind"):
        LayoutPanel(s, kind="garage")


def test_layout_panel_controls_match_the_random_room():
    view = SceneView(wn.Scene())
    panel = LayoutPanel(view, kind="dining_room")
    panel.seed.value = 5
    panel.sample_button.click()
    scene = view.scene
    assert scene is panel.scene and scene.meta["kind"] == "dining_room"
    lo, hi = scene.room.floor_xz.min(0), scene.room.floor_xz.max(0)
    assert (panel.width.value, panel.depth.value) == pytest.approx(tuple(hi - lo), abs=0.01)
    assert sorted(panel.furniture()) == sorted(
        o.label for o in scene.objects if not o.attrs.get("clutter")
    )
    # status is plain text, not HTML
    assert isinstance(panel.status, ipywidgets.Label) and "<" not in panel.status.value
    assert panel.status.value.startswith("dining_room")
    # Plan re-plans that furniture in that room (its doors and windows too) ...
    assert panel.room() is scene.room
    panel.plan_button.click()
    assert sorted(view.scene.labels()) == sorted(set(panel.furniture()))
    assert panel.status.value.startswith("planned") and "<" not in panel.status.value
    # ... and in a new room once the size changes
    panel.width.value += 0.5
    assert panel.room() is not view.scene.room


def test_layout_panel_errors_are_plain_red_text():
    panel = LayoutPanel(None)
    panel.items.value = "bed, unicorn"
    panel.plan_button.click()
    assert "unicorn" in panel.status.value and "<" not in panel.status.value
    assert panel.status.style.text_color == "#b00"
    panel.items.value = "bed"
    panel.plan_button.click()
    assert panel.status.style.text_color is None


def test_ask_panel_follows_the_views_scene():
    view = SceneView(_boxes())
    ask = AskPanel(view)
    assert ask.ask("how many beds are there?").value == 1
    view.set_scene(wn.worlds.sample_room("dining_room", seed=0))
    assert ask.ask("how many beds are there?").value == 0


def test_generate_panel_hides_the_empty_thumbnail():
    panel = GeneratePanel()
    assert panel.thumbnail.layout.display == "none"
    panel.set_image(np.full((32, 32, 3), 0.5, np.float32))
    assert panel.thumbnail.layout.display is None and panel.thumbnail.value


def test_studio_passes_models_to_the_generate_panel():
    def depth(rgb):
        return np.full(rgb.shape[:2], 2.0, np.float32)

    def seg(rgb):
        return np.zeros(rgb.shape[:2], np.int32)

    box = studio(
        _boxes(),
        depth=depth,
        inpaint="some/model",
        segment=seg,
        image=np.full((32, 32, 3), 0.5, np.float32),
        width=320,
        height=200,
    )
    gen = box.panels["Generate"]
    assert (gen.depth, gen.inpaint, gen.segment) == (depth, "some/model", seg)
    assert gen.thumbnail.value
    assert box.panels["Layout"].kind.value == "bedroom"
    assert box.layout.flex_flow == "row wrap"
    with pytest.raises(InputError, match="Generate panel"):
        studio(_boxes(), panels=["Ask"], depth=depth)
