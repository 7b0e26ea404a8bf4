"""`ConfusionMatrixDisplay` and `CalibrationDisplay`: scikit-learn's displays,
computed by cymetrics, drawable from streaming accumulators too."""

from itertools import product

import numpy as np

from cymetrics._classification._metrics import confusion_matrix
from cymetrics._probabilistic._calibration import calibration_curve, calibration_sums
from cymetrics._shared._labels import unique_labels
from cymetrics._shared._validation import column_or_1d
from cymetrics.plot._base import (
    axes,
    check_binary_predictions,
    estimator_scores,
    positive_label,
    pyplot,
    style_kwargs,
)
from cymetrics.plot._docs import document

__all__ = ["CalibrationDisplay", "ConfusionMatrixDisplay"]


class ConfusionMatrixDisplay:
    """Confusion matrix visualization, as ``sklearn.metrics.ConfusionMatrixDisplay``.

    Parameters
    ----------
    confusion_matrix : ndarray of shape (n_classes, n_classes)
        Rows: true labels; columns: predicted labels.
    display_labels : ndarray of shape (n_classes,), default=None
        Tick labels (default: 0 to n_classes - 1).

    Attributes
    ----------
    im_, text_, ax_, figure_
        The image, the texts (None without values), the axes and the figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cymetrics.plot import ConfusionMatrixDisplay
    >>> display = ConfusionMatrixDisplay.from_predictions(["a", "b", "b"], ["a", "a", "b"])
    >>> display.confusion_matrix
    array([[1, 0],
           [1, 1]])
    >>> [t.get_text() for t in display.ax_.get_xticklabels()]
    ['a', 'b']
    """

    def __init__(self, confusion_matrix, *, display_labels=None):
        self.confusion_matrix = confusion_matrix
        self.display_labels = display_labels

    @document("include_values", "cmap", "xticks_rotation", "values_format", "ax", "colorbar",
              "im_kw_text_kw", returns="ConfusionMatrixDisplay")
    def plot(self, *, include_values=True, cmap="viridis", xticks_rotation="horizontal",
             values_format=None, ax=None, colorbar=True, im_kw=None, text_kw=None):
        """Draw the matrix as scikit-learn does: cells, values, ticks, colorbar.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from cymetrics.plot import ConfusionMatrixDisplay
        >>> d = ConfusionMatrixDisplay(np.array([[5, 1], [2, 7]]), display_labels=["no", "yes"])
        >>> [t.get_text() for t in d.plot(colorbar=False).text_.ravel()]
        ['5', '1', '2', '7']
        """
        plt = pyplot("ConfusionMatrixDisplay.plot")
        ax, fig = axes(ax, "ConfusionMatrixDisplay.plot")
        cm = self.confusion_matrix
        n = cm.shape[0]
        self.im_ = ax.imshow(cm, **style_kwargs({"interpolation": "nearest", "cmap": cmap},
                                                im_kw or {}))
        self.text_ = None
        cmap_min, cmap_max = self.im_.cmap(0), self.im_.cmap(1.0)
        if include_values:
            self.text_ = np.empty_like(cm, dtype=object)
            thresh = (cm.max() + cm.min()) / 2.0
            for i, j in product(range(n), range(n)):
                color = cmap_max if cm[i, j] < thresh else cmap_min
                text = _cell_text(cm[i, j], cm.dtype, values_format)
                kw = style_kwargs({"ha": "center", "va": "center", "color": color},
                                  text_kw or {})
                self.text_[i, j] = ax.text(j, i, text, **kw)
        labels = np.arange(n) if self.display_labels is None else self.display_labels
        if colorbar:
            fig.colorbar(self.im_, ax=ax)
        ax.set(xticks=np.arange(n), yticks=np.arange(n), xticklabels=labels,
               yticklabels=labels, ylabel="True label", xlabel="Predicted label")
        ax.set_ylim((n - 0.5, -0.5))
        plt.setp(ax.get_xticklabels(), rotation=xticks_rotation)
        self.figure_, self.ax_ = fig, ax
        return self

    @classmethod
    @document("y_true_y_pred", "labels", "sample_weight", "normalize", "display_labels",
              "include_values", "cmap", "xticks_rotation", "values_format", "ax", "colorbar",
              "im_kw_text_kw", returns="ConfusionMatrixDisplay")
    def from_predictions(cls, y_true, y_pred, *, labels=None, sample_weight=None,
                         normalize=None, display_labels=None, include_values=True,
                         xticks_rotation="horizontal", values_format=None, cmap="viridis",
                         ax=None, colorbar=True, im_kw=None, text_kw=None):
        """Plot the confusion matrix of true and predicted labels (by `cymetrics.confusion_matrix`).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import ConfusionMatrixDisplay
        >>> d = ConfusionMatrixDisplay.from_predictions([0, 1, 1], [0, 1, 0], normalize="true")
        >>> d.confusion_matrix
        array([[1. , 0. ],
               [0.5, 0.5]])
        """
        if display_labels is None:
            display_labels = labels if labels is not None else unique_labels(
                column_or_1d(y_true, "y_true"), column_or_1d(y_pred, "y_pred"))
        cm = confusion_matrix(y_true, y_pred, sample_weight=sample_weight, labels=labels,
                              normalize=normalize)
        return cls(confusion_matrix=cm, display_labels=display_labels).plot(
            include_values=include_values, cmap=cmap, ax=ax, xticks_rotation=xticks_rotation,
            values_format=values_format, colorbar=colorbar, im_kw=im_kw, text_kw=text_kw)

    @classmethod
    @document("estimator_predict", "X", "y", "labels", "sample_weight", "normalize",
              "display_labels", "include_values", "cmap", "xticks_rotation", "values_format", "ax",
              "colorbar", "im_kw_text_kw", returns="ConfusionMatrixDisplay")
    def from_estimator(cls, estimator, X, y, *, labels=None, sample_weight=None,
                       normalize=None, display_labels=None, include_values=True,
                       xticks_rotation="horizontal", values_format=None, cmap="viridis",
                       ax=None, colorbar=True, im_kw=None, text_kw=None):
        """Plot the confusion matrix of a fitted classifier's predictions on ``X``.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from cymetrics.plot import ConfusionMatrixDisplay
        >>> class Sign:  # any fitted classifier
        ...     def predict(self, X):
        ...         return (np.asarray(X)[:, 0] > 0).astype(int)
        >>> d = ConfusionMatrixDisplay.from_estimator(Sign(), [[-1], [2], [3]], [0, 0, 1])
        >>> d.confusion_matrix
        array([[1, 1],
               [0, 1]])
        """
        return cls.from_predictions(
            y, estimator.predict(X), labels=labels, sample_weight=sample_weight,
            normalize=normalize, display_labels=display_labels,
            include_values=include_values, xticks_rotation=xticks_rotation,
            values_format=values_format, cmap=cmap, ax=ax, colorbar=colorbar, im_kw=im_kw,
            text_kw=text_kw)

    @classmethod
    @document("accumulator_confusion", "labels", "normalize", "display_labels",
              "include_values", "xticks_rotation", "values_format", "cmap", "ax", "colorbar",
              "im_kw_text_kw", returns="ConfusionMatrixDisplay")
    def from_accumulator(cls, accumulator, *, labels=None, normalize=None,
                         display_labels=None, include_values=True,
                         xticks_rotation="horizontal", values_format=None, cmap="viridis",
                         ax=None, colorbar=True, im_kw=None, text_kw=None):
        """Plot the confusion matrix of a `cymetrics.streaming.ConfusionAccumulator`.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import ConfusionMatrixDisplay
        >>> from cymetrics.streaming import ConfusionAccumulator
        >>> acc = ConfusionAccumulator().update([0, 1, 1], [0, 0, 1]).update([2], [2])
        >>> ConfusionMatrixDisplay.from_accumulator(acc).confusion_matrix.shape
        (3, 3)
        """
        cm = accumulator.confusion_matrix(labels=labels, normalize=normalize)
        if display_labels is None:
            display_labels = labels if labels is not None else accumulator.confusion().classes
        return cls(confusion_matrix=cm, display_labels=display_labels).plot(
            include_values=include_values, cmap=cmap, ax=ax, xticks_rotation=xticks_rotation,
            values_format=values_format, colorbar=colorbar, im_kw=im_kw, text_kw=text_kw)


def _cell_text(value, dtype, values_format):
    if values_format is not None:
        return format(value, values_format)
    text = format(value, ".2g")
    if dtype.kind != "f":
        as_int = format(value, "d")
        if len(as_int) < len(text):
            text = as_int
    return text


class CalibrationDisplay:
    """Calibration curve (reliability diagram), as ``sklearn.calibration.CalibrationDisplay``.

    Parameters
    ----------
    prob_true, prob_pred : ndarray of shape (n_bins,)
        Fraction of positives and mean predicted probability per non-empty bin.
    y_prob : ndarray of shape (n_samples,)
        The probabilities of the positive class.
    estimator_name : str, default=None
        Legend name.
    pos_label : int, float, bool or str, default=None
        The positive class, shown in the axis labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cymetrics.plot import CalibrationDisplay
    >>> display = CalibrationDisplay.from_predictions(
    ...     [0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2)
    >>> display.prob_true, display.prob_pred
    (array([0., 1.]), array([0.2 , 0.75]))
    """

    def __init__(self, prob_true, prob_pred, y_prob, *, estimator_name=None, pos_label=None):
        self.prob_true, self.prob_pred, self.y_prob = prob_true, prob_pred, y_prob
        self.estimator_name, self.pos_label = estimator_name, pos_label

    @document("ax", "name_calibration_plot", "ref_line", "kwargs_line",
              returns="CalibrationDisplay")
    def plot(self, *, ax=None, name=None, ref_line=True, **kwargs):
        """Draw the reliability curve and the diagonal, as scikit-learn does.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import CalibrationDisplay
        >>> d = CalibrationDisplay([0.0, 1.0], [0.2, 0.75], [0.1, 0.3, 0.6, 0.9]).plot(name="m")
        >>> d.line_.get_label(), d.ax_.get_legend_handles_labels()[1]
        ('m', ['Perfectly calibrated', 'm'])
        """
        self.ax_, self.figure_ = axes(ax, "CalibrationDisplay.plot")
        name = self.estimator_name if name is None else name
        info = f"(Positive class: {self.pos_label})" if self.pos_label is not None else ""
        defaults = {"marker": "s", "linestyle": "-"}
        if name is not None:
            defaults["label"] = name
        line_kwargs = style_kwargs(defaults, kwargs)
        ref_label = "Perfectly calibrated"
        if ref_line and ref_label not in self.ax_.get_legend_handles_labels()[1]:
            self.ax_.plot([0, 1], [0, 1], "k:", label=ref_label)
        self.line_ = self.ax_.plot(self.prob_pred, self.prob_true, **line_kwargs)[0]
        self.ax_.legend(loc="lower right")
        self.ax_.set(xlabel=f"Mean predicted probability {info}",
                     ylabel=f"Fraction of positives {info}")
        return self

    @classmethod
    @document("y_true", "y_prob", "n_bins", "strategy", "pos_label", "name", "ax", "ref_line",
              "kwargs_line", returns="CalibrationDisplay")
    def from_predictions(cls, y_true, y_prob, *, n_bins=5, strategy="uniform", pos_label=None,
                         name=None, ax=None, ref_line=True, **kwargs):
        """Plot the calibration curve of labels and probabilities (by `calibration_curve`).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import CalibrationDisplay
        >>> d = CalibrationDisplay.from_predictions([0, 1, 0, 1], [0.1, 0.6, 0.3, 0.9], n_bins=2)
        >>> d.prob_true
        array([0., 1.])
        """
        validated, name = check_binary_predictions(y_true, y_prob, None, pos_label, name)
        prob_true, prob_pred = calibration_curve(y_true, y_prob, n_bins=n_bins,
                                                 strategy=strategy, pos_label=pos_label)
        display = cls(prob_true=prob_true, prob_pred=prob_pred, y_prob=y_prob,
                      estimator_name=name, pos_label=validated)
        return display.plot(ax=ax, ref_line=ref_line, **kwargs)

    @classmethod
    @document("estimator_proba", "X", "y", "n_bins", "strategy", "pos_label_estimator",
              "name_estimator", "ax", "ref_line", "kwargs_line", returns="CalibrationDisplay")
    def from_estimator(cls, estimator, X, y, *, n_bins=5, strategy="uniform", pos_label=None,
                       name=None, ax=None, ref_line=True, **kwargs):
        """Plot the calibration curve of a fitted binary classifier's ``predict_proba``.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from cymetrics.plot import CalibrationDisplay
        >>> class Logistic:  # any fitted binary classifier
        ...     classes_ = np.array([0, 1])
        ...     def predict_proba(self, X):
        ...         p = 1 / (1 + np.exp(-np.asarray(X)[:, 0]))
        ...         return np.column_stack([1 - p, p])
        >>> d = CalibrationDisplay.from_estimator(Logistic(), [[-2], [0.5], [3]], [0, 1, 1])
        >>> d.line_.get_label()
        'Logistic'
        """
        y_prob, pos_label, name = estimator_scores(estimator, X, "predict_proba", pos_label,
                                                   name)
        return cls.from_predictions(y, y_prob, n_bins=n_bins, strategy=strategy,
                                    pos_label=pos_label, name=name, ax=ax, ref_line=ref_line,
                                    **kwargs)

    @classmethod
    @document("accumulator", "n_bins", "name", "ax", "ref_line", "kwargs_line",
              returns="CalibrationDisplay")
    def from_accumulator(cls, accumulator, *, n_bins=5, name=None, ax=None, ref_line=True,
                         **kwargs):
        """Plot the calibration curve of a `cymetrics.streaming.ScoreAccumulator` of
        probabilities (equal-width bins: ``strategy='uniform'``).

        The accumulator's counts are binned as `calibration_curve` bins the
        samples, so the curve is the one of all the data seen.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from cymetrics.plot import CalibrationDisplay
        >>> from cymetrics.streaming import ScoreAccumulator
        >>> acc = ScoreAccumulator().update([0, 0], [0.1, 0.3]).update([1, 1], [0.6, 0.9])
        >>> CalibrationDisplay.from_accumulator(acc, n_bins=2).prob_pred
        array([0.2 , 0.75])
        """
        y, s, w = accumulator.as_weighted_sample(allow_sketch=True)
        sums = calibration_sums(y, s, n_bins=n_bins, pos_label=positive_label(accumulator),
                                sample_weight=w)
        keep = sums[2] != 0
        display = cls(prob_true=sums[1][keep] / sums[2][keep],
                      prob_pred=sums[0][keep] / sums[2][keep], y_prob=s,
                      estimator_name=name, pos_label=positive_label(accumulator))
        return display.plot(ax=ax, ref_line=ref_line, **kwargs)
