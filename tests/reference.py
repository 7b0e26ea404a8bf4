"""Slow, obviously-correct pure-NumPy/Python reference twins.

Independent of scikit-learn and of cymetrics: used to check the kernels on
small inputs. Everything here is O(n^2) or O(n * n_thresholds) on purpose.

Conventions (the same as scikit-learn's):

* samples with zero weight are dropped before anything else, so their scores
  never appear as thresholds;
* thresholds are the distinct remaining scores, in decreasing order; at
  threshold ``t`` a sample is predicted positive iff ``score >= t``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "binary_curve",
    "roc_auc_pairs",
    "roc_curve_full",
    "precision_recall_curve_full",
    "average_precision_stepwise",
    "det_curve_full",
    "confusion_matrix_loops",
]


def _binary_inputs(y_true, y_score, sample_weight, pos_label):
    y_true = np.asarray(y_true, dtype=object).ravel().tolist()
    scores = np.asarray(y_score).ravel().astype(np.float64)
    n = len(y_true)
    if sample_weight is None:
        w = np.ones(n, dtype=np.float64)
    else:
        w = np.asarray(sample_weight).ravel().astype(np.float64)
    is_pos = np.array([yt == pos_label for yt in y_true], dtype=bool).reshape(n)
    keep = w != 0
    return is_pos[keep], scores[keep], w[keep]


def roc_auc_pairs(y_true, y_score, sample_weight=None, pos_label=1):
    """ROC AUC by counting (weighted) positive/negative pairs; ties count half.

    sum_{p in pos, q in neg} w_p w_q (1[s_p > s_q] + 0.5 1[s_p == s_q]) / (W_pos W_neg)
    Returns nan when a class has zero total weight.
    """
    is_pos, s, w = _binary_inputs(y_true, y_score, sample_weight, pos_label)
    sp, wp = s[is_pos], w[is_pos]
    sn, wn = s[~is_pos], w[~is_pos]
    w_pos, w_neg = wp.sum(), wn.sum()
    if w_pos == 0 or w_neg == 0:
        return float("nan")
    greater = sp[:, None] > sn[None, :]
    equal = sp[:, None] == sn[None, :]
    pair_w = wp[:, None] * wn[None, :]
    return float(np.sum(pair_w * (greater + 0.5 * equal)) / (w_pos * w_neg))


def binary_curve(y_true, y_score, sample_weight=None, pos_label=1):
    """Brute force: for each distinct threshold t (descending), the weighted
    false/true positive counts of ``score >= t``.

    Returns ``(fps, tps, thresholds)`` as float64 arrays.
    """
    is_pos, s, w = _binary_inputs(y_true, y_score, sample_weight, pos_label)
    thresholds = np.unique(s)[::-1]
    fps = np.array([w[(~is_pos) & (s >= t)].sum() for t in thresholds], dtype=np.float64)
    tps = np.array([w[is_pos & (s >= t)].sum() for t in thresholds], dtype=np.float64)
    return fps, tps, thresholds


def confusion_at_thresholds_full(y_true, y_score, sample_weight=None, pos_label=1):
    """(tns, fps, fns, tps, thresholds) from :func:`binary_curve`."""
    fps, tps, thr = binary_curve(y_true, y_score, sample_weight, pos_label)
    return fps[-1] - fps, fps, tps[-1] - tps, tps, thr


def roc_curve_full(y_true, y_score, sample_weight=None, pos_label=1):
    """ROC curve without dropping intermediate points (both classes required)."""
    fps, tps, thr = binary_curve(y_true, y_score, sample_weight, pos_label)
    fpr = np.concatenate([[0.0], fps / fps[-1]])
    tpr = np.concatenate([[0.0], tps / tps[-1]])
    return fpr, tpr, np.concatenate([[np.inf], thr])


def precision_recall_curve_full(y_true, y_score, sample_weight=None, pos_label=1):
    """Precision/recall at every threshold, recall decreasing, then (1, 0)."""
    fps, tps, thr = binary_curve(y_true, y_score, sample_weight, pos_label)
    predicted = tps + fps
    precision = np.array([tp / pp if pp != 0 else 0.0 for tp, pp in zip(tps, predicted)])
    recall = tps / tps[-1]
    return (
        np.concatenate([precision[::-1], [1.0]]),
        np.concatenate([recall[::-1], [0.0]]),
        thr[::-1],
    )


def average_precision_stepwise(y_true, y_score, sample_weight=None, pos_label=1):
    """AP = sum_k (R_k - R_{k-1}) P_k over thresholds in decreasing order."""
    fps, tps, _ = binary_curve(y_true, y_score, sample_weight, pos_label)
    total_pos = tps[-1]
    ap = 0.0
    prev_recall = 0.0
    for fp, tp in zip(fps, tps):
        recall = tp / total_pos
        precision = tp / (tp + fp) if tp + fp != 0 else 0.0
        ap += (recall - prev_recall) * precision
        prev_recall = recall
    return float(ap)


def det_curve_full(y_true, y_score, sample_weight=None, pos_label=1):
    """DET curve without dropping intermediate points.

    The points are the ROC points (threshold inf first); the curve starts at
    the last point with no false positive and stops at the first point with no
    false negative, and is returned in increasing-threshold order.
    """
    fps, tps, thr = binary_curve(y_true, y_score, sample_weight, pos_label)
    fps = np.concatenate([[0.0], fps])
    tps = np.concatenate([[0.0], tps])
    thr = np.concatenate([[np.inf], thr])
    n_neg, n_pos = fps[-1], tps[-1]
    first = max(i for i in range(len(fps)) if fps[i] == fps[0])
    last = min(i for i in range(len(tps)) if tps[i] == n_pos)
    sl = slice(first, last + 1)
    fpr = fps[sl] / n_neg
    fnr = (n_pos - tps[sl]) / n_pos
    return fpr[::-1], fnr[::-1], thr[sl][::-1]


def confusion_matrix_loops(y_true, y_pred, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix by Python loops. ``C[i, j]`` = weight of samples with
    true label ``labels[i]`` predicted as ``labels[j]``; samples whose true or
    predicted label is not in ``labels`` are ignored.

    Integer (or bool, or absent) weights give an int64 matrix, float weights a
    float64 one; normalisation divides rows ('true'), columns ('pred') or the
    total ('all'), with 0/0 taken as 0.
    """
    yt = np.asarray(y_true).ravel().tolist()
    yp = np.asarray(y_pred).ravel().tolist()
    if sample_weight is None:
        ws = [1] * len(yt)
        integer = True
    else:
        warr = np.asarray(sample_weight)
        integer = warr.dtype.kind in "iub"
        ws = (
            [int(v) for v in warr.ravel().tolist()]
            if integer
            else [float(v) for v in warr.ravel().tolist()]
        )
    if labels is None:
        labels = sorted(set(yt) | set(yp))
    else:
        labels = np.asarray(labels).ravel().tolist()
    index = {}
    for i, lab in enumerate(labels):
        index.setdefault(lab, i)
    k = len(labels)
    cm = [[0 if integer else 0.0 for _ in range(k)] for _ in range(k)]
    for t, p, w in zip(yt, yp, ws):
        if t in index and p in index:
            cm[index[t]][index[p]] += w
    if normalize is None:
        return np.array(cm, dtype=np.int64 if integer else np.float64).reshape(k, k)

    def div(a, b):
        return a / b if b != 0 else 0.0

    out = [[0.0] * k for _ in range(k)]
    if normalize == "true":
        for i in range(k):
            row = sum(cm[i])
            for j in range(k):
                out[i][j] = div(cm[i][j], row)
    elif normalize == "pred":
        for j in range(k):
            col = sum(cm[i][j] for i in range(k))
            for i in range(k):
                out[i][j] = div(cm[i][j], col)
    elif normalize == "all":
        total = sum(sum(r) for r in cm)
        for i in range(k):
            for j in range(k):
                out[i][j] = div(cm[i][j], total)
    else:
        raise ValueError(normalize)
    return np.array(out, dtype=np.float64).reshape(k, k)
