"""One-vs-rest streaming accumulator of multiclass scores.

Each declared class keeps the exact binary state of ``y_true == class``
against its score column, and (for ``average='micro'``) one more state
pools every (class, sample) pair, as scikit-learn's micro average ravels
the binarized labels. The per-class states are ordinary binary score
states, so every binary curve is available per class.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._ranking._multiclass import (
    average_classes,
    one_vs_one_average,
    weighted_total_is_zero,
)
from cymetrics._shared._labels import check_labels_1d
from cymetrics._shared._params import check_bool, check_option, invalid
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
_BINARY.setflags(write=False)  # shared by every state: nobody may change it


class OvRState(NamedTuple):
    per_class: tuple  # one binary ScoreState per class
    pooled: object  # binary ScoreState of the ravelled pairs, or None
    class_weight: np.ndarray  # float64 (K,): total weight of y_true == class
    rows_sum_to_one: bool  # every y_score row summed to 1 (np.allclose)
    n_samples: int
    pairs: object = None  # track_ovo: binary ScoreState per ordered pair (a, b), or None

    def parts(self):
        """Every binary score state, keyed by (kind, index)."""
        keyed = [(("class", c), s) for c, s in enumerate(self.per_class)]
        if self.pooled is not None:
            keyed.append((("pooled", 0), self.pooled))
        if self.pairs is not None:
            keyed += [(("pair", i), s) for i, s in enumerate(self.pairs)]
        return keyed

    def with_parts(self, parts):
        """This state with some binary states replaced (``{key: state}``)."""
        per_class = list(self.per_class)
        pairs = None if self.pairs is None else list(self.pairs)
        pooled = self.pooled
        for (kind, i), state in parts.items():
            if kind == "class":
                per_class[i] = state
            elif kind == "pair":
                pairs[i] = state
            else:
                pooled = state
        return self._replace(per_class=tuple(per_class), pooled=pooled,
                             pairs=None if pairs is None else tuple(pairs))


def _ordered_pairs(k):
    return [(a, b) for a in range(k) for b in range(k) if a != b]


def _binary_classes(is_pos):
    if is_pos.shape[0] == 0:
        return _BINARY[:0]
    n_pos = int(np.count_nonzero(is_pos))
    if n_pos == 0:
        return _BINARY[:1]
    return _BINARY[1:] if n_pos == is_pos.shape[0] else _BINARY


class OvRScoreAccumulator(Accumulator):
    """Exact streaming accumulator of multiclass scores: one-vs-rest and one-vs-one.

    Parameters
    ----------
    labels : array-like of shape (n_classes,)
        The classes, sorted, in the order of the columns of ``y_score``.
    track_micro : bool, default=True
        Also keep the pooled state that ``average='micro'`` needs (it
        doubles the update cost).
    track_ovo : bool, default=False
        Also keep, for every ordered pair of classes ``(a, b)``, the binary
        state of column ``a`` over the samples of classes ``a`` and ``b``,
        which ``roc_auc_score(multi_class='ovo')`` needs. Each sample's
        scores are then held ``2 (n_classes - 1)`` times instead of
        ``n_classes`` times (and updates cost as much more).

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

    def __init__(self, labels, *, track_micro=True, track_ovo=False):
        labels_in = check_labels_1d(labels, "labels")
        self.labels = check_labels_param(labels_in)
        if not np.array_equal(self.labels, labels_in):
            raise invalid("labels", "OvRScoreAccumulator", "ordered labels", labels)
        if self.labels.shape[0] < 2:
            raise invalid("labels", "OvRScoreAccumulator", "at least 2 labels", labels)
        self.track_micro = check_bool("track_micro", track_micro, "OvRScoreAccumulator")
        self.track_ovo = check_bool("track_ovo", track_ovo, "OvRScoreAccumulator")
        self._rules = ScoreAccumulator()
        super().__init__()

    def _empty_state(self):
        k = self.labels.shape[0]
        empty = self._rules._empty_state()
        pairs = (empty,) * (k * (k - 1)) if self.track_ovo else None
        return OvRState((empty,) * k, empty if self.track_micro else None,
                        np.zeros(k), True, 0, pairs)

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
        pairs = _pair_batches(codes, scores, w) if self.track_ovo else None
        return OvRState(per_class, pooled, class_weight, rows_ok, n, pairs)

    def _combine(self, state, other, combine):
        parts = {key: combine(a, b) for (key, a), (_, b) in zip(state.parts(), other.parts())}
        return state.with_parts(parts)._replace(
            class_weight=state.class_weight + other.class_weight,
            rows_sum_to_one=state.rows_sum_to_one and other.rows_sum_to_one,
            n_samples=state.n_samples + other.n_samples)

    def _add(self, state, batch):
        return self._combine(state, batch, self._rules._add)

    def _merge_states(self, state, other):
        return self._combine(state, other, self._rules._merge_states)

    def _needs_compaction(self, state):
        return any(part.counts_need_compaction() for _, part in state.parts())

    def _compacted(self, state):
        return state.with_parts({key: compacted_score_state(part)
                                 for key, part in state.parts()
                                 if part.counts_need_compaction()})

    def _rebased(self, current, snapshot, compacted):
        return current.with_parts({
            key: rebased_score_state(cur, snap, comp) for (key, cur), (_, snap), (_, comp)
            in zip(current.parts(), snapshot.parts(), compacted.parts())})

    def _pruned(self, state, min_weight):
        removed = 0.0
        parts = {}
        for key, part in state.parts():
            parts[key], lost = self._rules._pruned(part, min_weight)
            removed = max(removed, lost)
        return state.with_parts(parts), removed

    def _check_mergeable(self, other):
        if not (np.array_equal(self.labels, other.labels)
                and self.track_micro == other.track_micro
                and self.track_ovo == other.track_ovo):
            raise ValueError(
                "cannot merge OvR accumulators with different labels, track_micro or track_ovo")

    def _scaled(self, state, factor):
        scale = self._rules._scaled
        return state.with_parts({key: scale(part, factor) for key, part in state.parts()}
                                )._replace(class_weight=state.class_weight * float(factor))

    def _is_empty(self, state):
        return state.n_samples == 0

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

        Examples
        --------
        >>> from cymetrics.streaming import OvRScoreAccumulator
        >>> acc = OvRScoreAccumulator(labels=[0, 1, 2])
        >>> _ = acc.update([0, 2, 1], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]])
        >>> acc.roc_auc_score()
        1.0
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
        if not state.class_weight.any():
            raise ValueError("Sample weights must contain at least one non-zero number.")

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

    def roc_auc_score(self, *, average="macro", multi_class="ovr"):
        """Multiclass ROC AUC, as ``roc_auc_score(..., multi_class=..., labels=labels)``.

        Parameters
        ----------
        average : {'macro', 'weighted', 'micro'} or None, default='macro'
            ('micro' is one-vs-rest only; with ``multi_class='ovo'``, None
            gives the symmetric matrix of pairwise scores, as
            `cymetrics.roc_auc_score` does.)
        multi_class : {'ovr', 'ovo'}, default='ovr'
            One-vs-rest, or Hand & Till's one-vs-one (needs
            ``track_ovo=True``).

        Returns
        -------
        float, or ndarray when ``average=None``

        Examples
        --------
        >>> from cymetrics.streaming import OvRScoreAccumulator
        >>> acc = OvRScoreAccumulator(labels=[0, 1, 2], track_ovo=True)
        >>> _ = acc.update([0, 1, 2, 2], [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3],
        ...                               [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
        >>> round(acc.roc_auc_score(multi_class="ovo"), 6)
        0.958333
        """
        check_option("multi_class", multi_class, ("ovr", "ovo"), "roc_auc_score")
        options = ("micro", "macro", "weighted", None) if multi_class == "ovr" else (
            "macro", "weighted", None)
        check_option("average", average, options, "roc_auc_score")
        if multi_class == "ovo" and not self.track_ovo:
            raise ValueError("multi_class='ovo' needs an accumulator with track_ovo=True")
        state = self._snapshot()
        self._require_data(state)
        if not state.rows_sum_to_one:
            raise ValueError(
                "Target scores need to be probabilities for multiclass "
                "roc_auc, i.e. they should sum up to 1.0 over classes"
            )
        if multi_class == "ovo":
            return self._one_vs_one(state, average)
        return self._averaged(state, lambda acc: acc.roc_auc_score(), average)

    def _one_vs_one(self, state, average):
        k = self.labels.shape[0]
        directed = np.full((k, k), np.nan)
        for (a, b), pair in zip(_ordered_pairs(k), state.pairs):
            directed[a, b] = self._binary_of(pair)._counts()[0].auc_or_nan()
        counts = np.array([s.n_pos for s in state.per_class])
        return one_vs_one_average(directed, counts, state.class_weight, average)

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

        Examples
        --------
        >>> from cymetrics.streaming import OvRScoreAccumulator
        >>> acc = OvRScoreAccumulator(labels=[0, 1, 2])
        >>> _ = acc.update([0, 1, 2, 2], [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3],
        ...                               [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
        >>> acc.average_precision_score(average=None)
        array([1.        , 1.        , 0.83333333])
        """
        check_option("average", average, ("micro", "macro", "weighted", None),
                     "average_precision_score")
        state = self._snapshot()
        self._require_data(state)
        return self._averaged(state, lambda acc: acc.average_precision_score(), average)

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"labels": self.labels, "track_micro": self.track_micro,
                "track_ovo": self.track_ovo}

    def _config_fields(self):
        return {"labels": self.labels, "track_micro": int(self.track_micro),
                "track_ovo": int(self.track_ovo)}

    @classmethod
    def _config_from_fields(cls, fields):
        labels = fields.array("labels", "biufU", 1)
        # States written before one-vs-one existed have no track_ovo field.
        track_ovo = "track_ovo" in fields and bool(fields.integer("track_ovo", 0, 1))
        return {"labels": labels, "track_micro": bool(fields.integer("track_micro", 0, 1)),
                "track_ovo": track_ovo}

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
        for i, s in enumerate(state.pairs or ()):
            fields[f"pair_{i}"] = self._binary_of(s).to_bytes()
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
        pairs = None
        if config["track_ovo"]:
            pairs = tuple(_nested_state(fields.nested(f"pair_{i}"))
                          for i in range(k * (k - 1)))
            for (a, b), s in zip(_ordered_pairs(k), pairs):
                if (s.n_pos, s.n_neg) != (per_class[a].n_pos, per_class[b].n_pos):
                    raise ValueError(f"corrupted {cls._KIND} state: pair states disagree")
        return OvRState(per_class, pooled, class_weight, rows_ok, n_samples, pairs)


def _pair_batches(codes, scores, w):
    """Per ordered pair (a, b): column ``a`` over the samples of classes a and b."""
    k = scores.shape[1]
    batches = []
    for a, b in _ordered_pairs(k):
        keep = (codes == a) | (codes == b)
        is_pos = codes[keep] == a
        batches.append(score_batch(is_pos, np.ascontiguousarray(scores[keep, a]),
                                   None if w is None else w[keep], _binary_classes(is_pos)))
    return tuple(batches)


def _nested_state(data):
    if not isinstance(data, bytes):
        raise ValueError("corrupted OvRScoreAccumulator state: bad nested state")
    binary = ScoreAccumulator.from_bytes(data)
    if binary.pos_label is not None or binary.memory_budget is not None:
        raise ValueError("corrupted OvRScoreAccumulator state: bad nested state")
    return binary._snapshot()
