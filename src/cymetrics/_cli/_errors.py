"""The errors the command line reports as one line on stderr (exit status 2)."""

__all__ = ["UsageError", "missing_extra"]


class UsageError(Exception):
    """A problem with the command or its input: shown as one line, exit status 2."""


def missing_extra(what, package, extra):
    """The error for an optional package that is not installed."""
    return UsageError(
        f"{what} needs {package}, which is not installed: pip install {package} "
        f"(or cymetrics' extra [{extra}])")
