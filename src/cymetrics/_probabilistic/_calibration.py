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
from cymetrics._shared._params import check_array_likes, check_int, check_option, check_pos_label
from cymetrics._shared._validation import (
    check_consistent_length,
    check_sample_weight,
    prediction_array,
    raise_non_finite,
)

__all__ = [
    "STRATEGIES",
    "bin_sums",
    "calibration_curve",
    "calibration_sums",
    "check_one_column",
    "expected_calibration_error",
    "maximum_calibration_error",
    "percentile_edges",
    "reliability_curve",
    "reliability_gaps",
    "top_label_confidence",
    "uniform_edges",
]

_NO_WEIGHTS = np.empty(0, dtype=np.float64)
STRATEGIES = ("uniform", "quantile")


def uniform_edges(n_bins):
    """The edges of ``n_bins`` equal-width bins over [0, 1]."""
    return np.linspace(0.0, 1.0, n_bins + 1)


def _quantile_levels(n_bins):
    """The levels of the quantile edges, as `np.percentile` turns them into fractions."""
    return np.true_divide(np.linspace(0, 1, n_bins + 1) * 100, 100)


def percentile_edges(keys, counts, n_bins):
    """``np.percentile(prob, linspace(0, 100, n_bins + 1))`` from the distinct
    sorted ``keys`` of ``prob`` and their ``counts``, bit for bit.

    numpy's default ('linear') method, step by step: the virtual index
    ``(n - 1) q``, its floor and the next position (the last one past the
    end), and numpy's two-sided lerp (from ``b`` back when ``t >= 0.5``),
    with the difference taken in the dtype of the keys.
    """
    cum = np.cumsum(counts)
    n = int(cum[-1])
    virtual = (n - 1) * _quantile_levels(n_bins)
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above] = -1
    following[above] = -1
    previous = previous.astype(np.intp)
    following = following.astype(np.intp)
    gamma = np.asarray(virtual - previous, dtype=virtual.dtype)
    a = keys[np.searchsorted(cum, np.where(previous < 0, n - 1, previous), side="right")]
    b = keys[np.searchsorted(cum, np.where(following < 0, n - 1, following), side="right")]
    diff = b - a
    edges = np.add(a, diff * gamma)
    np.subtract(b, diff * (1 - gamma), out=edges, where=gamma >= 0.5, casting="unsafe")
    return edges


def bin_sums(prob, hit, weights, edges, uniform):
    """Per-bin sums ``(3, n_bins)`` of the probabilities, the hits and the
    weights, bins cut at ``edges`` (``uniform``: they are `uniform_edges`)."""
    n_bins = edges.shape[0] - 1
    padded = np.concatenate([[-np.inf], edges[1:-1], [np.inf]]).astype(np.float64)
    sums = np.zeros((3, n_bins))
    if not _calibration.bin_probabilities(
        prob, hit, _NO_WEIGHTS if weights is None else weights, padded,
        sums[0], sums[1], sums[2], uniform,
    ):
        raise_non_finite(prob)
    return sums


def _binned(prob, hit, weights, n_bins, strategy):
    """Per-bin sums of the probabilities, the hits and the weights."""
    if strategy == "quantile":
        edges = np.percentile(prob, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        edges = uniform_edges(n_bins)
    return bin_sums(prob, hit, weights, edges, strategy == "uniform")


def reliability_curve(sums):
    """``(prob_true, prob_pred)`` of the non-empty bins of `bin_sums`."""
    sum_prob, sum_hit, count = sums
    nonzero = count != 0
    return sum_hit[nonzero] / count[nonzero], sum_prob[nonzero] / count[nonzero]


def reliability_gaps(sums):
    """Per non-empty bin of `bin_sums`: ``|accuracy - confidence|`` and the
    bin's weight share."""
    sum_prob, sum_hit, total = sums
    nonzero = total != 0
    gaps = np.abs(sum_hit[nonzero] - sum_prob[nonzero]) / total[nonzero]
    return gaps, total[nonzero] / total.sum()


def check_one_column(shape):
    """Probabilities of the positive class are 1-D (or one column); scikit-learn's
    error for any other ``shape``."""
    if len(shape) != 1 and not (len(shape) == 2 and shape[1] == 1):
        raise ValueError(f"y_prob should be a 1d array, got an array of shape {shape} instead.")


def _binary_inputs(y_true, y_prob, pos_label, sample_weight):
    """1-D probabilities of ``pos_label`` and the mask of positives."""
    prob, _ = prediction_array(y_prob, "y_prob")
    check_one_column(prob.shape)
    if prob.ndim == 2:
        prob = prob[:, 0]
    target = binary_target(y_true)
    check_consistent_length(target.y, prob)
    pos_label = resolve_pos_label(target, pos_label)
    if not np.isfinite(prob).all():
        raise_non_finite(prob)
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
    check_array_likes("calibration_curve", y_true=y_true, y_prob=y_prob)
    check_pos_label(pos_label, "calibration_curve")
    check_int("n_bins", n_bins, "calibration_curve", 1)
    check_option("strategy", strategy, STRATEGIES, "calibration_curve")
    prob, hit, _ = _binary_inputs(y_true, y_prob, pos_label, None)
    return reliability_curve(_binned(prob, hit, None, n_bins, strategy))


def _probabilities(y_true, y_prob, pos_label, labels, sample_weight):
    """Binned probabilities, hits and weights of 1-D (binary) or 2-D (top-label) input."""
    proba, _ = prediction_array(y_prob, "y_prob")
    if proba.ndim == 1 or proba.shape[1] == 1:
        if labels is not None:
            raise ValueError("labels is only used with 2-D (multiclass) y_prob.")
        return _binary_inputs(y_true, proba, pos_label, sample_weight)
    return _top_label(y_true, proba, labels, sample_weight)


def calibration_sums(y_true, y_prob, *, n_bins=10, pos_label=None, labels=None,
                     sample_weight=None):
    """Per-bin sums of equal-width calibration bins, to add up over batches.

    The bins of `expected_calibration_error` with ``strategy='uniform'``:
    their edges do not depend on the data, so the sums of several batches
    add up to the sums of all the data, and `reliability_gaps` of the total gives
    the calibration errors of all of it.

    Parameters
    ----------
    y_true, y_prob, pos_label, labels, sample_weight
        As `expected_calibration_error`.
    n_bins : int, default=10
        Number of bins over [0, 1].

    Returns
    -------
    ndarray of shape (3, n_bins)
        Per bin: the sum of the (weighted) probabilities, of the hits
        (positives, or correct top-label predictions) and of the weights.

    Examples
    --------
    >>> from cymetrics import expected_calibration_error
    >>> from cymetrics._probabilistic._calibration import calibration_sums, reliability_gaps
    >>> sums = (calibration_sums([0, 1], [0.1, 0.6], n_bins=2)
    ...         + calibration_sums([0, 1], [0.3, 0.9], n_bins=2))
    >>> gaps, shares = reliability_gaps(sums)
    >>> float(gaps @ shares) == expected_calibration_error([0, 1, 0, 1], [0.1, 0.6, 0.3, 0.9],
    ...                                                    n_bins=2)
    True
    """
    check_pos_label(pos_label, "calibration_sums")
    check_int("n_bins", n_bins, "calibration_sums", 1)
    prob, hit, weights = _probabilities(y_true, y_prob, pos_label, labels, sample_weight)
    return _binned(prob, hit, weights, n_bins, "uniform")


def _calibration_gaps(y_true, y_prob, *, n_bins, strategy, pos_label, labels,
                      sample_weight, func):
    """Per non-empty bin: ``|accuracy - confidence|`` and the bin's weight share."""
    check_pos_label(pos_label, func)
    check_int("n_bins", n_bins, func, 1)
    check_option("strategy", strategy, STRATEGIES, func)
    prob, hit, weights = _probabilities(y_true, y_prob, pos_label, labels, sample_weight)
    return reliability_gaps(_binned(prob, hit, weights, n_bins, strategy))


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
    confidence, correct = top_label_confidence(proba, encoded.codes)
    weights = check_sample_weight(sample_weight, proba.shape[0], any_scale=True)
    return confidence, correct, weights


def top_label_confidence(proba, codes):
    """Each row's largest probability and whether its column is the true
    class ``codes[i]``; ValueError for probabilities outside [0, 1]."""
    confidence = np.empty(proba.shape[0], dtype=proba.dtype)
    correct = np.empty(proba.shape[0], dtype=np.uint8)
    lo, hi, finite = _calibration.top_label(proba, codes, confidence, correct)
    if not finite:
        raise_non_finite(proba)
    if lo < 0 or hi > 1:
        raise ValueError("y_prob has values outside [0, 1].")
    return confidence, correct


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
