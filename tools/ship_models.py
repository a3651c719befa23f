"""Ship trained models into the package, then write their model cards.

    python tools/ship_models.py copy --dense .train/dense --inpaint .train/inpaint
    python benchmarks/models.py > bench.json
    python tools/ship_models.py cards --bench bench.json

``copy`` puts ``depth/``, ``segment/`` and ``inpaint/`` (weights + configs, no
checkpoints) under ``worldnb/models/weights/``. ``cards`` writes each ``README.md``
from the training record in the model's config and the benchmark JSON of this run.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parents[1] / "worldnb" / "models" / "weights"

DOMAIN = (
    "## Domain\n\n"
    "Trained only on worldnb's procedural rooms (`worldnb.worlds`): furnished bedrooms, "
    "living rooms, dining rooms, offices and kitchens, rendered from eye height. On "
    "photographs it sees a different world (real textures, clutter, lenses, lighting): "
    "expect {photo}. For photos, pass a Hugging Face model when online, e.g. "
    '`worldnb.generate(img, depth="depth-anything/Depth-Anything-V2-Small-hf")` or '
    '`inpaint="stabilityai/stable-diffusion-2-inpainting"`.\n'
)
PHOTO = {
    "depth": "the right overall layout with metric scale off by tens of percent",
    "segment": "walls and floors found, furniture classes often wrong",
    "inpaint": "flat, room-like fills without photographic detail",
}
TARGETS = {
    "depth": "AbsRel ≤ 0.08 and δ1 ≥ 0.93 (issue 11)",
    "segment": "mIoU ≥ 0.70 (issue 11)",
    "inpaint": "PSNR ≥ mean-fill + 3 dB and ≥ OpenCV Telea; gradient-energy ratio ≥ 0.7",
}


NOTES: dict[str, str] = {}


def copy(args) -> None:
    for name, src in (("depth", args.dense), ("segment", args.dense), ("inpaint", args.inpaint)):
        if src is None:
            continue
        s, d = Path(src) / name, WEIGHTS / name
        if not s.is_dir():
            raise SystemExit(f"{s} is missing")
        card = (d / "README.md").read_text() if (d / "README.md").exists() else None
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(s, d, ignore=shutil.ignore_patterns(".*"))
        if card:
            (d / "README.md").write_text(card)
        print(f"{s} -> {d}")  # noqa: T201


def _training(name: str) -> dict:
    f = WEIGHTS / name / ("training.json" if name == "inpaint" else "config.json")
    return json.loads(f.read_text())["training"]


def _card(name: str, bench: dict, met: bool, metrics: str, extra: str = "") -> str:
    t = _training(name)
    h = bench["heldout"]
    hours = t["wall_s"] / 3600
    status = "**met**" if met else "**not met**"
    return (
        f"---\nlicense: apache-2.0\nlibrary_name: worldnb\ntags: [worldnb, {name}]\n---\n\n"
        f"# worldnb built-in `{name}` model\n\n"
        f'Load it offline with `worldnb.models.load("{name}")`; `worldnb.generate` uses it '
        "when no backend is named.\n\n"
        "## Data\n\n"
        f"Procedural rooms from `worldnb.worlds.render_dataset`, rendered on the fly: "
        f"training seeds {t['train_seeds']} (all below 1,000,000), 4 views per room, "
        f"random square crops resized to {t['size']}² px; {t['views_seen']:,} images seen "
        f"in training (with flips and colour jitter).\n\n"
        "## Training\n\n"
        f"- steps: {t['steps']:,} (batch {t['batch']})\n"
        f"- hardware: {t['device']} ({t['threads']} thread; a shared 2-core machine)\n"
        f"- wall time: {t['wall_s']:.0f} s ({hours:.1f} h)\n"
        f"- command (last resumed run): `{t['command']}`\n"
        + (f"- history: {NOTES[name]}\n" if NOTES.get(name) else "")
        + "\n"
        "## Metrics on held-out rooms\n\n"
        f"Seeds from {h['seeds_from']:,} (never used in training): {h['rooms']} rooms, "
        f"{h['images']} images at {h['size']}², cameras at eye height. Measured by "
        "`python benchmarks/models.py` in the run that shipped these weights.\n\n"
        f"{metrics}\n"
        f"Target {TARGETS[name]}: {status}.\n{extra}\n"
        + DOMAIN.format(photo=PHOTO[name])
        + "\n## License\n\nApache-2.0, as worldnb.\n"
    )


def cards(args) -> None:
    bench = json.loads(Path(args.bench).read_text())
    if args.notes:
        NOTES.update(json.loads(Path(args.notes).read_text()))
    d, s, i, tm = bench["depth"], bench["segment"], bench["inpaint"], bench["timing"]
    t_ms = (
        f"CPU time at 256², {tm['threads']} threads: depth + segmentation "
        f"{tm['depth_plus_segment_ms']} ms"
    )
    depth = (
        "| metric | value |\n|---|---|\n"
        f"| AbsRel | {d['abs_rel']} |\n| δ1 | {d['delta1']} |\n"
        f"| scale-invariant log error (×100) | {d['si_log']} |\n"
        f"| field-of-view error (°) | {d['fov_err_deg']} |\n"
    )
    if "depth_lighting_heldout" in bench:
        dl = bench["depth_lighting_heldout"]
        depth += f"| AbsRel / δ1, held-out lighting style | {dl['abs_rel']} / {dl['delta1']} |\n"
    seg = (
        "| metric | value |\n|---|---|\n"
        f"| semantic mIoU (classes present) | {s['miou']} |\n"
        f"| pixel accuracy | {s['pixel_acc']} |\n"
        f"| instance AP50 (objects) | {s['instance_ap50']} |\n"
    )
    inp = (
        "| fill | PSNR over the hole (dB) | gradient-energy ratio |\n|---|---|---|\n"
        + "".join(
            f"| {k} | {i[k]['psnr_db']} | {i[k]['grad_energy_ratio']} |\n"
            for k in ("builtin", "mean", "telea")
            if k in i
        )
        + f"\n{i['images']} images, holes cover {i['hole_fraction']:.0%} on average.\n"
    )
    ok_d = d["abs_rel"] <= 0.08 and d["delta1"] >= 0.93
    ok_s = s["miou"] >= 0.70
    ok_i = (
        i["builtin_minus_mean_db"] >= 3
        and i.get("builtin_minus_telea_db", -1) >= 0
        and i["builtin"]["grad_energy_ratio"] >= 0.7
    )
    notes = {
        "depth": f"\n{t_ms}.\n",
        "segment": f"\n{t_ms}.\n",
        "inpaint": f"\nOne 20-step fill at 256²: {tm['inpaint_20_steps_ms']} ms on the CPU.\n",
    }
    for name, met, m in (("depth", ok_d, depth), ("segment", ok_s, seg), ("inpaint", ok_i, inp)):
        (WEIGHTS / name / "README.md").write_text(_card(name, bench, met, m, notes[name]))
        print(f"wrote {WEIGHTS / name / 'README.md'}")  # noqa: T201


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("copy")
    c.add_argument("--dense", help="training folder with depth/ and segment/")
    c.add_argument("--inpaint", help="training folder with inpaint/")
    k = sub.add_parser("cards")
    k.add_argument("--bench", required=True, help="JSON printed by benchmarks/models.py")
    k.add_argument("--notes", help="JSON {model name: training history sentence}")
    args = p.parse_args()
    (copy if args.cmd == "copy" else cards)(args)


if __name__ == "__main__":
    main()
