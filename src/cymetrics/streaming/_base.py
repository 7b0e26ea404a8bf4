"""What every accumulator shares: the lock, merging, copying, serialization.

An accumulator holds one immutable state value. ``update`` first prepares
the batch with no lock held (validation, sorting, counting: numpy and the
kernels release the GIL there, so threads preparing batches run in
parallel), then, under the lock, combines the state with the batch into a
new state and swaps it in. Combining is a pure function, so an update that
fails leaves the previous state in place, and a reader that took the state
keeps a consistent snapshot.

The wrappers (windows, decay, groups) drive any accumulator through the same
hooks: ``_prepare`` a batch, ``_add`` it to a state, ``_merge_states``,
``_scaled`` and ``_pruned`` (decay), and the compaction triple
``_needs_compaction`` / ``_compacted`` / ``_rebased``, run after a commit
outside the lock. Every concrete class registers its ``_KIND``, so nested
states of any kind read back with `accumulator_from_bytes`.
"""

import threading
from collections.abc import Iterator

from cymetrics._shared._params import invalid
from cymetrics.streaming import _serialization

__all__ = [
    "Accumulator",
    "CompactionWarning",
    "PicklesThroughBytes",
    "Wrapper",
    "accumulator_from_bytes",
    "empty_copy",
    "refuse_iterators",
    "register_kind",
    "same_configuration",
    "split_arrays",
]

_KINDS = {}


class CompactionWarning(UserWarning):
    """An exact score accumulator compacted itself into a bounded sketch."""


class Accumulator:
    """Base of the streaming accumulators (not public)."""

    _KIND = None
    # The data arrays ``update`` takes before ``sample_weight``; ``_prepare``
    # takes them, then the weights, then keywords such as ``groups``.
    _ARRAYS = ("y_true", "y_other")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_KIND"):
            register_kind(cls)

    def __init__(self):
        self._lock = threading.Lock()
        self._compacting = False
        self._state = self._empty_state()

    # -- hooks ------------------------------------------------------------
    def _empty_state(self):
        raise NotImplementedError

    def _add(self, state, batch):
        """The state with a prepared batch added (pure)."""
        raise NotImplementedError

    def _merge_states(self, state, other_state):
        """The state with another accumulator's state merged in (pure)."""
        raise NotImplementedError

    def _check_mergeable(self, other):
        """Raise ValueError if ``other`` has an incompatible configuration."""

    def _config(self):
        """Constructor keyword arguments."""
        return {}

    def _config_fields(self):
        """The configuration as serializable fields (read by `_config_from_fields`)."""
        return self._config()

    def _merge_family(self):
        """The class whose instances can be merged into this one."""
        return type(self)

    def _state_fields(self, state):
        raise NotImplementedError

    @classmethod
    def _state_from_fields(cls, fields, config):
        raise NotImplementedError

    @classmethod
    def _config_from_fields(cls, fields):
        return {}

    def _scaled(self, state, factor):
        """The state with every weight multiplied by ``factor`` (decay)."""
        raise TypeError(f"a {type(self).__name__} cannot be decayed")

    def _pruned(self, state, min_weight):
        """``(state, removed)``: entries of weight below ``min_weight`` dropped.

        ``removed`` is the total weight dropped from any one binary problem
        of the state (see `DecayedAccumulator`); states of bounded size keep
        everything and return 0.0.
        """
        return state, 0.0

    def _is_empty(self, state):
        """True if the state holds no sample (a decayed group that can go)."""
        return False

    def _needs_compaction(self, state):
        """Whether pending work should be compacted after a commit."""
        return False

    def _compacted(self, state):
        """The same data with pending work done (pure; runs outside the lock)."""
        return state

    def _rebased(self, current, snapshot, compacted):
        """``current`` with the compaction of ``snapshot`` swapped in where it applies."""
        return current

    # -- shared machinery -------------------------------------------------
    def _after_commit(self):
        """Compact outside the lock, one compaction at a time; other threads
        keep adding batches meanwhile, and the result is swapped in only
        where the state did not move (`_rebased`)."""
        with self._lock:
            if self._compacting or not self._needs_compaction(self._state):
                return
            self._compacting = True
            state = self._state
        try:
            compacted = self._compacted(state)
            with self._lock:
                self._state = self._rebased(self._state, state, compacted)
        finally:
            self._compacting = False

    def _holding(self, state):
        """A new accumulator of this configuration holding ``state``."""
        new = type(self)(**self._config())
        new._state = state
        return new

    def _commit(self, batch):
        with self._lock:
            self._state = self._add(self._state, batch)
        self._after_commit()
        return self

    def _snapshot(self):
        with self._lock:
            return self._state

    def merge(self, *others):
        """Add the data seen by other accumulators of the same kind to this one.

        The result is the state this accumulator would have after seeing
        all their data too; merging is associative and commutative (float
        weights up to rounding). ``others`` are not modified.

        Parameters
        ----------
        *others : accumulators of the same class and configuration

        Returns
        -------
        self
        """
        for other in others:
            if not isinstance(other, self._merge_family()):
                raise TypeError(
                    f"cannot merge a {type(other).__name__} into a {type(self).__name__}"
                )
            self._check_mergeable(other)
        states = [other._snapshot() for other in others]
        with self._lock:
            state = self._state
            for other_state in states:
                state = self._merge_states(state, other_state)
            self._state = state
        return self

    def reset(self):
        """Forget all data (the configuration is kept). Returns self."""
        with self._lock:
            self._state = self._empty_state()
        return self

    def copy(self):
        """An independent accumulator with the same configuration and data."""
        return self._holding(self._snapshot())

    def to_bytes(self):
        """The configuration and state in cymetrics' versioned binary format.

        The format is self-describing and uses no pickle; `from_bytes` reads
        it back and validates every field.

        Returns
        -------
        bytes
        """
        fields = dict(self._config_fields())
        fields.update(self._state_fields(self._snapshot()))
        return _serialization.dump(self._KIND, fields)

    @classmethod
    def from_bytes(cls, data):
        """Rebuild an accumulator from `to_bytes` output.

        Raises ValueError if the bytes are not an intact state of this class
        in a supported format version (truncated, corrupted, hostile sizes,
        negative counts, unsorted scores, non-finite values...).
        """
        fields = _serialization.Fields(_serialization.load(data, cls._KIND), cls._KIND)
        config = cls._config_from_fields(fields)
        try:
            new = cls(**config)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"corrupted {cls._KIND} state: {exc}") from exc
        new._state = cls._state_from_fields(fields, config)
        fields.done()
        return new

    def __reduce__(self):
        return (_restore, (type(self), self.to_bytes()))

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


def _restore(cls, data):
    return cls.from_bytes(data)


class PicklesThroughBytes:
    """Pickling and copying through ``to_bytes``/``from_bytes`` (no lock is
    pickled, and a restored object is checked like any other bytes)."""

    def __reduce__(self):
        return (type(self).from_bytes, (self.to_bytes(),))

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


class Wrapper(PicklesThroughBytes):
    """Base of the states that wrap a template accumulator (windows, decay):
    a registered kind, read back by `accumulator_from_bytes`."""

    _KIND = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_KIND"):
            register_kind(cls)

    @classmethod
    def _open(cls, data):
        """``(fields, template)`` of this kind's bytes."""
        fields = _serialization.Fields(_serialization.load(data, cls._KIND), cls._KIND)
        return fields, accumulator_from_bytes(fields.nested("template"), f"{cls._KIND} state")

    @classmethod
    def _construct(cls, *args, **kwargs):
        """``cls(*args, **kwargs)``; a refused configuration is corrupted bytes."""
        try:
            return cls(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"corrupted {cls._KIND} state: {exc}") from exc


def same_configuration(acc, template):
    """Whether ``acc`` is an accumulator of ``template``'s class and configuration."""
    return type(acc) is type(template) and (
        acc._holding(acc._empty_state()).to_bytes() == template._holding(
            template._empty_state()).to_bytes())


def register_kind(cls):
    """Make ``cls`` readable by `accumulator_from_bytes` (its ``_KIND``)."""
    _KINDS[cls._KIND] = cls
    return cls


def accumulator_from_bytes(data, what="state"):
    """Any registered state (accumulator, window, decay) from its bytes;
    ValueError names ``what``."""
    kind = _serialization.peek_kind(data)
    if kind not in _KINDS:
        raise ValueError(f"corrupted {what}: unknown accumulator kind {kind!r}")
    return _KINDS[kind].from_bytes(data)


def split_arrays(template, args, kwargs, func):
    """``(data, sample_weight, keywords)`` of a wrapper's ``update(*args, **kwargs)``
    for ``template``: its data arrays (``template._ARRAYS``), then the
    weights, positional or by keyword."""
    names = template._ARRAYS
    kwargs = dict(kwargs)
    if not len(names) <= len(args) <= len(names) + 1:
        raise TypeError(f"{func}() takes {', '.join(names)} and sample_weight=None "
                        f"(a {type(template).__name__} template); got {len(args)} arrays")
    weight = args[len(names)] if len(args) > len(names) else kwargs.pop("sample_weight", None)
    return list(args[:len(names)]), weight, kwargs


def refuse_iterators(**arrays):
    """A clear TypeError for generators and other one-shot iterators.

    A batch is read more than once (validated, then split or sliced), and a
    stream of batches is a sequence of ``update`` calls, so an iterator is
    refused rather than silently read as a 0-d object.
    """
    for name, value in arrays.items():
        if isinstance(value, Iterator):
            raise TypeError(
                f"{name} is a {type(value).__name__} (an iterator): pass an array or a "
                "list; feed a stream of batches with one update() call per batch"
            )


def empty_copy(template):
    """An empty accumulator configured like ``template`` (for the wrappers)."""
    if not isinstance(template, Accumulator):
        raise invalid("template", None, "an accumulator", template)
    return template.copy().reset()
