"""Statistics scikit-learn lacks: intervals, DeLong tests, the bootstrap.

`_intervals` holds proportion (Wilson, Clopper-Pearson) and F1 intervals,
`_delong` DeLong's variance, covariance and tests for ROC AUCs (O(n log n)),
`_bootstrap` bootstrap intervals of any metric (resamples as counts, no
copies of the data).
"""
