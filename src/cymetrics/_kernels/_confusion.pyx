# Confusion counting over integer labels in one pass.
#
# Labels arrive either as small-range integers (counted at ``label - offset``
# without any encoding) or as intp codes from an ``np.unique`` step in Python.
# Two tables: the K x K matrix (`accumulate_confusion`), and per-class totals
# (`count_per_class`) summed in sample order, for weighted sums that must
# round as scikit-learn's bincounts and label sets too large for a matrix.
# Both stop at the first label outside their table, so the Python layer can
# grow it and go on: a guessed label range costs no extra pass.

from libc.stdint cimport int64_t, uint8_t, uint64_t

from cymetrics._kernels._types cimport label_t, count_t


def label_range(const label_t[::1] y_true, const label_t[::1] y_pred):
    """Return ``(min, max)`` over both arrays, which must be non-empty."""
    cdef Py_ssize_t k
    cdef label_t lo, hi, v
    if y_true.shape[0] == 0 or y_pred.shape[0] == 0:
        raise ValueError("label_range needs non-empty arrays")
    lo = hi = y_true[0]
    with nogil:
        for k in range(y_true.shape[0]):
            v = y_true[k]
            lo = v if v < lo else lo
            hi = v if v > hi else hi
        for k in range(y_pred.shape[0]):
            v = y_pred[k]
            lo = v if v < lo else lo
            hi = v if v > hi else hi
    return int(lo), int(hi)


def accumulate_confusion(
    const label_t[::1] y_true,
    const label_t[::1] y_pred,
    int64_t offset,
    count_t[:, ::1] out,
    const count_t[::1] weight,
    Py_ssize_t start=0,
):
    """Add ``weight[k]`` (1 when ``weight`` is empty) to
    ``out[y_true[k] - offset, y_pred[k] - offset]`` for ``k >= start``.

    Stops at the first sample whose labels fall outside ``out`` and returns
    its index (the number of samples counted so far); returns ``len(y_true)``
    when every sample was counted. The caller can then grow ``out`` and go
    on from there, so a guessed label range costs no extra pass.
    """
    cdef Py_ssize_t k, n = y_true.shape[0]
    cdef uint64_t n_rows = out.shape[0], n_cols = out.shape[1], a, b
    cdef uint64_t base = <uint64_t>offset
    cdef bint weighted = weight.shape[0] > 0
    if y_pred.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("y_true, y_pred and weight must have the same length")
    if start < 0:
        raise ValueError("start must be >= 0")
    with nogil:
        for k in range(start, n):
            # Unsigned arithmetic wraps (no overflow) and folds the lower
            # bound into the one never-taken branch.
            a = <uint64_t><int64_t>y_true[k] - base
            b = <uint64_t><int64_t>y_pred[k] - base
            if a >= n_rows or b >= n_cols:
                break
            if weighted:
                out[a, b] += weight[k]
            else:
                out[a, b] += 1
        else:
            k = n
    return k


cdef Py_ssize_t _count_two_classes(
    const label_t* y_true, const label_t* y_pred, Py_ssize_t start, Py_ssize_t n,
    int64_t offset, const count_t* weight, count_t* tp, count_t* n_true, count_t* n_pred,
    uint8_t* seen,
) noexcept nogil:
    """`count_per_class` over two classes (binary targets), the six sums in
    registers: through memory, each weighted add waited for the previous
    add to the same class (store, reload, add: ~9 cycles). Every sum gets
    ``w`` or ``0`` at every sample, in sample order; with weights ``>= 0``
    adding 0 changes nothing, so the sums are the same bits. ``weight``
    NULL: one per sample."""
    cdef Py_ssize_t k
    cdef int64_t a, b
    cdef count_t w = 1, w_a, w_b
    cdef count_t t0 = n_true[0], t1 = n_true[1], p0 = n_pred[0], p1 = n_pred[1]
    cdef count_t tp0 = tp[0], tp1 = tp[1]
    cdef uint64_t classes_seen = 0
    for k in range(start, n):
        a = <int64_t>y_true[k] - offset
        b = <int64_t>y_pred[k] - offset
        if <unsigned long long>(a | b) >= 2:
            break
        if weight != NULL:
            w = weight[k]
        # w * 1 is w and w - w is 0, exactly.
        w_a = w * <count_t>a
        w_b = w * <count_t>b
        t1 += w_a
        t0 += w - w_a
        p1 += w_b
        p0 += w - w_b
        tp1 += w_a * <count_t>(b)
        tp0 += (w - w_a) * <count_t>(1 - b)
        classes_seen |= (<uint64_t>1 << a) | (<uint64_t>1 << b)
    else:
        k = n
    n_true[0], n_true[1], n_pred[0], n_pred[1], tp[0], tp[1] = t0, t1, p0, p1, tp0, tp1
    seen[0] |= classes_seen & 1
    seen[1] |= (classes_seen >> 1) & 1
    return k


def count_per_class(
    const label_t[::1] y_true,
    const label_t[::1] y_pred,
    int64_t offset,
    const count_t[::1] weight,
    count_t[::1] tp,
    count_t[::1] n_true,
    count_t[::1] n_pred,
    uint8_t[::1] seen,
    Py_ssize_t start=0,
):
    """Per-class (weighted) true positives, true counts and predicted counts.

    Class ``label - offset`` indexes ``tp``, ``n_true``, ``n_pred`` and
    ``seen`` (all of length K); ``seen`` flags the classes that occur, zero
    weight or not. Samples ``k >= start`` are added in order, so weighted
    sums round as ``np.bincount`` adds them. Stops at the first sample with a
    class outside ``[0, K)`` and returns its index (the caller may grow the
    outputs and go on from there); returns ``len(y_true)`` when every sample
    was counted.
    """
    cdef Py_ssize_t k, n = y_true.shape[0]
    cdef int64_t n_classes = tp.shape[0], a, b
    cdef bint weighted = weight.shape[0] > 0
    cdef count_t w = 1
    if y_pred.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("y_true, y_pred and weight must have the same length")
    if n_true.shape[0] != n_classes or n_pred.shape[0] != n_classes or seen.shape[0] != n_classes:
        raise ValueError("outputs must have the same length")
    if start < 0:
        raise ValueError("start must be >= 0")
    if n_classes == 2 and start < n:
        with nogil:
            k = _count_two_classes(&y_true[0], &y_pred[0], start, n, offset,
                                   &weight[0] if weighted else NULL, &tp[0], &n_true[0],
                                   &n_pred[0], &seen[0])
        return k
    with nogil:
        for k in range(start, n):
            a = <int64_t>y_true[k] - offset
            b = <int64_t>y_pred[k] - offset
            if <unsigned long long>a >= <unsigned long long>n_classes or \
                    <unsigned long long>b >= <unsigned long long>n_classes:
                break
            if weighted:
                w = weight[k]
            n_true[a] += w
            n_pred[b] += w
            # Branch-free (right and wrong predictions interleave at random);
            # adding w * 0 leaves a sum unchanged.
            tp[a] += w * (a == b)
            seen[a] = 1
            seen[b] = 1
        else:
            k = n
    return k
