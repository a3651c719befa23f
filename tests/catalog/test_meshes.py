"""Part-built meshes: several named parts, inside the box, faces the right way."""

from __future__ import annotations

import numpy as np
import pytest

from worldnb import catalog
from worldnb.catalog import furniture_mesh, room_mesh
from worldnb.errors import InputError
from worldnb.scene import Opening, Room
from worldnb.worlds import sample_room

PARTS = {
    "bed": {"headboard", "mattress", "pillow", "leg"},
    "chair": {"seat", "back", "leg"},
    "sofa": {"cushion", "back", "arm"},
    "wardrobe": {"door", "handle"},
    "bookshelf": {"shelf", "side"},
    "dresser": {"drawer"},
    "dining table": {"top", "leg"},
    "office chair": {"seat", "back", "wheel"},
}


@pytest.mark.parametrize("name", catalog.categories())
def test_every_category_is_part_built_inside_its_box(name):
    e = catalog.entry(name)
    size = e.median_size
    v, f, c, parts = furniture_mesh(name, size)
    assert len(set(parts)) >= 2, f"{name} is a plain box"
    assert v.dtype == np.float32 and f.dtype == np.int32 and c.shape == v.shape
    assert np.all(np.abs(v) <= size / 2 + 1e-5)
    assert f.min() >= 0 and f.max() < len(v)
    assert c.min() >= 0 and c.max() <= 1
    # the parts fill a good share of the box (not a tiny token)
    assert np.all(v.max(0) - v.min(0) >= size * 0.6)


@pytest.mark.parametrize("name, expected", PARTS.items())
def test_named_parts(name, expected):
    _, _, _, parts = furniture_mesh(name, catalog.entry(name).median_size)
    assert expected <= set(parts)


def test_room_mesh_faces_point_into_the_room():
    room = Room(
        [(0, 0), (4, 0), (4, -3), (2, -3), (2, -5), (0, -5)],
        openings=[
            Opening("door", "wall_0", 1.0, 0.9),
            Opening("window", "wall_1", 1.5, 1.0, 1.2, 0.9),
        ],
    )
    m = room_mesh(room)
    n = m.face_normals
    centres = m.vertices[m.faces].mean(1)
    floor = np.abs(centres[:, 1]) < 1e-6
    assert np.allclose(n[floor], [0, 1, 0], atol=1e-6)
    tri = m.vertices[m.faces[floor]].astype(np.float64)
    area = np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum() / 2
    assert area == pytest.approx(room.area, rel=1e-5)
    walls = ~floor
    for w in room.walls:
        on = walls & (np.abs(w.distance_to(centres[:, [0, 2]])) < 1e-4)
        assert on.any()
        assert np.allclose(n[on][:, [0, 2]], w.normal, atol=1e-5)
    assert np.all(m.instance == -1)


def test_scene_layers_follow_the_convention():
    scene = sample_room("living_room", seed=2)
    objs = scene.layers["objects"]
    assert set(np.unique(objs.instance)) == {o.id for o in scene.objects}
    assert all(o.geometry == "objects" for o in scene.objects)
    assert np.all(scene.layers["room"].instance == -1)
    for o in scene.objects:
        faces = objs.faces[objs.instance == o.id]
        pts = objs.vertices[faces.ravel()]
        assert o.box.contains(pts, tol=1e-3).all(), o.name
        assert {"category", "material", "color"} <= set(o.attrs)


@pytest.mark.parametrize(
    "size, material, match",
    [
        ((1.0, 1.0), None, "size"),
        ("big", None, "size"),
        ((np.nan, 1.0, 1.0), None, "finite"),
        ((1.0, np.inf, 1.0), None, "finite"),
        ((0.0, 1.0, 1.0), None, "> 0"),
        ((1.0, 1.0, 1.0), "unobtainium", "material"),
        ((1.0, 1.0, 1.0), ["oak"], "material"),
    ],
)
def test_furniture_mesh_refuses_bad_sizes_and_materials(size, material, match):
    with pytest.raises(InputError, match=match):
        furniture_mesh("bed", size, material)
