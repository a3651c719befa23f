"""PLY: point clouds, meshes and Gaussians in the reference 3D Gaussian Splatting layout,
checked with independent readers (plyfile, trimesh) and a file written the reference way."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh
from plyfile import PlyData, PlyElement

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import SH_C0, Mesh, Scene
from worldnb.scene.io.ply import gaussians_ply_properties


def test_gaussians_property_names_and_order_read_by_plyfile(parts, rng, tmp_path):
    g = parts.gaussians(rng, n=12, sh_k=15)
    path = Scene(layers={"g": g}).export(tmp_path / "g.ply")
    ply = PlyData.read(str(path))
    assert ply.text is False and ply.byte_order == "<"
    v = ply["vertex"]
    expected = ["x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"]
    expected += [f"f_rest_{i}" for i in range(45)]
    expected += ["opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"]
    assert [p.name for p in v.properties] == expected == gaussians_ply_properties(15)
    assert all(v[name].dtype == np.float32 for name in expected)
    np.testing.assert_allclose(v["f_dc_1"], (g.colors[:, 1] - 0.5) / SH_C0, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(v["opacity"], g.opacities)
    np.testing.assert_array_equal(v["scale_2"], g.scales[:, 2])
    np.testing.assert_array_equal(v["rot_0"], g.quats[:, 0])  # w first
    np.testing.assert_array_equal(v["nx"], 0)
    # channel-major f_rest: all K red coefficients, then green, then blue
    np.testing.assert_array_equal(v["f_rest_0"], g.sh_rest[:, 0, 0])
    np.testing.assert_array_equal(v["f_rest_14"], g.sh_rest[:, 14, 0])
    np.testing.assert_array_equal(v["f_rest_15"], g.sh_rest[:, 0, 1])
    np.testing.assert_array_equal(v["f_rest_44"], g.sh_rest[:, 14, 2])


def _reference_3dgs_ply(path, xyz, features_dc, features_rest, opacity, scaling, rotation):
    """The reference 3DGS ``save_ply`` (graphdeco-inria/gaussian-splatting), in numpy.

    ``features_dc`` (N, 1, 3) and ``features_rest`` (N, K, 3) are stored as the
    reference model holds them; it writes ``transpose(1, 2).flatten(start_dim=1)``.
    """
    n = len(xyz)
    f_dc = features_dc.transpose(0, 2, 1).reshape(n, -1)
    f_rest = features_rest.transpose(0, 2, 1).reshape(n, -1)
    names = ["x", "y", "z", "nx", "ny", "nz"]
    names += [f"f_dc_{i}" for i in range(f_dc.shape[1])]
    names += [f"f_rest_{i}" for i in range(f_rest.shape[1])]
    names += ["opacity"] + [f"scale_{i}" for i in range(3)] + [f"rot_{i}" for i in range(4)]
    elements = np.zeros(n, dtype=[(a, "f4") for a in names])
    attributes = np.concatenate(
        (xyz, np.zeros_like(xyz), f_dc, f_rest, opacity, scaling, rotation), axis=1
    )
    elements[:] = list(map(tuple, attributes))
    PlyData([PlyElement.describe(elements, "vertex")]).write(str(path))


@pytest.mark.parametrize("k", [0, 3, 15])
def test_a_file_written_by_the_reference_code_loads(k, rng, tmp_path):
    n = 9
    xyz = rng.normal(size=(n, 3)).astype(np.float32)
    dc = rng.normal(size=(n, 1, 3)).astype(np.float32)
    rest = rng.normal(size=(n, k, 3)).astype(np.float32)
    opacity = rng.normal(size=(n, 1)).astype(np.float32)
    scaling = rng.normal(size=(n, 3)).astype(np.float32)
    rotation = rng.normal(size=(n, 4)).astype(np.float32)
    path = tmp_path / "point_cloud.ply"
    _reference_3dgs_ply(path, xyz, dc, rest, opacity, scaling, rotation)
    assert path.read_bytes().startswith(b"ply\nformat binary_little_endian 1.0\n")

    scene = worldnb.load(path)
    assert list(scene.layers) == ["gaussians"]
    g = scene.layers["gaussians"]
    np.testing.assert_array_equal(g.means, xyz)
    np.testing.assert_array_equal(g.scales, scaling)
    np.testing.assert_array_equal(g.quats, rotation)
    np.testing.assert_array_equal(g.opacities, opacity[:, 0])
    np.testing.assert_allclose(g.colors, dc[:, 0] * SH_C0 + 0.5, atol=1e-6)
    if k == 0:
        assert g.sh_rest is None
    else:
        np.testing.assert_array_equal(g.sh_rest, rest)
        assert g.sh_degree == {3: 1, 15: 3}[k]

    # ... and what we write back is what the reference writes, byte for byte in the data
    again = scene.export(tmp_path / "again.ply")
    a, b = PlyData.read(str(path))["vertex"].data, PlyData.read(str(again))["vertex"].data
    assert a.dtype.names == b.dtype.names
    for name in a.dtype.names:
        tol = 2e-6 if name.startswith("f_dc") else 0
        np.testing.assert_allclose(b[name], a[name], atol=tol, rtol=tol)


def test_gaussians_roundtrip(parts, rng, tmp_path):
    g = parts.gaussians(rng, sh_k=8)
    back = worldnb.load(Scene(layers={"g": g}).export(tmp_path / "g.ply"), layer="g")
    got = back.layers["g"]
    for key in ("means", "scales", "quats", "opacities", "sh_rest"):
        np.testing.assert_array_equal(getattr(got, key), getattr(g, key))
    np.testing.assert_allclose(got.colors, g.colors, atol=1e-6)
    assert worldnb.scene.io.scenes_equal(back, Scene(layers={"g": g}), atol=1e-6)


def test_point_cloud_read_by_trimesh_and_plyfile(parts, rng, tmp_path):
    pc = parts.points(rng, n=25)
    path = Scene(layers={"pts": pc}).export(tmp_path / "p.ply")
    ply = PlyData.read(str(path))
    v = ply["vertex"]
    assert [p.name for p in v.properties] == [
        "x", "y", "z", "nx", "ny", "nz", "red", "green", "blue", "instance"
    ]  # fmt: skip
    assert v["red"].dtype == np.uint8
    t = trimesh.load(path, process=False)
    assert isinstance(t, trimesh.PointCloud)
    np.testing.assert_array_equal(np.asarray(t.vertices, np.float32), pc.xyz)
    np.testing.assert_array_equal(t.colors[:, :3], np.round(pc.rgb * 255).astype(np.uint8))

    back = worldnb.load(path).layers["points"]
    np.testing.assert_array_equal(back.xyz, pc.xyz)
    np.testing.assert_array_equal(back.normals, pc.normals)
    np.testing.assert_array_equal(back.instance, pc.instance)
    np.testing.assert_allclose(back.rgb, pc.rgb, atol=0.5 / 255 + 1e-6)


def test_mesh_ply_roundtrip_and_trimesh(parts, rng, tmp_path):
    m = parts.mesh(rng)
    path = Scene(layers={"m": m}).export(tmp_path / "m.ply", layer="m")
    t = trimesh.load(path, process=False)
    np.testing.assert_array_equal(t.faces, m.faces)
    np.testing.assert_allclose(t.vertices, m.vertices, atol=1e-6)
    back = worldnb.load(path).layers["mesh"]
    np.testing.assert_array_equal(back.faces, m.faces)
    np.testing.assert_array_equal(back.vertices, m.vertices)
    np.testing.assert_allclose(back.vertex_colors, m.vertex_colors, atol=0.5 / 255 + 1e-6)


def test_ascii_mesh_with_quads_is_triangulated(tmp_path):
    text = (
        "ply\nformat ascii 1.0\nelement vertex 5\nproperty float x\nproperty float y\n"
        "property float z\nelement face 2\nproperty list uchar int vertex_indices\nend_header\n"
        "0 0 0\n1 0 0\n1 1 0\n0 1 0\n2 2 2\n4 0 1 2 3\n3 1 4 2\n"
    )
    (tmp_path / "q.ply").write_text(text)
    m = worldnb.load(tmp_path / "q.ply").layers["mesh"]
    assert isinstance(m, Mesh)
    np.testing.assert_array_equal(m.faces, [[0, 1, 2], [0, 2, 3], [1, 4, 2]])


def test_float_colours_and_big_endian_points_load(tmp_path):
    data = np.zeros(3, dtype=[("x", ">f4"), ("y", ">f4"), ("z", ">f4"), ("red", ">f4"),
                              ("green", ">f4"), ("blue", ">f4")])  # fmt: skip
    data["x"] = [1, 2, 3]
    data["red"] = [0.0, 0.5, 1.0]
    PlyData([PlyElement.describe(data, "vertex")], byte_order=">").write(str(tmp_path / "b.ply"))
    p = worldnb.load(tmp_path / "b.ply").layers["points"]
    np.testing.assert_array_equal(p.xyz[:, 0], [1, 2, 3])
    np.testing.assert_array_equal(p.rgb[:, 0], [0.0, 0.5, 1.0])


def test_ascii_export(parts, rng, tmp_path):
    pc = parts.points(rng, n=4, normals=False, instance=False)
    path = Scene(layers={"p": pc}).export(tmp_path / "a.ply", text=True)
    assert path.read_bytes().startswith(b"ply\nformat ascii 1.0\n")
    np.testing.assert_allclose(worldnb.load(path).layers["points"].xyz, pc.xyz, atol=1e-6)


def test_which_layer_is_exported(parts, rng, tmp_path):
    s = Scene(layers={"room": parts.mesh(rng), "pts": parts.points(rng), "g": parts.gaussians(rng)})
    # the first Gaussians-or-points layer by default
    assert "points" in worldnb.load(s.export(tmp_path / "a.ply")).layers
    assert "gaussians" in worldnb.load(s.export(tmp_path / "b.ply", layer="g")).layers
    with pytest.raises(InputError, match="no layer 'nope'"):
        s.export(tmp_path / "c.ply", layer="nope")
    with pytest.raises(InputError, match=r"no Gaussians or point-cloud layer.*layer='room'"):
        Scene(layers={"room": parts.mesh(rng)}).export(tmp_path / "d.ply")
    with pytest.raises(InputError, match="unknown option"):
        s.export(tmp_path / "e.ply", layers=["g"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ply", "b.ply"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "does not start with 'ply'"),
        (b"solid cube\nfacet normal 0 0 1\n", "does not start with 'ply'"),
        (b"ply\nformat ascii 1.0\nelement vertex 3\n", "no end_header"),
        (
            b"ply\nformat binary_little_endian 1.0\nelement vertex 99999999999\nproperty float x\n"
            b"property float y\nproperty float z\nend_header\n\x00\x00",
            "truncated",
        ),
        (
            b"ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\n"
            b"property float z\nend_header\n0 0 0\n1 nan 1\n",
            "invalid data",
        ),
        (
            b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nend_header\n0\n",
            "no x, y, z",
        ),
        (
            b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
            b"property float z\nproperty float f_dc_0\nend_header\n0 0 0 0\n",
            "missing the 'opacity'",
        ),
    ],
)
def test_bad_ply_files(content, message, tmp_path):
    (tmp_path / "bad.ply").write_bytes(content)
    with pytest.raises(FormatError, match=message) as err:
        worldnb.load(tmp_path / "bad.ply")
    assert "bad.ply" in str(err.value)
