"""coverage_error, label_ranking_average_precision_score, label_ranking_loss,
dcg_score, ndcg_score.

* ``test_random_*``: seeded random inputs (ties, weights with zeros, rows
  with no or only relevant labels, graded gains, ``k``, ``ignore_ties``,
  float32) compared with scikit-learn (rtol=1e-12).
* ``test_reference_*``: per-row brute-force twins.
* ``test_bad_input_*``: same exception type as scikit-learn.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cymetrics
import multiclass_inputs as mi
from cymetrics._kernels import _label_ranking

RELEVANCE_FUNCS = ["coverage_error", "label_ranking_average_precision_score",
                   "label_ranking_loss"]
DCG_FUNCS = ["dcg_score", "ndcg_score"]


def _relevance_case(rng, rep):
    k = int(rng.choice([1, 2, 3, 6, 15]))
    n = int(rng.choice([1, 4, 40, 300]))
    y = mi.multilabel(rng, n, k, dtype=rng.choice([np.int64, np.float64, bool]))
    if n > 2:
        y[0] = 0
        y[1] = 1
    dtype = np.float32 if rep % 4 == 0 else np.float64
    s = mi.scores(rng, n, k, ties=rep % 2 == 0, dtype=dtype)
    return y, s


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("fname", RELEVANCE_FUNCS)
def test_random_relevance_vs_sklearn(fname, weighted, gen, oracle):
    for rep in range(25):
        rng = gen.rng("rel", fname, weighted, rep)
        y, s = _relevance_case(rng, rep)
        if y.shape[1] == 1 and fname != "label_ranking_average_precision_score":
            continue  # a single column is not multilabel: both refuse it
        w = mi.weights(rng, y.shape[0], "float_zeros" if rep % 2 else "int") if weighted else None
        if w is not None and not np.asarray(w).any():
            continue
        oracle.compare(fname, y, s, sample_weight=w, ctx=f"shape={y.shape} rep={rep}")


@pytest.mark.parametrize("ignore_ties", [False, True])
@pytest.mark.parametrize("fname", DCG_FUNCS)
def test_random_dcg_vs_sklearn(fname, ignore_ties, gen, oracle):
    for rep in range(25):
        rng = gen.rng("dcg", fname, ignore_ties, rep)
        k = int(rng.choice([2, 3, 7, 20]))
        n = int(rng.choice([1, 5, 50, 300]))
        kind = rep % 3
        if kind == 0:
            y = mi.multilabel(rng, n, k)
        elif kind == 1:
            y = rng.integers(0, 5, size=(n, k))
        else:
            y = np.round(rng.random((n, k)) * 3, 2)
        y[0, 0] = 1
        if kind != 2:
            y[0, 1] = 0 if kind == 0 else 3  # keep the target 2-D multilabel/multiclass
        s = mi.scores(rng, n, k, ties=rep % 2 == 0,
                      dtype=np.float32 if rep % 5 == 0 else np.float64)
        if rep % 6 == 3:
            s = rng.integers(0, 3, size=(n, k))  # integer scores, heavy ties
        kw = {"ignore_ties": ignore_ties}
        if rep % 3 == 1:
            kw["k"] = int(rng.integers(1, k + 2))
        if fname == "dcg_score" and rep % 4 == 2:
            kw["log_base"] = float(rng.choice([1.5, 10.0]))
        if rep % 5 == 2:
            kw["sample_weight"] = rng.random(n)
        oracle.compare(fname, y, s, ctx=f"shape={y.shape} kind={kind}", **kw)


def test_random_large_vs_sklearn(gen, oracle):
    rng = gen.rng("large")
    # scikit-learn loops over rows in Python: keep n moderate
    y = mi.multilabel(rng, 3_000, 8, density=0.3)
    s = mi.scores(rng, 3_000, 8, ties=True)
    for fname in RELEVANCE_FUNCS + DCG_FUNCS:
        oracle.compare(fname, y, s)


@pytest.mark.parametrize("sparse", ["csr_array", "csr_matrix", "coo_array"])
def test_sparse_y_true(gen, oracle, sparse):
    """LRAP and the ranking loss take a sparse y_true, coverage_error refuses
    it, as scikit-learn's parameter constraints say."""
    sp = pytest.importorskip("scipy.sparse")
    rng = gen.rng("sparse")
    y = mi.multilabel(rng, 30, 4, density=0.4)
    s = mi.scores(rng, 30, 4, ties=True)
    for fname in ("label_ranking_average_precision_score", "label_ranking_loss"):
        assert getattr(cymetrics, fname)(getattr(sp, sparse)(y), s) == \
            getattr(cymetrics, fname)(y, s)
    _, cy = oracle.compare("coverage_error", getattr(sp, sparse)(y), s)
    assert cy.raised


# ===========================================================================
# Reference twins (brute force per row, independent of scikit-learn)
# ===========================================================================
def _lrap_row(y, s):
    rel = np.flatnonzero(y)
    if rel.size in (0, y.size):
        return 1.0
    return np.mean([np.sum(s[rel] >= s[j]) / np.sum(s >= s[j]) for j in rel])


def _ranking_loss_row(y, s):
    rel, irr = np.flatnonzero(y), np.flatnonzero(y == 0)
    if rel.size == 0 or irr.size == 0:
        return 0.0
    return np.mean(s[irr][None, :] >= s[rel][:, None])


def _coverage_row(y, s):
    rel = np.flatnonzero(y)
    return 0 if rel.size == 0 else int(np.sum(s >= s[rel].min()))


def _dcg_row(gains, s, k, log_base=2):
    """Average over all tie-breaking orders, by enumeration of permutations
    within tie groups (small rows only)."""
    order = np.argsort(-s, kind="stable")
    discount = np.array([1 / math.log(r + 2, log_base) if (k is None or r < k) else 0.0
                         for r in range(len(s))])
    total = 0.0
    for rank, idx in enumerate(order):
        tied = np.flatnonzero(s == s[idx])
        ranks = [r for r, j in enumerate(order) if s[j] == s[idx]]
        total += discount[rank] * np.mean(gains[tied]) if rank == ranks[0] else 0.0
        if rank == ranks[0]:
            total += np.mean(gains[tied]) * (discount[ranks].sum() - discount[rank])
    return total


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_reference_row_metrics(dtype, gen):
    for rep in range(30):
        rng = gen.rng("ref", np.dtype(dtype).name, rep)
        n, k = 12, int(rng.integers(2, 7))
        y = mi.multilabel(rng, n, k)
        s = np.round(rng.random((n, k)), 1).astype(dtype)
        assert cymetrics.coverage_error(y, s) == pytest.approx(
            np.mean([_coverage_row(a, b) for a, b in zip(y, s)]), rel=1e-12)
        assert cymetrics.label_ranking_average_precision_score(y, s) == pytest.approx(
            np.mean([_lrap_row(a, b) for a, b in zip(y, s)]), rel=1e-12)
        assert cymetrics.label_ranking_loss(y, s) == pytest.approx(
            np.mean([_ranking_loss_row(a, b) for a, b in zip(y, s)]), rel=1e-12, abs=1e-15)
        gains = rng.integers(0, 4, size=(n, k)).astype(float)
        gains[0, :2] = [0, 2]
        kk = int(rng.integers(1, k + 1)) if rep % 2 else None
        assert cymetrics.dcg_score(gains, s, k=kk) == pytest.approx(
            np.mean([_dcg_row(a, b, kk) for a, b in zip(gains, s)]), rel=1e-12)


def test_hand_values():
    y = [[1, 0, 0], [0, 0, 1]]
    s = [[0.75, 0.5, 1], [1, 0.2, 0.1]]
    # row 1: relevant label 0 ranked 2nd -> coverage 2, LRAP 1/2, loss 1/2
    # row 2: relevant label 2 ranked 3rd -> coverage 3, LRAP 1/3, loss 1
    assert cymetrics.coverage_error(y, s) == 2.5
    assert cymetrics.label_ranking_average_precision_score(y, s) == pytest.approx(5 / 12)
    assert cymetrics.label_ranking_loss(y, s) == 0.75
    # tie-averaged DCG: gains [3, 1] tied at the top -> mean 2 over ranks 0, 1
    got = cymetrics.dcg_score([[3, 1, 0]], [[1, 1, 0]])
    assert got == pytest.approx(2 * (1 + 1 / math.log2(3)))


@given(st.integers(0, 2**32 - 1))
def test_property_permuting_labels_changes_nothing(seed):
    rng = np.random.default_rng(seed)
    n, k = 8, int(rng.integers(2, 7))
    y = mi.multilabel(rng, n, k, density=0.5)
    y[0, 0], y[0, 1] = 1, 0
    s = np.round(rng.random((n, k)), 1)
    g = rng.integers(0, 4, size=(n, k))
    g[0, :2] = [0, 2]
    perm = rng.permutation(k)
    for fname in RELEVANCE_FUNCS:
        f = getattr(cymetrics, fname)
        assert f(y[:, perm], s[:, perm]) == pytest.approx(f(y, s), rel=1e-12)
    for fname in DCG_FUNCS:
        f = getattr(cymetrics, fname)
        assert f(g[:, perm], s[:, perm]) == pytest.approx(f(g, s), rel=1e-12)


# ===========================================================================
# Bad input
# ===========================================================================
_Y = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]])
_S = np.array([[.3, .2, .5], [.1, .8, .1], [.4, .4, .2]])

BAD_INPUTS = {
    "shape": (RELEVANCE_FUNCS, (_Y, _S[:, :2]), {}),
    "length": (RELEVANCE_FUNCS + DCG_FUNCS, (_Y, _S[:2]), {}),
    "nan": (RELEVANCE_FUNCS + DCG_FUNCS, (_Y, np.where(_S == .8, np.nan, _S)), {}),
    "1d": (RELEVANCE_FUNCS + DCG_FUNCS, (_Y[:, 0], _S[:, 0]), {}),
    "multiclass-y": (["coverage_error", "label_ranking_loss"], (_Y * [1, 2, 1], _S), {}),
    "weight-length": (RELEVANCE_FUNCS + DCG_FUNCS, (_Y, _S), {"sample_weight": [1, 1]}),
    "str-scores": (RELEVANCE_FUNCS + DCG_FUNCS, (_Y, np.full(_S.shape, "a")), {}),
    "k0": (DCG_FUNCS, (_Y, _S), {"k": 0}),
    "k-float": (DCG_FUNCS, (_Y, _S), {"k": 1.5}),
    "ignore-ties": (DCG_FUNCS, (_Y, _S), {"ignore_ties": "no"}),
    "negative-gain": (["ndcg_score"], (_Y - 1, _S), {}),
    "one-document": (["ndcg_score"], (_Y[:, :1], _S[:, :1]), {}),
    "continuous-1d": (DCG_FUNCS, ([0.5, 1.5, 2.5], [1.0, 2.0, 3.0]), {}),
}


def _bad_params():
    for case_id, (funcs, _, _) in BAD_INPUTS.items():
        for fname in funcs:
            yield fname, case_id


@pytest.mark.parametrize("fname,case_id", list(_bad_params()))
def test_bad_input_same_exception_as_sklearn(fname, case_id, oracle):
    _, args, kwargs = BAD_INPUTS[case_id]
    sk, _ = oracle.compare(fname, *args, ctx=case_id, **kwargs)
    assert sk.raised


def test_log_base_must_be_positive(oracle):
    for base in (0, -2, "e"):
        sk, _ = oracle.compare("dcg_score", _Y, _S, log_base=base)
        assert sk.raised


@pytest.mark.parametrize("fname", RELEVANCE_FUNCS + DCG_FUNCS)
def test_all_zero_weights_raise_value_error(fname):
    # scikit-learn: ZeroDivisionError, or nan with a RuntimeWarning (LRAP)
    with pytest.raises(ValueError, match="non-zero"):
        getattr(cymetrics, fname)(_Y, _S, sample_weight=[0, 0, 0])


def test_kernels_refuse_bad_order():
    out = np.empty(3, dtype=np.int64)
    bad = np.tile(np.array([0, 1, 3], dtype=np.intp), (3, 1))
    with pytest.raises(ValueError):
        _label_ranking.rank_rows(_S, bad, np.empty(0, dtype=np.intp),
                                 _Y.astype(np.uint8), False, out, np.empty(3), out, out)
    with pytest.raises(ValueError):
        _label_ranking.tie_averaged_dcg(_S, bad, _S.copy(), np.ones(3), np.empty(3))
