"""Cells of a chunk -> labels, scores, weights; every refusal names the column and row.

Labels keep their kind: a column whose cells all read as integers holds
int labels, else floats, else strings (decided over the whole column by the
first pass, `LabelKind`), so that labels {1, 2} stay {1, 2} and "yes"/"no"
stay strings. Numbers must be finite; weights non-negative. Rows are
counted from 1, the header not included.
"""

import numpy as np

from cymetrics._cli._errors import UsageError

__all__ = ["KINDS", "label_kind", "labels", "numbers", "parse_label", "weights", "wider"]

# From the narrowest to the widest: a column takes the widest kind of its chunks.
KINDS = ("bool", "int", "float", "str")


def _text(raw):
    """String cells as a numpy str array (pyarrow hands over objects)."""
    return raw if raw.dtype.kind == "U" else raw.astype(str)


def _first(mask):
    return int(np.flatnonzero(mask)[0])


def _missing(raw, name, start):
    empty = np.char.str_len(np.char.strip(raw)) == 0
    if empty.any():
        raise UsageError(f"column {name!r} has a missing value at row {start + _first(empty) + 1}")


def label_kind(raw):
    """The narrowest of `KINDS` that holds every cell of a chunk."""
    if raw.dtype.kind == "b":
        return "bool"
    if raw.dtype.kind in "iu":
        return "int"
    if raw.dtype.kind == "f":
        return "float"
    text = _text(raw)
    for kind, dtype in (("int", np.int64), ("float", np.float64)):
        try:
            text.astype(dtype)
        except (ValueError, OverflowError):
            continue
        return kind
    return "str"


def wider(a, b):
    return a if b is None else (b if a is None else KINDS[max(KINDS.index(a), KINDS.index(b))])


def labels(raw, kind, name, start):
    """The labels of a chunk as ``kind`` (one of `KINDS`); missing or NaN refused."""
    if raw.dtype.kind in "USO":
        raw = _text(raw)
        _missing(raw, name, start)
    if kind == "str":
        return _text(raw) if raw.dtype.kind != "U" else raw
    if kind == "bool":
        return raw.astype(bool)
    out = raw.astype(np.int64 if kind == "int" else np.float64)
    if kind == "float" and not np.isfinite(out).all():
        bad = _first(~np.isfinite(out))
        raise UsageError(f"column {name!r} has the label {out[bad]} at row {start + bad + 1}")
    return out


def numbers(raw, name, start):
    """A chunk of numbers as float64; missing, non-numeric, NaN and inf refused."""
    if raw.dtype.kind in "USO":
        raw = _text(raw)
        _missing(raw, name, start)
        try:
            out = raw.astype(np.float64)
        except ValueError:
            for i, cell in enumerate(raw):
                try:
                    float(cell)
                except ValueError:
                    raise UsageError(f"column {name!r} is not a number: {str(cell)!r} at "
                                     f"row {start + i + 1}") from None
            raise
    elif raw.dtype.kind in "biuf":
        out = raw.astype(np.float64)
    else:
        raise UsageError(f"column {name!r} is not numeric (dtype {raw.dtype})")
    finite = np.isfinite(out)
    if not finite.all():
        bad = _first(~finite)
        raise UsageError(f"column {name!r} has {out[bad]} at row {start + bad + 1}; "
                         "scores and weights must be finite numbers")
    return out


def weights(raw, name, start):
    w = numbers(raw, name, start)
    if w.size and w.min() < 0:
        bad = _first(w < 0)
        raise UsageError(f"column {name!r} has the negative weight {w[bad]} at row "
                         f"{start + bad + 1}")
    return w


def parse_label(text, kind, classes, name):
    """The label the user typed (``--pos-label``) as one of ``classes``."""
    try:
        if kind == "bool":
            value = {"true": True, "1": True, "false": False, "0": False}[text.lower()]
        elif kind in ("int", "float"):
            value = float(text) if kind == "float" else int(float(text))
            if kind == "int" and float(text) != value:
                raise ValueError(text)
        else:
            value = text
    except (KeyError, ValueError):
        value = None
    if value is None or value not in classes.tolist():
        shown = ", ".join(str(c) for c in classes.tolist())
        raise UsageError(f"--pos-label {text} is not a label of column {name!r} "
                         f"(labels: {shown})")
    return value
