"""Differential (vs scikit-learn 1.9) and property tests for the ranking metrics.

Functions under test: roc_curve, roc_auc_score, precision_recall_curve,
average_precision_score, det_curve, confusion_matrix_at_thresholds, auc.

* ``test_random_*``: thousands of seeded random inputs, outcome compared with
  sklearn (values to rtol=1e-12, dtypes, shapes, warnings, exception types).
* ``test_reference_*``: the kernels against the slow twins in reference.py
  (independent of sklearn).
* ``test_property_*``: hypothesis invariance properties (cymetrics only).
* ``test_bad_input_*`` / ``test_contract_*``: error types, input handling
  (lists, read-only, strided and big-endian arrays, inputs left untouched,
  signatures: tests/test_common.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.exceptions import UndefinedMetricWarning as SkUndefinedMetricWarning

import cymetrics
import reference as ref

CURVE_FUNCS = ["roc_curve", "precision_recall_curve", "det_curve", "confusion_matrix_at_thresholds"]
SCORE_FUNCS = ["roc_auc_score", "average_precision_score"]
RANKING_FUNCS = CURVE_FUNCS + SCORE_FUNCS
DROP_FUNCS = ["roc_curve", "precision_recall_curve", "det_curve"]
POS_LABEL_FUNCS = CURVE_FUNCS + ["average_precision_score"]
MAX_FPR_VALUES = [None, 1, 1.0, 0.999, 0.5, 0.3, 0.01, 1e-9]
# n -> number of random inputs of that size in each test_random_vs_sklearn item
RANDOM_N_REPS = {1: 1, 2: 2, 3: 2, 10: 5, 1000: 2}
# reference-twin tolerance: the twins sum in a different order
REF_RTOL = 1e-10
REF_ATOL = 1e-12


def cy(name):
    return getattr(cymetrics, name)


def random_kwargs(fname, rng, case, gen):
    """Random, valid-for-sklearn keyword arguments for ``fname``."""
    kw = {}
    if case.sample_weight is not None:
        kw["sample_weight"] = case.sample_weight
    if fname in DROP_FUNCS and rng.random() < 0.8:
        kw["drop_intermediate"] = bool(rng.integers(2))
    if fname in CURVE_FUNCS:
        pl = gen.pos_label_choice(rng, case)
        if pl is not None or rng.random() < 0.5:
            kw["pos_label"] = pl
    if fname == "average_precision_score":
        pl = gen.pos_label_choice(rng, case, allow_none=False)
        if not (pl == 1 and rng.random() < 0.5):
            kw["pos_label"] = pl
    if fname == "roc_auc_score":
        kw["max_fpr"] = MAX_FPR_VALUES[int(rng.integers(len(MAX_FPR_VALUES)))]
    return kw


# ===========================================================================
# API surface (signatures: tests/test_common.py)
# ===========================================================================
def test_api_undefined_metric_warning_is_user_warning():
    assert issubclass(cymetrics.UndefinedMetricWarning, UserWarning)
    assert cymetrics.UndefinedMetricWarning.__name__ == "UndefinedMetricWarning"


# ===========================================================================
# Random differential tests vs sklearn
# ===========================================================================
@pytest.mark.parametrize("score_kind", ["f64", "f32", "f16", "i64", "i32", "list_f", "list_i"])
@pytest.mark.parametrize("label_kind", ["01", "pm1", "bool", "float01", "str", "str_obj", "int25"])
@pytest.mark.parametrize("fname", RANKING_FUNCS)
def test_random_vs_sklearn(fname, label_kind, score_kind, gen, oracle):
    """12 inputs per item (n in {1, 2, 3, 10, 1000}, mostly small), cycling
    through the tie modes; weight mode, class balance and the function's
    parameters drawn at random."""
    rng = gen.rng("random_vs_sklearn", fname, label_kind, score_kind)

    def cases():
        k = int(rng.integers(len(gen.tie_modes)))
        for n, reps in RANDOM_N_REPS.items():
            for _ in range(reps):
                tie_mode = gen.tie_modes[k % len(gen.tie_modes)]
                k += 1
                weight_mode = gen.weight_modes[int(rng.integers(len(gen.weight_modes)))]
                case = gen.binary_case(rng, n, label_kind, score_kind, tie_mode, weight_mode)
                kw = random_kwargs(fname, rng, case, gen)
                shown = {key: v for key, v in kw.items() if key != "sample_weight"}
                yield case.args(), kw, f"{case.desc} kwargs={shown}"

    n_cases = oracle.compare_many(fname, cases(), ctx=fname)
    assert n_cases == sum(RANDOM_N_REPS.values())


LARGE_CONFIGS = {
    "continuous-f64-noweights": dict(score_kind="f64", tie_mode="none", weight_mode=None),
    "round3-f32-floatweights-zeros": dict(
        score_kind="f32", tie_mode="round3", weight_mode="float_zeros"
    ),
    "int-scores-int-weights": dict(score_kind="i64", tie_mode="round2", weight_mode="int_zeros"),
    "f16-dyadic-weights": dict(score_kind="f16", tie_mode="none", weight_mode="dyadic"),
}


@pytest.mark.parametrize("config", list(LARGE_CONFIGS), ids=list(LARGE_CONFIGS))
@pytest.mark.parametrize("fname", RANKING_FUNCS)
def test_random_large_vs_sklearn(fname, config, gen, oracle):
    rng = gen.rng("large", fname, config)
    case = gen.binary_case(rng, 100_000, "01", p_pos=0.3, **LARGE_CONFIGS[config])
    kw = {} if case.sample_weight is None else {"sample_weight": case.sample_weight}
    if fname in DROP_FUNCS:
        kw["drop_intermediate"] = bool(rng.integers(2))
    oracle.compare(fname, case.y_true, case.y_score, ctx=case.desc, valid_params=True, **kw)


# ===========================================================================
# Parameters
# ===========================================================================
@pytest.mark.parametrize("drop_intermediate", [True, False])
@pytest.mark.parametrize("fname", DROP_FUNCS)
def test_drop_intermediate_values(fname, drop_intermediate, gen, oracle):
    rng = gen.rng("drop", fname, drop_intermediate)
    for n in [3, 10, 50, 1000]:
        case = gen.binary_case(rng, n, "01", "f64", "round1", None, p_pos=0.5)
        oracle.compare(
            fname, case.y_true, case.y_score, drop_intermediate=drop_intermediate, ctx=case.desc
        )
    # the default is sklearn's
    oracle.compare(fname, case.y_true, case.y_score, ctx="default drop_intermediate")


@pytest.mark.parametrize("max_fpr", MAX_FPR_VALUES, ids=[repr(v) for v in MAX_FPR_VALUES])
def test_roc_auc_max_fpr_values(max_fpr, gen, oracle):
    rng = gen.rng("max_fpr", repr(max_fpr))

    def cases():
        for n in [2, 3, 10, 100, 1000]:
            for tie_mode in ["none", "round1", "const"]:
                for weight_mode in [None, "float_zeros"]:
                    case = gen.binary_case(rng, n, "01", "f64", tie_mode, weight_mode, p_pos=0.5)
                    kw = {"max_fpr": max_fpr, "sample_weight": case.sample_weight}
                    yield case.args(), kw, case.desc

    oracle.compare_many("roc_auc_score", cases(), ctx=f"max_fpr={max_fpr}")


@pytest.mark.parametrize("max_fpr", [0, 0.0, -0.5, 1.0000001, 2, np.nan], ids=repr)
def test_roc_auc_invalid_max_fpr_raises_value_error(max_fpr, oracle):
    y, s = [0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(ValueError):
        skm.roc_auc_score(y, s, max_fpr=max_fpr)
    with pytest.raises(ValueError, match="max_fpr"):
        cymetrics.roc_auc_score(y, s, max_fpr=max_fpr)


@pytest.mark.parametrize("average", ["macro", "micro", "weighted", "samples", None], ids=repr)
@pytest.mark.parametrize("fname", SCORE_FUNCS)
def test_binary_average_values(fname, average, gen, oracle):
    rng = gen.rng("average", fname, average)
    for n in [2, 10, 100]:
        case = gen.binary_case(rng, n, "01", "f64", "round2", "int", p_pos=0.4)
        oracle.compare(
            fname,
            case.y_true,
            case.y_score,
            average=average,
            sample_weight=case.sample_weight,
            ctx=case.desc,
        )


@pytest.mark.parametrize(
    "fname,kwargs",
    [
        ("roc_auc_score", {"average": "foo"}),
        ("roc_auc_score", {"average": "MACRO"}),
        ("roc_auc_score", {"multi_class": "foo"}),
        ("roc_auc_score", {"multi_class": None}),
        ("average_precision_score", {"average": "foo"}),
        ("average_precision_score", {"average": ""}),
    ],
    ids=lambda v: v if isinstance(v, str) else repr(v),
)
def test_invalid_string_parameter_raises_value_error(fname, kwargs):
    y, s = [0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8]
    with pytest.raises(ValueError):
        getattr(skm, fname)(y, s, **kwargs)
    key = next(iter(kwargs))
    with pytest.raises(ValueError, match=key):
        cy(fname)(y, s, **kwargs)


@pytest.mark.parametrize("multi_class", ["raise", "ovr", "ovo"])
@pytest.mark.parametrize("labels", [None, [0, 1], np.array([0, 1])], ids=["None", "list", "array"])
def test_roc_auc_binary_ignores_multi_class_and_labels(multi_class, labels, gen, oracle):
    rng = gen.rng("multi_class", multi_class, repr(labels))
    case = gen.binary_case(rng, 30, "01", "f64", "round1", None, p_pos=0.5)
    oracle.compare(
        "roc_auc_score", case.y_true, case.y_score, multi_class=multi_class, labels=labels
    )


@pytest.mark.parametrize("label_kind", ["01", "pm1", "bool", "float01", "str", "str_obj", "int25"])
@pytest.mark.parametrize("fname", POS_LABEL_FUNCS)
def test_pos_label_values(fname, label_kind, gen, oracle):
    """pos_label = the positive class, the negative class, None (when sklearn
    infers it) on every label set."""
    rng = gen.rng("pos_label", fname, label_kind)
    case = gen.binary_case(rng, 40, label_kind, "f64", "round1", "int_zeros", p_pos=0.5)
    neg, pos, optional = gen.label_kinds[label_kind]
    candidates = [pos, neg] + ([None] if optional and fname != "average_precision_score" else [])
    for pl in candidates:
        oracle.compare(
            fname, case.y_true, case.y_score, pos_label=pl, sample_weight=case.sample_weight,
            ctx=f"{case.desc} pos_label={pl!r}",
        )


@pytest.mark.parametrize("fname", POS_LABEL_FUNCS)
def test_pos_label_inverts_roles(fname):
    """pos_label=0 on {0,1} labels is the same as pos_label=1 on flipped labels."""
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    s = np.array([0.2, 0.9, 0.4, 0.4, 0.7, 0.1, 0.8, 0.3])
    a = cy(fname)(y, s, pos_label=0)
    b = cy(fname)(1 - y, s, pos_label=1)
    _same(a, b)


@pytest.mark.parametrize("weight_dtype", [np.int64, np.float64, np.float32])
@pytest.mark.parametrize("fname", CURVE_FUNCS)
def test_zero_weight_samples_leave_no_threshold(fname, weight_dtype, oracle):
    y = [0, 1, 0, 1, 0]
    s = [0.1, 0.2, 0.3, 0.4, 0.3]
    w = np.array([1, 1, 0, 1, 0], dtype=weight_dtype)  # the two 0.3 samples weigh nothing
    _, got = oracle.compare(fname, y, s, sample_weight=w)
    thresholds = got.result[-1]
    assert 0.3 not in thresholds.tolist()
    # same as removing the samples
    kept = np.asarray(w) != 0
    again = cy(fname)(np.asarray(y)[kept], np.asarray(s)[kept], sample_weight=w[kept])
    _same(tuple(got.result), tuple(again), fname)


# ===========================================================================
# One class present (warnings and values like sklearn)
# ===========================================================================
ONE_CLASS_CASES = [
    # fname, y_true, kwargs, sklearn warning category name (None: no warning)
    ("roc_curve", [1, 1, 1], {}, "UndefinedMetricWarning"),
    ("roc_curve", [0, 0, 0], {}, "UndefinedMetricWarning"),
    ("roc_curve", ["a", "a", "a"], {"pos_label": "a"}, "UndefinedMetricWarning"),
    ("roc_curve", [0, 1, 1], {"sample_weight": [0, 1, 2]}, "UndefinedMetricWarning"),
    ("roc_curve", [2, 5, 2], {"pos_label": 7}, "UndefinedMetricWarning"),
    ("roc_auc_score", [1, 1, 1], {}, "UndefinedMetricWarning"),
    ("roc_auc_score", [0, 0, 0], {}, "UndefinedMetricWarning"),
    ("roc_auc_score", [0, 0, 0], {"max_fpr": 0.5}, "UndefinedMetricWarning"),
    ("roc_auc_score", ["x", "x", "x"], {}, "UndefinedMetricWarning"),
    ("roc_auc_score", [0, 1, 1], {"sample_weight": [1, 0, 0]}, "UndefinedMetricWarning"),
    ("precision_recall_curve", [0, 0, 0], {}, "UserWarning"),
    ("precision_recall_curve", [1, 1, 1], {}, None),
    ("precision_recall_curve", [-1, -1, -1], {}, "UserWarning"),
    ("precision_recall_curve", [0, 1, 1], {"sample_weight": [3, 0, 0]}, "UserWarning"),
    ("precision_recall_curve", ["a", "b", "a"], {"pos_label": "c"}, "UserWarning"),
    ("average_precision_score", [0, 0, 0], {}, "UserWarning"),
    ("average_precision_score", [1, 1, 1], {}, None),
    ("average_precision_score", [0, 1, 1], {"sample_weight": [3, 0, 0]}, "UserWarning"),
    ("confusion_matrix_at_thresholds", [0, 0, 0], {}, None),
    ("confusion_matrix_at_thresholds", [1, 1, 1], {}, None),
    ("det_curve", [0, 0, 0], {}, "raises"),
    ("det_curve", [1, 1, 1], {}, "raises"),
    ("det_curve", [1, 1], {"sample_weight": [0, 1]}, "raises"),
]


def _one_class_id(c):
    return f"{c[0]}-{c[1]}-{sorted(c[2])}"


@pytest.mark.parametrize(
    "fname,y_true,kwargs,warning", ONE_CLASS_CASES, ids=[_one_class_id(c) for c in ONE_CLASS_CASES]
)
def test_one_class_y_true(fname, y_true, kwargs, warning, oracle):
    y_score = [0.2, 0.7, 0.4][: len(y_true)]
    sk_fn, cy_fn = getattr(skm, fname), cy(fname)
    if warning == "raises":
        with pytest.raises(ValueError):
            sk_fn(y_true, y_score, **kwargs)
        with pytest.raises(ValueError, match="class"):
            cy_fn(y_true, y_score, **kwargs)
        return
    if warning is None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            expected = sk_fn(y_true, y_score, **kwargs)
            got = cy_fn(y_true, y_score, **kwargs)
    else:
        sk_cat = {"UndefinedMetricWarning": SkUndefinedMetricWarning, "UserWarning": UserWarning}[
            warning
        ]
        cy_cat = {
            "UndefinedMetricWarning": cymetrics.UndefinedMetricWarning,
            "UserWarning": UserWarning,
        }[warning]
        with np.errstate(all="ignore"), pytest.warns(sk_cat):
            expected = sk_fn(y_true, y_score, **kwargs)
        with pytest.warns(cy_cat):
            got = cy_fn(y_true, y_score, **kwargs)
    oracle.assert_same_result(expected, got, ctx=fname)
    # and the complete outcome (all warning kinds) through the oracle
    oracle.compare(fname, y_true, y_score, **kwargs)


# ===========================================================================
# Bad input: same exception type as sklearn
# ===========================================================================
BAD_INPUTS = {
    "nan-score": ([0, 1, 0], [0.1, np.nan, 0.3], {}),
    "nan-score-f32": ([0, 1, 0], np.array([0.1, np.nan, 0.3], np.float32), {}),
    "inf-score": ([0, 1, 0], [0.1, np.inf, 0.3], {}),
    "neginf-score": ([0, 1, 0], [0.1, -np.inf, 0.3], {}),
    "len-mismatch": ([0, 1, 0], [0.1, 0.2], {}),
    "len-mismatch-ytrue-longer": ([0, 1, 0, 1], [0.1, 0.2, 0.3], {}),
    "empty": ([], [], {}),
    "empty-arrays": (np.array([], dtype=int), np.array([], dtype=float), {}),
    "2d-score": ([0, 1, 0], [[0.1, 0.9], [0.2, 0.8], [0.3, 0.7]], {}),
    "3d-score": ([0, 1], np.zeros((2, 1, 1)), {}),
    "2d-ytrue-and-score": ([[0, 1], [1, 0], [0, 1]], [[0.1, 0.9], [0.2, 0.8], [0.3, 0.7]], {}),
    "three-classes": ([0, 1, 2, 1], [0.1, 0.2, 0.3, 0.4], {}),
    "three-classes-pos_label": ([0, 1, 2, 1], [0.1, 0.2, 0.3, 0.4], {"pos_label": 1}),
    "pos_label-absent-int": ([0, 1, 0], [0.1, 0.2, 0.3], {"pos_label": 7}),
    "pos_label-absent-str": (["a", "b", "a"], [0.1, 0.2, 0.3], {"pos_label": "c"}),
    "pos_label-wrong-type": ([0, 1, 0], [0.1, 0.2, 0.3], {"pos_label": "1"}),
    "str-labels-no-pos_label": (["neg", "pos", "neg"], [0.1, 0.2, 0.3], {}),
    "int25-no-pos_label": ([2, 5, 2], [0.1, 0.2, 0.3], {}),
    "nan-weight": ([0, 1, 0], [0.1, 0.2, 0.3], {"sample_weight": [1, np.nan, 1]}),
    "inf-weight": ([0, 1, 0], [0.1, 0.2, 0.3], {"sample_weight": [1, np.inf, 1]}),
    "weight-len": ([0, 1, 0], [0.1, 0.2, 0.3], {"sample_weight": [1, 1]}),
    "weight-2d": ([0, 1, 0], [0.1, 0.2, 0.3], {"sample_weight": np.ones((3, 2))}),
    "weight-str": ([0, 1, 0], [0.1, 0.2, 0.3], {"sample_weight": ["a", "b", "c"]}),
    "all-zero-weight": ([0, 1, 0], [0.1, 0.2, 0.3], {"sample_weight": [0, 0, 0]}),
    "mixed-labels": (np.array([0, "a", 0], dtype=object), [0.1, 0.2, 0.3], {}),
    "mixed-labels-pos_label": (
        np.array([0, "a", 0], dtype=object),
        [0.1, 0.2, 0.3],
        {"pos_label": "a"},
    ),
    "junk-object-ytrue": (np.array([{}, [], {}], dtype=object), [0.1, 0.2, 0.3], {}),
    "junk-object-score": ([0, 1, 0], np.array(["x", "y", "z"], dtype=object), {}),
    "str-scores": ([0, 1, 0], ["0.1", "0.2", "0.3"], {}),
    "complex-scores": ([0, 1, 0], np.array([0.1, 0.2, 0.3]) + 0j, {}),
    "nan-ytrue": ([0, np.nan, 1], [0.1, 0.2, 0.3], {}),
    "continuous-ytrue": ([0.5, 1.5, 0.2], [0.1, 0.2, 0.3], {}),
    "scalar-score": ([0, 1, 0], 0.5, {}),
    "none-score": ([0, 1, 0], None, {}),
    "none-ytrue": (None, [0.1, 0.2, 0.3], {}),
}
# multiclass/multilabel y_true is NotImplementedError for the two scores (see above)
_NOT_FOR_SCORES = {"2d-ytrue-and-score", "three-classes", "three-classes-pos_label"}


def _bad_params():
    for case_id, (_, _, kw) in BAD_INPUTS.items():
        for fname in RANKING_FUNCS:
            if "pos_label" in kw and fname not in POS_LABEL_FUNCS:
                continue
            if case_id in _NOT_FOR_SCORES and fname in SCORE_FUNCS:
                continue
            yield pytest.param(fname, case_id, id=f"{fname}-{case_id}")


@pytest.mark.parametrize("fname,case_id", list(_bad_params()))
def test_bad_input_same_outcome_as_sklearn(fname, case_id, oracle):
    y_true, y_score, kw = BAD_INPUTS[case_id]
    oracle.compare(fname, y_true, y_score, ctx=case_id, **kw)


ACCEPTED_QUIRKS = {
    "score-column-vector": ([0, 1, 0, 1], [[0.1], [0.4], [0.35], [0.8]], {}),
    "ytrue-column-vector": ([[0], [1], [0], [1]], [0.1, 0.4, 0.35, 0.8], {}),
    "weight-column-vector": (
        [0, 1, 0, 1],
        [0.1, 0.4, 0.35, 0.8],
        {"sample_weight": [[1], [2], [3], [4]]},
    ),
    "bool-scores": ([0, 1, 0, 1], [True, False, False, True], {}),
    "uint8-scores": ([0, 1, 0, 1], np.array([3, 200, 0, 255], np.uint8), {}),
    "int8-scores": ([0, 1, 0, 1], np.array([3, -128, 0, 127], np.int8), {}),
    "tuple-inputs": ((0, 1, 0, 1), (0.1, 0.4, 0.35, 0.8), {}),
    "bool-weights": (
        [0, 1, 0, 1],
        [0.1, 0.4, 0.35, 0.8],
        {"sample_weight": [True, False, True, True]},
    ),
    "object-float-scores": ([0, 1, 0, 1], np.array([0.1, 0.4, 0.35, 0.8], dtype=object), {}),
    "object-int-labels": (np.array([0, 1, 0, 1], dtype=object), [0.1, 0.4, 0.35, 0.8], {}),
    "n1-positive": ([1], [0.5], {}),
    "huge-scores": ([0, 1, 0, 1], [1e308, -1e308, 1e-308, 5e-324], {}),
    "tiny-weights": (
        [0, 1, 0, 1],
        [0.1, 0.4, 0.35, 0.8],
        {"sample_weight": [1e-300, 1e-300, 2e-300, 1e-300]},
    ),
}


@pytest.mark.parametrize("case_id", list(ACCEPTED_QUIRKS), ids=list(ACCEPTED_QUIRKS))
@pytest.mark.parametrize("fname", RANKING_FUNCS)
def test_accepted_edge_inputs_same_as_sklearn(fname, case_id, oracle):
    y_true, y_score, kw = ACCEPTED_QUIRKS[case_id]
    oracle.compare(fname, y_true, y_score, ctx=case_id, **kw)


@pytest.mark.parametrize(
    "weights",
    [[1, -1, 1, 1], [0.5, 0.5, -1e-12, 2.0], np.array([-3, -2, -1, -4])],
    ids=["int", "tiny-float", "all-negative"],
)
@pytest.mark.parametrize("fname", RANKING_FUNCS)
def test_negative_sample_weight_raises(fname, weights):
    """Deliberate difference from sklearn (which accepts negative weights)."""
    with pytest.raises(ValueError, match="negative"):
        cy(fname)([0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8], sample_weight=weights)


# ===========================================================================
# Contract: input handling
# ===========================================================================
def _base_input(rng, n=24):
    y = (np.arange(n) % 2).astype(np.int64)
    rng.shuffle(y)
    s = np.round(rng.random(n), 1)
    w = rng.integers(0, 4, n).astype(np.float64)
    w[0] = 1.0
    return y, s, w


# Lists, read-only, strided and big-endian float64 arrays: tests/test_common.py.
INPUT_VARIANTS = {
    "ndarray": lambda y, s, w: (y, s, w),
    "tuple": lambda y, s, w: (tuple(y.tolist()), tuple(s.tolist()), tuple(w.tolist())),
    "bigendian-f4": lambda y, s, w: (y.astype(">i4"), s.astype(">f4"), w.astype(">f4")),
    "float16": lambda y, s, w: (y, s.astype(np.float16), w),
    "float32": lambda y, s, w: (y.astype(np.int32), s.astype(np.float32), w.astype(np.float32)),
    "int-scores": lambda y, s, w: (y, (s * 10).astype(np.int64), w.astype(np.int64)),
    "uint8-labels": lambda y, s, w: (y.astype(np.uint8), s, w),
    "fortran-column": lambda y, s, w: (y, np.asfortranarray(s[:, None]), w),
}


@pytest.mark.parametrize("variant", list(INPUT_VARIANTS), ids=list(INPUT_VARIANTS))
@pytest.mark.parametrize("fname", RANKING_FUNCS)
def test_contract_input_variants(fname, variant, gen, oracle, contract):
    """Same result as sklearn on the same variant, inputs left untouched, and
    outputs that do not alias the inputs."""
    rng = gen.rng("contract", fname, variant)
    y, s, w = _base_input(rng)
    make = INPUT_VARIANTS[variant]
    cy_inputs = make(y, s, w)
    sk_inputs = make(y, s, w)
    before = [contract.snapshot(a) for a in cy_inputs]
    # snapshot() copies; keep flags of read-only arrays comparable
    for b, a in zip(before, cy_inputs):
        if isinstance(a, np.ndarray) and not a.flags.writeable:
            b.flags.writeable = False
    for use_weights in (False, True):
        kw = {"sample_weight": cy_inputs[2]} if use_weights else {}
        sk_kw = {"sample_weight": sk_inputs[2]} if use_weights else {}
        sk = oracle.run(getattr(skm, fname), sk_inputs[0], sk_inputs[1], copy_inputs=False, **sk_kw)
        got = oracle.run(cy(fname), cy_inputs[0], cy_inputs[1], copy_inputs=False, **kw)
        oracle.assert_same_outcome(sk, got, ctx=f"{fname} {variant} weights={use_weights}")
        for name, b, a in zip(["y_true", "y_score", "sample_weight"], before, cy_inputs):
            contract.assert_unmodified(b, a, name)
        outs = got.result if isinstance(got.result, tuple) else (got.result,)
        for o in outs:
            for a in cy_inputs:
                if isinstance(o, np.ndarray) and isinstance(a, np.ndarray):
                    assert not np.shares_memory(o, a), (
                        f"{fname} output aliases an input ({variant})"
                    )


@pytest.mark.parametrize("fname", CURVE_FUNCS)
def test_contract_outputs_are_independent_arrays(fname):
    """Mutating one output must not change a later call's result."""
    y, s = [0, 1, 1, 0, 1], [0.1, 0.9, 0.5, 0.5, 0.3]
    first = cy(fname)(y, s)
    expected = [o.copy() for o in first]
    for o in first:
        o[...] = 0 if o.dtype.kind != "b" else False
    again = cy(fname)(y, s)
    for e, a in zip(expected, again):
        np.testing.assert_array_equal(a, e)


# ===========================================================================
# auc(x, y)
# ===========================================================================
@pytest.mark.parametrize("direction", ["increasing", "decreasing"])
@pytest.mark.parametrize("dtype", ["f64", "f32", "i64", "list"])
@pytest.mark.parametrize("n", [2, 3, 10, 1000])
def test_auc_random_vs_sklearn(n, dtype, direction, gen, oracle):
    rng = gen.rng("auc", n, dtype, direction)
    for _ in range(10):
        if dtype == "i64":
            x = np.cumsum(rng.integers(0, 3, n))
            y = rng.integers(-5, 20, n)
        else:
            x = np.cumsum(np.round(rng.random(n), 1))  # with repeated x
            y = rng.random(n) * rng.choice([1, 1e-8, 1e8])
        if direction == "decreasing":
            x = x[::-1].copy()
        if dtype == "f32":
            x, y = x.astype(np.float32), y.astype(np.float32)
        if dtype == "list":
            x, y = x.tolist(), y.tolist()
        oracle.compare("auc", x, y, ctx=f"n={n} {dtype} {direction}")


AUC_BAD = {
    "one-point": ([0.0], [1.0]),
    "empty": ([], []),
    "not-monotone": ([0, 2, 1], [0, 1, 1]),
    "len-mismatch": ([0, 1, 2], [0, 1]),
    "2d": ([[0, 1], [1, 2]], [[0, 1], [1, 2]]),
    "strings": (["a", "b"], [0, 1]),
    "bool": ([False, True], [True, True]),
    "scalar": (1, 2),
    "none": (None, [0, 1]),
}
AUC_QUIRKS = {
    "constant-x": ([1, 1, 1], [0, 1, 2]),
    "nan-x": ([0, np.nan, 1], [0, 1, 1]),
    "nan-y": ([0, 0.5, 1], [0, np.nan, 1]),
    "inf-x": ([0, np.inf], [0, 1]),
    "column-vectors": ([[0], [1]], [[0], [1]]),
    "negative-y": ([0, 1, 2], [-1, -2, -3]),
}


@pytest.mark.parametrize("case_id", list(AUC_BAD) + list(AUC_QUIRKS))
def test_auc_edge_and_bad_inputs_same_as_sklearn(case_id, oracle):
    x, y = {**AUC_BAD, **AUC_QUIRKS}[case_id]
    sk, got = oracle.compare("auc", x, y, ctx=case_id)
    assert sk.raised == (case_id in AUC_BAD)


# ===========================================================================
# Reference twins (independent of sklearn)
# ===========================================================================
def _reference_case(gen, rng):
    """A small random binary problem where both classes have positive weight."""
    while True:
        n = int(rng.integers(2, 40))
        label_kind = ["01", "pm1", "bool", "str", "int25"][int(rng.integers(5))]
        score_kind = ["f64", "f32", "i64", "f16"][int(rng.integers(4))]
        tie_mode = ["none", "round1", "round2", "const"][int(rng.integers(4))]
        weight_mode = [None, "float_zeros", "int_zeros", "dyadic"][int(rng.integers(4))]
        case = gen.binary_case(rng, n, label_kind, score_kind, tie_mode, weight_mode, p_pos=0.5)
        pos_label = gen.pos_label_choice(rng, case, allow_none=False)
        is_pos = np.array([v == pos_label for v in np.asarray(case.y_true, dtype=object)])
        w = np.ones(n) if case.sample_weight is None else np.asarray(case.sample_weight, float)
        if w[is_pos].sum() > 0 and w[~is_pos].sum() > 0:
            return case, pos_label


def _assert_close_curve(got, expected, ctx):
    assert len(got) == len(expected), ctx
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g.shape == e.shape, f"{ctx} output {i}: {g} vs reference {e}"
        np.testing.assert_allclose(
            np.asarray(g, dtype=np.float64),
            e,
            rtol=REF_RTOL,
            atol=REF_ATOL,
            err_msg=f"{ctx} output {i}",
        )


REFERENCE_CHECKS = {
    "roc_auc_score": lambda c, pl: (
        cymetrics.roc_auc_score(
            np.asarray(c.y_true, dtype=object) == pl, c.y_score, sample_weight=c.sample_weight
        ),
        ref.roc_auc_pairs(c.y_true, c.y_score, c.sample_weight, pl),
    ),
    "auc_of_roc_curve": lambda c, pl: (
        cymetrics.auc(
            *cymetrics.roc_curve(c.y_true, c.y_score, pos_label=pl, sample_weight=c.sample_weight)[
                :2
            ]
        ),
        ref.roc_auc_pairs(c.y_true, c.y_score, c.sample_weight, pl),
    ),
    "roc_curve": lambda c, pl: (
        cymetrics.roc_curve(
            c.y_true,
            c.y_score,
            pos_label=pl,
            sample_weight=c.sample_weight,
            drop_intermediate=False,
        ),
        ref.roc_curve_full(c.y_true, c.y_score, c.sample_weight, pl),
    ),
    "precision_recall_curve": lambda c, pl: (
        cymetrics.precision_recall_curve(
            c.y_true, c.y_score, pos_label=pl, sample_weight=c.sample_weight
        ),
        ref.precision_recall_curve_full(c.y_true, c.y_score, c.sample_weight, pl),
    ),
    "average_precision_score": lambda c, pl: (
        cymetrics.average_precision_score(
            c.y_true, c.y_score, pos_label=pl, sample_weight=c.sample_weight
        ),
        ref.average_precision_stepwise(c.y_true, c.y_score, c.sample_weight, pl),
    ),
    "det_curve": lambda c, pl: (
        cymetrics.det_curve(c.y_true, c.y_score, pos_label=pl, sample_weight=c.sample_weight),
        ref.det_curve_full(c.y_true, c.y_score, c.sample_weight, pl),
    ),
    "confusion_matrix_at_thresholds": lambda c, pl: (
        cymetrics.confusion_matrix_at_thresholds(
            c.y_true, c.y_score, pos_label=pl, sample_weight=c.sample_weight
        ),
        ref.confusion_at_thresholds_full(c.y_true, c.y_score, c.sample_weight, pl),
    ),
}


@pytest.mark.parametrize("chunk", range(4))
@pytest.mark.parametrize("check", list(REFERENCE_CHECKS))
def test_reference_twin(check, chunk, gen):
    rng = gen.rng("reference", check, chunk)
    for i in range(40):
        case, pl = _reference_case(gen, rng)
        ctx = f"{check} #{chunk}/{i}: {case.desc} pos_label={pl!r}"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # both classes present: no warning expected
            got, expected = REFERENCE_CHECKS[check](case, pl)
        if isinstance(expected, tuple):
            _assert_close_curve(got, expected, ctx)
        else:
            assert isinstance(got, float), ctx
            np.testing.assert_allclose(got, expected, rtol=REF_RTOL, atol=REF_ATOL, err_msg=ctx)


def test_reference_twin_known_values():
    """Hand-computed values, so that the twins themselves are anchored."""
    y = [0, 0, 1, 1]
    s = [0.1, 0.4, 0.35, 0.8]
    assert ref.roc_auc_pairs(y, s) == 0.75
    assert cymetrics.roc_auc_score(y, s) == 0.75
    # AP: thresholds .8 (P=1, R=.5), .4 (P=.5), .35 (P=2/3, R=1), .1
    expected_ap = 0.5 * 1.0 + 0.5 * (2 / 3)
    assert ref.average_precision_stepwise(y, s) == pytest.approx(expected_ap, rel=1e-15)
    assert cymetrics.average_precision_score(y, s) == pytest.approx(expected_ap, rel=1e-12)
    # ties count half; weights scale pairs
    assert ref.roc_auc_pairs([0, 1], [0.5, 0.5]) == 0.5
    assert cymetrics.roc_auc_score([0, 1], [0.5, 0.5]) == 0.5
    assert ref.roc_auc_pairs([0, 1, 1], [0.5, 0.5, 0.9], [1, 1, 3]) == pytest.approx((0.5 + 3) / 4)
    assert cymetrics.roc_auc_score(
        [0, 1, 1], [0.5, 0.5, 0.9], sample_weight=[1, 1, 3]
    ) == pytest.approx(3.5 / 4)


# ===========================================================================
# Hypothesis properties (cymetrics only)
# ===========================================================================
@st.composite
def binary_problems(draw, max_n=30, weights="maybe"):
    """Binary labels in {0,1} with both classes, dyadic scores with ties, and
    small integer weights ("maybe", "always" or "never"; both classes keep a
    positive total weight)."""
    n = draw(st.integers(2, max_n))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 1)))
    y[0], y[-1] = 0, 1
    score_levels = draw(st.sampled_from([3, 16, 1000]))
    s = draw(hnp.arrays(np.float64, n, elements=st.integers(0, score_levels).map(lambda v: v / 8)))
    w = None
    if weights == "always" or (weights == "maybe" and draw(st.booleans())):
        w = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 4)))
        w[0] = max(w[0], 1)
        w[-1] = max(w[-1], 1)
    return y, s, w


def _kw(w):
    return {} if w is None else {"sample_weight": w}


def _curves_equal(a, b, rtol=1e-12):
    assert len(a) == len(b)
    for x, z in zip(a, b):
        np.testing.assert_allclose(x, z, rtol=rtol, atol=1e-15)


PROPERTY_CALLS = {
    "roc_auc_score": lambda y, s, w: cymetrics.roc_auc_score(y, s, **_kw(w)),
    "roc_auc_score_max_fpr": lambda y, s, w: cymetrics.roc_auc_score(y, s, max_fpr=0.4, **_kw(w)),
    "average_precision_score": lambda y, s, w: cymetrics.average_precision_score(y, s, **_kw(w)),
    "roc_curve": lambda y, s, w: cymetrics.roc_curve(y, s, drop_intermediate=False, **_kw(w)),
    "roc_curve_drop": lambda y, s, w: cymetrics.roc_curve(y, s, **_kw(w)),
    "precision_recall_curve": lambda y, s, w: cymetrics.precision_recall_curve(y, s, **_kw(w)),
    "precision_recall_curve_drop": lambda y, s, w: cymetrics.precision_recall_curve(
        y, s, drop_intermediate=True, **_kw(w)
    ),
    "det_curve": lambda y, s, w: cymetrics.det_curve(y, s, **_kw(w)),
    "confusion_matrix_at_thresholds": lambda y, s, w: cymetrics.confusion_matrix_at_thresholds(
        y, s, **_kw(w)
    ),
}


def _same(a, b, name=""):
    if isinstance(a, tuple):
        assert len(a) == len(b), name
        for i, (x, z) in enumerate(zip(a, b)):
            assert x.shape == z.shape, f"{name} output {i}: {x} vs {z}"
            np.testing.assert_allclose(x, z, rtol=1e-12, atol=1e-15, err_msg=f"{name} output {i}")
    else:
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15, err_msg=name)


# Each property is checked on every function of PROPERTY_CALLS for each example
# (one hypothesis run per property keeps the generation cost down).


@given(problem=binary_problems(), perm_seed=st.integers(0, 2**32 - 1))
def test_property_permutation_invariance(problem, perm_seed):
    y, s, w = problem
    perm = np.random.default_rng(perm_seed).permutation(len(y))
    for name, f in PROPERTY_CALLS.items():
        _same(f(y, s, w), f(y[perm], s[perm], None if w is None else w[perm]), name)


@given(problem=binary_problems(weights="always"))
def test_property_integer_weights_equal_repetition(problem):
    y, s, w = problem
    for name, f in PROPERTY_CALLS.items():
        _same(f(y, s, w), f(np.repeat(y, w), np.repeat(s, w), None), name)


@given(problem=binary_problems(), scale=st.sampled_from([0.5, 2.0, 8.0]))
def test_property_scaling_all_weights(problem, scale):
    y, s, w = problem
    w1 = np.ones(len(y)) if w is None else w.astype(np.float64)
    for name, f in PROPERTY_CALLS.items():
        a, b = f(y, s, w1), f(y, s, w1 * scale)
        if name == "confusion_matrix_at_thresholds":
            a = tuple(x * scale for x in a[:4]) + (a[4],)  # counts scale, thresholds do not
        _same(a, b, name)


TRANSFORMS = {
    "affine": lambda s: 3 * s + 1,
    "exp": np.exp,
    "cube": lambda s: s**3 - 5,
    "arctan": np.arctan,
}


@pytest.mark.parametrize("transform", list(TRANSFORMS))
@given(problem=binary_problems())
def test_property_monotone_transform_invariance(transform, problem):
    """Strictly increasing transforms keep the ranking, hence AUC/AP and the
    curve coordinates (scores are multiples of 1/8 in [0, 125]: no new ties)."""
    y, s, w = problem
    t = TRANSFORMS[transform](s)
    assert len(np.unique(t)) == len(np.unique(s))
    for name in ["roc_auc_score", "roc_auc_score_max_fpr", "average_precision_score"]:
        f = PROPERTY_CALLS[name]
        np.testing.assert_allclose(f(y, s, w), f(y, t, w), rtol=1e-12, err_msg=name)
    for name in ["roc_curve", "roc_curve_drop", "precision_recall_curve", "det_curve"]:
        a, b = PROPERTY_CALLS[name](y, s, w), PROPERTY_CALLS[name](y, t, w)
        _curves_equal(a[:2], b[:2])
        assert len(a[2]) == len(b[2])


@given(problem=binary_problems())
def test_property_reversed_scores_complement_auc(problem):
    y, s, w = problem
    a = cymetrics.roc_auc_score(y, s, **_kw(w))
    b = cymetrics.roc_auc_score(y, -s, **_kw(w))
    c = cymetrics.roc_auc_score(1 - y, s, **_kw(w))
    np.testing.assert_allclose(a + b, 1.0, rtol=1e-12)
    np.testing.assert_allclose(b, c, rtol=1e-12)


@pytest.mark.parametrize("fname", ["roc_curve", "precision_recall_curve"])
@given(problem=binary_problems())
def test_property_drop_intermediate_is_subset_of_full_curve(fname, problem):
    """Dropping keeps a subset of the points (same coordinates at the same
    thresholds) including both ends; for ROC the area is unchanged."""
    y, s, w = problem
    f = cy(fname)
    full = f(y, s, drop_intermediate=False, **_kw(w))
    dropped = f(y, s, drop_intermediate=True, **_kw(w))
    where = {t: i for i, t in enumerate(full[2].tolist())}
    idx = np.array([where[t] for t in dropped[2].tolist()])
    assert idx[0] == 0 and idx[-1] == len(full[2]) - 1
    for a, b in zip(full[:2], dropped[:2]):
        np.testing.assert_array_equal(b[: len(idx)], a[idx])
        np.testing.assert_array_equal(b[len(idx) :], a[len(full[2]) :])  # PR's final (1, 0)
    if fname == "roc_curve":
        np.testing.assert_allclose(
            cymetrics.auc(*dropped[:2]), cymetrics.auc(*full[:2]), rtol=1e-12
        )
        assert (dropped[0][0], dropped[1][0]) == (0.0, 0.0)
        assert (dropped[0][-1], dropped[1][-1]) == (1.0, 1.0)


@given(problem=binary_problems(), max_fpr=st.floats(0.01, 1.0))
def test_property_partial_auc_in_range(problem, max_fpr):
    """McClish-standardised partial AUC lies in [0, 1]... strictly, in
    [0.5 * (1 + (0 - m^2/2)/(m - m^2/2)), 1]; and max_fpr=1 is the full AUC."""
    y, s, w = problem
    p = cymetrics.roc_auc_score(y, s, max_fpr=max_fpr, **_kw(w))
    lo = 0.5 * (1 + (0 - 0.5 * max_fpr**2) / (max_fpr - 0.5 * max_fpr**2))
    assert lo - 1e-12 <= p <= 1 + 1e-12
    assert cymetrics.roc_auc_score(y, s, max_fpr=1.0, **_kw(w)) == cymetrics.roc_auc_score(
        y, s, **_kw(w)
    )


@given(problem=binary_problems(max_n=25))
def test_property_matches_reference_twins(problem):
    y, s, w = problem
    np.testing.assert_allclose(
        cymetrics.roc_auc_score(y, s, **_kw(w)), ref.roc_auc_pairs(y, s, w), rtol=REF_RTOL
    )
    np.testing.assert_allclose(
        cymetrics.average_precision_score(y, s, **_kw(w)),
        ref.average_precision_stepwise(y, s, w),
        rtol=REF_RTOL,
    )
    _assert_close_curve(
        cymetrics.confusion_matrix_at_thresholds(y, s, **_kw(w)),
        ref.confusion_at_thresholds_full(y, s, w),
        "cmat",
    )
