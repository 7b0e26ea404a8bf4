import numpy as np
import numpy.typing as npt

_Labels = npt.NDArray[np.integer]

def label_range(y_true: _Labels, y_pred: _Labels) -> tuple[int, int]: ...
def accumulate_confusion(
    y_true: _Labels,
    y_pred: _Labels,
    offset: int,
    out: npt.NDArray[np.int64] | npt.NDArray[np.float64],
    weight: npt.NDArray[np.int64] | npt.NDArray[np.float64],
    start: int = ...,
) -> int: ...
