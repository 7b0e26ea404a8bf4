"""Metrics of how well each sample's scores rank its labels: coverage error,
label ranking average precision and loss, DCG and NDCG. Drop-ins for
``sklearn.metrics``.

scikit-learn computes most of these with a Python loop over the samples
(``np.unique`` or ``rankdata`` per row). Here the rows are argsorted at once
and one kernel walks every row's groups of tied scores from the top.
"""

import numpy as np

from cymetrics._kernels import _label_ranking
from cymetrics._shared._labels import target_type
from cymetrics._shared._params import (
    check_array_likes,
    check_bool,
    check_int,
    check_real,
    invalid,
    issparse,
)
from cymetrics._shared._validation import (
    as_numbers,
    check_consistent_length,
    check_sample_weight,
    prediction_array,
    raise_non_finite,
    to_array,
)

__all__ = [
    "coverage_error",
    "rank_rows",
    "dcg_score",
    "label_ranking_average_precision_score",
    "label_ranking_loss",
    "ndcg_score",
]

_NO_CODES = np.empty(0, dtype=np.intp)


def _matrix(y, name, func, *, sparse, ensure_2d):
    """scikit-learn's ``check_array(y, ensure_2d=...)`` of a relevance or
    score matrix: numbers, finite (a nameless message, as its own)."""
    if issparse(y):
        if not sparse:
            raise invalid(name, func, "an array-like", y)
        y = y.toarray()
    a = _numeric_2d(y, name)
    if a.ndim and a.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={a.shape}) while a minimum of 1 is required."
        )
    if a.ndim == 2 and a.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={a.shape}) while a minimum of 1 is required."
        )
    if ensure_2d and a.ndim != 2:
        raise ValueError(
            f"Expected 2D array, got {'scalar' if a.ndim == 0 else '1D'} array instead:\n"
            f"array={a}.\nReshape your data either using array.reshape(-1, 1) if your data "
            "has a single feature or array.reshape(1, -1) if it contains a single sample."
        )
    return a


# The checks of each function, in scikit-learn 1.9's order (which differs).
_ORDERS = {
    "coverage_error": dict(length_first=False, shape_first=False, ensure_2d=True,
                           accepted=("multilabel-indicator",)),
    "label_ranking_average_precision_score": dict(
        length_first=True, shape_first=True, ensure_2d=False,
        accepted=("multilabel-indicator", "binary")),
    "label_ranking_loss": dict(length_first=False, shape_first=False, ensure_2d=False,
                               accepted=("multilabel-indicator",)),
}


def _check_type_and_shape(y, scores, accepted, shape_first):
    y_type = target_type(y, "y_true")
    # LRAP takes a 2-D 'binary' target (one label, or all rows alike), not a 1-D one.
    wrong_type = y_type not in accepted or (y_type == "binary" and y.ndim != 2)
    wrong_shape = scores.shape != y.shape
    if wrong_shape and (shape_first or not wrong_type):
        raise ValueError("y_true and y_score have different shape")
    if wrong_type:
        raise ValueError(f"{y_type} format is not supported")


def _relevance_inputs(y_true, y_score, sample_weight, func):
    """Validate a 2-D relevance target and scores of its shape, as ``func``
    of scikit-learn does (`_ORDERS`).

    Returns ``(relevant uint8 matrix, scores, weights)``.
    """
    # scikit-learn's parameter checks first: sparse y_true where it takes one.
    check_array_likes(func, () if func == "coverage_error" else ("y_true",), y_true=y_true,
                      y_score=y_score, sample_weight=sample_weight)
    order = _ORDERS[func]
    if order["length_first"]:
        check_consistent_length(y_true, y_score, sample_weight)
    y = _matrix(y_true, "y_true", func, sparse=func != "coverage_error",
                ensure_2d=order["ensure_2d"])
    raw = _matrix(y_score, "y_score", func, sparse=False, ensure_2d=order["ensure_2d"])
    if not order["length_first"]:
        check_consistent_length(y, raw, sample_weight)
    _check_type_and_shape(y, raw, order["accepted"], order["shape_first"])
    scores, _ = prediction_array(raw, "y_score")
    weights = check_sample_weight(sample_weight, y.shape[0], any_scale=True)
    return np.ascontiguousarray(y != 0).view(np.uint8), scores, weights


def _weighted_mean(values, weights):
    return float(np.average(values, weights=weights))


def rank_rows(scores, codes, indicator, use_codes):
    """Rank each row's labels once: ``(n_rel, precision_sum, above, tied)``.

    Per row: the number of relevant labels (class code ``codes[i]``, or the
    non-zero entries of ``indicator``), the sum of the precisions at each
    relevant label, and the (relevant, irrelevant) pairs ranked wrong or tied.
    """
    if not np.isfinite(scores).all():
        raise_non_finite(scores)
    n = scores.shape[0]
    order = np.argsort(scores, axis=1)
    n_rel = np.empty(n, dtype=np.int64)
    precision_sum = np.empty(n)
    above = np.empty(n, dtype=np.int64)
    tied = np.empty(n, dtype=np.int64)
    _label_ranking.rank_rows(
        scores, order, codes, indicator, use_codes, n_rel, precision_sum, above, tied
    )
    return n_rel, precision_sum, above, tied


def coverage_error(y_true, y_score, *, sample_weight=None):
    """Coverage error: how far down the ranking all relevant labels are reached.

    For each sample, the number of labels scored at least as high as its
    lowest-scored relevant label (0 for a sample without relevant labels),
    averaged over samples.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_labels)
        True binary labels in indicator format.
    y_score : array-like of shape (n_samples, n_labels)
        Scores of each label.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    float
        The coverage error.

    Examples
    --------
    >>> from cymetrics import coverage_error
    >>> coverage_error([[1, 0, 0], [0, 1, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]])
    2.5
    """
    relevant, scores, weights = _relevance_inputs(
        y_true, y_score, sample_weight, "coverage_error")
    coverage = np.empty(scores.shape[0], dtype=np.int64)
    if not _label_ranking.coverage(scores, relevant, coverage):
        raise_non_finite(scores)
    return _weighted_mean(coverage, weights)


def label_ranking_average_precision_score(y_true, y_score, *, sample_weight=None):
    """Label ranking average precision (LRAP).

    For each relevant label of a sample, the fraction of the labels ranked
    at or above it that are relevant; averaged over the relevant labels, then
    over samples. A sample whose labels are all relevant or all irrelevant
    scores 1.

    Parameters
    ----------
    y_true : array-like or sparse matrix of shape (n_samples, n_labels)
        True binary labels in indicator format.
    y_score : array-like of shape (n_samples, n_labels)
        Scores of each label.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    float
        The LRAP, in (0, 1].

    Examples
    --------
    >>> from cymetrics import label_ranking_average_precision_score
    >>> round(label_ranking_average_precision_score(
    ...     [[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]]), 6)
    0.416667
    """
    relevant, scores, weights = _relevance_inputs(
        y_true, y_score, sample_weight, "label_ranking_average_precision_score")
    n_labels = scores.shape[1]
    n_rel, precision_sum, _, _ = rank_rows(scores, _NO_CODES, relevant, False)
    trivial = (n_rel == 0) | (n_rel == n_labels)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_sample = np.where(trivial, 1.0, precision_sum / n_rel)
    if weights is None:
        return float(per_sample.sum() / scores.shape[0])
    return float(np.dot(per_sample, weights) / weights.sum())


def label_ranking_loss(y_true, y_score, *, sample_weight=None):
    """Label ranking loss: the fraction of wrongly ordered label pairs.

    For each sample, the (relevant, irrelevant) label pairs whose irrelevant
    label scores at least as high, over the number of such pairs (0 when the
    sample has no such pair); averaged over samples.

    Parameters
    ----------
    y_true : array-like or sparse matrix of shape (n_samples, n_labels)
        True binary labels in indicator format.
    y_score : array-like of shape (n_samples, n_labels)
        Scores of each label.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    float
        The ranking loss, in [0, 1].

    Examples
    --------
    >>> from cymetrics import label_ranking_loss
    >>> label_ranking_loss([[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]])
    0.75
    """
    relevant, scores, weights = _relevance_inputs(
        y_true, y_score, sample_weight, "label_ranking_loss")
    n_labels = scores.shape[1]
    n_rel, _, above, tied = rank_rows(scores, _NO_CODES, relevant, False)
    pairs = n_rel * (n_labels - n_rel)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = np.where(pairs > 0, (above + tied) / pairs, 0.0)
    return _weighted_mean(loss, weights)


# ---------------------------------------------------------------------------
# DCG / NDCG
# ---------------------------------------------------------------------------
_DCG_TYPES = ("multilabel-indicator", "continuous-multioutput", "multiclass-multioutput")


def _numeric_2d(y, name):
    """``check_array(y, ensure_2d=False)`` for a gain or score matrix."""
    a = as_numbers(to_array(y, name), name)
    if a.size and a.dtype.kind == "f" and not np.isfinite(a).all():
        raise_non_finite(a)
    return a


def _gain_inputs(y_true, y_score, sample_weight):
    """Validate ``(y_true, y_score)`` of the DCG metrics as numeric arrays.

    Both keep scikit-learn's dtypes: the ``ignore_ties`` path reproduces the
    tie order of its ``np.argsort``, which depends on the dtype.
    """
    y = _numeric_2d(y_true, "y_true")
    raw_scores = _numeric_2d(y_score, "y_score")
    check_consistent_length(y, raw_scores, sample_weight)
    if y.ndim and y.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={y.shape}) while a minimum of 1 is required."
        )
    return y, raw_scores


def _dcg_rows(y, raw_scores, k, log_base, ignore_ties):
    """scikit-learn's ``_dcg_sample_scores``: the DCG of every row."""
    if raw_scores.shape != y.shape:
        raise ValueError(
            f"y_true and y_score have different shapes: {y.shape} and {raw_scores.shape}."
        )
    n_labels = y.shape[1]
    discount = 1 / (np.log(np.arange(n_labels) + 2) / np.log(log_base))
    if k is not None:
        discount[k:] = 0
    if ignore_ties:
        ranking = np.argsort(raw_scores)[:, ::-1]
        ranked = y[np.arange(ranking.shape[0])[:, np.newaxis], ranking]
        return discount.dot(ranked.T)
    scores, _ = prediction_array(raw_scores, "y_score")
    gains = np.ascontiguousarray(y, dtype=np.float64)
    out = np.empty(y.shape[0])
    _label_ranking.tie_averaged_dcg(
        scores, np.argsort(scores, axis=1), gains, np.cumsum(discount), out
    )
    return out


def _check_dcg_target(y):
    y_type = target_type(y, "y_true")
    if y_type not in _DCG_TYPES:
        raise ValueError(f"Only {_DCG_TYPES} formats are supported. Got {y_type} instead")


def dcg_score(y_true, y_score, *, k=None, log_base=2, sample_weight=None, ignore_ties=False):
    """Discounted cumulative gain (DCG).

    The gains ``y_true`` summed in the order of decreasing ``y_score``, the
    label at rank ``r`` (from 0) discounted by ``1 / log_base(r + 2)``; tied
    scores share the average gain of their group unless ``ignore_ties``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_labels)
        Non-negative relevance (gain) of each label.
    y_score : array-like of shape (n_samples, n_labels)
        Scores of each label.
    k : int, default=None
        Only the ``k`` highest-ranked labels count.
    log_base : float, default=2
        Base of the logarithm of the discount.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    ignore_ties : bool, default=False
        Assume there are no ties (faster; tied labels in an arbitrary order).

    Returns
    -------
    float
        The mean DCG.

    Examples
    --------
    >>> from cymetrics import dcg_score
    >>> round(dcg_score([[10, 0, 0, 1, 5]], [[.1, .2, .3, 4, 70]]), 6)
    9.499458
    """
    func = "dcg_score"  # scikit-learn's checks, in its order
    check_array_likes(func, y_true=y_true, y_score=y_score)
    check_int("k", k, func, 1, allow_none=True)
    check_real("log_base", log_base, func, 0.0, closed="neither")
    check_array_likes(func, sample_weight=sample_weight)
    check_bool("ignore_ties", ignore_ties, func)
    y, raw_scores = _gain_inputs(y_true, y_score, sample_weight)
    _check_dcg_target(y)
    weights = check_sample_weight(sample_weight, y.shape[0], any_scale=True)
    return _weighted_mean(_dcg_rows(y, raw_scores, k, log_base, ignore_ties), weights)


def ndcg_score(y_true, y_score, *, k=None, sample_weight=None, ignore_ties=False):
    """Normalized discounted cumulative gain (NDCG).

    Each row's DCG divided by its ideal DCG (labels ranked by their gain);
    rows whose gains are all zero score 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_labels)
        Non-negative relevance (gain) of each label.
    y_score : array-like of shape (n_samples, n_labels)
        Scores of each label.
    k : int, default=None
        Only the ``k`` highest-ranked labels count.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    ignore_ties : bool, default=False
        Assume there are no ties (faster; tied labels in an arbitrary order).

    Returns
    -------
    float
        The mean NDCG, in [0, 1].

    Examples
    --------
    >>> from cymetrics import ndcg_score
    >>> round(ndcg_score([[10, 0, 0, 1, 5]], [[.1, .2, .3, 4, 70]]), 6)
    0.695694
    """
    func = "ndcg_score"  # scikit-learn's checks, in its order
    check_array_likes(func, y_true=y_true, y_score=y_score)
    check_int("k", k, func, 1, allow_none=True)
    check_array_likes(func, sample_weight=sample_weight)
    check_bool("ignore_ties", ignore_ties, func)
    y, raw_scores = _gain_inputs(y_true, y_score, sample_weight)
    if y.min() < 0:
        raise ValueError("ndcg_score should not be used on negative y_true values.")
    if y.ndim > 1 and y.shape[1] <= 1:
        raise ValueError(
            "Computing NDCG is only meaningful when there is more than 1 document. "
            f"Got {y.shape[1]} instead."
        )
    _check_dcg_target(y)
    weights = check_sample_weight(sample_weight, y.shape[0], any_scale=True)
    gain = _dcg_rows(y, raw_scores, k, 2, ignore_ties)
    # The ideal ranking: tied gains are interchangeable, so a sort suffices.
    ideal = _dcg_rows(y, np.asarray(y), k, 2, True)
    relevant = ideal != 0
    gain[~relevant] = 0
    gain[relevant] /= ideal[relevant]
    return _weighted_mean(gain, weights)
