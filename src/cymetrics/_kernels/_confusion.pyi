import numpy as np
import numpy.typing as npt

_Labels = npt.NDArray[np.integer]
_Counts = npt.NDArray[np.int64] | npt.NDArray[np.float64]

def label_range(y_true: _Labels, y_pred: _Labels) -> tuple[int, int]: ...
def accumulate_confusion(
    y_true: _Labels,
    y_pred: _Labels,
    offset: int,
    out: npt.NDArray[np.int64] | npt.NDArray[np.float64],
    weight: npt.NDArray[np.int64] | npt.NDArray[np.float64],
    start: int = ...,
) -> int: ...
def count_per_class(
    y_true: npt.NDArray[np.integer],
    y_pred: npt.NDArray[np.integer],
    offset: int,
    weight: _Counts,
    tp: _Counts,
    n_true: _Counts,
    n_pred: _Counts,
    seen: npt.NDArray[np.uint8],
    start: int = ...,
) -> int: ...
