"""The exact score state: each class's scores, sorted, with their counts.

Each class keeps a `ClassRun`: its scores sorted ascending, either with a
count (or total weight) per distinct score, or "raw" (one entry per sample,
count 1) when that is smaller, i.e. when ties are rare. Raw uses 4 or 8
bytes a sample and the counted form 12 to 16 bytes a distinct score, so the
state never holds more than the counted form: memory grows with the
distinct scores, not the samples. Two raw unweighted classes are exactly
the sorted arrays the one-shot functions sweep, so they go through the same
kernel; the canonical form, for serialization and the sketch, is the joint
`Run` of distinct scores with positive and negative counts.

Merging every batch into the runs as it arrives would cost a pass over the
state per batch (O(n^2 / batch) in all), and a merge tree still log2 of
the number of batches passes. Instead a new batch stays pending, split by
class and unsorted, until pending samples outnumber the base (or 2**18):
compaction then sorts each class's pending scores at once (a value sort,
the fastest numpy has, when unweighted; an argsort like the one-shot
functions when weighted) and merges them into the base in one linear pass.
Every sample is sorted once, and merged into the base an amortised O(1)
times.

States are immutable values: adding builds a new state, so a failed update
leaves the old one untouched, and a compaction computed from a snapshot can
be swapped in only if nothing but new batches arrived meanwhile
(`ExactState.rebased`).
"""

from typing import NamedTuple

import numpy as np

from cymetrics._kernels import _streaming
from cymetrics._ranking._sorted import EXACT_PAIRS, SortedScores, split_binary_scores

__all__ = ["Chunk", "ClassRun", "ExactState", "Run", "canonical_class", "split_batch"]

EMPTY_F64 = np.empty(0, dtype=np.float64)
EMPTY_I64 = np.empty(0, dtype=np.int64)
# Pending samples may reach max(base entries, this) before a compaction.
PENDING_FLOOR = 2**18


class Run(NamedTuple):
    """Distinct ascending scores with positive and negative counts (the joint form).

    Counts are int64 (unweighted) or float64 (weighted), the same for both.
    """

    key: np.ndarray
    pos: np.ndarray
    neg: np.ndarray

    @property
    def nbytes(self):
        return self.key.nbytes + self.pos.nbytes + self.neg.nbytes


class ClassRun(NamedTuple):
    """One class's scores, ascending: distinct with counts, or raw (``count`` None)."""

    key: np.ndarray
    count: object  # int64 or float64 array aligned with key, or None: 1 per entry

    @property
    def nbytes(self):
        return self.key.nbytes + (0 if self.count is None else self.count.nbytes)

    @property
    def total(self):
        """Number (or total weight) of samples."""
        if self.count is None:
            return self.key.shape[0]
        return self.count.sum().item()

    def counts_or_empty(self, dtype):
        if self.count is None:
            return EMPTY_I64 if dtype == np.int64 else np.ones(self.key.shape[0])
        return self.count.astype(dtype, copy=False)

    def at_or_above(self, threshold):
        """Number (or weight) of samples scoring ``>= threshold`` (a float64)."""
        cut = int(np.searchsorted(self.key, threshold, side="left"))
        if self.count is None:
            return self.key.shape[0] - cut
        return self.count[cut:].sum()

    def astype(self, key_dtype):
        if self.key.dtype == key_dtype:
            return self
        return ClassRun(self.key.astype(key_dtype), self.count)


def _empty_class(dtype=np.float32):
    return ClassRun(np.empty(0, dtype=dtype), None)


class Chunk(NamedTuple):
    """One batch split by class; weights None when unweighted.

    Weighted chunks hold no zero-weight sample (they add no threshold).
    ``ascending``: each class is already sorted (a merged state's runs).
    """

    pos: np.ndarray
    neg: np.ndarray
    pos_w: object
    neg_w: object
    ascending: bool = False

    @property
    def size(self):
        return self.pos.shape[0] + self.neg.shape[0]

    @property
    def nbytes(self):
        extra = 0 if self.pos_w is None else self.pos_w.nbytes + self.neg_w.nbytes
        return self.pos.nbytes + self.neg.nbytes + extra

    def run(self):
        """The chunk as a joint run (sorted, ties collapsed)."""
        return ExactState(pending=(self,)).joint()


def split_batch(is_pos, scores, weights):
    """A `Chunk` of validated scores (float32/float64) and weights (or None).

    Raises ValueError if a score is not finite (checked on zero-weight
    samples too, as the one-shot functions do).
    """
    return Chunk(*split_binary_scores(is_pos, scores, weights))


def _trimmed(arrays, m):
    """Views of the first ``m`` entries; copies when that frees much memory."""
    if arrays and m < 0.9 * arrays[0].shape[0]:
        return [a[:m].copy() for a in arrays]
    return [a[:m] for a in arrays]


def _collapse(key, weight):
    """Distinct sorted ``key`` with counts (int64 when ``weight`` is empty int64)."""
    out = [np.empty(key.shape[0], dtype=key.dtype), np.empty(key.shape[0], dtype=weight.dtype)]
    m = _streaming.collapse_sorted(key, weight, *out)
    return ClassRun(*_trimmed(out, m))


def _counted_is_smaller(distinct, n, itemsize):
    return distinct * (itemsize + 8) < n * itemsize


def _compact_raw(key):
    """Raw sorted scores, counted instead if that is smaller (many ties)."""
    if _counted_is_smaller(_streaming.count_distinct_sorted(key), key.shape[0], key.itemsize):
        return _collapse(key, EMPTY_I64)
    return ClassRun(key, None)


def canonical_class(run):
    """An unweighted class run in the smaller of its two forms, a function of
    the data alone (compactions and merges may leave either form)."""
    if run.count is None or run.count.dtype.kind == "f":
        return _compact_raw(run.key) if run.count is None else run
    if _counted_is_smaller(run.key.shape[0], int(run.count.sum()), run.key.itemsize):
        return run
    return ClassRun(np.repeat(run.key, run.count), None)


def _merge_counted(a, b, dtype):
    """Merge two runs of one class into a counted run (counts of equal scores add)."""
    key_dtype = np.result_type(a.key.dtype, b.key.dtype)
    a, b = a.astype(key_dtype), b.astype(key_dtype)
    a_count, b_count = a.counts_or_empty(dtype), b.counts_or_empty(dtype)
    if a.count is None:
        a = _collapse(a.key, a_count)
        a_count = a.count
    if b.count is None:
        b = _collapse(b.key, b_count)
        b_count = b.count
    n = a.key.shape[0] + b.key.shape[0]
    out = [np.empty(n, dtype=a.key.dtype), np.empty(n, dtype=dtype)]
    m = _streaming.merge_runs(a.key, a_count, EMPTY_I64.astype(dtype), EMPTY_F64, EMPTY_F64,
                              b.key, b_count, EMPTY_I64.astype(dtype), EMPTY_F64, EMPTY_F64,
                              out[0], out[1], EMPTY_I64.astype(dtype), EMPTY_F64, EMPTY_F64)
    return ClassRun(*_trimmed(out, m))


def _compact_class(base, chunks, side, weighted):
    """One class's base merged with its pending scores."""
    key_dtype = np.result_type(base.key.dtype, *[getattr(c, side).dtype for c in chunks])
    base = base.astype(key_dtype)
    scores = np.concatenate([getattr(c, side).astype(key_dtype, copy=False) for c in chunks])
    # Pending runs that are each sorted (merged states) are merged, not
    # sorted again: numpy's stable sort (timsort) finds the runs.
    kind = "stable" if all(c.ascending for c in chunks) else None
    if not weighted:
        scores.sort(kind=kind)
        if base.count is None:
            merged = np.empty(base.key.shape[0] + scores.shape[0], dtype=key_dtype)
            _streaming.merge_sorted(base.key, scores, merged)
            return _compact_raw(merged)
        return _merge_counted(base, _compact_raw(scores), np.int64)
    weights = np.concatenate([
        np.ones(getattr(c, side).shape[0]) if c.pos_w is None else getattr(c, side + "_w")
        for c in chunks
    ])
    order = np.argsort(scores, kind=kind)
    new = _collapse(np.ascontiguousarray(scores[order]), np.ascontiguousarray(weights[order]))
    return _merge_counted(base, new, np.float64)


def _count_dtype(run):
    return None if run.count is None else run.count.dtype


class ExactState:
    """Immutable: each class's compacted run, plus the chunks that arrived since."""

    __slots__ = ("pos", "neg", "weighted", "pending", "pending_size", "_compacted")

    def __init__(self, pos=None, neg=None, pending=(), weighted=False):
        self.pos = _empty_class() if pos is None else pos
        self.neg = _empty_class() if neg is None else neg
        self.pending = tuple(c for c in pending if c.size)
        self.weighted = bool(weighted or any(c.pos_w is not None for c in self.pending))
        self.pending_size = sum(c.size for c in self.pending)
        # Not ``self`` when nothing is pending: a state referring to itself is a
        # cycle that only the cyclic garbage collector frees, and its arrays
        # (a whole batch's scores) would pile up between collections.
        self._compacted = None

    @classmethod
    def from_joint(cls, run):
        """The state of a joint run (as serialized)."""
        weighted = run.pos.dtype.kind == "f"
        classes = []
        for counts in (run.pos, run.neg):
            keep = counts != 0
            key, count = run.key[keep], counts[keep]
            if not weighted and np.all(count == 1):
                classes.append(ClassRun(key, None))
            else:
                classes.append(ClassRun(key, count))
        return cls(*classes, weighted=weighted)

    @property
    def empty(self):
        return self.pos.key.shape[0] + self.neg.key.shape[0] + self.pending_size == 0

    @property
    def nbytes(self):
        return self.pos.nbytes + self.neg.nbytes + sum(c.nbytes for c in self.pending)

    @property
    def needs_compaction(self):
        base = self.pos.key.shape[0] + self.neg.key.shape[0]
        return self.pending_size > max(base, PENDING_FLOOR)

    def add(self, chunk):
        """A new state with ``chunk`` pending."""
        if chunk.size == 0:
            return self
        new = ExactState.__new__(ExactState)
        new.pos, new.neg = self.pos, self.neg
        new.pending = self.pending + (chunk,)
        new.pending_size = self.pending_size + chunk.size
        new.weighted = self.weighted or chunk.pos_w is not None
        new._compacted = None
        return new

    def merge(self, other):
        """A new state holding the data of both."""
        other = other.compacted()
        as_chunk = Chunk(other.pos.key, other.neg.key,
                         other.pos.counts_or_empty(np.float64) if other.weighted else None,
                         other.neg.counts_or_empty(np.float64) if other.weighted else None,
                         ascending=True)
        if other.pos.count is None and other.neg.count is None:
            return ExactState(self.pos, self.neg, self.pending + (as_chunk,),
                              self.weighted or other.weighted)
        # Counted runs: merge them as they are (their samples are not at hand).
        state = self.compacted()
        weighted = state.weighted or other.weighted
        dtype = np.float64 if weighted else np.int64
        pos, neg = (_merge_counted(a, b, dtype) for a, b in ((state.pos, other.pos),
                                                             (state.neg, other.neg)))
        return ExactState(pos, neg, weighted=weighted)

    def compacted(self):
        """The same data with nothing pending (computed once)."""
        if not self.pending:
            return self
        if self._compacted is None:
            pos = _compact_class(self.pos, self.pending, "pos", self.weighted)
            neg = _compact_class(self.neg, self.pending, "neg", self.weighted)
            self._compacted = ExactState(pos, neg, weighted=self.weighted)
        return self._compacted

    def rebased(self, snapshot, compacted):
        """This state with ``snapshot``'s data replaced by its compaction.

        Valid only if this state is ``snapshot`` plus chunks added since
        (same base, pending extending it); returns None otherwise.
        """
        k = len(snapshot.pending)
        if self.pos is not snapshot.pos or self.neg is not snapshot.neg or (
                len(self.pending) < k) or any(
                a is not b for a, b in zip(self.pending, snapshot.pending)):
            return None
        return ExactState(compacted.pos, compacted.neg, self.pending[k:],
                          self.weighted or compacted.weighted)

    def joint(self):
        """The canonical joint run of distinct scores (None when empty)."""
        state = self.compacted()
        pos, neg = state.pos, state.neg
        n = pos.key.shape[0] + neg.key.shape[0]
        if n == 0:
            return None
        key_dtype = np.result_type(pos.key.dtype, neg.key.dtype)
        dtype = np.float64 if state.weighted else np.int64
        out = [np.empty(n, dtype=key_dtype), np.empty(n, dtype=dtype), np.empty(n, dtype=dtype)]
        m = _streaming.collapse_classes(
            pos.key.astype(key_dtype, copy=False), neg.key.astype(key_dtype, copy=False),
            pos.counts_or_empty(dtype) if pos.count is not None else _empty_counts(dtype),
            neg.counts_or_empty(dtype) if neg.count is not None else _empty_counts(dtype),
            *out)
        return Run(*_trimmed(out, m))

    def sorted_scores(self, thresholds_dtype):
        """The compacted classes as the sweep kernels' input (see `SortedScores`)."""
        state = self.compacted()
        pos, neg = state.pos, state.neg
        total_pos, total_neg = float(pos.total), float(neg.total)
        raw = pos.count is None and neg.count is None and not state.weighted
        if raw and pos.key.shape[0] * neg.key.shape[0] < EXACT_PAIRS:
            return SortedScores(pos.key, neg.key, EMPTY_F64, EMPTY_F64, total_pos, total_neg,
                                False, thresholds_dtype)
        return SortedScores(pos.key, neg.key, pos.counts_or_empty(np.float64),
                            neg.counts_or_empty(np.float64), total_pos, total_neg,
                            True, thresholds_dtype)

    def scaled(self, factor):
        """All counts times ``factor`` (float64); scores whose weight reaches 0 go."""
        run = self.joint()
        if run is None:
            return self
        return ExactState.from_joint(Run(run.key, run.pos * float(factor),
                                         run.neg * float(factor)))

    def pruned(self, min_weight):
        """``(state, removed)``: the scores whose total weight is below
        ``min_weight`` dropped, and the weight they held."""
        run = self.joint()
        if run is None:
            return self, 0.0
        keep = (run.pos + run.neg) >= min_weight
        if keep.all():
            return self, 0.0
        removed = float(run.pos[~keep].sum() + run.neg[~keep].sum())
        return ExactState.from_joint(Run(run.key[keep], run.pos[keep], run.neg[keep])), removed


def _empty_counts(dtype):
    return EMPTY_I64 if dtype == np.int64 else EMPTY_F64
