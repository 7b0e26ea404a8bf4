"""Differential (vs scikit-learn 1.9) and property tests for confusion_matrix.

(Its signature, lists, read-only, strided and big-endian float64 arrays and
inputs left untouched: tests/test_common.py.)
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cymetrics
import reference as ref

CLASS_KINDS = [
    "int",
    "int_shift",
    "neg",
    "big",
    "int8",
    "uint8",
    "int32",
    "float",
    "str",
    "str_obj",
    "bool",
    "int_vs_float",
]
N_CLASSES = [2, 3, 10, 100]
LABELS_MODES = [None, "subset", "superset", "reordered", "list"]
WEIGHT_MODES = [None, "int", "int_zeros", "float", "float_zeros", "f32", "bool", "list"]
NORMALIZE = [None, "true", "pred", "all"]
# n -> number of random inputs of that size in each test_random_vs_sklearn item
RANDOM_N_REPS = {1: 1, 2: 2, 3: 2, 10: 5, 1000: 2}


# ---------------------------------------------------------------------------
# generators
# ---------------------------------------------------------------------------
def _unseen_values(kind, vals):
    """Values of the same kind as ``vals`` that are not in it."""
    if kind in ("str", "str_obj"):
        out = np.array(["zz_unseen", "aa_unseen"], dtype=vals.dtype)
    elif kind == "bool":
        return vals[:0]
    elif kind == "uint8":
        out = np.array([255, 254], dtype=np.uint8)
    elif kind == "int8":
        out = np.array([127, -128], dtype=np.int8)
    else:
        out = np.array([vals.max() + 1, vals.min() - 2]).astype(vals.dtype)
    return out[~np.isin(out, vals)]


def make_cm_case(gen, rng, n, kind, k):
    """Random y_true / y_pred / kwargs for confusion_matrix."""
    base_kind = "int" if kind == "int_vs_float" else kind
    vals = gen.class_values(base_kind, k)
    # y_pred agrees with y_true ~60% of the time; some classes may be absent
    active = vals[np.sort(rng.choice(k, size=int(rng.integers(1, k + 1)), replace=False))]
    t_idx = rng.integers(0, len(active), n)
    y_true = active[t_idx]
    flip = rng.random(n) < 0.4
    y_pred = np.where(flip, vals[rng.integers(0, k, n)], y_true)
    if kind == "int_vs_float":
        y_pred = y_pred.astype(np.float64)
    if kind == "str_obj":
        y_pred = y_pred.astype(object)
    present = np.unique(
        np.concatenate([np.asarray(y_true, dtype=vals.dtype), np.asarray(y_pred, dtype=vals.dtype)])
    )

    kw = {}
    labels_mode = LABELS_MODES[int(rng.integers(len(LABELS_MODES)))]
    if labels_mode == "subset":
        m = int(rng.integers(1, len(present) + 1))
        labels = rng.choice(present, size=m, replace=False)
        kw["labels"] = np.sort(labels) if rng.random() < 0.5 else labels
    elif labels_mode == "superset":
        labels = np.concatenate([vals, _unseen_values(base_kind, vals)]).astype(vals.dtype)
        rng.shuffle(labels)
        kw["labels"] = labels
    elif labels_mode == "reordered":
        labels = present.copy()
        rng.shuffle(labels)
        kw["labels"] = labels
    elif labels_mode == "list":
        kw["labels"] = present.tolist()

    weight_mode = WEIGHT_MODES[int(rng.integers(len(WEIGHT_MODES)))]
    if weight_mode == "int":
        kw["sample_weight"] = rng.integers(1, 5, n)
    elif weight_mode == "int_zeros":
        kw["sample_weight"] = rng.integers(0, 3, n)
    elif weight_mode == "float":
        kw["sample_weight"] = rng.random(n) + 0.01
    elif weight_mode == "float_zeros":
        w = rng.random(n) * 4
        w[rng.random(n) < 0.3] = 0.0
        kw["sample_weight"] = w
    elif weight_mode == "f32":
        kw["sample_weight"] = rng.random(n).astype(np.float32)
    elif weight_mode == "bool":
        kw["sample_weight"] = rng.random(n) < 0.8
    elif weight_mode == "list":
        kw["sample_weight"] = rng.integers(0, 4, n).tolist()

    normalize = NORMALIZE[int(rng.integers(len(NORMALIZE)))]
    if normalize is not None or rng.random() < 0.3:
        kw["normalize"] = normalize

    as_list = rng.random() < 0.15
    if as_list:
        y_true, y_pred = y_true.tolist(), y_pred.tolist()
    desc = (f"n={n} kind={kind} k={k} labels={labels_mode} weights={weight_mode} "
            f"normalize={normalize} list={as_list}")
    return (y_true, y_pred), kw, desc


def _kinds_and_k():
    for kind in CLASS_KINDS:
        for k in N_CLASSES:
            if kind == "bool" and k != 2:
                continue
            yield pytest.param(kind, k, id=f"{kind}-k{k}")


# ===========================================================================
# Random differential tests vs sklearn
# ===========================================================================
@pytest.mark.parametrize("kind,k", list(_kinds_and_k()))
def test_random_vs_sklearn(kind, k, gen, oracle):
    rng = gen.rng("cm_random", kind, k)

    def cases():
        for n, reps in RANDOM_N_REPS.items():
            for _ in range(reps):
                yield make_cm_case(gen, rng, n, kind, k)

    assert oracle.compare_many("confusion_matrix", cases(), ctx=f"{kind} k={k}") == sum(
        RANDOM_N_REPS.values()
    )


@pytest.mark.parametrize("normalize", [None, "true"], ids=repr)
@pytest.mark.parametrize("kind", ["int", "str", "big", "float"])
def test_random_large_vs_sklearn(kind, normalize, gen, oracle):
    rng = gen.rng("cm_large", kind, normalize)
    n, k = 100_000, 100
    vals = gen.class_values(kind, k)
    y_true = vals[rng.integers(0, k, n)]
    y_pred = np.where(rng.random(n) < 0.5, y_true, vals[rng.integers(0, k, n)])
    w = rng.integers(0, 5, n) if kind in ("int", "str") else rng.random(n)
    oracle.compare(
        "confusion_matrix", y_true, y_pred, sample_weight=w, normalize=normalize, valid_params=True
    )
    oracle.compare("confusion_matrix", y_true, y_pred, normalize=normalize, valid_params=True)


@pytest.mark.parametrize("normalize", NORMALIZE, ids=repr)
@pytest.mark.parametrize("weights", [None, "int", "float", "float-zeros"])
def test_normalize_and_weight_values(normalize, weights, gen, oracle):
    rng = gen.rng("cm_norm", normalize, weights)
    for k in [2, 3, 10]:
        y_true = rng.integers(0, k, 50)
        y_pred = rng.integers(0, k, 50)
        w = {
            None: None,
            "int": rng.integers(1, 4, 50),
            "float": rng.random(50),
            "float-zeros": np.where(rng.random(50) < 0.5, 0.0, rng.random(50)),
        }[weights]
        # labels with an unseen class: an all-zero row and column (0/0 -> 0)
        for labels in (None, list(range(k + 1))):
            sk, cy = oracle.compare(
                "confusion_matrix",
                y_true,
                y_pred,
                labels=labels,
                sample_weight=w,
                normalize=normalize,
                ctx=f"k={k} labels={labels}",
            )
            expected_dtype = (
                np.int64 if normalize is None and weights in (None, "int") else np.float64
            )
            assert cy.result.dtype == expected_dtype


# ===========================================================================
# Warnings and errors
# ===========================================================================
SINGLE_LABEL_CASES = {
    "ints": ([1, 1, 1], [1, 1, 1], {}),
    "strs": (["a", "a"], ["a", "a"], {}),
    "labels-one": ([0, 1, 1], [1, 0, 1], {"labels": [1]}),
    "normalize-true": ([2, 2], [2, 2], {"normalize": "true"}),
    "normalize-all-weights": ([2, 2], [2, 2], {"normalize": "all", "sample_weight": [0.5, 2.0]}),
    "float-weights": ([5], [5], {"sample_weight": [3.5]}),
}


@pytest.mark.parametrize("case_id", list(SINGLE_LABEL_CASES))
def test_single_label_warns_user_warning(case_id, oracle):
    y_true, y_pred, kw = SINGLE_LABEL_CASES[case_id]
    with pytest.warns(UserWarning, match="single label"):
        expected = skm.confusion_matrix(y_true, y_pred, **kw)
    with pytest.warns(UserWarning):
        got = cymetrics.confusion_matrix(y_true, y_pred, **kw)
    assert got.shape == (1, 1)
    oracle.assert_same_result(expected, got, ctx=case_id)


def test_two_labels_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = cymetrics.confusion_matrix([0, 1, 1], [1, 1, 1])
    np.testing.assert_array_equal(got, [[0, 1], [0, 2]])


BAD_INPUTS = {
    "empty": ([], [], {}),
    "empty-with-labels": ([], [], {"labels": [1, 2]}),
    "empty-with-weights": ([], [], {"sample_weight": []}),
    "len-mismatch": ([0, 1], [0, 1, 1], {}),
    "weight-len-mismatch": ([0, 1], [0, 1], {"sample_weight": [1]}),
    "nan-weight": ([0, 1], [0, 1], {"sample_weight": [1, np.nan]}),
    "inf-weight": ([0, 1], [0, 1], {"sample_weight": [1, np.inf]}),
    "all-zero-weight": ([0, 1], [0, 1], {"sample_weight": [0, 0]}),
    "weight-2d": ([0, 1], [0, 1], {"sample_weight": [[1], [2]]}),
    "weight-str": ([0, 1], [0, 1], {"sample_weight": ["a", "b"]}),
    "multilabel": ([[0, 1], [1, 1]], [[0, 1], [1, 0]], {}),
    "multiclass-multioutput": ([[0, 2], [1, 1]], [[0, 2], [1, 0]], {}),
    "mixed-string-number": ([0, 1, 2], ["a", "b", "c"], {}),
    "mixed-object": (np.array([0, "a"], dtype=object), np.array([0, "a"], dtype=object), {}),
    "junk-object": (np.array([{}, []], dtype=object), np.array([{}, []], dtype=object), {}),
    "labels-not-in-y_true": ([0, 1], [0, 1], {"labels": [5, 6]}),
    "labels-empty": ([0, 1], [0, 1], {"labels": []}),
    "nan-y_true": ([0.0, np.nan], [0.0, 1.0], {}),
    "nan-y_pred": ([0.0, 1.0], [0.0, np.nan], {}),
    "inf-y_pred": ([0.0, 1.0], [0.0, np.inf], {}),
    "continuous": ([0.5, 1.5], [0.5, 1.5], {}),
    "binary-vs-continuous": ([0, 1], [0.5, 1.0], {}),
    "normalize-invalid": ([0, 1], [0, 1], {"normalize": "foo"}),
    "normalize-bool": ([0, 1], [0, 1], {"normalize": True}),
    "scalar": (1, 1, {}),
    "none": (None, [0, 1], {}),
}


@pytest.mark.parametrize("case_id", list(BAD_INPUTS))
def test_bad_input_same_outcome_as_sklearn(case_id, oracle):
    y_true, y_pred, kw = BAD_INPUTS[case_id]
    sk, _ = oracle.compare("confusion_matrix", y_true, y_pred, ctx=case_id, **kw)
    assert sk.raised, "the case is meant to be invalid for sklearn"


ACCEPTED_QUIRKS = {
    "column-vectors": ([[0], [1], [1]], [[0], [1], [0]], {}),
    "tuples": ((0, 1, 1), (0, 1, 0), {}),
    "labels-2d": ([0, 1], [0, 1], {"labels": [[0, 1]]}),
    "labels-float-for-int": ([0, 1], [0, 1], {"labels": [0.0, 1.0]}),
    "bool-y-int-labels": ([True, False], [True, True], {"labels": [0, 1]}),
    "int-y-bool-labels": ([0, 1], [1, 1], {"labels": [False, True]}),
    "int-vs-float": ([0, 1, 2], [0.0, 2.0, 2.0], {}),
    "int32-weights": ([0, 1], [0, 1], {"sample_weight": np.array([1, 2], dtype=np.int32)}),
    "uint8-weights": ([0, 1], [0, 1], {"sample_weight": np.array([1, 2], dtype=np.uint8)}),
    "f32-weights": ([0, 1], [0, 1], {"sample_weight": np.array([1, 2], dtype=np.float32)}),
    "bool-weights": ([0, 1, 1], [0, 1, 0], {"sample_weight": [True, False, True]}),
    "str-different-lengths": (["a", "bbbbbb"], ["bbbbbb", "a"], {}),
    "uint64-big": (
        np.array([2**63 + 5, 7], dtype=np.uint64),
        np.array([7, 7], dtype=np.uint64),
        {},
    ),
    "int-min-max": (np.array([-(2**63), 2**63 - 1]), np.array([2**63 - 1, 2**63 - 1]), {}),
    "unicode-labels": (["é", "ß", "é"], ["ß", "ß", "é"], {}),
    "negative-zero": ([0.0, -0.0, 1.0], [-0.0, 1.0, 0.0], {}),
    "n1": ([3], [4], {}),
    "labels-with-unseen-only-in-pred": ([0, 0], [0, 1], {"labels": [0, 1, 2]}),
    "huge-weights": ([0, 1, 1], [0, 1, 0], {"sample_weight": [1e308, 1e308, 1e308]}),
    "tiny-weights": (
        [0, 1, 1],
        [0, 1, 0],
        {"sample_weight": [1e-320, 1e-320, 1e-320], "normalize": "all"},
    ),
}


@pytest.mark.parametrize("case_id", list(ACCEPTED_QUIRKS))
def test_accepted_edge_inputs_same_as_sklearn(case_id, oracle):
    y_true, y_pred, kw = ACCEPTED_QUIRKS[case_id]
    sk, _ = oracle.compare("confusion_matrix", y_true, y_pred, ctx=case_id, **kw)
    assert not sk.raised


@pytest.mark.parametrize(
    "weights",
    [[1, -1, 1], [0.5, 1.0, -1e-12], np.array([-1, -2, -3])],
    ids=["int", "tiny-float", "all-negative"],
)
def test_negative_sample_weight_raises(weights):
    """Deliberate difference from sklearn (which accepts negative weights)."""
    with pytest.raises(ValueError, match="negative"):
        cymetrics.confusion_matrix([0, 1, 2], [0, 2, 1], sample_weight=weights)


# ===========================================================================
# Reference twin (independent of sklearn)
# ===========================================================================
@pytest.mark.parametrize("chunk", range(4))
def test_reference_twin(chunk, gen):
    rng = gen.rng("cm_reference", chunk)
    checked = 0
    for i in range(60):
        kind = ["int", "neg", "big", "float", "str", "int_shift"][int(rng.integers(6))]
        k = [2, 3, 7][int(rng.integers(3))]
        n = int(rng.integers(1, 40))
        (y_true, y_pred), kw, desc = make_cm_case(gen, rng, n, kind, k)
        w = kw.get("sample_weight")
        if w is not None and (np.sum(w) == 0):
            continue
        labels = kw.get("labels")
        if labels is not None and not set(np.asarray(labels).tolist()) & set(
            np.asarray(y_true).tolist()
        ):
            continue  # sklearn-specific error path, covered elsewhere
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # single-label warning
            got = cymetrics.confusion_matrix(y_true, y_pred, **kw)
        expected = ref.confusion_matrix_loops(y_true, y_pred, **kw)
        assert got.dtype == expected.dtype, f"#{i} {desc}"
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15, err_msg=f"#{i} {desc}")
        checked += 1
    assert checked >= 30


def test_reference_twin_known_values():
    y_true = ["cat", "ant", "cat", "cat", "ant", "bird"]
    y_pred = ["ant", "ant", "cat", "cat", "ant", "cat"]
    expected = [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    np.testing.assert_array_equal(ref.confusion_matrix_loops(y_true, y_pred), expected)
    got = cymetrics.confusion_matrix(y_true, y_pred, labels=["ant", "bird", "cat"])
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == np.int64
    got = cymetrics.confusion_matrix(y_true, y_pred, labels=["cat", "ant"], normalize="true")
    np.testing.assert_allclose(got, [[2 / 3, 1 / 3], [0.0, 1.0]], rtol=1e-15)


# ===========================================================================
# Contract: input handling
# ===========================================================================
# Lists, read-only, strided and big-endian (>i8, >f8) arrays: tests/test_common.py.
INPUT_VARIANTS = {
    "ndarray": lambda t, p, w: (t, p, w),
    "bigendian-int-weights": lambda t, p, w: (t.astype(">i4"), p.astype(">i2"), w.astype(">i8")),
    "str": lambda t, p, w: (t.astype(str), p.astype(str), w),
    "object-str": lambda t, p, w: (t.astype(str).astype(object), p.astype(str).astype(object), w),
    "int8": lambda t, p, w: (t.astype(np.int8), p.astype(np.int8), w),
    "float": lambda t, p, w: (t.astype(np.float64), p.astype(np.float32), w),
}


@pytest.mark.parametrize("variant", list(INPUT_VARIANTS))
@pytest.mark.parametrize("normalize", [None, "true"])
def test_contract_input_variants(variant, normalize, gen, oracle, contract):
    rng = gen.rng("cm_contract", variant, normalize)
    t = rng.integers(0, 4, 30) - 1
    p = np.where(rng.random(30) < 0.5, t, rng.integers(0, 4, 30) - 1)
    w = rng.integers(0, 3, 30).astype(np.float64)
    make = INPUT_VARIANTS[variant]
    cy_in, sk_in = make(t, p, w), make(t, p, w)
    before = [contract.snapshot(a) for a in cy_in]
    for b, a in zip(before, cy_in):
        if isinstance(a, np.ndarray) and not a.flags.writeable:
            b.flags.writeable = False
    for kw_keys in ([], ["sample_weight"], ["sample_weight", "labels"]):
        kw, sk_kw = {"normalize": normalize}, {"normalize": normalize}
        if "sample_weight" in kw_keys:
            kw["sample_weight"], sk_kw["sample_weight"] = cy_in[2], sk_in[2]
        if "labels" in kw_keys:
            labels = np.unique(np.asarray(cy_in[0]))[::-1]
            kw["labels"], sk_kw["labels"] = labels, labels.copy()
        sk = oracle.run(skm.confusion_matrix, sk_in[0], sk_in[1], copy_inputs=False, **sk_kw)
        got = oracle.run(cymetrics.confusion_matrix, cy_in[0], cy_in[1], copy_inputs=False, **kw)
        oracle.assert_same_outcome(sk, got, ctx=f"{variant} {kw_keys}")
        for name, b, a in zip(["y_true", "y_pred", "sample_weight"], before, cy_in):
            contract.assert_unmodified(b, a, name)
        for a in list(cy_in) + [kw.get("labels")]:
            if isinstance(a, np.ndarray):
                assert not np.shares_memory(got.result, a)


# ===========================================================================
# Hypothesis properties (cymetrics only)
# ===========================================================================
@st.composite
def cm_problems(draw, max_n=30, max_k=6, weights="maybe"):
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_k))
    y_true = draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)))
    y_pred = draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)))
    w = None
    if weights == "always" or (weights == "maybe" and draw(st.booleans())):
        w = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 4)))
        w[0] = max(w[0], 1)
    return y_true, y_pred, w


def _cm(y_true, y_pred, w=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # single-label warning
        return cymetrics.confusion_matrix(y_true, y_pred, sample_weight=w, **kw)


@given(problem=cm_problems(), seed=st.integers(0, 2**32 - 1), normalize=st.sampled_from(NORMALIZE))
def test_property_permutation_invariance(problem, seed, normalize):
    y_true, y_pred, w = problem
    perm = np.random.default_rng(seed).permutation(len(y_true))
    a = _cm(y_true, y_pred, w, normalize=normalize)
    b = _cm(y_true[perm], y_pred[perm], None if w is None else w[perm], normalize=normalize)
    np.testing.assert_array_equal(a, b)


@given(problem=cm_problems(weights="always"), normalize=st.sampled_from(NORMALIZE))
def test_property_integer_weights_equal_repetition(problem, normalize):
    y_true, y_pred, w = problem
    labels = np.unique(np.concatenate([y_true, y_pred]))  # zero weights must not drop classes
    a = _cm(y_true, y_pred, w, labels=labels, normalize=normalize)
    b = _cm(np.repeat(y_true, w), np.repeat(y_pred, w), labels=labels, normalize=normalize)
    np.testing.assert_allclose(a, b, rtol=1e-15)


@given(problem=cm_problems())
def test_property_totals(problem):
    """Sum = total weight; row sums = weight per true class; col sums = per predicted class."""
    y_true, y_pred, w = problem
    wt = np.ones(len(y_true), dtype=np.int64) if w is None else w
    labels = np.unique(np.concatenate([y_true, y_pred]))
    c = _cm(y_true, y_pred, w)
    assert c.sum() == wt.sum()
    np.testing.assert_array_equal(c.sum(axis=1), [wt[y_true == v].sum() for v in labels])
    np.testing.assert_array_equal(c.sum(axis=0), [wt[y_pred == v].sum() for v in labels])
    np.testing.assert_array_equal(
        np.diag(c), [wt[(y_true == v) & (y_pred == v)].sum() for v in labels]
    )


@given(problem=cm_problems(), seed=st.integers(0, 2**32 - 1))
def test_property_labels_order_permutes_matrix(problem, seed):
    y_true, y_pred, w = problem
    labels = np.unique(np.concatenate([y_true, y_pred]))
    perm = np.random.default_rng(seed).permutation(len(labels))
    a = _cm(y_true, y_pred, w, labels=labels)
    b = _cm(y_true, y_pred, w, labels=labels[perm])
    np.testing.assert_array_equal(b, a[np.ix_(perm, perm)])


@given(
    problem=cm_problems(),
    shift=st.sampled_from([-(10**12), -7, 3, 10**15]),
    scale=st.sampled_from([1, 2, 1000]),
)
def test_property_order_preserving_relabel(problem, shift, scale):
    """Relabelling x -> scale * x + shift (or to strings) gives the same matrix."""
    y_true, y_pred, w = problem
    a = _cm(y_true, y_pred, w)
    b = _cm(y_true * scale + shift, y_pred * scale + shift, w)
    c = _cm(np.char.add("c", y_true.astype(str)), np.char.add("c", y_pred.astype(str)), w)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)


@given(problem=cm_problems())
def test_property_transpose_symmetry(problem):
    y_true, y_pred, w = problem
    np.testing.assert_array_equal(_cm(y_pred, y_true, w), _cm(y_true, y_pred, w).T)


@given(problem=cm_problems())
def test_property_normalized_sums(problem):
    y_true, y_pred, w = problem
    raw = _cm(y_true, y_pred, w).astype(np.float64)
    rows = _cm(y_true, y_pred, w, normalize="true").sum(axis=1)
    cols = _cm(y_true, y_pred, w, normalize="pred").sum(axis=0)
    np.testing.assert_allclose(rows, (raw.sum(axis=1) > 0).astype(float), rtol=1e-12)
    np.testing.assert_allclose(cols, (raw.sum(axis=0) > 0).astype(float), rtol=1e-12)
    np.testing.assert_allclose(_cm(y_true, y_pred, w, normalize="all").sum(), 1.0, rtol=1e-12)


@given(problem=cm_problems(max_n=20))
def test_property_matches_reference_twin(problem):
    y_true, y_pred, w = problem
    for normalize in NORMALIZE:
        got = _cm(y_true, y_pred, w, normalize=normalize)
        expected = ref.confusion_matrix_loops(y_true, y_pred, sample_weight=w, normalize=normalize)
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("weights", ["none", "float", "integer", "zeros"])
@pytest.mark.parametrize("stop_at", [None, 0, 17, 499])
def test_two_class_count_equals_the_general_loop(weights, stop_at):
    """`count_per_class` over two classes keeps its sums in registers,
    adding 0 where the general loop adds nothing: the same bits, the same
    stop at a label outside the table, the same classes seen."""
    from cymetrics._kernels import _confusion

    rng = np.random.default_rng(len(weights) + (stop_at or 0))
    n = 500
    y_true, y_pred = rng.integers(3, 5, n), rng.integers(3, 5, n)
    y_pred[: n // 3] = 3  # a class seen only in y_true or y_pred at times
    if stop_at is not None:
        y_true[stop_at] = 9
    w = {"none": np.empty(0, dtype=np.int64), "float": rng.random(n) * 1e3,
         "integer": rng.integers(0, 7, n), "zeros": rng.random(n) * (rng.random(n) < 0.5)}[weights]
    dtype = np.int64 if w.dtype.kind == "i" else np.float64
    two = [np.zeros(2, dtype=dtype) for _ in range(3)] + [np.zeros(2, dtype=np.uint8)]
    # Three classes (the third never occurs) take the general loop.
    three = [np.zeros(3, dtype=dtype) for _ in range(3)] + [np.zeros(3, dtype=np.uint8)]
    stop_two = _confusion.count_per_class(y_true, y_pred, 3, w, *two)
    stop_three = _confusion.count_per_class(y_true, y_pred, 3, w, *three)
    assert stop_two == stop_three == (n if stop_at is None else stop_at)
    for got, expected in zip(two, three):
        np.testing.assert_array_equal(got, expected[:2])
        assert got.tobytes() == expected[:2].tobytes()


@pytest.mark.parametrize("layout", ["same range", "new labels in the second half",
                                    "new labels in the first half", "union beyond the range",
                                    "negative labels", "one half one label"])
@pytest.mark.parametrize("weighted", [False, True])
def test_two_halves_count_as_one(monkeypatch, layout, weighted):
    """Unweighted counts of long integer labels come from two halves on two
    threads: each half grows its own range from the prefix guess, the
    tables are added over the union (or, beyond the dense limit, the labels
    are encoded): the same matrix as one pass, for every metric on top."""
    from cymetrics._classification import _confusion
    from cymetrics._shared import _parallel

    rng = np.random.default_rng(len(layout))
    n = 4000
    y_true, y_pred = rng.integers(0, 4, n), rng.integers(0, 4, n)
    if layout == "new labels in the second half":
        y_true[-5:] = [7, 9, 11, 4, 5]
    elif layout == "new labels in the first half":
        y_pred[n // 2 - 3:n // 2] = [-3, 8, 6]  # after the prefix guess
    elif layout == "union beyond the range":
        y_true[n // 2 - 1] = -(_confusion.MAX_DENSE_RANGE // 2 + 1)
        y_pred[-1] = _confusion.MAX_DENSE_RANGE // 2 + 1
    elif layout == "negative labels":
        y_true, y_pred = y_true - 2, y_pred - 2
    elif layout == "one half one label":
        y_true[n // 2:] = 3
        y_pred[n // 2:] = 3
    w = rng.random(n) if weighted else None
    expected = cymetrics.confusion_matrix(y_true, y_pred, sample_weight=w)
    expected_f1 = cymetrics.f1_score(y_true, y_pred, average="macro", sample_weight=w)
    monkeypatch.setattr(_parallel, "SPLIT_AT", 2)
    monkeypatch.setattr(_parallel, "THREADS", 2)
    monkeypatch.setattr(_confusion, "PREFIX", 16)
    got = cymetrics.confusion_matrix(y_true, y_pred, sample_weight=w)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype
    assert cymetrics.f1_score(y_true, y_pred, average="macro", sample_weight=w) == expected_f1
    np.testing.assert_array_equal(got, skm.confusion_matrix(y_true, y_pred, sample_weight=w))


@pytest.mark.parametrize("kind", ["int", "str", "float", "bool"])
@pytest.mark.parametrize("n", [1, 2, 3, 1001])
def test_matches_counted_in_two_halves(monkeypatch, kind, n):
    """accuracy_score and zero_one_loss count the differing labels of two
    halves on two threads for long input: the same counts as one pass."""
    from cymetrics._shared import _parallel

    rng = np.random.default_rng(n)
    y_true, y_pred = rng.integers(0, 3, n), rng.integers(0, 3, n)
    y_true, y_pred = {"int": (y_true, y_pred), "str": (y_true.astype(str), y_pred.astype(str)),
                      "float": (y_true * 2.0, y_pred * 2.0),
                      "bool": (y_true > 0, y_pred > 0)}[kind]
    expected = (cymetrics.accuracy_score(y_true, y_pred, normalize=False),
                cymetrics.zero_one_loss(y_true, y_pred))
    monkeypatch.setattr(_parallel, "SPLIT_AT", 1)
    monkeypatch.setattr(_parallel, "THREADS", 2)
    got = (cymetrics.accuracy_score(y_true, y_pred, normalize=False),
           cymetrics.zero_one_loss(y_true, y_pred))
    assert got == expected == (skm.accuracy_score(y_true, y_pred, normalize=False),
                               skm.zero_one_loss(y_true, y_pred))
