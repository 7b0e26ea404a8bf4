"""Multiclass and multilabel ROC AUC and average precision, top-k accuracy.

* ``test_random_*``: seeded random inputs (3 to 50 classes, ties, weights
  with zeros, string / float / shifted labels, float32, class order given by
  ``labels``) compared with scikit-learn: values to rtol=1e-12, dtypes,
  shapes, warnings and exception types.
* ``test_ovo_weighted_*`` / ``test_ovo_pairwise_*``: the parts beyond
  scikit-learn (one-vs-one with sample weights, ``average=None``) against a
  brute-force pair count.
* ``test_kernel_*``: the pair-statistics kernel against brute force, and its
  refusal of inconsistent arguments.
* ``test_property_*``: hypothesis invariances; ``test_bad_input_*``: same
  exception type as scikit-learn; ``test_contract_*``: input handling.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import cymetrics
import multiclass_inputs as mi
from cymetrics._kernels import _multiclass, _pairwise

AVERAGES_OVR = ["macro", "weighted", None, "micro"]
AVERAGES_OVO = ["macro", "weighted"]
AVERAGES_ALL = ["macro", "weighted", None, "micro", "samples"]


def _compare(oracle, fname, *args, ctx="", **kwargs):
    """``oracle.compare``, except that scikit-learn's int 0 (its 'weighted'
    average when every class has zero weight) must be a float 0.0 here."""
    sk, cy = oracle.both(fname, *args, **kwargs)
    if not sk.raised and type(sk.result) is int:
        assert sk.result == 0 and type(cy.result) is float and cy.result == 0.0, ctx
        return sk, cy
    oracle.assert_same_outcome(sk, cy, ctx=f"{fname}: {ctx}")
    return sk, cy


def _zero_weight_class(y, w):
    """A column whose positives or negatives all have zero weight."""
    if w is None:
        return False
    w = np.asarray(w, dtype=float)[:, None]
    y = np.asarray(y) != 0
    pos, neg = (y * w).sum(axis=0), (~y * w).sum(axis=0)
    return bool(((pos == 0) & y.any(axis=0) | (neg == 0) & (~y).any(axis=0)).any())


def _mc_case(rng, label_kind, *, k=None, n=None):
    """A random multiclass input and kwargs valid for scikit-learn."""
    k = k or int(rng.choice([3, 4, 5, 7, 12]))
    n = n or int(rng.choice([k, 2 * k, 40, 300]))
    values = mi.classes(label_kind, k)
    extra = rng.random() < 0.2 and label_kind in ("int", "str")
    if extra:
        # labels lists a class that y_true lacks.
        values_all = mi.classes(label_kind, k + 1)
        y = mi.labels(rng, n, values_all[:-1], skew=rng.random() < 0.3)
        values = values_all
        k = k + 1
    else:
        y = mi.labels(rng, n, values, skew=rng.random() < 0.3)
    dtype = np.float32 if rng.random() < 0.25 else np.float64
    p = mi.proba(rng, n, k, ties=rng.random() < 0.5, dtype=dtype)
    kw = {}
    if extra or rng.random() < 0.3:
        kw["labels"] = values
    desc = f"k={k} n={n} labels={label_kind} dtype={np.dtype(dtype).name} extra={extra}"
    return y, p, kw, desc


# ===========================================================================
# roc_auc_score, multiclass
# ===========================================================================
@pytest.mark.parametrize("label_kind", ["int", "str", "float", "int_shift", "neg", "big", "uint8"])
@pytest.mark.parametrize("average", AVERAGES_OVR, ids=repr)
def test_random_roc_auc_ovr_vs_sklearn(average, label_kind, gen, oracle):
    for rep in range(9):
        rng = gen.rng("ovr", average, label_kind, rep)
        y, p, kw, desc = _mc_case(rng, label_kind)
        w = mi.weights(rng, len(y), rng.choice(mi.WEIGHT_MODES))
        sk, cy = _compare(
            oracle, "roc_auc_score", y, p, multi_class="ovr", average=average,
            sample_weight=w, ctx=f"{desc} w={w is not None}", **kw,
        )
        assert not sk.raised


@pytest.mark.parametrize("label_kind", ["int", "str", "float", "neg"])
@pytest.mark.parametrize("average", AVERAGES_OVO, ids=repr)
def test_random_roc_auc_ovo_vs_sklearn(average, label_kind, gen, oracle):
    for rep in range(7):
        rng = gen.rng("ovo", average, label_kind, rep)
        y, p, kw, desc = _mc_case(rng, label_kind)
        sk, _ = oracle.compare(
            "roc_auc_score", y, p, multi_class="ovo", average=average, ctx=desc, **kw
        )
        assert not sk.raised


@pytest.mark.parametrize(
    "multi_class,k", [("ovr", 3), ("ovr", 20), ("ovr", 50), ("ovo", 3), ("ovo", 12), ("ovo", 30)]
)
def test_random_roc_auc_many_classes_vs_sklearn(k, multi_class, gen, oracle):
    rng = gen.rng("many", k, multi_class)
    n = 400 if multi_class == "ovr" else 100
    y = mi.labels(rng, n, np.arange(k))
    p = mi.proba(rng, n, k, ties=True)
    # scikit-learn's one-vs-one takes seconds at 30 classes: one average there
    # (50 classes: see test_ovo_weighted_matches_brute_force)
    averages = AVERAGES_OVR if multi_class == "ovr" else AVERAGES_OVO[: 1 if k > 20 else 2]
    for average in averages:
        oracle.compare("roc_auc_score", y, p, multi_class=multi_class, average=average,
                       ctx=f"k={k}")


@pytest.mark.parametrize("multi_class", ["ovr", "ovo"])
def test_random_roc_auc_large_vs_sklearn(multi_class, gen, oracle):
    rng = gen.rng("large", multi_class)
    n, k = 100_000, 5
    y = mi.labels(rng, n, np.arange(k), skew=True)
    p = mi.proba(rng, n, k, ties=True)
    for average in ("macro", "weighted"):
        oracle.compare("roc_auc_score", y, p, multi_class=multi_class, average=average)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("multi_class", ["ovr", "ovo"])
def test_two_threads_and_column_blocks_give_the_same_result(multi_class, weighted, gen,
                                                            monkeypatch):
    import cymetrics._ranking._multiclass as impl

    rng = gen.rng("threads", multi_class, weighted)
    k = 23
    y = mi.labels(rng, 2000, np.arange(k))
    p = mi.proba(rng, 2000, k, ties=True)
    w = rng.random(2000) if weighted else None
    serial = cymetrics.roc_auc_score(y, p, multi_class=multi_class, average=None,
                                     sample_weight=w)
    monkeypatch.setattr(impl, "_THREADED_SIZE", 1)
    monkeypatch.setattr(impl, "_THREADS", 2)
    monkeypatch.setattr(impl, "_BLOCK_ELEMENTS", 1)  # blocks of 4 columns
    threaded = cymetrics.roc_auc_score(y, p, multi_class=multi_class, average=None,
                                       sample_weight=w)
    np.testing.assert_array_equal(threaded, serial)


def test_roc_auc_ovr_hand_computed():
    # Class 0 column [.7, .2, .1, .3]: positives {0.7} above all three
    # negatives -> 1. Class 1 column [.2, .5, .6, .3]: positive 0.5 beats 0.2
    # and 0.3, loses to 0.6 -> 2/3. Class 2: positives {.3, .4}, negatives
    # {.1, .3}: pairs (.3>.1), (.3=.3 half), (.4>.1), (.4>.3) -> 3.5/4.
    y = [0, 1, 2, 2]
    p = np.array([[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]])
    got = cymetrics.roc_auc_score(y, p, multi_class="ovr", average=None)
    np.testing.assert_allclose(got, [1.0, 2 / 3, 3.5 / 4], rtol=1e-15)
    assert cymetrics.roc_auc_score(y, p, multi_class="ovr") == pytest.approx(
        (1 + 2 / 3 + 3.5 / 4) / 3, rel=1e-15
    )


# ===========================================================================
# Beyond scikit-learn: one-vs-one with weights, pairwise matrix
# ===========================================================================
def _brute_pair_auc(y, p, w, a, b):
    """Weighted AUC of class a against class b on column a (pair counting)."""
    ia, ib = np.flatnonzero(y == a), np.flatnonzero(y == b)
    sa, sb = p[ia, a][:, None], p[ib, a][None, :]
    pw = w[ia][:, None] * w[ib][None, :]
    return np.sum(pw * ((sa > sb) + 0.5 * (sa == sb))) / (w[ia].sum() * w[ib].sum())


def _brute_ovo(y, p, w):
    k = p.shape[1]
    m = np.full((k, k), np.nan)
    for a, b in itertools.combinations(range(k), 2):
        if (y == a).any() and (y == b).any():
            m[a, b] = m[b, a] = (_brute_pair_auc(y, p, w, a, b)
                                 + _brute_pair_auc(y, p, w, b, a)) / 2
    return m


@pytest.mark.parametrize("weight_mode", ["float", "float_zeros", "int"])
@pytest.mark.parametrize("k", [3, 6, 50])
def test_ovo_weighted_matches_brute_force(k, weight_mode, gen):
    for rep in range(8 if k < 50 else 1):
        rng = gen.rng("ovo-w", k, weight_mode, rep)
        n = int(rng.choice([k, 30, 120])) if k < 50 else 300
        y = mi.labels(rng, n, np.arange(k))
        p = mi.proba(rng, n, k, ties=rep % 2 == 0)
        w = mi.weights(rng, n, weight_mode).astype(np.float64)
        # keep every class's total weight positive
        for c in range(k):
            w[np.flatnonzero(y == c)[0]] += 1.0
        expected = _brute_ovo(y, p, w)
        got = cymetrics.roc_auc_score(y, p, multi_class="ovo", average=None, sample_weight=w)
        np.testing.assert_allclose(got, expected, rtol=1e-12, equal_nan=True)
        upper = expected[np.triu_indices(k, 1)]
        macro = cymetrics.roc_auc_score(y, p, multi_class="ovo", sample_weight=w)
        assert macro == pytest.approx(upper.mean(), rel=1e-12)
        share = np.array([[w[y == a].sum() + w[y == b].sum() for b in range(k)]
                          for a in range(k)])[np.triu_indices(k, 1)]
        weighted = cymetrics.roc_auc_score(
            y, p, multi_class="ovo", average="weighted", sample_weight=w
        )
        assert weighted == pytest.approx(np.average(upper, weights=share), rel=1e-12)


def test_ovo_unit_weights_equal_unweighted_sklearn(gen):
    rng = gen.rng("ovo-unit")
    y = mi.labels(rng, 200, np.arange(5))
    p = mi.proba(rng, 200, 5, ties=True)
    for average in AVERAGES_OVO:
        expected = skm.roc_auc_score(y, p, multi_class="ovo", average=average)
        got = cymetrics.roc_auc_score(y, p, multi_class="ovo", average=average,
                                      sample_weight=np.ones(200))
        assert got == pytest.approx(expected, rel=1e-12)


def test_ovo_pairwise_matrix_unweighted(gen):
    rng = gen.rng("ovo-matrix")
    k = 5
    y = mi.labels(rng, 90, np.arange(k))
    p = mi.proba(rng, 90, k, ties=True)
    m = cymetrics.roc_auc_score(y, p, multi_class="ovo", average=None)
    assert m.shape == (k, k) and m.dtype == np.float64
    np.testing.assert_array_equal(m, m.T)
    assert np.isnan(np.diag(m)).all()
    np.testing.assert_allclose(m, _brute_ovo(y, p, np.ones(90)), rtol=1e-12, equal_nan=True)
    macro = skm.roc_auc_score(y, p, multi_class="ovo")
    assert np.nanmean(m[np.triu_indices(k, 1)]) == pytest.approx(macro, rel=1e-12)


def test_ovo_pairwise_matrix_absent_class_is_nan():
    y = np.array([0, 1, 0, 1, 0])
    p = mi.proba(np.random.default_rng(0), 5, 3)
    m = cymetrics.roc_auc_score(y, p, multi_class="ovo", average=None, labels=[0, 1, 2])
    assert np.isnan(m[2]).all() and np.isnan(m[:, 2]).all()
    assert np.isfinite(m[0, 1]) and m[0, 1] == m[1, 0]


def test_ovo_zero_weight_class_is_nan_with_warning():
    y = np.array([0, 1, 2, 0, 1, 2])
    p = mi.proba(np.random.default_rng(1), 6, 3)
    w = np.array([1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    with pytest.warns(cymetrics.UndefinedMetricWarning, match="zero total sample weight"):
        m = cymetrics.roc_auc_score(y, p, multi_class="ovo", average=None, sample_weight=w)
    assert np.isnan(m[2]).all() and np.isfinite(m[0, 1])


def test_ovo_all_zero_weights_raises():
    y = np.array([0, 1, 2])
    with pytest.raises(ValueError, match="non-zero"):
        cymetrics.roc_auc_score(y, np.full((3, 3), 1 / 3), multi_class="ovo",
                                sample_weight=[0, 0, 0])


# ===========================================================================
# Label encoding (offset fast path and np.unique fallback)
# ===========================================================================
ENCODE_CASES = {
    "int-dense": np.array([3, 1, 2, 1, 3]),
    "int-gap": np.array([10, 1, 10, 4]),
    "int8-negative": np.array([-5, 7, -5, 0], dtype=np.int8),
    "uint8": np.array([200, 3, 3], dtype=np.uint8),
    "uint64": np.array([2**40, 7, 2**40], dtype=np.uint64),
    "int64-wide": np.array([10**15, -(10**15), 0]),
    "bool": np.array([True, False, True]),
    "float-integral": np.array([2.0, -1.0, 2.0, 5.0]),
    "float-fraction": np.array([0.5, 1.5, 0.5]),
    "str": np.array(["b", "a", "c", "a"]),
    "big-endian": np.array([5, 2, 5], dtype=">i4"),
}


@pytest.mark.parametrize("case_id", list(ENCODE_CASES), ids=list(ENCODE_CASES))
def test_encode_labels_matches_np_unique(case_id):
    from cymetrics._shared._labels import encode_labels

    y = ENCODE_CASES[case_id]
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    got = encode_labels(y)
    np.testing.assert_array_equal(got.classes, classes)
    np.testing.assert_array_equal(got.codes, codes)
    np.testing.assert_array_equal(got.counts, counts)
    assert got.codes.dtype == np.intp
    # against a superset of classes: positions in it, zero counts for absent ones
    if y.dtype.kind in "iu" and y.dtype != np.uint64:
        superset = np.unique(np.concatenate([classes, [classes.max() + 1]])).astype(y.dtype)
        got = encode_labels(y, superset)
        np.testing.assert_array_equal(got.codes, np.searchsorted(superset, y))
        assert got.counts[-1] == 0
    with pytest.raises(ValueError, match="missing"):
        encode_labels(y, classes[1:], unknown="missing")


# ===========================================================================
# The pair-statistics kernel
# ===========================================================================
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernel_grouped_pair_statistics_matches_brute_force(dtype, weighted, gen):
    for rep in range(10):
        rng = gen.rng("kernel", np.dtype(dtype).name, weighted, rep)
        k = int(rng.integers(2, 6))
        counts = rng.integers(0, 8, size=k)
        n = int(counts.sum())
        if n == 0:
            continue
        codes = np.repeat(np.arange(k), counts)
        grouped = np.round(rng.random((k, n)), 1).astype(dtype)
        bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        for c in range(k):
            for b in range(k):
                grouped[c, bounds[b]:bounds[b + 1]].sort()
        w = rng.random(n) if weighted else np.ones(n)
        # iid weights: any alignment with the sorted rows is a valid input
        wmat = np.tile(w, (k, 1)) if weighted else np.empty((0, 0))
        out = np.empty((k, k))
        _pairwise.grouped_pair_statistics(grouped, wmat, bounds, out)
        for c in range(k):
            for b in range(k):
                if b == c:
                    assert out[c, b] == 0
                    continue
                pc, pb = codes == c, codes == b
                sp, sn = grouped[c][pc][:, None], grouped[c][pb][None, :]
                pw = w[pc][:, None] * w[pb][None, :]
                expected = np.sum(pw * ((sp > sn) + 0.5 * (sp == sn)))
                assert out[c, b] == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("shape", ["interleaved", "separated", "ties", "one-tie-at-cut"])
def test_kernel_pair_statistics_large_groups(shape, gen):
    # groups of >= 256 take the four-chain merge
    rng = gen.rng("kernel-large", shape)
    sizes = [300, 1000, 257, 2048]
    segments = []
    for b, m in enumerate(sizes):
        if shape == "interleaved":
            v = rng.random(m)
        elif shape == "separated":
            v = rng.random(m) + 0.5 * b
        elif shape == "ties":
            v = rng.integers(0, 7, size=m).astype(float)
        else:
            v = rng.random(m)
            v[m // 2] = 0.5
        segments.append(np.sort(v))
    k = len(sizes)
    grouped = np.tile(np.concatenate(segments), (k, 1))
    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
    out = np.empty((k, k))
    _pairwise.grouped_pair_statistics(grouped, np.empty((0, 0)), bounds, out)
    for c in range(k):
        for b in range(k):
            if b == c:
                continue
            pos, neg = segments[c], segments[b]
            below = np.searchsorted(neg, pos, side="left").sum()
            at_or_below = np.searchsorted(neg, pos, side="right").sum()
            assert out[c, b] == (below + at_or_below) / 2


@pytest.mark.parametrize(
    "bounds,first", [([0, 2, 1, 4], 0), ([1, 2, 3, 4], 0), ([0, 1, 2, 5], 0), ([0, 1, 2], 0),
                     ([0, 1, 2, 4], 1), ([0, 1, 2, 4], -1)], ids=repr
)
def test_kernel_refuses_bad_bounds_and_columns(bounds, first):
    grouped = np.zeros((3, 4))
    with pytest.raises(ValueError):
        _pairwise.grouped_pair_statistics(
            grouped, np.empty((0, 0)), np.array(bounds, dtype=np.intp), np.empty((3, 3)),
            first,
        )


@pytest.mark.parametrize("codes,cursor", [
    ([0, 2, 1], [0, 2]),  # a code beyond the classes
    ([1, 1, 1], [0, 2]),  # class 1's cursor runs past the output
], ids=["code", "cursor"])
def test_kernel_class_positions_refuses_inconsistent_arguments(codes, cursor):
    with pytest.raises(ValueError):
        _multiclass.class_positions(np.zeros((3, 2)), np.array(codes, dtype=np.intp),
                                    np.array(cursor, dtype=np.intp),
                                    np.empty(3, dtype=np.intp), np.empty(0), np.empty(0))


@pytest.mark.parametrize("position,first", [([0, 3, 1], 0), ([0, -1, 1], 0), ([0, 1, 2], 1)],
                         ids=["beyond", "negative", "columns"])
def test_kernel_gather_refuses_bad_positions_and_columns(position, first):
    with pytest.raises(ValueError):
        _multiclass.gather_columns(np.zeros((3, 2)), np.array(position, dtype=np.intp),
                                   first, np.empty((2, 3)))


@pytest.mark.parametrize("n_cols", [1, 3, 16, 17, 40])
def test_kernel_class_positions_and_gather(n_cols, gen):
    rng = gen.rng("gather", n_cols)
    n = 1500
    codes = rng.integers(0, n_cols, size=n).astype(np.intp)
    scores = rng.random((n, n_cols))
    counts = np.bincount(codes, minlength=n_cols)
    cursor = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    position = np.empty(n, dtype=np.intp)
    _multiclass.class_positions(scores, codes, cursor, position, np.empty(0), np.empty(0))
    order = np.argsort(codes, kind="stable")
    np.testing.assert_array_equal(position[order], np.arange(n))
    np.testing.assert_array_equal(cursor, np.cumsum(counts))
    first = n_cols // 3
    out = np.empty((n_cols - first, n))
    _multiclass.gather_columns(scores, position, first, out)
    np.testing.assert_array_equal(out, scores[order][:, first:].T)


def test_kernel_split_flat_refuses_short_output():
    scores = np.zeros((3, 2))
    with pytest.raises(ValueError):
        _multiclass.split_flat(scores, np.array([0, 1, 0], dtype=np.intp),
                               np.empty((0, 0), dtype=np.uint8), True,
                               np.empty(2), np.empty(3), np.empty(0), np.empty(0), np.empty(0))


def test_kernel_top_k_refuses_bad_codes():
    with pytest.raises(ValueError):
        _multiclass.top_k_hits(np.zeros((2, 3)), np.array([0, 3], dtype=np.intp), 1,
                               np.empty(0))


# ===========================================================================
# roc_auc_score / average_precision_score, multilabel
# ===========================================================================
@pytest.mark.parametrize("average", AVERAGES_ALL, ids=repr)
@pytest.mark.parametrize("fname", ["roc_auc_score", "average_precision_score"])
def test_random_multilabel_vs_sklearn(fname, average, gen, oracle):
    for rep in range(15):
        rng = gen.rng("ml", fname, average, rep)
        k = int(rng.choice([2, 3, 5, 9]))
        n = int(rng.choice([2, 5, 30, 60 if average == "samples" else 200]))
        y = mi.multilabel(rng, n, k, dtype=rng.choice([np.int64, np.float64, bool]))
        dtype = np.float32 if rep % 4 == 0 else np.float64
        s = mi.scores(rng, n, k, ties=rep % 2 == 0, dtype=dtype)
        kw = {"average": average}
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        if w is not None:
            kw["sample_weight"] = w
        if (fname == "roc_auc_score" and rep % 3 == 0 and average != "samples"
                and not _zero_weight_class(y, w)):
            # (scikit-learn crashes on a partial AUC of a zero-weight class;
            # see test_partial_auc_of_zero_weight_class_is_nan)
            kw["max_fpr"] = float(rng.choice([0.3, 0.8, 1.0]))
        _compare(oracle, fname, y, s, ctx=f"k={k} n={n} rep={rep}", **kw)


def test_multilabel_samples_partial_auc_vs_sklearn(gen, oracle):
    rng = gen.rng("ml-samples-partial")
    y = mi.multilabel(rng, 40, 6, density=0.4)
    s = mi.scores(rng, 40, 6, ties=True)
    for max_fpr in (0.25, 0.6):
        oracle.compare("roc_auc_score", y, s, average="samples", max_fpr=max_fpr)


def test_multilabel_large_vs_sklearn(gen, oracle):
    rng = gen.rng("ml-large")
    y = mi.multilabel(rng, 50_000, 4, density=0.3)
    s = mi.scores(rng, 50_000, 4, ties=True)
    for fname in ("roc_auc_score", "average_precision_score"):
        for average in ("macro", "micro"):
            oracle.compare(fname, y, s, average=average)


# ===========================================================================
# average_precision_score, multiclass
# ===========================================================================
@pytest.mark.parametrize("label_kind", ["int", "str", "float"])
@pytest.mark.parametrize("average", AVERAGES_ALL, ids=repr)
def test_random_average_precision_multiclass_vs_sklearn(average, label_kind, gen, oracle):
    for rep in range(10):
        rng = gen.rng("ap-mc", average, label_kind, rep)
        k = int(rng.choice([3, 4, 8]))
        # scikit-learn's 'samples' average loops over rows in Python
        n = int(rng.choice([k, 30, 60 if average == "samples" else 250]))
        y = mi.labels(rng, n, mi.classes(label_kind, k))
        p = mi.scores(rng, n, k, ties=rep % 2 == 0,
                      dtype=np.float32 if rep % 3 == 0 else np.float64)
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        _compare(oracle, "average_precision_score", y, p, average=average, sample_weight=w,
                 ctx=f"k={k} n={n}")


# ===========================================================================
# top_k_accuracy_score
# ===========================================================================
@pytest.mark.parametrize("label_kind", ["int", "str", "neg"])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_random_top_k_vs_sklearn(k, label_kind, gen, oracle):
    for rep in range(12):
        rng = gen.rng("topk", k, label_kind, rep)
        n_classes = int(rng.choice([3, 4, 6, 10]))
        n = int(rng.choice([1, 5, 40, 300]))
        values = mi.classes(label_kind, n_classes)
        y = mi.labels(rng, n, values, all_present=rep % 3 != 0)
        s = mi.scores(rng, n, n_classes, ties=rep % 2 == 0,
                      dtype=np.float32 if rep % 4 == 0 else np.float64)
        kw = {"k": k, "normalize": bool(rep % 5)}
        if rep % 3 == 0 or len(np.unique(y)) != n_classes:
            kw["labels"] = values
        w = mi.weights(rng, n, rng.choice(mi.WEIGHT_MODES))
        if w is not None:
            kw["sample_weight"] = w
        oracle.compare("top_k_accuracy_score", y, s, ctx=f"n={n} classes={n_classes}", **kw)


@pytest.mark.parametrize("k", [1, 2])
@pytest.mark.parametrize("scores", ["proba", "decision"])
def test_random_top_k_binary_vs_sklearn(scores, k, gen, oracle):
    for rep in range(8):
        rng = gen.rng("topk-bin", scores, k, rep)
        n = int(rng.choice([2, 10, 100]))
        y = rng.integers(0, 2, size=n)
        s = rng.random(n) if scores == "proba" else rng.normal(size=n)
        kw = {"k": k}
        if rep % 2:
            kw["labels"] = [0, 1]
        oracle.compare("top_k_accuracy_score", y, s, **kw)


def test_top_k_ties_rank_later_column_first():
    # all scores tied: the stable reversed order puts the last column first
    y = [0, 1, 2]
    s = np.full((3, 3), 1 / 3)
    assert cymetrics.top_k_accuracy_score(y, s, k=1) == 1 / 3  # only class 2 hits
    assert cymetrics.top_k_accuracy_score(y, s, k=2) == 2 / 3
    assert skm.top_k_accuracy_score(y, s, k=1) == 1 / 3


# ===========================================================================
# Bad input: same exception type as scikit-learn
# ===========================================================================
_Y = np.array([0, 1, 2, 0, 1, 2])
_P = np.array([[.5, .3, .2], [.2, .5, .3], [.1, .2, .7],
               [.6, .2, .2], [.3, .4, .3], [.2, .2, .6]])
_YML = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]])

BAD_INPUTS = {
    "sums-not-one": ("roc_auc_score", (_Y, _P * 2), {"multi_class": "ovr"}),
    "raise": ("roc_auc_score", (_Y, _P), {}),
    "max-fpr": ("roc_auc_score", (_Y, _P), {"multi_class": "ovr", "max_fpr": 0.5}),
    "samples-ovr": ("roc_auc_score", (_Y, _P), {"multi_class": "ovr", "average": "samples"}),
    "micro-ovo": ("roc_auc_score", (_Y, _P), {"multi_class": "ovo", "average": "micro"}),
    "width": ("roc_auc_score", (_Y, _P[:, :2] / _P[:, :2].sum(1, keepdims=True)),
              {"multi_class": "ovr"}),
    "width-4": ("roc_auc_score", (_Y, np.full((6, 4), .25)), {"multi_class": "ovr"}),
    "1d-scores": ("roc_auc_score", (_Y, _P[:, 0]), {"multi_class": "ovr"}),
    "3d-scores": ("roc_auc_score", (_Y, _P[:, :, None]), {"multi_class": "ovr"}),
    "nan": ("roc_auc_score", (_Y, np.where(_P == .7, np.nan, _P)), {"multi_class": "ovr"}),
    "inf": ("roc_auc_score", (_Y, np.where(_P == .7, np.inf, _P)), {"multi_class": "ovo"}),
    "str-scores": ("roc_auc_score", (_Y, np.full(_P.shape, "a", dtype=object)),
                   {"multi_class": "ovr"}),
    "labels-unordered": ("roc_auc_score", (_Y, _P), {"multi_class": "ovr", "labels": [1, 0, 2]}),
    "labels-dup": ("roc_auc_score", (_Y, _P), {"multi_class": "ovr", "labels": [0, 1, 1]}),
    "labels-missing": ("roc_auc_score", (_Y, _P), {"multi_class": "ovo", "labels": [0, 1, 3]}),
    "labels-count": ("roc_auc_score", (_Y, _P), {"multi_class": "ovr", "labels": [0, 1, 2, 3]}),
    "length": ("roc_auc_score", (_Y[:5], _P), {"multi_class": "ovr"}),
    "weight-length": ("roc_auc_score", (_Y, _P), {"multi_class": "ovr", "sample_weight": [1] * 5}),
    "multioutput": ("roc_auc_score", (np.array([[0, 2], [1, 2], [2, 0]]), _P[:3, :2]), {}),
    "ml-shape-len": ("roc_auc_score", (_YML, _P[:5]), {}),
    "ml-nan": ("roc_auc_score", (_YML, np.where(_P == .7, np.nan, _P)), {}),
    "ml-ap-pos-label": ("average_precision_score", (_YML, _P), {"pos_label": 0}),
    "mc-ap-pos-label": ("average_precision_score", (_Y, _P), {"pos_label": 2}),
    "mc-ap-width": ("average_precision_score", (_Y, _P[:, :2]), {}),
    "mc-ap-1d": ("average_precision_score", (_Y, _P[:, 0]), {}),
    "mc-ap-nan": ("average_precision_score", (_Y, np.where(_P == .7, np.nan, _P)), {}),
    "topk-k0": ("top_k_accuracy_score", (_Y, _P), {"k": 0}),
    "topk-kfloat": ("top_k_accuracy_score", (_Y, _P), {"k": 1.5}),
    "topk-normalize": ("top_k_accuracy_score", (_Y, _P), {"normalize": "yes"}),
    "topk-width": ("top_k_accuracy_score", (_Y, _P[:, :2]), {}),
    "topk-1d": ("top_k_accuracy_score", (_Y, _P[:, 0]), {}),
    "topk-binary-2d": ("top_k_accuracy_score", ([0, 1, 0], _P[:3]), {}),
    "topk-labels-missing": ("top_k_accuracy_score", (_Y, _P), {"labels": [0, 1, 5]}),
    "topk-labels-unordered": ("top_k_accuracy_score", (_Y, _P), {"labels": [2, 1, 0]}),
    "topk-labels-count": ("top_k_accuracy_score", (_Y, _P), {"labels": [0, 1, 2, 3]}),
    "topk-continuous": ("top_k_accuracy_score", (_Y + 0.5, _P), {}),
    "topk-multilabel": ("top_k_accuracy_score", (_YML, _P), {}),
    "topk-nan": ("top_k_accuracy_score", (_Y, np.where(_P == .7, np.nan, _P)), {}),
}


@pytest.mark.parametrize("case_id", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_same_exception_as_sklearn(case_id, oracle):
    fname, args, kwargs = BAD_INPUTS[case_id]
    sk, cy = oracle.compare(fname, *args, ctx=case_id, **kwargs)
    assert sk.raised, f"{case_id}: expected sklearn to refuse this input"


# Inputs scikit-learn accepts with a warning or a nan: same outcome.
EDGE_INPUTS = {
    "ovr-absent-class": ("roc_auc_score", (np.array([0, 1, 0, 1]), np.full((4, 3), 1 / 3)),
                         {"multi_class": "ovr", "labels": [0, 1, 2], "average": None}),
    "ovr-absent-weighted": ("roc_auc_score", (np.array([0, 1, 0, 1]), mi.proba(
        np.random.default_rng(3), 4, 3)), {"multi_class": "ovr", "labels": [0, 1, 2],
                                           "average": "weighted"}),
    "ovo-one-class": ("roc_auc_score", (np.array([0, 0, 0]), np.full((3, 3), 1 / 3)),
                      {"multi_class": "ovo", "labels": [0, 1, 2]}),
    "ovo-one-class-weighted": ("roc_auc_score", (np.array([0, 0, 0]), np.full((3, 3), 1 / 3)),
                               {"multi_class": "ovo", "labels": [0, 1, 2],
                                "average": "weighted"}),
    "ovr-zero-weight-class": ("roc_auc_score", (_Y, _P),
                              {"multi_class": "ovr", "average": None,
                               "sample_weight": [1, 1, 0, 1, 1, 0]}),
    "ml-empty-column": ("roc_auc_score", (_YML * [1, 1, 0], _P), {"average": None}),
    "ml-empty-column-ap": ("average_precision_score", (_YML * [1, 1, 0], _P), {"average": None}),
    "ml-all-ones-row": ("roc_auc_score", (np.vstack([_YML, [1, 1, 1]]), np.vstack([_P, _P[:1]])),
                        {"average": "samples"}),
    "ml-empty-row-ap": ("average_precision_score",
                        (np.vstack([_YML, [0, 0, 0]]), np.vstack([_P, _P[:1]])),
                        {"average": "samples"}),
    "ml-samples-zero-weight-row": ("roc_auc_score",
                                   (np.vstack([_YML, [1, 1, 1]]), np.vstack([_P, _P[:1]])),
                                   {"average": "samples", "sample_weight": [1] * 6 + [0]}),
    "topk-k-too-large": ("top_k_accuracy_score", (_Y, _P), {"k": 3}),
    "binary-labels-3-columns": ("roc_auc_score", (np.array([0, 1, 0, 1]), mi.proba(
        np.random.default_rng(4), 4, 3)), {"multi_class": "ovr", "labels": [0, 1, 2]}),
}


@pytest.mark.parametrize("case_id", list(EDGE_INPUTS), ids=list(EDGE_INPUTS))
def test_edge_inputs_same_outcome_as_sklearn(case_id, oracle):
    fname, args, kwargs = EDGE_INPUTS[case_id]
    oracle.compare(fname, *args, ctx=case_id, **kwargs)


@pytest.mark.parametrize("kwargs", [
    {"fname": "top_k_accuracy_score"},
    {"fname": "roc_auc_score", "multi_class": "ovr"},
    {"fname": "roc_auc_score", "multi_class": "ovo"},
    {"fname": "average_precision_score"},
], ids=lambda kw: "-".join(kw.values()))
def test_all_zero_weights_raise_value_error(kwargs):
    # scikit-learn: ZeroDivisionError (top-k), nan or 0 (averages); cymetrics
    # refuses weights that are all zero, like negative ones
    kwargs = dict(kwargs)
    fname = kwargs.pop("fname")
    with pytest.raises(ValueError, match="non-zero"):
        getattr(cymetrics, fname)(_Y, _P, sample_weight=[0.0] * 6, **kwargs)


def test_weighted_average_of_zero_weight_is_zero():
    # scikit-learn returns the int 0 here; cymetrics the float 0.0
    y = np.array([[0, 0], [0, 0], [1, 0]])
    s = np.random.default_rng(0).random((3, 2))
    expected = skm.roc_auc_score(y, s, average="weighted", sample_weight=[1, 1, 0])
    got = cymetrics.roc_auc_score(y, s, average="weighted", sample_weight=[1, 1, 0])
    assert expected == 0 and got == 0.0 and isinstance(got, float)


def test_partial_auc_of_zero_weight_class_is_nan():
    # scikit-learn raises "At least 2 points are needed" from its curve
    # interpolation; cymetrics says the AUC is undefined, as without max_fpr
    # column 1: its negatives (rows 0 and 2) all have zero weight
    y = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 1]])
    s = np.array([[0.2, 0.3], [0.5, 0.1], [0.4, 0.9], [0.1, 0.2], [0.7, 0.4]])
    w = [0.0, 1.0, 0.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="At least 2 points"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        skm.roc_auc_score(y, s, average=None, max_fpr=0.5, sample_weight=w)
    with pytest.warns(cymetrics.UndefinedMetricWarning, match="negative"):
        got = cymetrics.roc_auc_score(y, s, average=None, max_fpr=0.5, sample_weight=w)
    assert np.isfinite(got[0]) and np.isnan(got[1])


def test_multilabel_shape_mismatch_raises():
    # scikit-learn silently scores the first columns only; cymetrics refuses
    with pytest.raises(ValueError, match="different shapes"):
        cymetrics.roc_auc_score(_YML, _P[:, :2])


# ===========================================================================
# Properties
# ===========================================================================
@st.composite
def _mc_inputs(draw):
    k = draw(st.integers(3, 6))
    n = draw(st.integers(k, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    y = mi.labels(rng, n, np.arange(k))
    p = mi.proba(rng, n, k, ties=draw(st.booleans()))
    w = rng.integers(1, 4, size=n)
    return y, p, w


@given(_mc_inputs(), st.sampled_from(["ovr", "ovo"]))
def test_property_sample_order_and_relabelling(inputs, multi_class):
    y, p, _ = inputs
    k = p.shape[1]
    expected = cymetrics.roc_auc_score(y, p, multi_class=multi_class, average=None)
    rng = np.random.default_rng(len(y))
    order = rng.permutation(len(y))
    np.testing.assert_allclose(
        cymetrics.roc_auc_score(y[order], p[order], multi_class=multi_class, average=None),
        expected, rtol=1e-12, equal_nan=True,
    )
    # relabel class c as perm[c] and move its column: per-class scores follow
    perm = rng.permutation(k)
    q = np.empty_like(p)
    q[:, perm] = p
    got = cymetrics.roc_auc_score(perm[y], q, multi_class=multi_class, average=None)
    if multi_class == "ovr":
        np.testing.assert_allclose(got[perm], expected, rtol=1e-12)
    else:
        np.testing.assert_allclose(got[np.ix_(perm, perm)], expected, rtol=1e-12,
                                   equal_nan=True)


@given(_mc_inputs(), st.sampled_from(["ovr", "ovo"]), st.sampled_from(["macro", "weighted"]))
def test_property_integer_weights_equal_repetition(inputs, multi_class, average):
    y, p, w = inputs
    repeated = cymetrics.roc_auc_score(np.repeat(y, w), np.repeat(p, w, axis=0),
                                       multi_class=multi_class, average=average)
    weighted = cymetrics.roc_auc_score(y, p, multi_class=multi_class, average=average,
                                       sample_weight=w)
    assert weighted == pytest.approx(repeated, rel=1e-12)


@given(_mc_inputs())
def test_property_ovr_perfect_and_reversed_scores(inputs):
    y, _, _ = inputs
    k = int(y.max()) + 1
    onehot = np.eye(k)[y]
    perfect = 0.9 * onehot + 0.1 / k
    perfect /= perfect.sum(axis=1, keepdims=True)
    assert cymetrics.roc_auc_score(y, perfect, multi_class="ovr") == 1.0
    assert cymetrics.roc_auc_score(y, perfect, multi_class="ovo") == 1.0
    reversed_ = (1 - onehot) / (k - 1)
    assert cymetrics.roc_auc_score(y, reversed_, multi_class="ovr") == 0.0


# ===========================================================================
# Contract (layouts, inputs left untouched, weights as repetitions of one-vs-one:
# tests/test_common.py)
# ===========================================================================
def test_contract_returns_python_float_or_float64_array(gen):
    rng = gen.rng("types")
    y = mi.labels(rng, 30, np.arange(3))
    p = mi.proba(rng, 30, 3)
    assert type(cymetrics.roc_auc_score(y, p, multi_class="ovr")) is float
    assert type(cymetrics.average_precision_score(y, p)) is float
    assert type(cymetrics.top_k_accuracy_score(y, p)) is float
    per_class = cymetrics.average_precision_score(y, p, average=None)
    assert per_class.dtype == np.float64 and per_class.shape == (3,)


def test_no_warning_on_clean_input(gen):
    rng = gen.rng("clean")
    y = mi.labels(rng, 30, np.arange(3))
    p = mi.proba(rng, 30, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for mc in ("ovr", "ovo"):
            cymetrics.roc_auc_score(y, p, multi_class=mc)
        cymetrics.average_precision_score(y, p, average="micro")
