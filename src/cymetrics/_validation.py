"""Input validation at the edge of the public API.

Every public function validates once here and hands clean, native-endian,
C-contiguous arrays of a small set of dtypes to the kernels. Messages and
exception types follow scikit-learn 1.9 so that code written against
``sklearn.metrics`` keeps working.
"""

import numbers

import numpy as np

from cymetrics._exceptions import (
    InputTypeError,
    InvalidParameterError,
    MixedLabelTypesError,
)

__all__ = [
    "as_native",
    "check_consistent_length",
    "check_labels_1d",
    "check_labels_2d",
    "check_option",
    "check_sample_weight",
    "check_scores",
    "column_or_1d",
    "target_type",
    "unique_labels",
]


def as_native(a, dtype=None):
    """Return ``a`` as a C-contiguous array in native byte order (no copy if it is)."""
    a = np.asarray(a, dtype=dtype)
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    return np.ascontiguousarray(a)


def check_option(name, value, options, func):
    """Raise `InvalidParameterError` unless ``value`` is one of ``options``."""
    for option in options:
        if value is option or (
            isinstance(value, str) and isinstance(option, str) and value == option
        ):
            return value
    shown = ", ".join(repr(o) for o in options)
    raise InvalidParameterError(
        f"The {name!r} parameter of {func} must be one of {{{shown}}}. "
        f"Got {value!r} instead."
    )


def check_consistent_length(*arrays):
    """Raise ValueError if the non-None arrays differ in length."""
    lengths = [len(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"{lengths}"
        )


def _to_array(y, name):
    if isinstance(y, str) or y is None or np.isscalar(y):
        raise InvalidParameterError(
            f"The {name!r} parameter must be an array-like. Got {y!r} instead."
        )
    try:
        return np.asarray(y)
    except ValueError:
        # Ragged nested sequences.
        return np.asarray(y, dtype=object)


def column_or_1d(y, name):
    """Return ``y`` as a 1-D array; a column vector is ravelled (silently, as
    the scikit-learn metrics do)."""
    y = _to_array(y, name)
    if y.ndim == 1:
        return y
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    raise ValueError(
        f"{name} should be a 1d array, got an array of shape {y.shape} instead."
    )


def _check_not_empty(a, name):
    if a.shape[0] == 0:
        raise ValueError(
            f"Found empty input array {name} while a minimum of 1 sample is "
            "required."
        )


def check_scores(y_score, name="y_score"):
    """Validate 1-D scores; return ``(scores, thresholds_dtype)``.

    ``scores`` is float32 or float64, native and contiguous: float32 and
    float64 are used as they are, float16 widens to float32, integers and
    booleans to float64 (all exact for the values a score takes). Finiteness
    is checked by the kernel that reads the scores anyway.
    """
    y_score = column_or_1d(y_score, name)
    dtype = y_score.dtype
    if dtype.kind == "c":
        raise ValueError(f"Complex data not supported in {name}.")
    if dtype.kind in "USV":
        raise InputTypeError(f"{name} must contain numbers; got dtype {dtype}.")
    if dtype.kind == "O":
        # Objects holding numbers are ranked as float64; thresholds keep
        # the object dtype, as scikit-learn returns them.
        try:
            return as_native(y_score, np.float64), dtype
        except (TypeError, ValueError) as exc:
            raise InputTypeError(f"{name} must contain numbers.") from exc
    if dtype.kind == "f" and dtype.itemsize == 8:
        return as_native(y_score, np.float64), np.dtype(np.float64)
    if dtype.kind == "f" and dtype.itemsize <= 4:
        return as_native(y_score, np.float32), dtype.newbyteorder("=")
    if dtype.kind == "f":  # long double
        return as_native(y_score, np.float64), np.dtype(np.float64)
    if dtype.kind in "iub":
        if dtype.kind in "iu" and dtype.itemsize == 8 and y_score.size:
            bound = max(abs(int(y_score.min())), abs(int(y_score.max())))
            if bound > 2**53:
                raise ValueError(
                    f"Integer {name} beyond 2**53 cannot be ranked exactly in "
                    "float64; pass float scores."
                )
        return as_native(y_score, np.float64), dtype.newbyteorder("=")
    raise InputTypeError(f"{name} must contain numbers; got dtype {dtype}.")


def raise_non_finite(name):
    raise ValueError(f"Input {name} contains NaN or infinity.")


def check_sample_weight(sample_weight, n_samples, *, keep_integer=False, ravel_column=False):
    """Validate weights: 1-D, ``n_samples`` long, finite, non-negative, not all 0.

    Returns None for None, else a native contiguous float64 array, or int64
    when ``keep_integer`` and the weights are integers or booleans. A column
    vector is ravelled only with ``ravel_column`` (the ranking functions of
    scikit-learn do that; the classification ones refuse 2-D weights).
    Negative weights are refused: scikit-learn accepts them but they make
    the counts (and every curve or rate derived from them) meaningless.
    """
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Number):
        sample_weight = np.full(n_samples, sample_weight)
    w = _to_array(sample_weight, "sample_weight")
    if ravel_column and w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.ndim != 1:
        raise ValueError(
            f"Sample weights must be 1D array or scalar, got {w.ndim}D array. "
            f"Expected either a scalar value or a 1D array of length {n_samples}."
        )
    if w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight.shape == {w.shape}, expected ({n_samples},)!"
        )
    if w.dtype.kind not in "iufb":
        try:
            w = w.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InputTypeError("sample_weight must contain numbers.") from exc
    if keep_integer and w.dtype.kind in "iub":
        w = as_native(w, np.int64)
    else:
        w = as_native(w, np.float64)
        if not np.isfinite(w).all():
            raise ValueError("Input sample_weight contains NaN or infinity.")
    if w.size and w.min() < 0:
        raise ValueError(
            "sample_weight contains negative values; weights are counts and "
            "must be >= 0 (scikit-learn accepts negative weights, cymetrics "
            "refuses them)."
        )
    if w.size and not w.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return w


def _check_label_values(y, name):
    """Turn a 1-D label array into numbers or str; refuse NaN and mixtures.

    Object arrays of str become str arrays; other object arrays are returned
    as they are and `target_type` calls them 'unknown', as scikit-learn does.
    """
    kind = y.dtype.kind
    if kind == "O":
        if y.size == 0:
            return y
        is_str = [isinstance(v, str) for v in y]
        if all(is_str):
            return y.astype(str)
        if any(is_str):
            raise MixedLabelTypesError(
                f"Mix of label input types (string and number) in {name}."
            )
        if isinstance(y[0], bytes):
            raise InputTypeError(
                "Support for labels represented as bytes is not supported. "
                "Convert the labels to a string or integer format."
            )
        return y
    if kind == "S":
        raise InputTypeError(
            "Support for labels represented as bytes is not supported. "
            "Convert the labels to a string or integer format."
        )
    if kind == "c":
        raise ValueError(f"Complex data not supported in {name}.")
    if kind == "f" and y.size and not np.isfinite(y).all():
        if np.isnan(y).any():
            raise ValueError(f"Input {name} contains NaN.")
        raise ValueError(f"Input {name} contains infinity.")
    return y


def target_type(y, name="y"):
    """Classify a target like ``sklearn.utils.multiclass.type_of_target``.

    ``y`` must already be an ndarray of numbers or str with NaN refused.
    Returns one of 'binary', 'multiclass', 'continuous',
    'multilabel-indicator', 'multiclass-multioutput', 'continuous-multioutput'
    or 'unknown'.
    """
    if y.ndim not in (1, 2) or (y.ndim == 2 and 0 in y.shape):
        return "unknown"
    if y.ndim == 1 and y.size == 0:
        return "binary"
    if y.dtype.kind == "O":
        return "unknown"
    suffix = "-multioutput" if (y.ndim == 2 and y.shape[1] > 1) else ""
    if y.dtype.kind == "f" and np.any(y != np.trunc(y)):
        return "continuous" + suffix
    if suffix:
        if y.dtype.kind in "iufb" and _is_indicator(y):
            return "multilabel-indicator"
        return "multiclass" + suffix
    n_unique = _count_unique_upto(y.ravel(), 3)
    return "multiclass" if n_unique > 2 else "binary"


def _is_indicator(y):
    """scikit-learn's ``is_multilabel`` for a dense 2-D array: at most two
    distinct values, integers or integral floats."""
    values = np.unique(y)
    return values.shape[0] < 3 and (
        y.dtype.kind in "biu" or bool(np.all(values == np.trunc(values)))
    )


def _count_unique_upto(y, limit):
    """Number of distinct values in 1-D ``y``, stopping at ``limit``.

    Numbers use min/max and two comparisons instead of a sort.
    """
    if y.dtype.kind in "iufb":
        lo, hi = y.min(), y.max()
        if lo == hi:
            return 1
        n_extreme = np.count_nonzero(y == lo) + np.count_nonzero(y == hi)
        return 2 if n_extreme == y.shape[0] else limit
    return min(np.unique(y).shape[0], limit)


def check_labels_1d(y, name):
    """Validate a 1-D label array (column vectors ravelled); NaN refused."""
    y = column_or_1d(y, name)
    return _check_label_values(y, name)


def check_labels_2d(y, name):
    """Validate a 2-D label array (a multilabel indicator or multioutput)."""
    y = _to_array(y, name)
    if y.ndim != 2:
        raise ValueError(f"{name} should be a 2d array, got shape {y.shape} instead.")
    if y.dtype.kind == "O":
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            return y.astype(str)
    return _check_label_values(y.reshape(-1), name).reshape(y.shape)


def unique_labels(*ys):
    """Sorted union of the labels of several 1-D label arrays."""
    ys = [y for y in ys if y.size]
    kinds = {("str" if y.dtype.kind in "U" else "num") for y in ys}
    if len(kinds) > 1:
        raise MixedLabelTypesError("Mix of label input types (string and number)")
    if not ys:
        return np.empty(0)
    return np.unique(np.concatenate([np.unique(y) for y in ys]))
