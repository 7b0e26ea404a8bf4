"""Per-group evaluation against the one-shot functions on each group's samples."""

import pickle

import numpy as np
import pytest

import cymetrics as cm
from cymetrics.monitoring import GroupEvaluation
from cymetrics.monitoring._groups import RATES
from support import merge_tree, random_splits

GROUPS = np.array(["de", "fr", "it"])


def _data(rng, n=900):
    groups = GROUPS[rng.choice(3, n, p=[0.5, 0.35, 0.15])]
    y = (rng.random(n) < np.where(groups == "it", 0.6, 0.3)).astype(int)
    s = np.round(np.clip(rng.normal(0.4 + 0.25 * y - 0.1 * (groups == "fr"), 0.2), 0, 1), 2)
    return y, s, groups


def _evaluate(rng, y, other, keys, weights=None, **config):
    parts = [GroupEvaluation(**config).update(
        y[i], other[i], None if weights is None else weights[i], groups=keys[i])
        for i in random_splits(rng, len(y))]
    return pickle.loads(pickle.dumps(merge_tree(rng, parts)))


def _rates(y, pred, w=None):
    """Each rate of RATES as (successes, trials) from the one-shot confusion matrix."""
    cells = cm.confusion_matrix(y, pred, labels=[0, 1], sample_weight=w).ravel()
    return {name: (cells[list(num)].sum(), cells[list(den)].sum())
            for name, (num, den) in RATES.items()}


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_scores_per_group_equal_the_one_shot(rng, weighted):
    y, s, groups = _data(rng)
    w = rng.random(len(y)) if weighted else None
    report = _evaluate(rng, y, s, groups, w, groups=["es", *GROUPS], threshold=0.5,
                       confidence=0.9).report()
    assert report.groups == ["de", "es", "fr", "it"]
    for i, g in enumerate(report.groups):
        mask = groups == g
        if not mask.any():  # declared, never seen: reported, not dropped
            assert report.table["n_samples"][i] == 0
            assert all(np.isnan(report.table[m][i]) for m in [*RATES, "roc_auc"])
            continue
        wg = None if w is None else w[mask]
        for name, (k, n) in _rates(y[mask], s[mask] >= 0.5, wg).items():
            ci = cm.proportion_ci(k, n, confidence=0.9)
            for suffix, value in (("", ci.estimate), ("_low", ci.low), ("_high", ci.high)):
                np.testing.assert_allclose(report.table[name + suffix][i], value, rtol=1e-12)
        auc = cm.roc_auc_ci(y[mask], s[mask], sample_weight=wg, confidence=0.9)
        for suffix, value in (("", auc.estimate), ("_low", auc.low), ("_high", auc.high)):
            np.testing.assert_allclose(report.table["roc_auc" + suffix][i], value, rtol=1e-12)
    np.testing.assert_allclose(report.overall["roc_auc"], cm.roc_auc_score(y, s, sample_weight=w),
                               rtol=1e-12)


def test_predicted_labels_and_disparities(rng):
    y, s, groups = _data(rng)
    names = np.array(["no", "yes"])
    pred = names[(s >= 0.5).astype(int)]
    report = _evaluate(rng, names[y], pred, groups, pos_label="yes").report()
    selection = [np.mean(pred[groups == g] == "yes") for g in GROUPS]
    tpr = [np.mean(pred[(groups == g) & (y == 1)] == "yes") for g in GROUPS]
    fpr = [np.mean(pred[(groups == g) & (y == 0)] == "yes") for g in GROUPS]
    np.testing.assert_allclose(report.table["selection_rate"], selection, rtol=1e-12)
    d = report.disparities
    assert d["demographic_parity_difference"] == pytest.approx(max(selection) - min(selection))
    assert d["demographic_parity_ratio"] == pytest.approx(min(selection) / max(selection))
    assert d["equalized_odds_difference"] == pytest.approx(
        max(max(tpr) - min(tpr), max(fpr) - min(fpr)))
    assert d["equalized_odds_ratio"] == pytest.approx(
        min(min(tpr) / max(tpr), min(fpr) / max(fpr)))
    overall = np.mean(pred == "yes")
    np.testing.assert_allclose(report.table["selection_rate_difference"],
                               np.array(selection) - overall, rtol=1e-12)
    np.testing.assert_allclose(report.table["selection_rate_ratio"],
                               np.array(selection) / overall, rtol=1e-12)
    assert "roc_auc" not in report.table


def test_hand_computed():
    fair = GroupEvaluation(groups=["a", "b", "c"])
    fair.update([1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 0], groups=["a", "a", "a", "b", "b", "b"])
    report = fair.report()
    assert report.table["n_samples"] == [3, 3, 0]
    assert report.table["true_positive_rate"][:2] == [0.5, 1.0]
    assert report.table["false_positive_rate"][:2] == [0.0, 0.5]
    assert report.disparities["equalized_odds_difference"] == 0.5
    assert report.disparities["false_positive_rate_ratio"] == 0.0


def test_bad_input_leaves_the_state_unchanged():
    fair = GroupEvaluation(threshold=0.5).update([0, 1], [0.2, 0.8], groups=["a", "b"])
    before = fair.to_bytes()
    for args, kwargs in (
        (([0, 1], [0.2, np.nan]), {"groups": ["a", "b"]}),
        (([0, 1], [0.2, 0.3]), {"groups": ["a", None]}),
        (([0, 1], [0.2, 0.3]), {"groups": ["a"]}),
        (([0, 2, 3], [0.2, 0.3, 0.1]), {"groups": ["a", "b", "b"]}),
        (([0, 1], [0.2, 0.3]), {"groups": [1, 2]}),  # numbers next to string groups
    ):
        with pytest.raises(ValueError):
            fair.update(*args, **kwargs)
    assert fair.to_bytes() == before
    with pytest.raises(ValueError, match="configurations"):
        fair.merge(GroupEvaluation(threshold=0.4))
