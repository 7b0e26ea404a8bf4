"""Confidence intervals for the rates of a confusion matrix and for F1.

API choice: companion functions (`proportion_ci`, `rate_ci`, `f1_ci`)
rather than a ``ci=`` option on `precision_score` and friends. The metrics
are drop-ins for scikit-learn: a flag that turns their float into a tuple
would make the return type depend on a parameter and break that contract;
their ``average`` options ('macro', 'weighted', 'samples') mostly have no
binomial interval at all; and an interval needs its own parameters
(``confidence``, ``method``). A companion function keeps each signature
honest and returns one result type, `Interval`.

Weights are frequencies here as in the rest of cymetrics: a weight of 3
counts the sample three times, so the binomial "number of trials" is the
total weight of the denominator.
"""

import math
import numbers
from typing import NamedTuple

import numpy as np

from cymetrics._classification._averaging import RATIOS
from cymetrics._classification._counts import label_counts
from cymetrics._classification._metrics import set_wise_labels, targets
from cymetrics._classification._registry import from_confusion
from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._shared._params import check_confidence, check_option, check_pos_label
from cymetrics._shared._special import betaincinv, ndtri
from cymetrics._shared._validation import as_numbers, to_array
from cymetrics._shared._warnings import warn

__all__ = ["Interval", "f1_ci", "normal_critical_value", "proportion_ci", "rate_ci"]


class Interval(NamedTuple):
    """A point estimate with its confidence interval.

    Fields are floats, or arrays of one shape for vectorized input.
    ``standard_error`` is the (Wald / delta-method / DeLong / bootstrap)
    standard error of the estimate; ``method`` names how ``low`` and
    ``high`` were computed.
    """

    estimate: object
    low: object
    high: object
    standard_error: object
    confidence: float
    method: str


def normal_critical_value(confidence):
    """``z`` with ``P(|Z| <= z) = confidence``."""
    return ndtri(0.5 + 0.5 * confidence)


def _scalar_or_array(a):
    a = np.asarray(a, dtype=np.float64)
    return float(a) if a.ndim == 0 else a


# ---------------------------------------------------------------------------
# Proportions
# ---------------------------------------------------------------------------
_PROPORTION_METHODS = ("wilson", "clopper-pearson")


def _proportion_bounds(successes, trials, confidence, method):
    """Arrays ``(estimate, low, high, se)``; NaN where ``trials == 0``."""
    defined = trials > 0
    n = np.where(defined, trials, 1.0)
    p = successes / n
    se = np.sqrt(p * (1.0 - p) / n)
    if method == "wilson":
        z = normal_critical_value(confidence)
        z2 = z * z
        denominator = 1.0 + z2 / n
        center = (p + z2 / (2.0 * n)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
        low = np.clip(center - half, 0.0, 1.0)
        high = np.clip(center + half, 0.0, 1.0)
        # The bounds at 0 and n are 0 and 1 exactly (not 1e-17 away).
        low = np.where(successes == 0, 0.0, low)
        high = np.where(successes == n, 1.0, high)
    else:
        alpha = 1.0 - confidence
        failures = n - successes
        # Beta quantiles with a zero parameter are the degenerate bounds.
        low = np.where(successes > 0,
                       betaincinv(np.maximum(successes, 1e-300), failures + 1.0, alpha / 2),
                       0.0)
        high = np.where(failures > 0,
                        betaincinv(successes + 1.0, np.maximum(failures, 1e-300), 1 - alpha / 2),
                        1.0)
    nan = np.nan
    return (np.where(defined, p, nan), np.where(defined, low, nan),
            np.where(defined, high, nan), np.where(defined, se, nan))


def _count_array(value, name):
    """A number or an array-like of numbers as float64 (strings refused)."""
    if isinstance(value, (numbers.Real, np.number)) and not isinstance(value, str):
        return np.float64(value)
    return as_numbers(to_array(value, name), name).astype(np.float64)


def _check_counts(successes, trials):
    successes = _count_array(successes, "successes")
    trials = _count_array(trials, "trials")
    try:
        successes, trials = np.broadcast_arrays(successes, trials)
    except ValueError as exc:
        raise ValueError("successes and trials must broadcast to one shape.") from exc
    if not (np.isfinite(successes).all() and np.isfinite(trials).all()):
        raise ValueError("successes and trials must be finite.")
    if (successes < 0).any() or (successes > trials).any():
        raise ValueError("successes must satisfy 0 <= successes <= trials.")
    return successes, trials


def proportion_ci(successes, trials, *, confidence=0.95, method="wilson"):
    """Confidence interval for a binomial proportion ``successes / trials``.

    Parameters
    ----------
    successes : float or array-like
        Number (or total weight) of successes; ``0 <= successes <= trials``.
    trials : float or array-like
        Number (or total weight) of trials; broadcast against ``successes``.
    confidence : float in (0, 1), default=0.95
        Confidence level.
    method : {'wilson', 'clopper-pearson'}, default='wilson'
        'wilson' is the score interval (Wilson, 1927): good coverage, never
        outside [0, 1]. 'clopper-pearson' is the exact interval from Beta
        quantiles (Clopper & Pearson, 1934): coverage at least
        ``confidence``, hence conservative.

    Returns
    -------
    Interval
        ``estimate = successes / trials`` with ``low`` and ``high``;
        ``standard_error`` is the Wald ``sqrt(p (1 - p) / trials)``. Zero
        trials give NaN.

    Examples
    --------
    >>> from cymetrics import proportion_ci
    >>> ci = proportion_ci(45, 50)
    >>> round(ci.low, 4), round(ci.high, 4)
    (0.7864, 0.9565)
    >>> ci = proportion_ci(45, 50, method="clopper-pearson")
    >>> round(ci.low, 4), round(ci.high, 4)
    (0.7819, 0.9667)
    """
    confidence = check_confidence(confidence, "proportion_ci")
    check_option("method", method, _PROPORTION_METHODS, "proportion_ci")
    successes, trials = _check_counts(successes, trials)
    values = _proportion_bounds(successes, trials, confidence, method)
    return Interval(*(_scalar_or_array(v) for v in values), confidence, method)


# ---------------------------------------------------------------------------
# Rates of a confusion matrix
# ---------------------------------------------------------------------------
_RATES = ("accuracy", "precision", "recall", "specificity", "npv", "fpr", "fnr")


def _warn_undefined(what):
    warn(
        f"{what} is undefined (zero denominator): its estimate and interval are NaN.",
        UndefinedMetricWarning,
    )


def rate_ci(y_true, y_pred, rate="recall", *, confidence=0.95, method="wilson",
            pos_label=1, average="binary", labels=None, sample_weight=None):
    """Confidence interval for one rate of the confusion matrix.

    Each rate is a binomial proportion: recall (sensitivity, TPR) is
    ``tp / (tp + fn)``, precision (PPV) ``tp / (tp + fp)``, specificity
    (TNR) ``tn / (tn + fp)``, NPV ``tn / (tn + fn)``, FPR ``fp / (fp + tn)``,
    FNR ``fn / (fn + tp)`` and accuracy ``correct / total``; the interval
    is `proportion_ci` of those counts. The estimate equals the matching
    cymetrics / scikit-learn score.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    rate : {'accuracy', 'precision', 'recall', 'specificity', 'npv', 'fpr', 'fnr'}, \
default='recall'
        The rate.
    confidence : float in (0, 1), default=0.95
        Confidence level.
    method : {'wilson', 'clopper-pearson'}, default='wilson'
        See `proportion_ci`.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', None}, default='binary'
        'binary' gives the rate of ``pos_label``; None gives one interval per
        label (one-vs-rest), over ``labels`` or every label present.
        Ignored for accuracy.
    labels : array-like, default=None
        The labels of ``average=None``.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative frequency weights.

    Returns
    -------
    Interval
        Floats, or arrays over the labels for ``average=None``. A zero
        denominator gives NaN with an `UndefinedMetricWarning`.

    Examples
    --------
    >>> from cymetrics import rate_ci
    >>> y_true = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    >>> y_pred = [0, 0, 0, 1, 1, 1, 1, 1, 1, 0]
    >>> ci = rate_ci(y_true, y_pred, "recall")
    >>> round(ci.estimate, 4), round(ci.low, 4), round(ci.high, 4)
    (0.8333, 0.4365, 0.9699)
    """
    func = "rate_ci"
    check_option("rate", rate, _RATES, func)
    check_pos_label(pos_label, func)
    check_option("average", average, ("binary", None), func)
    confidence = check_confidence(confidence, func)
    check_option("method", method, _PROPORTION_METHODS, func)
    source = targets(func, y_true, y_pred, sample_weight)
    if rate == "accuracy":
        counts = source.match_counts()
        successes, trials = np.float64(counts.exact), np.float64(counts.total)
    else:
        counts = source.counts()
        chosen = set_wise_labels(counts, average, labels, pos_label)
        lc = label_counts(counts, chosen)
        ratio = RATIOS[rate]
        successes = np.asarray(ratio.numerator(lc), dtype=np.float64)
        trials = np.asarray(ratio.denominator(lc), dtype=np.float64)
        if average == "binary":
            successes, trials = successes[0], trials[0]
    if np.any(trials == 0):
        _warn_undefined(rate.capitalize() if rate != "npv" else "NPV")
    values = _proportion_bounds(successes, trials, confidence, method)
    return Interval(*(_scalar_or_array(v) for v in values), confidence, method)


# ---------------------------------------------------------------------------
# F1
# ---------------------------------------------------------------------------
_F1_AVERAGES = ("binary", "micro", "macro")
_F1_METHODS = ("delta", "wilson", "clopper-pearson")


def _macro_f1_variance(matrix, total):
    """Delta-method variance of the macro F1 of a K x K matrix of totals.

    Under a multinomial model for the cells, ``Var(F) ~ (sum_c p_c g_c^2 -
    (sum_c p_c g_c)^2) / n`` with ``g`` the gradient of ``F`` in the cell
    probabilities (Takahashi et al., 2022). With ``d_i = p_i. + p_.i`` and
    ``F_i = 2 p_ii / d_i``, ``dF_i/dp_ii = 2 / d_i - 4 p_ii / d_i^2`` and
    ``dF_i/dp_jk = -2 p_ii / d_i^2`` for the other cells of row or column i.
    """
    p = matrix / total
    d = p.sum(axis=1) + p.sum(axis=0)
    present = d > 0
    k = int(present.sum())
    safe = np.where(present, d, 1.0)
    a = np.where(present, 2.0 * np.diagonal(p) / (safe * safe), 0.0)
    grad = -(a[:, None] + a[None, :])
    np.fill_diagonal(grad, np.where(present, 2.0 / safe - 2.0 * a, 0.0))
    grad /= k
    mean = np.sum(p * grad)
    return max(float(np.sum(p * grad * grad) - mean * mean), 0.0) / total


def _binary_f1_variance(tp, fp, fn):
    """``Var(F1) = 4 tp (fp + fn) (tp + fp + fn) / (2 tp + fp + fn)^4``: the
    delta method for a multinomial 2 x 2 table (independent of tn)."""
    d = 2.0 * tp + fp + fn
    return 4.0 * tp * (fp + fn) * (tp + fp + fn) / d**4


def f1_ci(y_true, y_pred, *, confidence=0.95, method="delta", average="binary",
          pos_label=1, sample_weight=None):
    """Confidence interval for the F1 score (binary, micro or macro).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    confidence : float in (0, 1), default=0.95
        Confidence level.
    method : {'delta', 'wilson', 'clopper-pearson'}, default='delta'
        'delta': a Wald interval with the delta-method standard error of
        the multinomial confusion matrix (Takahashi, Yamamoto, Kuchiba &
        Koyama, 2022, "Confidence interval for micro-averaged F1 and
        macro-averaged F1 scores", Applied Intelligence 52), clipped to
        [0, 1]. 'wilson' / 'clopper-pearson' (binary and micro only): the
        proportion interval mapped through a monotone identity, so the
        bounds respect [0, 1] and small counts -- binary F1 is
        ``2 J / (1 + J)`` with ``J = tp / (tp + fp + fn)`` a proportion of
        ``tp + fp + fn`` trials; micro F1 of single-label data is accuracy.
    average : {'binary', 'micro', 'macro'}, default='binary'
        As in `f1_score` (macro over the labels present).
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative frequency weights.

    Returns
    -------
    Interval
        ``estimate`` equals ``f1_score(y_true, y_pred, average=average)``.
        NaN bounds (with an `UndefinedMetricWarning`) when F1 is undefined.

    Examples
    --------
    >>> from cymetrics import f1_ci
    >>> y_true = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    >>> y_pred = [0, 0, 0, 1, 1, 1, 1, 1, 1, 0]
    >>> ci = f1_ci(y_true, y_pred)
    >>> round(ci.estimate, 4), round(ci.low, 4), round(ci.high, 4)
    (0.8333, 0.6056, 1.0)
    >>> ci = f1_ci(y_true, y_pred, method="wilson")
    >>> round(ci.low, 4), round(ci.high, 4)
    (0.5283, 0.9571)
    """
    func = "f1_ci"
    confidence = check_confidence(confidence, func)
    check_option("method", method, _F1_METHODS, func)
    check_option("average", average, _F1_AVERAGES, func)
    if average == "macro" and method != "delta":
        raise ValueError(
            f"method={method!r} needs a single proportion; macro F1 supports "
            "method='delta' only."
        )
    source = targets(func, y_true, y_pred, sample_weight)
    counts = source.matrix_counts()
    if counts.confusion is None:
        raise ValueError("f1_ci supports 1-D binary or multiclass targets only.")
    confusion = counts.confusion
    matrix = np.asarray(confusion.matrix, dtype=np.float64)
    estimate = from_confusion(confusion.matrix, "f1_score", classes=confusion.classes,
                              average=average, pos_label=pos_label)
    total = float(matrix.sum())
    if average == "micro":
        successes, trials = float(np.trace(matrix)), total
    elif average == "binary":
        at = np.flatnonzero(_label_mask(confusion.classes, pos_label))
        # An absent pos_label (one class only): no positive at all.
        tp = fp = fn = 0.0
        if at.shape[0]:
            i = int(at[0])
            tp = matrix[i, i]
            fn = matrix[i].sum() - tp
            fp = matrix[:, i].sum() - tp
        successes, trials = tp, tp + fp + fn
    if average != "macro" and trials == 0:
        _warn_undefined("F1")
        nan = math.nan
        return Interval(estimate, nan, nan, nan, confidence, method)
    if method == "delta":
        if average == "macro":
            variance = _macro_f1_variance(matrix, total)
        elif average == "micro":
            p = successes / trials
            variance = p * (1.0 - p) / trials
        else:
            variance = _binary_f1_variance(tp, fp, fn)
        se = math.sqrt(variance)
        z = normal_critical_value(confidence)
        low, high = max(0.0, estimate - z * se), min(1.0, estimate + z * se)
        return Interval(estimate, low, high, se, confidence, method)
    _, low, high, se = _proportion_bounds(np.float64(successes), np.float64(trials),
                                          confidence, method)
    if average == "binary":
        # F1 = 2 J / (1 + J) is increasing in the Jaccard index J.
        low, high = 2.0 * low / (1.0 + low), 2.0 * high / (1.0 + high)
        se = math.sqrt(_binary_f1_variance(tp, fp, fn))
    return Interval(estimate, float(low), float(high), float(se), confidence, method)


def _label_mask(classes, label):
    if isinstance(label, str) != (classes.dtype.kind == "U"):
        return np.zeros(classes.shape[0], dtype=bool)
    return classes == label
