"""Gaussian splatting: projection vs gsplat's PyTorch reference, compositing vs a dense
reference (values and gradients), float64 gradcheck, SH, bands, bad input."""

from __future__ import annotations

import math

# gsplat is a test dependency (pyproject [test]): a missing reference fails, never skips.
import gsplat.cuda._torch_impl as gsplat_impl
import pytest
import torch

from worldnb.errors import InputError
from worldnb.rendering import gaussian_covariances, project_gaussians, rasterize_gaussians
from worldnb.rendering._reference import reference_gaussians
from worldnb.rendering._sh import view_dependent_colors

W, H = 40, 32


def _viewmat(seed=0, dtype=torch.float64):
    """A camera a little off the identity (rotation about y and x, small translation)."""
    a, b = 0.15, -0.1
    Ry = torch.tensor([[torch.cos(torch.tensor(a)), 0, torch.sin(torch.tensor(a))], [0, 1, 0],
                       [-torch.sin(torch.tensor(a)), 0, torch.cos(torch.tensor(a))]])  # fmt: skip
    Rx = torch.tensor([[1, 0, 0], [0, torch.cos(torch.tensor(b)), -torch.sin(torch.tensor(b))],
                       [0, torch.sin(torch.tensor(b)), torch.cos(torch.tensor(b))]])  # fmt: skip
    T = torch.eye(4, dtype=dtype)
    T[:3, :3] = (Rx @ Ry).to(dtype)
    T[:3, 3] = torch.tensor([0.1, -0.05, 0.2], dtype=dtype)
    return T


def test_projection_matches_gsplat_reference(make_gaussians, make_K):
    means, quats, scales, *_ = make_gaussians(300, seed=1, dtype=torch.float64)
    # some behind the camera, some far off-screen, some too close
    means[:10, 2] = -1.0
    means[10:20, 0] = 40.0
    means[20:25, 2] = 0.005
    K, T = make_K(W, H).double(), _viewmat()
    covars = gaussian_covariances(quats, scales)
    ours = project_gaussians(means, covars, K, T, W, H)
    radii, means2d, depths, conics, _ = gsplat_impl._fully_fused_projection(
        means, covars, T[None], K[None], W, H
    )
    valid = (radii[0] > 0).all(-1)
    assert torch.equal(ours.radii, radii[0].to(torch.int32))
    assert valid.sum() > 200
    torch.testing.assert_close(ours.means2d[valid], means2d[0][valid], atol=1e-4, rtol=0)
    torch.testing.assert_close(ours.depths, depths[0], atol=1e-4, rtol=0)
    torch.testing.assert_close(ours.conics[valid], conics[0][valid], atol=1e-4, rtol=0)


def test_projection_matches_gsplat_reference_float32(make_gaussians, make_K):
    means, quats, scales, *_ = make_gaussians(200, seed=2)
    K, T = make_K(W, H), _viewmat(dtype=torch.float32)
    covars = gaussian_covariances(quats, scales)
    ours = project_gaussians(means, covars, K, T, W, H)
    radii, means2d, _, conics, _ = gsplat_impl._fully_fused_projection(
        means, covars, T[None], K[None], W, H
    )
    torch.testing.assert_close(ours.means2d, means2d[0], atol=1e-4, rtol=1e-5)
    torch.testing.assert_close(ours.conics, conics[0], atol=1e-4, rtol=1e-4)
    assert (ours.radii != radii[0]).sum() <= 2  # ceil() at float32 ties may differ by one


def _grads(out, params, seed=0):
    g = torch.Generator().manual_seed(seed)
    w_rgb = torch.rand(out[0].shape, generator=g, dtype=out[0].dtype)
    w_a = torch.rand(out[1].shape, generator=g, dtype=out[0].dtype)
    loss = (out[0] * w_rgb).sum() + (out[1] * w_a).sum()
    return torch.autograd.grad(loss, params)


@pytest.mark.parametrize("compositor", ["tiles", "pairs"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_fast_equals_dense_reference_values_and_gradients(
    dtype, compositor, make_gaussians, make_K
):
    params = [p.requires_grad_() for p in make_gaussians(60, seed=3, dtype=dtype)]
    K, T = make_K(W, H).to(dtype), _viewmat(dtype=dtype)
    bg = torch.tensor([0.2, 0.3, 0.4], dtype=dtype)
    fast = rasterize_gaussians(*params, K, T, W, H, background=bg, compositor=compositor)
    ref_rgb, ref_alpha, ref_depth = reference_gaussians(*params, K, T, W, H, background=bg)
    assert fast.n_pairs > 1000
    torch.testing.assert_close(fast.rgb.reshape(-1, 3), ref_rgb, atol=1e-4, rtol=0)
    torch.testing.assert_close(fast.alpha.reshape(-1), ref_alpha, atol=1e-4, rtol=0)
    finite = torch.isfinite(ref_depth)
    assert torch.equal(torch.isfinite(fast.depth.reshape(-1)), finite)
    torch.testing.assert_close(fast.depth.reshape(-1)[finite], ref_depth[finite], atol=1e-4, rtol=0)
    g_fast = _grads((fast.rgb.reshape(-1, 3), fast.alpha.reshape(-1)), params)
    g_ref = _grads((ref_rgb, ref_alpha), params)
    for name, a, b in zip(["means", "quats", "scales", "opacities", "colors"], g_fast, g_ref,
                          strict=True):  # fmt: skip
        scale = max(1.0, float(b.abs().max()))
        assert float((a - b).abs().max()) <= 1e-4 * scale, name


def test_bands_and_checkpointing_change_nothing(make_gaussians, make_K):
    params = [p.requires_grad_() for p in make_gaussians(50, seed=4)]
    K, T = make_K(W, H), _viewmat(dtype=torch.float32)
    one = rasterize_gaussians(*params, K, T, W, H, compositor="pairs")
    many = rasterize_gaussians(
        *params, K, T, W, H, max_pairs=300, checkpointing=True, compositor="pairs"
    )
    torch.testing.assert_close(one.rgb, many.rgb, atol=1e-6, rtol=0)
    for a, b in zip(_grads((one.rgb, one.alpha), params), _grads((many.rgb, many.alpha), params),
                    strict=True):  # fmt: skip
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("compositor", ["tiles", "pairs"])
def test_gradcheck_float64(compositor, make_gaussians, make_K):
    params = [p.requires_grad_() for p in make_gaussians(4, seed=5, dtype=torch.float64)]
    K, T = make_K(10, 8, f=8.0).double(), torch.eye(4, dtype=torch.float64)

    def f(*p):
        out = rasterize_gaussians(*p, K, T, 10, 8, compositor=compositor)
        return out.rgb, out.alpha, torch.where(out.alpha > 0.05, out.depth, 0.0)

    assert rasterize_gaussians(*params, K, T, 10, 8, compositor=compositor).n_pairs > 40
    assert torch.autograd.gradcheck(f, params, eps=1e-6, atol=1e-5, rtol=1e-4)


def test_spherical_harmonics_view_dependence_and_gradients(make_gaussians, make_K):
    means, quats, scales, opac, colors, sh = [
        p.requires_grad_() for p in make_gaussians(30, seed=6, sh_degree=3, dtype=torch.float64)
    ]
    K, T = make_K(W, H).double(), _viewmat()
    out = rasterize_gaussians(means, quats, scales, opac, colors, K, T, W, H, sh_rest=sh)
    center = -T[:3, :3].T @ T[:3, 3]
    seen = view_dependent_colors(colors, sh, means, center)
    ref_rgb, _, _ = reference_gaussians(means, quats, scales, opac, seen, K, T, W, H)
    torch.testing.assert_close(out.rgb.reshape(-1, 3), ref_rgb, atol=1e-6, rtol=0)
    g = torch.autograd.grad(out.rgb.sum(), sh)[0]
    assert g.abs().sum() > 0
    # a direction's SH basis matches gsplat's reference evaluation
    dirs = means - center
    coeffs = torch.cat([((colors - 0.5) / 0.28209479177387814)[:, None], sh], 1)
    ref = gsplat_impl._spherical_harmonics(3, dirs, coeffs)
    torch.testing.assert_close(seen, torch.clamp_min(ref + 0.5, 0.0), atol=1e-6, rtol=0)


def test_depth_limit_hides_gaussians_behind_a_surface(make_gaussians, make_K):
    params = make_gaussians(40, seed=7)
    K, T = make_K(W, H), torch.eye(4)
    wall = torch.full((H, W), 2.5)
    out = rasterize_gaussians(*params, K, T, W, H, depth_limit=wall)
    front = [p[params[0][:, 2] < 2.5] for p in params]
    ref = rasterize_gaussians(*front, K, T, W, H)
    torch.testing.assert_close(out.rgb, ref.rgb, atol=1e-6, rtol=0)


def test_no_visible_gaussians_gives_background_and_zero_gradients(make_gaussians, make_K):
    params = [p.requires_grad_() for p in make_gaussians(5, seed=8)]
    with torch.no_grad():
        params[0][:, 2] = -3.0  # all behind the camera
    out = rasterize_gaussians(*params, make_K(W, H), torch.eye(4), W, H, background=[1, 1, 1])
    assert torch.equal(out.rgb, torch.ones(H, W, 3)) and (out.alpha == 0).all()
    assert torch.isinf(out.depth).all()
    g = torch.autograd.grad(out.rgb.sum(), params[0])[0]
    assert torch.equal(g, torch.zeros_like(g))


def _one_gaussian(make_K, width, height):
    return [
        torch.tensor([[0.0, 0, 2]]),
        torch.tensor([[1.0, 0, 0, 0]]),
        torch.full((1, 3), 0.1),
        torch.tensor([0.5]),
        torch.ones(1, 3),
        make_K(10, 10),
        torch.eye(4),
        width,
        height,
    ]


@pytest.mark.parametrize(
    ("index", "value", "name"),
    [
        (0, torch.tensor([[0.0, 0, float("nan")]]), "means"),
        (1, torch.zeros(1, 4), "quats"),
        (1, torch.ones(2, 4), "quats"),
        (2, -torch.ones(1, 3), "scales"),
        (3, torch.tensor([1.5]), "opacities"),
        (4, torch.ones(1, 3, 2), "colors"),
        (5, [[0.0, 0, 5], [0, 10, 5], [0, 0, 1]], "K"),
        (6, torch.eye(3), "T_camera_world"),
        (7, 0, "width"),
    ],
)
def test_bad_input_names_the_argument(index, value, name, make_K):
    args = _one_gaussian(make_K, 10, 10)
    args[index] = value
    with pytest.raises(InputError, match=name):
        rasterize_gaussians(*args)


def test_large_image_needs_allow_large(make_K):
    args = _one_gaussian(make_K, 5000, 4000)
    with pytest.raises(InputError, match="allow_large"):
        rasterize_gaussians(*args)


def test_work_stays_on_the_means_device_whatever_torchs_default(make_gaussians, make_K):
    # "Runs on the device of means", also after torch.set_default_device(...): the
    # "meta" device stands in for another device (tensors made there carry no values).
    params = make_gaussians(30, seed=9)
    K, T = make_K(W, H), _viewmat(dtype=torch.float32)
    bg, wall = torch.tensor([0.1, 0.2, 0.3]), torch.full((H, W), 3.0)
    for kw in ({}, {"max_pairs": 200}):
        want = rasterize_gaussians(*params, K, T, W, H, background=bg, depth_limit=wall, **kw)
        with torch.device("meta"):
            got = rasterize_gaussians(*params, K, T, W, H, background=bg, depth_limit=wall, **kw)
        assert got.n_pairs == want.n_pairs > 0
        for a, b in zip(got[:3], want[:3], strict=True):
            assert a.device.type == "cpu"
            torch.testing.assert_close(a, b, atol=0, rtol=0)


def test_allow_large_lets_a_large_image_through(make_K, monkeypatch):
    monkeypatch.setattr("worldnb.rendering._common.MAX_PIXELS", 8 * 8)
    args = _one_gaussian(make_K, 10, 10)
    with pytest.raises(InputError, match="allow_large"):
        rasterize_gaussians(*args)
    out = rasterize_gaussians(*args, allow_large=True)
    assert out.rgb.shape == (10, 10, 3) and float(out.alpha[5, 5]) > 0.4


def _stack(opacities, depths, colors):
    """Tiny Gaussians, each projecting exactly onto the centre of pixel (5, 5) of a
    10 × 10 image (f = 10, c = 5): there σ = 0, so α = min(0.999, opacity)."""
    n = len(opacities)
    z = torch.tensor(depths, dtype=torch.float64)
    means = torch.stack([0.05 * z, 0.05 * z, z], 1)
    return [
        means,
        torch.tensor([[1.0, 0, 0, 0]] * n, dtype=torch.float64),
        torch.full((n, 3), 1e-3, dtype=torch.float64),
        torch.tensor(opacities, dtype=torch.float64),
        torch.tensor(colors, dtype=torch.float64),
        torch.tensor([[10.0, 0, 5], [0, 10, 5], [0, 0, 1]], dtype=torch.float64),
        torch.eye(4, dtype=torch.float64),
        10,
        10,
    ]


def test_front_to_back_compositing_worked_out_by_hand():
    # given in back-to-front order: the rasterizer sorts by depth
    out = rasterize_gaussians(
        *_stack([0.98, 0.6, 0.5], [4.0, 3.0, 2.0], [[0, 0, 1.0], [0, 1.0, 0], [1.0, 0, 0]]),
        background=torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64),
    )
    w = [0.5, 0.5 * 0.6, 0.5 * 0.4 * 0.98]  # α·T front to back: 0.5, 0.3, 0.196
    alpha = sum(w)
    assert float(out.alpha[5, 5]) == pytest.approx(alpha, abs=1e-12)
    bg = 1 - alpha
    want = [w[0] + 0.1 * bg, w[1] + 0.2 * bg, w[2] + 0.3 * bg]
    torch.testing.assert_close(out.rgb[5, 5], torch.tensor(want, dtype=torch.float64))
    depth = (w[0] * 2 + w[1] * 3 + w[2] * 4) / alpha
    assert float(out.depth[5, 5]) == pytest.approx(depth, abs=1e-12)


def test_alpha_is_clamped_and_compositing_stops_before_transmittance_1e4():
    # α is capped at 0.999; after the first Gaussian T = 0.001, the second would leave
    # 1e-6 ≤ 1e-4, so it and everything behind it are skipped at this pixel
    out = rasterize_gaussians(
        *_stack([1.0, 0.999, 0.7], [2.0, 3.0, 4.0], [[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]])
    )
    assert float(out.alpha[5, 5]) == pytest.approx(0.999, abs=1e-12)
    torch.testing.assert_close(
        out.rgb[5, 5], torch.tensor([0.999, 0, 0], dtype=torch.float64), atol=1e-12, rtol=0
    )
    assert float(out.depth[5, 5]) == pytest.approx(2.0, abs=1e-12)
    # 0.98 then 0.98: T after both is 4e-4 > 1e-4, so both count
    out = rasterize_gaussians(*_stack([0.98, 0.98], [2.0, 3.0], [[1.0, 0, 0], [0, 1.0, 0]]))
    assert float(out.alpha[5, 5]) == pytest.approx(0.98 + 0.02 * 0.98, abs=1e-12)


def test_alpha_below_1_over_255_is_skipped():
    for opacity, seen in ((0.0035, False), (0.0045, True)):  # 1/255 = 0.00392
        out = rasterize_gaussians(*_stack([opacity], [2.0], [[1.0, 1.0, 1.0]]))
        assert float(out.alpha[5, 5]) == pytest.approx(opacity if seen else 0.0, abs=1e-12)
        depth = float(out.depth[5, 5])
        assert depth == pytest.approx(2.0, abs=1e-12) if seen else depth == math.inf
