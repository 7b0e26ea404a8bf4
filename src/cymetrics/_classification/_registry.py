"""Which confusion-derived metrics exist, and how each is computed from counts.

One table, `METRICS`: a metric's public name -> `Metric`, which holds

* ``function``: the public function (targets in, value out);
* ``core``: the same metric reading a *source* of counts, either the targets
  (`Targets`) or a confusion matrix counted earlier (`Matrix`): its one
  implementation, parameter checks and warnings included;
* ``plan``: how to evaluate it on arrays of binary counts at once (many
  thresholds, many resamples; see `cymetrics._classification._batch`), or
  None when only the core can;
* ``returns``: 'number' (a float, or an array of per-label values), 'matrix',
  'tuple', 'report' or 'rates'.

`from_confusion` reads the table; the threshold functions and the bootstrap
ask `binary_plan`, the streaming accumulators `lookup`. A new
confusion-derived metric is one core and one row here.
"""

from typing import NamedTuple

from cymetrics._classification import _batch as batch
from cymetrics._classification import _metrics as m
from cymetrics._classification import _rates as r
from cymetrics._classification._counts import Matrix

__all__ = ["METRICS", "Metric", "binary_plan", "from_confusion", "lookup"]


class Metric(NamedTuple):
    function: object
    core: object
    plan: object = None
    returns: str = "number"


METRICS = {
    "accuracy_score": Metric(m.accuracy_score, m.accuracy_core,
                             batch.flag_plan("normalize", batch.accuracy_formula)),
    "balanced_accuracy_score": Metric(
        m.balanced_accuracy_score, m.balanced_accuracy_core,
        batch.flag_plan("adjusted", batch.balanced_accuracy_formula)),
    "binary_rates": Metric(r.binary_rates, r.binary_rates_core, returns="rates"),
    "class_likelihood_ratios": Metric(m.class_likelihood_ratios, m.likelihood_ratios_core,
                                      returns="tuple"),
    "classification_report": Metric(m.classification_report, m.report_core, returns="report"),
    "cohen_kappa_score": Metric(m.cohen_kappa_score, m.kappa_core),
    "confusion_matrix": Metric(m.confusion_matrix, m.confusion_matrix_core, returns="matrix"),
    "f1_score": Metric(m.f1_score, m.f1_core, batch.fbeta_plan(required=False)),
    "fbeta_score": Metric(m.fbeta_score, m.fbeta_core, batch.fbeta_plan(required=True)),
    "fnr_score": Metric(r.fnr_score, r.fnr_core, batch.ratio_plan("fnr")),
    "fpr_score": Metric(r.fpr_score, r.fpr_core, batch.ratio_plan("fpr")),
    "hamming_loss": Metric(m.hamming_loss, m.hamming_core,
                           batch.flag_plan(None, batch.hamming_formula)),
    "jaccard_score": Metric(m.jaccard_score, m.jaccard_core, batch.ratio_plan("jaccard")),
    "matthews_corrcoef": Metric(m.matthews_corrcoef, m.mcc_core,
                                batch.flag_plan(None, batch.matthews_formula)),
    "mcc_score": Metric(r.mcc_score, r.mcc_score_core, batch.ratio_plan("mcc")),
    "multilabel_confusion_matrix": Metric(m.multilabel_confusion_matrix, m.mcm_core,
                                          returns="matrix"),
    "npv_score": Metric(r.npv_score, r.npv_core, batch.ratio_plan("npv")),
    "precision_recall_fscore_support": Metric(m.precision_recall_fscore_support, m.prfs_core,
                                              returns="tuple"),
    "precision_score": Metric(m.precision_score, m.precision_core,
                              batch.ratio_plan("precision")),
    "recall_score": Metric(m.recall_score, m.recall_core, batch.ratio_plan("recall")),
    "specificity_score": Metric(r.specificity_score, r.specificity_core,
                                batch.ratio_plan("specificity")),
    "zero_one_loss": Metric(m.zero_one_loss, m.zero_one_core,
                            batch.flag_plan("normalize", batch.errors_formula)),
}
_BY_FUNCTION = {entry.function: entry for entry in METRICS.values()}


def lookup(metric):
    """The `Metric` of a cymetrics metric given as its name or its function,
    or None for anything else (another library's function included)."""
    if isinstance(metric, str):
        return METRICS.get(metric)
    try:
        return _BY_FUNCTION.get(metric)
    except TypeError:  # unhashable callable
        return None


def binary_plan(metric, params):
    """How to evaluate ``metric(**params)`` on arrays of binary counts.

    Returns ``(pos_label, evaluate)`` or None. ``evaluate(LabelCounts)``
    maps arrays ``tp, fp, fn, tn`` (counted with ``pos_label`` as the
    positive class; None means either orientation gives the same value) to
    the metric's values. Only cymetrics' own functions have plans (matched by
    identity), with parameters the plan knows. The caller guarantees both
    classes occur in ``y_true`` and among the labels of every matrix, which
    is when a per-matrix call of the metric sees the same binary problem.
    """
    entry = None if isinstance(metric, str) else lookup(metric)
    if entry is None or entry.plan is None:
        return None
    return entry.plan(params or {})


def from_confusion(cm, metric, /, *, classes=None, **params):
    """Evaluate a metric on a confusion matrix counted earlier.

    Count once, derive many: ``cm`` is a ``(K, K)`` confusion matrix (rows
    true, columns predicted, as `confusion_matrix` returns it) or the
    ``(L, 2, 2)`` matrices of `multilabel_confusion_matrix` (multilabel
    input). The result equals ``metric(y_true, y_pred, **params)`` on the
    samples that were counted.

    Parameters
    ----------
    cm : array-like of shape (K, K) or (L, 2, 2)
        Non-negative counts or total weights (weights are already in it).
    metric : callable or str
        A confusion-derived metric of cymetrics or its name: accuracy_score,
        balanced_accuracy_score, class_likelihood_ratios,
        classification_report, cohen_kappa_score, confusion_matrix,
        f1_score, fbeta_score,
        hamming_loss, jaccard_score, matthews_corrcoef,
        multilabel_confusion_matrix, precision_recall_fscore_support,
        precision_score, recall_score, zero_one_loss, specificity_score,
        npv_score, fpr_score, fnr_score, mcc_score, binary_rates.
    classes : array-like of shape (K,), default=None
        The label of each row of a (K, K) matrix, which ``labels`` and
        ``pos_label`` refer to; by default ``0, ..., K - 1``. The matrix's
        rows are its label set: a K <= 2 matrix is binary, a larger one
        multiclass.
    **params
        The metric's keyword parameters, except ``sample_weight``.

    Returns
    -------
    The metric's value.

    Raises
    ------
    ValueError
        For a malformed matrix, or a value the matrix cannot give:
        ``average='samples'`` and per-sample matrices need the samples, and
        so does the subset accuracy of multilabel input (an (L, 2, 2) input
        gives label-wise metrics and the Hamming loss).

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import confusion_matrix, f1_score, from_confusion
    >>> y_true, y_pred = [0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1]
    >>> cm = confusion_matrix(y_true, y_pred)
    >>> from_confusion(cm, f1_score, average="macro")
    0.6555555555555556
    >>> from_confusion(cm, "cohen_kappa_score", weights="linear")
    0.625
    >>> from_confusion([[50, 10], [5, 35]], "specificity_score")
    0.8333333333333334
    """
    name = getattr(metric, "__name__", metric)
    entry = METRICS.get(name) if isinstance(name, str) else None
    if entry is None:
        known = ", ".join(sorted(METRICS))
        raise ValueError(
            f"from_confusion does not know the metric {metric!r}; use one of: {known}."
        )
    if "sample_weight" in params:
        raise TypeError("from_confusion takes no sample_weight: the weights are in the matrix.")
    return entry.core(Matrix(cm, classes), **params)
