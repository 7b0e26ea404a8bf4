# Ranking the samples of one class against the other class, sorted, without
# sorting them.
#
# An unweighted ROC AUC only needs, for every sample of one class, how many
# samples of the other class score below it (and how many tie with it); the
# order within the first class does not matter. So only the smaller class
# is sorted, collapsed to its distinct values with the number of samples
# below each (`collapse_sorted`), and every sample of the larger class is
# located among those values: a table over equal-width value buckets
# (`bucket_table`, a monotone map as in `cymetrics._kernels._sort`) gives
# the first distinct value of its bucket, and a few comparisons (a binary
# search when a bucket holds many values) finish the job (`rank_sums`,
# `rank_slots`). The sums are exact int64 counts, so the AUC is the same
# number as a full sort and sweep give. The larger class is read in place,
# over any range of samples: two threads each take half.

from libc.math cimport isfinite
from libc.stdint cimport int64_t, uint8_t

from cymetrics._kernels._types cimport score_t


def gather_class(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    bint positives,
    Py_ssize_t start,
    Py_ssize_t stop,
    score_t[::1] out,
    Py_ssize_t at,
):
    """Copy the scores of one class (``positives``: ``is_pos != 0``) among
    samples ``[start, stop)`` to ``out[at:]``, in sample order.

    Returns ``(n_copied, all_finite)``; the finite check covers every sample
    of the range. Stops (returns fewer) if ``out`` is full.
    """
    cdef Py_ssize_t k, j = at, room = out.shape[0]
    cdef bint finite = True
    cdef score_t s
    if is_pos.shape[0] != score.shape[0] or not 0 <= start <= stop <= score.shape[0]:
        raise ValueError("need one flag per score and 0 <= start <= stop <= len(score)")
    if not 0 <= at <= room:
        raise ValueError("at outside out")
    with nogil:
        for k in range(start, stop):
            s = score[k]
            finite &= isfinite(s)
            if (is_pos[k] != 0) == positives:
                if j == room:
                    break
                out[j] = s
                j += 1
    return j - at, finite


def collapse_sorted(const score_t[::1] a, score_t[::1] distinct, int64_t[::1] below):
    """Distinct values of ascending ``a`` and, for each, the number of
    elements of ``a`` below it; ``below[d] = len(a)`` closes the table.

    ``distinct`` needs ``len(a)`` elements and ``below`` one more. Returns
    the number ``d`` of distinct values.
    """
    cdef Py_ssize_t i, d = 0, n = a.shape[0]
    if distinct.shape[0] < n or below.shape[0] < n + 1:
        raise ValueError("outputs too short")
    with nogil:
        for i in range(n):
            if d == 0 or a[i] != distinct[d - 1]:
                distinct[d] = a[i]
                below[d] = i
                d += 1
        below[d] = n
    return d


cdef inline Py_ssize_t _bucket(double s, double lo, double scale, Py_ssize_t top) noexcept nogil:
    cdef double x = (s - lo) * scale
    return <Py_ssize_t>x if x < <double>top else top


def bucket_table(const score_t[::1] distinct, double lo, double scale, int64_t[::1] table):
    """``table[b]``: the number of ``distinct`` values (ascending) whose
    bucket ``floor((v - lo) * scale)`` (clamped to ``len(table) - 2``) is
    below ``b``; the last entry is ``len(distinct)``."""
    cdef Py_ssize_t i, b = 0, n = distinct.shape[0], m = table.shape[0] - 1
    cdef Py_ssize_t c
    if m < 1:
        raise ValueError("table needs at least two entries")
    with nogil:
        for i in range(n):
            c = _bucket(distinct[i], lo, scale, m - 1)
            while b <= c:
                table[b] = i
                b += 1
        while b <= m:
            table[b] = n
            b += 1


cdef inline Py_ssize_t _locate(
    const score_t* d, Py_ssize_t n_d, const int64_t* table, Py_ssize_t top,
    double lo, double scale, score_t v, bint* tie,
) noexcept nogil:
    """Number of distinct values below ``v``; ``tie`` set if one equals it."""
    cdef Py_ssize_t k, end, half
    cdef Py_ssize_t b
    if v < d[0]:
        tie[0] = False
        return 0
    if v > d[n_d - 1]:
        tie[0] = False
        return n_d
    b = _bucket(v, lo, scale, top)
    k = table[b]
    end = table[b + 1]
    # Equal values share a bucket, so the answer lies in [k, end].
    while end - k > 8:
        half = (end - k) >> 1
        if d[k + half] < v:
            k += half + 1
        else:
            end = k + half
    while k < end and d[k] < v:
        k += 1
    tie[0] = k < n_d and d[k] == v
    return k


cdef int _check_table(Py_ssize_t n, Py_ssize_t n_mask, Py_ssize_t start, Py_ssize_t stop,
                      Py_ssize_t n_d, Py_ssize_t n_below, Py_ssize_t n_table) except -1:
    if n_mask != n or not 0 <= start <= stop <= n:
        raise ValueError("need one flag per score and 0 <= start <= stop <= len(score)")
    if n_d == 0 or n_below != n_d + 1 or n_table < 2:
        raise ValueError("need distinct values, one more 'below' entry, a table of >= 2")
    return 0


def rank_sums(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    bint positives,
    Py_ssize_t start,
    Py_ssize_t stop,
    const score_t[::1] distinct,
    const int64_t[::1] below,
    const int64_t[::1] table,
    double lo,
    double scale,
):
    """Over the samples of one class in ``[start, stop)``: the sum of the
    number of other-class samples strictly below each, and of those at or
    below it; ``(sum_lt, sum_le)``, exact int64.

    The other class is given as `collapse_sorted` and `bucket_table` built
    it (``table`` over the same ``lo``/``scale``; values must be sorted).
    """
    cdef Py_ssize_t k, j, n_d = distinct.shape[0], top = table.shape[0] - 2
    cdef int64_t lt = 0, le = 0
    cdef bint tie
    cdef score_t v
    _check_table(score.shape[0], is_pos.shape[0], start, stop, n_d, below.shape[0],
                 table.shape[0])
    with nogil:
        for k in range(start, stop):
            if (is_pos[k] != 0) != positives:
                continue
            v = score[k]
            j = _locate(&distinct[0], n_d, &table[0], top, lo, scale, v, &tie)
            lt += below[j]
            le += below[j + 1] if tie else below[j]
    return lt, le


def rank_slots(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    bint positives,
    Py_ssize_t start,
    Py_ssize_t stop,
    const score_t[::1] distinct,
    const int64_t[::1] below,
    const int64_t[::1] table,
    double lo,
    double scale,
    int64_t[::1] slots,
):
    """Count the samples of one class in ``[start, stop)`` per slot of the
    other class's distinct values: slot ``2j`` holds those between distinct
    value ``j - 1`` and ``j`` (exclusive), slot ``2j + 1`` those equal to
    value ``j``; ``slots`` needs ``2 * len(distinct) + 1`` entries."""
    cdef Py_ssize_t k, j, n_d = distinct.shape[0], top = table.shape[0] - 2
    cdef bint tie
    _check_table(score.shape[0], is_pos.shape[0], start, stop, n_d, below.shape[0],
                 table.shape[0])
    if slots.shape[0] != 2 * n_d + 1:
        raise ValueError("slots needs 2 * len(distinct) + 1 entries")
    with nogil:
        for k in range(start, stop):
            if (is_pos[k] != 0) != positives:
                continue
            j = _locate(&distinct[0], n_d, &table[0], top, lo, scale, score[k], &tie)
            slots[2 * j + tie] += 1
