"""The README's first command, run exactly as written: ``make lab``.

It starts JupyterLab on the quickstart in a fresh process group, as root (CI, Docker)
and as an ordinary user; the test waits for the URL it prints, checks the server,
runs the quickstart in headless Chromium, and stops the group.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest

from .harness import JupyterServer, NotebookPage, free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/00_quickstart.ipynb"
URL_RE = re.compile(r"(http://127\.0\.0\.1:(\d+))/lab/tree/(\S+)\?token=(\w+)")
NON_ROOT_USER = "worldnb-user"

pytestmark = pytest.mark.browser

sys.path.insert(0, str(REPO / "tools"))
import lab  # noqa: E402  (tools/lab.py: the launcher `make lab` runs)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class MakeLab:
    """``make lab`` in its own process group; its output is collected line by line."""

    def __init__(self, cwd: Path, env: dict[str, str], user: str | None = None):
        kwargs = {}
        if user is not None:
            kwargs = {"user": user, "group": user, "extra_groups": []}
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            ["make", "lab"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a fresh process group: make, the launcher, jupyter
            **kwargs,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_url(self, timeout: float) -> re.Match:
        def found():
            if self.proc.poll() is not None and not self._reader.is_alive():
                raise AssertionError(f"make lab exited ({self.proc.returncode}):\n{self.output}")
            for line in self.lines:
                m = URL_RE.search(line)
                if m:
                    return m
            return None

        return wait_for(found, timeout, "make lab to print its URL")

    def stop(self) -> None:
        """SIGTERM to the whole group, then SIGKILL if anything lingers."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
        except ProcessLookupError:
            return False
        return True


def lab_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The caller's environment, with Jupyter's state in ``tmp`` and no display.

    Autosave is off, so running the quickstart never rewrites the committed notebook.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    settings = tmp / "settings"
    for rel, value in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }.items():
        p = settings / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(value))
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        LAB_PORT=str(free_port()),
    )
    env.update(extra)
    return env


def check_server(base: str, token: str) -> None:
    """``/api/status`` answers, and the quickstart is served as a notebook."""

    def get(path: str):
        req = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200, f"{path}: HTTP {r.status}"
            return r.read()

    status = json.loads(get("/api/status"))
    assert "started" in status
    model = json.loads(get(f"/api/contents/{NOTEBOOK}"))
    assert model["type"] == "notebook"
    assert model["content"]["cells"], "the quickstart is served empty"
    assert b"JupyterLab" in get(f"/lab/tree/{NOTEBOOK}")
    # the address a browser opens first lands on the quickstart
    with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as r:
        assert r.geturl().split("?")[0] == f"{base}/lab/tree/{NOTEBOOK}", r.geturl()


class _RunningLab(JupyterServer):
    """The harness' view of a server that `make lab` started (nothing to start or stop)."""

    def __init__(self, port: int, token: str, runtime_dir: Path):
        self.app = "lab"
        self.port = port
        self.token = token
        self.runtime_dir = runtime_dir

    def stop(self) -> None:  # the test stops make's process group
        pass


def run_quickstart_in_chromium(browser, port: int, token: str, runtime_dir: Path, artifacts):
    """Open the quickstart, Run All, and require every cell to run with no error output."""
    server = _RunningLab(port, token, runtime_dir)
    page = NotebookPage(server, browser, NOTEBOOK)
    try:
        page.open()
        page.run_all()

        def prompts():
            return page.page.evaluate(
                "() => Array.from(document.querySelectorAll("
                "'.jp-Notebook .jp-CodeCell .jp-InputPrompt')).map(e => e.innerText.trim())"
            )

        n_code = page.page.locator(".jp-Notebook .jp-CodeCell").count()
        assert n_code >= 5, f"the quickstart shows only {n_code} code cells"
        # Run All stops at the first error, so a failing cell leaves later ones unnumbered.
        wait_for(
            lambda: all(re.fullmatch(r"\[\d+\]:", p) for p in prompts()),
            240,
            "every quickstart cell to run",
        )
        outputs = page.page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
            ".map(e => [e.getAttribute('data-mime-type'), e.innerText.slice(0, 300)])"
        )
        errors = [text for mime, text in outputs if mime == "application/vnd.jupyter.stderr"]
        assert not errors, f"error or stderr output in the quickstart: {errors}"
        # The last cell is the live view: a canvas that draws the scene.
        px = page.wait_for_pixels(
            lambda a: a.size > 0 and float(a.reshape(-1, 3).std(axis=0).max()) > 10,
            60,
            "the live view to draw the scene",
        )
        assert px.shape[0] > 100 and px.shape[1] > 100
        assert not page.console_errors(), page.console_errors()
    except Exception:
        artifacts.mkdir(parents=True, exist_ok=True)
        page.save_artifacts(artifacts, "make_lab")
        raise
    finally:
        page.close()


def test_launcher_flags():
    """Root gets --allow-root, no display gets --no-browser, LAB_IP / LAB_PORT are used."""
    root = lab.lab_command("py", ip="127.0.0.1", port=9999, token="t", uid=0, display=False)
    assert "--allow-root" in root and "--no-browser" in root
    assert "--ip=127.0.0.1" in root and "--port=9999" in root
    assert "--IdentityProvider.token=t" in root
    assert f"--LabApp.default_url=/lab/tree/{NOTEBOOK}" in root
    user = lab.lab_command("py", ip="0.0.0.0", port=1, token="t", uid=1000, display=True)
    assert "--allow-root" not in user and "--no-browser" not in user
    assert lab.has_display({}, "linux") is False
    assert lab.has_display({"DISPLAY": ":0"}, "linux") is True
    assert lab.has_display({}, "darwin") is True
    assert lab.choose_port({"LAB_PORT": "1234"}, "127.0.0.1") == 1234
    with pytest.raises(SystemExit, match="not a port"):
        lab.choose_port({"LAB_PORT": "x"}, "127.0.0.1")
    with pytest.raises(SystemExit, match="out of range"):
        lab.choose_port({"LAB_PORT": "70000"}, "127.0.0.1")
    # 8888 taken and LAB_PORT unset: another free port, not a failure
    port = lab.choose_port({}, "127.0.0.1")
    assert port == 8888 or lab.port_is_free("127.0.0.1", port)
    assert lab.url_host("0.0.0.0") == "127.0.0.1"


def test_make_lab_serves_and_runs_the_quickstart(browser, tmp_path, artifacts_dir):
    """`make lab` as the README says (as root in CI): URL printed last, quickstart runs."""
    before = (REPO / NOTEBOOK).read_bytes()
    env = lab_env(tmp_path)
    run = MakeLab(REPO, env)
    try:
        m = run.wait_for_url(180)
        base, port, path, token = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        assert path == NOTEBOOK
        assert port == int(env["LAB_PORT"])
        # the URL is the last thing printed: nothing after it buries it
        assert URL_RE.search(run.lines[-1]), f"last line is not the URL:\n{run.output}"
        check_server(base, token)
        if os.getuid() == 0:
            assert "Running as root is not recommended" not in run.output
        run_quickstart_in_chromium(
            browser, port, token, Path(env["JUPYTER_RUNTIME_DIR"]), artifacts_dir
        )
    finally:
        run.stop()
    assert not run.group_alive(), "make lab's process group outlived SIGTERM"
    assert (REPO / NOTEBOOK).read_bytes() == before, "running the quickstart rewrote it"


# ---- as an ordinary user -------------------------------------------------------------


def _ensure_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
        return pwd.getpwnam(name)


def _copy_worktree(dest: Path) -> None:
    """The files a fresh clone would have (tracked and untracked-but-not-ignored)."""
    names = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in filter(None, names):
        rel = raw.decode()
        src = REPO / rel
        if src.is_symlink() or not src.is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / rel)


@pytest.mark.slow
def test_readme_commands_as_a_non_root_user(browser, artifacts_dir):
    """A fresh copy owned by an ordinary user: `make lab` serves and runs the quickstart;
    `make test` sets up its own .venv and runs (a subset, through PYTEST_ARGS)."""
    if os.getuid() != 0 or shutil.which("useradd") is None:
        msg = "creating an ordinary user needs root and useradd"
        if _in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    user = _ensure_user(NON_ROOT_USER)
    tmp = Path(tempfile.mkdtemp(prefix="worldnb-nonroot-"))
    try:
        repo = tmp / "worldnb"
        _copy_worktree(repo)
        state = tmp / "jupyter"
        state.mkdir()
        env = lab_env(state, HOME=user.pw_dir, USER=user.pw_name, LOGNAME=user.pw_name)
        env.pop("PYTHONPATH", None)  # the copy's own .venv and code, nothing of ours
        env.pop("VIRTUAL_ENV", None)
        # root's own tools (a venv, pyenv under /root) are not the user's: the user gets
        # the system's python3, as after a fresh login
        env["PATH"] = os.pathsep.join(
            p
            for p in env.get("PATH", "").split(os.pathsep)
            if ".venv" not in p and not p.startswith("/root")
        )
        subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(tmp)], check=True)
        os.chmod(tmp, 0o755)

        run = MakeLab(repo, env, user=user.pw_name)
        try:
            m = run.wait_for_url(900)  # the first run installs the user's own .venv
            base, port, token = m.group(1), int(m.group(2)), m.group(4)
            assert URL_RE.search(run.lines[-1]), f"last line is not the URL:\n{run.output}"
            assert "--allow-root" not in run.output
            check_server(base, token)
            run_quickstart_in_chromium(
                browser, port, token, Path(env["JUPYTER_RUNTIME_DIR"]), artifacts_dir
            )
        finally:
            run.stop()
        assert not run.group_alive()
        owner = (repo / ".venv").stat().st_uid
        assert owner == user.pw_uid, "make lab did not create the user's own .venv"

        test = subprocess.run(
            # a subset in one process: two xdist workers cost more than 3 tests take
            ["make", "test", "PYTEST_ARGS=tests/test_readme.py", "PYTEST_WORKERS=1"],
            cwd=repo,
            env=env,
            user=user.pw_name,
            group=user.pw_name,
            extra_groups=[],
            capture_output=True,
            text=True,
            timeout=900,
        )
        out = test.stdout + test.stderr
        if shutil.which("chromium") is None:
            assert test.returncode != 0 and "chromium is missing" in out, out[-3000:]
        else:
            assert test.returncode == 0, out[-3000:]
            assert re.search(r"\d+ passed", out), out[-3000:]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
