"""AskPanel: a question box whose answers appear inline, with their evidence, and whose
objects light up in the 3D view."""

from __future__ import annotations

import ipywidgets

from ..errors import InputError, WorldnbError
from ..scene import Scene

__all__ = ["AskPanel"]

#: Highlight colour per answer status.
COLORS = {"ok": "#ffcc00", "ambiguous": "#ff8800"}


class AskPanel(ipywidgets.VBox):
    """Ask spatial questions in English; see the answer, its evidence, and the objects.

    Args:
        view_or_scene: a :class:`~worldnb.widgets.SceneView` (answers highlight objects
            in it) or a plain :class:`~worldnb.Scene` (answers only).
        frame: passed to :func:`worldnb.spatial.ask` (None: the scene's first camera,
            else the room's frame).
        placeholder: hint text in the empty box.

    Attributes:
        question: the ``Text`` box; pressing Enter or the button asks.
        output: the ``HTML`` widget the answer is written to.
        answer: the last :class:`~worldnb.spatial.Answer` (None before the first).
        history: every (question, answer) asked through the panel.

    Example:
        >>> import worldnb as wn
        >>> s = wn.Scene(room=wn.Room.rectangle(4, 3))
        >>> _ = s.add_object("bed", wn.OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)))
        >>> panel = AskPanel(s)
        >>> panel.ask("how many beds are there?").value
        1
    """

    def __init__(self, view_or_scene, *, frame=None, placeholder: str = "Ask about the scene…"):
        if isinstance(view_or_scene, Scene):
            self.view, self._scene = None, view_or_scene
        elif hasattr(view_or_scene, "highlight") and isinstance(
            getattr(view_or_scene, "scene", None), Scene
        ):
            self.view, self._scene = view_or_scene, None
        else:
            raise InputError(
                "AskPanel: expected a SceneView (scene.show()) or a Scene, "
                f"got {type(view_or_scene).__name__}"
            )
        self.frame = frame
        self.answer = None
        self.history: list = []
        self._setting = False
        self.question = ipywidgets.Text(
            placeholder=placeholder,
            layout=ipywidgets.Layout(width="auto", flex="1 1 auto", min_width="0"),
        )
        self.button = ipywidgets.Button(description="Ask", button_style="primary", icon="question")
        self.output = ipywidgets.HTML(value="")
        self.question.continuous_update = False  # Enter (or leaving the box) asks
        self.question.observe(self._on_value, "value")
        self.button.on_click(lambda _b: self.ask())
        self.output.layout = ipywidgets.Layout(width="100%", overflow="auto")
        super().__init__(
            [ipywidgets.HBox([self.question, self.button]), self.output],
            layout=ipywidgets.Layout(flex="1 1 320px", min_width="280px", overflow="auto"),
        )
        self.add_class("worldnb-ask-panel")

    @property
    def scene(self) -> Scene:
        """The scene questions are about: the view's current one (it follows
        ``view.set_scene``, e.g. a layout planned in another panel)."""
        return self.view.scene if self.view is not None else self._scene

    def ask(self, question: str | None = None):
        """Ask ``question`` (default: the text in the box), show and return the answer."""
        from ..spatial import ask

        if question is not None:
            self._setting = True
            try:
                self.question.value = question
            finally:
                self._setting = False
        text = self.question.value
        try:
            ans = ask(self.scene, text, frame=self.frame)
        except WorldnbError as exc:
            self.output.value = (
                f"<div class='worldnb-answer'><p style='color:#b71c1c'>{_esc(str(exc))}</p></div>"
            )
            self.answer = None
            self._highlight([])
            return None
        self.answer = ans
        self.history.append((text, ans))
        self.output.value = ans.to_html()
        self._highlight(ans.highlight, COLORS.get(ans.status, "#ffcc00"))
        return ans

    def _on_value(self, change) -> None:
        if not self._setting and change["new"].strip():
            self.ask()

    def _highlight(self, ids, color: str = "#ffcc00") -> None:
        if self.view is None:
            return
        self.view.clear_highlight()
        known = self.view.highlightable_ids  # objects, doors and windows
        ids = [i for i in ids if i in known]
        if ids:
            self.view.highlight(ids, color=color)


def _esc(s: str) -> str:
    import html

    return html.escape(s)
