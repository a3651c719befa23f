"""AskPanel, kernel side: typing a question and submitting shows the answer and lights
up the objects in the SceneView."""

from __future__ import annotations

import pytest

from worldnb.errors import InputError
from worldnb.widgets import AskPanel, SceneView


def test_panel_without_view_answers(room_scene):
    p = AskPanel(room_scene)
    p.question.value = "How many chairs are there?"
    p.button.click()
    assert p.answer.value == 3 and "There are 3 chairs" in p.output.value
    assert "<table" in p.output.value


def test_submit_highlights_in_the_view(room_scene):
    view = SceneView(room_scene, width=64, height=48, controls=False)
    p = AskPanel(view)
    p.ask("What is on the desk?")
    assert set(view.highlighted) == {4, 14, 15}
    p.ask("How far is the chair from the bed?")  # ambiguous: the candidates in orange
    assert p.answer.status == "ambiguous" and set(view.highlighted) == {5, 6, 12}
    assert set(view.highlighted.values()) == {"#ff8800"}
    p.ask("Where is the piano?")
    assert view.highlighted == {} and "no piano" in p.output.value
    p.ask("   ")
    assert p.answer is None and "empty" in p.output.value
    assert len(p.history) == 3


def test_panel_rejects_other_things():
    with pytest.raises(InputError, match="SceneView"):
        AskPanel("scene")


def test_typing_and_pressing_enter_asks(room_scene):
    view = SceneView(room_scene, width=64, height=48, controls=False)
    p = AskPanel(view)
    p.question.value = "What is on the nightstand?"  # the browser sends the value on Enter
    assert p.answer is not None and p.answer.value == ["lamp 3"]
    assert set(view.highlighted) == {2, 3} and "lamp" in p.output.value


def test_a_door_an_answer_cites_lights_up_like_an_object(room_scene):
    from worldnb.spatial import opening_objects

    door, *windows = opening_objects(room_scene)
    view = SceneView(room_scene, width=64, height=48, controls=False)
    assert view.highlightable_ids >= {door.id, *(w.id for w in windows)}
    p = AskPanel(view)
    p.ask("How far is the sofa from the door?")
    assert set(view.highlighted) == {7, door.id}
    panels = view._openings
    assert panels[door.id].visible and panels[door.id].material.color == "#ffcc00"
    assert not any(panels[w.id].visible for w in windows)
    p.ask("How many beds are there?")
    assert not panels[door.id].visible and set(view.highlighted) == {1}
    with pytest.raises(InputError, match="unknown object id"):
        view.highlight(door.id + 100)
