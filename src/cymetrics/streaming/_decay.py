"""Exponential decay over a stream: old samples fade with a half-life, and go.

The state is the template's state with float64 weights relative to a
reference time (the *origin*: a sample at the origin weighs 1). Weights are
rescaled to a new origin from time to time, so new samples never weigh
more than ``2**256``; at each rescale, entries whose weight fell below
``prune_below`` times the weight of a new sample are dropped (pruning), so
the state of an exact score accumulator holds about
``log2(1 / prune_below)`` half-lives of distinct scores, however long the
stream has run.
"""

import threading
import time

import numpy as np

from cymetrics._shared._params import check_option, check_real, invalid
from cymetrics._shared._validation import check_sample_weight
from cymetrics.streaming import _serialization
from cymetrics.streaming._base import (
    Wrapper,
    accumulator_from_bytes,
    empty_copy,
    refuse_iterators,
    same_configuration,
    split_arrays,
)
from cymetrics.streaming._windows import check_time, positive_real

__all__ = ["DecayedAccumulator"]

# Rebase the decay weights before they grow beyond 2**_MAX_EXPONENT.
_MAX_EXPONENT = 256.0
# Prune at most once per half-life and once per this many samples, so a
# pass over the state costs O(1) per sample.
_PRUNE_MIN_SAMPLES = 1024
_DEFAULT_PRUNE_BELOW = 1e-9


class DecayedAccumulator(Wrapper):
    """Exponentially decayed metrics: old samples fade with a half-life.

    A sample's weight is multiplied by ``2 ** (-age / half_life)``, where
    the age is counted in samples (``unit='samples'``: the newest sample
    has age 0) or in seconds (``unit='seconds'``: from the batch's
    ``timestamp`` to the newest timestamp seen, or to ``at`` in
    `snapshot`). Results equal the one-shot functions with those weights,
    up to pruning.

    Parameters
    ----------
    template : accumulator
        An accumulator configured as wanted (its data is ignored); grouped
        accumulators too.
    half_life : float
        In samples or seconds.
    unit : {'samples', 'seconds'}, default='samples'
    prune_below : float in [0, 1), default=1e-9
        Once per half-life (and at most once per 1024 samples), entries of
        the state (distinct scores, sketch buckets, groups) whose weight
        fell below ``prune_below`` times the weight of a new sample are
        dropped; 0 keeps everything.

    Notes
    -----
    **What pruning costs.** The weight dropped is tracked exactly
    (`pruned_weight`, decayed like everything else). Every count the
    snapshot reports (a class total, a confusion count at any threshold) is
    at most `pruned_weight` below the unpruned decayed count, and the ROC
    AUC moves by at most ``R / P + R / N`` (``R`` the pruned weight, ``P``
    and ``N`` the decayed class totals): AUC is the probability that a
    random positive outscores a random negative, and pruning changes the
    pair distribution by at most that much. With a steady stream, a pruned
    entry weighs less than ``prune_below`` times a new sample, so ``R``
    is about ``prune_below`` times the total weight.

    **Out of order.** With ``unit='seconds'``, a batch older than the
    newest timestamp is weighed by its own age; ``snapshot(at=t)`` refuses
    a ``t`` before the newest timestamp (newer samples cannot be weighed
    from the past).

    **Merge.** With ``unit='seconds'`` the clocks are shared: a sample
    keeps its weight for its timestamp. With ``unit='samples'`` each
    stream counts its own samples: the merged state weighs every sample
    by its age in its own stream (both streams' newest samples weigh 1).

    Examples
    --------
    >>> from cymetrics.streaming import ConfusionAccumulator, DecayedAccumulator
    >>> decayed = DecayedAccumulator(ConfusionAccumulator(), half_life=1)
    >>> _ = decayed.update([0, 1], [0, 0])
    >>> decayed.snapshot().confusion_matrix()
    array([[0.5, 0. ],
           [1. , 0. ]])
    """

    _KIND = "DecayedAccumulator"

    def __init__(self, template, half_life, *, unit="samples",
                 prune_below=_DEFAULT_PRUNE_BELOW):
        self._template = empty_copy(template)
        self._template._scaled(self._template._empty_state(), 1.0)  # refuses what cannot decay
        self.half_life = positive_real(half_life, "half_life", "DecayedAccumulator")
        self.unit = check_option("unit", unit, ("samples", "seconds"), "DecayedAccumulator")
        self.prune_below = float(check_real("prune_below", prune_below, "DecayedAccumulator",
                                            0.0, 1.0, closed="left"))
        self._lock = threading.Lock()
        self._inner = self._template.copy()
        self._origin = None  # the time whose samples have weight 1 in the state
        self._latest = None  # newest time seen
        self._next_position = 0  # unit='samples': position of the next sample
        self._pruned = 0.0  # weight pruned, relative to the origin
        self._last_prune = None  # time of the last pruning pass
        self._since_prune = 0  # samples added since

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
        return np.full(n, check_time(timestamp, "timestamp", "DecayedAccumulator.update"))

    def _origin_for(self, newest):
        """The reference time for a batch whose newest time is ``newest`` (lock
        held; nothing changes until the batch is committed)."""
        if self._origin is None or (newest - self._origin) / self.half_life > _MAX_EXPONENT:
            # The first batch, or one far ahead: the weights of new samples
            # stay far below overflow.
            return float(newest)
        return self._origin

    def _rebase(self, origin):
        """Move the weight-1 time to ``origin`` (lock held)."""
        factor = 2.0 ** ((self._origin - origin) / self.half_life)
        inner = self._inner
        with inner._lock:
            inner._state = inner._scaled(inner._state, factor)
        self._pruned *= factor
        self._origin = origin

    def _prune(self):
        """Rebase to the newest time and drop what decayed below the threshold (lock held)."""
        self._rebase(self._latest)
        inner = self._inner
        with inner._lock:
            inner._state, removed = inner._pruned(inner._state, self.prune_below)
        self._pruned += removed
        self._last_prune = self._latest
        self._since_prune = 0

    def _weighted_batch(self, data, w, times, origin, kwargs):
        decay = np.exp2((times - origin) / self.half_life)
        return self._inner._prepare(*data, decay if w is None else w * decay, **kwargs)

    def update(self, *arrays, timestamp=None, **kwargs):
        """Add a batch (arguments of the template's ``update``, plus ``timestamp``).

        With ``unit='samples'`` the batch is prepared under the lock (the
        ages follow the order in which batches arrive); with
        ``unit='seconds'`` only the commit is.

        Parameters
        ----------
        *arrays
            The template's arrays (``y_true, y_score[, sample_weight]``...).
        timestamp : float, default=None
            Seconds (``unit='seconds'`` only); default ``time.time()``.
        **kwargs
            Other arguments of the template's ``update`` (``sample_weight=``,
            ``groups=``).

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.streaming import DecayedAccumulator, ScoreAccumulator
        >>> decayed = DecayedAccumulator(ScoreAccumulator(), half_life=60, unit="seconds")
        >>> _ = decayed.update([0, 1], [0.2, 0.8], timestamp=0.0)
        >>> _ = decayed.update([1, 0], [0.3, 0.7], timestamp=60.0)
        >>> decayed.snapshot().confusion_matrix(0.5)
        array([[0.5, 1. ],
               [1. , 0.5]])
        """
        data, sample_weight, kwargs = split_arrays(self._template, arrays, kwargs,
                                                   "DecayedAccumulator.update")
        refuse_iterators(sample_weight=sample_weight,
                         **dict(zip(self._template._ARRAYS, data)), **kwargs)
        data[0] = np.asarray(data[0])
        n = data[0].shape[0] if data[0].ndim else 0
        w = check_sample_weight(sample_weight, n, allow_zero_total=True)
        if n == 0:
            self._inner._prepare(*data, w, **kwargs)  # validation only
            return self
        # A batch is weighed and added before the clock moves: a refused batch
        # leaves the accumulator as it was.
        if self.unit == "samples":
            with self._lock:
                times = self._times(n, timestamp)
                origin = self._origin_for(times[-1])
                batch = self._weighted_batch(data, w, times, origin, kwargs)
                self._commit(batch, origin, times[-1], n)
            return self
        times = self._times(n, timestamp)
        with self._lock:
            origin = self._origin_for(times[-1])
        while True:
            batch = self._weighted_batch(data, w, times, origin, kwargs)
            with self._lock:
                if origin == self._origin_for(times[-1]):
                    self._commit(batch, origin, times[-1], n)
                    return self
                origin = self._origin_for(times[-1])  # rebased meanwhile: weigh again

    def _commit(self, batch, origin, newest, n):
        """Lock held: add the batch weighed from ``origin`` (rebasing to it),
        advance the clock, prune when due."""
        inner = self._inner
        factor = 1.0 if self._origin in (None, origin) else 2.0 ** (
            (self._origin - origin) / self.half_life)
        with inner._lock:
            state = inner._state if factor == 1.0 else inner._scaled(inner._state, factor)
            inner._state = inner._add(state, batch)  # may refuse: nothing changed yet
        inner._after_commit()
        if self._origin is None:
            self._last_prune = origin
        self._origin = origin
        self._pruned *= factor
        self._next_position += n
        self._since_prune += n
        if self._latest is None or newest > self._latest:
            self._latest = float(newest)
        if (self.prune_below > 0 and self._since_prune >= _PRUNE_MIN_SAMPLES
                and self._latest - self._last_prune >= self.half_life):
            self._prune()

    def _factor(self, at):
        """Weight of the origin's samples seen from ``at`` (lock held)."""
        now = self._latest if at is None else check_time(at, "at", "DecayedAccumulator")
        if now < self._latest:
            raise ValueError(
                f"at={now!r} precedes the newest time seen ({self._latest!r}): samples "
                "newer than `at` cannot be weighed"
            )
        return 2.0 ** ((self._origin - now) / self.half_life)

    def snapshot(self, at=None):
        """A new accumulator holding the decayed state.

        Parameters
        ----------
        at : float, default=None
            The time at which weights are taken; default: the newest time
            seen. Must not precede it.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, DecayedAccumulator
        >>> decayed = DecayedAccumulator(ConfusionAccumulator(), 10, unit="seconds")
        >>> decayed.update([0, 1], [0, 1], timestamp=0.0).snapshot(at=20.0).confusion_matrix()
        array([[0.25, 0.  ],
               [0.  , 0.25]])
        """
        with self._lock:
            acc = self._inner.copy()
            if self._latest is None:
                return acc
            factor = self._factor(at)
        acc._state = acc._scaled(acc._state, factor)
        return acc

    @property
    def pruned_weight(self):
        """Total weight pruned so far, decayed to the newest time seen (see Notes).

        Examples
        --------
        >>> from cymetrics.streaming import DecayedAccumulator, ScoreAccumulator
        >>> decayed = DecayedAccumulator(ScoreAccumulator(), 1, prune_below=0.01)
        >>> for _ in range(3):
        ...     _ = decayed.update([0, 1] * 512, [i / 1024 for i in range(1024)])
        >>> decayed.snapshot().n_distinct, decayed.pruned_weight  # 2**-7 + 2**-8 + ...
        (7, 0.015625)
        """
        with self._lock:
            return 0.0 if self._latest is None else float(self._pruned * self._factor(None))

    def merge(self, *others):
        """Merge decayed accumulators of the same configuration (see Notes). Returns self.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, DecayedAccumulator
        >>> a = DecayedAccumulator(ConfusionAccumulator(), 10, unit="seconds")
        >>> b = DecayedAccumulator(ConfusionAccumulator(), 10, unit="seconds")
        >>> _ = a.update([1], [1], timestamp=0.0)
        >>> _ = b.update([0], [0], timestamp=10.0)
        >>> a.merge(b).snapshot().confusion_matrix()
        array([[1. , 0. ],
               [0. , 0.5]])
        """
        for other in others:
            if not isinstance(other, DecayedAccumulator):
                raise TypeError(f"cannot merge a {type(other).__name__} into a DecayedAccumulator")
            if other._config_fields() != self._config_fields():
                raise ValueError("cannot merge decayed accumulators of different configurations")
        for other in others:
            with other._lock:
                inner = other._inner.copy()
                clock = (other._origin, other._latest, other._pruned)
            if clock[1] is not None:
                with self._lock:
                    self._merge_clock(inner, *clock)
        return self

    def _merge_clock(self, inner, origin, latest, pruned):
        """Lock held: add another decay's inner state, weighed into this frame."""
        if self._latest is None:
            self._origin, self._latest, self._last_prune = origin, latest, latest
        if self.unit == "seconds":
            target = max(self._latest, latest)
            shift = 0.0
        else:  # each stream's newest sample weighs 1
            target = self._latest
            shift = self._latest - latest
        self._rebase(target)
        factor = 2.0 ** ((origin + shift - target) / self.half_life)
        state = inner._scaled(inner._snapshot(), factor)
        with self._inner._lock:
            self._inner._state = self._inner._merge_states(self._inner._state, state)
        self._pruned += pruned * factor
        self._latest = target

    def reset(self):
        """Forget all data (the configuration is kept). Returns self.

        Examples
        --------
        >>> from cymetrics.streaming import DecayedAccumulator, ScoreAccumulator
        >>> DecayedAccumulator(ScoreAccumulator(), 5).update([0], [0.3]).reset(
        ...     ).snapshot().n_samples
        0
        """
        with self._lock:
            self._inner = self._template.copy()
            self._origin = self._latest = self._last_prune = None
            self._next_position = self._since_prune = 0
            self._pruned = 0.0
        return self

    def copy(self):
        """An independent decayed accumulator with the same configuration and data.

        Examples
        --------
        >>> from cymetrics.streaming import DecayedAccumulator, ScoreAccumulator
        >>> decayed = DecayedAccumulator(ScoreAccumulator(), 5).update([0], [0.3])
        >>> decayed.copy().update([1], [0.6]).snapshot().n_samples
        2
        """
        return DecayedAccumulator.from_bytes(self.to_bytes())

    def _config_fields(self):
        return {"template": self._template.to_bytes(), "half_life": self.half_life,
                "unit": self.unit, "prune_below": self.prune_below}

    def to_bytes(self):
        """Configuration, clock and decayed state in the binary format.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, DecayedAccumulator
        >>> decayed = DecayedAccumulator(ConfusionAccumulator(), 1).update([0, 1], [0, 1])
        >>> DecayedAccumulator.from_bytes(decayed.to_bytes()).snapshot().confusion_matrix()
        array([[0.5, 0. ],
               [0. , 1. ]])
        """
        fields = self._config_fields()
        with self._lock:
            fields.update(origin=self._origin, latest=self._latest,
                          next_position=self._next_position, pruned=self._pruned,
                          last_prune=self._last_prune, since_prune=self._since_prune,
                          inner=self._inner.to_bytes())
        return _serialization.dump(self._KIND, fields)

    @classmethod
    def from_bytes(cls, data):
        """Rebuild from `to_bytes` output; ValueError on anything else.

        Examples
        --------
        >>> from cymetrics.streaming import DecayedAccumulator
        >>> DecayedAccumulator.from_bytes(b"")
        Traceback (most recent call last):
        ...
        ValueError: not a cymetrics accumulator state (bad magic bytes)
        """
        kind = cls._KIND
        fields, template = cls._open(data)
        new = cls._construct(template, fields.real("half_life"), unit=fields.text("unit"),
                             prune_below=fields.real("prune_below"))
        clock = [fields.real(name, allow_none=True) for name in ("origin", "latest", "last_prune")]
        new._next_position = fields.integer("next_position", 0)
        new._since_prune = fields.integer("since_prune", 0)
        new._pruned = fields.real("pruned")
        inner = accumulator_from_bytes(fields.nested("inner"), f"{kind} state")
        fields.done()
        if not same_configuration(inner, template):
            raise ValueError(f"corrupted {kind} state: inner state of another kind")
        origin, latest, last_prune = clock
        if len({c is None for c in clock}) != 1 or new._pruned < 0 or (origin is not None and not (
                origin <= latest and last_prune <= latest
                and (latest - origin) / new.half_life <= _MAX_EXPONENT)):
            raise ValueError(f"corrupted {kind} state: bad clock")
        new._origin, new._latest, new._last_prune = clock
        new._inner = inner
        return new
