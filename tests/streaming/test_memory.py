"""Streaming states free their batches by reference counting: memory stays bounded
between garbage collections (a compacted state that referred to itself kept
every batch's scores alive until a full collection)."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

from cymetrics.streaming import ScoreAccumulator, ScoreSketch


@pytest.mark.filterwarnings("ignore:ScoreAccumulator state reached")
@pytest.mark.parametrize("make", [lambda: ScoreSketch(256),
                                  lambda: ScoreAccumulator(memory_budget=1 << 16,
                                                           max_bins=256)],
                         ids=["sketch", "compacted"])
def test_batches_are_freed_without_the_cyclic_collector(make):
    acc = make()
    rng = np.random.default_rng(0)
    batch = 50_000
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        for _ in range(30):
            acc.update(rng.random(batch) < 0.3, rng.random(batch))
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
    # 30 batches of 50k scores are 12 MB; the state is a few kB.
    assert held < 2_000_000, f"{held} bytes still held after 30 batches"
