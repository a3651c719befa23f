"""Loading Hugging Face models (transformers / diffusers) by hub id or local folder,
with errors that say what to do. Never ``trust_remote_code``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import torch

from ..errors import BackendError, InputError

BUILTIN_MESSAGE = (
    "the 'builtin' {what} backend ships in a later worldnb release; for now pass a "
    "Hugging Face model id, a local model folder, or a callable"
)


def looks_like_path(spec: str) -> bool:
    """Whether a string names a local path rather than a hub id (``org/name``)."""
    return (
        spec.startswith(("/", "./", "../", "~", "."))
        or "\\" in spec
        or spec.count("/") > 1
        or Path(spec).expanduser().exists()
    )


def hub_offline() -> bool:
    try:
        from huggingface_hub import constants

        if constants.HF_HUB_OFFLINE:
            return True
    except ImportError:  # pragma: no cover - huggingface_hub comes with transformers
        pass
    return os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes", "on")


def load_pretrained(spec: str | Path, loader: Callable, kind: str, expect_file: str):
    """Call ``loader(path_or_id)``, turning every failure into a :class:`BackendError`.

    Args:
        spec: hub id or folder.
        loader: e.g. ``lambda s: AutoModelForDepthEstimation.from_pretrained(s)``.
        kind: what the model should be ("transformers depth-estimation model").
        expect_file: a file a valid folder has (``config.json`` / ``model_index.json``).
    """
    s = str(spec)
    if isinstance(spec, Path) or looks_like_path(s):
        path = Path(s).expanduser()
        if not path.exists():
            raise InputError(f"model folder '{path}' does not exist; check the path")
        if not path.is_dir():
            raise BackendError(f"'{path}' is a file; pass the model folder that holds it")
        if not (path / expect_file).exists():
            raise BackendError(
                f"folder '{path}' is not a {kind}: it has no {expect_file}; pass a folder "
                "written by save_pretrained"
            )
        try:
            return loader(str(path))
        except Exception as exc:
            raise BackendError(
                f"folder '{path}' could not be loaded as a {kind} ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}); pass a folder written by "
                "save_pretrained for such a model"
            ) from exc
    try:
        return loader(s)
    except Exception as exc:
        if hub_offline() or isinstance(exc, OSError | ConnectionError):
            raise BackendError(
                f"no local copy of '{s}'"
                + (" (HF_HUB_OFFLINE is set)" if hub_offline() else "")
                + f"; download it (huggingface-cli download {s}) or pass a folder"
            ) from exc
        raise BackendError(f"could not load '{s}' as a {kind}: {exc}") from exc


def pick_device(device: str | torch.device | None) -> torch.device:
    """``"auto"`` → CUDA when available, else CPU; a device that is not there is an
    InputError (the renderer's check, so both engines agree)."""
    from ..rendering import resolve_device

    return resolve_device(device)
