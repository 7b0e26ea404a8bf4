"""Fixtures of the streaming tests; helpers live in streaming_helpers.py."""

import os
import sys
import zlib

import numpy as np
import pytest

# Appended, not prepended: ``import conftest`` elsewhere must keep finding
# tests/conftest.py; only ``streaming_helpers`` is looked up here.
sys.path.append(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def rng(request):
    """A generator seeded by the test id (stable across runs and hash seeds)."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
