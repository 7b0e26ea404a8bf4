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

from cymetrics._classification._metrics import (
    accuracy_score,
    balanced_accuracy_score,
    class_likelihood_ratios,
    classification_report,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    hamming_loss,
    jaccard_score,
    matthews_corrcoef,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    zero_one_loss,
)
from cymetrics._probabilistic._calibration import calibration_curve
from cymetrics._probabilistic._losses import (
    brier_score_loss,
    d2_brier_score,
    d2_log_loss_score,
    hinge_loss,
    log_loss,
)
from cymetrics._ranking._binary import (
    auc,
    average_precision_score,
    confusion_matrix_at_thresholds,
    det_curve,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from cymetrics._ranking._label_ranking import (
    coverage_error,
    dcg_score,
    label_ranking_average_precision_score,
    label_ranking_loss,
    ndcg_score,
)
from cymetrics._ranking._multiclass import top_k_accuracy_score
from cymetrics._ranking._thresholds import metric_at_thresholds

__all__ = ["DROP_INS", "TWINS", "twin"]

_METRICS = (
    accuracy_score, auc, average_precision_score, balanced_accuracy_score, brier_score_loss,
    class_likelihood_ratios, classification_report, cohen_kappa_score, confusion_matrix,
    confusion_matrix_at_thresholds, coverage_error, d2_brier_score, d2_log_loss_score,
    dcg_score, det_curve, f1_score, fbeta_score, hamming_loss, hinge_loss, jaccard_score,
    label_ranking_average_precision_score, label_ranking_loss, log_loss, matthews_corrcoef,
    metric_at_thresholds, multilabel_confusion_matrix, ndcg_score, precision_recall_curve,
    precision_recall_fscore_support, precision_score, recall_score, roc_auc_score, roc_curve,
    top_k_accuracy_score, zero_one_loss,
)
# The scikit-learn module that exposes each function -> name -> drop-in.
DROP_INS = {
    sklearn.metrics: {f.__name__: f for f in _METRICS},
    sklearn.calibration: {"calibration_curve": calibration_curve},
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
