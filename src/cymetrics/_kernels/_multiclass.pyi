import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Codes = npt.NDArray[np.intp]
_Weights = npt.NDArray[np.float64]

def class_positions(
    scores: _Scores,
    codes: _Codes,
    cursor: _Codes,
    position: _Codes,
    weight: _Weights,
    weight_out: _Weights,
    rtol: float = ...,
    atol: float = ...,
) -> tuple[bool, int]: ...
def gather_columns(
    scores: _Scores, position: _Codes, first_column: int, out: _Scores
) -> None: ...
def split_columns(
    scores: _Scores,
    codes: _Codes,
    indicator: npt.NDArray[np.uint8],
    use_codes: bool,
    out: _Scores,
    weight: _Weights,
    weight_out: _Weights,
    n_pos: _Codes,
) -> bool: ...
def split_flat(
    scores: _Scores,
    codes: _Codes,
    indicator: npt.NDArray[np.uint8],
    use_codes: bool,
    pos_out: _Scores,
    neg_out: _Scores,
    weight: _Weights,
    pos_w_out: _Weights,
    neg_w_out: _Weights,
) -> tuple[int, int, bool]: ...
def top_k_hits(
    scores: _Scores, codes: _Codes, k: int, weight: _Weights
) -> tuple[int, float, bool]: ...
