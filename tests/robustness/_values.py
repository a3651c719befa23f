"""Hypothesis strategies for hostile arguments: plausible values mixed with junk.

Every public argument is drawn as "mostly plausible, sometimes junk": junk is any
Python value a user might pass by mistake (None, a string, a huge int, NaN, a nested
list, a numpy array of the wrong shape or dtype, an arbitrary object).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

SPECIAL_FLOATS = [
    0.0,
    -0.0,
    -1.0,
    1e-300,
    1e-9,
    0.5,
    1e6,
    1e38,
    3.5e38,  # just past float32's largest
    1e300,
    float("nan"),
    float("inf"),
    float("-inf"),
]
SPECIAL_INTS = [0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]


def numbers() -> st.SearchStrategy:
    """Any number, edge cases first: ints, floats (NaN, inf, huge), numpy scalars, bools."""
    return st.one_of(
        st.sampled_from(SPECIAL_FLOATS),
        st.sampled_from(SPECIAL_INTS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.booleans(),
        st.sampled_from([np.float32(np.nan), np.int64(-5), np.float64(1e308), np.uint8(255)]),
    )


def arrays(max_side: int = 6) -> st.SearchStrategy:
    """Small numpy arrays of any dtype and rank, with any values (NaN, inf, huge)."""
    shapes = st.lists(st.integers(0, max_side), min_size=0, max_size=4).map(tuple)
    dtypes = st.sampled_from(
        [np.float32, np.float64, np.float16, np.int32, np.int64, np.uint8, np.bool_, np.int8]
    )

    def build(shape, dtype, fill, seed):
        rng = np.random.default_rng(seed)
        a = rng.normal(0.0, 10.0 ** rng.integers(0, 40), size=shape)
        if fill is not None:
            a.reshape(-1)[:1] = fill
        with np.errstate(all="ignore"):
            return a.astype(dtype)

    return st.builds(
        build, shapes, dtypes, st.none() | st.sampled_from(SPECIAL_FLOATS), st.integers(0, 2**16)
    )


def junk() -> st.SearchStrategy:
    """A value nobody should pass: anything at all, of any type."""
    leaves = st.one_of(
        st.none(),
        numbers(),
        st.text(max_size=12),
        st.binary(max_size=12),
        st.just(object()),
        st.just(print),
        st.just(Ellipsis),
        st.sampled_from([{}, [], (), set(), "", "x", "cuda", "../../etc/passwd", "\x00"]),
    )
    return st.one_of(
        leaves,
        arrays(),
        st.lists(leaves, max_size=4),
        st.dictionaries(st.text(max_size=4), leaves, max_size=3),
        st.lists(st.lists(numbers(), max_size=4), max_size=4),
    )


def maybe(plausible: st.SearchStrategy, weight: int = 3) -> st.SearchStrategy:
    """``plausible`` ``weight`` times out of ``weight + 1``, else :func:`junk` (chosen by
    a draw of its own: ``one_of`` would flatten junk's many branches into the choice)."""
    return st.integers(0, weight).flatmap(lambda i: junk() if i == weight else plausible)


def args(**valid: st.SearchStrategy) -> st.SearchStrategy:
    """Keyword arguments: all plausible (2 in 5), exactly one replaced by junk (2 in 5),
    or each one junk with probability 1/4 (1 in 5)."""
    good = st.fixed_dictionaries(valid)
    keys = sorted(valid)

    def one_bad(d):
        return st.sampled_from(keys).flatmap(lambda k: junk().map(lambda j: {**d, k: j}))

    anything = st.fixed_dictionaries({k: maybe(v) for k, v in valid.items()})
    return st.one_of(good, good, good.flatmap(one_bad), good.flatmap(one_bad), anything)


def floats_in(lo: float, hi: float) -> st.SearchStrategy:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def vec3(lo: float = -5.0, hi: float = 5.0) -> st.SearchStrategy:
    return st.tuples(floats_in(lo, hi), floats_in(lo, hi), floats_in(lo, hi))
