"""Proportion, rate and F1 intervals (the special functions they use are
checked in tests/shared/test_special.py)."""

import math
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from cymetrics import (
    Interval,
    UndefinedMetricWarning,
    f1_ci,
    f1_score,
    proportion_ci,
    rate_ci,
)
from cymetrics._inference._intervals import _binary_f1_variance, _macro_f1_variance

# --------------------------------------------------------------------------
# proportion_ci
# --------------------------------------------------------------------------
COUNTS = [(0, 1), (1, 1), (0, 20), (1, 29), (15, 148), (81, 263), (45, 50), (50, 50),
          (7, 7), (3, 1000), (499, 1000), (12345, 100000), (99999, 100000)]


def clopper_pearson_reference(k, n, confidence):
    """Beta quantiles (scipy.stats.binomtest's 'exact' root-finds these to ~1e-12 only)."""
    alpha = 1 - confidence
    low = stats.beta.ppf(alpha / 2, k, n - k + 1) if k > 0 else 0.0
    high = stats.beta.ppf(1 - alpha / 2, k + 1, n - k) if k < n else 1.0
    return low, high


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.999])
@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
@pytest.mark.parametrize("k, n", COUNTS, ids=[f"{k}of{n}" for k, n in COUNTS])
def test_proportion_ci_matches_scipy(k, n, method, confidence):
    ci = proportion_ci(k, n, confidence=confidence, method=method)
    if method == "wilson":
        ref = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
        expected = (ref.low, ref.high)
    else:
        expected = clopper_pearson_reference(k, n, confidence)
        ref = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
        np.testing.assert_allclose([ci.low, ci.high], [ref.low, ref.high], rtol=1e-9)
    np.testing.assert_allclose([ci.low, ci.high], expected, rtol=1e-12, atol=1e-15)
    assert ci.estimate == k / n
    np.testing.assert_allclose(ci.standard_error, math.sqrt(k / n * (1 - k / n) / n), rtol=1e-15)
    assert ci.method == method and ci.confidence == confidence


def test_proportion_ci_vectorized_and_zero_trials():
    k = np.array([[0, 3], [5, 0]])
    n = np.array([[10, 3], [9, 0]])
    ci = proportion_ci(k, n, method="clopper-pearson")
    assert ci.low.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            if n[i, j] == 0:
                assert math.isnan(ci.low[i, j]) and math.isnan(ci.estimate[i, j])
                continue
            one = proportion_ci(int(k[i, j]), int(n[i, j]), method="clopper-pearson")
            assert (ci.low[i, j], ci.high[i, j]) == (one.low, one.high)


@given(k=st.integers(0, 500), extra=st.integers(0, 500),
       confidence=st.floats(0.5, 0.999),
       method=st.sampled_from(["wilson", "clopper-pearson"]))
def test_proportion_ci_properties(k, extra, confidence, method):
    n = k + extra
    if n == 0:
        return
    ci = proportion_ci(k, n, confidence=confidence, method=method)
    assert 0.0 <= ci.low <= ci.estimate <= ci.high <= 1.0
    assert (ci.low == 0.0) == (k == 0) or method == "wilson"
    wider = proportion_ci(k, n, confidence=min(0.9999, confidence + 0.0001), method=method)
    assert wider.low <= ci.low and wider.high >= ci.high
    mirrored = proportion_ci(n - k, n, confidence=confidence, method=method)
    np.testing.assert_allclose([mirrored.low, mirrored.high], [1 - ci.high, 1 - ci.low],
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("successes, trials", [(-1, 3), (4, 3), (np.nan, 3), (1, np.inf)])
def test_proportion_ci_bad_counts(successes, trials):
    with pytest.raises(ValueError):
        proportion_ci(successes, trials)


@pytest.mark.parametrize("kwargs", [{"confidence": 1.0}, {"confidence": 0}, {"method": "wald"}],
                         ids=str)
def test_proportion_ci_bad_params(kwargs):
    with pytest.raises(ValueError):
        proportion_ci(3, 10, **kwargs)


# --------------------------------------------------------------------------
# rate_ci
# --------------------------------------------------------------------------
def binary_data(seed, n=300, weights=False, labels=(0, 1)):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.where(rng.random(n) < 0.8, y, 1 - y)
    w = rng.integers(0, 4, n) if weights else None
    return np.where(y == 1, labels[1], labels[0]), np.where(p == 1, labels[1], labels[0]), w


RATES = {
    "accuracy": (lambda c: c["tp"] + c["tn"], lambda c: sum(c.values()), skm.accuracy_score),
    "precision": (lambda c: c["tp"], lambda c: c["tp"] + c["fp"], skm.precision_score),
    "recall": (lambda c: c["tp"], lambda c: c["tp"] + c["fn"], skm.recall_score),
    "specificity": (lambda c: c["tn"], lambda c: c["tn"] + c["fp"], None),
    "npv": (lambda c: c["tn"], lambda c: c["tn"] + c["fn"], None),
    "fpr": (lambda c: c["fp"], lambda c: c["fp"] + c["tn"], None),
    "fnr": (lambda c: c["fn"], lambda c: c["fn"] + c["tp"], None),
}


@pytest.mark.parametrize("weights", [False, True])
@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
@pytest.mark.parametrize("rate", list(RATES))
def test_rate_ci(rate, method, weights):
    y, p, w = binary_data(len(rate) * 31 + weights, weights=weights)
    ww = np.ones(len(y)) if w is None else w
    counts = {"tp": ww[(y == 1) & (p == 1)].sum(), "fp": ww[(y == 0) & (p == 1)].sum(),
              "fn": ww[(y == 1) & (p == 0)].sum(), "tn": ww[(y == 0) & (p == 0)].sum()}
    num, den, sk = RATES[rate]
    ci = rate_ci(y, p, rate, method=method, sample_weight=w)
    ref = proportion_ci(num(counts), den(counts), method=method)
    assert ci == ref
    if sk is not None:
        np.testing.assert_allclose(ci.estimate, sk(y, p, sample_weight=w), rtol=1e-12)


def test_rate_ci_weights_are_frequencies():
    y, p, w = binary_data(4, weights=True)
    for rate in RATES:
        a = rate_ci(y, p, rate, method="clopper-pearson", sample_weight=w)
        b = rate_ci(np.repeat(y, w), np.repeat(p, w), rate, method="clopper-pearson")
        np.testing.assert_allclose(a[:4], b[:4], rtol=1e-12)


def test_rate_ci_pos_label_and_per_label():
    y, p, _ = binary_data(5, labels=("cat", "dog"))
    dog = rate_ci(y, p, "recall", pos_label="dog")
    cat = rate_ci(y, p, "specificity", pos_label="dog")
    per_label = rate_ci(y, p, "recall", average=None)
    np.testing.assert_array_equal(per_label.estimate, [cat.estimate, dog.estimate])
    np.testing.assert_array_equal(per_label.low, [cat.low, dog.low])
    np.testing.assert_allclose(dog.estimate, skm.recall_score(y, p, pos_label="dog"))


def test_rate_ci_multiclass_accuracy_and_per_class():
    rng = np.random.default_rng(6)
    y = rng.integers(0, 4, 500)
    p = np.where(rng.random(500) < 0.6, y, rng.integers(0, 4, 500))
    acc = rate_ci(y, p, "accuracy")
    assert acc.estimate == skm.accuracy_score(y, p)
    precision = rate_ci(y, p, "precision", average=None)
    np.testing.assert_allclose(precision.estimate, skm.precision_score(y, p, average=None))
    with pytest.raises(ValueError, match="average"):
        rate_ci(y, p, "precision")


def test_rate_ci_undefined_is_nan_with_warning():
    with pytest.warns(UndefinedMetricWarning):
        ci = rate_ci([0, 0, 0], [0, 0, 0], "precision")
    assert math.isnan(ci.estimate) and math.isnan(ci.low) and math.isnan(ci.high)


@pytest.mark.parametrize("kwargs", [{"rate": "f1"}, {"method": "exact"}, {"confidence": 2},
                                    {"average": "macro"}], ids=str)
def test_rate_ci_bad_params(kwargs):
    with pytest.raises(ValueError):
        rate_ci([0, 1, 1], [0, 1, 0], **kwargs)


# --------------------------------------------------------------------------
# f1_ci
# --------------------------------------------------------------------------
def multinomial_delta_variance(matrix, f, eps=1e-6):
    """Delta method by central differences of ``f`` over the cell probabilities."""
    n = matrix.sum()
    p = matrix.ravel() / n
    grad = np.empty_like(p)
    for i in range(p.shape[0]):
        up, down = p.copy(), p.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up.reshape(matrix.shape)) - f(down.reshape(matrix.shape))) / (2 * eps)
    return (np.sum(p * grad**2) - np.sum(p * grad) ** 2) / n


def macro_f1_of(p):
    d = p.sum(axis=0) + p.sum(axis=1)
    return np.mean(2 * np.diag(p) / d)


def test_macro_f1_delta_variance_matches_numerical_gradient():
    rng = np.random.default_rng(7)
    for k in (2, 3, 5):
        m = rng.integers(1, 60, (k, k)).astype(float) + np.diag(rng.integers(20, 90, k))
        np.testing.assert_allclose(_macro_f1_variance(m, m.sum()),
                                   multinomial_delta_variance(m, macro_f1_of), rtol=1e-6)


def test_binary_f1_delta_variance_matches_numerical_gradient():
    for tn, fp, fn, tp in [(50, 10, 5, 35), (3, 1, 1, 2), (500, 40, 80, 100)]:
        m = np.array([[tn, fp], [fn, tp]], dtype=float)
        f = lambda p: 2 * p[1, 1] / (2 * p[1, 1] + p[0, 1] + p[1, 0])  # noqa: E731
        np.testing.assert_allclose(_binary_f1_variance(tp, fp, fn),
                                   multinomial_delta_variance(m, f), rtol=1e-6)


@pytest.mark.parametrize("weights", [False, True])
@pytest.mark.parametrize("average", ["binary", "micro", "macro"])
def test_f1_ci_estimate_equals_f1_score(average, weights):
    y, p, w = binary_data(8, weights=weights)
    ci = f1_ci(y, p, average=average, sample_weight=w)
    assert ci.estimate == f1_score(y, p, average=average, sample_weight=w)
    np.testing.assert_allclose(ci.estimate, skm.f1_score(y, p, average=average, sample_weight=w),
                               rtol=1e-12)
    assert ci.low < ci.estimate < ci.high


def test_f1_ci_delta_interval_and_frequency_weights():
    y, p, w = binary_data(9, weights=True)
    ci = f1_ci(y, p, sample_weight=w)
    tp = w[(y == 1) & (p == 1)].sum()
    fp = w[(y == 0) & (p == 1)].sum()
    fn = w[(y == 1) & (p == 0)].sum()
    se = math.sqrt(4 * tp * (fp + fn) * (tp + fp + fn) / (2 * tp + fp + fn) ** 4)
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose([ci.standard_error, ci.low, ci.high],
                               [se, ci.estimate - z * se, ci.estimate + z * se], rtol=1e-12)
    repeated = f1_ci(np.repeat(y, w), np.repeat(p, w))
    np.testing.assert_allclose(ci[:4], repeated[:4], rtol=1e-12)


@pytest.mark.parametrize("method", ["wilson", "clopper-pearson"])
def test_f1_ci_proportion_methods(method):
    y, p, _ = binary_data(10, n=80)
    tp = np.sum((y == 1) & (p == 1))
    wrong = np.sum(y != p)
    j = proportion_ci(tp, tp + wrong, method=method)
    ci = f1_ci(y, p, method=method)
    np.testing.assert_allclose([ci.low, ci.high],
                               [2 * j.low / (1 + j.low), 2 * j.high / (1 + j.high)], rtol=1e-14)
    micro = f1_ci(y, p, method=method, average="micro")
    assert micro[:3] == rate_ci(y, p, "accuracy", method=method)[:3]


def test_f1_ci_multiclass_macro():
    rng = np.random.default_rng(11)
    y = rng.integers(0, 3, 400)
    p = np.where(rng.random(400) < 0.7, y, rng.integers(0, 3, 400))
    ci = f1_ci(y, p, average="macro")
    np.testing.assert_allclose(ci.estimate, skm.f1_score(y, p, average="macro"), rtol=1e-12)
    m = skm.confusion_matrix(y, p).astype(float)
    np.testing.assert_allclose(ci.standard_error**2,
                               multinomial_delta_variance(m, macro_f1_of), rtol=1e-6)


@pytest.mark.parametrize("average", ["binary", "macro"])
def test_f1_ci_coverage(average):
    """Seeded multinomial simulation: the delta interval covers the true F1."""
    rng = np.random.default_rng(99)
    p = np.array([[0.5, 0.1], [0.08, 0.32]])
    binary = 2 * p[1, 1] / (2 * p[1, 1] + p[0, 1] + p[1, 0])
    truth = macro_f1_of(p) if average == "macro" else binary
    reps, n = 300, 400
    covered = 0
    cells = np.array([(0, 0), (0, 1), (1, 0), (1, 1)])
    for _ in range(reps):
        counts = rng.multinomial(n, p.ravel())
        y = np.repeat(cells[:, 0], counts)
        yp = np.repeat(cells[:, 1], counts)
        ci = f1_ci(y, yp, average=average)
        covered += ci.low <= truth <= ci.high
    assert abs(covered / reps - 0.95) <= 3 * math.sqrt(0.95 * 0.05 / reps), covered / reps


def test_f1_ci_undefined_and_bad_input():
    with pytest.warns(UndefinedMetricWarning):
        ci = f1_ci([0, 0, 0], [0, 0, 0])
    assert ci.estimate == 0.0 and math.isnan(ci.low)
    with pytest.raises(ValueError, match="macro"):
        f1_ci([0, 1, 1], [0, 1, 0], average="macro", method="wilson")
    with pytest.raises(ValueError):
        f1_ci([0, 1, 1], [0, 1, 0], average="weighted")
    with pytest.raises(ValueError):
        f1_ci([0, 1, 2], [0, 1, 0])  # multiclass with average='binary'
    with pytest.raises(ValueError, match="confidence"):
        f1_ci([0, 1, 1], [0, 1, 0], confidence=1.0)


def test_interval_is_a_named_tuple():
    ci = proportion_ci(3, 10)
    assert isinstance(ci, Interval) and ci._fields == (
        "estimate", "low", "high", "standard_error", "confidence", "method")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        proportion_ci(0, 5)
