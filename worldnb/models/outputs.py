"""What depth and segmentation models return (shared by :mod:`worldnb.models` and
:mod:`worldnb.generation`, which sits above it)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DepthPrediction", "Segmentation"]


@dataclass
class DepthPrediction:
    """What a depth backend returns.

    Attributes:
        depth: (H, W) float32. Metres along the camera z axis for ``"metric"``;
            proportional to depth for ``"relative"``; proportional to 1 / depth for
            ``"disparity"`` (larger is nearer).
        kind: ``"metric"``, ``"relative"`` or ``"disparity"``.
        fov_deg: vertical field of view (degrees) if the model predicts one.
        confidence: optional (H, W) float32 in [0, 1].
    """

    depth: np.ndarray
    kind: str = "metric"
    fov_deg: float | None = None
    confidence: np.ndarray | None = None


@dataclass
class Segmentation:
    """What a segmentation backend returns.

    Attributes:
        semantic: (H, W) int32 class index into ``labels``.
        instance: (H, W) int32 instance id; 0 for floor, wall and ceiling (no instance).
        labels: class names, ``labels[semantic[r, c]]`` names a pixel's class.
        scores: (H, W) float32 in [0, 1], the probability of each pixel's class.
    """

    semantic: np.ndarray
    instance: np.ndarray
    labels: list[str]
    scores: np.ndarray

    def instances(self) -> list[dict]:
        """One dict per instance: ``id``, ``label``, ``score`` (mean pixel score) and
        ``pixels``, largest first."""
        out = []
        for i in np.unique(self.instance):
            if i <= 0:
                continue
            m = self.instance == i
            c = int(np.bincount(self.semantic[m]).argmax())
            out.append(
                {
                    "id": int(i),
                    "label": self.labels[c],
                    "score": float(self.scores[m].mean()),
                    "pixels": int(m.sum()),
                }
            )
        return sorted(out, key=lambda d: -d["pixels"])
