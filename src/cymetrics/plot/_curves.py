"""`RocCurveDisplay` and `PrecisionRecallDisplay`: scikit-learn's displays, computed
by cymetrics, and drawable from a streaming `ScoreAccumulator` too."""

import numpy as np

from cymetrics._ranking._binary import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_curve,
)
from cymetrics._shared._warnings import warn
from cymetrics.plot._base import (
    as_list,
    axes,
    check_binary_predictions,
    curve_kwargs,
    despine,
    estimator_scores,
    positive_label,
    style_kwargs,
)
from cymetrics.plot._docs import document

__all__ = ["PrecisionRecallDisplay", "RocCurveDisplay"]


def _check_lengths(cls, required, optional):
    lengths = {k: len(v) for k, v in {**required, **optional}.items() if v is not None}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k}: {n}" for k, n in lengths.items())
        raise ValueError(f"{', '.join(lengths)} from `{cls}` initialization, should have the "
                         f"same length. Got: {shown}")


def _renamed_y_pred(y_score, y_pred):
    """scikit-learn 1.8's deprecation of ``y_pred`` in favour of ``y_score``."""
    if isinstance(y_pred, str) and y_pred == "deprecated":
        return y_score
    if y_score is not None:
        raise ValueError("`y_pred` and `y_score` cannot be both specified. Please use "
                         "`y_score` only as `y_pred` was deprecated in 1.8 and will be "
                         "removed in 1.10.")
    warn("y_pred was deprecated in 1.8 and will be removed in 1.10. Please use `y_score` "
         "instead.", FutureWarning)
    return y_pred


def _pos_label_info(pos_label):
    return f" (Positive label: {pos_label})" if pos_label is not None else ""


class _CurveDisplay:
    """The drawing both curve displays share."""

    _metric_name = ""
    _legend_loc = ""
    _defaults = {}

    def _draw(self, ax, name, xs, ys, metric, user_kwargs, what):
        self.ax_, self.figure_ = axes(ax, what)
        name = as_list(self.name if name is None else name)
        kwargs = curve_kwargs(len(xs), name, metric, self._metric_name, user_kwargs,
                              self._defaults)
        self.line_ = [line for x, y, kw in zip(xs, ys, kwargs)
                      for line in self.ax_.plot(x, y, **kw)]
        if len(self.line_) == 1:
            self.line_ = self.line_[0]
        return kwargs

    def _finish(self, kwargs, xlabel, ylabel, chance_kw, despine_axes):
        info = _pos_label_info(self.pos_label)
        self.ax_.set(xlabel=xlabel + info, xlim=(-0.01, 1.01), ylabel=ylabel + info,
                     ylim=(-0.01, 1.01), aspect="equal")
        if despine_axes:
            despine(self.ax_)
        if kwargs[0].get("label") is not None or (chance_kw or {}).get("label") is not None:
            self.ax_.legend(loc=self._legend_loc)
        return self


class RocCurveDisplay(_CurveDisplay):
    """ROC curve visualization, as ``sklearn.metrics.RocCurveDisplay``.

    Parameters
    ----------
    fpr, tpr : ndarray or list of ndarrays
        False and true positive rates (a list: several curves).
    roc_auc : float or list of floats, default=None
        Area under each curve, shown in the legend.
    name : str or list of str, default=None
        Legend name(s).
    pos_label : int, float, bool or str, default=None
        The positive class, shown in the axis labels.

    Attributes
    ----------
    line_, chance_level_, ax_, figure_
        The matplotlib artists, axes and figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cymetrics.plot import RocCurveDisplay
    >>> display = RocCurveDisplay.from_predictions([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> display.roc_auc
    0.75
    >>> display.line_.get_label()
    'Classifier (AUC = 0.75)'
    """

    _metric_name = "AUC"
    _legend_loc = "lower right"

    def __init__(self, *, fpr, tpr, roc_auc=None, name=None, pos_label=None):
        self.fpr, self.tpr, self.roc_auc = fpr, tpr, roc_auc
        self.name, self.pos_label = name, pos_label

    @document("ax", "name_plot", "curve_kwargs_plot_roc", "plot_chance_level", "chance_level_kw",
              "despine", returns="RocCurveDisplay")
    def plot(self, ax=None, *, name=None, curve_kwargs=None, plot_chance_level=False,
             chance_level_kw=None, despine=False):
        """Draw the curve(s), with scikit-learn's legend, labels and limits.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics import roc_curve
        >>> from cymetrics.plot import RocCurveDisplay
        >>> fpr, tpr, _ = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> RocCurveDisplay(fpr=fpr, tpr=tpr, roc_auc=0.75).plot(name="m").line_.get_label()
        'm (AUC = 0.75)'
        """
        fpr, tpr, roc_auc = as_list(self.fpr), as_list(self.tpr), as_list(self.roc_auc)
        _check_lengths("RocCurveDisplay", {"self.fpr": fpr, "self.tpr": tpr},
                       {"self.roc_auc": roc_auc})
        metric = roc_auc if roc_auc is None or len(roc_auc) > 1 else roc_auc[0]
        kwargs = self._draw(ax, name, fpr, tpr, metric, curve_kwargs,
                            "RocCurveDisplay.plot")
        chance = style_kwargs({"label": "Chance level (AUC = 0.5)", "color": "k",
                               "linestyle": "--"}, chance_level_kw or {})
        self.chance_level_ = (self.ax_.plot((0, 1), (0, 1), **chance)[0]
                              if plot_chance_level else None)
        return self._finish(kwargs, "False Positive Rate", "True Positive Rate",
                            chance if plot_chance_level else None, despine)

    @classmethod
    @document("y_true", "y_score", "sample_weight", "drop_intermediate_roc", "pos_label", "name",
              "ax", "curve_kwargs", "plot_chance_level", "chance_level_kw", "despine",
              returns="RocCurveDisplay")
    def from_predictions(cls, y_true, y_score=None, *, sample_weight=None,
                         drop_intermediate=True, pos_label=None, name=None, ax=None,
                         curve_kwargs=None, plot_chance_level=False, chance_level_kw=None,
                         despine=False):
        """Plot the ROC curve of true labels and scores (computed by `cymetrics.roc_curve`).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import RocCurveDisplay
        >>> d = RocCurveDisplay.from_predictions(["a", "b", "b"], [0.2, 0.9, 0.1], pos_label="b")
        >>> d.roc_auc, d.ax_.get_xlabel()
        (0.5, 'False Positive Rate (Positive label: b)')
        """
        pos_label, name = check_binary_predictions(y_true, y_score, sample_weight,
                                                   pos_label, name)
        fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label,
                                sample_weight=sample_weight,
                                drop_intermediate=drop_intermediate)
        display = cls(fpr=fpr, tpr=tpr, roc_auc=auc(fpr, tpr), name=name, pos_label=pos_label)
        return display.plot(ax=ax, curve_kwargs=curve_kwargs,
                            plot_chance_level=plot_chance_level,
                            chance_level_kw=chance_level_kw, despine=despine)

    @classmethod
    @document("estimator_scores", "X", "y", "sample_weight", "drop_intermediate_roc",
              "response_method", "pos_label_estimator", "name_estimator", "ax", "curve_kwargs",
              "plot_chance_level", "chance_level_kw", "despine", returns="RocCurveDisplay")
    def from_estimator(cls, estimator, X, y, *, sample_weight=None, drop_intermediate=True,
                       response_method="auto", pos_label=None, name=None, ax=None,
                       curve_kwargs=None, plot_chance_level=False, chance_level_kw=None,
                       despine=False):
        """Plot the ROC curve of a fitted binary classifier on ``X, y``.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from cymetrics.plot import RocCurveDisplay
        >>> class Threshold:  # any fitted binary classifier
        ...     classes_ = np.array([0, 1])
        ...     def decision_function(self, X):
        ...         return np.asarray(X)[:, 0]
        >>> d = RocCurveDisplay.from_estimator(Threshold(), [[0.1], [0.4], [0.35], [0.8]],
        ...                                    [0, 0, 1, 1])
        >>> d.line_.get_label()
        'Threshold (AUC = 0.75)'
        """
        y_score, pos_label, name = estimator_scores(estimator, X, response_method,
                                                    pos_label, name)
        return cls.from_predictions(
            y, y_score, sample_weight=sample_weight, drop_intermediate=drop_intermediate,
            pos_label=pos_label, name=name, ax=ax, curve_kwargs=curve_kwargs,
            plot_chance_level=plot_chance_level, chance_level_kw=chance_level_kw,
            despine=despine)

    @classmethod
    @document("accumulator", "drop_intermediate_roc", "name", "ax", "curve_kwargs",
              "plot_chance_level", "chance_level_kw", "despine", returns="RocCurveDisplay")
    def from_accumulator(cls, accumulator, *, drop_intermediate=True, name=None, ax=None,
                         curve_kwargs=None, plot_chance_level=False, chance_level_kw=None,
                         despine=False):
        """Plot the ROC curve of the data a `cymetrics.streaming.ScoreAccumulator` has seen.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import RocCurveDisplay
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1], [0.1, 0.4, 0.35]).update([1], [0.8])
        >>> RocCurveDisplay.from_accumulator(acc, name="stream").line_.get_label()
        'stream (AUC = 0.75)'
        """
        fpr, tpr, _ = accumulator.roc_curve(drop_intermediate=drop_intermediate)
        display = cls(fpr=fpr, tpr=tpr, roc_auc=accumulator.roc_auc_score(), name=name,
                      pos_label=positive_label(accumulator))
        return display.plot(ax=ax, curve_kwargs=curve_kwargs,
                            plot_chance_level=plot_chance_level,
                            chance_level_kw=chance_level_kw, despine=despine)


class PrecisionRecallDisplay(_CurveDisplay):
    """Precision-recall curve visualization, as ``sklearn.metrics.PrecisionRecallDisplay``.

    Parameters
    ----------
    precision, recall : ndarray or list of ndarrays
        The curve(s).
    average_precision : float or list of floats, default=None
        Shown in the legend.
    name : str or list of str, default=None
        Legend name(s).
    pos_label : int, float, bool or str, default=None
        The positive class, shown in the axis labels.
    prevalence_pos_label : float or list of floats, default=None
        Share of positives: the chance level.
    estimator_name : str, default='deprecated'
        scikit-learn's deprecated spelling of ``name``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cymetrics.plot import PrecisionRecallDisplay
    >>> display = PrecisionRecallDisplay.from_predictions([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> round(display.average_precision, 4), display.line_.get_drawstyle()
    (0.8333, 'steps-post')
    """

    _metric_name = "AP"
    _legend_loc = "lower left"
    _defaults = {"drawstyle": "steps-post"}

    def __init__(self, precision, recall, *, average_precision=None, name=None,
                 pos_label=None, prevalence_pos_label=None, estimator_name="deprecated"):
        if not (isinstance(estimator_name, str) and estimator_name == "deprecated"):
            name = estimator_name if name is None else name
        self.precision, self.recall = precision, recall
        self.average_precision, self.name, self.pos_label = average_precision, name, pos_label
        self.prevalence_pos_label = prevalence_pos_label

    @document("ax", "name_plot", "curve_kwargs_plot_pr", "plot_chance_level_pr", "chance_level_kw",
              "despine", "kwargs_deprecated", returns="PrecisionRecallDisplay")
    def plot(self, ax=None, *, name=None, curve_kwargs=None, plot_chance_level=False,
             chance_level_kw=None, despine=False, **kwargs):
        """Draw the curve(s), with scikit-learn's legend, labels and limits.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from cymetrics.plot import PrecisionRecallDisplay
        >>> d = PrecisionRecallDisplay(np.array([0.5, 1.0]), np.array([1.0, 0.0]),
        ...                            prevalence_pos_label=0.5)
        >>> d.plot(plot_chance_level=True).chance_level_.get_label()
        'Chance level (AP = 0.50)'
        """
        if curve_kwargs and kwargs:
            raise ValueError("Cannot provide both `curve_kwargs` and `kwargs`. `**kwargs` is "
                             "deprecated and will be removed in 1.11. Pass all matplotlib "
                             "arguments to `curve_kwargs` as a dictionary.")
        precision, recall = as_list(self.precision), as_list(self.recall)
        ap, prevalence = as_list(self.average_precision), as_list(self.prevalence_pos_label)
        _check_lengths("PrecisionRecallDisplay",
                       {"self.precision": precision, "self.recall": recall},
                       {"self.average_precision": ap, "self.prevalence_pos_label": prevalence})
        metric = ap if ap is None or len(ap) > 1 else ap[0]
        drawn = self._draw(ax, name, recall, precision, metric, curve_kwargs or kwargs or None,
                           "PrecisionRecallDisplay.plot")
        chance = None
        self.chance_level_ = None
        if plot_chance_level:
            chance = self._chance(prevalence, chance_level_kw)
        return self._finish(drawn, "Recall", "Precision", chance, despine)

    def _chance(self, prevalence, chance_level_kw):
        if prevalence is None:
            raise ValueError(
                "You must provide prevalence_pos_label when constructing the "
                "PrecisionRecallDisplay object in order to plot the chance level line. "
                "Alternatively, you may use PrecisionRecallDisplay.from_estimator or "
                "PrecisionRecallDisplay.from_predictions to automatically set "
                "prevalence_pos_label")
        defaults = {"color": "k", "linestyle": "--"}
        if len(prevalence) > 1:
            defaults["alpha"] = 0.3
        chance = style_kwargs(defaults, chance_level_kw or {})
        lines = [line for p in prevalence for line in self.ax_.plot((0, 1), (p, p), **chance)]
        if "label" not in chance:
            label = (f"Chance level (AP = {prevalence[0]:0.2f})" if len(prevalence) == 1 else
                     f"Chance level (AP = {np.mean(prevalence):0.2f} +/- "
                     f"{np.std(prevalence):0.2f})")
            lines[0].set_label(label)
            chance = {**chance, "label": label}
        self.chance_level_ = lines[0] if len(lines) == 1 else lines
        return chance

    @classmethod
    @document("y_true", "y_score", "sample_weight", "drop_intermediate_pr", "pos_label", "name",
              "ax", "curve_kwargs", "plot_chance_level", "chance_level_kw", "despine", "y_pred",
              "kwargs_deprecated", returns="PrecisionRecallDisplay")
    def from_predictions(cls, y_true, y_score=None, *, sample_weight=None,
                         drop_intermediate=False, pos_label=None, name=None, ax=None,
                         curve_kwargs=None, plot_chance_level=False, chance_level_kw=None,
                         despine=False, y_pred="deprecated", **kwargs):
        """Plot the precision-recall curve of true labels and scores (by cymetrics).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import PrecisionRecallDisplay
        >>> d = PrecisionRecallDisplay.from_predictions([0, 1, 1], [0.2, 0.9, 0.1], name="m")
        >>> d.line_.get_label()
        'm (AP = 0.83)'
        """
        y_score = _renamed_y_pred(y_score, y_pred)
        pos_label, name = check_binary_predictions(y_true, y_score, sample_weight,
                                                   pos_label, name)
        precision, recall, _ = precision_recall_curve(
            y_true, y_score, pos_label=pos_label, sample_weight=sample_weight,
            drop_intermediate=drop_intermediate)
        ap = average_precision_score(y_true, y_score, pos_label=pos_label,
                                     sample_weight=sample_weight)
        y = np.asarray(y_true)
        display = cls(precision=precision, recall=recall, average_precision=ap, name=name,
                      pos_label=pos_label,
                      prevalence_pos_label=float(np.sum(y == pos_label) / y.shape[0]))
        return display.plot(ax=ax, curve_kwargs=curve_kwargs,
                            plot_chance_level=plot_chance_level,
                            chance_level_kw=chance_level_kw, despine=despine, **kwargs)

    @classmethod
    @document("estimator_scores", "X", "y", "sample_weight", "drop_intermediate_pr",
              "response_method", "pos_label_estimator", "name_estimator", "ax", "curve_kwargs",
              "plot_chance_level", "chance_level_kw", "despine", "kwargs_deprecated",
              returns="PrecisionRecallDisplay")
    def from_estimator(cls, estimator, X, y, *, sample_weight=None, drop_intermediate=False,
                       response_method="auto", pos_label=None, name=None, ax=None,
                       curve_kwargs=None, plot_chance_level=False, chance_level_kw=None,
                       despine=False, **kwargs):
        """Plot the precision-recall curve of a fitted binary classifier on ``X, y``.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from cymetrics.plot import PrecisionRecallDisplay
        >>> class Threshold:  # any fitted binary classifier
        ...     classes_ = np.array([0, 1])
        ...     def decision_function(self, X):
        ...         return np.asarray(X)[:, 0]
        >>> d = PrecisionRecallDisplay.from_estimator(Threshold(), [[0.2], [0.9], [0.1]],
        ...                                           [0, 1, 1])
        >>> round(d.average_precision, 4)
        0.8333
        """
        y_score, pos_label, name = estimator_scores(estimator, X, response_method,
                                                    pos_label, name)
        return cls.from_predictions(
            y, y_score, sample_weight=sample_weight, drop_intermediate=drop_intermediate,
            pos_label=pos_label, name=name, ax=ax, curve_kwargs=curve_kwargs,
            plot_chance_level=plot_chance_level, chance_level_kw=chance_level_kw,
            despine=despine, **kwargs)

    @classmethod
    @document("accumulator", "drop_intermediate_pr", "name", "ax", "curve_kwargs",
              "plot_chance_level", "chance_level_kw", "despine",
              returns="PrecisionRecallDisplay")
    def from_accumulator(cls, accumulator, *, drop_intermediate=False, name=None, ax=None,
                         curve_kwargs=None, plot_chance_level=False, chance_level_kw=None,
                         despine=False):
        """Plot the precision-recall curve of a `cymetrics.streaming.ScoreAccumulator`.

        The chance level is the positive share of the (weighted) samples seen.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import PrecisionRecallDisplay
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> PrecisionRecallDisplay.from_accumulator(acc).prevalence_pos_label
        0.5
        """
        precision, recall, _ = accumulator.precision_recall_curve(
            drop_intermediate=drop_intermediate)
        y, _, w = accumulator.as_weighted_sample(allow_sketch=True)
        positive = positive_label(accumulator)
        display = cls(precision=precision, recall=recall,
                      average_precision=accumulator.average_precision_score(), name=name,
                      pos_label=positive,
                      prevalence_pos_label=float(w[y == positive].sum() / w.sum()))
        return display.plot(ax=ax, curve_kwargs=curve_kwargs,
                            plot_chance_level=plot_chance_level,
                            chance_level_kw=chance_level_kw, despine=despine)
