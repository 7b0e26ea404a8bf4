"""Count (y_true, y_pred) label pairs into a confusion matrix in one pass.

Small-range integer labels (the common case) are counted straight at
``label - min`` with no encoding and no sort; any other labels (strings,
floats, sparse large integers) are encoded through one ``np.unique``.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._kernels import _confusion
from cymetrics._exceptions import InputTypeError, MixedLabelTypesError
from cymetrics._validation import (
    as_native,
    check_consistent_length,
    check_labels_1d,
    check_labels_2d,
    check_sample_weight,
    target_type,
)

# Largest label range counted densely: an R x R int64 matrix of 8 MiB.
_MAX_DENSE_RANGE = 1024
# Integer dtypes the kernels are compiled for.
_KERNEL_INTS = {np.dtype(t) for t in
                (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32)}


class Confusion(NamedTuple):
    """A confusion matrix over the labels present in y_true or y_pred."""

    classes: np.ndarray  # sorted union of the labels seen
    matrix: np.ndarray  # (K, K), rows true, columns predicted
    in_true: np.ndarray  # bool (K,): class occurs in y_true (whatever its weight)
    y_type: str  # 'binary' or 'multiclass'


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


def _as_kernel_ints(y_true, y_pred):
    """Both arrays as one kernel integer dtype, or None if they are not integral."""
    kinds = {y_true.dtype.kind, y_pred.dtype.kind}
    if not kinds <= set("iubf"):
        return None
    if "f" in kinds:
        # Integral floats (target_type refused the rest) within int64.
        for y in (y_true, y_pred):
            if y.dtype.kind == "f" and (y.min() < -(2.0**62) or y.max() > 2.0**62):
                return None
        dtype = np.dtype(np.int64)
    else:
        dtype = np.result_type(y_true.dtype, y_pred.dtype)
        if dtype.kind == "b":
            dtype = np.dtype(np.uint8)
        if dtype not in _KERNEL_INTS:
            if dtype.kind == "u" and max(y_true.max(), y_pred.max()) < 2**63:
                dtype = np.dtype(np.int64)
            else:
                return None
    return as_native(y_true, dtype), as_native(y_pred, dtype)


_NO_WEIGHTS = np.empty(0, dtype=np.int64)


def _count_or_fail(y_true, y_pred, offset, out, weight):
    if _confusion.accumulate_confusion(y_true, y_pred, offset, out, weight) != len(y_true):
        raise AssertionError("a label fell outside the matrix sized for it")


def _count_dense(y_true, y_pred, weight, dtype):
    """Count integer labels at ``label - min`` into a dense matrix.

    The label range is guessed from a prefix and the matrix grown when the
    kernel stops at a label outside it, so the common case reads the labels
    once. Returns ``(matrix, offset)``, or None if the range grows beyond
    ``_MAX_DENSE_RANGE``.
    """
    n = y_true.shape[0]
    lo, hi = _confusion.label_range(y_true[:4096], y_pred[:4096])
    if hi - lo + 1 > _MAX_DENSE_RANGE:
        return None
    out = np.zeros((hi - lo + 1, hi - lo + 1), dtype=dtype)
    done = 0
    while True:
        done = _confusion.accumulate_confusion(y_true, y_pred, lo, out, weight, done)
        if done == n:
            return out, lo
        rest_lo, rest_hi = _confusion.label_range(y_true[done:], y_pred[done:])
        new_lo, new_hi = min(lo, rest_lo), max(hi, rest_hi)
        if new_hi - new_lo + 1 > _MAX_DENSE_RANGE:
            return None
        grown = np.zeros((new_hi - new_lo + 1, new_hi - new_lo + 1), dtype=dtype)
        shift = lo - new_lo
        grown[shift:shift + out.shape[0], shift:shift + out.shape[1]] = out
        out, lo, hi = grown, new_lo, new_hi


def count_confusion(y_true, y_pred, sample_weight=None):
    """Validate labels and weights, then count them into a `Confusion`.

    The matrix is int64 when unweighted or for integer weights, else float64
    (as scikit-learn chooses the accumulator).
    """
    y_true, y_pred = check_label_pair(y_true, y_pred)
    weight = check_sample_weight(sample_weight, y_true.shape[0], keep_integer=True)
    dtype = np.int64 if weight is None or weight.dtype.kind == "i" else np.float64
    kernel_weight = np.empty(0, dtype=dtype) if weight is None else weight

    ints = _as_kernel_ints(y_true, y_pred)
    # Unweighted counts also tell which labels occur (zero weights included);
    # weighted input pays one more pass for them.
    dense = None if ints is None else _count_dense(*ints, _NO_WEIGHTS, np.int64)
    if dense is not None:
        counts, lo = dense
        in_true = counts.sum(axis=1) > 0
        slots = np.flatnonzero(in_true | (counts.sum(axis=0) > 0))
        if weight is not None:
            out = np.zeros(counts.shape, dtype=dtype)
            _count_or_fail(ints[0], ints[1], lo, out, weight)
            counts = out
        classes = (slots + lo).astype(np.result_type(y_true.dtype, y_pred.dtype))
        return _confusion_of(classes, counts[np.ix_(slots, slots)], in_true[slots])

    both = np.concatenate([y_true, y_pred])
    classes, codes = np.unique(both, return_inverse=True)
    codes = as_native(codes.reshape(-1), np.intp)
    n = y_true.shape[0]
    k = classes.shape[0]
    out = np.zeros((k, k), dtype=dtype)
    _count_or_fail(codes[:n], codes[n:], 0, out, kernel_weight)
    in_true = np.zeros(k, dtype=bool)
    in_true[codes[:n]] = True
    return _confusion_of(classes, out, in_true)


def _confusion_of(classes, matrix, in_true):
    y_type = "binary" if classes.shape[0] <= 2 else "multiclass"
    return Confusion(classes, matrix, in_true, y_type)


def label_indices(classes, labels):
    """Position of each of ``labels`` in sorted ``classes``; -1 where absent."""
    labels = np.asarray(labels)
    if labels.dtype.kind == "O" and all(isinstance(v, str) for v in labels.ravel()):
        labels = labels.astype(str)
    if classes.shape[0] == 0 or labels.shape[0] == 0:
        return np.full(labels.shape[0], -1, dtype=np.intp)
    if (classes.dtype.kind == "U") != (labels.dtype.kind == "U"):
        return np.full(labels.shape[0], -1, dtype=np.intp)
    idx = np.searchsorted(classes, labels)
    idx = np.minimum(idx, classes.shape[0] - 1)
    found = classes[idx] == labels
    return np.where(found, idx, -1).astype(np.intp)
