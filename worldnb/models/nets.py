"""The built-in dense prediction network: a small U-Net that works at a fixed inner
resolution and returns per-pixel heads plus global ones.

The encoder halves the resolution five times from a stride-2 stem; the decoder comes
back up with skip connections, and a light full-resolution branch keeps edges sharp.
Inputs of any size are resized to ``config.size``, and the maps resized back, so the
cost does not grow with the photo.

Heads (``DenseNetConfig.heads``, name → channels):

- ``depth`` (2): log metric depth and the log scale of its Laplace error;
- ``semantic`` (C): class logits; ``boundary`` (1): instance-edge logit;
- ``fov`` (1, global): vertical field of view in radians.

Example:
    >>> import torch
    >>> net = DenseNet(DenseNetConfig(size=64, heads={"depth": 2, "fov": 1}))
    >>> out = net(torch.rand(2, 3, 48, 80))
    >>> tuple(out["depth"].shape), tuple(out["fov"].shape)
    ((2, 2, 48, 80), (2, 1))
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["DenseNet", "DenseNetConfig"]

GLOBAL_HEADS = ("fov",)


@dataclass
class DenseNetConfig:
    """Shape of a :class:`DenseNet`."""

    size: int = 128
    """inner resolution (pixels, square; a multiple of 32)"""
    widths: tuple[int, ...] = (16, 32, 64, 96, 128)
    """channels at 1/2, 1/4, 1/8, 1/16 and 1/32 of ``size``"""
    full_width: int = 16
    """channels of the full-resolution edge branch"""
    heads: dict[str, int] = field(default_factory=lambda: {"depth": 2, "fov": 1})
    """output heads, name → channels (``fov`` is a global head)"""

    def to_dict(self) -> dict:
        return {**asdict(self), "widths": list(self.widths)}

    @classmethod
    def from_dict(cls, d: dict) -> DenseNetConfig:
        d = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**{**d, "widths": tuple(d.get("widths", cls.widths))})


def _block(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, 1, 1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DenseNet(nn.Module):
    """U-Net with per-pixel and global heads (see the module docstring)."""

    def __init__(self, config: DenseNetConfig):
        super().__init__()
        self.config = config
        w = config.widths
        self.down = nn.ModuleList(
            [_block(3, w[0], 2)] + [_block(w[i - 1], w[i], 2) for i in range(1, len(w))]
        )
        self.up = nn.ModuleList(
            [_block(w[i] + w[i - 1], w[i - 1]) for i in range(len(w) - 1, 0, -1)]
        )
        self.full = nn.Sequential(nn.Conv2d(3, config.full_width, 3, 1, 1), nn.ReLU(inplace=True))
        fw = config.full_width
        self.fuse = _block(w[0] + fw, fw)
        pixel = {k: c for k, c in config.heads.items() if k not in GLOBAL_HEADS}
        self.heads = nn.ModuleDict({k: nn.Conv2d(fw, c, 1) for k, c in pixel.items()})
        self.globals = nn.ModuleDict(
            {
                k: nn.Sequential(nn.Linear(w[-1], 64), nn.ReLU(inplace=True), nn.Linear(64, c))
                for k, c in config.heads.items()
                if k in GLOBAL_HEADS
            }
        )
        self.register_buffer("mean", torch.tensor([0.5, 0.5, 0.5]).view(1, 3, 1, 1))

    def forward(self, rgb: torch.Tensor) -> dict[str, torch.Tensor]:
        """``rgb``: (B, 3, H, W) in [0, 1] → {head: (B, C, H, W) or (B, C)}."""
        h, w = rgb.shape[-2:]
        s = self.config.size
        x = rgb - self.mean
        if (h, w) != (s, s):
            x = F.interpolate(x, size=(s, s), mode="bilinear", antialias=True, align_corners=False)
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
        out = {k: g(x.mean((2, 3))) for k, g in self.globals.items()}
        for block, skip in zip(self.up, reversed(skips[:-1]), strict=True):
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear", align_corners=False)
            x = block(torch.cat([x, skip], 1))
        full = self.full(rgb - self.mean if (h, w) == (s, s) else _resize(rgb - self.mean, s))
        x = F.interpolate(x, size=(s, s), mode="bilinear", align_corners=False)
        x = self.fuse(torch.cat([x, full], 1))
        for k, head in self.heads.items():
            y = head(x)
            out[k] = y if (h, w) == (s, s) else F.interpolate(y, size=(h, w), mode="bilinear")
        return out


def _resize(x: torch.Tensor, s: int) -> torch.Tensor:
    return F.interpolate(x, size=(s, s), mode="bilinear", antialias=True, align_corners=False)
