"""The distribution of a score, or of each column of a probability matrix.

No labels: what a deployed model emits before its labels arrive, and what
drift statistics compare (`cymetrics.monitoring`). Each column keeps the
exact score state of `ScoreAccumulator` with every sample counted as a
negative (distinct values with counts, or total weights), and turns into
the same bounded sketch past a memory budget.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._shared._params import check_int
from cymetrics._shared._validation import check_sample_weight, check_scores
from cymetrics.streaming._base import Accumulator, refuse_iterators
from cymetrics.streaming._runs import ExactState
from cymetrics.streaming._scores import (
    ScoreAccumulator,
    compacted_score_state,
    rebased_score_state,
    score_batch,
)
from cymetrics.streaming._sketch import SketchState

__all__ = ["DistributionAccumulator", "column_counts"]

_NEGATIVE = np.array([0])
_NEGATIVE.setflags(write=False)  # shared by every state: nobody may change it


class DistState(NamedTuple):
    columns: tuple  # one binary ScoreState per column, all samples negative
    n_samples: int


def column_counts(score_state):
    """``(values, weights, sketch)`` of a column: the distinct values with
    their counts (int64) or weights (float64), and the `SketchState` when
    the column is a sketch (then ``values`` are its buckets' lowest scores);
    ``(None, None, None)`` when empty."""
    counts = score_state.counts
    if isinstance(counts, SketchState):
        if counts.n_bins == 0:
            return None, None, None
        return counts.lo, counts.pos + counts.neg, counts
    run = counts.joint()
    if run is None:
        return None, None, None
    return run.key, run.pos + run.neg, None


class DistributionAccumulator(Accumulator):
    """Exact streaming distribution of scores (or of each probability column).

    Parameters
    ----------
    n_columns : int, default=None
        None: 1-D values. An int: 2-D values with that many columns (the
        probabilities of each class), one distribution per column.
    memory_budget : int, default=None
        If given (bytes per column), a column that outgrows it turns into a
        sketch of ``max_bins`` buckets (with a `CompactionWarning`), as in
        `ScoreAccumulator`; drift statistics then come with bounds.
    max_bins : int, default=4096
        Buckets of such a sketch.

    Examples
    --------
    >>> from cymetrics.streaming import DistributionAccumulator
    >>> scores = DistributionAccumulator().update([0.2, 0.7, 0.7]).update([0.9])
    >>> scores
    DistributionAccumulator(n_samples=4)
    >>> scores.values()
    (array([0.2, 0.7, 0.9]), array([1, 2, 1]))
    """

    _KIND = "DistributionAccumulator"
    _ARRAYS = ("values",)

    def __init__(self, n_columns=None, *, memory_budget=None, max_bins=4096):
        self.n_columns = check_int("n_columns", n_columns, "DistributionAccumulator", 1,
                                   allow_none=True)
        self._rules = ScoreAccumulator(memory_budget=memory_budget, max_bins=max_bins)
        self.memory_budget = self._rules.memory_budget
        self.max_bins = self._rules.max_bins
        super().__init__()

    @property
    def _width(self):
        return 1 if self.n_columns is None else self.n_columns

    def _empty_state(self):
        return DistState((self._rules._empty_state(),) * self._width, 0)

    def _prepare(self, values, sample_weight=None):
        refuse_iterators(values=values, sample_weight=sample_weight)
        x = np.asarray(values)
        if x.ndim != (1 if self.n_columns is None else 2) or (
                self.n_columns is not None and x.shape[1] != self.n_columns):
            want = "(n_samples,)" if self.n_columns is None else f"(n_samples, {self.n_columns})"
            raise ValueError(f"values must have shape {want}; got {x.shape}")
        n = x.shape[0]
        w = check_sample_weight(sample_weight, n, allow_zero_total=True)
        columns = x.reshape(n, self._width)
        negatives = np.zeros(n, dtype=bool)
        batches = []
        for c in range(self._width):
            scores, _ = check_scores(np.ascontiguousarray(columns[:, c]), "values")
            batches.append(score_batch(negatives, scores, w, _NEGATIVE[:min(n, 1)]))
        return DistState(tuple(batches), n)

    def _add(self, state, batch):
        add = self._rules._add
        return DistState(tuple(add(s, b) for s, b in zip(state.columns, batch.columns)),
                         state.n_samples + batch.n_samples)

    def _merge_states(self, state, other):
        merge = self._rules._merge_states
        return DistState(tuple(merge(s, o) for s, o in zip(state.columns, other.columns)),
                         state.n_samples + other.n_samples)

    def _check_mergeable(self, other):
        if (self.n_columns, self.memory_budget, self.max_bins) != (
                other.n_columns, other.memory_budget, other.max_bins):
            raise ValueError("cannot merge distributions of different configurations")

    def _scaled(self, state, factor):
        return state._replace(columns=tuple(self._rules._scaled(s, factor)
                                            for s in state.columns))

    def _pruned(self, state, min_weight):
        pruned = [self._rules._pruned(s, min_weight) for s in state.columns]
        return (state._replace(columns=tuple(s for s, _ in pruned)),
                max(removed for _, removed in pruned))

    def _is_empty(self, state):
        return all(self._rules._is_empty(s) for s in state.columns)

    def _needs_compaction(self, state):
        return any(s.counts_need_compaction() for s in state.columns)

    def _compacted(self, state):
        return state._replace(columns=tuple(compacted_score_state(s) for s in state.columns))

    def _rebased(self, current, snapshot, compacted):
        return current._replace(columns=tuple(
            rebased_score_state(c, s, k)
            for c, s, k in zip(current.columns, snapshot.columns, compacted.columns)))

    def update(self, values, sample_weight=None):
        """Add a batch of scores (or probability rows).

        Parameters
        ----------
        values : array-like of shape (n_samples,) or (n_samples, n_columns)
            Finite numbers.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator
        >>> DistributionAccumulator(n_columns=2).update([[0.3, 0.7], [0.6, 0.4]]).n_samples
        2
        """
        return self._commit(self._prepare(values, sample_weight))

    # -- results ------------------------------------------------------------
    @property
    def n_samples(self):
        """Number of samples seen (whatever their weight).

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator
        >>> DistributionAccumulator().update([0.1, 0.1], [2, 0]).n_samples
        2
        """
        return self._snapshot().n_samples

    @property
    def exact(self):
        """True while every column is exact (not compacted into a sketch).

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator
        >>> DistributionAccumulator(memory_budget=10**6).update([0.1, 0.7]).exact
        True
        """
        return all(isinstance(s.counts, ExactState) or s.counts.exact
                   for s in self._snapshot().columns)

    def __repr__(self):
        return f"DistributionAccumulator(n_samples={self.n_samples})"

    def column_states(self):
        """The state of each column (with pending batches compacted): binary
        score states whose samples are all negatives, for `column_counts`.

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator
        >>> len(DistributionAccumulator(n_columns=3).column_states())
        3
        """
        state = self._snapshot()
        compacted = self._compacted(state)
        if compacted is not state:
            with self._lock:
                self._state = self._rebased(self._state, state, compacted)
        return compacted.columns

    def values(self, column=0):
        """``(values, counts)``: the distinct values of a column, ascending,
        with their counts (or total weights).

        For a sketch, the lowest value of each bucket with its count.

        Examples
        --------
        >>> from cymetrics.streaming import DistributionAccumulator
        >>> DistributionAccumulator(n_columns=2).update([[0.3, 0.7], [0.6, 0.4]]).values(1)
        (array([0.4, 0.7]), array([1, 1]))
        """
        values, weights, _ = column_counts(self.column_states()[column])
        if values is None:
            return np.empty(0), np.empty(0, dtype=np.int64)
        return values, weights

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"n_columns": self.n_columns, "memory_budget": self.memory_budget,
                "max_bins": self.max_bins}

    @classmethod
    def _config_from_fields(cls, fields):
        return {"n_columns": fields.integer("n_columns", 1, 2**20, allow_none=True),
                "memory_budget": fields.integer("memory_budget", 1, allow_none=True),
                "max_bins": fields.integer("max_bins", 2, 2**40)}

    def _state_fields(self, state):
        fields = {"n_samples": state.n_samples}
        for c, s in enumerate(state.columns):
            fields[f"column_{c}"] = self._rules._holding(s).to_bytes()
        return fields

    @classmethod
    def _state_from_fields(cls, fields, config):
        n = fields.integer("n_samples", 0)
        width = 1 if config["n_columns"] is None else config["n_columns"]
        columns = []
        for c in range(width):
            column = ScoreAccumulator.from_bytes(fields.nested(f"column_{c}"))
            state = column._snapshot()
            if (column.pos_label is not None or state.n_pos or state.n_neg != n
                    or (column.memory_budget, column.max_bins)
                    != (config["memory_budget"], config["max_bins"])):
                raise ValueError(f"corrupted {cls._KIND} state: bad column {c}")
            columns.append(state)
        return DistState(tuple(columns), n)
