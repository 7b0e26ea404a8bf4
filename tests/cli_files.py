"""Files a person would feed ``cymetrics report`` and the helper that runs the
command line as a subprocess (``import cli_files``; the session fixture
``datasets`` in cli/conftest.py writes the files once).

Every data set is small (a few hundred rows, scores rounded so that they
tie) and is read in chunks of 97 rows by the tests, so that the streaming
path (several chunks, classes absent from some chunks) is what is tested.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass, field

import numpy as np

from support import stable_seed

N = 300
CHUNK = "97"


@dataclass
class DataSet:
    """A generated file and its columns in memory (the truth the report is checked against)."""

    name: str
    path: str
    columns: dict
    args: list
    pos_label: object = None
    extra: dict = field(default_factory=dict)


def run_cli(*args, env=None, prelude=""):
    """``python -m cymetrics ARGS`` in a subprocess: (status, stdout, stderr).

    ``prelude``: Python run before the CLI in the same process (e.g. hiding
    an optional package by setting ``sys.modules[name] = None``).
    """
    code = (f"{prelude}\nimport sys\nfrom cymetrics._cli import main\n"
            "sys.exit(main(sys.argv[1:]))")
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def report_json(*args, chunk_rows=CHUNK, **kwargs):
    status, out, err = run_cli("report", *args, "--json", "--quiet", "--chunk-rows", chunk_rows,
                               **kwargs)
    assert status == 0, err
    return json.loads(out)


def assert_same_report(a, b, rtol=1e-12, where="report"):
    """Two reports with the same fields and numbers equal up to ``rtol`` (sums
    added up in chunks of other sizes round differently)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for key in a:
            assert_same_report(a[key], b[key], rtol, f"{where}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_report(x, y, rtol, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert abs(a - b) <= rtol * max(abs(a), abs(b), 1e-300), f"{where}: {a} != {b}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _scores(rng, y_pos):
    """Informative scores in [0, 1], rounded to two decimals (ties)."""
    logits = rng.normal(1.2 * y_pos - 0.6, 1.0)
    return np.round(1.0 / (1.0 + np.exp(-logits)), 2)


def _write_csv(path, columns):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(columns))
        for row in zip(*(np.asarray(c).tolist() for c in columns.values())):
            writer.writerow([repr(v) if isinstance(v, float) else v for v in row])


def _binary(rng, labels, n=N):
    y_pos = rng.random(n) < 0.3
    y_pos[:2] = [False, True]
    y = np.where(y_pos, labels[1], labels[0])
    return y, y_pos


def make_datasets(root):
    """name -> DataSet: string, {1, 2}, {-1, 1} and {0, 1} labels in CSV, Parquet,
    npz and npy, with weights, segments, a second model and predicted labels."""
    rng = np.random.default_rng(stable_seed("cli-data"))
    out = {}

    y, y_pos = _binary(rng, np.array(["cat", "dog"]))
    cols = {"animal": y, "score": _scores(rng, y_pos), "baseline": _scores(rng, y_pos * 0.5),
            "region": rng.choice(np.array(["north", "south", "east"]), N),
            "w": rng.integers(0, 4, N)}
    cols["w"][:2] = 1
    path = str(root / "strings.csv")
    _write_csv(path, cols)
    out["strings"] = DataSet("strings", path, cols, ["--y-true", "animal", "--y-score", "score",
                                                     "--weight", "w"], "dog")

    for name, labels in (("one_two", [1, 2]), ("minus_one", [-1, 1])):
        y, y_pos = _binary(rng, np.array(labels))
        cols = {"y": y, "s": _scores(rng, y_pos)}
        path = str(root / f"{name}.csv")
        _write_csv(path, cols)
        out[name] = DataSet(name, path, cols, ["--y-true", "y", "--y-score", "s"], labels[1])

    y, y_pos = _binary(rng, np.array([0, 1]))
    cols = {"y": y.astype(np.int64), "s": _scores(rng, y_pos).astype(np.float32),
            "w": np.round(rng.random(N) * 2, 1)}
    path = str(root / "binary.npz")
    np.savez_compressed(path, **cols)
    out["npz"] = DataSet("npz", path, cols, ["--y-true", "y", "--y-score", "s", "--weight", "w"],
                         1)

    y, y_pos = _binary(rng, np.array([0, 1]))
    table = np.zeros(N, dtype=[("y", "i8"), ("s", "f8")])
    table["y"], table["s"] = y, _scores(rng, y_pos)
    path = str(root / "structured.npy")
    np.save(path, table)
    out["npy"] = DataSet("npy", path, {"y": table["y"], "s": table["s"]},
                         ["--y-true", "y", "--y-score", "s"], 1)

    out["multiclass"] = _multiclass(rng, root)
    out["predictions"] = _predictions(rng, root)
    return out


def _multiclass(rng, root):
    import pyarrow as pa
    import pyarrow.parquet as pq

    classes = np.array(["a", "b", "c"])
    y = rng.choice(classes, N, p=[0.5, 0.3, 0.2])
    y[:3] = classes
    logits = rng.normal(size=(N, 3)) + 1.5 * (y[:, None] == classes)
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    cols = {"y": y, "p_a": proba[:, 0], "p_b": proba[:, 1], "p_c": proba[:, 2],
            "w": rng.random(N) + 0.5, "site": rng.choice(np.array([1, 2]), N)}
    path = str(root / "multiclass.parquet")
    pq.write_table(pa.table(cols), path, row_group_size=128)
    return DataSet("multiclass", path, cols,
                   ["--y-true", "y", "--y-proba", "p_a", "p_b", "p_c", "--weight", "w",
                    "--by", "site"])


def _predictions(rng, root):
    y, y_pos = _binary(rng, np.array(["no", "yes"]))
    pred = np.where(rng.random(N) < 0.8, y, np.where(y == "yes", "no", "yes"))
    cols = {"truth": y, "pred": pred, "group": rng.choice(np.array(["x", "y"]), N)}
    path = str(root / "predictions.csv")
    _write_csv(path, cols)
    return DataSet("predictions", path, cols,
                   ["--y-true", "truth", "--y-pred", "pred", "--by", "group"], "yes")
