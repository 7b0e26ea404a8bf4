"""Bootstrap confidence intervals for any cymetrics metric.

A resample is a vector of integer counts (how often each sample was drawn),
filled by a kernel from the drawn indices; for cymetrics' own metrics the
statistic is then computed from the original arrays weighted by those
counts, never from a copy of the data. Three evaluators:

* ranking metrics (`roc_auc_score`, `average_precision_score`): the order
  of the scores does not change across resamples, so the samples are sorted
  once into "slots" and every resample is one weighted sweep over the same
  runs of tied scores (`_kernels._inference.resampled_ranking`), with the
  GIL released;
* confusion-derived metrics (`f1_score`, `precision_score`, ...): each
  sample is reduced once to its confusion-matrix cell, a resample to the
  counts of the K x K cells (a kernel, GIL released), and the metric is
  evaluated on the matrices -- for binary targets on all resamples of a
  chunk at once (the metric's plan, `binary_plan`), else through
  `from_confusion`;
* anything else (any callable): the metric is called on the drawn rows --
  the one place rows are copied -- with their counts as ``sample_weight``
  (or the rows repeated if it takes no weights).

Resamples come in chunks of 32; chunk ``c`` draws from its own generator,
spawned from ``random_state`` (`numpy.random.SeedSequence.spawn`), so the
results do not depend on ``n_jobs`` or on scheduling, and the first
resamples of a longer run are those of a shorter one. Within a resample,
each stratum (a class of the first array when ``stratified``; all samples
otherwise), in the order of its sorted labels, draws ``size`` indices
uniformly among its samples with ``Generator.integers(0, size, size)``.

Rows are resampled with their weights: ``sample_weight`` multiplies the
counts (the usual bootstrap of weighted data).
"""

import inspect
import math
import numbers
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from cymetrics._classification._batch import oriented_counts
from cymetrics._classification._confusion import check_label_pair, encode_pair
from cymetrics._classification._registry import binary_plan, from_confusion, lookup
from cymetrics._exceptions import UndefinedMetricWarning
from cymetrics._kernels import _inference
from cymetrics._ranking._binary import average_precision_score, roc_auc_score
from cymetrics._shared._labels import (
    binary_target,
    check_labels_1d,
    check_labels_2d,
    target_type,
)
from cymetrics._shared._params import (
    check_bool,
    check_callable,
    check_confidence,
    check_int,
    check_option,
    invalid,
)
from cymetrics._shared._special import ndtr, ndtri
from cymetrics._shared._validation import (
    check_consistent_length,
    check_sample_weight,
    check_scores,
    scale_free,
    to_array,
)
from cymetrics._shared._warnings import warn

__all__ = ["BootstrapInterval", "bootstrap_ci"]

# Resamples per generator, and per task handed to a thread. Part of the
# definition of the resamples: changing it changes them.
_CHUNK = 32


class BootstrapInterval(NamedTuple):
    """Result of `bootstrap_ci`.

    ``estimate`` is the metric on the original data; ``distribution`` holds
    the ``n_resamples`` bootstrap replicates (NaN where the metric was
    undefined); ``standard_error`` is their standard deviation.
    """

    estimate: object
    low: object
    high: object
    standard_error: object
    confidence: float
    method: str
    distribution: np.ndarray


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------
def _n_threads(n_jobs, func):
    if n_jobs is None:
        return os.cpu_count() or 1
    return check_int("n_jobs", n_jobs, func, 1)


def _generators(random_state, n):
    """``n`` independent generators (one per chunk of resamples), reproducible
    from ``random_state``."""
    if isinstance(random_state, np.random.Generator):
        return random_state.spawn(n)
    if isinstance(random_state, np.random.RandomState):
        seed = np.random.SeedSequence(random_state.randint(0, 2**32, size=4).tolist())
    elif random_state is None or (
        isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)
    ):
        if random_state is not None and random_state < 0:
            raise ValueError(f"random_state must be non-negative; got {random_state}.")
        seed = np.random.SeedSequence(None if random_state is None else int(random_state))
    else:
        raise invalid("random_state", "bootstrap_ci", "None, an int, a numpy.random.Generator "
                      "or a RandomState", random_state)
    return seed.spawn(n)


def _rng(item):
    return item if isinstance(item, np.random.Generator) else np.random.Generator(
        np.random.PCG64(item))


def _strata(first, stratified):
    """Per-stratum sample indices (each in sample order), labels sorted."""
    n = first.shape[0]
    if not stratified:
        return [np.arange(n, dtype=np.int64)]
    first = check_labels_2d(first, "y_true") if first.ndim == 2 else check_labels_1d(
        first, "y_true")
    kind = target_type(first)
    if kind not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(
            "stratified=True resamples within the classes of the first array, which "
            f"must hold class labels (got a {kind} target); pass stratified=False."
        )
    if first.ndim == 2:
        _, inverse = np.unique(first, axis=0, return_inverse=True)
    else:
        _, inverse = np.unique(first, return_inverse=True)
    inverse = inverse.reshape(-1)
    order = np.argsort(inverse, kind="stable").astype(np.int64)
    bounds = np.cumsum(np.bincount(inverse))[:-1]
    return np.split(order, bounds)


def _draw(gen, sizes):
    return [gen.integers(0, m, size=m) for m in sizes]


def _count(draws, tables, n_slots):
    counts = np.zeros(n_slots, dtype=np.int64)
    for d, table in zip(draws, tables):
        if not _inference.count_draws(d, table, counts):
            raise AssertionError("a drawn index fell outside its table")
    return counts


# ---------------------------------------------------------------------------
# Evaluators
# ---------------------------------------------------------------------------
class _Ranking:
    """ROC AUC / average precision of binary scores, one sweep per resample."""

    threaded = True

    def __init__(self, is_pos, scores, w, strata, statistic):
        n = is_pos.shape[0]
        if w is not None:
            w = scale_free(w)  # AUC and AP are scale-free; the kernel multiplies weights
        # Slots: every sample by decreasing score, sorted once.
        order = np.argsort(scores)[::-1]  # tie order is irrelevant (runs)
        slot = np.empty(n, dtype=np.int64)
        slot[order] = np.arange(n)
        ordered = scores[order]
        run_start = np.empty(n, dtype=bool)
        run_start[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=run_start[1:])
        self.flags = (is_pos[order].astype(np.uint8) * _inference.POSITIVE
                      | run_start.astype(np.uint8) * _inference.RUN_START)
        self.slot_w = np.empty(0) if w is None else np.ascontiguousarray(w[order])
        self.tables = [np.ascontiguousarray(slot[members]) for members in strata]
        self.sizes = [t.shape[0] for t in self.tables]
        self.statistic = statistic
        self.n, self.slot, self.run_start = n, slot, run_start
        self.is_pos, self.scores, self.w = is_pos, scores, w

    def value(self, counts):
        v = _inference.resampled_ranking(counts, self.slot_w, self.flags, self.statistic)
        if self.statistic == _inference.AVERAGE_PRECISION and math.isnan(v):
            return 0.0  # as average_precision_score without a positive
        return v

    def summarize(self, draws):
        return self.value(_count(draws, self.tables, self.n))

    def finish(self, summaries):
        return np.asarray(summaries, dtype=np.float64)

    def jackknife(self, estimate):
        if self.statistic == _inference.AUC:
            return self._jackknife_auc(estimate)
        # Samples of one class in one run of tied scores, with one weight,
        # are exchangeable: one leave-one-out sweep per such group.
        run = (np.cumsum(self.run_start) - 1)[self.slot]
        keys = np.column_stack([run, self.is_pos,
                                np.zeros(self.n) if self.w is None else self.w])
        _, first, multiplicity = np.unique(keys, axis=0, return_index=True,
                                           return_counts=True)
        ones = np.ones(self.n, dtype=np.int64)
        values = np.empty(first.shape[0])
        for k, i in enumerate(first):
            ones[self.slot[i]] = 0
            values[k] = self.value(ones)
            ones[self.slot[i]] = 1
        return values, multiplicity

    def _jackknife_auc(self, estimate):
        """Leave-one-out AUCs from the DeLong placements, in O(n)."""
        classes = []
        for mask in (self.is_pos, ~self.is_pos):
            s = self.scores[mask]
            asc = np.argsort(s, kind="stable").astype(np.int64)
            cw = np.ones(s.shape[0]) if self.w is None else self.w[mask]
            classes.append((np.ascontiguousarray(s[asc]), asc, cw))
        (pos, pos_asc, wp), (neg, neg_asc, wn) = classes
        v10, v01 = np.empty(pos.shape[0]), np.empty(neg.shape[0])
        weighted = self.w is not None
        pw = np.ascontiguousarray(wp[pos_asc]) if weighted else np.empty(0)
        nw = np.ascontiguousarray(wn[neg_asc]) if weighted else np.empty(0)
        total_p, total_n = float(wp.sum()), float(wn.sum())
        _inference.delong_placements(pos, neg, pw, nw, total_p, total_n, weighted,
                                     pos_asc, neg_asc, v10, v01)
        u = estimate * total_p * total_n
        with np.errstate(divide="ignore", invalid="ignore"):
            drop_pos = (u - wp * total_n * v10) / ((total_p - wp) * total_n)
            drop_neg = (u - wn * total_p * v01) / (total_p * (total_n - wn))
        values = np.concatenate([drop_pos, drop_neg])
        values[~np.isfinite(values)] = np.nan
        return values, np.ones(values.shape[0], dtype=np.int64)


class _Confusion:
    """Confusion-derived metrics of 1-D labels, from per-resample cell counts."""

    threaded = True

    def __init__(self, metric, params, y_true, y_pred, w, strata):
        classes, true_codes, pred_codes = encode_pair(*check_label_pair(y_true, y_pred))
        k = classes.shape[0]
        self.cell = (true_codes * k + pred_codes).astype(np.int64)
        self.classes, self.k = classes, k
        self.w = w
        self.tables = [np.ascontiguousarray(self.cell[m]) for m in strata]
        self.table_w = None if w is None else [np.ascontiguousarray(w[m]) for m in strata]
        self.sizes = [t.shape[0] for t in self.tables]
        self.metric, self.params = metric, params
        self.plan = binary_plan(metric, params) if k == 2 else None

    def summarize(self, draws):
        counts = _count(draws, self.tables, self.k * self.k)
        if self.w is None:
            return counts, None
        sums = np.zeros(self.k * self.k)
        for d, table, tw in zip(draws, self.tables, self.table_w):
            _inference.sum_draws(d, table, tw, sums)
        return counts, sums

    def _matrix_value(self, counts, sums):
        counts = counts.reshape(self.k, self.k)
        present = (counts.sum(axis=0) + counts.sum(axis=1)) > 0
        matrix = counts if sums is None else sums.reshape(self.k, self.k)
        matrix = matrix[np.ix_(present, present)]
        return from_confusion(matrix, self.metric, classes=self.classes[present], **self.params)

    def finish(self, summaries):
        values = [None] * len(summaries)
        pending = range(len(summaries))
        if self.plan is not None:
            counts = np.stack([s[0] for s in summaries])
            # The vectorized binary formula needs both classes in y_true of
            # the resample (then both labels are present, as a call sees).
            both = (counts[:, 0] + counts[:, 1] > 0) & (counts[:, 2] + counts[:, 3] > 0)
            pos_label, evaluate = self.plan
            second = pos_label is None or _same_label(self.classes[1], pos_label)
            first = pos_label is not None and _same_label(self.classes[0], pos_label)
            if both.any() and (first or second):
                cells = counts if self.w is None else np.stack([s[1] for s in summaries])
                tn, fp, fn, tp = cells[both].T
                batch = evaluate(oriented_counts(tp, fp, fn, tn, second))
                for b, v in zip(np.flatnonzero(both), batch):
                    values[b] = v
                pending = np.flatnonzero(~both)
        for b in pending:
            values[b] = self._matrix_value(*summaries[b])
        return np.asarray(values, dtype=np.float64)

    def jackknife(self, estimate):
        counts = np.bincount(self.cell, minlength=self.k * self.k).astype(np.int64)
        sums = None if self.w is None else np.bincount(self.cell, weights=self.w,
                                                       minlength=self.k * self.k)
        keys = np.column_stack([self.cell, np.zeros(self.cell.shape[0]) if self.w is None
                                else self.w])
        unique, multiplicity = np.unique(keys, axis=0, return_counts=True)
        values = []
        for cell, weight in unique:
            c = counts.copy()
            c[int(cell)] -= 1
            s = None if sums is None else sums.copy()
            if s is not None:
                s[int(cell)] -= weight
            values.append(self._matrix_value(c, s))
        return np.asarray(values, dtype=np.float64), multiplicity


def _same_label(a, b):
    if isinstance(b, str) != isinstance(a, str):
        return False
    return bool(a == b)


class _Generic:
    """Any metric: called on the drawn rows, counts as sample weights."""

    threaded = False

    def __init__(self, metric, params, arrays, w, strata):
        self.metric, self.params, self.arrays, self.w = metric, params, arrays, w
        self.tables = strata
        self.sizes = [t.shape[0] for t in strata]
        self.n = arrays[0].shape[0]
        self.weighted_call = _accepts_sample_weight(metric)

    def _call(self, idx, weight):
        rows = [a[idx] for a in self.arrays]
        if self.weighted_call:
            return self.metric(*rows, sample_weight=weight, **self.params)
        return self.metric(*[np.repeat(r, weight.astype(np.int64), axis=0) for r in rows],
                           **self.params)

    def summarize(self, draws):
        counts = _count(draws, self.tables, self.n)
        idx = np.flatnonzero(counts)
        weight = counts[idx] if self.w is None else counts[idx] * self.w[idx]
        return self._call(idx, weight)

    def finish(self, summaries):
        return np.asarray([np.asarray(s, dtype=np.float64) for s in summaries])

    def jackknife(self, estimate):
        all_idx = np.arange(self.n)
        values = []
        for i in range(self.n):
            idx = np.delete(all_idx, i)
            weight = None if self.w is None else self.w[idx]
            rows = [a[idx] for a in self.arrays]
            kw = dict(self.params)
            if weight is not None:
                kw["sample_weight"] = weight
            values.append(np.asarray(self.metric(*rows, **kw), dtype=np.float64))
        return np.asarray(values), np.ones(self.n, dtype=np.int64)


def _accepts_sample_weight(metric):
    try:
        parameters = inspect.signature(metric).parameters
    except (TypeError, ValueError):
        return True
    return "sample_weight" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def _evaluator(metric, params, arrays, w, strata):
    if len(arrays) == 2 and all(a.ndim == 1 for a in arrays):
        ranking = _ranking_setup(metric, params, arrays)
        if ranking is not None:
            is_pos, scores, statistic = ranking
            return _Ranking(is_pos, scores, w, strata, statistic)
        # Confusion-derived metrics that return numbers (one per resample).
        entry = None if isinstance(metric, str) else lookup(metric)
        if entry is not None and entry.returns == "number":
            return _Confusion(metric, params, arrays[0], arrays[1], w, strata)
    return _Generic(metric, params, arrays, w, strata)


def _ranking_setup(metric, params, arrays):
    """``(is_pos, scores, statistic)`` when the sorted-sweep path applies."""
    if metric is roc_auc_score:
        extra = set(params) - {"average", "multi_class", "max_fpr"}
        if extra or params.get("max_fpr") not in (None, 1):
            return None
        statistic = _inference.AUC
    elif metric is average_precision_score:
        if set(params) - {"average", "pos_label"}:
            return None
        statistic = _inference.AVERAGE_PRECISION
    else:
        return None
    target = binary_target(arrays[0])
    if target.y_type != "binary" or target.classes.shape[0] != 2:
        return None
    if statistic == _inference.AUC:
        positive = target.classes[1]
    else:
        positive = params.get("pos_label", 1)
        if not any(_same_label(c, positive) for c in target.classes.tolist()):
            return None
    scores = check_scores(arrays[1])[0]
    return np.ascontiguousarray(target.equals(positive)), scores, statistic


# ---------------------------------------------------------------------------
# Running the resamples
# ---------------------------------------------------------------------------
def _run(evaluator, generators, n_resamples, n_threads):
    """The statistic of every resample, in resample order."""
    chunks = [range(s, min(s + _CHUNK, n_resamples)) for s in range(0, n_resamples, _CHUNK)]

    def summarize(k):
        gen = _rng(generators[k])
        return [evaluator.summarize(_draw(gen, evaluator.sizes)) for _ in chunks[k]]

    if evaluator.threaded and n_threads > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            parts = [evaluator.finish(s) for s in pool.map(summarize, range(len(chunks)))]
    else:
        parts = [evaluator.finish(summarize(k)) for k in range(len(chunks))]
    return np.concatenate(parts, axis=0)


def _replay_warnings(records, n_resamples):
    """Re-emit each distinct warning of the resamples once."""
    seen = set()
    for r in records:
        key = (r.category, str(r.message))
        if key in seen:
            continue
        seen.add(key)
        warn(
            f"In bootstrap resamples (of {n_resamples}): {r.message}",
            r.category,
        )


# ---------------------------------------------------------------------------
# Intervals
# ---------------------------------------------------------------------------
def _percentile_bounds(dist, alpha_low, alpha_high):
    return (np.nanpercentile(dist, 100 * alpha_low, axis=0),
            np.nanpercentile(dist, 100 * alpha_high, axis=0))


def _acceleration(values, multiplicity):
    """Efron's acceleration from (grouped) jackknife values."""
    keep = np.isfinite(values)
    values, multiplicity = values[keep], multiplicity[keep]
    total = multiplicity.sum()
    if total == 0:
        return math.nan
    mean = np.sum(multiplicity * values) / total
    d = mean - values
    den = np.sum(multiplicity * d * d)
    if den == 0:
        return 0.0
    return float(np.sum(multiplicity * d**3) / (6.0 * den**1.5))


_TIE_RTOL = 1e-12


def _bca_bounds(estimate, dist, jack_values, multiplicity, alpha):
    """BCa bounds (Efron, 1987) for one scalar statistic."""
    finite = dist[np.isfinite(dist)]
    if finite.shape[0] == 0 or not np.isfinite(estimate):
        return math.nan, math.nan
    # Replicates within rounding of the estimate are ties, not "below": a
    # discrete metric often resamples to its own value, and whether the
    # rounding of a sum lands it 1 ulp under must not move the interval.
    below = finite < estimate - _TIE_RTOL * max(1.0, abs(estimate))
    z0 = ndtri(np.mean(below))
    a = _acceleration(jack_values, multiplicity)
    if not (math.isfinite(z0) and math.isfinite(a)):
        warn(
            "The BCa interval is undefined: the bootstrap distribution lies on one "
            "side of the estimate (or the jackknife failed); low and high are NaN.",
            UndefinedMetricWarning,
        )
        return math.nan, math.nan
    bounds = []
    for q in (alpha / 2, 1 - alpha / 2):
        zq = ndtri(q)
        adjusted = ndtr(z0 + (z0 + zq) / (1 - a * (z0 + zq)))
        bounds.append(float(np.percentile(finite, 100 * adjusted)))
    return bounds[0], bounds[1]


def _as_result(a):
    a = np.asarray(a, dtype=np.float64)
    return float(a) if a.ndim == 0 else a


def bootstrap_ci(metric, *arrays, n_resamples=2000, confidence=0.95, method="percentile",
                 stratified=True, random_state=None, sample_weight=None, metric_params=None,
                 n_jobs=None):
    """Bootstrap confidence interval of any metric.

    Parameters
    ----------
    metric : callable
        Called as ``metric(*arrays, **metric_params)`` (with
        ``sample_weight=`` when weighted), returning a float or an array of
        a fixed shape. cymetrics' ROC AUC and average precision (binary) and
        its confusion-derived metrics of 1-D labels use the fast paths
        described in the module notes.
    *arrays : array-likes of the same length
        Resampled together, by rows (e.g. ``y_true, y_score``).
    n_resamples : int, default=2000
        Number of bootstrap resamples.
    confidence : float in (0, 1), default=0.95
        Confidence level.
    method : {'percentile', 'bca'}, default='percentile'
        'percentile': quantiles of the replicates. 'bca': bias-corrected
        and accelerated (Efron, 1987), with ``z0 = Phi^-1(P*(theta* <
        theta))`` (replicates within 1e-12 relative of ``theta`` count as
        equal) and the acceleration from the jackknife -- in O(n) for
        ROC AUC (DeLong placements), per distinct cell for confusion
        metrics, per run of tied scores for average precision, and ``n``
        metric calls otherwise.
    stratified : bool, default=True
        Resample within each class of the first array (its labels), keeping
        the class sizes; else resample all rows together.
    random_state : None, int, numpy.random.Generator or RandomState, default=None
        Seed of the resamples (each resample gets a spawned stream).
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; a drawn row keeps its weight.
    metric_params : dict, default=None
        Extra keyword parameters of ``metric``.
    n_jobs : int, default=None
        Threads for the fast paths (None: every core). Results do not
        depend on it.

    Returns
    -------
    BootstrapInterval
        ``estimate``, ``low``, ``high``, ``standard_error``, ``confidence``,
        ``method`` and the replicates in ``distribution``. Replicates where
        the metric is undefined (NaN) are left out of the interval, with a
        warning.

    Raises
    ------
    ValueError
        For ``n_resamples < 1``, ``confidence`` outside (0, 1), arrays of
        different lengths, and the errors of ``metric`` itself.

    Examples
    --------
    >>> import numpy as np
    >>> from cymetrics import bootstrap_ci, roc_auc_score
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 500)
    >>> score = y + rng.normal(size=500)
    >>> ci = bootstrap_ci(roc_auc_score, y, score, n_resamples=1000, random_state=0)
    >>> round(ci.estimate, 3), round(ci.low, 3), round(ci.high, 3)
    (0.727, 0.68, 0.773)
    """
    func = "bootstrap_ci"
    check_callable("metric", metric, func)
    if not arrays:
        raise ValueError("bootstrap_ci needs at least one array to resample.")
    n_resamples = check_int("n_resamples", n_resamples, func, 1)
    confidence = check_confidence(confidence, func)
    check_option("method", method, ("percentile", "bca"), func)
    stratified = check_bool("stratified", stratified, func)
    n_threads = _n_threads(n_jobs, func)
    params = dict(metric_params or {})
    if "sample_weight" in params:
        raise ValueError("Pass sample_weight to bootstrap_ci, not in metric_params.")
    arrays = tuple(a if isinstance(a, np.ndarray) else to_array(a, f"arrays[{i}]")
                   for i, a in enumerate(arrays))
    if any(a.ndim == 0 for a in arrays):
        raise ValueError("bootstrap_ci resamples arrays; got a scalar.")
    check_consistent_length(*arrays)
    n = arrays[0].shape[0]
    if n == 0:
        raise ValueError("Found empty input arrays while a minimum of 1 sample is required.")
    w = check_sample_weight(sample_weight, n)
    kw = dict(params) if sample_weight is None else dict(params, sample_weight=sample_weight)
    estimate = np.asarray(metric(*arrays, **kw), dtype=np.float64)
    strata = _strata(arrays[0], bool(stratified))
    evaluator = _evaluator(metric, params, arrays, w, strata)
    generators = _generators(random_state, -(-n_resamples // _CHUNK))
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        dist = _run(evaluator, generators, n_resamples, n_threads)
    _replay_warnings(records, n_resamples)
    dist = dist.reshape((n_resamples,) + estimate.shape)
    missing = ~np.isfinite(dist)
    if missing.any():
        undefined = int(missing.reshape(n_resamples, -1).any(axis=1).sum())
        warn(
            f"The metric is undefined (NaN) in {undefined} of {n_resamples} "
            "resamples; they are left out of the interval.",
            UndefinedMetricWarning,
        )
    clean = np.where(missing, np.nan, dist)
    alpha = 1.0 - confidence
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN
        se = np.nanstd(clean, axis=0, ddof=1) if n_resamples > 1 else np.full(
            estimate.shape, np.nan)
        if method == "percentile":
            low, high = _percentile_bounds(clean, alpha / 2, 1 - alpha / 2)
        else:
            jack, multiplicity = evaluator.jackknife(float(estimate) if estimate.ndim == 0
                                                     else estimate)
            jack = np.asarray(jack, dtype=np.float64).reshape((-1,) + estimate.shape)
            low = np.empty(estimate.shape)
            high = np.empty(estimate.shape)
            for index in np.ndindex(estimate.shape):
                column = clean[(slice(None),) + index]
                low[index], high[index] = _bca_bounds(
                    float(estimate[index]), column, jack[(slice(None),) + index],
                    np.asarray(multiplicity), alpha)
    return BootstrapInterval(_as_result(estimate), _as_result(low), _as_result(high),
                             _as_result(se), confidence, method, dist)
