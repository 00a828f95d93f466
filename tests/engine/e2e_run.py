#!/usr/bin/env python3
"""End-to-end test of the reference engine against the simulator in another process.

Runs `ctsctl sim` and `ctsctl run` as separate processes over loopback and checks what a
user cares about: the bot trades; the position in the engine's summary equals the change
of the account's base balance at the venue (no fill lost or counted twice); with fault
injection (replies dropped after execution, 5xx, resets) the same holds; after
SIGKILL mid-run and a restart on the same journal, the journal, the tracker and the
venue agree.

usage: e2e_run.py <path to ctsctl> <scratch directory>
"""
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

CTSCTL = sys.argv[1]
SCRATCH = sys.argv[2]
START_BTC = Decimal("10")

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def start_sim(seed, faults=""):
    args = [CTSCTL, "sim", "--seed", str(seed)]
    if faults:
        args += ["--faults", faults]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    key = secret = None
    while key is None or secret is None:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("ctsctl sim exited early")
        if line.startswith("api-key:"):
            key = line.split(":", 1)[1].strip()
        elif line.startswith("api-secret:"):
            secret = line.split(":", 1)[1].strip()
    return proc, url, key, secret


def write_config(name, url, journal):
    path = os.path.join(SCRATCH, name + ".conf")
    with open(path, "w") as f:
        f.write(f"""# written by e2e_run.py
base_url = {url}
api_key_env = CTS_E2E_KEY
api_secret_env = CTS_E2E_SECRET
symbol = BTCUSDT
journal = {journal}
quote.half_spread = 0.000004
quote.quantity = 0.001
quote.max_position = 0.004
quote.skew_per_unit = 0.002
quote.tolerance = 0.000002
quote.refresh_ms = 150
risk.max_orders_per_second = 8
""")
    return path


def run_engine(config, env, duration, summary=None):
    args = [CTSCTL, "run", "--config", config, "--duration", str(duration)]
    if summary:
        args += ["--summary", summary]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=duration + 60)


def load(path):
    with open(path) as f:
        return json.load(f)


def consistent(summary, label):
    position = Decimal(summary["positions"].get("BTC/USDT", "0"))
    btc = summary["balances"].get("BTC", {"free": "0", "locked": "0"})
    venue_delta = Decimal(btc["free"]) + Decimal(btc["locked"]) - START_BTC
    check(position == venue_delta,
          f"{label}: engine position {position} equals the venue's BTC change {venue_delta}")


def fresh(name):
    path = os.path.join(SCRATCH, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


def scenario_clean():
    sim, url, key, secret = start_sim(seed=3)
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        config = write_config("clean", url, fresh("clean.sqlite"))
        summary_path = os.path.join(SCRATCH, "clean.json")
        result = run_engine(config, env, 8, summary_path)
        check(result.returncode == 0, f"clean run exits 0 (stderr: {result.stderr[-300:]!r})")
        check("orders=" in result.stdout, "clean run prints status lines")
        s = load(summary_path)
        check(s["orders_submitted"] > 0, f"clean run submits orders ({s['orders_submitted']})")
        check(s["fills"] > 0, f"clean run gets fills ({s['fills']})")
        check(s["http_429"] == 0 and s["http_418"] == 0, "clean run causes no 429/418")
        consistent(s, "clean run")
    finally:
        sim.send_signal(signal.SIGTERM)
        check(sim.wait(timeout=30) == 0, "ctsctl sim exits 0 on SIGTERM")


def scenario_faults():
    sim, url, key, secret = start_sim(seed=5, faults="drop_after=0.05,error_after=0.05,reset=0.05,seed=11")
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        config = write_config("faults", url, fresh("faults.sqlite"))
        summary_path = os.path.join(SCRATCH, "faults.json")
        result = run_engine(config, env, 10, summary_path)
        check(result.returncode == 0, f"faulty run exits 0 (stderr: {result.stderr[-300:]!r})")
        s = load(summary_path)
        check(s["orders_submitted"] > 0, f"faulty run submits orders ({s['orders_submitted']})")
        check(s["unknown_outcomes"] > 0, f"faults produced unknown outcomes ({s['unknown_outcomes']})")
        consistent(s, "faulty run")
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(timeout=30)


def scenario_sigkill():
    sim, url, key, secret = start_sim(seed=9)
    try:
        env = dict(os.environ, CTS_E2E_KEY=key, CTS_E2E_SECRET=secret)
        journal = fresh("restart.sqlite")
        config = write_config("restart", url, journal)
        victim = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "60"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(4)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        summary_path = os.path.join(SCRATCH, "restart.json")
        result = run_engine(config, env, 5, summary_path)
        check(result.returncode == 0, f"restart after SIGKILL exits 0 (stderr: {result.stderr[-300:]!r})")
        replayed = [line for line in result.stdout.splitlines() if "records replayed" in line]
        check(bool(replayed) and not replayed[0].endswith(" 0 records replayed)"),
              f"restart replays the journal ({replayed[0] if replayed else 'no line'})")
        s = load(summary_path)
        consistent(s, "after SIGKILL and restart")
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait(timeout=30)


scenario_clean()
scenario_faults()
scenario_sigkill()
if failures:
    print(f"e2e: {len(failures)} check(s) failed")
    sys.exit(1)
print("e2e: all checks passed")
