"""Navigation: the walkable grid keeps a body clear of furniture and walls, routes go
around obstacles, free_space finds spots that really are free."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from worldnb.errors import QueryError
from worldnb.scene import OrientedBox, Room, Scene
from worldnb.spatial import free_space, route, walkable_grid


def test_walkable_cells_keep_half_a_body_from_everything(room_scene):
    g = walkable_grid(room_scene, body_width=0.5, cell=0.1)
    rows, cols = np.nonzero(g.mask)
    pts = shapely.points(g.to_xz(np.stack([rows, cols], 1)))
    low = [o.box.footprint() for o in room_scene.objects if o.box.bottom < 1.2]
    assert np.all(shapely.distance(shapely.union_all(low), pts) >= 0.25 - 1e-6)
    assert np.all(shapely.distance(room_scene.room.polygon.exterior, pts) >= 0.25 - 1e-6)
    wider = walkable_grid(room_scene, body_width=0.8, cell=0.1)
    assert wider.walkable_area < g.walkable_area < room_scene.room.area


def test_route_goes_around_the_furniture(room_scene):
    o = {x.id: x for x in room_scene.objects}
    r = route(room_scene, o[1], o[4])  # bed → desk
    assert r.length >= 2.6 - 1e-6  # never shorter than the gap between them
    assert r.steps[0].startswith("go forward") and r.steps[-1] == "you have arrived"
    low = shapely.union_all([x.box.footprint() for x in room_scene.objects])
    assert not shapely.LineString(r.points).intersects(low)
    r2 = route(room_scene, o[1], o[4], facing=o[7])  # start facing the sofa (south)
    assert any(s.startswith("turn") for s in r2.steps)


def test_route_reports_a_blocked_room():
    s = Scene(room=Room.rectangle(6, 4))
    a = s.add_object("bed", OrientedBox((-2.2, 0.3, 0), (1, 0.6, 2)))
    b = s.add_object("desk", OrientedBox((2.2, 0.4, 0), (1, 0.8, 1)))
    s.add_object("wall unit", OrientedBox((0, 1, 0), (0.4, 2, 4)))  # splits the room in two
    with pytest.raises(QueryError, match="no walkable path"):
        route(s, a, b)
    assert s.ask("how do I get from the bed to the desk?").status == "impossible"


def test_free_space_spots_are_free(room_scene):
    spots = free_space(room_scene, (1.0, 0.6))
    assert len(spots) > 20
    for x, z in spots[:: max(1, len(spots) // 25)]:
        fp = OrientedBox((x, 0.5, z), (1.0, 1.0, 0.6)).footprint()
        assert room_scene.room.polygon.covers(fp)
        assert all(
            not fp.intersects(o.box.footprint()) for o in room_scene.objects if o.box.bottom < 1.2
        )
    assert len(free_space(room_scene, (7.0, 7.0))) == 0
    with pytest.raises(QueryError, match="footprint"):
        free_space(room_scene, (1.0, -2))


@pytest.mark.parametrize("cell", [0, -0.1, float("nan"), 50.0, "0.1"])
def test_bad_cell_sizes_are_query_errors(room_scene, cell):
    with pytest.raises(QueryError, match="cell"):
        walkable_grid(room_scene, cell=cell)
    with pytest.raises(QueryError, match="cell"):
        free_space(room_scene, (1.0, 0.6), cell=cell)


def test_unreadable_points_are_query_errors(room_scene):
    with pytest.raises(QueryError, match="point"):
        route(room_scene, "the kitchen", (0.0, 0.0))
