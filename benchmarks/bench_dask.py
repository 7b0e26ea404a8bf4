"""cymetrics.dask on a 2-worker LocalCluster against single-process cymetrics.

The data are generated lazily inside the partitions (seeded per partition,
so the single-process runs see the very same rows): n rows in ``--partitions``
partitions. Prints markdown tables:

1. confusion metrics (10 classes, int64 labels, ~70% accuracy): wall time of
   cymetrics.dask from the lazily generated partitions and from persisted
   ones, against one process generating the same rows and computing the
   metric (generation + metric, and the metric alone); peak RSS per worker
   and of the single process; bytes of state per partition;
2. binary ROC AUC (10% positives): the exact state on continuous float64
   scores, on scores rounded to 3 decimals, and the sketch (4096 buckets),
   with the same columns plus the AUC (interval for the sketch).

Peak memory is VmHWM of each worker process (Linux), read after the run;
workers are restarted before each measurement so the peak is the run's.
Single-process runs are made in a fresh process each, for the same reason.

Run ``python benchmarks/bench_dask.py`` (n = 1e8, 100 partitions; the exact
state on continuous scores at ``--exact-n``, default 1e7: at 1e8 its root
alone would be 2.4 GB), or ``--quick`` (n = 1e6, 10 partitions).
"""

import argparse
import concurrent.futures as cf
import multiprocessing
import time

import dask.array as da
import numpy as np
from distributed import Client, LocalCluster

import cymetrics as cm
import cymetrics.dask as cd
from cymetrics.streaming import ConfusionAccumulator, ScoreAccumulator, ScoreSketch

SEED = 20261205
MAX_BINS = 4096


# -- data: the same rows for both sides -------------------------------------
def labels_block(i, m):
    """Partition ``i``: (m, 2) int64 of true and predicted labels, 10 classes."""
    rng = np.random.default_rng([SEED, i])
    y_true = rng.integers(0, 10, m)
    y_pred = np.where(rng.random(m) < 0.7, y_true, rng.integers(0, 10, m))
    return np.stack([y_true, y_pred], axis=1)


def scores_block(i, m, decimals):
    """Partition ``i``: (m, 2) float64 of labels (0/1) and scores."""
    rng = np.random.default_rng([SEED, i, 1])
    y = (rng.random(m) < 0.1).astype(np.float64)
    s = rng.random(m) * 0.8 + 0.2 * y
    if decimals is not None:
        s = np.round(s, decimals)
    return np.stack([y, s], axis=1)


def _lazy(block, n, p, dtype, *args):
    m = n // p
    return da.map_blocks(lambda block_id=None: block(block_id[0], m, *args), dtype=dtype,
                         chunks=((m,) * p, (2,)))


def lazy_labels(n, p):
    x = _lazy(labels_block, n, p, np.int64)
    return x[:, 0], x[:, 1]


def lazy_scores(n, p, decimals):
    x = _lazy(scores_block, n, p, np.float64, decimals)
    return x[:, 0].astype(np.int8), x[:, 1]


# -- single process (in a fresh process, for its own peak RSS) --------------
def _single(task, n, p, decimals):
    m = n // p
    start = time.perf_counter()
    if task in ("confusion_matrix", "f1_score"):
        x = np.concatenate([labels_block(i, m) for i in range(p)])
        a, b = np.ascontiguousarray(x[:, 0]), np.ascontiguousarray(x[:, 1])
    else:
        x = np.concatenate([scores_block(i, m, decimals) for i in range(p)])
        a, b = x[:, 0].astype(np.int8), np.ascontiguousarray(x[:, 1])
    del x
    generated = time.perf_counter()
    if task == "f1_score":
        value = cm.f1_score(a, b, average="macro")
    elif task == "confusion_matrix":
        value = int(cm.confusion_matrix(a, b).trace())
    else:
        value = cm.roc_auc_score(a, b)
    done = time.perf_counter()
    return generated - start, done - generated, _peak_rss(), value


def single_process(task, n, p, decimals=None):
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(_single, task, n, p, decimals).result()


# -- the cluster ------------------------------------------------------------
def _status_kb(field):
    """A memory field of /proc/self/status in kB: VmHWM (peak RSS) or VmRSS.

    Not ``ru_maxrss``: it survives ``execve``, so a worker spawned by a big
    process would report that process's size as its own peak.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _peak_rss():
    return _status_kb("VmHWM")


def _current_rss():
    return _status_kb("VmRSS")


def _workers_rss(client, read):
    while True:  # until both restarted workers answer
        found = client.run(read)
        if len(found) == 2:
            return sorted(found.values())
        time.sleep(0.2)


def on_cluster(client, run, *args):
    """(seconds, peak RSS per worker in kB, RSS per idle worker, result) of
    ``run(*args)``, on freshly restarted workers."""
    client.restart(wait_for_workers=True)
    idle = _workers_rss(client, _current_rss)
    start = time.perf_counter()
    result = run(*args)
    seconds = time.perf_counter() - start
    return seconds, _workers_rss(client, _peak_rss), idle, result


def mb(kb):
    return f"{kb / 1024:.0f}"


def state_bytes(template, a, b):
    return len(template.copy().update(a, b).to_bytes())


def bench_confusion(client, n, p):
    print(f"\n### Confusion metrics, 10 classes, n = {n:.0e} in {p} partitions\n")
    print("| metric | dask s (generated in partitions) | 1 process s (generation + metric) "
          "| ratio | dask s (persisted) | 1 process s (metric) | ratio | peak RSS per worker MB "
          "| 1 process peak MB | state bytes per partition |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    block = labels_block(0, n // p)
    nbytes = state_bytes(ConfusionAccumulator(), block[:, 0], block[:, 1])
    for task, call in (("confusion_matrix", lambda a, b: int(cd.confusion_matrix(a, b).trace())),
                       ("f1_score", lambda a, b: cd.f1_score(a, b, average="macro"))):
        y_true, y_pred = lazy_labels(n, p)
        gen_s, metric_s, single_kb, want = single_process(task, n, p)
        lazy_s, peaks, idle, got = on_cluster(client, call, y_true, y_pred)
        assert got == want, (task, got, want)
        persisted = client.persist([y_true, y_pred])
        client.wait_for_workers(2)
        [f.result() for f in client.futures_of(persisted)]
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert call(*persisted) == want
            times.append(time.perf_counter() - start)
        persisted_s = float(np.median(times))
        del persisted
        print(f"| {task} | {lazy_s:.2f} | {gen_s + metric_s:.2f} | "
              f"{lazy_s / (gen_s + metric_s):.2f} | {persisted_s:.3f} | {metric_s:.3f} | "
              f"{persisted_s / metric_s:.2f} | {' / '.join(map(mb, peaks))} "
              f"({' / '.join(map(mb, idle))} idle) | {mb(single_kb)} | {nbytes} |")


def bench_auc(client, n, p, exact_n):
    print(f"\n### ROC AUC, 10% positives, {p} partitions\n")
    print("| state | scores | n | dask s (generated in partitions) | 1 process s (generation "
          "+ metric) | ratio | peak RSS per worker MB | 1 process peak MB | state bytes per "
          "partition | AUC (dask) | AUC (1 process) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    cases = [("exact", None, exact_n), ("exact", 3, n), ("sketch", None, n)]
    for kind, decimals, size in cases:
        y_true, y_score = lazy_scores(size, p, decimals)
        block = scores_block(0, size // p, decimals)
        template = ScoreAccumulator() if kind == "exact" else ScoreSketch(MAX_BINS)
        nbytes = state_bytes(template, block[:, 0].astype(np.int8), block[:, 1])
        gen_s, metric_s, single_kb, want = single_process("roc_auc_score", size, p, decimals)
        if kind == "exact":
            seconds, peaks, idle, got = on_cluster(client, cd.roc_auc_score, y_true, y_score)
            shown = f"{got:.12f}"
        else:
            seconds, peaks, idle, sketch = on_cluster(client, cd.accumulate,
                                                      ScoreSketch(MAX_BINS), y_true, y_score)
            lo, hi = sketch.roc_auc_interval()
            got = sketch.roc_auc_score()
            shown = f"{got:.6f} in [{lo:.6f}, {hi:.6f}]"
            assert lo <= want <= hi
        scores = "continuous" if decimals is None else f"{decimals} decimals"
        print(f"| {kind}{'' if kind == 'exact' else f' ({MAX_BINS} bins)'} | {scores} | "
              f"{size:.0e} | {seconds:.2f} | {gen_s + metric_s:.2f} | "
              f"{seconds / (gen_s + metric_s):.2f} | {' / '.join(map(mb, peaks))} "
              f"({' / '.join(map(mb, idle))} idle) | "
              f"{mb(single_kb)} | {nbytes} | {shown} | {want:.12f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=float, default=1e8)
    parser.add_argument("--exact-n", type=float, default=1e7)
    parser.add_argument("--partitions", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="n = 1e6 in 10 partitions")
    parser.add_argument("--only", choices=["confusion", "auc"])
    args = parser.parse_args()
    n, exact_n, p = int(args.n), int(args.exact_n), args.partitions
    if args.quick:
        n, exact_n, p = 10**6, 10**6, 10
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        if args.only != "auc":
            bench_confusion(client, n, p)
        if args.only != "confusion":
            bench_auc(client, n, p, exact_n)


if __name__ == "__main__":
    main()
