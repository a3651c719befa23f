"""generate_many: one .wnb per input and a manifest; Ray actors load the models once
and give the local executor's scenes; a corrupt image fails only its own item; a
killed actor is restarted and its item run again; a second call resumes."""

from __future__ import annotations

import json
import signal
import sys
import threading

import numpy as np
import pytest
from PIL import Image

import worldnb
from worldnb.batch import generate_many
from worldnb.testing import build_tiny_depth_model

from .conftest import running, wait_for

CFG = worldnb.GenerationConfig(n_views=0, refine_iters=0, max_side=64)


@pytest.fixture(scope="module")
def tiny_dpt(tmp_path_factory):
    return build_tiny_depth_model(tmp_path_factory.mktemp("models") / "tiny-dpt", "dpt")


def write_images(folder, n: int, corrupt: int | None = None):
    folder.mkdir()
    rng = np.random.default_rng(0)
    paths = []
    for i in range(n):
        p = folder / f"photo_{i}.png"
        if i == corrupt:
            p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 8)
        else:
            Image.fromarray(rng.integers(0, 255, (40, 48, 3), dtype=np.uint8)).save(p)
        paths.append(p)
    return paths


def manifest(out) -> list[dict]:
    path = out / "manifest.jsonl"
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text().splitlines() if x.endswith("}")]


def test_a_corrupt_image_fails_alone_and_ray_gives_the_local_scenes(
    ray_cluster, tiny_dpt, tmp_path
):
    images = write_images(tmp_path / "in", 4, corrupt=2)
    local = generate_many(images, tmp_path / "local", CFG, depth=str(tiny_dpt), progress=False)
    res = generate_many(images, tmp_path / "ray", CFG, depth=str(tiny_dpt), executor="ray",
                        num_workers=2, progress=False)  # fmt: skip
    for r in (local, res):
        assert [it.status for it in r.items] == ["ok", "ok", "failed", "ok"]
        assert r.counts == {"ok": 3, "failed": 1}
        bad = r.items[2]
        assert bad.output is None and "FormatError" in bad.error and "photo_2" in bad.input
        assert [p.name for p in r.paths] == ["0000_photo_0.wnb", "0001_photo_1.wnb",
                                             "0003_photo_3.wnb"]  # fmt: skip
    lines = manifest(tmp_path / "ray")
    assert sorted(x["index"] for x in lines) == [0, 1, 2, 3]
    assert all(x["seconds"] > 0 for x in lines if x["status"] == "ok")
    assert len({x["worker"] for x in lines}) <= 2  # two actors, each loaded the model once
    for a, b in zip(local.paths, res.paths, strict=True):
        sa, sb = worldnb.load(a), worldnb.load(b)
        assert sorted(sa.layers) == sorted(sb.layers) == ["gaussians", "mesh", "points"]
        np.testing.assert_array_equal(sa.layers["points"].xyz, sb.layers["points"].xyz)
        np.testing.assert_array_equal(sa.layers["gaussians"].means, sb.layers["gaussians"].means)
    assert sorted(p.name for p in (tmp_path / "ray").iterdir()) == sorted(
        [p.name for p in res.paths] + ["manifest.jsonl", "run.json"]
    )  # no temporary files left


def test_a_killed_actor_is_restarted_and_every_item_finishes(ray_cluster, tiny_dpt, tmp_path):
    images = write_images(tmp_path / "in", 8)
    out = tmp_path / "out"
    result: dict = {}

    def run():
        try:
            result["res"] = generate_many(
                images, out, CFG, depth=str(tiny_dpt), executor="ray", num_workers=2,
                progress=False,
            )  # fmt: skip
        except BaseException as exc:
            result["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    wait_for(lambda: manifest(out), timeout=180, what="the first finished item")
    victim = wait_for(lambda: running("ray::_Worker.run"), what="an actor at work")[0]
    before = {p.pid for p in running("ray::_Worker")}  # the two actors' processes
    victim.send_signal(signal.SIGKILL)
    t.join(timeout=300)
    assert "error" not in result, result.get("error")
    assert result["res"].counts == {"ok": 8, "failed": 0}
    assert len(manifest(out)) == 8
    pids = {int(x["worker"].rsplit(":", 1)[1]) for x in manifest(out)}
    assert len(before) == 2 and pids - before, "no item was run by the restarted actor"


def test_a_second_call_resumes_and_reruns_only_failed_items(tiny_dpt, tmp_path):
    images = write_images(tmp_path / "in", 3, corrupt=1)
    out = tmp_path / "out"
    first = generate_many(images, out, CFG, depth=str(tiny_dpt), progress=False)
    mtimes = [p.stat().st_mtime_ns for p in first.paths]
    again = generate_many(images, out, CFG, depth=str(tiny_dpt), progress=False)
    assert [p.stat().st_mtime_ns for p in again.paths] == mtimes  # not generated again
    assert [it.status for it in again.items] == ["ok", "failed", "ok"]
    assert [x["index"] for x in manifest(out)] == [0, 1, 2, 1]  # only the failed one re-ran


def test_bad_arguments_are_input_errors(tmp_path):
    with pytest.raises(worldnb.errors.InputError, match="empty"):
        generate_many([], tmp_path / "x")
    with pytest.raises(worldnb.errors.InputError, match="list"):
        generate_many("photo.png", tmp_path / "x")
    with pytest.raises(worldnb.errors.InputError, match="config"):
        generate_many([np.zeros((8, 8, 3))], tmp_path / "x", config={"n_views": 0})
    assert "worldnb.batch" in sys.modules


def test_resume_reuses_an_item_only_for_the_same_input_and_run(tiny_dpt, tmp_path):
    """A reordered list, another config or other in-memory pixels run again: an item is
    never reported done with another input's scene."""
    images = write_images(tmp_path / "in", 2)
    out = tmp_path / "out"
    first = generate_many(images, out, CFG, depth=str(tiny_dpt), progress=False)
    swapped = generate_many(images[::-1], out, CFG, depth=str(tiny_dpt), progress=False)
    assert [it.input for it in swapped.items] == [str(p) for p in images[::-1]]
    assert len(manifest(out)) == 4  # both ran again
    assert swapped.paths[0] != first.paths[0]
    other = worldnb.GenerationConfig(n_views=0, refine_iters=0, max_side=96)
    generate_many(images[::-1], out, other, depth=str(tiny_dpt), progress=False)
    assert len(manifest(out)) == 2  # another config: the earlier manifest is not reused
    # in-memory images: told apart by their pixels
    rng = np.random.default_rng(1)
    a, b = (rng.integers(0, 255, (40, 48, 3), dtype=np.uint8) for _ in range(2))
    mem = tmp_path / "mem"
    generate_many([a], mem, CFG, depth=str(tiny_dpt), progress=False)
    generate_many([b], mem, CFG, depth=str(tiny_dpt), progress=False)
    recs = manifest(mem)
    assert len(recs) == 2 and recs[0]["input"] != recs[1]["input"]  # b ran: not a's scene
    assert all(r["input"].startswith("<ndarray ") for r in recs)


def test_foreign_manifest_lines_and_a_missing_folder(tiny_dpt, tmp_path):
    out = tmp_path / "out"
    images = write_images(tmp_path / "in", 1)
    generate_many(images, out, CFG, depth=str(tiny_dpt), progress=False)
    with (out / "manifest.jsonl").open("a") as f:
        f.write('[]\n3\n{"index": "0"}\n{"index": 0, "bogus": 1}\n')
    again = generate_many(images, out, CFG, depth=str(tiny_dpt), progress=False)
    assert [it.status for it in again.items] == ["ok"]
    with pytest.raises(worldnb.errors.InputError, match="out_dir"):
        generate_many(images, None)
