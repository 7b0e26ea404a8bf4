"""The report's files as a person opens them: PNG images of the right size with
something drawn, and an HTML page that headless Chromium renders with no
console error, from nothing but the file itself.

The browser test skips when no Chromium is found, unless the environment sets
``CYMETRICS_REQUIRE_BROWSER=1`` (CI does): then a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pytest

from cli_files import run_cli

PNG_SHAPE = (480, 640)  # 6.4 x 4.8 inches at 100 dpi
BINARY_PLOTS = {"confusion_matrix", "roc", "precision_recall", "calibration", "thresholds",
                "score_histogram"}
MULTICLASS_PLOTS = {"confusion_matrix", "roc", "precision_recall", "calibration"}


def _image(path):
    image = pytest.importorskip("matplotlib.image")
    return image.imread(path)


def _assert_drawn(pixels, what, shape=None):
    if shape is not None:
        assert pixels.shape[:2] == shape, f"{what}: {pixels.shape}"
    rgb = pixels[..., :3].reshape(-1, 3)
    ink = np.mean(np.any(rgb < 0.95, axis=1))
    colors = np.unique(np.round(rgb * 255).astype(np.uint8), axis=0).shape[0]
    assert ink > 0.02 and colors > 20, f"{what}: blank ({ink:.1%} ink, {colors} colors)"


@pytest.fixture(scope="module")
def outputs(datasets, tmp_path_factory):
    """The PNG folders and HTML pages of a binary and a multiclass report."""
    pytest.importorskip("matplotlib")
    root = tmp_path_factory.mktemp("cli-outputs")
    made = {}
    for name in ("strings", "multiclass"):
        ds = datasets[name]
        plots, page = root / f"{name}-png", root / f"{name}.html"
        status, out, err = run_cli("report", ds.path, *ds.args, "--plot", plots, "--html", page)
        assert status == 0, err
        assert f"wrote {page}" in err
        made[name] = (plots, page)
    return made


@pytest.mark.parametrize("name, expected", [("strings", BINARY_PLOTS),
                                            ("multiclass", MULTICLASS_PLOTS)])
def test_png_plots(outputs, name, expected):
    plots, _ = outputs[name]
    assert {p[:-4] for p in os.listdir(plots)} == expected
    for png in expected:
        _assert_drawn(_image(plots / f"{png}.png"), png, PNG_SHAPE)


@pytest.mark.parametrize("name, n_figures", [("strings", 6), ("multiclass", 4)])
def test_html_is_self_contained(outputs, name, n_figures):
    page = outputs[name][1].read_text(encoding="utf-8")
    assert page.count("<svg") == n_figures
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"""\ssrc=|url\((?!#)|@import""", page)
    # SVG references stay inside the page: glyphs, clip paths, the heatmap's pixels.
    refs = re.findall(r'href="([^"]*)"', page)
    assert refs and all(ref.startswith(("#", "data:image/png;base64,")) for ref in refs)
    assert "ROC AUC" in page and "Full report" in page


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CYMETRICS_REQUIRE_BROWSER") == "1":
        pytest.fail("CYMETRICS_REQUIRE_BROWSER=1 but no Chromium on PATH "
                    "(apt-get install chromium)")
    pytest.skip("no Chromium on PATH (apt-get install chromium); "
                "set CYMETRICS_REQUIRE_BROWSER=1 to make this a failure")


def test_html_renders_in_chromium(outputs, tmp_path):
    browser = _browser()
    page = outputs["strings"][1]
    shot = tmp_path / "screenshot.png"
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", "--window-size=1280,1600",
         # Any attempt to reach the network fails (and would log an error).
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=180)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not console, console
    _assert_drawn(_image(shot), "screenshot", (1600, 1280))
