"""Class codes for 1-D labels, and validation of score and probability matrices.

Shared by the multiclass ranking metrics, the probabilistic losses and the
calibration metrics: labels are encoded once to intp codes (small-range
integers by offset in one pass, anything else through one ``np.unique``), and
a prediction matrix is turned once into a native, C-contiguous float32 or
float64 array the kernels can read.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._counting import label_indices
from cymetrics._exceptions import InputTypeError
from cymetrics._kernels import _multiclass
from cymetrics._validation import as_native, column_or_1d

__all__ = [
    "Encoded",
    "check_classes",
    "encode_labels",
    "prediction_array",
]

# Integer dtypes the kernels are compiled for.
_KERNEL_INTS = {np.dtype(t) for t in
                (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32)}
# Largest label range encoded by offset (counts and a remapping table of
# this many entries).
_MAX_RANGE = 1 << 20


class Encoded(NamedTuple):
    """Labels as codes into sorted ``classes``."""

    classes: np.ndarray  # sorted; the given classes, or the labels present
    codes: np.ndarray  # intp, one per sample
    counts: np.ndarray  # int64, samples per class


def _small_int_view(y):
    """``(ints, lo, hi)`` for integral labels spanning a small range, else None."""
    kind = y.dtype.kind
    if kind == "b":
        return as_native(y).view(np.uint8), 0, 1
    if kind not in "iuf" or y.shape[0] == 0:
        return None
    lo, hi = y.min(), y.max()
    if kind == "f":
        if not (np.isfinite(lo) and np.isfinite(hi)) or hi - lo > _MAX_RANGE:
            return None
        if not np.array_equal(y, np.trunc(y)):
            return None
        return as_native(y, np.int64), int(lo), int(hi)
    lo, hi = int(lo), int(hi)
    if hi - lo > _MAX_RANGE:
        return None
    dtype = y.dtype.newbyteorder("=")
    if dtype not in _KERNEL_INTS:
        dtype = np.dtype(np.int64)
    return as_native(y, dtype), lo, hi


def encode_labels(y, classes=None, *, unknown="y_true contains labels not in labels"):
    """Encode validated 1-D labels ``y`` as positions in sorted ``classes``.

    ``classes=None`` uses the labels present. Raises ValueError with message
    ``unknown`` when ``y`` holds a label that is not in ``classes``.
    """
    n = y.shape[0]
    small = _small_int_view(y)
    if small is not None:
        ints, lo, hi = small
        counts = np.zeros(hi - lo + 1, dtype=np.int64)
        codes = np.empty(n, dtype=np.intp)
        if _multiclass.range_codes(ints, lo, counts, codes) != n:
            raise AssertionError("a label fell outside its own range")
        present = np.flatnonzero(counts)
        values = (present + lo).astype(y.dtype if y.dtype.kind != "b" else np.int64)
        if y.dtype.kind == "b":
            values = values.astype(bool)
        counts = counts[present]
    else:
        values, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
        codes = as_native(codes.reshape(-1), np.intp)
        counts = counts.astype(np.int64)
        present = None
    if classes is None:
        if present is not None and present.shape[0] != hi - lo + 1:
            # A gap in the range: renumber the codes to the labels present.
            table = np.full(hi - lo + 1, -1, dtype=np.intp)
            table[present] = np.arange(present.shape[0])
            codes = table[codes]
        return Encoded(values, codes, counts)
    where = label_indices(np.asarray(classes), values)
    if (where < 0).any():
        raise ValueError(unknown)
    if present is not None:
        table = np.full(hi - lo + 1, -1, dtype=np.intp)
        table[present] = where
        codes = table[codes]
    elif not np.array_equal(where, np.arange(where.shape[0])):
        codes = where[codes]
    all_counts = np.zeros(len(classes), dtype=np.int64)
    all_counts[where] = counts
    return Encoded(np.asarray(classes), codes, all_counts)


def check_classes(labels, n_columns, *, name="labels", suffix=""):
    """scikit-learn's checks of a ``labels`` parameter indexing score columns.

    ``labels`` must be unique, sorted and one per column; returns it as an
    array. ``suffix`` ends the messages ('.' for some functions).
    """
    labels = column_or_1d(labels, name)
    classes = np.unique(labels)
    if classes.shape[0] != labels.shape[0]:
        raise ValueError(f"Parameter '{name}' must be unique{suffix}")
    if not np.array_equal(classes, labels):
        raise ValueError(f"Parameter '{name}' must be ordered{suffix}")
    return classes


_FLOAT_KINDS = {
    np.dtype(np.float64): np.dtype(np.float64),
    np.dtype(np.float32): np.dtype(np.float32),
    np.dtype(np.float16): np.dtype(np.float32),
}


def prediction_array(y, name="y_score"):
    """Validate a 1-D or 2-D numeric prediction array (scores or probabilities).

    Returns ``(array, source_dtype)``: ``array`` is float32 or float64, native
    and C-contiguous (float16 widens to float32, integers and booleans to
    float64, all exactly); ``source_dtype`` is the float dtype scikit-learn
    would compute in (float64 for integer input), e.g. for its ``eps``.
    Finiteness is left to the kernel that reads the array anyway.
    """
    if isinstance(y, str) or y is None or np.isscalar(y):
        raise InputTypeError(f"Expected an array-like {name}, got {y!r}")
    try:
        a = np.asarray(y)
    except ValueError as exc:
        raise ValueError(f"{name} must be a rectangular array: {exc}") from exc
    if a.dtype.kind == "c":
        raise ValueError(f"Complex data not supported in {name}.")
    if a.dtype.kind not in "biuf":
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InputTypeError(f"{name} must contain numbers; got dtype {a.dtype}.") from exc
    if a.ndim not in (1, 2):
        raise ValueError(f"Found array with dim {a.ndim}, while dim <= 2 is required for {name}.")
    if a.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={a.shape}) while a minimum of 1 "
            f"is required in {name}."
        )
    if a.ndim == 2 and a.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={a.shape}) while a minimum of 1 "
            f"is required in {name}."
        )
    dtype = a.dtype.newbyteorder("=")
    if dtype.kind == "f":
        source = dtype if dtype in _FLOAT_KINDS else np.dtype(np.float64)
        target = _FLOAT_KINDS.get(dtype, np.dtype(np.float64))
    else:
        if dtype.kind in "iu" and dtype.itemsize == 8:
            bound = max(abs(int(a.min())), abs(int(a.max())))
            if bound > 2**53:
                raise ValueError(
                    f"Integer {name} beyond 2**53 cannot be converted exactly to "
                    "float64; pass float values."
                )
        source = target = np.dtype(np.float64)
    return as_native(a, target), source
