"""The ``cymetrics`` console script.

``cymetrics report --demo`` evaluates an embedded, seeded synthetic binary
classifier; ``cymetrics report --y-true FILE --y-score FILE`` evaluates
saved ``.npy`` arrays.
"""

import argparse
import sys

import numpy as np

from cymetrics._classification._metrics import confusion_matrix
from cymetrics._classification._rates import binary_rates
from cymetrics._classification._registry import from_confusion
from cymetrics._ranking._binary import average_precision_score, roc_auc_score
from cymetrics._version import __version__


def demo_predictions(n_samples=10_000, seed=0):
    """Seeded synthetic binary predictions: ~20% positives, informative scores."""
    rng = np.random.default_rng(seed)
    y_true = (rng.random(n_samples) < 0.2).astype(np.int64)
    logits = rng.normal(loc=1.5 * y_true - 0.75, scale=1.0)
    y_score = 1.0 / (1.0 + np.exp(-logits))
    return y_true, y_score


def binary_report(y_true, y_score, threshold=0.5):
    """The report's text for binary labels in {0, 1} and scores."""
    y_pred = (np.asarray(y_score) >= threshold).astype(np.int64)
    cm = confusion_matrix(y_true, y_pred, labels=[0, 1])
    (tn, fp), (fn, tp) = cm.tolist()
    width = max(len(str(v)) for v in (tn, fp, fn, tp)) + 2
    lines = [
        f"samples: {len(y_true)}   positives: {int(np.sum(y_true))}   threshold: {threshold}",
        "",
        "confusion matrix (rows: true, columns: predicted)",
        f"{'':>10}{'0':>{width}}{'1':>{width}}",
        f"{'0':>10}{tn:>{width}}{fp:>{width}}",
        f"{'1':>10}{fn:>{width}}{tp:>{width}}",
        "",
        f"ROC AUC            {roc_auc_score(y_true, y_score):.6f}",
        f"average precision  {average_precision_score(y_true, y_score):.6f}",
        "",
        f"rates at threshold {threshold} (NaN: undefined)",
    ]
    # Derived from the matrix above: no second pass over the labels.
    rates = from_confusion(cm, binary_rates, betas=(0.5, 2.0)).as_dict()
    shown = [
        ("accuracy", "accuracy"), ("balanced accuracy", "balanced_accuracy"),
        ("precision (PPV)", "precision"), ("recall (TPR)", "recall"),
        ("specificity (TNR)", "specificity"), ("NPV", "npv"), ("FPR", "fpr"),
        ("FNR", "fnr"), ("F1", "f1"), ("F0.5", "f0.5"), ("F2", "f2"),
        ("MCC", "mcc"), ("Jaccard", "jaccard"), ("prevalence", "prevalence"),
        ("LR+", "lr_plus"), ("LR-", "lr_minus"),
    ]
    lines += [f"{label:<19}{rates[key]:.6f}" for label, key in shown]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="cymetrics", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"cymetrics {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="print the metrics of binary predictions")
    source = report.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo", action="store_true", help="use the embedded synthetic data")
    source.add_argument("--y-true", help=".npy file of true labels in {0, 1}")
    report.add_argument("--y-score", help=".npy file of scores (with --y-true)")
    report.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)

    if args.demo:
        y_true, y_score = demo_predictions()
        print("cymetrics report: seeded synthetic binary classifier (demo)")
    else:
        if not args.y_score:
            parser.error("--y-true needs --y-score")
        y_true, y_score = np.load(args.y_true), np.load(args.y_score)
    print(binary_report(y_true, y_score, args.threshold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
