"""Scene files under hostile conditions (issue 15): paths the OS refuses, full disks,
FIFOs, symlinks, killed saves, nested metadata, glTF files that lie about what they hold.

Every failure is an InputError or FormatError naming the path, and a file that existed
before a failed save is left exactly as it was.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
import trimesh
from PIL import Image

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import Mesh, OrientedBox, PointCloud, Scene, SceneObject
from worldnb.scene.io import _files

REPO = Path(__file__).resolve().parents[2]
SAVERS = ("wnb", "glb", "ply", "json")


def _write(scene: Scene, path: Path):
    return scene.save(path) if path.suffix == ".wnb" else scene.export(path)


def _small_scene(rng, n=50) -> Scene:
    s = Scene(room=worldnb.Room.rectangle(4, 3), meta={"v": "old"})
    s.add_object("bed", OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)))
    s.layers["points"] = PointCloud(rng.uniform(-1, 1, (n, 3)), rng.random((n, 3)))
    return s


def _child(code: str, *args: str, timeout: float = 120, prefix=()) -> dict:
    """Run ``code`` in a fresh interpreter with this worktree's worldnb; it prints JSON."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [*prefix, sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- paths the OS refuses ---------------------------------------------------------------
@pytest.mark.parametrize("kind", ["long name", "long path"])
def test_paths_over_the_os_limit_are_input_errors_naming_the_path(kind, rng, tmp_path):
    scene = _small_scene(rng)
    if kind == "long name":  # one component over NAME_MAX (255)
        stem = tmp_path / ("a" * 300)
    else:  # every component is fine, the whole is over PATH_MAX (4096)
        stem = tmp_path.joinpath(*["b" * 200] * 25) / "x"
    for ext in SAVERS:
        path = Path(f"{stem}.{ext}")
        with pytest.raises(InputError, match=r"too long") as err:
            _write(scene, path)
        assert path.name[:40] in str(err.value)
        with pytest.raises(InputError, match=r"too long") as err:
            worldnb.load(path)
        assert path.name[:40] in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_a_target_name_near_the_limit_still_saves(rng, tmp_path):
    # the temporary file's name is longer than the target's; it must still fit
    scene = _small_scene(rng)
    path = tmp_path / ("c" * 251 + ".wnb")
    assert worldnb.load(scene.save(path)) == scene
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def _fifo_guarded(fn, fifo: Path, seconds: float = 10.0):
    """Run ``fn`` in a thread; if it blocks on the FIFO, unblock it and fail."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():  # a reader is stuck in open(): give it a writer, then EOF
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        t.join(seconds)
        pytest.fail(f"{fn} blocked on the FIFO {fifo}")
    return box


@pytest.mark.parametrize("ext", ["wnb", "glb", "gltf", "ply", "json"])
def test_a_fifo_is_refused_by_load(ext, tmp_path):
    fifo = tmp_path / f"pipe.{ext}"
    os.mkfifo(fifo)
    box = _fifo_guarded(lambda: worldnb.load(fifo), fifo)
    assert isinstance(box.get("error"), InputError), box
    assert "not a regular file" in str(box["error"]) and str(fifo) in str(box["error"])


def test_load_vsibench_refuses_fifos_and_over_long_paths(tmp_path):
    from worldnb.scene.io import load_vsibench

    fifo = tmp_path / "scannet_meta_info_val.json"
    os.mkfifo(fifo)
    for p in (fifo, tmp_path):  # the file, or the folder holding it
        box = _fifo_guarded(lambda p=p: load_vsibench(p), fifo)
        assert isinstance(box.get("error"), InputError), box
        assert "not a regular file" in str(box["error"])
    with pytest.raises(InputError, match="too long"):
        load_vsibench(tmp_path / ("x" * 300))


def test_a_fifo_named_by_a_gltf_is_refused(tmp_path):
    files = trimesh.Scene(trimesh.creation.box((1, 1, 1))).export(file_type="gltf")
    gltf = json.loads(files["model.gltf"])
    os.mkfifo(tmp_path / "pipe.bin")
    gltf["buffers"][0]["uri"] = "pipe.bin"
    (tmp_path / "m.gltf").write_text(json.dumps(gltf))
    box = _fifo_guarded(lambda: worldnb.load(tmp_path / "m.gltf"), tmp_path / "pipe.bin")
    assert isinstance(box.get("error"), FormatError), box
    assert "pipe.bin" in str(box["error"])


def test_saving_over_a_non_regular_file_is_refused(rng, tmp_path):
    fifo = tmp_path / "pipe.wnb"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        _small_scene(rng).save(fifo)
    assert fifo.is_fifo()


# ---- full disks, size limits --------------------------------------------------------------
_BIG_SAVE = """
    import json, os, resource, signal, sys
    import numpy as np
    import worldnb
    from worldnb.errors import WorldnbError
    folder = sys.argv[1]
    path = os.path.join(folder, "s.{ext}")
    dot = worldnb.PointCloud(np.zeros((2, 3)))
    old = worldnb.Scene(worldnb.Room.rectangle(4, 3), layers={{"p": dot}}, meta={{"v": "old"}})
    old.save(path) if path.endswith(".wnb") else old.export(path)
    before = open(path, "rb").read()
    xyz = np.random.default_rng(0).uniform(-1, 1, (400_000, 3))
    big = worldnb.Scene(layers={{"p": worldnb.PointCloud(xyz, np.ones_like(xyz))}})
    for i in range(20_000):  # the .json export holds objects only
        big.add_object("box", worldnb.OrientedBox((i, 0.5, 0), (1, 1, 1)))
    {limit}
    try:
        big.save(path) if path.endswith(".wnb") else big.export(path)
        err = None
    except WorldnbError as exc:
        err = [type(exc).__name__, str(exc)]
    except Exception as exc:
        err = ["raw " + type(exc).__name__, str(exc)]
    print(json.dumps({{"error": err, "kept": open(path, "rb").read() == before,
                      "files": sorted(os.listdir(folder))}}))
"""


@pytest.mark.parametrize("ext", SAVERS)
def test_file_too_large_on_save_is_an_input_error_and_keeps_the_old_file(ext, tmp_path):
    # a real EFBIG from the kernel: RLIMIT_FSIZE (ulimit -f) at 1 MB, SIGXFSZ ignored
    limit = (
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, resource.RLIM_INFINITY))"
    )
    r = _child(_BIG_SAVE.format(ext=ext, limit=limit), str(tmp_path))
    assert r["error"] is not None and r["error"][0] == "InputError", r
    assert str(tmp_path / f"s.{ext}") in r["error"][1] and "too large" in r["error"][1]
    assert r["kept"] and r["files"] == [f"s.{ext}"]


def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


@pytest.mark.parametrize("ext", SAVERS)
def test_disk_full_on_a_real_tmpfs_is_an_input_error_and_keeps_the_old_file(ext, tmp_path):
    if not _can_mount_tmpfs():
        pytest.skip("cannot mount a tmpfs here (needs user namespaces); see the fsync test")
    # a 2 MB tmpfs in a private mount namespace: the big scene (~20 MB) does not fit
    mnt = tmp_path / "small"
    mnt.mkdir()
    cmd = f'mount -t tmpfs -o size=2m tmpfs {mnt} && exec "$@"'
    r = _child(
        _BIG_SAVE.format(ext=ext, limit=""),
        str(mnt),
        prefix=("unshare", "-rm", "sh", "-c", cmd, "sh"),
    )
    assert r["error"] is not None and r["error"][0] == "InputError", r
    assert str(mnt / f"s.{ext}") in r["error"][1] and "space" in r["error"][1]
    assert r["kept"] and r["files"] == [f"s.{ext}"]


def test_enospc_at_fsync_is_an_input_error_and_keeps_the_old_file(rng, tmp_path, monkeypatch):
    # simulated at the OS boundary: network and delayed-allocation file systems report a
    # full disk only when the data is flushed
    path = tmp_path / "s.wnb"
    old = _small_scene(rng)
    old.save(path)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError, match="No space left") as err:
        _small_scene(rng, 500).save(path)
    assert str(path) in str(err.value)
    monkeypatch.undo()
    assert worldnb.load(path) == old
    assert [p.name for p in tmp_path.iterdir()] == ["s.wnb"]


# ---- temporary files and symlinks on save ------------------------------------------------
def test_stale_temporary_files_are_cleaned_on_the_next_save(rng, tmp_path):
    path = tmp_path / "s.wnb"
    stale = [tmp_path / ".s.wnb.k1llEd_1.tmp", tmp_path / ".s.wnb.abcdefgh.tmp"]
    for p in stale:
        p.write_bytes(b"PK half a zip")
    others = [
        tmp_path / ".t.wnb.abcdefgh.tmp",  # another file's temporary
        tmp_path / ".s.wnb.notes.tmp",  # not a name the writer makes
        tmp_path / "s.wnb.abcdefgh.tmp",  # not hidden
    ]
    for p in others:
        p.write_bytes(b"keep me")
    busy = tmp_path / ".s.wnb.inUse123.tmp"  # another process is writing it right now
    busy.write_bytes(b"being written")
    fd = os.open(busy, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        _small_scene(rng).save(path)
    finally:
        os.close(fd)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["s.wnb", busy.name, *(p.name for p in others)])


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(rng, tmp_path):
    real = tmp_path / "data"
    real.mkdir()
    (real / "s.wnb").write_bytes(b"")
    link = tmp_path / "s.wnb"
    link.symlink_to(real / "s.wnb")
    chain = tmp_path / "chain.wnb"  # a link to the link
    chain.symlink_to(link)
    scene = _small_scene(rng)
    for via in (link, chain):
        scene.save(via)
        assert via.is_symlink() and link.is_symlink()
        assert worldnb.load(real / "s.wnb") == scene
    dangling = tmp_path / "new.json"
    dangling.symlink_to(real / "new.json")
    scene.export(dangling)
    assert dangling.is_symlink() and worldnb.load(real / "new.json").objects == scene.objects
    assert sorted(p.name for p in real.iterdir()) == ["new.json", "s.wnb"]


def test_a_symlink_to_a_non_regular_file_is_refused(rng, tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "s.wnb").symlink_to(tmp_path / "pipe")
    with pytest.raises(InputError, match="not a regular file"):
        _small_scene(rng).save(tmp_path / "s.wnb")
    assert (tmp_path / "pipe").is_fifo()


# ---- meta / attrs that JSON, copy and == cannot walk -------------------------------------
def _nested(depth: int):
    v: object = "leaf"
    for _ in range(depth):
        v = {"k": [v]}
    return v


def _self_referencing():
    m: dict = {"name": "loop"}
    m["self"] = [m]
    return m


@pytest.mark.parametrize("value", [_self_referencing(), _nested(3000)], ids=["cycle", "deep"])
def test_meta_and_attrs_that_cannot_be_walked_are_refused_on_assignment(value):
    with pytest.raises(InputError, match="meta"):
        Scene(meta={"x": value})
    s = Scene()
    with pytest.raises(InputError, match="meta"):
        s.meta = {"x": value}
    with pytest.raises(InputError, match="attrs"):
        s.add_object("bed", OrientedBox((0, 0, 0), (1, 1, 1)), note=value)
    with pytest.raises(InputError, match="attrs"):
        SceneObject(1, "bed", OrientedBox((0, 0, 0), (1, 1, 1)), attrs={"x": value})
    assert s.objects == ()


@pytest.mark.parametrize("value", [_self_referencing(), _nested(3000)], ids=["cycle", "deep"])
def test_meta_mutated_in_place_is_refused_by_save_copy_and_eq(value, tmp_path):
    s = Scene(meta={"ok": 1})
    s.add_object("bed", OrientedBox((0, 0, 0), (1, 1, 1)))
    s.meta["x"] = value
    for fn in (lambda: s.save(tmp_path / "s.wnb"), s.copy, lambda: s == Scene()):
        with pytest.raises(InputError, match="meta"):
            fn()
    del s.meta["x"]
    s.objects[0].attrs["y"] = value
    for fn in (lambda: s.export(tmp_path / "s.json"), s.copy, lambda: s == Scene()):
        with pytest.raises(InputError, match="attrs"):
            fn()
    assert list(tmp_path.iterdir()) == []


def test_nesting_up_to_the_limit_round_trips(tmp_path):
    from worldnb.scene.validate import MAX_NESTING

    ok = _nested((MAX_NESTING - 1) // 2)  # {"k": [...]} is two levels per step
    s = Scene(meta={"x": ok})
    s.add_object("bed", OrientedBox((0, 0, 0), (1, 1, 1)), note=ok)
    assert worldnb.load(s.save(tmp_path / "s.wnb")) == s
    assert s.copy() == s


def test_files_with_meta_nested_too_deep_are_format_errors(rng, tmp_path):
    import zipfile

    src = _small_scene(rng).save(tmp_path / "src.wnb")
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["meta"] = {"x": _nested(200)}  # below Python's recursion limit, over ours
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "deep.wnb", "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    with pytest.raises(FormatError, match="nested"):
        worldnb.load(tmp_path / "deep.wnb")
    record = json.loads(_small_scene(rng).export(tmp_path / "s.json").read_text())
    record["objects"][0]["attrs"] = {"x": _nested(200)}
    (tmp_path / "deep.json").write_text(json.dumps(record))
    with pytest.raises(FormatError, match="nested"):
        worldnb.load(tmp_path / "deep.json")


# ---- glTF: symlinks, encoded URIs, required extensions, big textures, big reservations ---
def _gltf_files(folder: Path) -> dict:
    files = trimesh.Scene(trimesh.creation.box((1, 2, 3))).export(file_type="gltf")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return json.loads(files["model.gltf"])


def test_gltf_resources_behind_symlinks_must_stay_in_the_folder(tmp_path):
    outside, folder = tmp_path / "outside", tmp_path / "model"
    outside.mkdir()
    folder.mkdir()
    gltf = _gltf_files(folder)
    buf = gltf["buffers"][0]["uri"]
    shutil.copy(folder / buf, outside / "secret.bin")
    (folder / "link.bin").symlink_to(outside / "secret.bin")  # a file link out
    (folder / "sub").symlink_to(outside)  # a folder link out
    for uri in ("link.bin", "sub/secret.bin"):
        gltf["buffers"][0]["uri"] = uri
        (folder / "bad.gltf").write_text(json.dumps(gltf))
        with pytest.raises(FormatError, match="outside the file's folder"):
            worldnb.load(folder / "bad.gltf")
    (folder / "inside.bin").symlink_to(folder / buf)  # a link that stays inside is fine
    gltf["buffers"][0]["uri"] = "inside.bin"
    (folder / "ok.gltf").write_text(json.dumps(gltf))
    (mesh,) = worldnb.load(folder / "ok.gltf").layers.values()
    assert len(mesh.faces) == 12


def test_percent_encoded_gltf_uris_are_decoded(tmp_path):
    gltf = _gltf_files(tmp_path)
    (tmp_path / gltf["buffers"][0]["uri"]).rename(tmp_path / "my box #1.bin")
    gltf["buffers"][0]["uri"] = "my%20box%20%231.bin"
    (tmp_path / "enc.gltf").write_text(json.dumps(gltf))
    (mesh,) = worldnb.load(tmp_path / "enc.gltf").layers.values()
    np.testing.assert_allclose(mesh.bounds, [[-0.5, -1, -1.5], [0.5, 1, 1.5]])
    gltf["buffers"][0]["uri"] = "..%2F..%2Fetc%2Fpasswd"  # encoding must not hide a '..'
    (tmp_path / "up.gltf").write_text(json.dumps(gltf))
    with pytest.raises(FormatError, match="outside the file's folder"):
        worldnb.load(tmp_path / "up.gltf")


def _split(data: bytes) -> tuple[dict, bytes]:
    (jlen,) = struct.unpack_from("<I", data, 12)
    gltf = json.loads(data[20 : 20 + jlen])
    (blen,) = struct.unpack_from("<I", data, 20 + jlen)
    return gltf, data[28 + jlen : 28 + jlen + blen]


def _join(gltf: dict, binary: bytes) -> bytes:
    binary += b"\x00" * (-len(binary) % 4)
    gltf["buffers"] = [{"byteLength": len(binary)}]
    js = json.dumps(gltf).encode()
    js += b" " * (-len(js) % 4)
    body = struct.pack("<II", len(js), 0x4E4F534A) + js
    body += struct.pack("<II", len(binary), 0x004E4942) + binary
    return struct.pack("<III", 0x46546C67, 2, 12 + len(body)) + body


def _textured_glb(tmp_path: Path, rng, parts) -> bytes:
    scene = Scene(layers={"t": parts.mesh(rng, colors=False, textured=True)})
    return scene.export(tmp_path / "t.glb").read_bytes()


def test_a_glb_that_requires_draco_is_refused(rng, parts, tmp_path):
    gltf, binary = _split(_textured_glb(tmp_path, rng, parts))
    gltf["extensionsUsed"] = ["KHR_draco_mesh_compression"]
    gltf["extensionsRequired"] = ["KHR_draco_mesh_compression"]
    (tmp_path / "draco.glb").write_bytes(_join(gltf, binary))
    with pytest.raises(FormatError, match=r"KHR_draco_mesh_compression.*Draco"):
        worldnb.load(tmp_path / "draco.glb")
    gltf["extensionsRequired"] = []  # used but optional: readable
    (tmp_path / "optional.glb").write_bytes(_join(gltf, binary))
    assert "t" in worldnb.load(tmp_path / "optional.glb").layers


def test_texture_pixels_are_capped_before_decoding(rng, parts, tmp_path):
    gltf, binary = _split(_textured_glb(tmp_path, rng, parts))
    png = io.BytesIO()
    Image.new("1", (8200, 8200)).save(png, "PNG")  # 67 MP, a few kB on disk
    view = gltf["images"][0]["bufferView"]
    gltf["bufferViews"][view] = {"buffer": 0, "byteOffset": len(binary), "byteLength": png.tell()}
    (tmp_path / "big.glb").write_bytes(_join(gltf, binary + png.getvalue()))
    assert (tmp_path / "big.glb").stat().st_size < 50_000
    with pytest.raises(FormatError, match=r"8200×8200.*allow_large=True"):
        worldnb.load(tmp_path / "big.glb")


def test_allow_large_lets_a_big_texture_through(rng, parts, tmp_path, monkeypatch):
    from worldnb.scene.io import gltf_read

    monkeypatch.setattr(gltf_read, "MAX_TEXTURE_PIXELS", 32 * 32)  # the 6×5 texture is fine
    gltf, binary = _split(_textured_glb(tmp_path, rng, parts))
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(png, "PNG")
    view = gltf["images"][0]["bufferView"]
    gltf["bufferViews"][view] = {"buffer": 0, "byteOffset": len(binary), "byteLength": png.tell()}
    (tmp_path / "big.glb").write_bytes(_join(gltf, binary + png.getvalue()))
    with pytest.raises(FormatError, match=r"40×30"):
        worldnb.load(tmp_path / "big.glb")
    mesh = worldnb.load(tmp_path / "big.glb", allow_large=True).layers["t"]
    assert mesh.texture.shape[:2] == (30, 40)


_AS_LIMIT = """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    import worldnb
    out = {}
    for p in sys.argv[1:]:
        try:
            worldnb.load(p)
            out[p] = "ok"
        except Exception as exc:
            out[p] = type(exc).__name__ + ": " + str(exc)[:200]
    print(json.dumps(out))
"""


def test_small_files_load_under_a_4gb_address_space_limit(rng, tmp_path):
    scene = _small_scene(rng)
    paths = [str(_write(scene, tmp_path / f"s.{ext}")) for ext in SAVERS]
    _gltf_files(tmp_path)
    paths.append(str(tmp_path / "model.gltf"))
    r = _child(_AS_LIMIT, *paths)
    assert r == dict.fromkeys(paths, "ok")


def test_read_bytes_reads_in_chunks_up_to_the_limit(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(os.urandom(3 * _files.CHUNK_BYTES + 5))
    assert _files.read_bytes(p) == p.read_bytes()
    with pytest.raises(FormatError, match="more than"):
        _files.read_bytes(p, limit=_files.CHUNK_BYTES)


def test_meshes_with_a_missing_texture_still_load(tmp_path):
    # the texture cap reads image headers; a mesh without images is untouched
    m = Mesh(np.eye(3, dtype=np.float32), np.array([[0, 1, 2]]))
    s = Scene(layers={"m": m})
    assert "m" in worldnb.load(s.export(tmp_path / "m.glb")).layers


def test_saves_work_without_file_locks(rng, tmp_path, monkeypatch):
    # where fcntl is missing (Windows) files are closed before the rename and stale
    # temporary files are left alone
    monkeypatch.setattr(_files, "fcntl", None)
    stale = tmp_path / ".s.wnb.abcdefgh.tmp"
    stale.write_bytes(b"left by a killed save")
    scene = _small_scene(rng)
    with _files.all_or_nothing():
        scene.save(tmp_path / "s.wnb")
        scene.export(tmp_path / "s.json")
    assert worldnb.load(tmp_path / "s.wnb") == scene
    assert sorted(p.name for p in tmp_path.iterdir()) == [stale.name, "s.json", "s.wnb"]
