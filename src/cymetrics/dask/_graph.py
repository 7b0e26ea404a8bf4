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

The graph is built from `dask.delayed` tasks over the partitions'
``to_delayed()``: the same tree as ``dask.array.reduction`` would build, but
one code path for arrays and dataframes, with the partition number at hand
for error messages.
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
    from dask.delayed import delayed
except ModuleNotFoundError as exc:  # the extra is missing
    raise ModuleNotFoundError(
        "cymetrics.dask needs dask and distributed: pip install 'cymetrics[dask]'",
        name=exc.name,
    ) from exc

__all__ = [
    "DEFAULT_SPLIT_EVERY",
    "Finish",
    "discover_labels",
    "evaluate",
    "is_dask",
    "labels_of",
    "partitions",
    "reduce_states",
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
    """The inputs as per-partition tasks.

    ``chunks[i]`` holds partition ``i``'s delayed values; ``layout`` tells
    `_columns` how to read the named columns back from them.
    """

    names: tuple
    chunks: list
    layout: object  # "arrays", or {name: frame column(s)} for one dataframe


def _check_numeric(name, dtype):
    """Scores and weights must be numbers: refuse a wrong column before any work."""
    if name not in ("y_score", "y_prob", "sample_weight"):
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
        return Partitions(names, [(d,) for d in frame.to_delayed()], layout)
    arrays = _array_chunks(columns)
    # optimize_graph=False keeps the keys the inputs share (columns of one
    # array), so a shared upstream block is computed once, not once per input.
    blocks = [x.to_delayed(optimize_graph=False).reshape(-1) for x in arrays]
    return Partitions(names, list(zip(*blocks)), "arrays")


def _columns(names, layout, chunks):
    """``{name: numpy array}`` of one partition."""
    if layout == "arrays":
        return {name: np.asarray(c) for name, c in zip(names, chunks)}
    (frame,) = chunks
    return {name: frame[layout[name]].to_numpy() for name in names}


# ---------------------------------------------------------------------------
# Tasks (run on the workers; arguments and results are bytes and arrays)
# ---------------------------------------------------------------------------
def _named(exc, index, n_parts):
    """``exc`` again, its message naming the partition it came from."""
    where = f" (in dask partition {index} of {n_parts}, numbered from 0)"
    try:
        return type(exc)(f"{exc}{where}")
    except Exception:  # an exception type with another constructor
        return exc


def _partition_state(cls, blank, names, layout, index, n_parts, *chunks):
    """Partition ``index``: a blank accumulator updated with it, as bytes."""
    acc = cls.from_bytes(blank)
    try:
        cols = _columns(names, layout, chunks)
        data = [cols[name] for name in names if name not in ("sample_weight", "by")]
        if not any(len(c) for c in cols.values()):
            # An empty partition adds nothing (and an empty 2-D batch would
            # not even tell multilabel from multiclass).
            return acc.to_bytes()
        if "by" in cols:
            acc.update(*data, sample_weight=cols.get("sample_weight"), groups=cols["by"])
        else:
            acc.update(*data, sample_weight=cols.get("sample_weight"))
    except (ValueError, TypeError) as exc:
        raise _named(exc, index, n_parts) from exc
    return acc.to_bytes()


def _merged(cls, *states):
    """States (bytes) merged into one (bytes)."""
    first, *rest = (cls.from_bytes(s) for s in states)
    return first.merge(*rest).to_bytes()


def labels_of(y_true):
    """The sorted labels of a numpy ``y_true`` (no sort for binary numeric labels)."""
    target = binary_target(y_true)
    return target.classes if target.y_type == "binary" else unique_labels(target.y)


def _partition_labels(names, layout, index, n_parts, *chunks):
    try:
        (y,) = _columns(names, layout, chunks).values()
        return labels_of(y)
    except (ValueError, TypeError) as exc:
        raise _named(exc, index, n_parts) from exc


def _union(*labels):
    return unique_labels(*labels)


# ---------------------------------------------------------------------------
# The reduction
# ---------------------------------------------------------------------------
def _tree(leaves, combine, head, split_every, name):
    """``combine(*head, *group)`` over groups of ``split_every`` until one is left."""
    level = 0
    while len(leaves) > 1:
        level += 1
        leaves = [
            delayed(combine, pure=True)(*head, *leaves[i:i + split_every],
                                        dask_key_name=f"{name}-merge-{level}-{i // split_every}")
            for i in range(0, len(leaves), split_every)
        ]
    return leaves[0]


def _check_split_every(split_every):
    if split_every is None:
        return DEFAULT_SPLIT_EVERY
    return check_int("split_every", split_every, "cymetrics.dask", 2)


def _token(*parts):
    return dask.base.tokenize(*parts)


def _keys(parts):
    return [[c.key for c in chunk] for chunk in parts.chunks]


def reduce_states(template, columns, *, sample_weight=None, by=None, split_every=None):
    """``(class, Delayed bytes)``: the merged state of the inputs (``[(name, value)]``)."""
    split_every = _check_split_every(split_every)
    if by is not None:
        template = GroupedAccumulator(template)
    cls = type(template)
    blank = cls.from_bytes(template.to_bytes()).reset().to_bytes()
    parts = partitions([*columns, ("sample_weight", sample_weight), ("by", by)])
    n = len(parts.chunks)
    name = f"cymetrics-{cls.__name__}-{_token(blank, parts.names, parts.layout, _keys(parts))}"
    states = [
        delayed(_partition_state, pure=True)(cls, blank, parts.names, parts.layout, i, n,
                                             *chunk, dask_key_name=f"{name}-state-{i}")
        for i, chunk in enumerate(parts.chunks)
    ]
    if not states:  # an input without partitions: the blank state
        states = [delayed(blank, name=f"{name}-state-0")]
    return cls, _tree(states, _merged, (cls,), split_every, name)


def evaluate(template, columns, finish, *, sample_weight=None, by=None, split_every=None,
             compute=True):
    """``finish(merged accumulator)`` of the inputs (``finish=None``: the accumulator).

    ``finish`` runs in the last task, where the merged state is: only its
    result travels to the client, not the state (which for exact scores
    holds every distinct score). Eagerly, the warnings it raised there are
    raised again here, pointing at the caller; ``compute=False`` returns the
    `Delayed` of the result, whose warnings stay where the task runs.
    """
    cls, root = reduce_states(template, columns, sample_weight=sample_weight, by=by,
                              split_every=split_every)
    if finish is None:
        if compute:
            (state,) = dask.compute(root)
            return cls.from_bytes(state)
        return delayed(cls.from_bytes, pure=True)(root, dask_key_name=f"{root.key}-load")
    name = f"{root.key}-finish-{_token(finish)}"
    if not compute:
        return delayed(_finished, pure=True)(cls, root, finish, dask_key_name=name)
    (result, caught) = dask.compute(delayed(_finished_recording, pure=True)(
        cls, root, finish, dask_key_name=name + "-recorded"))[0]
    for category, message in caught:
        warn(message, category)
    return result


def _finished(cls, state, finish):
    return finish(cls.from_bytes(state))


def _finished_recording(cls, state, finish):
    """`_finished`, and its warnings as ``(category, message)`` for the client."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _finished(cls, state, finish)
    return result, [(w.category, str(w.message)) for w in caught]


def discover_labels(y_true, *, split_every=None):
    """The sorted labels of a dask ``y_true`` (computed now: they shape the graph).

    Each partition finds its labels (one pass without a sort for binary
    numeric labels), and the label sets merge up a tree. Numpy input is
    read here.
    """
    if not is_dask(y_true):
        return labels_of(y_true)
    parts = partitions([("y_true", y_true)])
    n = len(parts.chunks)
    name = f"cymetrics-labels-{_token(parts.layout, _keys(parts))}"
    found = [
        delayed(_partition_labels, pure=True)(parts.names, parts.layout, i, n, *chunk,
                                              dask_key_name=f"{name}-state-{i}")
        for i, chunk in enumerate(parts.chunks)
    ]
    if not found:
        return np.empty(0)
    (labels,) = dask.compute(_tree(found, _union, (), _check_split_every(split_every), name))
    return labels
