"""Scenes with every kind of content, for the I/O tests."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from worldnb.scene import (
    Camera,
    Gaussians,
    Mesh,
    Opening,
    OrientedBox,
    PointCloud,
    Room,
    Scene,
)


def make_room() -> Room:
    return Room.rectangle(
        4.0,
        3.0,
        2.6,
        openings=[
            Opening("door", "wall_0", 1.0, 0.9),
            Opening("window", "wall_2", 2.0, 1.2, 1.1, 0.9),
        ],
    )


def make_points(rng, n=40, normals=True, instance=True) -> PointCloud:
    return PointCloud(
        rng.uniform(-2, 2, (n, 3)),
        rng.random((n, 3)),
        rng.normal(size=(n, 3)) if normals else None,
        rng.integers(-1, 5, n) if instance else None,
    )


def make_mesh(rng, colors=True, textured=False) -> Mesh:
    # a closed box-ish mesh: 8 vertices, 12 non-degenerate triangles
    v = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], np.float32)
    v = v + rng.normal(scale=0.05, size=v.shape)
    f = np.array(
        [[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
         [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]]
    )  # fmt: skip
    return Mesh(
        v,
        f,
        vertex_colors=rng.random((8, 3)) if colors else None,
        uv=rng.random((8, 2)) if textured else None,
        texture=rng.random((6, 5, 3)) if textured else None,
        instance=rng.integers(-1, 3, len(f)),
    )


def make_gaussians(rng, n=30, sh_k: int | None = 8) -> Gaussians:
    return Gaussians(
        rng.normal(size=(n, 3)),
        rng.normal(-3, 0.5, (n, 3)),
        rng.normal(size=(n, 4)),
        rng.normal(size=n),
        rng.random((n, 3)),
        None if sh_k is None else rng.normal(scale=0.2, size=(n, sh_k, 3)),
    )


def make_scene(rng) -> Scene:
    """Room with openings, objects with attrs, every layer kind, cameras, images, meta."""
    scene = Scene(
        room=make_room(), meta={"seed": 7, "model": "builtin", "timings": {"depth": 0.25}}
    )
    scene.add_object("bed", OrientedBox((0.5, 0.3, 0.2), (1.6, 0.6, 2.0), 0.4), front=True,
                     color="white", material="oak", dims=[1.6, 2.0])  # fmt: skip
    scene.add_object("chair", OrientedBox((-1.2, 0.45, 1.0), (0.5, 0.9, 0.5), -1.0), front=True,
                     geometry="objects")  # fmt: skip
    scene.add_object("lamp", OrientedBox((1.5, 0.8, -1.0), (0.3, 1.6, 0.3)))
    scene.layers["points"] = make_points(rng)
    scene.layers["objects"] = make_mesh(rng)
    scene.layers["textured"] = make_mesh(rng, colors=False, textured=True)
    scene.layers["splats"] = make_gaussians(rng)
    scene.cameras["main"] = Camera.look_at((0, 1.6, 3), (0, 1, 0), width=64, height=48)
    scene.cameras["side"] = Camera.from_fov(
        50, 32, 32, Camera.look_at((3, 1, 0), (0, 1, 0)).T_world_camera
    )
    scene.images["rgb"] = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    scene.images["depth"] = rng.random((6, 8)).astype(np.float32)
    return scene


@pytest.fixture
def scene(rng) -> Scene:
    return make_scene(rng)


@pytest.fixture
def parts() -> SimpleNamespace:
    """The factories above, for tests that build their own scenes."""
    return SimpleNamespace(
        room=make_room,
        points=make_points,
        mesh=make_mesh,
        gaussians=make_gaussians,
        scene=make_scene,
    )
