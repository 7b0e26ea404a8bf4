"""`patch` / `unpatch`: scikit-learn's metric functions run cymetrics' code.

How. Every function of `DROP_INS` is, in scikit-learn 1.9, a wrapper made by
``sklearn.utils._param_validation.validate_params`` that validates the
parameters and then calls the implementation it closes over. Patching swaps
that closure cell for the cymetrics drop-in; unpatching puts the original
back. The function objects themselves never change, so

* every alias reaches cymetrics, wherever it lives: ``sklearn.metrics.f1_score``,
  the private modules that define or import it, scorers built before or after
  patching (``_SCORERS``, ``make_scorer``, ``get_scorer``, ``check_scoring``),
  partials, default arguments, other libraries' imports;
* the signature, docstring, name and pickled reference are scikit-learn's,
  and scikit-learn's own parameter validation still runs first, with its
  messages and its ``InvalidParameterError`` (``set_config(
  skip_parameter_validation=True)`` skips it as before);
* unpatching restores exactly what was there: no object anywhere keeps a
  reference to a patched copy, because there is none.

This is why the patch does not rebind names (``sklearn.metrics.f1_score =
...``) found by scanning ``sys.modules``: any reference taken before the scan
(a scorer's ``_score_func``, a partial, a closure) would keep the old function,
and unpatching could not find the copies handed out meanwhile.

Besides the cells, the patch substitutes scikit-learn's warning class for
cymetrics' (`UndefinedMetricWarning` below), points warnings past
scikit-learn's wrappers at the code that called the metric, and routes
``_CurveScorer`` (the threshold tuning of ``TunedThresholdClassifierCV``)
through one sorted sweep (`cymetrics.sklearn._tuning`). All changes are made
under one lock, and every function is checked before anything changes.
"""

import contextlib
import threading

import sklearn
import sklearn.exceptions
from sklearn.metrics._scorer import _CurveScorer
from sklearn.utils._param_validation import validate_params

from cymetrics._exceptions import UndefinedMetricWarning as CymetricsUndefinedMetricWarning
from cymetrics._shared._warnings import use_passthrough_modules, use_warning_classes
from cymetrics.sklearn._drop_ins import DROP_INS
from cymetrics.sklearn._tuning import sweep_score

__all__ = [
    "SUPPORTED_VERSIONS",
    "UndefinedMetricWarning",
    "is_patched",
    "patch",
    "patched",
    "unpatch",
]

# The scikit-learn releases the backend was tested on ("major.minor").
SUPPORTED_VERSIONS = ("1.9",)
# The modules of the decorators between a scikit-learn name and the drop-in
# (validate_params, _deprecate_positional_args): warnings point past them,
# at the code that called the metric.
_WRAPPER_MODULES = ("sklearn.utils._param_validation", "sklearn.utils.validation")


class UndefinedMetricWarning(sklearn.exceptions.UndefinedMetricWarning,
                             CymetricsUndefinedMetricWarning):
    """The class of cymetrics' undefined-metric warnings under the patch.

    A subclass of scikit-learn's ``UndefinedMetricWarning`` and of cymetrics'
    own, so filters and ``pytest.warns`` written for either class catch it.
    """


def _validation_code():
    """The code object that every ``validate_params`` wrapper shares."""
    @validate_params({}, prefer_skip_nested_validation=True)
    def probe():
        """Never called."""

    return probe.__code__


_VALIDATION_CODE = _validation_code()


def _implementation_cell(func):
    """The closure cell holding the implementation that ``func`` validates for.

    ``func`` is a chain of decorators (``functools.wraps`` links them by
    ``__wrapped__``); one of them must be a ``validate_params`` wrapper.
    """
    layer = func
    while layer is not None:
        if getattr(layer, "__code__", None) is _VALIDATION_CODE:
            cell = layer.__closure__[layer.__code__.co_freevars.index("func")]
            if cell.cell_contents is layer.__wrapped__:
                return cell
        layer = getattr(layer, "__wrapped__", None)
    raise RuntimeError(
        f"cymetrics.sklearn cannot patch {func.__module__}.{func.__qualname__}: it is not "
        f"wrapped by validate_params as in scikit-learn {', '.join(SUPPORTED_VERSIONS)}."
    )


class _State:
    """What the patch changed: ``cells`` [(cell, original)], the warning
    classes and the curve scorer's method in force before it."""

    lock = threading.RLock()
    contexts = 0  # `patched()` blocks running now, in any thread
    restore = False  # whether the last of them to exit unpatches
    cells = []
    warning_classes = None
    passthrough = None
    curve_score = None


def is_patched():
    """Whether scikit-learn's metrics currently run cymetrics' code.

    Returns
    -------
    bool

    Examples
    --------
    >>> from cymetrics.sklearn import is_patched, patched
    >>> with patched():
    ...     is_patched()
    True
    >>> is_patched()
    False
    """
    return bool(_State.cells)


def _check_version(force):
    version = sklearn.__version__
    if force or ".".join(version.split(".")[:2]) in SUPPORTED_VERSIONS:
        return
    raise RuntimeError(
        f"cymetrics.sklearn was tested with scikit-learn {', '.join(SUPPORTED_VERSIONS)}.x "
        f"and scikit-learn {version} is installed; patch(force=True) (or "
        "CYMETRICS_PATCH_SKLEARN=force) patches it anyway."
    )


def patch(*, force=False):
    """Make scikit-learn's metric functions, scorers and threshold tuning run cymetrics.

    Every function of ``sklearn.metrics`` (and ``sklearn.calibration.
    calibration_curve``) that cymetrics provides runs cymetrics' code
    wherever it is reached from: ``sklearn.metrics.f1_score``, scoring
    strings, ``get_scorer``, ``make_scorer`` and ``check_scoring`` (scorers
    built before or after patching), ``cross_validate``, ``GridSearchCV``,
    ``TunedThresholdClassifierCV`` (whose per-threshold scores become one
    sorted sweep) and libraries built on them. Signatures, docstrings and
    scikit-learn's parameter validation are unchanged, and warnings have
    scikit-learn's classes. The patch is process-wide; patching twice is
    harmless, and it is thread-safe.

    Parameters
    ----------
    force : bool, default=False
        Patch a scikit-learn outside the tested releases
        (`SUPPORTED_VERSIONS`) instead of raising.

    Raises
    ------
    RuntimeError
        For an untested scikit-learn release (unless ``force``), or one
        whose functions are not built as the patch expects (nothing is
        changed then).

    Examples
    --------
    >>> import sklearn.metrics
    >>> from cymetrics.sklearn import patch, unpatch
    >>> patch()
    >>> sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> unpatch()
    """
    with _State.lock:
        if _State.cells:
            return
        _check_version(force)
        # Everything is looked up before anything changes.
        swaps = [(_implementation_cell(getattr(home, name)), drop_in)
                 for home, functions in DROP_INS.items() for name, drop_in in functions.items()]
        curve_score = _CurveScorer.__dict__["_score"]
        _State.warning_classes = use_warning_classes(
            {CymetricsUndefinedMetricWarning: UndefinedMetricWarning})
        _State.passthrough = use_passthrough_modules(_WRAPPER_MODULES)
        _State.curve_score = curve_score
        _CurveScorer._score = sweep_score(curve_score)
        for cell, drop_in in swaps:
            _State.cells.append((cell, cell.cell_contents))
            cell.cell_contents = drop_in


def unpatch():
    """Undo `patch`: scikit-learn runs its own code again (a no-op if unpatched).

    Examples
    --------
    >>> from cymetrics.sklearn import is_patched, patch, unpatch
    >>> patch()
    >>> unpatch()
    >>> is_patched()
    False
    """
    with _State.lock:
        if not _State.cells:
            return
        for cell, original in reversed(_State.cells):
            cell.cell_contents = original
        _State.cells = []
        _CurveScorer._score = _State.curve_score
        use_warning_classes(_State.warning_classes)
        use_passthrough_modules(_State.passthrough)


@contextlib.contextmanager
def patched(*, force=False):
    """Context manager: patched inside, the previous state restored on exit.

    If scikit-learn was already patched on entry, it stays patched on exit.
    Blocks may overlap, nested or in several threads: the patch stays on
    until the last of them exits.

    Parameters
    ----------
    force : bool, default=False
        As in `patch`.

    Examples
    --------
    >>> import sklearn.metrics
    >>> from cymetrics.sklearn import patched
    >>> with patched():
    ...     sklearn.metrics.f1_score([0, 1, 1, 0], [0, 1, 0, 0])
    0.6666666666666666
    """
    with _State.lock:
        if _State.contexts == 0:
            _State.restore = not is_patched()
        patch(force=force)
        _State.contexts += 1
    try:
        yield
    finally:
        with _State.lock:
            _State.contexts -= 1
            if _State.contexts == 0 and _State.restore:
                unpatch()
