# The shared sweep step, inline so that every kernel walking two sorted
# classes (sweep, inference, pairwise, streaming) walks them exactly as the
# sweep does.
from libc.stdint cimport int64_t

from cymetrics._kernels._types cimport score_t, count_t


cdef inline bint next_threshold(
    const score_t* pos, const count_t* pos_w, Py_ssize_t* i,
    const score_t* neg, const count_t* neg_w, Py_ssize_t* j,
    count_t* dp, count_t* dn, score_t* threshold,
) noexcept nogil:
    """Consume every score equal to the largest one left; False when done.

    ``i`` and ``j`` count the scores not yet consumed (the walk goes from the
    end of each ascending array). ``pos_w``/``neg_w`` are each score's
    weight (double) or count (int64: distinct scores with their
    multiplicity); NULL int64 counts mean one sample per score.
    """
    cdef score_t t, p, q
    cdef Py_ssize_t take, ip = i[0], jn = j[0]
    cdef score_t top[2]
    if ip > 0 and jn > 0:
        p = pos[ip - 1]
        q = neg[jn - 1]
        # Whether p (q) is alone in its class: the score below it differs,
        # or there is none (then index 0 is p itself). One branch, on a
        # condition that holds for all continuous scores.
        if (p != q) & ((ip == 1) | (pos[ip - 2 + (ip < 2)] != p)) & (
                (jn == 1) | (neg[jn - 2 + (jn < 2)] != q)):
            # No tie at the top (continuous scores): one score is consumed,
            # chosen without a branch. Its weight (count) or nothing is what
            # `_consume` would add up, to the same bits (0 + w is w).
            take = p > q
            # Selected by index and by multiplying by 0 or 1 (exact), not
            # with `if`: the compiler would branch, and the branch would
            # mispredict on every other score.
            top[0] = q
            top[1] = p
            threshold[0] = top[take]
            if pos_w == NULL:
                dp[0] = take
                dn[0] = 1 - take
            else:
                dp[0] = pos_w[ip - 1] * <count_t>take
                dn[0] = neg_w[jn - 1] * <count_t>(1 - take)
            i[0] = ip - take
            j[0] = jn - 1 + take
            return True
    if i[0] == 0 and j[0] == 0:
        return False
    if i[0] == 0:
        t = neg[j[0] - 1]
    elif j[0] == 0:
        t = pos[i[0] - 1]
    else:
        t = pos[i[0] - 1] if pos[i[0] - 1] > neg[j[0] - 1] else neg[j[0] - 1]
    dp[0] = _consume(pos, pos_w, i, t)
    dn[0] = _consume(neg, neg_w, j, t)
    threshold[0] = t
    return True


cdef inline count_t _consume(
    const score_t* a, const count_t* w, Py_ssize_t* i, score_t t
) noexcept nogil:
    """Step ``i`` down over the scores of ascending ``a`` equal to ``t``;
    their count (int64) or total weight (double)."""
    cdef count_t total = 0
    if count_t is int64_t:
        if w == NULL:
            while i[0] > 0 and a[i[0] - 1] == t:
                i[0] -= 1
                total += 1
            return total
    while i[0] > 0 and a[i[0] - 1] == t:
        i[0] -= 1
        total += w[i[0]]
    return total


cdef inline double twice_weighted_area(
    const score_t* pos, const double* pos_w, Py_ssize_t n_pos,
    const score_t* neg, const double* neg_w, Py_ssize_t n_neg,
) noexcept nogil:
    """``sum over (p, q) of 2 w_p w_q ([s_p > s_q] + [s_p == s_q] / 2)``:
    twice the weighted Mann-Whitney statistic, exact for integer weights."""
    cdef Py_ssize_t i = n_pos, j = n_neg
    cdef double dp = 0, dn = 0, tp = 0, area = 0.0
    cdef score_t t
    while next_threshold(pos, pos_w, &i, neg, neg_w, &j, &dp, &dn, &t):
        area += dn * (2.0 * tp + dp)
        tp += dp
    return area


cdef inline int64_t pairs_below(
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
