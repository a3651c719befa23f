"""Fixtures for real-browser tests: one Jupyter server and one Chromium per session,
a fresh kernel and page per test, artifacts saved when a test fails."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from .harness import CHROMIUM, CHROMIUM_ARGS, JupyterServer, NotebookPage, write_notebook


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium. Missing: a failure in CI (CI=true), a skip elsewhere."""
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} not found: install Debian's chromium (`make browser`)"
        if _in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    try:
        import playwright  # noqa: F401
    except ImportError:
        if _in_ci():
            pytest.fail("python playwright is not installed (pip install -e '.[test]')")
        pytest.skip("python playwright is not installed")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _server(app: str):
    server = JupyterServer(app).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def lab_server(chromium_path):
    """One JupyterLab 4 server for the whole session (started once: ~3 s)."""
    yield from _server("lab")


@pytest.fixture(scope="session")
def nb7_server(chromium_path):
    """One Notebook 7 server, started only by tests that ask for it."""
    yield from _server("notebook")


@pytest.fixture
def open_notebook(request, browser, lab_server, artifacts_dir):
    """Factory: ``open_notebook(cells, server=None) -> NotebookPage`` (opened, kernel idle).

    Old kernel sessions are shut down first, so every test gets a fresh kernel. When the
    test fails, the page and canvas screenshots and the console log go to artifacts_dir.
    """
    pages: list[NotebookPage] = []

    def factory(cells: list[str], server: JupyterServer | None = None) -> NotebookPage:
        server = server or lab_server
        server.delete_sessions()
        name = f"{request.node.name.split('[')[0]}_{uuid.uuid4().hex[:6]}.ipynb"
        write_notebook(server.root, name, cells)
        page = NotebookPage(server, browser, name)
        page.artifacts_dir = artifacts_dir
        pages.append(page)
        return page.open()

    yield factory
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, page in enumerate(pages):
        if failed:
            page.save_artifacts(artifacts_dir, f"failure{i}")
        page.close()
        page.server.delete_sessions()
