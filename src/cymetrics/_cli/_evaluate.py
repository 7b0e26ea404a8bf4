"""The report model: a table read in chunks -> streaming accumulators -> one report.

Two passes over the file. The first reads the label columns only: it finds
the classes (and their kind: ints stay ints, strings stay strings), so that
the positive class is known before any score is counted -- ``--pos-label``,
else the greater label, never a silent {0, 1}. The second feeds every chunk
to the streaming accumulators of `cymetrics.streaming` (and adds up the
per-chunk losses, which are sums); memory is the accumulators' state, not
the file. Every number then comes from the library's own functions: the
binary score state is turned into the smallest weighted sample with the same
counts (`ScoreAccumulator.as_weighted_sample`), on which `roc_auc_ci`,
`best_threshold` and `metrics_at_thresholds` give their results on all the
data.

The report is a plain dict (the JSON document, see ``report.schema.json``);
`Curves` holds what the plots draw.
"""

import math
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from cymetrics._classification._registry import from_confusion
from cymetrics._cli import _columns
from cymetrics._cli._errors import UsageError
from cymetrics._cli._readers import CHUNK_ROWS
from cymetrics._inference._delong import delong_test, roc_auc_ci
from cymetrics._inference._intervals import proportion_ci
from cymetrics._probabilistic._calibration import calibration_sums, reliability_gaps
from cymetrics._probabilistic._losses import brier_score_loss, log_loss
from cymetrics._ranking._thresholds import best_threshold, metrics_at_thresholds
from cymetrics._version import __version__
from cymetrics.streaming._base import CompactionWarning
from cymetrics.streaming._confusion import ConfusionAccumulator
from cymetrics.streaming._grouped import GroupedAccumulator
from cymetrics.streaming._ovr import OvRScoreAccumulator
from cymetrics.streaming._scores import ScoreAccumulator

__all__ = ["DEFAULT_MEMORY_BUDGET", "SCHEMA_VERSION", "Curves", "Spec", "evaluate", "jsonable"]

SCHEMA_VERSION = "1.0"
DEFAULT_MEMORY_BUDGET = 64 << 20
# Beyond this many distinct values a column is not class labels (or segments).
MAX_CLASSES = 1000
# The exact score state turns into a sketch of this many buckets beyond the budget.
SKETCH_BINS = 1 << 16
ECE_BINS = 10
CURVE_POINTS = 201


@dataclass
class Spec:
    """What to evaluate: the file's columns and the report's options."""

    y_true: str
    y_score: str = None
    y_proba: list = None
    y_pred: str = None
    pos_label: str = None
    weight: str = None
    by: str = None
    compare: str = None
    threshold: object = None  # float, 'youden', 'best-f1' or None (0.5)
    cost_fp: float = 1.0
    cost_fn: float = 1.0
    confidence: float = 0.95
    memory_budget: int = DEFAULT_MEMORY_BUDGET
    chunk_rows: int = CHUNK_ROWS
    notes: list = field(default_factory=list)

    def label_columns(self):
        return [self.y_true] + ([self.y_pred] if self.y_pred else [])

    def numeric_columns(self):
        cols = [self.y_score, self.compare, self.weight] + list(self.y_proba or [])
        return [c for c in cols if c]

    def columns(self):
        return list(dict.fromkeys(self.label_columns() + self.numeric_columns()
                                  + ([self.by] if self.by else [])))


class Scan(NamedTuple):
    """The first pass: rows, the classes (sorted, of one kind) and their row counts."""

    n_rows: int
    classes: np.ndarray
    counts: np.ndarray
    kind: str
    by_kind: str


class Curves(NamedTuple):
    """What the plots draw (None where it does not apply)."""

    task: str
    labels: list
    confusion: np.ndarray
    roc: dict = None  # label -> (fpr, tpr); binary: one entry, with "band"
    roc_band: tuple = None  # (fpr, tpr low, tpr high)
    pr: dict = None  # label -> (precision, recall)
    prevalence: float = None
    calibration: tuple = None  # (mean predicted, fraction positive, weight)
    sweep: object = None  # ThresholdMetrics on a grid
    histogram: tuple = None  # (edges, negatives, positives)
    threshold: float = None


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def jsonable(value):
    """``value`` with numpy scalars as Python numbers and NaN/inf as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _quiet(notes, func, *args, **kwargs):
    """``func(...)``, its warnings moved to the notes; None if it raises ValueError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except ValueError as exc:
            result = None
            caught.append(warnings.WarningMessage(str(exc), UserWarning, "", 0))
    for w in caught:
        text = str(w.message).splitlines()[0]
        if text not in notes:
            notes.append(text)
    return result


def _weight_of(chunk_w, n):
    return float(n) if chunk_w is None else float(chunk_w.sum())


# ---------------------------------------------------------------------------
# Pass 1: the classes
# ---------------------------------------------------------------------------
def _distinct(values, raw, name):
    uniq, counts = np.unique(raw, return_counts=True)
    for v, c in zip(uniq.tolist(), counts.tolist()):
        values[v] = values.get(v, 0) + c
    if len(values) > MAX_CLASSES:
        raise UsageError(f"column {name!r} has more than {MAX_CLASSES} distinct values: "
                         "not class labels")


def scan(table, spec, progress):
    """Pass 1 over the label (and segment) columns."""
    names = spec.label_columns() + ([spec.by] if spec.by else [])
    seen = {n: {} for n in names}
    n_rows = 0
    for start, chunk in table.chunks(list(dict.fromkeys(names)), chunk_rows=spec.chunk_rows):
        for name in seen:
            raw = chunk[name]
            if raw.dtype.kind in "USO":
                raw = _columns.labels(raw, "str", name, start)
            _distinct(seen[name], raw, name)
        n_rows = start + len(chunk[names[0]])
        progress.update("reading labels", table.progress)
    if n_rows == 0:
        raise UsageError(f"{table.path}: the file has no data rows")
    kinds = {n: _kind_of(list(v)) for n, v in seen.items()}
    kind = _columns.wider(*[kinds[n] for n in spec.label_columns()]) \
        if len(spec.label_columns()) == 2 else kinds[spec.y_true]
    totals = {}
    for name in spec.label_columns():
        for raw_value, count in seen[name].items():
            label = _columns.labels(np.array([raw_value]), kind, name, 0)[0].item()
            if name == spec.y_true:
                totals[label] = totals.get(label, 0) + count
            else:
                totals.setdefault(label, 0)
    classes = np.array(sorted(totals))
    counts = np.array([totals[c] for c in classes.tolist()], dtype=np.int64)
    return Scan(n_rows, classes, counts, kind, kinds.get(spec.by))


def _kind_of(values):
    return _columns.label_kind(np.array(values))


# ---------------------------------------------------------------------------
# Per-chunk sums of the probabilistic losses
# ---------------------------------------------------------------------------
class Losses:
    """Log loss and Brier score sums and calibration bin sums over the chunks."""

    def __init__(self, labels):
        self.labels = labels
        self.log_loss = self.brier = self.weight = 0.0
        self.bins = np.zeros((3, ECE_BINS))
        self.reason = None
        self.warnings = set()

    def add(self, y, proba, w):
        if self.reason is not None or y.shape[0] == 0:
            return
        if proba.min() < 0 or proba.max() > 1:
            self.reason = "scores outside [0, 1] are not probabilities: no log loss, Brier or ECE"
            return
        weight = _weight_of(w, y.shape[0])
        if weight == 0:
            return
        with warnings.catch_warnings(record=True) as caught:
            # E.g. rows that do not sum to one: said once, in the notes.
            warnings.simplefilter("always")
            self.log_loss += log_loss(y, proba, labels=self.labels, normalize=False,
                                      sample_weight=w)
            self.brier += brier_score_loss(y, proba, labels=self.labels,
                                           sample_weight=w) * weight
        self.warnings.update(str(c.message).splitlines()[0] for c in caught)
        labels = self.labels if proba.ndim == 2 else None
        self.bins += calibration_sums(y, proba, n_bins=ECE_BINS, labels=labels, sample_weight=w)
        self.weight += weight

    def report(self, notes):
        notes.extend(sorted(self.warnings))
        if self.reason is not None or self.weight == 0:
            if self.reason:
                notes.append(self.reason)
            return None
        gaps, shares = reliability_gaps(self.bins)
        return {"log_loss": self.log_loss / self.weight, "brier_score": self.brier / self.weight,
                "ece": float(gaps @ shares), "mce": float(gaps.max()), "ece_bins": ECE_BINS,
                "calibration": "positive class" if len(self.labels) == 2 else "top label"}

    def curve(self):
        if self.reason is not None or self.weight == 0:
            return None
        sum_prob, sum_hit, total = self.bins
        keep = total != 0
        return sum_prob[keep] / total[keep], sum_hit[keep] / total[keep], total[keep]


# ---------------------------------------------------------------------------
# Pass 2: the tasks
# ---------------------------------------------------------------------------
class Task:
    """What every task shares: the chunk's labels, weights and segments."""

    name = ""

    def __init__(self, spec, scan, table):
        self.spec, self.scan, self.table = spec, scan, table
        self.notes = spec.notes
        self.class_weight = np.zeros(scan.classes.shape[0])
        self.segment_rows = {}

    def codes(self, chunk, start, column=None):
        """Class codes (positions in the sorted classes) of a label column."""
        column = column or self.spec.y_true
        y = _columns.labels(chunk[column], self.scan.kind, column, start)
        return np.searchsorted(self.scan.classes, y)

    def chunk_common(self, chunk, start):
        spec = self.spec
        codes = self.codes(chunk, start)
        w = None if not spec.weight else _columns.weights(chunk[spec.weight], spec.weight, start)
        groups = None
        if spec.by:
            groups = _columns.labels(chunk[spec.by], self.scan.by_kind, spec.by, start)
            for key, n in zip(*np.unique(groups, return_counts=True)):
                self.segment_rows[key.item()] = self.segment_rows.get(key.item(), 0) + int(n)
        self.class_weight += np.bincount(codes, weights=w, minlength=self.class_weight.shape[0])
        return codes, w, groups

    def data(self):
        labels = self.scan.classes.tolist()
        return [{"label": c, "rows": int(n), "weight": float(wt)}
                for c, n, wt in zip(labels, self.scan.counts.tolist(), self.class_weight)]

    def summary(self, cm):
        """Metrics of the whole confusion matrix (any number of classes)."""
        n = self.notes
        return {
            "accuracy": _quiet(n, from_confusion, cm, "accuracy_score"),
            "balanced_accuracy": _quiet(n, from_confusion, cm, "balanced_accuracy_score"),
            "f1_macro": _quiet(n, from_confusion, cm, "f1_score", average="macro",
                               zero_division=np.nan),
            "f1_weighted": _quiet(n, from_confusion, cm, "f1_score", average="weighted",
                                  zero_division=np.nan),
            "mcc": _quiet(n, from_confusion, cm, "matthews_corrcoef"),
            "cohen_kappa": _quiet(n, from_confusion, cm, "cohen_kappa_score"),
        }

    def per_class(self, cm):
        p, r, f, s = from_confusion(cm, "precision_recall_fscore_support", average=None,
                                    zero_division=np.nan)
        return [{"label": c, "precision": p[i], "recall": r[i], "f1": f[i], "support": s[i]}
                for i, c in enumerate(self.scan.classes.tolist())]


def _threshold_spec(spec):
    t = spec.threshold
    if t is None:
        return 0.5, "default"
    if isinstance(t, str):
        return None, t
    return float(t), "given"


class BinaryScores(Task):
    """Binary labels with one score (or probability) column."""

    name = "binary"

    def __init__(self, spec, scan, table, pos):
        super().__init__(spec, scan, table)
        self.pos = pos
        template = ScoreAccumulator(memory_budget=spec.memory_budget, max_bins=SKETCH_BINS)
        self.acc = template.copy()
        self.grouped = GroupedAccumulator(template) if spec.by else None
        self.losses = Losses([0, 1])
        self.compared = [] if spec.compare else None

    def update(self, chunk, start):
        codes, w, groups = self.chunk_common(chunk, start)
        is_pos = (codes == self.pos).view(np.int8)
        scores = _columns.numbers(chunk[self.spec.y_score], self.spec.y_score, start)
        with warnings.catch_warnings():
            # The compaction is stated once in the report, with the AUC's bounds.
            warnings.simplefilter("ignore", CompactionWarning)
            self.acc.update(is_pos, scores, w)
            if self.grouped is not None:
                self.grouped.update(is_pos, scores, w, groups=groups)
        self.losses.add(is_pos, scores, w)
        if self.compared is not None:
            other = _columns.numbers(chunk[self.spec.compare], self.spec.compare, start)
            self.compared.append((is_pos, scores, other, w))

    def _confusion(self, threshold):
        try:
            return self.acc.confusion_matrix(threshold)
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    def _threshold(self, sample):
        value, rule = _threshold_spec(self.spec)
        if value is None:
            criterion = {"youden": "youden", "best-f1": "f1"}[rule]
            point = _quiet(self.notes, best_threshold, *sample[:2], sample_weight=sample[2],
                           criterion=criterion)
            if point is None:
                raise UsageError(f"--threshold {rule}: needs both classes with a non-zero weight")
            value = point.threshold
        return value, rule

    def report(self):
        n = self.notes
        if self.acc.n_samples == 0 or self.class_weight[self.pos] == 0 or (
                self.class_weight.sum() == self.class_weight[self.pos]):
            raise UsageError(f"column {self.spec.y_true!r} needs both classes (with a non-zero "
                             "weight) for a binary report")
        sample = self.acc.as_weighted_sample(allow_sketch=True)
        threshold, rule = self._threshold(sample)
        cm = self._confusion(threshold)
        labels = self.scan.classes.tolist()
        exact = self.acc.exact
        ci = _quiet(n, roc_auc_ci, *sample[:2], sample_weight=sample[2],
                    confidence=self.spec.confidence)
        lo, hi = self.acc.roc_auc_interval()
        if not exact:
            n.append(f"more distinct scores than the memory budget holds: the score state was "
                     f"compacted into {SKETCH_BINS} buckets; the ROC AUC lies in "
                     f"[{lo:.6f}, {hi:.6f}] and the DeLong interval is approximate")
        rates = _quiet(n, from_confusion, cm, "binary_rates", pos_label=1).as_dict()
        return {
            "confusion_matrix": {"labels": _oriented(labels, self.pos), "matrix": cm},
            "threshold": {"value": threshold, "rule": rule},
            "per_class": _oriented_rows(self.per_class(cm), labels, self.pos),
            "summary": self.summary(cm),
            "rates": rates,
            "ranking": {
                "roc_auc": _quiet(n, self.acc.roc_auc_score),
                "roc_auc_ci": None if ci is None else {
                    "low": ci.low, "high": ci.high, "standard_error": ci.standard_error,
                    "confidence": ci.confidence, "method": ci.method},
                "roc_auc_bounds": [lo, hi],
                "average_precision": _quiet(n, self.acc.average_precision_score),
                "exact": exact,
            },
            "probabilistic": self.losses.report(n),
            "best_thresholds": self._best(sample),
            "compare": self._compare(),
            "segments": self._segments(threshold),
        }

    def _best(self, sample):
        spec, out = self.spec, []
        for criterion, params in (("youden", {}), ("f1", {}),
                                  ("cost", {"cost_fp": spec.cost_fp, "cost_fn": spec.cost_fn})):
            point = _quiet(self.notes, best_threshold, *sample[:2], sample_weight=sample[2],
                           criterion=criterion, **params)
            if point is not None:
                out.append({"criterion": criterion, **params, "threshold": point.threshold,
                            "value": point.value,
                            "confusion_matrix": self._confusion(point.threshold)})
        return out

    def _compare(self):
        if self.compared is None:
            return None
        y, a, b, w = (np.concatenate(parts) if parts[0] is not None else None
                      for parts in zip(*self.compared))
        test = _quiet(self.notes, delong_test, y, a, b, sample_weight=w,
                      confidence=self.spec.confidence)
        if test is None:
            return None
        return {"column": self.spec.compare, **test._asdict()}

    def _segments(self, threshold):
        if self.grouped is None:
            return None
        rows = []
        n = self.notes
        for key in self.grouped.groups:
            acc = self.grouped[key]
            cm = acc.confusion_matrix(threshold)
            (tn, fp), (fn, tp) = cm.tolist()
            pos, neg, total = tp + fn, tn + fp, tp + fn + tn + fp
            rows.append({
                "segment": key, "rows": self.segment_rows[key], "weight": float(total),
                "prevalence": pos / total if total else None,
                "roc_auc": _quiet(n, acc.roc_auc_score) if pos and neg else None,
                "accuracy": (tp + tn) / total if total else None,
                "tpr": tp / pos if pos else None, "fpr": fp / neg if neg else None,
                "precision": tp / (tp + fp) if tp + fp else None,
                "positive_rate": (tp + fp) / total if total else None,
            })
        return {"column": self.spec.by, "rows": rows, "disparities": disparities(self.grouped)}

    def curves(self, report):
        sample = self.acc.as_weighted_sample(allow_sketch=True)
        labels = report["confusion_matrix"]["labels"]
        fpr, tpr, _ = self.acc.roc_curve()
        tps = self.acc.confusion_matrix_at_thresholds()[3]
        band = proportion_ci(tpr * tps[-1], tps[-1], confidence=self.spec.confidence)
        precision, recall, _ = self.acc.precision_recall_curve()
        lo, hi = float(sample[1].min()), float(sample[1].max())
        grid = np.linspace(lo, hi, CURVE_POINTS)
        sweep = metrics_at_thresholds(*sample[:2], grid, sample_weight=sample[2])
        edges = np.linspace(lo, hi if hi > lo else lo + 1, 41)
        neg = np.histogram(sample[1][sample[0] == 0], edges, weights=sample[2][sample[0] == 0])
        pos = np.histogram(sample[1][sample[0] == 1], edges, weights=sample[2][sample[0] == 1])
        return Curves("binary", labels, np.asarray(report["confusion_matrix"]["matrix"]),
                      roc={labels[1]: (fpr, tpr)}, roc_band=(fpr, band.low, band.high),
                      pr={labels[1]: (precision, recall)},
                      prevalence=report["rates"]["prevalence"],
                      calibration=self.losses.curve(), sweep=sweep,
                      histogram=(edges, neg[0], pos[0]),
                      threshold=report["threshold"]["value"])


def _oriented(labels, pos):
    """The two labels, negative first (the rows and columns of a binary matrix)."""
    return [labels[1 - pos], labels[pos]]


def _oriented_rows(rows, labels, pos):
    """Per-class rows of the 0/1 matrix, relabelled with the real labels."""
    for row, label in zip(rows, _oriented(labels, pos)):
        row["label"] = label
    return rows


def disparities(grouped):
    """Hook for the monitoring work: the disparities between segments.

    The per-segment table above comes from `GroupedAccumulator`; the
    disparity measures (and their intervals) belong to the monitoring
    package, which fills this in. None until then (``null`` in the JSON).
    """
    del grouped
    return None


class MulticlassProba(Task):
    """Labels with one probability column per class (in the order of the sorted labels)."""

    name = "multiclass"

    def __init__(self, spec, scan, table):
        super().__init__(spec, scan, table)
        k = scan.classes.shape[0]
        self.ovr = OvRScoreAccumulator(np.arange(k))
        self.confusion = ConfusionAccumulator(labels=np.arange(k))
        self.grouped = GroupedAccumulator(self.confusion) if spec.by else None
        self.losses = Losses(list(range(k)))

    def update(self, chunk, start):
        codes, w, groups = self.chunk_common(chunk, start)
        proba = np.column_stack([_columns.numbers(chunk[c], c, start)
                                 for c in self.spec.y_proba])
        if codes.shape[0] == 0:
            return
        predicted = np.argmax(proba, axis=1)
        self.ovr.update(codes, proba, w)
        self.confusion.update(codes, predicted, w)
        if self.grouped is not None:
            self.grouped.update(codes, predicted, w, groups=groups)
        self.losses.add(codes, proba, w)

    def report(self):
        n = self.notes
        cm = self.confusion.confusion_matrix()
        rows = self.per_class(cm)
        auc = _quiet(n, self.ovr.roc_auc_score, average=None)
        ap = _quiet(n, self.ovr.average_precision_score, average=None)
        for i, row in enumerate(rows):
            row["roc_auc"] = None if auc is None else auc[i]
            row["average_precision"] = None if ap is None else ap[i]
        n.append("predicted class: the column with the largest probability")
        return {
            "confusion_matrix": {"labels": self.scan.classes.tolist(), "matrix": cm},
            "threshold": None,
            "per_class": rows,
            "summary": self.summary(cm),
            "rates": None,
            "ranking": {
                "roc_auc": _quiet(n, self.ovr.roc_auc_score, average="macro"),
                "roc_auc_weighted": _quiet(n, self.ovr.roc_auc_score, average="weighted"),
                "average_precision": _quiet(n, self.ovr.average_precision_score,
                                            average="macro"),
                "average": "macro, one-vs-rest", "exact": True,
            },
            "probabilistic": self.losses.report(n),
            "best_thresholds": [],
            "compare": None,
            "segments": _confusion_segments(self.grouped, self.spec.by, None,
                                            self.segment_rows),
        }

    def curves(self, report):
        labels = self.scan.classes.tolist()
        roc, pr = {}, {}
        for i, label in enumerate(labels):
            acc = self.ovr.for_class(i)
            if 0 < acc.n_samples and len(acc.classes_) == 2:
                roc[label] = acc.roc_curve()[:2]
                pr[label] = acc.precision_recall_curve()[:2]
        return Curves("multiclass", labels, np.asarray(report["confusion_matrix"]["matrix"]),
                      roc=roc, pr=pr, calibration=self.losses.curve())


class Predictions(Task):
    """Labels with predicted labels (no scores)."""

    def __init__(self, spec, scan, table, pos):
        super().__init__(spec, scan, table)
        self.pos = pos
        self.name = "binary" if scan.classes.shape[0] == 2 else "multiclass"
        self.confusion = ConfusionAccumulator(labels=np.arange(scan.classes.shape[0]))
        self.grouped = GroupedAccumulator(self.confusion) if spec.by else None

    def update(self, chunk, start):
        codes, w, groups = self.chunk_common(chunk, start)
        predicted = self.codes(chunk, start, self.spec.y_pred)
        self.confusion.update(codes, predicted, w)
        if self.grouped is not None:
            self.grouped.update(codes, predicted, w, groups=groups)

    def report(self):
        cm = self.confusion.confusion_matrix()
        labels = self.scan.classes.tolist()
        binary = self.name == "binary"
        rates = None
        if binary:
            cm = _orient(cm, self.pos)
            rates = _quiet(self.notes, from_confusion, cm, "binary_rates", pos_label=1).as_dict()
        rows = self.per_class(cm)
        return {
            "confusion_matrix": {"labels": _oriented(labels, self.pos) if binary else labels,
                                 "matrix": cm},
            "threshold": None,
            "per_class": _oriented_rows(rows, labels, self.pos) if binary else rows,
            "summary": self.summary(cm),
            "rates": rates,
            "ranking": None,
            "probabilistic": None,
            "best_thresholds": [],
            "compare": None,
            "segments": _confusion_segments(self.grouped, self.spec.by,
                                            self.pos if binary else None, self.segment_rows),
        }

    def curves(self, report):
        return Curves(self.name, report["confusion_matrix"]["labels"],
                      np.asarray(report["confusion_matrix"]["matrix"]))


def _orient(cm, pos):
    """A 2 x 2 matrix with the positive class second."""
    return cm if pos == 1 else cm[::-1, ::-1].copy()


def _confusion_segments(grouped, column, pos, segment_rows):
    """Per segment of a `GroupedAccumulator` of confusion counts."""
    if grouped is None:
        return None
    rows = []
    for key in grouped.groups:
        acc = grouped[key]
        cm = acc.confusion_matrix()
        total = float(cm.sum())
        row = {"segment": key, "rows": segment_rows[key], "weight": total,
               "prevalence": None, "roc_auc": None,
               "accuracy": float(np.trace(cm)) / total if total else None,
               "tpr": None, "fpr": None, "precision": None, "positive_rate": None}
        if pos is not None:
            (tn, fp), (fn, tp) = _orient(cm, pos).tolist()
            p, q = tp + fn, tn + fp
            row.update(prevalence=p / total if total else None, tpr=tp / p if p else None,
                       fpr=fp / q if q else None,
                       precision=tp / (tp + fp) if tp + fp else None,
                       positive_rate=(tp + fp) / total if total else None)
        rows.append(row)
    return {"column": column, "rows": rows, "disparities": disparities(grouped)}


# ---------------------------------------------------------------------------
# The whole report
# ---------------------------------------------------------------------------
def _positive(spec, scan):
    """``(code of the positive class, rule)`` of a two-class target."""
    classes = scan.classes
    if spec.pos_label is not None:
        label = _columns.parse_label(spec.pos_label, scan.kind, classes, spec.y_true)
        return classes.tolist().index(label), "given by --pos-label"
    return classes.shape[0] - 1, "the greater label; --pos-label to change"


def _task(spec, scan, table):
    k = scan.classes.shape[0]
    if k < 2:
        raise UsageError(f"column {spec.y_true!r} has one class only "
                         f"({scan.classes.tolist()[0]!r}): nothing to evaluate")
    if spec.y_pred:
        pos = _positive(spec, scan)[0] if k == 2 else None
        return Predictions(spec, scan, table, pos)
    if spec.y_proba and len(spec.y_proba) > 1:
        if len(spec.y_proba) != k:
            raise UsageError(
                f"--y-proba gives {len(spec.y_proba)} columns for {k} classes "
                f"({', '.join(map(str, scan.classes.tolist()))}): give one column per class, "
                "in the order of the sorted labels")
        if k == 2:  # two columns of a binary target: the positive class's column is its score
            pos = _positive(spec, scan)[0]
            spec.y_score = spec.y_proba[pos]
            return BinaryScores(spec, scan, table, pos)
        return MulticlassProba(spec, scan, table)
    spec.y_score = spec.y_score or spec.y_proba[0]
    if k > 2:
        if spec.pos_label is None:
            raise UsageError(
                f"column {spec.y_true!r} has {k} classes: give one probability column per "
                "class with --y-proba, or --pos-label for one class against the rest")
        label = _columns.parse_label(spec.pos_label, scan.kind, scan.classes, spec.y_true)
        spec.notes.append(f"class {label} against the rest of the {k} classes")
        # Two classes: the rest, then the positive class.
        pos = scan.classes.tolist().index(label)
        two = scan._replace(classes=np.array(["rest", label], dtype=object),
                            counts=np.array([scan.counts.sum() - scan.counts[pos],
                                             scan.counts[pos]]))
        return OneVsRest(spec, two, table, label)
    return BinaryScores(spec, scan, table, _positive(spec, scan)[0])


class OneVsRest(BinaryScores):
    """One class of a multiclass target against the others (``--pos-label``)."""

    def __init__(self, spec, scan, table, label):
        super().__init__(spec, scan, table, 1)
        self.label, self.kind = label, scan.kind

    def codes(self, chunk, start, column=None):
        y = _columns.labels(chunk[self.spec.y_true], self.kind, self.spec.y_true, start)
        return (y == self.label).astype(np.intp)


def evaluate(table, spec, progress):
    """The report (a JSON-ready dict) and the curves of the file's predictions."""
    table.check_columns(spec.columns())
    try:
        found = scan(table, spec, progress)
        task = _task(spec, found, table)
        for start, chunk in table.chunks(spec.columns(), numeric=spec.numeric_columns(),
                                         chunk_rows=spec.chunk_rows):
            task.update(chunk, start)
            progress.update("evaluating", table.progress)
    except UsageError as exc:
        # Every problem with the data names the file.
        if str(exc).startswith(f"{table.path}: "):
            raise
        raise UsageError(f"{table.path}: {exc}") from None
    finally:
        progress.done()
    body = task.report()
    pos_rule = None
    if isinstance(task, BinaryScores) or (isinstance(task, Predictions) and task.pos is not None):
        pos_rule = {"label": body["confusion_matrix"]["labels"][1],
                    "rule": _positive(spec, found)[1] if not isinstance(task, OneVsRest)
                    else "given by --pos-label, against the rest"}
    report = {
        "schema_version": SCHEMA_VERSION,
        "cymetrics_version": __version__,
        "task": task.name,
        "input": {"path": table.path, "format": table.format, "rows": found.n_rows,
                  "y_true": spec.y_true, "y_score": spec.y_score, "y_proba": spec.y_proba,
                  "y_pred": spec.y_pred, "weight": spec.weight, "by": spec.by,
                  "compare": spec.compare},
        "classes": task.data(),
        "positive_class": pos_rule,
        **body,
    }
    report["notes"] = list(dict.fromkeys(spec.notes))
    return jsonable(report), task.curves(report)
