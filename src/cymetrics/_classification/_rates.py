"""Beyond scikit-learn: the other rates of a confusion matrix, and every
metric computed from a precomputed confusion matrix.

* `specificity_score`, `npv_score`, `fpr_score`, `fnr_score` and `mcc_score`
  share precision_score's contract (``labels``, ``pos_label``, ``average``
  including 'samples', ``sample_weight``, ``zero_division``) and its code:
  each is one `Ratio` of the one-vs-rest counts.
* `binary_rates` returns every rate of a binary confusion matrix from one
  count.

Like every confusion-derived metric, each has a core reading either targets
or a matrix (see `cymetrics._classification._registry`).
"""

import dataclasses
import math

import numpy as np

from cymetrics._classification._averaging import RATIOS, divide, fbeta_ratio
from cymetrics._classification._counts import label_counts
from cymetrics._classification._metrics import (
    check_beta,
    ratio_from_counts,
    set_wise_counts,
    set_wise_labels,
    targets,
)
from cymetrics._shared._params import check_pos_label, check_zero_division

__all__ = [
    "BinaryRates",
    "binary_rates",
    "fnr_score",
    "fpr_score",
    "mcc_score",
    "npv_score",
    "specificity_score",
]


def _rate_core(ratio, func):
    def core(source, *, labels=None, pos_label=1, average="binary", zero_division="warn"):
        kw = dict(labels=labels, pos_label=pos_label, average=average,
                  zero_division=zero_division)
        return ratio_from_counts(set_wise_counts(func, source, **kw), RATIOS[ratio], **kw)

    core.__name__ = f"{ratio}_core"
    return core


specificity_core = _rate_core("specificity", "specificity_score")
npv_core = _rate_core("npv", "npv_score")
fpr_core = _rate_core("fpr", "fpr_score")
fnr_core = _rate_core("fnr", "fnr_score")
mcc_score_core = _rate_core("mcc", "mcc_score")

_RATE_PARAMETERS = """Parameters
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
        None returns the per-label values; 'micro' pools the counts of all
        labels; 'macro' is the unweighted mean over labels, 'weighted' the
        mean weighted by support (true count); 'samples' (multilabel only)
        the mean over samples of the rate across each sample's labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        Value for a zero denominator; "warn" acts as 0 and warns
        (`UndefinedMetricWarning`)."""


def _rate_function(name, core, title, formula, example, extra=""):
    """The public function of a rate: its targets, handed to its core.

    ``example`` is the doctest shown (without the import line): a result of
    the call on the binary example, or a whole session.
    """
    def rate(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
             sample_weight=None, zero_division="warn"):
        return core(targets(name, y_true, y_pred, sample_weight), labels=labels,
                    pos_label=pos_label, average=average, zero_division=zero_division)

    rate.__name__ = rate.__qualname__ = name
    if not example.startswith(">>>"):
        example = f">>> {name}([0, 0, 0, 1, 1], [0, 1, 0, 1, 0])\n{example}"
    example = "\n".join("    " + line for line in f">>> from cymetrics import {name}\n{example}"
                        .splitlines())
    rate.__doc__ = f"""{title}

    ``{formula}`` of the one-vs-rest confusion counts, per label or averaged,
    with the contract of `precision_score`.{extra}

    {_RATE_PARAMETERS}

    Returns
    -------
    score : float or ndarray of shape (n_labels,)

    Examples
    --------
{example}
    """
    return rate


specificity_score = _rate_function(
    "specificity_score", specificity_core, "Specificity (true negative rate, TNR).",
    "tn / (tn + fp)", "0.6666666666666666")
npv_score = _rate_function(
    "npv_score", npv_core, "Negative predictive value (NPV).", "tn / (tn + fn)",
    "0.6666666666666666")
fpr_score = _rate_function(
    "fpr_score", fpr_core, "False positive rate (FPR, fall-out).", "fp / (fp + tn)",
    "0.3333333333333333")
fnr_score = _rate_function(
    "fnr_score", fnr_core, "False negative rate (FNR, miss rate).", "fn / (fn + tp)", "0.5")
mcc_score = _rate_function(
    "mcc_score", mcc_score_core, "Matthews correlation coefficient per label, with averaging.",
    "(tp tn - fp fn) / sqrt((tp + fp) (tp + fn) (tn + fp) (tn + fn))",
    """>>> import numpy as np
>>> y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
>>> y_pred = np.array([[1, 0], [0, 1], [1, 0], [0, 0]])
>>> mcc_score(y_true, y_pred, average=None)
array([1.        , 0.57735027])""",
    """

    This is the extension of `matthews_corrcoef` to multilabel input (which
    scikit-learn refuses): the MCC of each label's 2 x 2 matrix. With
    ``average='binary'`` on binary input it equals `matthews_corrcoef`
    (except that an undefined MCC follows ``zero_division`` instead of being
    0.0 silently); on multiclass input ``average=None`` gives each class's
    one-vs-rest MCC, which is not the multiclass MCC of `matthews_corrcoef`.""",
)


# ---------------------------------------------------------------------------
# binary_rates
# ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class BinaryRates:
    """Every rate of a binary confusion matrix (see `binary_rates`).

    Counts are ints when unweighted, floats when weighted. Undefined ratios
    (zero denominators) hold ``zero_division``; the likelihood ratios hold
    NaN when undefined, as `class_likelihood_ratios` returns them by default.
    """

    tp: float
    fp: float
    fn: float
    tn: float
    prevalence: float
    accuracy: float
    balanced_accuracy: float
    precision: float
    recall: float
    specificity: float
    npv: float
    fpr: float
    fnr: float
    f1: float
    fbeta: dict
    jaccard: float
    mcc: float
    lr_plus: float
    lr_minus: float

    @property
    def tpr(self):
        """True positive rate (= recall, sensitivity)."""
        return self.recall

    @property
    def tnr(self):
        """True negative rate (= specificity)."""
        return self.specificity

    @property
    def ppv(self):
        """Positive predictive value (= precision)."""
        return self.precision

    def as_dict(self):
        """The rates as a plain dict (F-beta values under ``'f{beta}'`` keys)."""
        out = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "fbeta":
                out.update({f"f{beta:g}": v for beta, v in value.items()})
            else:
                out[field.name] = value
        return out

    def __str__(self):
        rows = [(name, value) for name, value in self.as_dict().items()]
        width = max(len(name) for name, _ in rows)
        return "\n".join(
            f"{name:<{width}}  {value}" if isinstance(value, (int, np.integer))
            else f"{name:<{width}}  {value:.6f}"
            for name, value in rows
        )


def _check_betas(betas):
    try:
        betas = tuple(betas)
    except TypeError:
        betas = (betas,)
    for beta in betas:
        check_beta(beta, "binary_rates")
    return betas


def binary_rates_core(source, *, pos_label=1, betas=(0.5, 2.0), zero_division=np.nan):
    func = "binary_rates"
    check_pos_label(pos_label, func)
    check_zero_division(zero_division, func)
    betas = _check_betas(betas)
    counts = source.counts()
    labels = set_wise_labels(counts, "binary", None, pos_label)
    lc = label_counts(counts, labels, clean_tn=True)
    names = set(RATIOS) | {"f-score"}

    def rate(ratio):
        return float(divide(ratio.numerator(lc), ratio.denominator(lc), name=ratio.name,
                            modifier=ratio.modifier, average="binary", warn_for=names,
                            zero_division=zero_division)[0])

    precision, recall = rate(RATIOS["precision"]), rate(RATIOS["recall"])

    def f_beta(beta):
        if math.isinf(beta):
            return recall
        return precision if beta == 0 else rate(fbeta_ratio(beta))

    # Unweighted counts stay ints (label_counts may hand them over as floats,
    # as scikit-learn's multilabel_confusion_matrix does without a true positive).
    as_count = int if counts.tp.dtype.kind in "iu" else float
    tp, fp, fn, tn = (as_count(c[0]) for c in lc)
    total = tp + fp + fn + tn
    pos, neg = tp + fn, tn + fp
    specificity = rate(RATIOS["specificity"])
    # As balanced_accuracy_score: the mean recall over the classes in y_true.
    present = [r for r, n in ((recall, pos), (specificity, neg)) if n > 0]
    nan = float("nan")
    return BinaryRates(
        tp=tp, fp=fp, fn=fn, tn=tn,
        prevalence=pos / total,
        accuracy=(tp + tn) / total,
        balanced_accuracy=float(np.mean(present)),
        precision=precision,
        recall=recall,
        specificity=specificity,
        npv=rate(RATIOS["npv"]),
        fpr=rate(RATIOS["fpr"]),
        fnr=rate(RATIOS["fnr"]),
        f1=f_beta(1.0),
        fbeta={beta: f_beta(beta) for beta in betas},
        jaccard=rate(RATIOS["jaccard"]),
        mcc=rate(RATIOS["mcc"]),
        lr_plus=(tp * neg) / (fp * pos) if fp * pos != 0 else nan,
        lr_minus=(fn * neg) / (tn * pos) if tn * pos != 0 else nan,
    )


def binary_rates(y_true, y_pred, *, pos_label=1, sample_weight=None, betas=(0.5, 2.0),
                 zero_division=np.nan):
    """Every rate of the binary confusion matrix, from one counting pass.

    The one-call answer to "what does my confusion matrix tell me": the four
    counts, prevalence, accuracy, balanced accuracy, precision (PPV), recall
    (TPR, sensitivity), specificity (TNR), NPV, FPR, FNR, F1, F-beta for
    each of ``betas``, Jaccard, MCC and the likelihood ratios LR+ and LR-.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels (binary).
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    pos_label : int, float, bool or str, default=1
        The positive class (scikit-learn's ``average='binary'`` rules).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights.
    betas : float or sequence of float, default=(0.5, 2.0)
        The F-beta scores to compute (F1 is always computed).
    zero_division : {np.nan, 0.0, 1.0, "warn"}, default=np.nan
        Value of a ratio with a zero denominator. NaN by default: a summary
        should show what is undefined rather than warn for each of its
        fields; "warn" gives 0.0 with an `UndefinedMetricWarning`, as the
        single-metric functions do.

    Returns
    -------
    rates : BinaryRates
        A frozen dataclass; ``rates.as_dict()`` gives a plain dict and
        ``print(rates)`` a table.

    Examples
    --------
    >>> from cymetrics import binary_rates
    >>> r = binary_rates([0, 0, 0, 1, 1], [0, 1, 0, 1, 0])
    >>> r.tp, r.fp, r.fn, r.tn
    (1, 1, 1, 2)
    >>> r.precision, r.specificity, r.npv
    (0.5, 0.6666666666666666, 0.6666666666666666)
    >>> round(r.fbeta[2.0], 4)
    0.5
    """
    return binary_rates_core(targets("binary_rates", y_true, y_pred, sample_weight),
                         pos_label=pos_label, betas=betas, zero_division=zero_division)
