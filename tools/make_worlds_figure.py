"""Writes docs/worlds_before_after.png: 12 procedural rooms, each from one camera,
rendered the way render_dataset drew them before issue 11 (flat material colours, no
light, no clutter) and as they are drawn now (procedural textures, lighting, clutter).

Both halves of a pair are the same room (kind, seed, layout) from the same camera; the
"before" image is ``render_dataset(look="flat")``'s picture of that room without its
clutter. Run: ``python tools/make_worlds_figure.py [--out PATH] [--size S]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import worldnb
from worldnb.worlds import ROOM_KINDS, add_meshes, render_room, room_cameras, room_mesh, sample_room

ROOT = Path(__file__).resolve().parents[1]


def before_after(kind: str, seed: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(flat, lit) images of one room from one camera."""
    # a generous planning budget: the same layout for a seed even on a busy CPU
    scene = sample_room(kind, seed=seed, time_limit=30.0)
    cam = room_cameras(scene, 1, size, np.random.default_rng([seed, 3]))
    after = render_room(scene, cam, seed=seed).rgb[0]
    flat = scene.copy()
    for o in [o for o in flat.objects if o.attrs.get("clutter")]:
        flat.remove_object(o.id)
    add_meshes(flat, floor=scene.meta["floor_material"], textures=False)
    flat.layers["room"] = room_mesh(scene.room, scene.meta["floor_material"], ceiling=True)
    before = worldnb.render(flat, cam, objects=None).rgb[0]
    return before, after


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "worlds_before_after.png"))
    ap.add_argument("--size", type=int, default=192)
    args = ap.parse_args()
    s, pad, head = args.size, 6, 22
    cols, rows = 3, 4  # 12 pairs
    W = cols * (2 * s + pad) + pad
    H = rows * (s + head) + pad
    sheet = Image.new("RGB", (W, H), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for i in range(12):
        kind, seed = ROOM_KINDS[i % len(ROOM_KINDS)], 100 + i
        before, after = before_after(kind, seed, s)
        r, c = divmod(i, cols)
        x, y = pad + c * (2 * s + pad), r * (s + head) + head
        for k, img in enumerate((before, after)):
            sheet.paste(Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)),
                        (x + k * s, y))  # fmt: skip
        draw.text((x + 2, y - 16), f"{kind} {seed}: before | after", fill=(0, 0, 0))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)
    print(out)  # noqa: T201 - a script says what it wrote


if __name__ == "__main__":
    main()
