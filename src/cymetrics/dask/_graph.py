"""Dask collections in, one merged accumulator out: the only module that imports dask.

Every function of `cymetrics.dask` is one reduction over the partitions of
its inputs:

1. the input columns (dask arrays, or columns of dask dataframes) are lined
   up partition by partition (`partitions`);
2. each partition builds a streaming accumulator from a blank template with
   ``update`` (the Cython kernels run there, on the worker) and returns it as
   its checked bytes (``to_bytes``): no raw prediction leaves its partition;
3. states merge ``split_every`` at a time up a tree, crossing tasks (and
   processes) as bytes again, until one state is left;
4. one last task reads the metric from that state; eagerly, its result and
   warnings come back to the client (``compute=False`` returns the
   `dask.delayed.Delayed` of the result).

The graph is one layer of plain dask tasks over the inputs' partition keys
(the tree ``dask.array.reduction`` builds, but one code path for arrays and
dataframes, with the partition number at hand for error messages), wrapped
in a `dask.delayed.Delayed`: any scheduler runs it, ``distributed``
included, and Dask retries the tasks of a lost worker.
"""

import warnings
from typing import NamedTuple

import numpy as np

from cymetrics._exceptions import InputTypeError
from cymetrics._shared._labels import binary_target, unique_labels
from cymetrics._shared._params import check_int
from cymetrics._shared._warnings import warn
from cymetrics.streaming import GroupedAccumulator

try:
    import dask
    import dask.array as da
    from dask.delayed import Delayed
    from dask.highlevelgraph import HighLevelGraph
except ModuleNotFoundError as exc:  # the extra is missing
    raise ModuleNotFoundError(
        "cymetrics.dask needs dask and distributed: pip install 'cymetrics[dask]'",
        name=exc.name,
    ) from exc

__all__ = [
    "DEFAULT_SPLIT_EVERY",
    "Finish",
    "Job",
    "discover_labels",
    "evaluate",
    "is_dask",
    "joined",
    "labels_of",
    "locally",
    "n_rows",
    "partitions",
]

DEFAULT_SPLIT_EVERY = 8


def is_dask(x):
    """True for a dask collection (array, dataframe, series)."""
    return dask.is_dask_collection(x)


def _is_frame(x):
    """A dask dataframe or series (duck-typed: no need to import dask.dataframe)."""
    return is_dask(x) and hasattr(x, "divisions") and not hasattr(x, "chunks")


class Finish(NamedTuple):
    """Read a result from an accumulator: ``then(acc.<method>(*args, **kwargs))``.

    For a `GroupedAccumulator` the method runs on every segment's
    accumulator and the result is ``{segment: result}``. A value, not a
    closure: it travels to the worker that runs the last task.
    """

    method: str
    args: tuple = ()
    kwargs: dict = {}
    then: object = None

    def _one(self, value):
        return value if self.then is None else self.then(value)

    def __call__(self, acc):
        if isinstance(acc, GroupedAccumulator):
            found = acc.compute(self.method, *self.args, **self.kwargs)
            return {key: self._one(value) for key, value in found.items()}
        return self._one(getattr(acc, self.method)(*self.args, **self.kwargs))


# ---------------------------------------------------------------------------
# Lining the inputs up partition by partition
# ---------------------------------------------------------------------------
class Partitions(NamedTuple):
    """The inputs as per-partition keys of a dask graph.

    ``keys[i]`` holds partition ``i``'s keys (one per input, or one for a
    dataframe holding them all); ``layout`` tells `_columns` how to read the
    named columns back from their values; ``collections`` hold the graphs.
    """

    names: tuple
    keys: list
    layout: object  # "arrays", or {name: frame column(s)} for one dataframe
    collections: list


def _check_numeric(name, dtype):
    """Scores and weights must be numbers: refuse a wrong column before any work."""
    if name not in ("y_score", "y_prob", "y_proba", "sample_weight", "reference", "current"):
        return  # labels and segments may be strings
    if getattr(dtype, "kind", "O") not in "biuf":  # numpy and pandas dtypes
        raise InputTypeError(f"{name} must contain numbers; the dask input has dtype {dtype}.")


def _array_chunks(columns):
    """Dask arrays (numpy inputs converted) chunked alike along the rows."""
    ref_name, ref = next((n, x) for n, x in columns if is_dask(x))
    rows = ref.chunks[0]
    known = not any(np.isnan(rows))
    arrays = []
    for name, x in columns:
        if not is_dask(x):
            if not known:
                raise ValueError(
                    f"{name} is not a dask array but {ref_name} has unknown chunk sizes: "
                    f"call {ref_name}.compute_chunk_sizes() first, or pass {name} as a "
                    "dask array chunked like it."
                )
            x = np.asarray(x)
            x = da.from_array(x, chunks=(rows,) + x.shape[1:])
        if x.ndim == 0 or x.ndim > 2:
            raise ValueError(f"{name} must be 1-D or 2-D; got a {x.ndim}-D dask array.")
        _check_numeric(name, x.dtype)
        if x.ndim == 2 and x.numblocks[1] > 1:
            x = x.rechunk({1: -1})  # a partition needs whole rows
        if x.chunks[0] != rows:
            x = _rechunked(name, x, ref_name, rows, known)
        arrays.append(x)
    return arrays


def _rechunked(name, x, ref_name, rows, known):
    """``x`` rechunked to the rows of the reference, or a clear error if unknown."""
    if known and not any(np.isnan(x.chunks[0])):
        if sum(x.chunks[0]) != sum(rows):
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"[{int(sum(rows))}, {int(sum(x.chunks[0]))}] ({ref_name}, {name})"
            )
        return x.rechunk({0: rows})
    if len(x.chunks[0]) == len(rows):
        return x  # unknown sizes, same number of blocks: paired block by block
    raise ValueError(
        f"{ref_name} and {name} have unknown chunk sizes and different numbers of "
        f"blocks ({len(rows)} and {len(x.chunks[0])}): call compute_chunk_sizes() on "
        "them, or build them alike."
    )


def _frame_chunks(columns):
    """One dataframe holding every column, so each partition is read once."""
    counts = {name: x.npartitions for name, x in columns}
    if len(set(counts.values())) > 1:
        shown = ", ".join(f"{name}: {n}" for name, n in counts.items())
        raise ValueError(
            f"the dask dataframe inputs have different numbers of partitions ({shown}): "
            "pass columns of one dataframe, or repartition them alike."
        )
    layout, pieces = {}, {}
    for name, x in columns:
        if x.ndim == 2:  # a dataframe: one column per class (2-D scores)
            keys = [f"{name}[{j}]" for j in range(len(x.columns))]
            for key, col in zip(keys, x.columns):
                _check_numeric(name, x[col].dtype)
                pieces[key] = x[col]
            layout[name] = keys
        else:
            _check_numeric(name, x.dtype)
            pieces[name] = x
            layout[name] = name
    first, *rest = pieces.items()
    frame = first[1].to_frame(name=first[0])
    if rest:
        frame = frame.assign(**dict(rest))
    return frame, layout


def partitions(columns):
    """Line up named inputs (``[(name, value or None)]``) partition by partition.

    Dask arrays are rechunked to the row chunks of the first one when their
    chunks differ (numpy inputs are chunked like it); with unknown chunk
    sizes, arrays with the same number of blocks are paired block by block
    and each pair's lengths are checked on the worker. Dataframe columns
    must have the same number of partitions and are combined into one
    dataframe (``assign``), read once per partition.
    """
    columns = [(name, x) for name, x in columns if x is not None]
    frames = [name for name, x in columns if _is_frame(x)]
    if frames and len(frames) != len(columns):
        others = [name for name, x in columns if not _is_frame(x)]
        raise TypeError(
            f"{', '.join(frames)} are dask dataframe columns but {', '.join(others)} are "
            "not: pass all inputs as columns of dask dataframes, or all as dask/numpy arrays."
        )
    names = tuple(name for name, _ in columns)
    if frames:
        frame, layout = _frame_chunks(columns)
        parts = frame.to_delayed()  # optimized: each partition reads only these columns
        return Partitions(names, [(d.key,) for d in parts], layout, parts)
    arrays = _array_chunks(columns)
    # The arrays' own keys, unoptimized: inputs that share blocks upstream
    # (columns of one array) keep sharing them, so each is computed once.
    blocks = [[k[0] if isinstance(k, list) else k for k in x.__dask_keys__()] for x in arrays]
    return Partitions(names, list(zip(*blocks)), "arrays", arrays)


def _columns(names, layout, chunks):
    """``{name: numpy array}`` of one partition."""
    if layout == "arrays":
        return {name: np.asarray(c) for name, c in zip(names, chunks)}
    (frame,) = chunks
    return {name: frame[layout[name]].to_numpy() for name in names}


# ---------------------------------------------------------------------------
# Tasks (run on the workers; arguments and results are bytes and arrays)
# ---------------------------------------------------------------------------
class Job:
    """What the tasks of one reduction share, stored once in its graph.

    The accumulator class and its blank state (bytes), the input columns'
    names and layout, the number of partitions and the `Finish` of the
    last task. (A plain object: a tuple in a dask graph would be a task.)
    """

    __slots__ = ("cls", "blank", "names", "layout", "n_parts", "finish")

    def __init__(self, cls, blank, parts, finish=None):
        self.cls, self.blank, self.finish = cls, blank, finish
        self.names, self.layout, self.n_parts = parts.names, parts.layout, len(parts.keys)

    def named(self, exc, index):
        """``exc`` again, its message naming the partition it came from."""
        where = f" (in dask partition {index} of {self.n_parts}, numbered from 0)"
        try:
            return type(exc)(f"{exc}{where}")
        except Exception:  # an exception type with another constructor
            return exc


def _partition_state(job, index, *chunks):
    """Partition ``index``: a blank accumulator updated with it, as bytes."""
    acc = job.cls.from_bytes(job.blank)
    try:
        cols = _columns(job.names, job.layout, chunks)
        data = [cols[name] for name in job.names if name not in ("sample_weight", "by")]
        if not any(len(c) for c in cols.values()):
            # An empty partition adds nothing (and an empty 2-D batch would
            # not even tell multilabel from multiclass).
            return job.blank
        if "by" in cols:
            acc.update(*data, sample_weight=cols.get("sample_weight"), groups=cols["by"])
        else:
            acc.update(*data, sample_weight=cols.get("sample_weight"))
    except (ValueError, TypeError) as exc:
        raise job.named(exc, index) from exc
    return acc.to_bytes()


def _merged(job, *states):
    """States (bytes) merged into one (bytes)."""
    first, *rest = (job.cls.from_bytes(s) for s in states)
    return first.merge(*rest).to_bytes()


def _blank(job):
    return job.blank


def _loaded(job, state):
    return job.cls.from_bytes(state)


def _finished(job, state):
    return job.finish(job.cls.from_bytes(state))


def _recording(function, *args):
    """``function(*args)``, and its warnings as ``(category, message)`` for the client."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args)
    return result, [(w.category, str(w.message)) for w in caught]


def _raised_again(result, caught):
    """``result``, after raising here the warnings recorded with it."""
    for category, message in caught:
        warn(message, category)
    return result


def _finished_recording(job, state):
    """`_finished`, and its warnings for the client."""
    return _recording(_finished, job, state)


def labels_of(y_true):
    """The sorted labels of a numpy ``y_true`` (no sort for binary numeric labels)."""
    target = binary_target(y_true)
    return target.classes if target.y_type == "binary" else unique_labels(target.y)


def _partition_labels(job, index, *chunks):
    try:
        (y,) = _columns(job.names, job.layout, chunks).values()
        return labels_of(y)
    except (ValueError, TypeError) as exc:
        raise job.named(exc, index) from exc


def _union(job, *labels):
    return unique_labels(*labels)


def _no_labels(job):
    return np.empty(0)


# ---------------------------------------------------------------------------
# The graph: one task per partition, a merge tree, a last task
# ---------------------------------------------------------------------------
def _check_split_every(split_every):
    if split_every is None:
        return DEFAULT_SPLIT_EVERY
    return check_int("split_every", split_every, "cymetrics.dask", 2)


def _graph(kind, job, parts, tasks, split_every, last=None):
    """A `Delayed` of ``last(job, root)``, or of the root of the tree.

    ``tasks`` = (per partition, merge of a group, without partitions).
    Tasks are plain dask tuples: ``dask.delayed`` would tokenize every call,
    which costs more than the task itself on small partitions.
    """
    leaf, combine, empty = tasks
    name = f"cymetrics-{kind}-" + dask.base.tokenize(
        job.blank, job.names, job.layout, job.finish, parts.keys, split_every, last)
    layer = {name: job}
    level = [((f"{name}-state", i), (leaf, name, i, *keys))
             for i, keys in enumerate(parts.keys)] or [((f"{name}-state", 0), (empty, name))]
    depth = 0
    while True:
        layer.update(level)
        if len(level) == 1:
            break
        depth += 1
        level = [((f"{name}-merge-{depth}", j // split_every),
                  (combine, name, *(key for key, _ in level[j:j + split_every])))
                 for j in range(0, len(level), split_every)]
    root = level[0][0]
    if last is not None:
        layer[(f"{name}-{last.__name__}", 0)] = (last, name, root)
        root = (f"{name}-{last.__name__}", 0)
    graph = HighLevelGraph.from_collections(name, layer, dependencies=parts.collections)
    return Delayed(root, graph, layer=name)


def evaluate(template, columns, finish, *, sample_weight=None, by=None, split_every=None,
             compute=True):
    """``finish(merged accumulator)`` of the inputs (``finish=None``: the accumulator).

    ``finish`` runs in the last task, where the merged state is: only its
    result travels to the client, not the state (which for exact scores
    holds every distinct score). Eagerly, the warnings it raised there are
    raised again here, pointing at the caller; ``compute=False`` returns the
    `Delayed` of the result, whose warnings stay where the task runs.
    """
    split_every = _check_split_every(split_every)
    if by is not None:
        template = GroupedAccumulator(template)
    cls = type(template)
    blank = cls.from_bytes(template.to_bytes()).reset().to_bytes()
    parts = partitions([*columns, ("sample_weight", sample_weight), ("by", by)])
    job = Job(cls, blank, parts, finish)
    tasks = (_partition_state, _merged, _blank)
    if finish is None:
        last = _loaded
    else:
        last = _finished_recording if compute else _finished
    result = _graph(cls.__name__, job, parts, tasks, split_every, last)
    if not compute:
        return result
    (result,) = dask.compute(result)
    if finish is None:
        return result
    return _raised_again(*result)


def joined(function, *inputs, compute=True):
    """``function(*inputs)`` in one last task, the inputs being `Delayed` results
    of `evaluate` (merged accumulators: they meet on a worker, not here) or
    plain values. Eagerly, its warnings are raised again here."""
    if not compute:
        return dask.delayed(function, pure=True)(*inputs)
    return _raised_again(*dask.compute(dask.delayed(_recording, pure=True)(function,
                                                                           *inputs))[0])


def locally(function, args, kwargs, *, compute=True):
    """``function`` of the dask ``args`` and ``kwargs`` computed into this process
    (for data of a row or two), or the `Delayed` of it."""
    if not compute:
        return dask.delayed(function)(*args, **kwargs)
    args, kwargs = dask.compute(list(args), kwargs)
    return function(*args, **kwargs)


def _block_rows(block):
    return np.array([block.shape[0]])


def n_rows(x):
    """The number of rows of a dask collection (computed when its chunks do not say)."""
    if _is_frame(x) or not is_dask(x):
        return len(x)
    rows = x.shape[0]
    if np.isnan(rows):
        sizes = x.map_blocks(_block_rows, chunks=((1,) * x.numblocks[0],), drop_axis=list(
            range(1, x.ndim)), dtype=np.int64)
        rows = sizes.sum().compute()
    return int(rows)


def discover_labels(y_true, *, split_every=None):
    """The sorted labels of a dask ``y_true`` (computed now: they shape the graph).

    Each partition finds its labels (one pass without a sort for binary
    numeric labels), and the label sets merge up a tree. Numpy input is
    read here.
    """
    if not is_dask(y_true):
        return labels_of(y_true)
    parts = partitions([("y_true", y_true)])
    job = Job(None, b"", parts)
    tasks = (_partition_labels, _union, _no_labels)
    (labels,) = dask.compute(_graph("labels", job, parts, tasks,
                                    _check_split_every(split_every)))
    return labels
