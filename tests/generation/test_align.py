import numpy as np

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
