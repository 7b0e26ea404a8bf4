# Sorting scores split by class, in phases the Python layer can run on two
# threads (each phase over a range of samples or of buckets, GIL released).
#
# Scores of both classes share one bucketing, linear in the value over a
# range ``[lo, lo + B / scale]`` guessed by the caller (values outside are
# clamped into the end buckets): bucket ``b`` of ``s`` is
# ``floor((s - lo) * scale)``, a monotone map, so sorting each bucket sorts
# the class. One pass checks the scores, counts each class per bucket and
# keeps each bucket's smallest and largest score (`bucket_counts`): when
# every bucket holds one distinct value (rounded probabilities, integer
# scores) the counts ARE the sorted scores, and nothing is moved. Otherwise
# one pass moves each score to its class's bucket (`bucket_scatter`) and
# each bucket is sorted where it lies (`sort_buckets`), split again into
# equal-width sub-buckets over its known range, so that with about 2048
# buckets everything after the scatter happens in cache. For one metric of
# unweighted scores nothing needs to be sorted whole: `bucket_pairs` counts,
# bucket by bucket while it is in cache, the (positive, negative) pairs of
# the ROC AUC, and `bucket_ap_terms` the average precision's terms.
#
# Zero-weight samples are dropped (as scikit-learn drops them), after their
# score is checked to be finite.

from libc.math cimport isfinite
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t

from cymetrics._kernels._pointers cimport f64_out, scores_out, scores_ptr
from cymetrics._kernels._radix cimport (
    CACHE_CAP, INSERTION, LINEAR_MAX, cache_sort, flag_sort, insertion_sort, linear_digit,
    linear_sort,
)
from cymetrics._kernels._types cimport score_t

# Scratch the callers allocate: scores (and weights) for one bucket in
# cache, and the sub-bucket histogram (see `sort_buckets`; `_pairs_in`
# uses one more slot).
SCRATCH = CACHE_CAP
COUNT_SCRATCH = LINEAR_MAX + 2


cdef int _check_range(Py_ssize_t start, Py_ssize_t stop, Py_ssize_t n, Py_ssize_t n_mask,
                      Py_ssize_t n_w) except -1:
    if n_mask != n or (n_w != 0 and n_w != n):
        raise ValueError("is_pos and weight must have one entry per score")
    if not 0 <= start <= stop <= n:
        raise ValueError("need 0 <= start <= stop <= len(score)")
    return 0


def sort_values(score_t[::1] a, double[::1] w, score_t[::1] tmp, double[::1] tmp_w):
    """Sort ``a`` ascending in place, its weights ``w`` along (empty: none).

    ``tmp`` (and ``tmp_w`` when weighted) are scratch of at least
    ``min(len(a), CACHE_CAP)`` elements. No extra memory beyond them.
    """
    cdef Py_ssize_t m = a.shape[0], need = min(a.shape[0], <Py_ssize_t>CACHE_CAP)
    cdef bint weighted = w.shape[0] > 0
    if weighted and w.shape[0] != m:
        raise ValueError("w must be empty or as long as a")
    if tmp.shape[0] < need or (weighted and tmp_w.shape[0] < need):
        raise ValueError("scratch too short")
    if m < 2:
        return
    with nogil:
        flag_sort(&a[0], &w[0] if weighted else NULL, m, &tmp[0],
                  &tmp_w[0] if weighted else NULL)


cdef bint _count(
    const score_t* score, const uint8_t* is_pos, const double* weight,
    Py_ssize_t start, Py_ssize_t stop, double lo, double scale, Py_ssize_t n_buckets,
    int64_t* counts, double* sums, score_t* low, score_t* high,
) noexcept nogil:
    cdef Py_ssize_t k, b
    cdef bint finite = True
    cdef score_t s
    cdef double wk = 0.0
    for k in range(start, stop):
        s = score[k]
        finite &= isfinite(s)
        if weight != NULL:
            wk = weight[k]
            if wk == 0.0:
                continue
        b = linear_digit(s, lo, scale, n_buckets - 1)
        # Row 0 negatives, row 1 positives: no branch on the class.
        b += n_buckets * (is_pos[k] != 0)
        counts[b] += 1
        if weight != NULL:
            sums[b] += wk
        b -= n_buckets * (is_pos[k] != 0)
        low[b] = s if s < low[b] else low[b]
        high[b] = s if s > high[b] else high[b]
    return finite


def bucket_counts(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    const double[::1] weight,
    Py_ssize_t start,
    Py_ssize_t stop,
    double lo,
    double scale,
    int64_t[:, ::1] counts,
    double[:, ::1] sums,
    score_t[::1] low,
    score_t[::1] high,
):
    """Count the kept samples of ``[start, stop)`` per class and bucket.

    ``counts[c, b]`` (class 0 negatives, 1 positives) and, when weighted,
    ``sums[c, b]`` (their weights, in sample order) are added to; ``low[b]``
    and ``high[b]`` are lowered/raised to the bucket's smallest and largest
    score (the caller starts them at +inf/-inf). Returns whether every
    score of the range (zero weights included) is finite; when not, the
    outputs are meaningless.
    """
    cdef Py_ssize_t n_buckets = counts.shape[1]
    cdef bint weighted = weight.shape[0] > 0, finite
    _check_range(start, stop, score.shape[0], is_pos.shape[0], weight.shape[0])
    if counts.shape[0] != 2 or n_buckets == 0 or low.shape[0] != n_buckets \
            or high.shape[0] != n_buckets:
        raise ValueError("counts must be (2, B) and low, high (B,)")
    if weighted and (sums.shape[0] != 2 or sums.shape[1] != n_buckets):
        raise ValueError("sums must be (2, B) when weighted")
    if start == stop:
        return True
    with nogil:
        finite = _count(&score[0], &is_pos[0], &weight[0] if weighted else NULL, start, stop,
                        lo, scale, n_buckets, &counts[0, 0],
                        &sums[0, 0] if weighted else NULL, &low[0], &high[0])
    return finite


cdef bint _scatter(
    const score_t* score, const uint8_t* is_pos, const double* weight,
    Py_ssize_t start, Py_ssize_t stop, double lo, double scale,
    int64_t* cursor, Py_ssize_t n_buckets,
    score_t* neg, double* neg_w, uint64_t n_neg, score_t* pos, double* pos_w, uint64_t n_pos,
) noexcept nogil:
    cdef Py_ssize_t k, b, at
    cdef score_t s
    cdef score_t* out[2]
    cdef double* out_w[2]
    cdef uint64_t size[2]
    cdef bint c
    out[0], out[1] = neg, pos
    out_w[0], out_w[1] = neg_w, pos_w
    size[0], size[1] = n_neg, n_pos
    for k in range(start, stop):
        if weight != NULL and weight[k] == 0.0:
            continue
        s = score[k]
        c = is_pos[k] != 0
        b = linear_digit(s, lo, scale, n_buckets - 1) + n_buckets * c
        at = cursor[b]
        if <uint64_t>at >= size[c]:
            return False
        cursor[b] = at + 1
        out[c][at] = s
        if weight != NULL:
            out_w[c][at] = weight[k]
    return True


def bucket_scatter(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    const double[::1] weight,
    Py_ssize_t start,
    Py_ssize_t stop,
    double lo,
    double scale,
    int64_t[:, ::1] cursor,
    score_t[::1] neg,
    double[::1] neg_w,
    score_t[::1] pos,
    double[::1] pos_w,
):
    """Move each kept score of ``[start, stop)`` (and weight) to its class's
    bucket: ``cursor[c, b]`` is where the next one goes (and advances).

    Same bucketing as `bucket_counts`. Returns False, leaving the outputs
    incomplete, if a cursor points outside its output.
    """
    cdef bint weighted = weight.shape[0] > 0, ok
    _check_range(start, stop, score.shape[0], is_pos.shape[0], weight.shape[0])
    if cursor.shape[0] != 2 or cursor.shape[1] == 0:
        raise ValueError("cursor must be (2, B)")
    if weighted and (neg_w.shape[0] != neg.shape[0] or pos_w.shape[0] != pos.shape[0]):
        raise ValueError("weight outputs must match the score outputs")
    if start == stop:
        return True
    with nogil:
        ok = _scatter(&score[0], &is_pos[0], &weight[0] if weighted else NULL, start, stop,
                      lo, scale, &cursor[0, 0], cursor.shape[1],
                      scores_out(neg), f64_out(neg_w), neg.shape[0],
                      scores_out(pos), f64_out(pos_w), pos.shape[0])
    return ok


cdef inline void _sort_bucket(score_t* a, double* w, Py_ssize_t m, double lo, double hi,
                              score_t* tmp, double* tmp_w, uint32_t* count) noexcept nogil:
    if m < 2:
        return
    if m <= CACHE_CAP:
        linear_sort(a, w, m, lo, hi, tmp, tmp_w, count)
    else:
        flag_sort(a, w, m, tmp, tmp_w)


cdef int _check_buckets(
    Py_ssize_t n, const int64_t[::1] bounds, Py_ssize_t n_low, Py_ssize_t n_high,
    Py_ssize_t first, Py_ssize_t last, Py_ssize_t room, Py_ssize_t n_count,
) except -1:
    cdef Py_ssize_t b, n_buckets = bounds.shape[0] - 1
    if n_low != n_buckets or n_high != n_buckets or not 0 <= first <= last <= n_buckets:
        raise ValueError("need low/high per bucket and 0 <= first <= last <= B")
    if n_count < COUNT_SCRATCH:
        raise ValueError("count scratch too short")
    for b in range(first, last):
        if not 0 <= bounds[b] <= bounds[b + 1] <= n:
            raise ValueError("bucket bounds outside the array")
        if bounds[b + 1] - bounds[b] > room and room < CACHE_CAP:
            raise ValueError("scratch too short")
    return 0


def sort_buckets(
    score_t[::1] a,
    double[::1] w,
    const int64_t[::1] bounds,
    const score_t[::1] low,
    const score_t[::1] high,
    Py_ssize_t first,
    Py_ssize_t last,
    score_t[::1] tmp,
    double[::1] tmp_w,
    uint32_t[::1] count,
):
    """Sort buckets ``first`` to ``last - 1`` of ``a`` in place (weights
    ``w`` along, when not empty).

    Bucket ``b`` is ``a[bounds[b]:bounds[b + 1]]``, its values within
    ``[low[b], high[b]]``. ``tmp`` (and ``tmp_w``) are scratch of at least
    ``min(largest bucket, CACHE_CAP)``, ``count`` of COUNT_SCRATCH.
    """
    cdef Py_ssize_t b, n = a.shape[0]
    cdef bint weighted = w.shape[0] > 0
    if weighted and (w.shape[0] != n or tmp_w.shape[0] < tmp.shape[0]):
        raise ValueError("w must match a, tmp_w must be as long as tmp")
    _check_buckets(n, bounds, low.shape[0], high.shape[0], first, last, tmp.shape[0],
                   count.shape[0])
    with nogil:
        for b in range(first, last):
            _sort_bucket(&a[bounds[b]] if bounds[b] < n else NULL,
                         &w[bounds[b]] if weighted and bounds[b] < n else NULL,
                         bounds[b + 1] - bounds[b], low[b], high[b],
                         scores_out(tmp), f64_out(tmp_w), &count[0])


cdef inline Py_ssize_t _first_not_below(const score_t* a, Py_ssize_t k, Py_ssize_t end,
                                        score_t v, bint or_equal) noexcept nogil:
    """First index in ``[k, end)`` of ascending ``a`` with ``a[i] >= v``
    (``> v`` when ``or_equal``), or ``end``."""
    cdef Py_ssize_t half
    while end > k:
        half = (end - k) >> 1
        if a[k + half] < v or (or_equal and a[k + half] == v):
            k += half + 1
        else:
            end = k + half
    return k


cdef inline void _locate(
    const score_t* ref, Py_ssize_t r, const score_t* query, Py_ssize_t q,
    const uint32_t* table, Py_ssize_t n_digits, double lo, double scale,
    int64_t* lt, int64_t* le, int64_t* slots,
) noexcept nogil:
    """Locate each of the ``q`` queries among ``ref`` (``r`` > 0), grouped
    by equal-width sub-bucket (``table[d]`` where sub-bucket ``d`` starts,
    ``table[n_digits] = r``), a sub-bucket of more than two scores sorted:
    its rank ``k`` (elements strictly below it) and whether one equals it.

    Without ``slots``: ``lt``/``le`` get the sums of the ranks and of the
    ranks plus ties. With ``slots`` (``2 r + 1`` counters, ``ref`` sorted):
    query ``v`` counts in slot ``2 k + 1`` when it equals ``ref[k]``, else in
    slot ``2 k`` (between ``ref[k - 1]`` and ``ref[k]``).
    """
    cdef Py_ssize_t i, k, end, d, i0, i1, t
    cdef int n0, n1
    cdef int64_t below = 0, tied = 0
    cdef score_t v
    for i in range(q):
        v = query[i]
        d = linear_digit(v, lo, scale, n_digits - 1)
        # Elements of earlier sub-buckets are below v, of later ones above;
        # equal values share a sub-bucket.
        k = table[d]
        end = table[d + 1]
        if end - k <= 2:
            # The common case (two sub-buckets per element): compare with
            # both slots, in either order, without a branch, masking the
            # absent ones.
            i0 = k if k < r else r - 1
            i1 = k + 1 if k + 1 < r else r - 1
            n0 = end > k
            n1 = end > k + 1
            t = (n0 & (ref[i0] == v)) + (n1 & (ref[i1] == v))
            k += (n0 & (ref[i0] < v)) + (n1 & (ref[i1] < v))
        else:
            # Crowded (ties or skew), hence sorted: binary searches for both ends.
            k = _first_not_below(ref, k, end, v, False)
            t = _first_not_below(ref, k, end, v, True) - k
        if slots == NULL:
            below += k
            tied += t
        else:
            slots[2 * k + (t > 0)] += 1
    lt[0] = below
    le[0] = below + tied


cdef inline double _sub_scale(Py_ssize_t n_digits, double lo, double hi) noexcept nogil:
    """The scale of ``n_digits`` equal-width sub-buckets over ``[lo, hi]``;
    0 (one sub-bucket) for one value or a range beyond float64."""
    cdef double scale = <double>n_digits / (hi - lo) if hi > lo else 0.0
    return scale if scale < 1.0 / 0.0 else 0.0


cdef inline void _sub_bucket_starts(
    const score_t* ref, Py_ssize_t r, uint32_t* starts, Py_ssize_t n_digits, double lo,
    double scale,
) noexcept nogil:
    """``starts[d]``: how many of ``ref`` fall in sub-buckets before ``d``
    (``n_digits + 1`` entries; ``starts[n_digits] = r``)."""
    cdef Py_ssize_t i
    for i in range(n_digits + 1):
        starts[i] = 0
    for i in range(r):
        starts[linear_digit(ref[i], lo, scale, n_digits - 1) + 1] += 1
    for i in range(n_digits):
        starts[i + 1] += starts[i]


cdef inline void _rank_in(
    const score_t* ref, Py_ssize_t r, const score_t* query, Py_ssize_t q,
    double lo, double hi, uint32_t* table, int64_t* lt, int64_t* le, int64_t* slots,
) noexcept nogil:
    """`_locate` the ``q`` queries in sorted ``ref`` (``r`` > 0), all values
    within ``[lo, hi]``, through ``table`` (LINEAR_MAX + 1 counters) built
    here: about two sub-buckets per element, so a query is a few
    comparisons away from its rank."""
    cdef Py_ssize_t n_digits = 2 * r if 2 * r < LINEAR_MAX else LINEAR_MAX
    cdef double scale = _sub_scale(n_digits, lo, hi)
    _sub_bucket_starts(ref, r, table, n_digits, lo, scale)
    _locate(ref, r, query, q, table, n_digits, lo, scale, lt, le, slots)


cdef inline void _pairs_in(
    score_t* ref, Py_ssize_t r, const score_t* query, Py_ssize_t q,
    double lo, double hi, score_t* tmp, uint32_t* table, int64_t* lt, int64_t* le,
) noexcept nogil:
    """`_rank_in`'s sums (``lt``, ``le``) of the ``q`` queries among the
    ``r`` (> 0) unsorted ``ref`` scores, without sorting ``ref``: the ranks
    only need ``ref`` grouped by sub-bucket, the few scores sharing a
    query's sub-bucket compared with it. ``ref`` is grouped into ``tmp``;
    only crowded sub-buckets (ties, skew) are sorted, with ``ref`` itself
    as their scratch (its content is lost). ``table`` holds COUNT_SCRATCH
    counters."""
    cdef Py_ssize_t i, d, size, n_digits = 2 * r if 2 * r < LINEAR_MAX else LINEAR_MAX
    cdef double scale = _sub_scale(n_digits, lo, hi)
    cdef uint32_t* start = table + 1
    if scale == 0.0 or r <= INSERTION or r > CACHE_CAP:
        # One value, a range beyond float64, a handful of scores, or more
        # than the scratch holds (skewed data): sort in place.
        _sort_bucket(ref, NULL, r, lo, hi, tmp, NULL, table)
        _rank_in(ref, r, query, q, lo, hi, table, lt, le, NULL)
        return
    # A counting sort by sub-bucket, its starts one slot on so that
    # afterwards table[d] is where sub-bucket d starts in tmp and
    # table[d + 1] where it ends.
    table[0] = 0
    _sub_bucket_starts(ref, r, start, n_digits, lo, scale)
    for i in range(r):
        d = linear_digit(ref[i], lo, scale, n_digits - 1)
        tmp[start[d]] = ref[i]
        start[d] += 1
    for d in range(n_digits):
        size = table[d + 1] - table[d]
        if size > INSERTION:
            cache_sort(tmp + table[d], NULL, size, ref, NULL)
        elif size > 2:
            insertion_sort(tmp + table[d], NULL, size)
    _locate(tmp, r, query, q, table, n_digits, lo, scale, lt, le, NULL)


def bucket_pairs(
    score_t[::1] pos,
    score_t[::1] neg,
    const int64_t[::1] pos_bounds,
    const int64_t[::1] neg_bounds,
    const score_t[::1] low,
    const score_t[::1] high,
    Py_ssize_t first,
    Py_ssize_t last,
    score_t[::1] tmp,
    uint32_t[::1] count,
):
    """The unweighted ROC AUC's pair counts over buckets ``first`` to
    ``last - 1`` of both classes: ``(below, at_or_below)``, over their
    negatives, the sum of the number of positives strictly below each, and
    at or below it (the counts of a full sort and merge).

    In each bucket the other class's scores are located among the smaller
    class's, which is only grouped by sub-bucket (`_pairs_in`); neither is
    left sorted (the arrays are scratch afterwards). Same scratch as
    `sort_buckets`.
    """
    cdef Py_ssize_t b, n_pos = pos.shape[0], n_neg = neg.shape[0], p0, p1, q0, q1
    cdef int64_t lt = 0, le = 0, below, a, c, n_p, n_q
    cdef score_t* ps = scores_out(pos)
    cdef score_t* ns = scores_out(neg)
    _check_buckets(n_pos, pos_bounds, low.shape[0], high.shape[0], first, last, tmp.shape[0],
                   count.shape[0])
    _check_buckets(n_neg, neg_bounds, low.shape[0], high.shape[0], first, last, tmp.shape[0],
                   count.shape[0])
    with nogil:
        for b in range(first, last):
            p0, p1, q0, q1 = pos_bounds[b], pos_bounds[b + 1], neg_bounds[b], neg_bounds[b + 1]
            n_p, n_q = p1 - p0, q1 - q0
            # Positives of earlier buckets are below every negative of this one.
            below = p0 * n_q
            lt += below
            le += below
            if n_p == 0 or n_q == 0:
                continue
            if not low[b] < high[b]:
                le += n_p * n_q  # one value: every pair ties
                continue
            if n_p <= n_q:
                _pairs_in(ps + p0, n_p, ns + q0, n_q, low[b], high[b], scores_out(tmp),
                          &count[0], &a, &c)
                lt += a
                le += c
            else:
                # Rank the positives among the negatives: a negative is above
                # a positive unless it is below or tied with it.
                _pairs_in(ns + q0, n_q, ps + p0, n_p, low[b], high[b], scores_out(tmp),
                          &count[0], &a, &c)
                lt += n_p * n_q - c
                le += n_p * n_q - a
    return lt, le


def bucket_ap_terms(
    score_t[::1] pos,
    const score_t[::1] neg,
    const int64_t[::1] pos_bounds,
    const int64_t[::1] neg_bounds,
    const score_t[::1] low,
    const score_t[::1] high,
    Py_ssize_t first,
    Py_ssize_t last,
    score_t[::1] tmp,
    uint32_t[::1] count,
    int64_t[::1] slots,
    const int64_t[::1] tp_above,
    const int64_t[::1] fp_above,
    double[::1] terms,
):
    """The average precision's terms over buckets ``first`` to ``last - 1``:
    the terms of `sorted_sweep_average_precision`'s walk (the same
    operations on the same exact counts), computed bucket by bucket, so
    that two threads can take half the buckets each; the caller adds them
    up in order (`sum_in_order`).

    Each bucket's positives are sorted in place and its negatives counted
    in ``slots`` (scratch, ``2 * P + 1`` for the most positives ``P`` of a
    bucket) around them: one equal to the ``k``-th positive in slot ``2 k
    + 1``, one between positives ``k - 1`` and ``k`` in slot ``2 k`` (``2
    P_b``: above them all). Walking the positives down from the bucket's top,
    starting from the counts of the buckets above (``tp_above[b]``,
    ``fp_above[b]``), the term of each run of equal positives goes to
    ``terms`` at its rank from the top (``len(pos) - end of the run``), the
    run's other entries get 0.0.
    """
    cdef Py_ssize_t b, n_pos = pos.shape[0], n_neg = neg.shape[0], p0, p1, q0, q1, k, k0, i
    cdef Py_ssize_t n_buckets = pos_bounds.shape[0] - 1, n_slots
    cdef int64_t a, c, tp, fp, dp
    cdef score_t* ps = scores_out(pos)
    cdef const score_t* ns = scores_ptr(neg)
    _check_buckets(n_pos, pos_bounds, low.shape[0], high.shape[0], first, last, tmp.shape[0],
                   count.shape[0])
    _check_buckets(n_neg, neg_bounds, low.shape[0], high.shape[0], first, last, tmp.shape[0],
                   count.shape[0])
    if tp_above.shape[0] != n_buckets or fp_above.shape[0] != n_buckets:
        raise ValueError("need the counts above each bucket")
    if terms.shape[0] != n_pos:
        raise ValueError("terms must be as long as pos")
    for b in range(first, last):
        if slots.shape[0] < 2 * (pos_bounds[b + 1] - pos_bounds[b]) + 1:
            raise ValueError("slots scratch too short")
    with nogil:
        for b in range(first, last):
            p0, p1, q0, q1 = pos_bounds[b], pos_bounds[b + 1], neg_bounds[b], neg_bounds[b + 1]
            if p1 == p0:
                continue  # no term
            n_slots = 2 * (p1 - p0) + 1
            for i in range(n_slots):
                slots[i] = 0
            _sort_bucket(ps + p0, NULL, p1 - p0, low[b], high[b], scores_out(tmp), NULL,
                         &count[0])
            if q1 > q0:
                _rank_in(ps + p0, p1 - p0, ns + q0, q1 - q0, low[b], high[b], &count[0],
                         &a, &c, &slots[0])
            tp = tp_above[b]
            fp = fp_above[b] + slots[n_slots - 1]
            k = p1
            while k > p0:
                # The run of positives equal to pos[k - 1], from index k0.
                k0 = k - 1
                while k0 > p0 and ps[k0 - 1] == ps[k - 1]:
                    k0 -= 1
                dp = k - k0
                tp += dp
                fp += slots[2 * (k0 - p0) + 1]
                terms[n_pos - k] = (<double>dp) * ((<double>tp) / (<double>(tp + fp)))
                for i in range(n_pos - k + 1, n_pos - k0):
                    terms[i] = 0.0
                fp += slots[2 * (k0 - p0)]
                k = k0
    return None


def sum_in_order(const double[::1] terms):
    """``((terms[0] + terms[1]) + terms[2]) + ...``: the walk's own order of
    additions (numpy's sum adds pairwise, which rounds differently)."""
    cdef Py_ssize_t i
    cdef double acc = 0.0
    with nogil:
        for i in range(terms.shape[0]):
            acc += terms[i]
    return acc
