"""The VSI-Bench harness: questions built from the meta info word for word, scored by
the benchmark's metrics, on the 88 ScanNet layouts with their ground-truth boxes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from worldnb.cli import main
from worldnb.errors import FormatError, InputError
from worldnb.scene.io import load_vsibench
from worldnb.scene.io.vsibench import read_vsibench_meta, scene_from_vsibench
from worldnb.spatial.vsibench import (
    FAMILIES,
    LETTER,
    TEMPLATES,
    WORD,
    Question,
    evaluate,
    mra,
    questions,
)


def test_every_task_scores_at_least_099_on_the_88_scannet_scenes(vsibench_meta):
    qs = questions(vsibench_meta)
    ev = evaluate(load_vsibench(vsibench_meta), qs)
    assert set(ev.families) == set(FAMILIES)
    for fam, v in ev.families.items():
        assert v["n"] >= 80, fam
        assert v["score"] >= 0.99, (fam, v, [r for r in ev.rows if r["score"] < 1][:5])


def test_questions_are_the_benchmarks_words(vsibench_meta):
    meta = read_vsibench_meta(vsibench_meta)
    name = "scene0251_00"
    qs = questions({name: meta[name]}, seed=3)
    assert {q.family for q in qs} >= {"object_counting", "room_size_estimation"}
    for q in qs:
        assert q.scene == name and q.id.startswith(f"{name}/{q.family}/")
        head = TEMPLATES[q.family].split("{")[0]
        assert q.question.startswith(head), q.question
        if q.is_numeric:
            assert isinstance(q.answer, int | float) and not q.options
        else:
            block = "\n".join(f"{'ABCD'[i]}. {o}" for i, o in enumerate(q.options))
            assert q.question.endswith(f"\nOptions:\n{block}\n{LETTER}")
            assert q.answer in "ABCD"[: len(q.options)]
    counts = {q.question: q.answer for q in qs if q.family == "object_counting"}
    # the published counts of scene0251_00: 2 chairs, 3 doors, 2 tables, 5 trash bins, 3 windows
    assert counts["How many trash bin(s) are in this room?"] == 5
    assert counts["How many chair(s) are in this room?"] == 2
    room = next(q for q in qs if q.family == "room_size_estimation")
    assert room.question.endswith(f"\n{WORD}") and room.answer == pytest.approx(35.858, abs=1e-3)


def test_seeded_and_filtered(vsibench_meta):
    meta = dict(list(read_vsibench_meta(vsibench_meta).items())[:6])
    a = questions(meta, seed=1)
    assert [q.to_dict() for q in a] == [q.to_dict() for q in questions(meta, seed=1)]
    assert [q.question for q in a] != [q.question for q in questions(meta, seed=2)]
    only = questions(meta, families=["object_size_estimation"])
    assert only and {q.family for q in only} == {"object_size_estimation"}


def test_published_boxes_measure_the_published_longest_side(vsibench_meta):
    meta = read_vsibench_meta(vsibench_meta)
    name = "scene0251_00"
    qs = questions({name: meta[name]}, families=["object_size_estimation"], boxes="published")
    longest = {
        lab: 100 * max(b[0]["axesLengths"])
        for lab, b in meta[name]["object_bbox"].items()
        if len(b) == 1
    }
    for q in qs:
        label = q.question.split(" of the ")[1].split(",")[0]
        assert q.answer == pytest.approx(longest[label], abs=0.01)


def test_mra_is_the_benchmarks():
    assert mra(1.0, 1.0) == 1.0 and mra(1.049, 1.0) == 1.0
    assert mra(1.3, 1.0) == pytest.approx(np.mean(0.3 <= 1 - np.linspace(0.5, 0.95, 11)))
    assert mra(3.0, 1.0) == 0.0 and mra(None, 1.0) == 0.0 and mra(True, 1.0) == 0.0


def test_wrong_answers_score_zero_and_bad_input_raises(vsibench_meta):
    [scene] = load_vsibench(vsibench_meta, names=["scene0251_00"])
    wrong = Question(
        "x/object_counting/0",
        "scene0251_00",
        "object_counting",
        "How many chair(s) are in this room?",
        7,
    )
    right = Question(
        "x/object_rel_direction_easy/0",
        "scene0251_00",
        "object_counting",
        "How many chair(s) are in this room?",
        2,
    )
    ev = evaluate(scene, [wrong, right])
    assert [r["score"] for r in ev.rows] == [0.0, 1.0]
    with pytest.raises(InputError, match="unknown"):
        questions(vsibench_meta, families=["object_appearance_order"])
    with pytest.raises(InputError, match="boxes"):
        questions(vsibench_meta, boxes="tilted")
    with pytest.raises(InputError, match="not given"):
        evaluate(scene, [Question("y", "scene9999_00", "object_counting", "How many?", 1)])
    for bad in (3, [scene, "scene0251_00"]):
        with pytest.raises(InputError, match="scene_or_scenes: expected Scene"):
            evaluate(bad, [right])
    with pytest.raises(InputError, match="qs: expected Question"):
        evaluate(scene, [right, "How many chairs?"])
    with pytest.raises(InputError, match="seed"):
        questions(vsibench_meta, seed="0")


@pytest.mark.parametrize(
    "entry, match",
    [
        (3, "bad field"),
        ({"room_size": 9.0}, "bad field: 'object_bbox'"),
        ({"room_size": 9.0, "object_bbox": [1]}, "list of boxes"),
        ({"room_size": 9.0, "object_bbox": {"bed": [{}]}}, "centroid"),
        ({"room_size": 9.0, "object_bbox": {}, "object_counts": [1]}, "object_counts"),
    ],
)
def test_a_malformed_meta_entry_is_a_format_error_naming_the_scene(entry, match):
    with pytest.raises(FormatError, match=match) as info:
        questions({"scene0000_00": entry})
    if "centroid" not in match:
        assert "scene0000_00" in str(info.value)
    with pytest.raises(FormatError, match=match):
        scene_from_vsibench("scene0000_00", entry)


def test_cli_prints_a_table_and_json(vsibench_meta, capsys):
    rc = main(
        [
            "vsibench",
            str(vsibench_meta),
            "--families",
            "object_counting",
            "room_size_estimation",
            "--scenes",
            "5",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    table, _, js = out.partition("{")
    assert "object_counting" in table and "room_size_estimation" in table
    got = json.loads("{" + js)
    assert got["scenes"] == 5 and set(got["families"]) == {
        "object_counting",
        "room_size_estimation",
    }
    assert got["families"]["room_size_estimation"] == {"n": 5, "score": 1.0, "metric": "MRA"}
