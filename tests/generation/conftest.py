"""Fixtures for the generation tests: a ground-truth room, tiny models built from configs."""

from __future__ import annotations

import numpy as np
import pytest

import worldnb
from worldnb.generation.demo import textured_room, textured_room_camera
from worldnb.testing import build_tiny_depth_model, build_tiny_inpaint_pipeline

SIZE = 64


@pytest.fixture(scope="session")
def room():
    """The hand-built textured room (true scene)."""
    return textured_room(seed=0)


@pytest.fixture(scope="session")
def room_camera():
    return textured_room_camera(SIZE)


@pytest.fixture(scope="session")
def room_render(room, room_camera):
    """The true render of the room from the input camera (rgb, depth, …)."""
    return worldnb.render(room, room_camera, device="cpu")


@pytest.fixture(scope="session")
def tiny_dpt(tmp_path_factory):
    return build_tiny_depth_model(tmp_path_factory.mktemp("models") / "tiny-dpt", "dpt")


@pytest.fixture(scope="session")
def tiny_depth_anything(tmp_path_factory):
    return build_tiny_depth_model(tmp_path_factory.mktemp("models") / "tiny-da", "depth_anything")


@pytest.fixture(scope="session")
def tiny_sd(tmp_path_factory):
    return build_tiny_inpaint_pipeline(tmp_path_factory.mktemp("models") / "tiny-sd")


@pytest.fixture
def flat_image():
    return np.full((SIZE, SIZE, 3), 0.5, np.float32)
