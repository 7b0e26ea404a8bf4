"""log_loss, brier_score_loss, d2_log_loss_score, d2_brier_score, hinge_loss.

* ``test_random_*``: seeded random inputs (binary and 3 to 50 classes, string
  / float / shifted labels, ``labels`` listing absent classes, weights with
  zeros, float32, probabilities at 0 and 1 hitting the clipping) compared
  with scikit-learn (rtol=1e-12 for float64; float32 and float16 inputs are
  computed in float64 here, so they agree to the precision of their dtype).
* ``test_hand_*``: values computed by hand.
* ``test_bad_input_*``: same exception type as scikit-learn.

(Signatures, lists, read-only, strided and big-endian arrays, inputs left
untouched: tests/test_common.py.)
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import cymetrics
import multiclass_inputs as mi
from cymetrics._kernels import _losses
from cymetrics._probabilistic._losses import _LOG_BLOCK

PROBA_FUNCS = ["log_loss", "brier_score_loss", "d2_log_loss_score", "d2_brier_score"]


def _with_extremes(rng, p):
    """Put exact 0 and 1 rows in (the clipping must match)."""
    p = p.copy()
    n, k = p.shape
    rows = rng.random(n) < 0.15
    hot = rng.integers(0, k, size=n)
    p[rows] = 0
    p[rows, hot[rows]] = 1
    return p


def _tolerance(oracle, dtype):
    if np.dtype(dtype) == np.float32:
        oracle.rtol, oracle.atol = 2e-6, 1e-7
    elif np.dtype(dtype) == np.float16:
        oracle.rtol, oracle.atol = 2e-2, 1e-3
    else:
        oracle.rtol, oracle.atol = 1e-12, 1e-15


@pytest.fixture
def loose_oracle(oracle):
    saved = oracle.rtol, oracle.atol
    yield oracle
    oracle.rtol, oracle.atol = saved


# ===========================================================================
# Multiclass probabilities
# ===========================================================================
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("label_kind", ["int", "str", "float", "neg", "str_obj"])
@pytest.mark.parametrize("fname", PROBA_FUNCS)
def test_random_multiclass_vs_sklearn(fname, label_kind, dtype, gen, loose_oracle):
    oracle = loose_oracle
    _tolerance(oracle, dtype)
    for rep in range(10):
        rng = gen.rng("mc", fname, label_kind, dtype, rep)
        k = int(rng.choice([2, 3, 5, 12, 50]))
        n = int(rng.choice([2, 3, 20, 300]))
        values = mi.classes(label_kind, k)
        extra = k > 2 and rep % 3 == 0
        y = mi.labels(rng, n, values[:-1] if extra else values, skew=rep % 4 == 1)
        p = mi.proba(rng, n, k, ties=rep % 2 == 0)
        if rep % 5 == 0:
            p = _with_extremes(rng, p)
        if rep % 7 == 3:
            p[0] *= 1.3  # a row that does not sum to one: a warning
        p = p.astype(dtype)
        kw = {}
        if extra or rep % 4 == 0:
            kw["labels"] = values
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        if w is not None:
            kw["sample_weight"] = w
        if fname == "log_loss" and rep % 2:
            kw["normalize"] = False
        oracle.compare(fname, y, p, ctx=f"k={k} n={n} extra={extra}", **kw)


# ===========================================================================
# Binary (1-D) probabilities
# ===========================================================================
@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
@pytest.mark.parametrize("label_kind", ["01", "pm1", "bool", "str", "int25", "float01"])
@pytest.mark.parametrize("fname", PROBA_FUNCS)
def test_random_binary_vs_sklearn(fname, label_kind, dtype, gen, loose_oracle):
    oracle = loose_oracle
    _tolerance(oracle, dtype)
    for rep in range(10):
        rng = gen.rng("bin", fname, label_kind, dtype, rep)
        n = int(rng.choice([1, 2, 10, 400]))
        y = gen.labels(rng, n, label_kind, p_pos=rng.choice([0.5, 0.1, 0.9]))
        p = rng.random(n)
        if rep % 3 == 0:
            p[rng.random(n) < 0.2] = rng.choice([0.0, 1.0])
        if rep % 4 == 1:
            p = np.round(p, 1)
        p = p.astype(dtype)
        kw = {}
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        if w is not None:
            kw["sample_weight"] = w
        neg, pos, _ = gen.label_kinds[label_kind]
        if fname in ("brier_score_loss", "d2_brier_score") and rep % 2:
            kw["pos_label"] = pos if rep % 4 == 1 else neg
        if fname in ("log_loss", "d2_log_loss_score") and rep % 3 == 1:
            kw["labels"] = [neg, pos]
        if rep % 5 == 4:
            p = p.reshape(-1, 1)
        if dtype != "float64" and fname.startswith("d2") and len(set(np.asarray(y).tolist())) < 2:
            # one class: the null loss is ~eps and the ratio amplifies
            # scikit-learn's float16/float32 rounding beyond any tolerance
            continue
        oracle.compare(fname, y, p, ctx=f"n={n}", **kw)


@pytest.mark.parametrize("scale_by_half", ["auto", True, False], ids=repr)
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_brier_scale_by_half_vs_sklearn(k, scale_by_half, gen, oracle):
    rng = gen.rng("brier-scale", k)
    y = rng.integers(0, max(k, 2), size=50)
    y[:2] = [0, 1]
    if k < 3:
        y = np.clip(y, 0, 1)
    p = rng.random(50) if k == 1 else mi.proba(rng, 50, max(k, 2))
    if k == 3:
        y = np.arange(50) % 3
    oracle.compare("brier_score_loss", y, p, scale_by_half=scale_by_half)


@pytest.mark.parametrize("fname", ["log_loss", "brier_score_loss", "d2_log_loss_score",
                                   "d2_brier_score"])
def test_random_multilabel_vs_sklearn(fname, gen, oracle):
    for rep in range(6):
        rng = gen.rng("ml", fname, rep)
        n, k = int(rng.choice([5, 60])), int(rng.choice([2, 4]))
        y = mi.multilabel(rng, n, k, density=0.5)
        y[0], y[1] = 1, 0
        p = rng.random((n, k))
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        oracle.compare(fname, y, p, sample_weight=w, ctx=f"n={n} k={k}")


@pytest.mark.parametrize("fname", PROBA_FUNCS)
def test_random_large_vs_sklearn(fname, gen, oracle):
    rng = gen.rng("large", fname)
    n, k = 100_000, 6
    y = mi.labels(rng, n, np.arange(k))
    oracle.compare(fname, y, mi.proba(rng, n, k))
    yb = rng.integers(0, 2, size=n)
    oracle.compare(fname, yb, rng.random(n), sample_weight=rng.random(n))


# ===========================================================================
# Hinge loss
# ===========================================================================
@pytest.mark.parametrize("label_kind", ["int", "str", "neg"])
@pytest.mark.parametrize("k", [2, 3, 5, 20])
def test_random_hinge_vs_sklearn(k, label_kind, gen, loose_oracle):
    oracle = loose_oracle
    for rep in range(10):
        rng = gen.rng("hinge", k, label_kind, rep)
        n = int(rng.choice([1, 3, 30, 300]))
        values = mi.classes(label_kind, k)
        extra = k > 3 and rep % 3 == 0
        y = mi.labels(rng, n, values[:-1] if extra else values, all_present=rep % 4 != 2)
        if k == 2:
            d = mi.scores(rng, n, 1, ties=rep % 2 == 0)[:, 0]
        else:
            d = mi.scores(rng, n, k, ties=rep % 2 == 0,
                          dtype=np.float32 if rep % 5 == 0 else np.float64)
        _tolerance(oracle, d.dtype)
        kw = {}
        if extra or rep % 3 == 1:
            kw["labels"] = values
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        if w is not None:
            kw["sample_weight"] = w
        sk, _ = oracle.compare("hinge_loss", y, d, ctx=f"n={n} extra={extra}", **kw)


def test_hinge_binary_quirks_vs_sklearn(oracle):
    # one class: every sample is the negative class (-1)
    oracle.compare("hinge_loss", [3, 3, 3], [0.5, -1.0, 2.0])
    # three classes in y_true but two labels: scikit-learn's binary branch
    oracle.compare("hinge_loss", [1, 2, 3], [0.5, -1.0, 2.0], labels=[1, 2])
    oracle.compare("hinge_loss", [-1, 1, 1], [[0.5], [-1.0], [2.0]])
    oracle.compare("hinge_loss", [0, 1, 1], [1, -2, 3])  # integer decisions


# ===========================================================================
# Hand-computed values and the clipping
# ===========================================================================
def test_hand_log_loss_and_clipping():
    eps = np.finfo(np.float64).eps
    got = cymetrics.log_loss([0, 1, 2], [[1.0, 0, 0], [0.5, 0.5, 0], [0, 0, 1.0]])
    expected = -(math.log(1 - eps) + math.log(0.5) + math.log(1 - eps)) / 3
    assert got == pytest.approx(expected, rel=1e-15)
    # a zero true-class probability is clipped to eps, not -inf
    assert cymetrics.log_loss([0, 1], [[0.0, 1.0], [1.0, 0.0]]) == pytest.approx(-math.log(eps))
    eps32 = float(np.finfo(np.float32).eps)
    got32 = cymetrics.log_loss([0, 1], np.array([0.0, 0.0], dtype=np.float32))
    assert got32 == pytest.approx(-(math.log(1 - eps32) + math.log(eps32)) / 2, rel=1e-12)


def test_hand_brier_and_d2():
    assert cymetrics.brier_score_loss([0, 1], [0.25, 0.5]) == pytest.approx(
        (0.25**2 + 0.5**2) / 2)
    assert cymetrics.brier_score_loss([0, 1, 2], [[1, 0, 0], [0, 0.5, 0.5], [0, 0, 1]]) == \
        pytest.approx(0.5 / 3)
    # the null model of [0, 0, 1, 1] predicts 0.5 everywhere
    p = [0.1, 0.2, 0.7, 0.9]
    null = 0.25
    model = np.mean((np.array(p) - [0, 0, 1, 1]) ** 2)
    assert cymetrics.d2_brier_score([0, 0, 1, 1], p) == pytest.approx(1 - model / null)
    model_ll = -np.mean(np.log([0.9, 0.8, 0.7, 0.9]))
    assert cymetrics.d2_log_loss_score([0, 0, 1, 1], p) == pytest.approx(
        1 - model_ll / math.log(2))


def test_hand_hinge():
    # margins: y d = [2.18, 2.36, 0.09] -> losses [0, 0, 0.91]
    assert cymetrics.hinge_loss([-1, 1, 1], [-2.18, 2.36, 0.09]) == pytest.approx(0.91 / 3)
    # multiclass: margin = d_y - max(other)
    d = [[1.0, 0.5, -1.0], [0.0, 0.2, 0.3]]
    assert cymetrics.hinge_loss([0, 1], d, labels=[0, 1, 2]) == pytest.approx((0.5 + 1.1) / 2)


def test_log_loss_single_pass_does_not_build_one_hot():
    # the kernel reads codes: the loss of a huge class count costs O(n K) reads
    rng = np.random.default_rng(0)
    k = 1000
    y = rng.integers(0, k, size=200)
    y[:k // 5] = np.arange(k // 5)
    p = mi.proba(rng, 200, k)
    got = cymetrics.log_loss(y, p, labels=np.arange(k))
    assert got == pytest.approx(-np.mean(np.log(p[np.arange(200), y])), rel=1e-12)


@st.composite
def _proba_inputs(draw):
    k = draw(st.integers(2, 6))
    n = draw(st.integers(k, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = mi.labels(rng, n, np.arange(k))
    p = mi.proba(rng, n, k, ties=draw(st.booleans()))
    if draw(st.booleans()):
        p = _with_extremes(rng, p)
    return y, p, rng.integers(1, 4, size=n)


@given(_proba_inputs(), st.sampled_from(PROBA_FUNCS + ["hinge_loss"]))
def test_property_order_and_integer_weights(inputs, fname):
    y, p, w = inputs
    if fname == "hinge_loss" and p.shape[1] == 2:
        p = p[:, 1] - 0.5  # binary decision values are 1-D
    f = getattr(cymetrics, fname)
    expected = f(y, p)
    order = np.random.default_rng(len(y)).permutation(len(y))
    assert f(y[order], p[order]) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    repeated = f(np.repeat(y, w), np.repeat(p, w, axis=0))
    assert f(y, p, sample_weight=w) == pytest.approx(repeated, rel=1e-12, abs=1e-15)


@given(_proba_inputs())
def test_property_bounds(inputs):
    y, p, _ = inputs
    assert cymetrics.log_loss(y, p) >= 0
    assert 0 <= cymetrics.brier_score_loss(y, p) <= 2
    assert cymetrics.d2_brier_score(y, p) <= 1
    assert cymetrics.d2_log_loss_score(y, p) <= 1
    # a perfect prediction: log loss -log(1 - eps), Brier 0
    onehot = np.eye(p.shape[1])[y]
    assert cymetrics.brier_score_loss(y, onehot) == 0.0
    assert cymetrics.log_loss(y, onehot) == pytest.approx(-np.log1p(-np.finfo(float).eps))


# ===========================================================================
# Warnings and bad input
# ===========================================================================
_Y = np.array([0, 1, 2, 0])
_P = np.array([[.7, .2, .1], [.2, .5, .3], [.1, .2, .7], [.6, .2, .2]])

BAD_INPUTS = {
    "ll-nan": ("log_loss", (_Y, np.where(_P == .7, np.nan, _P)), {}),
    "ll-inf": ("log_loss", ([0, 1], [0.5, np.inf]), {}),
    "ll-gt1": ("log_loss", (_Y, _P * 2), {}),
    "ll-neg": ("log_loss", (_Y, _P - 0.5), {}),
    "ll-width": ("log_loss", (_Y, _P[:, :2]), {}),
    "ll-width-labels": ("log_loss", (_Y, _P), {"labels": [0, 1, 2, 3]}),
    "ll-one-class": ("log_loss", ([1, 1, 1], [0.2, 0.3, 0.4]), {}),
    "ll-one-label": ("log_loss", ([1, 1, 1], [0.2, 0.3, 0.4]), {"labels": [1]}),
    "ll-unknown-label": ("log_loss", (_Y, _P), {"labels": [0, 1, 5]}),
    "ll-1d-multiclass": ("log_loss", (_Y, _P[:, 0]), {}),
    "ll-continuous": ("log_loss", ([0.5, 1.5, 0.2], [0.2, 0.3, 0.4]), {}),
    "ll-multioutput": ("log_loss", ([[0, 2], [1, 0]], [[.5, .5], [.5, .5]]), {}),
    "ll-length": ("log_loss", (_Y[:3], _P), {}),
    "ll-zero-weights": ("log_loss", (_Y, _P), {"sample_weight": [0, 0, 0, 0]}),
    "ll-weight-length": ("log_loss", (_Y, _P), {"sample_weight": [1, 1]}),
    "ll-normalize": ("log_loss", (_Y, _P), {"normalize": 1}),
    "ll-both-y": ("log_loss", (_Y, _P), {"y_pred": _P}),
    "ll-str-proba": ("log_loss", (_Y, np.full(_P.shape, "a")), {}),
    "ll-3d": ("log_loss", (_Y, _P[:, :, None]), {}),
    "ll-empty": ("log_loss", ([], []), {}),
    "ll-labels-ml": ("log_loss", ([[0, 1], [1, 0]], [[.5, .5], [.5, .5]]), {"labels": [0, 1]}),
    "br-gt1": ("brier_score_loss", ([0, 1], [0.5, 1.5]), {}),
    "br-neg": ("brier_score_loss", ([0, 1], [0.5, -0.5]), {}),
    "br-nan": ("brier_score_loss", ([0, 1], [0.5, np.nan]), {}),
    "br-str-no-pos": ("brier_score_loss", (["a", "b"], [0.5, 0.2]), {}),
    "br-multiclass-1d": ("brier_score_loss", (_Y, _P[:, 0]), {}),
    "br-width": ("brier_score_loss", (_Y, _P[:, :2]), {}),
    "br-scale": ("brier_score_loss", ([0, 1], [0.5, 0.2]), {"scale_by_half": 1}),
    "br-pos-label-type": ("brier_score_loss", ([0, 1], [0.5, 0.2]), {"pos_label": [1]}),
    "br-zero-weights": ("brier_score_loss", ([0, 1], [0.5, 0.2]), {"sample_weight": [0, 0]}),
    "br-nan-label": ("brier_score_loss", ([0, np.nan], [0.5, 0.2]), {}),
    "d2ll-one-class": ("d2_log_loss_score", ([1, 1, 1], [0.2, 0.3, 0.4]), {}),
    "d2ll-gt1": ("d2_log_loss_score", ([0, 1, 1], [0.2, 0.3, 1.4]), {}),
    "d2br-width": ("d2_brier_score", (_Y, _P[:, :2]), {}),
    "hinge-1d-multiclass": ("hinge_loss", (_Y, _P[:, 0]), {}),
    "hinge-width": ("hinge_loss", (_Y, _P[:, :2]), {}),
    "hinge-width-labels": ("hinge_loss", (_Y, _P), {"labels": [0, 1, 2, 3]}),
    "hinge-unseen": ("hinge_loss", ([0, 1, 5, 0], _P), {"labels": [0, 1, 2]}),
    "hinge-binary-2d": ("hinge_loss", ([0, 1], [[.5, .5], [.2, .8]]), {}),
    "hinge-nan": ("hinge_loss", ([0, 1], [0.5, np.nan]), {}),
    "hinge-length": ("hinge_loss", ([0, 1, 1], [0.5, 0.2]), {}),
}


@pytest.mark.parametrize("case_id", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_same_exception_as_sklearn(case_id, oracle):
    fname, args, kwargs = BAD_INPUTS[case_id]
    sk, _ = oracle.compare(fname, *args, ctx=case_id, **kwargs)
    assert sk.raised, f"{case_id}: expected sklearn to refuse this input"


EDGE_INPUTS = {
    "ll-unnormalized-warning": ("log_loss", (_Y, _P * 1.1), {}),
    "ll-unsorted-labels-warning": ("log_loss", ([0, 1, 1], [[.2, .8]] * 3), {"labels": [1, 0]}),
    "ll-y-pred-deprecated": ("log_loss", (_Y,), {"y_pred": _P}),
    "d2-one-sample": ("d2_log_loss_score", ([1], [0.5]), {}),
    "d2br-one-sample": ("d2_brier_score", ([1], [0.5]), {}),
    "d2br-one-class": ("d2_brier_score", ([1, 1, 1], [0.2, 0.3, 0.4]), {}),
    "d2ll-one-class-labels": ("d2_log_loss_score", ([1, 1, 1], [0.2, 0.3, 0.4]),
                              {"labels": [0, 1]}),
    "br-pos-label-absent": ("brier_score_loss", ([2, 3, 3], [0.2, 0.3, 0.4]), {"pos_label": 7}),
    "br-greater-label-default": ("brier_score_loss", ([2, 3, 3], [0.2, 0.3, 0.4]), {}),
    "br-one-class": ("brier_score_loss", ([1, 1], [0.2, 0.3]), {}),
}


@pytest.mark.parametrize("case_id", list(EDGE_INPUTS), ids=list(EDGE_INPUTS))
def test_edge_inputs_same_outcome_as_sklearn(case_id, oracle):
    fname, args, kwargs = EDGE_INPUTS[case_id]
    oracle.compare(fname, *args, ctx=case_id, **kwargs)


def test_hinge_all_zero_weights_raise_value_error():
    # scikit-learn: ZeroDivisionError from np.average
    with pytest.raises(ValueError, match="non-zero"):
        cymetrics.hinge_loss([0, 1], [0.5, 0.2], sample_weight=[0, 0])


def test_unnormalized_rows_warn_once():
    with pytest.warns(UserWarning, match="do not sum to one") as record:
        cymetrics.log_loss(_Y, _P * 1.1)
    assert len([r for r in record if "sum to one" in str(r.message)]) == 1


def test_no_warning_on_clean_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fname in PROBA_FUNCS:
            getattr(cymetrics, fname)(_Y, _P)
        cymetrics.hinge_loss(_Y, _P)


def test_kernels_refuse_bad_codes_and_lengths():
    with pytest.raises(ValueError):
        _losses.matrix_loss(_P, np.array([0, 1, 3, 0], dtype=np.intp),
                            np.empty((0, 0), dtype=np.uint8), True, np.empty(0),
                            _losses.LOG_LOSS, 1e-16, 1 - 1e-16, 1e-8)
    with pytest.raises(ValueError):
        _losses.binary_loss(np.zeros(3), np.zeros(2, dtype=np.uint8), 1, np.empty(0),
                            _losses.BRIER, 0.0, 1.0)
    with pytest.raises(ValueError):
        _losses.multiclass_hinge(_P, np.array([0, -1, 0, 0], dtype=np.intp), np.empty(0))



@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n", [2 * _LOG_BLOCK - 1, 2 * _LOG_BLOCK, 3 * _LOG_BLOCK + 5])
def test_blocked_binary_log_loss_matches_the_kernel(rng, dtype, weighted, n):
    # From 2 * _LOG_BLOCK samples the binary log loss takes numpy's log of
    # clipped blocks; below, the kernel's scalar log. Both equal scikit-learn.
    y = rng.integers(0, 2, n)
    p = rng.random(n).astype(dtype)
    p[:5] = [0.0, 1.0, 1e-300 if dtype is np.float64 else 0.0, 0.5, 1.0]  # clipped ends
    w = rng.random(n) if weighted else None
    got = cymetrics.log_loss(y, p, sample_weight=w)
    is_pos = np.ascontiguousarray(y == 1).view(np.uint8)
    eps = float(np.finfo(dtype).eps)
    kernel = _losses.binary_loss(p, is_pos, 1, np.empty(0) if w is None else w,
                                 _losses.LOG_LOSS, eps, 1 - eps)[0]
    expected = kernel / (n if w is None else math.fsum(w))
    assert got == pytest.approx(expected, rel=1e-13)
    assert got == pytest.approx(skm.log_loss(y, p, sample_weight=w),
                                rel=1e-12 if dtype is np.float64 else 1e-6)


@pytest.mark.parametrize("bad, match", [(np.nan, "NaN"), (1.5, "greater than 1"),
                                        (-0.5, "lower than 0")])
def test_blocked_binary_log_loss_checks_every_block(rng, bad, match):
    n = 3 * _LOG_BLOCK
    y, p = rng.integers(0, 2, n), rng.random(n)
    p[n - 2] = bad  # in the last block
    with pytest.raises(ValueError, match=match):
        cymetrics.log_loss(y, p)
