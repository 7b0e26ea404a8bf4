import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Weights = npt.NDArray[np.float64]

LOG_LOSS: int
BRIER: int

def binary_loss(
    proba: _Scores,
    is_pos: npt.NDArray[np.uint8],
    pos_value: int,
    weight: _Weights,
    metric: int,
    clip_lo: float,
    clip_hi: float,
) -> tuple[float, float, float, bool]: ...
def binary_clipped(
    proba: _Scores,
    is_pos: npt.NDArray[np.uint8],
    pos_value: int,
    clip_lo: float,
    clip_hi: float,
    start: int,
    out: npt.NDArray[np.float64],
) -> tuple[int, float, float, bool]: ...
def matrix_loss(
    proba: _Scores,
    codes: npt.NDArray[np.intp],
    indicator: npt.NDArray[np.uint8],
    use_codes: bool,
    weight: _Weights,
    metric: int,
    clip_lo: float,
    clip_hi: float,
    sum_tol: float,
) -> tuple[float, float, float, bool, int]: ...
def binary_hinge(
    decision: _Scores, is_pos: npt.NDArray[np.uint8], pos_value: int, weight: _Weights
) -> tuple[float, bool]: ...
def multiclass_hinge(
    decision: _Scores, codes: npt.NDArray[np.intp], weight: _Weights
) -> tuple[float, bool]: ...
