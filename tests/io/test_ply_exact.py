"""PLY reading, exactly: crafted headers and bodies (ascii and binary, list properties,
16-bit, signed and float colours, truncated bodies) and the whole error messages.

Expected figures come from plain arithmetic on the bytes written here; files are built
by hand (struct / numpy) or by plyfile, never by worldnb's writer.
"""

from __future__ import annotations

import re
import struct

import numpy as np
import pytest
from plyfile import PlyData, PlyElement

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import Mesh, PointCloud, Scene
from worldnb.scene.io.ply import gaussians_ply_properties

BIN = "format binary_little_endian 1.0"
ASC = "format ascii 1.0"
XYZ = ["property float x", "property float y", "property float z"]


def _ply(tmp_path, lines, body: bytes, name="f.ply"):
    """A PLY file: ``ply``, the header ``lines``, ``end_header``, then ``body``."""
    path = tmp_path / name
    path.write_bytes(("\n".join(["ply", *lines, "end_header"]) + "\n").encode() + body)
    return path


def _error(path) -> str:
    with pytest.raises(FormatError) as err:
        worldnb.load(path)
    return str(err.value)


def _xyz(*points) -> bytes:
    return b"".join(struct.pack("<3f", *p) for p in points)


def _corrupt(path, detail: str) -> str:
    return f"{path}: not a valid .ply file (truncated or corrupt?): {detail}"


# ---- the header check that runs before plyfile allocates anything -----------------------
def test_a_short_body_names_every_element_and_the_bytes_that_follow(tmp_path):
    # 10 vertices x 3 floats = 120 bytes, 4 faces >= 1 byte each (the uchar count): 124 needed
    lines = [BIN, "element vertex 10", *XYZ, "element face 4",
             "property list uchar int vertex_indices"]  # fmt: skip
    path = _ply(tmp_path, lines, bytes(100))
    assert _error(path) == (
        f"{path}: the header declares 10 vertex, 4 face but only 100 bytes follow it (truncated?)"
    )
    # one byte short of the minimum is refused, the minimum itself passes the check
    path = _ply(tmp_path, lines, bytes(123), "short.ply")
    assert _error(path).endswith("but only 123 bytes follow it (truncated?)")
    body = _xyz(*[(i, 0, 0) for i in range(10)]) + bytes(4)  # four faces with no vertices
    assert _error(_ply(tmp_path, lines, body, "ok.ply")).endswith(
        "a face has 0 vertices (needs >= 3)"
    )


def test_a_list_counts_its_length_field_not_its_items(tmp_path):
    # 8 faces with a 4-byte (uint) count: 32 bytes at least, on top of one 12-byte vertex
    lines = [BIN, "element vertex 1", *XYZ, "element face 8",
             "property list uint int vertex_indices"]  # fmt: skip
    path = _ply(tmp_path, lines, bytes(12 + 20))
    assert _error(path) == (
        f"{path}: the header declares 1 vertex, 8 face but only 32 bytes follow it (truncated?)"
    )
    # empty lists with a 1-byte count: 6 extra bytes are a complete element
    lines = [BIN, "element vertex 2", *XYZ, "element tags 6", "property list uchar int ids"]
    path = _ply(tmp_path, lines, _xyz((1, 2, 3), (4, 5, 6)) + bytes(6), "tags.ply")
    p = worldnb.load(path).layers["points"]
    np.testing.assert_array_equal(p.xyz, [[1, 2, 3], [4, 5, 6]])


def test_binary_rows_of_one_byte_are_complete(tmp_path):
    # 12 bytes of vertex + 20 one-byte rows: 32 bytes is the whole file body
    lines = [BIN, "element vertex 1", *XYZ, "element flags 20", "property uchar f"]
    path = _ply(tmp_path, lines, _xyz((7, 8, 9)) + bytes(range(20)))
    np.testing.assert_array_equal(worldnb.load(path).layers["points"].xyz, [[7, 8, 9]])


def test_ascii_rows_count_two_bytes_each(tmp_path):
    path = _ply(tmp_path, ["format ascii 1.0", "element vertex 100", *XYZ], b"0 0 0\n")
    assert _error(path) == (
        f"{path}: the header declares 100 vertex but only 6 bytes follow it (truncated?)"
    )
    # 3 rows need 6 bytes: "1\n2\n3\n" passes the estimate (then plyfile parses it)
    path = _ply(tmp_path, ["format ascii 1.0", "element vertex 3", "property float x"],
                b"1\n2\n3\n", "x.ply")  # fmt: skip
    assert _error(path) == f"{path}: PLY vertices have no x, y, z properties"


def test_a_comment_between_properties_adds_no_bytes(tmp_path):
    lines = [BIN, "element vertex 1", *XYZ, "comment double trouble"]
    path = _ply(tmp_path, lines, _xyz((1, 2, 3)))
    np.testing.assert_array_equal(worldnb.load(path).layers["points"].xyz, [[1, 2, 3]])


def test_a_blank_header_line_does_not_end_the_size_check(tmp_path):
    path = _ply(tmp_path, ["", BIN, "element vertex 5", *XYZ], bytes(10))
    assert _error(path) == (
        f"{path}: the header declares 5 vertex but only 10 bytes follow it (truncated?)"
    )


def test_the_header_must_end_within_the_first_mib(tmp_path):
    # 100 vertices declared, 6 bytes given: the size check (not plyfile) answers, so
    # reaching it shows the header was found
    head = "\n".join(["ply", "format ascii 1.0", "element vertex 100", *XYZ]) + "\n"
    tail = "end_header\n0 0 0\n"
    pad = (1 << 20) - len(head) - len("comment \n") - len("end_header\n")
    fits = head + "comment " + "c" * pad + "\n" + tail  # end_header's newline is byte 2**20
    assert fits.index("end_header\n") + len("end_header\n") == 1 << 20
    (tmp_path / "fits.ply").write_text(fits)
    path = tmp_path / "fits.ply"
    assert _error(path) == (
        f"{path}: the header declares 100 vertex but only 6 bytes follow it (truncated?)"
    )
    over = head + "comment " + "c" * (pad + 1) + "\n" + tail  # one byte further
    (tmp_path / "over.ply").write_text(over)
    path = tmp_path / "over.ply"
    assert _error(path) == f"{path}: PLY header has no end_header line within the first MiB"


@pytest.mark.parametrize(
    ("lines", "body", "problem"),
    [
        (["format binary 1.0", "element vertex 1", *XYZ], bytes(12), "unknown PLY format 'binary'"),
        ([ASC, "element vertex x", *XYZ], b"0 0 0\n", "bad header line 'element vertex x'"),
        ([ASC, "element vertex 1 2", *XYZ], b"0 0 0\n", "bad header line 'element vertex 1 2'"),
        ([ASC, "element point 1", *XYZ], b"0 0 0\n", "PLY has no 'vertex' element"),
        ([ASC, "element vertex 1", "property float x", "property float y"], b"0 0\n",
         "PLY vertices have no x, y, z properties"),
        ([ASC, "element vertex 1", *XYZ, *(f"property float f_rest_{i}" for i in (0, 1, 2)),
          "property float f_dc_0"], b"0 0 0 0 0 0 0\n",
         "3DGS PLY has 3 f_rest properties; expected 0, 9, 24 or 45 (SH degree 0–3)"),
    ],
)  # fmt: skip
def test_header_and_layout_messages(lines, body, problem, tmp_path):
    path = _ply(tmp_path, lines, body)
    assert _error(path) == f"{path}: {problem}"


def test_not_a_ply_file(tmp_path):
    (tmp_path / "cube.ply").write_bytes(b"solid cube\n")
    path = tmp_path / "cube.ply"
    assert _error(path) == f"{path}: not a PLY file (it does not start with 'ply')"


@pytest.mark.parametrize(
    ("lines", "body", "detail"),
    [
        # a format line without its version: plyfile says what it expects
        (["format ascii", "element vertex 1", *XYZ], b"0 0 0\n",
         'PlyHeaderParseError: line 2: expected "format {format} 1.0"'),
        (["format ascii 1.0", "element vertex 1", *XYZ], b"0 0 zz\n",
         "PlyElementParseError: element 'vertex': row 0: property 'z': malformed input"),
        ([BIN, "element vertex 1", *XYZ, "property list"], bytes(13),
         "PlyHeaderParseError: line 7: bad 'property' line"),
    ],
)  # fmt: skip
def test_what_plyfile_refuses_is_reported_as_a_ply_problem(lines, body, detail, tmp_path):
    path = _ply(tmp_path, lines, body)
    assert _error(path) == _corrupt(path, detail)


def test_an_unknown_property_type_counts_one_byte_and_plyfile_names_it(tmp_path):
    # 12 + 1 bytes pass the size check; plyfile then refuses the type
    path = _ply(tmp_path, [BIN, "element vertex 1", *XYZ, "property foo w"], bytes(13))
    prefix = _corrupt(path, "PlyHeaderParseError: line 7: field type 'foo' not in [")
    assert re.fullmatch(re.escape(prefix) + r"'int8', .*'double'\]", _error(path))


def test_a_list_line_without_item_type_still_counts_its_length_type(tmp_path):
    # "property list uint": 4 bytes per row at least, so 12 + 1 bytes are short
    path = _ply(tmp_path, [BIN, "element vertex 1", *XYZ, "property list uint"], bytes(13))
    assert _error(path) == (
        f"{path}: the header declares 1 vertex but only 13 bytes follow it (truncated?)"
    )


# ---- colours -----------------------------------------------------------------------------
def _points_file(tmp_path, colour_type: str, values, name="c.ply"):
    """Three vertices at x = 0, 1, 2 with red = ``values`` (green = blue = 0), via plyfile."""
    data = np.zeros(3, dtype=[("x", "<f4"), ("y", "<f4"), ("z", "<f4"), ("red", colour_type),
                              ("green", colour_type), ("blue", colour_type)])  # fmt: skip
    data["x"] = [0, 1, 2]
    data["red"] = values
    path = tmp_path / name
    PlyData([PlyElement.describe(data, "vertex")]).write(str(path))
    return path


@pytest.mark.parametrize(
    ("colour_type", "values", "expected"),
    [
        ("<u2", [0, 257, 65535], [0, 257 / 65535, 1]),  # ushort: scaled by 1/65535
        ("i1", [0, 100, 127], [0, 100 / 255, 127 / 255]),  # char: 8 bits, scaled by 1/255
        ("<i2", [-5, 0, 32767], [0, 0, 1]),  # short: negatives clip to 0, 32767 is full
        ("u1", [0, 128, 255], [0, 128 / 255, 1]),
    ],
)
def test_integer_colours_scale_by_their_type(colour_type, values, expected, tmp_path):
    p = worldnb.load(_points_file(tmp_path, colour_type, values)).layers["points"]
    np.testing.assert_allclose(p.rgb[:, 0], expected, rtol=1e-6, atol=0)
    np.testing.assert_array_equal(p.rgb[:, 1:], 0)


def test_float_colours_outside_0_1_are_refused(tmp_path):
    path = _points_file(tmp_path, "<f4", [0.0, 0.5, 1.5])
    assert _error(path) == f"{path}: float vertex colours must lie in [0, 1]"


def test_double_colours_are_checked_at_float32(tmp_path):
    # 1 + 1e-12 is 1.0 in float32: accepted, as the same file written in float is
    path = _points_file(tmp_path, "<f8", [0.0, 0.5, 1 + 1e-12])
    np.testing.assert_array_equal(worldnb.load(path).layers["points"].rgb[:, 0], [0, 0.5, 1])


def test_an_empty_point_cloud_with_float_colours_loads(tmp_path):
    lines = ["format ascii 1.0", "element vertex 0", *XYZ,
             "property float red", "property float green", "property float blue"]  # fmt: skip
    p = worldnb.load(_ply(tmp_path, lines, b"")).layers["points"]
    assert isinstance(p, PointCloud) and len(p) == 0


def test_doubles_beyond_float32_are_reported_as_overflow(tmp_path):
    data = np.zeros(2, dtype=[("x", "<f8"), ("y", "<f8"), ("z", "<f8")])
    data["x"] = [0.0, 1e39]
    path = tmp_path / "far.ply"
    PlyData([PlyElement.describe(data, "vertex")]).write(str(path))
    assert _error(path) == (
        f"{path}: not a valid .ply file: it holds invalid data "
        "(xyz: values overflow float32; rescale the data)"
    )


# ---- faces -------------------------------------------------------------------------------
def _face_file(tmp_path, face_lines, face_body: bytes, n_faces: int):
    lines = [BIN, "element vertex 4", *XYZ, f"element face {n_faces}", *face_lines]
    body = _xyz((0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0)) + face_body
    return _ply(tmp_path, lines, body)


def _tri(*idx) -> bytes:
    return struct.pack(f"<B{len(idx)}i", len(idx), *idx)


def test_one_triangle_is_a_mesh_and_no_face_is_a_point_cloud(tmp_path):
    path = _face_file(tmp_path, ["property list uchar int vertex_indices"], _tri(0, 1, 2), 1)
    m = worldnb.load(path).layers["mesh"]
    assert isinstance(m, Mesh)
    np.testing.assert_array_equal(m.faces, [[0, 1, 2]])
    path = _face_file(tmp_path, ["property list uchar int vertex_indices"], b"", 0)
    assert isinstance(worldnb.load(path).layers["points"], PointCloud)


def test_faces_named_vertex_index_are_read(tmp_path):
    path = _face_file(tmp_path, ["property list uchar int vertex_index"], _tri(0, 1, 2), 1)
    np.testing.assert_array_equal(worldnb.load(path).layers["mesh"].faces, [[0, 1, 2]])


def test_binary_quads_are_fan_triangulated(tmp_path):
    path = _face_file(
        tmp_path, ["property list uchar int vertex_indices"], _tri(0, 1, 2, 3) + _tri(3, 2, 1), 2
    )
    np.testing.assert_array_equal(
        worldnb.load(path).layers["mesh"].faces, [[0, 1, 2], [0, 2, 3], [3, 2, 1]]
    )


def test_binary_triangles_are_read_in_one_memory_mapped_pass(tmp_path, monkeypatch):
    faces = [(0, 1, 2), (0, 2, 3)]
    path = _face_file(
        tmp_path, ["property list uchar int vertex_indices"], b"".join(_tri(*f) for f in faces), 2
    )
    calls = []
    real = PlyData.read

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(PlyData, "read", staticmethod(spy))
    np.testing.assert_array_equal(worldnb.load(path).layers["mesh"].faces, faces)
    assert calls == [{"known_list_len": {"face": {"vertex_indices": 3}}}]


@pytest.mark.parametrize(
    ("face_lines", "face_body", "n", "problem"),
    [
        (["property int foo"], struct.pack("<i", 0), 1, "face element has no vertex_indices list"),
        (["property int vertex_indices"], struct.pack("<3i", 0, 1, 2), 3,
         "face property 'vertex_indices' is not a list of vertex indices"),
        (["property list uchar int vertex_indices"], _tri(0, 1, 2) + _tri(2, 3), 2,
         "a face has 2 vertices (needs >= 3)"),
    ],
)  # fmt: skip
def test_face_messages(face_lines, face_body, n, problem, tmp_path):
    path = _face_file(tmp_path, face_lines, face_body, n)
    assert _error(path) == f"{path}: {problem}"


def test_gaussians_property_names_default_to_sh_degree_0():
    assert gaussians_ply_properties() == [
        "x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2",
        "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3",
    ]  # fmt: skip


# ---- writing -------------------------------------------------------------------------------
def test_the_written_header_is_little_endian_and_says_who_wrote_it(tmp_path):
    path = Scene(layers={"p": PointCloud(np.eye(3))}).export(tmp_path / "p.ply")
    ply = PlyData.read(str(path))
    assert (ply.byte_order, ply.comments) == ("<", ["written by worldnb"])


def test_which_layer_messages(tmp_path):
    mesh = Mesh(np.eye(3), [[0, 1, 2]])
    with pytest.raises(InputError) as err:
        Scene(layers={"a": mesh, "b": mesh}).export(tmp_path / "x.ply", layer="c")
    assert str(err.value) == "layer: no layer 'c' in this scene; layers are a, b"
    with pytest.raises(InputError) as err:
        Scene().export(tmp_path / "x.ply", layer="c")
    assert str(err.value) == "layer: no layer 'c' in this scene; layers are none"
    with pytest.raises(InputError) as err:
        Scene(layers={"room": mesh}).export(tmp_path / "x.ply")
    assert str(err.value) == (
        "export .ply: the scene has no Gaussians or point-cloud layer; "
        "to write a mesh pass layer='room'"
    )
    with pytest.raises(InputError) as err:
        Scene().export(tmp_path / "x.ply")
    assert str(err.value) == "export .ply: the scene has no Gaussians or point-cloud layer"
    assert list(tmp_path.iterdir()) == []


def test_colours_set_out_of_range_after_construction_clip_not_wrap(tmp_path):
    p = PointCloud(np.eye(3))
    p.rgb = np.array([[-0.5, 0, 1], [2.0, 0.5, 1.01], [1, 1, 1]], np.float32)  # bypasses checks
    path = Scene(layers={"p": p}).export(tmp_path / "p.ply")
    v = PlyData.read(str(path))["vertex"]
    rgb = np.stack([v["red"], v["green"], v["blue"]], axis=1)
    np.testing.assert_array_equal(rgb, [[0, 0, 255], [255, 128, 255], [255, 255, 255]])
