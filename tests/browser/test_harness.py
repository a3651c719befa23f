"""The harness itself, proven on an ipywidgets slider (no 3D involved)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SLIDER_CELLS = [
    "import ipywidgets as W\nslider = W.IntSlider(value=3, min=0, max=10, description='n')\nslider",
    "print('cells done')",
]


def _readout(page) -> str:
    return page.page.locator(".widget-readout").first.inner_text().strip()


def test_slider_renders_and_syncs_both_ways(open_notebook):
    page = open_notebook(SLIDER_CELLS)
    page.run_all()
    page.wait_for_text("cells done")
    page.page.wait_for_selector(".widget-slider", timeout=30_000)
    assert _readout(page) == "3"

    # kernel → browser
    page.kernel.run("slider.value = 7")
    page.page.wait_for_function(
        "() => document.querySelector('.widget-readout').innerText.trim() === '7'", timeout=10_000
    )
    # browser → kernel: focus the slider handle and press End (max)
    page.page.locator(".widget-slider .noUi-handle").first.focus()
    page.page.keyboard.press("End")
    from .harness import wait_for

    wait_for(
        lambda: page.kernel.value("slider.value") == 10, 10, "slider.value == 10 in the kernel"
    )
    assert page.console_errors() == []
