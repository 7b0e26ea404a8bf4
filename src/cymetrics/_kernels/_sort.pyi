import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Weights = npt.NDArray[np.float64]
_Bounds = npt.NDArray[np.int64]

SCRATCH: int
COUNT_SCRATCH: int

def sort_values(a: _Scores, w: _Weights, tmp: _Scores, tmp_w: _Weights) -> None: ...
def bucket_counts(
    score: _Scores,
    is_pos: npt.NDArray[np.uint8],
    weight: _Weights,
    start: int,
    stop: int,
    lo: float,
    scale: float,
    counts: npt.NDArray[np.int64],
    sums: npt.NDArray[np.float64],
    low: _Scores,
    high: _Scores,
) -> bool: ...
def bucket_scatter(
    score: _Scores,
    is_pos: npt.NDArray[np.uint8],
    weight: _Weights,
    start: int,
    stop: int,
    lo: float,
    scale: float,
    cursor: npt.NDArray[np.int64],
    neg: _Scores,
    neg_w: _Weights,
    pos: _Scores,
    pos_w: _Weights,
) -> bool: ...
def sort_buckets(
    a: _Scores,
    w: _Weights,
    bounds: _Bounds,
    low: _Scores,
    high: _Scores,
    first: int,
    last: int,
    tmp: _Scores,
    tmp_w: _Weights,
    count: npt.NDArray[np.uint32],
) -> None: ...
def bucket_pairs(
    pos: _Scores,
    neg: _Scores,
    pos_bounds: _Bounds,
    neg_bounds: _Bounds,
    low: _Scores,
    high: _Scores,
    first: int,
    last: int,
    tmp: _Scores,
    count: npt.NDArray[np.uint32],
) -> tuple[int, int]: ...
def bucket_ap_terms(
    pos: _Scores,
    neg: _Scores,
    pos_bounds: npt.NDArray[np.int64],
    neg_bounds: npt.NDArray[np.int64],
    low: _Scores,
    high: _Scores,
    first: int,
    last: int,
    tmp: _Scores,
    count: npt.NDArray[np.uint32],
    slots: npt.NDArray[np.int64],
    tp_above: npt.NDArray[np.int64],
    fp_above: npt.NDArray[np.int64],
    terms: npt.NDArray[np.float64],
) -> None: ...
def sum_in_order(terms: npt.NDArray[np.float64]) -> float: ...
