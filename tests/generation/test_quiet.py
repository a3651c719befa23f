"""Known harmless library warnings are dropped inside worldnb's calls, and only there
(issue 16: notebook 05 showed them as pink stderr boxes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import logging, sys
import numpy as np
from worldnb.testing import build_tiny_inpaint_pipeline
from worldnb.generation.inpaint import DiffusersInpaint
from worldnb.generation.quiet import quiet_known_warnings

folder = build_tiny_inpaint_pipeline(sys.argv[1])
inpaint = DiffusersInpaint(str(folder), device="cpu")
out = inpaint(np.full((16, 16, 3), 0.5, np.float32), np.ones((16, 16), bool), steps=1)
print("ran", out.shape, file=sys.stderr)
lib = logging.getLogger("transformers.utils.import_utils")
with quiet_known_warnings():
    lib.warning("`FooImageProcessor` requires torchvision (not installed); falling back")
    lib.warning("an unrelated warning inside")
lib.warning("`BarImageProcessor` requires torchvision (not installed); falling back")
"""


def test_known_warnings_are_silenced_only_inside_worldnb(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "sd")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    err = proc.stderr
    assert "ran (16, 16, 3)" in err
    # building and loading the pipeline imports CLIPImageProcessor without torchvision
    assert "CLIPImageProcessor" not in err and "SiglipImageProcessor" not in err
    assert "accelerate" not in err
    # inside the block, only the known messages go; outside, they all show
    assert "FooImageProcessor" not in err
    assert "an unrelated warning inside" in err
    assert "BarImageProcessor" in err
