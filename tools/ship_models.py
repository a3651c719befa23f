"""Ship trained models into the package, then write their model cards.

One command does it all:

    python tools/ship_models.py ship --dense .train/dense --inpaint .train/inpaint \
        [--notes notes.json] [-- BENCHMARK ARGS, e.g. --rooms 12 --e2e]

It copies ``depth/``, ``segment/`` and ``inpaint/`` (weights + configs, no
checkpoints) from the training folders into ``worldnb/models/weights/``, adds what
the training data was (rooms, images, resolution, counted from the training folder's
rendered chunks) to each training record, runs ``benchmarks/models.py`` on the
shipped weights, keeps its JSON as ``worldnb/models/weights/benchmark.json``, writes
each ``README.md`` from the training records and that JSON (no typed-in numbers),
and checks that all weights together stay under 40 MB. The steps also run alone:
``copy``, ``bench`` and ``cards --bench FILE``.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import shutil
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "worldnb" / "models" / "weights"
BENCH = WEIGHTS / "benchmark.json"
LIMIT_BYTES = 40e6

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


def data_stats(train_folder: Path, last_seed: int | None = None) -> dict | None:
    """What a training run rendered, counted from its ``data/chunk_*/index.json``
    (rooms with seeds up to ``last_seed``: the ones the model had when exported)."""
    rooms = images = 0
    sizes, styles, seeds = set(), set(), []
    for index in sorted(Path(train_folder).glob("data/chunk_*/index.json")):
        d = json.loads(index.read_text())
        sizes.add(d["size"])
        styles.update(d.get("lighting_styles") or [])
        for r in d["rooms"]:
            if last_seed is not None and int(r["seed"]) > last_seed:
                continue
            rooms += 1
            images += int(r["views"])
            seeds.append(int(r["seed"]))
    if not rooms:
        return None
    return {
        "rooms": rooms,
        "images": images,
        "render_size": sorted(sizes),
        "seeds": f"{min(seeds)}..{max(seeds)}",
        "lighting_styles": sorted(styles),
    }


def _record_path(name: str, folder: Path = WEIGHTS) -> Path:
    return folder / name / ("training.json" if name == "inpaint" else "config.json")


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
        rec = _record_path(name)
        cfg = json.loads(rec.read_text())
        last = int(str(cfg["training"]["train_seeds"]).split("..")[-1])
        stats = data_stats(Path(src), last)
        if stats:
            cfg["training"]["data"] = stats
            rec.write_text(json.dumps(cfg, indent=1))
        if name == "inpaint":
            index = d / "model_index.json"
            cfg = json.loads(index.read_text())
            for key in ("coarse_size", "detail_strength"):
                if getattr(args, key, None) is not None:
                    cfg[key] = getattr(args, key)
            index.write_text(json.dumps(cfg, indent=2))
        print(f"{s} -> {d}", file=sys.stderr)  # noqa: T201
    total = weights_bytes()
    print(f"all weights: {total / 1e6:.1f} MB (limit {LIMIT_BYTES / 1e6:.0f} MB)", file=sys.stderr)  # noqa: T201
    if total >= LIMIT_BYTES:
        raise SystemExit(f"the shipped weights are {total / 1e6:.1f} MB, over the 40 MB limit")


def weights_bytes() -> int:
    return sum(f.stat().st_size for f in WEIGHTS.rglob("*.safetensors"))


def bench(args) -> dict:
    """Run benchmarks/models.py on the shipped weights; keep its JSON in BENCH."""
    sys.path.insert(0, str(ROOT / "benchmarks"))  # its helpers (_executor)
    spec = importlib.util.spec_from_file_location("bench_models", ROOT / "benchmarks" / "models.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    buf = io.StringIO()
    with redirect_stdout(buf):
        out = mod.main(list(args.bench_args))
    BENCH.write_text(buf.getvalue())
    print(buf.getvalue())  # noqa: T201
    return out


def _training(name: str) -> dict:
    return json.loads(_record_path(name).read_text())["training"]


def _data_sentence(t: dict) -> str:
    d = t.get("data")
    if not d:  # a model copied before the data was counted
        return (
            f"training seeds {t['train_seeds']} (all below 1,000,000), 4 views per room, "
            f"random square crops resized to {t['size']}² px"
        )
    sizes = " and ".join(f"{s}²" for s in d["render_size"])
    return (
        f"{d['images']:,} images of {d['rooms']:,} rooms (seeds {d['seeds']}, all below "
        f"1,000,000) rendered at {sizes} px in the lighting styles "
        f"{', '.join(d['lighting_styles'])}; random square crops resized to {t['size']}² px"
    )


def _card(name: str, bench: dict, met: bool, metrics: str, extra: str = "") -> str:
    t = _training(name)
    h = bench["heldout"]
    hours = t["wall_s"] / 3600
    status = "**met**" if met else "**not met**"
    threads = f"{t['threads']} thread{'s' if t['threads'] != 1 else ''}"
    cmd = bench.get("command", "python benchmarks/models.py")
    when = f" on {bench['date_utc']}" if "date_utc" in bench else ""
    return (
        f"---\nlicense: apache-2.0\nlibrary_name: worldnb\ntags: [worldnb, {name}]\n---\n\n"
        f"# worldnb built-in `{name}` model\n\n"
        f'Load it offline with `worldnb.models.load("{name}")`; `worldnb.generate` uses it '
        "when no backend is named.\n\n"
        "## Data\n\n"
        f"Procedural rooms from `worldnb.worlds.render_dataset`, rendered while training: "
        f"{_data_sentence(t)}; {t['views_seen']:,} crops seen in training (with flips and "
        "colour jitter).\n\n"
        "## Training\n\n"
        f"- steps: {t['steps']:,} (batch {t['batch']})\n"
        f"- hardware: {t['device']} ({threads}; a shared 2-core machine)\n"
        f"- wall time: {t['wall_s']:.0f} s ({hours:.1f} h)\n"
        f"- command (last resumed run): `{t['command']}`\n"
        + (f"- history: {NOTES[name]}\n" if NOTES.get(name) else "")
        + "\n"
        "## Metrics on held-out rooms\n\n"
        f"Seeds from {h['seeds_from']:,} (never used in training): {h['rooms']} rooms, "
        f"{h['images']} images at {h['size']}², cameras at eye height. Measured by "
        f"`{cmd}`{when}, in the run that shipped these weights "
        "(`worldnb/models/weights/benchmark.json`).\n\n"
        f"{metrics}\n"
        f"Target {TARGETS[name]}: {status}.\n{extra}\n"
        + DOMAIN.format(photo=PHOTO[name])
        + "\n## License\n\nApache-2.0, as worldnb.\n"
    )


def _sampler() -> str:
    """The shipped pipeline's sampling settings, as loaded (model_index.json)."""
    from worldnb import models

    c = models.load("inpaint").config
    detail = (
        f"then re-noised to strength {c.detail_strength} and denoised at full size"
        if c.detail_strength > 0
        else "with no full-size pass (`detail_strength` 0)"
    )
    return (
        f"Sampling: DDIM (eta 0, the U-Net predicts the clean image, conditioned on the "
        f"known pixels and the mask); images larger than {c.coarse_size} px are filled at "
        f"{c.coarse_size} px on the longer side (the scale of the training crops) from "
        f"pure noise, upsampled into the hole, {detail}."
    )


def cards(args) -> None:
    bench = json.loads(Path(args.bench or BENCH).read_text())
    if args.notes:
        NOTES.update(json.loads(Path(args.notes).read_text()))
    d, s, i, tm = bench["depth"], bench["segment"], bench["inpaint"], bench["timing"]
    load = (
        f" (load average {bench['load_average']} on this 2-core machine during the run; "
        f"{tm['ratio_to_reference']['depth_plus_segment']}× a reference convolution timed "
        "alongside)"
        if "load_average" in bench
        else ""
    )
    t_ms = (
        f"CPU time at 256², {tm['threads']} threads: depth + segmentation "
        f"{tm['depth_plus_segment_ms']} ms{load}"
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
        "inpaint": f"\n{_sampler()}\n\nOne 20-step fill at 256²: {tm['inpaint_20_steps_ms']} ms "
        f"on the CPU, {tm['threads']} threads"
        + (
            f" (load average {bench['load_average']}; "
            f"{tm['ratio_to_reference']['inpaint_20_steps']}× the reference convolution)"
            if "load_average" in bench
            else ""
        )
        + ".\n",
    }
    for name, met, m in (("depth", ok_d, depth), ("segment", ok_s, seg), ("inpaint", ok_i, inp)):
        (WEIGHTS / name / "README.md").write_text(_card(name, bench, met, m, notes[name]))
        print(f"wrote {WEIGHTS / name / 'README.md'}", file=sys.stderr)  # noqa: T201


def ship(args) -> None:
    copy(args)
    bench(args)
    cards(args)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    rest = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for cmd in ("ship", "copy"):
        c = sub.add_parser(cmd)
        c.add_argument("--dense", help="training folder with depth/ and segment/")
        c.add_argument("--inpaint", help="training folder with inpaint/")
        c.add_argument("--coarse-size", type=int, help="inpaint sampler: coarse pass size (px)")
        c.add_argument(
            "--detail-strength", type=float, help="inpaint sampler: full-size pass strength"
        )
    sub.add_parser("bench", help="arguments after -- go to benchmarks/models.py")
    for cmd in ("ship", "cards"):
        k = sub.choices[cmd] if cmd in sub.choices else sub.add_parser(cmd)
        k.add_argument("--notes", help="JSON {model name: training history sentence}")
    sub.choices["cards"].add_argument(
        "--bench", help=f"JSON printed by benchmarks/models.py (default {BENCH.name})"
    )
    args = p.parse_args(argv)
    args.bench_args = rest
    args.bench = getattr(args, "bench", None)
    {"ship": ship, "copy": copy, "bench": bench, "cards": cards}[args.cmd](args)


if __name__ == "__main__":
    main()
