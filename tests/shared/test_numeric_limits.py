"""Numeric limits, exact or refused (docs/numeric-limits.md).

* Integer weights are counted exactly in int64: every confusion function is
  exact up to a total weight of 2**63 - 1 and refuses 2**63 or more (also a
  uint64 weight, or an integer confusion matrix given to ``from_confusion``).
  The boundaries are built with a few samples and large weights.
* The unweighted AUC numerator is an int64 below ``EXACT_PAIRS`` class pairs
  and float64 above: both paths agree.
* Float32 scores do not limit the counts: weights beyond 2**24 stay exact.
* Functions whose result does not depend on the scale of the weights give the
  same result for weights times 2**-1000, 2**1000 and for subnormal weights.
"""

from __future__ import annotations

import importlib
import inspect
from decimal import Decimal, getcontext

import numpy as np
import pytest
import test_common as tc

import cymetrics
from cymetrics._classification._registry import METRICS
from cymetrics._ranking import _sorted
from support import Outcome, assert_same_value

# ---------------------------------------------------------------------------
# Integer weights: exact below 2**63, refused from 2**63
# ---------------------------------------------------------------------------
Y_TRUE = np.array([0, 1, 1, 0, 1, 0])
Y_PRED = np.array([0, 1, 0, 1, 1, 0])
PAIR_FUNCTIONS = sorted(
    name for name, metric in METRICS.items()
    if "sample_weight" in inspect.signature(metric.function).parameters
)

# name -> integer weights of Y_TRUE/Y_PRED's six samples; each total below 2**63.
EXACT_BOUNDARIES = {
    "2**31": [2**31, 2**31 + 1, 2**31, 1, 2**31 - 1, 7],
    "2**53": [2**53, 1, 2**53 + 1, 3, 2**52, 5],
    # max(w) * n >= 2**63: the exact sum decides (total 2**63 - 1).
    "2**62": [2**62, 1, 2**62 - 8, 2, 3, 1],
}
REFUSED_BOUNDARIES = {
    "sum-2**63": [2**62, 1, 2**62 - 6, 2, 3, 0],
    "sum-2**64": [2**62] * 4 + [0, 0],
    "uint64-2**63": np.array([2**63, 0, 0, 0, 0, 1], dtype=np.uint64),
}


def _twin(name):
    spec = tc.TABLE.get(name)
    if spec is None or spec.twin is None:
        return None
    return getattr(importlib.import_module(spec.twin), name, None)


def _pair_params(name):
    """The keyword arguments test_common gives ``name`` for binary labels."""
    spec = tc.TABLE.get(name)
    cases = [c for c in spec.cases if c.kind == "binary_labels"] if spec else []
    return dict(cases[0].params) if cases else {}


@pytest.mark.parametrize("boundary", list(EXACT_BOUNDARIES))
@pytest.mark.parametrize("name", PAIR_FUNCTIONS)
def test_integer_weights_below_2_63_are_counted_exactly(name, boundary):
    """Same outcome as with the weights in float64 (no wrap, no warning).

    Not scikit-learn: it multiplies int64 counts in class_likelihood_ratios,
    which wraps from 2**31 here (a negative likelihood ratio).
    """
    w = np.array(EXACT_BOUNDARIES[boundary], dtype=np.int64)
    assert sum(map(int, w)) < 2**63
    f = getattr(cymetrics, name)
    got = Outcome(f, Y_TRUE, Y_PRED, sample_weight=w, **_pair_params(name))
    expected = Outcome(f, Y_TRUE, Y_PRED, sample_weight=w.astype(np.float64),
                       **_pair_params(name))
    assert not got.raised and got.warning_names == expected.warning_names, (got, expected)
    if isinstance(got.result, str):  # the report prints integer supports as integers
        return
    assert_same_value(_as_float(expected.result), _as_float(got.result), exact=False, ctx=name)


def _as_float(value):
    """Integer count arrays as float64, recursively (int64 and float64 weights
    give counts of different dtypes)."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float64)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_as_float(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_float(v) for k, v in value.items()}
    return float(value) if isinstance(value, (int, np.integer)) else value


@pytest.mark.parametrize("boundary", list(EXACT_BOUNDARIES))
def test_confusion_matrix_holds_the_exact_sums(boundary):
    w = EXACT_BOUNDARIES[boundary]
    expected = np.zeros((2, 2), dtype=object)
    for t, p, wi in zip(Y_TRUE, Y_PRED, w):
        expected[t, p] += int(wi)  # Python ints: exact
    got = cymetrics.confusion_matrix(Y_TRUE, Y_PRED, sample_weight=np.array(w))
    assert got.dtype == np.int64
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("boundary", list(REFUSED_BOUNDARIES))
@pytest.mark.parametrize("name", PAIR_FUNCTIONS)
def test_integer_weights_from_2_63_are_refused(name, boundary):
    w = REFUSED_BOUNDARIES[boundary]
    with pytest.raises(ValueError, match=r"Integer overflow in sample_weight.*2\*\*63"):
        getattr(cymetrics, name)(Y_TRUE, Y_PRED, sample_weight=w, **_pair_params(name))


@pytest.mark.parametrize("matrix, refused", [
    ([[2**62, 2**62 - 1], [0, 0]], False),
    ([[2**62, 2**62], [0, 0]], True),
    (np.array([[2**63, 0], [0, 1]], dtype=np.uint64), True),
    ([[[2**62, 2**62 - 1], [0, 0]], [[2**62, 2**62], [0, 0]]], True),
], ids=["sum-2**63-1", "sum-2**63", "uint64-2**63", "multilabel-sum-2**63"])
def test_from_confusion_refuses_integer_matrices_from_2_63(matrix, refused):
    call = Outcome(cymetrics.from_confusion, matrix, "accuracy_score")
    if refused:
        assert isinstance(call.exc, ValueError) and "Integer overflow" in str(call.exc), call
    else:
        assert call.result == pytest.approx(2**62 / (2**63 - 1), rel=1e-15), call
        assert not call.warnings, call


def test_float_weights_beyond_2_63_are_summed_in_float64():
    """The way out the refusal names: float weights count in float64 (rounded)."""
    w = np.array(REFUSED_BOUNDARIES["sum-2**64"], dtype=np.float64)
    cm = cymetrics.confusion_matrix(Y_TRUE, Y_PRED, sample_weight=w)
    assert cm.dtype == np.float64 and cm.sum() == 2.0**64


# ---------------------------------------------------------------------------
# The unweighted AUC: int64 numerator below EXACT_PAIRS, float64 above
# ---------------------------------------------------------------------------
def test_exact_pairs_keeps_the_int64_numerator_in_range():
    # The kernel computes 2 * n_pos * n_neg - pairs_lt - pairs_le in int64.
    assert 2 * _sorted.EXACT_PAIRS <= 2**62


@pytest.mark.parametrize("name", ["roc_auc_score", "average_precision_score", "roc_curve",
                                  "precision_recall_curve", "det_curve"])
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_auc_beyond_exact_pairs_switches_to_float64_with_the_same_result(name, ties,
                                                                         monkeypatch):
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 501)
    s = rng.random(501)
    s = np.round(s, 1) if ties else s
    exact = Outcome(getattr(cymetrics, name), y, s)
    monkeypatch.setattr(_sorted, "EXACT_PAIRS", 1)  # every class pair count "overflows"
    wide = Outcome(getattr(cymetrics, name), y, s)
    assert_same_value(exact.result, wide.result, exact=True, ctx=name)


# ---------------------------------------------------------------------------
# float32 scores: counts beyond 2**24 stay exact
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["roc_curve", "precision_recall_curve",
                                  "confusion_matrix_at_thresholds", "det_curve"])
def test_float32_scores_with_counts_beyond_2_24(name):
    y = np.array([0, 1, 1, 0, 1])
    s = np.array([0.1, 0.9, 0.4, 0.35, 0.8], dtype=np.float32)
    w = np.array([2**24, 1, 2**24 + 1, 3, 5])
    got = getattr(cymetrics, name)(y, s, sample_weight=w)
    expected = getattr(_twin_module(name), name)(y, s, sample_weight=w)
    assert_same_value(tuple(expected), tuple(got), exact=False, ctx=name)
    if name == "confusion_matrix_at_thresholds":
        tns, fps, fns, tps, _ = got
        assert tps[-1] == 2**24 + 1 + 1 + 5 and fps[-1] == 2**24 + 3  # beyond float32


def _twin_module(name):
    return importlib.import_module(tc.TABLE[name].twin)


# ---------------------------------------------------------------------------
# Extreme float weights: scale-free results stay the same
# ---------------------------------------------------------------------------
# Results in weight units, or weights read as frequencies (interval widths
# depend on the number of samples they stand for): not scale-free.
SCALE_DEPENDENT = {
    "binary_rates", "classification_report", "confusion_matrix",
    "confusion_matrix_at_thresholds", "delong_covariance", "delong_test",
    "delong_test_unpaired", "f1_ci", "metrics_at_thresholds", "multilabel_confusion_matrix",
    "precision_recall_fscore_support", "rate_ci", "roc_auc_ci",
}
# Subnormal weights: each product with a non-integral per-sample value loses
# precision, as in scikit-learn, where the weights are not rescaled.
SUBNORMAL_AS_SKLEARN = {("hamming_loss", "multilabel_labels")}


def _scale_free_cases():
    for name in tc._public_functions():
        if name in SCALE_DEPENDENT or name not in tc.TABLE or not tc._takes_weights(name):
            continue
        for i, case in enumerate(tc.TABLE[name].cases):
            if not case.refused:
                yield pytest.param(name, case, id=f"{name}-{i}-{case.kind}")


def _call_weighted(name, case, make_weights):
    spec, kind = tc.TABLE[name], tc.KINDS[case.kind]
    arrays = kind.build(np.random.default_rng(1))
    weights = {w: make_weights(len(arrays[idx[0]])) for idx, w in kind.groups}
    return Outcome(getattr(cymetrics, name), *spec.lead, *arrays, *spec.tail,
                   **case.params, **weights)


@pytest.mark.parametrize("scale", [-1000, 1000], ids=lambda k: f"2**{k}")
@pytest.mark.parametrize("name, case", list(_scale_free_cases()))
def test_scale_free_results_for_extreme_weights(name, case, scale):
    def weights(n):
        return np.random.default_rng(2).random(n) + 0.01

    base = _call_weighted(name, case, weights)
    scaled = _call_weighted(name, case, lambda n: np.ldexp(weights(n), scale))  # exact
    assert not base.raised and not scaled.raised, (base, scaled)
    assert scaled.warning_names == base.warning_names, (base, scaled)
    assert_same_value(base.result, scaled.result, exact=False, ctx=name)


@pytest.mark.parametrize("name, case", list(_scale_free_cases()))
def test_scale_free_results_for_subnormal_weights(name, case):
    def counts(n):
        return np.random.default_rng(2).integers(1, 5, n).astype(np.float64)

    base = _call_weighted(name, case, counts)
    tiny = _call_weighted(name, case, lambda n: counts(n) * 2.0**-1074)  # exact subnormals
    assert not base.raised and not tiny.raised, (base, tiny)
    if (name, case.kind) in SUBNORMAL_AS_SKLEARN:
        twin = _twin(name)
        arrays = tc.KINDS[case.kind].build(np.random.default_rng(1))
        expected = twin(*arrays, sample_weight=counts(len(arrays[0])) * 2.0**-1074)
        assert_same_value(expected, tiny.result, exact=False, ctx=name)
        return
    assert_same_value(base.result, tiny.result, exact=False, ctx=name)


# ---------------------------------------------------------------------------
# Products of large integer counts: exact, then rounded once
# ---------------------------------------------------------------------------
# A state the ConfusionAccumulator fuzz harness loaded: in float64 the MCC's
# squares cancel (scikit-learn's arithmetic gives -1.0014 here).
HUGE_COUNTS = [[15, 6, 648518346341351424], [0, 12, 7], [16128, 0, 0]]


def _exact_mcc(m, cls=None):
    getcontext().prec = 60
    k, n = len(m), sum(map(sum, m))
    if cls is None:  # Gorodkin's multiclass R_K
        t = [sum(row) for row in m]
        p = [sum(m[i][j] for i in range(k)) for j in range(k)]
        c = sum(m[i][i] for i in range(k))
        num = c * n - sum(a * b for a, b in zip(t, p))
        den = (n * n - sum(b * b for b in p)) * (n * n - sum(a * a for a in t))
    else:  # one-vs-rest binary MCC of class ``cls``
        tp = m[cls][cls]
        fp, fn = sum(m[i][cls] for i in range(k)) - tp, sum(m[cls]) - tp
        tn = n - tp - fp - fn
        num, den = tp * tn - fp * fn, (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
    return float(Decimal(num) / Decimal(den).sqrt())


@pytest.mark.parametrize("name, cls", [("matthews_corrcoef", None), ("mcc_score", 0),
                                       ("mcc_score", 1), ("mcc_score", 2)])
def test_mcc_of_huge_integer_counts_is_exact(name, cls):
    params = {} if cls is None else {"average": None}
    got = cymetrics.from_confusion(np.array(HUGE_COUNTS), name, **params)
    got = got if cls is None else got[cls]
    assert -1.0 <= got <= 1.0
    assert got == pytest.approx(_exact_mcc(HUGE_COUNTS, cls), rel=1e-15)
