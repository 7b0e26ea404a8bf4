"""confusion_matrix: a drop-in for ``sklearn.metrics.confusion_matrix``."""

import warnings

import numpy as np

from cymetrics._counting import count_confusion, label_indices
from cymetrics._validation import check_option

__all__ = ["confusion_matrix"]


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
    check_option("normalize", normalize, ("true", "pred", "all", None), "confusion_matrix")
    counted = count_confusion(y_true, y_pred, sample_weight)
    cm = counted.matrix
    if labels is not None:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        idx = label_indices(counted.classes, labels.ravel())
        # scikit-learn maps labels through a dict: a repeated label counts
        # only at its last position, earlier ones stay zero.
        _, last_from_end = np.unique(labels.ravel()[::-1], return_index=True)
        is_last = np.zeros(idx.shape[0], dtype=bool)
        is_last[idx.shape[0] - 1 - last_from_end] = True
        idx = np.where(is_last, idx, -1)
        if not np.any(counted.in_true[idx[idx >= 0]]):
            raise ValueError("At least one label specified must be in y_true")
        full = np.zeros((cm.shape[0] + 1, cm.shape[1] + 1), dtype=cm.dtype)
        full[:-1, :-1] = cm
        # -1 picks the zero row/column appended above: unseen labels count 0.
        cm = full[np.ix_(idx, idx)]
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        elif normalize == "all":
            cm = cm / cm.sum()
        if normalize is not None:
            cm = np.nan_to_num(cm)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion "
            "matrix to have the correct shape, use the 'labels' parameter to pass "
            "all known labels.",
            UserWarning,
            stacklevel=2,
        )
    return cm
