"""Each hard layout rule catches a small, known violation and measures its size.

Every layout here breaks one rule by a few centimetres. The expected figures come from
plain arithmetic or shapely rectangles built in this file, never from the rule under
test, so a weakened rule (say, one that ignores overlaps under 0.05 m²) fails here
instead of passing its own check.
"""

from __future__ import annotations

import math

import pytest
import shapely

from worldnb.errors import InputError
from worldnb.layout import (
    AccessClear,
    InsideRoom,
    NoOverlap,
    OpeningsClear,
    RotationSnap,
    Walkway,
)
from worldnb.layout.state import Layout, Placement, make_items
from worldnb.scene import Opening, Room

# 4 × 4 m, 2.5 m high, centred on the origin. The south wall (wall_0) is z = +2 and
# runs −x → +x, so the door's centre (offset 2.0) is x = 0 and the door spans
# x ∈ [−0.45, 0.45]. The north wall (wall_2) is z = −2 and runs +x → −x: the window's
# centre is x = 0, it spans x ∈ [−0.6, 0.6], from its 0.9 m sill up to 2.1 m.
ROOM = Room.rectangle(
    4,
    4,
    height=2.5,
    openings=[
        Opening("door", "wall_0", 2.0, 0.9),
        Opening("window", "wall_2", 2.0, 1.2, height=1.2, sill=0.9),
    ],
)
FLOOR = shapely.box(-2, -2, 2, 2)
DOOR_ZONE = shapely.box(-0.45, 2 - 1.0, 0.45, 2)  # 1.0 m deep clear zone
WINDOW_ZONE = shapely.box(-0.6, -2, 0.6, -2 + 0.35)  # 0.35 m deep

WARDROBE = (1.0, 2.0, 0.6)  # (width x, height y, depth z) in metres
DRESSER = (1.0, 0.8, 0.45)


def layout(*pieces, room=ROOM):
    """Layout of (category, size, x, z, yaw_deg[, y]) pieces."""
    items = make_items([(cat, size) for cat, size, *_ in pieces])
    out = Layout(room, items)
    for it, (_, _, x, z, deg, *y) in zip(items, pieces, strict=True):
        out.place(it.name, Placement(x, z, math.radians(deg), y[0] if y else 0.0))
    return out


def rect(x, z, size, yaw_deg=0):
    """Footprint of an unturned (or quarter-turned) piece, built by hand."""
    w, _, d = size
    if yaw_deg % 180 == 90:
        w, d = d, w
    return shapely.box(x - w / 2, z - d / 2, x + w / 2, z + d / 2)


def ev(rule, lay):
    return rule.bind(lay).evaluate(lay)


# ---- inside the room ---------------------------------------------------------------


@pytest.mark.parametrize("yaw", [0, 90])
def test_inside_room_measures_the_area_beyond_a_wall(yaw):
    half_x = (WARDROBE[2] if yaw == 90 else WARDROBE[0]) / 2
    x = 2 - half_x + 0.03  # 3 cm through the east wall
    lay = layout(("wardrobe", WARDROBE, x, 0.0, yaw))
    expected = rect(x, 0.0, WARDROBE, yaw).difference(FLOOR).area
    assert expected == pytest.approx(0.03 * (WARDROBE[0] if yaw == 90 else WARDROBE[2]))
    ok, area = ev(InsideRoom(), lay)
    assert not ok
    # the rule allows 1 mm for rounding along the wall: at most 1e-3 × 1.0 m² less
    assert area == pytest.approx(expected, abs=1.2e-3)
    ((msg, size),) = InsideRoom().violations(lay, only="wardrobe")
    assert size == area and "out of the room" in msg


def test_inside_room_accepts_a_piece_2cm_from_the_wall():
    lay = layout(("wardrobe", WARDROBE, 2 - 0.5 - 0.02, 0.0, 0))
    assert ev(InsideRoom(), lay) == (True, 0.0)


def test_inside_room_measures_the_height_above_the_ceiling():
    lay = layout(("wardrobe", WARDROBE, 0.0, 0.0, 0, 2.5 - 2.0 + 0.02))  # top at 2.52 m
    ok, over = ev(InsideRoom(), lay)
    assert not ok and over == pytest.approx(0.02, abs=1e-6)
    ((msg, _),) = InsideRoom().violations(lay)
    assert "0.02 m taller than the ceiling" in msg
    lay = layout(("wardrobe", WARDROBE, 0.0, 0.0, 0, 2.5 - 2.0 - 0.01))
    assert ev(InsideRoom(), lay)[0]


# ---- no overlap ----------------------------------------------------------------------


def test_no_overlap_measures_a_3cm_overlap():
    # dresser x ∈ [−1, 0]; wardrobe x ∈ [−0.03, 0.97]: 3 cm × 0.45 m = 0.0135 m²
    lay = layout(("dresser", DRESSER, -0.5, 0.0, 0), ("wardrobe", WARDROBE, 0.47, 0.0, 0))
    expected = rect(-0.5, 0.0, DRESSER).intersection(rect(0.47, 0.0, WARDROBE)).area
    assert expected == pytest.approx(0.03 * 0.45)
    ok, area = ev(NoOverlap(), lay)
    assert not ok and area == pytest.approx(expected, abs=1e-6)
    ((msg, size),) = NoOverlap().violations(lay, only="wardrobe")
    assert size == area and "the dresser and the wardrobe overlap by 0.01 m²" in msg


def test_no_overlap_turned_piece_and_touching_pieces():
    # a quarter-turned wardrobe is 0.6 m wide in x: x ∈ [−0.02, 0.58], z ∈ [−0.5, 0.5]
    lay = layout(("dresser", DRESSER, -0.5, 0.0, 0), ("wardrobe", WARDROBE, 0.28, 0.0, 90))
    expected = rect(-0.5, 0.0, DRESSER).intersection(rect(0.28, 0.0, WARDROBE, 90)).area
    assert expected == pytest.approx(0.02 * 0.45)
    assert ev(NoOverlap(), lay) == (False, pytest.approx(expected, abs=1e-6))
    # side by side, touching: no overlap
    lay = layout(("dresser", DRESSER, -0.5, 0.0, 0), ("wardrobe", WARDROBE, 0.5, 0.0, 0))
    assert ev(NoOverlap(), lay) == (True, 0.0)


def test_no_overlap_counts_a_1cm_vertical_overlap():
    # a second dresser stacked 1 cm into the first one shares its whole footprint
    stacked = layout(("dresser", DRESSER, 0.0, 0.0, 0), ("dresser", DRESSER, 0.0, 0.0, 0, 0.79))
    ok, area = ev(NoOverlap(), stacked)
    assert not ok and area == pytest.approx(1.0 * 0.45, abs=1e-6)
    resting = layout(("dresser", DRESSER, 0.0, 0.0, 0), ("dresser", DRESSER, 0.0, 0.0, 0, 0.8))
    assert ev(NoOverlap(), resting)[0]


# ---- doors and windows clear -------------------------------------------------------


def test_door_zone_entered_4cm_from_the_side():
    x = -0.45 - 0.5 + 0.04  # dresser x ∈ [−1.41, −0.41]: 4 cm into the door zone
    lay = layout(("dresser", DRESSER, x, 1.5, 0))
    expected = rect(x, 1.5, DRESSER).intersection(DOOR_ZONE).area
    assert expected == pytest.approx(0.04 * 0.45)
    ok, area = ev(OpeningsClear(), lay)
    assert not ok and area == pytest.approx(expected, abs=1e-6)
    ((msg, _),) = OpeningsClear().violations(lay)
    assert "blocks the door on wall_0" in msg


def test_door_zone_depth_is_measured_from_the_wall():
    z = 1.0 + 0.02 - 0.225  # the dresser's south edge 2 cm past the zone's end (z = 1)
    lay = layout(("dresser", DRESSER, 0.0, z, 0))
    expected = rect(0.0, z, DRESSER).intersection(DOOR_ZONE).area
    assert expected == pytest.approx(0.02 * 0.9)
    assert ev(OpeningsClear(), lay) == (False, pytest.approx(expected, abs=1e-6))
    # 2 cm short of the zone: clear; a deeper zone (1.2 m) reaches it again
    lay = layout(("dresser", DRESSER, 0.0, 1.0 - 0.02 - 0.225, 0))
    assert ev(OpeningsClear(), lay) == (True, 0.0)
    deeper = shapely.box(-0.45, 2 - 1.2, 0.45, 2)
    expected = rect(0.0, 1.0 - 0.02 - 0.225, DRESSER).intersection(deeper).area
    assert ev(OpeningsClear(door_depth=1.2), lay) == (False, pytest.approx(expected, abs=1e-6))


def test_window_zone_entered_3cm_by_a_tall_piece():
    shelf = (0.8, 1.8, 0.35)
    x = 0.6 + 0.4 - 0.03  # x ∈ [0.57, 1.37]
    z = -2 + 0.175
    lay = layout(("bookshelf", shelf, x, z, 0))
    expected = rect(x, z, shelf).intersection(WINDOW_ZONE).area
    assert expected == pytest.approx(0.03 * 0.35)
    ok, area = ev(OpeningsClear(), lay)
    assert not ok and area == pytest.approx(expected, abs=1e-6)
    ((msg, _),) = OpeningsClear().violations(lay)
    assert "blocks the window on wall_2" in msg


def test_window_is_blocked_only_above_its_sill():
    z = -2 + 0.225
    low = layout(("dresser", (1.0, 0.9, 0.45), 0.0, z, 0))  # top at the 0.9 m sill
    assert ev(OpeningsClear(), low) == (True, 0.0)
    high = layout(("dresser", (1.0, 0.91, 0.45), 0.0, z, 0))  # 1 cm above the sill
    expected = rect(0.0, z, DRESSER).intersection(WINDOW_ZONE).area
    assert expected == pytest.approx(1.0 * 0.35)
    assert ev(OpeningsClear(), high) == (False, pytest.approx(expected, abs=1e-6))


# ---- access space --------------------------------------------------------------------


def test_access_space_entered_5cm():
    # wardrobe against the north wall, facing south: its 0.7 m front access zone is
    # x ∈ [−0.5, 0.5], z ∈ [−1.4, −0.7]
    lay0 = layout(("wardrobe", WARDROBE, 0.0, -1.7, 0))
    assert lay0.items["wardrobe"].entry.access == {"front": 0.7}
    zone = shapely.box(-0.5, -1.4, 0.5, -1.4 + 0.7)
    z = -0.7 - 0.05 + 0.225  # dresser's back edge 5 cm into the zone
    lay = layout(("wardrobe", WARDROBE, 0.0, -1.7, 0), ("dresser", DRESSER, 0.0, z, 0))
    expected = rect(0.0, z, DRESSER).intersection(zone).area
    assert expected == pytest.approx(0.05 * 1.0)
    ok, area = ev(AccessClear(), lay)
    assert not ok and area == pytest.approx(expected, abs=1e-6)
    ((msg, size),) = AccessClear().violations(lay)
    assert "access space of the wardrobe is blocked (0.05 m²)" in msg and size == area
    # with ``only`` the intruder is named
    ((msg, size),) = AccessClear().violations(lay, only="dresser")
    assert "the dresser stands in the access space of the wardrobe" in msg
    assert size == pytest.approx(expected, abs=1e-6)
    # 5 cm short of the zone: clear
    lay = layout(("wardrobe", WARDROBE, 0.0, -1.7, 0), ("dresser", DRESSER, 0.0, z + 0.1, 0))
    assert ev(AccessClear(), lay) == (True, 0.0)


def test_access_space_beyond_a_wall():
    # facing the south wall with the front 0.67 m from it: 3 cm of the zone is outside
    z = 2 - 0.7 + 0.03 - 0.3
    lay = layout(("wardrobe", WARDROBE, -1.4, z, 0))
    zone = shapely.box(-1.9, z + 0.3, -0.9, z + 0.3 + 0.7)
    expected = zone.difference(FLOOR).area
    assert expected == pytest.approx(0.03 * 1.0)
    ok, area = ev(AccessClear(), lay)
    assert not ok and area == pytest.approx(expected, abs=1e-6)


def test_access_any_side_takes_the_least_blocked_side():
    # a bed (access on left, right and front; any one will do) in the north-west corner:
    # its left (+x) side is free, so it is fine; then a wardrobe blocks 5 cm of it
    bed = (1.4, 1.0, 2.0)
    lay = layout(("bed", bed, -2 + 0.7, -1.0, 0))
    assert ev(AccessClear(), lay) == (True, 0.0)
    # the front zone (0.6 m past the foot) and the right zone (beyond the west wall)
    # stay blocked by walls/pieces: block the front with the dresser, the left 5 cm
    left_zone = shapely.box(-0.6, -2 + min(0.5, 2.0 / 3), -0.6 + 0.6, 0.0)
    front_zone = shapely.box(-2, 0.0, -0.6, 0.6)
    x = -0.05 + 0.3  # the turned wardrobe (0.6 m in x) reaches 5 cm into the left zone
    lay = layout(
        ("bed", bed, -2 + 0.7, -1.0, 0),
        ("wardrobe", WARDROBE, x, -1.0, 90),
        ("dresser", DRESSER, -1.3, 0.225, 0),
    )
    left = rect(x, -1.0, WARDROBE, 90).intersection(left_zone).area
    front = rect(-1.3, 0.225, DRESSER).intersection(front_zone).area
    right = 0.6 * (2.0 - min(0.5, 2.0 / 3))  # wholly beyond the west wall
    assert left == pytest.approx(0.05 * 1.0)
    assert front > left and right > left
    bed_v = [s for m, s in AccessClear().violations(lay) if "of the bed" in m]
    assert bed_v == [pytest.approx(left, abs=1e-6)]


# ---- walkway -------------------------------------------------------------------------


def corridor(gap):
    """A 4 × 6 m room with a south door; two wardrobes across it leave a ``gap`` m
    passage in the middle, and a bed stands behind them."""
    room = Room.rectangle(4, 6, openings=[Opening("door", "wall_0", 2.0, 0.9)])
    w = (4 - gap) / 2
    return layout(
        ("wardrobe", (w, 2.0, 0.6), -2 + w / 2, 0.0, 0),
        ("wardrobe", (w, 2.0, 0.6), 2 - w / 2, 0.0, 0),
        ("bed", (1.4, 1.0, 1.9), 0.0, -2.05, 0),
        room=room,
    )


@pytest.mark.parametrize("gap", [0.62, 0.8, 0.86])
def test_walkway_measures_a_narrow_passage(gap):
    lay = corridor(gap)
    ok, width = ev(Walkway(0.9), lay)
    # measured on the 5 cm floor grid, rounded down (the rule errs on the safe side):
    # never wider than the gap, at most three cells narrower
    assert not ok and gap - 0.15 < width <= gap
    msgs = [m for m, _ in Walkway(0.9).violations(lay)]
    assert msgs == ["no 0.90 m walkway reaches the bed"]
    # a walker narrower than the measured width gets through
    assert ev(Walkway(width), lay) == (True, pytest.approx(width))


def test_walkway_passes_a_1m_passage_and_fails_a_blocked_door():
    lay = corridor(1.0)
    ok, width = ev(Walkway(0.9), lay)
    assert ok and width >= 0.9
    # a 2 m wide, 1 m deep cupboard fills the door's clear zone: the door is cut off
    room = Room.rectangle(4, 6, openings=[Opening("door", "wall_0", 2.0, 0.9)])
    lay = layout(("wardrobe", (2.0, 2.0, 1.0), 0.0, 3 - 0.5, 180), room=room)
    msgs = [m for m, _ in Walkway(0.9).violations(lay)]
    assert msgs[0] == "the door on wall_0 is cut off from the room"
    assert not ev(Walkway(0.9), lay)[0]


# ---- snapped rotations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaw_deg", "step", "dev"),
    [(92, 90, 2), (88, 90, 2), (-3, 90, 3), (181, 90, 1), (47, 45, 2), (44, 45, 1)],
)
def test_rotation_off_the_grid_by_a_few_degrees(yaw_deg, step, dev):
    lay = layout(("dresser", DRESSER, 0.0, 0.0, yaw_deg))
    ok, measured = ev(RotationSnap(step), lay)
    assert not ok and measured == pytest.approx(dev, abs=1e-6)
    ((msg, _),) = RotationSnap(step).violations(lay)
    assert f"turned {dev}° off the {step}° grid" in msg


@pytest.mark.parametrize(("yaw_deg", "step"), [(90.4, 90), (-0.4, 90), (270, 90), (135, 45)])
def test_rotation_on_the_grid(yaw_deg, step):
    lay = layout(("dresser", DRESSER, 0.0, 0.0, yaw_deg))
    assert ev(RotationSnap(step), lay) == (True, 0.0)


# ---- what the rules leave alone, and their descriptions ------------------------------


def test_items_on_their_support_and_rugs_do_not_overlap():
    desk = (1.2, 0.75, 0.6)
    lay = layout(("desk", desk, 0, 0, 0), ("monitor", (0.6, 0.4, 0.2), 0, 0, 0, 0.7))
    assert not ev(NoOverlap(), lay)[0]  # 5 cm sunk into the desk, no support given
    lay.place("monitor", Placement(0, 0, 0, 0.7, support="desk"))
    assert ev(NoOverlap(), lay) == (True, 0.0)
    lay = layout(("desk", desk, 0, 0, 0), ("monitor", (0.6, 0.4, 0.2), 0, 0, 0, 0.7))
    lay.place("desk", Placement(0, 0, 0, 0.0, support="monitor"))  # either direction
    assert ev(NoOverlap(), lay) == (True, 0.0)
    rug = (2.0, 0.01, 1.4)
    lay = layout(("rug", rug, 0, 0, 0), ("bed", (1.6, 1.0, 2.0), 0, 0, 0))
    assert ev(NoOverlap(), lay) == (True, 0.0)
    lay = layout(("rug", rug, 0, 0, 0), ("rug", rug, 0.5, 0, 0))  # two rugs do overlap
    assert ev(NoOverlap(), lay) == (False, pytest.approx(1.5 * 1.4, abs=1e-6))


def test_no_overlap_only_reports_the_named_piece():
    lay = layout(
        ("dresser", DRESSER, -0.5, 0.0, 0),
        ("wardrobe", WARDROBE, 0.47, 0.0, 0),
        ("bookshelf", (0.8, 1.8, 0.35), -1.5, 1.5, 0),
    )
    assert NoOverlap().violations(lay, only="bookshelf") == []
    assert len(NoOverlap().violations(lay, only="dresser")) == 1


def test_openings_ignore_rugs_and_pieces_on_top():
    lay = layout(("rug", (1.0, 0.01, 0.8), 0, 1.5, 0))
    assert ev(OpeningsClear(), lay) == (True, 0.0)
    lay = layout(("tv", (0.9, 0.5, 0.1), 0, 1.5, 0, 0.6))
    assert ev(OpeningsClear(), lay) == (True, 0.0)


def test_openings_zones_follow_the_room_and_window_depth():
    rule = OpeningsClear()
    assert not ev(rule, layout(("dresser", DRESSER, 0.0, 1.5, 0)))[0]
    # the same rule on a room whose door is on the north wall instead
    north = Room.rectangle(4, 4, openings=[Opening("door", "wall_2", 2.0, 0.9)])
    lay = layout(("dresser", DRESSER, 0.0, 1.5, 0), room=north)
    assert ev(rule, lay) == (True, 0.0)
    lay = layout(("dresser", DRESSER, 0.0, -1.5, 0), room=north)
    assert not ev(rule, lay)[0]
    # a tall shelf 0.4 m from the window: clear of a 0.35 m zone, not of a 0.5 m one
    shelf = (0.8, 1.8, 0.35)
    lay = layout(("bookshelf", shelf, 0, -2 + 0.4 + 0.175, 0))
    assert ev(OpeningsClear(), lay) == (True, 0.0)
    expected = rect(0, -2 + 0.4 + 0.175, shelf).intersection(shapely.box(-0.6, -2, 0.6, -1.5))
    assert ev(OpeningsClear(window_depth=0.5), lay) == (
        False,
        pytest.approx(expected.area, abs=1e-6),
    )


def test_access_space_may_hold_the_pieces_used_with_the_host():
    # the office chair belongs in front of the desk (its catalog rule), a dresser does not
    desk = (1.2, 0.75, 0.6)  # against the north wall, access 0.8 m in front
    chair = (0.5, 0.9, 0.5)
    lay = layout(("desk", desk, 0, -1.7, 0), ("office chair", chair, 0, -1.1, 180))
    assert ev(AccessClear(), lay) == (True, 0.0)
    lay = layout(("desk", desk, 0, -1.7, 0), ("dresser", DRESSER, 0, -1.1, 180))
    assert not ev(AccessClear(), lay)[0]
    # a rug in the access space takes none of it
    lay = layout(("desk", desk, 0, -1.7, 0), ("rug", (1.0, 0.01, 0.6), 0, -1.1, 0))
    assert ev(AccessClear(), lay) == (True, 0.0)


def test_walkway_without_doors_and_descriptions():
    lay = layout(("dresser", DRESSER, 0, 0, 0), room=Room.rectangle(4, 4))
    assert Walkway().violations(lay) == []
    assert ev(Walkway(), lay) == (True, math.inf)
    assert InsideRoom().describe() == "every piece stands inside the room, under the ceiling"
    assert NoOverlap().describe() == "no two pieces overlap"
    assert OpeningsClear(door_depth=1.2).describe() == (
        "doors keep a 1.2 m deep clear zone and no tall piece stands in front of a window"
    )
    assert AccessClear().describe() == "every piece keeps its access space clear"
    walk = "a walkway at least 0.80 m wide links each door to every piece"
    assert Walkway(0.8).describe() == walk
    assert RotationSnap(45).describe() == "rotations snap to multiples of 45°"


def test_access_exemptions_follow_the_catalog_rules():
    # a coffee table belongs in front of the sofa (in_front_of): it may use its access
    sofa = (2.0, 0.8, 0.9)  # against the north wall, 0.45 m access in front
    lay = layout(("sofa", sofa, 0, -1.55, 0), ("coffee table", (1.0, 0.4, 0.5), 0, -0.9, 0))
    assert ev(AccessClear(), lay) == (True, 0.0)
    # a nightstand beside the bed (beside) may stand in the bed's side access
    bed = (1.4, 1.0, 2.0)  # north-west corner: right side beyond the wall
    pieces = [("bed", bed, -1.3, -1.0, 0), ("dresser", DRESSER, -1.3, 0.225, 0)]
    lay = layout(*pieces, ("nightstand", (0.5, 0.6, 0.4), -0.35, -1.0, 0))
    assert [m for m, _ in AccessClear().violations(lay) if "of the bed" in m] == []
    # a chair (drawn up to dining tables) may not stand in a wardrobe's access
    lay = layout(("wardrobe", WARDROBE, 0, -1.7, 0), ("chair", (0.45, 0.9, 0.5), 0, -1.1, 0))
    assert not ev(AccessClear(), lay)[0]


def test_openings_only_and_every_piece_is_checked():
    lay = layout(("rug", (1.0, 0.01, 0.8), 1.5, 0, 0), ("dresser", DRESSER, 0.0, 1.5, 0))
    assert not ev(OpeningsClear(), lay)[0]  # the rug first does not stop the search
    assert OpeningsClear().violations(lay, only="rug") == []
    assert len(OpeningsClear().violations(lay, only="dresser")) == 1
    lay = layout(("dresser", DRESSER, 0.0, 1.5, 0), ("bookshelf", (0.8, 1.8, 0.35), 1.5, 0, 0))
    assert RotationSnap().violations(lay, only="bookshelf") == []
    lay.place("dresser", Placement(0.0, 1.5, math.radians(10)))
    assert RotationSnap().violations(lay, only="bookshelf") == []
    assert len(RotationSnap().violations(lay, only="dresser")) == 1


@pytest.mark.parametrize("step", [0, -90, 360.5, True, "ninety", None])
def test_rotation_step_must_lie_in_0_to_360(step):
    with pytest.raises(InputError, match=r"^rotation step: expected degrees in \(0, 360\]"):
        RotationSnap(step)


@pytest.mark.parametrize("step", [360, 0.5, 90])
def test_rotation_steps_accepted(step):
    assert RotationSnap(step).step == step


@pytest.mark.parametrize("side", ["back", "front", "left", "right"])
@pytest.mark.parametrize("yaw", [0, 90, 180, 270])
@pytest.mark.parametrize("turn", [0.0, 3.0])
def test_wall_gap_of_each_side(side, yaw, turn):
    """A dresser's ``side`` edge 0.1 m from the wall it faces, then turned 3° more (still
    parallel enough): the gap is the far end's distance, worked out by hand."""
    from worldnb.layout._rules_unary import wall_gap

    w, d = 1.0, 0.45
    t = math.radians(yaw)
    # outward unit direction of that side in the world (local +X → (cos, −sin), +Z → (sin, cos))
    out = {
        "back": (-math.sin(t), -math.cos(t)),
        "front": (math.sin(t), math.cos(t)),
        "left": (math.cos(t), -math.sin(t)),
        "right": (-math.cos(t), math.sin(t)),
    }[side]
    half, edge = (d / 2, w) if side in ("back", "front") else (w / 2, d)
    g = 0.1
    x, z = (c * (2 - g - half) for c in out)
    lay = layout(("dresser", (w, 0.8, d), x, z, yaw + turn))
    gap, wall = wall_gap(lay, "dresser", side)
    a = math.radians(turn)
    expected = g + half * (1 - math.cos(a)) + edge / 2 * math.sin(a)
    assert gap == pytest.approx(expected, abs=1e-6)
    compass = {(0, 1): "wall_0", (1, 0): "wall_1", (0, -1): "wall_2", (-1, 0): "wall_3"}
    assert wall == compass[tuple(round(c) for c in out)]


def test_wall_gap_needs_a_parallel_wall():
    from worldnb.layout._rules_unary import wall_gap

    lay = layout(("dresser", DRESSER, 0, 0, 45))
    assert wall_gap(lay, "dresser", "back") == (math.inf, "")


def test_access_blocked_by_walls_and_pieces_adds_up():
    # the wardrobe's front zone reaches 3 cm beyond the south wall, and a plant (no access
    # space of its own) stands 5 cm inside it: 0.03 + 0.05 m² (both 1 m wide)
    z = 2 - 0.7 + 0.03 - 0.3
    zone = shapely.box(-1.9, z + 0.3, -0.9, z + 0.3 + 0.7)
    dz = z + 0.3 + 0.05 - 0.225  # the dresser's south edge 5 cm past the zone's start
    lay = layout(("rug", (1.0, 0.01, 0.6), 1.0, -1.0, 0), ("wardrobe", WARDROBE, -1.4, z, 0),
                 ("plant", DRESSER, -1.4, dz, 0))  # fmt: skip
    expected = zone.difference(FLOOR).area + rect(-1.4, dz, DRESSER).intersection(zone).area
    assert expected == pytest.approx(0.03 + 0.05)
    assert ev(AccessClear(), lay) == (False, pytest.approx(expected, abs=1e-6))
    # asking about the rug alone: it blocks nothing (the wall's share is not the rug's)
    assert AccessClear().violations(lay, only="rug") == []
    # asking about the plant alone: its own 0.05 m² (plus the wall's share)
    ((msg, v),) = AccessClear().violations(lay, only="plant")
    assert "the plant stands in the access space of the wardrobe" in msg
    assert v == pytest.approx(expected, abs=1e-6)


def test_access_only_counts_the_named_intruder():
    lay = layout(("wardrobe", WARDROBE, 0.0, -1.7, 0), ("dresser", DRESSER, 0.0, -1.1, 0),
                 ("bookshelf", (0.8, 1.8, 0.35), 1.5, 0.5, 0))  # fmt: skip
    assert AccessClear().violations(lay, only="bookshelf") == []
    assert len(AccessClear().violations(lay, only="dresser")) == 1


# ---- survivors of the mutation runs (issue 20): `only`, partner order, custom entries --


def test_inside_room_only_reports_the_named_piece():
    # two pieces 3 cm through the east and the west walls: ``only`` names one of them
    lay = layout(("dresser", DRESSER, 2 - 0.5 + 0.03, 0.0, 0), ("wardrobe", WARDROBE, -1.53, 0, 0))
    assert len(InsideRoom().violations(lay)) == 2
    ((msg, area),) = InsideRoom().violations(lay, only="wardrobe")
    assert msg == "the wardrobe sticks 0.02 m² out of the room"
    assert area == pytest.approx(0.03 * 0.6, abs=1e-3)


def test_no_overlap_only_finds_the_named_piece_after_other_pairs():
    # the bookshelf overlaps the dresser, which comes first: the pair (dresser, wardrobe)
    # that does not involve it must not end the dresser's search
    shelf = (0.8, 1.8, 0.35)
    lay = layout(("dresser", DRESSER, -1.0, 0.0, 0), ("wardrobe", WARDROBE, 1.0, 0.0, 0),
                 ("bookshelf", shelf, -1.0 + 0.9 - 0.04, 0.0, 0))  # fmt: skip
    expected = rect(-1.0, 0.0, DRESSER).intersection(rect(-0.14, 0.0, shelf)).area
    assert expected == pytest.approx(0.04 * 0.35)
    ((msg, area),) = NoOverlap().violations(lay, only="bookshelf")
    assert msg == "the dresser and the bookshelf overlap by 0.01 m²"
    assert area == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("width", [0.19, 3.01, 3.5, 4.0, math.nan, True, "wide"])
def test_walkway_width_must_lie_in_0_2_to_3_m(width):
    with pytest.raises(InputError, match=r"^walkway width: expected 0\.2–3\.0 m, got "):
        Walkway(width)


@pytest.mark.parametrize("width", [0.2, 3.0, 1])
def test_walkway_widths_accepted(width):
    assert Walkway(width).width == width


def test_walkway_with_a_door_and_nothing_to_reach_measures_inf():
    # a plant has no access space: no path needs measuring, the narrowest is inf
    lay = layout(("plant", (0.4, 1.0, 0.4), 1.5, -1.5, 0))
    assert lay.access_zones("plant") == []
    assert Walkway().violations(lay) == []
    assert ev(Walkway(), lay) == (True, math.inf)


def test_access_of_other_hosts_is_not_exempt_for_a_chair():
    # a chair may be drawn up to a dining table, not into a wardrobe's 0.7 m front space
    # (x ∈ [−0.5, 0.5], z ∈ [−1.4, −0.7]); the chair is turned so that its own back
    # space (0.55 m) is free and its intrusion is all there is to report
    chair = (0.45, 0.9, 0.5)
    lay = layout(("wardrobe", WARDROBE, 0, -1.7, 0), ("chair", chair, 0, -1.1, 180))
    expected = rect(0, -1.1, chair).intersection(shapely.box(-0.5, -1.4, 0.5, -0.7)).area
    assert expected == pytest.approx(0.45 * 0.5)
    ((msg, v),) = AccessClear().violations(lay, only="chair")
    assert msg == "the chair stands in the access space of the wardrobe"
    assert v == pytest.approx(expected, abs=1e-6)
    assert ev(AccessClear(), lay) == (False, pytest.approx(expected, abs=1e-6))


def test_walkway_need_not_reach_a_nightstand_used_from_the_bed():
    # the nightstand faces the north wall, touching it: its 0.45 m front space is all
    # beyond the wall, so no walker reaches it. Alone it is unreachable; with a bed in the
    # room (it is used from the bed) the walkway need not reach it
    stand = ("nightstand", (0.5, 0.6, 0.4), 1.0, -2 + 0.2, 180)
    assert [m for m, _ in Walkway(0.9).violations(layout(stand))] == [
        "no 0.90 m walkway reaches the nightstand"
    ]
    lay = layout(("bed", (1.4, 1.0, 2.0), -1.0, -0.5, 0), stand)
    assert Walkway(0.9).violations(lay) == []


def _custom(name, access, flat=False):
    from worldnb.catalog import CatalogEntry

    return CatalogEntry(name, (0.5, 2), (0.3, 2), (0.01, 2), access=access, flat=flat)


def test_walkway_skips_flat_pieces_even_with_an_access_space():
    # a flat mat (others may stand on it) whose 0.5 m front space lies beyond the north
    # wall: it takes no walking space and needs no walkway of its own
    mat = ("mat", (1.0, 0.01, 0.6), 0.0, -2 + 0.3, 180)
    lay = layout((_custom("mat", {"front": 0.5}, flat=True), *mat[1:]))
    assert len(lay.access_zones("mat")) == 1
    assert Walkway(0.9).violations(lay) == []
    lay = layout((_custom("mat", {"front": 0.5}), *mat[1:]))  # the same, not flat
    assert [m for m, _ in Walkway(0.9).violations(lay)] == ["no 0.90 m walkway reaches the mat"]


def test_a_piece_with_two_access_sides_needs_both():
    # a custom counter with 0.6 m of access in front and behind (not 'any side will do'),
    # its back against the north wall: the back space (1.2 × 0.6 m) is all beyond the
    # wall, so its access is blocked by that much and no walkway reaches it
    counter = _custom("counter", {"front": 0.6, "back": 0.6})
    lay = layout((counter, (1.2, 0.9, 0.6), 0.0, -2 + 0.3, 0))
    assert not counter.access_any and len(lay.access_zones("counter")) == 2
    assert ev(AccessClear(), lay) == (False, pytest.approx(1.2 * 0.6, abs=1e-6))
    assert [m for m, _ in Walkway(0.9).violations(lay)] == ["no 0.90 m walkway reaches the counter"]


def test_walkway_must_reach_into_the_access_space_itself():
    # a 3 m wide sideboard covers the wardrobe's whole 0.7 m front space (x ∈ [−0.5, 0.5],
    # z ∈ [−1.4, −0.7]) and 1 m either side of it: a walker gets to 0.45 m of that space
    # (its half width) but never into it, so the wardrobe is out of reach
    board = ("dresser", (3.0, 0.8, 0.7), 0.0, -1.05, 0)
    lay = layout(("wardrobe", WARDROBE, 0.0, -1.7, 0), board)
    assert lay.access_zones("wardrobe")[0].equals(shapely.box(-0.5, -1.4, 0.5, -0.7))
    assert [m for m, _ in Walkway(0.9).violations(lay)] == [
        "no 0.90 m walkway reaches the wardrobe"
    ]


def test_walkway_analysis_measures_widths_only_when_asked():
    from worldnb.layout.constraints import walkway_analysis

    lay = corridor(1.0)
    assert walkway_analysis(lay, 0.9) == {"blocked_doors": [], "unreachable": []}
    assert set(walkway_analysis(lay, 0.9, measure=True)["widths"]) == {
        "wardrobe 1",
        "wardrobe 2",
        "bed",
    }


# ---- session 4: survivors of the full mutation run ------------------------------------


def test_access_with_only_checks_every_host_after_a_clear_one():
    # wardrobe 1 (west) keeps its access clear; the dresser stands 0.2 m deep in the
    # 0.7 m access space in front of wardrobe 2 (east). Both wardrobes face +z.
    lay = layout(
        ("wardrobe", WARDROBE, -1.2, -1.7, 0),
        ("wardrobe", WARDROBE, 1.2, -1.7, 0),
        ("dresser", DRESSER, 1.2, -1.4 + 0.5 - 0.225 - 0.2 + 0.45 + 0.2, 0),
    )
    names = lay.placed
    front_edge = -1.7 + WARDROBE[2] / 2  # z = −1.4: the access band is z ∈ [−1.4, −0.7]
    z_dresser = lay.placements[names[2]].z
    depth_in = (-1.4 + 0.7) - (z_dresser - DRESSER[2] / 2)
    assert front_edge == pytest.approx(-1.4) and depth_in == pytest.approx(0.2)
    out = AccessClear().violations(lay, only=names[2])
    assert [m for m, _ in out] == [f"the {names[2]} stands in the access space of the {names[1]}"]
    assert out[0][1] == pytest.approx(DRESSER[0] * 0.2, abs=1e-6)  # 1.0 m × 0.2 m


def test_no_overlap_ignores_slivers_below_one_square_centimetre():
    # two dressers overlapping by 1 cm × 0.5 cm = 0.5 cm² (below the 1 cm² touching
    # tolerance), then by 2 cm × 1 cm = 2 cm² (counted)
    a = ("dresser", DRESSER, 0.0, 0.0, 0)
    sliver = layout(a, ("dresser", DRESSER, 1.0 - 0.01, 0.45 - 0.005, 0))
    assert ev(NoOverlap(), sliver) == (True, 0.0)
    assert NoOverlap().violations(sliver) == []
    lay = layout(a, ("dresser", DRESSER, 1.0 - 0.02, 0.45 - 0.01, 0))
    ok, area = ev(NoOverlap(), lay)
    assert not ok and area == pytest.approx(0.02 * 0.01, rel=1e-6)


def test_walkway_violations_weigh_one_each():
    room = Room.rectangle(4, 6, openings=[Opening("door", "wall_0", 2.0, 0.9)])
    lay = layout(("wardrobe", (2.0, 2.0, 1.0), 0.0, 3 - 0.5, 180), room=room)
    out = Walkway(0.9).violations(lay)
    assert out[0] == ("the door on wall_0 is cut off from the room", 1.0)
    assert [size for _, size in out] == [1.0] * len(out)
    # a bed walled in by two wardrobes and the north wall: the door is free, the bed not
    lay = layout(
        ("bed", (1.4, 1.0, 1.9), 0.0, -2.0, 0),
        ("wardrobe", (1.3, 2.0, 3.0), -1.35, -1.5, 0),
        ("wardrobe", (1.3, 2.0, 3.0), 1.35, -1.5, 0),
        ("wardrobe", (1.4, 2.0, 0.6), 0.0, -0.3, 0),
        room=room,
    )
    bed = lay.placed[0]
    assert (f"no 0.90 m walkway reaches the {bed}", 1.0) in Walkway(0.9).violations(lay)


def test_default_rotation_step_is_a_quarter_turn_and_walkway_0_9_m():
    for yaw in (0, 90, 180, 270):
        assert ev(RotationSnap(), layout(("dresser", DRESSER, 0.0, 0.0, yaw)))[0]
    ok, dev = ev(RotationSnap(), layout(("dresser", DRESSER, 0.0, 0.0, 30)))
    assert not ok and dev == pytest.approx(30)
    # a 1.0 m passage is wide enough for the default 0.9 m walker
    assert ev(Walkway(), corridor(1.0))[0]
    assert not ev(Walkway(), corridor(0.8))[0]


def test_a_door_keeps_its_full_height_clear_whatever_its_sill():
    # a (raised-threshold) door with a 0.3 m sill: a 0.25 m low piece in its zone still
    # blocks it; a window with the same sill would be clear above a 0.25 m piece
    door = Room.rectangle(4, 4, openings=[Opening("door", "wall_0", 2.0, 0.9, sill=0.3)])
    low = ("side table", (0.5, 0.25, 0.4), 0.0, 2 - 0.3, 0)
    ok, area = ev(OpeningsClear(), layout(low, room=door))
    assert not ok and area == pytest.approx(0.5 * 0.4)
    window = Room.rectangle(
        4, 4, openings=[Opening("window", "wall_0", 2.0, 0.9, height=1.0, sill=0.3)]
    )
    assert ev(OpeningsClear(), layout(low, room=window)) == (True, 0.0)


def test_access_exemptions_of_custom_entries():
    # a dining table of one's own with a 0.6 m front access space: chairs are drawn up to
    # dining tables ('around' in the catalog), so a chair may stand in it, a dresser not
    table = _custom("dining table", {"front": 0.6})
    chair = (0.45, 0.9, 0.5)
    lay = layout((table, (1.6, 0.75, 0.9), 0, -1.0, 0), ("chair", chair, 0, -0.3, 180))
    assert ev(AccessClear(), lay) == (True, 0.0)
    lay = layout((table, (1.6, 0.75, 0.9), 0, -1.0, 0), ("dresser", DRESSER, 0, -0.3, 180))
    assert not ev(AccessClear(), lay)[0]
    # a custom stool whose rule names several targets ('beside' a wardrobe or a bed) may
    # stand in the wardrobe's 0.7 m front space
    from worldnb.catalog import CatalogEntry

    stool = CatalogEntry("stool", (0.3, 1), (0.3, 1), (0.3, 1), front=False,
                         rules=({"type": "beside", "target": ["bed", "wardrobe"]},))  # fmt: skip
    lay = layout(("wardrobe", WARDROBE, 0, -1.7, 0), (stool, (0.4, 0.45, 0.4), 0, -1.1, 0))
    assert ev(AccessClear(), lay) == (True, 0.0)
