"""The one K x K counter: (y_true, y_pred) label pairs -> a confusion matrix.

Small-range integer labels (the common case) are counted straight at
``label - min`` with no encoding and no sort; the range is guessed from a
prefix and the table grown when a label falls outside it, so the labels are
read once (`count_over_range`, which the per-class counter of
`cymetrics._classification._counts` also uses). Any other labels (strings,
floats, sparse large integers) are encoded through one ``np.unique``.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import InputTypeError, MixedLabelTypesError
from cymetrics._kernels import _confusion
from cymetrics._shared._labels import (
    MAX_DENSE_RANGE,
    PREFIX,
    check_labels_1d,
    check_labels_2d,
    kernel_int_pair,
    label_array,
    label_indices,
    target_type,
)
from cymetrics._shared._parallel import in_halves
from cymetrics._shared._validation import (
    as_native,
    check_consistent_length,
    check_sample_weight,
)
from cymetrics._shared._warnings import warn

__all__ = [
    "Confusion",
    "check_label_pair",
    "confusion_of",
    "confusion_of_labels",
    "count_confusion",
    "count_over_range",
    "dense_confusion",
    "encode_pair",
    "encoded_confusion",
    "labelled_matrix",
    "warn_single_label",
]


class Confusion(NamedTuple):
    """A confusion matrix over the labels present in y_true or y_pred."""

    classes: np.ndarray  # sorted union of the labels seen
    matrix: np.ndarray  # (K, K), rows true, columns predicted
    in_true: np.ndarray  # bool (K,): class occurs in y_true (whatever its weight)
    y_type: str  # 'binary' or 'multiclass'


def confusion_of(classes, matrix, in_true):
    return Confusion(classes, matrix, in_true, "binary" if classes.shape[0] <= 2 else "multiclass")


def check_label_pair(y_true, y_pred):
    """Validate two 1-D label arrays of one kind; return them as arrays.

    Only what the counting cannot tell is checked here (shape, emptiness,
    NaN, non-integral floats, strings mixed with numbers): binary versus
    multiclass follows from the number of classes counted.
    """
    y_true = _labels_1d_or_raise(y_true, "y_true")
    y_pred = _labels_1d_or_raise(y_pred, "y_pred")
    check_consistent_length(y_true, y_pred)
    for y in (y_true, y_pred):
        if y.shape[0] == 0:
            raise ValueError(
                "Found empty input array (e.g., `y_true` or `y_pred`) while a "
                "minimum of 1 sample is required."
            )
    kinds = [("continuous" if y.dtype.kind == "f" and np.any(y != np.trunc(y))
              else "discrete") for y in (y_true, y_pred)]
    if "continuous" in kinds:
        types = [target_type(y) for y in (y_true, y_pred)]
        if types[0] == types[1]:
            raise ValueError(f"{types[0]} is not supported")
        raise ValueError(
            "Classification metrics can't handle a mix of "
            f"{types[0]} and {types[1]} targets"
        )
    if "O" in (y_true.dtype.kind, y_pred.dtype.kind):
        # Objects that are neither all str nor numbers: scikit-learn's
        # 'unknown' target type.
        raise InputTypeError("unknown is not supported")
    if (y_true.dtype.kind == "U") != (y_pred.dtype.kind == "U"):
        raise MixedLabelTypesError(
            "Mix of label input types (string and number); "
            f"Got {np.unique(y_true)} and {np.unique(y_pred)}."
        )
    return y_true, y_pred


def _labels_1d_or_raise(y, name):
    arr = np.asarray(y) if not isinstance(y, str) else y
    if isinstance(arr, np.ndarray) and arr.ndim == 2 and arr.shape[1] > 1:
        y_type = target_type(check_labels_2d(arr, name))
        raise ValueError(f"{y_type} is not supported")
    return check_labels_1d(y, name)


def count_over_range(y_true, y_pred, new_table, small=False, split=False):
    """Count kernel-integer labels into a table over their range, in one read.

    ``new_table(lo, hi)`` makes an empty table over labels ``[lo, hi]`` with
    ``count(y_true, y_pred, start)``, which counts from ``start`` and
    returns where it stopped (at a label outside the table, or at the end),
    and ``grown(lo, hi)``, a copy over a wider range. The range is guessed
    from a prefix (``small``: read in full, the cheaper start for a few
    thousand labels) and widened when the count stops. Returns the table, or
    None if the range exceeds ``MAX_DENSE_RANGE`` (the labels need encoding).

    ``split``: the table's counts are integers, exact in any order, so long
    input is counted in two halves on two threads (tables with ``added``)
    and the halves' tables added.
    """
    n = y_true.shape[0]
    if small:
        lo, hi = _confusion.label_range(y_true, y_pred)
    else:
        lo, hi = _confusion.label_range(y_true[:PREFIX], y_pred[:PREFIX])
    if hi - lo + 1 > MAX_DENSE_RANGE:
        return None
    if not split:
        return _count_from(y_true, y_pred, new_table, lo, hi)
    parts = in_halves(lambda a, b: _count_from(y_true[a:b], y_pred[a:b], new_table, lo, hi), n)
    if any(table is None for table in parts):
        return None
    return parts[0] if len(parts) == 1 else parts[0].added(parts[1])


def _count_from(y_true, y_pred, new_table, lo, hi):
    """`count_over_range` from a guessed range ``[lo, hi]``."""
    n = y_true.shape[0]
    table = new_table(lo, hi)
    done = table.count(y_true, y_pred, 0)
    while done != n:
        rest_lo, rest_hi = _confusion.label_range(y_true[done:], y_pred[done:])
        lo, hi = min(lo, rest_lo), max(hi, rest_hi)
        if hi - lo + 1 > MAX_DENSE_RANGE:
            return None
        table = table.grown(lo, hi)
        done = table.count(y_true, y_pred, done)
    return table


class _Matrix:
    """A K x K count over the label range ``[lo, hi]``."""

    def __init__(self, lo, hi, weight, dtype):
        self.lo, self.weight = lo, weight
        self.matrix = np.zeros((hi - lo + 1, hi - lo + 1), dtype=dtype)

    def count(self, y_true, y_pred, start):
        return _confusion.accumulate_confusion(y_true, y_pred, self.lo, self.matrix,
                                               self.weight, start)

    def grown(self, lo, hi):
        out = _Matrix(lo, hi, self.weight, self.matrix.dtype)
        at = slice(self.lo - lo, self.lo - lo + self.matrix.shape[0])
        out.matrix[at, at] = self.matrix
        return out

    def added(self, other):
        """The sum of two (integer) counts, over the union of their ranges
        (within MAX_DENSE_RANGE: each range reached it from one guess)."""
        lo = min(self.lo, other.lo)
        hi = max(self.lo + self.matrix.shape[0], other.lo + other.matrix.shape[0]) - 1
        if hi - lo + 1 > MAX_DENSE_RANGE:
            return None
        out = self if (self.lo, self.matrix.shape[0]) == (lo, hi - lo + 1) else self.grown(lo, hi)
        at = slice(other.lo - lo, other.lo - lo + other.matrix.shape[0])
        out.matrix[at, at] += other.matrix
        return out


def _count_dtype(weight):
    """int64 counts unweighted or for integer weights, else float64 (as
    scikit-learn chooses its accumulator)."""
    return np.int64 if weight is None or weight.dtype.kind == "i" else np.float64


_NO_COUNTS = np.empty(0, dtype=np.int64)


def dense_confusion(ints, label_dtype, weight, n):
    """`Confusion` of kernel-integer labels counted at ``label - min``, or None."""
    dtype = _count_dtype(weight)
    small = n <= PREFIX
    if weight is not None and small:
        table = count_over_range(*ints, lambda lo, hi: _Matrix(lo, hi, weight, dtype), small)
        if table is None:
            return None
        m, lo = table.matrix, table.lo
        # Which labels occur, zero weights included: by indexing.
        in_true = np.zeros(m.shape[0], dtype=bool)
        in_true[ints[0] - lo] = True
        present = in_true.copy()
        present[ints[1] - lo] = True
    else:
        # Unweighted counts also tell which labels occur (zero weights
        # included); weighted input pays one more pass for the weights.
        table = count_over_range(*ints, lambda lo, hi: _Matrix(lo, hi, _NO_COUNTS, np.int64),
                                 small, split=True)
        if table is None:
            return None
        m, lo = table.matrix, table.lo
        in_true = m.sum(axis=1) > 0
        present = in_true | (m.sum(axis=0) > 0)
        if weight is not None:
            m = _Matrix(lo, lo + m.shape[0] - 1, weight, dtype)
            if m.count(*ints, 0) != n:
                raise AssertionError("a label fell outside the matrix sized for it")
            m = m.matrix
    classes = np.arange(lo, lo + m.shape[0]).astype(label_dtype)
    if not present.all():
        slots = np.flatnonzero(present)
        classes, m, in_true = classes[slots], m[np.ix_(slots, slots)], in_true[slots]
    return confusion_of(classes, m, in_true)


def encode_pair(y_true, y_pred):
    """``(classes, true_codes, pred_codes)`` of two label arrays, from one
    ``np.unique`` of both (codes are intp)."""
    n = y_true.shape[0]
    classes, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
    codes = as_native(codes.reshape(-1), np.intp)
    return classes, codes[:n], codes[n:]


def encoded_confusion(classes, true_codes, pred_codes, weight):
    """`Confusion` of `encode_pair` codes (the classes all occur)."""
    k = classes.shape[0]
    dtype = _count_dtype(weight)
    m = np.zeros((k, k), dtype=dtype)
    counts = np.empty(0, dtype=dtype) if weight is None else weight
    if _confusion.accumulate_confusion(true_codes, pred_codes, 0, m, counts) != len(true_codes):
        raise AssertionError("a label code fell outside the matrix")
    in_true = np.zeros(k, dtype=bool)
    in_true[true_codes] = True
    return confusion_of(classes, m, in_true)


def count_confusion(y_true, y_pred, sample_weight=None, *, encoded=None):
    """Validate labels and weights, then count them into a `Confusion`.

    ``encoded``: the labels' `encode_pair`, when the caller already has it.
    The matrix is int64 when unweighted or for integer weights, else float64.
    Weights are added in sample order, so sums round as scikit-learn's.
    """
    y_true, y_pred = check_label_pair(y_true, y_pred)
    weight = check_sample_weight(sample_weight, y_true.shape[0], keep_integer=True)
    return confusion_of_labels(y_true, y_pred, weight, encoded=encoded)


def confusion_of_labels(y_true, y_pred, weight, *, encoded=None):
    """`count_confusion` of labels and weights validated already."""
    if encoded is None:
        ints = kernel_int_pair(y_true, y_pred)
        if ints is not None:
            label_dtype = np.result_type(y_true.dtype, y_pred.dtype)
            dense = dense_confusion(ints, label_dtype, weight, y_true.shape[0])
            if dense is not None:
                return dense
        encoded = encode_pair(y_true, y_pred)
    return encoded_confusion(*encoded, weight)


def labelled_matrix(confusion, labels):
    """``confusion_matrix(..., labels=labels)`` from a counted `Confusion`."""
    cm = confusion.matrix
    if labels is not None:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        labels = label_array(labels)
        idx = label_indices(confusion.classes, labels)
        # scikit-learn maps labels through a dict: a repeated label only
        # counts at its last position, the others stay zero.
        _, last = np.unique(labels[::-1], return_index=True)
        repeated = np.ones(labels.shape[0], dtype=bool)
        repeated[labels.shape[0] - 1 - last] = False
        idx = np.where(repeated, -1, idx)
        if not np.any(confusion.in_true[idx[idx >= 0]]):
            raise ValueError("At least one label specified must be in y_true")
        full = np.zeros((cm.shape[0] + 1, cm.shape[1] + 1), dtype=cm.dtype)
        full[:-1, :-1] = cm
        # -1 picks the zero row and column appended above: unseen labels count 0.
        cm = full[np.ix_(idx, idx)]
    warn_single_label(cm.shape[0])
    return cm


def warn_single_label(n_classes):
    """scikit-learn's confusion_matrix warning for a 1 x 1 matrix."""
    if n_classes == 1:
        warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion "
            "matrix to have the correct shape, use the 'labels' parameter to pass "
            "all known labels.",
            UserWarning,
        )
