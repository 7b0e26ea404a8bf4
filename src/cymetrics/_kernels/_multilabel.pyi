import numpy as np
import numpy.typing as npt

_Counts = npt.NDArray[np.int64] | npt.NDArray[np.float64]
_Int64 = npt.NDArray[np.int64]

def count_dense_indicator(
    y_true: npt.NDArray[np.number],
    y_pred: npt.NDArray[np.number],
    weight: _Counts,
    tp: _Counts,
    n_pred: _Counts,
    n_true: _Counts,
    s_tp: _Int64,
    s_pred: _Int64,
    s_true: _Int64,
) -> tuple[int | float, int | float]: ...
def count_csr_indicator(
    t_indptr: _Int64,
    t_indices: _Int64,
    t_data: npt.NDArray[np.float64],
    p_indptr: _Int64,
    p_indices: _Int64,
    p_data: npt.NDArray[np.float64],
    weight: _Counts,
    tp: _Counts,
    n_pred: _Counts,
    n_true: _Counts,
    s_tp: _Int64,
    s_pred: _Int64,
    s_true: _Int64,
) -> tuple[int | float, int | float, bool]: ...
