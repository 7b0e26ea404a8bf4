"""Streaming confusion counts for binary, multiclass and multilabel labels.

1-D labels: the state is the K x K count matrix over the labels seen (or
declared), which labels occurred in y_true, which occurred at all, and
whether any weights were given. That is all any confusion-derived metric
reads from the data, so `ConfusionAccumulator.compute` hands the matrix to
the metric's core in the registry (`cymetrics.from_confusion`) and, for
anything that does not take, runs the one-shot metric on the smallest
weighted sample with the same counts and label presence
(`ConfusionAccumulator.as_weighted_sample`): same parameters, results,
warnings and errors, O(K^2) work, and no metric logic written twice.

Multilabel indicators: the state is the table of distinct (true row,
predicted row) pairs with their counts, which determines every multilabel
metric, samples-averaged ones and subset accuracy included; memory grows
with the number of distinct pairs.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._classification._confusion import Confusion, count_confusion
from cymetrics._classification._counts import Tallied
from cymetrics._classification._registry import from_confusion, lookup
from cymetrics._exceptions import MixedLabelTypesError
from cymetrics._shared._labels import check_labels_1d, check_labels_2d, target_type
from cymetrics._shared._params import invalid
from cymetrics._shared._validation import check_int64_total, check_sample_weight
from cymetrics.streaming._base import Accumulator

__all__ = ["ConfusionAccumulator", "check_labels_param"]


class LabelState(NamedTuple):
    """1-D labels: counts over sorted ``classes`` (seen or declared)."""

    classes: np.ndarray
    matrix: np.ndarray  # (K, K) int64 or float64, rows true, columns predicted
    in_true: np.ndarray  # bool (K,): occurred in y_true
    present: np.ndarray  # bool (K,): occurred in y_true or y_pred
    weighted: bool  # some batch had sample weights (metrics then count in float64)


class PairState(NamedTuple):
    """Multilabel indicators: distinct (true row, predicted row) pairs."""

    n_labels: int
    rows: np.ndarray  # uint8 (m, 2 * bytes per row): packed true bits, packed pred bits
    counts: np.ndarray  # (m,) int64 or float64
    weighted: bool


def _matrix_dtype(*dtypes):
    return np.result_type(*dtypes) if dtypes else np.dtype(np.int64)


def _union_labels(a, b):
    if a.shape[0] and b.shape[0] and (a.dtype.kind == "U") != (b.dtype.kind == "U"):
        raise MixedLabelTypesError("Mix of label input types (string and number)")
    if a.shape[0] == 0:
        return b
    if b.shape[0] == 0:
        return a
    return np.union1d(a, b)


def _merge_label_states(a, b, declared):
    """Counts of ``a`` and ``b`` over the union of their labels."""
    b_classes = b.classes[b.present]
    if declared is not None and b_classes.shape[0]:
        extra = np.setdiff1d(b_classes, declared) if (
            (b_classes.dtype.kind == "U") == (declared.dtype.kind == "U")) else b_classes
        if extra.shape[0]:
            raise ValueError(f"y_true and y_pred contain labels not in `labels`: {extra}")
    weighted = a.weighted or b.weighted
    inside = _positions_in(a.classes, b.classes)
    if inside is not None:
        # The usual case once the labels are known: no new label, no realignment.
        matrix = a.matrix.astype(_matrix_dtype(a.matrix.dtype, b.matrix.dtype), copy=True)
        in_true, present = a.in_true.copy(), a.present.copy()
        if inside.shape[0] == a.classes.shape[0]:
            matrix += b.matrix
        else:
            matrix[np.ix_(inside, inside)] += b.matrix
        in_true[inside] |= b.in_true
        present[inside] |= b.present
        return LabelState(a.classes, matrix, in_true, present, weighted)
    classes = _union_labels(a.classes, b.classes)
    k = classes.shape[0]
    matrix = np.zeros((k, k), dtype=_matrix_dtype(a.matrix.dtype, b.matrix.dtype))
    in_true = np.zeros(k, dtype=bool)
    present = np.zeros(k, dtype=bool)
    for state in (a, b):
        idx = np.searchsorted(classes, state.classes)
        matrix[np.ix_(idx, idx)] += state.matrix
        in_true[idx] |= state.in_true
        present[idx] |= state.present
    return LabelState(classes, matrix, in_true, present, weighted)


def _positions_in(classes, labels):
    """Positions of sorted ``labels`` in sorted ``classes``, or None if one is missing."""
    if labels.shape[0] > classes.shape[0] or (
            labels.shape[0] and (labels.dtype.kind == "U") != (classes.dtype.kind == "U")):
        return None
    if labels.shape == classes.shape and np.array_equal(labels, classes):
        return np.arange(classes.shape[0])
    idx = np.searchsorted(classes, labels)
    if idx.shape[0] and (idx[-1] >= classes.shape[0] or not np.array_equal(classes[idx], labels)):
        return None
    return idx


def _pack_pairs(y_true, y_pred):
    """Packed (true, pred) rows as one uint8 row per sample."""
    return np.ascontiguousarray(
        np.concatenate([np.packbits(y_true, axis=1), np.packbits(y_pred, axis=1)], axis=1)
    )


def _collapse_pairs(rows, counts):
    """Sum the counts of equal rows (``counts`` None: one each); rows come back sorted."""
    if rows.shape[0] == 0:
        return rows, np.zeros(0, np.int64) if counts is None else counts
    void = rows.view(np.dtype((np.void, rows.shape[1]))).reshape(-1)
    uniq, inverse = np.unique(void, return_inverse=True)
    inverse = inverse.reshape(-1)
    if counts is None:
        summed = np.bincount(inverse, minlength=uniq.shape[0]).astype(np.int64)
    elif counts.dtype.kind == "f":
        summed = np.bincount(inverse, weights=counts, minlength=uniq.shape[0])
    else:  # integer weights: add exactly
        summed = np.zeros(uniq.shape[0], dtype=np.int64)
        np.add.at(summed, inverse, counts)
    return np.ascontiguousarray(uniq).view(np.uint8).reshape(-1, rows.shape[1]), summed


def _check_multilabel_pair(y_true, y_pred):
    y_true = check_labels_2d(y_true, "y_true")
    y_pred = check_labels_2d(y_pred, "y_pred")
    types = {target_type(y_true), target_type(y_pred)}
    if types != {"multilabel-indicator"}:
        if len(types) == 1:
            raise ValueError(f"{types.pop()} is not supported")
        shown = " and ".join(sorted(types))
        raise ValueError(f"Classification metrics can't handle a mix of {shown} targets")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred have different shapes: {y_true.shape} and {y_pred.shape}"
        )
    return y_true, y_pred


def _is_2d(y):
    if isinstance(y, str):
        return False
    shape = np.shape(y)
    return len(shape) == 2 and shape[1] > 1


def check_labels_param(labels):
    """A declared label set: 1-D, non-empty, unique; returned sorted."""
    labels = check_labels_1d(labels, "labels")
    if labels.shape[0] == 0:
        raise invalid("labels", "ConfusionAccumulator", "at least one label", labels)
    uniq = np.unique(labels)
    if uniq.shape[0] != labels.shape[0]:
        raise invalid("labels", "ConfusionAccumulator", "unique labels", labels)
    return uniq


class ConfusionAccumulator(Accumulator):
    """Streaming confusion counts, from which every classification metric follows.

    Accepts binary or multiclass 1-D labels (numbers or strings) or
    multilabel indicator matrices; the first non-empty batch fixes which.
    Counts are int64 while the weights (if any) are integers, else float64.

    Parameters
    ----------
    labels : array-like of shape (n_classes,), default=None
        Declare the label set up front (1-D labels only): labels outside it
        are refused. By default labels are discovered as batches arrive.
        Declared labels that never occur do not count as present, so the
        results stay those of the one-shot functions on the data seen.

    Examples
    --------
    >>> from cymetrics.streaming import ConfusionAccumulator
    >>> acc = ConfusionAccumulator()
    >>> acc.update([2, 0, 2], [0, 0, 2]).update([2, 0, 1], [2, 0, 2])
    ConfusionAccumulator(n_samples=6, labels=[0, 1, 2])
    >>> acc.confusion_matrix()
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """

    _KIND = "ConfusionAccumulator"

    def __init__(self, labels=None):
        self.labels = None if labels is None else check_labels_param(labels)
        super().__init__()

    def _empty_state(self):
        if self.labels is None:
            return None
        k = self.labels.shape[0]
        return LabelState(self.labels, np.zeros((k, k), dtype=np.int64),
                          np.zeros(k, dtype=bool), np.zeros(k, dtype=bool), False)

    # -- update -------------------------------------------------------------
    def _prepare(self, y_true, y_pred, sample_weight):
        # An empty batch is a no-op, of 1-D labels or of (0, L) indicators.
        if np.size(y_true) == 0 and np.size(y_pred) == 0 and (
                sample_weight is None or np.size(sample_weight) == 0):
            return None
        if _is_2d(y_true) or _is_2d(y_pred):
            if self.labels is not None:
                raise ValueError("declared labels apply to 1-D labels, not to multilabel input")
            y_true, y_pred = _check_multilabel_pair(y_true, y_pred)
            w = check_sample_weight(sample_weight, y_true.shape[0], keep_integer=True,
                                    allow_zero_total=True)
            rows, counts = _collapse_pairs(_pack_pairs(y_true != 0, y_pred != 0), w)
            return PairState(y_true.shape[1], rows, counts, w is not None)
        w = None if sample_weight is None else check_sample_weight(
            sample_weight, np.shape(y_true)[0] if np.ndim(y_true) else 0, keep_integer=True,
            allow_zero_total=True)
        zero = w is not None and not w.any()
        # A batch of zero weight still makes its labels occur: count it
        # unweighted for that, with zero counts.
        counted = count_confusion(y_true, y_pred, None if zero else w)
        matrix = np.zeros_like(counted.matrix, dtype=w.dtype) if zero else counted.matrix
        return LabelState(counted.classes, matrix, counted.in_true,
                          np.ones(counted.classes.shape[0], dtype=bool), w is not None)

    def _add(self, state, batch):
        if batch is None:
            return state
        if isinstance(batch, PairState) or isinstance(state, PairState):
            return self._merge_pairs(state, batch)
        if state is None:
            return batch
        return _merge_label_states(state, batch, self.labels)

    def _merge_pairs(self, state, batch):
        if state is None:
            return batch
        if type(state) is not type(batch):
            raise ValueError(
                "Classification metrics can't handle a mix of multilabel-indicator "
                "and multiclass targets"
            )
        if state.n_labels != batch.n_labels:
            raise ValueError(
                f"multilabel batches differ in their number of labels: "
                f"{state.n_labels} and {batch.n_labels}"
            )
        dtype = _matrix_dtype(state.counts.dtype, batch.counts.dtype)
        rows, counts = _collapse_pairs(
            np.concatenate([state.rows, batch.rows]),
            np.concatenate([state.counts, batch.counts]).astype(dtype),
        )
        return PairState(state.n_labels, rows, counts, state.weighted or batch.weighted)

    def _merge_states(self, state, other):
        if other is None:
            return state
        if isinstance(other, LabelState) and not other.present.any():
            return state
        return self._add(state, other)

    def _check_mergeable(self, other):
        if other.labels is not None and self.labels is not None and not (
                np.array_equal(self.labels, other.labels)):
            raise ValueError("cannot merge accumulators with different declared labels")

    def _scaled(self, state, factor):
        if state is None:
            return None
        if isinstance(state, PairState):
            return state._replace(counts=state.counts * float(factor), weighted=True)
        return state._replace(matrix=state.matrix * float(factor), weighted=True)

    def update(self, y_true, y_pred, sample_weight=None):
        """Count a batch of (true, predicted) labels.

        Validation and counting run before the state is locked; bad input
        raises the one-shot functions' errors and leaves the state
        unchanged. An empty batch is a no-op.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            True labels, or a multilabel indicator matrix.
        y_pred : array-like of the same shape
            Predicted labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator
        >>> ConfusionAccumulator().update(["a", "b"], ["a", "a"]).confusion().matrix
        array([[1, 0],
               [1, 0]])
        """
        return self._commit(self._prepare(y_true, y_pred, sample_weight))

    # -- results ------------------------------------------------------------
    @property
    def n_samples(self):
        """Number of samples counted, or their total weight when weighted."""
        state = self._snapshot()
        if state is None:
            return 0
        total = (state.counts if isinstance(state, PairState) else state.matrix).sum()
        return total.item()

    def __repr__(self):
        state = self._snapshot()
        if isinstance(state, PairState):
            return (f"ConfusionAccumulator(n_samples={self.n_samples}, "
                    f"multilabel={state.n_labels} labels)")
        labels = [] if state is None else state.classes[state.present].tolist()
        return f"ConfusionAccumulator(n_samples={self.n_samples}, labels={labels})"

    def _require_state(self):
        state = self._snapshot()
        if state is None or (isinstance(state, LabelState) and not state.present.any()):
            raise ValueError(
                "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum "
                "of 1 sample is required: the accumulator has seen no data."
            )
        counts = state.counts if isinstance(state, PairState) else state.matrix
        if state.weighted and not counts.any():
            raise ValueError("Sample weights must contain at least one non-zero number.")
        return state

    def confusion(self):
        """The counts over the labels seen, as `cymetrics` counts them in one shot.

        Returns
        -------
        Confusion
            ``(classes, matrix, in_true, y_type)``: exactly what counting all
            the data seen at once gives (1-D labels only).

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator
        >>> ConfusionAccumulator().update([1, 0, 1], [1, 1, 1]).confusion().y_type
        'binary'
        """
        state = self._require_state()
        if isinstance(state, PairState):
            raise ValueError("confusion() is for 1-D labels; use compute() for multilabel")
        keep = np.flatnonzero(state.present)
        classes = state.classes[keep]
        y_type = "binary" if classes.shape[0] <= 2 else "multiclass"
        return Confusion(classes, state.matrix[np.ix_(keep, keep)], state.in_true[keep], y_type)

    def as_weighted_sample(self):
        """A small weighted sample with exactly the counts of the data seen.

        One sample per non-zero count (plus zero-weight samples that make
        each label seen occur where it occurred), weighted by that count:
        any confusion-derived metric computed on it with ``sample_weight``
        equals the metric on all the data seen.

        Returns
        -------
        y_true, y_pred : ndarray
            Labels (1-D) or indicator rows (2-D, int8).
        sample_weight : ndarray
            int64 counts, or float64 weights.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator
        >>> acc = ConfusionAccumulator().update([0, 0, 1, 1, 1], [0, 1, 1, 1, 1])
        >>> acc.as_weighted_sample()
        (array([0, 0, 1]), array([0, 1, 1]), array([1, 1, 3]))
        """
        state = self._require_state()
        if isinstance(state, PairState):
            nbytes = state.rows.shape[1] // 2
            bits = np.unpackbits(state.rows, axis=1).astype(np.int8)
            y_true = bits[:, :state.n_labels]
            y_pred = bits[:, 8 * nbytes:8 * nbytes + state.n_labels]
            return y_true, y_pred, state.counts.copy()
        confusion = self.confusion()
        matrix = confusion.matrix
        rows, cols = np.nonzero(matrix)
        weights = matrix[rows, cols]
        # Labels with no non-zero cell still occur, with zero weight: in
        # y_true where they occurred there, else in y_pred.
        covered_true = np.zeros(matrix.shape[0], bool)
        covered_true[rows] = True
        covered_any = covered_true.copy()
        covered_any[cols] = True
        need_true = np.flatnonzero(confusion.in_true & ~covered_true)
        need_pred = np.flatnonzero(~confusion.in_true & ~covered_any)
        anchor = int(np.flatnonzero(confusion.in_true)[0])
        rows = np.concatenate([rows, need_true, np.full(need_pred.shape[0], anchor)])
        cols = np.concatenate([cols, need_true, need_pred])
        weights = np.concatenate([weights, np.zeros(need_true.shape[0] + need_pred.shape[0],
                                                    dtype=matrix.dtype)])
        return confusion.classes[rows], confusion.classes[cols], weights

    def compute(self, metric, **params):
        """Any classification metric of the data seen, with its usual parameters.

        1-D labels go through `cymetrics.from_confusion` when it knows the
        metric; everything else (``confusion_matrix``, multilabel
        input, any callable) runs the metric on `as_weighted_sample`.

        Parameters
        ----------
        metric : str or callable
            The name of a ``cymetrics`` classification function (e.g.
            ``"f1_score"``), or any function called as
            ``metric(y_true, y_pred, sample_weight=..., **params)`` whose
            result depends on the data only through the confusion counts
            (for instance a ``sklearn.metrics`` function).
        **params
            Its other parameters (``labels``, ``average``, ...). Weights
            are given to `update`, not here.

        Returns
        -------
        The metric's result, equal to calling it once on all the data seen.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator
        >>> acc = ConfusionAccumulator().update([0, 1, 1], [0, 1, 0])
        >>> acc.compute("confusion_matrix", normalize="true")
        array([[1. , 0. ],
               [0.5, 0.5]])
        >>> acc.compute("f1_score", average="macro")
        0.6666666666666666
        """
        if "sample_weight" in params:
            raise TypeError("sample_weight is given to update(), not to compute()")
        func = _resolve_metric(metric)
        state = self._require_state()
        entry = lookup(func)
        # confusion_matrix itself runs on the weighted sample, which keeps what
        # the bare matrix loses: labels that occurred in y_true with zero
        # weight only, and the int64 counts of integer weights.
        if (entry is not None and entry.function.__name__ != "confusion_matrix"
                and isinstance(state, LabelState)):
            confusion = self.confusion()
            matrix = confusion.matrix.astype(np.float64 if state.weighted else np.int64)
            return from_confusion(matrix, func.__name__, classes=confusion.classes, **params)
        if params.get("samplewise"):
            # One matrix per sample: the weighted sample has one row per distinct pair.
            raise ValueError("samplewise=True needs the samples; the accumulator keeps counts")
        y_true, y_pred, weights = self.as_weighted_sample()
        if entry is not None and isinstance(state, PairState) and not state.weighted:
            # Unweighted multilabel counts stay int64 (supports, matrices), as
            # the one-shot function gives them: not the float64 of weights.
            return entry.core(Tallied(y_true, y_pred, weights), **params)
        return func(y_true, y_pred, sample_weight=weights, **params)

    def confusion_matrix(self, *, labels=None, normalize=None):
        """`cymetrics.confusion_matrix` of the data seen.

        Examples
        --------
        >>> from cymetrics.streaming import ConfusionAccumulator
        >>> ConfusionAccumulator().update([0, 1, 1], [0, 1, 0]).confusion_matrix(labels=[1, 0])
        array([[1, 1],
               [0, 1]])
        """
        return self.compute("confusion_matrix", labels=labels, normalize=normalize)

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"labels": self.labels}

    @classmethod
    def _config_from_fields(cls, fields):
        labels = fields._get("labels")
        if labels is not None and (not isinstance(labels, np.ndarray) or labels.ndim != 1):
            raise ValueError(f"corrupted {cls._KIND} state: bad field 'labels'")
        return {"labels": labels}

    def _state_fields(self, state):
        if state is None:
            return {"mode": "empty"}
        if isinstance(state, PairState):
            return {"mode": "multilabel", "n_labels": state.n_labels, "rows": state.rows,
                    "counts": state.counts, "weighted": int(state.weighted)}
        return {"mode": "labels", "classes": state.classes, "matrix": state.matrix,
                "in_true": state.in_true, "present": state.present,
                "weighted": int(state.weighted)}

    @classmethod
    def _state_from_fields(cls, fields, config):
        kind = cls._KIND
        mode = fields.text("mode")
        if mode == "empty":
            if config["labels"] is not None:
                raise ValueError(f"corrupted {kind} state: declared labels without counts")
            return None
        if mode == "multilabel":
            n_labels = fields.integer("n_labels", 1, 2**20)
            rows = fields.array("rows", "u", 2)
            counts = _checked_counts(fields.array("counts", "if", 1), kind)
            width = 2 * ((n_labels + 7) // 8)
            if rows.dtype != np.uint8 or rows.shape != (counts.shape[0], width):
                raise ValueError(f"corrupted {kind} state: bad multilabel rows")
            canonical, _ = _collapse_pairs(rows, counts)
            if not np.array_equal(canonical, rows) or _stray_bits(rows, n_labels):
                raise ValueError(f"corrupted {kind} state: multilabel rows not canonical")
            weighted = _checked_weighted(fields, counts, kind)
            return PairState(n_labels, rows, counts, weighted)
        if mode != "labels":
            raise ValueError(f"corrupted {kind} state: unknown mode {mode!r}")
        classes = fields.array("classes", "biufU", 1)
        matrix = _checked_counts(fields.array("matrix", "if", 2), kind)
        in_true = fields.array("in_true", "b", 1)
        present = fields.array("present", "b", 1)
        k = classes.shape[0]
        if matrix.shape != (k, k) or in_true.shape != (k,) or present.shape != (k,):
            raise ValueError(f"corrupted {kind} state: shapes do not match")
        if k and (np.any(classes[1:] <= classes[:-1]) if classes.dtype.kind != "f"
                  else not (np.isfinite(classes).all() and np.all(classes[1:] > classes[:-1]))):
            raise ValueError(f"corrupted {kind} state: labels not sorted and unique")
        if np.any(in_true & ~present) or (
                (matrix.sum(axis=0) + matrix.sum(axis=1) != 0) & ~present).any():
            raise ValueError(f"corrupted {kind} state: counts of labels never seen")
        if config["labels"] is not None and not np.array_equal(classes, config["labels"]):
            raise ValueError(f"corrupted {kind} state: labels differ from the declared ones")
        if config["labels"] is None and not present.all():
            raise ValueError(f"corrupted {kind} state: discovered labels never seen")
        if k and present.any() and not in_true.any():
            raise ValueError(f"corrupted {kind} state: no label in y_true")
        weighted = _checked_weighted(fields, matrix, kind)
        return LabelState(classes, matrix, in_true, present, weighted)


def _checked_counts(counts, kind):
    if counts.dtype not in (np.int64, np.float64):
        raise ValueError(f"corrupted {kind} state: counts must be int64 or float64")
    if counts.dtype.kind == "f" and not np.isfinite(counts).all():
        raise ValueError(f"corrupted {kind} state: non-finite counts")
    if counts.size and counts.min() < 0:
        raise ValueError(f"corrupted {kind} state: negative counts")
    _check_total(counts, kind)
    return counts


def _check_total(counts, kind):
    """Integer counts must total below 2**63, as every update keeps them: a
    crafted state whose total wraps would report negative sample counts."""
    if counts.dtype.kind == "i":
        try:
            check_int64_total(counts, "counts")
        except ValueError:
            raise ValueError(f"corrupted {kind} state: counts total 2**63 or more") from None


def _checked_weighted(fields, counts, kind):
    weighted = bool(fields.integer("weighted", 0, 1))
    if counts.dtype.kind == "f" and not weighted:
        raise ValueError(f"corrupted {kind} state: float counts without weights")
    return weighted


def _stray_bits(rows, n_labels):
    """True if padding bits beyond ``n_labels`` are set in either half."""
    half = rows.shape[1] // 2
    bits = np.unpackbits(rows, axis=1)
    return bool(bits[:, n_labels:8 * half].any() or bits[:, 8 * half + n_labels:].any())


def _resolve_metric(metric):
    """The function of a metric given as a callable or a cymetrics name."""
    if callable(metric):
        return metric
    entry = lookup(metric) if isinstance(metric, str) else None
    if entry is None:
        raise invalid("metric", "ConfusionAccumulator.compute", "a callable or the name of a "
                      "cymetrics classification function (there is no classification "
                      f"function named {metric!r})", metric)
    return entry.function
