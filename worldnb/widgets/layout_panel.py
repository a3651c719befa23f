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


#: Panels take the rest of a row next to a view, and wrap below it (the view's page style)
#: when narrower than min_width; wide content (the report table) scrolls inside.
PANEL_LAYOUT = {"flex": "1 1 320px", "min_width": "280px", "overflow": "auto"}
# margins (2 px a side) stay inside the panel: 100 % would overflow it
_FULL = {"width": "calc(100% - 8px)", "max_width": "420px"}


class LayoutPanel(ipywidgets.VBox):
    """Plan furniture layouts and show them in a :class:`~worldnb.widgets.SceneView`.

    The controls start from the scene shown: its room kind (``scene.meta["kind"]``, else
    the kind whose usual furniture it has most of), its room's size and its furniture,
    so pressing Plan re-plans that room rather than another one.

    Args:
        view_or_scene: a ``SceneView`` (the planned scene replaces its scene), a
            :class:`~worldnb.Scene` or None (the panel then only reports).
        kind: initial room kind (None: from the scene, else ``"bedroom"``).

    Attributes:
        kind, width, depth, seed, walkway: the controls.
        items: a text box with the furniture list, comma-separated.
        status: a one-line ``Label`` (plain text) saying what happened.
        report: HTML widget with the constraint report and the reasons.
        result: the last :class:`~worldnb.layout.LayoutResult` (None before).
        scene: the last planned or sampled scene.

    Example:
        >>> panel = LayoutPanel(None, kind="office")
        >>> panel.width.value, panel.depth.value = 3.6, 3.2
        >>> res = panel.plan()
        >>> {"desk", "office chair"} <= set(res.scene.labels())
        True
        >>> panel.status.value.startswith("planned")
        True
    """

    def __init__(self, view_or_scene=None, *, kind: str | None = None):
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
        if kind is None:
            kind = _kind_of(self.scene)
        elif kind not in ROOM_KINDS:
            raise InputError(f"kind: expected one of {', '.join(ROOM_KINDS)}, got {kind!r}")
        self.result = None
        style = {"description_width": "96px"}
        full = ipywidgets.Layout(**_FULL)
        self.kind = ipywidgets.Dropdown(
            options=list(ROOM_KINDS), value=kind, description="room", style=style, layout=full
        )
        self.width = ipywidgets.FloatSlider(
            4.0, min=2.5, max=8.0, step=0.05, description="width (m)", style=style, layout=full
        )
        self.depth = ipywidgets.FloatSlider(
            3.6, min=2.5, max=8.0, step=0.05, description="depth (m)", style=style, layout=full
        )
        self.seed = ipywidgets.IntText(0, description="seed", style=style, layout=full)
        self.walkway = ipywidgets.FloatSlider(
            0.9, min=0.5, max=1.5, step=0.05, description="walkway (m)", style=style, layout=full
        )
        self.items = ipywidgets.Textarea(
            value=_DEFAULT_ITEMS[kind], description="furniture", style=style, layout=full
        )
        self.plan_button = ipywidgets.Button(
            description="Plan", button_style="primary", icon="th-large"
        )
        self.sample_button = ipywidgets.Button(description="Random room", icon="random")
        self.status = ipywidgets.Label("", layout=ipywidgets.Layout(**_FULL))
        self.report = ipywidgets.HTML("", layout=ipywidgets.Layout(width="calc(100% - 8px)"))
        self._set_size_from(kind)
        if self.scene is not None:
            self._match(self.scene)
            seed = self.scene.meta.get("seed") if isinstance(self.scene.meta, dict) else None
            if isinstance(seed, int) and seed >= 0:
                self.seed.value = seed
        self.kind.observe(self._on_kind, names="value")
        self.plan_button.on_click(lambda _b: self._safely(self.plan))
        self.sample_button.on_click(lambda _b: self._safely(self.sample))
        super().__init__(
            [
                self.kind,
                self.seed,
                self.width,
                self.depth,
                self.walkway,
                self.items,
                ipywidgets.HBox(
                    [self.plan_button, self.sample_button],
                    layout=ipywidgets.Layout(flex_flow="row wrap"),
                ),
                self.status,
                self.report,
            ],
            layout=ipywidgets.Layout(**PANEL_LAYOUT),
        )
        self.add_class("worldnb-layout-panel")

    # ---- actions ------------------------------------------------------------------
    def furniture(self) -> list[str]:
        """The furniture list from the text box."""
        return [s.strip() for s in self.items.value.replace("\n", ",").split(",") if s.strip()]

    def room(self):
        """The room to plan in: the scene's own room while the size controls still
        describe it (Plan re-plans the room shown, doors and windows included), else a
        rectangular room of the chosen size with a door and windows (from the seed)."""
        from ..worlds import sample_shell

        size = (self.width.value, self.depth.value)
        own = self.scene.room if self.scene is not None else None
        if own is not None:
            lo, hi = own.floor_xz.min(0), own.floor_xz.max(0)
            if np.allclose(hi - lo, size, atol=0.006):
                return own
        return sample_shell(self.kind.value, int(self.seed.value), size)

    def plan(self):
        """Plan the furniture list in the room; show it and its report. Returns the result."""
        from ..layout import plan

        self._say("planning…")
        res = plan(
            self.room(), self.furniture(), seed=int(self.seed.value), walkway=self.walkway.value
        )
        self.result = res
        self._show(res.scene)
        self._say(
            f"planned {len(res.scene.objects)} pieces, soft score {res.score:.0%}, "
            f"{res.solve_time:.2f} s"
        )
        reasons = "".join(f"<li>{html.escape(s)}</li>" for s in res.explain())
        self.report.value = _scrolling(res._repr_html_() + f"<ul>{reasons}</ul>")
        return res

    def sample(self) -> Scene:
        """A random furnished room of the chosen kind (``worlds.sample_room``); the size
        and furniture controls then describe it."""
        from ..worlds import sample_room

        scene = sample_room(self.kind.value, seed=int(self.seed.value))
        self.result = None
        self._show(scene)
        self._match(scene)
        self._say(
            f"{self.kind.value} {self.width.value:.2f} × {self.depth.value:.2f} m, "
            f"{len(scene.objects)} pieces"
        )
        self.report.value = _scrolling("<br>".join(html.escape(o.name) for o in scene.objects))
        return scene

    # ---- helpers ------------------------------------------------------------------
    def _say(self, text: str, error: bool = False) -> None:
        self.status.style.text_color = "#b00" if error else None
        self.status.value = text

    def _show(self, scene: Scene) -> None:
        self.scene = scene
        if self.view is not None:
            self.view.set_scene(scene)

    def _safely(self, fn) -> None:
        try:
            fn()
        except WorldnbError as exc:
            self._say(str(exc), error=True)
            self.report.value = ""

    def _match(self, scene: Scene) -> None:
        """Set the size and furniture controls to ``scene``'s room and objects."""
        if scene.room is not None:
            lo, hi = scene.room.floor_xz.min(0), scene.room.floor_xz.max(0)
            for slider, v in ((self.width, hi[0] - lo[0]), (self.depth, hi[1] - lo[1])):
                v = float(np.round(v, 2))
                slider.max = max(slider.max, v)
                slider.min = min(slider.min, v)
                slider.value = v
        # the furniture, not the clutter the worlds scatter after planning
        labels = [o.label for o in scene.objects if not o.attrs.get("clutter")]
        if labels:
            self.items.value = ", ".join(labels)

    def _set_size_from(self, kind: str) -> None:
        from ..worlds import ROOM_SIZES

        (w0, w1), (d0, d1) = ROOM_SIZES[kind]
        self.width.value = float(np.round((w0 + w1) / 2, 2))
        self.depth.value = float(np.round((d0 + d1) / 2, 2))

    def _on_kind(self, change) -> None:
        self.items.value = _DEFAULT_ITEMS[change["new"]]
        self._set_size_from(change["new"])


def _scrolling(body: str) -> str:
    """HTML that scrolls sideways inside the panel instead of widening it."""
    return f"<div style='overflow-x:auto;max-width:100%'>{body}</div>"


def _kind_of(scene: Scene | None) -> str:
    """The room kind of ``scene``: its ``meta["kind"]``, else the kind whose usual
    furniture it has most of, else ``"bedroom"``."""
    if scene is None:
        return "bedroom"
    kind = scene.meta.get("kind") if isinstance(scene.meta, dict) else None
    if kind in _DEFAULT_ITEMS:
        return kind
    labels = {o.label for o in scene.objects}
    best, hits = "bedroom", 0
    for k, items in _DEFAULT_ITEMS.items():
        n = len(labels & {s.strip() for s in items.split(",")})
        if n > hits:
            best, hits = k, n
    return best
