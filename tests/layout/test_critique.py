"""critique() finds planted problems, with their numbers, and runs on real scans."""

from __future__ import annotations

import numpy as np
import pytest

from worldnb.errors import InputError
from worldnb.layout import critique
from worldnb.scene import Opening, OrientedBox, Room, Scene
from worldnb.scene.io import load_vsibench
from worldnb.worlds import sample_room


def room():
    return Room.rectangle(
        4,
        4,
        openings=[
            Opening("door", "wall_0", 2.0, 0.9),
            Opening("window", "wall_2", 2.0, 1.2, 1.2, 0.9),
        ],
    )


def kinds(issues):
    return sorted(i.kind for i in issues)


def test_clean_planned_room_has_no_issues():
    assert critique(sample_room("office", seed=1)) == []


def test_blocked_door_with_clear_depth():
    s = Scene(room=room())
    # wardrobe 0.4 m in from the south wall, in front of the door (x = 0)
    s.add_object("wardrobe", OrientedBox((0, 1.0, 2 - 0.4 - 0.3), (1.2, 2.0, 0.6)), front=True)
    (issue,) = [i for i in critique(s) if i.kind == "blocked_door"]
    assert issue.value == pytest.approx(0.4, abs=1e-3)
    assert "0.40 m" in issue.message and issue.objects == (1,)


def test_collision_outside_and_facing_wall():
    s = Scene(room=room())
    s.add_object("dresser", OrientedBox((-1.0, 0.4, -1.7), (1.0, 0.8, 0.45)), front=True)
    s.add_object("bookshelf", OrientedBox((-0.6, 0.9, -1.7), (0.8, 1.8, 0.35)), front=True)
    s.add_object("sofa", OrientedBox((2.2, 0.4, 0.0), (2.0, 0.8, 0.9), yaw=1.5708), front=True)
    # an armchair whose front is 0.10 m from the west wall, facing it
    s.add_object(
        "armchair",
        OrientedBox((-2 + 0.1 + 0.4, 0.45, 0.8), (0.8, 0.9, 0.8), yaw=-1.5708),
        front=True,
    )
    issues = critique(s)
    col = next(i for i in issues if i.kind == "collision")
    assert set(col.objects) == {1, 2} and col.value > 0.05
    out = next(i for i in issues if i.kind == "outside_room")
    assert out.objects == (3,) and out.value == pytest.approx(0.65, abs=0.02)
    face = next(i for i in issues if i.kind == "facing_wall" and i.objects == (4,))
    assert face.value == pytest.approx(0.10, abs=1e-3) and "west wall" in face.message


def test_narrow_walkway_reports_measured_width():
    r = Room.rectangle(4, 6, openings=[Opening("door", "wall_0", 2.0, 0.9)])
    s = Scene(room=r)
    s.add_object("wardrobe", OrientedBox((-1.15, 1.0, 0.0), (1.7, 2.0, 0.6)), front=True)
    s.add_object("wardrobe", OrientedBox((1.15, 1.0, 0.0), (1.7, 2.0, 0.6)), front=True)
    s.add_object("bed", OrientedBox((0, 0.5, -2.05), (1.4, 1.0, 1.9)), front=True)
    narrow = [i for i in critique(s) if i.kind == "narrow_walkway"]
    assert [i.objects for i in narrow] == [(3,)]
    assert narrow[0].value == pytest.approx(0.6, abs=0.1)
    assert "needs 0.90 m" in narrow[0].message


def test_blocked_window_by_tall_piece():
    s = Scene(room=room())
    s.add_object(
        "bookshelf", OrientedBox((2.0 - 2.0 + 0.0, 1.0, -2 + 0.2), (0.8, 2.0, 0.35)), front=True
    )
    w = [i for i in critique(s) if i.kind == "blocked_window"]
    assert w and w[0].value == pytest.approx(2.0 - 0.9, abs=1e-3)


def test_bad_input():
    with pytest.raises(InputError, match="Scene"):
        critique("not a scene")
    with pytest.raises(InputError, match="neither a room nor objects"):
        critique(Scene())


def test_runs_on_real_scannet_layouts(vsibench_meta):
    scenes = load_vsibench(vsibench_meta)
    assert len(scenes) == 88
    seen = set()
    for scene in sorted(scenes, key=lambda s: s.meta["scene"])[:5]:
        issues = critique(scene)
        for i in issues:
            assert i.message and i.objects
            assert i.value == i.value  # not NaN
        seen |= {i.kind for i in issues}
    assert seen & {"collision", "blocked_door", "narrow_walkway", "blocked_window"}


# ---- collisions: ``tolerance`` (metres of penetration) is the one knob ----------------


def desk_and_wardrobe(dx, dz=0.2, meta=None):
    """A 1.2 × 0.6 m desk (0.75 m high) and a 1.0 × 0.6 m wardrobe standing ``dx`` m into
    its east end and ``dz`` m into its depth, over the desk's full height."""
    s = Scene(room=Room.rectangle(4, 4), meta=meta or {})
    s.add_object("desk", OrientedBox((0, 0.375, 0), (1.2, 0.75, 0.6)), front=True)
    # desk: x ∈ [−0.6, 0.6], z ∈ [−0.3, 0.3]; wardrobe: x from 0.6 − dx, z up to −0.3 + dz
    centre = (0.6 - dx + 0.5, 1.0, -0.3 + dz - 0.3)
    s.add_object("wardrobe", OrientedBox(centre, (1.0, 2.0, 0.6)), front=True)
    return s


def collisions(issues):
    return [i for i in issues if i.kind == "collision"]


def test_issue_20_desk_and_wardrobe_collision_is_reported_with_its_size():
    (col,) = collisions(critique(desk_and_wardrobe(0.1), tolerance=0.0))
    # 0.1 m × 0.2 m of floor over the desk's 0.75 m: 0.02 m², 15 litres; the shortest
    # move that separates them is 0.1 m
    assert col.objects == (1, 2)
    assert col.value == pytest.approx(0.1, abs=1e-6) and col.unit == "m deep"
    assert col.extra["area_m2"] == pytest.approx(0.1 * 0.2, abs=1e-6)
    assert col.extra["volume_m3"] == pytest.approx(0.1 * 0.2 * 0.75, abs=1e-6)
    assert col.limit == 0.0
    assert "0.10 m deep" in col.message and "15 litres" in col.message
    assert "tolerance" not in col.message  # nothing was ignored


def test_one_centimetre_penetration_is_reported_at_tolerance_zero():
    s = desk_and_wardrobe(0.01)
    (col,) = collisions(critique(s, tolerance=0.0))
    assert col.value == pytest.approx(0.01, abs=1e-6)
    assert col.extra["area_m2"] == pytest.approx(0.01 * 0.2, abs=1e-6)
    assert collisions(critique(s)) == collisions(critique(s, tolerance=0.0))  # the default
    # the tolerance decides, in metres: 1 cm is within 2 cm, beyond 5 mm
    assert collisions(critique(s, tolerance=0.02)) == []
    (col,) = collisions(critique(s, tolerance=0.005))
    assert col.limit == 0.005 and "[tolerance 0.005 m]" in col.message
    # the depth is the smaller of the two horizontal overlaps (here 1 cm, then 2 cm)
    (col,) = collisions(critique(desk_and_wardrobe(0.3, dz=0.02), tolerance=0.0))
    assert col.value == pytest.approx(0.02, abs=1e-6)


def test_touching_is_not_a_collision():
    assert collisions(critique(desk_and_wardrobe(0.0), tolerance=0.0)) == []
    assert collisions(critique(desk_and_wardrobe(-0.01), tolerance=0.0)) == []


def test_penetration_depth_counts_the_vertical_overlap():
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("dresser", OrientedBox((0, 0.4, 0), (1.0, 0.8, 0.45)), front=True)
    # a wardrobe hanging 2 cm into the dresser's top, over its whole footprint
    s.add_object("wardrobe", OrientedBox((0, 0.78 + 0.5, 0), (1.0, 1.0, 0.45)), front=True)
    (col,) = collisions(critique(s, tolerance=0.0))
    assert col.value == pytest.approx(0.02, abs=1e-6)
    assert col.extra["volume_m3"] == pytest.approx(1.0 * 0.45 * 0.02, abs=1e-6)


def test_scan_mode_keeps_its_own_tolerance_and_says_so():
    meta = {"source": "ScanNet (VSI-Bench meta info)"}
    assert collisions(critique(desk_and_wardrobe(0.03, meta=meta))) == []  # 3 cm < 5 cm
    (col,) = collisions(critique(desk_and_wardrobe(0.1, meta=meta)))
    assert col.limit == 0.05 and "[scan mode, tolerance 0.05 m]" in col.message
    # scan mode off, or an explicit tolerance: the same 3 cm is reported
    assert collisions(critique(desk_and_wardrobe(0.03, meta=meta), scan=False))
    assert collisions(critique(desk_and_wardrobe(0.03, meta=meta), tolerance=0.0))
    # and scan mode can be asked for on any scene
    assert collisions(critique(desk_and_wardrobe(0.03), scan=True)) == []


def test_one_centimetre_outside_the_room_at_tolerance_zero():
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("dresser", OrientedBox((2 - 0.5 + 0.01, 0.4, 0), (1.0, 0.8, 0.45)), front=True)
    (out,) = [i for i in critique(s) if i.kind == "outside_room"]
    assert out.value == pytest.approx(0.01, abs=1e-6) and out.limit == 0.0
    assert [i for i in critique(s, tolerance=0.02) if i.kind == "outside_room"] == []


def test_one_centimetre_into_a_door_zone_at_tolerance_zero():
    s = Scene(room=room())  # door on the south wall, x ∈ [−0.45, 0.45], zone z ∈ [1, 2]
    s.add_object("dresser", OrientedBox((-0.45 - 0.5 + 0.01, 0.4, 1.5), (1.0, 0.8, 0.45)))
    (door,) = [i for i in critique(s) if i.kind == "blocked_door"]
    assert "(0.00 m² blocked)" in door.message  # 0.01 × 0.45 = 0.0045 m²
    assert [i for i in critique(s, tolerance=0.02) if i.kind == "blocked_door"] == []


def test_bad_tolerance():
    with pytest.raises(InputError, match="tolerance"):
        critique(desk_and_wardrobe(0.1), tolerance=-0.01)
    with pytest.raises(InputError, match="tolerance"):
        critique(desk_and_wardrobe(0.1), tolerance=float("nan"))


def test_a_corner_poking_in_is_measured_by_its_depth():
    # a 0.6 m square turned 45° pokes one corner 2 cm into a dresser's east side; every
    # corner takes its turn (yaw 45, 135, ...), and both orders of the two pieces
    s = 0.6
    for yaw_deg in (45, 135, 225, 315):
        for first in ("dresser", "plant"):
            scene = Scene(room=Room.rectangle(4, 4))
            boxes = {
                "dresser": OrientedBox((-0.5, 0.4, 0), (1.0, 0.8, 0.45)),  # east side x = 0
                "plant": OrientedBox(
                    (-0.02 + s / 2**0.5, 0.3, 0), (s, 0.6, s), yaw=np.radians(yaw_deg)
                ),
            }
            for label in (first, "plant" if first == "dresser" else "dresser"):
                scene.add_object(label, boxes[label])
            (col,) = collisions(critique(scene))
            assert col.value == pytest.approx(0.02, abs=1e-5), (yaw_deg, first)


def test_pieces_stacked_apart_do_not_collide():
    # a big box hanging above a dresser: same footprint, 0.1 m of air between them
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("dresser", OrientedBox((0, 0.4, 0), (1.0, 0.8, 0.45)))
    s.add_object("crate", OrientedBox((0, 0.9 + 1.0, 0), (1.2, 2.0, 0.6)))
    assert collisions(critique(s)) == []


@pytest.mark.parametrize("seat_first", [True, False])
def test_chairs_tucked_under_tables_are_not_collisions(seat_first):
    pieces = [
        ("chair", OrientedBox((0, 0.45, 0.3), (0.45, 0.9, 0.5))),
        ("desk", OrientedBox((0, 0.375, 0), (1.2, 0.75, 0.6))),
    ]
    s = Scene(room=Room.rectangle(4, 4))
    for label, box in pieces if seat_first else pieces[::-1]:
        s.add_object(label, box)
    assert collisions(critique(s)) == []
    # but a chair pushed into a dresser is
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("chair", OrientedBox((0, 0.45, 0.3), (0.45, 0.9, 0.5)))
    s.add_object("dresser", OrientedBox((0, 0.4, 0), (1.0, 0.8, 0.6)))
    (col,) = collisions(critique(s))
    # the chair's z ∈ [0.05, 0.55] reaches 0.25 m into the dresser's z ∈ [−0.3, 0.3]
    assert col.value == pytest.approx(0.25, abs=1e-5)


@pytest.mark.parametrize("small_first", [True, False])
def test_small_things_inside_bigger_ones_and_rugs_are_tolerated(small_first):
    # a box whose bottom is 0.5 m up inside a 0.8 m dresser (a thing on a shelf)
    pieces = [
        ("box", OrientedBox((0, 0.6, 0), (0.3, 0.2, 0.3))),
        ("dresser", OrientedBox((0, 0.4, 0), (1.0, 0.8, 0.45))),
    ]
    s = Scene(room=Room.rectangle(4, 4))
    for label, box in pieces if small_first else pieces[::-1]:
        s.add_object(label, box)
    assert collisions(critique(s)) == []
    # the same box standing on the floor inside the dresser is a collision
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("box", OrientedBox((0, 0.1, 0), (0.3, 0.2, 0.3)))
    s.add_object("dresser", OrientedBox((0, 0.4, 0), (1.0, 0.8, 0.45)))
    assert collisions(critique(s))
    # a rug under a bed, in either order
    pieces = [
        ("rug", OrientedBox((0, 0.005, 0), (2.0, 0.01, 1.4))),
        ("bed", OrientedBox((0, 0.5, 0), (1.6, 1.0, 2.0))),
    ]
    s = Scene(room=Room.rectangle(4, 4))
    for label, box in pieces if small_first else pieces[::-1]:
        s.add_object(label, box)
    assert collisions(critique(s)) == []


def test_unknown_labels_are_front_less_floor_obstacles():
    s = Scene(room=Room.rectangle(4, 4))
    # a piano (not in the catalog) with a front, 0.1 m from the north wall and facing it
    s.add_object(
        "piano", OrientedBox((0, 0.6, -2 + 0.1 + 0.3), (1.5, 1.2, 0.6), yaw=np.pi), front=True
    )
    s.add_object("dresser", OrientedBox((0.75 + 0.5 - 0.03, 0.4, -1.5), (1.0, 0.8, 0.45)))
    issues = critique(s)
    assert [i.kind for i in issues] == ["collision"]  # no facing_wall for the piano
    assert issues[0].value == pytest.approx(0.03, abs=1e-5)


def test_without_a_room_the_floor_is_the_objects_bounding_rectangle():
    # no room: the floor is the rectangle around the objects, 5 cm larger all round,
    # so two dressers facing south face that estimated wall 0.05 m away
    s = Scene()
    s.add_object("dresser", OrientedBox((-0.6, 0.4, 0), (1.0, 0.8, 0.45)), front=True)
    s.add_object("dresser", OrientedBox((0.6, 0.4, 0), (1.0, 0.8, 0.45)), front=True)
    issues = critique(s)
    assert [i.kind for i in issues] == ["facing_wall", "facing_wall"]
    assert [i.value for i in issues] == [pytest.approx(0.05, abs=1e-4)] * 2
    assert "south wall" in issues[0].message
    with pytest.raises(InputError, match=r"^critique: the scene has neither a room nor objects"):
        critique(Scene())


# ---- door and window objects (as in scans), hanging pieces, labels ----------------------


def _door_scene(door_box, dresser_box):
    s = Scene(room=Room.rectangle(4, 4))  # no openings: the door is an object
    s.add_object("dresser", dresser_box)
    s.add_object("door", door_box)
    return s


@pytest.mark.parametrize(
    ("door", "dresser", "depth"),
    [
        # on the south wall (z = 2), 0.1 m thick: its clear zone runs north from z = 1.9;
        # the dresser's south edge is at z = 1.5
        (
            OrientedBox((0, 1.0, 1.95), (0.9, 2.0, 0.1)),
            OrientedBox((0, 0.4, 1.5 - 0.225), (1.0, 0.8, 0.45)),
            0.4,
        ),
        # on the east wall (x = 2), turned 90°: the zone runs west from x = 1.9
        (
            OrientedBox((1.95, 1.0, 0), (0.9, 2.0, 0.1), yaw=np.pi / 2),
            OrientedBox((1.9 - 0.3 - 0.225, 0.4, 0), (1.0, 0.8, 0.45), yaw=np.pi / 2),
            0.3,
        ),
        # the same door described thin along x instead of z
        (
            OrientedBox((1.95, 1.0, 0), (0.1, 2.0, 0.9)),
            OrientedBox((1.9 - 0.3 - 0.225, 0.4, 0), (1.0, 0.8, 0.45), yaw=np.pi / 2),
            0.3,
        ),
        # on the north wall (z = −2): the zone runs south from z = −1.9
        (
            OrientedBox((0.5, 1.0, -1.95), (0.9, 2.0, 0.1), yaw=np.pi),
            OrientedBox((0.5, 0.4, -1.9 + 0.6 + 0.225), (1.0, 0.8, 0.45)),
            0.6,
        ),
    ],
)
def test_door_objects_keep_a_clear_zone(door, dresser, depth):
    (issue,) = [i for i in critique(_door_scene(door, dresser)) if i.kind == "blocked_door"]
    assert issue.objects == (1, 2) and issue.value == pytest.approx(depth, abs=1e-4)
    assert issue.unit == "m clear" and issue.limit == 1.0
    assert f"stands {depth:.2f} m in front of the door 2" in issue.message
    # a shallower zone leaves the dresser clear
    shallow = critique(_door_scene(door, dresser), door_depth=depth - 0.01)
    assert [i for i in shallow if i.kind == "blocked_door"] == []


def test_door_zone_is_as_wide_as_the_door():
    door = OrientedBox((0, 1.0, 1.95), (0.9, 2.0, 0.1))  # x ∈ [−0.45, 0.45]
    beside = OrientedBox((0.45 + 0.5 + 0.01, 0.4, 1.5), (1.0, 0.8, 0.45))
    assert [i.kind for i in critique(_door_scene(door, beside))] == []
    inside = OrientedBox((0.45 + 0.5 - 0.01, 0.4, 1.5), (1.0, 0.8, 0.45))
    assert [i.kind for i in critique(_door_scene(door, inside))] == ["blocked_door"]


def test_window_objects_are_blocked_by_tall_pieces_within_0_3_m():
    def scene(shelf_z, height):
        s = Scene(room=Room.rectangle(4, 4))
        s.add_object("bookshelf", OrientedBox((0, height / 2, shelf_z), (0.8, height, 0.35)))
        s.add_object("window", OrientedBox((0, 1.5, -1.95), (1.2, 1.2, 0.1)))  # sill 0.9
        return s

    # the window's footprint reaches z = −1.9; its zone 0.3 m further, to z = −1.6
    # the shelf's north edge 2 cm inside that zone, then 2 cm short of it
    (w,) = [i for i in critique(scene(-1.62 + 0.175, 1.8)) if i.kind == "blocked_window"]
    assert w.objects == (1, 2) and w.value == pytest.approx(1.8 - 0.9, abs=1e-5)
    assert w.unit == "m" and w.limit == 0.0 and "rises 0.90 m above its sill" in w.message
    assert [i for i in critique(scene(-1.58 + 0.175, 1.8)) if i.kind == "blocked_window"] == []
    low = critique(scene(-1.62 + 0.175, 0.89))  # below the sill
    assert [i for i in low if i.kind == "blocked_window"] == []


def test_room_window_limit_is_the_tolerance():
    s = Scene(room=room())  # window on the north wall, x ∈ [−0.6, 0.6], sill 0.9
    s.add_object("bookshelf", OrientedBox((0, 0.5, -2 + 0.175), (0.8, 1.0, 0.35)))
    (w,) = [i for i in critique(s, tolerance=0.05) if i.kind == "blocked_window"]
    assert w.value == pytest.approx(0.1, abs=1e-5) and w.limit == 0.05
    assert "[tolerance 0.05 m]" in w.message
    assert [i for i in critique(s, tolerance=0.11) if i.kind == "blocked_window"] == []


def test_pieces_hanging_above_0_3_m_do_not_block_doors():
    s = Scene(room=room())  # door on the south wall, zone z ∈ [1, 2]
    s.add_object("wardrobe", OrientedBox((0, 0.35 + 1.0, 1.5), (1.0, 2.0, 0.45)))  # 0.35 up
    assert [i for i in critique(s) if i.kind == "blocked_door"] == []
    s = Scene(room=room())
    s.add_object("wardrobe", OrientedBox((0, 0.25 + 1.0, 1.5), (1.0, 2.0, 0.45)))  # 0.25 up
    assert [i.kind for i in critique(s)] == ["blocked_door"]


def test_facing_wall_needs_a_front_and_the_floor():
    def scene(front):
        s = Scene(room=Room.rectangle(4, 4))
        # a dresser whose front is 0.2 m from the north wall, facing it
        s.add_object("dresser", OrientedBox((0, 0.4, -2 + 0.2 + 0.225), (1.0, 0.8, 0.45),
                                            yaw=np.pi), front=front)  # fmt: skip
        return s

    (f,) = critique(scene(True))
    assert f.kind == "facing_wall" and f.value == pytest.approx(0.2, abs=1e-5)
    assert f.unit == "m" and f.limit == 0.3 and "north wall only 0.20 m away" in f.message
    assert critique(scene(True), wall_gap=0.19) == []
    assert critique(scene(False)) == []  # no front known: it faces nothing


def test_labels_match_catalog_and_scannet_names():
    from worldnb.layout import layout_from_scene

    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("Office_Chair", OrientedBox((0, 0.45, 0), (0.5, 0.9, 0.5)))
    s.add_object("closet", OrientedBox((1, 1.0, 0), (1.0, 2.0, 0.6)), front=True)
    s.add_object("door", OrientedBox((0, 1.0, 1.95), (0.9, 2.0, 0.1)))
    s.add_object("lamp shade", OrientedBox((-1, 1.0, 0), (0.3, 0.3, 0.3)))  # hangs
    lay, ids = layout_from_scene(s)
    cats = {n: lay.items[n].category for n in lay.items}
    assert cats == {
        "office_chair 1": "office chair",
        "closet 2": "wardrobe",
        "lamp shade 4": "lamp shade",
    }
    assert ids == {"office_chair 1": 1, "closet 2": 2, "lamp shade 4": 4}
    assert lay.items["closet 2"].entry.front and lay.items["closet 2"].entry.access
    assert not lay.items["office_chair 1"].entry.front  # no front given: none assumed
    assert lay.items["office_chair 1"].entry.access == {}
    assert lay.items["lamp shade 4"].placement == "on_top"
    assert lay.items["closet 2"].placement == "floor"
    p = lay.placements["closet 2"]
    assert (p.x, p.z, p.yaw, p.y) == (1.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("source", "scan"),
    [("VSI-Bench", True), ("my ScanNet export", True), ("worldnb.layout.plan", False)],
)
def test_scan_mode_follows_the_source(source, scan):
    found = collisions(critique(desk_and_wardrobe(0.03, meta={"source": source})))
    assert (found == []) == scan


@pytest.mark.parametrize("shift", [-0.6, 0.6])
def test_door_object_zone_starts_at_its_inner_face_all_along(shift):
    # the dresser overlaps only one end of the door's zone: its clear depth is still
    # measured from the door's inner face (z = 1.9), not from a slanted line
    door = OrientedBox((0, 1.0, 1.95), (0.9, 2.0, 0.1))
    dresser = OrientedBox((shift, 0.4, 1.5 - 0.225), (1.0, 0.8, 0.45))
    (issue,) = [i for i in critique(_door_scene(door, dresser)) if i.kind == "blocked_door"]
    assert issue.value == pytest.approx(0.4, abs=1e-4)


def test_door_object_thin_along_x_and_turned():
    # thin along its local x, turned 90°: the door spans x ∈ [−0.45, 0.45] on the south wall
    door = OrientedBox((0, 1.0, 1.95), (0.1, 2.0, 0.9), yaw=np.pi / 2)
    dresser = OrientedBox((0, 0.4, 1.5 - 0.225), (1.0, 0.8, 0.45))
    (issue,) = [i for i in critique(_door_scene(door, dresser)) if i.kind == "blocked_door"]
    assert issue.value == pytest.approx(0.4, abs=1e-4)


def test_door_object_near_the_room_centre_opens_into_the_room():
    # a 2 × 1.5 m room: the north-wall door's centre is only 0.7 m from the room's centre
    s = Scene(room=Room.rectangle(2, 1.5))
    s.add_object("dresser", OrientedBox((0, 0.4, -0.7 + 0.3 + 0.225), (1.0, 0.8, 0.45)))
    s.add_object("door", OrientedBox((0, 1.0, -0.7), (0.9, 2.0, 0.1)))
    (issue,) = [i for i in critique(s) if i.kind == "blocked_door"]
    assert issue.value == pytest.approx(0.3 - 0.05, abs=1e-4)  # from the inner face


def test_room_door_zone_is_at_least_as_deep_as_the_door_is_wide():
    # door 0.9 m wide on the south wall; door_depth 0.5 gives a 0.9 m deep zone
    s = Scene(room=room())
    s.add_object("dresser", OrientedBox((0, 0.4, 2 - 0.95 - 0.225), (1.0, 0.8, 0.45)))
    assert [i for i in critique(s, door_depth=0.5) if i.kind == "blocked_door"] == []
    s = Scene(room=room())
    s.add_object("dresser", OrientedBox((0, 0.4, 2 - 0.85 - 0.225), (1.0, 0.8, 0.45)))
    (issue,) = [i for i in critique(s, door_depth=0.5) if i.kind == "blocked_door"]
    assert issue.value == pytest.approx(0.85, abs=1e-4) and issue.limit == 0.5


def test_every_estimated_wall_counts():
    # four dressers in a plus, each facing out: the estimated floor's four walls are
    # each 0.05 m in front of one of them
    s = Scene()
    for x, z, yaw in [(0, 1.2, 0), (0, -1.2, np.pi), (1.2, 0, np.pi / 2), (-1.2, 0, -np.pi / 2)]:
        s.add_object("dresser", OrientedBox((x, 0.4, z), (1.9, 0.8, 0.45), yaw=yaw), front=True)
    issues = critique(s)
    assert sorted(i.objects for i in issues if i.kind == "facing_wall") == [(1,), (2,), (3,), (4,)]


def test_a_tolerated_pair_does_not_hide_the_next_collision():
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("chair", OrientedBox((0, 0.45, 0.3), (0.45, 0.9, 0.5)))  # under the desk
    s.add_object("desk", OrientedBox((0, 0.375, 0), (1.2, 0.75, 0.6)))
    s.add_object("dresser", OrientedBox((0, 0.4, 0.55 + 0.225 - 0.02), (1.0, 0.8, 0.45)))
    (col,) = collisions(critique(s))
    assert col.objects == (1, 3) and col.value == pytest.approx(0.02, abs=1e-5)


def test_collision_volume_in_litres_and_outside_message():
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("wardrobe", OrientedBox((0, 1.0, 0), (1.0, 2.0, 0.45)))
    s.add_object("wardrobe", OrientedBox((0, 1.0, 0), (1.0, 2.0, 0.45)))
    (col,) = collisions(critique(s))
    assert "900 litres" in col.message and col.value == pytest.approx(0.45, abs=1e-5)
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("dresser", OrientedBox((2 - 0.5 + 0.01, 0.4, 0), (1.0, 0.8, 0.45)))
    (out,) = critique(s)
    assert out.kind == "outside_room" and out.unit == "m" and out.objects == (1,)
    assert out.message == "the dresser 1 reaches 0.01 m outside the walls"


def test_walkway_starts_at_door_objects():
    # no door in the room: a door object on the south wall, and two wardrobes leaving
    # a 0.6 m passage to the bed
    s = Scene(room=Room.rectangle(4, 6))
    s.add_object("door", OrientedBox((0, 1.0, 2.95), (0.9, 2.0, 0.1)))
    s.add_object("wardrobe", OrientedBox((-1.15, 1.0, 0.0), (1.7, 2.0, 0.6)), front=True)
    s.add_object("wardrobe", OrientedBox((1.15, 1.0, 0.0), (1.7, 2.0, 0.6)), front=True)
    s.add_object("bed", OrientedBox((0, 0.5, -2.05), (1.4, 1.0, 1.9)), front=True)
    narrow = [i for i in critique(s) if i.kind == "narrow_walkway"]
    assert [i.objects for i in narrow] == [(4,)]
    assert narrow[0].value == pytest.approx(0.6, abs=0.1)
    assert narrow[0].unit == "m wide" and narrow[0].limit == 0.9
    assert "room estimated" not in narrow[0].message


# ---- survivors of the mutation runs (issue 20): every piece is checked, order, notes ----


def test_bad_input_names_the_type_given():
    with pytest.raises(InputError, match=r"^scene: expected a worldnb Scene, got str$"):
        critique("not a scene")
    with pytest.raises(InputError, match=r"^scene: expected a worldnb Scene, got NoneType$"):
        critique(None)


def test_a_piece_clear_of_the_door_does_not_end_the_door_check():
    s = Scene(room=room())  # door on the south wall: zone x ∈ [−0.45, 0.45], z ∈ [1, 2]
    s.add_object("dresser", OrientedBox((-1.4, 0.4, -1.0), (1.0, 0.8, 0.45)), front=True)
    s.add_object("wardrobe", OrientedBox((0, 1.0, 2 - 0.4 - 0.3), (1.2, 2.0, 0.6)), front=True)
    (issue,) = [i for i in critique(s) if i.kind == "blocked_door"]
    assert issue.objects == (2,) and issue.value == pytest.approx(0.4, abs=1e-4)


def test_a_piece_below_the_sill_does_not_end_the_window_check():
    # a low dresser first (top 0.8 m, under the 0.9 m sill), then a 1.8 m bookshelf 0.2 m
    # from the window's wall, inside its 0.35 m zone
    s = Scene(room=room())
    s.add_object("dresser", OrientedBox((-1.4, 0.4, 1.0), (1.0, 0.8, 0.45)), front=True)
    s.add_object("bookshelf", OrientedBox((0, 0.9, -2 + 0.2 + 0.175), (0.8, 1.8, 0.35)))
    (w,) = [i for i in critique(s) if i.kind == "blocked_window"]
    assert w.objects == (2,) and w.value == pytest.approx(1.8 - 0.9, abs=1e-5)


def test_a_piece_without_a_front_does_not_end_the_facing_wall_check():
    s = Scene(room=Room.rectangle(4, 4))
    s.add_object("box", OrientedBox((1.0, 0.3, 1.0), (0.5, 0.6, 0.5)))  # no front
    s.add_object(
        "dresser",
        OrientedBox((0, 0.4, -2 + 0.2 + 0.225), (1.0, 0.8, 0.45), yaw=np.pi),  # faces north
        front=True,
    )
    (f,) = [i for i in critique(s) if i.kind == "facing_wall"]
    assert f.objects == (2,) and f.value == pytest.approx(0.2, abs=1e-5)


def _two_walkways(room=True):
    """A 4 × 6 m room (door object on the south wall, z = 3): two 1.7 m wide plants
    across z = 0 leave a 0.6 m passage to a wardrobe behind them; a dresser stands
    in the open south half, against the east wall, facing west."""
    s = Scene(room=Room.rectangle(4, 6) if room else None)
    s.add_object("door", OrientedBox((0, 1.0, 2.95), (0.9, 2.0, 0.1)))
    s.add_object("plant", OrientedBox((-1.15, 1.0, 0.0), (1.7, 2.0, 0.6)))
    s.add_object("plant", OrientedBox((1.15, 1.0, 0.0), (1.7, 2.0, 0.6)))
    s.add_object("wardrobe", OrientedBox((0, 1.0, -2.7), (1.2, 2.0, 0.6)), front=True)
    s.add_object(
        "dresser", OrientedBox((2 - 0.225, 0.4, 1.5), (1.0, 0.8, 0.45), yaw=-np.pi / 2), front=True
    )
    return s


def _narrow(issues):
    return [i for i in issues if i.kind == "narrow_walkway"]


def test_narrow_walkways_come_narrowest_first():
    # at a 2.9 m walkway both paths are too narrow: the 0.6 m one to the wardrobe comes
    # before the dresser's open one (alphabetical order would put the dresser first)
    wardrobe, dresser = _narrow(critique(_two_walkways(), walkway=2.9))
    assert wardrobe.objects == (4,) and dresser.objects == (5,)
    assert wardrobe.value == pytest.approx(0.6, abs=0.1) and dresser.value > 1.5


def test_a_path_as_wide_as_the_walkway_is_not_narrow():
    # the passage is measured on the 5 cm grid in 0.1 m steps of width: a walkway of
    # exactly that width passes, one 5 cm wider does not
    (issue,) = _narrow(critique(_two_walkways()))
    w = issue.value
    assert w == round(w, 1) and 0.5 <= w <= 0.6
    assert _narrow(critique(_two_walkways(), walkway=w)) == []
    assert [i.objects for i in _narrow(critique(_two_walkways(), walkway=w + 0.05))] == [(4,)]


def test_narrow_walkway_messages_say_when_the_room_was_estimated():
    (with_room,) = _narrow(critique(_two_walkways()))
    w = with_room.value
    assert with_room.message == (
        f"the widest path from a door to the wardrobe 4 is only {w:.2f} m (needs 0.90 m)"
    )
    (estimated,) = _narrow(critique(_two_walkways(room=False)))
    assert estimated.message == (
        f"the widest path from a door to the wardrobe 4 is only {estimated.value:.2f} m "
        "(needs 0.90 m) — room estimated from the objects"
    )


def test_door_object_turned_45_degrees_keeps_its_zone_along_its_normal():
    # a door turned 45° near the room's south-east corner: its clear zone runs from its
    # inner face (0.05 m in) towards the room's centre along n = −(1, 1)/√2; a dresser
    # turned like it, whose near face is 0.4 m along n from that face, blocks it
    c, n = np.array([1.3, 1.3]), -np.array([1.0, 1.0]) / np.sqrt(2)
    s = Scene(room=Room.rectangle(4, 4))
    d = c + n * (0.05 + 0.4 + 0.225)
    s.add_object("dresser", OrientedBox((d[0], 0.4, d[1]), (1.0, 0.8, 0.45), yaw=np.pi / 4))
    s.add_object("door", OrientedBox((c[0], 1.0, c[1]), (0.9, 2.0, 0.1), yaw=np.pi / 4))
    (issue,) = [i for i in critique(s) if i.kind == "blocked_door"]
    assert issue.objects == (1, 2) and issue.value == pytest.approx(0.4, abs=1e-4)
