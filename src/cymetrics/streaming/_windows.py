"""Windows over a stream for monitoring drift: the last N samples, and decay.

Both wrap any accumulator given as a template (an empty, configured
instance: ``ScoreAccumulator(pos_label="yes")``, ``ConfusionAccumulator()``,
...) and hand out its state as a plain accumulator with `snapshot`, so every
metric of that accumulator is available on the window.
"""

import math
import numbers
import threading
import time
from collections import deque

import numpy as np

from cymetrics._shared._params import check_int, check_option, invalid
from cymetrics._shared._validation import check_sample_weight
from cymetrics.streaming._base import empty_copy

__all__ = ["DecayedAccumulator", "SlidingWindow"]

# Rebase the decay weights before they grow beyond 2**_MAX_EXPONENT.
_MAX_EXPONENT = 256.0


def _positive_real(value, name, func):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            math.isfinite(value) and value > 0):
        raise invalid(name, func, "a positive finite number", value)
    return float(value)


class SlidingWindow:
    """Metrics of the last ``size`` samples of a stream (exact).

    Retains the samples of the window (memory O(size)); each batch is
    validated and prepared once when it arrives, and a snapshot combines
    the prepared batches (re-preparing only the part of the oldest batch
    still inside the window).

    Parameters
    ----------
    template : accumulator
        An accumulator configured as wanted (its data is ignored).
    size : int
        Number of most recent samples in the window.

    Examples
    --------
    >>> from cymetrics.streaming import ScoreAccumulator, SlidingWindow
    >>> window = SlidingWindow(ScoreAccumulator(), size=4)
    >>> _ = window.update([1, 0], [0.9, 0.1])
    >>> _ = window.update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> window.snapshot().roc_auc_score()
    0.75
    """

    def __init__(self, template, size):
        self._template = empty_copy(template)
        self.size = check_int("size", size, "SlidingWindow", 1)
        self._lock = threading.Lock()
        # (arrays, prepared batch) per batch, oldest first.
        self._batches = deque()
        self._retained = 0
        self._version = 0
        self._snapshot_cache = None

    def update(self, y_true, y_other, sample_weight=None):
        """Add a batch (same arguments as the template's ``update``). Returns self."""
        arrays = _as_arrays(y_true, y_other, sample_weight)
        n = arrays[0].shape[0]
        if n == 0:
            self._template._prepare(*arrays)  # validates, no-op otherwise
            return self
        if n > self.size:
            arrays = tuple(None if a is None else a[n - self.size:] for a in arrays)
            n = self.size
        batch = self._template._prepare(*arrays)
        with self._lock:
            self._batches.append((arrays, batch))
            self._retained += n
            while self._retained - self._batches[0][0][0].shape[0] >= self.size:
                self._retained -= self._batches.popleft()[0][0].shape[0]
            self._version += 1
            self._snapshot_cache = None
        return self

    def snapshot(self):
        """A new accumulator holding exactly the samples of the window."""
        with self._lock:
            if self._snapshot_cache is not None:
                return self._snapshot_cache.copy()
            batches = list(self._batches)
            extra = self._retained - self.size
            version = self._version
        acc = self._template.copy()
        state = acc._empty_state()
        for i, (arrays, batch) in enumerate(batches):
            if i == 0 and extra > 0:
                batch = acc._prepare(*(None if a is None else a[extra:] for a in arrays))
            state = acc._add(state, batch)
        acc._state = state
        with self._lock:
            if version == self._version:
                self._snapshot_cache = acc.copy()
        return acc

    @property
    def n_samples(self):
        """Number of samples in the window."""
        with self._lock:
            return min(self._retained, self.size)


def _as_arrays(y_true, y_other, sample_weight):
    """Arrays the window can slice (copies: the caller may reuse its buffers)."""
    y_true = np.array(y_true, copy=True)
    y_other = np.array(y_other, copy=True)
    if sample_weight is not None and not isinstance(sample_weight, numbers.Number):
        sample_weight = np.array(sample_weight, copy=True)
    elif sample_weight is not None:
        sample_weight = np.full(y_true.shape[0] if y_true.ndim else 0, sample_weight)
    if y_true.ndim == 0 or y_other.ndim == 0:
        raise ValueError("y_true and the predictions must be array-like, not scalars")
    return y_true, y_other, sample_weight


class DecayedAccumulator:
    """Exponentially decayed metrics: old samples fade with a half-life.

    A sample's weight is multiplied by ``2 ** (-age / half_life)``, where
    the age is counted in samples (``unit='samples'``: the newest sample
    has age 0) or in seconds (``unit='seconds'``: from the batch's
    ``timestamp`` to the newest timestamp seen, or to ``at`` in
    `snapshot`). Results equal the one-shot functions with those weights.
    The state is the template's (float64 weights, relative to a reference
    time that moves forward every 256 half-lives so they never overflow).

    Parameters
    ----------
    template : accumulator
        An accumulator configured as wanted (its data is ignored).
    half_life : float
        In samples or seconds.
    unit : {'samples', 'seconds'}, default='samples'

    Examples
    --------
    >>> from cymetrics.streaming import ConfusionAccumulator, DecayedAccumulator
    >>> decayed = DecayedAccumulator(ConfusionAccumulator(), half_life=1)
    >>> _ = decayed.update([0, 1], [0, 0])
    >>> decayed.snapshot().confusion_matrix()
    array([[0.5, 0. ],
           [1. , 0. ]])
    """

    def __init__(self, template, half_life, *, unit="samples"):
        self._template = empty_copy(template)
        self.half_life = _positive_real(half_life, "half_life", "DecayedAccumulator")
        self.unit = check_option("unit", unit, ("samples", "seconds"), "DecayedAccumulator")
        self._lock = threading.Lock()
        self._inner = self._template.copy()
        self._origin = None  # the time whose samples have weight 1 in the state
        self._latest = None  # newest time seen
        self._next_position = 0  # unit='samples': position of the next sample

    def _times(self, n, timestamp):
        """Times of a batch's samples (lock held for unit='samples')."""
        if self.unit == "samples":
            if timestamp is not None:
                raise invalid("timestamp", "DecayedAccumulator.update",
                              "None when unit='samples'", timestamp)
            start = self._next_position
            return np.arange(start, start + n, dtype=np.float64)
        if timestamp is None:
            timestamp = time.time()
        return np.full(n, _finite(timestamp, "timestamp"))

    def _origin_for(self, newest):
        """The reference time for a batch whose newest time is ``newest`` (lock held)."""
        if self._origin is None:
            self._origin = newest
        elif (newest - self._origin) / self.half_life > _MAX_EXPONENT:
            # Keep the weights of new samples far below overflow.
            self._rebase(newest)
        return self._origin

    def _rebase(self, origin):
        """Move the weight-1 time to ``origin`` (lock held)."""
        factor = 2.0 ** ((self._origin - origin) / self.half_life)
        inner = self._inner
        with inner._lock:
            inner._state = inner._scaled(inner._state, factor)
        self._origin = origin

    def _weighted_batch(self, y_true, y_other, w, times, origin):
        decay = np.exp2((times - origin) / self.half_life)
        return self._inner._prepare(y_true, y_other, decay if w is None else w * decay)

    def update(self, y_true, y_other, sample_weight=None, *, timestamp=None):
        """Add a batch (arguments of the template's ``update``, plus ``timestamp``).

        With ``unit='samples'`` the batch is prepared under the lock (the
        ages follow the order in which batches arrive); with
        ``unit='seconds'`` only the commit is.

        Parameters
        ----------
        timestamp : float, default=None
            Seconds (``unit='seconds'`` only); default ``time.time()``.

        Returns
        -------
        self
        """
        n = len(y_true) if not isinstance(y_true, str) else 0
        w = check_sample_weight(sample_weight, n, allow_zero_total=True)
        if n == 0:
            self._inner._prepare(y_true, y_other, w)  # validation only
            return self
        if self.unit == "samples":
            with self._lock:
                times = self._times(n, timestamp)
                origin = self._origin_for(times[-1])
                batch = self._weighted_batch(y_true, y_other, w, times, origin)
                self._commit(batch, times[-1], n)
            return self
        times = self._times(n, timestamp)
        with self._lock:
            origin = self._origin_for(times[-1])
        while True:
            batch = self._weighted_batch(y_true, y_other, w, times, origin)
            with self._lock:
                if origin == self._origin:
                    self._commit(batch, times[-1], n)
                    return self
                origin = self._origin  # rebased meanwhile: weigh again

    def _commit(self, batch, newest, n):
        """Lock held: add the batch, then advance the clock."""
        self._inner._commit(batch)
        self._next_position += n
        if self._latest is None or newest > self._latest:
            self._latest = newest

    def snapshot(self, at=None):
        """A new accumulator holding the decayed state.

        Parameters
        ----------
        at : float, default=None
            The time at which weights are taken (``unit='seconds'``);
            default: the newest timestamp seen.
        """
        with self._lock:
            acc = self._inner.copy()
            if self._latest is None:
                return acc
            now = self._latest if at is None else _finite(at, "at")
            factor = 2.0 ** ((self._origin - now) / self.half_life)
        acc._state = acc._scaled(acc._state, factor)
        return acc


def _finite(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise invalid(name, "DecayedAccumulator", "a finite number (a time)", value)
    return float(value)
