"""The label scan of `binary_target` on two threads equals the one-pass kernel."""

import itertools

import numpy as np
import pytest

from cymetrics._kernels import _labels as kernels
from cymetrics._shared import _labels, _parallel

# Halves built from these pieces cover every way the two halves' values can
# relate: one value or two, in either order, a third value, NaN.
PIECES = {
    "a": [0, 0, 0],
    "b": [1, 1],
    "ab": [0, 1, 1, 0],
    "ba": [1, 0, 0, 1],
    "c": [2],
    "ac": [0, 2],
    "nan": [np.nan],
}


def _accepted(found):
    """What `binary_target` takes from a scan: two (or one) finite values."""
    first, second, more = found
    return not more and all(v == v for v in (first, second) if v is not None)


def _scan_once(y):
    mask = np.empty(y.shape[0], dtype=np.uint8)
    return kernels.scan_two_values(y, mask), mask


@pytest.mark.parametrize(("dtype", "left", "right"), [
    (dtype, left, right)
    for dtype in (np.int64, np.float64, np.uint8)
    for left, right in itertools.product(PIECES, repeat=2)
    if dtype is np.float64 or "nan" not in (left, right)  # NaN only in float labels
])
def test_split_scan_equals_one_pass(monkeypatch, dtype, left, right):
    monkeypatch.setattr(_parallel, "SPLIT_AT", 1)
    monkeypatch.setattr(_parallel, "THREADS", 2)
    # The split is at len // 2: make it fall between the two pieces.
    y = np.concatenate([np.array(PIECES[left], dtype=dtype)] * len(PIECES[right])
                       + [np.array(PIECES[right], dtype=dtype)] * len(PIECES[left]))
    mask = np.empty(y.shape[0], dtype=np.uint8)
    got = _labels._scan_two_values(y, mask)
    expected, expected_mask = _scan_once(y)
    assert _accepted(got) == _accepted(expected)
    if _accepted(expected):
        assert got == expected
        np.testing.assert_array_equal(mask, expected_mask)


@pytest.mark.parametrize("seed", range(5))
def test_split_scan_random(monkeypatch, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 2000))
    y = rng.choice([-1, 1], n, p=[0.9, 0.1]) if seed % 2 else np.sort(rng.integers(0, 2, n))
    monkeypatch.setattr(_parallel, "SPLIT_AT", 1)
    monkeypatch.setattr(_parallel, "THREADS", 2)
    mask = np.empty(n, dtype=np.uint8)
    got = _labels._scan_two_values(y, mask)
    (first, second, more), expected_mask = _scan_once(y)
    assert got == (first, second, more)
    np.testing.assert_array_equal(mask, expected_mask)


FLAWS = [None, "negative", "all zero"]
FLOAT_FLAWS = ["nan", "inf", "-inf", "-0.0", "subnormal", "max"]


@pytest.mark.parametrize(("dtype", "flaw"), [(np.int64, f) for f in FLAWS]
                         + [(np.float64, f) for f in FLAWS + FLOAT_FLAWS])
@pytest.mark.parametrize("at", [0, 1, 999])
def test_scan_weights_equals_numpy(dtype, flaw, at):
    """One pass, the verdicts of isfinite/min/any: valid means finite and
    not negative (-0.0 is flagged, and let through by the caller)."""
    rng = np.random.default_rng(at)
    w = (rng.random(1000) * 10).astype(dtype)
    values = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf, "negative": -1,
              "-0.0": -0.0, "subnormal": 5e-324, "max": np.finfo(np.float64).max}
    if flaw == "all zero":
        w[:] = 0
    elif flaw is not None:
        w[at] = values[flaw]
    valid, nonzero = kernels.scan_weights(w)
    with np.errstate(invalid="ignore"):
        expected_valid = bool(np.isfinite(w).all() and not (w < 0).any()
                              and not np.signbit(w).any())
    assert valid == expected_valid
    assert nonzero == bool(w.any())
