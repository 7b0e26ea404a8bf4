"""Persistence of the new states: windows, decays, probability, distribution,
one-vs-one, label-free estimates, group evaluations and the monitor.

Round trips are exact (the bytes of a restored state are the original
bytes), pickling goes through the bytes, and broken input (truncated,
flipped, edited with a valid checksum, another configuration) raises
ValueError.
"""

import copy
import pickle
import warnings

import numpy as np
import pytest

from cymetrics.monitoring import ExpectedPerformance, GroupEvaluation, Monitor
from cymetrics.streaming import (
    CompactionWarning,
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
from cymetrics.streaming import _serialization as ser
from support import assert_damage_refused, edited_state


def _examples():
    rng = np.random.default_rng(3)
    n = 120
    y = rng.random(n) < 0.4
    s = np.round(rng.random(n), 2)
    w = rng.random(n)
    groups = rng.choice(["fr", "de"], n)
    t = np.sort(rng.uniform(0, 100, n))
    p3 = rng.dirichlet(np.ones(3), n)
    c3 = rng.integers(0, 3, n)
    yield "time-window", TimeWindow(ScoreAccumulator(), 60, buckets=4).update(
        y, s, w, timestamp=t)
    yield "time-window-grouped", TimeWindow(GroupedAccumulator(ConfusionAccumulator()), 30,
                                            buckets=3).update(y, s > 0.5, groups=groups,
                                                              timestamp=t)
    yield "sliding-grouped", SlidingWindow(GroupedAccumulator(ScoreAccumulator()), 50).update(
        y, s, w, groups=groups, timestamp=5.0)
    yield "sliding-distribution", SlidingWindow(DistributionAccumulator(), 30).update(s)
    decayed = DecayedAccumulator(ScoreAccumulator(), 20.0, unit="seconds")
    for idx in np.array_split(np.arange(n), 4):
        decayed.update(y[idx], s[idx], timestamp=float(t[idx][-1]))
    yield "decayed-seconds", decayed
    yield "decayed-grouped", DecayedAccumulator(GroupedAccumulator(ConfusionAccumulator()),
                                                7).update(y, s > 0.5, groups=groups)
    yield "distribution", DistributionAccumulator(n_columns=3).update(p3, w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CompactionWarning)
        yield "distribution-sketch", DistributionAccumulator(memory_budget=200,
                                                             max_bins=8).update(s)
    yield "proba-uniform", ProbabilityAccumulator(n_bins=5).update(y, s, w)
    yield "proba-quantile-3", ProbabilityAccumulator([0, 1, 2], strategy="quantile").update(
        c3, p3)
    yield "ovr-ovo", OvRScoreAccumulator([0, 1, 2], track_ovo=True).update(c3, p3, w)
    yield "expected", ExpectedPerformance().update(s, w)
    yield "groups", GroupEvaluation(["fr", "de", "it"], threshold=0.5).update(
        y, s, groups=groups)
    for template in (ProbabilityAccumulator(strategy="quantile"), DistributionAccumulator(),
                     ExpectedPerformance(), GroupEvaluation(["x"]),
                     OvRScoreAccumulator([0, 1], track_ovo=True)):
        yield f"empty-{template._KIND}", template.copy()
        yield f"empty-window-{template._KIND}", TimeWindow(template, 10)
        yield f"empty-decayed-{template._KIND}", DecayedAccumulator(template, 10)
        yield f"empty-sliding-{template._KIND}", SlidingWindow(template, 10)
    yield "empty-monitor", Monitor(windows={"all": None, "1m": 60})
    monitor = Monitor(windows={"all": None, "1m": 60}, buckets=3, groups=["fr", "de"],
                      rules=[("roc_auc", "<", 0.9)])
    monitor.set_reference(s[:40], y_true=y[:40].astype(int))
    monitor.record_predictions(s, timestamp=t)
    monitor.record_outcomes(y.astype(int), s, groups=groups, timestamp=t)
    yield "monitor", monitor


EXAMPLES = dict(_examples())


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_round_trip_is_exact(name):
    state = EXAMPLES[name]
    data = state.to_bytes()
    back = type(state).from_bytes(data)
    assert back.to_bytes() == data
    for other in (pickle.loads(pickle.dumps(state)), copy.deepcopy(state), copy.copy(state)):
        assert other.to_bytes() == data
    assert b"numpy" not in pickle.dumps(state, protocol=5)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_truncation_and_byte_flip_is_refused(name):
    state = EXAMPLES[name]
    assert_damage_refused(type(state), state.to_bytes(), 60)


def _edit(name, **changes):
    """The example's bytes with fields replaced (``...`` deletes), checksum valid."""
    state = EXAMPLES[name]
    return edited_state(state._KIND, ser.load(state.to_bytes(), state._KIND), **changes)


def _field(name, key):
    state = EXAMPLES[name]
    return ser.load(state.to_bytes(), state._KIND)[key]


def _hostile():
    other = EXAMPLES["proba-uniform"].to_bytes()
    yield "time-window", _edit("time-window", indexes=_field("time-window", "indexes")[::-1])
    yield "time-window", _edit("time-window", bucket_0=other)
    yield "time-window", _edit("time-window", newest=None)
    yield "time-window", _edit("time-window", buckets=0)
    yield "sliding-grouped", _edit("sliding-grouped", size=0)
    yield "sliding-grouped", _edit("sliding-grouped", keywords="groups,y_true")
    yield "sliding-grouped", _edit("sliding-grouped", groups_0=np.array([np.nan]))
    yield "sliding-grouped", _edit("sliding-grouped", n_batches=5)
    yield "decayed-seconds", _edit("decayed-seconds", latest=-1e9)
    yield "decayed-seconds", _edit("decayed-seconds", pruned=-1.0)
    yield "decayed-seconds", _edit("decayed-seconds", inner=other)
    yield "decayed-seconds", _edit("decayed-seconds", unit="hours")
    yield "distribution", _edit("distribution", column_1=other)
    yield "distribution", _edit("distribution", n_samples=7)
    yield "proba-uniform", _edit("proba-uniform", bins=-_field("proba-uniform", "bins"))
    yield "proba-uniform", _edit("proba-uniform", sums=np.full((3, 2), np.nan))
    yield "proba-uniform", _edit("proba-uniform", ndim=0)
    hit = _field("proba-quantile-3", "hit")
    yield "proba-quantile-3", _edit("proba-quantile-3", hit=hit + 5.0)
    yield "proba-quantile-3", _edit("proba-quantile-3", key=_field("proba-quantile-3",
                                                                    "key")[::-1])
    yield "ovr-ovo", _edit("ovr-ovo", pair_0=_field("ovr-ovo", "pair_1"))
    yield "ovr-ovo", _edit("ovr-ovo", pair_5=...)
    yield "expected", _edit("expected", soft=None)
    yield "expected", _edit("expected", matrix=-np.ones((2, 2)))
    yield "expected", _edit("expected", matrix=np.ones((3, 3)))
    yield "groups", _edit("groups", grouped=GroupedAccumulator(
        ConfusionAccumulator()).to_bytes())
    yield "monitor", _edit("monitor", config="{not json")
    yield "monitor", _edit("monitor", config='{"windows": {"all": -1}}')
    yield "monitor", _edit("monitor", **{"1m/outcomes": other})
    yield "monitor", _edit("monitor", reference=other)
    yield "monitor", _edit("monitor", reference_labels="[[1, 2, 3]]")


HOSTILE = list(_hostile())


@pytest.mark.parametrize("name, data", HOSTILE, ids=[f"{n}-{i}" for i, (n, _) in
                                                      enumerate(HOSTILE)])
def test_edited_states_are_refused(name, data):
    with pytest.raises(ValueError):
        type(EXAMPLES[name]).from_bytes(data)


@pytest.mark.parametrize("a, b", [
    (TimeWindow(ScoreAccumulator(), 60), TimeWindow(ScoreAccumulator(), 60, buckets=5)),
    (TimeWindow(ScoreAccumulator(), 60), TimeWindow(ConfusionAccumulator(), 60)),
    (DistributionAccumulator(), DistributionAccumulator(n_columns=2)),
    (ProbabilityAccumulator(), ProbabilityAccumulator(strategy="quantile")),
    (ExpectedPerformance(), ExpectedPerformance(threshold=0.3)),
    (GroupEvaluation(), GroupEvaluation(threshold=0.5)),
    (GroupedAccumulator(ScoreAccumulator()), GroupedAccumulator(ScoreAccumulator(max_bins=9))),
    (Monitor(), Monitor(threshold=0.3)),
], ids=["buckets", "template", "columns", "strategy", "threshold", "mode", "grouped",
        "monitor"])
def test_merging_other_configurations_is_refused(a, b):
    with pytest.raises(ValueError, match="different|configuration|template"):
        a.merge(b)
    with pytest.raises(TypeError):
        DistributionAccumulator().merge(a if not isinstance(a, DistributionAccumulator)
                                        else ScoreAccumulator())
