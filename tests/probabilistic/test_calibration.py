"""calibration_curve (against ``sklearn.calibration.calibration_curve``) and the
expected / maximum calibration errors (beyond scikit-learn: hand-binned
examples and a brute-force twin).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve as sk_calibration_curve

import cymetrics
import multiclass_inputs as mi
from cymetrics._kernels import _calibration


@pytest.fixture
def compare_curve(oracle):
    """Compare with ``sklearn.calibration.calibration_curve`` (not in sklearn.metrics)."""

    def compare(*args, ctx="", **kwargs):
        sk = oracle.run(sk_calibration_curve, *args, **kwargs)
        cy = oracle.run(cymetrics.calibration_curve, *args, **kwargs)
        oracle.assert_same_outcome(sk, cy, ctx=f"calibration_curve: {ctx}")
        return sk, cy

    return compare


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("label_kind", ["01", "pm1", "bool", "str", "int25", "float01"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int"])
def test_random_calibration_curve_vs_sklearn(dtype, label_kind, strategy, gen, compare_curve):
    for rep in range(12):
        rng = gen.rng("curve", dtype, label_kind, strategy, rep)
        n = int(rng.choice([1, 2, 7, 50, 1000]))
        y = gen.labels(rng, n, label_kind, p_pos=rng.choice([0.5, 0.2, 0.0, 1.0]))
        if dtype == "int":
            p = rng.integers(0, 2, size=n)
        else:
            p = rng.random(n)
            if rep % 3 == 0:
                p = np.round(p, 1)  # values on the bin edges
            if rep % 4 == 1:
                p[rng.random(n) < 0.2] = rng.choice([0.0, 1.0])
            p = p.astype(dtype)
        kw = {"n_bins": int(rng.choice([1, 2, 5, 10, 37])), "strategy": strategy}
        neg, pos, optional = gen.label_kinds[label_kind]
        if not optional or rep % 2:
            kw["pos_label"] = pos if rep % 3 else neg
        compare_curve(y, p, ctx=f"n={n} {kw}", **kw)


def test_edges_fall_in_the_lower_bin(compare_curve):
    p = np.array([0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 0.1, 0.3])
    y = np.array([0, 0, 1, 1, 1, 1, 0, 1])
    _, cy = compare_curve(y, p, n_bins=5)
    prob_true, prob_pred = cy.result
    # 0.2, 0.4, 0.6 and 0.8 sit on edges: each joins the bin below it
    np.testing.assert_allclose(prob_pred, [0.1, 0.35, 0.6, 0.8, 1.0])


BAD_CURVE_INPUTS = {
    "outside": (([0, 1], [0.5, 1.5]), {}),
    "negative": (([0, 1], [0.5, -0.5]), {}),
    "multiclass": (([0, 1, 2], [0.5, 0.2, 0.1]), {"pos_label": 1}),
    "str-no-pos-label": ((["a", "b"], [0.5, 0.2]), {}),
    "n-bins-0": (([0, 1], [0.5, 0.2]), {"n_bins": 0}),
    "n-bins-float": (([0, 1], [0.5, 0.2]), {"n_bins": 2.0}),
    "strategy": (([0, 1], [0.5, 0.2]), {"strategy": "kmeans"}),
    "length": (([0, 1, 1], [0.5, 0.2]), {}),
    "2d": (([0, 1], [[0.5, 0.5], [0.2, 0.8]]), {}),
    "pos-label-type": (([0, 1], [0.5, 0.2]), {"pos_label": [1]}),
}


@pytest.mark.parametrize("case_id", list(BAD_CURVE_INPUTS), ids=list(BAD_CURVE_INPUTS))
def test_bad_input_same_exception_as_sklearn(case_id, compare_curve):
    args, kwargs = BAD_CURVE_INPUTS[case_id]
    sk, _ = compare_curve(*args, ctx=case_id, **kwargs)
    assert sk.raised


def test_nan_probabilities_raise():
    # scikit-learn returns a nan bin; cymetrics refuses the input
    with pytest.raises(ValueError, match="NaN"):
        cymetrics.calibration_curve([0, 1, 1], [0.2, 0.3, np.nan])


# ===========================================================================
# Expected / maximum calibration error
# ===========================================================================
def _ece_twin(conf, hit, w, edges):
    """Brute force: per bin (lo, hi], first bin closed."""
    gaps, masses = [], []
    for b in range(len(edges) - 1):
        lo, hi = edges[b], edges[b + 1]
        inside = (conf > lo) & (conf <= hi) if b else (conf >= lo) & (conf <= hi)
        if b == len(edges) - 2:
            inside |= conf > hi  # nothing above the last edge
        if not inside.any() or w[inside].sum() == 0:
            continue
        acc = np.sum(w[inside] * hit[inside]) / w[inside].sum()
        gap = abs(acc - np.sum(w[inside] * conf[inside]) / w[inside].sum())
        gaps.append(gap)
        masses.append(w[inside].sum())
    masses = np.array(masses) / np.sum(masses)
    return float(np.dot(masses, gaps)), float(max(gaps))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_random_binary_ece_matches_twin(strategy, weighted, gen):
    for rep in range(20):
        rng = gen.rng("ece-bin", strategy, weighted, rep)
        n = int(rng.choice([5, 60, 500]))
        y = rng.integers(0, 2, size=n)
        p = np.round(rng.random(n), 2)
        w = rng.random(n) + 0.1 if weighted else np.ones(n)
        n_bins = int(rng.choice([1, 3, 10]))
        edges = (np.linspace(0, 1, n_bins + 1) if strategy == "uniform"
                 else np.percentile(p, np.linspace(0, 100, n_bins + 1)))
        ece, mce = _ece_twin(p, y.astype(float), w, edges)
        kw = {"n_bins": n_bins, "strategy": strategy,
              "sample_weight": w if weighted else None}
        assert cymetrics.expected_calibration_error(y, p, **kw) == pytest.approx(ece, rel=1e-12)
        assert cymetrics.maximum_calibration_error(y, p, **kw) == pytest.approx(mce, rel=1e-12)


def test_binary_ece_agrees_with_calibration_curve(gen):
    rng = gen.rng("ece-curve")
    y = rng.integers(0, 2, size=300)
    p = rng.random(300)
    for strategy in ("uniform", "quantile"):
        prob_true, prob_pred = sk_calibration_curve(y, p, n_bins=7, strategy=strategy)
        edges = (np.linspace(0, 1, 8) if strategy == "uniform"
                 else np.percentile(p, np.linspace(0, 100, 8)))
        counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=7)
        counts = counts[counts > 0]
        expected = np.dot(counts / 300, np.abs(prob_true - prob_pred))
        got = cymetrics.expected_calibration_error(y, p, n_bins=7, strategy=strategy)
        assert got == pytest.approx(expected, rel=1e-12)
        assert cymetrics.maximum_calibration_error(y, p, n_bins=7, strategy=strategy) == \
            pytest.approx(np.abs(prob_true - prob_pred).max(), rel=1e-12)


@pytest.mark.parametrize("label_kind", ["int", "str", "neg"])
def test_random_top_label_ece_matches_twin(label_kind, gen):
    for rep in range(15):
        rng = gen.rng("ece-mc", label_kind, rep)
        k = int(rng.choice([2, 3, 6]))
        n = int(rng.choice([k, 50, 400]))
        values = mi.classes(label_kind, k)
        y = mi.labels(rng, n, values)
        p = mi.proba(rng, n, k, ties=rep % 2 == 0)
        w = rng.random(n) if rep % 3 == 0 else None
        codes = np.searchsorted(np.sort(values), y)
        conf = p.max(axis=1)
        hit = (p.argmax(axis=1) == codes).astype(float)
        n_bins = int(rng.choice([2, 5, 15]))
        strategy = "quantile" if rep % 2 else "uniform"
        edges = (np.linspace(0, 1, n_bins + 1) if strategy == "uniform"
                 else np.percentile(conf, np.linspace(0, 100, n_bins + 1)))
        ece, mce = _ece_twin(conf, hit, np.ones(n) if w is None else w, edges)
        kw = {"n_bins": n_bins, "strategy": strategy, "sample_weight": w}
        assert cymetrics.expected_calibration_error(y, p, **kw) == pytest.approx(ece, rel=1e-12)
        assert cymetrics.maximum_calibration_error(y, p, **kw) == pytest.approx(mce, rel=1e-12)


def test_hand_binned_ece():
    # two bins split at 0.5:
    #   bin 1: p = 0.1, 0.3, 0.4 (mean 0.8/3), positives 1 of 3 -> gap |1/3 - 0.8/3|
    #   bin 2: p = 0.6, 0.9 (mean 0.75), positives 2 of 2 -> gap 0.25
    y = [0, 1, 0, 1, 1]
    p = [0.1, 0.3, 0.4, 0.6, 0.9]
    gap1, gap2 = abs(1 / 3 - 0.8 / 3), 0.25
    assert cymetrics.expected_calibration_error(y, p, n_bins=2) == pytest.approx(
        3 / 5 * gap1 + 2 / 5 * gap2, rel=1e-15)
    assert cymetrics.maximum_calibration_error(y, p, n_bins=2) == pytest.approx(gap2)
    # top-label: confidences 0.7 (right), 0.6 (wrong), 0.9 (right), 0.5 (right)
    y = [0, 1, 2, 0]
    p = [[0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.05, 0.05, 0.9], [0.5, 0.3, 0.2]]
    # bins (0, .5], (.5, 1]: {0.5: right} -> gap 0.5; {0.7 r, 0.6 w, 0.9 r}: acc 2/3,
    # conf 2.2/3 -> gap 0.2/3
    assert cymetrics.expected_calibration_error(y, p, n_bins=2) == pytest.approx(
        0.25 * 0.5 + 0.75 * 0.2 / 3, rel=1e-12)
    assert cymetrics.maximum_calibration_error(y, p, n_bins=2) == pytest.approx(0.5)


def test_top_label_ties_take_the_first_column():
    # argmax picks column 0 on a tie: right for y = 0, wrong for y = 1
    p = [[0.5, 0.5], [0.5, 0.5]]
    assert cymetrics.expected_calibration_error([0, 0], p, n_bins=1, labels=[0, 1]) == \
        pytest.approx(0.5)
    assert cymetrics.expected_calibration_error([1, 1], p, n_bins=1, labels=[0, 1]) == \
        pytest.approx(0.5)
    assert cymetrics.expected_calibration_error([0, 1], p, n_bins=1) == 0.0


@given(st.integers(0, 2**32 - 1))
def test_property_perfectly_calibrated_bins_have_zero_error(seed):
    rng = np.random.default_rng(seed)
    # bins whose positive fraction equals their (constant) probability
    levels = [0.25, 0.5, 0.75]
    y, p = [], []
    for level in levels:
        m = 4 * int(rng.integers(1, 5))
        y += [1] * int(m * level) + [0] * (m - int(m * level))
        p += [level] * m
    assert cymetrics.expected_calibration_error(y, p, n_bins=4) == pytest.approx(0, abs=1e-15)
    assert cymetrics.maximum_calibration_error(y, p, n_bins=4) == pytest.approx(0, abs=1e-15)


BAD_ECE_INPUTS = {
    "outside": (([0, 1], [0.5, 1.5]), {}),
    "nan": (([0, 1], [0.5, np.nan]), {}),
    "mc-outside": (([0, 1], [[0.5, 1.5], [0.2, 0.8]]), {}),
    "mc-width": (([0, 1, 2], [[0.5, 0.5], [0.2, 0.8], [0.1, 0.9]]), {}),
    "mc-unknown-label": (([0, 1, 5], [[0.5, 0.5], [0.2, 0.8], [0.1, 0.9]]), {"labels": [0, 1]}),
    "labels-with-1d": (([0, 1], [0.5, 0.2]), {"labels": [0, 1]}),
    "multiclass-1d": (([0, 1, 2], [0.5, 0.2, 0.3]), {"pos_label": 1}),
    "n-bins": (([0, 1], [0.5, 0.2]), {"n_bins": 0}),
    "strategy": (([0, 1], [0.5, 0.2]), {"strategy": "kmeans"}),
    "zero-weights": (([0, 1], [0.5, 0.2]), {"sample_weight": [0, 0]}),
    "negative-weights": (([0, 1], [0.5, 0.2]), {"sample_weight": [1, -1]}),
}


@pytest.mark.parametrize("fname", ["expected_calibration_error", "maximum_calibration_error"])
@pytest.mark.parametrize("case_id", list(BAD_ECE_INPUTS), ids=list(BAD_ECE_INPUTS))
def test_bad_ece_input_raises_value_error(case_id, fname):
    args, kwargs = BAD_ECE_INPUTS[case_id]
    with pytest.raises(ValueError):
        getattr(cymetrics, fname)(*args, **kwargs)


def test_kernel_refuses_mismatched_lengths_and_edges():
    edges = np.array([-np.inf, 0.5, np.inf])
    with pytest.raises(ValueError):
        _calibration.bin_probabilities(np.zeros(3), np.zeros(2, dtype=np.uint8), np.empty(0),
                                       edges, np.zeros(2), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError):  # outputs one bin short
        _calibration.bin_probabilities(np.zeros(3), np.zeros(3, dtype=np.uint8), np.empty(0),
                                       edges, np.zeros(1), np.zeros(1), np.zeros(1))
    with pytest.raises(ValueError):  # no sentinels: the search could run off the array
        _calibration.bin_probabilities(np.zeros(3), np.zeros(3, dtype=np.uint8), np.empty(0),
                                       np.array([0.5]), np.zeros(2), np.zeros(2), np.zeros(2))


@pytest.mark.parametrize("uniform", [True, False])
@pytest.mark.parametrize("n_bins", [1, 2, 3, 7, 10, 64, 1000])
def test_kernel_bins_match_searchsorted(n_bins, uniform, gen):
    rng = gen.rng("bins", n_bins, uniform)
    inner = np.linspace(0, 1, n_bins + 1)[1:-1]
    if not uniform:
        inner = np.sort(rng.random(n_bins - 1))
    # values on and next to every edge, plus random ones
    near = np.concatenate([inner, np.nextafter(inner, 0), np.nextafter(inner, 1)])
    p = np.clip(np.concatenate([near, rng.random(500), [0.0, 1.0]]), 0, 1)
    expected = np.bincount(np.searchsorted(inner, p), minlength=n_bins).astype(float)
    sums = np.zeros((3, n_bins))
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    _calibration.bin_probabilities(p, np.zeros(p.size, dtype=np.uint8), np.empty(0), edges,
                                   sums[0], sums[1], sums[2], uniform)
    np.testing.assert_array_equal(sums[2], expected)
