"""Build the Cython kernels. Metadata lives in pyproject.toml.

Release builds add no optimisation flag: the compiler gets the flags Python
itself was built with (sysconfig's CFLAGS, e.g. ``-O3`` or ``-O2`` with gcc and
clang; setuptools' ``/O2`` with MSVC), and ``CFLAGS`` from the environment
still applies on top.

Set ``CYMETRICS_DEBUG=1`` to compile with bounds and initialization checks on,
unoptimised and with debug info (used by one CI job to catch out-of-bounds
access in the kernels).

numpy is not a build requirement: the kernels take typed memoryviews (the
buffer protocol) and never ``cimport numpy``, so the compiled modules do not
use numpy's C-API and have no numpy ABI floor; the runtime floor is the
``numpy>=1.23`` dependency in pyproject.toml. A kernel that needs the C-API
must add numpy to [build-system] requires, ``include_dirs=[np.get_include()]``
and ``NPY_TARGET_VERSION=NPY_1_23_API_VERSION`` (the runtime floor).
"""

import os

from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("CYMETRICS_DEBUG", "0") not in ("", "0")

directives = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": False,
    "initializedcheck": DEBUG,
    "nonecheck": False,
    "cdivision": True,
    "embedsignature": True,
    # No generated module-level ``__test__`` dict (Cython's hook for doctests in
    # C-level docstrings): the kernels' docstrings hold no examples, the .pyi
    # stubs do not declare it, and tests/test_doctests.py finds docstrings
    # directly.
    "autotestdict": False,
    # Safe without the GIL (docs/free-threading.md): the kernels share no
    # mutable module state, write only to the arrays their caller owns, and
    # the accumulators hold a lock around every state change. Without it a
    # free-threaded interpreter re-enables the GIL on import.
    "freethreading_compatible": True,
}

# Appended after the default flags, so they override the default optimisation
# level. MSVC: /Z7 keeps debug info in the object files (no shared .pdb to
# fight over in parallel builds).
if not DEBUG:
    compile_args = []
elif os.name == "nt":
    compile_args = ["/Od", "/Z7"]
else:
    compile_args = ["-O0", "-g"]

KERNELS = [
    "_calibration", "_confusion", "_inference", "_label_ranking", "_labels", "_losses",
    "_multiclass", "_multilabel", "_pairwise", "_sort", "_streaming", "_sweep",
]

extensions = [
    Extension(
        f"cymetrics._kernels.{name}",
        [f"src/cymetrics/_kernels/{name}.pyx"],
        extra_compile_args=compile_args,
    )
    for name in KERNELS
]

setup(
    ext_modules=cythonize(
        extensions, include_path=["src"], compiler_directives=directives
    )
)
