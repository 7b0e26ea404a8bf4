"""Every refusal of the command line is one line on stderr naming the problem and
exit status 2; a traceback only with ``--debug``; a closed pipe is no error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli_files import run_cli
from cymetrics._cli import main

CASES = {
    "missing file": (None, ["--y-true", "y", "--y-score", "s"]),
    "missing column": ("y,s\n0,0.1\n1,0.9\n", ["--y-true", "y", "--y-score", "nope"]),
    "non-numeric score": ("x,y,s\n3,0,0.1\n4,1,high\n", ["--y-true", "y", "--y-score", "s"]),
    "NaN score": ("y,s\n0,0.1\n1,nan\n0,0.3\n", ["--y-true", "y", "--y-score", "s"]),
    "missing label": ("y,s\n0,0.1\n,0.9\n", ["--y-true", "y", "--y-score", "s"]),
    "one class": ("y,s\n1,0.1\n1,0.9\n", ["--y-true", "y", "--y-score", "s"]),
    "empty file": ("", ["--y-true", "y", "--y-score", "s"]),
    "header only": ("y,s\n", ["--y-true", "y", "--y-score", "s"]),
    "negative weight": ("y,s,w\n0,0.1,1\n1,0.9,-2\n",
                        ["--y-true", "y", "--y-score", "s", "--weight", "w"]),
    "multiclass scores": ("y,s\n0,0.1\n1,0.9\n2,0.5\n", ["--y-true", "y", "--y-score", "s"]),
    "wrong proba count": ("y,a,b\n0,0.1,0.9\n1,0.9,0.1\n2,0.5,0.5\n",
                          ["--y-true", "y", "--y-proba", "a", "b"]),
    "bad pos label": ("y,s\n1,0.1\n2,0.9\n", ["--y-true", "y", "--y-score", "s",
                                               "--pos-label", "3"]),
    "threshold nan": ("y,s\n0,0.1\n1,0.9\n", ["--y-true", "y", "--y-score", "s",
                                               "--threshold", "nan"]),
    "unknown option": ("y,s\n0,0.1\n1,0.9\n", ["--y-true", "y", "--y-score", "s", "--nope"]),
}


EXPECTED = {
    "missing file": "no such file",
    "missing column": "no column 'nope'",
    "non-numeric score": "column 's' is not a number: 'high'",
    "NaN score": "row 2",
    "missing label": "column 'y' has a missing value",
    "one class": "one class",
    "empty file": "empty",
    "header only": "no data rows",
    "negative weight": "negative weight",
    "multiclass scores": "3 classes",
    "wrong proba count": "2 columns for 3 classes",
    "bad pos label": "--pos-label 3 is not a label",
    "threshold nan": "--threshold must be a finite number",
    "unknown option": "unrecognized arguments: --nope",
}


def _one_line(status, out, err, expected):
    assert status == 2, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("cymetrics: error: "), err
    assert expected in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("case", list(EXPECTED))
def test_one_line_and_status_2(tmp_path, capsys, case):
    # In-process (the subprocess path is the test below): main() is the console script.
    contents, args = CASES[case]
    path = tmp_path / "data.csv"
    if contents is not None:
        path.write_text(contents)
    status = main(["report", str(path), *args])
    captured = capsys.readouterr()
    _one_line(status, captured.out, captured.err, EXPECTED[case])


@pytest.mark.parametrize("case", ["missing file", "NaN score"])
def test_one_line_and_status_2_in_a_process(tmp_path, case):
    contents, args = CASES[case]
    path = tmp_path / "data.csv"
    if contents is not None:
        path.write_text(contents)
    _one_line(*run_cli("report", path, *args), EXPECTED[case])


def test_debug_shows_the_traceback(tmp_path):
    status, _, err = run_cli("report", tmp_path / "nope.csv", "--y-true", "y", "--y-score", "s",
                             "--debug")
    assert status != 0 and "Traceback" in err and "no such file" in err


def test_help_is_plain_text_with_examples():
    status, out, err = run_cli("report", "--help")
    assert status == 0 and err == ""
    assert "examples:" in out and "cymetrics report preds.csv" in out
    for markup in ("``", ":func:", ".. ", "`~"):
        assert markup not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_broken_pipe_is_quiet():
    code = "import sys\nfrom cymetrics._cli import main\nsys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, "report", "--demo"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before anything is written (`| head -0`)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert err == ""
