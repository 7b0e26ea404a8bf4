"""Arrays at the edge of the public API: shapes, lengths, dtypes, finiteness.

Every public function validates once, here and in `cymetrics._shared._labels`,
and hands clean, native-endian, C-contiguous arrays of a small set of dtypes
to the kernels. Messages and exception types follow scikit-learn 1.9 so that
code written against ``sklearn.metrics`` keeps working. The one sample-weight
rule is `check_sample_weight`.
"""

import numbers

import numpy as np

from cymetrics._exceptions import InputTypeError
from cymetrics._shared._params import invalid

__all__ = [
    "as_native",
    "as_numbers",
    "check_consistent_length",
    "check_not_empty",
    "check_sample_weight",
    "check_scores",
    "column_or_1d",
    "prediction_array",
    "raise_non_finite",
    "sized",
    "to_array",
]


def as_native(a, dtype=None):
    """Return ``a`` as a C-contiguous array in native byte order (no copy if it is)."""
    a = np.asarray(a, dtype=dtype)
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    return np.ascontiguousarray(a)


def check_consistent_length(*arrays):
    """Raise ValueError if the non-None arrays differ in length (anything
    without a length -- None, a scalar, a str -- is left out)."""
    lengths = []
    for a in arrays:
        if isinstance(a, np.ndarray):  # the common case, without sized()'s checks
            if a.ndim:
                lengths.append(a.shape[0])
        elif sized(a) is not None:
            # shape[0] first: sparse matrices have a shape but no length.
            lengths.append(a.shape[0] if hasattr(a, "shape") else len(a))
    if len(set(lengths)) > 1:
        raise _inconsistent_lengths(lengths)


def _inconsistent_lengths(lengths):
    """scikit-learn's error for inputs of different lengths (all of them, in order)."""
    return ValueError(
        f"Found input variables with inconsistent numbers of samples: {list(lengths)}"
    )


def sized(a):
    """``a`` if it has a length worth checking, else None."""
    if a is None or isinstance(a, str) or np.isscalar(a) or not (
            hasattr(a, "__len__") or hasattr(a, "shape")) or getattr(a, "ndim", 1) == 0:
        return None
    return a


def to_array(y, name):
    """``np.asarray(y)`` for an array-like (ragged sequences as objects)."""
    if isinstance(y, np.ndarray):
        return y
    if isinstance(y, str) or y is None or np.isscalar(y):
        raise invalid(name, None, "an array-like", y)
    try:
        return np.asarray(y)
    except ValueError:
        # Ragged nested sequences.
        return np.asarray(y, dtype=object)


def column_or_1d(y, name):
    """Return ``y`` as a 1-D array; a column vector is ravelled (silently, as
    the scikit-learn metrics do)."""
    y = to_array(y, name)
    if y.ndim == 1:
        return y
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    raise ValueError(
        f"{name} should be a 1d array, got an array of shape {y.shape} instead."
    )


def _float_dtype(dtype):
    """The kernel float dtype for numbers of ``dtype``: float32 for floats of
    up to 4 bytes, float64 for everything else (all exact)."""
    return np.dtype(np.float32 if dtype.kind == "f" and dtype.itemsize <= 4 else np.float64)


def _refuse_inexact_integers(a, name):
    """64-bit integers beyond 2**53 have no exact float64."""
    if a.dtype.kind in "iu" and a.dtype.itemsize == 8 and a.size:
        if max(abs(int(a.min())), abs(int(a.max()))) > 2**53:
            raise ValueError(
                f"Integer {name} beyond 2**53 cannot be converted exactly to float64; "
                "pass float values."
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
    if dtype.kind == "O":
        # Objects holding numbers are ranked as float64; thresholds keep
        # the object dtype, as scikit-learn returns them.
        try:
            return as_native(y_score, np.float64), dtype
        except (TypeError, ValueError) as exc:
            raise InputTypeError(f"{name} must contain numbers.") from exc
    if dtype.kind not in "iubf":
        raise InputTypeError(f"{name} must contain numbers; got dtype {dtype}.")
    _refuse_inexact_integers(y_score, name)
    target = _float_dtype(dtype)
    # Thresholds keep the input dtype (long doubles: float64).
    thresholds_dtype = dtype.newbyteorder("=") if dtype.itemsize <= 8 else target
    return as_native(y_score, target), thresholds_dtype


def check_not_empty(n_samples, names):
    """The one empty-input error: ``names`` are the inputs, e.g. 'y_true, y_score'."""
    if n_samples == 0:
        raise ValueError(
            f"Found empty input array ({names}) while a minimum of 1 sample is required."
        )


def raise_non_finite(values, name=""):
    """Raise scikit-learn's ValueError for non-finite ``values`` (NaN named first).

    scikit-learn names labels and weights (``Input y_true contains NaN.``)
    but not scores, probabilities or decisions (``Input contains NaN.``):
    ``name=""`` for those.
    """
    values = np.asarray(values)
    where = f"Input {name} " if name else "Input "
    if np.isnan(values).any():
        raise ValueError(f"{where}contains NaN.")
    raise ValueError(f"{where}contains infinity or a value too large for {values.dtype!r}.")


def check_sample_weight(sample_weight, n_samples, *, keep_integer=False, ravel_column=False,
                        allow_zero_total=False):
    """Validate weights: 1-D, ``n_samples`` long, finite, non-negative, not all 0.

    The one weight rule of cymetrics. Returns None for None, else a native
    contiguous float64 array, or int64 when ``keep_integer`` and the weights
    are integers or booleans. A column vector is ravelled only with
    ``ravel_column`` (the ranking functions of scikit-learn do that; the
    classification ones refuse 2-D weights). Negative weights are refused:
    scikit-learn accepts them but they make the counts (and every curve or
    rate derived from them) meaningless. All-zero weights are refused for a
    whole dataset; ``allow_zero_total`` accepts them for one batch of a
    stream (the other batches may carry the weight, and decayed weights
    underflow to 0), whose metrics then refuse a zero total instead.
    """
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Number):
        sample_weight = np.full(n_samples, sample_weight)
    w = to_array(sample_weight, "sample_weight")
    if ravel_column and w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.ndim != 1:
        raise ValueError(
            f"Sample weights must be 1D array or scalar, got {w.ndim}D array. "
            f"Expected either a scalar value or a 1D array of length {n_samples}."
        )
    if w.shape[0] != n_samples:
        # Every caller has checked two inputs of n_samples (y_true and y_pred
        # or y_score): scikit-learn's check_consistent_length of all three.
        raise _inconsistent_lengths([n_samples, n_samples, w.shape[0]])
    if w.dtype.kind == "c":
        raise ValueError(f"Complex data not supported\n{w}\n")
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
            raise_non_finite(w, "sample_weight")
    if w.size and w.min() < 0:
        raise ValueError(
            "sample_weight contains negative values; weights are counts and "
            "must be >= 0 (scikit-learn accepts negative weights, cymetrics "
            "refuses them)."
        )
    if w.size and not allow_zero_total and not w.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return w




def as_numbers(a, name):
    """``a`` if its dtype holds numbers, else its float64 values (objects
    holding numbers); `InputTypeError` for anything else, strings of digits
    included."""
    if a.dtype.kind in "biuf":
        return a
    if a.dtype.kind in "USV":
        raise InputTypeError(f"{name} must contain numbers; got dtype {a.dtype}.")
    try:
        return a.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"{name} must contain numbers; got dtype {a.dtype}.") from exc


def prediction_array(y, name="y_score"):
    """Validate a 1-D or 2-D numeric prediction array (scores or probabilities).

    Returns ``(array, source_dtype)``: ``array`` is float32 or float64, native
    and C-contiguous (float16 widens to float32, integers and booleans to
    float64, all exactly); ``source_dtype`` is the float dtype scikit-learn
    would compute in (float64 for integer input), e.g. for its ``eps``.
    Finiteness is left to the kernel that reads the array anyway.
    """
    if isinstance(y, str) or y is None or np.isscalar(y):
        raise InputTypeError(f"Expected an array-like {name}, got {y!r}")
    try:
        a = np.asarray(y)
    except ValueError as exc:
        raise ValueError(f"{name} must be a rectangular array: {exc}") from exc
    if a.dtype.kind == "c":
        raise ValueError(f"Complex data not supported in {name}.")
    a = as_numbers(a, name)
    if a.ndim not in (1, 2):
        raise ValueError(f"Found array with dim {a.ndim}, while dim <= 2 is required for {name}.")
    if a.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={a.shape}) while a minimum of 1 "
            f"is required in {name}."
        )
    if a.ndim == 2 and a.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={a.shape}) while a minimum of 1 "
            f"is required in {name}."
        )
    _refuse_inexact_integers(a, name)
    target = _float_dtype(a.dtype)
    if a.dtype.kind == "f" and a.dtype.itemsize in (4, 8):
        source = a.dtype.newbyteorder("=")
    elif a.dtype.kind == "f" and a.dtype.itemsize == 2:
        source = np.dtype(np.float16)
    else:
        source = np.dtype(np.float64)
    return as_native(a, target), source
