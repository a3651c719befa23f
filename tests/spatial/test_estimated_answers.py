"""Answers about an understood (estimated) scene say so, and carry the confidences."""

from __future__ import annotations

from worldnb import OrientedBox, Room, Scene


def _scene(estimated: bool) -> Scene:
    s = Scene(room=Room.rectangle(4, 3))
    extra = {"source": "image", "confidence": 0.8} if estimated else {}
    s.add_object("bed", OrientedBox((0, 0.3, 0), (1.6, 0.6, 2.0)), **extra)
    extra = {"source": "image", "confidence": 0.55} if estimated else {}
    s.add_object("chair", OrientedBox((1.5, 0.4, 1), (0.5, 0.8, 0.5)), **extra)
    return s


def test_an_estimated_distance_says_it_is_an_estimate_with_confidences():
    a = _scene(True).ask("how far is the bed from the chair?")
    assert a.ok and a.value == 0.45
    assert a.text == "The bed is 0.45 m from the chair (closest points; estimated from the image)."
    assert a.evidence["estimated"] is True
    assert a.evidence["confidence"] == {1: 0.8, 2: 0.55}


def test_counts_and_room_size_of_an_understood_scene_are_estimates_too():
    s = _scene(True)
    count = s.ask("how many chairs are there?")
    assert count.text == "There is 1 chair (estimated from the image)."
    s.meta["understand"] = {"room": "found"}
    room = s.ask("what is the size of the room?")
    assert room.text.endswith("(estimated from the image).") and room.evidence["estimated"]


def test_known_scenes_and_failed_questions_are_not_marked():
    a = _scene(False).ask("how far is the bed from the chair?")
    assert "estimated" not in a.text and "estimated" not in a.evidence
    missing = _scene(True).ask("how far is the piano from the chair?")
    assert not missing.ok and "estimated" not in missing.text
