"""Every warning cymetrics emits goes through `warn`.

Two policies live here and nowhere else:

* where a warning points: at the first frame outside cymetrics, so a user
  sees the line of their own code that called the metric, however many
  layers of cymetrics sit in between (no hand-counted ``stacklevel``);
* which class a warning has: cymetrics' own classes by default; a backend
  may substitute others with `use_warning_classes` (the scikit-learn backend
  makes `UndefinedMetricWarning` scikit-learn's, so filters written for
  scikit-learn keep working under it). A backend that calls cymetrics from
  wrappers of its own (scikit-learn's parameter validation) names their
  modules with `use_passthrough_modules`, and their frames are skipped too.
"""

import sys
import threading
import warnings

__all__ = ["use_passthrough_modules", "use_warning_classes", "warn", "warning_class"]

_PACKAGE = __name__.split(".", 1)[0]
_substitutes = {}
_passthrough = frozenset()
_substitutes_lock = threading.Lock()


def _outside_package_level():
    """``stacklevel`` of the first caller outside the package, counted from
    the frame that calls ``warnings.warn`` (which is this module's `warn`)."""
    frame = sys._getframe(2)  # the caller of `warn`
    level = 2
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name != _PACKAGE and not name.startswith(_PACKAGE + ".") and (
                name not in _passthrough):
            return level
        frame = frame.f_back
        level += 1
    return level


def warning_class(category):
    """The class actually emitted for ``category`` (after substitutions)."""
    return _substitutes.get(category, category)


def warn(message, category=UserWarning):
    """``warnings.warn`` pointed at the user's code, with the class in force.

    Parameters
    ----------
    message : str
    category : type of Warning, default=UserWarning
        A cymetrics (or Python) warning class; `use_warning_classes` may map
        it to another class.
    """
    warnings.warn(message, warning_class(category), stacklevel=_outside_package_level())


def use_warning_classes(mapping):
    """Emit ``mapping[cls]`` wherever cymetrics warns with ``cls``.

    Returns the previous mapping (pass it back to restore it). The mapping is
    process-wide, as warning filters are.
    """
    global _substitutes
    with _substitutes_lock:
        previous = _substitutes
        _substitutes = dict(mapping)
    return previous


def use_passthrough_modules(names):
    """Skip the frames of modules ``names`` too when pointing a warning at
    the user's code. Returns the previous set (pass it back to restore it)."""
    global _passthrough
    with _substitutes_lock:
        previous = _passthrough
        _passthrough = frozenset(names)
    return previous
