# Kernels for statistical inference on binary scores: DeLong placement
# values and the resampled sweeps of the bootstrap.
#
# DeLong (Sun & Xu, 2014): the placement value of a positive is the weight of
# the negatives below its score plus half the tied ones, over the negative
# total; that of a negative is the weight of the positives above it plus half
# the tied ones, over the positive total. Walking both classes' ascending
# score arrays from the top, one distinct score (a "run") at a time, gives
# every placement value in one merge: O(n) after the sorts, exact under ties.
# Unweighted variances use a faster merge driven by the positives, in which
# the negatives between two positive scores (which share one placement) are
# skipped by a tight cursor loop.
#
# Bootstrap: the order of the scores does not change across resamples, so
# the samples are laid out once in "slots" by decreasing score, flagged with
# their class and the start of each run of tied scores. A resample is a
# vector of integer counts over the slots, filled from the drawn sample
# indices through a table sample -> slot, and the statistic is one forward
# sweep over the slots.
#
# Counts are int64 when unweighted (then the AUC numerator is exact) and
# float64 when weighted.

from libc.stdint cimport int64_t, uint8_t
from libc.math cimport NAN

from cymetrics._kernels._pointers cimport check_aligned, f64_ptr, scores_ptr
from cymetrics._kernels._sweep cimport next_threshold
from cymetrics._kernels._types cimport score_t, count_t


cdef inline double _pos_placement(count_t total_neg, count_t fp_above, count_t dn) noexcept nogil:
    """Weight of the negatives below plus half the tied ones, over the total."""
    if count_t is int64_t:
        # An exact integer numerator: one rounding in the division.
        return (<double>(2 * (total_neg - fp_above) - dn)) / (2.0 * <double>total_neg)
    else:
        return (total_neg - fp_above - 0.5 * dn) / total_neg


cdef inline double _neg_placement(count_t total_pos, count_t tp_above, count_t dp) noexcept nogil:
    """Weight of the positives above plus half the tied ones, over the total."""
    if count_t is int64_t:
        return (<double>(2 * tp_above + dp)) / (2.0 * <double>total_pos)
    else:
        return (tp_above + 0.5 * dp) / total_pos


cdef void _delong_sums(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg,
    count_t total_pos, count_t total_neg, double auc,
    double* ss10, double* ss01,
) noexcept nogil:
    """Sums of w (placement - auc)^2 per class, by the run walk (weighted)."""
    cdef Py_ssize_t i = n_pos, j = n_neg
    cdef count_t dp = 0, dn = 0, tp = 0, fp = 0
    cdef score_t t
    cdef double d, s10 = 0.0, s01 = 0.0
    while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        if dp != 0:
            d = _pos_placement(total_neg, fp, dn) - auc
            s10 += (<double>dp) * d * d
        if dn != 0:
            d = _neg_placement(total_pos, tp, dp) - auc
            s01 += (<double>dn) * d * d
        tp += dp
        fp += dn
    # Written once: the outputs may alias nothing the loop reads.
    ss10[0] = s10
    ss01[0] = s01


cdef void _delong_sums_counted(
    const score_t* pos, Py_ssize_t n_pos, const score_t* neg, Py_ssize_t n_neg,
    double auc, double* ss10, double* ss01,
) noexcept nogil:
    """Unweighted `_delong_sums` as one merge driven by the positives.

    For each run of equal positive scores x: the negatives strictly between
    the previous run and x share one placement (the positives above them
    are those not yet passed), so they are consumed by a tight cursor loop
    (that of `_sweep._pairs_below`) and added as count * d^2; the negatives
    tied with x and the positives of the run get their tie-corrected
    placements. Every placement numerator is an exact integer.
    """
    cdef Py_ssize_t i = 0, j = 0, j0, run, ties
    cdef double d, s10 = 0.0, s01 = 0.0
    cdef double scale_pos = 2.0 * <double>n_pos, scale_neg = 2.0 * <double>n_neg
    cdef score_t x
    while i < n_pos:
        x = pos[i]
        run = 1
        while i + run < n_pos and pos[i + run] == x:
            run += 1
        j0 = j
        while j < n_neg and neg[j] < x:
            j += 1
        if j > j0:
            # Positives above these negatives: the n_pos - i not passed yet.
            d = (<double>(2 * (n_pos - i))) / scale_pos - auc
            s01 += (<double>(j - j0)) * d * d
        ties = 0
        while j + ties < n_neg and neg[j + ties] == x:
            ties += 1
        if ties:
            d = (<double>(2 * (n_pos - i - run) + run)) / scale_pos - auc
            s01 += (<double>ties) * d * d
        d = (<double>(2 * j + ties)) / scale_neg - auc
        s10 += (<double>run) * d * d
        j += ties
        i += run
    if j < n_neg:
        # Negatives above every positive: placement 0.
        s01 += (<double>(n_neg - j)) * auc * auc
    ss10[0] = s10
    ss01[0] = s01


cdef int _check_sorted_input(
    const score_t[::1] pos, const score_t[::1] neg,
    const double[::1] pos_w, const double[::1] neg_w, bint weighted,
) except -1:
    if pos.shape[0] == 0 or neg.shape[0] == 0:
        raise ValueError("both classes must be non-empty")
    return check_aligned(pos.shape[0], neg.shape[0], pos_w.shape[0], neg_w.shape[0], weighted)


def delong_sums(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const double[::1] pos_w,
    const double[::1] neg_w,
    double total_pos,
    double total_neg,
    bint weighted,
    double auc,
):
    """Weighted sums of squared deviations of the placement values from ``auc``.

    ``pos``/``neg`` are each class's scores sorted ascending, weights aligned
    (empty when unweighted); ``total_*`` are the class totals (the counts
    when unweighted). Returns ``(sum_pos w (V10 - auc)^2,
    sum_neg w (V01 - auc)^2)``; DeLong's S10 and S01 are these over
    ``total - 1``.
    """
    cdef double ss10 = 0.0, ss01 = 0.0
    cdef const double* pw = f64_ptr(pos_w)
    cdef const double* nw = f64_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    _check_sorted_input(pos, neg, pos_w, neg_w, weighted)
    with nogil:
        if weighted:
            _delong_sums[score_t, double](
                ps, pw, n_pos, ns, nw, n_neg, total_pos, total_neg, auc, &ss10, &ss01)
        else:
            _delong_sums_counted(ps, n_pos, ns, n_neg, auc, &ss10, &ss01)
    return ss10, ss01


cdef bint _placements(
    const score_t* pos, const count_t* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const count_t* neg_w, Py_ssize_t n_neg,
    count_t total_pos, count_t total_neg,
    const int64_t* pos_order, const int64_t* neg_order,
    double* v10, double* v01, double* auc,
) noexcept nogil:
    """Write each sample's placement value at its index in ``*_order`` and
    the AUC to ``auc``; False (and the write skipped) for an index outside
    ``[0, n_class)``."""
    cdef Py_ssize_t i = n_pos, j = n_neg, k, i_end, j_end
    cdef score_t t
    cdef count_t dp = 0, dn = 0, tp = 0, fp = 0, twice_u = 0
    cdef double v, area = 0.0
    cdef int64_t dest
    cdef bint ok = True
    while True:
        i_end = i
        j_end = j
        if not next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
            break
        if i < i_end:
            v = _pos_placement(total_neg, fp, dn)
            for k in range(i, i_end):
                dest = pos_order[k]
                if 0 <= dest < n_pos:
                    v10[dest] = v
                else:
                    ok = False
        if j < j_end:
            v = _neg_placement(total_pos, tp, dp)
            for k in range(j, j_end):
                dest = neg_order[k]
                if 0 <= dest < n_neg:
                    v01[dest] = v
                else:
                    ok = False
        # As `_sweep.sorted_sweep_auc`: exact in int64, else per step.
        if count_t is int64_t:
            twice_u += dn * (2 * tp + dp)
        else:
            area += (dn / total_neg) * ((tp + 0.5 * dp) / total_pos)
        tp += dp
        fp += dn
    if count_t is int64_t:
        auc[0] = (<double>twice_u) / (2.0 * (<double>total_pos) * (<double>total_neg))
    else:
        auc[0] = area
    return ok


def delong_placements(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const double[::1] pos_w,
    const double[::1] neg_w,
    double total_pos,
    double total_neg,
    bint weighted,
    const int64_t[::1] pos_order,
    const int64_t[::1] neg_order,
    double[::1] v10,
    double[::1] v01,
):
    """Every sample's DeLong placement value, un-sorted through ``*_order``.

    ``pos[k]`` is the score of positive ``pos_order[k]`` (an argsort of the
    positives' scores), likewise for the negatives; sets ``v10[pos_order[k]]``
    and ``v01[neg_order[k]]``. Returns the AUC (computed as `roc_auc_score`
    does). Same contract as `delong_sums` otherwise.
    """
    cdef const double* pw = f64_ptr(pos_w)
    cdef const double* nw = f64_ptr(neg_w)
    cdef const score_t* ps = scores_ptr(pos)
    cdef const score_t* ns = scores_ptr(neg)
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    cdef bint ok
    cdef double auc = NAN
    _check_sorted_input(pos, neg, pos_w, neg_w, weighted)
    if (pos_order.shape[0] != n_pos or v10.shape[0] != n_pos
            or neg_order.shape[0] != n_neg or v01.shape[0] != n_neg):
        raise ValueError("orders and outputs must have the length of their class")
    with nogil:
        if weighted:
            ok = _placements[score_t, double](
                ps, pw, n_pos, ns, nw, n_neg, total_pos, total_neg,
                &pos_order[0], &neg_order[0], &v10[0], &v01[0], &auc)
        else:
            ok = _placements[score_t, int64_t](
                ps, NULL, n_pos, ns, NULL, n_neg, <int64_t>n_pos, <int64_t>n_neg,
                &pos_order[0], &neg_order[0], &v10[0], &v01[0], &auc)
    if not ok:
        raise ValueError("an order index is out of range")
    return auc


# ---------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------
cdef bint _add_draws(
    const int64_t[::1] draws, const int64_t[::1] table, const double* weights,
    count_t* out, Py_ssize_t n_out,
) noexcept nogil:
    """``out[table[d]] += 1`` (int64) or ``+= weights[d]`` (double) for every
    drawn ``d``; False (adding what is in range) on an index out of range."""
    cdef Py_ssize_t k, m = table.shape[0]
    cdef int64_t d, s
    cdef bint ok = True
    for k in range(draws.shape[0]):
        d = draws[k]
        if d < 0 or d >= m:
            ok = False
            continue
        s = table[d]
        if s < 0 or s >= n_out:
            ok = False
            continue
        if count_t is int64_t:
            out[s] += 1
        else:
            out[s] += weights[d]
    return ok


def count_draws(
    const int64_t[::1] draws,
    const int64_t[::1] table,
    int64_t[::1] counts,
):
    """``counts[table[d]] += 1`` for every drawn index ``d``.

    Returns False (counting what is in range) if a draw or a table entry is
    out of range.
    """
    cdef bint ok
    if counts.shape[0] == 0:
        return draws.shape[0] == 0
    with nogil:
        ok = _add_draws[int64_t](draws, table, NULL, &counts[0], counts.shape[0])
    return ok


def sum_draws(
    const int64_t[::1] draws,
    const int64_t[::1] table,
    const double[::1] weights,
    double[::1] sums,
):
    """``sums[table[d]] += weights[d]`` for every drawn index ``d``
    (``weights`` aligned with ``table``). Returns False on an index out of
    range, as `count_draws`."""
    cdef bint ok
    if weights.shape[0] != table.shape[0]:
        raise ValueError("weights must align with table")
    if sums.shape[0] == 0:
        return draws.shape[0] == 0
    with nogil:
        ok = _add_draws[double](draws, table, f64_ptr(weights), &sums[0], sums.shape[0])
    return ok


# Statistics of `resampled_ranking`.
cdef enum:
    _AUC = 0
    _AVERAGE_PRECISION = 1

AUC = _AUC
AVERAGE_PRECISION = _AVERAGE_PRECISION

# Bits of the slot flags.
cdef enum:
    _POSITIVE = 1
    _RUN_START = 2

POSITIVE = _POSITIVE
RUN_START = _RUN_START


cdef double _resampled_ranking(
    const int64_t* counts, const double* slot_w, const uint8_t* flags, Py_ssize_t n,
    int statistic, count_t zero,
) noexcept nogil:
    cdef Py_ssize_t k
    cdef count_t c, dp = zero, dn = zero, tp = zero, fp = zero, twice_u = zero
    cdef count_t is_pos
    cdef double ap = 0.0
    for k in range(n + 1):
        if k == n or flags[k] & _RUN_START:
            # Close the run of tied scores that ends here.
            if statistic == _AUC:
                twice_u += dn * (2 * tp + dp)
            elif dp != 0:
                ap += (<double>dp) * ((<double>(tp + dp)) / (<double>(tp + dp + fp + dn)))
            tp += dp
            fp += dn
            dp = zero
            dn = zero
            if k == n:
                break
        if count_t is int64_t:
            c = counts[k]
        else:
            c = counts[k] * slot_w[k]
        # Branch-free: the classes interleave at random in score order.
        is_pos = flags[k] & _POSITIVE
        dp += c * is_pos
        dn += c * (1 - is_pos)
    if statistic == _AUC:
        if tp == 0 or fp == 0:
            return NAN
        return (<double>twice_u) / (2.0 * (<double>tp) * (<double>fp))
    if tp == 0:
        return NAN
    return ap / (<double>tp)


def resampled_ranking(
    const int64_t[::1] counts,
    const double[::1] slot_w,
    const uint8_t[::1] flags,
    int statistic,
):
    """ROC AUC or average precision of one resample given as slot counts.

    Slots hold the samples by decreasing score; ``flags`` marks the
    positives (``POSITIVE``) and the first slot of each run of tied scores
    (``RUN_START``). ``counts`` is how often each slot was drawn and
    ``slot_w`` its sample weight, or empty when unweighted (the sums are
    then exact integers). NaN when a class has no weight.
    """
    cdef Py_ssize_t n = counts.shape[0]
    cdef bint weighted = slot_w.shape[0] > 0
    cdef double result
    if flags.shape[0] != n:
        raise ValueError("flags must have one entry per slot")
    if weighted and slot_w.shape[0] != n:
        raise ValueError("slot_w must have one weight per slot")
    if statistic != _AUC and statistic != _AVERAGE_PRECISION:
        raise ValueError("unknown statistic")
    if n == 0:
        return NAN
    with nogil:
        if weighted:
            result = _resampled_ranking(
                &counts[0], &slot_w[0], &flags[0], n, statistic, <double>0.0)
        else:
            result = _resampled_ranking(
                &counts[0], NULL, &flags[0], n, statistic, <int64_t>0)
    return result
