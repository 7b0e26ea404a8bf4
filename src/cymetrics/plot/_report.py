"""The figures of ``cymetrics report``: drawn from its curves with the displays.

`report_figures` takes the report's curves (an object with the attributes
of ``cymetrics._cli._evaluate.Curves``) and returns matplotlib figures by
name; the command line saves them as PNG files or inlines them as SVG.
"""

import numpy as np

from cymetrics._ranking._binary import auc
from cymetrics.plot._base import pyplot
from cymetrics.plot._curves import PrecisionRecallDisplay, RocCurveDisplay
from cymetrics.plot._matrix import CalibrationDisplay, ConfusionMatrixDisplay

__all__ = ["FIGURE_SIZE", "bench_figure", "close_figure", "report_figures"]

FIGURE_SIZE = (6.4, 4.8)  # inches; 640 x 480 pixels at 100 dpi
_ISO_F1 = (0.2, 0.4, 0.6, 0.8)


def close_figure(fig):
    """Let pyplot forget a figure once saved (it keeps every figure it made)."""
    pyplot("the report's plots").close(fig)


def _figure():
    fig, ax = pyplot("the report's plots").subplots(figsize=FIGURE_SIZE)
    return fig, ax


def _roc(curves):
    fig, ax = _figure()
    labels = list(curves.roc)
    if curves.task == "binary":
        (fpr, tpr), = curves.roc.values()
        _, low, high = curves.roc_band
        ax.fill_between(fpr, low, high, step=None, alpha=0.2, color="C0",
                        label="pointwise band of the TPR (Wilson)")
        RocCurveDisplay(fpr=fpr, tpr=tpr, roc_auc=auc(fpr, tpr),
                        name=f"positive class {labels[0]}").plot(ax, plot_chance_level=True)
    else:
        RocCurveDisplay(fpr=[c[0] for c in curves.roc.values()],
                        tpr=[c[1] for c in curves.roc.values()],
                        roc_auc=[auc(*c) for c in curves.roc.values()],
                        name=[f"class {c} vs rest" for c in labels]).plot(
            ax, curve_kwargs=[{"color": f"C{i % 10}"} for i in range(len(labels))],
            plot_chance_level=True)
    ax.set_title("ROC curve")
    return fig


def _precision_recall(curves):
    fig, ax = _figure()
    x = np.linspace(0.01, 1, 200)
    for f in _ISO_F1:
        y = f * x / (2 * x - f)
        keep = (y >= 0) & (y <= 1.05)
        ax.plot(x[keep], y[keep], color="0.8", linewidth=0.8)
        ax.annotate(f"F1={f:0.1f}", xy=(0.9, y[-15] + 0.02), color="0.5", fontsize=8)
    labels = list(curves.pr)
    if curves.task == "binary":
        (precision, recall), = curves.pr.values()
        PrecisionRecallDisplay(precision, recall, name=f"positive class {labels[0]}",
                               prevalence_pos_label=curves.prevalence).plot(
            ax, plot_chance_level=curves.prevalence is not None)
    else:
        PrecisionRecallDisplay([c[0] for c in curves.pr.values()],
                               [c[1] for c in curves.pr.values()],
                               name=[f"class {c} vs rest" for c in labels]).plot(
            ax, curve_kwargs=[{"color": f"C{i % 10}"} for i in range(len(labels))])
    ax.set_title("Precision-recall curve (grey: iso-F1 lines)")
    return fig


def _calibration(curves):
    fig, ax = _figure()
    prob_pred, prob_true, _ = curves.calibration
    name = "positive class" if curves.task == "binary" else "top label"
    CalibrationDisplay(prob_true, prob_pred, None, estimator_name=name).plot(ax=ax)
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), title="Calibration (10 equal-width bins)")
    return fig


def _thresholds(curves):
    fig, ax = _figure()
    s = curves.sweep
    for values, label in ((s.tpr, "recall (TPR)"), (s.fpr, "FPR"), (s.precision, "precision"),
                          (s.f1, "F1"), (s.accuracy, "accuracy")):
        ax.plot(s.thresholds, values, label=label)
    ax.axvline(curves.threshold, color="k", linestyle=":", label="report threshold")
    ax.set(xlabel="threshold (predict positive when score >= threshold)", ylabel="value",
           ylim=(-0.01, 1.01), title="Metrics against the threshold")
    ax.legend(loc="best", fontsize=8)
    return fig


def _histogram(curves):
    fig, ax = _figure()
    edges, negatives, positives = curves.histogram
    labels = curves.labels
    ax.stairs(negatives, edges, fill=True, alpha=0.5, label=f"class {labels[0]}")
    ax.stairs(positives, edges, fill=True, alpha=0.5, label=f"class {labels[1]}")
    ax.axvline(curves.threshold, color="k", linestyle=":", label="report threshold")
    ax.set(xlabel="score", ylabel="samples (weight)", title="Scores by true class")
    ax.legend(loc="best")
    return fig


def _confusion(curves):
    fig, ax = _figure()
    ConfusionMatrixDisplay(curves.confusion, display_labels=curves.labels).plot(
        ax=ax, values_format=None if curves.confusion.dtype.kind != "f" else ".4g")
    ax.set_title("Confusion matrix" + ("" if curves.threshold is None
                                       else f" at threshold {curves.threshold:.4g}"))
    return fig


def report_figures(curves):
    """``{name: matplotlib Figure}`` of the plots that apply to the report's task."""
    builders = [("confusion_matrix", _confusion, True),
                ("roc", _roc, bool(curves.roc)),
                ("precision_recall", _precision_recall, bool(curves.pr)),
                ("calibration", _calibration, curves.calibration is not None),
                ("thresholds", _thresholds, curves.sweep is not None),
                ("score_histogram", _histogram, curves.histogram is not None)]
    figures = {}
    for name, build, applies in builders:
        if applies:
            fig = build(curves)
            fig.tight_layout()
            figures[name] = fig
    return figures


def bench_figure(rows):
    """The speed-up chart of ``cymetrics bench``: one group of bars per operation,
    one bar per size; ``rows`` are ``(operation, n, cymetrics s, scikit-learn s)``."""
    fig, ax = _figure()
    operations = list(dict.fromkeys(r[0] for r in rows))
    sizes = sorted({r[1] for r in rows})
    width = 0.8 / len(sizes)
    for k, n in enumerate(sizes):
        speedups = [next((t / o for name, m, o, t in rows if name == op and m == n), np.nan)
                    for op in operations]
        bars = ax.barh(np.arange(len(operations)) + k * width, speedups, height=width,
                       label=f"n = {n:.0e}")
        ax.bar_label(bars, fmt="%.0fx", fontsize=7, padding=2)
    ax.set_yticks(np.arange(len(operations)) + 0.4 - width / 2, operations, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(1, color="k", linewidth=0.8)
    ax.set(xscale="log", xlabel="speed-up over scikit-learn (time ratio, log scale)",
           title="cymetrics vs scikit-learn on this machine")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig
