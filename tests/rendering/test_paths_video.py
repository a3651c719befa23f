"""Camera paths and video files."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from PIL import Image

from worldnb import Camera
from worldnb.errors import BackendError, InputError
from worldnb.rendering import dolly, orbit, render_video, walk


def test_orbit_circles_and_looks_at_the_centre():
    c = np.array([0.5, 1.0, -0.5])
    cams = orbit(c, 3.0, 30, n=12, width=32, height=24, fov_y_deg=50)
    assert len(cams) == 12 and cams[0].width == 32 and abs(cams[0].fov_y_deg - 50) < 1e-4
    for cam in cams:
        assert np.isclose(np.linalg.norm(cam.position - c), 3.0, atol=1e-5)
        assert np.isclose(cam.position[1] - c[1], 3.0 * np.sin(np.radians(30)), atol=1e-5)
        to_c = (c - cam.position) / 3.0
        assert np.allclose(cam.forward, to_c, atol=1e-5)
        uv, _ = cam.project([c])
        assert np.allclose(uv[0], [16, 12], atol=1e-3)
    # a full turn: evenly spaced, no repeated end frame; azimuth 0 is on +Z
    assert np.allclose(cams[0].position[[0, 2]], c[[0, 2]] + [0, 3 * np.cos(np.radians(30))])
    az = np.degrees(np.arctan2(*(np.stack([k.position for k in cams]) - c)[:, [0, 2]].T))
    assert np.allclose(np.diff(np.unwrap(np.radians(az))), np.radians(30), atol=1e-5)
    part = orbit(c, 2.0, 10, n=3, start_deg=0, end_deg=90, width=8, height=8)
    assert np.allclose(part[-1].position[[0, 2]] - c[[0, 2]], [2 * np.cos(np.radians(10)), 0],
                       atol=1e-5)  # fmt: skip


def test_dolly_moves_along_the_view_direction():
    cam = Camera.look_at((0, 1, 3), (0, 1, 0), width=16, height=16)
    cams = dolly(cam, [0, 1, -0.5])
    assert np.allclose([k.position[2] for k in cams], [3, 2, 3.5], atol=1e-6)
    assert all(np.allclose(k.forward, cam.forward) for k in cams)


def test_walk_follows_the_path_at_eye_height():
    cams = walk([[0, 0], [2, 0], [2, 2]], eye_height=1.5, look_ahead=0.5, step=0.5,
                width=16, height=16)  # fmt: skip
    assert len(cams) == 9
    assert all(np.isclose(k.position[1], 1.5) for k in cams)
    assert np.allclose(cams[0].forward, [1, 0, 0], atol=1e-6)
    assert np.allclose(cams[-1].position, [2, 1.5, 2]) and np.allclose(cams[-1].forward, [0, 0, 1])
    with pytest.raises(InputError, match="points_xz"):
        walk([[0, 0]])


def test_bad_path_input():
    with pytest.raises(InputError, match="radius"):
        orbit((0, 0, 0), -1, 10, 4)
    with pytest.raises(InputError, match="elevation"):
        orbit((0, 0, 0), 1, 90, 4)
    with pytest.raises(InputError, match="camera"):
        dolly("cam", [1])


def test_gif_has_one_frame_per_camera(tmp_path, make_room_scene):
    scene = make_room_scene(with_gaussians=False)
    cams = orbit((0, 0.8, 0), 1.5, 20, n=4, width=24, height=16)
    path = render_video(scene, cams, tmp_path / "orbit.gif", maps=("rgb", "depth"), progress=False)
    with Image.open(path) as im:
        assert im.n_frames == 4 and im.size == (2 * 24 + 4, 16)
    assert list(tmp_path.iterdir()) == [path]  # no temporary files left


def test_mp4_needs_an_encoder(tmp_path, make_room_scene):
    scene = make_room_scene(with_gaussians=False)
    cams = orbit((0, 0.8, 0), 1.5, 20, n=2, width=16, height=16)
    if importlib.util.find_spec("imageio_ffmpeg") is None:
        with pytest.raises(BackendError, match="imageio-ffmpeg"):
            render_video(scene, cams, tmp_path / "o.mp4", progress=False)
        assert not list(tmp_path.iterdir())
    else:
        path = render_video(scene, cams, tmp_path / "o.mp4", progress=False)
        assert path.stat().st_size > 0
    with pytest.raises(InputError, match="path"):
        render_video(scene, cams, tmp_path / "o.avi")
