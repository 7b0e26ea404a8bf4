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
    end of each ascending array). Weights are read only when ``count_t`` is
    double; the int64 specialisation counts samples and gets NULL weights.
    """
    cdef score_t t
    if i[0] == 0 and j[0] == 0:
        return False
    if i[0] == 0:
        t = neg[j[0] - 1]
    elif j[0] == 0:
        t = pos[i[0] - 1]
    else:
        t = pos[i[0] - 1] if pos[i[0] - 1] > neg[j[0] - 1] else neg[j[0] - 1]
    dp[0] = 0
    dn[0] = 0
    # Two explicit loops rather than one helper called twice: the helper
    # (inlined or not) measured ~8% slower in the weighted sweep.
    while i[0] > 0 and pos[i[0] - 1] == t:
        i[0] -= 1
        if count_t is int64_t:
            dp[0] += 1
        else:
            dp[0] += pos_w[i[0]]
    while j[0] > 0 and neg[j[0] - 1] == t:
        j[0] -= 1
        if count_t is int64_t:
            dn[0] += 1
        else:
            dn[0] += neg_w[j[0]]
    threshold[0] = t
    return True


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
