import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Weights = npt.NDArray[np.float64]

def split_by_class(
    score: _Scores, is_pos: npt.NDArray[np.uint8], pos_out: _Scores, neg_out: _Scores
) -> bool: ...
def split_by_class_weighted(
    score: _Scores,
    is_pos: npt.NDArray[np.uint8],
    weight: _Weights,
    pos_out: _Scores,
    pos_w_out: _Weights,
    neg_out: _Scores,
    neg_w_out: _Weights,
) -> tuple[int, int, bool]: ...
def sorted_sweep_auc(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Weights,
    neg_w: _Weights,
    total_pos: float,
    total_neg: float,
    weighted: bool,
    max_fpr: float = ...,
) -> float: ...
def sorted_sweep_average_precision(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Weights,
    neg_w: _Weights,
    total_pos: float,
    weighted: bool,
) -> float: ...
def count_distinct_thresholds(pos: _Scores, neg: _Scores) -> int: ...
def sorted_sweep_curve(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Weights,
    neg_w: _Weights,
    weighted: bool,
    fps: npt.NDArray[np.float64],
    tps: npt.NDArray[np.float64],
    thresholds: _Scores,
) -> None: ...
