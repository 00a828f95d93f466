#!/usr/bin/env python3
"""End-to-end test of `ctsctl run`'s signal policy against `ctsctl sim` in another process.

* `ctsctl run | head -3`: once head has exited, every write to standard output fails
  (EPIPE; SIGPIPE is ignored); trading goes on to the end of --duration, the orders are
  cancelled per on_shutdown = cancel and ctsctl exits 0.
* SIGHUP and SIGQUIT mid-run stop gracefully, as SIGINT and SIGTERM do: exit 0, every
  order cancelled.

"Cancelled" is checked at the venue: after ctsctl has exited, a signed
GET /api/v3/openOrders lists nothing.

usage: e2e_signals.py <path to ctsctl> <scratch directory>
"""
import json
import os
import signal
import subprocess
import sys
import time

from e2e_common import Sim, check, failures

CTSCTL = sys.argv[1]
SCRATCH = sys.argv[2]


def write_config(sim, name):
    journal = os.path.join(SCRATCH, name + ".sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(journal + suffix):
            os.remove(journal + suffix)
    path = os.path.join(SCRATCH, name + ".conf")
    with open(path, "w") as f:
        f.write(f"""# written by e2e_signals.py
base_url = {sim.url}
ws_url = {sim.ws}
ws_api_url = {sim.ws_api}
api_key_env = CTS_E2E_KEY
api_secret_env = CTS_E2E_SECRET
journal = {journal}
quote.half_spread = 0.000001
quote.refresh_ms = 150
on_shutdown = cancel
""")
    return path


def environment(sim):
    return dict(os.environ, CTS_E2E_KEY=sim.key, CTS_E2E_SECRET=sim.secret)


def scenario_closed_stdout():
    sim = Sim(CTSCTL, seed=21)
    try:
        config = write_config(sim, "pipe")
        summary_path = os.path.join(SCRATCH, "pipe.json")
        if os.path.exists(summary_path):
            os.remove(summary_path)
        err_path = os.path.join(SCRATCH, "pipe.stderr")
        # The reproducer as a shell runs it; PIPESTATUS[0] is ctsctl's own exit status.
        script = (f'"$0" run --config "$1" --duration 6 --summary "$2" 2>"$3" | head -3; '
                  'echo "ctsctl-exit=${PIPESTATUS[0]}"')
        result = subprocess.run(["bash", "-c", script, CTSCTL, config, summary_path, err_path],
                                env=environment(sim), capture_output=True, text=True, timeout=120)
        lines = result.stdout.splitlines()
        check(len(lines) == 4 and lines[-1] == "ctsctl-exit=0",
              f"ctsctl run | head -3 ends gracefully, exit 0 ({lines[-1:]!r}, not 141 = killed by SIGPIPE)")
        with open(err_path) as f:
            err = f.read()
        check("shutdown requested" in err, f"the run ended by its duration, gracefully ({err[-200:]!r})")
        check("ctsctl run:" not in err, f"no error was reported ({err[-200:]!r})")
        summary = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
        check(summary.get("orders_submitted", 0) > 0,
              f"trading went on after head exited ({summary.get('orders_submitted')} orders)")
        check(summary.get("orders_canceled", 0) > 0, "the quotes were cancelled at the end")
        check(sim.open_orders() == [], "the venue holds no open order after the run")
    finally:
        sim.stop()


def scenario_signal(signum, name, seed):
    sim = Sim(CTSCTL, seed=seed)
    try:
        config = write_config(sim, name)
        engine = subprocess.Popen([CTSCTL, "run", "--config", config, "--duration", "120"], env=environment(sim),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        quoting = False
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = engine.stdout.readline()
            if not line:
                break
            if " open=" in line and " open=0 " not in line:
                quoting = True
                break
        check(quoting, f"{name}: the session has quotes at the venue before the signal")
        engine.send_signal(signum)
        out, err = engine.communicate(timeout=60)
        check(engine.returncode == 0, f"{name}: ctsctl stops gracefully, exit 0 (got {engine.returncode})")
        check("shutdown requested" in err, f"{name}: the shutdown was the graceful one ({err[-200:]!r})")
        check("stopped: BTCUSDT" in out, f"{name}: the session reports stopped")
        check(sim.open_orders() == [], f"{name}: the venue holds no open order after the run")
    finally:
        sim.stop()


scenario_closed_stdout()
scenario_signal(signal.SIGHUP, "sighup", 23)
scenario_signal(signal.SIGQUIT, "sigquit", 29)
if failures:
    print(f"e2e signals: {len(failures)} check(s) failed")
    sys.exit(1)
print("e2e signals: all checks passed")
