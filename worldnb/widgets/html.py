"""to_html(): a self-contained page showing the 3D view without a kernel or a network."""

from __future__ import annotations

import html as _html
import json
import os
from importlib import resources
from pathlib import Path

from ipywidgets import Widget
from ipywidgets.embed import dependency_state, embed_data

from ..errors import InputError
from ..scene.io import atomic_write
from ..scene.scene import Scene

__all__ = ["to_html"]

BUNDLE = "embed-bundle.js"

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>body {{ margin: 16px; font-family: sans-serif; }}</style>
</head>
<body>
<h3>{title}</h3>
<script type="application/vnd.jupyter.widget-state+json">
{state}
</script>
{views}
<script>
{bundle}
</script>
</body>
</html>
"""


def _bundle_js() -> str:
    path = resources.files(__package__).joinpath("static", BUNDLE)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"to_html: the widget bundle {BUNDLE} is missing from worldnb/widgets/static; "
            "rebuild it with `cd js && npm ci && npm run build`"
        ) from None


def _widget_tree(root: Widget) -> list[Widget]:
    """``root`` and every widget reachable from its traits."""
    seen: dict[int, Widget] = {}
    stack: list = [root]
    while stack:
        x = stack.pop()
        if isinstance(x, Widget):
            if id(x) in seen:
                continue
            seen[id(x)] = x
            stack.extend(getattr(x, name) for name in x.keys)
        elif isinstance(x, list | tuple):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
    return list(seen.values())


def to_html(
    scene: Scene, path: str | os.PathLike, *, title: str = "worldnb scene", **options
) -> Path:
    """Write a single HTML file that shows ``scene``'s 3D view with no kernel and no network.

    The widget JavaScript (ipywidgets' HTML manager, pythreejs' ``jupyter-threejs``,
    ``jupyter-datawidgets``) is inlined, and the arrays travel base64-encoded inside the
    page. Orbiting, zooming, the layer toggles and the background colour work; the camera
    sliders need a kernel and do nothing here.

    3D Gaussians are drawn back to front in the order sorted for the exported camera:
    re-sorting as the camera moves needs the kernel, so the page shows them correctly
    from that camera and nearby, and with some blending artefacts from far around.
    Export from the camera the page is meant to be seen from (``camera=``).

    Args:
        scene: the scene.
        path: the ``.html`` file to write (written atomically).
        title: page title.
        **options: :class:`SceneView` options (``width``, ``camera``, ...).

    Returns:
        The path written.
    """
    from .scene_view import SceneView

    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"path: expected a .html file, got {str(path)!r}")
    if not path.parent.exists():
        raise InputError(f"path: folder {str(path.parent)!r} does not exist")
    bundle = _bundle_js()
    view = SceneView(scene, **options)
    view._maybe_resort(force=True)  # the page never re-sorts: sort for its camera exactly
    state = dependency_state([view])
    try:
        data = embed_data(views=[view], state=state)
    finally:  # the page holds the state now; free the kernel-side widgets
        for w in [*view._links, *_widget_tree(view)]:
            w.close()
    views = "\n".join(
        '<script type="application/vnd.jupyter.widget-view+json">\n'
        + json.dumps(spec)
        + "\n</script>"
        for spec in data["view_specs"]
    )
    page = _TEMPLATE.format(
        title=_html.escape(title),
        state=json.dumps(data["manager_state"]).replace("</", "<\\/"),
        views=views,
        bundle=bundle.replace("</script", "<\\/script"),
    )
    # the scene files' atomic write: errors (name too long, disk full) are InputErrors
    return atomic_write(path, lambda f: f.write(page.encode("utf-8")))
