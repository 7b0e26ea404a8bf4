"""Two threads for kernels that release the GIL: the one place that starts them.

A large input is cut in two (samples, buckets or columns); the calling thread
runs one half while a second thread, kept for the life of the process, runs
the other. Kernels release the GIL for their whole loop, so the halves run
on two cores. No OpenMP: plain Python threads work the same way in every
wheel (macOS included), and cost nothing when the input is small, where
everything stays on the calling thread.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["SPLIT_AT", "THREADS", "both", "in_halves"]

# One extra thread at most: the machines cymetrics targets have a few cores
# and callers (cross-validation, services) often run several metrics at once.
THREADS = min(2, os.cpu_count() or 1)
# Inputs of at least this many samples are cut in two: below it, waking the
# other thread (~10 µs) costs more than half the pass saves.
SPLIT_AT = 1 << 17

_executor = None
_executor_lock = threading.Lock()
_worker = threading.local()


def _mark_worker():
    _worker.active = True


def _get_executor():
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cymetrics",
                                           initializer=_mark_worker)
        return _executor


def both(work, first, second):
    """``(work(*first), work(*second))``, the second on the other thread.

    Runs both on the calling thread when there is one core, or when called
    from the second thread itself (nested halves would wait for a thread
    that is busy running them). If either raises, both have finished before
    the exception propagates, so no half still writes into shared outputs.
    """
    if THREADS < 2 or getattr(_worker, "active", False):
        return work(*first), work(*second)
    pending = _get_executor().submit(work, *second)
    try:
        result = work(*first)
    except BaseException:
        # Let the other half finish (and drop its outcome) before raising.
        pending.exception()
        raise
    return result, pending.result()


def in_halves(work, n, align=1):
    """``[work(0, n)]``, or for ``n >= SPLIT_AT`` samples on two cores
    ``[work(0, h), work(h, n)]`` on two threads, ``h`` the multiple of
    ``align`` nearest below ``n / 2`` (one part when that is 0). The caller
    combines the parts, which must not depend on where the cut falls."""
    h = (n // 2) // align * align
    if n < SPLIT_AT or THREADS < 2 or h == 0:
        return [work(0, n)]
    return list(both(work, (0, h), (h, n)))
