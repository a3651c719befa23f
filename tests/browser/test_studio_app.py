"""`worldnb studio` serves the studio as a Voilà app (issue 16): opened in Chromium, a
question typed in the Ask tab is answered, Plan in the Layout tab makes a plan, and Run
in the Generate tab generates a scene from an image with the built-in models (no model
is named, and nothing is downloaded: HF_HUB_OFFLINE; ``--depth`` / ``--inpaint`` reach
the app's notebook: tests/widgets/test_app.py)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import worldnb as wn

from .harness import ALLOWED_CONSOLE_ERRORS, free_port, png_to_array, wait_for
from .visual import background_share, layout_problems

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
W, H = 640, 420  # the app's canvas (worldnb.widgets.app)
APP = ".worldnb-studio"


def _scene() -> wn.Scene:
    door = dict(kind="door", wall="wall_0", offset=3.0, width=0.9, height=2.0)
    s = wn.Scene(room=wn.Room.rectangle(4, 3, openings=[door]))
    s.add_object("bed", wn.OrientedBox((-0.6, 0.3, -0.3), (1.6, 0.6, 2.0)), color="red")
    return s


class _Page:
    """What tests/browser/visual.py needs of a page."""

    def __init__(self, page):
        self.page = page


@pytest.fixture
def app(tmp_path):
    """`worldnb studio scene.wnb` (the built-in models), on a free port; stopped by PID."""
    scene = tmp_path / "room.wnb"
    _scene().save(scene)
    photo = tmp_path / "photo.png"
    cam = wn.Camera.look_at((1.5, 1.4, 1.6), (0, 0.4, 0), width=64, height=48)
    rgb = wn.render(_scene(), cam, device="cpu").rgb
    Image.fromarray((np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)).save(photo)
    port, token = free_port(), secrets.token_hex(8)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    log = open(tmp_path / "voila.log", "wb")
    cmd = [sys.executable, "-m", "worldnb.cli", "studio", str(scene), "--port", str(port)]
    cmd += ["--token", token]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/?token={token}"

    def up():
        # the login page: every request for the app itself starts a kernel that runs the
        # studio, and on a loaded machine a probe that timed out left one running each time
        if proc.poll() is not None:
            raise RuntimeError((tmp_path / "voila.log").read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                return r.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    try:
        wait_for(up, 120, "worldnb studio to serve")
        yield {"url": url, "photo": photo, "log": tmp_path / "voila.log", "port": port}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_studio_app_answers_plans_and_generates(app, browser, artifacts_dir):
    # without the token, every page sends one to the login form
    for path in ("/", "/voila/render/studio.ipynb", "/api/kernels"):
        with urllib.request.urlopen(f"http://127.0.0.1:{app['port']}{path}", timeout=5) as r:
            assert "/login" in r.geturl(), path
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests_out: list[str] = []
    page.on(
        "request",
        lambda r: (
            requests_out.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    try:
        # Voilà streams the page while the kernel runs the studio: loaded once it has run
        page.goto(app["url"], wait_until="domcontentloaded", timeout=300_000)
        canvas = page.locator(f"{APP} canvas").first
        canvas.wait_for(state="visible", timeout=90_000)

        def red(a):
            r, g, b = (a[..., i].astype(int) for i in range(3))
            return int(((r > 100) & (r > 2 * g) & (r > 2 * b)).sum())

        first = wait_for(
            lambda: (lambda a: a if red(a) > 500 else None)(png_to_array(canvas.screenshot())),
            30,
            "the red bed in the app's view",
        )
        assert background_share(first, "#f7f7f7") > 0.5  # SceneView's default background
        problems, checked = layout_problems(_Page(page), APP, 0, (W, H))
        assert problems == [] and checked >= 8, problems

        # Ask
        box = page.locator(f"{APP} .worldnb-ask-panel input[type=text]").first
        box.fill("how far is the bed from the door?")
        box.press("Enter")
        page.get_by_text("0.864 m from the door").first.wait_for(timeout=30_000)

        # Layout → Plan
        page.locator(".lm-TabBar-tab", has_text="Layout").first.click()
        page.get_by_role("button", name="Plan").click()
        page.get_by_text("planned ").first.wait_for(timeout=90_000)
        page.locator(f"{APP} .worldnb-layout-panel table").first.wait_for(timeout=10_000)

        # Generate: an image path, then Run, with the built-in depth, inpainting and
        # segmentation models
        page.locator(".lm-TabBar-tab", has_text="Generate").first.click()
        path = page.locator(f"{APP} .worldnb-generate-panel input[placeholder*='path']").first
        path.fill(str(app["photo"]))
        path.press("Enter")
        page.get_by_text("Image:").first.wait_for(timeout=30_000)
        page.locator(f"{APP} .worldnb-generate-panel img").first.wait_for(timeout=10_000)
        # one view, one diffusion step: the whole pipeline, quickly
        for name, key in (("steps", "Home"), ("n_views", "Home")):
            handle = page.locator(
                f"{APP} .worldnb-generate-panel .widget-slider:has(label:text-is('{name}'))"
                " .noUi-handle"
            ).first
            handle.focus()
            handle.press(key)
        handle.press("ArrowRight")  # n_views 0 -> 1
        wait_for(
            lambda: (
                page.locator(
                    f"{APP} .worldnb-generate-panel .widget-slider:has(label:text-is('n_views'))"
                    " .widget-readout"
                )
                .first.inner_text()
                .strip()
                == "1"
            ),
            10,
            "n_views = 1",
        )
        before = png_to_array(canvas.screenshot())
        page.get_by_role("button", name="Run").click()
        page.get_by_text("Done in").first.wait_for(timeout=240_000)
        wait_for(
            lambda: np.mean(np.any(png_to_array(canvas.screenshot()) != before, axis=-1)) > 0.05,
            30,
            "the generated scene in the view",
        )
        page.screenshot(path=str(artifacts_dir / "studio_app.png"))
        # Voilà 0.5.13 loads every federated lab extension of the environment; one of them
        # asks for @jupyterlab/docregistry, which Voilà's page does not share (harmless)
        allowed = (*ALLOWED_CONSOLE_ERRORS, '"shareKey":"@jupyterlab/docregistry"')
        bad = [e for e in errors if not any(a in e for a in allowed)]
        assert requests_out == []  # nothing beyond 127.0.0.1 (no CDN)
        assert bad == []
    except BaseException:
        page.screenshot(path=str(artifacts_dir / "failure_studio_app.png"))
        (artifacts_dir / "voila.log").write_bytes(app["log"].read_bytes())
        raise
    finally:
        ctx.close()
