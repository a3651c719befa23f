"""The studio as a web app: :func:`worldnb.widgets.studio` served by Voilà.

``worldnb studio [scene.wnb | image.png] [--port P]`` writes a one-cell notebook that
builds the studio, and serves it with Voilà on 127.0.0.1 (code cells hidden, one kernel
per browser tab). Voilà comes with the ``app`` extra: ``pip install 'worldnb[app]'``.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import InputError, WorldnbError

__all__ = ["IMAGE_SUFFIXES", "serve_studio", "studio_notebook"]

#: JupyterLab extensions the studio app does not load: jupytext's (pulled in by
#: mkdocs-jupyter) fails in Voilà's page with "the getter for the shared module is not
#: a function"; the studio needs only the widget extensions
STUDIO_DENIED_EXTENSIONS = ("jupyterlab-jupytext",)

#: What ``worldnb studio IMAGE`` accepts as an image (anything else is a scene file).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")


def studio_notebook(
    target: str | os.PathLike | None = None,
    *,
    depth: str | None = None,
    inpaint: str | None = None,
    segment: str | None = None,
    width: int = 640,
    height: int = 420,
) -> dict:
    """The studio notebook (nbformat 4, as a dict) for a scene file, an image or nothing.

    Args:
        target: a ``.wnb`` scene (shown), an image (the Generate tab starts from it, the
            view is empty) or None (a furnished living room from ``worlds.sample_room``).
        depth, inpaint, segment: the Generate tab's models (Hugging Face id or folder).
        width, height: the view's canvas size in pixels.

    Raises:
        InputError: the file does not exist or is neither a scene nor an image.
    """
    if target is None:
        scene = "wn.worlds.sample_room('living_room', seed=0)"
        image = None
    else:
        path = Path(target).expanduser()
        if not path.is_file():
            raise InputError(f"{target}: no such file; give a .wnb scene or an image")
        path = path.resolve()
        if path.suffix.lower() == ".wnb":
            scene, image = f"wn.load({str(path)!r})", None
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            scene, image = "None", str(path)
        else:
            raise InputError(
                f"{target}: expected a .wnb scene or an image "
                f"({', '.join(IMAGE_SUFFIXES)}), got '{path.suffix or 'no suffix'}'"
            )
    models = {"depth": depth, "inpaint": inpaint, "segment": segment, "image": image}
    options = "".join(f", {k}={v!r}" for k, v in models.items() if v is not None)
    source = (
        "import worldnb as wn\n"
        "from worldnb.widgets import studio\n"
        f"app = studio({scene}{options}, width={int(width)}, height={int(height)})\n"
        "app"
    )
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "worldnb-studio",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def serve_studio(
    target: str | os.PathLike | None = None,
    *,
    port: int = 8866,
    token: str | None = None,
    **options,
) -> int:
    """Serve the studio with Voilà on ``127.0.0.1:port`` until interrupted.

    Args:
        target: see :func:`studio_notebook`.
        port: the TCP port (1024–65535).
        token: the token in the URL (None: a new random one; "" for none).
        **options: passed to :func:`studio_notebook`.

    Returns:
        Voilà's exit status.
    """
    import json

    if not isinstance(port, int) or not 1024 <= port <= 65535:
        raise InputError(f"port: expected a number in 1024..65535, got {port!r}")
    try:
        from voila.app import Voila
    except ImportError:
        raise WorldnbError(
            "the studio app needs Voilà: pip install 'worldnb[app]' (or pip install voila)"
        ) from None
    nb = studio_notebook(target, **options)
    token = secrets.token_urlsafe(16) if token is None else token
    root = Path(tempfile.mkdtemp(prefix="worldnb-studio-"))
    # Voilà may end the process from its signal handler, past the finally below
    atexit.register(shutil.rmtree, root, True)
    try:
        (root / "studio.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        sys.stdout.write(f"worldnb studio: http://127.0.0.1:{port}/?token={token}\n")
        sys.stdout.flush()
        argv = [
            str(root / "studio.ipynb"),
            "--no-browser",
            f"--port={port}",
            "--Voila.port_retries=0",
            "--Voila.ip=127.0.0.1",
            f"--Voila.root_dir={root}",
            f"--Voila.token={token}",
            "--theme=light",
        ]
        # our template (voila/templates/worldnb here): the lab one without CDN links
        here = str(Path(__file__).parent)
        paths = os.environ.get("JUPYTER_PATH", "")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (here, paths) if p)
        argv.append("--template=worldnb")
        from traitlets.config import Config

        config = Config()
        config.VoilaConfiguration.extension_denylist = list(STUDIO_DENIED_EXTENSIONS)
        app = Voila.instance(config=config)
        app.initialize(argv)
        app.start()
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)
