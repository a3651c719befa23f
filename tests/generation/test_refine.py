import numpy as np
import pytest
import torch

from worldnb.errors import CancelledError, InputError
from worldnb.generation import RefineTarget, lift_surfels, refine_gaussians, ssim
from worldnb.generation.evaluate import psnr
from worldnb.rendering import render


def test_ssim_basics():
    x = torch.rand(24, 24, 3, generator=torch.Generator().manual_seed(0))
    assert float(ssim(x, x)) == pytest.approx(1.0, abs=1e-6)
    assert float(ssim(x, 1 - x)) < 0.0
    assert ssim(x, x, reduce=False).shape == (24, 24)
    with pytest.raises(InputError):
        ssim(x, x[:5])


def _blurred_start(room_render, cam):
    g = lift_surfels(room_render.depth, room_render.rgb, cam.K, cam.T_world_camera, stride=2)
    g.colors[:] = 0.5  # a start that is clearly wrong
    return g


def test_refinement_lowers_the_loss_and_raises_psnr(room_render, room_camera):
    cam = room_camera
    g = _blurred_start(room_render, cam)
    before = psnr(render(g, cam, device="cpu").rgb, room_render.rgb)
    res = refine_gaussians(g, [RefineTarget(cam, room_render.rgb)], iters=12, lr=0.05, patience=100)
    after = psnr(render(res.gaussians, cam, device="cpu").rgb, room_render.rgb)
    assert res.losses[-1] < 0.7 * res.losses[0]
    assert after > before + 2
    assert np.allclose(np.linalg.norm(res.gaussians.quats, axis=1), 1, atol=1e-5)
    assert g.colors.max() == 0.5  # input untouched
    assert np.array_equal(g.means, _blurred_start(room_render, cam).means)


def test_early_stop_and_cancel(room_render, room_camera):
    cam = room_camera
    g = _blurred_start(room_render, cam)
    res = refine_gaussians(
        g, [RefineTarget(cam, room_render.rgb)], iters=50, lr=0.0, patience=3
    )  # nothing can improve with lr 0
    assert res.stopped_early and len(res.losses) < 10
    with pytest.raises(CancelledError):
        refine_gaussians(
            g, [RefineTarget(cam, room_render.rgb)], iters=5, callback=lambda step, loss: False
        )
    with pytest.raises(InputError):
        refine_gaussians(g, [], iters=5)


def test_rasterizer_choice_on_a_cpu(room_render, room_camera):
    cam = room_camera
    g = _blurred_start(room_render, cam)
    t = [RefineTarget(cam, room_render.rgb)]
    assert refine_gaussians(g, t, iters=2).rasterizer == "tiles"  # auto: no CUDA here
    assert refine_gaussians(g, t, iters=2, rasterizer="torch").rasterizer == "torch"
    with pytest.raises(InputError, match="needs a CUDA device"):
        refine_gaussians(g, t, iters=2, rasterizer="gsplat")
    with pytest.raises(InputError, match="rasterizer"):
        refine_gaussians(g, t, iters=2, rasterizer="opengl")
    with pytest.raises(InputError, match="coarse_fraction"):
        refine_gaussians(g, t, iters=2, coarse_fraction=1.5)


def test_tiles_and_the_reference_path_refine_alike(room_render, room_camera):
    """Same math: the same seeded steps end at nearly the same Gaussians."""
    cam = room_camera
    g = _blurred_start(room_render, cam)
    t = [RefineTarget(cam, room_render.rgb)]
    a = refine_gaussians(g, t, iters=4, lr=0.05, rasterizer="tiles")
    b = refine_gaussians(g, t, iters=4, lr=0.05, rasterizer="torch")
    np.testing.assert_allclose(a.losses, b.losses, rtol=1e-3)
    # Adam normalises each gradient, so a Gaussian whose gradient is ~0 can step either
    # way on float rounding; nearly all agree, and the renders do
    diff = np.abs(a.gaussians.colors - b.gaussians.colors)
    assert np.mean(diff < 1e-3) > 0.9
    pa = psnr(render(a.gaussians, cam, device="cpu").rgb, room_render.rgb)
    pb = psnr(render(b.gaussians, cam, device="cpu").rgb, room_render.rgb)
    assert abs(pa - pb) < 0.1


def test_coarse_to_fine_refines_too(room_render, room_camera):
    cam = room_camera
    g = _blurred_start(room_render, cam)
    before = psnr(render(g, cam, device="cpu").rgb, room_render.rgb)
    res = refine_gaussians(
        g, [RefineTarget(cam, room_render.rgb)], iters=12, lr=0.05, patience=100,
        coarse_fraction=0.5,
    )  # fmt: skip
    after = psnr(render(res.gaussians, cam, device="cpu").rgb, room_render.rgb)
    assert after > before + 2


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_gsplat_and_torch_refinement_agree_on_cuda(room_render, room_camera):
    pytest.importorskip("gsplat")
    from worldnb.generation.refine import _gsplat_or_none, _render_rgb

    cam = room_camera
    g = lift_surfels(room_render.depth, room_render.rgb, cam.K, cam.T_world_camera)
    dev = torch.device("cuda")
    params = [
        torch.as_tensor(a, dtype=torch.float32, device=dev)
        for a in (g.means, g.quats, np.exp(g.scales), 1 / (1 + np.exp(-g.opacities)), g.colors)
    ]
    bg = torch.ones(3, device=dev)
    a = _render_rgb(None, params, cam, bg)
    b = _render_rgb(_gsplat_or_none(dev, "gsplat"), params, cam, bg)
    assert float((a - b).abs().max()) <= 1e-3
    res = refine_gaussians(g, [RefineTarget(cam, room_render.rgb)], iters=3, device="cuda")
    assert res.rasterizer == "gsplat"


def test_targets_with_opaque_layers_behind_fit_what_render_shows(room_render, room_camera):
    from worldnb.generation import lift_mesh
    from worldnb.generation.pipeline import _put_opaque_layers_behind
    from worldnb.generation.refine import _render_rgb

    cam = room_camera
    mesh = lift_mesh(room_render.depth, room_render.rgb, cam.K, cam.T_world_camera, 0.04)
    g = _blurred_start(room_render, cam)
    g.means[:, 2] += 0.05  # some Gaussians behind the mesh (hidden there), some in front
    g.opacities[:] = 0.0  # half transparent: the mesh shows through
    layers = {"mesh": mesh, "gaussians": g}
    targets = [RefineTarget(cam, room_render.rgb)]
    _put_opaque_layers_behind(targets, layers, "cpu")
    assert targets[0].behind.shape == (64, 64, 3) and np.isfinite(targets[0].depth_limit).any()
    t = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.float32)  # noqa: E731
    params = (t(g.means), t(g.quats), t(np.exp(g.scales)), torch.sigmoid(t(g.opacities)),
              t(g.colors))  # fmt: skip
    ours = _render_rgb(None, params, cam, t([1, 1, 1]), "tiles", t(targets[0].behind),
                       t(targets[0].depth_limit)).numpy()  # fmt: skip
    shown = render(layers, cam, device="cpu", objects=None).rgb
    assert np.abs(ours - shown).max() < 1e-4  # the loss sees the scene as render draws it
    plain = _render_rgb(None, params, cam, t([1, 1, 1]), "tiles").numpy()
    assert np.abs(plain - shown).max() > 0.1  # which a fit over the blank background does not
    targets[0].behind = targets[0].behind[:10]
    with pytest.raises(InputError, match="behind"):
        refine_gaussians(g, targets, iters=1)


def _with_copies_aside(g):
    """``g`` and a copy of it 50 m to the side (out of the room camera's view): (N,)
    flags mark the copies."""
    from worldnb.scene import Gaussians

    cat = np.concatenate
    aside = g.means + np.float32([50, 0, 0])
    both = Gaussians(cat([g.means, aside]), cat([g.scales] * 2), cat([g.quats] * 2),
                     cat([g.opacities] * 2), cat([g.colors] * 2))  # fmt: skip
    return both, np.arange(len(both)) >= len(g)


def test_an_every_step_target_fits_as_if_alone_when_the_others_adjust_other_gaussians(
    room_render, room_camera
):
    from worldnb.scene import Camera

    cam = room_camera
    g, aside = _with_copies_aside(_blurred_start(room_render, cam))
    side = Camera(cam.K, cam.width, cam.height, cam.T_world_camera.copy())
    side.T_world_camera[0, 3] += 50  # sees the copies as the room camera sees the originals
    photo = RefineTarget(cam, room_render.rgb, every_step=True)
    alone = refine_gaussians(g, [photo], iters=4, lr=0.05, patience=100)
    view = RefineTarget(side, np.zeros_like(room_render.rgb), adjusts=aside)
    both = refine_gaussians(g, [photo, view], iters=4, lr=0.05, patience=100)
    n = int((~aside).sum())
    # the photo's Gaussians took exactly the photo-only steps; the view changed its own
    np.testing.assert_allclose(both.gaussians.colors[:n], alone.gaussians.colors[:n], atol=1e-6)
    assert np.abs(both.gaussians.colors[n:] - alone.gaussians.colors[n:]).max() > 0.1
    assert both.losses[0] > alone.losses[0]  # both images are in each step's loss


def test_a_target_changes_only_the_gaussians_it_adjusts(room_render, room_camera):
    cam = room_camera
    g = _blurred_start(room_render, cam)
    mine = np.arange(len(g)) % 2 == 0
    res = refine_gaussians(g, [RefineTarget(cam, room_render.rgb, adjusts=mine)], iters=3, lr=0.05)
    out = res.gaussians
    for key in ("colors", "opacities", "scales"):
        a, b = getattr(out, key), getattr(g, key)
        np.testing.assert_array_equal(a[~mine], np.clip(b[~mine], 1e-3, 1 - 1e-3)
                                      if key == "colors" else b[~mine])  # fmt: skip
        assert np.abs(a[mine] - b[mine]).max() > 1e-3, key
    with pytest.raises(InputError, match="adjusts"):
        refine_gaussians(g, [RefineTarget(cam, room_render.rgb, adjusts=mine[1:])], iters=1)
    with pytest.raises(InputError, match="adjusts"):
        refine_gaussians(g, [RefineTarget(cam, room_render.rgb, adjusts=mine * 1)], iters=1)


def test_fit_means_false_keeps_the_centres(room_render, room_camera):
    cam = room_camera
    g = _blurred_start(room_render, cam)
    t = [RefineTarget(cam, room_render.rgb)]
    kept = refine_gaussians(g, t, iters=3, lr=0.05, fit_means=False).gaussians
    np.testing.assert_array_equal(kept.means, g.means)
    assert np.abs(kept.colors - g.colors).max() > 1e-3
    moved = refine_gaussians(g, t, iters=3, lr=0.05).gaussians
    assert np.abs(moved.means - g.means).max() > 0
