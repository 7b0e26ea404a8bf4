"""Drift between a reference and a current distribution of scores or labels.

Every statistic takes arrays (one-shot) or streaming states, and compares
distributions held as distinct values with counts (or weights):

* exact states and arrays give exact statistics: the KS statistic equals
  ``scipy.stats.ks_2samp``'s bit for bit (unweighted), Wasserstein-1 equals
  ``scipy.stats.wasserstein_distance`` to rounding;
* when either side is a sketch (a state past its memory budget), both are
  bucketed alike (the same monotone key at the same shift), so cumulative
  counts are exact at every bucket boundary: KS and Wasserstein come with a
  certified interval ``[low, high]`` that contains the exact value, PSI and
  Jensen-Shannon are the exact values for bins snapped to bucket
  boundaries.

2-D inputs (probability matrices) and multi-column states give one value
per column (per class).

**Bins of PSI and Jensen-Shannon.** ``n_bins`` bins cut at the reference's
quantiles: edge ``j`` (``j = 1 .. n_bins - 1``) is the smallest reference
value ``x`` with ``F_ref(x) >= j / n_bins`` (the inverted-CDF quantile,
weighted for weighted states), duplicate edges merged; bin ``i`` holds the
values in ``(edge[i-1], edge[i]]``, the first bin everything at or below
``edge[1]``, the last everything above the last edge. PSI is
``sum_i (c_i - r_i) ln(c_i / r_i)`` over the bins' shares ``r_i``, ``c_i``,
each share floored at ``eps`` (default 1e-4) so that an empty bin costs a
bounded amount instead of infinity; Jensen-Shannon is the distance
``sqrt(JS divergence)`` in base 2 (in [0, 1]), which needs no floor.
"""

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from cymetrics._inference._intervals import proportion_ci
from cymetrics._kernels import _streaming
from cymetrics._shared._labels import check_labels_1d
from cymetrics._shared._params import check_confidence, check_int, check_real, invalid
from cymetrics._shared._validation import check_scores
from cymetrics.streaming._confusion import ConfusionAccumulator
from cymetrics.streaming._distribution import DistributionAccumulator, column_counts
from cymetrics.streaming._ovr import OvRScoreAccumulator
from cymetrics.streaming._runs import Run
from cymetrics.streaming._scores import ScoreAccumulator
from cymetrics.streaming._sketch import SketchState

__all__ = [
    "Drift",
    "KSTest",
    "Shift",
    "jensen_shannon_distance",
    "kolmogorov_sf",
    "ks_statistic",
    "label_shift",
    "population_stability_index",
    "prediction_shift",
    "wasserstein_distance",
]

_UNBOUNDED_BINS = 2**62


class Drift(NamedTuple):
    """A drift statistic with bounds that contain its exact value.

    ``low == value == high`` for exact inputs; arrays (one entry per
    column) for multi-column inputs.
    """

    value: object
    low: object
    high: object


class KSTest(NamedTuple):
    """Two-sample Kolmogorov-Smirnov statistic and its asymptotic p-value."""

    statistic: object
    pvalue: object  # NaN for weighted or sketched inputs
    low: object
    high: object


class Shift(NamedTuple):
    """Class proportions in the reference and the current data.

    ``low``/``high`` bound ``difference = current - reference`` (Newcombe's
    interval from the two Wilson intervals, at ``confidence``).
    """

    classes: np.ndarray
    reference: np.ndarray
    current: np.ndarray
    difference: np.ndarray
    low: np.ndarray
    high: np.ndarray
    confidence: float


class _Column(NamedTuple):
    """One distribution: sorted distinct values with counts or weights."""

    values: np.ndarray
    weights: np.ndarray  # int64 counts or float64 weights
    sketch: object  # SketchState, or None when exact

    @property
    def total(self):
        return self.weights.sum()

    @property
    def counted(self):
        return self.sketch is None and self.weights.dtype.kind == "i"


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------
def _array_columns(x, name):
    a = np.asarray(x)
    if a.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D scores or a 2-D matrix; got shape {a.shape}")
    columns = []
    for c in range(1 if a.ndim == 1 else a.shape[1]):
        scores, _ = check_scores(a if a.ndim == 1 else np.ascontiguousarray(a[:, c]), name)
        if not np.isfinite(scores).all():
            raise ValueError(f"Input {name} contains NaN or infinity.")
        values, counts = np.unique(scores, return_counts=True)
        columns.append(_Column(values, counts.astype(np.int64), None))
    return columns


def _state_column(score_state):
    values, weights, sketch = column_counts(score_state)
    if values is None:
        return None
    return _Column(values, weights, sketch)


def _columns(x, name):
    """The distributions held by ``x``: arrays, or a streaming state."""
    if isinstance(x, DistributionAccumulator):
        states = x.column_states()
    elif isinstance(x, OvRScoreAccumulator):
        states = [x._compacted(x._snapshot()).per_class[c] for c in range(len(x.labels))]
    elif isinstance(x, ScoreAccumulator):
        states = [x._compacted_state()]
    else:
        return _array_columns(x, name)
    columns = [_state_column(s) for s in states]
    if any(c is None for c in columns):
        raise ValueError(f"{name} holds no data (or only zero weights)")
    return columns


def _pairs(reference, current):
    ref = _columns(reference, "reference")
    cur = _columns(current, "current")
    if len(ref) != len(cur):
        raise ValueError(f"reference has {len(ref)} columns and current {len(cur)}")
    for r, c in zip(ref, cur):
        if r.total <= 0 or c.total <= 0:
            raise ValueError("reference and current need a positive total weight")
    return list(zip(ref, cur))


def _per_column(values, multi):
    values = np.array(values, dtype=np.float64)
    return values if multi else float(values[0])


def _result(cls, rows, n_columns):
    return cls(*(_per_column(col, n_columns > 1) for col in zip(*rows)))


# ---------------------------------------------------------------------------
# Aligned buckets (when either side is a sketch)
# ---------------------------------------------------------------------------
def _as_sketch(column, shift):
    if column.sketch is not None:
        return column.sketch.at_shift(shift)
    weights = column.weights
    return SketchState.from_run(Run(np.ascontiguousarray(column.values, dtype=np.float64),
                                    np.zeros_like(weights), weights), _UNBOUNDED_BINS, shift)


class _Aligned(NamedTuple):
    keys: np.ndarray  # union of both sides' bucket keys (or values), ascending
    cdf_ref: np.ndarray  # cumulative share at each key (through its bucket)
    cdf_cur: np.ndarray
    lo: np.ndarray  # lowest and highest value in each bucket (both sides)
    hi: np.ndarray


def _joint(r, c, dtype=None):
    """The distinct values of two exact distributions with each side's
    cumulative weight at every value: one merge by the streaming kernel."""
    dtype = dtype or np.result_type(r.values.dtype, c.values.dtype)
    weight = np.int64 if r.counted and c.counted else np.float64
    ka, kb = (np.ascontiguousarray(x.values, dtype=dtype) for x in (r, c))
    wa, wb = (np.ascontiguousarray(x.weights, dtype=weight) for x in (r, c))
    n = ka.shape[0] + kb.shape[0]
    out = [np.empty(n, dtype=dtype), np.empty(n, dtype=weight), np.empty(n, dtype=weight)]
    m = _streaming.collapse_classes(ka, kb, wa, wb, *out)
    return out[0][:m], np.cumsum(out[1][:m]), np.cumsum(out[2][:m])


def _bucket_union(a, b):
    """Two sketches at one shift on the union of their buckets: the
    cumulative weights, and the lowest and highest value in each bucket."""
    keys = np.concatenate([a.key, b.key])
    order = np.argsort(keys, kind="stable")  # two sorted runs: a linear merge
    keys = keys[order]
    cum_a = np.cumsum(np.concatenate([a.pos + a.neg, np.zeros_like(b.pos)])[order])
    cum_b = np.cumsum(np.concatenate([np.zeros_like(a.pos), b.pos + b.neg])[order])
    last = np.append(keys[1:] != keys[:-1], True)
    starts = np.flatnonzero(np.concatenate([[True], last[:-1]]))
    lo = np.minimum.reduceat(np.concatenate([a.lo, b.lo])[order], starts)
    hi = np.maximum.reduceat(np.concatenate([a.hi, b.hi])[order], starts)
    return keys[last], cum_a[last], cum_b[last], lo, hi


def _aligned(r, c):
    """Both distributions on one grid: the exact values, or common buckets."""
    if r.sketch is None and c.sketch is None:
        keys, cum_r, cum_c = _joint(r, c)
        return _Aligned(keys, cum_r / cum_r[-1], cum_c / cum_c[-1], keys, keys)
    shift = max(s.sketch.shift for s in (r, c) if s.sketch is not None)
    keys, cum_a, cum_b, lo, hi = _bucket_union(_as_sketch(r, shift), _as_sketch(c, shift))
    return _Aligned(keys, cum_a / cum_a[-1], cum_b / cum_b[-1], lo, hi)


# ---------------------------------------------------------------------------
# Kolmogorov-Smirnov
# ---------------------------------------------------------------------------
def kolmogorov_sf(x):
    """Survival function of Kolmogorov's limiting distribution at ``x >= 0``.

    ``P(sqrt(n) D > x)`` as ``n`` grows (``scipy.stats.kstwobign.sf``), by
    its two theta-function series, each used where it converges fast.

    Examples
    --------
    >>> from cymetrics.monitoring import kolmogorov_sf
    >>> round(kolmogorov_sf(1.3581), 4)
    0.05
    """
    x = float(x)
    if x <= 0:
        return 1.0
    if x < 1.0:
        # 1 - sqrt(2 pi) / x sum_k exp(-(2k - 1)^2 pi^2 / (8 x^2))
        a = -math.pi**2 / (8.0 * x * x)
        total = sum(math.exp(a * (2 * k - 1) ** 2) for k in range(1, 8))
        return 1.0 - math.sqrt(2.0 * math.pi) / x * total
    # 2 sum_k (-1)^(k - 1) exp(-2 k^2 x^2)
    return max(0.0, 2.0 * sum((-1) ** (k - 1) * math.exp(-2.0 * k * k * x * x)
                              for k in range(1, 101)))


def _exact_ks(r, c):
    """``max |F_ref - F_cur|`` of integer counts as the exact rational
    ``h / lcm(n, m)``, rounded once (as ks_2samp's exact mode rounds it)."""
    _, cum_r, cum_c = _joint(r, c)
    n, m = int(cum_r[-1]), int(cum_c[-1])
    g = math.gcd(n, m)
    h = int(np.abs(cum_r * (m // g) - cum_c * (n // g)).max())
    return h * 1.0 / ((n // g) * m)


def _ks(r, c):
    if r.counted and c.counted:
        low = _exact_ks(r, c)
    else:
        aligned = _aligned(r, c)
        diff = aligned.cdf_ref - aligned.cdf_cur
        low = float(max(np.clip(-np.min(diff), 0, 1), np.max(diff)))
    if r.sketch is None and c.sketch is None:
        high = low
    else:
        uncertain = aligned.lo < aligned.hi
        prev_ref = np.concatenate([[0.0], aligned.cdf_ref[:-1]])
        prev_cur = np.concatenate([[0.0], aligned.cdf_cur[:-1]])
        cross = np.maximum(aligned.cdf_ref - prev_cur, aligned.cdf_cur - prev_ref)
        high = float(max(low, cross[uncertain].max(initial=0.0)))
    pvalue = math.nan
    if r.counted and c.counted:
        n, m = int(r.total), int(c.total)
        pvalue = kolmogorov_sf(math.sqrt(n * m / (n + m)) * low)
    return low, pvalue, low, high


def ks_statistic(reference, current):
    """Two-sample Kolmogorov-Smirnov statistic ``sup |F_ref - F_cur|``.

    Parameters
    ----------
    reference, current : array-like or streaming state
        1-D scores or 2-D probabilities (one statistic per column), or a
        `DistributionAccumulator`, `ScoreAccumulator` (its scores,
        whatever the labels) or `OvRScoreAccumulator` (per class column).

    Returns
    -------
    KSTest
        ``statistic`` (for exact unweighted inputs, the exact rational
        ``h / lcm(n, m)`` rounded once: ``scipy.stats.ks_2samp``'s statistic
        bit for bit where it uses its exact mode, up to rounding otherwise),
        the asymptotic p-value of
        Kolmogorov's limit at ``sqrt(n m / (n + m)) D`` (NaN for weighted or
        sketched inputs), and ``low <= exact <= high`` (equal unless a side
        is a sketch; ``statistic`` is then ``low``, the largest difference
        at the bucket boundaries).

    Examples
    --------
    >>> from cymetrics.monitoring import ks_statistic
    >>> ks_statistic([0.1, 0.2, 0.3, 0.4], [0.3, 0.4, 0.5, 0.6]).statistic
    0.5
    """
    pairs = _pairs(reference, current)
    return _result(KSTest, [_ks(r, c) for r, c in pairs], len(pairs))


# ---------------------------------------------------------------------------
# Wasserstein-1
# ---------------------------------------------------------------------------
def _wasserstein(r, c):
    if r.sketch is None and c.sketch is None:
        # In float64, as scipy computes (float32 values convert exactly).
        keys, cum_r, cum_c = _joint(r, c, np.dtype(np.float64))
        gap = np.abs(cum_r[:-1] / cum_r[-1] - cum_c[:-1] / cum_c[-1])
        value = float(np.sum(gap * np.diff(keys)))
        return value, value, value
    aligned = _aligned(r, c)
    level = np.abs(aligned.cdf_ref - aligned.cdf_cur)
    # Between buckets both CDFs are known: exact.
    exact = float(np.sum(level[:-1] * (aligned.lo[1:] - aligned.hi[:-1])))
    prev_ref = np.concatenate([[0.0], aligned.cdf_ref[:-1]])
    prev_cur = np.concatenate([[0.0], aligned.cdf_cur[:-1]])
    worst = np.maximum.reduce([level, np.abs(prev_ref - prev_cur),
                               aligned.cdf_ref - prev_cur, aligned.cdf_cur - prev_ref])
    inside = float(np.sum(worst * (aligned.hi - aligned.lo)))
    value = _wasserstein(_Column(r.values, r.weights, None),
                         _Column(c.values, c.weights, None))[0]
    return min(max(value, exact), exact + inside), exact, exact + inside


def wasserstein_distance(reference, current):
    """Wasserstein-1 (earth mover's) distance ``integral |F_ref - F_cur|``.

    Parameters
    ----------
    reference, current : array-like or streaming state
        As in `ks_statistic`.

    Returns
    -------
    Drift
        ``scipy.stats.wasserstein_distance(reference, current)`` (to
        rounding) for exact inputs, weighted by the states' weights. With a
        sketch: the distance between the buckets' lowest values, and bounds
        (exact between buckets, anything inside them).

    Examples
    --------
    >>> from cymetrics.monitoring import wasserstein_distance
    >>> wasserstein_distance([0.0, 1.0, 3.0], [5.0, 6.0, 8.0]).value
    5.0
    """
    pairs = _pairs(reference, current)
    return _result(Drift, [_wasserstein(r, c) for r, c in pairs], len(pairs))


# ---------------------------------------------------------------------------
# Binned: PSI and Jensen-Shannon
# ---------------------------------------------------------------------------
def _edge_positions(weights, n_bins):
    """Positions of the reference's inverted-CDF quantiles at ``j / n_bins``."""
    cum = np.cumsum(weights)
    total = cum[-1]
    levels = np.arange(1, n_bins)
    if weights.dtype.kind == "i":  # exact: cum * n_bins >= j * total
        return np.searchsorted(cum * n_bins, levels * total, side="left")
    return np.searchsorted(cum / total, levels / n_bins, side="left")


def _bin_shares(r, c, n_bins):
    """Each side's share of weight in the reference-quantile bins."""
    if r.sketch is None and c.sketch is None:
        ref_keys, ref_w, cur_keys, cur_w = r.values, r.weights, c.values, c.weights
    else:
        shift = max(s.sketch.shift for s in (r, c) if s.sketch is not None)
        a, b = _as_sketch(r, shift), _as_sketch(c, shift)
        ref_keys, ref_w, cur_keys, cur_w = a.key, a.pos + a.neg, b.key, b.pos + b.neg
    edges = np.unique(ref_keys[_edge_positions(ref_w, n_bins)])
    shares = []
    for keys, weights in ((ref_keys, ref_w), (cur_keys, cur_w)):
        cum = np.concatenate([[0], np.cumsum(weights)])
        at = cum[np.searchsorted(keys, edges, side="right")]
        shares.append(np.diff(np.concatenate([[0], at, [cum[-1]]])) / cum[-1])
    return shares


def _check_bins(n_bins, func):
    return check_int("n_bins", n_bins, func, 1)


def population_stability_index(reference, current, *, n_bins=10, eps=1e-4):
    """Population stability index over bins at the reference's quantiles.

    ``sum_i (c_i - r_i) ln(c_i / r_i)``, shares floored at ``eps`` (see
    the module notes for the bin rule). Rules of thumb: below 0.1 stable,
    0.1-0.25 moderate shift, above 0.25 large shift.

    Parameters
    ----------
    reference, current : array-like or streaming state
        As in `ks_statistic`.
    n_bins : int, default=10
        Quantile bins of the reference (fewer if its quantiles tie).
    eps : float in (0, 1), default=1e-4
        Floor of a bin's share.

    Returns
    -------
    Drift
        Exact (``low == high == value``); with a sketch, the bins' edges are
        snapped to the end of the bucket holding each quantile.

    Examples
    --------
    >>> from cymetrics.monitoring import population_stability_index
    >>> ref, cur = [1, 2, 3, 4, 5, 6, 7, 8], [5, 6, 7, 8, 9, 9, 9, 9]
    >>> round(population_stability_index(ref, cur, n_bins=2).value, 6)
    4.604318
    """
    _check_bins(n_bins, "population_stability_index")
    eps = check_real("eps", eps, "population_stability_index", 0.0, 1.0, closed="neither")
    rows = []
    for r, c in _pairs(reference, current):
        ref, cur = (np.maximum(s, eps) for s in _bin_shares(r, c, n_bins))
        value = float(np.sum((cur - ref) * np.log(cur / ref)))
        rows.append((value, value, value))
    return _result(Drift, rows, len(rows))


def _entropy_to_mid(p, m):
    keep = p > 0
    return float(np.sum(p[keep] * np.log2(p[keep] / m[keep])))


def jensen_shannon_distance(reference, current, *, n_bins=10):
    """Jensen-Shannon distance (base 2, in [0, 1]) over the reference's quantile bins.

    Parameters
    ----------
    reference, current : array-like or streaming state
        As in `ks_statistic`.
    n_bins : int, default=10
        Quantile bins of the reference (see the module notes).

    Returns
    -------
    Drift
        ``scipy.spatial.distance.jensenshannon(r, c, base=2)`` of the bins'
        shares ``r`` and ``c``.

    Examples
    --------
    >>> from cymetrics.monitoring import jensen_shannon_distance
    >>> round(jensen_shannon_distance([1, 2, 3, 4], [5, 6, 7, 8], n_bins=2).value, 6)
    0.557923
    """
    _check_bins(n_bins, "jensen_shannon_distance")
    rows = []
    for r, c in _pairs(reference, current):
        ref, cur = _bin_shares(r, c, n_bins)
        mid = (ref + cur) / 2
        value = math.sqrt(max(0.0, (_entropy_to_mid(ref, mid) + _entropy_to_mid(cur, mid)) / 2))
        rows.append((value, value, value))
    return _result(Drift, rows, len(rows))


# ---------------------------------------------------------------------------
# Label and prediction shift
# ---------------------------------------------------------------------------
def _label_counts(x, name, predicted):
    """``(classes, counts)`` of labels: an array, a mapping or a ConfusionAccumulator."""
    if isinstance(x, ConfusionAccumulator):
        confusion = x.confusion()
        return confusion.classes, confusion.matrix.sum(axis=0 if predicted else 1)
    if isinstance(x, Mapping):
        classes = check_labels_1d(list(x), name)
        counts = np.array([x[k] for k in x], dtype=np.float64)
        order = np.argsort(classes)
        return classes[order], counts[order]
    labels = check_labels_1d(x, name)
    if labels.shape[0] == 0:
        raise ValueError(f"{name} holds no labels")
    return np.unique(labels, return_counts=True)


def _threshold_counts(x, name, threshold):
    """``([False, True], counts)`` of scores below / at or above ``threshold``."""
    columns = _columns(x, name)
    if len(columns) != 1:
        raise ValueError(f"{name}: a threshold applies to 1-D scores")
    column = columns[0]
    if column.sketch is not None:
        sketch = column.sketch
        if np.any((sketch.lo < threshold) & (threshold <= sketch.hi)):
            raise ValueError(f"threshold {threshold!r} falls inside a sketch bucket of {name}: "
                             "its counts are not known")
    above = column.weights[np.searchsorted(column.values, threshold, side="left"):].sum()
    return np.array([False, True]), np.array([column.total - above, above])


def _shift(ref_counts, cur_counts, confidence):
    (ref_classes, ref_n), (cur_classes, cur_n) = ref_counts, cur_counts
    if (ref_classes.dtype.kind == "U") != (cur_classes.dtype.kind == "U"):
        raise ValueError("reference and current labels mix strings and numbers")
    classes = np.union1d(ref_classes, cur_classes)
    shares = []
    for own, counts in ((ref_classes, ref_n), (cur_classes, cur_n)):
        full = np.zeros(classes.shape[0])
        full[np.searchsorted(classes, own)] = counts
        total = full.sum()
        if total <= 0:
            raise ValueError("reference and current need a positive total weight")
        shares.append((full, total))
    (r, nr), (c, nc) = shares
    ci_r = proportion_ci(r, nr, confidence=confidence)
    ci_c = proportion_ci(c, nc, confidence=confidence)
    p_r, p_c = np.atleast_1d(ci_r.estimate), np.atleast_1d(ci_c.estimate)
    diff = p_c - p_r
    low = diff - np.sqrt((p_c - ci_c.low) ** 2 + (ci_r.high - p_r) ** 2)
    high = diff + np.sqrt((ci_c.high - p_c) ** 2 + (p_r - ci_r.low) ** 2)
    return Shift(classes, p_r, p_c, diff, low, high, confidence)


def label_shift(reference, current, *, confidence=0.95):
    """Change of the class proportions of the true labels.

    Parameters
    ----------
    reference, current : array-like, mapping or ConfusionAccumulator
        Labels; ``{label: count}``; or an accumulator (its true labels).
    confidence : float in (0, 1), default=0.95
        Of the intervals.

    Returns
    -------
    Shift
        Per class (the union of both sides' classes): the proportions, their
        difference ``current - reference`` and Newcombe's hybrid-score
        interval for it (from the Wilson interval of each proportion;
        weighted counts are used as counts).

    Examples
    --------
    >>> from cymetrics.monitoring import label_shift
    >>> shift = label_shift({"yes": 48, "no": 32}, {"yes": 56, "no": 14})
    >>> shift.classes
    array(['no', 'yes'], dtype='<U3')
    >>> round(float(shift.difference[1]), 4), round(float(shift.low[1]), 4)
    (0.2, 0.0524)
    """
    confidence = check_confidence(confidence, "label_shift")
    return _shift(_label_counts(reference, "reference", False),
                  _label_counts(current, "current", False), confidence)


def prediction_shift(reference, current, *, threshold=None, confidence=0.95):
    """Change of the proportions of the predictions.

    Parameters
    ----------
    reference, current : array-like, mapping or streaming state
        Without ``threshold``: predicted labels, ``{label: count}``, or a
        `ConfusionAccumulator` (its predictions). With ``threshold``:
        scores, or a `DistributionAccumulator` / `ScoreAccumulator`.
    threshold : float, default=None
        Predict positive when ``score >= threshold``: the classes are then
        ``[False, True]``.
    confidence : float in (0, 1), default=0.95
        Of the intervals.

    Returns
    -------
    Shift
        As `label_shift`, for the predictions.

    Examples
    --------
    >>> from cymetrics.monitoring import prediction_shift
    >>> shift = prediction_shift([0.1, 0.6, 0.7, 0.2], [0.8, 0.9, 0.7, 0.2], threshold=0.5)
    >>> shift.reference, shift.current
    (array([0.5, 0.5]), array([0.25, 0.75]))
    """
    confidence = check_confidence(confidence, "prediction_shift")
    if threshold is None:
        return _shift(_label_counts(reference, "reference", True),
                      _label_counts(current, "current", True), confidence)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)) or (
            not math.isfinite(threshold)):
        raise invalid("threshold", "prediction_shift", "a finite number or None", threshold)
    return _shift(_threshold_counts(reference, "reference", threshold),
                  _threshold_counts(current, "current", threshold), confidence)
