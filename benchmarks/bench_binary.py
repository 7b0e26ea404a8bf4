"""Binary ranking metrics and confusion_matrix: cymetrics vs scikit-learn vs numpy floor.

Run ``python benchmarks/bench_binary.py`` (``--quick`` for n = 1e5 only).
Prints a markdown table; each row is measured side by side in one run,
median of repeats. Floors: ``np.sort`` of the scores for ranking, one
``np.add.reduce`` pass over both label arrays for the confusion matrix.
"""

import os
import sys
from functools import partial

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _harness import HEADER, median_time, parse_args, repeats_for, row  # noqa: E402

import cymetrics  # noqa: E402


def binary_data(n, rng, decimals=None, dtype=np.float64):
    y = (rng.random(n) < 0.1).astype(np.int64)
    s = rng.normal(size=n) + y
    if decimals is not None:
        s = np.round(1.0 / (1.0 + np.exp(-s)), decimals)
    return y, s.astype(dtype)


def multiclass_labels(n, rng, k=10):
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, k, n))
    return y_true, y_pred


def read_both(a, b):
    """The confusion-matrix floor: one reduction pass over each label array."""
    return np.add.reduce(a), np.add.reduce(b)


def main():
    args = parse_args(__doc__.splitlines()[0], [10**5, 10**6, 10**7])
    sk = None
    if not args.no_sklearn:
        import sklearn.metrics as sk
    rng = np.random.default_rng(0)
    print(HEADER)
    for n in args.sizes:
        reps = repeats_for(n)
        sk_reps = max(1, reps // 2) if n >= 10**7 else reps
        cases = [
            ("roc_auc_score float64", binary_data(n, rng), "roc_auc_score"),
            ("roc_auc_score 3 decimals", binary_data(n, rng, 3), "roc_auc_score"),
            ("roc_auc_score float32", binary_data(n, rng, dtype=np.float32), "roc_auc_score"),
            ("roc_auc_score max_fpr=0.1", binary_data(n, rng), "roc_auc_score"),
            ("average_precision_score", binary_data(n, rng), "average_precision_score"),
            ("roc_curve", binary_data(n, rng), "roc_curve"),
            ("precision_recall_curve", binary_data(n, rng), "precision_recall_curve"),
        ]
        for name, (y, s), func in cases:
            kwargs = {"max_fpr": 0.1} if "max_fpr" in name else {}
            ours = median_time(partial(getattr(cymetrics, func), y, s, **kwargs), reps)
            floor = median_time(partial(np.sort, s), reps)
            theirs = None if sk is None else median_time(
                partial(getattr(sk, func), y, s, **kwargs), sk_reps)
            print(row(name, n, ours, theirs, floor, "np.sort"), flush=True)

        y, s = binary_data(n, rng)
        w = rng.integers(0, 4, n).astype(np.float64)
        ours = median_time(partial(cymetrics.roc_auc_score, y, s, sample_weight=w), reps)
        floor = median_time(partial(np.argsort, s), reps)
        theirs = None if sk is None else median_time(
            partial(sk.roc_auc_score, y, s, sample_weight=w), sk_reps)
        print(row("roc_auc_score weighted", n, ours, theirs, floor, "np.argsort"), flush=True)

        y_true, y_pred = multiclass_labels(n, rng)
        floor = median_time(partial(read_both, y_true, y_pred), reps)
        ours = median_time(partial(cymetrics.confusion_matrix, y_true, y_pred), reps)
        theirs = None if sk is None else median_time(
            partial(sk.confusion_matrix, y_true, y_pred), sk_reps)
        print(row("confusion_matrix 10 classes int64", n, ours, theirs, floor, "read pass"),
              flush=True)


if __name__ == "__main__":
    main()
