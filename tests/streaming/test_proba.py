"""ProbabilityAccumulator against the one-shot functions on the concatenated data."""

import pickle
import warnings

import numpy as np
import pytest

import cymetrics as cm
from cymetrics._exceptions import InvalidParameterError
from cymetrics.streaming import DecayedAccumulator, ProbabilityAccumulator
from support import Outcome, assert_same_outcome, random_splits, stable_seed

CASES = ["binary-01", "binary-str", "binary-f32-rounded", "binary-extremes",
         "three-classes", "four-str-f32", "two-columns"]


def _case(name, rng):
    """``(y, proba, labels or None, 1-D)`` of a named case."""
    n = int(rng.integers(2, 90))
    if name.startswith("binary"):
        p = rng.random(n)
        labels = np.array(["no", "yes"]) if name == "binary-str" else None
        y = (rng.random(n) < p).astype(int)
        if name == "binary-f32-rounded":
            p = np.round(p, 1).astype(np.float32)
        if name == "binary-extremes":
            p[: n // 3] = rng.choice([0.0, 1.0], n // 3)
        return (y if labels is None else labels[y]), p, labels, True
    k = {"three-classes": 3, "four-str-f32": 4, "two-columns": 2}[name]
    labels = np.array(list("abcd")[:k]) if name == "four-str-f32" else np.arange(k)
    p = rng.dirichlet(np.ones(k), n)
    if name == "four-str-f32":
        p = p.astype(np.float32)
    y = labels[[rng.choice(k, p=row / row.sum()) for row in p.astype(np.float64)]]
    return y, p, labels, False


def _one_shot(y, p, labels, oned, weights, n_bins, strategy):
    """``{method: call of the one-shot function}`` for the accumulator's methods."""
    pos = {} if not oned else {"pos_label": 1 if labels is None else labels[1]}
    # labels=None in the accumulator means {0, 1}: the one-shot needs them
    # spelled out when a class is missing.
    lab = {"labels": [0, 1] if labels is None else labels}
    brier = pos if oned else lab
    calib = {"n_bins": n_bins, "strategy": strategy, **(pos if oned else lab)}
    w = {"sample_weight": weights}
    calls = {
        "log_loss": (cm.log_loss, lab),
        "brier_score_loss": (cm.brier_score_loss, brier),
        "d2_log_loss_score": (cm.d2_log_loss_score, lab),
        "d2_brier_score": (cm.d2_brier_score, brier),
        "expected_calibration_error": (cm.expected_calibration_error, calib),
        "maximum_calibration_error": (cm.maximum_calibration_error, calib),
    }
    out = {name: Outcome(func, y, p, **w, **kw) for name, (func, kw) in calls.items()}
    if oned and weights is None:
        out["calibration_curve"] = Outcome(cm.calibration_curve, y, p, n_bins=n_bins,
                                           strategy=strategy, **pos)
    return out


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES)
def test_equals_one_shot_on_concatenated_data(case, weighted, strategy):
    rng = np.random.default_rng(stable_seed(case, weighted, strategy))
    for _ in range(6):
        y, p, labels, oned = _case(case, rng)
        weights = rng.random(len(y)) if weighted else None
        n_bins = int(rng.integers(1, 12))
        parts = []
        for idx in random_splits(rng, len(y)):
            acc = ProbabilityAccumulator(labels, n_bins=n_bins, strategy=strategy)
            parts.append(acc.update(y[idx], p[idx], None if weights is None else weights[idx]))
        merged = pickle.loads(pickle.dumps(parts[0].merge(*parts[1:])))
        for name, expected in _one_shot(y, p, labels, oned, weights, n_bins, strategy).items():
            assert_same_outcome(expected, Outcome(getattr(merged, name)), exact=False,
                                ctx=name)


def test_hand_computed():
    acc = ProbabilityAccumulator(n_bins=2).update([0, 1], [0.1, 0.9]).update([1, 0], [0.6, 0.3])
    assert acc.log_loss() == pytest.approx(-np.log([0.9, 0.9, 0.6, 0.7]).mean(), rel=1e-15)
    assert acc.log_loss(normalize=False) == pytest.approx(-np.log([0.9, 0.9, 0.6, 0.7]).sum())
    assert acc.brier_score_loss() == pytest.approx((0.01 + 0.01 + 0.16 + 0.09) / 4)
    assert acc.brier_score_loss(scale_by_half=False) == pytest.approx(0.27 / 2)
    # Bins (0, .5]: .1 and .3, no positive; (.5, 1]: .6 and .9, both positive.
    assert acc.expected_calibration_error() == pytest.approx(0.5 * 0.2 + 0.5 * 0.25)
    assert acc.maximum_calibration_error() == pytest.approx(0.25)


def test_d2_and_warnings_follow_the_one_shot():
    one = ProbabilityAccumulator().update([1], [0.8])
    with pytest.warns(cm.UndefinedMetricWarning, match="less than two samples"):
        assert np.isnan(one.d2_log_loss_score())
    rows = ProbabilityAccumulator(labels=[0, 1, 2]).update([0, 2], [[0.5, 0.4, 0.3],
                                                                     [0.2, 0.2, 0.6]])
    with pytest.warns(UserWarning, match="do not sum to one"):
        rows.log_loss()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows.expected_calibration_error()


def test_bad_input_leaves_the_state_unchanged():
    acc = ProbabilityAccumulator(labels=["a", "b", "c"]).update(["a"], [[0.5, 0.3, 0.2]])
    before = acc.to_bytes()
    bad = [
        (["a"], [[0.5, 0.3]], "columns"),
        (["z"], [[0.5, 0.3, 0.2]], "not belonging"),
        (["a"], [[1.5, -0.3, -0.2]], "greater than 1"),
        (["a"], [[np.nan, 0.5, 0.5]], "NaN|infinity"),
        (["a"], [0.5], "two classes"),
    ]
    for y, p, message in bad:
        with pytest.raises(ValueError, match=message):
            acc.update(y, p)
    assert acc.to_bytes() == before
    binary = ProbabilityAccumulator().update([0, 1], [0.2, 0.7])
    with pytest.raises(ValueError, match="1-D|2-D"):
        binary.update([0], [[0.2, 0.8]])
    with pytest.raises(ValueError, match="pos_label"):
        binary.update(["x", "y"], [0.1, 0.2])
    with pytest.raises(ValueError, match="labels"):
        ProbabilityAccumulator().update([0], [[0.2, 0.8]])
    with pytest.raises(ValueError, match="different labels or bins"):
        binary.merge(ProbabilityAccumulator(n_bins=3))
    for kwargs in ({"labels": [1, 0]}, {"n_bins": 0}, {"strategy": "kmeans"}):
        with pytest.raises(InvalidParameterError):
            ProbabilityAccumulator(**kwargs)
    with pytest.raises(ValueError, match="no data"):
        ProbabilityAccumulator().log_loss()
    with pytest.raises(ValueError, match="non-zero"):
        ProbabilityAccumulator().update([0, 1], [0.2, 0.7], [0, 0]).brier_score_loss()
    with pytest.raises(ValueError, match="1-D"):
        ProbabilityAccumulator(labels=[0, 1]).update([0], [[0.2, 0.8]]).calibration_curve()


def test_decayed_probabilities_equal_the_reweighted_one_shot(rng):
    half_life = 5.0
    decayed = DecayedAccumulator(ProbabilityAccumulator(labels=[0, 1, 2], n_bins=4), half_life)
    p = rng.dirichlet(np.ones(3), 60)
    y = np.array([rng.choice(3, p=row) for row in p])
    for idx in np.array_split(np.arange(60), 6):
        decayed.update(y[idx], p[idx])
    weights = 2.0 ** (-np.arange(60)[::-1] / half_life)
    snap = decayed.snapshot()
    for name, func in (("log_loss", cm.log_loss), ("brier_score_loss", cm.brier_score_loss),
                       ("expected_calibration_error", cm.expected_calibration_error)):
        extra = {"n_bins": 4} if name == "expected_calibration_error" else {}
        np.testing.assert_allclose(getattr(snap, name)(),
                                   func(y, p, labels=[0, 1, 2], sample_weight=weights, **extra),
                                   rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("y, pos_label", [
    (np.array([0, 1, 1, 0, 1]), 0),
    (np.array(["no", "yes", "yes", "no", "no"]), "no"),
    (np.array([2, 2, 2, 2, 2]), 2),
    (np.array([2, 5, 5, 2, 5]), 7),
], ids=["smaller", "str", "one-class", "absent"])
def test_pos_label_of_1d_probabilities_equals_the_one_shot(y, pos_label):
    p = np.array([0.2, 0.7, 0.9, 0.4, 0.6])
    parts = [ProbabilityAccumulator(pos_label=pos_label, n_bins=3).update(y[s], p[s])
             for s in (slice(0, 2), slice(2, 5))]
    acc = ProbabilityAccumulator.from_bytes(parts[0].merge(parts[1]).to_bytes())
    assert acc.pos_label == pos_label
    for name in ("brier_score_loss", "expected_calibration_error",
                 "maximum_calibration_error"):
        kwargs = {"n_bins": 3} if "calibration" in name else {}
        assert getattr(acc, name)() == pytest.approx(
            getattr(cm, name)(y, p, pos_label=pos_label, **kwargs), rel=1e-12), name
    np.testing.assert_allclose(acc.calibration_curve(),
                               cm.calibration_curve(y, p, pos_label=pos_label, n_bins=3))


def test_pos_label_is_checked_and_merged_alike():
    with pytest.raises(InvalidParameterError, match="pos_label"):
        ProbabilityAccumulator(labels=[0, 1], pos_label=1)
    with pytest.raises(InvalidParameterError, match="pos_label"):
        ProbabilityAccumulator(pos_label=[1])
    with pytest.raises(ValueError, match="different labels or bins"):
        ProbabilityAccumulator(pos_label=0).merge(ProbabilityAccumulator(pos_label=1))
    with pytest.raises(ValueError, match="multiclass"):
        ProbabilityAccumulator(pos_label=0).update([0, 1, 2], [0.1, 0.2, 0.3])
