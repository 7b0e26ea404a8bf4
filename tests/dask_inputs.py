"""Seeded random dask layouts of numpy test data, and the comparison of a dask
function's outcome with its one-shot twin's, for the tests of cymetrics.dask.

Imported only by tests that skip without dask (``tests/dask/``).
"""

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd

from support import assert_same_outcome


def chunks(rng, n):
    """Uneven row chunks summing to ``n``, some of them empty."""
    cuts = np.sort(rng.integers(0, n + 1, int(rng.integers(1, 7))))
    return tuple(int(c) for c in np.diff(np.concatenate([[0], cuts, [n]])))


def to_dask(rng, columns):
    """The columns (name -> numpy, None kept) as dask arrays in uneven chunks or,
    when all are 1-D, sometimes as columns of one dask dataframe."""
    n = len(next(v for v in columns.values() if v is not None))
    given = {name: np.asarray(v) for name, v in columns.items() if v is not None}
    one_dim = all(v.ndim == 1 for v in given.values())
    if one_dim and rng.random() < 0.4:
        ddf = dd.from_pandas(pd.DataFrame(given), npartitions=int(rng.integers(1, 6)))
        return {name: None if v is None else ddf[name] for name, v in columns.items()}
    rows = chunks(rng, n)
    return {name: None if v is None else da.from_array(np.asarray(v),
                                                       chunks=(rows,) + np.shape(v)[1:])
            for name, v in columns.items()}


def assert_like_one_shot(expected, got, ctx):
    """The same value (floats to 1e-12), warnings and error; an error raised on a
    worker has the one-shot message, then the partition."""
    if expected.raised and got.raised and str(got.exc) != str(expected.exc):
        assert type(got.exc) is type(expected.exc), f"{ctx}: {got!r} != {expected!r}"
        assert str(got.exc).startswith(str(expected.exc)), f"{ctx}: {got!r} != {expected!r}"
        return
    assert_same_outcome(expected, got, exact=False, ctx=ctx, same_message=True)
