"""The sketch's coarsening picks the finest shift at which the buckets fit.

`_fit` bisects over the extra shift; a linear scan (the definition) must
agree on every input: continuous, tied, constant, huge and tiny scores.
"""

import numpy as np
import pytest

from cymetrics._kernels import _streaming
from cymetrics.streaming._runs import Run
from cymetrics.streaming._sketch import SketchState, order_keys


def _finest_fitting_shift(scores, max_bins):
    keys = order_keys(np.unique(scores))
    extra = 0
    while _streaming.count_distinct_buckets(keys, extra) > max_bins:
        extra += 1
    return extra


@pytest.mark.parametrize("kind", ["normal", "uniform", "ties", "constant", "wide", "tiny"])
@pytest.mark.parametrize("max_bins", [2, 3, 64, 4096])
def test_sketch_shift_is_the_finest_that_fits(rng, kind, max_bins):
    n = 5000
    scores = {"normal": rng.normal(size=n), "uniform": rng.random(n),
              "ties": np.round(rng.random(n), 2), "constant": np.full(n, 0.25),
              "wide": rng.normal(size=n) * 10.0 ** rng.integers(-300, 300, n),
              "tiny": rng.random(n) * 1e-310}[kind]
    key = np.unique(scores)
    counts = np.ones(key.shape[0], dtype=np.int64)
    sketch = SketchState.from_run(Run(key, counts, counts), max_bins)
    assert sketch.n_bins <= max_bins
    assert sketch.shift == _finest_fitting_shift(scores, max_bins)
