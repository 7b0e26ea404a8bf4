"""Run every docstring example of the installed cymetrics package.

The package is walked with ``pkgutil.walk_packages`` and each docstring that
has examples (module, class, function, method, property, static/class method;
docstrings assigned after definition included, since ``doctest.DocTestFinder``
reads ``__doc__`` at run time) becomes its own test case, named by the
qualified name of the documented object. The examples run against the
``cymetrics`` that pytest imports, i.e. the installed package (non-editable in
CI, or the wheel when the suite runs from a copy of tests/ outside the source
tree): ``--doctest-modules src/`` would import the source tree, which has no
compiled kernels.

Optional modules (e.g. ``cymetrics.sklearn``, ``cymetrics.dask``) may import
third-party packages that are not installed: such a module is skipped, with
the missing package as the reason. Any other import error fails.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import traceback

import numpy as np
import pytest

import cymetrics

# Docstrings with examples at the last count (every extra installed): see
# test_enough_examples_are_collected. The floor catches a walk that silently
# finds fewer (a module no longer walked or imported, examples lost in a move);
# raise it when examples are added.
MIN_DOCSTRINGS_WITH_EXAMPLES = 217

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

# Examples whose module imports its optional package lazily, at use.
EXAMPLES_NEED = {"cymetrics.plot.": "matplotlib"}

# numpy's documented print options defaults (np.set_printoptions), applied
# around every example so that another test changing them cannot leak in.
NUMPY_PRINT_DEFAULTS = {
    "edgeitems": 3,
    "infstr": "inf",
    "linewidth": 75,
    "nanstr": "nan",
    "precision": 8,
    "suppress": False,
    "threshold": 1000,
    "formatter": None,
    "sign": "-",
    "floatmode": "maxprec",
    "legacy": False,
}


def _missing_third_party(exc: ImportError) -> str | None:
    """The missing third-party package behind ``exc``, or None if it is anything else
    (a broken cymetrics module, a name missing from an installed package)."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    top = exc.name.partition(".")[0]
    if top == "cymetrics" or importlib.util.find_spec(top) is not None:
        return None
    return top


def _walk() -> tuple[dict[str, object], dict[str, str], dict[str, str]]:
    """Import cymetrics and every submodule: (modules, skipped, errors) by name."""
    modules: dict[str, object] = {"cymetrics": cymetrics}
    skipped: dict[str, str] = {}
    errors: dict[str, str] = {}
    # walk_packages imports each package again to list its submodules; a
    # package that failed below is already recorded, hence onerror ignores.
    walk = pkgutil.walk_packages(cymetrics.__path__, "cymetrics.", onerror=lambda name: None)
    for info in walk:
        if info.name.rpartition(".")[2] == "__main__":
            continue  # `python -m cymetrics`: importing it runs the CLI
        try:
            modules[info.name] = importlib.import_module(info.name)
        except ImportError as exc:
            missing = _missing_third_party(exc)
            if missing is None:
                errors[info.name] = traceback.format_exc()
            else:
                skipped[info.name] = f"{info.name} needs {missing!r}, which is not installed"
        except Exception:
            errors[info.name] = traceback.format_exc()
    return modules, skipped, errors


def _collect(modules: dict[str, object]) -> dict[str, doctest.DocTest]:
    """Every docstring with examples, by qualified name. The finder only takes
    objects defined in the module it searches, so re-exports count once."""
    finder = doctest.DocTestFinder()
    found: dict[str, doctest.DocTest] = {}
    for module in modules.values():
        for test in finder.find(module):
            if test.examples:
                found.setdefault(test.name, test)
    return dict(sorted(found.items()))


MODULES, SKIPPED, IMPORT_ERRORS = _walk()
DOCTESTS = _collect(MODULES)


@pytest.mark.parametrize("name", sorted([*MODULES, *SKIPPED, *IMPORT_ERRORS]))
def test_module_imports(name):
    if name in IMPORT_ERRORS:
        pytest.fail(f"importing {name} failed:\n{IMPORT_ERRORS[name]}", pytrace=False)
    if name in SKIPPED:
        pytest.skip(SKIPPED[name])


@pytest.mark.parametrize("test", list(DOCTESTS.values()), ids=list(DOCTESTS))
def test_docstring_examples(test):
    # Modules that import their optional package only when used: their
    # examples need it (the sanitizer build runs without matplotlib).
    for prefix, package in EXAMPLES_NEED.items():
        if test.name.startswith(prefix):
            pytest.importorskip(package)
    # A fresh namespace (a copy of the module's globals) for each run.
    test = doctest.DocTest(test.examples, dict(test.globs), test.name, test.filename,
                           test.lineno, test.docstring)
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    report: list[str] = []
    with np.printoptions(**NUMPY_PRINT_DEFAULTS):
        result = runner.run(test, out=report.append)
    if result.failed:
        pytest.fail(f"{result.failed} of {result.attempted} examples failed:\n"
                    + "".join(report), pytrace=False)


def test_enough_docstring_examples():
    assert len(DOCTESTS) >= MIN_DOCSTRINGS_WITH_EXAMPLES, (
        f"only {len(DOCTESTS)} docstrings with examples found "
        f"(floor {MIN_DOCSTRINGS_WITH_EXAMPLES}): {sorted(DOCTESTS)}"
    )
