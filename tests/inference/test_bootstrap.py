"""bootstrap_ci against a reference written from its specification: the
resamples are redrawn here (SeedSequence.spawn, one PCG64 per chunk of 32
resamples, ``integers(0, size, size)`` per stratum), the rows copied and scikit-learn's
metric evaluated on the copies; BCa is recomputed from the textbook formula
with a brute-force jackknife."""

import math
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from scipy import stats

import cymetrics
from cymetrics import BootstrapInterval, UndefinedMetricWarning, bootstrap_ci, roc_auc_ci

RTOL = 1e-12


# --------------------------------------------------------------------------
# Reference
# --------------------------------------------------------------------------
CHUNK = 32  # resamples per spawned generator


def reference_rows(seed, n_resamples, first, stratified):
    """The row indices of every resample, per the documented scheme."""
    n = first.shape[0]
    if stratified:
        _, inverse = np.unique(first, return_inverse=True)
        strata = [np.flatnonzero(inverse == k) for k in range(inverse.max() + 1)]
    else:
        strata = [np.arange(n)]
    children = np.random.SeedSequence(seed).spawn(-(-n_resamples // CHUNK))
    for b in range(n_resamples):
        if b % CHUNK == 0:
            g = np.random.Generator(np.random.PCG64(children[b // CHUNK]))
        yield np.concatenate([m[g.integers(0, m.shape[0], size=m.shape[0])] for m in strata])


def reference_distribution(metric, arrays, w, seed, n_resamples, stratified, params):
    values = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rows in reference_rows(seed, n_resamples, arrays[0], stratified):
            kw = dict(params)
            if w is not None:
                kw["sample_weight"] = w[rows]
            values.append(metric(*[a[rows] for a in arrays], **kw))
    return np.array(values, dtype=np.float64)


def reference_bca(metric, arrays, w, params, estimate, dist, confidence):
    """Efron's BCa with a brute-force jackknife (scikit-learn on deletions)."""
    n = arrays[0].shape[0]
    jack = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(n):
            kw = dict(params)
            if w is not None:
                kw["sample_weight"] = np.delete(w, i)
            jack.append(metric(*[np.delete(a, i) for a in arrays], **kw))
    jack = np.array(jack)
    jack = jack[np.isfinite(jack)]
    d = jack.mean() - jack
    a = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
    dist = dist[np.isfinite(dist)]
    # Ties within 1e-12 (relative) are not below, as documented.
    z0 = stats.norm.ppf(np.mean(dist < estimate - 1e-12 * max(1, abs(estimate))))
    alpha = 1 - confidence
    out = []
    for q in (alpha / 2, 1 - alpha / 2):
        zq = stats.norm.ppf(q)
        out.append(np.percentile(dist, 100 * stats.norm.cdf(z0 + (z0 + zq) / (1 - a * (z0 + zq)))))
    return out


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
def binary_scores(seed, n, ties=False, weights=False):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.35).astype(np.int64)
    y[:2] = [0, 1]
    s = y + rng.normal(size=n)
    if ties:
        s = np.round(s, 1)
    w = rng.choice([0.0, 0.5, 1.0, 2.0, 3.0], size=n) if weights else None
    return y, s, w


def labels_pair(seed, n, k=2, weights=False, strings=False):
    rng = np.random.default_rng(seed)
    y = rng.choice(k, size=n, p=np.r_[0.6, np.full(k - 1, 0.4 / (k - 1))])
    p = np.where(rng.random(n) < 0.75, y, rng.integers(0, k, n))
    w = rng.integers(0, 4, n).astype(float) if weights else None
    if strings:
        names = np.array([f"c{i}" for i in range(k)])
        y, p = names[y], names[p]
    return y, p, w


CASES = {
    # id: (metric name, data builder, params)
    "auc": ("roc_auc_score", lambda: binary_scores(1, 60), {}),
    "auc-ties-weighted": ("roc_auc_score", lambda: binary_scores(2, 80, True, True), {}),
    "auc-f32": ("roc_auc_score",
                lambda: (lambda y, s, w: (y, s.astype(np.float32), w))(*binary_scores(3, 50)), {}),
    "ap": ("average_precision_score", lambda: binary_scores(4, 60, True), {}),
    "ap-weighted-pos0": ("average_precision_score", lambda: binary_scores(5, 70, True, True),
                         {"pos_label": 0}),
    "f1": ("f1_score", lambda: labels_pair(6, 60), {}),
    "f1-weighted": ("f1_score", lambda: labels_pair(7, 60, weights=True), {}),
    "f1-macro-3": ("f1_score", lambda: labels_pair(8, 40, k=3), {"average": "macro"}),
    "f1-str": ("f1_score", lambda: labels_pair(9, 50, strings=True), {"pos_label": "c0"}),
    "precision-zd": ("precision_score", lambda: labels_pair(10, 12), {"zero_division": 0.0}),
    "accuracy": ("accuracy_score", lambda: labels_pair(11, 50, k=4), {}),
    "mcc": ("matthews_corrcoef", lambda: labels_pair(12, 50, weights=True), {}),
    "kappa": ("cohen_kappa_score", lambda: labels_pair(13, 50), {}),
    "balanced": ("balanced_accuracy_score", lambda: labels_pair(14, 50, k=3), {}),
    "recall-micro": ("recall_score", lambda: labels_pair(15, 50, k=3), {"average": "micro"}),
    "brier (generic)": ("brier_score_loss",
                        lambda: (lambda y, s, w: (y, 1 / (1 + np.exp(-s)), w))(
                            *binary_scores(16, 40, weights=True)), {}),
}


@pytest.mark.parametrize("stratified", [True, False], ids=["stratified", "plain"])
@pytest.mark.parametrize("case", list(CASES))
def test_distribution_matches_reference(case, stratified):
    name, build, params = CASES[case]
    y, x, w = build()
    seed = 1234
    ours = bootstrap_ci(getattr(cymetrics, name), y, x, n_resamples=40, random_state=seed,
                        stratified=stratified, sample_weight=w, metric_params=params)
    ref = reference_distribution(getattr(skm, name), (y, x), w, seed, 40, stratified, params)
    np.testing.assert_allclose(ours.distribution, ref, rtol=RTOL, atol=1e-14, equal_nan=True)
    kw = dict(params) if w is None else dict(params, sample_weight=w)
    assert ours.estimate == getattr(cymetrics, name)(y, x, **kw)
    finite = ref[np.isfinite(ref)]
    np.testing.assert_allclose([ours.low, ours.high], np.percentile(finite, [2.5, 97.5]),
                               rtol=RTOL)
    np.testing.assert_allclose(ours.standard_error, np.std(finite, ddof=1), rtol=1e-10)


BCA_CASES = ["auc", "auc-ties-weighted", "ap", "ap-weighted-pos0", "f1", "f1-weighted",
             "f1-macro-3", "mcc", "brier (generic)"]


@pytest.mark.parametrize("case", BCA_CASES)
def test_bca_matches_reference(case):
    name, build, params = CASES[case]
    y, x, w = build()
    ours = bootstrap_ci(getattr(cymetrics, name), y, x, n_resamples=200, random_state=7,
                        method="bca", sample_weight=w, metric_params=params, confidence=0.9)
    # The distribution itself is checked by test_distribution_matches_reference.
    expected = reference_bca(getattr(skm, name), (y, x), w, params, ours.estimate,
                             ours.distribution, 0.9)
    np.testing.assert_allclose([ours.low, ours.high], expected, rtol=1e-10)
    assert ours.method == "bca"


def test_fast_paths_equal_the_generic_path():
    """Wrapping a metric in a lambda forces the generic path: same numbers."""
    for name, build, params in CASES.values():
        y, x, w = build()
        metric = getattr(cymetrics, name)
        for method in ("percentile", "bca"):
            fast = bootstrap_ci(metric, y, x, n_resamples=30, random_state=3, method=method,
                                sample_weight=w, metric_params=params)
            slow = bootstrap_ci(lambda *a, metric=metric, **k: metric(*a, **k), y, x,
                                n_resamples=30,
                                random_state=3, method=method, sample_weight=w,
                                metric_params=params)
            np.testing.assert_allclose(fast.distribution, slow.distribution, rtol=RTOL,
                                       atol=1e-14, equal_nan=True)
            np.testing.assert_allclose(fast[:4], slow[:4], rtol=1e-11, equal_nan=True)


# --------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------
def test_coverage_of_the_binormal_auc():
    """Seeded: 200 samples of n=200 from a binormal model with AUC 0.75; the
    95% percentile interval (200 stratified resamples) covers 0.75 within a
    binomial tolerance of 95% of the time."""
    rng = np.random.default_rng(2024)
    mu = math.sqrt(2) * stats.norm.ppf(0.75)
    reps, n_each = 200, 100
    y = np.repeat([1, 0], n_each)
    covered = 0
    for r in range(reps):
        s = np.concatenate([rng.normal(mu, 1, n_each), rng.normal(0, 1, n_each)])
        ci = bootstrap_ci(cymetrics.roc_auc_score, y, s, n_resamples=200, random_state=r,
                          n_jobs=1)
        covered += ci.low <= 0.75 <= ci.high
    tolerance = 3 * math.sqrt(0.95 * 0.05 / reps)
    assert abs(covered / reps - 0.95) <= tolerance, covered / reps


# --------------------------------------------------------------------------
# Reproducibility and threads
# --------------------------------------------------------------------------
def test_reproducible_and_independent_of_threads():
    y, s, w = binary_scores(20, 300, ties=True, weights=True)
    p = (s > 0.5).astype(int)
    for metric, x in ((cymetrics.roc_auc_score, s), (cymetrics.f1_score, p)):
        a = bootstrap_ci(metric, y, x, n_resamples=200, random_state=5, n_jobs=1,
                         sample_weight=w)
        b = bootstrap_ci(metric, y, x, n_resamples=200, random_state=5, n_jobs=2,
                         sample_weight=w)
        c = bootstrap_ci(metric, y, x, n_resamples=100, random_state=5, sample_weight=w)
        np.testing.assert_array_equal(a.distribution, b.distribution)
        np.testing.assert_array_equal(a.distribution[:100], c.distribution)
        d = bootstrap_ci(metric, y, x, n_resamples=200, random_state=6, sample_weight=w)
        assert not np.array_equal(a.distribution, d.distribution)


def test_random_state_kinds():
    y, s, _ = binary_scores(21, 100)
    metric = cymetrics.roc_auc_score
    gen_a = bootstrap_ci(metric, y, s, n_resamples=20, random_state=np.random.default_rng(1))
    gen_b = bootstrap_ci(metric, y, s, n_resamples=20, random_state=np.random.default_rng(1))
    np.testing.assert_array_equal(gen_a.distribution, gen_b.distribution)
    rs = bootstrap_ci(metric, y, s, n_resamples=20, random_state=np.random.RandomState(1))
    assert rs.distribution.shape == (20,)
    fresh = [bootstrap_ci(metric, y, s, n_resamples=20).distribution for _ in range(2)]
    assert not np.array_equal(*fresh)


def test_stratified_resamples_keep_class_sizes():
    y, s, _ = binary_scores(22, 50)
    seen = []

    def metric(y_true, y_score, sample_weight=None):
        if sample_weight is not None:  # not the estimate on the data itself
            seen.append(np.sum(sample_weight[y_true == 1]))
        return 0.0

    bootstrap_ci(metric, y, s, n_resamples=25, random_state=0)
    assert set(seen) == {y.sum()}


def test_vector_valued_metric():
    y, p, _ = labels_pair(23, 200, k=3)
    res = bootstrap_ci(cymetrics.f1_score, y, p, n_resamples=50, random_state=0,
                       metric_params={"average": None}, method="bca")
    assert res.distribution.shape == (50, 3) and res.low.shape == (3,)
    assert np.all(res.low <= res.estimate) and np.all(res.estimate <= res.high)
    ref = reference_distribution(skm.f1_score, (y, p), None, 0, 50, True, {"average": None})
    np.testing.assert_allclose(res.distribution, ref, rtol=RTOL)


def test_undefined_resamples_are_left_out_with_a_warning():
    y = np.array([0, 1, 0, 0, 0, 0])
    s = np.array([0.1, 0.9, 0.2, 0.3, 0.4, 0.5])
    with pytest.warns(UndefinedMetricWarning, match="undefined"):
        res = bootstrap_ci(cymetrics.roc_auc_score, y, s, n_resamples=50, random_state=0,
                           stratified=False)
    finite = res.distribution[np.isfinite(res.distribution)]
    assert 0 < finite.shape[0] < 50
    np.testing.assert_allclose([res.low, res.high], np.percentile(finite, [2.5, 97.5]))


def test_metric_warnings_are_summarised_once():
    y, p, _ = labels_pair(24, 8)
    p[:] = 0
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        bootstrap_ci(cymetrics.precision_score, y, p, n_resamples=40, random_state=0)
    messages = [str(r.message) for r in records if issubclass(r.category, UndefinedMetricWarning)]
    assert 1 <= len(messages) <= 3
    assert any("bootstrap resamples" in m for m in messages)


def test_roc_auc_ci_bootstrap_bca():
    y, s, _ = binary_scores(25, 120)
    ci = roc_auc_ci(y, s, method="bootstrap", bootstrap_method="bca", n_resamples=200,
                    random_state=1)
    res = bootstrap_ci(cymetrics.roc_auc_score, y, s, n_resamples=200, random_state=1,
                       method="bca")
    assert (ci.low, ci.high) == (res.low, res.high) and ci.method == "bootstrap-bca"


def test_result_type():
    # (Inputs left untouched, lists and other layouts: tests/test_common.py.)
    y, s, w = binary_scores(26, 40, weights=True)
    res = bootstrap_ci(cymetrics.roc_auc_score, y, s, n_resamples=10, sample_weight=w,
                       random_state=0)
    assert isinstance(res, BootstrapInterval) and isinstance(res.estimate, float)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("n_resamples", [0, -5, 1.5, "10", True], ids=repr)
def test_n_resamples_below_one_raises(n_resamples):
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_ci(cymetrics.roc_auc_score, [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4],
                     n_resamples=n_resamples)


@pytest.mark.parametrize("kwargs, match", [
    ({"confidence": 1.0}, "confidence"), ({"confidence": 0.0}, "confidence"),
    ({"confidence": -0.5}, "confidence"), ({"method": "basic"}, "method"),
    ({"n_jobs": 0}, "n_jobs"), ({"stratified": "yes"}, "stratified"),
    ({"random_state": -1}, "random_state"), ({"random_state": "seed"}, "random_state"),
    ({"metric_params": {"sample_weight": [1, 1, 1, 1]}}, "sample_weight"),
    ({"sample_weight": [1, 1]}, "inconsistent numbers of samples: \\[4, 4, 2\\]"),
], ids=lambda v: str(v)[:40])
def test_bad_parameters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bootstrap_ci(cymetrics.roc_auc_score, [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], **kwargs)


def test_bad_arrays_raise():
    metric = cymetrics.roc_auc_score
    with pytest.raises(ValueError, match="inconsistent"):
        bootstrap_ci(metric, [0, 1, 0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="at least one array"):
        bootstrap_ci(metric)
    with pytest.raises(ValueError, match="empty"):
        bootstrap_ci(metric, [], [])
    with pytest.raises(ValueError, match="callable"):
        bootstrap_ci("roc_auc_score", [0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="stratified=False"):
        bootstrap_ci(lambda a, b: 0.0, np.linspace(0, 1, 10) + 0.01, np.ones(10))
    with pytest.raises(ValueError, match="NaN"):
        bootstrap_ci(metric, [0, 1, 0, 1], [0.1, np.nan, 0.3, 0.4])


@pytest.mark.parametrize("name, data, params, kind", [
    ("roc_auc_score", "scores", {}, "_Ranking"),
    ("average_precision_score", "scores", {"pos_label": 1}, "_Ranking"),
    ("roc_auc_score", "scores", {"max_fpr": 0.5}, "_Generic"),
    ("f1_score", "labels", {"average": "macro"}, "_Confusion"),
    ("cohen_kappa_score", "labels", {}, "_Confusion"),
    ("specificity_score", "labels", {}, "_Confusion"),
    ("log_loss", "probabilities", {}, "_Generic"),
])
def test_fast_paths_are_taken(name, data, params, kind):
    from cymetrics._inference._bootstrap import _evaluator, _strata

    y, s, _ = binary_scores(27, 30)
    x = {"scores": s, "labels": (s > 0.5).astype(int),
         "probabilities": 1 / (1 + np.exp(-s))}[data]
    evaluator = _evaluator(getattr(cymetrics, name), params, (y, x), None, _strata(y, True))
    assert type(evaluator).__name__ == kind
