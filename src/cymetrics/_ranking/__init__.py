"""Scores -> sorted classes -> one sweep: ranking metrics and curves.

`_sorted` splits binary scores by class and sorts them (the one entry to the
sweep kernels), `_curves` turns a sweep's cumulative counts into ROC, PR and
DET points (the one copy, shared with streaming and thresholds), `_binary`
holds the binary drop-ins, `_multiclass` the multiclass and multilabel ones
and top-k accuracy, `_label_ranking` the per-sample ranking metrics, and
`_thresholds` threshold selection from one sweep.
"""
