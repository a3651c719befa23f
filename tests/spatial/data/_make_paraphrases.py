"""Writes paraphrases.json. Every expected answer below was worked out by hand from the
boxes in hand_room.json (see the comments), not by running the engine."""

# ruff: noqa: E731  (one-letter case builders keep the table readable)
import json
from pathlib import Path

V = lambda q, v, tol=0.02, unit=None: {
    "q": q,
    "value": v,
    "tol": tol,
    **({"unit": unit} if unit else {}),
}
ABS = lambda q: {"q": q, "status": "absent"}
AMB = lambda q: {"q": q, "status": "ambiguous"}
UNS = lambda q: {"q": q, "status": "unsupported"}
HAS = lambda q, s: {"q": q, "contains": s}
SET = lambda q, names: {"q": q, "set": sorted(names)}
FIRST = lambda q, name: {"q": q, "first": name}
OK = lambda q, family: {"q": q, "status": "ok", "family": family}
RANGE = lambda q, lo, hi: {"q": q, "range": [lo, hi]}

CASES = [
    # ---- count: chairs 5, 6, 12 (6 and 12 red, 5 black); 2 windows, 1 door; 15 objects
    V("How many chairs are there?", 3),
    V("how many chairs are in the room", 3),
    V("Count the chairs.", 3),
    V("number of chairs", 3),
    V("What is the number of chairs in this room?", 3),
    V("How many chairs do you see?", 3),
    V("how many red chairs are there?", 2),
    V("How many black chairs are there?", 1),
    V("How many windows are there?", 2),
    V("How many doors does the room have?", 1),
    V("how many beds", 1),
    V("How many objects are there in the room?", 15),
    V("How many things are on the desk?", 2),
    V("How many chairs are near the table?", 1),
    V("how many lamps are there", 1),
    V("How many couches are there?", 1),
    V("How many wardrobes are there?", 1),
    V("how many closets are in the room", 1),
    V("How many trash cans are in the room?", 1),
    V("How many pianos are there?", 0),
    V("how many TVs are in the room?", 0),
    V("How many bookcases are there?", 1),
    V("Count all the tables.", 1),
    V("How many pieces of furniture are there?", 15),
    V("how many cups are on the desk?", 1),
    V("How many sofas are in this room?", 1),
    ABS("How many flurbles are there?"),
    # ---- existence
    V("Is there a bed?", True),
    V("Is there a piano?", False),
    V("Are there any chairs?", True),
    V("Is there a sofa in the room?", True),
    V("Does the room have a fridge?", False),
    V("Are there any red chairs?", True),
    V("Is there a green chair?", False),
    V("Do you see a laptop?", True),
    # ---- absolute distance (closest points, m)
    V("How far is the sofa from the table?", 0.4),  # sofa z 1.5 - table z 1.1
    V("How far is the sofa from the table in cm?", 40, unit="cm"),
    V("How many feet is the bed from the sofa?", 6.40, unit="ft"),  # 1.95 m
    V("What's the distance between the bed and the desk in inches?", 102.36, unit="in"),  # 2.6
    V("How far apart are the desk and the bed?", 2.6),
    V("Distance from the lamp to the bed", 0.2),  # x -0.8 vs -1.0
    V("How close is the trash bin to the desk?", 0.05),
    V("How far is the laptop from the blue cup?", 0.175),
    V("How far away is the plant from the sofa?", 2.0),
    V("How many meters separate the bookshelf and the table?", 1.625),
    V("What is the gap between the nightstand and the bed?", 0.05),
    V("Tell me the distance between chair 5 and chair 6.", 1.3),
    V("How far is the black chair from the red chair by the window?", 1.3),
    V("How far is the door from the table?", 1.495, tol=0.03),  # dx .55, dz 1.39
    V("How far is the desk from the door in feet?", 17.46, tol=0.03, unit="ft"),  # 5.32 m
    V("How far is the bed from the north wall?", 0.05),
    V("How far is the table from the west wall?", 2.0),
    V("How far is the plant from the nearest wall?", 0.1),
    V("What is the distance between the sofa and the south wall?", 0.1),
    V("How far is the desk from the nearest window?", 0.175, tol=0.05),  # dz .09, dy .15
    V("what is the distance from the wardrobe to the bed", 0.05),
    V("How far is the chair at the desk from the desk?", 0.05),
    V("how far is the couch from the coffee table", 0.4),
    V("How far is the bed from the sofa, in metres?", 1.95),
    V("How far is chair 12 from the table?", 0.15),
    V("how far is the cup from the laptop in millimeters", 175, unit="mm"),
    # ---- object size (longest dimension in cm unless a dimension is named)
    V("How big is the bed?", 200, unit="cm"),
    V("What is the size of the sofa?", 200, unit="cm"),
    V("How tall is the wardrobe?", 2.0),
    V("How tall is the closet?", 2.0),
    V("What is the height of the lamp?", 0.4),
    V("How long is the bed?", 2.0),
    V("How wide is the desk?", 1.2),
    V("How deep is the desk?", 0.6),
    V(
        "What is the length of the longest dimension (length, width, or height) of the table, "
        "measured in centimeters?",
        100,
        unit="cm",
    ),
    V("How tall is the bookshelf in feet?", 6.56, unit="ft"),
    V("How big is the trash bin?", 40, unit="cm"),
    V("What are the dimensions of the nightstand?", 50, unit="cm"),
    V("How high is the desk?", 0.75),
    V("How tall is the plant in inches?", 31.5, unit="in"),
    V("What is the width of the sofa?", 2.0),
    V("How large is the couch?", 200, unit="cm"),
    V("size of the laptop", 35, unit="cm"),
    V("How long is the sofa in cm?", 200, unit="cm"),
    V("How tall is the table in cm?", 40, unit="cm"),
    V("How tall is the oak desk?", 0.75),
    V("How tall is the glass table?", 0.4),
    V("How big is the wooden bookshelf?", 200, unit="cm"),
    V("How big is the gray couch?", 200, unit="cm"),
    # ---- room size: 6 m x 5 m
    V("How big is the room?", 30),
    V("What is the floor area in square feet?", 322.92),
    V("How many square meters is the room?", 30),
    V("What's the size of this room?", 30),
    V("What is the room size in square meters?", 30),
    V("What is the area of the room?", 30),
    V("How much free floor space is there?", 21.6),  # 30 - 8.4 m² of floor-standing footprints
    V("How high is the ceiling?", 2.7),
    # ---- relative distance
    HAS(
        "Measuring from the closest point of each object, which of these objects (sofa, desk, "
        "wardrobe) is the closest to the bed?",
        "wardrobe",
    ),  # 1.95, 2.6, 0.05
    HAS("Which of these objects (plant, desk, bed) is the farthest from the door?", "desk"),
    HAS("Which is closer to the table, the sofa or the bed?", "sofa"),  # 0.4 vs 0.95
    V("Is the sofa closer to the table than the bed?", True),
    V("Is the desk closer to the door than the plant?", False),  # 5.32 vs 4.05
    HAS("Which is nearest to the desk: the trash bin, the bed or the sofa?", "trash bin"),
    HAS(
        "Which of the following is farthest from the plant: the bed, the table, or the sofa?", "bed"
    ),  # 4.27, 2.66, 2.0
    HAS("Which is closer to the lamp, the bed or the desk?", "bed"),
    HAS("Which of these objects (chair, sofa, bookshelf) is closest to the table?", "chair"),
    V("Is the wardrobe nearer to the bed than the sofa is?", True),
    # ---- relative direction (egocentric; back = turn of at least 135°)
    V(
        "If I am standing by the bed and facing the desk, is the sofa to my left, right, or back? "
        "An object is to my back if I would have to turn at least 135 degrees in order to face it.",
        "right",
    ),
    V("Standing by the sofa, facing the bed, is the desk on my left or my right?", "right"),
    V(
        "If I stand next to the sofa and look at the bed, is the bookshelf to my left or right?",
        "left",
    ),
    V(
        "I'm standing by the sofa facing the bed. Is the plant to my left, right or behind me?",
        "right",
    ),  # 115°
    V(
        "If I am standing by the table and facing the sofa, is the desk to my left, right, or "
        "back?",
        "back",
    ),  # 137°
    V("Standing at the table facing the sofa, where is the bed: left, right or back?", "back"),
    V("If I am standing by the desk facing the bed, is the plant to my left or right?", "left"),
    V(
        "When I stand beside the desk and face the bed, is the chair by the window to my left or "
        "right?",
        "left",
    ),
    V(
        "If I'm standing by the table and facing the sofa, is the bookshelf to the left, right, "
        "or back?",
        "right",
    ),
    V(
        "If I am standing by the bed and facing the desk, is the sofa to my front-left, "
        "front-right, back-left, or back-right?",
        "front-right",
    ),
    V(
        "Standing by the table facing the sofa, is the desk front-left, front-right, back-left "
        "or back-right?",
        "back-left",
    ),
    V("Is the sofa to my left or right if I stand by the bed facing the desk?", "right"),
    AMB("If I am standing by the chair and facing the bed, is the sofa to my left or right?"),
    ABS("If I am standing by the piano facing the bed, is the sofa to my left or right?"),
    # ---- route plans and routes
    HAS(
        "You are a robot beginning at the bed facing the sofa. You want to navigate to the "
        "plant. You will perform the following actions (Note: for each [please fill in], choose "
        "either 'turn back,' 'turn left,' or 'turn right.'): 1. Go forward until the table "
        "2. [please fill in] 3. Go forward until the plant. You have reached the final "
        "destination. A. Turn Left B. Turn Right C. Turn Back",
        "Turn Left",
    )
    | {"choice": "A"},
    HAS(
        "You are a robot beginning at the desk facing the bed. You want to navigate to the "
        "table. You will perform the following actions (Note: for each [please fill in], choose "
        "either 'turn back,' 'turn left,' or 'turn right.'): 1. Go forward until the nightstand "
        "2. [please fill in] 3. Go forward until the table. You have reached the final "
        "destination.",
        "turn left",
    ),
    OK("How do I get from the bed to the door?", "route"),
    OK("Give me directions from the desk to the sofa.", "route"),
    OK("What is the shortest path from the plant to the bookshelf?", "route"),
    OK("How do I walk to the door from the desk?", "route"),
    OK("Find a route from the sofa to the wardrobe.", "route"),
    RANGE("How far do I have to walk from the bed to the desk?", 2.6, 6.5),
    # ---- relations, yes/no (room frame: left = west, in front = south)
    V("Is the bed to the left of the desk?", True),
    V("Is the desk left of the bed?", False),
    V("Is the plant to the right of the sofa?", True),
    V("Is the wardrobe on the left of the bed?", True),
    V("Is the lamp right of the bed?", True),
    V("Is the table to the left of chair 6?", True),
    V("Is the sofa in front of the bed?", True),
    V("Is the desk in front of the sofa?", False),
    V("Is the bed behind the table?", True),
    V("Is the plant behind the desk?", False),
    V("Is the lamp on the nightstand?", True),
    V("Is the cup on top of the desk?", True),
    V("Is the laptop on the bed?", False),
    V("Is the cup on the table?", False),
    V("Is the lamp above the nightstand?", True),
    V("Is the cup above the desk?", True),
    V("Is the lamp above the bed?", False),
    V("Is the nightstand under the lamp?", True),
    V("Is the nightstand next to the bed?", True),
    V("Is the trash bin beside the desk?", True),
    V("Is the sofa next to the bed?", False),
    V("Is the table near the sofa?", True),
    V("Is the bed near the sofa?", False),
    V("Is the table near the bed?", True),  # 0.95 m
    V("Is the black chair near the desk?", True),
    V("Is the table between the sofa and the bed?", True),
    V("Is the desk between the bed and the sofa?", False),
    V("Is chair 12 facing the table?", True),
    V("Is the sofa facing the table?", True),
    V("Is the bed facing the desk?", False),
    V("Does the bed face the door?", True),
    V("Is the table facing the sofa?", False),  # a table has no front
    V("Is the bed against the wall?", True),
    V("Is the table against a wall?", False),
    V("Is the sofa against the wall?", True),
    V("Is the desk up against the wall?", True),
    V("Is the red chair by the window against a wall?", False),
    V("Is the desk in the corner?", True),
    V("Is the plant in a corner?", True),
    V("Is the bed in a corner?", False),
    V("Is the sofa in the corner of the room?", False),
    V("Is the lamp close to the bed?", True),
    V("In the room's frame, is the desk right of the bed?", True),
    V("From the sofa's point of view, is the table in front of the sofa?", True),
    V("From the bed's perspective, is the nightstand to the left of the bed?", True),
    V("Is chair 6 within 20 cm of the east window?", True),  # 0.19 m
    V("Is the table within 50 cm of the sofa?", True),
    V("Is the bed more than 2 m from the sofa?", False),
    V("Is the desk more than 5 meters from the door?", True),
    V("Is the lamp less than 30 cm from the bed?", True),
    V("Is the plant at least 1 m away from the sofa?", True),
    # ---- what / which + relation
    SET("What is on the desk?", ["cup 14", "laptop 15"]),
    SET("What's on the nightstand?", ["lamp 3"]),
    SET("What is under the lamp?", ["nightstand 2"]),
    SET("What is next to the desk?", ["chair 5", "trash bin 13"]),
    SET("What is next to the bed?", ["nightstand 2", "wardrobe 11", "lamp 3"]),
    SET("What is near the table?", ["chair 12", "sofa 7", "bed 1"]),
    SET("Which objects are on the desk?", ["cup 14", "laptop 15"]),
    SET("What sits on top of the nightstand?", ["lamp 3"]),
    SET("Which chairs are near the table?", ["chair 12"]),
    SET(
        "What is to the left of the table?",
        [
            "bed 1",
            "nightstand 2",
            "lamp 3",
            "bookshelf 9",
            "wardrobe 11",
            "chair 12",
            "the door in the south wall",
        ],
    ),
    FIRST("What is the sofa facing?", "table 8"),
    FIRST("What does chair 5 face?", "desk 4"),
    SET("What is above the desk?", ["cup 14", "laptop 15"]),
    SET("What is beside the nightstand?", ["bed 1"]),  # lamp sits on it; bed 0.05 m away
    # ---- nearest / farthest
    HAS("What is the closest object to the sofa?", "door"),  # 0.10 m
    HAS("Which object is nearest to the plant?", "chair 6"),  # 1.45 m
    HAS("What is the farthest object from the desk?", "door"),  # 5.32 m
    HAS("Which chair is closest to the table?", "chair 12"),
    HAS("Which chair is farthest from the door?", "chair 5"),
    HAS("What is closest to the cup?", "desk"),
    HAS("What is the nearest thing to the lamp?", "nightstand"),
    HAS("Which chair is nearest to the desk?", "chair 5"),
    # ---- where
    V("Where is the plant?", [2.7, 0.4, 2.2]),
    V("Where is the lamp?", [-0.7, 0.7, -2.2]),
    V("Where's the black chair?", [2.2, 0.45, -1.5]),
    V("Where is the second chair from the left?", [2.2, 0.45, -1.5]),
    V("Where is the first chair from the front?", [-1.4, 0.45, 0.8]),
    # ---- attributes and references
    HAS("What color is the sofa?", "grey"),
    HAS("What is the desk made of?", "oak"),
    HAS("What colour is the bed?", "white"),
    HAS("What material is the table?", "glass"),
    UNS("What color is the plant?"),
    HAS("What color is the wardrobe?", "brown"),
    HAS("What color is the cup?", "blue"),
    HAS("What is the nightstand made of?", "pine"),
    HAS("What colour is the lamp?", "yellow"),
    HAS("What color is the first chair from the left?", "red"),
    HAS("What color is the second chair from the left?", "black"),
    HAS("What color is the third chair from the left?", "red"),
    HAS("What colour is the last chair from the left?", "red"),
    HAS("What color is the first chair from the right?", "red"),
    HAS("What color is the leftmost chair?", "red"),
    HAS("What color is the chair closest to the door?", "red"),
    HAS("What color is the chair at the desk?", "black"),
    HAS("What color is the chair by the window?", "red"),
    HAS("What color is the chair nearest to the plant?", "red"),
    HAS("What is the colour of the chair on the right?", "red"),
    ABS("What colour is the fourth chair from the left?"),
    AMB("What color is the second chair?"),
    # ---- comparisons and superlatives
    HAS("Which is bigger, the bed or the sofa?", "bed"),
    V("Is the sofa bigger than the bed?", False),
    V("Is the wardrobe taller than the desk?", True),
    V("Is the lamp taller than the nightstand?", False),
    HAS("Which is taller, the lamp or the plant?", "plant"),
    V("Is the table longer than the desk?", False),
    V("Is the bed longer than 6 ft?", True),
    V("Is the desk wider than 1 m?", True),
    V("Is the sofa taller than 1 m?", False),
    HAS("Which is the biggest object?", "bed"),
    HAS("What is the smallest object?", "cup"),
    HAS("What is the largest object in the room?", "bed"),
    AMB("Which is the tallest object?"),
    AMB("Which is the longest object?"),
    AMB("What is the largest chair?"),
    # ---- absent things: never a guess
    ABS("Where is the piano?"),
    ABS("How far is the TV from the sofa?"),
    ABS("Is the guitar on the bed?"),
    ABS("What color is the piano?"),
    ABS("How big is the fridge?"),
    ABS("How tall is the microwave?"),
    ABS("Which of these objects (sofa, piano, desk) is closest to the bed?"),
    ABS("What is on the piano?"),
    ABS("How far is chair 7 from the bed?"),
    ABS("How far is the green chair from the bed?"),
    ABS("Where is the fifth chair from the left?"),
    ABS("How far is the bed from the television?"),
    ABS("Is the bathtub next to the desk?"),
    ABS("How tall is the blue sofa?"),
    ABS("What is next to the piano?"),
    ABS("Is the dog on the sofa?"),
    ABS("Where is the oven?"),
    # ---- ambiguous references: ask back, never pick one
    AMB("How far is the chair from the bed?"),
    AMB("What color is the chair?"),
    AMB("Where is the chair?"),
    AMB("How tall is the chair?"),
    AMB("Is the red chair near the table?"),
    AMB("How far is the window from the bed?"),
    AMB("What is on the chair?"),
    AMB("Which is taller, the chair or the table?"),
    AMB("Is the chair facing the desk?"),
    AMB("How big is the red chair?"),
    AMB("How far is the red chair from the sofa?"),
    AMB("Is the window above the desk?"),
    # ---- VSI-Bench templates verbatim (issue 13), with and without options and format lines
    V(
        "How many chair(s) are in this room?\n"
        "Please answer the question using a single word or phrase.",
        3,
    ),
    V("How many door(s) are in this room?", 1),
    V(
        "What is the length of the longest dimension (length, width, or height) of the bed, "
        "measured in centimeters?\nPlease answer the question using a single word or phrase.",
        200,
    ),
    V(
        "Measuring from the closest point of each object, what is the direct distance between "
        "the sofa and the table (in meters)?",
        0.4,
    ),
    V(
        "What is the size of this room (in square meters)? If multiple rooms are shown, "
        "estimate the size of the combined space.\nPlease answer the question using a single "
        "word or phrase.",
        30,
    ),
    V(
        "Measuring from the closest point of each object, which of these objects (chair, sofa, "
        "bookshelf, desk) is the closest to the table?\nOptions:\nA. chair\nB. sofa\n"
        "C. bookshelf\nD. desk\nAnswer with the option's letter from the given choices directly.",
        "chair",  # chair 12 0.15 m (x −1.15 vs −1.0), sofa 0.40 m
    )
    | {"choice": "A"},
    V(
        "If I am standing by the sofa and facing the bed, is the plant to the left or the right "
        "of the bed?\nOptions:\nA. left\nB. right\nAnswer with the option's letter from the "
        "given choices directly.",
        "right",  # facing north (−z), the plant (x 2.7) is east: right
    )
    | {"choice": "B"},
    V(
        "If I am standing by the sofa and facing the bed, is the desk to my left, right, or back? "
        "An object is to my back if I would have to turn at least 135 degrees in order to face "
        "it directly.",
        "right",
    ),
    V(
        "If I am standing by the desk and facing the bed, is the sofa to my front-left, "
        "front-right, back-left, or back-right? The directions refer to the quadrants of a "
        "Cartesian plane (if I am standing at the origin and facing along the positive y-axis).",
        "front-left",  # facing west from (2.2, −2.1); the sofa (−0.5, 1.95) is ahead and south
    ),
    # ---- size thresholds: desk 1.2 m wide, wardrobe 2.0 m tall, lamp 0.4 m tall
    V("Is the desk more than 1 m wide?", True),
    V("Is the wardrobe at least 6 feet tall?", True),
    V("Is the lamp under 50 cm tall?", True),
    V("Is the bed less than 1.5 m long?", False),
    # ---- the nearest wall: bed 0.05 m from the north wall, sofa 0.1 m from the south wall
    V("Which wall is the bed against?", "north"),
    V("Which wall is the sofa next to?", "south"),
    # ---- the room's sides: 6 m (x) by 5 m (z)
    V("How long is the room?", 6.0),
    V("What are the dimensions of the room?", [6.0, 5.0]),
    # ---- misspelt nouns are read as the one noun a letter away, and the answer says so
    V("How many chiars are there?", 3),
    V("How far is the sofa from the tabel?", 0.4),
    V("How tall is the bookshlef?", 2.0),
    ABS("How far is the sofa from the xylophone?"),
    # ---- not spatial questions this engine answers
    UNS("Why is the bed here?"),
    UNS("What time is it?"),
    UNS("Who sleeps in the bed?"),
    UNS("Should I move the sofa?"),
    UNS("Paint the bed red."),
    UNS("Tell me a joke."),
    UNS("From the camera's view, is the bed left of the desk?"),
]

if __name__ == "__main__":
    out = Path(__file__).with_name("paraphrases.json")
    out.write_text(json.dumps({"scene": "hand_room.json", "cases": CASES}, indent=1) + "\n")
    print(len(CASES), "cases")
