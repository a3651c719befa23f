"""A mesh whose vertices sit exactly on pixel centres (as meshes lifted from depth maps
do) covers every pixel when seen from its own camera: no centre is lost to rounding."""

import numpy as np

import worldnb
from worldnb import Camera, Mesh, Scene


def grid_mesh(cam: Camera, depth: np.ndarray) -> Mesh:
    h, w = depth.shape
    xyz = cam.unproject(depth).reshape(-1, 3)
    idx = np.arange(h * w).reshape(h, w)
    a, b, c, d = idx[:-1, :-1], idx[:-1, 1:], idx[1:, :-1], idx[1:, 1:]
    faces = np.concatenate([np.stack([a, c, b], -1), np.stack([b, c, d], -1)]).reshape(-1, 3)
    return Mesh(xyz, faces)


def test_mesh_on_pixel_centres_covers_every_inner_pixel(rng):
    cam = Camera.look_at((0, 1.5, 3), (0, 1, 0), width=128, height=96)
    depth = (3.0 + rng.uniform(0, 0.01, (96, 128))).astype(np.float32)
    out = worldnb.render(Scene(layers={"m": grid_mesh(cam, depth)}), cam)
    assert np.isfinite(out.depth).all()
    np.testing.assert_allclose(out.depth, depth, rtol=1e-4)
