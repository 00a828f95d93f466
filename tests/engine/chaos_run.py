#!/usr/bin/env python3
"""Chaos test of the reference engine: crashes on one journal against a faulty venue.

Starts `ctsctl sim` with fault injection (replies dropped after execution, 5xx after
execution, connection resets, WebSocket drops), then runs `ctsctl run` on one journal
several times, each run killed with SIGKILL after a few seconds, and finally once more
to the end of its duration with `on_shutdown = cancel`. It then asks the venue itself
(signed REST requests of its own, retried through the faults) and checks what the
engine promises:

* the engine's position equals the change of the account's base balance at the venue;
* the fees the engine booked equal the commissions of the account's trades at the
  venue (each fill applied exactly once: a fill counted twice or missed shows here);
* no order of ours is left open at the venue;
* the graceful run exits 0 and says it stopped.

usage: chaos_run.py <path to ctsctl> <scratch directory>
"""
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

from e2e_common import QUOTING_KEYS, BinanceReader, check, failures, fresh_journal

CTSCTL = sys.argv[1]
SCRATCH = sys.argv[2]
START_BTC = Decimal("10")
KILL_AFTER = (3, 5, 4, 6)  # seconds each crashing run trades before its SIGKILL
GRACEFUL_SECONDS = 6
FAULTS = "drop_after=0.1,error_after=0.05,reset=0.05,ws_drop_every=80,seed=29"


def start_sim():
    proc = subprocess.Popen([CTSCTL, "sim", "--seed", "21", "--faults", FAULTS], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    fields = {"url": proc.stdout.readline().strip()}
    while not all(k in fields for k in ("ws", "ws-api", "api-key", "api-secret")):
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("ctsctl sim exited early")
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return proc, fields


def write_config(fields, journal):
    path = os.path.join(SCRATCH, "chaos.conf")
    with open(path, "w") as f:
        f.write(f"""# written by chaos_run.py
base_url = {fields["url"]}
ws_url = {fields["ws"]}
ws_api_url = {fields["ws-api"]}
api_key_env = CTS_CHAOS_KEY
api_secret_env = CTS_CHAOS_SECRET
journal = {journal}
on_shutdown = cancel
""" + QUOTING_KEYS)
    return path


def fresh(name):
    return fresh_journal(SCRATCH, name)


def main():
    sim, fields = start_sim()
    try:
        venue = BinanceReader(fields["url"], fields["api-key"], fields["api-secret"])
        env = dict(os.environ, CTS_CHAOS_KEY=fields["api-key"], CTS_CHAOS_SECRET=fields["api-secret"])
        config = write_config(fields, fresh("chaos.sqlite"))
        for round_number, seconds in enumerate(KILL_AFTER, 1):
            victim_log = os.path.join(SCRATCH, f"round{round_number}.log")
            with open(victim_log, "w") as log:
                victim = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "120"], env=env,
                                          stdout=log, stderr=subprocess.STDOUT)
            time.sleep(seconds)
            if victim.poll() is not None:
                with open(victim_log) as log:
                    print(f"round {round_number}: the engine exited {victim.returncode} by itself:\n"
                          + log.read()[-2000:], flush=True)
            check(victim.poll() is None, f"round {round_number}: the engine is still trading when killed")
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
            print(f"round {round_number}: killed after {seconds} s, "
                  f"{len(venue.open_orders())} order(s) open at the venue", flush=True)

        summary_path = os.path.join(SCRATCH, "chaos.json")
        if os.path.exists(summary_path):
            os.remove(summary_path)
        result = subprocess.run([CTSCTL, "run", "--config", config, "--duration", str(GRACEFUL_SECONDS),
                                 "--summary", summary_path], env=env, capture_output=True, text=True,
                                timeout=GRACEFUL_SECONDS + 60)
        check(result.returncode == 0, f"the graceful run exits 0 (exit {result.returncode}, "
                                      f"stderr: {result.stderr[-300:]!r})")
        check("stopped: BTCUSDT" in result.stdout, "the graceful run stops its session")
        if not os.path.exists(summary_path):
            check(False, "the graceful run writes its summary")
            return
        with open(summary_path) as f:
            summary = json.load(f)

        left = venue.open_orders()
        check(not left, "no order is left open at the venue: "
                        f"{[(o['clientOrderId'], o['side'], o['price']) for o in left]}")
        position = Decimal(summary["positions"].get("BTC/USDT", "0"))
        venue_delta = venue.base_balance() - START_BTC
        check(position == venue_delta, f"the engine's position {position} equals the venue's BTC change {venue_delta}")
        engine_fees = {asset: Decimal(fee) for asset, fee in summary.get("fees", {}).items() if Decimal(fee) != 0}
        venue_fees = {asset: fee for asset, fee in venue.commissions().items() if fee != 0}
        check(engine_fees == venue_fees, f"every fill is booked once: the engine's fees {engine_fees} equal "
                                         f"the venue's commissions {venue_fees}")
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.communicate(timeout=30)


main()
if failures:
    print(f"chaos: {len(failures)} check(s) failed")
    sys.exit(1)
print("chaos: all checks passed")
