"""cymetrics: fast, exact classification and ranking metrics.

Drop-in replacements for ``sklearn.metrics`` computed by Cython kernels that
read each input once and release the GIL.
"""

from cymetrics._confusion_matrix import confusion_matrix
from cymetrics._exceptions import (
    DataConversionWarning,
    InvalidParameterError,
    UndefinedMetricWarning,
)
from cymetrics._ranking import (
    auc,
    average_precision_score,
    confusion_matrix_at_thresholds,
    det_curve,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from cymetrics._version import __version__

__all__ = [
    "DataConversionWarning",
    "InvalidParameterError",
    "UndefinedMetricWarning",
    "__version__",
    "auc",
    "average_precision_score",
    "confusion_matrix",
    "confusion_matrix_at_thresholds",
    "det_curve",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]
