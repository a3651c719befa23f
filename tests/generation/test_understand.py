"""worldnb.understand: synthetic rooms with known answers, rendered and segmented by
the oracles (plus a perturbed depth), and the bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import worldnb
from worldnb import Camera, OrientedBox, Room, Scene, catalog
from worldnb.errors import InputError
from worldnb.generation import GenerationConfig, Segmentation, box_iou, generate, understand_scene
from worldnb.generation.understanding import TYPICAL_SIDE, apply_rigid
from worldnb.testing import OracleDepth, OracleSegmenter, PerturbedDepth

W, H = 112, 84


def _room(*boxes) -> Scene:
    scene = Scene(room=Room.rectangle(5, 5, 2.5))
    for label, box in boxes:
        scene.add_object(label, box)
    scene.layers["room"] = catalog.room_mesh(scene.room, ceiling=True)
    return scene


def _cam(eye=(0.4, 1.6, 2.2), target=(0, 0.3, -0.6)):
    return Camera.look_at(eye, target, fov_y_deg=60, width=W, height=H)


def _understand(true: Scene, cam: Camera, depth=None, **kw) -> Scene:
    rgb = worldnb.render(true, cam).rgb
    return worldnb.understand(
        rgb, depth=depth or OracleDepth(true, cam), segment=OracleSegmenter(true, cam), **kw
    )


def _to_true(est: Scene, cam: Camera):
    """The rigid motion from the estimate's frame to the true one (one image cannot know
    where the world's origin was), as (R, t, yaw offset)."""
    T = cam.T_world_camera.astype(np.float64) @ np.linalg.inv(
        est.cameras["input"].T_world_camera.astype(np.float64)
    )
    return T, math.atan2(T[0, 2], T[0, 0])


def _in_true_frame(box: OrientedBox, T, dyaw) -> OrientedBox:
    return OrientedBox(T[:3, :3] @ box.center + T[:3, 3], box.size, box.yaw + dyaw)


def _yaw_close(a: float, b: float, period: float = math.pi / 2) -> float:
    d = (a - b) % period
    return min(d, period - d)


def test_a_box_on_the_floor_at_a_known_yaw_comes_back_exactly():
    truth = OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)
    true = _room(("crate", truth))  # not in the catalog: the fit alone, no completion
    cam = _cam()
    est = _understand(true, cam)
    assert est.meta["understand"]["room"] == "found"
    (obj,) = est.objects
    assert obj.label == "crate" and obj.attrs["source"] == "image"
    T, dyaw = _to_true(est, cam)
    got = _in_true_frame(obj.box, T, dyaw)
    assert np.allclose(got.center, truth.center, atol=0.04)
    sizes = sorted([got.size[0], got.size[2]])
    assert np.allclose(sizes, [0.6, 1.0], atol=0.05) and abs(got.size[1] - 0.8) < 0.03
    assert _yaw_close(got.yaw, truth.yaw) < math.radians(3)
    assert box_iou(got, truth) > 0.85
    # the floor is at y = 0 and the camera stands at its true height above it
    assert abs(est.cameras["input"].position[1] - 1.6) < 0.02
    # the walls run along x and z in the understood frame
    xz = est.room.floor_xz
    assert np.all(np.isclose(xz[:, 0], xz[:, 0].min()) | np.isclose(xz[:, 0], xz[:, 0].max()))


def test_points_carry_the_object_ids_so_render_draws_no_boxes_over_them():
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam()
    est = _understand(true, cam)
    ids = {o.id for o in est.objects}
    inst = est.layers["points"].instance
    assert set(np.unique(inst)) <= ids | {-1}
    assert ids <= set(np.unique(inst))
    # a render of the understood scene shows the lifted points, not a box in front
    out = worldnb.render(est, est.cameras["input"], layers=["points"])
    drawn = set(np.unique(out.instance)) - {-1}
    assert drawn <= ids


def test_a_floor_tilted_by_5_degrees_is_levelled():
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam()
    rgb = worldnb.render(true, cam).rgb
    seg = OracleSegmenter(true, cam)
    gen = generate(rgb, GenerationConfig(n_views=0, understand=False), depth=OracleDepth(true, cam),
                   progress=False)  # fmt: skip
    a = math.radians(5)
    tilt = np.eye(4)
    tilt[:3, :3] = [[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]]
    apply_rigid(gen, tilt)
    est = understand_scene(gen, seg(rgb))
    assert abs(est.meta["understand"]["tilt_deg"] - 5.0) < 0.5
    fl = est.layers["points"].xyz
    up = est.cameras["input"].T_world_camera[:3, :3] @ np.array([0.0, -1.0, 0.0])
    assert abs(est.cameras["input"].position[1] - 1.6) < 0.03
    # the image's floor pixels lie at y = 0 again (points whose true y was 0)
    ys = fl[:, 1]
    assert np.sum(np.abs(ys) < 0.02) > 0.2 * len(ys)
    assert up[1] > 0.5  # the camera's up still points up


def test_an_occluded_bed_is_completed_toward_the_catalog_size():
    typical = catalog.entry("bed").median_size  # width, height, depth
    bed = OrientedBox((0.0, typical[1] / 2, -1.2), typical, yaw=0.0)
    screen = OrientedBox((0.0, 0.6, 0.6), (2.6, 1.2, 0.1))  # hides the bed's lower part
    true = _room(("bed", bed), ("crate", screen))
    cam = _cam(eye=(0.0, 1.5, 2.2), target=(0.0, 0.3, -1.2))
    est = _understand(true, cam, min_confidence=0.0)
    T, dyaw = _to_true(est, cam)
    (got,) = [o for o in est.objects if o.label == "bed"]
    assert got.attrs["cut_off"] and got.attrs["visible_fraction"] < 0.9
    box = _in_true_frame(got.box, T, dyaw)
    assert box.bottom == pytest.approx(0.0, abs=0.02)  # a bed stands on the floor
    assert np.allclose(box.size, typical, rtol=0.15)
    assert box_iou(box, bed) > 0.6


def test_a_plant_standing_on_a_crate_keeps_its_size_and_height():
    # a small potted plant labelled "plant" (the catalog's plant stands on the floor,
    # at least 35 cm wide): its foot is seen on the crate, so it is not pulled down to
    # the floor nor grown to the floor plant's smallest size
    plant = OrientedBox((0.0, 1.1, -0.6), (0.2, 0.2, 0.2))
    true = _room(("crate", OrientedBox((0.0, 0.5, -0.6), (0.8, 1.0, 0.5))), ("plant", plant))
    cam = _cam(eye=(0.3, 1.6, 1.6), target=(0.0, 0.9, -0.6))
    est = _understand(true, cam, min_confidence=0.0)
    T, dyaw = _to_true(est, cam)
    (got,) = [o for o in est.objects if o.label == "plant"]
    box = _in_true_frame(got.box, T, dyaw)
    assert box.bottom == pytest.approx(1.0, abs=0.05)
    assert max(box.size) < 0.26
    assert box_iou(box, plant) > 0.5


def test_room_kinds_follow_the_objects_found():
    from worldnb.generation.understanding import TYPICAL_AREA, _room_kinds, _typical_area

    def scene(*labels, conf=1.0):
        return [
            worldnb.SceneObject(
                i + 1, lab, OrientedBox((0, 0.5, 0), (1, 1, 1)), attrs={"confidence": conf}
            )
            for i, lab in enumerate(labels)
        ]

    bed = _room_kinds(scene("bed", "nightstand", "plant"))
    assert max(bed, key=bed.get) == "bedroom" and bed["bedroom"] > 0.95
    # a dining table and chairs stand in dining rooms and kitchens alike
    dine = _room_kinds(scene("dining table", "chair"))
    assert dine["dining_room"] == pytest.approx(dine["kitchen"]) and dine["office"] < 0.01
    assert _typical_area(dine) == pytest.approx(
        math.sqrt(TYPICAL_AREA["dining_room"] * TYPICAL_AREA["kitchen"]), rel=0.02
    )
    # clutter and unknown labels say nothing; a doubtful object says less
    assert _room_kinds(scene("cup", "crate")) == {}
    assert _typical_area({}) == TYPICAL_SIDE**2
    assert _room_kinds(scene("sofa", conf=0.3))["living_room"] < bed["bedroom"]


@pytest.mark.parametrize(
    ("lx", "lz", "x_known", "z_known", "expect"),
    [
        (3.0, 2.0, True, True, (3.0, 2.0)),  # both axes seen wall to wall: as seen
        (5.0, 2.0, True, False, (5.0, 3.2)),  # one seen: the other makes up the area
        (5.0, 3.5, True, False, (5.0, 3.5)),  # ... but never less than what was seen
        (1.5, 1.0, True, False, (1.5, 8.0)),  # ... nor more than twice the typical side
        (2.0, 3.0, False, False, (4.0, 4.0)),  # none: the typical square
        (6.0, 2.0, False, False, (6.0, 16 / 6)),  # one seen longer: the other shorter
        (2.0, 6.0, False, False, (16 / 6, 6.0)),
    ],
)
def test_side_lengths_give_the_typical_area_unless_more_was_seen(lx, lz, x_known, z_known, expect):
    from worldnb.generation.understanding import _side_lengths

    assert _side_lengths(lx, lz, x_known, z_known, 16.0) == pytest.approx(expect)


def test_perturbed_depth_scale_and_noise_still_give_the_room_and_objects():
    truth = OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)
    true = _room(("crate", truth))
    cam = _cam()
    est = _understand(true, cam, depth=PerturbedDepth(OracleDepth(true, cam), 0.9, 0.01, seed=1))
    assert est.meta["understand"]["room"] == "found"
    assert abs(est.meta["understand"]["tilt_deg"]) < 3
    (obj,) = est.objects
    # everything is 10 % smaller, nothing worse
    assert abs(obj.box.size[1] - 0.72) < 0.06
    assert sorted([obj.box.size[0], obj.box.size[2]]) == pytest.approx([0.54, 0.9], abs=0.08)
    assert est.cameras["input"].position[1] == pytest.approx(1.44, abs=0.05)


def test_no_floor_in_view_says_the_room_was_not_found_and_keeps_the_objects():
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam()
    rgb = worldnb.render(true, cam).rgb
    seg = OracleSegmenter(true, cam)(rgb)
    sem = np.where(seg.semantic == seg.labels.index("floor"), 0, seg.semantic)
    blind = Segmentation(sem, seg.instance, seg.labels, seg.scores)
    gen = generate(rgb, GenerationConfig(n_views=0, understand=False), depth=OracleDepth(true, cam),
                   progress=False)  # fmt: skip
    est = understand_scene(gen, blind)
    assert est.room is None
    assert est.meta["understand"]["room"].startswith("the room could not be found")
    assert [o.label for o in est.objects] == ["crate"]


def test_generate_understands_when_a_segmenter_is_given_and_config_allows():
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam()
    rgb = worldnb.render(true, cam).rgb
    kw = dict(depth=OracleDepth(true, cam), segment=OracleSegmenter(true, cam), progress=False)
    on = generate(rgb, GenerationConfig(n_views=0), **kw)
    off = generate(rgb, GenerationConfig(n_views=0, understand=False), **kw)
    assert [o.label for o in on.objects] == ["crate"] and on.room is not None
    assert not off.objects and off.room is None
    assert off.meta["segments"]["labels"][:3] == ["none", "floor", "wall"]
    # understanding a generated scene reuses its segments (no segmenter needed)
    again = worldnb.understand(off, segment=None)
    assert [o.label for o in again.objects] == ["crate"]
    assert "understand" not in off.meta  # the input scene is left as it was


def test_an_image_without_a_segmenter_gives_the_room_alone():
    # found by tests/robustness: segment=None skipped understanding altogether (no
    # meta["understand"], no room), though the docstring promises "the room only"
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam()
    est = worldnb.understand(worldnb.render(true, cam).rgb, depth=OracleDepth(true, cam),
                             segment=None)  # fmt: skip
    assert "understand" in est.meta and not est.objects
    assert est.room is not None and est.meta["understand"]["room"] == "found"


def test_plain_instance_ids_give_unlabelled_objects():
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam()
    rgb = worldnb.render(true, cam).rgb
    ids = worldnb.render(true, cam).instance  # −1 for the room, the id for the crate
    est = worldnb.understand(rgb, depth=OracleDepth(true, cam), segment=lambda rgb: ids)
    assert [o.label for o in est.objects] == ["object"]
    assert est.meta["understand"]["room"] == "found"


@pytest.mark.parametrize("bad", [1.5, -0.1, True, "0.3", None])
def test_min_confidence_is_checked(bad):
    with pytest.raises(InputError, match="min_confidence"):
        worldnb.understand(np.zeros((8, 8, 3), np.float32), min_confidence=bad)


def test_the_builtin_segmenter_is_the_default():
    out = worldnb.understand(
        np.full((16, 16, 3), 0.5, np.float32), depth=lambda rgb: rgb[..., 0] + 1
    )
    assert isinstance(out, Scene) and out.meta["backends"]["segment"] == "builtin:segment"


def test_a_scene_without_an_input_view_is_refused():
    with pytest.raises(InputError, match="input view"):
        worldnb.understand(Scene(room=Room.rectangle(3, 3)))
    with pytest.raises(InputError, match="min_confidence"):
        worldnb.understand(Scene(), min_confidence=2)


def test_a_window_in_view_becomes_an_opening_of_the_right_size():
    from worldnb import Opening

    room = Room.rectangle(5, 5, 2.5, [Opening("window", "wall_2", 2.5, 1.2, 1.0, 0.9)])
    true = Scene(room=room)
    true.add_object("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5))
    true.layers["room"] = catalog.room_mesh(room, ceiling=True)
    cam = _cam(eye=(0.0, 1.5, 2.0), target=(0.0, 1.0, -2.5))
    est = _understand(true, cam)
    (win,) = est.room.windows
    assert win.width == pytest.approx(1.2, abs=0.1)
    assert win.sill == pytest.approx(0.9, abs=0.08) and win.height == pytest.approx(1.0, abs=0.1)


def test_rays_through_an_opening_meet_the_wall_behind_it():
    from worldnb.generation.understanding import _ray_wall_hits

    room = Room.rectangle(4, 4, 2.5)
    dirs = np.array([[1.0, 0.0, 0.0], [0.0, 0.2, -1.0], [0.0, 1.0, 0.0]])
    hits = _ray_wall_hits(dirs, np.array([0.0, 1.0, 0.0]), room)
    assert np.allclose(hits[0], (2.0, 1.0, 0.0)) and np.allclose(hits[1], (0.0, 1.4, -2.0))
    assert np.isnan(hits[2]).all()  # straight up meets no wall


def test_without_floor_pixels_the_pieces_standing_on_it_give_the_floor():
    bed = OrientedBox((0.0, 0.3, -0.8), (1.6, 0.6, 2.0), yaw=0.4)
    stand = OrientedBox((1.5, 0.3, -1.2), (0.5, 0.6, 0.45))
    true = _room(("bed", bed), ("nightstand", stand))
    cam = _cam(eye=(0.3, 1.5, 1.9), target=(0.3, 0.4, -0.8))
    rgb = worldnb.render(true, cam).rgb
    seg = OracleSegmenter(true, cam)(rgb)
    sem = np.where(seg.semantic == seg.labels.index("floor"), 0, seg.semantic)
    gen = generate(rgb, GenerationConfig(n_views=0, understand=False), depth=OracleDepth(true, cam),
                   progress=False)  # fmt: skip
    a = math.radians(4)  # and a wrong guess of gravity to fix
    tilt = np.eye(4)
    tilt[:3, :3] = [[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]]
    apply_rigid(gen, tilt)
    est = understand_scene(gen, Segmentation(sem, seg.instance, seg.labels, seg.scores))
    assert est.meta["understand"]["floor_from"] == "objects standing on it"
    assert est.room is not None and abs(est.meta["understand"]["tilt_deg"] - 4) < 0.5
    assert est.cameras["input"].position[1] == pytest.approx(1.5, abs=0.03)


def _floor_in_true_frame(est: Scene, cam: Camera):
    import shapely

    T, _ = _to_true(est, cam)
    xz = est.room.floor_xz.astype(np.float64)
    p = np.c_[xz[:, 0], np.zeros(len(xz)), xz[:, 1]] @ T[:3, :3].T + T[:3, 3]
    return shapely.Polygon(p[:, [0, 2]])


def test_a_camera_pitched_down_past_35_degrees_still_finds_the_floor():
    # generate takes such a camera as level (its floor search stops at 35°): the floor
    # pixels must still give the floor, not the top of the desk or no room at all
    true = _room(("crate", OrientedBox((0.2, 0.4, -0.6), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam(eye=(0.2, 1.5, 0.6), target=(0.2, 0.0, -0.5))  # 54° down
    est = _understand(true, cam)
    u = est.meta["understand"]
    assert u["floor_from"] == "floor pixels" and u["tilt_deg"] > 40
    assert est.cameras["input"].position[1] == pytest.approx(1.5, abs=0.03)
    (obj,) = est.objects
    T, dyaw = _to_true(est, cam)
    assert box_iou(_in_true_frame(obj.box, T, dyaw), true.objects[0].box) > 0.7


def test_unseen_sides_are_closed_at_a_typical_room_length():
    # a 5 × 5 m room seen from its middle: the far walls are seen, the side behind the
    # camera is not; the floor polygon still holds what was seen and the camera
    true = _room(("crate", OrientedBox((0.2, 0.4, -1.2), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam(eye=(0.3, 1.6, 0.5), target=(0.0, 0.3, -1.5))
    est = _understand(true, cam)
    u = est.meta["understand"]
    poly = _floor_in_true_frame(est, cam)
    import shapely

    assert poly.contains(shapely.Point(cam.position[[0, 2]]))
    closed = u["closed"]
    assert closed and all(v > 0 for v in closed.values())
    assert all(u["sides"][k] == "floor extent" for k in closed)
    # a crate says nothing of the room's kind: it has the typical area of any room,
    # its unseen side grown to make it up
    assert u["kind"] is None and u["typical_area"] == TYPICAL_SIDE**2
    assert est.room.area == pytest.approx(TYPICAL_SIDE**2, rel=1e-3)
    # the walls that were seen stay where they are: the estimate lies inside the room
    # on those sides, and covers most of the floor in view
    assert poly.intersection(true.room.polygon).area / poly.area > 0.85


@pytest.mark.parametrize(
    ("lo_wall", "hi_wall", "behind", "expect"),
    [
        (True, True, 0.0, (-1.0, 1.0)),  # both walls seen: as seen
        (True, False, 0.0, (-1.0, 3.0)),  # one seen: grown on the other side
        (False, True, 0.0, (-3.0, 1.0)),
        (False, False, 1.0, (-1.0, 3.0)),  # neither: behind the camera (+ side here)
        (False, False, -1.0, (-3.0, 1.0)),
        (False, False, 0.0, (-2.0, 2.0)),  # the view across the axis: both ways
    ],
)
def test_closing_an_axis(lo_wall, hi_wall, behind, expect):
    from worldnb.generation.understanding import _close_axis

    assert TYPICAL_SIDE == 4.0
    lo, hi = _close_axis(-1.0, 1.0, lo_wall, hi_wall, behind, {}, ("-x", "+x"))
    assert (lo, hi) == pytest.approx(expect)
    # a room seen longer than typical keeps what was seen
    assert _close_axis(-3.0, 3.0, False, False, 0.0, {}, ("-x", "+x")) == (-3.0, 3.0)


def _l_room() -> Scene:
    # 6 × 5 m with the (+x, −z) corner, 2.2 × 2 m, cut out (worlds.sample_shell's shape)
    floor = [(-3, 2.5), (3, 2.5), (3, -0.5), (0.8, -0.5), (0.8, -2.5), (-3, -2.5)]
    scene = Scene(room=Room(floor, 2.6))
    scene.add_object("crate", OrientedBox((-1.0, 0.4, -1.2), (1.0, 0.8, 0.6), yaw=0.2))
    scene.layers["room"] = catalog.room_mesh(scene.room, ceiling=True)
    return scene


def test_an_l_shaped_room_seen_at_its_inner_corner_keeps_its_recess():
    import shapely

    true = _l_room()
    cam = Camera.look_at((-1.5, 1.6, 2.0), (1.5, 0.5, -1.5), fov_y_deg=70, width=W, height=H)
    est = _understand(true, cam)
    u = est.meta["understand"]
    assert u["room"] == "found" and "recess" in u.get("shape", "")
    assert len(est.room.floor_xz) == 6 and est.room.polygon.is_valid
    poly = _floor_in_true_frame(est, cam)
    recess = shapely.box(0.8, -2.5, 3.0, -0.5)
    # the recess is (mostly) outside the estimate, the room around it inside
    assert poly.intersection(recess).area < 0.15 * recess.area
    # over the floor in view (the frustum's footprint), the estimate is the true floor
    g = np.stack(np.meshgrid(np.linspace(-4, 4, 81), np.linspace(-3.5, 3.5, 71)), -1)
    g = g.reshape(-1, 2)
    uv, z = cam.project(np.c_[g[:, 0], np.zeros(len(g)), g[:, 1]])
    inview = (z > 0.05) & (uv[:, 0] >= 0) & (uv[:, 0] < W) & (uv[:, 1] >= 0) & (uv[:, 1] < H)
    a = shapely.contains_xy(poly, *g[inview].T)
    b = shapely.contains_xy(true.room.polygon, *g[inview].T)
    assert (a & b).sum() / (a | b).sum() > 0.85


def test_an_l_shaped_room_seen_from_its_long_arm_gives_a_room_around_what_was_seen():
    import shapely

    true = _l_room()
    cam = Camera.look_at((-2.0, 1.5, 1.8), (-2.0, 0.6, -2.5), fov_y_deg=60, width=W, height=H)
    est = _understand(true, cam)
    assert est.meta["understand"]["room"] == "found" and est.room.polygon.is_valid
    poly = _floor_in_true_frame(est, cam)
    assert poly.contains(shapely.Point(cam.position[[0, 2]]))
    assert [o.label for o in est.objects] == ["crate"]


def test_apply_rigid_turns_gaussians_with_their_covariances():
    from worldnb.scene import Gaussians
    from worldnb.transforms import gaussian_covariances, quat_to_matrix

    rng = np.random.default_rng(0)
    q = rng.normal(size=(5, 4)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    means, scales = rng.normal(size=(2, 5, 3)).astype(np.float32)
    g = Gaussians(means, 0.3 * scales, q, np.zeros(5, np.float32), np.full((5, 3), 0.5, np.float32))
    s = Scene(layers={"g": g})
    before = gaussian_covariances(g.quats, g.scales)
    T = np.eye(4)
    T[:3, :3] = quat_to_matrix(np.array([0.9, 0.1, -0.3, 0.2]))
    T[:3, 3] = (0.5, -1.0, 2.0)
    means = g.means @ T[:3, :3].T + T[:3, 3]
    apply_rigid(s, T)
    after = gaussian_covariances(s.layers["g"].quats, s.layers["g"].scales)
    assert np.allclose(s.layers["g"].means, means, atol=1e-5)
    assert np.allclose(after, T[:3, :3] @ before @ T[:3, :3].T, atol=1e-5)
    assert np.allclose(np.linalg.norm(s.layers["g"].quats, axis=1), 1, atol=1e-6)


def test_a_sliver_of_floor_is_levelled_by_the_upright_walls():
    # the camera looks up at the far wall: the floor is a thin strip at the bottom, and
    # with noisy depth its plane alone tilts the room; the walls stand upright
    true = _room(("crate", OrientedBox((0.2, 0.4, -1.9), (1.0, 0.8, 0.6), yaw=0.5)))
    cam = _cam(eye=(0.6, 1.5, 1.5), target=(-0.4, 2.0, -2.5))
    noisy = PerturbedDepth(OracleDepth(true, cam), 1.0, 0.02, seed=3)
    est = _understand(true, cam, depth=noisy)
    u = est.meta["understand"]
    assert u["room"] == "found" and u.get("levelled_by_walls_deg", 0) > 0.2
    T, _ = _to_true(est, cam)
    up = T[:3, :3] @ np.array([0.0, 1.0, 0.0])
    assert math.degrees(math.acos(min(1.0, up[1]))) < 1.5  # 2.6° from the floor alone
    assert est.cameras["input"].position[1] == pytest.approx(1.5, abs=0.1)  # 1.33 alone
