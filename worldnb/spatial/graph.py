"""All relations between two objects, and a whole scene's relation graph."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely

from ..scene import Scene, SceneObject
from . import predicates
from .frames import Frame, RoomFrame
from .index import SpatialIndex
from .measures import distance

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SceneGraph", "relation", "relations"]

_DIRECTIONAL = ("left_of", "right_of", "in_front_of", "behind")
_SUPPORT = ("on", "above", "below", "inside", "near", "next_to")


def relation(a: SceneObject, b: SceneObject, frame: Frame | None = None, **thresholds) -> dict:
    """Every relation from A to B, with the numbers behind them.

    Args:
        a: the first object.
        b: the second object.
        frame: frame for left/right/front/behind (default :class:`RoomFrame`).
        thresholds: ``near`` (1.0 m), ``next_to`` (0.5 m), ``facing`` (45°).

    Returns:
        dict with ``"distance"`` (m), ``"frame"`` (its description), ``"holds"``
        (sorted list of predicate names that are true) and one bool per predicate.
    """
    f = frame if frame is not None else RoomFrame()
    out: dict = {"distance": distance(a, b), "frame": f.describe()}
    for name in _DIRECTIONAL:
        out[name] = getattr(predicates, name)(a, b, frame=f)
    out["on"] = predicates.on(a, b)
    out["above"] = predicates.above(a, b)
    out["below"] = predicates.below(a, b)
    out["inside"] = predicates.inside(a, b)
    out["near"] = out["distance"] <= thresholds.get("near", 1.0)
    out["next_to"] = predicates.next_to(a, b, thresholds.get("next_to", 0.5))
    out["facing"] = bool(getattr(a, "front", False)) and predicates.facing(
        a, b, thresholds.get("facing", 45.0)
    )
    out["holds"] = sorted(k for k, v in out.items() if v is True)
    return out


@dataclass
class SceneGraph:
    """Objects as nodes and true relations as directed edges.

    Attributes:
        nodes: id → {"label", "name"}.
        edges: dicts ``{"subject": id, "predicate": str, "object": id, "distance": m}``
            (plus ``"wall"`` for ``against_wall``; object −1 for room relations).
        frame: the frame directional edges use.
    """

    nodes: dict[int, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    frame: str = ""

    def of(self, object_id: int, predicate: str | None = None) -> list[dict]:
        """Edges whose subject is ``object_id`` (optionally of one predicate)."""
        return [
            e
            for e in self.edges
            if e["subject"] == object_id and (predicate is None or e["predicate"] == predicate)
        ]

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph as a ``networkx.MultiDiGraph`` (needs networkx installed)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for i, d in self.nodes.items():
            g.add_node(i, **d)
        for e in self.edges:
            g.add_edge(e["subject"], e["object"], key=e["predicate"], **e)
        return g


def relations(
    scene: Scene, frame: Frame | None = None, near: float = 1.0, index: SpatialIndex | None = None
) -> SceneGraph:
    """The scene graph: relations between every pair of objects within ``near`` metres.

    Pairs are found with a :class:`SpatialIndex` (STRtree), so big scenes cost
    O(N log N + pairs), not O(N²); each object's footprint, heights and frame
    coordinates are computed once. The definitions are those of
    :mod:`worldnb.spatial.predicates` (tests check the two agree). Directional edges
    (left_of, …) use ``frame`` (default the room's); ``facing`` edges use each
    object's own front; objects near walls get ``against_wall`` / ``in_corner`` edges
    to the room (object id −1).
    """
    f = frame if frame is not None else RoomFrame(scene.room)
    g = SceneGraph(frame=f.describe())
    objs = list(scene.objects)
    for o in objs:
        g.nodes[o.id] = {"label": o.label, "name": o.name}
    idx = index if index is not None else SpatialIndex(objs)
    fp = dict(zip((o.id for o in objs), idx.footprints, strict=True))
    lo = {o.id: o.box.bottom for o in objs}
    hi = {o.id: o.box.top for o in objs}
    lat, dep = _frame_coords(f, objs)
    margin = predicates.frame_margin(f, None)
    by_id = {o.id: o for o in objs}
    pairs = idx.pairs_within(near)
    # floor distances and overlaps of every candidate pair at once (shapely is vectorised)
    fa = np.array([fp[a] for a, _ in pairs], dtype=object)
    fb = np.array([fp[b] for _, b in pairs], dtype=object)
    d_floors = shapely.distance(fa, fb) if pairs else np.zeros(0)
    touching = d_floors == 0.0
    inters = np.zeros(len(pairs))
    if touching.any():
        inters[touching] = shapely.area(shapely.intersection(fa[touching], fb[touching]))
    for (ia, ib), d_floor, inter in zip(pairs, d_floors.tolist(), inters.tolist(), strict=True):
        a, b = by_id[ia], by_id[ib]
        gap = max(0.0, lo[ia] - hi[ib], lo[ib] - hi[ia])
        d = math.hypot(d_floor, gap)
        if d > near:
            continue
        vover = max(0.0, min(hi[ia], hi[ib]) - max(lo[ia], lo[ib]))
        for s, t in ((a, b), (b, a)):
            i, j = s.id, t.id

            def e(p, s=s, t=t, d=d):
                g.edges.append(_edge(s, p, t, d))

            e("near")
            if inter > 1e-6:
                if abs(lo[i] - hi[j]) <= 0.03:
                    e("on")
                if lo[i] >= hi[j] - 0.03:
                    e("above")
                if lo[j] >= hi[i] - 0.03:
                    e("below")
                if inter * vover >= 0.9 * s.box.volume - 1e-9:
                    e("inside")
            if vover > 0 and gap == 0 and d_floor <= 0.5:
                if inter < 0.5 * min(fp[i].area, fp[j].area):
                    e("next_to")
            if s.front and predicates.facing(s, t):
                e("facing")
            if lat[i] < lat[j] - margin:
                e("left_of")
            if lat[i] > lat[j] + margin:
                e("right_of")
            closer = dep[i] < dep[j] - margin
            farther = dep[i] > dep[j] + margin
            if f.observer:
                if closer:
                    e("in_front_of")
                if farther:
                    e("behind")
            else:
                if farther:
                    e("in_front_of")
                if closer:
                    e("behind")
    if scene.room is not None:
        walls = [
            (w.id, shapely.LineString([w.start.tolist(), w.end.tolist()])) for w in scene.room.walls
        ]
        n = len(walls)
        for o in objs:
            dw = [(float(fp[o.id].distance(line)), k) for k, (_, line) in enumerate(walls)]
            close = [k for dd, k in dw if dd <= 0.15]
            if close:
                e = _edge(o, "against_wall", None, 0.0)
                e["wall"] = walls[close[0]][0]
                g.edges.append(e)
            corner = sorted(k for dd, k in dw if dd <= 0.3)
            if any(
                (q - p) % n in (1, n - 1) for x, p in enumerate(corner) for q in corner[x + 1 :]
            ):
                g.edges.append(_edge(o, "in_corner", None, 0.0))
    return g


def _frame_coords(f: Frame, objs) -> tuple[dict, dict]:
    """Each object's lateral and depth coordinate in ``f`` (one array operation when the
    frame uses the plain floor axes; the per-object methods otherwise)."""
    if type(f).lateral is Frame.lateral and type(f).depth is Frame.depth and objs:
        xz = np.array([[o.box.center[0], o.box.center[2]] for o in objs], np.float64)
        rd = f.coords(xz)
        ids = [o.id for o in objs]
        return dict(zip(ids, rd[:, 0].tolist(), strict=True)), dict(
            zip(ids, rd[:, 1].tolist(), strict=True)
        )
    return {o.id: f.lateral(o) for o in objs}, {o.id: f.depth(o) for o in objs}


def _edge(s, p, t, d) -> dict:
    return {"subject": s.id, "predicate": p, "object": -1 if t is None else t.id, "distance": d}
