"""Binary score accumulators: exact (`ScoreAccumulator`) and bounded (`ScoreSketch`).

Both hold the same state value: the sample totals and labels seen, and a
count state that is either exact (`ExactState`: distinct scores and their
counts) or a sketch (`SketchState`: buckets of scores). The exact state
turns into a sketch when it outgrows a memory budget, or when a sketch is
merged into it. A batch is validated and split by class before the lock is
taken, and only appended under it; compactions (sorting what is pending)
run outside the lock and are swapped in if the state did not move.
"""

import numbers
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import MixedLabelTypesError
from cymetrics._shared._labels import binary_target, resolve_pos_label
from cymetrics._shared._params import check_int, invalid
from cymetrics._shared._validation import (
    check_consistent_length,
    check_int64_total,
    check_sample_weight,
    check_scores,
)
from cymetrics._shared._warnings import warn
from cymetrics.streaming._base import Accumulator, CompactionWarning
from cymetrics.streaming._runs import ClassRun, ExactState, Run, canonical_class, split_batch
from cymetrics.streaming._score_counts import ScoreCounts, twice_mann_whitney
from cymetrics.streaming._sketch import SketchState, order_keys

__all__ = ["ScoreAccumulator", "ScoreSketch"]

_DEFAULT_MAX_BINS = 4096
# Rounding slack of the sketch's AUC interval (the bound itself is exact).
_INTERVAL_SLACK = 1e-12


class ScoreBatch(NamedTuple):
    """A validated batch: its scores split by class and what else is tracked."""

    chunk: object  # Chunk, or None for an empty batch
    run: object  # the chunk as a Run, when prepared for a sketch (else None)
    classes: np.ndarray
    n_pos: int
    n_neg: int
    thresholds_dtype: object  # np.dtype, or None for an empty batch


class ScoreState(NamedTuple):
    counts: object  # ExactState or SketchState
    classes: np.ndarray
    n_pos: int
    n_neg: int
    thresholds_dtype: object

    def counts_need_compaction(self):
        return isinstance(self.counts, ExactState) and self.counts.needs_compaction


def score_batch(is_pos, y_score, sample_weight, classes, as_run=False):
    """Validate scores and weights and split them by class (``as_run``: and sort)."""
    scores, thresholds_dtype = check_scores(y_score)
    check_consistent_length(is_pos, scores)
    n = scores.shape[0]
    w = check_sample_weight(sample_weight, n, allow_zero_total=True)
    n_pos = int(np.count_nonzero(is_pos))
    if n == 0:
        return ScoreBatch(None, None, classes, 0, 0, None)
    chunk = split_batch(is_pos, scores, w)
    run = chunk.run() if as_run and chunk.size else None
    return ScoreBatch(chunk, run, classes, n_pos, n - n_pos, thresholds_dtype)


def compacted_score_state(state):
    """``state`` with its pending chunks compacted (itself if none)."""
    counts = state.counts
    if not isinstance(counts, ExactState) or not counts.pending:
        return state
    return state._replace(counts=counts.compacted())


def rebased_score_state(current, snapshot, compacted):
    """``current`` with the compaction of ``snapshot`` swapped in, if it still applies."""
    if compacted is snapshot:
        return current
    if isinstance(current.counts, ExactState):
        rebased = current.counts.rebased(snapshot.counts, compacted.counts)
        if rebased is not None:
            return current._replace(counts=rebased)
    return current


def add_batch(counts, batch):
    """``counts`` (exact or sketch state) with a batch added."""
    if batch.chunk is None or batch.chunk.size == 0:
        return counts
    if isinstance(counts, ExactState):
        return counts.add(batch.chunk)
    return counts.add(batch.run if batch.run is not None else batch.chunk.run())


def union_classes(a, b, limit=2):
    """Sorted union of two label sets; at most ``limit`` labels of one kind."""
    if a.shape[0] == 0:
        return b
    if b.shape[0] == 0:
        return a
    if (a.dtype.kind == "U") != (b.dtype.kind == "U"):
        raise MixedLabelTypesError("Mix of label input types (string and number)")
    if set(b.tolist()) <= set(a.tolist()):  # the usual case: nothing new
        return a
    union = np.union1d(a, b)
    if limit is not None and union.shape[0] > limit:
        raise ValueError("multiclass format is not supported")
    return union


def _promote(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return np.result_type(a, b)


def merge_counts(a, b):
    """Merge two count states; exact with a sketch gives a sketch."""
    if isinstance(a, ExactState) and isinstance(b, ExactState):
        return a.merge(b)
    if isinstance(a, ExactState):
        a, b = b, a
    if isinstance(b, ExactState):
        run = b.joint()
        return a if run is None else a.add(run)
    return a.merge(b)


def _check_max_bins(max_bins):
    return check_int("max_bins", max_bins, "ScoreAccumulator", 2)


class ScoreAccumulator(Accumulator):
    """Exact streaming accumulator of binary scores.

    The state is the distinct scores seen, each with its positive and
    negative count (int64) or total weight (float64 once weights are
    given): memory grows with the number of distinct scores, not of
    samples. Every metric equals the one-shot function of
    ``cymetrics``/``sklearn.metrics`` on all data seen.

    Parameters
    ----------
    pos_label : int, float, bool or str, default=None
        The positive class. None means 1, with labels in {0, 1} or {-1, 1}.
    memory_budget : int, default=None
        If given (bytes), the state compacts itself into a `ScoreSketch`
        of ``max_bins`` buckets when it grows beyond the budget, with a
        `CompactionWarning`; `exact` then tells whether results are still
        exact.
    max_bins : int, default=4096
        Buckets of the sketch used after compaction.

    Examples
    --------
    >>> from cymetrics.streaming import ScoreAccumulator
    >>> acc = ScoreAccumulator()
    >>> acc.update([0, 0, 1], [0.1, 0.4, 0.35]).update([1], [0.8])
    ScoreAccumulator(n_samples=4, n_distinct=4, exact=True)
    >>> acc.roc_auc_score()
    0.75
    """

    _KIND = "ScoreAccumulator"

    def __init__(self, *, pos_label=None, memory_budget=None, max_bins=_DEFAULT_MAX_BINS):
        self.memory_budget = check_int("memory_budget", memory_budget, "ScoreAccumulator", 1,
                                       allow_none=True)
        if pos_label is not None and not isinstance(pos_label, (numbers.Number, str, np.generic)):
            raise invalid("pos_label", "ScoreAccumulator", "a number, a str or None", pos_label)
        self.pos_label = pos_label
        self.max_bins = _check_max_bins(max_bins)
        super().__init__()

    # -- state ------------------------------------------------------------
    def _empty_counts(self):
        return ExactState()

    def _empty_state(self):
        return ScoreState(self._empty_counts(), np.empty(0), 0, 0, None)

    def _positive_mask(self, y_true):
        target = binary_target(y_true)
        if target.y_type != "binary":
            raise ValueError(f"{target.y_type} format is not supported")
        if self.pos_label is None and target.classes.shape[0]:
            resolve_pos_label(target, None)
        return target.equals(1 if self.pos_label is None else self.pos_label), target.classes

    def _prepare(self, y_true, y_score, sample_weight):
        is_pos, classes = self._positive_mask(y_true)
        # A sketch takes sorted runs: sort here, before the lock is taken.
        as_run = isinstance(self._state.counts, SketchState)
        return score_batch(is_pos, y_score, sample_weight, classes, as_run)

    def _fit_budget(self, counts):
        if (self.memory_budget is not None and isinstance(counts, ExactState)
                and counts.nbytes > self.memory_budget):
            warn(
                f"ScoreAccumulator state reached {counts.nbytes} bytes (budget "
                f"{self.memory_budget}); compacted into a sketch of at most "
                f"{self.max_bins} buckets: results are now approximate (see "
                "roc_auc_interval).",
                CompactionWarning,
            )
            return SketchState.from_run(counts.joint(), self.max_bins)
        return counts

    def _combined(self, state, counts, classes, n_pos, n_neg, thresholds_dtype):
        classes = union_classes(state.classes, classes)
        if self.pos_label is None and classes.shape[0]:
            resolve_pos_label(SimpleNamespace(classes=classes), None)
        return ScoreState(
            self._fit_budget(counts), classes, state.n_pos + n_pos, state.n_neg + n_neg,
            _promote(state.thresholds_dtype, thresholds_dtype),
        )

    def _add(self, state, batch):
        counts = add_batch(state.counts, batch)
        return self._combined(state, counts, batch.classes, batch.n_pos, batch.n_neg,
                              batch.thresholds_dtype)

    def _merge_states(self, state, other):
        counts = merge_counts(state.counts, other.counts)
        if isinstance(counts, SketchState) and isinstance(state.counts, ExactState):
            warn(
                "merging a sketch into an exact ScoreAccumulator: the result is a sketch",
                CompactionWarning,
            )
        return self._combined(state, counts, other.classes, other.n_pos, other.n_neg,
                              other.thresholds_dtype)

    def _merge_family(self):
        return ScoreAccumulator

    def _check_mergeable(self, other):
        if not same_label(self.pos_label, other.pos_label):
            raise ValueError(
                f"cannot merge accumulators with pos_label {self.pos_label!r} and "
                f"{other.pos_label!r}"
            )

    def _scaled(self, state, factor):
        return state._replace(counts=state.counts.scaled(factor))

    def _pruned(self, state, min_weight):
        counts, removed = state.counts.pruned(min_weight)
        return state._replace(counts=counts), removed

    def _is_empty(self, state):
        return state.n_pos + state.n_neg == 0 or (
            isinstance(state.counts, ExactState) and state.counts.empty)

    def _needs_compaction(self, state):
        return state.counts_need_compaction()

    def _compacted(self, state):
        return compacted_score_state(state)

    def _rebased(self, current, snapshot, compacted):
        return rebased_score_state(current, snapshot, compacted)

    # -- public -------------------------------------------------------------
    def update(self, y_true, y_score, sample_weight=None):
        """Add a batch of binary labels and scores.

        Validation, sorting and counting run before the state is locked;
        bad input raises the one-shot functions' errors and leaves the state
        unchanged. An empty batch is a no-op.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Binary labels.
        y_score : array-like of shape (n_samples,)
            Finite scores; higher means more likely positive.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> ScoreAccumulator().update([0, 1, 1], [0.2, 0.9, 0.9]).n_distinct
        2
        """
        return self._commit(self._prepare(y_true, y_score, sample_weight))

    def _compacted_state(self):
        """The state with nothing pending: compacted outside the lock, then
        swapped in unless another compaction got there first."""
        state = self._snapshot()
        compacted = compacted_score_state(state)
        if compacted is not state:
            with self._lock:
                self._state = rebased_score_state(self._state, state, compacted)
        return compacted

    def _counts(self):
        state = self._compacted_state()
        counts = state.counts
        if isinstance(counts, SketchState):
            run = counts.joint()
            counts = None if run is None else ExactState.from_joint(run)
        return ScoreCounts(counts, state.n_pos, state.n_neg, state.classes.shape[0],
                           state.thresholds_dtype or np.dtype(np.float64)), state

    @property
    def exact(self):
        """True while every result is exact (always, unless compacted)."""
        counts = self._snapshot().counts
        return isinstance(counts, ExactState) or counts.exact

    @property
    def n_samples(self):
        """Number of samples seen (whatever their weight)."""
        state = self._snapshot()
        return state.n_pos + state.n_neg

    @property
    def n_distinct(self):
        """Number of distinct scores seen (buckets, for a sketch)."""
        run = self._compacted_state().counts.joint()
        return 0 if run is None else run.key.shape[0]

    @property
    def nbytes(self):
        """Bytes held by the score state (pending batches included)."""
        return self._snapshot().counts.nbytes

    @property
    def classes_(self):
        """The (at most two) labels seen in y_true, sorted (a copy: the state is shared)."""
        return self._snapshot().classes.copy()

    def __repr__(self):
        return (f"{type(self).__name__}(n_samples={self.n_samples}, "
                f"n_distinct={self.n_distinct}, exact={self.exact})")

    def roc_auc_score(self, *, max_fpr=None):
        """ROC AUC of the data seen, as `cymetrics.roc_auc_score`.

        The positive class is the accumulator's ``pos_label``.

        Parameters
        ----------
        max_fpr : float in (0, 1], default=None
            If given, the standardized partial AUC over [0, max_fpr].

        Returns
        -------
        float
            NaN with an `UndefinedMetricWarning` if y_true held one class.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).roc_auc_score()
        0.75
        """
        return self._counts()[0].roc_auc_score(max_fpr)

    def roc_auc_interval(self):
        """Bounds ``(lower, upper)`` that contain the exact ROC AUC.

        Equal to ``(auc, auc)`` while the state is exact. For a sketch,
        only positive/negative pairs that share a bucket holding several
        distinct scores are of unknown order; each such pair may count 0
        or 1 instead of the 0.5 of the estimate.

        Returns
        -------
        (float, float)

        Examples
        --------
        >>> from cymetrics.streaming import ScoreSketch
        >>> ScoreSketch(max_bins=2).update([0, 1, 0, 1], [1.0, 2.0, 3.0, 4.0]).roc_auc_interval()
        (0.5, 1.0)
        """
        counts, state = self._counts()
        auc = counts.roc_auc_score()
        if isinstance(state.counts, ExactState) or np.isnan(auc):
            return auc, auc
        return _auc_bounds(state.counts, auc)

    def average_precision_score(self):
        """Average precision of the data seen, as `cymetrics.average_precision_score`.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(acc.average_precision_score(), 4)
        0.8333
        """
        counts, state = self._counts()
        if (self.pos_label is not None and state.classes.shape[0] == 2
                and self.pos_label not in state.classes.tolist()):
            raise ValueError(
                f"pos_label={self.pos_label!r} is not a valid label. It should be one "
                f"of {state.classes}"
            )
        return counts.average_precision_score()

    def roc_curve(self, *, drop_intermediate=True):
        """ROC curve ``(fpr, tpr, thresholds)`` as `cymetrics.roc_curve`.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> acc.roc_curve()[0]
        array([0. , 0. , 0.5, 0.5, 1. ])
        """
        return self._counts()[0].roc_curve(drop_intermediate)

    def precision_recall_curve(self, *, drop_intermediate=False):
        """``(precision, recall, thresholds)`` as `cymetrics.precision_recall_curve`.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> acc.precision_recall_curve()[1]
        array([1. , 1. , 0.5, 0.5, 0. ])
        """
        return self._counts()[0].precision_recall_curve(drop_intermediate)

    def det_curve(self, *, drop_intermediate=False):
        """``(fpr, fnr, thresholds)`` as `cymetrics.det_curve`.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> acc.det_curve()[1]
        array([0. , 0.5, 0.5])
        """
        return self._counts()[0].det_curve(drop_intermediate)

    def confusion_matrix_at_thresholds(self):
        """``(tns, fps, fns, tps, thresholds)`` as `cymetrics.confusion_matrix_at_thresholds`.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> acc.confusion_matrix_at_thresholds()[3]
        array([1., 1., 2., 2.])
        """
        return self._counts()[0].confusion_matrix_at_thresholds()

    def as_weighted_sample(self, *, allow_sketch=False):
        """A small weighted sample with exactly the scores and counts of the data seen.

        One sample per distinct score and class, weighted by its count (or
        total weight), plus a zero-weight sample for each label of y_true
        that has none: a ranking or threshold function called on it with
        ``sample_weight`` (frequency weights, as everywhere in cymetrics)
        and the accumulator's ``pos_label`` equals the function on all the
        data seen, up to float rounding, errors and messages included. That
        is how DeLong's `cymetrics.roc_auc_ci`, `best_threshold` or a plot
        run from a state.

        Parameters
        ----------
        allow_sketch : bool, default=False
            A sketch keeps buckets, not scores: it is refused unless this is
            True, when each bucket stands at its lowest score (results are
            then those of the data with every score moved down to its
            bucket's lowest: approximate, see `exact`).

        Returns
        -------
        y_true : ndarray
            Labels: ``pos_label`` (1 by default) for positives, the other
            label seen for negatives.
        y_score : ndarray
            Distinct scores, in the dtype of the scores seen.
        sample_weight : ndarray
            int64 counts, or float64 weights.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 1, 1, 1], [0.2, 0.2, 0.9, 0.9])
        >>> acc.as_weighted_sample()
        (array([1, 0, 1]), array([0.2, 0.2, 0.9]), array([1, 1, 2]))
        """
        counts, state = self._counts()
        counts._require_data()
        if not allow_sketch and not isinstance(state.counts, ExactState):
            raise ValueError(
                f"{type(self).__name__} holds a sketch: its buckets do not give the "
                "scores of the samples (use an exact ScoreAccumulator)"
            )
        run = state.counts.joint()
        if run is None:
            run = Run(np.zeros(1), np.zeros(1, np.int64), np.zeros(1, np.int64))
        classes = state.classes
        pos_label = np.asarray(1 if self.pos_label is None else self.pos_label)
        if (classes.dtype.kind == "U") == (pos_label.dtype.kind == "U"):
            positive = pos_label.reshape(1).astype(classes.dtype)
            negative = classes[classes != pos_label][:1]
        else:  # a label of another kind: nothing was positive
            positive, negative = classes[:0], classes[:1]
        has = [run.pos != 0, run.neg != 0]
        y_true = np.concatenate([np.repeat(positive, has[0].sum()),
                                 np.repeat(negative, has[1].sum())])
        y_score = np.concatenate([run.key[has[0]], run.key[has[1]]])
        weight = np.concatenate([run.pos[has[0]], run.neg[has[1]]])
        # Labels of y_true without a counted sample still occur, with zero weight.
        absent = np.setdiff1d(classes, y_true) if classes.shape[0] else classes
        y_true = np.concatenate([y_true, absent])
        y_score = np.concatenate([y_score, np.full(absent.shape[0], run.key[0])])
        weight = np.concatenate([weight, np.zeros(absent.shape[0], weight.dtype)])
        order = np.argsort(y_score, kind="stable")
        dtype = state.thresholds_dtype
        if dtype.kind in "biuf":
            y_score = y_score.astype(dtype)
        return y_true[order], y_score[order], weight[order]

    def confusion_matrix(self, threshold):
        """2 x 2 matrix ``[[tn, fp], [fn, tp]]`` of the prediction ``score >= threshold``.

        Equals ``confusion_matrix(y_true == pos_label, y_score >= threshold)``
        on all data seen (int64 counts unless weighted). A sketch raises
        ValueError for a threshold inside a bucket of several scores.

        Examples
        --------
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> acc.confusion_matrix(0.35)
        array([[1, 1],
               [0, 2]])
        """
        counts, state = self._counts()
        if isinstance(state.counts, SketchState) and state.counts.n_bins:
            sketch = state.counts
            split = (sketch.lo < threshold) & (threshold <= sketch.hi)
            if split.any():
                b = int(np.flatnonzero(split)[0])
                raise ValueError(
                    f"threshold {threshold!r} falls inside a sketch bucket holding "
                    f"scores from {sketch.lo[b]!r} to {sketch.hi[b]!r}: its counts are "
                    "not known; pick a bucket boundary (a threshold of the curves)"
                )
        return counts.confusion_matrix(threshold)

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"pos_label": self.pos_label, "memory_budget": self.memory_budget,
                "max_bins": self.max_bins}

    def _config_fields(self):
        return {"pos_label": None if self.pos_label is None else np.asarray(self.pos_label),
                "memory_budget": self.memory_budget, "max_bins": self.max_bins}

    def _state_fields(self, state):
        counts = state.counts
        fields = {
            "classes": state.classes,
            "n_pos_samples": state.n_pos,
            "n_neg_samples": state.n_neg,
            "thresholds_dtype": None if state.thresholds_dtype is None
            else state.thresholds_dtype.str,
        }
        fields.update(counts_fields(counts))
        return fields

    @classmethod
    def _config_from_fields(cls, fields):
        memory_budget = fields.integer("memory_budget", 1, allow_none=True)
        max_bins = fields.integer("max_bins", 2, 2**40)
        pos_label = fields.label("pos_label")
        if isinstance(pos_label, np.generic):
            pos_label = pos_label.item()
        return {"pos_label": pos_label, "memory_budget": memory_budget, "max_bins": max_bins}

    @classmethod
    def _state_from_fields(cls, fields, config):
        classes = fields.array("classes", "biufU", 1)
        if classes.shape[0] > 2 or (classes.shape[0] == 2 and not classes[0] < classes[1]):
            raise ValueError(f"corrupted {cls._KIND} state: bad classes")
        if classes.dtype.kind == "f" and not np.isfinite(classes).all():
            raise ValueError(f"corrupted {cls._KIND} state: bad classes")
        n_pos = fields.integer("n_pos_samples", 0)
        n_neg = fields.integer("n_neg_samples", 0)
        dtype_str = fields.text("thresholds_dtype", allow_none=True)
        thresholds_dtype = _thresholds_dtype(dtype_str, cls._KIND)
        counts = counts_from_fields(fields, config["max_bins"], cls._KIND)
        _check_totals(counts, classes, n_pos, n_neg, thresholds_dtype, cls._KIND)
        return ScoreState(counts, classes, n_pos, n_neg, thresholds_dtype)


class ScoreSketch(ScoreAccumulator):
    """Bounded-memory streaming accumulator of binary scores.

    Scores are bucketed by a monotone map valid for any real score (the
    order of their float64 bits), at the finest resolution where all
    buckets seen fit in ``max_bins``; each bucket keeps its positive and
    negative counts and its lowest and highest score. Curves are the exact
    curves at the bucket boundaries; the AUC is reported with
    `roc_auc_interval`, which always contains the exact AUC; everything is
    exact while the distinct scores fit in ``max_bins``.

    Parameters
    ----------
    max_bins : int, default=4096
        Maximum number of buckets (40 bytes each).
    pos_label : int, float, bool or str, default=None
        The positive class. None means 1, with labels in {0, 1} or {-1, 1}.

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics.streaming import ScoreSketch
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(10_000) < 0.3
    >>> sketch = ScoreSketch(max_bins=256).update(y, rng.normal(size=10_000) + y)
    >>> lo, hi = sketch.roc_auc_interval()
    >>> bool(hi - lo < 0.02)
    True
    """

    _KIND = "ScoreSketch"

    def __init__(self, max_bins=_DEFAULT_MAX_BINS, *, pos_label=None):
        super().__init__(pos_label=pos_label, max_bins=max_bins)

    def _empty_counts(self):
        return SketchState.empty(self.max_bins)

    def _config(self):
        return {"pos_label": self.pos_label, "max_bins": self.max_bins}

    @classmethod
    def _config_from_fields(cls, fields):
        config = super()._config_from_fields(fields)
        if config.pop("memory_budget") is not None:
            raise ValueError(f"corrupted {cls._KIND} state: a sketch has no memory budget")
        return config


def _auc_bounds(sketch, auc):
    """Bounds on the exact AUC: each uncertain pair counts 0 or 1, not 0.5.

    With integer counts the bounds are the exact rationals
    ``(2 U -+ uncertain) / (2 P N)`` rounded once (Python ints divide
    correctly rounded), so rounding cannot push the exact AUC out.
    """
    pos, neg = sketch.pos, sketch.neg
    multi = sketch.lo != sketch.hi
    if not multi.any():
        return auc, auc
    exact = twice_mann_whitney(pos, neg) if pos.dtype.kind == "i" else None
    if exact is not None:
        twice_u, denom = exact
        uncertain = int(np.sum(pos[multi] * neg[multi]))
        return (twice_u - uncertain) / denom, (twice_u + uncertain) / denom
    half = 0.5 * sketch.uncertain_pairs() / (float(pos.sum()) * float(neg.sum()))
    slack = _INTERVAL_SLACK * max(auc, 1e-300)
    return max(0.0, auc - half - slack), min(1.0, auc + half + slack)


def same_label(a, b):
    """Two ``pos_label`` settings are the same (None, or equal labels of one kind)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) != isinstance(b, str):
        return False
    return bool(a == b)


def _check_totals(counts, classes, n_pos, n_neg, thresholds_dtype, kind):
    """The sample totals, classes and counts must describe the same data."""
    bad = (n_pos + n_neg > 0) != (thresholds_dtype is not None)
    bad |= (n_pos > 0 and n_neg > 0) and classes.shape[0] != 2
    bad |= (n_pos + n_neg > 0) and classes.shape[0] == 0
    if isinstance(counts, ExactState):
        # Each class's total as it is: merging the classes into the joint run
        # would cost more than loading the rest of the state.
        entries = counts.pos.key.shape[0] + counts.neg.key.shape[0]
        totals = (counts.pos.total, counts.neg.total, not counts.weighted) if entries else None
    else:
        run = counts.joint()  # a sketch's buckets: at most max_bins
        totals = None if run is None else (run.pos.sum().item(), run.neg.sum().item(),
                                           run.pos.dtype.kind == "i")
    if totals is not None:
        pos_total, neg_total, integer = totals
        if integer:  # unweighted: every sample counted once
            bad |= pos_total != n_pos or neg_total != n_neg
        else:  # weights are positive: a class with weight has samples
            bad |= (pos_total > 0 and n_pos == 0) or (neg_total > 0 and n_neg == 0)
    if bad:
        raise ValueError(f"corrupted {kind} state: counts and sample totals disagree")


def _thresholds_dtype(dtype_str, kind):
    if dtype_str is None:
        return None
    try:
        dtype = np.dtype(dtype_str)
    except (TypeError, ValueError, SyntaxError):  # np.dtype("<08") raises SyntaxError
        raise ValueError(f"corrupted {kind} state: bad thresholds dtype") from None
    if dtype.kind not in "biufO" or dtype.itemsize > 8:
        raise ValueError(f"corrupted {kind} state: bad thresholds dtype")
    return dtype


# -- count states <-> fields ---------------------------------------------------
def counts_fields(counts, prefix=""):
    """An exact state as its two class runs (mode 'classes': raw sorted scores
    cost what they cost in memory, 4 or 8 bytes a sample, instead of the 24
    bytes a distinct score of the joint form); a sketch as its buckets."""
    if isinstance(counts, ExactState):
        state = counts.compacted()
        pos, neg = canonical_class(state.pos), canonical_class(state.neg)
        return {prefix + "mode": "classes", prefix + "weighted": int(state.weighted),
                prefix + "pos_key": pos.key, prefix + "pos_count": pos.count,
                prefix + "neg_key": neg.key, prefix + "neg_count": neg.count}
    return {prefix + "mode": "sketch", prefix + "key": counts.key, prefix + "pos": counts.pos,
            prefix + "neg": counts.neg, prefix + "lo": counts.lo, prefix + "hi": counts.hi,
            prefix + "shift": counts.shift}


def _class_run(fields, side, weighted, kind):
    """One class's run of mode 'classes': raw (sorted scores) or counted
    (strictly increasing scores, positive int64 counts or float64 weights)."""
    key = fields.array(side + "_key", "f", 1)
    count = fields._get(side + "_count")
    bad = key.dtype not in (np.float32, np.float64) or not np.isfinite(key).all()
    if count is None:
        bad |= weighted or bool(key.shape[0] > 1 and np.any(key[1:] < key[:-1]))
    else:
        want = np.float64 if weighted else np.int64
        bad |= not isinstance(count, np.ndarray) or count.dtype != want or (
            count.shape != key.shape)
        bad = bad or not (np.isfinite(count).all() and np.all(count > 0)) or bool(
            key.shape[0] > 1 and np.any(key[1:] <= key[:-1]))
    if bad:
        raise ValueError(f"corrupted {kind} state: bad {side} scores or counts")
    if count is not None and not weighted:
        _check_int_total(count, kind)
    return ClassRun(key, count)


def _check_counts(pos, neg, n, kind):
    if pos.shape[0] != n or neg.shape[0] != n or pos.dtype != neg.dtype:
        raise ValueError(f"corrupted {kind} state: counts do not match the scores")
    if pos.dtype.kind == "f" and not (np.isfinite(pos).all() and np.isfinite(neg).all()):
        raise ValueError(f"corrupted {kind} state: non-finite counts")
    if n and (pos.min() < 0 or neg.min() < 0):
        raise ValueError(f"corrupted {kind} state: negative counts")
    if n and not np.all((pos > 0) | (neg > 0)):
        raise ValueError(f"corrupted {kind} state: an entry without samples")
    if pos.dtype.kind == "i":
        _check_int_total(np.concatenate([pos, neg]), kind)


def _check_int_total(counts, kind):
    """Integer counts total below 2**63, as every update keeps them: a wrapped
    total would read as a negative (or wrong) number of samples."""
    try:
        check_int64_total(counts, "counts")
    except ValueError:
        raise ValueError(f"corrupted {kind} state: counts total 2**63 or more") from None


def counts_from_fields(fields, max_bins, kind, prefix=""):
    mode = fields.text(prefix + "mode")
    if mode == "classes":
        weighted = bool(fields.integer(prefix + "weighted", 0, 1))
        return ExactState(_class_run(fields, prefix + "pos", weighted, kind),
                          _class_run(fields, prefix + "neg", weighted, kind), weighted=weighted)
    key_kinds = "f" if mode == "exact" else "u"
    key = fields.array(prefix + "key", key_kinds, 1)
    pos = fields.array(prefix + "pos", "if", 1)
    neg = fields.array(prefix + "neg", "if", 1)
    if pos.dtype.kind == "i" and pos.dtype != np.int64:
        raise ValueError(f"corrupted {kind} state: counts must be int64 or float64")
    if pos.dtype.kind == "f" and pos.dtype != np.float64:
        raise ValueError(f"corrupted {kind} state: counts must be int64 or float64")
    n = key.shape[0]
    _check_counts(pos, neg, n, kind)
    if mode == "exact":
        if key.dtype not in (np.float32, np.float64) or not np.isfinite(key).all() or (
                n > 1 and not np.all(key[1:] > key[:-1])):
            raise ValueError(f"corrupted {kind} state: scores not finite and strictly increasing")
        return ExactState.from_joint(Run(key, pos, neg))
    if mode != "sketch":
        raise ValueError(f"corrupted {kind} state: unknown mode {mode!r}")
    lo = fields.array(prefix + "lo", "f", 1)
    hi = fields.array(prefix + "hi", "f", 1)
    shift = fields.integer(prefix + "shift", 0, 63)
    if key.dtype != np.uint64 or lo.dtype != np.float64 or hi.dtype != np.float64 or (
            lo.shape[0] != n or hi.shape[0] != n):
        raise ValueError(f"corrupted {kind} state: bad sketch arrays")
    if n > max_bins:
        raise ValueError(f"corrupted {kind} state: more buckets than max_bins")
    if not (np.isfinite(lo).all() and np.isfinite(hi).all() and np.all(lo <= hi)
            and np.all(hi[:-1] < lo[1:]) and np.all(key[1:] > key[:-1])):
        raise ValueError(f"corrupted {kind} state: buckets not sorted")
    if not (np.array_equal(order_keys(lo) >> np.uint64(shift), key)
            and np.array_equal(order_keys(hi) >> np.uint64(shift), key)):
        raise ValueError(f"corrupted {kind} state: bucket keys do not match their scores")
    return SketchState(key, pos, neg, lo, hi, shift, max_bins)
