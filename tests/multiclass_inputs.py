"""Seeded random multiclass and multilabel inputs for the tests of the
multiclass ranking metrics, the probabilistic losses, the label-ranking
metrics and calibration.

Everything takes an ``np.random.Generator`` (see ``support.InputFactory.rng``)
so a failing case is reproduced from its test id alone.
"""

from __future__ import annotations

import numpy as np

from support import InputFactory

# Class-value kinds of ``InputFactory.class_values`` that hold for any k.
LABEL_KINDS = ["int", "int_shift", "neg", "str", "str_obj", "float", "uint8", "big"]
WEIGHT_MODES = [None, "float", "float_zeros", "int"]


def classes(kind, k):
    return InputFactory.class_values(kind, k)


def labels(rng, n, values, *, all_present=True, skew=False):
    """``n`` labels drawn from ``values`` (each present at least once when
    ``all_present`` and ``n`` allows it; ``skew`` makes class 0 dominate)."""
    k = len(values)
    p = None
    if skew:
        p = np.full(k, 0.2 / max(k - 1, 1))
        p[0] = 0.8
        p /= p.sum()
    idx = rng.choice(k, size=n, p=p)
    if all_present and n >= k:
        idx[:k] = np.arange(k)
        rng.shuffle(idx)
    return np.asarray(values)[idx]


def proba(rng, n, k, *, ties=False, dtype=np.float64):
    """Rows of probabilities summing to one; ``ties`` repeats values a lot."""
    raw = rng.integers(0, 4, size=(n, k)).astype(np.float64)
    if not ties:
        raw += rng.random((n, k))
    raw[raw.sum(axis=1) == 0, 0] = 1.0
    return (raw / raw.sum(axis=1, keepdims=True)).astype(dtype)


def scores(rng, n, k, *, ties=False, dtype=np.float64):
    """Unnormalised scores (decision values)."""
    s = rng.integers(-3, 4, size=(n, k)).astype(np.float64) if ties else rng.normal(size=(n, k))
    return s.astype(dtype)


def weights(rng, n, mode):
    if mode is None:
        return None
    if mode == "float":
        return rng.random(n) + 0.05
    if mode == "float_zeros":
        w = rng.random(n) * 2
        w[rng.random(n) < 0.3] = 0.0
        if not w.any():
            w[0] = 1.0
        return w
    if mode == "int":
        return rng.integers(1, 4, size=n)
    raise ValueError(mode)


def multilabel(rng, n, k, *, density=None, dtype=np.int64):
    """A 0/1 indicator matrix; some columns may be all zeros or all ones."""
    if density is None:
        density = rng.choice([0.1, 0.3, 0.5, 0.8])
    y = (rng.random((n, k)) < density).astype(dtype)
    return y
