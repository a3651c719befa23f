"""Tile-binned Gaussian compositing on the CPU (numba), with a hand-written backward.

The same math as the vectorised pair path in :mod:`worldnb.rendering.gaussians`
(which is the reference these kernels are tested against): a pixel takes
``α = min(0.999, o · exp(−σ))`` from each Gaussian in depth order, skips ``α < 1/255``
and ``σ < 0``, and stops before the transmittance would fall to ``1e-4`` or below.

Instead of enumerating and sorting every (Gaussian, pixel) pair, each Gaussian is
binned into the ``tile × tile`` pixel tiles its 3.33-sigma box touches, in depth
order (one stable argsort of the Gaussians, not of the pairs); each tile's pixels then
walk their tile's list front to back and stop at termination. The backward pass walks
the same list back to front from each pixel's last contributor, recovering the
transmittance by division (as gsplat's CUDA kernels do), and accumulates each list
entry's gradient in its own slot, so tiles run in parallel without atomics; the
slots are summed per Gaussian at the end.
"""

from __future__ import annotations

import math
import os

import numpy as np
import torch

try:  # numba is a dependency; without it the pair path runs everywhere
    import numba
    from numba import njit, prange

    if "NUMBA_THREADING_LAYER" not in os.environ:
        # numba's OpenMP layer leaves its threads spinning after each kernel, which
        # starves torch's next ops (15x slower measured on 2 cores); workqueue does not
        numba.config.THREADING_LAYER = "workqueue"
except ImportError:  # pragma: no cover - exercised only where numba is missing
    numba = None

__all__ = ["available", "project", "tile_composite"]

ALPHA_MIN = 1.0 / 255.0
ALPHA_MAX = 0.999
T_MIN = 1e-4
TILE = 4  #: tile side (pixels); 4 measured fastest at 256² (8: 1.4x, 16: 2.6x slower)


def available() -> bool:
    """Whether the tile kernels can run (numba is importable)."""
    return numba is not None


if numba is not None:

    @njit(cache=True)
    def _bin(means2d, radii, order, width, height, tile):  # pragma: no cover - compiled
        """Per-tile lists of Gaussian ids in depth order: ``(offsets, ids)``."""
        tx_n = (width + tile - 1) // tile
        ty_n = (height + tile - 1) // tile
        counts = np.zeros(tx_n * ty_n + 1, np.int64)
        n = order.shape[0]
        box = np.zeros((n, 4), np.int64)
        for k in range(n):
            g = order[k]
            mx, my = means2d[g, 0], means2d[g, 1]
            rx, ry = radii[g, 0], radii[g, 1]
            x0 = max(math.floor((mx - rx - 0.5) / tile), 0)
            x1 = min(math.floor((mx + rx - 0.5) / tile), tx_n - 1)
            y0 = max(math.floor((my - ry - 0.5) / tile), 0)
            y1 = min(math.floor((my + ry - 0.5) / tile), ty_n - 1)
            box[k, 0], box[k, 1], box[k, 2], box[k, 3] = x0, x1, y0, y1
            for ty in range(y0, y1 + 1):
                for tx in range(x0, x1 + 1):
                    counts[ty * tx_n + tx + 1] += 1
        offsets = np.cumsum(counts)
        cursor = offsets[:-1].copy()
        ids = np.zeros(offsets[-1], np.int64)
        for k in range(n):
            g = order[k]
            for ty in range(box[k, 2], box[k, 3] + 1):
                for tx in range(box[k, 0], box[k, 1] + 1):
                    t = ty * tx_n + tx
                    ids[cursor[t]] = g
                    cursor[t] += 1
        return offsets, ids

    @njit(cache=True, parallel=True, fastmath=False)
    def _forward(g2d, feats, depths, limit, offsets, ids, width, height, tile):  # pragma: no cover
        """Composite: ``out (H·W, C + 2)`` = Σ w·feature, Σ w, Σ w·z; per pixel the final
        transmittance, the list index of its last contributor (−1: none) and its count."""
        C = feats.shape[1]
        tx_n = (width + tile - 1) // tile
        n_tiles = offsets.shape[0] - 1
        out = np.zeros((width * height, C + 2), np.float64)
        t_final = np.ones(width * height, np.float64)
        last = np.full(width * height, -1, np.int64)
        count = np.zeros(width * height, np.int64)
        use_limit = limit.shape[0] > 0
        for t in prange(n_tiles):
            ty, tx = t // tx_n, t % tx_n
            e0, e1 = offsets[t], offsets[t + 1]
            acc = np.zeros(C + 2, np.float64)
            for y in range(ty * tile, min((ty + 1) * tile, height)):
                for x in range(tx * tile, min((tx + 1) * tile, width)):
                    p = y * width + x
                    px, py = x + 0.5, y + 0.5
                    T = 1.0
                    acc[:] = 0.0
                    n_used = 0
                    lim = limit[p] if use_limit else np.inf
                    for e in range(e0, e1):
                        g = ids[e]
                        if depths[g] >= lim:
                            continue
                        dx, dy = px - g2d[g, 0], py - g2d[g, 1]
                        sigma = 0.5 * (g2d[g, 2] * dx * dx + g2d[g, 4] * dy * dy)
                        sigma += g2d[g, 3] * dx * dy
                        if sigma < 0.0:
                            continue
                        alpha = min(g2d[g, 5] * math.exp(-sigma), ALPHA_MAX)
                        if alpha < ALPHA_MIN:
                            continue
                        nxt = T * (1.0 - alpha)
                        if nxt <= T_MIN:
                            break
                        w = alpha * T
                        for k in range(C):
                            acc[k] += w * feats[g, k]
                        acc[C] += w
                        acc[C + 1] += w * depths[g]
                        T = nxt
                        last[p] = e
                        n_used += 1
                    for k in range(C + 2):
                        out[p, k] = acc[k]
                    t_final[p] = T
                    count[p] = n_used
        return out, t_final, last, count

    @njit(cache=True, parallel=True, fastmath=False)
    def _backward(
        g2d, feats, depths, limit, offsets, ids, width, height, tile, t_final, last, v_out
    ):  # pragma: no cover - compiled
        """Per list entry: d/d(mean x, mean y, conic a, b, c, opacity, depth) and
        d/d(features), from the gradient ``v_out (H·W, C + 2)`` of the outputs."""
        C = feats.shape[1]
        tx_n = (width + tile - 1) // tile
        n_tiles = offsets.shape[0] - 1
        grads = np.zeros((ids.shape[0], 7 + C), np.float64)
        use_limit = limit.shape[0] > 0
        for t in prange(n_tiles):
            ty, tx = t // tx_n, t % tx_n
            e0 = offsets[t]
            buf = np.zeros(C + 2, np.float64)
            fe = np.zeros(C + 2, np.float64)
            for y in range(ty * tile, min((ty + 1) * tile, height)):
                for x in range(tx * tile, min((tx + 1) * tile, width)):
                    p = y * width + x
                    if last[p] < 0:
                        continue
                    px, py = x + 0.5, y + 0.5
                    T = t_final[p]
                    buf[:] = 0.0
                    lim = limit[p] if use_limit else np.inf
                    for e in range(last[p], e0 - 1, -1):
                        g = ids[e]
                        if depths[g] >= lim:
                            continue
                        dx, dy = px - g2d[g, 0], py - g2d[g, 1]
                        sigma = 0.5 * (g2d[g, 2] * dx * dx + g2d[g, 4] * dy * dy)
                        sigma += g2d[g, 3] * dx * dy
                        if sigma < 0.0:
                            continue
                        gauss = math.exp(-sigma)
                        raw = g2d[g, 5] * gauss
                        alpha = min(raw, ALPHA_MAX)
                        if alpha < ALPHA_MIN:
                            continue
                        T = T / (1.0 - alpha)  # transmittance in front of this Gaussian
                        w = alpha * T
                        for k in range(C):
                            fe[k] = feats[g, k]
                        fe[C] = 1.0
                        fe[C + 1] = depths[g]
                        v_alpha = 0.0
                        for k in range(C + 2):
                            v_alpha += (fe[k] - buf[k]) * v_out[p, k]
                            buf[k] = alpha * fe[k] + (1.0 - alpha) * buf[k]
                        v_alpha *= T
                        for k in range(C):
                            grads[e, 7 + k] += w * v_out[p, k]
                        grads[e, 6] += w * v_out[p, C + 1]
                        if raw <= ALPHA_MAX:  # clamped α carries no gradient
                            grads[e, 5] += gauss * v_alpha
                            v_sigma = -alpha * v_alpha
                            a, b, c = g2d[g, 2], g2d[g, 3], g2d[g, 4]
                            grads[e, 0] -= v_sigma * (a * dx + b * dy)
                            grads[e, 1] -= v_sigma * (c * dy + b * dx)
                            grads[e, 2] += v_sigma * 0.5 * dx * dx
                            grads[e, 3] += v_sigma * dx * dy
                            grads[e, 4] += v_sigma * 0.5 * dy * dy
        return grads

    @njit(cache=True, inline="always")
    def _rotation(q, R):  # pragma: no cover - compiled
        n = math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3])
        w, x, y, z = q[0] / n, q[1] / n, q[2] / n, q[3] / n
        R[0, 0] = 1 - 2 * (y * y + z * z)
        R[0, 1] = 2 * (x * y - w * z)
        R[0, 2] = 2 * (x * z + w * y)
        R[1, 0] = 2 * (x * y + w * z)
        R[1, 1] = 1 - 2 * (x * x + z * z)
        R[1, 2] = 2 * (y * z - w * x)
        R[2, 0] = 2 * (x * z - w * y)
        R[2, 1] = 2 * (y * z + w * x)
        R[2, 2] = 1 - 2 * (x * x + y * y)
        return n, w, x, y, z

    @njit(cache=True, inline="always")
    def _camera_cov(means, quats, scales, i, Rc, tc, R, M, S, W, mc):  # pragma: no cover
        """Camera-frame mean ``mc`` and covariance ``W = Rc R S Sᵀ Rᵀ Rcᵀ`` of Gaussian i."""
        _rotation(quats[i], R)
        for r in range(3):
            for c in range(3):
                M[r, c] = R[r, c] * scales[i, c]
        for r in range(3):
            for c in range(3):
                S[r, c] = M[r, 0] * M[c, 0] + M[r, 1] * M[c, 1] + M[r, 2] * M[c, 2]
        for r in range(3):
            mc[r] = tc[r] + Rc[r, 0] * means[i, 0] + Rc[r, 1] * means[i, 1] + Rc[r, 2] * means[i, 2]
        for r in range(3):
            for c in range(3):
                acc = 0.0
                for k in range(3):
                    for m in range(3):
                        acc += Rc[r, k] * S[k, m] * Rc[c, m]
                W[r, c] = acc

    @njit(cache=True, inline="always")
    def _mm(A, B, out):  # pragma: no cover - compiled
        for r in range(A.shape[0]):
            for c in range(B.shape[1]):
                acc = 0.0
                for k in range(A.shape[1]):
                    acc += A[r, k] * B[k, c]
                out[r, c] = acc

    @njit(cache=True, parallel=True)
    def _project(
        means, quats, scales, Rc, tc, cam, width, height, eps2d, near, far
    ):  # pragma: no cover
        """EWA projection (as :func:`project_gaussians`): (N, 2) means2d, (N, 3) conics,
        (N,) depths, (N, 2) radii."""
        fx, fy, cx, cy, skew = cam[0], cam[1], cam[2], cam[3], cam[4]
        lim_xp, lim_xn, lim_yp, lim_yn = cam[5], cam[6], cam[7], cam[8]
        n = means.shape[0]
        m2d = np.zeros((n, 2), np.float64)
        conics = np.zeros((n, 3), np.float64)
        depths = np.zeros(n, np.float64)
        radii = np.zeros((n, 2), np.int64)
        chunk = 1024
        for ch in prange((n + chunk - 1) // chunk):
            R = np.zeros((3, 3))
            M = np.zeros((3, 3))
            S = np.zeros((3, 3))
            W = np.zeros((3, 3))
            mc = np.zeros(3)
            for i in range(ch * chunk, min(n, (ch + 1) * chunk)):
                _camera_cov(means, quats, scales, i, Rc, tc, R, M, S, W, mc)
                tx, ty, tz = mc[0], mc[1], mc[2]
                ctx = tz * min(max(tx / tz, -lim_xn), lim_xp)
                cty = tz * min(max(ty / tz, -lim_yn), lim_yp)
                j00, j01, j02 = fx / tz, skew / tz, -(fx * ctx + skew * cty) / (tz * tz)
                j11, j12 = fy / tz, -fy * cty / (tz * tz)
                # cov2d = J W Jᵀ (J's row 1 has a zero first entry)
                a0 = j00 * W[0, 0] + j01 * W[1, 0] + j02 * W[2, 0]
                a1 = j00 * W[0, 1] + j01 * W[1, 1] + j02 * W[2, 1]
                a2 = j00 * W[0, 2] + j01 * W[1, 2] + j02 * W[2, 2]
                b1 = j11 * W[1, 1] + j12 * W[2, 1]
                b2 = j11 * W[1, 2] + j12 * W[2, 2]
                p = a0 * j00 + a1 * j01 + a2 * j02 + eps2d
                r = a1 * j11 + a2 * j12
                q = b1 * j11 + b2 * j12 + eps2d
                u = (fx * tx + skew * ty) / tz + cx
                v = fy * ty / tz + cy
                det = max(p * q - r * r, 1e-10)
                m2d[i, 0], m2d[i, 1] = u, v
                conics[i, 0], conics[i, 1], conics[i, 2] = q / det, -r / det, p / det
                depths[i] = tz
                rx = math.ceil(3.33 * math.sqrt(max(p, 0.0)))
                ry = math.ceil(3.33 * math.sqrt(max(q, 0.0)))
                ok = tz > near and tz < far
                ok = ok and u + rx > 0 and u - rx < width and v + ry > 0 and v - ry < height
                if ok and math.isfinite(rx) and math.isfinite(ry):
                    radii[i, 0], radii[i, 1] = int(rx), int(ry)
        return m2d, conics, depths, radii

    @njit(cache=True)
    def _sum_slots(ids, per_entry, n):  # pragma: no cover - compiled
        """Per-Gaussian sums of the list entries' gradients (a serial scatter-add;
        torch's index_add_ took 2.4x as long on 600k entries, one thread)."""
        total = np.zeros((n, per_entry.shape[1]))
        for k in range(ids.shape[0]):
            i = ids[k]
            for c in range(per_entry.shape[1]):
                total[i, c] += per_entry[k, c]
        return total

    @njit(cache=True, parallel=True)
    def _project_backward(
        means, quats, scales, Rc, tc, cam, eps2d, radii, v_m2d, v_conic, v_depth
    ):  # pragma: no cover - compiled
        """d/d(means (N, 3), quats (N, 4), scales (N, 3)) of the projection, for the
        Gaussians with a non-zero radius (the others reach no pixel)."""
        fx, fy, skew = cam[0], cam[1], cam[4]
        lim_xp, lim_xn, lim_yp, lim_yn = cam[5], cam[6], cam[7], cam[8]
        n = means.shape[0]
        g_means = np.zeros((n, 3))
        g_quats = np.zeros((n, 4))
        g_scales = np.zeros((n, 3))
        chunk = 1024
        for ch in prange((n + chunk - 1) // chunk):
            R = np.zeros((3, 3))
            M = np.zeros((3, 3))
            S = np.zeros((3, 3))
            W = np.zeros((3, 3))
            mc = np.zeros(3)
            J = np.zeros((2, 3))
            JW = np.zeros((2, 3))
            V = np.zeros((2, 2))
            vW = np.zeros((3, 3))
            vJ = np.zeros((2, 3))
            vS = np.zeros((3, 3))
            vM = np.zeros((3, 3))
            vR = np.zeros((3, 3))
            T1 = np.zeros((3, 3))
            for i in range(ch * chunk, min(n, (ch + 1) * chunk)):
                if radii[i, 0] == 0 or radii[i, 1] == 0:
                    continue
                _camera_cov(means, quats, scales, i, Rc, tc, R, M, S, W, mc)
                tx, ty, tz = mc[0], mc[1], mc[2]
                rxz, ryz = tx / tz, ty / tz
                cx_clamped = rxz < -lim_xn or rxz > lim_xp
                cy_clamped = ryz < -lim_yn or ryz > lim_yp
                ctx = tz * min(max(rxz, -lim_xn), lim_xp)
                cty = tz * min(max(ryz, -lim_yn), lim_yp)
                tz2 = tz * tz
                J[0, 0], J[0, 1], J[0, 2] = fx / tz, skew / tz, -(fx * ctx + skew * cty) / tz2
                J[1, 1], J[1, 2] = fy / tz, -fy * cty / tz2
                _mm(J, W, JW)
                p = JW[0, 0] * J[0, 0] + JW[0, 1] * J[0, 1] + JW[0, 2] * J[0, 2] + eps2d
                r = JW[0, 1] * J[1, 1] + JW[0, 2] * J[1, 2]
                q = JW[1, 1] * J[1, 1] + JW[1, 2] * J[1, 2] + eps2d
                D = p * q - r * r
                va, vb, vc = v_conic[i, 0], v_conic[i, 1], v_conic[i, 2]
                V[:, :] = 0.0
                if D > 1e-10:
                    D2 = D * D
                    vp = va * (-q * q / D2) + vb * (r * q / D2) + vc * (1 / D - p * q / D2)
                    vq = va * (1 / D - q * p / D2) + vb * (r * p / D2) + vc * (-p * p / D2)
                    vr = (
                        va * (2 * q * r / D2)
                        + vb * (-1 / D - 2 * r * r / D2)
                        + vc * (2 * p * r / D2)
                    )
                    V[0, 0], V[0, 1], V[1, 0], V[1, 1] = vp, 0.5 * vr, 0.5 * vr, vq
                # cov2d = J W Jᵀ: v_W = Jᵀ V J, v_J = 2 V J W
                for r_ in range(3):  # v_W = Jᵀ V J
                    for c in range(3):
                        acc = 0.0
                        for k in range(2):
                            for m in range(2):
                                acc += J[k, r_] * V[k, m] * J[m, c]
                        vW[r_, c] = acc
                _mm(V, JW, vJ)
                for r_ in range(2):
                    for c in range(3):
                        vJ[r_, c] *= 2.0
                vu, vv = v_m2d[i, 0], v_m2d[i, 1]
                v_tx = vu * fx / tz
                v_ty = vu * skew / tz + vv * fy / tz
                v_tz = -vu * (fx * tx + skew * ty) / tz2 - vv * fy * ty / tz2 + v_depth[i]
                v_tz += -(vJ[0, 0] * fx + vJ[0, 1] * skew + vJ[1, 1] * fy) / tz2
                tz3 = tz2 * tz
                v_tz += vJ[0, 2] * 2 * (fx * ctx + skew * cty) / tz3 + vJ[1, 2] * 2 * fy * cty / tz3
                v_ctx = -vJ[0, 2] * fx / tz2
                v_cty = -vJ[0, 2] * skew / tz2 - vJ[1, 2] * fy / tz2
                if cx_clamped:
                    v_tz += v_ctx * min(max(rxz, -lim_xn), lim_xp)
                else:
                    v_tx += v_ctx
                if cy_clamped:
                    v_tz += v_cty * min(max(ryz, -lim_yn), lim_yp)
                else:
                    v_ty += v_cty
                for k in range(3):
                    g_means[i, k] = Rc[0, k] * v_tx + Rc[1, k] * v_ty + Rc[2, k] * v_tz
                for r_ in range(3):  # v_S = Rcᵀ v_W Rc, then symmetrised
                    for c in range(3):
                        acc = 0.0
                        for k in range(3):
                            for m in range(3):
                                acc += Rc[k, r_] * vW[k, m] * Rc[m, c]
                        vS[r_, c] = acc
                for r_ in range(3):
                    for c in range(3):
                        T1[r_, c] = vS[r_, c] + vS[c, r_]
                _mm(T1, M, vM)
                for c in range(3):
                    g_scales[i, c] = vM[0, c] * R[0, c] + vM[1, c] * R[1, c] + vM[2, c] * R[2, c]
                for r_ in range(3):
                    for c in range(3):
                        vR[r_, c] = vM[r_, c] * scales[i, c]
                nq, w, x, y, z = _rotation(quats[i], R)
                gw = 2 * (
                    -z * vR[0, 1]
                    + y * vR[0, 2]
                    + z * vR[1, 0]
                    - x * vR[1, 2]
                    - y * vR[2, 0]
                    + x * vR[2, 1]
                )
                gx = 2 * (
                    y * vR[0, 1]
                    + z * vR[0, 2]
                    + y * vR[1, 0]
                    - 2 * x * vR[1, 1]
                    - w * vR[1, 2]
                    + z * vR[2, 0]
                    + w * vR[2, 1]
                    - 2 * x * vR[2, 2]
                )
                gy = 2 * (
                    -2 * y * vR[0, 0]
                    + x * vR[0, 1]
                    + w * vR[0, 2]
                    + x * vR[1, 0]
                    + z * vR[1, 2]
                    - w * vR[2, 0]
                    + z * vR[2, 1]
                    - 2 * y * vR[2, 2]
                )
                gz = 2 * (
                    -2 * z * vR[0, 0]
                    - w * vR[0, 1]
                    + x * vR[0, 2]
                    + w * vR[1, 0]
                    - 2 * z * vR[1, 1]
                    + y * vR[1, 2]
                    + x * vR[2, 0]
                    + y * vR[2, 1]
                )
                dot = w * gw + x * gx + y * gy + z * gz
                g_quats[i, 0] = (gw - w * dot) / nq
                g_quats[i, 1] = (gx - x * dot) / nq
                g_quats[i, 2] = (gy - y * dot) / nq
                g_quats[i, 3] = (gz - z * dot) / nq
        return g_means, g_quats, g_scales


def _prepare(means2d, conics, opacities, radii, depths, width, height, tile):
    """float64 numpy views of the inputs and the depth-ordered tile lists."""
    g2d = torch.cat([means2d.detach(), conics.detach(), opacities.detach()[:, None]], 1)
    g2d = g2d.to(torch.float64).cpu().numpy()
    z = depths.detach().to(torch.float64).cpu().numpy()
    r = radii.detach().cpu().numpy().astype(np.int64)
    ok = (r > 0).all(1) & (g2d[:, 5] * 255.0 > 1.0)  # opacity below 1/255 never shows
    idx = np.flatnonzero(ok)
    order = idx[np.argsort(z[idx], kind="stable")]
    offsets, ids = _bin(g2d, r, order, width, height, tile)
    return g2d, z, offsets, ids


def _camera_constants(K, T, width, height):
    """fx, fy, cx, cy, skew and the clamp limits of the projection's linearisation point,
    with the world→camera rotation and translation (float64 numpy)."""
    K = K.detach().to(torch.float64).cpu().numpy()
    T = T.detach().to(torch.float64).cpu().numpy()
    fx, fy, cx, cy, skew = K[0, 0], K[1, 1], K[0, 2], K[1, 2], K[0, 1]
    cam = np.array([
        fx, fy, cx, cy, skew,
        (width - cx) / fx + 0.3 * (0.5 * width / fx), cx / fx + 0.3 * (0.5 * width / fx),
        (height - cy) / fy + 0.3 * (0.5 * height / fy), cy / fy + 0.3 * (0.5 * height / fy),
    ])  # fmt: skip
    return np.ascontiguousarray(T[:3, :3]), np.ascontiguousarray(T[:3, 3]), cam


class _Project(torch.autograd.Function):
    @staticmethod
    def forward(ctx, means, quats, scales, K, T, width, height, eps2d, near, far):
        args = [a.detach().to(torch.float64).cpu().numpy() for a in (means, quats, scales)]
        Rc, tc, cam = _camera_constants(K, T, width, height)
        m2d, conics, depths, radii = _project(*args, Rc, tc, cam, width, height, eps2d, near, far)
        ctx.state = (*args, Rc, tc, cam, eps2d, radii)
        dev, dt = means.device, means.dtype
        out = [torch.from_numpy(a).to(device=dev, dtype=dt) for a in (m2d, conics, depths)]
        r = torch.from_numpy(radii).to(device=dev, dtype=torch.int32)
        ctx.mark_non_differentiable(r)
        return (*out, r)

    @staticmethod
    def backward(ctx, v_m2d, v_conics, v_depths, _v_radii):
        means, quats, scales, Rc, tc, cam, eps2d, radii = ctx.state
        v = [
            a.detach().to(torch.float64).cpu().contiguous().numpy()
            for a in (v_m2d, v_conics, v_depths)
        ]
        gm, gq, gs = _project_backward(means, quats, scales, Rc, tc, cam, eps2d, radii, *v)
        dev, dt = v_m2d.device, v_m2d.dtype
        g = [torch.from_numpy(a).to(device=dev, dtype=dt) for a in (gm, gq, gs)]
        return (*g, None, None, None, None, None, None, None)


def project(means, quats, scales, K, T, width, height, eps2d, near, far):
    """EWA projection by the fused kernels: ``(means2d, conics, depths, radii)`` as
    :func:`worldnb.rendering.project_gaussians` gives them (differentiable in means,
    quats and scales; not in the camera)."""
    _threads()
    return _Project.apply(means, quats, scales, K, T, width, height, eps2d, near, far)


def _threads():
    """numba follows torch's thread count (one thread per Ray worker, …)."""
    numba.set_num_threads(max(1, min(torch.get_num_threads(), numba.config.NUMBA_NUM_THREADS)))


class _TileComposite(torch.autograd.Function):
    @staticmethod
    def forward(ctx, means2d, conics, opacities, features, depths, radii, limit, width, height):
        g2d, z, offsets, ids = _prepare(
            means2d, conics, opacities, radii, depths, width, height, TILE
        )
        feats = features.detach().to(torch.float64).cpu().numpy()
        lim = np.zeros(0) if limit is None else limit.detach().to(torch.float64).cpu().numpy()
        lim = lim.reshape(-1)
        out, t_final, last, count = _forward(g2d, feats, z, lim, offsets, ids, width, height, TILE)
        ctx.state = (g2d, feats, z, lim, offsets, ids, width, height, t_final, last)
        ctx.n_gaussians = means2d.shape[0]
        n_pairs = torch.tensor(int(count.sum()), device=features.device)
        ctx.mark_non_differentiable(n_pairs)
        return torch.from_numpy(out).to(device=features.device, dtype=features.dtype), n_pairs

    @staticmethod
    def backward(ctx, v_out, _v_pairs):
        g2d, feats, z, lim, offsets, ids, width, height, t_final, last = ctx.state
        v = v_out.detach().to(torch.float64).cpu().contiguous().numpy()
        per_entry = _backward(
            g2d, feats, z, lim, offsets, ids, width, height, TILE, t_final, last, v
        )
        dev, dt = v_out.device, v_out.dtype
        total = torch.from_numpy(_sum_slots(ids, per_entry, ctx.n_gaussians))
        total = total.to(device=dev, dtype=dt)
        return (
            total[:, 0:2],
            total[:, 2:5],
            total[:, 5],
            total[:, 7:],
            total[:, 6],
            None,
            None,
            None,
            None,
        )


def tile_composite(proj, opacities, features, width, height, depth_limit=None):
    """Composite projected Gaussians by tiles: ``(acc (H·W, C + 2), n_pairs)`` as
    :func:`worldnb.rendering.gaussians.composite` returns (differentiable)."""
    _threads()
    acc, n_pairs = _TileComposite.apply(
        proj.means2d, proj.conics, opacities, features, proj.depths, proj.radii,
        depth_limit, width, height,
    )  # fmt: skip
    return acc, int(n_pairs)
