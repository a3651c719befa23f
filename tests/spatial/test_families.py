"""The question families' registry, the lexicon the templates are built from, the
category hierarchy, benchmark prompts verbatim, and doors/windows as evidence."""

from __future__ import annotations

import re

import pytest
from _paraphrase import cases, check

from worldnb.scene import OrientedBox, Room, Scene
from worldnb.spatial import ask, opening_objects
from worldnb.spatial.language import FAMILIES, OPENING_ID_OFFSET
from worldnb.spatial.language.families import family
from worldnb.spatial.language.lexicon import RELATIONS
from worldnb.spatial.language.options import split_prompt


def test_every_family_has_a_documented_handler_examples_and_a_paraphrase_test(room_scene):
    assert len(FAMILIES) >= 25
    covered: dict[str, int] = {}
    for c in cases():
        a = ask(room_scene, c["q"])
        if check(c, a)[0] and a.ok:
            covered[a.evidence["family"]] = covered.get(a.evidence["family"], 0) + 1
    for name, fam in FAMILIES.items():
        assert callable(fam.handler) and fam.doc.strip(), name
        assert fam.templates and fam.examples, name
        for q in fam.examples:
            a = ask(room_scene, q)
            assert a.evidence.get("family") == name and a.status in ("ok", "ambiguous"), (q, a)
        assert covered.get(name, 0) >= 1, f"no paraphrase case answered by family {name!r}"


def test_registering_needs_a_docstring_and_examples():
    with pytest.raises(TypeError, match="docstring"):
        family("nodoc", (1, "x"), examples=["x"])(lambda ctx, m, t, u: None)

    def documented(ctx, m, text, unit):
        """Does nothing."""

    with pytest.raises(TypeError, match="example"):
        family("noex", (1, "x"), examples=[])(documented)
    with pytest.raises(ValueError, match="twice"):
        family("count", (1, "x"), examples=["x"])(documented)


@pytest.mark.parametrize("phrase", sorted(p for p, r in RELATIONS.items() if r != "between"))
def test_every_relation_phrase_of_the_lexicon_is_understood(room_scene, phrase):
    """Templates are built from the lexicon: each phrase works in a yes/no question."""
    a = ask(room_scene, f"Is the lamp {phrase} the nightstand?")
    assert a.evidence.get("family") == "rel_yn" and a.status == "ok", (phrase, a.text)


def _chairs_scene() -> Scene:
    s = Scene(room=Room.rectangle(6, 5))
    s.add_object("chair", OrientedBox((-2, 0.45, 0), (0.5, 0.9, 0.5)))
    s.add_object("chair", OrientedBox((-1, 0.45, 0), (0.5, 0.9, 0.5)))
    s.add_object("armchair", OrientedBox((1, 0.45, 1.5), (0.8, 0.9, 0.8)))
    s.add_object("office chair", OrientedBox((2, 0.5, -1.5), (0.6, 1.0, 0.6)))
    s.add_object("table", OrientedBox((-1.5, 0.4, 1.5), (1.2, 0.8, 0.8)))
    s.add_object("desk", OrientedBox((2, 0.4, -2.1), (1.2, 0.8, 0.6)))
    return s


def test_a_category_counts_its_kinds_and_says_so():
    s = _chairs_scene()
    a = ask(s, "How many chairs are there?")
    assert a.value == 4 and "2 chairs, 1 armchair and 1 office chair" in a.text
    assert a.evidence["counted"] == {"chair": 2, "armchair": 1, "office chair": 1}
    assert ask(s, "How many chair(s) are in this room?", exact_labels=True).value == 2
    assert ask(s, "How many armchairs are there?").value == 1
    assert ask(s, "How many tables are there?").value == 1  # a desk is a table only loosely
    assert ask(s, "How many tables of any kind are there?").value == 2
    # one object asked for by its own label is that object, not its kin
    assert ask(s, "How far is the armchair from the desk?").ok
    assert ask(s, "How tall is the office chair?").value == pytest.approx(1.0)
    with pytest.raises(Exception, match="exact_labels"):
        ask(s, "How many chairs?", exact_labels="yes")


VSI = {
    "count": "How many {a}(s) are in this room?",
    "size": "What is the length of the longest dimension (length, width, or height) of the {a}, "
    "measured in centimeters?",
    "distance": "Measuring from the closest point of each object, what is the direct distance "
    "between the {a} and the {b} (in meters)?",
    "room_size": "What is the size of this room (in square meters)? If multiple rooms are shown, "
    "estimate the size of the combined space.",
    "rel_dist": "Measuring from the closest point of each object, which of these objects ({a}, "
    "{b}, {c}, {d}) is the closest to the {x}?",
    "dir2": "If I am standing by the {a} and facing the {b}, is the {c} to the left or the right "
    "of the {b}?",
    "dir3": "If I am standing by the {a} and facing the {b}, is the {c} to my left, right, or "
    "back? An object is to my back if I would have to turn at least 135 degrees in order to "
    "face it directly.",
    "dir4": "If I am standing by the {a} and facing the {b}, is the {c} to my front-left, "
    "front-right, back-left, or back-right? The directions refer to the quadrants of a "
    "Cartesian plane (if I am standing at the origin and facing along the positive y-axis).",
}
WORD = "Please answer the question using a single word or phrase."
LETTER = "Answer with the option's letter from the given choices directly."


@pytest.mark.parametrize("tail", ["", f"\n{WORD}", f" {WORD}"])
def test_vsibench_numeric_templates_verbatim_give_numbers(room_scene, tail):
    q = VSI["count"].format(a="chair") + tail
    a = ask(room_scene, q)
    assert a.value == 3 and isinstance(a.value, int) and a.choice is None
    a = ask(room_scene, VSI["size"].format(a="bed") + tail)
    assert a.value == pytest.approx(200) and a.unit == "cm"
    a = ask(room_scene, VSI["distance"].format(a="sofa", b="table") + tail)
    assert a.value == pytest.approx(0.4) and a.unit == "m"
    a = ask(room_scene, VSI["room_size"] + tail)
    assert a.value == pytest.approx(30.0) and a.unit == "m²"


def test_vsibench_choice_templates_verbatim_with_and_without_options(room_scene):
    q = VSI["rel_dist"].format(a="sofa", b="bookshelf", c="desk", d="plant", x="table")
    assert ask(room_scene, q).value == "sofa"  # 0.40 m; bookshelf 1.63, desk 2.6, plant 2.75
    opts = "\nOptions:\nA. bookshelf\nB. sofa\nC. desk\nD. plant\n"
    a = ask(room_scene, q + opts + LETTER)
    assert (a.choice, a.value) == ("B", "sofa") and a.text.startswith("B. sofa — ")
    # standing by the sofa facing the bed (north-west of it), the desk is to the right
    q = VSI["dir2"].format(a="sofa", b="bed", c="desk")
    assert ask(room_scene, q).value == "right"
    a = ask(room_scene, q + "\nOptions:\nA. left\nB. right\n" + LETTER)
    assert (a.choice, a.value) == ("B", "right")
    q = VSI["dir3"].format(a="sofa", b="bed", c="desk")
    a = ask(room_scene, q + "\nOptions:\nA. left\nB. right\nC. back\n" + LETTER)
    assert (a.choice, a.value) == ("B", "right")
    q = VSI["dir4"].format(a="desk", b="bed", c="sofa")
    opts = "\nOptions:\nA. front-right\nB. back-left\nC. front-left\nD. back-right\n"
    a = ask(room_scene, q + opts + LETTER)
    assert (a.choice, a.value) == ("C", "front-left")


def test_route_plan_verbatim_with_options(room_scene):
    q = (
        "You are a robot beginning at the bed facing the sofa. You want to navigate to the plant. "
        "You will perform the following actions (Note: for each [please fill in], choose either "
        "'turn back,' 'turn left,' or 'turn right.'): 1. Go forward until the table 2. [please "
        "fill in] 3. Go forward until the plant. You have reached the final destination."
    )
    assert ask(room_scene, q).value == ["turn left"]
    a = ask(room_scene, q + "\nOptions:\nA. Turn Right\nB. Turn Left\nC. Turn Back\n" + LETTER)
    assert (a.choice, a.value) == ("B", "Turn Left") and a.text.startswith("B. Turn Left — ")


def test_no_option_fits_is_said_not_guessed(room_scene):
    q = VSI["dir2"].format(a="sofa", b="bed", c="desk") + "\nOptions:\nA. left\nB. back\n"
    a = ask(room_scene, q)
    assert a.value is None and a.choice is None and a.status == "ambiguous"
    assert "none of the options" in a.text


def test_split_prompt_keeps_questions_whole():
    p = split_prompt("Is there a bed? A. yes B. no")
    assert p.body == "Is there a bed?" and p.options == {"A": "yes", "B": "no"}
    p = split_prompt("Is chair A. near the bed?")  # not a list of options
    assert p.options is None and p.body == "Is chair A. near the bed?"
    p = split_prompt(f"How many chair(s) are in this room?\n{WORD}")
    assert p.answer_format == "word" and p.body == "How many chair(s) are in this room?"


def test_doors_and_windows_cited_are_highlighted_like_objects(room_scene):
    ops = opening_objects(room_scene)
    assert [o.label for o in ops] == ["door", "window", "window"]
    assert all(o.id >= OPENING_ID_OFFSET for o in ops)
    door = ops[0]
    a = ask(room_scene, "How far is the sofa from the door?")
    assert a.ok and door.id in a.highlight and 7 in a.highlight
    assert re.search(r"door in the south wall", a.text)
