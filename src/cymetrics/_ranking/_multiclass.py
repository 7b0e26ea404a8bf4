"""ROC AUC and average precision of multiclass and multilabel targets; top-k accuracy.

`roc_auc_score` and `average_precision_score` (`cymetrics._ranking._binary`)
hand non-binary targets to the functions here. Two layouts of the score
matrix serve every case, each built by one kernel pass:

* one-vs-rest and one-vs-one ROC AUC: each class column with the samples
  grouped by true class, every group sorted once. The AUC of class ``a``
  against class ``b`` on column ``a`` is then one merge of two sorted groups,
  and the one-vs-rest AUC of ``a`` is the sum of those merges over ``b`` (the
  Mann-Whitney count is additive over the negatives), so no column is sorted
  twice and no pair of classes is sorted at all;
* anything else (multilabel columns, average precision, micro averages): each
  column split into its positives and negatives, both sorted, and walked by
  the binary sweep of `cymetrics._ranking._sorted`.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._kernels import _multiclass, _pairwise
from cymetrics._ranking._label_ranking import rank_rows
from cymetrics._ranking._sorted import sorted_pair
from cymetrics._shared._labels import (
    check_classes,
    check_labels_1d,
    check_labels_2d,
    encode_labels,
    target_type,
)
from cymetrics._shared._parallel import THREADS, both
from cymetrics._shared._params import check_array_likes, check_bool, check_int
from cymetrics._shared._validation import (
    check_consistent_length,
    check_not_empty,
    check_sample_weight,
    prediction_array,
    raise_non_finite,
    scale_free,
)
from cymetrics._shared._warnings import warn

__all__ = [
    "average_classes",
    "multiclass_average_precision",
    "multiclass_roc_auc",
    "multilabel_average_precision",
    "multilabel_roc_auc",
    "one_vs_one_average",
    "top_k_accuracy_score",
    "weighted_total_is_zero",
]

_NO_WEIGHTS = np.empty(0, dtype=np.float64)
_NO_WEIGHTS_2D = np.empty((0, 0), dtype=np.float64)
_NO_CODES = np.empty(0, dtype=np.intp)
_NO_INDICATOR = np.empty((0, 0), dtype=np.uint8)

_ONE_CLASS = "Only one class is present in y_true. ROC AUC score is not defined in that case."
_NO_POSITIVE = "No positive class found in y_true, recall is set to one for all thresholds."
_NOT_PROBABILITIES = (
    "Target scores need to be probabilities for multiclass roc_auc, i.e. they "
    "should sum up to 1.0 over classes"
)
_SHAPE = (
    "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` "
    "contains multiple classes. Got `y_score.shape={}`."
)


class _Positives(NamedTuple):
    """Which entries of an (n, K) score matrix are positives.

    Either a class code per row (multiclass one-vs-rest) or a 0/1 indicator
    matrix (multilabel); the other field is empty.
    """

    codes: np.ndarray
    indicator: np.ndarray
    support: np.ndarray  # positives per column, zero weights included

    @property
    def use_codes(self):
        return self.indicator.shape[0] == 0

    def column_weights(self, weights):
        """Total weight of the positives of each column."""
        if weights is None:
            return self.support.astype(np.float64)
        if self.use_codes:
            return np.bincount(self.codes, weights=weights, minlength=self.support.shape[0])
        return weights @ self.indicator

    @classmethod
    def of_codes(cls, codes, counts):
        return cls(codes, _NO_INDICATOR, counts)

    @classmethod
    def of_indicator(cls, y):
        indicator = np.ascontiguousarray(y != 0).view(np.uint8)
        return cls(_NO_CODES, indicator, indicator.sum(axis=0, dtype=np.int64))


# ---------------------------------------------------------------------------
# Sweeping one binary problem
# ---------------------------------------------------------------------------
def _auc_undefined(n_pos, n_total, weight_pos, weight_neg):
    """Why a binary ROC AUC is undefined (None if it is defined): one class
    present (by count, as scikit-learn checks), or a class of zero weight."""
    if n_pos == 0 or n_pos == n_total:
        return _ONE_CLASS
    if weight_pos <= 0 or weight_neg <= 0:
        which = "positive" if weight_pos <= 0 else "negative"
        return (f"No {which} samples in y_true with non-zero weight; ROC AUC is not "
                "defined in that case.")
    return None


def _auc_of(sorted_scores, n_pos, n_total, max_fpr, undefined):
    """scikit-learn's binary ROC AUC of one problem, nan when undefined
    (``undefined`` collects why)."""
    reason = _auc_undefined(n_pos, n_total, sorted_scores.total_pos, sorted_scores.total_neg)
    if reason is not None:
        undefined.add(reason)
        return np.nan
    return sorted_scores.roc_auc(None if max_fpr is None or max_fpr == 1 else max_fpr)


def _ap_of(sorted_scores, undefined):
    if sorted_scores.total_pos <= 0:
        undefined.add(_NO_POSITIVE)
    return sorted_scores.average_precision()


def _warn_undefined(messages, metric):
    category = UndefinedMetricWarning if metric == "roc_auc" else UserWarning
    for message in sorted(messages):
        warn(message, category)


# ---------------------------------------------------------------------------
# The three ways of slicing a score matrix into binary problems
# ---------------------------------------------------------------------------
def _per_column(metric, scores, positives, weights, max_fpr):
    """The binary metric of each column against the rest."""
    n, n_cols = scores.shape
    weighted = weights is not None
    out = np.empty((n_cols, n), dtype=scores.dtype)
    w_out = np.empty((n_cols, n)) if weighted else _NO_WEIGHTS_2D
    n_pos = np.empty(n_cols, dtype=np.intp)
    if not _multiclass.split_columns(
        scores, positives.codes, positives.indicator, positives.use_codes,
        out, weights if weighted else _NO_WEIGHTS, w_out, n_pos,
    ):
        raise_non_finite(scores)
    result = np.empty(n_cols)
    undefined = set()
    for c in range(n_cols):
        k = n_pos[c]
        if weighted:
            pair = sorted_pair(out[c, :k], out[c, k:], w_out[c, :k], w_out[c, k:])
        else:
            pair = sorted_pair(out[c, :k], out[c, k:])
        if metric == "roc_auc":
            result[c] = _auc_of(pair, positives.support[c], n, max_fpr, undefined)
        else:
            result[c] = _ap_of(pair, undefined)
    _warn_undefined(undefined, metric)
    return result


def _micro(metric, scores, positives, weights, max_fpr):
    """The binary metric of all entries of the matrix pooled."""
    weighted = weights is not None
    n_pos = int(positives.support.sum())
    pos = np.empty(n_pos, dtype=scores.dtype)
    neg = np.empty(scores.size - n_pos, dtype=scores.dtype)
    pos_w = np.empty(pos.shape[0]) if weighted else _NO_WEIGHTS
    neg_w = np.empty(neg.shape[0]) if weighted else _NO_WEIGHTS
    _, _, finite = _multiclass.split_flat(
        scores, positives.codes, positives.indicator, positives.use_codes,
        pos, neg, weights if weighted else _NO_WEIGHTS, pos_w, neg_w,
    )
    if not finite:
        raise_non_finite(scores)
    pair = sorted_pair(pos, neg, pos_w, neg_w) if weighted else sorted_pair(pos, neg)
    undefined = set()
    if metric == "roc_auc":
        value = _auc_of(pair, n_pos, scores.size, max_fpr, undefined)
    else:
        value = _ap_of(pair, undefined)
    _warn_undefined(undefined, metric)
    return value


def _per_row(metric, scores, positives, max_fpr):
    """The binary metric of each row (sample) over its labels, unweighted."""
    n_cols = scores.shape[1]
    n_rel, precision_sum, above, tied = rank_rows(
        scores, positives.codes, positives.indicator, positives.use_codes)
    undefined = set()
    if metric == "average_precision":
        empty = n_rel == 0
        if empty.any():
            undefined.add(_NO_POSITIVE)
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.where(empty, 0.0, precision_sum / n_rel)
    else:
        one_class = (n_rel == 0) | (n_rel == n_cols)
        if one_class.any():
            undefined.add(_ONE_CLASS)
        if max_fpr is not None and max_fpr != 1:
            result = _partial_auc_rows(scores, positives, max_fpr, one_class)
        else:
            pairs = n_rel * (n_cols - n_rel)
            with np.errstate(divide="ignore", invalid="ignore"):
                result = 1.0 - (above + 0.5 * tied) / pairs
        result[one_class] = np.nan
    _warn_undefined(undefined, metric)
    return result


def _partial_auc_rows(scores, positives, max_fpr, skip):
    """Standardised partial AUC of each row: rare, so one sweep per row."""
    result = np.full(scores.shape[0], np.nan)
    relevant = positives.indicator.view(bool)
    for i in np.flatnonzero(~skip):
        row = scores[i]
        pair = sorted_pair(row[relevant[i]].copy(), row[~relevant[i]].copy())
        result[i] = pair.roc_auc(max_fpr)
    return result


# ---------------------------------------------------------------------------
# Averaging, written once
# ---------------------------------------------------------------------------
def weighted_total_is_zero(average, class_weights):
    """Whether ``average='weighted'`` meets classes of (about) zero total
    weight, where scikit-learn returns 0.0 without looking at the scores
    (``np.isclose``: its absolute tolerance takes tiny totals as zero)."""
    return average == "weighted" and bool(np.isclose(class_weights.sum(), 0.0))


def average_classes(values, average, class_weights):
    """scikit-learn's average of per-class (or per-column) binary scores.

    None returns ``values``; 'weighted' weighs them by ``class_weights``,
    where a class of zero weight counts 0 (not its NaN); others are the plain
    mean (NaN if any value is). The one-shot functions and the streaming
    accumulators both average through here.
    """
    if average is None:
        return values
    return _mean(values, class_weights if average == "weighted" else None)


def _averaged(metric, scores, positives, weights, average, max_fpr=None):
    """scikit-learn's ``_average_binary_score`` over the columns of ``scores``."""
    if average == "micro":
        return float(_micro(metric, scores, positives, weights, max_fpr))
    if average == "samples":
        per_row = _per_row(metric, scores, positives, max_fpr)
        return _mean(per_row, weights)
    class_weights = positives.column_weights(weights) if average == "weighted" else None
    if weighted_total_is_zero(average, class_weights):
        if not np.isfinite(scores).all():
            raise_non_finite(scores)
        return 0.0
    per_column = _per_column(metric, scores, positives, weights, max_fpr)
    return average_classes(per_column, average, class_weights)


def _mean(values, weights):
    """``np.average`` where entries of zero weight count as 0 (not nan)."""
    if weights is None:
        return float(np.average(values))
    values = np.where(weights == 0, 0.0, values)
    return float(np.average(values, weights=weights))


# ---------------------------------------------------------------------------
# Multilabel targets
# ---------------------------------------------------------------------------
def _multilabel_inputs(y_true, y_score, sample_weight):
    y = check_labels_2d(y_true, "y_true")
    check_not_empty(y.shape[0], "y_true, y_score")
    y_type = target_type(y, "y_true")
    scores, _ = prediction_array(y_score)
    if y_type != "multilabel-indicator":
        raise ValueError(f"{y_type} format is not supported")
    check_consistent_length(y, scores)
    if scores.shape != y.shape:
        raise ValueError(
            f"y_true and y_score have different shapes: {y.shape} and {scores.shape}."
        )
    weights = check_sample_weight(sample_weight, y.shape[0], ravel_column=True)
    return _Positives.of_indicator(y), scores, weights


def multilabel_roc_auc(y_true, y_score, *, average, sample_weight, max_fpr):
    """ROC AUC of a multilabel-indicator target (every average)."""
    positives, scores, weights = _multilabel_inputs(y_true, y_score, sample_weight)
    return _averaged("roc_auc", scores, positives, weights, average, max_fpr)


def multilabel_average_precision(y_true, y_score, *, average, pos_label, sample_weight):
    """Average precision of a multilabel-indicator target (every average)."""
    positives, scores, weights = _multilabel_inputs(y_true, y_score, sample_weight)
    if pos_label != 1:
        raise ValueError(
            "Parameter pos_label is fixed to 1 for multilabel-indicator y_true. "
            "Do not set pos_label or set pos_label to 1."
        )
    return _averaged("average_precision", scores, positives, weights, average)


# ---------------------------------------------------------------------------
# Multiclass targets
# ---------------------------------------------------------------------------
def multiclass_average_precision(y, y_score, *, average, pos_label, sample_weight):
    """One-vs-rest average precision of validated 1-D multiclass labels ``y``."""
    if pos_label != 1:
        raise ValueError(
            "Parameter pos_label is fixed to 1 for multiclass y_true. "
            "Do not set pos_label or set pos_label to 1."
        )
    encoded = encode_labels(y)
    scores, _ = prediction_array(y_score)
    if scores.shape != (y.shape[0], encoded.classes.shape[0]):
        raise ValueError(_SHAPE.format(scores.shape))
    weights = check_sample_weight(sample_weight, y.shape[0], ravel_column=True)
    positives = _Positives.of_codes(encoded.codes, encoded.counts)
    return _averaged("average_precision", scores, positives, weights, average)


def multiclass_roc_auc(y, y_score, *, average, sample_weight, max_fpr, multi_class, labels):
    """One-vs-rest or one-vs-one ROC AUC of validated 1-D labels ``y``.

    Beyond scikit-learn, one-vs-one accepts ``sample_weight`` (each pair's
    AUC weighs every (a, b) sample pair by ``w_a * w_b``, the 'weighted'
    prevalence of a pair is its share of the total weight) and
    ``average=None``, which returns the symmetric matrix of pairwise
    Hand & Till scores (``nan`` on the diagonal and for absent classes).
    """
    scores, _ = prediction_array(y_score)
    if max_fpr is not None and max_fpr != 1.0:
        raise ValueError(
            "Partial AUC computation not available in multiclass setting, "
            f"'max_fpr' must be set to `None`, received `max_fpr={max_fpr}` instead"
        )
    if multi_class == "raise":
        raise ValueError("multi_class must be in ('ovo', 'ovr')")
    if scores.ndim != 2:
        raise ValueError(_SHAPE.format(scores.shape))
    check_consistent_length(y, scores)
    options = ("macro", "weighted", None)
    if multi_class == "ovr":
        options = ("micro",) + options
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    n_cols = scores.shape[1]
    if labels is not None:
        classes = check_classes(labels, n_cols)
        if classes.shape[0] != n_cols:
            raise ValueError(
                f"Number of given labels, {classes.shape[0]}, not equal to the number "
                f"of columns in 'y_score', {n_cols}"
            )
        encoded = encode_labels(
            y, classes, unknown="'y_true' contains labels not in parameter 'labels'"
        )
    else:
        encoded = encode_labels(y)
        if encoded.classes.shape[0] != n_cols:
            raise ValueError(
                "Number of classes in y_true not equal to the number of columns in 'y_score'"
            )
    weights = check_sample_weight(sample_weight, y.shape[0], ravel_column=True)
    positives = _Positives.of_codes(encoded.codes, encoded.counts)
    if multi_class == "ovr" and average == "micro":
        _check_rows_sum_to_one(scores)
        return float(_micro("roc_auc", scores, positives, weights, None))
    class_weights = positives.column_weights(weights)
    if multi_class == "ovr" and weighted_total_is_zero(average, class_weights):
        _check_rows_sum_to_one(scores)
        return 0.0
    if weights is not None:
        # The class-pair statistics multiply two weights: keep extreme ones in
        # range (the AUCs and their averages are invariant to the scale).
        weights = scale_free(weights)
        class_weights = positives.column_weights(weights)
    stats = _class_pair_statistics(scores, encoded, weights)
    if multi_class == "ovr":
        per_class = _one_vs_rest(stats, encoded.counts, class_weights, y.shape[0])
        return average_classes(per_class, average, class_weights)
    return _one_vs_one(stats, encoded.counts, class_weights, average)


def _class_pair_statistics(scores, encoded, weights):
    """``U[a, b]``: weighted Mann-Whitney count of class ``a`` above class ``b``
    on column ``a``, from each column grouped by class and each group sorted.

    Also refuses rows that do not sum to one (scikit-learn's check), found by
    the pass that orders the samples by class. Columns go through a buffer a
    few at a time: the transposing writes then stay in cache, and the memory
    footprint stays small.
    """
    n, n_cols = scores.shape
    weighted = weights is not None
    bounds = np.zeros(n_cols + 1, dtype=np.intp)
    np.cumsum(encoded.counts, out=bounds[1:])
    position = np.empty(n, dtype=np.intp)
    w_grouped = np.empty(n) if weighted else _NO_WEIGHTS
    cursor = bounds[:-1].copy()
    finite, bad_rows = _multiclass.class_positions(
        scores, encoded.codes, cursor, position,
        weights if weighted else _NO_WEIGHTS, w_grouped,
    )
    if not np.array_equal(cursor, bounds[1:]):
        raise AssertionError("class counts disagree with the codes")
    if not finite:
        raise_non_finite(scores)
    if bad_rows:
        raise ValueError(_NOT_PROBABILITIES)
    stats = np.empty((n_cols, n_cols))
    block = max(min(n_cols, 16, _BLOCK_ELEMENTS // max(n, 1)), min(n_cols, 4))

    def columns(first, last):
        rows = np.empty((min(block, last - first), n), dtype=scores.dtype)
        w_rows = np.empty(rows.shape) if weighted else _NO_WEIGHTS_2D
        for c0 in range(first, last, block):
            c1 = min(last, c0 + block)
            grouped = rows[:c1 - c0]
            _multiclass.gather_columns(scores, position, c0, grouped)
            for row, w_row in zip(grouped, w_rows[:c1 - c0] if weighted else grouped):
                for b in range(n_cols):
                    group = row[bounds[b]:bounds[b + 1]]
                    if weighted:
                        order = np.argsort(group)
                        group[:] = group[order]
                        w_row[bounds[b]:bounds[b + 1]] = w_grouped[bounds[b]:bounds[b + 1]][order]
                    else:
                        group.sort()
            _pairwise.grouped_pair_statistics(
                grouped, w_rows[:c1 - c0] if weighted else _NO_WEIGHTS_2D, bounds, stats, c0
            )

    _on_both_cores(columns, n_cols, n * n_cols)
    return stats


# Columns gathered per block: up to this many values (128 MiB of float64),
# at least four columns. (Up to 16 columns per pass over the rows: the
# transposing writes then still stay in cache, and the gather reads each row
# once per block.)
_BLOCK_ELEMENTS = 1 << 24


def _on_both_cores(work, n_columns, size):
    """Run ``work(first, last)`` over column ranges, on two threads when the
    input is large: numpy's sort and the kernels release the GIL."""
    if size < _THREADED_SIZE or n_columns < 2 or _THREADS < 2:
        work(0, n_columns)
        return
    half = n_columns // 2
    both(work, (0, half), (half, n_columns))


_THREADS = THREADS
_THREADED_SIZE = 1 << 20


def _check_rows_sum_to_one(scores):
    """scikit-learn's ``np.allclose(1, y_score.sum(axis=1))`` for multiclass AUC."""
    if not np.allclose(1, scores.sum(axis=1)):
        if not np.isfinite(scores).all():
            raise_non_finite(scores)
        raise ValueError(_NOT_PROBABILITIES)


def _one_vs_rest(stats, counts, class_weights, n):
    rest = class_weights.sum() - class_weights
    undefined = set()
    result = np.empty(counts.shape[0])
    for c in range(counts.shape[0]):
        reason = _auc_undefined(counts[c], n, class_weights[c], rest[c])
        if reason is not None:
            undefined.add(reason)
            result[c] = np.nan
        else:
            # The one-vs-rest count is the sum of the one-vs-one counts.
            result[c] = stats[c].sum() / (class_weights[c] * rest[c])
    _warn_undefined(undefined, "roc_auc")
    return result


def _one_vs_one(stats, counts, class_weights, average):
    with np.errstate(divide="ignore", invalid="ignore"):
        directed = stats / np.outer(class_weights, class_weights)
    return one_vs_one_average(directed, counts, class_weights, average)


def one_vs_one_average(directed, counts, class_weights, average):
    """Hand & Till's one-vs-one ROC AUC from the directed pairwise AUCs.

    ``directed[a, b]`` is the AUC of class ``a`` against class ``b`` on
    column ``a`` (NaN where undefined); ``counts`` the samples of each class
    (absent classes take no part), ``class_weights`` their total weights.
    The one-shot function and the streaming accumulator both end here.
    """
    present = np.flatnonzero(counts > 0)
    with np.errstate(invalid="ignore"):
        pairwise = (directed + directed.T) / 2
    mask = np.zeros(pairwise.shape, dtype=bool)
    mask[np.ix_(present, present)] = True
    np.fill_diagonal(mask, False)
    pairwise[~mask] = np.nan
    upper = np.triu_indices(present.shape[0], 1)
    pair_scores = pairwise[np.ix_(present, present)][upper]
    if np.isnan(pair_scores).any():
        warn(
            "A class has zero total sample weight: the AUC of its pairs is not "
            "defined.", UndefinedMetricWarning,
        )
    if average is None:
        return pairwise
    if average == "weighted":
        pair_weight = (class_weights[present][:, None] + class_weights[present][None, :])
        prevalence = pair_weight[upper] / class_weights.sum()
        return float(np.average(pair_scores, weights=prevalence))
    return float(np.average(pair_scores))


# ---------------------------------------------------------------------------
# Top-k accuracy
# ---------------------------------------------------------------------------
def top_k_accuracy_score(y_true, y_score, *, k=2, normalize=True, sample_weight=None,
                         labels=None):
    """Top-k accuracy: the fraction of samples whose true class is among the
    ``k`` highest scores.

    Ties between scores rank the class of the later column first, as
    scikit-learn's reversed stable argsort does. No row is sorted: one pass
    counts, per row, the classes ranked above the true one.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores; for binary targets the scores of the greater label, for
        multiclass targets one column per class in the order of ``labels``
        (or of the sorted labels of ``y_true``).
    k : int, default=2
        Number of highest-scored classes counted as a hit.
    normalize : bool, default=True
        Return the fraction of hits (else their (weighted) number).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    labels : array-like of shape (n_classes,), default=None
        The sorted classes indexing the columns of ``y_score``.

    Returns
    -------
    float
        The top-k accuracy (fraction or count of hits).

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import top_k_accuracy_score
    >>> y_true = np.array([0, 1, 2, 2])
    >>> y_score = np.array([[0.5, 0.2, 0.2],
    ...                     [0.3, 0.4, 0.2],
    ...                     [0.2, 0.4, 0.3],
    ...                     [0.7, 0.2, 0.1]])
    >>> top_k_accuracy_score(y_true, y_score, k=2)
    0.75
    """
    func = "top_k_accuracy_score"  # scikit-learn's checks, in its order
    check_array_likes(func, y_true=y_true, y_score=y_score)
    check_int("k", k, func, 1)
    check_bool("normalize", normalize, func)
    check_array_likes(func, sample_weight=sample_weight, labels=labels)
    y = check_labels_1d(y_true, "y_true")
    y_type = target_type(y, "y_true")
    if y_type == "binary" and labels is not None and len(labels) > 2:
        y_type = "multiclass"
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"y type must be 'binary' or 'multiclass', got '{y_type}' instead.")
    scores, _ = prediction_array(y_score)
    if y_type == "binary":
        if scores.ndim == 2 and scores.shape[1] != 1:
            raise ValueError(
                f"`y_true` is binary while y_score is 2d with {scores.shape[1]} classes. "
                "If `y_true` does not contain all the labels, `labels` must be provided."
            )
        scores = scores.reshape(-1)
    elif scores.ndim != 2:
        raise ValueError(_SHAPE.format(scores.shape))
    check_consistent_length(y, scores)
    weights = check_sample_weight(sample_weight, y.shape[0])
    n_score_classes = scores.shape[1] if scores.ndim == 2 else 2
    if labels is None:
        encoded = encode_labels(y)
        if encoded.classes.shape[0] != n_score_classes:
            raise ValueError(
                f"Number of classes in 'y_true' ({encoded.classes.shape[0]}) not equal "
                f"to the number of classes in 'y_score' ({n_score_classes})."
                "You can provide a list of all known classes by assigning it "
                "to the `labels` parameter."
            )
        n_classes = encoded.classes.shape[0]
    else:
        classes = check_classes(labels, n_score_classes, suffix=".")
        n_classes = classes.shape[0]
        if n_classes != n_score_classes:
            raise ValueError(
                f"Number of given labels ({n_classes}) not equal to the number of "
                f"classes in 'y_score' ({n_score_classes})."
            )
        encoded = encode_labels(
            y, classes, unknown="'y_true' contains labels not in parameter 'labels'."
        )
    if k >= n_classes:
        warn(
            f"'k' ({k}) greater than or equal to 'n_classes' ({n_classes}) will result "
            "in a perfect score and is therefore meaningless.",
            UndefinedMetricWarning,
        )
    if scores.ndim == 1:
        if not np.isfinite(scores).all():
            raise_non_finite(scores)
        if k == 1:
            threshold = 0.5 if scores.min() >= 0 and scores.max() <= 1 else 0
            hits = (scores > threshold) == (encoded.codes == 1)
        else:
            hits = np.ones(scores.shape[0], dtype=bool)
        n_hits = int(np.count_nonzero(hits))
        weighted_hits = float(np.dot(hits, weights)) if weights is not None else float(n_hits)
    else:
        n_hits, weighted_hits, finite = _multiclass.top_k_hits(
            scores, encoded.codes, k, weights if weights is not None else _NO_WEIGHTS
        )
        if not finite:
            raise_non_finite(scores)
    if not normalize:
        return float(weighted_hits)
    if weights is None:
        return n_hits / y.shape[0]
    return float(weighted_hits / weights.sum())
