# Per-label and per-class confusion counts in one pass.
#
# * Multilabel indicator matrices (dense rows or CSR) are counted column-wise:
#   per label the (weighted) numbers of true positives, predicted positives and
#   true positives, and optionally the same per sample, plus the exact-match
#   and differing-entry totals that accuracy and Hamming loss need. An entry is
#   positive when it is non-zero (scikit-learn counts stored non-zeros); two
#   entries differ when their values differ.
# The caller validates shapes and allocates zeroed outputs; the kernels only
# loop, refuse indices outside the outputs, and release the GIL.

from libc.stdint cimport int64_t, uint8_t

from cymetrics._kernels._types cimport count_t, value_t


cdef extern from *:
    """
    #if defined(_MSC_VER)
    #define CYMETRICS_RESTRICT __restrict
    #else
    #define CYMETRICS_RESTRICT __restrict__
    #endif
    """
    # The per-label accumulators never alias the input rows nor each other;
    # saying so lets the compiler vectorise the loop over labels.
    ctypedef int64_t* int64_rp "int64_t* CYMETRICS_RESTRICT"
    ctypedef double* double_rp "double* CYMETRICS_RESTRICT"


cdef struct RowCounts:
    int64_t tp
    int64_t pred
    int64_t true
    int64_t diff


ctypedef fused count_rp:
    int64_rp
    double_rp


cdef inline RowCounts _add_row(
    const value_t* t_row,
    const value_t* p_row,
    Py_ssize_t n_labels,
    double w,
    count_rp tp,
    count_rp n_pred,
    count_rp n_true,
) noexcept nogil:
    """Add one row's label-wise counts (times ``w`` when the sums are double;
    int64 counts ignore ``w``) and return its own totals."""
    cdef Py_ssize_t j
    cdef int64_t t, p
    cdef RowCounts row
    row.tp = row.pred = row.true = row.diff = 0
    for j in range(n_labels):
        t = t_row[j] != 0
        p = p_row[j] != 0
        if count_rp is int64_rp:
            tp[j] += t & p
            n_pred[j] += p
            n_true[j] += t
        else:
            # Branch-free: w * 0 adds an exact zero.
            tp[j] += w * (t & p)
            n_pred[j] += w * p
            n_true[j] += w * t
        row.tp += t & p
        row.pred += p
        row.true += t
        row.diff += t_row[j] != p_row[j]
    return row


def count_dense_indicator(
    const value_t[:, ::1] y_true,
    const value_t[:, ::1] y_pred,
    const count_t[::1] weight,
    count_t[::1] tp,
    count_t[::1] n_pred,
    count_t[::1] n_true,
    int64_t[::1] s_tp,
    int64_t[::1] s_pred,
    int64_t[::1] s_true,
):
    """Add the label-wise counts of two dense indicator matrices to the outputs.

    Unweighted counts are int64 (``weight`` empty); weighted counts are
    float64, with one weight per row. ``s_tp``, ``s_pred``, ``s_true``
    receive the per-sample (unweighted) counts; pass empty arrays to skip
    them. Returns ``(exact, differing)``: the weight of the rows where the
    two matrices are equal, and the weighted number of entries that differ.
    """
    cdef Py_ssize_t i, n = y_true.shape[0], n_labels = y_true.shape[1]
    cdef bint weighted = weight.shape[0] > 0
    cdef bint per_sample = s_tp.shape[0] > 0
    cdef RowCounts row
    cdef count_t w = 1, exact = 0, differing = 0
    if y_pred.shape[0] != n or y_pred.shape[1] != n_labels:
        raise ValueError("y_true and y_pred must have the same shape")
    if weighted and (count_t is int64_t or weight.shape[0] != n):
        raise ValueError("weights must be float64, one per row")
    if tp.shape[0] != n_labels or n_pred.shape[0] != n_labels or n_true.shape[0] != n_labels:
        raise ValueError("label outputs must have one entry per column")
    if per_sample and (s_tp.shape[0] != n or s_pred.shape[0] != n or s_true.shape[0] != n):
        raise ValueError("sample outputs must have one entry per row")
    if n == 0 or n_labels == 0:
        return exact, differing
    with nogil:
        for i in range(n):
            if count_t is double:
                w = weight[i] if weighted else 1.0
                row = _add_row[value_t, double_rp](
                    &y_true[i, 0], &y_pred[i, 0], n_labels, w, &tp[0], &n_pred[0], &n_true[0])
            else:
                row = _add_row[value_t, int64_rp](
                    &y_true[i, 0], &y_pred[i, 0], n_labels, 1.0, &tp[0], &n_pred[0], &n_true[0])
            if per_sample:
                s_tp[i] = row.tp
                s_pred[i] = row.pred
                s_true[i] = row.true
            if row.diff == 0:
                exact += w
            differing += w * row.diff
    return exact, differing


cdef inline bint _row_ok(
    const int64_t[::1] indptr, Py_ssize_t n_entries, Py_ssize_t i
) noexcept nogil:
    return 0 <= indptr[i] <= indptr[i + 1] <= n_entries


def count_csr_indicator(
    const int64_t[::1] t_indptr,
    const int64_t[::1] t_indices,
    const double[::1] t_data,
    const int64_t[::1] p_indptr,
    const int64_t[::1] p_indices,
    const double[::1] p_data,
    const count_t[::1] weight,
    count_t[::1] tp,
    count_t[::1] n_pred,
    count_t[::1] n_true,
    int64_t[::1] s_tp,
    int64_t[::1] s_pred,
    int64_t[::1] s_true,
):
    """`count_dense_indicator` for two CSR matrices.

    The column indices of each row must be strictly increasing (canonical
    CSR) and lie in ``[0, len(tp))``; the rows of both matrices are merged.
    Returns ``(exact, differing, ok)``; ``ok`` is False, with the outputs
    partly filled, when an index pointer or a column index is invalid.
    """
    cdef Py_ssize_t n = t_indptr.shape[0] - 1, n_labels = tp.shape[0]
    cdef Py_ssize_t i, a, b, a_end, b_end, col
    cdef bint weighted = weight.shape[0] > 0
    cdef bint per_sample = s_tp.shape[0] > 0
    cdef bint ok = True, t, p
    cdef double tv, pv
    cdef int64_t row_tp, row_pred, row_true, row_diff, prev
    cdef count_t w = 1, exact = 0, differing = 0
    if n < 0 or p_indptr.shape[0] != n + 1:
        raise ValueError("both matrices need n_samples + 1 index pointers")
    if t_data.shape[0] != t_indices.shape[0] or p_data.shape[0] != p_indices.shape[0]:
        raise ValueError("data and indices must have the same length")
    if weighted and weight.shape[0] != n:
        raise ValueError("weight must have one entry per row")
    if n_pred.shape[0] != n_labels or n_true.shape[0] != n_labels:
        raise ValueError("label outputs must have the same length")
    if per_sample and (s_tp.shape[0] != n or s_pred.shape[0] != n or s_true.shape[0] != n):
        raise ValueError("sample outputs must have one entry per row")
    with nogil:
        for i in range(n):
            if not (_row_ok(t_indptr, t_indices.shape[0], i)
                    and _row_ok(p_indptr, p_indices.shape[0], i)):
                ok = False
                break
            if weighted:
                w = weight[i]
            row_tp = row_pred = row_true = row_diff = 0
            a, a_end = t_indptr[i], t_indptr[i + 1]
            b, b_end = p_indptr[i], p_indptr[i + 1]
            prev = -1
            while a < a_end or b < b_end:
                # The next column stored in either row; absent entries are 0.
                if b >= b_end or (a < a_end and t_indices[a] < p_indices[b]):
                    col = t_indices[a]
                    tv, pv = t_data[a], 0.0
                    a += 1
                elif a >= a_end or p_indices[b] < t_indices[a]:
                    col = p_indices[b]
                    tv, pv = 0.0, p_data[b]
                    b += 1
                else:
                    col = t_indices[a]
                    tv, pv = t_data[a], p_data[b]
                    a += 1
                    b += 1
                if col <= prev or col >= n_labels:
                    ok = False
                    break
                prev = col
                t = tv != 0
                p = pv != 0
                row_tp += t & p
                row_pred += p
                row_true += t
                row_diff += tv != pv
                tp[col] += w * (t & p)
                n_pred[col] += w * p
                n_true[col] += w * t
            if not ok:
                break
            if per_sample:
                s_tp[i] = row_tp
                s_pred[i] = row_pred
                s_true[i] = row_true
            if row_diff == 0:
                exact += w
            differing += w * row_diff
    return exact, differing, ok
