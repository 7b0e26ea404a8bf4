"""Validated targets -> per-class confusion counts, in one pass over the labels.

`count_targets` is the single entry of every confusion-derived metric:

* 1-D binary/multiclass labels are counted in one pass, without encoding
  when they are small-range integers, else after one ``np.unique``: into the
  K x K matrix of `count_confusion` (unweighted input, or the metrics
  scikit-learn derives from confusion_matrix), or per class in sample order
  (weighted input: the sums then round as scikit-learn's bincounts; and any
  label set too large for a K x K matrix) by the `_multilabel` kernels;
* multilabel indicator matrices (dense or scipy sparse) are counted
  column-wise by the `_multilabel` kernels.

The result, `Counts`, holds per-class tp / predicted / true totals; every
metric is O(K) (or O(K^2) for Cohen's kappa) on top of it. `counts_from_matrix`
builds the same object from a precomputed confusion matrix.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._classification._averaging import LabelCounts
from cymetrics._classification._confusion import (
    Confusion,
    check_label_pair,
    confusion_of,
    count_confusion,
    count_over_range,
    dense_confusion,
    encode_pair,
    encoded_confusion,
)
from cymetrics._kernels import _confusion
from cymetrics._shared._indicators import (
    check_indicator_pair,
    count_indicators,
    is_indicator_shaped,
)
from cymetrics._shared._labels import (
    MAX_ENCODED_CLASSES,
    PREFIX,
    kernel_int_pair,
    label_array,
    label_indices,
)
from cymetrics._shared._parallel import in_halves
from cymetrics._shared._validation import (
    as_exact_int64,
    as_native,
    check_int64_total,
    check_sample_weight,
    to_array,
)

__all__ = [
    "MULTILABEL",
    "Counts",
    "Matrix",
    "Tallied",
    "Targets",
    "count_targets",
    "counts_from_matrix",
    "label_counts",
    "multilabel_columns",
]

MULTILABEL = "multilabel-indicator"


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
    indicator: object = None  # the validated IndicatorPair of multilabel input

    @property
    def n_classes(self):
        return self.classes.shape[0]


def totals_only(total, weight, exact, differing):
    """`Counts` holding only the exact and differing totals (accuracy, Hamming
    loss, zero-one loss of 1-D labels, which compare labels without counting
    classes)."""
    empty = np.empty(0)
    return Counts("multiclass", empty, empty, empty, empty, total, weight, False,
                  exact=exact, differing=differing)


def matrix_only(confusion):
    """`Counts` holding only a K x K `Confusion` (Cohen's kappa, likelihood ratios)."""
    empty = np.empty(0)
    return Counts(confusion.y_type, confusion.classes, empty, empty, empty, None, None,
                  False, confusion=confusion)


def check_weight(sample_weight, n_samples):
    """Validated weights of a pair of targets: int64 or float64, or None."""
    return check_sample_weight(sample_weight, n_samples, keep_integer=True)


def _total(w, n):
    return n if w is None else np.sum(w)


_NO_WEIGHT = np.empty(0, dtype=np.int64)


def _kernel_weight(w):
    """The kernels' weights: empty int64 (int64 counts) or float64 sums."""
    return _NO_WEIGHT if w is None else as_native(w, np.float64)


class _PerClass:
    """Per-class tp / true / pred sums and presence flags over a label range."""

    def __init__(self, lo, hi, weight):
        self.lo, self.weight = lo, weight
        dtype = np.int64 if weight.shape[0] == 0 else np.float64
        self.tp, self.true, self.pred = (np.zeros(hi - lo + 1, dtype=dtype) for _ in range(3))
        self.seen = np.zeros(hi - lo + 1, dtype=np.uint8)

    def count(self, y_true, y_pred, start):
        return _confusion.count_per_class(y_true, y_pred, self.lo, self.weight, self.tp,
                                          self.true, self.pred, self.seen, start)

    def grown(self, lo, hi):
        out = _PerClass(lo, hi, self.weight)
        at = slice(self.lo - lo, self.lo - lo + self.tp.shape[0])
        for name in ("tp", "true", "pred", "seen"):
            getattr(out, name)[at] = getattr(self, name)
        return out

    def present(self, dtype):
        """(tp, true, pred, classes) of the labels that occur."""
        if self.seen.all():
            classes = np.arange(self.lo, self.lo + self.seen.shape[0]).astype(dtype)
            return self.tp, self.true, self.pred, classes
        slots = np.flatnonzero(self.seen)
        return self.tp[slots], self.true[slots], self.pred[slots], (slots + self.lo).astype(dtype)


def _count_per_class_encoded(classes, true_codes, pred_codes, w):
    acc = _PerClass(0, classes.shape[0] - 1, _kernel_weight(w))
    if acc.count(true_codes, pred_codes, 0) != true_codes.shape[0]:
        raise AssertionError("a label code fell outside the classes")
    return acc.tp, acc.true, acc.pred, classes


def _count_1d(y_true, y_pred, w, cells):
    """Per-class totals of validated 1-D labels, in one pass over them.

    Unweighted labels (beyond a few thousand), and weighted ones when
    ``cells`` is set (the metrics scikit-learn derives from confusion_matrix:
    MCC, balanced accuracy), are counted into the K x K matrix of
    `cymetrics._classification._confusion` (one increment per sample, the
    fastest kernel); the totals are its diagonal and margins. Otherwise
    weighted totals are summed per class in sample order, as the bincounts
    of scikit-learn's multilabel_confusion_matrix add them, so that they
    round alike. Encoded labels with more than ``MAX_ENCODED_CLASSES``
    classes are always counted per class: no K x K matrix.
    """
    n = y_true.shape[0]
    ints = kernel_int_pair(y_true, y_pred)
    label_dtype = np.result_type(y_true.dtype, y_pred.dtype)
    result = confusion = encoded = None
    # Small inputs skip the matrix: for them the fixed cost of building and
    # reducing it outweighs the faster kernel (unweighted counts are equal).
    if (w is None and n > PREFIX) or (cells and w is not None):
        if ints is not None:
            confusion = dense_confusion(ints, label_dtype, w, n)
        if confusion is None:
            encoded = encode_pair(y_true, y_pred)
            if encoded[0].shape[0] <= MAX_ENCODED_CLASSES:
                confusion = encoded_confusion(*encoded, w)
        if confusion is not None:
            m = confusion.matrix
            result = np.diagonal(m).copy(), m.sum(axis=1), m.sum(axis=0), confusion.classes
    if result is None and encoded is None and ints is not None:
        table = count_over_range(*ints, lambda lo, hi: _PerClass(lo, hi, _kernel_weight(w)))
        if table is not None:
            result = table.present(label_dtype)
    if result is None:
        result = _count_per_class_encoded(*(encoded or encode_pair(y_true, y_pred)), w)
    tp, true, pred, classes = result
    if w is not None:
        # scikit-learn sums weights in float64 whatever their dtype.
        tp, true, pred = (np.asarray(a, dtype=np.float64) for a in (tp, true, pred))
    y_type = "binary" if classes.shape[0] <= 2 else "multiclass"
    exact = tp.sum()
    total = _total(w, n)
    return Counts(
        y_type, classes, tp, pred, true, total, w,
        float_counts=w is not None or exact == 0,
        exact=exact, differing=total - exact, confusion=confusion,
    )


def multilabel_columns(labels, n_labels):
    """``labels`` as column indices, checked like scikit-learn."""
    labels = np.asarray(labels)
    if labels.shape == (n_labels,) and np.array_equal(labels, np.arange(n_labels)):
        return labels
    if labels.size == 0:
        # scikit-learn appends the labels present: its checks pass, and no
        # column is selected.
        return np.empty(0, dtype=np.intp)
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
    fw = None if w is None else as_native(w, np.float64)
    subset = None
    if per_sample and sample_labels is not None:
        columns = multilabel_columns(sample_labels, pair.n_labels)
        if not np.array_equal(columns, np.arange(pair.n_labels)):
            subset = columns
    counted = count_indicators(pair, fw, per_sample=per_sample and subset is None)
    by_sample, sample_columns = counted, pair.n_labels
    if subset is not None:
        # The per-sample counts only see the chosen columns (with repeats).
        by_sample = count_indicators(pair.columns(subset), fw, per_sample=True)
        sample_columns = subset.shape[0]
    samples = (by_sample.sample_tp, by_sample.sample_pred, by_sample.sample_true)
    n = pair.n_samples
    return Counts(
        MULTILABEL, np.arange(pair.n_labels), counted.tp, counted.pred, counted.true,
        _total(w, n), w, float_counts=w is not None,
        exact=counted.exact, differing=counted.differing,
        samples=samples if per_sample else None, sample_columns=sample_columns,
        indicator=pair,
    )


def count_targets(y_true, y_pred, sample_weight=None, *, per_sample=False,
                  sample_labels=None, cells=False):
    """Validate a pair of targets and count them into `Counts`.

    ``per_sample`` also counts each multilabel sample (for
    ``average='samples'``), over the columns ``sample_labels`` if given.
    ``cells``: 1-D totals are sums over a K x K matrix (see `_count_1d`).
    """
    if is_indicator_shaped(y_true) or is_indicator_shaped(y_pred):
        return _count_multilabel(y_true, y_pred, sample_weight, per_sample, sample_labels)
    y_true, y_pred = check_label_pair(y_true, y_pred)
    w = check_weight(sample_weight, y_true.shape[0])
    return _count_1d(y_true, y_pred, w, cells)


# ---------------------------------------------------------------------------
# Where a metric's counts come from: the targets, or a matrix counted earlier
# ---------------------------------------------------------------------------
class Targets(NamedTuple):
    """A metric's input as targets: counted on demand, once per call."""

    y_true: object
    y_pred: object
    sample_weight: object

    def counts(self, per_sample=False, sample_labels=None, cells=False):
        """Per-class counts (and per-sample ones for ``average='samples'``)."""
        return count_targets(self.y_true, self.y_pred, self.sample_weight,
                             per_sample=per_sample, sample_labels=sample_labels, cells=cells)

    def matrix_counts(self):
        """Counts holding the K x K matrix (Cohen's kappa, likelihood ratios)."""
        if is_indicator_shaped(self.y_true) or is_indicator_shaped(self.y_pred):
            return self.counts()  # counted to be refused with its type in the message
        return matrix_only(count_confusion(self.y_true, self.y_pred, self.sample_weight))

    def match_counts(self):
        """Exact and differing totals; 1-D labels are compared, not counted."""
        if is_indicator_shaped(self.y_true) or is_indicator_shaped(self.y_pred):
            return self.counts()
        y_true, y_pred = check_label_pair(self.y_true, self.y_pred)
        w = check_weight(self.sample_weight, y_true.shape[0])
        if w is None:
            total = y_true.shape[0]
            differing = _count_differing(y_true, y_pred)
            exact = total - differing
        else:
            wrong = y_true != y_pred
            w = np.asarray(w, dtype=np.float64)
            total = float(np.sum(w))
            differing = float(np.dot(wrong, w))
            exact = float(np.dot(~wrong, w))
        return totals_only(total, w, exact, differing)


def _count_differing(y_true, y_pred):
    """``count_nonzero(y_true != y_pred)``, the halves of long labels on two
    threads (numpy releases the GIL; integer counts add exactly)."""
    return sum(in_halves(
        lambda a, b: int(np.count_nonzero(y_true[a:b] != y_pred[a:b])), y_true.shape[0]))


class Matrix(NamedTuple):
    """A metric's input as a precomputed confusion matrix (`from_confusion`)."""

    cm: object
    classes: object

    def counts(self, per_sample=False, sample_labels=None, cells=False):
        # Per-sample counts cannot be recovered from a matrix: label_counts
        # refuses average='samples' for want of them.
        return counts_from_matrix(self.cm, self.classes)

    matrix_counts = counts
    match_counts = counts


class Tallied(NamedTuple):
    """A metric's input as distinct multilabel samples, each standing for
    ``tally[i]`` identical unweighted ones (a streaming accumulator's rows).

    Counted as the expanded samples would be: int64 totals, as unweighted
    input gives them, where passing the tally as ``sample_weight`` would
    give float64 ones (scikit-learn sums weights in float64).
    """

    y_true: np.ndarray  # (m, L) indicator rows
    y_pred: np.ndarray
    tally: np.ndarray  # (m,) int64, how many samples each row stands for

    def counts(self, per_sample=False, sample_labels=None, cells=False):
        counts = _count_multilabel(self.y_true, self.y_pred, self.tally, per_sample,
                                   sample_labels)
        t, p = self.y_true != 0, self.y_pred != 0
        tally = as_native(self.tally, np.int64)
        # int64 products and sums: exact below the 2**63 the state keeps.
        tp, pred, true = ((a.T.astype(np.int64) @ tally) for a in (t & p, p, t))
        wrong = np.count_nonzero(t != p, axis=1)
        return counts._replace(
            tp=tp, pred=pred, true=true, total=int(tally.sum()), float_counts=False,
            exact=int(tally[wrong == 0].sum()), differing=int(wrong @ tally),
        )

    matrix_counts = counts
    match_counts = counts


def label_counts(counts, labels=None, samplewise=False, clean_tn=False):
    """One-vs-rest `LabelCounts` for ``labels`` (or every class), or per sample.

    Follows ``sklearn.metrics.multilabel_confusion_matrix``: labels absent
    from the data count zero; multilabel labels are column indices; ``tn``
    is ``total - tp - fp - fn``, rounding included. ``clean_tn`` sets to
    zero the weighted ``tn`` values within rounding error of zero, for the
    rates that divide by them (specificity, NPV, FPR, MCC).
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
        tn = n_cols - tp - fp - fn
        return LabelCounts(tp, fp, fn, _clean(tn, n_cols, 4) if clean_tn else tn)
    if labels is None:
        tp, pred, true = counts.tp, counts.pred, counts.true
    else:
        if counts.y_type == MULTILABEL:
            idx = multilabel_columns(labels, counts.n_classes)
        else:
            idx = label_indices(counts.classes, label_array(labels))
        if idx.shape[0] and idx.min() >= 0:  # every label counted: plain gathers
            tp, pred, true = counts.tp[idx], counts.pred[idx], counts.true[idx]
        else:
            # Index -1 reads the appended zero: labels absent from the data.
            tp, pred, true = (np.append(a, a.dtype.type(0))[idx]
                              for a in (counts.tp, counts.pred, counts.true))
    if _integer_counts(counts, tp, pred, true, labels):
        tp, pred, true = (np.asarray(a, dtype=np.int64) for a in (tp, pred, true))
    elif counts.float_counts:
        tp, pred, true = (np.asarray(a, dtype=np.float64) for a in (tp, pred, true))
    fp, fn = pred - tp, true - tp
    tn = counts.total - tp - fp - fn
    if clean_tn:
        n_terms = counts.weight.shape[0] if counts.weight is not None else counts.n_classes ** 2
        tn = _clean(tn, counts.total, n_terms)
    return LabelCounts(tp, fp, fn, tn)


def _clean(tn, total, n_terms):
    """``tn`` with float values below the rounding error of its sums set to 0.

    ``tn = total - tp - fp - fn`` cancels when nearly every sample is a
    positive or predicted one; summing ``n_terms`` non-negative weights errs
    by at most ``n_terms * eps * total``.
    """
    if tn.dtype.kind != "f":
        return tn
    tol = 4 * max(n_terms, 1) * np.finfo(np.float64).eps * np.asarray(total, dtype=np.float64)
    return np.where(tn <= tol, 0.0, tn)


def _integer_counts(counts, tp, pred, true, labels):
    """scikit-learn's weighted multilabel counts are bincounts, which are int64
    when they count no entry: with integer weights, columns without any
    positive (whatever its weight) give an integer matrix."""
    w = counts.weight
    if counts.indicator is None or w is None or w.dtype.kind != "i":
        return False
    if np.any(tp) or np.any(pred) or np.any(true):
        return False
    columns = np.arange(counts.n_classes) if labels is None else multilabel_columns(
        labels, counts.n_classes)
    return not counts.indicator.any_positive(columns)


def counts_from_matrix(cm, classes=None):
    """`Counts` of a K x K confusion matrix or an (L, 2, 2) multilabel one."""
    cm = to_array(cm, "cm")
    if cm.dtype.kind not in "iufb" or cm.ndim not in (2, 3):
        raise ValueError(
            "Expected a (K, K) confusion matrix or an (L, 2, 2) multilabel "
            f"confusion matrix of numbers; got shape {cm.shape}, dtype {cm.dtype}."
        )
    dtype = np.float64 if cm.dtype.kind == "f" else np.int64
    if dtype is np.int64:
        cm = as_exact_int64(cm, "the confusion matrix")  # uint64 beyond int64: refused
    cm = cm.astype(dtype)  # a copy: nothing returned shares the caller's matrix
    if cm.size and (not np.isfinite(cm).all() or cm.min() < 0):
        raise ValueError("A confusion matrix holds finite non-negative counts.")
    if dtype is np.int64:
        check_int64_total(cm, "the confusion matrix")
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
        confusion = confusion_of(classes, cm, true > 0)
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
        raise ValueError(
            "Every label of a multilabel confusion matrix must count the same samples."
        )
    tp = cm[:, 1, 1]
    return Counts(
        MULTILABEL, np.arange(cm.shape[0]), tp, tp + cm[:, 0, 1], tp + cm[:, 1, 0],
        per_label_total[0], None, float_counts=dtype is np.float64,
        exact=None, differing=np.sum(cm[:, 0, 1] + cm[:, 1, 0]),
    )
