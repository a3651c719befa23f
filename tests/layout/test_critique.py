"""critique() finds planted problems, with their numbers, and runs on real scans."""

from __future__ import annotations

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
