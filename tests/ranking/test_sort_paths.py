"""cymetrics' own sort and the binary ranking paths built on it.

Binary scores reach the sweep by one of four paths (`cymetrics._ranking.
_sorted`): small input split and sorted whole; the bucketed sort; the
*counted* form when every bucket holds one distinct score; and, for the full
ROC AUC or the average precision of large unweighted input, `Ranked`, where
only the smaller class (or the positives) of each bucket is sorted. Every
path must give the numbers of a plain twin -- ``np.unique`` and cumulative
sums -- bit for bit (integer weights; float weights to 1e-12), on the edges
the paths switch on: sizes, two threads with odd and even halves, ties,
-0.0 and 0.0, subnormals, huge values, one value, skewed data that
overflows the cache-sized buckets, and few distinct values with or without
an outlier.
"""

import contextlib
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cymetrics as cm
from cymetrics._ranking import _sorted
from cymetrics._ranking._sorted import Ranked, SortedScores, sort_binary_scores, sort_values
from cymetrics._shared import _parallel


def _scores(kind, n, dtype, rng):
    if kind == "continuous":
        s = rng.random(n)
    elif kind == "3 decimals":
        s = np.round(rng.random(n), 3)
    elif kind == "3 decimals + outlier":  # two values share the end buckets
        s = np.round(rng.random(n), 3)
        s[n // 2] = 1e6
    elif kind == "integer":
        s = rng.integers(-5, 200, n).astype(float)
    elif kind == "ties":
        s = np.round(rng.normal(size=n), 2)
    elif kind == "zeros":
        s = np.where(rng.random(n) < 0.5, -0.0, 0.0)
    elif kind == "one value":
        s = np.full(n, 0.25)
    elif kind == "skewed":  # one bucket far beyond the cache-sized ones
        s = np.where(rng.random(n) < 0.999, rng.random(n) * 1e-9, rng.random(n))
    else:  # extremes
        big = 1e308 if dtype == np.float64 else 3e38
        tiny = 5e-324 if dtype == np.float64 else 1e-45
        pool = np.array([-0.0, 0.0, tiny, -tiny, 2 * tiny, big, -big, 1.0, -1.0])
        s = np.where(rng.random(n) < 0.5, rng.choice(pool, n), rng.normal(size=n) * 1e-3)
    return s.astype(dtype)


KINDS = ["continuous", "3 decimals", "3 decimals + outlier", "integer", "ties", "zeros",
         "one value", "skewed", "extremes"]


def _twin(y, s, w):
    """Cumulative (fps, tps, thresholds) at every distinct kept score,
    thresholds decreasing: np.unique and bincounts, nothing of cymetrics."""
    keep = np.ones(s.shape[0], dtype=bool) if w is None else w != 0
    y, s = y[keep], s[keep]
    ww = np.ones(s.shape[0]) if w is None else w[keep]
    values, inverse = np.unique(s, return_inverse=True)
    pos = np.bincount(inverse, weights=ww * (y == 1), minlength=values.shape[0])
    neg = np.bincount(inverse, weights=ww * (y != 1), minlength=values.shape[0])
    return np.cumsum(neg[::-1]), np.cumsum(pos[::-1]), values[::-1]


def _twin_auc(fps, tps):
    """Twice the Mann-Whitney U from the curve, exactly (Python ints)."""
    dn = np.diff(fps, prepend=0.0).astype(np.int64).tolist()
    dp = np.diff(tps, prepend=0.0).astype(np.int64).tolist()
    twice, tp = 0, 0
    for a, b in zip(dn, dp):
        twice += a * (2 * tp + b)
        tp += b
    n_pos, n_neg = int(tps[-1]), int(fps[-1])
    return float(twice) / (2.0 * float(n_pos) * float(n_neg))


def _twin_ap(fps, tps):
    acc, prev = 0.0, 0.0
    for fp, tp in zip(fps, tps):
        dp = tp - prev
        if dp != 0:
            acc += dp * (tp / (tp + fp))
        prev = tp
    return max(0.0, acc / tps[-1])


def _corners(fps, tps, second_difference):
    """scikit-learn's drop_intermediate as numpy does it."""
    if fps.shape[0] <= 2:
        return np.arange(fps.shape[0])
    if second_difference:
        inner = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
    else:
        inner = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
    return np.flatnonzero(np.concatenate([[True], inner, [True]]))


def _data(n, kind, dtype, weights, seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < rng.choice([0.05, 0.3, 0.7])).astype(np.int64)
    y[:2] = [0, 1]
    s = _scores(kind, n, dtype, rng)
    w = None
    if weights == "integer":
        w = rng.integers(0, 4, n).astype(np.float64)
        w[:2] = 1.0
    elif weights == "float":
        w = rng.random(n)
    return y, s, w


def _check_all(y, s, w):
    fps, tps, thr = _twin(y, s, w)
    exact = w is None or np.array_equal(w, np.round(w))
    same = (np.testing.assert_array_equal if exact else
            lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-12, atol=0))
    if fps[-1] > 0 and tps[-1] > 0:
        auc = cm.roc_auc_score(y, s, sample_weight=w)
        if w is None:
            assert auc == _twin_auc(fps, tps)
        else:
            np.testing.assert_allclose(auc, _twin_auc(fps, tps) if exact else auc, rtol=1e-12)
        ap = cm.average_precision_score(y, s, sample_weight=w)
        same(ap, _twin_ap(fps, tps))
    for drop in (False, True):
        fpr, tpr, t = cm.roc_curve(y, s, sample_weight=w, drop_intermediate=drop)
        keep = _corners(fps, tps, True) if drop else np.arange(fps.shape[0])
        same(fpr[1:], fps[keep] / fps[-1] if fps[-1] > 0 else np.full(keep.shape, np.nan))
        same(tpr[1:], tps[keep] / tps[-1])
        np.testing.assert_array_equal(t[1:], thr[keep].astype(np.float64))
        p, r, t = cm.precision_recall_curve(y, s, sample_weight=w, drop_intermediate=drop)
        keep = _corners(fps, tps, False) if drop else np.arange(fps.shape[0])
        same(r[:-1], (tps[keep] / tps[-1])[::-1])
        same(p[:-1], (tps[keep] / (tps[keep] + fps[keep]))[::-1])
        np.testing.assert_array_equal(t, thr[keep][::-1])


@pytest.mark.parametrize("weights", [None, "integer", "float"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [4096, 4097, 20_001])
def test_paths_match_the_twin(n, kind, dtype, weights):
    with np.errstate(divide="ignore", invalid="ignore"):
        _check_all(*_data(n, kind, dtype, weights, seed=n + len(kind)))


@pytest.mark.parametrize("n", [2**17, 2**17 + 1])
@pytest.mark.parametrize("kind", ["continuous", "3 decimals", "skewed"])
def test_two_threads_odd_and_even_halves(n, kind):
    y, s, _ = _data(n, kind, np.float64, None, seed=7)
    with np.errstate(divide="ignore", invalid="ignore"):
        _check_all(y, s, None)


@pytest.mark.parametrize(("kind", "form"), [
    ("3 decimals", SortedScores), ("integer", SortedScores), ("continuous", Ranked),
    ("3 decimals + outlier", Ranked), ("ties", SortedScores)])
def test_few_distinct_detection(kind, form):
    """The counted form exactly when every bucket holds one value; the
    detector has no false positive (an outlier pushes two rounded values
    into one end bucket: then the classes are sorted, still exactly)."""
    y, s, _ = _data(50_000, kind, np.float64, None, seed=3)
    result = sort_binary_scores(y == 1, s, metric="roc_auc")
    assert isinstance(result, form)
    if form is SortedScores:
        assert result.weighted and result.pos_w.dtype == np.int64
        assert result.pos.shape[0] < 1000
    fps, tps, _ = _twin(y, s, None)
    assert result.roc_auc() == _twin_auc(fps, tps)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("n", "buckets"), [(20_001, 1), (20_001, 7), (20_001, 64),
                                            (300_000, 1)])
def test_crowded_buckets_rank_exactly(n, buckets, kind, dtype):
    """Few value buckets, so that each holds thousands of scores of both
    classes: the unweighted AUC's pair counts (`Ranked`: the smaller class
    grouped by sub-bucket, crowded sub-buckets sorted, the other class
    located among it; beyond the cache-sized scratch, sorted in place) and
    the average precision (its walk's terms bucket by bucket, added in
    order) are the twin's, exactly."""
    y, s, _ = _data(n, kind, dtype, None, seed=n + buckets)
    with _patched(_sorted, "_BUCKETS", buckets):
        auc = sort_binary_scores(y == 1, s, counted=False, metric="roc_auc")
        ap = sort_binary_scores(y == 1, s, counted=False, metric="average_precision")
    assert isinstance(auc, Ranked) and isinstance(ap, Ranked)
    fps, tps, _ = _twin(y, s, None)
    assert auc.roc_auc() == _twin_auc(fps, tps)
    assert ap.average_precision() == _twin_ap(fps, tps)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m", [0, 1, 2, 24, 25, 300, 2**16, 2**16 + 1, 150_000])
def test_sort_values_matches_numpy(m, kind, dtype, weighted):
    """In place, weights carried along (pairs preserved)."""
    rng = np.random.default_rng(m)
    a = _scores(kind, m, dtype, rng) if m else np.empty(0, dtype=dtype)
    w = rng.random(m) if weighted else None
    a0, w0 = a.copy(), None if w is None else w.copy()
    sort_values(a, w)
    np.testing.assert_array_equal(a, np.sort(a0))
    if weighted:
        # The same (score, weight) pairs, as multisets.
        order0, order = np.lexsort((w0, a0)), np.lexsort((w, a))
        np.testing.assert_array_equal(w[order], w0[order0])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from([0.0, -0.0, 0.5, 1.0, 2.0, 1e-300,
                                                             -3.0, 1e300, 0.25])),
                min_size=1, max_size=60),
       st.sampled_from([None, "integer"]), st.booleans())
def test_tiny_input_through_every_path(pairs, weights, float32):
    """Hypothesis: tiny inputs forced through the bucketed and two-thread
    paths (size limits lowered) agree with the twin."""
    y = np.array([int(p) for p, _ in pairs])
    s = np.array([v for _, v in pairs])
    if float32:
        s = np.clip(s, -3e38, 3e38).astype(np.float32)
    w = None if weights is None else (np.arange(y.shape[0]) % 3).astype(np.float64) + (
        np.arange(y.shape[0]) == 0)
    ww = np.ones(y.shape[0]) if w is None else w
    assume(ww[y == 1].sum() > 0 and ww[y == 0].sum() > 0)
    with _patched(_sorted, "_SMALL", 0), _patched(_sorted, "SPLIT_AT", 2), \
            _patched(_parallel, "SPLIT_AT", 2):
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _check_all(y, s, w)


@contextlib.contextmanager
def _patched(module, name, value):
    """Set a module attribute for a block (hypothesis forbids the
    function-scoped monkeypatch fixture inside @given)."""
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(("n", "at"), [(5000, 0), (5000, 4999), (2**17 + 1, 2**16 + 7)])
@pytest.mark.parametrize("func", ["roc_auc_score", "average_precision_score", "roc_curve"])
def test_non_finite_scores_refused_on_every_path(func, n, at, bad):
    """The bucketed passes (either thread's half) refuse a non-finite score
    with the message of the small path; a zero-weight sample is checked too."""
    y, s, _ = _data(n, "continuous", np.float64, None, seed=5)
    s[at] = bad
    with pytest.raises(ValueError, match=r"Input contains (NaN|infinity)"):
        getattr(cm, func)(y, s)
    w = np.ones(n)
    w[at] = 0.0
    with pytest.raises(ValueError, match=r"Input contains (NaN|infinity)"):
        getattr(cm, func)(y, s, sample_weight=w)


@pytest.mark.parametrize("rule", [_sorted.KEEP_ALL, _sorted.KEEP_CORNERS, _sorted.KEEP_TPS_ENDS,
                                  _sorted.KEEP_TPS_ENDS_AFTER_ORIGIN])
@pytest.mark.parametrize("kind", ["continuous", "ties", "integer"])
@pytest.mark.parametrize("counted", [False, True])
def test_sweep_in_two_parts_equals_one_sweep(rule, kind, counted):
    """A curve swept as two parts cut at any value (what two threads do)
    has the points and decisions of one sweep, at every cut; a cut through
    equal scores and float weights are refused."""
    from cymetrics._kernels import _sweep

    y, s, _ = _data(3000, kind, np.float64, None, seed=len(kind) + rule)
    pos, neg = np.sort(s[y == 1]), np.sort(s[y == 0])
    none = np.empty(0, dtype=np.int64)
    pos_w = neg_w = none
    if counted:
        pos, pos_w = np.unique(pos, return_counts=True)
        neg, neg_w = np.unique(neg, return_counts=True)
    n = pos.shape[0] + neg.shape[0]

    def sweep(offset, part=None, out=None):
        out = out or (np.full(n + 1, -1.0), np.full(n + 1, -1.0), np.full(n + 1, -1.0))
        kept = _sweep.sorted_sweep_points(pos, neg, pos_w, neg_w, counted, rule, *out,
                                          offset, part)
        return kept, out

    kept, whole = sweep(0)
    for middle in np.unique(np.concatenate([pos, neg]))[:: max(1, n // 40)]:
        p, q = int(np.searchsorted(pos, middle)), int(np.searchsorted(neg, middle))
        n_up, up = sweep(0, (p, pos.shape[0], q, neg.shape[0]))
        n_low, low = sweep(0, (0, p, 0, q))
        assert n_up + n_low == kept
        for a, b, c in zip(whole, up, low):
            np.testing.assert_array_equal(a[:kept], np.concatenate([b[:n_up], c[:n_low]]))
    tied = np.flatnonzero(np.diff(pos) == 0)
    if tied.size:
        with pytest.raises(ValueError, match="must not split equal scores"):
            sweep(0, (0, int(tied[0]) + 1, 0, 0))
    if not counted:
        with pytest.raises(ValueError, match="float weights"):
            _sweep.sorted_sweep_points(pos, neg, np.ones(pos.shape[0]), np.ones(neg.shape[0]),
                                       True, rule, *whole, 0, (0, 1, 0, 0))
