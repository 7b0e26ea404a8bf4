"""Probabilities -> losses and calibration.

`_losses` holds log loss, the Brier score, their D^2 skill scores and the
hinge loss (one kernel pass each); `_calibration` the reliability curve and
the expected and maximum calibration errors (one binning pass).
"""
