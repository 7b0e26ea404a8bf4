# Probabilistic losses (log loss, Brier score) and the hinge loss, each in a
# single pass over the predictions.
#
# The same pass gathers what validation needs (smallest and largest value,
# finiteness, rows whose probabilities do not sum to one), so the Python
# layer never scans the matrix again. The true class is read through its
# code: no one-hot matrix is built. Terms are summed plainly in blocks of
# `_BLOCK` and the block sums compensated (Neumaier): the error does not grow
# with n, at the cost of one extra add per block.

from libc.math cimport fabs, isfinite, log
from libc.stdint cimport uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy

from cymetrics._kernels._types cimport score_t

cdef enum:
    _LOG_LOSS = 0
    _BRIER = 1

# Values of ``metric``.
LOG_LOSS = _LOG_LOSS
BRIER = _BRIER


cdef enum:
    _BLOCK = 256


cdef struct Sum:
    double s  # Neumaier sum of the finished blocks
    double c  # its compensation
    double block  # plain sum of the current block
    Py_ssize_t count  # terms in the current block


cdef inline void _sum_flush(Sum* acc) noexcept nogil:
    cdef double x = acc.block
    cdef double t = acc.s + x
    if fabs(acc.s) >= fabs(x):
        acc.c += (acc.s - t) + x
    else:
        acc.c += (x - t) + acc.s
    acc.s = t
    acc.block = 0.0
    acc.count = 0


cdef inline void _sum_add(Sum* acc, double x) noexcept nogil:
    acc.block += x
    acc.count += 1
    if acc.count == _BLOCK:
        _sum_flush(acc)


cdef inline double _sum_total(Sum* acc) noexcept nogil:
    _sum_flush(acc)
    return acc.s + acc.c


cdef inline Sum _new_sum() noexcept nogil:
    cdef Sum acc
    acc.s = acc.c = acc.block = 0.0
    acc.count = 0
    return acc


cdef inline score_t _select(bint first, score_t a, score_t b) noexcept nogil:
    """``a if first else b`` without a branch (the classes of consecutive
    samples are unpredictable): a bit mask over the two values."""
    cdef uint32_t a32, b32, m32
    cdef uint64_t a64, b64, m64
    if score_t is float:
        memcpy(&a32, &a, 4)
        memcpy(&b32, &b, 4)
        m32 = <uint32_t>0 - <uint32_t>first
        a32 = (a32 & m32) | (b32 & ~m32)
        memcpy(&a, &a32, 4)
    else:
        memcpy(&a64, &a, 8)
        memcpy(&b64, &b, 8)
        m64 = <uint64_t>0 - <uint64_t>first
        a64 = (a64 & m64) | (b64 & ~m64)
        memcpy(&a, &a64, 8)
    return a


cdef inline double _clip(double v, double lo, double hi) noexcept nogil:
    return lo if v < lo else (hi if v > hi else v)


cdef inline bint _clip_block(
    const score_t* proba, const uint8_t* is_pos, uint8_t pos_value, Py_ssize_t m,
    double clip_lo, double clip_hi, double* out, double* lo, double* hi,
) noexcept nogil:
    """The log loss's branch-free validating loop over ``m`` samples: each
    one's clipped probability of its class into ``out``, the smallest and
    largest value into ``*lo``/``*hi``. Returns whether all were finite."""
    cdef Py_ssize_t j
    cdef bint finite = True
    cdef score_t p, q
    for j in range(m):
        p = proba[j]
        finite &= isfinite(p)
        lo[0] = p if p < lo[0] else lo[0]
        hi[0] = p if p > hi[0] else hi[0]
        q = 1 - p
        out[j] = _clip(_select(is_pos[j] == pos_value, p, q), clip_lo, clip_hi)
    return finite


def binary_loss(
    const score_t[::1] proba,
    const uint8_t[::1] is_pos,
    uint8_t pos_value,
    const double[::1] weight,
    int metric,
    double clip_lo,
    double clip_hi,
):
    """Weighted sum of the log loss or Brier terms of binary predictions.

    Sample ``i`` is positive when ``is_pos[i] == pos_value``; ``proba[i]`` is
    its predicted probability of being positive. As scikit-learn does, the
    negative-class probability is ``1 - p`` rounded in the input dtype, the
    log loss clips probabilities to ``[clip_lo, clip_hi]``, and the Brier
    term is the two-column ``((1 - t) - (1 - p))**2 + (t - p)**2``.

    Works a block at a time. For the log loss a branch-free pass validates
    the block and writes each sample's clipped probability to a buffer, then
    a second loop does nothing but logs and adds, the shape of loop the CPU
    overlaps best.

    Returns ``(loss_sum, smallest, largest, all_finite)``.
    """
    cdef Py_ssize_t j, start = 0, m, n = proba.shape[0]
    cdef bint weighted = weight.shape[0] > 0, finite = True
    cdef score_t p
    cdef double t, a, b, block, lo = 1.0 / 0.0, hi = -1.0 / 0.0
    cdef double buf[_BLOCK]
    cdef Sum acc = _new_sum()
    if is_pos.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("is_pos and weight must be as long as proba")
    if metric != _LOG_LOSS and metric != _BRIER:
        raise ValueError("unknown metric")
    with nogil:
        while start < n:
            m = _BLOCK if n - start > _BLOCK else n - start
            block = 0.0
            if metric == _BRIER:
                # Cheap terms: one pass, no buffer.
                for j in range(m):
                    p = proba[start + j]
                    finite &= isfinite(p)
                    lo = p if p < lo else lo
                    hi = p if p > hi else hi
                    t = <double>(is_pos[start + j] == pos_value)
                    a = (1.0 - t) - <double>(1 - p)
                    b = t - <double>p
                    block += (weight[start + j] if weighted else 1.0) * (a * a + b * b)
            else:
                finite &= _clip_block(&proba[start], &is_pos[start], pos_value, m,
                                      clip_lo, clip_hi, buf, &lo, &hi)
                if weighted:
                    for j in range(m):
                        block -= weight[start + j] * log(buf[j])
                else:
                    for j in range(m):
                        block -= log(buf[j])
            acc.block = block
            _sum_flush(&acc)
            start += m
    return _sum_total(&acc), lo, hi, finite


cdef inline double _scan_row(
    const score_t* row, Py_ssize_t k, double* lo, double* hi, bint* finite
) noexcept nogil:
    """Track the range and finiteness of a row; return its sum."""
    cdef Py_ssize_t j
    cdef double p, row_sum = 0.0, row_lo = lo[0], row_hi = hi[0]
    cdef bint row_finite = True
    for j in range(k):
        p = row[j]
        row_finite &= isfinite(p)
        row_lo = p if p < row_lo else row_lo
        row_hi = p if p > row_hi else row_hi
        row_sum += p
    lo[0] = row_lo
    hi[0] = row_hi
    finite[0] &= row_finite
    return row_sum


cdef inline double _brier_row(
    const score_t* row, Py_ssize_t k, Py_ssize_t c, const uint8_t* relevant
) noexcept nogil:
    """sum_j (t_j - p_j)**2, with t_j = [j == c] (``relevant`` NULL) or
    ``relevant[j] != 0``."""
    cdef Py_ssize_t j
    cdef double d, total = 0.0
    for j in range(k):
        d = (<double>(j == c) if relevant == NULL else <double>(relevant[j] != 0)) - row[j]
        total += d * d
    return total


cdef inline double _log_loss_row(
    const score_t* row, Py_ssize_t k, const uint8_t* relevant, double clip_lo, double clip_hi
) noexcept nogil:
    """-sum over the relevant labels of log(clip(p))."""
    cdef Py_ssize_t j
    cdef double total = 0.0
    for j in range(k):
        if relevant[j] != 0:
            total -= log(_clip(row[j], clip_lo, clip_hi))
    return total


def binary_clipped(
    const score_t[::1] proba,
    const uint8_t[::1] is_pos,
    uint8_t pos_value,
    double clip_lo,
    double clip_hi,
    Py_ssize_t start,
    double[::1] out,
):
    """The log loss's first loop of `binary_loss` alone, for the samples
    from ``start`` (as many as ``out`` holds): each sample's clipped
    probability of its class, into ``out``, so that the caller takes the
    logs with a vectorized log (numpy's is several times faster than the C
    library's scalar ``log`` called per element here).

    Returns ``(m, smallest, largest, all_finite)`` of those ``m`` samples.
    """
    cdef Py_ssize_t n = proba.shape[0], m
    cdef bint finite = True
    cdef double lo = 1.0 / 0.0, hi = -1.0 / 0.0
    if is_pos.shape[0] != n:
        raise ValueError("is_pos must be as long as proba")
    if start < 0 or start > n:
        raise ValueError("start out of range")
    m = n - start if n - start < out.shape[0] else out.shape[0]
    if m > 0:  # &proba[start] needs an element there
        with nogil:
            finite = _clip_block(&proba[start], &is_pos[start], pos_value, m,
                                 clip_lo, clip_hi, &out[0], &lo, &hi)
    return m, lo, hi, finite


def matrix_loss(
    const score_t[:, ::1] proba,
    const Py_ssize_t[::1] codes,
    const uint8_t[:, ::1] indicator,
    bint use_codes,
    const double[::1] weight,
    int metric,
    double clip_lo,
    double clip_hi,
    double sum_tol,
):
    """Weighted sum of the log loss or Brier terms of a probability matrix.

    The targets are class codes (``use_codes``: ``codes[i]`` is the true
    column of row ``i``) or a multilabel ``indicator`` of the shape of
    ``proba``. Log loss: ``-sum_j t_ij log(clip(p_ij))``; Brier:
    ``sum_j (t_ij - p_ij)**2``. Also counts the rows whose sum is further
    than ``sum_tol`` from one.

    Returns ``(loss_sum, smallest, largest, all_finite, bad_rows)``. Raises
    ValueError for a code outside the columns.
    """
    cdef Py_ssize_t i, c = -1, n = proba.shape[0], n_cols = proba.shape[1], bad_rows = 0
    cdef bint weighted = weight.shape[0] > 0, bad_code = False, finite = True
    cdef double row_sum, term, lo = 1.0 / 0.0, hi = -1.0 / 0.0
    cdef const score_t* row
    cdef const uint8_t* relevant = NULL
    cdef Sum acc = _new_sum()
    if use_codes and codes.shape[0] != n:
        raise ValueError("codes must be n_samples long")
    if not use_codes and (indicator.shape[0] != n or indicator.shape[1] != n_cols):
        raise ValueError("indicator must have the shape of proba")
    if weighted and weight.shape[0] != n:
        raise ValueError("weight must be n_samples long")
    if metric != _LOG_LOSS and metric != _BRIER:
        raise ValueError("unknown metric")
    if n == 0 or n_cols == 0:
        return 0.0, lo, hi, finite, 0
    with nogil:
        for i in range(n):
            row = &proba[i, 0]
            if use_codes:
                c = codes[i]
                if c < 0 or c >= n_cols:
                    bad_code = True
                    break
            else:
                relevant = &indicator[i, 0]
            row_sum = _scan_row(row, n_cols, &lo, &hi, &finite)
            bad_rows += not (fabs(row_sum - 1.0) <= sum_tol)
            if metric == _BRIER:
                term = _brier_row(row, n_cols, c, relevant)
            elif use_codes:
                # The true-class gather: one log per row.
                term = -log(_clip(row[c], clip_lo, clip_hi))
            else:
                term = _log_loss_row(row, n_cols, relevant, clip_lo, clip_hi)
            _sum_add(&acc, weight[i] * term if weighted else term)
    if bad_code:
        raise ValueError("a class code falls outside the probability columns")
    return _sum_total(&acc), lo, hi, finite, bad_rows


def binary_hinge(
    const score_t[::1] decision,
    const uint8_t[::1] is_pos,
    uint8_t pos_value,
    const double[::1] weight,
):
    """Weighted sum of ``max(0, 1 - y d)`` with ``y = +1`` for positives, else -1.

    Returns ``(loss_sum, all_finite)``.
    """
    cdef Py_ssize_t i, n = decision.shape[0]
    cdef bint weighted = weight.shape[0] > 0, finite = True
    cdef double d, term
    cdef Sum acc = _new_sum()
    if is_pos.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("is_pos and weight must be as long as decision")
    with nogil:
        for i in range(n):
            d = decision[i]
            finite &= isfinite(d)
            term = 1.0 - (d if is_pos[i] == pos_value else -d)
            term = term if term > 0.0 else 0.0
            _sum_add(&acc, weight[i] * term if weighted else term)
    return _sum_total(&acc), finite


def multiclass_hinge(
    const score_t[:, ::1] decision,
    const Py_ssize_t[::1] codes,
    const double[::1] weight,
):
    """Weighted sum of the Crammer-Singer hinge ``max(0, 1 - (d_y - max_{j != y} d_j))``.

    Needs at least two columns. Returns ``(loss_sum, all_finite)``; raises
    ValueError for a code outside the columns.
    """
    cdef Py_ssize_t i, j, c, n = decision.shape[0], n_cols = decision.shape[1]
    cdef bint weighted = weight.shape[0] > 0, finite = True, bad_code = False
    cdef double d, best, term
    cdef Sum acc = _new_sum()
    if codes.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("codes and weight must be n_samples long")
    if n_cols < 2:
        raise ValueError("need at least two columns")
    with nogil:
        for i in range(n):
            c = codes[i]
            if c < 0 or c >= n_cols:
                bad_code = True
                break
            best = -1.0 / 0.0
            for j in range(n_cols):
                d = decision[i, j]
                finite &= isfinite(d)
                if j != c and d > best:
                    best = d
            term = 1.0 - (decision[i, c] - best)
            term = term if term > 0.0 else 0.0
            _sum_add(&acc, weight[i] * term if weighted else term)
    if bad_code:
        raise ValueError("a class code falls outside the decision columns")
    return _sum_total(&acc), finite
