"""Navigation: the walkable grid keeps a body clear of furniture and walls, routes go
around obstacles, free_space finds spots that really are free."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from worldnb.errors import QueryError
from worldnb.scene import OrientedBox, Room, Scene
from worldnb.spatial import free_space, route, walkable_grid
from worldnb.spatial.navigation import _astar, _line_free, _simplify


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


# ---- exact values: grids, A* against Dijkstra, line of sight, steps, free spots ----------


def _cost(path):
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(path))


def _dijkstra_cost(mask, s, g):
    """Shortest 8-connected walk (no cutting a corner past a blocked cell), by scipy."""
    H, W = mask.shape
    rows, cols, w = [], [], []
    for r in range(H):
        for c in range(W):
            if not mask[r, c]:
                continue
            for dr, dc in itertools.product((-1, 0, 1), repeat=2):
                rr, cc = r + dr, c + dc
                if (dr, dc) == (0, 0) or not (0 <= rr < H and 0 <= cc < W) or not mask[rr, cc]:
                    continue
                if dr and dc and not (mask[r + dr, c] and mask[r, c + dc]):
                    continue
                rows.append(r * W + c)
                cols.append(rr * W + cc)
                w.append(math.sqrt(2) if dr and dc else 1.0)
    graph = csr_matrix((w, (rows, cols)), shape=(H * W, H * W))
    return float(dijkstra(graph, indices=s[0] * W + s[1])[g[0] * W + g[1]])


def _check_walk(mask, path, s, g):
    assert path[0] == s and path[-1] == g
    for a, b in itertools.pairwise(path):
        assert 0 <= b[0] < mask.shape[0] and 0 <= b[1] < mask.shape[1] and mask[b]
        dr, dc = b[0] - a[0], b[1] - a[1]
        assert max(abs(dr), abs(dc)) == 1
        if dr and dc:  # a diagonal step only past two open cells
            assert mask[a[0] + dr, a[1]] and mask[a[0], a[1] + dc]


def test_astar_finds_the_shortest_walk_on_random_floors():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(12):
        mask = rng.random((9, 11)) > 0.3
        free = list(zip(*np.nonzero(mask), strict=True))
        for _ in range(6):
            s, g = (tuple(int(v) for v in free[i]) for i in rng.choice(len(free), 2))
            best = _dijkstra_cost(mask, s, g)
            path = _astar(mask, s, g)
            if math.isinf(best):
                assert path == []
                continue
            _check_walk(mask, path, s, g)
            assert _cost(path) == pytest.approx(best, abs=1e-9)
            checked += 1
    assert checked > 40


def test_astar_corners_edges_and_blocked_diagonals():
    # one open side is not enough to cut a corner
    assert _cost(_astar(np.array([[1, 0], [1, 1]], bool), (0, 0), (1, 1))) == 2.0
    assert _astar(np.array([[1, 0], [0, 1]], bool), (0, 0), (1, 1)) == []
    assert _astar(np.ones((3, 3), bool), (0, 0), (2, 2)) == [(0, 0), (1, 1), (2, 2)]
    # along the first/last row and column, never off the grid
    mask = np.zeros((5, 5), bool)
    mask[0, :] = mask[:, 4] = mask[4, :] = mask[:, 0] = True
    for s, g in (((0, 0), (0, 4)), ((0, 4), (4, 4)), ((4, 4), (4, 0)), ((4, 0), (0, 0))):
        path = _astar(mask, s, g)
        _check_walk(mask, path, s, g)
        assert _cost(path) == 4.0
    # around a wall: down the right edge and back
    mask = np.ones((4, 5), bool)
    mask[0:3, 2] = False
    path = _astar(mask, (0, 0), (0, 4))
    _check_walk(mask, path, (0, 0), (0, 4))
    assert _cost(path) == pytest.approx(_dijkstra_cost(mask, (0, 0), (0, 4)))


def test_line_of_sight_samples_every_cell_crossed():
    mask = np.ones((7, 7), bool)
    assert _line_free(mask, (0, 0), (6, 6)) and _line_free(mask, (0, 0), (0, 6))
    for a, b, wall in (
        ((0, 0), (0, 6), (0, 3)),  # along a row
        ((0, 0), (6, 0), (3, 0)),  # down a column
        ((0, 6), (6, 6), (3, 6)),
        ((6, 6), (0, 6), (1, 6)),
        ((0, 0), (6, 6), (3, 3)),
        ((1, 2), (5, 6), (3, 4)),
    ):
        blocked = mask.copy()
        blocked[wall] = False
        assert not _line_free(blocked, a, b) and not _line_free(blocked, b, a)
        assert _line_free(blocked, a, (a[0], a[1]))


def test_simplify_keeps_only_the_corners():
    corridor = np.zeros((4, 5), bool)
    corridor[0, :] = corridor[:, 4] = True  # an L: along row 0, then down column 4
    path = [(0, c) for c in range(5)] + [(r, 4) for r in range(1, 4)]
    assert _simplify(corridor, path) == [(0, 0), (0, 4), (3, 4)]
    short = corridor[:2]  # the turn is the last step
    assert _simplify(short, [(0, c) for c in range(5)] + [(1, 4)]) == [(0, 0), (0, 4), (1, 4)]
    open_floor = np.ones((4, 5), bool)
    assert _simplify(open_floor, path) == [(0, 0), (3, 4)]
    assert _simplify(open_floor, [(2, 2)]) == [(2, 2)]
    zigzag = np.ones((3, 7), bool)
    zigzag[0:2, 2] = zigzag[1:3, 4] = False  # walls from the top and from the bottom
    walk = _astar(zigzag, (0, 0), (0, 6))
    corners = _simplify(zigzag, walk)
    assert corners[0] == (0, 0) and corners[-1] == (0, 6) and len(corners) >= 4
    for a, b in itertools.pairwise(corners):
        assert _line_free(zigzag, a, b)


def test_walkable_grid_axes_defaults_and_cells():
    s = Scene(room=Room.rectangle(4, 2))
    g = walkable_grid(s, cell=0.5)  # centres −1.75 … 1.75 and −0.75 … 0.75
    assert g.mask.shape == (4, 8) and g.origin.tolist() == [-1.75, -0.75]
    assert g.cell == 0.5 and g.body_width == 0.5 and isinstance(g.body_width, float)
    # 0.25 m from the walls: centres strictly inside x, z ∈ (−1.75, 1.75) × (−0.75, 0.75)
    expected = np.zeros((4, 8), bool)
    expected[1:3, 1:7] = True
    np.testing.assert_array_equal(g.mask, expected)
    assert g.walkable_area == 12 * 0.25
    d = walkable_grid(s)
    assert d.cell == 0.1 and d.body_width == 0.5
    assert g.to_cell((1.25, 0.25)) == (2, 6) and g.to_cell((-1.8, -0.7)) == (0, 0)
    assert g.to_cell(OrientedBox((1.25, 0.5, -0.25), (0.5, 1.0, 0.5))) == (1, 6)
    np.testing.assert_array_equal(g.to_xz([[2, 6], [0, 0]]), [[1.25, 0.25], [-1.75, -0.75]])
    np.testing.assert_array_equal(g.to_xz(np.array([1, 2])), [-0.75, -0.25])
    # without a room: the objects' rectangle plus 0.5 m
    alone = Scene()
    alone.add_object("box", OrientedBox((0, 0.5, 0), (1.0, 1.0, 1.0)))
    h = walkable_grid(alone, cell=0.5)
    assert h.mask.shape == (4, 4) and h.origin.tolist() == [-0.75, -0.75]
    assert not h.mask.any()  # 1.5 m wide floor, a 1 m box in the middle
    assert h.mask.dtype == bool and h.mask.shape == (4, 4)  # nothing free: still a bool mask
    # ignore= takes objects off the floor: the box no longer blocks the middle cells
    # (free: x, z in (−0.75, 0.75); the outer centres ±0.75 lie on its edge)
    box = alone.objects[0]
    kept = np.zeros((4, 4), bool)
    kept[1:3, 1:3] = True
    np.testing.assert_array_equal(walkable_grid(alone, cell=0.5, ignore=[box]).mask, kept)
    with pytest.raises(QueryError, match=r"^this scene has no room and no objects, so it has"):
        walkable_grid(Scene())
    # an L-shaped room keeps a mitred (square) margin at its inner corner
    ell = Scene(room=Room([(0, 0), (4, 0), (4, -2), (2, -2), (2, -4), (0, -4)]))
    lg = walkable_grid(ell, body_width=0.4, cell=0.1)
    assert not lg.mask[lg.to_cell((1.85, -1.85))] and lg.mask[lg.to_cell((1.75, -1.75))]


@pytest.mark.parametrize("width", [True, 0, -0.5, float("inf"), float("nan"), "0.5"])
def test_bad_body_widths_are_named(width):
    with pytest.raises(QueryError) as err:
        walkable_grid(Scene(room=Room.rectangle(4, 2)), body_width=width)
    assert str(err.value) == f"body_width: expected a positive width in metres, got {width!r}"


def _expected_steps(points, facing=None):
    """Turn-by-turn text rebuilt from the corners: turns of 20°-60° are 'slight', 135°
    and more 'turn around'; straight-on legs add to the previous 'go forward'."""
    heading = None if facing is None else np.asarray(facing, float) - points[0]
    steps = []
    for a, b in itertools.pairwise(points):
        leg = b - a
        n = math.hypot(*leg)
        turned = False
        if heading is not None:
            right = np.array([-heading[1], heading[0]])
            ang = math.degrees(math.atan2(leg @ right, leg @ heading))
            if abs(ang) >= 135:
                steps.append("turn around")
                turned = True
            elif abs(ang) >= 20:
                side = "right" if ang > 0 else "left"
                steps.append(f"turn {'slightly ' if abs(ang) < 60 else ''}{side}")
                turned = True
        if heading is not None and not turned and steps:
            prev = float(steps[-1].split()[2])
            steps[-1] = f"go forward {prev + n:.1f} m"
        else:
            steps.append(f"go forward {n:.1f} m")
        heading = leg
    return [*steps, "you have arrived"]


def _heading(deg, r=0.5, start=(-1.25, 0.25)):
    """A point ``r`` m from ``start``, ``deg`` degrees to the left of east (+X)."""
    a = math.radians(deg)
    return (start[0] + r * math.cos(a), start[1] - r * math.sin(a))


@pytest.mark.parametrize(
    ("facing", "first"),
    [
        (None, None),
        ((-1.25, -0.75), "turn right"),  # facing north, walking east
        ((-1.25, 1.25), "turn left"),  # facing south
        ((-2.25, 0.25), "turn around"),  # facing west
        ((0.0, 0.25), None),  # already facing east
        (_heading(40), "turn slightly right"),  # 0.5 m away
        (_heading(-40), "turn slightly left"),
        (_heading(60.5), "turn right"),
        (_heading(59.5), "turn slightly right"),
        (_heading(10), None),
    ],
)
def test_route_steps_in_an_empty_room(facing, first):
    s = Scene(room=Room.rectangle(4, 2))
    r = route(s, (-1.25, 0.25), (1.25, 0.25), facing=facing, cell=0.5)
    np.testing.assert_array_equal(r.points, [[-1.25, 0.25], [1.25, 0.25]])
    assert r.length == 2.5
    turn = [] if first is None else [first]
    assert r.steps == [*turn, "go forward 2.5 m", "you have arrived"]
    assert r.text == ", ".join(r.steps)


def test_route_steps_merge_straight_legs_and_short_walks():
    s = Scene(room=Room.rectangle(6, 4))
    s.add_object("box", OrientedBox((0.0, 0.5, 0.25), (0.5, 1.0, 0.5)))
    for start, goal in (
        ((-2.25, 0.25), (2.25, -0.25)),  # two legs 11° apart: one "go forward"
        ((-2.25, 0.75), (2.25, 0.25)),
        ((-2.25, -0.25), (2.25, 0.75)),
    ):
        for facing in (None, (-2.25, -1.75), (3.0, 0.0)):
            r = route(s, start, goal, facing=facing, cell=0.25)
            assert len(r.points) == 3
            assert r.steps == _expected_steps(r.points, facing)
            assert r.length == pytest.approx(_cost(r.points))
    merged = route(s, (-2.25, 0.25), (2.25, -0.25), cell=0.25)
    assert merged.steps == ["go forward 4.5 m", "you have arrived"]
    # a walk shorter than a metre, and one that is already there
    short = route(s, (-2.25, 0.25), (-1.75, 0.25), cell=0.25)
    assert short.steps == ["go forward 0.5 m", "you have arrived"] and short.length == 0.5
    here = route(s, (-2.25, 0.25), (-2.25, 0.25), cell=0.25)
    assert here.steps == ["you have arrived"] and here.length == 0.0
    assert here.points.shape == (1, 2)


def test_route_messages_name_the_ends_and_the_width():
    s = Scene(room=Room.rectangle(6, 4))
    a = s.add_object("bed", OrientedBox((-2.2, 0.3, 0), (1, 0.6, 2)))
    b = s.add_object("desk", OrientedBox((2.2, 0.4, 0), (1, 0.8, 1)))
    s.add_object("wall unit", OrientedBox((0, 1, 0), (0.4, 2, 4)))
    with pytest.raises(QueryError) as err:
        route(s, a, b)
    assert str(err.value) == f"no walkable path from {a.name} to {b.name} for a 0.5 m wide body"
    with pytest.raises(QueryError) as err:
        route(s, (-2.0, 0.0), (2.0, 0.0), body_width=0.6)
    assert str(err.value) == "no walkable path from (-2.0, 0.0) to (2.0, 0.0) for a 0.6 m wide body"
    with pytest.raises(QueryError) as err:
        route(s, a, b, body_width=3.9)
    assert str(err.value) == "no floor is walkable for this body width; try a smaller body_width"


def test_free_space_exact_spots():
    room = Scene(room=Room.rectangle(2, 2))
    spots = free_space(room, (1.0, 1.0), cell=0.5)
    quarter = [[-0.25, -0.25], [0.25, -0.25], [-0.25, 0.25], [0.25, 0.25]]
    np.testing.assert_array_equal(spots, quarter)
    # centres exactly half a footprint from the walls still fit
    assert len(free_space(Scene(room=Room.rectangle(4, 4)), (1.0, 1.0), cell=1.0)) == 16
    # exactly one spot
    one = free_space(Scene(room=Room.rectangle(3, 3)), (2.0, 2.0), cell=1.0)
    np.testing.assert_array_equal(one, [[0.0, 0.0]])
    none = free_space(room, (3.0, 3.0), cell=0.5)
    assert none.shape == (0, 2) and none.dtype == np.float64
    # turned by 90°, a 2 × 0.5 m piece needs 2 m along z
    long = Scene(room=Room.rectangle(4, 2))
    assert len(free_space(long, (2.0, 0.5), cell=0.5)) > 0
    assert len(free_space(long, (2.0, 0.5), cell=0.5, yaw=math.pi / 2)) == 0
    # an obstacle, and a clearance kept from it
    s = Scene(room=Room.rectangle(4, 2))
    s.add_object("cabinet", OrientedBox((1.5, 0.5, 0.0), (1.0, 1.0, 2.0)))  # x ∈ [1, 2]
    xs = sorted({float(x) for x, _ in free_space(s, (1.0, 1.0), cell=0.5)})
    assert xs == [-1.25, -0.75, -0.25, 0.25]
    xs = sorted({float(x) for x, _ in free_space(s, (1.0, 1.0), clearance=0.125, cell=0.5)})
    assert xs == [-1.25, -0.75, -0.25, 0.25]
    xs = sorted({float(x) for x, _ in free_space(s, (1.0, 1.0), clearance=0.375, cell=0.5)})
    assert xs == [-1.25, -0.75, -0.25]


@pytest.mark.parametrize("footprint", [(0.0, 1.0), (1.0, 0.0), (-1.0, 1.0)])
def test_free_space_refuses_empty_footprints(room_scene, footprint):
    with pytest.raises(QueryError, match=r"^footprint: width and depth must be > 0 m"):
        free_space(room_scene, footprint)


@pytest.mark.parametrize("footprint", [3, (1.0, 2.0, 3.0), ("a", 1.0)])
def test_free_space_unreadable_footprints(room_scene, footprint):
    with pytest.raises(QueryError) as err:
        free_space(room_scene, footprint)
    assert str(err.value) == f"footprint: expected (width, depth) in metres, got {footprint!r}"


@pytest.mark.parametrize(("w", "d"), [(0.3, 4.0), (4.0, 0.3)])
def test_a_cell_too_coarse_for_one_side_of_the_floor(w, d):
    # a 0.8 m cell has its first centre 0.4 m in: beyond a 0.3 m side, so no cell fits
    s = Scene(room=Room.rectangle(w, d))
    msg = f"cell: 0.8 m is too coarse for a {w:.2f} × {d:.2f} m floor; use a smaller cell"
    with pytest.raises(QueryError) as err:
        walkable_grid(s, cell=0.8)
    assert str(err.value) == msg
    # one cell across that side is enough: a 0.5 m cell has its centre 0.25 m in
    g = walkable_grid(s, body_width=0.1, cell=0.5)
    assert g.mask.shape == ((8, 1) if w < d else (1, 8)) and g.mask.all()


def test_astar_queues_each_cell_only_a_few_times(monkeypatch):
    # an open floor has many equally short walks: A* re-queues a cell only for a shorter
    # walk to it (at most twice here, for walks an ulp apart), not for each equal one
    import heapq as real
    import types
    from collections import Counter

    from worldnb.spatial import navigation

    queued = Counter()

    def push(heap, item):
        queued[item[1]] += 1
        assert queued[item[1]] <= 3, f"{item[1]} queued {queued[item[1]]} times"
        real.heappush(heap, item)

    fake = types.SimpleNamespace(heappush=push, heappop=real.heappop)
    monkeypatch.setattr(navigation, "heapq", fake)
    for shape, goal in (((6, 9), (5, 8)), ((12, 12), (11, 11)), ((20, 5), (19, 2))):
        queued.clear()
        path = _astar(np.ones(shape, bool), (0, 0), goal)
        assert path[0] == (0, 0) and path[-1] == goal
        assert _cost(path) == pytest.approx(_dijkstra_cost(np.ones(shape, bool), (0, 0), goal))


def test_astar_weighs_diagonal_steps_by_sqrt_2():
    # on these 20 × 20 floors some shortest walks trade four diagonal steps for six
    # straight ones, so they are shortest only when a diagonal step costs √2 (not √3)
    for seed in (18, 20, 28, 39):
        rng = np.random.default_rng(seed)
        mask = rng.random((20, 20)) > 0.2
        free = list(zip(*np.nonzero(mask), strict=True))
        for _ in range(6):
            s, g = (tuple(int(v) for v in free[i]) for i in rng.choice(len(free), 2))
            best = _dijkstra_cost(mask, s, g)
            path = _astar(mask, s, g)
            if math.isinf(best):
                assert path == []
                continue
            _check_walk(mask, path, s, g)
            assert _cost(path) == pytest.approx(best, abs=1e-9)


def test_a_body_wider_than_the_room_gets_an_all_false_bool_mask():
    # a 1.2 m body in a 1 × 1 m room: no spot keeps 0.6 m from every wall
    g = walkable_grid(Scene(room=Room.rectangle(1, 1)), body_width=1.2, cell=0.25)
    assert g.mask.dtype == bool and g.mask.shape == (4, 4) and not g.mask.any()
    assert g.walkable_area == 0.0


def test_simplify_keeps_a_corner_right_after_the_start_and_a_two_step_turn():
    # down one cell, then along row 1: the start sees (1, 1) (the diagonal's samples are
    # its two ends) but not (1, 3), which (1, 0) sees: the corner after the start stays
    ell = np.zeros((2, 4), bool)
    ell[0, 0] = ell[1, :] = True
    path = [(0, 0), (1, 0), (1, 1), (1, 2), (1, 3)]
    assert not _line_free(ell, (0, 0), (1, 3)) and _line_free(ell, (1, 0), (1, 3))
    assert _simplify(ell, path) == [(0, 0), (1, 1), (1, 3)]
    # a two-step turn round a blocked corner cell: (0, 1) → (1, 0) samples (0, 0)
    turn = np.array([[0, 1], [1, 1]], bool)
    assert not _line_free(turn, (0, 1), (1, 0))
    assert _simplify(turn, [(0, 1), (1, 1), (1, 0)]) == [(0, 1), (1, 1), (1, 0)]


class _CountingPath(list):
    """A path that fails the test once it has been read too often (a loop that never ends)."""

    def __init__(self, cells, limit):
        super().__init__(cells)
        self.reads, self.limit = 0, limit

    def __getitem__(self, k):
        self.reads += 1
        assert self.reads <= self.limit, "the path was read over and over: a loop never ends"
        return super().__getitem__(k)


def test_simplify_reads_the_path_a_bounded_number_of_times():
    # an L round a blocked block of cells and a straight corridor: a few reads per cell
    # are enough. (0, 0) sees (1, 2): its samples fall in (0, 0), (0, 1) and (1, 2)
    ell = np.zeros((3, 3), bool)
    ell[0, :] = ell[:, 2] = True
    for mask, cells, corners in (
        (ell, [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2)], [(0, 0), (1, 2), (2, 2)]),
        (np.ones((1, 4), bool), [(0, 0), (0, 1), (0, 2), (0, 3)], [(0, 0), (0, 3)]),
    ):
        assert _simplify(mask, _CountingPath(cells, 20 * len(cells))) == corners


def test_astar_queues_each_cell_of_a_corridor_once(monkeypatch):
    # along a 1-cell corridor every cell is reached once, by one walk of whole steps: a
    # second push (of the start, or of a cell at a cost no lower) means the search loops
    import heapq as real
    import types

    from worldnb.spatial import navigation

    queued = set()

    def push(heap, item):
        assert item[1] not in queued and item[1] != (0, 0), f"{item[1]} queued again"
        queued.add(item[1])
        real.heappush(heap, item)

    fake = types.SimpleNamespace(heappush=push, heappop=real.heappop)
    monkeypatch.setattr(navigation, "heapq", fake)
    assert _astar(np.ones((1, 5), bool), (0, 0), (0, 4)) == [(0, c) for c in range(5)]


@pytest.mark.parametrize("cell", [math.inf, 0, -0.5, True])
def test_a_cell_that_is_not_a_positive_finite_size_is_named(cell):
    s = Scene(room=Room.rectangle(4, 4))
    with pytest.raises(QueryError) as err:
        walkable_grid(s, cell=cell)
    assert str(err.value) == f"cell: expected a positive cell size in metres, got {cell!r}"
