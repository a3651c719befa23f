"""Paths over the OS limit are InputErrors naming the path, wherever a path is taken
(issue 15 item 12): images, model folders, the CLI, HTML pages and videos. Scene files
are tested in tests/io/test_hardening.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import worldnb
from worldnb.cli import main
from worldnb.errors import InputError, WorldnbError


@pytest.fixture
def long_stem(tmp_path) -> Path:
    return tmp_path / ("a" * 300)  # one component over NAME_MAX (255)


def _flat(rgb):
    return np.full(rgb.shape[:2], 2.0, np.float32)


def test_images_and_model_folders(long_stem):
    from worldnb.generation import GenerationConfig, TransformersDepth, load_image

    for fn in (
        lambda: load_image(f"{long_stem}.png"),
        lambda: worldnb.generate(
            f"{long_stem}.png", GenerationConfig(n_views=0), depth=_flat, progress=False
        ),
        lambda: TransformersDepth(long_stem, device="cpu"),
        lambda: TransformersDepth(str(long_stem), device="cpu"),
    ):
        with pytest.raises(InputError, match="too long") as err:
            fn()
        assert "a" * 40 in str(err.value)


def test_html_pages_and_videos(long_stem, tmp_path):
    scene = worldnb.Scene(room=worldnb.Room.rectangle(4, 3))
    cam = worldnb.Camera.look_at((0, 1.5, 3), (0, 1, 0), width=16, height=16)
    with pytest.raises(InputError, match="too long"):
        scene.to_html(f"{long_stem}.html")
    with pytest.raises(InputError, match="too long"):
        worldnb.rendering.render_video(scene, [cam], f"{long_stem}.gif", progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["image", "output", "export"])
def test_the_cli_prints_one_line(where, long_stem, tmp_path, capsys):
    image, out, export = tmp_path / "in.png", tmp_path / "s.wnb", tmp_path / "s.json"
    if where == "image":
        image = Path(f"{long_stem}.png")
    elif where == "output":
        out = Path(f"{long_stem}.wnb")
    else:
        export = Path(f"{long_stem}.json")
    argv = ["generate", str(image), "-o", str(out), "--export", str(export), "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "too long" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_too_long_is_a_worldnb_error_for_every_loader(long_stem):
    for ext in ("wnb", "glb", "gltf", "ply", "json"):
        with pytest.raises(WorldnbError, match="too long"):
            worldnb.load(f"{long_stem}.{ext}")
