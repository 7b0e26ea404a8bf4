"""Inference: DeLong intervals and tests, bootstrap intervals.

Run ``python benchmarks/bench_inference.py`` (``--quick``: small n, few
resamples). Prints a markdown table; every row is measured side by side in
one run, median of repeats.

* DeLong CI / paired test vs ``roc_auc_score`` on the same data (the issue's
  target: the CI within 2x of the AUC alone), and vs scikit-learn's
  ``roc_auc_score``; floor ``np.sort`` (CI) or ``np.argsort`` (paired test:
  per-sample placements need the order).
* 1000 bootstrap resamples of ``roc_auc_score`` and ``f1_score`` at n = 1e5
  vs the naive loop (copy the drawn rows, call scikit-learn), timed on 20
  resamples and scaled to the count; floor: drawing the indices alone
  (``Generator.integers``), the part no method avoids.
"""

import os
import sys
from functools import partial

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _harness import median_time, parse_args, repeats_for  # noqa: E402

import cymetrics  # noqa: E402

HEADER = (
    "| operation | n | cymetrics s | baseline | baseline s | baseline / cymetrics "
    "| x numpy floor |\n|---|---|---|---|---|---|---|"
)


def row(operation, n, ours, baseline_name, baseline, floor, floor_name):
    base = "" if baseline is None else f"{baseline:.4f}"
    ratio = "" if baseline is None else f"{baseline / ours:.2f}"
    return (f"| {operation} | {n:.0e} | {ours:.4f} | {baseline_name} | {base} | {ratio} | "
            f"{ours / floor:.2f} ({floor_name} {floor:.4f}) |")


def binary_data(n, rng):
    y = (rng.random(n) < 0.1).astype(np.int64)
    return y, rng.normal(size=n) + y


def delong_rows(n, sk, rng):
    y, s = binary_data(n, rng)
    s2 = s + rng.normal(size=n)
    reps = repeats_for(n)
    sort_floor = median_time(lambda: np.sort(s), reps)
    argsort_floor = median_time(lambda: np.argsort(s), reps)
    auc = median_time(lambda: cymetrics.roc_auc_score(y, s), reps)
    ci = median_time(lambda: cymetrics.roc_auc_ci(y, s), reps)
    yield row("roc_auc_ci (DeLong)", n, ci, "cymetrics roc_auc_score", auc, sort_floor,
              "np.sort")
    if sk is not None:
        theirs = median_time(lambda: sk.roc_auc_score(y, s), max(1, reps // 2))
        yield row("roc_auc_ci (DeLong)", n, ci, "sklearn roc_auc_score", theirs, sort_floor,
                  "np.sort")
    paired = median_time(lambda: cymetrics.delong_test(y, s, s2), reps)
    yield row("delong_test (paired)", n, paired, "2 x cymetrics roc_auc_score", 2 * auc,
              2 * argsort_floor, "2 x np.argsort")


def naive_bootstrap(metric, y, x, n_resamples, seed):
    n = y.shape[0]
    rng = np.random.default_rng(seed)
    for _ in range(n_resamples):
        idx = rng.integers(0, n, n)
        metric(y[idx], x[idx])


def bootstrap_rows(n, n_resamples, sk, rng):
    y, s = binary_data(n, rng)
    p = (s > 0.8).astype(np.int64)
    reps = 3
    draw = np.random.default_rng(0)
    floor = median_time(lambda: [draw.integers(0, n, n) for _ in range(n_resamples)], reps)
    for name, metric, x, sk_name in (
        ("roc_auc_score", cymetrics.roc_auc_score, s, "roc_auc_score"),
        ("f1_score", cymetrics.f1_score, p, "f1_score"),
    ):
        for n_jobs in (1, None):
            ours = median_time(partial(
                cymetrics.bootstrap_ci, metric, y, x, n_resamples=n_resamples, random_state=0,
                n_jobs=n_jobs), reps)
            baseline = None
            if sk is not None:
                few = 20
                baseline = median_time(partial(
                    naive_bootstrap, getattr(sk, sk_name), y, x, few, 0), 1) * (n_resamples / few)
            threads = "1 thread" if n_jobs == 1 else f"{os.cpu_count()} threads"
            yield row(f"bootstrap_ci {name}, {n_resamples} resamples, {threads}", n, ours,
                      "naive sklearn loop (scaled)", baseline, floor, "index draws")


def main():
    args = parse_args(__doc__.splitlines()[0], [10**6, 10**7])
    sk = None
    if not args.no_sklearn:
        import sklearn.metrics as sk
    rng = np.random.default_rng(0)
    print(HEADER)
    sizes = [10**5] if args.quick else args.sizes
    for n in sizes:
        for line in delong_rows(n, sk, rng):
            print(line, flush=True)
    n_boot, resamples = (10**4, 200) if args.quick else (10**5, 1000)
    for line in bootstrap_rows(n_boot, resamples, sk, rng):
        print(line, flush=True)


if __name__ == "__main__":
    main()
