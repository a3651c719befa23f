"""The built-in depth and segmentation models: a :class:`~worldnb.models.nets.DenseNet`
behind the generation protocols.

- :class:`BuiltinDepth`: ``rgb (H, W, 3) in [0, 1] -> DepthPrediction`` (metric, with
  the vertical field of view and a confidence map);
- :class:`BuiltinSegmenter`: ``rgb -> Segmentation`` over the room shell, the catalog
  categories and clutter; instances are the connected parts of each object class once
  the predicted instance edges are cut.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from ..errors import InputError
from . import _io
from .nets import DenseNet, DenseNetConfig
from .outputs import DepthPrediction, Segmentation

__all__ = ["BuiltinDepth", "BuiltinSegmenter", "instances_from"]

#: classes without instances
STUFF = ("floor", "wall", "ceiling")


def _check_rgb(rgb) -> np.ndarray:
    rgb = np.asarray(rgb.detach().cpu() if hasattr(rgb, "detach") else rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or min(rgb.shape[:2]) < 8:
        raise InputError(f"rgb: expected an (H, W, 3) image at least 8×8, got {rgb.shape}")
    if rgb.dtype == np.uint8:
        return rgb.astype(np.float32) / 255
    rgb = rgb.astype(np.float32)
    if not np.isfinite(rgb).all():
        raise InputError("rgb: the image has NaN or inf values")
    return np.clip(rgb, 0, 1)


class _DenseModel:
    """Shared shell: a DenseNet read from a model folder, run on one image."""

    task = ""

    def __init__(self, net: DenseNet, config: dict, device: str = "cpu", name: str | None = None):
        self.net = net.to(device).eval()
        self.config = config
        self.device = torch.device(device)
        #: what ``scene.meta["backends"]`` records: ``builtin:<task>`` for the shipped
        #: weights only, the folder for others, ``custom:<task>`` for a network in memory
        self.name = name or f"custom:{self.task}"

    @classmethod
    def from_net(cls, net: DenseNet, device: str = "cpu"):
        """Wrap a network you trained yourself (e.g. in a notebook)."""
        from .train import FOV_PRIOR

        config = {"model": cls.task, "net": net.config.to_dict(), "fov_prior_rad": FOV_PRIOR}
        if cls.task == "segment":
            from .data import classes

            config["classes"] = classes()
        return cls(net, config, device)

    @classmethod
    def from_pretrained(cls, folder: str | Path, device: str = "cpu"):
        """Load a model folder written by ``python -m worldnb.models.train``."""
        config, tensors = _io.read_folder(Path(folder))
        if config.get("model") != cls.task:
            raise InputError(f"{folder}: holds a {config.get('model')!r} model, not {cls.task!r}")
        net = DenseNet(DenseNetConfig.from_dict(config["net"]))
        net.load_state_dict(tensors)
        shipped = Path(folder).resolve() == (Path(__file__).parent / "weights" / cls.task).resolve()
        return cls(net, config, device, name=f"builtin:{cls.task}" if shipped else str(folder))

    def save_pretrained(self, folder: str | Path) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (and keep a model card there)."""
        return _io.write_folder(Path(folder), self.config, self.net.state_dict())

    @torch.no_grad()
    def _run(self, rgb) -> dict[str, torch.Tensor]:
        x = torch.from_numpy(_check_rgb(rgb)).permute(2, 0, 1)[None].to(self.device)
        return self.net(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, size={self.net.config.size})"


class BuiltinDepth(_DenseModel):
    """Metric depth, vertical field of view and confidence from one image.

    Example:
        >>> from worldnb import models
        >>> pred = models.load("depth")(np.full((64, 96, 3), 0.5, np.float32))
        >>> pred.kind, pred.depth.shape, 20 < pred.fov_deg < 120
        ('metric', (64, 96), True)
    """

    task = "depth"

    def __call__(self, rgb: np.ndarray, view=None) -> DepthPrediction:
        """``rgb``: (H, W, 3) float in [0, 1] (or uint8). ``view`` is unused (one image)."""
        out = self._run(rgb)
        log_d, log_b = out["depth"][0, 0], out["depth"][0, 1].clamp(-6, 3)
        depth = torch.exp(log_d).clamp(1e-2, 100).cpu().numpy()
        # confidence from the predicted Laplace scale of the log error: 1 at zero error,
        # 0.5 at a 5 % expected error
        conf = (1 / (1 + torch.exp(log_b) / 0.05)).cpu().numpy().astype(np.float32)
        fov = math.degrees(float(out["fov"][0, 0]) + self.config["fov_prior_rad"])
        return DepthPrediction(depth.astype(np.float32), "metric", min(max(fov, 10.0), 150.0), conf)


class BuiltinSegmenter(_DenseModel):
    """Semantic classes and object instances from one image.

    Example:
        >>> from worldnb import models
        >>> seg = models.load("segment")(np.full((64, 64, 3), 0.5, np.float32))
        >>> seg.semantic.shape, "floor" in seg.labels, "clutter" in seg.labels
        ((64, 64), True, True)
    """

    task = "segment"

    @property
    def labels(self) -> list[str]:
        """The class names, in the order of the model's output channels (index = class id)."""
        return list(self.config["classes"])

    def __call__(self, rgb: np.ndarray, view=None) -> Segmentation:
        """``rgb``: (H, W, 3) float in [0, 1] (or uint8) → :class:`Segmentation`."""
        out = self._run(rgb)
        prob = out["semantic"][0].softmax(0)
        score, sem = prob.max(0)
        edges = torch.sigmoid(out["boundary"][0, 0]) > 0.5
        sem = sem.cpu().numpy().astype(np.int32)
        labels = self.labels
        stuff = [labels.index(s) for s in STUFF]
        inst = instances_from(sem, edges.cpu().numpy(), stuff)
        return Segmentation(sem, inst, labels, score.cpu().numpy().astype(np.float32))


def instances_from(
    semantic: np.ndarray, edges: np.ndarray, stuff: list[int], min_fraction: float = 2e-4
) -> np.ndarray:
    """Instance ids from a class map and an instance-edge map.

    Each non-stuff class is split into connected parts once edge pixels are removed;
    edge pixels then join the nearest part of their class. Parts smaller than
    ``min_fraction`` of the image join their neighbours.

    Returns:
        (H, W) int32, 0 on stuff classes, 1… for instances.
    """
    from scipy import ndimage

    out = np.zeros(semantic.shape, np.int32)
    min_px = max(4, int(min_fraction * semantic.size))
    nxt = 1
    for c in np.unique(semantic):
        if c in stuff:
            continue
        cls = semantic == c
        parts, n = ndimage.label(cls & ~edges)
        if n == 0:
            out[cls] = nxt
            nxt += 1
            continue
        sizes = np.bincount(parts.ravel(), minlength=n + 1)
        small = sizes < min_px
        small[0] = True
        if small[1:].all():
            small[np.argmax(sizes[1:]) + 1] = False
        parts[small[parts]] = 0
        # every class pixel without a part takes the nearest part's id
        _, (ri, ci) = ndimage.distance_transform_edt(parts == 0, return_indices=True)
        parts = np.where(cls, parts[ri, ci], 0)
        ids = np.unique(parts[parts > 0])
        remap = np.zeros(parts.max() + 1, np.int32)
        remap[ids] = np.arange(nxt, nxt + len(ids))
        out[cls] = remap[parts[cls]]
        nxt += len(ids)
    return out
