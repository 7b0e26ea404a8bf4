"""Inputs the fuzzers (fuzz/) found mishandled, each next to an equivalent
canonical input that must give the same outcome.

One row per finding: ``(function, odd arguments, canonical arguments)``. A
new finding is one row (its crash file minimized into fuzz/corpus too).
"""

import time

import bad_inputs as bi
import numpy as np
import pytest

import cymetrics
import cymetrics.streaming as cs
from support import Outcome, assert_same_outcome

# Bools built from a raw buffer: numpy reads any non-zero byte as True, the
# kernels read the bytes (found by the ranking harness: AssertionError "a
# label fell outside its own range").
RAW_BOOLS = np.frombuffer(bytes([0, 1, 0x33, 2, 0, 0xFF, 1, 0]), dtype=np.bool_)
BOOLS = RAW_BOOLS.copy() != 0
SCORES = np.array([0.1, 0.9, 0.8, 0.3, 0.2, 0.7, 0.6, 0.4])
PROBA = np.column_stack([1 - SCORES, SCORES])
# int32 labels whose range overflows int32 (hi - lo wrapped: a 24 GiB table).
WIDE_INT32 = np.array([-(2**31), 2**31 - 1, 0, 0, -(2**31), 2**31 - 1], dtype=np.int32)
WIDE_CODES = np.array([0, 2, 1, 1, 0, 2])
PROBA3 = np.full((6, 3), 1 / 3)
# bool y_true with uint64 y_pred: max() compared an np.bool_ with 2**63
# (OverflowError, found by the confusion harness).
U64_PRED = np.array([0, 1, 1, 0], dtype=np.uint64)
B_TRUE = np.array([False, True, False, False])

CASES = {
    "raw-bools-confusion_matrix": ("confusion_matrix", (RAW_BOOLS, BOOLS.astype(int)),
                                   (BOOLS, BOOLS.astype(int))),
    "raw-bools-accuracy_score": ("accuracy_score", (RAW_BOOLS, BOOLS), (BOOLS, BOOLS)),
    "raw-bools-roc_auc_score": ("roc_auc_score", (RAW_BOOLS, SCORES), (BOOLS, SCORES)),
    "raw-bools-top_k": ("top_k_accuracy_score", (RAW_BOOLS, PROBA), (BOOLS, PROBA)),
    "raw-bools-multilabel-f1": ("f1_score", (RAW_BOOLS.reshape(4, 2), BOOLS.reshape(4, 2),
                                             ), (BOOLS.reshape(4, 2), BOOLS.reshape(4, 2))),
    "raw-bools-hamming": ("hamming_loss", (RAW_BOOLS.reshape(4, 2), ~BOOLS.reshape(4, 2)),
                          (BOOLS.reshape(4, 2), ~BOOLS.reshape(4, 2))),
    "wide-int32-top_k": ("top_k_accuracy_score", (WIDE_INT32, PROBA3),
                         (WIDE_CODES, PROBA3)),
    "wide-int32-roc_auc-ovr": ("roc_auc_score", (WIDE_INT32, PROBA3),
                               (WIDE_CODES, PROBA3)),
    "bool-uint64-confusion_matrix": ("confusion_matrix", (B_TRUE, U64_PRED),
                                     (B_TRUE.astype(int), U64_PRED.astype(int))),
    "bool-uint64-binary_rates": ("binary_rates", (B_TRUE, U64_PRED),
                                 (B_TRUE.astype(int), U64_PRED.astype(int))),
}
KWARGS = {"raw-bools-multilabel-f1": {"average": "macro"},
          "wide-int32-roc_auc-ovr": {"multi_class": "ovr"}}


@pytest.mark.parametrize("case", list(CASES))
def test_odd_input_behaves_as_its_canonical_twin(case):
    name, odd, canonical = CASES[case]
    f = getattr(cymetrics, name)
    kwargs = KWARGS.get(case, {})
    expected = Outcome(f, *canonical, **kwargs)
    got = Outcome(f, *odd, **kwargs)
    if "wide-int32" in case and not expected.raised:
        assert not got.raised, got  # labels differ (codes vs int32), the values do not
        np.testing.assert_allclose(got.result, expected.result, rtol=1e-12)
        return
    assert_same_outcome(expected, got, ctx=case)


# ---------------------------------------------------------------------------
# Refused updates leave the state as it was (phase 2's state harnesses update
# every state they load). Found: DecayedAccumulator moved its clock (first
# batch, or a rebase for a far-ahead timestamp) before the batch was
# validated, so a refused batch could wipe the decayed weights (rebased from
# a time never reached) or leave bytes that from_bytes refused ("bad clock").
# ---------------------------------------------------------------------------
UPDATE_ROWS = [row for row in bi.ROWS
               if row.error is not None and row.target.count(".") == 2
               and row.target.rsplit(".", 1)[1] in ("update", "record_outcomes",
                                                    "record_predictions")]


@pytest.mark.parametrize("row", UPDATE_ROWS, ids=[row.id for row in UPDATE_ROWS])
def test_a_refused_update_leaves_the_state_as_it_was(row):
    _, name, method = row.target.split(".")
    acc = bi.fed(name)
    before = acc.to_bytes()
    with pytest.raises(row.error):
        getattr(acc, method)(*row.args, **row.kwargs)
    assert acc.to_bytes() == before


DECAY_REFUSED = {
    "far-ahead": ({"unit": "seconds"}, {"timestamp": 0.0}, {"timestamp": 1e6}),
    "first-batch": ({}, None, {}),
    "first-batch-seconds": ({"unit": "seconds"}, None, {"timestamp": 5.0}),
}


@pytest.mark.parametrize("case", list(DECAY_REFUSED))
def test_a_refused_decayed_batch_keeps_the_clock(case):
    config, first, refused = DECAY_REFUSED[case]
    decayed = cs.DecayedAccumulator(cs.ConfusionAccumulator(), 10.0, **config)
    if first is not None:
        decayed.update([0, 1], [0, 1], **first)
    before = decayed.to_bytes()
    with pytest.raises(ValueError, match="continuous"):
        decayed.update([0, 1], [0.5, 1.5], **refused)  # y_pred continuous: refused
    assert decayed.to_bytes() == before
    again = cs.DecayedAccumulator.from_bytes(before)
    assert again.snapshot().to_bytes() == decayed.snapshot().to_bytes()
    if first is not None:
        np.testing.assert_array_equal(decayed.snapshot().confusion_matrix(), np.eye(2))


def test_a_sliding_window_default_timestamps_stay_in_order(monkeypatch):
    """Found by the stress test (phase 2): the default timestamp was read
    before the lock, so concurrent updates (or a clock set back) raised
    "timestamp ... precedes the previous batch's"."""
    window = cs.SlidingWindow(cs.ScoreAccumulator(), 10)
    clock = iter([100.0, 50.0])
    monkeypatch.setattr(time, "time", lambda: next(clock))
    window.update([0, 1], [0.2, 0.7]).update([1, 0], [0.6, 0.3])  # the clock went back
    assert window.n_samples == 4
    assert window.snapshot().roc_auc_score() == 1.0


def test_a_pruned_decayed_quantile_state_reloads():
    """Found while fixing the state-ProbabilityAccumulator findings (phase 2):
    from_bytes wanted the distinct probabilities to count every sample, but
    decay prunes them, so a pruned DecayedAccumulator(ProbabilityAccumulator(
    strategy='quantile')) could not be reloaded, nor copied (copy goes through
    the bytes)."""
    rng = np.random.default_rng(0)
    decayed = cs.DecayedAccumulator(cs.ProbabilityAccumulator(strategy="quantile"), 1.0,
                                    prune_below=0.01)
    for _ in range(4):
        decayed.update(rng.integers(0, 2, 1100), np.round(rng.random(1100), 3))
    assert decayed.pruned_weight > 0
    again = cs.DecayedAccumulator.from_bytes(decayed.to_bytes())
    assert again.to_bytes() == decayed.to_bytes()
    assert decayed.copy().snapshot().log_loss() == decayed.snapshot().log_loss()
