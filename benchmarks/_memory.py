"""Peak extra memory of every public function, at one n (tracemalloc)."""

import inspect
import warnings

import numpy as np

import cymetrics
from benchmarks._cases import binary_data, label_data, proba_matrix
from benchmarks._suite import peak_bytes

# Extra arguments some functions need beyond their input arrays.
_EXTRA = {
    "precision_at_recall": {"min_recall": 0.5},
    "recall_at_precision": {"min_precision": 0.5},
    "sensitivity_at_specificity": {"min_specificity": 0.5},
    "specificity_at_sensitivity": {"min_sensitivity": 0.5},
    "metric_at_thresholds": {"metric_func": cymetrics.f1_score},
    "fbeta_score": {"beta": 2.0},
    "rate_ci": {"rate": "recall"},
}


def _inputs(n):
    y, s = binary_data(n, "continuous", np.float64)
    y_true, y_pred = label_data(n, np.int64)
    yb_pred = (s > 0.5).astype(np.int64)
    ym, pm = proba_matrix(n)
    rng = np.random.default_rng(2)
    multilabel = (rng.random((n // 10, 10)) < 0.3).astype(np.int64)
    ml_scores = rng.random((n // 10, 10))
    s2 = binary_data(n, "continuous", np.float64, seed=3)[1]
    return {
        "binary scores": (y, s),
        "binary labels": (y, yb_pred),
        "10-class labels": (y_true, y_pred),
        "10-class probabilities": (ym, pm),
        "multilabel scores (n/10 x 10)": (multilabel, ml_scores),
        "two score columns": (y, s, s2),
    }


def _call(name, func, inputs):
    """The first input kind the function accepts, and its call."""
    params = list(inspect.signature(func).parameters)
    extra = _EXTRA.get(name, {})
    special = {
        "auc": ("curve points", lambda: func(np.linspace(0, 1, inputs["binary scores"][0].size),
                                             inputs["binary scores"][1])),
        "bootstrap_ci": ("binary scores, 20 resamples", lambda: func(
            cymetrics.roc_auc_score, *inputs["binary scores"], n_resamples=20)),
        "proportion_ci": ("counts", lambda: func(50, 100)),
        "from_confusion": ("10 x 10 matrix", lambda: func(
            cymetrics.confusion_matrix(*inputs["10-class labels"]), "f1_score",
            average="macro")),
        "delong_test": ("two score columns", lambda: func(*inputs["two score columns"])),
        "delong_covariance": ("two score columns", lambda: func(
            inputs["two score columns"][0], np.column_stack(inputs["two score columns"][1:]))),
        "delong_test_unpaired": ("binary scores twice", lambda: func(
            *inputs["binary scores"], *inputs["binary scores"])),
    }
    if name in special:
        return special[name]
    order = ["binary scores", "binary labels", "10-class labels", "10-class probabilities",
             "multilabel scores (n/10 x 10)"]
    if "y_pred" in params or "y2" in params:
        order = ["10-class labels", "binary labels"]
    for kind in order:
        args = inputs[kind]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                func(*args, **extra)
        except (ValueError, TypeError):
            continue
        return kind, (lambda args=args: func(*args, **extra))
    return None


def measure_all(n):
    """``[(name, input kind, n, peak bytes or None)]`` for ``cymetrics.__all__``."""
    inputs = _inputs(n)
    rows = []
    for name in sorted(cymetrics.__all__):
        func = getattr(cymetrics, name)
        if inspect.isclass(func) or not callable(func):
            continue
        found = _call(name, func, inputs)
        if found is None:
            rows.append((name, "no generic input", n, None))
            continue
        kind, call = found
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            peak = peak_bytes(call)
        size = inputs["binary scores"][0].size if kind != "counts" else 1
        if kind.startswith("multilabel"):
            size = n // 10
        rows.append((name, kind, size, peak))
    return rows
