"""Calibration: the reliability curve of ``sklearn.calibration.calibration_curve``
and, beyond scikit-learn, the expected and maximum calibration errors.

All three bin the predicted probabilities the same way, in one kernel pass:
bin ``b`` holds the probabilities in ``(edge[b], edge[b + 1]]`` (the first bin
also holds ``edge[0]``), with equal-width edges ('uniform') or edges at the
quantiles of the probabilities, i.e. equal-mass bins ('quantile').
"""

import numpy as np

from cymetrics._kernels import _calibration
from cymetrics._shared._labels import (
    binary_target,
    check_labels_1d,
    encode_labels,
    resolve_pos_label,
)
from cymetrics._shared._params import check_int, check_option, check_pos_label
from cymetrics._shared._validation import (
    check_consistent_length,
    check_sample_weight,
    prediction_array,
    raise_non_finite,
)

__all__ = [
    "calibration_curve",
    "expected_calibration_error",
    "maximum_calibration_error",
]

_NO_WEIGHTS = np.empty(0, dtype=np.float64)
_STRATEGIES = ("uniform", "quantile")


def _binned(prob, hit, weights, n_bins, strategy):
    """Per-bin sums of the probabilities, the hits and the weights."""
    if strategy == "quantile":
        edges = np.percentile(prob, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    padded = np.concatenate([[-np.inf], edges[1:-1], [np.inf]]).astype(np.float64)
    sums = np.zeros((3, n_bins))
    if not _calibration.bin_probabilities(
        prob, hit, _NO_WEIGHTS if weights is None else weights, padded,
        sums[0], sums[1], sums[2], strategy == "uniform",
    ):
        raise_non_finite("y_prob")
    return sums


def _binary_inputs(y_true, y_prob, pos_label, sample_weight):
    """1-D probabilities of ``pos_label`` and the mask of positives."""
    prob, _ = prediction_array(y_prob, "y_prob")
    if prob.ndim == 2 and prob.shape[1] == 1:
        prob = prob[:, 0]
    if prob.ndim != 1:
        raise ValueError(
            f"y_prob should be a 1d array, got an array of shape {prob.shape} instead."
        )
    target = binary_target(y_true)
    check_consistent_length(target.y, prob)
    pos_label = resolve_pos_label(target, pos_label)
    if not np.isfinite(prob).all():
        raise_non_finite("y_prob")
    if prob.min() < 0 or prob.max() > 1:
        raise ValueError("y_prob has values outside [0, 1].")
    if target.y_type != "binary":
        raise ValueError(
            f"Only binary classification is supported. Provided labels {np.unique(target.y)}."
        )
    weights = check_sample_weight(sample_weight, prob.shape[0], any_scale=True)
    return prob, np.ascontiguousarray(target.equals(pos_label)).view(np.uint8), weights


def calibration_curve(y_true, y_prob, *, pos_label=None, n_bins=5, strategy="uniform"):
    """Reliability curve: observed frequency against mean predicted probability.

    Same contract as ``sklearn.calibration.calibration_curve``; empty bins
    are left out. Probabilities that are not finite raise ValueError (where
    scikit-learn returns ``nan`` bins).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True binary labels.
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in [0, 1].
    pos_label : int, float, bool or str, default=None
        The positive class; ``None`` means 1 for {0, 1} or {-1, 1} labels.
    n_bins : int, default=5
        Number of bins.
    strategy : {'uniform', 'quantile'}, default='uniform'
        Equal-width bins over [0, 1], or bins at the quantiles of ``y_prob``
        (equal numbers of samples).

    Returns
    -------
    prob_true : ndarray of shape (n_nonempty_bins,)
        Fraction of positives in each non-empty bin.
    prob_pred : ndarray of shape (n_nonempty_bins,)
        Mean predicted probability in each non-empty bin.

    Examples
    --------
    >>> from cymetrics import calibration_curve
    >>> y_true = [0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> y_prob = [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0]
    >>> prob_true, prob_pred = calibration_curve(y_true, y_prob, n_bins=3)
    >>> prob_true
    array([0. , 0.5, 1. ])
    >>> prob_pred
    array([0.2  , 0.525, 0.85 ])
    """
    check_pos_label(pos_label, "calibration_curve")
    check_int("n_bins", n_bins, "calibration_curve", 1)
    check_option("strategy", strategy, _STRATEGIES, "calibration_curve")
    prob, hit, _ = _binary_inputs(y_true, y_prob, pos_label, None)
    sum_prob, sum_hit, count = _binned(prob, hit, None, n_bins, strategy)
    nonzero = count != 0
    return sum_hit[nonzero] / count[nonzero], sum_prob[nonzero] / count[nonzero]


def _calibration_gaps(y_true, y_prob, *, n_bins, strategy, pos_label, labels,
                      sample_weight, func):
    """Per non-empty bin: ``|accuracy - confidence|`` and the bin's weight share."""
    check_pos_label(pos_label, func)
    check_int("n_bins", n_bins, func, 1)
    check_option("strategy", strategy, _STRATEGIES, func)
    proba, _ = prediction_array(y_prob, "y_prob")
    if proba.ndim == 1 or proba.shape[1] == 1:
        if labels is not None:
            raise ValueError("labels is only used with 2-D (multiclass) y_prob.")
        prob, hit, weights = _binary_inputs(y_true, proba, pos_label, sample_weight)
    else:
        prob, hit, weights = _top_label(y_true, proba, labels, sample_weight)
    sum_prob, sum_hit, total = _binned(prob, hit, weights, n_bins, strategy)
    nonzero = total != 0
    gaps = np.abs(sum_hit[nonzero] - sum_prob[nonzero]) / total[nonzero]
    return gaps, total[nonzero] / total.sum()


def _top_label(y_true, proba, labels, sample_weight):
    """Confidence (largest probability) of each row and whether it is right."""
    y = check_labels_1d(y_true, "y_true")
    check_consistent_length(y, proba)
    if labels is None:
        encoded = encode_labels(y)
    else:
        classes = np.unique(check_labels_1d(labels, "labels"))
        encoded = encode_labels(y, classes, unknown="y_true contains labels not in labels")
    if encoded.classes.shape[0] != proba.shape[1]:
        raise ValueError(
            f"y_prob has {proba.shape[1]} columns but there are "
            f"{encoded.classes.shape[0]} classes; pass all the classes as labels."
        )
    confidence = np.empty(proba.shape[0], dtype=proba.dtype)
    correct = np.empty(proba.shape[0], dtype=np.uint8)
    lo, hi, finite = _calibration.top_label(proba, encoded.codes, confidence, correct)
    if not finite:
        raise_non_finite("y_prob")
    if lo < 0 or hi > 1:
        raise ValueError("y_prob has values outside [0, 1].")
    weights = check_sample_weight(sample_weight, proba.shape[0], any_scale=True)
    return confidence, correct, weights


_ECE_PARAMETERS = """
    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_prob : array-like of shape (n_samples,) or (n_samples, n_classes)
        1-D: predicted probabilities of the positive class (binary
        reliability, as in `calibration_curve`). 2-D: probabilities of every
        class, columns in the order of the sorted labels (top-label
        calibration: the largest probability of each row against whether its
        class is the true one).
    n_bins : int, default=10
        Number of bins.
    strategy : {'uniform', 'quantile'}, default='uniform'
        Equal-width bins over [0, 1], or equal-mass bins at the quantiles of
        the binned probabilities (equal numbers of samples, unweighted).
    pos_label : int, float, bool or str, default=None
        The positive class of 1-D input; ``None`` means 1 for {0, 1} or
        {-1, 1} labels.
    labels : array-like, default=None
        All the classes of 2-D input, when ``y_true`` does not contain them
        all.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
"""


def expected_calibration_error(y_true, y_prob, *, n_bins=10, strategy="uniform",
                               pos_label=None, labels=None, sample_weight=None):
    """Expected calibration error (ECE), not in scikit-learn.

    ``sum_b (W_b / W) |acc_b - conf_b|`` over the non-empty bins ``b``, where
    ``acc_b`` is the (weighted) fraction of positives, or of correct top-label
    predictions, in the bin, ``conf_b`` the mean probability there and
    ``W_b`` its weight.
    {parameters}
    Returns
    -------
    float
        The ECE, in [0, 1].

    Examples
    --------
    >>> from cymetrics import expected_calibration_error
    >>> y_true = [0, 0, 1, 1]
    >>> round(expected_calibration_error(y_true, [0.1, 0.3, 0.6, 0.9], n_bins=2), 6)
    0.225
    """
    gaps, shares = _calibration_gaps(
        y_true, y_prob, n_bins=n_bins, strategy=strategy, pos_label=pos_label,
        labels=labels, sample_weight=sample_weight, func="expected_calibration_error",
    )
    return float(np.dot(shares, gaps))


def maximum_calibration_error(y_true, y_prob, *, n_bins=10, strategy="uniform",
                              pos_label=None, labels=None, sample_weight=None):
    """Maximum calibration error (MCE), not in scikit-learn.

    ``max_b |acc_b - conf_b|`` over the non-empty bins (see
    `expected_calibration_error`).
    {parameters}
    Returns
    -------
    float
        The MCE, in [0, 1].

    Examples
    --------
    >>> from cymetrics import maximum_calibration_error
    >>> y_true = [0, 0, 1, 1]
    >>> round(maximum_calibration_error(y_true, [0.1, 0.3, 0.6, 0.9], n_bins=2), 6)
    0.25
    """
    gaps, _ = _calibration_gaps(
        y_true, y_prob, n_bins=n_bins, strategy=strategy, pos_label=pos_label,
        labels=labels, sample_weight=sample_weight, func="maximum_calibration_error",
    )
    return float(gaps.max())


expected_calibration_error.__doc__ = expected_calibration_error.__doc__.replace(
    "    {parameters}", _ECE_PARAMETERS)
maximum_calibration_error.__doc__ = maximum_calibration_error.__doc__.replace(
    "    {parameters}", _ECE_PARAMETERS)
