"""Stress: 8 threads hammer shared accumulators for a while, every operation mixed.

Each thread, for ``CYMETRICS_STRESS_SECONDS`` (default 2; the issue's run
is 10), picks at random: update a shared accumulator with a batch, merge a
private accumulator holding a batch into it, merge the shared one into a
private one (a read under writes), compute a result, serialize it and load
the bytes back, or copy it. Then:

* no exception escaped and no thread is stuck (joined with a timeout);
* nothing was lost: each shared accumulator has the state of one
  accumulator fed every logged batch in one thread (byte for byte: the
  states do not depend on the order of updates and merges);
* every snapshot a thread took is a consistent state (it loads back) whose
  sample count never goes down between two reads of that thread.

``SUBJECTS`` holds one row per accumulator: the five accumulators, and
(phase 2) the windows, the decay, the probability and distribution
accumulators. The windows are wide enough and the half-life long enough to
keep every sample at weight 1, so that their snapshot is order-independent
too; the probability accumulator's float sums are compared to 1e-9 (their
rounding depends on the order). `Monitor` is not a row: nothing promises it
is thread-safe (each of its parts is; a record_* call updates them one after
the other).
"""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from cymetrics.streaming import (
    ConfusionAccumulator,
    DecayedAccumulator,
    DistributionAccumulator,
    GroupedAccumulator,
    OvRScoreAccumulator,
    ProbabilityAccumulator,
    ScoreAccumulator,
    ScoreSketch,
    SlidingWindow,
    TimeWindow,
)

N_THREADS = 8
SECONDS = float(os.environ.get("CYMETRICS_STRESS_SECONDS", "2"))


def _labels(rng, n):
    return rng.integers(0, 4, n), rng.integers(0, 4, n)


def _scores(rng, n):
    return rng.random(n) < 0.4, np.round(rng.normal(size=n), 2)


def _values(rng, n):
    return (np.round(rng.normal(size=n), 2),)


def _probabilities(rng, n):
    return rng.integers(0, 2, n), np.round(rng.random(n), 2)


def _proba(rng, n):
    s = rng.random((n, 3))
    return rng.integers(0, 3, n), s / s.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Subject:
    """An accumulator under stress: how to make one, a batch, and a read."""

    make: Callable
    batch: Callable  # rng, n -> (positional arrays, keyword arrays)
    read: Callable  # accumulator -> a result (must not raise once fed)
    count: Callable  # accumulator -> its sample count (or total weight)
    # accumulator -> what must equal (byte for byte, or to 1e-9 if a float
    # array) between the shared accumulator and one fed every batch
    state: Callable = lambda a: a.to_bytes()  # noqa: E731


def _weighted(arrays):
    def batch(rng, n):
        args = arrays(rng, n)
        return (*args, rng.integers(0, 3, n) if rng.random() < 0.5 else None), {}
    return batch


def _grouped(rng, n):
    y_true, y_pred = _labels(rng, n)
    return (y_true, y_pred), {"groups": rng.choice(["a", "b", "c"], n)}


SUBJECTS = {
    "ConfusionAccumulator": Subject(
        ConfusionAccumulator, _weighted(_labels),
        lambda a: a.compute("f1_score", average="macro"), lambda a: a.n_samples),
    "ScoreAccumulator": Subject(
        ScoreAccumulator, _weighted(_scores), lambda a: a.roc_auc_score(),
        lambda a: a.n_samples),
    "ScoreSketch": Subject(
        lambda: ScoreSketch(64), _weighted(_scores), lambda a: a.roc_auc_interval(),
        lambda a: a.n_samples),
    "OvRScoreAccumulator": Subject(
        lambda: OvRScoreAccumulator([0, 1, 2]), _weighted(_proba),
        lambda a: a.roc_auc_score(), lambda a: a.for_class(0).n_samples),
    "GroupedAccumulator": Subject(
        lambda: GroupedAccumulator(ConfusionAccumulator()), _grouped,
        lambda a: a.compute("compute", "accuracy_score"),
        lambda a: sum(a[g].n_samples for g in a.groups)),
    "SlidingWindow": Subject(
        lambda: SlidingWindow(ScoreAccumulator(), 10**12), _weighted(_scores),
        lambda a: a.snapshot().roc_auc_score(), lambda a: a.n_samples,
        lambda a: a.snapshot().to_bytes()),
    "TimeWindow": Subject(
        lambda: TimeWindow(ConfusionAccumulator(), 1e12, buckets=4), _weighted(_labels),
        lambda a: a.snapshot().compute("f1_score", average="macro"),
        lambda a: a.snapshot().n_samples, lambda a: a.snapshot().to_bytes()),
    "DecayedAccumulator": Subject(
        lambda: DecayedAccumulator(ScoreAccumulator(), 1e300, unit="seconds"),
        _weighted(_scores), lambda a: a.snapshot().roc_auc_score(),
        lambda a: a.snapshot().n_samples, lambda a: a.snapshot().to_bytes()),
    "ProbabilityAccumulator": Subject(
        lambda: ProbabilityAccumulator(n_bins=5), _weighted(_probabilities),
        lambda a: a.expected_calibration_error(), lambda a: a.n_samples,
        lambda a: np.array([a.n_samples, a.log_loss(), a.brier_score_loss(),
                            a.expected_calibration_error(), *a.calibration_curve()[0]])),
    "DistributionAccumulator": Subject(
        DistributionAccumulator, _weighted(_values), lambda a: a.values(),
        lambda a: a.n_samples),
}
OPERATIONS = ["update", "update", "merge_in", "merge_out", "read", "bytes", "copy"]


class Worker:
    """One thread's operations on the shared accumulators, and its log."""

    def __init__(self, seed, shared, deadline):
        self.rng = np.random.default_rng(seed)
        self.shared, self.deadline = shared, deadline
        self.fed = {name: [] for name in shared}  # every batch this thread added
        self.counts = {name: [] for name in shared}  # sample counts it read, in order
        self.operations = 0

    def run(self):
        while time.monotonic() < self.deadline:
            name = list(self.shared)[int(self.rng.integers(len(self.shared)))]
            self.step(name, SUBJECTS[name], self.shared[name],
                      OPERATIONS[int(self.rng.integers(len(OPERATIONS)))])
            self.operations += 1

    def step(self, name, subject, acc, op):
        if op in ("update", "merge_in"):
            args, kwargs = subject.batch(self.rng, int(self.rng.integers(1, 200)))
            if op == "update":
                acc.update(*args, **kwargs)
            else:
                acc.merge(subject.make().update(*args, **kwargs))
            self.fed[name].append((args, kwargs))
        elif op == "merge_out":
            self.counts[name].append(subject.count(subject.make().merge(acc)))
        elif op == "read":
            subject.read(acc)
            self.counts[name].append(subject.count(acc))
        elif op == "bytes":
            loaded = type(acc).from_bytes(acc.to_bytes())
            self.counts[name].append(subject.count(loaded))
        else:  # copy.copy: GroupedAccumulator has no .copy() (pickling protocol)
            self.counts[name].append(subject.count(copy.copy(acc)))


def _stress(seconds):
    shared = {}
    for name, subject in SUBJECTS.items():
        acc = subject.make()
        args, kwargs = subject.batch(np.random.default_rng(0), 50)
        acc.update(*args, **kwargs)  # every read is defined from the start
        shared[name] = acc
    seed_batches = {name: [subject.batch(np.random.default_rng(0), 50)]
                    for name, subject in SUBJECTS.items()}
    deadline = time.monotonic() + seconds
    workers = [Worker(seed, shared, deadline) for seed in range(N_THREADS)]
    errors = []

    def run(worker):
        try:
            worker.run()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    assert not [t for t in threads if t.is_alive()], "a thread is stuck (deadlock?)"
    assert not errors, errors
    return shared, seed_batches, workers


def test_threads_hammering_shared_accumulators_lose_nothing():
    shared, seed_batches, workers = _stress(SECONDS)
    assert sum(w.operations for w in workers) > N_THREADS  # the threads did run
    for name, subject in SUBJECTS.items():
        single = subject.make()
        for args, kwargs in seed_batches[name] + [b for w in workers for b in w.fed[name]]:
            single.update(*args, **kwargs)
        got, expected = subject.state(shared[name]), subject.state(single)
        if isinstance(expected, np.ndarray):
            np.testing.assert_allclose(got, expected, rtol=1e-9, err_msg=name)
        else:
            assert got == expected, f"{name}: an update was lost"
        final = subject.count(single)
        for w in workers:
            counts = w.counts[name]
            assert all(a <= b for a, b in zip(counts, counts[1:])), f"{name}: went back"
            assert all(0 < c <= final for c in counts), name


@pytest.mark.parametrize("name", list(SUBJECTS))
def test_subject_reads_are_defined(name):
    """The stress test's reads and counts work on a fed accumulator (so an
    exception in the stress run is a race, not a bad read)."""
    subject = SUBJECTS[name]
    acc = subject.make()
    args, kwargs = subject.batch(np.random.default_rng(1), 50)
    acc.update(*args, **kwargs)
    subject.read(acc)
    assert subject.count(acc) > 0
