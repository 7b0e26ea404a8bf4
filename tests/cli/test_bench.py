"""``cymetrics bench``: a table of every operation, a chart, and one clear line
without scikit-learn."""

from __future__ import annotations

import re

import pytest

from cli_files import run_cli
from cymetrics._cli._bench import OPERATIONS


def test_table_and_chart(tmp_path):
    image = pytest.importorskip("matplotlib.image")
    chart = tmp_path / "speedup.png"
    status, out, err = run_cli("bench", "--sizes", "2000", "--repeats", "1", "--quiet",
                                  "--plot", chart)
    assert status == 0, err
    rows = [line for line in out.splitlines() if re.search(r"\d\.\dx$", line)]
    assert [r.split("  ")[0].strip() for r in rows] == [op[0] for op in OPERATIONS]
    assert all(float(r.split()[-1][:-1]) > 0 for r in rows)
    pixels = image.imread(chart)
    assert pixels.shape[:2] == (480, 640) and pixels[..., :3].std() > 0.05


def test_without_scikit_learn():
    status, out, err = run_cli("bench", "--sizes", "100",
                               prelude="import sys; sys.modules['sklearn'] = None")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "scikit-learn" in err and "[bench]" in err
