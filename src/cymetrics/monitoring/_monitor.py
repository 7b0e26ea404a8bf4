"""`Monitor`: the state a service holds to watch a deployed binary classifier.

Per window (``{"1h": 3600, "all": None}``: a `TimeWindow` of that width, or
everything since the start) it keeps four accumulators:

* ``predictions``: the score distribution (`DistributionAccumulator`), fed
  by every prediction: drift against the reference, prediction rate;
* ``expected``: label-free estimates (`ExpectedPerformance`), for
  probability scores;
* ``outcomes``: labelled metrics per group (`GroupEvaluation`), fed when
  the labels arrive;
* ``calibration``: log loss, Brier score, ECE (`ProbabilityAccumulator`),
  for probability scores.

`values` computes every metric as ``Value(metric, group, window, value)``
(group ``""`` is all samples), `check` compares them with the rules and
returns the `Alert` list. The monitor persists (`to_bytes`: its
configuration as JSON and every state in the checked binary format) and
merges with the monitors of other workers (windows merge by time bucket).
"""

import json
import math
import operator
import threading
from typing import NamedTuple

import numpy as np

from cymetrics._shared._params import check_bool, check_int, check_option, check_real, invalid
from cymetrics.monitoring._drift import (
    jensen_shannon_distance,
    ks_statistic,
    label_shift,
    population_stability_index,
    prediction_shift,
    wasserstein_distance,
)
from cymetrics.monitoring._estimates import ExpectedPerformance
from cymetrics.monitoring._groups import GroupEvaluation
from cymetrics.streaming import _serialization
from cymetrics.streaming._base import (
    PicklesThroughBytes,
    accumulator_from_bytes,
    same_configuration,
)
from cymetrics.streaming._confusion import check_labels_param
from cymetrics.streaming._distribution import DistributionAccumulator
from cymetrics.streaming._grouped import group_keys
from cymetrics.streaming._proba import ProbabilityAccumulator
from cymetrics.streaming._windows import TimeWindow, bucket_index, check_timestamps

__all__ = ["Alert", "Monitor", "Rule", "Value"]

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
_ALL = "(all)"  # the one group key when the monitor has no groups
_GROUP_METRICS = ("accuracy", "selection_rate", "true_positive_rate",
                  "false_positive_rate", "precision", "prevalence", "roc_auc")
_EXPECTED = {"expected_accuracy": "accuracy_score", "expected_precision": "precision_score",
             "expected_recall": "recall_score", "expected_f1": "f1_score"}


class Value(NamedTuple):
    """One monitored number: ``group`` is ``""`` for all samples."""

    metric: str
    group: str
    window: str
    value: float


class Rule(NamedTuple):
    """Alert when ``value <op> threshold`` (``op`` one of > >= < <=), for
    the given window and group (None: every one)."""

    metric: str
    op: str
    threshold: float
    window: object = None
    group: object = None


class Alert(NamedTuple):
    """A rule that fired on a value."""

    metric: str
    group: str
    window: str
    value: float
    op: str
    threshold: float
    message: str


def _check_rule(rule):
    rule = Rule(*rule) if not isinstance(rule, Rule) else rule
    if not isinstance(rule.metric, str):
        raise invalid("rules", "Monitor", "(metric, op, threshold[, window, group]) tuples", rule)
    check_option("op", rule.op, tuple(_OPS), "Monitor")
    threshold = float(check_real("threshold", rule.threshold, "Monitor"))
    return rule._replace(threshold=threshold)


def _check_windows(windows):
    if not isinstance(windows, dict) or not windows:
        raise invalid("windows", "Monitor", "a non-empty dict {name: seconds or None}", windows)
    for name, width in windows.items():
        if not isinstance(name, str) or (width is not None and not (
                isinstance(width, (int, float)) and not isinstance(width, bool)
                and math.isfinite(width) and width > 0)):
            raise invalid("windows", "Monitor", "a dict {name: positive seconds or None}",
                          windows)
    return {name: None if w is None else float(w) for name, w in windows.items()}


class Monitor(PicklesThroughBytes):
    """A deployed binary classifier's windows, reference, metrics and alert rules.

    Parameters
    ----------
    windows : dict, default={"all": None}
        Window name -> width in seconds (a `TimeWindow` of ``buckets``
        buckets), or None for everything since the start.
    buckets : int, default=60
        Buckets of each time window.
    threshold : float, default=0.5
        Predict positive when ``score >= threshold``.
    probabilities : bool, default=True
        The scores are probabilities: also keep the label-free estimates
        and the calibration metrics.
    groups : array-like, default=None
        Report these groups (others are added as they occur). None: no
        per-group breakdown (updates then take no ``groups``).
    labels : array-like of two labels, default=None
        The sorted ``[negative, positive]`` labels; None means {0, 1} or
        {-1, 1}, positive 1.
    rules : list of Rule or tuples, default=()
        ``(metric, op, threshold[, window, group])``.
    n_bins : int, default=10
        Bins of PSI, Jensen-Shannon and the calibration error.

    Examples
    --------
    >>> from cymetrics.monitoring import Monitor
    >>> monitor = Monitor(rules=[("roc_auc", "<", 0.8)])
    >>> monitor.set_reference([0.1, 0.4, 0.35, 0.8], y_true=[0, 0, 1, 1])
    >>> monitor.record_predictions([0.2, 0.9, 0.6, 0.3], timestamp=0.0)
    >>> monitor.record_outcomes([0, 1, 0, 1], [0.2, 0.9, 0.6, 0.3], timestamp=0.0)
    >>> [(a.metric, a.value) for a in monitor.check()]
    [('roc_auc', 0.75)]
    """

    _KIND = "Monitor"

    def __init__(self, *, windows=None, buckets=60, threshold=0.5, probabilities=True,
                 groups=None, labels=None, rules=(), n_bins=10):
        self.windows = _check_windows({"all": None} if windows is None else windows)
        self.buckets = check_int("buckets", buckets, "Monitor", 1)
        self.threshold = float(check_real("threshold", threshold, "Monitor"))
        self.probabilities = check_bool("probabilities", probabilities, "Monitor")
        self.groups = None if groups is None else group_keys(
            groups, np.shape(groups)[0] if np.ndim(groups) else -1).tolist()
        self.labels = None if labels is None else check_labels_param(labels).tolist()
        if labels is not None and (len(self.labels) != 2 or list(labels) != self.labels):
            raise invalid("labels", "Monitor", "two sorted labels [negative, positive]", labels)
        self._positive = 1 if labels is None else self.labels[1]
        self.rules = [_check_rule(r) for r in rules]
        self.n_bins = check_int("n_bins", n_bins, "Monitor", 1)
        self._lock = threading.Lock()
        self._reference = None  # DistributionAccumulator of reference scores
        self._reference_labels = None  # {label: share of the reference}
        self._parts = {name: self._new_parts(width) for name, width in self.windows.items()}

    def _templates(self):
        templates = {
            "predictions": DistributionAccumulator(),
            "outcomes": GroupEvaluation(self.groups, threshold=self.threshold,
                                        pos_label=None if self.labels is None else self._positive),
        }
        if self.probabilities:
            templates["expected"] = ExpectedPerformance(
                self.labels, threshold=min(max(self.threshold, 0.0), 1.0))
            templates["calibration"] = ProbabilityAccumulator(self.labels, n_bins=self.n_bins)
        return templates

    def _new_parts(self, width):
        return {name: template if width is None else TimeWindow(template, width,
                                                                  buckets=self.buckets)
                for name, template in self._templates().items()}

    # -- reference ------------------------------------------------------------
    def set_reference(self, y_score, y_true=None):
        """Set the reference the drift statistics compare with.

        Parameters
        ----------
        y_score : array-like or DistributionAccumulator
            Reference scores (e.g. of the validation set).
        y_true : array-like or dict, default=None
            Their labels, or ``{label: count}``: the reference prevalence of
            the label shift.
        """
        if isinstance(y_score, DistributionAccumulator):
            reference = y_score.copy()
        else:
            reference = DistributionAccumulator().update(y_score)
        labels = None
        if y_true is not None:  # label_shift validates and counts the classes
            shift = label_shift(y_true, y_true)
            labels = dict(zip(shift.classes.tolist(), shift.reference.tolist()))
        with self._lock:
            self._reference, self._reference_labels = reference, labels

    # -- updates ------------------------------------------------------------
    def _groups_of(self, groups, n):
        if self.groups is None:
            if groups is not None:
                raise ValueError("this Monitor has no groups: pass groups=[...] to Monitor()")
            return np.full(n, _ALL)
        if groups is None:
            raise ValueError("this Monitor reports groups: pass groups= to every update")
        return group_keys(groups, n)

    def _each(self, names, *args, timestamp, **kwargs):
        """Update the named parts of every window, strictest validation first
        (the timestamps are checked before any part changes)."""
        if timestamp is not None:
            n = np.shape(args[-1])[0] if np.ndim(args[-1]) else 0
            timestamp = check_timestamps(timestamp, n, "Monitor")
            for width in self.windows.values():  # the buckets of every time window
                if width is not None:
                    bucket_index(timestamp, width / self.buckets, "timestamp", "Monitor")
        for name in names:
            for parts in self._parts.values():
                if name in parts:
                    part = parts[name]
                    if isinstance(part, TimeWindow):
                        part.update(*args, timestamp=timestamp, **kwargs)
                    else:
                        part.update(*args, **kwargs)

    def record_predictions(self, y_score, *, timestamp=None, sample_weight=None):
        """Record predictions whose labels are not known yet (drift, estimates).

        Parameters
        ----------
        y_score : array-like of shape (n_samples,)
            Scores (probabilities of the positive class if ``probabilities``).
        timestamp : float or array-like, default=None
            Seconds since the epoch (per batch or per sample); default now.
        sample_weight : array-like, default=None
        """
        self._each(("expected", "predictions"), y_score, sample_weight=sample_weight,
                   timestamp=timestamp)

    def record_outcomes(self, y_true, y_score, *, groups=None, timestamp=None,
                        sample_weight=None):
        """Record predictions with their labels (metrics per group, calibration).

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Binary labels.
        y_score : array-like of shape (n_samples,)
            The scores that were predicted.
        groups : array-like, default=None
            The group of each sample (if the monitor has groups).
        timestamp : float or array-like, default=None
            When the predictions were made; default now.
        sample_weight : array-like, default=None
        """
        n = np.shape(y_score)[0] if np.ndim(y_score) else 0
        keys = self._groups_of(groups, n)
        self._each(("calibration",), y_true, y_score, sample_weight=sample_weight,
                   timestamp=timestamp)
        self._each(("outcomes",), y_true, y_score, sample_weight=sample_weight, groups=keys,
                   timestamp=timestamp)

    # -- values ---------------------------------------------------------------
    def _snapshots(self):
        return {window: {name: part.snapshot() if isinstance(part, TimeWindow) else part.copy()
                         for name, part in parts.items()}
                for window, parts in self._parts.items()}

    def values(self):
        """Every monitored number, as a list of `Value`.

        Metrics that are not defined yet (no data in the window, one class)
        are left out.
        """
        with self._lock:
            reference, reference_labels = self._reference, self._reference_labels
        out = []
        for window, parts in self._snapshots().items():
            found = {}
            _prediction_values(found, parts, reference, self)
            _outcome_values(found, parts, reference_labels, self.groups is not None,
                            self._positive)
            if "calibration" in parts:
                _calibration_values(found, parts["calibration"])
            out += [Value(metric, group, window, float(value))
                    for (metric, group), value in found.items() if not math.isnan(value)]
        return out

    def check(self):
        """The alerts: every rule that fires on a current value.

        Returns
        -------
        list of Alert
        """
        alerts = []
        for value in self.values():
            for rule in self.rules:
                if rule.metric != value.metric or (rule.window not in (None, value.window)) or (
                        rule.group not in (None, value.group)):
                    continue
                if _OPS[rule.op](value.value, rule.threshold):
                    alerts.append(Alert(
                        value.metric, value.group, value.window, value.value, rule.op,
                        rule.threshold,
                        f"{value.metric}{'[' + value.group + ']' if value.group else ''} "
                        f"over {value.window} is {value.value:.6g} {rule.op} {rule.threshold:g}"))
        return alerts

    # -- persistence and merging ----------------------------------------------
    def _config(self):
        return {"windows": self.windows, "buckets": self.buckets, "threshold": self.threshold,
                "probabilities": self.probabilities, "groups": self.groups,
                "labels": self.labels, "rules": [list(r) for r in self.rules],
                "n_bins": self.n_bins}

    def to_bytes(self):
        """Configuration (JSON) and every state, in the checked binary format."""
        with self._lock:
            reference, labels = self._reference, self._reference_labels
        fields = {"config": json.dumps(self._config()),
                  "reference": None if reference is None else reference.to_bytes(),
                  "reference_labels": None if labels is None else json.dumps(
                      [[k, v] for k, v in labels.items()])}
        for window, parts in self._parts.items():
            for name, part in parts.items():
                fields[f"{window}/{name}"] = part.to_bytes()
        return _serialization.dump(self._KIND, fields)

    @classmethod
    def from_bytes(cls, data):
        """Rebuild from `to_bytes` output; ValueError on anything else."""
        kind = cls._KIND
        fields = _serialization.Fields(_serialization.load(data, kind), kind)
        try:
            config = json.loads(fields.text("config"))
            monitor = cls(**config)
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(f"corrupted {kind} state: bad configuration ({exc})") from exc
        reference = fields._get("reference")
        labels = fields.text("reference_labels", allow_none=True)
        for window, parts in monitor._parts.items():
            for name, empty in parts.items():
                part = accumulator_from_bytes(fields.nested(f"{window}/{name}"), f"{kind} state")
                if not _same_part(part, empty):
                    raise ValueError(f"corrupted {kind} state: {window}/{name} of another kind")
                parts[name] = part
        fields.done()
        if reference is not None:
            monitor._reference = accumulator_from_bytes(reference, f"{kind} state")
            if not isinstance(monitor._reference, DistributionAccumulator):
                raise ValueError(f"corrupted {kind} state: bad reference")
        if labels is not None:
            try:
                monitor._reference_labels = {k: float(v) for k, v in json.loads(labels)}
            except (TypeError, ValueError) as exc:
                raise ValueError(f"corrupted {kind} state: bad reference labels") from exc
        return monitor

    def copy(self):
        """An independent monitor with the same configuration and data."""
        return Monitor.from_bytes(self.to_bytes())

    def merge(self, *others):
        """Merge the data of monitors of the same configuration (other workers').

        The reference is kept. Returns self.
        """
        for other in others:
            if not isinstance(other, Monitor):
                raise TypeError(f"cannot merge a {type(other).__name__} into a Monitor")
            if other._config() != self._config():
                raise ValueError("cannot merge monitors of different configurations")
        for other in others:
            for window, parts in self._parts.items():
                for name, part in parts.items():
                    part.merge(other._parts[window][name])
        return self

    def reset(self):
        """Forget the data of every window (the reference and rules are kept)."""
        for parts in self._parts.values():
            for part in parts.values():
                part.reset()
        return self


def _same_part(part, empty):
    """Whether a part read back is configured as the monitor's own."""
    if isinstance(empty, TimeWindow):
        return isinstance(part, TimeWindow) and (part.width, part.buckets) == (
            empty.width, empty.buckets) and same_configuration(part._template, empty._template)
    return same_configuration(part, empty)


def _quiet(func, *args, **kwargs):
    """``func(...)``, or NaN when the metric is not defined on the data."""
    try:
        return func(*args, **kwargs)
    except ValueError:
        return math.nan


def _prediction_values(found, parts, reference, monitor):
    predictions = parts["predictions"]
    n = predictions.n_samples
    found["n_predictions", ""] = n
    if n == 0:
        return
    shift = prediction_shift(predictions, predictions, threshold=monitor.threshold)
    found["prediction_rate", ""] = shift.current[1]
    if reference is not None:
        ks = ks_statistic(reference, predictions)
        found["ks_statistic", ""] = ks.statistic
        found["ks_pvalue", ""] = ks.pvalue
        found["psi", ""] = population_stability_index(reference, predictions,
                                                      n_bins=monitor.n_bins).value
        found["jensen_shannon", ""] = jensen_shannon_distance(reference, predictions,
                                                              n_bins=monitor.n_bins).value
        found["wasserstein", ""] = wasserstein_distance(reference, predictions).value
        ref_rate = prediction_shift(reference, predictions, threshold=monitor.threshold)
        found["prediction_rate_shift", ""] = ref_rate.difference[1]
    if "expected" in parts:
        expected = parts["expected"]
        for metric, name in _EXPECTED.items():
            params = {} if name == "accuracy_score" else {"zero_division": np.nan}
            found[metric, ""] = _quiet(expected.compute, name, **params)
        found["expected_roc_auc", ""] = _quiet(_auc_or_nan, expected)


def _auc_or_nan(expected):
    return expected._soft._holding(expected._snapshot().soft)._counts()[0].auc_or_nan()


def _outcome_values(found, parts, reference_labels, grouped, positive):
    outcomes = parts["outcomes"]
    report = outcomes.report()
    total = sum(report.table["n_samples"])
    found["n_outcomes", ""] = total
    if total == 0:
        return
    for metric in _GROUP_METRICS:
        if metric in report.overall:
            found[metric, ""] = report.overall[metric]
    prevalence = report.overall["prevalence"]
    found["prevalence", ""] = prevalence
    if reference_labels is not None:
        found["prevalence_shift", ""] = prevalence - reference_labels.get(positive, 0.0)
    if not grouped:
        return
    for i, group in enumerate(report.groups):
        found["n_outcomes", str(group)] = report.table["n_samples"][i]
        for metric in _GROUP_METRICS:
            if metric in report.table:
                found[metric, str(group)] = report.table[metric][i]
    for name in ("demographic_parity_difference", "equalized_odds_difference"):
        found[name, ""] = report.disparities[name]


def _calibration_values(found, calibration):
    if calibration.n_samples == 0:
        return
    for metric, method in (("log_loss", "log_loss"), ("brier_score", "brier_score_loss"),
                           ("expected_calibration_error", "expected_calibration_error")):
        found[metric, ""] = _quiet(getattr(calibration, method))
