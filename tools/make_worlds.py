"""Writes notebooks/09_procedural_worlds.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# Procedural worlds: materials, light and clutter\n\n"
        "`worldnb.worlds.sample_room` furnishes a room from a seed. Its meshes carry "
        "procedural material textures picked by each piece's catalog `material` (wood grain, "
        "fabric weave, tiles, parquet, painted plaster, wallpaper…), varied per object; small "
        "labelled things (books, cups, plants, cushions, paintings, rugs) rest on supports and "
        "walls. `render_room` lights it: ambient light with contact darkening, sun and sky "
        "through the windows, lamps, and a white balance and exposure of its own per image. "
        "Depth, normals, instance and semantic maps stay exact. This is the training data of "
        "the built-in models; everything runs offline on a CPU.\n\n"
        "![12 rooms before and after](../docs/worlds_before_after.png)"
    ),
    code(
        "import numpy as np\n"
        "from PIL import Image\n"
        "from worldnb import worlds\n"
        "from worldnb.worlds import render_room, room_cameras, sample_room\n\n"
        "\n"
        "def strip(*images):\n"
        "    '''Float images in [0, 1] side by side as one PIL image.'''\n"
        "    return Image.fromarray((np.concatenate(images, 1) * 255).astype(np.uint8))\n"
        "\n"
        "\n"
        "scene = sample_room('living_room', seed=3)\n"
        "print(scene.meta['style'], scene.meta['floor_material'], scene.meta['wall_pattern'])\n"
        "print([(o.label, o.attrs['material'], o.attrs['on']) for o in scene.objects\n"
        "       if o.attrs.get('clutter')])"
    ),
    md(
        "## Lit colour, albedo and exact ground truth\n"
        "`render_room` returns the lit image, the lighting-free albedo (the textures as "
        "`worldnb.render` draws them), a surface map (floor, wall, ceiling, door, window, "
        "object) and the renderer's exact maps."
    ),
    code(
        "cams = room_cameras(scene, 2, 160, np.random.default_rng(4))\n"
        "shot = render_room(scene, cams, seed=0)\n"
        "print([(L.style, np.round(L.white_balance, 2).tolist(), round(L.exposure, 2))\n"
        "       for L in shot.lighting])\n"
        "surface = shot.surface[0] / (len(worlds.SURFACE_LABELS) - 1)\n"
        "strip(shot.rgb[0], shot.albedo[0], np.repeat(surface[..., None], 3, -1))"
    ),
    code("shot.maps[0].panel(('depth', 'normals', 'instance', 'semantic'))"),
    md("## One view, four kinds of light"),
    code(
        "strip(*[render_room(scene, cams[:1], lighting=style, seed=1).rgb[0]\n"
        "        for style in worlds.LIGHTING_STYLES])"
    ),
    md(
        "## Materials\n"
        "Each pattern is a plain function of surface coordinates in metres, so textures keep "
        "their real size at any resolution."
    ),
    code(
        "s, t = np.meshgrid(np.arange(96) * 0.008, np.arange(96) * 0.008)\n"
        "kinds = ['wood', 'parquet', 'tiles', 'fabric', 'plaster', 'wallpaper', 'carpet']\n"
        "strip(*[worlds.textures.pattern(k, s, t, (0.75, 0.6, 0.45), seed=2, texel=0.008)\n"
        "        for k in kinds])"
    ),
    md(
        "## A training set\n"
        "`render_dataset` writes RGB, albedo, depth, normals, semantic, instance and surface "
        "PNGs per view. It renders into a hidden folder and renames it at the end; after an "
        "interruption, the same call resumes from the finished rooms."
    ),
    code(
        "import json, tempfile\n"
        "from pathlib import Path\n\n"
        "out = worlds.render_dataset(1, Path(tempfile.mkdtemp()) / 'rooms', size=64,\n"
        "                            cameras_per_room=2, seed=5, progress=False)\n"
        "print(sorted(p.name for p in (out / 'room_0000').iterdir()))\n"
        "index = json.loads((out / 'index.json').read_text())\n"
        "print(index['maps'], index['surface_labels'])\n"
        "strip(*[np.asarray(Image.open(out / 'room_0000' / f'view_00_{m}.png')) / 255\n"
        "        for m in ('rgb', 'albedo')])"
    ),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
out = Path(__file__).resolve().parents[1] / "notebooks" / "09_procedural_worlds.ipynb"
nbf.write(nb, out)
