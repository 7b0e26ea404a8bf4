import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Order = npt.NDArray[np.intp]

def rank_rows(
    scores: _Scores,
    order: _Order,
    codes: npt.NDArray[np.intp],
    relevant: npt.NDArray[np.uint8],
    use_codes: bool,
    n_relevant: npt.NDArray[np.int64],
    precision_sum: npt.NDArray[np.float64],
    pairs_above: npt.NDArray[np.int64],
    pairs_tied: npt.NDArray[np.int64],
) -> None: ...
def coverage(
    scores: _Scores, relevant: npt.NDArray[np.uint8], out: npt.NDArray[np.int64]
) -> bool: ...
def tie_averaged_dcg(
    scores: _Scores,
    order: _Order,
    gains: npt.NDArray[np.float64],
    discount_cumsum: npt.NDArray[np.float64],
    out: npt.NDArray[np.float64],
) -> None: ...
