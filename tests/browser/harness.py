"""Browser harness: JupyterLab / Notebook 7 driven by headless Chromium (Debian package).

- :class:`JupyterServer` starts ``jupyter lab`` (or ``jupyter notebook``) from this
  Python's environment on 127.0.0.1 with a free port and a random token, in a temp
  root folder with private settings (no news toast, no restored workspace), waits for
  ``/api/status`` and stops the server by PID (terminate, then kill).
- :class:`NotebookPage` opens a notebook in a Chromium page, runs all cells through
  the Run menu, waits for conditions (output text, a canvas, a pixel predicate), and
  returns screenshots, the output canvas' pixels and the console errors.
- :class:`KernelProbe` runs code in the same kernel as the page (a second client on
  the kernel's connection file), so tests can read and set kernel-side state; widget
  messages it triggers reach the browser like any others.

Waits poll for a condition with a deadline; nothing sleeps for a fixed time to "let
things settle".
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
from PIL import Image

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Counts WebGL draw calls and stamps the last one (performance.now() ms), so tests can
#: tell when a new frame was drawn and how long after an input event.
DRAW_PROBE = """
(() => {
  const w = {draws: 0, firstDraw: null, lastDraw: 0, times: []};
  w.firstDrawAfter = (t) => { for (const x of w.times) if (x > t) return x; return null; };
  window.__wnb = w;
  for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    if (!C) continue;
    for (const f of ['drawElements', 'drawArrays']) {
      const orig = C.prototype[f];
      C.prototype[f] = function (...args) {
        const now = performance.now();
        w.draws += 1;
        if (w.firstDraw === null) w.firstDraw = now;
        w.lastDraw = now;
        w.times.push(now);
        if (w.times.length > 4000) w.times.splice(0, 2000);
        return orig.apply(this, args);
      };
    }
  }
})();
"""
#: The one console error pythreejs 2.4.2 always logs, harmless (the view renders).
ALLOWED_CONSOLE_ERRORS = ("t.on is not a function",)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy; raise TimeoutError naming ``what``."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception as exc:  # a page mid-reload, a server not up yet
            last_exc, value = exc, None
        if value is not None and (isinstance(value, np.ndarray) or value):
            return value
        time.sleep(interval)
    raise TimeoutError(
        f"timed out after {timeout:.0f}s waiting for {what} (last error: {last_exc})"
    )


class JupyterServer:
    """A JupyterLab or Notebook 7 server in a private temp folder.

    Args:
        app: ``"lab"`` or ``"notebook"``.
        root: notebook root folder (a new temp folder if None).
    """

    def __init__(self, app: str = "lab", root: Path | None = None):
        self.app = app
        self._tmp = Path(tempfile.mkdtemp(prefix=f"worldnb-{app}-"))
        self.root = Path(root) if root is not None else self._tmp / "root"
        self.root.mkdir(parents=True, exist_ok=True)
        self.runtime_dir = self._tmp / "runtime"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.proc: subprocess.Popen | None = None
        self.log_path = self._tmp / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _settings(self) -> Path:
        """Private user settings: no news / update checks (no toast)."""
        d = self._tmp / "settings"
        p = d / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        return d

    def start(self, timeout: float = 60.0) -> JupyterServer:
        env = dict(os.environ)
        bindir = str(Path(sys.executable).parent)
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
        env["JUPYTER_RUNTIME_DIR"] = str(self.runtime_dir)
        if self.app == "lab":
            env["JUPYTERLAB_SETTINGS_DIR"] = str(self._settings())
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(self._tmp / "workspaces")
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep)
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            self.app,
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.allow_root=True",
            "--MappingKernelManager.cull_idle_timeout=0",
        ]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env)

        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_tail()}")
            return self.api("status") is not None

        try:
            wait_for(ready, timeout, f"jupyter {self.app} /api/status")
        except Exception:
            self.stop()
            raise
        return self

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                body = r.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if path == "status":
                return None
            raise
        return json.loads(body) if body else {}

    def delete_sessions(self) -> None:
        """Shut down every kernel session, so the next notebook gets a fresh kernel."""
        for s in self.api("sessions"):
            self.api(f"sessions/{s['id']}", method="DELETE")

    def kernel_for(self, notebook: str, timeout: float = 60.0) -> dict:
        """The kernel model of the session running ``notebook`` (waits for it)."""

        def find():
            for s in self.api("sessions"):
                if s.get("path") == notebook and s.get("kernel"):
                    return s["kernel"]
            return None

        return wait_for(find, timeout, f"a kernel session for {notebook}")

    def page_url(self, notebook: str) -> str:
        if self.app == "lab":
            return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"
        return f"{self.url}/notebooks/{notebook}?token={self.token}"

    def stop(self) -> None:
        """Stop the server by PID: SIGTERM, then SIGKILL if it lingers."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


def write_notebook(root: Path, name: str, cells: list[str]) -> str:
    """Write a notebook of code cells into the server root; return its relative path."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    (root / name).write_text(nbformat.writes(nb))
    return name


def png_to_array(png: bytes) -> np.ndarray:
    """PNG bytes → (H, W, 3) uint8."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def count_color(rgb: np.ndarray, color: str) -> int:
    """Pixels that are clearly ``"red"``, ``"green"`` or ``"blue"`` (dominant channel)."""
    return int(color_mask(rgb, color).sum())


def color_mask(rgb: np.ndarray, color: str) -> np.ndarray:
    r, g, b = (rgb[..., i].astype(np.int32) for i in range(3))
    return {
        "red": (r > 100) & (r > 2 * g) & (r > 2 * b),
        "green": (g > 100) & (g > 2 * r) & (g > 2 * b),
        "blue": (b > 100) & (b > 2 * r) & (b > 2 * g),
    }[color]


def save_diff(path: Path, a: np.ndarray, b: np.ndarray) -> Path:
    """Save a side-by-side image: a | b | |a − b| amplified (for failed pixel checks)."""
    h = max(a.shape[0], b.shape[0])
    w = max(a.shape[1], b.shape[1])

    def pad(x):
        out = np.zeros((h, w, 3), np.uint8)
        out[: x.shape[0], : x.shape[1]] = x
        return out

    pa, pb = pad(a), pad(b)
    d = np.clip(np.abs(pa.astype(np.int32) - pb.astype(np.int32)) * 4, 0, 255).astype(np.uint8)
    Image.fromarray(np.concatenate([pa, pb, d], axis=1)).save(path)
    return path


class KernelProbe:
    """Run code in a notebook's kernel from the test process (a second kernel client).

    Widget messages the code triggers go to the browser on IOPub like any others.
    """

    def __init__(self, connection_file: Path):
        from jupyter_client import BlockingKernelClient

        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)

    def run(self, code: str, timeout: float = 60.0) -> str:
        """Execute ``code``; return its stdout; raise RuntimeError on an exception."""
        out: list[str] = []
        errors: list[str] = []

        def hook(msg):
            t, c = msg["msg_type"], msg["content"]
            if t == "stream" and c.get("name") == "stdout":
                out.append(c["text"])
            elif t == "error":
                errors.append("\n".join(c.get("traceback", [])) or c.get("evalue", ""))

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=hook)
        if errors or reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel error running {code!r}:\n" + "\n".join(errors))
        return "".join(out)

    def value(self, expr: str, timeout: float = 60.0):
        """Evaluate ``expr`` in the kernel and return it (via JSON)."""
        text = self.run(f"import json as _j; print(_j.dumps({expr}))", timeout)
        return json.loads(text.strip().splitlines()[-1])

    def close(self) -> None:
        self.client.stop_channels()


class NotebookPage:
    """One notebook opened in a Chromium page served by ``server``."""

    def __init__(self, server: JupyterServer, browser, notebook: str, viewport=(1280, 1000)):
        self.server = server
        self.notebook = notebook
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.ws_bytes_received = 0
        self.ws_frames: list[tuple[float, int]] = []
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1
        )
        self.context.add_init_script(DRAW_PROBE)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.page_errors.append(f"{e.name}: {e.message}"))
        self.page.on("websocket", self._on_websocket)
        self.kernel: KernelProbe | None = None
        self.artifacts_dir: Path | None = None

    def _on_websocket(self, ws) -> None:
        def received(payload):
            n = len(payload)
            self.ws_bytes_received += n
            self.ws_frames.append((time.time(), n))

        ws.on("framereceived", received)

    # ---- opening and running -------------------------------------------------
    def open(self, timeout: float = 90.0) -> NotebookPage:
        self.page.goto(self.server.page_url(self.notebook), wait_until="domcontentloaded")
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
        kernel = self.server.kernel_for(self.notebook, timeout)

        def idle():
            for s in self.server.api("sessions"):
                k = s.get("kernel") or {}
                if k.get("id") == kernel["id"]:
                    return k.get("execution_state") == "idle"
            return False

        wait_for(idle, timeout, "the kernel to be idle")
        cf = self.server.runtime_dir / f"kernel-{kernel['id']}.json"
        wait_for(cf.exists, 30, f"kernel connection file {cf.name}")
        self.kernel = KernelProbe(cf)
        # Lab: make sure the widget manager's comm target is registered in the kernel
        # session (the page is the client whose comms receive widget messages).
        return self

    def run_all(self) -> None:
        """Run → Run All Cells (works in JupyterLab 4 and Notebook 7)."""
        self.page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

    def wait_for_text(self, text: str, timeout: float = 60.0) -> None:
        self.page.wait_for_selector(
            f'.jp-OutputArea-output:has-text("{text}")', timeout=timeout * 1000
        )

    def output_texts(self) -> list[str]:
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
            ".map(e => e.innerText)"
        )

    # ---- canvas --------------------------------------------------------------
    def canvas(self, index: int = 0, timeout: float = 60.0):
        loc = self.page.locator(".jp-OutputArea-output canvas").nth(index)
        loc.wait_for(state="visible", timeout=timeout * 1000)
        return loc

    def canvas_pixels(self, index: int = 0) -> np.ndarray:
        """(H, W, 3) uint8 screenshot of the output canvas only."""
        c = self.canvas(index)
        c.scroll_into_view_if_needed()
        return png_to_array(c.screenshot())

    def wait_for_pixels(
        self,
        predicate: Callable[[np.ndarray], bool],
        timeout: float = 30.0,
        what="pixels",
        reference: np.ndarray | None = None,
    ) -> np.ndarray:
        """Screenshot the canvas until ``predicate(pixels)`` holds; return those pixels.

        On timeout, the last screenshot (and, with ``reference``, a diff image against
        it) is saved in ``self.artifacts_dir`` when the fixture set one.
        """
        last: list[np.ndarray] = []

        def check():
            px = self.canvas_pixels()
            last[:] = [px]
            return px if predicate(px) else None

        try:
            # back-to-back screenshots can starve the page's own frames: leave it room
            return wait_for(check, timeout, what, interval=0.1)
        except TimeoutError:
            if self.artifacts_dir is not None and last:
                self.artifacts_dir.mkdir(parents=True, exist_ok=True)
                n = len(list(self.artifacts_dir.glob("timeout*_last.png")))
                Image.fromarray(last[0]).save(self.artifacts_dir / f"timeout{n}_last.png")
                if reference is not None:
                    save_diff(self.artifacts_dir / f"timeout{n}_diff.png", last[0], reference)
            raise

    def wait_for_change(self, before: np.ndarray, timeout: float = 30.0) -> np.ndarray:
        return self.wait_for_pixels(
            lambda px: px.shape != before.shape or bool(np.any(px != before)),
            timeout,
            "the canvas to change",
        )

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path))

    # ---- checks --------------------------------------------------------------
    def console_errors(self) -> list[str]:
        """Console errors and page errors, minus the known harmless pythreejs one."""
        errs = [m for m in self.console if m.startswith("error")] + self.page_errors
        return [e for e in errs if not any(a in e for a in ALLOWED_CONSOLE_ERRORS)]

    def save_artifacts(self, folder: Path, tag: str = "failure") -> None:
        """Page screenshot, canvas screenshot and the console log into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self.page.screenshot(path=str(folder / f"{tag}_page.png"))
        except Exception as exc:
            (folder / f"{tag}_page.txt").write_text(f"no page screenshot: {exc}")
        try:
            loc = self.page.locator(".jp-OutputArea-output canvas")
            if loc.count():
                loc.first.screenshot(path=str(folder / f"{tag}_canvas.png"), timeout=5000)
        except Exception as exc:
            (folder / f"{tag}_canvas.txt").write_text(f"no canvas screenshot: {exc}")
        (folder / f"{tag}_console.txt").write_text("\n".join(self.console + self.page_errors))

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.close()
        self.context.close()
