"""``cymetrics.sklearn.patch``: every way scikit-learn reaches a metric runs cymetrics.

"Runs cymetrics" is observed, not assumed: `calls` records every Python
function called (``sys.setprofile``), and a patched call must have entered
the cymetrics drop-in and never scikit-learn's own implementation. (The
fixtures are in conftest.py.)
"""

from __future__ import annotations

import functools
import inspect
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import warnings

import numpy as np
import pytest
import sklearn
import sklearn.calibration
import sklearn.exceptions
import sklearn.metrics
import sklearn.metrics._classification
import sklearn.metrics._ranking
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score as f1_imported_before_patching
from sklearn.metrics._scorer import _SCORERS, _CurveScorer
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate

import cymetrics
import cymetrics.sklearn
from cymetrics.sklearn import is_patched, patch, patched, unpatch
from cymetrics.sklearn.__main__ import main as run_patched
from cymetrics.sklearn._drop_ins import DROP_INS
from support import assert_same_value

PAIRS = [(getattr(home, name), drop_in)
         for home, functions in DROP_INS.items() for name, drop_in in functions.items()]
NAMES = [drop_in.__name__ for _, drop_in in PAIRS]
F1_MACRO_BEFORE_PATCHING = functools.partial(sklearn.metrics.f1_score, average="macro")


def _implementation(func):
    """scikit-learn's own implementation under its decorators."""
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func.__module__, func.__name__


def assert_ran_cymetrics(seen, name):
    drop_in = dict(zip(NAMES, (d for _, d in PAIRS)))[name]
    original = dict(zip(NAMES, (o for o, _ in PAIRS)))[name]
    assert (drop_in.__module__, name) in seen, f"cymetrics' {name} did not run"
    assert _implementation(original) not in seen, f"scikit-learn's {name} ran"


def _state():
    """Everything the patch may change, to compare before and after."""
    cells = []
    for original, _ in PAIRS:
        layer = original
        while layer is not None:
            cells += [c.cell_contents for c in (layer.__closure__ or ())
                      if callable(c.cell_contents)]
            layer = getattr(layer, "__wrapped__", None)
    return (cells, _CurveScorer.__dict__["_score"],
            cymetrics._shared._warnings.warning_class(cymetrics.UndefinedMetricWarning),
            {name: getattr(sklearn.metrics, name) for name in dir(sklearn.metrics)})


def test_every_namesake_is_a_drop_in():
    """A function of cymetrics named like one of sklearn.metrics is patched in."""
    namesakes = {name for name in cymetrics.__all__
                 if inspect.isfunction(getattr(cymetrics, name))
                 and inspect.isfunction(getattr(sklearn.metrics, name, None))}
    assert set(NAMES) == namesakes | {"calibration_curve"}
    assert all(drop_in is getattr(cymetrics, drop_in.__name__) for _, drop_in in PAIRS)


# --------------------------------------------------------------------------
# patch / unpatch / patched / is_patched
# --------------------------------------------------------------------------
def test_unpatch_restores_exactly_and_patching_twice_is_harmless():
    before = _state()
    patch()
    patched_state = _state()
    patch()
    assert is_patched() and _state() == patched_state
    unpatch()
    unpatch()
    assert not is_patched() and _state() == before
    assert patched_state != before


def test_patched_restores_the_state_it_found():
    with patched():
        assert is_patched()
        with patched():
            assert is_patched()
        assert is_patched()
    assert not is_patched()
    with pytest.raises(KeyError), patched():
        raise KeyError
    assert not is_patched()


def test_patched_blocks_overlapping_in_two_threads():
    # A enters, B enters, A exits: B is still inside, so the patch stays on.
    b_inside, a_left, seen = threading.Event(), threading.Event(), []

    def thread_b():
        with patched():
            b_inside.set()
            a_left.wait(10)
            seen.append(is_patched())

    b = threading.Thread(target=thread_b)
    with patched():
        b.start()
        assert b_inside.wait(10)
    a_left.set()
    b.join(10)
    assert seen == [True]
    assert not is_patched()


def test_patching_from_many_threads():
    before = _state()
    barrier = threading.Barrier(8)
    errors = []

    def work(i):
        try:
            barrier.wait()
            for _ in range(20):
                patch() if i % 2 else unpatch()
                with patched():
                    assert sklearn.metrics.roc_auc_score([0, 1], [0.2, 0.7]) == 1.0
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    unpatch()
    assert _state() == before


def test_signatures_docstrings_and_names_are_scikit_learns():
    # Signatures as text: a NaN default is not equal to itself.
    before = {f: (str(inspect.signature(f)), f.__doc__, f.__module__, f.__qualname__)
              for f, _ in PAIRS}
    with patched():
        for original, drop_in in PAIRS:
            assert (str(inspect.signature(original)), original.__doc__, original.__module__,
                    original.__qualname__) == before[original]
            assert str(inspect.signature(drop_in)) == before[original][0]


def test_version_guard(monkeypatch):
    monkeypatch.setattr(sklearn, "__version__", "1.10.0")
    with pytest.raises(RuntimeError, match=r"tested with scikit-learn 1\.9\.x.*1\.10\.0.*force"):
        patch()
    assert not is_patched()
    patch(force=True)
    assert is_patched()


def test_a_function_built_otherwise_is_refused_before_anything_changes(monkeypatch):
    before = _state()
    monkeypatch.setattr(sklearn.metrics, "f1_score", lambda y_true, y_pred: 0.0)
    with pytest.raises(RuntimeError, match="cannot patch .*not wrapped by validate_params"):
        patch()
    assert not is_patched()
    monkeypatch.undo()
    assert _state() == before


# --------------------------------------------------------------------------
# Every alias reaches cymetrics
# --------------------------------------------------------------------------
def _binary():
    rng = np.random.default_rng(0)
    y = np.r_[0, 1, rng.integers(0, 2, 58)]
    score = np.round(0.5 * rng.random(60) + 0.4 * y, 2)
    return y, score


_SCORE_FUNCTIONS = {"roc_auc_score", "average_precision_score", "roc_curve", "det_curve",
                    "precision_recall_curve", "confusion_matrix_at_thresholds", "log_loss",
                    "brier_score_loss", "d2_log_loss_score", "d2_brier_score", "hinge_loss",
                    "calibration_curve"}
_RELEVANCE_FUNCTIONS = {"coverage_error", "dcg_score", "ndcg_score", "label_ranking_loss",
                        "label_ranking_average_precision_score"}


def _arguments(name):
    """``(args, kwargs)`` that ``name`` accepts."""
    y, score = _binary()
    if name in _SCORE_FUNCTIONS:
        return (y, score), {}
    if name in _RELEVANCE_FUNCTIONS:
        return ([[1, 0, 1], [0, 1, 1]], [[0.3, 0.2, 0.9], [0.1, 0.4, 0.2]]), {}
    special = {
        "auc": (([0, 0.5, 1], [0, 0.7, 1]), {}),
        "top_k_accuracy_score": (([0, 1, 2, 2], np.eye(3)[[0, 2, 1, 2]]), {}),
        "metric_at_thresholds": ((y, score, sklearn.metrics.accuracy_score), {}),
        "fbeta_score": ((y, (score > 0.5).astype(int)), {"beta": 2}),
    }
    return special.get(name, ((y, (score > 0.5).astype(int)), {}))


@pytest.mark.parametrize("name", NAMES)
def test_public_name_reaches_cymetrics(name, calls):
    home = next(h for h, functions in DROP_INS.items() if name in functions)
    func = getattr(home, name)
    args, kwargs = _arguments(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = func(*args, **kwargs)
        with patched(), calls() as seen:
            got = func(*args, **kwargs)
    assert_ran_cymetrics(seen, name)
    assert_same_value(expected, got, exact=False, ctx=name)


@pytest.mark.parametrize("func", [
    sklearn.metrics._classification.f1_score,  # the defining module
    f1_imported_before_patching,  # an alias taken before patching
    F1_MACRO_BEFORE_PATCHING,  # a partial made before patching
], ids=["private-module", "imported-before", "partial-before"])
def test_aliases_made_before_patching_reach_cymetrics(func, calls):
    with patched(), calls() as seen:
        func([0, 1, 1, 0], [0, 1, 0, 0])
    assert_ran_cymetrics(seen, "f1_score")


# --------------------------------------------------------------------------
# Scorers, model selection
# --------------------------------------------------------------------------
def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    return X, y


SCORER_METRICS = {"roc_auc": "roc_auc_score", "f1_macro": "f1_score",
                  "average_precision": "average_precision_score", "neg_log_loss": "log_loss",
                  "balanced_accuracy": "balanced_accuracy_score",
                  "matthews_corrcoef": "matthews_corrcoef", "neg_brier_score": "brier_score_loss"}


@pytest.mark.parametrize("built", ["before", "after"])
@pytest.mark.parametrize("scoring", sorted(SCORER_METRICS))
def test_scorers_built_before_or_after_patching(scoring, built, calls):
    X, y = _data()
    model = LogisticRegression().fit(X, y)
    scorer = sklearn.metrics.get_scorer(scoring)
    expected = scorer(model, X, y)
    with patched(), calls() as seen:
        if built == "after":
            scorer = sklearn.metrics.get_scorer(scoring)
        got = scorer(model, X, y)
    assert_ran_cymetrics(seen, SCORER_METRICS[scoring])
    assert got == pytest.approx(expected, rel=1e-12)


def test_registry_scorers_and_make_scorer_reach_cymetrics(calls):
    X, y = _data()
    model = LogisticRegression().fit(X, y)
    made_before = sklearn.metrics.make_scorer(sklearn.metrics.fbeta_score, beta=2)
    with patched(), calls() as seen:
        _SCORERS["recall"](model, X, y)
        made_before(model, X, y)
        # A scorer whose metric is scikit-learn's own function calling one
        # of the patched ones.
        _SCORERS["positive_likelihood_ratio"](model, X, y)
    for name in ("recall_score", "fbeta_score", "class_likelihood_ratios"):
        assert_ran_cymetrics(seen, name)


def test_model_selection_reaches_cymetrics(calls):
    X, y = _data()
    scoring = ["roc_auc", "f1", "average_precision", "neg_log_loss"]
    expected = cross_validate(LogisticRegression(), X, y, scoring=scoring, cv=3)
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, scoring=scoring,
                          refit="roc_auc", cv=3)
    with patched(), calls() as seen:
        got = cross_validate(LogisticRegression(), X, y, scoring=scoring, cv=3)
        search.fit(X, y)
        cross_val_score(LogisticRegression(), X, y, scoring="f1_macro", cv=3)
    for name in ("roc_auc_score", "f1_score", "average_precision_score", "log_loss"):
        assert_ran_cymetrics(seen, name)
    for key in (f"test_{s}" for s in scoring):
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-12)


def test_scorers_pickle_as_scikit_learns_functions():
    """A scorer pickled under the patch refers to scikit-learn's function,
    so it loads where cymetrics is not installed (or not patched)."""
    with patched():
        dumped = pickle.dumps(sklearn.metrics.get_scorer("f1"))
        assert b"cymetrics" not in dumped
    assert pickle.loads(dumped)._score_func is sklearn.metrics.f1_score


# --------------------------------------------------------------------------
# Parameter validation and warnings
# --------------------------------------------------------------------------
def test_scikit_learns_parameter_validation_runs_first():
    from sklearn.utils._param_validation import InvalidParameterError

    with patched():
        with pytest.raises(InvalidParameterError,
                           match="The 'average' parameter of f1_score must be"):
            sklearn.metrics.f1_score([0, 1], [0, 1], average="nope")
        # Its switch still skips it: cymetrics' own check answers instead.
        with sklearn.config_context(skip_parameter_validation=True), pytest.raises(
                cymetrics.InvalidParameterError, match="'average' parameter of f1_score"):
            sklearn.metrics.f1_score([0, 1], [0, 1], average="nope")


def _undefined_precision(func):
    return func([0, 0, 1], [0, 0, 0])


@pytest.mark.parametrize("caller", ["scikit-learn", "cymetrics"])
def test_warning_classes_under_the_patch(caller):
    func = {"scikit-learn": sklearn.metrics.precision_score,
            "cymetrics": cymetrics.precision_score}[caller]
    with patched():
        with pytest.warns(sklearn.exceptions.UndefinedMetricWarning) as record:
            _undefined_precision(func)
        # Filters written for either class keep working.
        with warnings.catch_warnings():
            warnings.simplefilter("error", sklearn.exceptions.UndefinedMetricWarning)
            warnings.filterwarnings("ignore", category=cymetrics.UndefinedMetricWarning)
            _undefined_precision(func)
    category = record[0].category
    assert issubclass(category, cymetrics.UndefinedMetricWarning)
    assert category is cymetrics.sklearn.UndefinedMetricWarning
    # Outside the patch: cymetrics' own class, a UserWarning.
    with pytest.warns(cymetrics.UndefinedMetricWarning) as record:
        _undefined_precision(cymetrics.precision_score)
    assert record[0].category is cymetrics.UndefinedMetricWarning
    assert not issubclass(record[0].category, sklearn.exceptions.UndefinedMetricWarning)


def test_warnings_point_at_the_callers_line():
    with patched(), pytest.warns(sklearn.exceptions.UndefinedMetricWarning) as record:
        sklearn.metrics.precision_score([0, 0, 1], [0, 0, 0])
    assert record[0].filename == __file__


# --------------------------------------------------------------------------
# The environment variable and `python -m cymetrics.sklearn`
# --------------------------------------------------------------------------
def _python(*args, cwd=None, **env):
    environment = {k: v for k, v in os.environ.items() if k != "CYMETRICS_PATCH_SKLEARN"}
    environment.update(env)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env=environment, cwd=cwd, timeout=300)


def test_environment_variable_patches_on_import():
    done = _python("-c", "import cymetrics.sklearn as s; print(s.is_patched())",
                   CYMETRICS_PATCH_SKLEARN="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]


@pytest.mark.parametrize("value, patched_, warns", [
    ("1", True, False), (" Force ", True, False), ("0", False, False), ("", False, False),
    ("yes", False, True),
])
def test_environment_values(monkeypatch, value, patched_, warns):
    monkeypatch.setenv("CYMETRICS_PATCH_SKLEARN", value)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        cymetrics.sklearn._patch_from_environment()
    assert is_patched() == patched_
    assert [str(w.message)[:23] for w in record] == ["CYMETRICS_PATCH_SKLEARN"] * warns


def test_environment_refused_version_warns(monkeypatch):
    monkeypatch.setenv("CYMETRICS_PATCH_SKLEARN", "1")
    monkeypatch.setattr(sklearn, "__version__", "2.0.0")
    with pytest.warns(RuntimeWarning, match="CYMETRICS_PATCH_SKLEARN: .* 2.0.0"):
        cymetrics.sklearn._patch_from_environment()
    assert not is_patched()


def test_run_a_script_patched(tmp_path):
    script = tmp_path / "program.py"
    script.write_text(textwrap.dedent("""
        import sys
        import cymetrics.sklearn
        import helper  # the script's folder is on the path, as with `python program.py`
        print(cymetrics.sklearn.is_patched(), __name__, sys.argv[1:])
    """))
    (tmp_path / "helper.py").write_text("")
    done = _python("-m", "cymetrics.sklearn", str(script), "-x", "--y=1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True __main__ ['-x', '--y=1']"


@pytest.fixture
def program(tmp_path, monkeypatch):
    """A module `program` printing whether it runs patched, its name and arguments."""
    (tmp_path / "program.py").write_text(
        "import sys, cymetrics.sklearn\n"
        "print(cymetrics.sklearn.is_patched(), __name__, sys.argv[1:])\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.delitem(sys.modules, "program", raising=False)


@pytest.mark.parametrize("argv, out", [
    (["-m", "program", "a", "-b"], "True __main__ ['a', '-b']\n"),
    (["-c", "import sys, cymetrics.sklearn as s; print(s.is_patched(), sys.argv)", "x"],
     "True ['-c', 'x']\n"),
    (["--force", "-m", "program"], "True __main__ []\n"),
])
def test_run_a_module_or_code_patched(program, capsys, argv, out):
    assert run_patched(argv) == 0
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("argv, status", [([], 2), (["-m"], 2), (["--help"], 0)])
def test_runner_usage(capsys, argv, status):
    assert run_patched(argv) == status
    assert "usage: python -m cymetrics.sklearn" in "".join(capsys.readouterr())
    assert not is_patched()
