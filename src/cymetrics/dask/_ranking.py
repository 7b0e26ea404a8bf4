"""Ranking metrics and curves of dask inputs, from score states.

Binary scores go to a `ScoreAccumulator` (exact: the distinct scores with
their class counts, which is all any curve, AUC, average precision or
DeLong variance reads) or, with ``max_bins``, a `ScoreSketch` (bounded
memory: at most ``max_bins`` buckets a state; curves exact at the bucket
boundaries, the AUC an estimate whose certified interval
``accumulate(ScoreSketch(...), ...).roc_auc_interval()`` gives).
Multiclass scores go to an `OvRScoreAccumulator`: one-vs-rest, and for
``multi_class='ovo'`` also the binary state of every ordered pair of
classes (``track_ovo``).

When to choose which is told once, in the docstring of `cymetrics.dask`.

The positive class of binary `roc_auc_score` and `roc_auc_ci` is the
greater label of y_true, as in the one-shot functions: unless y_true is
boolean (or ``pos_label`` is given), a first, cheap pass over y_true finds
the labels before the graph of the metric is built. So does multiclass
input without ``labels``.
"""

import functools
import inspect

import numpy as np

from cymetrics._inference._delong import roc_auc_ci as one_shot_roc_auc_ci
from cymetrics._ranking import _binary as one_shot
from cymetrics._shared._params import check_int, check_option, invalid
from cymetrics.dask._graph import Finish, discover_labels
from cymetrics.dask._reductions import (
    DASK_PARAMETERS_DOC,
    metric_function,
    ndim,
    probe,
    probe_scores,
    refuse_multilabel,
    run,
    uses_dask,
)
from cymetrics.streaming import OvRScoreAccumulator, ScoreAccumulator, ScoreSketch

__all__ = [
    "average_precision_score",
    "confusion_matrix_at_thresholds",
    "det_curve",
    "precision_recall_curve",
    "roc_auc_ci",
    "roc_auc_score",
    "roc_curve",
]

MAX_BINS = inspect.Parameter("max_bins", inspect.Parameter.KEYWORD_ONLY, default=None)
MAX_BINS_DOC = """\
    max_bins : int, default=None
        None keeps the exact state. An int bounds each state to that many
        buckets (a `ScoreSketch`): results are then those of the sketch
        (curves exact at its bucket boundaries, the AUC an estimate). Which
        to choose: see `cymetrics.dask`."""


RETURNS_FLOAT_DOC = """\
    Returns
    -------
    float; ``{segment: float}`` with ``by``; `dask.delayed.Delayed` with
    ``compute=False``."""


def _binary_template(pos_label, max_bins):
    if max_bins is None:
        return ScoreAccumulator(pos_label=pos_label)
    return ScoreSketch(check_int("max_bins", max_bins, "cymetrics.dask", 2), pos_label=pos_label)


def _greater_label(y_true, split_every):
    """The positive class of `roc_auc_score`: True for boolean y_true, else found."""
    if getattr(y_true, "dtype", None) == np.dtype(bool):
        return np.array([False, True])
    return discover_labels(y_true, split_every=split_every)


def _multiclass_template(classes, average, multi_class):
    if multi_class == "ovo":
        return OvRScoreAccumulator(labels=classes, track_micro=False, track_ovo=True)
    return OvRScoreAccumulator(labels=classes, track_micro=average == "micro")


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None,
                  multi_class="raise", labels=None, max_bins=None, by=None, split_every=None,
                  compute=True):
    """`cymetrics.roc_auc_score` of dask inputs: binary (``max_fpr``), one-vs-rest or one-vs-one.

    Binary: each partition builds a `ScoreAccumulator` (or, with
    ``max_bins``, a `ScoreSketch`) whose positive class is the greater
    label; multiclass (2-D ``y_score``: a dask array or a dask dataframe of
    one column per class): an `OvRScoreAccumulator` over ``labels`` (with
    ``multi_class='ovo'``, keeping the binary state of every ordered pair
    of classes: ``2 (n_classes - 1)`` entries per distinct score instead of
    ``n_classes``). The states merge up a tree; the AUC equals the one-shot
    function's on all the data to 1e-12, with its warnings and errors.

    Parameters
    ----------
    y_true : dask array or dask dataframe column
        Binary or multiclass labels (multilabel input is not supported).
    y_score : dask array (1-D or 2-D) or dask dataframe column(s)
        Scores of the greater label, or class probabilities (columns in the
        order of ``labels``).
    average, sample_weight, max_fpr, labels
        As in ``cymetrics.roc_auc_score`` (one-vs-one included: weights,
        and ``average=None`` for the matrix of pairwise scores). Without
        ``labels``, multiclass labels are found by a first pass over y_true.
    multi_class : {{'raise', 'ovr', 'ovo'}}, default='raise'
        As in ``cymetrics.roc_auc_score``.
{MAX_BINS_DOC}
{DASK_PARAMETERS_DOC}

{RETURNS_FLOAT_DOC}

    Examples
    --------
    >>> import dask.array as da
    >>> from cymetrics.dask import roc_auc_score
    >>> y_true = da.from_array([0, 0, 1, 1, 0, 1], chunks=2)
    >>> y_score = da.from_array([0.1, 0.4, 0.35, 0.8, 0.2, 0.7], chunks=2)
    >>> roc_auc_score(y_true, y_score)
    0.8888888888888888
    """
    params = dict(average=average, max_fpr=max_fpr, multi_class=multi_class, labels=labels)
    if by is None and max_bins is None and not uses_dask(y_true, y_score, sample_weight):
        return one_shot.roc_auc_score(y_true, y_score, sample_weight=sample_weight, **params)
    refuse_multilabel(y_true, "roc_auc_score")
    wide = ndim(y_score) == 2
    classes = np.asarray(labels) if wide and labels is not None else (
        discover_labels(y_true, split_every=split_every) if wide
        else _greater_label(y_true, split_every))
    probe(one_shot.roc_auc_score, classes, probe_scores(classes, y_score), **params)
    if not wide:
        template = _binary_template(classes[-1].item(), max_bins)
        finish = Finish("roc_auc_score", kwargs={"max_fpr": max_fpr})
    elif max_bins is not None:
        raise ValueError("max_bins applies to binary scores; multiclass states are exact")
    else:
        template = _multiclass_template(classes, average, multi_class)
        finish = Finish("roc_auc_score", kwargs={"average": average,
                                                 "multi_class": multi_class})
    return run(template, [("y_true", y_true), ("y_score", y_score)], finish,
               sample_weight=sample_weight, by=by, split_every=split_every, compute=compute)


roc_auc_score.__doc__ = roc_auc_score.__doc__.format(
    MAX_BINS_DOC=MAX_BINS_DOC, DASK_PARAMETERS_DOC=DASK_PARAMETERS_DOC,
    RETURNS_FLOAT_DOC=RETURNS_FLOAT_DOC)


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1,
                            sample_weight=None, max_bins=None, by=None, split_every=None,
                            compute=True):
    """`cymetrics.average_precision_score` of dask inputs: binary or one-vs-rest.

    Binary (1-D ``y_score``): a `ScoreAccumulator` per partition (a
    `ScoreSketch` with ``max_bins``) whose positive class is ``pos_label``;
    multiclass (2-D ``y_score``): an `OvRScoreAccumulator` over the labels
    found in a first pass over y_true. Equal to the one-shot function on all
    the data to 1e-12.

    Parameters
    ----------
    y_true : dask array or dask dataframe column
        Binary or multiclass labels (multilabel input is not supported).
    y_score : dask array (1-D or 2-D) or dask dataframe column(s)
        Scores, or class probabilities (columns in sorted label order).
    average : {{'micro', 'macro', 'weighted'}} or None, default='macro'
        As in ``cymetrics.average_precision_score``; 'samples' needs each
        sample's scores, which no mergeable state keeps.
    pos_label, sample_weight
        As in ``cymetrics.average_precision_score`` (whose ``pos_label=None``
        fails on binary data: refused here before the pass).
{MAX_BINS_DOC}
{DASK_PARAMETERS_DOC}

{RETURNS_FLOAT_DOC}

    Examples
    --------
    >>> import dask.array as da
    >>> from cymetrics.dask import average_precision_score
    >>> y_true = da.from_array([0, 0, 1, 1, 0, 1], chunks=2)
    >>> y_score = da.from_array([0.1, 0.4, 0.35, 0.8, 0.2, 0.7], chunks=2)
    >>> round(average_precision_score(y_true, y_score), 4)
    0.9167
    """
    params = dict(average=average, pos_label=pos_label)
    if by is None and max_bins is None and not uses_dask(y_true, y_score, sample_weight):
        return one_shot.average_precision_score(y_true, y_score, sample_weight=sample_weight,
                                                **params)
    refuse_multilabel(y_true, "average_precision_score")
    if ndim(y_score) == 1:
        if pos_label is None:  # the one-shot refuses it too, once both classes occur
            raise invalid("pos_label", "cymetrics.dask.average_precision_score",
                          "a label of y_true", pos_label)
        probe(one_shot.average_precision_score, [0, 1], [0.0, 1.0], average=average)
        template = _binary_template(pos_label, max_bins)
        finish = Finish("average_precision_score")
    else:
        if max_bins is not None:
            raise ValueError("max_bins applies to binary scores; multiclass states are exact")
        if average == "samples":
            raise ValueError(
                "average='samples' needs the scores of each sample, which no mergeable "
                "state keeps; use 'micro', 'macro', 'weighted' or None"
            )
        classes = discover_labels(y_true, split_every=split_every)
        probe(one_shot.average_precision_score, classes, probe_scores(classes, y_score),
              **params)
        template = _multiclass_template(classes, average, "ovr")
        finish = Finish("average_precision_score", kwargs={"average": average})
    return run(template, [("y_true", y_true), ("y_score", y_score)], finish,
               sample_weight=sample_weight, by=by, split_every=split_every, compute=compute)


average_precision_score.__doc__ = average_precision_score.__doc__.format(
    MAX_BINS_DOC=MAX_BINS_DOC, DASK_PARAMETERS_DOC=DASK_PARAMETERS_DOC,
    RETURNS_FLOAT_DOC=RETURNS_FLOAT_DOC)


def _curve_function(name):
    """A binary curve: a score state per partition, the accumulator's method at the end."""
    def plan(params, _call):
        template = _binary_template(params.pop("pos_label", None), params.pop("max_bins", None))
        return template, Finish(name, kwargs=params)

    return metric_function(name, getattr(one_shot, name), plan, "ScoreAccumulator",
                           extra=(MAX_BINS,), extra_doc=MAX_BINS_DOC)


roc_curve = _curve_function("roc_curve")
precision_recall_curve = _curve_function("precision_recall_curve")
det_curve = _curve_function("det_curve")
confusion_matrix_at_thresholds = _curve_function("confusion_matrix_at_thresholds")
# Made in another module, where doctest would not look for their examples.
__test__ = {f.__name__: f for f in (roc_curve, precision_recall_curve, det_curve,
                                    confusion_matrix_at_thresholds)}


def _delong(sample, **params):
    """DeLong's interval of a state's weighted sample (see `roc_auc_ci`)."""
    y_true, y_score, weight = sample
    return one_shot_roc_auc_ci(y_true, y_score, sample_weight=weight, **params)


def roc_auc_ci(y_true, y_score, *, confidence=0.95, method="delong", sample_weight=None,
               pos_label=None, by=None, split_every=None, compute=True):
    """`cymetrics.roc_auc_ci` (DeLong) of dask inputs, from exact score states.

    DeLong's variance reads each positive's share of negatives scored below
    it and each negative's share of positives above it: functions of the
    score alone, so the exact state (distinct scores with their class
    counts) holds all it needs. Each partition builds a `ScoreAccumulator`;
    the merged one hands DeLong its distinct scores weighted by their counts
    (`ScoreAccumulator.as_weighted_sample`), which gives the interval of all
    the data (to 1e-12). A sketch cannot: its buckets mix scores.

    Parameters
    ----------
    y_true : dask array or dask dataframe column
        Binary labels.
    y_score : dask array or dask dataframe column
        Scores; higher means more likely positive.
    confidence : float in (0, 1), default=0.95
        Confidence level.
    method : {{'delong'}}, default='delong'
        'bootstrap' resamples the samples, which no state keeps.
    sample_weight : dask array or dask dataframe column, default=None
        Non-negative frequency weights.
    pos_label : int, float, bool or str, default=None
        The positive class; None takes the greater label (found by a first
        pass over y_true unless it is boolean).
{DASK_PARAMETERS_DOC}

    Returns
    -------
    Interval; ``{{segment: Interval}}`` with ``by``; `dask.delayed.Delayed`
    with ``compute=False``.

    Examples
    --------
    >>> import dask.array as da
    >>> from cymetrics.dask import roc_auc_ci
    >>> y_true = da.from_array([0, 0, 1, 1, 0, 1, 0, 1], chunks=3)
    >>> y_score = da.from_array([0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.6, 0.9], chunks=3)
    >>> ci = roc_auc_ci(y_true, y_score)
    >>> round(ci.estimate, 4), round(ci.standard_error, 4)
    (0.875, 0.1443)
    """
    params = dict(confidence=confidence, method=method, pos_label=pos_label)
    if by is None and not uses_dask(y_true, y_score, sample_weight):
        return one_shot_roc_auc_ci(y_true, y_score, sample_weight=sample_weight, **params)
    if method == "bootstrap":
        raise ValueError(
            "roc_auc_ci(method='bootstrap') resamples the samples, which no mergeable "
            "state keeps; use method='delong' on dask inputs"
        )
    check_option("method", method, ("delong",), "roc_auc_ci")
    if pos_label is None:
        pos_label = _greater_label(y_true, split_every)
        pos_label = pos_label[-1].item() if pos_label.shape[0] else None
    then = functools.partial(_delong, confidence=confidence, pos_label=params["pos_label"])
    return run(ScoreAccumulator(pos_label=pos_label), [("y_true", y_true), ("y_score", y_score)],
               Finish("as_weighted_sample", then=then), sample_weight=sample_weight, by=by,
               split_every=split_every, compute=compute)


roc_auc_ci.__doc__ = roc_auc_ci.__doc__.format(DASK_PARAMETERS_DOC=DASK_PARAMETERS_DOC)
