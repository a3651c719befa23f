"""Camera / slider synchronisation without a browser: echo sequences as the browser sends them.

Each test feeds :class:`CameraSync` the messages a browser sends (slider values snapped
to the step, poses echoed back late, a drag's camera and target in either order) and
checks what the kernel would send back and what the view shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from worldnb.widgets._camera_sync import CameraSync, SliderRange
from worldnb.widgets._orbit import Orbit, three_pose

W, H = 320, 200


def make_sync() -> CameraSync:
    return CameraSync(W, H, near=0.01, far=100.0)


def browser_pose(sync: CameraSync, orbit: Orbit):
    """The (position, quaternion) a browser camera at ``orbit`` reports (three.js frame)."""
    p, q = three_pose(orbit.camera(W, H, sync.near, sync.far))
    return tuple(np.asarray(p) - sync.origin), tuple(q)


def assert_orbit(o: Orbit, az=None, el=None, dist=None, fov=None, target=None):
    for got, want in ((o.azimuth, az), (o.elevation, el), (o.distance, dist), (o.fov, fov)):
        if want is not None:
            assert got == pytest.approx(want, abs=1e-4)  # poses are float32
    if target is not None:
        assert np.allclose(o.target, target, atol=1e-6)


A = Orbit((1.0, 0.5, -2.0), 33.3, 21.7, 4.23, 50.0)
B = Orbit((1.0, 0.5, -2.0), -60.0, 40.0, 4.23, 50.0)


# ---- the kernel moves the view ------------------------------------------------------
def test_show_sends_pose_content_shift_and_every_slider():
    sync = make_sync()
    up = sync.show(A)
    assert up.pose is not None and up.moved
    assert np.allclose(up.origin, A.target)  # content shifted by -target
    assert sync.target == (0.0, 0.0, 0.0)  # OrbitControls keep orbiting the three.js origin
    assert up.sliders == pytest.approx(
        {"azimuth": 33.3, "elevation": 21.7, "distance": 4.23, "fov": 50.0}
    )
    assert up.distance_range == SliderRange(0.01, pytest.approx(16.92), 0.01)  # grown
    assert_orbit(sync.orbit, 33.3, 21.7, 4.23, 50.0, A.target)
    # the camera sits at target + distance · (cos el sin az, sin el, cos el cos az)
    assert np.allclose(sync.camera().position, A.position)
    # going to the same orbit again sends no slider value (float noise only)
    assert sync.show(A).sliders == {}


def test_elevation_is_clamped_and_azimuth_wrapped():
    sync = make_sync()
    up = sync.show(Orbit((0, 0, 0), 190.0, 95.0, 3.0, 50.0))
    assert up.sliders["elevation"] == 89.0
    assert up.sliders["azimuth"] == pytest.approx(-170.0)


# ---- slider echoes -------------------------------------------------------------------
def test_slider_echo_snapped_to_the_step_is_not_a_move():
    sync = make_sync()
    sync.show(A)
    cam = sync.camera()
    for name, snapped in {
        "azimuth": 33.5,
        "elevation": 21.5,
        "distance": 4.23,
        "fov": 50.0,
    }.items():
        assert sync.browser_slider(name, snapped).empty
    assert sync.camera() == cam  # unsnapped: the kernel's values are kept


def test_stale_slider_echo_is_answered_with_the_last_value():
    sync = make_sync()
    sync.show(A)
    sync.show(B)
    cam = sync.camera()
    up = sync.browser_slider("azimuth", 33.5)  # the echo of A arrives after B was sent
    assert up.sliders == {"azimuth": -60.0} and up.pose is None
    assert sync.camera() == cam
    assert sync.browser_slider("azimuth", -60.0).empty  # then B's own echo


def test_a_real_slider_move_moves_only_that_parameter():
    sync = make_sync()
    sync.show(A)
    sync.browser_slider("distance", 4.23)  # echo
    up = sync.browser_slider("azimuth", -45.0)  # the user drags the slider
    assert up.pose is not None
    # the other parameters keep the camera's values, not the sliders' snapped ones
    assert_orbit(sync.orbit, az=-45.0, el=21.7, dist=4.23, target=A.target)
    assert "azimuth" not in up.sliders  # the browser shows it already
    # a value the user moves back to is a move too (the history was cleared)
    sync.browser_slider("azimuth", 33.5)
    assert_orbit(sync.orbit, az=33.5)


def test_slider_set_in_python_moves_the_camera_and_its_echo_is_ignored():
    sync = make_sync()
    sync.show(A)
    up = sync.kernel_slider("fov", 70.0)
    assert up.pose.fov == 70.0
    assert_orbit(sync.orbit, az=33.3, fov=70.0)
    assert sync.browser_slider("fov", 70.0).empty


def test_many_kernel_moves_then_their_echoes_in_order():
    sync = make_sync()
    for az in (10.2, 20.2, 30.2, 40.2):
        sync.show(Orbit(A.target, az, 20.0, 4.0, 50.0))
    cam = sync.camera()
    answers = [sync.browser_slider("azimuth", v).sliders for v in (10.0, 20.0, 30.0, 40.0)]
    assert [list(a) for a in answers] == [["azimuth"]] * 3 + [[]]
    assert all(a["azimuth"] == pytest.approx(40.2) for a in answers[:3])
    assert sync.camera() == cam


# ---- camera echoes -------------------------------------------------------------------
def test_camera_echoes_of_kernel_poses():
    sync = make_sync()
    pose_a = (sync.show(A).pose.position, sync.pose.quaternion)
    up_b = sync.show(B)
    cam = sync.camera()
    up = sync.browser_camera(*pose_a)  # stale: A's pose comes back after B was sent
    assert up.pose == up_b.pose and not up.moved
    assert sync.camera() == cam
    up = sync.browser_camera(up_b.pose.position, up_b.pose.quaternion)  # B's own echo
    assert up.pose is None and up.sliders == {}
    assert sync.camera() == cam


def test_orbit_drag_moves_the_sliders():
    sync = make_sync()
    sync.show(A)
    dragged = Orbit(A.target, 120.0, 10.0, 6.0, 50.0)
    up = sync.browser_camera(*browser_pose(sync, dragged))
    assert up.pose is None and up.origin is None  # the browser shows it already
    assert up.sliders == pytest.approx({"azimuth": 120.0, "elevation": 10.0, "distance": 6.0})
    assert up.moved
    # the sliders' echoes of those values are not moves
    assert all(sync.browser_slider(k, v).empty for k, v in up.sliders.items())
    assert_orbit(sync.orbit, 120.0, 10.0, 6.0)


@pytest.mark.parametrize("camera_first", [True, False])
def test_pan_messages_in_either_order_recentre_the_view(camera_first):
    """A pan ends with two messages, the camera and the target, in either order; the
    first one alone is inconsistent (the camera does not look at the target) and waits
    for the other; then the view re-centres: same picture, target back at the origin."""
    sync = make_sync()
    sync.show(A)
    before = sync.camera()
    shift = (0.4, -0.1, 0.25)
    position = tuple(np.asarray(sync.pose.position) + shift)
    quaternion = sync.pose.quaternion
    if camera_first:
        first = sync.browser_camera(position, quaternion)
        up = sync.browser_target(shift)
    else:
        first = sync.browser_target(shift)
        up = sync.browser_camera(position, quaternion)
    assert first.empty and not first.moved
    assert np.allclose(up.origin, np.asarray(A.target) + shift)  # content shifted
    assert np.allclose(up.pose.position, np.asarray(position) - shift)
    assert sync.target == (0.0, 0.0, 0.0)
    assert np.allclose(sync.camera().position, before.position + shift)
    assert np.allclose(sync.camera().T_world_camera[:3, :3], before.T_world_camera[:3, :3])
    assert_orbit(sync.orbit, az=33.3, el=21.7, dist=4.23, target=np.asarray(A.target) + shift)
    # the browser's echoes of the re-centred pose and target change nothing
    assert sync.browser_camera(up.pose.position, up.pose.quaternion).sliders == {}
    assert sync.browser_target((0.0, 0.0, 0.0)).sliders == {}


def test_distance_slider_range_grows_to_fit():
    sync = make_sync()
    up = sync.show(Orbit((0, 0, 0), 0.0, 0.0, 250.0, 50.0))
    rng = up.distance_range
    assert rng.min <= 250.0 <= rng.max and rng.step == 1.0
    assert up.sliders["distance"] == 250.0
    assert sync.show(Orbit((0, 0, 0), 0.0, 0.0, 200.0, 50.0)).distance_range is None
