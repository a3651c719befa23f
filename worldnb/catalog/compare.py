"""The catalog's dimension ranges checked against boxes measured in real scenes."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..errors import InputError
from ..scene import Scene
from .entries import _load

__all__ = ["compare_sizes"]


def compare_sizes(scenes: Scene | Iterable[Scene]) -> list[dict]:
    """Catalog medians against the medians of matching object boxes in real scenes.

    Object labels match a category by its ``scannet`` names. Real boxes have no
    front, so the horizontal sizes are compared as (longer, shorter) side; the
    catalog's (width, depth) are sorted the same way.

    Args:
        scenes: a scene or scenes with labelled objects, e.g.
            :func:`worldnb.scene.io.load_vsibench` ``(path)``.

    Returns:
        One dict per category with matches, in category order: ``category``,
        ``scannet_labels``, ``n``, ``catalog`` and ``scannet`` medians (long, short,
        height in m) and ``ratio`` (scene / catalog per dimension).

    Example:
        >>> from worldnb.scene import OrientedBox, Scene
        >>> s = Scene()
        >>> _ = s.add_object("bed", OrientedBox((0, 0.3, 0), (1.5, 0.6, 2.0)))
        >>> [row] = compare_sizes([s])
        >>> row["category"], row["n"], row["scannet"]
        ('bed', 1, [2.0, 1.5, 0.6])
    """
    if isinstance(scenes, Scene):
        scenes = [scenes]
    if not isinstance(scenes, Iterable):
        raise InputError(f"scenes: expected a Scene or a list of them, got {type(scenes).__name__}")
    sizes_by_label: dict[str, list[tuple[float, float, float]]] = {}
    for scene in scenes:
        if not isinstance(scene, Scene):
            raise InputError(f"scenes: expected Scene objects, got {type(scene).__name__}")
        for o in scene.objects:
            s = o.box.size
            dims = (max(s[0], s[2]), min(s[0], s[2]), s[1])
            sizes_by_label.setdefault(o.label, []).append(tuple(map(float, dims)))
    out = []
    for name, e in sorted(_load().items()):
        dims = [d for label in e.scannet for d in sizes_by_label.get(label, [])]
        if not dims:
            continue
        med = np.median(np.asarray(dims), 0)
        w, d, h = (sum(r) / 2 for r in (e.width, e.depth, e.height))
        cat = np.array([max(w, d), min(w, d), h])
        out.append(
            {
                "category": name,
                "scannet_labels": list(e.scannet),
                "n": len(dims),
                "catalog": [round(float(v), 3) for v in cat],
                "scannet": [round(float(v), 3) for v in med],
                "ratio": [round(float(v), 2) for v in med / cat],
            }
        )
    return out
