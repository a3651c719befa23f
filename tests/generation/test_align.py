import math

import numpy as np
import pytest

from worldnb.generation import align_depth


def test_recovers_scale_and_shift_despite_outliers(rng):
    d = rng.uniform(1, 5, (40, 40)).astype(np.float32)
    target = 1.7 * d + 0.3
    target[:4] = 50.0  # 10 % gross outliers
    known = np.ones_like(d, bool)
    s, t, rmse = align_depth(d, target, known)
    assert abs(s - 1.7) < 1e-3 and abs(t - 0.3) < 1e-3 and rmse < 1e-3


def test_too_few_pixels_is_identity(rng):
    d = rng.uniform(1, 5, (10, 10))
    known = np.zeros_like(d, bool)
    known[0, :3] = True
    assert align_depth(d, 2 * d, known)[:2] == (1.0, 0.0)


def test_negative_scale_falls_back_to_ratio(rng):
    d = rng.uniform(1, 5, (30, 30))
    s, t, _ = align_depth(d, 10 - d, np.ones_like(d, bool))
    assert s > 0 and t == 0.0


def _trimmed_fit(x, y, rounds, keep_n):
    """Reference: ``rounds`` least-squares line fits (np.polyfit), each on the ``keep_n``
    points the previous fit explains best (argsort); the RMSE over the last kept set."""
    sel = np.ones(len(x), bool)
    for _ in range(rounds):
        s, t = np.polyfit(x[sel], y[sel], 1)
        r = np.abs(s * x + t - y)
        sel = np.zeros(len(x), bool)
        sel[np.argsort(r)[:keep_n]] = True
    return s, t, float(np.sqrt(np.mean((s * x[sel] + t - y[sel]) ** 2)))


def test_defaults_are_five_rounds_keeping_80_percent():
    # heavy-tailed noise (seed 90: the fit still moves between rounds 4, 5 and 6);
    # 101 points: the 80 % quantile is the 81st smallest residual, so 81 are kept
    rng = np.random.default_rng(90)
    x = rng.uniform(1, 5, 101)
    y = 1.3 * x + 0.2 + rng.standard_t(2, 101) * 0.2
    assert (y > 0).all()
    s, t, rmse = align_depth(x[None], y[None], np.ones((1, 101), bool))
    want = _trimmed_fit(x, y, 5, 81)
    np.testing.assert_allclose((s, t, rmse), want, rtol=1e-9, atol=1e-12)
    for other in (_trimmed_fit(x, y, 4, 81), _trimmed_fit(x, y, 6, 81), _trimmed_fit(x, y, 5, 82)):
        assert abs(other[0] - s) > 1e-4  # the test tells these apart
    # the arguments are honoured
    got = align_depth(x[None], y[None], np.ones((1, 101), bool), iters=2, keep=0.5)
    np.testing.assert_allclose(got, _trimmed_fit(x, y, 2, 51), rtol=1e-9, atol=1e-12)
    # rounds go on while exactly min_pixels are kept (81 of 101), and stop below that
    got = align_depth(x[None], y[None], np.ones((1, 101), bool), min_pixels=81)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    got = align_depth(x[None], y[None], np.ones((1, 101), bool), min_pixels=82)
    np.testing.assert_allclose(got, _trimmed_fit(x, y, 1, 81), rtol=1e-9, atol=1e-12)
    # no rounds: no fit, the identity, and its error over every pixel
    s, t, rmse = align_depth(x[None], y[None], np.ones((1, 101), bool), iters=0)
    assert (s, t) == (1.0, 0.0) and rmse == pytest.approx(np.sqrt(np.mean((x - y) ** 2)))


def test_a_scale_below_one_is_a_usable_fit():
    x = np.linspace(1.0, 5.0, 100)
    s, t, rmse = align_depth(x[None], (0.5 * x + 1.0)[None], np.ones((1, 100), bool))
    assert s == pytest.approx(0.5, abs=1e-9) and t == pytest.approx(1.0, abs=1e-9)
    assert rmse == pytest.approx(0.0, abs=1e-9)


def _fifty_good_pixels_and_bad_ones():
    """50 pixels on target = 1.7 d + 0.3 (some depths and targets below 1 m), then one
    pixel of each kind that must be ignored, its target far off the line."""
    d = np.concatenate([np.linspace(0.3, 5.0, 50), [2.0] * 9])
    target = 1.7 * d + 0.3
    known = np.ones(len(d), bool)
    bad = [
        ("known", False, None),
        ("depth", np.nan, None),
        ("depth", np.inf, None),
        ("depth", 0.0, None),
        ("depth", -1.0, None),
        ("target", np.nan, None),
        ("target", np.inf, None),
        ("target", 0.0, None),
        ("target", -1.0, None),
    ]
    for i, (what, value, _) in enumerate(bad, start=50):
        if what == "known":
            known[i], target[i] = False, 40.0
        elif what == "depth":
            d[i], target[i] = value, 40.0
        else:
            target[i] = value
    return d[None], target[None], known[None]


def test_only_known_finite_positive_pixels_count_and_50_are_enough():
    d, target, known = _fifty_good_pixels_and_bad_ones()
    # 50 pixels: one fit on all of them (trimming to 40 stops the loop), so any bad pixel
    # let in would pull the line off
    s, t, rmse = align_depth(d, target, known)
    assert s == pytest.approx(1.7, abs=1e-9) and t == pytest.approx(0.3, abs=1e-9)
    assert rmse == pytest.approx(0.0, abs=1e-9)
    known[0, 0] = False  # 49 usable pixels: too few, identity and no error estimate
    s, t, rmse = align_depth(d, target, known)
    assert (s, t) == (1.0, 0.0) and math.isnan(rmse)
    assert align_depth(d, target, known, min_pixels=49)[0] == pytest.approx(1.7, abs=1e-9)


def test_fallback_scale_is_the_median_ratio_and_rmse_over_its_best_80_percent():
    rng = np.random.default_rng(4)
    x = rng.uniform(1, 5, 101)
    y = 10 - x  # a negative slope is no usable fit
    s, t, rmse = align_depth(x[None], y[None], np.ones((1, 101), bool))
    ratio = np.sort(y / x)[50]  # the median of 101 ratios
    r = np.sort(np.abs(ratio * x - y))[:81]
    assert s == pytest.approx(ratio, rel=1e-12) and t == 0.0
    assert rmse == pytest.approx(float(np.sqrt(np.mean(r**2))), rel=1e-9)


def test_a_flat_target_does_not_flatten_the_new_depth():
    # the known pixels see a wall 3 m away, square on (to 0.2 mm); the new depth map
    # calls it a slanted wall 1.4–1.6 m away. Least squares would fit s = 0.001,
    # t ≈ 3 (every new pixel at 3 m: the new surface flattened). The scale cannot be
    # told from a flat target, so the fit falls back to the median ratio 3 / 1.5 = 2.
    h, w = 20, 30
    depth = np.tile(np.linspace(1.4, 1.6, w), (h, 1))
    target = 3.0 + 0.001 * (depth - 1.5)
    known = np.ones((h, w), bool)
    s, t, _ = align_depth(depth, target, known)
    assert t == 0.0
    assert s == pytest.approx(np.median(target / depth), rel=1e-12)
    assert s == pytest.approx(2.0, rel=1e-3)
    # a target 4x the ratio away is still a usable fit (scale 1, shift 1 on 1–2 m depth)
    depth = np.tile(np.linspace(1.0, 2.0, w), (h, 1))
    s, t, _ = align_depth(depth, depth + 1.0, known)
    assert (s, t) == (pytest.approx(1.0), pytest.approx(1.0))
