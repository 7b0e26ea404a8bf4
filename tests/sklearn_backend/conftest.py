"""Fixtures of the scikit-learn backend's tests.

* every test leaves scikit-learn unpatched (the rest of the suite compares
  cymetrics against scikit-learn's own code);
* ``calls`` -- a context manager recording the ``(module, function name)``
  of every Python function called inside it (``sys.setprofile``), to see
  which code actually ran.
"""

from __future__ import annotations

import contextlib
import sys

import pytest

from cymetrics.sklearn import is_patched, unpatch


@pytest.fixture(autouse=True)
def _never_leave_patched():
    assert not is_patched()
    yield
    unpatch()


@contextlib.contextmanager
def _calls():
    seen = set()

    def profile(frame, event, arg):
        if event == "call":
            seen.add((frame.f_globals.get("__name__"), frame.f_code.co_name))

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(previous)


@pytest.fixture
def calls():
    return _calls
