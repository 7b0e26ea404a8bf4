"""The confusion accumulator against one-shot counting and metrics.

`confusion()` must be bit-identical to `count_confusion` on all the data
(classes, matrix and its dtype, in_true, y_type); `compute` must give what
the metric gives on all the data, whatever the split and merge tree.
scikit-learn's metrics are passed as callables, which exercises the one
generic path every metric goes through.
"""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import cymetrics
from cymetrics._classification._confusion import count_confusion
from cymetrics._classification._registry import METRICS as REGISTRY
from cymetrics._exceptions import InvalidParameterError, MixedLabelTypesError
from cymetrics.streaming import ConfusionAccumulator
from support import Outcome, assert_same_outcome, merge_tree, random_splits, take

CLASS_KINDS = {
    "int": np.arange(6),
    "shifted": np.arange(6) * 3 - 7,
    "big": np.int64(10**12) + np.arange(6) * 1000,
    "int8": np.arange(6, dtype=np.int8) - 2,
    "str": np.array([f"c{i}" for i in range(6)]),
    "float": np.arange(6, dtype=np.float64) - 1.0,
    "bool": np.array([False, True]),
}

METRICS = [  # (sklearn function, parameters)
    ("accuracy_score", {}),
    ("accuracy_score", {"normalize": False}),
    ("balanced_accuracy_score", {"adjusted": True}),
    ("f1_score", {"average": "macro"}),
    ("f1_score", {"average": "micro", "zero_division": 1.0}),
    ("fbeta_score", {"beta": 0.5, "average": "weighted"}),
    ("precision_score", {"average": None, "zero_division": np.nan}),
    ("recall_score", {"average": "macro"}),
    ("jaccard_score", {"average": "weighted"}),
    ("matthews_corrcoef", {}),
    ("cohen_kappa_score", {"weights": "linear"}),
    ("hamming_loss", {}),
    ("zero_one_loss", {}),
    ("precision_recall_fscore_support", {"average": None}),
    ("classification_report", {"output_dict": True, "zero_division": 0.0}),
]


def _labels(rng, n, classes, n_classes):
    k = min(n_classes, classes.shape[0])
    y_true = classes[rng.integers(0, k, n)]
    noise = classes[rng.integers(0, min(k + 1, classes.shape[0]), n)]
    y_pred = np.where(rng.random(n) < 0.6, y_true, noise)
    return y_true, y_pred


def _weights(rng, n, kind):
    if kind is None:
        return None
    if kind == "int":
        return rng.integers(0, 4, n)
    w = rng.random(n)
    w[rng.random(n) < 0.2] = 0
    return w


def _accumulate(rng, y_true, y_pred, w, **config):
    parts = random_splits(rng, len(y_true))
    if np.ndim(y_true) == 1 and rng.random() < 0.5:  # sorted batches discover new labels
        order = np.argsort(y_true, kind="stable")
        parts = [order[p] for p in np.split(np.arange(len(y_true)), [len(y_true) // 3])]
    accs = [ConfusionAccumulator(**config).update(take(y_true, i), take(y_pred, i), take(w, i))
            for i in parts]
    return merge_tree(rng, accs)


def _assert_same_counting(acc, y_true, y_pred, w, exact):
    """acc.confusion() behaves as counting all the data at once (errors too)."""
    expected = Outcome(count_confusion, y_true, y_pred, w)
    got = Outcome(acc.confusion)
    if expected.exc is not None:
        assert isinstance(got.exc, type(expected.exc)), (expected, got)
        return
    assert got.exc is None, got
    _assert_same_confusion(got.result, expected.result, exact)


def _assert_same_confusion(got, expected, exact):
    np.testing.assert_array_equal(got.classes, expected.classes)
    assert got.classes.dtype == expected.classes.dtype
    assert got.matrix.dtype == expected.matrix.dtype
    if exact:
        np.testing.assert_array_equal(got.matrix, expected.matrix)
    else:
        np.testing.assert_allclose(got.matrix, expected.matrix, rtol=1e-12)
    np.testing.assert_array_equal(got.in_true, expected.in_true)
    assert got.y_type == expected.y_type


@pytest.mark.parametrize("n", [1, 7, 300])
@pytest.mark.parametrize("weights", [None, "int", "float"])
@pytest.mark.parametrize("class_kind", list(CLASS_KINDS))
def test_confusion_equals_one_shot_counting(rng, n, weights, class_kind):
    for n_classes in (2, 6):
        y_true, y_pred = _labels(rng, n, CLASS_KINDS[class_kind], n_classes)
        w = _weights(rng, n, weights)
        acc = _accumulate(rng, y_true, y_pred, w)
        _assert_same_counting(acc, y_true, y_pred, w, exact=weights != "float")


@pytest.mark.parametrize("metric, params", METRICS,
                         ids=[f"{m}-{'-'.join(map(str, p.values()))}" for m, p in METRICS])
@pytest.mark.parametrize("weights", [None, "int", "float"])
@pytest.mark.parametrize("n_classes", [2, 5])
def test_compute_equals_the_metric_on_all_data(rng, metric, params, weights, n_classes):
    func = getattr(skm, metric)
    for class_kind in ("int", "str"):
        y_true, y_pred = _labels(rng, 200, CLASS_KINDS[class_kind], n_classes)
        w = _weights(rng, 200, weights)
        acc = _accumulate(rng, y_true, y_pred, w)
        expected = Outcome(func, y_true, y_pred, sample_weight=w, **params)
        got = Outcome(acc.compute, func, **params)
        if isinstance(expected.result, tuple):  # support: int unweighted, float weighted
            got.result = tuple(np.asarray(g, dtype=np.asarray(e).dtype)
                               for g, e in zip(got.result, expected.result))
        if isinstance(expected.result, (int, np.integer)):
            got.result = type(expected.result)(got.result)
        assert_same_outcome(expected, got, exact=False, ctx=f"{metric} {class_kind}")


@pytest.mark.parametrize("metric, params", METRICS,
                         ids=[f"{m}-{'-'.join(map(str, p.values()))}" for m, p in METRICS])
@pytest.mark.parametrize("weights", [None, "int", "float"])
def test_compute_by_name_equals_cymetrics(rng, metric, params, weights):
    # By name, 1-D states go through cymetrics.from_confusion: results,
    # dtypes (integer supports when unweighted), warnings and errors must be
    # those of the one-shot cymetrics function.
    for class_kind, n_classes in (("int", 2), ("str", 5), ("shifted", 4)):
        y_true, y_pred = _labels(rng, 150, CLASS_KINDS[class_kind], n_classes)
        w = _weights(rng, 150, weights)
        acc = _accumulate(rng, y_true, y_pred, w)
        expected = Outcome(getattr(cymetrics, metric), y_true, y_pred, sample_weight=w, **params)
        got = Outcome(acc.compute, metric, **params)
        assert_same_outcome(expected, got, exact=weights != "float", ctx=f"{metric} {class_kind}")


@pytest.mark.parametrize("labels", [None, [2, 0], [5, 1, 0, 9], ["a"]])
@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
@pytest.mark.parametrize("weights", [None, "int", "float"])
def test_confusion_matrix_equals_cymetrics(rng, labels, normalize, weights):
    y_true, y_pred = _labels(rng, 100, CLASS_KINDS["int"], 4)
    w = _weights(rng, 100, weights)
    acc = _accumulate(rng, y_true, y_pred, w)
    expected = Outcome(cymetrics.confusion_matrix, y_true, y_pred, labels=labels,
                       normalize=normalize, sample_weight=w)
    got = Outcome(acc.confusion_matrix, labels=labels, normalize=normalize)
    assert_same_outcome(expected, got, exact=weights != "float")


@given(
    pairs=st.lists(st.tuples(st.integers(-2, 3), st.integers(-2, 3), st.integers(0, 2)),
                   min_size=1, max_size=50),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_any_split_and_tree_is_bit_identical(pairs, seed):
    rng = np.random.default_rng(seed)
    y_true = np.array([p[0] for p in pairs])
    y_pred = np.array([p[1] for p in pairs])
    w = np.array([p[2] for p in pairs])
    for weights in (None, w):
        acc = _accumulate(rng, y_true, y_pred, weights)
        _assert_same_counting(acc, y_true, y_pred, weights, True)
        one = ConfusionAccumulator().update(y_true, y_pred, weights).to_bytes()
        assert acc.to_bytes() == one


def test_zero_weight_batches_are_accepted():
    acc = ConfusionAccumulator().update([0, 1], [1, 1], sample_weight=[0, 0])
    with pytest.raises(ValueError, match="non-zero"):
        acc.confusion()  # as counting these data at once
    acc.update([2], [2], sample_weight=[3])
    _assert_same_counting(acc, [0, 1, 2], [1, 1, 2], [0, 0, 3], True)


def test_zero_weight_labels_keep_their_presence():
    # 3 occurs only in y_pred and 4 only in y_true, both with zero weight.
    y_true = np.array([0, 1, 1, 4, 0])
    y_pred = np.array([0, 1, 3, 1, 1])
    w = np.array([1.0, 2.0, 0.0, 0.0, 0.5])
    acc = ConfusionAccumulator().update(y_true[:3], y_pred[:3], w[:3])
    acc.update(y_true[3:], y_pred[3:], w[3:])
    _assert_same_confusion(acc.confusion(), count_confusion(y_true, y_pred, w), True)
    sample = acc.as_weighted_sample()
    _assert_same_confusion(count_confusion(*sample), count_confusion(y_true, y_pred, w), True)
    for metric, params in METRICS:
        expected = Outcome(getattr(skm, metric), y_true, y_pred, sample_weight=w, **params)
        got = Outcome(acc.compute, getattr(skm, metric), **params)
        assert_same_outcome(expected, got, exact=False, ctx=metric)


def test_declared_labels():
    acc = ConfusionAccumulator(labels=[3, 1, 2, 0])
    acc.update([0, 1], [1, 1])
    before = acc.to_bytes()
    with pytest.raises(ValueError, match="not in `labels`"):
        acc.update([0, 7], [1, 1])
    assert acc.to_bytes() == before
    # Declared but unseen labels are not present: the results are the data's.
    _assert_same_confusion(acc.confusion(), count_confusion([0, 1], [1, 1]), True)
    assert acc.confusion_matrix(labels=[0, 1, 2]).tolist() == [[0, 1, 0], [0, 1, 0], [0, 0, 0]]
    other = ConfusionAccumulator().update([2], [3])
    acc.merge(other)
    assert acc.confusion().classes.tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="not in `labels`"):
        acc.merge(ConfusionAccumulator().update([5], [5]))
    with pytest.raises(ValueError, match="different declared labels"):
        acc.merge(ConfusionAccumulator(labels=[0, 1]))


@pytest.mark.parametrize("labels", [[], [1, 1], [np.nan, 1.0]], ids=["empty", "dup", "nan"])
def test_bad_declared_labels(labels):
    with pytest.raises(ValueError):
        ConfusionAccumulator(labels=labels)


@pytest.mark.parametrize("weights", [None, "int", "float"])
def test_multilabel_metrics(rng, weights):
    n, n_labels = 300, 5
    y_true = (rng.random((n, n_labels)) < 0.3).astype(int)
    y_pred = np.where(rng.random((n, n_labels)) < 0.8, y_true, 1 - y_true)
    w = _weights(rng, n, weights)
    acc = _accumulate(rng, y_true, y_pred, w)
    for metric, params in [("accuracy_score", {}), ("hamming_loss", {}),
                           ("f1_score", {"average": "samples"}),
                           ("f1_score", {"average": None}),
                           ("jaccard_score", {"average": "samples"}),
                           ("precision_score", {"average": "micro"}),
                           ("multilabel_confusion_matrix", {}),
                           ("zero_one_loss", {}),
                           ("classification_report", {"output_dict": True})]:
        func = getattr(skm, metric)
        expected = Outcome(func, y_true, y_pred, sample_weight=w, **params)
        got = Outcome(acc.compute, func, **params)
        if metric == "multilabel_confusion_matrix" and weights != "float":
            got.result = got.result.astype(expected.result.dtype)
        assert_same_outcome(expected, got, exact=False, ctx=metric)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_unweighted_multilabel_counts_stay_integers(rng, name):
    # The state keeps distinct rows with their tallies; the results (and
    # their dtypes: int64 supports and matrices) are those of the samples.
    y_true = (rng.random((200, 4)) < 0.3).astype(int)
    y_pred = np.where(rng.random((200, 4)) < 0.8, y_true, 1 - y_true)
    acc = _accumulate(rng, y_true, y_pred, None)
    func = getattr(cymetrics, name)
    for params in ({}, {"average": "samples"}, {"average": None}, {"output_dict": True}):
        expected = Outcome(func, y_true, y_pred, **params)
        if isinstance(expected.exc, TypeError):
            continue  # not a parameter of this metric
        got = Outcome(acc.compute, name, **params)
        assert_same_outcome(expected, got, exact=False, ctx=f"{name} {params}")
        for e, g in zip(*(o.result if isinstance(o.result, tuple) else (o.result,)
                          for o in (expected, got))):
            assert np.asarray(g).dtype == np.asarray(e).dtype, f"{name} {params}"


def test_empty_multilabel_batch_is_a_no_op(rng):
    acc = ConfusionAccumulator().update(np.eye(3, dtype=int), np.eye(3, dtype=int))
    before = acc.to_bytes()
    acc.update(np.zeros((0, 3), dtype=int), np.zeros((0, 3), dtype=int))
    assert acc.to_bytes() == before


def test_multilabel_state_is_canonical(rng):
    y_true = rng.random((50, 3)) < 0.5
    y_pred = rng.random((50, 3)) < 0.5
    one = ConfusionAccumulator().update(y_true, y_pred).to_bytes()
    assert _accumulate(rng, y_true, y_pred, None).to_bytes() == one


def test_multilabel_and_1d_do_not_mix():
    acc = ConfusionAccumulator().update([[0, 1], [1, 1]], [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="mix"):
        acc.update([0, 1], [0, 1])
    with pytest.raises(ValueError, match="number of labels"):
        acc.update([[0, 1, 1]], [[0, 1, 0]])
    with pytest.raises(ValueError, match="mix"):
        ConfusionAccumulator().update([0, 1], [0, 1]).merge(acc)
    with pytest.raises(ValueError, match="1-D labels"):
        acc.confusion()


@pytest.mark.parametrize(
    "y_true, y_pred, w, exc",
    [
        ([0, 1], [0.5, 1], None, ValueError),
        ([0, 1], [0, np.nan], None, ValueError),
        ([0, 1], [0], None, ValueError),
        ([0, "a"], [0, 1], None, ValueError),
        ([0, 1], ["a", "b"], None, MixedLabelTypesError),
        ([0, 1], [0, 1], [1, -1], ValueError),
        ([0, 1], [0, 1], [1], ValueError),
        ([[0, 1], [1, 0]], [[0, 2], [1, 0]], None, ValueError),
        ([[0, 1], [1, 0]], [[0, 1]], None, ValueError),
    ],
    ids=["continuous", "nan", "length", "mixed-in-batch", "str-vs-int", "negative-w",
         "w-length", "multilabel-vs-multiclass", "multilabel-shape"],
)
def test_bad_input_raises_like_one_shot_and_is_atomic(y_true, y_pred, w, exc):
    acc = ConfusionAccumulator().update([1, 0], [1, 1])
    before = acc.to_bytes()
    with pytest.raises(exc):
        acc.update(y_true, y_pred, w)
    assert acc.to_bytes() == before
    if np.ndim(y_true) == 1:
        with pytest.raises(exc):
            cymetrics.confusion_matrix(y_true, y_pred, sample_weight=w)


def test_compute_arguments():
    acc = ConfusionAccumulator().update([0, 1], [0, 1])
    with pytest.raises(TypeError, match="update"):
        acc.compute("confusion_matrix", sample_weight=[1, 1])
    with pytest.raises(InvalidParameterError, match="no classification function"):
        acc.compute("no_such_metric")
    with pytest.raises(InvalidParameterError):
        acc.compute(3)


def test_empty_batches_and_no_data():
    acc = ConfusionAccumulator().update([], [])
    assert acc.n_samples == 0
    with pytest.raises(ValueError, match="empty"):
        acc.confusion()
    with pytest.raises(ValueError, match="empty"):
        acc.compute("confusion_matrix")
    with pytest.raises(ValueError, match="empty"):
        ConfusionAccumulator(labels=[0, 1]).confusion_matrix()


def test_n_samples_and_repr():
    acc = ConfusionAccumulator().update(["b", "a"], ["a", "a"], sample_weight=[2, 3])
    assert acc.n_samples == 5
    assert repr(acc) == "ConfusionAccumulator(n_samples=5, labels=['a', 'b'])"
