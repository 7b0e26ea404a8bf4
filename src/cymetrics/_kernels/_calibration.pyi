import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]
_Sums = npt.NDArray[np.float64]

def bin_probabilities(
    prob: _Scores,
    hit: npt.NDArray[np.uint8],
    weight: _Sums,
    edges: _Sums,
    sum_prob: _Sums,
    sum_hit: _Sums,
    sum_weight: _Sums,
    uniform: bool = ...,
) -> bool: ...
def top_label(
    proba: _Scores,
    codes: npt.NDArray[np.intp],
    confidence: _Scores,
    correct: npt.NDArray[np.uint8],
) -> tuple[float, float, bool]: ...
