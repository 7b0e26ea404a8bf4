"""Warning and exception classes of cymetrics."""

__all__ = ["UndefinedMetricWarning", "DataConversionWarning", "InvalidParameterError"]


class UndefinedMetricWarning(UserWarning):
    """Warning used when a metric is invalid or undefined for the given input.

    Mirrors ``sklearn.exceptions.UndefinedMetricWarning``.
    """


class DataConversionWarning(UserWarning):
    """Warning used when an input is reshaped, e.g. a column vector to 1-D."""


class InvalidParameterError(ValueError, TypeError):
    """A parameter has an invalid type or value.

    Subclasses both ``ValueError`` and ``TypeError``, like scikit-learn's
    ``InvalidParameterError``, so code that catches either keeps working.
    """


class MixedLabelTypesError(ValueError, TypeError):
    """Labels mix strings and numbers.

    scikit-learn raises ``ValueError`` for this in the classification metrics
    and (through numpy) ``TypeError`` in the curve functions; this class is
    both.
    """
