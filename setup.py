"""Build the Cython kernels. Metadata lives in pyproject.toml.

Set ``CYMETRICS_DEBUG=1`` to compile with bounds and initialization checks on
(used by one CI job to catch out-of-bounds access in the kernels).
"""

import os

import numpy as np
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
}

macros = [("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")]
if os.name == "nt":
    compile_args = ["/O2"]
else:
    compile_args = ["-O3"] if not DEBUG else ["-O0", "-g"]

KERNELS = [
    "_calibration", "_confusion", "_inference", "_label_ranking", "_labels", "_losses",
    "_multiclass", "_multilabel", "_pairwise", "_streaming", "_sweep",
]

extensions = [
    Extension(
        f"cymetrics._kernels.{name}",
        [f"src/cymetrics/_kernels/{name}.pyx"],
        include_dirs=[np.get_include()],
        define_macros=macros,
        extra_compile_args=compile_args,
    )
    for name in KERNELS
]

setup(
    ext_modules=cythonize(
        extensions, include_path=["src"], compiler_directives=directives
    )
)
