"""Monitoring: Monitor update throughput, state size over time, drift statistics.

Prints markdown tables (median of repeats, measured side by side in one run):

1. `Monitor` update throughput, events per second: each event is recorded
   twice, as a prediction (``record_predictions``: score distribution,
   label-free estimates) and as an outcome (``record_outcomes``: per-group
   metrics, calibration), in batches of 1, 100 and 10^4, from 1 and 2
   threads; the monitor has a cumulative window and a one-hour window of
   60 buckets, three groups;
2. state size (``len(to_bytes())``) against events seen, continuous scores
   (every score distinct, the worst case) arriving at 100 events per second:
   an exact cumulative `ScoreAccumulator` grows with the data; a 10-minute
   `TimeWindow` (60 buckets), a `DecayedAccumulator` (half-life 30 s, the
   default pruning at 1e-9: about 30 half-lives kept) and a `Monitor` with
   only the 10-minute window flatten;
3. drift statistics on 10^7 reference vs 10^7 current float64 scores:
   cymetrics on the raw arrays and from states built beforehand, against
   scipy on the raw arrays (KS: ``ks_2samp``, asymptotic mode at this size;
   Wasserstein-1: ``wasserstein_distance``) and a numpy PSI; the floor is
   one ``np.sort`` of both arrays.

Run ``python benchmarks/bench_monitoring.py`` or ``--quick`` (smaller sizes).
"""

import os
import sys
import threading
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import median_time  # noqa: E402

from cymetrics.monitoring import (  # noqa: E402
    Monitor,
    ks_statistic,
    population_stability_index,
    wasserstein_distance,
)
from cymetrics.streaming import (  # noqa: E402
    DecayedAccumulator,
    DistributionAccumulator,
    ScoreAccumulator,
    TimeWindow,
)

GROUPS = np.array(["a", "b", "c"])


def _traffic(rng, n):
    y = (rng.random(n) < 0.3).astype(np.int64)
    s = np.clip(rng.normal(0.3 + 0.3 * y, 0.2), 0, 1)
    return y, s, GROUPS[rng.integers(0, 3, n)]


def _monitor(windows):
    return Monitor(windows=windows, buckets=60, groups=list(GROUPS),
                   rules=[("roc_auc", "<", 0.7), ("psi", ">", 0.2)])


def _feed(monitor, y, s, g, t, batch, start, stop):
    for i in range(start, stop, batch):
        j = min(stop, i + batch)
        monitor.record_predictions(s[i:j], timestamp=t[i:j])
        monitor.record_outcomes(y[i:j], s[i:j], groups=g[i:j], timestamp=t[i:j])


def bench_throughput(rng, quick):
    print("\n### Monitor update throughput (events/s; an event is a prediction and its outcome)")
    print("| batch | events | 1 thread | 2 threads |\n|---|---|---|---|")
    for batch, n in ((1, 400 if quick else 2000), (100, 20_000 if quick else 100_000),
                     (10_000, 100_000 if quick else 1_000_000)):
        y, s, g = _traffic(rng, n)
        t = 1.8e9 + np.arange(n) * (3600.0 / n)  # one hour of traffic
        rates = []
        for threads in (1, 2):
            monitor = _monitor({"all": None, "1h": 3600})
            monitor.set_reference(s[: n // 2])
            start = time.perf_counter()
            cuts = np.linspace(0, n, threads + 1).astype(int)
            workers = [threading.Thread(target=_feed, args=(monitor, y, s, g, t, batch, a, b))
                       for a, b in zip(cuts[:-1], cuts[1:])]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            rates.append(n / (time.perf_counter() - start))
        print(f"| {batch} | {n} | {rates[0]:,.0f} | {rates[1]:,.0f} |")


def bench_state_size(rng, quick):
    print("\n### State size (bytes) against events seen (100 events/s, every score distinct)")
    print("| events seen | exact cumulative | TimeWindow 10 min | DecayedAccumulator 30 s "
          "| Monitor (10 min window) |\n|---|---|---|---|---|")
    steps = [10**4, 10**5, 10**6] if not quick else [10**4, 10**5]
    exact = ScoreAccumulator()
    window = TimeWindow(ScoreAccumulator(), 600, buckets=60)
    decayed = DecayedAccumulator(ScoreAccumulator(), 30, unit="seconds")
    monitor = _monitor({"10min": 600})
    seen = 0
    for target in steps:
        n = target - seen
        y, s, g = _traffic(rng, n)
        t = 1.8e9 + (seen + np.arange(n)) / 100.0
        for idx in np.array_split(np.arange(n), max(1, n // 1000)):
            exact.update(y[idx], s[idx])
            window.update(y[idx], s[idx], timestamp=t[idx])
            decayed.update(y[idx], s[idx], timestamp=float(t[idx][-1]))
            monitor.record_predictions(s[idx], timestamp=t[idx])
            monitor.record_outcomes(y[idx], s[idx], groups=g[idx], timestamp=t[idx])
        seen = target
        sizes = [len(x.to_bytes()) for x in (exact, window, decayed, monitor)]
        print(f"| {seen:,} | " + " | ".join(f"{b:,}" for b in sizes) + " |")


def _numpy_psi(a, b, n_bins=10, eps=1e-4):
    edges = np.unique(np.quantile(a, np.arange(1, n_bins) / n_bins, method="inverted_cdf"))
    shares = [np.bincount(np.searchsorted(edges, x), minlength=len(edges) + 1) / len(x)
              for x in (a, b)]
    r, c = (np.maximum(x, eps) for x in shares)
    return float(np.sum((c - r) * np.log(c / r)))


def bench_drift(rng, quick):
    import scipy.stats

    n = 10**6 if quick else 10**7
    print(f"\n### Drift statistics, {n:.0e} vs {n:.0e} float64 scores (seconds)")
    a = rng.normal(size=n)
    b = rng.normal(size=n) * 1.05 + 0.02
    repeats = 3
    floor = median_time(lambda: (np.sort(a), np.sort(b)), repeats)
    build = median_time(lambda: [DistributionAccumulator().update(x) for x in (a, b)], 1)
    ref, cur = (DistributionAccumulator().update(x) for x in (a, b))
    ref.values(), cur.values()  # compacted once
    rows = [
        ("KS statistic", lambda: ks_statistic(a, b), lambda: ks_statistic(ref, cur),
         lambda: scipy.stats.ks_2samp(a, b).statistic),
        ("Wasserstein-1", lambda: wasserstein_distance(a, b),
         lambda: wasserstein_distance(ref, cur), lambda: scipy.stats.wasserstein_distance(a, b)),
        ("PSI (10 bins)", lambda: population_stability_index(a, b),
         lambda: population_stability_index(ref, cur), lambda: _numpy_psi(a, b)),
    ]
    print(f"(building both exact states from the arrays: {build:.2f} s; "
          f"floor np.sort of both: {floor:.2f} s)")
    print("| statistic | cymetrics, arrays | cymetrics, states | scipy / numpy, arrays "
          "| x floor (arrays) |\n|---|---|---|---|---|")
    for name, ours, states, theirs in rows:
        t_ours = median_time(ours, repeats)
        t_states = median_time(states, repeats)
        t_theirs = median_time(theirs, repeats)
        print(f"| {name} | {t_ours:.2f} | {t_states:.2f} | {t_theirs:.2f} | "
              f"{t_ours / floor:.1f} |")


def main():
    quick = "--quick" in sys.argv[1:]
    rng = np.random.default_rng(0)
    bench_throughput(rng, quick)
    bench_state_size(rng, quick)
    bench_drift(rng, quick)


if __name__ == "__main__":
    main()
