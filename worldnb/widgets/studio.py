"""studio(): the live view plus whichever panels are installed, in one widget."""

from __future__ import annotations

import importlib

import ipywidgets

from ..errors import InputError
from ..scene.scene import Scene
from .scene_view import SceneView

__all__ = ["PANELS", "available_panels", "studio"]

#: Panels composed around the view: (module under worldnb.widgets, class name, tab title).
#: Each panel class is called as ``Panel(view, **options)`` and must be a widget; it acts
#: on the scene through the view's API (``view.highlight``, ``view.set_scene``, ...).
PANELS: tuple[tuple[str, str, str], ...] = (
    ("ask_panel", "AskPanel", "Ask"),
    ("layout_panel", "LayoutPanel", "Layout"),
    ("generate_panel", "GeneratePanel", "Generate"),
)


def available_panels() -> dict[str, type]:
    """Tab title → panel class, for the panels whose modules are present."""
    found = {}
    for module, cls, title in PANELS:
        try:
            mod = importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{module}":
                continue  # that panel is not part of this install
            raise
        found[title] = getattr(mod, cls)
    return found


def studio(
    scene: Scene | None = None,
    *,
    panels=None,
    depth=None,
    inpaint=None,
    segment=None,
    image=None,
    **view_options,
) -> ipywidgets.Widget:
    """The live 3D view of ``scene`` with the question, layout and generation panels.

    Args:
        scene: the scene to show (an empty scene if None).
        panels: tab titles to include (default: every available panel).
        depth: the Generate tab's depth backend (Hugging Face id, folder or callable),
            as for :func:`worldnb.generate`.
        inpaint: its inpainting backend.
        segment: its segmentation backend.
        image: an image the Generate tab starts with (path, array, PIL image).
        **view_options: passed to :class:`SceneView`.

    Returns:
        A widget: the view on the left, the panels as tabs on the right (below it when
        the window is too narrow for both). The view is ``widget.view``; the panels are
        ``widget.panels`` (title → panel).

    Example:
        >>> import worldnb as wn
        >>> box = studio(wn.worlds.sample_room("office", seed=1), width=320, height=200)
        >>> sorted(box.panels), box.panels["Layout"].kind.value
        (['Ask', 'Generate', 'Layout'], 'office')
    """
    scene = Scene() if scene is None else scene
    view = SceneView(scene, **view_options)
    found = available_panels()
    wanted = list(found) if panels is None else list(panels)
    missing = [p for p in wanted if p not in found]
    if missing:
        raise InputError(f"panels: {missing} not available; available: {sorted(found)}")
    generate = {"depth": depth, "inpaint": inpaint, "segment": segment, "image": image}
    if "Generate" not in wanted and any(v is not None for v in generate.values()):
        given = ", ".join(k for k, v in generate.items() if v is not None)
        raise InputError(f"{given}: only the Generate panel takes these; it is not in panels")
    options = {"Generate": {k: v for k, v in generate.items() if v is not None}}
    built = {title: found[title](view, **options.get(title, {})) for title in wanted}
    # the view keeps its size; the tabs take the rest of the row, or wrap below it
    layout = ipywidgets.Layout(flex_flow="row wrap", align_items="flex-start", width="100%")
    if built:
        tabs = ipywidgets.Tab(
            children=list(built.values()),
            titles=list(built),
            layout=ipywidgets.Layout(flex="1 1 340px", min_width="0"),
        )
        box = ipywidgets.HBox([view, tabs], layout=layout)
    else:
        box = ipywidgets.HBox([view], layout=layout)
    box.add_class("worldnb-studio")
    box.view = view
    box.panels = built
    return box
