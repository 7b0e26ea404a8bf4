# Kernels over multiclass targets and (n_samples, n_classes) score matrices.
#
# Labels are encoded once to intp class codes (`_labels.range_codes`).
# Ranking metrics need every class column of the
# row-major score matrix sorted, so columns are transposed into buffers whose
# rows arrive already partitioned, either grouped by true class
# (`class_positions` then `gather_columns`, a block of columns at a time, for
# one-vs-rest and one-vs-one AUC) or into positives and negatives
# (`split_columns`, `split_flat`); the Python layer sorts the pieces and the
# sweep kernels walk them.
#
# Every kernel checks the indices it is given (codes, cursors) against the
# array it writes, so a wrong argument returns an error instead of writing out
# of bounds.

from libc.math cimport fabs, isfinite
from libc.stdint cimport int64_t, uint8_t

from cymetrics._kernels._types cimport intp_t, score_t


cdef inline bint _is_positive(
    const intp_t[::1] codes, const uint8_t[:, ::1] indicator, bint use_codes,
    Py_ssize_t i, Py_ssize_t j,
) noexcept nogil:
    """Whether entry ``(i, j)`` is a positive: class code ``j`` (multiclass)
    or a non-zero indicator (multilabel)."""
    if use_codes:
        return codes[i] == j
    return indicator[i, j] != 0


cdef int _check_positives(
    const intp_t[::1] codes, const uint8_t[:, ::1] indicator, bint use_codes,
    Py_ssize_t n, Py_ssize_t n_cols,
) except -1:
    if use_codes and codes.shape[0] != n:
        raise ValueError("codes must be n_samples long")
    if not use_codes and (indicator.shape[0] != n or indicator.shape[1] != n_cols):
        raise ValueError("indicator must have the shape of scores")
    return 0


def class_positions(
    const score_t[:, ::1] scores,
    const intp_t[::1] codes,
    intp_t[::1] cursor,
    intp_t[::1] position,
    const double[::1] weight,
    double[::1] weight_out,
    double rtol=1e-5,
    double atol=1e-8,
):
    """Order the samples class by class, and check the rows of ``scores``.

    With ``cursor`` holding each class's start offset, sample ``i`` takes
    ``position[i] = cursor[codes[i]]`` (the cursor then advances): classes
    in turn, the samples of a class in input order. ``weight`` (empty when
    unweighted) is reordered the same way into ``weight_out``. The positions
    are a permutation when the cursors end where the next class starts (the
    caller checks).

    Returns ``(all_finite, rows_not_summing_to_one)``, a row sum ``s``
    passing when ``|1 - s| <= atol + rtol * |s|`` (``np.allclose(1, s)``).
    Raises ValueError for a code or cursor outside the output.
    """
    cdef Py_ssize_t i, j, c, pos, n = scores.shape[0], n_cols = scores.shape[1]
    cdef Py_ssize_t n_classes = cursor.shape[0], bad_rows = 0
    cdef bint weighted = weight.shape[0] > 0, finite = True, bad = False
    cdef score_t s
    cdef double row_sum
    if codes.shape[0] != n or position.shape[0] != n:
        raise ValueError("codes and position must be n_samples long")
    if weighted and (weight.shape[0] != n or weight_out.shape[0] != n):
        raise ValueError("weight and weight_out must be n_samples long")
    with nogil:
        for i in range(n):
            c = codes[i]
            if c < 0 or c >= n_classes:
                bad = True
                break
            pos = cursor[c]
            if pos < 0 or pos >= n:
                bad = True
                break
            cursor[c] = pos + 1
            position[i] = pos
            row_sum = 0.0
            for j in range(n_cols):
                s = scores[i, j]
                finite &= isfinite(s)
                row_sum += s
            bad_rows += not (fabs(1.0 - row_sum) <= atol + rtol * fabs(row_sum))
            if weighted:
                weight_out[pos] = weight[i]
    if bad:
        raise ValueError("a class code or cursor falls outside the output")
    return finite, bad_rows


def gather_columns(
    const score_t[:, ::1] scores,
    const intp_t[::1] position,
    Py_ssize_t first_column,
    score_t[:, ::1] out,
):
    """``out[r, position[i]] = scores[i, first_column + r]``: a block of
    columns, transposed, samples in the order of `class_positions`.

    The rows of ``scores`` are read in order; the writes go to one
    sequential stream per (column, class), few enough for a small block of
    columns to stay in cache. Raises ValueError for a position outside
    ``out`` or columns outside ``scores``.
    """
    cdef Py_ssize_t i, j, pos, n = scores.shape[0], n_out = out.shape[0]
    cdef bint bad = False
    if position.shape[0] != n or out.shape[1] != n:
        raise ValueError("position and the rows of out must be n_samples long")
    if first_column < 0 or first_column + n_out > scores.shape[1]:
        raise ValueError("columns outside scores")
    with nogil:
        for i in range(n):
            pos = position[i]
            if pos < 0 or pos >= n:
                bad = True
                break
            for j in range(n_out):
                out[j, pos] = scores[i, first_column + j]
    if bad:
        raise ValueError("a position falls outside the output")


def split_columns(
    const score_t[:, ::1] scores,
    const intp_t[::1] codes,
    const uint8_t[:, ::1] indicator,
    bint use_codes,
    score_t[:, ::1] out,
    const double[::1] weight,
    double[:, ::1] weight_out,
    intp_t[::1] n_pos,
):
    """Transpose ``scores`` into ``out``, each row split into positives and negatives.

    Sample ``i`` is a positive of column ``j`` when ``codes[i] == j``
    (``use_codes``) or ``indicator[i, j]`` is non-zero. Row ``j`` of ``out``
    gets the positives of column ``j`` from the front, ``n_pos[j]`` of them,
    and its negatives from the back. ``weight`` (empty when unweighted) is
    split alongside into ``weight_out``.

    Returns False if a score is not finite.
    """
    cdef Py_ssize_t i, j, n = scores.shape[0], n_cols = scores.shape[1], at
    cdef bint weighted = weight.shape[0] > 0, finite = True, is_pos
    cdef score_t s
    if out.shape[0] != n_cols or out.shape[1] != n or n_pos.shape[0] != n_cols:
        raise ValueError("out must be (n_columns, n_samples), n_pos n_columns long")
    _check_positives(codes, indicator, use_codes, n, n_cols)
    if weighted and (
        weight.shape[0] != n or weight_out.shape[0] != n_cols or weight_out.shape[1] != n
    ):
        raise ValueError("weight_out must have the shape of out")
    with nogil:
        for j in range(n_cols):
            n_pos[j] = 0
        for i in range(n):
            for j in range(n_cols):
                s = scores[i, j]
                finite &= isfinite(s)
                is_pos = _is_positive(codes, indicator, use_codes, i, j)
                # Negatives so far in column j: i - n_pos[j]; they fill from the end.
                at = n_pos[j] if is_pos else n - 1 - (i - n_pos[j])
                out[j, at] = s
                if weighted:
                    weight_out[j, at] = weight[i]
                n_pos[j] += is_pos
    return finite


def split_flat(
    const score_t[:, ::1] scores,
    const intp_t[::1] codes,
    const uint8_t[:, ::1] indicator,
    bint use_codes,
    score_t[::1] pos_out,
    score_t[::1] neg_out,
    const double[::1] weight,
    double[::1] pos_w_out,
    double[::1] neg_w_out,
):
    """Split every entry of ``scores`` into positives and negatives (micro-average).

    Entry ``(i, j)`` is positive when ``codes[i] == j`` (``use_codes``) or
    ``indicator[i, j]`` is non-zero; it carries ``weight[i]`` when weighted.
    Returns ``(n_positives, n_negatives, all_finite)``. Raises ValueError when
    an output is too short for the entries of its kind.
    """
    cdef Py_ssize_t i, j, n = scores.shape[0], n_cols = scores.shape[1]
    cdef Py_ssize_t ip = 0, ineg = 0, cap_pos = pos_out.shape[0], cap_neg = neg_out.shape[0]
    cdef bint weighted = weight.shape[0] > 0, finite = True, is_pos, full = False
    cdef score_t s
    _check_positives(codes, indicator, use_codes, n, n_cols)
    if weighted and (
        weight.shape[0] != n or pos_w_out.shape[0] != cap_pos or neg_w_out.shape[0] != cap_neg
    ):
        raise ValueError("weight outputs must match the score outputs")
    with nogil:
        for i in range(n):
            for j in range(n_cols):
                s = scores[i, j]
                finite &= isfinite(s)
                is_pos = _is_positive(codes, indicator, use_codes, i, j)
                if is_pos:
                    if ip == cap_pos:
                        full = True
                        break
                    pos_out[ip] = s
                    if weighted:
                        pos_w_out[ip] = weight[i]
                    ip += 1
                else:
                    if ineg == cap_neg:
                        full = True
                        break
                    neg_out[ineg] = s
                    if weighted:
                        neg_w_out[ineg] = weight[i]
                    ineg += 1
            if full:
                break
    if full:
        raise ValueError("an output buffer is too short")
    return ip, ineg, finite


def top_k_hits(
    const score_t[:, ::1] scores,
    const intp_t[::1] codes,
    Py_ssize_t k,
    const double[::1] weight,
):
    """Count the rows whose true class is among the ``k`` highest scores.

    Ties rank the later column first (the order of a reversed stable
    argsort), so the true class ``t`` of a row has rank
    ``#{j: s_j > s_t} + #{j > t: s_j == s_t}`` and is a hit when that is
    below ``k``. Needs no sort: one pass over each row.

    Returns ``(hits, weighted_hits, all_finite)``; ``weighted_hits`` sums
    ``weight`` over the hits (equals ``hits`` when ``weight`` is empty).
    Raises ValueError for a code outside the columns.
    """
    cdef Py_ssize_t i, j, t, rank, n = scores.shape[0], n_cols = scores.shape[1]
    cdef int64_t hits = 0
    cdef double weighted_hits = 0.0
    cdef bint weighted = weight.shape[0] > 0, finite = True, bad = False, hit
    cdef score_t s, st
    if codes.shape[0] != n or (weighted and weight.shape[0] != n):
        raise ValueError("codes and weight must be n_samples long")
    with nogil:
        for i in range(n):
            t = codes[i]
            if t < 0 or t >= n_cols:
                bad = True
                break
            st = scores[i, t]
            rank = 0
            for j in range(n_cols):
                s = scores[i, j]
                finite &= isfinite(s)
                rank += (s > st) | ((s == st) & (j > t))
            hit = rank < k
            hits += hit
            if weighted:
                weighted_hits += weight[i] if hit else 0.0
    if bad:
        raise ValueError("a class code falls outside the score columns")
    return hits, (weighted_hits if weighted else <double>hits), finite
