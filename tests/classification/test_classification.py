"""Differential (vs scikit-learn 1.9) and property tests of the confusion-derived
classification metrics.

* ``test_random_*``: thousands of seeded random inputs (binary, multiclass and
  multilabel targets; int / float / bool / str labels; weights with zeros;
  every average, zero_division, labels and pos_label choice) whose outcome
  (value to rtol=1e-12, dtype, shape, warnings, exception type) must equal
  scikit-learn's.
* ``test_hand_*``: values computed by hand.
* ``test_bad_input_*`` / ``test_contract_*``: errors and input handling
  (lists, read-only, strided, Fortran-ordered and big-endian arrays, inputs
  left untouched, signatures: tests/test_common.py).
* ``test_property_*``: hypothesis invariances (cymetrics only).
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import cymetrics

SET_WISE = ["precision_score", "recall_score", "f1_score", "fbeta_score",
            "jaccard_score", "precision_recall_fscore_support"]
MATCHING = ["accuracy_score", "zero_one_loss", "hamming_loss"]
ONE_D_ONLY = ["balanced_accuracy_score", "matthews_corrcoef", "cohen_kappa_score"]
FUNCS = SET_WISE + MATCHING + ONE_D_ONLY + [
    "multilabel_confusion_matrix", "class_likelihood_ratios", "classification_report"]
AVERAGES = ["binary", "micro", "macro", "weighted", "samples", None]
ZERO_DIVISIONS = ["warn", 0, 1, 0.0, 1.0, np.nan]
BETAS = [0, 0.5, 1, 2.0, 3, np.inf]
# Weight modes: f32 weights are left out of the multilabel Hamming and
# weighted zero-one totals, where scikit-learn sums them in float32 (see
# test_deliberate_float32_weight_difference).
WEIGHTS = [None, "float", "float_zeros", "int", "int_zeros", "dyadic", "list_int"]
MC_KINDS = ["int", "int_shift", "neg", "big", "int8", "uint8", "int32", "float",
            "str", "str_obj"]
N_VALUES = [1, 2, 3, 7, 30, 200]
# Random cases per (function, label kind): 15 x (10 x 12 + 7 x 10 + 6 x 8) = 3570.
N_MULTICLASS, N_BINARY, N_MULTILABEL = 12, 10, 8


def cy(name):
    return getattr(cymetrics, name)


# ---------------------------------------------------------------------------
# Random inputs
# ---------------------------------------------------------------------------
def _unseen(values):
    """A label of the same kind as ``values`` that is not among them."""
    if values.dtype.kind in "UO":
        return "zzz_unseen"
    if values.dtype.kind == "b":
        return 7
    return values.max() + 1 if values.dtype.kind != "u" or values.max() < 250 else 3


def multiclass_labels(rng, n, kind, k, gen):
    """y_true, y_pred over ``k`` classes of ``kind`` (about half right)."""
    values = gen.class_values(kind, k) if kind != "bool" else np.array([False, True])
    k = values.shape[0]
    # Sometimes one side only uses part of the classes.
    k_true = k if rng.random() < 0.7 else max(1, int(rng.integers(1, k + 1)))
    y_true = values[rng.integers(0, k_true, n)]
    noise = values[rng.integers(0, k, n)]
    y_pred = np.where(rng.random(n) < rng.choice([0.0, 0.5, 0.9]), y_true, noise)
    if rng.random() < 0.1:
        y_pred = np.full(n, values[int(rng.integers(k))], dtype=values.dtype)
    if values.dtype == object:
        y_pred = y_pred.astype(object)
    if rng.random() < 0.15:
        return y_true.tolist(), y_pred.tolist(), values
    return y_true, y_pred, values


def multilabel_labels(rng, n, n_labels, dtype):
    density = rng.choice([0.0, 0.1, 0.5, 0.9])
    y_true = rng.random((n, n_labels)) < density
    flip = rng.random((n, n_labels)) < rng.choice([0.0, 0.2, 0.5])
    y_pred = y_true ^ flip
    return y_true.astype(dtype), y_pred.astype(dtype)


def random_kwargs(fname, rng, values, multilabel, n_labels=0):
    """Random, valid keyword arguments for ``fname``."""
    kw = {}
    classes = np.arange(n_labels) if multilabel else values

    def pick(options):
        return options[int(rng.integers(len(options)))]

    def random_labels():
        if rng.random() < 0.5:
            return None
        size = int(rng.integers(1, classes.shape[0] + 2))
        chosen = list(rng.choice(classes, size=min(size, classes.shape[0]), replace=False))
        if not multilabel and rng.random() < 0.3:
            chosen.append(_unseen(values))
        if rng.random() < 0.1:
            chosen.append(chosen[0])  # duplicates are kept in order
        if values.dtype == object and not multilabel:
            return [str(c) for c in chosen] if isinstance(chosen[0], str) else chosen
        return chosen

    if fname in SET_WISE:
        kw["average"] = pick(AVERAGES)
        kw["labels"] = random_labels()
        if rng.random() < 0.6 and not multilabel:
            kw["pos_label"] = pick(list(values))
        zd = ZERO_DIVISIONS if fname != "jaccard_score" else ["warn", 0, 1]
        kw["zero_division"] = pick(zd)
        if fname == "fbeta_score":
            kw["beta"] = pick(BETAS)
        if fname == "precision_recall_fscore_support":
            if rng.random() < 0.5:
                kw["beta"] = pick(BETAS)
            if rng.random() < 0.4:
                kw["warn_for"] = pick([("precision",), ["recall", "f-score"], {"f-score"}, ()])
    elif fname in ("accuracy_score", "zero_one_loss"):
        kw["normalize"] = bool(rng.integers(2))
    elif fname == "balanced_accuracy_score":
        kw["adjusted"] = bool(rng.integers(2))
    elif fname == "cohen_kappa_score":
        kw["weights"] = pick([None, "linear", "quadratic"])
        kw["labels"] = random_labels()
        kw["replace_undefined_by"] = pick([np.nan, 0.0, -1.0, 0.5])
    elif fname == "class_likelihood_ratios":
        if rng.random() < 0.4 and values.shape[0] == 2:
            kw["labels"] = list(values[::-1]) if rng.random() < 0.5 else list(values)
        kw["replace_undefined_by"] = pick(
            [np.nan, 1.0, {"LR+": np.inf, "LR-": 0.0}, {"LR+": 2.0, "LR-": np.nan}])
    elif fname == "multilabel_confusion_matrix":
        kw["labels"] = random_labels()
        kw["samplewise"] = bool(multilabel and rng.random() < 0.4)
    return kw


# ---------------------------------------------------------------------------
# API (signatures: tests/test_common.py)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", FUNCS)
def test_api_exported_with_doctest_example(name):
    assert name in cymetrics.__all__
    assert ">>> " in cy(name).__doc__


# ---------------------------------------------------------------------------
# Differential: random inputs
# ---------------------------------------------------------------------------
def _compare_report(oracle, args, kwargs, ctx):
    sk, ours = oracle.both("classification_report", *args, **kwargs)
    if sk.raised:
        oracle.assert_same_exception(sk.exc, ours.exc, ctx)
        return
    assert not ours.raised, f"{ctx}: cymetrics raised {ours.exc!r}"
    oracle.assert_same_warnings(sk, ours, ctx)
    _assert_same_report(sk.result, ours.result, ctx)


def _assert_same_report(expected, got, ctx):
    assert type(got) is type(expected), ctx
    if isinstance(expected, str):
        assert got == expected, f"{ctx}\n{expected}\n{got}"
        return
    assert list(got) == list(expected), ctx
    for key, value in expected.items():
        if isinstance(value, dict):
            assert list(got[key]) == list(value), ctx
            np.testing.assert_allclose(list(got[key].values()), list(value.values()),
                                       rtol=1e-12, atol=1e-15, equal_nan=True, err_msg=ctx)
            assert all(isinstance(v, float) for v in got[key].values()), ctx
        else:
            np.testing.assert_allclose(got[key], value, rtol=1e-12, err_msg=ctx)


def _run_cases(oracle, fname, cases, ctx):
    if fname == "classification_report":
        for args, kwargs, case_ctx in cases:
            _compare_report(oracle, args, kwargs, case_ctx)
        return len(cases)
    return oracle.compare_many(fname, cases, ctx=ctx)


@pytest.mark.parametrize("kind", MC_KINDS)
@pytest.mark.parametrize("fname", FUNCS)
def test_random_multiclass_vs_sklearn(fname, kind, gen, oracle):
    rng = gen.rng("multiclass", fname, kind)
    cases = []
    for i in range(N_MULTICLASS):
        n = int(rng.choice(N_VALUES))
        k = int(rng.choice([1, 2, 3, 5, 12]))
        y_true, y_pred, values = multiclass_labels(rng, n, kind, k, gen)
        weight_mode = WEIGHTS[int(rng.integers(len(WEIGHTS)))]
        kw = random_kwargs(fname, rng, values, multilabel=False)
        w = gen.weights(rng, n, weight_mode)
        if w is not None:
            kw["sample_weight"] = w
        if fname == "classification_report":
            kw.update(_report_kwargs(rng, kw, values))
        ctx = f"case {i}: n={n} k={k} kind={kind} weights={weight_mode} kw={kw}"
        cases.append(((y_true, y_pred), kw, ctx))
    assert _run_cases(oracle, fname, cases, f"{fname}/{kind}") == N_MULTICLASS


def _report_kwargs(rng, kw, values):
    extra = {"digits": int(rng.choice([0, 2, 4])), "output_dict": bool(rng.integers(2)),
             "zero_division": ZERO_DIVISIONS[int(rng.integers(len(ZERO_DIVISIONS)))]}
    if rng.random() < 0.3:
        labels = values[: int(rng.integers(1, values.shape[0] + 1))]
        extra["labels"] = labels
        extra["target_names"] = [f"name {v}" for v in labels]
    return extra


BINARY_KINDS = ["01", "pm1", "bool", "float01", "str", "str_obj", "int25"]


@pytest.mark.parametrize("kind", BINARY_KINDS)
@pytest.mark.parametrize("fname", FUNCS)
def test_random_binary_vs_sklearn(fname, kind, gen, oracle):
    rng = gen.rng("binary", fname, kind)
    neg, pos, _ = gen.label_kinds[kind]
    values = np.array([neg, pos], dtype=object if kind == "str_obj" else None)
    cases = []
    for i in range(N_BINARY):
        n = int(rng.choice(N_VALUES))
        y_true = gen.labels(rng, n, kind)
        y_pred = gen.labels(rng, n, kind)
        right = rng.random(n) < 0.6
        if isinstance(y_true, np.ndarray):
            y_pred = np.where(right, y_true, y_pred).astype(y_true.dtype)
        kw = random_kwargs(fname, rng, values, multilabel=False)
        if fname in SET_WISE and rng.random() < 0.5:
            kw["average"] = "binary"
        weight_mode = WEIGHTS[int(rng.integers(len(WEIGHTS)))]
        w = gen.weights(rng, n, weight_mode)
        if w is not None:
            kw["sample_weight"] = w
        ctx = f"case {i}: n={n} kind={kind} weights={weight_mode} kw={kw}"
        cases.append(((y_true, y_pred), kw, ctx))
    _run_cases(oracle, fname, cases, f"{fname}/{kind}")


ML_DTYPES = [np.int64, np.bool_, np.float64, np.uint8, np.int32, np.float32]


@pytest.mark.parametrize("dtype", ML_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("fname", FUNCS)
def test_random_multilabel_vs_sklearn(fname, dtype, gen, oracle):
    rng = gen.rng("multilabel", fname, np.dtype(dtype).name)
    cases = []
    for i in range(N_MULTILABEL):
        n = int(rng.choice([1, 2, 5, 40, 300]))
        n_labels = int(rng.choice([2, 3, 6]))
        y_true, y_pred = multilabel_labels(rng, n, n_labels, dtype)
        kw = random_kwargs(fname, rng, np.arange(n_labels), multilabel=True, n_labels=n_labels)
        weight_mode = WEIGHTS[int(rng.integers(len(WEIGHTS)))]
        w = gen.weights(rng, n, weight_mode)
        if w is not None:
            kw["sample_weight"] = w
        if fname == "classification_report":
            kw["output_dict"] = bool(rng.integers(2))
        ctx = f"case {i}: n={n} L={n_labels} weights={weight_mode} kw={kw}"
        cases.append(((y_true, y_pred), kw, ctx))
    _run_cases(oracle, fname, cases, f"{fname}/{np.dtype(dtype).name}")


@pytest.mark.parametrize("fname", ["f1_score", "multilabel_confusion_matrix",
                                   "matthews_corrcoef", "cohen_kappa_score",
                                   "accuracy_score", "classification_report"])
@pytest.mark.parametrize("config", ["mc10", "mc100_weighted", "binary_str", "multilabel20"])
def test_random_large_vs_sklearn(fname, config, gen, oracle):
    """Large inputs take the K x K counting paths (small ones are counted per class)."""
    rng = gen.rng("large", fname, config)
    n = 100_000
    kw = {}
    if config == "mc10":
        y_true = rng.integers(-3, 7, n).astype(np.int32)
        y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(-3, 7, n)).astype(np.int32)
    elif config == "mc100_weighted":
        y_true = rng.integers(0, 100, n)
        y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, 100, n))
        kw["sample_weight"] = rng.random(n)
    elif config == "binary_str":
        y_true = np.where(rng.random(n) < 0.1, "spam", "ham")
        y_pred = np.where(rng.random(n) < 0.9, y_true, "spam")
    else:
        n = 20_000
        y_true, y_pred = multilabel_labels(rng, n, 20, np.int64)
    if fname == "f1_score":
        kw["average"] = "macro" if config != "binary_str" else "binary"
        if config == "binary_str":
            kw["pos_label"] = "spam"
    if fname == "classification_report":
        _compare_report(oracle, (y_true, y_pred), kw, config)
        return
    oracle.compare(fname, y_true, y_pred, ctx=config, **kw)


def test_random_many_classes_per_class_path(gen, oracle):
    """Sparse large integer labels (encoded and counted without a K x K matrix)."""
    rng = gen.rng("many-classes")
    n = 10_000
    classes = rng.choice(10**9, size=2500, replace=False)
    y_true = classes[rng.integers(0, 2500, n)]
    y_pred = np.where(rng.random(n) < 0.5, y_true, classes[rng.integers(0, 2500, n)])
    w = rng.random(n)
    for fname, kw in [
        ("f1_score", {"average": "macro"}),
        ("precision_score", {"average": "weighted"}),
        ("recall_score", {"average": None}),
        ("matthews_corrcoef", {}),
        ("balanced_accuracy_score", {}),
        ("jaccard_score", {"average": "micro"}),
    ]:
        oracle.compare(fname, y_true, y_pred, ctx="many classes", **kw)
        oracle.compare(fname, y_true, y_pred, ctx="many classes weighted", sample_weight=w, **kw)


# ---------------------------------------------------------------------------
# Parameters and bad input: same exception type as scikit-learn
# ---------------------------------------------------------------------------
BAD_PARAMS = [
    ("precision_score", {"average": "bogus"}),
    ("precision_score", {"average": "binary", "zero_division": "x"}),
    ("precision_score", {"zero_division": 0.5}),
    ("precision_score", {"pos_label": [1]}),
    ("precision_score", {"labels": 3}),
    ("f1_score", {"zero_division": None}),
    ("jaccard_score", {"zero_division": np.nan}),
    ("fbeta_score", {"beta": -1}),
    ("fbeta_score", {"beta": np.nan}),
    ("fbeta_score", {"beta": "2"}),
    ("precision_recall_fscore_support", {"warn_for": "f-score"}),
    ("accuracy_score", {"normalize": "yes"}),
    ("zero_one_loss", {"normalize": 1}),
    ("balanced_accuracy_score", {"adjusted": None}),
    ("cohen_kappa_score", {"weights": "cubic"}),
    ("cohen_kappa_score", {"replace_undefined_by": 2}),
    ("cohen_kappa_score", {"replace_undefined_by": "nan"}),
    ("class_likelihood_ratios", {"replace_undefined_by": 0.5}),
    ("class_likelihood_ratios", {"replace_undefined_by": {"LR+": 0.5, "LR-": 0.0}}),
    ("class_likelihood_ratios", {"replace_undefined_by": {"LR+": 2.0}}),
    ("class_likelihood_ratios", {"replace_undefined_by": {"LR+": 2.0, "LR-": 3.0}}),
    ("multilabel_confusion_matrix", {"samplewise": "yes"}),
    ("classification_report", {"digits": -1}),
    ("classification_report", {"digits": 1.5}),
    ("classification_report", {"output_dict": "no"}),
    ("classification_report", {"zero_division": 2}),
    ("hamming_loss", {"sample_weight": 2.0}),
]


@pytest.mark.parametrize("fname,kwargs", BAD_PARAMS, ids=lambda v: str(v)[:40])
def test_bad_params_same_exception_as_sklearn(fname, kwargs, oracle):
    sk, ours = oracle.compare(fname, [0, 1, 1, 0], [0, 1, 0, 0], **kwargs)
    assert sk.raised and ours.raised


ML = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]])
BAD_INPUTS = {
    "continuous": ([0.5, 1.5, 2.0], [0, 1, 2]),
    "continuous_both": ([0.5, 1.5, 2.0], [0.1, 1, 2]),
    "nan": ([0, np.nan, 1], [0, 1, 1]),
    "inf": ([0, np.inf, 1], [0, 1, 1]),
    "length": ([0, 1, 1], [0, 1]),
    "empty": ([], []),
    "str_vs_int": (["a", "b", "a"], [0, 1, 0]),
    "mixed_in_one": (np.array(["a", 1, 2], dtype=object), [0, 1, 0]),
    "bytes": (np.array([b"a", b"b"]), np.array([b"a", b"a"])),
    "multiclass_multioutput": (np.array([[0, 2], [1, 0]]), np.array([[0, 1], [1, 0]])),
    "ml_vs_1d": (ML, [0, 1, 0]),
    "ml_shape": (ML, ML[:, :2]),
    "ml_continuous": (ML * 0.5, ML),
    "ml_nan": (np.array([[0, np.nan], [1, 0]]), np.array([[0, 1], [1, 0]])),
    "3d": (np.zeros((2, 2, 2)), np.zeros((2, 2, 2))),
    "string_y": ("abc", [0, 1, 0]),
    "none_y": (None, [0, 1]),
    "weight_length": ([0, 1, 1], [0, 1, 0], {"sample_weight": [1, 2]}),
    "weight_zero": ([0, 1, 1], [0, 1, 0], {"sample_weight": [0, 0, 0]}),
    "weight_2d": ([0, 1, 1], [0, 1, 0], {"sample_weight": [[1, 1, 1]]}),
    "weight_nan": ([0, 1, 1], [0, 1, 0], {"sample_weight": [1, np.nan, 1]}),
    "ml_weight_zero": (ML, ML, {"sample_weight": [0, 0, 0]}),
}


@pytest.mark.parametrize("case_id", sorted(BAD_INPUTS))
@pytest.mark.parametrize("fname", FUNCS)
def test_bad_input_same_exception_as_sklearn(fname, case_id, oracle):
    y_true, y_pred, *extra = BAD_INPUTS[case_id]
    kw = extra[0] if extra else {}
    sk, ours = oracle.both(fname, y_true, y_pred, **kw)
    assert sk.raised, f"sklearn accepted {case_id}"
    oracle.assert_same_exception(sk.exc, ours.exc, ctx=f"{fname}/{case_id}")


SETWISE_ERRORS = [
    ("binary_on_multiclass", [0, 1, 2], [0, 1, 1], {"average": "binary"}),
    ("binary_on_multilabel", ML, ML, {"average": "binary"}),
    ("samples_on_multiclass", [0, 1, 2], [0, 1, 1], {"average": "samples"}),
    ("pos_label_absent", [0, 1, 1], [0, 1, 0], {"pos_label": 2}),
    ("pos_label_str", [0, 1, 1], [0, 1, 0], {"pos_label": "1"}),
    ("pos_label_none", ["a", "b"], ["a", "a"], {"pos_label": None}),
    ("ml_label_too_big", ML, ML, {"average": "macro", "labels": [3]}),
    ("ml_label_negative", ML, ML, {"average": "macro", "labels": [-1]}),
]


@pytest.mark.parametrize("fname", SET_WISE)
@pytest.mark.parametrize("case", SETWISE_ERRORS, ids=lambda c: c[0])
def test_bad_input_set_wise_same_exception(fname, case, oracle):
    _, y_true, y_pred, kw = case
    kw = {"average": "binary", **kw}
    if fname == "fbeta_score":
        kw = {**kw, "beta": 2}
    sk, ours = oracle.compare(fname, y_true, y_pred, **kw)
    assert sk.raised


def test_bad_input_negative_weights_refused():
    # A deliberate difference: scikit-learn accepts them.
    for fname in FUNCS:
        kw = {"beta": 2} if fname == "fbeta_score" else {}
        with pytest.raises(ValueError, match="negative"):
            cy(fname)([0, 1, 1], [0, 1, 0], sample_weight=[1, -1, 1], **kw)


EDGE_ACCEPTED = {
    "one_sample": ([1], [1]),
    "one_class_both": ([3, 3, 3], [3, 3, 3]),
    "pred_not_in_true": ([0, 0, 1], [2, 2, 1]),
    "labels_empty": ([0, 1, 2], [0, 2, 1], {"labels": []}),
    "labels_all_unseen": ([0, 1, 2], [0, 2, 1], {"labels": [7, 8]}),
    "labels_str_unseen": (["a", "b"], ["a", "a"], {"labels": ["c"]}),
    "column_vector": (np.array([[0], [1], [1]]), np.array([[0], [1], [0]])),
    "ml_all_zero": (np.zeros((3, 2), int), np.zeros((3, 2), int)),
    "ml_values_02": (ML * 2, ML),
    "ml_values_12": (ML + 1, ML + 1),
    "ml_values_pm1": (ML * 2 - 1, ML),
    "ml_float_labels": (ML.astype(float), ML.astype(np.int8)),
    "ml_list": (ML.tolist(), ML[::-1].tolist()),
    "ml_bool_vs_int": (ML.astype(bool), ML[::-1]),
    "bool_labels": (np.array([True, False, True]), np.array([True, True, False])),
    "int_vs_float": ([0, 1, 2, 1], [0.0, 1.0, 1.0, 2.0]),
    "big_ints": ([10**12, 5, 10**12], [5, 5, 10**12]),
    "zero_weight_class": ([0, 1, 2], [0, 1, 1], {"sample_weight": [1.0, 2.0, 0.0]}),
    "bool_weights": ([0, 1, 2], [0, 1, 1], {"sample_weight": np.array([True, True, False])}),
}


@pytest.mark.parametrize("case_id", sorted(EDGE_ACCEPTED))
@pytest.mark.parametrize("fname", FUNCS)
def test_accepted_edge_inputs_same_as_sklearn(fname, case_id, oracle):
    y_true, y_pred, *extra = EDGE_ACCEPTED[case_id]
    kw = dict(extra[0]) if extra else {}
    if "labels" in kw and fname not in SET_WISE + ["multilabel_confusion_matrix",
                                                   "cohen_kappa_score", "classification_report"]:
        kw.pop("labels")
    if fname == "fbeta_score":
        kw["beta"] = 0.5
    if fname in SET_WISE:
        kw["average"] = "macro"
    if fname == "classification_report":
        _compare_report(oracle, (y_true, y_pred), kw, case_id)
        return
    oracle.compare(fname, y_true, y_pred, ctx=case_id, **kw)


@pytest.mark.parametrize("fname", ["hamming_loss", "zero_one_loss"])
def test_deliberate_float32_weight_difference(fname):
    """scikit-learn averages float32 weights in float32 there; we sum in float64."""
    rng = np.random.default_rng(0)
    y_true, y_pred = multilabel_labels(rng, 1000, 5, np.int64)
    w = rng.random(1000).astype(np.float32)
    kw = {} if fname == "hamming_loss" else {"normalize": False}
    exact = cy(fname)(y_true, y_pred, sample_weight=w.astype(np.float64), **kw)
    assert cy(fname)(y_true, y_pred, sample_weight=w, **kw) == exact
    np.testing.assert_allclose(getattr(skm, fname)(y_true, y_pred, sample_weight=w, **kw),
                               exact, rtol=1e-5)


# ---------------------------------------------------------------------------
# Hand-computed values
# ---------------------------------------------------------------------------
def test_hand_multiclass_prf():
    #            pred:  0  1  2
    # true 0:           2  1  0
    # true 1:           0  1  1
    # true 2:           1  0  3
    y_true = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 0, 1, 1, 2, 0, 2, 2, 2]
    p, r, f, s = cymetrics.precision_recall_fscore_support(y_true, y_pred)
    np.testing.assert_allclose(p, [2 / 3, 1 / 2, 3 / 4], rtol=1e-15)
    np.testing.assert_allclose(r, [2 / 3, 1 / 2, 3 / 4], rtol=1e-15)
    np.testing.assert_array_equal(s, [3, 2, 4])
    assert s.dtype == np.int64
    assert cymetrics.precision_score(y_true, y_pred, average="micro") == pytest.approx(6 / 9)
    assert cymetrics.f1_score(y_true, y_pred, average="weighted") == pytest.approx(
        (3 * 2 / 3 + 2 * 1 / 2 + 4 * 3 / 4) / 9)
    assert cymetrics.jaccard_score(y_true, y_pred, average=None)[2] == pytest.approx(3 / 5)
    assert cymetrics.accuracy_score(y_true, y_pred) == pytest.approx(6 / 9)
    assert cymetrics.balanced_accuracy_score(y_true, y_pred) == pytest.approx(
        (2 / 3 + 1 / 2 + 3 / 4) / 3
    )


@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_hand_fbeta_formula(beta):
    # tp=3, fp=1, fn=2: P = 3/4, R = 3/5.
    y_true = [1, 1, 1, 1, 1, 0, 0]
    y_pred = [1, 1, 1, 0, 0, 1, 0]
    p, r = 3 / 4, 3 / 5
    expected = (1 + beta**2) * p * r / (beta**2 * p + r)
    assert cymetrics.fbeta_score(y_true, y_pred, beta=beta) == pytest.approx(expected, rel=1e-14)


def test_hand_multilabel_samples_and_mcm():
    y_true = np.array([[0, 1, 1], [1, 1, 0]])
    y_pred = np.array([[1, 1, 1], [1, 0, 0]])
    assert cymetrics.jaccard_score(y_true, y_pred, average="samples") == pytest.approx(
        (2 / 3 + 1 / 2) / 2
    )
    assert cymetrics.hamming_loss(y_true, y_pred) == pytest.approx(2 / 6)
    assert cymetrics.accuracy_score(y_true, y_pred) == 0.0
    mcm = cymetrics.multilabel_confusion_matrix(y_true, y_pred, samplewise=True)
    np.testing.assert_array_equal(mcm, [[[0, 1], [0, 2]], [[1, 0], [1, 1]]])


def test_hand_kappa_and_mcc():
    y1 = ["negative", "positive", "negative", "neutral", "positive"]
    y2 = ["negative", "positive", "negative", "neutral", "negative"]
    assert cymetrics.cohen_kappa_score(y1, y2) == 0.6875
    assert cymetrics.matthews_corrcoef([1, 1, 1, -1], [1, -1, 1, 1]) == pytest.approx(-1 / 3)
    assert cymetrics.class_likelihood_ratios([0, 1, 0, 1, 0], [1, 1, 0, 0, 0]) == (1.5, 0.75)


# ---------------------------------------------------------------------------
# Contract (inputs of any layout, never modified: tests/test_common.py)
# ---------------------------------------------------------------------------
def test_contract_outputs_are_fresh_arrays():
    y_true, y_pred = [0, 1, 2, 2], [0, 2, 2, 1]
    a = cymetrics.precision_score(y_true, y_pred, average=None)
    a[:] = -1
    assert (cymetrics.precision_score(y_true, y_pred, average=None) >= 0).all()
    m = cymetrics.multilabel_confusion_matrix(y_true, y_pred)
    assert m.flags.writeable and m.flags.owndata or m.base is not None


# ---------------------------------------------------------------------------
# Properties (cymetrics only)
# ---------------------------------------------------------------------------
labels_strategy = st.integers(1, 60).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
        st.lists(st.integers(1, 3), min_size=n, max_size=n),
        st.randoms(use_true_random=False),
    )
)
PROPERTY_CALLS = [
    ("f1_score", {"average": "macro", "zero_division": 0.0}),
    ("precision_score", {"average": "weighted", "zero_division": 0.0}),
    ("jaccard_score", {"average": "micro", "zero_division": 0}),
    ("matthews_corrcoef", {}),
    ("accuracy_score", {}),
    ("balanced_accuracy_score", {}),
    ("cohen_kappa_score", {"weights": "quadratic"}),
    ("hamming_loss", {}),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("fname,kw", PROPERTY_CALLS, ids=[c[0] for c in PROPERTY_CALLS])
@given(data=labels_strategy)
def test_property_permutation_and_repetition_invariance(fname, kw, data):
    y_true, y_pred, weights, rnd = data
    y_true, y_pred, weights = map(np.asarray, (y_true, y_pred, weights))
    f = cy(fname)
    base = f(y_true, y_pred, sample_weight=weights, **kw)
    perm = np.arange(len(y_true))
    rnd.shuffle(perm)
    assert np.isclose(f(y_true[perm], y_pred[perm], sample_weight=weights[perm], **kw),
                      base, rtol=1e-12, atol=1e-12, equal_nan=True)
    # Integer weights (>= 1, so that every class keeps a sample) are repetitions.
    rep = np.repeat(np.arange(len(y_true)), weights)
    assert np.isclose(f(y_true[rep], y_pred[rep], **kw), base, rtol=1e-12, atol=1e-12,
                      equal_nan=True)


@pytest.mark.filterwarnings("ignore::UserWarning")
@given(data=labels_strategy)
def test_property_relabelling_invariance(data):
    """Renaming classes (monotonically, to strings) changes no averaged score."""
    y_true, y_pred, _, _ = data
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    names = np.array(["a", "b", "c", "d", "e"])
    for fname in ("f1_score", "recall_score", "jaccard_score"):
        kw = {"average": "macro", "zero_division": 0.0}
        assert cy(fname)(y_true, y_pred, **kw) == pytest.approx(
            cy(fname)(names[y_true], names[y_pred], **kw), rel=1e-12)
    assert cymetrics.matthews_corrcoef(y_true, y_pred) == pytest.approx(
        cymetrics.matthews_corrcoef(names[y_true] + "x", names[y_pred] + "x"), rel=1e-12, abs=1e-15)
