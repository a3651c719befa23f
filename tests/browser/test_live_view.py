"""The live 3D view (worldnb.widgets.SceneView) in JupyterLab 4 / Notebook 7 + Chromium.

Pixel checks count colours inside the output canvas only, and compare them with the
offscreen renderer (``worldnb.render``) at the camera the kernel reports (``view.camera``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from scipy.ndimage import binary_dilation
from scipy.spatial import ConvexHull

import worldnb as wn

from .harness import (
    color_mask,
    count_color,
    png_to_array,
    save_diff,
    wait_for,
)
from .scenes import RED_BOX_BLUE_POINTS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
W, H, POINT_SIZE = 480, 320, 5
VIEW = (
    RED_BOX_BLUE_POINTS
    + f"""
from worldnb.widgets import SceneView
view = SceneView(scene, width={W}, height={H}, point_size={POINT_SIZE}, background="#ffffff")
"""
)
SHOW = "view"
DONE = "print('cells done')"


def _scene() -> wn.Scene:
    ns: dict = {}
    exec(RED_BOX_BLUE_POINTS, ns)
    return ns["scene"]


def _offscreen(camera: wn.Camera, layers=("objects", "points")) -> np.ndarray:
    """The offscreen renderer's picture, points as discs of the same area as the
    browser's ``POINT_SIZE``-pixel squares."""
    out = wn.render(
        _scene(),
        camera,
        layers=list(layers),
        background=(1.0, 1.0, 1.0),
        device="cpu",
        point_radius=POINT_SIZE / math.sqrt(math.pi),
    )
    return np.clip(out.rgb * 255 + 0.5, 0, 255).astype(np.uint8)


def _open_view(open_notebook, *extra, server=None):
    page = open_notebook([VIEW, *extra, SHOW, DONE], server=server)
    page.run_all()
    page.wait_for_text("cells done")
    px = page.wait_for_pixels(
        lambda a: count_color(a, "red") > 500 and count_color(a, "blue") > 200,
        30,
        "red and blue pixels in the canvas",
    )
    return page, px


def _settled(page, expr: str, timeout: float = 10.0):
    """The value of ``expr`` in the kernel once two reads 0.2 s apart agree."""
    last = [page.kernel.value(expr)]

    def same():
        import time

        time.sleep(0.2)
        now = page.kernel.value(expr)
        done, last[0] = now == last[0], now
        return done

    wait_for(same, timeout, f"{expr} to settle")
    return last[0]


def _camera(page) -> wn.Camera:
    return wn.Camera.from_dict(page.kernel.value("view.camera.to_dict()"))


def _check_counts(live, ref, colors, tol, artifacts_dir, tag):
    got = {c: count_color(live, c) for c in colors}
    want = {c: count_color(ref, c) for c in colors}
    bad = {c: (got[c], want[c]) for c in colors if abs(got[c] - want[c]) > tol * want[c]}
    if bad:
        save_diff(artifacts_dir / f"{tag}_diff.png", live[: ref.shape[0], : ref.shape[1]], ref)
    assert not bad, f"pixel counts (live, expected) off by more than {tol:.0%}: {bad}"
    return got, want


def _matches(ref, colors=("red", "green", "blue"), tol=0.2):
    want = {c: count_color(ref, c) for c in colors}
    return lambda a: all(abs(count_color(a, c) - want[c]) <= tol * want[c] for c in colors)


def _centroids(a: np.ndarray, colors=("red", "green", "blue")) -> np.ndarray:
    """(len(colors), 2) mean pixel (x, y) of each colour (NaN where absent)."""
    out = []
    for c in colors:
        ys, xs = np.nonzero(color_mask(a, c))
        out.append((xs.mean(), ys.mean()) if len(xs) else (np.nan, np.nan))
    return np.array(out)


def _same_layout(ref, px: float = 6.0):
    """Each colour's centroid within ``px`` pixels of the reference's: the same view,
    not only the same amount of each colour."""
    want = _centroids(ref)

    def same(a):
        got = _centroids(a)
        absent = np.isnan(got[:, 0]) & np.isnan(want[:, 0])  # a colour out of both views
        near = np.linalg.norm(got - want, axis=1) <= px  # False where only one lacks it
        return bool(np.all(absent | near))

    return same


def test_red_box_and_blue_points_match_offscreen_render(open_notebook, artifacts_dir, browser):
    page, _ = _open_view(
        open_notebook, "view.toggles['labels'].value = False; view.toggles['boxes'].value = False"
    )
    live = page.wait_for_pixels(lambda a: count_color(a, "green") > 500, 10, "green pixels")
    ref = _offscreen(_camera(page))
    got, want = _check_counts(live, ref, ("red", "green", "blue"), 0.2, artifacts_dir, "render")
    print(json.dumps({"live_pixels": got, "offscreen_pixels": want}))
    assert page.console_errors() == []

    # the same picture from the static page, with no kernel and no network
    html = page.server.root / "view.html"
    page.kernel.run(
        f"scene.to_html({str(html)!r}, width={W}, height={H}, point_size={POINT_SIZE}, "
        "background='#ffffff', camera=view.camera)"
    )
    pix, errors, requests = _static_canvas(browser, html, "red pixels in the static page")
    _check_counts(pix, live, ("red", "green", "blue"), 0.1, artifacts_dir, "static")
    assert [r for r in requests if not r.startswith("file:")] == []
    assert [e for e in errors if "t.on is not a function" not in e] == []


def _static_canvas(browser, html: Path, what: str) -> tuple[np.ndarray, list[str], list[str]]:
    """The canvas of a to_html page once it shows red pixels; console errors; requests."""
    ctx = browser.new_context(viewport={"width": 900, "height": 700}, device_scale_factor=1)
    try:
        static = ctx.new_page()
        errors: list[str] = []
        requests: list[str] = []
        static.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        static.on("pageerror", lambda e: errors.append(str(e)))
        static.on("request", lambda r: requests.append(r.url))
        static.goto(html.as_uri())
        canvas = static.locator("canvas").first
        canvas.wait_for(state="visible", timeout=20_000)
        pix = wait_for(
            lambda: (lambda a: a if count_color(a, "red") > 200 else None)(
                png_to_array(canvas.screenshot())
            ),
            20,
            what,
        )
        return pix, errors, requests
    finally:
        ctx.close()


def test_static_page_shows_the_exported_camera(browser, tmp_path, artifacts_dir):
    """A to_html page opened with no kernel shows the camera it was written with, also
    when the orbit target is far from the origin (where pythreejs first aims)."""
    cam = wn.Camera.look_at((2.2, 1.3, 2.4), (0.9, 0.3, 0.0), fov_y_deg=50, width=W, height=H)
    html = _scene().to_html(
        tmp_path / "green.html",
        width=W,
        height=H,
        point_size=POINT_SIZE,
        background="#ffffff",
        camera=cam,
    )
    pix, errors, requests = _static_canvas(browser, html, "red pixels in the static page")
    ref = _offscreen(cam)
    _check_counts(pix, ref, ("red", "green", "blue"), 0.2, artifacts_dir, "static_camera")
    same = _same_layout(ref)
    if not same(pix):
        save_diff(artifacts_dir / "static_camera_layout.png", pix, ref)
    assert same(pix), f"colour centroids {_centroids(pix)} vs offscreen {_centroids(ref)}"
    # pointed at the origin instead, the page would show another picture
    wrong = _offscreen(wn.Camera.look_at(cam.position, (0, 0, 0), fov_y_deg=50, width=W, height=H))
    assert not same(wrong)
    assert [r for r in requests if not r.startswith("file:")] == []
    assert [e for e in errors if "t.on is not a function" not in e] == []


def test_drag_moves_sliders_then_slider_moves_camera(open_notebook, artifacts_dir):
    page, _ = _open_view(open_notebook)
    az0, _ = page.kernel.value("[view.azimuth.value, view.elevation.value]")
    _drag(page, -120, 30)
    wait_for(
        lambda: abs(page.kernel.value("view.azimuth.value") - az0) > 5,
        10,
        "the azimuth slider in the kernel to follow the drag",
    )
    az1 = _settled(page, "view.azimuth.value")
    assert az1 != pytest.approx(az0, abs=5)
    # the kernel's camera is the one the browser shows: offscreen render agrees
    ref = _offscreen(_camera(page))
    dragged = page.wait_for_pixels(_matches(ref), 10, "the dragged view", reference=ref)
    _check_counts(dragged, ref, ("red", "green", "blue"), 0.2, artifacts_dir, "after_drag")

    # slider set from Python → the 3D camera moves → the canvas changes
    page.kernel.run("view.azimuth.value = view.azimuth.value - 50")
    ref = _offscreen(_camera(page))
    after = page.wait_for_pixels(_matches(ref), 10, "the view after the slider", reference=ref)
    assert np.mean(np.any(after != dragged, axis=-1)) > 0.01
    assert page.console_errors() == []


def test_highlight_changes_exactly_that_object(open_notebook, artifacts_dir):
    page, _ = _open_view(open_notebook, "view.toggles['labels'].value = False")
    before = page.canvas_pixels()
    cam = _camera(page)
    # where the green box (object 2) projects, with a 2-pixel margin
    uv, _ = cam.project(wn.OrientedBox((1.2, 0.3, 0.0), (0.6, 0.6, 0.6)).corners())
    mask_img = Image.new("L", (before.shape[1], before.shape[0]), 0)
    ImageDraw.Draw(mask_img).polygon([tuple(p) for p in uv[ConvexHull(uv).vertices]], fill=255)
    hull = np.asarray(mask_img) > 0
    near = binary_dilation(hull, iterations=2)

    def changed(a):
        return np.any(np.abs(a.astype(int) - before.astype(int)) > 24, axis=-1)

    page.kernel.run("view.highlight([2], color='#ff00ff')")
    after = page.wait_for_pixels(
        lambda a: changed(a)[hull].mean() > 0.5, 10, "object 2 highlighted", reference=before
    )
    outside = int(np.sum(changed(after) & ~near))
    if outside:
        save_diff(artifacts_dir / "highlight_diff.png", before, after)
    assert outside == 0, f"{outside} pixels changed outside object 2"
    assert count_color(after, "red") == pytest.approx(count_color(before, "red"), rel=0.01)
    # bad ids: a clear error, and the view keeps working
    out = page.kernel.run(
        "try:\n    view.highlight([99])\n"
        "except wn.errors.InputError as e:\n    print('InputError:', e)"
    )
    assert "InputError" in out and "99" in out
    page.kernel.run("view.clear_highlight()")
    page.wait_for_pixels(
        lambda a: changed(a).mean() < 0.001, 10, "the highlight to clear", reference=before
    )
    assert page.console_errors() == []


def _drag(page, dx: float, dy: float, button: str = "left", steps: int = 10) -> None:
    box = page.canvas().bounding_box()
    x, y = box["x"] + W * 0.5, box["y"] + H * 0.5
    page.page.mouse.move(x, y)
    page.page.mouse.down(button=button)
    for i in range(1, steps + 1):
        page.page.mouse.move(x + dx * i / steps, y + dy * i / steps)
    page.page.mouse.up(button=button)


def test_save_and_reload_restores_view_from_kernel(open_notebook, artifacts_dir):
    page, _ = _open_view(open_notebook)
    # Orbit the green box (x = 1.2), then pan in the canvas: the orbit target is far from
    # the origin, where a reloaded pythreejs OrbitControls first aims the camera, so a
    # view restored wrongly would show another picture.
    page.kernel.run("view.look_at(2); view.azimuth.value = -60; view.elevation.value = 40")
    orbit = _settled(page, "[*view.orbit.target, view.orbit.azimuth, view.orbit.elevation]")
    assert orbit == pytest.approx([1.2, 0.3, 0.0, -60, 40], abs=1e-3)
    _drag(page, 40, 25, button="right")
    target = wait_for(
        lambda: (lambda t: t if np.linalg.norm(np.subtract(t, [1.2, 0.3, 0.0])) > 0.05 else None)(
            _settled(page, "list(view.orbit.target)")
        ),
        10,
        "the orbit target in the kernel to follow the pan",
    )
    # the pan is re-centred: the controls keep orbiting the three.js origin
    assert page.kernel.value("list(view._controls.target)") == [0.0, 0.0, 0.0]
    ref = _offscreen(_camera(page))
    moved = page.wait_for_pixels(_matches(ref), 10, "the panned view", reference=ref)
    _check_counts(moved, ref, ("red", "green", "blue"), 0.2, artifacts_dir, "before_reload")

    page.page.keyboard.press("Control+s")
    saved = page.server.root / page.notebook
    wait_for(
        lambda: "application/vnd.jupyter.widget-view+json" in saved.read_text(),
        20,
        "the notebook saved with the widget's output",
    )
    page.page.reload(wait_until="domcontentloaded")
    page.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # the reloaded canvas shows the kernel's camera from the first frame, with no interaction
    same = _same_layout(moved, px=2.0)
    after = page.wait_for_pixels(
        lambda a: a.shape == moved.shape and _matches(moved, tol=0.05)(a) and same(a),
        30,
        "the same view after reload",
        reference=moved,
    )
    _check_counts(after, ref, ("red", "green", "blue"), 0.2, artifacts_dir, "after_reload")
    assert page.kernel.value("list(view.orbit.target)") == pytest.approx(target, abs=1e-9)
    assert page.kernel.value("round(view.azimuth.value)") == round(orbit[3])
    assert page.console_errors() == []


def test_notebook7_renders_the_view(open_notebook, nb7_server, artifacts_dir):
    # Notebook 7.6.5 itself logs a page error on load (its shortcuts settings plugin:
    # "Cannot read properties of undefined (reading 'schema')"), with or without widgets:
    # record what a widget-free notebook logs, and allow only that.
    empty = open_notebook([DONE], server=nb7_server)
    empty.run_all()
    empty.wait_for_text("cells done")
    baseline = set(empty.console_errors())
    page, px = _open_view(open_notebook, server=nb7_server)
    ref = _offscreen(_camera(page))
    _check_counts(px, ref, ("red", "green", "blue"), 0.2, artifacts_dir, "nb7")
    assert [e for e in page.console_errors() if e not in baseline] == []


def test_binary_buffers_and_decimation_note(open_notebook):
    n = 200_000
    cells = [
        "import numpy as np, worldnb as wn\nfrom worldnb.widgets import SceneView\n"
        "rng = np.random.default_rng(0)\n"
        f"xyz = rng.normal(size=({n}, 3)).astype(np.float32)\n"
        f"scene = wn.Scene(layers={{'cloud': wn.PointCloud(xyz, rng.random(({n}, 3)))}})",
        "import time; print('T0', time.time())",
        f"view = SceneView(scene, max_points={n // 2}, width=320, height=240); view",
        DONE,
    ]
    page = open_notebook(cells)
    start = page.ws_bytes_received
    page.run_all()
    page.wait_for_text("cells done")
    page.wait_for_pixels(lambda a: np.mean(a < 200) > 0.001, 30, "points drawn")
    page.page.wait_for_selector(f"text=showing {n // 2:,} of {n:,} points", timeout=10_000)
    sent = page.ws_bytes_received - start
    per_point = sent / (n // 2)
    print(json.dumps({"points_sent": n // 2, "ws_bytes": sent, "bytes_per_point": per_point}))
    assert per_point < 20, f"{per_point:.1f} bytes per point: arrays not sent as binary?"
    assert page.console_errors() == []


ROOM = """
import numpy as np, worldnb
from worldnb import Camera, Gaussians, worlds
scene = worlds.sample_room('bedroom', seed=0)
photo = Camera.look_at(eye=(1.6, 1.5, 1.7), target=(0, 0.5, 0), width=96, height=72)
scene.cameras['photo'] = photo
scene.images['photo'] = worldnb.render(scene, photo, device='cpu').rgb
rng = np.random.default_rng(0)
n = 300
scene.layers['splats'] = Gaussians(
    rng.normal([0, 1.7, 0], [0.6, 0.15, 0.6], (n, 3)), np.log(rng.uniform(0.02, 0.08, (n, 3))),
    rng.normal(size=(n, 4)), np.full(n, 1.0), rng.uniform(0.3, 1.0, (n, 3)))
view = scene.show(width=560, height=360, background='#202020')
bed = next(o for o in scene.objects if o.label == 'bed')
"""


def _orange(a: np.ndarray) -> np.ndarray:
    r, g, b = (a[..., i].astype(int) for i in range(3))
    return (r > 200) & (g > 90) & (g < 190) & (b < 80)


def test_procedural_room_with_everything_renders(open_notebook, artifacts_dir):
    """A furnished room with a photo camera and Gaussians; highlight the bed. Also writes
    the README's screenshot (docs/live_view.png)."""
    page = open_notebook([ROOM, "view", DONE])
    page.run_all()
    page.wait_for_text("cells done", timeout=90)
    # most of the canvas is covered by the room (not the background); a dark background,
    # because the plaster walls are nearly as light as the default one
    bg = np.array([32, 32, 32])
    before = page.wait_for_pixels(
        lambda a: np.mean(np.any(np.abs(a.astype(int) - bg) > 12, axis=-1)) > 0.15,
        30,
        "the room drawn",
    )
    page.kernel.run("view.highlight([bed.id], color='#ff8800')")

    # the bed is textured: the highlight tints its texture, so look for pixels that turned
    # orange (red up against blue) rather than for flat orange
    def tinted(a):
        d = a.astype(int) - before.astype(int)
        return (np.abs(d).max(-1) > 30) & (d[..., 0] - d[..., 2] > 40)

    after = page.wait_for_pixels(
        lambda a: tinted(a).sum() > 1000, 10, "the bed highlighted in orange", reference=before
    )
    # what changed is the bed alone: one compact region, not the whole picture
    rows, cols = np.nonzero(tinted(after))
    assert (np.ptp(rows) + 1) * (np.ptp(cols) + 1) < 0.25 * after.shape[0] * after.shape[1]
    assert page.console_errors() == []
    shot = png_to_array(page.page.locator(".worldnb-sceneview").first.screenshot())
    img = Image.fromarray(shot).quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    (REPO / "docs").mkdir(exist_ok=True)
    img.save(REPO / "docs" / "live_view.png", optimize=True)
    assert (REPO / "docs" / "live_view.png").stat().st_size < 100_000
