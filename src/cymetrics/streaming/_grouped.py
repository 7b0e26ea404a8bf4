"""One accumulator per segment of a stream ("AUC by country", fairness slices).

The state maps each group key to a state of the template accumulator; it
is replaced, never changed in place, like every accumulator state, so a
grouped accumulator is itself an accumulator: it merges, serializes,
decays and serves as the template of a window like any other.
"""

import numbers

import numpy as np

from cymetrics._exceptions import InputTypeError, MixedLabelTypesError
from cymetrics._kernels import _streaming
from cymetrics._shared._labels import check_labels_1d
from cymetrics._shared._params import invalid
from cymetrics._shared._validation import check_consistent_length
from cymetrics.streaming._base import (
    Accumulator,
    accumulator_from_bytes,
    empty_copy,
    refuse_iterators,
    same_configuration,
    split_arrays,
)

__all__ = ["GroupedAccumulator", "group_keys"]


def group_keys(groups, n):
    """The group column as numbers or str, checked against ``n`` samples.

    None (or any object that is neither a number nor a str) is refused with
    an `InputTypeError`, NaN with a ValueError: neither can key a group.
    """
    refuse_iterators(groups=groups)
    raw = np.asarray(groups, dtype=object) if not isinstance(groups, np.ndarray) else groups
    if raw.dtype.kind == "O" and raw.size:
        flat = raw.reshape(-1)
        bad = [i for i, v in enumerate(flat)
               if not isinstance(v, (str, numbers.Number)) or isinstance(v, complex)]
        if bad:
            raise InputTypeError(
                f"group keys must be numbers or strings; groups[{bad[0]}] is "
                f"{flat[bad[0]]!r}"
            )
        raw = np.array(flat.tolist()).reshape(raw.shape)
    keys = check_labels_1d(raw, "groups")
    if keys.shape[0] != n:
        raise ValueError(f"groups has {keys.shape[0]} entries for {n} samples")
    return keys


def _split_by_group(groups, n):
    """(group values, index array per group) from one counting sort."""
    values, codes = np.unique(group_keys(groups, n), return_inverse=True)
    codes = np.ascontiguousarray(codes.reshape(-1), dtype=np.intp)
    order = np.empty(n, dtype=np.intp)
    offsets = np.empty(values.shape[0] + 1, dtype=np.intp)
    _streaming.group_order(codes, order, offsets)
    return values, [order[offsets[g]:offsets[g + 1]] for g in range(values.shape[0])]


def _take(a, idx):
    return None if a is None else a[idx]


def _check_key_kinds(state, keys):
    """Refuse string keys next to numeric ones (they do not sort together)."""
    if state and keys and isinstance(next(iter(state)), str) != isinstance(keys[0], str):
        raise MixedLabelTypesError("Mix of group types (string and number)")


class GroupedAccumulator(Accumulator):
    """Accumulators keyed by a segment column, all fed in one pass per batch.

    Each batch is split by group with one counting sort; every group's
    slice is validated and prepared before any state changes, so a bad
    batch leaves every group untouched. Merging merges group by group;
    `to_bytes` holds the template and every group's state.

    Parameters
    ----------
    template : accumulator
        An accumulator configured as wanted (its data is ignored); each
        new group starts from an empty copy. Not itself grouped.

    Examples
    --------
    >>> from cymetrics.streaming import GroupedAccumulator, ScoreAccumulator
    >>> by_country = GroupedAccumulator(ScoreAccumulator())
    >>> _ = by_country.update([0, 1, 0, 1], [0.2, 0.9, 0.7, 0.4],
    ...                       groups=["fr", "fr", "de", "de"])
    >>> by_country.compute("roc_auc_score")
    {'de': 0.0, 'fr': 1.0}
    """

    _KIND = "GroupedAccumulator"

    def __init__(self, template):
        if isinstance(template, GroupedAccumulator):
            raise invalid("template", "GroupedAccumulator", "an accumulator that is not grouped",
                          template)
        self._template = empty_copy(template)
        super().__init__()

    @property
    def template(self):
        """An empty accumulator configured as every group's.

        Examples
        --------
        >>> from cymetrics.streaming import GroupedAccumulator, ScoreAccumulator
        >>> GroupedAccumulator(ScoreAccumulator(pos_label="y")).template.pos_label
        'y'
        """
        return self._template.copy()

    @property
    def _ARRAYS(self):  # the template's data arrays
        return self._template._ARRAYS

    # -- state ------------------------------------------------------------
    def _empty_state(self):
        return {}

    def _prepare(self, *args, groups=None):
        if groups is None:
            raise TypeError("GroupedAccumulator.update() needs the groups= of the samples")
        data, sample_weight, _ = split_arrays(self._template, args, {}, "update")
        refuse_iterators(sample_weight=sample_weight,
                         **dict(zip(self._template._ARRAYS, data)))
        data = [np.asarray(a) for a in data]
        if data[0].ndim == 0:
            raise ValueError(f"{self._template._ARRAYS[0]} must be array-like")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)
            if sample_weight.ndim == 0:
                sample_weight = np.full(data[0].shape[0], sample_weight)
        check_consistent_length(*data, sample_weight)
        values, parts = _split_by_group(groups, data[0].shape[0])
        template = self._template
        return [(key, template._prepare(*(a[idx] for a in data), _take(sample_weight, idx)))
                for key, idx in zip(values.tolist(), parts)]

    def _add(self, state, batch):
        _check_key_kinds(state, [key for key, _ in batch])
        template = self._template
        new = dict(state)
        for key, part in batch:
            new[key] = template._add(state.get(key, template._empty_state()), part)
        return new

    def _merge_states(self, state, other):
        _check_key_kinds(state, list(other))
        new = dict(state)
        for key, part in other.items():
            new[key] = (self._template._merge_states(state[key], part) if key in state
                        else part)
        return new

    def _check_mergeable(self, other):
        if self._template.to_bytes() != other._template.to_bytes():
            raise ValueError("cannot merge grouped accumulators with different templates")

    def _scaled(self, state, factor):
        return {key: self._template._scaled(part, factor) for key, part in state.items()}

    def _pruned(self, state, min_weight):
        """Groups prune their own states; a group left with nothing goes."""
        new, removed = {}, 0.0
        for key, part in state.items():
            part, lost = self._template._pruned(part, min_weight)
            removed = max(removed, lost)
            if not self._template._is_empty(part):
                new[key] = part
        return new, removed

    def _is_empty(self, state):
        return not state

    def _needs_compaction(self, state):
        return any(self._template._needs_compaction(part) for part in state.values())

    def _compacted(self, state):
        template = self._template
        return {key: template._compacted(part) if template._needs_compaction(part) else part
                for key, part in state.items()}

    def _rebased(self, current, snapshot, compacted):
        new = dict(current)
        for key, part in snapshot.items():
            if key in current and compacted[key] is not part:
                new[key] = self._template._rebased(current[key], part, compacted[key])
        return new

    # -- public -------------------------------------------------------------
    def update(self, *arrays, groups, sample_weight=None):
        """Add a batch whose samples belong to the segments in ``groups``.

        Parameters
        ----------
        *arrays, sample_weight
            As the template's ``update`` (``y_true, y_score[, sample_weight]``
            for most templates).
        groups : array-like of shape (n_samples,)
            The segment of each sample (numbers or strings; None and NaN
            are refused).

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, GroupedAccumulator
        >>> GroupedAccumulator(ConfusionAccumulator()).update([0, 1], [0, 0], groups=[7, 8]).groups
        [7, 8]
        """
        if sample_weight is not None:
            arrays = (*arrays, sample_weight)
        return self._commit(self._prepare(*arrays, groups=groups))

    @property
    def groups(self):
        """The groups seen, sorted.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator, GroupedAccumulator
        >>> GroupedAccumulator(ConfusionAccumulator()).update([0, 1], [0, 0],
        ...                                                   groups=["b", "a"]).groups
        ['a', 'b']
        """
        return sorted(self._snapshot())

    def __getitem__(self, group):
        return self._template._holding(self._snapshot()[group])

    def __len__(self):
        return len(self._snapshot())

    def __repr__(self):
        return f"GroupedAccumulator({type(self._template).__name__}, groups={len(self)})"

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
        items = sorted(self._snapshot().items())
        holding = self._template._holding
        return {key: getattr(holding(part), method)(*args, **kwargs) for key, part in items}

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"template": self._template}

    def _config_fields(self):
        return {"template": self._template.to_bytes()}

    @classmethod
    def _config_from_fields(cls, fields):
        template = accumulator_from_bytes(fields.nested("template"), f"{cls._KIND} state")
        if isinstance(template, GroupedAccumulator):
            raise ValueError(f"corrupted {cls._KIND} state: a grouped template")
        return {"template": template}

    def _state_fields(self, state):
        items = sorted(state.items())
        fields = {"keys": np.asarray([key for key, _ in items]) if items else np.empty(0)}
        for i, (_, part) in enumerate(items):
            fields[f"group_{i}"] = self._template._holding(part).to_bytes()
        return fields

    @classmethod
    def _state_from_fields(cls, fields, config):
        template = config["template"]
        keys = fields.array("keys", "biufU", 1)
        if keys.shape[0] > 1 and not np.all(keys[1:] > keys[:-1]):
            raise ValueError(f"corrupted {cls._KIND} state: group keys not sorted and unique")
        if keys.dtype.kind == "f" and not np.isfinite(keys).all():
            raise ValueError(f"corrupted {cls._KIND} state: group keys not finite")
        state = {}
        for i, key in enumerate(keys.tolist()):
            acc = accumulator_from_bytes(fields.nested(f"group_{i}"), f"{cls._KIND} state")
            if not same_configuration(acc, template):
                raise ValueError(f"corrupted {cls._KIND} state: a group of another kind")
            state[key] = acc._snapshot()
        return state
