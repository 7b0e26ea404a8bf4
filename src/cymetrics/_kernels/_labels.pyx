# One pass over an input array at the edge: whether a label array is binary
# (`scan_two_values`), its class codes when its values span a small range
# (`range_codes`), whether sample weights are valid (`scan_weights`).

from libc.stdint cimport int64_t, uint8_t, uint64_t
from libc.string cimport memcpy

from cymetrics._kernels._types cimport count_t, intp_t, label_t, value_t


def scan_two_values(const value_t[::1] y, uint8_t[::1] is_second):
    """Find the first two distinct values of ``y`` and whether there are more.

    Writes ``is_second[k] = (y[k] == second)``. Returns
    ``(first, second, more_than_two)``; ``second`` is None when ``y`` holds one
    value. NaN never equals anything, so NaN input reports more than two
    values unless the caller checks ``first``/``second``.
    """
    cdef Py_ssize_t k, n = y.shape[0], start = 1
    cdef value_t a, b
    cdef bint extra = False
    if n == 0 or is_second.shape[0] != n:
        raise ValueError("need a non-empty y and a mask of the same length")
    a = b = y[0]
    with nogil:
        is_second[0] = 0
        while start < n and y[start] == a:
            is_second[start] = 0
            start += 1
        if start < n:
            b = y[start]
            for k in range(start, n):
                # Branch-free: the labels of a binary target alternate at random.
                extra |= (y[k] != a) & (y[k] != b)
                is_second[k] = y[k] == b
    if start == n:
        return a, None, False
    return a, b, bool(extra)


def range_codes(
    const label_t[::1] y, int64_t lo, int64_t[::1] counts, intp_t[::1] codes
):
    """``codes[k] = y[k] - lo`` and ``counts[y[k] - lo] += 1`` for every ``k``.

    When every value of the range occurs (labels ``lo, lo + 1, ...``, the
    common case) these are already the class codes. Returns the index of the
    first label outside ``[lo, lo + len(counts))`` (work stops there), or
    ``len(y)``.
    """
    cdef Py_ssize_t k = 0, n = y.shape[0]
    cdef uint64_t m = counts.shape[0], v
    if codes.shape[0] != n:
        raise ValueError("codes must have the length of y")
    with nogil:
        while k < n:
            # One unsigned compare covers both ends of the range.
            v = <uint64_t>(<int64_t>y[k] - lo)
            if v >= m:
                break
            counts[v] += 1
            codes[k] = <intp_t>v
            k += 1
    return k


def scan_weights(const count_t[::1] w):
    """Whether every weight is finite and not negative, and whether one is
    not 0, in one vectorizable pass (numpy takes three: ``isfinite``,
    ``min``, ``any``). -0.0 counts as negative here: the caller, which
    finds out which rule a refused array breaks, lets it through.

    Returns ``(all_valid, any_nonzero)``.
    """
    cdef Py_ssize_t k, n = w.shape[0]
    cdef uint64_t flaws = 0, bits = 0, x
    with nogil:
        for k in range(n):
            if count_t is double:
                memcpy(&x, &w[k], 8)
                # The sign bit, or the carry of an all-ones exponent (inf,
                # NaN) into it, sets the top bit. Integer operations only:
                # the compiler vectorizes them.
                flaws |= x | (x + (<uint64_t>1 << 52))
                bits |= x << 1  # without the sign: -0.0 is 0
            else:
                x = <uint64_t>w[k]
                flaws |= x
                bits |= x
    return (flaws >> 63) == 0, bits != 0
