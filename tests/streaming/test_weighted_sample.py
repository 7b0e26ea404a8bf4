"""`ScoreAccumulator.as_weighted_sample`: the one-shot functions on it give their
results on all the data seen (what `cymetrics report` relies on)."""

from __future__ import annotations

import numpy as np
import pytest
from support import stable_seed

import cymetrics
from cymetrics.streaming import ScoreAccumulator

FUNCTIONS = {
    "roc_auc_ci": lambda y, s, w: cymetrics.roc_auc_ci(y, s, sample_weight=w)[:4],
    "average_precision_score": lambda y, s, w: cymetrics.average_precision_score(
        y, s, sample_weight=w),
    "best_threshold youden": lambda y, s, w: cymetrics.best_threshold(y, s, sample_weight=w),
    "best_threshold cost": lambda y, s, w: cymetrics.best_threshold(
        y, s, criterion="cost", cost_fp=2.0, sample_weight=w),
    "metrics_at_thresholds": lambda y, s, w: cymetrics.metrics_at_thresholds(
        y, s, [0.2, 0.5, 0.7], sample_weight=w)[1:5],
    "expected_calibration_error": lambda y, s, w: cymetrics.expected_calibration_error(
        y, s, sample_weight=w),
}


@pytest.mark.parametrize("weighted", [False, True], ids=["counts", "weights"])
@pytest.mark.parametrize("labels", [(0, 1), ("no", "yes")], ids=["ints", "strings"])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_functions_on_the_sample_equal_all_the_data(name, labels, weighted):
    rng = np.random.default_rng(stable_seed("weighted-sample", name, labels, weighted))
    n = 500
    y = np.where(rng.random(n) < 0.4, labels[1], labels[0])
    y[:2] = labels
    s = np.round(rng.random(n) * 0.8 + 0.2 * (y == labels[1]), 2)  # ties
    w = rng.choice([0.0, 0.5, 1.0, 2.5], n) if weighted else None
    if w is not None:
        w[:2] = 1.0
    acc = ScoreAccumulator(pos_label=labels[1])
    for part in np.array_split(np.arange(n), 7):
        acc.update(y[part], s[part], None if w is None else w[part])
    sample = acc.as_weighted_sample()
    assert sample[0].dtype == np.int8 and set(sample[0].tolist()) == {0, 1}
    expected = FUNCTIONS[name]((y == labels[1]).astype(int), s, w)
    got = FUNCTIONS[name](*sample)
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                               rtol=1e-12, atol=1e-15)


def test_empty_and_exact_counts():
    y, s, w = ScoreAccumulator().as_weighted_sample()
    assert y.shape == s.shape == w.shape == (0,)
    acc = ScoreAccumulator().update([0, 1, 1, 1, 0], [0.5, 0.5, 0.9, 0.9, 0.1])
    y, s, w = acc.as_weighted_sample()
    assert (y.tolist(), s.tolist(), w.tolist()) == ([1, 1, 0, 0], [0.5, 0.9, 0.1, 0.5],
                                                   [1, 2, 1, 1])
    assert w.dtype == np.int64
