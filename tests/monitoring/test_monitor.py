"""The Monitor: its values against the one-shot functions, alerts, time
windows, persistence, merging, and the Prometheus collector."""

import pickle

import numpy as np
import pytest
import scipy.stats
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

import cymetrics as cm
from cymetrics._exceptions import InvalidParameterError
from cymetrics.monitoring import Alert, ExpectedPerformance, Monitor, Rule
from cymetrics.monitoring.prometheus import MonitorCollector

GROUPS = ["a", "b"]
NOW = 1_800_000_000.0


def _traffic(rng, n=600):
    y = (rng.random(n) < 0.3).astype(int)
    s = np.round(np.clip(rng.normal(0.3 + 0.3 * y, 0.2), 0, 1), 3)
    groups = rng.choice(GROUPS, n)
    t = NOW - rng.uniform(0, 7200, n)  # the last two hours
    return y, s, groups, t


def _monitor(**extra):
    return Monitor(windows={"all": None, "1h": 3600}, buckets=6, groups=GROUPS,
                   rules=[("roc_auc", "<", 0.99), ("psi", ">", 0.0, "1h"),
                          Rule("accuracy", "<", 0.99, "all", "b")], **extra)


def _feed(monitor, y, s, groups, t, reference):
    monitor.set_reference(reference[1], y_true=reference[0])
    for idx in np.array_split(np.arange(len(y)), 5):
        monitor.record_predictions(s[idx], timestamp=t[idx])
        monitor.record_outcomes(y[idx], s[idx], groups=groups[idx], timestamp=t[idx])
    return monitor


def _values(monitor):
    return {(v.metric, v.group, v.window): v.value for v in monitor.values()}


def test_values_equal_the_one_shot_functions(rng):
    y, s, groups, t = _traffic(rng)
    ref_y, ref_s = (rng.random(300) < 0.25).astype(int), rng.random(300)
    values = _values(_feed(_monitor(), y, s, groups, t, (ref_y, ref_s)))
    # The 6 newest 10-minute buckets, up to the newest timestamp seen.
    recent = np.floor(t / 600) > np.floor(t.max() / 600) - 6
    for window, keep in (("all", np.ones(len(y), bool)), ("1h", recent)):
        yk, sk, gk = y[keep], s[keep], groups[keep]
        expected = {
            "n_predictions": keep.sum(), "n_outcomes": keep.sum(),
            "roc_auc": cm.roc_auc_score(yk, sk),
            "accuracy": cm.accuracy_score(yk, sk >= 0.5),
            "precision": cm.precision_score(yk, sk >= 0.5),
            "true_positive_rate": cm.recall_score(yk, sk >= 0.5),
            "prevalence": yk.mean(),
            "prevalence_shift": yk.mean() - ref_y.mean(),
            "log_loss": cm.log_loss(yk, sk),
            "brier_score": cm.brier_score_loss(yk, sk),
            "expected_calibration_error": cm.expected_calibration_error(yk, sk),
            "ks_statistic": scipy.stats.ks_2samp(ref_s, sk).statistic,
            "wasserstein": scipy.stats.wasserstein_distance(ref_s, sk),
            "prediction_rate": np.mean(sk >= 0.5),
            "expected_accuracy": ExpectedPerformance().update(sk).compute("accuracy_score"),
        }
        for metric, value in expected.items():
            np.testing.assert_allclose(values[metric, "", window], value, rtol=1e-12,
                                       err_msg=f"{metric} {window}")
        for g in GROUPS:
            mask = gk == g
            np.testing.assert_allclose(values["roc_auc", g, window],
                                       cm.roc_auc_score(yk[mask], sk[mask]), rtol=1e-12)


def test_alerts_follow_the_rules(rng):
    y, s, groups, t = _traffic(rng)
    monitor = _feed(_monitor(), y, s, groups, t, (y[:100], s[:100]))
    values = _values(monitor)
    alerts = monitor.check()
    assert all(isinstance(a, Alert) for a in alerts)
    fired = {(a.metric, a.group, a.window) for a in alerts}
    expected = {(m, g, w) for (m, g, w), v in values.items()
                if (m == "roc_auc" and v < 0.99) or (m == "psi" and w == "1h" and v > 0)
                or (m, g, w) == ("accuracy", "b", "all")}
    assert fired == expected and ("accuracy", "b", "all") in fired
    alert = next(a for a in alerts if a.metric == "accuracy")
    assert alert.value == values["accuracy", "b", "all"] and "accuracy[b]" in alert.message


def test_persists_and_merges_like_one_monitor(rng):
    y, s, groups, t = _traffic(rng)
    reference = (y[:50], s[:50])
    whole = _feed(_monitor(), y, s, groups, t, reference)
    halves = [_feed(_monitor(), y[i], s[i], groups[i], t[i], reference)
              for i in np.array_split(rng.permutation(len(y)), 2)]
    merged = pickle.loads(pickle.dumps(halves[0])).merge(Monitor.from_bytes(halves[1].to_bytes()))
    got, expected = _values(merged), _values(whole)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-12, atol=1e-15, err_msg=str(key))
    assert Monitor.from_bytes(whole.to_bytes()).to_bytes() == whole.to_bytes()


def test_prometheus_collector_publishes_every_value(rng):
    y, s, groups, t = _traffic(rng, 200)
    monitor = _feed(_monitor(), y, s, groups, t, (y, s))
    registry = CollectorRegistry()
    registry.register(MonitorCollector(monitor, namespace="model"))
    published, alerts = {}, set()
    for family in text_string_to_metric_families(generate_latest(registry).decode()):
        for sample in family.samples:
            key = (sample.labels["metric"], sample.labels["group"], sample.labels["window"])
            if sample.name == "model_value":
                published[key] = sample.value
            elif sample.name == "model_alert":
                alerts.add(key)
    assert published == _values(monitor)  # repr floats: the exact doubles
    assert alerts == {(a.metric, a.group, a.window) for a in monitor.check()}
    with pytest.raises(InvalidParameterError):
        MonitorCollector(object())


def test_bad_input_changes_nothing(rng):
    y, s, groups, t = _traffic(rng, 100)
    monitor = _feed(_monitor(), y, s, groups, t, (y, s))
    before = monitor.to_bytes()
    for call in (
        lambda: monitor.record_predictions([0.2, 1.5], timestamp=NOW),
        lambda: monitor.record_predictions([0.2, np.nan], timestamp=NOW),
        lambda: monitor.record_outcomes([0, 1], [0.2, 0.7], timestamp=NOW),  # no groups
        lambda: monitor.record_outcomes([0, 1], [0.2, 0.7], groups=["a", None], timestamp=NOW),
        lambda: monitor.record_outcomes([0, 2], [0.2, 0.7], groups=["a", "b"], timestamp=NOW),
        lambda: monitor.record_outcomes([0, 1], [0.2, 1.7], groups=["a", "b"], timestamp=NOW),
        lambda: monitor.record_outcomes([0, 1], [0.2, 0.7], groups=["a", "b"], timestamp=np.nan),
    ):
        with pytest.raises((ValueError, TypeError)):
            call()
    assert monitor.to_bytes() == before
    with pytest.raises(ValueError, match="no groups"):
        Monitor().record_outcomes([0, 1], [0.2, 0.7], groups=["a", "b"])
    with pytest.raises(TypeError):
        monitor.merge(object())


@pytest.mark.parametrize("config", [
    {"windows": {}}, {"windows": {"1h": -5}}, {"windows": {"x": "1h"}},
    {"rules": [("auc", "!=", 0.5)]}, {"rules": [("auc", "<", "low")]}, {"rules": [(1, "<", 0)]},
    {"labels": [1, 0]}, {"buckets": 0}, {"n_bins": 0}, {"threshold": "half"},
], ids=["no-window", "negative", "text-width", "op", "threshold", "metric", "labels",
        "buckets", "bins", "decision"])
def test_configuration_is_checked(config):
    with pytest.raises(InvalidParameterError):
        Monitor(**config)


def test_empty_monitor_reports_counts_only():
    monitor = Monitor(rules=[("roc_auc", "<", 0.5)])
    assert _values(monitor) == {("n_predictions", "", "all"): 0.0,
                                ("n_outcomes", "", "all"): 0.0}
    assert monitor.check() == []
    monitor.record_outcomes([1, 1], [0.9, 0.8])  # one class: no AUC, no alert
    assert ("roc_auc", "", "all") not in _values(monitor)
    assert monitor.check() == []
