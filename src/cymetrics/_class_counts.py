"""Validated targets -> per-class confusion counts, in one pass over the labels.

`count_targets` is the single entry of every confusion-derived metric:

* 1-D binary/multiclass labels are counted by `count_confusion` (a K x K
  matrix in one pass, no encoding for small-range integers), or, when the
  labels need encoding (strings, sparse large integers), encoded once and
  counted per class by a kernel that needs no K x K matrix;
* multilabel indicator matrices (dense or scipy sparse) are counted
  column-wise by the `_multilabel` kernels.

The result, `Counts`, holds per-class tp / predicted / true totals; every
metric is O(K) (or O(K^2) for Cohen's kappa) on top of it. `counts_from_matrix`
builds the same object from a precomputed confusion matrix.
"""

import warnings
from typing import NamedTuple

import numpy as np

from cymetrics._averaging import LabelCounts
from cymetrics._counting import Confusion, check_label_pair, count_confusion, label_indices
from cymetrics._kernels import _multilabel as _kernels
from cymetrics._multilabel import (
    check_indicator_pair,
    count_indicators,
    is_indicator_shaped,
)
from cymetrics._validation import as_native, check_sample_weight

__all__ = [
    "Counts",
    "check_weight",
    "count_targets",
    "counts_from_matrix",
    "label_counts",
    "labelled_matrix",
]

MULTILABEL = "multilabel-indicator"
# Integer labels whose range (guessed from a prefix) fits this are counted
# densely by count_confusion; others are encoded and counted per class.
_DENSE_RANGE = 1024
_PREFIX = 4096


class Counts(NamedTuple):
    """Per-class confusion totals of one (y_true, y_pred, sample_weight)."""

    y_type: str  # 'binary', 'multiclass' or 'multilabel-indicator'
    classes: np.ndarray  # labels present (sorted); arange(n_labels) for multilabel
    tp: np.ndarray  # (K,) true positives per class
    pred: np.ndarray  # (K,) predicted count per class
    true: np.ndarray  # (K,) true count (support) per class
    total: object  # number of samples, or their total weight
    weight: np.ndarray | None  # validated sample weights (int64 or float64)
    # scikit-learn returns a float64 multilabel_confusion_matrix when weighted
    # and, for 1-D labels, when no sample is predicted right.
    float_counts: bool
    exact: object = None  # weight of the samples predicted exactly (None: unknown)
    differing: object = None  # weighted number of wrong (sample, label) entries
    samples: tuple | None = None  # per-sample (tp, pred, true) for multilabel
    sample_columns: int = 0  # labels counted in ``samples``
    confusion: Confusion | None = None  # K x K matrix, when counted as one

    @property
    def n_classes(self):
        return self.classes.shape[0]


def check_weight(sample_weight, n_samples):
    """Validated weights (int64 or float64), refusing all-zero weights like sklearn."""
    w = check_sample_weight(sample_weight, n_samples, keep_integer=True)
    if w is not None and not w.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return w


def _float_weight(w):
    return None if w is None else as_native(w, np.float64)


def _total(w, n):
    return n if w is None else np.sum(w)


def _dense_range_likely(y_true, y_pred):
    """Whether ``count_confusion`` will count these labels without encoding."""
    if not {y_true.dtype.kind, y_pred.dtype.kind} <= set("iubf"):
        return False
    lo = min(y_true[:_PREFIX].min(), y_pred[:_PREFIX].min())
    hi = max(y_true[:_PREFIX].max(), y_pred[:_PREFIX].max())
    return float(hi) - float(lo) < _DENSE_RANGE


def _count_1d(y_true, y_pred, w):
    """Per-class counts of validated 1-D labels."""
    n = y_true.shape[0]
    confusion = None
    if _dense_range_likely(y_true, y_pred):
        confusion = count_confusion(y_true, y_pred, w)
        m = confusion.matrix
        classes = confusion.classes
        tp, true, pred = np.diagonal(m).copy(), m.sum(axis=1), m.sum(axis=0)
    else:
        classes, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
        codes = as_native(codes.reshape(-1), np.int64)
        dtype = np.int64 if w is None else np.float64
        kernel_w = np.empty(0, dtype=dtype) if w is None else as_native(w, np.float64)
        tp, true, pred = (np.zeros(classes.shape[0], dtype=dtype) for _ in range(3))
        if _kernels.count_per_class(codes[:n], codes[n:], kernel_w, tp, true, pred) != n:
            raise AssertionError("a label code fell outside the classes")
    if w is not None:
        # scikit-learn sums weights in float64 whatever their dtype.
        tp, true, pred = (np.asarray(a, dtype=np.float64) for a in (tp, true, pred))
    y_type = "binary" if classes.shape[0] <= 2 else "multiclass"
    exact = tp.sum()
    return Counts(
        y_type, classes, tp, pred, true, _total(w, n), w,
        float_counts=w is not None or exact == 0,
        exact=exact, differing=_total(w, n) - exact, confusion=confusion,
    )


def multilabel_columns(labels, n_labels):
    """``labels`` as column indices, checked like scikit-learn."""
    labels = np.asarray(labels)
    if labels.shape == (n_labels,) and np.array_equal(labels, np.arange(n_labels)):
        return labels
    if labels.size == 0:
        raise ValueError("'labels' should contain at least one label.")
    if labels.max() > n_labels - 1:
        raise ValueError(
            "All labels must be in [0, n labels) for multilabel targets. "
            f"Got {labels.max()} > {n_labels - 1}"
        )
    if labels.min() < 0:
        raise ValueError(
            "All labels must be in [0, n labels) for multilabel targets. "
            f"Got {labels.min()} < 0"
        )
    if labels.dtype.kind not in "iu":
        raise IndexError("multilabel labels must be integer column indices")
    return labels.astype(np.intp)


def _count_multilabel(y_true, y_pred, sample_weight, per_sample, sample_labels):
    pair = check_indicator_pair(y_true, y_pred)
    w = check_weight(sample_weight, pair.n_samples)
    fw = _float_weight(w)
    subset = None
    if per_sample and sample_labels is not None:
        columns = multilabel_columns(sample_labels, pair.n_labels)
        if not np.array_equal(columns, np.arange(pair.n_labels)):
            subset = columns
    counted = count_indicators(pair, fw, per_sample=per_sample and subset is None)
    samples, sample_columns = counted[5:], pair.n_labels
    if subset is not None:
        # The per-sample counts only see the chosen columns (with repeats).
        samples = count_indicators(pair.columns(subset), fw, per_sample=True)[5:]
        sample_columns = subset.shape[0]
    n = pair.n_samples
    return Counts(
        MULTILABEL, np.arange(pair.n_labels), counted.tp, counted.pred, counted.true,
        _total(w, n), w, float_counts=w is not None,
        exact=counted.exact, differing=counted.differing,
        samples=samples if per_sample else None, sample_columns=sample_columns,
    )


def count_targets(y_true, y_pred, sample_weight=None, *, per_sample=False, sample_labels=None):
    """Validate a pair of targets and count them into `Counts`.

    ``per_sample`` also counts each multilabel sample (for
    ``average='samples'``), over the columns ``sample_labels`` if given.
    """
    if is_indicator_shaped(y_true) or is_indicator_shaped(y_pred):
        return _count_multilabel(y_true, y_pred, sample_weight, per_sample, sample_labels)
    y_true, y_pred = check_label_pair(y_true, y_pred)
    w = check_weight(sample_weight, y_true.shape[0])
    return _count_1d(y_true, y_pred, w)


def check_targets_1d(y_true, y_pred, sample_weight):
    """Validated 1-D labels and weights, for metrics that compare labels directly."""
    if is_indicator_shaped(y_true) or is_indicator_shaped(y_pred):
        return None
    y_true, y_pred = check_label_pair(y_true, y_pred)
    return y_true, y_pred, check_weight(sample_weight, y_true.shape[0])


def count_matrix(y_true, y_pred, sample_weight):
    """The K x K `Confusion` of 1-D labels (Cohen's kappa, likelihood ratios)."""
    y_true, y_pred = check_label_pair(y_true, y_pred)
    w = check_weight(sample_weight, y_true.shape[0])
    return count_confusion(y_true, y_pred, w)


def labelled_matrix(confusion, labels):
    """``confusion_matrix(..., labels=labels)`` from a counted `Confusion`."""
    cm = confusion.matrix
    if labels is not None:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        idx = label_indices(confusion.classes, labels.ravel())
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
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion "
            "matrix to have the correct shape, use the 'labels' parameter to pass "
            "all known labels.",
            UserWarning,
            stacklevel=4,
        )


def label_counts(counts, labels=None, samplewise=False):
    """One-vs-rest `LabelCounts` for ``labels`` (or every class), or per sample.

    Follows ``sklearn.metrics.multilabel_confusion_matrix``: labels absent
    from the data count zero; multilabel labels are column indices.
    """
    if samplewise:
        if counts.y_type != MULTILABEL:
            raise ValueError(
                "Samplewise metrics are not available outside of multilabel "
                "classification."
            )
        if counts.samples is None:
            raise ValueError(
                "average='samples' and per-sample matrices need the samples; a "
                "confusion matrix only holds label-wise counts."
            )
        tp, pred, true = counts.samples
        n_cols = counts.sample_columns
        w = counts.weight
        if w is not None:
            tp, pred, true, n_cols = tp * w, pred * w, true * w, w * n_cols
        fp, fn = pred - tp, true - tp
        return LabelCounts(tp, fp, fn, n_cols - tp - fp - fn)
    if labels is None:
        tp, pred, true = counts.tp, counts.pred, counts.true
    else:
        if counts.y_type == MULTILABEL:
            idx = multilabel_columns(labels, counts.n_classes)
        else:
            idx = label_indices(counts.classes, np.asarray(labels).reshape(-1))
        # Index -1 reads the appended zero: labels absent from the data.
        tp, pred, true = (np.append(a, a.dtype.type(0))[idx]
                          for a in (counts.tp, counts.pred, counts.true))
    if counts.float_counts:
        tp, pred, true = (np.asarray(a, dtype=np.float64) for a in (tp, pred, true))
    fp, fn = pred - tp, true - tp
    return LabelCounts(tp, fp, fn, counts.total - tp - fp - fn)


def counts_from_matrix(cm, classes=None):
    """`Counts` of a K x K confusion matrix or an (L, 2, 2) multilabel one."""
    cm = np.asarray(cm)
    if cm.dtype.kind not in "iufb" or cm.ndim not in (2, 3):
        raise ValueError(
            "Expected a (K, K) confusion matrix or an (L, 2, 2) multilabel "
            f"confusion matrix of numbers; got shape {cm.shape}, dtype {cm.dtype}."
        )
    dtype = np.float64 if cm.dtype.kind == "f" else np.int64
    cm = cm.astype(dtype)
    if cm.size and (not np.isfinite(cm).all() or cm.min() < 0):
        raise ValueError("A confusion matrix holds finite non-negative counts.")
    if cm.ndim == 2:
        if cm.shape[0] != cm.shape[1] or cm.shape[0] == 0:
            raise ValueError(f"A confusion matrix must be square and non-empty; got {cm.shape}.")
        k = cm.shape[0]
        classes = np.arange(k) if classes is None else np.asarray(classes)
        if classes.shape != (k,) or np.unique(classes).shape[0] != k:
            raise ValueError(f"classes must be {k} distinct labels, one per row of the matrix.")
        order = np.argsort(classes, kind="stable")
        classes, cm = classes[order], cm[np.ix_(order, order)]
        tp, true, pred = np.diagonal(cm).copy(), cm.sum(axis=1), cm.sum(axis=0)
        total = cm.sum()
        exact = tp.sum()
        confusion = Confusion(classes, cm, true > 0, "binary" if k <= 2 else "multiclass")
        return Counts(
            confusion.y_type, classes, tp, pred, true, total, None,
            float_counts=dtype is np.float64, exact=exact, differing=total - exact,
            confusion=confusion,
        )
    if cm.shape[1:] != (2, 2) or cm.shape[0] == 0:
        raise ValueError(f"A multilabel confusion matrix has shape (L, 2, 2); got {cm.shape}.")
    if classes is not None:
        raise ValueError("classes is only for a (K, K) confusion matrix.")
    per_label_total = cm.sum(axis=(1, 2))
    if not np.allclose(per_label_total, per_label_total[0], rtol=1e-12, atol=0):
        raise ValueError("Every label of a multilabel confusion matrix must count the same samples.")
    tp = cm[:, 1, 1]
    return Counts(
        MULTILABEL, np.arange(cm.shape[0]), tp, tp + cm[:, 0, 1], tp + cm[:, 1, 0],
        per_label_total[0], None, float_counts=dtype is np.float64,
        exact=None, differing=np.sum(cm[:, 0, 1] + cm[:, 1, 0]),
    )
