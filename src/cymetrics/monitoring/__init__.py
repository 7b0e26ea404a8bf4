"""Monitoring a deployed model: drift, label-free estimates, per-group
disparities, and a `Monitor` that a service holds.

Everything here is built on the streaming states of `cymetrics.streaming`
(mergeable, serializable) and also takes one-shot arrays. The Prometheus
exporter lives in `cymetrics.monitoring.prometheus` (the ``monitoring``
extra installs ``prometheus_client``).
"""

from cymetrics.monitoring._drift import (
    Drift,
    KSTest,
    Shift,
    jensen_shannon_distance,
    kolmogorov_sf,
    ks_statistic,
    label_shift,
    population_stability_index,
    prediction_shift,
    wasserstein_distance,
)
from cymetrics.monitoring._estimates import ExpectedPerformance
from cymetrics.monitoring._groups import GroupEvaluation, GroupReport
from cymetrics.monitoring._monitor import Alert, Monitor, Rule, Value

__all__ = [
    "Alert",
    "Drift",
    "ExpectedPerformance",
    "GroupEvaluation",
    "GroupReport",
    "KSTest",
    "Monitor",
    "Rule",
    "Shift",
    "Value",
    "jensen_shannon_distance",
    "kolmogorov_sf",
    "ks_statistic",
    "label_shift",
    "population_stability_index",
    "prediction_shift",
    "wasserstein_distance",
]
