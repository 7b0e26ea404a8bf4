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

from cymetrics._kernels._pointers cimport (
    check_aligned, counts_ptr, f64_out, scores_out, scores_ptr,
)
from cymetrics._kernels._sweep cimport next_threshold, pairs_below, twice_weighted_area
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
    cdef int64_t pairs_lt, pairs_le, twice = 0
    cdef bint saw_tie = False
    if max_fpr >= 1.0:
        if count_t is int64_t and pos_w != NULL:
            # Counted distinct scores: twice the Mann-Whitney U, exact.
            while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
                twice += dn * (2 * tp + dp)
                tp += dp
            return (<double>twice) / (2.0 * (<double>total_pos) * (<double>total_neg))
        elif count_t is int64_t:
            # U = sum over negatives of #pos above it plus half the ties.
            pairs_lt = pairs_below(pos, n_pos, neg, n_neg, True, &saw_tie)
            pairs_le = pairs_lt
            if saw_tie:
                pairs_le = pairs_below(pos, n_pos, neg, n_neg, False, &saw_tie)
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
    const count_t[::1] pos_w,
    const count_t[::1] neg_w,
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
    cdef const count_t* pw = counts_ptr(pos_w)
    cdef const count_t* nw = counts_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)
    with nogil:
        if weighted and count_t is double:
            result = _sweep_auc[score_t, double](
                ps, <const double*>pw, n_pos, ns, <const double*>nw, n_neg, max_fpr,
                total_pos, total_neg)
        else:
            result = _sweep_auc[score_t, int64_t](
                ps, <const int64_t*>pw if weighted else NULL, n_pos,
                ns, <const int64_t*>nw if weighted else NULL, n_neg, max_fpr,
                <int64_t>total_pos, <int64_t>total_neg)
    return result


cdef double _sweep_average_precision(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg,
    count_t total_pos,
) noexcept nogil:
    cdef Py_ssize_t i = n_pos, j = n_neg
    cdef count_t dp = 0, dn = 0, tp = 0, fp = 0, seen
    cdef score_t t
    cdef double acc = 0.0
    while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        tp += dp
        fp += dn
        # Recall step times precision at this threshold; a step without
        # positives adds exactly 0, so there is no branch to mispredict
        # (nor a 0 / 0 before the first weight: the denominator is then 1).
        seen = tp + fp
        acc += (<double>dp) * ((<double>tp) / (<double>(seen if seen > 0 else 1)))
    return acc / (<double>total_pos)


def sorted_sweep_average_precision(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const count_t[::1] pos_w,
    const count_t[::1] neg_w,
    double total_pos,
    bint weighted,
):
    """Step-wise average precision, sum over thresholds of dRecall * precision.

    Same input contract as `sorted_sweep_auc`; ``total_pos`` must be > 0.
    """
    cdef double result
    cdef const count_t* pw = counts_ptr(pos_w)
    cdef const count_t* nw = counts_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)
    with nogil:
        if weighted and count_t is double:
            result = _sweep_average_precision[score_t, double](
                ps, <const double*>pw, n_pos, ns, <const double*>nw, n_neg, total_pos)
        else:
            result = _sweep_average_precision[score_t, int64_t](
                ps, <const int64_t*>pw if weighted else NULL, n_pos,
                ns, <const int64_t*>nw if weighted else NULL, n_neg, <int64_t>total_pos)
    return result


# Which points of a curve `sorted_sweep_points` keeps (scikit-learn's
# ``drop_intermediate``, decided during the sweep from each point's two
# neighbours, so the full curve is never built).
cdef enum:
    # Every distinct threshold.
    ALL_POINTS = 0
    # roc_curve: points whose step differs from the next one (a non-zero
    # second difference of fps or tps); the first and last always.
    CORNERS = 1
    # precision_recall_curve: the first and last point of each run of equal
    # tps; the first and last point always.
    TPS_ENDS = 2
    # det_curve: TPS_ENDS over the curve with the origin (0, 0) before its
    # first point (the origin itself is the caller's).
    TPS_ENDS_AFTER_ORIGIN = 3

KEEP_ALL = ALL_POINTS
KEEP_CORNERS = CORNERS
KEEP_TPS_ENDS = TPS_ENDS
KEEP_TPS_ENDS_AFTER_ORIGIN = TPS_ENDS_AFTER_ORIGIN


cdef inline bint _keep(int rule, bint first, double f0, double p0, double f1, double p1,
                       double f2, double p2) noexcept nogil:
    """Whether the middle of three consecutive points is kept."""
    if rule == ALL_POINTS or (first and rule != TPS_ENDS_AFTER_ORIGIN):
        return True
    if rule == CORNERS:
        # As np.diff(x, 2) != 0: (x2 - x1) - (x1 - x0) is zero iff they are equal.
        # `|`, not `or`: both sides are cheap, and a jump on random data mispredicts.
        return (f2 - f1 != f1 - f0) | (p2 - p1 != p1 - p0)
    return (p1 != p0) | (p2 != p1)


cdef Py_ssize_t _sweep_points(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg, int rule,
    double* fps, double* tps, score_t* thresholds, Py_ssize_t offset,
    count_t tp_above, count_t fp_above, bint after, bint before,
    count_t next_dp, count_t next_dn,
) noexcept nogil:
    """Write the kept points from ``offset`` (room for ``n_pos + n_neg``
    points there, ``n_pos + n_neg > 0``); return how many are kept.

    The scores may be one part of a curve: ``tp_above``/``fp_above`` are
    the counts above them and ``after`` whether points precede them (the
    last of which is then the previous point of the first decision);
    ``before`` whether the curve goes on below, its next step being
    ``next_dp``/``next_dn`` (else the last point is always kept).

    Each point is written where the next kept one goes and kept by moving
    on: no branch on the rule's (data-dependent) decision."""
    cdef Py_ssize_t i = n_pos, j = n_neg, k = offset
    cdef count_t dp = 0, dn = 0, tp = tp_above, fp = fp_above
    cdef score_t t, t1 = 0
    cdef double f0 = <double>fp_above, p0 = <double>tp_above, f1, p1, f2, p2
    cdef bint first = not after
    next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t1)
    tp += dp
    fp += dn
    f1, p1 = <double>fp, <double>tp
    while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        tp += dp
        fp += dn
        f2 = <double>fp
        p2 = <double>tp
        fps[k] = f1
        tps[k] = p1
        thresholds[k] = t1
        k += _keep(rule, first, f0, p0, f1, p1, f2, p2)
        first = False
        f0, p0 = f1, p1
        f1, p1, t1 = f2, p2, t
    # The last point of the curve is always kept.
    fps[k] = f1
    tps[k] = p1
    thresholds[k] = t1
    if before:
        k += _keep(rule, first, f0, p0, f1, p1, <double>(fp + next_dn), <double>(tp + next_dp))
    else:
        k += 1
    return k - offset


cdef count_t _total(const count_t* w, Py_ssize_t start, Py_ssize_t stop) noexcept nogil:
    """Samples (NULL: one per score) or counts of scores ``[start, stop)``."""
    cdef count_t total = 0
    cdef Py_ssize_t k
    if w == NULL:
        return <count_t>(stop - start)
    for k in range(start, stop):
        total += w[k]
    return total


cdef int _check_part(const score_t* ps, Py_ssize_t n_pos, Py_ssize_t p0, Py_ssize_t p1,
                     const score_t* ns, Py_ssize_t n_neg, Py_ssize_t q0, Py_ssize_t q1) except -1:
    """Raise ValueError unless no tie crosses the part's ends: the scores
    below it are below its smallest, those above it above its largest."""
    cdef bint has_pos = p1 > p0, has_neg = q1 > q0
    cdef score_t lo, hi
    if not (has_pos or has_neg):
        return 0
    lo = ps[p0] if has_pos else ns[q0]
    if has_pos and has_neg and ns[q0] < lo:
        lo = ns[q0]
    hi = ps[p1 - 1] if has_pos else ns[q1 - 1]
    if has_pos and has_neg and ns[q1 - 1] > hi:
        hi = ns[q1 - 1]
    if (p0 > 0 and not ps[p0 - 1] < lo) or (q0 > 0 and not ns[q0 - 1] < lo) or \
            (p1 < n_pos and not ps[p1] > hi) or (q1 < n_neg and not ns[q1] > hi):
        raise ValueError("a part must not split equal scores")
    return 0


def sorted_sweep_points(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const count_t[::1] pos_w,
    const count_t[::1] neg_w,
    bint weighted,
    int rule,
    double[::1] fps,
    double[::1] tps,
    score_t[::1] thresholds,
    Py_ssize_t offset=0,
    part=None,
):
    """Cumulative fps/tps at the distinct thresholds (decreasing) that
    ``rule`` (a ``KEEP_*`` constant) keeps, written from index ``offset``.

    The outputs need room for every point: ``offset + len(pos) + len(neg)``
    (the caller shrinks them to the returned number of kept points).
    ``pos_w``/``neg_w`` are weights (float64) or counts of distinct scores
    (int64) when ``weighted``.

    ``part=(pos_start, pos_stop, neg_start, neg_stop)`` sweeps only those
    scores, as the part of the whole curve they are (points and decisions
    identical; room for the part's points from ``offset``): every score
    below the part must be below each of its scores, every one above it
    above them. Two parts can then be swept on two threads. Counts only
    (integer sums are exact in any order): float weights are refused.
    """
    cdef const count_t* pw = counts_ptr(pos_w)
    cdef const count_t* nw = counts_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0], n_kept
    cdef Py_ssize_t p0 = 0, p1 = n_pos, q0 = 0, q1 = n_neg, i, j
    cdef Py_ssize_t capacity = fps.shape[0]
    cdef bint after, before
    cdef int64_t dp = 0, dn = 0
    cdef const int64_t* pw_i = <const int64_t*>pw if weighted else NULL
    cdef const int64_t* nw_i = <const int64_t*>nw if weighted else NULL
    cdef score_t t
    if tps.shape[0] != capacity or thresholds.shape[0] != capacity:
        raise ValueError("fps, tps and thresholds must have the same length")
    if not ALL_POINTS <= rule <= TPS_ENDS_AFTER_ORIGIN or offset < 0:
        raise ValueError("unknown rule or negative offset")
    check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)
    if part is not None:
        p0, p1, q0, q1 = part
        if not (0 <= p0 <= p1 <= n_pos and 0 <= q0 <= q1 <= n_neg):
            raise ValueError("part outside the scores")
        if weighted and count_t is double:
            raise ValueError("float weights are swept whole (their sums depend on the order)")
        _check_part(ps, n_pos, p0, p1, ns, n_neg, q0, q1)
    if capacity - offset < (p1 - p0) + (q1 - q0):
        raise ValueError("the outputs need offset + len(pos) + len(neg) entries")
    if p1 - p0 + q1 - q0 == 0:
        return 0
    after = p1 < n_pos or q1 < n_neg
    before = p0 > 0 or q0 > 0
    with nogil:
        if weighted and count_t is double:
            n_kept = _sweep_points[score_t, double](
                ps, <const double*>pw, n_pos, ns, <const double*>nw, n_neg, rule,
                f64_out(fps), f64_out(tps), scores_out(thresholds), offset,
                0.0, 0.0, False, False, 0.0, 0.0)
        else:
            if before:
                i, j = p0, q0
                next_threshold(ps, pw_i, &i, ns, nw_i, &j, &dp, &dn, &t)
            n_kept = _sweep_points[score_t, int64_t](
                ps + p0, pw_i + p0 if weighted else NULL, p1 - p0,
                ns + q0, nw_i + q0 if weighted else NULL, q1 - q0, rule,
                f64_out(fps), f64_out(tps), scores_out(thresholds), offset,
                _total(pw_i, p1, n_pos), _total(nw_i, q1, n_neg), after, before, dp, dn)
    return n_kept


# What `reversed_rates` computes.
cdef enum:
    PR_RATES = 0
    DET_RATES = 1

PRECISION_RECALL = PR_RATES
DET = DET_RATES


def reversed_rates(
    const double[::1] fps,
    const double[::1] tps,
    int kind,
    double total_neg,
    double total_pos,
    double[::1] first,
    double[::1] second,
):
    """A curve's rates from its cumulative counts, reversed (``first[m - 1
    - i]`` from point ``i``), in one pass where numpy takes several over
    reversed views; the same operations, hence the same bits.

    ``PRECISION_RECALL``: precision ``tps / (tps + fps)`` and, unless
    ``second`` is empty, recall ``tps / total_pos``. ``DET``: false positive
    rate ``fps / total_neg`` and false negative rate ``(total_pos - tps) /
    total_pos``. Outputs of exactly ``m``: the caller may give a part of the
    curve (cut in two for two threads) and the mirrored part of the outputs.
    """
    cdef Py_ssize_t i, m = tps.shape[0]
    cdef bint with_second = second.shape[0] > 0
    if fps.shape[0] != m or first.shape[0] != m or (with_second and second.shape[0] != m):
        raise ValueError("fps, tps and the outputs must have the same length")
    if kind != PR_RATES and kind != DET_RATES:
        raise ValueError("unknown kind of rates")
    with nogil:
        if kind == PR_RATES:
            for i in range(m):
                first[m - 1 - i] = tps[i] / (tps[i] + fps[i])
            if with_second:
                for i in range(m):
                    second[m - 1 - i] = tps[i] / total_pos
        else:
            for i in range(m):
                first[m - 1 - i] = fps[i] / total_neg
            if with_second:
                for i in range(m):
                    second[m - 1 - i] = (total_pos - tps[i]) / total_pos
