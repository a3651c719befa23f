"""Writes notebooks/08_scaling_out.ipynb (kept as a script so the notebook is reviewable)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md(
        "# Scaling out with Ray\n\n"
        "Rendering training rooms, generating many scenes and scoring benchmarks are sets of "
        "independent tasks. `executor=\"ray\"` runs them on Ray (`pip install 'worldnb[scale]'`): "
        "here a local Ray with 2 workers, bound to 127.0.0.1; on a cluster pass "
        '`address="ray://head:10001"`. The results are the local executor\'s: the same '
        "dataset files byte for byte, the same scenes."
    ),
    code(
        "import json, tempfile\n"
        "from pathlib import Path\n"
        "import numpy as np\n"
        "from PIL import Image\n"
        "from worldnb import GenerationConfig\n"
        "from worldnb.batch import generate_many\n"
        "from worldnb.parallel import ray_session\n"
        "from worldnb.worlds import render_dataset\n"
        "work = Path(tempfile.mkdtemp())"
    ),
    md(
        "One Ray task per room; a bounded number in flight, a progress bar, and a manifest "
        "of finished rooms, so running the same call again after a crash resumes. Then "
        "`generate_many`: every worker is an actor that loads the depth model once; one "
        "`.wnb` per image, and a bad input fails alone."
    ),
    code(
        "flat = lambda rgb: np.full(rgb.shape[:2], 2.0, np.float32)  # or depth='<model id>'\n"
        "with ray_session(num_workers=2) as ray:\n"
        "    print(ray.cluster_resources()['CPU'], 'CPUs')\n"
        "    ds = render_dataset(2, work / 'rooms', size=32, cameras_per_room=1, executor='ray')\n"
        "    images = sorted(ds.glob('room_*/view_00_rgb.png')) + [work / 'missing.png']\n"
        "    res = generate_many(images, work / 'scenes', GenerationConfig(n_views=0, refine_iters=0),\n"
        "                        depth=flat, executor='ray', num_workers=1)\n"
        "res.counts"
    ),
    md(
        "The manifest: per item its status, the worker's seconds, the device it ran on and "
        "the GPUs Ray gave its worker (on a cluster with GPUs there is one actor per GPU; "
        "`device='cpu'` asks for none), and the output or the error."
    ),
    code(
        "for line in (work / 'scenes' / 'manifest.jsonl').read_text().splitlines():\n"
        "    item = json.loads(line)\n"
        "    print(item['index'], item['status'], round(item['seconds'], 2), item['device'],\n"
        "          item['gpu_ids'], item['output'] or item['error'])"
    ),
    md("The same dataset from the local executor, compared file by file:"),
    code(
        "local = render_dataset(2, work / 'rooms_local', size=32, cameras_per_room=1, progress=False)\n"
        "files = sorted(p.relative_to(ds) for p in ds.rglob('*') if p.is_file())\n"
        "same = all((ds / f).read_bytes() == (local / f).read_bytes() for f in files)\n"
        "print(len(files), 'files, identical:', same)\n"
        "Image.fromarray(np.hstack([np.asarray(Image.open(p)) for p in images[:2]]))"
    ),
    md(
        "`benchmarks/scale.py` measures rooms/s and images/s with 1 and 2 workers, the "
        "per-task overhead against the local executor, and estimates a 16-node cluster."
    ),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
out = Path(__file__).resolve().parents[1] / "notebooks" / "08_scaling_out.ipynb"
nbf.write(nb, out)
