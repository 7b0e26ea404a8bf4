"""The metrics beyond scikit-learn: specificity, NPV, FPR, FNR, per-label MCC,
binary_rates, and every metric from a precomputed confusion matrix.

* ``test_hand_*``: values from hand-computed confusion matrices.
* ``test_identity_*``: each new rate equals a scikit-learn metric on the
  complemented one-vs-rest indicator matrices (e.g. specificity is the recall
  of the negatives), compared on random inputs for every average.
* ``test_from_confusion_*``: metric(y) == from_confusion(confusion(y), metric).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

import cymetrics
from cymetrics import UndefinedMetricWarning

RATES = ["specificity_score", "npv_score", "fpr_score", "fnr_score", "mcc_score"]


def cy(name):
    return getattr(cymetrics, name)


# ---------------------------------------------------------------------------
# Hand-computed
# ---------------------------------------------------------------------------
# tp=30, fp=10, fn=20, tn=40 (100 samples).
def hand_binary():
    y_true = np.array([1] * 30 + [0] * 10 + [1] * 20 + [0] * 40)
    y_pred = np.array([1] * 30 + [1] * 10 + [0] * 20 + [0] * 40)
    return y_true, y_pred


def test_hand_binary_rates_every_field():
    tp, fp, fn, tn = 30, 10, 20, 40
    r = cymetrics.binary_rates(*hand_binary(), betas=(0.5, 2.0))
    p, rec = tp / (tp + fp), tp / (tp + fn)
    expected = {
        "tp": 30, "fp": 10, "fn": 20, "tn": 40,
        "prevalence": 50 / 100, "accuracy": 70 / 100,
        "balanced_accuracy": (30 / 50 + 40 / 50) / 2,
        "precision": 30 / 40, "recall": 30 / 50, "specificity": 40 / 50,
        "npv": 40 / 60, "fpr": 10 / 50, "fnr": 20 / 50,
        "f1": 2 * p * rec / (p + rec),
        "f0.5": 1.25 * p * rec / (0.25 * p + rec),
        "f2": 5 * p * rec / (4 * p + rec),
        "jaccard": 30 / 60,
        "mcc": (tp * tn - fp * fn) / np.sqrt(40 * 50 * 50 * 60),
        "lr_plus": (30 / 50) / (10 / 50), "lr_minus": (20 / 50) / (40 / 50),
    }
    got = r.as_dict()
    assert list(got) == list(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-14), key
    assert isinstance(r.tp, int)
    assert (r.tpr, r.tnr, r.ppv) == (r.recall, r.specificity, r.precision)
    assert "specificity" in str(r) and "0.800000" in str(r)


@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_hand_fbeta_formula_in_binary_rates(beta):
    r = cymetrics.binary_rates(*hand_binary(), betas=[beta])
    p, rec = 0.75, 0.6
    assert r.fbeta[beta] == pytest.approx((1 + beta**2) * p * rec / (beta**2 * p + rec), rel=1e-14)


def test_hand_rates_per_class_multiclass():
    #            pred:  0  1  2
    # true 0:           5  1  0
    # true 1:           2  3  1
    # true 2:           0  0  4     (16 samples)
    cm = np.array([[5, 1, 0], [2, 3, 1], [0, 0, 4]])
    y_true = np.repeat([0, 0, 0, 1, 1, 1, 2, 2, 2], cm.ravel())
    y_pred = np.repeat([0, 1, 2, 0, 1, 2, 0, 1, 2], cm.ravel())
    tp = np.array([5, 3, 4])
    fp = np.array([2, 1, 1])
    fn = np.array([1, 3, 0])
    tn = 16 - tp - fp - fn
    expected = {
        "specificity_score": tn / (tn + fp),
        "npv_score": tn / (tn + fn),
        "fpr_score": fp / (fp + tn),
        "fnr_score": fn / (fn + tp),
        "mcc_score": (tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)),
    }
    for name, values in expected.items():
        np.testing.assert_allclose(cy(name)(y_true, y_pred, average=None), values, rtol=1e-14)
        np.testing.assert_allclose(
            cymetrics.from_confusion(cm, name, average=None), values, rtol=1e-14
        )
        assert cy(name)(y_true, y_pred, average="macro") == pytest.approx(values.mean(), rel=1e-14)
        assert cy(name)(y_true, y_pred, average="weighted") == pytest.approx(
            np.average(values, weights=tp + fn), rel=1e-14)
    # micro pools the counts of every class
    assert cymetrics.specificity_score(y_true, y_pred, average="micro") == pytest.approx(
        tn.sum() / (tn.sum() + fp.sum()), rel=1e-14)


def test_hand_multilabel_samples_average():
    y_true = np.array([[1, 0, 0, 1], [0, 0, 1, 1]])
    y_pred = np.array([[1, 1, 0, 0], [0, 0, 1, 1]])
    # sample 0: tp=1 fp=1 fn=1 tn=1; sample 1: tp=2 fp=0 fn=0 tn=2
    assert cymetrics.specificity_score(y_true, y_pred, average="samples") == pytest.approx(
        (1 / 2 + 1) / 2
    )
    assert cymetrics.npv_score(y_true, y_pred, average="samples") == pytest.approx((1 / 2 + 1) / 2)
    assert cymetrics.fnr_score(y_true, y_pred, average="samples") == pytest.approx((1 / 2 + 0) / 2)
    assert cymetrics.mcc_score(y_true, y_pred, average="samples") == pytest.approx((0 + 1) / 2)


# ---------------------------------------------------------------------------
# Identities with scikit-learn metrics
# ---------------------------------------------------------------------------
def one_hot(y, classes):
    return (np.asarray(y)[:, None] == classes[None, :]).astype(int)


def complement_identity(name, y_true, y_pred, average, w):
    """The scikit-learn value a new rate must equal (None if no identity)."""
    yt, yp = np.asarray(y_true), np.asarray(y_pred)
    if yt.ndim == 1:
        classes = np.unique(np.concatenate([yt, yp]))
        yt, yp = one_hot(yt, classes), one_hot(yp, classes)
    neg_t, neg_p = 1 - yt, 1 - yp
    kw = dict(average=average, sample_weight=w, zero_division=0.0)
    if name == "specificity_score":
        return skm.recall_score(neg_t, neg_p, **kw)
    if name == "npv_score":
        return skm.precision_score(neg_t, neg_p, **kw)
    if name == "fpr_score":
        # fp / (fp + tn) = 1 - recall of the negatives (0 where undefined)
        spec = skm.recall_score(neg_t, neg_p, average=None, sample_weight=w, zero_division=np.nan)
        return _average_like(1 - spec, average, neg_t, yt, w, name)
    if name == "fnr_score":
        rec = skm.recall_score(yt, yp, average=None, sample_weight=w, zero_division=np.nan)
        return _average_like(1 - rec, average, neg_t, yt, w, name)
    return None


def _average_like(per_label, average, neg_t, yt, w, name):
    values = np.nan_to_num(per_label, nan=0.0)
    if average is None:
        return values
    if average == "macro":
        return float(values.mean())
    if average == "weighted":
        support = (yt.T @ (np.ones(yt.shape[0]) if w is None else w))
        return float(np.average(values, weights=support)) if support.sum() else float(values.mean())
    return None


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted", "samples"])
@pytest.mark.parametrize("name", ["specificity_score", "npv_score", "fpr_score", "fnr_score"])
@pytest.mark.parametrize("target", ["multiclass", "multilabel"])
def test_identity_with_sklearn_on_complement(name, average, target):
    if name in ("specificity_score", "npv_score") and average == "weighted":
        pytest.skip("weighted by the support of the positives, not of the negatives")
    rng = np.random.default_rng(abs(hash((name, average, target))) % 2**32)
    checked = 0
    for i in range(25):
        n = int(rng.choice([1, 5, 40, 300]))
        if target == "multiclass":
            k = int(rng.choice([2, 3, 6]))
            y_true = rng.integers(0, k, n)
            y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, k, n))
        else:
            y_true = (rng.random((n, 4)) < 0.4).astype(int)
            y_pred = np.where(rng.random((n, 4)) < 0.7, y_true, 1 - y_true)
        w = None if rng.random() < 0.4 else rng.random(n) * (rng.random(n) < 0.9) + 1e-3
        if target == "multiclass" and np.unique(np.concatenate([y_true, y_pred])).shape[0] < 2:
            continue  # a one-column one-hot matrix is not a multilabel target
        if average == "samples" and target == "multiclass":
            with pytest.raises(ValueError, match="Samplewise"):
                cy(name)(y_true, y_pred, average=average)
            return
        expected = complement_identity(name, y_true, y_pred, average, w)
        if expected is None:
            continue
        got = cy(name)(y_true, y_pred, average=average, sample_weight=w, zero_division=0.0)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15, err_msg=f"case {i}")
        checked += 1
    assert checked > 0 or average in ("micro", "samples")


@pytest.mark.parametrize("kind", ["int", "str", "bool"])
def test_identity_mcc_score_binary_is_matthews_corrcoef(kind):
    rng = np.random.default_rng(3)
    for _ in range(40):
        n = int(rng.choice([2, 10, 200]))
        y_true, y_pred = rng.integers(0, 2, n), rng.integers(0, 2, n)
        w = None if rng.random() < 0.5 else rng.random(n)
        pos = 1
        if kind == "str":
            y_true, y_pred, pos = np.array(["n", "p"])[y_true], np.array(["n", "p"])[y_pred], "p"
        elif kind == "bool":
            y_true, y_pred, pos = y_true.astype(bool), y_pred.astype(bool), True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = skm.matthews_corrcoef(y_true, y_pred, sample_weight=w)
            got = cymetrics.mcc_score(
                y_true, y_pred, pos_label=pos, sample_weight=w, zero_division=0.0
            )
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_identity_mcc_score_multilabel_per_label_micro_samples():
    rng = np.random.default_rng(4)
    y_true = (rng.random((200, 5)) < 0.3).astype(int)
    y_pred = np.where(rng.random((200, 5)) < 0.8, y_true, 1 - y_true)
    w = rng.random(200)
    per_label = [
        skm.matthews_corrcoef(y_true[:, j], y_pred[:, j], sample_weight=w) for j in range(5)
    ]
    np.testing.assert_allclose(cymetrics.mcc_score(y_true, y_pred, average=None, sample_weight=w),
                               per_label, rtol=1e-12)
    assert cymetrics.mcc_score(y_true, y_pred, average="macro", sample_weight=w) == pytest.approx(
        np.mean(per_label), rel=1e-12)
    micro = skm.matthews_corrcoef(y_true.ravel(), y_pred.ravel(), sample_weight=np.repeat(w, 5))
    assert cymetrics.mcc_score(y_true, y_pred, average="micro", sample_weight=w) == pytest.approx(
        micro, rel=1e-12
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = [skm.matthews_corrcoef(t, p) for t, p in zip(y_true, y_pred)]
    got = cymetrics.mcc_score(y_true, y_pred, average="samples", zero_division=0.0)
    assert got == pytest.approx(np.mean(rows), rel=1e-12)


def test_matthews_corrcoef_keeps_refusing_multilabel():
    y = np.array([[0, 1], [1, 1]])
    with pytest.raises(ValueError, match="multilabel-indicator is not supported"):
        cymetrics.matthews_corrcoef(y, y)


# ---------------------------------------------------------------------------
# The shared contract: pos_label, zero_division, warnings, errors
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", RATES)
def test_contract_signature_like_precision_score(name):
    import inspect

    expected = inspect.signature(skm.precision_score).parameters
    got = inspect.signature(cy(name)).parameters
    assert [(p.name, p.default) for p in got.values()] == [
        (p.name, p.default) for p in expected.values()
    ]
    assert ">>> " in cy(name).__doc__


@pytest.mark.parametrize("name", RATES)
@pytest.mark.parametrize("zero_division", ["warn", 0.0, 1.0, np.nan])
def test_contract_zero_division(name, zero_division):
    # One class only: every rate has one zero denominator.
    y = np.zeros(5, dtype=int)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = cy(name)(y, y, labels=[0, 1], average=None, zero_division=zero_division)
    undefined = np.isnan(got) if zero_division is np.nan else None
    fill = 0.0 if zero_division == "warn" else zero_division
    if undefined is not None:
        assert undefined.any()
    else:
        assert fill in got
    warned = [w for w in rec if issubclass(w.category, UndefinedMetricWarning)]
    assert bool(warned) == (zero_division == "warn")
    if warned:
        assert "ill-defined" in str(warned[0].message) and "in labels with no" in str(
            warned[0].message
        )


@pytest.mark.parametrize("name", RATES)
def test_contract_pos_label_and_errors(name):
    y_true, y_pred = ["b", "a", "b", "b"], ["b", "b", "a", "b"]
    a_pos = cy(name)(y_true, y_pred, pos_label="a", zero_division=0.0)
    per_class = cy(name)(y_true, y_pred, average=None, zero_division=0.0)
    assert a_pos == per_class[0]
    with pytest.raises(ValueError, match="pos_label"):
        cy(name)(y_true, y_pred)  # default pos_label=1 is not a label
    with pytest.raises(ValueError, match="average='binary'"):
        cy(name)([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="zero_division"):
        cy(name)([0, 1], [0, 1], zero_division=2)
    with pytest.raises(ValueError, match="average"):
        cy(name)([0, 1], [0, 1], average="bogus")
    with pytest.raises(ValueError, match="Samplewise"):
        cy(name)([0, 1], [0, 1], average="samples")
    with pytest.raises(ValueError, match="negative"):
        cy(name)([0, 1], [0, 1], sample_weight=[1, -1])
    with pytest.warns(UserWarning, match="pos_label"):
        cy(name)([0, 1, 2], [0, 1, 1], average="macro", pos_label=2, zero_division=0.0)


def test_binary_rates_matches_the_single_metrics():
    rng = np.random.default_rng(9)
    for i in range(30):
        n = int(rng.choice([1, 3, 50, 500]))
        labels = np.array(["neg", "pos"])
        y_true = labels[(rng.random(n) < rng.choice([0.0, 0.3, 1.0])).astype(int)]
        y_pred = labels[(rng.random(n) < 0.4).astype(int)]
        w = None if i % 2 else rng.random(n) + 0.01
        kw = dict(pos_label="pos", sample_weight=w)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = cymetrics.binary_rates(y_true, y_pred, betas=(0.5, 2), **kw)
            z = dict(zero_division=np.nan, **kw)
            expected = {
                "accuracy": skm.accuracy_score(y_true, y_pred, sample_weight=w),
                "precision": skm.precision_score(y_true, y_pred, **z),
                "recall": skm.recall_score(y_true, y_pred, **z),
                "f1": skm.f1_score(y_true, y_pred, **z),
                "jaccard": skm.jaccard_score(y_true, y_pred, pos_label="pos", sample_weight=w),
                "specificity": cymetrics.specificity_score(y_true, y_pred, **z),
                "npv": cymetrics.npv_score(y_true, y_pred, **z),
                "fpr": cymetrics.fpr_score(y_true, y_pred, **z),
                "fnr": cymetrics.fnr_score(y_true, y_pred, **z),
                "mcc": cymetrics.mcc_score(y_true, y_pred, **z),
                "balanced_accuracy": skm.balanced_accuracy_score(y_true, y_pred, sample_weight=w),
            }
            if len(set(y_true) | set(y_pred)) == 2:
                lr = skm.class_likelihood_ratios(
                    y_true, y_pred, labels=["neg", "pos"], sample_weight=w
                )
                expected["lr_plus"], expected["lr_minus"] = lr
        got = r.as_dict()
        if r.tp + r.fp + r.fn == 0:
            expected["jaccard"] = np.nan  # binary_rates keeps NaN; sklearn's jaccard warns to 0
        for key, value in expected.items():
            np.testing.assert_allclose(got[key], value, rtol=1e-12, equal_nan=True,
                                       err_msg=f"case {i}: {key}")


def test_binary_rates_zero_division_and_errors():
    y = np.zeros(4, dtype=int)
    r = cymetrics.binary_rates(y, y)
    assert np.isnan(r.precision) and np.isnan(r.recall) and r.specificity == 1.0
    assert np.isnan(r.lr_plus) and r.balanced_accuracy == 1.0
    with pytest.warns(UndefinedMetricWarning):
        r = cymetrics.binary_rates(y, y, zero_division="warn")
    assert r.precision == 0.0
    with pytest.raises(ValueError, match="average='binary'"):
        cymetrics.binary_rates([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="beta"):
        cymetrics.binary_rates([0, 1], [0, 1], betas=(-1,))
    assert cymetrics.binary_rates([0, 1], [0, 1], betas=2).fbeta == {2: 1.0}


# ---------------------------------------------------------------------------
# from_confusion
# ---------------------------------------------------------------------------
FROM_CALLS = [
    ("accuracy_score", {}), ("accuracy_score", {"normalize": False}),
    ("zero_one_loss", {}), ("hamming_loss", {}),
    ("balanced_accuracy_score", {"adjusted": True}), ("matthews_corrcoef", {}),
    ("cohen_kappa_score", {"weights": "quadratic"}), ("cohen_kappa_score", {"labels": [2, 0]}),
    ("precision_score", {"average": "macro"}), ("recall_score", {"average": None}),
    ("f1_score", {"average": "weighted"}), ("fbeta_score", {"beta": 2, "average": "micro"}),
    ("jaccard_score", {"average": "macro", "labels": [0, 5]}),
    ("precision_recall_fscore_support", {}),
    ("multilabel_confusion_matrix", {"labels": [2, 1]}),
    ("classification_report", {"output_dict": True}), ("classification_report", {"digits": 3}),
    ("specificity_score", {"average": "macro"}), ("npv_score", {"average": None}),
    ("fpr_score", {"average": "weighted"}), ("fnr_score", {"average": "micro"}),
    ("mcc_score", {"average": None}),
]
BINARY_FROM_CALLS = [("class_likelihood_ratios", {}), ("binary_rates", {}),
                     ("f1_score", {}), ("specificity_score", {"pos_label": 0})]


def _same(got, expected):
    if isinstance(expected, tuple):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            _same(g, e)
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys()
        for key in expected:
            _same(got[key], expected[key])
    elif isinstance(expected, str):
        # Weighted supports print in full: compare the numbers to 1e-12.
        got_tokens, expected_tokens = got.split(), expected.split()
        assert len(got_tokens) == len(expected_tokens)
        for g, e in zip(got_tokens, expected_tokens):
            if g != e:
                assert float(g) == pytest.approx(float(e), rel=1e-12)
    elif expected is None:
        assert got is None
    elif isinstance(expected, cymetrics.BinaryRates):
        _same(got.as_dict(), expected.as_dict())
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15, equal_nan=True)


@pytest.mark.parametrize("weighted", [False, True], ids=["counts", "weighted"])
def test_from_confusion_equals_metric_on_targets(weighted):
    rng = np.random.default_rng(12)
    for i in range(6):
        n = 300
        k = 3 if i % 2 else 5
        y_true = rng.integers(0, k, n)
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, k, n))
        w = rng.random(n) if weighted else None
        cm = cymetrics.confusion_matrix(y_true, y_pred, sample_weight=w)
        for name, kw in FROM_CALLS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = cy(name)(y_true, y_pred, sample_weight=w, **kw)
                got = cymetrics.from_confusion(cm, name, **kw)
            _same(got, expected)
        yb, pb = y_true % 2, y_pred % 2
        cmb = cymetrics.confusion_matrix(yb, pb, sample_weight=w)
        for name, kw in BINARY_FROM_CALLS:
            _same(
                cymetrics.from_confusion(cmb, cy(name), **kw),
                cy(name)(yb, pb, sample_weight=w, **kw),
            )


def test_from_confusion_classes_and_multilabel_matrices():
    y_true = np.array(["cat", "dog", "cat", "bird", "dog", "cat"])
    y_pred = np.array(["cat", "cat", "cat", "bird", "dog", "dog"])
    cm = cymetrics.confusion_matrix(y_true, y_pred)
    classes = ["bird", "cat", "dog"]
    for kw in ({"average": None},
               {"labels": ["dog", "zebra"], "average": "macro", "zero_division": 0.0}):
        _same(cymetrics.from_confusion(cm, "f1_score", classes=classes, **kw),
              cymetrics.f1_score(y_true, y_pred, **kw))
    # classes in any order are sorted with the matrix
    order = [2, 0, 1]
    shuffled = cm[np.ix_(order, order)]
    _same(
        cymetrics.from_confusion(
            shuffled, "recall_score", classes=np.array(classes)[order], average=None
        ),
        cymetrics.recall_score(y_true, y_pred, average=None),
    )
    rng = np.random.default_rng(2)
    yt = (rng.random((100, 4)) < 0.4).astype(int)
    yp = np.where(rng.random((100, 4)) < 0.7, yt, 1 - yt)
    mcm = cymetrics.multilabel_confusion_matrix(yt, yp)
    for name, kw in [("f1_score", {"average": "macro", "zero_division": 0.0}),
                     ("jaccard_score", {"average": None}),
                     ("hamming_loss", {}), ("mcc_score", {"average": "micro"}),
                     ("specificity_score", {"average": "weighted", "labels": [3, 1]}),
                     ("multilabel_confusion_matrix", {})]:
        _same(cymetrics.from_confusion(mcm, name, **kw), cy(name)(yt, yp, **kw))


@pytest.mark.parametrize("cm,metric,kw,error", [
    ([[1, 2]], "f1_score", {}, ValueError),
    ([[1, -2], [0, 1]], "f1_score", {}, ValueError),
    ([["a"]], "f1_score", {}, ValueError),
    ([[1, 2], [3, 4]], "nope", {}, ValueError),
    ([[1, 2], [3, 4]], skm.f1_score, {"sample_weight": [1]}, TypeError),
    ([[1, 2], [3, 4]], "f1_score", {"bogus": 1}, TypeError),
    ([[1, 2], [3, 4]], "f1_score", {"average": "samples"}, ValueError),
    ([[1, 2], [3, 4]], "f1_score", {"classes": [0, 0]}, ValueError),
    (np.ones((3, 2, 2)), "accuracy_score", {}, ValueError),
    (np.ones((3, 2, 2)), "f1_score", {"average": "samples"}, ValueError),
    (np.ones((3, 2, 2)), "cohen_kappa_score", {}, ValueError),
    (np.array([[[1, 1], [1, 1]], [[2, 2], [2, 2]]]), "f1_score", {}, ValueError),
    (np.ones((3, 3, 2)), "f1_score", {"average": "macro"}, ValueError),
])
def test_from_confusion_bad_input(cm, metric, kw, error):
    with pytest.raises(error):
        cymetrics.from_confusion(cm, metric, **kw)


def test_weighted_true_negatives_free_of_rounding():
    """tn = total - tp - fp - fn cancels to rounding noise when no sample is a
    true negative: the rates must see 0 (undefined), not +-1e-15."""
    rng = np.random.default_rng(21)
    for _ in range(20):
        n = 50
        y_true = np.ones(n, dtype=int)
        y_pred = (rng.random(n) < 0.5).astype(int)
        w = rng.random(n)
        r = cymetrics.binary_rates(y_true, y_pred, sample_weight=w)
        assert r.tn == 0.0 or abs(r.tn) < 1e-12
        assert np.isnan(r.specificity) and np.isnan(r.fpr) and r.npv == 0.0
        assert np.isnan(r.mcc) and np.isnan(r.lr_minus)
        assert np.isnan(cymetrics.specificity_score(y_true, y_pred, sample_weight=w,
                                                    zero_division=np.nan))
        assert cymetrics.mcc_score(y_true, y_pred, sample_weight=w, zero_division=0.0) == 0.0
