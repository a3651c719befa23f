"""Model folders: ``config.json`` + ``model.safetensors`` (+ ``README.md``), written
atomically; and training checkpoints as safetensors + JSON (no pickles)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from ..errors import InputError

__all__ = ["read_folder", "write_folder"]


def write_folder(folder: Path, config: dict, tensors: dict[str, torch.Tensor], card: str = ""):
    """Write a model folder in one step: a temporary sibling renamed into place."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        (tmp / "config.json").write_text(json.dumps(config, indent=1))
        save_file(
            {k: v.detach().contiguous().cpu() for k, v in tensors.items()},
            tmp / "model.safetensors",
        )
        if card:
            (tmp / "README.md").write_text(card)
        elif (folder / "README.md").exists():
            shutil.copy(folder / "README.md", tmp / "README.md")
        if folder.exists():
            old = folder.with_name(f".{folder.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def read_folder(folder: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    """``(config, tensors)`` of a model folder; InputError if it is not one."""
    folder = Path(folder)
    cfg, weights = folder / "config.json", folder / "model.safetensors"
    if not cfg.is_file() or not weights.is_file():
        raise InputError(
            f"{folder}: not a worldnb model folder (needs config.json and model.safetensors)"
        )
    return json.loads(cfg.read_text()), load_file(weights)


def save_checkpoint(path: Path, tensors: dict[str, torch.Tensor], state: dict) -> None:
    """Atomically write ``path`` (.safetensors) and its ``.json`` sidecar."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    save_file({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, tmp)
    side = path.with_suffix(".json")
    tmp_side = side.with_name(side.name + ".tmp")
    tmp_side.write_text(json.dumps(state))
    os.replace(tmp, path)
    os.replace(tmp_side, side)


def load_checkpoint(path: Path) -> tuple[dict[str, torch.Tensor], dict] | None:
    """``(tensors, state)`` or None when there is no checkpoint."""
    path = Path(path)
    side = path.with_suffix(".json")
    if not path.is_file() or not side.is_file():
        return None
    return load_file(path), json.loads(side.read_text())


def optimizer_tensors(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict]:
    """Flatten an optimizer's state into tensors + a JSON-able dict (for safetensors)."""
    sd = opt.state_dict()
    tensors, plain = {}, {"param_groups": sd["param_groups"], "state": {}}
    for pid, st in sd["state"].items():
        plain["state"][str(pid)] = {}
        for k, v in st.items():
            if torch.is_tensor(v):
                tensors[f"opt.{pid}.{k}"] = v
            else:
                plain["state"][str(pid)][k] = v
    return tensors, plain


def restore_optimizer(opt: torch.optim.Optimizer, tensors: dict, plain: dict) -> None:
    state = {}
    for pid, st in plain["state"].items():
        state[int(pid)] = dict(st)
    for key, v in tensors.items():
        if key.startswith("opt."):
            _, pid, k = key.split(".", 2)
            state.setdefault(int(pid), {})[k] = v
    opt.load_state_dict({"param_groups": plain["param_groups"], "state": state})
