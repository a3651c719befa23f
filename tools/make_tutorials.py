"""Writes the tutorial series notebooks/tutorials/*.ipynb (a script, so the notebooks are
reviewable).

    python tools/make_tutorials.py                # write every tutorial (no outputs)
    python tools/make_tutorials.py --execute      # write them and run them, storing outputs
    python tools/make_tutorials.py 01 --execute   # only the tutorials whose name starts so

The committed notebooks are the executed ones (outputs stored, so the docs site and a
reader on GitHub see the pictures). Each exercise is four cells:

- a code cell the student fills: ``answer = ...`` (tag ``exercise``);
- a self-check cell (tag ``self-check``): ``check(answer, is_right, hint)`` prints the
  hint while the answer is still ``...``, ``✓`` when ``is_right(answer)``, and raises an
  ``AssertionError`` carrying the hint when it is wrong, so the committed notebook (the
  placeholder left in) passes under nbval;
- the solution, a code cell that is executed (nbval proves it passes its check) and
  collapsed: ``metadata.jupyter.source_hidden`` (JupyterLab 4 and Notebook 7 show a
  "⋯" bar that opens it) and tag ``solution`` (the docs site folds cells with that tag
  into a "Solution" toggle; nbconvert gives them the CSS class ``celltag_solution``).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks" / "tutorials"

# (file stem, title) in story order: the series' table of contents
SERIES = [
    ("01_from_a_photo_to_a_scene", "From a photo to a scene"),
    ("02_look_around", "Look around"),
    ("03_ask", "Ask"),
    ("04_critique_and_rearrange", "Critique and rearrange"),
    ("05_generate_variations", "Generate variations"),
    ("06_train_your_own_model", "Train your own model"),
]

# One self-check helper, the same in every tutorial (each notebook stands alone: Binder,
# the docs site and a downloaded copy need no helper file beside it).
CHECK = '''\
def check(answer, is_right, hint):
    """Self-check an exercise: ✓ when is_right(answer); the hint while the answer is
    still ...; an AssertionError with the hint when it is wrong."""
    if answer is ...:
        print(f"✎ Not answered yet: replace the ... and run the cell again.\\n  Hint: {hint}")
        return
    try:
        right = bool(is_right(answer))
    except Exception as err:  # a wrong type or shape is a wrong answer too
        raise AssertionError(f"Not quite ({type(err).__name__}: {err}).\\n  Hint: {hint}") from None
    assert right, f"Not quite.\\n  Hint: {hint}"
    print("✓ Correct!")'''

# The room of the whole story: a procedural bedroom with a held-out seed (the built-in
# models never trained on it), saved beside the notebooks (see write_room), and the photo.
ROOM_FILE = OUT / "bedroom.wnb"
ROOM_KIND, ROOM_SEED = "bedroom", 1_000_004
STORY = """\
room = worldnb.load("bedroom.wnb")  # the room the photo was taken in
photo_camera = Camera.look_at(eye=(1.3, 1.5, -0.2), target=(-1.2, 0.5, 0.9),
                              fov_y_deg=65, width=128, height=96)
shot = worlds.render_room(room, [photo_camera], seed=0)
photo = shot.rgb[0]  # (96, 128, 3) float32 in [0, 1]"""


def md(text: str, **meta) -> nbf.NotebookNode:
    cell = nbf.v4.new_markdown_cell(text)
    cell.metadata.update(meta)
    return cell


def code(src: str, tags: tuple[str, ...] = (), hidden: bool = False) -> nbf.NotebookNode:
    cell = nbf.v4.new_code_cell(src)
    if tags:
        cell.metadata["tags"] = list(tags)
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def header(i: int, intro: str, goals: list[str], minutes: int) -> nbf.NotebookNode:
    """The first cell: title, where this part sits in the story, learning goals."""
    title = SERIES[i][1]
    parts = " → ".join(
        f"**{t}**" if j == i else f"[{t}]({s}.ipynb)" if s in TUTORIALS else t
        for j, (s, t) in enumerate(SERIES)
    )
    goal_lines = "\n".join(f"- {g}" for g in goals)
    return md(
        f"# {i + 1} · {title}\n\n"
        f"*worldnb tutorials, part {i + 1} of {len(SERIES)}:* {parts}\n\n"
        f"{intro}\n\n"
        f"**You will learn to**\n{goal_lines}\n\n"
        f"About {minutes} minutes. Everything runs offline on a CPU with worldnb's built-in "
        "models and procedural rooms: nothing is downloaded. Run the cells from the top "
        "(*Run → Run All Cells* works too). Exercises have a self-check cell under them; "
        "each solution is in a collapsed cell after its check: click its **⋯** to open it."
    )


def footer(i: int) -> nbf.NotebookNode:
    if i + 1 < len(SERIES) and SERIES[i + 1][0] in TUTORIALS:
        stem, title = SERIES[i + 1]
        nxt = f"Next: [{i + 2} · {title}]({stem}.ipynb)."
    else:
        nxt = "The other notebooks in `notebooks/` go deeper into each engine."
    return md(f"---\n{nxt}")


def exercise(
    n: int, task: str, placeholder: str, check: str, solution: str
) -> list[nbf.NotebookNode]:
    """An exercise: task, a cell to fill, its self-check, the collapsed solution (which
    runs the same check, so the solution is tested whenever the notebook runs)."""
    return [
        md(f"### ✎ Exercise {n}\n{task}"),
        code(placeholder, tags=("exercise",)),
        code(f"# self-check\n{check}", tags=("self-check",)),
        code(f"# Solution\n{solution}\n{check}", tags=("solution",), hidden=True),
    ]


# ---- 1 · From a photo to a scene ----------------------------------------------------


def tutorial_01() -> list[nbf.NotebookNode]:
    return [
        header(
            0,
            "This series follows one bedroom from a single photo to a world model you "
            "train yourself. Here the photo becomes a 3D scene: worldnb estimates how far "
            "away every pixel is (depth), works out the camera, and lifts each pixel to a "
            "point in 3D. You will do that last step by hand.",
            [
                "turn an image into a `Scene` with `worldnb.generate` and say what it holds",
                "read a depth map, and measure how far an estimate is from the truth",
                "read a pinhole camera's intrinsics `K`: focal length, centre, field of view",
                "lift a pixel with its depth to a 3D point, as the pipeline does",
                "save a scene to one file and load it back",
            ],
            15,
        ),
        code(
            "import tempfile\n"
            "from pathlib import Path\n\n"
            "import numpy as np\n"
            "import worldnb\n"
            "from worldnb import Camera, worlds\n"
            "from worldnb.models.metrics import depth_metrics\n"
            "from worldnb.rendering.visualize import colorize_depth, side_by_side, to_pil\n\n"
            f"{CHECK}"
        ),
        md(
            "## The photo\n"
            "Our photo is rendered from a procedural bedroom, "
            "`worlds.sample_room('bedroom', seed=1_000_004)`, saved in `bedroom.wnb` beside "
            "this notebook: a room the built-in models never saw in training. "
            "`worlds.render_room` lights it (sun through the window, lamps, white balance). "
            "Because it is rendered, we also know the truth: the exact distance of every "
            "pixel from the camera."
        ),
        code(
            f"{STORY}\ntrue_depth = shot.maps.depth[0]  # metres, exact\nto_pil(photo).resize((384, 288))"
        ),
        md(
            "## Photo → scene\n"
            "`worldnb.generate` runs the whole pipeline. With no models named it uses the "
            "built-in ones. `n_views=0` keeps to what the photo shows; later parts walk the "
            "camera around (part 2) and make variations (part 5)."
        ),
        code(
            "scene = worldnb.generate(photo, worldnb.GenerationConfig(n_views=0), progress=False)\n"
            "print(scene)\n"
            "print('models:', scene.meta['backends'])\n"
            "print('images:', list(scene.images), '| cameras:', list(scene.cameras))"
        ),
        md(
            "A `Scene` is the one data model of worldnb: a `room` (estimated here), "
            "`objects`, geometry `layers` (a mesh, 3D Gaussians and a point cloud, one point "
            "per pixel), `cameras`, source `images`, and `meta` (the settings, models, seeds "
            "and timings that made it).\n\n"
            "## Depth\n"
            "The depth map says, per pixel, how far the surface is along the camera's "
            "viewing axis, in metres. Left to right: the photo, the true depth, the "
            "estimate (near = dark, far = bright, same scale)."
        ),
        code(
            "estimated_depth = scene.images['depth']\n"
            "lo, hi = true_depth.min(), true_depth.max()\n"
            "side_by_side([to_pil(photo), to_pil(colorize_depth(true_depth, lo, hi)),\n"
            "              to_pil(colorize_depth(estimated_depth, lo, hi))])"
        ),
        code(
            "# abs_rel: mean |estimate − truth| / truth; delta1: share of pixels within 25 %\n"
            "depth_metrics(estimated_depth, true_depth)"
        ),
        md(
            "## The camera\n"
            "A pinhole camera maps a point `(x, y, z)` in front of it (camera axes: x right, "
            "y down, z forward, metres) to the pixel\n\n"
            "$$u = f_x \\frac{x}{z} + c_x, \\qquad v = f_y \\frac{y}{z} + c_y$$\n\n"
            "`u` is the column and `v` the row, in pixels; pixel centres sit at `+0.5`. "
            "The focal lengths `fx`, `fy` and the centre `cx`, `cy` are the *intrinsics* "
            "`K = [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]`. worldnb estimated them from the "
            "photo alone:"
        ),
        code("camera = scene.cameras['input']\nprint(camera)\ncamera.K"),
        *exercise(
            1,
            "The vertical *field of view* is the angle between the top and the bottom edge "
            "of the image, seen from the camera. Compute it in degrees from `camera.K` and "
            "`camera.height` (a right triangle: half the image height over the focal length).",
            "fov_y = ...  # degrees, computed from camera.K and camera.height",
            "check(fov_y, lambda a: abs(a - camera.fov_y_deg) < 0.1,\n"
            "      'tan(fov_y / 2) = (height / 2) / fy, with fy = K[1, 1]; '\n"
            "      'np.degrees turns radians into degrees.')",
            "fov_y = np.degrees(2 * np.arctan(camera.height / 2 / camera.K[1, 1]))",
        ),
        md(
            "It is close to the true camera's field of view, which worldnb never saw: "
            "`photo_camera.fov_y_deg`."
        ),
        code("round(camera.fov_y_deg, 1), round(photo_camera.fov_y_deg, 1)"),
        md(
            "## Lift a pixel to 3D\n"
            "Run the camera equation backwards: a pixel `(u, v)` with depth `z` comes from "
            "the camera-frame point\n\n"
            "$$x = \\frac{u - c_x}{f_x} z, \\qquad y = \\frac{v - c_y}{f_y} z.$$\n\n"
            "The camera's *pose* `T_world_camera` (4×4) then maps camera coordinates to "
            "world coordinates: `p_world = R @ p_camera + t` with `R = T[:3, :3]`, "
            "`t = T[:3, 3]`. The world has +Y up, metres, the floor at y = 0."
        ),
        *exercise(
            2,
            "Lift the pixel in row 50, column 55 (on the bed) to a 3D point in "
            "world coordinates, using its estimated depth. Remember the pixel centre: "
            "`u = col + 0.5`.",
            "row, col = 50, 55\n"
            "z = estimated_depth[row, col]\n"
            "point = ...  # a (3,) array: the pixel's 3D point in world coordinates",
            "check(point, lambda p: np.allclose(p, camera.unproject(estimated_depth)[row, col],\n"
            "                                   atol=1e-3),\n"
            "      'x = (u - cx) / fx * z and y = (v - cy) / fy * z with u = col + 0.5, '\n"
            "      'v = row + 0.5; then R @ [x, y, z] + t with R, t from camera.T_world_camera.')",
            "fx, fy, cx, cy = camera.K[0, 0], camera.K[1, 1], camera.K[0, 2], camera.K[1, 2]\n"
            "p_camera = np.array([(col + 0.5 - cx) / fx * z, (row + 0.5 - cy) / fy * z, z])\n"
            "T = camera.T_world_camera\n"
            "point = T[:3, :3] @ p_camera + T[:3, 3]",
        ),
        md(
            "Done for every pixel at once, that is `camera.unproject(depth)`, and it is "
            "exactly the scene's point cloud: one point per pixel, coloured by the photo. "
            "The y coordinate is the height above the floor. How high is the bed's top by "
            "the estimate, and by the truth (the true depth through the true camera)?"
        ),
        code(
            "points = camera.unproject(estimated_depth)  # (H, W, 3) world points\n"
            "print('same as the point layer:', np.allclose(points.reshape(-1, 3), "
            "scene.layers['points'].xyz, atol=1e-5))\n"
            "true_points = photo_camera.unproject(true_depth)\n"
            "print(f'pixel ({row}, {col}) is {points[row, col, 1]:.2f} m above the floor '\n"
            "      f'(truth: {true_points[row, col, 1]:.2f} m)')"
        ),
        md(
            "## Save it\n"
            "A scene saves to one `.wnb` file (a zip of a JSON manifest and safetensors "
            "arrays, never pickle) and exports to glTF (`.glb`), `.ply` and `.json`. A "
            "generated scene saves *compact* (colours in 8 bits, positions to within 2 mm); "
            "`precision='full'` keeps every bit."
        ),
        code(
            "folder = Path(tempfile.mkdtemp())\n"
            "path = scene.save(folder / 'bedroom.wnb')\n"
            "again = worldnb.load(path)\n"
            "moved = np.abs(again.layers['points'].xyz - scene.layers['points'].xyz).max()\n"
            "print(f'{path.name}: {path.stat().st_size / 1e6:.2f} MB; loaded back: {again}')\n"
            "print(f'points moved by at most {moved * 1000:.2f} mm')\n"
            "scene.export(folder / 'bedroom.glb').name"
        ),
        md(
            "## What you learned\n"
            "- `worldnb.generate(image)` gives a `Scene`: layers, cameras, images and meta.\n"
            "- A depth map plus the intrinsics `K` is enough to put every pixel in 3D; the "
            "pose `T_world_camera` places it in the world.\n"
            "- Small built-in models get the room's shape roughly right (`abs_rel` above): "
            "part 6 shows how they are trained, and how to train your own."
        ),
        footer(0),
    ]


# ---- 2 · Look around ---------------------------------------------------------------


def tutorial_02() -> list[nbf.NotebookNode]:
    return [
        header(
            1,
            "A photo shows a room from one place. The scene from part 1 is 3D, so we can "
            "move the camera: step back, walk around, look down from above. You will build "
            "cameras by hand, render the scene from them, and see what one photo cannot "
            "know.",
            [
                "read a camera pose `T_world_camera`: where the camera is, where it looks",
                "move a camera and render the scene from the new place with `worldnb.render`",
                "measure how much of a new view the photo covers (`alpha`), and why "
                "generation needs a model that fills the rest",
                "drive the live 3D view from code and read its camera back",
            ],
            15,
        ),
        code(
            "import numpy as np\n"
            "import worldnb\n"
            "from worldnb import Camera, rendering, worlds\n"
            "from worldnb.rendering.visualize import side_by_side, to_pil\n\n"
            f"{CHECK}"
        ),
        md("The photo and the scene from part 1 (the same seed gives the same room and photo):"),
        code(
            f"{STORY}\n"
            "scene = worldnb.generate(photo, worldnb.GenerationConfig(n_views=0), progress=False)\n"
            "camera = scene.cameras['input']\n"
            "to_pil(photo).resize((256, 192))"
        ),
        md(
            "## Where is the camera?\n"
            "`T_world_camera` maps camera coordinates to world coordinates. Its columns say "
            "it all: the camera's right, down and forward directions in the world, then its "
            "position (the last column)."
        ),
        code(
            "np.set_printoptions(precision=2, suppress=True)\n"
            "print(camera.T_world_camera)\n"
            "print('position:', camera.position, '| forward:', camera.forward)"
        ),
        md(
            "Rendering the scene from its own camera gives the photo back (up to the mesh's edges):"
        ),
        code(
            "again = worldnb.render(scene, camera, layers='mesh')\n"
            "side_by_side([to_pil(photo), to_pil(again.rgb)])"
        ),
        *exercise(
            1,
            "Step back: make the pose of a camera 1 m *behind* the photo's camera, looking "
            "the same way (same rotation). Start from a copy: "
            "`T = camera.T_world_camera.copy()`.",
            "T_back = ...  # a (4, 4) pose, 1 m behind camera",
            "check(T_back, lambda T: np.allclose(T[:3, :3], camera.T_world_camera[:3, :3])\n"
            "      and np.allclose(T[:3, 3], camera.position - camera.forward, atol=1e-4),\n"
            "      'Only the position (T[:3, 3]) changes: subtract 1 m along the forward '\n"
            "      'direction, camera.forward (the third column, T[:3, 2]).')",
            "T_back = camera.T_world_camera.copy()\nT_back[:3, 3] -= 1.0 * camera.forward",
        ),
        md(
            "Render the generated scene from there, and the true room from the same step "
            "back behind the true camera (the generated scene has a world frame of its own: "
            "floor at y = 0, but its own x and z). The generated one has nothing where the "
            "photo never looked: its borders are empty (white)."
        ),
        code(
            "back = camera.with_pose(T_back)\n"
            "generated_view = worldnb.render(scene, back, layers='mesh')\n"
            "T_true = photo_camera.T_world_camera.copy()\n"
            "T_true[:3, 3] -= photo_camera.forward  # the same step in the true room\n"
            "true_view = worldnb.render(room, photo_camera.with_pose(T_true))\n"
            "side_by_side([to_pil(true_view.rgb), to_pil(generated_view.rgb)])"
        ),
        md(
            "## Walk around\n"
            "`rendering.orbit` puts cameras on a circle around a point, all looking at it. "
            "Around the middle of the scene, swinging ±30° from the photo's direction:"
        ),
        code(
            "center = scene.layers['points'].xyz.mean(0)\n"
            "to_camera = camera.position - center\n"
            "start = np.degrees(np.arctan2(to_camera[0], to_camera[2]))  # the photo's azimuth\n"
            "path = rendering.orbit(center, radius=2.5, elevation_deg=20, n=3,\n"
            "                       start_deg=start - 30, end_deg=start + 30,\n"
            "                       fov_y_deg=65, width=128, height=96)\n"
            "views = worldnb.render(scene, path, layers='mesh')  # one call, 3 cameras\n"
            "side_by_side([to_pil(rgb) for rgb in views.rgb])"
        ),
        md(
            "Every render also returns `alpha`: per pixel, how much of it the scene covers "
            "(1) or leaves to the background (0)."
        ),
        *exercise(
            2,
            "For each of the 3 orbit views, compute the *coverage*: the fraction of its "
            "pixels with `alpha > 0.5`. `views.alpha` has shape `(3, H, W)`.",
            "coverage = ...  # 3 numbers in [0, 1], one per view",
            "check(coverage, lambda c: np.allclose(c, (views.alpha > 0.5).mean(axis=(1, 2)), "
            "atol=1e-6),\n"
            "      'A boolean array has a mean: the share of True. Average over the two '\n"
            "      'image axes (1, 2), keeping the view axis 0.')",
            "coverage = (views.alpha > 0.5).mean(axis=(1, 2))",
        ),
        code(
            "for cam, c in zip(path, coverage):\n"
            "    angle = np.degrees(np.arccos(np.clip(cam.forward @ camera.forward, -1, 1)))\n"
            "    print(f'{angle:5.1f}° away from the photo: {c:.0%} covered')"
        ),
        md(
            "The farther from the photo, the more is missing. A world model has to *imagine* "
            "the rest: `worldnb.generate(photo, GenerationConfig(n_views=2))` walks such a "
            "path and fills each hole with a diffusion model before lifting it to 3D "
            "(`notebooks/05_image_to_3d.ipynb`; part 5 makes variations of it).\n\n"
            "## The live view\n"
            "`scene.show()` opens the scene in an interactive 3D view: drag to orbit, scroll "
            "to zoom, or use the sliders. The sliders and the 3D camera follow each other, "
            "and code can set them too. (The view needs a running kernel: on the docs site "
            "you see a still.)"
        ),
        code("view = scene.show(width=480, height=320)\nview"),
        *exercise(
            3,
            "Give the view a bird's-eye look: choose the `elevation` (degrees above the "
            "horizon) so the camera looks almost straight down (its forward direction "
            "within about 25° of −Y). The check sets the slider and reads back "
            "`view.camera`.",
            "elevation = ...  # degrees",
            "def looks_down(e):\n"
            "    view.elevation.value = e\n"
            "    return view.camera.forward[1] < -0.9\n\n"
            "check(elevation, looks_down,\n"
            "      f'0° looks level, 90° straight down; the slider goes from '\n"
            "      f'{view.elevation.min:g} to {view.elevation.max:g} degrees.')",
            "elevation = 80",
        ),
        md(
            "`view.camera` is an ordinary `Camera`, so the offscreen renderer can draw what "
            "the live view shows:"
        ),
        code(
            "view.distance.value = 6  # metres: come closer\n"
            "print(view.camera)\n"
            "to_pil(worldnb.render(scene, view.camera.resized(192, 128), layers='mesh').rgb)"
        ),
        md(
            "## What you learned\n"
            "- A pose's columns are the camera's axes and position; moving a camera is "
            "changing them.\n"
            "- `worldnb.render(scene, cameras)` draws any view; `alpha` tells what the scene "
            "covers. One photo covers less and less as you move away.\n"
            "- The live view and code share one camera: set sliders, read `view.camera`."
        ),
        footer(1),
    ]


# ---- 3 · Ask -------------------------------------------------------------------------


def tutorial_03() -> list[nbf.NotebookNode]:
    return [
        header(
            2,
            "A world model should answer questions about space: how far, how big, how "
            "many, what is left of what, how to get there. `scene.ask` answers them in "
            "English, by rule, with the numbers it used as evidence. You will ask, read "
            "the evidence, see why *left* needs a point of view, and compute some answers "
            "yourself.",
            [
                "ask questions with `scene.ask` and read an `Answer`: value, unit, text, "
                "evidence, highlight, status",
                "recognise answers that ask back (ambiguous) or say no (absent)",
                "say in which *frame* a direction is judged: the viewer's or the room's",
                "compute a floor area and a nearest object yourself with the structured "
                "API (`worldnb.spatial`)",
            ],
            15,
        ),
        code(
            "import numpy as np\n"
            "import worldnb\n"
            "from worldnb import Camera, spatial, worlds\n"
            "from worldnb.layout import floor_plan\n"
            "from worldnb.rendering.visualize import to_pil\n\n"
            f"{CHECK}"
        ),
        md(
            "The built-in models are small: from one photo they find the floor and the "
            "walls, but only some of the furniture, roughly. To learn to ask, we use the "
            "room the photo was taken in, whose objects are exact. From a photo, "
            "`worldnb.understand(photo)` builds the same kind of scene (with estimated boxes; "
            "see `notebooks/07_understand_a_photo.ipynb`), and every question below works "
            "on it.\n\n"
            "We also give the room the photo's camera: a viewer to judge *left* and *right* "
            "from."
        ),
        code(
            f"{STORY}\n"
            "room.cameras['photo'] = photo_camera\n"
            "print(room)\n"
            "print(', '.join(o.name for o in room.objects))\n"
            "to_pil(photo).resize((256, 192))"
        ),
        md("From above (north up), with the door and the window on the walls:"),
        code("floor_plan(room, scale=50)"),
        md("## Ask"),
        code(
            "for question in [\n"
            "    'How many nightstands are there?',\n"
            "    'How far is the bed from the door?',\n"
            "    'Which object is closest to the door?',\n"
            "    'What is on the nightstand by the table lamp?',\n"
            "    'How big is this room?',\n"
            "    'Is the bed facing the window?',\n"
            "    'How do I get from the bed to the door?',\n"
            "]:\n"
            "    print(f'Q: {question}\\nA: {room.ask(question).text}\\n')"
        ),
        md(
            "## What an answer holds\n"
            "`value` (in `unit`), one sentence `text`, the `evidence` (the objects, the "
            "measures, the question's family), the ids to `highlight` in a view, and a "
            "`status`. In a notebook it shows as a small table:"
        ),
        code(
            "answer = room.ask('How tall is the bed?')\n"
            "print(answer.value, answer.unit, answer.status, answer.highlight)\n"
            "answer"
        ),
        md(
            "It never guesses. A reference that fits several objects gets a question back; "
            "something that is not there gets a no:"
        ),
        code(
            "for question in ['How far is the nightstand from the window?', 'Where is the piano?']:\n"
            "    a = room.ask(question)\n"
            "    print(f'{a.status:9s} {a.text}')"
        ),
        *exercise(
            1,
            "Write a question that `ask` answers with the **wardrobe's height**. The check "
            "asks it and compares the value with the wardrobe's box.",
            "question = ...  # a string",
            "wardrobe = room.find('wardrobe')[0]\n"
            "METRES = {'m': 1.0, 'cm': 0.01, 'mm': 0.001, 'ft': 0.3048, 'in': 0.0254}\n\n"
            "def asks_wardrobe_height(q):\n"
            "    a = room.ask(q)\n"
            "    return (a.ok and a.unit in METRES\n"
            "            and abs(a.value * METRES[a.unit] - wardrobe.box.size[1]) < 0.01)\n\n"
            "check(question, asks_wardrobe_height,\n"
            '      "Ask it as you would ask a person, e.g. about how tall something is; "\n'
            '      "print(room.ask(question).text) to see how your question was read.")',
            "question = 'How tall is the wardrobe?'",
        ),
        md(
            "## Left of what, seen from where?\n"
            "*Left* depends on where you stand. With a camera in the scene, `ask` judges "
            "directions from the viewer (the photo's camera); `frame='room'` uses the room's "
            "compass instead (north = −Z, east = +X). The answer says which frame it used."
        ),
        code(
            "question = 'Is the table lamp to the left of the bed?'\n"
            "print(room.ask(question).text)\n"
            "print(room.ask(question, frame='room').text)"
        ),
        md(
            "In the photo the lamp is on the left of the bed. In the room's frame *left* of "
            "the bed means west of it, and the lamp is not."
        ),
        md(
            "## The structured API\n"
            "Under `ask` are plain functions: `scene.find` picks objects, "
            "`spatial.distance` measures between closest points, predicates such as "
            "`spatial.left_of` take a frame."
        ),
        code(
            "bed = room.find('bed')[0]\n"
            "lamp = room.find('table lamp')[0]\n"
            "wardrobe = room.find('wardrobe')[0]\n"
            "print('bed to wardrobe:', round(spatial.distance(bed, wardrobe), 2), 'm')\n"
            "for frame in (spatial.ViewerFrame(photo_camera), spatial.RoomFrame(room.room)):\n"
            "    print(f'lamp left of bed in {frame.name}:', spatial.left_of(lamp, bed, frame=frame))"
        ),
        *exercise(
            2,
            "The room is L-shaped, so width × depth is wrong. Compute its floor area from "
            "the corners `room.room.floor_xz` (a `(K, 2)` array of (x, z), counter-clockwise "
            "seen from above) with the *shoelace formula*: "
            "`A = ½ |Σ (x_i z_{i+1} − x_{i+1} z_i)|`.",
            "xz = room.room.floor_xz\narea = ...  # square metres",
            "check(area, lambda a: abs(a - room.room.area) < 1e-3,\n"
            "      'np.roll(x, -1) gives x_{i+1} for every i (the last corner wraps to the '\n"
            "      'first); take abs of the sum, then half.')",
            "x, z = xz[:, 0], xz[:, 1]\n"
            "area = 0.5 * abs(np.sum(x * np.roll(z, -1) - np.roll(x, -1) * z))",
        ),
        *exercise(
            3,
            "Which object is **farthest** from the bed (closest points, as "
            "`spatial.distance` measures)? Give its label.",
            "farthest_label = ...  # e.g. 'mirror'",
            "check(farthest_label,\n"
            "      lambda a: a == max(room.objects, key=lambda o: spatial.distance(bed, o)).label,\n"
            "      'Loop over room.objects and keep the one with the largest '\n"
            "      'spatial.distance(bed, o); max(..., key=...) does it in one line.')",
            "farthest_label = max(room.objects, key=lambda o: spatial.distance(bed, o)).label",
        ),
        md(
            "## Ask in the live view\n"
            "`AskPanel` puts a question box under a live view: the answer appears with its "
            "evidence and the objects it speaks of light up. (It needs a running kernel.)"
        ),
        code(
            "import ipywidgets as W\n"
            "from worldnb.widgets import AskPanel\n\n"
            "view = room.show(width=480, height=300)\n"
            "panel = AskPanel(view)\n"
            "panel.ask('What is next to the bed?')\n"
            "print('highlighted:', sorted(view.highlighted))\n"
            "W.VBox([view, panel])"
        ),
        md(
            "## What you learned\n"
            "- `scene.ask` answers in English with a value, a sentence and the evidence, "
            "and says so when a question is ambiguous or names something absent.\n"
            "- Directions need a frame: the viewer's or the room's.\n"
            "- The same engine is plain functions (`find`, `distance`, predicates) you can "
            "compose."
        ),
        footer(2),
    ]


# ---- 4 · Critique and rearrange ------------------------------------------------------


def tutorial_04() -> list[nbf.NotebookNode]:
    return [
        header(
            3,
            "Knowing where things are, a world model can judge a room: is the door "
            "blocked, do two pieces overlap, can one walk to the bed? `layout.critique` "
            "lists what is wrong, with numbers; `layout.plan` arranges furniture so the "
            "hard rules always hold and says why each piece stands where it does. You will "
            "mess up the bedroom, fix it by hand, then let the planner rearrange it under "
            "a rule of your own.",
            [
                "read a layout as a room plus oriented boxes, and draw it from above",
                "run `layout.critique` and read its issues (kind, objects, measured value)",
                "move an object and check the fix",
                "plan a room with `layout.plan`, read its report, and add a constraint",
            ],
            15,
        ),
        code(
            "import numpy as np\n"
            "import worldnb\n"
            "from worldnb import Camera, OrientedBox, Scene, spatial\n"
            "from worldnb.layout import AgainstWall, Near, critique, floor_plan, plan\n"
            "from worldnb.rendering.visualize import side_by_side, to_pil\n\n"
            f"{CHECK}"
        ),
        md(
            "## The bedroom passes\n"
            "The story's bedroom was arranged by the planner, so the critic finds nothing:"
        ),
        code(
            "room = worldnb.load('bedroom.wnb')  # the room of the photo (part 1)\ncritique(room)"
        ),
        md(
            "## Mess it up\n"
            "For the critic a layout is the room and the objects' boxes. We copy the pieces "
            "that stand on the floor (not the book, the cup or the table lamp on the "
            "nightstands), then push the wardrobe in front of the door and the floor lamp "
            "into the bed. A box is moved by giving the object a new one."
        ),
        code(
            "def moved(obj, x, z):\n"
            '    """The object\'s box, standing at (x, z) on the floor (same size and yaw)."""\n'
            "    b = obj.box\n"
            "    return OrientedBox((x, b.center[1], z), b.size, b.yaw)\n\n\n"
            "messy = Scene(room=room.room)\n"
            "for o in room.objects:\n"
            "    if o.attrs.get('on') is None:  # not standing on another piece\n"
            "        messy.add_object(o.label, o.box, front=o.front, color=o.attrs.get('color'))\n\n"
            "door = room.room.doors[0]\n"
            "door_x, _, door_z = room.room.opening_center(door)\n"
            "inward = room.room.wall(door.wall).normal  # (x, z), into the room\n"
            "wardrobe, lamp = messy.find('wardrobe')[0], messy.find('floor lamp')[0]\n"
            "wardrobe.box = moved(wardrobe, door_x + 0.5 * inward[0], door_z + 0.5 * inward[1])\n"
            "lamp.box = moved(lamp, -1.5, 0.5)\n"
            "floor_plan(messy, scale=50)"
        ),
        code(
            "issues = critique(messy)\n"
            "for issue in issues:\n"
            "    print(f'[{issue.kind}] objects {issue.objects}: {issue.message}')"
        ),
        md(
            "Each issue has a `kind`, the ids of the `objects` involved, the measured "
            "`value` and the `limit` it broke. Doors need a clear zone 1 m deep; walkways "
            "0.9 m wide from the door to every piece."
        ),
        *exercise(
            1,
            "Move the wardrobe to a place where the critic has nothing to say about it: give "
            "its new centre `(x, z)` on the floor. The check moves a copy of it there and "
            "runs `critique`.",
            "wardrobe_xz = ...  # (x, z) in metres",
            "def wardrobe_fixed(xz):\n"
            "    trial = messy.copy()\n"
            "    w = trial.object(wardrobe.id)\n"
            "    w.box = moved(w, float(xz[0]), float(xz[1]))\n"
            "    left = [i.message for i in critique(trial) if wardrobe.id in i.objects]\n"
            "    if left:\n"
            "        print('still:', *left, sep='\\n  ')\n"
            "    return not left\n\n\n"
            "check(wardrobe_xz, wardrobe_fixed,\n"
            "      'Look at the floor plan (x grows to the right, z downwards). A wall without '\n"
            "      'a door or window suits a wardrobe: its centre half its depth '\n"
            "      f'({wardrobe.box.size[2] / 2:.2f} m) from that wall, its back to it. Where '\n"
            "      'did the planner put it in the original room?')",
            "wardrobe_xz = room.find('wardrobe')[0].box.center[[0, 2]]  # back where it was",
        ),
        md(
            "## Let the planner rearrange it\n"
            "`plan(room, items)` places the pieces (here with their own sizes) so that the "
            "hard rules always hold (inside the room, no overlaps, doors and windows clear, "
            "access space, a walkway to every piece), and scores the catalog's design rules "
            "(bed head against a wall, nightstands beside it, …). The report lists every "
            "rule with its measured value."
        ),
        code(
            "pieces = [(o.label, tuple(o.box.size)) for o in messy.objects\n"
            "          if o.label not in ('rug', 'mirror')]  # the rug and the mirror stay out\n"
            "result = plan(room.room, pieces, seed=0, time_limit=10)\n"
            "print(result.report())"
        ),
        code(
            "for line in result.explain()[:3]:\n"
            "    print('-', line)\n"
            "print('critique:', critique(result.scene))\n"
            "side_by_side([floor_plan(messy, scale=40), floor_plan(result.scene, scale=40)])"
        ),
        md(
            "The plan comes with part-built furniture meshes, so we can look at it from "
            "where the photo was taken:"
        ),
        code(
            "photo_camera = Camera.look_at(eye=(1.3, 1.5, -0.2), target=(-1.2, 0.5, 0.9),\n"
            "                              fov_y_deg=65, width=160, height=120)\n"
            "to_pil(worldnb.render(result.scene, photo_camera).rgb)"
        ),
        *exercise(
            2,
            "Your own rules: plan the same pieces so that the **floor lamp stands within "
            "0.5 m of the bed**, as a hard rule. Give the list of constraints (the base "
            "rules are always added; your list replaces the catalog's design rules). The "
            "check plans with it and measures.",
            "my_constraints = ...  # a list of layout constraints",
            "def lamp_by_the_bed(constraints):\n"
            "    r = plan(room.room, pieces, constraints=constraints, seed=0, time_limit=10)\n"
            "    d = spatial.distance(r.objects['floor lamp'], r.objects['bed'])\n"
            "    print(f'the floor lamp is {d:.2f} m from the bed')\n"
            "    return d <= 0.5 + 1e-6\n\n\n"
            "check(my_constraints, lamp_by_the_bed,\n"
            '      "Near(a, b, max=...) keeps a within max metres of b; hard=True makes it a "\n'
            "      \"rule the planner must keep. Items are named by their labels: 'floor lamp', \"\n"
            "      \"'bed'.\")",
            "my_constraints = [Near('floor lamp', 'bed', max=0.5, hard=True),\n"
            "                  AgainstWall('bed')]  # and keep the bed's back against a wall",
        ),
        md(
            "An impossible request raises `InfeasibleLayoutError` naming a small set of "
            "rules that conflict (try adding `Far('floor lamp', 'bed', min=2, hard=True)` "
            "to your list).\n\n"
            "## What you learned\n"
            "- A layout is a room and oriented boxes; `floor_plan` draws it.\n"
            "- `critique` finds blocked doors, collisions, narrow walkways, with numbers.\n"
            "- `plan` keeps the hard rules, scores the soft ones, explains itself, and takes "
            "your own constraints."
        ),
        footer(3),
    ]


# ---- 5 · Generate variations ---------------------------------------------------------


def tutorial_05() -> list[nbf.NotebookNode]:
    return [
        header(
            4,
            "A world model does not give one answer to what it cannot see: it can imagine "
            "many rooms that fit the photo. Variations come from *seeds*: the same seed "
            "gives the same result, another seed another plausible one. You will vary the "
            "light, the arrangement, and the hidden parts of the room that a diffusion "
            "model fills in, and make a result repeat exactly.",
            [
                "make variations by changing a seed, and reproduce one exactly",
                "vary the lighting of a procedural room and the arrangement of its furniture",
                "fill what the photo never saw with the built-in diffusion model, several ways",
                "check which pixels a fill may change (the mask) and which it must keep",
            ],
            15,
        ),
        code(
            "import numpy as np\n"
            "import torch\n"
            "import worldnb\n"
            "from worldnb import Camera, models, worlds\n"
            "from worldnb.layout import floor_plan, plan\n"
            "from worldnb.rendering.visualize import side_by_side, to_pil\n\n"
            "torch.set_num_threads(1)  # small images: one thread is faster on a busy CPU\n\n"
            f"{CHECK}"
        ),
        code(f"{STORY}\nto_pil(photo).resize((256, 192))"),
        md(
            "## The same room in other light\n"
            "`worlds.render_room` draws its light from a seed, or takes a style: a sunny "
            "day, an overcast day, the evening, the night with the lamps on."
        ),
        code(
            "small = photo_camera.resized(96, 72)\n"
            "side_by_side([to_pil(worlds.render_room(room, [small], lighting=style, seed=0).rgb[0])\n"
            "              for style in worlds.LIGHTING_STYLES])"
        ),
        md(
            "## Other arrangements\n"
            "The planner draws its search from a seed: other seeds, other bedrooms with the "
            "same furniture. Each result has a `score`, the weighted share of the design "
            "rules it meets."
        ),
        code(
            "pieces = [(o.label, tuple(o.box.size)) for o in room.objects\n"
            "          if o.label in ('bed', 'nightstand', 'wardrobe', 'floor lamp')]\n"
            "plans = {seed: plan(room.room, pieces, seed=seed, time_limit=10) for seed in range(4)}\n"
            "print({seed: round(p.score, 3) for seed, p in plans.items()})\n"
            "side_by_side([floor_plan(p.scene, scale=30, labels=False) for p in plans.values()])"
        ),
        *exercise(
            1,
            "Which seed gave the best-scoring plan? (If several tie, any of them.)",
            "best_seed = ...  # one of plans' keys",
            "check(best_seed, lambda s: plans[s].score == max(p.score for p in plans.values()),\n"
            "      'max(plans, key=...) returns the key whose value is largest; the key function '\n"
            "      'gets a seed and returns plans[seed].score.')",
            "best_seed = max(plans, key=lambda s: plans[s].score)",
        ),
        md(
            "## Imagine what the photo never saw\n"
            "Step back from the photo (as in part 2): the scene from the photo leaves holes "
            "where it has no geometry. `generate` fills such holes with a diffusion model "
            "before it lifts them to 3D; here we call the built-in one ourselves. It starts "
            "from noise inside the `mask` and removes it step by step, keeping the pixels "
            "outside the mask: the noise comes from a seed."
        ),
        code(
            "scene = worldnb.generate(photo, worldnb.GenerationConfig(n_views=0), progress=False)\n"
            "camera = scene.cameras['input']\n"
            "T = camera.T_world_camera.copy()\n"
            "T[:3, 3] -= 0.6 * camera.forward  # 0.6 m back\n"
            "view = worldnb.render(scene, camera.with_pose(T), layers='mesh')\n"
            "holes = view.alpha < 0.99  # the pixels to imagine\n"
            "print(f'{holes.mean():.0%} of the new view is unknown')\n"
            "inpaint = models.load('inpaint')  # the built-in pixel diffusion model"
        ),
        code(
            "def fill(seed):\n"
            "    return inpaint(view.rgb, holes, steps=10,\n"
            "                   generator=torch.Generator().manual_seed(seed))\n\n\n"
            "fills = {seed: fill(seed) for seed in (0, 1, 2)}\n"
            "side_by_side([to_pil(view.rgb), to_pil(holes.astype(np.float32))]\n"
            "             + [to_pil(f) for f in fills.values()])"
        ),
        md(
            "Left to right: the view with its holes, the mask, and three fills with seeds "
            "0, 1, 2. The built-in model is small and knows procedural rooms only (its "
            "model card: `models.model_folder('inpaint') / 'README.md'`), so it paints wall "
            "and floor colours rather than furniture; the fills differ where it is unsure."
        ),
        *exercise(
            2,
            "Reproduce a variation: fill the same holes again so that the result equals "
            "`fills[1]` *exactly* (call `inpaint` yourself, not `fill`).",
            "again = ...  # an (H, W, 3) image",
            "check(again, lambda a: np.array_equal(a, fills[1]),\n"
            "      'The noise comes from the generator: pass the same steps and '\n"
            "      'generator=torch.Generator().manual_seed(...) with the same seed.')",
            "again = inpaint(view.rgb, holes, steps=10, generator=torch.Generator().manual_seed(1))",
        ),
        *exercise(
            3,
            "How different are two variations? Compute the mean absolute difference "
            "between `fills[0]` and `fills[1]`, first over the pixels **inside** the mask, "
            "then **outside** it (average over the pixels and the 3 colour channels).",
            "differences = ...  # (inside, outside): two numbers",
            "diff = np.abs(fills[0] - fills[1])\n"
            "check(differences,\n"
            "      lambda d: np.allclose(d, (diff[holes].mean(), diff[~holes].mean())),\n"
            "      'Index an (H, W, 3) image with an (H, W) boolean mask: image[mask] is (N, 3), '\n"
            "      'and .mean() averages all of it. ~holes is the pixels outside.')",
            "d = np.abs(fills[0] - fills[1])\ndifferences = (d[holes].mean(), d[~holes].mean())",
        ),
        code(
            "print(f'inside the mask: {diff[holes].mean():.3f}, outside: {diff[~holes].mean():.3f}')"
        ),
        md(
            "Outside the mask the fills agree to the last bit: a fill only ever changes the "
            "unknown pixels.\n\n"
            "`worldnb.generate(photo, GenerationConfig(n_views=2, seed=s))` does this along a "
            "camera path, estimates the depth of each fill, aligns it to the geometry so far "
            "and lifts it to 3D: one seed, one imagined room "
            "(`notebooks/05_image_to_3d.ipynb`).\n\n"
            "## What you learned\n"
            "- Seeds make variations, and the same seed repeats a result exactly.\n"
            "- Light, layout and unseen content can each vary while the rest stays fixed.\n"
            "- A diffusion fill changes only the masked pixels."
        ),
        footer(4),
    ]


# ---- 6 · Train your own model --------------------------------------------------------


def tutorial_06() -> list[nbf.NotebookNode]:
    return [
        header(
            5,
            "Every step of the story rested on a depth model: worldnb's built-in one learned "
            "from procedural rooms, whose renders come with exact depth. Here you do the same "
            "in miniature: render a training set, train a small network for a few seconds, "
            "score it with metrics you write yourself, and build the photo's scene with "
            "*your* model.",
            [
                "render a training set with exact labels from procedural worlds",
                "say what a depth network predicts and what its loss measures",
                "write the depth metrics (`abs_rel`, `delta1`) used to score the built-ins",
                "train a network, save it, and plug it into `worldnb.generate`",
            ],
            15,
        ),
        code(
            "import tempfile\n"
            "import time\n"
            "from pathlib import Path\n\n"
            "import numpy as np\n"
            "import torch\n"
            "import worldnb\n"
            "from worldnb import Camera, models, worlds\n"
            "from worldnb.models.data import classes, load_dataset, make_batch\n"
            "from worldnb.models.metrics import depth_metrics\n"
            "from worldnb.models.nets import DenseNet, DenseNetConfig\n"
            "from worldnb.models.train import dense_losses\n"
            "from worldnb.rendering.visualize import colorize_depth, side_by_side, to_pil\n\n"
            "torch.manual_seed(0)\n"
            "torch.set_num_threads(1)  # small networks: one thread is faster on a busy CPU\n\n"
            f"{CHECK}"
        ),
        md(
            "## Training data from procedural worlds\n"
            "`worlds.render_dataset` furnishes rooms from seeds, lights them and renders "
            "views with their exact depth (and normals, classes, instances). Two rooms, six "
            "views each, 64×64 pixels: tiny, but enough to see learning happen."
        ),
        code(
            "work = Path(tempfile.mkdtemp())\n"
            "worlds.render_dataset(2, work / 'rooms', size=64, seed=0, cameras_per_room=6,\n"
            "                      progress=False)\n"
            "views = load_dataset(work / 'rooms', classes())\n"
            "print(len(views), 'views; each has', sorted(views[0]))\n"
            "side_by_side([to_pil(v['rgb']).resize((96, 96)) for v in views[:4]]\n"
            "             + [to_pil(colorize_depth(v['depth'])).resize((96, 96)) for v in views[:4]])"
        ),
        md(
            "The story's photo is our test: its bedroom has a held-out seed, never used for "
            "training."
        ),
        code(f"{STORY}\ntrue_depth = shot.maps.depth[0]\nto_pil(photo).resize((256, 192))"),
        md(
            "## How good is a depth map?\n"
            "Two numbers score the built-in models (their model cards list them): "
            "**abs_rel**, the mean of `|estimate − truth| / truth`, and **delta1**, the share "
            "of pixels whose estimate is within 25 % of the truth "
            "(`max(estimate / truth, truth / estimate) < 1.25`). Both count only pixels "
            "with a true depth (`truth > 0`)."
        ),
        *exercise(
            1,
            "Write both metrics for the shipped model's estimate of the photo. Return them "
            "as a pair `(abs_rel, delta1)`.",
            "estimate = models.load('depth')(photo).depth\nmetrics = ...  # (abs_rel, delta1)",
            "expected = depth_metrics(estimate, true_depth)\n"
            "check(metrics, lambda m: np.allclose(m, (expected['abs_rel'], expected['delta1']),\n"
            "                                     atol=1e-4),\n"
            "      'Select the valid pixels first: valid = true_depth > 0; e, t = estimate[valid], '\n"
            "      'true_depth[valid]. Then np.mean(np.abs(e - t) / t) and '\n"
            "      'np.mean(np.maximum(e / t, t / e) < 1.25).')",
            "valid = true_depth > 0\n"
            "e, t = estimate[valid], true_depth[valid]\n"
            "metrics = (np.mean(np.abs(e - t) / t), np.mean(np.maximum(e / t, t / e) < 1.25))",
        ),
        md(
            "## A small network\n"
            "`DenseNet` is the U-Net behind the built-in models. Per pixel it predicts the "
            "*logarithm* of depth (and how unsure it is), and for the whole image the field "
            "of view. Log depth makes an error of 10 cm at 1 m count as much as 1 m at 10 m."
        ),
        code(
            "net = DenseNet(DenseNetConfig(size=64, widths=(16, 32, 48, 64), full_width=8,\n"
            "                              heads={'depth': 2, 'fov': 1}))\n"
            "with torch.no_grad():\n"
            "    net.heads['depth'].bias[0] = np.log(3.0)  # start at room scale: 3 m everywhere\n"
            "before = models.BuiltinDepth.from_net(net)(photo).depth\n"
            "print(f'{sum(p.numel() for p in net.parameters()):,} parameters')"
        ),
        md(
            "## Train\n"
            "Each step draws a batch of 8 random crops (flipped, colour-jittered), predicts, "
            "measures the loss (the L1 error of log depth, a term that sharpens edges, and "
            "the field-of-view error), and moves every weight a little downhill: "
            "`zero_grad`, `backward`, `step`. About 10 seconds:"
        ),
        code(
            "opt = torch.optim.AdamW(net.parameters(), lr=2e-3)\n"
            "rng = np.random.default_rng(0)\n"
            "losses, t0 = [], time.perf_counter()\n"
            "net.train()\n"
            "while len(losses) < 30 or time.perf_counter() - t0 < 10:  # 10 s, at least 30 steps\n"
            "    batch = make_batch([views[i] for i in rng.integers(0, len(views), 8)], 64, rng)\n"
            "    for g in opt.param_groups:  # warm up over 20 steps: a cold start can diverge\n"
            "        g['lr'] = 2e-3 * min(1.0, (len(losses) + 1) / 20)\n"
            "    loss = sum(dense_losses(net(batch['rgb']), batch).values())\n"
            "    opt.zero_grad()\n"
            "    loss.backward()\n"
            "    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)\n"
            "    opt.step()\n"
            "    losses.append(float(loss.detach()))\n"
            "net.eval()\n"
            "for i, chunk in enumerate(np.array_split(np.array(losses), 5)):  # the loss curve\n"
            "    print(f'{i * 20:3d}%  {chunk.mean():6.3f}  ' + '#' * int(40 * chunk.mean() / losses[0]))\n"
            "print(f'{len(losses)} steps')"
        ),
        *exercise(
            2,
            "Did it learn? Compare the mean loss of the first 10 steps with that of the last "
            "10: give the ratio *last / first* (below 1 means the loss fell).",
            "ratio = ...  # a number",
            "check(ratio, lambda r: np.isclose(r, np.mean(losses[-10:]) / np.mean(losses[:10])),\n"
            "      'losses is a list: losses[:10] are the first ten, losses[-10:] the last ten; '\n"
            "      'np.mean each.')",
            "ratio = np.mean(losses[-10:]) / np.mean(losses[:10])",
        ),
        md(
            "## Your model on the photo\n"
            "The photo, its true depth, the network before training, after, and the shipped "
            "model (same colour scale). Then the scores, with your metrics."
        ),
        code(
            "mine = models.BuiltinDepth.from_net(net)\n"
            "after = mine(photo).depth\n"
            "lo, hi = true_depth.min(), true_depth.max()\n"
            "side_by_side([to_pil(photo)] + [to_pil(colorize_depth(d, lo, hi))\n"
            "              for d in (true_depth, before, after, estimate)])"
        ),
        code(
            "{name: {k: round(v, 3) for k, v in depth_metrics(d, true_depth).items()}\n"
            " for name, d in [('untrained', before), ('yours', after), ('shipped', estimate)]}"
        ),
        md(
            "Ten seconds on two rooms already learn the room's scale and its broad shape. "
            "The shipped model saw many more rooms for much longer: "
            "`python -m worldnb.models.train depth segment --out runs/dense` is the full "
            "recipe (it streams rooms, logs, checkpoints and resumes).\n\n"
            "## Build the scene with your model\n"
            "Any depth backend plugs into `generate`. Save yours as a model folder, load it "
            "by path, and build the photo's scene with it:"
        ),
        code(
            "folder = mine.save_pretrained(work / 'my-depth')\n"
            "print(sorted(p.name for p in folder.iterdir()))\n"
            "my_depth = models.load(str(folder))  # a folder works like a shipped name\n"
            "scene = worldnb.generate(photo, worldnb.GenerationConfig(n_views=0),\n"
            "                         depth=my_depth, progress=False)\n"
            "print(scene.meta['backends'])\n"
            "print(scene)"
        ),
        md(
            "## What you learned\n"
            "- Procedural worlds give training data with exact labels, for free.\n"
            "- A depth network predicts log depth; training lowers a loss one step at a "
            "time; `abs_rel` and `delta1` say how good it is.\n"
            "- Your model is a backend like any other: save it, load it, generate with it.\n\n"
            "That closes the story: from one photo to a scene you can look around, question, "
            "critique, rearrange and vary, built with a model you trained."
        ),
        footer(5),
    ]


TUTORIALS = {
    "01_from_a_photo_to_a_scene": tutorial_01,
    "02_look_around": tutorial_02,
    "03_ask": tutorial_03,
    "04_critique_and_rearrange": tutorial_04,
    "05_generate_variations": tutorial_05,
    "06_train_your_own_model": tutorial_06,
}


def build(stem: str) -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook(cells=TUTORIALS[stem]())
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write_room() -> None:
    """Save the story's room to ``bedroom.wnb``.

    ``sample_room`` plans the furniture within a time budget, so on a busy machine a
    search cut short gives another layout: the tutorials load the room from a file
    (made with a budget that lets the search finish) to show the same room everywhere,
    and to skip the planning time.
    """
    import numpy as np

    from worldnb import worlds

    room = worlds.sample_room(ROOM_KIND, seed=ROOM_SEED, time_limit=30.0)
    bed = room.find("bed")[0]
    # the layout the photo's camera was chosen for (the search's uncut result)
    assert np.allclose(bed.box.center[[0, 2]], (-1.01, 1.21), atol=0.01), bed.box
    room.save(ROOM_FILE, precision="compact")


_CPU = """\
import resource
_u = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(round(sum(u.ru_utime + u.ru_stime for u in _u), 1))"""


def execute(nb: nbf.NotebookNode) -> float:
    """Run ``nb`` in place in a fresh kernel (cwd: the tutorials folder); seconds taken.

    Live widgets are kept out of the stored outputs (their state holds the scene's
    arrays: megabytes); their text stands in. Per-cell timings are printed, then dropped.
    """
    from nbclient import NotebookClient

    # a last cell reports the kernel's CPU time (on a busy machine, wall time says little)
    nb.cells.append(nbf.v4.new_code_cell(_CPU))
    t0 = time.perf_counter()
    client = NotebookClient(
        nb, timeout=600, store_widget_state=False, resources={"metadata": {"path": str(OUT)}}
    )
    client.execute()
    seconds = time.perf_counter() - t0
    cpu = nb.cells.pop().outputs[0]["text"].strip()
    print(f"  kernel CPU time: {cpu} s")  # noqa: T201
    for i, cell in enumerate(nb.cells):
        timing = cell.metadata.pop("execution", None)
        if timing and "shell.execute_reply" in timing:
            start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            if (end - start).total_seconds() > 2:
                print(f"  cell {i}: {(end - start).total_seconds():.1f} s")  # noqa: T201
        for out in cell.get("outputs", []):
            out.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    nb.metadata.pop("widgets", None)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("only", nargs="*", help="prefixes of the tutorials to write (all if none)")
    ap.add_argument("--execute", action="store_true", help="run them and store the outputs")
    ap.add_argument("--room", action="store_true", help="write bedroom.wnb again (slow)")
    ap.add_argument(
        "--keep-outputs", action="store_true", help="text edits: keep the stored outputs"
    )
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.room or not ROOM_FILE.exists():
        write_room()
    for stem in TUTORIALS:
        if args.only and not any(stem.startswith(p) for p in args.only):
            continue
        nb, path = build(stem), OUT / f"{stem}.ipynb"
        if args.execute:
            print(f"{stem}: ran in {execute(nb):.1f} s", flush=True)  # noqa: T201
        elif args.keep_outputs and path.exists():
            keep_outputs(nb, nbf.read(path, as_version=4))
        nbf.write(nb, path)


def keep_outputs(nb: nbf.NotebookNode, old: nbf.NotebookNode) -> None:
    """Copy the outputs of ``old``'s code cells into ``nb`` when the code is unchanged
    (for edits to the text only); refuses when any code cell changed."""
    new_code = [c for c in nb.cells if c.cell_type == "code"]
    old_code = [c for c in old.cells if c.cell_type == "code"]
    if [c.source for c in new_code] != [c.source for c in old_code]:
        raise SystemExit("code cells changed: run with --execute")
    for c, o in zip(new_code, old_code, strict=True):
        c.outputs, c.execution_count = o.outputs, o.execution_count


if __name__ == "__main__":
    main()
