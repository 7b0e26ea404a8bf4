"""Performance estimated without labels, from the model's own probabilities.

If the probabilities are calibrated, a sample predicted with probability
``p`` of being positive is a positive with probability ``p``: its expected
contribution to the confusion matrix is ``p`` in the positive row and
``1 - p`` in the negative row of its predicted column (for K classes,
``p_k`` in row ``k``). Summed over the samples, that is the *expected*
confusion matrix, exact for calibrated probabilities, and every confusion
metric is estimated from it through the registry (ratios of expectations,
as confidence-based performance estimation does). The ROC AUC estimate is
the AUC of the same soft labels: each sample counted as a positive with
weight ``p`` and a negative with weight ``1 - p``.

The state is the sums themselves (the expected confusion matrix, a
`ScoreAccumulator` state of the soft labels), so estimates of chunks merge
exactly; averaging per-chunk estimates of a ratio (precision, F1, AUC)
would not give the estimate of all the data.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._classification._registry import from_confusion
from cymetrics._probabilistic._calibration import top_label_confidence
from cymetrics._shared._params import check_bool, check_real, invalid
from cymetrics._shared._validation import (
    check_sample_weight,
    prediction_array,
    raise_non_finite,
)
from cymetrics.streaming._base import Accumulator, refuse_iterators
from cymetrics.streaming._confusion import check_labels_param
from cymetrics.streaming._scores import ScoreAccumulator

__all__ = ["ExpectedPerformance"]


class ExpectedState(NamedTuple):
    matrix: np.ndarray  # float64 (K, K) expected counts, rows true, columns predicted
    soft: object  # ScoreAccumulator state of the soft labels (binary), or None
    n_samples: int


class ExpectedPerformance(Accumulator):
    """Confidence-based estimates of classification metrics, before labels arrive.

    Parameters
    ----------
    labels : array-like of shape (n_classes,), default=None
        The sorted classes. For 2-D probabilities, the classes of their
        columns (required); for 1-D probabilities (of the positive class)
        the two classes, default ``[0, 1]``.
    threshold : float in [0, 1], default=0.5
        1-D probabilities: predict ``labels[1]`` when ``p >= threshold``.
        (2-D: the most probable class, the first on ties.)
    track_auc : bool, default=True
        Also keep the soft-label score state for `roc_auc_score` (binary
        only; memory grows with the distinct probabilities).

    Notes
    -----
    The estimates are only as good as the calibration: with calibrated
    probabilities the expected confusion counts are exact expectations.

    Examples
    --------
    >>> from cymetrics.monitoring import ExpectedPerformance
    >>> estimate = ExpectedPerformance().update([0.9, 0.8, 0.3, 0.1])
    >>> estimate.confusion_matrix()
    array([[1.6, 0.3],
           [0.4, 1.7]])
    >>> round(estimate.compute("accuracy_score"), 6)
    0.825
    """

    _KIND = "ExpectedPerformance"
    _ARRAYS = ("y_proba",)

    def __init__(self, labels=None, *, threshold=0.5, track_auc=True):
        self.labels = check_labels_param([0, 1] if labels is None else labels)
        if self.labels.shape[0] < 2 or (labels is not None and not np.array_equal(
                self.labels, np.asarray(labels))):
            raise invalid("labels", "ExpectedPerformance", "at least two sorted labels", labels)
        self.threshold = float(check_real("threshold", threshold, "ExpectedPerformance", 0.0,
                                          1.0))
        self.track_auc = check_bool("track_auc", track_auc, "ExpectedPerformance")
        self._soft = ScoreAccumulator()
        super().__init__()

    def _empty_state(self):
        k = self.labels.shape[0]
        soft = self._soft._empty_state() if self._binary_auc else None
        return ExpectedState(np.zeros((k, k)), soft, 0)

    @property
    def _binary_auc(self):
        return self.track_auc and self.labels.shape[0] == 2

    def _prepare(self, y_proba, sample_weight=None):
        refuse_iterators(y_proba=y_proba, sample_weight=sample_weight)
        if np.size(y_proba) == 0 and (sample_weight is None or np.size(sample_weight) == 0):
            return ExpectedState(None, None, 0)
        proba, _ = prediction_array(y_proba, "y_proba")
        n, k = proba.shape[0], self.labels.shape[0]
        w = check_sample_weight(sample_weight, n, allow_zero_total=True)
        w = np.ones(n) if w is None else w
        if proba.ndim == 1 or proba.shape[1] == 1:
            if k != 2:
                raise ValueError(f"1-D y_proba is for two classes, not {k}")
            p = proba.reshape(-1).astype(np.float64)
            if not np.isfinite(p).all():
                raise_non_finite(p, "y_proba")
            if p.min() < 0 or p.max() > 1:
                raise ValueError("y_proba has values outside [0, 1].")
            rows = np.stack([1 - p, p], axis=1)
            predicted = (p >= self.threshold).astype(np.intp)
        else:
            if proba.shape[1] != k:
                raise ValueError(f"y_proba has {proba.shape[1]} columns for {k} labels")
            top_label_confidence(proba, np.zeros(n, dtype=np.intp))  # range checks
            rows = proba.astype(np.float64)
            predicted = np.argmax(proba, axis=1)
        # Row c of the expected matrix gets p_c of each sample, in its predicted column.
        weighted = rows * w[:, None]
        matrix = np.stack([np.bincount(predicted, weights=weighted[:, c], minlength=k)
                           for c in range(k)])
        soft = None
        if self._binary_auc:
            soft = self._soft._prepare(np.repeat([False, True], n), np.tile(rows[:, 1], 2),
                                       np.concatenate([rows[:, 0] * w, rows[:, 1] * w]))
        return ExpectedState(matrix, soft, n)

    def _combine(self, state, other, soft):
        return ExpectedState(state.matrix + other.matrix,
                             None if state.soft is None else soft(state.soft, other.soft),
                             state.n_samples + other.n_samples)

    def _add(self, state, batch):
        if batch.n_samples == 0:
            return state
        return self._combine(state, batch, self._soft._add)

    def _merge_states(self, state, other):
        return self._combine(state, other, self._soft._merge_states)

    def _check_mergeable(self, other):
        if not (np.array_equal(self.labels, other.labels) and self.threshold == other.threshold
                and self.track_auc == other.track_auc):
            raise ValueError("cannot merge estimates of different labels, threshold or track_auc")

    def _scaled(self, state, factor):
        return ExpectedState(state.matrix * float(factor),
                             None if state.soft is None else self._soft._scaled(state.soft,
                                                                               factor),
                             state.n_samples)

    def _pruned(self, state, min_weight):
        if state.soft is None:
            return state, 0.0
        soft, removed = self._soft._pruned(state.soft, min_weight)
        return state._replace(soft=soft), removed

    def _is_empty(self, state):
        return state.n_samples == 0

    def _needs_compaction(self, state):
        return state.soft is not None and self._soft._needs_compaction(state.soft)

    def _compacted(self, state):
        return state._replace(soft=self._soft._compacted(state.soft))

    def _rebased(self, current, snapshot, compacted):
        return current._replace(soft=self._soft._rebased(current.soft, snapshot.soft,
                                                         compacted.soft))

    def update(self, y_proba, sample_weight=None):
        """Add a batch of predicted probabilities (no labels).

        Parameters
        ----------
        y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
            Probabilities of ``labels[1]`` (1-D), or of every class.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.monitoring import ExpectedPerformance
        >>> ExpectedPerformance(labels=["a", "b", "c"]).update([[0.5, 0.3, 0.2]]).n_samples
        1
        """
        return self._commit(self._prepare(y_proba, sample_weight))

    # -- results ------------------------------------------------------------
    @property
    def n_samples(self):
        """Number of samples seen (whatever their weight)."""
        return self._snapshot().n_samples

    def __repr__(self):
        return f"ExpectedPerformance(n_samples={self.n_samples})"

    def _expected(self):
        state = self._snapshot()
        if state.n_samples == 0:
            raise ValueError("Found empty input array y_proba while a minimum of 1 sample is "
                             "required: the estimate has seen no data.")
        return state.matrix

    def confusion_matrix(self):
        """The expected confusion matrix (rows: true classes, in ``labels`` order).

        Examples
        --------
        >>> from cymetrics.monitoring import ExpectedPerformance
        >>> ExpectedPerformance(threshold=0.7).update([0.9, 0.6]).confusion_matrix()
        array([[0.4, 0.1],
               [0.6, 0.9]])
        """
        return self._expected().copy()

    def compute(self, metric, **params):
        """A confusion metric of the expected counts, through `cymetrics.from_confusion`.

        Examples
        --------
        >>> from cymetrics.monitoring import ExpectedPerformance
        >>> estimate = ExpectedPerformance().update([0.9, 0.8, 0.3, 0.1])
        >>> round(estimate.compute("precision_score"), 6)
        0.85
        """
        return from_confusion(self._expected(), metric, classes=self.labels, **params)

    def roc_auc_score(self):
        """Estimated ROC AUC: the AUC of the soft labels (binary, ``track_auc``).

        Examples
        --------
        >>> from cymetrics.monitoring import ExpectedPerformance
        >>> round(ExpectedPerformance().update([0.9, 0.8, 0.3, 0.1]).roc_auc_score(), 6)
        0.863409
        """
        state = self._snapshot()
        if state.soft is None:
            raise ValueError("roc_auc_score needs two labels and track_auc=True")
        self._expected()
        return self._soft._holding(state.soft).roc_auc_score()

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"labels": self.labels, "threshold": self.threshold, "track_auc": self.track_auc}

    def _config_fields(self):
        return {"labels": self.labels, "threshold": self.threshold,
                "track_auc": int(self.track_auc)}

    @classmethod
    def _config_from_fields(cls, fields):
        return {"labels": fields.array("labels", "biufU", 1),
                "threshold": fields.real("threshold"),
                "track_auc": bool(fields.integer("track_auc", 0, 1))}

    def _state_fields(self, state):
        return {"n_samples": state.n_samples, "matrix": state.matrix,
                "soft": None if state.soft is None else self._soft._holding(
                    state.soft).to_bytes()}

    @classmethod
    def _state_from_fields(cls, fields, config):
        kind = cls._KIND
        n = fields.integer("n_samples", 0)
        matrix = fields.array("matrix", "f", 2)
        soft_bytes = fields._get("soft")
        wants_soft = config["track_auc"] and config["labels"].shape[0] == 2
        k = config["labels"].shape[0]
        if (soft_bytes is None) == wants_soft or matrix.shape != (k, k) or (
                matrix.dtype != np.float64 or not np.isfinite(matrix).all()
                or (matrix < 0).any() or (n == 0 and matrix.any())):
            raise ValueError(f"corrupted {kind} state: inconsistent parts")
        soft = None
        if soft_bytes is not None:
            if not isinstance(soft_bytes, bytes):
                raise ValueError(f"corrupted {kind} state: bad soft-label state")
            soft = ScoreAccumulator.from_bytes(soft_bytes)
            if soft.pos_label is not None or soft.memory_budget is not None:
                raise ValueError(f"corrupted {kind} state: bad soft-label state")
            soft = soft._snapshot()
        return ExpectedState(matrix, soft, n)
