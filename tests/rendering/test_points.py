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
