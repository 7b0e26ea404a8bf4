"""Threshold selection from one sorted sweep of binary scores.

Every function here sorts each class once (`sort_binary_scores`) and reads
the cumulative counts of `SortedScores.curve` -- one point per distinct
score, a sample predicted positive when ``score >= threshold`` as in
`roc_curve` -- plus the point at ``threshold = inf`` where nothing is
predicted positive (`with_origin`). Criteria and constraints are then
vectorized over those points; confusion-derived metrics are evaluated on all
of them at once through their plans (`binary_plan`).

Ties between candidate thresholds are broken towards the better constrained
metric, then towards the highest threshold.
"""

import math
from typing import NamedTuple

import numpy as np

from cymetrics._classification._batch import oriented_counts
from cymetrics._classification._registry import binary_plan
from cymetrics._ranking._curves import with_origin
from cymetrics._ranking._sorted import sort_binary_scores
from cymetrics._shared._labels import binary_positive_mask
from cymetrics._shared._params import (
    check_array_like,
    check_callable,
    check_option,
    check_pos_label,
    check_real,
    invalid,
)
from cymetrics._shared._validation import (
    as_numbers,
    check_consistent_length,
    check_not_empty,
    check_sample_weight,
    column_or_1d,
    raise_non_finite,
    scale_free,
)

__all__ = [
    "OperatingPoint",
    "ThresholdMetrics",
    "best_threshold",
    "metric_at_thresholds",
    "metrics_at_thresholds",
    "precision_at_recall",
    "recall_at_precision",
    "sensitivity_at_specificity",
    "specificity_at_sensitivity",
]


class OperatingPoint(NamedTuple):
    """A chosen threshold and the value it achieves.

    Predict positive when ``score >= threshold``; ``inf`` means predict
    nothing positive.
    """

    value: float
    threshold: float


class _Points(NamedTuple):
    """Candidate operating points, thresholds decreasing, ``inf`` first."""

    tp: np.ndarray
    fp: np.ndarray
    thresholds: np.ndarray
    total_pos: float
    total_neg: float


def _operating_points(y_true, y_score, pos_label, sample_weight, func):
    check_pos_label(pos_label, func)
    sorted_scores = sort_binary_scores(binary_positive_mask(y_true, pos_label), y_score,
                                       sample_weight)
    total_pos, total_neg = sorted_scores.total_pos, sorted_scores.total_neg
    if total_pos <= 0 or total_neg <= 0:
        which = "positive" if total_pos <= 0 else "negative"
        raise ValueError(
            f"No {which} samples (with non-zero weight) in y_true: {func} needs "
            "both classes."
        )
    fps, tps, thresholds = sorted_scores.points(origin=True)
    return _Points(tps, fps, thresholds, total_pos, total_neg)


def _pick(primary, secondary, thresholds, feasible=None):
    """Index maximizing ``primary``, then ``secondary``, then the threshold."""
    keys = (thresholds, secondary, primary)
    if feasible is not None:
        candidates = np.flatnonzero(feasible)
        keys = tuple(k[candidates] for k in keys)
        return int(candidates[np.lexsort(keys)[-1]])
    return int(np.lexsort(keys)[-1])


def _result(value, points, k):
    return OperatingPoint(float(value[k]), float(points.thresholds[k]))


_CRITERIA = ("youden", "f1", "fbeta", "cost", "closest_topleft")


def _check_nonnegative(name, value, func):
    return float(check_real(name, value, func, 0.0, math.inf, closed="left"))


def best_threshold(y_true, y_score, *, criterion="youden", beta=1.0, cost_fp=1.0,
                   cost_fn=1.0, pos_label=None, sample_weight=None):
    """The threshold that optimizes a criterion, from one sweep.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels; both classes must occur.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    criterion : {'youden', 'f1', 'fbeta', 'cost', 'closest_topleft'}, default='youden'
        'youden' maximizes ``tpr - fpr`` (Youden's J); 'f1' and 'fbeta'
        maximize F1 / F-beta; 'cost' minimizes the mean cost per sample
        ``(cost_fp fp + cost_fn fn) / n``; 'closest_topleft' minimizes the
        distance ``sqrt(fpr^2 + (1 - tpr)^2)`` to the corner (0, 1).
    beta : float, default=1.0
        The beta of 'fbeta'.
    cost_fp, cost_fn : float, default=1.0
        Costs of a false positive and a false negative for 'cost'.
    pos_label : int, float, bool or str, default=None
        The positive class; None means 1 for {0, 1} or {-1, 1} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    OperatingPoint
        ``value`` of the criterion and the ``threshold`` (predict positive
        when ``score >= threshold``); among equally good thresholds, the
        highest.

    Examples
    --------
    >>> from cymetrics import best_threshold
    >>> y_true = [0, 0, 1, 1, 0, 1]
    >>> y_score = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7]
    >>> best_threshold(y_true, y_score)
    OperatingPoint(value=0.6666666666666666, threshold=0.7)
    >>> best_threshold(y_true, y_score, criterion="f1")
    OperatingPoint(value=0.8571428571428571, threshold=0.35)
    """
    func = "best_threshold"
    check_option("criterion", criterion, _CRITERIA, func)
    beta = _check_nonnegative("beta", beta, func)
    cost_fp = _check_nonnegative("cost_fp", cost_fp, func)
    cost_fn = _check_nonnegative("cost_fn", cost_fn, func)
    pts = _operating_points(y_true, y_score, pos_label, sample_weight, func)
    # Scale-free (exact): the keys multiply two weighted counts.
    tp, fp, p, n = scale_free(pts.tp, pts.fp, pts.total_pos, pts.total_neg)
    fn = p - tp
    # Each criterion is ranked by a key that is exact for integer counts
    # (below 2**53), so thresholds that tie mathematically tie here too.
    if criterion == "youden":
        key = tp * n - fp * p
        value = key / (p * n)
    elif criterion in ("f1", "fbeta"):
        b2 = 1.0 if criterion == "f1" else beta * beta
        key = value = (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp)
    elif criterion == "cost":
        key = -(cost_fp * fp + cost_fn * fn)
        value = -key / (p + n)
    else:
        key = -((fp * p) ** 2 + (fn * n) ** 2)
        value = np.sqrt(-key) / (p * n)
    k = _pick(key, np.zeros_like(key), pts.thresholds)
    return _result(value, pts, k)


def _check_bound(name, value, func):
    return float(check_real(name, value, func, 0.0, 1.0))


def _constrained(func, name, bound, y_true, y_score, pos_label, sample_weight, pick):
    bound = _check_bound(name, bound, func)
    pts = _operating_points(y_true, y_score, pos_label, sample_weight, func)
    recall = pts.tp / pts.total_pos
    specificity = (pts.total_neg - pts.fp) / pts.total_neg
    predicted = pts.tp + pts.fp
    with np.errstate(divide="ignore", invalid="ignore"):
        # Nothing predicted positive: precision 1, as the last point of
        # precision_recall_curve.
        precision = np.where(predicted > 0, pts.tp / predicted, 1.0)
    rates = {"recall": recall, "specificity": specificity, "precision": precision}
    objective, constraint = pick
    feasible = rates[constraint] >= bound
    k = _pick(rates[objective], rates[constraint], pts.thresholds, feasible)
    return _result(rates[objective], pts, k)


_BOUNDED_DOC = """{title}

    Among the distinct score thresholds (and ``inf``, predicting nothing
    positive), the best {objective} whose {constraint} is at least
    ``{name}``; ties go to the better {constraint}, then the highest
    threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels; both classes must occur.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    {name} : float in [0, 1]
        The bound on the {constraint}.
    pos_label : int, float, bool or str, default=None
        The positive class; None means 1 for {{0, 1}} or {{-1, 1}} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    OperatingPoint
        The {objective} ``value`` and its ``threshold`` (predict positive when
        ``score >= threshold``).{note}

    Examples
    --------
    >>> from cymetrics import {func}
    >>> {func}([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.7], {example})
    {output}
    """


def recall_at_precision(y_true, y_score, min_precision, *, pos_label=None, sample_weight=None):
    return _constrained("recall_at_precision", "min_precision", min_precision, y_true,
                        y_score, pos_label, sample_weight, ("recall", "precision"))


def precision_at_recall(y_true, y_score, min_recall, *, pos_label=None, sample_weight=None):
    return _constrained("precision_at_recall", "min_recall", min_recall, y_true,
                        y_score, pos_label, sample_weight, ("precision", "recall"))


def sensitivity_at_specificity(y_true, y_score, min_specificity, *, pos_label=None,
                               sample_weight=None):
    return _constrained("sensitivity_at_specificity", "min_specificity", min_specificity,
                        y_true, y_score, pos_label, sample_weight, ("recall", "specificity"))


def specificity_at_sensitivity(y_true, y_score, min_sensitivity, *, pos_label=None,
                               sample_weight=None):
    return _constrained("specificity_at_sensitivity", "min_sensitivity", min_sensitivity,
                        y_true, y_score, pos_label, sample_weight, ("specificity", "recall"))


_NO_POINT = ("\n        Precision is 1 where nothing is predicted positive (the last point "
             "of\n        `precision_recall_curve`), so ``(0.0, inf)`` answers when no "
             "threshold\n        reaches the bound.")
recall_at_precision.__doc__ = _BOUNDED_DOC.format(
    title="Highest recall reaching a minimum precision.", objective="recall",
    constraint="precision", name="min_precision", func="recall_at_precision",
    example="min_precision=0.75", output="OperatingPoint(value=1.0, threshold=0.35)",
    note=_NO_POINT)
precision_at_recall.__doc__ = _BOUNDED_DOC.format(
    title="Highest precision reaching a minimum recall.", objective="precision",
    constraint="recall", name="min_recall", func="precision_at_recall",
    example="min_recall=0.5", output="OperatingPoint(value=1.0, threshold=0.7)", note="")
sensitivity_at_specificity.__doc__ = _BOUNDED_DOC.format(
    title="Highest sensitivity (recall, TPR) reaching a minimum specificity.",
    objective="sensitivity", constraint="specificity", name="min_specificity",
    func="sensitivity_at_specificity", example="min_specificity=0.9",
    output="OperatingPoint(value=0.6666666666666666, threshold=0.7)", note="")
specificity_at_sensitivity.__doc__ = _BOUNDED_DOC.format(
    title="Highest specificity (TNR) reaching a minimum sensitivity.",
    objective="specificity", constraint="sensitivity", name="min_sensitivity",
    func="specificity_at_sensitivity", example="min_sensitivity=1.0",
    output="OperatingPoint(value=0.6666666666666666, threshold=0.35)", note="")


class ThresholdMetrics(NamedTuple):
    """Confusion counts and rates at each threshold (arrays of one length).

    Undefined rates (zero denominators) are NaN.
    """

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray
    tpr: np.ndarray
    fpr: np.ndarray
    tnr: np.ndarray
    precision: np.ndarray
    npv: np.ndarray
    f1: np.ndarray
    accuracy: np.ndarray


def metrics_at_thresholds(y_true, y_score, thresholds=None, *, pos_label=None,
                          sample_weight=None):
    """Confusion counts and rates at many thresholds, from one sweep.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    thresholds : array-like of shape (n_thresholds,), default=None
        Predict positive when ``score >= threshold``; any order, any values
        (``inf`` predicts nothing positive). None: every distinct score,
        decreasing, as `confusion_matrix_at_thresholds`.
    pos_label : int, float, bool or str, default=None
        The positive class; None means 1 for {0, 1} or {-1, 1} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    ThresholdMetrics
        ``thresholds`` and, aligned with them, ``tp``, ``fp``, ``fn``, ``tn``
        (float64 counts or weights), ``tpr`` (recall, sensitivity), ``fpr``,
        ``tnr`` (specificity), ``precision``, ``npv``, ``f1`` and
        ``accuracy``; NaN where a rate is undefined. O(n log n + t log n).

    Examples
    --------
    >>> from cymetrics import metrics_at_thresholds
    >>> m = metrics_at_thresholds([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.5, 0.3])
    >>> m.tp, m.fp
    (array([1., 2.]), array([0., 1.]))
    >>> m.precision
    array([1.        , 0.66666667])
    """
    check_pos_label(pos_label, "metrics_at_thresholds")
    sorted_scores = sort_binary_scores(binary_positive_mask(y_true, pos_label), y_score,
                                       sample_weight)
    fps, tps, curve_thresholds = sorted_scores.curve()
    total_pos, total_neg = sorted_scores.total_pos, sorted_scores.total_neg
    if thresholds is None:
        thresholds = curve_thresholds.astype(sorted_scores.thresholds_dtype, copy=False)
        tp, fp = tps, fps
    else:
        thresholds = column_or_1d(thresholds, "thresholds")
        try:
            t = thresholds.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError("thresholds must be numbers.") from exc
        if np.isnan(t).any():
            raise ValueError("thresholds must not contain NaN.")
        # Points passing threshold t: the distinct scores >= t, a prefix of
        # the decreasing curve.
        k = np.searchsorted(-curve_thresholds.astype(np.float64), -t, side="right")
        origin_fps, origin_tps, _ = with_origin(fps, tps, curve_thresholds)
        tp, fp = origin_tps[k], origin_fps[k]
    fn = total_pos - tp
    tn = total_neg - fp
    with np.errstate(divide="ignore", invalid="ignore"):
        tpr = tp / total_pos
        fpr = fp / total_neg
        tnr = tn / total_neg
        precision = tp / (tp + fp)
        npv = tn / (tn + fn)
        f1 = 2 * tp / (2 * tp + fp + fn)
        accuracy = (tp + tn) / (total_pos + total_neg)
    return ThresholdMetrics(thresholds, tp, fp, fn, tn, tpr, fpr, tnr, precision, npv, f1,
                            accuracy)


# ---------------------------------------------------------------------------
# scikit-learn 1.9's metric_at_thresholds
# ---------------------------------------------------------------------------
def _check_metric_params(metric_func, metric_params):
    check_callable("metric_func", metric_func, "metric_at_thresholds")
    if metric_params is not None and not isinstance(metric_params, dict):
        raise invalid("metric_params", "metric_at_thresholds", "an instance of 'dict' or None",
                      metric_params)
    return dict(metric_params or {})


def _fast_binary_labels(y_true):
    """Whether numeric ``y_true`` holds exactly the labels 0 and 1."""
    if y_true.dtype.kind not in "iufb" or y_true.shape[0] == 0:
        return False
    lo, hi = y_true.min(), y_true.max()
    return bool(lo == 0 and hi == 1 and np.count_nonzero((y_true == 0) | (y_true == 1))
                == y_true.shape[0])


def metric_at_thresholds(y_true, y_score, metric_func, *, sample_weight=None,
                         metric_params=None):
    """Compute ``metric_func`` at every distinct score threshold (binary data).

    Drop-in for ``sklearn.metrics.metric_at_thresholds`` (scikit-learn 1.9):
    ``metric_func(y_true, y_pred, **metric_params)`` with
    ``y_pred = (y_score >= threshold)`` as int32, samples sorted by
    decreasing score and zero-weight samples dropped, thresholds the
    distinct scores in decreasing order.

    When ``metric_func`` is a confusion-derived metric of cymetrics
    (accuracy, balanced accuracy, precision, recall, F1, F-beta, Jaccard,
    MCC, zero-one and Hamming loss, specificity, NPV, FPR, FNR) with
    ``average='binary'``, ``y_true`` holds the labels 0 and 1, the metric is
    evaluated from the cumulative counts of one sweep, without a call per
    threshold: O(n log n) instead of O(n x thresholds).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    metric_func : callable
        Called as ``metric_func(y_true, y_pred, **metric_params)``.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights, passed on to ``metric_func``.
    metric_params : dict, default=None
        Keyword parameters of ``metric_func``.

    Returns
    -------
    metric_values : ndarray of shape (n_thresholds,) or (n_thresholds, *n_outputs)
        The metric at each threshold.
    thresholds : ndarray of shape (n_thresholds,)
        Distinct scores, decreasing, in the dtype of ``y_score``.

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import accuracy_score, metric_at_thresholds
    >>> values, thresholds = metric_at_thresholds(
    ...     np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]), accuracy_score)
    >>> thresholds
    array([0.8 , 0.4 , 0.35, 0.1 ])
    >>> values
    array([0.75, 0.5 , 0.75, 0.5 ])
    """
    func = "metric_at_thresholds"
    check_array_like("y_true", y_true, func)
    check_array_like("y_score", y_score, func)
    check_array_like("sample_weight", sample_weight, func, optional=True)
    params = _check_metric_params(metric_func, metric_params)
    y = column_or_1d(y_true, "y_true")
    scores = column_or_1d(y_score, "y_score")
    check_consistent_length(y, scores, sample_weight)
    check_not_empty(y.shape[0], "y_true, y_score")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise_non_finite(y, "y_true")
    w = check_sample_weight(sample_weight, y.shape[0])
    fast = _fast_path(y, scores, w, metric_func, params)
    if fast is not None:
        return fast
    return _generic_path(y, scores, w, sample_weight, metric_func, params)


def _fast_path(y, scores, w, metric_func, params):
    plan = binary_plan(metric_func, params)
    if plan is None or scores.dtype.kind not in "iuf":
        return None
    kept = y if w is None else y[w != 0]
    if not _fast_binary_labels(kept):
        return None
    pos_label, evaluate = plan
    if pos_label is not None and (isinstance(pos_label, (str, bool, np.bool_))
                                  or pos_label not in (0, 1)):
        return None
    is_pos = np.asarray(y == 1)
    sorted_scores = sort_binary_scores(is_pos, scores, w)
    fps, tps, thresholds = sorted_scores.curve()
    if fps.shape[0] == 0:
        return None
    dn = np.diff(fps, prepend=0.0)
    dp = np.diff(tps, prepend=0.0)
    # Negatives (positives) scored below each threshold, summed from the
    # bottom so that small counts keep their digits.
    tn = np.concatenate([np.cumsum(dn[:0:-1])[::-1], [0.0]])
    fn = np.concatenate([np.cumsum(dp[:0:-1])[::-1], [0.0]])
    if w is None:
        tp, fp, fn, tn = (a.astype(np.int64) for a in (tps, fps, fn, tn))
    else:
        tp, fp = tps, fps
    counts = oriented_counts(tp, fp, fn, tn, positive_is_second=pos_label != 0)
    values = np.asarray(evaluate(counts), dtype=np.float64)
    return values, thresholds.astype(sorted_scores.thresholds_dtype, copy=False)


def _generic_path(y, scores, w, sample_weight, metric_func, params):
    if scores.dtype.kind == "f" and not np.isfinite(scores).all():
        raise_non_finite(scores)
    if scores.dtype.kind not in "biuf":
        as_numbers(scores, "y_score")  # InputTypeError unless numbers (kept as they are)
    if w is not None:
        keep = w != 0
        y, scores, w = y[keep], scores[keep], w[keep]
        params["sample_weight"] = w
    # Stable decreasing order (ties keep the sample order), as scikit-learn.
    order = scores.shape[0] - 1 - np.argsort(scores[::-1], kind="stable")[::-1]
    y, scores = y[order], scores[order]
    if w is not None:
        params["sample_weight"] = w[order]
    last = np.array([scores.shape[0] - 1]) if scores.shape[0] else np.empty(0, np.intp)
    idx = np.concatenate([np.flatnonzero(np.diff(scores)), last]).astype(np.intp)
    thresholds = scores[idx]
    values = [metric_func(y, (scores >= t).astype(np.int32), **params) for t in thresholds]
    return np.asarray(values), thresholds
