"""``cymetrics.sklearn.make_scorer / get_scorer / check_scoring``: scikit-learn's
scorers around cymetrics' functions, without patching anything."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import sklearn.metrics
from sklearn.linear_model import LogisticRegression

import cymetrics
from cymetrics.sklearn import check_scoring, get_scorer, is_patched, make_scorer
from cymetrics.sklearn._drop_ins import TWINS


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + rng.normal(size=120) > 0).astype(int)
    return LogisticRegression().fit(X, y), X, y


def _is_classification_scorer(name):
    scorer = sklearn.metrics.get_scorer(name)
    return TWINS.get(scorer._score_func) is not None if hasattr(scorer, "_score_func") else False


SCORER_NAMES = [n for n in sklearn.metrics.get_scorer_names() if _is_classification_scorer(n)]


@pytest.mark.filterwarnings("ignore:'k' \\(2\\) greater than")
@pytest.mark.parametrize("name", SCORER_NAMES)
def test_get_scorer_calls_the_drop_in_and_scores_the_same(name, fitted, calls):
    model, X, y = fitted
    expected = sklearn.metrics.get_scorer(name)
    scorer = get_scorer(name)
    assert scorer._score_func is TWINS[expected._score_func]
    assert repr(scorer) == repr(expected)
    if name.endswith("_samples"):  # multilabel only: the same refusal
        with pytest.raises(ValueError, match="Samplewise metrics are not available"):
            expected(model, X, y)
        with pytest.raises(ValueError, match="Samplewise metrics are not available"):
            scorer(model, X, y)
        return
    with calls() as seen:
        value = scorer(model, X, y)
    assert not is_patched()
    assert (scorer._score_func.__module__, scorer._score_func.__name__) in seen
    assert value == pytest.approx(expected(model, X, y), rel=1e-12)


def test_get_scorer_passes_callables_and_none_through():
    scorer = sklearn.metrics.make_scorer(sklearn.metrics.f1_score)
    assert get_scorer(scorer) is scorer
    assert get_scorer(None) is None
    with pytest.raises(ValueError, match="'nope' is not a valid scoring value"):
        get_scorer("nope")
    # A scorer of a metric cymetrics does not provide is scikit-learn's own.
    assert get_scorer("r2")._score_func is sklearn.metrics.r2_score


@pytest.mark.parametrize("metric", [sklearn.metrics.fbeta_score, cymetrics.fbeta_score])
def test_make_scorer(metric, fitted):
    model, X, y = fitted
    scorer = make_scorer(metric, beta=2, response_method="predict")
    expected = sklearn.metrics.make_scorer(sklearn.metrics.fbeta_score, beta=2)
    assert scorer._score_func is cymetrics.fbeta_score
    assert repr(scorer) == repr(expected)
    assert scorer(model, X, y) == pytest.approx(expected(model, X, y), rel=1e-12)
    assert str(inspect.signature(make_scorer)) == str(inspect.signature(
        sklearn.metrics.make_scorer))
    loss = make_scorer(sklearn.metrics.log_loss, greater_is_better=False,
                       response_method="predict_proba")
    assert loss(model, X, y) == pytest.approx(
        -cymetrics.log_loss(y, model.predict_proba(X)), rel=1e-12)
    other = make_scorer(sklearn.metrics.r2_score)
    assert other._score_func is sklearn.metrics.r2_score


@pytest.mark.parametrize("scoring", [
    "roc_auc", ["roc_auc", "f1"], ("accuracy",), {"precision"},
], ids=["str", "list", "tuple", "set"])
def test_check_scoring_resolves_names_to_drop_ins(scoring, fitted):
    model, X, y = fitted
    expected = sklearn.metrics.check_scoring(model, scoring)(model, X, y)
    got = check_scoring(model, scoring)
    scorers = got._scorers.values() if not isinstance(scoring, str) else [got]
    assert all(s._score_func.__module__.startswith("cymetrics.") for s in scorers)
    assert got(model, X, y) == pytest.approx(expected, rel=1e-12)


def test_check_scoring_keeps_callables_and_defaults(fitted):
    model, X, y = fitted
    mine = sklearn.metrics.make_scorer(sklearn.metrics.recall_score)
    multi = check_scoring(model, {"mine": mine})
    assert multi._scorers["mine"] is mine
    assert check_scoring(model, mine) is mine
    assert check_scoring(model)(model, X, y) == model.score(X, y)
    assert check_scoring(None, allow_none=True) is None


@pytest.mark.parametrize("metric", [sklearn.metrics.f1_score, cymetrics.f1_score],
                         ids=["scikit-learn", "cymetrics"])
def test_check_scoring_refuses_metric_functions(metric):
    with pytest.raises(ValueError, match="looks like it is a metric function rather than a "
                                         "scorer.*Please use `make_scorer`"):
        check_scoring(LogisticRegression(), metric)
