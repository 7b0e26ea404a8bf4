"""Tables and the plot from the suite's results."""

import re

START, END = "<!-- perf-table:start -->", "<!-- perf-table:end -->"


def _s(x):
    return "" if x is None else (f"{x:.3g}" if x >= 1e-3 else f"{x * 1e6:.0f} µs")


def best_floor(r):
    """The floor's median: for sorts, the faster of both dispatches."""
    floor = r["floor"][0]
    if "floor_avx2" in r:
        floor = min(floor, r["floor_avx2"][0])
    return floor


def _floor_name(r):
    return {"sort": "best np.sort", "sort columns": "np.sort columns", "read": "read pass",
            "log": "np.log"}[r["floor_kind"]]


def full_table(results):
    """Every row: medians (min) in seconds, peers, floors, ratios."""
    lines = ["| function | kind | dtype | n | cymetrics median (min) | floor | x floor | "
             "scikit-learn | other peers | peak MiB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        med, low = r["times"]["cymetrics"]
        floor = best_floor(r)
        peers = ", ".join(f"{name} {_s(t[0])}" for name, t in r["times"].items()
                          if name not in ("cymetrics", "scikit-learn"))
        sk = r["times"].get("scikit-learn")
        lines.append(
            f"| {r['function']} | {r['kind']} | {r['dtype']} | {r['n']:.0e} | "
            f"{_s(med)} ({_s(low)}) | {_floor_name(r)} {_s(floor)} | {med / floor:.2f} | "
            f"{_s(sk[0]) if sk else ''} | {peers} | {r['peak_bytes'] / 2**20:.1f} |")
    return "\n".join(lines)


def readme_table(results, info):
    """The README's table, one row per operation: its ratio to the floor at
    the largest n measured, and the peers at the largest n they ran at."""
    largest, with_peers = {}, {}
    for r in results:
        key = (r["function"], r["kind"], r["dtype"])
        if key not in largest or r["n"] > largest[key]["n"]:
            largest[key] = r
        if "scikit-learn" in r["times"] and (key not in with_peers
                                             or r["n"] > with_peers[key]["n"]):
            with_peers[key] = r
    lines = [f"Measured with `python -m benchmarks` on {info['cpu']} ({info['cores']} cores), "
             f"numpy {info['numpy']} (SIMD found: {', '.join(info['simd_dispatch_found'])}); "
             "medians, side by side in one run:", "",
             "| operation | n | cymetrics s | x floor | n (peers) | cymetrics s | scikit-learn s "
             "| fastest other peer s |",
             "|---|---|---|---|---|---|---|---|"]
    for key, r in largest.items():
        med = r["times"]["cymetrics"][0]
        row = (f"| {r['function']}, {r['kind']}, {r['dtype']} | {r['n']:.0e} | {_s(med)} | "
               f"{med / best_floor(r):.2f} ({_floor_name(r)}) |")
        p = with_peers.get(key)
        if p is None:
            lines.append(row + " | | | |")
            continue
        others = [(t[0], name) for name, t in p["times"].items()
                  if name not in ("cymetrics", "scikit-learn")]
        other = f"{_s(min(others)[0])} ({min(others)[1]})" if others else ""
        lines.append(row + f" {p['n']:.0e} | {_s(p['times']['cymetrics'][0])} | "
                     f"{_s(p['times']['scikit-learn'][0])} | {other} |")
    return "\n".join(lines)


def write_readme(path, table):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path} has no {START} ... {END} markers")
    with open(path, "w", encoding="utf-8") as f:
        f.write(pattern.sub(lambda _: f"{START}\n{table}\n{END}", text))


def plot(results, path):
    """Speed-up over scikit-learn against n, one line per row kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {}
    for r in results:
        sk = r["times"].get("scikit-learn")
        if sk:
            key = f"{r['function']} ({r['kind']}, {r['dtype']})"
            series.setdefault(key, []).append((r["n"], sk[0] / r["times"]["cymetrics"][0]))
    fig, ax = plt.subplots(figsize=(9, 6))
    for key, points in sorted(series.items()):
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=key)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n samples")
    ax.set_ylabel("speed-up over scikit-learn (median time ratio)")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def memory_table(rows):
    lines = ["| function | input | n | peak extra bytes | per sample |", "|---|---|---|---|---|"]
    for name, kind, n, peak in rows:
        if peak is None:
            lines.append(f"| {name} | {kind} | | not measured | |")
        else:
            lines.append(f"| {name} | {kind} | {n:.0e} | {peak:,} | {peak / n:.1f} |")
    return "\n".join(lines)
