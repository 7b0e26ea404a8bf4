"""The generic reduction, `accumulate`, and what every metric function built on it shares.

A function of `cymetrics.dask` is its one-shot twin for numpy input and,
for dask input, a plan: which accumulator each partition builds (the
template) and what to read from the merged one (a `Finish`). A new
mergeable accumulator in `cymetrics.streaming` makes a new function here
with one `metric_function` call.

Where the plan depends on the labels of all of y_true (the positive class,
the classes of probability columns), a first pass finds them
(`discover_labels`) and `probe` runs the one-shot function on a few rows
of those labels: an invalid label set or parameter raises the one-shot
function's own error before the pass over the data.
"""

import inspect
import warnings
from typing import NamedTuple

import numpy as np

from cymetrics._probabilistic._losses import renamed_y_pred
from cymetrics._shared._params import invalid
from cymetrics.dask._graph import DEFAULT_SPLIT_EVERY, evaluate, is_dask, locally
from cymetrics.streaming import GroupedAccumulator

__all__ = ["DASK_PARAMETERS_DOC", "Call", "accumulate", "metric_function", "n_columns", "ndim",
           "probe", "probe_scores", "refuse_multilabel", "run", "uses_dask",
           "with_dask_parameters"]

_DASK_PARAMETERS = [
    inspect.Parameter("by", inspect.Parameter.KEYWORD_ONLY, default=None),
    inspect.Parameter("split_every", inspect.Parameter.KEYWORD_ONLY, default=None),
    inspect.Parameter("compute", inspect.Parameter.KEYWORD_ONLY, default=True),
]

WEIGHT_DOC = """\
    sample_weight : dask array or dask dataframe column, default=None
        Non-negative weights.
"""

# The parameters every function adds to its one-shot twin's, in numpydoc.
DASK_PARAMETERS_DOC = f"""\
    by : dask array or dask dataframe column, default=None
        A segment of each sample: the result is ``{{segment: result}}``, each
        equal to the one-shot function on that segment's samples, all from
        the same single pass.
    split_every : int, default={DEFAULT_SPLIT_EVERY}
        How many states one task of the merge tree combines.
    compute : bool, default=True
        False returns a `dask.delayed.Delayed` whose last task reads the
        result from the merged state (its warnings are raised where that
        task runs: on a worker, under ``distributed``)."""


def uses_dask(*inputs):
    """True if any input is a dask collection (else the one-shot function runs)."""
    return any(is_dask(x) for x in inputs)


def ndim(y):
    """Dimensions of an array or a dask dataframe (2) or series (1)."""
    return y.ndim if hasattr(y, "ndim") else np.ndim(y)


def n_columns(y):
    """Columns of a 2-D array or dask dataframe."""
    return y.shape[1] if hasattr(y, "shape") else np.shape(y)[1]


def probe(function, y_true, y_score, **params):
    """``function`` on a tiny sample shaped like the data: its own checks of the
    parameters (and of the label set against the score columns), with its own
    messages, before the pass over the data. Its warnings are not the data's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        function(y_true, y_score, **params)


def probe_scores(classes, y_score):
    """Scores shaped like ``y_score`` for one sample of each of ``classes``: in
    [0, 1] for 1-D scores, rows summing to 1 for 2-D ones."""
    n = np.shape(classes)[0]
    if ndim(y_score) == 1:
        return np.linspace(0.0, 1.0, n)
    k = n_columns(y_score)
    return np.full((n, k), 1.0 / k)


def refuse_multilabel(y_true, func):
    """NotImplementedError for 2-D y_true: no state of multilabel scores yet."""
    if ndim(y_true) == 2:
        raise NotImplementedError(
            f"cymetrics.dask.{func} of multilabel y_true needs a multilabel score "
            "accumulator, which cymetrics.streaming does not have"
        )


def _check_template(template):
    needed = ("update", "merge", "reset", "to_bytes", "from_bytes")
    if isinstance(template, GroupedAccumulator) or not all(
            hasattr(template, name) for name in needed):
        raise invalid(
            "template", "cymetrics.dask.accumulate",
            "a mergeable cymetrics.streaming accumulator (segments are given with by=)",
            template,
        )


def _column_names(template, n_columns):
    """The names ``template.update`` gives its data columns (for messages)."""
    params = [p.name for p in inspect.signature(template.update).parameters.values()
              if p.kind == p.POSITIONAL_OR_KEYWORD and p.name != "sample_weight"]
    return params[:n_columns] + [f"column {i}" for i in range(len(params), n_columns)]


def run(template, columns, finish, *, sample_weight=None, by=None, split_every=None,
        compute=True):
    """``finish`` of ``template`` fed all the inputs (``[(name, value)]``).

    Dask inputs go through the reduction; numpy inputs update one
    accumulator here.
    """
    if uses_dask(*(x for _, x in columns), sample_weight, by):
        return evaluate(template, columns, finish, sample_weight=sample_weight, by=by,
                        split_every=split_every, compute=compute)
    acc = template.copy().reset() if by is None else GroupedAccumulator(template)
    data = [x for _, x in columns]
    if by is None:
        acc.update(*data, sample_weight=sample_weight)
    else:
        acc.update(*data, sample_weight=sample_weight, groups=by)
    return acc if finish is None else finish(acc)


def accumulate(template, *columns, sample_weight=None, by=None, split_every=None,
               compute=True):
    """One streaming accumulator fed every partition of dask inputs.

    Each partition updates an empty copy of ``template`` on the worker that
    holds it and sends its state on as the accumulator's checked bytes
    (``to_bytes``); the states merge ``split_every`` at a time up a tree. The
    result is the accumulator one process would hold after updating it with
    all the data: every method of it (any metric, the sketch's certified
    AUC interval, ``to_bytes`` to store it) is then available.

    Parameters
    ----------
    template : accumulator
        A configured `cymetrics.streaming` accumulator (its data is
        ignored): `ConfusionAccumulator`, `ScoreAccumulator`, `ScoreSketch`,
        `OvRScoreAccumulator`, or any other with ``update``, ``merge``,
        ``reset``, ``to_bytes`` and ``from_bytes``.
    *columns : dask arrays or dask dataframe columns
        The data columns of ``template.update`` (e.g. ``y_true, y_score``).
        Arrays are rechunked to the row chunks of the first when they
        differ; dataframe columns must have the same number of partitions.
        Numpy input updates the accumulator here.
    sample_weight : dask array or dask dataframe column, default=None
        Weights of the samples.
    by : dask array or dask dataframe column, default=None
        The segment of each sample: the result is a `GroupedAccumulator`
        with one accumulator per segment, from the same single pass.
    split_every : int, default=8
        How many states one task of the merge tree combines.
    compute : bool, default=True
        False returns a `dask.delayed.Delayed` of the accumulator.

    Returns
    -------
    accumulator, `GroupedAccumulator` (``by``) or `dask.delayed.Delayed`

    Examples
    --------
    >>> import dask.array as da
    >>> from cymetrics.dask import accumulate
    >>> from cymetrics.streaming import ScoreSketch
    >>> y_true = da.from_array([0, 0, 1, 1, 0, 1], chunks=2)
    >>> y_score = da.from_array([0.1, 0.4, 0.35, 0.8, 0.2, 0.7], chunks=2)
    >>> sketch = accumulate(ScoreSketch(max_bins=64), y_true, y_score)
    >>> sketch.roc_auc_interval()
    (0.8888888888888888, 0.8888888888888888)
    """
    _check_template(template)
    names = _column_names(template, len(columns))
    return run(template, list(zip(names, columns)), None, sample_weight=sample_weight, by=by,
               split_every=split_every, compute=compute)


def with_dask_parameters(one_shot, *extra):
    """``one_shot``'s signature with ``extra`` and the dask parameters appended."""
    params = list(inspect.signature(one_shot).parameters.values())
    return inspect.Signature(params + list(extra) + _DASK_PARAMETERS)


def _example(name, one_shot, arrays, params):
    """A doctested example: the dask call and, as its output, the one-shot result."""
    lines = [">>> import dask.array as da", f">>> from cymetrics.dask import {name}"]
    for arg, values in arrays.items():
        lines.append(f">>> {arg} = da.from_array({values!r}, chunks=3)")
    call = ", ".join([*arrays, *(f"{key}={value!r}" for key, value in params.items())])
    result = one_shot(*(np.asarray(v) for v in arrays.values()), **params)
    if isinstance(result, str):
        lines.append(f">>> print({name}({call}))")
        shown = result.rstrip("\n")
    else:
        lines.append(f">>> {name}({call})")
        shown = repr(result)
    lines += [line.rstrip() or "<BLANKLINE>" for line in shown.split("\n")]
    return "\n".join("    " + line for line in lines)


def _bound(signature, args, kwargs):
    """The arguments given, by name (a TypeError as any Python call for bad ones)."""
    return dict(signature.bind(*args, **kwargs).arguments)


class Call(NamedTuple):
    """What a plan may read of a call beyond its parameters: the data (``y_score``
    is the second column, whatever its name) and the dask parameters."""

    y_true: object
    y_score: object
    sample_weight: object
    by: object
    split_every: object


def metric_function(name, one_shot, plan, accumulator, *, extra=(), extra_doc="",
                    example=None, notes=""):
    """The `cymetrics.dask` twin of ``one_shot(y_true, y_pred or y_score, ...)``.

    ``plan(params, call)`` gives ``(template, Finish)`` for the parameters
    the function was called with (all but the data, ``sample_weight`` and
    the dask ones) and the `Call`; or None when the data is so small that
    the one-shot function runs on it (computed here) instead. It is
    consulted only for dask input, ``by``, or an ``extra`` parameter
    (keyword-only, beyond the one-shot's) given a value. ``accumulator``
    names the template's class, ``example`` holds the parameters of the
    docstring's example and ``notes`` a paragraph of its own.
    """
    first, second = list(inspect.signature(one_shot).parameters)[:2]
    weighted = "sample_weight" in inspect.signature(one_shot).parameters
    signature = with_dask_parameters(one_shot, *extra)
    extra_names = [p.name for p in extra]

    def metric(*args, **kwargs):
        params = _bound(signature, args, kwargs)
        data = [(first, params.pop(first, None)), (second, params.pop(second, None))]
        if "y_pred" in params:  # log_loss's y_proba, by its deprecated name (sklearn 1.9)
            data[1] = (second, renamed_y_pred(data[1][1], params.pop("y_pred"), name))
        sample_weight = params.pop("sample_weight", None)
        dask_params = {key: params.pop(key) for key in ("by", "split_every", "compute")
                       if key in params}
        if dask_params.get("by") is None and not uses_dask(*(x for _, x in data),
                                                           sample_weight) and not any(
                params.get(key) is not None for key in extra_names):
            return one_shot(*args, **{key: value for key, value in kwargs.items()
                                      if key not in extra_names and key not in dask_params})
        call = Call(data[0][1], data[1][1], sample_weight, dask_params.get("by"),
                    dask_params.get("split_every"))
        planned = plan(params, call)
        if planned is None:
            weight = {"sample_weight": sample_weight} if weighted else {}
            return locally(one_shot, [x for _, x in data], {**weight, **params},
                           compute=dask_params.get("compute", True))
        template, finish = planned
        return run(template, data, finish, sample_weight=sample_weight, **dask_params)

    metric.__name__ = metric.__qualname__ = name
    metric.__signature__ = signature
    values = {first: [0, 1, 1, 0, 1, 1, 0, 1],
              second: ([0, 1, 0, 0, 1, 1, 1, 1] if second not in ("y_score", "y_prob", "y_proba")
                       else [0.1, 0.8, 0.3, 0.4, 0.9, 0.6, 0.7, 0.8])}
    metric.__doc__ = f"""`cymetrics.{name}` of dask inputs, from mergeable states.

    Each partition builds a `{accumulator}` on its worker; the states
    merge up a tree and the result is read from the merged one: equal to
    ``cymetrics.{name}`` on all the data (integer counts bit for bit), with
    the same parameters, warnings and errors. Numpy input runs
    ``cymetrics.{name}`` itself.
{chr(10) + notes + chr(10) if notes else ""}
    Parameters
    ----------
    {first}, {second} : dask array or dask dataframe column
        As in ``cymetrics.{name}`` (2-D: a dask array, or a dask dataframe
        of columns). Arrays are rechunked to the row chunks of ``{first}``
        when theirs differ; dataframe columns must have the same number of
        partitions.
{WEIGHT_DOC if weighted else ""}{extra_doc + chr(10) if extra_doc else ""}{DASK_PARAMETERS_DOC}
    **params
        The other parameters of ``cymetrics.{name}``.

    Returns
    -------
    As ``cymetrics.{name}``; ``{{segment: result}}`` with ``by``; a
    `dask.delayed.Delayed` with ``compute=False``.

    Examples
    --------
{_example(name, one_shot, values, example or {})}
    """
    return metric
