"""Plots: scikit-learn's metric displays, computed by cymetrics.

`RocCurveDisplay`, `PrecisionRecallDisplay`, `ConfusionMatrixDisplay` and
`CalibrationDisplay` take scikit-learn's parameters (``from_predictions``,
``from_estimator``, ``plot``) and compute their numbers with cymetrics;
``from_accumulator`` draws the state of a streaming accumulator. Importing
this module needs nothing beyond numpy; drawing needs matplotlib (the
``[plot]`` extra).
"""

from cymetrics.plot._curves import PrecisionRecallDisplay, RocCurveDisplay
from cymetrics.plot._matrix import CalibrationDisplay, ConfusionMatrixDisplay

__all__ = [
    "CalibrationDisplay",
    "ConfusionMatrixDisplay",
    "PrecisionRecallDisplay",
    "RocCurveDisplay",
]
