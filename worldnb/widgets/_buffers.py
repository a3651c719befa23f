"""Arrays as the browser wants them: float32 / uint8 / uint32, decimated when large.

Everything here is a plain function over numpy arrays. pythreejs sends numpy arrays
in ``BufferAttribute`` / ``DataTexture`` as binary websocket buffers; these helpers
make sure no float64 / int64 (which WebGL cannot take) and no Python lists get there.
"""

from __future__ import annotations

import math

import numpy as np

from ..transforms import gaussian_covariances

__all__ = [
    "box_edges",
    "colors_u8",
    "covariance_upper",
    "decimate",
    "gaussian_quads",
    "quad_order",
    "split_by_instance",
    "texture_rgba",
]

#: Fixed seed for display subsampling: the same scene always shows the same subset.
DECIMATE_SEED = 0


def colors_u8(rgb: np.ndarray) -> np.ndarray:
    """(N, 3) float colours in [0, 1] → (N, 3) uint8 (sent normalised: 3 bytes a point)."""
    return np.clip(np.rint(np.asarray(rgb, np.float32) * 255.0), 0, 255).astype(np.uint8)


def decimate(n: int, max_n: int | None) -> np.ndarray | None:
    """Indices of a reproducible, sorted random subset of ``max_n`` of ``n`` items.

    Returns None when no decimation is needed (``max_n`` is None or ``n <= max_n``).
    """
    if max_n is None or n <= max_n:
        return None
    rng = np.random.default_rng(DECIMATE_SEED)
    return np.sort(rng.choice(n, size=max_n, replace=False)).astype(np.int64)


def split_by_instance(
    faces: np.ndarray, instance: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Duplicate vertices shared by faces of different objects.

    So that recolouring one object's vertices (highlighting) never bleeds into a
    neighbour's faces.

    Args:
        faces: (F, 3) int vertex indices.
        instance: (F,) int object id per face (−1 = none).

    Returns:
        ``vertex_index`` (V',) int64 into the original vertices, ``vertex_instance``
        (V',) int32, and ``faces`` (F, 3) uint32 into the new vertex list.
    """
    fv = faces.astype(np.int64).ravel()
    fi = np.repeat(instance.astype(np.int64), 3)
    span = int(fi.max()) + 2 if fi.size else 1
    keys = fv * span + (fi + 1)
    uniq, inverse = np.unique(keys, return_inverse=True)
    return (
        uniq // span,
        (uniq % span - 1).astype(np.int32),
        inverse.reshape(-1, 3).astype(np.uint32),
    )


def texture_rgba(image: np.ndarray, max_side: int | None = None) -> np.ndarray:
    """(H, W[, C]) image (float in [0, 1] or uint8) → (H', W', 4) uint8 RGBA.

    RGBA keeps every row 4-byte aligned (WebGL's default unpack alignment). With
    ``max_side``, the image is shrunk by an integer stride so its longer side fits.
    """
    img = np.asarray(image)
    if img.ndim == 2:
        img = img[..., None]
    if max_side is not None:
        step = max(1, math.ceil(max(img.shape[:2]) / max_side))
        img = img[::step, ::step]
    if img.dtype != np.uint8:
        img = np.clip(np.rint(img.astype(np.float32) * 255.0), 0, 255).astype(np.uint8)
    if img.shape[2] == 1:
        img = np.repeat(img, 3, axis=2)
    if img.shape[2] == 3:
        img = np.concatenate([img, np.full((*img.shape[:2], 1), 255, np.uint8)], axis=2)
    return np.ascontiguousarray(img[..., :4])


def box_edges(corners: np.ndarray) -> np.ndarray:
    """(8, 3) box corners → (24, 3) float32 line-segment endpoints of its 12 edges.

    Corner order as :meth:`OrientedBox.corners`: index bits (x, y, z) → sign.
    """
    c = np.asarray(corners, np.float32)
    pairs = [(i, j) for i in range(8) for j in range(i + 1, 8) if bin(i ^ j).count("1") == 1]
    return np.ascontiguousarray(c[np.array(pairs).ravel()])


def covariance_upper(quats_wxyz: np.ndarray, scales_log: np.ndarray) -> np.ndarray:
    """The six numbers the Gaussian shader takes from each 3D covariance.

    Args:
        quats_wxyz: (N, 4) rotations (normalised here).
        scales_log: (N, 3) log standard deviations, as :class:`~worldnb.scene.Gaussians`
            stores them.

    Returns:
        (N, 6) float32 upper triangle ``xx, xy, xz, yy, yz, zz`` of
        :func:`worldnb.transforms.gaussian_covariances`.
    """
    cov = gaussian_covariances(quats_wxyz, np.exp(np.asarray(scales_log, np.float64)))
    return cov[:, [0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 2, 2]].astype(np.float32)


#: The four corners of a Gaussian's screen-space quad, in units of its 2D axes.
_QUAD = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float32)


def gaussian_quads(
    means: np.ndarray, cov6: np.ndarray, colors: np.ndarray, alphas: np.ndarray
) -> dict[str, np.ndarray]:
    """Per-vertex arrays for N camera-facing quads (4 vertices each).

    Returns:
        ``position`` (4N, 3) float32 centre (repeated), ``corner`` (4N, 2) float32,
        ``cov_a`` / ``cov_b`` (4N, 3) float32 covariance halves, ``rgba`` (4N, 4) uint8.
    """
    n = len(means)
    rgba = np.concatenate([colors_u8(colors), colors_u8(alphas[:, None])], axis=1)
    return {
        "position": np.repeat(means.astype(np.float32), 4, axis=0),
        "corner": np.tile(_QUAD, (n, 1)),
        "cov_a": np.repeat(cov6[:, :3], 4, axis=0),
        "cov_b": np.repeat(cov6[:, 3:], 4, axis=0),
        "rgba": np.repeat(rgba, 4, axis=0),
    }


def quad_order(means: np.ndarray, eye: np.ndarray) -> np.ndarray:
    """(6N,) uint32 triangle indices of the quads sorted back to front as seen from ``eye``.

    three.js sorts whole objects, not the primitives inside one, so the Gaussians are
    ordered here: with normal alpha blending, drawing far-to-near composites the same
    way as 3DGS's front-to-back accumulation.
    """
    d2 = np.sum((means.astype(np.float64) - np.asarray(eye, np.float64)) ** 2, axis=1)
    order = np.argsort(-d2, kind="stable").astype(np.uint32)
    base = order[:, None] * 4
    tri = np.array([0, 1, 2, 0, 2, 3], np.uint32)
    return np.ascontiguousarray((base + tri).ravel())
