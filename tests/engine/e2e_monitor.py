"""End to end: the engine's monitor, as an operator meets it. `ctsctl sim` (faults read from
its standard input) and `ctsctl run` as separate processes over loopback, the run's alert
channel a webhook to a real HTTP receiver this script serves on 127.0.0.1:

* every REST request of the venue answers 503 (`faults error_before=1`): the session cannot
  reach the venue, its `venue:connectivity` check fails, VenueUnreachable (critical) fires,
  the receiver gets a firing notification in Alertmanager's webhook format, and an
  incident opens;
* the operations API shows the alert and the incident; the alert is acknowledged over the
  API (a second acknowledgement is refused with 409), which acknowledges the incident;
* the fault is cleared (`faults none`): the alert resolves, the receiver gets the resolved
  notification, the incident is resolved;
* the webhook URL, a secret, is printed nowhere.

Usage: e2e_monitor.py <ctsctl> <scratch dir>. Prints "e2e monitor: all checks passed" on
success."""
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common  # noqa: E402
from e2e_common import QUOTING_KEYS, check, fresh_journal  # noqa: E402

CTSCTL, SCRATCH = sys.argv[1], sys.argv[2]
TOKEN = "e2e-monitor-token-3c9a51f0"


class Receiver(http.server.ThreadingHTTPServer):
    """Records the JSON body of every POST; answers 200."""

    def __init__(self):
        self.bodies = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ReceiverHandler)

    def notifications(self):
        with self.lock:
            return list(self.bodies)


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with self.server.lock:
            self.server.bodies.append((self.path, json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def api(base, method, path, body=None):
    """(status, JSON) of one operations API request with the token."""
    request = urllib.request.Request(base + path, method=method,
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"},
                                     data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def eventually(condition, deadline_s=40):
    """condition()'s first true value within the deadline, or None."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return None


def notified(receiver, alertname, status):
    """The first notification with an alert `alertname` in `status`, if any."""
    for path, body in receiver.notifications():
        for alert in body.get("alerts", []):
            if alert["labels"].get("alertname") == alertname and alert["status"] == status:
                return path, body, alert
    return None


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/alerts/e2e-secret-path"

    sim = subprocess.Popen([CTSCTL, "sim", "--seed", "41", "--faults-stdin"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    fields = {"url": sim.stdout.readline().strip()}
    while not all(k in fields for k in ("api-key", "api-secret")):
        name, _, value = sim.stdout.readline().partition(":")
        fields[name] = value.strip()
    threading.Thread(target=lambda: sim.stdout.read(), daemon=True).start()

    config = os.path.join(SCRATCH, "monitor.conf")
    journal = fresh_journal(SCRATCH, "monitor.sqlite")
    history = fresh_journal(SCRATCH, "monitor.db")
    with open(config, "w") as f:
        f.write(f"""# written by e2e_monitor.py
base_url = {fields["url"]}
streams = off
order_transport = rest
api_key_env = CTS_E2E_KEY
api_secret_env = CTS_E2E_SECRET
journal = {journal}
metrics_port = 0
max_consecutive_errors = 0
monitor.interval_ms = 500
monitor.for_ms = 1000
monitor.group_wait_ms = 0
monitor.group_interval_ms = 500
monitor.channels = webhook,log
monitor.db = {history}
""" + QUOTING_KEYS)
    env = dict(os.environ, CTS_E2E_KEY=fields["api-key"], CTS_E2E_SECRET=fields["api-secret"],
               CTS_CONTROL_TOKEN=TOKEN, CTS_ALERT_WEBHOOK_URL=hook)
    run = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "120"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_lines, err_lines = [], []
    base = None
    while base is None:
        line = run.stdout.readline()
        if not line:
            break
        out_lines.append(line)
        if line.startswith("metrics and health at "):
            base = line.split()[4].rsplit("/metrics", 1)[0]
    threading.Thread(target=lambda: out_lines.extend(run.stdout), daemon=True).start()
    threading.Thread(target=lambda: err_lines.extend(run.stderr), daemon=True).start()
    try:
        check(base is not None, f"ctsctl run serves the control port ({base})")
        check(any(line.startswith("monitor: alerts to webhook, log every 500 ms") for line in out_lines),
              "the run announces the monitor and its channels")
        trading = eventually(lambda: (lambda s: s[1]["sessions"][0] if s[0] == 200 and s[1]["sessions"]
                                      and s[1]["sessions"][0]["venue"] else None)(api(base, "GET", "/api/sessions")))
        check(trading is not None and trading["venue"] == "binance" and trading["symbol"] == "BTCUSDT"
              and trading["order_transport"] == "rest", f"/api/sessions shows the session's venue ({trading})")

        def component(name):
            status, overview = api(base, "GET", "/api/overview")
            found = [c for c in overview.get("components", []) if c["name"] == name] if status == 200 else []
            return found[0]["status"] if found else None
        check(eventually(lambda: component("BTCUSDT/venue:connectivity") == "UP") is not None,
              "/api/overview shows the venue's connectivity UP once the session trades")
        time.sleep(2)  # longer than monitor.for_ms: a false alarm at start would have fired
        check(notified(receiver, "VenueUnreachable", "firing") is None
              and not [a for a in api(base, "GET", "/api/alerts")[1]["alerts"] if a["name"] == "VenueUnreachable"],
              "VenueUnreachable does not fire while the session starts and trades")

        sim.stdin.write("faults error_before=1\n")
        sim.stdin.flush()
        firing = eventually(lambda: notified(receiver, "VenueUnreachable", "firing"))
        check(firing is not None, "the receiver gets a firing VenueUnreachable notification")
        check(component("BTCUSDT/venue:connectivity") == "DOWN", "/api/overview shows the connectivity DOWN")
        if firing:
            path, body, alert = firing
            check(path == "/alerts/e2e-secret-path" and body["version"] == "4" and body["status"] == "firing",
                  "the notification is Alertmanager's webhook version 4, firing, on the configured path")
            check(alert["labels"] == {"alertname": "VenueUnreachable", "session": "BTCUSDT", "severity": "critical"},
                  f"the alert's labels name the session and the severity ({alert['labels']})")
        status, alerts = api(base, "GET", "/api/alerts")
        shown = [a for a in alerts.get("alerts", []) if a["name"] == "VenueUnreachable"] if status == 200 else []
        check(len(shown) == 1 and shown[0]["state"] == "firing" and shown[0]["incident"] == "INC-1",
              f"/api/alerts shows the firing alert and its incident ({shown})")
        status, incidents = api(base, "GET", "/api/incidents")
        check(status == 200 and [i["id"] for i in incidents["incidents"]] == ["INC-1"]
              and incidents["incidents"][0]["state"] == "triggered",
              f"/api/incidents shows the open incident ({incidents})")
        if shown:
            alert_id = shown[0]["id"]
            status, acked = api(base, "POST", f"/api/alerts/{alert_id}/acknowledge", {"by": "e2e", "note": "on it"})
            check(status == 200 and acked["alert"]["acknowledged"] and acked["alert"]["acknowledged_by"] == "e2e",
                  f"the alert is acknowledged over the API ({status} {acked})")
            status, again = api(base, "POST", f"/api/alerts/{alert_id}/acknowledge", {"by": "e2e"})
            check(status == 409, f"a second acknowledgement is refused with 409 ({status} {again})")
            status, incident = api(base, "GET", "/api/incidents/INC-1")
            check(status == 200 and incident["incident"]["state"] == "acknowledged"
                  and incident["incident"]["acknowledged_by"] == "e2e"
                  and [e["event"] for e in incident["incident"]["timeline"]] == ["triggered", "acknowledged"],
                  f"acknowledging the alert acknowledged its incident ({incident})")

        sim.stdin.write("faults none\n")
        sim.stdin.flush()
        resolved = eventually(lambda: notified(receiver, "VenueUnreachable", "resolved"))
        check(resolved is not None, "the receiver gets the resolved notification once the fault is cleared")
        status, alerts = api(base, "GET", "/api/alerts?state=all")
        states = [a["state"] for a in alerts.get("alerts", []) if a["name"] == "VenueUnreachable"]
        check(states == ["resolved"], f"/api/alerts?state=all shows the alert resolved ({states})")
        status, incidents = api(base, "GET", "/api/incidents?state=all")
        check(status == 200 and incidents["incidents"][0]["state"] == "resolved",
              f"the incident resolved with its alert ({incidents})")
    finally:
        run.send_signal(signal.SIGTERM)
        try:
            run.wait(timeout=60)
        except subprocess.TimeoutExpired:
            run.kill()
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sim.kill()
        receiver.shutdown()
    time.sleep(0.2)  # the reader threads take the last lines
    printed = "".join(out_lines) + "".join(err_lines)
    check("e2e-secret-path" not in printed, "the webhook URL is printed nowhere")
    check(run.returncode == 0, f"ctsctl run ends cleanly (exit status {run.returncode})")


if __name__ == "__main__":
    main()
    if e2e_common.failures:
        sys.exit(1)
    print("e2e monitor: all checks passed")
