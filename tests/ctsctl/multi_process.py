#!/usr/bin/env python3
"""Three `ctsctl run` processes trade one account with one PostgreSQL journal database
and one Redis rate budget (issue 19's multi-process test).

One `ctsctl sim` (Binance's protocol: it refuses the 101st new order of an account within
one of its 10-second windows with HTTP 429 -1015, Binance's spot ORDERS limit of 100 per
10 SECOND, and request weight beyond 6000 a minute with 429 -1003) and three `ctsctl run`
processes on its one funded account, each quoting BTCUSDT and ETHUSDT (two sessions) with
its own client order id prefix and its own streams of one PostgreSQL database
(`journal = postgresql://...?stream=<run>-pN`: streams <run>-pN.BTCUSDT and .ETHUSDT).

The simulated market moves every 50 ms (`ctsctl sim --flow-ms 50`) and the quotes follow
it at once (`quote.refresh_ms = 20`, a tolerance below one tick): each process wants to
place far more orders than the venue takes.

1. Shared: the three with `rate.shared` (the Redis of the ctest fixture cts_redis) and
   `rate.processes = 3`: zero 429s and zero 418s as the simulator counts them and in
   every run's summary; no more than 100 orders in any of the venue's 10-second windows
   (from the venue's order list); orders still flow. Every order the venue holds of
   process N is an order_created record of one of its streams (read here with psql),
   and the creations journaled equal the orders its summary says it submitted. Each run
   exits 0 with nothing left open (`left_open` empty, nothing open at the venue), and
   the sum of the three summaries' positions in BTC/USDT and ETH/USDT equals the
   venue's: the change of the account's BTC and ETH balances.
2. Alone (the control, and the measure of the offered load), against a fresh simulator:
   each process with the whole budget in its own limiter. The simulator refuses orders
   (the load is real). The load the three offer is measured on the venue's own clock:
   each process's first orders (at most 50, the burst its limiter grants before it
   makes it wait: half of ORDERS' 100, rate::quota_for) reach the venue at
   (n - 1) / (time of the n-th - time of the first) orders a second; the three rates
   add up to at least 3 x 10 a second, three times the venue's order limit. No
   assertion is on time: a machine too slow to offer that load fails that check, saying
   what it measured.

The servers are the ctest fixtures' (tests/ctsctl/test_servers.py); run by hand without
them, the test is skipped (exit 77), saying so.

usage: multi_process.py <path to ctsctl> <scratch directory>
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine"))
from e2e_common import QUOTING_KEYS, BinanceReader  # noqa: E402  (the end-to-end tests' quotes and reads)
from test_servers import postgres_url, psql_rows, redis_url  # noqa: E402

CTSCTL = sys.argv[1]
SCRATCH = sys.argv[2]
PREFIXES = ("p1", "p2", "p3")
SYMBOLS = ("BTCUSDT", "ETHUSDT")
# The simulator's funded account at its start (ctsctl sim --help: --balance).
START = {"BTC": Decimal("10"), "ETH": Decimal("100")}
# Binance spot's ORDERS limit (the simulator's default): 100 new orders per 10 seconds.
ORDER_LIMIT, ORDER_WINDOW_MS = 100, 10_000
# The burst of a limiter holding that whole limit: half of it (rate::quota_for, docs/rate.md).
OWN_BURST = ORDER_LIMIT // 2
# The simulated market moves every FLOW_MS (ctsctl sim --flow-ms): the quotes follow it.
FLOW_MS = 50
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def config_keys():
    """QUOTING_KEYS on BTCUSDT and ETHUSDT, requoting at every move of the market, the
    engine's own order-rate check out of the way: the venue's limit is what binds."""
    keys = QUOTING_KEYS
    for old, new in (("symbol = BTCUSDT", "symbols = BTCUSDT,ETHUSDT"),
                     ("quote.tolerance = 0.000002", "quote.tolerance = 0.0000001"),
                     ("quote.refresh_ms = 150", "quote.refresh_ms = 20"),
                     ("risk.max_orders_per_second = 8", "risk.max_orders_per_second = 1000")):
        if old not in keys:
            raise RuntimeError(f"e2e_common.QUOTING_KEYS has no line \"{old}\"")
        keys = keys.replace(old, new)
    # ETHUSDT at ten times BTCUSDT's sizes (0.01 ETH is about 30 USDT, above its minimum).
    return keys + ("risk.max_open_orders = 100\nETHUSDT.quote.quantity = 0.01\n"
                   "ETHUSDT.quote.max_position = 0.04\nETHUSDT.risk.max_position = 0.2\n")


def start_sim():
    """`ctsctl sim` (Binance) with its default rate limits: the process, its URL, its
    market streams' and WebSocket API's URLs, key and secret."""
    sim = subprocess.Popen([CTSCTL, "sim", "--venue", "binance", "--seed", "5", "--flow-ms", str(FLOW_MS)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    url = sim.stdout.readline().strip()
    fields = {}
    while not all(k in fields for k in ("ws", "ws-api", "api-key", "api-secret")):
        line = sim.stdout.readline()
        if not line:
            raise RuntimeError(f"ctsctl sim exited early: {sim.stderr.read()}")
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return sim, url, fields


def stop_sim(sim):
    """SIGTERM; the number of requests the simulator refused for its rate limits."""
    sim.send_signal(signal.SIGTERM)
    _, err = sim.communicate(timeout=30)
    match = re.search(r"(\d+) rate-limited", err)
    if match is None:
        raise RuntimeError(f"ctsctl sim did not report its counters: {err[-500:]!r}")
    return int(match.group(1))


def run_three(label, url, fields, journal, extra_keys, seconds):
    """Three `ctsctl run` at once, process N journaling into the stream <journal>-pN;
    their exit statuses, summaries and standard errors."""
    env = dict(os.environ, CTS_SHARED_KEY=fields["api-key"], CTS_SHARED_SECRET=fields["api-secret"])
    runs = []
    for prefix in PREFIXES:
        base = os.path.join(SCRATCH, f"{label}-{prefix}")
        with open(base + ".conf", "w") as f:
            f.write(f"""# written by multi_process.py
venue = binance
base_url = {url}
ws_url = {fields["ws"]}
ws_api_url = {fields["ws-api"]}
order_transport = ws
api_key_env = CTS_SHARED_KEY
api_secret_env = CTS_SHARED_SECRET
journal = {journal}-{prefix}
client_id_prefix = {prefix}
monitor.db = {base}.monitor.db
metrics_port = 0
""" + config_keys() + extra_keys)
        summary = base + ".json"
        for left in (summary, base + ".monitor.db"):
            if os.path.exists(left):
                os.remove(left)
        process = subprocess.Popen([CTSCTL, "run", "--config", base + ".conf", "--duration", str(seconds),
                                    "--summary", summary], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, text=True)
        runs.append((process, summary))
    started = time.monotonic()
    results = []
    for process, summary in runs:
        _, err = process.communicate(timeout=seconds + 120)
        with_summary = json.load(open(summary)) if os.path.exists(summary) else {}
        results.append((process.returncode, with_summary, err))
    print(f"{label}: the three runs of {seconds} s took {time.monotonic() - started:.1f} s", flush=True)
    return results


def early_in_a_window():
    """Waits for the start of the venue's next 10-second order window when the current one
    has less than 5.5 s left (the simulator counts orders per window of its clock, which
    is this host's): runs started now begin trading within a second or two, and the
    first orders of all three, their limiters' bursts, fall in one window."""
    into_window_ms = time.time_ns() // 1_000_000 % ORDER_WINDOW_MS
    if into_window_ms > 4_500:
        wait_s = (ORDER_WINDOW_MS - into_window_ms) / 1000
        print(f"waiting {wait_s:.1f} s for the start of the venue's next order window", flush=True)
        time.sleep(wait_s)


def venue_orders(reader):
    """Every order of the account at the venue, both symbols: (client order id, time in ms)."""
    orders = []
    for symbol in SYMBOLS:
        rows = reader.get("/api/v3/allOrders", {"symbol": symbol, "limit": 1000})
        orders += [(row["clientOrderId"], int(row["time"])) for row in rows]
    return orders


def of_process(orders, prefix):
    """The times of process `prefix`'s orders, sorted."""
    return sorted(time_ms for client_id, time_ms in orders if client_id.startswith(prefix))


def journaled_creations(database, stream):
    """The client ids of the order_created records (kind 1) in the streams <stream>.<symbol>."""
    rows = psql_rows(database,
                     "SELECT r.client_id FROM cts_journal_record r JOIN cts_journal_stream s ON s.id = r.stream_id "
                     "WHERE r.kind = 1 AND s.name IN (:'v1', :'v2')",
                     *(f"{stream}.{symbol}" for symbol in SYMBOLS))
    return [row[0] for row in rows]


def venue_balances(reader):
    """The account's total (free + locked) balance per asset at the venue."""
    account = reader.get("/api/v3/account", {})
    return {b["asset"]: Decimal(b["free"]) + Decimal(b["locked"]) for b in account["balances"]}


DATABASE = postgres_url("ctsctl/multi_process")
REDIS = redis_url("ctsctl/multi_process")
os.makedirs(SCRATCH, exist_ok=True)
RUN = f"multi-{os.getpid()}"

# 1. One budget in Redis, one PostgreSQL database.
sim, url, fields = start_sim()
try:
    shared = run_three("shared", url, fields, f"{DATABASE}?stream={RUN}-shared",
                       f"rate.shared = {REDIS}\nrate.processes = 3\n", 6)
    reader = BinanceReader(url, fields["api-key"], fields["api-secret"])
    orders_shared = venue_orders(reader)
    balances = venue_balances(reader)
    still_open = reader.all_open_orders()
finally:
    refused_shared = stop_sim(sim)
check(refused_shared == 0, f"shared: the simulator refuses nothing for its limits ({refused_shared})")
windows = {}
for _, time_ms in orders_shared:
    windows[time_ms // ORDER_WINDOW_MS] = windows.get(time_ms // ORDER_WINDOW_MS, 0) + 1
check(max(windows.values(), default=0) <= ORDER_LIMIT,
      f"shared: at most {ORDER_LIMIT} orders in each of the venue's 10-second windows ({sorted(windows.values())})")
check(len(orders_shared) >= OWN_BURST, f"shared: orders still flow ({len(orders_shared)} at the venue)")
positions = {"BTC/USDT": Decimal(0), "ETH/USDT": Decimal(0)}
for prefix, (status, summary, err) in zip(PREFIXES, shared):
    label = f"shared {prefix}"
    check(status == 0, f"{label}: exits 0 ({status}; stderr: {err[-400:]!r})")
    check(summary.get("http_429") == 0 and summary.get("http_418") == 0,
          f"{label}: no 429 and no 418 in its summary ({summary.get('http_429')}, {summary.get('http_418')})")
    check("rate budget shared through redis://127.0.0.1:" in err, f"{label}: says it shares the budget")
    check(summary.get("left_open") == [], f"{label}: leaves nothing open ({summary.get('left_open')})")
    journaled = journaled_creations(DATABASE, f"{RUN}-shared-{prefix}")
    at_venue = [client_id for client_id, _ in orders_shared if client_id.startswith(prefix)]
    missing = sorted(set(at_venue) - set(journaled))
    check(at_venue and not missing,
          f"{label}: each of its {len(at_venue)} orders at the venue is journaled in PostgreSQL (missing: {missing})")
    check(len(journaled) == summary.get("orders_submitted"),
          f"{label}: {len(journaled)} creations journaled, {summary.get('orders_submitted')} orders submitted")
    for symbol in positions:
        positions[symbol] += Decimal(summary.get("positions", {}).get(symbol, "0"))
check(still_open == [], f"shared: nothing is left open at the venue ({still_open})")
for symbol, asset in (("BTC/USDT", "BTC"), ("ETH/USDT", "ETH")):
    change = balances.get(asset, Decimal(0)) - START[asset]
    check(positions[symbol] == change,
          f"shared: the three positions in {symbol} add up to {positions[symbol]}, the venue's {asset} change {change}")

# 2. Each process alone with the whole budget. The venue refuses orders and the runs
# then hold their own orders back (the ban the 429 brings): they keep them at the end
# rather than wait the ban out (the simulator goes with them).
sim, url, fields = start_sim()
try:
    early_in_a_window()
    alone = run_three("alone", url, fields, f"{DATABASE}?stream={RUN}-alone", "on_shutdown = keep\n", 4)
    orders_alone = venue_orders(BinanceReader(url, fields["api-key"], fields["api-secret"]))
finally:
    refused_alone = stop_sim(sim)
answered_429 = sum(summary.get("http_429", 0) for _, summary, _ in alone)
check(refused_alone > 0 and answered_429 > 0,
      f"alone: the simulator refuses requests for its limits ({refused_alone} refused; {answered_429} 429s in the "
      "runs' summaries)")
offered = []
for prefix in PREFIXES:
    times = of_process(orders_alone, prefix)[:OWN_BURST]
    if len(times) >= 2 and times[-1] > times[0]:
        offered.append((len(times) - 1) * 1000 / (times[-1] - times[0]))
    else:
        offered.append(0.0)
limit_per_second = ORDER_LIMIT * 1000 / ORDER_WINDOW_MS
check(sum(offered) >= 3 * limit_per_second,
      f"alone: the three offer {sum(offered):.1f} orders a second on the venue's clock "
      f"({', '.join(f'{r:.1f}' for r in offered)}), at least 3 x the venue's {limit_per_second:g}")

if failures:
    print(f"multi process: {len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("multi process: all checks passed")
