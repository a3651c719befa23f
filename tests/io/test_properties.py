"""Round-trip properties over random content (hypothesis): .wnb is exact, PLY keeps every
3DGS parameter bit for bit (colours within float32 rounding), JSON keeps objects exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import worldnb
from worldnb.scene import Gaussians, OrientedBox, PointCloud, Scene

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


@SETTINGS
@given(
    n=st.integers(0, 40),
    sh_k=st.sampled_from([None, 3, 8, 15]),
    scale=st.sampled_from([1e-3, 1.0, 1e4]),
    seed=st.integers(0, 2**32 - 1),
)
def test_gaussians_through_ply_and_wnb(n, sh_k, scale, seed):
    rng = np.random.default_rng(seed)
    g = Gaussians(
        rng.normal(size=(n, 3)) * scale,
        rng.normal(size=(n, 3)),
        rng.normal(size=(n, 4)),
        rng.normal(size=n) * 5,
        rng.random((n, 3)),
        None if sh_k is None else rng.normal(size=(n, sh_k, 3)),
    )
    s = Scene(layers={"g": g})
    with tempfile.TemporaryDirectory() as d:
        assert worldnb.load(s.save(Path(d) / "s.wnb")) == s
        back = worldnb.load(s.export(Path(d) / "g.ply"), layer="g").layers["g"]
    for key in ("means", "scales", "quats", "opacities", "sh_rest"):
        a, b = getattr(g, key), getattr(back, key)
        assert (a is None and b is None) or np.array_equal(a, b), key
    np.testing.assert_allclose(back.colors, g.colors, atol=1e-6)


@SETTINGS
@given(
    n=st.integers(0, 40),
    normals=st.booleans(),
    instance=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_points_through_ply_and_wnb(n, normals, instance, seed):
    rng = np.random.default_rng(seed)
    rgb = rng.integers(0, 256, (n, 3), dtype=np.uint8)  # exactly representable in a PLY
    p = PointCloud(
        rng.normal(size=(n, 3)),
        rgb,
        rng.normal(size=(n, 3)) if normals else None,
        rng.integers(-1, 100, n) if instance else None,
    )
    s = Scene(layers={"p": p})
    with tempfile.TemporaryDirectory() as d:
        assert worldnb.load(s.save(Path(d) / "s.wnb")) == s
        assert worldnb.load(s.export(Path(d) / "p.ply"), layer="p") == s


@SETTINGS
@given(
    boxes=st.lists(
        st.tuples(
            st.sampled_from(["chair", "table", "bed", "lamp", "Sofa "]),
            st.lists(st.floats(-50, 50), min_size=3, max_size=3),
            st.lists(st.floats(0.01, 10), min_size=3, max_size=3),
            st.floats(-10, 10),
            st.booleans(),
            st.dictionaries(st.text(min_size=1, max_size=5), st.integers() | st.text(max_size=5)),
        ),
        max_size=6,
    )
)
def test_objects_through_json(boxes):
    s = Scene()
    for label, center, size, yaw, front, attrs in boxes:
        s.add_object(label, OrientedBox(center, size, yaw), front=front, extra=attrs)
    with tempfile.TemporaryDirectory() as d:
        back = worldnb.load(s.export(Path(d) / "s.json"))
    assert back == s
    assert [o.to_dict() for o in back.objects] == [o.to_dict() for o in s.objects]
