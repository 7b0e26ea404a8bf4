"""The reduction behind cymetrics.dask: partitions, bytes, the merge tree, bad input.

Most tests run on the real two-process cluster (``client``); the sweeps over
layouts use the in-process scheduler (``sync``), which runs the same tasks.
"""

import os
import signal
import time

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from dask.delayed import Delayed

import cymetrics as cm
import cymetrics.dask as cd
from cymetrics import InputTypeError, InvalidParameterError, UndefinedMetricWarning
from cymetrics.streaming import (
    ConfusionAccumulator,
    GroupedAccumulator,
    OvRScoreAccumulator,
    ScoreAccumulator,
    ScoreSketch,
)


def _binary(rng, n):
    y = (rng.random(n) < 0.3).astype(np.int64)
    return y, np.round(rng.random(n) + 0.3 * y, 3)


def _state_keys(result, kind):
    """Keys of the per-partition tasks of a ``kind`` accumulator in a result's graph."""
    return sorted(key for key in dict(result.__dask_graph__())
                  if isinstance(key, tuple) and key[0].startswith(f"cymetrics-{kind}-")
                  and key[0].endswith("-state"))


def _uneven_chunks(rng, n, k):
    """``k`` row chunks summing to ``n``, some of them empty."""
    cuts = np.sort(rng.integers(0, n + 1, k - 1))
    return tuple(int(c) for c in np.diff(np.concatenate([[0], cuts, [n]])))


# ---------------------------------------------------------------------------
# On the cluster: bytes between processes, the exact result, a lost worker
# ---------------------------------------------------------------------------
def test_cluster_results_equal_single_machine(client, rng):
    y, s = _binary(rng, 20_000)
    w = rng.integers(0, 3, y.shape[0])
    dy, ds, dw = (da.from_array(a, chunks=3000) for a in (y, s, w))
    assert cd.roc_auc_score(dy, ds, sample_weight=dw) == pytest.approx(
        cm.roc_auc_score(y, s, sample_weight=w), rel=1e-12, abs=0)
    np.testing.assert_array_equal(cd.confusion_matrix(dy, (ds > 0.6).astype(int)),
                                  cm.confusion_matrix(y, (s > 0.6).astype(int)))


def test_partition_states_cross_as_bytes(client, rng):
    y, s = _binary(rng, 1000)
    result = cd.roc_auc_score(da.from_array(y, chunks=300), da.from_array(s, chunks=300),
                              compute=False)
    graph = dict(result.__dask_graph__())
    states = _state_keys(result, "ScoreAccumulator")
    assert len(states) == 4  # one task per partition
    blobs = client.gather(client.compute([Delayed(key, graph) for key in states]))
    assert all(isinstance(b, bytes) and b.startswith(b"CYMS") for b in blobs)
    merged = ScoreAccumulator.from_bytes(blobs[0]).merge(
        *(ScoreAccumulator.from_bytes(b) for b in blobs[1:]))
    assert merged.roc_auc_score() == client.compute(result).result()


def test_nan_in_a_partition_raises_the_one_shot_error_naming_it(client, rng):
    y, s = _binary(rng, 1000)
    s[750] = np.nan
    with pytest.raises(ValueError) as one_shot:
        cm.roc_auc_score(y, s)
    with pytest.raises(ValueError, match=r"\(in dask partition 3 of 5, numbered from 0\)") as got:
        cd.roc_auc_score(da.from_array(y, chunks=200), da.from_array(s, chunks=200))
    assert str(got.value).startswith(str(one_shot.value))


def test_warnings_of_the_last_task_reach_the_caller(client, rng):
    y = da.zeros(10, chunks=4, dtype=np.int64)
    s = da.from_array(rng.random(10), chunks=4)
    with pytest.warns(UndefinedMetricWarning, match="Only one class is present") as record:
        assert np.isnan(cd.roc_auc_score(y, s))
    assert [w.filename for w in record] == [__file__]
    with pytest.warns(UndefinedMetricWarning, match="Recall is ill-defined"):
        assert cd.recall_score(y, y) == 0.0


def test_killed_worker_is_retried_and_the_result_stays_exact(client, rng):
    y, s = _binary(rng, 40_000)
    # Slow partitions, so that the worker dies with tasks in flight.
    slow = da.map_blocks(lambda b: (time.sleep(0.1), b)[1], da.from_array(s, chunks=1000),
                         dtype=s.dtype)
    future = client.compute(cd.roc_auc_score(da.from_array(y, chunks=1000), slow,
                                             compute=False))
    deadline = time.monotonic() + 30
    while not any(client.processing().values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert not future.done(), "the computation ended before a worker could be killed"
    victim = next(pid for addr, pid in client.run(os.getpid).items())
    os.kill(victim, signal.SIGKILL)
    assert future.result(timeout=120) == cm.roc_auc_score(y, s)
    assert victim not in client.run(os.getpid).values()  # (its nanny starts a new one)


# ---------------------------------------------------------------------------
# Layouts: chunks, partitions, numpy mixed in (in-process scheduler)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("split_every", [2, 3, 8, None])
def test_chunking_and_tree_shape_leave_integer_counts_bit_identical(sync, rng, split_every):
    n = 5000
    y_true = rng.choice(np.array(["ant", "bee", "cat", "dog"]), n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.choice(np.array(["ant", "eel"]), n))
    y_true[:2000] = "ant"  # some partitions miss labels
    w = rng.integers(0, 4, n)
    chunks = _uneven_chunks(rng, n, 12)
    got = cd.confusion_matrix(da.from_array(y_true, chunks=(chunks,)),
                              da.from_array(y_pred, chunks=700), sample_weight=w,
                              split_every=split_every)
    want = cm.confusion_matrix(y_true, y_pred, sample_weight=w)
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_mismatched_chunks_are_rechunked_to_those_of_y_true(sync, rng):
    y, s = _binary(rng, 3000)
    dy, ds = da.from_array(y, chunks=1000), da.from_array(s, chunks=700)
    result = cd.roc_auc_score(dy, ds, compute=False)
    assert len(_state_keys(result, "ScoreAccumulator")) == 3
    assert result.compute() == cm.roc_auc_score(y, s)


def test_numpy_weights_are_chunked_like_the_dask_inputs(sync, rng):
    y, s = _binary(rng, 3000)
    w = rng.random(3000)
    got = cd.average_precision_score(da.from_array(y, chunks=400), da.from_array(s, chunks=400),
                                     sample_weight=w)
    assert got == pytest.approx(cm.average_precision_score(y, s, sample_weight=w), rel=1e-12)


def test_unknown_chunk_sizes_pair_blocks_and_check_lengths_per_partition(sync, rng):
    y, s = _binary(rng, 3000)
    dy, ds = da.from_array(y, chunks=500), da.from_array(s, chunks=500)
    keep = ds > 0.2
    assert np.isnan(dy[keep].chunks[0][0])
    assert cd.roc_auc_score(dy[keep], ds[keep]) == cm.roc_auc_score(y[s > 0.2], s[s > 0.2])
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples.*dask partition \d"):
        cd.roc_auc_score(dy[keep], ds[ds > 0.3])
    with pytest.raises(ValueError, match="unknown chunk sizes and different numbers of blocks"):
        cd.roc_auc_score(dy[keep], da.from_array(s, chunks=1000)[da.from_array(s) > 0.2])
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        cd.roc_auc_score(dy[keep], s[s > 0.2])


def test_different_lengths_are_refused_before_any_work(sync, rng):
    y, s = _binary(rng, 100)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[100, 99\]"):
        cd.roc_auc_score(da.from_array(y, chunks=30), da.from_array(s[:99], chunks=30))


def _frame(rng, n, npartitions):
    y, s = _binary(rng, n)
    frame = pd.DataFrame({"y": np.where(y == 1, "yes", "no"), "s": s,
                          "w": rng.integers(0, 3, n), "g": rng.integers(0, 3, n)})
    return frame, dd.from_pandas(frame, npartitions=npartitions)


def test_dataframe_columns_with_string_labels(sync, rng):
    frame, ddf = _frame(rng, 4000, 6)
    got = cd.roc_curve(ddf.y, ddf.s, pos_label="yes", sample_weight=ddf.w)
    want = cm.roc_curve(frame.y, frame.s, pos_label="yes", sample_weight=frame.w)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)


def test_dataframe_columns_partitioned_differently_are_refused(sync, rng):
    frame, ddf = _frame(rng, 400, 4)
    other = dd.from_pandas(frame, npartitions=3)
    message = r"different numbers of partitions \(y_true: 4, y_score: 3"
    with pytest.raises(ValueError, match=message):
        cd.roc_auc_score(ddf.y == "yes", other.s)


def test_dataframe_and_array_inputs_do_not_mix(sync, rng):
    frame, ddf = _frame(rng, 400, 4)
    with pytest.raises(TypeError, match="y_true are dask dataframe columns but y_score are not"):
        cd.roc_auc_score(ddf.y == "yes", da.from_array(frame.s.to_numpy(), chunks=100))


@pytest.mark.parametrize("column", ["y", "g"])
def test_wrong_dtype_score_column_is_refused_before_any_work(sync, rng, column):
    frame, ddf = _frame(rng, 400, 4)
    # String scores never reach a worker; integer scores (the g column) are scores.
    if column == "y":
        with pytest.raises(InputTypeError, match="y_score must contain numbers; the dask input"):
            cd.roc_auc_score(ddf.g > 0, ddf.y)
        with pytest.raises(InputTypeError, match="sample_weight must contain numbers"):
            cd.accuracy_score(ddf.y, ddf.y, sample_weight=ddf.y)
    else:
        assert cd.roc_auc_score(ddf.y == "yes", ddf.g) == cm.roc_auc_score(frame.y == "yes",
                                                                         frame.g)


def test_empty_partitions_and_all_empty_input(sync, rng):
    y, s = _binary(rng, 50)
    chunks = ((0, 20, 0, 0, 30, 0),)
    assert cd.roc_auc_score(da.from_array(y, chunks=chunks),
                            da.from_array(s, chunks=chunks)) == cm.roc_auc_score(y, s)
    empty = da.from_array(np.empty(0, np.int64), chunks=5)
    with pytest.raises(ValueError, match="Found empty input array"):
        cd.roc_auc_score(empty, empty.astype(float))
    with pytest.raises(ValueError, match="empty"):
        cd.f1_score(empty, empty)


# ---------------------------------------------------------------------------
# The API around the reduction
# ---------------------------------------------------------------------------
def test_numpy_input_runs_the_one_shot_function(rng):
    y, s = _binary(rng, 200)
    assert cd.roc_auc_score(y, s) == cm.roc_auc_score(y, s)
    assert cd.f1_score(y, s > 0.5, average="macro") == cm.f1_score(y, s > 0.5, average="macro")
    assert cd.log_loss(y, np.clip(s, 0.01, 0.99)) == cm.log_loss(y, np.clip(s, 0.01, 0.99))


def test_compute_false_returns_a_delayed_of_the_result(sync, rng):
    y, s = _binary(rng, 500)
    result = cd.f1_score(da.from_array(y, chunks=100), da.from_array(s > 0.5, chunks=100)
                         .astype(int), compute=False)
    assert isinstance(result, Delayed)
    assert result.compute() == cm.f1_score(y, (s > 0.5).astype(int))


def test_by_gives_every_segment_in_one_pass(sync, rng):
    frame, ddf = _frame(rng, 3000, 5)
    result = cd.roc_auc_score(ddf.y, ddf.s, by=ddf.g, sample_weight=ddf.w, compute=False)
    assert len(_state_keys(result, "GroupedAccumulator")) == ddf.npartitions
    got = result.compute()
    want = {g: cm.roc_auc_score(part.y, part.s, sample_weight=part.w)
            for g, part in frame.groupby("g")}
    assert got.keys() == want.keys()
    for g in want:
        assert got[g] == pytest.approx(want[g], rel=1e-12)


def test_accumulate_returns_the_merged_accumulator(sync, rng):
    y, s = _binary(rng, 2000)
    dy, ds = da.from_array(y, chunks=300), da.from_array(s, chunks=300)
    sketch = cd.accumulate(ScoreSketch(max_bins=64), dy, ds)
    assert isinstance(sketch, ScoreSketch)
    assert sketch.to_bytes() == ScoreSketch(max_bins=64).update(y, s).to_bytes()
    lo, hi = sketch.roc_auc_interval()
    assert lo <= cm.roc_auc_score(y, s) <= hi
    grouped = cd.accumulate(ConfusionAccumulator(), dy, ds > 0.5, by=dy)
    assert isinstance(grouped, GroupedAccumulator) and grouped.groups == [0, 1]
    local = cd.accumulate(ScoreAccumulator(), y, s)  # numpy: updated here
    assert local.roc_auc_score() == cm.roc_auc_score(y, s)


@pytest.mark.parametrize("template", [GroupedAccumulator(ScoreAccumulator()), object(), None])
def test_accumulate_refuses_what_is_not_a_mergeable_accumulator(template):
    with pytest.raises(InvalidParameterError, match="template"):
        cd.accumulate(template, da.zeros(4), da.zeros(4))


@pytest.mark.parametrize("split_every", [1, 0, 2.5, "8"])
def test_bad_split_every(sync, split_every):
    with pytest.raises(InvalidParameterError, match="split_every"):
        cd.f1_score(da.zeros(4, dtype=int), da.zeros(4, dtype=int), split_every=split_every)


def test_unknown_parameter_is_refused_before_any_work():
    with pytest.raises(TypeError, match="unexpected keyword argument 'averge'"):
        cd.f1_score(da.zeros(4, dtype=int), da.zeros(4, dtype=int), averge="macro")


@pytest.mark.parametrize("name", ["roc_auc_score", "log_loss", "brier_score_loss"])
def test_multilabel_waits_for_its_state(sync, name):
    p = da.from_array(np.full((4, 3), 1 / 3), chunks=2)
    with pytest.raises(NotImplementedError, match="multilabel"):
        getattr(cd, name)(da.from_array(np.eye(4, 3, dtype=int)), p)


def test_ovr_template_is_exported_for_accumulate(sync, rng):
    y = rng.integers(0, 3, 600)
    p = rng.dirichlet(np.ones(3), 600)
    acc = cd.accumulate(OvRScoreAccumulator(labels=[0, 1, 2]), da.from_array(y, chunks=100),
                        da.from_array(p, chunks=(100, 2)))
    assert acc.roc_auc_score(average="weighted") == pytest.approx(
        cm.roc_auc_score(y, p, multi_class="ovr", average="weighted"), rel=1e-12)


def test_dask_config_default_scheduler_is_used(rng):
    y, s = _binary(rng, 100)
    with dask.config.set(scheduler="threads"):
        assert cd.roc_auc_score(da.from_array(y, chunks=30),
                                da.from_array(s, chunks=30)) == cm.roc_auc_score(y, s)
