"""Streaming accumulators: update throughput, exact vs one-shot, state memory, sketch.

Prints markdown tables (median of repeats, measured side by side in one run):

1. confusion accumulator update throughput (int64 labels, 10 classes);
2. exact score accumulator fed n float32 scores in 100 batches, update +
   compute, against one-shot roc_auc_score;
3. state memory of the exact accumulator for 1e3 and 1e6 distinct scores;
4. the sketch at n samples: memory and AUC interval width;
5. two threads updating one accumulator against one thread;
6. two threads updating two accumulators (one each) against one thread
   updating both, by batch size: the GIL holds each update's validation,
   the kernels release it (run it on a free-threaded build to compare).

Run ``python benchmarks/bench_streaming.py`` (n = 1e7) or ``--quick`` (1e6).
"""

import os
import sys
import threading
import time
from functools import partial

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import median_time, parse_args  # noqa: E402

import cymetrics  # noqa: E402
from cymetrics.streaming import ConfusionAccumulator, ScoreAccumulator, ScoreSketch  # noqa: E402


def _sklearn(skip):
    if skip:
        return None
    import sklearn.metrics

    return sklearn.metrics


def _binary_data(rng, n, distinct=None):
    y = rng.random(n) < 0.1
    s = rng.random(n).astype(np.float32) * 0.8 + 0.2 * y
    if distinct is not None:
        s = (np.floor(s * distinct) / distinct).astype(np.float32)
    return y, s


def _feed_confusion(y_true, y_pred, batch):
    acc = ConfusionAccumulator()
    for i in range(0, len(y_true), batch):
        acc.update(y_true[i:i + batch], y_pred[i:i + batch])
    return acc


def _feed_sketch(max_bins, batches, y, s):
    sketch = ScoreSketch(max_bins)
    for idx in batches:
        sketch.update(y[idx[0]:idx[-1] + 1], s[idx[0]:idx[-1] + 1])
    return sketch


def bench_confusion(n, repeats, skm):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 10, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 10, n))
    print(f"\n### Confusion accumulator, int64 labels, 10 classes, n = {n:.0e}\n")
    print("| operation | batch | cymetrics s | labels/s | scikit-learn one-shot s | "
          "x numpy floor (bincount of codes) |")
    print("|---|---|---|---|---|---|")
    floor = median_time(lambda: np.bincount(y_true * 10 + y_pred, minlength=100), repeats)
    theirs = None if skm is None else median_time(
        lambda: skm.confusion_matrix(y_true, y_pred), max(1, repeats - 2))
    for batch in (10**6, 10**5, 10**4):
        if batch > n:
            continue
        feed = partial(_feed_confusion, y_true, y_pred, batch)
        ours = median_time(feed, repeats)
        theirs_s = "" if theirs is None else f"{theirs:.4f}"
        print(f"| update | {batch:.0e} | {ours:.4f} | {n / ours / 1e6:.0f} M | {theirs_s} | "
              f"{ours / floor:.2f} ({floor:.4f}) |")
    acc = feed()
    metric = median_time(lambda: acc.compute("f1_score", average="macro"), repeats)
    print(f"| compute f1 macro from state | - | {metric:.6f} | | | |")


def bench_exact(n, repeats, skm):
    rng = np.random.default_rng(1)
    y, s = _binary_data(rng, n)
    batches = np.array_split(np.arange(n), 100)
    print(f"\n### Exact score accumulator, float32 scores, n = {n:.0e} in 100 batches\n")
    print("| operation | cymetrics s | scikit-learn s | x one-shot cymetrics | "
          "x numpy floor (np.sort) |")
    print("|---|---|---|---|---|")
    floor = median_time(lambda: np.sort(s), repeats)
    one_shot = median_time(lambda: cymetrics.roc_auc_score(y, s), repeats)
    theirs = None if skm is None else median_time(lambda: skm.roc_auc_score(y, s), 1)

    def stream():
        acc = ScoreAccumulator()
        for idx in batches:
            acc.update(y[idx[0]:idx[-1] + 1], s[idx[0]:idx[-1] + 1])
        return acc.roc_auc_score(), acc

    streaming = median_time(stream, repeats)
    auc, acc = stream()
    assert auc == cymetrics.roc_auc_score(y, s)
    theirs_s = "" if theirs is None else f"{theirs:.4f}"
    print(f"| one-shot roc_auc_score | {one_shot:.4f} | {theirs_s} | 1.00 | "
          f"{one_shot / floor:.2f} |")
    print(f"| 100 updates + roc_auc_score | {streaming:.4f} | {theirs_s} | "
          f"{streaming / one_shot:.2f} | {streaming / floor:.2f} ({floor:.4f}) |")
    compute = median_time(lambda: acc.roc_auc_score(), repeats)
    curve = median_time(lambda: acc.roc_curve(), repeats)
    print(f"| roc_auc_score from state ({acc.n_distinct:.2e} distinct) | {compute:.4f} | | | |")
    print(f"| roc_curve from state | {curve:.4f} | | | |")


def bench_memory(n):
    rng = np.random.default_rng(2)
    print(f"\n### Exact state memory, n = {n:.0e} samples (float32 scores, int64 counts)\n")
    print("| distinct scores | n_distinct | state bytes | bytes / distinct | raw input bytes |")
    print("|---|---|---|---|---|")
    for distinct in (10**3, 10**6):
        y, s = _binary_data(rng, n, distinct)
        acc = ScoreAccumulator()
        for idx in np.array_split(np.arange(n), 100):
            acc.update(y[idx[0]:idx[-1] + 1], s[idx[0]:idx[-1] + 1])
        acc.roc_auc_score()  # compacts the run stack
        print(f"| {distinct:.0e} | {acc.n_distinct} | {acc.nbytes} | "
              f"{acc.nbytes / acc.n_distinct:.0f} | {y.nbytes + s.nbytes} |")


def bench_sketch(n, repeats):
    rng = np.random.default_rng(3)
    y = rng.random(n) < 0.1
    logit = rng.normal(size=n) + 1.5 * y
    scores = {"probabilities": (1 / (1 + np.exp(-logit))).astype(np.float32),
              "logits": logit}
    print(f"\n### Score sketch, n = {n:.0e}, 100 batches\n")
    print("| scores | max_bins | update s | state bytes | exact AUC | interval | width |")
    print("|---|---|---|---|---|---|---|")
    batches = np.array_split(np.arange(n), 100)
    for name, s in scores.items():
        exact = cymetrics.roc_auc_score(y, s)
        for bins in (256, 4096):
            feed = partial(_feed_sketch, bins, batches, y, s)
            seconds = median_time(feed, max(1, repeats - 2))
            sketch = feed()
            lo, hi = sketch.roc_auc_interval()
            assert lo <= exact <= hi
            print(f"| {name} | {bins} | {seconds:.4f} | {sketch.nbytes} | {exact:.6f} | "
                  f"[{lo:.6f}, {hi:.6f}] | {hi - lo:.2e} |")


def _in_threads(target, args_list):
    """``target(*args)`` for each of ``args_list``, each on its own thread."""
    threads = [threading.Thread(target=target, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def bench_threads(n, repeats):
    rng = np.random.default_rng(4)
    y, s = _binary_data(rng, n)
    halves = [np.array_split(np.arange(h * n // 2, (h + 1) * n // 2), 50) for h in (0, 1)]

    def feed(acc, batches):
        for idx in batches:
            acc.update(y[idx[0]:idx[-1] + 1], s[idx[0]:idx[-1] + 1])

    def one_thread():
        acc = ScoreAccumulator()
        feed(acc, halves[0] + halves[1])

    def two_threads():
        acc = ScoreAccumulator()
        _in_threads(feed, [(acc, h) for h in halves])

    one = median_time(one_thread, repeats)
    two = median_time(two_threads, repeats)
    print(f"\n### One accumulator, n = {n:.0e} float32 scores in 100 batches\n")
    print("| threads | wall s | speed-up |")
    print("|---|---|---|")
    print(f"| 1 | {one:.4f} | 1.00 |")
    print(f"| 2 | {two:.4f} | {one / two:.2f} |")


def bench_two_accumulators(n, repeats):
    rng = np.random.default_rng(5)
    y, s = _binary_data(rng, n)
    y_pred = rng.random(n) < 0.1
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"\n### Two accumulators, one per thread, n = {n:.0e} rows in batches "
          f"(GIL {'on' if gil else 'off'})\n")
    print("| accumulator | batch | 1 thread s | 2 threads s | speed-up |")
    print("|---|---|---|---|---|")
    for name, make, second in (("ScoreAccumulator", ScoreAccumulator, s),
                               ("ConfusionAccumulator", ConfusionAccumulator, y_pred)):
        for batch in (100, 10**4, 10**5):
            starts = np.arange(0, n, batch)
            parts = [starts[0::2], starts[1::2]]

            def feed(acc, part, batch=batch, second=second):
                for i in part:
                    acc.update(y[i:i + batch], second[i:i + batch])

            def one_thread(make=make, parts=parts, feed=feed):
                for part in parts:
                    feed(make(), part)

            def two_threads(make=make, parts=parts, feed=feed):
                _in_threads(feed, [(make(), part) for part in parts])

            one = median_time(one_thread, repeats)
            two = median_time(two_threads, repeats)
            print(f"| {name} | {batch} | {one:.4f} | {two:.4f} | {one / two:.2f} |")


def main():
    args = parse_args(__doc__.splitlines()[0], [10**7])
    n = 10**6 if args.quick else args.sizes[0]
    skm = _sklearn(args.no_sklearn)
    repeats = 3 if n >= 10**7 else 5
    start = time.perf_counter()
    bench_confusion(n, repeats, skm)
    bench_exact(n, repeats, skm)
    bench_memory(n)
    bench_sketch(n, repeats)
    bench_threads(n, repeats)
    bench_two_accumulators(min(n, 2 * 10**6), repeats)
    print(f"\n(total {time.perf_counter() - start:.0f} s, numpy {np.__version__})")


if __name__ == "__main__":
    main()
