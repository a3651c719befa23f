"""Each constraint measures what it says, on hand-placed layouts."""

from __future__ import annotations

import math

import pytest

from worldnb.errors import InputError
from worldnb.layout import (
    AccessClear,
    AgainstWall,
    AlignedWith,
    Beside,
    Centered,
    Centred,
    Distance,
    Facing,
    Far,
    InCorner,
    InFrontOf,
    InsideRoom,
    LeftOf,
    Near,
    NoOverlap,
    OnTopOf,
    OpeningsClear,
    RightOf,
    RotationSnap,
    Walkway,
)
from worldnb.layout.state import Layout, Placement, make_items
from worldnb.scene import Opening, Room

ROOM = Room.rectangle(4, 4, openings=[Opening("door", "wall_0", 2.0, 0.9)])  # door: south, x=0


def lay(**places):
    """Layout of the named categories at (x, z, yaw_deg[, y])."""
    items = make_items(
        [("bed", (1.6, 1.0, 2.0)) if n == "bed" else n.replace("_", " ") for n in places]
    )
    out = Layout(ROOM, items)
    for it, v in zip(items, places.values(), strict=True):
        x, z, deg, *y = v
        out.place(it.name, Placement(x, z, math.radians(deg), y[0] if y else 0.0))
    return out


def ev(c, layout):
    return c.bind(layout).evaluate(layout)


def test_against_wall_and_corner():
    # bed head against the north wall (z = −2): faces south (+z), yaw 0
    L = lay(bed=(0, -1.0, 0))
    assert ev(AgainstWall("bed"), L) == (True, pytest.approx(0.0, abs=1e-6))
    L = lay(bed=(0, -0.7, 0))
    ok, gap = ev(AgainstWall("bed"), L)
    assert not ok and gap == pytest.approx(0.3, abs=1e-6)
    L = lay(plant=(-2 + 0.25, -2 + 0.25, 0))
    plant = L.items["plant"].size
    assert ev(InCorner("plant"), L)[0] == (plant[0] <= 0.5 + 1e-6 and plant[2] <= 0.5 + 1e-6)
    L = lay(plant=(0, 0, 0))
    ok, d = ev(InCorner("plant"), L)
    assert not ok and d > 1.0


def test_near_far_distance_facing():
    L = lay(sofa=(0, -1.5, 0), coffee_table=(0, 0, 0))
    sofa_front = -1.5 + L.items["sofa"].size[2] / 2
    table_back = -L.items["coffee table"].size[2] / 2
    gap = table_back - sofa_front
    assert ev(Distance("coffee table", "sofa", 0, 1), L) == (True, pytest.approx(gap, abs=1e-6))
    assert ev(Near("coffee table", "sofa", max=gap - 0.01), L)[0] is False
    assert ev(Far("coffee table", "sofa", min=gap - 0.01), L)[0] is True
    ok, ang = ev(Facing("sofa", "coffee table"), L)
    assert ok and ang == pytest.approx(0.0, abs=1e-6)
    ok, ang = ev(Facing("coffee table", "sofa"), L)  # table yaw 0 faces +z, away
    assert not ok and ang == pytest.approx(180.0, abs=1e-6)
    ok, gap2 = ev(InFrontOf("coffee table", "sofa", 0.0, 1.0), L)
    assert ok and gap2 == pytest.approx(gap, abs=1e-6)


def test_beside_left_right_in_objects_frame():
    # bed faces +z; its own left is +x (as someone lying in it, looking at its front)
    L = lay(bed=(0, -1.0, 0), nightstand=(1.1, -1.8, 0))
    assert ev(LeftOf("nightstand", "bed"), L)[0]
    assert not ev(RightOf("nightstand", "bed"), L)[0]
    ok, gap = ev(Beside("nightstand", "bed"), L)
    ns_w = L.items["nightstand"].size[0]
    assert gap == pytest.approx(1.1 - ns_w / 2 - 0.8, abs=1e-6)
    back_offset = abs(-1.8 - L.items["nightstand"].size[2] / 2 - (-2.0))
    assert ok == (gap <= 0.1 and back_offset < 0.25)


def test_aligned_centered_on_top_rotation():
    L = lay(desk=(0, 0, 90), monitor=(0, 0, 0, 0.74))
    assert ev(AlignedWith("monitor", "desk"), L)[0]
    assert ev(Centered("desk"), L) == (True, 0.0)
    with pytest.warns(DeprecationWarning, match="Centered"):
        old = Centred("desk", max_offset=0.3)
    assert isinstance(old, Centered) and old.max_offset == 0.3 and ev(old, L) == (True, 0.0)
    L.place("monitor", Placement(0, 0, 0, L.yrange("desk")[1]))
    assert ev(OnTopOf("monitor", "desk"), L)[0]
    L.place("monitor", Placement(0, 0, 0, L.yrange("desk")[1] + 0.2))
    ok, v = ev(OnTopOf("monitor", "desk"), L)
    assert not ok and v == pytest.approx(0.2, abs=1e-6)
    L.place("desk", Placement(0, 0, math.radians(30)))
    ok, dev = ev(RotationSnap(), L)
    assert not ok and dev == pytest.approx(30.0)


def test_global_rules_measure_violations():
    L = lay(wardrobe=(0, 1.6, 180))  # stands in the door's clear zone (south wall)
    ok, area = ev(OpeningsClear(), L)
    assert not ok and area > 0.3
    L = lay(wardrobe=(0, 0, 0), dresser=(0.3, 0, 0))
    ok, area = ev(NoOverlap(), L)
    assert not ok and area > 0.2
    L = lay(wardrobe=(2.2, 0, 0))
    ok, out = ev(InsideRoom(), L)
    assert not ok and out > 0.1
    # a dresser right in front of a wardrobe blocks its 0.7 m access space
    L = lay(wardrobe=(0, -1.7, 0), dresser=(0, -0.9, 180))
    assert not ev(AccessClear(), L)[0]


def test_walkway_measures_the_narrowest_path():
    # two wardrobes split a long room, leaving a 0.6 m gap; the bed is behind them
    room = Room.rectangle(4, 6, openings=[Opening("door", "wall_0", 2.0, 0.9)])  # south
    items = make_items([("wardrobe", (1.7, 2.0, 0.6))] * 2 + [("bed", (1.4, 1.0, 1.9))])
    L = Layout(room, items)
    L.place("wardrobe 1", Placement(-1.15, 0.0, 0.0))
    L.place("wardrobe 2", Placement(1.15, 0.0, 0.0))
    L.place("bed", Placement(0, -2.05, 0.0))
    ok, width = Walkway(0.9).bind(L).evaluate(L)
    assert not ok and width == pytest.approx(0.6, abs=0.1)
    assert Walkway(0.5).evaluate(L)[0]


def test_bad_constraint_arguments():
    with pytest.raises(InputError, match="weight"):
        Near("a", "b", weight=-1)
    with pytest.raises(InputError, match="min"):
        Distance("a", "b", min=2, max=1)
    with pytest.raises(InputError, match="walkway width"):
        Walkway(0.01)


def test_left_right_agree_with_the_spatial_engine():
    from worldnb.scene import SceneObject
    from worldnb.spatial import ObjectFrame, left_of, right_of

    L = lay(bed=(0, -1.0, 0), nightstand=(1.1, -1.8, 0))
    bed = SceneObject(1, "bed", L.box("bed"), front=True)
    ns = SceneObject(2, "nightstand", L.box("nightstand"), front=True)
    frame = ObjectFrame(bed)
    assert left_of(ns, bed, frame=frame) == ev(LeftOf("nightstand", "bed"), L)[0] is True
    assert right_of(ns, bed, frame=frame) == ev(RightOf("nightstand", "bed"), L)[0] is False
