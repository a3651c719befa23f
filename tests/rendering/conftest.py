"""Small scenes shared by the rendering tests."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from worldnb import Camera, Gaussians, Mesh, OrientedBox, PointCloud, Scene


def boxes_mesh() -> trimesh.Trimesh:
    """A floor, three boxes (one rotated) and a sphere: occlusion, silhouettes, curvature."""
    parts = [
        trimesh.creation.box(
            (6, 0.02, 6), trimesh.transformations.translation_matrix((0, -0.01, 0))
        )
    ]
    for size, pos, yaw in [
        ((1.0, 0.8, 0.6), (-1.0, 0.4, 0.0), 0.0),
        ((0.6, 1.4, 0.6), (0.8, 0.7, -0.6), 0.6),
        ((0.5, 0.5, 0.5), (0.2, 0.25, 0.9), -0.3),
    ]:
        T = trimesh.transformations.rotation_matrix(yaw, (0, 1, 0))
        T[:3, 3] = pos
        parts.append(trimesh.creation.box(size, T))
    sphere = trimesh.creation.icosphere(subdivisions=2, radius=0.35)
    sphere.apply_translation((-0.2, 1.2, -0.2))
    parts.append(sphere)
    return trimesh.util.concatenate(parts)


@pytest.fixture
def mesh_and_camera():
    m = boxes_mesh()
    cam = Camera.look_at(eye=(2.2, 2.0, 3.0), target=(0, 0.5, 0), width=80, height=60, fov_y_deg=55)
    return m, cam


def random_gaussians(n: int, seed: int = 0, dtype=torch.float32, sh_degree: int = 0):
    """Activated parameters (means, quats, scales, opacities, colors[, sh_rest]) in front of
    an identity camera looking down +z."""
    g = torch.Generator().manual_seed(seed)
    means = torch.rand(n, 3, generator=g, dtype=torch.float64) * torch.tensor([2.0, 1.6, 2.0])
    means = means - torch.tensor([1.0, 0.8, -2.0])  # z in [2, 4]
    quats = torch.randn(n, 4, generator=g, dtype=torch.float64)
    scales = torch.exp(torch.randn(n, 3, generator=g, dtype=torch.float64) * 0.3 - 2.3)
    opac = torch.sigmoid(torch.randn(n, generator=g, dtype=torch.float64))
    colors = torch.rand(n, 3, generator=g, dtype=torch.float64)
    out = [means, quats, scales, opac, colors]
    if sh_degree:
        k = (sh_degree + 1) ** 2 - 1
        out.append(0.2 * torch.randn(n, k, 3, generator=g, dtype=torch.float64))
    return [t.to(dtype) for t in out]


def small_K(width: int, height: int, f: float = 30.0) -> torch.Tensor:
    return torch.tensor([[f, 0, width / 2], [0, f, height / 2], [0, 0, 1]])


def room_scene(with_gaussians: bool = True) -> Scene:
    """A room-like scene: shell mesh, object boxes with instance ids, points, Gaussians."""
    scene = Scene()
    shell = trimesh.creation.box(
        (4, 2.5, 4), trimesh.transformations.translation_matrix((0, 1.25, 0))
    )
    shell.invert()  # faces point inwards
    scene.layers["room"] = Mesh(shell.vertices, shell.faces, vertex_colors=np.full((8, 3), 0.85))
    verts, faces, inst, cols = [], [], [], []
    offset = 0
    for label, center, size, color in [
        ("bed", (-0.9, 0.3, -0.8), (1.4, 0.6, 2.0), (0.8, 0.3, 0.3)),
        ("table", (1.0, 0.4, 0.8), (0.8, 0.8, 0.8), (0.3, 0.6, 0.3)),
        ("chair", (1.0, 0.45, -0.6), (0.5, 0.9, 0.5), (0.3, 0.3, 0.8)),
    ]:
        obj = scene.add_object(label, OrientedBox(center, size), geometry="objects")
        b = trimesh.creation.box(size, trimesh.transformations.translation_matrix(center))
        verts.append(b.vertices)
        faces.append(b.faces + offset)
        offset += len(b.vertices)
        inst.append(np.full(len(b.faces), obj.id))
        cols.append(np.tile(color, (len(b.vertices), 1)))
    scene.layers["objects"] = Mesh(
        np.concatenate(verts), np.concatenate(faces), vertex_colors=np.concatenate(cols),
        instance=np.concatenate(inst),
    )  # fmt: skip
    rng = np.random.default_rng(1)
    pts = rng.uniform((-0.3, 0.0, -0.3), (0.3, 0.6, 0.3), (400, 3)) + np.array([0.0, 0.0, 1.2])
    scene.layers["plant"] = PointCloud(pts, np.tile((0.1, 0.7, 0.2), (400, 1)))
    if with_gaussians:
        n = 60
        means = rng.uniform((-0.4, 1.4, -0.4), (0.4, 1.9, 0.4), (n, 3))
        scene.layers["lamp"] = Gaussians(
            means, np.full((n, 3), np.log(0.06)), np.tile((1.0, 0, 0, 0), (n, 1)),
            np.full(n, 1.0), np.tile((1.0, 0.9, 0.4), (n, 1)),
        )  # fmt: skip
    return scene


@pytest.fixture
def make_gaussians():
    """The :func:`random_gaussians` factory (test modules cannot import conftest)."""
    return random_gaussians


@pytest.fixture
def make_K():
    return small_K


@pytest.fixture
def make_room_scene():
    return room_scene
