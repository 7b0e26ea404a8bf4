"""Warning and exception classes of cymetrics."""

__all__ = [
    "InputTypeError",
    "InvalidParameterError",
    "MixedLabelTypesError",
    "UndefinedMetricWarning",
]


class UndefinedMetricWarning(UserWarning):
    """Warning used when a metric is invalid or undefined for the given input.

    Mirrors ``sklearn.exceptions.UndefinedMetricWarning``.
    """


class InvalidParameterError(ValueError, TypeError):
    """A parameter has an invalid type or value.

    Subclasses both ``ValueError`` and ``TypeError``, like scikit-learn's
    ``InvalidParameterError``, so code that catches either keeps working.
    """


class InputTypeError(ValueError, TypeError):
    """An input holds values of the wrong kind (strings as scores, junk objects).

    scikit-learn raises ``ValueError`` or ``TypeError`` for these depending on
    the function (often by accident, from numpy); this class is both, so code
    written against either keeps working.
    """


class MixedLabelTypesError(InputTypeError):
    """Labels mix strings and numbers."""
