"""Windows over a stream: the last N samples (`SlidingWindow`), the last T
seconds in time buckets (`TimeWindow`).

Both wrap any accumulator given as a template (an empty, configured
instance: ``ScoreAccumulator(pos_label="yes")``, ``ConfusionAccumulator()``,
``GroupedAccumulator(...)``...) and hand out the window's data as a plain
accumulator with ``snapshot``, so every metric of that accumulator is
available on the window. Both persist (`to_bytes`, pickling through it) and
merge; windows of different workers merge by time:

* a `TimeWindow` keeps one accumulator per time bucket, buckets aligned on
  multiples of the bucket width since the epoch, so the buckets of two
  workers line up and merge bucket by bucket;
* a `SlidingWindow` keeps its batches with their timestamps; a merge
  interleaves both windows' batches by timestamp and keeps the last
  ``size`` samples.
"""

import math
import numbers
import sys
import threading
import time
from collections import deque
from typing import NamedTuple

import numpy as np

from cymetrics._shared._params import check_int, invalid
from cymetrics.streaming import _serialization
from cymetrics.streaming._base import (
    Wrapper,
    accumulator_from_bytes,
    empty_copy,
    refuse_iterators,
    same_configuration,
    split_arrays,
)

__all__ = ["SlidingWindow", "TimeWindow", "bucket_index", "check_time", "check_timestamps",
           "positive_real"]


def positive_real(value, name, func):
    """``value`` as a float if it is a positive finite real."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            math.isfinite(value) and value > 0):
        raise invalid(name, func, "a positive finite number", value)
    return float(value)


def check_time(value, name, func):
    """A finite time (seconds, or a sample position); NaN and inf are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise invalid(name, func, "a finite number (a time)", value)
    return float(value)


def check_timestamps(timestamp, n, func):
    """A batch's time: a finite float, or ``n`` finite floats (one per sample)."""
    if np.ndim(timestamp) == 0:
        return check_time(timestamp, "timestamp", func)
    times = np.asarray(timestamp, dtype=np.float64) if np.asarray(timestamp).dtype.kind in (
        "iuf") else None
    if times is None or times.shape != (n,) or not np.isfinite(times).all():
        raise invalid("timestamp", func, f"a finite time or an array of {n} finite times",
                      timestamp)
    return times


def _storable(a, name):
    """A copy of a batch array that the binary format can hold (object
    arrays of str or numbers become str or number arrays)."""
    if a is None:
        return None
    a = np.array(a, copy=True)
    if a.dtype.kind == "O" and a.size:
        try:
            converted = np.array(a.tolist())
        except (TypeError, ValueError):
            converted = a
        if converted.dtype.kind not in "biufU":
            raise TypeError(f"{name} of dtype object cannot be kept by a window")
        a = converted
    return a


class _Batch(NamedTuple):
    arrays: dict  # name -> array (or None): the template's data, sample_weight, keywords
    prepared: object  # the template's prepared batch
    n: int
    timestamp: float

    def tail(self, m, template):
        """The last ``m`` samples of this batch, prepared again."""
        arrays = {k: None if a is None else a[self.n - m:] for k, a in self.arrays.items()}
        return _Batch(arrays, _prepare(template, arrays), m, self.timestamp)


def _prepare(template, arrays):
    names = template._ARRAYS
    keywords = {k: a for k, a in arrays.items() if k not in names and k != "sample_weight"}
    return template._prepare(*(arrays[k] for k in names), arrays["sample_weight"], **keywords)


def _batch_arrays(template, args, kwargs, func):
    """The batch as named arrays the window can slice and keep, and its size."""
    data, sample_weight, keywords = split_arrays(template, args, kwargs, func)
    names = template._ARRAYS
    refuse_iterators(sample_weight=sample_weight, **dict(zip(names, data)), **keywords)
    arrays = {name: _storable(a, name) for name, a in zip(names, data)}
    if any(a.ndim == 0 for a in arrays.values()):
        raise ValueError(f"{', '.join(names)} must be array-like, not scalars")
    n = arrays[names[0]].shape[0]
    if sample_weight is not None and np.ndim(sample_weight) == 0:
        sample_weight = np.full(n, sample_weight)
    arrays["sample_weight"] = _storable(sample_weight, "sample_weight")
    for name, value in keywords.items():
        arrays[name] = _storable(value, name)
    return arrays, n


# Bucket indexes (time / bucket width) are stored as int64: times further
# from the epoch are refused.
_MAX_BUCKET_INDEX = 2.0**62


def bucket_index(t, bucket_width, name="timestamp", func="TimeWindow.update"):
    """The bucket of time(s) ``t`` (an int, or a float array for an array);
    `InvalidParameterError` for a time whose index does not fit the int64
    bucket indexes of the state."""
    index = np.floor(np.divide(t, bucket_width))
    if not np.all(np.abs(index) < _MAX_BUCKET_INDEX):  # inf and NaN too
        raise invalid(name, func, f"a time within {_MAX_BUCKET_INDEX:.0e} buckets "
                      f"({bucket_width:g} s) of the epoch", t)
    return int(index) if np.ndim(index) == 0 else index


def _same_template(a, b, what):
    if type(a) is not type(b) or a.to_bytes() != b.to_bytes():
        raise ValueError(f"cannot merge {what}s with different templates")


class SlidingWindow(Wrapper):
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

    Notes
    -----
    Each batch carries a timestamp (default: the time of the update),
    non-decreasing within one window. `merge` interleaves the batches of
    both windows by timestamp (on equal timestamps this window's first)
    and keeps the last ``size`` samples: the window of the union of both
    streams. `to_bytes` holds the retained samples themselves.

    Examples
    --------
    >>> from cymetrics.streaming import ScoreAccumulator, SlidingWindow
    >>> window = SlidingWindow(ScoreAccumulator(), size=4)
    >>> _ = window.update([1, 0], [0.9, 0.1])
    >>> _ = window.update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> window.snapshot().roc_auc_score()
    0.75
    """

    _KIND = "SlidingWindow"

    def __init__(self, template, size):
        self._template = empty_copy(template)
        self.size = check_int("size", size, "SlidingWindow", 1)
        self._lock = threading.Lock()
        self._batches = deque()  # _Batch, oldest first
        self._retained = 0
        self._version = 0
        self._snapshot_cache = None

    def update(self, *arrays, timestamp=None, **kwargs):
        """Add a batch (the arguments of the template's ``update``). Returns self.

        Parameters
        ----------
        *arrays
            The template's arrays (``y_true, y_score[, sample_weight]``...).
        timestamp : float, default=None
            When the batch happened (seconds); default ``time.time()``. Must
            not precede the previous batch's.
        **kwargs
            Other arguments of the template's ``update`` (``sample_weight=``,
            ``groups=``).

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, SlidingWindow
        >>> SlidingWindow(ConfusionAccumulator(), 2).update([0, 1, 1], [0, 1, 0]).n_samples
        2
        """
        arrays, n = _batch_arrays(self._template, arrays, kwargs, "SlidingWindow.update")
        if timestamp is not None:
            timestamp = check_time(timestamp, "timestamp", "SlidingWindow.update")
        if n > self.size:
            arrays = {k: None if a is None else a[n - self.size:] for k, a in arrays.items()}
            n = self.size
        batch = _Batch(arrays, _prepare(self._template, arrays), n, timestamp)
        with self._lock:
            if timestamp is None:
                # The clock is read under the lock, and never behind the previous
                # batch: concurrent updates (or a clock set back) stay in order.
                timestamp = time.time()
                if self._batches:
                    timestamp = max(timestamp, self._batches[-1].timestamp)
                batch = batch._replace(timestamp=timestamp)
            if self._batches and timestamp < self._batches[-1].timestamp:
                raise ValueError(
                    f"timestamp {timestamp!r} precedes the previous batch's "
                    f"({self._batches[-1].timestamp!r}): a window's batches arrive in order"
                )
            if n:
                self._batches.append(batch)
                self._retained += n
                self._trim()
        return self

    def _trim(self):
        """Drop batches wholly outside the window (lock held)."""
        while self._retained - self._batches[0].n >= self.size:
            self._retained -= self._batches.popleft().n
        self._version += 1
        self._snapshot_cache = None

    def snapshot(self):
        """A new accumulator holding exactly the samples of the window.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, SlidingWindow
        >>> window = SlidingWindow(ConfusionAccumulator(), 2).update([0, 1, 1], [0, 1, 0])
        >>> window.snapshot().confusion_matrix()
        array([[0, 0],
               [1, 1]])
        """
        with self._lock:
            if self._snapshot_cache is not None:
                return self._snapshot_cache.copy()
            batches = list(self._batches)
            extra = self._retained - self.size
            version = self._version
        acc = self._template.copy()
        state = acc._empty_state()
        for i, batch in enumerate(batches):
            if i == 0 and extra > 0:
                batch = batch.tail(batch.n - extra, acc)
            state = acc._add(state, batch.prepared)
        acc._state = state
        with self._lock:
            if version == self._version:
                self._snapshot_cache = acc.copy()
        return acc

    @property
    def n_samples(self):
        """Number of samples in the window.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, SlidingWindow
        >>> SlidingWindow(ConfusionAccumulator(), 5).update([0, 1], [1, 1]).n_samples
        2
        """
        with self._lock:
            return min(self._retained, self.size)

    def merge(self, *others):
        """Merge windows of the same template and size: the last ``size``
        samples of all their batches, interleaved by timestamp. Returns self.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, SlidingWindow
        >>> a = SlidingWindow(ConfusionAccumulator(), 3).update([0, 0], [0, 1], timestamp=1)
        >>> b = SlidingWindow(ConfusionAccumulator(), 3).update([1, 1], [1, 0], timestamp=2)
        >>> a.merge(b).snapshot().confusion_matrix()  # the last 3 samples: one of a's
        array([[0, 1],
               [1, 1]])
        """
        for other in others:
            if not isinstance(other, SlidingWindow):
                raise TypeError(f"cannot merge a {type(other).__name__} into a SlidingWindow")
            _same_template(self._template, other._template, "SlidingWindow")
            if other.size != self.size:
                raise ValueError("cannot merge sliding windows of different sizes")
        lists = []
        for other in others:
            with other._lock:
                lists.append(list(other._batches))
        with self._lock:
            merged = list(self._batches)
            for batches in lists:
                merged = sorted(merged + batches, key=lambda b: b.timestamp)  # stable
            self._batches = deque(merged)
            self._retained = sum(b.n for b in merged)
            if merged:
                self._trim()
        return self

    def reset(self):
        """Forget all data (the configuration is kept). Returns self.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, SlidingWindow
        >>> SlidingWindow(ConfusionAccumulator(), 5).update([0, 1], [1, 1]).reset().n_samples
        0
        """
        with self._lock:
            self._batches = deque()
            self._retained = 0
            self._version += 1
            self._snapshot_cache = None
        return self

    def copy(self):
        """An independent window with the same configuration and data.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, SlidingWindow
        >>> window = SlidingWindow(ConfusionAccumulator(), 5).update([0, 1], [1, 1])
        >>> window.copy().update([1], [1]).n_samples, window.n_samples
        (3, 2)
        """
        new = SlidingWindow(self._template, self.size)
        with self._lock:
            new._batches = deque(self._batches)
            new._retained = self._retained
        return new

    def to_bytes(self):
        """The template, size and retained batches in the binary format.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator, SlidingWindow
        >>> window = SlidingWindow(ScoreAccumulator(), 3).update([0, 1, 1], [0.2, 0.7, 0.4])
        >>> SlidingWindow.from_bytes(window.to_bytes()).snapshot().roc_auc_score()
        1.0
        """
        with self._lock:
            batches = list(self._batches)
        data = self._template._ARRAYS
        names = sorted({k for b in batches for k in b.arrays} - set(data))
        fields = {"template": self._template.to_bytes(), "size": self.size,
                  "n_batches": len(batches), "keywords": ",".join(names)}
        for i, b in enumerate(batches):
            fields[f"timestamp_{i}"] = b.timestamp
            for k in (*data, *names):
                fields[f"{k}_{i}"] = b.arrays.get(k)
        return _serialization.dump(self._KIND, fields)

    @classmethod
    def from_bytes(cls, data):
        """Rebuild from `to_bytes` output; ValueError on anything else.

        Every retained batch is validated again by the template.

        Examples
        --------
        >>> from cymetrics.streaming import SlidingWindow
        >>> SlidingWindow.from_bytes(b"CYMS...")
        Traceback (most recent call last):
        ...
        ValueError: not a cymetrics accumulator state (bad magic bytes)
        """
        kind = cls._KIND
        fields, template = cls._open(data)
        window = cls._construct(template, fields.integer("size", 1))
        n_batches = fields.integer("n_batches", 0, 2**31)
        names = [k for k in fields.text("keywords").split(",") if k]
        data = template._ARRAYS
        if not all(k.isidentifier() for k in names) or set(names) & set(data):
            raise ValueError(f"corrupted {kind} state: bad keyword names")
        last = -math.inf
        for i in range(n_batches):
            timestamp = fields.real(f"timestamp_{i}")
            arrays = {k: fields._get(f"{k}_{i}") for k in (*data, *names)}
            if timestamp < last or not all(a is None or isinstance(a, np.ndarray)
                                           for a in arrays.values()):
                raise ValueError(f"corrupted {kind} state: bad batch {i}")
            last = timestamp
            positional = [arrays.pop(k) for k in data]
            try:
                window.update(*positional, timestamp=timestamp, **arrays)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"corrupted {kind} state: batch {i}: {exc}") from exc
        fields.done()
        if n_batches and window._batches and len(window._batches) != n_batches:
            raise ValueError(f"corrupted {kind} state: batches outside the window")
        return window


class TimeWindow(Wrapper):
    """Metrics of the last ``width`` seconds of a stream, in time buckets.

    The window is ``buckets`` consecutive buckets of ``width / buckets``
    seconds, aligned on multiples of that since the epoch; the newest
    bucket is the one of the newest timestamp seen. Each bucket is an
    accumulator of the template's kind, so memory is at most ``buckets``
    states, and buckets that leave the window are dropped.

    Parameters
    ----------
    template : accumulator
        An accumulator configured as wanted (its data is ignored).
    width : float
        Seconds covered by the window.
    buckets : int, default=60
        Number of buckets (the window moves by ``width / buckets``).

    Notes
    -----
    Samples may arrive out of order: a sample whose bucket is still in the
    window goes into it; a sample older than the window is dropped, as the
    window would have dropped it had it arrived in time, and counted in
    `dropped_samples`. `merge` adds the buckets of other
    windows to the buckets of the same start (the workers of one service
    merge into the window of all their traffic), then drops buckets that
    fall out of the merged window.

    Examples
    --------
    >>> from cymetrics.streaming import ConfusionAccumulator, TimeWindow
    >>> hour = TimeWindow(ConfusionAccumulator(), width=3600, buckets=4)
    >>> _ = hour.update([0, 1], [0, 1], timestamp=0.0)
    >>> _ = hour.update([1, 1], [0, 1], timestamp=3000.0)
    >>> hour.snapshot().confusion_matrix()
    array([[1, 0],
           [1, 2]])
    >>> _ = hour.update([0], [0], timestamp=3700.0)  # the first bucket leaves
    >>> hour.snapshot().confusion_matrix()
    array([[1, 0],
           [1, 1]])
    """

    _KIND = "TimeWindow"

    def __init__(self, template, width, *, buckets=60):
        self._template = empty_copy(template)
        self.width = positive_real(width, "width", "TimeWindow")
        self.buckets = check_int("buckets", buckets, "TimeWindow", 1)
        self.bucket_width = self.width / self.buckets
        if self.bucket_width < sys.float_info.min:  # subnormal or 0: time / width overflows
            raise invalid("width", "TimeWindow",
                          f"a positive number of at least {sys.float_info.min:g} s per bucket",
                          width)
        self._lock = threading.Lock()
        self._accs = {}  # bucket index -> accumulator
        self._newest = None  # index of the newest bucket seen
        self.dropped_samples = 0  # samples that arrived older than the window

    def _index(self, t, name="timestamp", func="TimeWindow.update"):
        return bucket_index(t, self.bucket_width, name, func)

    def _parts(self, arrays, n, timestamp):
        """``[(bucket index, arrays)]`` of a batch (per-sample timestamps split)."""
        times = check_timestamps(time.time() if timestamp is None else timestamp, n,
                                 "TimeWindow.update")
        if np.ndim(times) == 0:
            return [(self._index(times), arrays)]
        index = self._index(times)
        parts = []
        for b in np.unique(index):
            keep = index == b
            parts.append((int(b), {k: None if a is None else a[keep] for k, a in arrays.items()}))
        return parts

    def update(self, *arrays, timestamp=None, **kwargs):
        """Add a batch (the arguments of the template's ``update``). Returns self.

        Parameters
        ----------
        *arrays
            The template's arrays (``y_true, y_score[, sample_weight]``...).
        timestamp : float or array-like of shape (n_samples,), default=None
            When the samples happened (seconds since the epoch); default
            ``time.time()``.
        **kwargs
            Other arguments of the template's ``update`` (``sample_weight=``,
            ``groups=``).

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator, TimeWindow
        >>> window = TimeWindow(DistributionAccumulator(), 60, buckets=6)
        >>> window.update([0.2, 0.4, 0.9], timestamp=[100.0, 130.0, 150.0]).bucket_starts
        [100.0, 130.0, 150.0]
        """
        arrays, n = _batch_arrays(self._template, arrays, kwargs, "TimeWindow.update")
        parts = [(b, _prepare(self._template, a), a[self._template._ARRAYS[0]].shape[0])
                 for b, a in self._parts(arrays, n, timestamp)]
        if n == 0:
            return self
        with self._lock:
            newest = max([b for b, _, _ in parts] + ([] if self._newest is None
                                                      else [self._newest]))
            oldest = newest - self.buckets + 1
            # Samples older than the window are dropped (and counted), as the
            # window would have dropped them had they arrived in time.
            self.dropped_samples += sum(m for b, _, m in parts if b < oldest)
            parts = [(b, batch) for b, batch, _ in parts if b >= oldest]
            accs = [(self._accs[b] if b in self._accs else self._template.copy(), batch)
                    for b, batch in parts]
            states = [acc._add(acc._snapshot(), batch) for acc, batch in accs]
            for (b, _), (acc, _), state in zip(parts, accs, states):
                with acc._lock:
                    acc._state = state
                self._accs[b] = acc
            self._newest = newest
            self._evict()
        for acc, _ in accs:
            acc._after_commit()
        return self

    def _evict(self):
        """Drop the buckets outside the window (lock held)."""
        oldest = self._newest - self.buckets + 1
        for b in [b for b in self._accs if b < oldest]:
            del self._accs[b]

    def snapshot(self, at=None):
        """A new accumulator holding the samples of the window.

        Parameters
        ----------
        at : float, default=None
            The window ending with the bucket of time ``at``; default: the
            newest timestamp seen. Buckets already dropped are not in it.

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator, TimeWindow
        >>> window = TimeWindow(DistributionAccumulator(), 60, buckets=6)
        >>> _ = window.update([0.2, 0.4, 0.9], timestamp=[100.0, 130.0, 150.0])
        >>> window.snapshot(at=130.0).values()
        (array([0.2, 0.4]), array([1, 1]))
        """
        acc = self._template.copy()
        with self._lock:
            if self._newest is None:
                return acc
            end = self._newest if at is None else self._index(
                check_time(at, "at", "TimeWindow.snapshot"), "at", "TimeWindow.snapshot")
            inside = [a for b, a in sorted(self._accs.items()) if end - self.buckets < b <= end]
        return acc.merge(*inside) if inside else acc

    @property
    def bucket_starts(self):
        """Start times (seconds) of the buckets held, oldest first.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, TimeWindow
        >>> TimeWindow(ConfusionAccumulator(), 60, buckets=2).update(
        ...     [0], [0], timestamp=75.0).bucket_starts
        [60.0]
        """
        with self._lock:
            return [b * self.bucket_width for b in sorted(self._accs)]

    def merge(self, *others):
        """Merge windows of the same template, width and buckets, bucket by
        bucket (buckets of the same start time add). Returns self.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, TimeWindow
        >>> a = TimeWindow(ConfusionAccumulator(), 60, buckets=2).update([0], [0], timestamp=10)
        >>> b = TimeWindow(ConfusionAccumulator(), 60, buckets=2).update([1], [1], timestamp=40)
        >>> a.merge(b).snapshot().confusion_matrix()
        array([[1, 0],
               [0, 1]])
        """
        for other in others:
            if not isinstance(other, TimeWindow):
                raise TypeError(f"cannot merge a {type(other).__name__} into a TimeWindow")
            _same_template(self._template, other._template, "TimeWindow")
            if (other.width, other.buckets) != (self.width, self.buckets):
                raise ValueError("cannot merge time windows of different width or buckets")
        for other in others:
            with other._lock:
                items, newest = list(other._accs.items()), other._newest
                dropped = other.dropped_samples
            if newest is None:
                continue
            with self._lock:
                self.dropped_samples += dropped
                for b, acc in items:
                    mine = self._accs.get(b)
                    self._accs[b] = acc.copy() if mine is None else mine.merge(acc)
                self._newest = newest if self._newest is None else max(self._newest, newest)
                self._evict()
        return self

    def reset(self):
        """Forget all data (the configuration is kept). Returns self.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, TimeWindow
        >>> TimeWindow(ConfusionAccumulator(), 60).update([0], [0], timestamp=5.0).reset(
        ...     ).bucket_starts
        []
        """
        with self._lock:
            self._accs = {}
            self._newest = None
            self.dropped_samples = 0
        return self

    def copy(self):
        """An independent window with the same configuration and data.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, TimeWindow
        >>> window = TimeWindow(ConfusionAccumulator(), 60).update([0], [0], timestamp=5.0)
        >>> window.copy().to_bytes() == window.to_bytes()
        True
        """
        new = TimeWindow(self._template, self.width, buckets=self.buckets)
        with self._lock:
            new._accs = {b: acc.copy() for b, acc in self._accs.items()}
            new._newest = self._newest
            new.dropped_samples = self.dropped_samples
        return new

    def to_bytes(self):
        """The template, width, buckets and every bucket's state in the binary format.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, TimeWindow
        >>> window = TimeWindow(ConfusionAccumulator(), 60).update([0, 1], [0, 1], timestamp=5.0)
        >>> TimeWindow.from_bytes(window.to_bytes()).snapshot().confusion_matrix()
        array([[1, 0],
               [0, 1]])
        """
        with self._lock:
            items, newest = sorted(self._accs.items()), self._newest
            dropped = self.dropped_samples
        fields = {"template": self._template.to_bytes(), "width": self.width,
                  "buckets": self.buckets, "newest": newest, "dropped_samples": dropped,
                  "indexes": np.array([b for b, _ in items], dtype=np.int64)}
        for i, (_, acc) in enumerate(items):
            fields[f"bucket_{i}"] = acc.to_bytes()
        return _serialization.dump(self._KIND, fields)

    @classmethod
    def from_bytes(cls, data):
        """Rebuild from `to_bytes` output; ValueError on anything else.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator, TimeWindow
        >>> TimeWindow.from_bytes(ScoreAccumulator().to_bytes())
        Traceback (most recent call last):
        ...
        ValueError: state holds a 'ScoreAccumulator', not a 'TimeWindow'
        """
        kind = cls._KIND
        fields, template = cls._open(data)
        window = cls._construct(template, fields.real("width"),
                                buckets=fields.integer("buckets", 1, 2**31))
        newest = fields.integer("newest", allow_none=True)
        indexes = fields.array("indexes", "i", 1)
        if (newest is None) != (indexes.shape[0] == 0) or (indexes.shape[0] and (
                np.any(indexes[1:] <= indexes[:-1]) or indexes[-1] > newest
                or indexes[0] <= newest - window.buckets)):
            raise ValueError(f"corrupted {kind} state: bad bucket indexes")
        for i, b in enumerate(indexes.tolist()):
            acc = accumulator_from_bytes(fields.nested(f"bucket_{i}"), f"{kind} state")
            if not same_configuration(acc, template):
                raise ValueError(f"corrupted {kind} state: a bucket of another kind")
            window._accs[b] = acc
        window._newest = newest
        window.dropped_samples = fields.integer("dropped_samples", 0)
        fields.done()
        return window
