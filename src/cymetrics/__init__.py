"""cymetrics: fast, exact classification and ranking metrics.

Drop-in replacements for ``sklearn.metrics`` computed by Cython kernels that
read each input once and release the GIL.
"""

from cymetrics._bootstrap import BootstrapInterval, bootstrap_ci
from cymetrics._calibration import (
    calibration_curve,
    expected_calibration_error,
    maximum_calibration_error,
)
from cymetrics._classification import (
    accuracy_score,
    balanced_accuracy_score,
    class_likelihood_ratios,
    classification_report,
    cohen_kappa_score,
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
from cymetrics._confusion_matrix import confusion_matrix
from cymetrics._exceptions import (
    DataConversionWarning,
    InvalidParameterError,
    UndefinedMetricWarning,
)
from cymetrics._inference import (
    DeLongCovariance,
    DeLongTest,
    delong_covariance,
    delong_test,
    delong_test_unpaired,
    roc_auc_ci,
)
from cymetrics._intervals import Interval, f1_ci, proportion_ci, rate_ci
from cymetrics._label_ranking import (
    coverage_error,
    dcg_score,
    label_ranking_average_precision_score,
    label_ranking_loss,
    ndcg_score,
)
from cymetrics._losses import (
    brier_score_loss,
    d2_brier_score,
    d2_log_loss_score,
    hinge_loss,
    log_loss,
)
from cymetrics._multiclass_ranking import top_k_accuracy_score
from cymetrics._ranking import (
    auc,
    average_precision_score,
    confusion_matrix_at_thresholds,
    det_curve,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from cymetrics._rates import (
    BinaryRates,
    binary_rates,
    fnr_score,
    fpr_score,
    from_confusion,
    mcc_score,
    npv_score,
    specificity_score,
)
from cymetrics._thresholds import (
    OperatingPoint,
    ThresholdMetrics,
    best_threshold,
    metric_at_thresholds,
    metrics_at_thresholds,
    precision_at_recall,
    recall_at_precision,
    sensitivity_at_specificity,
    specificity_at_sensitivity,
)
from cymetrics._version import __version__

__all__ = [
    "BinaryRates",
    "BootstrapInterval",
    "DataConversionWarning",
    "DeLongCovariance",
    "DeLongTest",
    "Interval",
    "InvalidParameterError",
    "OperatingPoint",
    "ThresholdMetrics",
    "UndefinedMetricWarning",
    "__version__",
    "accuracy_score",
    "auc",
    "average_precision_score",
    "balanced_accuracy_score",
    "best_threshold",
    "binary_rates",
    "bootstrap_ci",
    "brier_score_loss",
    "calibration_curve",
    "class_likelihood_ratios",
    "classification_report",
    "cohen_kappa_score",
    "confusion_matrix",
    "confusion_matrix_at_thresholds",
    "coverage_error",
    "d2_brier_score",
    "d2_log_loss_score",
    "dcg_score",
    "delong_covariance",
    "delong_test",
    "delong_test_unpaired",
    "det_curve",
    "expected_calibration_error",
    "f1_ci",
    "f1_score",
    "fbeta_score",
    "fnr_score",
    "fpr_score",
    "from_confusion",
    "hamming_loss",
    "hinge_loss",
    "jaccard_score",
    "label_ranking_average_precision_score",
    "label_ranking_loss",
    "log_loss",
    "matthews_corrcoef",
    "maximum_calibration_error",
    "mcc_score",
    "metric_at_thresholds",
    "metrics_at_thresholds",
    "multilabel_confusion_matrix",
    "ndcg_score",
    "npv_score",
    "precision_at_recall",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "proportion_ci",
    "rate_ci",
    "recall_at_precision",
    "recall_score",
    "roc_auc_ci",
    "roc_auc_score",
    "roc_curve",
    "sensitivity_at_specificity",
    "specificity_at_sensitivity",
    "specificity_score",
    "top_k_accuracy_score",
    "zero_one_loss",
]
