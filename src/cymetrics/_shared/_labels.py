"""Targets and labels: their kinds, their classes, their encodings.

* `check_labels_1d`/`check_labels_2d` and `target_type` validate targets and
  tell their kind, like scikit-learn's ``type_of_target``;
* `binary_target` finds the classes of a numeric 1-D target in one pass (a
  kernel that stops counting at a third value), `resolve_pos_label` applies
  scikit-learn's default positive class;
* `encode_labels` turns labels into intp codes;
* the one small-integer-range policy: integer labels spanning a small range
  are counted at ``label - min`` without any encoding or sort. Its limits,
  the integer dtypes the kernels take, and `kernel_int_pair`, which casts a
  pair of label arrays to one of them, live here and nowhere else.
"""

import math
from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import InputTypeError, MixedLabelTypesError
from cymetrics._kernels import _labels
from cymetrics._shared._parallel import in_halves
from cymetrics._shared._validation import (
    as_native,
    canonical_bools,
    check_not_empty,
    column_or_1d,
    raise_non_finite,
    to_array,
)

__all__ = [
    "KERNEL_INTS",
    "MAX_DENSE_RANGE",
    "MAX_ENCODED_CLASSES",
    "MAX_VECTOR_RANGE",
    "PREFIX",
    "BinaryTarget",
    "Encoded",
    "binary_positive_mask",
    "binary_target",
    "check_classes",
    "check_curve_target",
    "check_labels_1d",
    "check_labels_2d",
    "curve_target",
    "encode_labels",
    "kernel_int_pair",
    "label_array",
    "label_indices",
    "resolve_pos_label",
    "target_type",
    "unique_labels",
]

# ---------------------------------------------------------------------------
# The small-integer-range policy
# ---------------------------------------------------------------------------
# Integer dtypes the counting kernels are compiled for (others are cast).
KERNEL_INTS = frozenset(np.dtype(t) for t in (
    np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32))
# Labels read to guess the range before counting; the count grows the range
# if a later label falls outside it, so the labels are still read once.
PREFIX = 4096
# Each limit keeps what the range sizes small. A K x K int64 confusion
# matrix over a label range: 1024 (8 MiB; gaps in the range cost cells).
MAX_DENSE_RANGE = 1 << 10
# A K x K matrix over encoded classes (no gaps): 2048 (32 MiB); beyond, only
# per-class totals are counted.
MAX_ENCODED_CLASSES = 1 << 11
# A vector of per-label counts (and a code table) over a label range: 8 MiB.
MAX_VECTOR_RANGE = 1 << 20


def kernel_int_pair(y_true, y_pred):
    """Both label arrays as one kernel integer dtype, or None if not integral.

    Booleans are read as uint8 and integral floats (already checked to be
    integral) as int64; None for values that do not fit int64.
    """
    kinds = {y_true.dtype.kind, y_pred.dtype.kind}
    if not kinds <= set("iubf"):
        return None
    if "f" in kinds:
        for y in (y_true, y_pred):
            # float() first: 2.0**62 cast to a float16 label overflows (a
            # RuntimeWarning), where the comparison is meant in float64.
            if y.dtype.kind == "f" and (float(y.min()) < -(2.0**62) or float(y.max()) > 2.0**62):
                return None
        dtype = np.dtype(np.int64)
    else:
        dtype = np.result_type(y_true.dtype, y_pred.dtype)
        if dtype.kind == "b":
            # Booleans are read as their bytes: a view, not a copy.
            return tuple(np.ascontiguousarray(y).view(np.uint8) for y in (y_true, y_pred))
        if dtype not in KERNEL_INTS:
            if dtype.kind == "u" and max(int(y_true.max()), int(y_pred.max())) < 2**63:
                dtype = np.dtype(np.int64)
            else:
                return None
    return as_native(y_true, dtype), as_native(y_pred, dtype)


# ---------------------------------------------------------------------------
# Validating targets and telling their kind
# ---------------------------------------------------------------------------
def check_label_values(y, name):
    """Turn a 1-D label array into numbers or str; refuse NaN and mixtures.

    Object arrays of str become str arrays; other object arrays are returned
    as they are and `target_type` calls them 'unknown', as scikit-learn does.
    """
    kind = y.dtype.kind
    if kind == "O":
        if y.size == 0:
            return y
        is_str = [isinstance(v, str) for v in y]
        if all(is_str):
            return y.astype(str)
        if any(is_str):
            raise MixedLabelTypesError(
                f"Mix of label input types (string and number) in {name}."
            )
        if isinstance(y[0], bytes):
            raise InputTypeError(
                "Support for labels represented as bytes is not supported. "
                "Convert the labels to a string or integer format."
            )
        return y
    if kind == "S":
        raise InputTypeError(
            "Support for labels represented as bytes is not supported. "
            "Convert the labels to a string or integer format."
        )
    if kind == "c":
        raise ValueError(f"Complex data not supported in {name}.")
    if kind == "b":
        return canonical_bools(y)  # kernels read bool labels as bytes
    if kind == "f" and y.size and not np.isfinite(y).all():
        raise_non_finite(y, name)
    return y


def target_type(y, name="y"):
    """Classify a target like ``sklearn.utils.multiclass.type_of_target``.

    ``y`` must already be an ndarray of numbers or str with NaN refused.
    Returns one of 'binary', 'multiclass', 'continuous',
    'multilabel-indicator', 'multiclass-multioutput', 'continuous-multioutput'
    or 'unknown'.
    """
    if y.ndim not in (1, 2) or (y.ndim == 2 and 0 in y.shape):
        return "unknown"
    if y.ndim == 1 and y.size == 0:
        return "binary"
    if y.dtype.kind == "O":
        return "unknown"
    suffix = "-multioutput" if (y.ndim == 2 and y.shape[1] > 1) else ""
    if y.dtype.kind == "f" and np.any(y != np.trunc(y)):
        return "continuous" + suffix
    if suffix:
        if y.dtype.kind in "iufb" and _is_indicator(y):
            return "multilabel-indicator"
        return "multiclass" + suffix
    n_unique = _count_unique_upto(y.ravel(), 3)
    return "multiclass" if n_unique > 2 else "binary"


def _is_indicator(y):
    """scikit-learn's ``is_multilabel`` for a dense 2-D array: at most two
    distinct values, integers or integral floats."""
    values = np.unique(y)
    return values.shape[0] < 3 and (
        y.dtype.kind in "biu" or bool(np.all(values == np.trunc(values)))
    )


def _count_unique_upto(y, limit):
    """Number of distinct values in 1-D ``y``, stopping at ``limit``.

    Numbers use min/max and two comparisons instead of a sort.
    """
    if y.dtype.kind in "iufb":
        lo, hi = y.min(), y.max()
        if lo == hi:
            return 1
        n_extreme = np.count_nonzero(y == lo) + np.count_nonzero(y == hi)
        return 2 if n_extreme == y.shape[0] else limit
    return min(np.unique(y).shape[0], limit)


def check_labels_1d(y, name):
    """Validate a 1-D label array (column vectors ravelled); NaN refused."""
    y = column_or_1d(y, name)
    return check_label_values(y, name)


def check_labels_2d(y, name):
    """Validate a 2-D label array (a multilabel indicator or multioutput)."""
    y = to_array(y, name)
    if y.ndim != 2:
        raise ValueError(f"{name} should be a 2d array, got shape {y.shape} instead.")
    if y.dtype.kind == "O":
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            return y.astype(str)
    return check_label_values(y.reshape(-1), name).reshape(y.shape)


def unique_labels(*ys):
    """Sorted union of the labels of several 1-D label arrays."""
    ys = [y for y in ys if y.size]
    kinds = {("str" if y.dtype.kind in "U" else "num") for y in ys}
    if len(kinds) > 1:
        raise MixedLabelTypesError("Mix of label input types (string and number)")
    if not ys:
        return np.empty(0)
    return np.unique(np.concatenate([np.unique(y) for y in ys]))


# ---------------------------------------------------------------------------
# Binary targets
# ---------------------------------------------------------------------------
class BinaryTarget(NamedTuple):
    """A validated 1-D target; ``classes`` is filled for binary targets."""

    y: np.ndarray
    y_type: str
    classes: np.ndarray
    # From the scan of a numeric binary target: its first value, its second
    # (None if only one) and the mask y == second.
    first: object = None
    second: object = None
    is_second: np.ndarray | None = None

    def equals(self, label):
        """Boolean mask ``y == label`` (all False for a label of another kind)."""
        if (self.y.dtype.kind == "U") != isinstance(label, str):
            return np.zeros(self.y.shape[0], dtype=bool)
        if self.is_second is None:
            return np.asarray(self.y == label, dtype=bool)
        if self.second is not None and label == self.second:
            return self.is_second.view(bool)
        if label == self.first:
            return ~self.is_second.view(bool)
        return np.zeros(self.y.shape[0], dtype=bool)


_SCAN_DTYPES = {
    np.dtype(t): np.dtype(t)
    for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
              np.uint32, np.float32, np.float64)
}
_SCAN_DTYPES[np.dtype(np.float16)] = np.dtype(np.float32)
_SCAN_DTYPES[np.dtype(np.bool_)] = np.dtype(np.uint8)


def binary_target(y_true):
    """Validate a 1-D ``y_true`` and find its classes in one pass when numeric.

    Numeric labels are scanned by a kernel that stops counting at a third
    distinct value, so no sort is needed to tell binary from multiclass.
    """
    y = check_labels_1d(y_true, "y_true")
    dtype = y.dtype if y.dtype.isnative else y.dtype.newbyteorder("=")
    scan_dtype = _SCAN_DTYPES.get(dtype)
    if y.shape[0] and scan_dtype is not None:
        is_second = np.empty(y.shape[0], dtype=np.uint8)
        scanned = as_native(y.view(np.uint8) if y.dtype.kind == "b" else y, scan_dtype)
        first, second, more = _scan_two_values(scanned, is_second)
        values = [first] if second is None else sorted([first, second])
        # Python numbers from the kernel: math, not numpy, checks them (per-call time).
        if not more and all(math.isfinite(v) and float(v).is_integer() for v in values):
            classes = np.asarray(values).astype(y.dtype)
            return BinaryTarget(y, "binary", classes, first, second, is_second)
    y_type = target_type(y, "y_true")
    classes = np.unique(y) if y_type == "binary" else np.empty(0, dtype=y.dtype)
    return BinaryTarget(y, y_type, classes)


def _scan_two_values(y, is_second):
    """`scan_two_values` of the kernels, the halves of a long ``y`` on two
    threads: each half finds its own two values, then the second half's mask
    is turned to mark the first half's second value if it marked the other."""
    parts = in_halves(lambda a, b: (a, _labels.scan_two_values(y[a:b], is_second[a:b])),
                      y.shape[0])
    if len(parts) == 1:
        return parts[0][1]
    (_, (a1, b1, more1)), (h, (a2, b2, more2)) = parts
    # In order of appearance; NaN equals nothing, so it makes a third value.
    values = [a1]
    for v in (b1, a2, b2):
        if v is not None and not any(v == u for u in values):
            values.append(v)
    if more1 or more2 or len(values) > 2 or any(v != v for v in values):
        return a1, (values[1] if len(values) > 1 else None), True
    second = values[1] if len(values) > 1 else None
    tail = is_second[h:]
    if b2 is None:
        if second is not None and a2 == second:
            tail.fill(1)  # the second half holds only the second value
    elif not b2 == second:
        np.bitwise_xor(tail, 1, out=tail)  # it marked the first value
    return a1, second, False


def resolve_pos_label(target, pos_label):
    """scikit-learn's pos_label rule: default 1 only for {0, 1} / {-1, 1} data."""
    if pos_label is not None:
        return pos_label
    classes = target.classes
    if classes.dtype.kind in "iufb" and classes.tolist() in ([0, 1], [-1, 1], [0], [-1], [1]):
        return 1
    shown = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in classes.tolist())
    raise ValueError(
        f"y_true takes value in {{{shown}}} and pos_label is not specified: "
        "either make y_true take value in {0, 1} or {-1, 1} or pass pos_label "
        "explicitly."
    )


def binary_positive_mask(y_true, pos_label):
    """Validate ``y_true`` for a binary curve; return ``y_true == pos_label``.

    Multiclass ``y_true`` is accepted when ``pos_label`` is given (that class
    against the rest), as in scikit-learn.
    """
    target = curve_target(y_true, pos_label)
    return target.equals(resolve_pos_label(target, pos_label))


def curve_target(y_true, pos_label):
    """`binary_target` of a non-empty ``y_true`` fit for a binary curve."""
    target = binary_target(y_true)
    check_not_empty(target.y.shape[0], "y_true, y_score")
    check_curve_target(target, pos_label)
    return target


def check_curve_target(target, pos_label):
    """Binary, or multiclass with an explicit ``pos_label`` (one vs rest)."""
    y_type = target.y_type
    if y_type == "binary" or (y_type == "multiclass" and pos_label is not None):
        return
    # Object arrays of non-labels: scikit-learn fails with ValueError or,
    # from numpy's sort, TypeError; InputTypeError is both.
    error = InputTypeError if y_type == "unknown" else ValueError
    raise error(f"{y_type} format is not supported")


# ---------------------------------------------------------------------------
# Label encoding
# ---------------------------------------------------------------------------
def label_indices(classes, labels):
    """Position of each of ``labels`` in sorted ``classes``; -1 where absent."""
    labels = np.asarray(labels)
    if labels.dtype.kind == "O" and all(isinstance(v, str) for v in labels.ravel()):
        labels = labels.astype(str)
    if classes.shape[0] == 0 or labels.shape[0] == 0:
        return np.full(labels.shape[0], -1, dtype=np.intp)
    if (classes.dtype.kind == "U") != (labels.dtype.kind == "U"):
        return np.full(labels.shape[0], -1, dtype=np.intp)
    if classes.shape[0] <= 32 and labels.shape[0] <= 32:
        # A per-call cost for the common few classes (a fifth of the vector
        # path's): Python equality and hashing agree with numpy's ==.
        where = {v: i for i, v in enumerate(classes.tolist())}
        return np.array([where.get(v, -1) for v in labels.tolist()], dtype=np.intp)
    idx = np.searchsorted(classes, labels)
    idx = np.minimum(idx, classes.shape[0] - 1)
    found = classes[idx] == labels
    return np.where(found, idx, -1).astype(np.intp)


def label_array(labels):
    """``labels`` as a 1-D array comparable with the counted classes."""
    labels = np.asarray(labels).reshape(-1)
    if labels.dtype == object and labels.size:
        is_str = [isinstance(v, str) for v in labels]
        if all(is_str):
            return labels.astype(str)
        if not any(is_str):
            try:
                return labels.astype(np.float64)
            except (TypeError, ValueError):
                pass
    return labels


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
    lo, hi = y.min().item(), y.max().item()  # Python numbers: exact compares, no wrap
    # Offsets are int64: values beyond 2**62 are encoded by sorting instead.
    if not (-(2**62) <= lo and hi <= 2**62) or hi - lo > MAX_VECTOR_RANGE:
        return None
    if kind == "f":
        if not np.array_equal(y, np.trunc(y)):
            return None
        return as_native(y, np.int64), int(lo), int(hi)
    dtype = y.dtype.newbyteorder("=")
    if dtype not in KERNEL_INTS:
        dtype = np.dtype(np.int64)
    return as_native(y, dtype), lo, hi


def encode_labels(y, classes=None, *, unknown="y_true contains labels not in labels"):
    """Encode validated 1-D labels ``y`` as positions in sorted ``classes``.

    ``classes=None`` uses the labels present. Raises ValueError with message
    ``unknown`` (or ``unknown()``, for a message worth building only then)
    when ``y`` holds a label that is not in ``classes``.
    """
    n = y.shape[0]
    small = _small_int_view(y)
    if small is not None:
        ints, lo, hi = small
        counts = np.zeros(hi - lo + 1, dtype=np.int64)
        codes = np.empty(n, dtype=np.intp)
        if _labels.range_codes(ints, lo, counts, codes) != n:
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
        raise ValueError(unknown() if callable(unknown) else unknown)
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
