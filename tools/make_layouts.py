"""Writes notebooks/04_layouts.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# Layouts: plan a room, critique a real one, sample procedural worlds\n\n"
        "`worldnb.layout.plan` arranges furniture so the hard rules always hold (inside the "
        "room, no overlaps, doors and windows clear, each piece's access space free, a "
        "0.9 m walkway from the door to every piece) and the soft design rules score as "
        "well as they can. It says why each piece is where it is. `critique` lists what is "
        "wrong with any layout, with numbers. `worldnb.worlds` builds furnished rooms from "
        "a seed. Everything runs offline on a CPU."
    ),
    code(
        "import worldnb\n"
        "from worldnb import Opening, OrientedBox, Room, Scene\n"
        "from worldnb.layout import AgainstWall, Facing, InCorner, Near, critique, floor_plan, plan\n"
        "from worldnb.errors import InfeasibleLayoutError\n"
        "from worldnb import catalog\n"
        "from worldnb.worlds import ROOM_KINDS, sample_room"
    ),
    md(
        "## Plan a bedroom\n"
        "Items are catalog categories (real dimension ranges; the middle of the range is "
        "used unless you give a size). With no constraints, the catalog's design rules "
        "apply: bed head against a wall, nightstands beside it, wardrobe against a wall, "
        "the lamp on a nightstand or the desk, the desk near the window."
    ),
    code(
        "room = Room.rectangle(4.2, 3.8, openings=[\n"
        "    Opening('door', 'south', offset=0.9, width=0.9),\n"
        "    Opening('window', 'north', offset=2.0, width=1.2, height=1.2, sill=0.9),\n"
        "])\n"
        "result = plan(room, ['bed', 'nightstand', 'nightstand', 'wardrobe', 'table lamp',\n"
        "                     'desk', 'office chair', 'rug'], seed=0)\n"
        "result  # the constraint report: each rule, hard or soft, satisfied?, measured value"
    ),
    code("for line in result.explain():\n    print('-', line)"),
    code("floor_plan(result.scene, scale=60)"),
    md(
        "Your own constraints replace the default rules (the base rules always stay). "
        "Any constraint can be hard or soft with a weight."
    ),
    code(
        "mine = [\n"
        "    AgainstWall('desk', hard=True),\n"
        "    InCorner('plant', hard=True),\n"
        "    Facing('armchair', 'desk', weight=2),\n"
        "    Near('armchair', 'plant', max=1.0),\n"
        "]\n"
        "r2 = plan(room, ['desk', 'office chair', 'armchair', 'plant'], constraints=mine, seed=1)\n"
        "print(r2.report())\n"
        "floor_plan(r2.scene, scale=60)"
    ),
    md("An impossible request names a small conflicting set in plain words."),
    code(
        "tiny = Room.rectangle(2.5, 2.5, openings=[Opening('door', 'south', 1.25, 0.85)])\n"
        "try:\n"
        "    plan(tiny, [('bed', (1.6, 1.0, 2.1)), ('wardrobe', (1.8, 2.0, 0.6))], time_limit=2)\n"
        "except InfeasibleLayoutError as err:\n"
        "    print(err)\n"
        "    print('conflicts:', err.conflicts)"
    ),
    md(
        "## Critique a real room\n"
        "A ScanNet validation scene (from VSI-Bench's meta info): boxes are messy, there is "
        "no floor polygon (the room is estimated from the objects), doors and windows are "
        "objects. `critique` still reports blocked doors, collisions, narrow walkways and "
        "blocked windows, each with its numbers."
    ),
    code(
        "from pathlib import Path\n"
        "from worldnb.scene.io import load_vsibench\n"
        "# VSI-Bench's meta info is not shipped with worldnb: point this at your copy\n"
        "VSIBENCH = Path('../../shared/data/vsibench-meta/scannet_meta_info_val.json')\n"
        "if VSIBENCH.is_file():\n"
        "    [real] = load_vsibench(VSIBENCH, names=['scene0050_01'])\n"
        "    print(real.meta['scene'], len(real.objects), 'objects:', ', '.join(real.labels()))\n"
        "    for issue in critique(real):\n"
        "        print(f'- [{issue.kind}] {issue}')\n"
        "else:\n"
        "    print('ScanNet meta file not found at', VSIBENCH)"
    ),
    md("A hand-built room with planted problems:"),
    code(
        "bad = Scene(room=Room.rectangle(4, 4, openings=[Opening('door', 'south', 2.0, 0.9)]))\n"
        "bad.add_object('wardrobe', OrientedBox((0, 1.0, 1.3), (1.2, 2.0, 0.6)), front=True)\n"
        "bad.add_object('sofa', OrientedBox((-1.55, 0.4, 0), (2.0, 0.8, 0.9), yaw=-1.5708), front=True)\n"
        "bad.add_object('armchair', OrientedBox((-1.5, 0.45, 0.2), (0.8, 0.9, 0.8)), front=True)\n"
        "for issue in critique(bad):\n"
        "    print(f'- [{issue.kind}] {issue}  (value {issue.value:.2f} {issue.unit})')\n"
        "floor_plan(bad, scale=50)"
    ),
    md(
        "## Procedural worlds\n"
        "`sample_room(kind, seed)` draws a rectangular or L-shaped room with a door and "
        "windows, picks furniture for the kind and plans it. Same seed, same scene. Each "
        "scene carries one `objects` mesh (part-built furniture, per-face object ids) and a "
        "`room` mesh."
    ),
    code(
        "from PIL import Image\n"
        "worlds = {kind: sample_room(kind, seed=7) for kind in ROOM_KINDS}\n"
        "for kind, s in worlds.items():\n"
        "    print(f\"{kind:12s} {s.room.area:5.1f} m²  score {s.meta['layout_score']:.2f}  \"\n"
        "          f\"{', '.join(o.attrs['name'] for o in s.objects)}\")\n"
        "plans = [floor_plan(s, scale=30, labels=False) for s in worlds.values()]\n"
        "sheet = Image.new('RGB', (sum(p.width for p in plans), max(p.height for p in plans)), 'white')\n"
        "x = 0\n"
        "for p in plans:\n"
        "    sheet.paste(p, (x, 0)); x += p.width\n"
        "sheet"
    ),
    md("The catalog: categories, dimension ranges and where the numbers come from."),
    code(
        "for name in catalog.categories()[:8]:\n"
        "    e = catalog.entry(name)\n"
        "    print(f'{name:14s} w {e.width} d {e.depth} h {e.height}  — {e.sources[0]}')\n"
        "print(len(catalog.categories()), 'categories')"
    ),
    code(
        "if VSIBENCH.is_file():\n"
        "    for r in catalog.compare_sizes(load_vsibench(VSIBENCH)):\n"
        "        print(f\"{r['category']:13s} n={r['n']:3d}  catalog {r['catalog']}  ScanNet {r['scannet']}\")"
    ),
    md(
        "## In the live view\n"
        "The bedroom in the 3D view, and the layout panel next to it. The panel starts from "
        "the scene shown (its room kind, size and furniture); change them, press *Plan* or "
        "*Random room*. The view keeps its size: a panel that does not fit beside it wraps "
        "below."
    ),
    code(
        "import ipywidgets\n"
        "from worldnb.widgets import SceneView\n"
        "from worldnb.widgets.layout_panel import LayoutPanel\n"
        "view = SceneView(worlds['bedroom'])\n"
        "panel = LayoutPanel(view)\n"
        "print(panel.kind.value, panel.width.value, panel.depth.value)\n"
        "ipywidgets.HBox([view, panel])"
    ),
    code("res = panel.plan()  # what the Plan button does\nprint(panel.status.value)"),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
out = Path(__file__).resolve().parents[1] / "notebooks" / "04_layouts.ipynb"
nbf.write(nb, out)
