"""Time windows, and what windows and decays gained: persistence, merging,
grouped templates, pruning, and the clear errors of bad timestamps."""

import pickle
import threading

import numpy as np
import pytest

from cymetrics._exceptions import InputTypeError, InvalidParameterError
from cymetrics.streaming import (
    ConfusionAccumulator,
    DecayedAccumulator,
    DistributionAccumulator,
    GroupedAccumulator,
    OvRScoreAccumulator,
    ProbabilityAccumulator,
    ScoreAccumulator,
    SlidingWindow,
    TimeWindow,
)
from support import Outcome, assert_same_outcome

WIDTH, BUCKETS = 60.0, 6  # 10-second buckets


def _events(rng, n=300, span=200.0):
    y = rng.random(n) < 0.4
    s = np.round(rng.normal(size=n) + y, 1)
    t = np.sort(rng.uniform(0, span, n))
    return y, s, rng.random(n), t, rng.choice(["fr", "de", "it"], n)


def _in_window(t, end_time):
    """The samples a window of WIDTH / BUCKETS holds when its newest time is ``end_time``."""
    end = np.floor(end_time / (WIDTH / BUCKETS))
    bucket = np.floor(t / (WIDTH / BUCKETS))
    return (bucket > end - BUCKETS) & (bucket <= end)


def _scores_equal(got, expected):
    for name in ("roc_curve", "roc_auc_score", "average_precision_score"):
        assert_same_outcome(Outcome(getattr(expected, name)), Outcome(getattr(got, name)),
                            exact=False, ctx=name)


@pytest.mark.parametrize("per_sample", [False, True], ids=["batch-time", "sample-times"])
def test_time_window_holds_its_buckets(rng, per_sample):
    y, s, w, t, _ = _events(rng)
    window = TimeWindow(ScoreAccumulator(), WIDTH, buckets=BUCKETS)
    for idx in np.array_split(np.arange(len(y)), 25):
        stamp = t[idx] if per_sample else t[idx][-1]
        window.update(y[idx], s[idx], w[idx], timestamp=stamp)
        seen = np.arange(idx[-1] + 1)
        times = t[seen] if per_sample else np.concatenate(
            [np.full(len(j), t[j][-1]) for j in np.array_split(np.arange(len(y)), 25)
             if j[-1] <= idx[-1]])
        keep = seen[_in_window(times, times.max())]
        if keep.size and len(set(y[keep])) == 2:
            _scores_equal(window.snapshot(), ScoreAccumulator().update(y[keep], s[keep], w[keep]))
    assert len(window.bucket_starts) <= BUCKETS


def test_time_window_merges_by_bucket_and_persists(rng):
    y, s, w, t, groups = _events(rng)
    workers = [TimeWindow(GroupedAccumulator(ScoreAccumulator()), WIDTH, buckets=BUCKETS)
               for _ in range(3)]
    for i, idx in enumerate(np.array_split(rng.permutation(len(y)), 9)):
        workers[i % 3].update(y[idx], s[idx], groups=groups[idx], timestamp=t[idx])
    merged = pickle.loads(pickle.dumps(workers[0])).merge(*workers[1:])
    back = TimeWindow.from_bytes(merged.to_bytes())
    assert back.to_bytes() == merged.to_bytes()
    keep = _in_window(t, t.max())
    one_worker = TimeWindow(GroupedAccumulator(ScoreAccumulator()), WIDTH, buckets=BUCKETS)
    one_worker.update(y, s, groups=groups, timestamp=t)
    for snap in (back.snapshot(), one_worker.snapshot()):
        assert snap.groups == sorted(set(groups[keep]))
        for g in snap.groups:
            mask = keep & (groups == g)
            _scores_equal(snap[g], ScoreAccumulator().update(y[mask], s[mask]))


def test_time_window_drops_late_samples_and_refuses_bad_timestamps():
    window = TimeWindow(ConfusionAccumulator(), WIDTH, buckets=BUCKETS)
    window.update([0, 1], [0, 1], timestamp=1000.0)
    window.update([1], [1], timestamp=955.0)  # late, but its bucket is in the window
    window.update([1, 1], [0, 1], timestamp=[1005.0, 930.0])  # the second is too old
    assert window.dropped_samples == 1
    before = window.to_bytes()
    for bad in (np.nan, np.inf, "noon", [1000.0]):
        with pytest.raises((ValueError, TypeError)):
            window.update([1, 1], [0, 0], timestamp=bad)
    with pytest.raises(TypeError, match="iterator"):
        window.update((v for v in [0, 1]), [0, 1], timestamp=1000.0)
    assert window.to_bytes() == before
    assert window.snapshot().confusion_matrix().tolist() == [[1, 0], [1, 2]]
    assert window.snapshot(at=2000.0).n_samples == 0  # every bucket is older
    with pytest.raises(InvalidParameterError):
        TimeWindow(ConfusionAccumulator(), 0.0)


def test_sliding_window_merges_by_time_and_persists(rng):
    y, s, w, t, _ = _events(rng, n=120)
    a, b = SlidingWindow(ScoreAccumulator(), 50), SlidingWindow(ScoreAccumulator(), 50)
    for i, idx in enumerate(np.array_split(np.arange(len(y)), 12)):
        (a if i % 2 else b).update(y[idx], s[idx], sample_weight=w[idx], timestamp=t[idx][0])
    merged = SlidingWindow.from_bytes(a.to_bytes()).merge(pickle.loads(pickle.dumps(b)))
    assert merged.n_samples == 50
    _scores_equal(merged.snapshot(), ScoreAccumulator().update(y[-50:], s[-50:], w[-50:]))
    with pytest.raises(ValueError, match="precedes"):
        a.update([0], [0.5], timestamp=0.0)
    with pytest.raises(ValueError, match="sizes"):
        a.merge(SlidingWindow(ScoreAccumulator(), 49))
    with pytest.raises(ValueError, match="templates"):
        a.merge(SlidingWindow(ScoreAccumulator(pos_label=True), 50))


def test_sliding_window_keeps_groups_and_label_free_templates():
    grouped = SlidingWindow(GroupedAccumulator(ConfusionAccumulator()), 3)
    grouped.update([0, 1, 0, 1], [0, 1, 1, 1], groups=["a", "a", "b", "b"])
    back = SlidingWindow.from_bytes(grouped.to_bytes())
    assert back.snapshot().groups == ["a", "b"]
    assert back.snapshot()["a"].n_samples == 1
    scores = SlidingWindow(DistributionAccumulator(), 2).update([0.1, 0.2, 0.3], [1, 1, 5])
    values = SlidingWindow.from_bytes(scores.to_bytes()).snapshot().values()
    np.testing.assert_array_equal(values[0], [0.2, 0.3])
    np.testing.assert_array_equal(values[1], [1.0, 5.0])


@pytest.mark.parametrize("unit", ["samples", "seconds"])
def test_decay_persists_and_merges(rng, unit):
    y, s, w, t, groups = _events(rng, n=200, span=50.0)
    half_life = 7.0
    template = GroupedAccumulator(ScoreAccumulator())
    parts = [DecayedAccumulator(template, half_life, unit=unit) for _ in range(2)]
    halves = np.array_split(np.arange(len(y)), 2)
    for part, idx in zip(parts, halves):
        for j in np.array_split(idx, 5):
            stamp = {"timestamp": float(t[j][-1])} if unit == "seconds" else {}
            part.update(y[j], s[j], w[j], groups=groups[j], **stamp)
    merged = pickle.loads(pickle.dumps(parts[0])).merge(DecayedAccumulator.from_bytes(
        parts[1].to_bytes()))
    # The reference weights: seconds share the clock; samples age in their own stream.
    weight = np.empty(len(y))
    for idx in halves:
        if unit == "seconds":
            batch_time = np.concatenate([np.full(len(j), t[j][-1]) for j in np.array_split(idx, 5)])
            weight[idx] = 2.0 ** (-(t.max() - batch_time) / half_life)
        else:
            weight[idx] = 2.0 ** (-np.arange(len(idx))[::-1] / half_life)
    snap = merged.snapshot()
    for g in snap.groups:
        mask = groups == g
        _scores_equal(snap[g], ScoreAccumulator().update(y[mask], s[mask], (w * weight)[mask]))
    with pytest.raises(ValueError, match="configurations"):
        merged.merge(DecayedAccumulator(template, half_life * 2, unit=unit))


def test_decay_forgets_with_a_stated_bound(rng):
    """The bug: after 200 half-lives every distinct score was still held."""
    half_life, n_batches, batch = 2000, 100, 4000
    decayed = DecayedAccumulator(ScoreAccumulator(), half_life, prune_below=1e-6)
    keep = DecayedAccumulator(ScoreAccumulator(), half_life, prune_below=0.0)
    sizes = []
    for _ in range(n_batches):
        y = rng.random(batch) < 0.3
        s = rng.random(batch) + 0.3 * y
        decayed.update(y, s)
        keep.update(y, s)
        sizes.append(decayed.snapshot().n_distinct)
    # log2(1e6) ~ 20 half-lives of distinct scores (plus one pruning period):
    assert max(sizes[-40:]) < 23 * half_life + 2 * batch
    assert keep.snapshot().n_distinct == n_batches * batch  # 0 keeps everything
    pruned, exact = decayed.snapshot(), keep.snapshot()
    r = decayed.pruned_weight
    # Everything predicted positive: the class totals.
    (_, total_neg), (_, total_pos) = exact.confusion_matrix(-np.inf)
    assert 0 < r < 1e-4 * (total_pos + total_neg)
    assert abs(pruned.roc_auc_score() - exact.roc_auc_score()) <= r / total_pos + r / total_neg
    for threshold in (0.2, 0.7, 1.1):
        gap = exact.confusion_matrix(threshold) - pruned.confusion_matrix(threshold)
        assert (gap >= -1e-9).all() and gap.sum() <= r * (1 + 1e-9)


@pytest.mark.parametrize("template", [ProbabilityAccumulator(strategy="quantile"),
                                      DistributionAccumulator(),
                                      OvRScoreAccumulator([0, 1, 2], track_ovo=True)],
                         ids=["proba-quantile", "distribution", "ovr-ovo"])
def test_decayed_state_stays_flat(rng, template):
    decayed = DecayedAccumulator(template, 500, prune_below=1e-3)
    sizes = []
    for _ in range(30):
        n = 1500
        if isinstance(template, OvRScoreAccumulator):
            p = rng.dirichlet(np.ones(3), n)
            decayed.update(rng.integers(0, 3, n), p)
        elif isinstance(template, DistributionAccumulator):
            decayed.update(rng.random(n))
        else:
            decayed.update(rng.integers(0, 2, n), rng.random(n))
        sizes.append(len(decayed.to_bytes()))
    assert max(sizes[-10:]) < 1.5 * min(sizes[-10:])


def test_decay_bug_regressions():
    decayed = DecayedAccumulator(ScoreAccumulator(), half_life=1, unit="seconds")
    decayed.update([0, 1], [0.1, 0.9], timestamp=100.0)
    with pytest.raises(ValueError, match="precedes the newest"):
        decayed.snapshot(at=0.0)  # it returned weights of 1.27e30
    with pytest.raises(TypeError, match="iterator"):
        decayed.update((i % 2 for i in range(4)), [0.1, 0.2, 0.3, 0.4], timestamp=101.0)
    with pytest.raises(InvalidParameterError, match="prune_below"):
        DecayedAccumulator(ScoreAccumulator(), 1.0, prune_below=1.0)
    with pytest.raises(TypeError, match="cannot be decayed|template"):
        DecayedAccumulator(SlidingWindow(ScoreAccumulator(), 3), 1.0)


def test_grouped_keys_are_checked():
    grouped = GroupedAccumulator(ConfusionAccumulator())
    with pytest.raises(InputTypeError, match="None"):  # was: '<' not supported
        grouped.update([0, 1], [0, 1], groups=[None, None])
    with pytest.raises(InputTypeError, match="None"):
        grouped.update([0, 1], [0, 1], groups=[None, "a"])
    with pytest.raises(ValueError, match="NaN"):
        grouped.update([0, 1], [0, 1], groups=[np.nan, 1.0])
    with pytest.raises(InvalidParameterError):
        GroupedAccumulator(GroupedAccumulator(ConfusionAccumulator()))
    assert len(grouped) == 0


def test_threads_updating_windows_and_decay_lose_nothing(rng):
    y, s, w, t, groups = _events(rng, n=4000, span=50.0)
    states = [TimeWindow(GroupedAccumulator(ScoreAccumulator()), WIDTH, buckets=BUCKETS),
              DecayedAccumulator(ProbabilityAccumulator(strategy="quantile"), 20.0,
                                 unit="seconds")]
    batches = np.array_split(np.arange(len(y)), 80)

    def feed(state, part):
        for idx in part:
            if isinstance(state, TimeWindow):
                state.update(y[idx], s[idx], groups=groups[idx], timestamp=t[idx])
            else:
                state.update(y[idx], np.clip(s[idx], 0, 1), timestamp=float(t[idx][0]))

    for state in states:
        alone = pickle.loads(pickle.dumps(state))
        feed(alone, batches)
        threads = [threading.Thread(target=feed, args=(state, batches[i::4])) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        got, expected = state.snapshot(), alone.snapshot()
        if isinstance(state, TimeWindow):
            assert got.groups == expected.groups
            for g in got.groups:
                _scores_equal(got[g], expected[g])
        else:
            assert got.n_samples == expected.n_samples == len(y)
            np.testing.assert_allclose(got.log_loss(), expected.log_loss(), rtol=1e-9)
