"""Helpers shared by the streaming tests: outcomes, splits and merge trees."""

import warnings

import numpy as np

RTOL = 1e-12


class Outcome:
    """The result of a call, or its exception, and the warning classes it emitted."""

    def __init__(self, fn, *args, **kwargs):
        self.result = self.exc = None
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            try:
                self.result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - compared by the caller
                self.exc = exc
        self.warnings = sorted({w.category.__name__ for w in rec})

    def __repr__(self):
        if self.exc is not None:
            return f"raised {type(self.exc).__name__}: {self.exc}"
        return f"returned {self.result!r}, warnings {self.warnings}"


def assert_same_value(expected, got, exact, ctx=""):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected), ctx
        for e, g in zip(expected, got):
            assert_same_value(e, g, exact, ctx)
    elif isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray), ctx
        assert got.dtype == expected.dtype and got.shape == expected.shape, (
            f"{ctx}: {got.dtype}{got.shape} != {expected.dtype}{expected.shape}")
        if exact or expected.dtype.kind not in "fc":
            np.testing.assert_array_equal(got, expected, err_msg=ctx)
        else:
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-15, err_msg=ctx)
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and got.keys() == expected.keys(), ctx
        for key in expected:
            assert_same_value(expected[key], got[key], exact, f"{ctx}[{key!r}]")
    elif isinstance(expected, str):
        assert got == expected, ctx
    else:
        # np.float64 is a float: scikit-learn returns either, depending on weights.
        same_kind = isinstance(got, float) and isinstance(expected, float)
        assert same_kind or type(got) is type(expected), f"{ctx}: {type(got)} != {type(expected)}"
        if exact:
            both_nan = got != got and expected != expected
            assert got == expected or both_nan, f"{ctx}: {got} != {expected}"
        else:
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-15, err_msg=ctx)


def assert_same_outcome(expected: Outcome, got: Outcome, exact=True, ctx=""):
    """``got`` (from a streaming state) behaves as ``expected`` (one shot)."""
    if expected.exc is not None:
        assert got.exc is not None, f"{ctx}: expected {expected!r}, got {got!r}"
        assert type(got.exc) is type(expected.exc) or isinstance(got.exc, type(expected.exc)), (
            f"{ctx}: expected {expected!r}, got {got!r}")
        return
    assert got.exc is None, f"{ctx}: expected {expected!r}, got {got!r}"
    assert got.warnings == expected.warnings, f"{ctx}: {got.warnings} != {expected.warnings}"
    assert_same_value(expected.result, got.result, exact, ctx)


def random_splits(rng, n, max_parts=8):
    """Index arrays of a random partition of range(n) (batches may be empty)."""
    k = int(rng.integers(1, max_parts + 1))
    cuts = np.sort(rng.integers(0, n + 1, size=k - 1))
    order = rng.permutation(n) if rng.random() < 0.5 else np.arange(n)
    return np.split(order, cuts)


def merge_tree(rng, accumulators):
    """Merge the accumulators in a random binary tree; return the root."""
    pool = list(accumulators)
    while len(pool) > 1:
        i, j = rng.choice(len(pool), size=2, replace=False)
        a, b = pool[i], pool[j]
        merged = a.merge(b) if rng.random() < 0.5 else b.merge(a)
        pool = [p for k, p in enumerate(pool) if k not in (i, j)] + [merged]
    return pool[0]


def take(a, idx):
    if a is None:
        return None
    return np.asarray(a)[idx]
