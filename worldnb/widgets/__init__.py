"""Live widgets: the 3D scene view, a static HTML export, and the studio.

- :class:`SceneView` — ``scene.show()``: pythreejs view with camera sliders, layer
  toggles, highlighting and in-place updates.
- :func:`to_html` — ``scene.to_html(path)``: a self-contained page (no kernel, no network).
- :func:`studio` — the view plus the panels below, composed.

Panels are written against SceneView's API (``highlight``, ``clear_highlight``,
``set_scene``, ``update_layer``, ``set_camera``) and live in their own modules:
``ask_panel.AskPanel``, ``layout_panel.LayoutPanel``, ``generate_panel.GeneratePanel``.
They are imported lazily (see :data:`worldnb.widgets.studio.PANELS`), so a missing or
unfinished panel never breaks the view.
"""

from __future__ import annotations

import importlib

from .html import to_html
from .scene_view import SceneView
from .studio import available_panels, studio

__all__ = [
    "AskPanel",
    "GeneratePanel",
    "LayoutPanel",
    "SceneView",
    "available_panels",
    "studio",
    "to_html",
]

# ---- panels (written by other engines against SceneView's API; imported on first use) --
_PANEL_MODULES = {
    "AskPanel": "ask_panel",
    "LayoutPanel": "layout_panel",
    "GeneratePanel": "generate_panel",
}


def __getattr__(name: str):
    if name in _PANEL_MODULES:
        value = getattr(importlib.import_module(f"{__name__}.{_PANEL_MODULES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
