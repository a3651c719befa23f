"""Live-view numbers in headless Chromium + JupyterLab 4 (the browser-test harness).

Prints one JSON object:
- ``first_frame_s``: from ``display(view)`` in the kernel to the view's first WebGL draw,
  for a 1,000,000-point cloud (target < 3 s) and, as the in-run reference, a 1,000-point
  cloud; ``ratio`` = big / small.
- ``bytes_per_point``: websocket bytes kernel → browser while the 1M view was shown,
  divided by the number of points (target < 20: float32 xyz + uint8 rgb = 15 B).
- ``slider_to_frame_ms``: a slider nudged in the browser (arrow key) → the next drawn
  frame (the value goes to the kernel, which moves the 3D camera); median of N.
- ``drag_to_slider_ms``: the end of a drag on the canvas (mouseup) → the azimuth
  slider's readout changing (browser → kernel → browser); median of N. pythreejs sends
  the camera to the kernel when OrbitControls reports the end of a gesture, so the
  sliders follow each drag when it ends. Targets < 100 ms.

Usage: python benchmarks/widget.py [--points 1000000] [--repeats 9]
Needs Debian's chromium at /usr/bin/chromium. Timings are wall-clock on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    JupyterServer,
    NotebookPage,
    wait_for,
    write_notebook,
)
from tests.browser.scenes import RED_BOX_BLUE_POINTS  # noqa: E402


def cloud_cells(n: int) -> list[str]:
    return [
        "import time, numpy as np, worldnb as wn\nfrom worldnb.widgets import SceneView\n"
        "rng = np.random.default_rng(0)\n"
        f"xyz = rng.normal(size=({n}, 3)).astype(np.float32)\n"
        f"rgb = rng.integers(0, 256, size=({n}, 3), dtype=np.uint8)\n"
        "scene = wn.Scene(layers={'cloud': wn.PointCloud(xyz, rgb)})\n"
        "print('data ready')",
        "T0 = time.time()\nview = SceneView(scene, width=640, height=400, point_size=1)\n"
        "display(view)\nprint('T0', T0)",
    ]


def first_frame(server, browser, n: int) -> dict:
    server.delete_sessions()
    name = write_notebook(server.root, f"cloud_{n}.ipynb", cloud_cells(n))
    page = NotebookPage(server, browser, name).open()
    try:
        bytes0 = page.ws_bytes_received  # includes the page's own start-up traffic
        page.run_all()
        page.wait_for_text("data ready", timeout=120)
        page.wait_for_text("T0", timeout=120)
        wait_for(lambda: page.page.evaluate("window.__wnb.draws") > 0, 60, "the first frame")
        first_draw_ms = page.page.evaluate("performance.timeOrigin + window.__wnb.firstDraw")
        texts = page.output_texts()
        t0 = float(next(t for t in texts if t.startswith("T0")).split()[1])
        dark = page.wait_for_pixels(lambda a: (a < 200).any(axis=-1).mean() > 0.001, 30, "points")
        assert dark is not None
        # every websocket frame since Run All: the view's state and buffers, plus the
        # few small messages of executing two cells
        # (playwright delivers frame events during its calls, so count after the wait)
        sent = page.ws_bytes_received - bytes0
        return {
            "points": n,
            "first_frame_s": round(first_draw_ms / 1000 - t0, 3),
            "ws_bytes": sent,
            "bytes_per_point": round(sent / n, 2),
        }
    finally:
        page.close()


def latencies(server, browser, repeats: int) -> dict:
    server.delete_sessions()
    cells = [
        RED_BOX_BLUE_POINTS + "\nfrom worldnb.widgets import SceneView\n"
        "view = SceneView(scene, width=480, height=320)\nview",
        "print('cells done')",
    ]
    name = write_notebook(server.root, "latency.ipynb", cells)
    page = NotebookPage(server, browser, name).open()
    try:
        page.run_all()
        page.wait_for_text("cells done")
        page.canvas()
        wait_for(lambda: page.page.evaluate("window.__wnb.draws") > 0, 30, "the first frame")
        handle = page.page.locator(".widget-slider .noUi-handle").first  # azimuth
        slider_ms = []
        for _ in range(repeats):
            handle.focus()
            # the key is pressed by playwright; both times are taken in the page
            page.page.evaluate(
                """() => { const k = {n0: window.__wnb.draws, t0: null}; window.__wnb.k = k;
                   document.addEventListener('keydown', () => { k.t0 = performance.now(); },
                                             {capture: true, once: true}); }"""
            )
            handle.press("ArrowRight")
            ms = wait_for(
                lambda: page.page.evaluate(
                    """() => { const k = window.__wnb.k, w = window.__wnb;
                       return (k.t0 !== null && w.lastDraw > k.t0 && w.draws > k.n0)
                           ? w.firstDrawAfter(k.t0) - k.t0 : null; }"""
                ),
                5,
                "a frame after the slider key",
            )
            slider_ms.append(ms)
        drag_ms = []
        box = page.canvas().bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        readout = ".widget-slider .widget-readout"
        for i in range(repeats):
            page.page.evaluate(
                """(sel) => { const el = document.querySelector(sel);
                   const d = {t0: null, t1: null, text: el.innerText}; window.__wnb.d = d;
                   document.addEventListener('mouseup', () => { d.t0 = performance.now(); },
                                             {capture: true, once: true});
                   new MutationObserver(() => {
                       if (d.t1 === null && el.innerText !== d.text) d.t1 = performance.now();
                   }).observe(el, {subtree: true, characterData: true, childList: true}); }""",
                readout,
            )
            page.page.mouse.move(x, y)
            page.page.mouse.down()
            for k in range(1, 4):
                page.page.mouse.move(x + (8 * k if i % 2 == 0 else -8 * k), y)
            page.page.mouse.up()
            ms = wait_for(
                lambda: page.page.evaluate(
                    "() => { const d = window.__wnb.d; return d.t1 !== null ? d.t1 - d.t0 : null; }"
                ),
                5,
                "the azimuth readout to follow the drag",
            )
            drag_ms.append(ms)
        return {
            "slider_to_frame_ms": round(statistics.median(slider_ms), 1),
            "slider_to_frame_ms_all": [round(v, 1) for v in slider_ms],
            "drag_to_slider_ms": round(statistics.median(drag_ms), 1),
            "drag_to_slider_ms_all": [round(v, 1) for v in drag_ms],
            "console_errors": page.console_errors(),
        }
    finally:
        page.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--reference-points", type=int, default=1_000)
    ap.add_argument("--repeats", type=int, default=9)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    server = JupyterServer("lab").start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            small = first_frame(server, browser, args.reference_points)
            big = first_frame(server, browser, args.points)
            lat = latencies(server, browser, args.repeats)
            browser.close()
    finally:
        server.stop()
    print(
        json.dumps(
            {
                "benchmark": "widget",
                "machine_note": "shared 2-core CPU, SwiftShader WebGL; wall-clock, noisy",
                "big": big,
                "reference": small,
                "first_frame_ratio_big_over_reference": round(
                    big["first_frame_s"] / max(small["first_frame_s"], 1e-3), 2
                ),
                "targets": {"first_frame_s": 3.0, "bytes_per_point": 20, "latency_ms": 100},
                **lat,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
