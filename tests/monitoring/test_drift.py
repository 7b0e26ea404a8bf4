"""Drift statistics against scipy and a hand-written PSI, from arrays and states."""

import warnings

import numpy as np
import pytest
import scipy.stats
from scipy.spatial.distance import jensenshannon

from cymetrics._exceptions import InvalidParameterError
from cymetrics.monitoring import (
    jensen_shannon_distance,
    kolmogorov_sf,
    ks_statistic,
    label_shift,
    population_stability_index,
    prediction_shift,
    wasserstein_distance,
)
from cymetrics.streaming import (
    CompactionWarning,
    ConfusionAccumulator,
    DistributionAccumulator,
    OvRScoreAccumulator,
    ScoreAccumulator,
)
from support import stable_seed

KINDS = ["continuous", "ties", "float32", "tiny", "shifted-big"]


def _pair(kind, rng):
    n, m = (int(v) for v in rng.integers(1, 400, 2))
    if kind == "shifted-big":
        n, m = 12_000, 9_000  # beyond ks_2samp's exact mode
    a = rng.normal(size=n)
    b = rng.normal(size=m) * rng.uniform(0.5, 2) + rng.uniform(-1, 1)
    if kind == "ties":
        a, b = np.round(a, 1), np.round(b, 1)
    if kind == "float32":
        a, b = a.astype(np.float32), b.astype(np.float32)
    if kind == "tiny":
        a, b = a[:3], b[:2]
    return a, b


def _states(a, b, rng, **config):
    """The same data as exact states, fed in random batches."""
    out = []
    for x in (a, b):
        acc = DistributionAccumulator(**config)
        for idx in np.array_split(rng.permutation(len(x)), int(rng.integers(1, 5))):
            acc.update(x[idx])
        out.append(acc)
    return out


def _hand_psi(a, b, n_bins, eps, wa=None, wb=None):
    """PSI from its definition: inverted-CDF quantile edges, right-closed bins."""
    order = np.argsort(a, kind="stable")
    sa = a[order]
    wa = np.ones(len(a)) if wa is None else wa
    wb = np.ones(len(b)) if wb is None else wb
    cum = np.cumsum(wa[order])
    edges = []
    for j in range(1, n_bins):
        edges.append(sa[np.argmax(cum / cum[-1] >= j / n_bins)])
    edges = np.unique(edges)
    shares = []
    for x, w in ((a, wa), (b, wb)):
        bins = np.searchsorted(edges, x, side="left")  # x in (edge[i-1], edge[i]]
        shares.append(np.bincount(bins, weights=w, minlength=len(edges) + 1) / w.sum())
    r, c = (np.maximum(s, eps) for s in shares)
    return float(np.sum((c - r) * np.log(c / r))), shares


@pytest.mark.parametrize("kind", KINDS)
def test_exact_statistics_equal_scipy(kind):
    rng = np.random.default_rng(stable_seed(kind))
    for _ in range(3 if kind == "shifted-big" else 12):
        a, b = _pair(kind, rng)
        expected = scipy.stats.ks_2samp(a, b)
        for ref, cur in ((a, b), tuple(_states(a, b, rng))):
            ks = ks_statistic(ref, cur)
            if max(len(a), len(b)) <= 10_000:  # ks_2samp's exact mode: the same rational
                assert ks.statistic == expected.statistic
            else:
                np.testing.assert_allclose(ks.statistic, expected.statistic, rtol=1e-14)
            assert ks.low == ks.statistic == ks.high
            en = len(a) * len(b) / (len(a) + len(b))
            np.testing.assert_allclose(
                ks.pvalue, scipy.stats.kstwobign.sf(np.sqrt(en) * ks.statistic), rtol=1e-10,
                atol=1e-300)
            w = wasserstein_distance(ref, cur)
            np.testing.assert_allclose(w.value, scipy.stats.wasserstein_distance(a, b),
                                       rtol=1e-12, atol=1e-15)


def test_weighted_states_equal_scipy(rng):
    for _ in range(10):
        a, b = _pair("ties", rng)
        wa, wb = rng.random(len(a)), rng.random(len(b))
        ref = DistributionAccumulator().update(a, wa)
        cur = DistributionAccumulator().update(b, wb)
        np.testing.assert_allclose(wasserstein_distance(ref, cur).value,
                                   scipy.stats.wasserstein_distance(a, b, wa, wb), rtol=1e-12)
        psi, shares = _hand_psi(a, b, 5, 1e-4, wa, wb)
        np.testing.assert_allclose(population_stability_index(ref, cur, n_bins=5).value, psi,
                                   rtol=1e-12)
        assert np.isnan(ks_statistic(ref, cur).pvalue)


@pytest.mark.parametrize("n_bins", [1, 2, 10, 40])
@pytest.mark.parametrize("kind", ["continuous", "ties", "float32"])
def test_binned_statistics_equal_their_definitions(kind, n_bins):
    rng = np.random.default_rng(stable_seed(kind, n_bins))
    for _ in range(8):
        a, b = _pair(kind, rng)
        psi, (r, c) = _hand_psi(a, b, n_bins, 1e-4)
        js = jensenshannon(r, c, base=2)
        for ref, cur in ((a, b), tuple(_states(a, b, rng))):
            np.testing.assert_allclose(
                population_stability_index(ref, cur, n_bins=n_bins).value, psi, rtol=1e-12)
            np.testing.assert_allclose(jensen_shannon_distance(ref, cur, n_bins=n_bins).value,
                                       js, rtol=1e-12, atol=1e-15)


def test_hand_computed_values():
    # Reference quantile at 0.5 is 4: shares (0.5, 0.5) and (0, 1).
    ref, cur = [1, 2, 3, 4, 5, 6, 7, 8], [5, 6, 7, 8, 9, 9, 9, 9]
    psi = (1e-4 - 0.5) * np.log(1e-4 / 0.5) + 0.5 * np.log(2)
    assert population_stability_index(ref, cur, n_bins=2).value == pytest.approx(psi, rel=1e-15)
    js = np.sqrt((0.5 + 0.5 * np.log2(0.5 / 0.75) + np.log2(1 / 0.75)) / 2)
    assert jensen_shannon_distance(ref, cur, n_bins=2).value == pytest.approx(js, rel=1e-15)
    assert ks_statistic(ref, cur).statistic == 0.5
    assert wasserstein_distance([0.0, 1.0, 3.0], [5.0, 6.0, 8.0]).value == 5.0
    assert kolmogorov_sf(0) == 1.0 and kolmogorov_sf(1.3581) == pytest.approx(0.05, abs=1e-5)


def test_sketches_give_certified_intervals(rng):
    for _ in range(15):
        a, b = _pair("continuous", rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CompactionWarning)
            small = [DistributionAccumulator(memory_budget=64, max_bins=int(rng.integers(4, 40)))
                     .update(x) for x in (a, b)]
        exact_ks = scipy.stats.ks_2samp(a, b).statistic
        exact_w = scipy.stats.wasserstein_distance(a, b)
        for ref, cur in ((small[0], small[1]), (a, small[1]), (small[0], b)):
            ks = ks_statistic(ref, cur)
            assert ks.low - 1e-15 <= exact_ks <= ks.high + 1e-15
            w = wasserstein_distance(ref, cur)
            assert w.low - 1e-12 <= exact_w <= w.high + 1e-12
            assert w.low <= w.value <= w.high
            assert np.isfinite(population_stability_index(ref, cur).value)
        assert ks.high - ks.low < 0.5


def test_multiclass_probabilities_per_class(rng):
    p_ref, p_cur = rng.dirichlet([1, 2, 3], 300), rng.dirichlet([3, 2, 1], 200)
    per_class = ks_statistic(p_ref, p_cur).statistic
    assert per_class.shape == (3,)
    for c in range(3):
        assert per_class[c] == scipy.stats.ks_2samp(p_ref[:, c], p_cur[:, c]).statistic
    states = [DistributionAccumulator(n_columns=3).update(p) for p in (p_ref, p_cur)]
    np.testing.assert_array_equal(ks_statistic(*states).statistic, per_class)
    ovr = OvRScoreAccumulator([0, 1, 2]).update(rng.integers(0, 3, 200), p_cur)
    np.testing.assert_array_equal(ks_statistic(states[0], ovr).statistic, per_class)
    binary = ScoreAccumulator().update(rng.integers(0, 2, 200), p_cur[:, 1])
    assert ks_statistic(p_ref[:, 1], binary).statistic == per_class[1]


def test_label_shift_newcombe_example():
    """Newcombe (1998), Statistics in Medicine 17, example (a): 56/70 vs 48/80,
    hybrid score interval 0.0524 to 0.3339."""
    shift = label_shift({"yes": 48, "no": 32}, {"yes": 56, "no": 14})
    assert shift.classes.tolist() == ["no", "yes"]
    assert shift.difference[1] == pytest.approx(0.2)
    assert (round(shift.low[1], 4), round(shift.high[1], 4)) == (0.0524, 0.3339)
    labels = np.array(["no"] * 32 + ["yes"] * 48)
    from_arrays = label_shift(labels, np.array(["no"] * 14 + ["yes"] * 56))
    np.testing.assert_array_equal(from_arrays.low, shift.low)
    confusion = ConfusionAccumulator().update(labels, labels)
    np.testing.assert_array_equal(label_shift(confusion, {"yes": 56, "no": 14}).high,
                                  shift.high)


def test_prediction_shift():
    ref, cur = [0.1, 0.6, 0.7, 0.2], [0.8, 0.9, 0.7, 0.2]
    shift = prediction_shift(ref, cur, threshold=0.7)
    np.testing.assert_array_equal(shift.current, [0.25, 0.75])
    np.testing.assert_array_equal(shift.reference, [0.75, 0.25])
    assert (shift.low <= shift.difference).all() and (shift.difference <= shift.high).all()
    acc = DistributionAccumulator().update(cur)
    np.testing.assert_array_equal(prediction_shift(ref, acc, threshold=0.7).current,
                                  shift.current)
    labels = prediction_shift(["a", "b", "b"], ConfusionAccumulator().update(["a"], ["c"]))
    assert labels.classes.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(labels.current, [0, 0, 1])


@pytest.mark.parametrize("call", [
    lambda: ks_statistic([], [1.0]),
    lambda: ks_statistic([1.0, np.nan], [1.0]),
    lambda: ks_statistic([[1.0, 2.0]], [1.0]),
    lambda: wasserstein_distance(["a"], [1.0]),
    lambda: population_stability_index([1.0], [1.0], n_bins=0),
    lambda: population_stability_index([1.0], [1.0], eps=0),
    lambda: ks_statistic(DistributionAccumulator(), [1.0]),
    lambda: ks_statistic(DistributionAccumulator().update([1.0], [0.0]), [1.0]),
    lambda: label_shift([1, 2], ["a"]),
    lambda: label_shift([], [1]),
    lambda: prediction_shift([0.1], [0.2], threshold=np.nan),
    lambda: prediction_shift([[0.1, 0.2]], [[0.2, 0.3]], threshold=0.5),
], ids=["empty", "nan", "columns", "strings", "bins", "eps", "no-data", "zero-weight",
        "mixed-labels", "no-labels", "nan-threshold", "threshold-2d"])
def test_bad_input_raises_clearly(call):
    with pytest.raises((ValueError, InvalidParameterError)):
        call()
