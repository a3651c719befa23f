"""`worldnb generate` with several outputs is all or nothing (issue 15 item 1): a failed
run leaves every file that existed before exactly as it was, and writes no new one."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import worldnb
from worldnb.cli import main
from worldnb.errors import InputError
from worldnb.scene import io as sio


@pytest.fixture
def photo(tmp_path, room_render):
    p = tmp_path / "in" / "room.png"
    p.parent.mkdir()
    Image.fromarray((room_render.rgb * 255 + 0.5).astype(np.uint8)).save(p)
    return p


def _args(photo, tiny_dpt, out, *exports):
    argv = ["generate", str(photo), "-o", str(out), "--depth", str(tiny_dpt)]
    argv += ["--n-views", "0", "--device", "cpu", "--quiet"]
    return argv + (["--export", *map(str, exports)] if exports else [])


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_missing_export_folder_keeps_the_files_that_existed(photo, tiny_dpt, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "scene.wnb").write_bytes(b"the old scene")
    (out / "scene.json").write_bytes(b"the old json")
    before = _snapshot(out)
    argv = _args(photo, tiny_dpt, out / "scene.wnb", out / "scene.json", out / "nope" / "x.glb")
    assert main(argv) == 2
    assert "nope" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_a_write_failing_after_others_succeeded_changes_nothing(
    photo, tiny_dpt, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "scene.wnb").write_bytes(b"the old scene")
    (out / "scene.json").write_bytes(b"the old json")
    before = _snapshot(out)

    def full_disk(scene, path, **options):
        raise InputError(f"{path}: cannot write it: No space left on device")

    monkeypatch.setitem(sio._WRITERS, ".ply", full_disk)  # the last of four outputs
    argv = _args(
        photo, tiny_dpt, out / "scene.wnb", out / "scene.json", out / "new.glb", out / "new.ply"
    )
    assert main(argv) == 2
    assert "No space left" in capsys.readouterr().err
    assert _snapshot(out) == before  # no new.glb, old files untouched, no temporaries


def test_all_outputs_are_written_when_everything_succeeds(photo, tiny_dpt, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "scene.wnb").write_bytes(b"the old scene")
    outputs = [out / "scene.wnb", out / "scene.json", out / "scene.glb", out / "scene.ply"]
    assert main(_args(photo, tiny_dpt, *outputs)) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in outputs)
    scene = worldnb.load(out / "scene.wnb")
    assert set(scene.layers) == {"mesh", "gaussians", "points"}
    assert worldnb.load(out / "scene.ply").layers


@pytest.mark.parametrize("bad", ["same twice", "folder", "gltf"])
def test_bad_output_lists_are_refused_before_generating(bad, photo, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    exports = {
        "same twice": [out / "a.json", out / "." / "a.json"],
        "folder": [out],
        "gltf": [out / "a.gltf"],  # import only: no .gltf writer
    }[bad]
    # no depth model is named: the outputs are refused before any model would load
    argv = ["generate", str(photo), "-o", str(out / "s.wnb"), "--quiet", "--depth", "org/x"]
    assert main([*argv, "--export", *map(str, exports)]) == 2
    assert "org/x" not in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_all_or_nothing_restores_files_when_a_move_fails(tmp_path, monkeypatch):
    import os

    scene = worldnb.Scene(room=worldnb.Room.rectangle(4, 3))
    (tmp_path / "a.json").write_bytes(b"old a")
    (tmp_path / "b.json").write_bytes(b"old b")
    real_replace = os.replace

    def flaky(src, dst):  # the move into b.json fails, after a.json was moved
        if str(dst).endswith("b.json"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(InputError, match="No space left"), sio.all_or_nothing():
        scene.export(tmp_path / "a.json")
        scene.export(tmp_path / "b.json")
        scene.export(tmp_path / "c.json")
    monkeypatch.undo()
    assert _snapshot(tmp_path) == {"a.json": b"old a", "b.json": b"old b"}
