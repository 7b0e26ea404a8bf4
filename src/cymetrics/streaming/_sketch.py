"""Bounded-memory score state: sorted buckets of scores with their counts.

A score ``x`` (any real, as float64) has the unsigned key whose order is the
order of the reals (IEEE-754 bits, sign-flipped); the bucket of ``x`` at
shift ``s`` is ``key(x) >> s``. The map is monotone, so buckets are
disjoint intervals of scores in key order, and valid for any score (logits,
not only probabilities). Within a binade a bucket spans a fixed fraction of
the value, which makes the sketch scale-free like DDSketch.

The shift is the smallest one at which the buckets of all data seen fit in
``max_bins``; it only grows (more data never needs fewer buckets), so the
state is a function of the data alone and merging is associative and
commutative. At shift 0 every distinct float64 score has its own bucket:
the sketch is then exact.

Each bucket keeps the lowest and highest score it saw. Cutting at a bucket's
lowest score splits the data exactly, so the curves of the sketch are the
exact curves restricted to those thresholds, and only positive/negative
pairs inside a bucket holding several distinct scores are of unknown order.
"""

import numpy as np

from cymetrics._kernels import _streaming
from cymetrics.streaming._runs import Run

__all__ = ["SketchState", "order_keys"]

_MAX_SHIFT = 63


def order_keys(scores):
    """Order-preserving uint64 keys of float32/float64 scores."""
    out = np.empty(scores.shape[0], dtype=np.uint64)
    _streaming.order_keys(scores, out)
    return out


def _bucketed(arrays, shift):
    key, pos, neg, lo, hi = arrays
    n = key.shape[0]
    out = [np.empty(n, dtype=np.uint64), np.empty(n, dtype=pos.dtype),
           np.empty(n, dtype=pos.dtype), np.empty(n), np.empty(n)]
    m = _streaming.bucket_run(key, pos, neg, lo, hi, shift, *out)
    return tuple(a[:m].copy() for a in out)


def _fit(arrays, shift, max_bins):
    """Coarsen until at most ``max_bins`` buckets; return (arrays, shift).

    The smallest extra shift that fits, found by bisection: the number of
    buckets only falls as the shift grows, and at shift 63 it is at most 2
    (continuous scores need ~40 extra bits: a linear search costs 40 passes).
    """
    def fits(extra):
        return _streaming.count_distinct_buckets(arrays[0], extra) <= max_bins

    if fits(0):
        return arrays, shift
    low, high = 0, _MAX_SHIFT - shift  # fits(high); not fits(low)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if fits(mid) else (mid, high)
    return _bucketed(arrays, high), shift + high


class SketchState:
    """Immutable sketch: bucket keys, counts and score ranges, at one shift."""

    __slots__ = ("key", "pos", "neg", "lo", "hi", "shift", "max_bins")

    def __init__(self, key, pos, neg, lo, hi, shift, max_bins):
        self.key, self.pos, self.neg, self.lo, self.hi = key, pos, neg, lo, hi
        self.shift = shift
        self.max_bins = max_bins

    @classmethod
    def empty(cls, max_bins, count_dtype=np.int64):
        e = np.empty(0)
        return cls(np.empty(0, np.uint64), np.empty(0, count_dtype),
                   np.empty(0, count_dtype), e, e, 0, max_bins)

    @classmethod
    def from_run(cls, run, max_bins, shift=0):
        """Bucket an exact run at ``shift`` (or coarser if it does not fit)."""
        scores = np.ascontiguousarray(run.key, dtype=np.float64)
        arrays = (order_keys(scores), run.pos, run.neg, scores, scores)
        if shift:
            arrays = _bucketed(arrays, shift)
        arrays, shift = _fit(arrays, shift, max_bins)
        return cls(*arrays, shift, max_bins)

    @property
    def arrays(self):
        return self.key, self.pos, self.neg, self.lo, self.hi

    @property
    def nbytes(self):
        return sum(a.nbytes for a in self.arrays)

    @property
    def weighted(self):
        return self.pos.dtype.kind == "f"

    @property
    def n_bins(self):
        return self.key.shape[0]

    def _at_shift(self, shift, count_dtype):
        arrays = self.arrays
        if arrays[1].dtype != count_dtype:
            arrays = (arrays[0], arrays[1].astype(count_dtype),
                      arrays[2].astype(count_dtype), arrays[3], arrays[4])
        if shift > self.shift:
            arrays = _bucketed(arrays, shift - self.shift)
        return arrays

    def at_shift(self, shift):
        """The same data bucketed at a coarser (or the same) ``shift``."""
        if shift == self.shift:
            return self
        return SketchState(*self._at_shift(shift, self.pos.dtype), shift, self.max_bins)

    def merge(self, other):
        """Merge with another sketch (the smaller ``max_bins`` wins)."""
        max_bins = min(self.max_bins, other.max_bins)
        shift = max(self.shift, other.shift)
        count_dtype = np.result_type(self.pos.dtype, other.pos.dtype)
        a = self._at_shift(shift, count_dtype)
        b = other._at_shift(shift, count_dtype)
        n = a[0].shape[0] + b[0].shape[0]
        out = [np.empty(n, dtype=np.uint64), np.empty(n, dtype=count_dtype),
               np.empty(n, dtype=count_dtype), np.empty(n), np.empty(n)]
        m = _streaming.merge_runs(*a, *b, *out)
        arrays, shift = _fit(tuple(x[:m].copy() for x in out), shift, max_bins)
        return SketchState(*arrays, shift, max_bins)

    def add(self, run):
        """A new sketch with an exact run of new data added."""
        if run.key.shape[0] == 0:
            return self
        return self.merge(SketchState.from_run(run, self.max_bins, self.shift))

    def joint(self):
        """The buckets as a run keyed by their lowest score (None when empty)."""
        if self.key.shape[0] == 0:
            return None
        return Run(self.lo, self.pos, self.neg)

    @property
    def exact(self):
        """True when every bucket holds a single distinct score."""
        return bool(np.all(self.lo == self.hi))

    def uncertain_pairs(self):
        """Weight of positive/negative pairs sharing a multi-valued bucket."""
        multi = self.lo != self.hi
        return float(np.sum(self.pos[multi].astype(np.float64) * self.neg[multi]))

    def pruned(self, min_weight):
        """``(sketch, removed)``: buckets of total weight below ``min_weight`` dropped."""
        keep = (self.pos + self.neg) >= min_weight
        if keep.all():
            return self, 0.0
        removed = float(self.pos[~keep].sum() + self.neg[~keep].sum())
        return SketchState(self.key[keep], self.pos[keep], self.neg[keep], self.lo[keep],
                           self.hi[keep], self.shift, self.max_bins), removed

    def scaled(self, factor):
        pos = self.pos * float(factor)
        neg = self.neg * float(factor)
        keep = (pos != 0) | (neg != 0)
        return SketchState(self.key[keep], pos[keep], neg[keep], self.lo[keep],
                           self.hi[keep], self.shift, self.max_bins)
