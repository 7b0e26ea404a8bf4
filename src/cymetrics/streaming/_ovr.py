"""One-vs-rest streaming accumulator of multiclass scores.

Each declared class keeps the exact binary state of ``y_true == class``
against its score column, and (for ``average='micro'``) one more state
pools every (class, sample) pair, as scikit-learn's micro average ravels
the binarized labels. The per-class states are ordinary binary score
states, so every binary curve is available per class.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._ranking._multiclass import average_classes, weighted_total_is_zero
from cymetrics._shared._labels import check_labels_1d
from cymetrics._shared._params import check_option, invalid
from cymetrics._shared._validation import check_consistent_length, check_sample_weight
from cymetrics.streaming._base import Accumulator
from cymetrics.streaming._confusion import check_labels_param
from cymetrics.streaming._scores import (
    ScoreAccumulator,
    compacted_score_state,
    rebased_score_state,
    score_batch,
)

__all__ = ["OvRScoreAccumulator"]

_BINARY = np.array([False, True])


class OvRState(NamedTuple):
    per_class: tuple  # one binary ScoreState per class
    pooled: object  # binary ScoreState of the ravelled pairs, or None
    class_weight: np.ndarray  # float64 (K,): total weight of y_true == class
    rows_sum_to_one: bool  # every y_score row summed to 1 (np.allclose)
    n_samples: int


def _binary_classes(is_pos):
    if is_pos.shape[0] == 0:
        return _BINARY[:0]
    n_pos = int(np.count_nonzero(is_pos))
    if n_pos == 0:
        return _BINARY[:1]
    return _BINARY[1:] if n_pos == is_pos.shape[0] else _BINARY


class OvRScoreAccumulator(Accumulator):
    """Exact streaming one-vs-rest accumulator of multiclass scores.

    Parameters
    ----------
    labels : array-like of shape (n_classes,)
        The classes, sorted, in the order of the columns of ``y_score``.
    track_micro : bool, default=True
        Also keep the pooled state that ``average='micro'`` needs (it
        doubles the update cost).

    Examples
    --------
    >>> from cymetrics.streaming import OvRScoreAccumulator
    >>> acc = OvRScoreAccumulator(labels=[0, 1, 2])
    >>> _ = acc.update([0, 1, 2, 2], [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3],
    ...                               [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
    >>> acc.roc_auc_score(average=None)
    array([1.   , 1.   , 0.875])
    """

    _KIND = "OvRScoreAccumulator"

    def __init__(self, labels, *, track_micro=True):
        labels_in = check_labels_1d(labels, "labels")
        self.labels = check_labels_param(labels_in)
        if not np.array_equal(self.labels, labels_in):
            raise invalid("labels", "OvRScoreAccumulator", "ordered labels", labels)
        if self.labels.shape[0] < 2:
            raise invalid("labels", "OvRScoreAccumulator", "at least 2 labels", labels)
        self.track_micro = bool(track_micro)
        self._rules = ScoreAccumulator()
        self._compacting = False
        super().__init__()

    def _empty_state(self):
        k = self.labels.shape[0]
        empty = self._rules._empty_state()
        return OvRState((empty,) * k, empty if self.track_micro else None,
                        np.zeros(k), True, 0)

    def _prepare(self, y_true, y_score, sample_weight):
        y = check_labels_1d(y_true, "y_true")
        scores = np.asarray(y_score)
        k = self.labels.shape[0]
        if scores.ndim != 2 or scores.shape[1] != k:
            raise ValueError(
                f"y_score must have shape (n_samples, {k}) for {k} labels; got "
                f"{scores.shape}"
            )
        check_consistent_length(y, scores)
        n = y.shape[0]
        w = check_sample_weight(sample_weight, n, allow_zero_total=True)
        codes = np.searchsorted(self.labels, y) if n else np.empty(0, np.intp)
        if n and ((y.dtype.kind == "U") != (self.labels.dtype.kind == "U") or np.any(
                self.labels[np.minimum(codes, k - 1)] != y)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
        onehot = codes[:, None] == np.arange(k)
        per_class = tuple(
            score_batch(onehot[:, c], scores[:, c], w, _binary_classes(onehot[:, c]))
            for c in range(k)
        )
        pooled = None
        if self.track_micro:
            flat = onehot.reshape(-1)
            pooled = score_batch(flat, scores.reshape(-1),
                                 None if w is None else np.repeat(w, k),
                                 _binary_classes(flat))
        class_weight = np.bincount(codes, weights=w, minlength=k).astype(np.float64)
        rows_ok = bool(n == 0 or np.allclose(1, scores.sum(axis=1)))
        return OvRState(per_class, pooled, class_weight, rows_ok, n)

    def _combine(self, state, other, combine):
        per_class = tuple(combine(a, b) for a, b in zip(state.per_class, other.per_class))
        pooled = None if state.pooled is None else combine(state.pooled, other.pooled)
        return OvRState(per_class, pooled, state.class_weight + other.class_weight,
                        state.rows_sum_to_one and other.rows_sum_to_one,
                        state.n_samples + other.n_samples)

    def _add(self, state, batch):
        return self._combine(state, batch, self._rules._add)

    def _merge_states(self, state, other):
        return self._combine(state, other, self._rules._merge_states)

    def _after_commit(self):
        with self._lock:
            state = self._state
            needy = [c for c, s in enumerate(state.per_class) if s.counts_need_compaction()]
            if state.pooled is not None and state.pooled.counts_need_compaction():
                needy.append(None)
            if self._compacting or not needy:
                return
            self._compacting = True
        try:
            self._compact(state, needy)
        finally:
            self._compacting = False

    def _compact(self, state, which):
        """Compact the given class states (None: the pooled one) outside the
        lock; swap each in unless it moved meanwhile."""
        done = {c: compacted_score_state(state.pooled if c is None else state.per_class[c])
                for c in which}
        with self._lock:
            current = self._state
            per_class = list(current.per_class)
            pooled = current.pooled
            for c, compacted in done.items():
                if c is None:
                    pooled = rebased_score_state(pooled, state.pooled, compacted)
                else:
                    per_class[c] = rebased_score_state(per_class[c], state.per_class[c],
                                                       compacted)
            self._state = current._replace(per_class=tuple(per_class), pooled=pooled)

    def _check_mergeable(self, other):
        if not (np.array_equal(self.labels, other.labels)
                and self.track_micro == other.track_micro):
            raise ValueError("cannot merge OvR accumulators with different labels or track_micro")

    def _scaled(self, state, factor):
        scale = self._rules._scaled
        return OvRState(
            tuple(scale(s, factor) for s in state.per_class),
            None if state.pooled is None else scale(state.pooled, factor),
            state.class_weight * float(factor), state.rows_sum_to_one, state.n_samples,
        )

    def update(self, y_true, y_score, sample_weight=None):
        """Add a batch of multiclass labels and per-class scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Labels, each one of ``labels``.
        y_score : array-like of shape (n_samples, n_classes)
            Scores, column ``k`` for ``labels[k]``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self
        """
        return self._commit(self._prepare(y_true, y_score, sample_weight))

    def for_class(self, label):
        """The binary `ScoreAccumulator` of ``y_true == label`` against its column.

        Examples
        --------
        >>> from cymetrics.streaming import OvRScoreAccumulator
        >>> acc = OvRScoreAccumulator(labels=["a", "b", "c"])
        >>> _ = acc.update(["a", "b", "c"], [[.5, .3, .2], [.2, .5, .3], [.3, .3, .4]])
        >>> acc.for_class("c").roc_auc_score()
        1.0
        """
        idx = np.flatnonzero(self.labels == label)
        if idx.shape[0] != 1:
            raise ValueError(f"{label!r} is not one of the labels {self.labels}")
        binary = ScoreAccumulator()
        binary._state = self._snapshot().per_class[int(idx[0])]
        return binary

    def _require_data(self, state):
        if state.n_samples == 0:
            raise ValueError(
                "Found empty input array y_true while a minimum of 1 sample is "
                "required: the accumulator has seen no data."
            )

    def _averaged(self, state, metric, average):
        if average == "micro":
            if state.pooled is None:
                raise ValueError("average='micro' needs an accumulator with track_micro=True")
            return metric(self._binary_of(state.pooled))
        if weighted_total_is_zero(average, state.class_weight):
            return 0.0
        scores = np.array([metric(self._binary_of(s)) for s in state.per_class])
        return average_classes(scores, average, state.class_weight)

    @staticmethod
    def _binary_of(score_state):
        binary = ScoreAccumulator()
        binary._state = score_state
        return binary

    def roc_auc_score(self, *, average="macro"):
        """One-vs-rest ROC AUC, as ``roc_auc_score(..., multi_class='ovr', labels=labels)``.

        Parameters
        ----------
        average : {'macro', 'weighted', 'micro'} or None, default='macro'

        Returns
        -------
        float, or ndarray of shape (n_classes,) when ``average=None``
        """
        check_option("average", average, ("micro", "macro", "weighted", None),
                     "roc_auc_score")
        state = self._snapshot()
        self._require_data(state)
        if not state.rows_sum_to_one:
            raise ValueError(
                "Target scores need to be probabilities for multiclass "
                "roc_auc, i.e. they should sum up to 1.0 over classes"
            )
        return self._averaged(state, lambda acc: acc.roc_auc_score(), average)

    def average_precision_score(self, *, average="macro"):
        """One-vs-rest average precision, as ``average_precision_score`` on multiclass input.

        Parameters
        ----------
        average : {'macro', 'weighted', 'micro'} or None, default='macro'
            ('samples' needs the per-sample scores, which no streaming
            state keeps.)

        Returns
        -------
        float, or ndarray of shape (n_classes,) when ``average=None``
        """
        check_option("average", average, ("micro", "macro", "weighted", None),
                     "average_precision_score")
        state = self._snapshot()
        self._require_data(state)
        return self._averaged(state, lambda acc: acc.average_precision_score(), average)

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"labels": self.labels, "track_micro": self.track_micro}

    def _config_fields(self):
        return {"labels": self.labels, "track_micro": int(self.track_micro)}

    @classmethod
    def _config_from_fields(cls, fields):
        labels = fields.array("labels", "biufU", 1)
        return {"labels": labels, "track_micro": bool(fields.integer("track_micro", 0, 1))}

    def _state_fields(self, state):
        fields = {
            "class_weight": state.class_weight,
            "rows_sum_to_one": int(state.rows_sum_to_one),
            "n_samples": state.n_samples,
            "pooled": None if state.pooled is None
            else self._binary_of(state.pooled).to_bytes(),
        }
        for c, s in enumerate(state.per_class):
            fields[f"class_{c}"] = self._binary_of(s).to_bytes()
        return fields

    @classmethod
    def _state_from_fields(cls, fields, config):
        k = config["labels"].shape[0]
        class_weight = fields.array("class_weight", "f", 1)
        if class_weight.shape != (k,) or not np.isfinite(class_weight).all() or (
                class_weight.min() < 0):
            raise ValueError(f"corrupted {cls._KIND} state: bad class weights")
        rows_ok = bool(fields.integer("rows_sum_to_one", 0, 1))
        n_samples = fields.integer("n_samples", 0)
        pooled_bytes = fields._get("pooled")
        if (pooled_bytes is None) == config["track_micro"]:
            raise ValueError(f"corrupted {cls._KIND} state: pooled state mismatch")
        pooled = None if pooled_bytes is None else _nested_state(pooled_bytes)
        per_class = tuple(_nested_state(fields.nested(f"class_{c}")) for c in range(k))
        if any(s.n_pos + s.n_neg != n_samples for s in per_class):
            raise ValueError(f"corrupted {cls._KIND} state: class states disagree")
        return OvRState(per_class, pooled, class_weight, rows_ok, n_samples)


def _nested_state(data):
    if not isinstance(data, bytes):
        raise ValueError("corrupted OvRScoreAccumulator state: bad nested state")
    binary = ScoreAccumulator.from_bytes(data)
    if binary.pos_label is not None or binary.memory_budget is not None:
        raise ValueError("corrupted OvRScoreAccumulator state: bad nested state")
    return binary._snapshot()
