"""Mesh normals face the camera, whichever side of a surface it sees (the docs promise
it: ``MeshFragments.normals`` and ``RenderOutput.normals``)."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

import worldnb
from worldnb import Camera, Mesh, Scene
from worldnb.rendering import rasterize_mesh

# a 2 × 2 m square in the plane z = 0, wound so that its geometric normal is +z
QUAD_V = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], np.float32)
QUAD_F = np.array([[0, 1, 2], [0, 2, 3]], np.int32)


def world_rays(cam: Camera) -> np.ndarray:
    """(H, W, 3) world-frame directions from the camera through each pixel centre."""
    return cam.pixel_rays().astype(np.float64) @ cam.T_world_camera[:3, :3].T.astype(np.float64)


def check_faces_camera(normals, face, cam, expected):
    """Every covered pixel's normal is the unit ``expected`` (per pixel or one vector)
    and points back along the viewing ray."""
    hit = face >= 0
    assert hit.mean() > 0.2
    n = normals[hit].astype(np.float64)
    assert np.allclose(np.linalg.norm(n, axis=-1), 1.0, atol=1e-5)
    exp = np.broadcast_to(expected, normals.shape)[hit]
    assert np.allclose(n, exp, atol=1e-5)
    assert ((n * world_rays(cam)[hit]).sum(-1) < 0).all()
    assert (normals[~hit] == 0).all()


@pytest.mark.parametrize(("eye_z", "expected_z"), [(3.0, 1.0), (-3.0, -1.0)])
@pytest.mark.parametrize("flip_winding", [False, True])
def test_a_quad_seen_from_both_sides(eye_z, expected_z, flip_winding):
    faces = QUAD_F[:, ::-1].copy() if flip_winding else QUAD_F
    cam = Camera.look_at(eye=(0.3, 0.2, eye_z), target=(0, 0, 0), width=40, height=30)
    f = rasterize_mesh(QUAD_V, faces, cam.K, cam.T_camera_world, cam.width, cam.height)
    # the side the camera sees, whatever the winding: +z from the front, −z from behind
    check_faces_camera(f.normals.numpy(), f.face.numpy(), cam, np.array([0, 0, expected_z]))


def box_normals_outward(face: np.ndarray, box: trimesh.Trimesh) -> np.ndarray:
    """(H, W, 3) outward normal of each pixel's face (trimesh's own, computed apart)."""
    return np.asarray(box.face_normals)[np.clip(face, 0, None)]


def test_a_closed_box_from_outside_and_from_inside():
    box = trimesh.creation.box((2.0, 2.0, 2.0))  # outward winding
    outside = Camera.look_at(eye=(2.0, 1.6, 2.4), target=(0, 0, 0), width=48, height=36)
    f = rasterize_mesh(box.vertices, box.faces, outside.K, outside.T_camera_world, 48, 36)
    face = f.face.numpy()
    check_faces_camera(f.normals.numpy(), face, outside, box_normals_outward(face, box))
    # from inside the box every wall is seen from its back: normals point inward
    inside = Camera.look_at(eye=(0.2, -0.3, 0.4), target=(-1, 0.5, -1), width=48, height=36)
    f = rasterize_mesh(box.vertices, box.faces, inside.K, inside.T_camera_world, 48, 36)
    face = f.face.numpy()
    assert (face >= 0).all()  # walls all around
    check_faces_camera(f.normals.numpy(), face, inside, -box_normals_outward(face, box))


def test_render_returns_camera_facing_normals_for_meshes():
    scene = Scene()
    scene.layers["quad"] = Mesh(QUAD_V, QUAD_F)
    for eye_z, sign in [(3.0, 1.0), (-3.0, -1.0)]:
        cam = Camera.look_at(eye=(-0.2, 0.3, eye_z), target=(0, 0, 0), width=40, height=30)
        out = worldnb.render(scene, cam)
        face = np.where(out.alpha > 0.5, 0, -1)
        check_faces_camera(out.normals, face, cam, np.array([0, 0, sign]))
