"""All relations between two objects, and a whole scene's relation graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..scene import Scene, SceneObject
from . import relations as R
from .frames import Frame, RoomFrame
from .index import SpatialIndex
from .measures import distance

__all__ = ["SceneGraph", "relation", "relations"]

_DIRECTIONAL = ("left_of", "right_of", "in_front_of", "behind")
_SUPPORT = ("on", "above", "below", "inside", "near", "next_to")


def relation(a: SceneObject, b: SceneObject, frame: Frame | None = None, **thresholds) -> dict:
    """Every relation from A to B, with the numbers behind them.

    Args:
        a, b: the two objects.
        frame: frame for left/right/front/behind (default :class:`RoomFrame`).
        thresholds: ``near`` (1.0 m), ``next_to`` (0.5 m), ``facing`` (45°).

    Returns:
        dict with ``"distance"`` (m), ``"frame"`` (its description), ``"holds"``
        (sorted list of predicate names that are true) and one bool per predicate.
    """
    f = frame if frame is not None else RoomFrame()
    out: dict = {"distance": distance(a, b), "frame": f.describe()}
    for name in _DIRECTIONAL:
        out[name] = getattr(R, name)(a, b, frame=f)
    out["on"] = R.on(a, b)
    out["above"] = R.above(a, b)
    out["below"] = R.below(a, b)
    out["inside"] = R.inside(a, b)
    out["near"] = out["distance"] <= thresholds.get("near", 1.0)
    out["next_to"] = R.next_to(a, b, thresholds.get("next_to", 0.5))
    out["facing"] = bool(getattr(a, "front", False)) and R.facing(
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

    def to_networkx(self):
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
    O(N log N + pairs), not O(N²). Directional edges (left_of, …) use ``frame``
    (default the room's); ``facing`` edges use each object's own front; objects near
    walls get ``against_wall`` / ``in_corner`` edges to the room (object id −1).
    """
    f = frame if frame is not None else RoomFrame(scene.room)
    g = SceneGraph(frame=f.describe())
    for o in scene.objects:
        g.nodes[o.id] = {"label": o.label, "name": o.name}
    idx = index if index is not None else SpatialIndex(scene.objects)
    for ia, ib in idx.pairs_within(near):
        a, b = scene.object(ia), scene.object(ib)
        d = distance(a, b)
        if d > near:
            continue
        for s, t in ((a, b), (b, a)):
            g.edges.append(_edge(s, "near", t, d))
            for name in _SUPPORT[:4]:
                if getattr(R, name)(s, t):
                    g.edges.append(_edge(s, name, t, d))
            if R.next_to(s, t):
                g.edges.append(_edge(s, "next_to", t, d))
            if s.front and R.facing(s, t):
                g.edges.append(_edge(s, "facing", t, d))
            for name in _DIRECTIONAL:
                if getattr(R, name)(s, t, frame=f):
                    g.edges.append(_edge(s, name, t, d))
    if scene.room is not None:
        for o in scene.objects:
            walls = R.walls_near(o, scene.room)
            if walls:
                e = _edge(o, "against_wall", None, 0.0)
                e["wall"] = walls[0]
                g.edges.append(e)
            if R.in_corner(o, scene.room):
                g.edges.append(_edge(o, "in_corner", None, 0.0))
    return g


def _edge(s, p, t, d) -> dict:
    return {"subject": s.id, "predicate": p, "object": -1 if t is None else t.id, "distance": d}
