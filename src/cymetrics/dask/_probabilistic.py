"""Log loss, Brier score, their D^2 scores and calibration of dask inputs.

Each partition adds its labels and probabilities to a
`ProbabilityAccumulator` (the loss sums, the weight of each class, the
calibration bins' sums, or for quantile bins the distinct probabilities
with their counts); the merged state finishes with the one-shot
functions' own formulas.

What a probability is of depends on the labels of all of y_true, as in the
one-shot functions: the positive class of 1-D probabilities (the greater
of two labels for the log loss; ``pos_label`` or 1 for {0, 1} / {-1, 1}
labels for the Brier score and calibration, the greater number otherwise
for Brier), and the classes of the columns of 2-D ones (``labels``, or the
labels of y_true). So a first, cheap pass over y_true finds its labels
(`discover_labels`); the one-shot function then runs on two rows of each
(`probe`), which raises its errors for a label set or parameters it
refuses, with its messages, before the pass over the data. The
accumulator then gets the positive class or the sorted classes.

Multilabel y_true (the indicator matrices `log_loss` accepts) is refused:
`ProbabilityAccumulator` holds no indicator target.
"""

import inspect

import numpy as np

from cymetrics._probabilistic import _calibration, _losses
from cymetrics._shared._labels import binary_target, resolve_pos_label
from cymetrics.dask._graph import Finish, discover_labels, n_rows
from cymetrics.dask._reductions import (
    metric_function,
    n_columns,
    ndim,
    probe,
    probe_scores,
    refuse_multilabel,
)
from cymetrics.streaming import ProbabilityAccumulator

__all__ = [
    "brier_score_loss",
    "calibration_curve",
    "d2_brier_score",
    "d2_log_loss_score",
    "expected_calibration_error",
    "log_loss",
    "maximum_calibration_error",
]

_NOTES = """\
    A first pass over y_true finds its labels (they decide what each
    probability is of, as in the one-shot function), then the one-shot
    function's checks of those labels and of the parameters run before the
    pass over the data."""


def _wide(y_proba):
    """Probabilities of several classes (one column counts as 1-D, as in the one-shot)."""
    return ndim(y_proba) == 2 and n_columns(y_proba) > 1


def _scalar(label):
    return label.item() if isinstance(label, np.generic) else label


def _labels(name, call):
    """The sorted labels of all of y_true (a pass over it)."""
    refuse_multilabel(call.y_true, name)
    return discover_labels(call.y_true, split_every=call.split_every)


def _checked_labels(name, params, call):
    """The labels of all of y_true, checked by the loss's one-shot function; None
    for D^2 of fewer than two samples (the one-shot function then runs)."""
    classes = _labels(name, call)
    if name.startswith("d2_") and _too_few_samples(classes, call):
        return None
    _check(getattr(_losses, name), classes, params, call)
    return classes


def _check(one_shot, classes, params, call):
    """The one-shot function's checks of the labels and the parameters, on two
    rows of each label (with fewer than two rows, D^2 checks nothing)."""
    y = np.repeat(classes, 2)
    probe(one_shot, y, probe_scores(y, call.y_score), **params)


def _too_few_samples(classes, call):
    """D^2 of fewer than two samples is NaN before any check of the labels: run
    the one-shot function on them (a pass to count the rows, when fewer than
    two labels leave it possible)."""
    return call.by is None and classes.shape[0] < 2 and n_rows(call.y_true) < 2


def _column_labels(classes, labels, sort):
    """The sorted classes of 2-D probabilities: ``labels`` (``sort`` with the
    one-shot's own warning when unsorted), else those of y_true."""
    if labels is None:
        return classes
    return sort(labels)


def _log_loss_plan(name):
    def plan(params, call):
        classes = _checked_labels(name, params, call)
        if classes is None:
            return None
        # 1-D probabilities are of the greater of the two labels.
        labels = _column_labels(classes, params.get("labels"), _losses.given_classes)
        kwargs = {"normalize": params["normalize"]} if "normalize" in params else {}
        return ProbabilityAccumulator(labels=labels), Finish(name, kwargs=kwargs)

    return plan


def _brier_plan(name):
    def plan(params, call):
        classes = _checked_labels(name, params, call)
        if classes is None:
            return None
        if _wide(call.y_score):
            labels = _column_labels(classes, params.get("labels"), _losses.given_classes)
            template = ProbabilityAccumulator(labels=labels)
        else:
            pos_label = _losses.brier_pos_label(classes, params.get("pos_label"))
            template = ProbabilityAccumulator(pos_label=_scalar(pos_label))
        kwargs = {key: params[key] for key in ("scale_by_half",) if key in params}
        return template, Finish(name, kwargs=kwargs)

    return plan


def _default(function, name):
    return inspect.signature(function).parameters[name].default


def _calibration_plan(name):
    one_shot = getattr(_calibration, name)

    def plan(params, call):
        if name == "calibration_curve" and _wide(call.y_score):
            # Its parameters' errors come first, then the shape's.
            probe(one_shot, [0, 1], [0.0, 1.0], **params)
            _calibration.check_one_column((n_rows(call.y_score), n_columns(call.y_score)))
        classes = _labels(name, call)
        _check(one_shot, classes, params, call)
        bins = {key: params.get(key, _default(one_shot, key)) for key in ("n_bins", "strategy")}
        if _wide(call.y_score):
            labels = _column_labels(classes, params.get("labels"), np.unique)
            return ProbabilityAccumulator(labels=labels, **bins), Finish(name)
        pos_label = resolve_pos_label(binary_target(classes), params.get("pos_label"))
        return ProbabilityAccumulator(pos_label=_scalar(pos_label), **bins), Finish(name)

    return plan


def _function(name, plan, module):
    return metric_function(name, getattr(module, name), plan(name), "ProbabilityAccumulator",
                           notes=_NOTES)


log_loss = _function("log_loss", _log_loss_plan, _losses)
d2_log_loss_score = _function("d2_log_loss_score", _log_loss_plan, _losses)
brier_score_loss = _function("brier_score_loss", _brier_plan, _losses)
d2_brier_score = _function("d2_brier_score", _brier_plan, _losses)
calibration_curve = _function("calibration_curve", _calibration_plan, _calibration)
expected_calibration_error = _function("expected_calibration_error", _calibration_plan,
                                       _calibration)
maximum_calibration_error = _function("maximum_calibration_error", _calibration_plan,
                                      _calibration)

# Made by `metric_function`, whose module doctest would not search: list them for it.
__test__ = {name: globals()[name] for name in __all__}
