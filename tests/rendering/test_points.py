"""Point splatting against a dense every-point-every-pixel reference."""

from __future__ import annotations

import pytest
import torch

from worldnb.errors import InputError
from worldnb.rendering import splat_points
from worldnb.rendering._reference import reference_points


@pytest.mark.parametrize("radius", [0.0, 0.5, 1.0, 2.3, 17.5, 36.0])
def test_matches_dense_reference(radius, make_K):
    g = torch.Generator().manual_seed(0)
    xyz = torch.rand(400, 3, generator=g) * torch.tensor([3.0, 2.0, 3.0]) - torch.tensor(
        [1.5, 1, -1]
    )
    K = make_K(36, 28)
    frags = splat_points(xyz, K, torch.eye(4), 36, 28, radius=radius, colors=xyz)
    point, depth = reference_points(xyz, K, torch.eye(4), 36, 28, radius=radius)
    assert torch.equal(frags.point, point)
    assert torch.allclose(frags.depth[point >= 0].double(), depth[point >= 0], atol=1e-6)
    hit = point >= 0
    assert torch.equal(frags.rgb[hit], xyz[point[hit]])
    assert (frags.rgb[~hit] == 0).all()
    # discs: bigger radius covers at least as much
    assert hit.sum() > 0


def test_chunking_and_near_plane(make_K):
    g = torch.Generator().manual_seed(1)
    xyz = torch.rand(500, 3, generator=g) * 2 - torch.tensor([1.0, 1, -0.5])
    a = splat_points(xyz, make_K(20, 20), torch.eye(4), 20, 20, radius=1.0)
    b = splat_points(xyz, make_K(20, 20), torch.eye(4), 20, 20, radius=1.0, max_candidates=50)
    assert torch.equal(a.point, b.point)
    close = splat_points(xyz, make_K(20, 20), torch.eye(4), 20, 20, near=1.2)
    assert (close.depth[close.point >= 0] >= 1.2).all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"xyz": [[0, 0, float("inf")]]}, "xyz"),
        ({"colors": [[1, 0, 0], [0, 1, 0]]}, "colors"),
        ({"radius": -1}, "radius"),
        ({"radius": 1e6}, "radius"),  # was a (2e6+1)² window per point: MemoryError
        ({"radius": "x"}, "radius"),
        ({"K": [[10.0, 0, 5], [0, 0, 5], [0, 0, 1]]}, "K"),
    ],
)
def test_bad_input_names_the_argument(kwargs, name):
    args = {"xyz": [[0, 0, 1.0]], "K": [[10.0, 0, 5], [0, 10, 5], [0, 0, 1]],
            "T_camera_world": torch.eye(4), "width": 10, "height": 10}  # fmt: skip
    args.update(kwargs)
    with pytest.raises(InputError, match=name):
        splat_points(**args)


def test_no_points(make_K):
    frags = splat_points(
        torch.zeros(0, 3), make_K(8, 6), torch.eye(4), 8, 6, colors=torch.zeros(0, 3)
    )
    assert (frags.point == -1).all() and torch.isinf(frags.depth).all()
    assert frags.rgb.shape == (6, 8, 3)


def test_skewed_intrinsics_place_the_point_by_hand():
    # u = (fx·x + s·y)/z + cx, v = fy·y/z + cy: with skew s = 4 the point at
    # (0.1, 0.5, 2) lands at u = (10·0.1 + 4·0.5)/2 + 5 = 6.5, v = 10·0.5/2 + 5 = 7.5
    K = [[10.0, 4.0, 5.0], [0, 10.0, 5.0], [0, 0, 1]]
    frags = splat_points([[0.1, 0.5, 2.0]], K, torch.eye(4), 10, 10)
    assert frags.point[7, 6] == 0 and (frags.point >= 0).sum() == 1


def test_default_radius_is_one_pixel_and_radius_one_is_a_disc():
    K = [[10.0, 0, 5.0], [0, 10.0, 5.0], [0, 0, 1]]
    xyz = [[0.0, 0.0, 2.0]]  # projects onto the corner between pixels 4 and 5
    assert (splat_points(xyz, K, torch.eye(4), 10, 10).point == 0).sum() == 1
    # radius 1: the 4 centres at 0.71 px; radius 1.6: 12 centres within 1.58 px
    assert (splat_points(xyz, K, torch.eye(4), 10, 10, radius=1.0).point == 0).sum() == 4
    assert (splat_points(xyz, K, torch.eye(4), 10, 10, radius=1.6).point == 0).sum() == 12


def test_near_and_far_bounds_are_inclusive_and_exclusive():
    K = [[10.0, 0, 5.0], [0, 10.0, 5.0], [0, 0, 1]]
    xyz = [[0.0, 0.0, 2.0]]
    assert (splat_points(xyz, K, torch.eye(4), 10, 10, near=2.0).point == 0).any()
    assert (splat_points(xyz, K, torch.eye(4), 10, 10, far=2.0).point == -1).all()
    assert (splat_points(xyz, K, torch.eye(4), 10, 10, far=2.0001).point == 0).any()


def test_nearest_point_wins_below_one_metre():
    # depth keys must keep their order for z < 1 m too
    K = [[10.0, 0, 5.0], [0, 10.0, 5.0], [0, 0, 1]]
    xyz = [[0.0, 0.0, 0.8], [0.0, 0.0, 0.5]]
    frags = splat_points(xyz, K, torch.eye(4), 10, 10)
    assert frags.point[5, 5] == 1 and frags.depth[5, 5] == pytest.approx(0.5)


def test_many_chunks_cover_every_point(make_K):
    # 40 points in 40 separate pixels, 3 points per chunk
    xs = torch.arange(40, dtype=torch.float32) % 8
    ys = torch.div(torch.arange(40), 8, rounding_mode="floor").float()
    K = torch.tensor([[1.0, 0, 0.5], [0, 1.0, 0.5], [0, 0, 1]])
    xyz = torch.stack([xs, ys, torch.ones(40)], 1)
    frags = splat_points(xyz, K, torch.eye(4), 8, 5, max_candidates=3)
    assert torch.equal(frags.point.reshape(-1), torch.arange(40))


def test_dtypes_follow_the_input_and_no_colours_give_none(make_K):
    xyz = torch.tensor([[0.0, 0.0, 2.0]], dtype=torch.float64)
    cols = torch.tensor([[0.2, 0.4, 0.6]], dtype=torch.float64)
    frags = splat_points(xyz, make_K(8, 6), torch.eye(4), 8, 6, colors=cols)
    assert frags.depth.dtype == torch.float64 and frags.rgb.dtype == torch.float64
    assert frags.point.dtype == torch.int64
    assert splat_points(xyz, make_K(8, 6), torch.eye(4), 8, 6).rgb is None
    empty = splat_points(torch.zeros(0, 3, dtype=torch.float64), make_K(8, 6), torch.eye(4),
                         8, 6, colors=torch.zeros(0, 2, dtype=torch.float64))  # fmt: skip
    assert empty.depth.dtype == torch.float64 and empty.rgb.dtype == torch.float64
    assert empty.point.dtype == torch.int64
    assert splat_points(torch.zeros(0, 3), make_K(8, 6), torch.eye(4), 8, 6).rgb is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"xyz": [[0, 0, float("inf")]]}, "^xyz"),
        ({"colors": [[1, 0, 0], [0, 1, 0]]}, "^colors"),
        ({"radius": "big"}, "^radius: expected a number of pixels, got 'big'"),
        ({"radius": float("nan")}, "^radius: expected a finite number"),
        ({"width": 5000, "height": 5000}, "allow_large=True"),
    ],
)
def test_bad_input_messages_start_with_the_argument(kwargs, message):
    args = {"xyz": [[0, 0, 1.0]], "K": [[10.0, 0, 5], [0, 10, 5], [0, 0, 1]],
            "T_camera_world": torch.eye(4), "width": 10, "height": 10}  # fmt: skip
    args.update(kwargs)
    with pytest.raises(InputError, match=message):
        splat_points(**args)


def test_work_stays_on_the_inputs_device_whatever_torchs_default(make_K):
    # A notebook may call torch.set_default_device("cuda"); CPU inputs must still be
    # splatted on the CPU. The "meta" device stands in for another device here: any
    # tensor made without naming the inputs' device lands there and carries no values.
    g = torch.Generator().manual_seed(2)
    xyz = torch.rand(60, 3, generator=g) * 2 - torch.tensor([1.0, 1, -1.5])
    cols = torch.rand(60, 2, generator=g)
    K, T = make_K(12, 10), torch.eye(4)
    empty, empty_cols = torch.zeros(0, 3), torch.zeros(0, 2)
    for radius in (0.0, 1.5):
        want = splat_points(xyz, K, T, 12, 10, radius=radius, colors=cols)
        with torch.device("meta"):
            got = splat_points(xyz, K, T, 12, 10, radius=radius, colors=cols)
        for a, b in zip(got, want, strict=True):
            assert a.device.type == "cpu" and torch.equal(a, b)
    with torch.device("meta"):
        got = splat_points(empty, K, T, 12, 10, colors=empty_cols)
    assert all(t.device.type == "cpu" for t in got)
    assert (got.point == -1).all() and torch.isinf(got.depth).all() and (got.rgb == 0).all()


def test_allow_large_lets_a_large_image_through(monkeypatch):
    # 4096² pixels is the limit; lower it so "large" is cheap to test
    monkeypatch.setattr("worldnb.rendering._common.MAX_PIXELS", 8 * 8)
    K = [[10.0, 0, 5.0], [0, 10.0, 5.0], [0, 0, 1]]
    with pytest.raises(InputError, match="allow_large=True"):
        splat_points([[0.0, 0, 2]], K, torch.eye(4), 10, 10)
    frags = splat_points([[0.0, 0, 2]], K, torch.eye(4), 10, 10, allow_large=True)
    assert frags.point.shape == (10, 10) and frags.point[5, 5] == 0
