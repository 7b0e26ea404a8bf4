"""Per-group evaluation: where a model's errors fall unevenly across groups.

One pass over ``(y_true, y_score or y_pred, group)`` keeps a binary state
per group (a `GroupedAccumulator` of score or confusion states); `report`
derives, for every group and overall, the rates of the confusion matrix at
the threshold with Wilson intervals and (from scores) the ROC AUC with
DeLong's interval, their difference and ratio to the overall value, and
the spread between groups: for every metric the largest difference
(max - min) and the smallest ratio (min / max) over the groups that have
it, demographic parity (selection rates) and equalized odds (the larger
spread of the true- and false-positive rates, the smaller ratio), as the
fairness literature defines them.

Declared groups that saw no sample are reported with NaN metrics (they take
no part in the spreads), never dropped.
"""

from typing import NamedTuple

import numpy as np

from cymetrics._inference._delong import delong_interval
from cymetrics._inference._intervals import proportion_ci
from cymetrics._shared._labels import binary_target, resolve_pos_label
from cymetrics._shared._params import check_confidence, check_real
from cymetrics.streaming._base import Accumulator
from cymetrics.streaming._confusion import ConfusionAccumulator
from cymetrics.streaming._grouped import GroupedAccumulator, group_keys
from cymetrics.streaming._scores import ScoreAccumulator

__all__ = ["GroupEvaluation", "GroupReport", "RATES"]

# name -> (numerator cells, denominator cells) of [[tn, fp], [fn, tp]] (ravelled).
RATES = {
    "selection_rate": ((1, 3), (0, 1, 2, 3)),
    "accuracy": ((0, 3), (0, 1, 2, 3)),
    "true_positive_rate": ((3,), (2, 3)),
    "false_positive_rate": ((1,), (0, 1)),
    "precision": ((3,), (1, 3)),
    "prevalence": ((2, 3), (0, 1, 2, 3)),
}


class GroupReport(NamedTuple):
    """The per-group table of `GroupEvaluation.report`.

    ``groups`` lists the rows; ``table`` maps each column to one value per
    group: ``n_samples``, ``weight``, every metric with ``<metric>_low``,
    ``<metric>_high`` (its interval), ``<metric>_difference`` and
    ``<metric>_ratio`` (to the overall value). ``overall`` holds the
    metrics over all groups, ``disparities`` the spreads.
    """

    groups: list
    table: dict
    overall: dict
    disparities: dict
    confidence: float


class GroupEvaluation(Accumulator):
    """Binary metrics per group, with intervals and disparities; mergeable.

    Parameters
    ----------
    groups : array-like, default=None
        Groups to report even if they never occur (others are added as
        they occur).
    threshold : float, default=None
        None: the second argument of `update` holds predicted labels. A
        number: it holds scores, the prediction is ``score >= threshold``,
        and the ROC AUC is reported too.
    pos_label : int, float, bool or str, default=None
        The positive class; None means 1, with labels in {0, 1} or {-1, 1}.
    confidence : float in (0, 1), default=0.95
        Of the intervals.

    Examples
    --------
    >>> from cymetrics.monitoring import GroupEvaluation
    >>> fair = GroupEvaluation(groups=["a", "b", "c"])
    >>> _ = fair.update([1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 0],
    ...                 groups=["a", "a", "a", "b", "b", "b"])
    >>> report = fair.report()
    >>> report.groups, report.table["n_samples"]
    (['a', 'b', 'c'], [3, 3, 0])
    >>> round(report.disparities["demographic_parity_difference"], 6)
    0.333333
    >>> report.disparities["equalized_odds_difference"]
    0.5
    """

    _KIND = "GroupEvaluation"

    def __init__(self, groups=None, *, threshold=None, pos_label=None, confidence=0.95):
        self.declared = [] if groups is None else sorted(
            group_keys(groups, np.shape(groups)[0] if np.ndim(groups) else -1).tolist())
        self.threshold = None if threshold is None else float(
            check_real("threshold", threshold, "GroupEvaluation"))
        self.pos_label = pos_label
        self.confidence = check_confidence(confidence, "GroupEvaluation")
        template = (ConfusionAccumulator(labels=[False, True]) if threshold is None
                    else ScoreAccumulator(pos_label=pos_label))
        self._grouped = GroupedAccumulator(template)
        super().__init__()

    # -- state: a GroupedAccumulator's -------------------------------------
    def _empty_state(self):
        return self._grouped._empty_state()

    def _prepare(self, y_true, y_other, sample_weight=None, groups=None):
        if self.threshold is None:
            y_true, y_other = self._positives(y_true, y_other)
        return self._grouped._prepare(y_true, y_other, sample_weight, groups=groups)

    def _positives(self, y_true, y_pred):
        """Labels as booleans ``== pos_label`` (the rule of `ScoreAccumulator`)."""
        target = binary_target(y_true)
        if target.y_type not in ("binary",) and target.classes.shape[0]:
            raise ValueError(f"{target.y_type} format is not supported")
        pos = self.pos_label
        if pos is None and target.classes.shape[0]:
            pos = resolve_pos_label(target, None)
        pred = np.asarray(y_pred)
        return target.equals(1 if pos is None else pos), pred == (1 if pos is None else pos)

    def _add(self, state, batch):
        return self._grouped._add(state, batch)

    def _merge_states(self, state, other):
        return self._grouped._merge_states(state, other)

    def _check_mergeable(self, other):
        if (self.threshold, self.confidence) != (other.threshold, other.confidence) or not (
                _same(self.pos_label, other.pos_label)):
            raise ValueError("cannot merge group evaluations of different configurations")

    def _scaled(self, state, factor):
        return self._grouped._scaled(state, factor)

    def _pruned(self, state, min_weight):
        return self._grouped._pruned(state, min_weight)

    def _is_empty(self, state):
        return not state

    def _needs_compaction(self, state):
        return self._grouped._needs_compaction(state)

    def _compacted(self, state):
        return self._grouped._compacted(state)

    def _rebased(self, current, snapshot, compacted):
        return self._grouped._rebased(current, snapshot, compacted)

    def update(self, y_true, y_other, sample_weight=None, *, groups):
        """Add a batch: binary labels, scores (``threshold`` set) or predicted
        labels, and the group of each sample.

        Returns
        -------
        self

        Examples
        --------
        >>> from cymetrics.monitoring import GroupEvaluation
        >>> fair = GroupEvaluation(threshold=0.5).update([0, 1], [0.2, 0.7], groups=["x", "y"])
        >>> fair.report().groups
        ['x', 'y']
        """
        return self._commit(self._prepare(y_true, y_other, sample_weight, groups=groups))

    # -- report -------------------------------------------------------------
    def _rows(self):
        """``[(group, template state or None)]`` for every group, declared first."""
        state = self._snapshot()
        keys = sorted(set(self.declared) | set(state), key=lambda k: (isinstance(k, str), k))
        return [(key, state.get(key)) for key in keys], state

    def _metrics(self, part):
        """``{metric: (value, low, high)}`` and ``(n, weight)`` of one state."""
        template = self._grouped._template
        if part is None or template._is_empty(part):
            nan = (np.nan,) * 3
            return dict.fromkeys(self._names(), nan), (0, 0.0)
        acc = template._holding(part)
        if self.threshold is None:
            state = acc._snapshot()
            matrix = state.matrix[np.ix_(_bool_rows(state.classes), _bool_rows(state.classes))]
            n = int(state.matrix.sum()) if not state.weighted else None
        else:
            matrix = acc.confusion_matrix(self.threshold)
            n = acc.n_samples
        cells = np.asarray(matrix, dtype=np.float64).reshape(-1)
        out = {}
        for name, (num, den) in RATES.items():
            ci = proportion_ci(cells[list(num)].sum(), cells[list(den)].sum(),
                               confidence=self.confidence)
            out[name] = (ci.estimate, ci.low, ci.high)
        if self.threshold is not None:
            out["roc_auc"] = self._auc(acc)
        return out, (n if n is not None else int(cells.sum()), float(cells.sum()))

    def _auc(self, acc):
        counts = acc._counts()[0]
        if counts.exact is None or np.isnan(counts.auc_or_nan()):
            return (np.nan,) * 3
        try:
            ci = delong_interval(counts.sorted_scores(), self.confidence, "GroupEvaluation")
        except ValueError:  # fewer than two samples of a class: no variance
            auc = counts.auc_or_nan()
            return auc, np.nan, np.nan
        return ci.estimate, ci.low, ci.high

    def _names(self):
        return list(RATES) + ([] if self.threshold is None else ["roc_auc"])

    def report(self):
        """The per-group table, the overall values and the disparities.

        Returns
        -------
        GroupReport
        """
        rows, state = self._rows()
        overall, _ = self._metrics(self._merged(state))
        table = {"n_samples": [], "weight": []}
        for name in self._names():
            for suffix in ("", "_low", "_high", "_difference", "_ratio"):
                table[name + suffix] = []
        for _, part in rows:
            metrics, (n, weight) = self._metrics(part)
            table["n_samples"].append(n)
            table["weight"].append(weight)
            for name, (value, low, high) in metrics.items():
                table[name].append(value)
                table[name + "_low"].append(low)
                table[name + "_high"].append(high)
                table[name + "_difference"].append(value - overall[name][0])
                with np.errstate(divide="ignore", invalid="ignore"):
                    table[name + "_ratio"].append(np.float64(value) / overall[name][0])
        return GroupReport([key for key, _ in rows], table,
                           {name: value for name, (value, _, _) in overall.items()},
                           _disparities(table, self._names()), self.confidence)

    def _merged(self, state):
        template = self._grouped._template
        merged = template._empty_state()
        for part in state.values():
            merged = template._merge_states(merged, part)
        return merged if state else None

    # -- serialization ------------------------------------------------------
    def _config(self):
        return {"groups": self.declared or None, "threshold": self.threshold,
                "pos_label": self.pos_label, "confidence": self.confidence}

    def _config_fields(self):
        return {"groups": np.asarray(self.declared) if self.declared else None,
                "threshold": self.threshold,
                "pos_label": None if self.pos_label is None else np.asarray(self.pos_label),
                "confidence": float(self.confidence)}

    @classmethod
    def _config_from_fields(cls, fields):
        groups = fields._get("groups")
        if groups is not None and (not isinstance(groups, np.ndarray) or groups.ndim != 1):
            raise ValueError(f"corrupted {cls._KIND} state: bad field 'groups'")
        pos_label = fields.label("pos_label")
        return {"groups": groups, "threshold": fields.real("threshold", allow_none=True),
                "pos_label": pos_label.item() if isinstance(pos_label, np.generic) else pos_label,
                "confidence": fields.real("confidence")}

    def _state_fields(self, state):
        return {"grouped": self._grouped._holding(state).to_bytes()}

    @classmethod
    def _state_from_fields(cls, fields, config):
        grouped = GroupedAccumulator.from_bytes(fields.nested("grouped"))
        expected = cls(**config)._grouped
        if grouped._template.to_bytes() != expected._template.to_bytes():
            raise ValueError(f"corrupted {cls._KIND} state: groups of another kind")
        return grouped._snapshot()


def _bool_rows(classes):
    """Indexes of False and True in a confusion state's classes (declared [False, True])."""
    return [int(np.flatnonzero(classes == v)[0]) for v in (False, True)]


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return type(a) is type(b) and bool(a == b)


def _spread(values):
    """``(max - min, min / max)`` over the defined values (NaN if fewer than one)."""
    values = np.asarray(values, dtype=np.float64)
    values = values[~np.isnan(values)]
    if values.shape[0] == 0:
        return np.nan, np.nan
    hi, lo = float(values.max()), float(values.min())
    return hi - lo, lo / hi if hi else np.nan


def _disparities(table, names):
    out = {}
    for name in names:
        out[name + "_difference"], out[name + "_ratio"] = _spread(table[name])
    out["demographic_parity_difference"] = out["selection_rate_difference"]
    out["demographic_parity_ratio"] = out["selection_rate_ratio"]
    odds = [out["true_positive_rate_difference"], out["false_positive_rate_difference"]]
    ratios = [out["true_positive_rate_ratio"], out["false_positive_rate_ratio"]]
    out["equalized_odds_difference"] = _nan_extreme(odds, max)
    out["equalized_odds_ratio"] = _nan_extreme(ratios, min)
    return out


def _nan_extreme(values, pick):
    defined = [v for v in values if not np.isnan(v)]
    return pick(defined) if defined else np.nan

