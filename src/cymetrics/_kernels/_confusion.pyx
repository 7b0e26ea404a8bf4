# Confusion-matrix accumulation over integer labels in one pass.
#
# Labels arrive either as small-range integers (counted at ``label - offset``
# without any encoding) or as intp codes from an ``np.unique`` step in Python.

from libc.stdint cimport int64_t, uint64_t

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
