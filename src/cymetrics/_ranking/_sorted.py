"""Binary scores split by class and sorted: the one entry to the sweep kernels.

Every curve and ranking metric calls `sort_binary_scores` (or, for scores
split already, `sorted_pair`) and then walks the resulting `SortedScores`
with the kernels of `cymetrics._kernels._sweep`.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._kernels import _sweep
from cymetrics._shared._validation import (
    check_consistent_length,
    check_not_empty,
    check_sample_weight,
    check_scores,
    raise_non_finite,
    scale_free,
)

__all__ = [
    "EXACT_PAIRS",
    "SortedScores",
    "sort_binary_scores",
    "sorted_pair",
    "split_binary_scores",
]

_NO_WEIGHTS = np.empty(0, dtype=np.float64)
# The exact unweighted AUC numerator (twice the Mann-Whitney U) is an int64
# below 2 * n_pos * n_neg: class sizes whose product reaches this are counted
# in float64 instead.
EXACT_PAIRS = 2**61


class SortedScores(NamedTuple):
    """Each class's scores sorted ascending, with aligned weights if any."""

    pos: np.ndarray
    neg: np.ndarray
    pos_w: np.ndarray
    neg_w: np.ndarray
    total_pos: float
    total_neg: float
    weighted: bool
    thresholds_dtype: np.dtype

    def distinct_thresholds(self):
        return _sweep.count_distinct_thresholds(self.pos, self.neg)

    def curve(self):
        """Cumulative ``(fps, tps, thresholds)``, thresholds decreasing."""
        n = self.distinct_thresholds()
        fps = np.empty(n, dtype=np.float64)
        tps = np.empty(n, dtype=np.float64)
        thresholds = np.empty(n, dtype=self.pos.dtype)
        _sweep.sorted_sweep_curve(
            self.pos, self.neg, self.pos_w, self.neg_w, self.weighted,
            fps, tps, thresholds,
        )
        return fps, tps, thresholds

    def roc_auc(self, max_fpr=None):
        """ROC AUC; both classes must have positive total weight."""
        pos_w, neg_w, total_pos, total_neg = self._scale_free_weights()
        return _sweep.sorted_sweep_auc(
            self.pos, self.neg, pos_w, neg_w, total_pos, total_neg, self.weighted,
            1.0 if max_fpr is None else float(max_fpr),
        )

    def _scale_free_weights(self):
        """``(pos_w, neg_w, total_pos, total_neg)``, times an exact power of two
        when extreme (`scale_free`): the sweeps multiply and halve weights,
        and the AUC and AP do not depend on their scale."""
        if not self.weighted:
            return self.pos_w, self.neg_w, self.total_pos, self.total_neg
        pos_w, neg_w, totals = scale_free(self.pos_w, self.neg_w,
                                          [self.total_pos, self.total_neg])
        return pos_w, neg_w, float(totals[0]), float(totals[1])

    def average_precision(self):
        """Step-wise average precision; 0.0 when there is no positive."""
        if self.total_pos == 0:
            return 0.0
        pos_w, neg_w, total_pos, _ = self._scale_free_weights()
        ap = _sweep.sorted_sweep_average_precision(
            self.pos, self.neg, pos_w, neg_w, total_pos, self.weighted,
        )
        return max(0.0, ap)


def sorted_pair(pos, neg, pos_w=None, neg_w=None, thresholds_dtype=None):
    """`SortedScores` of scores split by class (and weights, or None).

    Unweighted classes are value-sorted in place (no argsort); weighted ones
    argsort to carry their weights. Class sizes whose product would overflow
    the exact int64 AUC numerator are counted in float64 instead.
    """
    if thresholds_dtype is None:
        thresholds_dtype = pos.dtype
    if pos_w is None:
        pos.sort()
        neg.sort()
        n_pos, n_neg = pos.shape[0], neg.shape[0]
        if n_pos * n_neg < EXACT_PAIRS:
            return SortedScores(pos, neg, _NO_WEIGHTS, _NO_WEIGHTS, float(n_pos), float(n_neg),
                                False, thresholds_dtype)
        pos_w, neg_w = np.ones(n_pos), np.ones(n_neg)
    else:
        pos, pos_w = _sort_with_weights(pos, pos_w)
        neg, neg_w = _sort_with_weights(neg, neg_w)
    return SortedScores(pos, neg, pos_w, neg_w, float(pos_w.sum()), float(neg_w.sum()), True,
                        thresholds_dtype)


def sort_binary_scores(is_pos, y_score, sample_weight=None):
    """Validate scores and weights, split the scores by class, sort each class.

    Weighted input drops zero-weight samples, as scikit-learn does.
    """
    scores, thresholds_dtype = check_scores(y_score)
    check_consistent_length(is_pos, scores)
    check_not_empty(scores.shape[0], "y_true, y_score")
    w = check_sample_weight(sample_weight, scores.shape[0], ravel_column=True)
    return sorted_pair(*split_binary_scores(is_pos, scores, w), thresholds_dtype)


def split_binary_scores(is_pos, scores, weights=None):
    """Split validated scores (and weights) by class in one pass, unsorted.

    Zero-weight samples are dropped; ``pos_w``/``neg_w`` are None when
    unweighted. Raises ValueError if a score is not finite (zero-weight
    samples included, as scikit-learn checks them too).
    """
    mask = np.ascontiguousarray(is_pos).view(np.uint8)
    n_pos = int(np.count_nonzero(mask))
    pos = np.empty(n_pos, dtype=scores.dtype)
    neg = np.empty(scores.shape[0] - n_pos, dtype=scores.dtype)
    if weights is None:
        if not _sweep.split_by_class(scores, mask, pos, neg):
            raise_non_finite("y_score")
        return pos, neg, None, None
    pos_w = np.empty(n_pos, dtype=np.float64)
    neg_w = np.empty(neg.shape[0], dtype=np.float64)
    kept_pos, kept_neg, finite = _sweep.split_by_class_weighted(
        scores, mask, weights, pos, pos_w, neg, neg_w
    )
    if not finite:
        raise_non_finite("y_score")
    return pos[:kept_pos], neg[:kept_neg], pos_w[:kept_pos], neg_w[:kept_neg]


def _sort_with_weights(scores, weights):
    order = np.argsort(scores)
    return np.ascontiguousarray(scores[order]), np.ascontiguousarray(weights[order])
