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

from libc.math cimport isfinite
from libc.stdint cimport int64_t, uint8_t

from cymetrics._kernels._pointers cimport check_aligned, f64_ptr, scores_ptr
from cymetrics._kernels._sweep cimport next_threshold, twice_weighted_area
from cymetrics._kernels._types cimport score_t, count_t


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
        else:
            scale = total_pos * total_neg
            if 1e-280 < scale < 1e280:
                # Twice the area in weight units: exact for integer-valued weights.
                return twice_weighted_area(pos, pos_w, n_pos, neg, neg_w, n_neg) / (2.0 * scale)
            # Extreme total weights: normalise per step so nothing under/overflows.
            while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
                area += (dn / total_neg) * ((tp + 0.5 * dp) / total_pos)
                tp += dp
            return area
    # Partial AUC on [0, max_fpr], as the trapezoid over normalised points up
    # to the last one with fpr <= max_fpr, then a linear interpolation to
    # max_fpr, standardised by McClish's correction.
    while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
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
    cdef const double* pw = f64_ptr(pos_w)
    cdef const double* nw = f64_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)
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
    while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
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
    cdef const double* pw = f64_ptr(pos_w)
    cdef const double* nw = f64_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)
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
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    with nogil:
        while next_threshold[score_t, int64_t](ps, NULL, &i, ns, NULL, &j, &dp, &dn, &t):
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
    while k < capacity and next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
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
    cdef const double* pw = f64_ptr(pos_w)
    cdef const double* nw = f64_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    cdef Py_ssize_t capacity = fps.shape[0]
    if tps.shape[0] != capacity or thresholds.shape[0] != capacity:
        raise ValueError("fps, tps and thresholds must have the same length")
    if capacity == 0:
        return
    check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)
    with nogil:
        if weighted:
            _sweep_curve[score_t, double](
                ps, pw, n_pos, ns, nw, n_neg,
                &fps[0], &tps[0], &thresholds[0], capacity)
        else:
            _sweep_curve[score_t, int64_t](
                ps, NULL, n_pos, ns, NULL, n_neg,
                &fps[0], &tps[0], &thresholds[0], capacity)
