"""Words the question parser knows: object nouns and their synonyms, plurals,
numbers, units, colours, materials and size words."""

from __future__ import annotations

import re

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
    "lamp": ("light", "floor lamp", "table lamp", "desk lamp"),
    "table": ("dining table", "coffee table", "side table", "end table"),
    "desk": ("writing desk", "office desk", "work desk"),
    "chair": ("seat", "stool", "dining chair", "office chair"),
    "armchair": ("arm chair", "easy chair", "lounge chair"),
    "bed": ("double bed", "single bed"),
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


def label_set(word: str, scene_labels=()) -> set[str]:
    """Every scene label a noun can name: itself, its synonyms' label, or the scene's
    kinds of it (``"table"`` → ``{"coffee table", "dining table"}`` in a scene without
    a plain table; ``"lamp"`` → ``{"floor lamp"}``). Falls back to the canonical label,
    which is then absent from the scene."""
    labels = set(scene_labels)
    w = " ".join(word.strip().lower().split())
    for form in (w, singular(w)):
        if form in labels:
            return {form}
    base = _ALIAS.get(w) or _ALIAS.get(singular(w)) or singular(w)
    if base in labels:
        return {base}
    kinds = {lab for lab in labels if _ALIAS.get(lab) == base or lab.split(" ")[-1] == base}
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
