"""cymetrics.dask on a 2-worker LocalCluster against single-process cymetrics.

The data are generated lazily inside the partitions (seeded per partition,
so the single-process runs see the very same rows): n rows in ``--partitions``
partitions. Prints markdown tables:

1. confusion metrics (10 classes, int64 labels, ~70% accuracy): cymetrics.dask
   from the lazily generated partitions against one process generating the
   same rows and computing the metric, and from persisted partitions
   against the metric alone in one process;
2. binary ROC AUC (10% positives, boolean y_true: integer labels would add
   a pass over y_true to find the positive class): the exact state on
   continuous float64 scores, on scores rounded to 3 decimals, and the
   sketch (4096 buckets).

Columns: wall time; CPU time (both workers plus the client process, which
runs the scheduler, in parentheses; the single process's own), which a machine loaded by
other work distorts far less than wall time; peak RSS per worker (VmHWM,
Linux; reset before each measurement so the peak is the run's, persisted
data included) and of the single process (a fresh process per measurement); bytes
of state per partition (one partition's ``to_bytes()``).

Run ``python benchmarks/bench_dask.py`` (n = 1e8, 100 partitions; the exact
state on continuous scores at ``--exact-n``, default 1e7: at 1e8 its root
alone would be 2.4 GB), or ``--quick`` (n = 1e6, 10 partitions).
"""

import argparse
import concurrent.futures as cf
import ctypes
import functools
import gc
import multiprocessing
import time
from typing import NamedTuple

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
    return _columns(y_true, y_pred)


def scores_block(i, m, decimals):
    """Partition ``i``: (m, 2) float64 of labels (0/1) and scores."""
    rng = np.random.default_rng([SEED, i, 1])
    y = (rng.random(m) < 0.1).astype(np.float64)
    s = rng.random(m) * 0.8 + 0.2 * y
    if decimals is not None:
        s = np.round(s, decimals)
    return _columns(y, s)


def _columns(a, b):
    """Two columns, each contiguous (as a dataframe's): Fortran order."""
    out = np.empty((a.shape[0], 2), dtype=np.result_type(a, b), order="F")
    out[:, 0], out[:, 1] = a, b
    return out


def _lazy(block, n, p, dtype, *args):
    m = n // p
    return da.map_blocks(lambda block_id=None: block(block_id[0], m, *args), dtype=dtype,
                         chunks=((m,) * p, (2,)))


def lazy_labels(n, p):
    x = _lazy(labels_block, n, p, np.int64)
    return x[:, 0], x[:, 1]


def lazy_scores(n, p, decimals):
    x = _lazy(scores_block, n, p, np.float64, decimals)
    # Boolean labels: the positive class is known without a pass over y_true.
    return x[:, 0] == 1, x[:, 1]


# -- single process (in a fresh process, for its own peak RSS) --------------
class Run(NamedTuple):
    """One measurement: wall and CPU seconds (``client_cpu``: of them, the client
    process's, which runs the scheduler), peak RSS (kB) per process, result."""

    wall: float
    cpu: float
    peaks: list
    value: object
    client_cpu: float = 0.0


def _single(task, n, p, decimals):
    m = n // p
    start, cpu = time.perf_counter(), time.process_time()
    if task in ("confusion_matrix", "f1_score"):
        x = np.concatenate([labels_block(i, m) for i in range(p)])
        a, b = np.ascontiguousarray(x[:, 0]), np.ascontiguousarray(x[:, 1])
    else:
        x = np.concatenate([scores_block(i, m, decimals) for i in range(p)])
        a, b = x[:, 0] == 1, np.ascontiguousarray(x[:, 1])
    del x
    generated, generated_cpu = time.perf_counter(), time.process_time()
    if task == "f1_score":
        value = cm.f1_score(a, b, average="macro")
    elif task == "confusion_matrix":
        value = int(cm.confusion_matrix(a, b).trace())
    else:
        value = cm.roc_auc_score(a, b)
    done, done_cpu = time.perf_counter(), time.process_time()
    peak = [_peak_rss()]
    return (Run(done - start, done_cpu - cpu, peak, value),
            Run(done - generated, done_cpu - generated_cpu, peak, value))


def single_process(task, n, p, decimals=None):
    """(generation + metric, metric alone) in a fresh process."""
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


def _on_workers(client, read):
    while True:  # until both workers answer
        found = client.run(read)
        if len(found) == 2:
            return sorted(found.values())
        time.sleep(0.2)


def _fresh_peak():
    """Free what can be freed, then restart the peak RSS count (Linux: VmHWM := VmRSS)."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _status_kb("VmRSS")


def on_cluster(client, run, *args):
    """`Run` of ``run(*args)``; its CPU time is that of both workers plus this
    process (the client and the scheduler), its peaks those of this run.

    (Restarting the workers would also reset the peaks, but on a loaded
    machine a restart can take minutes.)"""
    _on_workers(client, _fresh_peak)
    workers, here = sum(_on_workers(client, time.process_time)), time.process_time()
    start = time.perf_counter()
    value = run(*args)
    wall = time.perf_counter() - start
    here = time.process_time() - here
    workers = sum(_on_workers(client, time.process_time)) - workers
    return Run(wall, workers + here, _on_workers(client, _peak_rss), value, here)


def mb(kb):
    return f"{kb / 1024:.0f}"


def state_bytes(template, a, b):
    return len(template.copy().update(a, b).to_bytes())


HEADER = ("| dask wall s | 1 process wall s | ratio | dask CPU s (client) | 1 process CPU s "
          "| ratio | peak RSS per worker MB | 1 process peak MB | state bytes per partition |")


def cells(ours, theirs, nbytes):
    return (f"{ours.wall:.2f} | {theirs.wall:.2f} | {ours.wall / theirs.wall:.2f} | "
            f"{ours.cpu:.2f} ({ours.client_cpu:.2f}) | {theirs.cpu:.2f} | "
            f"{ours.cpu / theirs.cpu:.2f} | "
            f"{' / '.join(map(mb, ours.peaks))} | {mb(theirs.peaks[0])} | {nbytes}")


def _persisted_run(client, call, arrays, want):
    """Median `Run` of 5 calls on persisted arrays."""
    runs = [on_cluster(client, call, *arrays) for _ in range(5)]
    assert all(r.value == want for r in runs)
    return sorted(runs, key=lambda r: r.wall)[2]


def bench_confusion(client, n, p):
    print(f"\n### Confusion metrics, 10 classes, n = {n:.0e} in {p} partitions\n")
    print("| metric | input " + HEADER)
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    block = labels_block(0, n // p)
    nbytes = state_bytes(ConfusionAccumulator(), block[:, 0], block[:, 1])
    for task, call in (("confusion_matrix", lambda a, b: int(cd.confusion_matrix(a, b).trace())),
                       ("f1_score", lambda a, b: cd.f1_score(a, b, average="macro"))):
        y_true, y_pred = lazy_labels(n, p)
        whole, metric = single_process(task, n, p)
        lazy = on_cluster(client, call, y_true, y_pred)
        assert lazy.value == whole.value, (task, lazy.value, whole.value)
        print(f"| {task} | generated in the partitions | {cells(lazy, whole, nbytes)} |")
        persisted = client.persist([y_true, y_pred])
        [f.result() for f in client.futures_of(persisted)]
        held = _persisted_run(client, call, persisted, whole.value)
        del persisted
        print(f"| {task} | persisted (metric only) | {cells(held, metric, nbytes)} |")


def bench_auc(client, n, p, exact_n):
    print(f"\n### ROC AUC, 10% positives, {p} partitions (data generated in the partitions)\n")
    print("| state | scores | n " + HEADER + " AUC (dask) | AUC (1 process) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    # The exact state twice: a merge tree of 8 states a task, and one merge of
    # all (fewer re-serializations of states holding every distinct score).
    cases = [("exact", None, exact_n, None), ("exact", None, exact_n, p), ("exact", 3, n, None),
             ("sketch", None, n, None)]
    for kind, decimals, size, split_every in cases:
        y_true, y_score = lazy_scores(size, p, decimals)
        block = scores_block(0, size // p, decimals)
        template = ScoreAccumulator() if kind == "exact" else ScoreSketch(MAX_BINS)
        nbytes = state_bytes(template, block[:, 0] == 1, block[:, 1])
        whole, _ = single_process("roc_auc_score", size, p, decimals)
        if kind == "exact":
            ours = on_cluster(client, functools.partial(cd.roc_auc_score, split_every=split_every),
                              y_true, y_score)
            shown = f"{ours.value:.12f}"
        else:
            ours = on_cluster(client, cd.accumulate, ScoreSketch(MAX_BINS), y_true, y_score)
            lo, hi = ours.value.roc_auc_interval()
            shown = f"{ours.value.roc_auc_score():.6f} in [{lo:.6f}, {hi:.6f}]"
            assert lo <= whole.value <= hi
        scores = "continuous" if decimals is None else f"{decimals} decimals"
        name = f"sketch ({MAX_BINS} bins)" if kind == "sketch" else (
            "exact" if split_every is None else f"exact, split_every={split_every}")
        print(f"| {name} | {scores} | {size:.0e} | {cells(ours, whole, nbytes)} | {shown} | "
              f"{whole.value:.12f} |")


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
