"""The scikit-learn backend: existing scikit-learn code runs cymetrics' metrics.

``cymetrics.sklearn.patch()`` makes every ``sklearn.metrics`` function that
cymetrics provides -- and every scorer, ``cross_validate``,
``GridSearchCV``, ``TunedThresholdClassifierCV`` and library built on them
-- run cymetrics' code; `unpatch` restores scikit-learn, `patched` is the
context manager. The environment variable ``CYMETRICS_PATCH_SKLEARN=1``
patches when this module is imported (``force`` also for an untested
scikit-learn), and ``python -m cymetrics.sklearn script.py [args]`` (or
``-m module``, ``-c code``) runs a program patched without editing it.

`make_scorer`, `get_scorer` and `check_scoring` build scikit-learn scorers
around cymetrics' functions without patching anything.

This package is the only place where cymetrics imports scikit-learn.
"""

import os
import warnings

try:
    import sklearn  # noqa: F401
except ModuleNotFoundError as exc:
    if exc.name != "sklearn":
        raise
    raise ModuleNotFoundError(
        "cymetrics.sklearn needs scikit-learn: pip install 'cymetrics[sklearn]'", name="sklearn"
    ) from exc

from cymetrics.sklearn._patch import (
    SUPPORTED_VERSIONS,
    UndefinedMetricWarning,
    is_patched,
    patch,
    patched,
    unpatch,
)
from cymetrics.sklearn._scorers import check_scoring, get_scorer, make_scorer

__all__ = [
    "SUPPORTED_VERSIONS",
    "UndefinedMetricWarning",
    "check_scoring",
    "get_scorer",
    "is_patched",
    "make_scorer",
    "patch",
    "patched",
    "unpatch",
]

ENVIRONMENT = "CYMETRICS_PATCH_SKLEARN"


def _patch_from_environment():
    """Apply ``CYMETRICS_PATCH_SKLEARN``: '1' patches, 'force' patches any
    release; '', '0' or unset do nothing. A refused patch warns instead of
    failing the import: the program still runs, on scikit-learn's code."""
    value = os.environ.get(ENVIRONMENT, "").strip().lower()
    if value in ("", "0"):
        return
    if value not in ("1", "force"):
        warnings.warn(f"{ENVIRONMENT}={value!r} is neither '1', 'force' nor '0'; "
                      "scikit-learn is not patched.", RuntimeWarning, stacklevel=3)
        return
    try:
        patch(force=value == "force")
    except RuntimeError as exc:
        warnings.warn(f"{ENVIRONMENT}: {exc}", RuntimeWarning, stacklevel=3)


_patch_from_environment()
