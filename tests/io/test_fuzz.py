"""Every loader, fed truncated, bit-flipped, junk and mislabelled files, either returns a
Scene or raises FormatError naming the file — never another exception, never a hang."""

from __future__ import annotations

import contextlib
import json
import signal
import zipfile
import zlib

import numpy as np
import pytest

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import OrientedBox, Scene

HANG_SECONDS = 20  # far above any real load of these tiny files


@contextlib.contextmanager
def _no_hang(what: str):
    def alarm(signum, frame):
        raise AssertionError(f"loading {what} took more than {HANG_SECONDS} s (a hang?)")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _small_scene(parts, rng) -> Scene:
    s = Scene(room=parts.room(), meta={"seed": 1})
    s.add_object("bed", OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0), 0.2), front=True, color="red")
    s.layers["points"] = parts.points(rng, n=12)
    s.layers["mesh"] = parts.mesh(rng, textured=True)
    s.layers["g"] = parts.gaussians(rng, n=6, sh_k=3)
    s.cameras["main"] = parts.scene(rng).cameras["main"]
    s.images["rgb"] = rng.integers(0, 256, (3, 4, 3), dtype=np.uint8)
    return s


def _sources(parts, rng, folder) -> dict[str, bytes]:
    s = _small_scene(parts, rng)
    files = {
        "scene.wnb": s.save(folder / "scene.wnb"),
        "scene.glb": s.export(folder / "scene.glb"),
        "scene.json": s.export(folder / "scene.json"),
        "gauss.ply": s.export(folder / "gauss.ply", layer="g"),
        "points.ply": s.export(folder / "points.ply", layer="points", text=True),
        "mesh.ply": s.export(folder / "mesh.ply", layer="mesh"),
    }
    return {name: path.read_bytes() for name, path in files.items()}


def _check(path, data: bytes) -> str:
    path.write_bytes(data)
    with _no_hang(path.name):
        try:
            out = worldnb.load(path)
        except FormatError as exc:
            assert path.name in str(exc), f"message does not name the file: {exc}"
            return "error"
    assert isinstance(out, Scene)
    return "loaded"


def _mutations(data: bytes, rng: np.random.Generator):
    n = len(data)
    cuts = sorted({0, 1, 3, 4, 11, 12, 20, 24, n // 2, n - 1, *rng.integers(0, n, 30).tolist()})
    for cut in cuts:
        if cut < n:
            yield f"truncated at {cut}", data[:cut]
    for i in range(150):
        buf = bytearray(data)
        k = 1 if i < 75 else int(rng.integers(2, 16))
        # half the flips land in the first 512 bytes, where headers and manifests live
        hi = min(n, 512) if i % 2 else n
        for pos in rng.integers(0, hi, k):
            buf[pos] ^= 1 << int(rng.integers(0, 8))
        yield f"{k} bit(s) flipped", bytes(buf)
    for size in (1, 7, 64, 1000):
        yield f"{size} junk bytes", rng.integers(0, 256, size, dtype=np.uint8).tobytes()
    yield "junk after a good start", data[: n // 3] + rng.integers(0, 256, 500, np.uint8).tobytes()


@pytest.mark.parametrize(
    "name", ["scene.wnb", "scene.glb", "scene.json", "gauss.ply", "points.ply", "mesh.ply"]
)
def test_corrupted_files_raise_format_error(name, parts, rng, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    data = _sources(parts, rng, src)[name]
    outcomes = {}
    for what, mutated in _mutations(data, np.random.default_rng(zlib.crc32(name.encode()))):
        try:
            outcome = _check(tmp_path / f"fuzz{name[name.index('.') :]}", mutated)
        except AssertionError:
            raise
        except Exception as exc:
            pytest.fail(f"{name}, {what}: {type(exc).__name__}: {exc}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("error", 0) >= 40, outcomes  # the loaders do notice damage


def test_wrong_extension_content(parts, rng, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    sources = _sources(parts, rng, src)
    for name, data in sources.items():
        for ext in (".wnb", ".glb", ".gltf", ".json", ".ply"):
            if name.endswith(ext) or (name.endswith(".glb") and ext == ".gltf"):
                continue  # a .gltf may hold GLB bytes: both are glTF
            assert _check(tmp_path / f"wrong{ext}", data) == "error", (name, ext)


def test_missing_file_is_an_input_error(tmp_path):
    for ext in (".wnb", ".glb", ".gltf", ".json", ".ply"):
        with pytest.raises(InputError, match="no such file"):
            worldnb.load(tmp_path / f"missing{ext}")


def _safetensors_claiming(shape: list[int], nbytes: int) -> bytes:
    """A safetensors blob whose header declares ``shape`` over only ``nbytes`` of data."""
    header = {"layers/points/xyz": {"dtype": "F32", "shape": shape, "data_offsets": [0, nbytes]}}
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return len(raw).to_bytes(8, "little") + raw + bytes(nbytes)


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
def test_hostile_archives(parts, rng, tmp_path):
    good = _small_scene(parts, rng).save(tmp_path / "good.wnb")
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}

    def archive(name, items, compression=zipfile.ZIP_STORED):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", compression) as zf:
            for n, d in items:
                zf.writestr(n, d)
        return path

    cases = {
        "pickle.wnb": [*members.items(), ("arrays.pkl", b"\x80\x04K\x01.")],
        "torch.wnb": [("archive/data.pkl", b"\x80\x02}q\x00."), ("archive/version", b"3")],
        "empty.wnb": [],
        "twice.wnb": [*members.items(), ("manifest.json", members["manifest.json"])],
        "badst.wnb": [
            ("manifest.json", members["manifest.json"]),
            ("arrays.safetensors", b"\xff" * 64),
        ],
        "hugehdr.wnb": [
            ("manifest.json", members["manifest.json"]),
            ("arrays.safetensors", (2**62).to_bytes(8, "little") + b"{}"),
        ],
        "hugeshape.wnb": [
            ("manifest.json", members["manifest.json"]),
            ("arrays.safetensors", _safetensors_claiming([10**12, 3], 16)),
        ],
        "notjson.wnb": [("manifest.json", b"\x00\x01garbage")],
        "deep.wnb": [("manifest.json", b"[" * 200000)],
    }
    for name, items in cases.items():
        with pytest.raises(FormatError) as err:
            worldnb.load(archive(name, items))
        assert name in str(err.value)
    bomb = archive("bomb.wnb", [("manifest.json", b"{" + b" " * (100 << 20))], zipfile.ZIP_DEFLATED)
    with pytest.raises(FormatError, match="declares"):
        worldnb.load(bomb)
