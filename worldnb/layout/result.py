"""What the planner returns: the layout as a scene, the constraint report, the score
and the reasons in plain sentences."""

from __future__ import annotations

import html
import math
from functools import cached_property

import numpy as np

from ..catalog import add_meshes
from ..scene import Scene
from .constraints import wall_gap
from .state import Layout

__all__ = ["LayoutResult", "compass_of", "layout_to_scene"]

_COMPASS = {"north": (0.0, -1.0), "east": (1.0, 0.0), "south": (0.0, 1.0), "west": (-1.0, 0.0)}


def compass_of(direction_xz) -> str:
    """north/east/south/west: the compass direction closest to an (x, z) vector."""
    d = np.asarray(direction_xz, np.float64)
    return max(_COMPASS, key=lambda k: float(d @ _COMPASS[k]))


def layout_to_scene(layout: Layout, meshes: bool = True, seed: int = 0) -> Scene:
    """A :class:`Scene` with the room and one object per placed item (ids 1…N in item
    order). With ``meshes``, part-built furniture in the ``"objects"`` layer and the room
    shell in ``"room"`` (:func:`worldnb.catalog.add_meshes`)."""
    rng = np.random.default_rng(seed)
    scene = Scene(room=layout.room, meta={"source": "worldnb.layout.plan", "seed": seed})
    for name, it in layout.items.items():
        if not layout.is_placed(name):
            continue
        mats = it.entry.materials or ("grey",)
        material = mats[int(rng.integers(len(mats)))]
        p = layout.placements[name]
        attrs = {"name": name, "category": it.category, "material": material}
        if p.support is not None:
            attrs["on"] = p.support
        scene.add_object(
            it.category,
            layout.box(name),
            front=it.entry.front,
            geometry="objects" if meshes else None,
            **attrs,
        )
    if meshes:
        add_meshes(scene, seed=seed)
    return scene


class LayoutResult:
    """A planned layout.

    Attributes:
        layout: the solved :class:`~worldnb.layout.state.Layout`.
        seed: the seed it was planned with.
        solve_time: seconds spent.
    """

    def __init__(self, layout: Layout, constraints: list, seed: int = 0, solve_time: float = 0.0):
        self.layout = layout
        self._constraints = constraints
        self.seed = seed
        self.solve_time = float(solve_time)

    @cached_property
    def scene(self) -> Scene:
        """The layout as a :class:`Scene` (room, objects, part-built meshes)."""
        return layout_to_scene(self.layout, meshes=True, seed=self.seed)

    @cached_property
    def constraints(self) -> list[dict]:
        """One dict per constraint: ``description``, ``type``, ``hard``, ``weight``,
        ``satisfied``, ``measured``, ``unit``, ``source`` (base / rule / request)."""
        out = []
        for c in self._constraints:
            ok, value = c.evaluate(self.layout)
            out.append(
                {
                    "description": c.describe(),
                    "type": type(c).__name__,
                    "hard": c.hard,
                    "weight": c.weight,
                    "satisfied": bool(ok),
                    "measured": float(value) if np.isfinite(value) else None,
                    "unit": c.unit,
                    "source": c.source,
                }
            )
        return out

    @property
    def score(self) -> float:
        """Weighted share of soft constraints satisfied, in [0, 1] (1 when there are none)."""
        soft = [c for c in self.constraints if not c["hard"]]
        total = sum(c["weight"] for c in soft)
        if total == 0:
            return 1.0
        return sum(c["weight"] for c in soft if c["satisfied"]) / total

    @property
    def objects(self) -> dict[str, object]:
        """item name → its :class:`OrientedBox`."""
        return {n: self.layout.box(n) for n in self.layout.placed}

    def explain(self) -> list[str]:
        """Plain sentences: where each piece stands and why."""
        lay = self.layout
        lines = []
        for name in lay.items:
            it = lay.items[name]
            p = lay.placements[name]
            where = self._where(name)
            why = []
            unmet = []
            for c in self._constraints:
                if c.is_global or name not in (c.bound[0] if c.bound else ()):
                    continue
                ok, val = c.evaluate(lay)
                tag = "rule" if c.source == "rule" else "you asked"
                text = f"{c.describe()} ({tag}, {_fmt(val, c.unit)})"
                (why if ok else unmet).append(text)
            s = f"The {name} ({it.size[0]:.2f} × {it.size[2]:.2f} m) {where}"
            if p.support is not None:
                s = f"The {name} stands on the {p.support}"
            s += "."
            if why:
                s += " Because " + "; ".join(why) + "."
            if unmet:
                s += " It could not also satisfy: " + "; ".join(unmet) + "."
            lines.append(s)
        hard = [c for c in self._constraints if c.is_global]
        lines.append(
            "Everywhere: " + "; ".join(c.describe() for c in hard) + f" (planned in "
            f"{self.solve_time:.2f} s, seed {self.seed}, soft score {self.score:.0%})."
        )
        return lines

    def _where(self, name: str) -> str:
        lay = self.layout
        it = lay.items[name]
        if it.placement == "wall":
            gap, wid = wall_gap(lay, name, "back")
            wall = lay.room.wall(wid)
            return f"hangs on the {wall.compass} wall ({wid}), {lay.placements[name].y:.2f} m up"
        parts = []
        if it.entry.front:
            parts.append(f"faces {compass_of(lay.front(name))}")
            gap, wid = wall_gap(lay, name, "back")
            if gap <= 0.05:
                parts.append(f"with its back to the {lay.room.wall(wid).compass} wall")
        c = lay.center(name)
        parts.append(f"centred at x = {c[0]:.2f} m, z = {c[1]:.2f} m")
        return ", ".join(parts)

    def report(self) -> str:
        """The constraint report as a text table."""
        rows = ["ok   kind  weight  measured          constraint"]
        for c in self.constraints:
            mark = "yes " if c["satisfied"] else "NO  "
            kind = "hard" if c["hard"] else "soft"
            rows.append(
                f"{mark} {kind}  {c['weight']:6.1f}  {_fmt(c['measured'], c['unit']):16s}  "
                f"{c['description']}"
            )
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        head = (
            "<tr><th>ok</th><th>kind</th><th>weight</th><th>measured</th><th>constraint</th></tr>"
        )
        body = "".join(
            f"<tr><td>{'✔' if c['satisfied'] else '✘'}</td><td>{'hard' if c['hard'] else 'soft'}"
            f"</td><td>{c['weight']:g}</td><td>{html.escape(_fmt(c['measured'], c['unit']))}</td>"
            f"<td>{html.escape(c['description'])}</td></tr>"
            for c in self.constraints
        )
        return (
            f"<b>LayoutResult</b>: {len(self.layout.placed)} pieces, score {self.score:.0%}, "
            f"{self.solve_time:.2f} s<table>{head}{body}</table>"
        )

    def __repr__(self) -> str:
        return (
            f"LayoutResult({len(self.layout.placed)} pieces, score {self.score:.2f}, "
            f"{self.solve_time:.2f} s)"
        )


def _fmt(value, unit) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{value:.2f} {unit}"
