"""Sliding windows and exponential decay against brute-force recomputation."""

import numpy as np
import pytest

from cymetrics._exceptions import InvalidParameterError
from cymetrics.streaming import (
    ConfusionAccumulator,
    DecayedAccumulator,
    OvRScoreAccumulator,
    ScoreAccumulator,
    SlidingWindow,
)
from support import Outcome, assert_same_outcome


def _stream(rng, kind, n_batches=25):
    for _ in range(n_batches):
        n = int(rng.integers(0, 40))
        if kind == "confusion":
            yield rng.integers(0, 4, n), rng.integers(0, 4, n), None
        else:
            yield rng.random(n) < 0.4, np.round(rng.normal(size=n), 1), rng.random(n)


@pytest.mark.parametrize("size", [1, 7, 50, 10_000])
@pytest.mark.parametrize("kind", ["confusion", "score"])
def test_sliding_window_equals_the_last_samples(rng, size, kind):
    template = ConfusionAccumulator() if kind == "confusion" else ScoreAccumulator()
    window = SlidingWindow(template, size)
    seen = [[], [], []]
    for y, other, w in _stream(rng, kind):
        window.update(y, other, w)
        for store, a in zip(seen, (y, other, w)):
            if a is not None:
                store.append(a)
        tail = [np.concatenate(s)[-size:] if s else None for s in seen]
        if len(tail[0]) == 0:
            continue
        brute = template.copy().update(*tail)
        assert window.n_samples == len(tail[0])
        snap = window.snapshot()
        if kind == "confusion":
            assert snap.to_bytes() == brute.to_bytes()
        else:
            for name in ("roc_curve", "average_precision_score", "roc_auc_score"):
                assert_same_outcome(Outcome(getattr(brute, name)), Outcome(getattr(snap, name)),
                                    exact=False, ctx=name)


def test_sliding_window_copies_its_input():
    window = SlidingWindow(ConfusionAccumulator(), 3)
    y = np.array([0, 1, 1])
    window.update(y, y)
    y[:] = 5  # the caller reuses its buffer
    window.update([0], [0])
    assert window.snapshot().confusion_matrix().tolist() == [[1, 0], [0, 2]]


def test_sliding_window_of_ovr(rng):
    window = SlidingWindow(OvRScoreAccumulator([0, 1, 2]), 30)
    scores = rng.random((100, 3))
    scores /= scores.sum(axis=1, keepdims=True)
    y = rng.integers(0, 3, 100)
    for idx in np.array_split(np.arange(100), 7):
        window.update(y[idx], scores[idx])
    brute = OvRScoreAccumulator([0, 1, 2]).update(y[-30:], scores[-30:])
    np.testing.assert_array_equal(window.snapshot().roc_auc_score(average=None),
                                  brute.roc_auc_score(average=None))


def test_bad_window_input_is_atomic():
    window = SlidingWindow(ScoreAccumulator(), 5)
    window.update([0, 1], [0.1, 0.9])
    with pytest.raises(ValueError):
        window.update([0, 1], [0.1, np.nan])
    assert window.n_samples == 2
    with pytest.raises(InvalidParameterError):
        SlidingWindow(ScoreAccumulator(), 0)
    with pytest.raises(InvalidParameterError):
        SlidingWindow(object(), 3)


@pytest.mark.parametrize("half_life", [0.5, 3.0, 40.0])
@pytest.mark.parametrize("kind", ["confusion", "score"])
def test_decay_in_samples_equals_reweighted_one_shot(rng, half_life, kind):
    template = ConfusionAccumulator() if kind == "confusion" else ScoreAccumulator()
    decayed = DecayedAccumulator(template, half_life)
    ys, others, ws = [], [], []
    for y, other, w in _stream(rng, kind):
        decayed.update(y, other, w)
        ys.append(y)
        others.append(other)
        ws.append(np.ones(len(y)) if w is None else w)
    y, other, w = map(np.concatenate, (ys, others, ws))
    age = np.arange(len(y))[::-1]
    brute = template.copy().update(y, other, w * 2.0 ** (-age / half_life))
    _assert_decayed_equal(decayed.snapshot(), brute, kind)


def _assert_decayed_equal(snap, brute, kind):
    if kind == "confusion":
        got, expected = snap.confusion(), brute.confusion()
        np.testing.assert_array_equal(got.classes, expected.classes)
        np.testing.assert_allclose(got.matrix, expected.matrix, rtol=1e-12, atol=1e-300)
        assert_same_outcome(Outcome(brute.compute, "confusion_matrix", normalize="true"),
                            Outcome(snap.compute, "confusion_matrix", normalize="true"),
                            exact=False)
    else:
        for name in ("roc_curve", "precision_recall_curve", "roc_auc_score",
                     "average_precision_score"):
            assert_same_outcome(Outcome(getattr(brute, name)), Outcome(getattr(snap, name)),
                                exact=False, ctx=name)


@pytest.mark.parametrize("kind", ["confusion", "score"])
def test_decay_in_seconds_with_rebasing(rng, kind):
    half_life = 10.0
    template = ConfusionAccumulator() if kind == "confusion" else ScoreAccumulator()
    decayed = DecayedAccumulator(template, half_life, unit="seconds")
    batches = []
    t = 0.0
    for i, (y, other, w) in enumerate(_stream(rng, kind, n_batches=40)):
        # Mostly forward, sometimes late; jumps far beyond the rebasing horizon.
        t += float(rng.choice([1.0, 5.0, 800.0 if i == 20 else 2.0]))
        stamp = t - 3.0 if rng.random() < 0.2 else t
        decayed.update(y, other, w, timestamp=stamp)
        batches.append((y, other, np.ones(len(y)) if w is None else w, np.full(len(y), stamp)))
    y, other, w, stamps = map(np.concatenate, zip(*batches))
    for at in (None, t + 7.5):
        now = stamps.max() if at is None else at
        weights = w * 2.0 ** (-(now - stamps) / half_life)
        brute = template.copy().update(y, other, weights)
        _assert_decayed_equal(decayed.snapshot(at=at), brute, kind)


def test_decay_configuration():
    with pytest.raises(InvalidParameterError):
        DecayedAccumulator(ScoreAccumulator(), 0)
    with pytest.raises(InvalidParameterError):
        DecayedAccumulator(ScoreAccumulator(), 1.0, unit="hours")
    decayed = DecayedAccumulator(ScoreAccumulator(), 1.0)
    with pytest.raises(InvalidParameterError, match="timestamp"):
        decayed.update([0, 1], [0.1, 0.2], timestamp=3.0)
    seconds = DecayedAccumulator(ScoreAccumulator(), 1.0, unit="seconds")
    with pytest.raises(InvalidParameterError, match="timestamp"):
        seconds.update([0, 1], [0.1, 0.2], timestamp=np.nan)
    assert seconds.snapshot().n_samples == 0


def test_decay_without_timestamp_uses_the_clock():
    decayed = DecayedAccumulator(ConfusionAccumulator(), 3600.0, unit="seconds")
    decayed.update([0, 1], [0, 1])
    decayed.update([1], [0])
    matrix = decayed.snapshot().confusion_matrix()
    np.testing.assert_allclose(matrix, [[1, 0], [1, 1]], rtol=1e-3)


@pytest.mark.parametrize("unit", ["samples", "seconds"])
def test_decayed_bad_batch_is_atomic(unit):
    stamp = {"timestamp": 5.0} if unit == "seconds" else {}
    decayed = DecayedAccumulator(ScoreAccumulator(), 2.0, unit=unit)
    decayed.update([0, 1], [0.1, 0.9], **stamp)
    before = decayed.snapshot().to_bytes()
    with pytest.raises(ValueError):
        decayed.update([0, 1], [0.1, np.inf], **stamp)
    assert decayed.snapshot().to_bytes() == before
    # The failed batch took no place in the stream either.
    decayed.update([1, 0], [0.3, 0.2], **stamp)
    reference = DecayedAccumulator(ScoreAccumulator(), 2.0, unit=unit)
    reference.update([0, 1], [0.1, 0.9], **stamp)
    reference.update([1, 0], [0.3, 0.2], **stamp)
    assert decayed.snapshot().to_bytes() == reference.snapshot().to_bytes()
