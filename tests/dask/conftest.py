"""Fixtures of the cymetrics.dask tests.

``client``: one real ``distributed.LocalCluster`` of two worker processes
(one thread each) per test module, so states cross process boundaries as
bytes; it is the default scheduler while it runs, and closed after the
module's last test. (A session-wide cluster stayed the default scheduler for
the rest of the run: once, under heavy load, it lost its event loop after
the dask tests and every later dask call, the doctests', failed.) Tests
that sweep many random inputs use ``sync`` (dask's in-process scheduler:
the same tasks, bytes and merge tree, without the cluster's per-task cost).
"""

import zlib

import numpy as np
import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture
def sync():
    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture
def rng(request):
    """A generator seeded by the test id (stable across runs and hash seeds)."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
