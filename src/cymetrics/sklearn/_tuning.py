"""Threshold tuning from one sorted sweep, for scikit-learn's ``_CurveScorer``.

``TunedThresholdClassifierCV`` scores each candidate threshold with a full
call of the metric on thresholded labels (100 thresholds per fold by
default). When the metric is a confusion-derived cymetrics drop-in with a
binary plan (`cymetrics._classification._registry.binary_plan`: F1, F-beta,
precision, recall, accuracy, balanced accuracy, Jaccard, MCC, ... with
``average='binary'``), the counts at every threshold come from one sweep
(`metrics_at_thresholds`) and the metric's formula runs once over them. The
values are those of the per-threshold calls: the counts are the same sums,
and the formula is the metric's own (zero_division and warnings included).
Anything else -- another metric, labels the sweep cannot reproduce,
non-finite scores -- takes scikit-learn's own path.
"""

from numbers import Integral

import numpy as np

from cymetrics._classification._batch import oriented_counts
from cymetrics._classification._registry import binary_plan
from cymetrics._ranking._thresholds import metrics_at_thresholds
from cymetrics._shared._labels import binary_target
from cymetrics.sklearn._drop_ins import twin

__all__ = ["curve_scores", "sweep_score"]


def _candidates(thresholds, y_score):
    """The thresholds ``_CurveScorer`` tries (as scikit-learn 1.9 builds them)."""
    if isinstance(thresholds, Integral):
        return np.linspace(np.min(y_score), np.max(y_score), thresholds)
    return np.asarray(thresholds)


def _label(value):
    return value.item() if isinstance(value, np.generic) else value


def curve_scores(score_func, params, y_true, y_score, thresholds, classes, pos_label):
    """``score_func(y_true, classes[y_score >= t], **params)`` for each ``t``, or None.

    ``classes`` are the estimator's two classes and ``pos_label`` the one
    predicted at or above the threshold (None: the second). None when the
    sweep would not give what the per-threshold calls give.
    """
    params = dict(params)
    sample_weight = params.pop("sample_weight", None)
    # scikit-learn's function: its drop-in's plan; a cymetrics function: its own.
    plan = binary_plan(twin(score_func) or score_func, params)
    y_score = np.asarray(y_score)
    if plan is None or y_score.ndim != 1 or y_score.dtype.kind not in "iuf":
        return None
    metric_pos_label, evaluate = plan
    classes = [_label(c) for c in np.asarray(classes).tolist()]
    predicted_pos = classes[1] if pos_label is None else _label(pos_label)
    if len(classes) != 2 or predicted_pos not in classes:
        return None
    target = binary_target(y_true)
    # The per-threshold calls see both classes (those of y_true) as labels:
    # only then is each a binary problem over exactly these two classes.
    if target.y_type != "binary" or sorted(target.classes.tolist()) != sorted(classes):
        return None
    if metric_pos_label is not None and metric_pos_label not in classes:
        return None
    if (not np.isfinite(y_score).all() or thresholds.dtype.kind not in "iuf"
            or np.isnan(thresholds).any()):
        return None
    try:
        counts = metrics_at_thresholds(target.equals(predicted_pos), y_score, thresholds,
                                       pos_label=True, sample_weight=sample_weight)
    except ValueError:
        # Weights the sweep refuses (negative, of another length...): the
        # per-threshold calls decide what they give.
        return None
    c = oriented_counts(counts.tp, counts.fp, counts.fn, counts.tn,
                        positive_is_second=metric_pos_label in (None, predicted_pos))
    return np.asarray(evaluate(c), dtype=np.float64)


def sweep_score(original):
    """``_CurveScorer._score`` that sweeps when it can, else calls ``original``."""

    def _score(self, method_caller, estimator, X, y_true, **kwargs):
        pos_label = self._get_pos_label()
        y_score = method_caller(estimator, self._response_method, X, pos_label=pos_label)
        thresholds = _candidates(self._thresholds, y_score)
        values = curve_scores(self._score_func, {**self._kwargs, **kwargs}, y_true, y_score,
                              thresholds, estimator.classes_, pos_label)
        if values is None:
            # The predictions are made: scikit-learn's path reuses them.
            return original(self, lambda *_args, **_kwargs: y_score, estimator, X, y_true,
                            **kwargs)
        return self._sign * values, thresholds

    _score.__doc__ = original.__doc__
    return _score
