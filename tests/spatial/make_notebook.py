"""Writes notebooks/03_spatial_questions.ipynb (without outputs): run it after editing."""

# ruff: noqa: E501  (the cells are notebook source, kept as the reader sees them)

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

CELLS = [
    (
        "md",
        """# Spatial questions: ask a scene, see the evidence

`scene.ask("…")` answers questions about space in English — counts, distances, sizes,
room size, relative distance and direction, relations (left of, on, near, facing, …)
and routes — by rule, with no language model. Every answer carries its value, one
sentence, the evidence (objects, numbers, the frame a direction was judged in) and
the objects to highlight. Absent or ambiguous references get a reason instead of a
guess. This notebook asks a real ScanNet room and a hand-built one.""",
    ),
    (
        "code",
        """import worldnb as wn
from worldnb import spatial
from worldnb.scene import OrientedBox, Opening, Room, Scene
from worldnb.widgets import AskPanel

def show(scene, questions):
    for q in questions:
        a = scene.ask(q)
        print(f"Q: {q}\\nA: {a.text}   [value={a.value!r}, status={a.status}]\\n")""",
    ),
    (
        "md",
        """## A real room: ScanNet `scene0353_00`

The 88 layouts of VSI-Bench's meta info load as scenes (z-up boxes turned into y-up,
yaw-only boxes; the floor area is the published one).""",
    ),
    (
        "code",
        """from pathlib import Path
from worldnb.scene.io import load_vsibench

# VSI-Bench's meta info is not shipped with worldnb: point this at your copy
VSIBENCH = Path("../../shared/data/vsibench-meta/scannet_meta_info_val.json")
[scannet] = load_vsibench(VSIBENCH, names=["scene0353_00"])
print(scannet, "—", ", ".join(f"{n} {lab}" for lab, n in sorted(scannet.meta["object_counts"].items())))""",
    ),
    (
        "code",
        """show(scannet, [
    "How many chairs are in this room?",
    "Measuring from the closest point of each object, what is the direct distance between the bed and the sofa (in meters)?",
    "What is the length of the longest dimension (length, width, or height) of the refrigerator, measured in centimeters?",
    "What is the size of this room (in square meters)?",
    "Which of these objects (sofa, closet, door) is the closest to the bed?",
    "If I am standing by the bed and facing the sofa, is the refrigerator to my left, right, or back?",
    "How far is the chair from the bed?",       # three chairs: it asks back
    "Where is the piano?",                       # absent: it says so
])""",
    ),
    ("md", "Each answer renders its evidence as a table:"),
    ("code", """scannet.ask("How far is the bookshelf from the door in feet?")"""),
    (
        "md",
        """## VSI-Bench's prompts, word for word

`ask` takes the benchmark's templates verbatim — `chair(s)`, the answer-format lines,
and an `Options:` block. With options, `Answer.choice` is the letter, `Answer.value`
the option's text, and the sentence starts with both; without, numbers come back as
numbers. VSI-Bench counts exact labels: `exact_labels=True`.""",
    ),
    (
        "code",
        """LETTER = "Answer with the option's letter from the given choices directly."
WORD = "Please answer the question using a single word or phrase."
prompts = [
    f"How many chair(s) are in this room?\\n{WORD}",
    f"What is the length of the longest dimension (length, width, or height) of the refrigerator, measured in centimeters?\\n{WORD}",
    "Measuring from the closest point of each object, which of these objects (sofa, closet, door, table) is the closest to the bed?\\n"
    f"Options:\\nA. sofa\\nB. closet\\nC. door\\nD. table\\n{LETTER}",
    "If I am standing by the bed and facing the sofa, is the refrigerator to my left, right, or back? "
    "An object is to my back if I would have to turn at least 135 degrees in order to face it directly.\\n"
    f"Options:\\nA. left\\nB. right\\nC. back\\n{LETTER}",
]
for q in prompts:
    a = scannet.ask(q, exact_labels=True)
    print(repr(a.value), "| choice:", a.choice, "|", a.text, "\\n")""",
    ),
    (
        "md",
        """## The VSI-Bench harness

`spatial.vsibench.questions(meta)` builds the benchmark's questions from its meta info
(its templates and generation rules, with multiple-choice options);
`evaluate(scenes, questions)` asks them and scores numbers by mean relative accuracy
and choices by accuracy, per task. Here on ten scenes with their ground-truth boxes;
`worldnb vsibench META.json` runs all 88 from a shell.""",
    ),
    (
        "code",
        """from worldnb.scene.io.vsibench import read_vsibench_meta
from worldnb.spatial import vsibench

meta = dict(list(read_vsibench_meta(VSIBENCH).items())[:10])
qs = vsibench.questions(meta, seed=0)
print(qs[0].question, "→", qs[0].answer, "\\n")
result = vsibench.evaluate(load_vsibench(VSIBENCH, names=list(meta)), qs)
print(result.table())""",
    ),
    (
        "md",
        """## A hand-built room

A 6 m × 5 m bedroom-study with a door and two windows. The room's frame names walls by
compass (north = −Z, east = +X); objects with a front face their local +Z.""",
    ),
    (
        "code",
        """import math
room = Room.rectangle(6, 5, openings=[Opening("door", "wall_0", 1.0, 0.9),
                                      Opening("window", "wall_2", 2.0, 1.2, 1.2, sill=0.9),
                                      Opening("window", "wall_1", 2.5, 1.0, 1.2, sill=0.9)])
home = Scene(room=room)
add = home.add_object
add("bed", OrientedBox((-1.8, 0.3, -1.45), (1.6, 0.6, 2.0)), front=True, color="white")
add("nightstand", OrientedBox((-0.7, 0.25, -2.2), (0.5, 0.5, 0.4)), front=True)
add("lamp", OrientedBox((-0.7, 0.7, -2.2), (0.2, 0.4, 0.2)), color="yellow")
add("desk", OrientedBox((2.2, 0.375, -2.1), (1.2, 0.75, 0.6)), front=True, material="oak")
add("chair", OrientedBox((2.2, 0.45, -1.5), (0.5, 0.9, 0.5), math.pi), front=True, color="black")
add("chair", OrientedBox((2.55, 0.45, 0.3), (0.5, 0.9, 0.5), -math.pi / 2), front=True, color="red")
add("sofa", OrientedBox((-0.5, 0.4, 1.95), (2.0, 0.8, 0.9), math.pi), front=True, color="grey")
add("table", OrientedBox((-0.5, 0.2, 0.8), (1.0, 0.4, 0.6)), material="glass")
add("bookshelf", OrientedBox((-2.8, 1.0, 1.0), (0.8, 2.0, 0.35), math.pi / 2), front=True)
add("plant", OrientedBox((2.7, 0.4, 2.2), (0.4, 0.8, 0.4)))
add("chair", OrientedBox((-1.4, 0.45, 0.8), (0.5, 0.9, 0.5), math.pi / 2), front=True, color="red")
add("cup", OrientedBox((2.0, 0.8, -2.1), (0.1, 0.1, 0.1)), color="blue")
home""",
    ),
    (
        "code",
        """show(home, [
    "What is on the desk?",
    "Is the sofa facing the table?",
    "Is the bed to the left of the desk?",                   # room frame: left = west
    "From the bed's perspective, is the nightstand to the left of the bed?",  # the bed's own frame
    "What color is the second chair from the left?",
    "How far is the chair by the window from the plant in cm?",
    "Is the bed longer than 6'6\\"?",
    "Which is closer to the table, the sofa or the bed?",
    "Which chair is closest to the door?",
    "Is the desk in a corner?",
    "How much free floor space is there?",
    "How do I get from the bed to the door?",
    "How far is the red chair from the sofa?",               # two red chairs: it asks back
])""",
    ),
    (
        "md",
        """A category covers its kinds — "chairs" counts armchairs too — and the answer says
what it counted; doors and windows an answer cites get ids (≥ 1000) to highlight like
objects. Misspelt nouns are read as the one noun they are a letter away from.""",
    ),
    (
        "code",
        """home.add_object("armchair", OrientedBox((1.2, 0.45, 1.6), (0.8, 0.9, 0.8)))
show(home, ["How many chairs are there?", "How far is the sofa from the door?", "How tall is the bookshlef?"])
print("exact labels:", home.ask("How many chairs are there?", exact_labels=True).value)
print("highlight:", home.ask("How far is the sofa from the door?").highlight)""",
    ),
    (
        "md",
        """## The structured API underneath

The same engine as plain functions: `find`, `distance`, `relation`, the scene graph,
routes and free space.""",
    ),
    (
        "code",
        """desk = home.find("desk")[0]
print([o.name for o in home.find("chairs", where={"color": "red"})])
print([o.name for o in home.find(on=desk)])
bed, sofa = home.find("bed")[0], home.find("couch")[0]
print("bed ↔ sofa:", round(spatial.distance(bed, sofa), 3), "m")
print("holds:", spatial.relation(home.find("lamp")[0], home.find("nightstand")[0])["holds"])
graph = spatial.relations(home)
print(len(graph.edges), "edges; the lamp:", [(e["predicate"], e["object"]) for e in graph.of(3)])
r = spatial.route(home, bed, desk)
print(f"route {r.length:.2f} m:", r.text)
print(len(spatial.free_space(home, (1.2, 0.6))), "spots for a 1.2 m × 0.6 m desk")""",
    ),
    (
        "md",
        """## Ask in the live view

`AskPanel(view)` under a `SceneView`: type a question and press Enter; the answer
appears with its evidence and the objects it speaks of light up.""",
    ),
    (
        "code",
        """import ipywidgets as W
view = home.show(width=560, height=340)
panel = AskPanel(view)
panel.ask("What is next to the desk?")
W.VBox([view, panel])""",
    ),
    ("md", "Malformed input is an error with a reason, not an answer:"),
    (
        "code",
        """from worldnb.errors import QueryError
for bad in ["", 42, "x" * 20_000]:
    try:
        home.ask(bad)
    except QueryError as exc:
        print("QueryError:", exc)""",
    ),
]


def main() -> None:
    nb = nbf.v4.new_notebook()
    nb.cells = [
        nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
        for kind, src in CELLS
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    out = Path(__file__).resolve().parents[2] / "notebooks" / "03_spatial_questions.ipynb"
    nbf.write(nb, out)


if __name__ == "__main__":
    main()
