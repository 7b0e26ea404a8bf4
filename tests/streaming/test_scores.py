"""The exact binary score accumulator against the one-shot functions.

Every metric of a `ScoreAccumulator` fed any split of the data, in any
order, merged in any tree, must equal the one-shot `cymetrics` function on
all the data: bit for bit (values, dtypes, warnings, errors) when
unweighted or with integer-valued weights, to 1e-12 with float weights.
The one-shot functions are themselves checked against scikit-learn in
tests/ranking/test_ranking.py; a few cases here also go straight to scikit-learn.
"""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import cymetrics
from cymetrics._exceptions import InvalidParameterError, MixedLabelTypesError
from cymetrics.streaming import ScoreAccumulator
from support import Outcome, assert_same_outcome, merge_tree, random_splits, take

LABELS = {  # kind -> (negative, positive, pos_label given to the accumulator)
    "01": (0, 1, None),
    "pm1": (-1, 1, None),
    "bool": (False, True, None),
    "str": ("neg", "pos", "pos"),
    "float": (0.0, 1.0, 1.0),
}


def _scores(rng, n, kind):
    if kind == "f64":
        return rng.normal(size=n)
    if kind == "f32":
        return rng.normal(size=n).astype(np.float32)
    if kind == "ties":
        return np.round(rng.random(n), 1)
    if kind == "int":
        return rng.integers(-3, 4, size=n)
    if kind == "const":
        return np.full(n, 0.25)
    raise ValueError(kind)


def _weights(rng, n, kind):
    if kind is None:
        return None
    if kind == "int":  # integer-valued: sums stay exact, results bit-identical
        return rng.integers(0, 4, size=n).astype(np.float64)
    w = rng.random(n) * 2
    w[rng.random(n) < 0.2] = 0.0
    return w


def _one_shot_calls(y, s, w, pos):
    """(name, one-shot call, streaming call) for every metric of the state."""
    kw = {"sample_weight": w}
    return [
        ("roc_auc_score", lambda: cymetrics.roc_auc_score(y, s, **kw),
         lambda acc: acc.roc_auc_score()),
        ("roc_auc_score_max_fpr", lambda: cymetrics.roc_auc_score(y, s, max_fpr=0.4, **kw),
         lambda acc: acc.roc_auc_score(max_fpr=0.4)),
        ("average_precision_score",
         lambda: cymetrics.average_precision_score(y, s, pos_label=pos, **kw),
         lambda acc: acc.average_precision_score()),
        ("roc_curve", lambda: cymetrics.roc_curve(y, s, pos_label=pos, **kw),
         lambda acc: acc.roc_curve()),
        ("roc_curve_all", lambda: cymetrics.roc_curve(
            y, s, pos_label=pos, drop_intermediate=False, **kw),
         lambda acc: acc.roc_curve(drop_intermediate=False)),
        ("precision_recall_curve",
         lambda: cymetrics.precision_recall_curve(y, s, pos_label=pos, **kw),
         lambda acc: acc.precision_recall_curve()),
        ("precision_recall_curve_drop", lambda: cymetrics.precision_recall_curve(
            y, s, pos_label=pos, drop_intermediate=True, **kw),
         lambda acc: acc.precision_recall_curve(drop_intermediate=True)),
        ("det_curve", lambda: cymetrics.det_curve(y, s, pos_label=pos, **kw),
         lambda acc: acc.det_curve()),
        ("det_curve_drop", lambda: cymetrics.det_curve(
            y, s, pos_label=pos, drop_intermediate=True, **kw),
         lambda acc: acc.det_curve(drop_intermediate=True)),
        ("confusion_matrix_at_thresholds",
         lambda: cymetrics.confusion_matrix_at_thresholds(y, s, pos_label=pos, **kw),
         lambda acc: acc.confusion_matrix_at_thresholds()),
    ]


def _accumulate(rng, y, s, w, pos_label, **config):
    parts = random_splits(rng, len(y))
    accs = [ScoreAccumulator(pos_label=pos_label, **config).update(
        take(y, idx), take(s, idx), take(w, idx)) for idx in parts]
    return merge_tree(rng, accs)


def _check_all_metrics(acc, y, s, w, pos, exact, ctx):
    for name, one_shot, streaming in _one_shot_calls(y, s, w, pos):
        assert_same_outcome(Outcome(one_shot), Outcome(streaming, acc), exact=exact,
                            ctx=f"{name} {ctx}")


@pytest.mark.parametrize("n", [1, 2, 9, 400])
@pytest.mark.parametrize("weights", [None, "int", "float"])
@pytest.mark.parametrize("score_kind", ["f64", "f32", "ties", "int", "const"])
@pytest.mark.parametrize("label_kind", list(LABELS))
def test_every_metric_equals_one_shot(rng, n, weights, score_kind, label_kind):
    neg, pos, pos_label = LABELS[label_kind]
    for rep in range(2):
        p_pos = [0.3, 0.0, 1.0][rep] if n > 2 else 0.5
        is_pos = rng.random(n) < p_pos
        y = np.where(is_pos, pos, neg) if label_kind != "bool" else is_pos
        s = _scores(rng, n, score_kind)
        w = _weights(rng, n, weights)
        acc = _accumulate(rng, y, s, w, pos_label)
        _check_all_metrics(acc, y, s, w, pos, exact=weights != "float",
                           ctx=f"rep={rep} n={n} {label_kind} {score_kind} w={weights}")


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_against_sklearn_directly(rng, weighted):
    n = 3000
    y = rng.random(n) < 0.2
    s = np.round(rng.normal(size=n) + y, 2).astype(np.float32)
    w = rng.random(n) if weighted else None
    acc = _accumulate(rng, y, s, w, None)
    assert acc.roc_auc_score() == pytest.approx(skm.roc_auc_score(y, s, sample_weight=w), rel=1e-12)
    assert acc.roc_auc_score(max_fpr=0.2) == pytest.approx(
        skm.roc_auc_score(y, s, sample_weight=w, max_fpr=0.2), rel=1e-12)
    assert acc.average_precision_score() == pytest.approx(
        skm.average_precision_score(y, s, sample_weight=w), rel=1e-12)
    for got, expected in zip(acc.roc_curve(), skm.roc_curve(y, s, sample_weight=w)):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    for got, expected in zip(acc.precision_recall_curve(),
                             skm.precision_recall_curve(y, s, sample_weight=w)):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
        assert got.dtype == expected.dtype


@given(
    data=st.lists(st.tuples(st.booleans(), st.sampled_from([-1.5, 0.0, 0.25, 0.5, 2.0, 7.0]),
                            st.integers(0, 3)), min_size=1, max_size=60),
    seed=st.integers(0, 2**32 - 1),
    weighted=st.booleans(),
)
def test_property_any_split_any_tree_is_bit_identical(data, seed, weighted):
    rng = np.random.default_rng(seed)
    y = np.array([d[0] for d in data])
    s = np.array([d[1] for d in data])
    w = np.array([d[2] for d in data], dtype=np.float64) if weighted else None
    if w is not None and not w.any():
        w[0] = 1.0
    acc = _accumulate(rng, y, s, w, None)
    _check_all_metrics(acc, y, s, w, True, exact=True, ctx=f"seed={seed}")


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 80))
def test_property_state_does_not_depend_on_the_tree(seed, n):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.5
    s = rng.integers(0, 6, size=n).astype(np.float32)
    states = {_accumulate(rng, y, s, None, None).to_bytes() for _ in range(3)}
    one = ScoreAccumulator().update(y, s).to_bytes()
    assert states == {one}


@pytest.mark.parametrize("threshold", [-np.inf, -1.0, 0.1, 0.35, 0.35000001, 0.8, 5.0])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_confusion_matrix_at_a_threshold(rng, threshold, weighted):
    y = np.array([0, 0, 1, 1, 1, 0])
    s = np.array([0.1, 0.4, 0.35, 0.8, 0.35, 0.8])
    w = rng.random(6) if weighted else None
    acc = ScoreAccumulator().update(y[:3], s[:3], take(w, slice(0, 3)))
    acc.update(y[3:], s[3:], take(w, slice(3, 6)))
    expected = cymetrics.confusion_matrix(y == 1, s >= threshold, labels=[False, True],
                                          sample_weight=w)
    got = acc.confusion_matrix(threshold)
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_float32_threshold_compares_in_float64():
    s = np.array([0.1], dtype=np.float32)
    acc = ScoreAccumulator().update([1], s)
    just_above = float(s[0]) + 1e-12  # rounds to s[0] in float32
    assert acc.confusion_matrix(just_above)[1, 1] == 0
    assert acc.confusion_matrix(float(s[0]))[1, 1] == 1


def test_memory_grows_with_distinct_scores_not_samples(rng):
    acc = ScoreAccumulator()
    values = np.linspace(0, 1, 50)
    for _ in range(40):
        acc.update(rng.random(1000) < 0.5, rng.choice(values, 1000))
    assert acc.n_samples == 40_000
    assert acc.n_distinct == 50
    assert acc.nbytes <= 3 * 50 * 24
    acc.update(rng.random(1000) < 0.5, rng.random(1000))
    assert acc.n_distinct == 1050


def test_pending_batches_are_compacted_as_they_grow(rng, monkeypatch):
    from cymetrics.streaming import _runs

    monkeypatch.setattr(_runs, "PENDING_FLOOR", 200)
    acc = ScoreAccumulator()
    values = np.round(rng.random(300), 2)
    seen = set()
    for _ in range(300):
        batch = rng.choice(values, 50)
        seen.update(batch.tolist())
        acc.update(rng.random(50) < 0.5, batch)
        counts = acc._snapshot().counts
        base = counts.pos.key.shape[0] + counts.neg.key.shape[0]
        assert counts.pending_size <= max(base, 200) + 50
    assert acc.n_samples == 15_000
    assert acc.n_distinct == len(seen)
    # Ties are many: each class is counted (a float64 score and an int64 count).
    assert acc.nbytes <= 2 * len(seen) * 16


def test_compaction_result_is_installed_once(rng):
    acc = ScoreAccumulator()
    for _ in range(5):
        acc.update(rng.random(100) < 0.5, rng.random(100))
    assert acc._snapshot().counts.pending
    acc.roc_auc_score()
    counts = acc._snapshot().counts
    assert not counts.pending
    assert counts.pos.key.shape[0] + counts.neg.key.shape[0] == 500
    assert counts.pos.count is None  # no ties: raw sorted scores


@pytest.mark.parametrize(
    "bad_update, exc",
    [
        (lambda a: a.update([0, 1], [0.5, np.nan]), ValueError),
        (lambda a: a.update([0, 1], [0.5, np.inf]), ValueError),
        (lambda a: a.update([0, 1], [0.5]), ValueError),
        (lambda a: a.update([0, 1], [0.5, 0.6], sample_weight=[1, -1]), ValueError),
        (lambda a: a.update([0, 1], [0.5, 0.6], sample_weight=[1, np.nan]), ValueError),
        (lambda a: a.update([0, 1, 2], [0.5, 0.6, 0.7]), ValueError),
        (lambda a: a.update([0, 2], [0.5, 0.6]), ValueError),
        (lambda a: a.update([-1, -1], [0.5, 0.6]), ValueError),
        (lambda a: a.update([[0, 1], [1, 0]], [0.5, 0.6]), ValueError),
        (lambda a: a.update([0, 1], [[0.5, 0.5], [0.6, 0.4]]), ValueError),
        (lambda a: a.update(["a", "b"], [0.5, 0.6]), ValueError),
        (lambda a: a.update([0, 1], ["a", "b"]), TypeError),
        (lambda a: a.update([0.5, 1], [0.5, 0.6]), ValueError),
    ],
    ids=["nan", "inf", "length", "negative-w", "nan-w", "multiclass-batch",
         "not-01", "union-not-01", "2d-y", "2d-score", "str-no-pos-label", "str-scores",
         "continuous-y"],
)
def test_failed_update_raises_and_leaves_state(bad_update, exc):
    acc = ScoreAccumulator().update([0, 1, 1], [0.2, 0.3, 0.9], sample_weight=[1, 2, 3])
    before = acc.to_bytes()
    with pytest.raises(exc):
        bad_update(acc)
    assert acc.to_bytes() == before


def test_one_shot_rejects_the_same_inputs():
    # The errors above are the one-shot functions' own.
    with pytest.raises(ValueError):
        cymetrics.roc_curve([0, 2], [0.5, 0.6])
    with pytest.raises(ValueError):
        cymetrics.roc_curve([0, 1], [0.5, np.nan])


def test_label_sets_are_checked_across_batches():
    acc = ScoreAccumulator(pos_label="pos").update(["neg", "neg"], [0.1, 0.2])
    with pytest.raises(MixedLabelTypesError):
        acc.update([1, 0], [0.1, 0.2])
    acc.update(["pos"], [0.3])
    with pytest.raises(ValueError, match="multiclass"):
        acc.update(["other"], [0.3])
    assert acc.classes_.tolist() == ["neg", "pos"]
    assert acc.roc_auc_score() == 1.0


def test_pos_label_outside_two_seen_classes():
    acc = ScoreAccumulator(pos_label="c").update(["a", "b"], [0.1, 0.2])
    with pytest.raises(ValueError, match="not a valid label"):
        acc.average_precision_score()
    with pytest.raises(ValueError, match="not a valid label"):
        cymetrics.average_precision_score(["a", "b"], [0.1, 0.2], pos_label="c")


def test_empty_batches_and_no_data():
    acc = ScoreAccumulator().update([], [])
    assert acc.n_samples == 0
    for metric in ("roc_auc_score", "average_precision_score", "roc_curve",
                   "precision_recall_curve", "det_curve", "confusion_matrix_at_thresholds"):
        with pytest.raises(ValueError, match="empty"):
            getattr(acc, metric)()
    with pytest.raises(ValueError, match="empty"):
        acc.confusion_matrix(0.5)


def test_only_zero_weights_seen_raises_like_one_shot():
    acc = ScoreAccumulator().update([0, 1], [0.1, 0.2], sample_weight=[0, 0])
    with pytest.raises(ValueError, match="non-zero"):
        acc.roc_curve()
    with pytest.raises(ValueError, match="non-zero"):
        cymetrics.roc_curve([0, 1], [0.1, 0.2], sample_weight=[0, 0])


@pytest.mark.parametrize(
    "kwargs", [{"memory_budget": 0}, {"memory_budget": -5}, {"memory_budget": 1.5},
               {"max_bins": 1}, {"max_bins": "many"}, {"pos_label": [1]}],
    ids=["budget0", "budget-neg", "budget-float", "bins1", "bins-str", "pos-list"])
def test_bad_configuration(kwargs):
    with pytest.raises(InvalidParameterError):
        ScoreAccumulator(**kwargs)


@pytest.mark.parametrize("max_fpr", [0, 1.5, -0.1, True, "x"])
def test_bad_max_fpr(max_fpr):
    acc = ScoreAccumulator().update([0, 1], [0.1, 0.2])
    with pytest.raises(InvalidParameterError):
        acc.roc_auc_score(max_fpr=max_fpr)


def test_merge_checks_kind_and_pos_label():
    with pytest.raises(ValueError, match="pos_label"):
        ScoreAccumulator(pos_label="a").merge(ScoreAccumulator(pos_label="b"))
    with pytest.raises(TypeError):
        ScoreAccumulator().merge(object())


def test_merge_does_not_modify_the_others_and_allows_self():
    a = ScoreAccumulator().update([0, 1], [0.1, 0.9])
    b = ScoreAccumulator().update([1, 0], [0.3, 0.2])
    b_bytes = b.to_bytes()
    a.merge(b, b)
    assert b.to_bytes() == b_bytes
    assert a.n_samples == 6
    a.merge(a)
    assert a.n_samples == 12


def test_copy_and_reset():
    a = ScoreAccumulator(pos_label=1).update([0, 1], [0.1, 0.9])
    b = a.copy()
    a.reset()
    assert a.n_samples == 0 and b.n_samples == 2
    assert b.pos_label == 1


def test_input_is_not_modified(rng):
    y = rng.random(100) < 0.5
    s = rng.random(100).astype(np.float32)
    w = rng.random(100)
    copies = [a.copy() for a in (y, s, w)]
    ScoreAccumulator().update(y, s, w)
    for a, c in zip((y, s, w), copies):
        np.testing.assert_array_equal(a, c)


def test_big_endian_strided_and_list_input():
    s = np.arange(20, dtype=">f8")[::2]
    y = [0, 1] * 5
    acc = ScoreAccumulator().update(y, s)
    assert acc.roc_auc_score() == cymetrics.roc_auc_score(y, s)
