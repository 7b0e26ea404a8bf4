"""Which cymetrics function stands in for which scikit-learn function.

One table, `DROP_INS`: the scikit-learn module that exposes a function
publicly -> its name -> the cymetrics drop-in. Each drop-in has the
signature of its namesake (names, kinds, defaults; ``tests/test_common.py``
checks it), so scikit-learn's own parameter validation binds its arguments
unchanged. `twin` answers "which cymetrics function is this?" for the
backend's scorers and its threshold-tuning fast path.
"""

import sklearn.calibration
import sklearn.metrics

from cymetrics._classification import _metrics
from cymetrics._probabilistic import _calibration, _losses
from cymetrics._ranking import _binary, _label_ranking, _multiclass, _thresholds

__all__ = ["DROP_INS", "TWINS", "twin"]

# The drop-ins of sklearn.metrics, by the cymetrics module that defines them.
_METRICS = {
    _metrics: "accuracy_score balanced_accuracy_score class_likelihood_ratios "
              "classification_report cohen_kappa_score confusion_matrix f1_score fbeta_score "
              "hamming_loss jaccard_score matthews_corrcoef multilabel_confusion_matrix "
              "precision_recall_fscore_support precision_score recall_score zero_one_loss",
    _binary: "auc average_precision_score confusion_matrix_at_thresholds det_curve "
             "precision_recall_curve roc_auc_score roc_curve",
    _label_ranking: "coverage_error dcg_score label_ranking_average_precision_score "
                    "label_ranking_loss ndcg_score",
    _multiclass: "top_k_accuracy_score",
    _thresholds: "metric_at_thresholds",
    _losses: "brier_score_loss d2_brier_score d2_log_loss_score hinge_loss log_loss",
}
# The scikit-learn module that exposes each function -> name -> drop-in.
DROP_INS = {
    sklearn.metrics: {name: getattr(module, name)
                      for module, names in _METRICS.items() for name in names.split()},
    sklearn.calibration: {"calibration_curve": _calibration.calibration_curve},
}
# scikit-learn's function -> its drop-in (and each drop-in -> itself).
TWINS = {getattr(home, name): f for home, functions in DROP_INS.items()
         for name, f in functions.items()}
TWINS.update((f, f) for f in list(TWINS.values()))


def twin(func):
    """The cymetrics drop-in for ``func`` (a scikit-learn function or the
    drop-in itself), or None for any other callable."""
    try:
        return TWINS.get(func)
    except TypeError:  # unhashable callable
        return None
