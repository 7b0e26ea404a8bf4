"""DeLong inference for the ROC AUC: intervals, paired and unpaired tests,
and the covariance matrix of k models scored on the same samples.

The AUC is the mean of the placement values of either class (DeLong,
DeLong & Clarke-Pearson, 1988): a positive's placement ``V10`` is the
share of negatives scored below it (ties count half), a negative's ``V01``
the share of positives scored above it. With ``m`` positives and ``n``
negatives, ``Var(AUC) = S10 / m + S01 / n`` where ``S10`` and ``S01`` are
the sample variances of the placements. They come from one merge of the two
sorted classes (the fast algorithm of Sun & Xu, 2014, with runs of tied
scores in place of midranks): O(n log n) for the sorts, O(n) after, exact
under ties.

Weights are frequencies, as everywhere in cymetrics: every sum runs over
weights and ``m``, ``n`` are the class totals, so integer weights give the
result of repeating each sample that many times.
"""

import math
from typing import NamedTuple

import numpy as np

from cymetrics._inference._bootstrap import bootstrap_ci
from cymetrics._inference._intervals import Interval, normal_critical_value
from cymetrics._kernels import _inference
from cymetrics._ranking._binary import roc_auc_score
from cymetrics._ranking._sorted import sort_binary_scores
from cymetrics._shared._labels import curve_target
from cymetrics._shared._params import check_confidence, check_option, check_pos_label
from cymetrics._shared._special import normal_two_sided_pvalue
from cymetrics._shared._validation import (
    check_consistent_length,
    check_sample_weight,
    check_scores,
    raise_non_finite,
    to_array,
)

__all__ = [
    "DeLongCovariance",
    "DeLongTest",
    "delong_covariance",
    "delong_interval",
    "delong_test",
    "delong_test_unpaired",
    "positive_mask",
    "roc_auc_ci",
]


class DeLongTest(NamedTuple):
    """Result of `delong_test` / `delong_test_unpaired`.

    ``difference = auc_a - auc_b``; ``statistic`` is its z score and
    ``pvalue`` the two-sided p-value; ``low`` and ``high`` bound the
    difference at ``confidence``.
    """

    auc_a: float
    auc_b: float
    difference: float
    standard_error: float
    statistic: float
    pvalue: float
    low: float
    high: float
    confidence: float


class DeLongCovariance(NamedTuple):
    """AUCs of k models and the DeLong covariance matrix of their estimates."""

    auc: np.ndarray
    covariance: np.ndarray


def positive_mask(y_true, pos_label, func):
    """``y_true == positive class`` after checking that both classes occur.

    ``pos_label=None`` takes the greater label, as `roc_auc_score` does;
    multiclass ``y_true`` is accepted with an explicit ``pos_label`` (that
    class against the rest).
    """
    check_pos_label(pos_label, func)
    target = curve_target(y_true, pos_label)
    if pos_label is None:
        if target.classes.shape[0] < 2:
            _raise_one_class(func)
        pos_label = target.classes[1]
    is_pos = target.equals(pos_label)
    n_pos = int(np.count_nonzero(is_pos))
    if n_pos == 0 or n_pos == is_pos.shape[0]:
        _raise_one_class(func, pos_label)
    return is_pos


def _raise_one_class(func, pos_label=None):
    where = "" if pos_label is None else f" (pos_label={pos_label!r})"
    raise ValueError(
        f"Only one class is present in y_true{where}. {func} needs positive "
        "and negative samples."
    )


def _raise_too_few(func, n_pos, n_neg):
    raise ValueError(
        f"{func}: DeLong's variance needs at least two positive and two "
        "negative samples (a total weight above 1 in each class when "
        f"weighted); got {n_pos:g} positive and {n_neg:g} negative."
    )


def _delong_variance(sorted_scores, auc, func):
    """DeLong's ``Var(AUC)`` from a `SortedScores` (one merge, no argsort)."""
    s = sorted_scores
    if s.total_pos <= 1 or s.total_neg <= 1:
        _raise_too_few(func, s.total_pos, s.total_neg)
    ss10, ss01 = _inference.delong_sums(
        s.pos, s.neg, s.pos_w, s.neg_w, s.total_pos, s.total_neg, s.weighted, auc
    )
    s10 = ss10 / (s.total_pos - 1.0)
    s01 = ss01 / (s.total_neg - 1.0)
    return s10 / s.total_pos + s01 / s.total_neg


def _auc_variance(sorted_scores, func):
    """``(AUC, DeLong's Var(AUC))``; both classes need a positive weight."""
    if sorted_scores.total_pos <= 0 or sorted_scores.total_neg <= 0:
        _raise_too_few(func, sorted_scores.total_pos, sorted_scores.total_neg)
    auc = float(sorted_scores.roc_auc())
    return auc, _delong_variance(sorted_scores, auc, func)


def _delong_auc_variance(y_true, y_score, sample_weight, pos_label, func):
    is_pos = positive_mask(y_true, pos_label, func)
    return _auc_variance(sort_binary_scores(is_pos, y_score, sample_weight, counted=False),
                         func)


def delong_interval(sorted_scores, confidence, func):
    """DeLong's interval of the ROC AUC of a `SortedScores` (the core of
    `roc_auc_ci`, also fed from streaming states)."""
    auc, variance = _auc_variance(sorted_scores, func)
    se, low, high = _wald(auc, variance, confidence)
    return Interval(auc, low, high, se, confidence, "delong")


def _wald(estimate, variance, confidence, lo=0.0, hi=1.0):
    se = math.sqrt(max(variance, 0.0))
    z = normal_critical_value(confidence)
    return se, max(lo, estimate - z * se), min(hi, estimate + z * se)


def roc_auc_ci(
    y_true,
    y_score,
    *,
    confidence=0.95,
    method="delong",
    sample_weight=None,
    pos_label=None,
    n_resamples=2000,
    bootstrap_method="percentile",
    stratified=True,
    random_state=None,
    n_jobs=None,
):
    """ROC AUC with its standard error and confidence interval.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    confidence : float in (0, 1), default=0.95
        Confidence level.
    method : {'delong', 'bootstrap'}, default='delong'
        'delong': the asymptotic normal interval ``auc +- z se`` (clipped to
        [0, 1]) with DeLong's standard error, computed in O(n log n) (Sun &
        Xu, 2014) and exact under ties. 'bootstrap': `bootstrap_ci` of
        `roc_auc_score` (the options below apply).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative frequency weights.
    pos_label : int, float, bool or str, default=None
        The positive class; None takes the greater label, as
        `roc_auc_score` does.
    n_resamples : int, default=2000
        Bootstrap only: number of resamples.
    bootstrap_method : {'percentile', 'bca'}, default='percentile'
        Bootstrap only: interval type.
    stratified : bool, default=True
        Bootstrap only: resample within each class.
    random_state : None, int, numpy.random.Generator or RandomState, default=None
        Bootstrap only: seed of the resamples.
    n_jobs : int, default=None
        Bootstrap only: threads (None: every core).

    Returns
    -------
    Interval
        ``estimate`` (equal to `roc_auc_score`), ``low``, ``high``,
        ``standard_error``, ``confidence`` and ``method``.

    Raises
    ------
    ValueError
        If ``y_true`` holds one class, or (DeLong) fewer than two samples of
        a class.

    Examples
    --------
    >>> from cymetrics import roc_auc_ci
    >>> y_true = [0, 0, 1, 1, 0, 1, 0, 1]
    >>> y_score = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.6, 0.9]
    >>> ci = roc_auc_ci(y_true, y_score)
    >>> round(ci.estimate, 4), round(ci.standard_error, 4)
    (0.875, 0.1443)
    >>> round(ci.low, 4), round(ci.high, 4)
    (0.5921, 1.0)
    """
    func = "roc_auc_ci"
    confidence = check_confidence(confidence, func)
    check_option("method", method, ("delong", "bootstrap"), func)
    if method == "bootstrap":
        is_pos = positive_mask(y_true, pos_label, func)
        result = bootstrap_ci(
            roc_auc_score, is_pos.view(np.uint8), y_score,
            n_resamples=n_resamples, confidence=confidence, method=bootstrap_method,
            stratified=stratified, random_state=random_state,
            sample_weight=sample_weight, n_jobs=n_jobs,
        )
        return Interval(result.estimate, result.low, result.high, result.standard_error,
                        confidence, f"bootstrap-{bootstrap_method}")
    is_pos = positive_mask(y_true, pos_label, func)
    sorted_scores = sort_binary_scores(is_pos, y_score, sample_weight, counted=False)
    return delong_interval(sorted_scores, confidence, func)


# ---------------------------------------------------------------------------
# Several models on the same samples
# ---------------------------------------------------------------------------
def _class_placements(scores, is_pos, w, v10, v01):
    """Fill one model's placement values (per sample, class order kept);
    return its AUC."""
    pos, neg = scores[is_pos], scores[~is_pos]
    if not (np.isfinite(pos).all() and np.isfinite(neg).all()):
        raise_non_finite(scores, "y_score")
    # Tied scores get one placement value: any (fast, unstable) order works.
    pos_order = np.argsort(pos)
    neg_order = np.argsort(neg)
    if w is None:
        pos_w = neg_w = np.empty(0)
        total_pos, total_neg, weighted = float(pos.shape[0]), float(neg.shape[0]), False
    else:
        pos_w, neg_w = w[is_pos][pos_order], w[~is_pos][neg_order]
        total_pos, total_neg, weighted = float(pos_w.sum()), float(neg_w.sum()), True
    return _inference.delong_placements(
        np.ascontiguousarray(pos[pos_order]), np.ascontiguousarray(neg[neg_order]),
        pos_w, neg_w, total_pos, total_neg, weighted,
        pos_order.astype(np.int64, copy=False), neg_order.astype(np.int64, copy=False),
        v10, v01,
    )


def _weighted_covariance(v, w, total):
    """``sum_i w_i (v_i - mean)(v_i - mean)^T / (total - 1)`` over columns i."""
    if w is None:
        d = v - v.mean(axis=1)[:, None]
        cov = (d @ d.T) / (total - 1.0)
    else:
        d = v - ((v @ w) / total)[:, None]
        cov = ((d * w) @ d.T) / (total - 1.0)
    # (d w) d^T rounds differently above and below the diagonal.
    return 0.5 * (cov + cov.T)


def _delong_matrix(y_true, scores_list, sample_weight, pos_label, func):
    """``(aucs, covariance)`` of the models whose scores are in ``scores_list``."""
    is_pos = positive_mask(y_true, pos_label, func)
    checked = []
    for s in scores_list:
        s = check_scores(s)[0]
        check_consistent_length(is_pos, s)
        checked.append(s)
    w = check_sample_weight(sample_weight, is_pos.shape[0])
    n_pos = int(np.count_nonzero(is_pos))
    n_neg = is_pos.shape[0] - n_pos
    total_pos, total_neg = (float(n_pos), float(n_neg)) if w is None else (
        float(w[is_pos].sum()), float(w[~is_pos].sum()))
    if total_pos <= 1 or total_neg <= 1:
        _raise_too_few(func, total_pos, total_neg)
    k = len(checked)
    v10 = np.empty((k, n_pos))
    v01 = np.empty((k, n_neg))
    auc = np.array([_class_placements(s, is_pos, w, v10[m], v01[m])
                    for m, s in enumerate(checked)])
    s10 = _weighted_covariance(v10, None if w is None else w[is_pos], total_pos)
    s01 = _weighted_covariance(v01, None if w is None else w[~is_pos], total_neg)
    return auc, s10 / total_pos + s01 / total_neg


def delong_covariance(y_true, y_scores, *, sample_weight=None, pos_label=None):
    """AUCs of k models and DeLong's covariance matrix of the estimates.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_scores : array-like of shape (n_samples, n_models)
        One column of scores per model, on the same samples.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative frequency weights.
    pos_label : int, float, bool or str, default=None
        The positive class; None takes the greater label.

    Returns
    -------
    DeLongCovariance
        ``auc`` of shape (n_models,) and ``covariance`` of shape
        (n_models, n_models); a contrast ``c`` of the AUCs has variance
        ``c @ covariance @ c``.

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import delong_covariance
    >>> y = [0, 0, 1, 1, 0, 1, 0, 1]
    >>> scores = np.array([[0.1, 0.2], [0.4, 0.1], [0.35, 0.5], [0.8, 0.7],
    ...                    [0.2, 0.3], [0.7, 0.4], [0.6, 0.6], [0.9, 0.8]])
    >>> res = delong_covariance(y, scores)
    >>> res.auc
    array([0.875, 0.875])
    >>> res.covariance.shape
    (2, 2)
    """
    func = "delong_covariance"
    scores = to_array(y_scores, "y_scores")
    if scores.ndim != 2 or scores.shape[1] < 1:
        raise ValueError(
            "y_scores must be a 2-D array of shape (n_samples, n_models); got "
            f"shape {getattr(scores, 'shape', None)}."
        )
    auc, cov = _delong_matrix(y_true, list(scores.T), sample_weight, pos_label, func)
    return DeLongCovariance(auc, cov)


def _test_result(auc_a, auc_b, variance, confidence):
    difference = auc_a - auc_b
    se = math.sqrt(max(variance, 0.0))
    if se > 0:
        z = difference / se
    else:
        # Both AUCs are known without error: equal (z = 0), or not at all.
        z = 0.0 if difference == 0 else math.copysign(math.inf, difference)
    pvalue = normal_two_sided_pvalue(z)
    zc = normal_critical_value(confidence)
    low = max(-1.0, difference - zc * se)
    high = min(1.0, difference + zc * se)
    return DeLongTest(auc_a, auc_b, difference, se, z, pvalue, low, high, confidence)


def delong_test(y_true, y_score_a, y_score_b, *, sample_weight=None, pos_label=None,
                confidence=0.95):
    """DeLong's test for two correlated ROC AUCs (two models, same samples).

    ``Var(A - B) = Var(A) + Var(B) - 2 Cov(A, B)`` from the placement values
    of both models (DeLong et al., 1988), in O(n log n).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score_a, y_score_b : array-like of shape (n_samples,)
        The two models' scores for the same samples.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative frequency weights.
    pos_label : int, float, bool or str, default=None
        The positive class; None takes the greater label.
    confidence : float in (0, 1), default=0.95
        Confidence level of the interval of the difference.

    Returns
    -------
    DeLongTest
        ``auc_a``, ``auc_b``, ``difference``, ``standard_error``,
        ``statistic`` (z), two-sided ``pvalue``, ``low``, ``high``,
        ``confidence``.

    Examples
    --------
    >>> from cymetrics import delong_test
    >>> y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    >>> a = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.6, 0.9, 0.55, 0.3]
    >>> b = [0.2, 0.1, 0.5, 0.7, 0.3, 0.4, 0.6, 0.8, 0.35, 0.45]
    >>> res = delong_test(y, a, b)
    >>> round(res.difference, 2), round(res.pvalue, 4)
    (0.08, 0.5791)
    """
    func = "delong_test"
    confidence = check_confidence(confidence, func)
    pair = []
    for name, s in (("y_score_a", y_score_a), ("y_score_b", y_score_b)):
        s = to_array(s, name)
        if s.ndim != 1:
            raise ValueError(f"{name} must be 1-D; got shape {s.shape}.")
        pair.append(s)
    y_score_a, y_score_b = pair
    if len(y_score_a) != len(y_score_b):
        raise ValueError(
            "y_score_a and y_score_b must score the same samples; got lengths "
            f"{len(y_score_a)} and {len(y_score_b)}."
        )
    auc, cov = _delong_matrix(y_true, [y_score_a, y_score_b], sample_weight, pos_label, func)
    variance = cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1]
    return _test_result(float(auc[0]), float(auc[1]), variance, confidence)


def delong_test_unpaired(y_true_a, y_score_a, y_true_b, y_score_b, *,
                         sample_weight_a=None, sample_weight_b=None, pos_label=None,
                         confidence=0.95):
    """Test of two ROC AUCs measured on independent samples.

    ``z = (A - B) / sqrt(Var(A) + Var(B))`` with DeLong's variances.

    Parameters
    ----------
    y_true_a, y_score_a : array-like of shape (n_samples_a,)
        Labels and scores of the first sample.
    y_true_b, y_score_b : array-like of shape (n_samples_b,)
        Labels and scores of the second, independent sample.
    sample_weight_a, sample_weight_b : array-like, default=None
        Non-negative frequency weights of each sample.
    pos_label : int, float, bool or str, default=None
        The positive class of both samples; None takes the greater label.
    confidence : float in (0, 1), default=0.95
        Confidence level of the interval of the difference.

    Returns
    -------
    DeLongTest
        As `delong_test`.

    Examples
    --------
    >>> from cymetrics import delong_test_unpaired
    >>> res = delong_test_unpaired([0, 0, 1, 1, 0, 1], [0.1, 0.3, 0.7, 0.9, 0.4, 0.8],
    ...                            [0, 1, 0, 1, 1, 0], [0.2, 0.6, 0.5, 0.4, 0.9, 0.1])
    >>> round(res.difference, 4), round(res.pvalue, 4)
    (0.1111, 0.4795)
    """
    func = "delong_test_unpaired"
    confidence = check_confidence(confidence, func)
    auc_a, var_a = _delong_auc_variance(y_true_a, y_score_a, sample_weight_a, pos_label, func)
    auc_b, var_b = _delong_auc_variance(y_true_b, y_score_b, sample_weight_b, pos_label, func)
    return _test_result(auc_a, auc_b, var_a + var_b, confidence)
