"""vsibench.evaluate on Ray (one task per scene) gives the local rows and scores, and
the CLI takes --executor."""

from __future__ import annotations

import json

from worldnb.cli import main
from worldnb.scene.io import load_vsibench
from worldnb.scene.io.vsibench import read_vsibench_meta
from worldnb.spatial.vsibench import evaluate, questions


def test_ray_gives_the_local_rows_in_question_order(ray_cluster, vsibench_meta):
    meta = dict(list(read_vsibench_meta(vsibench_meta).items())[:6])
    qs = questions(meta)
    scenes = load_vsibench(vsibench_meta, names=list(meta))
    local = evaluate(scenes, qs)
    on_ray = evaluate(scenes, qs, executor="ray", num_workers=2)
    assert len(on_ray.rows) == len(qs) > 30
    assert [r["id"] for r in on_ray.rows] == [q.id for q in qs]
    assert on_ray.rows == local.rows and on_ray.families == local.families


def test_the_cli_runs_on_ray(ray_cluster, vsibench_meta, capsys):
    args = ["vsibench", str(vsibench_meta), "--scenes", "2", "--families", "object_counting"]
    assert main(args) == 0
    local = _json(capsys.readouterr().out)
    assert main([*args, "--executor", "ray", "--num-workers", "2"]) == 0
    on_ray = _json(capsys.readouterr().out)
    assert on_ray == local and on_ray["scenes"] == 2


def _json(out: str) -> dict:
    """The JSON document the command prints after its table."""
    return json.loads(out[out.index("\n{") + 1 :])
