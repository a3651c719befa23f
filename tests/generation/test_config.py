import dataclasses

import pytest

import worldnb
from worldnb.errors import InputError
from worldnb.generation import GenerationConfig, config_fields


def test_defaults_are_valid_and_in_range():
    cfg = GenerationConfig()
    for f in config_fields():
        value = getattr(cfg, f.name)
        assert f.doc, f.name
        if f.range is not None and value is not None:
            lo, hi = f.range
            assert lo <= value <= hi, f.name
            assert f.step is not None and f.step > 0, f.name


def test_every_field_is_described():
    names = {f.name for f in dataclasses.fields(GenerationConfig)}
    assert names == {f.name for f in config_fields()}
    for must in (
        "steps",
        "guidance_scale",
        "strength",
        "seed",
        "n_views",
        "orbit_deg",
        "dolly",
        "max_side",
        "fov_deg",
        "depth_edge_threshold",
        "surfel_stride",
        "refine_iters",
    ):
        assert must in names
    numeric = [f for f in config_fields() if f.type in (int, float)]
    assert all(f.range is not None for f in numeric)


def test_top_level_name():
    assert worldnb.GenerationConfig is GenerationConfig


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("steps", 0),
        ("steps", 1.5),
        ("guidance_scale", 100.0),
        ("strength", -0.1),
        ("n_views", "4"),
        ("allow_large", 1),
        ("prompt", 3),
        ("seed", True),
        ("fov_deg", 180),
    ],
)
def test_bad_values_raise(field, value):
    with pytest.raises(InputError, match=field):
        GenerationConfig(**{field: value})


def test_replace_and_round_trip():
    cfg = GenerationConfig(seed=7, prompt="a sofa")
    assert cfg.replace(steps=5).steps == 5 and cfg.steps == 20
    assert GenerationConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(InputError, match="no field"):
        cfg.replace(stepz=5)
    with pytest.raises(InputError, match="value in"):
        cfg.replace(n_views=1000)


def test_integral_floats_accepted_for_int_fields():
    assert GenerationConfig(steps=10.0).steps == 10
    assert isinstance(GenerationConfig(steps=10.0).steps, int)


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_non_finite_integers_are_input_errors(bad):
    # found by tests/robustness: n_views=inf was a raw OverflowError
    with pytest.raises(InputError, match="n_views"):
        GenerationConfig(n_views=bad)
