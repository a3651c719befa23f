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
from worldnb.generation.lift import depth_edges
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


# ---- figures worked out by hand (issue 20: tests that bite) ------------------------------


def test_depth_edges_cut_a_jump_that_stands_out_from_its_neighbours():
    # jumps 0.25, 0.25, 0.25, 0.875, 0.25, 0.25 along a row: no jump is "small" (4 % of
    # ~2–4 m is 8–16 cm), the steady ones are at most 3× the smaller neighbouring jump
    # (the row's ends count as an infinite jump), 0.875 is 3.5× and is cut
    row = np.array([2, 2.25, 2.5, 2.75, 3.625, 3.875, 4.125], np.float32)
    d = np.repeat(row[None], 2, 0)
    right, down = depth_edges(d, 0.04)
    want = np.array([True, True, True, False, True, True])
    assert right.shape == (2, 6) and down.shape == (1, 7)
    assert (right == want).all() and down.all()
    # the same along columns
    right_t, down_t = depth_edges(d.T, 0.04)
    assert (down_t.T == want).all() and right_t.all()
    # with a 35 % threshold the 0.875 jump (from 2.75 m) is small
    assert depth_edges(d, 0.35)[0].all()
    # a jump below the threshold joins even when it stands out (0.0625 m at 2 m, 3 %)
    flat = np.array([[2, 2, 2.0625, 2.0625]] * 2, np.float32)
    assert depth_edges(flat, 0.04)[0].all()
    assert not depth_edges(flat, 0.03)[0][:, 1].any()


def test_depth_edges_next_to_missing_depth():
    # a missing pixel is never connected; the jumps beside it count as infinite, so a
    # slanted run right after it stays in one piece
    d = np.array([[np.nan, 2, 2.25, 2.5, np.nan, 2.0]] * 2, np.float32)
    right, down = depth_edges(d, 0.04)
    assert (right == [False, True, True, False, False]).all()
    assert (down[0] == [False, True, True, True, False, True]).all()


def test_lift_mesh_default_threshold_is_4_percent():
    # flat at 2 m with one step: 3 % joins, 4.7 % is cut (the flat sides make no step
    # "steady")
    for step, joined in ((0.0625, True), (0.09375, False)):
        d = np.full((4, 6), 2.0, np.float32)
        d[:, 3:] += step
        m = lift_mesh(d, None, K)
        assert len(m.faces) == (2 * 3 * 5 if joined else 2 * 3 * 4), step


def test_unprojected_pixel_centres_project_back_with_skew():
    k = np.array([[10.0, 2.0, 1.5], [0, 20.0, 1.0], [0, 0, 1]])
    d = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
    p = unproject_depth(d, k).astype(np.float64)
    assert p.dtype == np.float64 and unproject_depth(d, k).dtype == np.float32
    X, Y, Z = p[..., 0], p[..., 1], p[..., 2]
    u = (10.0 * X + 2.0 * Y) / Z + 1.5  # the pinhole model, forward
    v = 20.0 * Y / Z + 1.0
    np.testing.assert_allclose(Z, d)
    np.testing.assert_allclose(u, [[0.5, 1.5, 2.5]] * 2, atol=1e-6)
    np.testing.assert_allclose(v, [[0.5] * 3, [1.5] * 3], atol=1e-6)


def test_normals_at_borders_steps_and_lone_pixels():
    # two fronto-parallel planes (2 m and 4 m): every normal, borders and the pixels on
    # either side of the step included, is (0, 0, −1), facing the camera
    d = np.full((6, 8), 2.0, np.float32)
    d[:, 4:] = 4.0
    d[4:, :] = 3.0
    n = depth_normals(unproject_depth(d, K))
    np.testing.assert_allclose(n, np.broadcast_to([0, 0, -1.0], n.shape), atol=1e-6)
    # a tilted plane, borders included
    ys = (np.arange(24) + 0.5 - 12) / 40
    z = 2 / (1 - 0.5 * ys)
    d = np.repeat(z[:, None], 32, 1).astype(np.float32)
    n = depth_normals(unproject_depth(d, K))
    expect = np.array([0, 0.5, -1]) / np.linalg.norm([0, 0.5, -1])
    np.testing.assert_allclose(n, np.broadcast_to(expect, n.shape), atol=1e-4)
    # a pixel with no valid neighbour has no surface: the fallback (0, 0, −1)
    p = np.full((3, 3, 3), np.nan, np.float32)
    p[1, 1] = (0.2, 0.1, 2.0)
    n = depth_normals(p)
    assert n.dtype == np.float32
    np.testing.assert_array_equal(n[1, 1], [0, 0, -1])


def test_lift_mesh_of_2x2_pixels_and_a_pose():
    d = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32) * 0.1 + 2.0  # one surface
    rgb = np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 12
    T = np.eye(4)
    T[:3, :3] = Rotation.from_euler("y", 30, degrees=True).as_matrix()
    T[:3, 3] = (1.0, -2.0, 0.5)
    cam = lift_mesh(d, rgb, K)
    world = lift_mesh(d, rgb, K, T)
    np.testing.assert_array_equal(cam.faces, [[0, 2, 1], [1, 2, 3]])
    np.testing.assert_allclose(cam.vertices, unproject_depth(d, K).reshape(-1, 3))
    np.testing.assert_allclose(world.vertices, cam.vertices @ T[:3, :3].T + T[:3, 3], atol=1e-6)
    np.testing.assert_allclose(world.vertex_colors, rgb.reshape(-1, 3))
    # one vertex gone: the face without it stays, unused vertices are dropped
    d[0, 0] = 0.0
    m = lift_mesh(d, None, K)
    np.testing.assert_array_equal(m.faces, [[0, 1, 2]])
    np.testing.assert_allclose(m.vertices, unproject_depth(d, K).reshape(-1, 3)[1:])
    with pytest.raises(InputError, match="2×2"):
        lift_mesh(np.ones((4, 1)), None, K)


def test_lift_mesh_needs_the_shared_diagonal_connected():
    # top-left quad: 00 (2 m) joins 01 (2.07) and 10 (1.93) by small jumps (< 4 %), but
    # the diagonal 10-01 jumps 0.14 m (7 %) and 11 is far behind: no triangle there.
    # Rows and columns of two equal pixels keep the far block's own edges cut.
    d = np.array([[2.0, 2.07, 2.07], [1.93, 10, 10], [1.93, 10, 10]], np.float32)
    faces = lift_mesh(d, None, K).faces
    m = lift_mesh(d, None, K)
    assert len(m.faces) == 2 and (m.vertices[m.faces][..., 2] == 10).all()  # the far quad
    # a diagonal jump of 0.06 m (3 %) keeps the first triangle
    d[0, 1], d[1, 0] = 2.03, 1.97
    faces = lift_mesh(d, None, K).faces
    assert len(faces) == 3 and sorted(faces[0].tolist()) == [0, 1, 2]
    # a quad whose four sides are joined is one surface, whatever its diagonal
    # (2 × 2 pixels: each side is the only step of its row or column, so "steady")
    d = np.array([[2.0, 2.3], [1.7, 2.0]], np.float32)
    np.testing.assert_array_equal(lift_mesh(d, None, K).faces, [[0, 2, 1], [1, 2, 3]])


def test_surfels_on_a_plane_by_hand():
    k = np.array([[40.0, 0, 3.0], [0, 40.0, 2.0], [0, 0, 1]])
    d = np.full((4, 6), 3.0, np.float32)
    rgb = np.random.default_rng(5).random((4, 6, 3)).astype(np.float32)
    rgb[0, 0] = (1.5, -0.5, 0.2)  # out of range colours are clipped after the mean
    g = lift_surfels(d, rgb, k, stride=2)
    assert len(g) == 2 * 3
    # each 2×2 block's surfel sits on its pixel (1, 1) of the block: centre (+1.5, +1.5)
    rows, cols = np.meshgrid([1.5, 3.5], [1.5, 3.5, 5.5], indexing="ij")
    want = np.stack([(cols - 3.0) / 40 * 3, (rows - 2.0) / 40 * 3, np.full_like(rows, 3)], -1)
    np.testing.assert_allclose(g.means, want.reshape(-1, 3), atol=1e-6)
    block = rgb.reshape(2, 2, 3, 2, 3).mean(axis=(1, 3)).reshape(-1, 3)
    np.testing.assert_allclose(g.colors, np.clip(block, 0, 1), atol=1e-6)
    # σ = 0.4 of the 2-pixel footprint (3 m · 2 / 40) in the plane, 5 % of that across it
    s = 0.4 * 3.0 * 2 / 40
    np.testing.assert_allclose(np.sort(g.stds, 1), [[0.05 * s, s, s]] * 6, rtol=1e-5)
    # the thin axis is the normal, facing the camera (−z), and the frame is right-handed
    R = Rotation.from_quat(g.quats[:, [1, 2, 3, 0]]).as_matrix()
    thin = R[np.arange(6), :, np.argmin(g.stds, 1)]
    np.testing.assert_allclose(thin, [[0, 0, -1]] * 6, atol=1e-6)
    np.testing.assert_allclose(np.linalg.det(R), 1.0, atol=1e-6)
    np.testing.assert_allclose(g.alphas, 0.99, atol=1e-6)
    np.testing.assert_allclose(lift_surfels(d, rgb, k, opacity=0.25).alphas, 0.25, atol=1e-6)


def test_surfel_stretch_is_capped_at_4x_on_grazing_floors():
    # a floor 1.5 m below the camera; column 15 looks straight ahead (x = 0). A surfel's
    # long side is (z / f) / |n · r| with n · r = −1.5 / z, capped at 4× its short side
    k = np.array([[40.0, 0, 15.5], [0, 40.0, 0.0], [0, 0, 1]])
    ys = (np.arange(16) + 0.5) / 40
    z = 1.5 / ys
    d = np.repeat(z[:, None], 32, 1).astype(np.float32)
    g = lift_surfels(d, np.full((16, 32, 3), 0.5, np.float32), k)
    mid = g.means[:, 0] == 0
    s = np.sort(g.stds[mid], 1)
    zs = g.means[mid, 2]
    want = np.minimum(zs / 1.5, 4.0)
    np.testing.assert_allclose(s[:, 2] / s[:, 1], want, rtol=1e-3)
    np.testing.assert_allclose(s[:, 1], 0.4 * zs / 40, rtol=1e-3)
    assert (want == 4.0).sum() >= 6 and (want < 4.0).sum() >= 3


@pytest.mark.parametrize("stride", [0, -1, True, 1.5, "2"])
def test_bad_stride_and_opacity_are_input_errors(stride):
    d, rgb = np.ones((4, 4)), np.zeros((4, 4, 3))
    with pytest.raises(InputError, match="stride"):
        lift_surfels(d, rgb, K, stride=stride)
    with pytest.raises(InputError, match="stride"):
        lift_points(d, rgb, K, stride=stride)
    assert len(lift_points(d, rgb, K, stride=np.int64(2))) == 4


@pytest.mark.parametrize("opacity", [0.0, 1.0, -0.5, 1.5])
def test_opacity_must_be_inside_0_1(opacity):
    with pytest.raises(InputError, match="opacity"):
        lift_surfels(np.ones((4, 4)), np.zeros((4, 4, 3)), K, opacity=opacity)


def test_lift_points_takes_block_centres_and_mean_colours():
    d = np.arange(1, 25, dtype=np.float32).reshape(4, 6) * 0.1 + 1.0
    rgb = np.random.default_rng(6).random((4, 6, 3)).astype(np.float32) * 1.4 - 0.2
    valid = np.ones((4, 6), bool)
    valid[3, 3] = False  # the centre of the block at rows 2–3, columns 2–3
    pc = lift_points(d, rgb, K, stride=2, valid=valid)
    centres = unproject_depth(d, K)[1::2, 1::2].reshape(-1, 3)
    block = np.clip(rgb.reshape(2, 2, 3, 2, 3).mean(axis=(1, 3)).reshape(-1, 3), 0, 1)
    keep = np.arange(6) != 4
    np.testing.assert_allclose(pc.xyz, centres[keep], atol=1e-6)
    np.testing.assert_allclose(pc.rgb, block[keep], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(pc.normals, axis=1), 1, atol=1e-6)
    assert (np.sum(pc.normals * pc.xyz, 1) < 0).all()  # facing the camera
    assert len(lift_points(d, None, K)) == 24


def test_normals_and_surfels_of_a_plane_tilted_both_ways():
    # plane m · p = m · (0, 0, 2) with m = (0.3, −0.4, 1): along the pixel ray r (r_z = 1)
    # the depth is t = 2 m_z / (m · r); the normal facing the camera is −m / |m|
    m = np.array([0.3, -0.4, 1.0])
    vs, us = np.meshgrid(np.arange(24) + 0.5, np.arange(32) + 0.5, indexing="ij")
    rays = np.stack([(us - 16) / 40, (vs - 12) / 40, np.ones_like(us)], -1)
    d = (2 * m[2] / (rays @ m)).astype(np.float32)
    want = -m / np.linalg.norm(m)
    n = depth_normals(unproject_depth(d, K))
    np.testing.assert_allclose(n, np.broadcast_to(want, n.shape), atol=1e-3)
    g = lift_surfels(d, np.full((24, 32, 3), 0.5, np.float32), K, stride=4)
    R = Rotation.from_quat(g.quats[:, [1, 2, 3, 0]]).as_matrix()
    thin = R[np.arange(len(g)), :, np.argmin(g.stds, 1)]
    np.testing.assert_allclose(thin, np.broadcast_to(want, thin.shape), atol=1e-3)
    # the long and short axes lie in the plane and are perpendicular
    axes = np.sort(np.argsort(g.stds, 1)[:, 1:], 1)
    for i in range(len(g)):
        e1, e2 = R[i][:, axes[i, 0]], R[i][:, axes[i, 1]]
        assert abs(e1 @ want) < 1e-3 and abs(e2 @ want) < 1e-3 and abs(e1 @ e2) < 1e-6


def test_normals_of_a_cylinder_up_to_the_image_border():
    # a vertical cylinder of radius 1.2 m around (0, ·, 3.2), seen from the front: the
    # one-sided differences at the left and right borders must stay local: a few degrees
    # off the true normal (x, 0, z − 3.2) / 1.2, not a chord across the image
    k = np.array([[40.0, 0, 16.0], [0, 40.0, 12.0], [0, 0, 1]])
    us = np.broadcast_to(np.arange(32) + 0.5, (24, 32))
    rx = (us - 16) / 40
    # (t rx)² + (t − 3.2)² = 1.2², the nearer root
    a, b, c = rx**2 + 1, -6.4, 3.2**2 - 1.2**2
    t = (-b - np.sqrt(b * b - 4 * a * c)) / (2 * a)
    d = t.astype(np.float32)
    p = unproject_depth(d, k).astype(np.float64)
    want = np.stack([p[..., 0], np.zeros_like(t), p[..., 2] - 3.2], -1) / 1.2
    n = depth_normals(unproject_depth(d, k))
    err = np.degrees(np.arccos(np.clip(np.sum(n * want, -1), -1, 1)))
    assert err.max() < 6.0, err.max()  # 3.9° at the borders (one pixel step)


def test_pose_and_valid_mask_reach_points_and_surfels():
    # explicit (not property-based) check of the camera→world pose and the valid mask
    T = np.eye(4)
    T[:3, :3] = Rotation.from_euler("yx", [40, -25], degrees=True).as_matrix()
    T[:3, 3] = (0.5, 1.5, -2.0)
    d = np.random.default_rng(7).uniform(1.5, 2.5, (6, 8)).astype(np.float32)
    rgb = np.full((6, 8, 3), 0.5, np.float32)
    valid = np.ones((6, 8), bool)
    valid[2, 3] = False
    cam_p, world_p = lift_points(d, rgb, K, valid=valid), lift_points(d, rgb, K, T, valid=valid)
    cam_g, world_g = lift_surfels(d, rgb, K, valid=valid), lift_surfels(d, rgb, K, T, valid=valid)
    assert len(cam_p) == len(cam_g) == 47
    np.testing.assert_allclose(world_p.xyz, cam_p.xyz @ T[:3, :3].T + T[:3, 3], atol=1e-5)
    np.testing.assert_allclose(world_p.normals, cam_p.normals @ T[:3, :3].T, atol=1e-5)
    np.testing.assert_allclose(world_g.means, cam_g.means @ T[:3, :3].T + T[:3, 3], atol=1e-5)
    R0 = Rotation.from_quat(cam_g.quats[:, [1, 2, 3, 0]]).as_matrix()
    R1 = Rotation.from_quat(world_g.quats[:, [1, 2, 3, 0]]).as_matrix()
    np.testing.assert_allclose(R1, T[:3, :3] @ R0, atol=1e-5)
    with pytest.raises(InputError, match=r"^rgb: surfels need colours, got None$"):
        lift_surfels(d, None, K)


def test_surfels_of_a_curved_surface_take_the_block_centre_normal():
    # stride 2 on a cylinder: the thin axis is the normal at each block's pixel (1, 1)
    us = np.broadcast_to(np.arange(32) + 0.5, (24, 32))
    rx = (us - 16) / 40
    a, b, c = rx**2 + 1, -6.4, 3.2**2 - 1.2**2
    d = ((-b - np.sqrt(b * b - 4 * a * c)) / (2 * a)).astype(np.float32)
    g = lift_surfels(d, np.full((24, 32, 3), 0.5, np.float32), K, stride=2)
    want = depth_normals(unproject_depth(d, K))[1::2, 1::2].reshape(-1, 3)
    R = Rotation.from_quat(g.quats[:, [1, 2, 3, 0]]).as_matrix()
    thin = R[np.arange(len(g)), :, np.argmin(g.stds, 1)]
    np.testing.assert_allclose(thin, want, atol=1e-4)


def test_normals_are_turned_to_the_camera_for_a_mirrored_point_map():
    # a point map whose columns run right to left (a mirrored camera) gives the other
    # cross-product orientation: the normals must still face the camera, also within 1 m
    ys = (np.arange(12) + 0.5 - 6) / 40
    for z0 in (0.5, 2.0):
        z = z0 / (1 - 0.5 * ys)  # the tilted plane of test_normals_of_a_tilted_plane
        d = np.repeat(z[:, None], 16, 1).astype(np.float32)
        p = unproject_depth(d, K)
        want = depth_normals(p)
        np.testing.assert_allclose(depth_normals(p[:, ::-1]), want[:, ::-1], atol=1e-6)
        # half mirrored, half not: each half faces the camera on its own
        both = np.concatenate([p[:, :8], p[:, ::-1][:, 8:]], 1)
        n = depth_normals(both)
        np.testing.assert_allclose(n[:, :6], want[:, :6], atol=1e-6)
        np.testing.assert_allclose(n[:, 10:], want[:, ::-1][:, 10:], atol=1e-6)


def test_lift_points_clips_block_mean_colours_into_0_1():
    # stride 2: the first block's mean colour is 1.3, the second's −0.3, the third's 0.6
    d = np.full((2, 6), 2.0, np.float32)
    rgb = np.zeros((2, 6, 3), np.float32)
    rgb[:, 0:2], rgb[:, 2:4] = 1.3, -0.3
    rgb[:, 4:6] = [[[0.2, 0.4, 0.9], [1.0, 0.8, 0.3]], [[0.6, 0.6, 0.6], [0.6, 0.6, 0.6]]]
    pc = lift_points(d, rgb, K, stride=2)
    np.testing.assert_allclose(pc.rgb, [[1, 1, 1], [0, 0, 0], [0.6, 0.6, 0.6]], atol=1e-6)


def _tilted_plane(k, m, z0, h, w):
    """Depth of the plane m · p = m · (0, 0, z0) seen through pixel centres, and the ray
    through any (u, v): t = z0 m_z / (m · r) along r = ((u − cx) / fx, (v − cy) / fy, 1)."""

    def point(u, v):
        r = np.stack([(u - k[0, 2]) / k[0, 0], (v - k[1, 2]) / k[1, 1], np.ones_like(u)], -1)
        return r * (z0 * m[2] / (r @ m))[..., None]

    vs, us = np.meshgrid(np.arange(h) + 0.5, np.arange(w) + 0.5, indexing="ij")
    return point(us, vs)[..., 2].astype(np.float32), point


def test_lift_points_normals_on_a_plane_tilted_both_ways():
    m = np.array([0.3, -0.4, 1.0])
    d, _ = _tilted_plane(K, m, 2.0, 24, 32)
    pc = lift_points(d, None, K, stride=4)
    want = -m / np.linalg.norm(m)  # the plane's normal, turned to the camera
    np.testing.assert_allclose(pc.normals, np.broadcast_to(want, pc.normals.shape), atol=1e-3)


def test_surfel_covariance_is_the_block_footprint_on_a_tilted_plane():
    # Σ = 0.4² (a aᵀ + b bᵀ) + s3² n nᵀ, with a, b the plane points' change over a k-pixel
    # step in u and in v, taken here by central differences of ray-plane intersections
    m, k, stride = np.array([0.3, -0.4, 1.0]), K, 4
    d, point = _tilted_plane(k, m, 2.0, 24, 32)
    g = lift_surfels(d, np.full((24, 32, 3), 0.5, np.float32), k, stride=stride)
    vs, us = np.meshgrid(np.arange(2, 24, 4) + 0.5, np.arange(2, 32, 4) + 0.5, indexing="ij")
    us, vs, eps = us.ravel(), vs.ravel(), 1e-3
    a = (point(us + eps, vs) - point(us - eps, vs)) / (2 * eps) * stride
    b = (point(us, vs + eps) - point(us, vs - eps)) / (2 * eps) * stride
    n = -m / np.linalg.norm(m)
    R = Rotation.from_quat(g.quats[:, [1, 2, 3, 0]]).as_matrix()
    s = g.stds.astype(np.float64)
    cov = np.einsum("nij,nj,nkj->nik", R, s**2, R)
    thin = s.min(1)
    want = 0.16 * (a[:, :, None] * a[:, None] + b[:, :, None] * b[:, None])
    want += thin[:, None, None] ** 2 * n[:, None] * n[None]
    np.testing.assert_allclose(g.means, point(us, vs), atol=1e-5)
    np.testing.assert_allclose(cov, want, atol=1e-4 * np.abs(want).max())


def test_surfels_clip_block_mean_colours_into_0_1():
    d = np.full((2, 6), 2.0, np.float32)
    rgb = np.zeros((2, 6, 3), np.float32)
    rgb[:, 0:2], rgb[:, 2:4], rgb[:, 4:6] = 1.3, -0.3, 0.6  # block means 1.3, −0.3, 0.6
    g = lift_surfels(d, rgb, K, stride=2)
    np.testing.assert_allclose(g.colors, [[1, 1, 1], [0, 0, 0], [0.6, 0.6, 0.6]], atol=1e-6)


def test_lift_mesh_leaves_out_pixels_the_valid_mask_drops():
    # a 3×3 plane with the middle pixel masked: of the 8 triangles only the two that do
    # not touch it stay: (0,0)-(1,0)-(0,1) and (1,2)-(2,1)-(2,2), 6 vertices in all
    d = np.full((3, 3), 2.0, np.float32)
    valid = np.ones((3, 3), bool)
    valid[1, 1] = False
    m = lift_mesh(d, None, K, valid=valid)
    pts = unproject_depth(d, K)
    want = [[pts[0, 0], pts[1, 0], pts[0, 1]], [pts[1, 2], pts[2, 1], pts[2, 2]]]
    np.testing.assert_allclose(m.vertices[m.faces], want, atol=1e-6)
    assert len(m.vertices) == 6


def _has_face(mesh, d, pixels):
    """Whether ``mesh`` has the triangle through these (row, col) pixel centres."""
    p = unproject_depth(d, K)
    want = sorted(np.round(p[r, c], 5).tolist() for r, c in pixels)
    return any(sorted(np.round(t, 5).tolist()) == want for t in mesh.vertices[mesh.faces])


def test_lift_mesh_triangles_off_the_first_row_and_column():
    # a triangle whose three pixels all differ by less than 4 % is always kept, wherever
    # its quad sits; pixels at 10 m stand for a far background next to them
    d = np.array([[2.0, 10, 1.93], [10, 2.0, 2.0], [10, 2.0, 1.93]], np.float32)
    assert _has_face(lift_mesh(d, None, K), d, [(0, 2), (1, 1), (1, 2)])  # quad (0, 1)
    d = np.array([[10, 10, 2.07], [1.93, 10, 1.93], [10, 1.93, 1.93]], np.float32)
    assert _has_face(lift_mesh(d, None, K), d, [(1, 2), (2, 1), (2, 2)])  # quad (1, 1)
    # and no triangle spans the jump from 1.93 m to the 10 m background
    d = np.array([[10, 1.93, 10], [1.93, 1.93, 10], [1.93, 1.93, 1.93]], np.float32)
    m = lift_mesh(d, None, K)
    z = m.vertices[m.faces][..., 2]
    assert len(z) >= 3 and (z.max(1) < 2).all()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"depth": np.ones(4)}, r"^depth: expected shape \(N, N\), got \(4,\)$"),
        ({"rgb": np.zeros((4, 5, 3))}, r"^rgb: expected shape \(4, 4, 3\), got \(4, 5, 3\)$"),
        ({"K": np.eye(2)}, r"^K: expected shape \(3, 3\), got \(2, 2\)$"),
        (
            {"T_world_camera": np.eye(3)},
            r"^T_world_camera: expected shape \(4, 4\), got \(3, 3\)$",
        ),
        ({"valid": np.ones((3, 3), bool)}, r"^valid: expected shape \(4, 4\), got \(3, 3\)$"),
    ],
)
def test_lift_input_errors_name_the_argument(kw, message):
    args = {"depth": np.ones((4, 4)), "rgb": None, "K": K} | kw
    with pytest.raises(InputError, match=message):
        lift_points(**args)


def test_valid_mask_narrows_the_pixels_with_depth_and_may_be_uint8():
    # depth already drops (0, 0) (NaN) and (1, 1) (0 m); the mask drops (0, 1) as well and
    # cannot bring the pixels without depth back. A 0/255 uint8 mask (as image masks
    # come) selects what the bool mask does.
    k = np.array([[2.0, 0, 1], [0, 4.0, 1], [0, 0, 1]])
    d = np.array([[np.nan, 3.0], [2.0, 0.0]], np.float32)
    valid = np.array([[True, False], [True, True]])
    want = [[(0.5 - 1) / 2 * 2.0, (1.5 - 1) / 4 * 2.0, 2.0]]  # only pixel (1, 0) is left
    for mask in (valid, valid.astype(np.uint8) * 255):
        np.testing.assert_allclose(lift_points(d, None, k, valid=mask).xyz, want, rtol=1e-6)
    everything = np.ones((2, 2), bool)
    assert len(lift_points(d, None, k, valid=everything)) == 2


def test_lift_keeps_the_intrinsics_in_float64():
    # a principal point 1e-4 px left of pixel column 1's centre: in float32 1.4999 is
    # 1.66e-8 px off, 1.7e-4 of the ray's 1e-4 px step, which float32 outputs can show
    k = np.array([[1.0, 0, 1.4999], [0, 1.0, 1.4999], [0, 0, 1]])
    pc = lift_points(np.ones((2, 2), np.float32), None, k)
    np.testing.assert_allclose(pc.xyz[3], [1.5 - 1.4999, 1.5 - 1.4999, 1.0], rtol=1e-6)


def test_lift_mesh_does_not_join_a_quad_across_a_cut_diagonal():
    # quad (0, 0): pixel (1, 1) at 2.07 m is joined to (1, 0) at 2.0 m and to (0, 1) at
    # 2.14 m (jumps ≤ 4 %), but the diagonal (1, 0)-(0, 1) jumps 7 % and the background
    # at (0, 0) is cut from (0, 1) (an 8 m jump next to a 0 m one): neither triangle of
    # the quad is kept, while quad (0, 1), all on one surface, keeps both
    d = np.array([[10, 2.14, 2.14], [2.0, 2.07, 2.14], [2.0, 2.07, 2.14]], np.float32)
    m = lift_mesh(d, None, K)
    assert not _has_face(m, d, [(0, 1), (1, 0), (1, 1)])
    assert not _has_face(m, d, [(0, 0), (1, 0), (0, 1)])
    assert _has_face(m, d, [(0, 1), (1, 1), (0, 2)])
    assert _has_face(m, d, [(0, 2), (1, 1), (1, 2)])


def test_surfel_rotations_compose_the_pose_in_float64():
    # a fronto-parallel plane: each surfel's frame is (x, −y, −z) in the camera (its
    # thin axis faces the camera). In the world it is R_pose · diag(1, −1, −1), rounded
    # once to float32; rounding the pose to float32 first moves some quaternions 1 ulp
    d, rgb = np.full((2, 2), 2.0, np.float32), np.full((2, 2, 3), 0.5, np.float32)
    for angles in ([40, -25, 10], [-110, 35, 70], [5, 80, -45], [170, -60, 20]):
        T = np.eye(4)
        T[:3, :3] = Rotation.from_euler("yxz", angles, degrees=True).as_matrix()
        q = Rotation.from_matrix(T[:3, :3] @ np.diag([1.0, -1, -1])).as_quat()[[3, 0, 1, 2]]
        q = (q if q[0] >= 0 else -q).astype(np.float32)
        g = lift_surfels(d, rgb, K, T)
        np.testing.assert_array_equal(g.quats, np.broadcast_to(q, (4, 4)))


def test_connection_ties_are_kept_as_documented():
    # |Δz| ≤ threshold · min(z) and "no more than EDGE_CONTRAST times" are both inclusive:
    # binary-exact depths put each jump exactly on its limit
    small = np.array([[2.0, 2.0, 2.5, 2.5]] * 2, np.float32)  # 0.5 = 0.25 × 2, neighbours 0
    assert depth_edges(small, 0.25)[0][:, 1].tolist() == [True, True]
    assert depth_edges(small, 0.24)[0][:, 1].tolist() == [False, False]
    steady = np.array([[2.0, 2.25, 3.0, 3.25]] * 2, np.float32)  # 0.75 = 3 × 0.25
    assert depth_edges(steady, 0.04)[0][:, 1].tolist() == [True, True]
    steeper = np.array([[2.0, 2.25, 3.0625, 3.3125]] * 2, np.float32)  # 0.8125 > 0.75
    assert depth_edges(steeper, 0.04)[0][:, 1].tolist() == [False, False]
    # the shared diagonal of a quad: (1, 0) at 2 m and (0, 1) at 2.5 m are exactly 0.25 ×
    # 2 m apart, so triangle (0, 0)-(1, 0)-(0, 1) is kept though (1, 1) is cut off
    d = np.array([[2.0, 2.5, 2.5], [2.0, 10.0, 10.0]], np.float32)
    assert _has_face(lift_mesh(d, None, K, edge_threshold=0.25), d, [(0, 0), (1, 0), (0, 1)])
    assert not _has_face(lift_mesh(d, None, K, edge_threshold=0.24), d, [(0, 0), (1, 0), (0, 1)])


def test_missing_depth_raises_no_numpy_warnings():
    # inf next to inf (rows, columns and the quad diagonal), NaN and 0: no surface there,
    # and no "invalid value" RuntimeWarning either (notebooks show them as pink boxes)
    import warnings

    d = np.full((4, 5), 2.0, np.float32)
    d[0, 2] = d[1, 1] = d[1, 2] = d[2, 2] = np.inf
    d[2, 3], d[3, 0] = np.nan, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right, down = depth_edges(d, 0.04)
        n = depth_normals(unproject_depth(d, K))
        m = lift_mesh(d, None, K)
    assert not right[1, 1] and not down[1, 2]  # inf is never connected
    assert np.isfinite(n).all()
    assert np.isfinite(m.vertices).all() and len(m.faces) > 0


def test_depth_edges_reads_depth_as_float32_like_lift_mesh():
    # 2.0800000001 m is 2.08 m + 1e-10: in float64 the 0.0800000001 m jump is over the
    # 4 % of 2 m, in float32 (2.0799999 m) it is not. depth_edges reads depth as float32,
    # as lift_mesh does, so it reports the connections the mesh is cut by
    d = np.array([[2.0, 2.0, 2.0800000001, 2.0800000001]] * 2)
    assert d[0, 2] - d[0, 1] > 0.04 * 2.0
    assert depth_edges(d, 0.04)[0][:, 1].tolist() == [True, True]
    assert _has_face(lift_mesh(d, None, K), d, [(0, 1), (1, 1), (0, 2)])
