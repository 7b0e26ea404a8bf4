"""The report's files: PNG plots (``--plot DIR``) and one self-contained HTML page
(``--html PATH``: plots inlined as SVG, no script, nothing fetched)."""

import html
import io
import os

from cymetrics._cli._errors import UsageError
from cymetrics._cli._text import fmt, render_text
from cymetrics.plot._report import close_figure, report_figures

__all__ = ["write_html", "write_plots"]

PNG_DPI = 100

_TITLES = {
    "confusion_matrix": "Confusion matrix", "roc": "ROC curve",
    "precision_recall": "Precision-recall curve", "calibration": "Calibration",
    "thresholds": "Metrics against the threshold", "score_histogram": "Scores by class",
}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em;
       color: #1a1a1a; background: #fff; max-width: 1400px; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
.sub { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1.2em 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 1em; min-width: 9em; }
.card .name { font-size: 0.8em; color: #555; }
.card .value { font-size: 1.4em; font-weight: 600; }
.card .extra { font-size: 0.75em; color: #555; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr));
           gap: 1em; }
figure { margin: 0; border: 1px solid #eee; border-radius: 6px; padding: 0.5em; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #333; text-align: center; }
pre { background: #f6f8fa; padding: 1em; border-radius: 6px; overflow-x: auto;
      font-size: 0.85em; }
"""


def _metadata(fmt_name, salt):
    # No dates in the files: the same report gives the same bytes.
    if fmt_name == "svg":
        return {"Date": None, "Title": salt}
    return {"Software": "cymetrics"}


def write_plots(directory, report, curves):
    """Save every figure of the report as ``DIRECTORY/<name>.png``; return the paths."""
    del report
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--plot {directory}: cannot create the directory ({exc})") from None
    paths = []
    for name, fig in report_figures(curves).items():
        path = os.path.join(directory, f"{name}.png")
        fig.savefig(path, format="png", dpi=PNG_DPI, metadata=_metadata("png", name))
        close_figure(fig)
        paths.append(path)
    return paths


def _svg(fig, name):
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata=_metadata("svg", name))
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _cards(report):
    cards = []
    ranking, prob, summary = report["ranking"], report["probabilistic"], report["summary"]
    if ranking:
        ci = ranking.get("roc_auc_ci")
        extra = (f"{ci['confidence']:.0%} CI {fmt(ci['low'])} to {fmt(ci['high'])} (DeLong)"
                 if ci else "")
        cards.append(("ROC AUC", fmt(ranking["roc_auc"]), extra))
        cards.append(("Average precision", fmt(ranking["average_precision"]), ""))
    cards.append(("Accuracy", fmt(summary["accuracy"]), ""))
    cards.append(("Balanced accuracy", fmt(summary["balanced_accuracy"]), ""))
    if prob:
        cards += [("Log loss", fmt(prob["log_loss"]), ""),
                  ("Brier score", fmt(prob["brier_score"]), ""),
                  ("ECE", fmt(prob["ece"]), f"{prob['ece_bins']} bins")]
    return "".join(
        f'<div class="card"><div class="name">{html.escape(n)}</div>'
        f'<div class="value">{html.escape(v)}</div><div class="extra">{html.escape(e)}</div>'
        "</div>" for n, v, e in cards)


def render_html(report, curves):
    """The page: headline numbers, the plots (inline SVG) and the full text report."""
    figures = []
    for name, fig in report_figures(curves).items():
        figures.append(f"<figure>{_svg(fig, name)}<figcaption>{html.escape(_TITLES[name])}"
                       "</figcaption></figure>")
        close_figure(fig)
    inp = report["input"]
    title = f"cymetrics report: {os.path.basename(inp['path'])}"
    pos = report["positive_class"]
    sub = f"{inp['rows']:,} rows, {report['task']}" + (
        f"; positive class {pos['label']} ({pos['rule']})" if pos else "")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"generator\" content=\"cymetrics "
        f"{html.escape(report['cymetrics_version'])}\">\n<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p class=\"sub\">{html.escape(sub)}</p>\n"
        f"<div class=\"cards\">{_cards(report)}</div>\n"
        f"<div class=\"figures\">{''.join(figures)}</div>\n"
        f"<h2>Full report</h2>\n<pre>{html.escape(render_text(report))}</pre>\n"
        "</body>\n</html>\n")


def write_html(path, report, curves):
    page = render_html(report, curves)
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(page)
    except OSError as exc:
        raise UsageError(f"--html {path}: cannot write the file ({exc})") from None
    return path
