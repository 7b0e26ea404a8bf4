"""Coverage-guided fuzz harnesses of cymetrics (atheris), registered in one table.

Each harness is ``test_one_input(data: bytes)``. It decodes the bytes into
arrays of arbitrary dtypes, shapes, layouts and values plus parameters
(`Decoder`), calls cymetrics, and fails (raises) on:

* an exception other than ``ValueError`` / ``TypeError`` (cymetrics' own
  ``InputTypeError`` and ``InvalidParameterError`` are both): a crash for the
  fuzzer, like a segfault or a sanitizer report in the kernels;
* a result that breaks an invariant (an AUC outside [0, 1], a confusion
  matrix whose sum is not the total weight, a state that does not survive
  ``to_bytes``/``from_bytes``...), unless it is a known, reported issue
  (``KNOWN_ISSUES``): those are counted in the findings log and the run goes
  on.

``HARNESSES`` maps a name to its function; a new entry point is one line
(``"state-SlidingWindow": state_harness("SlidingWindow")``). Phase 2 added the
states of the windows, the decay, the probability and distribution
accumulators and the monitoring ``Monitor`` (and the two states it nests),
and ``cli-read``: the readers of ``cymetrics report`` on a CSV, ``.npz`` or
``.npy`` file written from the fuzz bytes. ``fuzz/run.py`` runs them;
``fuzz/corpus/<name>/`` holds each harness's minimized corpus.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
import zlib

import atheris
import numpy as np

import cymetrics as cm
import cymetrics.monitoring as cmon
import cymetrics.streaming as cs
from cymetrics._cli import _columns, _readers
from cymetrics._cli._errors import UsageError

ALLOWED = (ValueError, TypeError)
MAX_N = 64  # samples per decoded array: small inputs reach every branch fast


# ---------------------------------------------------------------------------
# Findings: invariant violations, known ones counted instead of raised
# ---------------------------------------------------------------------------
# key -> why it is known (the issue that tracks it). Invariants keyed here
# are logged (CYMETRICS_FUZZ_FINDINGS) and the run goes on.
KNOWN_ISSUES = {}  # none open: the two found in phase 1 are fixed (tests/bad_inputs.py)
_SEEN = set()


class InvariantError(AssertionError):
    """A result that breaks a documented property."""


def finding(key, detail):
    """Report an invariant violation: raise, unless ``key`` is a known issue."""
    if key not in KNOWN_ISSUES:
        raise InvariantError(f"{key}: {detail}")
    path = os.environ.get("CYMETRICS_FUZZ_FINDINGS")
    if path and (key, detail[:80]) not in _SEEN:
        _SEEN.add((key, detail[:80]))
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{key}\t{detail[:300]}\n")


def guarded(call, *args, **kwargs):
    """``call(...)``, or None when it raises an allowed exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return call(*args, **kwargs)
        except ALLOWED:
            return None


# ---------------------------------------------------------------------------
# Decoding fuzz bytes into arrays and parameters
# ---------------------------------------------------------------------------
NUMERIC_DTYPES = ["<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "<i1", "<u8", "<u4", "<u1",
                  "?", ">f8", ">i4"]


class Decoder:
    """Arrays and parameters drawn from an ``atheris.FuzzedDataProvider``."""

    def __init__(self, data):
        self.fdp = atheris.FuzzedDataProvider(data)

    def pick(self, options):
        return options[self.fdp.ConsumeIntInRange(0, len(options) - 1)]

    def flag(self):
        return self.fdp.ConsumeBool()

    def n(self, low=0):
        return self.fdp.ConsumeIntInRange(low, MAX_N)

    def raw(self, shape, dtype):
        dtype = np.dtype(dtype)
        size = int(np.prod(shape)) if shape else 1
        buf = self.fdp.ConsumeBytes(size * dtype.itemsize)
        buf += bytes(size * dtype.itemsize - len(buf))
        return np.frombuffer(buf, dtype=dtype, count=size).reshape(shape).copy()

    def small_ints(self, shape, k):
        return self.raw(shape, "u1").astype(np.int64) % max(k, 1)

    def labels(self, shape):
        """Class labels: mostly a few small integers in some dtype."""
        k = self.fdp.ConsumeIntInRange(1, 5)
        mode = self.pick(["int", "int", "int", "dtype", "str", "object", "bool", "float",
                          "raw", "big"])
        codes = self.small_ints(shape, k)
        if mode == "int":
            return codes
        if mode == "dtype":
            return codes.astype(self.pick(["<i1", "<u1", "<i4", "<u8", ">i8", "<f4"]))
        if mode == "str":
            return np.array(["abcde"[c] for c in codes.ravel()]).reshape(shape)
        if mode == "object":
            pool = [0, 1, "a", None, 1.5, b"x", (1,), float("nan")]
            return np.array([pool[c] for c in codes.ravel()], dtype=object).reshape(shape)
        if mode == "bool":
            return codes.astype(bool)
        if mode == "float":
            return codes.astype(np.float64) + self.pick([0.0, 0.0, 0.5, -0.0])
        if mode == "big":
            return codes.astype(np.int64) * self.pick([1, 2**31, 2**53, 2**62]) - self.pick(
                [0, 2**62])
        return self.raw(shape, self.pick(NUMERIC_DTYPES))

    def scores(self, shape):
        """Scores: raw values of some dtype, or tidy values with ties."""
        mode = self.pick(["tidy", "tidy", "raw", "int", "strings", "object", "extreme"])
        if mode == "tidy":
            return self.small_ints(shape, self.fdp.ConsumeIntInRange(1, 11)) / 10.0
        if mode == "raw":
            return self.raw(shape, self.pick(NUMERIC_DTYPES))
        if mode == "int":
            return self.small_ints(shape, 7) * self.pick([1, 2**52, 2**53 + 1, -(2**60)])
        if mode == "strings":
            return self.small_ints(shape, 3).astype(str)
        if mode == "object":
            pool = [0.5, 1, None, "x", float("inf"), True]
            return np.array([pool[c % 6] for c in self.small_ints(shape, 6).ravel()],
                            dtype=object).reshape(shape)
        return self.pick([5e-324, 1e-300, 1e300, 1.7e308, -0.0]) * (
            1 + self.small_ints(shape, 3))

    def weights(self, n):
        mode = self.pick([None, None, "int", "float", "raw", "bool", "huge", "tiny",
                          "strings", "column", "scalar"])
        if mode is None:
            return None
        if mode == "int":
            return self.small_ints((n,), 5)
        if mode == "float":
            return self.small_ints((n,), 9) / 4.0
        if mode == "raw":
            return self.raw((n,), self.pick(["<f8", "<i8", "<u8", "<f4", "<i4"]))
        if mode == "bool":
            return self.small_ints((n,), 2).astype(bool)
        if mode == "huge":
            return self.small_ints((n,), 3) * self.pick([2**62, 2**61 + 1, 1 << 40])
        if mode == "tiny":
            return self.small_ints((n,), 4) * self.pick([5e-324, 1e-310, 2.0**-600])
        if mode == "strings":
            return self.small_ints((n,), 3).astype(str)
        if mode == "column":
            return self.small_ints((n, 1), 4)
        return float(self.fdp.ConsumeIntInRange(0, 3))

    def layout(self, a):
        """The same values as a list, a strided view, read-only or big-endian."""
        if not isinstance(a, np.ndarray):
            return a
        mode = self.pick(["as is", "as is", "list", "strided", "readonly", "swapped"])
        if mode == "list":
            return a.tolist()
        if mode == "strided":
            wide = np.repeat(a, 2, axis=0)
            return wide[::2]
        if mode == "readonly":
            a = a.copy()
            a.flags.writeable = False
            return a
        if mode == "swapped" and a.dtype.kind in "iuf" and a.dtype.itemsize > 1:
            return a.astype(a.dtype.newbyteorder())
        return a

    def shape(self, n):
        return self.pick([(n,), (n,), (n,), (n, 1), (n, self.fdp.ConsumeIntInRange(1, 4))])


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------
def _finite_values(result):
    if isinstance(result, (tuple, list)):
        for r in result:
            yield from _finite_values(r)
    elif isinstance(result, (float, np.floating, np.ndarray)):
        a = np.asarray(result, dtype=np.float64)
        yield from a[np.isfinite(a)].ravel().tolist()


def check_in(name, result, low, high):
    for v in _finite_values(result):
        if not low - 1e-12 <= v <= high + 1e-12:
            finding(f"{name}-range", f"{v!r} outside [{low}, {high}]")


# Which of a curve's two arrays are monotone (precision is not).
MONOTONE = {"roc_curve": (0, 1), "precision_recall_curve": (1,), "det_curve": (0, 1),
            "state-roc_curve": (0, 1)}


def check_curve(name, result):
    arrays = [np.asarray(a, dtype=np.float64) for a in result[:2]]
    for i, a in enumerate(arrays):
        if np.isnan(a).any():
            continue
        check_in(name, a, 0.0, 1.0)
        d = np.diff(a)
        if i in MONOTONE[name] and not ((d >= -1e-12).all() or (d <= 1e-12).all()):
            finding(f"{name}-monotone", f"array {i} not monotone: {a[:8]}")


# ---------------------------------------------------------------------------
# Harness: ranking functions
# ---------------------------------------------------------------------------
UNIT_RANKING = ["roc_auc_score", "average_precision_score", "top_k_accuracy_score",
                "label_ranking_average_precision_score", "ndcg_score"]
CURVES = ["roc_curve", "precision_recall_curve", "det_curve"]
OTHER_RANKING = ["confusion_matrix_at_thresholds", "coverage_error", "label_ranking_loss",
                 "dcg_score", "auc", "best_threshold", "metrics_at_thresholds"]


def ranking(data):
    d = Decoder(data)
    name = d.pick(UNIT_RANKING + CURVES + OTHER_RANKING)
    n = d.n()
    shape = d.shape(n)
    y_true = d.layout(d.labels(d.pick([(n,), shape])))
    y_score = d.layout(d.scores(shape))
    kwargs = {}
    if name != "auc" and d.flag():
        kwargs["sample_weight"] = d.layout(d.weights(n))
    if name in CURVES + ["confusion_matrix_at_thresholds", "best_threshold"] and d.flag():
        kwargs["pos_label"] = d.pick([0, 1, "a", 2.0, True, None])
    if name == "roc_auc_score":
        kwargs.update(d.pick([{}, {"max_fpr": 0.3}, {"multi_class": "ovr"},
                              {"multi_class": "ovo"}, {"average": "micro"},
                              {"average": None, "multi_class": "ovr"}, {"average": "weighted"}]))
    if name in ("ndcg_score", "dcg_score") and d.flag():
        kwargs["k"] = d.fdp.ConsumeIntInRange(1, 4)
    if name in CURVES and d.flag():
        kwargs["drop_intermediate"] = d.flag()
    result = guarded(getattr(cm, name), y_true, y_score, **kwargs)
    if result is None:
        return
    if name in UNIT_RANKING:
        check_in(name, result, 0.0, 1.0)
    elif name in CURVES:
        check_curve(name, result)


# ---------------------------------------------------------------------------
# Harness: confusion functions
# ---------------------------------------------------------------------------
UNIT_CONFUSION = ["accuracy_score", "balanced_accuracy_score", "precision_score",
                  "recall_score", "f1_score", "jaccard_score", "hamming_loss", "zero_one_loss",
                  "specificity_score", "npv_score", "fpr_score", "fnr_score"]
SIGNED_CONFUSION = ["matthews_corrcoef", "cohen_kappa_score", "mcc_score"]
OTHER_CONFUSION = ["multilabel_confusion_matrix", "precision_recall_fscore_support",
                   "classification_report", "class_likelihood_ratios", "binary_rates",
                   "fbeta_score", "rate_ci", "f1_ci"]


def confusion(data):
    d = Decoder(data)
    name = d.pick(["confusion_matrix"] * 3 + UNIT_CONFUSION + SIGNED_CONFUSION + OTHER_CONFUSION
                  + ["from_confusion"])
    if name == "from_confusion":
        k = d.fdp.ConsumeIntInRange(1, 4)
        matrix = d.layout(d.pick([lambda: d.small_ints((k, k), 50),
                                  lambda: d.raw((k, k), d.pick(NUMERIC_DTYPES)),
                                  lambda: d.small_ints((k, 2, 2), 9)])())
        metric = d.pick(UNIT_CONFUSION + SIGNED_CONFUSION)
        result = guarded(cm.from_confusion, matrix, metric, **d.pick(
            [{}, {"average": "macro"}, {"average": "micro"}, {"average": "weighted"}]))
        if result is not None:
            check_in(metric, result, -1.0 if metric in SIGNED_CONFUSION else 0.0, 1.0)
        return
    n = d.n()
    shape = d.pick([(n,), (n,), (n, d.fdp.ConsumeIntInRange(1, 4))])
    y_true = d.labels(shape)
    y_pred = d.labels(shape) if d.flag() else y_true.copy()
    weights = d.weights(n) if d.flag() else None
    kwargs = {} if weights is None else {"sample_weight": d.layout(weights)}
    if name in UNIT_CONFUSION[2:7] + ["mcc_score", "fbeta_score", "rate_ci",
                                      "precision_recall_fscore_support"]:
        kwargs["average"] = d.pick(["binary", "macro", "micro", "weighted", "samples", None])
    if name == "fbeta_score":
        kwargs["beta"] = d.pick([0.5, 1.0, 2.0, 0.0])
    if name == "confusion_matrix" and d.flag():
        kwargs["normalize"] = d.pick(["true", "pred", "all", None])
    result = guarded(getattr(cm, name), d.layout(y_true), d.layout(y_pred), **kwargs)
    if result is None:
        return
    if name == "confusion_matrix":
        _check_confusion_matrix(result, weights, kwargs, n)
    elif name in UNIT_CONFUSION:
        check_in(name, result, 0.0, 1.0)
    elif name in SIGNED_CONFUSION:
        check_in(name, result, -1.0, 1.0)


def _check_confusion_matrix(matrix, weights, kwargs, n):
    if kwargs.get("normalize"):
        check_in("confusion_matrix", matrix, 0.0, 1.0)
        return
    if (matrix < 0).any():
        finding("confusion_matrix-negative", str(matrix))
    w = np.asarray(weights) if weights is not None else None
    if w is None:
        total = n
    elif w.dtype.kind in "iub" and w.ndim == 1:
        total = sum(int(v) for v in w)  # Python ints: the exact total
    else:
        return
    if matrix.dtype.kind == "i" and int(matrix.sum(dtype=object)) != total:
        finding("confusion_matrix-total", f"sum {matrix.sum()} != total weight {total}")


# ---------------------------------------------------------------------------
# Harness: from_bytes of every state type
# ---------------------------------------------------------------------------
def _crc_fixed(body):
    return body + zlib.crc32(body).to_bytes(4, "little")


def _state_class(kind):
    return getattr(cmon if kind in MONITORING_KINDS else cs, kind)


def state_harness(kind):
    """``from_bytes`` of accumulator class ``kind`` on hostile bytes.

    The first byte picks how to read the rest: raw, or as a body to which a
    valid CRC-32 is appended (most mutations would otherwise stop at the
    checksum). A state that loads must survive a round trip and answer its
    queries with allowed errors only.
    """
    cls = _state_class(kind)

    def harness(data):
        if not data:
            return
        data = data[1:] if data[0] % 4 == 0 else _crc_fixed(data[1:])
        try:
            acc = guarded(cls.from_bytes, data)
        except SyntaxError as exc:  # np.dtype() of a hostile dtype string
            finding("state-dtype-string", f"{kind}: {exc!r}")
            return
        if acc is None:
            return
        again = cls.from_bytes(acc.to_bytes())  # a loaded state must serialize and reload
        if again.to_bytes() != acc.to_bytes():
            finding(f"{kind}-round-trip", "to_bytes of a reloaded state differs")
        _query_state(kind, acc)
        if kind in UPDATED_KINDS:
            _update_state(kind, acc, data[0] >> 2 if data else 0)

    harness.__name__ = f"state_{kind}"
    return harness


# A batch for a loaded state's update (the one its template takes is among
# them; the others must be refused), and the timestamps of the wrappers'.
UPDATE_BATCHES = [
    (([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.3]), {}),
    (([0, 1, 2, 1], [0, 1, 1, 2]), {}),
    (([0, 1, 2], np.full((3, 3), 1 / 3)), {}),
    (([0, 1, 1], [0, 1, 0]), {"groups": ["a", "b", "a"]}),
    (([0, 1, 1], [0.2, 0.6, 0.9]), {"groups": ["a", "b", "a"]}),
    (([0.2, 0.5, 0.9],), {}),
    ((np.full((2, 3), 1 / 3),), {}),
    (([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.3], [1, 2, 0, 2**40]), {}),
]
UPDATE_TIMES = [None, 0.0, 7000.0, 1.7e9, -5.0, 1e300]
WRAPPER_KINDS = ["SlidingWindow", "TimeWindow", "DecayedAccumulator"]
UPDATED_KINDS = [*WRAPPER_KINDS, "ProbabilityAccumulator", "DistributionAccumulator",
                 "Monitor", "GroupEvaluation", "ExpectedPerformance"]


def _update_state(kind, acc, pick):
    """Update a loaded state: it takes the batch or refuses it (ValueError,
    TypeError) unchanged; a state that took it still round-trips."""
    args, kwargs = UPDATE_BATCHES[pick % len(UPDATE_BATCHES)]
    timestamp = UPDATE_TIMES[pick // len(UPDATE_BATCHES) % len(UPDATE_TIMES)]
    before = acc.to_bytes()
    if kind == "Monitor":
        groups = None if acc.groups is None else ["a", "b", "a", "b"][:np.shape(args[-1])[0]]
        update = (lambda: acc.record_predictions(args[-1], timestamp=timestamp)) if len(
            args) == 1 else (lambda: acc.record_outcomes(args[0], args[1], groups=groups,
                                                         timestamp=timestamp))
    elif kind in WRAPPER_KINDS:
        update = lambda: acc.update(*args, timestamp=timestamp, **kwargs)  # noqa: E731
    else:
        update = lambda: acc.update(*args, **kwargs)  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            update()
        except ALLOWED:
            if acc.to_bytes() != before:
                finding(f"{kind}-failed-update", "a refused update changed the state")
            return
    after = acc.to_bytes()
    if type(acc).from_bytes(after).to_bytes() != after:
        finding(f"{kind}-round-trip", "to_bytes of an updated state does not reload")
    _query_state(kind, acc)


def _query_state(kind, acc):
    if kind in ("ConfusionAccumulator", "ScoreAccumulator", "ScoreSketch",
                "ProbabilityAccumulator", "DistributionAccumulator"):
        n = guarded(lambda: acc.n_samples)
        if n is not None and n < 0:
            finding("state-negative-total", f"{kind}.n_samples = {n}")
    if kind == "ConfusionAccumulator":
        for metric in ("accuracy_score", "f1_score", "matthews_corrcoef"):
            check_in(metric, guarded(acc.compute, metric), -1.0, 1.0)
    elif kind in ("ScoreAccumulator", "ScoreSketch"):
        check_in("state-roc_auc", guarded(acc.roc_auc_score), 0.0, 1.0)
        check_in("state-ap", guarded(acc.average_precision_score), 0.0, 1.0)
        curve = guarded(acc.roc_curve)
        if curve is not None:
            check_curve("state-roc_curve", curve)
    elif kind == "OvRScoreAccumulator":
        check_in("state-ovr", guarded(acc.roc_auc_score), 0.0, 1.0)
    elif kind == "GroupedAccumulator":
        guarded(acc.compute, "to_bytes")
    elif kind in WRAPPER_KINDS:
        _query_wrapper(kind, acc)
    elif kind == "ProbabilityAccumulator":
        _query_proba(acc)
    elif kind == "DistributionAccumulator":
        _query_distribution(acc)
    elif kind == "Monitor":
        values = guarded(acc.values)
        for v in values or ():
            if not np.isfinite(v.value):
                finding("Monitor-values", f"{v}")
        guarded(acc.check)
    elif kind == "GroupEvaluation":
        guarded(acc.report)
    elif kind == "ExpectedPerformance":
        check_in("state-expected", guarded(acc.compute, "accuracy_score"), 0.0, 1.0)
        check_in("state-expected-auc", guarded(acc.roc_auc_score), 0.0, 1.0)


def _query_wrapper(kind, acc):
    """A window or decay: its snapshot is a state of the template's kind."""
    n = guarded(lambda: acc.n_samples) if kind == "SlidingWindow" else None
    if n is not None and not 0 <= n <= acc.size:
        finding("SlidingWindow-n_samples", f"{n} outside [0, {acc.size}]")
    if kind == "DecayedAccumulator":
        pruned = guarded(lambda: acc.pruned_weight)
        if pruned is not None and not pruned >= 0:
            finding("DecayedAccumulator-pruned", f"pruned_weight = {pruned}")
    snap = guarded(acc.snapshot)
    if snap is not None:
        inner = type(snap).__name__
        if inner in STATE_KINDS + ["ProbabilityAccumulator", "DistributionAccumulator"]:
            _query_state(inner, snap)


def _query_proba(acc):
    loss = guarded(acc.log_loss)
    if loss is not None and not loss >= 0:
        finding("state-log_loss", f"{loss}")
    check_in("state-brier", guarded(acc.brier_score_loss), 0.0, 2.0)
    check_in("state-ece", guarded(acc.expected_calibration_error), 0.0, 1.0)
    check_in("state-mce", guarded(acc.maximum_calibration_error), 0.0, 1.0)
    check_in("state-calibration", guarded(acc.calibration_curve), 0.0, 1.0)
    guarded(acc.d2_log_loss_score)
    guarded(acc.d2_brier_score)


def _query_distribution(acc):
    n = acc.n_samples
    for c in range(acc.n_columns or 1):
        got = guarded(acc.values, c)
        if got is None:
            continue
        values, counts = got
        if values.shape != counts.shape or (counts < 0).any() or (
                values.size and (np.diff(values) < 0).any()):
            finding("state-distribution-values", f"{values[:6]} {counts[:6]}")
        if counts.dtype.kind == "i" and acc.exact and int(counts.sum()) != n:
            finding("state-distribution-total", f"counts sum {counts.sum()} != n_samples {n}")


STATE_KINDS = ["ConfusionAccumulator", "ScoreAccumulator", "ScoreSketch",
               "OvRScoreAccumulator", "GroupedAccumulator"]
MONITORING_KINDS = ["Monitor", "GroupEvaluation", "ExpectedPerformance"]
PHASE2_KINDS = [*WRAPPER_KINDS, "ProbabilityAccumulator", "DistributionAccumulator",
                *MONITORING_KINDS]


def _phase2_states(rng):
    """``{kind: [accumulators holding some data]}`` of the phase-2 states."""
    y, s = rng.integers(0, 2, 40), np.round(rng.random(40), 2)
    p3 = rng.dirichlet(np.ones(3), 40)
    w = rng.integers(0, 4, 40)
    score, conf = cs.ScoreAccumulator(), cs.ConfusionAccumulator()
    grouped = cs.GroupedAccumulator(cs.ConfusionAccumulator())
    monitor = cmon.Monitor(windows={"1h": 3600.0, "all": None}, buckets=4, groups=["a", "b"],
                           rules=[("roc_auc", "<", 0.8), ("psi", ">", 0.2, "1h")])
    monitor.set_reference(s, y_true=y)
    monitor.record_predictions(s, timestamp=np.arange(40.0) * 200)
    monitor.record_outcomes(y, s, groups=np.where(w > 1, "a", "b"), timestamp=7000.0)
    return {
        "SlidingWindow": [
            cs.SlidingWindow(score, 30).update(y[:20], s[:20], timestamp=1.0).update(
                y[20:], s[20:], w[20:], timestamp=2.0),
            cs.SlidingWindow(conf, 100).update(y, 1 - y, timestamp=0.0),
            cs.SlidingWindow(grouped, 25).update(y, y, groups=w, timestamp=3.0)],
        "TimeWindow": [
            cs.TimeWindow(conf, 60.0, buckets=6).update(y, 1 - y, timestamp=np.arange(40.0)),
            cs.TimeWindow(score, 3600.0, buckets=4).update(y, s, w, timestamp=5.0),
            cs.TimeWindow(cs.DistributionAccumulator(), 10.0, buckets=2).update(
                s, timestamp=np.arange(40.0) / 4)],
        "DecayedAccumulator": [
            cs.DecayedAccumulator(score, 10.0).update(y, s),
            cs.DecayedAccumulator(conf, 5.0, unit="seconds", prune_below=0.01).update(
                y, 1 - y, w, timestamp=3.0).update(y, y, timestamp=9.0),
            cs.DecayedAccumulator(cs.ProbabilityAccumulator(), 3.0).update(y, s)],
        "ProbabilityAccumulator": [
            cs.ProbabilityAccumulator(n_bins=4).update(y, s, w),
            cs.ProbabilityAccumulator([0, 1, 2], strategy="quantile").update(
                rng.integers(0, 3, 40), p3),
            cs.ProbabilityAccumulator(pos_label="b").update(np.where(y, "b", "a"), s)],
        "DistributionAccumulator": [
            cs.DistributionAccumulator().update(s, w),
            cs.DistributionAccumulator(n_columns=3).update(p3),
            cs.DistributionAccumulator(memory_budget=64, max_bins=8).update(rng.random(40))],
        "Monitor": [monitor, cmon.Monitor(probabilities=False, threshold=0.3)],
        "GroupEvaluation": [
            cmon.GroupEvaluation(["a", "b"], threshold=0.5).update(
                y, s, groups=np.where(w > 1, "a", "b"))],
        "ExpectedPerformance": [cmon.ExpectedPerformance().update(s, w)],
    }


def _cli_seeds(rng):
    """Valid files of each format (first byte: the format, second: raw bytes)."""
    y, s = rng.integers(0, 2, 12), np.round(rng.random(12), 2)
    csv_text = "label,score,w,region\n" + "".join(
        f"{a},{b},{i % 3},{'ns'[i % 2]}\n" for i, (a, b) in enumerate(zip(y, s)))
    npz = io.BytesIO()
    np.savez(npz, label=y, score=s, region=np.array(["n", "s"] * 6))
    npz_c = io.BytesIO()
    np.savez_compressed(npz_c, label=y.astype(bool), score=s.astype(np.float32))
    npy = io.BytesIO()
    rec = np.zeros(12, dtype=[("label", "<i8"), ("score", "<f8")])
    rec["label"], rec["score"] = y, s
    np.save(npy, rec)
    npy2 = io.BytesIO()
    np.save(npy2, np.column_stack([y, s]))
    return [bytes([0, 0]) + csv_text.encode(), bytes([1, 0]) + csv_text.encode(),
            bytes([2, 0]) + npz.getvalue(), bytes([2, 0]) + npz_c.getvalue(),
            bytes([3, 0]) + npy.getvalue(), bytes([3, 0]) + npy2.getvalue()]


def seed_states():
    """``{harness name: [valid bytes]}``: the corpus seeds of the states and the CLI reader."""
    rng = np.random.default_rng(16)
    y, s = rng.integers(0, 2, 40), np.round(rng.random(40), 2)
    seeds = {}
    for kind in STATE_KINDS:
        out = []
        for weights in (None, rng.integers(0, 4, 40), rng.random(40)):
            if kind == "ConfusionAccumulator":
                acc = cs.ConfusionAccumulator()
                acc.update(y, (y + (s > 0.7)) % 3, weights)
            elif kind == "OvRScoreAccumulator":
                acc = cs.OvRScoreAccumulator([0, 1, 2])
                p = rng.dirichlet(np.ones(3), 40)
                acc.update(rng.integers(0, 3, 40), p, weights)
            elif kind == "GroupedAccumulator":
                acc = cs.GroupedAccumulator(cs.ConfusionAccumulator())
                acc.update(y, 1 - y, weights, groups=rng.integers(0, 3, 40))
            else:
                acc = getattr(cs, kind)()
                acc.update(y, s, weights)
            out.append(b"\x01" + acc.to_bytes()[:-4])  # first byte 1: a body, CRC appended
        seeds[f"state-{kind}"] = out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sketch seed compacts (CompactionWarning)
        phase2 = _phase2_states(rng)
    for kind, states in phase2.items():
        seeds[f"state-{kind}"] = [b"\x01" + acc.to_bytes()[:-4] for acc in states]
    seeds["cli-read"] = _cli_seeds(rng)
    return seeds


# ---------------------------------------------------------------------------
# Harness: the readers of `cymetrics report`
# ---------------------------------------------------------------------------
CLI_FORMATS = [".csv", ".csv", ".npz", ".npy"]  # CSV twice: pyarrow's reader and the stdlib's
CLI_ALLOWED = (UsageError, ValueError, TypeError)


def _cli_file(d, fmt):
    """The file's bytes: the fuzz bytes as they are, or a file built from
    decoded arrays (so that mutations of the arrays reach the readers)."""
    if d.fdp.ConsumeIntInRange(0, 3):
        return d.fdp.ConsumeBytes(d.fdp.remaining_bytes())
    n = d.n()
    columns = {name: d.pick([d.labels, d.scores])((n,))
               for name in ["label", "score", "w"][:d.fdp.ConsumeIntInRange(1, 3)]}
    columns = {k: np.asarray(v) for k, v in columns.items() if np.asarray(v).dtype.kind != "O"}
    if not columns:
        return b""
    buf = io.BytesIO()
    if fmt == ".npz":
        (np.savez_compressed if d.flag() else np.savez)(buf, **columns)
    elif fmt == ".npy":
        np.save(buf, np.column_stack(list(columns.values())))
    else:
        rows = zip(*[v.astype(str) for v in columns.values()])
        buf.write((",".join(columns) + "\n" + "".join(",".join(r) + "\n" for r in rows)).encode())
    return buf.getvalue()


def _cli_open(path, fmt, stdlib_csv):
    if fmt == ".csv" and stdlib_csv:
        return _readers.CsvTable(path, None)
    return _readers.open_table(path)


def _cli_read(table, d):
    """Read chunks of some columns as the report does: labels, numbers, weights."""
    names = [d.pick(table.columns) for _ in range(d.fdp.ConsumeIntInRange(1, 3))]
    numeric = {n for n in names if d.flag()}
    chunk_rows = d.fdp.ConsumeIntInRange(1, 9)
    expected, rows = 0, None
    for start, chunk in table.chunks(names, numeric=numeric, chunk_rows=chunk_rows):
        if start != expected or set(chunk) != set(names):
            finding("cli-read-chunks", f"chunk at {start}, expected {expected}: {list(chunk)}")
        lengths = {np.shape(a)[0] for a in chunk.values()}
        if len(lengths) != 1:
            finding("cli-read-lengths", f"columns of one chunk differ in length: {lengths}")
        rows = lengths.pop()
        expected += rows
        for name, raw in chunk.items():
            if name in numeric:
                out = (_columns.weights if d.flag() else _columns.numbers)(raw, name, start)
                if not np.isfinite(out).all() or out.shape != (rows,):
                    finding("cli-read-numbers", f"{name}: {out[:6]}")
            else:
                _columns.labels(raw, _columns.label_kind(raw), name, start)
    if table.n_rows is not None and rows is not None and expected != table.n_rows:
        finding("cli-read-rows", f"read {expected} rows of {table.n_rows}")


def cli_read(data):
    d = Decoder(data)
    fmt = d.pick(CLI_FORMATS)
    stdlib_csv = d.flag()
    content = _cli_file(d, fmt)
    with tempfile.TemporaryDirectory(prefix="cymetrics-fuzz-cli-") as folder:
        path = os.path.join(folder, "table" + fmt)
        with open(path, "wb") as f:
            f.write(content)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                _cli_read(_cli_open(path, fmt, stdlib_csv), d)
            except CLI_ALLOWED as exc:
                if not str(exc).strip():
                    finding("cli-read-message", f"{type(exc).__name__} without a message")


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------
HARNESSES = {
    "ranking": ranking,
    "confusion": confusion,
    **{f"state-{kind}": state_harness(kind) for kind in STATE_KINDS},
    # Phase 2: windows, decay, probability, distribution and monitoring states.
    **{f"state-{kind}": state_harness(kind) for kind in PHASE2_KINDS},
    "cli-read": cli_read,
}
