"""The committed widget bundle is exactly what js/ builds.

``worldnb/widgets/static/embed-bundle.js`` (inlined into ``to_html`` pages) is
committed so that installing worldnb needs no Node.js and no network; this test
rebuilds it from ``js/`` (pinned by ``js/package-lock.json``) and compares SHA-256
hashes, so the file in git can never drift from its sources. ``make test`` runs
``npm ci`` in ``js/`` first.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
JS = REPO / "js"
BUNDLE = REPO / "worldnb" / "widgets" / "static" / "embed-bundle.js"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_bundle_is_reproducible_from_js(tmp_path):
    node = shutil.which("node")
    assert node, "node is missing: install Node.js (the Makefile runs `npm ci` in js/)"
    assert (JS / "node_modules" / "esbuild").is_dir(), "run `npm ci` in js/ (make test does)"
    out = tmp_path / "embed-bundle.js"
    subprocess.run(
        [node, "scripts/build.mjs", str(out)],
        cwd=JS,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert _sha256(out) == _sha256(BUNDLE), (
        "worldnb/widgets/static/embed-bundle.js differs from a fresh build of js/: "
        "run `cd js && npm ci && npm run build` and commit the result"
    )
