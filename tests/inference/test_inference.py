"""DeLong inference: roc_auc_ci, delong_test(_unpaired), delong_covariance.

Checked against an O(n^2) placement-value oracle written here (pairwise
comparisons; ties count half; weights as frequencies), against an
independent implementation of Sun & Xu's midrank algorithm (scipy's
rankdata, unweighted) and against scikit-learn's roc_auc_score.
"""

import math
import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import roc_auc_score as sk_roc_auc

from cymetrics import (
    Interval,
    delong_covariance,
    delong_test,
    delong_test_unpaired,
    roc_auc_ci,
    roc_auc_score,
)

RTOL = 1e-12


def seed_of(*parts):
    return zlib.crc32(repr(parts).encode())


# --------------------------------------------------------------------------
# Oracles
# --------------------------------------------------------------------------
def placements_oracle(is_pos, score, w):
    """Per-sample placements by comparing every pair: O(n_pos * n_neg)."""
    is_pos = np.asarray(is_pos, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    w = np.ones(s.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    sp, sn, wp, wn = s[is_pos], s[~is_pos], w[is_pos], w[~is_pos]
    psi = (sp[:, None] > sn[None, :]) + 0.5 * (sp[:, None] == sn[None, :])
    v10 = psi @ wn / wn.sum()
    v01 = wp @ psi / wp.sum()
    return v10, v01, wp, wn


def delong_oracle(is_pos, scores_list, w=None):
    """(aucs, covariance) of DeLong et al. (1988) with frequency weights."""
    v10s, v01s = [], []
    for s in scores_list:
        v10, v01, wp, wn = placements_oracle(is_pos, s, w)
        v10s.append(v10)
        v01s.append(v01)
    v10, v01 = np.array(v10s), np.array(v01s)
    total_p, total_n = wp.sum(), wn.sum()
    auc = v10 @ wp / total_p
    d10 = v10 - auc[:, None]
    d01 = v01 - (v01 @ wn / total_n)[:, None]
    s10 = (d10 * wp) @ d10.T / (total_p - 1)
    s01 = (d01 * wn) @ d01.T / (total_n - 1)
    return auc, s10 / total_p + s01 / total_n


def sun_xu_variance(is_pos, score):
    """Sun & Xu (2014): placements from midranks (independent of the merge)."""
    is_pos = np.asarray(is_pos, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    m, n = is_pos.sum(), (~is_pos).sum()
    z = stats.rankdata(s)
    tx = stats.rankdata(s[is_pos])
    ty = stats.rankdata(s[~is_pos])
    auc = (z[is_pos].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (z[is_pos] - tx) / n
    v01 = 1.0 - (z[~is_pos] - ty) / m
    return auc, np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
TIES = ["none", "round1", "round2", "const"]
WEIGHTS = [None, "int", "int_zeros", "dyadic", "float"]


def make_case(seed, n_pos, n_neg, ties, weights, dtype=np.float64):
    rng = np.random.default_rng(seed)
    is_pos = np.zeros(n_pos + n_neg, dtype=bool)
    is_pos[:n_pos] = True
    rng.shuffle(is_pos)
    if ties == "none":
        s = rng.normal(size=is_pos.shape[0]) + is_pos
    elif ties == "const":
        s = np.full(is_pos.shape[0], 0.25)
    else:
        s = np.round(rng.random(is_pos.shape[0]) * 0.7 + 0.3 * is_pos, int(ties[-1]))
    s = s.astype(dtype)
    if weights is None:
        w = None
    elif weights == "int":
        w = rng.integers(1, 4, size=is_pos.shape[0]).astype(np.float64)
    elif weights == "int_zeros":
        w = rng.integers(0, 4, size=is_pos.shape[0]).astype(np.float64)
        # keep every class's total above 1
        w[np.flatnonzero(is_pos)[:2]] = 1.0
        w[np.flatnonzero(~is_pos)[:2]] = 1.0
    elif weights == "dyadic":
        w = rng.choice([0.5, 1.0, 1.25, 2.0, 3.0], size=is_pos.shape[0])
    else:
        w = rng.random(is_pos.shape[0]) * 2 + 0.6
    if w is not None:
        for cls in (is_pos, ~is_pos):
            if w[cls].sum() <= 1:  # DeLong needs a class total above 1
                w[np.flatnonzero(cls)[0]] += 1.0
    return is_pos.astype(np.int64), s, w


SIZES = [(2, 2), (2, 7), (3, 3), (9, 4), (40, 60), (150, 25)]


@pytest.mark.parametrize("weights", WEIGHTS, ids=str)
@pytest.mark.parametrize("ties", TIES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}pos-{s[1]}neg")
def test_roc_auc_ci_matches_placement_oracle(size, ties, weights):
    y, s, w = make_case(seed_of(size, ties, weights), *size, ties, weights)
    ci = roc_auc_ci(y, s, sample_weight=w)
    auc, cov = delong_oracle(y == 1, [s], w)
    np.testing.assert_allclose(ci.estimate, sk_roc_auc(y, s, sample_weight=w), rtol=RTOL)
    np.testing.assert_allclose(ci.estimate, auc[0], rtol=RTOL)
    np.testing.assert_allclose(ci.standard_error**2, cov[0, 0], rtol=RTOL, atol=1e-25)
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(ci.low, max(0.0, ci.estimate - z * ci.standard_error), rtol=RTOL)
    np.testing.assert_allclose(ci.high, min(1.0, ci.estimate + z * ci.standard_error), rtol=RTOL)
    assert ci.method == "delong" and ci.confidence == 0.95


@pytest.mark.parametrize("ties", TIES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}pos-{s[1]}neg")
def test_roc_auc_ci_matches_sun_xu_midranks(size, ties):
    y, s, _ = make_case(7 + size[0] * 31 + size[1], *size, ties, None)
    auc, var = sun_xu_variance(y == 1, s)
    ci = roc_auc_ci(y, s)
    np.testing.assert_allclose(ci.estimate, auc, rtol=RTOL)
    np.testing.assert_allclose(ci.standard_error**2, var, rtol=RTOL, atol=1e-25)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64], ids=lambda d: d.__name__)
def test_roc_auc_ci_score_dtypes(dtype):
    y, s, _ = make_case(3, 30, 50, "round2", None)
    s = (s * 100).astype(dtype)
    auc, cov = delong_oracle(y == 1, [s.astype(np.float64)])
    ci = roc_auc_ci(y, s)
    np.testing.assert_allclose([ci.estimate, ci.standard_error**2], [auc[0], cov[0, 0]], rtol=RTOL)


def test_weights_are_frequencies():
    y, s, _ = make_case(11, 20, 30, "round1", None)
    w = np.random.default_rng(0).integers(0, 4, size=y.shape[0])
    w[:4] = 1
    w[y == 1][:2] = 1
    weighted = roc_auc_ci(y, s, sample_weight=w)
    repeated = roc_auc_ci(np.repeat(y, w), np.repeat(s, w))
    np.testing.assert_allclose(weighted[:4], repeated[:4], rtol=RTOL)


@pytest.mark.parametrize(
    "labels, pos_label",
    [((0, 1), None), ((-1, 1), None), (("neg", "pos"), None), ((False, True), None),
     ((7, 3), 3), (("b", "a"), "a")],
    ids=["01", "pm1", "str", "bool", "pos-smaller-int", "pos-smaller-str"],
)
def test_label_kinds_and_pos_label(labels, pos_label):
    y01, s, _ = make_case(5, 25, 35, "round2", None)
    neg, pos = labels
    y = np.where(y01 == 1, pos, neg)
    if isinstance(pos, bool):
        y = y.astype(bool)
    auc, cov = delong_oracle(y01 == 1, [s])
    ci = roc_auc_ci(y, s, pos_label=pos_label)
    np.testing.assert_allclose([ci.estimate, ci.standard_error**2], [auc[0], cov[0, 0]], rtol=RTOL)
    # The other class as positive mirrors the AUC, with the same variance.
    other = roc_auc_ci(y, s, pos_label=neg)
    np.testing.assert_allclose([other.estimate, other.standard_error],
                               [1 - ci.estimate, ci.standard_error], rtol=RTOL)


def test_multiclass_with_pos_label_is_one_vs_rest():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, 90)
    s = rng.random(90) + (y == 2)
    ci = roc_auc_ci(y, s, pos_label=2)
    auc, cov = delong_oracle(y == 2, [s])
    np.testing.assert_allclose([ci.estimate, ci.standard_error**2], [auc[0], cov[0, 0]], rtol=RTOL)


@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.99, 0.999999])
def test_confidence_levels(confidence):
    y, s, _ = make_case(9, 30, 30, "none", None)
    ci = roc_auc_ci(y, s, confidence=confidence)
    z = stats.norm.ppf(0.5 + confidence / 2)
    np.testing.assert_allclose(ci.low, max(0.0, ci.estimate - z * ci.standard_error), rtol=RTOL)
    assert ci.confidence == confidence


# --------------------------------------------------------------------------
# Several models
# --------------------------------------------------------------------------
@pytest.mark.parametrize("weights", WEIGHTS, ids=str)
@pytest.mark.parametrize("ties", TIES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}pos-{s[1]}neg")
def test_covariance_and_paired_test_match_oracle(size, ties, weights):
    seed = seed_of("cov", size, ties, weights)
    y, s1, w = make_case(seed, *size, ties, weights)
    rng = np.random.default_rng(seed + 1)
    s2 = np.round(s1 + rng.normal(scale=0.5, size=s1.shape[0]), 1)
    s3 = rng.permutation(s1)
    scores = np.column_stack([s1, s2, s3])
    auc, cov = delong_oracle(y == 1, [s1, s2, s3], w)
    res = delong_covariance(y, scores, sample_weight=w)
    np.testing.assert_allclose(res.auc, auc, rtol=RTOL)
    np.testing.assert_allclose(res.covariance, cov, rtol=1e-10, atol=1e-15)
    np.testing.assert_array_equal(res.covariance, res.covariance.T)

    test = delong_test(y, s1, s2, sample_weight=w)
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    np.testing.assert_allclose([test.auc_a, test.auc_b], auc[:2], rtol=RTOL)
    np.testing.assert_allclose(test.difference, auc[0] - auc[1], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(test.standard_error**2, var, rtol=1e-9, atol=1e-15)
    if var > 1e-20:
        z = (auc[0] - auc[1]) / math.sqrt(var)
        np.testing.assert_allclose(test.statistic, z, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(test.pvalue, 2 * stats.norm.sf(abs(z)), rtol=1e-9, atol=1e-15)


def test_paired_test_of_a_model_with_itself():
    y, s, _ = make_case(1, 20, 20, "round1", None)
    res = delong_test(y, s, s)
    assert res.difference == 0 and res.standard_error == 0
    assert res.statistic == 0 and res.pvalue == 1.0
    assert res.low == 0 and res.high == 0


def test_paired_test_detects_a_better_model():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 2000)
    good = y + rng.normal(scale=0.5, size=2000)
    bad = y + rng.normal(scale=2.0, size=2000)
    res = delong_test(y, good, bad)
    assert res.difference > 0.1 and res.pvalue < 1e-10
    assert res.low < res.difference < res.high


def test_paired_test_equals_sklearn_aucs():
    y, s1, _ = make_case(8, 50, 70, "round2", None)
    s2 = np.random.default_rng(8).random(s1.shape[0])
    res = delong_test(y, s1, s2)
    np.testing.assert_allclose([res.auc_a, res.auc_b], [sk_roc_auc(y, s1), sk_roc_auc(y, s2)],
                               rtol=RTOL)


@pytest.mark.parametrize("weights", [None, "int_zeros", "float"], ids=str)
def test_unpaired_test_matches_oracle(weights):
    ya, sa, wa = make_case(21, 30, 40, "round2", weights)
    yb, sb, wb = make_case(22, 15, 60, "none", weights)
    auc_a, cov_a = delong_oracle(ya == 1, [sa], wa)
    auc_b, cov_b = delong_oracle(yb == 1, [sb], wb)
    res = delong_test_unpaired(ya, sa, yb, sb, sample_weight_a=wa, sample_weight_b=wb)
    var = cov_a[0, 0] + cov_b[0, 0]
    z = (auc_a[0] - auc_b[0]) / math.sqrt(var)
    np.testing.assert_allclose(
        [res.auc_a, res.auc_b, res.standard_error**2, res.statistic, res.pvalue],
        [auc_a[0], auc_b[0], var, z, 2 * stats.norm.sf(abs(z))], rtol=1e-10)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------
@given(
    data=st.lists(st.tuples(st.booleans(), st.integers(-5, 5), st.integers(0, 3)),
                  min_size=4, max_size=40),
)
def test_property_oracle_and_permutation_invariance(data):
    y = np.array([d[0] for d in data], dtype=np.int64)
    s = np.array([d[1] for d in data], dtype=np.float64)
    w = np.array([d[2] for d in data], dtype=np.float64)
    if w[y == 1].sum() <= 1 or w[y == 0].sum() <= 1:
        with pytest.raises(ValueError):
            roc_auc_ci(y, s, sample_weight=w)
        return
    ci = roc_auc_ci(y, s, sample_weight=w)
    auc, cov = delong_oracle(y == 1, [s], w)
    np.testing.assert_allclose([ci.estimate, ci.standard_error**2], [auc[0], cov[0, 0]],
                               rtol=1e-11, atol=1e-15)
    assert 0.0 <= ci.low <= ci.estimate <= ci.high <= 1.0
    order = np.random.default_rng(len(data)).permutation(len(data))
    permuted = roc_auc_ci(y[order], s[order], sample_weight=w[order])
    np.testing.assert_allclose(permuted[:4], ci[:4], rtol=1e-12, atol=1e-15)


def test_delong_coverage_binormal():
    """Seeded: the 95% DeLong interval covers the true binormal AUC."""
    rng = np.random.default_rng(20240601)
    mu = math.sqrt(2) * stats.norm.ppf(0.8)  # AUC = Phi(mu / sqrt(2)) = 0.8
    reps, n = 400, 100
    covered = 0
    for _ in range(reps):
        s = np.concatenate([rng.normal(mu, 1, n), rng.normal(0, 1, n)])
        y = np.repeat([1, 0], n)
        ci = roc_auc_ci(y, s)
        covered += ci.low <= 0.8 <= ci.high
    tolerance = 3 * math.sqrt(0.95 * 0.05 / reps)
    assert abs(covered / reps - 0.95) <= tolerance, covered / reps


def test_bootstrap_method():
    y, s, _ = make_case(12, 60, 80, "round2", None)
    ci = roc_auc_ci(y, s, method="bootstrap", n_resamples=300, random_state=3)
    again = roc_auc_ci(y, s, method="bootstrap", n_resamples=300, random_state=3)
    assert isinstance(ci, Interval) and ci == again
    assert ci.method == "bootstrap-percentile"
    assert ci.estimate == roc_auc_score(y, s)
    assert ci.low < ci.estimate < ci.high
    delong = roc_auc_ci(y, s)
    np.testing.assert_allclose(ci.standard_error, delong.standard_error, rtol=0.25)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "y, s",
    [([1, 1, 1], [0.1, 0.2, 0.3]), ([0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4])],
    ids=["all-positive", "all-negative"],
)
def test_one_class_raises(y, s):
    with pytest.raises(ValueError, match="Only one class"):
        roc_auc_ci(y, s)
    with pytest.raises(ValueError, match="Only one class"):
        delong_test(y, s, s)
    with pytest.raises(ValueError, match="Only one class"):
        delong_covariance(y, np.column_stack([s, s]))


@pytest.mark.parametrize(
    "y, w",
    [([0, 1, 1, 1], None), ([0, 0, 0, 1], None), ([0, 0, 1, 1], [1, 1, 1, 0]),
     ([0, 0, 1, 1], [0.5, 0.5, 1, 1])],
    ids=["one-negative", "one-positive", "one-weighted-positive", "negative-weight-1"],
)
def test_fewer_than_two_per_class_raises(y, w):
    s = [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(ValueError, match="at least two"):
        roc_auc_ci(y, s, sample_weight=w)
    with pytest.raises(ValueError, match="at least two"):
        delong_test(y, s, s[::-1], sample_weight=w)


def test_score_lengths_differ_raises():
    with pytest.raises(ValueError, match="same samples"):
        delong_test([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="inconsistent"):
        delong_test([0, 0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3])


@pytest.mark.parametrize("confidence", [0, 1, -0.1, 1.5, np.nan, "0.9", True, None], ids=repr)
def test_confidence_outside_open_unit_interval_raises(confidence):
    y, s = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(ValueError, match="confidence"):
        roc_auc_ci(y, s, confidence=confidence)
    with pytest.raises(ValueError, match="confidence"):
        delong_test(y, s, s, confidence=confidence)
    with pytest.raises(ValueError, match="confidence"):
        delong_test_unpaired(y, s, y, s, confidence=confidence)


def test_other_bad_input():
    y, s = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(ValueError, match="method"):
        roc_auc_ci(y, s, method="hanley")
    with pytest.raises(ValueError, match="NaN"):
        roc_auc_ci(y, [0.1, np.nan, 0.3, 0.4])
    with pytest.raises(ValueError, match="contains infinity or a value too large"):
        delong_test(y, s, [0.1, np.inf, 0.3, 0.4])
    with pytest.raises(ValueError, match="2-D"):
        delong_covariance(y, s)
    with pytest.raises(ValueError, match="1-D"):
        delong_test(y, np.ones((4, 2)), s)
    with pytest.raises(ValueError, match="negative"):
        roc_auc_ci(y, s, sample_weight=[1, -1, 1, 1])
    with pytest.raises(ValueError):
        roc_auc_ci(y, ["a", "b", "c", "d"])

