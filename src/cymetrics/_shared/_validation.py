"""Arrays at the edge of the public API: shapes, lengths, dtypes, finiteness.

Every public function validates once, here and in `cymetrics._shared._labels`,
and hands clean, native-endian, C-contiguous arrays of a small set of dtypes
to the kernels. Messages and exception types follow scikit-learn 1.9 so that
code written against ``sklearn.metrics`` keeps working. The one sample-weight
rule is `check_sample_weight`.
"""

import math
import numbers

import numpy as np

from cymetrics._exceptions import InputTypeError
from cymetrics._kernels import _labels
from cymetrics._shared._params import invalid, is_array_like, issparse

__all__ = [
    "as_exact_int64",
    "as_native",
    "as_numbers",
    "canonical_bools",
    "check_consistent_length",
    "check_int64_total",
    "check_not_empty",
    "check_sample_weight",
    "check_scores",
    "column_or_1d",
    "INT64_MAX",
    "num_samples",
    "prediction_array",
    "raise_non_finite",
    "refuse_sparse",
    "scale_free",
    "sized",
    "to_array",
]


def as_native(a, dtype=None):
    """Return ``a`` as an aligned C-contiguous array in native byte order (no
    copy if it is one)."""
    a = np.asarray(a, dtype=dtype)
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    if not a.flags.aligned:
        # Arrays over a byte buffer at an odd offset (np.frombuffer, arrays
        # that Dask rebuilds from network frames): the kernels load each value
        # directly, which is undefined behaviour unaligned (UBSan reported it).
        return a.copy()
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
            lengths.append(num_samples(a))
    if len(set(lengths)) > 1:
        raise _inconsistent_lengths(lengths)


def _inconsistent_lengths(lengths):
    """scikit-learn's error for inputs of different lengths (all of them, in order)."""
    return ValueError(
        f"Found input variables with inconsistent numbers of samples: {list(lengths)}"
    )


def sized(a):
    """``a`` if it has a length worth checking, else None (not array-like:
    refused later with its own message)."""
    if type(a) is np.ndarray:  # the common case, without is_array_like's cost
        return a if a.ndim else None
    if not is_array_like(a) or getattr(a, "ndim", 1) == 0:
        return None
    return a


def num_samples(a):
    """The length of a `sized` array-like (its first dimension: scipy sparse
    matrices have no ``len``)."""
    shape = getattr(a, "shape", None)
    return shape[0] if shape else len(a)


def to_array(y, name):
    """``np.asarray(y)`` for an array-like (ragged sequences as objects)."""
    if isinstance(y, np.ndarray):
        return y
    if not is_array_like(y):
        # Generators and iterators too: numpy would wrap them in a 0-d array.
        raise invalid(name, None, "an array-like", y)
    refuse_sparse(y, name)
    try:
        return np.asarray(y)
    except ValueError:
        # Ragged nested sequences.
        return np.asarray(y, dtype=object)


def refuse_sparse(y, name):
    """`InputTypeError` for a scipy sparse matrix where dense data is
    required (scikit-learn's message). Generators, mappings and sets are not
    array-like (`is_array_like`): `to_array` refuses them before this."""
    if issparse(y):
        raise InputTypeError(
            f"Sparse data was passed for {name}, but dense data is required. Use "
            "'.toarray()' to convert to a dense numpy array."
        )


def canonical_bools(a):
    """``a`` with every bool stored as byte 0 or 1.

    A numpy bool array built from a raw buffer may hold any non-zero byte
    for True; kernels that read bool labels as uint8 bytes would take such a
    byte for another label. A copy only for such arrays (one read pass).
    """
    if a.dtype.kind == "b" and a.size and int(a.view(np.uint8).max()) > 1:
        return a != 0
    return a


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
                        allow_zero_total=False, any_scale=False):
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
    Integer weights kept as int64 must sum below 2**63, so that no count
    wraps (`check_int64_total`); strings, even of digits, are refused with
    `InputTypeError`. ``any_scale``: the caller's result does not depend on
    the scale of the weights (a weighted mean, a ratio of weighted sums), so
    float weights beyond 2**+-128 come back times an exact power of two
    (`scale_free`), which keeps subnormal or huge weights and their products
    inside float64's normal range.
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
        # Strings of digits included (scikit-learn raises TypeError).
        w = as_numbers(w, "sample_weight")
    # Weights of up to 4 bytes cannot sum to 2**63 in fewer than 2**31 samples.
    wide = keep_integer and w.dtype.kind in "iu" and (w.dtype.itemsize > 4 or n_samples >= 2**31)
    if keep_integer and w.dtype.kind in "iub":
        w = as_exact_int64(w)
    else:
        w = as_native(w, np.float64)
    valid, nonzero = _labels.scan_weights(w)
    if not valid and w.dtype.kind == "f" and not np.isfinite(w).all():
        raise_non_finite(w, "sample_weight")
    if not valid and w.min() < 0:  # not only -0.0, which the scan flags too
        raise ValueError(
            "sample_weight contains negative values; weights are counts and "
            "must be >= 0 (scikit-learn accepts negative weights, cymetrics "
            "refuses them)."
        )
    if w.size and not allow_zero_total and not nonzero:
        raise ValueError("Sample weights must contain at least one non-zero number.")
    if wide:
        check_int64_total(w)
    if any_scale and w.dtype.kind == "f":
        w = scale_free(w)
    return w


INT64_MAX = 2**63 - 1


def as_exact_int64(a, name="sample_weight"):
    """Integer or boolean ``a`` as native int64, refusing values int64 cannot hold."""
    if a.dtype.kind == "u" and a.dtype.itemsize == 8 and a.size and int(a.max()) > INT64_MAX:
        raise _int64_overflow(name, "a value is")
    return as_native(a, np.int64)


def check_int64_total(a, name="sample_weight"):
    """Raise ValueError unless the non-negative int64 ``a`` sums below 2**63.

    Integer weights (and the counts of a confusion matrix) are summed exactly
    in int64, as scikit-learn sums them, and every count derived from them is
    a partial sum of ``a``: a total that fits means no count can wrap. One
    ``max`` pass (callers skip the check for values of up to 4 bytes, which
    cannot reach 2**63 in fewer than 2**31 of them), and an exact sum only
    when ``max(a) * a.size`` reaches 2**63.
    """
    a = a.reshape(-1)
    n = a.shape[0]
    if n == 0 or int(a.max()) * n <= INT64_MAX:
        return
    # Exact: split each value into 32-bit halves (each half-sum fits in
    # 64 bits for any array that fits in memory).
    high = int(np.sum(a >> 32, dtype=np.uint64))
    low = int(np.sum(a & 0xFFFFFFFF, dtype=np.uint64))
    if (high << 32) + low > INT64_MAX:
        raise _int64_overflow(name, "the values sum to")


def _int64_overflow(name, what):
    return ValueError(
        f"Integer overflow in {name}: {what} 2**63 or more, beyond exact int64 "
        "counts. Pass floats (summed in float64, rounded) or smaller integers."
    )


def scale_free(*arrays):
    """float64 ``arrays`` times one power of two that brings their largest
    magnitude to [0.5, 1), if it lies beyond 2**-128 .. 2**128 (else as they are).

    For results invariant to the scale of the weights (ratios of products of
    weighted counts, AUCs over products of weights): the products of up to
    four weighted totals then stay inside float64's range where extreme
    weights (beyond about 1e+-38) would overflow to inf or underflow to 0. A
    power of two is exact and commutes with every rounding, so the result is
    the same bits as with the weights as they are, whenever those fit.
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    # max and -min: two reduction passes, without abs()'s temporary array.
    top = max((max(float(a.max()), -float(a.min())) for a in arrays if a.size), default=0.0)
    if top == 0 or not math.isfinite(top) or 2.0**-128 <= top <= 2.0**128:
        return arrays if len(arrays) > 1 else arrays[0]
    shift = -math.frexp(top)[1]
    scaled = [np.ldexp(a, shift) for a in arrays]
    return scaled if len(scaled) > 1 else scaled[0]


def as_numbers(a, name):
    """``a`` if its dtype holds numbers, else its float64 values (objects
    holding numbers); `InputTypeError` for anything else, strings of digits
    included."""
    if a.dtype.kind in "biuf":
        return a
    if a.dtype.kind in "USV" or (a.dtype.kind == "O" and any(
            isinstance(v, (str, bytes)) for v in a.flat)):
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
    if isinstance(y, str) or y is None or np.isscalar(y) or not is_array_like(y):
        raise InputTypeError(f"Expected an array-like {name}, got {y!r}")
    refuse_sparse(y, name)
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
