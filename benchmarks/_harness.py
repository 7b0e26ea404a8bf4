"""Shared timing harness: side-by-side medians and a markdown table."""

import argparse

# The same timing as `cymetrics bench` (one home for it: the command ships in
# the package, these scripts do not).
from cymetrics._cli._bench import median_time, repeats_for  # noqa: F401 - re-exported


def parse_args(description, default_sizes):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", type=int, nargs="+", default=default_sizes,
                        help="sample counts to measure")
    parser.add_argument("--quick", action="store_true", help="n = 1e5 only")
    parser.add_argument("--no-sklearn", action="store_true",
                        help="skip scikit-learn (it is slow at 1e7)")
    args = parser.parse_args()
    if args.quick:
        args.sizes = [10**5]
    return args


def row(operation, n, ours, theirs, floor, floor_name):
    ratio = "" if theirs is None else f"{theirs / ours:.1f}x"
    theirs_s = "" if theirs is None else f"{theirs:.4f}"
    return (f"| {operation} | {n:.0e} | {ours:.4f} | {theirs_s} | {ratio} | "
            f"{ours / floor:.2f} ({floor_name} {floor:.4f}) |")


HEADER = (
    "| operation | n | cymetrics s | scikit-learn s | speed-up | x numpy floor |\n"
    "|---|---|---|---|---|---|"
)
