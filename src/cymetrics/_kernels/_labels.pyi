import numpy as np
import numpy.typing as npt

def scan_two_values(
    y: npt.NDArray[np.number], is_second: npt.NDArray[np.uint8]
) -> tuple[int | float, int | float | None, bool]: ...
def range_codes(
    y: npt.NDArray[np.integer], lo: int, counts: npt.NDArray[np.int64], codes: npt.NDArray[np.intp]
) -> int: ...
def scan_weights(w: npt.NDArray[np.int64] | npt.NDArray[np.float64]) -> tuple[bool, bool]: ...
