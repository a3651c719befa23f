"""The tile kernels (numba) against the vectorised pair path and the torch projection."""

import pytest
import torch

from worldnb.errors import InputError
from worldnb.rendering import _tiles, project_gaussians, rasterize_gaussians
from worldnb.rendering.gaussians import composite
from worldnb.transforms import gaussian_covariances

pytestmark = pytest.mark.skipif(not _tiles.available(), reason="numba is not installed")
W, H = 40, 30


def _scene(n, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    means = torch.randn(n, 3, generator=g, dtype=torch.float64) * torch.tensor([1.2, 1.0, 0.4])
    means[:, 2] += 3.0
    means[:3, 2] = -1.0  # behind the camera
    means[3:8, 0] = torch.linspace(4.5, 6.0, 5)  # off to the side: a clamped linearisation
    quats = torch.randn(n, 4, generator=g, dtype=torch.float64)
    scales = torch.exp(torch.randn(n, 3, generator=g, dtype=torch.float64) * 0.4 - 2.0)
    scales[3:8] = 1.5  # large enough to reach the image from off screen
    opac = torch.sigmoid(torch.randn(n, generator=g, dtype=torch.float64) + 1)
    colors = torch.rand(n, 3, generator=g, dtype=torch.float64)
    K = torch.tensor([[30.0, 0.4, W / 2 + 0.3], [0, 28.0, H / 2 - 0.2], [0, 0, 1]])
    T = torch.eye(4)
    T[:3, 3] = torch.tensor([0.1, -0.2, 0.3])
    return [t.to(dtype) for t in (means, quats, scales, opac, colors)], K.to(dtype), T.to(dtype)


def test_fused_projection_equals_the_torch_projection_values_and_gradients():
    (means, quats, scales, _, _), K, T = _scene(200, 0)
    a = [t.clone().requires_grad_() for t in (means, quats, scales)]
    b = [t.clone().requires_grad_() for t in (means, quats, scales)]
    ref = project_gaussians(a[0], gaussian_covariances(a[1], a[2]), K, T, W, H)
    m2d, conics, depths, radii = _tiles.project(*b, K, T, W, H, 0.3, 0.01, 1e10)
    vis = (ref.radii > 0).all(1)
    assert torch.equal(ref.radii, radii)
    assert 50 < int(vis.sum()) < 200 and bool(vis[3:8].any())  # some clamped ones show
    torch.testing.assert_close(m2d[vis], ref.means2d[vis], atol=1e-10, rtol=1e-10)
    torch.testing.assert_close(conics[vis], ref.conics[vis], atol=1e-10, rtol=1e-10)
    torch.testing.assert_close(depths, ref.depths, atol=1e-12, rtol=0)
    g = torch.Generator().manual_seed(1)
    w = [torch.randn(x.shape, generator=g, dtype=torch.float64) for x in (m2d, conics, depths)]
    v = vis.double()

    def loss(m, c, d):
        return ((m * w[0]).sum(1) * v + (c * w[1]).sum(1) * v + d * w[2] * v).sum()

    ga = torch.autograd.grad(loss(ref.means2d, ref.conics, ref.depths), a)
    gb = torch.autograd.grad(loss(m2d, conics, depths), b)
    for name, x, y in zip(["means", "quats", "scales"], ga, gb, strict=True):
        assert float(x.abs().max()) > 0.1, name
        torch.testing.assert_close(y, x, atol=1e-9, rtol=1e-9)


@pytest.mark.parametrize("with_limit", [False, True])
def test_tile_compositing_equals_the_pair_path_values_and_gradients(with_limit):
    (means, quats, scales, opac, colors), K, T = _scene(150, 2)
    proj = project_gaussians(means, gaussian_covariances(quats, scales), K, T, W, H)
    limit = torch.full((H, W), 3.1, dtype=torch.float64) if with_limit else None
    outs = []
    for fn in ("tiles", "pairs"):
        leaves = [
            t.clone().requires_grad_()
            for t in (proj.means2d, proj.conics, opac, colors, proj.depths)
        ]
        p = proj._replace(means2d=leaves[0], conics=leaves[1], depths=leaves[4])
        if fn == "tiles":
            acc, n = _tiles.tile_composite(p, leaves[2], leaves[3], W, H, limit)
        else:
            acc, n = composite(p, leaves[2], leaves[3], W, H, depth_limit=limit)
        wts = torch.rand(acc.shape, generator=torch.Generator().manual_seed(3), dtype=acc.dtype)
        grads = torch.autograd.grad((acc * wts).sum(), leaves)
        outs.append((acc.detach(), n, grads))
    (a, na, ga), (b, nb, gb) = outs
    assert na == nb > 500
    torch.testing.assert_close(a, b, atol=1e-10, rtol=1e-10)
    for name, x, y in zip(["means2d", "conics", "opacities", "colors", "depths"], ga, gb,
                          strict=True):  # fmt: skip
        assert float(y.abs().max()) > 0, name
        torch.testing.assert_close(x, y, atol=1e-9, rtol=1e-7)


def test_float32_render_matches_the_pair_path():
    (means, quats, scales, opac, colors), K, T = _scene(300, 4, torch.float32)
    a = rasterize_gaussians(means, quats, scales, opac, colors, K, T, W, H, compositor="tiles")
    b = rasterize_gaussians(means, quats, scales, opac, colors, K, T, W, H, compositor="pairs")
    assert abs(a.n_pairs - b.n_pairs) <= 2
    torch.testing.assert_close(a.rgb, b.rgb, atol=2e-5, rtol=0)
    torch.testing.assert_close(a.alpha, b.alpha, atol=2e-5, rtol=0)


def test_a_camera_with_gradients_uses_the_torch_projection():
    (means, quats, scales, opac, colors), K, T = _scene(80, 5)
    T = T.clone().requires_grad_()
    out = rasterize_gaussians(means, quats, scales, opac, colors, K, T, W, H, compositor="tiles")
    (g,) = torch.autograd.grad(out.rgb.sum(), T)
    assert float(g.abs().sum()) > 0


def test_compositor_is_checked():
    (means, quats, scales, opac, colors), K, T = _scene(10, 6)
    with pytest.raises(InputError, match="compositor"):
        rasterize_gaussians(means, quats, scales, opac, colors, K, T, W, H, compositor="gl")
