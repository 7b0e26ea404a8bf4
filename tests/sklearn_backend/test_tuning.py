"""Threshold tuning under the patch: one sorted sweep, the same scores.

``_CurveScorer`` (what ``TunedThresholdClassifierCV`` scores with) must give,
patched, the scores of its unpatched per-threshold calls to 1e-12 -- and the
same chosen threshold -- while calling no metric per threshold when the
metric has a binary plan.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import make_scorer
from sklearn.metrics._scorer import _CurveScorer
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.tree import DecisionTreeClassifier

import cymetrics
from cymetrics.sklearn import patched
from cymetrics.sklearn._tuning import curve_scores

RTOL = 1e-12


def _dataset(kind, n=200, seed=0):
    """``(X, y, (positive, negative))``: informative features, imbalanced classes."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + 0.8 * X[:, 1] + rng.normal(size=n) > 0.9).astype(int)
    if kind == "str":
        return X, np.where(y == 1, "pos", "neg"), ("pos", "neg")
    if kind == "pm1":
        return X, 2 * y - 1, (1, -1)
    return X, y, (1, 0)


# scorer name -> (scorer factory given the (positive, negative) labels, fast path expected)
SCORERS = {
    "f1": (lambda p, n: make_scorer(sklearn.metrics.f1_score, pos_label=p), True),
    "precision-zd1": (lambda p, n: make_scorer(sklearn.metrics.precision_score, pos_label=p,
                                            zero_division=1), True),
    "precision-warn": (lambda p, n: make_scorer(sklearn.metrics.precision_score, pos_label=p),
                       True),
    "recall": (lambda p, n: make_scorer(sklearn.metrics.recall_score, pos_label=p), True),
    "fbeta2": (lambda p, n: make_scorer(sklearn.metrics.fbeta_score, beta=2, pos_label=p), True),
    "jaccard": (lambda p, n: make_scorer(sklearn.metrics.jaccard_score, pos_label=p), True),
    "balanced_accuracy": (lambda p, n: sklearn.metrics.get_scorer("balanced_accuracy"), True),
    "accuracy": (lambda p, n: sklearn.metrics.get_scorer("accuracy"), True),
    "matthews": (lambda p, n: sklearn.metrics.get_scorer("matthews_corrcoef"), True),
    "zero_one_loss": (lambda p, n: make_scorer(sklearn.metrics.zero_one_loss,
                                            greater_is_better=False), True),
    "cymetrics-specificity": (lambda p, n: make_scorer(cymetrics.specificity_score, pos_label=p),
                              True),
    # The negative class as the metric's positive one: the counts turn around.
    "f1-other-class": (lambda p, n: make_scorer(sklearn.metrics.f1_score, pos_label=n), True),
    # No binary plan: scikit-learn's own loop over the thresholds.
    "f1-macro": (lambda p, n: make_scorer(sklearn.metrics.f1_score, average="macro",
                                          pos_label=p), False),
}


def _curve_scores(scorer, model, X, y, thresholds, **kwargs):
    """The scores, thresholds and warnings of the curve scorer of ``scorer``."""
    curve = _CurveScorer.from_scorer(scorer, "predict_proba", thresholds)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        scores, candidates = curve(model, X, y, **kwargs)
    return scores, candidates, sorted({(w.category.__name__, str(w.message)) for w in record})


@pytest.mark.parametrize("kind, model, weighted, thresholds", [
    ("01", "logistic", False, 25), ("str", "logistic", True, "grid"),
    ("pm1", "tree", True, 25), ("01", "tree", False, "grid"),
], ids=["01-logistic", "str-logistic-weighted-grid", "pm1-tree-weighted", "01-tree-grid"])
@pytest.mark.parametrize("name", sorted(SCORERS))
def test_curve_scorer_matches_per_threshold_calls(name, kind, model, weighted, thresholds,
                                                  calls):
    X, y, labels = _dataset(kind)
    # A shallow tree scores with many ties.
    estimator = (LogisticRegression() if model == "logistic"
                 else DecisionTreeClassifier(max_depth=3, random_state=0)).fit(X, y)
    make, fast = SCORERS[name]
    scorer = make(*labels)
    if thresholds == "grid":  # beyond the scores both ways, repeated, unordered, inf
        thresholds = np.r_[np.linspace(1.2, -0.2, 15), 0.5, 0.5, np.inf, -np.inf]
    kwargs = {}
    if weighted:
        rng = np.random.default_rng(1)
        kwargs["sample_weight"] = np.where(rng.random(y.shape[0]) < 0.2, 0.0,
                                           rng.integers(1, 4, y.shape[0]) / 2)
    expected, expected_thresholds, expected_warnings = _curve_scores(
        scorer, estimator, X, y, thresholds, **kwargs)
    with patched(), calls() as seen:
        got, got_thresholds, got_warnings = _curve_scores(
            scorer, estimator, X, y, thresholds, **kwargs)
    np.testing.assert_array_equal(got_thresholds, expected_thresholds)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0)
    metric = cymetrics.sklearn._drop_ins.twin(scorer._score_func) or scorer._score_func
    assert ((metric.__module__, metric.__name__) not in seen) == fast
    # Warning classes and messages (not their count: one per threshold before).
    assert [m for _, m in got_warnings] == [m for _, m in expected_warnings]


@pytest.mark.parametrize("scoring, seed", [
    ("f1", 0), ("balanced_accuracy", 1), ("precision", 2), ("recall", 3)])
def test_tuned_threshold_classifier_same_choice(scoring, seed):
    X, y, _ = _dataset("01", n=400, seed=seed)
    kw = dict(scoring=scoring, cv=3, thresholds=50, store_cv_results=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined precision at the highest thresholds
        expected = TunedThresholdClassifierCV(LogisticRegression(), **kw).fit(X, y)
        with patched():
            got = TunedThresholdClassifierCV(LogisticRegression(), **kw).fit(X, y)
    assert got.best_threshold_ == expected.best_threshold_
    assert got.best_score_ == pytest.approx(expected.best_score_, rel=RTOL, abs=0)
    np.testing.assert_allclose(got.cv_results_["scores"], expected.cv_results_["scores"],
                               rtol=RTOL, atol=0)


def _labels_and_scores():
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    return y, np.linspace(0.1, 0.9, 8)


@pytest.mark.parametrize("case", [
    "three-classes", "one-class", "labels-not-classes", "nan-score", "nan-threshold",
    "2d-scores", "labels-param", "unknown-metric", "metric-pos-label-absent",
    "negative-weight", "weights-length", "object-thresholds",
])
def test_curve_scores_declines_what_it_cannot_reproduce(case):
    """None: the caller takes scikit-learn's per-threshold path."""
    y, s = _labels_and_scores()
    args = dict(score_func=sklearn.metrics.f1_score, params={}, y_true=y, y_score=s,
                thresholds=np.array([0.2, 0.5]), classes=np.array([0, 1]), pos_label=None)
    changes = {
        "three-classes": dict(y_true=np.r_[y[:-1], 2]),
        "one-class": dict(y_true=np.ones(8, dtype=int)),
        "labels-not-classes": dict(classes=np.array([1, 2])),
        "nan-score": dict(y_score=np.r_[s[:-1], np.nan]),
        "nan-threshold": dict(thresholds=np.array([0.2, np.nan])),
        "2d-scores": dict(y_score=np.c_[1 - s, s]),
        "labels-param": dict(params={"labels": [0, 1]}),
        "unknown-metric": dict(score_func=lambda y_true, y_pred: 0.0),
        "metric-pos-label-absent": dict(params={"pos_label": 7}),
        "negative-weight": dict(params={"sample_weight": np.r_[-1.0, np.ones(7)]}),
        "weights-length": dict(params={"sample_weight": np.ones(5)}),
        "object-thresholds": dict(thresholds=np.array([0.2, "a"], dtype=object)),
    }
    args.update(changes[case])
    assert curve_scores(**args) is None


def test_curve_scores_orientation():
    y, s = _labels_and_scores()
    thresholds = np.array([0.0, 0.35, 0.62, 2.0])
    for pos_label, metric_pos in [(None, 1), (1, 1), (0, 0), (0, 1), (1, 0)]:
        got = curve_scores(sklearn.metrics.f1_score, {"pos_label": metric_pos,
                                                      "zero_division": 0.0},
                           y, s, thresholds, np.array([0, 1]), pos_label)
        predicted = 1 if pos_label is None else pos_label
        expected = [sklearn.metrics.f1_score(y, np.where(s >= t, predicted, 1 - predicted),
                                             pos_label=metric_pos, zero_division=0.0)
                    for t in thresholds]
        np.testing.assert_allclose(got, expected, rtol=RTOL)
