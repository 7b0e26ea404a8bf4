"""Multilabel indicator targets: validation and column-wise counting.

Indicator matrices arrive as dense arrays or, when scipy is installed, as
scipy sparse matrices or arrays. scipy is never imported here: a sparse
input can only exist if the caller already imported ``scipy.sparse``, so it
is looked up in ``sys.modules``.

As in scikit-learn, an entry is a positive when it is non-zero, and two
entries differ when their values differ; a 2-D target with more than one
column is an indicator when it holds at most two distinct integral values
(dense) or only one stored value or zero and one other (sparse).
"""

import sys
from typing import NamedTuple

import numpy as np

from cymetrics._kernels import _multilabel
from cymetrics._shared._labels import check_labels_1d, target_type
from cymetrics._shared._params import issparse
from cymetrics._shared._validation import as_native, canonical_bools, raise_non_finite

__all__ = [
    "IndicatorCounts",
    "IndicatorPair",
    "check_indicator_pair",
    "count_indicators",
    "is_indicator_shaped",
    "issparse",
]

# Value dtypes the dense kernel is compiled for (others are cast).
_KERNEL_VALUES = {
    np.dtype(t)
    for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
              np.uint32, np.float32, np.float64)
}
_EMPTY_INT = np.empty(0, dtype=np.int64)
_EMPTY_FLOAT = np.empty(0, dtype=np.float64)


def is_indicator_shaped(y):
    """True if ``y`` is sparse or a 2-D array-like with more than one column.

    Those are the inputs scikit-learn can only read as multilabel (or
    multioutput) targets.
    """
    if issparse(y):
        return True
    shape = getattr(y, "shape", None)
    if shape is None:
        if isinstance(y, (str, bytes)) or not hasattr(y, "__len__") or len(y) == 0:
            return False
        first = y[0]
        if isinstance(first, (str, bytes)) or not hasattr(first, "__len__"):
            return False
        try:
            shape = np.shape(y)
        except ValueError:
            return False
    return len(shape) == 2 and shape[1] > 1


class IndicatorPair(NamedTuple):
    """Two validated indicator matrices of one shape.

    Dense: ``true`` and ``pred`` are native C-contiguous 2-D arrays of one
    kernel dtype. Sparse: each is ``(indptr, indices, data)`` of a canonical
    CSR matrix, int64 indices and float64 data.
    """

    true: object
    pred: object
    n_samples: int
    n_labels: int
    sparse: bool
    # Each matrix stores one non-zero value (scikit-learn requires it of a
    # sparse indicator; a dense one may hold any two values).
    one_positive_value: bool = True

    def any_positive(self, columns):
        """Whether either matrix holds a non-zero entry in ``columns``."""
        if not self.sparse:
            return bool(np.any(self.true[:, columns]) or np.any(self.pred[:, columns]))
        chosen = np.zeros(self.n_labels, dtype=bool)
        chosen[columns] = True
        return any(bool(np.any(chosen[indices] & (data != 0)))
                   for _, indices, data in (self.true, self.pred))

    def columns(self, columns):
        """The pair restricted to (and ordered by) ``columns``."""
        if not self.sparse:
            return self._replace(
                true=np.ascontiguousarray(self.true[:, columns]),
                pred=np.ascontiguousarray(self.pred[:, columns]),
                n_labels=len(columns),
            )
        sp = sys.modules["scipy.sparse"]
        shape = (self.n_samples, self.n_labels)
        parts = []
        for indptr, indices, data in (self.true, self.pred):
            m = sp.csr_matrix((data, indices, indptr), shape=shape)[:, columns]
            parts.append(_canonical_csr(m))
        return self._replace(true=parts[0], pred=parts[1], n_labels=len(columns))


def _indicator_type(y, name):
    """sklearn's ``type_of_target`` for a sparse or 2-D (> 1 column) input.

    Returns ``(type, array, one_positive_value)``; the array is None unless
    the type is 'multilabel-indicator'.
    """
    if issparse(y):
        if y.ndim == 2 and y.shape[1] == 1:
            raise TypeError("Sparse input is only supported when targets are of multilabel type")
        if y.ndim != 2 or 0 in y.shape:
            return "unknown", None, False
        csr = y.tocsr()
        data = csr.data
        kind = data.dtype.kind
        if kind not in "biuf":
            return "unknown", None, False
        if kind == "f" and data.size and not np.isfinite(data).all():
            raise_non_finite(data, name)
        integral = kind != "f" or bool(np.all(data == np.trunc(data)))
        values = np.unique(data)
        if data.size == 0 or (
            integral and (values.size == 1 or (values.size == 2 and 0 in values))
        ):
            return "multilabel-indicator", csr, True
        return ("multiclass" if integral else "continuous") + "-multioutput", None, False
    y = np.asarray(y) if not isinstance(y, np.ndarray) else y
    if y.dtype.kind == "O":
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            return "multiclass-multioutput", None, False
    kind = y.dtype.kind
    if 0 in y.shape:
        return "unknown", None, False
    if kind == "b":
        return "multilabel-indicator", y, True
    if kind not in "iuf":
        if kind == "c":
            raise ValueError(f"Complex data not supported in {name}.")
        return "multiclass-multioutput", None, False
    lo, hi = y.min(), y.max()
    if kind == "f" and not (np.isfinite(lo) and np.isfinite(hi)):
        raise_non_finite(y, name)
    # At most two values: min and max (a unit range of integers needs no scan).
    two_values = lo == hi or (kind != "f" and int(hi) - int(lo) == 1) or bool(
        np.all((y == lo) | (y == hi))
    )
    if two_values and (kind != "f" or (lo == np.trunc(lo) and hi == np.trunc(hi))):
        return "multilabel-indicator", y, bool(lo == 0 or hi == 0 or lo == hi)
    if kind == "f" and np.any(y != np.trunc(y)):
        return "continuous-multioutput", None, False
    return "multiclass-multioutput", None, False


def _other_type(y, name):
    """Type of a non-indicator-shaped input, validated like a 1-D target."""
    y = check_labels_1d(y, name)
    if y.shape[0] == 0:
        return "binary"
    return target_type(y, name)


def _n_samples(y):
    shape = getattr(y, "shape", None)
    return shape[0] if shape else len(y)


def _canonical_csr(csr):
    """``(indptr, indices, data)``: sorted, duplicate-free, int64 and float64."""
    if not csr.has_canonical_format:
        csr = csr.copy()
        csr.sum_duplicates()
    return (
        as_native(csr.indptr, np.int64),
        as_native(csr.indices, np.int64),
        as_native(csr.data, np.float64),
    )


def _dense_kernel_dtype(a, b):
    dtype = np.result_type(a.dtype, b.dtype)
    if dtype.kind == "b":
        return np.dtype(np.uint8)
    if dtype.kind == "f" and dtype.itemsize < 4:
        return np.dtype(np.float32)
    if dtype.newbyteorder("=") in _KERNEL_VALUES:
        return dtype.newbyteorder("=")
    if dtype.kind in "iu" and max(int(a.max()), int(b.max())) < 2**63:
        return np.dtype(np.int64)
    return np.dtype(np.float64)


def check_indicator_pair(y_true, y_pred):
    """Validate a pair of targets of which at least one is indicator-shaped.

    Raises scikit-learn's errors for anything but two indicator matrices with
    the same number of columns; returns an `IndicatorPair`.
    """
    if any(is_indicator_shaped(y) and _n_samples(y) == 0 for y in (y_true, y_pred)):
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample "
            "is required."
        )
    types, arrays, single = [], [], []
    for y, name in ((y_true, "y_true"), (y_pred, "y_pred")):
        if is_indicator_shaped(y):
            y_type, arr, one_value = _indicator_type(y, name)
        else:
            y_type, arr, one_value = _other_type(y, name), None, False
        types.append(y_type)
        arrays.append(arr)
        single.append(one_value)
    lengths = [_n_samples(a if a is not None else y) for a, y in zip(arrays, (y_true, y_pred))]
    if lengths[0] != lengths[1]:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: {lengths}"
        )
    kinds = set(types)
    if kinds == {"binary", "multiclass"}:
        kinds = {"multiclass"}
    if len(kinds) > 1:
        raise ValueError(
            "Classification metrics can't handle a mix of "
            f"{types[0]} and {types[1]} targets"
        )
    if types[0] != "multilabel-indicator":
        raise ValueError(f"{types[0]} is not supported")
    true, pred = arrays
    if true.shape[1] != pred.shape[1]:
        raise ValueError(
            "Multi-label binary indicator input with different numbers of labels"
        )
    n_samples, n_labels = true.shape
    if issparse(true) or issparse(pred):
        sp = sys.modules["scipy.sparse"]
        true, pred = (_canonical_csr(sp.csr_matrix(m)) for m in (true, pred))
        return IndicatorPair(true, pred, n_samples, n_labels, True, all(single))
    dtype = _dense_kernel_dtype(true, pred)
    true, pred = canonical_bools(true), canonical_bools(pred)  # bools read as bytes
    true = as_native(true.view(np.uint8) if true.dtype.kind == "b" else true, dtype)
    pred = as_native(pred.view(np.uint8) if pred.dtype.kind == "b" else pred, dtype)
    return IndicatorPair(true, pred, n_samples, n_labels, False, all(single))


class IndicatorCounts(NamedTuple):
    """Label-wise (and optionally sample-wise) counts of an `IndicatorPair`."""

    tp: np.ndarray  # (n_labels,) int64, or float64 when weighted
    pred: np.ndarray
    true: np.ndarray
    exact: float  # weight of the rows predicted exactly
    differing: float  # weighted number of differing entries
    sample_tp: np.ndarray | None  # (n_samples,) int64 when per_sample
    sample_pred: np.ndarray | None
    sample_true: np.ndarray | None


def count_indicators(pair, weight=None, per_sample=False):
    """Count an `IndicatorPair` column-wise in one pass over its entries.

    ``weight`` is None or a float64 array (per-label sums are float64 when
    weighted, as scikit-learn's bincount makes them).
    """
    dtype = np.int64 if weight is None else np.float64
    kernel_weight = np.empty(0, dtype=dtype) if weight is None else as_native(weight, np.float64)
    tp, pred, true = (np.zeros(pair.n_labels, dtype=dtype) for _ in range(3))
    n_rows = pair.n_samples if per_sample else 0
    per_sample_out = [np.zeros(n_rows, dtype=np.int64) for _ in range(3)]
    if pair.sparse:
        exact, differing, ok = _multilabel.count_csr_indicator(
            *pair.true, *pair.pred, kernel_weight, tp, pred, true, *per_sample_out
        )
        if not ok:
            raise ValueError("Invalid sparse indicator matrix (index out of range).")
    else:
        exact, differing = _multilabel.count_dense_indicator(
            pair.true, pair.pred, kernel_weight, tp, pred, true, *per_sample_out
        )
    samples = per_sample_out if per_sample else (None, None, None)
    return IndicatorCounts(tp, pred, true, exact, differing, *samples)
