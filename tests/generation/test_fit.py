"""Property tests of the fits behind understand: yaw boxes and planes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldnb import OrientedBox
from worldnb.errors import InputError
from worldnb.generation import box_iou, complete_box, fit_box, fit_plane

boxes = st.builds(
    lambda x, z, w, h, d, yaw: OrientedBox((x, h / 2, z), (w, h, d), yaw),
    st.floats(-3, 3),
    st.floats(-3, 3),
    st.floats(0.2, 2.5),
    st.floats(0.1, 2.0),
    st.floats(0.2, 2.5),
    st.floats(-math.pi, math.pi),
)


def _surface(box: OrientedBox, n: int, rng, faces=(0, 1, 2, 3, 4, 5)) -> np.ndarray:
    """``n`` points on the chosen faces (±x, ±y, ±z) of the box, world frame."""
    u = rng.uniform(-0.5, 0.5, (n, 3))
    f = rng.choice(faces, n)
    axis, sign = f // 2, np.where(f % 2 == 0, -0.5, 0.5)
    u[np.arange(n), axis] = sign
    local = u * box.size
    return local @ box.rotation.T + box.center


@settings(max_examples=40, deadline=None)
@given(boxes, st.integers(0, 2**31 - 1))
def test_a_box_sampled_on_all_faces_is_found_again(box, seed):
    pts = _surface(box, 1500, np.random.default_rng(seed))
    got = fit_box(pts, yaw_hint=None)
    assert box_iou(got, box) > 0.9


@settings(max_examples=40, deadline=None)
@given(boxes, st.integers(0, 2**31 - 1))
def test_top_and_two_sides_suffice_and_outliers_are_ignored(box, seed):
    rng = np.random.default_rng(seed)
    pts = _surface(box, 1500, rng, faces=(1, 3, 5))  # +x, +y, +z: what a camera sees
    far = box.center + rng.normal(0, 1, (10, 3)) * 5 + 8  # flying pixels, well away
    got = fit_box(np.r_[pts, far], yaw_hint=None)
    assert box_iou(got, box) > 0.85


@settings(max_examples=30, deadline=None)
@given(boxes, st.floats(-5, 5), st.floats(-5, 5), st.floats(-math.pi, math.pi))
def test_the_fit_moves_with_the_points(box, dx, dz, turn):
    pts = _surface(box, 800, np.random.default_rng(0))
    c, s = math.cos(turn), math.sin(turn)
    R = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    moved = pts @ R.T + [dx, 0, dz]
    a, b = fit_box(pts, yaw_hint=None), fit_box(moved, yaw_hint=None)
    a_moved = OrientedBox(R @ a.center + [dx, 0, dz], a.size, a.yaw + turn)
    assert box_iou(a_moved, b) > 0.97


def test_the_room_axes_hint_wins_a_near_tie():
    box = OrientedBox((0, 0.5, 0), (1.0, 1.0, 1.0), yaw=0.02)
    pts = _surface(box, 2000, np.random.default_rng(1))
    assert abs(fit_box(pts, yaw_hint=0.0).yaw) < 1e-6
    d = (fit_box(pts, yaw_hint=None).yaw - 0.02) % (math.pi / 2)
    assert min(d, math.pi / 2 - d) < 0.01


def test_a_box_near_the_floor_is_put_on_it():
    box = OrientedBox((0, 0.54, 0), (1.0, 1.0, 1.0))
    pts = _surface(box, 2000, np.random.default_rng(2))
    assert fit_box(pts).bottom == 0.0
    assert fit_box(pts, floor_snap=0.0).bottom == pytest.approx(0.04, abs=1e-3)


def test_completion_grows_the_hidden_far_side_only():
    seen = OrientedBox((0, 0.5, -1.0), (2.0, 1.0, 0.3))  # the front of a 2 × 1 × 0.9 piece
    done, frac = complete_box(seen, (2.0, 1.0, 0.9), camera_xz=(0, 2), cut=True)
    assert np.allclose(done.size, (2.0, 1.0, 0.9), atol=1e-6)
    assert done.center[2] == pytest.approx(-1.3)  # grew away from the camera (+z)
    assert frac == pytest.approx(0.3 / 0.9)
    same, frac = complete_box(seen, (2.0, 1.0, 0.9), camera_xz=(0, 2), cut=False)
    assert np.allclose(same.size, seen.size) and frac == 1.0  # not cut, not too small


@settings(max_examples=30, deadline=None)
@given(st.floats(-0.3, 0.3), st.floats(-0.3, 0.3), st.floats(-2, 2), st.integers(0, 1000))
def test_a_noisy_tilted_plane_is_found(ax, az, h, seed):
    rng = np.random.default_rng(seed)
    n = np.array([ax, 1.0, az])
    n /= np.linalg.norm(n)
    p = rng.uniform(-3, 3, (800, 3))
    p -= np.outer(p @ n + h, n)  # onto n·p + h = 0
    p += rng.normal(0, 0.003, p.shape)
    clutter = rng.uniform(-3, 3, (200, 3)) + n * 1.0
    plane = fit_plane(np.r_[p, clutter], direction=(0, 1, 0), seed=seed)
    assert plane is not None
    assert plane.normal @ n > math.cos(math.radians(1))
    assert plane.offset == pytest.approx(h, abs=0.02)


def test_bad_points_are_refused():
    with pytest.raises(InputError, match="shape"):
        fit_box(np.zeros((4, 2)))
    with pytest.raises(InputError, match="finite"):
        fit_box(np.full((4, 3), np.nan))
    with pytest.raises(InputError, match="at least 1"):
        fit_box(np.zeros((0, 3)))
    assert fit_plane(np.zeros((2, 3))) is None
