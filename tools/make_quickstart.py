"""Writes notebooks/00_quickstart.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# worldnb quickstart\n\n"
        "Build a small scene by hand — a room with a door and a window, a few pieces of "
        "furniture as oriented boxes, a point cloud — then save it, load it back, export "
        "it, and look at it in the live 3D view. Everything here runs offline on a CPU."
    ),
    nbf.v4.new_code_cell(
        "import math\n"
        "from pathlib import Path\n"
        "import tempfile\n\n"
        "import numpy as np\n"
        "import worldnb\n"
        "from worldnb import Camera, Opening, OrientedBox, PointCloud, Room, Scene"
    ),
    nbf.v4.new_markdown_cell(
        "## A room\n"
        "Floor polygon in metres (x, z), +Y up, floor at y = 0. Walls are named by index "
        "(`wall_0` …) or compass (north = −Z). Openings sit on a wall, `offset` metres "
        "from its start."
    ),
    nbf.v4.new_code_cell(
        "room = Room.rectangle(4.0, 3.5, height=2.6, openings=[\n"
        "    Opening('door', 'south', offset=1.0, width=0.9, height=2.0),\n"
        "    Opening('window', 'north', offset=2.0, width=1.4, height=1.2, sill=0.9),\n"
        "])\n"
        "room, [(w.id, w.compass, round(w.length, 2)) for w in room.walls]"
    ),
    nbf.v4.new_markdown_cell(
        "## Objects\n"
        "Each object is a labelled `OrientedBox` (centre, size = width × height × depth, "
        "yaw about +Y). Objects with a front face their local +Z."
    ),
    nbf.v4.new_code_cell(
        "scene = Scene(room=room)\n"
        "bed = scene.add_object('bed', OrientedBox((0.8, 0.3, -0.7), (1.6, 0.6, 2.0)), front=True)\n"
        "nightstand = scene.add_object('nightstand', OrientedBox((-0.3, 0.25, -1.5), (0.45, 0.5, 0.4)))\n"
        "chair = scene.add_object('chair', OrientedBox((-1.3, 0.45, 0.9), (0.5, 0.9, 0.5), yaw=math.pi / 4),\n"
        "                         front=True, color='red')\n"
        "[(o.id, o.label, o.box.footprint().area) for o in scene.objects]"
    ),
    nbf.v4.new_markdown_cell("## A point cloud and a camera"),
    nbf.v4.new_code_cell(
        "rng = np.random.default_rng(0)\n"
        "floor = rng.uniform([-2, 0, -1.75], [2, 0, 1.75], (3000, 3))\n"
        "colours = np.tile([0.55, 0.45, 0.35], (len(floor), 1)) + rng.normal(0, 0.03, (len(floor), 3))\n"
        "scene.layers['points'] = PointCloud(floor, rgb=np.clip(colours, 0, 1))\n"
        "scene.cameras['corner'] = Camera.look_at(eye=(-1.8, 1.6, 1.6), target=(0.5, 0.5, -0.5),\n"
        "                                         width=320, height=240)\n"
        "uv, depth = scene.cameras['corner'].project([bed.box.center])\n"
        "print('bed centre seen at pixel', uv[0].round(1), 'depth', depth[0].round(2), 'm')\n"
        "scene"
    ),
    nbf.v4.new_markdown_cell(
        "## Save, load, export\n"
        "`.wnb` is a zip of a JSON manifest and safetensors arrays (never pickle). "
        "Exports go by extension: `.glb` (any glTF viewer), `.ply`, `.json`."
    ),
    nbf.v4.new_code_cell(
        "out = Path(tempfile.mkdtemp())\n"
        "scene.save(out / 'bedroom.wnb')\n"
        "again = worldnb.load(out / 'bedroom.wnb')\n"
        "assert again == scene\n"
        "for ext in ('glb', 'ply', 'json'):\n"
        "    scene.export(out / f'bedroom.{ext}')\n"
        "sorted((p.name, p.stat().st_size) for p in out.iterdir())"
    ),
    nbf.v4.new_markdown_cell(
        "## The live view\nDrag to orbit; the sliders follow, and moving a slider moves the camera."
    ),
    nbf.v4.new_code_cell("view = scene.show()\nview"),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
Path(__file__).resolve().parents[1].joinpath("notebooks", "00_quickstart.ipynb").write_text(
    nbf.writes(nb)
)
