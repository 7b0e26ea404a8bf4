"""Prototype runner (to be rewritten)."""
import sys

import pytest

import cymetrics.sklearn

MODULES = [
    "sklearn.metrics.tests.test_classification",
    "sklearn.metrics.tests.test_ranking",
    "sklearn.metrics.tests.test_common",
    "sklearn.metrics.tests.test_score_objects",
    "sklearn.model_selection.tests.test_classification_threshold",
    "sklearn.model_selection.tests.test_validation",
    "sklearn.model_selection.tests.test_search",
]

class Plugin:
    def pytest_configure(self, config):
        if "--nopatch" not in sys.argv:
            cymetrics.sklearn.patch()
        config.addinivalue_line("filterwarnings", "error::RuntimeWarning:cymetrics")

    def pytest_collection_modifyitems(self, config, items):
        keep = []
        for item in items:
            mod = item.module.__name__
            if mod.endswith(("test_validation", "test_search")) and "scor" not in item.name:
                continue
            keep.append(item)
        items[:] = keep

if __name__ == "__main__":
    import os; os.environ["SKLEARN_WARNINGS_AS_ERRORS"] = "1"
    args = [a for a in sys.argv[1:] if a != "--nopatch"]
    sys.exit(pytest.main(["-p", "no:cacheprovider", "--pyargs", *MODULES, *args], plugins=[Plugin()]))
