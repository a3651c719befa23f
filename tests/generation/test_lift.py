import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from worldnb.errors import InputError
from worldnb.generation import (
    depth_normals,
    lift_mesh,
    lift_points,
    lift_surfels,
    unproject_depth,
)
from worldnb.generation.evaluate import surface_distance
from worldnb.scene import Camera

K = np.array([[40.0, 0, 16], [0, 40.0, 12], [0, 0, 1]])


def test_unproject_matches_camera_unproject():
    cam = Camera(K, 32, 24)
    d = np.random.default_rng(0).uniform(1, 5, (24, 32)).astype(np.float32)
    np.testing.assert_allclose(unproject_depth(d, K), cam.unproject(d), rtol=1e-5, atol=1e-6)


def test_plane_mesh_is_exact_and_faces_the_camera():
    d = np.full((24, 32), 2.0, np.float32)
    rgb = np.random.default_rng(1).random((24, 32, 3)).astype(np.float32)
    m = lift_mesh(d, rgb, K)
    assert len(m.vertices) == 24 * 32 and len(m.faces) == 2 * 23 * 31
    assert np.allclose(m.vertices[:, 2], 2.0)
    assert np.allclose(m.face_normals, [0, 0, -1], atol=1e-6)  # towards the camera
    np.testing.assert_allclose(m.vertex_colors, rgb.reshape(-1, 3))


def test_depth_edges_cut_faces():
    d = np.full((24, 32), 2.0, np.float32)
    d[:, 16:] = 4.0  # a step: no face may bridge it
    m = lift_mesh(d, None, K, edge_threshold=0.04)
    assert len(m.faces) == 2 * 23 * 15 * 2
    z = m.vertices[m.faces][..., 2]
    assert np.all(z.max(1) - z.min(1) < 1e-6)
    d2 = d.copy()
    d2[0, 0] = np.nan  # invalid pixels take their faces with them
    assert len(lift_mesh(d2, None, K).faces) == len(m.faces) - 1
    valid = np.zeros_like(d, bool)
    valid[:, :16] = True
    assert len(lift_mesh(d, None, K, valid=valid).faces) == 2 * 23 * 15


def test_normals_of_a_tilted_plane():
    # plane z = 2 + 0.5 y (camera frame): normal ∝ (0, -0.5, 1) turned to the camera
    ys = (np.arange(24) + 0.5 - 12) / 40
    z = 2 / (1 - 0.5 * ys)  # ray y·z = Y, plane z = 2 + 0.5·Y
    d = np.repeat(z[:, None], 32, 1).astype(np.float32)
    n = depth_normals(unproject_depth(d, K))
    expect = -np.array([0, -0.5, 1]) / np.linalg.norm([0, -0.5, 1])
    assert np.allclose(n[2:-2, 2:-2], expect, atol=1e-4)


def test_surfels_lie_in_the_surface():
    d = np.full((24, 32), 3.0, np.float32)
    rgb = np.full((24, 32, 3), 0.25, np.float32)
    g = lift_surfels(d, rgb, K, stride=2)
    assert len(g) == 12 * 16
    R = Rotation.from_quat(g.quats[:, [1, 2, 3, 0]]).as_matrix()
    thin = np.argmin(g.scales, axis=1)
    normal = R[np.arange(len(g)), :, thin]
    assert np.allclose(np.abs(normal[:, 2]), 1, atol=1e-5)  # thin axis along the view ray
    footprint = 3.0 * 2 / 40  # metres per 2-pixel block at 3 m
    assert np.allclose(np.sort(g.stds, 1)[:, 1:], 0.4 * footprint, rtol=1e-4)
    assert np.allclose(g.colors, 0.25) and np.all(g.alphas > 0.98)


@settings(max_examples=20, deadline=None)
@given(
    st.floats(-np.pi, np.pi),
    st.floats(-1, 1),
    st.floats(-1, 1),
    st.tuples(*[st.floats(-5, 5)] * 3),
)
def test_lifting_commutes_with_rigid_motion(yaw, pitch, roll, t):
    T = np.eye(4)
    T[:3, :3] = Rotation.from_euler("yxz", [yaw, pitch, roll]).as_matrix()
    T[:3, 3] = t
    d = np.random.default_rng(2).uniform(1, 3, (12, 16)).astype(np.float32)
    rgb = np.random.default_rng(3).random((12, 16, 3)).astype(np.float32)
    k = np.array([[20.0, 0, 8], [0, 20.0, 6], [0, 0, 1]])
    cam_pts = lift_points(d, rgb, k)
    world_pts = lift_points(d, rgb, k, T)
    np.testing.assert_allclose(world_pts.xyz, cam_pts.xyz @ T[:3, :3].T + T[:3, 3], atol=1e-4)
    np.testing.assert_allclose(world_pts.normals, cam_pts.normals @ T[:3, :3].T, atol=1e-4)
    g0, g1 = lift_surfels(d, rgb, k), lift_surfels(d, rgb, k, T)
    np.testing.assert_allclose(g1.means, g0.means @ T[:3, :3].T + T[:3, 3], atol=1e-4)
    R0 = Rotation.from_quat(g0.quats[:, [1, 2, 3, 0]]).as_matrix()
    R1 = Rotation.from_quat(g1.quats[:, [1, 2, 3, 0]]).as_matrix()
    np.testing.assert_allclose(R1, T[:3, :3] @ R0, atol=1e-4)


def test_lifted_room_matches_true_surface(room, room_render, room_camera):
    c = room_camera
    m = lift_mesh(room_render.depth, room_render.rgb, c.K, c.T_world_camera)
    dist = surface_distance(m.vertices, room, n=1500)
    assert np.median(dist) < 0.02  # the target: median < 2 cm
    assert np.percentile(dist, 95) < 0.05


def test_bad_input():
    with pytest.raises(InputError, match="stride"):
        lift_surfels(np.ones((4, 4)), np.zeros((4, 4, 3)), K, stride=0)
    with pytest.raises(InputError, match="2×2"):
        lift_mesh(np.ones((1, 4)), None, K)
    with pytest.raises(InputError, match="rgb"):
        lift_points(np.ones((4, 4)), np.zeros((4, 5, 3)), K)
    with pytest.raises(InputError, match="surfels need colours"):
        lift_surfels(np.ones((4, 4)), None, K)


def test_surfels_stretch_along_a_tilted_floor():
    # a floor 1.5 m below the camera: footprints are long in depth, narrow across
    ys = (np.arange(24) + 0.5 - 12) / 40
    z = np.where(ys > 0.05, 1.5 / np.maximum(ys, 1e-6), np.nan)
    d = np.repeat(z[:, None], 32, 1).astype(np.float32)
    g = lift_surfels(d, np.full((24, 32, 3), 0.5, np.float32), K)
    s = np.sort(g.stds, 1)
    ratio = s[:, 2] / s[:, 1]
    assert np.all(ratio > 1.5)  # longer along the view direction than across
    R = Rotation.from_quat(g.quats[:, [1, 2, 3, 0]]).as_matrix()
    thin = R[np.arange(len(g)), :, np.argmin(g.scales, 1)]
    assert np.allclose(np.abs(thin[:, 1]), 1, atol=1e-3)  # normal is the floor's (y)
