"""The parameters of the displays' methods, described once; `document` writes
them into each method's docstring (numpydoc sections before the examples).
"""

import textwrap

__all__ = ["PARAMETERS", "document"]

PARAMETERS = {
    "accumulator": (
        "accumulator : cymetrics.streaming.ScoreAccumulator\n"
        "    A binary score accumulator (or sketch): the data it has seen."
    ),
    "accumulator_confusion": (
        "accumulator : cymetrics.streaming.ConfusionAccumulator\n"
        "    The labels it has counted (1-D)."
    ),
    "X": (
        "X : array-like of shape (n_samples, n_features)\n"
        "    Input of the classifier."
    ),
    "ax": (
        "ax : matplotlib Axes, default=None\n"
        "    Axes to draw on; None draws on a new figure."
    ),
    "chance_level_kw": (
        "chance_level_kw : dict, default=None\n"
        "    Keyword arguments of matplotlib's ``plot`` for the chance level."
    ),
    "cmap": (
        "cmap : str or matplotlib Colormap, default='viridis'\n"
        "    Colors of the cells."
    ),
    "colorbar": (
        "colorbar : bool, default=True\n"
        "    Draw a colorbar."
    ),
    "curve_kwargs": (
        "curve_kwargs : dict, default=None\n"
        "    Keyword arguments of matplotlib's ``plot`` for the curve."
    ),
    "curve_kwargs_plot_pr": (
        "curve_kwargs : dict or list of dict, default=None\n"
        "    Keyword arguments of matplotlib's ``plot`` (steps by default)."
    ),
    "curve_kwargs_plot_roc": (
        "curve_kwargs : dict or list of dict, default=None\n"
        "    Keyword arguments of matplotlib's ``plot``: one dict for every curve\n"
        "    (one legend entry, with the mean and std of the AUCs) or one per curve."
    ),
    "despine": (
        "despine : bool, default=False\n"
        "    Remove the top and right spines."
    ),
    "display_labels": (
        "display_labels : array-like of shape (n_classes,), default=None\n"
        "    Tick labels (default: ``labels``, else the sorted labels seen)."
    ),
    "drop_intermediate_pr": (
        "drop_intermediate : bool, default=False\n"
        "    Drop the points that do not change the curve's shape."
    ),
    "drop_intermediate_roc": (
        "drop_intermediate : bool, default=True\n"
        "    Drop the points collinear with their neighbours."
    ),
    "estimator_predict": (
        "estimator : fitted classifier\n"
        "    With ``predict``."
    ),
    "estimator_proba": (
        "estimator : fitted classifier\n"
        "    With ``classes_`` (two) and ``predict_proba``."
    ),
    "estimator_scores": (
        "estimator : fitted classifier\n"
        "    With ``classes_`` (two) and ``predict_proba`` or ``decision_function``."
    ),
    "im_kw_text_kw": (
        "im_kw, text_kw : dict, default=None\n"
        "    Keyword arguments of matplotlib's ``imshow`` and ``text``."
    ),
    "include_values": (
        "include_values : bool, default=True\n"
        "    Write the value in each cell."
    ),
    "kwargs_deprecated": (
        "**kwargs : dict\n"
        "    Deprecated by scikit-learn: matplotlib arguments; use ``curve_kwargs``."
    ),
    "kwargs_line": (
        "**kwargs : dict\n"
        "    Keyword arguments of matplotlib's ``plot`` for the curve."
    ),
    "labels": (
        "labels : array-like of shape (n_classes,), default=None\n"
        "    The classes, in the matrix's order (default: the sorted labels seen)."
    ),
    "n_bins": (
        "n_bins : int, default=5\n"
        "    Number of bins."
    ),
    "name": (
        "name : str, default=None\n"
        "    Legend name ('Classifier' by default)."
    ),
    "name_calibration_plot": (
        "name : str, default=None\n"
        "    Legend name; None takes ``estimator_name``."
    ),
    "name_estimator": (
        "name : str, default=None\n"
        "    Legend name (the estimator's class name by default)."
    ),
    "name_plot": (
        "name : str or list of str, default=None\n"
        "    Legend name(s); None takes the display's ``name``."
    ),
    "normalize": (
        "normalize : {'true', 'pred', 'all'}, default=None\n"
        "    Normalize over the true labels (rows), the predictions (columns) or all."
    ),
    "plot_chance_level": (
        "plot_chance_level : bool, default=False\n"
        "    Also draw the chance level."
    ),
    "plot_chance_level_pr": (
        "plot_chance_level : bool, default=False\n"
        "    Also draw the chance level (needs ``prevalence_pos_label``)."
    ),
    "pos_label": (
        "pos_label : int, float, bool or str, default=None\n"
        "    The positive class; None means 1 for {0, 1} or {-1, 1} labels."
    ),
    "pos_label_estimator": (
        "pos_label : int, float, bool or str, default=None\n"
        "    The positive class; None means ``estimator.classes_[1]``."
    ),
    "ref_line": (
        "ref_line : bool, default=True\n"
        "    Draw the diagonal (perfect calibration), once per axes."
    ),
    "response_method": (
        "response_method : {'predict_proba', 'decision_function', 'auto'}, default='auto'\n"
        "    The scores to use; 'auto' tries ``predict_proba`` first."
    ),
    "sample_weight": (
        "sample_weight : array-like of shape (n_samples,), default=None\n"
        "    Non-negative sample weights."
    ),
    "strategy": (
        "strategy : {'uniform', 'quantile'}, default='uniform'\n"
        "    Equal-width bins, or bins at the quantiles of the probabilities."
    ),
    "values_format": (
        "values_format : str, default=None\n"
        "    Format of the values ('.2g', or 'd' when shorter, by default)."
    ),
    "xticks_rotation": (
        "xticks_rotation : {'vertical', 'horizontal'} or float, default='horizontal'\n"
        "    Rotation of the predicted labels."
    ),
    "y": (
        "y : array-like of shape (n_samples,)\n"
        "    True labels."
    ),
    "y_pred": (
        "y_pred : array-like, default='deprecated'\n"
        "    scikit-learn's deprecated spelling of ``y_score``."
    ),
    "y_prob": (
        "y_prob : array-like of shape (n_samples,)\n"
        "    Probabilities of the positive class."
    ),
    "y_score": (
        "y_score : array-like of shape (n_samples,)\n"
        "    Scores; higher means more likely positive."
    ),
    "y_true": (
        "y_true : array-like of shape (n_samples,)\n"
        "    True binary labels."
    ),
    "y_true_y_pred": (
        "y_true, y_pred : array-like of shape (n_samples,)\n"
        "    True and predicted labels."
    ),
}


def document(*keys, returns):
    """Decorator: the docstring's Parameters (``PARAMETERS[key]`` for each key) and
    Returns (``display : <returns>``) sections, inserted before its Examples."""
    def wrap(func):
        title, sep, examples = func.__doc__.partition("\n\n        Examples\n")
        params = "\n".join(textwrap.indent(PARAMETERS[key], " " * 8) for key in keys)
        func.__doc__ = (f"{title}\n\n        Parameters\n        ----------\n{params}\n\n"
                        "        Returns\n        -------\n"
                        f"        display : {returns}{sep}{examples}")
        return func
    return wrap
