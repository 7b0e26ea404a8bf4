"""Functions that wait for a mergeable state cymetrics.streaming does not have yet.

Each takes numpy input already (the one-shot function runs) and raises
NotImplementedError for dask input, naming the accumulator it needs. Once
that accumulator exists, the function becomes one `metric_function` line
(see `cymetrics.dask._classification`).
"""

from cymetrics._probabilistic import _calibration, _losses
from cymetrics.dask._reductions import uses_dask, with_dask_parameters

__all__ = [
    "brier_score_loss",
    "calibration_curve",
    "d2_brier_score",
    "d2_log_loss_score",
    "expected_calibration_error",
    "log_loss",
    "maximum_calibration_error",
]


def _pending(one_shot, accumulator):
    name = one_shot.__name__

    def function(*args, **kwargs):
        dask_params = {key: kwargs.pop(key) for key in ("by", "split_every", "compute")
                       if key in kwargs}
        if dask_params.get("by") is not None or uses_dask(*args, *kwargs.values()):
            raise NotImplementedError(
                f"cymetrics.dask.{name} needs the {accumulator} accumulator, which "
                "cymetrics.streaming does not have yet"
            )
        return one_shot(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__signature__ = with_dask_parameters(one_shot)
    function.__doc__ = f"""`cymetrics.{name}` of dask inputs: not yet ({accumulator} state).

    Numpy input runs ``cymetrics.{name}``; dask input raises
    NotImplementedError until `cymetrics.streaming` has a mergeable
    {accumulator} state.

    Raises
    ------
    NotImplementedError
        For dask input.

    Examples
    --------
    >>> import dask.array as da
    >>> from cymetrics.dask import {name}
    >>> {name}(da.from_array([0, 1]), da.from_array([0.2, 0.7]))
    Traceback (most recent call last):
    ...
    NotImplementedError: cymetrics.dask.{name} needs the {accumulator} accumulator, ...
    """
    return function


log_loss = _pending(_losses.log_loss, "log-loss")
brier_score_loss = _pending(_losses.brier_score_loss, "Brier-score")
d2_log_loss_score = _pending(_losses.d2_log_loss_score, "log-loss")
d2_brier_score = _pending(_losses.d2_brier_score, "Brier-score")
calibration_curve = _pending(_calibration.calibration_curve, "calibration")
expected_calibration_error = _pending(_calibration.expected_calibration_error, "calibration")
maximum_calibration_error = _pending(_calibration.maximum_calibration_error, "calibration")

# Made by `_pending`, whose module doctest would not search: list them for it.
__test__ = {name: globals()[name] for name in __all__}
