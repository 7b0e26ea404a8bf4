"""Label-free estimates against simulation, where the model is calibrated by
construction: the labels are drawn from the predicted probabilities."""

import pickle

import numpy as np
import pytest

import cymetrics as cm
from cymetrics.monitoring import ExpectedPerformance


def _binary(rng, n):
    p = rng.beta(2.0, 3.0, n)
    return p, (rng.random(n) < p).astype(int)


def test_expected_counts_are_the_mean_of_simulated_labels(rng):
    """The estimate is the exact expectation: the mean confusion matrix over
    many label draws converges to it."""
    p, _ = _binary(rng, 400)
    estimate = ExpectedPerformance(threshold=0.4).update(p).confusion_matrix()
    draws = 2000
    total = np.zeros((2, 2))
    pred = (p >= 0.4).astype(int)
    for _ in range(draws):
        y = (rng.random(len(p)) < p).astype(int)
        total += cm.confusion_matrix(y, pred, labels=[0, 1])
    # Each cell is a sum of Bernoullis: its mean over the draws is within a
    # few standard errors of the expectation.
    sd = np.sqrt(np.sum(p * (1 - p)))
    np.testing.assert_allclose(total / draws, estimate, atol=5 * sd / np.sqrt(draws))
    np.testing.assert_allclose(estimate.sum(axis=1), [np.sum(1 - p), np.sum(p)], rtol=1e-12)


def test_binary_estimates_track_the_realized_metrics(rng):
    p, y = _binary(rng, 40_000)
    estimate = ExpectedPerformance()
    for idx in np.array_split(np.arange(len(p)), 7):
        estimate.update(p[idx])
    pred = (p >= 0.5).astype(int)
    for metric in ("accuracy_score", "precision_score", "recall_score", "f1_score"):
        realized = getattr(cm, metric)(y, pred)
        assert estimate.compute(metric) == pytest.approx(realized, abs=0.015), metric
    assert estimate.roc_auc_score() == pytest.approx(cm.roc_auc_score(y, p), abs=0.015)


def test_multiclass_estimates_track_the_realized_metrics(rng):
    p = rng.dirichlet([2.0, 1.0, 0.5], 30_000)
    y = np.array([rng.choice(3, p=row) for row in p])
    estimate = ExpectedPerformance(labels=["a", "b", "c"]).update(p)
    labels = np.array(["a", "b", "c"])
    pred = labels[np.argmax(p, axis=1)]
    realized = cm.confusion_matrix(labels[y], pred, labels=labels)
    np.testing.assert_allclose(estimate.confusion_matrix(), realized, rtol=0.05, atol=150)
    for metric, params in (("accuracy_score", {}), ("f1_score", {"average": "macro"})):
        assert estimate.compute(metric, **params) == pytest.approx(
            getattr(cm, metric)(labels[y], pred, **params), abs=0.015)
    with pytest.raises(ValueError, match="two labels"):
        estimate.roc_auc_score()


def test_merged_chunks_equal_one_pass_and_averaging_would_not(rng):
    confident = rng.beta(8.0, 1.0, 3000)  # mostly predicted positive
    doubtful = rng.beta(1.0, 4.0, 300)  # mostly predicted negative
    whole = ExpectedPerformance().update(np.concatenate([confident, doubtful]))
    chunks = [ExpectedPerformance().update(confident), ExpectedPerformance().update(doubtful)]
    merged = pickle.loads(pickle.dumps(chunks[0])).merge(chunks[1])
    for metric in ("f1_score", "precision_score", "recall_score"):
        assert merged.compute(metric) == pytest.approx(whole.compute(metric), rel=1e-12)
    assert merged.roc_auc_score() == pytest.approx(whole.roc_auc_score(), rel=1e-12)
    averaged = np.mean([c.compute("f1_score") for c in chunks])
    assert abs(averaged - whole.compute("f1_score")) > 0.05


def test_hand_computed_and_weights():
    estimate = ExpectedPerformance().update([0.9, 0.8, 0.3, 0.1])
    # Rows: expected negatives (1 - p) and positives (p), in the predicted column.
    np.testing.assert_allclose(estimate.confusion_matrix(), [[1.6, 0.3], [0.4, 1.7]],
                               rtol=1e-15)
    weighted = ExpectedPerformance().update([0.9, 0.3], [2.0, 1.0])
    np.testing.assert_allclose(weighted.confusion_matrix(), [[0.7, 0.2], [0.3, 1.8]],
                               rtol=1e-15)


def test_bad_input_leaves_the_state_unchanged():
    estimate = ExpectedPerformance().update([0.2, 0.7])
    before = estimate.to_bytes()
    for bad in ([1.2], [np.nan], [[0.2, 0.5, 0.3]], ["x"]):
        with pytest.raises(ValueError):
            estimate.update(bad)
    with pytest.raises(TypeError, match="iterator"):
        estimate.update(v for v in [0.1])
    assert estimate.to_bytes() == before
    with pytest.raises(ValueError, match="no data"):
        ExpectedPerformance().compute("accuracy_score")
    with pytest.raises(ValueError):
        ExpectedPerformance(labels=[1, 0])
