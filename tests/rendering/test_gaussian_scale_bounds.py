"""Gaussians whose scales overflow the covariance (issue 15 item 13): a log-scale of 80
rendered NaN. Such scales are refused where they enter: the Gaussians layer, a .ply
file, and the rasterizer's activated scales."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.rendering import rasterize_gaussians
from worldnb.scene import Camera, Gaussians, Scene
from worldnb.scene.geometry import MAX_LOG_SCALE


def _one(log_scale: float) -> Gaussians:
    return Gaussians(
        [[0.0, 0.0, 0.0]], np.full((1, 3), log_scale), [[1.0, 0, 0, 0]], [3.0], [[1.0, 0, 0]]
    )


CAMERA = Camera.look_at((0, 0, 3), (0, 0, 0), width=16, height=16)


@pytest.mark.parametrize("log_scale", [80.0, 88.0, MAX_LOG_SCALE + 0.5])
def test_log_scales_that_overflow_are_refused(log_scale):
    with pytest.raises(InputError, match=r"scales: .*log"):
        _one(log_scale)


def test_the_largest_accepted_log_scale_renders_finite_values():
    for log_scale in (MAX_LOG_SCALE, -30.0):
        out = worldnb.render(Scene(layers={"g": _one(log_scale)}), CAMERA, device="cpu")
        assert np.isfinite(out.rgb).all() and np.isfinite(out.alpha).all()


def test_scales_edited_after_construction_are_refused_by_render():
    g = _one(0.0)
    g.scales[:] = 80.0  # the attribute is a plain array: render checks again
    with pytest.raises(InputError, match="scales"):
        worldnb.render(Scene(layers={"g": g}), CAMERA, device="cpu")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_the_rasterizer_refuses_standard_deviations_that_overflow(dtype):
    big = math.exp(80.0)
    args = (
        torch.zeros(1, 3, dtype=dtype),
        torch.tensor([[1.0, 0, 0, 0]], dtype=dtype),
        torch.full((1, 3), big, dtype=dtype),
        torch.tensor([0.9], dtype=dtype),
        torch.ones(1, 3, dtype=dtype),
        CAMERA.K,
        np.linalg.inv(CAMERA.T_world_camera),
        16,
        16,
    )
    with pytest.raises(InputError, match="scales"):
        rasterize_gaussians(*args)


def test_a_ply_with_overflowing_scales_is_a_format_error(tmp_path):
    path = Scene(layers={"g": _one(0.0)}).export(tmp_path / "g.ply", text=True)
    text = path.read_text().splitlines()
    header_end = text.index("end_header")
    names = [ln.split()[-1] for ln in text[:header_end] if ln.startswith("property")]
    row = text[header_end + 1].split()
    row[names.index("scale_0")] = "80"
    text[header_end + 1] = " ".join(row)
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(FormatError, match="scales"):
        worldnb.load(path)
