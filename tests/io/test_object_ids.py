"""Object ids are int64 and never negative: in the constructor and in every loader."""

from __future__ import annotations

import json
import zipfile

import pytest

import worldnb
from worldnb.errors import FormatError, InputError
from worldnb.scene import OrientedBox, Scene, SceneObject

BOX = OrientedBox((0, 0.5, 0), (1, 1, 1))


@pytest.mark.parametrize("bad", [-1, 2**63, 2**70, True, 1.0, "3"])
def test_ids_outside_int64_are_refused(bad):
    with pytest.raises(InputError, match=r"SceneObject\.id"):
        SceneObject(bad, "box", BOX)


def test_the_largest_id_is_kept_and_the_next_one_is_refused_clearly():
    s = Scene()
    assert s.add_object("box", BOX, id=2**63 - 1).id == 2**63 - 1
    with pytest.raises(InputError, match="every id"):
        s.add_object("box", BOX)


def _json_scene(path, oid):
    rec = {"id": oid, "label": "box", "box": {"center": [0, 0.5, 0], "size": [1, 1, 1]}}
    path.write_text(json.dumps({"format": "worldnb.scene", "version": 1, "objects": [rec]}))
    return path


@pytest.mark.parametrize("bad", [-1, 2**63, 10**30])
def test_json_loader_refuses_ids_outside_int64(bad, tmp_path):
    with pytest.raises(FormatError, match=r"bad\.json"):
        worldnb.load(_json_scene(tmp_path / "bad.json", bad))
    assert worldnb.load(_json_scene(tmp_path / "ok.json", 2**63 - 1)).objects[0].id == 2**63 - 1


@pytest.mark.parametrize(("field", "value"), [("id", 2**64), ("id", -5), ("next", 2**64)])
def test_wnb_loader_refuses_ids_outside_int64(field, value, tmp_path):
    s = Scene()
    s.add_object("box", BOX, id=7)
    with zipfile.ZipFile(s.save(tmp_path / "src.wnb")) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    m = json.loads(members["manifest.json"])
    if field == "id":
        m["objects"][0]["id"] = value
    else:
        m["next_object_id"] = value
    members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(tmp_path / "bad.wnb", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(FormatError, match=r"bad\.wnb"):
        worldnb.load(tmp_path / "bad.wnb")
