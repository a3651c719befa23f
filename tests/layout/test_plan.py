"""The planner: hard constraints hold, determinism, the API and its errors."""

from __future__ import annotations

import time

import pytest

from worldnb.errors import InfeasibleLayoutError, InputError
from worldnb.layout import AgainstWall, Facing, InCorner, Near, plan
from worldnb.scene import Opening, Room
from worldnb.worlds import catalog


@pytest.fixture
def bedroom():
    return Room.rectangle(
        4.2,
        3.8,
        openings=[
            Opening("door", "wall_0", 0.9, 0.9),
            Opening("window", "wall_2", 2.0, 1.2, 1.2, 0.9),
        ],
    )


def test_plan_bedroom_hard_constraints_hold(bedroom, checks):
    res = plan(bedroom, ["bed", "nightstand", "nightstand", "wardrobe", "table lamp"], seed=0)
    scene = res.scene
    assert sorted(scene.labels()) == ["bed", "nightstand", "table lamp", "wardrobe"]
    assert checks.collisions(scene) == []
    assert checks.outside(scene) == []
    assert checks.blocked_doors(scene) == []
    assert checks.walkway_ok(scene)
    hard = [c for c in res.constraints if c["hard"]]
    assert hard and all(c["satisfied"] for c in hard)
    lamp = next(o for o in scene.objects if o.label == "table lamp")
    support = next(o for o in scene.objects if o.attrs["name"] == lamp.attrs["on"])
    assert abs(lamp.box.bottom - support.box.top) < 1e-4


def test_default_rules_are_measured_and_explained(bedroom):
    res = plan(bedroom, ["bed", "nightstand", "wardrobe"], seed=1)
    rules = [c for c in res.constraints if c["source"] == "rule"]
    assert {c["type"] for c in rules} >= {"AgainstWall", "Beside"}
    assert 0.0 <= res.score <= 1.0
    text = res.explain()
    assert any(line.startswith("The bed") for line in text)
    assert any("wardrobe" in line for line in text)
    assert "walkway" in text[-1]
    assert "constraint" in res.report().splitlines()[0]


def test_same_seed_same_layout(bedroom):
    items = ["bed", "nightstand", "wardrobe", "dresser", "plant"]
    a = plan(bedroom, items, seed=5).layout.placements
    b = plan(bedroom, items, seed=5).layout.placements
    assert a == b


def test_user_constraints_replace_defaults_and_hard_ones_hold(bedroom):
    cons = [
        InCorner("plant", hard=True),
        AgainstWall("desk", hard=True),
        Facing("office chair", "desk", weight=2.0),
        Near("office chair", "desk", max=0.5),
    ]
    res = plan(bedroom, ["desk", "office chair", "plant"], constraints=cons, seed=2)
    by_type = {c["type"]: c for c in res.constraints if c["source"] == "request"}
    assert by_type["InCorner"]["satisfied"] and by_type["InCorner"]["hard"]
    assert by_type["AgainstWall"]["satisfied"]
    assert not any(c["source"] == "rule" for c in res.constraints)


def test_items_forms_and_sizes(bedroom):
    e = catalog.entry("bookshelf")
    res = plan(bedroom, [("desk", (1.2, 0.75, 0.6)), e, "chair"], seed=0)
    names = [o.attrs["name"] for o in res.scene.objects]
    assert names == ["desk", "bookshelf", "chair"]
    desk = res.scene.objects[0]
    assert desk.box.size.tolist() == pytest.approx([1.2, 0.75, 0.6])


def test_repeated_categories_get_numbered_names(bedroom):
    res = plan(bedroom, ["chair", "chair", "desk"], seed=0)
    assert [o.attrs["name"] for o in res.scene.objects] == ["chair 1", "chair 2", "desk"]


@pytest.mark.parametrize(
    "items, kw, match",
    [
        (["piano"], {}, "no 'piano' in the catalog"),
        ([("bed", (1, 2))], {}, "width, height, depth"),
        ([], {}, "empty"),
        (["bed"], {"time_limit": 0}, "time_limit"),
        (["bed"], {"seed": 1.5}, "seed"),
        (["bed"], {"constraints": ["against the wall"]}, "Constraint objects"),
        (["bed"], {"constraints": [Near("bed", "sofa")]}, "no item 'sofa'"),
    ],
)
def test_bad_input_names_the_argument(bedroom, items, kw, match):
    with pytest.raises(InputError, match=match):
        plan(bedroom, items, **kw)


def test_infeasible_request_names_the_conflict():
    room = Room.rectangle(2.5, 2.5, openings=[Opening("door", "wall_0", 1.25, 0.85)])
    t0 = time.perf_counter()
    with pytest.raises(InfeasibleLayoutError) as err:
        plan(room, [("bed", (1.6, 1.0, 2.1)), ("wardrobe", (1.8, 2.0, 0.6))], time_limit=2.0)
    assert time.perf_counter() - t0 < 6.0
    msg = str(err.value)
    assert "2.10 m bed" in msg and "2.5 × 2.5 m room" in msg
    assert err.value.conflicts and any("bed" in c for c in err.value.conflicts)
    # a small set: the wardrobe is not needed to explain why the bed does not fit
    assert len(err.value.conflicts) <= 4


def test_on_top_item_without_support_is_infeasible(bedroom):
    with pytest.raises(InfeasibleLayoutError, match="tv"):
        plan(bedroom, ["tv"])


def test_free_rotation_on_request():
    room = Room.rectangle(5, 5, openings=[Opening("door", "wall_0", 1.0, 0.9)])
    res = plan(room, ["armchair", "plant", "coffee table"], rotations=None, seed=3)
    assert all(c["satisfied"] for c in res.constraints if c["hard"])
    assert not any(c["type"] == "RotationSnap" for c in res.constraints)


def test_on_top_item_larger_than_its_support_is_reported(bedroom):
    msg = r"1\.45 m tv is larger than the 1\.20 m tv stand"
    with pytest.raises(InfeasibleLayoutError, match=msg):
        plan(bedroom, [("tv", (1.45, 0.7, 0.26)), ("tv stand", (1.2, 0.5, 0.45))])
