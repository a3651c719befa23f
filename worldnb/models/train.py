"""Train the built-in models from scratch on procedural rooms.

Usage::

    python -m worldnb.models.train depth segment --out runs/dense --steps 3000
    python -m worldnb.models.train inpaint --out runs/inpaint --steps 8000 --size 64

``depth`` and ``segment`` named together train one network with both heads (half
the compute) and write both model folders. Rooms are rendered on the fly in chunks
(seeds below :data:`~worldnb.models.data.HELD_OUT_SEED`) into ``OUT/data``; a fixed
held-out set (seeds from 1,000,000) is scored every ``--eval-every`` steps. Every
step is logged to ``OUT/log.csv``; a checkpoint (safetensors + JSON, no pickles)
is written every ``--save-every`` steps and ``--resume`` continues from it after a
kill. The trained models land in ``OUT/depth``, ``OUT/segment`` and ``OUT/inpaint``,
loadable with :func:`worldnb.models.load`.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import _io, data
from .nets import DenseNet, DenseNetConfig

__all__ = ["dense_losses", "main"]

TASKS = ("depth", "segment", "inpaint")
FOV_PRIOR = math.radians(65.0)


def dense_losses(out: dict, batch: dict) -> dict[str, torch.Tensor]:
    """The training losses of a :class:`DenseNet` for the heads it has.

    depth: L1 of log depth, multi-scale gradient matching of the log error, and a
    Laplace likelihood for the predicted error scale (its confidence); fov: L1 in
    radians; semantic: cross-entropy + soft Dice; boundary: weighted BCE.
    """
    losses = {}
    if "depth" in out:
        gt = batch["depth"]
        valid = gt > 0
        lg = torch.log(gt.clamp_min(1e-3))
        ld, ls = out["depth"][:, 0], out["depth"][:, 1].clamp(-6, 3)
        err = (ld - lg).masked_fill(~valid, 0)
        n = valid.sum().clamp_min(1)
        losses["depth"] = err.abs().sum() / n
        grad = 0.0
        for k in (1, 2, 4):
            e, v = err[:, ::k, ::k], valid[:, ::k, ::k]
            vx, vy = v[:, :, 1:] & v[:, :, :-1], v[:, 1:] & v[:, :-1]
            gx = (e[:, :, 1:] - e[:, :, :-1]).abs() * vx
            gy = (e[:, 1:] - e[:, :-1]).abs() * vy
            grad = grad + gx.sum() / vx.sum().clamp_min(1) + gy.sum() / vy.sum().clamp_min(1)
        losses["grad"] = 0.5 * grad / 3
        nll = (err.detach().abs() * torch.exp(-ls) + ls).masked_fill(~valid, 0)
        losses["conf"] = 0.05 * nll.sum() / n
    if "fov" in out:
        losses["fov"] = F.l1_loss(out["fov"][:, 0] + FOV_PRIOR, batch["fov"])
    if "semantic" in out:
        logits, sem = out["semantic"], batch["semantic"]
        losses["ce"] = F.cross_entropy(logits, sem, ignore_index=-1)
        valid = (sem >= 0).unsqueeze(1)
        prob = logits.softmax(1) * valid
        onehot = F.one_hot(sem.clamp_min(0), logits.shape[1]).permute(0, 3, 1, 2) * valid
        inter = (prob * onehot).sum((0, 2, 3))
        denom = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
        present = onehot.sum((0, 2, 3)) > 0
        losses["dice"] = 0.5 * (1 - (2 * inter + 1) / (denom + 1))[present].mean()
    if "boundary" in out:
        valid = batch["semantic"] >= 0
        bce = F.binary_cross_entropy_with_logits(
            out["boundary"][:, 0], batch["edges"], pos_weight=torch.tensor(4.0), reduction="none"
        )
        losses["edge"] = 0.5 * (bce * valid).sum() / valid.sum().clamp_min(1)
    return losses


def _lr(step: int, steps: int, base: float, warmup: int = 100) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    t = min(1.0, (step - warmup) / max(1, steps - warmup))
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * t)))


def _trim_log(path: Path, step: int) -> bool:
    """Drop log rows after ``step`` (work lost since the last checkpoint); True when the
    log is new."""
    if not path.exists():
        return True
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    keep = [rows[0]] + [r for r in rows[1:] if r and int(r[0]) <= step]
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="") as f:
        csv.writer(f).writerows(keep)
    tmp.replace(path)
    return False


def _pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class Pool:
    """Rendered training views in memory, grown chunk by chunk (seeds < 1,000,000)."""

    def __init__(self, folder: Path, names, size: int, rooms: int, cap: int):
        self.folder, self.names, self.size, self.rooms, self.cap = folder, names, size, rooms, cap
        self.views: list[dict] = []
        self.chunks = 0
        for chunk in sorted(folder.glob("chunk_*")):
            if (chunk / "index.json").exists():
                self._add(chunk)

    def _add(self, chunk: Path):
        self.views.extend(data.load_dataset(chunk, self.names))
        self.views = self.views[-self.cap :]
        self.chunks += 1

    def sample(self, rng: np.random.Generator, n: int, recent: int = 256) -> list[dict]:
        """``n`` random views, half of them from the ``recent`` newest (so that a change
        in the worlds' look reaches training quickly)."""
        k = len(self.views)
        old = rng.integers(0, k, n)
        new = rng.integers(max(0, k - recent), k, n)
        pick = np.where(rng.random(n) < 0.5, new, old)
        return [self.views[i] for i in pick]

    def grow(self):
        seed = self.chunks * self.rooms
        if seed + self.rooms > data.HELD_OUT_SEED:
            return
        chunk = self.folder / f"chunk_{seed:07d}"
        data.render_chunk(chunk, seed, self.rooms, self.size)
        self._add(chunk)


def _heldout(folder: Path, names, size: int, rooms: int = 8) -> list[dict]:
    chunk = folder / "heldout"
    data.render_chunk(chunk, data.HELD_OUT_SEED, rooms, size)
    return data.load_dataset(chunk, names)


@torch.no_grad()
def _evaluate(net, views, names, device) -> dict[str, float]:
    from .metrics import confusion, depth_metrics, mean_iou

    net.eval()
    batch = data.make_batch(views, net.config.size, np.random.default_rng(0), augment=False)
    out = net(batch["rgb"].to(device))
    res = {}
    if "depth" in out:
        pred = torch.exp(out["depth"][:, 0]).cpu().numpy()
        res.update(depth_metrics(pred, batch["depth"].numpy()))
        fov = out["fov"][:, 0].cpu() + FOV_PRIOR
        res["fov_err_deg"] = round(float(torch.rad2deg((fov - batch["fov"]).abs()).mean()), 3)
    if "semantic" in out:
        pred = out["semantic"].argmax(1).cpu().numpy()
        conf = confusion(pred, batch["semantic"].numpy(), len(names))
        res["miou"] = round(mean_iou(conf)[0], 6)
    net.train()
    return res


def export_dense(net: DenseNet, out: Path, task: str, names, info: dict) -> Path:
    """Write the ``depth`` or ``segment`` model folder of a (multi-head) network."""
    keep = {"depth": ("depth", "fov"), "segment": ("semantic", "boundary")}[task]
    heads = {k: c for k, c in net.config.heads.items() if k in keep}
    cfg = DenseNetConfig.from_dict({**net.config.to_dict(), "heads": heads})
    drop = [k for k in net.config.heads if k not in keep]
    tensors = {
        k: v
        for k, v in net.state_dict().items()
        if not any(k.startswith((f"heads.{d}.", f"globals.{d}.")) for d in drop)
    }
    config = {"model": task, "net": cfg.to_dict(), "fov_prior_rad": FOV_PRIOR, **info}
    if task == "segment":
        config["classes"] = list(names)
    return _io.write_folder(out / task, config, tensors)


def train_dense(args, tasks: list[str]) -> None:
    from tqdm.auto import tqdm

    device = _pick_device(args.device)
    out = Path(args.out)
    ckpt = out / "checkpoint.safetensors"
    # the class list is fixed when training starts (the catalog may grow later)
    names = (_io.load_checkpoint(ckpt) or ({}, {}))[1].get("classes") if args.resume else None
    names = names or data.classes()
    heads = {}
    if "depth" in tasks:
        heads.update(depth=2, fov=1)
    if "segment" in tasks:
        heads.update(semantic=len(names), boundary=1)
    out.mkdir(parents=True, exist_ok=True)
    net = DenseNet(DenseNetConfig(size=args.size, heads=heads)).to(device)
    if "depth" in heads:
        with torch.no_grad():  # start at a room-scale depth (3 m) rather than 1 m
            net.heads["depth"].bias[0] = math.log(3.0)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    start, wall0 = 0, 0.0
    if args.resume and (loaded := _io.load_checkpoint(ckpt)):
        tensors, state = loaded
        net.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
        _io.restore_optimizer(opt, tensors, state["optimizer"])
        start, wall0 = state["step"], state["wall_s"]
    elif ckpt.exists() and not args.resume:
        raise SystemExit(f"{ckpt} exists: pass --resume to continue or choose another --out")
    render_size = int(round(args.size * 1.25 / 8) * 8)
    pool = Pool(out / "data", names, render_size, args.rooms_per_chunk, args.pool)
    while len(pool.views) < args.min_views:
        pool.grow()
    held = _heldout(out / "data", names, render_size)
    log_path = out / "log.csv"
    fields = [
        "step",
        "wall_s",
        "lr",
        "loss",
        "depth",
        "grad",
        "conf",
        "fov",
        "ce",
        "dice",
        "edge",
        "abs_rel",
        "delta1",
        "si_log",
        "fov_err_deg",
        "miou",
        "views",
    ]
    new_log = _trim_log(log_path, start)
    logf = log_path.open("a", newline="")
    log = csv.DictWriter(logf, fields, extrasaction="ignore")
    if new_log:
        log.writeheader()
    t0 = time.time() - wall0

    def info(step: int) -> dict:
        return {
            "training": {
                "steps": step,
                "batch": args.batch,
                "size": args.size,
                "render_size": render_size,
                "train_seeds": f"0..{pool.chunks * args.rooms_per_chunk - 1}",
                "views_seen": step * args.batch,
                "device": str(device),
                "threads": torch.get_num_threads(),
                "wall_s": round(time.time() - t0, 1),
                "tasks": tasks,
                "command": "python -m worldnb.models.train " + " ".join(sys.argv[1:]),
            }
        }

    net.train()
    bar = tqdm(
        range(start, args.steps), initial=start, total=args.steps, desc="train " + "+".join(tasks)
    )
    for step in bar:
        if step and step % args.grow_every == 0:
            pool.grow()
        rng = np.random.default_rng([args.seed, step])
        batch = data.make_batch(pool.sample(rng, args.batch), args.size, rng)
        batch = {k: v.to(device) for k, v in batch.items()}
        lr = _lr(step, args.steps, args.lr)
        for g in opt.param_groups:
            g["lr"] = lr
        losses = dense_losses(net(batch["rgb"]), batch)
        loss = sum(losses.values())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        row = {k: round(float(v.detach()), 5) for k, v in losses.items()}
        row.update(
            step=step + 1,
            wall_s=round(time.time() - t0, 1),
            lr=f"{lr:.3g}",
            loss=round(float(loss.detach()), 5),
            views=len(pool.views),
        )
        done = step + 1
        if done % args.eval_every == 0 or done == args.steps:
            row.update(_evaluate(net, held, names, device))
        log.writerow(row)
        logf.flush()
        bar.set_postfix(loss=f"{float(loss.detach()):.3f}")
        if done % args.save_every == 0 or done == args.steps:
            opt_t, opt_plain = _io.optimizer_tensors(opt)
            tensors = {f"model.{k}": v for k, v in net.state_dict().items()} | opt_t
            state = {"step": done, "wall_s": time.time() - t0, "optimizer": opt_plain}
            _io.save_checkpoint(ckpt, tensors, state | {"classes": names})
            for task in tasks:
                export_dense(net, out, task, names, info(done))
    logf.close()


def train_inpaint(args) -> None:
    """Train the pixel-space inpainting pipeline on crops of rendered rooms."""
    from tqdm.auto import tqdm

    from .inpaint import PixelInpaintPipeline, build_unet, inpaint_loss, make_scheduler

    device = _pick_device(args.device)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    unet, scheduler = build_unet(sample_size=args.size // 2).to(device), make_scheduler()
    opt = torch.optim.AdamW(unet.parameters(), lr=args.lr, weight_decay=1e-4)
    ckpt = out / "checkpoint.safetensors"
    start, wall0 = 0, 0.0
    if args.resume and (loaded := _io.load_checkpoint(ckpt)):
        tensors, state = loaded
        unet.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
        _io.restore_optimizer(opt, tensors, state["optimizer"])
        start, wall0 = state["step"], state["wall_s"]
    elif ckpt.exists() and not args.resume:
        raise SystemExit(f"{ckpt} exists: pass --resume to continue or choose another --out")
    render_size = int(round(args.size * 1.6 / 8) * 8)
    pool = Pool(out / "data", data.classes(), render_size, args.rooms_per_chunk, args.pool)
    while len(pool.views) < args.min_views:
        pool.grow()
    log_path = out / "log.csv"
    new_log = _trim_log(log_path, start)
    logf = log_path.open("a", newline="")
    log = csv.DictWriter(logf, ["step", "wall_s", "lr", "loss", "views"])
    if new_log:
        log.writeheader()
    t0 = time.time() - wall0
    unet.train()
    bar = tqdm(range(start, args.steps), initial=start, total=args.steps, desc="train inpaint")
    for step in bar:
        if step and step % args.grow_every == 0:
            pool.grow()
        rng = np.random.default_rng([args.seed, step])
        batch = data.make_batch(pool.sample(rng, args.batch), args.size, rng)
        image = (batch["rgb"] * 2 - 1).to(device)
        mask = torch.from_numpy(data.random_masks(args.batch, args.size, rng))[:, None].float()
        gen = torch.Generator(device).manual_seed(int(rng.integers(2**31)))
        lr = _lr(step, args.steps, args.lr)
        for g in opt.param_groups:
            g["lr"] = lr
        loss = inpaint_loss(unet, scheduler, image, mask.to(device), generator=gen)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        done = step + 1
        log.writerow(
            {
                "step": done,
                "wall_s": round(time.time() - t0, 1),
                "lr": f"{lr:.3g}",
                "loss": round(float(loss.detach()), 5),
                "views": len(pool.views),
            }
        )
        logf.flush()
        bar.set_postfix(loss=f"{float(loss.detach()):.4f}")
        if done % args.save_every == 0 or done == args.steps:
            opt_t, opt_plain = _io.optimizer_tensors(opt)
            tensors = {f"model.{k}": v for k, v in unet.state_dict().items()} | opt_t
            _io.save_checkpoint(
                ckpt, tensors, {"step": done, "wall_s": time.time() - t0, "optimizer": opt_plain}
            )
            _export_inpaint(
                PixelInpaintPipeline(unet, scheduler),
                out / "inpaint",
                {
                    "steps": done,
                    "batch": args.batch,
                    "size": args.size,
                    "train_seeds": f"0..{pool.chunks * args.rooms_per_chunk - 1}",
                    "views_seen": done * args.batch,
                    "device": str(device),
                    "threads": torch.get_num_threads(),
                    "wall_s": round(time.time() - t0, 1),
                    "command": "python -m worldnb.models.train " + " ".join(sys.argv[1:]),
                },
            )
    logf.close()


def _export_inpaint(pipe, folder: Path, info: dict) -> None:
    """save_pretrained into a temporary sibling, then rename into place."""
    import json
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    pipe.save_pretrained(tmp)
    (tmp / "training.json").write_text(json.dumps({"model": "inpaint", "training": info}, indent=1))
    if (folder / "README.md").exists():
        shutil.copy(folder / "README.md", tmp / "README.md")
    old = folder.with_name(f".{folder.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m worldnb.models.train", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("tasks", nargs="+", choices=TASKS, help="what to train")
    p.add_argument("--out", required=True, help="output folder (checkpoints, log.csv, models)")
    p.add_argument("--steps", type=int, default=3000, help="optimizer steps in total")
    p.add_argument("--size", type=int, default=None, help="training resolution (pixels)")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    p.add_argument("--resume", action="store_true", help="continue from OUT's checkpoint")
    p.add_argument("--batch", type=int, default=8, help="images per step")
    p.add_argument("--lr", type=float, default=2e-3, help="peak learning rate (AdamW)")
    p.add_argument("--seed", type=int, default=0, help="sampling seed")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.add_argument("--rooms-per-chunk", type=int, default=8, help="rooms rendered at a time")
    p.add_argument("--grow-every", type=int, default=20, help="render a new chunk every N steps")
    p.add_argument("--min-views", type=int, default=192, help="views rendered before step 1")
    p.add_argument("--pool", type=int, default=4000, help="most views kept in memory")
    p.add_argument("--eval-every", type=int, default=100, help="held-out scoring interval")
    p.add_argument("--save-every", type=int, default=100, help="checkpoint interval")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    tasks = list(dict.fromkeys(args.tasks))
    if args.threads:
        torch.set_num_threads(args.threads)
    if "inpaint" in tasks and len(tasks) > 1:
        raise SystemExit("train inpaint on its own (depth and segment may be trained together)")
    if tasks == ["inpaint"]:
        args.size = args.size or 128
        train_inpaint(args)
    else:
        args.size = args.size or 128
        if args.size % 32:
            raise SystemExit(f"--size must be a multiple of 32, got {args.size}")
        train_dense(args, tasks)


if __name__ == "__main__":
    main()
