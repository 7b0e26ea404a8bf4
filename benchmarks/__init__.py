"""The cymetrics benchmark suite: ``python -m benchmarks --help``.

Not part of the installed package; run it from a clone. The older
``bench_*.py`` scripts keep working on their own.
"""
