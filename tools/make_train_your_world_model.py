"""Writes notebooks/06_train_your_world_model.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# Train your own world model\n\n"
        "worldnb's built-in depth, segmentation and inpainting models learned everything they "
        "know from procedural rooms (`worldnb.worlds`). This notebook does the same thing in "
        "miniature, on the CPU, in under a minute: render a small dataset with exact ground "
        "truth, train a small depth network for about 10 seconds, watch the loss fall and the "
        "predictions sharpen, and swap the network into `worldnb.generate`.\n\n"
        "The full recipe is one command: `python -m worldnb.models.train depth segment --out "
        "runs/dense` (and `inpaint`); it streams rooms, logs a CSV, checkpoints and resumes."
    ),
    code(
        "import tempfile, time\n"
        "from pathlib import Path\n\n"
        "import numpy as np\n"
        "import torch\n"
        "import worldnb\n"
        "from worldnb import models, worlds\n"
        "from worldnb.models.data import classes, load_dataset, make_batch\n"
        "from worldnb.models.evaluate import evaluate_depth, heldout_views\n"
        "from worldnb.models.nets import DenseNet, DenseNetConfig\n"
        "from worldnb.models.train import dense_losses\n"
        "from worldnb.rendering.visualize import colorize_depth, side_by_side, to_pil\n\n"
        "torch.manual_seed(0)\n"
        "# one thread: small networks gain little from more, and on a busy or shared CPU\n"
        "# (Binder, a CI runner) threads waiting on each other make each step 10x slower\n"
        "torch.set_num_threads(1)"
    ),
    md(
        "## 1. Render a dataset\n"
        "Three furnished, lit rooms, six eye-height views each, 64×64 pixels: RGB, metric "
        "depth, normals, semantic and instance maps (training seeds 0–2; laying out a room "
        "costs more than rendering it, so views are cheaper than rooms). One more room with "
        "a seed from 1,000,000 is held out for scoring, as for the shipped models."
    ),
    code(
        "work = Path(tempfile.mkdtemp())\n"
        "worlds.render_dataset(3, work / 'rooms', size=64, seed=0, cameras_per_room=6, "
        "progress=False)\n"
        "train_views = load_dataset(work / 'rooms', classes())\n"
        "held = heldout_views(1, size=64, views=3)\n"
        "len(train_views), len(held)"
    ),
    code(
        "v = train_views[0]\n"
        "side_by_side([to_pil(v['rgb']).resize((128, 128)), "
        "to_pil(colorize_depth(v['depth'])).resize((128, 128))])"
    ),
    md(
        "## 2. A small network\n"
        "`DenseNet` is the U-Net behind the built-in models: it predicts log depth (and its "
        "uncertainty) per pixel and the field of view of the whole image."
    ),
    code(
        "net = DenseNet(DenseNetConfig(size=64, widths=(16, 32, 48, 64), full_width=8,\n"
        "                              heads={'depth': 2, 'fov': 1}))\n"
        "with torch.no_grad():\n"
        "    net.heads['depth'].bias[0] = np.log(3.0)  # start at room scale\n"
        "before = models.BuiltinDepth.from_net(net)(held[0]['rgb']).depth\n"
        "f'{sum(p.numel() for p in net.parameters()):,} parameters'"
    ),
    md(
        "## 3. Train for about 10 seconds\n"
        "Each step draws 8 random crops (the field of view follows the crop), flips and "
        "colour jitter, and minimises the L1 error of log depth, a gradient-matching term "
        "that sharpens edges, and the field-of-view error. Give it more time (or a GPU) "
        "and the predictions keep improving: the shipped model trained for hours."
    ),
    code(
        "opt = torch.optim.AdamW(net.parameters(), lr=2e-3)\n"
        "rng = np.random.default_rng(0)\n"
        "losses, t0 = [], time.perf_counter()\n"
        "net.train()\n"
        "while len(losses) < 30 or time.perf_counter() - t0 < 10:  # 10 s, at least 30 steps\n"
        "    pick = rng.integers(0, len(train_views), 8)\n"
        "    batch = make_batch([train_views[i] for i in pick], 64, rng)\n"
        "    for g in opt.param_groups:  # warm up over 20 steps: a cold start can diverge\n"
        "        g['lr'] = 2e-3 * min(1.0, (len(losses) + 1) / 20)\n"
        "    loss = sum(dense_losses(net(batch['rgb']), batch).values())\n"
        "    if not torch.isfinite(loss):\n"
        "        raise RuntimeError(f'loss is {float(loss)} at step {len(losses)}')\n"
        "    opt.zero_grad(); loss.backward()\n"
        "    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)\n"
        "    opt.step()\n"
        "    losses.append(float(loss.detach()))\n"
        "net.eval()\n"
        "first, last = np.mean(losses[:10]), np.mean(losses[-10:])\n"
        "print(f'{len(losses)} steps: loss {first:.3f} -> {last:.3f}')\n"
        "assert last < first"
    ),
    code(
        "# the loss curve, one bar per tenth of training\n"
        "for i, chunk in enumerate(np.array_split(np.array(losses), 10)):\n"
        "    print(f'{i * 10:3d}%  {chunk.mean():6.3f}  ' + '#' * int(40 * chunk.mean() / losses[0]))"
    ),
    md(
        "## 4. The predictions sharpen\n"
        "A held-out room: the image, the true depth, the untrained network, and the trained "
        "one (same colour scale)."
    ),
    code(
        "mine = models.BuiltinDepth.from_net(net)\n"
        "h = held[0]\n"
        "after = mine(h['rgb']).depth\n"
        "lo, hi = h['depth'][h['depth'] > 0].min(), h['depth'].max()\n"
        "side_by_side([to_pil(h['rgb']).resize((128, 128))] + [\n"
        "    to_pil(colorize_depth(d, lo, hi)).resize((128, 128)) "
        "for d in (h['depth'], before, after)])"
    ),
    code(
        "# scored like the shipped model (benchmarks/models.py), on the same held-out views\n"
        "{'yours (10 s)': evaluate_depth(mine, held), "
        "'shipped': evaluate_depth(models.load('depth'), held)}"
    ),
    md(
        "## 5. Swap it into `generate`\n"
        "Any depth backend plugs in; yours is a `BuiltinDepth`. Save it as a model folder "
        "and load it back by path."
    ),
    code(
        "scene = worldnb.generate(h['rgb'], worldnb.GenerationConfig(n_views=0), depth=mine,\n"
        "                         progress=False)\n"
        "scene.meta['backends'], len(scene.layers['points'])"
    ),
    code(
        "folder = mine.save_pretrained(work / 'my-depth')\n"
        "again = models.load(str(folder))\n"
        "sorted(p.name for p in folder.iterdir()), "
        "bool(np.allclose(again(h['rgb']).depth, after))"
    ),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
Path(__file__).resolve().parents[1].joinpath(
    "notebooks", "06_train_your_world_model.ipynb"
).write_text(nbf.writes(nb))
