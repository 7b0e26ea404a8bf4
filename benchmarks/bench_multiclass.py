"""Multiclass ranking, probabilistic losses, label ranking and calibration:
cymetrics vs scikit-learn vs a numpy floor.

Run ``python benchmarks/bench_multiclass.py`` (``--quick``: n = 1e5 only,
``--no-sklearn`` to skip scikit-learn). Prints a markdown table; each row is
measured side by side in one run, median of repeats interleaved call by call. Floors: ``np.sort`` of
every score column for the ranking metrics, one ``np.log`` over the
probabilities for the log loss, one elementwise pass for the Brier score and
calibration, a row-wise ``np.argsort`` for the label-ranking metrics.
scikit-learn is skipped where one call would take minutes (one-vs-one with
100 classes at 1e6 samples); the label-ranking metrics run at 1e4 rows.
"""

import gc
import os
import statistics
import sys
import time
from functools import partial

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _harness import HEADER, parse_args, repeats_for, row  # noqa: E402

import cymetrics  # noqa: E402

# Beyond this many (samples x class pairs) scikit-learn is not run.
SKLEARN_PAIRS_LIMIT = 10**9
# The label-ranking metrics of scikit-learn loop over rows in Python (LRAP
# takes ~100 s at 1e5 rows): they are measured at this size.
LABEL_RANKING_N = 10**4


def softmax_data(n, k, rng):
    """Labels and predict_proba-like probabilities (float64, rows sum to 1)."""
    y = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y] += 1.0
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    return y, p


def interleaved_medians(funcs, reps):
    """Median wall time of each function over ``reps[i]`` calls, the calls of
    all functions interleaved round by round (on a shared machine a load that
    drifts during the run then hits them alike); one untimed warm-up call
    first, except for functions timed once (slow scikit-learn cases)."""
    times = [[] for _ in funcs]
    for func, count in zip(funcs, reps, strict=True):
        if count > 1:
            func()
    for r in range(max(reps)):
        for func, count, out in zip(funcs, reps, times, strict=True):
            if r < count:
                gc.collect()
                start = time.perf_counter()
                func()
                out.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def measure(name, n, ours, theirs, floor, floor_name, reps, sk_reps):
    if theirs is None:
        ours_s, floor_s = interleaved_medians([ours, floor], [reps, reps])
        theirs_s = None
    else:
        ours_s, floor_s, theirs_s = interleaved_medians([ours, floor, theirs],
                                                        [reps, reps, sk_reps])
    print(row(name, n, ours_s, theirs_s, floor_s, floor_name), flush=True)


def sk_call(module, name, *args, **kwargs):
    """``module.name`` bound to the arguments, or None when scikit-learn is skipped."""
    return None if module is None else partial(getattr(module, name), *args, **kwargs)


def main():
    args = parse_args(__doc__.splitlines()[0], [10**5, 10**6, 10**7])
    sk = skc = None
    if not args.no_sklearn:
        import sklearn.calibration as skc
        import sklearn.metrics as sk
    rng = np.random.default_rng(0)
    print(HEADER)
    for n in args.sizes:
        reps = repeats_for(n)
        sk_reps = 3 if n <= 10**6 else 1

        # --- multiclass ROC AUC (n <= 1e6) ---------------------------------
        for k in (10, 100):
            if n > 10**6:
                continue
            y, p = softmax_data(n, k, rng)
            floor = partial(np.sort, p, axis=0)
            for multi_class in ("ovr", "ovo"):
                pairs = k * (k - 1) // 2 if multi_class == "ovo" else k
                run_sk = sk is not None and n * pairs <= SKLEARN_PAIRS_LIMIT
                measure(
                    f"roc_auc_score {multi_class}, {k} classes", n,
                    partial(cymetrics.roc_auc_score, y, p, multi_class=multi_class),
                    sk_call(sk if run_sk else None, "roc_auc_score", y, p,
                            multi_class=multi_class),
                    floor, "np.sort columns", reps, sk_reps if k == 10 else 1,
                )
            if k == 10:
                w = rng.random(n)
                measure(
                    "roc_auc_score ovr weighted, 10 classes", n,
                    partial(cymetrics.roc_auc_score, y, p, multi_class="ovr", sample_weight=w),
                    sk_call(sk, "roc_auc_score", y, p, multi_class="ovr", sample_weight=w),
                    partial(np.argsort, p, axis=0), "np.argsort columns", reps, sk_reps,
                )
                measure(
                    "average_precision_score, 10 classes", n,
                    partial(cymetrics.average_precision_score, y, p),
                    sk_call(sk, "average_precision_score", y, p),
                    floor, "np.sort columns", reps, sk_reps,
                )
                measure(
                    "top_k_accuracy_score k=3, 10 classes", n,
                    partial(cymetrics.top_k_accuracy_score, y, p, k=3),
                    sk_call(sk, "top_k_accuracy_score", y, p, k=3),
                    partial(p.max, axis=1), "p.max(axis=1)", reps, sk_reps,
                )

        # --- losses ---------------------------------------------------------
        yb = (rng.random(n) < 0.3).astype(np.int64)
        pb = rng.random(n)
        measure("log_loss binary", n, partial(cymetrics.log_loss, yb, pb),
                sk_call(sk, "log_loss", yb, pb),
                partial(np.log, pb), "np.log", reps, sk_reps)
        measure("brier_score_loss binary", n, partial(cymetrics.brier_score_loss, yb, pb),
                sk_call(sk, "brier_score_loss", yb, pb),
                partial(np.multiply, pb, pb), "np.multiply", reps, sk_reps)
        if n <= 10**6:
            y, p = softmax_data(n, 10, rng)
            measure("log_loss, 10 classes", n, partial(cymetrics.log_loss, y, p),
                    sk_call(sk, "log_loss", y, p),
                    partial(np.log, p), "np.log", reps, sk_reps)
            measure("brier_score_loss, 10 classes", n,
                    partial(cymetrics.brier_score_loss, y, p),
                    sk_call(sk, "brier_score_loss", y, p),
                    partial(np.multiply, p, p), "np.multiply", reps, sk_reps)
        measure("calibration_curve 10 bins", n,
                partial(cymetrics.calibration_curve, yb, pb, n_bins=10),
                sk_call(skc, "calibration_curve", yb, pb, n_bins=10),
                partial(np.multiply, pb, pb), "np.multiply", reps, sk_reps)

        # --- label ranking (once, at LABEL_RANKING_N rows) -------------------
        if n == args.sizes[0]:
            m = LABEL_RANKING_N
            ym = (rng.random((m, 10)) < 0.3).astype(np.int64)
            s = rng.random((m, 10))
            floor = partial(np.argsort, s, axis=1)
            for name in ("label_ranking_average_precision_score", "label_ranking_loss",
                         "coverage_error", "ndcg_score"):
                measure(f"{name}, 10 labels", m, partial(getattr(cymetrics, name), ym, s),
                        sk_call(sk, name, ym, s),
                        floor, "np.argsort rows", repeats_for(m), 3)


if __name__ == "__main__":
    main()
