"""The training command: CSV log, model folders, resume after a stop, seeds."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from worldnb import models
from worldnb.models import train

TINY = [
    "--size",
    "32",
    "--batch",
    "2",
    "--rooms-per-chunk",
    "1",
    "--min-views",
    "2",
    "--grow-every",
    "1000",
    "--eval-every",
    "2",
    "--save-every",
    "2",
    "--threads",
    "1",
]


def _rows(folder):
    with (folder / "log.csv").open() as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_dense_training_logs_exports_and_resumes(tmp_path):
    out = tmp_path / "dense"
    train.main(["depth", "segment", "--out", str(out), "--steps", "2", *TINY])
    assert [r["step"] for r in _rows(out)] == ["1", "2"]
    assert _rows(out)[-1]["abs_rel"] and _rows(out)[-1]["miou"]  # held-out scored
    with pytest.raises(SystemExit, match="--resume"):
        train.main(["depth", "--out", str(out), "--steps", "4", *TINY])
    with (out / "log.csv").open("a") as f:
        f.write("3,0,0,9\n")  # a step done after the last checkpoint, then a kill
    train.main(["depth", "segment", "--out", str(out), "--steps", "4", "--resume", *TINY])
    rows = _rows(out)
    assert [r["step"] for r in rows] == ["1", "2", "3", "4"]
    cfg = json.loads((out / "depth" / "config.json").read_text())
    assert cfg["training"]["steps"] == 4 and cfg["net"]["heads"] == {"depth": 2, "fov": 1}
    seeds = json.loads((out / "data" / "chunk_0000000" / "index.json").read_text())["rooms"]
    assert max(r["seed"] for r in seeds) < models.data.HELD_OUT_SEED
    held = json.loads((out / "data" / "heldout" / "index.json").read_text())["rooms"]
    assert min(r["seed"] for r in held) >= models.data.HELD_OUT_SEED
    depth, seg = models.load(str(out / "depth")), models.load(str(out / "segment"))
    rgb = np.full((40, 48, 3), 0.5, np.float32)
    assert depth(rgb).depth.shape == (40, 48)
    assert seg(rgb).semantic.shape == (40, 48)


@pytest.mark.slow
def test_inpaint_training_exports_a_pipeline(tmp_path):
    out = tmp_path / "inpaint"
    train.main(["inpaint", "--out", str(out), "--steps", "2", *TINY])
    assert [r["step"] for r in _rows(out)] == ["1", "2"]
    pipe = models.load(str(out / "inpaint"))
    assert isinstance(pipe, models.PixelInpaintPipeline)
    assert json.loads((out / "inpaint" / "training.json").read_text())["training"]["steps"] == 2


def test_bad_arguments():
    with pytest.raises(SystemExit):
        train.main(["inpaint", "depth", "--out", "x"])
    with pytest.raises(SystemExit):
        train.main(["depth", "--out", "x", "--size", "100"])
