"""``cymetrics bench``: a compact timing of cymetrics against scikit-learn, here.

A few everyday metrics on seeded synthetic data (binary labels with ~10%
positives and continuous float64 scores; 10 classes at ~70% accuracy),
measured side by side in one run as the median of repeats, after checking
that both libraries give the same value. scikit-learn is imported only when
the command runs; the full benchmark suite is ``python -m benchmarks`` in a
source checkout.
"""

import functools
import gc
import statistics
import sys
import time

import numpy as np

from cymetrics._classification._metrics import confusion_matrix, f1_score
from cymetrics._cli._errors import UsageError, missing_extra
from cymetrics._probabilistic._losses import log_loss
from cymetrics._ranking._binary import average_precision_score, roc_auc_score, roc_curve
from cymetrics.plot._report import bench_figure, close_figure

__all__ = ["OPERATIONS", "median_time", "repeats_for", "run_bench"]


def median_time(func, repeats):
    """Median wall time of ``repeats`` calls of ``func`` (after one untimed warm-up call)."""
    func()
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def repeats_for(n):
    return 7 if n <= 10**5 else (5 if n <= 10**6 else 3)


def _binary(n, rng):
    y = (rng.random(n) < 0.1).astype(np.int64)
    return y, rng.normal(size=n) + y


def _multiclass(n, rng):
    y = rng.integers(0, 10, n)
    return y, np.where(rng.random(n) < 0.7, y, rng.integers(0, 10, n))


def _probabilities(n, rng):
    y, s = _binary(n, rng)
    return y, 1.0 / (1.0 + np.exp(-s))


# (name, data, cymetrics function, the name of scikit-learn's twin, keyword arguments)
OPERATIONS = [
    ("roc_auc_score", _binary, roc_auc_score, "roc_auc_score", {}),
    ("average_precision_score", _binary, average_precision_score, "average_precision_score",
     {}),
    ("roc_curve", _binary, roc_curve, "roc_curve", {}),
    ("confusion_matrix, 10 classes", _multiclass, confusion_matrix, "confusion_matrix", {}),
    ("f1_score macro, 10 classes", _multiclass, f1_score, "f1_score", {"average": "macro"}),
    ("log_loss", _probabilities, log_loss, "log_loss", {}),
]


def _sklearn_metrics():
    try:
        import sklearn.metrics
    except ImportError:
        raise missing_extra("cymetrics bench", "scikit-learn", "bench") from None
    return sklearn.metrics


def _same(a, b):
    a = a if isinstance(a, tuple) else (a,)
    b = b if isinstance(b, tuple) else (b,)
    return all(np.allclose(x, y, rtol=1e-9) for x, y in zip(a, b))


def _measure(skm, sizes, repeats, quiet):
    rows = []
    for n in sizes:
        rng = np.random.default_rng(n)
        for name, data, ours, twin, kw in OPERATIONS:
            y, other = data(n, rng)
            theirs = getattr(skm, twin)
            if not _same(ours(y, other, **kw), theirs(y, other, **kw)):
                raise UsageError(f"{name}: cymetrics and scikit-learn disagree at n = {n}")
            r = repeats or repeats_for(n)
            t_ours = median_time(functools.partial(ours, y, other, **kw), r)
            t_theirs = median_time(functools.partial(theirs, y, other, **kw), r)
            rows.append((name, n, t_ours, t_theirs))
            if not quiet:
                print(f"  {name}, n = {n:.0e}: {t_theirs / t_ours:.1f}x", file=sys.stderr)
    return rows


def _table(rows, skm_version):
    width = max(len(r[0]) for r in rows)
    lines = [f"cymetrics vs scikit-learn {skm_version}, numpy {np.__version__}: median seconds "
             "(same results checked)", "",
             f"{'operation':<{width}}  {'n':>6}  {'cymetrics':>10}  {'sklearn':>10}  speed-up"]
    for name, n, ours, theirs in rows:
        lines.append(f"{name:<{width}}  {n:>6.0e}  {ours:>10.5f}  {theirs:>10.5f}  "
                     f"{theirs / ours:>7.1f}x")
    return "\n".join(lines) + "\n"


def run_bench(args):
    """Print the table (and write the chart with ``--plot``); returns the exit status."""
    if any(n < 10 for n in args.sizes):
        raise UsageError("--sizes: every size must be at least 10")
    skm = _sklearn_metrics()
    sklearn = sys.modules["sklearn"]
    rows = _measure(skm, args.sizes, args.repeats, args.quiet)
    sys.stdout.write(_table(rows, sklearn.__version__))
    sys.stdout.flush()
    if args.plot:
        fig = bench_figure(rows)
        try:
            fig.savefig(args.plot, dpi=100)
        except OSError as exc:
            raise UsageError(f"--plot {args.plot}: cannot write the file ({exc})") from None
        finally:
            close_figure(fig)
        if not args.quiet:
            print(f"wrote {args.plot}", file=sys.stderr)
    return 0
