# One pass over a label array that tells whether it is binary.

from libc.stdint cimport uint8_t

from cymetrics._kernels._types cimport value_t


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
