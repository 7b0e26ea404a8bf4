"""The streaming kernels against pure-NumPy twins, and their input checks."""

import numpy as np
import pytest

from cymetrics._kernels import _streaming

E = np.empty(0)
I4 = np.empty(4, np.int64)
I5 = np.empty(5, np.int64)


def _twin_run(scores, is_pos, weights):
    keys = np.unique(scores)
    idx = np.searchsorted(keys, scores)
    pos = np.bincount(idx, weights=weights * is_pos, minlength=len(keys))
    neg = np.bincount(idx, weights=weights * ~is_pos, minlength=len(keys))
    return keys, pos, neg


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n", [0, 1, 5, 300])
def test_collapse_classes_equals_twin(rng, dtype, weighted, n):
    scores = np.round(rng.normal(size=n), 1).astype(dtype)
    is_pos = rng.random(n) < 0.4
    w = rng.random(n) if weighted else np.ones(n)
    order_p = np.argsort(scores[is_pos], kind="stable")
    order_n = np.argsort(scores[~is_pos], kind="stable")
    pos, neg = scores[is_pos][order_p], scores[~is_pos][order_n]
    count = np.float64 if weighted else np.int64
    out = [np.empty(n, dtype), np.empty(n, count), np.empty(n, count)]
    pw = w[is_pos][order_p] if weighted else I4[:0]
    nw = w[~is_pos][order_n] if weighted else I4[:0]
    m = _streaming.collapse_classes(pos, neg, pw, nw, *out)
    keys, tp, tn = _twin_run(scores, is_pos, w)
    np.testing.assert_array_equal(out[0][:m], keys)
    np.testing.assert_allclose(out[1][:m], tp, rtol=1e-12)
    np.testing.assert_allclose(out[2][:m], tn, rtol=1e-12)


@pytest.mark.parametrize("ranged", [False, True])
def test_merge_runs_equals_twin(rng, ranged):
    a = np.unique(rng.integers(0, 50, 30)).astype(np.uint64)
    b = np.unique(rng.integers(0, 50, 30)).astype(np.uint64)
    ap, an = rng.integers(0, 5, (2, len(a)))
    bp, bn = rng.integers(0, 5, (2, len(b)))
    alo, blo = (rng.random(len(a)), rng.random(len(b))) if ranged else (E, E)
    n = len(a) + len(b)
    out = [np.empty(n, np.uint64), np.empty(n, np.int64), np.empty(n, np.int64),
           np.empty(n if ranged else 0), np.empty(n if ranged else 0)]
    m = _streaming.merge_runs(a, ap, an, alo, alo + 1 if ranged else E,
                              b, bp, bn, blo, blo + 1 if ranged else E, *out)
    keys = np.union1d(a, b)
    np.testing.assert_array_equal(out[0][:m], keys)
    for got, xa, xb in ((out[1], ap, bp), (out[2], an, bn)):
        expected = np.zeros(len(keys), np.int64)
        np.add.at(expected, np.searchsorted(keys, a), xa)
        np.add.at(expected, np.searchsorted(keys, b), xb)
        np.testing.assert_array_equal(got[:m], expected)
    if ranged:
        lo = np.full(len(keys), np.inf)
        np.minimum.at(lo, np.searchsorted(keys, a), alo)
        np.minimum.at(lo, np.searchsorted(keys, b), blo)
        np.testing.assert_array_equal(out[3][:m], lo)


def test_bucket_run_and_count(rng):
    keys = np.sort(rng.integers(0, 2**40, 200, dtype=np.uint64))
    keys = np.unique(keys)
    n = len(keys)
    pos, neg = rng.integers(0, 3, (2, n))
    lo = np.arange(n, dtype=np.float64)
    for shift in (0, 5, 30, 63):
        out = [np.empty(n, np.uint64), np.empty(n, np.int64), np.empty(n, np.int64),
               np.empty(n), np.empty(n)]
        m = _streaming.bucket_run(keys, pos, neg, lo, lo, shift, *out)
        buckets, inverse = np.unique(keys >> np.uint64(shift), return_inverse=True)
        assert m == len(buckets) == _streaming.count_distinct_buckets(keys, shift)
        np.testing.assert_array_equal(out[0][:m], buckets)
        np.testing.assert_array_equal(out[1][:m], np.bincount(inverse, weights=pos).astype(int))
        np.testing.assert_array_equal(out[3][:m], [lo[inverse == b].min() for b in range(m)])


@pytest.mark.parametrize("weighted", [False, True])
def test_collapse_sorted_and_count_distinct(rng, weighted):
    key = np.sort(np.round(rng.random(200), 1))
    w = rng.random(200) if weighted else I4[:0]
    out = [np.empty(200), np.empty(200, np.float64 if weighted else np.int64)]
    m = _streaming.collapse_sorted(key, w, *out)
    uniq, inverse = np.unique(key, return_inverse=True)
    assert m == len(uniq) == _streaming.count_distinct_sorted(key)
    np.testing.assert_array_equal(out[0][:m], uniq)
    expected = np.bincount(inverse, weights=w if weighted else None)
    np.testing.assert_allclose(out[1][:m], expected, rtol=1e-12)
    assert _streaming.count_distinct_sorted(key[:0]) == 0


def test_merge_sorted_and_twice_mann_whitney(rng):
    a = np.sort(rng.random(50).astype(np.float32))
    b = np.sort(np.concatenate([a[:5], rng.random(70).astype(np.float32)]))
    out = np.empty(len(a) + len(b), np.float32)
    _streaming.merge_sorted(a, b, out)
    np.testing.assert_array_equal(out, np.sort(np.concatenate([a, b])))
    pos = rng.integers(0, 4, 30)
    neg = rng.integers(0, 4, 30)
    # 2U = sum over (positive, negative) pairs: 2 if the positive is above, 1 if tied.
    above = np.arange(30)[:, None] - np.arange(30)[None, :]  # positive's score index - negative's
    pairs = pos[:, None] * neg[None, :] * (2 * (above > 0) + (above == 0))
    assert _streaming.twice_mann_whitney(pos, neg) == pairs.sum()


def test_group_order_is_a_stable_counting_sort(rng):
    codes = rng.integers(0, 7, 500).astype(np.intp)
    order = np.empty(500, np.intp)
    offsets = np.empty(8, np.intp)
    _streaming.group_order(codes, order, offsets)
    np.testing.assert_array_equal(order, np.argsort(codes, kind="stable"))
    sizes = np.bincount(codes, minlength=7)
    np.testing.assert_array_equal(offsets, np.concatenate([[0], np.cumsum(sizes)]))


@pytest.mark.parametrize(
    "call",
    [
        lambda: _streaming.collapse_classes(np.ones(3), np.ones(2), E, E,
                                            np.empty(4), I4, I4),
        lambda: _streaming.collapse_classes(np.ones(3), np.ones(2), np.ones(3), np.ones(2),
                                            np.empty(5), I5, I5),
        lambda: _streaming.merge_sorted(np.ones(3), np.ones(2), np.empty(4)),
        lambda: _streaming.collapse_sorted(np.ones(3), np.ones(2), np.empty(3), np.empty(3)),
        lambda: _streaming.twice_mann_whitney(np.ones(3, np.int64), np.ones(2, np.int64)),
        lambda: _streaming.collapse_classes(np.ones(3), np.ones(2), np.ones(2), np.ones(2),
                                            np.empty(5), np.empty(5), np.empty(5)),
        lambda: _streaming.merge_runs(np.ones(3), np.ones(2), np.ones(3), E, E,
                                      np.ones(1), np.ones(1), np.ones(1), E, E,
                                      np.empty(4), np.empty(4), np.empty(4), E, E),
        lambda: _streaming.merge_runs(np.ones(3), np.ones(3), np.ones(3), E, E,
                                      np.ones(1), np.ones(1), np.ones(1), E, E,
                                      np.empty(3), np.empty(4), np.empty(4), E, E),
        lambda: _streaming.bucket_run(np.ones(3, np.uint64), np.ones(3), np.ones(3), np.ones(3),
                                      np.ones(3), 64, *(np.empty(3, t) for t in
                                                        (np.uint64, float, float, float, float))),
        lambda: _streaming.order_keys(np.ones(3), np.empty(2, np.uint64)),
        lambda: _streaming.group_order(np.array([0, 3], np.intp), np.empty(2, np.intp),
                                       np.empty(3, np.intp)),
        lambda: _streaming.group_order(np.array([0, -1], np.intp), np.empty(2, np.intp),
                                       np.empty(3, np.intp)),
    ],
    ids=["out-short", "int-weighted", "merge-sorted-out", "collapse-w", "mw-lengths",
         "w-length", "run-lengths", "out-short-merge", "shift", "keys-length", "code-high",
         "code-negative"],
)
def test_kernels_refuse_inconsistent_lengths(call):
    with pytest.raises((ValueError, TypeError)):
        call()
