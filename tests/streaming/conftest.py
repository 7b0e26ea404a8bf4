"""Fixtures of the streaming tests; helpers live in tests/support.py."""

import zlib

import numpy as np
import pytest


@pytest.fixture
def rng(request):
    """A generator seeded by the test id (stable across runs and hash seeds)."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
