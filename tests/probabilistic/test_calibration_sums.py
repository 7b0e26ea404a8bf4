"""`calibration_sums` adds up over batches to the calibration errors of all the data."""

from __future__ import annotations

import numpy as np
import pytest

import cymetrics
from cymetrics._probabilistic._calibration import calibration_sums, reliability_gaps
from support import stable_seed


@pytest.mark.parametrize("kind", ["binary", "binary-weighted", "multiclass"])
@pytest.mark.parametrize("n_bins", [1, 7, 10])
def test_batches_add_up_to_the_errors(kind, n_bins):
    rng = np.random.default_rng(stable_seed("calibration-sums", kind, n_bins))
    n = 400
    w = rng.choice([0.0, 1.0, 2.5], n) if kind == "binary-weighted" else None
    if kind == "multiclass":
        y = rng.integers(0, 3, n)
        p = rng.dirichlet([1, 1, 1], n)
        labels = [0, 1, 2]
    else:
        y = rng.integers(0, 2, n)
        p = np.round(rng.random(n), 2)  # ties, and edges of the bins
        labels = None
    total = sum(calibration_sums(y[i], p[i], n_bins=n_bins, labels=labels,
                                 sample_weight=None if w is None else w[i])
                for i in np.array_split(np.arange(n), 5))
    gaps, shares = reliability_gaps(total)
    kw = dict(n_bins=n_bins, labels=labels, sample_weight=w)
    np.testing.assert_allclose(gaps @ shares, cymetrics.expected_calibration_error(y, p, **kw),
                               rtol=1e-12)
    np.testing.assert_allclose(gaps.max(), cymetrics.maximum_calibration_error(y, p, **kw),
                               rtol=1e-12)
