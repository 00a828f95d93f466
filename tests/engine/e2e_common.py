"""What the end-to-end scripts (e2e_run.py, chaos_run.py, e2e_signals.py,
e2e_crash_safety.py) share: `ctsctl sim` started in its own process, the market maker's
quoting and risk keys they all trade with, a journal path with no earlier run's files, a
wait for a journal to hold records (kill a run once it has traded, not after a fixed time),
and signed reads of the account at the venue."""
import hashlib
import hmac
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from decimal import Decimal

# Quotes inside the simulated flow's spread, small enough to stay within the position
# limit, refreshed often: every run gets fills in a few seconds.
QUOTING_KEYS = """symbol = BTCUSDT
quote.half_spread = 0.000001
quote.quantity = 0.001
quote.max_position = 0.004
quote.skew_per_unit = 0.002
quote.tolerance = 0.000002
quote.refresh_ms = 150
risk.max_orders_per_second = 8
"""


def fresh_journal(scratch, name):
    """Returns scratch/name after removing a journal and its WAL files left there."""
    path = os.path.join(scratch, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


# What the check() calls of a script found wrong; the script exits non-zero when any did.
failures = []


def check(condition, what):
    """Prints "ok" or "FAIL" and `what`; a failed check is added to `failures`."""
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def journal_record_count(path):
    """The number of records in the engine's SQLite journal at `path`; 0 while it does not
    exist yet or is locked for a moment by the writer."""
    if not os.path.exists(path):
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM journal").fetchone()[0]
    except sqlite3.Error:
        return 0


def wait_for_journal_records(path, at_least=1, deadline_s=120, idle_after=None, idle_s=5):
    """Waits until the engine's SQLite journal at `path` holds `at_least` records (it journals
    an order before sending it), so that a run is killed only once it has traded, however
    slow the machine. With `idle_after`, it also returns once the journal holds more than
    `idle_after` records and has not grown for `idle_s` seconds: an engine whose quotes
    rest in a quiet market journals nothing new, and has traded all the same. Returns the
    count; raises TimeoutError past the deadline."""
    end = time.monotonic() + deadline_s
    count = journal_record_count(path)
    changed_at = time.monotonic()
    while time.monotonic() < end:
        now_count = journal_record_count(path)
        if now_count != count:
            count, changed_at = now_count, time.monotonic()
        if count >= at_least:
            return count
        if idle_after is not None and count > idle_after and time.monotonic() - changed_at >= idle_s:
            return count
        time.sleep(0.1)
    raise TimeoutError(f"{path}: {count} journal records after {deadline_s} s, wanted {at_least}")


class Venue:
    """Signed REST reads against the simulator, retried through its faults (reads are
    safe to repeat)."""

    def __init__(self, url, key, secret):
        self.url, self.key, self.secret = url, key, secret.encode()

    def get(self, path, params):
        for _ in range(40):
            signed = {**params, "timestamp": int(time.time() * 1000)}
            query = "&".join(f"{k}={v}" for k, v in signed.items())
            signature = hmac.new(self.secret, query.encode(), hashlib.sha256).hexdigest()
            request = urllib.request.Request(f"{self.url}{path}?{query}&signature={signature}",
                                             headers={"X-MBX-APIKEY": self.key})
            try:
                with urllib.request.urlopen(request, timeout=3) as response:
                    return json.loads(response.read().decode())
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.1)  # an injected 5xx, reset or dropped reply: ask again
        raise RuntimeError(f"the venue did not answer GET {path}")

    def open_orders(self, symbol="BTCUSDT"):
        """The account's open orders on `symbol` (GET /api/v3/openOrders)."""
        return self.get("/api/v3/openOrders", {"symbol": symbol})

    def base_balance(self):
        account = self.get("/api/v3/account", {})
        for balance in account["balances"]:
            if balance["asset"] == "BTC":
                return Decimal(balance["free"]) + Decimal(balance["locked"])
        return Decimal(0)

    def commissions(self):
        total = {}
        for trade in self.get("/api/v3/myTrades", {"symbol": "BTCUSDT", "limit": 1000}):
            asset = trade["commissionAsset"]
            total[asset] = total.get(asset, Decimal(0)) + Decimal(trade["commission"])
        return total


class Sim:
    """`ctsctl sim` in its own process, with what it prints at start-up: its base URL, its
    market-stream and WebSocket API URLs, and the account's key and secret."""

    def __init__(self, ctsctl, seed, faults=None):
        command = [ctsctl, "sim", "--seed", str(seed)] + (["--faults", faults] if faults else [])
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()
        fields = {}
        while not all(k in fields for k in ("ws", "ws-api", "api-key", "api-secret")):
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("ctsctl sim exited early")
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        self.ws, self.ws_api = fields["ws"], fields["ws-api"]
        self.key, self.secret = fields["api-key"], fields["api-secret"]
        self.venue = Venue(self.url, self.key, self.secret)

    def open_orders(self):
        """The account's open orders on every symbol (GET /api/v3/openOrders), retried
        through the faults; None when the venue never answered."""
        try:
            return self.venue.get("/api/v3/openOrders", {})
        except RuntimeError:
            return None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.communicate(timeout=30)
