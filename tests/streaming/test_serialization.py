"""to_bytes / from_bytes: round trips, and a corpus of broken states.

Every corrupted, truncated, hostile or wrong-version input must raise
ValueError (TypeError for a non-bytes object): never crash, never allocate
what a header claims, never load a state that computes wrong numbers.
"""

import copy
import pickle
import struct
import tracemalloc
import zlib

import numpy as np
import pytest

from cymetrics.streaming import (
    ConfusionAccumulator,
    GroupedAccumulator,
    OvRScoreAccumulator,
    ScoreAccumulator,
    ScoreSketch,
)
from cymetrics.streaming import _serialization as ser
from support import assert_damage_refused, edited_state


def _examples():
    rng = np.random.default_rng(7)
    y = rng.random(200) < 0.4
    s = np.round(rng.normal(size=200), 2)
    w = rng.random(200)
    yield "score-f32", ScoreAccumulator().update(y, s.astype(np.float32))
    yield "score-weighted", ScoreAccumulator(pos_label="p").update(np.where(y, "p", "n"), s, w)
    yield "score-empty", ScoreAccumulator(memory_budget=10**6)
    yield "score-int-thresholds", ScoreAccumulator(pos_label=True).update(y, (s * 100).astype(int))
    yield "sketch", ScoreSketch(16).update(y, s)
    yield "sketch-weighted", ScoreSketch(8).update(y, s, w)
    yield "confusion-int", ConfusionAccumulator().update(rng.integers(0, 4, 50),
                                                         rng.integers(0, 5, 50))
    yield "confusion-str-weighted", ConfusionAccumulator().update(
        np.array(["a", "bb", "a"]), np.array(["bb", "bb", "ccc"]), [0.5, 0, 2])
    yield "confusion-declared", ConfusionAccumulator(labels=[0, 1, 2]).update([0, 1], [1, 1])
    yield "confusion-declared-empty", ConfusionAccumulator(labels=["x", "y"])
    yield "confusion-multilabel", ConfusionAccumulator().update(
        rng.random((30, 9)) < 0.5, rng.random((30, 9)) < 0.5)
    yield "confusion-empty", ConfusionAccumulator()
    scores = rng.random((60, 3))
    yield "ovr", OvRScoreAccumulator([0, 1, 2]).update(rng.integers(0, 3, 60),
                                                       scores / scores.sum(1, keepdims=True))
    grouped = GroupedAccumulator(ScoreAccumulator())
    grouped.update(y, s, groups=rng.choice(["fr", "de", "it"], 200))
    yield "grouped", grouped


EXAMPLES = dict(_examples())


def _results(acc):
    """Everything the accumulator reports, for round-trip comparison."""
    if isinstance(acc, GroupedAccumulator):
        return acc.compute("roc_auc_score")
    if isinstance(acc, OvRScoreAccumulator):
        return acc.roc_auc_score(average=None)
    if isinstance(acc, ConfusionAccumulator):
        return acc.as_weighted_sample() if acc.n_samples else None
    if acc.n_samples == 0:
        return None
    return acc.roc_curve(drop_intermediate=False)


def _assert_same_results(a, b):
    ra, rb = _results(a), _results(b)
    if isinstance(ra, dict):
        assert ra == rb
    elif ra is not None:
        for x, y in zip(ra, rb):
            np.testing.assert_array_equal(x, y)
            assert x.dtype == y.dtype


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_round_trip(name):
    acc = EXAMPLES[name]
    data = acc.to_bytes()
    back = type(acc).from_bytes(data)
    assert back.to_bytes() == data
    _assert_same_results(acc, back)
    for other in (pickle.loads(pickle.dumps(acc)), copy.deepcopy(acc), copy.copy(acc)):
        assert other.to_bytes() == data
    # The restored accumulator keeps working and merging.
    if isinstance(acc, (ScoreAccumulator, ConfusionAccumulator)) and acc.n_samples:
        merged = back.copy().merge(acc)
        assert merged.n_samples == 2 * acc.n_samples


@pytest.mark.parametrize("name", [n for n in EXAMPLES if n.startswith("score")])
def test_joint_form_of_version_1_still_reads(name):
    """States written in the joint form (before the 'classes' mode) read back
    to the same state."""
    acc = EXAMPLES[name]
    if acc.n_samples == 0:
        return
    legacy = ser.dump(acc._KIND, _joint_fields(acc))
    back = ScoreAccumulator.from_bytes(legacy)
    # The same state (-0.0 and 0.0, one score, may swap their bit patterns).
    for name, value in _joint_fields(acc).items():
        got = _joint_fields(back)[name]
        assert type(got) is type(value)
        if isinstance(value, np.ndarray):
            assert got.dtype == value.dtype
            np.testing.assert_array_equal(got, value)
    _assert_same_results(acc, back)


def test_exact_state_serializes_to_its_memory_size():
    """Distinct scores without ties: 8 bytes a sample, as in memory (the
    joint form took 24)."""
    rng = np.random.default_rng(0)
    acc = ScoreAccumulator().update(rng.random(10**5) < 0.3, rng.random(10**5))
    assert acc.nbytes == 8 * 10**5
    assert len(acc.to_bytes()) < 1.01 * acc.nbytes


def test_pickle_does_not_pickle_arrays():
    payload = pickle.dumps(EXAMPLES["score-f32"], protocol=5)
    assert b"numpy" not in payload


@pytest.mark.parametrize("name", ["score-weighted", "sketch", "confusion-str-weighted",
                                  "confusion-multilabel", "ovr", "grouped"])
def test_every_truncation_and_byte_flip_is_refused(name):
    acc = EXAMPLES[name]
    assert_damage_refused(type(acc), acc.to_bytes(), 400)


def _reseal(body):
    return body + struct.pack("<I", zlib.crc32(body))


def _joint_fields(acc):
    """The fields of an exact score state as written before the 'classes'
    mode: the joint run of distinct scores (still read, format version 1)."""
    fields = ser.load(acc.to_bytes(), acc._KIND)
    run = acc._snapshot().counts.joint()
    for name in ("weighted", "pos_key", "pos_count", "neg_key", "neg_count"):
        del fields[name]
    fields.update(mode="exact", key=run.key, pos=run.pos, neg=run.neg)
    return fields


def _edit(acc, **changes):
    """The state's bytes with fields replaced (a valid checksum: only the
    field checks can catch it). A value of ``...`` deletes the field. Exact
    score states are edited in their joint form."""
    fields = ser.load(acc.to_bytes(), acc._KIND)
    if fields.get("mode") == "classes":
        fields = _joint_fields(acc)
    return edited_state(acc._KIND, fields, **changes)


def _hostile_cases():
    score = EXAMPLES["score-weighted"]
    fields = _joint_fields(score)
    key, pos, neg = fields["key"], fields["pos"], fields["neg"]
    yield "negative-count", score, _edit(score, pos=np.where(np.arange(len(pos)) == 3, -1.0, pos))
    yield "nan-count", score, _edit(score, neg=np.where(np.arange(len(neg)) == 2, np.nan, neg))
    yield "unsorted-scores", score, _edit(score, key=key[::-1].copy())
    yield "duplicate-scores", score, _edit(score, key=np.sort(np.concatenate([key[:1], key[:-1]])))
    yield "nan-score", score, _edit(score, key=np.where(np.arange(len(key)) == 0, np.nan, key))
    yield "empty-entry", score, _edit(score, pos=np.zeros_like(pos), neg=np.zeros_like(neg))
    yield "count-length", score, _edit(score, pos=pos[:-1].copy())
    yield "count-dtype", score, _edit(score, pos=pos.astype(np.float32))
    yield "negative-samples", score, _edit(score, n_pos_samples=-3)
    yield "three-classes", score, _edit(score, classes=np.array(["a", "b", "c"]))
    yield "unknown-mode", score, _edit(score, mode="fancy")
    yield "missing-field", score, _edit(score, key=...)
    yield "extra-field", score, _edit(score, surprise=1)
    yield "bad-thresholds-dtype", score, _edit(score, thresholds_dtype="<c16")
    yield "bad-max-bins", score, _edit(score, max_bins=1)
    classes = ser.load(score.to_bytes(), score._KIND)
    pos_key = classes["pos_key"]
    yield "classes-unsorted", score, _edit_classes(score, pos_key=pos_key[::-1].copy())
    yield "classes-int-weights", score, _edit_classes(score, pos_count=classes[
        "pos_count"].astype(np.int64))
    yield "classes-zero-count", score, _edit_classes(score, neg_count=classes["neg_count"] * 0)
    yield "classes-length", score, _edit_classes(score, pos_count=classes["pos_count"][1:])
    yield "classes-raw-weighted", score, _edit_classes(score, pos_count=None)
    yield "classes-nan", score, _edit_classes(score, neg_key=classes["neg_key"] * np.nan)
    raw = EXAMPLES["score-f32"]
    raw_key = ser.load(raw.to_bytes(), raw._KIND)["neg_key"]
    yield "classes-raw-unsorted", raw, _edit_classes(raw, neg_key=raw_key[::-1].copy())
    yield "classes-raw-totals", raw, _edit_classes(raw, neg_key=raw_key[1:].copy())
    unweighted = EXAMPLES["score-f32"]
    n_pos = ser.load(unweighted.to_bytes(), unweighted._KIND)["n_pos_samples"]
    yield "totals-disagree", unweighted, _edit(unweighted, n_pos_samples=n_pos + 1)
    yield "one-class-both-counted", unweighted, _edit(unweighted, classes=np.array([True]))
    yield "no-thresholds-dtype", unweighted, _edit(unweighted, thresholds_dtype=None)
    sketch = EXAMPLES["sketch"]
    fields = ser.load(sketch.to_bytes(), sketch._KIND)
    yield "sketch-keys-vs-scores", sketch, _edit(sketch, key=fields["key"] + np.uint64(1))
    yield "sketch-shift", sketch, _edit(sketch, shift=70)
    yield "sketch-lo-above-hi", sketch, _edit(sketch, lo=fields["hi"] + 1, hi=fields["lo"])
    yield "sketch-too-many-bins", sketch, _edit(sketch, max_bins=2)
    yield "sketch-budget", sketch, _edit(sketch, memory_budget=100)
    conf = EXAMPLES["confusion-int"]
    fields = ser.load(conf.to_bytes(), conf._KIND)
    m = fields["matrix"]
    yield "confusion-negative", conf, _edit(conf, matrix=m - m.max())
    yield "confusion-shape", conf, _edit(conf, matrix=m[:, :-1].copy())
    yield "confusion-unsorted-labels", conf, _edit(conf, classes=fields["classes"][::-1].copy())
    yield "confusion-not-present", conf, _edit(conf, present=np.zeros_like(fields["present"]))
    yield "confusion-float32", conf, _edit(conf, matrix=m.astype(np.float32))
    ml = EXAMPLES["confusion-multilabel"]
    fields = ser.load(ml.to_bytes(), ml._KIND)
    rows = fields["rows"].copy()
    rows[:, 1] |= 0x7F  # padding bits of 9 labels set
    yield "multilabel-padding", ml, _edit(ml, rows=rows)
    yield "multilabel-unsorted", ml, _edit(ml, rows=fields["rows"][::-1].copy(),
                                           counts=fields["counts"][::-1].copy())
    ovr = EXAMPLES["ovr"]
    yield "ovr-nested-garbage", ovr, _edit(ovr, class_1=b"CYMS garbage")
    yield "ovr-nested-other-kind", ovr, _edit(ovr, class_1=EXAMPLES["confusion-int"].to_bytes())
    yield "ovr-class-weight", ovr, _edit(ovr, class_weight=np.array([1.0, -1.0, 2.0]))
    grouped = EXAMPLES["grouped"]
    fields = ser.load(grouped.to_bytes(), "GroupedAccumulator")
    bad = dict(fields, keys=fields["keys"][::-1].copy())
    yield "grouped-unsorted-keys", grouped, ser.dump("GroupedAccumulator", bad)
    bad = dict(fields, group_0=EXAMPLES["confusion-int"].to_bytes())
    yield "grouped-other-kind", grouped, ser.dump("GroupedAccumulator", bad)
    good = score.to_bytes()
    body = bytearray(good[:-4])
    body[4:6] = struct.pack("<H", 99)
    yield "wrong-version", score, _reseal(bytes(body))
    yield "wrong-kind", conf, score.to_bytes()
    yield "bad-magic", score, b"JUNK" + good[4:]
    yield "trailing-bytes", score, _reseal(good[:-4] + b"\x00")
    yield "empty", score, b""


def _edit_classes(acc, **changes):
    """The bytes of an exact score state in 'classes' mode with fields replaced."""
    return edited_state(acc._KIND, ser.load(acc.to_bytes(), acc._KIND), **changes)


HOSTILE = list(_hostile_cases())


@pytest.mark.parametrize("name, acc, data", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_states_are_refused(name, acc, data):
    with pytest.raises(ValueError):
        type(acc).from_bytes(data)


@pytest.mark.parametrize("shape", [(2**60,), (2**31, 2**31), (0, 2**62)])
def test_declared_sizes_beyond_the_payload_allocate_nothing(shape):
    body = (ser.MAGIC + struct.pack("<H", ser.FORMAT_VERSION)
            + struct.pack("<H", 16) + b"ScoreAccumulator" + struct.pack("<I", 1)
            + struct.pack("<H", 3) + b"key" + struct.pack("<B", 0)
            + struct.pack("<H", 3) + b"<f8" + struct.pack("<B", len(shape))
            + struct.pack(f"<{len(shape)}Q", *shape))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError):
            ScoreAccumulator.from_bytes(_reseal(body))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize("dtype", ["|O", "<c16", "<V8", "<U99999999", "<M8[s]", "garbage"])
def test_disallowed_dtypes(dtype):
    body = (ser.MAGIC + struct.pack("<H", ser.FORMAT_VERSION)
            + struct.pack("<H", 16) + b"ScoreAccumulator" + struct.pack("<I", 1)
            + struct.pack("<H", 3) + b"key" + struct.pack("<B", 0)
            + struct.pack("<H", len(dtype)) + dtype.encode() + struct.pack("<B", 1)
            + struct.pack("<Q", 1) + b"\x00" * 8)
    with pytest.raises(ValueError, match="not allowed"):
        ScoreAccumulator.from_bytes(_reseal(body))


@pytest.mark.parametrize("data", [None, "text", 12, [1, 2]])
def test_non_bytes_input(data):
    with pytest.raises(TypeError):
        ScoreAccumulator.from_bytes(data)


def test_format_is_versioned_and_self_describing():
    data = EXAMPLES["score-f32"].to_bytes()
    assert data[:4] == b"CYMS"
    assert struct.unpack("<H", data[4:6])[0] == ser.FORMAT_VERSION
    assert ser.peek_kind(data) == "ScoreAccumulator"
    fields = ser.load(data, "ScoreAccumulator")
    assert fields["mode"] == "classes" and fields["pos_key"].dtype == np.float32
