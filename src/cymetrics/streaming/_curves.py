"""Binary ranking metrics and curves from an exact score state.

Each class's sorted scores (with their counts, if collapsed) go to the
sweep kernels of `cymetrics._binary_scores` as the one-shot functions hand
them their sorted input: raw unweighted classes *are* that input; counted
ones go as weighted classes, whose integer counts stay exact in float64
below 2**53, and the full AUC of integer counts is the exact Mann-Whitney
count the one-shot kernel computes. So every number is the one the
one-shot function computes on all the data. The post-processing mirrors
`cymetrics._ranking` (same warnings, same edge cases) on the cumulative
counts; `_ranking` could call it to keep one copy (see the report).
"""

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import InvalidParameterError, UndefinedMetricWarning
from cymetrics._kernels import _streaming
from cymetrics._ranking import _keep_corners

__all__ = ["ScoreCounts", "twice_mann_whitney"]


def _check_max_fpr(max_fpr):
    if max_fpr is not None and (
        not isinstance(max_fpr, numbers.Real)
        or isinstance(max_fpr, bool)
        or not 0.0 < max_fpr <= 1.0
    ):
        raise InvalidParameterError(
            "The 'max_fpr' parameter of roc_auc_score must be a float in the "
            f"range (0.0, 1.0] or None. Got {max_fpr!r} instead."
        )


def _check_threshold(threshold):
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise InvalidParameterError(f"threshold must be a real number; got {threshold!r}")
    if np.isnan(threshold):
        raise InvalidParameterError("threshold must not be NaN")
    return float(threshold)


def twice_mann_whitney(pos, neg):
    """``(2 U, 2 P N)`` as Python ints from int64 counts in ascending score order.

    ``2 U`` counts each (positive, negative) pair 2 when the positive
    scores higher and 1 when tied: exact, as the one-shot kernel counts it.
    None when ``P N`` is so large that the one-shot switches to float counts.
    """
    total_pos, total_neg = int(pos.sum()), int(neg.sum())
    if total_pos * total_neg >= 2**61:
        return None
    return _streaming.twice_mann_whitney(pos, neg), 2 * total_pos * total_neg


class ScoreCounts(NamedTuple):
    """What the metrics need from a score state.

    ``exact`` is an `ExactState` (a sketch's buckets as one), or None when
    nothing was seen. ``n_pos_samples``/``n_neg_samples`` count samples
    whatever their weight (class presence, as the one-shot functions see it).
    """

    exact: object
    n_pos_samples: int
    n_neg_samples: int
    n_classes: int
    thresholds_dtype: np.dtype

    def _require_data(self):
        if self.n_pos_samples + self.n_neg_samples == 0:
            raise ValueError(
                "Found empty input array (y_true, y_score) while a minimum of 1 "
                "sample is required: the accumulator has seen no data."
            )

    def _require_run(self):
        self._require_data()
        if self.exact is None or self.exact.empty:
            raise ValueError("Sample weights must contain at least one non-zero number.")
        return self.exact.compacted()

    def _totals(self):
        """Total positive and negative weight, as floats (as the one-shot sums them)."""
        state = self._require_run()
        return float(state.pos.total), float(state.neg.total)

    def sorted_scores(self):
        """The state as `SortedScores`; the data must hold a non-zero weight."""
        return self._require_run().sorted_scores(self.thresholds_dtype)

    def curve(self):
        """Cumulative ``(fps, tps, thresholds)`` with thresholds decreasing."""
        return self.sorted_scores().curve()

    def _thresholds(self, thresholds):
        return thresholds.astype(self.thresholds_dtype, copy=False)

    def confusion_matrix_at_thresholds(self):
        fps, tps, thresholds = self.curve()
        return fps[-1] - fps, fps, tps[-1] - tps, tps, self._thresholds(thresholds)

    def roc_curve(self, drop_intermediate=True):
        fps, tps, thresholds = self.curve()
        if drop_intermediate and fps.shape[0] > 2:
            keep = _keep_corners(fps, tps, second_difference=True)
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        fps = np.concatenate([[0.0], fps])
        tps = np.concatenate([[0.0], tps])
        thresholds = np.concatenate([[np.inf], thresholds.astype(np.float64)])
        if fps[-1] <= 0:
            warnings.warn(
                "No negative samples in y_true, false positive value should be meaningless",
                UndefinedMetricWarning,
                stacklevel=3,
            )
            fpr = np.full(fps.shape, np.nan)
        else:
            fpr = fps / fps[-1]
        if tps[-1] <= 0:
            warnings.warn(
                "No positive samples in y_true, true positive value should be meaningless",
                UndefinedMetricWarning,
                stacklevel=3,
            )
            tpr = np.full(tps.shape, np.nan)
        else:
            tpr = tps / tps[-1]
        return fpr, tpr, thresholds

    def precision_recall_curve(self, drop_intermediate=False):
        fps, tps, thresholds = self.curve()
        if drop_intermediate and fps.shape[0] > 2:
            keep = _keep_corners(fps, tps, second_difference=False)
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        ps = tps + fps
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = np.where(ps != 0, tps / ps, 0.0)
        if tps[-1] == 0:
            warnings.warn(
                "No positive class found in y_true, recall is set to one for all thresholds.",
                UserWarning,
                stacklevel=3,
            )
            recall = np.ones(tps.shape)
        else:
            recall = tps / tps[-1]
        return (
            np.concatenate([precision[::-1], [1.0]]),
            np.concatenate([recall[::-1], [0.0]]),
            self._thresholds(thresholds[::-1]),
        )

    def det_curve(self, drop_intermediate=False):
        fps, tps, thresholds = self.curve()
        tps = np.concatenate([[0.0], tps])
        fps = np.concatenate([[0.0], fps])
        thresholds = np.concatenate([[np.inf], thresholds.astype(np.float64)])
        if drop_intermediate and fps.shape[0] > 2:
            keep = _keep_corners(fps, tps, second_difference=False)
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        if self.n_classes != 2:
            raise ValueError(
                "Only one class is present in y_true. Detection error "
                "tradeoff curve is not defined in that case."
            )
        fns = tps[-1] - tps
        p_count, n_count = tps[-1], fps[-1]
        if p_count == 0 or n_count == 0:
            warnings.warn(
                f"No {'positive' if p_count == 0 else 'negative'} samples with non-zero "
                "weight in y_true: the DET curve is not defined (nan).",
                UndefinedMetricWarning,
                stacklevel=3,
            )
        first = np.searchsorted(fps, fps[0], side="right") - 1
        last = np.searchsorted(tps, tps[-1]) + 1
        sl = slice(first if first > 0 else None, last)
        with np.errstate(divide="ignore", invalid="ignore"):
            return fps[sl][::-1] / n_count, fns[sl][::-1] / p_count, thresholds[sl][::-1]

    def roc_auc_score(self, max_fpr=None):
        _check_max_fpr(max_fpr)
        self._require_data()
        if self.n_classes < 2:
            warnings.warn(
                "Only one class is present in y_true. ROC AUC score is not defined in that case.",
                UndefinedMetricWarning,
                stacklevel=3,
            )
            return float("nan")
        state = self._require_run()
        total_pos, total_neg = self._totals()
        if total_pos <= 0 or total_neg <= 0:
            which = "positive" if total_pos <= 0 else "negative"
            warnings.warn(
                f"No {which} samples in y_true with non-zero weight; ROC AUC is not "
                "defined in that case.",
                UndefinedMetricWarning,
                stacklevel=3,
            )
            return float("nan")
        if max_fpr == 1:
            max_fpr = None
        counted = state.pos.count is not None or state.neg.count is not None
        exact = None
        if max_fpr is None and counted and not state.weighted:
            run = state.joint()
            exact = twice_mann_whitney(run.pos, run.neg)
        if exact is not None:
            # The one-shot kernel's own expression, so the same double.
            return float(exact[0]) / (2.0 * total_pos * total_neg)
        return float(self.sorted_scores().roc_auc(max_fpr))

    def average_precision_score(self):
        sorted_scores = self.sorted_scores()
        if sorted_scores.total_pos == 0:
            warnings.warn(
                "No positive class found in y_true, recall is set to one for all thresholds.",
                UserWarning,
                stacklevel=3,
            )
        return float(sorted_scores.average_precision())

    def confusion_matrix(self, threshold):
        """``[[tn, fp], [fn, tp]]`` of the prediction ``score >= threshold``."""
        threshold = np.float64(_check_threshold(threshold))
        state = self._require_run()
        tp, fp = state.pos.at_or_above(threshold), state.neg.at_or_above(threshold)
        fn, tn = state.pos.total - tp, state.neg.total - fp
        dtype = np.float64 if state.weighted else np.int64
        return np.array([[tn, fp], [fn, tp]], dtype=dtype)
