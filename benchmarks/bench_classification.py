"""Benchmark the confusion-derived classification metrics against scikit-learn.

Prints markdown tables, every time measured side by side in this run (median
of repeats of the process CPU time, which other jobs on a shared machine
disturb less than the wall clock; every code path timed is single-threaded):

* large n: cymetrics and scikit-learn seconds, their ratio, and cymetrics'
  time relative to ``cymetrics.confusion_matrix`` on the same labels (the
  metric is that count plus O(K^2) work) and to a numpy floor: one read pass
  over both label arrays (``np.count_nonzero(y_true == y_pred)``), or over
  both indicator matrices for multilabel input;
* n = 100: per-call microseconds (validation overhead).

Usage::

    python benchmarks/bench_classification.py            # n = 1e5, 1e6, 1e7
    python benchmarks/bench_classification.py --quick    # n = 1e5 only
    python benchmarks/bench_classification.py --sizes 1e6 --repeats 7

scikit-learn is timed once at n >= 1e6, and at n = 1e7 (multilabel: 1e6) only
for ``LARGE_SKLEARN`` (it takes seconds per call there).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from functools import partial

import numpy as np
import sklearn
import sklearn.metrics as skm

import cymetrics

# (function, kwargs, targets it applies to)
ONE_D = ("binary", "multiclass-10", "multiclass-100")
ALL = ONE_D + ("multilabel-20",)
CALLS = [
    ("accuracy_score", {}, ALL),
    ("balanced_accuracy_score", {}, ONE_D),
    ("precision_score", {"average": "macro"}, ALL),
    ("recall_score", {"average": "weighted"}, ALL),
    ("f1_score", {"average": "macro"}, ALL),
    ("f1_score", {"average": "samples"}, ("multilabel-20",)),
    ("fbeta_score", {"beta": 2, "average": "micro"}, ALL),
    ("precision_recall_fscore_support", {}, ALL),
    ("jaccard_score", {"average": "macro"}, ALL),
    ("multilabel_confusion_matrix", {}, ALL),
    ("hamming_loss", {}, ALL),
    ("zero_one_loss", {}, ALL),
    ("matthews_corrcoef", {}, ONE_D),
    ("cohen_kappa_score", {}, ONE_D),
    ("cohen_kappa_score", {"weights": "quadratic"}, ("multiclass-10",)),
    ("class_likelihood_ratios", {}, ("binary",)),
    ("classification_report", {"zero_division": 0.0}, ALL),
    # beyond scikit-learn
    ("specificity_score", {"average": "macro"}, ALL),
    ("mcc_score", {"average": "macro"}, ALL),
    ("binary_rates", {}, ("binary",)),
]
# scikit-learn is timed once at n >= 1e6, and at n >= 1e7 (or multilabel
# n >= 1e6, ~5 s a call) only for these.
LARGE_SKLEARN = {
    ("f1_score", "binary"), ("f1_score", "multiclass-10"), ("f1_score", "multiclass-100"),
    ("matthews_corrcoef", "multiclass-10"), ("accuracy_score", "multiclass-10"),
    ("multilabel_confusion_matrix", "multiclass-10"), ("cohen_kappa_score", "multiclass-10"),
    ("classification_report", "multiclass-10"),
    ("f1_score", "multilabel-20"), ("hamming_loss", "multilabel-20"),
    ("multilabel_confusion_matrix", "multilabel-20"),
}


def sklearn_timed(name, kind, n):
    if not hasattr(skm, name):
        return False
    big = n >= 10**7 or (kind == "multilabel-20" and n >= 10**6)
    return not big or (name, kind) in LARGE_SKLEARN


def make_targets(kind, n, rng):
    """Synthetic predictions: ~70% right; binary with ~10% positives."""
    if kind == "multilabel-20":
        y_true = (rng.random((n, 20)) < 0.2).astype(np.uint8)
        flip = (rng.random((n, 20)) < 0.1).astype(np.uint8)
        return y_true, y_true ^ flip
    if kind == "binary":
        y_true = (rng.random(n) < 0.1).astype(np.int64)
        y_pred = np.where(rng.random(n) < 0.7, y_true, 1 - y_true)
        return y_true, y_pred
    k = int(kind.split("-")[1])
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, k, n))
    return y_true, y_pred


CLOCK = time.process_time


def median_time(func, repeats):
    times = []
    for _ in range(repeats):
        start = CLOCK()
        func()
        times.append(CLOCK() - start)
    return statistics.median(times)


def per_call_time(func, budget=0.2):
    """Median seconds per call over batches filling ``budget`` seconds."""
    func()
    start, calls = CLOCK(), 0
    while CLOCK() - start < 0.02:
        func()
        calls += 1
    batch = max(1, calls)
    samples = []
    deadline = CLOCK() + budget
    while CLOCK() < deadline or len(samples) < 5:
        start = CLOCK()
        for _ in range(batch):
            func()
        samples.append((CLOCK() - start) / batch)
    return statistics.median(samples)


def floor_time(y_true, y_pred, repeats):
    if y_true.ndim == 2:
        return median_time(lambda: (np.count_nonzero(y_true), np.count_nonzero(y_pred)), repeats)
    return median_time(lambda: np.count_nonzero(y_true == y_pred), repeats)


def fmt(seconds):
    return "—" if seconds is None else f"{seconds:.4f}"


def ratio(a, b):
    return "—" if a is None or b is None else f"{a / b:.1f}"


def large_table(sizes, repeats, kinds):
    rng = np.random.default_rng(0)
    print("| operation | labels | n | cymetrics s | sklearn s | sklearn / cymetrics "
          "| cymetrics / confusion_matrix | cymetrics / numpy floor |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for kind in kinds:
            if kind == "multilabel-20" and n > 1_000_000:
                continue
            y_true, y_pred = make_targets(kind, n, rng)
            floor = floor_time(y_true, y_pred, repeats)
            cm_time = None
            if y_true.ndim == 1:
                cm_time = median_time(partial(cymetrics.confusion_matrix, y_true, y_pred),
                                      repeats)
                sk_cm = median_time(partial(skm.confusion_matrix, y_true, y_pred),
                                    1 if n >= 10**6 else max(1, repeats // 2))
                print(f"| confusion_matrix | {kind} | {n:.0e} | {fmt(cm_time)} | {fmt(sk_cm)} "
                      f"| {ratio(sk_cm, cm_time)} | 1.0 | {ratio(cm_time, floor)} |")
            for name, kw, applies in CALLS:
                if kind not in applies:
                    continue
                ours = median_time(partial(getattr(cymetrics, name), y_true, y_pred, **kw),
                                   repeats)
                theirs = None
                if sklearn_timed(name, kind, n):
                    sk_repeats = 1 if n >= 10**6 else max(1, repeats // 2)
                    theirs = median_time(partial(getattr(skm, name), y_true, y_pred, **kw),
                                         sk_repeats)
                label = name + (f" {kw}" if kw else "")
                print(f"| {label} | {kind} | {n:.0e} | {fmt(ours)} | {fmt(theirs)} "
                      f"| {ratio(theirs, ours)} | {ratio(ours, cm_time)} | {ratio(ours, floor)} |",
                      flush=True)


def small_table(kinds):
    rng = np.random.default_rng(1)
    print("| operation | labels | n | cymetrics µs | sklearn µs | sklearn / cymetrics |")
    print("|---|---|---|---|---|---|")
    for kind in kinds:
        y_true, y_pred = make_targets(kind, 100, rng)
        for name, kw, applies in CALLS:
            if kind not in applies:
                continue
            ours = per_call_time(partial(getattr(cymetrics, name), y_true, y_pred, **kw))
            theirs = None
            if hasattr(skm, name):
                theirs = per_call_time(partial(getattr(skm, name), y_true, y_pred, **kw))
            label = name + (f" {kw}" if kw else "")
            print(f"| {label} | {kind} | 100 | {ours * 1e6:.1f} "
                  f"| {'—' if theirs is None else f'{theirs * 1e6:.1f}'} | {ratio(theirs, ours)} |",
                  flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n = 1e5 only")
    parser.add_argument("--sizes", type=float, nargs="+", help="sample counts (e.g. 1e6 1e7)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--labels", nargs="+", default=list(ALL), choices=list(ALL))
    parser.add_argument("--skip-small", action="store_true", help="no n = 100 table")
    parser.add_argument("--wall", action="store_true", help="time the wall clock, not CPU time")
    args = parser.parse_args(argv)
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    sizes = [int(s) for s in args.sizes] if args.sizes else (
        [100_000] if args.quick else [100_000, 1_000_000, 10_000_000])
    warnings.simplefilter("ignore")
    print(f"cymetrics {cymetrics.__version__}, scikit-learn {sklearn.__version__}, "
          f"numpy {np.__version__}\n")
    large_table(sizes, args.repeats, args.labels)
    if not args.skip_small:
        print()
        small_table(args.labels)


if __name__ == "__main__":
    main()
