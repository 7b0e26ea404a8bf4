"""Special functions of ``cymetrics._shared._special`` (no scipy at run time) against
scipy: the normal CDF and its inverse, the regularized incomplete beta
function and its inverse (the Clopper-Pearson quantiles)."""

import math

import numpy as np
import pytest
from scipy import special, stats

from cymetrics._shared._special import betainc, betaincinv, ndtr, ndtri

# --------------------------------------------------------------------------
# Special functions
# --------------------------------------------------------------------------
PROBABILITIES = np.concatenate([
    np.logspace(-300, -1, 120), np.linspace(0.01, 0.99, 99), 1 - np.logspace(-16, -1, 40),
    [0.5, 0.025, 0.975, 0.425 + 0.5, 0.075],
])


def test_ndtri_matches_scipy():
    got = np.array([ndtri(p) for p in PROBABILITIES])
    expected = special.ndtri(PROBABILITIES)
    np.testing.assert_allclose(got, expected, rtol=2e-15, atol=0)
    assert ndtri(0.0) == -math.inf and ndtri(1.0) == math.inf and math.isnan(ndtri(1.5))


def test_ndtr_matches_scipy():
    x = np.linspace(-8, 8, 500)
    np.testing.assert_allclose([ndtr(v) for v in x], special.ndtr(x), rtol=5e-14, atol=0)
    # Far tail: the rounding of x / sqrt(2) is amplified by x^2.
    x = np.linspace(-37, -8, 100)
    np.testing.assert_allclose([ndtr(v) for v in x], special.ndtr(x), rtol=1e-12, atol=0)


def beta_parameters(rng, low, high, size):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


@pytest.mark.parametrize("scale, rtol", [((0.05, 30), 1e-13), ((30, 1e4), 1e-12),
                                         ((1e4, 1e7), 1e-10)], ids=["small", "medium", "large"])
def test_betainc_matches_scipy(scale, rtol):
    rng = np.random.default_rng(int(scale[1]))
    a = beta_parameters(rng, *scale, 300)
    b = beta_parameters(rng, *scale, 300)
    x = stats.beta.ppf(rng.uniform(1e-6, 1 - 1e-6, 300), a, b)
    np.testing.assert_allclose(betainc(a, b, x), special.betainc(a, b, x), rtol=rtol, atol=1e-300)


def test_betainc_mixed_scales_and_edges():
    a = np.array([1.0, 2.0, 0.5, 3e5, 1.0, 7.0])
    b = np.array([1e6, 5e5, 2e4, 2.0, 1.0, 7.0])
    for q in (1e-9, 0.025, 0.5, 0.975, 1 - 1e-9):
        x = stats.beta.ppf(q, a, b)
        np.testing.assert_allclose(betainc(a, b, x), special.betainc(a, b, x), rtol=1e-9)
    np.testing.assert_array_equal(betainc([2.0, 2.0], [3.0, 3.0], [0.0, 1.0]), [0.0, 1.0])


@pytest.mark.parametrize("q", [1e-12, 0.005, 0.025, 0.5, 0.975, 0.995, 1 - 1e-12])
@pytest.mark.parametrize("scale, rtol", [((0.05, 30), 1e-12), ((30, 1e4), 1e-12),
                                         ((1e4, 1e7), 1e-9)], ids=["small", "medium", "large"])
def test_betaincinv_matches_scipy(scale, rtol, q):
    rng = np.random.default_rng(int(scale[1] * 1000 + q * 1e6))
    a = beta_parameters(rng, *scale, 60)
    b = beta_parameters(rng, *scale, 60)
    np.testing.assert_allclose(betaincinv(a, b, q), stats.beta.ppf(q, a, b), rtol=rtol, atol=0)


def test_betaincinv_clopper_pearson_parameters():
    """Integer parameters around extreme proportions, as Clopper-Pearson uses."""
    n = np.array([1, 2, 10, 100, 1000, 10**5, 10**6, 10**6, 10**7])
    x = np.array([1, 1, 9, 1, 999, 10**5 - 1, 1, 10**6 - 3, 5 * 10**6])
    for q, aa, bb in ((0.025, x, n - x + 1), (0.975, x + 1, n - x)):
        keep = bb > 0
        np.testing.assert_allclose(betaincinv(aa[keep], bb[keep], q),
                                   stats.beta.ppf(q, aa[keep], bb[keep]), rtol=1e-9)
