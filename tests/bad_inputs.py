"""The bad-input matrix: every entry point x bad input -> exception and message, as data.

``ROWS`` is one table of `Row` values; ``tests/test_bad_inputs.py`` runs each
row once (the call raises ``error`` with a message matching ``match``, or,
for ``error=None``, succeeds) and checks that no input was modified.

* ``target`` names an entry point: a function of ``cymetrics``
  (``"roc_auc_score"``), or ``"<prefix>.<Class>"`` / ``"<prefix>.<Class>.<method>"``
  for a prefix of ``RESOLVERS``: ``streaming`` today; the CLI readers, the
  Dask and monitoring entry points become one resolver line each, and
  their rows join the same table.
* ``promise`` names the README sentence the row backs (``PROMISES``); every
  promise has rows (checked by the test), and ``sklearn-errors`` covers the
  drop-in rule: scikit-learn's error types and messages.

Most rows are generated: each public function gets its valid call from
``test_common.TABLE`` (the registry of the contract tests) and each family
of ``FAMILIES`` spoils one input of it. The hand-written rows below them are
the cases a family cannot express (issue 16's findings among them).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse
import test_common as tc

import cymetrics
import cymetrics.monitoring as cmon
import cymetrics.streaming as cs
from cymetrics import InputTypeError, InvalidParameterError, MixedLabelTypesError
from cymetrics._cli import _readers
from cymetrics._cli._errors import UsageError
from cymetrics.streaming import _serialization

# ---------------------------------------------------------------------------
# The README's promises about errors
# ---------------------------------------------------------------------------
PROMISES = {
    "negative-weights": "Deliberate differences: \"Negative sample weights are refused with a "
                        "`ValueError`.\"",
    "inexact-integers": "Deliberate differences: \"Integer scores beyond 2**53 in magnitude are "
                        "refused (`ValueError`): they cannot be ranked exactly in float64.\"",
    "empty": "Deliberate differences: \"Empty input raises a clear `ValueError` in every "
             "function\"",
    "wrong-kind": "Deliberate differences: \"Inputs of the wrong kind (strings as scores, junk "
                  "objects, labels mixing strings and numbers) raise `InputTypeError`, which "
                  "is both a `ValueError` and a `TypeError`\"",
    "numeric-limits": "Numeric limits: \"Integer weights (and integer confusion matrices) are "
                      "counted exactly in int64; a total of 2**63 or more is refused with a "
                      "`ValueError`.\"",
    "sklearn-errors": "Intro: \"with the same names, arguments, results (to 1e-12), warnings "
                      "and errors\"",
    "streaming-batches": "Deliberate differences: \"Streaming accumulators accept empty batches "
                         "and all-zero-weight batches\"",
    "checked-bytes": "Streaming: \"`to_bytes()/from_bytes()` in a checked binary format\"",
    "containers": "Deliberate differences: \"Generators, dicts and sets are not array-like: they "
                  "raise `InvalidParameterError` (\"must be an array-like\")\"",
    "cli-errors": "CLI: \"Errors are one line on stderr (exit status 2); `--debug` shows the "
                  "traceback.\"",
}


@dataclass(frozen=True)
class Row:
    id: str
    target: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    error: type | None = ValueError
    match: str = ""
    promise: str = "sklearn-errors"
    known: str = ""  # a known bug (the test is a strict xfail): why, and who fixes it


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------
def _labels3():
    return [0, 1, 2]


# A fresh, configured instance of each accumulator (rows call its methods).
ACCUMULATORS: dict[str, Callable] = {
    "ConfusionAccumulator": cs.ConfusionAccumulator,
    "ScoreAccumulator": cs.ScoreAccumulator,
    "ScoreSketch": cs.ScoreSketch,
    "OvRScoreAccumulator": lambda: cs.OvRScoreAccumulator(_labels3()),
    "GroupedAccumulator": lambda: cs.GroupedAccumulator(cs.ConfusionAccumulator()),
    "SlidingWindow": lambda: cs.SlidingWindow(cs.ScoreAccumulator(), 100),
    "DecayedAccumulator": lambda: cs.DecayedAccumulator(cs.ScoreAccumulator(), 10.0),
    "TimeWindow": lambda: cs.TimeWindow(cs.ScoreAccumulator(), 60.0),
    "ProbabilityAccumulator": cs.ProbabilityAccumulator,
    "DistributionAccumulator": cs.DistributionAccumulator,
    # "all" first: a part updated before a time window refuses the batch would stay updated
    "Monitor": lambda: cmon.Monitor(windows={"all": None, "1h": 3600.0}, groups=["a", "b"]),
}

Y3, P3 = [0, 1, 1], [0.1, 0.7, 0.4]
# A valid batch of each accumulator: (method, args, kwargs). The states of
# the from_bytes rows hold it; refused updates must leave it as it was.
FEEDS = {
    "ConfusionAccumulator": ("update", (Y3, [0, 1, 0]), {}),
    "GroupedAccumulator": ("update", (Y3, [0, 1, 0]), {"groups": ["a", "b", "a"]}),
    "OvRScoreAccumulator": ("update", ([0, 1, 2], np.eye(3)), {}),
    "ScoreAccumulator": ("update", (Y3, P3), {}),
    "ScoreSketch": ("update", (Y3, P3), {}),
    "SlidingWindow": ("update", (Y3, P3), {"timestamp": 0.0}),
    "TimeWindow": ("update", (Y3, P3), {"timestamp": 0.0}),
    "DecayedAccumulator": ("update", (Y3, P3), {}),
    "ProbabilityAccumulator": ("update", (Y3, P3), {}),
    "DistributionAccumulator": ("update", (P3,), {}),
    "Monitor": ("record_outcomes", (Y3, P3), {"groups": ["a", "b", "a"], "timestamp": 0.0}),
}


def fed(name):
    """A fresh accumulator ``name`` holding its `FEEDS` batch."""
    acc = ACCUMULATORS[name]()
    method, args, kwargs = FEEDS[name]
    getattr(acc, method)(*args, **kwargs)
    return acc


def _accumulator_method(module, path):
    name, _, method = path.partition(".")
    cls = getattr(module, name)
    if not method:
        return cls
    if method == "from_bytes":
        return cls.from_bytes
    return getattr(ACCUMULATORS[name](), method)


def _streaming(path):
    return _accumulator_method(cs, path)


def _monitoring(path):
    return _accumulator_method(cmon, path)


def read_table(content, suffix, chunk_rows=2):
    """What ``cymetrics report`` reads of a file holding ``content``: every
    column's chunks, through the reader the CLI picks for ``suffix``."""
    with tempfile.TemporaryDirectory(prefix="cymetrics-bad-") as folder:
        path = os.path.join(folder, "table" + suffix)
        with open(path, "wb") as f:
            f.write(content)
        table = _readers.open_table(path)
        return list(table.chunks(table.columns, chunk_rows=chunk_rows))


def _cli(path):
    return {"read": read_table}[path]


# prefix -> resolver of the rest of the target. Later phases add e.g.
# "dask": cymetrics.dask.
RESOLVERS: dict[str, Callable] = {
    "streaming": _streaming,
    "monitoring": _monitoring,
    "cli": _cli,
}


def resolve(target):
    """The callable a row's ``target`` names (a fresh instance for methods)."""
    prefix, _, rest = target.partition(".")
    if rest and prefix in RESOLVERS:
        return RESOLVERS[prefix](rest)
    return getattr(cymetrics, target)


# ---------------------------------------------------------------------------
# Generated rows: a valid call of every public function, one input spoiled
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Base:
    """A valid call of a public function: test_common's first accepted case."""

    name: str
    kind: str
    arrays: tuple
    params: dict
    lead: tuple
    tail: tuple

    @property
    def groups(self):
        return tc.KINDS[self.kind].groups

    def row(self, family, arrays=None, error=ValueError, match="", promise="sklearn-errors",
            **extra):
        arrays = self.arrays if arrays is None else arrays
        return Row(f"{self.name}-{family}", self.name,
                   (*self.lead, *arrays, *self.tail), {**self.params, **extra},
                   error, match, promise)


def _bases():
    for name in tc._public_functions():
        spec = tc.TABLE.get(name)
        if spec is None:
            continue
        case = next(c for c in spec.cases if not c.refused)
        arrays = tc.KINDS[case.kind].build(np.random.default_rng(16))
        yield Base(name, case.kind, tuple(arrays), dict(case.params), spec.lead, spec.tail)


# Positions of score (or probability) arrays per input kind.
SCORE_POSITIONS = {
    "binary_scores": (1,), "multiclass_proba": (1,), "multilabel_scores": (1,),
    "relevance": (1,), "two_scores": (1, 2), "score_columns": (1,), "two_samples": (1, 3),
}
# Functions the README's empty-input rule does not reach (test_common's reasons).
NO_EMPTY = {name for name, spec in tc.TABLE.items() if "empty" in spec.not_applicable}
# Integer weights counted in int64 (the one weight rule's keep_integer callers).
INT64_COUNTED = {"accuracy_score", "balanced_accuracy_score", "binary_rates",
                 "class_likelihood_ratios", "classification_report", "cohen_kappa_score",
                 "confusion_matrix", "f1_ci", "f1_score", "fbeta_score", "fnr_score",
                 "fpr_score", "hamming_loss", "jaccard_score", "matthews_corrcoef", "mcc_score",
                 "multilabel_confusion_matrix", "npv_score", "precision_recall_fscore_support",
                 "precision_score", "rate_ci", "recall_score", "specificity_score",
                 "zero_one_loss"}
EMPTY = "(?i)" + tc.EMPTY_MESSAGE.pattern


class Junk:
    """A junk object (neither a number nor a string) that compares equal to
    its copies, so that the unmodified-input check can compare it."""

    def __eq__(self, other):
        return isinstance(other, Junk)

    def __hash__(self):
        return 0


def _with(arrays, pos, value):
    out = list(arrays)
    out[pos] = value
    return tuple(out)


def _weight_rows(base, family, make, error, match, promise):
    """One row: every weight keyword of ``base`` set to ``make(n)``."""
    extra = {w: make(len(base.arrays[idx[0]])) for idx, w in base.groups if w}
    return base.row(family, error=error, match=match, promise=promise, **extra)


def _family_empty(base):
    if tc.KINDS[base.kind].samples and base.name not in NO_EMPTY:
        arrays = tuple(a[:0] if i in _sample_positions(base) else a
                       for i, a in enumerate(base.arrays))
        yield base.row("empty", arrays, ValueError, EMPTY, "empty")


def _sample_positions(base):
    return {i for idx, _ in base.groups for i in idx}


def _family_weights(base):
    if not tc._takes_weights(base.name):
        return
    yield _weight_rows(base, "negative-weight", lambda n: np.r_[-1.0, np.ones(n - 1)],
                       ValueError, "negative", "negative-weights")
    yield _weight_rows(base, "numeric-string-weights", lambda n: np.array(["1"] * n),
                       InputTypeError, "sample_weight must contain numbers", "wrong-kind")
    yield _weight_rows(base, "object-string-weights",
                       lambda n: np.array(["2"] * n, dtype=object),
                       InputTypeError, "sample_weight must contain numbers", "wrong-kind")
    yield _weight_rows(base, "nan-weight", lambda n: np.r_[np.nan, np.ones(n - 1)],
                       ValueError, "NaN|infinity", "sklearn-errors")
    yield _weight_rows(base, "short-weights", lambda n: np.ones(n - 1), ValueError,
                       r"sample_weight|inconsistent numbers of samples", "sklearn-errors")
    yield _weight_rows(base, "zero-weights", np.zeros, ValueError, "non-zero|zero total|"
                       r"weight above|no positive|positive and negative", "sklearn-errors")
    if base.name in INT64_COUNTED:
        yield _weight_rows(base, "int-weights-2**63",
                           lambda n: np.r_[[2**62, 2**62], np.zeros(n - 2, dtype=np.int64)],
                           ValueError, r"Integer overflow in sample_weight", "numeric-limits")
        yield _weight_rows(base, "uint64-weight-2**63",
                           lambda n: np.r_[[2**63], np.zeros(n - 1)].astype(np.uint64),
                           ValueError, r"Integer overflow in sample_weight", "numeric-limits")


def _family_scores(base):
    for pos in SCORE_POSITIONS.get(base.kind, ()):
        s = np.asarray(base.arrays[pos])
        tag = f"[{pos}]" if len(SCORE_POSITIONS[base.kind]) > 1 else ""
        yield base.row(f"string-scores{tag}", _with(base.arrays, pos, s.astype(str)),
                       InputTypeError, "number|numeric|float|str", "wrong-kind")
        yield base.row(f"junk-object-scores{tag}",
                       _with(base.arrays, pos, np.full(s.shape, Junk(), dtype=object)),
                       InputTypeError, "number|numeric|float|object", "wrong-kind")
        big = np.full(s.shape, 2**53 + 1, dtype=np.int64)
        big.flat[::2] = 0
        yield base.row(f"int-scores-2**53{tag}", _with(base.arrays, pos, big), ValueError,
                       r"2\*\*53", "inexact-integers")
        nan = s.astype(np.float64)
        nan.flat[0] = np.nan
        yield base.row(f"nan-score{tag}", _with(base.arrays, pos, nan), ValueError,
                       "NaN|infinity|finite")
        yield base.row(f"sparse-scores{tag}",
                       _with(base.arrays, pos, scipy.sparse.csr_matrix(s.reshape(len(s), -1))),
                       # scikit-learn's validate_params (sparse is not "array-like")
                       # for its functions; cymetrics' own say "dense data is required".
                       (InvalidParameterError, InputTypeError),
                       "must be an array-like|Sparse data was passed", "containers")


def _family_containers(base):
    first = base.arrays[0]
    yield base.row("generator-first", _with(base.arrays, 0, (v for v in np.asarray(first))),
                   InvalidParameterError, "must be an array-like", "containers")
    if tc.KINDS[base.kind].samples:
        as_dict = dict(enumerate(np.asarray(first).tolist()))
        yield base.row("dict-first", _with(base.arrays, 0, as_dict), InvalidParameterError,
                       "must be an array-like", "containers")
        yield base.row("set-first", _with(base.arrays, 0, {0, 1}), InvalidParameterError,
                       "must be an array-like", "containers")


FAMILIES = [_family_empty, _family_weights, _family_scores, _family_containers]


def _generated():
    for base in _bases():
        for family in FAMILIES:
            yield from family(base)


# ---------------------------------------------------------------------------
# Hand-written rows
# ---------------------------------------------------------------------------
Y2, P2 = [0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3]
L3 = [0, 1, 2, 2, 1, 0]
PROBA3 = np.full((6, 3), 1 / 3)


def _state(name, mutate=None, fix_crc=True):
    """Bytes of a small state of accumulator ``name``, optionally corrupted."""
    data = bytearray(fed(name).to_bytes())
    if mutate is not None:
        data = bytearray(mutate(data))
        if fix_crc:
            data[-4:] = zlib.crc32(bytes(data[:-4])).to_bytes(4, "little")
    return bytes(data)


def _state_with(kind, field, value, name=None):
    """A state of ``kind`` (fed as accumulator ``name``), valid checksum, one field replaced."""
    fields = _serialization.load(_state(name or kind), kind)
    fields[field] = value
    return _serialization.dump(kind, fields)


def _score_state_with(field, value):
    """A ScoreAccumulator state (valid checksum) with one field replaced."""
    return _state_with("ScoreAccumulator", field, value)


def _flip(at):
    def mutate(data):
        data[at] ^= 0xFF
        return data
    return mutate


STATE_KINDS = ["ConfusionAccumulator", "ScoreAccumulator", "ScoreSketch",
               "OvRScoreAccumulator", "GroupedAccumulator", "SlidingWindow", "TimeWindow",
               "DecayedAccumulator", "ProbabilityAccumulator", "DistributionAccumulator",
               "Monitor"]


def _target(name, method):
    return f"{'monitoring' if name == 'Monitor' else 'streaming'}.{name}.{method}"


def _from_bytes_rows(kind):
    """Corrupt bytes of a state: each refused with ValueError (TypeError for a str)."""
    for what, data, error, match in [
        ("str", "CYMS", TypeError, "expected bytes"),
        ("bad-magic", b"XXXX" + _state(kind)[4:], ValueError, "bad magic"),
        ("truncated", _state(kind)[:-9], ValueError, "corrupted|checksum"),
        ("checksum", _state(kind, _flip(12), fix_crc=False), ValueError, "checksum"),
        ("version", _state(kind, _flip(4)), ValueError, "unsupported state format version"),
        ("trailing", _state(kind, lambda d: d[:-4] + b"\0" + d[-4:]), ValueError,
         "trailing|corrupted"),
        ("other-kind", _state("ScoreAccumulator" if kind != "ScoreAccumulator"
                              else "ConfusionAccumulator"), ValueError, "state holds a|not a"),
    ]:
        yield Row(f"{kind}.from_bytes-{what}", _target(kind, "from_bytes"), (data,),
                  error=error, match=match, promise="checked-bytes")


# The wrappers, the probability and distribution accumulators and the monitor:
# a valid batch (FEEDS) with one input spoiled.
UPDATE_SUBJECTS = ["SlidingWindow", "TimeWindow", "DecayedAccumulator", "GroupedAccumulator",
                   "ProbabilityAccumulator", "DistributionAccumulator", "Monitor"]


def _update_rows(name):
    method, args, kwargs = FEEDS[name]
    target, last = _target(name, method), len(args) - 1

    def row(family, arrays=args, error=ValueError, match="", promise="sklearn-errors", **extra):
        return Row(f"{name}.{method}-{family}", target, tuple(arrays), {**kwargs, **extra},
                   error, match, promise)

    yield row("nan", _with(args, last, [np.nan, *args[last][1:]]), match="NaN")
    yield row("strings", _with(args, last, ["a", "b", "c"]),
              (InputTypeError, MixedLabelTypesError),
              "must contain numbers|Mix of label input types", "wrong-kind")
    if len(args) > 1:
        yield row("short", _with(args, 0, args[0][:-1]), match="inconsistent numbers of samples")
    if len(args) > 1 and name != "GroupedAccumulator":  # its ConfusionAccumulator takes any
        yield row("unknown-label", _with(args, 0, [0, 1, 5]),
                  match="multiclass|take value in|not belonging")
    yield row("short-weights", match="inconsistent numbers of samples|sample_weight",
              sample_weight=[1.0, 1.0])
    yield row("negative-weights", match="negative", promise="negative-weights",
              sample_weight=[1.0, -1.0, 1.0])
    yield row("generator", _with(args, 0, (v for v in args[0])),
              (TypeError, InvalidParameterError), "iterator|array-like", "wrong-kind")


def _npy(array, edit=None):
    buf = io.BytesIO()
    np.save(buf, array)
    data = buf.getvalue()
    return data if edit is None else data.replace(*edit)


def _npz(members, compressed=False, flip=None):
    """An .npz of ``{name: .npy bytes}``; ``flip``: a byte offset to corrupt."""
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name, data in members.items():
            z.writestr(name + ".npy", data)
    data = bytearray(buf.getvalue())
    if flip is not None:
        data[flip] ^= 0x55
    return bytes(data)


_COLUMNS = {"y": _npy(np.array([0, 1, 1, 0])), "s": _npy(np.array([0.1, 0.8, 0.6, 0.3]))}
_NPZ = _npz(_COLUMNS)
_NPZ_DEFLATED = _npz({"y": _npy(np.arange(400) % 2), "s": _npy(np.linspace(0, 1, 400))}, True)

# The readers of `cymetrics report` on damaged files: one-line UsageErrors
# (phase 2 of issue 16: an empty .npy and damaged .npz members escaped as
# EOFError, BadZipFile, zlib.error).
CLI_ROWS = [
    Row(f"cli.read-{what}", "cli.read", (content, suffix), error=UsageError, match=match,
        promise="cli-errors")
    for what, content, suffix, match in [
        ("empty-npy", b"", ".npy", "not a readable .npy file"),
        ("npy-junk", b"\x93NUMPY\x01\x00junk", ".npy", "not a readable .npy file"),
        ("npy-1d", _npy(np.arange(3)), ".npy", "structured array"),
        ("npz-not-zip", b"PK\x03\x04 not a zip", ".npz", "not a readable .npz file"),
        ("npz-truncated", _NPZ[:len(_NPZ) // 2], ".npz", "not a readable .npz file"),
        ("npz-bad-crc", _npz(_COLUMNS, flip=_NPZ.index(b"\x9a\x99")), ".npz",
         "not a readable .npz file"),
        ("npz-bad-deflate", _npz({"y": _npy(np.arange(400) % 2), "s": _npy(
            np.linspace(0, 1, 400))}, True, flip=len(_NPZ_DEFLATED) // 3), ".npz",
         "not a readable .npz file"),
        ("npz-short-member", _npz({"y": _npy(np.arange(3), (b"(3,)", b"(9,)"))}), ".npz",
         "truncated"),
        ("npz-2d-member", _npz({"y": _npy(np.eye(2))}), ".npz", "must be 1-D"),
        ("npz-object-member", _npz({"y": _npy(np.arange(2)).replace(b"'<i8'", b"'|O8'")}),
         ".npz", "1-D numbers or strings|not a .npy array"),
        ("csv-empty", b"", ".csv", "the file is empty"),
        ("csv-ragged", b"y,s\n0,0.1\n1\n", ".csv", "fields|columns"),
        ("unknown-suffix", b"y,s\n", ".txt", "unknown file type"),
    ]
]

HAND = [
    # ---- issue 16: empty input answered by another message ----------------
    Row("roc_curve-empty-not-pos_label", "roc_curve", ([], []), error=ValueError,
        match=EMPTY, promise="empty"),
    Row("ndcg_score-empty-2d", "ndcg_score", (np.empty((0, 3)), np.empty((0, 3))),
        match=EMPTY, promise="empty"),
    Row("dcg_score-empty-2d", "dcg_score", (np.empty((0, 3)), np.empty((0, 3))),
        match=EMPTY, promise="empty"),
    Row("auc-empty", "auc", ([], []), match=EMPTY, promise="empty"),
    # ---- issue 16: containers that are not arrays -----------------------------
    Row("roc_auc_score-generator-scores", "roc_auc_score", (Y2, (p for p in P2)),
        error=(InvalidParameterError, InputTypeError), match="array-like", promise="wrong-kind"),
    Row("roc_curve-dict-scores", "roc_curve", (Y2, dict(enumerate(P2))),
        error=InvalidParameterError, match="must be an array-like", promise="wrong-kind"),
    Row("average_precision_score-sparse-y_true", "average_precision_score",
        (scipy.sparse.csr_matrix(np.array(Y2).reshape(-1, 1)), P2),
        error=InvalidParameterError, match="y_true.*must be an array-like", promise="wrong-kind"),
    Row("roc_auc_score-set-y_true", "roc_auc_score", ({0, 1}, [0.1, 0.2]),
        error=InvalidParameterError, match="must be an array-like", promise="wrong-kind"),
    Row("ndcg_score-generator", "ndcg_score", ((r for r in [[1, 2]]), [[0.1, 0.2]]),
        error=(InvalidParameterError, InputTypeError), match="array-like", promise="wrong-kind"),
    # ---- labels mixing strings and numbers; junk labels ----------------------
    Row("confusion_matrix-mixed-labels", "confusion_matrix", (["a", "b", "a"], [0, 1, 0]),
        error=MixedLabelTypesError, match="Mix of label input types", promise="wrong-kind"),
    Row("f1_score-mixed-labels", "f1_score", ([0, 1, 0], ["x", "y", "x"]),
        error=MixedLabelTypesError, match="Mix of label input types", promise="wrong-kind"),
    Row("accuracy_score-junk-labels", "accuracy_score",
        (np.array([Junk(), Junk()]), [0, 1]), error=InputTypeError, match="unknown",
        promise="wrong-kind"),
    Row("roc_auc_score-mixed-labels", "roc_auc_score", (np.array(["a", 1, "a", 1], dtype=object),
                                                        P2),
        error=InputTypeError, match="", promise="wrong-kind"),
    Row("cohen_kappa_score-mixed-labels", "cohen_kappa_score", (["a", "b"], [1, 2]),
        error=MixedLabelTypesError, match="Mix of label input types", promise="wrong-kind"),
    # ---- integer scores beyond 2**53 ------------------------------------------
    Row("roc_auc_score-uint64-scores", "roc_auc_score",
        (Y2, np.array([2**64 - 1, 0, 5, 2**60], dtype=np.uint64)), match=r"2\*\*53",
        promise="inexact-integers"),
    Row("roc_curve-negative-2**53", "roc_curve", (Y2, np.array([-(2**53) - 1, 0, 1, 2])),
        match=r"2\*\*53", promise="inexact-integers"),
    # ---- integer weights beyond int64 (numeric limits) -------------------------
    Row("from_confusion-int-sum-2**63", "from_confusion",
        ([[2**62, 2**62], [0, 1]], "accuracy_score"), match="Integer overflow in the confusion",
        promise="numeric-limits"),
    Row("from_confusion-uint64-2**63", "from_confusion",
        (np.array([[2**63, 0], [0, 1]], dtype=np.uint64), "f1_score"),
        match="Integer overflow in the confusion", promise="numeric-limits"),
    Row("confusion_matrix-bool-weights-ok", "confusion_matrix", ([0, 1], [0, 1]),
        {"sample_weight": [True, True]}, error=None, promise="numeric-limits"),
    # ---- negative weights ---------------------------------------------------------
    Row("roc_auc_score-tiny-negative-weight", "roc_auc_score", (Y2, P2),
        {"sample_weight": [1, 1, 1, -1e-300]}, match="negative", promise="negative-weights"),
    Row("confusion_matrix-negative-int-weight", "confusion_matrix", ([0, 1], [0, 1]),
        {"sample_weight": np.array([-1, 2])}, match="negative", promise="negative-weights"),
    # ---- scikit-learn's parameter errors ------------------------------------------
    Row("f1_score-bad-average", "f1_score", ([0, 1], [0, 1]), {"average": "bogus"},
        error=InvalidParameterError, match="'average' parameter of f1_score"),
    Row("roc_auc_score-max_fpr-2", "roc_auc_score", (Y2, P2), {"max_fpr": 2.0},
        error=InvalidParameterError, match="'max_fpr' parameter"),
    Row("precision_score-zero_division", "precision_score", ([0, 1], [0, 1]),
        {"zero_division": "never"}, error=InvalidParameterError, match="zero_division"),
    Row("roc_curve-pos_label-list", "roc_curve", (Y2, P2), {"pos_label": [1]},
        error=InvalidParameterError, match="pos_label"),
    Row("roc_auc_ci-confidence-1.5", "roc_auc_ci", (Y2 * 2, P2 * 2), {"confidence": 1.5},
        error=InvalidParameterError, match="confidence"),
    Row("bootstrap_ci-n_resamples-0", "bootstrap_ci", (cymetrics.roc_auc_score, Y2, P2),
        {"n_resamples": 0}, error=InvalidParameterError, match="n_resamples"),
    Row("top_k_accuracy_score-k-0", "top_k_accuracy_score", (L3, PROBA3), {"k": 0},
        error=InvalidParameterError, match="'k' parameter"),
    Row("log_loss-1d-multiclass", "log_loss", (L3, [0.2] * 6), error=ValueError,
        match="y_true contains 3 labels|y_prob|labels"),
    Row("roc_auc_score-inconsistent-lengths", "roc_auc_score", (Y2, P2[:3]),
        match="inconsistent numbers of samples"),
    Row("confusion_matrix-inconsistent-lengths", "confusion_matrix", ([0, 1, 1], [0, 1]),
        match="inconsistent numbers of samples"),
    Row("roc_auc_score-multiclass-no-multi_class", "roc_auc_score", (L3, PROBA3),
        match="multi_class must be in"),
    Row("confusion_matrix-continuous", "confusion_matrix", ([0.5, 1.5], [0, 1]),
        match="mix of continuous and binary|continuous"),
    Row("calibration_curve-n_bins-0", "calibration_curve", (Y2, P2), {"n_bins": 0},
        error=InvalidParameterError, match="n_bins"),
    Row("from_confusion-unknown-metric", "from_confusion", ([[1, 0], [0, 1]], "no_such_metric"),
        error=(ValueError, InvalidParameterError), match="no_such_metric|metric"),
    Row("proportion_ci-successes-above-trials", "proportion_ci", ([5], [3]), match="successes|"
        "trials"),
    # ---- streaming: constructors --------------------------------------------------
    Row("ScoreSketch-max_bins-0", "streaming.ScoreSketch", kwargs={"max_bins": 0},
        error=InvalidParameterError, match="max_bins"),
    Row("ScoreAccumulator-max_bins-str", "streaming.ScoreAccumulator", kwargs={"max_bins": "x"},
        error=InvalidParameterError, match="max_bins"),
    Row("OvRScoreAccumulator-no-labels", "streaming.OvRScoreAccumulator", ([],),
        match="label"),
    Row("GroupedAccumulator-not-an-accumulator", "streaming.GroupedAccumulator", ("x",),
        error=InvalidParameterError, match="template"),
    Row("SlidingWindow-size-0", "streaming.SlidingWindow", (cs.ScoreAccumulator(), 0),
        error=InvalidParameterError, match="size"),
    Row("DecayedAccumulator-half_life-negative", "streaming.DecayedAccumulator",
        (cs.ScoreAccumulator(), -1.0), error=InvalidParameterError, match="half_life"),
    # ---- streaming: updates ----------------------------------------------------------
    Row("ConfusionAccumulator.update-negative-weight", "streaming.ConfusionAccumulator.update",
        ([0, 1], [0, 1], [1, -1]), match="negative", promise="negative-weights"),
    Row("ConfusionAccumulator.update-string-weights", "streaming.ConfusionAccumulator.update",
        ([0, 1], [0, 1], ["1", "2"]), error=InputTypeError, match="sample_weight must contain",
        promise="wrong-kind"),
    Row("ConfusionAccumulator.update-int-weights-2**63",
        "streaming.ConfusionAccumulator.update", ([0, 1], [0, 1], np.array([2**62, 2**62])),
        match="Integer overflow in sample_weight", promise="numeric-limits"),
    Row("ConfusionAccumulator.update-mixed-labels", "streaming.ConfusionAccumulator.update",
        (["a", "b"], [0, 1]), error=MixedLabelTypesError, match="Mix of label input types",
        promise="wrong-kind"),
    Row("ConfusionAccumulator.update-empty-batch", "streaming.ConfusionAccumulator.update",
        ([], []), error=None, promise="streaming-batches"),
    Row("ConfusionAccumulator.update-zero-weights", "streaming.ConfusionAccumulator.update",
        ([0, 1], [0, 1], [0, 0]), error=None, promise="streaming-batches"),
    Row("ScoreAccumulator.update-string-scores", "streaming.ScoreAccumulator.update",
        (Y2, ["a", "b", "c", "d"]), error=InputTypeError, match="number", promise="wrong-kind"),
    Row("ScoreAccumulator.update-nan-score", "streaming.ScoreAccumulator.update",
        (Y2, [0.1, np.nan, 0.2, 0.3]), match="NaN|infinity"),
    Row("ScoreAccumulator.update-int-scores-2**53", "streaming.ScoreAccumulator.update",
        (Y2, np.array([2**53 + 1, 0, 1, 2])), match=r"2\*\*53", promise="inexact-integers"),
    Row("ScoreAccumulator.update-negative-weight", "streaming.ScoreAccumulator.update",
        (Y2, P2, [1, 1, -1, 1]), match="negative", promise="negative-weights"),
    Row("ScoreAccumulator.update-generator", "streaming.ScoreAccumulator.update",
        ((y for y in Y2), P2), error=(InvalidParameterError, InputTypeError),
        match="array-like", promise="wrong-kind"),
    Row("ScoreAccumulator.update-lengths", "streaming.ScoreAccumulator.update", (Y2, P2[:2]),
        match="inconsistent numbers of samples"),
    Row("ScoreAccumulator.update-empty-batch", "streaming.ScoreAccumulator.update", ([], []),
        error=None, promise="streaming-batches"),
    Row("ScoreAccumulator.update-zero-weights", "streaming.ScoreAccumulator.update",
        (Y2, P2, [0, 0, 0, 0]), error=None, promise="streaming-batches"),
    Row("ScoreSketch.update-string-scores", "streaming.ScoreSketch.update",
        (Y2, ["a", "b", "c", "d"]), error=InputTypeError, match="number", promise="wrong-kind"),
    Row("ScoreSketch.update-negative-weight", "streaming.ScoreSketch.update",
        (Y2, P2, [1, 1, -1, 1]), match="negative", promise="negative-weights"),
    Row("OvRScoreAccumulator.update-wrong-width", "streaming.OvRScoreAccumulator.update",
        (L3, np.full((6, 2), 0.5)), match="column|shape|labels"),
    Row("OvRScoreAccumulator.update-unknown-label", "streaming.OvRScoreAccumulator.update",
        ([0, 5], np.full((2, 3), 1 / 3)), match="label"),
    Row("OvRScoreAccumulator.update-negative-weight", "streaming.OvRScoreAccumulator.update",
        (L3, PROBA3, [1, 1, 1, 1, 1, -1]), match="negative", promise="negative-weights"),
    Row("OvRScoreAccumulator.update-empty-batch", "streaming.OvRScoreAccumulator.update",
        ([], np.empty((0, 3))), error=None, promise="streaming-batches"),
    Row("GroupedAccumulator.update-no-groups-length", "streaming.GroupedAccumulator.update",
        ([0, 1], [0, 1]), {"groups": ["a"]}, match="inconsistent numbers of samples|groups"),
    # ---- streaming: merges and empty results ---------------------------------------
    Row("ScoreAccumulator.merge-confusion", "streaming.ScoreAccumulator.merge",
        (cs.ConfusionAccumulator(),), error=TypeError, match="cannot merge"),
    Row("ConfusionAccumulator.merge-int", "streaming.ConfusionAccumulator.merge", (3,),
        error=TypeError, match="cannot merge"),
    Row("ScoreAccumulator.roc_auc_score-no-data", "streaming.ScoreAccumulator.roc_auc_score",
        error=ValueError, match=EMPTY, promise="empty"),
    Row("ConfusionAccumulator.confusion_matrix-no-data",
        "streaming.ConfusionAccumulator.confusion_matrix", error=ValueError, match=EMPTY,
        promise="empty"),
    # ---- streaming and monitoring: from_bytes ---------------------------------------
    *[row for k in STATE_KINDS for row in _from_bytes_rows(k)],
    Row("ScoreAccumulator.from_bytes-dtype-syntax", "streaming.ScoreAccumulator.from_bytes",
        (_score_state_with("thresholds_dtype", "<08"),), match="corrupted",
        promise="checked-bytes"),  # found by the state-ScoreAccumulator fuzz harness
    # Found by the state-GroupEvaluation harness (phase 2): a str array holding a
    # value beyond U+10FFFF loaded, then .tolist() raised SystemError.
    Row("ConfusionAccumulator.from_bytes-invalid-character",
        "streaming.ConfusionAccumulator.from_bytes",
        (_state_with("ConfusionAccumulator", "classes",
                     np.frombuffer(b"a\0\0\0\0\0\x11\0", dtype="<U1")),),
        match="corrupted state: a string array holds an invalid character",
        promise="checked-bytes"),
    # Found by the state-ProbabilityAccumulator harness (phase 2): bins whose
    # probability sum exceeds their weight gave a calibration curve beyond 1.
    Row("ProbabilityAccumulator.from_bytes-bin-above-weight",
        "streaming.ProbabilityAccumulator.from_bytes",
        (_state_with("ProbabilityAccumulator", "bins", np.array(
            [[0.0] * 9 + [5.0], [0.0] * 9 + [1.0], [0.0] * 9 + [2.0]])),),
        match="corrupted ProbabilityAccumulator state", promise="checked-bytes"),
    # Found by the same harness: a total weight below the class weights (Brier
    # score 5e307).
    Row("ProbabilityAccumulator.from_bytes-total-below-class-weights",
        "streaming.ProbabilityAccumulator.from_bytes",
        (_state_with("ProbabilityAccumulator", "sums", np.array(
            [[1.0, 0.0], [0.5, 0.0], [1e-300, 0.0]])),),
        match="corrupted ProbabilityAccumulator state", promise="checked-bytes"),
    # Found by the same harness (the short run): a compensation far beyond its
    # sum gave a log loss of -3e263.
    Row("ProbabilityAccumulator.from_bytes-compensation-beyond-sum",
        "streaming.ProbabilityAccumulator.from_bytes",
        (_state_with("ProbabilityAccumulator", "sums", np.array(
            [[1.0, -5.0], [0.5, 0.0], [3.0, 0.0]])),),
        match="corrupted ProbabilityAccumulator state", promise="checked-bytes"),
    Row("ProbabilityAccumulator.from_bytes-brier-above-2",
        "streaming.ProbabilityAccumulator.from_bytes",
        (_state_with("ProbabilityAccumulator", "sums", np.array(
            [[1.0, 0.0], [6.5, 0.0], [3.0, 0.0]])),),
        match="corrupted ProbabilityAccumulator state", promise="checked-bytes"),
    Row("SlidingWindow.from_bytes-nan-timestamp", "streaming.SlidingWindow.from_bytes",
        (_state_with("SlidingWindow", "timestamp_0", float("nan")),),
        match="corrupted SlidingWindow state", promise="checked-bytes"),
    Row("TimeWindow.from_bytes-bucket-after-newest", "streaming.TimeWindow.from_bytes",
        (_state_with("TimeWindow", "indexes", np.array([5], dtype=np.int64)),),
        match="bad bucket indexes", promise="checked-bytes"),
    Row("DecayedAccumulator.from_bytes-origin-after-latest",
        "streaming.DecayedAccumulator.from_bytes",
        (_state_with("DecayedAccumulator", "origin", 10.0),), match="bad clock",
        promise="checked-bytes"),
    Row("DistributionAccumulator.from_bytes-total", "streaming.DistributionAccumulator.from_bytes",
        (_state_with("DistributionAccumulator", "n_samples", 5),), match="bad column",
        promise="checked-bytes"),
    Row("Monitor.from_bytes-config-not-json", "monitoring.Monitor.from_bytes",
        (_state_with("Monitor", "config", "{windows"),), match="bad configuration",
        promise="checked-bytes"),
    Row("Monitor.from_bytes-part-of-another-kind", "monitoring.Monitor.from_bytes",
        (_state_with("Monitor", "all/predictions", _state("ScoreAccumulator")),),
        match="of another kind", promise="checked-bytes"),
    # ---- streaming and monitoring: updates of the wrappers and newer accumulators -----
    *[row for name in UPDATE_SUBJECTS for row in _update_rows(name)],
    # Found by the state-TimeWindow harness (phase 2): a time whose bucket index
    # passed int64 was taken, then to_bytes raised OverflowError.
    Row("TimeWindow.update-timestamp-1e300", "streaming.TimeWindow.update", (Y3, P3),
        {"timestamp": 1e300}, error=InvalidParameterError,
        match="'timestamp' parameter of TimeWindow.update must be a time within"),
    Row("TimeWindow.update-timestamps-1e300", "streaming.TimeWindow.update", (Y3, P3),
        {"timestamp": [0.0, 1.0, -1e300]}, error=InvalidParameterError,
        match="'timestamp' parameter of TimeWindow.update must be a time within"),
    # Found with the row above: the "all" window's parts took the batch before
    # the "1h" TimeWindow refused it (Monitor checks every window's buckets first).
    Row("Monitor.record_outcomes-timestamp-1e300", "monitoring.Monitor.record_outcomes",
        (Y3, P3), {"groups": ["a", "b", "a"], "timestamp": 1e300},
        error=InvalidParameterError, match="'timestamp' parameter of Monitor must be a time"),
    Row("Monitor.record_predictions-timestamps-1e300", "monitoring.Monitor.record_predictions",
        (P3,), {"timestamp": [0.0, 1e300, 2.0]}, error=InvalidParameterError,
        match="'timestamp' parameter of Monitor must be a time"),
    Row("Monitor.record_predictions-above-one", "monitoring.Monitor.record_predictions",
        ([0.2, 1.5],), {"timestamp": 0.0}, match="outside"),
    Row("Monitor.record_predictions-inf-timestamp", "monitoring.Monitor.record_predictions",
        ([0.2, 0.5],), {"timestamp": float("inf")}, error=InvalidParameterError,
        match="'timestamp' parameter of Monitor"),
    Row("Monitor.record_outcomes-no-groups", "monitoring.Monitor.record_outcomes",
        (Y3, P3), {"timestamp": 0.0}, match="pass groups="),
    Row("Monitor.set_reference-nan", "monitoring.Monitor.set_reference", ([0.2, np.nan],),
        match="NaN"),
    Row("Monitor-negative-window", "monitoring.Monitor", kwargs={"windows": {"1h": -1}},
        error=InvalidParameterError, match="'windows' parameter of Monitor"),
    Row("Monitor-bad-rule-op", "monitoring.Monitor", kwargs={"rules": [("roc_auc", "~", 1)]},
        error=InvalidParameterError, match="'op' parameter of Monitor"),
    Row("TimeWindow-width-0", "streaming.TimeWindow", (cs.ScoreAccumulator(), 0.0),
        error=InvalidParameterError, match="width"),
    # Subnormal buckets: time / width overflowed to inf, every update then refused.
    Row("TimeWindow-width-subnormal", "streaming.TimeWindow", (cs.ScoreAccumulator(), 5e-324),
        error=InvalidParameterError, match="'width' parameter of TimeWindow .* s per bucket"),
    Row("ProbabilityAccumulator-unsorted-labels", "streaming.ProbabilityAccumulator",
        ([2, 1],), error=InvalidParameterError, match="labels"),
    Row("DistributionAccumulator-n_columns-0", "streaming.DistributionAccumulator", (0,),
        error=InvalidParameterError, match="n_columns"),
    # ---- the CLI's readers ------------------------------------------------------------
    *CLI_ROWS,
]

ROWS: list[Row] = [*_generated(), *HAND]


def check_table(rows=ROWS):
    """Problems of the table itself: duplicate ids, unknown promises or targets."""
    problems = []
    seen = set()
    for row in rows:
        if row.id in seen:
            problems.append(f"duplicate id {row.id}")
        seen.add(row.id)
        if row.promise not in PROMISES:
            problems.append(f"{row.id}: unknown promise {row.promise!r}")
        if row.match:
            re.compile(row.match)
    return problems
