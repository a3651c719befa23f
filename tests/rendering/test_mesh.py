"""Mesh rasterisation against trimesh's ray casting and a dense ray-triangle reference."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from worldnb.errors import InputError
from worldnb.rendering import rasterize_mesh
from worldnb.rendering._reference import reference_mesh


def _trimesh_depth(mesh, cam):
    rays = cam.pixel_rays().reshape(-1, 3).astype(np.float64)
    dirs = rays @ cam.T_world_camera[:3, :3].T.astype(np.float64)
    origins = np.repeat(cam.position[None].astype(np.float64), len(dirs), 0)
    loc, ray_idx, _ = mesh.ray.intersects_location(origins, dirs, multiple_hits=False)
    depth = np.full(len(dirs), np.inf)
    pc = (loc - cam.position) @ cam.T_world_camera[:3, :3].astype(np.float64)
    depth[ray_idx] = pc[:, 2]
    return depth.reshape(cam.height, cam.width)


def test_depth_matches_trimesh_ray_casting(mesh_and_camera):
    mesh, cam = mesh_and_camera
    frags = rasterize_mesh(mesh.vertices, mesh.faces, cam.K, cam.T_camera_world, cam.width,
                           cam.height)  # fmt: skip
    ours = frags.depth.numpy()
    ref = _trimesh_depth(mesh, cam)
    cover_ours, cover_ref = np.isfinite(ours), np.isfinite(ref)
    assert cover_ref.mean() > 0.5  # the test scene fills the frame
    assert (cover_ours == cover_ref).mean() >= 0.995
    both = cover_ours & cover_ref
    assert np.median(np.abs(ours[both] - ref[both])) < 1e-4


def test_matches_dense_reference(mesh_and_camera):
    mesh, cam = mesh_and_camera
    args = (mesh.vertices, mesh.faces, cam.K, cam.T_camera_world, cam.width, cam.height)
    frags = rasterize_mesh(*args)
    depth, face = reference_mesh(*args)
    same = (frags.face == face).double().mean()
    assert same >= 0.995
    both = torch.isfinite(frags.depth) & torch.isfinite(depth)
    assert torch.allclose(frags.depth[both].double(), depth[both], atol=1e-4)


def test_small_chunks_give_the_same_image(mesh_and_camera):
    mesh, cam = mesh_and_camera
    args = (mesh.vertices, mesh.faces, cam.K, cam.T_camera_world, cam.width, cam.height)
    a = rasterize_mesh(*args)
    b = rasterize_mesh(*args, max_candidates=97)
    assert torch.equal(a.face, b.face)


def test_triangle_crossing_the_camera_plane_is_drawn_without_clipping_artifacts():
    # a floor from behind the camera to far in front: half the image, exact depth
    V = [[-50, 1, -5], [50, 1, -5], [50, 1, 50], [-50, 1, 50]]  # y = 1: below (y down)
    F = [[0, 1, 2], [0, 2, 3]]
    K = torch.tensor([[20.0, 0, 16], [0, 20, 16], [0, 0, 1]])
    frags = rasterize_mesh(V, F, K, torch.eye(4), 32, 32)
    assert (frags.face[:16] == -1).all() and (frags.face[17:] >= 0).all()
    v = torch.arange(17, 32) + 0.5
    expected = 1.0 / ((v - 16) / 20.0)  # y = 1 plane at camera z where y/z = (v - cy)/fy
    assert torch.allclose(frags.depth[17:, 5], expected, rtol=1e-5)
    assert torch.allclose(frags.normals[20, 5], torch.tensor([0.0, -1.0, 0.0]))  # faces camera


def test_faces_beside_the_camera_are_boxed_to_their_visible_part():
    """A wall running past the camera crosses the camera plane: it is clipped to the near
    plane before boxing (not tested against every pixel), and still matches the dense
    reference pixel for pixel."""
    from worldnb.rendering.mesh import _edge_matrices, _pixel_boxes

    # a wall at x = 1.5 from 3 m behind to 4 m in front of the camera, and a floor strip
    V = torch.tensor([[1.5, -1, -3], [1.5, -1, 4], [1.5, 1, 4], [1.5, 1, -3],
                      [-1.0, 1, -3], [1.0, 1, -3], [1.0, 1, 4], [-1.0, 1, 4]])  # fmt: skip
    F = torch.tensor([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7]])
    K = torch.tensor([[30.0, 0, 32], [0, 30, 24], [0, 0, 1]])
    T = torch.eye(4)
    frags = rasterize_mesh(V, F, K, T, 64, 48)
    depth, face = reference_mesh(V, F, K, T, 64, 48)
    assert (frags.face == face).double().mean() >= 0.998 and (face >= 0).sum() > 300
    both = (face >= 0) & (frags.face == face)
    assert torch.allclose(frags.depth[both].double(), depth[both], atol=1e-5)
    _, ok = _edge_matrices(V.double()[F], 0.01)
    ids, x0, y0, w, h = _pixel_boxes(V.double(), F, K.double(), 64, 48, 0.01, ok)
    # the wall is seen in the right part of the image only, the floor in the lower part
    assert (w * h < 64 * 48).all()
    for i, f in enumerate(ids.tolist()):
        rows, cols = (frags.face == f).nonzero(as_tuple=True)
        assert (cols >= x0[i]).all() and (cols < x0[i] + w[i]).all()
        assert (rows >= y0[i]).all() and (rows < y0[i] + h[i]).all()


def test_perspective_correct_colours_and_texture():
    # a slanted quad; colour = its camera z along one edge, so interpolation must be 3D-linear
    V = torch.tensor([[-1.0, -1, 2], [1, -1, 6], [1, 1, 6], [-1, 1, 2]])
    F = [[0, 1, 2], [0, 2, 3]]
    K = torch.tensor([[24.0, 0, 24], [0, 24, 24], [0, 0, 1]])
    colors = V[:, 2:].repeat(1, 3) / 10
    frags = rasterize_mesh(V, F, K, torch.eye(4), 48, 48, vertex_colors=colors)
    hit = frags.face >= 0
    assert torch.allclose(frags.rgb[hit][:, 0], frags.depth[hit] / 10, atol=1e-5)
    # texture: left half black, right half white; u runs with x
    tex = torch.zeros(4, 8, 3)
    tex[:, 4:] = 1
    uv = torch.tensor([[0.0, 0], [1, 0], [1, 1], [0, 1]])
    frags = rasterize_mesh(V, F, K, torch.eye(4), 48, 48, uv=uv, texture=tex)
    row = frags.rgb[24, :, 0]
    cols = torch.nonzero(frags.face[24] >= 0).squeeze(1)
    # the world midpoint x = 0 projects where 3D u = 0.5 (not the screen midpoint)
    u_world = 24  # x = 0 at z = 4 projects to cx
    left, right = cols[cols < u_world - 2], cols[cols > u_world + 2]
    assert (row[left] < 0.05).all() and (row[right] > 0.95).all()


def test_empty_and_behind_camera():
    K = torch.tensor([[10.0, 0, 5], [0, 10, 5], [0, 0, 1]])
    frags = rasterize_mesh(
        torch.zeros(0, 3), torch.zeros(0, 3, dtype=torch.long), K, torch.eye(4), 10, 10
    )
    assert (frags.face == -1).all() and torch.isinf(frags.depth).all()
    behind = rasterize_mesh(
        [[-1, -1, -2], [1, -1, -2], [0, 1, -2]], [[0, 1, 2]], K, torch.eye(4), 10, 10
    )
    assert (behind.face == -1).all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"K": [[0.0, 0, 5], [0, 10, 5], [0, 0, 1]]}, "K"),
        ({"K": [[10.0, 0, 5], [0, -1, 5], [0, 0, 1]]}, "K"),
        ({"vertices": [[0, 0, 1], [1, 0, 1], [float("nan"), 1, 1]]}, "vertices"),
        ({"faces": [[0, 1, 3]]}, "faces"),
        ({"faces": [[0, 1]]}, "faces"),
        ({"vertex_colors": [[1, 0, 0]]}, "vertex_colors"),
        ({"width": 0}, "width"),
        ({"height": -3}, "height"),
        ({"T_camera_world": torch.eye(3)}, "T_camera_world"),
    ],
)
def test_bad_input_names_the_argument(kwargs, name):
    args = {
        "vertices": [[0, 0, 1], [1, 0, 1], [0, 1, 1]],
        "faces": [[0, 1, 2]],
        "K": [[10.0, 0, 5], [0, 10, 5], [0, 0, 1]],
        "T_camera_world": torch.eye(4),
        "width": 10,
        "height": 10,
    }
    args.update(kwargs)
    with pytest.raises(InputError, match=name):
        rasterize_mesh(**args)


def test_huge_images_need_allow_large():
    args = ([[0, 0, 1], [1, 0, 1], [0, 1, 1]], [[0, 1, 2]], [[10.0, 0, 5], [0, 10, 5], [0, 0, 1]],
            torch.eye(4), 4097, 4096)  # fmt: skip
    with pytest.raises(InputError, match="allow_large"):
        rasterize_mesh(*args)


def _facing_quad(z):
    """A 4 × 4 m square at camera depth ``z``, filling a 10 × 10 view."""
    V = [[-2.0, -2, z], [2, -2, z], [2, 2, z], [-2, 2, z]]
    return V, [[0, 1, 2], [0, 2, 3]], [[10.0, 0, 5], [0, 10, 5], [0, 0, 1]]


def test_near_and_far_clip_by_camera_depth():
    V, F, K = _facing_quad(1.0)
    assert (rasterize_mesh(V, F, K, torch.eye(4), 10, 10).face >= 0).all()
    assert (rasterize_mesh(V, F, K, torch.eye(4), 10, 10, near=1.5).face == -1).all()
    assert (rasterize_mesh(V, F, K, torch.eye(4), 10, 10, far=1.5).face >= 0).all()
    assert (rasterize_mesh(V, F, K, torch.eye(4), 10, 10, far=0.9).face == -1).all()
    # a second quad behind the first shows through where the first is clipped
    V2, _, _ = _facing_quad(3.0)
    both = rasterize_mesh(V + V2, [*F, [4, 5, 6], [4, 6, 7]], K, torch.eye(4), 10, 10, near=2)
    assert (both.face >= 2).all() and torch.allclose(both.depth, torch.tensor(3.0))


def test_texture_texels_are_sampled_at_their_centres():
    # a 2 × 2 texture on a quad whose uv spans [0, 1]²: each quarter of the quad shows
    # exactly one texel (bilinear sampling with texel centres at (i + 0.5) / 2)
    F = [[0, 1, 2], [0, 2, 3]]
    V = [[-0.5, -0.5, 2.0], [0.5, -0.5, 2.0], [0.5, 0.5, 2.0], [-0.5, 0.5, 2.0]]
    uv = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    tex = torch.tensor([[[0.1], [0.2]], [[0.3], [0.4]]])
    K = [[40.0, 0, 10], [0, 40, 10], [0, 0, 1]]  # the quad spans pixels 0..19
    f = rasterize_mesh(V, F, K, torch.eye(4), 20, 20, uv=uv, texture=tex)
    assert (f.face >= 0).all()
    # the centre pixels of each quarter sample within the texel's own half: exact colours
    assert float(f.rgb[2, 2, 0]) == pytest.approx(0.1, abs=1e-6)
    assert float(f.rgb[2, 17, 0]) == pytest.approx(0.2, abs=1e-6)
    assert float(f.rgb[17, 2, 0]) == pytest.approx(0.3, abs=1e-6)
    assert float(f.rgb[17, 17, 0]) == pytest.approx(0.4, abs=1e-6)
    # the middle blends all four equally
    middle = float(f.rgb[9:11, 9:11, 0].mean())
    assert middle == pytest.approx(0.25, abs=0.02)


def test_textured_empty_pixels_are_zero_and_float64_uv_works():
    V = torch.tensor([[-0.5, -0.5, 2.0], [0.5, -0.5, 2.0], [0.5, 0.5, 2.0]], dtype=torch.float64)
    uv = torch.tensor([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    tex = torch.full((2, 2, 3), 0.5)  # float32 texture, float64 uv
    f = rasterize_mesh(V, [[0, 1, 2]], [[20.0, 0, 10], [0, 20, 10], [0, 0, 1]], torch.eye(4),
                       20, 20, uv=uv, texture=tex)  # fmt: skip
    hit = f.face >= 0
    assert hit.any() and (~hit).any()
    assert torch.allclose(f.rgb[hit], torch.tensor(0.5, dtype=f.rgb.dtype))
    assert (f.rgb[~hit] == 0).all()
