"""Parameter checks, with the one "invalid parameter" message.

Scalar parameters, and whether array parameters are array-likes (sparse or
not), as scikit-learn's ``validate_params`` checks them; and the positional
use of keyword-only parameters it deprecates (`deprecate_positional`).

Every check raises `InvalidParameterError` (a ValueError and a TypeError, as
scikit-learn's) built by `invalid`, whose text is that of scikit-learn's
``validate_params``: "The 'average' parameter of f1_score must be a str
among {...} or None. Got 'x' instead." The ``expected`` phrases below follow
scikit-learn's constraint descriptions, so messages of drop-ins match.

A ``bool`` is not a number here (``max_fpr=True`` is refused, where
scikit-learn would read it as 1), and NaN fails every range.
"""

import functools
import inspect
import math
import numbers
import sys
from collections.abc import Mapping, Set

import numpy as np

from cymetrics._exceptions import InvalidParameterError
from cymetrics._shared._warnings import warn

__all__ = [
    "check_array_like",
    "check_array_likes",
    "check_average",
    "check_bool",
    "check_callable",
    "check_confidence",
    "check_int",
    "check_max_fpr",
    "check_option",
    "check_pos_label",
    "check_real",
    "check_zero_division",
    "deprecate_positional",
    "invalid",
    "is_array_like",
    "issparse",
]


def invalid(name, func, expected, value):
    """The `InvalidParameterError` for ``name`` of ``func`` (None: no caller named)."""
    where = f"The {name!r} parameter" + ("" if func is None else f" of {func}")
    return InvalidParameterError(f"{where} must be {expected}. Got {value!r} instead.")


def check_option(name, value, options, func):
    """``value`` if it is one of the strings (or None) in ``options``."""
    for option in options:
        if value is option or (
            isinstance(value, str) and isinstance(option, str) and value == option
        ):
            return value
    shown = ", ".join(repr(o) for o in options if o is not None)
    tail = " or None" if None in options else ""
    raise invalid(name, func, f"a str among {{{shown}}}{tail}", value)


def check_bool(name, value, func, *, extra=""):
    """``bool(value)`` for a Python or numpy bool (``extra`` completes the
    expected phrase when the caller accepts other values first)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise invalid(name, func, "an instance of 'bool' or an instance of 'numpy.bool'" + extra,
                  value)


def check_int(name, value, func, low, *, allow_none=False):
    """An integer in ``[low, inf)`` (or None if allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low:
        return int(value)
    raise invalid(name, func, f"an int in the range [{low}, inf)"
                  + (" or None" if allow_none else ""), value)


def _bound(x):
    return "inf" if x == math.inf else ("-inf" if x == -math.inf else f"{float(x)}")


def check_real(name, value, func, low=-math.inf, high=math.inf, *, closed="both",
               allow_none=False, extra=""):
    """A real number in the interval from ``low`` to ``high``.

    ``closed`` is 'both', 'left', 'right' or 'neither'; as in scikit-learn,
    an infinite bound is included when its side is closed (``[0.0, inf]``
    accepts ``inf``, ``(0.0, inf)`` does not) and NaN is never in range.
    ``extra`` completes the expected phrase (e.g. " or numpy.nan" when the
    caller accepts NaN first).
    """
    if value is None and allow_none:
        return None
    with_low, with_high = closed in ("both", "left"), closed in ("both", "right")
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and (
            value > low or (with_low and value == low)) and (
            value < high or (with_high and value == high)):
        return value
    lb, rb = "[" if with_low else "(", "]" if with_high else ")"
    expected = f"a float in the range {lb}{_bound(low)}, {_bound(high)}{rb}"
    raise invalid(name, func, expected + extra + (" or None" if allow_none else ""), value)


def check_pos_label(pos_label, func, *, allow_none=True):
    """A label: a number, a str, a bool or None (scikit-learn's constraint)."""
    if (pos_label is None and allow_none) or isinstance(pos_label, (numbers.Real, str, np.bool_)):
        return pos_label
    if allow_none:
        expected = ("an instance of 'float', an instance of 'str', an instance of 'bool' or "
                    "an instance of 'numpy.bool' or None")
    else:
        expected = ("an instance of 'float', an instance of 'str' or an instance of 'bool' or "
                    "an instance of 'numpy.bool'")
    raise invalid("pos_label", func, expected, pos_label)


def is_array_like(value):
    """What scikit-learn's validation calls array-like (not a str or a scalar),
    minus mappings and sets, whose items have no sample order (numpy would
    wrap them in a 0-d object array)."""
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, (str, bytes, Mapping, Set)) or np.isscalar(value) or value is None:
        return False
    return hasattr(value, "__len__") or hasattr(value, "shape") or hasattr(value, "__array__")


def issparse(value):
    """True for a scipy sparse matrix or array (False if scipy is not loaded:
    scipy is never imported here)."""
    sp = sys.modules.get("scipy.sparse")
    return sp is not None and sp.issparse(value)


def check_array_like(name, value, func, *, optional=False, sparse=False, extra=""):
    """Raise unless ``value`` is array-like (or None when ``optional``); a
    sparse matrix only when ``sparse``, as scikit-learn's constraints.
    ``extra`` completes the expected phrase (another type the caller takes)."""
    if isinstance(value, np.ndarray) or (value is None and optional) or (
            is_array_like(value) and (sparse or not issparse(value))):
        return value
    expected = "an array-like" + (" or a sparse array or matrix" if sparse else "") + extra
    raise invalid(name, func, expected + (" or None" if optional else ""), value)


# Array parameters that may be None.
OPTIONAL_ARRAYS = frozenset(["labels", "sample_weight", "target_names"])


def check_array_likes(func, sparse=(), **arrays):
    """scikit-learn's "array-like" constraints on the array parameters of
    ``func``, checked in the order given: None is accepted for the optional
    ones (`OPTIONAL_ARRAYS`), a sparse matrix for those named in ``sparse``."""
    for name, value in arrays.items():
        check_array_like(name, value, func, optional=name in OPTIONAL_ARRAYS,
                         sparse=name in sparse)


def check_callable(name, value, func):
    if callable(value):
        return value
    raise invalid(name, func, "a callable", value)


AVERAGES = ("binary", "micro", "macro", "weighted", "samples", None)


def check_average(average, func, options=AVERAGES):
    """``average`` if it is one of ``options`` (strings and possibly None)."""
    return check_option("average", average, options, func)


def check_zero_division(zero_division, func, allow_nan=True):
    """``zero_division`` in {'warn', 0, 1} (and NaN if allowed)."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return zero_division
    elif isinstance(zero_division, numbers.Real):
        if zero_division in (0, 1):
            return zero_division
        if allow_nan and math.isnan(zero_division):
            return zero_division
    shown = "{0.0, 1.0}, numpy.nan" if allow_nan else "{0, 1}"
    raise invalid("zero_division", func, f"a float among {shown} or a str among {{'warn'}}",
                  zero_division)


def check_confidence(confidence, func):
    """A confidence level in (0, 1), as a float."""
    return float(check_real("confidence", confidence, func, 0.0, 1.0, closed="neither"))


def deprecate_positional(version):
    """Decorator: keyword-only parameters passed positionally still work, with
    scikit-learn's ``FutureWarning`` (its ``_deprecate_positional_args``).

    The decorated function keeps its signature (``inspect`` follows
    ``__wrapped__``), so it stays identical to scikit-learn's.
    """
    def decorate(func):
        parameters = inspect.signature(func).parameters.values()
        positional = [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]
        keyword_only = [p.name for p in parameters if p.kind == p.KEYWORD_ONLY]

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            extra = len(args) - len(positional)
            if extra <= 0:
                return func(*args, **kwargs)
            passed = ", ".join(f"{name}={arg}"
                               for name, arg in zip(keyword_only[:extra], args[-extra:]))
            warn(f"Pass {passed} as keyword args. From version {version} passing these as "
                 "positional arguments will result in an error", FutureWarning)
            kwargs.update(zip(positional + keyword_only, args))
            return func(**kwargs)

        return wrapper

    return decorate


def check_max_fpr(max_fpr, func="roc_auc_score"):
    """``max_fpr`` in (0, 1] or None; 1 means the full AUC (returned as None)."""
    max_fpr = check_real("max_fpr", max_fpr, func, 0.0, 1.0, closed="right", allow_none=True)
    return None if max_fpr is None or max_fpr == 1 else max_fpr
