"""Per-label confusion counts -> set-wise scores, written once.

Every set-wise metric (precision, recall, F-beta, Jaccard, specificity, NPV,
FPR, FNR, per-label MCC) is a ratio of the four counts of a one-vs-rest
confusion matrix. This module divides them with scikit-learn's
``zero_division`` rules and warnings, then averages the per-label (or, for
``average='samples'``, per-sample) values with scikit-learn's rules.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._shared._validation import scale_free
from cymetrics._shared._warnings import warn

__all__ = [
    "RATIOS",
    "LabelCounts",
    "Ratio",
    "average_scores",
    "average_weights",
    "divide",
    "fbeta_ratio",
    "ratio_scores",
]


class LabelCounts(NamedTuple):
    """One-vs-rest counts per label (or per sample for ``average='samples'``).

    The arrays share one dtype: int64 for counts, float64 for weighted sums,
    as scikit-learn's ``multilabel_confusion_matrix`` returns them.
    """

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray

    @property
    def support(self):
        """Weight of the samples whose true labels include the label."""
        return self.tp + self.fn

    def summed(self):
        """The micro-average: one label holding every label's counts."""
        return LabelCounts(*(np.sum(c).reshape(1) for c in self))

    def matrices(self):
        """The ``(n, 2, 2)`` array ``[[tn, fp], [fn, tp]]`` per label."""
        return np.stack([self.tn, self.fp, self.fn, self.tp]).T.reshape(-1, 2, 2)


class Ratio(NamedTuple):
    """A score defined as ``numerator(counts) / denominator(counts)``.

    ``modifier`` completes scikit-learn's warning text "... in labels with no
    {modifier} samples" for a zero denominator; ``uses_tn`` says whether the
    true negatives enter it.
    """

    name: str
    numerator: Callable
    denominator: Callable
    modifier: str
    uses_tn: bool = False


def _as_float(a):
    return np.asarray(a, dtype=np.float64)


def _mcc_terms(c):
    """``tp, fp, fn, tn`` for the MCC's products: Python ints (object
    arrays) for integer counts from 2**13 on, where a float64 product of
    four counts stops being exact (and the difference of two products
    cancels); else float64, rescaled when extreme (`scale_free`)."""
    arrays = [np.asarray(x) for x in c]
    if all(a.dtype.kind in "iu" for a in arrays) and max(
            (int(a.max()) for a in arrays if a.size), default=0) >= 2**13:
        return [a.astype(object) for a in arrays]
    return scale_free(*arrays)


def _mcc_numerator(c):
    tp, fp, fn, tn = _mcc_terms(c)
    return _as_float(tp * tn - fp * fn)


def _mcc_denominator(c):
    tp, fp, fn, tn = _mcc_terms(c)
    return np.sqrt(_as_float((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)))


# scikit-learn's precision, recall and Jaccard compute pred = tp + fp and
# true = tp + fn from the confusion counts exactly like this; keeping the same
# sums keeps the same rounding for weighted input.
RATIOS = {
    "precision": Ratio("precision", lambda c: c.tp, lambda c: c.tp + c.fp, "predicted"),
    "recall": Ratio("recall", lambda c: c.tp, lambda c: c.tp + c.fn, "true"),
    "jaccard": Ratio("jaccard", lambda c: c.tp, lambda c: c.tp + c.fp + c.fn, "true or predicted"),
    "specificity": Ratio("specificity", lambda c: c.tn, lambda c: c.tn + c.fp, "negative", True),
    "npv": Ratio("npv", lambda c: c.tn, lambda c: c.tn + c.fn, "predicted negative", True),
    "fpr": Ratio("fpr", lambda c: c.fp, lambda c: c.fp + c.tn, "negative", True),
    "fnr": Ratio("fnr", lambda c: c.fn, lambda c: c.fn + c.tp, "true"),
    "mcc": Ratio("mcc", _mcc_numerator, _mcc_denominator, "variation in true or predicted",
                 True),
}
# Capitalised names used in warnings ("Precision is ill-defined ...").
_DISPLAY = {"npv": "NPV", "fpr": "FPR", "fnr": "FNR", "mcc": "MCC"}


def fbeta_ratio(beta):
    """F-beta as ``(1 + b^2) tp / (b^2 (tp + fn) + (tp + fp))``."""
    beta2 = beta * beta
    return Ratio(
        "f-score",
        lambda c: (1 + beta2) * _as_float(c.tp),
        lambda c: beta2 * _as_float(c.tp + c.fn) + _as_float(c.tp + c.fp),
        "true nor predicted",
    )


def _zero_division_value(zero_division):
    if isinstance(zero_division, str):
        return 0.0
    return float(zero_division)


def warn_ill_defined(name, modifier, average, result_size):
    """scikit-learn's UndefinedMetricWarning for a zero denominator."""
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if result_size == 1 else f"in {axis1}s with"
    display = _DISPLAY.get(name, name.capitalize())
    warn(
        f"{display} is ill-defined and being set to 0.0 {where} no {modifier} "
        f"{axis0}s. Use `zero_division` parameter to control this behavior.",
        UndefinedMetricWarning,
    )


def divide(numerator, denominator, *, name, modifier, average, warn_for, zero_division,
           result_size=None):
    """``numerator / denominator``; zero denominators give ``zero_division``.

    Warns (`UndefinedMetricWarning`) only when ``zero_division == 'warn'`` and
    ``name`` is in ``warn_for``, as scikit-learn's ``_prf_divide`` does; its
    words depend on ``result_size``, the size of the result of one call of
    the metric (default: the length of this one; 1 for a batch of binary
    matrices, each a call of its own).
    """
    numerator = _as_float(numerator)
    denominator = _as_float(denominator)
    mask = denominator == 0
    if not mask.any():
        return numerator / denominator
    result = numerator / np.where(mask, 1.0, denominator)
    result[mask] = _zero_division_value(zero_division)
    if isinstance(zero_division, str) and name in warn_for:
        warn_ill_defined(name, modifier, average,
                         result.shape[0] if result_size is None else result_size)
    return result


def ratio_scores(counts, ratio, *, average, warn_for, zero_division):
    """Per-label (or micro-summed) values of ``ratio``."""
    if average == "micro":
        counts = counts.summed()
    return divide(
        ratio.numerator(counts),
        ratio.denominator(counts),
        name=ratio.name,
        modifier=ratio.modifier,
        average=average,
        warn_for=warn_for,
        zero_division=zero_division,
    )


def average_weights(counts, average, sample_weight):
    """The averaging weights: support for 'weighted', sample weights for 'samples'."""
    if average == "weighted":
        return counts.support
    if average == "samples":
        return sample_weight
    return None


def average_scores(values, average, weights=None, *, nan_aware=True):
    """Average per-label values like scikit-learn; ``average=None`` returns them.

    ``nan_aware`` follows ``_nanaverage`` (NaN values left out, all-zero
    weights ignored, NaN for no value); otherwise ``np.average`` semantics,
    as ``jaccard_score`` uses them. The sums are numpy's own, in the same
    order, so the results round alike.
    """
    if average is None:
        return values
    if not nan_aware:
        if weights is not None and not np.any(weights):
            weights = None
        return _weighted_mean(values, weights)
    if values.shape[0] == 0:
        return float("nan")
    missing = np.isnan(values)
    if missing.any():
        if missing.all():
            return float("nan")
        if weights is None:
            # np.nanmean: NaN as zero in the sum, left out of the count.
            return float(np.where(missing, 0.0, values).sum() / (~missing).sum())
        values, weights = values[~missing], np.asarray(weights)[~missing]
    if weights is not None and np.sum(weights) == 0:
        weights = None
    return _weighted_mean(values, weights)


def _weighted_mean(values, weights):
    """``np.average(values, weights=weights)`` without its overhead."""
    if weights is None:
        if values.shape[0] == 0:
            return float(np.mean(values))  # NaN with numpy's warning, as sklearn
        return float(values.sum() / values.shape[0])
    weights = np.asarray(weights)
    total = weights.sum(dtype=np.float64)
    if total == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return float(np.multiply(values, weights, dtype=np.float64).sum() / total)
