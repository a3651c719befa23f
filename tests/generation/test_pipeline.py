"""End to end: oracle backends on the true room, tiny real models, events, cancellation."""

import numpy as np
import pytest

import worldnb
from worldnb.errors import BackendError, CancelledError, InputError
from worldnb.generation import DepthPrediction, GenerationConfig
from worldnb.generation.evaluate import generated_to_true, hole_fraction, psnr, surface_distance
from worldnb.testing import OracleDepth, OracleInpaint


@pytest.fixture(scope="module")
def oracle_scene(room, room_camera, room_render):
    cfg = GenerationConfig(n_views=2, orbit_deg=15.0, seed=3)
    events = []
    scene = worldnb.generate(
        room_render.rgb,
        cfg,
        depth=OracleDepth(room, room_camera, device="cpu"),
        inpaint=OracleInpaint(room, room_camera, device="cpu"),
        device="cpu",
        progress=False,
        callback=events.append,
    )
    return scene, events


def test_scene_has_layers_cameras_images_meta(oracle_scene):
    scene, _ = oracle_scene
    assert set(scene.layers) == {"mesh", "gaussians", "points"}
    assert list(scene.cameras) == ["input", "view_01", "view_02"]
    for name in ("input", "depth", "view_01", "view_01_mask", "view_02", "view_02_mask"):
        assert name in scene.images
    meta = scene.meta
    assert meta["config"]["seed"] == 3 and meta["seeds"]["views"] == [4, 5]
    assert meta["backends"] == {
        "depth": "oracle-depth",
        "inpaint": "oracle-inpaint",
        "segment": "builtin:segment",
    }
    assert {"image", "depth", "lift", "expand", "refine", "scene"} <= set(meta["timings"])
    assert meta["depth"] == {
        "kind": "metric",
        "intrinsics": "model",
        "scale_rule": "metric",
        "floor_found": True,
    }
    assert [v["angle_deg"] for v in meta["views"]] == [
        15.0,
        -15.0,
    ]  # nearest first, left side first


def test_generated_geometry_matches_the_truth(oracle_scene, room, room_camera, room_render):
    scene, _ = oracle_scene
    T = generated_to_true(scene, room_camera)
    pts = scene.layers["points"].xyz @ T[:3, :3].T + T[:3, 3]
    assert np.median(surface_distance(pts, room, n=1500)) < 0.02
    # the floor was found: the generated frame has the floor at y = 0
    assert np.percentile(scene.layers["points"].xyz[:, 1], 1) == pytest.approx(0, abs=0.03)
    out = worldnb.render(scene, scene.cameras["input"], device="cpu")
    assert psnr(out.rgb, room_render.rgb) > 21  # 64² with 1-px tiles


def test_expansion_fills_the_holes(oracle_scene):
    scene, _ = oracle_scene
    for v in scene.meta["views"]:
        assert v["hole_fraction"] > 0.02 and v["new_pixels"] > 0  # there was work to do
        assert abs(v["align_scale"] - 1) < 1e-3 and abs(v["align_shift"]) < 1e-2
        out = worldnb.render(scene, scene.cameras[v["name"]], device="cpu")
        assert hole_fraction(out.alpha) < 0.02


def test_events_come_in_order(oracle_scene):
    _, events = oracle_scene
    ends = [e.stage for e in events if e.status == "end"]
    assert ends == ["image", "backends", "depth", "lift", "expand", "refine", "scene", "understand"]
    views = [e for e in events if e.status == "view"]
    assert [e.view.name for e in views] == ["view_01", "view_02"]
    assert views[0].view.rgb.shape == (64, 64, 3)
    assert events[-1].step == events[-1].total


def test_geometry_events_show_the_scene_growing(oracle_scene):
    scene, events = oracle_scene
    grew = [e for e in events if e.status == "geometry"]
    # the lifted photo first, then one per view that added surfaces, in order
    assert [e.message for e in grew] == ["input", "view_01", "view_02"]
    assert grew[0].stage == "lift" and grew[0].view is None
    assert [e.view.name for e in grew[1:]] == ["view_01", "view_02"]
    n = [len(e.layers["points"]) for e in grew]
    assert n[0] == 64 * 64 and n[0] < n[1] < n[2]
    # the last one is all of the scene's geometry (before refinement, and before
    # understanding levels the frame)
    for name in ("mesh", "points", "gaussians"):
        assert len(grew[-1].layers[name]) == len(scene.layers[name]), name


def test_same_seed_same_scene_with_real_tiny_models(tiny_dpt, tiny_sd, flat_image):
    rng = np.random.default_rng(5)
    image = rng.random((48, 64, 3)).astype(np.float32)
    cfg = GenerationConfig(n_views=1, steps=2, seed=11, depth_scale=1.0)
    kw = {"depth": str(tiny_dpt), "inpaint": str(tiny_sd), "device": "cpu", "progress": False}
    a = worldnb.generate(image, cfg, **kw)
    b = worldnb.generate(image, cfg, **kw)
    for name in a.layers:
        for key, arr in a.layers[name].arrays().items():
            assert np.array_equal(arr, b.layers[name].arrays()[key]), (name, key)
    assert np.array_equal(a.images["view_01"], b.images["view_01"])
    assert a.meta["backends"]["depth"] == str(tiny_dpt)
    assert a.meta["depth"]["kind"] == "disparity"


def test_cancel_from_callback_returns_nothing(flat_image):
    seen = []

    def cancel_at_lift(event):
        seen.append(event.stage)
        return event.stage != "lift"

    with pytest.raises(CancelledError, match="lift"):
        worldnb.generate(
            flat_image,
            GenerationConfig(n_views=0),
            depth=lambda rgb: np.full(rgb.shape[:2], 2.0),
            progress=False,
            callback=cancel_at_lift,
        )
    assert "scene" not in seen


def test_ctrl_c_becomes_cancelled(flat_image):
    def interrupted(rgb):
        raise KeyboardInterrupt

    with pytest.raises(CancelledError, match="interrupted"):
        worldnb.generate(flat_image, GenerationConfig(n_views=0), depth=interrupted, progress=False)


@pytest.mark.parametrize("which", ["depth", "segment", "inpaint"])
def test_a_backend_that_raises_is_a_backend_error_with_the_cause_chained(flat_image, which):
    # found by tests/robustness: a user's depth or segmenter callable that raised let
    # its RuntimeError escape generate / understand
    def broken(*args, **kw):
        raise RuntimeError("the model fell over")

    kw = {"depth": lambda rgb: np.full(rgb.shape[:2], 2.0, np.float32), which: broken}
    cfg = GenerationConfig(n_views=1 if which == "inpaint" else 0, steps=1)
    with pytest.raises(BackendError, match="raised RuntimeError: the model fell over") as err:
        worldnb.generate(flat_image, cfg, progress=False, **kw)
    assert isinstance(err.value.__cause__, RuntimeError)


def test_bad_backends_and_inputs(flat_image):
    cfg = GenerationConfig(n_views=0)
    with pytest.raises(BackendError, match="shape"):
        worldnb.generate(flat_image, cfg, depth=lambda rgb: np.ones((3, 3)), progress=False)
    with pytest.raises(BackendError, match="NaN"):
        worldnb.generate(
            flat_image, cfg, depth=lambda rgb: np.full(rgb.shape[:2], np.nan), progress=False
        )
    with pytest.raises(BackendError, match="no local copy"):
        worldnb.generate(
            flat_image,
            cfg.replace(n_views=1),
            depth=lambda rgb: np.ones(rgb.shape[:2]),
            inpaint="org/missing-model",
            progress=False,
        )
    with pytest.raises(InputError, match="config"):
        worldnb.generate(flat_image, {"n_views": 0}, depth=lambda rgb: np.ones((64, 64)))
    with pytest.raises(InputError, match="empty"):
        worldnb.generate(np.zeros((0, 3, 3)), cfg, depth=lambda rgb: rgb[..., 0])


def test_segments_alpha_mask_and_relative_depth(flat_image):
    rgba = np.concatenate([flat_image, np.ones((64, 64, 1), np.float32)], -1)
    rgba[:, :16, 3] = 0  # left quarter transparent: nothing is lifted there
    seg = np.zeros((64, 64), np.int32)
    seg[32:] = 7
    scene = worldnb.generate(
        rgba,
        GenerationConfig(n_views=0, camera_height=1.6),
        depth=lambda rgb: DepthPrediction(np.full(rgb.shape[:2], 3.0), "relative"),
        segment=lambda rgb: seg,
        progress=False,
    )
    pts = scene.layers["points"]
    assert len(pts) == 64 * 48
    assert set(np.unique(pts.instance)) == {0, 7}
    assert scene.images["input_mask"].sum() == 64 * 48
    assert scene.meta["depth"]["scale_rule"] == "median"  # a wall: no floor to scale by
    with pytest.raises(BackendError, match="built-in"):
        worldnb.generate(
            flat_image,
            GenerationConfig(n_views=0),
            depth=lambda r: np.ones((64, 64)),
            segment="sam",
            progress=False,
        )


def test_refinement_stage_runs_and_is_recorded(room_render):
    steps = []
    scene = worldnb.generate(
        room_render.rgb[::2, ::2],
        GenerationConfig(n_views=0, refine_iters=3, surfel_stride=2),
        depth=lambda rgb: np.full(rgb.shape[:2], 2.5),
        progress=False,
        callback=lambda e: steps.append(e.message) if e.status == "step" else None,
    )
    info = scene.meta["refine"]
    assert info["steps"] == 3 == len(steps) and info["last_loss"] <= info["first_loss"]
    assert len(scene.layers["gaussians"]) == 16 * 16


def test_no_backends_named_uses_the_three_builtins(room_render):
    scene = worldnb.generate(
        room_render.rgb, GenerationConfig(n_views=1, steps=2, refine_iters=0), progress=False
    )
    assert scene.meta["backends"] == {
        "depth": "builtin:depth",
        "inpaint": "builtin:inpaint",
        "segment": "builtin:segment",
    }
    labels = scene.meta["segments"]["labels"]
    assert "floor" in labels and "clutter" in labels
    sem, ids = scene.images["semantic"], scene.images["segments"]
    assert sem.shape == ids.shape == room_render.rgb.shape[:2]
    assert ((ids == -1) == np.isin(sem, [0, 1, 2])).all()  # floor, wall, ceiling: none
    inst = scene.layers["points"].instance
    assert inst is not None and set(np.unique(inst)) <= set(np.unique(ids))
    for d in scene.meta["segments"]["instances"]:
        assert d["label"] in labels and d["id"] in ids
