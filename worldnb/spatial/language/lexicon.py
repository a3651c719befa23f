"""Every phrase table the question parser uses, in one place.

Object nouns, synonyms, kinds (the category hierarchy), plurals, relation phrases
(one table: yes/no questions, "what is <relation> X", counting "<x> on the desk" and
noun-phrase modifiers "the chair by the window" all read it), size, colour and
material words, units, ordinals, numbers, and the fixed lines of benchmark prompts.
Regular expressions are built from these tables (:func:`alternation`); nothing else
in :mod:`worldnb.spatial.language` keeps its own list of these words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases``, longest first, each escaped
    (``["on", "on top of"]`` → ``"on\\ top\\ of|on"``)."""
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


# canonical label → other names people use for it
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sofa": ("couch", "settee", "loveseat"),
    "tv": ("television", "tv set", "telly", "tv screen"),
    "refrigerator": ("fridge", "freezer"),
    "trash bin": (
        "trash can",
        "garbage can",
        "garbage bin",
        "waste bin",
        "wastebasket",
        "waste basket",
        "rubbish bin",
        "dustbin",
        "bin",
        "trashcan",
        "recycling bin",
    ),
    "nightstand": ("night stand", "bedside table", "night table", "bedside cabinet"),
    "bookshelf": ("bookcase", "book shelf", "bookshelves", "shelf", "shelving unit"),
    "monitor": ("computer monitor", "computer screen", "display", "screen"),
    "telephone": ("phone",),
    "plant": ("potted plant", "houseplant", "house plant", "flower pot", "pot plant"),
    "closet": ("wardrobe", "armoire"),
    "computer mouse": ("mouse",),
    "washing machine": ("washer",),
    "microwave": ("microwave oven",),
    "pillow": ("cushion",),
    "rug": ("carpet", "mat"),
    "cabinet": ("cupboard",),
    "dresser": ("chest of drawers", "chest"),
    "counter": ("countertop", "kitchen counter", "worktop"),
    "radiator": ("heater",),
    "lamp": ("light",),
    "table": (),
    "desk": ("writing desk", "office desk", "work desk"),
    "chair": ("seat",),
    "armchair": ("arm chair", "easy chair", "lounge chair"),
    "bed": (),
    "mattress": (),
    "door": ("doorway", "entrance"),
    "window": (),
    "mirror": (),
    "towel": (),
    "backpack": ("rucksack", "bag", "school bag"),
    "printer": (),
    "keyboard": (),
    "clock": (),
    "fan": (),
    "oven": ("stove", "cooker"),
    "guitar": (),
    "piano": (),
    "toilet": (),
    "sink": ("basin", "washbasin"),
    "bathtub": ("bath", "tub"),
    "shower": (),
    "painting": ("picture", "artwork", "poster"),
    "bench": (),
    "ottoman": ("footstool", "pouf"),
    "dishwasher": (),
    "vase": (),
    "cup": ("mug",),
    "bottle": (),
    "book": (),
    "laptop": ("notebook computer",),
    "box": ("crate",),
    "basket": (),
    "curtain": ("drape",),
    "sideboard": ("buffet",),
    "tv stand": ("tv cabinet", "media console", "tv unit"),
    "coat rack": ("coat stand",),
    "whiteboard": (),
    "fireplace": (),
    "stairs": ("staircase",),
    "kitchen island": ("island",),
}

#: The category hierarchy: a category → its kinds. "How many chairs?" counts every
#: kind of chair in the scene (and says so); a kind the scene lacks falls back to its
#: category ("the coffee table" names the only table). ``ask(..., exact_labels=True)``
#: turns this off, as benchmarks with fixed label sets (VSI-Bench) need.
KINDS: dict[str, tuple[str, ...]] = {
    "chair": (
        "armchair",
        "office chair",
        "dining chair",
        "desk chair",
        "folding chair",
        "stool",
        "rocking chair",
    ),
    "table": ("coffee table", "dining table", "side table", "end table", "kitchen table"),
    "lamp": ("floor lamp", "table lamp", "desk lamp"),
    "bed": ("double bed", "single bed", "bunk bed"),
    "sofa": ("sofa bed", "sectional"),
    "cabinet": ("kitchen cabinet", "file cabinet", "filing cabinet"),
}

#: Kinds a category covers only when asked loosely ("any kind of table", "tables of
#: any kind"): a desk is a table to some and not to others.
LOOSE_KINDS: dict[str, tuple[str, ...]] = {"table": ("desk", "nightstand")}

#: Phrases that ask a category loosely (see :data:`LOOSE_KINDS`).
LOOSELY = ("of any kind", "of any sort", "any kind of", "any sort of", "all kinds of", "kinds of")

#: Nouns for "any object".
GENERIC = {
    "object",
    "objects",
    "thing",
    "things",
    "item",
    "items",
    "furniture",
    "anything",
    "something",
    "stuff",
    "piece of furniture",
    "pieces of furniture",
}

_IRREGULAR_PLURALS = {
    "shelves": "shelf",
    "bookshelves": "bookshelf",
    "people": "person",
    "knives": "knife",
    "stairs": "stairs",
    "glasses": "glass",
    "mice": "mouse",
    "couches": "couch",
    "benches": "bench",
    "boxes": "box",
    "dresses": "dress",
    "buses": "bus",
}


def singular(word: str) -> str:
    """Singular of an English noun (last word of a phrase), by rule."""
    parts = word.split(" ")
    w = parts[-1]
    if w in _IRREGULAR_PLURALS:
        w = _IRREGULAR_PLURALS[w]
    elif len(w) > 3 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and re.search(r"(ch|sh|ss|x|z)es$", w):
        w = w[:-2]
    elif len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return " ".join([*parts[:-1], w])


def plural(word: str) -> str:
    parts = word.split(" ")
    w = parts[-1]
    if w == "shelf":
        w = "shelves"
    elif re.search(r"[^aeiou]y$", w):
        w = w[:-1] + "ies"
    elif re.search(r"(ch|sh|s|x|z)$", w):
        w = w + "es"
    else:
        w = w + "s"
    return " ".join([*parts[:-1], w])


# name → canonical label, built once
_ALIAS: dict[str, str] = {}
for _canon, _names in SYNONYMS.items():
    for _n in (_canon, *_names):
        _ALIAS.setdefault(_n, _canon)
#: kind → its category
PARENT: dict[str, str] = {k: cat for cat, kinds in KINDS.items() for k in kinds}
for _kind, _cat in PARENT.items():
    _ALIAS.setdefault(_kind, _cat)  # a kind the scene lacks names its category


def kinds_of(category: str, scene_labels, loose: bool = False) -> set[str]:
    """The scene's labels that are ``category`` or a kind of it (``"chair"`` →
    ``{"chair", "armchair"}``); with ``loose``, its loose kinds too (a desk is a table)."""
    extra = LOOSE_KINDS.get(category, ()) if loose else ()
    return {
        lab
        for lab in scene_labels
        if lab == category
        or PARENT.get(lab) == category
        or _ALIAS.get(lab) == category
        or lab.split(" ")[-1] == category
        or lab in extra
    }


def label_set(
    word: str,
    scene_labels=(),
    *,
    plural: bool = False,
    exact: bool = False,
    loose: bool = False,
) -> set[str]:
    """Every scene label a noun names.

    A label the scene has names itself (``"chair"`` → ``{"chair"}``), except that a
    plural category covers its kinds (``"chairs"`` → ``{"chair", "armchair"}``); a
    name the scene lacks names its synonym's label or the scene's kinds of it
    (``"lamp"`` → ``{"floor lamp"}``). ``exact`` keeps only the label itself (the
    benchmark's rule); ``loose`` adds loose kinds (a desk among tables). Falls back to
    the canonical label, which is then absent from the scene."""
    labels = set(scene_labels)
    w = " ".join(word.strip().lower().split())
    for form in (w, singular(w)):
        if form in labels:
            if exact or not (plural or loose) or form not in KINDS:
                return {form}
            return kinds_of(form, labels, loose)
    base = _ALIAS.get(w) or _ALIAS.get(singular(w)) or singular(w)
    if base in labels and (exact or not (plural or loose)):
        return {base}
    if exact:
        return {base}
    kinds = kinds_of(base, labels, loose)
    return kinds or {base}


def canonical_label(word: str, scene_labels=()) -> str:
    """The label a word names, preferring labels present in the scene.

    ``"couches"`` → ``"sofa"``; ``"coffee table"`` → ``"coffee table"`` if the scene
    has that label, else ``"table"``.
    """
    w = " ".join(word.strip().lower().split())
    labels = set(scene_labels)
    for form in (w, singular(w)):
        if form in labels:
            return form
    for form in (w, singular(w)):
        if form in _ALIAS:
            canon = _ALIAS[form]
            if not labels or canon in labels:
                return canon
            # the scene may use another name of the same group ("wardrobe" vs "closet")
            for lab in labels:
                if _ALIAS.get(lab) == canon:
                    return lab
            return canon
    return singular(w)


def noun_forms(scene_labels=()) -> dict[str, tuple[str, bool]]:
    """Every noun phrase the parser matches → (canonical label, is_plural)."""
    out: dict[str, tuple[str, bool]] = {}
    names = dict(_ALIAS)
    for cat in KINDS:
        names.setdefault(cat, cat)
    for lab in scene_labels:
        names.setdefault(lab, lab)
        # a scene label that is another label's synonym names itself in this scene
        names[lab] = lab
    for name in names:
        canon = canonical_label(name, scene_labels)
        out.setdefault(name, (canon, False))
        out.setdefault(plural(name), (canon, True))
        out.setdefault(name + "s", (canon, True))  # "shelfs", "benchs": wrong but clear
    if "bookshelves" in out:
        out["bookshelves"] = (canonical_label("bookshelf", scene_labels), True)
    return out


COLOURS = {
    "red",
    "green",
    "blue",
    "yellow",
    "white",
    "black",
    "grey",
    "gray",
    "brown",
    "orange",
    "purple",
    "pink",
    "beige",
    "cream",
    "silver",
    "gold",
    "golden",
    "navy",
    "teal",
    "tan",
}
MATERIALS = {
    "wood": "wood",
    "wooden": "wood",
    "oak": "oak",
    "pine": "pine",
    "walnut": "walnut",
    "metal": "metal",
    "metallic": "metal",
    "steel": "steel",
    "glass": "glass",
    "leather": "leather",
    "fabric": "fabric",
    "plastic": "plastic",
    "marble": "marble",
    "stone": "stone",
    "velvet": "velvet",
    "wicker": "wicker",
    "rattan": "rattan",
    "concrete": "concrete",
    "upholstered": "fabric",
    "cotton": "cotton",
    "wool": "wool",
}
GREY = {"gray": "grey"}

# size adjectives → (measure, +1 biggest / −1 smallest, superlative?)
SIZE_WORDS: dict[str, tuple[str, int, bool]] = {
    "big": ("volume", 1, False),
    "large": ("volume", 1, False),
    "huge": ("volume", 1, False),
    "bigger": ("volume", 1, False),
    "larger": ("volume", 1, False),
    "small": ("volume", -1, False),
    "little": ("volume", -1, False),
    "tiny": ("volume", -1, False),
    "smaller": ("volume", -1, False),
    "tall": ("height", 1, False),
    "high": ("height", 1, False),
    "taller": ("height", 1, False),
    "short": ("height", -1, False),
    "low": ("height", -1, False),
    "long": ("length", 1, False),
    "wide": ("length", 1, False),
    "biggest": ("volume", 1, True),
    "largest": ("volume", 1, True),
    "smallest": ("volume", -1, True),
    "tallest": ("height", 1, True),
    "highest": ("top", 1, True),
    "lowest": ("top", -1, True),
    "shortest": ("height", -1, True),
    "longest": ("length", 1, True),
    "widest": ("length", 1, True),
}

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
    "8th": 8,
    "9th": 9,
    "10th": 10,
    "last": -1,
}

NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "half": 0.5,
}

# unit word → (canonical unit, metres per unit)
UNITS: dict[str, tuple[str, float]] = {
    "m": ("m", 1.0),
    "meter": ("m", 1.0),
    "meters": ("m", 1.0),
    "metre": ("m", 1.0),
    "metres": ("m", 1.0),
    "cm": ("cm", 0.01),
    "centimeter": ("cm", 0.01),
    "centimeters": ("cm", 0.01),
    "centimetre": ("cm", 0.01),
    "centimetres": ("cm", 0.01),
    "mm": ("mm", 0.001),
    "millimeter": ("mm", 0.001),
    "millimeters": ("mm", 0.001),
    "millimetres": ("mm", 0.001),
    "ft": ("ft", 0.3048),
    "foot": ("ft", 0.3048),
    "feet": ("ft", 0.3048),
    "in": ("in", 0.0254),
    "inch": ("in", 0.0254),
    "inches": ("in", 0.0254),
    "yd": ("yd", 0.9144),
    "yard": ("yd", 0.9144),
    "yards": ("yd", 0.9144),
}
AREA_UNITS = {"m": ("m²", 1.0), "ft": ("ft²", 0.3048**2), "cm": ("cm²", 1e-4)}

#: size words a comparison or superlative measures, and how: ``"height"`` (box
#: height), ``"top"`` (height of the top), ``"length"`` (longer floor side),
#: ``"width"``, ``"depth"``, ``"longest"`` (longest side) or ``"volume"`` (m³).
SIZE_MEASURE: dict[str, str] = {
    **dict.fromkeys(("taller", "shorter", "tallest", "shortest", "tall", "in height"), "height"),
    **dict.fromkeys(("higher", "lower", "highest", "lowest", "high"), "top"),
    **dict.fromkeys(("longer", "longest", "long", "in length"), "length"),
    **dict.fromkeys(("wider", "narrower", "widest", "wide", "in width"), "width"),
    **dict.fromkeys(("deep", "deeper", "in depth"), "depth"),
    "in size": "longest",
    **dict.fromkeys(("bigger", "larger", "smaller", "biggest", "largest", "smallest"), "volume"),
}
#: comparatives and superlatives that prefer the smaller value
SMALLER = frozenset(
    {"smaller", "shorter", "narrower", "lower", "smallest", "shortest", "lowest", "narrowest"}
)
#: "how <adj> is X" and "the <noun> of X" → the measure :func:`size` reports
SIZE_QUESTION_WORDS: dict[str, str] = {
    **dict.fromkeys(("tall", "high", "height"), "height"),
    **dict.fromkeys(("wide", "width"), "width"),
    **dict.fromkeys(("long", "length"), "length"),
    **dict.fromkeys(("deep", "depth"), "depth"),
    "thick": "thickness",
}

# ---- relations ----------------------------------------------------------------------------
#: relation phrase → relation name, for every question and noun-phrase modifier
RELATIONS: dict[str, str] = {
    **dict.fromkeys(
        (
            "to the left of",
            "on the left of",
            "left of",
            "on the left-hand side of",
            "to the left-hand side of",
        ),
        "left_of",
    ),
    **dict.fromkeys(
        (
            "to the right of",
            "on the right of",
            "right of",
            "on the right-hand side of",
            "to the right-hand side of",
        ),
        "right_of",
    ),
    **dict.fromkeys(("in front of", "ahead of"), "in_front_of"),
    **dict.fromkeys(("behind", "in back of", "at the back of"), "behind"),
    **dict.fromkeys(
        ("on top of", "resting on", "sitting on", "standing on", "lying on", "placed on", "on"),
        "on",
    ),
    **dict.fromkeys(("above", "over"), "above"),
    **dict.fromkeys(("under", "underneath", "beneath", "below"), "below"),
    **dict.fromkeys(("next to", "beside", "adjacent to", "alongside"), "next_to"),
    **dict.fromkeys(("near to", "near", "close to", "by"), "near"),
    **dict.fromkeys(("facing", "pointed at", "turned towards", "turned toward"), "facing"),
    **dict.fromkeys(("inside of", "inside", "within", "in"), "inside"),
    "between": "between",
    **{
        f"{p}{d} of": f"{d}_of" for d in ("west", "east", "north", "south") for p in ("", "to the ")
    },
}
#: verbs that open a yes/no question about a relation ("is", "are", "does", ...)
BE_WORDS = ("is", "are", "was", "were", "does", "do", "can", "could", "would", "will", "should")
#: verbs that state a relation ("does the chair face the desk")
RELATION_VERBS: dict[str, str] = {
    "face": "facing",
    "faces": "facing",
    "touch": "touch",
    "stand on": "on",
    "sit on": "on",
    "rest on": "on",
}
#: relation name → the phrase answers use
RELATION_PHRASE: dict[str, str] = {
    "left_of": "to the left of",
    "right_of": "to the right of",
    "in_front_of": "in front of",
    "behind": "behind",
    "on": "on",
    "above": "above",
    "below": "below",
    "near": "near",
    "next_to": "next to",
    "west_of": "west of",
    "east_of": "east of",
    "north_of": "north of",
    "south_of": "south of",
    "facing": "facing",
    "inside": "inside",
    "between": "between",
    "touch": "touching",
    "nearest": "closest to",
    "farthest": "farthest from",
}
#: compass relations: the room-frame relation each one is
COMPASS_RELATIONS = {
    "west_of": "left_of",
    "east_of": "right_of",
    "north_of": "behind",
    "south_of": "in_front_of",
}
#: noun-phrase modifiers: every relation phrase but "between" (it needs two anchors),
#: plus phrases that only modify nouns. As a modifier, "near"/"next to"/"by" pick the
#: candidate clearly closest to the anchor ("the chair by the window").
NOUN_MODIFIERS: dict[str, str] = {
    **{p: r for p, r in RELATIONS.items() if r != "between"},
    "at": "near",
    **dict.fromkeys(("closest to", "nearest to", "nearest", "closest"), "nearest"),
    **dict.fromkeys(("farthest from", "furthest from"), "farthest"),
    "with": "with",
}
#: superlatives of distance
NEAREST_WORDS = ("closest", "nearest", "closer", "nearer")
FARTHEST_WORDS = ("farthest", "furthest", "farther", "further")

#: "standing by A facing B": where one stands, and how one faces
STAND_WORDS = ("standing", "stand", "i am", "positioned", "located", "i was", "i'm")
STAND_PREPS = ("by", "at", "next to", "beside", "near", "in front of")
FACE_WORDS = (
    "facing",
    "face",
    "looking at",
    "look at",
    "looking toward",
    "looking towards",
    "turned toward",
    "turned towards",
    "toward",
)

# ---- benchmark prompts (VSI-Bench) ------------------------------------------------------------
#: answer-format lines a benchmark appends; they say how to answer, not what
ANSWER_FORMAT_LINES = {
    "please answer the question using a single word or phrase.": "word",
    "answer with the option's letter from the given choices directly.": "letter",
    "answer with the option letter from the given choices directly.": "letter",
    "please answer with the option's letter from the given choices directly.": "letter",
}
#: sentences of benchmark questions that add nothing the geometry needs
PROMPT_ASIDES = (
    "if multiple rooms are shown, estimate the size of the combined space.",
    "these are frames of a video.",
)

# ---- frames, politeness, off-topic openings, walls -----------------------------------------
#: nouns for the viewer ("from the camera's view") and for a point of view
VIEWER_NOUNS = ("camera", "viewer", "photo", "picture", "image")
VIEW_NOUNS = ("view", "perspective", "point of view", "viewpoint", "frame")
#: words before and after a question that ask nothing ("please", "can you tell me")
POLITE_OPENINGS = (
    "please",
    "hey",
    "ok",
    "so",
    "and",
    "now",
    "also",
    "tell me",
    "can you tell me",
    "could you tell me",
    "do you know",
    "i want to know",
    "i wonder",
    "i would like to know",
)
POLITE_ENDINGS = ("please", "thanks", "thank you")
#: how questions this engine does not answer begin ("why ...", "should I ...")
OFF_TOPIC_OPENINGS = (
    "why",
    "who",
    "when",
    "what time",
    "should",
    "would you",
    "can you",
    "do you like",
    "how do you",
)
#: labels one sits "at" rather than "by" when an object is described ("chair 5 at the desk")
AT_LABELS = frozenset(
    {"desk", "table", "counter", "dining table", "coffee table", "kitchen island"}
)
#: ways of standing against a wall ("is the bed up against the wall?")
WALL_CONTACT = (
    "against",
    "up against",
    "touching",
    "flush with",
    "pushed against",
    "along",
    "next to",
    "by",
)
COMPASS = ("north", "south", "east", "west")

# ---- noun-phrase words --------------------------------------------------------------------
DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "any",
        "this",
        "that",
        "these",
        "those",
        "my",
        "each",
        "every",
        "all",
        "some",
        "of",
        "one",
    }
)
#: words inside a noun phrase that change nothing ("the other chair", "the only bed")
FILLER_WORDS = frozenset({"other", "same", "only", "single", "piece", "pieces", "kind"})
#: side words before a noun ("the leftmost chair") → which side
SIDE_WORDS = {
    "leftmost": "left",
    "left": "left",
    "rightmost": "right",
    "right": "right",
    "frontmost": "front",
}
#: words before a noun that pick by distance ("the nearest window [to the bed]")
PICK_NEAREST = ("nearest", "closest")
PICK_FARTHEST = ("farthest", "furthest")
#: trailing words of a noun phrase that add nothing ("the chairs in the room", "... here")
NP_TAILS = (
    "in this room",
    "in the room",
    "in this scene",
    "in the scene",
    "here",
    "there",
    "in here",
    "in the picture",
    "that we see",
    "that you see",
    "that i see",
    "we see",
    "you see",
    "i see",
    "that we can see",
    "that you can see",
    "that i can see",
    "we can see",
    "you can see",
    "i can see",
    "visible",
)
#: everyday words of questions: never "corrected" into an object noun
COMMON_WORDS = frozenset(
    """how many much what which where who why when is are was were be do does did can could
    would will should there here room rooms scene wall walls floor floors ceiling corner corners
    far close distance size area long wide tall high big large small left right front back
    behind side me my i you we it its they them their from to and or than then with without
    into onto near next between about around away apart total number count tell give show
    find please thanks answer question option options letter choice word phrase measured
    measuring closest point each object objects direct straight line length width height
    depth longest dimension centimeters meters metres feet inches square standing facing
    turn forward until robot beginning navigate perform following actions fill reached
    final destination note either quadrants cartesian plane origin positive axis degrees
    order face directly would have least estimate multiple shown combined space rooms video
    frames""".split()
)


def known_words() -> set[str]:
    """Every word the lexicon holds (spelling correction leaves these alone)."""
    words: set[str] = set(COMMON_WORDS | DETERMINERS | FILLER_WORDS)
    tables = (
        list(SYNONYMS) + [n for v in SYNONYMS.values() for n in v] + list(PARENT) + list(KINDS),
        GENERIC,
        COLOURS,
        MATERIALS,
        SIZE_WORDS,
        ORDINALS,
        NUMBERS,
        UNITS,
        RELATIONS,
        NOUN_MODIFIERS,
        SIZE_MEASURE,
        RELATION_VERBS,
    )
    for table in tables:
        for phrase in table:
            words.update(phrase.split())
    return words
