"""Probabilistic losses and scores: log loss, Brier score, their D^2 skill
scores, and the hinge loss. Drop-ins for ``sklearn.metrics``.

Each loss is one kernel pass over the predictions that also gathers what
validation needs (range, finiteness, rows not summing to one); the true class
is read through its code, so no one-hot matrix is built. Probabilities are
clipped to ``[eps, 1 - eps]`` of their own dtype as scikit-learn does, but
logs and sums are computed in float64 (compensated): float32 input gives a
more accurate value than scikit-learn's float32 arithmetic, float64 input the
same value to rounding.
"""

import math
from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._kernels import _losses
from cymetrics._shared._labels import (
    binary_target,
    check_labels_1d,
    check_labels_2d,
    encode_labels,
    resolve_pos_label,
    target_type,
)
from cymetrics._shared._parallel import in_halves
from cymetrics._shared._params import (
    check_array_like,
    check_array_likes,
    check_bool,
    check_pos_label,
)
from cymetrics._shared._validation import (
    check_consistent_length,
    check_sample_weight,
    num_samples,
    prediction_array,
    raise_non_finite,
    sized,
)
from cymetrics._shared._warnings import warn

__all__ = [
    "LossSums",
    "binary_proba_target",
    "brier_pos_label",
    "brier_score_loss",
    "codes_proba_target",
    "d2_brier_score",
    "d2_brier_from_sums",
    "d2_log_loss_from_sums",
    "d2_log_loss_score",
    "given_classes",
    "hinge_loss",
    "log_loss",
    "loss_sums",
    "renamed_y_pred",
    "warn_unnormalized",
]

_NO_WEIGHTS = np.empty(0, dtype=np.float64)
_NO_CODES = np.empty(0, dtype=np.intp)
_NO_INDICATOR = np.empty((0, 0), dtype=np.uint8)


def _check_proba_params(func, y_true, y_proba):
    """The array-like checks of ``y_true`` and ``y_proba`` (None while the
    deprecated ``y_pred`` is in use: scikit-learn hides that option)."""
    check_array_likes(func, y_true=y_true)
    if y_proba is not None:
        check_array_likes(func, y_proba=y_proba)


def renamed_y_pred(y_proba, y_pred, func):
    """The 1.9 deprecation of ``y_pred`` in favour of ``y_proba``."""
    if isinstance(y_pred, str) and y_pred == "deprecated":
        return y_proba
    if not isinstance(y_pred, str):
        check_array_like("y_pred", y_pred, func, extra=" or an instance of 'str'")
    if y_proba is not None:
        raise ValueError(
            "Cannot use both `y_pred` and `y_proba`. `y_pred` is deprecated, use "
            "`y_proba` instead."
        )
    warn(
        "`y_pred` was renamed to `y_proba` in version 1.9 and will be removed in "
        "1.11. Use `y_proba` instead.",
        FutureWarning,
    )
    return y_pred


# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------
class _Target(NamedTuple):
    """True classes of a probability matrix: a positive mask (binary 1-D
    probabilities), class codes, or a multilabel indicator."""

    kind: str  # "binary", "codes" or "indicator"
    n_classes: int
    is_pos: np.ndarray | None = None
    codes: np.ndarray | None = None
    indicator: np.ndarray | None = None
    classes: np.ndarray | None = None  # for messages

    def class_weights(self, weights, n):
        """Total weight per class (column of the binarized target)."""
        w = np.ones(n) if weights is None else weights
        if self.kind == "binary":
            if weights is None:
                pos = float(np.count_nonzero(self.is_pos))
                return np.array([n - pos, pos])
            # Each class summed on its own: ``total - pos`` would leave a
            # class without weight a rounding residue (-1e-15), not 0.
            is_pos = self.is_pos.view(bool)
            return np.array([float(np.dot(~is_pos, w)), float(np.dot(is_pos, w))])
        if self.kind == "codes":
            if weights is None:
                return np.bincount(self.codes, minlength=self.n_classes).astype(np.float64)
            return np.bincount(self.codes, weights=weights, minlength=self.n_classes)
        return w @ self.indicator


def _binarized_target(y_true, labels):
    """scikit-learn's ``LabelBinarizer`` view of ``y_true`` (with ``labels``)."""
    if _is_2d(y_true):
        y = check_labels_2d(y_true, "y_true")
        if target_type(y, "y_true") != "multilabel-indicator":
            raise ValueError("Multioutput target data is not supported with label binarization")
        if labels is not None:
            raise ValueError("The object was not fitted with multilabel input.")
        indicator = np.ascontiguousarray(y != 0).view(np.uint8)
        return _Target("indicator", y.shape[1], indicator=indicator,
                       classes=np.arange(y.shape[1]))
    y = check_labels_1d(y_true, "y_true")
    if y.shape[0] == 0:
        raise ValueError(f"y has 0 samples: {y!r}")
    if target_type(y, "y_true") == "continuous":
        raise ValueError("Unknown label type: continuous")
    if labels is None:
        encoded = encode_labels(y)
        if encoded.classes.shape[0] == 1:
            raise ValueError(
                f"y_true contains only one label ({encoded.classes[0]}). Please provide "
                "the list of all expected class labels explicitly through the labels "
                "argument."
            )
    else:
        classes = given_classes(labels)
        encoded = encode_labels(y, classes, unknown=lambda: _unknown_labels(y_true, labels))
    return _Target("codes", encoded.classes.shape[0], codes=encoded.codes,
                   classes=encoded.classes)


def given_classes(labels):
    """The sorted classes of a ``labels`` argument (``LabelBinarizer.fit``),
    warning when they were not given sorted."""
    given = check_labels_1d(labels, "labels")
    classes = np.unique(given)
    if classes.shape[0] == 1:
        raise ValueError(f"The labels array needs to contain at least two labels, got {classes}.")
    if classes.shape[0] != given.shape[0]:
        raise ValueError(f"labels must be unique, got {given}.")
    if not np.array_equal(classes, given):
        warn(
            f"Labels passed were {labels}. But this function assumes labels are ordered "
            f"lexicographically. Pass the ordered labels={classes.tolist()} and ensure "
            "that the columns of y_prob correspond to this ordering.",
            UserWarning,
        )
    return classes


def _unknown_labels(y_true, labels):
    """scikit-learn's message, which shows the set of undeclared labels."""
    try:
        undeclared = set(y_true) - set(labels)
    except TypeError:  # a column vector: its rows are not hashable
        undeclared = set(np.asarray(y_true).ravel()) - set(labels)
    return f"y_true contains values {undeclared} not belonging to the passed labels {labels}."


def _binary_brier_target(y_true, pos_label):
    """scikit-learn's ``_validate_binary_probabilistic_prediction`` target."""
    target = binary_target(y_true)
    if target.y_type != "binary":
        raise ValueError(
            f"The type of the target inferred from y_true is {target.y_type} but should "
            "be binary according to the shape of y_prob."
        )
    pos_label = brier_pos_label(target.classes, pos_label)
    is_pos = np.ascontiguousarray(target.equals(pos_label)).view(np.uint8)
    return _Target("binary", 2, is_pos=is_pos)


def brier_pos_label(classes, pos_label):
    """The positive class of 1-D Brier input whose sorted labels are ``classes``:
    ``pos_label``, else 1 for {0, 1} or {-1, 1} labels, else the greater
    number (strings need ``pos_label``)."""
    if pos_label is not None:
        return pos_label
    if classes.dtype.kind in "OUS":
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: "
            "either make y_true take value in {0, 1} or {-1, 1} or pass pos_label "
            "explicitly."
        )
    if classes.tolist() in ([0, 1], [-1, 1], [0], [-1], [1]):
        return 1
    # Numeric labels: the greater one, for backward compatibility.
    return classes[-1]


# ---------------------------------------------------------------------------
# One pass over the predictions
# ---------------------------------------------------------------------------
def _clip_bounds(dtype):
    eps = np.finfo(dtype).eps
    return float(eps), float(dtype.type(1) - eps), eps


# Clipped probabilities per np.log call (128 kB of float64: in L2).
_LOG_BLOCK = 16384


def _binary_log_loss(proba, is_pos, weights, lo, hi):
    """`_losses.binary_loss`'s log loss with numpy's vectorized log: the
    kernel clips a block of probabilities into a buffer, ``np.log`` takes
    their logs in place (several times faster than the C library's scalar
    log), numpy sums them, and the block sums are added exactly (fsum).

    Long input is cut in two at a block boundary and the halves run on two
    threads (the kernel and numpy's log release the GIL): the blocks, hence
    every block sum, are the same as on one thread, and fsum does not
    depend on the order of its terms, so the result is identical."""
    parts = in_halves(lambda a, b: _log_blocks(proba, is_pos, weights, lo, hi, a, b),
                      proba.shape[0], _LOG_BLOCK)
    return (-math.fsum(s for part in parts for s in part[0]), min(p[1] for p in parts),
            max(p[2] for p in parts), all(p[3] for p in parts))


def _log_blocks(proba, is_pos, weights, lo, hi, start, stop):
    """The block sums of ``log(clip(p))`` over samples ``[start, stop)``,
    and their smallest and largest probability and finiteness."""
    buf = np.empty(_LOG_BLOCK)
    sums, smallest, largest, finite = [], math.inf, -math.inf, True
    proba, is_pos = proba[:stop], is_pos[:stop]
    while start < stop:
        m, block_lo, block_hi, block_finite = _losses.binary_clipped(
            proba, is_pos, 1, lo, hi, start, buf)
        block = np.log(buf[:m], out=buf[:m])
        if weights is not None:
            np.multiply(block, weights[start:start + m], out=block)
        sums.append(float(block.sum()))
        smallest, largest = min(smallest, block_lo), max(largest, block_hi)
        finite = finite and block_finite
        start += m
    return sums, smallest, largest, finite


def _scan(metric, target, proba, source_dtype, weights):
    """Run the kernel; return ``(loss_sum, smallest, largest, finite, bad_rows)``."""
    lo, hi, eps = _clip_bounds(source_dtype)
    w = _NO_WEIGHTS if weights is None else weights
    if target.kind == "binary" and proba.ndim == 1:
        if metric == _losses.LOG_LOSS and proba.shape[0] >= 2 * _LOG_BLOCK:
            return (*_binary_log_loss(proba, target.is_pos, weights, lo, hi), 0)
        loss, smallest, largest, finite = _losses.binary_loss(
            proba, target.is_pos, 1, w, metric, lo, hi
        )
        return loss, smallest, largest, finite, 0
    if proba.ndim == 1:
        # A column of positive-class probabilities for a two-column target.
        proba = np.ascontiguousarray(np.stack([1 - proba, proba], axis=1))
    codes = target.codes if target.kind == "codes" else _NO_CODES
    indicator = target.indicator if target.kind == "indicator" else _NO_INDICATOR
    return _losses.matrix_loss(
        proba, codes, indicator, target.kind != "indicator", w, metric, lo, hi,
        1e-8 + float(np.sqrt(eps)),
    )


class LossSums(NamedTuple):
    """One batch's log-loss and Brier sums: what a streaming state adds up."""

    log_loss: float  # weighted sum of -log(clip(p of the true class))
    brier: float  # weighted sum of the squared errors over every column
    class_weights: np.ndarray  # total weight of each class (column)
    total: float  # total weight
    bad_rows: int  # rows whose probabilities do not sum to one


def binary_proba_target(y_true, classes=None, pos_label=None):
    """The target of 1-D probabilities: of ``classes[1]`` when the two
    sorted ``classes`` are given, else of ``pos_label`` (``y_true`` binary),
    else of 1, with ``y_true`` in {0, 1} or {-1, 1} (scikit-learn's message
    otherwise)."""
    if classes is not None:
        return _binary_log_target(y_true, classes)
    target = binary_target(y_true)
    if target.y_type != "binary":
        raise ValueError(f"{target.y_type} format is not supported")
    pos_label = resolve_pos_label(target, pos_label)
    return _Target("binary", 2,
                   is_pos=np.ascontiguousarray(target.equals(pos_label)).view(np.uint8))


def codes_proba_target(y_true, classes):
    """The target of a probability matrix whose columns are the sorted ``classes``."""
    return _binarized_target(y_true, classes)


def loss_sums(target, proba, source_dtype, weights):
    """The log-loss and Brier sums of one validated batch (ranges checked)."""
    log_sum, smallest, largest, finite, bad_rows = _scan(
        _losses.LOG_LOSS, target, proba, source_dtype, weights
    )
    _raise_out_of_range(proba, finite, smallest, largest, "lower")
    brier_sum = _scan(_losses.BRIER, target, proba, source_dtype, weights)[0]
    n = proba.shape[0]
    return LossSums(float(log_sum), float(brier_sum), target.class_weights(weights, n),
                    _total_weight(weights, n), int(bad_rows))


def d2_log_loss_from_sums(loss, class_weights, total):
    """``1 - loss / null loss``, the null model predicting the class frequencies."""
    lo, hi, _ = _clip_bounds(np.dtype(np.float64))
    prior = np.clip(class_weights / total, lo, hi)
    null_loss = -np.dot(class_weights, np.log(prior))
    return float(1 - np.float64(loss) / np.float64(null_loss))


def d2_brier_from_sums(loss, class_weights, total, null=None):
    """``1 - brier / null brier``, the null model predicting the class frequencies.

    ``null``: the null model's Brier sum when the data are at hand, found by
    the kernel of ``loss`` (`d2_brier_score`), so that a model predicting the
    class frequencies scores exactly 0, as in scikit-learn; else it follows
    from the class weights.
    """
    if null is None:
        prior = class_weights / total
        # Each row's null error, summed by class: rows with the label pay
        # (1 - prior)**2 on its column, the others prior**2.
        null = np.dot(class_weights, (1 - prior) ** 2) + np.dot(total - class_weights,
                                                                prior**2)
    # numpy division: a zero null score gives -inf or nan with a RuntimeWarning,
    # as in scikit-learn.
    return float(1 - np.float64(loss / total) / np.float64(null / total))


def _raise_out_of_range(proba, finite, smallest, largest, lower_word):
    if not finite:
        raise_non_finite(proba)
    if largest > 1:
        raise ValueError(f"y_prob contains values greater than 1: {largest}")
    if smallest < 0:
        raise ValueError(f"y_prob contains values {lower_word} than 0: {smallest}")


def _probabilistic_inputs(y_true, y_proba, sample_weight, labels):
    """scikit-learn's ``_validate_multiclass_probabilistic_prediction``.

    Returns ``(target, proba, source_dtype, weights)``.
    """
    proba, source = prediction_array(y_proba, "y_proba")
    n = proba.shape[0]
    check_consistent_length(proba, y_true, sample_weight)
    weights = check_sample_weight(sample_weight, n, any_scale=True)
    if proba.ndim == 2 and proba.shape[1] == 1:
        proba = proba[:, 0]
    binary_fast = (
        proba.ndim == 1 and not _is_2d(y_true)
        and (labels is None or len(labels) == 2)
    )
    if binary_fast:
        target = _binary_log_target(y_true, labels)
    else:
        target = _binarized_target(y_true, labels)
    _check_width(target, 2 if proba.ndim == 1 else proba.shape[1], labels)
    return target, proba, source, weights


def _check_width(target, n_columns, labels):
    if target.n_classes == n_columns:
        return
    if labels is None:
        raise ValueError(
            f"y_true and y_prob contain different number of classes: {target.n_classes} "
            f"vs {n_columns}. Please provide the true labels explicitly through the "
            f"labels argument. Classes found in y_true: {target.classes}"
        )
    raise ValueError("The number of classes in labels is different from that in y_prob. "
                     f"Classes found in labels: {target.classes}")


def _binary_log_target(y_true, labels):
    """The two-class target of 1-D probabilities from one scan of ``y_true``."""
    target = binary_target(y_true)
    if target.y.shape[0] == 0:
        raise ValueError("y has 0 samples")
    if target.y_type not in ("binary", "multiclass"):
        if target.y_type == "continuous":
            raise ValueError("Unknown label type: continuous")
        raise ValueError(f"{target.y_type} format is not supported")
    if labels is None:
        if target.y_type == "multiclass":
            # More than two classes for two columns: refused by the caller.
            classes = np.unique(target.y)
            return _Target("codes", classes.shape[0], classes=classes)
        classes = target.classes
        if classes.shape[0] == 1:
            raise ValueError(
                f"y_true contains only one label ({classes[0]}). Please provide the list "
                "of all expected class labels explicitly through the labels argument."
            )
    else:
        classes = given_classes(labels)
        present = target.classes if target.y_type == "binary" else np.unique(target.y)
        if (present.dtype.kind == "U") != (classes.dtype.kind == "U") or not np.isin(
            present, classes
        ).all():
            raise ValueError(_unknown_labels(y_true, labels))
    is_pos = np.ascontiguousarray(target.equals(classes[1])).view(np.uint8)
    return _Target("binary", 2, is_pos=is_pos)


def _is_2d(y):
    """A 2-D target with several columns (multilabel or multioutput)."""
    if isinstance(y, str):
        return False
    try:
        a = np.asarray(y)
    except ValueError:  # ragged
        return False
    return a.ndim == 2 and a.shape[1] > 1



def warn_unnormalized(bad_rows):
    if bad_rows:
        warn(
            "The y_prob values do not sum to one. Make sure to pass probabilities.",
            UserWarning,
        )


def _total_weight(weights, n):
    return float(n) if weights is None else float(weights.sum())


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------
def _log_loss_terms(y_true, y_proba, sample_weight, labels):
    target, proba, source, weights = _probabilistic_inputs(
        y_true, y_proba, sample_weight, labels
    )
    loss, smallest, largest, finite, bad_rows = _scan(
        _losses.LOG_LOSS, target, proba, source, weights
    )
    _raise_out_of_range(proba, finite, smallest, largest, "lower")
    warn_unnormalized(bad_rows)
    return loss, target, proba.shape[0], weights


def log_loss(y_true, y_proba=None, *, normalize=True, sample_weight=None, labels=None,
             y_pred="deprecated"):
    r"""Log loss (cross-entropy) of predicted probabilities.

    ``-sum_i w_i sum_k t_ik log(p_ik)``, averaged by default. Probabilities
    are clipped to ``[eps, 1 - eps]`` with ``eps`` of their dtype. Rows that do
    not sum to one give a `UserWarning` (they are not renormalised).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        True labels, or a multilabel indicator matrix.
    y_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Predicted probabilities, columns in the order of the sorted labels;
        1-D input is the probability of the greater label.
    normalize : bool, default=True
        Return the mean loss per sample (else the sum).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    labels : array-like, default=None
        All the classes, when ``y_true`` does not contain them all.
    y_pred : array-like
        Deprecated alias of ``y_proba`` (scikit-learn 1.9).

    Returns
    -------
    float
        The log loss.

    Examples
    --------
    >>> from cymetrics import log_loss
    >>> round(log_loss(["spam", "ham", "ham", "spam"],
    ...                [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 6)
    0.216162
    """
    _check_proba_params("log_loss", y_true, y_proba)
    check_bool("normalize", normalize, "log_loss")
    check_array_likes("log_loss", sample_weight=sample_weight, labels=labels)
    y_proba = renamed_y_pred(y_proba, y_pred, "log_loss")
    loss, _, n, weights = _log_loss_terms(y_true, y_proba, sample_weight, labels)
    if not normalize:
        return float(loss)
    return float(loss / _total_weight(weights, n))


def d2_log_loss_score(y_true, y_proba=None, *, sample_weight=None, labels=None,
                      y_pred="deprecated"):
    """D^2 score for the log loss: the fraction of log loss explained.

    ``1 - log_loss(model) / log_loss(null)``, the null model predicting the
    (weighted) class frequencies of ``y_true``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        True labels.
    y_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Predicted probabilities.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    labels : array-like, default=None
        All the classes, when ``y_true`` does not contain them all.
    y_pred : array-like
        Deprecated alias of ``y_proba`` (scikit-learn 1.9).

    Returns
    -------
    float
        The D^2 score (``nan`` with an `UndefinedMetricWarning` for fewer
        than two samples).

    Examples
    --------
    >>> from cymetrics import d2_log_loss_score
    >>> round(d2_log_loss_score([0, 1, 1, 0], [0.1, 0.8, 0.7, 0.3]), 6)
    0.624231
    """
    _check_proba_params("d2_log_loss_score", y_true, y_proba)
    check_array_likes("d2_log_loss_score", sample_weight=sample_weight, labels=labels)
    y_proba = renamed_y_pred(y_proba, y_pred, "d2_log_loss_score")
    if _too_few_samples(y_true, y_proba, sample_weight):
        return float("nan")
    loss, target, n, weights = _log_loss_terms(y_true, y_proba, sample_weight, labels)
    class_weights = target.class_weights(weights, n)
    total = class_weights.sum() if target.kind != "indicator" else _total_weight(weights, n)
    return d2_log_loss_from_sums(loss, class_weights, total)


def _too_few_samples(y_true, y_proba, sample_weight):
    check_consistent_length(y_proba, y_true, sample_weight)
    if sized(y_proba) is not None and num_samples(y_proba) < 2:
        warn(
            "D^2 score is not well-defined with less than two samples.",
            UndefinedMetricWarning,
        )
        return True
    return False


def _brier_terms(y_true, y_proba, sample_weight, pos_label, labels):
    """Weighted sum of the squared errors and everything needed around it."""
    proba, source = prediction_array(y_proba, "y_proba")
    if proba.ndim == 1 or proba.shape[1] == 1:
        proba = proba.reshape(-1)
        check_consistent_length(proba, y_true, sample_weight)
        weights = check_sample_weight(sample_weight, proba.shape[0], any_scale=True)
        target = _binary_brier_target(y_true, pos_label)
        lower_word = "less"
    else:
        check_consistent_length(proba, y_true, sample_weight)
        weights = check_sample_weight(sample_weight, proba.shape[0], any_scale=True)
        target = _binarized_target(y_true, labels)
        _check_width(target, proba.shape[1], labels)
        lower_word = "lower"
    loss, smallest, largest, finite, bad_rows = _scan(
        _losses.BRIER, target, proba, source, weights
    )
    _raise_out_of_range(proba, finite, smallest, largest, lower_word)
    warn_unnormalized(bad_rows)
    return loss, target, proba, weights


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None,
                     scale_by_half="auto"):
    r"""Brier score: mean squared difference between probabilities and outcomes.

    ``mean_i sum_k (t_ik - p_ik)**2``, halved by default for binary input so
    that it lies in [0, 1].

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probability of the positive class (1-D), or of every class in the
        order of the sorted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    pos_label : int, float, bool or str, default=None
        The positive class of 1-D input; ``None`` means 1 for {0, 1} or
        {-1, 1} labels and the greater label for other numbers.
    labels : array-like, default=None
        All the classes of 2-D input, when ``y_true`` does not contain them all.
    scale_by_half : bool or 'auto', default='auto'
        Halve the score; 'auto' halves it for fewer than three columns.

    Returns
    -------
    float
        The Brier score.

    Examples
    --------
    >>> from cymetrics import brier_score_loss
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 6)
    0.0375
    """
    check_array_likes("brier_score_loss", y_true=y_true, y_proba=y_proba,
                      sample_weight=sample_weight)
    check_pos_label(pos_label, "brier_score_loss")
    check_array_likes("brier_score_loss", labels=labels)
    if not (isinstance(scale_by_half, str) and scale_by_half == "auto"):
        check_bool("scale_by_half", scale_by_half, "brier_score_loss",
                   extra=" or a str among {'auto'}")
    loss, _, proba, weights = _brier_terms(y_true, y_proba, sample_weight, pos_label, labels)
    score = loss / _total_weight(weights, proba.shape[0])
    if isinstance(scale_by_half, str):
        scale_by_half = proba.ndim == 1 or proba.shape[1] < 3
    return float(score * 0.5 if scale_by_half else score)


def d2_brier_score(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None):
    """D^2 score for the Brier score: the fraction of Brier score explained.

    ``1 - brier(model) / brier(null)``, the null model predicting the
    (weighted) class frequencies of ``y_true``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted probabilities (see `brier_score_loss`).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    pos_label : int, float, bool or str, default=None
        The positive class of 1-D input.
    labels : array-like, default=None
        All the classes of 2-D input.

    Returns
    -------
    float
        The D^2 score (``nan`` with an `UndefinedMetricWarning` for fewer
        than two samples).

    Examples
    --------
    >>> from cymetrics import d2_brier_score
    >>> round(d2_brier_score([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 6)
    0.85
    """
    check_array_likes("d2_brier_score", y_true=y_true, y_proba=y_proba,
                      sample_weight=sample_weight)
    check_pos_label(pos_label, "d2_brier_score")
    check_array_likes("d2_brier_score", labels=labels)
    if _too_few_samples(y_true, y_proba, sample_weight):
        return float("nan")
    loss, target, proba, weights = _brier_terms(
        y_true, y_proba, sample_weight, pos_label, labels
    )
    n = proba.shape[0]
    total = _total_weight(weights, n)
    class_weights = target.class_weights(weights, n)
    # A class without weight has a prior of exactly 0 (and the other of 1).
    prior = class_weights / (class_weights.sum() if target.kind != "indicator" else total)
    # The null model's error by the same kernel, on the prior repeated.
    null_proba = np.full(n, prior[1]) if proba.ndim == 1 else np.tile(prior, (n, 1))
    null = _scan(_losses.BRIER, target, null_proba, null_proba.dtype, weights)[0]
    return d2_brier_from_sums(loss, class_weights, total, null)


def hinge_loss(y_true, pred_decision, *, labels=None, sample_weight=None):
    """Average hinge loss of decision values (non-regularized).

    Binary: ``max(0, 1 - y d)`` with ``y`` = +1 for the greater label, -1
    otherwise. Multiclass (Crammer-Singer): ``max(0, 1 - (d_y - max_{k != y}
    d_k))``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    pred_decision : array-like of shape (n_samples,) or (n_samples, n_classes)
        Decision values; one column per sorted class for multiclass targets.
    labels : array-like, default=None
        All the classes of a multiclass problem.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    float
        The average hinge loss.

    Examples
    --------
    >>> from cymetrics import hinge_loss
    >>> round(hinge_loss([-1, 1, 1], [-2.18, 2.36, 0.09]), 6)
    0.303333
    """
    check_array_likes("hinge_loss", y_true=y_true, pred_decision=pred_decision, labels=labels,
                      sample_weight=sample_weight)
    check_consistent_length(y_true, pred_decision, sample_weight)
    decision, _ = prediction_array(pred_decision, "pred_decision")
    y = check_labels_1d(y_true, "y_true")
    weights = check_sample_weight(sample_weight, y.shape[0], any_scale=True)
    w = _NO_WEIGHTS if weights is None else weights
    classes = np.unique(check_labels_1d(labels, "labels") if labels is not None else y)
    if classes.shape[0] > 2:
        if decision.ndim <= 1:
            raise ValueError(
                "The shape of pred_decision cannot be 1d arraywith a multiclass target. "
                "pred_decision shape must be (n_samples, n_classes), that is "
                f"({y.shape[0]}, {classes.shape[0]}). Got: {decision.shape}"
            )
        if classes.shape[0] != decision.shape[1]:
            if labels is None:
                raise ValueError(
                    "Please include all labels in y_true or pass labels as third argument"
                )
            raise ValueError(
                "The shape of pred_decision is not consistent with the number of classes. "
                "With a multiclass target, pred_decision shape must be (n_samples, "
                f"n_classes), that is ({y.shape[0]}, {classes.shape[0]}). "
                f"Got: {decision.shape}"
            )
        encoded = encode_labels(y, classes, unknown="y contains previously unseen labels")
        loss, finite = _losses.multiclass_hinge(decision, encoded.codes, w)
    else:
        if decision.ndim == 2 and decision.shape[1] != 1:
            raise ValueError(
                f"y should be a 1d array, got an array of shape {decision.shape} instead."
            )
        decision = decision.reshape(-1)
        present = np.unique(y)
        # LabelBinarizer(neg_label=-1) fitted on y_true, first column.
        if present.shape[0] == 1:
            is_pos = np.zeros(y.shape[0], dtype=np.uint8)
        else:
            positive = present[1] if present.shape[0] == 2 else present[0]
            is_pos = np.ascontiguousarray(y == positive).view(np.uint8)
        loss, finite = _losses.binary_hinge(decision, is_pos, 1, w)
    if not finite:
        raise_non_finite(decision)
    return float(loss / _total_weight(weights, y.shape[0]))
