"""Streaming probabilistic metrics: log loss, Brier, their D^2 scores, calibration.

The one-shot functions of `cymetrics._probabilistic` reduce a batch to a
few sums (`loss_sums`: the log-loss and Brier sums, the class weights, the
total weight) and per-bin sums (`bin_sums`); the state adds those up
(compensated, so the error does not grow with the number of batches) and
finishes with the one-shot's own formulas. Integer counts are exact, floats
agree with the one-shot functions on the concatenated data to rounding.

Calibration bins are fixed by the configuration:

* ``strategy='uniform'``: the per-bin sums of fixed equal-width bins, 3 x
  ``n_bins`` floats;
* ``strategy='quantile'``: the edges are quantiles of *all* probabilities,
  which no fixed-size summary gives exactly, so the state keeps the
  distinct probabilities (of the positive class, or top-label confidences)
  with their counts, weights and hits; the edges are then `np.percentile`'s
  on all the data, bit for bit, and merging stays exact. Memory grows with
  the number of distinct probabilities (32 bytes each): round them if that
  is too much, or use uniform bins.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._probabilistic._calibration import (
    STRATEGIES,
    bin_sums,
    percentile_edges,
    reliability_curve,
    reliability_gaps,
    top_label_confidence,
    uniform_edges,
)
from cymetrics._probabilistic._losses import (
    binary_proba_target,
    codes_proba_target,
    d2_brier_from_sums,
    d2_log_loss_from_sums,
    loss_sums,
    warn_unnormalized,
)
from cymetrics._shared._params import (
    check_bool,
    check_int,
    check_option,
    check_pos_label,
    invalid,
)
from cymetrics._shared._validation import (
    check_consistent_length,
    check_sample_weight,
    prediction_array,
)
from cymetrics._shared._warnings import warn
from cymetrics.streaming._base import Accumulator
from cymetrics.streaming._confusion import check_labels_param
from cymetrics.streaming._scores import same_label

__all__ = ["ProbabilityAccumulator"]

# Pending distinct-value batches may reach max(base entries, this) before a compaction.
_PENDING_FLOOR = 2**16
_SUMS = ("log_loss", "brier", "total")


def _neumaier(pairs, values):
    """Add ``values`` (k,) into compensated ``pairs`` (k, 2): a new array."""
    s, c = pairs[:, 0], pairs[:, 1]
    t = s + values
    c = c + np.where(np.abs(s) >= np.abs(values), (s - t) + values, (values - t) + s)
    return np.stack([t, c], axis=1)


class Distinct(NamedTuple):
    """Distinct sorted reliability values (probability or confidence) with
    their count, weight and weight of hits; batches pend until compacted."""

    key: np.ndarray
    count: np.ndarray  # int64
    weight: np.ndarray  # float64
    hit: np.ndarray  # float64
    pending: tuple = ()

    @classmethod
    def of_batch(cls, prob, hit, weights):
        key, inverse = np.unique(prob, return_inverse=True)
        inverse = inverse.reshape(-1)
        w = np.ones(prob.shape[0]) if weights is None else weights
        return cls(key, np.bincount(inverse, minlength=key.shape[0]).astype(np.int64),
                   np.bincount(inverse, weights=w, minlength=key.shape[0]),
                   np.bincount(inverse, weights=w * (hit != 0), minlength=key.shape[0]))

    @property
    def size(self):
        return self.key.shape[0] + sum(p.key.shape[0] for p in self.pending)

    @property
    def needs_compaction(self):
        return self.size - self.key.shape[0] > max(self.key.shape[0], _PENDING_FLOOR)

    def add(self, other):
        return self._replace(pending=self.pending + (other._replace(pending=()),)
                             + other.pending)

    def compacted(self):
        if not self.pending:
            return self
        parts = (self,) + self.pending
        key, inverse = np.unique(np.concatenate([p.key for p in parts]), return_inverse=True)
        inverse = inverse.reshape(-1)
        m = key.shape[0]
        # Counts add exactly in float64 below 2**53.
        count = np.bincount(inverse, np.concatenate([p.count for p in parts]), m)
        return Distinct(key, count.astype(np.int64),
                        np.bincount(inverse, np.concatenate([p.weight for p in parts]), m),
                        np.bincount(inverse, np.concatenate([p.hit for p in parts]), m))

    def rebased(self, snapshot, compacted):
        """This run with ``snapshot``'s part replaced by its compaction, if still valid."""
        k = len(snapshot.pending)
        if self.key is not snapshot.key or len(self.pending) < k or any(
                a is not b for a, b in zip(self.pending, snapshot.pending)):
            return self
        return compacted._replace(pending=self.pending[k:])

    def scaled(self, factor):
        run = self.compacted()
        return run._replace(weight=run.weight * factor, hit=run.hit * factor)

    def pruned(self, min_weight):
        run = self.compacted()
        keep = run.weight >= min_weight
        if keep.all():
            return run, 0.0
        removed = float(run.weight[~keep].sum())
        return Distinct(run.key[keep], run.count[keep], run.weight[keep], run.hit[keep]), removed

    def bin_sums(self, n_bins):
        """`bin_sums` of the quantile bins of all values seen."""
        run = self.compacted()
        edges = percentile_edges(run.key, run.count, n_bins)
        # Bin b holds (edge[b], edge[b + 1]], the first bin edge[0] too: the
        # bin of p is the number of inner edges below it.
        where = np.searchsorted(edges[1:-1], run.key, side="left")
        return np.stack([np.bincount(where, run.key * run.weight, n_bins),
                         np.bincount(where, run.hit, n_bins),
                         np.bincount(where, run.weight, n_bins)])


class ProbaState(NamedTuple):
    n_samples: int
    ndim: int  # of y_proba: 1 (binary) or 2; 0 before any sample
    sums: np.ndarray  # (3, 2) compensated sums: log loss, Brier, total weight
    class_weight: np.ndarray  # float64 (n_classes,)
    bad_rows: int  # rows whose probabilities did not sum to one
    bins: object  # uniform: (3, n_bins) bin sums; quantile: Distinct, or None before data

    def sum(self, name):
        s, c = self.sums[_SUMS.index(name)]
        return float(s + c)


class ProbabilityAccumulator(Accumulator):
    """Exact streaming log loss, Brier score, D^2 scores and calibration.

    ``y_proba`` is 1-D (the probability of the positive class) or 2-D (one
    column per class, in the order of ``labels``); the first batch fixes
    which. Every result equals the one-shot function on all the data seen:
    `cymetrics.log_loss`, `brier_score_loss`, `d2_log_loss_score`,
    `d2_brier_score`, `calibration_curve`, `expected_calibration_error`,
    `maximum_calibration_error` (with ``labels`` for 2-D input; for 1-D
    input, with ``pos_label=labels[1]`` or this ``pos_label``).

    Parameters
    ----------
    labels : array-like of shape (n_classes,), default=None
        The sorted classes (the columns of 2-D ``y_proba``; for 1-D, the
        probability is of ``labels[1]``). Needed for 2-D input; for 1-D
        input None means ``y_true`` in {0, 1} or {-1, 1}, positive 1,
        unless ``pos_label`` is given.
    pos_label : int, float, bool or str, default=None
        For 1-D input without ``labels``: the class whose probability
        ``y_proba`` is (``y_true`` then holds at most two labels, any of
        them), as the ``pos_label`` of `brier_score_loss` and the
        calibration functions.
    n_bins : int, default=10
        Calibration bins.
    strategy : {'uniform', 'quantile'}, default='uniform'
        Equal-width bins (a fixed-size state), or bins at the quantiles of
        all probabilities seen (an exact state of the distinct
        probabilities; see the module notes).

    Examples
    --------
    >>> from cymetrics.streaming import ProbabilityAccumulator
    >>> acc = ProbabilityAccumulator(n_bins=2)
    >>> acc.update([0, 1], [0.1, 0.9]).update([1, 0], [0.6, 0.3])
    ProbabilityAccumulator(n_samples=4)
    >>> round(acc.log_loss(), 6), round(acc.brier_score_loss(), 6)
    (0.269555, 0.0675)
    >>> round(acc.expected_calibration_error(), 6)
    0.225
    """

    _KIND = "ProbabilityAccumulator"

    def __init__(self, labels=None, *, pos_label=None, n_bins=10, strategy="uniform"):
        self.labels = None if labels is None else check_labels_param(labels)
        if labels is not None and (self.labels.shape[0] < 2 or not np.array_equal(
                self.labels, np.asarray(labels))):
            raise invalid("labels", "ProbabilityAccumulator", "at least two sorted labels",
                          labels)
        self.pos_label = check_pos_label(pos_label, "ProbabilityAccumulator")
        if pos_label is not None and labels is not None:
            raise invalid("pos_label", "ProbabilityAccumulator",
                          "None when labels are given (the positive class is labels[1])",
                          pos_label)
        self.n_bins = check_int("n_bins", n_bins, "ProbabilityAccumulator", 1)
        self.strategy = check_option("strategy", strategy, STRATEGIES, "ProbabilityAccumulator")
        super().__init__()

    # -- state ------------------------------------------------------------
    def _empty_state(self):
        k = 2 if self.labels is None else self.labels.shape[0]
        return ProbaState(0, 0, np.zeros((3, 2)), np.zeros(k), 0, None)

    def _target(self, y_true, proba):
        if proba.ndim == 1:
            if self.labels is not None and self.labels.shape[0] != 2:
                raise ValueError(
                    f"1-D y_proba is for two classes; this accumulator has {self.labels.shape[0]}"
                    " labels: pass one column per label")
            return binary_proba_target(y_true, self.labels, self.pos_label)
        if self.labels is None:
            raise ValueError("2-D y_proba needs the labels of its columns: "
                             "ProbabilityAccumulator(labels=[...])")
        if proba.shape[1] != self.labels.shape[0]:
            raise ValueError(f"y_proba has {proba.shape[1]} columns for "
                             f"{self.labels.shape[0]} labels")
        return codes_proba_target(y_true, self.labels)

    def _prepare(self, y_true, y_proba, sample_weight):
        if np.size(y_true) == 0 and np.size(y_proba) == 0:
            return None
        proba, source = prediction_array(y_proba, "y_proba")
        if proba.ndim == 2 and proba.shape[1] == 1:
            proba = proba[:, 0]
        check_consistent_length(proba, y_true, sample_weight)
        weights = check_sample_weight(sample_weight, proba.shape[0], allow_zero_total=True)
        target = self._target(y_true, proba)
        sums = loss_sums(target, proba, source, weights)
        if proba.ndim == 1:
            prob, hit = proba, target.is_pos
        else:
            prob, hit = top_label_confidence(proba, target.codes)
        if self.strategy == "uniform":
            bins = bin_sums(prob, hit, weights, uniform_edges(self.n_bins), True)
        else:
            bins = Distinct.of_batch(prob, hit, weights)
        return ProbaState(proba.shape[0], proba.ndim,
                          np.array([[sums.log_loss, 0.0], [sums.brier, 0.0], [sums.total, 0.0]]),
                          sums.class_weights, sums.bad_rows, bins)

    def _merge_states(self, state, other):
        if other is None or other.n_samples == 0:
            return state
        if state.n_samples and other.ndim != state.ndim:
            raise ValueError(f"y_proba was {state.ndim}-D so far; got a {other.ndim}-D batch")
        if state.bins is None:
            bins = other.bins
        elif self.strategy == "uniform":
            bins = state.bins + other.bins
        else:
            bins = state.bins.add(other.bins)
        sums = _neumaier(state.sums, other.sums[:, 0])
        sums = _neumaier(sums, other.sums[:, 1])
        return ProbaState(state.n_samples + other.n_samples, other.ndim, sums,
                          state.class_weight + other.class_weight,
                          state.bad_rows + other.bad_rows, bins)

    _add = _merge_states

    def _check_mergeable(self, other):
        same_labels = (self.labels is None) == (other.labels is None) and (
            self.labels is None or np.array_equal(self.labels, other.labels))
        same_labels = same_labels and same_label(self.pos_label, other.pos_label)
        if not same_labels or (self.n_bins, self.strategy) != (other.n_bins, other.strategy):
            raise ValueError("cannot merge probability accumulators of different labels or bins")

    def _scaled(self, state, factor):
        if state.bins is None:
            return state
        bins = state.bins * factor if self.strategy == "uniform" else state.bins.scaled(factor)
        return state._replace(sums=state.sums * factor, class_weight=state.class_weight * factor,
                              bins=bins)

    def _pruned(self, state, min_weight):
        if self.strategy == "uniform" or state.bins is None:
            return state, 0.0
        bins, removed = state.bins.pruned(min_weight)
        return state._replace(bins=bins), removed

    def _is_empty(self, state):
        return state.n_samples == 0

    def _needs_compaction(self, state):
        return self.strategy == "quantile" and state.bins is not None and (
            state.bins.needs_compaction)

    def _compacted(self, state):
        return state._replace(bins=state.bins.compacted())

    def _rebased(self, current, snapshot, compacted):
        return current._replace(bins=current.bins.rebased(snapshot.bins, compacted.bins))

    def update(self, y_true, y_proba, sample_weight=None):
        """Add a batch of labels and predicted probabilities.

        Bad input raises the one-shot functions' errors and leaves the state
        unchanged; an empty batch is a no-op.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels.
        y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
            Probabilities of the positive class, or of every label.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator(labels=["a", "b", "c"])
        >>> acc.update(["a", "c"], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]).n_samples
        2
        """
        return self._commit(self._prepare(y_true, y_proba, sample_weight))

    # -- results ------------------------------------------------------------
    @property
    def n_samples(self):
        """Number of samples seen (whatever their weight).

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> ProbabilityAccumulator().update([0, 1], [0.3, 0.8]).n_samples
        2
        """
        return self._snapshot().n_samples

    def __repr__(self):
        return f"ProbabilityAccumulator(n_samples={self.n_samples})"

    def _require_data(self):
        state = self._snapshot()
        if state.n_samples == 0:
            raise ValueError("Found empty input array (y_true, y_proba) while a minimum of 1 "
                             "sample is required: the accumulator has seen no data.")
        if state.sum("total") <= 0:
            raise ValueError("Sample weights must contain at least one non-zero number.")
        return state

    def _losses(self):
        state = self._require_data()
        warn_unnormalized(state.bad_rows)
        return state

    def log_loss(self, *, normalize=True):
        """The log loss of the data seen, as `cymetrics.log_loss`.

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator().update([0, 1, 1], [0.2, 0.7, 0.9])
        >>> round(acc.log_loss(), 6), round(acc.log_loss(normalize=False), 6)
        (0.228393, 0.685179)
        """
        check_bool("normalize", normalize, "log_loss")
        state = self._losses()
        loss = state.sum("log_loss")
        return loss / state.sum("total") if normalize else loss

    def brier_score_loss(self, *, scale_by_half="auto"):
        """The Brier score of the data seen, as `cymetrics.brier_score_loss`.

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> round(ProbabilityAccumulator().update([0, 1], [0.2, 0.6]).brier_score_loss(), 6)
        0.1
        """
        if not (isinstance(scale_by_half, str) and scale_by_half == "auto"):
            check_bool("scale_by_half", scale_by_half, "brier_score_loss",
                       extra=" or a str among {'auto'}")
        state = self._losses()
        score = state.sum("brier") / state.sum("total")
        if isinstance(scale_by_half, str):
            scale_by_half = state.ndim == 1 or state.class_weight.shape[0] < 3
        return float(score * 0.5 if scale_by_half else score)

    def _too_few(self, state):
        if state.n_samples < 2:
            warn("D^2 score is not well-defined with less than two samples.",
                 UndefinedMetricWarning)
            return True
        return False

    def d2_log_loss_score(self):
        """D^2 of the log loss, as `cymetrics.d2_log_loss_score`.

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator().update([0, 1, 1, 0], [0.1, 0.8, 0.7, 0.3])
        >>> round(acc.d2_log_loss_score(), 6)
        0.624231
        """
        state = self._snapshot()
        if state.n_samples and self._too_few(state):
            return float("nan")
        state = self._losses()
        return d2_log_loss_from_sums(state.sum("log_loss"), state.class_weight,
                                     state.class_weight.sum())

    def d2_brier_score(self):
        """D^2 of the Brier score, as `cymetrics.d2_brier_score`.

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator().update([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
        >>> round(acc.d2_brier_score(), 6)
        0.85
        """
        state = self._snapshot()
        if state.n_samples and self._too_few(state):
            return float("nan")
        state = self._losses()
        return d2_brier_from_sums(state.sum("brier"), state.class_weight, state.sum("total"))

    def _bin_sums(self):
        state = self._require_data()
        if self.strategy == "uniform":
            return state, state.bins
        return state, state.bins.bin_sums(self.n_bins)

    def calibration_curve(self):
        """``(prob_true, prob_pred)`` of the configured bins, as `cymetrics.calibration_curve`.

        1-D probabilities only. With sample weights, the weighted
        frequencies and means (the one-shot function takes no weights).

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator(n_bins=2).update([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9])
        >>> acc.calibration_curve()
        (array([0., 1.]), array([0.2 , 0.75]))
        """
        state, sums = self._bin_sums()
        if state.ndim != 1:
            raise ValueError("calibration_curve needs 1-D probabilities of the positive class")
        return reliability_curve(sums)

    def expected_calibration_error(self):
        """ECE of the configured bins, as `cymetrics.expected_calibration_error`.

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator(n_bins=2).update([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9])
        >>> round(acc.expected_calibration_error(), 6)
        0.225
        """
        gaps, shares = reliability_gaps(self._bin_sums()[1])
        return float(np.dot(shares, gaps))

    def maximum_calibration_error(self):
        """MCE of the configured bins, as `cymetrics.maximum_calibration_error`.

        Examples
        --------
        >>> from cymetrics.streaming import ProbabilityAccumulator
        >>> acc = ProbabilityAccumulator(n_bins=2).update([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9])
        >>> round(acc.maximum_calibration_error(), 6)
        0.25
        """
        return float(reliability_gaps(self._bin_sums()[1])[0].max())

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"labels": self.labels, "pos_label": self.pos_label, "n_bins": self.n_bins,
                "strategy": self.strategy}

    def _config_fields(self):
        return {**self._config(),
                "pos_label": None if self.pos_label is None else np.asarray(self.pos_label)}

    @classmethod
    def _config_from_fields(cls, fields):
        labels = fields._get("labels")
        if labels is not None and (not isinstance(labels, np.ndarray) or labels.ndim != 1):
            raise ValueError(f"corrupted {cls._KIND} state: bad field 'labels'")
        # States written before pos_label existed have no such field.
        pos_label = fields.label("pos_label") if "pos_label" in fields else None
        if isinstance(pos_label, np.generic):
            pos_label = pos_label.item()
        return {"labels": labels, "pos_label": pos_label,
                "n_bins": fields.integer("n_bins", 1, 2**20),
                "strategy": fields.text("strategy")}

    def _state_fields(self, state):
        fields = {"n_samples": state.n_samples, "ndim": state.ndim, "sums": state.sums,
                  "class_weight": state.class_weight, "bad_rows": state.bad_rows}
        if self.strategy == "uniform":
            fields["bins"] = state.bins
        elif state.bins is not None:
            run = state.bins.compacted()
            fields.update(key=run.key, count=run.count, weight=run.weight, hit=run.hit)
        return fields

    @classmethod
    def _state_from_fields(cls, fields, config):
        kind = cls._KIND
        n = fields.integer("n_samples", 0)
        ndim = fields.integer("ndim", 0, 2)
        sums = fields.array("sums", "f", 2)
        class_weight = fields.array("class_weight", "f", 1)
        bad_rows = fields.integer("bad_rows", 0, n)
        k = 2 if config["labels"] is None else config["labels"].shape[0]
        bad = sums.shape != (3, 2) or class_weight.shape != (k,) or (n == 0) != (ndim == 0)
        bad = bad or not (np.isfinite(sums).all() and np.isfinite(class_weight).all())
        # (sum, compensation) pairs of non-negative terms: the compensation is
        # a rounding error of the sum, far below it
        bad = bad or (class_weight < 0).any() or sums[:, 0].min() < 0 or (
            np.abs(sums[:, 1]) > 1e-9 * sums[:, 0]).any()
        if not bad:  # the class weights add up to the total; a Brier sum is at most 2 per unit
            total = float(sums[2].sum())
            bad = abs(float(class_weight.sum()) - total) > 1e-9 * total or float(
                sums[1].sum()) > 2 * total * (1 + 1e-9)
        if config["strategy"] == "uniform":
            bins = fields._get("bins")
            bad = bad or (bins is None) != (n == 0) or (bins is not None and not (
                isinstance(bins, np.ndarray) and bins.shape == (3, config["n_bins"])
                and bins.dtype == np.float64 and np.isfinite(bins).all() and bins.min() >= 0
                # per bin: the probabilities and the hits sum to at most its weight
                and (bins[:2] <= bins[2] * (1 + 1e-12)).all()))
        else:
            bins = _distinct_from_fields(fields, kind) if n else None
            # pruning (decay) drops distinct probabilities: at most n samples are left
            bad = bad or (bins is not None and int(bins.count.sum()) > n)
        if bad:
            raise ValueError(f"corrupted {kind} state: inconsistent fields")
        return ProbaState(n, ndim, sums, class_weight, bad_rows, bins)


def _distinct_from_fields(fields, kind):
    key = fields.array("key", "f", 1)
    count = fields.array("count", "i", 1)
    weight = fields.array("weight", "f", 1)
    hit = fields.array("hit", "f", 1)
    m = key.shape[0]
    if not (count.shape == weight.shape == hit.shape == (m,) and count.dtype == np.int64
            and weight.dtype == hit.dtype == np.float64 and np.isfinite(key).all()
            and np.isfinite(weight).all() and np.isfinite(hit).all()
            and np.all(key[1:] > key[:-1]) and (m == 0 or (
                key[0] >= 0 and key[-1] <= 1 and count.min() > 0 and weight.min() >= 0
                and np.all(hit >= 0) and np.all(hit <= weight * (1 + 1e-12))))):
        raise ValueError(f"corrupted {kind} state: bad distinct probabilities")
    return Distinct(key, count, weight, hit)
