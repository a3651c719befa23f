"""`make lab`: start JupyterLab on the quickstart, for root and ordinary users alike.

- As root (uid 0, as in Docker images, cloud notebooks and CI runners) it passes
  ``--allow-root``; Jupyter refuses to start as root otherwise.
- It binds to ``LAB_IP`` (default 127.0.0.1) and ``LAB_PORT`` (default 8888, or a free
  port when 8888 is taken and ``LAB_PORT`` was not set), with the token ``LAB_TOKEN``
  (default: a fresh random one).
- Without a display (no ``DISPLAY`` / ``WAYLAND_DISPLAY`` on Linux) it passes
  ``--no-browser``.
- Once the server answers ``/api/status``, the last line it prints is the URL, token
  included, that opens the quickstart. Jupyter's own log stays at warnings, so the
  URL is not buried. Ctrl-C (or SIGTERM) stops the server.

Run by the Makefile with the project's venv: ``.venv/bin/python tools/lab.py``.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

NOTEBOOK = "notebooks/00_quickstart.ipynb"
DEFAULT_PORT = 8888


def port_is_free(ip: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
    return True


def free_port(ip: str) -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def has_display(env: dict[str, str], platform: str = sys.platform) -> bool:
    """Whether a browser window can open: always on macOS / Windows, X11 or Wayland on Linux."""
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def choose_port(env: dict[str, str], ip: str) -> int:
    """``LAB_PORT`` when set (a bad value is an error); else 8888, or a free port if taken."""
    if env.get("LAB_PORT"):
        try:
            port = int(env["LAB_PORT"])
        except ValueError:
            raise SystemExit(f"LAB_PORT={env['LAB_PORT']!r} is not a port number") from None
        if not 0 < port < 65536:
            raise SystemExit(f"LAB_PORT={port} is out of range (1-65535)")
        return port
    return DEFAULT_PORT if port_is_free(ip, DEFAULT_PORT) else free_port(ip)


def lab_command(
    python: str, *, ip: str, port: int, token: str, uid: int, display: bool
) -> list[str]:
    """The ``jupyter lab`` command line for these settings."""
    cmd = [
        python,
        "-m",
        "jupyterlab",
        f"--LabApp.default_url=/lab/tree/{NOTEBOOK}",  # the browser opens the quickstart
        f"--ip={ip}",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
    ]
    if uid == 0:
        cmd.append("--allow-root")
    if not display:
        cmd.append("--no-browser")
    return cmd


def url_host(ip: str) -> str:
    """The host to put in the printed URL: a wildcard bind is reached on localhost."""
    if ip in ("", "0.0.0.0", "::", "*"):
        return "127.0.0.1"
    return f"[{ip}]" if ":" in ip else ip


def wait_ready(
    proc: subprocess.Popen, base: str, token: str, stopping: list, timeout: float = 120.0
) -> bool:
    """Poll ``/api/status`` until it answers; False if the server exits, a stop signal
    arrives or time runs out."""
    deadline = time.monotonic() + timeout
    req = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None or stopping:
            return False
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    return False


def main() -> int:
    env = dict(os.environ)
    root = Path(__file__).resolve().parents[1]
    os.chdir(root)
    ip = env.get("LAB_IP") or "127.0.0.1"
    port = choose_port(env, ip)
    token = env.get("LAB_TOKEN") or secrets.token_hex(24)
    cmd = lab_command(
        sys.executable, ip=ip, port=port, token=token, uid=os.getuid(), display=has_display(env)
    )
    proc = subprocess.Popen(cmd)
    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    base = f"http://{url_host(ip)}:{port}"
    try:
        if not wait_ready(proc, base, token, stopping):
            if not stopping:
                print(
                    f"worldnb: JupyterLab did not start on {ip}:{port} (see its messages "
                    "above). Set LAB_PORT to another port or LAB_IP to another address.",
                    file=sys.stderr,
                )
            stop(signal.SIGTERM, None)
            finish(proc)
            return 1
        print(
            "\nworldnb: JupyterLab is running; Ctrl-C stops it. Open the quickstart at\n"
            f"    {base}/lab/tree/{NOTEBOOK}?token={token}",
            flush=True,
        )
        while proc.poll() is None and not stopping:
            time.sleep(0.2)
    except KeyboardInterrupt:
        stop(signal.SIGINT, None)
    return finish(proc)


def finish(proc: subprocess.Popen) -> int:
    """Wait for the server to exit; kill it if it ignores SIGTERM (as during start-up)."""
    try:
        return proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
