"""Drift between a reference and a current dataset on dask: `cymetrics.monitoring`'s statistics.

The twins of the drift functions of `cymetrics.monitoring`, in the same
place under `cymetrics.dask` (as every function of `cymetrics.dask` is
the twin of the one of `cymetrics` with its name). Each dataset is a dask
array or dask dataframe column (2-D: one statistic per column, e.g. per
class of a probability matrix), or numpy.

Each dask dataset is one reduction to the state the statistic reads: a
`DistributionAccumulator` of its values (the distinct values with their
counts) for `ks_statistic`, `wasserstein_distance`,
`population_stability_index`, `jensen_shannon_distance` and
`prediction_shift` with a ``threshold``; a `ConfusionAccumulator` of its
labels for `label_shift` and `prediction_shift` of predicted labels. Both
reductions run in one computation, and the two merged states meet in a
last task, where the monitoring function compares them: only the result
reaches the client. Numpy datasets go to that function as they are.

The results are those of `cymetrics.monitoring` on the concatenated data
(the exact states are the data's distributions): the KS statistic equals
``scipy.stats.ks_2samp``'s, Wasserstein-1 ``scipy.stats.wasserstein_distance``
to rounding. Like the exact score states, a distribution costs about 24
bytes per distinct value: continuous float64 values at 10^8 rows make a
state of GBs (round them first).
"""

import functools

from cymetrics.dask._graph import evaluate, joined
from cymetrics.dask._reductions import DASK_PARAMETERS_DOC, n_columns, ndim, probe, uses_dask
from cymetrics.monitoring import _drift as one_shot
from cymetrics.streaming import ConfusionAccumulator, DistributionAccumulator

__all__ = [
    "jensen_shannon_distance",
    "ks_statistic",
    "label_shift",
    "population_stability_index",
    "prediction_shift",
    "wasserstein_distance",
]

# The dask parameters of these functions (no segments: ``by`` is not one).
_SPLIT_COMPUTE_DOC = DASK_PARAMETERS_DOC[DASK_PARAMETERS_DOC.index("    split_every"):]


def _distribution(x, name, split_every):
    """The `Delayed` merged `DistributionAccumulator` of a dask dataset."""
    template = DistributionAccumulator(n_columns(x) if ndim(x) == 2 else None)
    return evaluate(template, [(name, x)], None, split_every=split_every, compute=False)


def _labels(x, name, split_every):
    """The `Delayed` merged `ConfusionAccumulator` of a dask column of labels (its
    true and predicted labels both ``x``: its class counts are the labels')."""
    return evaluate(ConfusionAccumulator(), [("y_true", x), ("y_pred", x)], None,
                    split_every=split_every, compute=False)


def _compared(statistic, state_of, reference, current, params, split_every, compute):
    """``statistic(reference, current, **params)``, each dask dataset reduced to its
    state first; the parameters are checked (on a tiny sample) before any pass."""
    function = functools.partial(statistic, **params)
    if not uses_dask(reference, current):
        return function(reference, current)
    probe(statistic, [0, 1], [0, 1], **params)
    sides = [state_of(x, name, split_every) if uses_dask(x) else x
             for x, name in ((reference, "reference"), (current, "current"))]
    return joined(function, *sides, compute=compute)


_DATASETS = """\
    reference, current : dask array or dask dataframe column(s), or numpy
        1-D scores, or 2-D probabilities (a dask array, or a dask dataframe
        of columns): one statistic per column.
"""

_LABELS = """\
    reference, current : dask array or dask dataframe column, or numpy
        {what}.
"""


def _documented(kind, example, parameters="", datasets=_DATASETS):
    """The numpydoc of a drift function below its one-line summary."""
    def document(function):
        name = function.__name__
        function.__doc__ = f"""{function.__doc__}

    Parameters
    ----------
{datasets}{parameters}{_SPLIT_COMPUTE_DOC}

    Returns
    -------
    {kind}
        As ``cymetrics.monitoring.{name}`` on all the data; a
        `dask.delayed.Delayed` of it with ``compute=False``.

    Examples
    --------
    >>> import dask.array as da
    >>> from cymetrics.dask.monitoring import {name}
{example}
    """
        return function

    return document


@_documented("KSTest", """\
    >>> reference = da.from_array([0.1, 0.2, 0.3, 0.4], chunks=2)
    >>> current = da.from_array([0.3, 0.4, 0.5, 0.6], chunks=3)
    >>> ks_statistic(reference, current).statistic
    0.5""")
def ks_statistic(reference, current, *, split_every=None, compute=True):
    """`cymetrics.monitoring.ks_statistic` of two dask datasets, from their distributions."""
    return _compared(one_shot.ks_statistic, _distribution, reference, current, {},
                     split_every, compute)


@_documented("Drift", """\
    >>> reference = da.from_array([0.0, 1.0, 3.0], chunks=2)
    >>> wasserstein_distance(reference, da.from_array([5.0, 6.0, 8.0], chunks=2)).value
    5.0""")
def wasserstein_distance(reference, current, *, split_every=None, compute=True):
    """`cymetrics.monitoring.wasserstein_distance` of two dask datasets."""
    return _compared(one_shot.wasserstein_distance, _distribution, reference, current, {},
                     split_every, compute)


@_documented("Drift", """\
    >>> reference = da.from_array([1, 2, 3, 4, 5, 6, 7, 8], chunks=3)
    >>> current = da.from_array([5, 6, 7, 8, 9, 9, 9, 9], chunks=3)
    >>> round(population_stability_index(reference, current, n_bins=2).value, 6)
    4.604318""", parameters="""\
    n_bins, eps
        As in ``cymetrics.monitoring.population_stability_index`` (bins at
        the quantiles of all of the reference).
""")
def population_stability_index(reference, current, *, n_bins=10, eps=1e-4, split_every=None,
                               compute=True):
    """`cymetrics.monitoring.population_stability_index` of two dask datasets."""
    return _compared(one_shot.population_stability_index, _distribution, reference, current,
                     {"n_bins": n_bins, "eps": eps}, split_every, compute)


@_documented("Drift", """\
    >>> reference = da.from_array([1, 2, 3, 4], chunks=3)
    >>> current = da.from_array([5, 6, 7, 8], chunks=3)
    >>> round(jensen_shannon_distance(reference, current, n_bins=2).value, 6)
    0.557923""", parameters="""\
    n_bins : int, default=10
        As in ``cymetrics.monitoring.jensen_shannon_distance``.
""")
def jensen_shannon_distance(reference, current, *, n_bins=10, split_every=None, compute=True):
    """`cymetrics.monitoring.jensen_shannon_distance` of two dask datasets."""
    return _compared(one_shot.jensen_shannon_distance, _distribution, reference, current,
                     {"n_bins": n_bins}, split_every, compute)


_CONFIDENCE = """\
    confidence : float in (0, 1), default=0.95
        Of the intervals.
"""


@_documented("Shift", """\
    >>> reference = da.from_array(["no"] * 32 + ["yes"] * 48, chunks=30)
    >>> current = da.from_array(["no"] * 14 + ["yes"] * 56, chunks=30)
    >>> shift = label_shift(reference, current)
    >>> round(float(shift.difference[1]), 4), round(float(shift.low[1]), 4)
    (0.2, 0.0524)""", parameters=_CONFIDENCE,
             datasets=_LABELS.format(what="Labels (numbers or strings)"))
def label_shift(reference, current, *, confidence=0.95, split_every=None, compute=True):
    """`cymetrics.monitoring.label_shift` of two dask columns of true labels."""
    return _compared(one_shot.label_shift, _labels, reference, current,
                     {"confidence": confidence}, split_every, compute)


@_documented("Shift", """\
    >>> reference = da.from_array([0.1, 0.6, 0.7, 0.2], chunks=3)
    >>> current = da.from_array([0.8, 0.9, 0.7, 0.2], chunks=3)
    >>> shift = prediction_shift(reference, current, threshold=0.5)
    >>> shift.reference, shift.current
    (array([0.5, 0.5]), array([0.25, 0.75]))""", parameters="""\
    threshold : float, default=None
        Predict positive when ``score >= threshold``.
""" + _CONFIDENCE, datasets=_LABELS.format(what="Predicted labels or, with ``threshold``, "
                                           "1-D scores"))
def prediction_shift(reference, current, *, threshold=None, confidence=0.95, split_every=None,
                     compute=True):
    """`cymetrics.monitoring.prediction_shift` of two dask columns of predictions."""
    params = {"threshold": threshold, "confidence": confidence}
    return _compared(one_shot.prediction_shift, _labels if threshold is None else _distribution,
                     reference, current, params, split_every, compute)
