"""Timing, floors and peak memory: how one case is measured.

Repeats are interleaved (cymetrics, each peer, the floor, then again), so a
machine whose load drifts slows every contender alike; each reports the
median and the minimum of its repeats. Peak memory is tracemalloc's peak
during one call (numpy reports its allocations to tracemalloc).
"""

import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from benchmarks._cases import binary_data, label_data, proba_matrix, same_result

# numpy's AVX-512 sort kernels switched off: the AVX2 sort (or the baseline).
AVX2_ONLY = {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}


def repeats_for(n):
    return 9 if n <= 10**4 else 7 if n <= 10**5 else 5 if n <= 10**6 else 3


def _batch(func):
    """Calls per timing sample: enough for ~2 ms, so that microsecond calls
    are timed warm (one call right after a collection runs on cold caches)."""
    start = time.perf_counter()
    func()
    once = time.perf_counter() - start
    return max(1, min(10_000, int(2e-3 / max(once, 1e-7))))


def _time_batch(func, number):
    gc.collect()
    start = time.perf_counter()
    for _ in range(number):
        func()
    return (time.perf_counter() - start) / number


def interleaved(calls, repeats):
    """``{name: (median, min)}`` of ``calls`` (name -> callable), repeated
    in turn after one untimed warm-up call each; seconds per call."""
    numbers = {name: _batch(func) for name, func in calls.items()}
    times = {name: [] for name in calls}
    for _ in range(repeats):
        for name, func in calls.items():
            times[name].append(_time_batch(func, numbers[name]))
    return {name: (statistics.median(t), min(t)) for name, t in times.items()}


def peak_bytes(func):
    """Peak bytes allocated during one call of ``func``."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        func()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def floor_call(case):
    """The numpy floor of a case, in this process (default dispatch)."""
    a, b = case.data
    if case.floor == "sort":
        return lambda: np.sort(b)
    if case.floor == "read":
        return lambda: (np.add.reduce(a), np.add.reduce(b))
    if case.floor == "log":
        return lambda: np.log(b)
    return lambda: np.sort(b, axis=0)


_AVX2_SCRIPT = r"""
import json, sys, statistics, time
import numpy as np
sys.path.insert(0, sys.argv[1])
from benchmarks._cases import binary_data, proba_matrix
out = {}
for key, n, kind, dtype, repeats in json.loads(sys.argv[2]):
    b = proba_matrix(n)[1] if kind == "columns" else binary_data(n, kind, np.dtype(dtype))[1]
    sort = (lambda: np.sort(b, axis=0)) if kind == "columns" else (lambda: np.sort(b))
    s = time.perf_counter(); sort(); once = time.perf_counter() - s
    number = max(1, min(10_000, int(2e-3 / max(once, 1e-7))))
    t = []
    for _ in range(repeats):
        s = time.perf_counter()
        for _ in range(number):
            sort()
        t.append((time.perf_counter() - s) / number)
    out[key] = (statistics.median(t), min(t))
print(json.dumps(out))
"""


def avx2_sort_floors(cases):
    """``{case key: (median, min)}`` of ``np.sort`` with numpy's AVX-512
    kernels disabled, measured in one subprocess for every sort case."""
    jobs, seen = [], set()
    for c in cases:
        if c.floor not in ("sort", "sort columns"):
            continue
        key = sort_key(c)
        if key in seen:
            continue
        seen.add(key)
        kind = "columns" if c.floor == "sort columns" else c.kind
        jobs.append((key, c.n, kind, c.dtype, repeats_for(c.n)))
    if not jobs:
        return {}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, **AVX2_ONLY)
    done = subprocess.run([sys.executable, "-c", _AVX2_SCRIPT, root, json.dumps(jobs)],
                          env=env, capture_output=True, text=True, check=True)
    return {k: tuple(v) for k, v in json.loads(done.stdout).items()}


def sort_key(case):
    return f"{case.n}|{case.kind}|{case.dtype}|{case.floor}"


def measure(case, avx2, peers=True, check=True):
    """Times (and checks) one case; returns a result dict."""
    calls = {"cymetrics": case.ours, "floor": floor_call(case)}
    checked = {}
    if peers:
        calls["scikit-learn"] = case.reference
        expected = case.reference() if check else None
        for name, call in case.peers.items():
            try:
                got = call()
            except Exception as exc:  # a peer that cannot run this case is left out
                checked[name] = f"failed: {type(exc).__name__}"
                continue
            tol = max(case.tol, 1e-6 if "torch" in name or "polars" in name else 1e-9)
            if check and not same_result(expected, got, tol):
                checked[name] = "differs from scikit-learn"
                continue
            calls[name] = call
            checked[name] = "ok"
        if check and not same_result(expected, case.ours(), case.tol):
            raise AssertionError(f"cymetrics differs from scikit-learn on {case.label} n={case.n}")
    times = interleaved(calls, repeats_for(case.n))
    floor = times.pop("floor")
    result = {
        "function": case.function, "kind": case.kind, "dtype": case.dtype, "n": case.n,
        "floor_kind": case.floor, "floor": floor, "times": times, "peers_checked": checked,
        "peak_bytes": peak_bytes(case.ours),
    }
    if case.floor in ("sort", "sort columns") and sort_key(case) in avx2:
        result["floor_avx2"] = avx2[sort_key(case)]
    return result


def machine():
    """CPU model and numpy's SIMD dispatch, recorded with the results."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        import platform
        model = platform.processor() or platform.machine()
    from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    found = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    return {"cpu": model, "cores": os.cpu_count(), "numpy": np.__version__,
            "simd_baseline": list(__cpu_baseline__), "simd_dispatch_found": found,
            "python": sys.version.split()[0]}


__all__ = ["avx2_sort_floors", "binary_data", "interleaved", "label_data", "machine",
           "measure", "peak_bytes", "proba_matrix", "repeats_for"]
