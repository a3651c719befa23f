"""Loading Hugging Face models (transformers / diffusers) by hub id or local folder,
with errors that say what to do.

Safety: every loader gets ``trust_remote_code=False`` (a folder's own Python is never
run and transformers never asks "Do you wish to run the custom code?") and weights
get ``use_safetensors=True`` (pickled weights can run code when loaded; folders that
hold only pickles are refused with how to convert them). There is no opt-in: to use a
model that needs its own code, load it yourself and pass a callable backend.

Offline: a hub id that is not in the local cache fails at once when ``HF_HUB_OFFLINE``
is set or the hub's address cannot be reached within :data:`CONNECT_TIMEOUT_S`
(instead of retrying for half a minute), saying how to pre-download it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import torch

from ..errors import BackendError, InputError
from .quiet import quiet_known_warnings

#: How long to wait for the hub's address before treating the network as off.
CONNECT_TIMEOUT_S = 1.5
#: File suffixes that hold pickled weights (loading a pickle can run code).
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")
_CONVERT_HINT = (
    "convert it once, where you trust the files: load it with transformers / diffusers "
    "yourself and call .save_pretrained(new_folder) (it writes safetensors), then pass "
    "new_folder"
)


def looks_like_path(spec: str) -> bool:
    """Whether a string names a local path rather than a hub id (``org/name``)."""
    return (
        spec.startswith(("/", "./", "../", "~", "."))
        or "\\" in spec
        or spec.count("/") > 1
        or os.path.exists(os.path.expanduser(spec))  # False, never an error, for odd paths
    )


def hub_offline() -> bool:
    """Whether ``HF_HUB_OFFLINE`` is set (as huggingface_hub reads it, or in the env)."""
    try:
        from huggingface_hub import constants

        if constants.HF_HUB_OFFLINE:
            return True
    except ImportError:  # pragma: no cover - huggingface_hub comes with transformers
        pass
    return os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes", "on")


def hub_endpoint() -> str:
    try:
        from huggingface_hub import constants

        return constants.ENDPOINT
    except ImportError:  # pragma: no cover
        return os.environ.get("HF_ENDPOINT", "https://huggingface.co")


def _reachable(url: str, timeout: float = CONNECT_TIMEOUT_S) -> str | None:
    """None when a TCP connection to ``url``'s host (or to the proxy the environment
    names for it) opens within ``timeout``, else why not.

    Name lookup cannot be given a timeout, so the whole probe runs in a thread that is
    waited for at most ``timeout`` seconds.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return f"the hub address {url!r} has no host name"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if proxy and not urllib.request.proxy_bypass(host):
        p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if p.hostname:
            url = f"the proxy {proxy} (for {url})"
            host, port = p.hostname, p.port or (443 if p.scheme == "https" else 80)
    box: dict = {}

    def probe():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            box["ok"] = True
        except OSError as exc:
            box["why"] = exc.strerror or type(exc).__name__

    t = threading.Thread(target=probe, daemon=True)
    t.start()
    t.join(timeout + 0.1)
    if box.get("ok"):
        return None
    return f"{url} cannot be reached ({box.get('why', f'no answer in {timeout:g} s')})"


def _cached(repo_id: str, filename: str) -> bool:
    """Whether the local Hugging Face cache holds ``filename`` of ``repo_id``."""
    from huggingface_hub import try_to_load_from_cache

    try:
        return isinstance(try_to_load_from_cache(repo_id, filename), str)
    except Exception:  # a malformed id: let the loader say so
        return False


def _pickle_only(folder: Path) -> Path | None:
    """A pickled weight file in ``folder`` or a direct subfolder that has no safetensors."""
    for d in (folder, *sorted(p for p in folder.iterdir() if p.is_dir())):
        files = [p for p in d.iterdir() if p.is_file()]
        if any(p.suffix == ".safetensors" for p in files):
            continue
        pickles = sorted(p for p in files if p.suffix.lower() in PICKLE_SUFFIXES)
        if pickles:
            return pickles[0]
    return None


def _custom_code(folder: Path) -> str | None:
    """What in ``folder`` asks to run its own Python (``auto_map``, custom components)."""
    found = []
    for name in ("config.json", "preprocessor_config.json", "tokenizer_config.json"):
        try:
            rec = json.loads((folder / name).read_text())
        except (OSError, ValueError):
            continue
        if isinstance(rec, dict) and rec.get("auto_map"):
            found.append(f"'auto_map' in {name}")
    code = sorted(folder.glob("*.py")) + sorted(folder.glob("*/*.py"))
    found += [str(p.relative_to(folder)) for p in code[:3]]
    return ", ".join(found) or None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:300]}" if text else type(exc).__name__


def load_pretrained(
    spec: str | Path, loader: Callable, kind: str, expect_file: str, *, weights: bool = True
):
    """Call ``loader(path_or_id, **safe_options)``, turning every failure into a
    :class:`BackendError` that says what to do.

    ``safe_options`` are ``trust_remote_code=False``, ``use_safetensors=True`` (when
    ``weights``) and, when the hub cannot be reached, ``local_files_only=True``.

    Args:
        spec: hub id or folder.
        loader: e.g. ``lambda s, **kw: AutoModelForDepthEstimation.from_pretrained(s, **kw)``.
        kind: what the model should be ("transformers depth-estimation model").
        expect_file: a file a valid folder has (``config.json`` / ``model_index.json``).
        weights: whether the loader reads weights (a processor or tokenizer does not).
    """
    with quiet_known_warnings():
        return _load(spec, loader, kind, expect_file, weights)


def _load(spec, loader, kind, expect_file, weights):
    s = str(spec)
    options: dict = {"trust_remote_code": False}
    if weights:
        options["use_safetensors"] = True
    if isinstance(spec, Path) or looks_like_path(s):
        return _load_folder(Path(s).expanduser(), loader, kind, expect_file, weights, options)
    return _load_hub(s, loader, kind, expect_file, options)


def _load_folder(path: Path, loader, kind, expect_file, weights, options):
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"model folder '{path}' does not exist; check the path") from None
    except OSError as exc:
        raise InputError(f"model folder '{path}': {exc.strerror or exc}") from None
    if not path.is_dir():
        raise BackendError(f"'{path}' is a file; pass the model folder that holds it")
    if not (path / expect_file).is_file():
        raise BackendError(
            f"folder '{path}' is not a {kind}: it has no {expect_file}; pass a folder "
            "written by save_pretrained"
        )
    pickled = _pickle_only(path) if weights else None
    if pickled is not None:
        raise BackendError(
            f"folder '{path}' holds its weights only as a pickle ({pickled.relative_to(path)}), "
            f"which can run code when loaded; worldnb loads safetensors only. {_CONVERT_HINT}"
        )
    try:
        return loader(str(path), **options)
    except Exception as exc:
        custom = _custom_code(path)
        if custom:
            raise BackendError(
                f"folder '{path}' could not be loaded with the library's own classes, and it "
                f"asks to run its own Python code ({custom}); worldnb never runs code from a "
                "model folder (trust_remote_code=False). Use a model type transformers / "
                "diffusers ship, or load the model yourself and pass a callable backend"
            ) from exc
        raise BackendError(
            f"folder '{path}' could not be loaded as a {kind} ({_first_line(exc)}); pass a "
            "folder written by save_pretrained for such a model"
        ) from exc


def _load_hub(repo_id: str, loader, kind, expect_file, options):
    offline = "the network is off (HF_HUB_OFFLINE is set)" if hub_offline() else None
    if offline is None:
        offline = _reachable(hub_endpoint())
        if offline is not None:
            offline = f"the network is unreachable: {offline}"
    download = (
        f"download it where there is a network with `hf download {repo_id}` (into the "
        f"Hugging Face cache), or pass a local model folder (`hf download {repo_id} "
        "--local-dir DIR`, then pass DIR)"
    )
    if offline is not None:
        if not _cached(repo_id, expect_file):
            raise BackendError(f"no local copy of '{repo_id}' and {offline}; {download}")
        options = {**options, "local_files_only": True}  # no retries against a dead network
    try:
        return loader(repo_id, **options)
    except Exception as exc:
        if "safetensors" in str(exc).lower():
            raise BackendError(
                f"'{repo_id}' has no safetensors weights ({_first_line(exc)}); worldnb "
                f"does not load pickled weights: {_CONVERT_HINT}"
            ) from exc
        if offline is not None or isinstance(exc, OSError | ConnectionError):
            where = offline or "it could not be fetched"
            raise BackendError(
                f"could not load '{repo_id}' as a {kind} ({_first_line(exc)}); {where}; {download}"
            ) from exc
        raise BackendError(f"could not load '{repo_id}' as a {kind}: {_first_line(exc)}") from exc


def pick_device(device: str | torch.device | None) -> torch.device:
    """``"auto"`` → CUDA when available, else CPU; a device that is not there is an
    InputError (the renderer's check, so both engines agree)."""
    from ..rendering import resolve_device

    return resolve_device(device)
