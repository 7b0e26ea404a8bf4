"""Binary ranking metrics and curves from an exact score state.

Each class's sorted scores (with their counts, if collapsed) go to the
sweep kernels as the one-shot functions hand them their sorted input: raw
unweighted classes *are* that input; counted ones go as weighted classes,
whose integer counts stay exact in float64 below 2**53, and the full AUC of
integer counts is the exact Mann-Whitney count the one-shot kernel computes.
The curves' post-processing is the one-shot's own
(`cymetrics._ranking._curves`), so every number, warning and edge case is
the one the one-shot function gives on all the data.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._kernels import _streaming
from cymetrics._ranking._curves import counts_at_thresholds, det_points, pr_points, roc_points
from cymetrics._ranking._sorted import EXACT_PAIRS
from cymetrics._shared._params import check_max_fpr, check_real
from cymetrics._shared._warnings import warn

__all__ = ["ScoreCounts", "twice_mann_whitney"]


def twice_mann_whitney(pos, neg):
    """``(2 U, 2 P N)`` as Python ints from int64 counts in ascending score order.

    ``2 U`` counts each (positive, negative) pair 2 when the positive
    scores higher and 1 when tied: exact, as the one-shot kernel counts it.
    None when ``P N`` is so large that the one-shot switches to float counts.
    """
    total_pos, total_neg = int(pos.sum()), int(neg.sum())
    if total_pos * total_neg >= EXACT_PAIRS:
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

    def confusion_matrix_at_thresholds(self):
        return counts_at_thresholds(self.sorted_scores())

    def roc_curve(self, drop_intermediate=True):
        return roc_points(self.sorted_scores(), drop_intermediate)

    def precision_recall_curve(self, drop_intermediate=False):
        return pr_points(self.sorted_scores(), drop_intermediate)

    def det_curve(self, drop_intermediate=False):
        return det_points(self.sorted_scores(), drop_intermediate, self.n_classes)

    def auc_or_nan(self):
        """The full ROC AUC, or NaN (without a warning) where it is undefined."""
        if self.n_classes < 2 or self.exact is None or self.exact.empty:
            return float("nan")
        total_pos, total_neg = self._totals()
        if total_pos <= 0 or total_neg <= 0:
            return float("nan")
        return self._auc(None)

    def roc_auc_score(self, max_fpr=None):
        max_fpr = check_max_fpr(max_fpr)
        self._require_data()
        if self.n_classes < 2:
            warn(
                "Only one class is present in y_true. ROC AUC score is not defined in that case.",
                UndefinedMetricWarning,
            )
            return float("nan")
        self._require_run()
        total_pos, total_neg = self._totals()
        if total_pos <= 0 or total_neg <= 0:
            which = "positive" if total_pos <= 0 else "negative"
            warn(
                f"No {which} samples in y_true with non-zero weight; ROC AUC is not "
                "defined in that case.",
                UndefinedMetricWarning,
            )
            return float("nan")
        return self._auc(max_fpr)

    def _auc(self, max_fpr):
        """The ROC AUC of a state holding both classes with positive weight."""
        state = self._require_run()
        total_pos, total_neg = self._totals()
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
            warn(
                "No positive class found in y_true, recall is set to one for all thresholds.",
                UserWarning,
            )
        return float(sorted_scores.average_precision())

    def confusion_matrix(self, threshold):
        """``[[tn, fp], [fn, tp]]`` of the prediction ``score >= threshold``."""
        threshold = np.float64(check_real("threshold", threshold, "confusion_matrix"))
        state = self._require_run()
        tp, fp = state.pos.at_or_above(threshold), state.neg.at_or_above(threshold)
        fn, tn = state.pos.total - tp, state.neg.total - fp
        dtype = np.float64 if state.weighted else np.int64
        return np.array([[tn, fp], [fn, tp]], dtype=dtype)
