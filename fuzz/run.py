#!/usr/bin/env python3
"""Run the fuzz harnesses of fuzz/harnesses.py with atheris (libFuzzer).

Usage (with cymetrics and atheris installed)::

    python fuzz/run.py NAME [libFuzzer options] [corpus dirs]   # one harness, e.g.
        python fuzz/run.py ranking -max_total_time=600 fuzz/corpus/ranking
    python fuzz/run.py --short [--seconds 100]   # every harness, fixed seed, one
        # shared budget, on a temporary copy of fuzz/corpus (CI; the repo is untouched)
    python fuzz/run.py --seed-corpus             # write the state seeds to fuzz/corpus
    fuzz/run.py NAME -merge=1 fuzz/corpus/NAME NEW_DIRS   # minimize into the corpus
        # (run.py itself, executable: libFuzzer runs argv[0] again)
    python fuzz/run.py --list

cymetrics' Python code is instrumented for coverage (atheris.instrument_imports);
the compiled kernels report coverage too when built with clang's
-fsanitize=fuzzer-no-link (fuzz/build-instrumented). Exit status: 0 when no
harness found a crash or a new invariant violation.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


def _load():
    import atheris

    sys.path.insert(0, str(HERE))
    with atheris.instrument_imports(include=["cymetrics"]):
        import harnesses
    return atheris, harnesses


def run_one(name, argv):
    # libFuzzer's -merge=1 runs argv[0] again with its own flags and no
    # harness name: the child finds it here.
    os.environ["CYMETRICS_FUZZ_HARNESS"] = name
    atheris, harnesses = _load()
    atheris.Setup([sys.argv[0], *argv], harnesses.HARNESSES[name])
    atheris.Fuzz()


def _names():
    sys.path.insert(0, str(HERE))
    import harnesses  # noqa: E402 - only the names are needed here

    return list(harnesses.HARNESSES)


def seed_corpus():
    _, harnesses = _load()
    for name, seeds in harnesses.seed_states().items():
        folder = CORPUS / name
        folder.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(seeds):
            (folder / f"seed-{i}").write_bytes(data)
        print(f"{name}: {len(seeds)} seeds")


STATS = re.compile(r"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)")


def short(seconds):
    """Every harness in turn, seed 1, on a copy of the corpus, all within
    ``seconds`` of wall time (start-up included: each harness's fuzzing time
    is what is left per harness minus the start-up measured so far)."""
    names = _names()
    deadline = time.monotonic() + seconds
    startup = 6.0  # interpreter start, imports and instrumentation; measured below
    failed = []
    with tempfile.TemporaryDirectory(prefix="cymetrics-fuzz-") as work:
        findings = Path(work) / "findings.tsv"
        env = dict(os.environ, CYMETRICS_FUZZ_FINDINGS=str(findings))
        for i, name in enumerate(names):
            corpus = Path(work) / name
            if (CORPUS / name).is_dir():
                shutil.copytree(CORPUS / name, corpus)
            else:
                corpus.mkdir()
            share = max(2, int((deadline - time.monotonic()) / (len(names) - i) - startup))
            t0 = time.monotonic()
            proc = subprocess.run(
                [sys.executable, __file__, name, f"-max_total_time={share}", "-seed=1",
                 "-rss_limit_mb=2048", "-timeout=20", f"-artifact_prefix={work}/{name}-",
                 str(corpus)],
                capture_output=True, text=True, env=env)
            elapsed = time.monotonic() - t0
            startup = max(startup, elapsed - share)
            m = STATS.search(proc.stderr)
            runs, cov, ft = m.groups() if m else ("?", "?", "?")
            status = "ok" if proc.returncode == 0 else f"FAILED (status {proc.returncode})"
            print(f"{name:32s} {elapsed:5.1f}s runs={runs:>8} cov={cov:>6} ft={ft:>6} {status}",
                  flush=True)
            if proc.returncode != 0:
                failed.append(name)
                print(proc.stderr[-4000:])
        if findings.exists():
            print("known issues seen (KNOWN_ISSUES, not failures):")
            print(findings.read_text())
    if failed:
        sys.exit(f"fuzz: {len(failed)} harness(es) failed: {', '.join(failed)}")
    print(f"fuzz: {len(names)} harnesses in {seconds - (deadline - time.monotonic()):.0f}s, "
          "no crash")


def main(argv):
    if os.environ.get("CYMETRICS_FUZZ_HARNESS") and argv and (
            argv[0].startswith("-") and not argv[0].startswith("--") or os.path.exists(argv[0])):
        run_one(os.environ["CYMETRICS_FUZZ_HARNESS"], argv)  # a -merge=1 child: flags, dirs
        return
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return
    if argv[0] == "--list":
        print("\n".join(_names()))
    elif argv[0] == "--seed-corpus":
        seed_corpus()
    elif argv[0] == "--short":
        seconds = float(argv[2]) if len(argv) > 2 and argv[1] == "--seconds" else 100.0
        short(seconds)
    else:
        run_one(argv[0], argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
