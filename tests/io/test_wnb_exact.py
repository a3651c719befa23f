""".wnb reading and compact writing, exactly: archives crafted by hand (zipfile +
safetensors), each refusal checked by its whole message, and what ``compact`` stores
read back with zipfile, json and safetensors rather than with worldnb.
"""

from __future__ import annotations

import json
import warnings
import zipfile
import zlib

import numpy as np
import pytest
from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import Mesh, PointCloud, Scene
from worldnb.scene.io import wnb

HEAD = {"format": "worldnb.scene.wnb", "version": 2}
XYZ = np.array([[0, 0, 0], [1, 2, 3]], np.float32)
POINTS = {"name": "p", "kind": "points", "arrays": ["xyz"]}


def _wnb(path, manifest, arrays=None, extra=()):
    """A .wnb archive: ``manifest`` (dict, merged over HEAD, or raw bytes), the
    ``arrays`` (dict -> safetensors, or raw bytes), then ``extra`` (name, bytes) members."""
    raw = manifest if isinstance(manifest, bytes) else json.dumps({**HEAD, **manifest}).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns on duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", raw)
            if arrays is not None:
                blob = arrays if isinstance(arrays, bytes) else st_save(arrays)
                zf.writestr("arrays.safetensors", blob)
            for name, data in extra:
                zf.writestr(name, data)
    return path


def _error(path) -> str:
    with pytest.raises(FormatError) as err:
        worldnb.load(path)
    return str(err.value)


def _image(value, dtype=np.float32):
    return np.full((1, 2), value, dtype)


# ---- minimal archives ----------------------------------------------------------------------
def test_format_and_version_alone_are_an_empty_scene(tmp_path):
    # no objects / layers / cameras / images / meta / encodings / aliases, no arrays member
    scene = worldnb.load(_wnb(tmp_path / "a.wnb", {}))
    assert scene == Scene()
    assert (scene.room, scene.objects, scene.layers, scene.cameras, scene.images, scene.meta) == (
        None, (), {}, {}, {}, {}
    )  # fmt: skip
    # an empty arrays member is no arrays
    assert worldnb.load(_wnb(tmp_path / "b.wnb", {}, b"")) == Scene()


def test_a_crafted_points_layer_loads(tmp_path):
    scene = worldnb.load(_wnb(tmp_path / "p.wnb", {"layers": [POINTS]}, {"layers/p/xyz": XYZ}))
    assert isinstance(scene.layers["p"], PointCloud)
    np.testing.assert_array_equal(scene.layers["p"].xyz, XYZ)


# ---- refusals, each with its whole message --------------------------------------------------
SIX = {f"images/{c}": _image(0.0) for c in "abcdef"}


@pytest.mark.parametrize(
    ("manifest", "arrays", "problem"),
    [
        (b"[]", None, "manifest.json must hold a JSON object"),
        ({"meta": []}, None, "manifest 'meta' must be an object"),
        ({"encodings": {"images/a": 1}}, None,
         "manifest 'encodings' must map array names to names"),
        ({"aliases": {"images/a": 1}}, None, "manifest 'aliases' must map array names to names"),
        ({"layers": [5]}, {}, "layers[0] must be an object"),
        ({"layers": [{**POINTS, "name": ""}]}, {}, "layers[0] needs a non-empty name"),
        ({"layers": [{**POINTS, "name": 5}]}, {}, "layers[0] needs a non-empty name"),
        ({"layers": [POINTS, POINTS]}, {"layers/p/xyz": XYZ}, "layer name 'p' appears twice"),
        ({"layers": [{**POINTS, "arrays": "xyz"}]}, {}, "layer 'p' must list its arrays"),
        ({"images": [""]}, {}, "images[0] must be a name"),
        ({"images": [5]}, {}, "images[0] must be a name"),
        ({"images": ["rgb"]}, {}, "array 'images/rgb' named in the manifest is missing"),
        ({}, SIX, "arrays not named in the manifest: "
                  "['images/a', 'images/b', 'images/c', 'images/d', 'images/e']"),
        ({"objects": [5]}, None, "objects[0] must be an object"),
        ({"cameras": [5]}, None, "cameras[0] must be an object"),
        ({"next_object_id": -1}, None, "next_object_id -1 is outside [0, 2**63]"),
        ({"next_object_id": 2**63 + 1}, None, f"next_object_id {2**63 + 1} is outside [0, 2**63]"),
        ({"encodings": {"images/x": "float16"}}, {}, "encoded array 'images/x' is missing"),
        ({"images": ["x"], "encodings": {"images/x": "float16"}}, {"images/x": _image(0.5)},
         "array 'images/x' should be float16"),
        ({"images": ["x"], "encodings": {"images/x": "delta"}}, {"images/x": _image(1, np.int64)},
         "array 'images/x' should be int32 (delta)"),
        ({"images": ["x"], "encodings": {"images/x": "delta"}},
         {"images/x": np.array([[5, -6, 1]], np.int32)},  # decodes to 5, -1, 0
         "array 'images/x' decodes to indices out of range"),
        ({"images": ["x"], "encodings": {"images/x": "delta"}},
         {"images/x": np.array([[2**31 - 1, 1]], np.int32)},  # decodes past int32
         "array 'images/x' decodes to indices out of range"),
        ({"images": ["x"], "encodings": {"images/x": "zip"}}, {"images/x": _image(0.5)},
         "array 'images/x' has unknown encoding 'zip'"),
        ({"images": ["x"], "encodings": {"images/x": "unorm8"}}, {"images/x": _image(0.5)},
         "array 'images/x' should be uint8 (unorm8)"),
        ({"images": ["a", "b"], "aliases": {"images/a": "images/b"}},
         {"images/a": _image(0.5), "images/b": _image(0.5)},
         "array 'images/a' is both stored and an alias"),
        ({"images": ["a"], "aliases": {"images/a": "images/z"}}, {},
         "alias 'images/a' names a missing array 'images/z'"),
    ],
)  # fmt: skip
def test_bad_manifests(manifest, arrays, problem, tmp_path):
    path = _wnb(tmp_path / "bad.wnb", manifest, arrays)
    assert _error(path) == f"{path}: {problem}"


@pytest.mark.parametrize("manifest", [{"layers": [POINTS]}, {"images": ["rgb"]}])
def test_layers_or_images_without_an_arrays_member(manifest, tmp_path):
    path = _wnb(tmp_path / "no.wnb", manifest)
    assert _error(path) == f"{path}: arrays.safetensors is missing"


def test_invalid_values_are_reported_as_invalid_wnb_data(tmp_path):
    bad = XYZ.copy()
    bad[1, 2] = np.nan
    path = _wnb(tmp_path / "nan.wnb", {"layers": [POINTS]}, {"layers/p/xyz": bad})
    assert _error(path) == (
        f"{path}: not a valid .wnb file: it holds invalid data "
        "(xyz: 1 non-finite value(s) (NaN or inf); clean the data first)"
    )


@pytest.mark.parametrize(
    ("member", "hint"),
    [
        *((f"model.{ext}", " (worldnb never loads pickles)")
          for ext in ("pkl", "pickle", "pt", "pth", "bin", "npy", "joblib", "PT")),
        ("weights.v1.pkl", " (worldnb never loads pickles)"),  # the last suffix counts
        ("notes.txt", ""),
        ("README", ""),
    ],
)  # fmt: skip
def test_unexpected_members_and_the_pickle_hint(member, hint, tmp_path):
    path = _wnb(tmp_path / "m.wnb", {}, None, [(member, b"x")])
    assert _error(path) == f"{path}: unexpected member {member!r} in a .wnb archive{hint}"


def test_a_member_listed_twice_is_refused(tmp_path):
    path = _wnb(tmp_path / "twice.wnb", {}, None, [("manifest.json", json.dumps(HEAD).encode())])
    assert _error(path) == f"{path}: the archive lists a member twice"


# ---- next_object_id -------------------------------------------------------------------------
@pytest.mark.parametrize("nxt", [0, 1000, 2**63])
def test_next_object_id_within_range_is_kept(nxt, tmp_path):
    scene = worldnb.load(_wnb(tmp_path / "n.wnb", {"next_object_id": nxt}))
    if nxt < 2**62:  # ids start at 1; past that, the next object added gets exactly nxt
        assert scene.add_object("box", worldnb.OrientedBox((0, 0, 0), (1, 1, 1))).id == max(nxt, 1)


@pytest.mark.parametrize("nxt", ["9", True, 5.0])
def test_a_next_object_id_that_is_not_an_integer_is_ignored(nxt, tmp_path):
    scene = worldnb.load(_wnb(tmp_path / "n.wnb", {"next_object_id": nxt}))
    assert scene.add_object("box", worldnb.OrientedBox((0, 0, 0), (1, 1, 1))).id == 1


# ---- delta encoding edge cases ----------------------------------------------------------------
def test_delta_faces_empty_and_up_to_int32_max(tmp_path):
    mesh = {"name": "m", "kind": "mesh", "arrays": ["vertices", "faces"]}
    arrays = {"layers/m/vertices": XYZ, "layers/m/faces": np.zeros((0, 3), np.int32)}
    path = _wnb(tmp_path / "e.wnb", {"layers": [mesh], "encodings": {"layers/m/faces": "delta"}},
                arrays)  # fmt: skip
    m = worldnb.load(path).layers["m"]
    assert isinstance(m, Mesh) and m.faces.shape == (0, 3)
    top = np.array([[2**31 - 8, 7]], np.int32)  # decodes to 2**31 - 8, 2**31 - 1
    path = _wnb(tmp_path / "t.wnb", {"images": ["x"], "encodings": {"images/x": "delta"}},
                {"images/x": top})  # fmt: skip
    np.testing.assert_array_equal(worldnb.load(path).images["x"], [[2**31 - 8, 2**31 - 1]])


# ---- zip members: declared sizes ----------------------------------------------------------------
def _patch_central(data: bytearray, name: bytes, *, size=None, packed=None):
    """Rewrite a member's declared sizes in the zip's central directory."""
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0, name
        if data[at + 46 : at + 46 + len(name)] == name:
            break
        at += 4
    if packed is not None:
        data[at + 20 : at + 24] = packed.to_bytes(4, "little")
    if size is not None:
        data[at + 24 : at + 28] = size.to_bytes(4, "little")
    return data


def _manifest_info(path):
    with zipfile.ZipFile(path) as zf:
        return zf.getinfo("manifest.json")


def test_declared_sizes_against_the_deflate_ratio(tmp_path):
    path = _wnb(tmp_path / "r.wnb", {})
    packed = _manifest_info(path).compress_size
    raw = bytearray(path.read_bytes())
    # one byte over 1100:1 is a bomb
    path.write_bytes(
        bytes(_patch_central(bytearray(raw), b"manifest.json", size=packed * 1100 + 1))
    )
    assert _error(path) == (
        f"{path}: member manifest.json declares {packed * 1100 + 1:,} bytes from {packed:,} "
        "compressed (a zip bomb?)"
    )
    # exactly 1100:1 passes that check; the data then falls short of the declared size
    path.write_bytes(bytes(_patch_central(bytearray(raw), b"manifest.json", size=packed * 1100)))
    assert _error(path) == f"{path}: member manifest.json is truncated"
    # a 1-byte packed member may declare 1100 bytes, not 1101
    path.write_bytes(bytes(_patch_central(bytearray(raw), b"manifest.json", size=1101, packed=1)))
    assert _error(path) == (
        f"{path}: member manifest.json declares 1,101 bytes from 1 compressed (a zip bomb?)"
    )


def test_a_stored_member_must_declare_its_stored_size(tmp_path):
    path = tmp_path / "s.wnb"
    raw = json.dumps(HEAD).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.json", raw)
    path.write_bytes(bytes(_patch_central(bytearray(path.read_bytes()), b"manifest.json",
                                          size=len(raw) + 5)))  # fmt: skip
    assert _error(path) == f"{path}: member manifest.json has inconsistent sizes"


def test_stored_arrays_may_not_declare_more_than_the_file(tmp_path):
    path = tmp_path / "big.wnb"
    blob = st_save({"layers/p/xyz": XYZ})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps({**HEAD, "layers": [POINTS]}))
        zf.writestr("arrays.safetensors", blob, compress_type=zipfile.ZIP_STORED)
    assert worldnb.load(path).layers["p"].xyz.shape == (2, 3)
    size = path.stat().st_size
    path.write_bytes(bytes(_patch_central(bytearray(path.read_bytes()), b"arrays.safetensors",
                                          size=size + 10)))  # fmt: skip
    assert _error(path) == (
        f"{path}: member arrays.safetensors declares {size + 10:,} bytes (limit {size:,})"
    )


def test_the_manifest_size_limit_is_inclusive(tmp_path, monkeypatch):
    path = _wnb(tmp_path / "l.wnb", {})
    n = _manifest_info(path).file_size
    monkeypatch.setattr(wnb, "_MAX_MANIFEST", n)
    assert worldnb.load(path) == Scene()
    monkeypatch.setattr(wnb, "_MAX_MANIFEST", n - 1)
    assert _error(path) == f"{path}: member manifest.json declares {n:,} bytes (limit {n - 1:,})"


def test_an_unsupported_compression_is_refused(tmp_path):
    path = tmp_path / "bz.wnb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("manifest.json", json.dumps(HEAD))
    assert _error(path) == f"{path}: member manifest.json uses an unsupported compression"


# ---- what compact stores, read back without worldnb ---------------------------------------------
def _stored(path):
    """(encodings, aliases, arrays) of a saved file, read with zipfile/json/safetensors."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        arrays = st_load(zf.read("arrays.safetensors"))
    return manifest["encodings"], manifest["aliases"], arrays


def _compact(scene, tmp_path, name="c.wnb"):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings from float16 casts
        path = scene.save(tmp_path / name, precision="compact")
    return path, worldnb.load(path)


def test_compact_colours_and_directions(tmp_path):
    rgb = np.array([[0, 1, 254], [255, 128, 3]], np.float32) / np.float32(255)  # 8-bit colours
    normals = np.array([[0, 1, 0], [0, 0, -1]], np.float32)  # exact in 8 bits, but directions
    scene = Scene(layers={"p": PointCloud(XYZ, rgb, normals)})
    path, back = _compact(scene, tmp_path)
    enc, _, arrays = _stored(path)
    assert enc["layers/p/rgb"] == "unorm8" and arrays["layers/p/rgb"].dtype == np.uint8
    np.testing.assert_array_equal(arrays["layers/p/rgb"], [[0, 1, 254], [255, 128, 3]])
    assert enc["layers/p/normals"] == "float16"
    np.testing.assert_array_equal(back.layers["p"].rgb, rgb)
    np.testing.assert_array_equal(back.layers["p"].normals, normals)
    # colours that are not 8-bit values are float16
    soft = np.full((2, 3), 0.3, np.float32)
    enc, _, _ = _stored(_compact(Scene(layers={"p": PointCloud(XYZ, soft)}), tmp_path, "s.wnb")[0])
    assert enc["layers/p/rgb"] == "float16"


def test_compact_images_by_kind(tmp_path):
    rng = np.random.default_rng(3)
    images = {
        "rgba": rng.random((2, 3, 4)).astype(np.float32),  # a colour image: 8 bits
        "depth": rng.random((2, 3)).astype(np.float32),  # values in [0, 1], but not colour
        "bright": np.array([[[0.25, 1.5, 0.0]]], np.float32),  # beyond 1: not 8 bits
        "seg_mask": np.array([[0.0, 1.0]], np.float32),  # masks stay as they are
        "far": np.array([[1.0, 1e6]], np.float32),  # beyond float16: as it is
        "photo": rng.integers(0, 256, (2, 3, 3), dtype=np.uint8),  # uint8: as it is
    }
    path, back = _compact(Scene(images=images), tmp_path)
    enc, _, arrays = _stored(path)
    assert enc == {"images/rgba": "unorm8", "images/depth": "float16", "images/bright": "float16"}
    for name in ("seg_mask", "far", "photo"):
        assert arrays[f"images/{name}"].dtype == images[name].dtype
        np.testing.assert_array_equal(back.images[name], images[name])
    np.testing.assert_array_equal(back.images["bright"], images["bright"])  # exact in float16
    assert back.images["depth"].dtype == np.float32
    np.testing.assert_allclose(back.images["rgba"], images["rgba"], atol=1 / 510 + 1e-7)


def test_compact_keeps_uv_and_empty_layers_exact(tmp_path):
    rng = np.random.default_rng(4)
    uv = rng.random((3, 2)).astype(np.float32)
    mesh = Mesh(XYZ[[0, 1, 1]] + [[0, 0, 0], [0, 0, 0], [1, 0, 0]], [[0, 1, 2]], uv=uv,
                texture=np.ones((2, 2, 3), np.float32))  # fmt: skip
    empty = PointCloud(np.zeros((0, 3), np.float32))
    path, back = _compact(Scene(layers={"m": mesh, "e": empty}), tmp_path)
    enc, _, arrays = _stored(path)
    assert "layers/m/uv" not in enc and arrays["layers/m/uv"].dtype == np.float32
    np.testing.assert_array_equal(back.layers["m"].uv, uv)
    assert not any(k.startswith("layers/e/") for k in enc)
    assert len(back.layers["e"]) == 0


# ---- writing ----------------------------------------------------------------------------------
def test_both_members_are_deflated_the_arrays_at_level_1(tmp_path):
    rng = np.random.default_rng(5)
    xyz = np.round(rng.normal(size=(3000, 3)), 2).astype(np.float32)  # compressible, not trivially
    path = Scene(layers={"p": PointCloud(xyz)}).save(tmp_path / "z.wnb")
    with zipfile.ZipFile(path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        blob = zf.read("arrays.safetensors")
    assert list(infos) == ["manifest.json", "arrays.safetensors"]
    assert {i.compress_type for i in infos.values()} == {zipfile.ZIP_DEFLATED}
    # raw deflate (zipfile's wbits=-15) at level 1, the fast level: the same packed size
    sizes = {}
    for level in (1, 2, 6):
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
        sizes[level] = len(c.compress(blob) + c.flush())
    assert len(set(sizes.values())) == 3  # the levels tell apart on this data
    assert infos["arrays.safetensors"].compress_size == sizes[1]


def test_saving_needs_the_wnb_extension(tmp_path):
    path = tmp_path / "s.glb"
    with pytest.raises(InputError) as err:
        Scene().save(path)
    assert str(err.value) == (
        f"{path}: a saved scene needs the .wnb extension "
        "(use scene.export() for .glb, .ply or .json)"
    )
    assert list(tmp_path.iterdir()) == []
