"""What the displays share: matplotlib (imported here only, when first drawn), the
estimator's response, the binary target checks, and scikit-learn's style rules.

matplotlib is the optional extra ``cymetrics[plot]``: importing
`cymetrics.plot` does not need it; drawing does, and says so in one line
when it is missing.
"""

import numpy as np

from cymetrics._shared._labels import binary_target, resolve_pos_label
from cymetrics._shared._validation import check_consistent_length

__all__ = [
    "as_list",
    "axes",
    "check_binary_predictions",
    "curve_kwargs",
    "despine",
    "estimator_scores",
    "positive_label",
    "pyplot",
    "style_kwargs",
]


def pyplot(what):
    """``matplotlib.pyplot``, or an ImportError naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            f"{what} needs matplotlib, which is not installed: pip install matplotlib "
            "(or cymetrics' extra [plot])") from None
    return plt


def axes(ax, what):
    """``(ax, figure)``: the given axes, or those of a new figure."""
    if ax is None:
        _, ax = pyplot(what).subplots()
    return ax, ax.figure


_ALIASES = {
    "ls": "linestyle", "c": "color", "ec": "edgecolor", "fc": "facecolor", "lw": "linewidth",
    "mec": "markeredgecolor", "mfcalt": "markerfacecoloralt", "ms": "markersize",
    "mew": "markeredgewidth", "mfc": "markerfacecolor", "aa": "antialiased",
    "ds": "drawstyle", "font": "fontproperties", "family": "fontfamily", "name": "fontname",
    "size": "fontsize", "stretch": "fontstretch", "style": "fontstyle",
    "variant": "fontvariant", "weight": "fontweight", "ha": "horizontalalignment",
    "va": "verticalalignment", "ma": "multialignment",
}


def style_kwargs(defaults, user):
    """``defaults`` updated by ``user``, matplotlib's short aliases spelled out
    (scikit-learn's rule: an alias and its full name together is a TypeError)."""
    for alias, full in _ALIASES.items():
        if alias in user and full in user:
            raise TypeError(f"Got both {alias} and {full}, which are aliases of one another")
    out = dict(defaults)
    for key, value in user.items():
        out[_ALIASES.get(key, key)] = value
    return out


def despine(ax):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("bottom", "left"):
        ax.spines[side].set_bounds(0, 1)


def _legend_label(metric, name, metric_name):
    if metric is not None and name is not None:
        return f"{name} ({metric_name} = {metric:0.2f})"
    if metric is not None:
        return f"{metric_name} = {metric:0.2f}"
    return name


def curve_kwargs(n_curves, name, metric, metric_name, user, defaults=None):
    """The keyword arguments of each curve's ``ax.plot``, with scikit-learn's
    legend labels: one entry per curve when ``user`` is a list, else one entry
    with the mean (and std) of ``metric`` over all curves."""
    if isinstance(user, list) and len(user) != n_curves:
        raise ValueError(f"`curve_kwargs` must be None, a dictionary or a list of length "
                         f"{n_curves}. Got: {user}.")
    if isinstance(name, list) and len(name) != 1 and not isinstance(user, list):
        raise ValueError(
            "To avoid labeling individual curves that have the same appearance, "
            f"`curve_kwargs` should be a list of {n_curves} dictionaries. Alternatively, "
            "set `name` to `None` or a single string to label a single legend entry for "
            "all curves.")
    names = [name] * n_curves if isinstance(name, str) or name is None else list(name)
    if len(names) == 1:
        names = names * n_curves
    per_curve = [user or {}] * n_curves if not isinstance(user, list) else user
    defaults = dict(defaults or {})
    if n_curves > 1:
        defaults.update({"alpha": 0.5, "linestyle": "--", "color": "blue"})
    metrics = list(metric) if isinstance(metric, (list, tuple, np.ndarray)) else [metric]
    if not isinstance(user, list) and n_curves > 1:
        mean = None if metric is None else float(np.mean(metrics))
        label = _legend_label(mean, names[0], metric_name)
        if metric is not None and label is not None:
            std = f" +/- {float(np.std(metrics)):0.2f}"
            label = label[:-1] + std + ")" if names[0] is not None else label + std
        labels = [label] + [None] * (n_curves - 1)
    else:
        metrics = metrics if len(metrics) == n_curves else [None] * n_curves
        labels = [_legend_label(m, nm, metric_name) for m, nm in zip(metrics, names)]
    return [style_kwargs({"label": label, **defaults}, kw) for label, kw in zip(labels, per_curve)]


def as_list(value):
    """One curve (an array) or several (a list of arrays) -> a list (None stays None)."""
    if value is None or isinstance(value, list):
        return value
    return [value]


def check_binary_predictions(y_true, y_score, sample_weight, pos_label, name):
    """``(pos_label, name)`` of binary predictions, as scikit-learn's displays check them."""
    target = binary_target(y_true)
    if target.y_type != "binary":
        raise ValueError(f"The target y is not binary. Got {target.y_type} type of target.")
    check_consistent_length(target.y, y_score, sample_weight)
    return resolve_pos_label(target, pos_label), ("Classifier" if name is None else name)


def _response_method(estimator, response_method):
    order = (["predict_proba", "decision_function"] if response_method == "auto"
             else [response_method])
    for method in order:
        if hasattr(estimator, method):
            return method
    raise AttributeError(f"{type(estimator).__name__} has none of the following attributes: "
                         f"{', '.join(order)}.")


def positive_label(accumulator):
    """The positive class of a score accumulator (None there means 1)."""
    return 1 if accumulator.pos_label is None else accumulator.pos_label


def estimator_scores(estimator, X, response_method, pos_label, name):
    """``(y_score, pos_label, name)``: a binary classifier's scores of ``pos_label``
    (``classes_[1]`` by default), as scikit-learn's ``from_estimator`` takes them."""
    classes = np.asarray(getattr(estimator, "classes_", []))
    if classes.shape[0] != 2:
        raise ValueError(f"Expected 'estimator' to be a binary classifier. Got "
                         f"{classes.shape[0]} classes instead.")
    if pos_label is None:
        pos_label = classes[1].item()
    elif pos_label not in classes.tolist():
        raise ValueError(f"pos_label={pos_label} is not a valid label: It should be one of "
                         f"{classes}")
    method = _response_method(estimator, response_method)
    y = np.asarray(getattr(estimator, method)(X))
    if method == "predict_proba":
        y = y[:, classes.tolist().index(pos_label)]
    elif pos_label == classes[0]:
        y = -y
    return y, pos_label, type(estimator).__name__ if name is None else name
