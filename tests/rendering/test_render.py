"""worldnb.render on whole scenes: layers, ids, labels, batches, Gaussians over meshes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import worldnb
from worldnb import Camera, Gaussians, Mesh, PointCloud, Scene
from worldnb.errors import InputError
from worldnb.rendering import RenderOutput, render


@pytest.fixture
def scene(make_room_scene):
    return make_room_scene()


@pytest.fixture
def cam():
    return Camera.look_at(eye=(1.6, 1.7, 1.8), target=(0, 0.6, 0), width=64, height=48)


def test_maps_shapes_dtypes_and_ranges(scene, cam):
    out = worldnb.render(scene, cam)
    assert isinstance(out, RenderOutput)
    assert out.rgb.shape == (48, 64, 3) and out.rgb.dtype == np.float32
    assert out.depth.shape == out.alpha.shape == out.instance.shape == (48, 64)
    assert out.normals.shape == (48, 64, 3)
    assert out.instance.dtype == np.int32 and out.semantic.dtype == np.int32
    assert 0 <= out.rgb.min() and out.rgb.max() <= 1
    assert (out.alpha == 1).all()  # inside a closed room everything is covered
    assert np.isfinite(out.depth).all()
    n = np.linalg.norm(out.normals, axis=-1)
    assert np.allclose(n, 1, atol=1e-4)
    # normals face the camera: dot with the view ray is negative
    rays = cam.pixel_rays() @ cam.T_world_camera[:3, :3].T
    assert ((out.normals * rays).sum(-1) < 1e-6).mean() > 0.99


def test_instance_and_semantic_maps_follow_objects(scene, cam):
    out = render(scene, cam)
    ids = {o.id for o in scene.objects}
    seen = set(np.unique(out.instance).tolist()) - {-1}
    assert seen and seen <= ids
    assert out.labels == scene.labels()
    for o in scene.objects:
        mask = out.instance == o.id
        if mask.any():
            assert (out.semantic[mask] == out.labels.index(o.label)).all()
    assert (out.semantic[out.instance == -1] == -1).all()
    # instance pixels really lie inside their object's box
    pts = cam.unproject(out.depth)
    for o in scene.objects:
        mask = out.instance == o.id
        if mask.sum() > 5:
            grown = worldnb.OrientedBox(o.box.center, o.box.size + 0.01, o.box.yaw)
            assert grown.contains(pts[mask]).mean() > 0.99


def test_depth_matches_the_mesh_layers_alone(scene, cam):
    out = render(scene, cam, layers=["room", "objects"])
    # the wall straight ahead: depth from the geometry (room is 4 m wide, camera at x=1.6)
    assert np.isfinite(out.depth).all()
    pts = cam.unproject(out.depth)
    assert (np.abs(pts) <= np.array([2.0, 2.5, 2.0]) + 1e-3).all()


def test_gaussians_composite_over_the_mesh(scene, cam):
    with_g = render(scene, cam)
    without = render(scene, cam, layers=["room", "objects", "plant"])
    lamp = np.abs(with_g.rgb - without.rgb).sum(-1) > 0.05
    assert lamp.any()
    front = with_g.instance != without.instance
    assert (with_g.instance[front] == -1).all()
    # where the lamp is dense its expected depth is nearer than the wall behind it
    dense = lamp & (with_g.depth < without.depth - 1e-3)
    assert dense.any()


def test_batch_equals_loop_of_singles(scene):
    cams = worldnb.rendering.orbit((0, 0.8, 0), 1.5, 25, n=3, width=32, height=24)
    batch = render(scene, cams)
    assert batch.is_batch and batch.rgb.shape == (3, 24, 32, 3) and len(batch) == 3
    for i, c in enumerate(cams):
        single = render(scene, c)
        for k in ("rgb", "depth", "alpha", "normals", "instance", "semantic"):
            np.testing.assert_array_equal(getattr(batch[i], k), getattr(single, k))


def test_empty_scene_is_background_with_zero_alpha(cam):
    out = render(Scene(), cam, background=(0.1, 0.2, 0.3))
    assert np.allclose(out.rgb, [0.1, 0.2, 0.3])
    assert (out.alpha == 0).all() and np.isinf(out.depth).all()
    assert (out.instance == -1).all() and (out.semantic == -1).all()
    assert (out.normals == 0).all()


def test_single_layers_and_dicts(cam):
    pts = PointCloud(np.random.default_rng(0).uniform(-0.5, 0.5, (200, 3)) + np.array([0, 0.6, 0]))
    out = render(pts, cam)
    assert 0 < out.alpha.mean() < 1
    g = Gaussians([[0, 0.6, 0]], np.log([[0.2, 0.2, 0.2]]), [[1, 0, 0, 0]], [3.0], [[1, 0, 0]])
    behind = PointCloud(pts.xyz - 1.5 * cam.forward)  # the Gaussian hides these
    out = render({"g": g, "p": behind}, cam)
    assert out.rgb[24, 32, 0] > 0.8 and out.rgb[24, 32, 1] < 0.2 and out.alpha[24, 32] > 0.9


def test_panel_and_image(scene, cam):
    out = render(scene, cam)
    assert out.image().size == (64, 48)
    assert out.panel().size == (4 * 64 + 3 * 4, 48)


def test_bad_input(scene, cam):
    with pytest.raises(InputError, match="layers"):
        render(scene, cam, layers=["nope"])
    with pytest.raises(InputError, match="background"):
        render(scene, cam, background=(2, 0, 0))
    with pytest.raises(InputError, match="camera"):
        render(scene, "cam")
    with pytest.raises(InputError, match="camera"):
        render(scene, [cam, cam.resized(10, 10)])
    with pytest.raises(InputError, match="scene"):
        render(42, cam)
    big = Camera.from_fov(60, 5000, 4000)
    with pytest.raises(InputError, match="allow_large"):
        render(scene, big)


def test_mesh_without_colours_is_grey(cam):
    quad = Mesh([[-5, 0, -5], [5, 0, -5], [5, 0, 5], [-5, 0, 5]], [[0, 2, 1], [0, 3, 2]])
    out = render(quad, cam)
    assert np.allclose(out.rgb[out.alpha > 0], 0.7)
    assert np.allclose(out.normals[out.alpha > 0], [0, 1, 0], atol=1e-5)


def test_device_and_panel_errors(scene, cam):
    cpu = render(scene, cam, device="cpu")
    if not torch.cuda.is_available():  # "auto" is the CPU here
        assert np.array_equal(cpu.rgb, render(scene, cam).rgb)
    with pytest.raises(InputError, match="device"):
        render(scene, cam, device="nonsense")
    with pytest.raises(InputError, match="maps"):
        cpu.panel(("rgb", "bogus"))
    with pytest.raises(InputError, match="batch"):
        render(scene, [cam, cam]).panel()


def test_textured_mesh_and_uv_without_texture(cam):
    V = [[-5, 0, -5], [5, 0, -5], [5, 0, 5], [-5, 0, 5]]
    Fc = [[0, 2, 1], [0, 3, 2]]
    uv = [[0, 0], [1, 0], [1, 1], [0, 1]]
    tex = np.zeros((2, 2, 3), np.float32)
    tex[:, :, 1] = 1.0  # all green
    out = render(Mesh(V, Fc, uv=uv, texture=tex), cam)
    assert np.allclose(out.rgb[out.alpha > 0], [0, 1, 0])
    out = render(Mesh(V, Fc, uv=uv), cam)  # uv without a texture: plain grey
    assert np.allclose(out.rgb[out.alpha > 0], 0.7)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"layers": 5}, "layers"),  # was TypeError: 'int' object is not iterable
        ({"layers": [None]}, "layers"),
        ({"background": "no such colour"}, "background"),
        ({"background": [0.1, "x", 0.2]}, "background"),
        ({"point_radius": 1e6}, "point_radius"),  # was MemoryError
        ({"point_radius": "x"}, "point_radius"),
        ({"point_radius": float("nan")}, "point_radius"),
        ({"device": "meta"}, "device"),
        ({"device": 3.5}, "device"),
        ({"device": np.zeros(0)}, "device"),  # found by tests/robustness: numpy's ValueError
    ],
)
def test_bad_arguments_are_input_errors(kwargs, name, cam):
    pts = PointCloud([[0, 0.6, 0], [0.1, 0.6, 0]])
    with pytest.raises(InputError, match=name):
        render(pts, cam, **kwargs)


def test_background_colour_names_and_hex(cam):
    assert np.allclose(render(Scene(), cam, background="white").rgb, 1.0)
    out = render(Scene(), cam, background="#336699")
    assert np.allclose(out.rgb[0, 0], np.array([0x33, 0x66, 0x99]) / 255, atol=1e-6)


def test_missing_cuda_is_an_input_error(cam):
    # no CUDA here: 'cuda' was an AssertionError deep in torch; with CUDA, name a GPU
    # index that does not exist
    bad = f"cuda:{torch.cuda.device_count()}" if torch.cuda.is_available() else "cuda"
    with pytest.raises(InputError, match=r"device.*cuda"):
        render(Scene(), cam, device=bad)


def test_huge_object_ids_map_through_a_compact_table(cam):
    # the id → label table used to have max(id) + 1 entries: 2**40 was a MemoryError
    quad = Mesh([[-5, 0, -5], [5, 0, -5], [5, 0, 5], [-5, 0, 5]], [[0, 2, 1], [0, 3, 2]],
                instance=[3, 2**31 - 1])  # fmt: skip
    scene = Scene(layers={"floor": quad})
    scene.add_object("rug", worldnb.OrientedBox((0, 0.01, 0), (1, 0.02, 1)), id=3)
    scene.add_object("tile", worldnb.OrientedBox((1, 0.01, 0), (1, 0.02, 1)), id=2**31 - 1)
    scene.add_object("vase", worldnb.OrientedBox((2, 0.2, 0), (0.2, 0.4, 0.2)), id=2**40)
    out = render(scene, cam)
    assert out.labels == ["rug", "tile", "vase"]
    for oid, label in ((3, 0), (2**31 - 1, 1)):
        mask = out.instance == oid
        assert mask.any() and (out.semantic[mask] == label).all()
    assert (out.semantic[out.instance == -1] == -1).all()


def _readme_scene():
    """The README's scene: a room and two objects that have only boxes, no layers."""
    scene = Scene(room=worldnb.Room.rectangle(4.0, 3.5, height=2.6))
    bed = scene.add_object("bed", worldnb.OrientedBox((0.8, 0.3, -0.6), (1.6, 0.6, 2.0)))
    chair = scene.add_object(
        "chair", worldnb.OrientedBox((-1.2, 0.45, 0.8), (0.5, 0.9, 0.5), yaw=0.6), color="red"
    )
    return scene, bed, chair


README_CAM = Camera.look_at(eye=(-1.8, 1.6, 1.6), target=(0.5, 0.4, -0.5), width=96, height=72)


def test_box_only_objects_are_drawn_as_solid_boxes_with_ids_and_colours():
    scene, bed, chair = _readme_scene()
    out = render(scene, README_CAM, background="black")
    pts = README_CAM.unproject(out.depth)
    for obj, label in ((bed, 0), (chair, 1)):
        mask = out.instance == obj.id
        assert mask.sum() > 50, f"{obj.label} is not drawn"
        assert (out.semantic[mask] == label).all()
        grown = worldnb.OrientedBox(obj.box.center, obj.box.size + 0.01, obj.box.yaw)
        assert grown.contains(pts[mask]).all()
        # the pixel at the centre of its projected corners shows an object
        uv, _ = README_CAM.project(obj.box.corners())
        r, c = (int(x) for x in uv.mean(0)[::-1])  # pixel centres at +0.5
        assert out.instance[r, c] in (bed.id, chair.id)
    assert np.allclose(out.rgb[out.instance == chair.id], [1, 0, 0])  # its colour: red
    assert np.allclose(out.rgb[out.instance == bed.id], 0.7)  # no colour: grey
    assert (out.rgb[out.alpha == 0] == 0).all()  # background elsewhere
    assert out.alpha[out.instance >= 0].min() == 1


def test_objects_none_draws_layers_only():
    scene, _, _ = _readme_scene()
    out = render(scene, README_CAM, objects=None)
    assert (out.instance == -1).all() and (out.alpha == 0).all()
    with pytest.raises(InputError, match="objects"):
        render(scene, README_CAM, objects="meshes")


def test_an_object_a_layer_carries_is_not_covered_by_its_box():
    """Understood scenes keep their points' ids: the geometry, not a box, shows them."""
    scene, bed, chair = _readme_scene()
    # a floor patch elsewhere carries the bed's id: the bed's box must not be drawn
    patch = Mesh([[1, 0, 1], [2, 0, 1], [2, 0, 0.2], [1, 0, 0.2]], [[0, 1, 2], [0, 2, 3]],
                 instance=[bed.id, bed.id])  # fmt: skip
    scene.layers["patch"] = patch
    out = render(scene, README_CAM)
    pts = README_CAM.unproject(out.depth)
    mask = out.instance == bed.id
    assert mask.sum() > 20
    assert np.allclose(pts[mask][:, 1], 0, atol=1e-3), "the bed's box was drawn over its layer"
    assert (out.instance == chair.id).sum() > 50  # the chair has no layer: still a box
    # drawing only another layer does not bring the bed's box back
    only = render(scene, README_CAM, layers=[])
    assert not (only.instance == bed.id).any()


def test_maps_by_name():
    scene, _, _ = _readme_scene()
    out = render(scene, README_CAM)
    for name in out.keys():
        assert out[name] is getattr(out, name)
    assert "rgb" in out and "colour" not in out
    with pytest.raises(KeyError, match="rgb"):
        out["colour"]
    with pytest.raises(IndexError, match=r"output\['rgb'\]"):
        out[0]
    batch = render(scene, [README_CAM, README_CAM])
    assert batch["rgb"].shape == (2, 72, 96, 3)
    assert np.array_equal(batch[1]["instance"], out["instance"])


def test_an_image_too_large_for_memory_is_an_input_error():
    # allow_large lifts the size check; the allocation then failed with torch's raw
    # RuntimeError. Run under a 3 GiB address-space limit so nothing big is touched.
    code = textwrap.dedent(
        """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        import worldnb
        from worldnb.errors import InputError
        try:
            worldnb.render(worldnb.Scene(), worldnb.Camera.from_fov(60, 60000, 60000),
                           allow_large=True)
        except InputError as exc:
            print("InputError:", exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})  # fmt: skip
    assert "InputError: render:" in out.stdout and "memory" in out.stdout, out.stderr[-2000:]
