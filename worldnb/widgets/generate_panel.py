"""GeneratePanel: one image in, an explorable scene out, with the diffusion sliders.

The sliders are built from :class:`worldnb.GenerationConfig`'s field metadata (range,
step, doc), so a new config field appears here without touching this file.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import ipywidgets
import numpy as np

from ..errors import InputError, WorldnbError
from ..generation import GenerationConfig, config_fields, generate, load_image
from ..scene import Scene

__all__ = ["GeneratePanel"]

#: Groups shown open (the rest sit in an "advanced" accordion).
MAIN_GROUPS = ("diffusion", "expand")
_THUMB = 160


def _png(rgb: np.ndarray) -> bytes:
    from PIL import Image

    im = Image.fromarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8))
    im.thumbnail((_THUMB, _THUMB))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def _field_widget(f) -> ipywidgets.Widget:
    style = {"description_width": "120px"}
    layout = ipywidgets.Layout(width="calc(100% - 8px)")
    kw = {"description": f.name, "tooltip": f.doc, "style": style, "layout": layout}
    if f.type is bool:
        return ipywidgets.Checkbox(value=bool(f.default), indent=False, **kw)
    if f.type is str:
        return ipywidgets.Text(value=f.default or "", placeholder=f.doc, **kw)
    lo, hi = f.range
    if f.type is int:
        step = max(1, int(f.step or 1))
        if hi - lo > 10_000:  # seeds: a box, not a slider
            return ipywidgets.BoundedIntText(value=f.default, min=lo, max=hi, step=step, **kw)
        return ipywidgets.IntSlider(value=f.default, min=lo, max=hi, step=step, **kw)
    value = f.default if f.default is not None else lo
    slider = ipywidgets.FloatSlider(
        value=value, min=lo, max=hi, step=f.step or (hi - lo) / 100, readout_format=".3g", **kw
    )
    if f.default is None:  # optional: "auto" unless switched on
        slider.disabled = True
        auto = ipywidgets.Checkbox(
            value=True, description="auto", indent=False, layout=ipywidgets.Layout(width="70px")
        )
        auto.observe(lambda ch: setattr(slider, "disabled", ch["new"]), "value")
        slider.layout = ipywidgets.Layout(flex="1 1 auto", width="auto", min_width="0")
        box = ipywidgets.HBox([slider, auto], layout=layout)
        box.slider, box.auto = slider, auto
        return box
    return slider


class GeneratePanel(ipywidgets.VBox):
    """Choose an image, set the parameters, run :func:`worldnb.generate`, see the result.

    Args:
        view: a :class:`~worldnb.widgets.SceneView` that shows the result (``set_scene``);
            None: the panel makes its own view when the first result arrives.
        depth: depth backend (Hugging Face id, folder or callable).
        inpaint: inpainting backend (id, folder or callable).
        segment: segmentation backend (id, folder or callable), as for
            :func:`worldnb.generate`.
        config: starting values of the sliders.
        image: an image to start with (path, array, PIL image).
        device: ``"auto"``, ``"cpu"``, ``"cuda"``.

    Attributes:
        controls: field name → widget (built from :func:`config_fields`).
        upload: the ``FileUpload``; ``path``: the path box.
        progress: the ``IntProgress`` bar; ``status``: an ``HTML`` line.
        previews: a box of thumbnails, one per generated view as it arrives.
        scene: the last generated :class:`~worldnb.Scene` (None before).
        live: the geometry so far while a run grows it (the view shows it: the lifted
            photo, then each new view's surfaces as they arrive); None when no run is
            going on. A cancelled or failed run puts the view back as it was before.
        error: the last error (None when the last run succeeded).

    Example:
        >>> import numpy as np
        >>> panel = GeneratePanel(depth=lambda rgb: np.full(rgb.shape[:2], 2.0),
        ...                       image=np.full((32, 32, 3), 0.5, np.float32))
        >>> panel.controls["n_views"].value = 0
        >>> panel.run(block=True).layers["mesh"]
        Mesh(1,024 vertices, 1,922 faces)
    """

    def __init__(
        self,
        view=None,
        *,
        depth=None,
        inpaint=None,
        segment=None,
        config=None,
        image=None,
        device: str = "auto",
    ):
        cfg = GenerationConfig() if config is None else config
        if not isinstance(cfg, GenerationConfig):
            raise InputError(f"config: expected a GenerationConfig, got {type(cfg).__name__}")
        self.view, self.depth, self.inpaint, self.device = view, depth, inpaint, device
        self.segment = segment
        self.scene: Scene | None = None
        self.live: Scene | None = None
        self.error: Exception | None = None
        self._before = None  # (scene shown, its highlights, whether the view is ours)
        self._image = None
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

        self.controls: dict[str, ipywidgets.Widget] = {}
        groups: dict[str, list[ipywidgets.Widget]] = {}
        for f in config_fields():
            w = _field_widget(f)
            self.controls[f.name] = w
            groups.setdefault(f.group, []).append(w)
        self.set_config(cfg)

        self.upload = ipywidgets.FileUpload(
            accept="image/*",
            multiple=False,
            description="Upload image",
            layout=ipywidgets.Layout(width="auto", flex="0 0 auto"),  # "Upload image (0)"
        )
        self.path = ipywidgets.Text(
            placeholder="…or a path to an image file (Enter)",
            description="path",
            continuous_update=False,
            layout=ipywidgets.Layout(width="auto", flex="1 1 200px", min_width="0"),
        )
        # hidden until an image is chosen (an empty Image shows a broken-image icon)
        self.thumbnail = ipywidgets.Image(
            format="png", layout=ipywidgets.Layout(max_width=f"{_THUMB}px", display="none")
        )
        self.upload.observe(self._on_upload, "value")
        self.path.observe(lambda ch: ch["new"] and self.set_image(ch["new"]), "value")

        self.run_button = ipywidgets.Button(description="Run", button_style="primary", icon="play")
        self.cancel_button = ipywidgets.Button(description="Cancel", icon="stop", disabled=True)
        self.run_button.on_click(lambda _b: self.run(block=False))
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.progress = ipywidgets.IntProgress(
            value=0,
            min=0,
            max=1,
            description="",
            layout=ipywidgets.Layout(flex="1 1 120px", min_width="0"),
        )
        self.status = ipywidgets.HTML(value="Choose an image, then Run.")
        self.previews = ipywidgets.HBox(layout=ipywidgets.Layout(flex_flow="row wrap"))

        main = [w for g in MAIN_GROUPS for w in groups.get(g, [])]
        rest = [g for g in groups if g not in MAIN_GROUPS]
        advanced = ipywidgets.Accordion(
            children=[ipywidgets.VBox(groups[g]) for g in rest], titles=tuple(rest)
        )
        advanced.selected_index = None
        super().__init__(
            [
                ipywidgets.HBox(
                    [self.upload, self.path], layout=ipywidgets.Layout(flex_flow="row wrap")
                ),
                self.thumbnail,
                ipywidgets.VBox(main),
                advanced,
                ipywidgets.HBox(
                    [self.run_button, self.cancel_button, self.progress],
                    layout=ipywidgets.Layout(flex_flow="row wrap"),
                ),
                self.status,
                self.previews,
            ],
            layout=ipywidgets.Layout(flex="1 1 320px", min_width="280px", overflow="auto"),
        )
        self.add_class("worldnb-generate-panel")
        if image is not None:
            self.set_image(image)

    # ---- parameters ---------------------------------------------------------------
    @property
    def config(self) -> GenerationConfig:
        """The :class:`GenerationConfig` the widgets currently describe."""
        values = {}
        for name, w in self.controls.items():
            if hasattr(w, "auto"):
                values[name] = None if w.auto.value else w.slider.value
            else:
                values[name] = w.value
        return GenerationConfig(**values)

    def set_config(self, config: GenerationConfig) -> None:
        """Move the widgets to ``config``'s values."""
        for name, w in self.controls.items():
            v = getattr(config, name)
            if hasattr(w, "auto"):
                w.auto.value = v is None
                if v is not None:
                    w.slider.value = v
            else:
                w.value = v

    # ---- image --------------------------------------------------------------------
    def set_image(self, image) -> None:
        """Use ``image`` (path, array, PIL image, tensor) as the input; shows a thumbnail."""
        try:
            if isinstance(image, str | Path):
                image = Path(image).expanduser()
            preview = load_image(image, max_side=_THUMB)
        except WorldnbError as exc:
            self._show_error(exc)
            return
        self._image = image
        self.thumbnail.value = _png(preview.rgb)
        self.thumbnail.layout.display = None
        self.status.value = (
            f"Image: {preview.source} ({preview.original_size[0]}×{preview.original_size[1]})."
        )

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        from PIL import Image

        item = files[0] if isinstance(files, list | tuple) else next(iter(files.values()))
        content = item["content"] if isinstance(item, dict) else item.content
        try:
            im = Image.open(io.BytesIO(bytes(content)))
            im.load()
        except Exception as exc:
            self._show_error(InputError(f"the uploaded file is not an image PIL can read ({exc})"))
            return
        self.set_image(im)

    # ---- running ------------------------------------------------------------------
    def run(self, block: bool = True) -> Scene | None:
        """Generate from the chosen image with the current settings.

        Args:
            block: wait for the result and return it; with False (the Run button) the
                work runs in a background thread and the view updates when it ends.
        """
        if self._thread is not None and self._thread.is_alive():
            self.status.value = "Already running; Cancel first."
            return None
        if self._image is None:
            self._show_error(InputError("no image yet: upload one or type a path"))
            return None
        try:
            cfg = self.config
        except WorldnbError as exc:
            self._show_error(exc)
            return None
        self._cancel.clear()
        self.previews.children = ()
        self.error = None
        self._before = (
            None if self.view is None else (self.view.scene, self.view.highlighted, False)
        )
        self.run_button.disabled, self.cancel_button.disabled = True, False
        if block:
            return self._work(cfg)
        self._thread = threading.Thread(target=self._work, args=(cfg,), daemon=True)
        self._thread.start()
        return None

    def cancel(self) -> None:
        """Ask a running generation to stop (it raises CancelledError; nothing is kept:
        the view goes back to the scene it showed before the run)."""
        self._cancel.set()
        self.status.value = "Cancelling…"

    def wait(self, timeout: float | None = None) -> Scene | None:
        """Wait for a background run to end; returns the scene (None if it failed)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.scene if self.error is None else None

    def _on_event(self, event) -> bool:
        self.progress.max = max(1, event.total)
        self.progress.value = min(event.step, event.total)
        if event.status == "start":
            self.status.value = f"{event.stage}…"
        elif event.status == "view" and event.view is not None:
            img = ipywidgets.Image(
                value=_png(event.view.rgb), format="png", layout=ipywidgets.Layout(margin="2px")
            )
            self.previews.children = (*self.previews.children, img)
        elif event.status == "geometry" and event.layers and not self._cancel.is_set():
            self.live = Scene(layers=dict(event.layers))
            self._show(self.live)
        return not self._cancel.is_set()

    def _work(self, cfg: GenerationConfig) -> Scene | None:
        try:
            scene = generate(
                self._image,
                cfg,
                depth=self.depth,
                inpaint=self.inpaint,
                segment=self.segment,
                device=self.device,
                progress=False,
                callback=self._on_event,
            )
        except WorldnbError as exc:
            self._restore()
            self._show_error(exc)
            return None
        finally:
            self.live = None
            self.run_button.disabled, self.cancel_button.disabled = False, True
        self._before = None
        self.scene = scene
        t = sum(scene.meta["timings"].values())
        self.status.value = f"Done in {t:.1f} s: " + ", ".join(
            f"{k} {v!r}" for k, v in scene.layers.items()
        )
        self._show(scene)
        return scene

    def _show(self, scene: Scene) -> None:
        if self.view is None:
            from .scene_view import SceneView

            self.view = SceneView(scene)
            self.children = (*self.children, self.view)
            if self._before is None:  # made during a run: a failed run takes it away
                self._before = (None, {}, True)
        else:
            self.view.set_scene(scene)

    def _restore(self) -> None:
        """Put the view back as it was before the run (its scene and highlights)."""
        before, self._before = self._before, None
        if before is None or self.view is None:
            return
        scene, highlights, ours = before
        if ours:
            self.children = tuple(c for c in self.children if c is not self.view)
            self.view = None
            return
        if self.view.scene is not scene:
            self.view.set_scene(scene)
            for color in set(highlights.values()):
                self.view.highlight([i for i, c in highlights.items() if c == color], color)

    def _show_error(self, exc: Exception) -> None:
        import html

        self.error = exc
        self.status.value = (
            f"<span style='color:#b00'><b>{type(exc).__name__}</b>: {html.escape(str(exc))}</span>"
        )
