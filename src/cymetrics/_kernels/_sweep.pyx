# Sorted threshold sweep for binary scores.
#
# The Python layer splits the scores by class and sorts each class ascending
# (a value sort: no argsort is needed when the samples are unweighted). The
# sweep then walks both sorted arrays from the top, one distinct threshold at a
# time, like the merge step of a merge sort. Per threshold it knows how many
# positives (dp) and negatives (dn) share that score; cumulative tp/fp give
# the curve, the ROC AUC (trapezoid = Mann-Whitney U with ties counted half)
# and the step-wise average precision, without materialising the curve.
#
# Counts are int64 when unweighted (the AUC numerator is then exact) and
# float64 when weighted.

from libc.math cimport isfinite, NAN
from libc.stdint cimport int64_t, uint8_t

from cymetrics._kernels._types cimport score_t, count_t


cdef int _check_weights(
    const score_t[::1] pos, const score_t[::1] neg,
    const double[::1] pos_w, const double[::1] neg_w, bint weighted,
) except -1:
    if weighted and (pos_w.shape[0] != pos.shape[0] or neg_w.shape[0] != neg.shape[0]):
        raise ValueError("weights must align with the sorted scores")
    return 0


def split_by_class(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    score_t[::1] pos_out,
    score_t[::1] neg_out,
):
    """Copy the scores of positives to ``pos_out`` and of negatives to ``neg_out``.

    The output lengths must be the class counts. Returns False if a score is
    not finite (outputs are then incomplete).
    """
    cdef Py_ssize_t k, ip = 0, ineg = 0, n = score.shape[0]
    cdef bint finite = True
    cdef score_t s
    with nogil:
        for k in range(n):
            s = score[k]
            finite &= isfinite(s)
            if is_pos[k]:
                pos_out[ip] = s
                ip += 1
            else:
                neg_out[ineg] = s
                ineg += 1
    return finite


def split_by_class_weighted(
    const score_t[::1] score,
    const uint8_t[::1] is_pos,
    const double[::1] weight,
    score_t[::1] pos_out,
    double[::1] pos_w_out,
    score_t[::1] neg_out,
    double[::1] neg_w_out,
):
    """Weighted twin of `split_by_class` that drops zero-weight samples.

    Outputs must be long enough for each class. Returns
    ``(n_pos_kept, n_neg_kept, all_scores_finite)``; the finite check covers
    zero-weight samples too.
    """
    cdef Py_ssize_t k, ip = 0, ineg = 0, n = score.shape[0]
    cdef bint finite = True
    cdef score_t s
    cdef double w
    with nogil:
        for k in range(n):
            s = score[k]
            w = weight[k]
            finite &= isfinite(s)
            if w == 0.0:
                continue
            if is_pos[k]:
                pos_out[ip] = s
                pos_w_out[ip] = w
                ip += 1
            else:
                neg_out[ineg] = s
                neg_w_out[ineg] = w
                ineg += 1
    return ip, ineg, finite


cdef int64_t _pairs_below(
    const score_t* pos, Py_ssize_t n_pos, const score_t* neg, Py_ssize_t n_neg,
    bint strict, bint* saw_tie,
) noexcept nogil:
    """Sum over negatives of the number of positives below each one
    (``strict``) or at or below it. A merge of the two ascending arrays,
    advancing through each run of negatives in a tight loop (runs are long
    when one class dominates, so the loop exit is the only misprediction).
    ``saw_tie`` is set if a negative equals a positive."""
    cdef Py_ssize_t i, j = 0, start
    cdef int64_t total = 0
    cdef score_t p
    for i in range(n_pos):
        p = pos[i]
        start = j
        if strict:
            while j < n_neg and neg[j] <= p:
                j += 1
        else:
            while j < n_neg and neg[j] < p:
                j += 1
        total += (j - start) * i
        if j > start and neg[j - 1] == p:
            saw_tie[0] = True
    return total + (n_neg - j) * n_pos


cdef double _sweep_auc(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg,
    double max_fpr, count_t total_pos, count_t total_neg,
) noexcept nogil:
    cdef Py_ssize_t i = n_pos, j = n_neg
    cdef count_t dp = 0, dn = 0, tp = 0, fp = 0
    cdef score_t t
    # Unweighted: twice the Mann-Whitney U, exact in int64.
    cdef double area = 0.0, scale
    cdef double f0 = 0.0, t0 = 0.0, f1, t1, partial = 0.0, t_at, lo, hi
    cdef int64_t pairs_lt, pairs_le
    cdef bint saw_tie = False
    if max_fpr >= 1.0:
        if count_t is int64_t:
            # U = sum over negatives of #pos above it plus half the ties.
            pairs_lt = _pairs_below(pos, n_pos, neg, n_neg, True, &saw_tie)
            pairs_le = pairs_lt
            if saw_tie:
                pairs_le = _pairs_below(pos, n_pos, neg, n_neg, False, &saw_tie)
            return (<double>(2 * total_pos * total_neg - pairs_lt - pairs_le)) / (
                2.0 * (<double>total_pos) * (<double>total_neg))
        scale = (<double>total_pos) * (<double>total_neg)
        if 1e-280 < scale < 1e280:
            # Twice the area in weight units: exact for integer-valued weights.
            while _next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
                area += dn * (2.0 * tp + dp)
                tp += dp
                fp += dn
            return area / (2.0 * scale)
        # Extreme total weights: normalise per step so nothing under/overflows.
        while _next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
            area += (dn / total_neg) * ((tp + 0.5 * dp) / total_pos)
            tp += dp
            fp += dn
        return area
    # Partial AUC on [0, max_fpr], as the trapezoid over normalised points up
    # to the last one with fpr <= max_fpr, then a linear interpolation to
    # max_fpr, standardised by McClish's correction.
    while _next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        tp += dp
        fp += dn
        f1 = (<double>fp) / (<double>total_neg)
        t1 = (<double>tp) / (<double>total_pos)
        if f1 > max_fpr:
            t_at = (t1 - t0) / (f1 - f0) * (max_fpr - f0) + t0
            partial += (max_fpr - f0) * (t_at + t0) * 0.5
            break
        partial += (f1 - f0) * (t1 + t0) * 0.5
        f0 = f1
        t0 = t1
    lo = 0.5 * max_fpr * max_fpr
    hi = max_fpr
    return 0.5 * (1.0 + (partial - lo) / (hi - lo))


def sorted_sweep_auc(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const double[::1] pos_w,
    const double[::1] neg_w,
    double total_pos,
    double total_neg,
    bint weighted,
    double max_fpr=1.0,
):
    """ROC AUC (partial with McClish correction when ``max_fpr < 1``).

    ``pos``/``neg`` are each class's scores sorted ascending with their
    weights aligned (empty when unweighted). Both classes must be non-empty.
    """
    cdef double result
    cdef const double* pw = _weights_ptr(pos_w)
    cdef const double* nw = _weights_ptr(neg_w)
    cdef const score_t* ps = _scores_ptr(pos)
    cdef const score_t* ns = _scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    _check_weights(pos, neg, pos_w, neg_w, weighted)
    with nogil:
        if weighted:
            result = _sweep_auc[score_t, double](
                ps, pw, n_pos, ns, nw, n_neg, max_fpr, total_pos, total_neg)
        else:
            result = _sweep_auc[score_t, int64_t](
                ps, NULL, n_pos, ns, NULL, n_neg, max_fpr,
                <int64_t>total_pos, <int64_t>total_neg)
    return result


cdef double _sweep_average_precision(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg,
    count_t total_pos,
) noexcept nogil:
    cdef Py_ssize_t i = n_pos, j = n_neg
    cdef count_t dp = 0, dn = 0, tp = 0, fp = 0
    cdef score_t t
    cdef double acc = 0.0
    while _next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        tp += dp
        fp += dn
        if dp != 0:
            # recall step times precision at this threshold
            acc += (<double>dp) * ((<double>tp) / (<double>(tp + fp)))
    return acc / (<double>total_pos)


def sorted_sweep_average_precision(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const double[::1] pos_w,
    const double[::1] neg_w,
    double total_pos,
    bint weighted,
):
    """Step-wise average precision, sum over thresholds of dRecall * precision.

    Same input contract as `sorted_sweep_auc`; ``total_pos`` must be > 0.
    """
    cdef double result
    cdef const double* pw = _weights_ptr(pos_w)
    cdef const double* nw = _weights_ptr(neg_w)
    cdef const score_t* ps = _scores_ptr(pos)
    cdef const score_t* ns = _scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    _check_weights(pos, neg, pos_w, neg_w, weighted)
    with nogil:
        if weighted:
            result = _sweep_average_precision[score_t, double](
                ps, pw, n_pos, ns, nw, n_neg, total_pos)
        else:
            result = _sweep_average_precision[score_t, int64_t](
                ps, NULL, n_pos, ns, NULL, n_neg, <int64_t>total_pos)
    return result


def count_distinct_thresholds(const score_t[::1] pos, const score_t[::1] neg):
    """Number of distinct scores over both sorted arrays (the curve length)."""
    cdef Py_ssize_t i = pos.shape[0], j = neg.shape[0], n = 0
    cdef int64_t dp, dn
    cdef score_t t
    cdef const score_t* ps = _scores_ptr(pos)
    cdef const score_t* ns = _scores_ptr(neg)
    with nogil:
        while _next_threshold[score_t, int64_t](ps, NULL, &i, ns, NULL, &j, &dp, &dn, &t):
            n += 1
    return n


cdef void _sweep_curve(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg,
    double* fps, double* tps, score_t* thresholds, Py_ssize_t capacity,
) noexcept nogil:
    cdef Py_ssize_t i = n_pos, j = n_neg, k = 0
    cdef count_t dp = 0, dn = 0, tp = 0, fp = 0
    cdef score_t t
    while k < capacity and _next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        tp += dp
        fp += dn
        fps[k] = <double>fp
        tps[k] = <double>tp
        thresholds[k] = t
        k += 1


def sorted_sweep_curve(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const double[::1] pos_w,
    const double[::1] neg_w,
    bint weighted,
    double[::1] fps,
    double[::1] tps,
    score_t[::1] thresholds,
):
    """Fill cumulative fps/tps per distinct threshold, thresholds decreasing.

    Outputs must have `count_distinct_thresholds` elements.
    """
    cdef const double* pw = _weights_ptr(pos_w)
    cdef const double* nw = _weights_ptr(neg_w)
    cdef const score_t* ps = _scores_ptr(pos)
    cdef const score_t* ns = _scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    cdef Py_ssize_t capacity = fps.shape[0]
    if tps.shape[0] != capacity or thresholds.shape[0] != capacity:
        raise ValueError("fps, tps and thresholds must have the same length")
    if capacity == 0:
        return
    _check_weights(pos, neg, pos_w, neg_w, weighted)
    with nogil:
        if weighted:
            _sweep_curve[score_t, double](
                ps, pw, n_pos, ns, nw, n_neg,
                &fps[0], &tps[0], &thresholds[0], capacity)
        else:
            _sweep_curve[score_t, int64_t](
                ps, NULL, n_pos, ns, NULL, n_neg,
                &fps[0], &tps[0], &thresholds[0], capacity)


# ---------------------------------------------------------------------------
# Multiclass: Mann-Whitney statistics between the classes of each column.
# (Appended for the multiclass ranking metrics; reuses `_pairs_below` and the
# weighted `_sweep_auc` walk above.)

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
        # With unit totals `_sweep_auc` returns the unnormalised area.
        return _sweep_auc[score_t, double](
            pos, pos_w, n_pos, neg, neg_w, n_neg, 1.0, 1.0, 1.0)
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
