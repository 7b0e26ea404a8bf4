"""Exact metrics of data larger than one machine: cymetrics on Dask.

``pip install "cymetrics[dask]"``. Every function takes dask arrays or
columns of dask dataframes (and runs the one-shot `cymetrics` function on
numpy input). Each partition builds a `cymetrics.streaming` accumulator
with the Cython kernels on the worker that holds it; the states cross the
network as their checked bytes and merge in a tree (``split_every`` at a
time); no raw prediction is gathered to one process. Results equal
single-machine cymetrics on the concatenated data: integer counts bit for
bit, AUC, average precision and curves to 1e-12.

* `accumulate`: any mergeable accumulator fed every partition (the generic
  reduction all the functions below are made of);
* every confusion-derived metric of cymetrics (`f1_score`,
  `confusion_matrix`, `classification_report`, ...) from a
  `ConfusionAccumulator`: labels are discovered across partitions;
* `roc_auc_score` (binary with ``max_fpr``, multiclass one-vs-rest and
  one-vs-one), `average_precision_score`, `roc_curve`,
  `precision_recall_curve`, `det_curve`, `confusion_matrix_at_thresholds`
  from exact score states, or with ``max_bins`` from bounded sketches;
  `roc_auc_ci` (DeLong) from exact states;
* `log_loss`, `brier_score_loss`, `d2_log_loss_score`, `d2_brier_score`,
  `calibration_curve`, `expected_calibration_error`,
  `maximum_calibration_error` (uniform or quantile bins) from a
  `ProbabilityAccumulator`, after a pass that finds the labels of y_true;
* ``by=`` a segment column: one result per segment, from the same pass;
  ``compute=False``: a `dask.delayed.Delayed` instead of the result;
* `cymetrics.dask.monitoring`: the drift statistics of
  `cymetrics.monitoring` (`ks_statistic`, `wasserstein_distance`,
  `population_stability_index`, `jensen_shannon_distance`, `label_shift`,
  `prediction_shift`) between a reference and a current dask dataset.

Exact state or sketch (``max_bins``): the exact score state holds every
score, or each distinct score with its class counts when scores repeat
(8 bytes per float64 score serialized, 16 per counted one): all any curve,
AUC, average precision or DeLong variance reads, so results are those of
the one-shot functions. Choose it when
scores take few distinct values (rounded probabilities, integer scores:
states stay small) or when the exact result matters more than the cost.
With continuous scores its size follows n: 10^6 float64 scores per
partition send ~8 MB up the tree, and 10^8 would make an 800 MB root.
Choose the sketch there: each state is at most ``max_bins`` buckets (40
bytes each), and ``accumulate(ScoreSketch(max_bins), y_true, y_score)
.roc_auc_interval()`` certifies how far its AUC can be from the exact one
(2.7e-3 wide for 10^8 uniform scores in 4096 buckets,
``benchmarks/bench_dask.py``: pick ``max_bins`` for the precision needed).
Every level of the merge tree reads, merges and writes the states again:
for exact states of continuous scores, ``split_every`` as large as the
number of partitions (a single merge) does less work (a third less CPU
time for 10^7 scores in 100 partitions).

Bad input: arrays chunked differently are rechunked to the row chunks of
y_true (unknown chunk sizes: arrays with as many blocks are paired block by
block, others refused); dataframe columns must have the same number of
partitions; a partition's bad data raises the one-shot function's error
from the worker, with the partition named; score and weight columns whose
dtype is not numeric are refused before any work.

Not on dask (NotImplementedError for dask input): multilabel y_true for
the ranking and probabilistic functions (no mergeable state of multilabel
scores or indicator targets), ``average='samples'`` of
`average_precision_score` and `roc_auc_ci(method='bootstrap')` (they need
each sample).
"""

from cymetrics.dask._classification import (
    accuracy_score,
    balanced_accuracy_score,
    binary_rates,
    class_likelihood_ratios,
    classification_report,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    fnr_score,
    fpr_score,
    hamming_loss,
    jaccard_score,
    matthews_corrcoef,
    mcc_score,
    multilabel_confusion_matrix,
    npv_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    specificity_score,
    zero_one_loss,
)
from cymetrics.dask._probabilistic import (
    brier_score_loss,
    calibration_curve,
    d2_brier_score,
    d2_log_loss_score,
    expected_calibration_error,
    log_loss,
    maximum_calibration_error,
)
from cymetrics.dask._ranking import (
    average_precision_score,
    confusion_matrix_at_thresholds,
    det_curve,
    precision_recall_curve,
    roc_auc_ci,
    roc_auc_score,
    roc_curve,
)
from cymetrics.dask._reductions import accumulate

__all__ = [
    "accumulate",
    "accuracy_score",
    "average_precision_score",
    "balanced_accuracy_score",
    "binary_rates",
    "brier_score_loss",
    "calibration_curve",
    "class_likelihood_ratios",
    "classification_report",
    "cohen_kappa_score",
    "confusion_matrix",
    "confusion_matrix_at_thresholds",
    "d2_brier_score",
    "d2_log_loss_score",
    "det_curve",
    "expected_calibration_error",
    "f1_score",
    "fbeta_score",
    "fnr_score",
    "fpr_score",
    "hamming_loss",
    "jaccard_score",
    "log_loss",
    "matthews_corrcoef",
    "maximum_calibration_error",
    "mcc_score",
    "multilabel_confusion_matrix",
    "npv_score",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "roc_auc_ci",
    "roc_auc_score",
    "roc_curve",
    "specificity_score",
    "zero_one_loss",
]
