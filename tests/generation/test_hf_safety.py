"""Model folders and hub ids (issue 15 items 2, 3, 10): no remote code, no pickles, and
a fast, clear failure offline. Tiny models are built from configs; the only network
address any test uses is a closed port on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from worldnb.errors import BackendError
from worldnb.generation import DiffusersInpaint, TransformersDepth

REPO = Path(__file__).resolve().parents[2]
PROMPT = "Do you wish to run the custom code"


_PROXY_VARS = [v for k in ("http", "https", "all") for v in (f"{k}_proxy", f"{k.upper()}_PROXY")]


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused at once
    return port


def _child(code: str, *args: str, env: dict, timeout: float = 300) -> tuple[list, str]:
    """Run ``code`` with stdin closed; returns (its last JSON line, all its output)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    for k, v in list(full_env.items()):
        if v is None:
            del full_env[k]
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        stdin=subprocess.DEVNULL,
    )
    text = out.stdout + out.stderr
    assert out.returncode == 0, text[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1]), text


_LOAD = """
    import json, sys, time
    import transformers, diffusers  # imports are not what is timed
    from transformers import AutoImageProcessor, AutoModelForDepthEstimation
    from diffusers import AutoPipelineForInpainting
    from worldnb.generation import DiffusersInpaint, TransformersDepth
    out = []
    for cls, spec in json.loads(sys.argv[1]):
        t = time.perf_counter()
        try:
            b = globals()[cls](spec, device="cpu")
            r = {"loaded": [type(getattr(b, a)).__name__ for a in ("model", "processor", "pipe")
                            if hasattr(b, a)]}
        except Exception as exc:
            r = {"error": type(exc).__name__, "message": str(exc)}
        r["seconds"] = time.perf_counter() - t
        out.append(r)
    print(json.dumps(out))
"""


def _load(calls: list[tuple[str, str]], env: dict) -> tuple[list[dict], str]:
    """Build each (backend class, spec) in a fresh interpreter with stdin closed."""
    return _child(_LOAD, json.dumps(calls), env=env)


# ---- item 2: a folder's own code never runs, nothing prompts ------------------------------
_EVIL = """
import pathlib
pathlib.Path({marker!r}).write_text("the folder's code ran")
from transformers import DPTConfig, DPTForDepthEstimation, DPTImageProcessor


class EvilConfig(DPTConfig):
    model_type = "evil_depth"


class EvilModel(DPTForDepthEstimation):
    config_class = EvilConfig


class EvilProcessor(DPTImageProcessor):
    pass
"""


def _with_auto_map(src: Path, dst: Path, model_type: str) -> Path:
    shutil.copytree(src, dst)
    marker = dst.parent / f"{dst.name}.RAN"
    (dst / "evil.py").write_text(_EVIL.format(marker=str(marker)))
    model_map = {"AutoConfig": "evil.EvilConfig", "AutoModelForDepthEstimation": "evil.EvilModel"}
    for name, amap in (
        ("config.json", model_map),
        ("preprocessor_config.json", {"AutoImageProcessor": "evil.EvilProcessor"}),
    ):
        rec = json.loads((dst / name).read_text())
        rec["auto_map"] = amap
        if name == "config.json":
            rec["model_type"] = model_type
        (dst / name).write_text(json.dumps(rec))
    return marker


def test_auto_map_of_a_known_model_type_loads_the_library_class(tiny_dpt, tmp_path, capfd):
    marker = _with_auto_map(tiny_dpt, tmp_path / "known", "dpt")
    backend = TransformersDepth(tmp_path / "known", device="cpu")
    assert PROMPT not in "".join(capfd.readouterr()) and not marker.exists()
    assert type(backend.model).__name__ == "DPTForDepthEstimation"
    assert "Evil" not in type(backend.processor).__name__


def test_auto_map_of_an_unknown_model_type_is_refused_without_a_prompt(tiny_dpt, tmp_path):
    marker = _with_auto_map(tiny_dpt, tmp_path / "custom", "evil_depth")
    (r,), text = _load([("TransformersDepth", str(tmp_path / "custom"))], env={})
    assert PROMPT not in text, "transformers asked whether to run the folder's code"
    assert not marker.exists(), "the folder's code ran"
    assert r["error"] == "BackendError" and "auto_map" in r["message"], r
    assert "never runs code" in r["message"] and r["seconds"] < 30


def test_diffusers_custom_components_are_refused(tiny_sd, tmp_path):
    d = shutil.copytree(tiny_sd, tmp_path / "sd")
    marker = tmp_path / "sd.RAN"
    (d / "unet" / "evil_unet.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "from diffusers import UNet2DConditionModel\n"
        "class EvilUNet(UNet2DConditionModel):\n    pass\n"
    )
    index = json.loads((d / "model_index.json").read_text())
    index["unet"] = ["evil_unet", "EvilUNet"]
    (d / "model_index.json").write_text(json.dumps(index))
    with pytest.raises(BackendError, match=r"unet/evil_unet\.py.*never runs code"):
        DiffusersInpaint(d, device="cpu")
    assert not marker.exists()


# ---- item 3: no pickled weights ------------------------------------------------------------
def test_a_pickle_only_transformers_folder_is_refused_with_how_to_convert(tmp_path):
    from transformers import AutoModelForDepthEstimation

    from worldnb.testing import build_tiny_depth_model

    src = build_tiny_depth_model(tmp_path / "src")
    model = AutoModelForDepthEstimation.from_pretrained(src)
    pickled = tmp_path / "pickled"
    shutil.copytree(src, pickled)
    (pickled / "model.safetensors").unlink()
    import torch

    torch.save(model.state_dict(), pickled / "pytorch_model.bin")
    with pytest.raises(BackendError, match=r"pytorch_model\.bin.*save_pretrained"):
        TransformersDepth(pickled, device="cpu")


def test_a_pickle_only_diffusers_folder_is_refused_with_how_to_convert(tiny_sd, tmp_path):
    import torch

    d = shutil.copytree(tiny_sd, tmp_path / "sd")
    (weights,) = (d / "unet").glob("*.safetensors")
    from safetensors.torch import load_file

    torch.save(load_file(weights), d / "unet" / "diffusion_pytorch_model.bin")
    weights.unlink()
    with pytest.raises(BackendError, match=r"unet/diffusion_pytorch_model\.bin.*safetensors"):
        DiffusersInpaint(d, device="cpu")


def test_safetensors_folders_still_load(tiny_dpt, tiny_sd):
    assert TransformersDepth(tiny_dpt, device="cpu").kind == "disparity"
    assert DiffusersInpaint(tiny_sd, device="cpu").pipe is not None


# ---- item 10: hub ids offline fail fast and say how to pre-download ----------------------
def _fake_cache(model: Path, cache: Path, repo: str) -> None:
    """Lay ``model`` out as the Hugging Face cache holds a downloaded repository."""
    commit = "0" * 40
    base = cache / ("models--" + repo.replace("/", "--"))
    shutil.copytree(model, base / "snapshots" / commit)
    (base / "refs").mkdir(parents=True)
    (base / "refs" / "main").write_text(commit)


@pytest.mark.parametrize("offline", ["HF_HUB_OFFLINE", "unreachable hub"])
def test_hub_ids_without_a_network_fail_fast_or_load_from_the_cache(offline, tiny_dpt, tmp_path):
    _fake_cache(tiny_dpt, tmp_path / "cache", "org/tiny-dpt")
    env = {"HF_HUB_CACHE": str(tmp_path / "cache"), "HF_HOME": str(tmp_path / "home")}
    if offline == "HF_HUB_OFFLINE":
        env["HF_HUB_OFFLINE"] = "1"
        why = "HF_HUB_OFFLINE"
    else:  # the only address a test may use: a closed port on 127.0.0.1
        env.update(HF_HUB_OFFLINE=None, TRANSFORMERS_OFFLINE=None, HF_DATASETS_OFFLINE=None)
        # no proxy either: the probe would connect to it (not 127.0.0.1) instead
        env.update({v: None for v in _PROXY_VARS})
        env["HF_ENDPOINT"] = f"http://127.0.0.1:{_closed_port()}"
        why = "unreachable: http://127.0.0.1"
    calls = [
        ("TransformersDepth", "org/not-downloaded"),
        ("DiffusersInpaint", "org/not-downloaded"),
        ("TransformersDepth", "org/tiny-dpt"),
    ]
    (depth, inpaint, cached), _ = _load(calls, env)
    for r in (depth, inpaint):
        assert r.get("error") == "BackendError", r
        assert why in r["message"] and "network" in r["message"], r
        assert "`hf download org/not-downloaded`" in r["message"]
        assert "huggingface-cli" not in r["message"]
        assert r["seconds"] < 3.0, r
    assert cached.get("loaded", [None])[0] == "DPTForDepthEstimation", cached
    assert cached["seconds"] < 10.0, cached


def test_the_reachability_probe_goes_through_the_configured_proxy(monkeypatch):
    from worldnb.generation._hf import _reachable

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        for var in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY"):
            monkeypatch.delenv(var, raising=False)
        closed = f"http://127.0.0.1:{_closed_port()}"
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
        assert "cannot be reached" in _reachable(closed)
        # behind a proxy, only the proxy must answer (the hub itself is not contacted)
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{listener.getsockname()[1]}")
        assert _reachable(closed) is None
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{_closed_port()}")
        assert "the proxy" in _reachable(closed)
    finally:
        listener.close()
