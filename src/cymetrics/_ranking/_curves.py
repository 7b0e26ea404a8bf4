"""ROC, precision-recall and DET points from one sweep's cumulative counts.

The one copy of the post-processing of a `SortedScores` sweep -- the
cumulative false and true positives (counts or weights) at each distinct
threshold, thresholds decreasing. The one-shot curves
(`cymetrics._ranking._binary`), the streaming accumulators and the threshold
functions all call it, so a curve has the same points, warnings and edge
cases wherever it comes from. ``drop_intermediate`` is applied by the sweep
itself (`SortedScores.points`), so the full curve is never built; the rest
keeps scikit-learn's numpy order, so results are bit-identical.
"""

import numpy as np

from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._kernels import _sweep
from cymetrics._ranking._sorted import (
    KEEP_ALL,
    KEEP_CORNERS,
    KEEP_TPS_ENDS,
    KEEP_TPS_ENDS_AFTER_ORIGIN,
)
from cymetrics._shared._parallel import in_halves
from cymetrics._shared._warnings import warn

__all__ = [
    "counts_at_thresholds",
    "det_points",
    "pr_points",
    "roc_points",
    "with_origin",
]


_NO_RATES = np.empty(0)


def with_origin(fps, tps, thresholds):
    """The points with the origin prepended: ``threshold = inf``, nothing
    predicted positive; thresholds as float64."""
    return (np.concatenate([[0.0], fps]), np.concatenate([[0.0], tps]),
            np.concatenate([[np.inf], thresholds.astype(np.float64)]))


def counts_at_thresholds(scores):
    """``confusion_matrix_at_thresholds`` of a `SortedScores`:
    ``(tns, fps, fns, tps, thresholds)``."""
    fps, tps, thresholds = scores.points()
    if fps.shape[0] == 0:
        return fps, fps.copy(), fps.copy(), tps, thresholds.astype(scores.thresholds_dtype)
    return (fps[-1] - fps, fps, tps[-1] - tps, tps,
            thresholds.astype(scores.thresholds_dtype, copy=False))


def roc_points(scores, drop_intermediate):
    """``roc_curve`` of a `SortedScores`: ``(fpr, tpr, thresholds)`` with ``inf`` first."""
    fps, tps, thresholds = scores.points(KEEP_CORNERS if drop_intermediate else KEEP_ALL,
                                         origin=True)
    return _rate(fps, "negative", "false"), _rate(tps, "positive", "true"), thresholds


def _rate(counts, kind, which):
    """Cumulative counts over their total; NaN (and scikit-learn's warning)
    when the class is absent."""
    if counts[-1] <= 0:
        warn(f"No {kind} samples in y_true, {which} positive value should be meaningless",
             UndefinedMetricWarning)
        return np.full(counts.shape, np.nan)
    # In place: the counts are the sweep's own fresh array, used once.
    return np.divide(counts, counts[-1], out=counts)


def pr_points(scores, drop_intermediate):
    """``precision_recall_curve`` of a `SortedScores`: ``(precision, recall,
    thresholds)``, recall decreasing, with the point ``(1, 0)`` last.

    Every threshold holds a sample of non-zero weight (zero weights are
    dropped before the sweep), so ``tps + fps > 0`` at every point.
    """
    fps, tps, thresholds = scores.points(KEEP_TPS_ENDS if drop_intermediate else KEEP_ALL)
    # Written reversed straight into the outputs (recall decreasing); every
    # element is written once (no fill first).
    m = tps.shape[0]
    precision = np.empty(m + 1)
    recall = np.empty(m + 1)
    precision[m], recall[m] = 1.0, 0.0
    no_positive = m > 0 and tps[-1] == 0
    _reversed_rates(fps, tps, _sweep.PRECISION_RECALL, 1.0, float(tps[-1]) if m else 1.0,
                    precision[:m], _NO_RATES if no_positive else recall[:m])
    if no_positive:
        warn("No positive class found in y_true, recall is set to one for all thresholds.",
             UserWarning)
        recall[:-1] = 1.0
    # Reversed as a view, as scikit-learn returns it (no copy).
    return precision, recall, thresholds[::-1].astype(scores.thresholds_dtype, copy=False)


def _reversed_rates(fps, tps, kind, total_neg, total_pos, first, second):
    """`_sweep.reversed_rates`, the two halves of a long curve on two threads."""
    m = tps.shape[0]

    def part(start, stop):
        # Points [start, stop) fill outputs [m - stop, m - start).
        _sweep.reversed_rates(fps[start:stop], tps[start:stop], kind, total_neg, total_pos,
                              first[m - stop:m - start],
                              second[m - stop:m - start] if second.shape[0] else second)

    in_halves(part, m)


def det_points(scores, drop_intermediate, n_classes):
    """``det_curve`` of a `SortedScores`: ``(fpr, fnr, thresholds)``,
    thresholds increasing.

    ``n_classes`` is the number of labels in y_true (both must occur).
    """
    fps, tps, thresholds = scores.points(
        KEEP_TPS_ENDS_AFTER_ORIGIN if drop_intermediate else KEEP_ALL, origin=True)
    if n_classes != 2:
        raise ValueError(
            "Only one class is present in y_true. Detection error "
            "tradeoff curve is not defined in that case."
        )
    p_count, n_count = tps[-1], fps[-1]
    if p_count == 0 or n_count == 0:
        # pos_label absent, or a class with zero total weight: scikit-learn
        # divides by zero (RuntimeWarning); the rates are undefined.
        warn(f"No {'positive' if p_count == 0 else 'negative'} samples with non-zero "
             "weight in y_true: the DET curve is not defined (nan).", UndefinedMetricWarning)
    first = np.searchsorted(fps, fps[0], side="right") - 1
    last = np.searchsorted(tps, tps[-1]) + 1
    sl = slice(first if first > 0 else None, last)
    # Only the kept slice (scikit-learn's operations, reversed in one pass;
    # a zero total gives nan/inf as numpy's division does, without its warning).
    kept_fps, kept_tps = fps[sl], tps[sl]
    fpr, fnr = np.empty(kept_fps.shape[0]), np.empty(kept_fps.shape[0])
    _reversed_rates(kept_fps, kept_tps, _sweep.DET, float(n_count), float(p_count), fpr, fnr)
    return fpr, fnr, thresholds[sl][::-1]
