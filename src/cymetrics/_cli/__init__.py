"""The ``cymetrics`` console script: ``cymetrics report`` and ``cymetrics bench``.

Errors are one line on stderr and exit status 2 (1 for a closed output
pipe, 130 for Ctrl-C); ``--debug`` shows the traceback instead.
"""

import json
import os
import sys

from cymetrics._cli._args import parse_args
from cymetrics._cli._bench import run_bench
from cymetrics._cli._errors import UsageError
from cymetrics._cli._evaluate import Spec, evaluate
from cymetrics._cli._outputs import write_html, write_plots
from cymetrics._cli._progress import Progress
from cymetrics._cli._readers import demo_table, open_table
from cymetrics._cli._text import render_text

__all__ = ["main"]


def _report(args):
    spec = Spec(y_true=args.y_true, y_score=args.y_score, y_proba=args.y_proba,
                y_pred=args.y_pred, pos_label=args.pos_label, weight=args.weight, by=args.by,
                compare=args.compare, threshold=args.threshold, cost_fp=args.cost_fp,
                cost_fn=args.cost_fn, confidence=args.confidence,
                memory_budget=args.memory_budget, chunk_rows=args.chunk_rows)
    table = demo_table() if args.demo else open_table(args.file)
    progress = Progress(enabled=False if args.quiet else None)
    report, curves = evaluate(table, spec, progress)
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write(render_text(report))
    if args.plot or args.html:
        _figures(args, report, curves)
    sys.stdout.flush()
    return 0


def _figures(args, report, curves):
    written = []
    if args.plot:
        written += write_plots(args.plot, report, curves)
    if args.html:
        written.append(write_html(args.html, report, curves))
    if not args.quiet:
        for path in written:
            print(f"wrote {path}", file=sys.stderr)


def _bench(args):
    return run_bench(args)


def _fail(message, status=2):
    print(f"cymetrics: error: {message}", file=sys.stderr)
    return status


def main(argv=None):
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        args = parse_args(argv)
        return _report(args) if args.command == "report" else _bench(args)
    except BrokenPipeError:
        # The reader went away (``| head``): silence the final flush too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:  # every error is one line, unless --debug
        if debug:
            raise
        if isinstance(exc, UsageError):
            return _fail(str(exc))
        if isinstance(exc, (ValueError, TypeError, ImportError, OSError)):
            return _fail(f"{exc}".splitlines()[0] if str(exc) else type(exc).__name__)
        return _fail(f"{type(exc).__name__}: {exc} (run again with --debug for the traceback)")
