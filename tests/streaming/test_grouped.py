"""Grouped accumulation: every group equals the accumulator of its samples."""

import numpy as np
import pytest

from cymetrics._exceptions import MixedLabelTypesError
from cymetrics.streaming import (
    ConfusionAccumulator,
    GroupedAccumulator,
    ScoreAccumulator,
    ScoreSketch,
)

GROUP_KINDS = {
    "str": np.array(["fr", "de", "it", "es"]),
    "int": np.array([3, -1, 10**9, 0]),
    "float": np.array([0.5, 1.0, 2.0, -3.0]),
}


@pytest.mark.parametrize("group_kind", list(GROUP_KINDS))
@pytest.mark.parametrize("template", [ScoreAccumulator(), ScoreSketch(8), ConfusionAccumulator()],
                         ids=["score", "sketch", "confusion"])
def test_each_group_equals_its_own_accumulator(rng, group_kind, template):
    n = 600
    groups = GROUP_KINDS[group_kind][rng.integers(0, 4, n)]
    y = rng.random(n) < 0.4
    other = (np.round(rng.normal(size=n), 1) if not isinstance(template, ConfusionAccumulator)
             else rng.random(n) < 0.5)
    w = rng.random(n)
    grouped = GroupedAccumulator(template)
    halves = [GroupedAccumulator(template), GroupedAccumulator(template)]
    for i, idx in enumerate(np.array_split(np.arange(n), 9)):
        grouped.update(y[idx], other[idx], w[idx], groups=groups[idx])
        halves[i % 2].update(y[idx], other[idx], w[idx], groups=groups[idx])
    assert grouped.groups == sorted(set(groups.tolist()))
    for g in grouped.groups:
        mask = groups == g
        alone = template.copy().update(y[mask], other[mask], w[mask])
        np.testing.assert_allclose(_summary(grouped[g]), _summary(alone), rtol=1e-12)
    merged = halves[0].merge(halves[1])
    for g in grouped.groups:
        np.testing.assert_allclose(_summary(merged[g]), _summary(grouped[g]), rtol=1e-12)


def _summary(acc):
    if isinstance(acc, ConfusionAccumulator):
        return acc.confusion().matrix
    return np.concatenate([acc.confusion_matrix_at_thresholds()[3], [acc.roc_auc_score()]])


def test_compute_returns_a_dict_per_group(rng):
    grouped = GroupedAccumulator(ConfusionAccumulator())
    grouped.update([0, 1, 1, 0], [0, 1, 0, 0], groups=["b", "a", "a", "b"])
    assert grouped.compute("compute", "confusion_matrix", labels=[0, 1]).keys() == {"a", "b"}
    with pytest.warns(UserWarning, match="single label"):
        assert grouped.compute("confusion_matrix")["b"].tolist() == [[2]]
    with pytest.raises(ValueError):
        grouped.compute("_state")
    assert len(grouped) == 2


def test_bad_batch_changes_no_group():
    grouped = GroupedAccumulator(ScoreAccumulator())
    grouped.update([0, 1], [0.1, 0.9], groups=["a", "b"])
    before = grouped.to_bytes()
    with pytest.raises(ValueError):  # group "b" gets a NaN
        grouped.update([0, 1, 1], [0.2, np.nan, 0.3], groups=["a", "b", "c"])
    with pytest.raises(ValueError):  # group "a" gets a third class
        grouped.update([0, 2], [0.2, 0.3], groups=["b", "a"])
    with pytest.raises(ValueError, match="groups"):
        grouped.update([0, 1], [0.2, 0.3], groups=["a"])
    with pytest.raises(MixedLabelTypesError):
        grouped.update([0, 1], [0.2, 0.3], groups=[1, 2])
    with pytest.raises(ValueError):
        grouped.update([0, 1], [0.2, 0.3], groups=[np.nan, 1.0])
    assert grouped.to_bytes() == before


def test_many_groups_one_pass(rng):
    n, k = 20_000, 300
    groups = rng.integers(0, k, n)
    y_true = rng.integers(0, 3, n)
    y_pred = rng.integers(0, 3, n)
    grouped = GroupedAccumulator(ConfusionAccumulator()).update(y_true, y_pred, groups=groups)
    assert len(grouped) == k
    total = sum(grouped[g].n_samples for g in grouped.groups)
    assert total == n
    g = int(groups[0])
    mask = groups == g
    np.testing.assert_array_equal(
        grouped[g].confusion().matrix,
        ConfusionAccumulator().update(y_true[mask], y_pred[mask]).confusion().matrix)
