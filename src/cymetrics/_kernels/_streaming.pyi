import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Keys = npt.NDArray[np.float32] | npt.NDArray[np.float64] | npt.NDArray[np.uint64]
_Counts = npt.NDArray[np.int64] | npt.NDArray[np.float64]
_F64 = npt.NDArray[np.float64]
_Intp = npt.NDArray[np.intp]

def collapse_classes(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Counts,
    neg_w: _Counts,
    out_score: _Scores,
    out_pos: _Counts,
    out_neg: _Counts,
) -> int: ...
def collapse_sorted(key: _Scores, weight: _Counts, out_key: _Scores, out_count: _Counts) -> int: ...
def count_distinct_sorted(key: _Scores) -> int: ...
def merge_sorted(a: _Scores, b: _Scores, out: _Scores) -> None: ...
def merge_runs(
    a_key: _Keys,
    a_pos: _Counts,
    a_neg: _Counts,
    a_lo: _F64,
    a_hi: _F64,
    b_key: _Keys,
    b_pos: _Counts,
    b_neg: _Counts,
    b_lo: _F64,
    b_hi: _F64,
    out_key: _Keys,
    out_pos: _Counts,
    out_neg: _Counts,
    out_lo: _F64,
    out_hi: _F64,
) -> int: ...
def order_keys(scores: _Scores, out: npt.NDArray[np.uint64]) -> None: ...
def bucket_run(
    key: npt.NDArray[np.uint64],
    pos: _Counts,
    neg: _Counts,
    lo: _F64,
    hi: _F64,
    shift: int,
    out_key: npt.NDArray[np.uint64],
    out_pos: _Counts,
    out_neg: _Counts,
    out_lo: _F64,
    out_hi: _F64,
) -> int: ...
def count_distinct_buckets(key: npt.NDArray[np.uint64], shift: int) -> int: ...
def group_order(codes: _Intp, order: _Intp, offsets: _Intp) -> None: ...
def twice_mann_whitney(pos: npt.NDArray[np.int64], neg: npt.NDArray[np.int64]) -> int: ...
