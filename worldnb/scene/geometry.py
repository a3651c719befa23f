"""Geometry layers: point clouds, triangle meshes and 3D Gaussians.

Arrays at rest are numpy float32 / int32, checked at construction. Colours are
float32 RGB in [0, 1] (uint8 input is scaled by 1/255).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from .validate import as_array, as_colors

__all__ = ["SH_C0", "Gaussians", "Mesh", "PointCloud"]

#: Zeroth-order real spherical-harmonic constant: colour = 0.5 + SH_C0 * f_dc.
SH_C0 = 0.28209479177387814


def _bounds(xyz: np.ndarray) -> np.ndarray | None:
    if len(xyz) == 0:
        return None
    return np.stack([xyz.min(0), xyz.max(0)]).astype(np.float32)


class PointCloud:
    """Points with colours.

    Args:
        xyz: (N, 3) float32 world positions (m).
        rgb: (N, 3) colours in [0, 1] (or uint8); mid-grey if None.
        normals: optional (N, 3) unit normals.
        instance: optional (N,) int32 object ids (−1 = none).
    """

    kind = "points"

    def __init__(
        self,
        xyz: ArrayLike,
        rgb: ArrayLike | None = None,
        normals: ArrayLike | None = None,
        instance: ArrayLike | None = None,
    ):
        self.xyz = as_array("xyz", xyz, (None, 3), copy=True)
        n = len(self.xyz)
        self.rgb = np.full((n, 3), 0.5, np.float32) if rgb is None else as_colors("rgb", rgb, n)
        self.normals = None if normals is None else as_array("normals", normals, (n, 3))
        self.instance = None if instance is None else as_array("instance", instance, (n,), np.int32)

    def __len__(self) -> int:
        return len(self.xyz)

    @property
    def bounds(self) -> np.ndarray | None:
        """(2, 3) min / max corner, or None when empty."""
        return _bounds(self.xyz)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that define this layer (for persistence)."""
        out = {"xyz": self.xyz, "rgb": self.rgb}
        if self.normals is not None:
            out["normals"] = self.normals
        if self.instance is not None:
            out["instance"] = self.instance
        return out

    def __repr__(self) -> str:
        return f"PointCloud({len(self):,} points)"


class Mesh:
    """A triangle mesh.

    Args:
        vertices: (V, 3) float32 world positions.
        faces: (F, 3) int32 vertex indices, counter-clockwise seen from the front.
        vertex_colors: optional (V, 3) colours in [0, 1] (or uint8).
        uv: optional (V, 2) texture coordinates in glTF's convention: u runs right,
            v runs down, (0, 0) is the top-left corner of ``texture`` (v = 0 is its
            first row).
        texture: optional (H, W, 3) float32 image in [0, 1] (or uint8).
        instance: optional (F,) int32 object id per face (−1 = none).
    """

    kind = "mesh"

    def __init__(
        self,
        vertices: ArrayLike,
        faces: ArrayLike,
        vertex_colors: ArrayLike | None = None,
        uv: ArrayLike | None = None,
        texture: ArrayLike | None = None,
        instance: ArrayLike | None = None,
    ):
        self.vertices = as_array("vertices", vertices, (None, 3), copy=True)
        self.faces = as_array("faces", faces, (None, 3), np.int32, copy=True)
        nv = len(self.vertices)
        if self.faces.size and (self.faces.min() < 0 or self.faces.max() >= nv):
            raise InputError(
                f"faces: indices must lie in [0, {nv - 1}] for {nv} vertices, "
                f"got [{self.faces.min()}, {self.faces.max()}]"
            )
        self.vertex_colors = (
            None if vertex_colors is None else as_colors("vertex_colors", vertex_colors, nv)
        )
        self.uv = None if uv is None else as_array("uv", uv, (nv, 2))
        if texture is not None:
            try:
                tex = np.asarray(texture)
            except (TypeError, ValueError) as exc:
                raise InputError(f"texture: could not read as an image array ({exc})") from None
            if tex.ndim != 3 or tex.shape[2] != 3:
                raise InputError(f"texture: expected shape (H, W, 3), got {tex.shape}")
            h, w = tex.shape[:2]
            texture = as_colors("texture", tex.reshape(-1, 3), h * w).reshape(h, w, 3)
        self.texture = texture
        if self.texture is not None and self.uv is None:
            raise InputError("texture given without uv: pass uv (V, 2) with a texture")
        self.instance = (
            None
            if instance is None
            else as_array("instance", instance, (len(self.faces),), np.int32)
        )

    def __len__(self) -> int:
        return len(self.faces)

    @property
    def bounds(self) -> np.ndarray | None:
        """(2, 3) min / max corner, or None when empty."""
        return _bounds(self.vertices)

    @property
    def face_normals(self) -> np.ndarray:
        """(F, 3) float32 unit normals (right-hand rule over the face's vertex order)."""
        v = self.vertices[self.faces].astype(np.float64)
        n = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
        norm = np.linalg.norm(n, axis=1, keepdims=True)
        return (n / np.where(norm > 0, norm, 1)).astype(np.float32)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that define this layer (for persistence)."""
        out = {"vertices": self.vertices, "faces": self.faces}
        for name in ("vertex_colors", "uv", "texture", "instance"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def __repr__(self) -> str:
        return f"Mesh({len(self.vertices):,} vertices, {len(self.faces):,} faces)"


#: Largest log standard deviation a Gaussian may have (σ = e^20 ≈ 4.9e8 m); beyond about
#: 44 the covariance σ² overflows float32 and renders NaN.
MAX_LOG_SCALE = 20.0


class Gaussians:
    """3D Gaussians (the 3D Gaussian Splatting parameterisation).

    Args:
        means: (N, 3) float32 centres (m).
        scales: (N, 3) **log** standard deviations along the local axes, at most
            :data:`MAX_LOG_SCALE`.
        quats: (N, 4) rotations, **wxyz**; need not be normalised, must be non-zero.
        opacities: (N,) **logit** opacities.
        colors: (N, 3) zeroth-order RGB, nominally in [0, 1]; not clamped, since
            3DGS files hold DC terms outside that range (``colors = 0.5 + SH_C0·f_dc``).
        sh_rest: optional (N, K, 3) higher-order SH coefficients, K = (deg+1)² − 1 with
            deg ∈ {1, 2, 3} (same meaning and order as the reference ``f_rest``).
    """

    kind = "gaussians"

    def __init__(
        self,
        means: ArrayLike,
        scales: ArrayLike,
        quats: ArrayLike,
        opacities: ArrayLike,
        colors: ArrayLike,
        sh_rest: ArrayLike | None = None,
    ):
        self.means = as_array("means", means, (None, 3), copy=True)
        n = len(self.means)
        self.scales = as_array("scales", scales, (n, 3), copy=True)
        if n and float(self.scales.max()) > MAX_LOG_SCALE:
            raise InputError(
                f"scales: log standard deviations must be <= {MAX_LOG_SCALE:g} "
                f"(σ ≈ {np.exp(MAX_LOG_SCALE):.1e} m), got {float(self.scales.max()):g}; "
                "the scales are logs: pass np.log(sigma)"
            )
        self.quats = as_array("quats", quats, (n, 4), copy=True)
        if n and np.any(np.linalg.norm(self.quats, axis=1) < 1e-12):
            raise InputError("quats: every quaternion must be non-zero (wxyz)")
        self.opacities = as_array("opacities", opacities, (n,), copy=True)
        self.colors = as_array("colors", colors, (n, 3), copy=True)
        self.sh_rest = None
        if sh_rest is not None:
            sh = as_array("sh_rest", sh_rest, (n, None, 3), copy=True)
            if sh.shape[1] not in (3, 8, 15):
                raise InputError(
                    f"sh_rest: expected (N, K, 3) with K in 3, 8, 15 (SH degree 1–3), "
                    f"got K={sh.shape[1]}"
                )
            self.sh_rest = sh

    def __len__(self) -> int:
        return len(self.means)

    @property
    def sh_degree(self) -> int:
        """0 for plain colours, else 1–3."""
        if self.sh_rest is None:
            return 0
        return {3: 1, 8: 2, 15: 3}[self.sh_rest.shape[1]]

    @property
    def bounds(self) -> np.ndarray | None:
        """(2, 3) min / max corner of the means, or None when empty."""
        return _bounds(self.means)

    @property
    def alphas(self) -> np.ndarray:
        """(N,) opacities in [0, 1] (sigmoid of the stored logits)."""
        return (1.0 / (1.0 + np.exp(-self.opacities.astype(np.float64)))).astype(np.float32)

    @property
    def stds(self) -> np.ndarray:
        """(N, 3) standard deviations in metres (exp of the stored log scales)."""
        return np.exp(self.scales)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that define this layer (for persistence)."""
        out = {
            "means": self.means,
            "scales": self.scales,
            "quats": self.quats,
            "opacities": self.opacities,
            "colors": self.colors,
        }
        if self.sh_rest is not None:
            out["sh_rest"] = self.sh_rest
        return out

    def __repr__(self) -> str:
        return f"Gaussians({len(self):,}, sh_degree={self.sh_degree})"


LAYER_TYPES = {cls.kind: cls for cls in (PointCloud, Mesh, Gaussians)}
