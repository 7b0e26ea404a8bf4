"""Binary scores split by class and sorted: the one entry to the sweep kernels.

Every curve and ranking metric calls `sort_binary_scores` (or, for scores
split already, `sorted_pair`) and then walks the resulting `SortedScores`
with the kernels of `cymetrics._kernels._sweep`.

Sorting is cymetrics' own (`cymetrics._kernels._sort`), not numpy's, so its
speed does not hang on which SIMD sort numpy dispatches to:

* a few thousand scores: each class is split out and sorted whole (by
  numpy's in-place sort when unweighted: at that size it is as fast on
  every dispatch, and one call);
* more: one pass counts each class per value bucket (linear in the score
  between its minimum and maximum). When every bucket holds a single
  distinct score -- rounded probabilities, integer scores, tree ensembles --
  those counts are the sorted classes (the *counted* form: distinct scores
  with int64 counts, or float64 weight sums) and no score moves. Otherwise
  one pass moves the scores into their class's buckets and each bucket is
  sorted in cache; for the unweighted ROC AUC or average precision alone,
  the metric is taken bucket by bucket instead (`Ranked`). From
  ``SPLIT_AT`` scores on, each pass runs on two threads (halves of the
  samples, then of the buckets), and so does the sweep of a curve whose
  counts are integers (`SortedScores.points`: two parts cut at a value).
"""

from typing import NamedTuple

import numpy as np

from cymetrics._kernels import _sort, _sweep
from cymetrics._shared._parallel import SPLIT_AT, THREADS, both
from cymetrics._shared._validation import (
    check_consistent_length,
    check_not_empty,
    check_sample_weight,
    check_scores,
    raise_non_finite,
    scale_free,
)

__all__ = [
    "EXACT_PAIRS",
    "KEEP_ALL",
    "KEEP_CORNERS",
    "KEEP_TPS_ENDS",
    "KEEP_TPS_ENDS_AFTER_ORIGIN",
    "Ranked",
    "SortedScores",
    "sort_binary_scores",
    "sort_values",
    "sorted_pair",
    "split_binary_scores",
]

# Which curve points `SortedScores.points` keeps (``drop_intermediate``).
KEEP_ALL = _sweep.KEEP_ALL
KEEP_CORNERS = _sweep.KEEP_CORNERS
KEEP_TPS_ENDS = _sweep.KEEP_TPS_ENDS
KEEP_TPS_ENDS_AFTER_ORIGIN = _sweep.KEEP_TPS_ENDS_AFTER_ORIGIN

_NO_WEIGHTS = np.empty(0, dtype=np.float64)
_NO_SUMS = np.empty((0, 0), dtype=np.float64)
# The exact unweighted AUC numerator (twice the Mann-Whitney U) is an int64
# below 2 * n_pos * n_neg: class sizes whose product reaches this are counted
# in float64 instead.
EXACT_PAIRS = 2**61
# Up to this many scores, each class is split out and sorted whole.
_SMALL = 1 << 12
# Value buckets: a bucket of continuous scores then fits in cache up to
# ~10**8 scores, and scores rounded to 3 decimals get one bucket each.
_BUCKETS = 2048


class SortedScores(NamedTuple):
    """Each class's scores sorted ascending, with aligned weights if any.

    When ``weighted``, ``pos_w``/``neg_w`` hold float64 weights or, for the
    counted form, int64 counts of distinct scores.
    """

    pos: np.ndarray
    neg: np.ndarray
    pos_w: np.ndarray
    neg_w: np.ndarray
    total_pos: float
    total_neg: float
    weighted: bool
    thresholds_dtype: np.dtype

    def points(self, rule=KEEP_ALL, origin=False):
        """Cumulative ``(fps, tps, thresholds)`` at the distinct thresholds
        (decreasing) that ``rule`` keeps; with ``origin``, the point
        ``(0, 0)`` at threshold ``inf`` first and thresholds as float64."""
        offset = 1 if origin else 0
        # One sweep into outputs of the upper bound (every score distinct),
        # then shrunk in place: a counting pass first would double the cost
        # of the (branchy) merge. The untouched tail of a large np.empty is
        # never backed by memory, and resize gives it back (realloc).
        capacity = self.pos.shape[0] + self.neg.shape[0] + offset
        fps = np.empty(capacity)
        tps = np.empty(capacity)
        thresholds = np.empty(capacity, dtype=self.pos.dtype)
        outputs = (self.pos, self.neg, self.pos_w, self.neg_w, self.weighted, rule,
                   fps, tps, thresholds)
        split = self._split()
        if split is None:
            n = _sweep.sorted_sweep_points(*outputs, offset)
        else:
            # The scores above a value and those below it, on two threads;
            # then the lower part's points move up behind the upper part's.
            p, q = split
            upper = (p, self.pos.shape[0], q, self.neg.shape[0])
            room = capacity - offset - p - q
            n_upper, n_lower = both(_sweep.sorted_sweep_points, (*outputs, offset, upper),
                                    (*outputs, offset + room, (0, p, 0, q)))
            for a in (fps, tps, thresholds):
                a[offset + n_upper:offset + n_upper + n_lower] = a[offset + room:
                                                                   offset + room + n_lower]
            n = n_upper + n_lower
        for a in (fps, tps, thresholds):
            a.resize(n + offset, refcheck=False)  # owned, fresh: no other reference
        if origin:
            fps[0] = tps[0] = 0.0
            thresholds[0] = np.inf
            thresholds = thresholds.astype(np.float64, copy=False)
        return fps, tps, thresholds

    def _split(self):
        """Where to cut a long sweep in two by value: ``(p, q)``, the
        positives and negatives below the larger class's median score (no
        tie crosses it), or None (short, float weights -- their running
        sums depend on the order --, or no score below the median)."""
        n_pos, n_neg = self.pos.shape[0], self.neg.shape[0]
        if (n_pos + n_neg < SPLIT_AT or THREADS < 2
                or (self.weighted and self.pos_w.dtype.kind == "f")):
            return None
        larger = self.pos if n_pos >= n_neg else self.neg
        middle = larger[larger.shape[0] // 2]
        p = int(np.searchsorted(self.pos, middle))
        q = int(np.searchsorted(self.neg, middle))
        return (p, q) if p + q > 0 else None

    def curve(self):
        """Cumulative ``(fps, tps, thresholds)``, thresholds decreasing."""
        return self.points()

    def roc_auc(self, max_fpr=None):
        """ROC AUC; both classes must have positive total weight."""
        pos_w, neg_w, total_pos, total_neg = self._scale_free_weights()
        return _sweep.sorted_sweep_auc(
            self.pos, self.neg, pos_w, neg_w, total_pos, total_neg, self.weighted,
            1.0 if max_fpr is None else float(max_fpr),
        )

    def _scale_free_weights(self):
        """``(pos_w, neg_w, total_pos, total_neg)``, times an exact power of two
        when extreme (`scale_free`): the sweeps multiply and halve weights,
        and the AUC and AP do not depend on their scale."""
        if not self.weighted:
            return self.pos_w, self.neg_w, self.total_pos, self.total_neg
        pos_w, neg_w, totals = scale_free(self.pos_w, self.neg_w,
                                          [self.total_pos, self.total_neg])
        return pos_w, neg_w, float(totals[0]), float(totals[1])

    def average_precision(self):
        """Step-wise average precision; 0.0 when there is no positive."""
        if self.total_pos == 0:
            return 0.0
        pos_w, neg_w, total_pos, _ = self._scale_free_weights()
        ap = _sweep.sorted_sweep_average_precision(
            self.pos, self.neg, pos_w, neg_w, total_pos, self.weighted,
        )
        return max(0.0, ap)


class Ranked(NamedTuple):
    """One binary ranking metric taken while sorting (large unweighted
    input, see `sort_binary_scores`): the class totals and either the ROC
    AUC's Mann-Whitney counts (over the negatives, the sum of the number of
    positives strictly below each, and at or below it) or the average
    precision."""

    total_pos: float
    total_neg: float
    pairs: tuple | None = None
    ap: float | None = None

    def roc_auc(self, max_fpr=None):
        """The full ROC AUC, divided as the sweep kernel divides its exact
        int64 numerator."""
        if self.pairs is None or max_fpr is not None:
            raise ValueError("only the full ROC AUC was counted")
        n_pos, n_neg = int(self.total_pos), int(self.total_neg)
        below, at_or_below = self.pairs
        return float(2 * n_pos * n_neg - below - at_or_below) / (
            2.0 * float(n_pos) * float(n_neg))

    def average_precision(self):
        if self.ap is None:
            raise ValueError("the average precision was not computed")
        return max(0.0, self.ap)


def sort_values(scores, weights=None):
    """Sort float32/float64 ``scores`` ascending in place, ``weights``
    (float64) along; cymetrics' own sort (`cymetrics._kernels._sort`)."""
    room = min(scores.shape[0], _sort.SCRATCH)
    tmp = np.empty(room, dtype=scores.dtype)
    if weights is None:
        _sort.sort_values(scores, _NO_WEIGHTS, tmp, _NO_WEIGHTS)
    else:
        _sort.sort_values(scores, weights, tmp, np.empty(room))


def sorted_pair(pos, neg, pos_w=None, neg_w=None, thresholds_dtype=None):
    """`SortedScores` of scores split by class (and weights, or None),
    sorted in place. Class sizes whose product would overflow the exact
    int64 AUC numerator are counted in float64 instead."""
    if thresholds_dtype is None:
        thresholds_dtype = pos.dtype
    for values, weights in ((pos, pos_w), (neg, neg_w)):
        if weights is None and values.shape[0] <= _SMALL:
            # A few thousand scores: numpy's in-place sort is as fast as any
            # on every dispatch, and costs one call (per-call time counts here).
            values.sort()
        else:
            sort_values(values, weights)
    return _sorted_scores(pos, neg, pos_w, neg_w, thresholds_dtype)


def _sorted_scores(pos, neg, pos_w, neg_w, thresholds_dtype):
    if pos_w is None:
        n_pos, n_neg = pos.shape[0], neg.shape[0]
        if n_pos * n_neg < EXACT_PAIRS:
            return SortedScores(pos, neg, _NO_WEIGHTS, _NO_WEIGHTS, float(n_pos), float(n_neg),
                                False, thresholds_dtype)
        pos_w, neg_w = np.ones(n_pos), np.ones(n_neg)
    return SortedScores(pos, neg, pos_w, neg_w, float(pos_w.sum()), float(neg_w.sum()), True,
                        thresholds_dtype)


def sort_binary_scores(is_pos, y_score, sample_weight=None, *, counted=True, metric=None):
    """Validate scores and weights, split the scores by class, sort each class.

    Weighted input drops zero-weight samples, as scikit-learn does.
    ``counted``: the result may be the counted form (every consumer of
    ``pos_w``/``neg_w`` must read int64 counts). ``metric``: only that one
    ('roc_auc', full, or 'average_precision') is wanted, so large unweighted
    input may come back as `Ranked`, with only the smaller class (or the
    positives) of each bucket sorted.
    """
    scores, thresholds_dtype = check_scores(y_score)
    check_consistent_length(is_pos, scores)
    check_not_empty(scores.shape[0], "y_true, y_score")
    w = check_sample_weight(sample_weight, scores.shape[0], ravel_column=True)
    mask = np.ascontiguousarray(is_pos).view(np.uint8)
    if scores.shape[0] <= _SMALL:
        return sorted_pair(*split_binary_scores(mask, scores, w), thresholds_dtype)
    return _bucketed(mask, scores, w, thresholds_dtype, counted, metric)


def split_binary_scores(is_pos, scores, weights=None):
    """Split validated scores (and weights) by class in one pass, unsorted.

    Zero-weight samples are dropped; ``pos_w``/``neg_w`` are None when
    unweighted. Raises ValueError if a score is not finite (zero-weight
    samples included, as scikit-learn checks them too).
    """
    mask = np.ascontiguousarray(is_pos).view(np.uint8)
    n_pos = int(np.count_nonzero(mask))
    pos = np.empty(n_pos, dtype=scores.dtype)
    neg = np.empty(scores.shape[0] - n_pos, dtype=scores.dtype)
    if weights is None:
        if not _sweep.split_by_class(scores, mask, pos, neg):
            raise_non_finite(scores)
        return pos, neg, None, None
    pos_w = np.empty(n_pos, dtype=np.float64)
    neg_w = np.empty(neg.shape[0], dtype=np.float64)
    kept_pos, kept_neg, finite = _sweep.split_by_class_weighted(
        scores, mask, weights, pos, pos_w, neg, neg_w
    )
    if not finite:
        raise_non_finite(scores)
    return pos[:kept_pos], neg[:kept_neg], pos_w[:kept_pos], neg_w[:kept_neg]


# ---------------------------------------------------------------------------
# The bucketed sort
# ---------------------------------------------------------------------------
def _in_turn(work, parts):
    """``[work(*part) for part in parts]``, the second part on the other thread."""
    if len(parts) == 2:
        return list(both(work, parts[0], parts[1]))
    return [work(*part) for part in parts]


def _bucket_scale(scores):
    """``(lo, scale)`` of the bucket map ``(s - lo) * scale`` over the range
    of the scores (two SIMD passes of numpy; the exact range keeps the end
    buckets free of clamped outliers, so rounded scores get one bucket each)."""
    lo, hi = float(scores.min()), float(scores.max())
    if not (lo < hi and np.isfinite(hi - lo)):
        # One value, a span beyond float64, or non-finite scores (refused by
        # the count): one bucket.
        return (lo if np.isfinite(lo) else 0.0), 0.0
    return lo, _BUCKETS / (hi - lo)


def _bucketed(mask, scores, w, thresholds_dtype, counted, metric):
    n = scores.shape[0]
    weighted = w is not None
    w_arg = w if weighted else _NO_WEIGHTS
    lo, scale = _bucket_scale(scores)
    halves = [(0, n // 2), (n // 2, n)] if n >= SPLIT_AT and THREADS > 1 else [(0, n)]
    shape = (len(halves), 2, _BUCKETS)
    counts = np.zeros(shape, dtype=np.int64)
    sums = np.zeros(shape) if weighted else None
    low = np.full(shape[::2], np.inf, dtype=scores.dtype)
    high = np.full(shape[::2], -np.inf, dtype=scores.dtype)

    def count(t, start, stop):
        return _sort.bucket_counts(scores, mask, w_arg, start, stop, lo, scale, counts[t],
                                   _NO_SUMS if sums is None else sums[t], low[t], high[t])

    if not all(_in_turn(count, [(t, *h) for t, h in enumerate(halves)])):
        raise_non_finite(scores)
    total = counts.sum(axis=0)
    low, high = low.min(axis=0), high.max(axis=0)
    if counted and bool(np.all(low >= high)):
        return _counted_form(total, None if sums is None else sums.sum(axis=0), low,
                             thresholds_dtype)
    pos, neg, pos_w, neg_w, bounds = _scatter(mask, scores, w, lo, scale, counts, total, halves)
    n_pos, n_neg = pos.shape[0], neg.shape[0]
    if metric is not None and not weighted and 0 < n_pos * n_neg < EXACT_PAIRS:
        sizes = total.sum(axis=0)
        if metric == "roc_auc":
            pairs = _by_buckets(_sort.bucket_pairs, (pos, neg, bounds[1], bounds[0]),
                                sizes, low, high, False)
            return Ranked(float(n_pos), float(n_neg), pairs=pairs)
        # Each bucket's terms of the walk on two threads (the counts above
        # a bucket are known from the bucket counts), then added in order.
        above = np.zeros((2, _BUCKETS), dtype=np.int64)
        np.cumsum(total[:, :0:-1], axis=1, out=above[:, -2::-1])
        terms = np.empty(n_pos)
        _by_buckets(_sort.bucket_ap_terms, (pos, neg, bounds[1], bounds[0]), sizes, low, high,
                    False, above[1], above[0], terms, slots=2 * int(total[1].max()) + 1)
        return Ranked(float(n_pos), float(n_neg), ap=_sort.sum_in_order(terms) / float(n_pos))
    for c, values, w_c in ((1, pos, pos_w), (0, neg, neg_w)):
        _by_buckets(_sort.sort_buckets, (values, _NO_WEIGHTS if w_c is None else w_c, bounds[c]),
                    total[c], low, high, weighted)
    return _sorted_scores(pos, neg, pos_w, neg_w, thresholds_dtype)


def _counted_form(total, sums, values, thresholds_dtype):
    """`SortedScores` of buckets holding one distinct score each: the
    distinct scores with their int64 counts (or float64 weight sums)."""
    per_class = []
    for c in (1, 0):
        present = total[c] > 0
        amounts = total[c][present] if sums is None else sums[c][present]
        per_class.append((values[present], amounts))
    (pos, pos_c), (neg, neg_c) = per_class
    n_pos, n_neg = int(total[1].sum()), int(total[0].sum())
    if sums is None and n_pos * n_neg >= EXACT_PAIRS:
        pos_c, neg_c = pos_c.astype(np.float64), neg_c.astype(np.float64)
    weight_pos = float(n_pos) if sums is None else float(pos_c.sum())
    weight_neg = float(n_neg) if sums is None else float(neg_c.sum())
    return SortedScores(pos, neg, pos_c, neg_c, weight_pos, weight_neg, True, thresholds_dtype)


def _scatter(mask, scores, w, lo, scale, counts, total, halves):
    """Each class's scores (and weights) moved into their buckets; returns
    them and each class's bucket bounds, (2, B + 1)."""
    weighted = w is not None
    bounds = np.zeros((2, _BUCKETS + 1), dtype=np.int64)
    np.cumsum(total, axis=1, out=bounds[:, 1:])
    # Thread t starts each bucket after the bucket's samples of threads < t.
    cursor = bounds[None, :, :-1] + np.cumsum(counts, axis=0) - counts
    neg = np.empty(bounds[0, -1], dtype=scores.dtype)
    pos = np.empty(bounds[1, -1], dtype=scores.dtype)
    neg_w = np.empty(neg.shape[0]) if weighted else _NO_WEIGHTS
    pos_w = np.empty(pos.shape[0]) if weighted else _NO_WEIGHTS

    def scatter(t, start, stop):
        return _sort.bucket_scatter(scores, mask, w if weighted else _NO_WEIGHTS, start, stop,
                                    lo, scale, cursor[t], neg, neg_w, pos, pos_w)

    if not all(_in_turn(scatter, [(t, *h) for t, h in enumerate(halves)])):
        raise AssertionError("a bucket overflowed the space counted for it")
    return pos, neg, (pos_w if weighted else None), (neg_w if weighted else None), bounds


def _by_buckets(kernel, arrays, sizes, low, high, weighted, *outputs, slots=0):
    """``kernel(*arrays, low, high, first, last, *scratch, *outputs)`` over
    every bucket (``sizes``: scores per bucket), on two threads for large
    input, each taking about half the scores; ``slots``: int64 scratch per
    thread, if any. Returns the sums of the kernel's results (pair counts),
    or None."""
    cumulative = np.cumsum(sizes)
    largest = int(sizes.max(initial=0))
    room = min(largest, _sort.SCRATCH)
    if cumulative[-1] >= SPLIT_AT and THREADS > 1:
        split = int(np.searchsorted(cumulative, cumulative[-1] // 2)) + 1
        ranges = [(0, split), (split, _BUCKETS)]
    else:
        ranges = [(0, _BUCKETS)]

    def run(first, last):
        scratch = [np.empty(room, dtype=arrays[0].dtype)]
        if kernel is _sort.sort_buckets:
            scratch.append(np.empty(room if weighted else 0))
        scratch.append(np.empty(_sort.COUNT_SCRATCH, dtype=np.uint32))
        if slots:
            scratch.append(np.empty(slots, dtype=np.int64))
        return kernel(*arrays, low, high, first, last, *scratch, *outputs)

    found = _in_turn(run, ranges)
    if found[0] is None:
        return None
    return sum(f[0] for f in found), sum(f[1] for f in found)
