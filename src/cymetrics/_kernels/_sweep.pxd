# Shared sweep step, inline so other kernels (inference, streaming) walk the
# sorted classes exactly as the sweep does.
from libc.stdint cimport int64_t

from cymetrics._kernels._types cimport score_t, count_t


cdef inline bint _next_threshold(
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


# Raw pointers into possibly empty memoryviews (NULL when empty).
cdef inline const double* _weights_ptr(const double[::1] w) noexcept nogil:
    return &w[0] if w.shape[0] > 0 else NULL


cdef inline const score_t* _scores_ptr(const score_t[::1] s) noexcept nogil:
    return &s[0] if s.shape[0] > 0 else NULL
