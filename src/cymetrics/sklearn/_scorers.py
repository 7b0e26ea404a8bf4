"""scikit-learn scorers around cymetrics functions, without patching anything.

``import cymetrics as metrics`` leaves code that also calls
``metrics.make_scorer``, ``metrics.get_scorer`` or ``metrics.check_scoring``
without them; these three are scikit-learn's, with every scikit-learn metric
that cymetrics provides replaced by its drop-in (`twin`) in the scorers they
build. Scorer names resolve to cymetrics; scorer objects passed in are
returned unchanged (their owner built them).
"""

import copy

import sklearn.metrics

from cymetrics.sklearn._drop_ins import twin

__all__ = ["check_scoring", "get_scorer", "make_scorer"]


def _with_drop_in(scorer):
    """A copy of a scikit-learn scorer calling the drop-in of its metric."""
    drop_in = twin(scorer._score_func)
    if drop_in is None or drop_in is scorer._score_func:
        return scorer
    scorer = copy.deepcopy(scorer)
    scorer._score_func = drop_in
    return scorer


def make_scorer(score_func, *, response_method="predict", greater_is_better=True, **kwargs):
    """``sklearn.metrics.make_scorer``, with cymetrics' drop-in for a scikit-learn metric.

    Parameters
    ----------
    score_func : callable
        A metric ``score_func(y_true, y_pred, **kwargs)``; a scikit-learn
        function that cymetrics provides is replaced by cymetrics' own.
    response_method : {'predict_proba', 'decision_function', 'predict'} or list of them, \
default='predict'
        The estimator's method whose output the metric reads.
    greater_is_better : bool, default=True
        Whether higher values are better (else the scorer negates them).
    **kwargs
        Keyword parameters of ``score_func``.

    Returns
    -------
    scorer : callable
        A scikit-learn scorer, ``scorer(estimator, X, y_true)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.metrics import fbeta_score
    >>> from cymetrics.sklearn import make_scorer
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
    >>> scorer = make_scorer(fbeta_score, beta=2)
    >>> scorer
    make_scorer(fbeta_score, response_method='predict', beta=2)
    >>> scorer._score_func.__module__
    'cymetrics._classification._metrics'
    >>> float(scorer(LogisticRegression().fit(X, y), X, y))
    1.0
    """
    drop_in = twin(score_func)
    return sklearn.metrics.make_scorer(
        score_func if drop_in is None else drop_in, response_method=response_method,
        greater_is_better=greater_is_better, **kwargs)


def get_scorer(scoring):
    """``sklearn.metrics.get_scorer``, with cymetrics' drop-in in a named scorer.

    Parameters
    ----------
    scoring : str, callable or None
        A scorer name (``sklearn.metrics.get_scorer_names()``), returned as a
        new scorer calling cymetrics' drop-in where there is one; a callable
        or None is returned as it is.

    Returns
    -------
    scorer : callable or None

    Examples
    --------
    >>> from cymetrics.sklearn import get_scorer
    >>> get_scorer("roc_auc")
    make_scorer(roc_auc_score, response_method=('decision_function', 'predict_proba'))
    >>> get_scorer("roc_auc")._score_func.__module__
    'cymetrics._ranking._binary'
    """
    scorer = sklearn.metrics.get_scorer(scoring)
    if isinstance(scoring, str):
        scorer = _with_drop_in(scorer)
    return scorer


def check_scoring(estimator=None, scoring=None, *, allow_none=False, raise_exc=True):
    """``sklearn.metrics.check_scoring``, with cymetrics' drop-ins in named scorers.

    Parameters
    ----------
    estimator : estimator object or None, default=None
        The estimator to score.
    scoring : str, callable, list, tuple, set, dict or None, default=None
        As in scikit-learn: a scorer name or callable, several of them, or
        None for the estimator's ``score``. Scorer names resolve to scorers
        calling cymetrics' drop-ins.
    allow_none : bool, default=False
        Return None (instead of raising) when ``scoring`` is None and the
        estimator has no ``score``.
    raise_exc : bool, default=True
        For several scorers: whether a failing scorer raises (else its
        result is the formatted exception).

    Returns
    -------
    scoring : callable or None
        ``scoring(estimator, X, y)``.

    Raises
    ------
    ValueError
        For a metric function (of scikit-learn or cymetrics) given where a
        scorer is expected, or an unknown scorer name.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from cymetrics.sklearn import check_scoring
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
    >>> model = LogisticRegression().fit(X, y)
    >>> scores = check_scoring(model, ["accuracy", "roc_auc"])(model, X, y)
    >>> {name: float(value) for name, value in scores.items()}
    {'accuracy': 1.0, 'roc_auc': 1.0}
    """
    if callable(scoring) and twin(scoring) is not None:
        # scikit-learn refuses its own metric functions here; so do we ours.
        raise ValueError(
            f"scoring value {scoring!r} looks like it is a metric function rather than a "
            "scorer. A scorer should require an estimator as its first parameter. Please "
            "use `make_scorer` to convert a metric to a scorer."
        )
    scorer = sklearn.metrics.check_scoring(estimator, scoring, allow_none=allow_none,
                                           raise_exc=raise_exc)
    # Names: a str, or a list/tuple/set of them (a dict maps names to
    # callables, which are returned as they are).
    if isinstance(scoring, str):
        return _with_drop_in(scorer)
    if isinstance(scoring, (list, tuple, set)):
        scorer._scorers = {key: _with_drop_in(s) for key, s in scorer._scorers.items()}
    return scorer
