"""A small model-monitoring service: predictions and labels in, Prometheus out.

Run it (needs ``pip install "cymetrics[monitoring]"``)::

    python examples/monitoring_service.py --port 8000 --state-dir ./monitor-state

and send JSON events::

    POST /predictions  {"events": [{"id": "a1", "score": 0.83, "group": "fr",
                                    "time": 1767225600.0}, ...]}
    POST /labels       {"events": [{"id": "a1", "label": 1}, ...]}
    GET  /metrics      Prometheus text: cymetrics_monitor_value{metric,group,window}
    GET  /health

A prediction waits (in memory and in the saved state) until its label
arrives; then both go to the monitor's labelled metrics.

Nothing acknowledged is lost, even on ``kill -9``: every accepted batch is
applied to the `Monitor` and appended to a journal before the reply; every
``--snapshot-every`` batches (and on SIGTERM/SIGINT) the monitor's bytes and
the waiting predictions are written to a snapshot (atomically: a temporary
file, then a rename) and the journal starts over. A restart loads the
snapshot and replays the journal. Handlers run on several threads: updates
run concurrently (the monitor's accumulators are thread-safe); a snapshot
waits for the updates in flight.
"""

import argparse
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from cymetrics.monitoring import Monitor
from cymetrics.monitoring.prometheus import MonitorCollector

GROUPS = ["a", "b", "c"]


def new_monitor():
    return Monitor(windows={"all": None, "1h": 3600}, buckets=12, groups=GROUPS,
                   rules=[("roc_auc", "<", 0.7), ("psi", ">", 0.25),
                          ("expected_calibration_error", ">", 0.1)])


class SharedExclusive:
    """Many updates at once, or one snapshot alone."""

    def __init__(self):
        self._cond = threading.Condition()
        self._active = 0
        self._exclusive = False

    def shared(self):
        lock = self

        class _Shared:
            def __enter__(self):
                with lock._cond:
                    lock._cond.wait_for(lambda: not lock._exclusive)
                    lock._active += 1

            def __exit__(self, *exc):
                with lock._cond:
                    lock._active -= 1
                    lock._cond.notify_all()

        return _Shared()

    def exclusive(self):
        lock = self

        class _Exclusive:
            def __enter__(self):
                with lock._cond:
                    lock._cond.wait_for(lambda: not lock._exclusive)
                    lock._exclusive = True
                    lock._cond.wait_for(lambda: lock._active == 0)

            def __exit__(self, *exc):
                with lock._cond:
                    lock._exclusive = False
                    lock._cond.notify_all()

        return _Exclusive()


class Store:
    """The monitor, the predictions waiting for labels, and their persistence."""

    def __init__(self, state_dir, snapshot_every):
        self.dir = Path(state_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.snapshot_every = snapshot_every
        self.gate = SharedExclusive()
        self.mutex = threading.Lock()  # the pending dict, the journal file, the counter
        self.monitor = new_monitor()
        self.pending = {}  # id -> [score, group, time]
        self.since_snapshot = 0
        self._load()
        self.journal = open(self.dir / "journal.jsonl", "a", encoding="utf-8")

    # -- applying events ----------------------------------------------------
    def _predictions(self, events):
        scores = [float(e["score"]) for e in events]
        times = [float(e["time"]) for e in events]
        groups = [str(e["group"]) for e in events]
        self.monitor.record_predictions(scores, timestamp=times)
        with self.mutex:
            for e, score, group, t in zip(events, scores, groups, times):
                self.pending[str(e["id"])] = [score, group, t]
        return {"accepted": len(events)}

    def _labels(self, events):
        with self.mutex:
            matched = [(e, self.pending.pop(str(e["id"]), None)) for e in events]
        found = [(e, p) for e, p in matched if p is not None]
        missing = [str(e["id"]) for e, p in matched if p is None]
        if found:
            try:
                self.monitor.record_outcomes(
                    [int(e["label"]) for e, _ in found], [p[0] for _, p in found],
                    groups=[p[1] for _, p in found], timestamp=[p[2] for _, p in found])
            except Exception:
                with self.mutex:  # refused: the predictions keep waiting
                    for e, p in found:
                        self.pending[str(e["id"])] = p
                raise
        return {"matched": len(found), "unmatched": missing}

    def apply(self, kind, events, journal=True):
        """Apply a batch (validated by the monitor), then journal it."""
        with self.gate.shared():
            result = (self._predictions if kind == "predictions" else self._labels)(events)
            if journal:
                if kind == "labels":  # replay only what matched
                    matched = set(result["unmatched"])
                    events = [e for e in events if str(e["id"]) not in matched]
                with self.mutex:
                    self.journal.write(json.dumps({"kind": kind, "events": events}) + "\n")
                    self.journal.flush()
                    self.since_snapshot += 1
                    due = self.since_snapshot >= self.snapshot_every
        if journal and due:
            self.snapshot()
        return result

    # -- persistence ----------------------------------------------------------
    def snapshot(self):
        with self.gate.exclusive():
            state = {"monitor": self.monitor.to_bytes().hex(), "pending": self.pending}
            tmp = self.dir / "snapshot.json.tmp"
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, self.dir / "snapshot.json")
            self.journal.close()
            self.journal = open(self.dir / "journal.jsonl", "w", encoding="utf-8")
            self.since_snapshot = 0

    def _load(self):
        snapshot = self.dir / "snapshot.json"
        if snapshot.exists():
            state = json.loads(snapshot.read_text(encoding="utf-8"))
            self.monitor = Monitor.from_bytes(bytes.fromhex(state["monitor"]))
            self.pending = state["pending"]
        journal = self.dir / "journal.jsonl"
        if journal.exists():
            for line in journal.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:  # a line cut by the crash: never acknowledged
                    continue
                self.apply(entry["kind"], entry["events"], journal=False)


def make_handler(store, registry):
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/metrics":
                self._reply(200, generate_latest(registry), CONTENT_TYPE_LATEST)
            elif self.path == "/health":
                self._reply(200, {"status": "ok"})
            else:
                self._reply(404, {"error": "not found"})

        def do_POST(self):
            kind = self.path.strip("/")
            if kind not in ("predictions", "labels"):
                self._reply(404, {"error": "not found"})
                return
            try:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                result = store.apply(kind, list(body["events"]))
            except (KeyError, TypeError, ValueError) as exc:
                self._reply(400, {"error": str(exc)})
                return
            self._reply(200, result)

        def log_message(self, *args):  # quiet
            pass

    return Handler


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: any free port")
    parser.add_argument("--state-dir", default="monitor-state")
    parser.add_argument("--snapshot-every", type=int, default=50, help="batches")
    args = parser.parse_args(argv)
    store = Store(args.state_dir, args.snapshot_every)
    registry = CollectorRegistry()
    registry.register(MonitorCollector(store.monitor))
    server = ThreadingHTTPServer((args.host, args.port), make_handler(store, registry))

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"LISTENING {args.host} {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        store.snapshot()
    return 0


if __name__ == "__main__":
    sys.exit(main())
