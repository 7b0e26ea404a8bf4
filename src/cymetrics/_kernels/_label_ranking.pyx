# Per-row ranking statistics of a (n_samples, n_labels) score matrix.
#
# Each row is walked from its highest score down, one group of tied scores at
# a time, along the ascending order given by ``np.argsort(scores, axis=1)``.
# The walk yields everything the label-ranking metrics and the per-sample
# ('samples'-averaged) ROC AUC and average precision need, in O(n_labels) per
# row after the sort.

from libc.math cimport isfinite
from libc.stdint cimport int64_t, uint8_t

from cymetrics._kernels._types cimport score_t


cdef bint _order_is_valid(const Py_ssize_t[:, ::1] order, Py_ssize_t n_cols) noexcept nogil:
    cdef Py_ssize_t i, k
    for i in range(order.shape[0]):
        for k in range(n_cols):
            if order[i, k] < 0 or order[i, k] >= n_cols:
                return False
    return True


cdef int _check_order(Py_ssize_t n, Py_ssize_t n_cols, const Py_ssize_t[:, ::1] order) except -1:
    if order.shape[0] != n or order.shape[1] != n_cols:
        raise ValueError("order must have the shape of scores")
    if not _order_is_valid(order, order.shape[1]):
        raise ValueError("order holds an index outside the row")
    return 0


def rank_rows(
    const score_t[:, ::1] scores,
    const Py_ssize_t[:, ::1] order,
    const Py_ssize_t[::1] codes,
    const uint8_t[:, ::1] relevant,
    bint use_codes,
    int64_t[::1] n_relevant,
    double[::1] precision_sum,
    int64_t[::1] pairs_above,
    int64_t[::1] pairs_tied,
):
    """Ranking statistics of each row's relevant labels.

    ``order`` is ``np.argsort(scores, axis=1)``. Label ``j`` of row ``i`` is
    relevant when ``codes[i] == j`` (``use_codes``) or ``relevant[i, j]`` is
    non-zero. For row ``i`` sets

    * ``n_relevant[i]``: its number of relevant labels;
    * ``precision_sum[i]``: the sum over relevant labels ``j`` of
      ``#{relevant l: s_l >= s_j} / #{l: s_l >= s_j}``;
    * ``pairs_above[i]``: the (relevant, irrelevant) pairs whose irrelevant
      label scores strictly higher;
    * ``pairs_tied[i]``: the (relevant, irrelevant) pairs with equal scores.
    """
    cdef Py_ssize_t i, k, g_all, g_rel, idx, n = scores.shape[0], n_cols = scores.shape[1]
    cdef int64_t cum_all, cum_rel, irr_above, above, tied
    cdef double prec
    cdef score_t t
    _check_order(n, n_cols, order)
    if use_codes and codes.shape[0] != n:
        raise ValueError("codes must be n_samples long")
    if not use_codes and (relevant.shape[0] != n or relevant.shape[1] != n_cols):
        raise ValueError("relevant must have the shape of scores")
    if (n_relevant.shape[0] != n or precision_sum.shape[0] != n
            or pairs_above.shape[0] != n or pairs_tied.shape[0] != n):
        raise ValueError("outputs must be n_samples long")
    with nogil:
        for i in range(n):
            cum_all = cum_rel = irr_above = above = tied = 0
            prec = 0.0
            k = n_cols - 1
            while k >= 0:
                t = scores[i, order[i, k]]
                g_all = g_rel = 0
                while k >= 0:
                    idx = order[i, k]
                    if scores[i, idx] != t:
                        break
                    g_all += 1
                    if use_codes:
                        g_rel += codes[i] == idx
                    else:
                        g_rel += relevant[i, idx] != 0
                    k -= 1
                cum_all += g_all
                cum_rel += g_rel
                if g_rel:
                    prec += g_rel * (<double>cum_rel / <double>cum_all)
                    above += g_rel * irr_above
                    tied += g_rel * (g_all - g_rel)
                irr_above += g_all - g_rel
            n_relevant[i] = cum_rel
            precision_sum[i] = prec
            pairs_above[i] = above
            pairs_tied[i] = tied


def coverage(
    const score_t[:, ::1] scores,
    const uint8_t[:, ::1] relevant,
    int64_t[::1] out,
):
    """``out[i]``: how many labels score at least the lowest-scored relevant
    label of row ``i`` (0 when the row has none). Returns False if a score is
    not finite."""
    cdef Py_ssize_t i, j, n = scores.shape[0], n_cols = scores.shape[1]
    cdef int64_t count
    cdef bint any_rel, finite = True
    cdef score_t lowest
    if relevant.shape[0] != n or relevant.shape[1] != n_cols or out.shape[0] != n:
        raise ValueError("relevant must have the shape of scores, out n_samples long")
    with nogil:
        for i in range(n):
            any_rel = False
            lowest = 0
            for j in range(n_cols):
                finite &= isfinite(scores[i, j])
                if relevant[i, j] != 0 and (not any_rel or scores[i, j] < lowest):
                    lowest = scores[i, j]
                    any_rel = True
            count = 0
            if any_rel:
                for j in range(n_cols):
                    count += scores[i, j] >= lowest
            out[i] = count
    return finite


def tie_averaged_dcg(
    const score_t[:, ::1] scores,
    const Py_ssize_t[:, ::1] order,
    const double[:, ::1] gains,
    const double[::1] discount_cumsum,
    double[::1] out,
):
    """Discounted cumulative gain of each row, ties averaged.

    A group of tied scores occupying ranks ``[a, b)`` gets the mean gain of
    its labels times ``discount_cumsum[b - 1] - discount_cumsum[a - 1]``
    (``discount_cumsum[-1]`` taken as 0); ``order`` is
    ``np.argsort(scores, axis=1)``.
    """
    cdef Py_ssize_t i, k, idx, g, rank, n = scores.shape[0], n_cols = scores.shape[1]
    cdef double gain, previous, dcg
    cdef score_t t
    _check_order(n, n_cols, order)
    if gains.shape[0] != n or gains.shape[1] != n_cols:
        raise ValueError("gains must have the shape of scores")
    if discount_cumsum.shape[0] != n_cols or out.shape[0] != n:
        raise ValueError("discount_cumsum must be n_labels long, out n_samples long")
    with nogil:
        for i in range(n):
            k = n_cols - 1
            rank = 0
            previous = 0.0
            dcg = 0.0
            while k >= 0:
                t = scores[i, order[i, k]]
                g = 0
                gain = 0.0
                while k >= 0:
                    idx = order[i, k]
                    if scores[i, idx] != t:
                        break
                    gain += gains[i, idx]
                    g += 1
                    k -= 1
                rank += g
                dcg += (gain / g) * (discount_cumsum[rank - 1] - previous)
                previous = discount_cumsum[rank - 1]
            out[i] = dcg
