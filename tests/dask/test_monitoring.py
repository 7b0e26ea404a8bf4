"""Drift statistics of cymetrics.dask.monitoring against cymetrics.monitoring and scipy.

Reference and current datasets (continuous, tied, float32; 1-D or 2-D;
labels) as dask arrays in uneven chunks (some empty) or dask dataframe
columns, or numpy: the statistic equals `cymetrics.monitoring`'s on the
concatenated data (integer counts exact, floats to 1e-12), which equals
scipy's (the monitoring tests' references).
"""

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
import scipy.stats
from dask.delayed import Delayed
from scipy.spatial.distance import jensenshannon

import cymetrics.dask.monitoring as dm
import cymetrics.monitoring as mon
from dask_inputs import assert_like_one_shot, to_dask
from support import Outcome

STATISTICS = ["ks_statistic", "wasserstein_distance", "population_stability_index",
              "jensen_shannon_distance", "prediction_shift"]


def _pair(rng):
    n, m = (int(v) for v in rng.integers(1, 400, 2))
    a = rng.normal(size=n)
    b = rng.normal(size=m) * rng.uniform(0.5, 2) + rng.uniform(-1, 1)
    kind = rng.choice(["continuous", "ties", "float32"])
    if kind == "ties":
        a, b = np.round(a, 1), np.round(b, 1)
    elif kind == "float32":
        a, b = a.astype(np.float32), b.astype(np.float32)
    return a, b, kind


def _params(rng, name):
    if name in ("population_stability_index", "jensen_shannon_distance"):
        return {"n_bins": int(rng.choice([1, 2, 10, 40]))}
    if name == "prediction_shift":
        return {"threshold": float(rng.normal()), "confidence": 0.9}
    return {}


def _sides(rng, a, b):
    """Each side a dask array, a dask dataframe column or (sometimes) numpy."""
    sides = []
    for x in (a, b):
        layout = rng.choice(["dask", "dask", "numpy"])
        sides.append(x if layout == "numpy" else to_dask(rng, {"x": x})["x"])
    return sides


def _assert_equal(expected, got, ctx):
    assert type(got) is type(expected), ctx
    for e, g in zip(expected, got):
        if np.asarray(e).dtype.kind == "f":
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15, err_msg=ctx)
        else:  # classes, confidence
            np.testing.assert_array_equal(g, e, err_msg=ctx)


@pytest.mark.parametrize("name", STATISTICS)
def test_equals_the_monitoring_function_on_all_the_data(sync, rng, name):
    for trial in range(8):
        a, b, kind = _pair(rng)
        params = _params(rng, name)
        ref, cur = _sides(rng, a, b)
        ctx = f"{name} trial {trial} {kind} n={len(a)},{len(b)} {params}"
        _assert_equal(getattr(mon, name)(a, b, **params),
                      getattr(dm, name)(ref, cur, **params), ctx)


def test_exact_statistics_equal_scipy(sync, rng):
    for _ in range(4):
        a, b, _ = _pair(rng)
        ref, cur = da.from_array(a, chunks=50), da.from_array(b, chunks=70)
        assert dm.ks_statistic(ref, cur).statistic == scipy.stats.ks_2samp(a, b).statistic
        np.testing.assert_allclose(dm.wasserstein_distance(ref, cur).value,
                                   scipy.stats.wasserstein_distance(a, b), rtol=1e-12,
                                   atol=1e-15)
        # Two bins split at the reference's inverted-CDF median (the rule of the
        # monitoring module, as its tests write it by hand).
        edge = np.sort(a)[int(np.ceil(len(a) / 2)) - 1]
        r, c = ([np.mean(x <= edge), np.mean(x > edge)] for x in (a, b))
        np.testing.assert_allclose(dm.jensen_shannon_distance(ref, cur, n_bins=2).value,
                                   jensenshannon(r, c, base=2), rtol=1e-12, atol=1e-15)


def test_probabilities_per_column_from_arrays_and_dataframes(sync, rng):
    p_ref, p_cur = rng.dirichlet([1, 2, 3], 300), rng.dirichlet([3, 2, 1], 200)
    frame = dd.from_pandas(pd.DataFrame(p_cur, columns=["a", "b", "c"]), npartitions=3)
    got = dm.ks_statistic(da.from_array(p_ref, chunks=(70, 2)), frame)
    want = mon.ks_statistic(p_ref, p_cur)
    np.testing.assert_array_equal(got.statistic, want.statistic)
    for c in range(3):
        assert got.statistic[c] == scipy.stats.ks_2samp(p_ref[:, c], p_cur[:, c]).statistic


@pytest.mark.parametrize("name", ["label_shift", "prediction_shift"])
def test_label_and_prediction_shift_of_labels(sync, rng, name):
    for trial in range(4):
        values = np.array(["ant", "bee", "cat"]) if trial % 2 else np.array([-1, 4, 9])
        a = values[rng.integers(0, 3, int(rng.integers(1, 300)))]
        b = values[rng.integers(0, 2, int(rng.integers(1, 300)))]  # a class absent
        ref, cur = _sides(rng, a, b)
        _assert_equal(getattr(mon, name)(a, b), getattr(dm, name)(ref, cur, confidence=0.95),
                      f"{name} trial {trial} {values.dtype}")


def test_on_the_cluster(client, rng):
    a = np.round(rng.normal(size=20_000), 2)
    b = np.round(rng.normal(size=15_000) + 0.1, 2)
    ref, cur = da.from_array(a, chunks=3000), da.from_array(b, chunks=4000)
    for name in STATISTICS:
        params = {"threshold": 0.0} if name == "prediction_shift" else {}
        _assert_equal(getattr(mon, name)(a, b, **params), getattr(dm, name)(ref, cur, **params),
                      name)
    labels = np.where(a > 0.5, "high", "low")
    _assert_equal(mon.label_shift(labels, labels[:5000]),
                  dm.label_shift(da.from_array(labels, chunks=3000), labels[:5000]),
                  "label_shift")


def test_compute_false_returns_a_delayed(sync, rng):
    a, b, _ = _pair(rng)
    result = dm.population_stability_index(da.from_array(a, chunks=40), b, compute=False)
    assert isinstance(result, Delayed)
    _assert_equal(mon.population_stability_index(a, b), result.compute(), "psi")


def test_nan_in_a_partition_is_named(client, rng):
    a = rng.normal(size=1000)
    a[650] = np.nan
    # The state's message (scores unnamed, as scikit-learn's), then the partition.
    with pytest.raises(ValueError, match=r"^Input contains NaN\. "
                                         r"\(in dask partition 3 of 5, numbered from 0\)"):
        dm.ks_statistic(da.from_array(a, chunks=200), rng.normal(size=10))


@pytest.mark.parametrize("call", [
    lambda x: dm.population_stability_index(x, x, n_bins=0),
    lambda x: dm.population_stability_index(x, x, eps=0),
    lambda x: dm.label_shift(x, x, confidence=1.5),
    lambda x: dm.prediction_shift(x, x, threshold=np.nan),
], ids=["bins", "eps", "confidence", "nan-threshold"])
def test_bad_parameters_are_refused_before_any_pass(call):
    # No scheduler would run the (failing) graph: the check comes first.
    failing = da.from_array(np.array([0.5, 1.0]), chunks=1).map_blocks(
        lambda b: 1 / 0, dtype=float)
    one_shot = Outcome(call, np.array([0.5, 1.0]))
    got = Outcome(call, failing)
    assert one_shot.raised and type(got.exc) is type(one_shot.exc)
    assert str(got.exc) == str(one_shot.exc)


def test_empty_and_unequal_partitions(sync, rng):
    a, b = rng.normal(size=50), rng.normal(size=30)
    chunks = ((0, 20, 0, 0, 30, 0),)
    _assert_equal(mon.ks_statistic(a, b),
                  dm.ks_statistic(da.from_array(a, chunks=chunks), da.from_array(b, chunks=7)),
                  "empty partitions")
    empty = da.from_array(np.empty(0), chunks=5)
    expected = Outcome(mon.ks_statistic, np.empty(0), b)
    got = Outcome(dm.ks_statistic, empty, b)
    # An empty state and an empty array are refused in different words.
    assert expected.raised and got.raised and type(got.exc) is type(expected.exc)
    assert_like_one_shot(Outcome(mon.wasserstein_distance, a, b),
                         Outcome(dm.wasserstein_distance, a, b), "numpy")
