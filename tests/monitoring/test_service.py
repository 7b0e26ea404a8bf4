"""The example service, for real: an HTTP server on 127.0.0.1, events from
several threads, a kill -9 in the middle, a restart from its saved state,
and /metrics against the one-shot metrics of every event sent.

The service lives in examples/ next to tests/ (CI copies both).
"""

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from prometheus_client.parser import text_string_to_metric_families

import cymetrics as cm

SERVICE = Path(__file__).resolve().parents[2] / "examples" / "monitoring_service.py"
N_EVENTS = 360
BATCH = 12
TIMEOUT = 20  # seconds, per request and for the start


class Service:
    def __init__(self, state_dir):
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVICE), "--port", "0", "--state-dir", str(state_dir),
             "--snapshot-every", "7"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = _read_line(self.proc, TIMEOUT)
        assert line.startswith("LISTENING"), line
        _, host, port = line.split()
        self.url = f"http://{host}:{port}"

    def post(self, path, events):
        data = json.dumps({"events": events}).encode()
        request = urllib.request.Request(self.url + path, data=data, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as reply:
            assert reply.status == 200
            return json.loads(reply.read())

    def metrics(self):
        with urllib.request.urlopen(self.url + "/metrics", timeout=TIMEOUT) as reply:
            text = reply.read().decode()
        values = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "cymetrics_monitor_value":
                    labels = sample.labels
                    values[labels["metric"], labels["group"], labels["window"]] = sample.value
        return values

    def stop(self, sig):
        self.proc.send_signal(sig)
        self.proc.wait(timeout=TIMEOUT)
        self.proc.stdout.close()
        self.proc.stderr.close()


def _read_line(proc, timeout):
    """The first stdout line of ``proc``, or a failure with its stderr."""
    box = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not box or not box[0]:
        proc.kill()
        pytest.fail(f"the service did not start: {proc.stderr.read()}")
    return box[0].strip()


def _events(rng):
    labels = (rng.random(N_EVENTS) < 0.35).astype(int)
    scores = np.clip(rng.normal(0.35 + 0.3 * labels, 0.2), 0.0, 1.0).round(3)
    groups = rng.choice(["a", "b", "c"], N_EVENTS)
    now = time.time()
    predictions = [{"id": f"e{i}", "score": float(scores[i]), "group": str(groups[i]),
                    "time": now} for i in range(N_EVENTS)]
    outcomes = [{"id": f"e{i}", "label": int(labels[i])} for i in range(N_EVENTS)]
    return predictions, outcomes, labels, scores, groups


def _send(service, path, events, threads=4):
    batches = [events[i:i + BATCH] for i in range(0, len(events), BATCH)]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda batch: service.post(path, batch), batches))


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 and signals are POSIX")
def test_service_survives_kill_and_matches_one_shot(tmp_path):
    assert SERVICE.exists(), f"{SERVICE} is missing (CI copies examples/ next to tests/)"
    rng = np.random.default_rng(12)
    predictions, outcomes, labels, scores, groups = _events(rng)
    half = N_EVENTS // 2

    early = N_EVENTS - 4 * BATCH  # predictions sent before the kill

    service = Service(tmp_path)
    _send(service, "/predictions", predictions[:early])
    replies = _send(service, "/labels", outcomes[:half])
    assert sum(r["matched"] for r in replies) == half
    # A refused batch (a probability above 1) changes nothing.
    bad = [dict(predictions[-1], id="bad", score=1.5)]
    with pytest.raises(urllib.error.HTTPError, match="400"):
        service.post("/predictions", bad)
    service.stop(signal.SIGKILL)  # no chance to save anything more

    service = Service(tmp_path)
    try:
        _send(service, "/predictions", predictions[early:])
        replies = _send(service, "/labels", outcomes[half:])
        assert sum(r["matched"] for r in replies) == N_EVENTS - half
        assert not any(r["unmatched"] for r in replies)
        got = service.metrics()
    finally:
        service.stop(signal.SIGTERM)

    assert got["n_predictions", "", "all"] == N_EVENTS
    assert got["n_outcomes", "", "all"] == N_EVENTS
    expected = {
        "roc_auc": cm.roc_auc_score(labels, scores),
        "accuracy": cm.accuracy_score(labels, scores >= 0.5),
        "precision": cm.precision_score(labels, scores >= 0.5),
        "log_loss": cm.log_loss(labels, scores),
        "brier_score": cm.brier_score_loss(labels, scores),
        "expected_calibration_error": cm.expected_calibration_error(labels, scores),
    }
    for metric, value in expected.items():
        np.testing.assert_allclose(got[metric, "", "all"], value, rtol=1e-12, err_msg=metric)
        np.testing.assert_allclose(got[metric, "", "1h"], value, rtol=1e-12, err_msg=metric)
    for g in ("a", "b", "c"):
        mask = groups == g
        assert got["n_outcomes", g, "all"] == mask.sum()
        np.testing.assert_allclose(got["roc_auc", g, "all"],
                                   cm.roc_auc_score(labels[mask], scores[mask]), rtol=1e-12)
