"""Many threads updating (and merging into) one accumulator lose nothing."""

import threading

import numpy as np
import pytest

from cymetrics.streaming import (
    ConfusionAccumulator,
    GroupedAccumulator,
    OvRScoreAccumulator,
    ScoreAccumulator,
    ScoreSketch,
)

N_THREADS = 8
N_BATCHES = 40


def _batches(kind, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(N_BATCHES):
        n = int(rng.integers(1, 300))
        y = rng.random(n) < 0.4
        if kind == "confusion":
            out.append((rng.integers(0, 7, n), rng.integers(0, 7, n), rng.integers(0, 3, n)))
        elif kind == "ovr":
            s = rng.random((n, 3))
            out.append((rng.integers(0, 3, n), s / s.sum(axis=1, keepdims=True), None))
        else:
            out.append((y, np.round(rng.normal(size=n), 2), None))
    return out


FACTORIES = {
    "confusion": (ConfusionAccumulator, "confusion"),
    "score": (ScoreAccumulator, "score"),
    "sketch": (lambda: ScoreSketch(32), "score"),
    "ovr": (lambda: OvRScoreAccumulator([0, 1, 2]), "ovr"),
}


def _run_threads(target, args_per_thread):
    errors = []
    barrier = threading.Barrier(len(args_per_thread))

    def run(*args):
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=a) for a in args_per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@pytest.mark.parametrize("floor", [None, 64], ids=["few-compactions", "many-compactions"])
@pytest.mark.parametrize("name", list(FACTORIES))
def test_concurrent_updates_equal_single_thread(name, floor, monkeypatch):
    if floor is not None:  # compactions race with updates and with each other
        from cymetrics.streaming import _runs

        monkeypatch.setattr(_runs, "PENDING_FLOOR", floor)
    factory, kind = FACTORIES[name]
    per_thread = [_batches(kind, seed) for seed in range(N_THREADS)]
    shared = factory()

    def feed(batches):
        for y, other, w in batches:
            shared.update(y, other, w)

    _run_threads(feed, [(b,) for b in per_thread])
    single = factory()
    for batches in per_thread:
        feed_one = [single.update(y, other, w) for y, other, w in batches]
        assert feed_one
    assert shared.to_bytes() == single.to_bytes()


def test_concurrent_updates_merges_and_reads():
    per_thread = [_batches("score", seed) for seed in range(N_THREADS)]
    shared = ScoreAccumulator()
    reads = []

    def work(i, batches):
        for j, (y, s, w) in enumerate(batches):
            if i % 2:
                shared.merge(ScoreAccumulator().update(y, s, w))
            else:
                shared.update(y, s, w)
            if j % 10 == 0:
                reads.append(shared.n_samples)
                shared.roc_auc_score()

    _run_threads(work, list(enumerate(per_thread)))
    single = ScoreAccumulator()
    for batches in per_thread:
        for y, s, w in batches:
            single.update(y, s, w)
    assert shared.to_bytes() == single.to_bytes()
    assert all(0 < r <= single.n_samples for r in reads)


def test_concurrent_grouped_updates():
    rng = np.random.default_rng(3)
    batches = [[(rng.random(100) < 0.5, rng.random(100), rng.choice(["a", "b", "c"], 100))
                for _ in range(10)] for _ in range(N_THREADS)]
    shared = GroupedAccumulator(ScoreAccumulator())

    def feed(items):
        for y, s, g in items:
            shared.update(y, s, groups=g)

    _run_threads(feed, [(b,) for b in batches])
    single = GroupedAccumulator(ScoreAccumulator())
    for items in batches:
        for y, s, g in items:
            single.update(y, s, groups=g)
    assert shared.to_bytes() == single.to_bytes()


def test_failed_updates_in_threads_leave_no_trace():
    shared = ConfusionAccumulator()
    good = _batches("confusion", 0)

    def feed(i):
        for y_true, y_pred, w in good:
            if i % 2:
                with pytest.raises(ValueError):
                    shared.update(y_true, y_pred, np.full(len(y_true), -1))
            else:
                shared.update(y_true, y_pred, w)

    _run_threads(feed, [(i,) for i in range(N_THREADS)])
    single = ConfusionAccumulator()
    for _ in range(N_THREADS // 2):
        for y_true, y_pred, w in good:
            single.update(y_true, y_pred, w)
    assert shared.to_bytes() == single.to_bytes()
