"""`cymetrics.plot` against scikit-learn's displays: the same signatures, and the
same drawing (line data, labels, limits, legend) on the same inputs; the
streaming ``from_accumulator`` draws what ``from_predictions`` draws."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import cymetrics
from cymetrics import plot
from cymetrics.streaming import ConfusionAccumulator, ScoreAccumulator
from support import stable_seed

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")
sk_metrics = pytest.importorskip("sklearn.metrics")
sk_calibration = pytest.importorskip("sklearn.calibration")

DISPLAYS = {
    "RocCurveDisplay": sk_metrics.RocCurveDisplay,
    "PrecisionRecallDisplay": sk_metrics.PrecisionRecallDisplay,
    "ConfusionMatrixDisplay": sk_metrics.ConfusionMatrixDisplay,
    "CalibrationDisplay": sk_calibration.CalibrationDisplay,
}
METHODS = ["__init__", "plot", "from_predictions", "from_estimator"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", list(DISPLAYS))
def test_same_signature_as_scikit_learn(name, method):
    ours = inspect.signature(getattr(getattr(plot, name), method))
    theirs = inspect.signature(getattr(DISPLAYS[name], method))
    assert ours == theirs
    assert getattr(cymetrics, name) is getattr(plot, name)  # import cymetrics as metrics


def _binary(seed, labels=(0, 1)):
    rng = np.random.default_rng(stable_seed("displays", seed))
    n = 200
    y_pos = rng.random(n) < 0.35
    y_pos[:2] = [False, True]
    y = np.where(y_pos, labels[1], labels[0])
    score = np.round(rng.random(n) * 0.7 + 0.3 * y_pos, 2)
    weight = rng.integers(0, 3, n).astype(float)
    weight[:2] = 1
    return y, score, weight


def _drawn(display):
    ax = display.ax_
    lines = [(np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float),
              line.get_label(), line.get_linestyle(), line.get_drawstyle())
             for line in ax.get_lines()]
    legend = ax.get_legend()
    texts = [t.get_text() for t in legend.get_texts()] if legend else None
    return lines, ax.get_xlabel(), ax.get_ylabel(), ax.get_xlim(), ax.get_ylim(), texts


def _assert_same_drawing(ours, theirs):
    a, b = _drawn(ours), _drawn(theirs)
    assert len(a[0]) == len(b[0])
    for (x1, y1, *style1), (x2, y2, *style2) in zip(a[0], b[0]):
        np.testing.assert_allclose(x1, x2, rtol=1e-12)
        np.testing.assert_allclose(y1, y2, rtol=1e-12)
        assert style1 == style2
    assert a[1:] == b[1:]


CURVE_CASES = [
    ("plain", {}, (0, 1)),
    ("weights", {"sample_weight": True}, (0, 1)),
    ("strings", {"pos_label": "yes"}, ("no", "yes")),
    ("chance", {"plot_chance_level": True, "name": "model", "despine": True}, (0, 1)),
    ("kwargs", {"curve_kwargs": {"c": "red", "lw": 3}}, (-1, 1)),
]


@pytest.mark.parametrize("case, params, labels", CURVE_CASES, ids=[c[0] for c in CURVE_CASES])
@pytest.mark.parametrize("name", ["RocCurveDisplay", "PrecisionRecallDisplay"])
def test_curves_from_predictions_draw_as_scikit_learn(name, case, params, labels):
    y, s, w = _binary(case, labels)
    params = dict(params)
    if params.pop("sample_weight", False):
        params["sample_weight"] = w
    ours = getattr(plot, name).from_predictions(y, s, **params)
    theirs = DISPLAYS[name].from_predictions(y, s, **params)
    _assert_same_drawing(ours, theirs)


@pytest.mark.parametrize("name", ["RocCurveDisplay", "PrecisionRecallDisplay",
                                  "ConfusionMatrixDisplay", "CalibrationDisplay"])
def test_from_estimator_draws_as_scikit_learn(name):
    linear = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(stable_seed("estimator"))
    X = rng.normal(size=(150, 3))
    y = np.where(X[:, 0] + rng.normal(size=150) > 0, "b", "a")
    clf = linear.LogisticRegression().fit(X, y)
    ours = getattr(plot, name).from_estimator(clf, X, y)
    theirs = DISPLAYS[name].from_estimator(clf, X, y)
    if name == "ConfusionMatrixDisplay":
        np.testing.assert_array_equal(ours.confusion_matrix, theirs.confusion_matrix)
        assert _texts(ours) == _texts(theirs)
    else:
        _assert_same_drawing(ours, theirs)


def test_multiple_curves_and_legend_as_scikit_learn():
    curves = [_binary(i) for i in range(3)]
    rocs = [cymetrics.roc_curve(y, s) for y, s, _ in curves]
    aucs = [cymetrics.roc_auc_score(y, s) for y, s, _ in curves]
    kw = dict(fpr=[r[0] for r in rocs], tpr=[r[1] for r in rocs], roc_auc=aucs, name="fold")
    _assert_same_drawing(plot.RocCurveDisplay(**kw).plot(),
                         sk_metrics.RocCurveDisplay(**kw).plot())
    names = ["a", "b", "c"]
    styles = [{"color": c} for c in ("r", "g", "b")]
    _assert_same_drawing(plot.RocCurveDisplay(**kw).plot(name=names, curve_kwargs=styles),
                         sk_metrics.RocCurveDisplay(**kw).plot(name=names, curve_kwargs=styles))


def _texts(display):
    return ([t.get_text() for t in display.text_.ravel()],
            [t.get_text() for t in display.ax_.get_xticklabels()],
            display.ax_.get_xlabel(), display.ax_.get_ylim())


@pytest.mark.parametrize("params", [{}, {"normalize": "true", "values_format": ".2f"},
                                    {"labels": ["c", "a"], "include_values": True}],
                         ids=["plain", "normalized", "labels"])
def test_confusion_matrix_as_scikit_learn(params):
    rng = np.random.default_rng(stable_seed("cm", str(params)))
    y = rng.choice(np.array(["a", "b", "c"]), 120)
    pred = np.where(rng.random(120) < 0.7, y, rng.choice(np.array(["a", "b", "c"]), 120))
    ours = plot.ConfusionMatrixDisplay.from_predictions(y, pred, **params)
    theirs = sk_metrics.ConfusionMatrixDisplay.from_predictions(y, pred, **params)
    np.testing.assert_allclose(ours.confusion_matrix, theirs.confusion_matrix, rtol=1e-12)
    assert _texts(ours) == _texts(theirs)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_calibration_as_scikit_learn(strategy):
    y, s, _ = _binary("calibration")
    ours = plot.CalibrationDisplay.from_predictions(y, s, n_bins=7, strategy=strategy,
                                                    name="m")
    theirs = sk_calibration.CalibrationDisplay.from_predictions(y, s, n_bins=7,
                                                                strategy=strategy, name="m")
    _assert_same_drawing(ours, theirs)


def test_from_accumulator_draws_the_data_seen():
    y, s, w = _binary("stream")
    acc = ScoreAccumulator()
    for part in np.array_split(np.arange(y.shape[0]), 5):
        acc.update(y[part], s[part], w[part])
    for name in ("RocCurveDisplay", "PrecisionRecallDisplay"):
        streamed = getattr(plot, name).from_accumulator(acc, name="m", plot_chance_level=True)
        if name == "PrecisionRecallDisplay":  # the weighted share of positives
            np.testing.assert_allclose(streamed.prevalence_pos_label, w[y == 1].sum() / w.sum())
            streamed.prevalence_pos_label = np.mean(y == 1)
            streamed = streamed.plot(name="m", plot_chance_level=True)
        _assert_same_drawing(streamed, getattr(plot, name).from_predictions(
            y, s, sample_weight=w, name="m", plot_chance_level=True))
    unweighted = ScoreAccumulator().update(y, s)
    _assert_same_drawing(plot.CalibrationDisplay.from_accumulator(unweighted, n_bins=6,
                                                                  name="m"),
                         plot.CalibrationDisplay.from_predictions(y, s, n_bins=6, name="m"))
    conf = ConfusionAccumulator().update(y, s >= 0.5)
    got = plot.ConfusionMatrixDisplay.from_accumulator(conf)
    np.testing.assert_array_equal(got.confusion_matrix, cymetrics.confusion_matrix(y, s >= 0.5))


def test_errors_as_scikit_learn():
    y, s, _ = _binary("errors", (1, 2))
    for display in (plot.RocCurveDisplay, sk_metrics.RocCurveDisplay):
        with pytest.raises(ValueError, match="pos_label"):
            display.from_predictions(y, s)
    with pytest.raises(ValueError, match="not binary"):
        plot.RocCurveDisplay.from_predictions([0, 1, 2], [0.1, 0.2, 0.3])
    pr = plot.PrecisionRecallDisplay(precision=np.ones(2), recall=np.ones(2))
    with pytest.raises(ValueError, match="prevalence_pos_label"):
        pr.plot(plot_chance_level=True)
    with pytest.raises(TypeError, match="aliases"):
        plot.RocCurveDisplay.from_predictions(y, s, pos_label=2,
                                              curve_kwargs={"c": "r", "color": "b"})


def test_missing_matplotlib_is_one_clear_error(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"needs matplotlib.*pip install matplotlib.*\[plot\]"):
        plot.RocCurveDisplay.from_predictions([0, 1], [0.2, 0.8])
