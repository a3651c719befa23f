"""Writes notebooks/07_understand_a_photo.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# Understand a photo: room, objects, questions, critique, a new layout\n\n"
        "`worldnb.understand` turns one image into a room (floor, walls, height, doors and "
        "windows) and labelled objects with boxes, so that `ask`, `layout.critique` and "
        "`layout.plan` work on it.\n\n"
        "This notebook runs offline on a CPU. The photo is a render of a procedural bedroom, "
        "so we know the truth. Depth and segmentation come from *oracles* that render the true "
        "scene (`worldnb.testing`); with the built-in models (`depth='builtin'`, "
        "`segment='builtin'`, the defaults) the same calls work from a real photo, less "
        "accurately (`benchmarks/results/understand.json` has the numbers)."
    ),
    code(
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "import numpy as np\n"
        "import worldnb\n"
        "from worldnb import Camera, catalog, layout, worlds\n"
        "from worldnb.testing import OracleDepth, OracleSegmenter"
    ),
    md("## The photo\nA bedroom and a camera by the wall opposite its window."),
    code(
        "true = worlds.sample_room('bedroom', seed=1, size=(4.0, 3.6), textures=False)\n"
        "shown = true.copy()\n"
        "shown.layers['room'] = catalog.room_mesh(true.room, ceiling=True)\n"
        "window = true.room.windows[0]\n"
        "c = true.room.opening_center(window)\n"
        "eye = np.array([c[0], c[-1]]) + true.room.wall(window.wall).normal * 3.0\n"
        "camera = Camera.look_at((eye[0], 1.6, eye[1]), (0.6 * c[0], 0.6, 0.6 * c[-1]),\n"
        "                        fov_y_deg=75, width=128, height=96)\n"
        "shot = worldnb.render(shown, camera)\n"
        "photo = shot.rgb  # (96, 128, 3) float32 in [0, 1]\n"
        "shot.image().resize((256, 192))"
    ),
    md(
        "## Understand it\n"
        "The floor is found by RANSAC and the scene turned so +Y is up with the floor at "
        "y = 0; the walls give the room's outline where they are seen (a recess whose two "
        "walls are seen is cut out: L-shaped rooms keep their shape). Sides whose walls are "
        "not seen, such as the one behind the camera, are closed so that the room has the "
        "typical floor area of its kind, or what was seen, if more: the objects found tell "
        "the kind (a bed makes a bedroom, about 14 m²); `info['kind']` and "
        "`info['closed']` say which kind and by how much. Each object gets a yaw box, "
        "completed toward the catalog's typical size where it is cut off, with a "
        "confidence and the share of it that was seen."
    ),
    code(
        "scene = worldnb.understand(photo, depth=OracleDepth(shown, camera),\n"
        "                           segment=OracleSegmenter(shown, camera))\n"
        "info = scene.meta['understand']\n"
        "print(info['room'], '| walls seen:', info['walls_seen'], '| height from',\n"
        "      info['height_source'], f\"{scene.room.height:.2f} m\")\n"
        "print('sides:', info['sides'], '| closed (m):', info.get('closed'))\n"
        "print('kind:', info['kind'], f\"| floor {scene.room.area:.1f} m² (true {true.room.area:.1f} m²)\")\n"
        "for o in scene.objects:\n"
        "    print(f\"{o.label:12s} confidence {o.attrs['confidence']:.2f}  \"\n"
        "          f\"seen {o.attrs['visible_fraction']:.0%}  size {np.round(o.box.size, 2)}\")"
    ),
    md(
        "## Ask\n"
        "Answers about an understood scene say they are estimates, and their evidence "
        "carries the objects' confidences. The true scene answers the same question for "
        "comparison (its compass differs: the estimate's north is where the camera looked)."
    ),
    code(
        "answer = scene.ask('how far is the bed from the window?')\n"
        "print(answer.text)\n"
        "print('evidence:', answer.evidence['confidence'])\n"
        "print('truth:   ', true.ask('how far is the bed from the window?').text)"
    ),
    code("scene.ask('how big is the bed?').text, scene.ask('how many beds are there?').text"),
    md("## Critique the layout it found"),
    code("[issue.message for issue in layout.critique(scene)]"),
    md(
        "## Plan a rearrangement\n"
        "The planner keeps doors and windows clear and walkways open in the estimated room."
    ),
    code(
        "furniture = [o.label for o in scene.objects\n"
        "             if catalog.entry(o.label).placement == 'floor' and not catalog.entry(o.label).clutter]\n"
        "result = layout.plan(scene.room, furniture, seed=0, time_limit=3)\n"
        "print(result.report())"
    ),
    md(
        "## The live view\n"
        "The lifted points carry the object ids, so the view draws the photo's points with "
        "the answer's objects highlighted (in a browser; offline runs only build it)."
    ),
    code("view = scene.show()\nview.highlight(answer.highlight)\nview"),
    md(
        "## SpatialLM interop\n"
        "The room and boxes export to SpatialLM's layout text (z up) and load back."
    ),
    code(
        "path = scene.export(Path(tempfile.mkdtemp()) / 'room.txt', format='spatiallm')\n"
        "print(path.read_text())\n"
        "[o.label for o in worldnb.load(path, format='spatiallm').objects]"
    ),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
Path(__file__).resolve().parents[1].joinpath("notebooks", "07_understand_a_photo.ipynb").write_text(
    nbf.writes(nb)
)
