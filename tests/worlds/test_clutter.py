"""Clutter: small labelled things resting on supports, seats and walls, overlapping
nothing but what they rest on."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

import worldnb
from worldnb.catalog import entry
from worldnb.worlds import ROOM_KINDS, sample_room
from worldnb.worlds.dataset import LABELS, room_cameras


def _rooms():
    return [sample_room(kind, seed=s, textures=False) for kind in ROOM_KINDS for s in (0, 1)]


@pytest.fixture(scope="module")
def rooms():
    return _rooms()


def test_clutter_is_labelled_from_the_catalog(rooms):
    kinds = set()
    for scene in rooms:
        items = [o for o in scene.objects if o.attrs.get("clutter")]
        assert scene.meta["clutter"] == len(items)
        for o in items:
            e = entry(o.attrs["category"])
            assert e.clutter or o.label == "rug"
            assert o.label == o.attrs["category"] or (o.label, e.name) == ("plant", "potted plant")
            assert o.attrs["material"] in e.materials
            assert o.attrs["name"] and o.attrs["on"]
            kinds.add(o.label)
    assert {"book", "cup", "cushion", "painting", "plant"} <= kinds


def test_clutter_rests_on_its_support_and_overlaps_nothing_else(rooms):
    for scene in rooms:
        by_name = {o.attrs.get("name"): o for o in scene.objects}
        walls = {w.id: w for w in scene.room.walls}
        for o in (o for o in scene.objects if o.attrs.get("clutter")):
            on = o.attrs["on"]
            fp = o.box.footprint()
            if on in walls:  # hung flat against the wall, facing into the room
                w = walls[on]
                corners = o.box.corners()[:, [0, 2]]
                d = w.distance_to(corners)
                assert d.min() == pytest.approx(1e-3, abs=2e-4), o.name
                assert np.allclose(o.box.front[[0, 2]], w.normal, atol=1e-5)
                for op in (op for op in scene.room.openings if op.wall == on):
                    a, b = scene.room.opening_endpoints(op)
                    seg = np.asarray([a, b])
                    assert fp.distance(shapely.LineString(seg)) > 0.1, o.name
            elif on == "floor":
                assert o.label == "rug" and o.box.bottom == pytest.approx(0, abs=1e-6)
            else:
                s = by_name[on]
                assert s.box.footprint().buffer(1e-5).contains(fp), o.name
                if o.label == "cushion":
                    assert s.box.bottom + 0.4 < o.box.bottom < s.box.top, o.name
                elif s.label == "shelf":
                    assert o.box.bottom == pytest.approx(s.box.bottom + 0.02, abs=1e-5)
                else:
                    assert o.box.bottom == pytest.approx(s.box.top, abs=1e-5), o.name
            if o.label == "rug":
                continue
            for other in scene.objects:
                if other is o or other.attrs.get("name") == on or other.label == "rug":
                    continue
                dy = min(o.box.top, other.box.top) - max(o.box.bottom, other.box.bottom)
                area = fp.intersection(other.box.footprint()).area
                assert not (dy > 1e-3 and area > 1e-4), (o.name, other.name)


def test_clutter_is_deterministic_and_can_be_turned_off():
    a = sample_room("bedroom", seed=3, textures=False)
    b = sample_room("bedroom", seed=3, textures=False)
    clutter_a = [o.to_dict() for o in a.objects if o.attrs.get("clutter")]
    assert clutter_a == [o.to_dict() for o in b.objects if o.attrs.get("clutter")]
    bare = sample_room("bedroom", seed=3, textures=False, clutter=False)
    assert not any(o.attrs.get("clutter") for o in bare.objects) and bare.meta["clutter"] == 0


def test_clutter_shows_in_the_instance_and_semantic_maps(rooms):
    seen = set()
    for scene in rooms[:6]:
        cams = room_cameras(scene, 3, 48, np.random.default_rng(0))
        out = worldnb.render(scene, cams)
        for o in (o for o in scene.objects if o.attrs.get("clutter")):
            hit = out.instance == o.id
            if hit.any():
                seen.add(o.label)
                assert np.all(np.asarray(out.labels)[out.semantic[hit]] == o.label)
    assert len(seen) >= 2
    # dataset labels: furniture keeps its indices, clutter comes after it
    furniture = [c for c in LABELS[1:] if not entry(c).clutter]
    assert LABELS[1 : 1 + len(furniture)] == furniture
    assert {"book", "cup", "cushion", "painting", "plant"} <= set(LABELS)
