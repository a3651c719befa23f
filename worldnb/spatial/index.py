"""A spatial index over object footprints (shapely STRtree) for queries on big scenes."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely

from ..errors import QueryError
from ..scene import Scene, SceneObject
from ._boxes import box_of

__all__ = ["SpatialIndex"]


class SpatialIndex:
    """Footprints of many objects in an STRtree: pairs within a distance in O(N log N).

    Args:
        objects: SceneObjects (their boxes' footprints are indexed), or a Scene.

    Example:
        >>> from worldnb.scene import OrientedBox, SceneObject
        >>> objs = [SceneObject(i + 1, "box", OrientedBox((i, 0.5, 0), (0.5, 1, 0.5)))
        ...         for i in range(4)]
        >>> sorted(SpatialIndex(objs).pairs_within(0.6))
        [(1, 2), (2, 3), (3, 4)]
    """

    def __init__(self, objects: Iterable[SceneObject] | Scene):
        if isinstance(objects, Scene):
            objects = objects.objects
        if not isinstance(objects, Iterable):
            raise QueryError(f"objects: expected SceneObjects, got {type(objects).__name__}")
        self.objects: list[SceneObject] = list(objects)
        self.footprints = [box_of(o).footprint() for o in self.objects]
        self.tree = shapely.STRtree(self.footprints)
        self.ids = np.array([o.id for o in self.objects], np.int64)

    def pairs_within(self, dist: float) -> list[tuple[int, int]]:
        """(id_a, id_b) with id_a < id_b for footprints within ``dist`` m of each other."""
        i, j = self.tree.query(self.footprints, predicate="dwithin", distance=dist)
        keep = i < j
        a, b = self.ids[i[keep]], self.ids[j[keep]]
        return [(int(min(x, y)), int(max(x, y))) for x, y in zip(a, b, strict=True)]

    def within(self, obj, dist: float) -> list[SceneObject]:
        """Objects whose footprint lies within ``dist`` m of ``obj``'s footprint."""
        idx = self.tree.query(box_of(obj).footprint(), predicate="dwithin", distance=dist)
        return [self.objects[k] for k in sorted(idx) if self.objects[k] is not obj]

    def nearest(self, obj) -> SceneObject | None:
        """The object whose footprint is closest to ``obj``'s (``obj`` itself skipped)."""
        fp = box_of(obj).footprint()
        idx = self.tree.query_nearest(fp, exclusive=True, all_matches=False)
        for k in np.atleast_1d(idx):
            if self.objects[int(k)] is not obj:
                return self.objects[int(k)]
        return None
