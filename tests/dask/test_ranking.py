"""Ranking metrics, curves and DeLong intervals of cymetrics.dask against the one-shot functions.

Random binary cases (label kinds, score dtypes, ties, weights with zeros,
one-class inputs) and multiclass cases (labels given or discovered, classes
missing from partitions) in dask arrays of uneven chunks or dask dataframe
columns: the same value to 1e-12 (integer counts bit for bit), the same
warnings, or the same error as the one-shot function on all the data.
"""

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import cymetrics as cm
import cymetrics.dask as cd
import multiclass_inputs as mi
from cymetrics import InvalidParameterError
from cymetrics.streaming import ScoreSketch
from dask_inputs import assert_like_one_shot, to_dask
from support import InputFactory, Outcome, assert_same_outcome

BINARY = ["roc_auc_score", "average_precision_score", "roc_curve", "precision_recall_curve",
          "det_curve", "confusion_matrix_at_thresholds", "roc_auc_ci"]
TAKES_POS_LABEL = {"average_precision_score", "roc_curve", "precision_recall_curve",
                   "det_curve", "confusion_matrix_at_thresholds", "roc_auc_ci"}


def _binary_case(rng):
    gen = InputFactory()
    label_kind = rng.choice(["01", "pm1", "bool", "str", "int25"])
    case = gen.binary_case(rng, int(rng.integers(1, 300)), label_kind,
                           rng.choice(["f64", "f32", "f16", "i64"]),
                           rng.choice(["none", "round1", "round2", "const"]),
                           rng.choice([None, "int_zeros", "float_zeros"]))
    return case


def _check(rng, name, y, s, w, params, ctx):
    """The dask function on ``y, s, w`` as dask inputs behaves as the one-shot one."""
    d = to_dask(rng, {"y": y, "s": s, "w": w})
    expected = Outcome(getattr(cm, name), y, s, sample_weight=w, **params)
    got = Outcome(getattr(cd, name), d["y"], d["s"], sample_weight=d["w"], **params)
    assert_like_one_shot(expected, got, ctx)


@pytest.mark.parametrize("name", BINARY)
def test_binary_equals_the_one_shot_function(sync, rng, name):
    for trial in range(12):
        case = _binary_case(rng)
        params = {}
        if name in TAKES_POS_LABEL and rng.random() < 0.6:
            # average_precision_score(pos_label=None): refused before the pass, below.
            params["pos_label"] = InputFactory.pos_label_choice(
                rng, case, allow_none=name != "average_precision_score")
        if name == "roc_auc_score" and rng.random() < 0.4:
            params["max_fpr"] = float(rng.choice([0.1, 0.5, 1.0]))
        if name == "roc_auc_ci":
            params["confidence"] = float(rng.choice([0.9, 0.95]))
        if name in ("roc_curve", "precision_recall_curve") and rng.random() < 0.5:
            params["drop_intermediate"] = not (name == "roc_curve")
        _check(rng, name, np.asarray(case.y_true), np.asarray(case.y_score),
               case.sample_weight, params, f"{name} trial {trial} {case.desc} {params}")


def test_binary_on_the_cluster(client, rng):
    y = rng.random(5000) < 0.2
    s = np.round(rng.normal(size=5000) + y, 2).astype(np.float32)
    w = rng.integers(0, 3, 5000)
    dy, ds, dw = (da.from_array(a, chunks=700) for a in (y, s, w))
    for name in BINARY:
        expected = Outcome(getattr(cm, name), y, s, sample_weight=w)
        got = Outcome(getattr(cd, name), dy, ds, sample_weight=dw)
        assert_same_outcome(expected, got, exact=False, ctx=name, same_message=True)


def _multiclass_case(rng, k):
    values = mi.classes(rng.choice(["int", "int_shift", "str"]), k)
    n = int(rng.integers(k, 400))
    y = mi.labels(rng, n, values)
    y[: n // 3] = values[0]  # the first partitions miss classes
    return values, y, mi.proba(rng, n, k, ties=bool(rng.random() < 0.5))


@pytest.mark.parametrize("name, multi_class", [("roc_auc_score", "ovr"),
                                               ("roc_auc_score", "ovo"),
                                               ("average_precision_score", None)])
def test_multiclass_equals_the_one_shot_function(sync, rng, name, multi_class):
    for trial in range(8):
        k = int(rng.integers(3, 6))
        values, y, p = _multiclass_case(rng, k)
        w = mi.weights(rng, y.shape[0], rng.choice(mi.WEIGHT_MODES))
        averages = ["macro", "weighted", None] + (["micro"] if multi_class != "ovo" else [])
        params = {"average": rng.choice(averages)}
        if name == "roc_auc_score":
            params["multi_class"] = multi_class
            if rng.random() < 0.5:
                params["labels"] = values
        _check(rng, name, y, p, w, params,
               f"{name} trial {trial} k={k} {values.dtype} weights={w is not None} {params}")


def test_one_vs_rest_from_dataframe_columns(sync, rng):
    values, y, p = _multiclass_case(rng, 3)
    frame = pd.DataFrame({"y": y, "p0": p[:, 0], "p1": p[:, 1], "p2": p[:, 2]})
    ddf = dd.from_pandas(frame, npartitions=4)
    got = cd.roc_auc_score(ddf.y, ddf[["p0", "p1", "p2"]], multi_class="ovr", average=None)
    np.testing.assert_allclose(got, cm.roc_auc_score(y, p, multi_class="ovr", average=None),
                               rtol=1e-12)


def test_one_vs_one_on_the_cluster_from_dataframe_columns(client, rng):
    values, y, p = _multiclass_case(rng, 4)
    w = rng.integers(0, 3, y.shape[0])
    frame = pd.DataFrame({"y": y, "w": w, **{f"p{c}": p[:, c] for c in range(4)}})
    ddf = dd.from_pandas(frame, npartitions=3)
    scores = ddf[[f"p{c}" for c in range(4)]]
    for average in ("macro", "weighted", None):
        got = cd.roc_auc_score(ddf.y, scores, multi_class="ovo", average=average,
                               sample_weight=ddf.w)
        want = cm.roc_auc_score(y, p, multi_class="ovo", average=average, sample_weight=w)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0, err_msg=str(average))


def test_one_vs_rest_by_segment_uses_the_labels_of_all_the_data(sync, rng):
    values, y, p = _multiclass_case(rng, 3)
    g = rng.integers(0, 2, y.shape[0])
    got = cd.roc_auc_score(da.from_array(y, chunks=50), da.from_array(p, chunks=(50, 3)),
                           multi_class="ovr", by=da.from_array(g, chunks=50))
    want = {s: cm.roc_auc_score(y[g == s], p[g == s], multi_class="ovr", labels=values)
            for s in (0, 1)}
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda y, p: cd.roc_auc_score(y, p), ValueError, "multi_class must be in"),
    (lambda y, p: cd.roc_auc_score(y, p[:, :2], multi_class="ovr"), ValueError,
     "Number of classes in y_true not equal"),
    (lambda y, p: cd.roc_auc_score(y, p, multi_class="ovr", labels=[2, 1, 0]), ValueError,
     "must be ordered"),
    (lambda y, p: cd.roc_auc_score(y, p, multi_class="ovr", max_fpr=0.5), ValueError,
     "Partial AUC computation not available in multiclass"),
    (lambda y, p: cd.roc_auc_score(y, p, multi_class="ovr", average="samples"), ValueError,
     "average must be one of"),
    (lambda y, p: cd.roc_auc_score(y, p, multi_class="ovo", average="micro"), ValueError,
     "average must be one of"),
    (lambda y, p: cd.roc_auc_score(y, p, multi_class="ovo", max_bins=64), ValueError,
     "max_bins applies to binary"),
    (lambda y, p: cd.roc_auc_score(y, p[:, 0]), ValueError, "multi_class must be in"),
    (lambda y, p: cd.roc_auc_score(y, p, multi_class="ovr", max_bins=64), ValueError,
     "max_bins applies to binary"),
    (lambda y, p: cd.average_precision_score(y, p, average="samples"), ValueError,
     "'samples' needs the scores of each sample"),
    (lambda y, p: cd.average_precision_score(y, p, pos_label=2), ValueError,
     "pos_label is fixed to 1"),
    (lambda y, p: cd.average_precision_score(y == 1, p[:, 0], pos_label=None),
     InvalidParameterError, "pos_label"),
    (lambda y, p: cd.roc_auc_score(y == 1, p[:, 0], average="mean"), InvalidParameterError,
     "average"),
    (lambda y, p: cd.roc_auc_score(y == 1, p[:, 0], max_fpr=1.5), InvalidParameterError,
     "max_fpr"),
    (lambda y, p: cd.roc_auc_score(y == 1, p[:, 0], max_bins=1), InvalidParameterError,
     "max_bins"),
    (lambda y, p: cd.roc_auc_ci(y == 1, p[:, 0], method="bootstrap"), ValueError,
     "resamples the samples"),
    (lambda y, p: cd.roc_auc_ci(y == 1, p[:, 0], method="exact"), InvalidParameterError,
     "method"),
])
def test_bad_parameters_are_refused_before_the_pass(sync, call, error, message):
    y = da.from_array(np.array([0, 1, 2, 2, 1, 0]), chunks=4)
    p = da.from_array(np.full((6, 3), 1 / 3), chunks=(4, 3))
    with pytest.raises(error, match=message):
        call(y, p)


def test_sketch_equals_the_single_machine_sketch_and_bounds_the_auc(sync, rng):
    n = 20_000
    y = rng.random(n) < 0.3
    s = rng.normal(size=n) + y
    dy, ds = da.from_array(y, chunks=3000), da.from_array(s, chunks=3000)
    sketch = ScoreSketch(max_bins=128).update(y, s)
    assert cd.roc_auc_score(dy, ds, max_bins=128) == sketch.roc_auc_score()
    for a, b in zip(cd.roc_curve(dy, ds, max_bins=128), sketch.roc_curve()):
        np.testing.assert_array_equal(a, b)
    exact = cm.roc_auc_score(y, s)
    lo, hi = cd.accumulate(ScoreSketch(max_bins=128), dy, ds).roc_auc_interval()
    finer_lo, finer_hi = cd.accumulate(ScoreSketch(max_bins=2048), dy, ds).roc_auc_interval()
    assert lo <= finer_lo <= exact <= finer_hi <= hi and finer_hi - finer_lo < 0.1 * (hi - lo)


def test_roc_auc_ci_by_segment_and_one_class_segment(sync, rng):
    y = (rng.random(600) < 0.4).astype(int)
    s = rng.random(600) + 0.2 * y
    g = np.where(np.arange(600) < 500, "a", "b")
    y[500:] = 0  # segment b holds one class
    got = cd.roc_auc_ci(da.from_array(y, chunks=100), da.from_array(s, chunks=100),
                        by=da.from_array(g, chunks=100), compute=False)
    with pytest.raises(ValueError, match="Only one class is present in y_true"):
        got.compute()
    expected = cm.roc_auc_ci(y[:500], s[:500])
    got = cd.roc_auc_ci(da.from_array(y[:500], chunks=100), da.from_array(s[:500], chunks=100),
                        by=da.from_array(g[:500], chunks=100))
    assert got.keys() == {"a"}
    np.testing.assert_allclose(got["a"][:4], expected[:4], rtol=1e-12)
