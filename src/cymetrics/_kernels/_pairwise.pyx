# Mann-Whitney statistics between the classes of each score column: the
# one-vs-one (and, summed, one-vs-rest) ROC AUCs of a multiclass target.
#
# The Python layer groups each column's scores by true class and sorts each
# group (`cymetrics._kernels._multiclass`); here one merge per ordered pair of
# classes counts the pairs, linear in the group sizes. Unweighted counts are
# exact integers (a branch-free merge, four chains interleaved); weighted
# ones take the sweep's run walk.

from libc.stdint cimport int64_t

from cymetrics._kernels._sweep cimport twice_weighted_area
from cymetrics._kernels._types cimport score_t


cdef inline Py_ssize_t _count_below(
    const score_t* a, Py_ssize_t n, score_t x, bint strict
) noexcept nogil:
    """Number of elements of ascending ``a`` below ``x`` (``strict``) or at or below it."""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if (a[mid] < x) if strict else (a[mid] <= x):
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef inline int64_t _merge_chain(
    const score_t* pos, Py_ssize_t i, Py_ssize_t i_end,
    const score_t* neg, Py_ssize_t j, Py_ssize_t j_start, Py_ssize_t j_end,
    bint strict, bint* saw_tie,
) noexcept nogil:
    """Pairs (p, q) with ``q < p`` (``strict``) or ``q <= p``, p in
    ``pos[i:i_end]``, q in ``neg[j_start:j_end]``, the merge resumed at
    ``(i, j)``: each step advances one cursor by a computed 0/1, no branch."""
    cdef int64_t total = 0
    cdef score_t p, q
    cdef bint step_neg, tie = False
    while i < i_end and j < j_end:
        p = pos[i]
        q = neg[j]
        step_neg = (q < p) if strict else (q <= p)
        tie |= q == p
        total += (not step_neg) * (j - j_start)
        j += step_neg
        i += not step_neg
    saw_tie[0] |= tie
    # Positives left over are above every negative of the chain.
    return total + (i_end - i) * <int64_t>(j_end - j_start)


cdef int64_t _pairs_below_merge(
    const score_t* pos, Py_ssize_t n_pos, const score_t* neg, Py_ssize_t n_neg,
    bint strict, bint* saw_tie,
) noexcept nogil:
    """`_pairs_below` as a branch-free merge: the number of (p, q) pairs with
    ``q < p`` (``strict``) or ``q <= p``.

    A branch-free step (`_merge_chain`) never mispredicts, which matters when
    the classes interleave finely (the groups of a multiclass column), but it
    is bound by the latency of its load and compare. So the positives are cut
    in four quarters, the negatives at the matching points, and the four
    merges run interleaved in one loop: four independent chains. Every
    positive of a quarter is above all the negatives before its cut. A tie
    meets at the heads of one chain or sits at a cut, so ``saw_tie`` is exact.
    """
    cdef Py_ssize_t i0, i1, i2, i3, e0, e1, e2, e3, j0, j1, j2, j3, c1, c2, c3
    cdef Py_ssize_t s0, s1, s2, s3
    cdef int64_t total, t0 = 0, t1 = 0, t2 = 0, t3 = 0
    cdef score_t p, q
    cdef bint step, tie = False
    if n_pos < 256 or n_neg < 256:
        return _merge_chain(pos, 0, n_pos, neg, 0, 0, n_neg, strict, saw_tie)
    e0 = n_pos >> 2
    e1 = n_pos >> 1
    e2 = e1 + (n_pos - e1) // 2
    e3 = n_pos
    s0 = i0 = 0
    s1 = i1 = e0
    s2 = i2 = e1
    s3 = i3 = e2
    c1 = _count_below(neg, n_neg, pos[i1], strict)
    c2 = _count_below(neg, n_neg, pos[i2], strict)
    c3 = _count_below(neg, n_neg, pos[i3], strict)
    tie = ((c1 < n_neg and neg[c1] == pos[i1]) or (c2 < n_neg and neg[c2] == pos[i2])
           or (c3 < n_neg and neg[c3] == pos[i3]))
    total = (e1 - s1) * <int64_t>c1 + (e2 - s2) * <int64_t>c2 + (e3 - s3) * <int64_t>c3
    j0 = 0
    j1 = c1
    j2 = c2
    j3 = c3
    # Counts below are absolute indices into neg; each chain's start is
    # subtracted once per positive consumed, after the loop.
    while (i0 < e0 and j0 < c1 and i1 < e1 and j1 < c2
           and i2 < e2 and j2 < c3 and i3 < e3 and j3 < n_neg):
        p = pos[i0]
        q = neg[j0]
        step = (q < p) if strict else (q <= p)
        tie |= q == p
        t0 += (not step) * j0
        j0 += step
        i0 += not step
        p = pos[i1]
        q = neg[j1]
        step = (q < p) if strict else (q <= p)
        tie |= q == p
        t1 += (not step) * j1
        j1 += step
        i1 += not step
        p = pos[i2]
        q = neg[j2]
        step = (q < p) if strict else (q <= p)
        tie |= q == p
        t2 += (not step) * j2
        j2 += step
        i2 += not step
        p = pos[i3]
        q = neg[j3]
        step = (q < p) if strict else (q <= p)
        tie |= q == p
        t3 += (not step) * j3
        j3 += step
        i3 += not step
    total += t0 + (t1 - (i1 - s1) * <int64_t>c1) + (t2 - (i2 - s2) * <int64_t>c2) \
        + (t3 - (i3 - s3) * <int64_t>c3)
    saw_tie[0] |= tie
    # Finish each chain alone (most are done or nearly).
    total += _merge_chain(pos, i0, e0, neg, j0, 0, c1, strict, saw_tie)
    total += _merge_chain(pos, i1, e1, neg, j1, c1, c2, strict, saw_tie)
    total += _merge_chain(pos, i2, e2, neg, j2, c2, c3, strict, saw_tie)
    total += _merge_chain(pos, i3, e3, neg, j3, c3, n_neg, strict, saw_tie)
    return total


cdef double _pair_statistic(
    const score_t* pos, const double* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const double* neg_w, Py_ssize_t n_neg,
    bint weighted,
) noexcept nogil:
    """sum over (p, q) of w_p w_q ([s_p > s_q] + [s_p == s_q] / 2)."""
    cdef int64_t below, below_or_tied
    cdef bint saw_tie = False
    if n_pos == 0 or n_neg == 0:
        return 0.0
    if weighted:
        return twice_weighted_area(pos, pos_w, n_pos, neg, neg_w, n_neg) / 2.0
    below = _pairs_below_merge(pos, n_pos, neg, n_neg, True, &saw_tie)
    below_or_tied = below
    if saw_tie:
        below_or_tied = _pairs_below_merge(pos, n_pos, neg, n_neg, False, &saw_tie)
    # Twice the statistic, below + below_or_tied, is an exact integer.
    return 0.5 * <double>(below + below_or_tied)


def grouped_pair_statistics(
    const score_t[:, ::1] grouped,
    const double[:, ::1] weights,
    const Py_ssize_t[::1] bounds,
    double[:, ::1] out,
    Py_ssize_t first_column=0,
):
    """Mann-Whitney statistic of every ordered pair of classes, per column.

    Row ``r`` of ``grouped`` holds score column ``c = first_column + r`` with
    the samples grouped by class, class ``b`` in ``[bounds[b], bounds[b + 1])``,
    each group sorted ascending; ``weights`` (``(0, 0)`` when unweighted) is
    aligned with it. Sets, for those columns,

        out[c, b] = sum over p of class c, q of class b of
                    w_p w_q ([s_p > s_q] + [s_p == s_q] / 2)

    scores taken from column ``c`` (unit weights when unweighted: the count
    is then exact). ``out[c, b] / (W_c W_b)`` is the AUC of class ``c``
    against class ``b``. One merge per pair: linear in the group sizes.
    """
    cdef Py_ssize_t r, c, b, n = grouped.shape[1], n_rows = grouped.shape[0]
    cdef Py_ssize_t n_classes = bounds.shape[0] - 1
    cdef bint weighted = weights.shape[0] > 0
    cdef const score_t* row
    cdef const double* wrow = NULL
    if n_classes < 1 or out.shape[0] != n_classes or out.shape[1] != n_classes:
        raise ValueError("out must be (n_classes, n_classes)")
    if first_column < 0 or first_column + n_rows > n_classes:
        raise ValueError("the rows of grouped must be columns of out")
    if weighted and (weights.shape[0] != n_rows or weights.shape[1] != n):
        raise ValueError("weights must have the shape of grouped")
    if bounds[0] != 0 or bounds[n_classes] != n:
        raise ValueError("bounds must run from 0 to n")
    for b in range(n_classes):
        if bounds[b] > bounds[b + 1]:
            raise ValueError("bounds must be non-decreasing")
    if n == 0 or n_rows == 0:
        out[first_column:first_column + n_rows, :] = 0.0
        return
    with nogil:
        for r in range(n_rows):
            c = first_column + r
            row = &grouped[r, 0]
            if weighted:
                wrow = &weights[r, 0]
            for b in range(n_classes):
                if b == c:
                    out[c, b] = 0.0
                    continue
                out[c, b] = _pair_statistic(
                    row + bounds[c], (wrow + bounds[c]) if weighted else NULL,
                    bounds[c + 1] - bounds[c],
                    row + bounds[b], (wrow + bounds[b]) if weighted else NULL,
                    bounds[b + 1] - bounds[b],
                    weighted,
                )
