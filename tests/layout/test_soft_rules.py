"""Soft layout rules measure what they say, with the numbers worked out by hand.

Every figure here is plain arithmetic on the placements (boxes side by side on the
floor, all facing +z at yaw 0), never the rule's own code.
"""

from __future__ import annotations

import math

import pytest

from worldnb.layout import (
    AgainstWall,
    AlignedWith,
    Around,
    AwayFromWindow,
    Beside,
    Centered,
    Distance,
    Facing,
    Far,
    InCorner,
    InFrontOf,
    LeftOf,
    Near,
    NearWindow,
    NoOverlap,
    OnTopOf,
    RightOf,
)
from worldnb.layout.state import Layout, Placement, make_items
from worldnb.scene import Opening, Room

# 4 × 4 m room centred on the origin; a 1.2 m window centred on the north wall (z = −2)
ROOM = Room.rectangle(4, 4, openings=[Opening("window", "wall_2", 2.0, 1.2, 1.2, 0.9)])
BOX = (1.0, 0.8, 0.4)  # a dresser-sized box: 1.0 wide (x), 0.8 high, 0.4 deep (z)


def layout(*pieces, room=ROOM):
    """Layout of (category, size, x, z, yaw_deg[, y]) pieces."""
    items = make_items([(cat, size) for cat, size, *_ in pieces])
    out = Layout(room, items)
    for it, (_, _, x, z, deg, *y) in zip(items, pieces, strict=True):
        out.place(it.name, Placement(x, z, math.radians(deg), y[0] if y else 0.0))
    return out


def measure(rule, lay):
    """(satisfied, measured value, cost)."""
    rule.bind(lay)
    ok, value = rule.evaluate(lay)
    return ok, value, rule.cost(lay)


# ---- distance, near, far ---------------------------------------------------------------


def two_boxes(gap):
    """Two boxes side by side in x, ``gap`` m apart."""
    return layout(("dresser", BOX, -0.5 - gap / 2, 0, 0), ("dresser", BOX, 0.5 + gap / 2, 0, 0))


def test_distance_measures_the_gap_and_its_violation():
    lay = two_boxes(0.7)
    assert measure(Distance("dresser 1", "dresser 2", 0.5, 1.0), lay) == (
        True,
        pytest.approx(0.7),
        0.0,
    )
    ok, d, cost = measure(Distance("dresser 1", "dresser 2", 0.2, 0.5), lay)
    assert not ok and d == pytest.approx(0.7) and cost == pytest.approx(0.2)
    ok, d, cost = measure(Distance("dresser 1", "dresser 2", 1.0, 2.0), lay)
    assert not ok and cost == pytest.approx(0.3)
    # a tight range around the gap holds
    assert measure(Distance("dresser 1", "dresser 2", 0.699, 0.701), lay)[0]


def test_near_and_far_defaults():
    lay = two_boxes(1.3)
    ok, d, cost = measure(Near("dresser 1", "dresser 2"), lay)  # within 1 m
    assert not ok and d == pytest.approx(1.3) and cost == pytest.approx(0.3)
    assert measure(Near("dresser 1", "dresser 2", max=1.3), lay)[0]
    ok, d, cost = measure(Far("dresser 1", "dresser 2"), lay)  # at least 2 m
    assert not ok and cost == pytest.approx(0.7)
    assert measure(Far("dresser 1", "dresser 2", min=1.29), lay)[0]
    assert measure(Far("dresser 1", "dresser 2", min=1.0, weight=2.0), lay)[0]


def test_distance_descriptions():
    between = "the a is between 0.20 m and 0.50 m from the b"
    assert Distance("a", "b", 0.2, 0.5).describe() == between
    assert Distance("a", "b", 0.0, 0.5).describe() == "the a is within 0.50 m from the b"
    assert Near("a", "b").describe() == "the a is within 1.00 m from the b"
    assert Far("a", "b").describe() == "the a is at least 2.00 m from the b"
    assert Distance("a", "b").describe() == "the a is at least 0.00 m from the b"
    either = "the a is at least 1.50 m from the b or the c"
    assert Far("a", ["b", "c"], min=1.5).describe() == either
    r = Far("a", "b", hard=True)
    assert r.hard and r.min == 2.0 and math.isinf(r.max)
    assert Near("a", "b", weight=3.0).weight == 3.0


def test_best_partner_counts_for_each_item():
    # dresser 1 is 0.3 m from dresser 2 and 1.3 m from dresser 3: "near one of them" holds
    lay = layout(
        ("dresser", BOX, -0.65, 0, 0),
        ("dresser", BOX, 0.65, 0, 0),
        ("dresser", BOX, -0.65, 1.7, 0),
    )
    assert measure(Near("dresser 1", ["dresser 2", "dresser 3"], max=0.5), lay)[0]
    # measured against the best partner: the nearer one, and never itself
    ok, d, _ = measure(Near("dresser 1", ["dresser 1", "dresser 3"], max=0.5), lay)
    assert not ok and d == pytest.approx(1.3)
    # two items must each satisfy it: the worst value and the summed cost
    ok, worst, cost = measure(Near(["dresser 1", "dresser 3"], "dresser 2", max=0.5), lay)
    far = math.hypot(1.3 - 1.0, 1.7 - 0.4)  # dresser 3 to dresser 2, corner to corner
    assert not ok and worst == pytest.approx(far) and cost == pytest.approx(far - 0.5)


# ---- facing, aligned, in front of, around ---------------------------------------------


def test_facing_cost_grows_with_the_angle():
    lay = layout(("armchair", BOX, 0, -1, 0), ("dresser", BOX, 0, 1, 0))
    assert measure(Facing("armchair", "dresser"), lay) == (True, pytest.approx(0.0), 0.0)
    lay = layout(("armchair", BOX, 0, -1, 180), ("dresser", BOX, 0, 1, 0))
    ok, ang, cost = measure(Facing("armchair", "dresser"), lay)
    assert not ok and ang == pytest.approx(180) and cost == pytest.approx((180 - 30) / 45)
    lay = layout(("armchair", BOX, 0, -1, 90), ("dresser", BOX, 0, 1, 0))
    ok, ang, cost = measure(Facing("armchair", "dresser", max_angle=60), lay)
    assert not ok and ang == pytest.approx(90) and cost == pytest.approx((90 - 60) / 45)
    assert Facing("armchair", "dresser").describe() == "the armchair faces the dresser"


@pytest.mark.parametrize(
    ("ya", "yb", "diff"), [(92, 0, 2), (0, 92, 2), (47, 0, 43), (-3, 0, 3), (30, 120, 0)]
)
def test_aligned_with_measures_the_turn_modulo_90(ya, yb, diff):
    lay = layout(("dresser", BOX, -1, 0, ya), ("dresser", BOX, 1, 0, yb))
    ok, d, cost = measure(AlignedWith("dresser 1", "dresser 2"), lay)
    assert d == pytest.approx(diff, abs=1e-6)
    assert ok == (diff <= 5) and cost == (0.0 if ok else pytest.approx(diff / 45))
    assert measure(AlignedWith("dresser 1", "dresser 2", tol_deg=diff), lay)[0]
    assert AlignedWith("a", "b").describe() == "the a is aligned with the b"


def test_in_front_of_gap_and_sideways_offset():
    # B (a sofa, 2.0 × 0.9) faces +z from z = −1.5: its front edge is z = −1.05
    sofa = (2.0, 0.8, 0.9)
    table = (0.8, 0.4, 0.5)
    lay = layout(("sofa", sofa, 0, -1.5, 0), ("coffee table", table, 0, -1.05 + 0.4 + 0.25, 0))
    assert measure(InFrontOf("coffee table", "sofa", 0.3, 0.5), lay) == (
        True,
        pytest.approx(0.4),
        0.0,
    )
    ok, gap, cost = measure(InFrontOf("coffee table", "sofa", 0.0, 0.3), lay)
    assert not ok and cost == pytest.approx(0.1)
    ok, gap, cost = measure(InFrontOf("coffee table", "sofa", 0.6, 1.0), lay)
    assert not ok and cost == pytest.approx(0.2)
    # moved sideways so its centre is 0.3 m past the sofa's end: costs 0.3 more
    lay = layout(("sofa", sofa, 0, -1.5, 0), ("coffee table", table, 1.3, -1.05 + 0.4 + 0.25, 0))
    ok, gap, cost = measure(InFrontOf("coffee table", "sofa", 0.3, 0.5), lay)
    assert not ok and gap == pytest.approx(0.4) and cost == pytest.approx(0.3)
    # the sofa turned to face +x: "in front" follows it
    lay = layout(("sofa", sofa, -1.5, 0, 90), ("coffee table", table, -1.05 + 0.4 + 0.25, 0, 0))
    # the table is 0.8 wide in x but its depth along the sofa's front is its x size
    ok, gap, _ = measure(InFrontOf("coffee table", "sofa", 0.0, 1.0), lay)
    assert ok and gap == pytest.approx(0.4 - (0.8 - 0.5) / 2)
    assert InFrontOf("a", "b", 0.1, 0.6).describe() == "the a stands 0.10–0.60 m in front of the b"


def test_around_needs_the_edge_and_the_facing():
    table = (1.6, 0.75, 0.9)  # z ∈ [−0.45, 0.45]
    chair = (0.45, 0.9, 0.5)
    z = 0.45 + 0.1 + 0.25  # 0.1 m from the table's south edge
    lay = layout(("dining table", table, 0, 0, 0), ("chair", chair, 0, z, 180))
    assert measure(Around("chair", "dining table"), lay) == (True, pytest.approx(0.1), 0.0)
    lay = layout(("dining table", table, 0, 0, 0), ("chair", chair, 0, z + 0.2, 180))
    ok, d, cost = measure(Around("chair", "dining table"), lay)
    assert not ok and d == pytest.approx(0.3) and cost == pytest.approx(0.15)
    assert measure(Around("chair", "dining table", max_gap=0.31), lay)[0]
    # facing away: (180 − 30) / 45 on top of a zero gap cost
    lay = layout(("dining table", table, 0, 0, 0), ("chair", chair, 0, z, 0))
    ok, d, cost = measure(Around("chair", "dining table"), lay)
    assert not ok and d == pytest.approx(0.1) and cost == pytest.approx(150 / 45)
    # a stool has no front: only the gap counts
    lay = layout(("dining table", table, 0, 0, 0), ("trash bin", chair, 0, z, 0))
    assert measure(Around("trash bin", "dining table"), lay)[0]
    assert Around("a", "b").describe() == "the a is drawn up to the b"


# ---- sides, beside, on top -----------------------------------------------------------


def test_left_and_right_measure_the_side_gap_in_the_objects_frame():
    bed = (1.6, 1.0, 2.0)  # faces +z at yaw 0: its left (local +X) is world +x
    ns = (0.5, 0.6, 0.4)
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, 0.8 + 0.2 + 0.25, -1.8, 0))
    assert measure(LeftOf("nightstand", "bed"), lay) == (True, pytest.approx(0.2), 0.0)
    ok, gap, cost = measure(LeftOf("nightstand", "bed", max_gap=0.1), lay)
    assert not ok and gap == pytest.approx(0.2) and cost == pytest.approx(0.1)
    ok, gap, cost = measure(RightOf("nightstand", "bed"), lay)
    assert not ok and gap == pytest.approx(-(0.8 + 0.2 + 0.5) - 0.8)
    assert cost == pytest.approx(0.8 + 0.2 + 0.5 + 0.8)
    # the bed turned to face −z: its left is now world −x
    lay = layout(("bed", bed, 0, -1.0, 180), ("nightstand", ns, 0.8 + 0.2 + 0.25, -1.8, 0))
    assert measure(RightOf("nightstand", "bed"), lay)[:2] == (True, pytest.approx(0.2))
    assert LeftOf("a", "b").describe() == "the a stands to the left of the b"
    assert RightOf("a", "b").describe() == "the a stands to the right of the b"


def test_beside_gap_back_line_and_turn():
    bed = (1.6, 1.0, 2.0)  # back at z = −2
    ns = (0.5, 0.6, 0.4)
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, -0.8 - 0.05 - 0.25, -1.8, 0))
    assert measure(Beside("nightstand", "bed"), lay) == (True, pytest.approx(0.05), 0.0)
    # its back 0.4 m in front of the bed's back line: 0.15 over the 0.25 allowed
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, -1.1, -1.8 + 0.4, 0))
    ok, gap, cost = measure(Beside("nightstand", "bed"), lay)
    assert not ok and gap == pytest.approx(0.05) and cost == pytest.approx(0.15)
    # 0.3 m away: 0.2 over the 0.1 allowed
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, 0.8 + 0.3 + 0.25, -1.8, 0))
    ok, gap, cost = measure(Beside("nightstand", "bed"), lay)
    assert not ok and gap == pytest.approx(0.3) and cost == pytest.approx(0.2)
    # turned 90° against the bed: its back no longer lines up (costs 1 m of offset)
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, -0.8 - 0.05 - 0.2, -1.75, 90))
    ok, gap, cost = measure(Beside("nightstand", "bed"), lay)
    assert not ok and gap == pytest.approx(0.05) and cost == pytest.approx(1.0 - 0.25)
    assert Beside("a", "b").describe() == "the a stands beside the b"


def test_on_top_of_gap_and_overhang():
    desk = (1.2, 0.75, 0.6)
    mon = (0.6, 0.4, 0.2)
    lay = layout(("desk", desk, 0, 0, 0), ("monitor", mon, 0, 0, 0, 0.75))
    assert measure(OnTopOf("monitor", "desk"), lay) == (True, pytest.approx(0.0), 0.0)
    # hanging 0.1 m over the desk's east edge: 0.1 × 0.2 m² over, plus a 5 mm gap
    lay = layout(("desk", desk, 0, 0, 0), ("monitor", mon, 0.6 - 0.3 + 0.1, 0, 0, 0.755))
    ok, v, cost = measure(OnTopOf("monitor", "desk"), lay)
    assert not ok and v == pytest.approx(0.005 + 0.02) and cost == pytest.approx(v)
    lay = layout(("desk", desk, 0, 0, 0), ("monitor", mon, 0, 0, 0, 0.758))
    assert measure(OnTopOf("monitor", "desk"), lay)[0]  # 8 mm: within the 1 cm allowed
    assert OnTopOf("a", "b").describe() == "the a stands on the b"


# ---- unary rules -----------------------------------------------------------------------

# the same 4 × 4 m room, but with corners at (0, 0) and (4, 4): its centre is (2, 2)
OFFSET_ROOM = Room([(0, 4), (4, 4), (4, 0), (0, 0)], 2.7)


def test_centred_measures_the_offset_from_the_floor_centroid():
    lay = layout(("dining table", BOX, 2.3, 2.4, 0), room=OFFSET_ROOM)
    ok, d, cost = measure(Centered("dining table"), lay)  # within 0.4 m by default
    assert not ok and d == pytest.approx(0.5) and cost == pytest.approx(0.5)
    assert measure(Centered("dining table", max_offset=0.51), lay) == (
        True,
        pytest.approx(0.5),
        0.0,
    )
    assert Centered("a").describe() == "the a stands in the middle of the room"


def test_unary_rules_take_the_worst_item_and_sum_the_costs():
    lay = layout(("plant", BOX, 2.3, 2.0, 0), ("plant", BOX, 2.0, 1.2, 0), room=OFFSET_ROOM)
    ok, worst, cost = measure(Centered("plant", max_offset=0.2), lay)
    assert not ok and worst == pytest.approx(0.8) and cost == pytest.approx(0.3 + 0.8)


def test_against_wall_and_corner_gaps():
    lay = layout(("dresser", BOX, 0, -2 + 0.2 + 0.03, 0))  # back 3 cm off the north wall
    ok, gap, cost = measure(AgainstWall("dresser"), lay)
    assert ok and gap == pytest.approx(0.03)
    ok, gap, cost = measure(AgainstWall("dresser", max_gap=0.02), lay)
    assert not ok and cost == pytest.approx(0.03)
    # a box without a front may stand with any side against a wall
    lay = layout(("plant", BOX, -2 + 0.5 + 0.04, 0, 0))
    assert measure(AgainstWall("plant"), lay)[1] == pytest.approx(0.04)
    lay = layout(("plant", BOX, -2 + 0.5 + 0.1, -2 + 0.2 + 0.2, 0))
    ok, d, cost = measure(InCorner("plant"), lay)  # within 0.15 m by default
    assert not ok and d == pytest.approx(math.hypot(0.1, 0.2)) and cost == pytest.approx(d)
    assert measure(InCorner("plant", max_gap=0.23), lay)[0]
    assert AgainstWall("a", side="left").describe() == "the a stands with its left against a wall"
    assert InCorner("a").describe() == "the a stands in a corner"


def test_window_distances():
    # the window spans x ∈ [−0.6, 0.6] on z = −2; the desk's back edge is 0.5 m from it
    lay = layout(("desk", BOX, 0, -2 + 0.5 + 0.2, 0))
    assert measure(NearWindow("desk"), lay) == (True, pytest.approx(0.5), 0.0)
    ok, d, cost = measure(NearWindow("desk", max=0.3), lay)
    assert not ok and cost == pytest.approx(0.2)
    assert measure(AwayFromWindow("desk"), lay) == (True, pytest.approx(0.5), 0.0)
    ok, d, cost = measure(AwayFromWindow("desk", min=0.8), lay)
    assert not ok and d == pytest.approx(0.5) and cost == pytest.approx(0.3)
    # sideways: 0.4 m east of the window's end, 0.5 m out: distance to its end point
    lay = layout(("desk", BOX, 0.6 + 0.4 + 0.5, -2 + 0.5 + 0.2, 0))
    assert measure(NearWindow("desk"), lay)[1] == pytest.approx(math.hypot(0.4, 0.5))
    # no window: NearWindow holds and costs nothing
    lay = layout(("desk", BOX, 0, 0, 0), room=Room.rectangle(4, 4))
    assert measure(NearWindow("desk"), lay) == (True, math.inf, 0.0)
    assert NearWindow("a").describe() == "the a stands near a window"
    assert AwayFromWindow("a").describe() == "the a keeps away from the windows"


def test_global_rules_need_no_binding():
    lay = two_boxes(0.1)
    rule = NoOverlap()
    assert rule.bind(lay) is rule and rule.involves == set() and rule.ready(lay)
    assert rule.hard and rule.weight == 10.0
    assert NoOverlap(hard=False, weight=2.5).weight == 2.5


def test_every_rule_keeps_hard_and_weight():
    rules = [
        Distance("a", "b", 1.0, 1.0),  # an exact distance is a valid range
        Near("a", "b"),
        Far("a", "b"),
        Facing("a", "b"),
        InFrontOf("a", "b"),
        LeftOf("a", "b"),
        RightOf("a", "b"),
        Beside("a", "b"),
        AlignedWith("a", "b"),
        OnTopOf("a", "b"),
        Around("a", "b"),
        AgainstWall("a"),
        InCorner("a"),
        Centered("a"),
        NearWindow("a"),
        AwayFromWindow("a"),
    ]
    for make in rules:
        r = type(make)(*make.refs, hard=True, weight=2.5)
        assert (r.hard, r.weight) == (True, 2.5), type(make).__name__
    assert InFrontOf("a", "b").describe() == "the a stands 0.00–1.00 m in front of the b"
    assert AgainstWall("a").describe() == "the a stands with its back against a wall"


def test_centred_is_a_deprecated_name_for_centered():
    from worldnb.layout import Centred

    with pytest.warns(
        DeprecationWarning, match="^worldnb.layout.Centred is deprecated; use Centered$"
    ):
        rule = Centred("a", max_offset=0.3, weight=2.0)
    assert isinstance(rule, Centered) and rule.max_offset == 0.3 and rule.weight == 2.0


def test_beside_penalises_overlap_and_a_turn_of_more_than_5_degrees():
    bed = (1.6, 1.0, 2.0)
    ns = (0.5, 0.6, 0.4)
    # 5 cm into the bed's side: costs the 5 cm
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, -0.8 + 0.05 - 0.25, -1.8, 0))
    ok, gap, cost = measure(Beside("nightstand", "bed"), lay)
    assert not ok and gap == pytest.approx(-0.05) and cost == pytest.approx(0.05)
    # turned 5.5°: its back no longer counts as lined up (1 m of offset)
    x = -0.8 - 0.05 - 0.3
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, x, -1.75, 5.5))
    assert not measure(Beside("nightstand", "bed"), lay)[0]
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, x, -1.75, 4.5))
    assert measure(Beside("nightstand", "bed"), lay)[0]
    # a side table has no front: its turn does not matter
    lay = layout(("bed", bed, 0, -1.0, 0), ("side table", (0.4, 0.5, 0.4), -1.05, -1.8, 90))
    assert measure(Beside("side table", "bed", max_gap=0.2), lay)[0]


def test_against_wall_side_choice_and_readiness():
    # a dresser with its left side on the east wall, its back 1 m from the north wall
    lay = layout(("dresser", BOX, 2 - 0.5, -2 + 1.0 + 0.2, 0))
    assert measure(AgainstWall("dresser", side="left"), lay)[:2] == (True, pytest.approx(0.0))
    assert not measure(AgainstWall("dresser"), lay)[0]  # its back is what counts
    # facing the wall (its front on it) does not count as its back against it
    lay = layout(("dresser", BOX, 0, -2 + 0.2, 180))
    ok, gap, _ = measure(AgainstWall("dresser"), lay)
    assert not ok and gap == pytest.approx(4 - 0.4)
    # a rule is ready once its item is placed
    items = make_items([("dresser", BOX), ("plant", BOX)])
    lay = Layout(ROOM, items)
    lay.place("dresser", Placement(0, 0, 0))
    assert Centered("dresser").bind(lay).ready(lay)
    assert not Centered("plant").bind(lay).ready(lay)


def test_away_from_window_without_windows():
    lay = layout(("bed", BOX, 0, 0, 0), room=Room.rectangle(4, 4))
    assert measure(AwayFromWindow("bed"), lay) == (True, math.inf, 0.0)


def test_groups_and_partners_are_combined_as_documented():
    lay = layout(
        ("dresser", BOX, -0.65, 0, 0),  # 1
        ("dresser", BOX, 0.65, 0, 0),  # 2: 0.3 m from 1
        ("dresser", BOX, -0.65, 1.7, 0),  # 3: 1.3 m from 1
        ("dresser", BOX, -0.65, -1.3, 0),  # 4: 0.9 m from 1
    )
    # both partners too far: measured against the nearer (the smaller violation)
    ok, d, cost = measure(Near("dresser 1", ["dresser 3", "dresser 4"], max=0.5), lay)
    assert not ok and d == pytest.approx(0.9) and cost == pytest.approx(0.4)
    # every item of the group counts, whatever the order; costs add up
    for group in (["dresser 3", "dresser 2"], ["dresser 2", "dresser 3"]):
        assert not measure(Near(group, "dresser 1", max=0.5), lay)[0]
    ok, worst, cost = measure(Near(["dresser 3", "dresser 4"], "dresser 1", max=0.5), lay)
    assert not ok and worst == pytest.approx(1.3) and cost == pytest.approx(0.8 + 0.4)
    # an item whose only partner is itself is skipped, not the end of the check
    ok, d, _ = measure(Near(["dresser 1", "dresser 3"], "dresser 1", max=0.5), lay)
    assert not ok and d == pytest.approx(1.3)
    # passing items add nothing to the cost, even when their own margin is negative
    # (armchair 1 faces the sofa: margin −30°; armchair 2 faces away, 143° off)
    lay2 = layout(
        ("armchair", BOX, 0, -1, 0), ("armchair", BOX, 1.5, -1, 180), ("sofa", BOX, 0, 1, 0)
    )
    ok, _, cost = measure(Facing("armchair", "sofa"), lay2)
    away = 180 - math.degrees(math.atan2(1.5, 2.0))
    assert not ok and cost == pytest.approx((away - 30) / 45, abs=1e-6)


def test_binary_rules_are_ready_when_a_and_some_b_are_placed():
    items = make_items([("dresser", BOX), ("dresser", BOX), ("plant", BOX)])
    lay = Layout(ROOM, items)
    lay.place("dresser 1", Placement(0, 0, 0))
    assert not Near("dresser 1", ["dresser 2", "plant"]).bind(lay).ready(lay)
    lay.place("plant", Placement(1, 1, 0))
    assert Near("dresser 1", ["dresser 2", "plant"]).bind(lay).ready(lay)
    assert not Near("dresser 2", "plant").bind(lay).ready(lay)


# ---- wall_gap: every side, turned both ways ----------------------------------------------
# BOX is 1.0 wide (w, local x) and 0.4 deep (d, local z). Turned by θ, the edge's farther
# corner is (half its length)·|sin θ| further from the wall than the edge's middle, and the
# middle is (half the other side)·cos θ nearer than the centre: plain trigonometry.
_SIDES = {
    # side: (centre x, centre z, wall it faces, centre-to-wall distance, half edge, half depth)
    "back": (0.0, -2 + 0.3, "wall_2", 0.3, 0.5, 0.2),
    "front": (0.0, 2 - 0.3, "wall_0", 0.3, 0.5, 0.2),
    "left": (2 - 0.7, 0.0, "wall_1", 0.7, 0.2, 0.5),
    "right": (-2 + 0.7, 0.0, "wall_3", 0.7, 0.2, 0.5),
}


@pytest.mark.parametrize("side", list(_SIDES))
@pytest.mark.parametrize("deg", [-3.0, 0.0, 3.0])
def test_wall_gap_takes_the_farther_corner_of_each_side_for_either_turn(side, deg):
    from worldnb.layout._rules_unary import wall_gap

    x, z, wall, centre, half_edge, half_depth = _SIDES[side]
    lay = layout(("dresser", BOX, x, z, deg))
    t = math.radians(deg)
    expected = centre - half_depth * math.cos(t) + half_edge * abs(math.sin(t))
    gap, wall_id = wall_gap(lay, "dresser", side)
    assert wall_id == wall and gap == pytest.approx(expected, abs=1e-9)
    ok, measured, _ = measure(AgainstWall("dresser", side=side, max_gap=expected + 0.01), lay)
    assert ok and measured == pytest.approx(expected, abs=1e-9)


def test_wall_gap_counts_only_walls_within_5_degrees_of_parallel():
    from worldnb.layout._rules_unary import wall_gap

    x, z, *_ = _SIDES["back"]
    near = layout(("dresser", BOX, x, z, 4.5))
    assert wall_gap(near, "dresser", "back")[1] == "wall_2"
    for deg in (5.5, -5.5, 40.0, 45.0):  # no wall is parallel to any side
        lay = layout(("dresser", BOX, 0.0, 0.0, deg))
        for side in _SIDES:
            assert wall_gap(lay, "dresser", side) == (math.inf, ""), (deg, side)
    # the side defaults to the back
    lay = layout(("dresser", BOX, x, z, 0.0))
    assert wall_gap(lay, "dresser") == wall_gap(lay, "dresser", "back")
    assert wall_gap(lay, "dresser")[1] == "wall_2"


def test_unary_groups_need_every_item_and_add_only_the_failing_costs():
    # desk 1: 1.5 m from the window (fails the default 1 m by 0.5); desk 2: 0.5 m (passes,
    # its own margin is −0.5, which must not lower the cost)
    lay = layout(("desk", BOX, 0, -2 + 1.5 + 0.2, 0), ("desk", BOX, 0, -2 + 0.5 + 0.2, 0))
    ok, worst, cost = measure(NearWindow("desk"), lay)
    assert not ok and worst == pytest.approx(1.5) and cost == pytest.approx(0.5)
    # the default limit is 1 m: 1.1 m fails by 0.1, 0.9 m passes
    for d, passes in ((1.1, False), (0.9, True)):
        one = layout(("desk", BOX, 0, -2 + d + 0.2, 0))
        assert measure(NearWindow("desk"), one)[0] is passes
        assert measure(NearWindow("desk"), one)[2] == pytest.approx(0.0 if passes else 0.1)


def test_limits_are_inclusive_at_exact_ties():
    # binary-exact figures, so each measured value equals its limit exactly
    half = (1.0, 0.8, 0.5)  # half depth 0.25
    lay = layout(("desk", half, 0, -2 + 0.5 + 0.25, 0))  # back edge 0.5 m from the window
    assert measure(NearWindow("desk", max=0.5), lay) == (True, 0.5, 0.0)
    assert measure(AwayFromWindow("desk", min=0.5), lay) == (True, 0.5, 0.0)
    lay = layout(("dresser", half, 0, -2 + 0.25 + 0.125, 0))  # back 0.125 m off the wall
    assert measure(AgainstWall("dresser", max_gap=0.125), lay) == (True, 0.125, 0.0)
    # the centre 0.375 m east and 0.5 m south of the floor's centroid: 0.625 m away
    lay = layout(("dining table", half, 2.375, 2.5, 0), room=OFFSET_ROOM)
    assert measure(Centered("dining table", max_offset=0.625), lay) == (True, 0.625, 0.0)
    # the footprint's corner 0.375 m and 0.5 m from the walls: 0.625 m from the room's
    lay = layout(("plant", half, 0.375 + 0.5, 0.5 + 0.25, 0), room=OFFSET_ROOM)
    assert measure(InCorner("plant", max_gap=0.625), lay) == (True, 0.625, 0.0)


def test_centred_keeps_the_default_offset():
    from worldnb.layout import Centred

    with pytest.warns(DeprecationWarning):
        assert Centred("a").max_offset == Centered("a").max_offset == 0.4


def test_aligned_with_default_tolerance_is_5_degrees():
    for turn, ok in ((4.5, True), (5.5, False)):
        lay = layout(("dresser", BOX, -1, 0, turn), ("dresser", BOX, 1, 0, 0))
        assert measure(AlignedWith("dresser 1", "dresser 2"), lay)[:2] == (
            ok,
            pytest.approx(turn, abs=1e-6),
        )


def test_a_rule_with_several_partners_measures_the_nearest_one_first_listed():
    # the chair is 1.3 m from dresser 1 (in x) and 2.6 m from dresser 2 (in z): Near(1 m)
    # fails for both and reports the better partner, dresser 1, wherever it is listed
    chair = ("armchair", BOX, -1.5, -1.5, 0)  # x ∈ [−2, −1], z ∈ [−1.7, −1.3]
    near = ("dresser", BOX, -1 + 1.3 + 0.5, -1.5, 0)  # x ∈ [0.3, 1.3]
    far = ("dresser", BOX, -1.5, 1.5, 0)  # z ∈ [1.3, 1.7]
    for pieces in ((chair, near, far), (chair, far, near)):
        ok, d, cost = measure(Near("armchair", "dresser", max=1.0), layout(*pieces))
        assert not ok and d == pytest.approx(1.3) and cost == pytest.approx(0.3)


def test_left_of_allows_half_a_metre_by_default():
    bed = (1.6, 1.0, 2.0)
    ns = (0.5, 0.6, 0.4)
    lay = layout(("bed", bed, 0, -1.0, 0), ("nightstand", ns, 0.8 + 0.7 + 0.25, -1.8, 0))
    ok, gap, cost = measure(LeftOf("nightstand", "bed"), lay)
    assert not ok and gap == pytest.approx(0.7) and cost == pytest.approx(0.2)


@pytest.mark.parametrize(("bed_yaw", "turn"), [(82, 0), (98, 180)])
def test_beside_survives_fronts_whose_dot_product_rounds_past_one(bed_yaw, turn):
    # sin² + cos² of 82° is 1 + 2e-16 in float64 (and the fronts at 98° and 278° give
    # −1 − 2e-16): the angle between the fronts must still come out (0° or 180°)
    fa = (math.sin(math.radians(bed_yaw)), math.cos(math.radians(bed_yaw)))
    t = math.radians(bed_yaw + turn)
    dot = fa[0] * math.sin(t) + fa[1] * math.cos(t)
    assert abs(dot) > 1.0  # the float rounding this test is about
    bed, ns = (1.6, 1.0, 2.0), (0.5, 0.6, 0.4)
    lay = layout(("bed", bed, 0, 0, bed_yaw), ("nightstand", ns, 0, 0, bed_yaw + turn))
    rule = Beside("nightstand", "bed")
    ok, gap, cost = measure(rule, lay)
    assert not ok and math.isfinite(gap) and math.isfinite(cost)
