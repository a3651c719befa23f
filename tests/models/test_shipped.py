"""The shipped models: offline loading, protocols, round trips, metric floors.

The floors are regression guards on a small fixed held-out set (3 rooms × 2 views at
128², seeds from 1,000,000), set a margin below what the shipped weights measure and
above what the weights shipped before them (700 CPU steps) measured on the same set:

| metric | shipped (6000 / 500 steps) | before (700 steps) | floor |
|---|---|---|---|
| depth AbsRel / δ1 | 0.179 / 0.754 | 0.377 / 0.589 | < 0.23 / > 0.67 |
| segment mIoU / pixel accuracy | 0.565 / 0.801 | 0.217 / 0.633 | > 0.45 / > 0.72 |
| inpaint PSNR − mean-fill (dB), 3 views | 1.64 | −0.01 | > 0.8 |

Both still miss the issue's targets (see the model cards).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from worldnb import models
from worldnb.generation import (
    DepthEstimator,
    Inpainter,
    Segmenter,
    as_depth_estimator,
    as_inpainter,
    as_segmenter,
)
from worldnb.generation.depth import check_prediction
from worldnb.models.evaluate import evaluate_depth, evaluate_inpaint, evaluate_segment

RGB = np.random.default_rng(0).random((48, 80, 3), dtype=np.float32)


@pytest.fixture(scope="module")
def shipped():
    return {name: models.load(name) for name in models.MODELS}


def test_every_model_ships_with_weights_config_and_card():
    total = 0
    for name in models.MODELS:
        folder = models.model_folder(name)
        card = (folder / "README.md").read_text()
        for section in ("## Data", "## Training", "## Metrics on held-out rooms", "## License"):
            assert section in card, (name, section)
        assert "procedural" in card and "Hugging Face" in card
        total += sum(f.stat().st_size for f in folder.rglob("*.safetensors"))
        assert list(folder.rglob("*.safetensors")) and list(folder.rglob("*.json"))
    assert total < 40e6


def test_depth_protocol(shipped):
    depth = shipped["depth"]
    assert isinstance(depth, DepthEstimator)
    pred = check_prediction(depth(RGB), RGB.shape[:2], "builtin")
    assert pred.kind == "metric" and 20 < pred.fov_deg < 120
    assert (pred.depth > 0).all() and 0 <= pred.confidence.min() <= pred.confidence.max() <= 1
    u8 = depth((RGB * 255).astype(np.uint8)).depth
    assert np.allclose(u8, pred.depth, rtol=0.05)


def test_segment_protocol(shipped):
    seg = shipped["segment"]
    assert isinstance(seg, Segmenter)
    out = as_segmenter("builtin")(RGB)
    assert out.semantic.shape == out.instance.shape == out.scores.shape == RGB.shape[:2]
    assert out.labels == models.data.classes()
    stuff = np.isin(out.semantic, [0, 1, 2])
    assert (out.instance[stuff] == 0).all() and (out.instance[~stuff] > 0).all()
    for d in out.instances():
        assert d["label"] in out.labels and 0 <= d["score"] <= 1


def test_inpaint_protocol_and_known_pixels(shipped):
    pipe = shipped["inpaint"]
    assert isinstance(pipe, Inpainter)
    hole = np.zeros(RGB.shape[:2], bool)
    hole[10:30, 20:60] = True
    backend = as_inpainter("builtin:inpaint")
    a = backend(RGB, hole, steps=3, generator=torch.Generator().manual_seed(1))
    b = backend(RGB, hole, steps=3, generator=torch.Generator().manual_seed(1))
    assert a.shape == RGB.shape and np.array_equal(a, b)
    assert np.array_equal(a[~hole], RGB[~hole]) and not np.allclose(a[hole], RGB[hole])


def test_builtin_names_reach_the_models():
    assert as_depth_estimator(None).name == "builtin:depth"
    assert as_depth_estimator("builtin:depth").name == "builtin:depth"
    assert as_inpainter("builtin").name == "builtin:inpaint"
    assert as_segmenter("builtin:segment").name == "builtin:segment"


def test_dense_round_trip(shipped, tmp_path):
    for name in ("depth", "segment"):
        folder = shipped[name].save_pretrained(tmp_path / name)
        again = models.load(str(folder))
        cfg = json.loads((folder / "config.json").read_text())
        assert cfg["model"] == name
        a, b = shipped[name](RGB), again(RGB)
        field = "depth" if name == "depth" else "semantic"
        assert np.array_equal(getattr(a, field), getattr(b, field))


def test_inpaint_round_trip(shipped, tmp_path):
    shipped["inpaint"].save_pretrained(tmp_path / "inpaint")
    again = models.PixelInpaintPipeline.from_pretrained(tmp_path / "inpaint")
    hole = np.zeros(RGB.shape[:2], bool)
    hole[5:25, 5:25] = True
    g = torch.Generator()
    a = shipped["inpaint"](RGB, hole, steps=2, generator=g.manual_seed(0))
    b = again(RGB, hole, steps=2, generator=g.manual_seed(0))
    assert np.allclose(a, b, atol=1e-5)


@pytest.mark.slow
def test_depth_floor(shipped, heldout):
    res = evaluate_depth(shipped["depth"], heldout)
    assert res["abs_rel"] < 0.23 and res["delta1"] > 0.67, res


@pytest.mark.slow
def test_segment_floor(shipped, heldout):
    res = evaluate_segment(shipped["segment"], heldout)
    assert res["miou"] > 0.45 and res["pixel_acc"] > 0.72, res


@pytest.mark.slow
def test_inpaint_floor(shipped, heldout):
    res = evaluate_inpaint({"builtin": shipped["inpaint"]}, heldout[:3], steps=10)
    # above mean-fill, below Telea (see its model card); a smooth fill, but not a flat one
    assert res["builtin"]["psnr_db"] - res["mean"]["psnr_db"] > 0.8, res
    assert res["builtin"]["grad_energy_ratio"] > 0.02, res
