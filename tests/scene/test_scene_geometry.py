import numpy as np
import pytest

from worldnb import Camera, Gaussians, Mesh, OrientedBox, PointCloud, Room, Scene, SceneObject
from worldnb.errors import InputError


def test_pointcloud_defaults_and_uint8_colours():
    pc = PointCloud(np.zeros((3, 3)), rgb=np.array([[255, 0, 0]] * 3, np.uint8))
    assert pc.xyz.dtype == np.float32 and pc.rgb.dtype == np.float32
    np.testing.assert_allclose(pc.rgb[0], [1, 0, 0])
    assert len(PointCloud(np.zeros((0, 3)))) == 0
    assert PointCloud(np.zeros((0, 3))).bounds is None


def test_layers_copy_their_input():
    xyz = np.zeros((2, 3), np.float32)
    pc = PointCloud(xyz)
    xyz[0, 0] = 5
    assert pc.xyz[0, 0] == 0


@pytest.mark.parametrize(
    ("make", "word"),
    [
        (lambda: PointCloud(np.zeros((3, 2))), "xyz"),
        (lambda: PointCloud(np.full((3, 3), np.nan)), "non-finite"),
        (lambda: PointCloud(np.zeros((3, 3)), rgb=np.zeros((2, 3))), "rgb"),
        (lambda: PointCloud(np.zeros((3, 3)), rgb=np.full((3, 3), 2.0)), r"\[0, 1\]"),
        (lambda: Mesh(np.zeros((3, 3)), [[0, 1, 3]]), "faces"),
        (lambda: Mesh(np.zeros((3, 3)), [[0, 1.5, 2]]), "faces"),
        # 2**32 + 2 would wrap to a valid index 2 in an int32 cast
        (lambda: Mesh(np.zeros((3, 3)), np.array([[0, 1, 2**32 + 2]])), "int32"),
        (lambda: PointCloud(np.zeros((1, 3)), instance=[2**31]), "instance"),
        (lambda: PointCloud(np.zeros((2, 3)), rgb=[[1, 0, 0], [1]]), "rgb"),
        (
            lambda: Mesh(
                np.zeros((3, 3)), [[0, 1, 2]], uv=np.zeros((3, 2)), texture=[[[0, 0, 0]], [[0, 0]]]
            ),
            "texture",
        ),
        (lambda: Mesh(np.zeros((3, 3)), [[0, 1, 2]], texture=np.zeros((4, 4, 3))), "uv"),
        (
            lambda: Gaussians(
                np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 4)), np.zeros(2), np.zeros((2, 3))
            ),
            "quats",
        ),
        (
            lambda: Gaussians(
                np.zeros((2, 3)), np.zeros((3, 3)), np.ones((2, 4)), np.zeros(2), np.zeros((2, 3))
            ),
            "scales",
        ),
        (
            lambda: Gaussians(
                np.zeros((2, 3)),
                np.zeros((2, 3)),
                np.ones((2, 4)),
                np.zeros(2),
                np.zeros((2, 3)),
                sh_rest=np.zeros((2, 5, 3)),
            ),
            "sh_rest",
        ),
    ],
)
def test_layer_bad_input(make, word):
    with pytest.raises(InputError, match=word):
        make()


def test_gaussians_properties():
    g = Gaussians(
        np.zeros((2, 3)),
        np.log(np.full((2, 3), 0.1)),
        [[1, 0, 0, 0]] * 2,
        [0.0, 100.0],
        np.full((2, 3), 0.5),
        sh_rest=np.zeros((2, 15, 3)),
    )
    assert g.sh_degree == 3
    np.testing.assert_allclose(g.alphas, [0.5, 1.0], atol=1e-6)
    np.testing.assert_allclose(g.stds, 0.1, rtol=1e-6)


def test_mesh_face_normals():
    m = Mesh([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 1, 2]])
    np.testing.assert_allclose(m.face_normals, [[0, 0, 1]])


def test_scene_object_ids_are_stable_and_unique():
    scene = Scene(room=Room.rectangle(4, 4))
    a = scene.add_object("Chair", OrientedBox((0, 0.4, 0), (0.5, 0.8, 0.5)), color="red")
    b = scene.add_object("table", OrientedBox((1, 0.4, 0), (1, 0.8, 1)))
    assert (a.id, b.id) == (1, 2) and a.label == "chair" and a.attrs == {"color": "red"}
    scene.remove_object(b.id)
    c = scene.add_object("lamp", OrientedBox((1, 0.4, 1), (0.3, 0.8, 0.3)))
    assert c.id == 3  # ids are never reused
    assert scene.object(1) is a
    with pytest.raises(InputError, match="no object with id 2"):
        scene.object(2)
    with pytest.raises(InputError, match="already used"):
        scene.add_object("x", OrientedBox((0, 1, 0), (1, 1, 1)), id=1)
    assert scene.labels() == ["chair", "lamp"]


def test_scene_bounds_cover_everything():
    scene = Scene(layers={"p": PointCloud([[5, 5, 5]])})
    scene.add_object("box", OrientedBox((-1, 0.5, 0), (1, 1, 1)))
    np.testing.assert_allclose(scene.bounds, [[-1.5, 0, -0.5], [5, 5, 5]])
    assert Scene().bounds is None


def test_scene_rejects_bad_parts():
    with pytest.raises(InputError, match="room"):
        Scene(room="kitchen")
    with pytest.raises(InputError, match="layers"):
        Scene(layers={"x": np.zeros(3)})
    with pytest.raises(InputError, match="cameras"):
        Scene(cameras={"c": "front"})
    with pytest.raises(InputError, match="duplicate"):
        box = OrientedBox((0, 0.5, 0), (1, 1, 1))
        Scene(objects=[SceneObject(1, "a", box), SceneObject(1, "b", box)])
    with pytest.raises(InputError, match="label"):
        SceneObject(1, "  ", OrientedBox((0, 0.5, 0), (1, 1, 1)))
    with pytest.raises(InputError, match="objects"):
        Scene(objects=3)
    assert Scene(objects=None).objects == ()


@pytest.mark.parametrize(
    ("part", "value", "match"),
    [
        ("images", None, "numpy image"),  # found by tests/robustness: was a SafetensorError
        ("images", np.zeros((2, 2), object), "dtype"),
        ("layers", "points", "a layer"),
        ("cameras", 5, "Camera"),
    ],
)
def test_parts_assigned_in_place_are_checked_before_saving(part, value, match, tmp_path):
    scene = Scene()
    getattr(scene, part)["x"] = value
    for save in (scene.save, scene.export):
        with pytest.raises(InputError, match=match):
            save(tmp_path / ("s.wnb" if save == scene.save else "s.json"))
    assert not list(tmp_path.iterdir())


def test_scene_object_dict_round_trip():
    o = SceneObject(
        7, "sofa", OrientedBox((0, 0.4, 0), (2, 0.8, 0.9), 0.5), front=True, attrs={"color": "grey"}
    )
    assert SceneObject.from_dict(o.to_dict()) == o
    np.testing.assert_allclose(o.front_direction, o.box.front)


def test_camera_layer_in_scene():
    scene = Scene(cameras={"input": Camera.from_fov(60, 8, 8)})
    assert "input" in scene.cameras
