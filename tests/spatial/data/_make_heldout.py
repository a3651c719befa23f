"""Writes paraphrases_heldout.jsonl: 150 phrasings the parser was never tuned on.

Written before the language layer was redesigned (issue 13) and never used while
developing it: the parser is developed against paraphrases.json only, and this file
measures how well that generalises. Every expected number below is computed from the
geometry of hand_room.json with the geometry core (``distance``, ``size``, frames,
predicates) or plain arithmetic on the boxes, never by asking the parser. Phrasings
cover every question family, typos, British and American spelling, VSI-Bench's own
wording, and units (feet, inches, cm, metres, square feet).

Run: ``python tests/spatial/data/_make_heldout.py`` (rewrites the file).
"""

# ruff: noqa: E501, E731, E741
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _paraphrase import hand_room  # noqa: E402

from worldnb.spatial import predicates as P  # noqa: E402
from worldnb.spatial.frames import EgoFrame, RoomFrame, turn_direction  # noqa: E402
from worldnb.spatial.measures import distance, free_floor_area, size  # noqa: E402

S = hand_room()
O = {o.id: o for o in S.objects}
ROOM = S.room
RF = RoomFrame(ROOM)
FT, IN = 0.3048, 0.0254
SQFT = FT**2
VSI_WORD = "Please answer the question using a single word or phrase."
VSI_LETTER = "Answer with the option's letter from the given choices directly."


def d(a: int, b: int) -> float:
    return distance(O[a], O[b])


def door_dist(a: int) -> float:
    """Floor distance from object a to the door's opening (wall_0, 0.9 m wide; the door
    reaches 2 m, so heights overlap for everything here)."""
    op = ROOM.openings[0]
    p0, p1 = ROOM.opening_endpoints(op)
    return float(O[a].box.footprint().distance(shapely.LineString([p0, p1])))


def ego(a, b, c, levels):
    return EgoFrame(O[a], O[b]).direction(O[c], levels)


def bearing(a, b, c):
    return EgoFrame(O[a], O[b]).bearing(O[c])


V = lambda g, q, v, tol=0.03, unit=None: {
    "group": g,
    "q": q,
    "value": v,
    "tol": tol,
    **({"unit": unit} if unit else {}),
}
ST = lambda g, q, status: {"group": g, "q": q, "status": status}
HAS = lambda g, q, s: {"group": g, "q": q, "contains": s}
SET = lambda g, q, names: {"group": g, "q": q, "set": sorted(names)}
r = lambda x, n=2: round(float(x), n)

sz = {i: size(o) for i, o in O.items()}
chairs = [o for o in S.objects if o.label == "chair"]

C: list[dict] = []
# ---- counting ------------------------------------------------------------------------------
n_left_of_table = sum(P.left_of(c, O[8], frame=RF) for c in chairs)
C += [
    V("count", "How many chair(s) are in this room?", 3),
    V("count", f"How many chair(s) are in this room? {VSI_WORD}", 3),
    V("count", "How many window(s) are in this room?", 2),
    V("count", "how many chiars are there?", 3),  # typo
    V("count", "How many windows does this room have?", 2),
    V("count", "How many grey sofas are there?", 1),
    V("count", "How many gray sofas are there?", 1),
    V("count", "What's the total number of chairs?", 3),
    V("count", "How many items are on the desk?", sum(P.on(o, O[4]) for o in S.objects)),
    V("count", "How many cupboards are there?", 0),
    V("count", "How many lamps are on the nightstand?", 1),
    V("count", "How many chairs are to the left of the table?", n_left_of_table),
    V("count", "How many doors are there in this room?", 1),
    V("count", "How many pot plants are there?", 1),
    V("count", "How many fridges are there?", 0),
]
# ---- existence -----------------------------------------------------------------------------
C += [
    V("exists", "Is there a television in the room?", False),
    V("exists", "Is there a wardrobe?", True),
    V("exists", "Is there a white bed?", True),
    V("exists", "Are there any armchairs?", False),
    V("exists", "Is there a rubbish bin?", True),
    V("exists", "Do we have a bookcase in here?", True),
    V("exists", "Is there a laptop on the desk?", True),
]
# ---- absolute distance -----------------------------------------------------------------------
C += [
    V(
        "abs_distance",
        "Measuring from the closest point of each object, what is the direct distance between the bed and the sofa (in meters)?",
        r(d(1, 7)),
    ),
    V(
        "abs_distance",
        f"Measuring from the closest point of each object, what is the direct distance between the desk and the table (in meters)?\n{VSI_WORD}",
        r(d(4, 8)),
    ),
    V("abs_distance", "How far is the desk from the bed in metres?", r(d(4, 1)), unit="m"),
    V(
        "abs_distance",
        "How far is the desk from the bed in centimetres?",
        r(d(4, 1) * 100, 1),
        unit="cm",
    ),
    V(
        "abs_distance",
        "What is the distance between the sofa and the table in inches?",
        r(d(7, 8) / IN),
        unit="in",
    ),
    V("abs_distance", "How many feet separate the desk and the bed?", r(d(4, 1) / FT), unit="ft"),
    V(
        "abs_distance",
        "How many centimeters is the cup from the laptop?",
        r(d(14, 15) * 100, 1),
        unit="cm",
    ),
    V("abs_distance", "How far is the plant from the sofa in ft?", r(d(10, 7) / FT), unit="ft"),
    V("abs_distance", "Distance between the wardrobe and the bookshelf?", r(d(11, 9), 3)),
    V("abs_distance", "how far away is the trash can from the desk", r(d(13, 4), 3)),
    V(
        "abs_distance",
        "How far apart are the bed and the nightstand, in cm?",
        r(d(1, 2) * 100, 1),
        unit="cm",
    ),
    V("abs_distance", "What is the gap between the sofa and the coffee table?", r(d(7, 8))),
    V("abs_distance", "How far is the sofa from the tabel?", r(d(7, 8))),  # typo
    V("abs_distance", "How far is the sofa from the door?", r(door_dist(7), 3), tol=0.08),
    V("abs_distance", "How far is the bed from the north wall in inches?", r(0.05 / IN), unit="in"),
    V("abs_distance", "How far is the desk from the east wall?", r(3 - (2.2 + 0.6), 3)),
    V("abs_distance", "What's the straight-line distance from the lamp to the plant?", r(d(3, 10))),
    V(
        "abs_distance",
        "How far is the black chair from the desk in centimetres?",
        r(d(5, 4) * 100, 1),
        unit="cm",
    ),
    V("abs_distance", "How far is the bed from the wardobe?", r(d(1, 11), 3)),  # typo
]
# ---- object size --------------------------------------------------------------------------
C += [
    V(
        "size",
        "What is the length of the longest dimension (length, width, or height) of the wardrobe, measured in centimeters?",
        r(sz[11].longest * 100, 1),
    ),
    V(
        "size",
        f"What is the length of the longest dimension (length, width, or height) of the desk, measured in centimeters? {VSI_WORD}",
        r(sz[4].longest * 100, 1),
    ),
    V("size", "How tall is the wardrobe in feet?", r(sz[11].height / FT), unit="ft"),
    V("size", "How tall is the lamp in inches?", r(sz[3].height / IN), unit="in"),
    V("size", "How wide is the sofa in centimetres?", r(sz[7].width * 100, 1), unit="cm"),
    V("size", "What is the height of the desk in cm?", r(sz[4].height * 100, 1), unit="cm"),
    V("size", "How long is the bed in metres?", r(sz[1].footprint_length), unit="m"),
    V("size", "How deep is the bookshelf?", r(sz[9].depth)),
    V("size", "How big is the plant in cm?", r(sz[10].longest * 100, 1), unit="cm"),
    V("size", "how tall is the bookshelf in metres", r(sz[9].height), unit="m"),
    V("size", "How tall is the wardobe?", r(sz[11].height)),  # typo
    V("size", "How high is the nightstand in centimeters?", r(sz[2].height * 100, 1), unit="cm"),
    V("size", "What's the width of the desk in feet?", r(sz[4].width / FT), unit="ft"),
]
# ---- room ----------------------------------------------------------------------------------
area = float(ROOM.area)
C += [
    V(
        "room_size",
        "What is the size of this room (in square meters)? If multiple rooms are shown, estimate the size of the combined space.",
        r(area),
    ),
    V(
        "room_size",
        f"What is the size of this room (in square meters)? If multiple rooms are shown, estimate the size of the combined space. {VSI_WORD}",
        r(area),
    ),
    V("room_size", "What is the floor area in square metres?", r(area)),
    V("room_size", "How many square feet is the room?", r(area / SQFT), unit="ft²"),
    V("room_size", "What's the room's area in sq ft?", r(area / SQFT), unit="ft²"),
    V("room_size", "How large is the floor in m2?", r(area)),
    V("room_size", "How big is this room in square feet?", r(area / SQFT), unit="ft²"),
    V("room_dims", "How wide is the room?", 5.0),
    V("room_dims", "How long is the room in feet?", r(6 / FT), unit="ft"),
    V("room_free", "How much empty floor area is left?", r(free_floor_area(S))),
    V("room_height", "What is the height of the ceiling in feet?", r(ROOM.height / FT), unit="ft"),
    V("room_height", "How high is the ceiling in cm?", r(ROOM.height * 100, 1), unit="cm"),
]


# ---- relative distance --------------------------------------------------------------------
def closest(x: int, opts: list[int], far=False) -> str:
    ds = {O[i].label: d(i, x) for i in opts}
    return (max if far else min)(ds, key=ds.get)


def opts_block(labels):
    return "Options:\n" + "\n".join(f"{'ABCD'[i]}. {lab}" for i, lab in enumerate(labels))


C += [
    V(
        "rel_distance",
        "Measuring from the closest point of each object, which of these objects (sofa, bed, desk, plant) is the closest to the table?",
        closest(8, [7, 1, 4, 10]),
    ),
    V(
        "rel_distance",
        f"Measuring from the closest point of each object, which of these objects (wardrobe, desk, plant, sofa) is the closest to the bookshelf?\n{opts_block(['wardrobe', 'desk', 'plant', 'sofa'])}\n{VSI_LETTER}",
        closest(9, [11, 4, 10, 7]),
    ),
    V(
        "rel_distance",
        "Which is nearer to the desk, the bed or the trash bin?",
        closest(4, [1, 13]),
    ),
    V(
        "rel_distance",
        "Which of these is furthest from the bed: the plant, the desk or the lamp?",
        closest(1, [10, 4, 3], far=True),
    ),
    V(
        "rel_distance",
        "Of the sofa, the wardrobe and the desk, which is closest to the bookshelf?",
        closest(9, [7, 11, 4]),
    ),
    V(
        "rel_distance",
        "Which is closest to the bed (wardrobe, desk, plant)?",
        closest(1, [11, 4, 10]),
    ),
    V(
        "rel_distance",
        "Which one is farther from the sofa: the desk or the nightstand?",
        closest(7, [4, 2], far=True),
    ),
    V("rel_distance", "Is the sofa closer to the table than the bed is?", d(7, 8) < d(1, 8)),
    V("rel_distance", "Is the plant farther from the bed than the desk?", d(10, 1) > d(4, 1)),
    V(
        "rel_distance",
        "Which is closer to the wardrobe: the bookshelf or the bed?",
        closest(11, [9, 1]),
    ),
]
# ---- relative direction ------------------------------------------------------------------
DIR_BACK = "An object is to my back if I would have to turn at least 135 degrees in order to face it directly."
QUAD = "The directions refer to the quadrants of a Cartesian plane (if I am standing at the origin and facing along the positive y-axis)."
for a, b, c in [(7, 1, 4), (4, 7, 1), (9, 10, 4)]:
    assert 15 < abs(bearing(a, b, c)) < 165, (a, b, c, bearing(a, b, c))
for a, b, c in [(1, 4, 7), (10, 9, 2)]:
    assert abs(abs(bearing(a, b, c)) - 135) > 10 and abs(bearing(a, b, c)) > 15
for a, b, c in [(11, 10, 4), (4, 11, 7)]:
    ang = abs(bearing(a, b, c))
    assert min(ang, abs(ang - 90), abs(ang - 180)) > 10, (a, b, c, ang)
C += [
    V(
        "rel_direction",
        "If I am standing by the sofa and facing the bed, is the desk to the left or the right of the bed?",
        ego(7, 1, 4, "left-right"),
    ),
    V(
        "rel_direction",
        f"If I am standing by the desk and facing the sofa, is the bed to the left or the right of the sofa?\nOptions:\nA. left\nB. right\n{VSI_LETTER}",
        ego(4, 7, 1, "left-right"),
    ),
    V(
        "rel_direction",
        f"If I am standing by the bed and facing the desk, is the sofa to my left, right, or back? {DIR_BACK}",
        ego(1, 4, 7, "left-right-back"),
    ),
    V(
        "rel_direction",
        f"If I am standing by the plant and facing the bookshelf, is the nightstand to my left, right, or back? {DIR_BACK}\nOptions:\nA. left\nB. right\nC. back\n{VSI_LETTER}",
        ego(10, 9, 2, "left-right-back"),
    ),
    V(
        "rel_direction",
        f"If I am standing by the wardrobe and facing the plant, is the desk to my front-left, front-right, back-left, or back-right? {QUAD}",
        ego(11, 10, 4, "quadrant"),
    ),
    V(
        "rel_direction",
        f"If I am standing by the desk and facing the wardrobe, is the sofa to my front-left, front-right, back-left, or back-right? {QUAD}\n{VSI_WORD}",
        ego(4, 11, 7, "quadrant"),
    ),
    V(
        "rel_direction",
        "Suppose I stand next to the desk, looking at the sofa. Is the bed on my left or right?",
        ego(4, 7, 1, "left-right"),
    ),
    V(
        "rel_direction",
        "Standing beside the bookshelf and facing the plant, would the desk be on my left or my right?",
        ego(9, 10, 4, "left-right"),
    ),
    V(
        "rel_direction",
        "I'm standing at the bed facing the desk; is the sofa behind me, to my left or to my right?",
        ego(1, 4, 7, "left-right-back"),
    ),
    V(
        "rel_direction",
        "If I stand by the sofa and face the bed, is the desk on my left or on my right?",
        ego(7, 1, 4, "left-right"),
    ),
]


# ---- route plan ----------------------------------------------------------------------------
def turns(start, face, legs):
    pos = {i: np.array([O[i].box.center[0], O[i].box.center[2]]) for i in (start, face, *legs)}
    h = pos[face] - pos[start]
    out, prev = [], start
    for i, t in enumerate(legs):
        leg = pos[t] - pos[prev]
        if i > 0:
            turn, ang = turn_direction(h, leg, straight_deg=0.0)
            assert 20 < abs(ang) < 165 and abs(abs(ang) - 135) > 10, ang
            out.append(f"turn {turn}")
        h, prev = leg, t
    return out


ROUTE_NOTE = (
    "(Note: for each [please fill in], choose either 'turn back,' 'turn left,' or 'turn right.')"
)
for start, face, w, g, opts in [
    (1, 4, 4, 10, ["Turn Left", "Turn Right", "Turn Back"]),
    (10, 7, 7, 11, ["Turn Back", "Turn Left", "Turn Right"]),
    (9, 8, 8, 4, ["Turn Right", "Turn Back", "Turn Left"]),
]:
    want = turns(start, face, [w, g])[0]
    letter = "ABC"[[o.lower() for o in opts].index(want)]
    q = (
        f"You are a robot beginning at the {O[start].label} facing the {O[face].label}. You want to navigate to the {O[g].label}. "
        f"You will perform the following actions {ROUTE_NOTE}: 1. Go forward until the {O[w].label} 2. [please fill in] "
        f"3. Go forward until the {O[g].label}. You have reached the final destination.\n"
        + "Options:\n"
        + "\n".join(f"{'ABC'[i]}. {o}" for i, o in enumerate(opts))
        + f"\n{VSI_LETTER}"
    )
    C.append({"group": "route_plan", "q": q, "value": opts["ABC".index(letter)], "choice": letter})
# ---- relations (room frame: the hand room has no camera; left = west = −x, front = south = +z)
C += [
    V(
        "relation",
        "Is the plant on the right-hand side of the bed?",
        P.right_of(O[10], O[1], frame=RF),
    ),
    V("relation", "Is the wardrobe west of the sofa?", P.left_of(O[11], O[7], frame=RF)),
    V("relation", "Is the cup sitting on the desk?", P.on(O[14], O[4])),
    V("relation", "Is the laptop on top of the table?", P.on(O[15], O[8])),
    V("relation", "Is the lamp resting on the night stand?", P.on(O[3], O[2])),
    V("relation", "Is the waste bin beside the desk?", P.next_to(O[13], O[4])),
    V("relation", "Is the table in front of the sofa?", P.in_front_of(O[8], O[7], frame=RF)),
    V("relation", "Is the nightstand underneath the lamp?", P.below(O[2], O[3])),
    V("relation", "Is the chair by the table near the sofa?", d(12, 7) <= 1.0),
    V("relation", "Is the bookshelf against a wall?", P.against_wall(O[9], ROOM)),
    V("relation", "Is the desk in a corner?", P.in_corner(O[4], ROOM)),
    V("relation", "Is the cup within 50 cm of the laptop?", d(14, 15) <= 0.5),
    V("relation", "Is the bed more than 3 feet from the desk?", d(1, 4) > 3 * FT),
    V("relation", "Is the sofa less than 1 metre from the table?", d(7, 8) < 1.0),
    V("relation", "Is the plant south of the desk?", P.in_front_of(O[10], O[4], frame=RF)),
    V("relation", "Is the bed behind the sofa?", P.behind(O[1], O[7], frame=RF)),
    V(
        "relation",
        "Is the sofa against the south wall?",
        P.against_wall(O[7], ROOM)
        and "south" in {ROOM.wall(w).compass for w in P.walls_near(O[7], ROOM)},
    ),
    V("relation", "Is the bedside table next to the bed?", P.next_to(O[2], O[1])),
]
# ---- what / which ---------------------------------------------------------------------------
C += [
    SET("what_rel", "What sits on the desk?", [o.name for o in S.objects if P.on(o, O[4])]),
    SET(
        "what_rel", "What's on top of the nightstand?", [o.name for o in S.objects if P.on(o, O[2])]
    ),
    SET(
        "what_rel",
        "What is underneath the lamp?",
        [o.name for o in S.objects if o.id != 3 and P.below(o, O[3])],
    ),
    HAS("nearest", "What is closest to the laptop?", "desk"),
    HAS(
        "nearest",
        "Which chair is nearest to the plant?",
        min(chairs, key=lambda c: distance(c, O[10])).name,
    ),
    HAS(
        "nearest",
        "Which chair is closest to the desk?",
        min(chairs, key=lambda c: distance(c, O[4])).name,
    ),
    HAS("nearest", "What is the nearest object to the nightstand?", "lamp"),
    HAS(
        "superlative",
        "Which is the largest object in the room?",
        max(S.objects, key=lambda o: float(np.prod(o.box.size))).name,
    ),
    HAS(
        "superlative",
        "What is the smallest thing in the room?",
        min(S.objects, key=lambda o: float(np.prod(o.box.size))).name,
    ),
    ST(
        "superlative", "What is the tallest object?", "ambiguous"
    ),  # wardrobe and bookshelf are both 2 m
    V("size_compare", "Is the closet taller than the desk?", sz[11].height > sz[4].height),
    V(
        "size_compare",
        "Is the lamp smaller than the cup?",
        float(np.prod(O[3].box.size)) < float(np.prod(O[14].box.size)),
    ),
    HAS(
        "size_compare",
        "Which is wider, the sofa or the bed?",
        "sofa" if sz[7].width > sz[1].width else "bed",
    ),
    V("size_compare", "Is the bed longer than 6 feet?", sz[1].footprint_length > 6 * FT),
    V("size_compare", "Is the desk more than 80 cm tall?", sz[4].height > 0.8),
    V(
        "size_compare",
        "Is the sofa bigger than the wardrobe?",
        float(np.prod(O[7].box.size)) > float(np.prod(O[11].box.size)),
    ),
]
# ---- walls, where, attributes ---------------------------------------------------------------
C += [
    V("wall", "Which wall is the desk against?", "north"),  # 0.1 m from z = −2.5, 0.2 m from x = 3
    V("wall", "Which wall is the wardrobe next to?", "west"),
    V("wall", "How far is the plant from the nearest wall in centimetres?", 10.0, unit="cm"),
    V("wall", "How far is the table from the south wall?", r(2.5 - 1.1)),
    V("where", "Where's the laptop?", [2.4, 0.76, -2.1]),
    V("where", "Where is the wardrobe located?", [-2.68, 1.0, 0.1]),
    V("where", "Where can I find the plant?", [2.7, 0.4, 2.2]),
    HAS("attribute", "What colour is the sofa?", "grey"),
    HAS("attribute", "What's the colour of the wardrobe?", "brown"),
    HAS("attribute", "What is the writing desk made of?", "oak"),
    HAS("attribute", "What material is the nightstand made from?", "pine"),
    ST("attribute", "What colour is the plant?", "unsupported"),
]
# ---- honest failures ------------------------------------------------------------------------
C += [
    ST("absent", "How far is the piano from the bed?", "absent"),
    ST("absent", "Where is the dog?", "absent"),
    ST("absent", "What is the distance between the bed and the fireplace?", "absent"),
    ST("absent", "Is the green chair near the table?", "absent"),
    ST("absent", "How tall is the purple sofa?", "absent"),
    ST("ambiguous", "How tall is the window?", "ambiguous"),
    ST("ambiguous", "Is the window to the left of the bed?", "ambiguous"),
    ST("ambiguous", "How far is the red chair from the desk?", "ambiguous"),
    ST("ambiguous", "What colour is the chair?", "ambiguous"),
    ST("unsupported", "What is the weather like?", "unsupported"),
    ST("unsupported", "Why is the bed white?", "unsupported"),
    ST("unsupported", "Can you tell me a joke?", "unsupported"),
    ST("unsupported", "How heavy is the bed?", "unsupported"),
    ST("unsupported", "How much does the sofa cost?", "unsupported"),
    ST("unsupported", "What time is it now?", "unsupported"),
]

if __name__ == "__main__":
    assert len(C) == 150, len(C)
    assert len({c["q"] for c in C}) == len(C), "duplicate question"
    old = {c["q"] for c in json.loads((HERE / "paraphrases.json").read_text())["cases"]}
    assert not old & {c["q"] for c in C}, old & {c["q"] for c in C}
    with open(HERE / "paraphrases_heldout.jsonl", "w") as f:
        for c in C:
            f.write(
                json.dumps(c, default=lambda x: bool(x) if isinstance(x, np.bool_) else float(x))
                + "\n"
            )
    print(len(C), "cases")
