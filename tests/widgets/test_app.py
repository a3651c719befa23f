"""worldnb studio: its notebook and argument checks (served: tests/browser/test_studio_app.py)."""

from __future__ import annotations

import json

import pytest

import worldnb as wn
from worldnb.errors import InputError
from worldnb.widgets.app import serve_studio, studio_notebook


def _source(nb: dict) -> str:
    json.dumps(nb)  # plain JSON
    return nb["cells"][0]["source"]


def test_notebook_for_a_scene_an_image_or_nothing(tmp_path):
    scene = wn.Scene(room=wn.Room.rectangle(3, 3)).save(tmp_path / "a.wnb")
    src = _source(studio_notebook(scene, depth="org/depth", inpaint=str(tmp_path)))
    assert f"wn.load({str(scene.resolve())!r})" in src
    assert "depth='org/depth'" in src and f"inpaint={str(tmp_path)!r}" in src
    assert "segment" not in src and "image=" not in src
    photo = tmp_path / "p.png"
    photo.write_bytes(b"")  # only the name matters here
    src = _source(studio_notebook(photo))
    assert f"image={str(photo.resolve())!r}" in src and "studio(None" in src
    src = _source(studio_notebook(None, width=500, height=300))
    assert "sample_room('living_room'" in src and "width=500, height=300" in src
    # the cell runs: it builds the studio
    ns: dict = {}
    exec(src.rsplit("\n", 1)[0], ns)
    assert sorted(ns["app"].panels) == ["Ask", "Generate", "Layout"]


def test_bad_targets_and_ports(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        studio_notebook(tmp_path / "missing.wnb")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError, match=r"expected a \.wnb scene or an image"):
        studio_notebook(tmp_path / "notes.txt")
    for port in (80, 70000, "8866"):
        with pytest.raises(InputError, match="port"):
            serve_studio(None, port=port)
