"""Threshold selection: brute-force scans over every distinct threshold, and
``metric_at_thresholds`` against scikit-learn 1.9's."""

import warnings
import zlib

import numpy as np
import pytest
import sklearn.metrics as skm

import cymetrics
from cymetrics import (
    OperatingPoint,
    best_threshold,
    metric_at_thresholds,
    metrics_at_thresholds,
    precision_at_recall,
    recall_at_precision,
    sensitivity_at_specificity,
    specificity_at_sensitivity,
)
from cymetrics._ranking._thresholds import _fast_path

RTOL = 1e-12


def seed_of(*parts):
    return zlib.crc32(repr(parts).encode())


# --------------------------------------------------------------------------
# Brute force: every candidate threshold, counted from scratch
# --------------------------------------------------------------------------
def scan(y_true, y_score, sample_weight=None, pos_label=1):
    """Counts at inf and at every distinct score of a non-zero-weight sample,
    thresholds decreasing (predict positive iff score >= t)."""
    y = np.asarray(y_true)
    s = np.asarray(y_score, dtype=np.float64)
    w = np.ones(s.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    is_pos = y == pos_label
    candidates = np.concatenate([[np.inf], np.unique(s[w != 0])[::-1]])
    rows = []
    for t in candidates:
        pred = s >= t
        rows.append([np.sum(w * (pred & is_pos)), np.sum(w * (pred & ~is_pos)),
                     np.sum(w * (~pred & is_pos)), np.sum(w * (~pred & ~is_pos))])
    tp, fp, fn, tn = np.array(rows).T
    return candidates, tp, fp, fn, tn


def brute_best(values, thresholds, secondary=None):
    """Max of ``values`` (then of ``secondary``), highest threshold among ties."""
    best = values.max()
    candidates = np.flatnonzero(values == best)
    if secondary is not None:
        sec = secondary[candidates]
        candidates = candidates[sec == sec.max()]
    k = candidates[np.argmax(thresholds[candidates])]
    return values[k], thresholds[k]


def criterion_values(criterion, tp, fp, fn, tn, beta=1.0, cost_fp=1.0, cost_fn=1.0):
    p, n = tp[0] + fn[0], fp[0] + tn[0]
    if criterion == "youden":
        return tp / p - fp / n, +1
    if criterion in ("f1", "fbeta"):
        b2 = 1.0 if criterion == "f1" else beta**2
        return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp), +1
    if criterion == "cost":
        return (cost_fp * fp + cost_fn * fn) / (p + n), -1
    return np.sqrt((fp / n) ** 2 + (fn / p) ** 2), -1


def make_case(seed, n, ties, weights, labels=(0, 1)):
    rng = np.random.default_rng(seed)
    y01 = (rng.random(n) < rng.choice([0.2, 0.5, 0.8])).astype(int)
    y01[:2] = [0, 1]
    if ties == "none":
        s = rng.normal(size=n) + y01
    elif ties == "const":
        s = np.full(n, 0.5)
    else:
        s = np.round(rng.random(n) * 0.8 + 0.2 * y01, int(ties[-1]))
    if weights is None:
        w = None
    elif weights == "int_zeros":
        w = rng.integers(0, 4, n).astype(float)
        w[:2] = 1
    else:  # dyadic: sums are exact, so ties are exact
        w = rng.choice([0.0, 0.5, 1.0, 1.25, 2.0], size=n)
        w[:2] = 1
    y = np.where(y01 == 1, labels[1], labels[0])
    return y, s, w


CASES = [(n, ties, w) for n in (2, 5, 40, 120) for ties in ("none", "round1", "round2", "const")
         for w in (None, "int_zeros", "dyadic")]
CASE_IDS = [f"n{n}-{t}-{w}" for n, t, w in CASES]


@pytest.mark.parametrize("criterion, kwargs", [
    ("youden", {}), ("f1", {}), ("fbeta", {"beta": 2.0}), ("fbeta", {"beta": 0.5}),
    ("cost", {}), ("cost", {"cost_fp": 1.0, "cost_fn": 5.0}), ("cost", {"cost_fp": 3.0}),
    ("closest_topleft", {}),
], ids=["youden", "f1", "f2", "f0.5", "cost", "cost-fn5", "cost-fp3", "topleft"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_best_threshold_vs_brute_force(case, criterion, kwargs):
    y, s, w = make_case(seed_of(case, criterion), *case)
    thresholds, tp, fp, fn, tn = scan(y, s, w)
    values, sign = criterion_values(criterion, tp, fp, fn, tn, **kwargs)
    expected_value, expected_threshold = brute_best(sign * values, thresholds)
    got = best_threshold(y, s, criterion=criterion, sample_weight=w, **kwargs)
    assert isinstance(got, OperatingPoint)
    np.testing.assert_allclose(got.value, sign * expected_value, rtol=RTOL, atol=1e-15)
    assert got.threshold == expected_threshold


BOUNDED = {
    # function: (objective, constraint)
    recall_at_precision: ("recall", "precision"),
    precision_at_recall: ("precision", "recall"),
    sensitivity_at_specificity: ("recall", "specificity"),
    specificity_at_sensitivity: ("specificity", "recall"),
}


def rates(tp, fp, fn, tn):
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 1.0)
    return {"recall": tp / (tp + fn), "specificity": tn / (tn + fp), "precision": precision}


@pytest.mark.parametrize("func", list(BOUNDED), ids=lambda f: f.__name__)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_bounded_vs_brute_force(case, func):
    y, s, w = make_case(seed_of(case, func.__name__), *case)
    thresholds, tp, fp, fn, tn = scan(y, s, w)
    r = rates(tp, fp, fn, tn)
    objective, constraint = BOUNDED[func]
    # Bounds hit exactly (achieved values), in between, and the extremes.
    bounds = sorted(set(r[constraint].tolist()))[:: max(1, len(thresholds) // 6)]
    bounds += [0.0, 1.0, 0.37, 0.9]
    for bound in bounds:
        feasible = r[constraint] >= bound
        masked_obj = np.where(feasible, r[objective], -np.inf)
        masked_sec = np.where(feasible, r[constraint], -np.inf)
        value, threshold = brute_best(masked_obj, thresholds, masked_sec)
        got = func(y, s, bound, sample_weight=w)
        assert got == (value, threshold), (bound, got, (value, threshold))


def test_bounded_infeasible_falls_back_to_nothing_positive():
    y, s = [0, 1, 0, 1], [0.9, 0.1, 0.8, 0.2]  # every positive scored lowest
    assert recall_at_precision(y, s, 0.9) == (0.0, np.inf)
    assert sensitivity_at_specificity(y, s, 1.0) == (0.0, np.inf)
    assert specificity_at_sensitivity(y, s, 1.0) == (0.0, 0.1)


@pytest.mark.parametrize(
    "labels, pos_label",
    [((0, 1), None), ((-1, 1), None), (("no", "yes"), "yes"), ((5, 2), 2), ((False, True), None)],
    ids=["01", "pm1", "str", "pos-smaller", "bool"],
)
def test_pos_label(labels, pos_label):
    y, s, w = make_case(3, 60, "round1", "dyadic", labels=labels)
    pos = labels[1]
    thresholds, tp, fp, fn, tn = scan(y, s, w, pos_label=pos)
    values, _ = criterion_values("youden", tp, fp, fn, tn)
    value, threshold = brute_best(values, thresholds)
    assert best_threshold(y, s, pos_label=pos_label, sample_weight=w) == (value, threshold)


# --------------------------------------------------------------------------
# metrics_at_thresholds
# --------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES[::3], ids=CASE_IDS[::3])
def test_metrics_at_thresholds_default_is_the_curve(case):
    y, s, w = make_case(seed_of("mat", case), *case)
    m = metrics_at_thresholds(y, s, sample_weight=w)
    tns, fps, fns, tps, thr = skm.confusion_matrix_at_thresholds(y, s, sample_weight=w)
    np.testing.assert_array_equal(m.thresholds, thr)
    for got, expected in ((m.tp, tps), (m.fp, fps), (m.fn, fns), (m.tn, tns)):
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("case", CASES[::2], ids=CASE_IDS[::2])
def test_metrics_at_thresholds_any_thresholds(case):
    y, s, w = make_case(seed_of("any", case), *case)
    rng = np.random.default_rng(len(y))
    thresholds = np.concatenate([rng.choice(s, 5), rng.normal(size=5), [np.inf, -np.inf]])
    m = metrics_at_thresholds(y, s, thresholds, sample_weight=w)
    ww = np.ones(len(y)) if w is None else w
    for k, t in enumerate(thresholds):
        pred, pos = s >= t, y == 1
        tp, fp = np.sum(ww * (pred & pos)), np.sum(ww * (pred & ~pos))
        fn, tn = np.sum(ww * (~pred & pos)), np.sum(ww * (~pred & ~pos))
        np.testing.assert_allclose([m.tp[k], m.fp[k], m.fn[k], m.tn[k]], [tp, fp, fn, tn],
                                   rtol=RTOL, atol=1e-12)
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = [tp / (tp + fn), fp / (fp + tn), tn / (tn + fp), tp / (tp + fp),
                        tn / (tn + fn), 2 * tp / (2 * tp + fp + fn), (tp + tn) / ww.sum()]
        got = [m.tpr[k], m.fpr[k], m.tnr[k], m.precision[k], m.npv[k], m.f1[k], m.accuracy[k]]
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-15, equal_nan=True)


# --------------------------------------------------------------------------
# metric_at_thresholds: drop-in for scikit-learn 1.9
# --------------------------------------------------------------------------
FAST_METRICS = [
    ("accuracy_score", {}), ("accuracy_score", {"normalize": False}),
    ("balanced_accuracy_score", {}), ("balanced_accuracy_score", {"adjusted": True}),
    ("f1_score", {}), ("f1_score", {"pos_label": 0}), ("f1_score", {"zero_division": 1.0}),
    ("fbeta_score", {"beta": 2.0}), ("fbeta_score", {"beta": 0.0}),
    ("fbeta_score", {"beta": np.inf}),
    ("precision_score", {}), ("precision_score", {"pos_label": 0, "zero_division": np.nan}),
    ("recall_score", {}), ("recall_score", {"pos_label": 0}),
    ("jaccard_score", {}), ("matthews_corrcoef", {}),
    ("zero_one_loss", {}), ("zero_one_loss", {"normalize": False}), ("hamming_loss", {}),
]


def fast_case(seed, n, ties, weights, kind="int"):
    y, s, w = make_case(seed, n, ties, weights)
    if kind == "float":
        y = y.astype(np.float64)
    elif kind == "bool":
        y = y.astype(bool)
    return y, s, w


FAST_CASES = [(2, "none", None), (7, "round1", None), (60, "round1", "int_zeros"),
              (80, "round1", "dyadic"), (25, "none", None), (12, "const", None)]
Y_KINDS = [(name, params, kind) for name, params in FAST_METRICS for kind in ("int",)] + [
    ("f1_score", {}, "float"), ("f1_score", {}, "bool"), ("accuracy_score", {}, "bool"),
    ("matthews_corrcoef", {}, "bool"), ("recall_score", {"pos_label": 0}, "float")]


@pytest.mark.parametrize("name, params, y_kind", Y_KINDS,
                         ids=[f"{n}-{p}-{k}" for n, p, k in Y_KINDS])
def test_metric_at_thresholds_fast_path_vs_sklearn(name, params, y_kind, oracle):
    import sklearn

    for case in FAST_CASES:
        y, s, w = fast_case(seed_of(name, case, y_kind), *case, kind=y_kind)
        kw = {"metric_params": params} if params else {}
        if w is not None:
            kw["sample_weight"] = w
        assert _fast_path(np.asarray(y), s, None if w is None else np.asarray(w, float),
                          getattr(cymetrics, name), params) is not None
        with sklearn.config_context(skip_parameter_validation=True):
            sk = oracle.run(skm.metric_at_thresholds, y, s, getattr(skm, name), **kw)
        cy = oracle.run(metric_at_thresholds, y, s, getattr(cymetrics, name), **kw)
        oracle.assert_same_outcome(sk, cy, ctx=f"{name} {params} {case}")


@pytest.mark.parametrize("name", ["specificity_score", "npv_score", "fpr_score", "fnr_score",
                                  "mcc_score"])
def test_metric_at_thresholds_fast_path_cymetrics_rates(name):
    """Metrics beyond scikit-learn: the fast path equals calling them per threshold."""
    func = getattr(cymetrics, name)
    for case in [(9, "none", None), (80, "round1", "dyadic")]:
        y, s, w = make_case(seed_of(name, case), *case)
        kw = {} if w is None else {"sample_weight": w}
        with warnings.catch_warnings(record=True) as fast_warnings:
            warnings.simplefilter("always")
            fast = metric_at_thresholds(y, s, func, **kw)
        with warnings.catch_warnings(record=True) as slow_warnings:
            warnings.simplefilter("always")
            slow = metric_at_thresholds(y, s, lambda *a, **k: func(*a, **k), **kw)
        np.testing.assert_allclose(fast[0], slow[0], rtol=RTOL, atol=1e-15)
        np.testing.assert_array_equal(fast[1], slow[1])
        assert {w.category for w in fast_warnings} == {w.category for w in slow_warnings}


GENERIC = [
    ("f1_score", {"average": "macro"}, "01"),
    ("cohen_kappa_score", {}, "01"),
    ("accuracy_score", {}, "pm1"),
    ("accuracy_score", {}, "int25"),
    ("precision_score", {"zero_division": 0.0}, "one_class"),
    ("balanced_accuracy_score", {}, "one_class"),
    ("f1_score", {}, "pm1"),
]


@pytest.mark.parametrize("name, params, labels", GENERIC,
                         ids=[f"{n}-{p}-{lab}" for n, p, lab in GENERIC])
def test_metric_at_thresholds_generic_path_vs_sklearn(name, params, labels, oracle):
    for case in [(5, "none", None), (40, "round1", "int_zeros")]:
        y, s, w = make_case(seed_of(name, labels, case), *case)
        if labels == "pm1":
            y = np.where(y == 1, 1, -1)
        elif labels == "int25":
            y = np.where(y == 1, 5, 2)
        elif labels == "one_class":
            y = np.zeros_like(y)
        kw = {"metric_params": params} if params else {}
        if w is not None:
            kw["sample_weight"] = w
        sk = oracle.run(skm.metric_at_thresholds, y, s, getattr(skm, name), **kw)
        cy = oracle.run(metric_at_thresholds, y, s, getattr(cymetrics, name), **kw)
        oracle.assert_same_outcome(sk, cy, ctx=f"{name} {params} {labels} {case}")


def test_metric_at_thresholds_passes_sorted_samples_like_sklearn():
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    s = np.array([0.3, 0.3, 0.9, 0.1, 0.5, 0.5, 0.3, 0.2])
    w = np.array([1, 2, 0, 1, 1, 3, 1, 1.0])
    seen = {"sk": [], "cy": []}

    def recorder(key):
        def metric(y_true, y_pred, sample_weight=None):
            seen[key].append((y_true.tolist(), y_pred.tolist(), y_pred.dtype,
                              None if sample_weight is None else sample_weight.tolist()))
            return float(len(y_true))
        return metric

    sk = skm.metric_at_thresholds(y, s, recorder("sk"), sample_weight=w)
    cy = metric_at_thresholds(y, s, recorder("cy"), sample_weight=w)
    assert seen["sk"] == seen["cy"]
    np.testing.assert_array_equal(sk[0], cy[0])
    np.testing.assert_array_equal(sk[1], cy[1])


def test_metric_at_thresholds_tuple_output(oracle):
    y, s, _ = make_case(1, 30, "round1", None)
    kw = {"metric_params": {"average": "binary"}}
    sk = oracle.run(skm.metric_at_thresholds, y, s, skm.precision_recall_fscore_support, **kw)
    cy = oracle.run(metric_at_thresholds, y, s, cymetrics.precision_recall_fscore_support, **kw)
    assert sk.result[0].shape == cy.result[0].shape


@pytest.mark.parametrize("score_kind", ["f32", "f16", "i64", "list_f", "list_i"])
def test_metric_at_thresholds_score_dtypes(score_kind, gen, oracle):
    rng = gen.rng("mat-dtypes", score_kind)
    s = gen.scores(rng, 50, score_kind, "round2")
    y = rng.integers(0, 2, 50)
    y[:2] = [0, 1]
    sk = oracle.run(skm.metric_at_thresholds, y, s, skm.f1_score)
    cy = oracle.run(metric_at_thresholds, y, s, cymetrics.f1_score)
    oracle.assert_same_outcome(sk, cy, ctx=score_kind)


@pytest.mark.parametrize("bad", [
    dict(y_score=[0.1, np.nan, 0.3, 0.4]), dict(y_true=[0, 1, np.nan, 1]),
    dict(y_score=[0.1, 0.2, 0.3]), dict(metric_func="f1"),
    dict(metric_params=[("pos_label", 1)]), dict(sample_weight=[1, 1]),
    dict(metric_params={"average": "weird"}),
], ids=["nan-score", "nan-true", "length", "not-callable", "params-not-dict", "weight-length",
        "bad-average"])
def test_metric_at_thresholds_bad_input_like_sklearn(bad, oracle):
    args = dict(y_true=[0, 1, 0, 1], y_score=[0.1, 0.2, 0.3, 0.4], metric_func=None)
    args.update(bad)
    sk_func = args["metric_func"] if bad.get("metric_func") else skm.f1_score
    cy_func = args["metric_func"] if bad.get("metric_func") else cymetrics.f1_score
    rest = {k: v for k, v in args.items() if k not in ("y_true", "y_score", "metric_func")}
    sk = oracle.run(skm.metric_at_thresholds, args["y_true"], args["y_score"], sk_func, **rest)
    cy = oracle.run(metric_at_thresholds, args["y_true"], args["y_score"], cy_func, **rest)
    assert sk.raised
    oracle.assert_same_outcome(sk, cy, ctx=str(bad))


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("func, args", [
    (best_threshold, ()), (recall_at_precision, (0.5,)), (precision_at_recall, (0.5,)),
    (sensitivity_at_specificity, (0.5,)), (specificity_at_sensitivity, (0.5,)),
], ids=lambda f: getattr(f, "__name__", ""))
def test_one_class_raises(func, args):
    with pytest.raises(ValueError, match="both classes"):
        func([1, 1, 1], [0.1, 0.2, 0.3], *args)
    with pytest.raises(ValueError, match="both classes"):
        func([0, 1, 1], [0.1, 0.2, 0.3], *args, sample_weight=[0, 1, 1])


@pytest.mark.parametrize("kwargs", [
    {"criterion": "gini"}, {"beta": -1.0}, {"cost_fp": np.nan}, {"cost_fn": "1"},
], ids=str)
def test_best_threshold_bad_params(kwargs):
    with pytest.raises(ValueError):
        best_threshold([0, 1], [0.1, 0.2], **kwargs)


@pytest.mark.parametrize("bound", [-0.1, 1.1, np.nan, "0.5", None], ids=repr)
@pytest.mark.parametrize("func", list(BOUNDED), ids=lambda f: f.__name__)
def test_bounded_bad_bound(func, bound):
    with pytest.raises(ValueError):
        func([0, 1], [0.1, 0.2], bound)


def test_metrics_at_thresholds_bad_thresholds():
    with pytest.raises(ValueError, match="NaN"):
        metrics_at_thresholds([0, 1], [0.1, 0.2], [0.5, np.nan])
    with pytest.raises(ValueError):
        metrics_at_thresholds([0, 1], [0.1, 0.2], ["a"])
