"""Multilabel indicator targets: the counting kernels against pure-NumPy twins,
their refusal of malformed input, target-type detection, scipy sparse input
(against scikit-learn), and scipy staying optional.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import sklearn.metrics as skm
from sklearn.utils.multiclass import type_of_target

import cymetrics
from cymetrics._kernels import _confusion as _confusion_kernels
from cymetrics._kernels import _multilabel as kernels
from cymetrics._shared._indicators import check_indicator_pair, count_indicators

sp = pytest.importorskip("scipy.sparse")

VALUE_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                np.float32, np.float64]
EMPTY_I = np.empty(0, dtype=np.int64)


# ---------------------------------------------------------------------------
# Twins
# ---------------------------------------------------------------------------
def twin_counts(y_true, y_pred, weight=None):
    """Per-label tp / pred / true, per-sample ones, exact-row and differing
    totals, by NumPy reductions (the definition, no loops to share)."""
    t, p = y_true != 0, y_pred != 0
    w = np.ones(y_true.shape[0]) if weight is None else weight
    diff = (y_true != y_pred).sum(axis=1)
    return {
        "tp": (t & p).T.astype(float) @ w,
        "pred": p.T.astype(float) @ w,
        "true": t.T.astype(float) @ w,
        "s_tp": (t & p).sum(axis=1),
        "s_pred": p.sum(axis=1),
        "s_true": t.sum(axis=1),
        "exact": float(w[diff == 0].sum()),
        "differing": float(diff @ w),
    }


def random_indicators(rng, n, n_labels, dtype, values=(0, 1)):
    y_true = rng.choice(values, size=(n, n_labels), p=[0.6, 0.4]).astype(dtype)
    y_pred = np.where(rng.random((n, n_labels)) < 0.7, y_true,
                      rng.choice(values, size=(n, n_labels))).astype(dtype)
    return y_true, y_pred


def run_dense(y_true, y_pred, weight=None, per_sample=True):
    n, n_labels = y_true.shape
    dtype = np.int64 if weight is None else np.float64
    tp, pred, true = (np.zeros(n_labels, dtype=dtype) for _ in range(3))
    samples = [np.zeros(n if per_sample else 0, dtype=np.int64) for _ in range(3)]
    exact, differing = kernels.count_dense_indicator(
        y_true, y_pred, EMPTY_I if weight is None else weight, tp, pred, true, *samples)
    return dict(tp=tp, pred=pred, true=true, s_tp=samples[0], s_pred=samples[1],
                s_true=samples[2], exact=exact, differing=differing)


def assert_matches_twin(got, twin, per_sample=True):
    for key in ("tp", "pred", "true"):
        np.testing.assert_allclose(got[key], twin[key], rtol=1e-12, err_msg=key)
    if per_sample:
        for key in ("s_tp", "s_pred", "s_true"):
            np.testing.assert_array_equal(got[key], twin[key], err_msg=key)
    assert got["exact"] == pytest.approx(twin["exact"], rel=1e-12)
    assert got["differing"] == pytest.approx(twin["differing"], rel=1e-12)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("dtype", VALUE_DTYPES, ids=lambda d: np.dtype(d).name)
def test_twin_dense_kernel(dtype, weighted):
    rng = np.random.default_rng(np.dtype(dtype).num)
    for n, n_labels in [(1, 1), (7, 3), (200, 5), (1000, 33)]:
        values = (0, 1) if rng.random() < 0.7 else (0, 3)
        y_true, y_pred = random_indicators(rng, n, n_labels, dtype, values)
        w = rng.random(n) * (rng.random(n) < 0.8) if weighted else None
        for per_sample in (True, False):
            got = run_dense(y_true, y_pred, w, per_sample)
            assert_matches_twin(got, twin_counts(y_true, y_pred, w), per_sample)
            assert got["tp"].dtype == (np.float64 if weighted else np.int64)


def test_twin_dense_kernel_no_rows():
    got = run_dense(np.zeros((0, 3), np.int64), np.zeros((0, 3), np.int64))
    assert got["exact"] == 0 and got["differing"] == 0
    assert not got["tp"].any()


def test_twin_dense_kernel_accumulates_into_outputs():
    rng = np.random.default_rng(1)
    y_true, y_pred = random_indicators(rng, 50, 4, np.uint8)
    tp, pred, true = (np.full(4, 10, dtype=np.int64) for _ in range(3))
    kernels.count_dense_indicator(
        y_true, y_pred, EMPTY_I, tp, pred, true, EMPTY_I, EMPTY_I, EMPTY_I
    )
    np.testing.assert_array_equal(tp - 10, twin_counts(y_true, y_pred)["tp"])


def _csr_parts(m):
    m = sp.csr_matrix(m)
    m.sum_duplicates()
    return (m.indptr.astype(np.int64), m.indices.astype(np.int64), m.data.astype(np.float64))


def run_csr(t_parts, p_parts, n_labels, weight=None, n_samples=None):
    n = t_parts[0].shape[0] - 1 if n_samples is None else n_samples
    dtype = np.int64 if weight is None else np.float64
    tp, pred, true = (np.zeros(n_labels, dtype=dtype) for _ in range(3))
    samples = [np.zeros(n, dtype=np.int64) for _ in range(3)]
    exact, differing, ok = kernels.count_csr_indicator(
        *t_parts, *p_parts, EMPTY_I if weight is None else weight, tp, pred, true, *samples)
    return dict(tp=tp, pred=pred, true=true, s_tp=samples[0], s_pred=samples[1],
                s_true=samples[2], exact=exact, differing=differing), ok


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_twin_csr_kernel(weighted):
    rng = np.random.default_rng(7)
    for n, n_labels in [(1, 2), (30, 4), (500, 40)]:
        y_true, y_pred = random_indicators(rng, n, n_labels, np.float64, (0, 2))
        w = rng.random(n) if weighted else None
        got, ok = run_csr(_csr_parts(y_true), _csr_parts(y_pred), n_labels, w)
        assert ok
        assert_matches_twin(got, twin_counts(y_true, y_pred, w))


def test_twin_csr_explicit_zeros_are_negatives():
    y_true = sp.csr_matrix((np.array([1.0, 0.0, 1.0]), np.array([0, 1, 2]), np.array([0, 2, 3])),
                           shape=(2, 3))
    y_pred = sp.csr_matrix(np.array([[1, 0, 0], [0, 0, 1]]))
    got, ok = run_csr(_csr_parts(y_true), _csr_parts(y_pred), 3)
    assert ok
    assert_matches_twin(got, twin_counts(y_true.toarray(), y_pred.toarray()))


def test_twin_per_class_kernel():
    rng = np.random.default_rng(3)
    for offset in (0, -5, 100):
        k = 6
        y_true = rng.integers(0, k, 500) + offset
        y_pred = rng.integers(0, k, 500) + offset
        for w in (None, rng.random(500)):
            dtype = np.int64 if w is None else np.float64
            tp, true, pred = (np.zeros(k, dtype) for _ in range(3))
            seen = np.zeros(k, np.uint8)
            done = _confusion_kernels.count_per_class(y_true, y_pred, offset,
                                           EMPTY_I if w is None else w, tp, true, pred, seen)
            assert done == 500
            ww = np.ones(500) if w is None else w
            np.testing.assert_allclose(true, np.bincount(y_true - offset, ww, k), rtol=1e-12)
            np.testing.assert_allclose(pred, np.bincount(y_pred - offset, ww, k), rtol=1e-12)
            hit = y_true == y_pred
            np.testing.assert_allclose(
                tp, np.bincount(y_true[hit] - offset, ww[hit], k), rtol=1e-12
            )
            assert seen.all()


# ---------------------------------------------------------------------------
# Kernels refuse malformed input (never read or write out of bounds)
# ---------------------------------------------------------------------------
def test_kernel_per_class_stops_at_out_of_range_label():
    tp, true, pred = (np.zeros(3, np.int64) for _ in range(3))
    seen = np.zeros(3, np.uint8)
    y = np.array([0, 1, 3, 2], dtype=np.int64)
    assert (
        _confusion_kernels.count_per_class(y, y[::-1].copy(), 0, EMPTY_I, tp, true, pred, seen) == 1
    )
    assert _confusion_kernels.count_per_class(y, y, 0, EMPTY_I, tp, true, pred, seen) == 2
    assert _confusion_kernels.count_per_class(y, y, 1, EMPTY_I, tp, true, pred, seen) == 0
    assert true.sum() == 3


@pytest.mark.parametrize("case", ["index_too_big", "index_negative", "unsorted", "duplicate",
                                  "indptr_beyond", "indptr_decreasing"])
def test_kernel_csr_refuses_malformed(case):
    indptr = np.array([0, 2, 3], dtype=np.int64)
    indices = np.array([0, 2, 1], dtype=np.int64)
    data = np.ones(3)
    if case == "index_too_big":
        indices = np.array([0, 3, 1], dtype=np.int64)
    elif case == "index_negative":
        indices = np.array([-1, 2, 1], dtype=np.int64)
    elif case == "unsorted":
        indices = np.array([2, 0, 1], dtype=np.int64)
    elif case == "duplicate":
        indices = np.array([1, 1, 1], dtype=np.int64)
    elif case == "indptr_beyond":
        indptr = np.array([0, 2, 9], dtype=np.int64)
    elif case == "indptr_decreasing":
        indptr = np.array([0, 3, 2], dtype=np.int64)
    good = _csr_parts(np.eye(2, 3))
    _, ok = run_csr((indptr, indices, data), good, 3)
    assert not ok
    _, ok = run_csr(good, (indptr, indices, data), 3)
    assert not ok


@pytest.mark.parametrize("bad", ["shape", "weight", "labels_out", "samples_out"])
def test_kernel_dense_refuses_mismatched_arrays(bad):
    y = np.zeros((4, 3), np.int64)
    tp, pred, true = (np.zeros(3, np.int64) for _ in range(3))
    samples = [np.zeros(4, np.int64) for _ in range(3)]
    args = [y, y, EMPTY_I, tp, pred, true, *samples]
    if bad == "shape":
        args[1] = np.zeros((4, 2), np.int64)
    elif bad == "weight":
        args[2:6] = [np.ones(3), np.zeros(3), np.zeros(3), np.zeros(3)]
    elif bad == "labels_out":
        args[3] = np.zeros(2, np.int64)
    else:
        args[6] = np.zeros(3, np.int64)
    with pytest.raises(ValueError):
        kernels.count_dense_indicator(*args)


def test_kernel_csr_refuses_mismatched_arrays():
    good = _csr_parts(np.eye(2, 3))
    with pytest.raises(ValueError):
        run_csr(good, _csr_parts(np.eye(3)), 3)  # different number of rows
    indptr, indices, data = good
    with pytest.raises(ValueError):
        run_csr((indptr, indices, data[:1]), good, 3)


# ---------------------------------------------------------------------------
# Validation: target types as scikit-learn sees them
# ---------------------------------------------------------------------------
TYPE_CASES = {
    "ints01": np.array([[0, 1], [1, 1]]),
    "bool": np.array([[True, False], [False, False]]),
    "floats01": np.array([[0.0, 1.0], [1.0, 0.0]]),
    "zeros": np.zeros((3, 4), int),
    "ones": np.ones((3, 2), int),
    "values02": np.array([[0, 2], [2, 0]]),
    "values12": np.array([[1, 2], [2, 1]]),
    "pm1": np.array([[-1, 1], [1, -1]]),
    "three_values": np.array([[0, 1], [2, 0]]),
    "continuous": np.array([[0.5, 1.0], [1.0, 0.0]]),
    "float_three": np.array([[0.0, 1.0], [2.0, 0.0]]),
    "strings": np.array([["a", "b"], ["b", "a"]]),
    "uint8": np.array([[0, 1], [1, 0]], dtype=np.uint8),
    "int8_extremes": np.array([[-128, 127], [127, -128]], dtype=np.int8),
}


@pytest.mark.parametrize("case_id", sorted(TYPE_CASES))
def test_indicator_type_as_sklearn(case_id):
    y = TYPE_CASES[case_id]
    expected = type_of_target(y)
    if expected == "multilabel-indicator":
        pair = check_indicator_pair(y, y)
        assert pair.n_samples == y.shape[0] and pair.n_labels == y.shape[1]
    else:
        with pytest.raises(ValueError, match=expected):
            check_indicator_pair(y, y)


@pytest.mark.parametrize("case_id", sorted(TYPE_CASES))
def test_indicator_type_sparse_as_sklearn(case_id):
    y = TYPE_CASES[case_id]
    if y.dtype.kind not in "biuf":
        return
    m = sp.csr_matrix(y)
    # (scikit-learn may name a non-indicator sparse target 'binary' by its
    # first row; both refuse it.)
    if type_of_target(m) == "multilabel-indicator":
        check_indicator_pair(m, m)
    else:
        with pytest.raises(ValueError):
            check_indicator_pair(m, m)


# ---------------------------------------------------------------------------
# Sparse input against scikit-learn
# ---------------------------------------------------------------------------
SPARSE_FORMATS = {
    "csr_matrix": sp.csr_matrix,
    "csc_matrix": sp.csc_matrix,
    "coo_matrix": sp.coo_matrix,
    "lil_matrix": sp.lil_matrix,
    "csr_array": sp.csr_array,
    "dense_and_csr": None,
}
SPARSE_CALLS = [
    ("f1_score", {"average": "macro"}),
    ("precision_score", {"average": "samples"}),
    ("recall_score", {"average": None, "labels": [3, 0]}),
    ("jaccard_score", {"average": "micro"}),
    ("fbeta_score", {"average": "weighted", "beta": 2}),
    ("precision_recall_fscore_support", {"average": "samples"}),
    ("accuracy_score", {}),
    ("hamming_loss", {}),
    ("zero_one_loss", {"normalize": False}),
    ("multilabel_confusion_matrix", {}),
    ("multilabel_confusion_matrix", {"samplewise": True, "labels": [1, 2]}),
]


@pytest.mark.parametrize("fmt", sorted(SPARSE_FORMATS))
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_sparse_input_vs_sklearn(fmt, weighted, oracle):
    rng = np.random.default_rng(hash(fmt) % 2**32)
    y_true, y_pred = random_indicators(rng, 120, 5, np.int64)
    w = rng.random(120) if weighted else None
    convert = SPARSE_FORMATS[fmt]
    if convert is None:
        args = (y_true, sp.csr_matrix(y_pred))
    else:
        args = (convert(y_true), convert(y_pred))
    for fname, kw in SPARSE_CALLS:
        oracle.compare(fname, *args, ctx=f"{fmt}", sample_weight=w, **kw)
    expected = skm.classification_report(*args, sample_weight=w, output_dict=True, zero_division=0)
    got = cymetrics.classification_report(*args, sample_weight=w, output_dict=True, zero_division=0)
    assert got.keys() == expected.keys()
    for key in expected:
        np.testing.assert_allclose(
            list(got[key].values()), list(expected[key].values()), rtol=1e-12
        )


def test_sparse_input_not_modified_and_unsorted_indices_accepted():
    rng = np.random.default_rng(5)
    y_true, y_pred = random_indicators(rng, 40, 6, np.int64)
    m = sp.csr_matrix(y_true)
    # Reverse each row's indices: a valid, non-canonical CSR matrix.
    for i in range(m.shape[0]):
        sl = slice(m.indptr[i], m.indptr[i + 1])
        m.indices[sl] = m.indices[sl][::-1].copy()
        m.data[sl] = m.data[sl][::-1].copy()
    m.has_sorted_indices = False
    before = (m.indices.copy(), m.data.copy())
    assert cymetrics.f1_score(m, y_pred, average=None) == pytest.approx(
        skm.f1_score(y_true, y_pred, average=None), rel=1e-12)
    np.testing.assert_array_equal(m.indices, before[0])
    np.testing.assert_array_equal(m.data, before[1])


@pytest.mark.parametrize("fname", ["f1_score", "accuracy_score", "multilabel_confusion_matrix"])
def test_sparse_bad_input_same_exception(fname, oracle):
    good = sp.csr_matrix(np.eye(3, dtype=int))
    cases = {
        "shape": (good, sp.csr_matrix(np.eye(3, 4, dtype=int))),
        "values12": (sp.csr_matrix(np.array([[1, 2, 0], [0, 1, 2], [2, 0, 1]])), good),
        "continuous": (sp.csr_matrix(np.eye(3) * 0.5), good),
        "one_column": (sp.csr_matrix(np.ones((3, 1), dtype=int)), np.ones(3, dtype=int)),
        "vs_1d": (good, np.array([0, 1, 2])),
    }
    kw = {"average": "macro"} if fname == "f1_score" else {}
    for case, (y_true, y_pred) in cases.items():
        sk, ours = oracle.both(fname, y_true, y_pred, **kw)
        assert sk.raised, case
        oracle.assert_same_exception(sk.exc, ours.exc, ctx=f"{fname}/{case}")


# ---------------------------------------------------------------------------
# Counting entry point
# ---------------------------------------------------------------------------
def test_count_indicators_mixed_dtypes_and_labels_subset():
    rng = np.random.default_rng(11)
    y_true, y_pred = random_indicators(rng, 60, 4, np.int64)
    pair = check_indicator_pair(y_true.astype(bool), y_pred.astype(np.float32))
    assert pair.true.dtype == pair.pred.dtype == np.float32
    counted = count_indicators(pair, per_sample=True)
    twin = twin_counts(y_true, y_pred)
    np.testing.assert_array_equal(counted.tp, twin["tp"])
    np.testing.assert_array_equal(counted.sample_true, twin["s_true"])
    sub = count_indicators(pair.columns(np.array([3, 3, 0])), per_sample=True)
    np.testing.assert_array_equal(sub.tp, twin["tp"][[3, 3, 0]])


def test_scipy_is_optional():
    """Without scipy, dense multilabel and 1-D metrics work and nothing imports it."""
    code = textwrap.dedent("""
        import sys
        sys.modules["scipy"] = None  # any `import scipy` now fails
        import numpy as np
        import cymetrics
        y = np.array([[0, 1, 1], [1, 0, 1]])
        assert cymetrics.f1_score(y, y[::-1], average="samples") >= 0
        assert cymetrics.precision_score([0, 1, 1], [0, 1, 0]) == 1.0
        assert cymetrics.from_confusion([[3, 1], [2, 4]], "mcc_score") > 0
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
