"""Confusion-derived metrics on many binary confusion matrices at once.

`metric_at_thresholds` (one matrix per threshold) and `bootstrap_ci` (one
per resample) both need a metric such as `f1_score` evaluated on thousands
of 2 x 2 matrices. Calling the metric per matrix costs ~0.1-1 ms of
validation each; here the counts are arrays (one element per matrix) and
the metric's formula runs once over them, through the same `RATIOS` and
``divide`` (zero_division rules and warnings) as the metrics themselves.

A plan (built here, attached to each metric by the registry,
`cymetrics._classification._registry.binary_plan`) reads the metric's
parameters by value; anything it does not know returns None and the caller
takes its generic path, so an unusual parameter can never be silently
misread.
"""

import math
import numbers

import numpy as np

from cymetrics._classification._averaging import RATIOS, LabelCounts, divide, fbeta_ratio

__all__ = [
    "accuracy_formula",
    "balanced_accuracy_formula",
    "errors_formula",
    "fbeta_plan",
    "flag_plan",
    "hamming_formula",
    "matthews_formula",
    "oriented_counts",
    "ratio_plan",
]

def _as_float(a):
    return np.asarray(a, dtype=np.float64)


def _ratio(ratio, zero_division, warn_for=None):
    warn_for = (ratio.name,) if warn_for is None else warn_for

    def evaluate(c):
        return divide(ratio.numerator(c), ratio.denominator(c), name=ratio.name,
                      modifier=ratio.modifier, average="binary", warn_for=warn_for,
                      zero_division=zero_division, result_size=1)

    return evaluate


def accuracy_formula(normalize):
    def evaluate(c):
        correct = _as_float(c.tp) + _as_float(c.tn)
        if not normalize:
            return correct
        return correct / (correct + _as_float(c.fp) + _as_float(c.fn))

    return evaluate


def errors_formula(normalize):
    # As scikit-learn's zero_one_loss: 1 - accuracy, or total - correct.
    def evaluate(c):
        correct = _as_float(c.tp) + _as_float(c.tn)
        total = correct + _as_float(c.fp) + _as_float(c.fn)
        return 1 - correct / total if normalize else total - correct

    return evaluate


def hamming_formula(c):
    wrong = _as_float(c.fp) + _as_float(c.fn)
    return wrong / (wrong + _as_float(c.tp) + _as_float(c.tn))


def balanced_accuracy_formula(adjusted):
    # Both classes must occur in y_true (the caller checks): the mean of the
    # two recalls, class 0 first, as scikit-learn's per-class mean.
    def evaluate(c):
        tn, fp, fn, tp = (_as_float(x) for x in (c.tn, c.fp, c.fn, c.tp))
        score = (tn / (tn + fp) + tp / (tp + fn)) / 2
        if adjusted:
            score = (score - 0.5) / 0.5
        return score

    return evaluate


def matthews_formula(c):
    """scikit-learn's multiclass formula on the 2 x 2 matrix (0.0 when undefined)."""
    tn, fp, fn, tp = (_as_float(x) for x in (c.tn, c.fp, c.fn, c.tp))
    t0, t1 = tn + fp, fn + tp
    p0, p1 = tn + fn, fp + tp
    n = p0 + p1
    cov_ytyp = (tp + tn) * n - (t0 * p0 + t1 * p1)
    cov_ypyp = n**2 - (p0 * p0 + p1 * p1)
    cov_ytyt = n**2 - (t0 * t0 + t1 * t1)
    product = cov_ypyp * cov_ytyt
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(product == 0, 0.0, cov_ytyp / np.sqrt(product))


def _is_bool_param(value):
    return isinstance(value, (bool, np.bool_))


def _valid_zero_division(value):
    if isinstance(value, str):
        return value == "warn"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return value in (0, 1) or value != value
    return False


def _set_wise(params, ratio_for):
    """Plan of a set-wise metric: (pos_label, evaluate) or None."""
    params = dict(params)
    pos_label = params.pop("pos_label", 1)
    zero_division = params.pop("zero_division", "warn")
    average = params.pop("average", "binary")
    labels = params.pop("labels", None)
    if average != "binary" or labels is not None or not _valid_zero_division(zero_division):
        return None
    ratio = ratio_for(params)
    if ratio is None or params:
        return None
    return pos_label, ratio(zero_division)


def ratio_plan(name):
    """Plan of a set-wise metric that is one `RATIOS` entry (precision, NPV...)."""
    return lambda params: _set_wise(params, lambda p: lambda zd: _ratio(RATIOS[name], zd))


def fbeta_plan(required):
    """Plan of F-beta (``required``: ``beta`` must be given, as fbeta_score's)."""
    def ratio_for(params):
        if required and "beta" not in params:
            return None
        beta = params.pop("beta", 1.0)
        if not isinstance(beta, numbers.Real) or isinstance(beta, bool) or not beta >= 0:
            return None
        # As precision_recall_fscore_support: beta=inf is recall, 0 precision.
        if beta == math.inf:  # a checked real (np.isposinf costs ~4 us a call)
            return lambda zd: _ratio(RATIOS["recall"], zd, warn_for=("f-score",))
        if beta == 0:
            return lambda zd: _ratio(RATIOS["precision"], zd, warn_for=("f-score",))
        return lambda zd: _ratio(fbeta_ratio(beta), zd)

    return lambda params: _set_wise(params, ratio_for)


def flag_plan(name, formula):
    """Plan of a metric with one boolean option ``name`` (or none, for None):
    ``formula(flag)`` (or ``formula`` itself) maps the counts to values."""
    def plan(params):
        params = dict(params)
        value = params.pop(name, False if name == "adjusted" else True) if name else None
        if params or (name and not _is_bool_param(value)):
            return None
        return None, formula(bool(value)) if name else formula

    return plan


def oriented_counts(tp, fp, fn, tn, positive_is_second):
    """`LabelCounts` with the positive class first or swapped to the other one."""
    if positive_is_second:
        return LabelCounts(tp, fp, fn, tn)
    return LabelCounts(tn, fn, fp, tp)
