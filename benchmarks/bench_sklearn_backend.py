"""scikit-learn model selection, unpatched vs patched (``cymetrics.sklearn``).

Run ``python benchmarks/bench_sklearn_backend.py`` (``--quick``: n / 10).
Prints a markdown table; each workload runs unpatched and patched side by
side in one process, on the same data:

* ``GridSearchCV(LogisticRegression())``: 20 values of C x 5 folds on 1e5
  rows, ``scoring=["roc_auc", "f1", "average_precision", "neg_log_loss"]``;
* ``TunedThresholdClassifierCV(LogisticRegression(), scoring="f1")`` on 1e6
  rows (5 folds, 100 candidate thresholds each).

Wall time is the median of ``--repeats`` runs without a profiler. The share
of time in metrics comes from one more run under ``cProfile``: the time spent
inside the scorers (``_score`` of scikit-learn's scorers, or of the patched
curve scorer) minus the estimator's predictions they ask for
(``_cached_call``), over the whole fit. Profiling slows Python code more
than compiled code, so the shares are indicative; the wall times are not
profiled.
"""

import argparse
import cProfile
import os
import pstats
import sys
import warnings
from contextlib import nullcontext

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV

sys.path.insert(0, os.path.dirname(__file__))
from _harness import median_time  # noqa: E402

from cymetrics.sklearn import patched  # noqa: E402


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 10))
    logit = X @ rng.normal(size=10) * 0.5 - 1.5
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return X, y


def grid_search(X, y):
    search = GridSearchCV(
        LogisticRegression(), {"C": np.logspace(-3, 3, 20)}, cv=5, refit=False,
        scoring=["roc_auc", "f1", "average_precision", "neg_log_loss"])
    return lambda: search.fit(X, y)


def tuned_threshold(X, y):
    tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=5)
    return lambda: tuned.fit(X, y)


def _is_scorer_score(key):
    filename, _, name = key
    return name == "_score" and filename.replace(os.sep, "/").endswith(
        ("sklearn/metrics/_scorer.py", "cymetrics/sklearn/_tuning.py"))


def metric_seconds(stats):
    """Time inside the scorers minus the predictions they request."""
    total = 0.0
    for key, (_, _, _, _, callers) in stats.items():
        if _is_scorer_score(key):
            # From outside: a patched scorer falling back to scikit-learn's
            # method would count twice otherwise.
            total += sum(c[3] for caller, c in callers.items() if not _is_scorer_score(caller))
        elif key[2] == "_cached_call":
            total -= sum(c[3] for caller, c in callers.items() if _is_scorer_score(caller))
    return total


def profiled(run):
    """``(wall seconds, metric seconds)`` of one run under cProfile."""
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    stats = pstats.Stats(profile).stats
    wall = max(entry[3] for entry in stats.values())
    return wall, metric_seconds(stats)


def measure(name, n, make, repeats):
    X, y = data(n)
    run = make(X, y)
    results = {}
    for mode in ("unpatched", "patched"):
        with warnings.catch_warnings(), patched() if mode == "patched" else nullcontext():
            warnings.simplefilter("ignore")  # undefined precision at the top thresholds
            wall = median_time(run, repeats)
            profiled_wall, metric = profiled(run)
        results[mode] = wall, metric / profiled_wall, metric
    (u_wall, u_share, u_metric), (p_wall, p_share, p_metric) = results.values()
    return (f"| {name} | {n:.0e} | {u_wall:.2f} | {p_wall:.2f} | {u_wall / p_wall:.2f}x | "
            f"{u_share:.1%} ({u_metric:.2f} s) | {p_share:.2%} ({p_metric:.3f} s) | "
            f"{u_share / p_share:.0f}x |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n / 10")
    parser.add_argument("--repeats", type=int, default=1,
                        help="unprofiled runs per mode (median); default 1")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    print("| workload | n | unpatched s | patched s | speed-up | metric share unpatched "
          "| metric share patched | share drop |\n|---|---|---|---|---|---|---|---|")
    print(measure("GridSearchCV 20 C x 5 folds, 4 scorers", 10**5 // scale, grid_search,
                  args.repeats), flush=True)
    print(measure("TunedThresholdClassifierCV f1, 5 folds x 100 thresholds", 10**6 // scale,
                  tuned_threshold, args.repeats), flush=True)


if __name__ == "__main__":
    main()
