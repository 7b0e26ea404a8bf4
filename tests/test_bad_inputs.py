"""Run the bad-input matrix (tests/bad_inputs.py): one test per row.

Each row's call raises the row's exception type with a message matching its
fragment (or succeeds, for ``error=None``), warns at most with cymetrics' or
scikit-learn's own warning classes, and leaves every input as it was.
"""

import re
from pathlib import Path

import bad_inputs as bi
import numpy as np
import pytest
import scipy.sparse

from support import Outcome, assert_unmodified, snapshot


def test_the_table_is_well_formed():
    assert bi.check_table() == []
    assert len(bi.ROWS) >= 120


@pytest.mark.parametrize("promise", list(bi.PROMISES))
def test_every_readme_promise_is_backed_by_rows(promise):
    assert sum(row.promise == promise for row in bi.ROWS) >= 3, bi.PROMISES[promise]


README = Path(__file__).resolve().parent.parent / "README.md"


def _plain(text):
    return " ".join(text.replace("**", "").split())


@pytest.mark.skipif(not README.is_file(), reason="the README is not beside the tests "
                    "(a wheel's test run copies tests/ only)")
@pytest.mark.parametrize("promise", list(bi.PROMISES))
def test_every_promise_quotes_the_readme(promise):
    quote = re.search(r'"(.*)"', bi.PROMISES[promise]).group(1)
    assert _plain(quote) in _plain(README.read_text(encoding="utf-8")), promise


def _param(row):
    marks = pytest.mark.xfail(strict=True, reason=row.known) if row.known else ()
    return pytest.param(row, id=row.id, marks=marks)


@pytest.mark.parametrize("row", [_param(row) for row in bi.ROWS])
def test_bad_input(row):
    inputs = list(row.args) + list(row.kwargs.values())
    before = [_fingerprint(a) for a in inputs]
    outcome = Outcome(bi.resolve(row.target), *row.args, **row.kwargs)
    if row.error is None:
        assert not outcome.raised, f"{row.id}: {outcome!r}"
    else:
        assert isinstance(outcome.exc, row.error), f"{row.id}: {outcome!r}"
        assert re.search(row.match, str(outcome.exc)), f"{row.id}: {outcome!r}"
    for i, (b, a) in enumerate(zip(before, inputs)):
        if scipy.sparse.issparse(b):
            b, a = b.toarray(), a.toarray()
        if b is not None:
            assert_unmodified(b, _fingerprint(a), f"{row.id}: input {i}")


def _fingerprint(a):
    """What must not change about an input: a copy of an array or a container,
    the state bytes of an accumulator; None for iterators (consumed by design)
    and callables."""
    if hasattr(a, "__next__") or callable(a) and not hasattr(a, "to_bytes"):
        return None
    if hasattr(a, "to_bytes") and not isinstance(a, (int, np.integer)):
        return a.to_bytes()
    return snapshot(a)
