"""LayoutPanel: choose a room kind and size, edit the furniture list, plan, and see the
layout in the live view with its constraint report and reasons."""

from __future__ import annotations

import html

import ipywidgets
import numpy as np

from ..errors import InputError, WorldnbError
from ..scene import Scene

__all__ = ["LayoutPanel"]

_DEFAULT_ITEMS = {
    "bedroom": "bed, nightstand, nightstand, wardrobe, table lamp, dresser",
    "living_room": "sofa, tv stand, tv, coffee table, armchair, bookshelf, plant",
    "dining_room": "dining table, chair, chair, chair, chair, sideboard",
    "office": "desk, office chair, monitor, bookshelf, cabinet, plant",
    "kitchen": "counter, sink, stove, fridge, microwave, trash bin",
}


class LayoutPanel(ipywidgets.VBox):
    """Plan furniture layouts and show them in a :class:`~worldnb.widgets.SceneView`.

    Args:
        view_or_scene: a ``SceneView`` (the planned scene replaces its scene), a
            :class:`~worldnb.Scene` or None (the panel then only reports).
        kind: initial room kind.

    Attributes:
        kind, width, depth, seed, walkway: the controls.
        items: a text box with the furniture list, comma-separated.
        report: HTML widget with the constraint report and the reasons.
        result: the last :class:`~worldnb.layout.LayoutResult` (None before).
        scene: the last planned or sampled scene.

    Example:
        >>> panel = LayoutPanel(None, kind="office")
        >>> panel.width.value, panel.depth.value = 3.6, 3.2
        >>> res = panel.plan()
        >>> {"desk", "office chair"} <= set(res.scene.labels())
        True
    """

    def __init__(self, view_or_scene=None, *, kind: str = "bedroom"):
        from ..worlds import ROOM_KINDS

        if view_or_scene is None or isinstance(view_or_scene, Scene):
            self.view, self.scene = None, view_or_scene
        elif hasattr(view_or_scene, "set_scene"):
            self.view, self.scene = view_or_scene, view_or_scene.scene
        else:
            raise InputError(
                "LayoutPanel: expected a SceneView (scene.show()), a Scene or None, "
                f"got {type(view_or_scene).__name__}"
            )
        if kind not in ROOM_KINDS:
            raise InputError(f"kind: expected one of {', '.join(ROOM_KINDS)}, got {kind!r}")
        self.result = None
        style = {"description_width": "70px"}
        self.kind = ipywidgets.Dropdown(
            options=list(ROOM_KINDS), value=kind, description="room", style=style
        )
        self.width = ipywidgets.FloatSlider(
            4.0, min=2.5, max=8.0, step=0.05, description="width (m)", style=style
        )
        self.depth = ipywidgets.FloatSlider(
            3.6, min=2.5, max=8.0, step=0.05, description="depth (m)", style=style
        )
        self.seed = ipywidgets.IntText(0, description="seed", style=style)
        self.walkway = ipywidgets.FloatSlider(
            0.9, min=0.5, max=1.5, step=0.05, description="walkway (m)", style=style
        )
        self.items = ipywidgets.Textarea(
            value=_DEFAULT_ITEMS[kind],
            description="furniture",
            style=style,
            layout=ipywidgets.Layout(width="98%"),
        )
        self.plan_button = ipywidgets.Button(
            description="Plan", button_style="primary", icon="th-large"
        )
        self.sample_button = ipywidgets.Button(description="Random room", icon="random")
        self.status = ipywidgets.HTML("")
        self.report = ipywidgets.HTML("")
        self.kind.observe(self._on_kind, names="value")
        self.plan_button.on_click(lambda _b: self._safely(self.plan))
        self.sample_button.on_click(lambda _b: self._safely(self.sample))
        super().__init__(
            [
                ipywidgets.HBox([self.kind, self.seed]),
                self.width,
                self.depth,
                self.walkway,
                self.items,
                ipywidgets.HBox([self.plan_button, self.sample_button]),
                self.status,
                self.report,
            ]
        )

    # ---- actions ------------------------------------------------------------------
    def furniture(self) -> list[str]:
        """The furniture list from the text box."""
        return [s.strip() for s in self.items.value.replace("\n", ",").split(",") if s.strip()]

    def room(self):
        """A rectangular room of the chosen size with a door and windows (from the seed)."""
        from ..worlds import sample_shell

        size = (self.width.value, self.depth.value)
        return sample_shell(self.kind.value, int(self.seed.value), size)

    def plan(self):
        """Plan the furniture list in the room; show it and its report. Returns the result."""
        from ..layout import plan

        self.status.value = "<i>planning…</i>"
        res = plan(
            self.room(), self.furniture(), seed=int(self.seed.value), walkway=self.walkway.value
        )
        self.result = res
        self._show(res.scene)
        self.status.value = (
            f"<b>{len(res.scene.objects)} pieces</b>, soft score {res.score:.0%}, "
            f"{res.solve_time:.2f} s"
        )
        reasons = "".join(f"<li>{html.escape(s)}</li>" for s in res.explain())
        self.report.value = res._repr_html_() + f"<ul>{reasons}</ul>"
        return res

    def sample(self) -> Scene:
        """A random furnished room of the chosen kind (``worlds.sample_room``)."""
        from ..worlds import sample_room

        scene = sample_room(self.kind.value, seed=int(self.seed.value))
        self.result = None
        self._show(scene)
        lo, hi = scene.room.floor_xz.min(0), scene.room.floor_xz.max(0)
        self.status.value = (
            f"<b>{self.kind.value}</b> {hi[0] - lo[0]:.2f} × {hi[1] - lo[1]:.2f} m, "
            f"{len(scene.objects)} pieces"
        )
        self.report.value = "<br>".join(html.escape(o.name) for o in scene.objects)
        return scene

    # ---- helpers ------------------------------------------------------------------
    def _show(self, scene: Scene) -> None:
        self.scene = scene
        if self.view is not None:
            self.view.set_scene(scene)

    def _safely(self, fn) -> None:
        try:
            fn()
        except WorldnbError as exc:
            self.status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            self.report.value = ""

    def _on_kind(self, change) -> None:
        self.items.value = _DEFAULT_ITEMS[change["new"]]
        from ..worlds import ROOM_SIZES

        (w0, w1), (d0, d1) = ROOM_SIZES[change["new"]]
        self.width.value = float(np.round((w0 + w1) / 2, 2))
        self.depth.value = float(np.round((d0 + d1) / 2, 2))
