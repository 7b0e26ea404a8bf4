"""Fixtures and hypothesis profiles of the whole suite.

The helpers behind the fixtures live in support.py (importable as ``import
support``: pyproject.toml sets pytest's ``pythonpath = ["tests"]``).

* ``gen`` -- seeded random-input generators (:class:`support.InputFactory`).
* ``oracle`` -- runs a function from ``sklearn.metrics`` and its twin from
  ``cymetrics`` on the same input and asserts identical outcomes
  (:class:`support.Oracle`).
* ``contract`` -- ``snapshot`` / ``assert_unmodified`` of inputs.
* ``rng`` -- a numpy generator seeded by the test id (streaming, monitoring).

Hypothesis profiles: ``dev`` (default), ``ci`` (default when ``CI`` is set;
derandomized, no example database) and ``thorough`` (many more examples). Pick
one with ``HYPOTHESIS_PROFILE=...``.
"""

from __future__ import annotations

import os
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import support

# --------------------------------------------------------------------------
# Hypothesis profiles
# --------------------------------------------------------------------------
_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("dev", max_examples=25, **_COMMON)
settings.register_profile("ci", max_examples=25, derandomize=True, database=None, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------
@pytest.fixture(scope="session")
def gen():
    return support.InputFactory()


@pytest.fixture(scope="session")
def oracle():
    return support.Oracle()


@pytest.fixture(scope="session")
def contract():
    class _C:
        pass

    c = _C()
    c.snapshot = staticmethod(support.snapshot)
    c.assert_unmodified = staticmethod(support.assert_unmodified)
    return c


@pytest.fixture
def rng(request):
    """A generator seeded by the test id (stable across runs and hash seeds)."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
