"""LayoutPanel: plans into the live view, reports constraints, shows failures."""

from __future__ import annotations

import pytest

from worldnb.errors import InputError
from worldnb.widgets.layout_panel import LayoutPanel
from worldnb.worlds import sample_room


def test_plan_updates_the_view_and_report():
    from worldnb.widgets import SceneView

    view = SceneView(sample_room("office", seed=0))
    panel = LayoutPanel(view, kind="bedroom")
    panel.width.value, panel.depth.value = 4.2, 3.8
    panel.items.value = "bed, nightstand, wardrobe"
    res = panel.plan()
    assert view.scene is res.scene and panel.scene is res.scene
    assert set(res.scene.labels()) == {"bed", "nightstand", "wardrobe"}
    assert "walkway" in panel.report.value and "The bed" in panel.report.value
    scene = panel.sample()
    assert view.scene is scene and scene.meta["kind"] == "bedroom"
    # the list holds the sampled furniture, not its clutter, so Plan can replan it
    furniture = [o.label for o in scene.objects if not o.attrs.get("clutter")]
    assert panel.furniture() == furniture and len(furniture) < len(scene.objects)
    assert set(panel.plan().scene.labels()) == set(furniture)


def test_kind_change_fills_the_list_and_failures_are_shown():
    panel = LayoutPanel(None)
    panel.kind.value = "kitchen"
    assert "stove" in panel.furniture()
    panel.width.value = panel.depth.value = 2.5
    panel.items.value = "bed, wardrobe, sofa, dining table"
    panel.plan_button.click()
    assert "cannot" in panel.status.value and panel.result is None


def test_bad_arguments():
    with pytest.raises(InputError, match="SceneView"):
        LayoutPanel(42)
    with pytest.raises(InputError, match="kind"):
        LayoutPanel(None, kind="garage")
