"""The furniture catalog: enough categories, sane ranges, sources, ScanNet check, and
its place below its users."""

from __future__ import annotations

import subprocess
import sys

import pytest

from worldnb import catalog
from worldnb.catalog import ROOM_KINDS
from worldnb.catalog.meshes import _BUILDERS
from worldnb.errors import InputError
from worldnb.scene import OrientedBox, Scene
from worldnb.scene.io import load_vsibench

REQUIRED = [
    "bed", "nightstand", "wardrobe", "dresser", "sofa", "armchair", "coffee table", "tv stand",
    "tv", "bookshelf", "dining table", "chair", "desk", "office chair", "floor lamp", "plant",
    "rug", "cabinet", "counter", "fridge", "stove", "sink", "shelf", "mirror",
]  # fmt: skip


def test_at_least_25_categories_including_the_issue_list():
    names = catalog.categories()
    assert len(names) >= 25
    assert set(REQUIRED) <= set(names)


@pytest.mark.parametrize("name", catalog.categories())
def test_entry_is_sane(name):
    e = catalog.entry(name)
    for lo, hi in (e.width, e.depth, e.height):
        assert 0 < lo <= hi < 3.0
    assert e.placement in ("floor", "wall", "on_top")
    assert e.sources and all(isinstance(s, str) and len(s) > 10 for s in e.sources)
    assert e.rooms and set(e.rooms) <= set(ROOM_KINDS)
    assert e.shape in _BUILDERS
    assert set(e.access) <= {"front", "back", "left", "right"}
    if e.placement == "wall":
        assert e.mount and 0 <= e.mount[0] <= e.mount[1]
    for rule in e.rules:
        assert "type" in rule and rule.get("weight", 1) > 0
        if "target" in rule:
            targets = rule["target"] if isinstance(rule["target"], list) else [rule["target"]]
            assert set(targets) <= set(catalog.categories())


def test_every_room_kind_has_furniture():
    for kind in ROOM_KINDS:
        assert len(catalog.rooms_for(kind)) >= 5


def test_lookup_and_errors(rng):
    assert catalog.entry("Office_Chair").name == "office chair"
    s = catalog.entry("bed").sample_size(rng)
    e = catalog.entry("bed")
    assert e.width[0] - 0.01 <= s[0] <= e.width[1] + 0.01
    with pytest.raises(InputError, match="did you mean"):
        catalog.entry("beds")
    with pytest.raises(InputError, match="name"):
        catalog.entry(3)


def test_compare_sizes_with_scannet_reports_matching_boxes(vsibench_meta):
    rows = {r["category"]: r for r in catalog.compare_sizes(load_vsibench(vsibench_meta))}
    assert {"bed", "sofa", "chair", "tv", "monitor"} <= set(rows)
    bed = rows["bed"]
    assert bed["n"] >= 20
    # real beds: about 2 m long and 1–2 m wide, as the catalog says
    assert 1.8 < bed["scannet"][0] < 2.6 and 0.9 < bed["scannet"][1] < 2.0
    assert all(len(r["ratio"]) == 3 for r in rows.values())


def test_compare_sizes_sorts_sides_and_matches_scannet_names():
    s = Scene()
    s.add_object("mattress", OrientedBox((0, 0.2, 0), (2.0, 0.4, 1.4), yaw=1.0))
    s.add_object("bed", OrientedBox((3, 0.3, 0), (1.2, 0.6, 2.2)))
    s.add_object("spaceship", OrientedBox((6, 1, 0), (1, 2, 1)))
    [bed] = catalog.compare_sizes([s])
    assert bed["category"] == "bed" and bed["n"] == 2
    assert bed["scannet"] == pytest.approx([2.1, 1.3, 0.5])  # medians of (long, short, h)
    e = catalog.entry("bed")
    assert bed["catalog"][2] == pytest.approx(sum(e.height) / 2, abs=1e-3)
    with pytest.raises(InputError, match="Scene"):
        catalog.compare_sizes(["not a scene"])
    assert catalog.compare_sizes(s) == catalog.compare_sizes([s])  # one scene is a list of one
    with pytest.raises(InputError, match="Scene"):
        catalog.compare_sizes(3)


def test_entries_is_a_copy_of_every_category():
    everything = catalog.entries()
    assert sorted(everything) == catalog.categories()
    everything.clear()
    assert catalog.entries()


def test_importing_the_catalog_or_layout_loads_no_worlds():
    code = (
        "import sys, worldnb.catalog, worldnb.layout; "
        "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('worldnb.')}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)
    assert "worlds" not in loaded and "widgets" not in loaded and "spatial" not in loaded
