"""What the suite measures: data, cymetrics calls, numpy floors and peers.

A *case* is one function on one kind of data (score kind, dtype) at one n.
Every peer that is installed runs the same case on the same arrays, and its
result is checked against scikit-learn's before its time is reported.
"""

import importlib
import importlib.util

import numpy as np

import cymetrics

KINDS = {
    "continuous": None,
    "3 decimals": 3,
    "integer": 0,
}


def binary_data(n, kind, dtype, seed=0):
    """~10% positives; scores a noisy logistic probability (3 decimals:
    rounded; integer: 0..100)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(np.int64)
    p = 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 1.5 * y)))
    if kind == "3 decimals":
        p = np.round(p, 3)
    elif kind == "integer":
        p = np.round(p * 100)
    return y, p.astype(dtype)


def label_data(n, dtype, k=10, seed=0):
    """``k`` classes, ~70% predicted right."""
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, k, n)
    y_pred = np.where(rng.random(n) < 0.7, y_true, rng.integers(0, k, n))
    if dtype == "bool":
        return (y_true % 2).astype(bool), (y_pred % 2).astype(bool)
    return y_true.astype(dtype), y_pred.astype(dtype)


def proba_matrix(n, k=10, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), y] += 1.0
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    return y, p.astype(dtype)


class Case:
    """One row of the suite: ``ours()``, ``reference()`` (scikit-learn),
    peers ``{name: call}``, the floor it is measured against."""

    def __init__(self, function, kind, dtype, n, data, ours, reference, floor, tol=1e-12):
        self.function, self.kind, self.dtype, self.n = function, kind, dtype, n
        self.data, self.ours, self.reference, self.floor, self.tol = (
            data, ours, reference, floor, tol)
        self.peers = {}

    @property
    def label(self):
        return f"{self.function} | {self.kind} | {self.dtype}"


def _sk():
    import sklearn.metrics
    return sklearn.metrics


def _binary_case(function, kind, dtype, n, weighted=False, **params):
    y, s = binary_data(n, kind, dtype)
    w = np.random.default_rng(1).random(n) if weighted else None
    ours = getattr(cymetrics, function)
    case = Case(function + (" weighted" if weighted else ""), kind, np.dtype(dtype).name, n,
                (y, s), lambda: ours(y, s, sample_weight=w, **params),
                lambda: getattr(_sk(), function)(y, s, sample_weight=w, **params), "sort")
    if not weighted and not params:
        case.peers.update(binary_peers(function, y, s))
    return case


def _label_case(function, dtype, n, **params):
    y_true, y_pred = label_data(n, dtype)
    ours = getattr(cymetrics, function)
    case = Case(function + "".join(f" {k}={v}" for k, v in params.items()), "labels",
                str(dtype if dtype == "bool" else np.dtype(dtype).name), n, (y_true, y_pred),
                lambda: ours(y_true, y_pred, **params),
                lambda: getattr(_sk(), function)(y_true, y_pred, **params), "read")
    case.peers.update(label_peers(function, y_true, y_pred, params))
    return case


def _log_loss_case(dtype, n):
    y, s = binary_data(n, "continuous", dtype)
    case = Case("log_loss", "continuous", np.dtype(dtype).name, n, (y, s),
                lambda: cymetrics.log_loss(y, s), lambda: _sk().log_loss(y, s), "log",
                tol=1e-6 if dtype == np.float32 else 1e-12)
    return case


def _ovr_case(multi_class, n):
    y, p = proba_matrix(n // 10)
    case = Case(f"roc_auc_score {multi_class} 10 classes", "continuous", "float64", n // 10,
                (y, p), lambda: cymetrics.roc_auc_score(y, p, multi_class=multi_class),
                lambda: _sk().roc_auc_score(y, p, multi_class=multi_class), "sort columns")
    return case


def build_cases(sizes, functions=None):
    """Every case for the sizes (function filter: substrings of the name)."""
    cases = []
    for n in sizes:
        for kind in KINDS:
            for dtype in (np.float64, np.float32):
                if kind == "integer" and dtype == np.float32:
                    continue
                cases.append(_binary_case("roc_auc_score", kind, dtype, n))
                cases.append(_binary_case("average_precision_score", kind, dtype, n))
            cases.append(_binary_case("roc_curve", kind, np.float64, n))
        cases.append(_binary_case("precision_recall_curve", "continuous", np.float64, n))
        cases.append(_binary_case("roc_auc_score", "continuous", np.float64, n, weighted=True))
        for dtype in (np.int64, np.int32, np.int16, np.int8, np.uint8, "bool"):
            cases.append(_label_case("confusion_matrix", dtype, n))
        cases.append(_label_case("f1_score", np.int64, n, average="macro"))
        cases.append(_label_case("accuracy_score", np.int64, n))
        cases.append(_label_case("matthews_corrcoef", np.int64, n))
        cases.append(_log_loss_case(np.float64, n))
        cases.append(_log_loss_case(np.float32, n))
        if n >= 10**3:
            cases.append(_ovr_case("ovr", n))
            cases.append(_ovr_case("ovo", n))
    if functions:
        cases = [c for c in cases if any(f in c.function for f in functions)]
    return cases


# ---------------------------------------------------------------------------
# Peers (only those installed)
# ---------------------------------------------------------------------------
def installed(module):
    return importlib.util.find_spec(module) is not None


def binary_peers(function, y, s):
    peers = {}
    if installed("sklearnex"):
        sklearnex_metrics = importlib.import_module("sklearnex.metrics")
        if hasattr(sklearnex_metrics, function):
            peers["scikit-learn-intelex"] = lambda: getattr(sklearnex_metrics, function)(y, s)
    if installed("torchmetrics"):
        peers.update(_torch_binary(function, y, s))
    if installed("polars_ds"):
        peers.update(_polars_ds_binary(function, y, s))
    return peers


def _torch_binary(function, y, s):
    import torch
    import torchmetrics.functional.classification as tmf

    torch.set_num_threads(1)
    target, preds = torch.from_numpy(y), torch.from_numpy(s)
    calls = {
        "roc_auc_score": tmf.binary_auroc,
        "average_precision_score": tmf.binary_average_precision,
        "roc_curve": tmf.binary_roc,
        "precision_recall_curve": tmf.binary_precision_recall_curve,
    }
    if function not in calls:
        return {}
    f = calls[function]
    out = {}
    for checked in (True, False):
        name = "torchmetrics" + ("" if checked else " (no validation)")
        out[name] = (lambda f=f, checked=checked: _to_numpy(f(preds, target,
                                                              validate_args=checked)))
    return out


def _to_numpy(result):
    if isinstance(result, tuple):
        return tuple(r.numpy() for r in result)
    return float(result)


def _polars_ds_binary(function, y, s):
    import polars as pl
    import polars_ds as pds

    df = pl.DataFrame({"y": y, "s": s})
    if function == "roc_auc_score":
        return {"polars-ds": lambda: df.select(pds.query_roc_auc("y", "s")).item()}
    return {}


def label_peers(function, y_true, y_pred, params):
    peers = {}
    if installed("torchmetrics") and y_true.dtype != bool:
        import torch
        import torchmetrics.functional.classification as tmf

        torch.set_num_threads(1)
        t, p = torch.from_numpy(y_true.astype(np.int64)), torch.from_numpy(
            y_pred.astype(np.int64))
        if function == "confusion_matrix":
            peers["torchmetrics"] = lambda: tmf.multiclass_confusion_matrix(
                p, t, num_classes=10).numpy()
        elif function == "f1_score" and params == {"average": "macro"}:
            peers["torchmetrics"] = lambda: float(tmf.multiclass_f1_score(
                p, t, num_classes=10, average="macro"))
    return peers


def same_result(a, b, tol):
    """Whether two results agree (curves: every array; float32 peers: ~1e-6)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            return False
        return all(same_result(x, y, tol) for x, y in zip(a, b))
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True))
