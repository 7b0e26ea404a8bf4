"""scikit-learn 1.9's own tests, run against cymetrics through ``cymetrics.sklearn.patch()``.

    python tests/sklearn_suite/run.py [pytest options]     # e.g. -x, -k roc_auc, -n 0

Runs the installed scikit-learn's tests of what the patch changes (`MODULES`,
narrowed by `SELECT`) with scikit-learn patched from the start of the session
(before any test module imports a metric), in scikit-learn's own CI mode
(``SKLEARN_WARNINGS_AS_ERRORS=1``) and with any ``RuntimeWarning`` raised in
cymetrics' code an error (``pytest.ini`` here; this suite is not collected by
the project's default ``pytest`` run). ``--unpatched`` runs the same tests on
scikit-learn's own code, for comparison.

Every deliberate difference from scikit-learn is an expected failure with
its reason, from one table, `DELIBERATE` (the README's "Deliberate
differences" section gives the same reasons); expected failures are strict,
so a difference that disappears fails the run too.
"""

import os
import sys

import pytest

import cymetrics.sklearn

HERE = os.path.dirname(os.path.abspath(__file__))

MODULES = [
    "sklearn.metrics.tests.test_classification",
    "sklearn.metrics.tests.test_ranking",
    "sklearn.metrics.tests.test_common",
    "sklearn.metrics.tests.test_score_objects",
    "sklearn.model_selection.tests.test_classification_threshold",
    "sklearn.model_selection.tests.test_validation",
    "sklearn.model_selection.tests.test_search",
    "sklearn.tests.test_public_functions",
    "sklearn.tests.test_calibration",
]
# Modules of which only some tests exercise what the patch changes: the test
# names must contain one of these words.
SELECT = {
    "sklearn.model_selection.tests.test_validation": ("scor",),
    "sklearn.model_selection.tests.test_search": ("scor",),
    "sklearn.tests.test_public_functions": ("metrics", "calibration_curve"),
    "sklearn.tests.test_calibration": ("calibration_curve",),
}

OVO_WEIGHTS = ("Deliberate difference: one-vs-one roc_auc_score accepts sample_weight (a pair "
               "of samples weighs w_a * w_b), where scikit-learn raises.")
OVO_AVERAGE_NONE = ("Deliberate difference: one-vs-one roc_auc_score with average=None returns "
                    "the K x K matrix of pairwise AUCs, where scikit-learn raises "
                    "NotImplementedError.")
INT64_TOTALS = ("Deliberate difference: integer weights whose total reaches 2**63 are refused "
                "with a ValueError, where scikit-learn's int64 counts wrap silently.")
# (module, test name with its parameters) -> why cymetrics differs.
DELIBERATE = {
    ("sklearn.metrics.tests.test_ranking",
     "test_roc_auc_score_multiclass_error[msg2-kwargs2]"): OVO_WEIGHTS,
    **{("sklearn.metrics.tests.test_ranking", f"test_multiclass_ovo_roc_auc_toydata[{case}]"):
       OVO_AVERAGE_NONE
       for case in ("y_true0-labels0", "y_true1-None", "y_true2-labels2", "y_true3-None")},
    # The test asserts that int64 weights summing past 2**63 wrap (cm[1, 1] == -2).
    ("sklearn.metrics.tests.test_classification", "test_confusion_matrix_dtype"): INT64_TOTALS,
}


class PatchPlugin:
    """Patch scikit-learn for the whole session; select and mark the tests."""

    def __init__(self, patch=True):
        self.patch = patch

    def pytest_configure(self, config):
        if self.patch:
            cymetrics.sklearn.patch()

    def pytest_collection_modifyitems(self, config, items):
        selected, deselected = [], []
        for item in items:
            module = item.module.__name__
            words = SELECT.get(module)
            keep = words is None or any(word in item.name for word in words)
            (selected if keep else deselected).append(item)
            reason = DELIBERATE.get((module, item.name))
            if reason is not None and self.patch:
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
        missing = set(DELIBERATE) - {(i.module.__name__, i.name) for i in selected}
        if missing and not config.option.keyword:
            raise pytest.UsageError(f"DELIBERATE names tests that do not exist: {missing}")

    def pytest_sessionfinish(self, session):
        if self.patch and not cymetrics.sklearn.is_patched():
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
            print("\nscikit-learn was unpatched during the run", file=sys.stderr)


def main(argv):
    patch = "--unpatched" not in argv
    argv = [a for a in argv if a != "--unpatched"]
    # scikit-learn's CI mode: its conftest turns its listed warnings into errors.
    os.environ["SKLEARN_WARNINGS_AS_ERRORS"] = "1"
    args = ["-c", os.path.join(HERE, "pytest.ini"), "--rootdir", HERE, "-p", "no:cacheprovider",
            "--pyargs", *MODULES, *argv]
    return pytest.main(args, plugins=[PatchPlugin(patch)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
