"""A spatial index over object footprints (shapely STRtree) for queries on big scenes."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely

from ..errors import QueryError
from ..scene import Scene, SceneObject
from ._boxes import box_of

__all__ = ["SpatialIndex", "footprints"]

# the four bottom corners of a box, in OrientedBox.footprint's order: (±x, ±z) half sizes
_FOOT = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [1.0, -1.0]])


def footprints(objects) -> np.ndarray:
    """(N,) shapely polygons: the floor outlines of many objects' (or boxes') boxes at
    once, equal to ``box.footprint()`` each (same corners, same float32 rounding)."""
    boxes = [box_of(o) for o in objects]
    if not boxes:
        return np.array([], dtype=object)
    c = np.array([b.center for b in boxes], np.float64)
    hs = np.array([b.size for b in boxes], np.float64)[:, [0, 2]] / 2
    yaw = np.array([b.yaw for b in boxes], np.float64)
    cos, sin = np.cos(yaw)[:, None], np.sin(yaw)[:, None]
    lx, lz = _FOOT[None, :, 0] * hs[:, :1], _FOOT[None, :, 1] * hs[:, 1:]
    x = (lx * cos + lz * sin + c[:, :1]).astype(np.float32)
    z = (-lx * sin + lz * cos + c[:, 2:3]).astype(np.float32)
    return shapely.polygons(np.stack([x, z], -1).astype(np.float64))


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
        self.footprints = list(footprints(self.objects))
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
