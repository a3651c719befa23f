"""Functional pieces of worldnb.models: labels, instances, metrics, masks, nets, I/O."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from worldnb import Opening, Room
from worldnb.errors import InputError
from worldnb.models import builtin_name, data
from worldnb.models.dense import instances_from
from worldnb.models.metrics import (
    confusion,
    depth_metrics,
    gradient_energy,
    instance_ap50,
    mean_iou,
    psnr,
)
from worldnb.models.nets import DenseNet, DenseNetConfig


def test_classes_are_shell_catalog_clutter():
    from worldnb.catalog import categories, entry

    names = data.classes()
    assert names[:5] == ["floor", "wall", "ceiling", "door", "window"]
    assert names[5:-1] == [c for c in categories() if not entry(c).clutter]
    assert names[-1] == "clutter" and "cup" not in names and "bed" in names


def test_shell_labels_from_geometry():
    room = Room.rectangle(4.0, 3.0, height=2.5, openings=[
        Opening("door", 0, offset=1.0, width=0.9, height=2.0),
        Opening("window", 1, offset=1.5, width=1.0, height=1.0, sill=1.0)])  # fmt: skip
    w0, w1 = room.walls[0], room.walls[1]

    def on(wall, t, y):
        q = wall.start + wall.direction * t
        return [q[0], y, q[1]]

    pts = np.array([[[2.0, 0.0, 1.5], [2.0, 2.5, 1.5], on(w0, 3.0, 1.0)],
                    [on(w0, 1.0, 1.0), on(w1, 1.5, 1.5), [np.nan] * 3]], np.float32)  # fmt: skip
    lab = data.shell_labels(pts, room)
    assert lab.tolist() == [[0, 2, 1], [3, 4, -1]]


def test_instances_split_at_edges_and_skip_stuff():
    sem = np.zeros((20, 20), np.int32)
    sem[:, 10:] = 7  # two touching objects of class 7, split by an edge column
    edges = np.zeros((20, 20), bool)
    edges[:, 14] = True
    inst = instances_from(sem, edges, stuff=[0, 1, 2])
    assert (inst[:, :10] == 0).all()
    assert len(np.unique(inst[:, 10:])) == 2 and (inst[:, 10:] > 0).all()
    assert len(np.unique(instances_from(sem, edges * False, [0, 1, 2])[:, 10:])) == 1


def test_depth_metrics_values():
    gt = np.array([[1.0, 2.0], [4.0, 0.0]])
    m = depth_metrics(gt * 2, gt)
    assert m["abs_rel"] == pytest.approx(1.0) and m["delta1"] == 0.0
    assert m["si_log"] == pytest.approx(0.0, abs=1e-6)  # a global scale is forgiven
    assert depth_metrics(gt, gt)["delta1"] == 1.0


def test_miou_and_ap50():
    gt = np.array([[0, 0, 1, 1]])
    conf = confusion(np.array([[0, 1, 1, 1]]), gt, 3)
    miou, per = mean_iou(conf)
    assert per[0] == pytest.approx(0.5) and per[1] == pytest.approx(2 / 3) and np.isnan(per[2])
    assert miou == pytest.approx((0.5 + 2 / 3) / 2)
    a = np.zeros((1, 4, 4), bool)
    a[0, :2] = True
    assert instance_ap50([(a, np.array([3]), np.array([0.9]))], [(a, np.array([3]))]) == 1.0
    assert instance_ap50([(~a, np.array([3]), np.array([0.9]))], [(a, np.array([3]))]) == 0.0


def test_psnr_and_gradient_energy():
    img = np.zeros((8, 8, 3))
    img[:, ::2] = 1
    m = np.ones((8, 8), bool)
    assert gradient_energy(img, m) == pytest.approx(3 * 56 / 112)
    assert gradient_energy(np.full_like(img, 0.5), m) == 0.0
    assert psnr(img, img + 0.1) == pytest.approx(20.0)


def test_random_masks_are_seeded_and_bounded():
    a = data.random_masks(6, 64, np.random.default_rng(3))
    b = data.random_masks(6, 64, np.random.default_rng(3))
    assert (a == b).all() and a.dtype == bool
    cover = a.mean((1, 2))
    assert (cover >= 0.05).all() and (cover <= 0.9).all()


def test_make_batch_shapes_and_fov():
    v = {"rgb": np.zeros((40, 40, 3), np.uint8), "depth": np.ones((40, 40), np.float32),
         "semantic": np.zeros((40, 40), np.int16), "instance": np.zeros((40, 40), np.int32),
         "fov_deg": 60.0}  # fmt: skip
    b = data.make_batch([v, v], 32, np.random.default_rng(0), augment=False)
    assert b["rgb"].shape == (2, 3, 32, 32) and b["semantic"].dtype == torch.int64
    assert b["fov"][0].item() == pytest.approx(np.radians(60.0), rel=1e-5)
    crop = data.make_batch([v], 32, np.random.default_rng(1))
    assert crop["fov"][0] <= np.radians(60.0) + 1e-6


def test_densenet_any_size_and_batch_equals_single():
    torch.manual_seed(0)
    net = DenseNet(DenseNetConfig(size=32, widths=(4, 8), full_width=4,
                                  heads={"depth": 2, "fov": 1, "semantic": 5})).eval()  # fmt: skip
    x = torch.rand(3, 3, 24, 40)
    out = net(x)
    assert out["depth"].shape == (3, 2, 24, 40) and out["semantic"].shape == (3, 5, 24, 40)
    assert out["fov"].shape == (3, 1)
    one = net(x[1:2])
    assert torch.allclose(one["depth"], out["depth"][1:2], atol=1e-5)


def test_builtin_names():
    assert builtin_name("builtin", "depth") and builtin_name(" builtin:depth ", "depth")
    assert not builtin_name("org/model", "depth") and not builtin_name(None, "depth")
    with pytest.raises(InputError, match="another built-in"):
        builtin_name("builtin:inpaint", "depth")


def test_coarse_to_fine_fills_at_the_coarse_size_and_keeps_its_config(tmp_path):
    from worldnb.models.inpaint import (
        PixelInpaintPipeline,
        build_unet,
        make_scheduler,
        sample,
        sample_coarse_to_fine,
    )

    torch.manual_seed(0)
    unet = build_unet(widths=(8, 16), attention=False, sample_size=16)
    pipe = PixelInpaintPipeline(unet, make_scheduler())
    assert pipe.config.coarse_size == 32 and pipe.config.detail_strength == 0.0
    img = torch.rand(1, 3, 64, 96) * 2 - 1
    mask = torch.zeros(1, 1, 64, 96)
    mask[..., 16:40, 20:70] = 1
    calls = []
    real = unet.forward
    unet.forward = lambda x, t, **kw: (calls.append(tuple(x.shape[-2:])), real(x, t, **kw))[1]
    g = torch.Generator()
    c2f = {"coarse_size": pipe.config.coarse_size}
    out = sample_coarse_to_fine(
        unet, pipe.scheduler, img, mask, 4, generator=g.manual_seed(0), **c2f
    )
    # the longer side goes to 32 px (then 2x unshuffled): 4 steps at 16x32 (U-Net input 8x16)
    assert calls == [(8, 16)] * 4
    assert torch.equal(out * (1 - mask), img * (1 - mask))
    calls.clear()
    sample_coarse_to_fine(
        unet, pipe.scheduler, img, mask, 4, generator=g.manual_seed(0), detail_strength=0.5, **c2f
    )
    assert calls == [(8, 16)] * 4 + [(32, 48)] * 2  # and half the steps at full size
    calls.clear()
    small = img[..., :32, :32]
    a = sample_coarse_to_fine(
        unet, pipe.scheduler, small, mask[..., :32, :32], 3, generator=g.manual_seed(1), **c2f
    )
    b = sample(unet, pipe.scheduler, small, mask[..., :32, :32], 3, generator=g.manual_seed(1))
    assert torch.equal(a, b)  # no larger than the coarse size: filled directly
    unet.forward = real
    saved = PixelInpaintPipeline(unet, make_scheduler(), coarse_size=48, detail_strength=0.3)
    saved.save_pretrained(tmp_path / "p")
    again = PixelInpaintPipeline.from_pretrained(tmp_path / "p")
    assert again.config.coarse_size == 48 and again.config.detail_strength == 0.3
