import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Weights = npt.NDArray[np.float64]
# Weights (float64) or counts of distinct scores (int64).
_Counts = npt.NDArray[np.float64] | npt.NDArray[np.int64]

KEEP_ALL: int
KEEP_CORNERS: int
KEEP_TPS_ENDS: int
KEEP_TPS_ENDS_AFTER_ORIGIN: int

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
    pos_w: _Counts,
    neg_w: _Counts,
    total_pos: float,
    total_neg: float,
    weighted: bool,
    max_fpr: float = ...,
) -> float: ...
def sorted_sweep_average_precision(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Counts,
    neg_w: _Counts,
    total_pos: float,
    weighted: bool,
) -> float: ...
def sorted_sweep_points(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Counts,
    neg_w: _Counts,
    weighted: bool,
    rule: int,
    fps: npt.NDArray[np.float64],
    tps: npt.NDArray[np.float64],
    thresholds: _Scores,
    offset: int = ...,
    part: tuple[int, int, int, int] | None = ...,
) -> int: ...
PRECISION_RECALL: int
DET: int

def reversed_rates(
    fps: npt.NDArray[np.float64],
    tps: npt.NDArray[np.float64],
    kind: int,
    total_neg: float,
    total_pos: float,
    first: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64],
) -> None: ...
