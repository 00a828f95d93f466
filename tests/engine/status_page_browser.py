"""The engine's status page (GET /) in a real browser: `ctsctl run` against the embedded
simulator with a fixed control token, Debian's Chromium headless driven by chromedriver
over the W3C WebDriver HTTP API (urllib only, no package to install). The page loads,
asks for the token (again after a refused one), shows the session with its venue and
state, and says which sections' routes are not available; Pause and Resume on the
page pause and resume the session (checked through GET /sessions/<name>, not only on the
page); Acknowledge on the page acknowledges an alert (checked through GET /api/alerts); no script error and no Content-Security-Policy violation is
logged; a screenshot is saved as an artifact.

usage: status_page_browser.py CTSCTL ARTIFACTS_DIR"""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import check, failures  # noqa: E402

CTSCTL = ARTIFACTS = None  # from the command line
# The page's sections and the operations API route each reads (docs/engine.md). A route
# in REQUIRED_ROUTES must answer and its section must show data; any other route may be
# missing (404), and then its section must say "not available: 404".
SECTIONS = {"/api/overview": "#components-section", "/api/sessions": "#sessions-section",
            "/api/alerts": "#alerts-section", "/api/incidents": "#incidents-section",
            "/api/performance": "#performance-section"}
# `ctsctl run` serves every one (its monitor is on by default); the 404 path stays for an
# engine built without one (ControlServerOptions::monitor or ::performance null).
REQUIRED_ROUTES = set(SECTIONS)
TOKEN = "status-page-test-token-7c41e09b"
AUTH = {"Authorization": "Bearer " + TOKEN}
OPERATOR = "browser test"  # the name typed into the page, recorded with an acknowledgement
SESSION = "BTCUSDT"
# The key W3C WebDriver names a web element by in its JSON.
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Everything this test talks to is on 127.0.0.1: never through a proxy of the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def request(method, url, body=None, headers=None, timeout=10):
    """(status, parsed JSON or text) of one HTTP exchange; errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with OPENER.open(req, timeout=timeout) as response:
            status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, raw, kind = e.code, e.read(), e.headers.get("Content-Type", "")
    text = raw.decode("utf-8", "replace")
    return status, json.loads(text) if "json" in kind and text.strip() else text


def eventually(condition, what, timeout_s=10):
    """Polls `condition` until it is truthy; returns its last value (falsy on timeout)."""
    end = time.monotonic() + timeout_s
    value = None
    while time.monotonic() < end:
        try:
            value = condition()
        except (WebDriverError, OSError):
            value = None  # not listening yet, or an element redrawn between find and read
        if value:
            return value
        time.sleep(0.1)
    print(f"     (gave up waiting for {what})", flush=True)
    return value


class WebDriverError(RuntimeError):
    pass


class Browser:
    """One chromedriver session of headless Chromium, through the W3C WebDriver API."""

    def __init__(self, driver_url, profile_dir):
        self.url = driver_url
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--window-size=1280,1300",
                f"--user-data-dir={profile_dir}"]
        options = {"args": args}
        binary = shutil.which("chromium")
        if binary:
            options["binary"] = binary
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options,
                                                  "goog:loggingPrefs": {"browser": "ALL"}}}}
        value = self._call("POST", "/session", caps, timeout=60)
        self.session = value["sessionId"]

    def _call(self, method, path, body=None, timeout=20):
        status, answer = request(method, self.url + path, body, timeout=timeout)
        if status != 200:
            raise WebDriverError(f"{method} {path}: {status} {str(answer)[:300]}")
        return answer["value"]

    def call(self, method, path, body=None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url):
        self.call("POST", "/url", {"url": url})

    def find(self, css):
        """The first element matching `css`, or None."""
        found = self.call("POST", "/elements", {"using": "css selector", "value": css})
        return found[0][ELEMENT] if found else None

    def text(self, element):
        return self.call("GET", f"/element/{element}/text")

    def attribute(self, element, name):
        return self.call("GET", f"/element/{element}/attribute/{name}")

    def click(self, element):
        self.call("POST", f"/element/{element}/click", {})

    def type(self, element, text):
        self.call("POST", f"/element/{element}/value", {"text": text})

    def run(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.call("GET", "/screenshot")))

    def console(self):
        """The browser's console entries since the last call (chromedriver's log endpoint)."""
        return self.call("POST", "/se/log", {"type": "browser"})

    def quit(self):
        try:
            self._call("DELETE", f"/session/{self.session}")
        except (WebDriverError, OSError):
            pass


# The engine's configuration: the control port on any free port, and a monitor whose
# PnLDrawdown rule fires at the first loss (critical, so it opens an incident too): the
# market maker's first fills cost it the spread's edge and fees within seconds.
ENGINE_CONFIG = """metrics_port = 0
monitor.drawdown = 0.00000001
monitor.for_ms = 0
monitor.interval_ms = 250
"""


def start_engine(scratch):
    """`ctsctl run` on the embedded simulator with ENGINE_CONFIG; returns (process, base
    URL or None, the lines it printed up to where the token is)."""
    config = os.path.join(scratch, "engine.conf")
    with open(config, "w") as f:
        f.write(ENGINE_CONFIG)
    env = dict(os.environ, CTS_CONTROL_TOKEN=TOKEN)
    engine = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "120"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = None
    printed = []
    while base is None or not any("bearer token" in line for line in printed):
        line = engine.stdout.readline().decode("utf-8", "replace")
        if not line:
            break
        printed.append(line)
        if line.startswith("status page at "):
            base = line.split()[3].rstrip("/")
    # The status lines go on every second: read them, so that the pipe never fills.
    threading.Thread(target=lambda: engine.stdout.read(), daemon=True).start()
    return engine, base, printed


def session_state(base):
    status, body = request("GET", f"{base}/sessions/{SESSION}", headers=AUTH)
    return body.get("state") if status == 200 and isinstance(body, dict) else None


def row_text(browser):
    row = browser.find(f'#sessions tr[data-key="{SESSION}"]')
    return browser.text(row) if row else ""


def click_command(browser, command):
    """Clicks the session's `command` button once it is enabled; True when clicked."""
    def enabled_button():
        button = browser.find(f'#sessions tr[data-key="{SESSION}"] button[data-command="{command}"]')
        return button if button and browser.attribute(button, "disabled") is None else None
    button = eventually(enabled_button, f"an enabled {command} button")
    if not button:
        return False
    browser.click(button)
    return True


def acknowledge_from_page(browser, base):
    """Waits for PnLDrawdown (ENGINE_CONFIG) to fire, acknowledges it on the page, and
    checks through the API that it is acknowledged by OPERATOR. Another alert may fire
    and resolve meanwhile: PnLDrawdown stays firing until the PnL is back at its peak."""
    def unacknowledged():
        status, body = request("GET", base + "/api/alerts?state=active", headers=AUTH)
        alerts = body.get("alerts", []) if status == 200 and isinstance(body, dict) else []
        return next((a for a in alerts
                     if a["name"] == "PnLDrawdown" and a["state"] == "firing" and not a["acknowledged"]), None)
    alert = eventually(unacknowledged, "PnLDrawdown to fire", timeout_s=30)
    check(alert is not None, "the monitor raises an alert (PnLDrawdown at the first loss)")
    if alert is None:
        return
    row = f'#alerts tr[data-key="{alert["id"]}"]'
    def enabled_button():
        button = browser.find(row + ' button[data-action="acknowledge"]')
        return button if button and browser.attribute(button, "disabled") is None else None
    button = eventually(enabled_button, "the alert's Acknowledge button")
    check(button is not None, f"the page lists alert {alert['name']} with an Acknowledge button")
    if button is None:
        return
    browser.click(button)
    def acknowledged():
        status, body = request("GET", base + "/api/alerts?state=all", headers=AUTH)
        alerts = body.get("alerts", []) if status == 200 and isinstance(body, dict) else []
        return next((a for a in alerts if a["id"] == alert["id"] and a["acknowledged"]), None)
    done = eventually(acknowledged, "the acknowledgement")
    check(done is not None and done["acknowledged_by"] == OPERATOR,
          f"Acknowledge on the page acknowledges alert {alert['id']} by {OPERATOR!r} (GET /api/alerts: {done})")
    shown = eventually(lambda: browser.run(f"const r = document.querySelector('{row}');"
                                           " return r && r.dataset.acknowledged === 'true' && r.textContent;"),
                       "the page to show the acknowledgement")
    check(bool(shown) and "acknowledged" in shown and OPERATOR in shown,
          f"the page shows the alert acknowledged by {OPERATOR!r}")
    if alert.get("incident"):
        incident = eventually(lambda: browser.find(f'#incidents details[data-key="{alert["incident"]}"]'),
                              "the alert's incident")
        check(incident is not None, f"the page lists the alert's incident {alert['incident']}")
        if incident is not None:
            add_note_from_page(browser, base, alert["incident"])


def add_note_from_page(browser, base, incident_id):
    """Opens the incident on the page, adds an 'identified' note and checks the note in
    the incident's timeline through the API."""
    details = f'#incidents details[data-key="{incident_id}"]'
    browser.click(browser.find(details + " summary"))
    form = eventually(lambda: browser.find(details + " form.note-form"), "the incident's note form")
    check(form is not None, f"the page offers a note on incident {incident_id}")
    if form is None:
        return
    browser.run("arguments[0].value = 'identified';", {ELEMENT: browser.find(details + " form.note-form select")})
    browser.type(browser.find(details + " form.note-form input"), "drawdown from the test's tiny threshold")
    browser.click(browser.find(details + " form.note-form button"))
    def noted():
        status, body = request("GET", base + f"/api/incidents/{incident_id}", headers=AUTH)
        timeline = body.get("incident", {}).get("timeline", []) if status == 200 and isinstance(body, dict) else []
        return next((e for e in timeline if e["event"] == "note"), None)
    note = eventually(noted, "the note in the incident's timeline")
    check(note is not None and note["status"] == "identified" and note["by"] == OPERATOR
          and note["text"] == "drawdown from the test's tiny threshold",
          f"Add note on the page adds an identified note by {OPERATOR!r} to {incident_id} (timeline entry: {note})")


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="cts-status-page-")
    engine, base, printed = start_engine(scratch)
    driver = None
    browser = None
    try:
        check(base is not None, f"ctsctl run prints the status page's URL ({base})")
        if base is None:
            return
        check(any("bearer token" in line and "CTS_CONTROL_TOKEN" in line for line in printed) and not any(TOKEN in line for line in printed),
              "ctsctl run says where the token is, never the token")
        status, page = request("GET", base + "/")
        check(status == 200 and "<title>cts engine status</title>" in page, f"GET / answers the page ({status})")

        port = free_port()
        driver_log = open(os.path.join(scratch, "chromedriver.log"), "w")
        driver = subprocess.Popen(["chromedriver", f"--port={port}", "--allowed-ips=127.0.0.1"],
                                  stdout=driver_log, stderr=subprocess.STDOUT)
        driver_url = f"http://127.0.0.1:{port}"
        ready = eventually(lambda: request("GET", driver_url + "/status", timeout=2)[0] == 200
                           if driver.poll() is None else False, "chromedriver", timeout_s=15)
        check(bool(ready), "chromedriver answers")
        if not ready:
            return
        browser = Browser(driver_url, os.path.join(scratch, "profile"))
        browser.open(base + "/")

        token_input = eventually(lambda: browser.find("#token-input"), "the token field")
        check(bool(token_input), "the page asks for the control token")
        # A wrong token first: the engine answers 401 and the page asks again.
        browser.type(token_input, "not-the-token-0123456789")
        browser.click(browser.find("#token-submit"))
        asked_again = eventually(lambda: browser.run(
            "const d = document.getElementById('token-dialog');"
            "return d.open && document.getElementById('token-reason').textContent;"), "the page to ask again")
        check(bool(asked_again) and "401" in asked_again, f"a refused token (401) is asked for again ({asked_again!r})")
        token_input = browser.find("#token-input")
        browser.type(token_input, TOKEN)
        browser.type(browser.find("#operator-input"), OPERATOR)
        browser.click(browser.find("#token-submit"))
        stored = browser.run("return sessionStorage.getItem('cts-control-token');")
        check(stored == TOKEN, "the token is kept in sessionStorage")
        check(browser.run("return localStorage.length;") == 0, "nothing is kept in localStorage")

        overall = eventually(lambda: browser.text(browser.find("#overall")) in ("HEALTHY", "DEGRADED", "CRITICAL")
                             and browser.text(browser.find("#overall")), "the overall status")
        check(bool(overall), f"the page shows the overall status as text ({overall})")
        cards = eventually(lambda: browser.run(
            "return Array.from(document.querySelectorAll('#components .card')).map(c => c.textContent);"),
            "component cards")
        check(bool(cards) and any(f"{SESSION}/" in c and any(s in c for s in ("UP", "DEGRADED", "DOWN"))
                                  for c in cards),
              f"a card per component with its status as text ({len(cards or [])} cards)")

        shown = eventually(lambda: SESSION in row_text(browser) and "running" in row_text(browser)
                           and row_text(browser), "the session's row")
        check(bool(shown), f"the session is shown running ({shown!r})")
        routes = {route: request("GET", base + route, headers=AUTH)[0]
                  for route in SECTIONS}
        print(f"     operations API routes: {routes}", flush=True)
        for route, selector in SECTIONS.items():
            if route in REQUIRED_ROUTES:
                check(routes[route] == 200, f"{route} answers 200 ({routes[route]})")
            if routes[route] == 404:
                text = eventually(lambda: "not available: 404" in browser.text(browser.find(selector)),
                                  f"{selector} to say not available")
                check(bool(text), f"without {route} the section {selector} says \"not available: 404\"")
            elif routes[route] == 200:
                text = eventually(lambda: (lambda t: "not available" not in t and t)(browser.text(browser.find(selector))),
                                  f"{selector} to show data")
                check(bool(text), f"with {route} the section {selector} shows it ({text!r:.80})")
            else:
                check(False, f"{route} answers 200 or 404 ({routes[route]})")
        if routes["/api/sessions"] == 200:
            venue = browser.run(f"const r = document.querySelector('#sessions tr[data-key=\"{SESSION}\"]');"
                                " return r && r.children[1].textContent;")
            check(venue == "binance", f"the session's venue is shown ({venue!r})")

        check(click_command(browser, "pause"), "the Pause button is enabled while the session runs")
        paused = eventually(lambda: session_state(base) == "paused", "the session to pause")
        check(bool(paused), f"Pause on the page pauses the session (GET /sessions/{SESSION}: {session_state(base)})")
        check(bool(eventually(lambda: "paused" in row_text(browser), "the page to show paused")),
              "the page shows the session paused")
        browser.screenshot(os.path.join(ARTIFACTS, "status-page-paused.png"))

        check(click_command(browser, "resume"), "the Resume button is enabled while the session is paused")
        resumed = eventually(lambda: session_state(base) == "running", "the session to resume")
        check(bool(resumed), f"Resume on the page resumes the session (GET /sessions/{SESSION}: {session_state(base)})")
        check(bool(eventually(lambda: "running" in row_text(browser), "the page to show running")),
              "the page shows the session running again")

        if routes["/api/alerts"] == 200:  # required: its check above failed otherwise
            acknowledge_from_page(browser, base)

        time.sleep(1.5)  # one more refresh, so that the screenshot shows a settled page
        screenshot = os.path.join(ARTIFACTS, "status-page.png")
        browser.screenshot(screenshot)
        with open(screenshot, "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "the screenshot is a PNG")
        print(f"screenshot: {screenshot}", flush=True)

        # A 401 after the right token would have opened the token dialog again.
        check(not browser.run("return document.getElementById('token-dialog').open;"),
              "the page did not ask for the token again after the right one")
        entries = browser.console()
        def expected(entry):
            # The wrong token's 401s: several requests were in flight with it, and on a busy
            # machine some are logged after the right token is typed (their time says when
            # the log line was written, not when the request left).
            message = entry.get("message", "")
            return "status of 404" in message or "status of 401" in message
        problems = [e["message"] for e in entries
                    if e.get("level") == "SEVERE" and not expected(e) or "Content Security Policy" in e.get("message", "")]
        check(not problems, f"no script error or CSP violation in the console ({problems[:3]})")
    finally:
        if browser is not None:
            browser.quit()
        if driver is not None:
            driver.terminate()
            try:
                driver.wait(timeout=10)
            except subprocess.TimeoutExpired:
                driver.kill()
        if failures and os.path.exists(os.path.join(scratch, "chromedriver.log")):
            with open(os.path.join(scratch, "chromedriver.log")) as f:
                print("--- chromedriver log (tail)\n" + f.read()[-2000:])
        engine.send_signal(signal.SIGINT)
        try:
            _, err = engine.communicate(timeout=60)
            check(engine.returncode == 0, f"ctsctl run stops on SIGINT with exit 0 ({err.decode()[-300:]!r})")
        except subprocess.TimeoutExpired:
            engine.kill()
            check(False, "ctsctl run stops on SIGINT")
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    CTSCTL, ARTIFACTS = sys.argv[1], sys.argv[2]
    main()
    if failures:
        print(f"status page: {len(failures)} check(s) failed")
        sys.exit(1)
    print("status page: all checks passed")
