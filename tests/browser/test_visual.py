"""What composed widgets look like in JupyterLab after their actions (issue 16).

Each check looks at the page as laid out: the 3D canvas keeps >= 90 % of its requested
size and is not covered, no slider, toggle or button is cut off, every slider shows its
readout, and at the pixel level the canvas background is the requested colour and a red
object shows red where it projects. Checked at a 1000 px and a 700 px wide window.
Screenshots of failures go to test-artifacts/ (the open_notebook fixture saves them).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import worldnb as wn

from .harness import wait_for
from .visual import (
    background_share,
    box_mask,
    canvas_pixels,
    color_share,
    layout_problems,
)

pytestmark = pytest.mark.browser

W, H, BG = 400, 260, "#202020"
WIDTHS = (1000, 700)
BED = wn.OrientedBox((-0.6, 0.3, -0.3), (1.6, 0.6, 2.0))
SCENE = f"""
import ipywidgets, numpy as np, worldnb as wn
from worldnb.widgets import SceneView, studio
from worldnb.widgets.ask_panel import AskPanel
from worldnb.widgets.layout_panel import LayoutPanel
from worldnb.widgets.generate_panel import GeneratePanel

def make_scene():
    door = dict(kind='door', wall='wall_0', offset=3.0, width=0.9, height=2.0)
    s = wn.Scene(room=wn.Room.rectangle(4, 3, openings=[door]))
    s.add_object('bed', wn.OrientedBox({tuple(BED.center.tolist())}, {tuple(BED.size.tolist())}),
                 color='red')
    return s
"""
ROWS = (
    SCENE
    + f"""
views, panels, rows = {{}}, {{}}, {{}}
for name, Panel in [('ask', AskPanel), ('layout', LayoutPanel), ('generate', GeneratePanel)]:
    views[name] = SceneView(make_scene(), width={W}, height={H}, background={BG!r})
    panels[name] = Panel(views[name])
    rows[name] = ipywidgets.HBox([views[name], panels[name]])
"""
)
ROW = ".jp-OutputArea-output:has(.worldnb-sceneview)"
DONE = "print('cells done')"


def _open(open_notebook, cells):
    """Run the notebook at the first width, with JupyterLab's file browser closed (at
    700 px it would leave the notebook narrower than the canvas)."""
    page = open_notebook(cells)
    page.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()
    page.page.locator("#jp-left-stack").wait_for(state="hidden", timeout=10_000)
    page.run_all()
    page.wait_for_text("cells done", timeout=90)
    return page


def _check_layout(page, index: int, what: str, artifacts_dir) -> int:
    problems, checked = layout_problems(page, ROW, index, (W, H))
    if problems:
        page.page.screenshot(path=str(artifacts_dir / f"{what.replace(' ', '_')}.png"))
    assert problems == [], f"{what}: {problems}"
    return checked


def _check_pixels(page, index: int, view: str, what: str) -> None:
    """The background is BG and the red bed shows red where it projects."""
    cam = wn.Camera.from_dict(page.kernel.value(f"{view}.camera.to_dict()"))
    mask = box_mask(cam, BED, (H, W))

    def good(px):
        px = px[:H, :W]  # a canvas at a fractional position screenshots a pixel larger
        return background_share(px, BG) > 0.5 and color_share(px, mask, "red") > 0.6

    px = wait_for(
        lambda: (lambda a: a if good(a) else None)(canvas_pixels(page, ROW, index)),
        20,
        f"{what}: background {BG} and the red bed",
    )
    assert abs(px.shape[0] - H) <= 1 and abs(px.shape[1] - W) <= 1


def _at_each_width(page, rows: int, what: str, artifacts_dir) -> None:
    for width in WIDTHS:
        page.page.set_viewport_size({"width": width, "height": 900})
        for i in range(rows):
            _check_layout(page, i, f"{what} row {i} at {width} px", artifacts_dir)
            page.page.screenshot(path=str(artifacts_dir / f"{what} {i} {width}px.png"))


def test_view_next_to_each_panel_after_ask_random_room_and_plan(open_notebook, artifacts_dir):
    page = _open(open_notebook, [ROWS, "rows['ask']", "rows['layout']", "rows['generate']", DONE])
    for i, name in enumerate(("ask", "layout", "generate")):
        _check_pixels(page, i, f"views[{name!r}]", f"{name} row")
    _at_each_width(page, 3, "first look", artifacts_dir)
    page.page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    # Ask, typed into the box: the answer shows and the door it cites lights up
    ask_row = page.page.locator(ROW).nth(0)
    before = canvas_pixels(page, ROW, 0)
    box = ask_row.locator(".worldnb-ask-panel input[type=text]").first
    box.fill("how far is the bed from the door?")
    box.press("Enter")
    ask_row.locator(".worldnb-answer, .widget-html-content:has-text('door')").first.wait_for(
        timeout=20_000
    )
    assert page.kernel.value("sorted(views['ask'].highlighted)") == [1, 1001]

    def door_lit(a):
        yellow = (a[..., 0] > 200) & (a[..., 1] > 160) & (a[..., 2] < 80)
        was = (before[..., 0] > 200) & (before[..., 1] > 160) & (before[..., 2] < 80)
        return yellow.sum() > was.sum() + 100

    wait_for(lambda: door_lit(canvas_pixels(page, ROW, 0)), 20, "the door highlighted")
    _check_layout(page, 0, "after Ask", artifacts_dir)

    # Random room, clicked: the controls describe the room shown
    layout_row = page.page.locator(ROW).nth(1)
    page.kernel.run("panels['layout'].kind.value = 'living_room'")
    layout_row.get_by_role("button", name="Random room").click()
    wait_for(
        lambda: page.kernel.value("panels['layout'].status.value").startswith("living_room"),
        60,
        "the random living room",
    )
    state = page.kernel.value(
        "[views['layout'].scene.meta['kind'], panels['layout'].width.value, "
        "float(np.ptp(views['layout'].scene.room.floor_xz[:, 0])), "
        "sorted(panels['layout'].furniture()), "
        "sorted(o.label for o in views['layout'].scene.objects "
        "if not o.attrs.get('clutter'))]"
    )
    assert state[0] == "living_room" and state[1] == pytest.approx(state[2], abs=0.01)
    assert state[3] == state[4]
    _check_layout(page, 1, "after Random room", artifacts_dir)

    # Plan, clicked: the wide constraint report does not squash the view
    layout_row.get_by_role("button", name="Plan").click()
    wait_for(
        lambda: page.kernel.value("panels['layout'].status.value").startswith("planned"),
        90,
        "the plan",
    )
    layout_row.locator("table").first.wait_for(timeout=20_000)
    _check_layout(page, 1, "after Plan", artifacts_dir)
    _at_each_width(page, 3, "after the actions", artifacts_dir)
    assert page.console_errors() == []


STUDIO = (
    SCENE
    + f"""
app = studio(make_scene(), width={W}, height={H}, background={BG!r})
"""
)


def test_studio_every_tab_in_turn(open_notebook, artifacts_dir):
    page = _open(open_notebook, [STUDIO, "app", DONE])
    _check_pixels(page, 0, "app.view", "studio")
    titles = page.kernel.value("list(app.panels)")
    assert titles == ["Ask", "Layout", "Generate"]
    checked = {}
    for width in WIDTHS:
        page.page.set_viewport_size({"width": width, "height": 900})
        for title in titles:
            page.page.locator(".lm-TabBar-tab", has_text=title).first.click()
            wait_for(
                lambda t=title: (
                    page.kernel.value("app.children[1].selected_index") == titles.index(t)
                ),
                10,
                f"the {title} tab open",
            )
            n = _check_layout(page, 0, f"studio {title} tab at {width} px", artifacts_dir)
            checked[f"{title}@{width}"] = n
        page.page.screenshot(path=str(artifacts_dir / f"studio_{width}px.png"))
    # the Generate tab shows no broken image before an image is chosen
    broken = page.page.evaluate(
        "() => Array.from(document.querySelectorAll('.worldnb-generate-panel img'))"
        ".filter(i => i.offsetParent !== null && !(i.complete && i.naturalWidth > 0)).length"
    )
    assert broken == 0
    print(json.dumps({"controls_checked": checked}))
    assert min(checked.values()) >= 4
    _check_pixels(page, 0, "app.view", "studio after the tabs")
    assert page.console_errors() == []
    assert np.isfinite(page.kernel.value("app.view.orbit.distance"))
