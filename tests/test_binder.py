"""Binder, verified: the notebooks run where a Binder user runs them, under nbval.

A clean venv is set up as repo2docker sets up a Binder image: ``pip install
--no-cache-dir -r binder/requirements.txt``, then ``binder/postBuild`` run from the
repository's root with that venv's ``python`` first on ``PATH``. Nothing of the
test's own environment (``PYTHONPATH``, its venv, the user's Jupyter kernels) is
visible there; ``test_binder_environment`` checks that.

Then the harness, pytest and nbval, is added to that venv (Binder's image does not
have it; the notebooks import neither), and every notebook (``notebooks/*.ipynb``,
``notebooks/tutorials/*.ipynb``) runs once under nbval (``--nbval-lax``: each cell
must run without error) in one pytest run, with the venv's own kernel. This is where
``make test`` runs the notebooks: ``test_notebook_runs_on_binder[X]`` fails with
the failing cells' tracebacks. The plugin ``tests/nbval_copies.py`` writes the
executed copies, outputs and all, to ``build/notebooks/`` (only for notebooks whose
every cell passed), where ``make docs`` takes them for the site.
``pytest notebooks/X.ipynb --nbval-lax`` still runs one notebook in the dev venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
EXECUTED = REPO / "build" / "notebooks"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb")) + sorted(
    (REPO / "notebooks" / "tutorials").glob("*.ipynb")
)

pytestmark = pytest.mark.slow


def _tail(proc: subprocess.CompletedProcess, n: int = 6000) -> str:
    return (proc.stdout + proc.stderr)[-n:]


class BinderEnv:
    """The venv repo2docker's steps build, and an environment that sees only it."""

    def __init__(self, root: Path):
        self.root = root
        self.venv = root / "venv"
        self.bin = self.venv / "bin"
        self.python = self.bin / "python"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "CONDA_PREFIX")
            and not k.startswith("JUPYTER_")
        }
        path = [p for p in env.get("PATH", "").split(os.pathsep) if p and ".venv" not in p]
        env["PATH"] = os.pathsep.join([str(self.bin), *path])
        # the user's own Jupyter folders (kernels, config) are not Binder's
        for name, sub in (
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
        ):
            env[name] = str(root / "home" / sub)
        # Binder reaches requirements.txt's PyTorch CPU index; where it cannot be reached
        # (this machine has the same CPU wheel locally) fail each lookup at once rather
        # than after pip's five retries per package
        env["PIP_RETRIES"] = "0"
        env["HF_HUB_OFFLINE"] = env["TRANSFORMERS_OFFLINE"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.env = env

    def run(self, cmd, timeout: float, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            cmd, env=self.env, capture_output=True, text=True, timeout=timeout, **kw
        )

    def build(self) -> dict[str, float]:
        seconds = {}
        t = time.perf_counter()
        proc = self.run([sys.executable, "-m", "venv", "--clear", str(self.venv)], 300)
        assert proc.returncode == 0, _tail(proc)
        # repo2docker: `pip install --no-cache-dir -r binder/requirements.txt`
        proc = self.run(
            [str(self.python), "-m", "pip", "install", "--no-cache-dir", "-q", "-r",
             str(BINDER / "requirements.txt")],
            1800,
            cwd=REPO,
        )  # fmt: skip
        assert proc.returncode == 0, f"binder/requirements.txt:\n{_tail(proc)}"
        seconds["requirements"] = time.perf_counter() - t
        t = time.perf_counter()
        # repo2docker: postBuild, executable, run from the repository's root
        proc = self.run([str(BINDER / "postBuild")], 1800, cwd=REPO)
        assert proc.returncode == 0, f"binder/postBuild:\n{_tail(proc)}"
        seconds["postBuild"] = time.perf_counter() - t
        return seconds

    def execute(self, notebook: Path, out_dir: Path, timeout: float = 3600):
        out_dir.mkdir(parents=True, exist_ok=True)
        return self.run(
            [
                str(self.bin / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=python3",
                "--ExecutePreprocessor.timeout=1800",  # a cell; a loaded CI machine is slow
                # no widget state in the copies: the site's pages stay small and load
                # nothing from a CDN (a widget shows its text form there)
                "--ExecutePreprocessor.store_widget_state=False",
                "--output-dir", str(out_dir), str(notebook),
            ],
            timeout,
            cwd=notebook.parent,
        )  # fmt: skip


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    if not (BINDER / "postBuild").stat().st_mode & 0o111:
        pytest.fail("binder/postBuild must be executable: repo2docker runs it as a program")
    root = tmp_path_factory.mktemp("binder")
    env = BinderEnv(root)
    seconds = env.build()
    print(f"Binder environment built: {json.dumps({k: round(v) for k, v in seconds.items()})} s")
    yield env
    shutil.rmtree(root, ignore_errors=True)  # a few GB: not kept for later runs


@pytest.fixture(scope="module")
def nbval_run(binder, tmp_path_factory):
    """Every notebook, once, under nbval in the Binder venv: ``{notebook: report line}``."""
    root = tmp_path_factory.mktemp("nbval")
    proc = binder.run(
        [str(binder.python), "-m", "pip", "install", "--no-cache-dir", "-q",
         "pytest>=8", "nbval>=0.11"],
        900,
    )  # fmt: skip
    assert proc.returncode == 0, f"pytest and nbval in the Binder venv:\n{_tail(proc)}"
    plugin_dir = root / "plugins"
    plugin_dir.mkdir()
    shutil.copy(REPO / "tests" / "nbval_copies.py", plugin_dir)
    (root / "pytest.ini").write_text("[pytest]\n")  # not the repository's options
    for nb in NOTEBOOKS:  # a failed run leaves no stale copy for the docs
        (EXECUTED / nb.relative_to(REPO / "notebooks")).unlink(missing_ok=True)
    report = root / "report.jsonl"
    env = dict(
        binder.env,
        PYTHONPATH=str(plugin_dir),
        WORLDNB_EXECUTED_DIR=str(EXECUTED),
        WORLDNB_NOTEBOOKS_ROOT=str(REPO / "notebooks"),
        WORLDNB_NBVAL_REPORT=str(report),
    )
    proc = subprocess.run(
        [str(binder.python), "-m", "pytest", "-p", "nbval_copies", "-p", "no:cacheprovider",
         "-c", str(root / "pytest.ini"), "--rootdir", str(REPO), "-q",
         "--nbval-lax", "--nbval-current-env",
         "--nbval-cell-timeout", "1800",  # a cell; a loaded CI machine is slow
         "--nbval-kernel-startup-timeout", "300",
         *map(str, NOTEBOOKS)],
        env=env, capture_output=True, text=True, timeout=5400, cwd=REPO,
    )  # fmt: skip
    print(_tail(proc, 3000))
    lines = report.read_text().splitlines() if report.exists() else []
    results = {json.loads(line)["notebook"]: json.loads(line) for line in lines}
    yield results, proc


def test_binder_files_are_repo2docker_files():
    names = sorted(p.name for p in BINDER.iterdir())
    assert names == ["postBuild", "requirements.txt", "runtime.txt"], names
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    reqs = (BINDER / "requirements.txt").read_text()
    make = (REPO / "Makefile").read_text()
    pin = re.search(r"^TORCH_PIN := (\S+)$", make, re.M).group(1)
    assert re.search(rf"^{re.escape(pin)}$", reqs, re.M), f"Binder's torch is not {pin}"


def test_readme_badge_opens_the_first_tutorial():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)]*urlpath=lab/tree/([^)&]+)\)", readme)
    assert badge, "README has no Binder badge with a urlpath"
    target = REPO / badge.group(1)
    assert target.is_file(), f"the Binder badge opens {badge.group(1)}, which does not exist"
    tutorials = sorted((REPO / "notebooks" / "tutorials").glob("*.ipynb"))
    assert tutorials and target == tutorials[0], "the badge should open the first tutorial"


def test_binder_environment(binder, tmp_path):
    probe = (
        "import json, sys, torch, worldnb, ipywidgets, pythreejs, ray;"
        "print(json.dumps({'exe': sys.executable, 'torch': torch.__version__,"
        " 'worldnb': worldnb.__file__, 'cuda': torch.version.cuda}))"
    )
    proc = binder.run([str(binder.python), "-c", probe], 300, cwd=tmp_path)
    assert proc.returncode == 0, _tail(proc)
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    assert Path(info["exe"]).parent.resolve() == binder.bin.resolve(), info
    assert info["torch"].startswith("2.13.0") and info["cuda"] is None, info
    assert Path(info["worldnb"]).resolve().is_relative_to(REPO), info
    # the live view needs both front-end extensions in JupyterLab
    proc = binder.run([str(binder.bin / "jupyter"), "labextension", "list"], 300)
    listing = proc.stdout + proc.stderr
    assert "jupyter-threejs" in listing, listing
    assert "@jupyter-widgets/jupyterlab-manager" in listing, listing
    # a notebook's kernel is the venv's python, not one the user has registered
    nb = tmp_path / "probe.ipynb"
    code = "import sys; print(sys.executable)"
    cell = {"cell_type": "code", "metadata": {}, "source": code, "outputs": [],
            "execution_count": None}  # fmt: skip
    nb.write_text(json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5,
                              "metadata": {"kernelspec": {"name": "python3",
                                                          "display_name": "Python 3",
                                                          "language": "python"}}}))  # fmt: skip
    proc = binder.execute(nb, tmp_path / "out", timeout=300)
    assert proc.returncode == 0, _tail(proc)
    out = json.loads((tmp_path / "out" / "probe.ipynb").read_text())
    printed = "".join(out["cells"][0]["outputs"][0]["text"]).strip()
    assert Path(printed).parent.resolve() == binder.bin.resolve(), printed


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 10
    for nb in NOTEBOOKS:
        kernel = json.loads(nb.read_text())["metadata"].get("kernelspec", {})
        assert kernel.get("name") == "python3", f"{nb.name}: kernel {kernel}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_notebook_runs_on_binder(nbval_run, notebook):
    results, proc = nbval_run
    rel = notebook.relative_to(REPO / "notebooks").as_posix()
    assert rel in results, f"{rel} did not run under nbval:\n{_tail(proc)}"
    result = results[rel]
    assert not result["failures"], f"{rel} failed on Binder:\n" + "\n".join(result["failures"])
    print(f"{notebook.relative_to(REPO)}: {result['seconds']:.0f} s, {result['cells']} cells")
    executed = json.loads((EXECUTED / rel).read_text())
    code = [c for c in executed["cells"] if c["cell_type"] == "code" and c["source"]]
    assert all(c.get("execution_count") for c in code), "a code cell did not run"
    assert any(c.get("outputs") for c in code), "the executed copy carries no outputs"
