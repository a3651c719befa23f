"""A top-down floor plan of a scene as a PIL image: walls, doors with their clear
zones, windows, every object's footprint with its front marked, and labels.

Example:
    >>> from worldnb.worlds import sample_room
    >>> img = floor_plan(sample_room("office", seed=0), scale=40)
    >>> img.mode
    'RGB'
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from ..errors import InputError
from ..scene import Scene
from ._geometry import opening_zone

__all__ = ["floor_plan"]

_PALETTE = [
    (78, 121, 167), (242, 142, 43), (225, 87, 89), (118, 183, 178), (89, 161, 79),
    (237, 201, 72), (176, 122, 161), (255, 157, 167), (156, 117, 95), (186, 176, 172),
]  # fmt: skip


def floor_plan(scene: Scene, scale: float = 50.0, margin: float = 0.3, labels: bool = True):
    """Draw ``scene`` seen from above (north = up, east = right).

    Args:
        scene: a scene with objects (and usually a room).
        scale: pixels per metre.
        margin: blank border in metres.
        labels: write each object's name on it.

    Returns:
        A PIL RGB image.
    """
    if not isinstance(scene, Scene):
        raise InputError(f"scene: expected a worldnb Scene, got {type(scene).__name__}")
    pts = [o.box.corners()[:, [0, 2]] for o in scene.objects]
    if scene.room is not None:
        pts.append(scene.room.floor_xz)
    if not pts:
        raise InputError("scene: nothing to draw (no room, no objects)")
    allp = np.concatenate(pts)
    lo = allp.min(0) - margin
    hi = allp.max(0) + margin
    w, h = (np.ceil((hi - lo) * scale).astype(int) + 1).tolist()
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img, "RGBA")

    def px(xz):
        xz = np.atleast_2d(np.asarray(xz, np.float64))
        return [tuple(p) for p in ((xz - lo) * scale).tolist()]

    room = scene.room
    if room is not None:
        d.polygon(px(room.floor_xz), fill=(245, 240, 232), outline=(60, 60, 60), width=3)
        for o in room.openings:
            a, b = room.opening_endpoints(o)
            if o.kind == "door":
                d.polygon(
                    px(np.asarray(opening_zone(room, o).exterior.coords)), fill=(120, 200, 120, 60)
                )
                d.line(px([a, b]), fill=(150, 100, 60), width=5)
            else:
                d.line(px([a, b]), fill=(90, 160, 230), width=5)
    cats = sorted({o.label for o in scene.objects})
    for o in sorted(scene.objects, key=lambda o: o.box.top):
        col = _PALETTE[cats.index(o.label) % len(_PALETTE)]
        c = o.box.corners()[[0, 1, 5, 4]][:, [0, 2]]
        alpha = 90 if o.label == "rug" else 200
        d.polygon(px(c), fill=(*col, alpha), outline=(40, 40, 40))
        centre = o.box.center[[0, 2]].astype(np.float64)
        if o.front:
            f = o.box.front[[0, 2]].astype(np.float64)
            tip = centre + f * (o.box.size[2] / 2)
            d.line(px([centre, tip]), fill=(0, 0, 0), width=2)
        if labels:
            ((x, y),) = px(centre)
            d.text((x + 2, y + 2), o.attrs.get("name", o.label), fill=(0, 0, 0))
    return img
