"""Publish a `Monitor` to Prometheus (needs ``pip install "cymetrics[monitoring]"``).

`MonitorCollector` is a custom collector: at every scrape it computes the
monitor's values and alerts and yields them as two gauge families,

* ``<namespace>_value{metric, group, window}``: every value of
  `Monitor.values` (group ``""`` is all samples);
* ``<namespace>_alert{metric, group, window, op, threshold}``: 1 for every
  alert of `Monitor.check`.

This module alone imports ``prometheus_client``.
"""

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from cymetrics._shared._params import invalid
from cymetrics.monitoring._monitor import Monitor

__all__ = ["MonitorCollector"]


class MonitorCollector(Collector):
    """A Prometheus collector of a `Monitor`'s values and alerts.

    Parameters
    ----------
    monitor : Monitor
        The monitor to publish (read at every scrape).
    namespace : str, default="cymetrics_monitor"
        Prefix of the metric family names.

    Examples
    --------
    >>> from prometheus_client import CollectorRegistry, generate_latest
    >>> from cymetrics.monitoring import Monitor
    >>> from cymetrics.monitoring.prometheus import MonitorCollector
    >>> monitor = Monitor()
    >>> monitor.record_outcomes([0, 1, 1], [0.2, 0.8, 0.4])
    >>> registry = CollectorRegistry()
    >>> registry.register(MonitorCollector(monitor))
    >>> text = generate_latest(registry).decode()
    >>> 'cymetrics_monitor_value{group="",metric="accuracy",window="all"}' in text
    True
    """

    def __init__(self, monitor, namespace="cymetrics_monitor"):
        if not isinstance(monitor, Monitor):
            raise invalid("monitor", "MonitorCollector", "a Monitor", monitor)
        if not isinstance(namespace, str) or not namespace.isidentifier():
            raise invalid("namespace", "MonitorCollector", "a metric name prefix", namespace)
        self.monitor = monitor
        self.namespace = namespace

    def collect(self):
        """Yield the value and alert gauge families (called at each scrape)."""
        values = GaugeMetricFamily(f"{self.namespace}_value",
                                   "Monitored model metrics (cymetrics Monitor.values).",
                                   labels=["metric", "group", "window"])
        for value in self.monitor.values():
            values.add_metric([value.metric, value.group, value.window], value.value)
        alerts = GaugeMetricFamily(f"{self.namespace}_alert",
                                   "Rules firing now (cymetrics Monitor.check).",
                                   labels=["metric", "group", "window", "op", "threshold"])
        for alert in self.monitor.check():
            alerts.add_metric([alert.metric, alert.group, alert.window, alert.op,
                               repr(alert.threshold)], 1.0)
        yield values
        yield alerts
