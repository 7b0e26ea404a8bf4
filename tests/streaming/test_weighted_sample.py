"""ScoreAccumulator.as_weighted_sample: the exact state as a small weighted sample.

Any ranking function called on it with ``sample_weight`` equals the function
on all the data seen (to float rounding): checked for the DeLong interval,
the curves and the AUC, over label kinds, ties, weights with zeros and
one-class data, with the data fed in random batches.
"""

import numpy as np
import pytest

import cymetrics as cm
from cymetrics.streaming import ScoreAccumulator, ScoreSketch
from support import (
    InputFactory,
    Outcome,
    assert_same_outcome,
    random_splits,
    stable_seed,
    take,
)

FUNCTIONS = ["roc_auc_ci", "roc_auc_score", "roc_curve", "average_precision_score"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_weighted_sample_gives_the_results_of_all_the_data(rng, name):
    gen = InputFactory()
    for trial in range(25):
        case = gen.binary_case(rng, int(rng.integers(1, 200)), rng.choice(["01", "str", "bool"]),
                               rng.choice(["f64", "f32", "i64"]),
                               rng.choice(["none", "round1", "const"]),
                               rng.choice([None, "int_zeros", "float_zeros"]))
        y, s, w = np.asarray(case.y_true), np.asarray(case.y_score), case.sample_weight
        pos = case.pos
        acc = ScoreAccumulator(pos_label=pos)
        for idx in random_splits(rng, y.shape[0]):
            acc.update(y[idx], s[idx], sample_weight=take(w, idx))
        params = {} if name == "roc_auc_score" else {"pos_label": pos}
        expected = Outcome(getattr(cm, name), y, s, sample_weight=w, **params)
        ys, ss, ws = acc.as_weighted_sample()
        got = Outcome(getattr(cm, name), ys, ss, sample_weight=ws, **params)
        ctx = f"{name} trial {trial} {case.desc}"
        assert_same_outcome(expected, got, exact=False, ctx=ctx, same_message=True)


def test_weighted_sample_by_hand():
    acc = ScoreAccumulator(pos_label="yes").update(
        ["no", "yes", "yes", "no"], [0.5, 0.5, 0.1, 0.5], sample_weight=[2, 0, 3, 1])
    y, s, w = acc.as_weighted_sample()
    # 0.5 holds 3 negatives' weight and a positive of weight 0 (dropped, as the
    # one-shot functions drop it; "yes" still occurs at 0.1).
    assert y.tolist() == ["yes", "no"] and s.tolist() == [0.1, 0.5] and w.tolist() == [3, 3]
    unweighted = ScoreAccumulator().update([1, 0, 1, 1], [0.2, 0.2, 0.9, 0.9])
    y, s, w = unweighted.as_weighted_sample()
    assert w.dtype == np.int64 and list(zip(y, s, w)) == [(1, 0.2, 1), (0, 0.2, 1), (1, 0.9, 2)]


def test_weighted_sample_keeps_a_class_whose_weights_are_all_zero():
    acc = ScoreAccumulator().update([0, 1, 1], [0.2, 0.4, 0.9], sample_weight=[1.0, 0.0, 0.0])
    y, s, w = acc.as_weighted_sample()
    assert sorted(set(y.tolist())) == [0, 1] and w[y == 1].sum() == 0
    with pytest.raises(ValueError, match="DeLong's variance needs at least two positive"):
        cm.roc_auc_ci(y, s, sample_weight=w)


def test_weighted_sample_with_a_positive_label_of_another_kind():
    acc = ScoreAccumulator(pos_label="yes").update([0, 1, 1], [0.2, 0.4, 0.9])
    y, s, w = acc.as_weighted_sample()
    # All negative, under one label; the other label occurs with weight 0.
    assert sorted(set(y.tolist())) == [0, 1] and w.sum() == 3 and w[y == 1].sum() == 0
    with pytest.raises(ValueError, match=r"Only one class is present in y_true \(pos_label='yes'"):
        cm.roc_auc_ci(y, s, sample_weight=w, pos_label="yes")


def test_sketch_and_empty_accumulator_have_no_weighted_sample():
    with pytest.raises(ValueError, match="holds a sketch"):
        ScoreSketch(max_bins=4).update([0, 1], [0.1, 0.2]).as_weighted_sample()
    with pytest.raises(ValueError, match="seen no data"):
        ScoreAccumulator().as_weighted_sample()


def test_sketch_sample_puts_each_bucket_at_its_lowest_score():
    sketch = ScoreSketch(max_bins=2).update([0, 1, 0, 1], [1.0, 2.0, 3.0, 4.0])
    y, s, w = sketch.as_weighted_sample(allow_sketch=True)
    lo = sketch._snapshot().counts.lo
    assert set(s.tolist()) <= set(lo.tolist()) and w.sum() == 4
    assert [w[y == c].sum() for c in (0, 1)] == [2, 2]


# What `cymetrics report` and the plots compute from a state: the one-shot
# functions on the sample, with the accumulator's pos_label.
THRESHOLD_FUNCTIONS = {
    "best_threshold youden": lambda y, s, w, p: cm.best_threshold(
        y, s, pos_label=p, sample_weight=w),
    "best_threshold cost": lambda y, s, w, p: cm.best_threshold(
        y, s, criterion="cost", cost_fp=2.0, pos_label=p, sample_weight=w),
    "metrics_at_thresholds": lambda y, s, w, p: cm.metrics_at_thresholds(
        y, s, [0.2, 0.5, 0.7], pos_label=p, sample_weight=w)[1:5],
    "expected_calibration_error": lambda y, s, w, p: cm.expected_calibration_error(
        y, s, pos_label=p, sample_weight=w),
}


@pytest.mark.parametrize("weighted", [False, True], ids=["counts", "weights"])
@pytest.mark.parametrize("labels", [(0, 1), ("no", "yes")], ids=["ints", "strings"])
@pytest.mark.parametrize("name", list(THRESHOLD_FUNCTIONS))
def test_threshold_functions_on_the_sample_equal_all_the_data(name, labels, weighted):
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
    function = THRESHOLD_FUNCTIONS[name]
    expected = function(y, s, w, labels[1])
    got = function(*acc.as_weighted_sample(), labels[1])
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float),
                               rtol=1e-12, atol=1e-15)
