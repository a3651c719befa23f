import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldnb import Camera
from worldnb.errors import InputError
from worldnb.scene.camera import opencv_to_opengl


def random_pose(rng) -> np.ndarray:
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    R = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    T = np.eye(4)
    T[:3, :3], T[:3, 3] = R, rng.uniform(-5, 5, 3)
    return T


def test_from_fov_intrinsics():
    cam = Camera.from_fov(90, 200, 100)
    assert cam.fy == pytest.approx(50.0)
    assert cam.fx == pytest.approx(50.0)
    assert (cam.cx, cam.cy) == (100, 50)
    assert cam.fov_y_deg == pytest.approx(90.0)


def test_pixel_centres_at_half():
    cam = Camera.from_fov(60, 4, 4)
    rays = cam.pixel_rays()
    # pixel (row 0, col 0) centre is u = v = 0.5
    assert rays[0, 0, 0] == pytest.approx((0.5 - 2) / cam.fx)
    assert rays[0, 0, 1] == pytest.approx((0.5 - 2) / cam.fy)
    # the image centre falls between pixels 1 and 2: symmetric rays
    assert rays[1, 1, 0] == pytest.approx(-rays[2, 2, 0])


def test_look_at_axes_opencv():
    cam = Camera.look_at(eye=(0, 0, 5), target=(0, 0, 0), width=10, height=10)
    R = cam.T_world_camera[:3, :3]
    np.testing.assert_allclose(R[:, 0], [1, 0, 0], atol=1e-6)  # x right
    np.testing.assert_allclose(R[:, 1], [0, -1, 0], atol=1e-6)  # y down
    np.testing.assert_allclose(R[:, 2], [0, 0, -1], atol=1e-6)  # z forward
    uv, z = cam.project([[0, 0, 0], [1, 1, 0]])
    np.testing.assert_allclose(uv[0], [5, 5], atol=1e-5)
    assert z[0] == pytest.approx(5)
    assert uv[1, 0] > 5 and uv[1, 1] < 5  # right and up in the world → right and up in image


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    fov=st.floats(20, 120),
    w=st.integers(2, 64),
    h=st.integers(2, 64),
)
def test_project_unproject_round_trip(seed, fov, w, h):
    rng = np.random.default_rng(seed)
    cam = Camera.from_fov(fov, w, h, random_pose(rng))
    depth = rng.uniform(0.5, 20, (h, w)).astype(np.float32)
    xyz = cam.unproject(depth)
    uv, z = cam.project(xyz.reshape(-1, 3))
    np.testing.assert_allclose(z, depth.ravel(), rtol=1e-4)
    v, u = np.meshgrid(np.arange(h) + 0.5, np.arange(w) + 0.5, indexing="ij")
    np.testing.assert_allclose(uv[:, 0], u.ravel(), atol=2e-3)
    np.testing.assert_allclose(uv[:, 1], v.ravel(), atol=2e-3)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_projection_invariant_under_rigid_motion(seed):
    rng = np.random.default_rng(seed)
    cam = Camera.from_fov(60, 32, 24, random_pose(rng))
    pts = cam.unproject(rng.uniform(1, 10, (24, 32))).reshape(-1, 3)
    M = random_pose(rng)  # move world and camera together
    moved_cam = cam.with_pose(M @ cam.T_world_camera.astype(np.float64))
    moved_pts = pts.astype(np.float64) @ M[:3, :3].T + M[:3, 3]
    uv0, z0 = cam.project(pts)
    uv1, z1 = moved_cam.project(moved_pts)
    np.testing.assert_allclose(uv0, uv1, atol=5e-3)
    np.testing.assert_allclose(z0, z1, rtol=1e-4, atol=1e-4)


def test_threejs_hand_worked_case():
    # A camera at (0, 0, 5) looking at the origin: three.js's default camera pose
    # (looking down −Z, +Y up) translated to z = 5, so the quaternion is identity.
    cam = Camera.look_at((0, 0, 5), (0, 0, 0), fov_y_deg=50, width=400, height=200)
    t = cam.to_threejs()
    np.testing.assert_allclose(t["position"], [0, 0, 5], atol=1e-6)
    np.testing.assert_allclose(t["quaternion"], [0, 0, 0, 1], atol=1e-6)
    np.testing.assert_allclose(t["up"], [0, 1, 0], atol=1e-6)
    assert t["fov"] == pytest.approx(50)
    assert t["aspect"] == pytest.approx(2.0)
    # A turn of θ about +Y takes the view direction −Z to (−sin θ, 0, −cos θ), so
    # looking along +X needs θ = −90°: q = (0, sin(−45°), 0, cos(−45°)).
    cam = Camera.look_at((0, 0, 0), (1, 0, 0))
    s = math.sqrt(0.5)
    np.testing.assert_allclose(cam.to_threejs()["quaternion"], [0, -s, 0, s], atol=1e-6)


def test_opencv_opengl_involution(rng):
    T = random_pose(rng)
    np.testing.assert_allclose(opencv_to_opengl(opencv_to_opengl(T)), T, atol=1e-6)
    gl = opencv_to_opengl(np.eye(4))
    np.testing.assert_allclose(np.diag(gl), [1, -1, -1, 1])


def test_resized_scales_intrinsics():
    cam = Camera.from_fov(60, 64, 48)
    small = cam.resized(32, 24)
    assert small.fov_y_deg == pytest.approx(cam.fov_y_deg)
    assert small.cx == pytest.approx(16)


def test_dict_round_trip(rng):
    cam = Camera.from_fov(45, 30, 20, random_pose(rng), near=0.1, far=50)
    assert Camera.from_dict(cam.to_dict()) == cam


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"K": [[0, 0, 1], [0, 1, 1], [0, 0, 1]], "width": 2, "height": 2}, "focal"),
        ({"K": np.eye(3), "width": 0, "height": 2}, "width"),
        ({"K": np.eye(3), "width": 2, "height": -1}, "height"),
        ({"K": np.eye(4), "width": 2, "height": 2}, "K"),
        ({"K": [[1, 0, np.nan], [0, 1, 0], [0, 0, 1]], "width": 2, "height": 2}, "K"),
        (
            {"K": np.eye(3), "width": 2, "height": 2, "T_world_camera": np.ones((4, 4))},
            "T_world_camera",
        ),
        ({"K": np.eye(3), "width": 2.5, "height": 2}, "width"),
    ],
)
def test_bad_camera_input(kwargs, word):
    with pytest.raises(InputError, match=word):
        Camera(**kwargs)


def test_bad_look_at_and_fov():
    with pytest.raises(InputError, match="coincide"):
        Camera.look_at((1, 1, 1), (1, 1, 1))
    with pytest.raises(InputError, match="parallel"):
        Camera.look_at((0, 0, 0), (0, 5, 0))
    with pytest.raises(InputError, match="fov_y_deg"):
        Camera.from_fov(0, 10, 10)
    with pytest.raises(InputError, match="xyz"):
        Camera.from_fov(60, 10, 10).project(np.zeros((3, 2)))
    with pytest.raises(InputError, match="depth"):
        Camera.from_fov(60, 10, 10).unproject(np.zeros((5, 5)))


# ---- exact fields, defaults, equality tolerances and messages ---------------------------


def test_camera_equality_compares_every_field():
    T = np.eye(4)
    T[:3, 3] = (1.0, 2.0, 3.0)
    cam = Camera.from_fov(60, 64, 48, T, near=0.5, far=20.0)
    assert cam == Camera.from_fov(60, 64, 48, T, near=0.5, far=20.0)
    assert cam != Camera(cam.K, 65, 48, T, 0.5, 20.0)  # only the width differs
    assert cam != Camera(cam.K, 64, 49, T, 0.5, 20.0)  # only the height
    assert cam != Camera.from_fov(50, 64, 48, T, near=0.5, far=20.0)  # only K
    assert cam != cam.with_pose(np.eye(4))  # only the pose
    assert cam != Camera(cam.K, 64, 48, T, 0.25, 20.0)  # only near
    assert cam != Camera(cam.K, 64, 48, T, 0.5, 30.0)  # only far
    # K and the pose match within 1e-5, also for entries that are 0
    K = cam.K.copy()
    K[0, 1] = 5e-6
    assert cam == Camera(K, 64, 48, T, 0.5, 20.0)
    K[0, 1] = 5e-5
    assert cam != Camera(K, 64, 48, T, 0.5, 20.0)
    K = cam.K.copy()
    K[0, 2] += 0.5  # principal point half a pixel off
    assert cam != Camera(K, 64, 48, T, 0.5, 20.0)
    T2 = T.copy()
    T2[0, 3] = 1.0 + 5e-6
    assert cam == cam.with_pose(T2)
    T2[0, 3] = 1.5
    assert cam != cam.with_pose(T2)
    moved = np.eye(4)
    moved[:3, 3] = (5e-6, 0.0, 0.0)
    assert Camera.from_fov(60, 8, 8) == Camera.from_fov(60, 8, 8, moved)
    moved[0, 3] = 5e-5
    assert Camera.from_fov(60, 8, 8) != Camera.from_fov(60, 8, 8, moved)
    assert cam.__eq__("camera") is NotImplemented


def test_camera_defaults_and_keyword_passing():
    cam = Camera.look_at((0, 1.6, 3), (0, 1, 0))
    assert (cam.width, cam.height) == (512, 512) and cam.fov_y_deg == pytest.approx(60.0)
    assert (cam.near, cam.far) == (0.01, 100.0)
    cam = Camera.look_at((0, 1.6, 3), (0, 1, 0), width=64, height=48, near=0.5, far=20.0)
    assert (cam.near, cam.far) == (0.5, 20.0)
    d = cam.to_dict()
    del d["near"], d["far"]
    assert (Camera.from_dict(d).near, Camera.from_dict(d).far) == (0.01, 100.0)
    assert repr(cam) == "Camera(64×48, fov_y=60.0°, position=(0, 1.6, 3))"


def test_resized_and_with_pose_keep_everything_else():
    T = np.eye(4)
    T[:3, 3] = (1.0, 2.0, 3.0)
    cam = Camera.from_fov(60, 64, 48, T, near=0.5, far=20.0)
    small = cam.resized(32, 24)
    np.testing.assert_array_equal(small.T_world_camera, cam.T_world_camera)
    assert (small.near, small.far, small.width, small.height) == (0.5, 20.0, 32, 24)
    np.testing.assert_allclose(small.K, [[cam.fx / 2, 0, 16], [0, cam.fy / 2, 12], [0, 0, 1]])
    other = cam.with_pose(np.eye(4))
    assert (other.near, other.far) == (0.5, 20.0)
    np.testing.assert_array_equal(other.K, cam.K)
    for args, name in (((0, 24), "width"), ((32, 0), "height")):
        with pytest.raises(InputError, match=rf"^{name}: expected an integer >= 1"):
            cam.resized(*args)


def test_threejs_near_far_and_opengl_dtype():
    cam = Camera.look_at((0, 0, 5), (0, 0, 0), width=40, height=20, near=0.25, far=50.0)
    t = cam.to_threejs()
    assert set(t) == {"position", "quaternion", "up", "fov", "aspect", "near", "far"}
    assert (t["near"], t["far"]) == (0.25, 50.0)
    gl = opencv_to_opengl(np.eye(4))
    assert gl.dtype == np.float32
    with pytest.raises(InputError, match=r"^T_world_cv: expected shape \(4, 4\)"):
        opencv_to_opengl(np.eye(3))


def test_camera_messages_name_the_argument():
    with pytest.raises(InputError) as err:
        Camera.look_at((1, 1, 1), (1, 1, 1))
    assert str(err.value) == "look_at: eye and target coincide; give a target away from the eye"
    with pytest.raises(InputError) as err:
        Camera.look_at((0, 0, 0), (0, 5, 0))
    assert str(err.value) == "look_at: the view direction is parallel to `up`; pass another up"
    for kw, name in (
        ({"eye": (0, 0), "target": (0, 0, 1)}, "eye"),
        ({"eye": (0, 0, 0), "target": (0, 1)}, "target"),
        ({"eye": (0, 0, 0), "target": (0, 0, 1), "up": (0, 1)}, "up"),
    ):
        with pytest.raises(InputError, match=rf"^{name}: expected shape"):
            Camera.look_at(**kw)
    with pytest.raises(InputError, match=r"^camera dict is missing or has a bad field: 'K'"):
        Camera.from_dict({"width": 4, "height": 4})


def test_skewed_intrinsics_rays_and_projection_by_hand():
    K = [[100.0, 10.0, 32.0], [0.0, 100.0, 24.0], [0.0, 0.0, 1.0]]  # skew 10 px
    cam = Camera(K, 64, 48)
    rays = cam.pixel_rays()
    assert rays.dtype == np.float32 and rays.shape == (48, 64, 3)
    # pixel (row 0, col 0): v = u = 0.5; y = (0.5 − 24) / 100, x = (0.5 − 32 − 10 y) / 100
    np.testing.assert_allclose(rays[0, 0], [-0.2915, -0.235, 1.0], rtol=1e-6)
    uv, z = cam.project([[0.2, 0.1, 2.0]])  # u = (100·0.2 + 10·0.1) / 2 + 32, v = 100·0.1/2 + 24
    np.testing.assert_allclose(uv[0], [42.5, 29.0], rtol=1e-6)
    assert z[0] == 2.0
    uv, _ = cam.project(rays[0, 0][None].astype(np.float64) * 3.0)
    np.testing.assert_allclose(uv[0], [0.5, 0.5], atol=1e-4)


def test_project_in_float64_and_points_in_the_camera_plane():
    T = np.eye(4)
    T[0, 3] = 1e6  # far from the origin: float32 input would lose the 0.3 m
    cam = Camera([[100.0, 0.0, 32.0], [0.0, 100.0, 24.0], [0.0, 0.0, 1.0]], 64, 48, T)
    uv, _ = cam.project(np.array([[1e6 + 0.3, 0.0, 1.0]]))
    assert uv[0, 0] == pytest.approx(100 * 0.3 + 32, abs=1e-3)
    # a point in the camera plane (z = 0) lands far off the image, not at inf or NaN
    uv, z = cam.project([[1e6 + 1e-3, 0.0, 0.0]])
    assert np.isfinite(uv).all() and abs(uv[0, 0]) > 1e6 and z[0] == 0.0
    with pytest.raises(InputError, match=r"^xyz: expected shape"):
        cam.project([1.0, 2.0, 3.0])


def test_unproject_empty_pixels_quietly_and_in_float32():
    cam = Camera([[2.0, 0.0, 1.5], [0.0, 2.0, 1.5], [0.0, 0.0, 1.0]], 4, 3)  # a ray with x = 0
    depth = np.full((3, 4), np.inf)
    depth[0, 0] = 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pts = cam.unproject(depth)
    assert pts.dtype == np.float32 and not np.isfinite(pts[1:]).all()
    np.testing.assert_allclose(pts[0, 0], [(0.5 - 1.5) / 2 * 2, (0.5 - 1.5) / 2 * 2, 2.0])
    with pytest.raises(InputError, match=r"^depth: expected shape \(3, 4\)"):
        cam.unproject(np.ones((4, 3)))


def test_from_fov_limits_and_messages():
    # 180° or more has no pinhole (f = 0.5 h / tan(90°) = 0); just under is allowed
    for fov in (180, 180.5):
        with pytest.raises(InputError) as err:
            Camera.from_fov(fov, 10, 10)
        assert str(err.value) == f"fov_y_deg: expected a value in (0, 180), got {fov}"
    assert Camera.from_fov(179.0, 10, 10).fy == pytest.approx(5 / math.tan(math.radians(89.5)))
    with pytest.raises(InputError, match=r"^fov_y_deg: "):
        Camera.from_fov(-5, 10, 10)
    for w, h, name in ((0, 10, "width"), (10, 2.5, "height")):
        with pytest.raises(InputError, match=rf"^{name}: expected an integer"):
            Camera.from_fov(60, w, h)


def test_project_returns_float32():
    cam = Camera.from_fov(60, 8, 6)
    uv, z = cam.project(np.array([[0.1, 0.2, 3.0]], np.float64))
    assert uv.dtype == np.float32 and z.dtype == np.float32 and uv.shape == (1, 2)


def test_camera_checks_and_messages_exactly():
    K = np.array([[10.0, 0.0, 2.0], [0.0, 10.0, 2.0], [0.0, 0.0, 1.0]])

    def message(**kw):
        args = {"K": K, "width": 4, "height": 4, **kw}
        with pytest.raises(InputError) as err:
            Camera(**args)
        return str(err.value)

    assert message(width=0).startswith("width: expected an integer >= 1")
    assert message(height=0).startswith("height: expected an integer >= 1")
    assert message(K=np.eye(2)).startswith("K: expected shape (3, 3)")
    bad_fy = K.copy()
    bad_fy[1, 1] = -2.0
    assert message(K=bad_fy) == "K: focal lengths must be positive, got fx=10.0, fy=-2.0"
    bad_fy[1, 1] = 0.0  # zero is refused too
    assert message(K=bad_fy) == "K: focal lengths must be positive, got fx=10.0, fy=0.0"
    sheared = K.copy()
    sheared[1, 0] = 0.5  # a shear below the diagonal has no pinhole meaning
    assert (
        message(K=sheared)
        == f"K: expected [[fx, s, cx], [0, fy, cy], [0, 0, 1]], got {sheared.tolist()}"
    )
    assert message(T_world_camera=np.eye(3)).startswith("T_world_camera: expected shape (4, 4)")
    assert message(near=0).startswith("near: expected a finite positive number")
    assert message(far=-1).startswith("far: expected a finite positive number")
    assert message(near=1.0, far=1.0) == "far (1.0) must be greater than near (1.0)"


def test_camera_pose_tolerances():
    K = [[10.0, 0.0, 2.0], [0.0, 10.0, 2.0], [0.0, 0.0, 1.0]]
    T = np.eye(4)
    T[3, 0] = 3e-6  # within the 1e-5 allowed on the last row
    assert Camera(K, 4, 4, T).T_world_camera.dtype == np.float32
    T[3] = [0.0, 0.0, 0.0, 2.0]
    with pytest.raises(InputError) as err:
        Camera(K, 4, 4, T)
    assert (
        str(err.value) == "T_world_camera: last row must be [0, 0, 0, 1], got [0.0, 0.0, 0.0, 2.0]"
    )
    rotation_msg = "T_world_camera: the 3×3 block must be a rotation (orthonormal, det +1)"
    for R in (np.diag([1.0, 1.0, -1.0]), 1.2 * np.eye(3)):  # a mirror; a scaled rotation
        T = np.eye(4)
        T[:3, :3] = R
        with pytest.raises(InputError) as err:
            Camera(K, 4, 4, T)
        assert str(err.value) == rotation_msg


def test_look_at_aims_in_float64_far_from_the_origin():
    # 10 km out, float32 steps are 1 m: a 0.3 m sideways offset between eye and target
    # must still turn the view, so the direction is worked out before any float32 rounding
    want = np.array([-0.3, 0.0, 1.0]) / np.sqrt(1.09)
    for eye, target in (((1e7 + 0.3, 0, 0), (1e7, 0, 1)), ((1e7, 0, 0), (1e7 - 0.3, 0, 1))):
        cam = Camera.look_at(eye=eye, target=target)
        np.testing.assert_allclose(cam.T_world_camera[:3, 2], want, atol=1e-6)
