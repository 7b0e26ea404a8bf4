"""Confusion-derived classification metrics: drop-ins for ``sklearn.metrics``.

Each metric has one core (``_f1``, ``_mcc``...) that checks its parameters,
asks its source for counts and derives its value from them in O(K) (O(K^2)
for Cohen's kappa). The public functions hand the cores `Targets`, whose
counts come from one pass over the labels (`count_targets`);
`cymetrics.from_confusion` hands them a precomputed confusion matrix.
"""

import math
import numbers

import numpy as np

from cymetrics._classification._averaging import (
    RATIOS,
    average_scores,
    average_weights,
    fbeta_ratio,
    ratio_scores,
)
from cymetrics._classification._confusion import (
    labelled_matrix,
    warn_single_label,
)
from cymetrics._classification._counts import MULTILABEL, Targets, label_counts
from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._shared._params import (
    check_array_likes,
    check_average,
    check_bool,
    check_int,
    check_option,
    check_pos_label,
    check_real,
    check_zero_division,
    invalid,
)
from cymetrics._shared._validation import scale_free
from cymetrics._shared._warnings import warn

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "class_likelihood_ratios",
    "classification_report",
    "cohen_kappa_score",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "hamming_loss",
    "jaccard_score",
    "matthews_corrcoef",
    "multilabel_confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "zero_one_loss",
]


# ---------------------------------------------------------------------------
# Parameter checks (scikit-learn's validate_params errors)
# ---------------------------------------------------------------------------
# The functions whose targets scikit-learn refuses as sparse matrices.
_DENSE_TARGETS = frozenset(
    ["balanced_accuracy_score", "cohen_kappa_score", "confusion_matrix", "matthews_corrcoef"])


def _check_warn_for(warn_for, func):
    if isinstance(warn_for, (list, tuple, set)):
        return warn_for
    raise invalid("warn_for", func, "an instance of 'list', an instance of 'tuple' or an "
                  "instance of 'set'", warn_for)


def check_beta(beta, func):
    return check_real("beta", beta, func, 0.0, np.inf)


# ---------------------------------------------------------------------------
# Shared cores over `Counts`
# ---------------------------------------------------------------------------
def set_wise_labels(counts, average, labels, pos_label):
    """The labels scored under ``average`` (scikit-learn's pos_label rules)."""
    if average == "binary":
        if counts.y_type == "binary":
            present = counts.classes
            if not _contains(present, pos_label) and present.shape[0] >= 2:
                raise ValueError(
                    f"pos_label={pos_label} is not a valid label. It should be one "
                    f"of {present}"
                )
            return [pos_label]
        options = [None, "micro", "macro", "weighted", "samples"]
        if counts.y_type == "multiclass":
            options.remove("samples")
        raise ValueError(
            f"Target is {counts.y_type} but average='binary'. Please choose another "
            f"average setting, one of {options!r}."
        )
    if not (pos_label is None or _equals_one(pos_label)):
        warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != "
            f"'binary' (got {average!r}). You may use labels=[pos_label] to specify "
            "a single positive class.",
            UserWarning,
        )
    return labels


def _contains(classes, label):
    if isinstance(label, str) != (classes.dtype.kind == "U"):
        return False
    return label in classes.tolist()  # a binary target's classes: two at most


def _equals_one(value):
    return not isinstance(value, str) and value == 1


def ratio_from_counts(counts, ratio, *, labels=None, pos_label=1, average="binary",
                      zero_division="warn", nan_aware=True, warn_for=None):
    """One set-wise ratio (precision, recall, Jaccard, specificity...) from counts.

    Warns for a zero denominator when ``ratio.name`` is in ``warn_for``
    (by default: always, under ``zero_division='warn'``).
    """
    labels = set_wise_labels(counts, average, labels, pos_label)
    lc = label_counts(counts, labels, samplewise=average == "samples", clean_tn=ratio.uses_tn)
    values = ratio_scores(lc, ratio, average=average,
                          warn_for=(ratio.name,) if warn_for is None else warn_for,
                          zero_division=zero_division)
    weights = average_weights(lc, average, counts.weight)
    return average_scores(values, average, weights, nan_aware=nan_aware)


def prfs_from_counts(counts, *, beta=1.0, labels=None, pos_label=1, average=None,
                     warn_for=("precision", "recall", "f-score"), zero_division="warn"):
    """`precision_recall_fscore_support` from counts."""
    labels = set_wise_labels(counts, average, labels, pos_label)
    lc = label_counts(counts, labels, samplewise=average == "samples")
    kw = dict(average=average, warn_for=warn_for, zero_division=zero_division)
    precision = ratio_scores(lc, RATIOS["precision"], **kw)
    recall = ratio_scores(lc, RATIOS["recall"], **kw)
    if beta == math.inf:  # a checked real (np.isposinf costs ~4 us a call)
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        f_score = ratio_scores(lc, fbeta_ratio(beta), **kw)
    if average is None:
        return precision, recall, f_score, lc.support
    weights = average_weights(lc, average, counts.weight)
    return (
        average_scores(precision, average, weights),
        average_scores(recall, average, weights),
        average_scores(f_score, average, weights),
        None,
    )


def accuracy_from_counts(counts, normalize=True):
    if counts.exact is None:
        raise ValueError("Subset accuracy needs the samples, not a multilabel confusion matrix.")
    if normalize:
        return float(counts.exact / counts.total)
    return float(counts.exact)


def zero_one_from_counts(counts, normalize=True):
    score = accuracy_from_counts(counts, normalize)
    if normalize:
        return 1 - score
    return float(counts.total - score)


def hamming_from_counts(counts):
    if counts.y_type == MULTILABEL:
        if counts.weight is None:
            n_samples, mean_weight = counts.total, 1.0
        else:
            n_samples, mean_weight = counts.weight.shape[0], np.mean(counts.weight)
        return float(counts.differing / (n_samples * counts.n_classes * mean_weight))
    return float(counts.differing / counts.total)


def _require_1d(counts):
    if counts.y_type == MULTILABEL:
        raise ValueError(f"{counts.y_type} is not supported")


def balanced_accuracy_from_counts(counts, adjusted=False):
    _require_1d(counts)
    warn_single_label(counts.n_classes)
    true = np.asarray(counts.true, dtype=np.float64)
    seen = true != 0
    if not seen.all():
        warn("y_pred contains classes not in y_true", UserWarning)
    per_class = counts.tp[seen] / true[seen]
    score = float(np.mean(per_class))
    if adjusted:
        chance = 1 / per_class.shape[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            score = float(np.float64(score - chance) / np.float64(1 - chance))
    return score


def mcc_from_counts(counts):
    """Matthews correlation (Gorodkin's multiclass R_K) from per-class counts."""
    _require_1d(counts)
    warn_single_label(counts.n_classes)
    cov_ytyp, cov_ypyp, cov_ytyt = _mcc_covariances(counts)
    product = cov_ypyp * cov_ytyt
    if product == 0:
        return 0.0
    # Rounding alone may not push a correlation beyond [-1, 1].
    return min(1.0, max(-1.0, float(cov_ytyp / np.sqrt(product))))


def _mcc_covariances(counts):
    """scikit-learn's three covariance terms, as float64.

    Integer counts: computed exactly (Python ints), then rounded once. In
    float64 the squares cancel catastrophically beyond ~1e8 samples (a
    correlation of -1.0014 for counts near 6e17, found by fuzzing); below
    2**53 every term is exact either way, so results equal scikit-learn's.
    Float counts: scikit-learn's arithmetic on scale-free sums.
    """
    arrays = [np.asarray(a) for a in (counts.true, counts.pred, counts.tp)]
    if all(a.dtype.kind in "iu" for a in arrays):
        t_sum, p_sum, tp = (a.astype(object) for a in arrays)
        n_correct, n_samples = int(tp.sum()), int(p_sum.sum())
        exact = (n_correct * n_samples - int(np.dot(t_sum, p_sum)),
                 n_samples**2 - int(np.dot(p_sum, p_sum)),
                 n_samples**2 - int(np.dot(t_sum, t_sum)))
        return tuple(np.float64(c) for c in exact)
    t_sum, p_sum, tp = scale_free(*arrays)
    n_correct = np.sum(tp, dtype=np.float64)
    n_samples = p_sum.sum()
    return (n_correct * n_samples - np.dot(t_sum, p_sum),
            n_samples**2 - np.dot(p_sum, p_sum),
            n_samples**2 - np.dot(t_sum, t_sum))


def _matrix_of(counts, labels):
    if counts.confusion is None:
        raise ValueError(f"{counts.y_type} is not supported")
    return labelled_matrix(counts.confusion, labels)


def kappa_from_counts(counts, labels=None, weights=None, replace_undefined_by=np.nan):
    try:
        confusion = _matrix_of(counts, labels)
    except ValueError as e:
        if "At least one label specified must be in y_true" in str(e):
            raise ValueError(
                "At least one label in `labels` must be present in `y1` (even though "
                "`cohen_kappa_score` is otherwise agnostic to the order of `y1` and "
                "`y2`)."
            ) from e
        raise
    # scikit-learn's arithmetic, in its order (the sums round alike).
    confusion = scale_free(confusion)
    n_classes = confusion.shape[0]
    sum0, sum1 = confusion.sum(axis=0), confusion.sum(axis=1)
    denominator = sum0.sum()
    if denominator == 0:
        _warn_kappa(
            "`y2` contains no labels that are present in both `y1` and `labels`. "
            "`cohen_kappa_score` is undefined", replace_undefined_by,
        )
        return float(replace_undefined_by)
    expected = sum0[:, None] * sum1[None, :] / denominator
    if weights is None:
        w_mat = 1.0 - np.eye(n_classes)
    else:
        steps = np.arange(n_classes, dtype=np.float64)
        w_mat = steps[None, :] - steps[:, None]
        w_mat = np.abs(w_mat) if weights == "linear" else w_mat**2
    denominator = (w_mat * expected).sum()
    if denominator == 0:
        _warn_kappa(
            "`y1`, `y2` and `labels` have only one label in common. "
            "`cohen_kappa_score` is undefined", replace_undefined_by,
        )
        return float(replace_undefined_by)
    return float(1 - (w_mat * confusion).sum() / denominator)


def _warn_kappa(start, replace_undefined_by):
    warn(
        f"{start} and set to the value defined by the `replace_undefined_by` param, "
        f"which is set to {replace_undefined_by}.",
        UndefinedMetricWarning,
    )


def _check_lr_replacement(replace_undefined_by):
    """class_likelihood_ratios' ``replace_undefined_by`` as a dict, or None for NaN."""
    if not isinstance(replace_undefined_by, dict):
        if isinstance(replace_undefined_by, numbers.Real):
            if math.isnan(replace_undefined_by):
                return None
            if replace_undefined_by == 1.0:
                return {"LR+": 1.0, "LR-": 1.0}
        raise invalid(
            "replace_undefined_by", "class_likelihood_ratios",
            "a float among {1.0, nan} or an instance of 'dict'", replace_undefined_by,
        )
    lr_pos = replace_undefined_by.get("LR+")
    lr_neg = replace_undefined_by.get("LR-")
    # NaN passes: it fails every comparison.
    if not (isinstance(lr_pos, numbers.Real) and isinstance(lr_neg, numbers.Real)
            and not lr_pos < 1.0 and not lr_neg < 0.0 and not lr_neg > 1.0):
        raise ValueError(
            "The dictionary passed as `replace_undefined_by` needs to be in the form "
            "`{'LR+': `value_1`, 'LR-': `value_2`}` where the value for `LR+` ranges "
            "from `1.0` to `np.inf` or is `np.nan` and the value for `LR-` ranges from "
            f"`0.0` to `1.0` or is `np.nan`; got `{replace_undefined_by}`."
        )
    return replace_undefined_by


_LR_CONTROL = (
    "Use the `replace_undefined_by` param to control this behavior. To suppress this "
    "warning or turn it into an error, see Python's `warnings` module and "
    "`warnings.catch_warnings()`."
)


def likelihood_ratios_from_counts(counts, labels=None, replace_undefined_by=np.nan):
    if counts.y_type != "binary":
        raise ValueError(
            "class_likelihood_ratios only supports binary classification problems, "
            f"got targets of type: {counts.y_type}"
        )
    replacement = _check_lr_replacement(replace_undefined_by)
    cm = _matrix_of(counts, labels)
    if cm.shape != (2, 2):
        raise ValueError(
            "class_likelihood_ratios needs a 2 x 2 confusion matrix (pass both labels "
            f"as labels=[negative_class, positive_class]); got shape {cm.shape}."
        )
    tn, fp, fn, tp = (float(v) for v in scale_free(cm).ravel())
    support_pos, support_neg = tp + fn, tn + fp
    nan = float("nan")

    def undefined(message):
        warn(message, UndefinedMetricWarning)

    def ratio(num, denom):
        return num / denom if denom != 0 else nan

    if support_pos == 0:
        undefined(
            "No samples of the positive class are present in `y_true`. "
            "`positive_likelihood_ratio` and `negative_likelihood_ratio` are both set "
            f"to `np.nan`. {_LR_CONTROL}"
        )
    if fp == 0:
        if tp == 0:
            start = "No samples were predicted for the positive class and "
            start += "`positive_likelihood_ratio` is "
        else:
            start = "`positive_likelihood_ratio` is ill-defined and "
        undefined(f"{start}set to `np.nan`. {_LR_CONTROL}")
        lr_pos = nan if replacement is None else replacement["LR+"]
    else:
        lr_pos = ratio(tp * support_neg, fp * support_pos)
    if tn == 0:
        undefined(f"`negative_likelihood_ratio` is ill-defined and set to `np.nan`. {_LR_CONTROL}")
        lr_neg = nan if replacement is None else replacement["LR-"]
    else:
        lr_neg = ratio(fn * support_neg, tn * support_pos)
    return float(lr_pos), float(lr_neg)


def mcm_from_counts(counts, labels=None, samplewise=False):
    return label_counts(counts, labels, samplewise=samplewise).matrices()


def report_from_counts(counts, labels=None, target_names=None, digits=2,
                       output_dict=False, zero_division="warn"):
    labels_given = labels is not None
    labels = np.asarray(labels) if labels_given else counts.classes
    micro_is_accuracy = counts.y_type in ("multiclass", "binary") and (
        not labels_given or set(labels.tolist()) >= set(counts.classes.tolist())
    )
    if target_names is not None and len(labels) != len(target_names):
        if not labels_given:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of "
                f"target_names, {len(target_names)}. Try specifying the labels parameter"
            )
        warn(
            f"labels size, {len(labels)}, does not match size of target_names, "
            f"{len(target_names)}",
            UserWarning,
        )
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    headers = ["precision", "recall", "f1-score", "support"]
    # Without labels every class is reported: no label lookup needed.
    kw = dict(labels=labels if labels_given else None, zero_division=zero_division)
    p, r, f1, s = prfs_from_counts(counts, average=None, **kw)
    # Python numbers format faster than numpy scalars, and print the same.
    rows = list(zip(target_names, p.tolist(), r.tolist(), f1.tolist(), s.tolist()))
    averages = ("micro", "macro", "weighted")
    if counts.y_type == MULTILABEL and counts.samples is not None:
        averages += ("samples",)
    if output_dict:
        report = {row[0]: dict(zip(headers, [float(v) for v in row[1:]])) for row in rows}
    else:
        width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
        report = ("{:>{width}s} " + " {:>9}" * len(headers)).format("", *headers, width=width)
        report += "\n\n"
        row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        for row in rows:
            report += row_fmt.format(*row, width=width, digits=digits)
        report += "\n"
    for average in averages:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else average + " avg"
        avg_p, avg_r, avg_f1, _ = prfs_from_counts(counts, average=average, **kw)
        values = [avg_p, avg_r, avg_f1, np.sum(s)]
        if output_dict:
            report[heading] = dict(zip(headers, [float(v) for v in values]))
        elif heading == "accuracy":
            fmt = ("{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}"
                   + " {:>9}\n")
            report += fmt.format(heading, "", "", *values[2:], width=width, digits=digits)
        else:
            report += row_fmt.format(heading, *values, width=width, digits=digits)
    if output_dict and "accuracy" in report:
        report["accuracy"] = report["accuracy"]["precision"]
    return report


# ---------------------------------------------------------------------------
# Where the counts come from
# ---------------------------------------------------------------------------
def targets(func, y_true, y_pred, sample_weight, y_names=("y_true", "y_pred")):
    """`Targets` after scikit-learn's array-like parameter checks."""
    check_array_likes(func, () if func in _DENSE_TARGETS else y_names,
                      **{y_names[0]: y_true, y_names[1]: y_pred}, sample_weight=sample_weight)
    return Targets(y_true, y_pred, sample_weight)


# ---------------------------------------------------------------------------
# Metric cores: source -> value. Each checks its parameters first, as
# scikit-learn's validate_params does, then counts.
# ---------------------------------------------------------------------------
def accuracy_core(source, *, normalize=True):
    normalize = check_bool("normalize", normalize, "accuracy_score")
    return accuracy_from_counts(source.match_counts(), normalize)


def zero_one_core(source, *, normalize=True):
    normalize = check_bool("normalize", normalize, "zero_one_loss")
    return zero_one_from_counts(source.match_counts(), normalize)


def hamming_core(source):
    return hamming_from_counts(source.match_counts())


def balanced_accuracy_core(source, *, adjusted=False):
    adjusted = check_bool("adjusted", adjusted, "balanced_accuracy_score")
    return balanced_accuracy_from_counts(source.counts(cells=True), adjusted)


def mcc_core(source):
    return mcc_from_counts(source.counts(cells=True))


def kappa_core(source, *, labels=None, weights=None, replace_undefined_by=np.nan):
    func = "cohen_kappa_score"
    check_array_likes(func, labels=labels)
    check_option("weights", weights, ("linear", "quadratic", None), func)
    if not (isinstance(replace_undefined_by, numbers.Real) and math.isnan(replace_undefined_by)):
        check_real("replace_undefined_by", replace_undefined_by, func, -1.0, 1.0,
                   extra=" or numpy.nan")
    return kappa_from_counts(source.matrix_counts(), labels, weights, replace_undefined_by)


def likelihood_ratios_core(source, *, labels=None, replace_undefined_by=np.nan):
    check_array_likes("class_likelihood_ratios", labels=labels)
    _check_lr_replacement(replace_undefined_by)
    return likelihood_ratios_from_counts(source.matrix_counts(), labels, replace_undefined_by)


def mcm_core(source, *, labels=None, samplewise=False):
    func = "multilabel_confusion_matrix"
    check_array_likes(func, labels=labels)
    samplewise = check_bool("samplewise", samplewise, func)
    counts = source.counts(per_sample=samplewise, sample_labels=labels if samplewise else None)
    return mcm_from_counts(counts, labels, samplewise)


def jaccard_core(source, *, labels=None, pos_label=1, average="binary", zero_division="warn"):
    kw = dict(labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)
    counts = set_wise_counts("jaccard_score", source, allow_nan=False, **kw)
    return ratio_from_counts(counts, RATIOS["jaccard"], nan_aware=False, **kw)


def set_wise_counts(func, source, *, beta=1.0, labels, pos_label, average, zero_division,
                    allow_nan=True):
    """Check a set-wise metric's parameters, then count (per sample for 'samples')."""
    check_array_likes(func, labels=labels)
    check_pos_label(pos_label, func)
    check_average(average, func)
    check_zero_division(zero_division, func, allow_nan=allow_nan)
    check_beta(beta, func)
    if average == "samples":
        return source.counts(per_sample=True, sample_labels=labels)
    return source.counts()


def prfs_core(source, *, beta=1.0, labels=None, pos_label=1, average=None,
          warn_for=("precision", "recall", "f-score"), zero_division="warn"):
    func = "precision_recall_fscore_support"
    _check_warn_for(warn_for, func)
    counts = set_wise_counts(func, source, beta=beta, labels=labels, pos_label=pos_label,
                              average=average, zero_division=zero_division)
    return prfs_from_counts(counts, beta=beta, labels=labels, pos_label=pos_label,
                            average=average, warn_for=warn_for, zero_division=zero_division)


def precision_core(source, *, labels=None, pos_label=1, average="binary", zero_division="warn"):
    kw = dict(labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)
    counts = set_wise_counts("precision_score", source, **kw)
    return ratio_from_counts(counts, RATIOS["precision"], **kw)


def recall_core(source, *, labels=None, pos_label=1, average="binary", zero_division="warn"):
    kw = dict(labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)
    counts = set_wise_counts("recall_score", source, **kw)
    return ratio_from_counts(counts, RATIOS["recall"], **kw)


def _fbeta_from_counts(counts, beta, **kw):
    # As scikit-learn: F-inf is the recall and F-0 the precision, which then
    # do not warn (only "f-score" is in warn_for).
    if beta == math.inf:  # a checked real (np.isposinf costs ~4 us a call)
        return ratio_from_counts(counts, RATIOS["recall"], warn_for=(), **kw)
    if beta == 0:
        return ratio_from_counts(counts, RATIOS["precision"], warn_for=(), **kw)
    return ratio_from_counts(counts, fbeta_ratio(beta), **kw)


def fbeta_core(source, *, beta, labels=None, pos_label=1, average="binary", zero_division="warn"):
    kw = dict(labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)
    counts = set_wise_counts("fbeta_score", source, beta=beta, **kw)
    return _fbeta_from_counts(counts, beta, **kw)


def f1_core(source, *, labels=None, pos_label=1, average="binary", zero_division="warn"):
    kw = dict(labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)
    counts = set_wise_counts("f1_score", source, **kw)
    return _fbeta_from_counts(counts, 1.0, **kw)


def report_core(source, *, labels=None, target_names=None, digits=2, output_dict=False,
            zero_division="warn"):
    func = "classification_report"
    check_array_likes(func, labels=labels, target_names=target_names)
    check_int("digits", digits, func, 0)
    output_dict = check_bool("output_dict", output_dict, func)
    check_zero_division(zero_division, func)
    counts = source.counts(per_sample=True, sample_labels=labels)
    if counts.indicator is not None and not counts.indicator.one_positive_value:
        # scikit-learn re-reads its CSR copy of the targets, where two
        # distinct non-zero values make a multiclass-multioutput target.
        raise ValueError("multiclass-multioutput is not supported")
    if labels is None and target_names is None and isinstance(source, Targets):
        target_names = _mixed_label_names(source, counts)
    return report_from_counts(counts, labels, target_names, digits, output_dict, zero_division)


def _mixed_label_names(source, counts):
    """scikit-learn's names for 1-D labels of two kinds (bool and int, int
    and float): its set of labels keeps the first seen of equal values,
    y_true's, and prints them in the dtype numpy gives the sorted lot.
    None (the classes' own names) for labels of one kind."""
    if counts.y_type not in ("binary", "multiclass"):
        return None
    y_true, y_pred = (np.asarray(y) for y in (source.y_true, source.y_pred))
    kinds = {y_true.dtype.kind, y_pred.dtype.kind}
    if len(kinds) == 1 or not kinds <= set("biuf"):
        return None
    first_seen = {}
    for y in (y_true, y_pred):
        for value in np.unique(y).tolist():
            first_seen.setdefault(value, value)
    return [str(v) for v in np.asarray(sorted(first_seen.values())).tolist()]




def confusion_matrix_core(source, *, labels=None, normalize=None):
    func = "confusion_matrix"
    check_array_likes(func, labels=labels)
    check_option("normalize", normalize, ("true", "pred", "all", None), func)
    cm = _matrix_of(source.matrix_counts(), labels)
    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                cm = cm / cm.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                cm = cm / cm.sum(axis=0, keepdims=True)
            else:
                cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    return cm


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------
def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Accuracy: the fraction (or number) of samples predicted exactly.

    For multilabel input this is the subset accuracy: every label of a sample
    must match.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    normalize : bool, default=True
        Return the fraction of correct samples; if False, their (weighted)
        number.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    score : float

    Examples
    --------
    >>> from cymetrics import accuracy_score
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3], normalize=False)
    2.0
    """
    source = targets("accuracy_score", y_true, y_pred, sample_weight)
    return accuracy_core(source, normalize=normalize)


def zero_one_loss(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Zero-one loss: the fraction (or number) of samples not predicted exactly.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    normalize : bool, default=True
        Return the fraction of misclassified samples; if False, their
        (weighted) number.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> from cymetrics import zero_one_loss
    >>> zero_one_loss([2, 2, 3, 4], [1, 2, 3, 4])
    0.25
    >>> zero_one_loss([2, 2, 3, 4], [1, 2, 3, 4], normalize=False)
    1.0
    """
    source = targets("zero_one_loss", y_true, y_pred, sample_weight)
    return zero_one_core(source, normalize=normalize)


def hamming_loss(y_true, y_pred, *, sample_weight=None):
    """Hamming loss: the fraction of (sample, label) entries predicted wrong.

    For 1-D labels it equals `zero_one_loss`.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import hamming_loss
    >>> hamming_loss([2, 2, 3, 4], [1, 2, 3, 4])
    0.25
    >>> hamming_loss(np.array([[0, 1], [1, 1]]), np.zeros((2, 2)))
    0.75
    """
    return hamming_core(targets("hamming_loss", y_true, y_pred, sample_weight))


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """Balanced accuracy: the mean recall over the classes present in ``y_true``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    adjusted : bool, default=False
        Rescale so that chance scores 0 and perfect prediction 1.

    Returns
    -------
    balanced_accuracy : float

    Examples
    --------
    >>> from cymetrics import balanced_accuracy_score
    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    source = targets("balanced_accuracy_score", y_true, y_pred, sample_weight)
    return balanced_accuracy_core(source, adjusted=adjusted)


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None):
    """Matthews correlation coefficient of binary or multiclass labels.

    Returns 0.0 when it is undefined (a constant ``y_true`` or ``y_pred``).
    Multilabel input is refused, as in scikit-learn; for per-label MCC with
    averaging (multilabel, or one-vs-rest multiclass) see
    `cymetrics.mcc_score`.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.

    Returns
    -------
    mcc : float
        Between -1 (inverse prediction) and +1 (perfect prediction).

    Examples
    --------
    >>> from cymetrics import matthews_corrcoef
    >>> round(matthews_corrcoef([1, 1, 1, -1], [1, -1, 1, 1]), 4)
    -0.3333
    """
    return mcc_core(targets("matthews_corrcoef", y_true, y_pred, sample_weight))


def cohen_kappa_score(y1, y2, *, labels=None, weights=None, sample_weight=None,
                      replace_undefined_by=np.nan):
    """Cohen's kappa: agreement between two annotators beyond chance.

    Parameters
    ----------
    y1 : array-like of shape (n_samples,)
        Labels of the first annotator.
    y2 : array-like of shape (n_samples,)
        Labels of the second annotator.
    labels : array-like of shape (n_classes,), default=None
        Labels that index the confusion matrix; at least one must occur in
        ``y1``. By default, the labels present in ``y1`` or ``y2``.
    weights : {'linear', 'quadratic'}, default=None
        Disagreement weights ``|i - j|`` or ``(i - j)^2``; None weighs every
        disagreement 1.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    replace_undefined_by : np.nan or float in [-1.0, 1.0], default=np.nan
        Value returned (with an `UndefinedMetricWarning`) when kappa is
        undefined.

    Returns
    -------
    kappa : float

    Examples
    --------
    >>> from cymetrics import cohen_kappa_score
    >>> y1 = ["negative", "positive", "negative", "neutral", "positive"]
    >>> y2 = ["negative", "positive", "negative", "neutral", "negative"]
    >>> cohen_kappa_score(y1, y2)
    0.6875
    """
    source = targets("cohen_kappa_score", y1, y2, sample_weight, y_names=("y1", "y2"))
    return kappa_core(source, labels=labels, weights=weights,
                  replace_undefined_by=replace_undefined_by)


def class_likelihood_ratios(y_true, y_pred, *, labels=None, sample_weight=None,
                            replace_undefined_by=np.nan):
    """Positive and negative likelihood ratios of binary predictions.

    ``LR+ = recall / (1 - specificity)``, ``LR- = (1 - recall) / specificity``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels (binary).
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like, default=None
        ``[negative_class, positive_class]``; by default the sorted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    replace_undefined_by : np.nan, 1.0 or dict, default=np.nan
        Value of an undefined ratio: NaN, 1.0 for both (a useless test), or
        ``{"LR+": value, "LR-": value}``.

    Returns
    -------
    (positive_likelihood_ratio, negative_likelihood_ratio) : tuple of float

    Examples
    --------
    >>> from cymetrics import class_likelihood_ratios
    >>> class_likelihood_ratios([0, 1, 0, 1, 0], [1, 1, 0, 0, 0])
    (1.5, 0.75)
    """
    source = targets("class_likelihood_ratios", y_true, y_pred, sample_weight)
    return likelihood_ratios_core(source, labels=labels, replace_undefined_by=replace_undefined_by)


def multilabel_confusion_matrix(y_true, y_pred, *, sample_weight=None, labels=None,
                                samplewise=False):
    """One 2 x 2 confusion matrix ``[[tn, fp], [fn, tp]]`` per class or sample.

    Multiclass labels are binarised one-vs-rest; multilabel columns are
    counted column-wise in one pass.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    labels : array-like of shape (n_classes,), default=None
        Classes (column indices for multilabel input) to report, in this
        order; absent classes count zero.
    samplewise : bool, default=False
        One matrix per sample (multilabel input only).

    Returns
    -------
    multi_confusion : ndarray of shape (n_outputs, 2, 2)

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import multilabel_confusion_matrix
    >>> multilabel_confusion_matrix(np.array([[1, 0, 1], [0, 1, 0]]),
    ...                             np.array([[1, 0, 0], [0, 1, 1]]))[2]
    array([[0, 1],
           [1, 0]])
    """
    source = targets("multilabel_confusion_matrix", y_true, y_pred, sample_weight)
    return mcm_core(source, labels=labels, samplewise=samplewise)


def jaccard_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                  sample_weight=None, zero_division="warn"):
    """Jaccard index ``tp / (tp + fp + fn)`` per label, or averaged.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    labels : array-like, default=None
        Labels to include when ``average != 'binary'`` (absent ones count
        zero); column indices for multilabel input.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        None returns the per-label scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0, 1}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    score : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from cymetrics import jaccard_score
    >>> jaccard_score([0, 1, 2, 2], [0, 2, 1, 2], average=None)
    array([1.        , 0.        , 0.33333333])
    """
    source = targets("jaccard_score", y_true, y_pred, sample_weight)
    return jaccard_core(source, labels=labels, pos_label=pos_label, average=average,
                    zero_division=zero_division)


def precision_recall_fscore_support(y_true, y_pred, *, beta=1.0, labels=None, pos_label=1,
                                    average=None,
                                    warn_for=("precision", "recall", "f-score"),
                                    sample_weight=None, zero_division="warn"):
    """Precision, recall, F-beta and support per label, or averaged.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    beta : float, default=1.0
        Weight of recall relative to precision (``>= 0``; ``inf`` is recall).
    labels : array-like, default=None
        Labels to include when ``average != 'binary'``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default=None
        None returns per-label values and the supports.
    warn_for : list, tuple or set, default=("precision", "recall", "f-score")
        Metrics that warn when ill-defined.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    precision, recall, fbeta_score : float or ndarray of shape (n_labels,)
    support : None or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from cymetrics import precision_recall_fscore_support
    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1, 2], [0, 1, 2, 2])
    >>> p, s
    (array([1. , 1. , 0.5]), array([1, 2, 1]))
    """
    source = targets("precision_recall_fscore_support", y_true, y_pred, sample_weight)
    return prfs_core(source, beta=beta, labels=labels, pos_label=pos_label, average=average,
                 warn_for=warn_for, zero_division=zero_division)


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                    sample_weight=None, zero_division="warn"):
    """Precision ``tp / (tp + fp)`` per label, or averaged.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    labels : array-like, default=None
        Labels to include when ``average != 'binary'``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        None returns the per-label scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    precision : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from cymetrics import precision_score
    >>> precision_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    0.2222222222222222
    """
    source = targets("precision_score", y_true, y_pred, sample_weight)
    return precision_core(source, labels=labels, pos_label=pos_label, average=average,
                      zero_division=zero_division)


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                 sample_weight=None, zero_division="warn"):
    """Recall (sensitivity, TPR) ``tp / (tp + fn)`` per label, or averaged.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    labels : array-like, default=None
        Labels to include when ``average != 'binary'``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        None returns the per-label scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    recall : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from cymetrics import recall_score
    >>> recall_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    0.3333333333333333
    """
    source = targets("recall_score", y_true, y_pred, sample_weight)
    return recall_core(source, labels=labels, pos_label=pos_label, average=average,
                   zero_division=zero_division)


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary",
                sample_weight=None, zero_division="warn"):
    """F-beta ``(1 + b^2) P R / (b^2 P + R)`` per label, or averaged.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    beta : float
        Weight of recall relative to precision (``>= 0``).
    labels : array-like, default=None
        Labels to include when ``average != 'binary'``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        None returns the per-label scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    fbeta_score : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from cymetrics import fbeta_score
    >>> round(fbeta_score([0, 1, 1, 1], [0, 1, 0, 0], beta=2), 4)
    0.3846
    """
    source = targets("fbeta_score", y_true, y_pred, sample_weight)
    return fbeta_core(source, beta=beta, labels=labels, pos_label=pos_label, average=average,
                  zero_division=zero_division)


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
             sample_weight=None, zero_division="warn"):
    """F1 score ``2 P R / (P + R)`` per label, or averaged.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    labels : array-like, default=None
        Labels to include when ``average != 'binary'``.
    pos_label : int, float, bool or str, default=1
        The positive class when ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        None returns the per-label scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    f1_score : float or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from cymetrics import f1_score
    >>> f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    0.26666666666666666
    """
    source = targets("f1_score", y_true, y_pred, sample_weight)
    return f1_core(source, labels=labels, pos_label=pos_label, average=average,
               zero_division=zero_division)


def classification_report(y_true, y_pred, *, labels=None, target_names=None,
                          sample_weight=None, digits=2, output_dict=False,
                          zero_division="warn"):
    """Text (or dict) report of precision, recall, F1 and support per class.

    Parameters
    ----------
    y_true : 1d array-like, or label indicator array / sparse matrix
        Ground truth labels.
    y_pred : 1d array-like, or label indicator array / sparse matrix
        Predicted labels.
    labels : array-like of shape (n_labels,), default=None
        Labels to report.
    target_names : array-like of shape (n_labels,), default=None
        Display names of the labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    digits : int, default=2
        Digits of the floats in the text report.
    output_dict : bool, default=False
        Return a dict instead of text.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns.

    Returns
    -------
    report : str or dict

    Examples
    --------
    >>> from cymetrics import classification_report
    >>> print(classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               0       0.50      1.00      0.67         1
               1       0.00      0.00      0.00         1
               2       1.00      0.67      0.80         3
    <BLANKLINE>
        accuracy                           0.60         5
       macro avg       0.50      0.56      0.49         5
    weighted avg       0.70      0.60      0.61         5
    <BLANKLINE>
    """
    source = targets("classification_report", y_true, y_pred, sample_weight)
    return report_core(source, labels=labels, target_names=target_names, digits=digits,
                   output_dict=output_dict, zero_division=zero_division)


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix: ``C[i, j]`` counts samples of class i predicted as j.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    labels : array-like of shape (n_classes,), default=None
        Labels that index the matrix, in this order. Samples whose true or
        predicted label is not listed are left out. By default, the sorted
        labels present in ``y_true`` or ``y_pred``.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    normalize : {'true', 'pred', 'all'}, default=None
        Normalise over true labels (rows), predictions (columns) or all.

    Returns
    -------
    ndarray of shape (n_classes, n_classes)
        int64 counts when unweighted or with integer weights, else float64.

    Examples
    --------
    >>> from cymetrics import confusion_matrix
    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    source = targets("confusion_matrix", y_true, y_pred, sample_weight)
    return confusion_matrix_core(source, labels=labels, normalize=normalize)
