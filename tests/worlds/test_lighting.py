"""Lighting: Lambert shading, contact darkening, sun through windows, per-image variation."""

from __future__ import annotations

import numpy as np
import pytest

import worldnb
from worldnb import Camera, Room, Scene
from worldnb.errors import InputError
from worldnb.scene import Opening
from worldnb.worlds import room_mesh, sample_room
from worldnb.worlds.dataset import room_cameras
from worldnb.worlds.lighting import (
    LIGHTING_STYLES,
    SURFACE_LABELS,
    Lighting,
    render_room,
    sample_lighting,
    shade,
    surface_map,
)


def _box_room(openings=()):
    room = Room.rectangle(4.0, 4.0, 2.5, openings=openings)
    scene = Scene(room=room)
    scene.layers["room"] = room_mesh(room, floor=(0.5, 0.5, 0.5), wall=(0.5, 0.5, 0.5),
                                     ceiling=True)  # fmt: skip
    return scene


def _down_camera(size=64):
    return Camera.look_at(eye=(0, 2.4, 1e-3), target=(0, 0, 0), width=size, height=size,
                          fov_y_deg=90)  # fmt: skip


def _maps(scene, cam):
    out = worldnb.render(scene, cam)
    return out, cam.unproject(np.where(np.isfinite(out.depth), out.depth, 1.0))


def test_lamp_light_follows_lambert_and_distance():
    scene, cam = _box_room(), _down_camera()
    out, P = _maps(scene, cam)
    lamp = (0.3, 2.0, -0.2)
    L = Lighting(ambient=0.0, sky=0.0, lamps=[lamp], lamp_strength=1.0, ao=0.0)
    rgb = shade(out.rgb, out.depth, out.normals, out.instance, cam, scene, L)
    floor = surface_map(out.depth, out.normals, out.instance, cam, scene.room) == 1
    V = np.asarray(lamp) - (P + out.normals * 0.01)
    r2 = (V * V).sum(-1)
    expected = V[..., 1] / np.sqrt(r2) / (r2 + 0.3)  # cos / (r² + 0.3) on the floor
    got = rgb[..., 0]
    m = floor & (got < 0.75)  # below the tone curve's shoulder: linear
    assert m.sum() > 500
    ratio = got[m] / expected[m]
    assert ratio.std() / ratio.mean() < 0.01


def test_contact_darkening_near_walls_and_furniture():
    scene, cam = _box_room(), _down_camera(96)
    scene.add_object("wardrobe", worldnb.OrientedBox((0.9, 1.0, 0.9), (0.8, 2.0, 0.6)))
    scene.layers["objects"] = worldnb.Mesh(
        np.zeros((0, 3)), np.zeros((0, 3), np.int32), instance=np.zeros(0, np.int32)
    )
    out, P = _maps(scene, cam)
    L = Lighting(ambient=1.0, sky=0.0, ao=1.0)
    rgb = shade(out.rgb, out.depth, out.normals, out.instance, cam, scene, L)[..., 0]
    floor = surface_map(out.depth, out.normals, out.instance, cam, scene.room) == 1
    r = np.abs(P[..., [0, 2]]).max(-1)
    middle = floor & (r < 0.3)
    by_wall = floor & (r > 1.9)
    near_box = floor & (np.abs(P[..., 0] - 0.9) < 0.3) & (np.abs(P[..., 2] - 0.48) < 0.08)
    assert middle.sum() and by_wall.sum() and near_box.sum()
    assert rgb[by_wall].mean() < 0.85 * rgb[middle].mean()
    assert rgb[near_box].mean() < 0.9 * rgb[middle].mean()


def test_sunlight_falls_where_rays_leave_through_the_window():
    win = Opening("window", "wall_0", 2.0, 1.2, 1.0, 0.9)
    scene = _box_room([win])
    cam = _down_camera(96)
    out, P = _maps(scene, cam)
    w = scene.room.wall("wall_0")
    nw = np.array([w.normal[0], 0.0, w.normal[1]])
    sun = -np.array([0.0, 1.0, 0.0]) * 0.6 + nw * 0.8
    sun /= np.linalg.norm(sun)
    L = Lighting(ambient=0.2, sky=0.0, sun=tuple(sun), sun_strength=2.0, ao=0.0)
    surf = surface_map(out.depth, out.normals, out.instance, cam, scene.room)
    rgb = shade(out.rgb, out.depth, out.normals, out.instance, cam, scene, L, surf)[..., 0]
    floor = surf == 1
    # where does the ray back towards the sun cross the window's wall?
    a = np.array([w.start[0], 0.0, w.start[1]])
    t = ((P - a) @ nw) / (sun @ nw)
    X = P - t[..., None] * sun
    along = (X[..., [0, 2]] - a[[0, 2]]) @ w.direction
    inside = (np.abs(along - 2.0) < 0.6 - 0.05) & (X[..., 1] > 0.95) & (X[..., 1] < 1.85)
    outside = (np.abs(along - 2.0) > 0.6 + 0.05) | (X[..., 1] < 0.85) | (X[..., 1] > 1.95)
    assert (floor & inside).sum() > 20
    assert rgb[floor & inside].min() > 1.5 * rgb[floor & outside].max()


def test_surface_map_finds_floor_walls_ceiling_door_and_window():
    scene = sample_room("bedroom", seed=1, textures=False)
    cams = room_cameras(scene, 4, 48, np.random.default_rng(0))
    shot = render_room(scene, cams, seed=0)
    seen = set(np.unique(shot.surface))
    assert {1, 2, 6} <= seen and seen <= set(range(len(SURFACE_LABELS)))
    for i, cam in enumerate(cams):
        P = cam.unproject(np.where(np.isfinite(shot.maps.depth[i]), shot.maps.depth[i], 1.0))
        assert np.allclose(P[shot.surface[i] == 1][:, 1], 0.0, atol=0.012)
        assert np.all((shot.surface[i] == 6) == (shot.maps.instance[i] >= 0))


def test_render_room_albedo_is_the_lighting_free_render_and_light_varies():
    scene = sample_room("living_room", seed=3)
    cams = room_cameras(scene, 2, 40, np.random.default_rng(1))
    a = render_room(scene, cams, seed=0)
    b = render_room(scene, cams, seed=0)
    assert np.array_equal(a.rgb, b.rgb)  # deterministic per seed
    # the albedo is exactly what the renderer draws without light
    shown = scene.copy()
    from worldnb.catalog.meshes import ceiling_mesh

    shown.layers["ceiling"] = ceiling_mesh(scene.room)
    assert np.array_equal(a.albedo, worldnb.render(shown, cams).rgb)
    styles = set()
    for seed in range(6):
        c = render_room(scene, cams, seed=seed)
        assert np.array_equal(c.albedo, a.albedo)
        assert np.array_equal(c.maps.depth, a.maps.depth)
        styles.add(c.lighting[0].style)
        if seed:
            assert not np.allclose(c.rgb, a.rgb, atol=0.02)
        # one light setting per room; white balance and exposure per photo
        assert c.lighting[0].style == c.lighting[1].style
        assert c.lighting[0].white_balance != c.lighting[1].white_balance
    assert len(styles) >= 2


def test_every_style_lights_a_room_and_bad_styles_are_refused():
    scene = sample_room("office", seed=2)
    cams = room_cameras(scene, 1, 32, np.random.default_rng(0))
    means = {}
    for style in LIGHTING_STYLES:
        shot = render_room(scene, cams, lighting=style, seed=1)
        assert shot.lighting[0].style == style
        assert 0.05 < shot.rgb.mean() < 0.95
        means[style] = shot.rgb.mean((0, 1, 2))
    # evening light is warm
    assert means["evening"][0] > means["evening"][2]
    with pytest.raises(InputError, match="lighting"):
        render_room(scene, cams, lighting="disco")
    with pytest.raises(InputError, match="styles"):
        render_room(scene, cams, styles=("noon",))
    with pytest.raises(InputError, match="style"):
        sample_lighting(scene, np.random.default_rng(0), "disco")
    with pytest.raises(InputError, match="lighting"):
        render_room(scene, cams, lighting=3)
    with pytest.raises(InputError, match="scene"):
        render_room("room", cams)
    for seed in ("1", -1, 1.5):
        with pytest.raises(InputError, match="seed"):
            render_room(scene, cams, seed=seed)
    with pytest.raises(InputError, match="rng"):
        sample_lighting(scene, 3)
    with pytest.raises(InputError, match="scene"):
        sample_lighting(None, np.random.default_rng(0))
    out = worldnb.render(scene, cams[0])
    with pytest.raises(InputError, match="albedo"):
        shade(out.rgb[:8], out.depth, out.normals, out.instance, cams[0], scene, Lighting())
    with pytest.raises(InputError, match="lighting"):
        shade(out.rgb, out.depth, out.normals, out.instance, cams[0], scene, "day")
