"""Arrays as the browser wants them: float32 / uint8 / uint32, decimated when large.

Everything here is a plain function over numpy arrays. pythreejs sends numpy arrays
in ``BufferAttribute`` / ``DataTexture`` as binary websocket buffers; these helpers
make sure no float64 / int64 (which WebGL cannot take) and no Python lists get there.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "box_edges",
    "colors_u8",
    "decimate",
    "gaussian_covariances",
    "gaussian_quads",
    "quad_order",
    "split_by_instance",
    "texture_rgba",
    "triangulate_polygon",
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


def triangulate_polygon(xz: np.ndarray) -> np.ndarray:
    """Ear-clipping triangulation of a simple polygon given counter-clockwise (seen from +Y).

    Args:
        xz: (K, 2) polygon vertices.

    Returns:
        (K − 2, 3) int32 vertex indices.
    """
    pts = np.asarray(xz, np.float64)
    idx = list(range(len(pts)))
    # Seen from above (+Y), x right and z down the page: CCW there is clockwise in the
    # (x, z) plane's own orientation. Normalise to a positive signed area in (x, z).
    area = 0.5 * np.sum(pts[:, 0] * np.roll(pts[:, 1], -1) - np.roll(pts[:, 0], -1) * pts[:, 1])
    if area < 0:
        idx.reverse()
    tris: list[tuple[int, int, int]] = []

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    guard = 0
    while len(idx) > 3 and guard < 10_000:
        guard += 1
        for k in range(len(idx)):
            i0, i1, i2 = idx[k - 1], idx[k], idx[(k + 1) % len(idx)]
            a, b, c = pts[i0], pts[i1], pts[i2]
            if cross(a, b, c) <= 1e-12:
                continue
            inside = any(
                cross(a, b, pts[j]) >= 0 and cross(b, c, pts[j]) >= 0 and cross(c, a, pts[j]) >= 0
                for j in idx
                if j not in (i0, i1, i2)
            )
            if not inside:
                tris.append((i0, i1, i2))
                idx.pop(k)
                break
        else:  # degenerate polygon: fan the rest
            break
    tris += [(idx[0], idx[j], idx[j + 1]) for j in range(1, len(idx) - 1)]
    out = np.array(tris, np.int32).reshape(-1, 3)
    if area < 0:  # restore the caller's winding
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


def gaussian_covariances(scales_log: np.ndarray, quats_wxyz: np.ndarray) -> np.ndarray:
    """3D covariances Σ = R S Sᵀ Rᵀ.

    Args:
        scales_log: (N, 3) log standard deviations.
        quats_wxyz: (N, 4) rotations (normalised here).

    Returns:
        (N, 6) float32 upper triangle ``xx, xy, xz, yy, yz, zz``.
    """
    q = quats_wxyz.astype(np.float64)
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    w, x, y, z = q.T
    R = np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
        ],
        1,
    )
    M = R * np.exp(scales_log.astype(np.float64))[:, None, :]
    S = M @ M.transpose(0, 2, 1)
    iu = np.array([[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]])
    return S[:, iu[:, 0], iu[:, 1]].astype(np.float32)


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
