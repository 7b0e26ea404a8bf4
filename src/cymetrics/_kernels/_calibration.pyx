# Reliability-diagram binning in one pass.
#
# A probability p falls in bin ``#{inner edges < p}`` (``np.searchsorted``
# with side='left' on the inner edges), so a value on an edge belongs to the
# lower bin. Sums run in input order, like ``np.bincount``: the sums equal
# scikit-learn's to the last bit.

from libc.math cimport INFINITY, isfinite
from libc.stdint cimport uint8_t

from cymetrics._kernels._types cimport score_t


cdef inline Py_ssize_t _bin_of(
    double p, const double* edges, Py_ssize_t m, bint uniform
) noexcept nogil:
    """``#{inner edges < p}``, with ``edges[0] = -inf``, ``edges[1..m]`` the
    inner edges and ``edges[m + 1] = +inf``. Branch-free (bins of consecutive
    samples are unpredictable): equal-width edges guess ``floor(p * (m + 1))``
    and correct by one step (the edges are ``k / (m + 1)`` up to rounding);
    other edges take a branch-free binary search."""
    cdef Py_ssize_t g, half, n
    cdef const double* base
    if uniform:
        g = <Py_ssize_t>(p * (m + 1))
        g = 0 if g < 0 else g
        g = m if g > m else g
        return g + (edges[g + 1] < p) - (edges[g] >= p)
    base = edges
    n = m + 2
    while n > 1:
        half = n >> 1
        base = base + half if base[half] < p else base
        n -= half
    # base: the last edge below p (edges[0] = -inf always is)
    return base - edges


def bin_probabilities(
    const score_t[::1] prob,
    const uint8_t[::1] hit,
    const double[::1] weight,
    const double[::1] edges,
    double[::1] sum_prob,
    double[::1] sum_hit,
    double[::1] sum_weight,
    bint uniform=False,
):
    """Per bin: the (weighted) sums of ``prob``, of ``hit`` and of the weights.

    ``edges`` is ``[-inf, *inner_edges, +inf]`` with the inner edges sorted:
    there are ``len(edges) - 1`` bins, and ``p`` falls in bin
    ``#{inner edges < p}``. ``uniform`` says the inner edges are
    ``np.linspace(0, 1, m + 2)[1:-1]`` (a faster search, same bins). The
    outputs are zeroed by the caller; unit weights when ``weight`` is empty.
    Returns False if a probability is not finite (it is then not binned).
    """
    cdef Py_ssize_t i, b, n = prob.shape[0], n_bins = edges.shape[0] - 1
    cdef bint weighted = weight.shape[0] > 0, finite = True
    cdef double p, w
    cdef const double* e
    if hit.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("hit and weight must be as long as prob")
    if n_bins < 1 or not (edges[0] == -INFINITY and edges[n_bins] == INFINITY):
        raise ValueError("edges must run from -inf to +inf")
    if sum_prob.shape[0] != n_bins or sum_hit.shape[0] != n_bins \
            or sum_weight.shape[0] != n_bins:
        raise ValueError("outputs need len(edges) - 1 bins")
    e = &edges[0]
    with nogil:
        for i in range(n):
            p = prob[i]
            if not isfinite(p):
                finite = False
                continue
            b = _bin_of(p, e, n_bins - 1, uniform)
            w = weight[i] if weighted else 1.0
            sum_prob[b] += w * p if weighted else p
            sum_hit[b] += w * (hit[i] != 0)
            sum_weight[b] += w
    return finite


def top_label(
    const score_t[:, ::1] proba,
    const Py_ssize_t[::1] codes,
    score_t[::1] confidence,
    uint8_t[::1] correct,
):
    """Per row: the largest probability and whether its column (the first
    one on ties, like ``argmax``) is the true class ``codes[i]``.

    Returns ``(smallest, largest, all_finite)`` over the whole matrix.
    """
    cdef Py_ssize_t i, j, best_j, n = proba.shape[0], n_cols = proba.shape[1]
    cdef bint finite = True
    cdef score_t p, best
    cdef double lo = 1.0 / 0.0, hi = -1.0 / 0.0
    if n_cols < 1 or codes.shape[0] != n or confidence.shape[0] != n or correct.shape[0] != n:
        raise ValueError("codes and outputs must be n_samples long, with >= 1 column")
    with nogil:
        for i in range(n):
            best = proba[i, 0]
            best_j = 0
            for j in range(n_cols):
                p = proba[i, j]
                finite &= isfinite(p)
                lo = p if p < lo else lo
                hi = p if p > hi else hi
                if p > best:
                    best = p
                    best_j = j
            confidence[i] = best
            correct[i] = best_j == codes[i]
    return lo, hi, finite
