"""worldnb.transforms against scipy's Rotation (which orders quaternions x, y, z, w)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.transform import Rotation

from worldnb.errors import InputError
from worldnb.transforms import (
    euler_xyz_from_matrix,
    gaussian_covariances,
    matrix_to_quat,
    quat_to_matrix,
    triangulate_polygon,
    wxyz_to_xyzw,
    xyzw_to_wxyz,
    yaw_rotation,
)

#: Quaternions away from zero norm (any sign, any scale).
quats = arrays(
    np.float64, 4, elements=st.floats(-10, 10, allow_nan=False, allow_infinity=False)
).filter(lambda q: np.linalg.norm(q) > 1e-3)


def scipy_wxyz(R: Rotation) -> np.ndarray:
    q = xyzw_to_wxyz(R.as_quat())
    return np.where(q[..., :1] < 0, -q, q)


# ---- quaternion order --------------------------------------------------------------
def test_order_conversions_are_inverse_and_match_scipy():
    R = Rotation.from_euler("xyz", [0.1, 0.2, 0.3])
    q_wxyz = matrix_to_quat(R.as_matrix())
    assert np.allclose(wxyz_to_xyzw(q_wxyz), R.as_quat() * np.sign(R.as_quat()[3]))
    assert np.array_equal(xyzw_to_wxyz(wxyz_to_xyzw(q_wxyz)), q_wxyz)
    t = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
    assert wxyz_to_xyzw(t).tolist() == [[2.0, 3.0, 4.0, 1.0]]


# ---- quat_to_matrix ----------------------------------------------------------------
def test_quat_to_matrix_matches_scipy_batched():
    R = Rotation.random(300, random_state=0)
    q = xyzw_to_wxyz(R.as_quat()) * np.linspace(0.1, 5, 300)[:, None]  # any norm
    assert np.allclose(quat_to_matrix(q), R.as_matrix(), atol=1e-12)
    assert np.allclose(quat_to_matrix(q.reshape(3, 100, 4)), R.as_matrix().reshape(3, 100, 3, 3))


@settings(max_examples=200, deadline=None)
@given(q=quats)
def test_quat_to_matrix_property(q):
    M = quat_to_matrix(q)
    assert np.allclose(M, Rotation.from_quat(wxyz_to_xyzw(q)).as_matrix(), atol=1e-9)
    assert np.allclose(M @ M.T, np.eye(3), atol=1e-9) and np.linalg.det(M) > 0
    assert np.allclose(quat_to_matrix(-q), M)  # q and −q are one rotation


def test_quat_to_matrix_torch_same_values_and_gradients():
    rng = np.random.default_rng(1)
    q = rng.normal(size=(50, 4))
    t = torch.tensor(q, requires_grad=True)
    M = quat_to_matrix(t)
    assert M.dtype == torch.float64 and M.shape == (50, 3, 3)
    assert np.allclose(M.detach().numpy(), quat_to_matrix(q), atol=1e-12)
    assert torch.autograd.gradcheck(quat_to_matrix, (t[:5].detach().requires_grad_(),))
    assert quat_to_matrix(torch.tensor(q, dtype=torch.float32)).dtype == torch.float32


# ---- matrix_to_quat ----------------------------------------------------------------
def test_matrix_to_quat_matches_scipy_and_is_canonical():
    R = Rotation.random(1000, random_state=2)
    q = matrix_to_quat(R.as_matrix())
    assert q.shape == (1000, 4) and q.dtype == np.float64
    assert np.all(q[:, 0] >= 0)
    assert np.allclose(np.linalg.norm(q, axis=1), 1)
    assert np.allclose(q, scipy_wxyz(R), atol=1e-12)


@pytest.mark.parametrize("axis", [*np.eye(3).tolist(), [1, 1, 0], [1, -1, 1]])
def test_matrix_to_quat_half_turns(axis):
    """180° turns have w = 0: Shepperd picks the largest of x, y, z."""
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    R = Rotation.from_rotvec(math.pi * axis)
    q = matrix_to_quat(R.as_matrix())
    assert abs(q[0]) < 1e-12
    assert np.allclose(quat_to_matrix(q), R.as_matrix(), atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(q=quats)
def test_quaternion_round_trip(q):
    u = q / np.linalg.norm(q)
    u = u if u[0] >= 0 else -u
    back = matrix_to_quat(quat_to_matrix(q))
    if abs(u[0]) > 1e-6:  # at w = 0, q and −q are both canonical
        assert np.allclose(back, u, atol=1e-9)
    assert np.allclose(quat_to_matrix(back), quat_to_matrix(q), atol=1e-9)


# ---- yaw ---------------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(yaw=st.floats(-10, 10))
def test_yaw_rotation_matches_scipy_and_the_documented_axes(yaw):
    R = yaw_rotation(yaw)
    assert np.allclose(R, Rotation.from_rotvec([0, yaw, 0]).as_matrix(), atol=1e-12)
    assert np.allclose(R[:, 0], [math.cos(yaw), 0, -math.sin(yaw)])  # local +X
    assert np.allclose(R[:, 2], [math.sin(yaw), 0, math.cos(yaw)])  # local +Z


def test_yaw_rotation_batched():
    a = np.linspace(-3, 3, 12).reshape(3, 4)
    R = yaw_rotation(a)
    assert R.shape == (3, 4, 3, 3)
    assert np.allclose(
        R.reshape(-1, 3, 3), Rotation.from_rotvec(np.outer(a.ravel(), [0, 1, 0])).as_matrix()
    )


# ---- Euler (three.js XYZ) ----------------------------------------------------------
def test_euler_xyz_matches_scipy_intrinsic_xyz():
    for R in Rotation.random(200, random_state=3):
        x, y, z = euler_xyz_from_matrix(R.as_matrix())
        assert np.allclose(Rotation.from_euler("XYZ", [x, y, z]).as_matrix(), R.as_matrix())
        assert np.allclose([x, y, z], R.as_euler("XYZ"), atol=1e-9)


@pytest.mark.parametrize("y", [math.pi / 2, -math.pi / 2])
def test_euler_xyz_gimbal_lock(y):
    R = Rotation.from_euler("XYZ", [0.4, y, 0.3]).as_matrix()
    x, yy, z = euler_xyz_from_matrix(R)
    assert z == 0.0 and yy == pytest.approx(y)
    assert np.allclose(Rotation.from_euler("XYZ", [x, yy, z]).as_matrix(), R, atol=1e-7)


# ---- Gaussian covariances ----------------------------------------------------------
def test_gaussian_covariances_match_scipy_r_s_st_rt():
    rng = np.random.default_rng(4)
    R = Rotation.random(40, random_state=4)
    scales = np.exp(rng.normal(-2, 0.5, (40, 3)))
    cov = gaussian_covariances(xyzw_to_wxyz(R.as_quat()), scales)
    ref = np.einsum("nij,nj,nkj->nik", R.as_matrix(), scales**2, R.as_matrix())
    assert np.allclose(cov, ref, rtol=1e-10, atol=1e-15)
    # eigenvalues are the squared scales: the covariance knows nothing of the order
    assert np.allclose(np.sort(np.linalg.eigvalsh(cov), 1), np.sort(scales**2, 1))


def test_gaussian_covariances_torch_matches_numpy_with_gradients():
    rng = np.random.default_rng(5)
    q, s = rng.normal(size=(6, 4)), np.exp(rng.normal(size=(6, 3)))
    tq, ts = torch.tensor(q, requires_grad=True), torch.tensor(s, requires_grad=True)
    assert np.allclose(gaussian_covariances(tq, ts).detach().numpy(), gaussian_covariances(q, s))
    assert torch.autograd.gradcheck(gaussian_covariances, (tq, ts))


def test_rendering_uses_the_one_covariance():
    from worldnb import rendering

    assert rendering.gaussian_covariances is gaussian_covariances


# ---- triangulation -----------------------------------------------------------------
POLYGONS = {
    "square": [(0, 0), (4, 0), (4, 3), (0, 3)],
    "L": [(0, 0), (4, 0), (4, 2), (2, 2), (2, 4), (0, 4)],
    "U": [(0, 0), (5, 0), (5, 4), (4, 4), (4, 1), (1, 1), (1, 4), (0, 4)],
    "collinear": [(0, 0), (1, 0), (2, 0), (2, 2), (0, 2)],
    "triangle": [(0, 0), (1, 0), (0, 1)],
}


@pytest.mark.parametrize("name", sorted(POLYGONS))
@pytest.mark.parametrize("reverse", [False, True])
def test_triangulate_polygon_covers_it_and_keeps_the_winding(name, reverse):
    xz = np.array(POLYGONS[name][::-1] if reverse else POLYGONS[name], float)
    tri = triangulate_polygon(xz)
    assert tri.dtype == np.int32 and tri.shape == (len(xz) - 2, 3)
    poly = shapely.Polygon(xz)
    pieces = [shapely.Polygon(xz[t]) for t in tri]
    assert sum(p.area for p in pieces) == pytest.approx(poly.area)
    assert shapely.union_all(pieces).symmetric_difference(poly).area < 1e-9
    for t, p in zip(tri, pieces, strict=True):
        if p.area > 1e-12:
            assert p.exterior.is_ccw == poly.exterior.is_ccw, t


def test_floor_triangles_face_up():
    """A room floor (counter-clockwise seen from above) gives +Y normals: what meshes
    and the live view both rely on."""
    from worldnb.scene import Room

    room = Room.rectangle(4.0, 3.0)
    xz = room.floor_xz.astype(np.float64)
    p = np.stack([xz[:, 0], np.zeros(len(xz)), xz[:, 1]], -1)
    for a, b, c in triangulate_polygon(xz):
        assert np.cross(p[b] - p[a], p[c] - p[a])[1] > 0


@settings(max_examples=60, deadline=None)
@given(
    radii=st.lists(st.floats(0.3, 3.0), min_size=3, max_size=14),
    flip=st.booleans(),
)
def test_triangulate_star_shaped_polygons(radii, flip):
    """Star-shaped (often concave) polygons: the triangles tile the polygon exactly."""
    a = np.linspace(0, 2 * math.pi, len(radii), endpoint=False)
    xz = np.stack([np.cos(a) * radii, np.sin(a) * radii], -1)
    if flip:
        xz = xz[::-1]
    poly = shapely.Polygon(xz)
    tri = triangulate_polygon(xz)
    assert tri.shape == (len(xz) - 2, 3)
    assert sum(shapely.Polygon(xz[t]).area for t in tri) == pytest.approx(poly.area, rel=1e-9)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: quat_to_matrix(np.zeros(3)), r"quats: expected shape \(\.\.\., 4\)"),
        (lambda: quat_to_matrix(torch.zeros(2, 3)), "quats"),
        (lambda: matrix_to_quat(np.eye(2)), r"R: expected shape \(\.\.\., 3, 3\)"),
        (lambda: euler_xyz_from_matrix(np.eye(2)), r"R: expected shape \(3, 3\)"),
        (lambda: euler_xyz_from_matrix(np.stack([np.eye(3)] * 2)), "R"),
        (lambda: triangulate_polygon(np.zeros((4, 3))), r"xz: expected shape \(K, 2\)"),
        (lambda: triangulate_polygon(np.zeros(4)), "xz"),
    ],
)
def test_bad_shapes_are_input_errors(call, match):
    with pytest.raises(InputError, match=match):
        call()
