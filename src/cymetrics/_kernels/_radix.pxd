# The one sort of cymetrics: scores (float32/float64), optionally carrying a
# float64 weight each, sorted ascending without numpy's sort kernels.
#
# Radix sorting needs integer keys with the order of the scores:
# `order_key` flips the sign bit of non-negative scores and every bit of
# negative ones (-0.0 becomes +0.0 first, so equal scores have equal keys).
# Keys are computed on the fly from the scores and never stored.
#
# * `cache_sort` sorts up to CACHE_CAP scores out of place through a scratch
#   buffer (MSD radix on the bits in which the keys differ, digits sized to
#   the input, insertion sort below INSERTION elements); what it sorts sits
#   in L2 cache, so its scattered writes stay cheap.
# * `flag_sort` sorts any number of scores in place (American flag sort: a
#   histogram of the top digit of the varying key bits, then cycles of swaps
#   put each score in its bucket) down to buckets of CACHE_CAP, which go to
#   `cache_sort`. It serves inputs and buckets too big for cache without a
#   second buffer of their size.
#
# Both only compare, move and count; they cannot fail (noexcept). Every
# level consumes the top varying bits of the keys, so recursion is bounded
# by the key width whatever the data.

from libc.stdint cimport uint32_t, uint64_t
from libc.string cimport memcpy

from cymetrics._kernels._types cimport score_t

cdef enum:
    # Sorted by insertion at or below this many scores.
    INSERTION = 24
    # Scores sorted out of place through a scratch buffer (512 KiB of
    # float64 plus their weights: within L2 cache).
    CACHE_CAP = 1 << 16
    # Widest digit: 2048 buckets, so a histogram stays in L1 cache.
    MAX_DIGIT = 11
    # Most sub-buckets of `linear_sort` (a 64 KiB histogram).
    LINEAR_MAX = 1 << 14


cdef inline uint64_t order_key(score_t x) noexcept nogil:
    """Unsigned key with the order of the non-NaN score ``x`` (32 bits for float)."""
    cdef uint64_t b64
    cdef uint32_t b32
    cdef double d
    cdef float f
    if score_t is float:
        f = x + <float>0.0  # -0.0 + 0.0 is +0.0
        memcpy(&b32, &f, 4)
        return <uint64_t>(b32 ^ ((<uint32_t>0) - (b32 >> 31) | (<uint32_t>1 << 31)))
    else:
        d = x + 0.0
        memcpy(&b64, &d, 8)
        return b64 ^ ((<uint64_t>0) - (b64 >> 63) | (<uint64_t>1 << 63))


cdef inline int bit_length(uint64_t v) noexcept nogil:
    cdef int n = 0
    while v:
        v >>= 1
        n += 1
    return n


cdef inline void insertion_copy(const score_t* src, const double* src_w, score_t* a, double* w,
                                Py_ssize_t m) noexcept nogil:
    """Insertion-sort ``src`` into ``a`` (nearly sorted input: cheap); ``src``
    may be ``a`` itself (each element is read before its slot is reused)."""
    cdef Py_ssize_t i, j
    cdef score_t x
    cdef double y = 0.0
    for i in range(m):
        x = src[i]
        if w != NULL:
            y = src_w[i]
        j = i
        while j > 0 and a[j - 1] > x:
            a[j] = a[j - 1]
            if w != NULL:
                w[j] = w[j - 1]
            j -= 1
        a[j] = x
        if w != NULL:
            w[j] = y


cdef inline void insertion_sort(score_t* a, double* w, Py_ssize_t m) noexcept nogil:
    """Ascending by value, in place; the weights (if ``w`` is not NULL) move along."""
    insertion_copy(a, w, a, w, m)


cdef inline bint key_range(const score_t* a, Py_ssize_t m, uint64_t* lo, uint64_t* hi) noexcept nogil:
    """Smallest and largest key of ``a[:m]`` (m > 0); False when they are equal."""
    cdef Py_ssize_t i
    cdef uint64_t k, kl, kh
    kl = kh = order_key(a[0])
    for i in range(1, m):
        k = order_key(a[i])
        kl = k if k < kl else kl
        kh = k if k > kh else kh
    lo[0] = kl
    hi[0] = kh
    return kl != kh


cdef inline int digit_shift(uint64_t span, Py_ssize_t m, int max_bits) noexcept nogil:
    """Right shift leaving a digit of about log2(m) bits (at most
    ``max_bits``) of the key span."""
    cdef int bits = bit_length(<uint64_t>m) - 1, width = bit_length(span)
    if bits > max_bits:
        bits = max_bits
    if bits < 1:
        bits = 1
    return width - bits if width > bits else 0


cdef inline void cache_sort(score_t* a, double* w, Py_ssize_t m, score_t* tmp, double* tmp_w) noexcept nogil:
    """Sort ``a[:m]`` (m <= CACHE_CAP) ascending through ``tmp`` (and
    ``tmp_w`` when ``w`` is not NULL), each at least ``m`` long."""
    cdef uint32_t count[(1 << MAX_DIGIT) + 1]
    cdef uint64_t lo, hi, d
    cdef Py_ssize_t i, start, size, n_digits
    cdef int shift
    cdef uint32_t largest = 0, c
    if m <= INSERTION:
        insertion_sort(a, w, m)
        return
    if not key_range(a, m, &lo, &hi):
        return  # all equal
    shift = digit_shift(hi - lo, m, MAX_DIGIT)
    n_digits = <Py_ssize_t>((hi - lo) >> shift) + 1
    for i in range(n_digits + 1):
        count[i] = 0
    for i in range(m):
        count[((order_key(a[i]) - lo) >> shift) + 1] += 1
    for i in range(n_digits):
        c = count[i + 1]
        largest = c if c > largest else largest
        count[i + 1] += count[i]
    # count[d] is now where digit d starts; scatter, then copy back.
    for i in range(m):
        d = (order_key(a[i]) - lo) >> shift
        tmp[count[d]] = a[i]
        if w != NULL:
            tmp_w[count[d]] = w[i]
        count[d] += 1
    memcpy(a, tmp, m * sizeof(score_t))
    if w != NULL:
        memcpy(w, tmp_w, m * sizeof(double))
    if largest <= INSERTION:
        # Scores never cross digit boundaries: one pass sorts every digit.
        insertion_sort(a, w, m)
        return
    start = 0
    for i in range(n_digits):
        size = count[i] - start
        if size > 1:
            cache_sort(a + start, w + start if w != NULL else NULL, size, tmp, tmp_w)
        start = count[i]


cdef inline Py_ssize_t linear_digit(double s, double lo, double scale, Py_ssize_t top) noexcept nogil:
    """``floor((s - lo) * scale)`` clamped to ``[0, top]``: monotone in ``s``
    for a finite ``scale`` (NaN, from ``scale == 0`` and an infinite score,
    goes to 0 with the rest). Branch-free."""
    cdef double x = (s - lo) * scale
    x = x if x > 0.0 else 0.0
    x = x if x < <double>top else <double>top
    return <Py_ssize_t>x


cdef inline void linear_sort(score_t* a, double* w, Py_ssize_t m, double lo, double hi,
                             score_t* tmp, double* tmp_w, uint32_t* count) noexcept nogil:
    """Sort ``a[:m]`` (m <= CACHE_CAP), whose values lie in ``[lo, hi]``,
    through ``tmp``/``tmp_w``: one level of equal-width sub-buckets (about
    two per score, ``count`` holds LINEAR_MAX + 1), then insertion; crowded
    sub-buckets (ties, skew) go to `cache_sort`."""
    cdef Py_ssize_t i, d, n_digits, start, size
    cdef uint32_t largest = 0, c
    cdef double scale
    if m <= INSERTION:
        insertion_sort(a, w, m)
        return
    if not lo < hi:
        return  # one value
    n_digits = 2 * m if 2 * m < LINEAR_MAX else LINEAR_MAX
    scale = <double>n_digits / (hi - lo)
    if not (scale > 0.0 and scale < 1.0 / 0.0):
        cache_sort(a, w, m, tmp, tmp_w)
        return
    for i in range(n_digits + 1):
        count[i] = 0
    for i in range(m):
        count[linear_digit(a[i], lo, scale, n_digits - 1) + 1] += 1
    for i in range(n_digits):
        c = count[i + 1]
        largest = c if c > largest else largest
        count[i + 1] += count[i]
    for i in range(m):
        d = linear_digit(a[i], lo, scale, n_digits - 1)
        tmp[count[d]] = a[i]
        if w != NULL:
            tmp_w[count[d]] = w[i]
        count[d] += 1
    if largest <= INSERTION:
        insertion_copy(tmp, tmp_w, a, w, m)
        return
    memcpy(a, tmp, m * sizeof(score_t))
    if w != NULL:
        memcpy(w, tmp_w, m * sizeof(double))
    start = 0
    for i in range(n_digits):
        size = count[i] - start
        if size > INSERTION:
            cache_sort(a + start, w + start if w != NULL else NULL, size, tmp, tmp_w)
        elif size > 1:
            insertion_sort(a + start, w + start if w != NULL else NULL, size)
        start = count[i]


cdef inline void flag_sort(score_t* a, double* w, Py_ssize_t m, score_t* tmp, double* tmp_w) noexcept nogil:
    """Sort ``a[:m]`` ascending in place (the weights ``w`` along, if not
    NULL); ``tmp``/``tmp_w`` hold CACHE_CAP elements for `cache_sort`."""
    cdef Py_ssize_t start_of[(1 << MAX_DIGIT) + 1]
    cdef Py_ssize_t end_of[1 << MAX_DIGIT]
    cdef uint64_t lo, hi, d
    cdef Py_ssize_t i, k, n_digits, size
    cdef int shift
    cdef score_t x, y
    cdef double xw = 0.0, yw
    if m <= CACHE_CAP:
        cache_sort(a, w, m, tmp, tmp_w)
        return
    if not key_range(a, m, &lo, &hi):
        return
    shift = digit_shift(hi - lo, m, MAX_DIGIT)
    n_digits = <Py_ssize_t>((hi - lo) >> shift) + 1
    for i in range(n_digits + 1):
        start_of[i] = 0
    for i in range(m):
        start_of[((order_key(a[i]) - lo) >> shift) + 1] += 1
    for i in range(n_digits):
        start_of[i + 1] += start_of[i]
        end_of[i] = start_of[i]  # the next free slot of digit i
    # Each element is read once and swapped into its bucket; a bucket is done
    # when its free slot reaches the next bucket's start.
    for d in range(<uint64_t>n_digits):
        while end_of[d] < start_of[d + 1]:
            k = end_of[d]
            x = a[k]
            if w != NULL:
                xw = w[k]
            i = <Py_ssize_t>((order_key(x) - lo) >> shift)
            while <uint64_t>i != d:
                # Put x in bucket i and pick up what was there.
                k = end_of[i]
                end_of[i] += 1
                y = a[k]
                a[k] = x
                x = y
                if w != NULL:
                    yw = w[k]
                    w[k] = xw
                    xw = yw
                i = <Py_ssize_t>((order_key(x) - lo) >> shift)
            a[end_of[d]] = x
            if w != NULL:
                w[end_of[d]] = xw
            end_of[d] += 1
    for i in range(n_digits):
        size = start_of[i + 1] - start_of[i]
        if size > 1:
            flag_sort(a + start_of[i], w + start_of[i] if w != NULL else NULL, size, tmp, tmp_w)
