import numpy as np
import pytest
import torch

from worldnb.errors import BackendError, InputError
from worldnb.generation import (
    DepthPrediction,
    TransformersDepth,
    as_depth_estimator,
)


@pytest.mark.parametrize("arch", ["dpt", "depth_anything"])
def test_transformers_folder_loads_through_from_pretrained(arch, tiny_dpt, tiny_depth_anything):
    folder = tiny_dpt if arch == "dpt" else tiny_depth_anything
    est = as_depth_estimator(str(folder), device="cpu")
    assert isinstance(est, TransformersDepth) and est.kind == "disparity"
    rgb = np.random.default_rng(0).random((48, 80, 3)).astype(np.float32)
    pred = est(rgb)
    assert pred.depth.shape == (48, 80) and pred.depth.dtype == np.float32
    assert np.isfinite(pred.depth).all()
    assert np.array_equal(pred.depth, est(rgb).depth)  # deterministic (eval mode)


def test_offline_hub_id_says_what_to_do():
    with pytest.raises(BackendError, match=r"no local copy of 'depth-anything/nope-hf'.*folder"):
        as_depth_estimator("depth-anything/nope-hf")


def test_folder_that_is_not_a_model(tmp_path):
    with pytest.raises(BackendError, match="not a transformers depth-estimation model"):
        as_depth_estimator(tmp_path)
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(BackendError, match="could not be loaded"):
        as_depth_estimator(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        as_depth_estimator(tmp_path / "missing" / "x")


def test_builtin_and_none_are_the_shipped_model():
    for spec in (None, "builtin", "builtin:depth"):
        assert as_depth_estimator(spec).name == "builtin:depth"
    with pytest.raises(InputError, match="another built-in"):
        as_depth_estimator("builtin:inpaint")
    with pytest.raises(InputError, match="callable"):
        as_depth_estimator(3.5)


def test_callable_results_are_validated():
    rgb = np.zeros((8, 10, 3), np.float32)
    est = as_depth_estimator(lambda im: np.full(im.shape[:2], 2.0))
    pred = est(rgb)
    assert pred.kind == "metric" and pred.depth.dtype == np.float32
    assert as_depth_estimator(lambda im: torch.ones(1, 8, 10))(rgb).depth.shape == (8, 10)
    bad = {
        "shape": lambda im: np.ones((4, 4)),
        "NaN": lambda im: np.full((8, 10), np.nan),
        "kind": lambda im: DepthPrediction(np.ones((8, 10)), "inches"),
        "DepthPrediction": lambda im: "two metres",
        "fov_deg": lambda im: DepthPrediction(np.ones((8, 10)), fov_deg=200.0),
        "confidence": lambda im: DepthPrediction(np.ones((8, 10)), confidence=np.ones((2, 2))),
    }
    for what, fn in bad.items():
        with pytest.raises(BackendError, match=what):
            as_depth_estimator(fn)(rgb)


def test_view_keyword_only_for_callables_that_take_it():
    seen = {}

    def with_view(rgb, view=None):
        seen["view"] = view
        return np.ones(rgb.shape[:2])

    est = as_depth_estimator(with_view)
    est(np.zeros((4, 4, 3), np.float32), view="ctx")
    assert seen["view"] == "ctx"
    plain = as_depth_estimator(lambda rgb: np.ones(rgb.shape[:2]))
    plain(np.zeros((4, 4, 3), np.float32), view="ignored")  # must not pass it on
