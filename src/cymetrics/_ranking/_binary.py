"""Binary ranking metrics and curves: drop-ins for ``sklearn.metrics``.

Each validates ``y_true`` (`binary_target`), splits and sorts the scores
once (`sort_binary_scores`) and walks them with one sweep; the curves'
post-processing is `cymetrics._ranking._curves`. Multiclass and multilabel
targets go to `cymetrics._ranking._multiclass`.
"""

import numpy as np

from cymetrics._exceptions import InputTypeError, UndefinedMetricWarning
from cymetrics._ranking._curves import counts_at_thresholds, det_points, pr_points, roc_points
from cymetrics._ranking._multiclass import (
    multiclass_average_precision,
    multiclass_roc_auc,
    multilabel_average_precision,
    multilabel_roc_auc,
)
from cymetrics._ranking._sorted import sort_binary_scores
from cymetrics._shared._labels import (
    binary_positive_mask,
    binary_target,
    check_curve_target,
    curve_target,
    resolve_pos_label,
)
from cymetrics._shared._params import check_max_fpr, check_option, check_pos_label
from cymetrics._shared._validation import as_numbers, check_consistent_length, column_or_1d
from cymetrics._shared._warnings import warn

__all__ = [
    "auc",
    "average_precision_score",
    "confusion_matrix_at_thresholds",
    "det_curve",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]


def _binary_curve(y_true, y_score, pos_label, sample_weight, func):
    check_pos_label(pos_label, func)
    is_pos = binary_positive_mask(y_true, pos_label)
    return sort_binary_scores(is_pos, y_score, sample_weight)


def confusion_matrix_at_thresholds(y_true, y_score, *, pos_label=None, sample_weight=None):
    """Binary confusion-matrix counts at every distinct score threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive class; ``None`` means 1 for {0, 1} or {-1, 1} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights. Zero-weight samples add no threshold.

    Returns
    -------
    tns, fps, fns, tps : ndarray of shape (n_thresholds,)
        Counts (float64) of samples with ``score < thresholds[i]`` (tns, fns)
        or ``score >= thresholds[i]`` (fps, tps).
    thresholds : ndarray of shape (n_thresholds,)
        Distinct scores, decreasing, in the dtype of ``y_score``.

    Examples
    --------
    >>> from cymetrics import confusion_matrix_at_thresholds
    >>> tns, fps, fns, tps, thr = confusion_matrix_at_thresholds(
    ...     [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> tps
    array([1., 1., 2., 2.])
    >>> thr
    array([0.8 , 0.4 , 0.35, 0.1 ])
    """
    sorted_scores = _binary_curve(y_true, y_score, pos_label, sample_weight,
                                  "confusion_matrix_at_thresholds")
    return counts_at_thresholds(*sorted_scores.curve(), sorted_scores.thresholds_dtype)


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic (ROC) curve for binary scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive class; ``None`` means 1 for {0, 1} or {-1, 1} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    drop_intermediate : bool, default=True
        Drop thresholds whose point is collinear with its neighbours.

    Returns
    -------
    fpr, tpr : ndarray
        Increasing false and true positive rates.
    thresholds : ndarray of float64
        Decreasing thresholds; ``thresholds[0]`` is ``inf``.

    Examples
    --------
    >>> from cymetrics import roc_curve
    >>> fpr, tpr, thr = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> thr
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    fps, tps, thresholds = _binary_curve(y_true, y_score, pos_label, sample_weight,
                                         "roc_curve").curve()
    return roc_points(fps, tps, thresholds, drop_intermediate)


def precision_recall_curve(
    y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False
):
    """Precision-recall pairs for every distinct threshold of binary scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive class; ``None`` means 1 for {0, 1} or {-1, 1} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    drop_intermediate : bool, default=False
        Keep only the first and last point of each run of equal recall.

    Returns
    -------
    precision : ndarray of shape (n_thresholds + 1,)
        Precision per threshold; the last element is 1.
    recall : ndarray of shape (n_thresholds + 1,)
        Decreasing recall; the last element is 0.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing thresholds, in the dtype of ``y_score``.

    Examples
    --------
    >>> from cymetrics import precision_recall_curve
    >>> p, r, thr = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> r
    array([1. , 1. , 0.5, 0.5, 0. ])
    """
    sorted_scores = _binary_curve(y_true, y_score, pos_label, sample_weight,
                                  "precision_recall_curve")
    return pr_points(*sorted_scores.curve(), drop_intermediate, sorted_scores.thresholds_dtype)


def det_curve(y_true, y_score, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Detection error tradeoff (DET) curve for binary scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels; both classes must be present.
    y_score : array-like of shape (n_samples,)
        Scores; higher means more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive class; ``None`` means 1 for {0, 1} or {-1, 1} labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    drop_intermediate : bool, default=False
        Drop thresholds where the true positives do not change.

    Returns
    -------
    fpr, fnr : ndarray
        False positive rate (decreasing) and false negative rate.
    thresholds : ndarray of float64
        Increasing thresholds (``inf`` may close the curve).

    Examples
    --------
    >>> from cymetrics import det_curve
    >>> fpr, fnr, thr = det_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fnr
    array([0. , 0.5, 0.5])
    """
    check_pos_label(pos_label, "det_curve")
    target = curve_target(y_true, pos_label)
    is_pos = target.equals(resolve_pos_label(target, pos_label))
    fps, tps, thresholds = sort_binary_scores(is_pos, y_score, sample_weight).curve()
    return det_points(fps, tps, thresholds, drop_intermediate, target.classes.shape[0])


def auc(x, y):
    """Area under a curve by the trapezoidal rule.

    Parameters
    ----------
    x : array-like of shape (n,)
        Monotonic (increasing or decreasing) x coordinates.
    y : array-like of shape (n,)
        y coordinates.

    Returns
    -------
    float
        The area.

    Examples
    --------
    >>> from cymetrics import auc
    >>> auc([0, 0.5, 1], [0, 0.75, 1])
    0.625
    """
    x = _to_float_1d(x, "x")
    y = _to_float_1d(y, "y")
    check_consistent_length(x, y)
    if x.shape[0] < 2:
        raise ValueError(
            "At least 2 points are needed to compute area under curve, but "
            f"x.shape = {x.shape[0]}"
        )
    dx = np.diff(x)
    direction = 1
    if np.any(dx < 0):
        if np.all(dx <= 0):
            direction = -1
        else:
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
    return float(direction * (dx * (y[1:] + y[:-1]) / 2.0).sum())


def _to_float_1d(a, name):
    a = column_or_1d(a, name)
    if a.dtype.kind == "b":  # as scikit-learn's auc
        raise InputTypeError(f"{name} must contain numbers; got dtype {a.dtype}.")
    return as_numbers(a, name)


_AVERAGES = ("micro", "macro", "samples", "weighted", None)


def _check_target_for_binary_score(y_true, func):
    """Validate ``y_true``: its `BinaryTarget` (binary or multiclass), or None
    for a 2-D (multilabel) target, which `cymetrics._multiclass_ranking`
    validates."""
    y = np.asarray(y_true) if not isinstance(y_true, str) else y_true
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] > 1:
        return None
    target = binary_target(y_true)
    if target.y.size == 0:
        raise ValueError("Found empty input array y_true while a minimum of 1 sample is required.")
    if target.y_type == "multiclass":
        return target
    check_curve_target(target, None)
    return target


def _is_wide(y_score):
    """2-D scores with more than two columns (multiclass probabilities)."""
    score = np.asarray(y_score) if not isinstance(y_score, str) else y_score
    return isinstance(score, np.ndarray) and score.ndim == 2 and score.shape[1] > 2


def roc_auc_score(
    y_true,
    y_score,
    *,
    average="macro",
    sample_weight=None,
    max_fpr=None,
    multi_class="raise",
    labels=None,
):
    """Area under the ROC curve: binary, multiclass (OvR/OvO) or multilabel.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary labels (the greater label is the positive class), multiclass
        labels, or a multilabel indicator matrix.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores of the greater label (binary); class probabilities summing to
        one, columns in the order of ``labels`` (multiclass); per-label
        scores (multilabel).
    average : {'micro', 'macro', 'samples', 'weighted'} or None, default='macro'
        Averaging over classes; ignored for binary targets. Beyond
        scikit-learn, ``multi_class='ovo'`` with ``average=None`` returns
        the symmetric K x K matrix of pairwise AUCs.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights (also accepted by one-vs-one, where a
        pair of samples weighs ``w_a * w_b``; scikit-learn refuses them).
    max_fpr : float in (0, 1], default=None
        If given, the standardized (McClish) partial AUC over [0, max_fpr]
        (binary and multilabel only).
    multi_class : {'raise', 'ovr', 'ovo'}, default='raise'
        One-vs-rest or one-vs-one (Hand & Till) for multiclass targets.
    labels : array-like, default=None
        Multiclass only: the classes indexing the columns of ``y_score``.

    Returns
    -------
    float
        The AUC (``nan`` with an `UndefinedMetricWarning` for one class).

    Examples
    --------
    >>> from cymetrics import roc_auc_score
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    check_option("average", average, _AVERAGES, "roc_auc_score")
    check_option("multi_class", multi_class, ("raise", "ovr", "ovo"), "roc_auc_score")
    max_fpr = check_max_fpr(max_fpr)
    target = _check_target_for_binary_score(y_true, "roc_auc_score")
    if target is None:
        return multilabel_roc_auc(
            y_true, y_score, average=average, sample_weight=sample_weight, max_fpr=max_fpr
        )
    if target.y_type == "multiclass" or _is_wide(y_score):
        return multiclass_roc_auc(
            target.y, y_score, average=average, sample_weight=sample_weight,
            max_fpr=max_fpr, multi_class=multi_class, labels=labels,
        )
    if target.classes.shape[0] < 2:
        check_consistent_length(target.y, column_or_1d(y_score, "y_score"))
        warn(
            "Only one class is present in y_true. ROC AUC score is not defined in that case.",
            UndefinedMetricWarning,
        )
        return float("nan")
    sorted_scores = sort_binary_scores(target.equals(target.classes[1]), y_score, sample_weight)
    if sorted_scores.total_pos <= 0 or sorted_scores.total_neg <= 0:
        which = "positive" if sorted_scores.total_pos <= 0 else "negative"
        warn(
            f"No {which} samples in y_true with non-zero weight; ROC AUC is not "
            "defined in that case.",
            UndefinedMetricWarning,
        )
        return float("nan")
    return float(sorted_scores.roc_auc(max_fpr))


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision (AP): the step-wise area under the PR curve.

    ``AP = sum_n (R_n - R_{n-1}) P_n`` over decreasing thresholds, not
    interpolated. Multiclass targets are scored one-vs-rest, multilabel
    targets per label, then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary or multiclass labels, or a multilabel indicator matrix.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores; higher means more likely positive.
    average : {'micro', 'samples', 'weighted', 'macro'} or None, default='macro'
        Averaging over classes; ignored for binary targets.
    pos_label : int, float, bool or str, default=1
        The positive class.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    float
        The average precision.

    Examples
    --------
    >>> from cymetrics import average_precision_score
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    check_option("average", average, ("micro", "samples", "weighted", "macro", None),
                 "average_precision_score")
    check_pos_label(pos_label, "average_precision_score")
    target = _check_target_for_binary_score(y_true, "average_precision_score")
    if target is None:
        return multilabel_average_precision(
            y_true, y_score, average=average, pos_label=pos_label, sample_weight=sample_weight
        )
    if target.y_type == "multiclass":
        return multiclass_average_precision(
            target.y, y_score, average=average, pos_label=pos_label, sample_weight=sample_weight
        )
    present = target.classes
    if present.shape[0] == 2 and pos_label not in present.tolist():
        raise ValueError(
            f"pos_label={pos_label!r} is not a valid label. It should be one of {present}"
        )
    sorted_scores = sort_binary_scores(target.equals(pos_label), y_score, sample_weight)
    if sorted_scores.total_pos == 0:
        warn(
            "No positive class found in y_true, recall is set to one for all thresholds.",
            UserWarning,
        )
    return float(sorted_scores.average_precision())
