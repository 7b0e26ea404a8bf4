"""On a free-threaded CPython, importing cymetrics leaves the GIL off.

Every compiled kernel declares ``freethreading_compatible`` (setup.py); one
that does not makes the interpreter turn the GIL back on at its import, for
the whole process, with only a warning. This test imports every module of
the installed package in a fresh interpreter and fails if that happened.
On a GIL build (or with ``PYTHON_GIL=1``) it is skipped.
"""

import os
import subprocess
import sys
import sysconfig

import pytest

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))

SCRIPT = """
import importlib, pkgutil, sys, warnings
import cymetrics
warnings.simplefilter("error", RuntimeWarning)  # the GIL-re-enabled warning
optional = ("sklearn", "dask", "distributed", "matplotlib", "pyarrow", "prometheus_client")
names = []
for info in pkgutil.walk_packages(cymetrics.__path__, "cymetrics."):
    if info.name.endswith(".__main__"):  # runs a command line
        continue
    try:
        importlib.import_module(info.name)
    except ImportError as exc:  # a module of an extra that is not installed
        if exc.name is None or exc.name.split(".")[0] not in optional:
            raise
        continue
    names.append(info.name)
assert not sys._is_gil_enabled(), "the GIL was turned on by an import"
print(len(names))
"""


@pytest.mark.skipif(not FREE_THREADED, reason="a GIL build of CPython")
@pytest.mark.skipif(os.environ.get("PYTHON_GIL") == "1", reason="PYTHON_GIL=1 forces the GIL")
def test_every_module_imports_without_the_gil():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 50  # every module, kernels included
