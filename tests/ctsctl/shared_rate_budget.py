#!/usr/bin/env python3
"""Three `ctsctl run` processes on one account share one rate budget through Redis.

One `ctsctl sim` (Binance's protocol: it answers the 101st new order within 10 seconds
with HTTP 429 -1015, Binance's ORDERS limit of the spot API, 100 per 10 SECOND), and
three `ctsctl run` processes trading its one account (distinct client order id prefixes,
a journal each), each quoting as fast as it can: together they offer several times the
venue's order limit. First without `rate.shared`, each with the whole budget of its own
limiter: the simulator answers 429s (the offered load is real). Then with `rate.shared`
naming one Redis server and `rate.processes = 3`: zero 429s and zero 418s, as the
simulator counts them and as every run's summary counts them, while orders still flow.

The Redis server is the cts_redis ctest fixture's (tests/support/redis-server, its URL in
$CTS_TEST_REDIS_DIR/url); run by hand without it the test is skipped (exit 77), saying so.

usage: shared_rate_budget.py <path to ctsctl> <scratch directory>
"""
import json
import os
import re
import signal
import subprocess
import sys

CTSCTL = sys.argv[1]
SCRATCH = sys.argv[2]
failures = []

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine"))
from e2e_common import QUOTING_KEYS  # noqa: E402  (the end-to-end tests' quotes)


def faster(keys):
    """`keys` requoting far faster, with the engine's own order-rate check out of the way:
    the venue's limit is what binds."""
    for old, new in (("quote.tolerance = 0.000002", "quote.tolerance = 0.0000001"),
                     ("quote.refresh_ms = 150", "quote.refresh_ms = 20"),
                     ("risk.max_orders_per_second = 8", "risk.max_orders_per_second = 1000")):
        if old not in keys:
            raise RuntimeError(f"e2e_common.QUOTING_KEYS has no line \"{old}\"")
        keys = keys.replace(old, new)
    return keys + "risk.max_open_orders = 100\n"


def check(condition, what):
    print(("ok: " if condition else "FAILED: ") + what, flush=True)
    if not condition:
        failures.append(what)


def redis_url():
    directory = os.environ.get("CTS_TEST_REDIS_DIR")
    if not directory:
        print("\n*** ctsctl/shared_rate_budget SKIPPED: no Redis server (CTS_TEST_REDIS_DIR is not set). Run it "
              "through ctest or scripts/test, whose cts_redis fixture starts one. ***\n", file=sys.stderr)
        sys.exit(77)
    with open(os.path.join(directory, "url")) as f:
        return f.read().strip()


def start_sim():
    """`ctsctl sim` (Binance) with its default rate limits; its URL, key and secret."""
    sim = subprocess.Popen([CTSCTL, "sim", "--venue", "binance", "--seed", "5"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    url = sim.stdout.readline().strip()
    fields = {}
    while "api-secret" not in fields:
        line = sim.stdout.readline()
        if not line:
            raise RuntimeError(f"ctsctl sim exited early: {sim.stderr.read()}")
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return sim, url, fields["api-key"], fields["api-secret"]


def stop_sim(sim):
    """SIGTERM; the number of requests the simulator refused for its rate limits."""
    sim.send_signal(signal.SIGTERM)
    _, err = sim.communicate(timeout=30)
    match = re.search(r"(\d+) rate-limited", err)
    if match is None:
        raise RuntimeError(f"ctsctl sim did not report its counters: {err[-500:]!r}")
    return int(match.group(1))


def run_three(label, url, env, extra_keys, seconds, must_succeed=True):
    """Three `ctsctl run` at once; their summaries and standard errors."""
    runs = []
    for index, prefix in enumerate(("p1", "p2", "p3")):
        base = os.path.join(SCRATCH, f"{label}-{prefix}")
        for suffix in ("", "-wal", "-shm", ".json"):
            if os.path.exists(base + ".sqlite" + suffix):
                os.remove(base + ".sqlite" + suffix)
        with open(base + ".conf", "w") as f:
            f.write(f"""# written by shared_rate_budget.py
venue = binance
base_url = {url}
streams = off
api_key_env = CTS_SHARED_KEY
api_secret_env = CTS_SHARED_SECRET
journal = {base}.sqlite
client_id_prefix = {prefix}
""" + faster(QUOTING_KEYS) + extra_keys)
        summary = base + ".json"
        if os.path.exists(summary):
            os.remove(summary)
        process = subprocess.Popen([CTSCTL, "run", "--config", base + ".conf", "--duration", str(seconds),
                                    "--summary", summary], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, text=True)
        runs.append((process, summary))
    summaries = []
    for index, (process, summary) in enumerate(runs):
        out, err = process.communicate(timeout=seconds + 120)
        if must_succeed:
            check(process.returncode == 0, f"{label}: run {index + 1} exits 0 (stderr: {err[-400:]!r})")
        summaries.append((json.load(open(summary)) if os.path.exists(summary) else {}, err))
    return summaries


redis = redis_url()

# Each process alone with the whole budget: together they exceed the venue's limit. The
# venue then bans the IP (429 with Retry-After): the runs keep their orders at the end
# rather than wait the ban out (the simulator goes with them).
sim, url, key, secret = start_sim()
env = dict(os.environ, CTS_SHARED_KEY=key, CTS_SHARED_SECRET=secret)
try:
    alone = run_three("alone", url, env, "on_shutdown = keep\n", 8, must_succeed=False)
finally:
    refused_alone = stop_sim(sim)
submitted_alone = sum(s.get("orders_submitted", 0) for s, _ in alone)
check(refused_alone > 0, f"without rate.shared the simulator refuses orders for its limit "
                         f"({refused_alone} refused, {submitted_alone} submitted)")

# One budget in Redis: never a 429 or 418, and orders still flow.
sim, url, key, secret = start_sim()
env = dict(os.environ, CTS_SHARED_KEY=key, CTS_SHARED_SECRET=secret)
try:
    shared = run_three("shared", url, env, f"rate.shared = {redis}\nrate.processes = 3\n", 12)
finally:
    refused_shared = stop_sim(sim)
check(refused_shared == 0, f"with rate.shared the simulator refuses nothing for its limits ({refused_shared})")
for index, (summary, err) in enumerate(shared):
    check(summary.get("http_429") == 0 and summary.get("http_418") == 0,
          f"shared run {index + 1}: no 429 and no 418 in its summary ({summary.get('http_429')}, "
          f"{summary.get('http_418')})")
    check("rate budget shared through redis://127.0.0.1:" in err, f"shared run {index + 1} says it shares the budget")
submitted = [s.get("orders_submitted", 0) for s, _ in shared]
# 12 s hold at most 100 + 100 (two 10-second windows): at least half of one window's worth.
check(sum(submitted) >= 50, f"with rate.shared the three processes still place orders ({submitted})")
check(sum(submitted) <= 200, f"... never more than two windows' worth in 12 s ({sum(submitted)})")

if failures:
    print(f"shared rate budget: {len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("shared rate budget: all checks passed")
