"""Functional core of the widgets: orbit maths and browser arrays (no widgets, no browser)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import worldnb as wn
from worldnb.widgets import _buffers as B
from worldnb.widgets._orbit import (
    Orbit,
    camera_from_three,
    default_orbit,
    orbit_from_position,
    three_pose,
)


@settings(max_examples=50, deadline=None)
@given(
    az=st.floats(-179, 179),
    el=st.floats(-85, 85),
    dist=st.floats(0.1, 50),
    fov=st.floats(15, 110),
    target=st.tuples(*[st.floats(-10, 10)] * 3),
)
def test_orbit_round_trips_through_camera_and_threejs(az, el, dist, fov, target):
    orbit = Orbit(target, az, el, dist, fov)
    cam = orbit.camera(320, 200)
    assert np.allclose(cam.position, orbit.position, atol=1e-4 * max(1, dist))
    # the camera looks at the target: it projects to the image centre
    uv, depth = cam.project([target])
    assert np.allclose(uv[0], [160, 100], atol=1e-2) and depth[0] == pytest.approx(dist, rel=1e-4)
    back = orbit_from_position(cam.position, target, fov)
    assert back.azimuth == pytest.approx(az, abs=1e-2)
    assert back.elevation == pytest.approx(el, abs=1e-2)
    assert back.distance == pytest.approx(dist, rel=1e-4)
    # three.js state → worldnb.Camera is the inverse of Camera.to_threejs
    pos, quat = three_pose(cam)
    again = camera_from_three(pos, quat, fov, 320, 200, cam.near, cam.far)
    assert again == cam


def test_orbit_convention_hand_case():
    # azimuth 0, elevation 0: on the +Z side of the target; azimuth 90: on the +X side
    assert np.allclose(Orbit((0, 1, 0), 0, 0, 2).position, [0, 1, 2])
    assert np.allclose(Orbit((0, 0, 0), 90, 0, 2).position, [2, 0, 0], atol=1e-12)
    assert np.allclose(Orbit((0, 0, 0), 0, 90, 2).position, [0, 2, 0], atol=1e-12)


def test_default_orbit_frames_the_bounds():
    bounds = np.array([[-2, 0, -1.5], [2, 2.7, 1.5]], np.float32)
    orbit = default_orbit(bounds, 50, 1.6)
    cam = orbit.camera(640, 400)
    corners = np.array(
        [[x, y, z] for x in bounds[:, 0] for y in bounds[:, 1] for z in bounds[:, 2]]
    )
    uv, depth = cam.project(corners)
    assert np.all(depth > 0)
    assert np.all((uv >= 0) & (uv <= [640, 400]))


def test_colors_u8_and_decimate():
    assert B.colors_u8(np.array([[0, 0.5, 1]])).tolist() == [[0, 128, 255]]
    assert B.decimate(10, None) is None and B.decimate(10, 10) is None
    a, b = B.decimate(1000, 100), B.decimate(1000, 100)
    assert a.dtype == np.int64 and len(np.unique(a)) == 100 and np.all(np.diff(a) > 0)
    assert np.array_equal(a, b)  # reproducible


def test_split_by_instance_unshares_vertices_between_objects():
    # two triangles of different objects sharing an edge (vertices 1 and 2)
    faces = np.array([[0, 1, 2], [1, 3, 2]])
    vidx, vinst, new_faces = B.split_by_instance(faces, np.array([5, 7]))
    assert new_faces.dtype == np.uint32 and len(vidx) == 6
    # the same triangles, each vertex owned by one object
    assert np.array_equal(vidx[new_faces], faces)
    assert np.array_equal(vinst[new_faces], [[5, 5, 5], [7, 7, 7]])


def test_covariance_upper_is_the_shader_layout(rng):
    from worldnb.transforms import gaussian_covariances

    scales, quats = rng.normal(-2, 0.5, (20, 3)), rng.normal(size=(20, 4))
    cov6 = B.covariance_upper(quats, scales)
    full = gaussian_covariances(quats, np.exp(scales))
    assert cov6.dtype == np.float32 and cov6.shape == (20, 6)
    iu = np.triu_indices(3)
    assert np.allclose(cov6, full[:, iu[0], iu[1]], rtol=1e-5, atol=1e-9)


def test_quad_order_is_back_to_front():
    means = np.array([[0, 0, 1], [0, 0, 5], [0, 0, 3]], np.float32)
    idx = B.quad_order(means, eye=np.array([0, 0, 0]))
    assert idx.dtype == np.uint32 and idx.shape == (18,)
    assert (idx[::6] // 4).tolist() == [1, 2, 0]


def test_box_edges_are_the_twelve_edges():
    box = wn.OrientedBox((1, 2, 3), (1, 2, 3), yaw=0.3)
    seg = B.box_edges(box.corners()).reshape(12, 2, 3)
    lengths = np.sort(np.linalg.norm(seg[:, 0] - seg[:, 1], axis=1))
    assert np.allclose(lengths, np.repeat([1, 2, 3], 4), atol=1e-5)


def test_texture_rgba_shapes_and_stride():
    img = np.zeros((100, 50, 3), np.float32)
    img[0, 0] = 1
    out = B.texture_rgba(img, max_side=25)
    assert out.dtype == np.uint8 and out.shape == (25, 13, 4)
    assert out[0, 0].tolist() == [255, 255, 255, 255]
    assert B.texture_rgba(np.zeros((4, 4), np.uint8)).shape == (4, 4, 4)


def test_orbit_from_degenerate_position():
    o = orbit_from_position([1, 1, 1], [1, 1, 1])
    assert math.isfinite(o.azimuth) and o.distance > 0


def test_euler_xyz_matches_the_quaternion(rng):
    from scipy.spatial.transform import Rotation

    from worldnb.widgets._orbit import euler_xyz

    for q in rng.normal(size=(20, 4)):  # three.js order x, y, z, w
        x, y, z, order = euler_xyz(q)
        assert order == "XYZ"
        R = Rotation.from_euler("XYZ", [x, y, z]).as_matrix()
        assert np.allclose(R, Rotation.from_quat(q).as_matrix(), atol=1e-9)
