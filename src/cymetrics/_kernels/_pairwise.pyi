import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]

def grouped_pair_statistics(
    grouped: _Scores,
    weights: npt.NDArray[np.float64],
    bounds: npt.NDArray[np.intp],
    out: npt.NDArray[np.float64],
    first_column: int = ...,
) -> None: ...
