"""One accumulator per segment of a stream ("AUC by country", fairness slices)."""

import threading
from contextlib import ExitStack

import numpy as np

from cymetrics._exceptions import MixedLabelTypesError
from cymetrics._kernels import _streaming
from cymetrics._shared._labels import check_labels_1d
from cymetrics._shared._params import invalid
from cymetrics._shared._validation import check_consistent_length
from cymetrics.streaming import _serialization
from cymetrics.streaming._base import empty_copy
from cymetrics.streaming._confusion import ConfusionAccumulator
from cymetrics.streaming._ovr import OvRScoreAccumulator
from cymetrics.streaming._scores import ScoreAccumulator, ScoreSketch

__all__ = ["GroupedAccumulator"]

_KIND = "GroupedAccumulator"
_INNER = {cls._KIND: cls for cls in
          (ConfusionAccumulator, ScoreAccumulator, ScoreSketch, OvRScoreAccumulator)}


def _split_by_group(groups, n):
    """(group values, index array per group) from one counting sort."""
    groups = check_labels_1d(groups, "groups")
    if groups.shape[0] != n:
        raise ValueError(
            f"groups has {groups.shape[0]} entries for {n} samples"
        )
    values, codes = np.unique(groups, return_inverse=True)
    codes = np.ascontiguousarray(codes.reshape(-1), dtype=np.intp)
    order = np.empty(n, dtype=np.intp)
    offsets = np.empty(values.shape[0] + 1, dtype=np.intp)
    _streaming.group_order(codes, order, offsets)
    return values, [order[offsets[g]:offsets[g + 1]] for g in range(values.shape[0])]


def _take(a, idx):
    return None if a is None else a[idx]


class GroupedAccumulator:
    """Accumulators keyed by a segment column, all fed in one pass per batch.

    Each batch is split by group with one counting sort; every group's
    slice is validated and prepared before any state changes, so a bad
    batch leaves every group untouched.

    Parameters
    ----------
    template : accumulator
        An accumulator configured as wanted (its data is ignored); each
        new group starts from an empty copy.

    Examples
    --------
    >>> from cymetrics.streaming import GroupedAccumulator, ScoreAccumulator
    >>> by_country = GroupedAccumulator(ScoreAccumulator())
    >>> _ = by_country.update([0, 1, 0, 1], [0.2, 0.9, 0.7, 0.4],
    ...                       groups=["fr", "fr", "de", "de"])
    >>> by_country.compute("roc_auc_score")
    {'de': 0.0, 'fr': 1.0}
    """

    def __init__(self, template):
        self._template = empty_copy(template)
        self._lock = threading.Lock()
        self._groups = {}

    def update(self, y_true, y_other, sample_weight=None, *, groups):
        """Add a batch whose samples belong to the segments in ``groups``.

        Parameters
        ----------
        y_true, y_other, sample_weight
            As the template's ``update``.
        groups : array-like of shape (n_samples,)
            The segment of each sample (numbers or strings).

        Returns
        -------
        self
        """
        y_true = np.asarray(y_true)
        y_other = np.asarray(y_other)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)
            if sample_weight.ndim == 0:
                sample_weight = np.full(y_true.shape[0], sample_weight)
        if y_true.ndim == 0:
            raise ValueError("y_true must be array-like")
        check_consistent_length(y_true, y_other, sample_weight)
        values, parts = _split_by_group(groups, y_true.shape[0])
        template = self._template
        prepared = [
            (key, template._prepare(y_true[idx], y_other[idx], _take(sample_weight, idx)))
            for key, idx in zip(values.tolist(), parts)
        ]
        with self._lock:
            if self._groups and values.shape[0] and (
                    isinstance(next(iter(self._groups)), str) != (values.dtype.kind == "U")):
                raise MixedLabelTypesError("Mix of group types (string and number)")
            accs = [(self._groups.get(key) or template.copy(), batch) for key, batch in prepared]
            # Every group's lock is held while the new states are computed,
            # so the batch lands in all groups or (on error) in none.
            with ExitStack() as stack:
                for acc, _ in accs:
                    stack.enter_context(acc._lock)
                states = [acc._add(acc._state, batch) for acc, batch in accs]
                for (acc, _), state in zip(accs, states):
                    acc._state = state
            for (key, _), (acc, _) in zip(prepared, accs):
                self._groups[key] = acc
        for acc, _ in accs:
            acc._after_commit()
        return self

    def merge(self, *others):
        """Merge other grouped accumulators group by group. Returns self."""
        for other in others:
            if not isinstance(other, GroupedAccumulator):
                raise TypeError(f"cannot merge a {type(other).__name__} into a GroupedAccumulator")
        for other in others:
            with other._lock:
                items = list(other._groups.items())
            with self._lock:
                for key, acc in items:
                    if key in self._groups:
                        self._groups[key].merge(acc)
                    else:
                        self._groups[key] = acc.copy()
        return self

    def reset(self):
        """Forget every group. Returns self."""
        with self._lock:
            self._groups = {}
        return self

    @property
    def groups(self):
        """The groups seen, sorted."""
        with self._lock:
            return sorted(self._groups)

    def __getitem__(self, group):
        with self._lock:
            return self._groups[group]

    def __len__(self):
        with self._lock:
            return len(self._groups)

    def compute(self, method, *args, **kwargs):
        """``{group: accumulator.<method>(*args, **kwargs)}`` for every group.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, GroupedAccumulator
        >>> g = GroupedAccumulator(ConfusionAccumulator())
        >>> _ = g.update([0, 1, 1], [0, 1, 0], groups=[1, 1, 2])
        >>> g.compute("compute", "confusion_matrix", labels=[0, 1])
        {1: array([[1, 0],
               [0, 1]]), 2: array([[0, 0],
               [1, 0]])}
        """
        if not isinstance(method, str) or method.startswith("_"):
            raise invalid("method", "GroupedAccumulator.compute", "a public method name", method)
        with self._lock:
            items = sorted(self._groups.items())
        return {key: getattr(acc, method)(*args, **kwargs) for key, acc in items}

    def to_bytes(self):
        """Template, group keys and every group's state in the binary format."""
        with self._lock:
            items = sorted(self._groups.items())
        fields = {
            "template": self._template.to_bytes(),
            "keys": np.asarray([key for key, _ in items]) if items else np.empty(0),
        }
        for i, (_, acc) in enumerate(items):
            fields[f"group_{i}"] = acc.to_bytes()
        return _serialization.dump(_KIND, fields)

    @classmethod
    def from_bytes(cls, data):
        """Rebuild from `to_bytes` output; ValueError on anything else."""
        fields = _serialization.Fields(_serialization.load(data, _KIND), _KIND)
        template = _inner_from_bytes(fields.nested("template"))
        keys = fields.array("keys", "biufU", 1)
        if keys.shape[0] > 1 and not np.all(keys[1:] > keys[:-1]):
            raise ValueError(f"corrupted {_KIND} state: group keys not sorted and unique")
        new = cls(template)
        for i, key in enumerate(keys.tolist()):
            acc = _inner_from_bytes(fields.nested(f"group_{i}"))
            if type(acc) is not type(template) or acc._config_fields().keys() != (
                    template._config_fields().keys()):
                raise ValueError(f"corrupted {_KIND} state: a group of another kind")
            new._groups[key] = acc
        fields.done()
        return new

    def __reduce__(self):
        return (GroupedAccumulator.from_bytes, (self.to_bytes(),))


def _inner_from_bytes(data):
    kind = _serialization.peek_kind(data)
    if kind not in _INNER:
        raise ValueError(f"corrupted {_KIND} state: unknown accumulator kind {kind!r}")
    return _INNER[kind].from_bytes(data)
