"""Metrics of how well each sample's scores rank its labels: coverage error,
label ranking average precision and loss, DCG and NDCG. Drop-ins for
``sklearn.metrics``.

scikit-learn computes most of these with a Python loop over the samples
(``np.unique`` or ``rankdata`` per row). Here the rows are argsorted at once
and one kernel walks every row's groups of tied scores from the top.
"""

import numpy as np

from cymetrics._kernels import _label_ranking
from cymetrics._shared._labels import check_labels_2d, target_type
from cymetrics._shared._params import check_bool, check_int, check_real
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


def _dense(y):
    """A scipy sparse matrix as a dense array (scipy is never imported)."""
    return y.toarray() if hasattr(y, "toarray") and hasattr(y, "nnz") else y



def _relevance_inputs(y_true, y_score, sample_weight, accepted):
    """Validate a 2-D relevance target and scores of its shape.

    Returns ``(relevant uint8 matrix, scores, weights)``.
    """
    y_true = _dense(y_true)
    check_consistent_length(y_true, y_score, sample_weight)
    y = check_labels_2d(y_true, "y_true")
    scores, _ = prediction_array(y_score, "y_score")
    if scores.shape != y.shape:
        raise ValueError("y_true and y_score have different shape")
    y_type = target_type(y, "y_true")
    if y_type not in accepted:
        raise ValueError(f"{y_type} format is not supported")
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
        raise_non_finite("y_score")
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
        y_true, y_score, sample_weight, ("multilabel-indicator",)
    )
    coverage = np.empty(scores.shape[0], dtype=np.int64)
    if not _label_ranking.coverage(scores, relevant, coverage):
        raise_non_finite("y_score")
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
        y_true, y_score, sample_weight, ("multilabel-indicator", "binary")
    )
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
        y_true, y_score, sample_weight, ("multilabel-indicator",)
    )
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
        raise_non_finite(name)
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
    check_int("k", k, "dcg_score", 1, allow_none=True)
    check_real("log_base", log_base, "dcg_score", 0.0, closed="neither")
    check_bool("ignore_ties", ignore_ties, "dcg_score")
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
    check_int("k", k, "ndcg_score", 1, allow_none=True)
    check_bool("ignore_ties", ignore_ties, "ndcg_score")
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
