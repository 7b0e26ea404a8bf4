"""The one-vs-rest multiclass score accumulator against scikit-learn."""

import numpy as np
import pytest
import sklearn.metrics as skm

import cymetrics as cm
from cymetrics._exceptions import InvalidParameterError
from cymetrics.streaming import OvRScoreAccumulator, ScoreAccumulator
from support import Outcome, assert_same_outcome, merge_tree, random_splits, take


def _data(rng, n, k, decimals=2):
    y = rng.integers(0, k, n)
    scores = rng.random((n, k))
    scores[np.arange(n), y] += 0.6
    scores = np.round(scores / scores.sum(axis=1, keepdims=True), decimals)
    scores[:, -1] = 1 - scores[:, :-1].sum(axis=1)
    return y, scores


def _accumulate(rng, labels, y, scores, w, **config):
    parts = random_splits(rng, len(y))
    return merge_tree(rng, [OvRScoreAccumulator(labels, **config).update(
        take(y, i), take(scores, i), take(w, i)) for i in parts])


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", None])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("k", [3, 6])
def test_equals_sklearn(rng, average, weighted, k):
    y, scores = _data(rng, 600, k)
    w = rng.random(600) if weighted else None
    for labels, y_in in ((np.arange(k), y), (np.array([f"c{i}" for i in range(k)]), None)):
        y_in = y if y_in is not None else labels[y]
        acc = _accumulate(rng, labels, y_in, scores, w)
        assert_same_outcome(
            Outcome(skm.roc_auc_score, y_in, scores, multi_class="ovr", average=average,
                    labels=labels, sample_weight=w),
            Outcome(acc.roc_auc_score, average=average), exact=False, ctx="roc_auc")
        assert_same_outcome(
            Outcome(skm.average_precision_score, y_in, scores, average=average, sample_weight=w),
            Outcome(acc.average_precision_score, average=average), exact=False, ctx="ap")


def test_per_class_state_is_a_binary_accumulator(rng):
    y, scores = _data(rng, 300, 4)
    acc = _accumulate(rng, np.arange(4), y, scores, None)
    for c in range(4):
        binary = ScoreAccumulator().update(y == c, scores[:, c])
        assert acc.for_class(c).to_bytes() == binary.to_bytes()
    with pytest.raises(ValueError, match="not one of the labels"):
        acc.for_class(9)


def test_class_absent_so_far_gives_nan_like_sklearn(rng):
    y, scores = _data(rng, 100, 3)
    keep = y != 2
    acc = OvRScoreAccumulator([0, 1, 2]).update(y[keep], scores[keep])
    with pytest.warns(UserWarning):
        per_class = acc.roc_auc_score(average=None)
    assert np.isnan(per_class[2]) and not np.isnan(per_class[:2]).any()


def test_rows_must_sum_to_one_for_auc(rng):
    y, scores = _data(rng, 50, 3)
    acc = OvRScoreAccumulator([0, 1, 2]).update(y, scores)
    acc.update(y[:5], scores[:5] * 2)
    with pytest.raises(ValueError, match="sum up to 1.0"):
        acc.roc_auc_score()
    assert np.isfinite(acc.average_precision_score())


@pytest.mark.parametrize(
    "y, scores, exc",
    [([0, 3], [[0.5, 0.25, 0.25], [0.2, 0.3, 0.5]], ValueError),
     ([0, 1], [[0.5, 0.5], [0.2, 0.8]], ValueError),
     ([0, 1], [[0.5, 0.25, np.nan], [0.2, 0.3, 0.5]], ValueError),
     (["a", 1], [[0.5, 0.25, 0.25], [0.2, 0.3, 0.5]], ValueError)],
    ids=["unknown-label", "columns", "nan", "mixed"],
)
def test_bad_input_is_atomic(y, scores, exc):
    acc = OvRScoreAccumulator([0, 1, 2]).update([0, 1, 2], np.eye(3))
    before = acc.to_bytes()
    with pytest.raises(exc):
        acc.update(y, scores)
    assert acc.to_bytes() == before


def test_configuration_checks():
    with pytest.raises(InvalidParameterError, match="ordered"):
        OvRScoreAccumulator([2, 0, 1])
    with pytest.raises(InvalidParameterError):
        OvRScoreAccumulator([0])
    acc = OvRScoreAccumulator([0, 1, 2], track_micro=False).update([0, 1, 2], np.eye(3))
    with pytest.raises(ValueError, match="track_micro"):
        acc.roc_auc_score(average="micro")
    with pytest.raises(ValueError, match="different labels"):
        acc.merge(OvRScoreAccumulator([0, 1, 2]))
    with pytest.raises(InvalidParameterError):
        acc.roc_auc_score(average="samples")
    with pytest.raises(ValueError, match="no data"):
        OvRScoreAccumulator([0, 1, 2]).roc_auc_score()


@pytest.mark.parametrize("average", ["macro", "weighted", None])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_one_vs_one_equals_the_one_shot(rng, average, weighted):
    """Bit for bit unweighted (the same Mann-Whitney counts), to rounding weighted."""
    for k, decimals in ((3, 1), (5, 3)):
        y, scores = _data(rng, 400, k, decimals)
        y[y == k - 1] = 0  # a declared class without samples
        w = rng.random(400) if weighted else None
        acc = _accumulate(rng, np.arange(k), y, scores, w, track_ovo=True)
        acc = OvRScoreAccumulator.from_bytes(acc.to_bytes())
        assert_same_outcome(
            Outcome(cm.roc_auc_score, y, scores, multi_class="ovo", average=average,
                    labels=np.arange(k), sample_weight=w),
            Outcome(acc.roc_auc_score, multi_class="ovo", average=average),
            exact=not weighted, ctx=f"k={k}")
        if not weighted and average is not None:
            np.testing.assert_allclose(
                acc.roc_auc_score(multi_class="ovo", average=average),
                skm.roc_auc_score(y, scores, multi_class="ovo", average=average,
                                  labels=np.arange(k)), rtol=1e-12)


def test_one_vs_one_needs_its_state():
    acc = OvRScoreAccumulator([0, 1, 2]).update([0, 1, 2], np.eye(3))
    with pytest.raises(ValueError, match="track_ovo"):
        acc.roc_auc_score(multi_class="ovo")
    with pytest.raises(InvalidParameterError):
        acc.roc_auc_score(multi_class="ovo", average="micro")
    with pytest.raises(ValueError, match="track_ovo"):
        acc.merge(OvRScoreAccumulator([0, 1, 2], track_ovo=True))


def test_weighted_average_with_a_declared_class_absent(rng):
    """Regression: the weighted OvR average of a class without samples."""
    y, scores = _data(rng, 200, 4)
    y[y == 3] = 1
    w = rng.random(200)
    acc = _accumulate(rng, np.arange(4), y, scores, w)
    with pytest.warns(cm.UndefinedMetricWarning):
        expected = cm.roc_auc_score(y, scores, multi_class="ovr", average="weighted",
                                    labels=np.arange(4), sample_weight=w)
    with pytest.warns(cm.UndefinedMetricWarning):
        got = acc.roc_auc_score(average="weighted")
    assert np.isfinite(got)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_all_zero_weights_raise_like_the_one_shot():
    acc = OvRScoreAccumulator([0, 1, 2]).update([0, 1, 2], np.eye(3), [0, 0, 0])
    for average in ("macro", "weighted"):
        with pytest.raises(ValueError, match="non-zero"):
            acc.roc_auc_score(average=average)


def test_class_arrays_handed_out_are_not_the_shared_state():
    # Module-level arrays are shared by every state (in every thread): a
    # user writing into what an accumulator hands out must not change them.
    scores = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
    a = OvRScoreAccumulator(labels=[0, 1, 2]).update([0, 2, 1], scores)
    b = OvRScoreAccumulator(labels=[0, 1, 2]).update([0, 2, 1], scores)
    classes = a.for_class(1).classes_
    classes[0] = classes[1]  # the caller's copy
    assert b.for_class(1).classes_.tolist() == [False, True]
    assert a.for_class(1).classes_.tolist() == [False, True]
    assert b.update([1], [[0.1, 0.8, 0.1]]).roc_auc_score() == pytest.approx(
        cm.roc_auc_score([0, 2, 1, 1], np.r_[scores, [[0.1, 0.8, 0.1]]],
                                multi_class="ovr", labels=[0, 1, 2]))
