"""The contracts every public function of cymetrics keeps, driven by one table.

TABLE lists every callable of ``cymetrics.__all__`` but the exception and
result classes: how to build valid input for it (one or more cases, each an
input KIND with keyword arguments) and which contracts do not apply, with the
reason. Each (function, contract) pair is one test, ``<function>-<contract>``,
and holds on every case of the function; the empty contract is one test per
input kind, ``<function>-empty-<kind>``, so that a known failure on one kind
hides no other.

signature      the parameters (names, kinds, defaults) of scikit-learn's twin;
               a function beyond scikit-learn (``twin=None``) has no namesake
               in ``sklearn.metrics``.
unmodified     no input array is modified, and no output array shares memory
               with an input (every call below checks this too: read-only,
               strided and big-endian inputs included).
lists          nested lists,
readonly       read-only arrays,
noncontiguous  strided views (and Fortran-ordered matrices),
bigendian      big-endian arrays give the same outcome as native arrays, bit
               for bit (unweighted, with int64 and with float64 weights).
unaligned      so do arrays at an odd address (over a byte buffer, as Dask
               rebuilds them from network frames): the sanitizer build
               (.ci/sanitize) checks that no kernel reads them unaligned.
permutation    shuffling the samples consistently (weights included) leaves
               the outcome unchanged (rtol=1e-12; ties are grouped, so the
               curves and thresholds are invariant too).
weights        integer ``sample_weight`` gives the outcome of repeating each
               sample that many times (functions taking ``sample_weight``;
               integer counts become float64 with weights, as in
               scikit-learn, so values are compared).
empty          empty input raises a ValueError whose message says so (README:
               "Empty input raises a clear ValueError in every function");
               known exceptions are strict xfails (KNOWN_BUGS).

"Same outcome" is :func:`support.assert_same_outcome`: the same value (types,
dtypes, shapes) and warning classes, or the same exception type and message.
A refused case (``refused=True``: a layout the function refuses, e.g.
multilabel targets for ``matthews_corrcoef``) must raise, and raise the same
for every layout; the sample-level contracts skip it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
import sklearn.metrics

import cymetrics
import multiclass_inputs as mi
from support import Outcome, assert_same_outcome, assert_unmodified, snapshot, stable_seed

N = 30  # samples of every generated input

CONTRACTS = ["signature", "unmodified", "lists", "readonly", "noncontiguous", "bigendian",
             "unaligned", "permutation", "weights", "empty"]
LAYOUTS = ["lists", "readonly", "noncontiguous", "bigendian", "unaligned"]
# What an error message about empty input says, in the words cymetrics uses.
EMPTY_MESSAGE = re.compile(r"empty|0 sample|minimum of 1|at least (?:one|two|1|2) (?:sample|point)",
                           re.IGNORECASE)


# ===========================================================================
# Input kinds
# ===========================================================================
def _binary_labels(rng):
    y_true = rng.integers(0, 2, N)
    y_true[:2] = [0, 1]
    y_pred = np.where(rng.random(N) < 0.7, y_true, 1 - y_true)
    return y_true, y_pred


def _multiclass_labels(rng):
    y_true = mi.labels(rng, N, np.arange(3))
    y_pred = np.where(rng.random(N) < 0.6, y_true, rng.integers(0, 3, N))
    y_pred[:3] = [0, 1, 2]
    return y_true, y_pred


def _multilabel_labels(rng):
    y_true = mi.multilabel(rng, N, 4, density=0.4)
    y_pred = np.where(rng.random((N, 4)) < 0.75, y_true, 1 - y_true)
    return y_true, y_pred


def _binary_scores(rng):
    """Labels in {0, 1} and scores in [0, 1] with ties (also probabilities)."""
    y_true = rng.integers(0, 2, N)
    y_true[:4] = [0, 1, 0, 1]
    return y_true, np.round(0.6 * rng.random(N) + 0.4 * y_true, 1)


def _multiclass_proba(rng):
    return mi.labels(rng, N, np.arange(3)), mi.proba(rng, N, 3, ties=True)


def _multilabel_scores(rng):
    y_true = mi.multilabel(rng, N, 3, density=0.5)
    y_true[:2] = [[0, 0, 0], [1, 1, 1]]  # every column has both classes
    return y_true, np.round(mi.scores(rng, N, 3), 1)


def _relevance(rng):
    gains = rng.integers(0, 4, size=(N, 4))
    gains[0] = [3, 0, 1, 2]
    return gains, np.round(mi.scores(rng, N, 4), 1)


def _two_scores(rng):
    y_true, s = _binary_scores(rng)
    return y_true, s, np.round(rng.random(N), 1)


def _score_columns(rng):
    y_true, s = _binary_scores(rng)
    return y_true, np.column_stack([s, np.round(rng.random((N, 2)), 1)])


def _two_samples(rng):
    y_a, s_a = _binary_scores(rng)
    y_b, s_b = _binary_scores(rng)
    return y_a, s_a, y_b[:-6], s_b[:-6]


def _counts(rng):
    trials = rng.integers(1, 30, 6)
    return rng.integers(0, trials + 1), trials


def _curve(rng):
    return np.cumsum(np.round(rng.random(N), 1)), rng.random(N)


def _confusion(rng):
    return (rng.integers(0, 20, size=(3, 3)),)


@dataclass(frozen=True)
class Kind:
    """Positional array arguments of one kind of input.

    ``groups``: the arrays aligned on their first axis (the samples) and the
    keyword of their weights; ``samples=False``: the arrays are not samples
    (counts, curve points, a matrix).
    """

    build: Callable[[np.random.Generator], tuple]
    groups: tuple = (((0, 1), "sample_weight"),)
    samples: bool = True


KINDS = {
    "binary_labels": Kind(_binary_labels),
    "multiclass_labels": Kind(_multiclass_labels),
    "multilabel_labels": Kind(_multilabel_labels),
    "binary_scores": Kind(_binary_scores),
    "multiclass_proba": Kind(_multiclass_proba),
    "multilabel_scores": Kind(_multilabel_scores),
    "relevance": Kind(_relevance),
    "two_scores": Kind(_two_scores, groups=(((0, 1, 2), "sample_weight"),)),
    "score_columns": Kind(_score_columns),
    "two_samples": Kind(_two_samples, groups=(((0, 1), "sample_weight_a"),
                                              ((2, 3), "sample_weight_b"))),
    "counts": Kind(_counts, samples=False),
    "curve_points": Kind(_curve, samples=False),
    "confusion": Kind(_confusion, groups=(((0,), None),), samples=False),
}


# ===========================================================================
# The table
# ===========================================================================
@dataclass(frozen=True)
class Case:
    """One input of a function: its KIND, keyword arguments, whether the
    function refuses it, and the contracts that do not apply to it (why)."""

    kind: str
    params: dict = field(default_factory=dict)
    refused: bool = False
    not_applicable: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    """How to call one public function, and the contracts that do not apply.

    The call is ``f(*lead, *arrays, *tail, **params)``. ``twin`` is the module
    of scikit-learn's function of the same name (None: beyond scikit-learn).
    """

    cases: tuple
    twin: str | None = "sklearn.metrics"
    lead: tuple = ()
    tail: tuple = ()
    not_applicable: dict = field(default_factory=dict)


def _cases(*cases):
    return tuple(c if isinstance(c, Case) else Case(c) for c in cases)


BINARY = Case("binary_labels")
MULTICLASS = Case("multiclass_labels")
MULTILABEL = Case("multilabel_labels")
MACRO = {"average": "macro"}


def _set_wise(**params):
    """precision_score and its family: binary, multiclass and multilabel."""
    return _cases(Case("binary_labels", params),
                  Case("multiclass_labels", {**MACRO, **params}),
                  Case("multilabel_labels", {**MACRO, **params}))


NOT_SAMPLES = "the arrays are not samples"
REPORT_TEXT = ("the text prints weighted supports as floats ('2.0') and counted ones as ints "
               "('2'), as scikit-learn does; the output_dict=True case compares the numbers")
D2_FEW_SAMPLES = ("as scikit-learn: nan with an UndefinedMetricWarning for fewer than two "
                  "samples, empty input included (a documented deliberate exception)")
RESAMPLES = ("resamples draw row positions: permuting or repeating rows changes which rows "
             "each resample holds (only the law of the distribution is invariant)")

TABLE = {
    # ---- classification: labels -> counts -> metric ----------------------
    "accuracy_score": Spec(_cases(MULTICLASS, MULTILABEL)),
    "zero_one_loss": Spec(_cases(MULTICLASS, MULTILABEL)),
    "hamming_loss": Spec(_cases(MULTICLASS, MULTILABEL)),
    "balanced_accuracy_score": Spec(_cases(MULTICLASS, Case("multilabel_labels", refused=True))),
    "matthews_corrcoef": Spec(_cases(MULTICLASS, Case("multilabel_labels", refused=True))),
    "cohen_kappa_score": Spec(_cases(MULTICLASS, Case("multilabel_labels", refused=True))),
    "confusion_matrix": Spec(_cases(MULTICLASS, Case("multiclass_labels", {"normalize": "true"}))),
    "multilabel_confusion_matrix": Spec(_cases(MULTICLASS, MULTILABEL)),
    "class_likelihood_ratios": Spec(_cases(BINARY, Case("multiclass_labels", refused=True),
                                           Case("multilabel_labels", refused=True))),
    "classification_report": Spec(_cases(
        Case("multiclass_labels", {"zero_division": 0.0}, not_applicable={"weights": REPORT_TEXT}),
        Case("multilabel_labels", {"zero_division": 0.0}, not_applicable={"weights": REPORT_TEXT}),
        Case("multiclass_labels", {"zero_division": 0.0, "output_dict": True}))),
    "precision_score": Spec(_set_wise()),
    "recall_score": Spec(_set_wise()),
    "f1_score": Spec(_set_wise()),
    "fbeta_score": Spec(_set_wise(beta=2.0)),
    "jaccard_score": Spec(_set_wise()),
    "precision_recall_fscore_support": Spec(_cases(BINARY, MULTICLASS, MULTILABEL)),
    "specificity_score": Spec(_set_wise(), twin=None),
    "npv_score": Spec(_set_wise(), twin=None),
    "fpr_score": Spec(_set_wise(), twin=None),
    "fnr_score": Spec(_set_wise(), twin=None),
    "mcc_score": Spec(_set_wise(), twin=None),
    "binary_rates": Spec(_cases(BINARY), twin=None),
    "from_confusion": Spec(_cases(Case("confusion", MACRO)), twin=None, tail=("f1_score",),
                           not_applicable={"permutation": NOT_SAMPLES + " but a matrix of counts"}),
    # ---- ranking: scores -> sorted classes -> one sweep --------------------
    "roc_auc_score": Spec(_cases("binary_scores", Case("binary_scores", {"max_fpr": 0.5}),
                                 Case("multiclass_proba", {"multi_class": "ovr"}),
                                 Case("multiclass_proba", {"multi_class": "ovo"}),
                                 "multilabel_scores")),
    "average_precision_score": Spec(_cases("binary_scores", "multiclass_proba",
                                           "multilabel_scores")),
    "roc_curve": Spec(_cases("binary_scores", Case("binary_scores", {"drop_intermediate": False}))),
    "precision_recall_curve": Spec(_cases("binary_scores",
                                          Case("binary_scores", {"drop_intermediate": True}))),
    "det_curve": Spec(_cases("binary_scores", Case("binary_scores", {"drop_intermediate": True}))),
    "confusion_matrix_at_thresholds": Spec(_cases("binary_scores")),
    "auc": Spec(_cases("curve_points"),
                not_applicable={"permutation": "the points of a curve, in curve order"}),
    "top_k_accuracy_score": Spec(_cases("multiclass_proba")),
    "coverage_error": Spec(_cases("multilabel_scores")),
    "label_ranking_average_precision_score": Spec(_cases("multilabel_scores")),
    "label_ranking_loss": Spec(_cases("multilabel_scores")),
    "dcg_score": Spec(_cases("relevance", Case("relevance", {"k": 2, "ignore_ties": True}))),
    "ndcg_score": Spec(_cases("relevance", Case("relevance", {"k": 2}))),
    "best_threshold": Spec(_cases("binary_scores", Case("binary_scores", {"criterion": "f1"})),
                           twin=None),
    "recall_at_precision": Spec(_cases(Case("binary_scores", {"min_precision": 0.6})), twin=None),
    "precision_at_recall": Spec(_cases(Case("binary_scores", {"min_recall": 0.6})), twin=None),
    "sensitivity_at_specificity": Spec(_cases(Case("binary_scores", {"min_specificity": 0.6})),
                                       twin=None),
    "specificity_at_sensitivity": Spec(_cases(Case("binary_scores", {"min_sensitivity": 0.6})),
                                       twin=None),
    "metrics_at_thresholds": Spec(_cases("binary_scores"), twin=None),
    "metric_at_thresholds": Spec(_cases(Case("binary_scores",
                                             {"metric_func": cymetrics.f1_score}))),
    # ---- probabilistic -----------------------------------------------------
    "log_loss": Spec(_cases("binary_scores", "multiclass_proba")),
    "brier_score_loss": Spec(_cases("binary_scores", "multiclass_proba")),
    "d2_log_loss_score": Spec(_cases("binary_scores", "multiclass_proba"),
                              not_applicable={"empty": D2_FEW_SAMPLES}),
    "d2_brier_score": Spec(_cases("binary_scores", "multiclass_proba"),
                           not_applicable={"empty": D2_FEW_SAMPLES}),
    "hinge_loss": Spec(_cases("binary_scores", "multiclass_proba")),
    "calibration_curve": Spec(_cases("binary_scores",
                                     Case("binary_scores", {"strategy": "quantile"})),
                              twin="sklearn.calibration"),
    "expected_calibration_error": Spec(_cases("binary_scores", "multiclass_proba"), twin=None),
    "maximum_calibration_error": Spec(_cases("binary_scores", "multiclass_proba"), twin=None),
    # ---- inference ---------------------------------------------------------
    "roc_auc_ci": Spec(_cases("binary_scores"), twin=None),
    "delong_test": Spec(_cases("two_scores"), twin=None),
    "delong_covariance": Spec(_cases("score_columns"), twin=None),
    "delong_test_unpaired": Spec(_cases("two_samples"), twin=None),
    "bootstrap_ci": Spec(_cases(Case("binary_scores", {"n_resamples": 20, "random_state": 0})),
                         twin=None, lead=(cymetrics.roc_auc_score,),
                         not_applicable={"permutation": RESAMPLES, "weights": RESAMPLES}),
    "proportion_ci": Spec(_cases("counts"), twin=None, not_applicable={
        "permutation": NOT_SAMPLES + " but one (successes, trials) pair per interval",
        "empty": "counts, not samples: no pairs give no intervals, element-wise like numpy",
    }),
    "rate_ci": Spec(_cases(BINARY), twin=None),
    "f1_ci": Spec(_cases(BINARY), twin=None),
}

# Contracts cymetrics does not keep today: strict xfails, so that a fix shows.
# The empty contract is one test per input kind ("<function>-empty-<kind>"), so
# that a failure on one kind does not hide the others.
# (None today; kept so that a contract broken on purpose shows as a strict xfail.)
KNOWN_BUGS = {}


def _public_functions():
    return sorted(name for name in cymetrics.__all__
                  if callable(getattr(cymetrics, name))
                  and not inspect.isclass(getattr(cymetrics, name)))


def _takes_weights(name):
    params = inspect.signature(getattr(cymetrics, name)).parameters
    names = [w for case in TABLE[name].cases for _, w in KINDS[case.kind].groups]
    return all(w is not None and w in params for w in names)


def _applies(name, contract):
    spec = TABLE[name]
    if contract in spec.not_applicable:
        return False
    if contract == "permutation":
        return all(KINDS[c.kind].samples for c in spec.cases)
    if contract == "weights":
        return _takes_weights(name)
    return True


def _kinds(name):
    """The input kinds of ``name`` with at least one case it accepts, in order."""
    return list(dict.fromkeys(c.kind for c in TABLE[name].cases if not c.refused))


def _params():
    for name in _public_functions():
        for contract in CONTRACTS:
            if name not in TABLE or not _applies(name, contract):
                continue
            for kind in _kinds(name) if contract == "empty" else [None]:
                key = (name, contract, kind) if kind else (name, contract)
                marks = ()
                if key in KNOWN_BUGS:
                    marks = pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key])
                ident = f"{name}-{contract}" + (f"-{kind}" if kind else "")
                yield pytest.param(name, contract, kind, marks=marks, id=ident)


# ===========================================================================
# Calls
# ===========================================================================
def _arrays_in(obj):
    """Every ndarray inside a result (tuples, lists, dicts, dataclasses)."""
    if isinstance(obj, np.ndarray):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from _arrays_in(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _arrays_in(item)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _arrays_in(getattr(obj, f.name))


def call(name, arrays, weights=None, params=None):
    """The outcome of ``name`` on ``arrays`` (and ``weights``: keyword ->
    array); checks that no input is modified and no output aliases one."""
    spec = TABLE[name]
    kwargs = {**(params or {}), **(weights or {})}
    inputs = list(arrays) + list((weights or {}).values())
    before = [snapshot(a) for a in inputs]
    for b, a in zip(before, inputs):
        if isinstance(a, np.ndarray) and not a.flags.writeable:
            b.flags.writeable = False
    outcome = Outcome(getattr(cymetrics, name), *spec.lead, *arrays, *spec.tail, **kwargs)
    for i, (b, a) in enumerate(zip(before, inputs)):
        assert_unmodified(b, a, f"{name}: input {i}")
    if not outcome.raised:
        for out in _arrays_in(outcome.result):
            for a in inputs:
                if isinstance(a, np.ndarray):
                    assert not np.shares_memory(out, a), f"{name}: an output aliases an input"
    return outcome


@dataclass
class Input:
    """One case of one function, built: its arrays; two sets of weights, int64
    from 0 to 3 and float64 from {0, 0.5, 1, 1.25, 2, 3} (integer and float
    counts take paths of their own, zero weights too; dyadic values keep every
    sum exact, so that permutations give bit-identical curves); repetition
    counts from 1 to 3 for the weights contract (a zero count could drop a
    class that a zero weight keeps)."""

    case: Case
    arrays: tuple
    weights: tuple
    counts: dict

    @property
    def groups(self):
        return KINDS[self.case.kind].groups

    def applies(self, contract):
        return contract not in self.case.not_applicable

    def __str__(self):
        return f"{self.case.kind} {self.case.params}"


def _inputs(name, contract):
    for case in TABLE[name].cases:
        kind = KINDS[case.kind]
        rng = np.random.default_rng(stable_seed("test_common", case.kind))
        arrays = tuple(kind.build(rng))
        ints, floats, counts = {}, {}, {}
        for idx, weight_name in kind.groups:
            if weight_name is not None:
                n = len(arrays[idx[0]])
                ints[weight_name] = rng.integers(0, 4, n)
                floats[weight_name] = rng.choice([0.0, 0.5, 1.0, 1.25, 2.0, 3.0], n)
                for w in (ints, floats):
                    w[weight_name][:4] = 1  # both classes keep some weight
                counts[weight_name] = rng.integers(1, 4, n)
        inp = Input(case, arrays, (ints, floats), counts)
        if inp.applies(contract):
            yield inp


def _weight_choices(name, inp):
    """Unweighted, and weighted when the function takes sample weights."""
    return [{}, *inp.weights] if _takes_weights(name) else [{}]


def _describe(weights):
    return ", ".join(f"{k} {v.dtype}" for k, v in weights.items()) or "unweighted"


def _same(expected, got, ctx, exact=False):
    assert_same_outcome(expected, got, exact=exact, ctx=ctx, same_message=True)


def _checked_base(name, inp, weights):
    """The outcome on the plain arrays; a refused case must raise, others not."""
    outcome = call(name, inp.arrays, weights, inp.case.params)
    if inp.case.refused:
        assert outcome.raised, f"{name} {inp}: the table says refused, got {outcome!r}"
    else:
        assert not outcome.raised, f"{name} {inp}: {outcome!r}"
    return outcome


def _check_unmodified(name, kind):
    for inp in _inputs(name, "unmodified"):
        for weights in _weight_choices(name, inp):
            _checked_base(name, inp, weights)


# ===========================================================================
# Layouts
# ===========================================================================
def _readonly(a):
    a = a.copy()
    a.flags.writeable = False
    return a


def _strided(a):
    """A view of a copy of ``a`` with a step of 2 on every axis."""
    big = a
    for axis in range(a.ndim):
        big = np.repeat(big, 2, axis=axis)
    return big[(slice(None, None, 2),) * a.ndim]


def _bigendian(a):
    return a.astype(a.dtype.newbyteorder(">")) if a.dtype.kind in "iuf" else a


def _unaligned(a):
    """A copy of ``a`` at an odd address (numbers wider than a byte only)."""
    if a.dtype.kind not in "iuf" or a.dtype.itemsize == 1:
        return a
    raw = np.empty(a.nbytes + 1, dtype=np.uint8)[1:]
    out = raw.view(a.dtype).reshape(a.shape)
    out[...] = a
    assert not out.flags.aligned
    return out


LAYOUT_VARIANTS = {
    "lists": [lambda a: a.tolist()],
    "readonly": [_readonly],
    "noncontiguous": [_strided, lambda a: np.asfortranarray(a) if a.ndim == 2 else _strided(a)],
    "bigendian": [_bigendian],
    "unaligned": [_unaligned],
}


def _check_layout(name, contract):
    for inp in _inputs(name, contract):
        for weights in _weight_choices(name, inp):
            expected = _checked_base(name, inp, weights)
            for variant in LAYOUT_VARIANTS[contract]:
                arrays = tuple(variant(a) for a in inp.arrays)
                w = {k: variant(v) for k, v in weights.items()}
                got = call(name, arrays, w, inp.case.params)
                _same(expected, got, f"{name} {contract} {inp} {_describe(weights)}",
                      exact=True)


# ===========================================================================
# Sample-level contracts
# ===========================================================================
def _check_permutation(name, kind):
    rng = np.random.default_rng(stable_seed("permutation", name))
    for inp in _inputs(name, "permutation"):
        if inp.case.refused:
            continue
        for weights in _weight_choices(name, inp):
            expected = _checked_base(name, inp, weights)
            arrays, w = list(inp.arrays), dict(weights)
            for idx, weight_name in inp.groups:
                order = rng.permutation(len(arrays[idx[0]]))
                for i in idx:
                    arrays[i] = arrays[i][order]
                if weight_name in w:
                    w[weight_name] = w[weight_name][order]
            got = call(name, tuple(arrays), w, inp.case.params)
            _same(expected, got, f"{name} permutation {inp} {_describe(weights)}")


def _ints_as_floats(obj):
    """Counts are integers without weights and floats with them (as in
    scikit-learn): the weights contract compares their values."""
    if isinstance(obj, np.ndarray):
        return obj.astype(np.float64) if obj.dtype.kind in "iu" else obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, bool):
        return float(obj)
    if isinstance(obj, tuple):
        items = [_ints_as_floats(v) for v in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else tuple(items)
    if isinstance(obj, dict):
        return {k: _ints_as_floats(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _ints_as_floats(getattr(obj, f.name))
                                           for f in dataclasses.fields(obj) if f.init})
    return obj


def _check_weights(name, kind):
    for inp in _inputs(name, "weights"):
        if inp.case.refused:
            continue
        weighted = _checked_base(name, inp, inp.counts)
        arrays = list(inp.arrays)
        for idx, weight_name in inp.groups:
            for i in idx:
                arrays[i] = np.repeat(arrays[i], inp.counts[weight_name], axis=0)
        repeated = call(name, tuple(arrays), None, inp.case.params)
        for outcome in (weighted, repeated):
            outcome.result = _ints_as_floats(outcome.result)
        _same(repeated, weighted, f"{name} weights {inp}")


def _check_empty(name, kind):
    for inp in _inputs(name, "empty"):
        if inp.case.refused or inp.case.kind != kind:
            continue
        empty = tuple(a[:0] for a in inp.arrays)
        outcome = call(name, empty, None, inp.case.params)
        assert isinstance(outcome.exc, ValueError), f"{name} {inp}: {outcome!r}"
        message = str(outcome.exc)
        assert message.strip(), f"{name} {inp}: ValueError without a message"
        assert EMPTY_MESSAGE.search(message), f"{name} {inp}: unclear message {message!r}"


# ===========================================================================
# Signature
# ===========================================================================
def _same_default(a, b):
    if a is b:
        return True
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def _check_signature(name, kind):
    spec = TABLE[name]
    ours = inspect.signature(getattr(cymetrics, name)).parameters
    if spec.twin is None:
        assert not hasattr(sklearn.metrics, name), (
            f"scikit-learn has {name} now: give it its twin in TABLE")
        return
    theirs = inspect.signature(getattr(importlib.import_module(spec.twin), name)).parameters
    assert [(p.name, p.kind) for p in ours.values()] == [(p.name, p.kind) for p in theirs.values()]
    for p in ours.values():
        q = theirs[p.name]
        assert _same_default(p.default, q.default), (
            f"{name}({p.name}=...): default {p.default!r} != scikit-learn's {q.default!r}")


CHECKS = {
    "signature": _check_signature,
    "unmodified": _check_unmodified,
    **{layout: (lambda name, kind, layout=layout: _check_layout(name, layout))
       for layout in LAYOUTS},
    "permutation": _check_permutation,
    "weights": _check_weights,
    "empty": _check_empty,
}


@pytest.mark.parametrize("name, contract, kind", list(_params()))
def test_contract(name, contract, kind):
    CHECKS[contract](name, kind)


def test_table_covers_every_public_function():
    """Every function of cymetrics.__all__ is in TABLE (and nothing else is);
    every excluded contract says why; every known bug names a test."""
    assert sorted(TABLE) == _public_functions()
    for name, spec in TABLE.items():
        assert spec.cases, name
        excluded = [spec.not_applicable] + [c.not_applicable for c in spec.cases]
        for contract, reason in (item for d in excluded for item in d.items()):
            assert contract in CONTRACTS and reason.strip(), (name, contract)
    ids = {p.id for p in _params()}
    for key, reason in KNOWN_BUGS.items():
        assert "-".join(key) in ids and reason.strip(), key
