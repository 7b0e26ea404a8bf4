"""The bounded score sketch: guaranteed AUC interval, exact when it fits."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cymetrics.streaming import CompactionWarning, ScoreAccumulator, ScoreSketch
from cymetrics.streaming._sketch import order_keys
from support import Outcome, assert_same_outcome, merge_tree, random_splits, take

# Scores over many binades and signs: logits, tiny and huge values, zeros.
SCORES = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 5e-324, 1.0, 1e300, -1e300, 0.5, 0.5000001]),
)


def _sketch(rng, y, s, w, max_bins):
    parts = random_splits(rng, len(y))
    return merge_tree(rng, [ScoreSketch(max_bins).update(take(y, i), take(s, i), take(w, i))
                            for i in parts])


@given(
    data=st.lists(st.tuples(st.booleans(), SCORES, st.integers(0, 3)), min_size=2, max_size=80),
    max_bins=st.integers(2, 12),
    weighted=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_interval_contains_exact_auc(data, max_bins, weighted, seed):
    rng = np.random.default_rng(seed)
    y = np.array([d[0] for d in data])
    s = np.array([d[1] for d in data])
    w = np.array([d[2] for d in data], dtype=float) if weighted else None
    if w is not None:
        w[0] = w[-1] = 1.0
    exact = ScoreAccumulator().update(y, s, w)
    sketch = _sketch(rng, y, s, w, max_bins)
    assert sketch.n_distinct <= max_bins
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        auc = exact.roc_auc_score()
        lo, hi = sketch.roc_auc_interval()
        point = sketch.roc_auc_score()
    if np.isnan(auc):
        assert np.isnan(lo) and np.isnan(hi) and np.isnan(point)
        return
    if not sketch.exact:
        assert lo <= auc <= hi
        assert lo <= point <= hi
    if sketch.exact:
        assert lo == hi == point
        assert point == auc if not weighted else point == pytest.approx(auc, rel=1e-12)


@given(data=st.lists(st.tuples(st.booleans(), SCORES), min_size=1, max_size=60),
       seed=st.integers(0, 2**32 - 1))
def test_property_state_is_a_function_of_the_data(data, seed):
    # The shift is the smallest at which the data fit: independent of order,
    # splits and merge trees (unweighted counts, so bit-identical).
    rng = np.random.default_rng(seed)
    y = np.array([d[0] for d in data])
    s = np.array([d[1] for d in data])
    one = ScoreSketch(4).update(y, s).to_bytes()
    assert _sketch(rng, y, s, None, 4).to_bytes() == one


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_exact_while_distinct_scores_fit(rng, weighted):
    n = 500
    y = rng.random(n) < 0.4
    s = np.round(rng.normal(size=n), 1)
    w = rng.integers(1, 4, n).astype(float) if weighted else None
    sketch = _sketch(rng, y, s, w, max_bins=len(np.unique(s)))
    exact = ScoreAccumulator().update(y, s, w)
    assert sketch.exact
    for name in ("roc_auc_score", "average_precision_score", "roc_curve",
                 "precision_recall_curve", "det_curve", "confusion_matrix_at_thresholds"):
        assert_same_outcome(Outcome(getattr(exact, name)), Outcome(getattr(sketch, name)),
                            exact=True, ctx=name)
    auc = exact.roc_auc_score()
    assert sketch.roc_auc_interval() == (auc, auc)


def test_curves_are_the_exact_curve_at_bucket_boundaries(rng):
    n = 2000
    y = rng.random(n) < 0.3
    s = rng.normal(size=n) + y
    exact = ScoreAccumulator().update(y, s)
    sketch = ScoreSketch(32).update(y, s)
    assert not sketch.exact
    tns, fps, fns, tps, thr = sketch.confusion_matrix_at_thresholds()
    e_tns, e_fps, e_fns, e_tps, e_thr = exact.confusion_matrix_at_thresholds()
    idx = np.searchsorted(-e_thr, -thr)
    np.testing.assert_array_equal(e_thr[idx], thr)
    np.testing.assert_array_equal(e_fps[idx], fps)
    np.testing.assert_array_equal(e_tps[idx], tps)
    for t in thr[::5]:
        np.testing.assert_array_equal(sketch.confusion_matrix(t), exact.confusion_matrix(t))


def test_threshold_inside_a_bucket_is_refused():
    sketch = ScoreSketch(2).update([0, 1, 0, 1], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="inside a sketch bucket"):
        sketch.confusion_matrix(3.5)
    assert sketch.confusion_matrix(100.0).tolist() == [[2, 0], [2, 0]]


def test_interval_width_shrinks_with_bins(rng):
    n = 20_000
    y = rng.random(n) < 0.3
    s = 1 / (1 + np.exp(-(rng.normal(size=n) + 1.5 * y)))
    auc = ScoreAccumulator().update(y, s).roc_auc_score()
    widths = []
    for bins in (16, 128, 1024):
        lo, hi = ScoreSketch(bins).update(y, s).roc_auc_interval()
        assert lo <= auc <= hi
        widths.append(hi - lo)
    assert widths[0] > widths[1] > widths[2]
    assert widths[2] < 0.01


def test_memory_is_bounded(rng):
    sketch = ScoreSketch(64)
    for _ in range(20):
        sketch.update(rng.random(5000) < 0.5, rng.standard_cauchy(5000))
    assert sketch.n_distinct <= 64
    assert sketch.nbytes <= 64 * 40


def test_order_keys_are_monotone_over_all_reals():
    values = np.array([-np.inf, -1e308, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1e-300, 1.0,
                       1.0000000000000002, 1e308, np.inf])
    keys = order_keys(values)
    assert np.all(np.diff(keys.astype(object)) >= 0)
    assert keys[4] == keys[5]  # -0.0 == 0.0
    assert np.all(np.diff(keys[5:].astype(object)) > 0)
    f32 = np.array([-np.inf, -3e38, -1.0, -1e-45, -0.0, 0.0, 1e-45, 1.0, 3e38, np.inf],
                   dtype=np.float32)
    np.testing.assert_array_equal(order_keys(f32), order_keys(f32.astype(np.float64)))


def test_exact_accumulator_compacts_at_budget_and_says_so(rng):
    n = 4000
    y = rng.random(n) < 0.4
    s = rng.normal(size=n) + y
    acc = ScoreAccumulator(memory_budget=20_000, max_bins=64)
    exact = ScoreAccumulator()
    with pytest.warns(CompactionWarning, match="compacted"):
        for idx in np.array_split(np.arange(n), 10):
            acc.update(y[idx], s[idx])
            exact.update(y[idx], s[idx])
    assert not acc.exact and acc.n_distinct <= 64 and acc.nbytes <= 64 * 40
    lo, hi = acc.roc_auc_interval()
    assert lo <= exact.roc_auc_score() <= hi
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        acc.update(y, s)  # already a sketch: no more warnings


def test_merging_sketches_and_exact_states(rng):
    y = rng.random(300) < 0.5
    s = rng.normal(size=300)
    exact = ScoreAccumulator().update(y[:150], s[:150])
    sketch = ScoreSketch(8).update(y[150:], s[150:])
    both = ScoreSketch(8).update(y, s)
    assert sketch.copy().merge(exact).to_bytes() == both.to_bytes()
    with pytest.warns(CompactionWarning, match="sketch"):
        exact.merge(sketch)
    assert not exact.exact
    lo, hi = exact.roc_auc_interval()
    assert lo <= ScoreAccumulator().update(y, s).roc_auc_score() <= hi


def test_smaller_max_bins_wins_on_merge(rng):
    a = ScoreSketch(16).update(rng.random(100) < 0.5, rng.normal(size=100))
    b = ScoreSketch(4).update(rng.random(100) < 0.5, rng.normal(size=100))
    assert a.merge(b).n_distinct <= 4
