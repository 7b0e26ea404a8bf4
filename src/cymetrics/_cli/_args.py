"""The command line: ``cymetrics report`` and ``cymetrics bench``, plain-text help."""

import argparse
import math

from cymetrics._cli._errors import UsageError
from cymetrics._cli._evaluate import DEFAULT_MEMORY_BUDGET
from cymetrics._cli._readers import CHUNK_ROWS
from cymetrics._version import __version__

__all__ = ["parse_args"]

_DESCRIPTION = """\
cymetrics: fast, exact classification and ranking metrics.

commands:
  report   evaluate the predictions in a CSV, Parquet, .npz or .npy file
  bench    time cymetrics against scikit-learn on this machine
"""

_REPORT_EPILOG = """\
examples:
  cymetrics report --demo
  cymetrics report preds.csv --y-true label --y-score score
  cymetrics report preds.csv --y-true label --y-score score --pos-label yes
  cymetrics report preds.parquet --y-true y --y-proba p_cat p_dog p_fox
  cymetrics report preds.csv --y-true y --y-pred predicted --by country
  cymetrics report preds.csv --y-true y --y-score new --compare old --json
  cymetrics report preds.csv --y-true y --y-score s --html out.html --plot out/

The positive class of two labels is --pos-label, else the greater label
({0, 1}: 1; {1, 2}: 2; {"no", "yes"}: "yes"); the report says which.
--y-proba takes one probability column per class, in the order of the
sorted labels. Large files are read in chunks: memory stays bounded (with
more distinct scores than --memory-budget holds, the ROC AUC is reported
with guaranteed bounds); --compare keeps its three columns in memory.
The demo's columns are label, score, baseline (a second model) and region.
"""

_BENCH_EPILOG = """\
examples:
  cymetrics bench                  # n = 1e5 and 1e6
  cymetrics bench --sizes 1000000 10000000 --plot speedup.png
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with errors raised as one-line `UsageError` instead of usage + exit."""

    def error(self, message):
        raise UsageError(f"{message} (see: {self.prog} --help)")


def _threshold(text):
    if text in ("youden", "best-f1"):
        return text
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(
            f"--threshold must be a finite number, 'youden' or 'best-f1'; got {text!r}")
    return value


def _positive_real(name, low=0.0, high=math.inf, closed_low=True):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and (value > low or (closed_low and value == low))
                and value < high):
            raise argparse.ArgumentTypeError(f"{name}: invalid value {text!r}")
        return value
    return parse


def _rows(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: a positive integer")
    return value


def _megabytes(text):
    return int(_positive_real("--memory-budget", 1.0)(text) * (1 << 20))


def _report_parser(sub):
    p = sub.add_parser(
        "report", help="evaluate predictions in a file", epilog=_REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Evaluate the predictions in a file: a data summary, the confusion\n"
                    "matrix, per-class and binary rates, ROC AUC with its DeLong interval,\n"
                    "average precision, log loss, Brier score, calibration error and the\n"
                    "best thresholds.")
    p.add_argument("file", nargs="?", help="a .csv, .parquet, .npz or .npy file")
    p.add_argument("--demo", action="store_true",
                   help="evaluate a seeded synthetic binary classifier instead of a file")
    p.add_argument("--y-true", metavar="COL", help="column of the true labels")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--y-score", metavar="COL", help="column of scores (higher: positive)")
    what.add_argument("--y-proba", metavar="COL", nargs="+",
                      help="probability columns: one (positive class) or one per class")
    what.add_argument("--y-pred", metavar="COL", help="column of predicted labels")
    p.add_argument("--pos-label", metavar="L", help="the positive class (default: the greater)")
    p.add_argument("--weight", metavar="COL", help="column of non-negative sample weights")
    p.add_argument("--by", metavar="COL", help="a per-segment table by this column")
    p.add_argument("--compare", metavar="COL",
                   help="a second model's scores: both AUCs and the paired DeLong test")
    p.add_argument("--threshold", metavar="T", type=_threshold,
                   help="decision threshold: a number (default 0.5), youden or best-f1")
    p.add_argument("--cost-fp", metavar="C", type=_positive_real("--cost-fp"), default=1.0,
                   help="cost of a false positive for the min-cost threshold (default 1)")
    p.add_argument("--cost-fn", metavar="C", type=_positive_real("--cost-fn"), default=1.0,
                   help="cost of a false negative for the min-cost threshold (default 1)")
    p.add_argument("--confidence", metavar="P", type=_positive_real("--confidence", 0.0, 1.0,
                                                                     closed_low=False),
                   default=0.95, help="confidence level of the intervals (default 0.95)")
    p.add_argument("--memory-budget", metavar="MB", type=_megabytes,
                   default=DEFAULT_MEMORY_BUDGET,
                   help="memory for the exact score state before it turns into a sketch "
                        f"(default {DEFAULT_MEMORY_BUDGET >> 20})")
    p.add_argument("--chunk-rows", metavar="N", type=_rows, default=CHUNK_ROWS,
                   help=f"rows read at a time (default {CHUNK_ROWS})")
    out = p.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print the report as JSON")
    out.add_argument("--html", metavar="PATH", help="write a self-contained HTML page")
    out.add_argument("--plot", metavar="DIR", help="write the plots as PNG files to DIR")
    out.add_argument("--quiet", action="store_true", help="no progress bar")
    out.add_argument("--debug", action="store_true", help="show tracebacks")


def _bench_parser(sub):
    p = sub.add_parser("bench", help="time cymetrics against scikit-learn here",
                       epilog=_BENCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Time a few metrics of cymetrics and scikit-learn side by\n"
                                   "side on synthetic data (median of repeats) and print a\n"
                                   "table. Needs scikit-learn.")
    p.add_argument("--sizes", metavar="N", type=int, nargs="+", default=[10**5, 10**6],
                   help="sample counts (default: 100000 1000000)")
    p.add_argument("--repeats", metavar="R", type=_rows,
                   help="timed calls per measurement (default: 7, 5 or 3 by size)")
    p.add_argument("--plot", metavar="PATH", help="write a speed-up chart (PNG)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument("--debug", action="store_true", help="show tracebacks")


def parse_args(argv):
    parser = _Parser(prog="cymetrics", description=_DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cymetrics {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{report,bench}",
                                parser_class=_Parser)
    _report_parser(sub)
    _bench_parser(sub)
    args = parser.parse_args(argv)
    if args.command is None:
        raise UsageError("a command is needed: report or bench (see: cymetrics --help)")
    if args.command == "report":
        _check_report(args)
    return args


def _check_report(args):
    if args.demo:
        if args.file:
            raise UsageError("give a file or --demo, not both")
        args.y_true = args.y_true or "label"
        if not (args.y_score or args.y_proba or args.y_pred):
            args.y_score = "score"
        return
    if not args.file:
        raise UsageError("a file is needed (or --demo) (see: cymetrics report --help)")
    if not args.y_true:
        raise UsageError("--y-true COL is needed: the column of the true labels")
    if not (args.y_score or args.y_proba or args.y_pred):
        raise UsageError("one of --y-score COL, --y-proba COL..., --y-pred COL is needed")
    if args.compare and not (args.y_score or (args.y_proba and len(args.y_proba) == 1)):
        raise UsageError("--compare needs --y-score (a binary model's scores)")
