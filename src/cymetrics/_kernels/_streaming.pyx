# Kernels of the streaming accumulators (cymetrics.streaming).
#
# A score state is a "run": keys sorted strictly ascending, each with the
# positive and negative (weighted) count of the samples at that key. Keys are
# the distinct scores themselves (exact accumulator) or order-preserving
# integer keys of float64 scores shifted right by a number of bits (sketch
# buckets, which also carry the lowest and highest score they hold). Every
# function here takes runs that the Python layer built or checked, and
# only loops; each one checks the lengths it relies on before going nogil.

from libc.stdint cimport int64_t, uint64_t
from libc.string cimport memcpy

from cymetrics._kernels._pointers cimport f64_out, f64_ptr
from cymetrics._kernels._types cimport count_t, intp_t, score_t

# Keys of a run: the scores themselves, or sketch bucket keys.
ctypedef fused key_t:
    float
    double
    uint64_t


cdef int _check_run(Py_ssize_t n, Py_ssize_t n_p, Py_ssize_t n_n,
                    Py_ssize_t n_lo, Py_ssize_t n_hi, bint with_range) except -1:
    if n_p != n or n_n != n:
        raise ValueError("run keys and counts must have the same length")
    if with_range and (n_lo != n or n_hi != n):
        raise ValueError("run keys and score ranges must have the same length")
    return 0


def collapse_classes(
    const score_t[::1] pos,
    const score_t[::1] neg,
    const count_t[::1] pos_w,
    const count_t[::1] neg_w,
    score_t[::1] out_score,
    count_t[::1] out_pos,
    count_t[::1] out_neg,
):
    """Merge each class's ascending scores into one run of distinct scores.

    ``pos_w`` aligns with ``pos`` (counts or weights of each entry) or is
    empty (every entry counts 1); the same for ``neg_w``. The outputs need
    ``len(pos) + len(neg)`` elements; returns the run length.
    """
    cdef Py_ssize_t i = 0, j = 0, k = 0
    cdef Py_ssize_t n_pos = pos.shape[0], n_neg = neg.shape[0]
    cdef bint pos_weighted = pos_w.shape[0] > 0, neg_weighted = neg_w.shape[0] > 0
    cdef score_t t
    cdef count_t cp, cn
    if (pos_weighted and pos_w.shape[0] != n_pos) or (neg_weighted and neg_w.shape[0] != n_neg):
        raise ValueError("weights must align with the sorted scores")
    if (out_score.shape[0] < n_pos + n_neg or out_pos.shape[0] < n_pos + n_neg
            or out_neg.shape[0] < n_pos + n_neg):
        raise ValueError("outputs too short for the merged run")
    with nogil:
        while i < n_pos or j < n_neg:
            if j == n_neg or (i < n_pos and pos[i] <= neg[j]):
                t = pos[i]
            else:
                t = neg[j]
            cp = 0
            cn = 0
            while i < n_pos and pos[i] == t:
                cp += pos_w[i] if pos_weighted else 1
                i += 1
            while j < n_neg and neg[j] == t:
                cn += neg_w[j] if neg_weighted else 1
                j += 1
            # + 0 turns -0.0 into +0.0: equal scores get one representation.
            out_score[k] = t + <score_t>0
            out_pos[k] = cp
            out_neg[k] = cn
            k += 1
    return k


def collapse_sorted(
    const score_t[::1] key,
    const count_t[::1] weight,
    score_t[::1] out_key,
    count_t[::1] out_count,
):
    """Distinct values of ascending ``key`` with the summed ``weight`` of each
    (1 per entry when ``weight`` is empty). Returns the number of values."""
    cdef Py_ssize_t i = 0, k = 0, n = key.shape[0]
    cdef bint weighted = weight.shape[0] > 0
    cdef score_t t
    cdef count_t c
    if weighted and weight.shape[0] != n:
        raise ValueError("weights must align with the sorted scores")
    if out_key.shape[0] < n or out_count.shape[0] < n:
        raise ValueError("outputs too short")
    with nogil:
        while i < n:
            t = key[i]
            c = 0
            while i < n and key[i] == t:
                c += weight[i] if weighted else 1
                i += 1
            out_key[k] = t + <score_t>0
            out_count[k] = c
            k += 1
    return k


def count_distinct_sorted(const score_t[::1] key):
    """Number of distinct values of ascending ``key``."""
    cdef Py_ssize_t i, n = key.shape[0], d = 1 if key.shape[0] else 0
    with nogil:
        for i in range(1, n):
            d += key[i] != key[i - 1]
    return d


def merge_sorted(const score_t[::1] a, const score_t[::1] b, score_t[::1] out):
    """Merge two ascending arrays into ``out`` (``len(a) + len(b)`` long)."""
    cdef Py_ssize_t i = 0, j = 0, k = 0, na = a.shape[0], nb = b.shape[0]
    cdef score_t x, y
    cdef bint take_a
    if out.shape[0] != na + nb:
        raise ValueError("out must hold both inputs")
    with nogil:
        while i < na and j < nb:
            x = a[i]
            y = b[j]
            take_a = x <= y
            out[k] = x if take_a else y
            i += take_a
            j += 1 - take_a
            k += 1
        while i < na:
            out[k] = a[i]
            i += 1
            k += 1
        while j < nb:
            out[k] = b[j]
            j += 1
            k += 1


cdef Py_ssize_t _merge(
    const key_t* ak, const count_t* ap, const count_t* an, const double* alo,
    const double* ahi, Py_ssize_t na,
    const key_t* bk, const count_t* bp, const count_t* bn, const double* blo,
    const double* bhi, Py_ssize_t nb,
    key_t* ok, count_t* op, count_t* on, double* olo, double* ohi, bint ranged,
    bint two_classes,
) noexcept nogil:
    """The merge loop. Branch-free: which run advances is data (a 50/50 coin
    on random scores), so both counts are read and masked instead."""
    cdef Py_ssize_t i = 0, j = 0, k = 0
    cdef key_t ka, kb
    cdef bint ta, tb
    while i < na and j < nb:
        ka = ak[i]
        kb = bk[j]
        ta = ka <= kb
        tb = kb <= ka
        ok[k] = ka if ta else kb
        op[k] = ap[i] * ta + bp[j] * tb
        if two_classes:
            on[k] = an[i] * ta + bn[j] * tb
        if ranged:
            olo[k] = (alo[i] if alo[i] < blo[j] else blo[j]) if ta and tb else (
                alo[i] if ta else blo[j])
            ohi[k] = (ahi[i] if ahi[i] > bhi[j] else bhi[j]) if ta and tb else (
                ahi[i] if ta else bhi[j])
        i += ta
        j += tb
        k += 1
    k = _copy_tail(ak, ap, an, alo, ahi, i, na, ok, op, on, olo, ohi, k, ranged, two_classes)
    return _copy_tail(bk, bp, bn, blo, bhi, j, nb, ok, op, on, olo, ohi, k, ranged, two_classes)


cdef inline Py_ssize_t _copy_tail(
    const key_t* ak, const count_t* ap, const count_t* an, const double* alo,
    const double* ahi, Py_ssize_t i, Py_ssize_t na,
    key_t* ok, count_t* op, count_t* on, double* olo, double* ohi, Py_ssize_t k,
    bint ranged, bint two_classes,
) noexcept nogil:
    """Copy entries ``i:na`` of a run to the output from ``k``; the new ``k``."""
    while i < na:
        ok[k] = ak[i]
        op[k] = ap[i]
        if two_classes:
            on[k] = an[i]
        if ranged:
            olo[k] = alo[i]
            ohi[k] = ahi[i]
        i += 1
        k += 1
    return k


def merge_runs(
    const key_t[::1] a_key, const count_t[::1] a_pos, const count_t[::1] a_neg,
    const double[::1] a_lo, const double[::1] a_hi,
    const key_t[::1] b_key, const count_t[::1] b_pos, const count_t[::1] b_neg,
    const double[::1] b_lo, const double[::1] b_hi,
    key_t[::1] out_key, count_t[::1] out_pos, count_t[::1] out_neg,
    double[::1] out_lo, double[::1] out_hi,
):
    """Merge two runs in one linear pass, adding the counts of equal keys.

    The ``neg`` counts are all empty for a run of one class (``pos`` then
    holds its counts). The ``lo``/``hi`` score ranges (sketch buckets) are
    all empty for exact runs, or all given and then combined by min/max.
    Outputs need ``len(a) + len(b)`` elements; returns the merged length.
    """
    cdef Py_ssize_t na = a_key.shape[0], nb = b_key.shape[0], m
    cdef bint ranged = a_lo.shape[0] > 0 or b_lo.shape[0] > 0 or out_lo.shape[0] > 0
    cdef bint two = a_neg.shape[0] > 0 or b_neg.shape[0] > 0 or out_neg.shape[0] > 0
    if two:
        _check_run(na, a_pos.shape[0], a_neg.shape[0], a_lo.shape[0], a_hi.shape[0], ranged)
        _check_run(nb, b_pos.shape[0], b_neg.shape[0], b_lo.shape[0], b_hi.shape[0], ranged)
    else:
        _check_run(na, a_pos.shape[0], na, a_lo.shape[0], a_hi.shape[0], ranged)
        _check_run(nb, b_pos.shape[0], nb, b_lo.shape[0], b_hi.shape[0], ranged)
    if (out_key.shape[0] < na + nb or out_pos.shape[0] < na + nb
            or (two and out_neg.shape[0] < na + nb)
            or (ranged and (out_lo.shape[0] < na + nb or out_hi.shape[0] < na + nb))):
        raise ValueError("outputs too short for the merged run")
    if na + nb == 0:
        return 0
    with nogil:
        m = _merge(
            &a_key[0] if na else NULL, &a_pos[0] if na else NULL,
            &a_neg[0] if na and two else NULL, f64_ptr(a_lo), f64_ptr(a_hi), na,
            &b_key[0] if nb else NULL, &b_pos[0] if nb else NULL,
            &b_neg[0] if nb and two else NULL, f64_ptr(b_lo), f64_ptr(b_hi), nb,
            &out_key[0], &out_pos[0], &out_neg[0] if two else NULL,
            f64_out(out_lo), f64_out(out_hi), ranged, two,
        )
    return m


cdef inline uint64_t _order_key(double x) noexcept nogil:
    """Unsigned key with the order of the (non-NaN) double ``x``.

    Flipping every bit of negatives and the sign bit of the rest maps the
    IEEE-754 order onto unsigned integer order, -inf to +inf; -0.0 is made
    +0.0 first so that equal scores get equal keys.
    """
    cdef uint64_t bits
    x = x + 0.0
    memcpy(&bits, &x, sizeof(double))
    if bits >> 63:
        return ~bits
    return bits | (<uint64_t>1 << 63)


def order_keys(const score_t[::1] scores, uint64_t[::1] out):
    """Write the order-preserving uint64 key of each score (as float64)."""
    cdef Py_ssize_t k, n = scores.shape[0]
    if out.shape[0] != n:
        raise ValueError("out must have one key per score")
    with nogil:
        for k in range(n):
            out[k] = _order_key(<double>scores[k])


def bucket_run(
    const uint64_t[::1] key, const count_t[::1] pos, const count_t[::1] neg,
    const double[::1] lo, const double[::1] hi, int shift,
    uint64_t[::1] out_key, count_t[::1] out_pos, count_t[::1] out_neg,
    double[::1] out_lo, double[::1] out_hi,
):
    """Coarsen a run: key ``k`` goes to bucket ``k >> shift``; equal buckets merge.

    Keys ascending make the bucket keys ascending too (the map is monotone),
    so one pass collapses them. Outputs need ``len(key)`` elements; returns
    the number of buckets.
    """
    cdef Py_ssize_t i, k = 0, n = key.shape[0]
    cdef uint64_t b
    _check_run(n, pos.shape[0], neg.shape[0], lo.shape[0], hi.shape[0], True)
    if not 0 <= shift < 64:
        raise ValueError("shift must be in [0, 64)")
    if (out_key.shape[0] < n or out_pos.shape[0] < n or out_neg.shape[0] < n
            or out_lo.shape[0] < n or out_hi.shape[0] < n):
        raise ValueError("outputs too short for the bucketed run")
    with nogil:
        for i in range(n):
            b = key[i] >> shift
            if k > 0 and out_key[k - 1] == b:
                out_pos[k - 1] += pos[i]
                out_neg[k - 1] += neg[i]
                out_lo[k - 1] = lo[i] if lo[i] < out_lo[k - 1] else out_lo[k - 1]
                out_hi[k - 1] = hi[i] if hi[i] > out_hi[k - 1] else out_hi[k - 1]
            else:
                out_key[k] = b
                out_pos[k] = pos[i]
                out_neg[k] = neg[i]
                out_lo[k] = lo[i]
                out_hi[k] = hi[i]
                k += 1
    return k


def count_distinct_buckets(const uint64_t[::1] key, int shift):
    """Number of distinct ``key >> shift`` over ascending ``key``."""
    cdef Py_ssize_t i, k = 0, n = key.shape[0]
    cdef uint64_t b, last = 0
    if not 0 <= shift < 64:
        raise ValueError("shift must be in [0, 64)")
    with nogil:
        for i in range(n):
            b = key[i] >> shift
            if k == 0 or b != last:
                k += 1
                last = b
    return k


def group_order(const intp_t[::1] codes, intp_t[::1] order, intp_t[::1] offsets):
    """Stable counting sort of sample indices by group code.

    ``codes`` must lie in ``[0, len(offsets) - 1)``. Fills ``order`` (one
    index per sample) so that group ``g`` owns
    ``order[offsets[g]:offsets[g + 1]]``, in sample order.
    """
    cdef Py_ssize_t k, g, n = codes.shape[0], n_groups = offsets.shape[0] - 1
    cdef intp_t c
    cdef bint bad = False
    if order.shape[0] != n or n_groups < 0:
        raise ValueError("order must have one slot per sample and offsets >= 1 slot")
    with nogil:
        for g in range(n_groups + 1):
            offsets[g] = 0
        for k in range(n):
            c = codes[k]
            if c < 0 or c >= n_groups:
                bad = True
                break
            offsets[c + 1] += 1
        if not bad:
            for g in range(n_groups):
                offsets[g + 1] += offsets[g]
            for k in range(n):
                c = codes[k]
                order[offsets[c]] = k
                offsets[c] += 1
            # offsets[g] now ends group g: shift back to starts.
            for g in range(n_groups, 0, -1):
                offsets[g] = offsets[g - 1]
            offsets[0] = 0
    if bad:
        raise ValueError("group codes out of range")


def twice_mann_whitney(const int64_t[::1] pos, const int64_t[::1] neg):
    """``2 U`` of a run in ascending score order: the sum over scores of
    ``neg * (2 * positives above + pos)`` (pairs tied at a score count half).

    The caller guarantees ``2 * sum(pos) * sum(neg) < 2**63``.
    """
    cdef Py_ssize_t i, n = pos.shape[0]
    cdef int64_t above = 0, total = 0
    if neg.shape[0] != n:
        raise ValueError("pos and neg must have the same length")
    with nogil:
        # Walk down from the top score, where no positive is above.
        for i in range(n - 1, -1, -1):
            total += neg[i] * (2 * above + pos[i])
            above += pos[i]
    return total
