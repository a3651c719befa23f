"""The tutorials' solutions are hidden behind a toggle (issue 16), in JupyterLab and on
the docs site.

- JupyterLab 4: a tutorial opened as a student opens it shows each solution cell
  collapsed (the "⋯" placeholder, the code not shown); a click on the placeholder
  opens it.
- The docs site (``make docs``; docs/hooks.py folds every cell tagged ``solution`` into a
  closed ``<details>`` box): served on 127.0.0.1, each solution is closed and its code
  not shown, while the exercise is; a click on "Solution" opens it. The built site only
  exists after ``make docs``, which runs after pytest (it takes the notebooks the Binder
  test executed), so ``make test`` runs that test again once the site is built, with
  ``WORLDNB_SITE=build/site``; without it, the test skips.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .harness import wait_for

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TUTORIAL = REPO / "notebooks" / "tutorials" / "01_from_a_photo_to_a_scene.ipynb"


def _tagged(tag: str) -> list[int]:
    nb = json.loads(TUTORIAL.read_text(encoding="utf-8"))
    return [i for i, c in enumerate(nb["cells"]) if tag in c["metadata"].get("tags", [])]


def test_a_solution_is_collapsed_in_jupyterlab_and_opens(lab_server, browser, artifacts_dir):
    """(Notebook 7 uses the same cell widgets; not run again there, to save CI time.)"""
    server = lab_server
    solutions, exercises = _tagged("solution"), _tagged("exercise")
    assert len(solutions) >= 2
    shutil.copy(TUTORIAL, server.root / TUTORIAL.name)
    server.delete_sessions()
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    page = ctx.new_page()
    try:
        # only the page is looked at: no waiting for its kernel
        page.goto(server.page_url(TUTORIAL.name), wait_until="domcontentloaded")
        cells = page.locator(".jp-Notebook .jp-Cell")
        n_cells = len(json.loads(TUTORIAL.read_text(encoding="utf-8"))["cells"])
        wait_for(lambda: cells.count() == n_cells, 90, "every cell on the page")
        for i in solutions:
            cell = cells.nth(i)
            cell.scroll_into_view_if_needed()
            cell.locator(".jp-InputPlaceholder").wait_for(state="visible", timeout=10_000)
            assert not cell.locator(".jp-InputArea-editor").is_visible(), f"cell {i} is open"
        exercise = cells.nth(exercises[0])
        exercise.scroll_into_view_if_needed()
        exercise.locator(".jp-InputArea-editor").wait_for(state="visible", timeout=10_000)
        # a click on the first solution's placeholder opens it
        cell = cells.nth(solutions[0])
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputPlaceholder").click()
        editor = cell.locator(".jp-InputArea-editor")
        editor.wait_for(state="visible", timeout=10_000)
        assert editor.inner_text().lstrip().startswith("# Solution")
        assert not cell.locator(".jp-InputPlaceholder").is_visible()
        assert not cells.nth(solutions[1]).locator(".jp-InputArea-editor").is_visible()
        page.screenshot(path=str(artifacts_dir / "solution_opened.png"))
    except BaseException:
        page.screenshot(path=str(artifacts_dir / "failure.png"))
        raise
    finally:
        ctx.close()
        server.delete_sessions()


@pytest.fixture
def site_url():
    """The site built by ``make docs`` (``WORLDNB_SITE``), served on 127.0.0.1."""
    where = os.environ.get("WORLDNB_SITE")  # unset: tests/conftest.py deselects this test
    assert where, "WORLDNB_SITE names the built site (make test sets it after make docs)"
    root = Path(where)
    if not (root / "index.html").is_file():
        pytest.fail(f"WORLDNB_SITE={where}: no built site there (run make docs)")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_solutions_are_folded_on_the_docs_site(site_url, browser, artifacts_dir):
    n = len(_tagged("solution"))
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((site_url, "data:")) else None,
    )
    try:
        page.goto(f"{site_url}/notebooks/tutorials/{TUTORIAL.stem}.html")
        folds = page.locator("details.wnb-solution")
        assert folds.count() == n
        for i in range(n):
            fold = folds.nth(i)
            assert fold.get_attribute("open") is None
            assert fold.locator("summary").inner_text().strip() == "Solution"
            assert fold.locator("summary").is_visible()
            assert not fold.locator(".jp-InputArea").first.is_visible()
        # the exercise cells are shown as they are
        exercise = page.locator(".celltag_exercise .jp-InputArea").first
        assert exercise.is_visible()
        # a click opens the first solution: its code shows; the second stays closed
        folds.first.locator("summary").click()
        code = folds.first.locator(".jp-InputArea").first
        code.wait_for(state="visible", timeout=5_000)
        assert "# Solution" in code.inner_text()
        assert folds.first.get_attribute("open") is not None
        assert not folds.nth(1).locator(".jp-InputArea").first.is_visible()
        page.screenshot(path=str(artifacts_dir / "site_solution_opened.png"))
        assert outside == []
    except BaseException:
        page.screenshot(path=str(artifacts_dir / "failure_site.png"))
        raise
    finally:
        ctx.close()
