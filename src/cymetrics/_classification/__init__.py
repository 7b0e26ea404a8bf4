"""Labels -> counts -> metric: the confusion-derived metrics.

`_confusion` counts label pairs into a K x K matrix (the one counter),
`_counts` turns targets or a matrix into per-class totals, `_averaging`
divides and averages them (written once), `_metrics` and `_rates` hold the
drop-ins and the rates beyond scikit-learn, `_batch` evaluates them on many
binary matrices at once, and `_registry` is the one table of them all.
"""
