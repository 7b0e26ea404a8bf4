"""Validate binary (y_true, y_score) input and sort each class's scores.

This is the single entry to the sweep kernels: every curve and ranking
metric calls `sort_binary_scores` and then walks the result.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import InputTypeError
from cymetrics._kernels import _labels, _sweep
from cymetrics._validation import (
    as_native,
    check_consistent_length,
    check_labels_1d,
    check_sample_weight,
    check_scores,
    raise_non_finite,
    target_type,
)

_NO_WEIGHTS = np.empty(0, dtype=np.float64)


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
        return _sweep.sorted_sweep_auc(
            self.pos, self.neg, self.pos_w, self.neg_w,
            self.total_pos, self.total_neg, self.weighted,
            1.0 if max_fpr is None else float(max_fpr),
        )

    def average_precision(self):
        """Step-wise average precision; 0.0 when there is no positive."""
        if self.total_pos == 0:
            return 0.0
        ap = _sweep.sorted_sweep_average_precision(
            self.pos, self.neg, self.pos_w, self.neg_w, self.total_pos, self.weighted,
        )
        return max(0.0, ap)


class BinaryTarget(NamedTuple):
    """A validated 1-D target; ``classes`` is filled for binary targets."""

    y: np.ndarray
    y_type: str
    classes: np.ndarray
    # From the scan of a numeric binary target: its first value, its second
    # (None if only one) and the mask y == second.
    first: object = None
    second: object = None
    is_second: np.ndarray | None = None

    def equals(self, label):
        """Boolean mask ``y == label`` (all False for a label of another kind)."""
        if (self.y.dtype.kind == "U") != isinstance(label, str):
            return np.zeros(self.y.shape[0], dtype=bool)
        if self.is_second is None:
            return np.asarray(self.y == label, dtype=bool)
        if self.second is not None and label == self.second:
            return self.is_second.view(bool)
        if label == self.first:
            return ~self.is_second.view(bool)
        return np.zeros(self.y.shape[0], dtype=bool)


_SCAN_DTYPES = {
    np.dtype(t): np.dtype(t)
    for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
              np.uint32, np.float32, np.float64)
}
_SCAN_DTYPES[np.dtype(np.float16)] = np.dtype(np.float32)
_SCAN_DTYPES[np.dtype(np.bool_)] = np.dtype(np.uint8)


def binary_target(y_true):
    """Validate a 1-D ``y_true`` and find its classes in one pass when numeric.

    Numeric labels are scanned by a kernel that stops counting at a third
    distinct value, so no sort is needed to tell binary from multiclass.
    """
    y = check_labels_1d(y_true, "y_true")
    scan_dtype = _SCAN_DTYPES.get(y.dtype.newbyteorder("="))
    if y.shape[0] and scan_dtype is not None:
        is_second = np.empty(y.shape[0], dtype=np.uint8)
        scanned = as_native(y.view(np.uint8) if y.dtype.kind == "b" else y, scan_dtype)
        first, second, more = _labels.scan_two_values(scanned, is_second)
        values = [first] if second is None else sorted([first, second])
        if not more and all(np.isfinite(v) and float(v).is_integer() for v in values):
            classes = np.asarray(values).astype(y.dtype)
            return BinaryTarget(y, "binary", classes, first, second, is_second)
    y_type = target_type(y, "y_true")
    classes = np.unique(y) if y_type == "binary" else np.empty(0, dtype=y.dtype)
    return BinaryTarget(y, y_type, classes)


def resolve_pos_label(target, pos_label):
    """scikit-learn's pos_label rule: default 1 only for {0, 1} / {-1, 1} data."""
    if pos_label is not None:
        return pos_label
    classes = target.classes
    if classes.dtype.kind in "iufb" and classes.tolist() in ([0, 1], [-1, 1], [0], [-1], [1]):
        return 1
    shown = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in classes.tolist())
    raise ValueError(
        f"y_true takes value in {{{shown}}} and pos_label is not specified: "
        "either make y_true take value in {0, 1} or {-1, 1} or pass pos_label "
        "explicitly."
    )


def binary_positive_mask(y_true, pos_label):
    """Validate ``y_true`` for a binary curve; return ``y_true == pos_label``.

    Multiclass ``y_true`` is accepted when ``pos_label`` is given (that class
    against the rest), as in scikit-learn.
    """
    target = binary_target(y_true)
    check_curve_target(target, pos_label)
    return target.equals(resolve_pos_label(target, pos_label))


def check_curve_target(target, pos_label):
    """Binary, or multiclass with an explicit ``pos_label`` (one vs rest)."""
    y_type = target.y_type
    if y_type == "binary" or (y_type == "multiclass" and pos_label is not None):
        return
    # Object arrays of non-labels: scikit-learn fails with ValueError or,
    # from numpy's sort, TypeError; InputTypeError is both.
    error = InputTypeError if y_type == "unknown" else ValueError
    raise error(f"{y_type} format is not supported")


def sort_binary_scores(is_pos, y_score, sample_weight=None):
    """Split ``y_score`` by class and sort each class ascending.

    Unweighted input needs only value sorts (no argsort). Weighted input drops
    zero-weight samples, as scikit-learn does, and argsorts each class to
    carry its weights.
    """
    scores, thresholds_dtype = check_scores(y_score)
    check_consistent_length(is_pos, scores)
    if scores.shape[0] == 0:
        raise ValueError(
            "Found empty input array (y_true, y_score) while a minimum of 1 "
            "sample is required."
        )
    w = check_sample_weight(sample_weight, scores.shape[0], ravel_column=True)
    pos, neg, pos_w, neg_w = split_binary_scores(is_pos, scores, w)
    if w is None:
        pos.sort()
        neg.sort()
        weighted = False
        pos_w = neg_w = _NO_WEIGHTS
        total_pos, total_neg = float(pos.shape[0]), float(neg.shape[0])
        if pos.shape[0] * neg.shape[0] >= 2**61:
            # Beyond int64 for the exact AUC numerator: count in float64.
            pos_w, neg_w = np.ones(pos.shape[0]), np.ones(neg.shape[0])
            weighted = True
    else:
        pos, pos_w = _sort_with_weights(pos, pos_w)
        neg, neg_w = _sort_with_weights(neg, neg_w)
        weighted = True
        total_pos, total_neg = float(pos_w.sum()), float(neg_w.sum())
    return SortedScores(
        pos, neg, pos_w, neg_w, total_pos, total_neg, weighted, thresholds_dtype
    )


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
