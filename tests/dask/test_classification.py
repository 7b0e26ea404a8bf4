"""Every confusion-derived metric of cymetrics.dask against the one-shot function.

Each case draws labels (binary, multiclass or multilabel; numbers or
strings; some labels absent from some partitions), weights (none, integer
with zeros, float with zeros) and a layout (a dask array in uneven chunks,
some empty, or columns of a dask dataframe), then compares the outcome of
the dask function with the one-shot function on the concatenated data:
the same value (integer counts bit for bit; float weights to 1e-12), the
same warnings, or the same error.
"""

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import cymetrics as cm
import cymetrics.dask as cd
from cymetrics._classification._registry import METRICS
from support import Outcome, assert_same_outcome

AVERAGED = {"precision_score", "recall_score", "f1_score", "fbeta_score", "jaccard_score",
            "specificity_score", "npv_score", "fpr_score", "fnr_score", "mcc_score",
            "precision_recall_fscore_support"}
EXTRA = {
    "fbeta_score": {"beta": 2.0},
    "confusion_matrix": {"normalize": "true"},
    "cohen_kappa_score": {"weights": "quadratic"},
    "classification_report": {"output_dict": True, "zero_division": 0.0},
    "accuracy_score": {"normalize": False},
    "multilabel_confusion_matrix": {"samplewise": False},
    "zero_one_loss": {"normalize": False},
    "balanced_accuracy_score": {"adjusted": True},
}


def _params(name, kind):
    base = {"beta": 0.5} if name == "fbeta_score" else {}
    variants = [base, {**base, **EXTRA.get(name, {})}]
    if name in AVERAGED:
        variants.append({**base, "average": "samples" if kind == "multilabel" else "macro"})
    return variants


def _labels(rng, n, kind):
    if kind == "multilabel":
        y_true = (rng.random((n, 3)) < 0.4).astype(np.int64)
        flip = rng.random((n, 3)) < 0.2
        return y_true, np.where(flip, 1 - y_true, y_true)
    values = {"binary": np.array(["no", "yes"]) if rng.random() < 0.5 else np.array([0, 1]),
              "multiclass": np.array(["ant", "bee", "cat", "dog"]) if rng.random() < 0.5
              else np.array([-3, 2, 5, 9])}[kind]
    y_true = values[rng.integers(0, len(values), n)]
    y_pred = np.where(rng.random(n) < 0.6, y_true, values[rng.integers(0, len(values), n)])
    y_true[: n // 3] = values[0]  # the first partitions lack the other labels
    return y_true, y_pred


def _weights(rng, n):
    mode = rng.integers(0, 3)
    if mode == 0:
        return None
    w = rng.integers(0, 4, n) if mode == 1 else rng.random(n) * 2
    w[rng.random(n) < 0.2] = 0
    return w


def _dask_inputs(rng, y_true, y_pred, w):
    n = y_true.shape[0]
    if y_true.ndim == 1 and rng.random() < 0.5:
        frame = pd.DataFrame({"t": y_true, "p": y_pred, "w": np.ones(n) if w is None else w})
        ddf = dd.from_pandas(frame, npartitions=int(rng.integers(1, 7)))
        return ddf.t, ddf.p, None if w is None else ddf.w
    cuts = np.sort(rng.integers(0, n + 1, int(rng.integers(1, 8))))
    rows = tuple(int(c) for c in np.diff(np.concatenate([[0], cuts, [n]])))
    chunks = (rows,) + y_true.shape[1:]
    return (da.from_array(y_true, chunks=chunks), da.from_array(y_pred, chunks=chunks),
            None if w is None else da.from_array(w, chunks=rows))


def _split_report(text):
    """A text report's words and, apart, its numbers (weights sum in another order)."""
    words = text.split()
    numbers = [float(w) for w in words if w.replace(".", "", 1).isdigit()]
    return [w for w in words if not w.replace(".", "", 1).isdigit()], numbers


def _assert_like_one_shot(expected, got, ctx):
    """Integer arrays bit for bit, floats to 1e-12 (samples-averaged multilabel
    metrics sum per distinct row, in another order), errors by message."""
    if expected.raised and got.raised:
        # Raised on a worker: the one-shot message, then the partition.
        assert type(got.exc) is type(expected.exc), f"{ctx}: {got!r} != {expected!r}"
        assert str(got.exc).startswith(str(expected.exc)), f"{ctx}: {got!r} != {expected!r}"
        return
    if isinstance(expected.result, str) and isinstance(got.result, str):
        assert got.warning_names == expected.warning_names, ctx
        (got_words, got_numbers), (words, numbers) = map(_split_report, (got.result,
                                                                         expected.result))
        assert got_words == words and got_numbers == pytest.approx(numbers, rel=1e-12), ctx
        return
    assert_same_outcome(expected, got, exact=False, ctx=ctx)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("name", sorted(METRICS))
def test_equals_the_one_shot_function(sync, rng, name, kind):
    for trial in range(2):
        n = int(rng.integers(40, 400))
        y_true, y_pred = _labels(rng, n, kind)
        w = _weights(rng, n)
        dy, dp, dw = _dask_inputs(rng, y_true, y_pred, w)
        for params in _params(name, kind):
            ctx = f"{name} {kind} trial {trial} weights={None if w is None else w.dtype} {params}"
            expected = Outcome(getattr(cm, name), y_true, y_pred, sample_weight=w, **params)
            got = Outcome(getattr(cd, name), dy, dp, sample_weight=dw, **params)
            _assert_like_one_shot(expected, got, ctx)


def test_samplewise_needs_the_samples(sync):
    y = da.from_array(np.eye(4, 3, dtype=int), chunks=2)
    with pytest.raises(ValueError, match="samplewise=True needs the samples"):
        cd.multilabel_confusion_matrix(y, y, samplewise=True)


def test_segments_equal_the_one_shot_function_per_segment(sync, rng):
    n = 3000
    y_true, y_pred = _labels(rng, n, "multiclass")
    segment = rng.choice(np.array(["north", "south", "west"]), n)
    frame = pd.DataFrame({"t": y_true, "p": y_pred, "g": segment})
    ddf = dd.from_pandas(frame, npartitions=5)
    got = cd.f1_score(ddf.t, ddf.p, average="macro", by=ddf.g)
    want = {g: cm.f1_score(part.t, part.p, average="macro") for g, part in frame.groupby("g")}
    assert got == want


def test_unweighted_multilabel_support_is_int64(sync):
    y = np.array([[1, 0], [1, 1], [0, 1]])
    dy = da.from_array(y, chunks=2)
    assert cd.precision_recall_fscore_support(dy, dy)[3].dtype == np.int64
