"""Writes notebooks/02_live_view.ipynb (a script, so the notebook stays reviewable).

Run: .venv/bin/python tests/widgets/make_live_view_notebook.py
"""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# The live 3D view\n\n"
        "`scene.show()` gives a `SceneView`: a pythreejs canvas plus sliders and toggles. "
        "Drag the canvas to orbit (right-drag pans, the wheel zooms); the azimuth, "
        "elevation, distance and field-of-view sliders follow when you let go, and moving "
        "a slider moves the camera. Everything below runs offline on a CPU."
    ),
    code(
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "import numpy as np\n"
        "import worldnb\n"
        "from worldnb import Camera, Gaussians, PointCloud, worlds\n"
        "from worldnb.errors import InputError\n"
        "from worldnb.widgets import SceneView, studio\n\n"
        "scene = worlds.sample_room('bedroom', seed=0)  # a furnished procedural room\n"
        "scene"
    ),
    md(
        "## A photo camera\n"
        "Scene cameras are drawn as frusta with a thumbnail of the scene image of the "
        "same name. Here the image is the offscreen renderer's picture from that camera."
    ),
    code(
        "photo = Camera.look_at(eye=(1.6, 1.5, 1.7), target=(0, 0.5, 0), fov_y_deg=60,\n"
        "                       width=96, height=72)\n"
        "shot = worldnb.render(scene, photo, device='cpu')\n"
        "scene.cameras['photo'] = photo\n"
        "scene.images['photo'] = shot.rgb\n"
        "shot.rgb.shape"
    ),
    md("## Show it"),
    code("view = scene.show(width=640, height=400)\nview"),
    md(
        "## Camera: sliders, `view.camera`, `set_camera`, `look_at`\n"
        "`view.camera` is a `worldnb.Camera` equal to what the browser shows (the canvas "
        "size, the current pose and field of view)."
    ),
    code("view.azimuth.value = 60\nview.elevation.value = 35\nprint(view.orbit)\nview.camera"),
    code(
        "view.set_camera('photo')          # see the room from the photo camera\n"
        "print(np.round(view.camera.position, 3), round(view.camera.fov_y_deg, 1))\n"
        "bed = next(o for o in scene.objects if o.label == 'bed')\n"
        "view.look_at(bed.id)              # turn to the bed\n"
        "print(view.orbit)"
    ),
    md(
        "## Highlight objects\n"
        "The question panel uses this to show the objects an answer speaks of. An "
        "unknown id is a clear `InputError`, and the view keeps working."
    ),
    code(
        "view.highlight([bed.id], color='#ff8800')\n"
        "print(view.highlighted)\n"
        "try:\n"
        "    view.highlight([999])\n"
        "except InputError as err:\n"
        "    print('InputError:', err)"
    ),
    code("view.clear_highlight()\nview.highlighted"),
    md(
        "## Layers, updated in place\n"
        "A point cloud from the photo's depth map, and a few 3D Gaussians (drawn as "
        "oriented, shaded sprites, sorted back to front). `update_layer` replaces a "
        "layer's buffers; the renderer stays and the camera does not jump. Layer toggles "
        "are under the sliders (`view.toggles`)."
    ),
    code(
        "xyz = photo.unproject(shot.depth).reshape(-1, 3)\n"
        "ok = np.isfinite(xyz).all(1)\n"
        "scan = PointCloud(xyz[ok], shot.rgb.reshape(-1, 3)[ok])\n"
        "view.update_layer('scan', scan)\n"
        "rng = np.random.default_rng(0)\n"
        "n = 400\n"
        "splats = Gaussians(\n"
        "    means=rng.normal([0, 1.6, 0], [0.6, 0.2, 0.6], (n, 3)),\n"
        "    scales=np.log(rng.uniform(0.02, 0.08, (n, 3))),\n"
        "    quats=rng.normal(size=(n, 4)),\n"
        "    opacities=np.full(n, 1.0),\n"
        "    colors=rng.uniform(0.3, 1.0, (n, 3)),\n"
        ")\n"
        "view.update_layer('splats', splats)\n"
        "view.toggles['labels'].value = False\n"
        "sorted(view.toggles)"
    ),
    md(
        "## Big layers are subsampled for display, with a visible note\n"
        "Arrays go to the browser as binary float32 / uint8 buffers (15 bytes a point)."
    ),
    code(
        "big = PointCloud(rng.normal(size=(200_000, 3)).astype(np.float32),\n"
        "                 rng.integers(0, 256, (200_000, 3), dtype=np.uint8))\n"
        "small_view = SceneView(worldnb.Scene(layers={'cloud': big}), max_points=50_000,\n"
        "                       width=320, height=200, background='#202020')\n"
        "print(small_view.notes)\n"
        "small_view"
    ),
    md(
        "## A page that needs no kernel\n"
        "`scene.to_html(path)` writes one self-contained HTML file (the widget code is "
        "inlined; no network). Orbiting and the toggles work there; the sliders need a "
        "kernel."
    ),
    code(
        "out = scene.to_html(Path(tempfile.mkdtemp()) / 'bedroom.html', width=640, height=400)\n"
        "print(out.name, f'{out.stat().st_size / 1e6:.1f} MB')"
    ),
    md(
        "## The studio\n"
        "`worldnb.studio(scene)` puts the view next to the panels that are installed "
        "(questions, layout, generation), which act on the view."
    ),
    code("box = studio(scene, width=480, height=320)\nprint(list(box.panels))\nbox"),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
out = Path(__file__).resolve().parents[2] / "notebooks" / "02_live_view.ipynb"
nbf.write(nb, out)
print(f"wrote {out}")
