import math

import numpy as np
import pytest

from worldnb.generation import (
    DepthPrediction,
    camera_pose,
    choose_intrinsics,
    fit_floor,
    to_metric,
    unproject_depth,
)
from worldnb.generation.metric import FALLBACK_MEDIAN_DEPTH


def test_intrinsics_priority_model_exif_config():
    K, src = choose_intrinsics(64, 48, 90.0, 100.0, 60.0)
    assert src == "model" and K[1, 1] == pytest.approx(24.0)
    K, src = choose_intrinsics(64, 48, None, 100.0, 60.0)
    assert src == "exif" and K[0, 0] == pytest.approx(100.0)
    K, src = choose_intrinsics(64, 48, None, None, 60.0)
    assert src == "config" and K[1, 1] == pytest.approx(24 / math.tan(math.radians(30)))
    assert K[0, 2] == 32 and K[1, 2] == 24


def test_floor_rule_recovers_metric_scale(room_render, room_camera):
    true = room_render.depth
    rel = DepthPrediction(true * 0.37, "relative")
    depth, floor, rule = to_metric(rel, room_camera.K, camera_height=1.6)
    assert rule == "floor" and floor is not None
    # the demo camera is 1.6 m above the floor, so the rule gives metres back
    assert np.median(np.abs(depth / true - 1)) < 0.02
    disp = DepthPrediction(1.0 / (true * 5.0), "disparity")
    depth2, _, rule2 = to_metric(disp, room_camera.K, camera_height=1.6)
    assert rule2 == "floor" and np.median(np.abs(depth2 / true - 1)) < 0.02


def test_depth_scale_and_median_fallback():
    K, _ = choose_intrinsics(32, 32, None, None, 60.0)
    wall = DepthPrediction(np.full((32, 32), 4.0, np.float32), "relative")  # no floor in view
    d, floor, rule = to_metric(wall, K, depth_scale=0.5)
    assert rule == "depth_scale" and np.allclose(d, 2.0)
    d, floor, rule = to_metric(wall, K)
    assert rule == "median" and floor is None and np.allclose(d, FALLBACK_MEDIAN_DEPTH)
    d, _, rule = to_metric(DepthPrediction(np.full((32, 32), 4.0), "metric"), K)
    assert rule == "metric" and np.allclose(d, 4.0)


def test_camera_pose_puts_floor_at_zero(room_render, room_camera):
    pts = unproject_depth(room_render.depth, room_camera.K)
    floor = fit_floor(pts)
    assert floor is not None and floor.height == pytest.approx(1.6, abs=0.02)
    T = camera_pose(floor)
    world = pts.reshape(-1, 3) @ T[:3, :3].T + T[:3, 3]
    assert np.percentile(world[:, 1], 1) == pytest.approx(0.0, abs=0.02)  # floor at y = 0
    assert abs(np.linalg.det(T[:3, :3]) - 1) < 1e-5
    assert T[:3, 2][2] < 0  # camera looks towards −Z
    level = camera_pose(None, 1.2)
    assert np.allclose(level[:3, 3], [0, 1.2, 0]) and np.allclose(level[:3, 1], [0, -1, 0])
