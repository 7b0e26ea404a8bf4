import numpy as np
import numpy.typing as npt

def scan_two_values(
    y: npt.NDArray[np.number], is_second: npt.NDArray[np.uint8]
) -> tuple[int | float, int | float | None, bool]: ...
