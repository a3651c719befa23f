"""Writes notebooks/05_image_to_3d.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# One image → an explorable 3D scene\n\n"
        "`worldnb.generate` turns one photo into a 3D scene: it estimates depth and the "
        "camera, segments the image into rooms parts and furniture, lifts the pixels to a "
        "mesh, 3D Gaussians and points, then walks a camera path and fills what the photo "
        "never saw with a diffusion model.\n\n"
        "With no models named it uses worldnb's **built-in** models (depth, segmentation, "
        "inpainting), shipped inside the package and trained on procedural rooms: it runs "
        "offline on a CPU in well under a minute. Their model cards give the data, the "
        "training and the held-out numbers (`worldnb.models.model_folder('depth') / "
        "'README.md'`)."
    ),
    code(
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "import numpy as np\n"
        "import worldnb\n"
        "from worldnb import models\n"
        "from worldnb.generation import GenerationConfig\n"
        "from worldnb.generation.demo import textured_room, textured_room_camera\n"
        "from worldnb.generation.evaluate import generated_to_true, psnr, surface_distance\n"
        "from worldnb.models.evaluate import heldout_views\n"
        "from worldnb.models.metrics import depth_metrics\n"
        "from worldnb.rendering.visualize import (colorize_depth, colorize_instance, "
        "side_by_side, to_pil)"
    ),
    md(
        "## A held-out procedural room\n"
        "A room the models never saw in training (seed ≥ 1,000,000), rendered at eye height, "
        "so we know the true depth and classes."
    ),
    code(
        "view = heldout_views(1, size=128, views=1, seed=1_000_123)[0]\n"
        "photo = view['rgb'].astype(np.float32) / 255\n"
        "config = GenerationConfig(n_views=2, orbit_deg=15, steps=10, seed=0)\n"
        "scene = worldnb.generate(photo, config)  # built-in depth, segmentation, inpainting\n"
        "scene.meta['backends']"
    ),
    code(
        "{k: round(v, 3) for k, v in scene.meta['timings'].items()}, "
        "depth_metrics(scene.images['depth'], view['depth'])"
    ),
    md(
        "The image, the true depth, the estimated depth, and the instances the segmenter "
        "found (floor, walls and ceiling have none: black)."
    ),
    code(
        "lo, hi = view['depth'][view['depth'] > 0].min(), view['depth'].max()\n"
        "side_by_side([to_pil(photo), to_pil(colorize_depth(view['depth'], lo, hi)),\n"
        "              to_pil(colorize_depth(scene.images['depth'], lo, hi)),\n"
        "              to_pil(colorize_instance(scene.images['segments']))])"
    ),
    code("[(d['label'], round(d['score'], 2)) for d in scene.meta['segments']['instances'][:8]]"),
    md(
        "Each generated view: what the geometry so far showed, and the holes the built-in "
        "diffusion model filled."
    ),
    code(
        "side_by_side([to_pil(scene.images[n]) for n in ('view_01', 'view_02')]\n"
        "             + [to_pil(scene.images[n + '_mask'].astype(np.float32)) "
        "for n in ('view_01', 'view_02')])"
    ),
    md(
        "## A photo-like image\n"
        "A hand-built room with wood, tiles and soft light is closer to a photograph than "
        "the procedural rooms. The models were not trained on it: how far is the generated "
        "surface from the true one?"
    ),
    code(
        "room = textured_room(seed=0)\n"
        "camera = textured_room_camera(96)\n"
        "truth = worldnb.render(room, camera)\n"
        "textured = worldnb.generate(truth.rgb, GenerationConfig(n_views=1, steps=10, seed=0),\n"
        "                            progress=False)\n"
        "T = generated_to_true(textured, camera)\n"
        "pts = textured.layers['points'].xyz @ T[:3, :3].T + T[:3, 3]\n"
        "print(f'median distance to the true surface: '\n"
        "      f'{np.median(surface_distance(pts, room, n=1000)) * 100:.1f} cm')\n"
        "again = worldnb.render(textured, textured.cameras['input'])\n"
        "print(f'input re-rendered: {psnr(again.rgb, truth.rgb):.1f} dB PSNR')"
    ),
    md("## Explore it\nOrbit with the mouse or the sliders; toggle layers."),
    code("view3d = scene.show()\nview3d"),
    md(
        "## The diffusion sliders\n"
        "`GeneratePanel` lets you choose an image (upload or path), set the parameters — "
        "diffusion steps, guidance, strength, seed, views, orbit, dolly — and Run; each "
        "generated view appears as it arrives and the result replaces the scene in the "
        "view above. With no models named it uses the built-ins."
    ),
    code(
        "from worldnb.widgets import GeneratePanel\n\n"
        "panel = GeneratePanel(view3d, config=GenerationConfig(n_views=1, steps=4), image=photo)\n"
        "panel"
    ),
    md("Pressing **Run** does this (in the background, with a Cancel button):"),
    code(
        "panel.controls['seed'].value = 7\n"
        "generated = panel.run(block=True)\n"
        "generated.meta['backends'], generated.meta['seeds']"
    ),
    md(
        "## Photos: swap in a Hugging Face model\n"
        "The built-ins know procedural rooms only. For photographs, name a model when you "
        "are online; it is downloaded once and cached:\n\n"
        "```python\n"
        "scene = worldnb.generate('room.jpg',\n"
        "                         depth='depth-anything/Depth-Anything-V2-Small-hf',\n"
        "                         inpaint='stabilityai/stable-diffusion-2-inpainting')\n"
        "```\n"
        "A local folder written by `save_pretrained` works the same way, offline."
    ),
    md(
        "## Save and export\n"
        "The scene saves to one `.wnb` file (config, backends, seeds and timings included) "
        "and exports to glTF and PLY (Gaussians in the 3D Gaussian Splatting layout). The "
        "command line does the same: `worldnb generate photo.png -o scene.wnb --export "
        "scene.glb scene.ply --seed 0` (built-in models unless `--depth` / `--inpaint` name "
        "others)."
    ),
    code(
        "out = Path(tempfile.mkdtemp())\n"
        "scene.save(out / 'room.wnb'), scene.export(out / 'room.glb'), "
        "scene.export(out / 'room.ply')\n"
        "worldnb.load(out / 'room.wnb').meta['backends']"
    ),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
Path(__file__).resolve().parents[1].joinpath("notebooks", "05_image_to_3d.ipynb").write_text(
    nbf.writes(nb)
)
