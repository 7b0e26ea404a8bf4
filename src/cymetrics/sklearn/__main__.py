"""``python -m cymetrics.sklearn [--force] (script.py | -m module | -c code) [args]``.

Runs a Python program with scikit-learn patched, for code that cannot be
edited: the program sees the same ``sys.argv`` (and ``__main__``) as when
run with ``python`` directly, as ``python -m cProfile`` or ``coverage run``
do it. ``--force`` patches an untested scikit-learn release too.
"""

import os
import runpy
import sys

from cymetrics.sklearn._patch import patch

USAGE = "usage: python -m cymetrics.sklearn [--force] (script.py | -m module | -c code) [args]"


def main(argv=None):
    """Patch, then run the program named by ``argv`` (default ``sys.argv[1:]``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    force = bool(argv) and argv[0] == "--force"
    argv = argv[force:]
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if not argv or (argv[0] in ("-m", "-c") and len(argv) < 2):
        print(USAGE, file=sys.stderr)
        return 2
    patch(force=force)
    if argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
    elif argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        # As `python script.py`: the script's folder is first on the path.
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
