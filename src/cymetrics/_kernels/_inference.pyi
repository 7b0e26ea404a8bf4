import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Weights = npt.NDArray[np.float64]
_Index = npt.NDArray[np.int64]

AUC: int
AVERAGE_PRECISION: int
POSITIVE: int
RUN_START: int

def delong_sums(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Weights,
    neg_w: _Weights,
    total_pos: float,
    total_neg: float,
    weighted: bool,
    auc: float,
) -> tuple[float, float]: ...
def delong_placements(
    pos: _Scores,
    neg: _Scores,
    pos_w: _Weights,
    neg_w: _Weights,
    total_pos: float,
    total_neg: float,
    weighted: bool,
    pos_order: _Index,
    neg_order: _Index,
    v10: npt.NDArray[np.float64],
    v01: npt.NDArray[np.float64],
) -> float: ...
def count_draws(draws: _Index, table: _Index, counts: _Index) -> bool: ...
def sum_draws(
    draws: _Index, table: _Index, weights: _Weights, sums: npt.NDArray[np.float64]
) -> bool: ...
def resampled_ranking(
    counts: _Index, slot_w: _Weights, flags: npt.NDArray[np.uint8], statistic: int
) -> float: ...
