"""Procedural materials: patterns, the texture atlas, per-object variation, textured rooms."""

from __future__ import annotations

import numpy as np
import pytest

import worldnb
from worldnb import Camera, Mesh
from worldnb.catalog.materials import (
    FLOOR_PATTERNS,
    MATERIAL_PATTERNS,
    Surface,
    bake_atlas,
    material_surface,
)
from worldnb.catalog.meshes import MATERIALS, _build, _part_surfaces
from worldnb.catalog.textures import PATTERNS, pattern
from worldnb.errors import InputError
from worldnb.worlds import STYLES, add_meshes, sample_room


@pytest.mark.parametrize("kind", sorted(PATTERNS))
def test_patterns_are_deterministic_textured_and_in_range(kind):
    s, t = np.meshgrid(np.arange(48) * 0.01, np.arange(40) * 0.01)
    a = pattern(kind, s, t, (0.6, 0.5, 0.4), seed=1, texel=0.01)
    b = pattern(kind, s, t, (0.6, 0.5, 0.4), seed=1, texel=0.01)
    c = pattern(kind, s, t, (0.6, 0.5, 0.4), seed=2, texel=0.01)
    assert a.shape == (40, 48, 3) and a.dtype == np.float32
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert 0 <= a.min() and a.max() <= 1
    lum = a.mean(-1)
    # a pattern, not a flat colour (paint and plaster are only faintly uneven)
    assert lum.std() > (0.001 if kind in ("plain", "plaster") else 0.005)
    # the base colour sets the mean (patterns modulate it, they do not replace it)
    assert abs(lum.mean() - 0.5) < 0.12


def test_unknown_pattern_is_refused():
    with pytest.raises(InputError, match="kind"):
        pattern("marble", [0.0], [0.0], (1, 1, 1))


def test_every_catalog_material_has_a_pattern():
    assert set(MATERIALS) <= set(MATERIAL_PATTERNS)
    assert set(MATERIAL_PATTERNS.values()) <= set(PATTERNS)
    assert set(FLOOR_PATTERNS.values()) <= set(PATTERNS)
    assert material_surface("oak", (0.7, 0.5, 0.3)).pattern == "wood"
    assert material_surface("oak", (0.7, 0.5, 0.3), floor=True).pattern == "parquet"
    assert material_surface("grey ceramic", (0.5, 0.5, 0.5), floor=True).pattern == "tiles"


@pytest.mark.parametrize("material, expected", [("oak", "wood"), ("grey fabric", "fabric")])
def test_the_material_attribute_picks_the_texture(material, expected):
    p, mat, col, _ = _build("bed", (1.6, 1.0, 2.1), material)
    looks = dict(zip(p.names, _part_surfaces(p, mat, col, np.random.default_rng(0)), strict=False))
    assert looks["headboard"].pattern == expected
    assert looks["mattress"].pattern == "fabric"  # bedding is cloth whatever the frame


def _quads():
    """Two unit-ish quads side by side on the floor, in two plain colours."""
    v = np.array([[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1],
                  [1.2, 0, 0], [2.4, 0, 0], [2.4, 0, 1], [1.2, 0, 1]], float)  # fmt: skip
    f = np.array([[0, 2, 1], [0, 3, 2], [4, 6, 5], [4, 7, 6]])
    return v, f


def test_atlas_maps_each_face_to_its_own_surface_at_metric_scale():
    v, f = _quads()
    looks = [Surface("plain", (0.9, 0.1, 0.1)), Surface("plain", (0.1, 0.2, 0.9))]
    a = bake_atlas(v, f, [0, 0, 1, 1], [0, 0, 1, 1], looks, texel=0.02)
    assert a.faces.shape == f.shape and len(a.uv) == len(a.vertex) == 8
    assert np.allclose(v[a.vertex][a.faces], v[f])  # same triangles, copied vertices
    H, W, _ = a.texture.shape
    # a chart spans its metric size in texels: 1 m / 2 cm = 50 texels for the first quad
    q0 = a.uv[a.faces[:2].ravel()]
    assert np.ptp(q0[:, 0]) * W == pytest.approx(50, abs=1e-3) or np.ptp(q0[:, 1]) * H == (
        pytest.approx(50, abs=1e-3)
    )
    mesh = Mesh(v[a.vertex], a.faces, uv=a.uv, texture=a.texture)
    cam = Camera.look_at(eye=(1.2, 3.0, 0.5 + 1e-3), target=(1.2, 0, 0.5), width=96, height=48,
                         fov_y_deg=40)  # fmt: skip
    out = worldnb.render(mesh, cam, background=(0, 0, 0))
    P = cam.unproject(np.where(np.isfinite(out.depth), out.depth, 1))
    red = np.isfinite(out.depth) & (P[..., 0] < 0.98)
    blue = np.isfinite(out.depth) & (P[..., 0] > 1.22)
    assert red.sum() > 100 and blue.sum() > 100
    assert np.allclose(out.rgb[red], (0.9, 0.1, 0.1), atol=0.03)
    assert np.allclose(out.rgb[blue], (0.1, 0.2, 0.9), atol=0.03)


def test_atlas_refuses_bad_surfaces():
    v, f = _quads()
    with pytest.raises(InputError, match="face_surface"):
        bake_atlas(v, f, [0, 0, 1, 1], [0, 0, 1, 2], [Surface("plain", (1, 1, 1))] * 2)
    with pytest.raises(InputError, match="unknown patterns"):
        bake_atlas(v, f, [0] * 4, [0] * 4, [Surface("marble", (1, 1, 1))])


def test_sample_room_is_textured_deterministic_and_varies_per_object():
    a = sample_room("dining_room", seed=2)
    # the same objects get the same textures (the planner's layout is tested elsewhere;
    # under heavy CPU load its time limit may change a room, so texture the same one twice)
    b, c = a.copy(), a.copy()
    kw = {"seed": 2, "floor": a.meta["floor_material"], "wall_pattern": "wallpaper"}
    add_meshes(b, textures=True, **kw)
    add_meshes(c, textures=True, **kw)
    for name in ("objects", "room"):
        assert a.layers[name].texture is not None and a.layers[name].uv is not None
        assert np.array_equal(b.layers[name].texture, c.layers[name].texture)
        assert np.array_equal(b.layers[name].uv, c.layers[name].uv)
    assert np.array_equal(a.layers["objects"].texture, b.layers["objects"].texture)
    assert a.meta["style"] in STYLES and a.meta["wall_pattern"] in ("plaster", "wallpaper")
    # chairs of one room share a material but each is a little different
    chairs = [o for o in a.objects if o.label == "chair"]
    assert len({o.attrs["material"] for o in chairs}) == 1
    objs = a.layers["objects"]
    means = []
    for o in chairs[:2]:
        uv = objs.uv[objs.faces[objs.instance == o.id].ravel()]
        H, W, _ = objs.texture.shape
        px = objs.texture[(uv[:, 1] * H).astype(int).clip(0, H - 1),
                          (uv[:, 0] * W).astype(int).clip(0, W - 1)]  # fmt: skip
        means.append(px.mean(0))
    assert not np.allclose(means[0], means[1], atol=1e-4)
    assert sample_room("office", seed=0, textures=False).layers["objects"].texture is None


def test_style_is_checked_and_changes_the_decor():
    with pytest.raises(InputError, match="style"):
        sample_room("bedroom", seed=0, style="baroque")
    modern = sample_room("living_room", seed=1, style="modern", textures=False)
    classic = sample_room("living_room", seed=1, style="classic", textures=False)
    assert modern.meta["style"] == "modern" and classic.meta["style"] == "classic"
    assert [o.attrs["material"] for o in modern.objects] != [
        o.attrs["material"] for o in classic.objects
    ]


def test_textures_leave_the_ground_truth_unchanged():
    """Materials change colours only: depth, normals and instance maps are the flat ones."""
    tex = sample_room("bedroom", seed=6)
    flat = add_meshes(tex.copy(), floor=tex.meta["floor_material"], textures=False)
    cam = Camera.look_at(eye=(0.3, 1.5, 0.2), target=tex.objects[0].box.center, width=64,
                         height=48)  # fmt: skip
    a, b = worldnb.render(tex, cam), worldnb.render(flat, cam)
    assert np.array_equal(a.depth, b.depth)
    assert np.array_equal(a.instance, b.instance)
    assert np.array_equal(a.normals, b.normals)
    assert not np.allclose(a.rgb, b.rgb)
