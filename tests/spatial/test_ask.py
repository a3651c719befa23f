"""Questions in English: the hand-written paraphrase set, honest failures, malformed
input, frames, units, and the structured ``find``."""

from __future__ import annotations

import numpy as np
import pytest
from _paraphrase import cases, check, heldout_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worldnb.errors import QueryError
from worldnb.scene import Camera, OrientedBox, Room, Scene
from worldnb.spatial import Answer, ask, find


def test_paraphrase_set(room_scene):
    cs = cases()
    assert len(cs) >= 200
    wrong, confident_wrong = [], []
    for c in cs:
        a = ask(room_scene, c["q"])
        ok, conf = check(c, a)
        if not ok:
            wrong.append((c["q"], a.value, a.text))
        if conf and c.get("status") in ("absent", "ambiguous"):
            confident_wrong.append(c["q"])
    assert len(wrong) <= 0.05 * len(cs), wrong
    assert confident_wrong == []


def test_heldout_paraphrase_set(room_scene):
    """The held-out set (never tuned against; see data/_make_heldout.py) guards the
    goal: at least 95 % right and no confidently wrong answer."""
    cs = heldout_cases()
    assert len(cs) == 150
    wrong, confident_wrong = [], []
    for c in cs:
        a = ask(room_scene, c["q"])
        ok, conf = check(c, a)
        if not ok:
            wrong.append((c["q"], a.value, a.text))
        if conf:
            confident_wrong.append((c["q"], a.value, a.text))
    assert len(wrong) <= 0.05 * len(cs), wrong
    assert confident_wrong == []


def test_answers_carry_evidence_and_highlights(room_scene):
    a = room_scene.ask("How far is the sofa from the table?")
    assert isinstance(a, Answer) and a.ok and a.unit == "m"
    assert sorted(a.highlight) == [7, 8] and a.evidence["measures"]["distance_m"] == pytest.approx(
        0.4
    )
    a = room_scene.ask("Is the bed to the left of the desk?")
    assert a.value is True and "north = −Z" in a.evidence["frame"]
    a = room_scene.ask("How far is the chair from the bed?")
    assert (
        a.status == "ambiguous"
        and "chair 5 at the desk" in a.text
        and set(a.highlight) == {5, 6, 12}
    )
    a = room_scene.ask("where is the piano?")
    assert a.value is None and a.text == "there is no piano in this scene"
    assert "<table" in a._repr_html_()


@pytest.mark.parametrize(
    "bad, match",
    [
        (None, "string"),
        (42, "string"),
        (b"how far", "string"),
        ("", "empty"),
        ("   \n", "empty"),
        ("x" * 10_000, "too long"),
        ("?!?", "no words"),
    ],
)
def test_malformed_questions_raise(room_scene, bad, match):
    with pytest.raises(QueryError, match=match):
        ask(room_scene, bad)


def test_bad_options_raise(room_scene):
    with pytest.raises(QueryError, match="unknown options"):
        ask(room_scene, "how many chairs?", colour="red")
    with pytest.raises(QueryError, match="frame"):
        ask(room_scene, "is the bed left of the desk?", frame="sideways")
    with pytest.raises(QueryError, match="Scene"):
        ask("not a scene", "how many chairs?")


@pytest.mark.parametrize("frame", [np.zeros(0), np.array([1.0, 2.0]), 3, ["room"]])
def test_a_frame_that_is_no_frame_is_a_query_error(room_scene, frame):
    # found by tests/robustness: a numpy array was "truth value ... is ambiguous"
    with pytest.raises(QueryError, match="frame"):
        ask(room_scene, "is the chair left of the desk?", frame=frame)


@pytest.mark.parametrize("near", ["x", None, -1.0, 0, float("nan"), float("inf"), True])
def test_bad_near_is_a_query_error(room_scene, near):
    # 'x' was a ValueError and None a TypeError from float()
    with pytest.raises(QueryError, match="near"):
        room_scene.ask("is the chair near the desk?", near=near)


WORDS = [
    "the",
    "a",
    "chair",
    "bed",
    "is",
    "how",
    "far",
    "left",
    "of",
    "what",
    "on",
    "near",
    "many",
    "piano",
    "?",
    "between",
    "and",
    "facing",
    "window",
    "2",
    "m",
    "feet",
    "second",
    "from",
    "where",
    "red",
    "which",
    "closest",
    "to",
    "standing",
    "by",
    "route",
    "in",
    "room",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
def test_ordinary_english_never_raises(room_scene, words):
    q = " ".join(words)
    if not any(w.isalnum() for w in words):
        return
    a = ask(room_scene, q)
    assert isinstance(a, Answer) and isinstance(a.text, str) and a.text
    assert a.status in ("ok", "absent", "ambiguous", "unsupported", "impossible")
    if a.status != "ok":
        assert a.value is None


def test_viewer_frame_is_the_default_with_a_camera():
    cam = Camera.look_at(eye=(0, 1.6, 5), target=(0, 0.5, 0), fov_y_deg=60, width=320, height=240)
    s = Scene(room=Room.rectangle(6, 6), cameras={"main": cam})
    s.add_object("bed", OrientedBox((-1.5, 0.3, 0), (1.6, 0.6, 2)))
    s.add_object("desk", OrientedBox((1.5, 0.4, 0), (1.2, 0.8, 0.6)))
    a = s.ask("is the bed to the left of the desk?")
    assert a.value is True and "viewer" in a.evidence["frame"]
    # seen from the north wall looking south, the bed is on the right
    back = Camera.look_at(eye=(0, 1.6, -5), target=(0, 0.5, 0), fov_y_deg=60, width=320, height=240)
    s.cameras["back"] = back
    assert s.ask("is the bed to the left of the desk?", frame="back").value is False
    assert s.ask("in the room's frame, is the bed left of the desk?", frame="back").value is True


def test_units_round_trip(room_scene):
    m = room_scene.ask("How far is the bed from the desk?").value
    assert room_scene.ask("How far is the bed from the desk in cm?").value == pytest.approx(m * 100)
    assert room_scene.ask("How far is the bed from the desk in feet?").value == pytest.approx(
        m / 0.3048, rel=1e-2
    )
    assert room_scene.ask("Is the bed longer than 6'6\"?").value is True  # 2.0 m > 1.98 m
    assert room_scene.ask("Is the bed longer than 7 ft?").value is False


def test_find(room_scene):
    s = room_scene
    desk = s.object(4)
    assert [o.id for o in s.find("chairs")] == [5, 6, 12]
    assert [o.id for o in s.find("chair", where={"color": "RED"})] == [6, 12]
    assert [o.id for o in s.find(near=desk, within=0.1)] == [5, 13, 14, 15]
    assert [o.id for o in find(s, on=desk)] == [14, 15]
    assert [o.id for o in find(s, "couch")] == [7]
    assert [o.id for o in find(s, where=lambda o: o.box.top > 1.5)] == [9, 11]
    with pytest.raises(QueryError, match="unknown relation"):
        find(s, "chair", under=desk)
    with pytest.raises(QueryError, match="pair"):
        find(s, between=desk)


def test_names_containing_small_words_are_not_split():
    # "nightstand" holds "and", "tennis" holds "is": neither may end a noun phrase
    s = Scene(room=Room.rectangle(6, 5))
    s.add_object("nightstand", OrientedBox((0, 0.3, 0), (0.5, 0.6, 0.4)))
    s.add_object("tennis table", OrientedBox((0, 0.4, -2), (1, 0.8, 1)))
    s.add_object("lamp", OrientedBox((1.5, 0.8, -1), (0.3, 1.6, 0.3)))
    for q in [
        "I stand next to the nightstand looking at the tennis table. Is the lamp to my "
        "left, my right, or behind me?",
        "Is the lamp to my left or right if I stand by the nightstand and face the tennis table?",
    ]:
        assert s.ask(q).value == "right"


def test_size_against_a_length_uses_the_longest_side():
    """ "bigger than 1 foot" compares a length: the longest side, never the volume in m³."""
    s = Scene(room=Room.rectangle(6, 5))
    s.add_object("lamp", OrientedBox((1.5, 0.8, 0), (0.3, 1.6, 0.3)))  # 0.144 m³, 1.6 m tall
    s.add_object("bed", OrientedBox((-1.5, 0.3, 0), (1.6, 0.6, 2.0)))
    a = s.ask("is the lamp larger than 1 foot?")
    assert a.value is True and "1.60 m" in a.text
    assert s.ask("is the bed bigger than 1.9 m?").value is True  # longest side 2.0 m
    assert s.ask("is the bed smaller than 1.95 m?").value is False
    assert s.ask("is the bed bigger than the lamp?").value is True  # object vs object: volume


def test_equal_distances_are_not_called_closer():
    s = Scene(room=Room.rectangle(6, 5))
    s.add_object("bed", OrientedBox((0, 0.3, 0), (1, 0.6, 1)))
    s.add_object("lamp", OrientedBox((2, 0.3, 0), (0.3, 0.6, 0.3)))
    s.add_object("desk", OrientedBox((-2, 0.3, 0), (0.3, 0.6, 0.3)))
    a = s.ask("is the lamp closer to the bed than the desk?")
    assert a.value is False and "equally far" in a.text


def test_nearest_other_of_a_single_object_is_absent_not_a_crash():
    s = Scene(room=Room.rectangle(6, 5))
    s.add_object("bed", OrientedBox((-1.5, 0.3, 0), (1.6, 0.6, 2.0)))
    s.add_object("lamp", OrientedBox((1.5, 0.8, 0), (0.3, 1.6, 0.3)))
    a = s.ask("how far is the lamp from the nearest lamp?")
    assert a.status == "absent" and a.value is None and "no other lamp" in a.text


@pytest.mark.parametrize(
    "q",
    [
        "is the north wall against a wall?",
        "what is near the north wall?",
        "is the north wall near the bed?",
        "is there a wall?",
        "is the bed between the north wall and the desk?",
        "which is the tallest wall?",
        "is the sofa closer to the north wall than the bed?",
        "what is next to the walls?",  # was "absent: there is no wall in this scene"
    ],
)
def test_a_wall_where_an_object_belongs_is_not_answered(room_scene, q):
    """Walls are not objects: these used to crash (IndexError, QueryError) or answer
    "Yes: 0 of the 0 walls ..."."""
    a = room_scene.ask(q)
    assert a.value is None and a.status == "unsupported"  # not "absent": rooms have walls


def test_a_wall_modifier_is_never_dropped():
    """'the chair by the north wall' used to fall back to any chair when none stood there."""
    s = Scene(room=Room.rectangle(6, 5))
    s.add_object("bed", OrientedBox((-1.5, 0.3, 0), (1.6, 0.6, 2.0)))
    s.add_object("chair", OrientedBox((1.0, 0.45, 0.5), (0.5, 0.9, 0.5)))  # 1.75 m from walls
    a = s.ask("how far is the chair by the north wall from the bed?")
    assert a.status == "absent" and a.value is None
    s.add_object("chair", OrientedBox((2.7, 0.45, -1.0), (0.5, 0.9, 0.5)))  # at the east wall
    a = s.ask("how far is the chair by the east wall from the bed?")
    assert a.ok and sorted(a.highlight) == [1, 3]
    assert s.ask("how far is the chair by the north wall from the bed?").status == "absent"


def test_ordinals_counted_from_a_wall(room_scene):
    """'the second chair from the north wall' used to raise IndexError. The hand room's
    chairs stand 0.75 m (chair 5), 2.55 m (chair 6) and 3.05 m (chair 12) from the north
    wall (z = −2.5), and 0.55, 0.2 and 1.35 m from their nearest wall."""
    a = room_scene.ask("how tall is the second chair from the north wall?")
    assert a.ok and 6 in a.highlight and 5 not in a.highlight
    a = room_scene.ask("how tall is the first chair from the wall?")
    assert a.ok and 6 in a.highlight
    a = room_scene.ask("how tall is the last chair from the north wall?")
    assert a.ok and 12 in a.highlight
