# Raw pointers into possibly empty memoryviews: NULL when empty (an empty
# weights array means "unweighted" throughout the kernels), so no kernel
# takes &a[0] of an empty view.
from cymetrics._kernels._types cimport count_t, score_t


cdef inline const double* f64_ptr(const double[::1] a) noexcept nogil:
    return &a[0] if a.shape[0] > 0 else NULL


cdef inline double* f64_out(double[::1] a) noexcept nogil:
    return &a[0] if a.shape[0] > 0 else NULL


cdef inline const count_t* counts_ptr(const count_t[::1] c) noexcept nogil:
    return &c[0] if c.shape[0] > 0 else NULL


cdef inline const score_t* scores_ptr(const score_t[::1] s) noexcept nogil:
    return &s[0] if s.shape[0] > 0 else NULL


cdef inline score_t* scores_out(score_t[::1] s) noexcept nogil:
    return &s[0] if s.shape[0] > 0 else NULL


cdef inline int check_aligned(Py_ssize_t n_pos, Py_ssize_t n_neg, Py_ssize_t n_pos_w,
                              Py_ssize_t n_neg_w, bint weighted) except -1:
    """Weights (when weighted) must align with each class's sorted scores."""
    if weighted and (n_pos_w != n_pos or n_neg_w != n_neg):
        raise ValueError("weights must align with the sorted scores")
    return 0
